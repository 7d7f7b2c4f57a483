#!/usr/bin/env python3
"""Benchmark `clerk import`: fidelity per field and format, and speed, beside pandoc.

    python3 bench/import.py            # fidelity table, then speed (10 rounds)
    python3 bench/import.py --quick    # 2 rounds

Fidelity: tests/suite/import_fidelity.rs imports every file of the round-trip set
(tests/fixtures/import/set: each example paper as its council's Word template lays it out, and
as PDFs from it) and compares it with the original paper field by field. The goals (issue 13):
100% of money cells and recommendation words, at least 95% of every other field, and no field
silently wrong in any format.

Peer: pandoc 3 (PyPI pypandoc_binary), .docx -> Markdown, the converter a council would reach
for. It is timed on the same files, and its paragraph numbers counted the same way: Word keeps
list numbers out of the text, and pandoc renumbers multi-level lists (1.1 becomes 1).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import QUICK, ROOT, clerk_binary  # noqa: E402

SET = ROOT / "tests" / "fixtures" / "import" / "set"
ROUNDS = 2 if QUICK else 10
NUMBER = re.compile(r"^\s*(?:[-*]\s+)?(\d{1,2}(?:\.\d{1,2})+)\.?\s", re.M)


def pandoc_binary():
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except Exception:
        return None


def fidelity():
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, CLERK_FIDELITY_JSON=out.name)
        run = subprocess.run(
            ["cargo", "test", *([] if os.environ.get("CLERK_BENCH_BINARY") else ["--release"]),
             "--quiet", "--test", "suite", "import_fidelity::", "--", "--nocapture"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        table = json.loads(Path(out.name).read_text() or "{}") if Path(out.name).stat().st_size else {}
    return run, table


def print_fidelity(table):
    formats = sorted(table)
    measures = sorted({m for f in formats for m in table[f]["scores"]})
    print(f"{'measure':<22}" + "".join(f"{f:>18}" for f in formats))
    for m in measures:
        row = f"{m:<22}"
        for f in formats:
            s = table[f]["scores"].get(m)
            row += f"{'-':>18}" if not s else f"{100 * s['matched'] / max(s['total'], 1):>9.1f}% {s['matched']:>3}/{s['total']:<3}"
        print(row)
    for f in formats:
        for s in table[f]["silent"]:
            print(f"silently wrong ({f}): {s}")


def numbers_in(markdown):
    return NUMBER.findall(markdown)


def main():
    files = sorted(p for p in SET.rglob("*") if p.suffix in (".docx", ".pdf"))
    if not files:
        sys.exit(f"no test set in {SET}: run scripts/import-set.sh")
    clerk = clerk_binary()
    print(f"clerk import benchmark: {len(files)} files{' (quick)' if QUICK else ''}\n")

    run, table = fidelity()
    if table:
        print_fidelity(table)
    if run.returncode != 0:
        print(run.stdout[-3000:])
        print("\nthe fidelity goals are not met (tests/suite/import_fidelity.rs failed)")

    docx = [p for p in files if p.suffix == ".docx"]
    best = float("inf")
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([clerk, "import", *files, "--out", out], stdout=subprocess.DEVNULL, check=False)
            best = min(best, time.perf_counter() - start)
    print(f"\nclerk import, all {len(files)} files in one run: {best * 1000:.0f} ms (best of {ROUNDS})")

    pandoc = pandoc_binary()
    if not pandoc:
        print("pandoc not found (pip install pypandoc_binary): no peer comparison")
        return
    best_clerk = best_pandoc = float("inf")
    for _ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([clerk, "import", *docx, "--out", out], stdout=subprocess.DEVNULL, check=False)
            best_clerk = min(best_clerk, time.perf_counter() - start)
        start = time.perf_counter()
        for d in docx:
            subprocess.run([pandoc, str(d), "-t", "gfm"], stdout=subprocess.DEVNULL, check=True)
        best_pandoc = min(best_pandoc, time.perf_counter() - start)
    print(f"Word files ({len(docx)}): clerk {best_clerk * 1000:.0f} ms, pandoc {best_pandoc * 1000:.0f} ms "
          f"(ratio clerk/pandoc {best_clerk / best_pandoc:.2f})")

    # Paragraph numbers: how many of the originals' each tool keeps.
    want = got_clerk = got_pandoc = 0
    with tempfile.TemporaryDirectory() as out:
        for d in docx:
            original = next((ROOT / "papers").rglob(d.parent.name))
            truth = numbers_in((original / f"{d.stem}.md").read_text())
            theirs = subprocess.run([pandoc, str(d), "-t", "gfm"], stdout=subprocess.PIPE, text=True).stdout
            target = Path(out) / d.parent.name
            subprocess.run([clerk, "import", str(d), "--out", str(target)], stdout=subprocess.DEVNULL)
            ours = "".join(p.read_text() for p in target.rglob("*.md"))
            want += len(truth)
            got_clerk += sum(1 for n in truth if n in numbers_in(ours))
            got_pandoc += sum(1 for n in truth if n in numbers_in(theirs))
    if want:
        print(f"paragraph numbers kept from Word: clerk {got_clerk}/{want}, pandoc {got_pandoc}/{want}")


if __name__ == "__main__":
    main()
