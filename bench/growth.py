#!/usr/bin/env python3
"""How clerk's cost grows with one paper's size: a table of N rows with an amount quoted in prose,
a paper of N amounts that nothing explains (N findings), N rows against N amounts said of
nothing (the reconciliation engine's worst case: every amount looked up among every fact), and
N amounts in one sentence. Each shape is timed at N and 2N for `clerk check` and
`clerk build --no-pdf`; doubling the input should at most about double the time (ratio <= 2.3,
issue 18) and stay under 300 MB.

    python3 bench/growth.py            # N = 5,000 (and 10,000); rows x amounts at 1,000 (and 2,000)
    python3 bench/growth.py --quick    # N = 1,000 (and 2,000), for CI
"""
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import QUICK, clerk_binary  # noqa: E402

FRONT = "---\ntitle: Growth\nclassification: Unrestricted\nkey_decision: false\n---\n\n"
LIMIT_RATIO = 2.3
LIMIT_MB = 300


def table(n: int) -> str:
    rng = random.Random(n)
    rows = "\n".join(f"| Item {i} | £{rng.randint(1000, 9999999):,} |" for i in range(n))
    return f"{FRONT}The cost is £3,141,593.\n\n| Item | Cost |\n|---|---:|\n{rows}\n"


def findings(n: int) -> str:
    rng = random.Random(n)
    prose = "\n\n".join(f"{i}. It costs £{rng.randint(1000, 9999999):,}." for i in range(1, n + 1))
    return f"{FRONT}{prose}\n"


def rows_and_amounts(n: int) -> str:
    rng = random.Random(n)
    rows = "\n".join(f"| Item {i} | £{rng.randint(1000, 9999999):,} |" for i in range(n))
    prose = "\n\n".join(f"It costs £{rng.randint(1000, 9999999):,}." for _ in range(n))
    return f"{FRONT}| Item | Cost |\n|---|---:|\n{rows}\n\n{prose}\n"


def one_sentence(n: int) -> str:
    rng = random.Random(n)
    amounts = ", ".join(f"£{rng.randint(1000, 9999999):,}" for _ in range(n))
    return f"{FRONT}The costs are {amounts}.\n"


def run(binary: Path, args: list) -> tuple:
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, str(binary), *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        peak = int(stats.read().strip().splitlines()[-1]) / 1024
    if result.returncode not in (0, 1):
        sys.exit(f"clerk failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed, peak


def measure(binary: Path, text: str, command: str) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        paper = Path(tmp) / "papers" / "paper"
        paper.mkdir(parents=True)
        (paper / "report.md").write_text(text, encoding="utf-8")
        def args(i):
            # Each build into a new folder: a second build into the same one is a no-op.
            return ["check", str(paper.parent), "--quiet"] if command == "check" else \
                ["build", str(paper.parent), "--no-pdf", "--out", str(Path(tmp) / f"site-{i}")]
        runs = [run(binary, args(i)) for i in range(3)]
        return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    n = 1000 if QUICK else 5000
    binary = clerk_binary()
    print(f"{'shape':<10} {'command':<8} {'N':>6} {'s at N':>8} {'s at 2N':>8} {'ratio':>6} {'peak MB':>8}")
    worst = 0.0
    shapes = (("table", table, n), ("findings", findings, n),
              ("rows×amts", rows_and_amounts, 1000), ("sentence", one_sentence, n))
    for name, make, size in shapes:
        for command in ("check", "build"):
            small, _ = measure(binary, make(size), command)
            large, peak = measure(binary, make(2 * size), command)
            # Times under 20 ms are mostly start-up: their ratio says little.
            ratio = large / small if small > 0.02 else 1.0
            worst = max(worst, ratio / LIMIT_RATIO, peak / LIMIT_MB)
            print(f"{name:<10} {command:<8} {size:>6} {small:>8.3f} {large:>8.3f} {ratio:>6.2f} {peak:>8.1f}")
    print("linear" if worst <= 1.0 else "GROWS FASTER THAN LINEAR or over 300 MB")


if __name__ == "__main__":
    main()
