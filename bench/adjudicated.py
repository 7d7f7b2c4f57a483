#!/usr/bin/env python3
"""The errors clerk raises on the real Kent papers (../shared/real/kent, not in the repository),
scored against the hand judgements in tests/fixtures/real/kent/adjudication/*.tsv: each error
found is counted as judged true, true but only a rounding difference, false, or not yet judged
(a finding no earlier judgement saw: judge it by hand and add it to a new adjudication file).

    python3 bench/adjudicated.py [--clerk PATH]

The goal (issue 18) is at most one false error per 20 papers. Skips, with a message, when the
folder of PDFs is not there; CLERK_REAL_DIR names another folder.
"""
import csv
import json
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import clerk_binary  # noqa: E402
from real import real_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def judgements():
    """Every judged finding, by (pdf, code, message), from every adjudication file."""
    out = {}
    for tsv in sorted((ROOT / "tests/fixtures/real/kent/adjudication").glob("*.tsv")):
        with open(tsv, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                out[(row["pdf"], row["code"], " ".join(row["message"].split()))] = row["verdict"]
    return out


def errors(binary, pdf):
    run = subprocess.run([str(binary), "check", str(pdf), "--format", "json", "--color", "never"],
                         capture_output=True, text=True, timeout=300)
    try:
        found = json.loads(run.stdout)["diagnostics"]
    except (ValueError, KeyError):
        return [(pdf.name, "-", "clerk gave no JSON")]
    # Judged with clerk run inside the folder: messages name the file without its folder.
    said = lambda m: " ".join(m.replace(f"{pdf.parent}/", "").split())  # noqa: E731
    return [(pdf.name, d["code"], said(d["message"])) for d in found if d["severity"] == "error"]


def main():
    folder = real_dir()
    if folder is None:
        print("bench/adjudicated.py: ../shared/real/kent is not here; skipped")
        return 0
    args = sys.argv[1:]
    binary = Path(args[args.index("--clerk") + 1]) if "--clerk" in args else clerk_binary()
    pdfs = sorted(folder.glob("*.pdf"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = [e for es in pool.map(lambda p: errors(binary, p), pdfs) for e in es]
    judged = judgements()
    verdicts = Counter(judged.get(e, "not judged") for e in found)
    print(f"{len(pdfs)} papers, {len(found)} errors: " + ", ".join(
        f"{v} {n}" for v, n in sorted(verdicts.items())))
    false = verdicts.get("FALSE", 0)
    print(f"false errors per 20 papers: {false * 20 / max(len(pdfs), 1):.1f} (goal: 1 or fewer; "
          f"{verdicts.get('not judged', 0)} not yet judged)")
    for e in found:
        if e not in judged:
            print(f"  not judged: {e[0]}: {e[1]}: {e[2][:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
