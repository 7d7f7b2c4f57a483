#!/usr/bin/env python3
"""Benchmark `clerk serve`: from saving one paper in a tree of N (default 1,000) to the
server returning the updated page. Target: under 200 ms.

    python3 bench/serve.py [N] [--quick]    # --quick: 100 papers
"""
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ARGS, QUICK, clerk_binary, generate  # noqa: E402

N = int(ARGS[0]) if ARGS else (100 if QUICK else 1000)
TARGET_MS = 200
RUNS = 10


def main():
    clerk = clerk_binary()
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "papers"
        generate(tree, N)
        server = subprocess.Popen([str(clerk), "serve", str(tree), "--port", "0"], stdout=subprocess.PIPE, text=True)
        try:
            url = next(w for w in server.stdout.readline().split() if w.startswith("http://"))
            report = sorted(tree.rglob("report.md"))[N // 2]
            page = url + str(report.parent.relative_to(tree)) + "/index.html"
            text = report.read_text()
            latencies = []
            for i in range(RUNS):
                marker = f"Benchmark edit number {i}"
                report.write_text(text + f"\n## {marker}\n\nEdited.\n")
                saved = time.perf_counter()
                while True:
                    body = urllib.request.urlopen(page, timeout=10).read().decode()
                    if marker in body:
                        break
                    if time.perf_counter() - saved > 10:
                        sys.exit("the page never changed")
                    time.sleep(0.005)
                latencies.append((time.perf_counter() - saved) * 1000)
                time.sleep(0.3)
        finally:
            server.terminate()
            server.wait()
    median = statistics.median(latencies)
    print(f"save to updated page, one paper of {N}: median {median:.0f} ms, worst {max(latencies):.0f} ms over {RUNS} saves")
    print(f"ratio {median / TARGET_MS:.2f} of the {TARGET_MS} ms target: {'meets' if median < TARGET_MS else 'MISSES'} it")


if __name__ == "__main__":
    main()
