"""A synthetic corpus shaped like the bundled papers, for the benchmarks.

Each synthetic paper is a copy of one of the example papers in papers/ (report, and record where
there is one: tables, figures, about 15 KB) with a decision number of its own, so every check
and every page is real work.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# `--quick`: small corpora, for CI and a first look. Every benchmark takes it.
QUICK = "--quick" in sys.argv
# The other arguments (sizes), without the flag.
ARGS = [a for a in sys.argv[1:] if a != "--quick"]


def clerk_binary():
    """The clerk to time: a release build of the checkout, or the binary CLERK_BENCH_BINARY names
    (CI's quick run uses its test build: the run shows the benchmarks still work, and its
    timings mean little)."""
    given = os.environ.get("CLERK_BENCH_BINARY")
    if given:
        return Path(given)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    return ROOT / "target" / "release" / "clerk"


def templates():
    """(folder name, {file name: text}, council.yaml path) for every example paper."""
    out = []
    for report in sorted((ROOT / "papers").rglob("report.md")):
        files = {p.name: p.read_text(encoding="utf-8") for p in report.parent.glob("*.md")}
        council = next((p / "council.yaml" for p in report.parents if (p / "council.yaml").exists()), None)
        out.append((report.parent.name, files, council))
    return out


def generate(dest: Path, n: int):
    """Writes n papers under dest, grouped under a copy of each paper's council.yaml."""
    kinds = templates()
    made = set()
    for i in range(n):
        name, files, council = kinds[i % len(kinds)]
        group = dest / f"council-{council.parent.name if council else 'none'}"
        if council and group not in made:
            group.mkdir(parents=True, exist_ok=True)
            shutil.copy(council, group / "council.yaml")
            made.add(group)
        folder = group / f"{i:05d}-{name}"
        folder.mkdir(parents=True)
        number = f"{90 + i // 100000:02d}/{i % 100000:05d}"
        for fname, text in files.items():
            lines = [f'decision_number: "{number}"\n' if line.startswith("decision_number:") else line
                     for line in text.splitlines(keepends=True)]
            (folder / fname).write_text("".join(lines), encoding="utf-8")
