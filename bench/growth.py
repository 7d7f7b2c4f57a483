#!/usr/bin/env python3
"""How clerk's cost grows with one paper's size: a table of N rows with an amount quoted in prose,
and a paper of N amounts that nothing explains (N findings). Each shape is timed at N and 2N for
`clerk check` and `clerk build --no-pdf`; doubling the input should at most about double the time
(ratio <= 2.2) and stay under 300 MB. A PDF of P pages (numbered paragraphs of text, written
here) is timed at P and 2P for `clerk check FILE.pdf`: doubling the pages should at most double
time and memory (ratio <= 2.3 each).

    python3 bench/growth.py            # N = 5,000 (and 10,000)
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
LIMIT_RATIO = 2.2
LIMIT_MB = 300
# Doubling a PDF's pages may at most double its time and memory, with room for noise.
PDF_RATIO = 2.3


def table(n: int) -> str:
    rng = random.Random(n)
    rows = "\n".join(f"| Item {i} | £{rng.randint(1000, 9999999):,} |" for i in range(n))
    return f"{FRONT}The cost is £3,141,593.\n\n| Item | Cost |\n|---|---:|\n{rows}\n"


def findings(n: int) -> str:
    rng = random.Random(n)
    prose = "\n\n".join(f"{i}. It costs £{rng.randint(1000, 9999999):,}." for i in range(1, n + 1))
    return f"{FRONT}{prose}\n"


def pdf(pages: int) -> bytes:
    """A PDF of `pages` pages of numbered paragraphs in Helvetica, with a classic xref table."""
    rng = random.Random(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for page in range(1, pages + 1):
        lines = [f"{page}.{k} The council will spend \\243{rng.randint(1000, 999999):,} on item {k} of section {page}."
                 for k in range(1, 25)]
        ops = "BT /F1 10 Tf 14 TL 72 770 Td " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
        content = ops.encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % len(objects))
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = (b"<< /Type /Pages /Count %d /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Kids [%s] >>"
                  % (pages, b" ".join(kids)))
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def measure_pdf(binary: Path, pages: int) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "report.pdf"
        file.write_bytes(pdf(pages))
        runs = [run(binary, ["check", str(file), "--quiet"]) for _ in range(3)]
        return min(r[0] for r in runs), max(r[1] for r in runs)


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
    for name, make in (("table", table), ("findings", findings)):
        for command in ("check", "build"):
            small, _ = measure(binary, make(n), command)
            large, peak = measure(binary, make(2 * n), command)
            # Times under 20 ms are mostly start-up: their ratio says little.
            ratio = large / small if small > 0.02 else 1.0
            worst = max(worst, ratio / LIMIT_RATIO, peak / LIMIT_MB)
            print(f"{name:<10} {command:<8} {n:>6} {small:>8.3f} {large:>8.3f} {ratio:>6.2f} {peak:>8.1f}")
    pages = 50 if QUICK else 250
    small, small_peak = measure_pdf(binary, pages)
    large, large_peak = measure_pdf(binary, 2 * pages)
    ratio = large / small if small > 0.02 else 1.0
    memory = large_peak / small_peak
    worst = max(worst, ratio / PDF_RATIO, memory / PDF_RATIO)
    print(f"{'pdf pages':<10} {'check':<8} {pages:>6} {small:>8.3f} {large:>8.3f} {ratio:>6.2f} {large_peak:>8.1f}"
          f"  (memory ratio {memory:.2f})")
    print("linear" if worst <= 1.0 else "GROWS FASTER THAN LINEAR or over 300 MB")


if __name__ == "__main__":
    main()
