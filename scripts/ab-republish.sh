#!/bin/bash
# Two planspor binaries side by side on the republishes a publisher makes, taking turns.
# Each round, with a build after each edit: a sentence added to one plan (a text edit); a
# heading put at the top of another plan (all its sections move); a sentence added to a
# kommune's own page (site-wide state: every page built from it is looked at again).
# Each binary has its own copy of the corpus and its own output on tmpfs; prints wall
# seconds, CPU seconds (user + system: steadier than wall on a shared machine) and peak
# memory (KB) per build, and checks that both outputs are identical.
#
#     scripts/ab-republish.sh OLD_BINARY NEW_BINARY [ROUNDS] [CORPUS]
#     AB_TEXT_ONLY=1 scripts/ab-republish.sh ...   # only the text edit, more rounds for less
#
# CORPUS defaults to a national corpus made with `planspor gen-corpus` (seed 1).
set -euo pipefail
A=$(realpath "$1"); B=$(realpath "$2"); N=${3:-3}
CORPUS=${4:-/tmp/planspor-bench/corpus-1}
WORK=${PLANSPOR_AB_DIR:-/dev/shm/planspor-ab}
if [ ! -d "$CORPUS/content" ]; then
  "$B" gen-corpus --out "$CORPUS" --seed 1 >/dev/null
fi
rm -rf "$WORK"; mkdir -p "$WORK"
for x in A B; do cp -r "$CORPUS" "$WORK/c$x"; done
plans=$(cd "$WORK/cA" && find content -name '*.md' ! -name _index.md | sort)
f1=$(echo "$plans" | sed -n 300p); f2=$(echo "$plans" | sed -n 900p)
f3=$(cd "$WORK/cA" && find content -name _index.md -path '*/kommuner/*' | sort | sed -n 10p)
build() {
  /usr/bin/time -o "$WORK/t" -f "%e %U %S %M" "$1" build --root "$2" --output "$3" >/dev/null 2>&1
  awk '{ printf "%s s %.2f cpu %s KB", $1, $2 + $3, $4 }' "$WORK/t"
}
for x in A B; do bin=${!x}; build "$bin" "$WORK/c$x" "$WORK/o$x" >/dev/null; build "$bin" "$WORK/c$x" "$WORK/o$x" >/dev/null; done
for i in $(seq "$N"); do
  for x in A B; do
    bin=${!x}; c="$WORK/c$x"
    echo "Ny sætning nummer $i om tryghed." >> "$c/$f1"
    t1=$(build "$bin" "$c" "$WORK/o$x")
    if [ -n "${AB_TEXT_ONLY:-}" ]; then echo "$x round $i: text edit $t1"; continue; fi
    python3 - "$c/$f2" "$i" <<'PY'
import sys
path, i = sys.argv[1], sys.argv[2]
s = open(path).read()
k = s.index('+++', 3) + 3
open(path, 'w').write(s[:k] + f"\n\n## Ny indledning {i}\n\nTekst {i}.\n" + s[k:])
PY
    t2=$(build "$bin" "$c" "$WORK/o$x")
    echo "Kommunen samarbejder også om tryghed ($i)." >> "$c/$f3"
    t3=$(build "$bin" "$c" "$WORK/o$x")
    echo "$x round $i: text edit $t1 | heading at the top $t2 | site-wide edit $t3"
  done
done
diff -rq "$WORK/oA" "$WORK/oB" >/dev/null && echo "outputs byte-identical" || echo "OUTPUTS DIFFER"
