#!/usr/bin/env python3
"""Benchmark `clerk check` on N synthetic papers shaped like the bundled ones.

Each synthetic paper is a copy of one of the example papers in papers/ (report + record where
there is one, tables, figures, about 15 KB) with its own decision number, so every check runs
for real. Prints papers per second, peak memory, and each result as a ratio of its target
(a ratio at or under 1.00 meets the target).

    python3 bench/check.py            # 1,000 and 10,000 papers
    python3 bench/check.py 500        # other sizes
    python3 bench/check.py --quick    # 200 papers
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ARGS, QUICK, clerk_binary, generate  # noqa: E402

TARGETS = {1000: 0.5, 10000: 5.0}  # seconds, from issue 2
MEMORY_TARGET_MB = 300


def measure(binary: Path, tree: Path):
    """Wall time and peak resident memory (MB) of one `clerk check` run."""
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name,
                                 str(binary), "check", str(tree), "--format", "json", "--quiet"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        peak_kb = int(stats.read().strip().splitlines()[-1])
    if result.returncode not in (0, 1):
        sys.exit(f"clerk failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed, peak_kb / 1024


def main():
    sizes = [int(a) for a in ARGS] or ([200] if QUICK else [1000, 10000])
    binary = clerk_binary()
    print(f"clerk check benchmark on {os.cpu_count()} cores")
    print(f"{'papers':>8} {'seconds':>8} {'papers/s':>10} {'peak MB':>8} {'time/target':>12} {'mem/target':>11}")
    worst = 0.0
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tree = Path(tmp) / "papers"
            generate(tree, n)
            measure(binary, tree)  # warm the file cache
            runs = [measure(binary, tree) for _ in range(3)]
            seconds = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            target = TARGETS.get(n, n * 0.0005)
            ratio = seconds / target
            mem_ratio = peak / MEMORY_TARGET_MB
            worst = max(worst, ratio, mem_ratio)
            print(f"{n:>8} {seconds:>8.3f} {n / seconds:>10.0f} {peak:>8.1f} {ratio:>12.2f} {mem_ratio:>11.2f}")
    print("meets targets" if worst <= 1.0 else "MISSES a target (ratio above 1.00)")
    engine_share(binary)


def engine_share(binary: Path, n: int = 1000):
    """The reconciliation engine's share of the checks' time (`clerk check --timings`)."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "papers"
        generate(tree, n)
        result = subprocess.run([str(binary), "check", str(tree), "--quiet", "--timings"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    spent = {}
    for line in result.stderr.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "s":
            spent[parts[0]] = float(parts[1])
    total = sum(spent.values())
    if total:
        share = spent.get("reconcile", 0.0) / total
        print(f"reconcile engine: {spent.get('reconcile', 0.0):.3f} s of {total:.3f} s in checks "
              f"on {n} papers ({share:.0%} of check time)")


if __name__ == "__main__":
    main()
