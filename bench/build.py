#!/usr/bin/env python3
"""Benchmark `clerk build` against the tools a council would otherwise script.

    python3 bench/build.py             # the targets of issue 3 (takes a few minutes)
    python3 bench/build.py --quick     # smaller corpora, for a quick look

Peers, on a synthetic corpus shaped like the bundled papers (bench/corpus.py):
- pandoc 3 (PyPI pypandoc_binary), Markdown -> HTML, one process per paper, two at a time;
- raw `typst compile` of clerk's own staged documents (the data.json files clerk writes beside
  each page, with clerk's template), two at a time, as clerk runs them.
Prints each result and its ratio to the target (at or under 1.00 meets it).
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import QUICK, ROOT, clerk_binary, generate  # noqa: E402

HTML_PAPERS = 200 if QUICK else 1000
PDF_PAPERS = 20 if QUICK else 100
NOOP_PAPERS = 200 if QUICK else 1000
PANDOC_PAPERS = 30 if QUICK else 100
CORES = os.cpu_count() or 2


def typst_binary():
    cache = Path(os.environ.get("CLERK_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clerk")
    path = cache / "typst-0.15.1" / "bin" / "typst"
    if not path.exists():
        sys.exit(f"typst 0.15.1 not found at {path}: run `bash scripts/test.sh` or clerk build once to install it")
    return path


def pandoc_binary():
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except Exception:
        sys.exit("pandoc not found: pip install pypandoc_binary")


def timed(cmd, **kw):
    """Wall seconds and peak resident MB of one command."""
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name, *map(str, cmd)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
        seconds = time.perf_counter() - start
        peak = int(stats.read().strip().splitlines()[-1]) / 1024
    if result.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed: {result.stderr.decode()[-2000:]}")
    return seconds, peak


def two_at_a_time(commands):
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for result in pool.map(lambda c: subprocess.run(c, capture_output=True), commands):
            if result.returncode != 0:
                sys.exit(f"{commands[0][0]} failed: {result.stderr.decode()[-2000:]}")
    return time.perf_counter() - start


rows = []


def report(name, value, unit, target, better="lower"):
    ratio = value / target if better == "lower" else target / value
    rows.append(ratio)
    print(f"{name:<44} {value:>10.3f} {unit:<10} target {'<' if better == 'lower' else '>'} {target:<8g} ratio {ratio:.2f}")


def main():
    clerk = clerk_binary()
    typst = typst_binary()
    pandoc = pandoc_binary()
    print(f"clerk build benchmark on {CORES} cores{' (quick)' if QUICK else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        # HTML: clerk against pandoc.
        tree = tmp / "html-tree"
        generate(tree, HTML_PAPERS)
        out = tmp / "html-out"
        seconds, peak_html = timed([clerk, "build", tree, "--out", out, "--no-pdf"])
        clerk_rate = HTML_PAPERS / seconds
        report(f"HTML, {HTML_PAPERS} papers (s)", seconds, "s", 1.0 * HTML_PAPERS / 1000)
        reports = sorted(tree.rglob("report.md"))[:PANDOC_PAPERS]
        pandoc_out = tmp / "pandoc"
        pandoc_out.mkdir()
        pandoc_seconds = two_at_a_time([[pandoc, "-f", "markdown", "-t", "html5", "-s", "--metadata", "title=Paper",
                                         str(r), "-o", str(pandoc_out / f"{i}.html")] for i, r in enumerate(reports)])
        pandoc_rate = len(reports) / pandoc_seconds
        print(f"{'  pandoc, two at a time (papers/s)':<44} {pandoc_rate:>10.1f}")
        print(f"{'  clerk (papers/s)':<44} {clerk_rate:>10.1f}")
        report("HTML speed-up over pandoc (x)", clerk_rate / pandoc_rate, "x", 50, better="higher")

        # No-op rebuild, HTML and PDFs cached.
        tree = tmp / "noop-tree"
        generate(tree, NOOP_PAPERS)
        out = tmp / "noop-out"
        first, peak_full = timed([clerk, "build", tree, "--out", out, "--jobs", CORES])
        print(f"{'  first full build with PDFs (s)':<44} {first:>10.1f}")
        seconds, peak_noop = timed([clerk, "build", tree, "--out", out, "--jobs", CORES])
        report(f"no-op rebuild, {NOOP_PAPERS} papers (s)", seconds, "s", 0.3 * NOOP_PAPERS / 1000)

        # PDF: clerk against raw typst on the same staged documents.
        tree = tmp / "pdf-tree"
        generate(tree, PDF_PAPERS)
        out = tmp / "pdf-out"
        clerk_pdf, _ = timed([clerk, "build", tree, "--out", out, "--jobs", 2])
        staged = []
        # Every template clerk stages (paper.typ imports clerk.typ), copied as clerk copies them.
        templates = sorted((ROOT / "templates" / "typst").glob("*.typ"))
        for i, pdf in enumerate(sorted(out.rglob("*.pdf"))):
            stage = tmp / "staged" / str(i)
            stage.mkdir(parents=True)
            for template in templates:
                shutil.copy(template, stage / template.name)
            shutil.copy(pdf.with_suffix(".json"), stage / "data.json")
            staged.append([str(typst), "compile", "--root", str(stage), "--ignore-system-fonts", "--pdf-standard", "ua-1",
                           "--creation-timestamp", "0", str(stage / "paper.typ"), str(stage / "out.pdf")])
        raw = two_at_a_time(staged)
        print(f"{'  raw typst, ' + str(len(staged)) + ' documents (s)':<44} {raw:>10.3f}")
        print(f"{'  clerk build, ' + str(PDF_PAPERS) + ' papers (s)':<44} {clerk_pdf:>10.3f}")
        report("PDF time over raw typst (x)", clerk_pdf / raw, "x", 1.15)

        peak = max(peak_html, peak_full, peak_noop)
        report("peak memory (MB)", peak, "MB", 500)
    print("meets targets" if all(r <= 1.0 for r in rows) else "MISSES a target (ratio above 1.00)")


if __name__ == "__main__":
    main()
