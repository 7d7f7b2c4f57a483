#!/usr/bin/env bash
# Every benchmark in quick mode (`bench/*.py --quick`), on the test build of clerk, as CI runs
# them after the tests: they print their numbers and ratios (which mean little on a debug build
# and gate nothing), and a benchmark that no longer runs at HEAD fails the run.
#
# Needs python3 with venv, the typst that scripts/test.sh installs, and PyPI for pandoc (the
# HTML peer, as pypandoc_binary, into target/bench-venv once).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked
export CLERK_BENCH_BINARY="$PWD/target/debug/clerk"
venv=target/bench-venv
if ! "$venv/bin/python" -c 'import pypandoc' 2>/dev/null; then
  echo "== installing pandoc for the benchmarks (pypandoc_binary into $venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pypandoc_binary
fi
for bench in check growth build pack serve import; do
  echo "== bench/$bench.py --quick"
  "$venv/bin/python" "bench/$bench.py" --quick
done
