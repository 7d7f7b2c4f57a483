#!/usr/bin/env python3
"""What clerk reads of real council papers (issue 19): every PDF in ../shared/real/kent (95 papers
Kent County Council published; see that folder's README, they are not in the repository) is
checked as `clerk check FILE --format json` checks it, and per document and in total it prints
the share of the text placed, the tables found, the money cells read as money, the header fields
read and how many are marked `# import: check`, and the findings by code (errors marked `!`).
A document with less than 90% of its text placed must have error C1104: the last line counts
those that pass without it (the goal is none).

    python3 bench/real.py            # every PDF, release build
    python3 bench/real.py --quick    # the same, on the test build (CI)

Skips, with a message, when the folder is not there. CLERK_REAL_DIR names another folder.
"""
import json
import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import clerk_binary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
READ_ENOUGH = 0.90


def real_dir():
    """CLERK_REAL_DIR, else ../shared/real/kent beside the repository (beside the main
    checkout, for a git worktree)."""
    given = os.environ.get("CLERK_REAL_DIR")
    if given:
        return Path(given) if Path(given).is_dir() else None
    roots = [ROOT]
    git = ROOT / ".git"
    if git.is_file():
        link = git.read_text().strip()
        if link.startswith("gitdir:"):
            path = Path(link[len("gitdir:"):].strip())
            for parent in [path, *path.parents]:
                if parent.name == ".git":
                    roots.append(parent.parent)
                    break
    for root in roots:
        folder = root.parent / "shared" / "real" / "kent"
        if folder.is_dir():
            return folder
    return None


def check(binary: Path, pdf: Path) -> dict:
    result = subprocess.run([str(binary), "check", str(pdf), "--format", "json", "--color", "never"],
                            capture_output=True, text=True, timeout=600)
    try:
        doc = json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"name": pdf.name, "refused": result.stdout.strip() or result.stderr.strip()[:200]}
    read = (doc.get("read") or [{}])[0]
    codes = Counter()
    for d in doc.get("diagnostics", []):
        codes[d["code"] + ("!" if d["severity"] == "error" else "")] += 1
    return {"name": pdf.name, "read": read, "codes": codes, "exit": result.returncode}


def main():
    folder = real_dir()
    if folder is None:
        print("real.py: skipped: ../shared/real/kent is not here (the real papers are kept outside "
              "the repository; CLERK_REAL_DIR names another folder)")
        return
    binary = clerk_binary()
    pdfs = sorted(folder.glob("*.pdf"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda p: check(binary, p), pdfs))
    print(f"{'placed':>7} {'tables':>6} {'money':>6} {'fields':>6} {'marked':>6}  document  findings")
    total = Counter()
    codes = Counter()
    unread_passing = []
    refused = []
    for r in results:
        if "refused" in r:
            refused.append(r)
            print(f"{'-':>7} {'-':>6} {'-':>6} {'-':>6} {'-':>6}  {r['name']}  refused: {r['refused'][:120]}")
            continue
        read, found = r["read"], r["codes"]
        share = read.get("share_placed", 0.0)
        for key in ("characters", "placed", "tables", "money_cells", "fields", "fields_marked"):
            total[key] += read.get(key, 0)
        total["documents"] += 1
        codes.update(found)
        if share < READ_ENOUGH and not found.get("C1104!"):
            unread_passing.append(r["name"])
        listed = ", ".join(f"{c} {n}" for c, n in sorted(found.items()))
        print(f"{share:>7.1%} {read.get('tables', 0):>6} {read.get('money_cells', 0):>6} "
              f"{read.get('fields', 0):>6} {read.get('fields_marked', 0):>6}  {r['name'][:70]}  {listed}")
    share = total["placed"] / total["characters"] if total["characters"] else 1.0
    read_enough = sum(1 for r in results if "read" in r and r["read"].get("share_placed", 0) >= READ_ENOUGH)
    print()
    print(f"{len(pdfs)} documents: {read_enough} read (>= 90% of their text placed), "
          f"{len(pdfs) - read_enough - len(refused)} refused with C1104, {len(refused)} refused before reading")
    print(f"text placed {share:.1%} ({total['placed']:,} of {total['characters']:,} characters); "
          f"{total['tables']} tables; {total['money_cells']:,} money cells; "
          f"{total['fields']} header fields, {total['fields_marked']} marked `# import: check`")
    print("findings by code (! errors): " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
    print(f"documents mostly unread that pass: {len(unread_passing)}"
          + (f" ({', '.join(unread_passing)})" if unread_passing else ""))


if __name__ == "__main__":
    main()
