#!/usr/bin/env python3
"""Measures clerk on a set of papers written from outside (tests/fixtures/unseen-N): how many
planted slips it reports at their line, what it says of the correct papers, and whether it
flags the tricky-but-correct variants.

    python3 bench/unseen.py tests/fixtures/unseen-6 [more sets…] [--clerk PATH] [--json]

A set holds `clean/` (correct papers, one folder per council with its council.yaml),
`slips/NN-…/` (a copy of one clean paper with one slip planted, and `slip.yaml`: kind, code,
file, line, text, note) and, optionally, `tricky/NN-…/` (a copy with a legitimately tricky but
correct change, and `tricky.yaml`).

A slip is *caught* when clerk reports an error or a warning on the slip's line (a finding that
spans several lines, such as a decision's words, covers each of them; for a table total or
subtotal, on a line of the same table at or below it), *caught as an error* when that
finding is an error, and *with the code* when its code is the one slip.yaml names (the writers
guessed codes from the README, so the code is reported, not required). A finding on a clean
paper is false: the papers are correct. A tricky variant is *flagged* when clerk reports on it
anything it does not report on the clean paper it copies.

The figures of a set's first run go in its README before anything is changed after seeing it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import_yaml_error = None
try:
    import yaml  # type: ignore
except ImportError as e:  # the sets' small YAML files are read by hand below
    yaml = None
    import_yaml_error = e


def field(text, name):
    for line in text.splitlines():
        if line.startswith(name + ":"):
            v = line[len(name) + 1 :].strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]
            return v
    return None


def read_meta(path):
    text = path.read_text(encoding="utf-8")
    if yaml is not None:
        try:
            data = yaml.safe_load(text)
            if isinstance(data, dict):
                return {k: str(v) if v is not None else "" for k, v in data.items()}
        except Exception:
            pass
    return {k: field(text, k) or "" for k in ("kind", "code", "file", "line", "text", "note")}


def findings(clerk, folder):
    out = subprocess.run(
        [clerk, "check", ".", "--format", "json"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        doc = json.loads(out.stdout)
    except json.JSONDecodeError:
        sys.exit(f"{folder}: clerk printed no JSON:\n{out.stdout}\n{out.stderr}")
    result = []
    for d in doc.get("diagnostics", []):
        f = (d.get("file") or "").replace("\\", "/")
        while f.startswith("./"):
            f = f[2:]
        result.append(
            {
                "severity": d.get("severity"),
                "code": d.get("code"),
                "file": f,
                "line": d.get("line") or 0,
                "end_line": d.get("end_line") or d.get("line") or 0,
                "message": d.get("message") or "",
            }
        )
    return result


def key(f):
    """A finding as compared between a clean paper and its copy: code, file and message."""
    return (f["code"], "/".join(f["file"].split("/")[-2:]), f["message"])


def table_lines_below(lines, start, line):
    if line < start:
        return False
    return all(
        0 < l <= len(lines) and lines[l - 1].lstrip().startswith("|") for l in range(start, line + 1)
    )


def measure(clerk, root):
    root = Path(root)
    report = {"set": str(root), "clean": {}, "slips": [], "tricky": []}
    clean_findings = {}
    for council in sorted(p for p in (root / "clean").iterdir() if p.is_dir()):
        fs = findings(clerk, council)
        report["clean"][council.name] = fs
        clean_findings[council.name] = {key(f) for f in fs}
    for kind in ("slips", "tricky"):
        folder = root / kind
        if not folder.is_dir():
            continue
        for case in sorted(p for p in folder.iterdir() if p.is_dir()):
            meta_file = case / ("slip.yaml" if kind == "slips" else "tricky.yaml")
            if not meta_file.is_file():
                continue
            meta = read_meta(meta_file)
            fs = findings(clerk, case)
            # The clean paper it copies: the council folder whose papers it holds.
            papers = {p.name for p in case.iterdir() if p.is_dir()}
            base = next(
                (c for c in report["clean"] if papers & {p.name for p in (root / "clean" / c).iterdir()}),
                None,
            )
            known = clean_findings.get(base, set())
            new = [f for f in fs if key(f) not in known]
            entry = {"case": case.name, "meta": meta, "new": new}
            if kind == "slips":
                line = int(meta.get("line") or 0)
                target = meta.get("file", "")
                src = (case / target).read_text(encoding="utf-8").splitlines() if (case / target).is_file() else []
                total = meta.get("code") in ("C0201", "C0202")
                at = [
                    f
                    for f in fs
                    if f["file"].endswith(target)
                    and (
                        f["line"] <= line <= max(f["line"], f["end_line"])
                        or (total and table_lines_below(src, line, f["line"]))
                    )
                ]
                entry["caught"] = bool(at)
                entry["as_error"] = any(f["severity"] == "error" for f in at)
                entry["with_code"] = any(f["code"] == meta.get("code") for f in at)
                entry["at"] = at
            report[kind].append(entry)
    return report


def summary(r):
    clean = [f for fs in r["clean"].values() for f in fs]
    errors = [f for f in clean if f["severity"] == "error"]
    warnings = [f for f in clean if f["severity"] == "warning"]
    slips = r["slips"]
    caught = sum(s["caught"] for s in slips)
    as_error = sum(s["as_error"] for s in slips)
    with_code = sum(s["with_code"] for s in slips)
    flagged = [t for t in r["tricky"] if t["new"]]
    lines = [
        f"## {r['set']}",
        f"- correct papers: {len(r['clean'])} folders; false errors {len(errors)}, false warnings {len(warnings)}",
    ]
    for f in clean:
        lines.append(f"    {f['severity']}[{f['code']}] {f['file']}:{f['line']}: {f['message'][:160]}")
    n = len(slips) or 1
    lines.append(
        f"- slips: {len(slips)}; caught at their line {caught} ({100 * caught / n:.0f}%), "
        f"as an error {as_error} ({100 * as_error / n:.0f}%), with the code slip.yaml names {with_code}"
    )
    for s in slips:
        mark = "error" if s["as_error"] else ("warning" if s["caught"] else "MISSED")
        codes = ",".join(sorted({f["code"] for f in s["at"]}))
        lines.append(f"    {mark:7} {s['case']} (expected {s['meta'].get('code')}; got {codes or '-'})")
    lines.append(f"- tricky variants: {len(r['tricky'])}; flagged {len(flagged)}")
    for t in flagged:
        for f in t["new"]:
            lines.append(f"    {t['case']}: {f['severity']}[{f['code']}] {f['file']}:{f['line']}: {f['message'][:140]}")
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    clerk = os.environ.get("CLERK", "target/release/clerk")
    as_json = False
    sets = []
    i = 0
    while i < len(args):
        if args[i] == "--clerk":
            clerk = args[i + 1]
            i += 2
            continue
        if args[i] == "--json":
            as_json = True
        else:
            sets.append(args[i])
        i += 1
    if not sets:
        sys.exit(__doc__)
    clerk = str(Path(clerk).resolve())
    reports = [measure(clerk, s) for s in sets]
    if as_json:
        print(json.dumps(reports, indent=1))
    else:
        print("\n\n".join(summary(r) for r in reports))


if __name__ == "__main__":
    main()
