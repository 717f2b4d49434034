#!/usr/bin/env bash
# planspor's performance benchmark: full builds and live-reload latency, on the default
# site and on generated national corpora at half, full and double scale.
#
#   scripts/bench.sh [RUNS]        # RUNS full builds per site (default 5)
#   PLANSPOR_BENCH_OUT=/dev/shm scripts/bench.sh   # outputs on tmpfs: the generator's own
#                                                  # time, without the disk's
#
# Reports, per site: median (min–max) wall time of `planspor build`, pages per second,
# peak memory (max RSS from /usr/bin/time -v), output size; then the median (min–max)
# time from saving a plan to the reload event in `planspor serve` (benches/serve_reload.rs)
# on the default site and the national corpus. Builds replace a previous output each
# time, as a publisher's repeated builds do. Run it on an otherwise idle machine.
set -euo pipefail

RUNS="${1:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${PLANSPOR_BENCH_DIR:-${TMPDIR:-/tmp}/planspor-bench}"
BIN="$ROOT/target/release/planspor"
mkdir -p "$WORK"

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 1; }

(cd "$ROOT" && cargo build --release --quiet)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "planspor $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'), $RUNS runs per site, output in ${PLANSPOR_BENCH_OUT:-$WORK} ($(df --output=fstype "${PLANSPOR_BENCH_OUT:-$WORK}" | tail -1))"
echo

# Corpora are generated once per scale (deterministic: same seed, same bytes).
for scale in 0.5 1 2; do
  dir="$WORK/corpus-$scale"
  if [ ! -f "$dir/planspor.toml" ]; then
    "$BIN" gen-corpus --out "$dir" --scale "$scale" >/dev/null 2>&1
  fi
done

stats() { # numbers on stdin → "median (min–max)"
  sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
                   printf "%.0f (%.0f–%.0f)", m, a[1], a[NR] }'
}

printf "%-16s %7s %7s %22s %12s %16s %10s\n" site plans pages "build ms: median (min–max)" "pages/s" "peak RSS MB" "output MB"
for site in default 0.5 1 2; do
  if [ "$site" = default ]; then root="$ROOT"; else root="$WORK/corpus-$site"; fi
  out="${PLANSPOR_BENCH_OUT:-$WORK}/planspor-bench-out-$site"
  "$BIN" build --root "$root" --output "$out" >/dev/null 2>&1 # warm the page cache
  : >"$WORK/ms" ; : >"$WORK/rss"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" build --root "$root" --output "$out" >"$WORK/build.txt" 2>&1
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s * 1000 }' "$WORK/time.txt" >>"$WORK/ms"
    awk -F': ' '/Maximum resident set size/ { print $2 / 1024 }' "$WORK/time.txt" >>"$WORK/rss"
  done
  pages=$(grep -o 'built [0-9]* pages' "$WORK/build.txt" | grep -o '[0-9]*')
  plans=$(find "$root/content/kredse" -name '*plan-*.md' | wc -l)
  median_ms=$(sort -g "$WORK/ms" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  printf "%-16s %7s %7s %22s %12.0f %16s %10.1f\n" "$site" "$plans" "$pages" "$(stats <"$WORK/ms")" \
    "$(awk -v p="$pages" -v m="$median_ms" 'BEGIN { print p / (m / 1000) }')" \
    "$(stats <"$WORK/rss")" "$(du -sb "$out" | awk '{ print $1 / 1e6 }')"
done

echo
echo "live reload, save → reload event of the edited page and of all its pages (20 edits):"
(cd "$ROOT" && cargo bench --quiet --bench serve_reload -- --edits 20 2>/dev/null | grep serve_reload)
(cd "$ROOT" && cargo bench --quiet --bench serve_reload -- --root "$WORK/corpus-1" --edits 20 2>/dev/null | grep serve_reload)

# The search index of the national build (scale 1): its size, and what typical queries
# download (manifest, term shards and the first 20 results' documents).
out1="${PLANSPOR_BENCH_OUT:-$WORK}/planspor-bench-out-1"
if command -v node >/dev/null && [ -d "$out1/data/soeg" ]; then
  echo
  echo "search index (national): $(find "$out1/data/soeg" -type f | wc -l) files, $(du -sb "$out1/data/soeg" | awk '{ printf "%.1f MB", $1 / 1e6 }')"
  node "$ROOT/scripts/search-bytes.cjs" "$out1" indbrud tryghed hjoerring "vold i nære relationer" | grep -v "^ "
fi
