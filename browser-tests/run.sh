#!/usr/bin/env bash
# The browser suite: builds the default site, serves it on 127.0.0.1 and checks it in
# headless Chromium (axe-core, Nu HTML Checker, screenshots, user paths).
# Installs what it needs on a fresh Debian machine: chromium and java (apt-get, as root),
# the npm packages (npm ci). See browser-tests/README.md.
#
#   browser-tests/run.sh                    build the site into a temporary folder and test it
#   SITE_DIR=public browser-tests/run.sh    test an already built site
#   browser-tests/run.sh tests/paths.test.mjs   run one test file
#
# tests/init.test.mjs checks the site `planspor init` writes, built into INIT_SITE_DIR
# (its root in INIT_ROOT); both are made here when that test runs and INIT_SITE_DIR is
# not given.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
if [ -n "${SITE_DIR:-}" ]; then SITE_DIR="$(cd "$SITE_DIR" && pwd)"; fi
if [ -n "${INIT_SITE_DIR:-}" ]; then INIT_SITE_DIR="$(cd "$INIT_SITE_DIR" && pwd)"; fi
cd "$HERE"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "browser suite: $* missing; install it (as root: apt-get install -y $*)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  apt-get install -y -qq --no-install-recommends "$@"
}

echo "== browser suite: prerequisites"
if [ ! -x "$CHROMIUM" ]; then apt_install chromium; fi
if ! command -v java >/dev/null 2>&1; then apt_install default-jre-headless; fi
if ! command -v node >/dev/null 2>&1; then apt_install nodejs npm; fi
"$CHROMIUM" --version 2>/dev/null
java -version 2>&1 | head -1
echo "node $(node --version), npm $(npm --version)"

# --ignore-scripts: no install script may fetch anything (vnu-jar's would download a JDK)
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

WORK="$(mktemp -d "${TMPDIR:-/tmp}/planspor-browser.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ $# -gt 0 ]; then
  FILES=("$@")
else
  FILES=(tests/*.test.mjs)
fi
# Which sites the chosen files need: the init test its own, every other the default one.
NEED_DEFAULT="" NEED_INIT=""
for f in "${FILES[@]}"; do
  case "$f" in
    *init.test.mjs) NEED_INIT=1 ;;
    *) NEED_DEFAULT=1 ;;
  esac
done

if [ -z "${SITE_DIR:-}" ] && [ -n "$NEED_DEFAULT" ]; then
  echo "== browser suite: building the default site"
  (cd "$ROOT" && cargo run --release --quiet -- build --output "$WORK/site")
  SITE_DIR="$WORK/site"
fi
if [ -z "${INIT_SITE_DIR:-}" ] && [ -n "$NEED_INIT" ]; then
  # build fails on any content error or broken link, so this alone checks "0 errors"
  echo "== browser suite: planspor init (all districts), then planspor build"
  (cd "$ROOT" && cargo run --release --quiet -- init "$WORK/init-root" >/dev/null)
  (cd "$ROOT" && cargo run --release --quiet -- build --root "$WORK/init-root" --output "$WORK/init-site")
  INIT_SITE_DIR="$WORK/init-site"
  INIT_ROOT="$WORK/init-root"
  export INIT_ROOT
fi
export SITE_DIR="${SITE_DIR:-}" INIT_SITE_DIR="${INIT_SITE_DIR:-}"
export RESULTS_DIR="$WORK/results"
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$HERE/screenshots}"
rm -rf "$SCREENSHOT_DIR"
mkdir -p "$SCREENSHOT_DIR"

CONC=()
if node --test-concurrency=1 -e '' >/dev/null 2>&1; then CONC=(--test-concurrency=1); fi

echo "== browser suite: ${SITE_DIR:-(no default site)}${INIT_SITE_DIR:+ and ${INIT_SITE_DIR}} served on 127.0.0.1, Chromium ${CHROMIUM}"
set +e
node --test "${CONC[@]}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$WORK/report.tap" \
  "${FILES[@]}"
STATUS=$?
set -e

# Summary: counts of leaf tests (every page, every page type) and of findings.
node - "$WORK/report.tap" "$RESULTS_DIR" <<'EOF'
const fs = require("fs");
const [tap, results] = process.argv.slice(2);
const read = (n) => { try { return JSON.parse(fs.readFileSync(`${results}/${n}.json`, "utf8")); } catch { return null; } };
const lines = fs.existsSync(tap) ? fs.readFileSync(tap, "utf8").split("\n") : [];
let passed = 0, failed = 0, prevIndent = -1;
for (const line of lines) {
  const m = line.match(/^(\s*)(ok|not ok) \d+ - /);
  if (!m) continue;
  const indent = m[1].length;
  // a parent's result line follows its children's, which are indented deeper
  if (!(prevIndent > indent)) { if (m[2] === "ok") passed++; else failed++; }
  prevIndent = indent;
}
const axe = read("axe"), vnu = read("vnu"), shots = read("screenshots"), init = read("init");
if (axe) console.log(`axe-core (WCAG 2.0/2.1 A, AA): ${axe.pages} pages checked, ${axe.violations} violations${axe.violations ? " " + JSON.stringify(axe.rules) : ""}`);
if (vnu) console.log(`Nu HTML Checker: ${vnu.pages} pages checked (+${vnu.files - vnu.pages} theme files), ${vnu.errors} errors`);
if (shots) console.log(`screenshots: ${shots.count} in ${shots.dir}`);
if (init) console.log(`planspor init site: ${init.pages} pages opened, ${init.links} internal links on them (${init.urls} distinct URLs) checked`);
console.log(`browser suite: ${passed} passed, ${failed} failed`);
EOF
exit $STATUS
