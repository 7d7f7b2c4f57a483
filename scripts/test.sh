#!/usr/bin/env bash
# The README's test command. Installs whatever the tests need and is missing (typst 0.15.1 into
# clerk's cache; Debian's chromium and poppler-utils; the npm packages of tests/browser, Pagefind
# among them), then
# runs every test binary, even after one fails, and ends with one line totalling them all:
#
#   clerk: N passed, M failed
#
# Needs the Rust toolchain, Node.js 20 or later with npm, and apt-get (as root, or with sudo).
# Arguments go to `cargo test`: `bash scripts/test.sh --test suite serve::`. Exits as cargo test does.
set -euo pipefail
cd "$(dirname "$0")/.."

missing() {
  echo "scripts/test.sh: $*" >&2
  exit 1
}

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    missing "cargo is missing: install the Rust toolchain (https://rustup.rs) first"
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing "node and npm are missing: install Node.js 20 or later (the browser tests run playwright-core)"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  missing "Node.js $(node --version) is too old: the browser tests need Node.js 20 or later"
fi

# typst 0.15.1 for PDFs, pinned, in clerk's own cache: where clerk itself would install it.
cache="${CLERK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clerk}"
typst_root="$cache/typst-0.15.1"
if ! "$typst_root/bin/typst" --version 2>/dev/null | grep -q '^typst 0\.15\.'; then
  echo "== installing typst 0.15.1 into $typst_root (about 10 minutes, once)"
  cargo install typst-cli --locked --version 0.15.1 --root "$typst_root"
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    missing "installing packages needs root: run as root, or install sudo"
  fi
}
apt_install() {
  command -v apt-get >/dev/null 2>&1 || missing "cannot install $* (no apt-get): install it by hand"
  echo "== installing $* with apt-get"
  as_root apt-get update -qq >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
# poppler-utils: the PDF tests read PDFs with pdfinfo, pdftotext and pdftohtml.
if ! command -v pdfinfo >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 ||
  ! command -v pdftohtml >/dev/null 2>&1; then
  apt_install poppler-utils
fi
# Debian's Chromium, for the accessibility and live-reload tests in a real browser.
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  apt_install chromium
fi
# axe-core and playwright-core for the browser tests, and Pagefind (its binary ships in the npm
# package @pagefind/linux-x64) for the site's search index, which the tests build.
if [ ! -d tests/browser/node_modules/axe-core ] || [ ! -d tests/browser/node_modules/playwright-core ] ||
  ! ls tests/browser/node_modules/@pagefind/*/bin/pagefind_extended >/dev/null 2>&1; then
  echo "== installing axe-core, playwright-core and pagefind (npm ci --prefix tests/browser)"
  npm ci --prefix tests/browser --no-audit --no-fund
fi

# jsonschema (PyPI), with which tests/oparl/validate.py checks the open data against OParl 1.1's schema.
if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
  command -v python3 >/dev/null 2>&1 || missing "python3 is missing: the open-data tests need it (with pip)"
  echo "== installing jsonschema 4.26.0 (pip), to validate the OParl open data"
  python3 -m pip install --quiet jsonschema==4.26.0 ||
    python3 -m pip install --quiet --break-system-packages jsonschema==4.26.0
fi

# page (PyPI page-validation), the PDF/UA-1 validator the tests run over every PDF clerk makes.
if ! python3 -c 'import page' >/dev/null 2>&1; then
  command -v python3 >/dev/null 2>&1 || missing "python3 is missing: the PDF/UA tests need it (with pip)"
  echo "== installing page-validation 0.11.0 (pip), the PDF/UA-1 validator"
  python3 -m pip install --quiet page-validation==0.11.0 ||
    python3 -m pip install --quiet --break-system-packages page-validation==0.11.0
fi

echo "== tests: cargo test --locked --no-fail-fast $*"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test binary, so the total is plain to read.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "clerk: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
