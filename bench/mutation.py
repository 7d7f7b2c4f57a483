#!/usr/bin/env python3
"""The mutation test of the reconciliation engine (issue 18).

For every amount `clerk check` explains in the correct papers (papers/ and the clean papers
of tests/fixtures/unseen*), plant one edit at a time (two digits swapped, one digit changed,
a zero added, a digit dropped, "k" for "m", the "m" left off) and check the paper again.
Prints the share of mutants caught as a slip (an error at the amount's line) and the share
flagged at all (an error or a warning at its line), per edit and in all.

    python3 bench/mutation.py            # every paper
    python3 bench/mutation.py --quick    # the first eight papers, for CI
"""
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import QUICK, clerk_binary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.95


def papers():
    """Every paper folder (one holding report.md) of the correct sets."""
    roots = [ROOT / "papers"] + sorted((ROOT / "tests/fixtures").glob("unseen*/clean"))
    found = []
    for root in roots:
        found.extend(sorted(p.parent for p in root.rglob("report.md")))
    return found


def check(binary, tree):
    out = subprocess.run([str(binary), "check", str(tree), "--format", "json"],
                         capture_output=True, text=True).stdout
    return json.loads(out)


def digit_positions(text):
    return [i for i, c in enumerate(text) if c.isdigit()]


def mutants(text):
    """(edit, mutated text) for each edit that applies to an amount as written."""
    out = []
    pos = digit_positions(text)
    chars = list(text)
    for a, b in zip(pos, pos[1:]):
        if b == a + 1 and chars[a] != chars[b]:
            m = chars[:]
            m[a], m[b] = m[b], m[a]
            out.append(("swapped", "".join(m)))
            break
    significant = [i for i in pos if text[i] != "0"]
    if len(significant) >= 1:
        i = significant[-1]
        m = chars[:]
        m[i] = str((int(m[i]) + 1) % 10)
        out.append(("changed", "".join(m)))
    if pos:
        i = pos[0] + 1
        out.append(("zero added", text[:i] + "0" + text[i:]))
    if len(pos) >= 3:
        i = pos[1]
        out.append(("digit dropped", text[:i] + text[i + 1:]))
    lower = text.lower()
    if lower.endswith("m"):
        out.append(("k for m", text[:-1] + "k"))
        out.append(("m left off", text[:-1]))
    return [(e, t) for e, t in out if t != text]


def place(source, line, column, text):
    """The byte offset of `text` at 1-based line and column (in characters)."""
    lines = source.split("\n")
    if line - 1 >= len(lines):
        return None
    start = sum(len(l) + 1 for l in lines[:line - 1])
    at = start + len(lines[line - 1][:column - 1])
    return at if source[at:at + len(text)] == text else None


def main():
    binary = clerk_binary()
    chosen = papers()[:8] if QUICK else papers()
    caught, flagged, total = Counter(), Counter(), Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for paper in chosen:
            base = check(binary, paper)
            explained = [a for a in base.get("amounts", []) if a["verdict"] == "explained"]
            for a in explained:
                src_file = ROOT / a["file"] if not Path(a["file"]).is_absolute() else Path(a["file"])
                rel = src_file.relative_to(paper)
                source = src_file.read_text(encoding="utf-8")
                at = place(source, a["line"], a["column"], a["text"])
                if at is None:
                    continue
                for edit, text in mutants(a["text"]):
                    work = Path(tmp) / "paper"
                    if work.exists():
                        shutil.rmtree(work)
                    shutil.copytree(paper, work)
                    for council in paper.parents:
                        if (council / "council.yaml").is_file():
                            shutil.copy(council / "council.yaml", Path(tmp) / "council.yaml")
                            break
                    (work / rel).write_text(source[:at] + text + source[at + len(a["text"]):],
                                            encoding="utf-8")
                    doc = check(binary, work)
                    here = [d for d in doc["diagnostics"]
                            if d.get("file", "").endswith(str(rel)) and d.get("line") == a["line"]]
                    total[edit] += 1
                    if any(d["severity"] == "error" for d in here):
                        caught[edit] += 1
                    if here:
                        flagged[edit] += 1
    print(f"mutation test over {len(chosen)} correct papers ({sum(total.values())} mutants)")
    print(f"{'edit':<14} {'mutants':>8} {'slip (error)':>13} {'flagged':>8}")
    for edit in sorted(total):
        n = total[edit]
        print(f"{edit:<14} {n:>8} {caught[edit] / n:>13.1%} {flagged[edit] / n:>8.1%}")
    n = sum(total.values()) or 1
    share = sum(caught.values()) / n
    print(f"{'all':<14} {n:>8} {share:>13.1%} {sum(flagged.values()) / n:>8.1%}")
    print(f"goal: {GOAL:.0%} caught as a slip at its line: {'met' if share >= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
