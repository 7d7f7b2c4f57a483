#!/usr/bin/env bash
# Remakes the round-trip test set of `clerk import` (issue 13, item 4) from the example papers:
#
#   tests/fixtures/import/set/<paper>/{report,decision}.docx          examples/import_set.rs (docx-rs)
#   tests/fixtures/import/set/<paper>/{report,decision}.untagged.pdf  LibreOffice, untagged
#   tests/fixtures/import/set/<paper>/{report,decision}.tagged.pdf    LibreOffice, tagged PDF
#   tests/fixtures/import/set/<paper>/{report,decision}.typst.pdf     clerk build (typst, PDF/UA-1)
#   tests/fixtures/import/refused/                                    files an import must refuse
#
# Needs: cargo, LibreOffice (Debian `libreoffice-writer`), poppler-utils (pdftoppm), qpdf, and the
# typst that `clerk build` installs into ~/.cache/clerk. The files are committed, so CI needs none
# of this; run it again after changing a paper in papers/ or the generator.
#
# Usage: scripts/import-set.sh            (from anywhere in the repository)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
set_dir=tests/fixtures/import/set
refused=tests/fixtures/import/refused
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in soffice qpdf pdftoppm; do
  command -v "$tool" >/dev/null || { echo "import-set: $tool is missing" >&2; exit 2; }
done

# LibreOffice's own profile, so that no user setting (or a running instance) changes the output.
lo_profile="file://$work/lo-profile"
soffice_pdf() { # FILE.docx OUT.pdf tagged(true|false)
  local out_dir="$work/lo-out"
  rm -rf "$out_dir" && mkdir -p "$out_dir"
  soffice -env:UserInstallation="$lo_profile" --headless \
    --convert-to "pdf:writer_pdf_Export:{\"UseTaggedPDF\":{\"type\":\"boolean\",\"value\":\"$3\"}}" \
    --outdir "$out_dir" "$1" >/dev/null 2>&1
  # LibreOffice writes the time into /CreationDate and derives /ID and /DocChecksum from it:
  # the only bytes that differ between two runs. Fixed here, each at its own length, so the
  # cross-reference table stays right and a rerun on the same machine is byte-identical.
  python3 - "$out_dir/$(basename "${1%.docx}").pdf" "$2" <<'PY'
import hashlib, re, sys
data = open(sys.argv[1], "rb").read()
data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20210101000000", data)
data = re.sub(rb"/ModDate\(D:\d{14}", b"/ModDate(D:20210101000000", data)
head, tail = data[: data.rindex(b"trailer")], data[data.rindex(b"trailer") :]
ids = re.compile(rb"(/ID \[ <|>\s*<|/DocChecksum /)[0-9A-F]{32}")
digest = hashlib.md5(head + ids.sub(lambda m: m.group(1) + b"0" * 32, tail)).hexdigest()
data = head + ids.sub(lambda m: m.group(1) + digest.upper().encode(), tail)
open(sys.argv[2], "wb").write(data)
PY
}

echo "1. the Word files (examples/import_set.rs)"
rm -rf "$set_dir" && mkdir -p "$set_dir"
cargo run -q --example import_set -- "$set_dir"

# Each council.yaml where papers/ has one, so `clerk check FILE.docx` finds its council.
(cd papers && find . -name council.yaml) | while read -r c; do
  mkdir -p "$set_dir/$(dirname "$c")" && cp "papers/$c" "$set_dir/$c"
done

echo "2. LibreOffice: each .docx to an untagged and a tagged PDF"
find "$set_dir" -name '*.docx' | sort | while read -r docx; do
  base="${docx%.docx}"
  soffice_pdf "$docx" "$base.untagged.pdf" false
  soffice_pdf "$docx" "$base.tagged.pdf" true
  echo "   $base.{untagged,tagged}.pdf"
done

echo "3. clerk's own PDFs (typst)"
cargo run -q --bin clerk -- build papers --out "$work/build" >/dev/null 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; exit 1; }
find "$set_dir" -name '*.docx' | sort | while read -r docx; do
  rel="${docx#"$set_dir"/}"
  pdf="$work/build/${rel%.docx}.pdf"
  [ -f "$pdf" ] || { echo "import-set: clerk build wrote no $pdf" >&2; exit 1; }
  cp "$pdf" "${docx%.docx}.typst.pdf"
done

echo "4. files an import must refuse"
rm -rf "$refused" && mkdir -p "$refused"
early="$set_dir/20-00017-early-help"
# A scan: page 1 of the report as an image, no text layer at all.
pdftoppm -r 90 -gray -jpeg -jpegopt quality=60 -f 1 -l 1 -singlefile "$early/report.untagged.pdf" "$work/scan"
cat >"$work/scan.typ" <<'TYP'
#set page(paper: "a4", margin: 0pt)
#set document(title: "Scanned report", date: datetime(year: 2020, month: 5, day: 1))
#image("scan.jpg", width: 100%, alt: "A scanned page")
TYP
typst=$(ls -d "$HOME"/.cache/clerk/typst-*/bin/typst 2>/dev/null | sort | tail -n 1)
[ -x "$typst" ] || { echo "import-set: no typst in ~/.cache/clerk (run clerk build once)" >&2; exit 2; }
"$typst" compile --ignore-system-fonts --creation-timestamp 1588291200 "$work/scan.typ" "$refused/scanned.pdf"
# Password-protected: the report's own PDF, AES-256, user password "user", owner "owner".
# qpdf draws a new key each run (and refuses --deterministic-id with encryption): not byte-stable.
qpdf --encrypt user owner 256 -- "$early/report.untagged.pdf" "$refused/password.pdf" || [ $? -eq 3 ]
# Not Word at all: a text file with a .docx name.
sed -n '1,40p' papers/20-00017-early-help/report.md >"$refused/not-word.docx"

echo "5. the papers as published (tests/fixtures/seeds, real slips and all): Word and untagged PDF"
seeds_dir=tests/fixtures/import/seeds
rm -rf "$seeds_dir" && mkdir -p "$seeds_dir"
cargo run -q --example import_set -- "$seeds_dir" tests/fixtures/seeds
# Each council.yaml where the seeds have one, so `clerk check FILE.docx` finds its council.
(cd tests/fixtures/seeds && find . -name council.yaml) | while read -r c; do
  mkdir -p "$seeds_dir/$(dirname "$c")" && cp "tests/fixtures/seeds/$c" "$seeds_dir/$c"
done
find "$seeds_dir" -name '*.docx' | sort | while read -r docx; do
  soffice_pdf "$docx" "${docx%.docx}.untagged.pdf" false
done

echo "6. $set_dir/README.md"
{
  cat <<'README'
# The round-trip test set of `clerk import` (issue 13, item 4)

(Written by `scripts/import-set.sh`: edit it there.)

Each example paper in `papers/`, as its council publishes it: a Word file laid out as the council's
template lays out its papers, and PDFs of it. An import of any of these files is measured against
the original in `papers/` (the truth: header fields, recommendation texts, paragraph numbers,
every table cell, contacts). The layouts follow the real published papers in `shared/seeds/`.

| folder | original | seed the layout follows |
| --- | --- | --- |
| `20-00017-early-help/` | `papers/20-00017-early-help/` | 000 (report), 001 (record of decision) |
| `20-00102-community-support/` | `papers/20-00102-community-support/` | 002 (report, and its Appendix A: the proposed record) |
| `central-bedfordshire/support-services-recommissioning/` | same path under `papers/` | 003 |
| `children-in-care-update/` | `papers/children-in-care-update/` | 004 |

In each folder, for `report` and, where the paper has one, `decision`:

| file | made by | what it is |
| --- | --- | --- |
| `NAME.docx` | `examples/import_set.rs` (docx-rs 0.4.22) | the Word file |
| `NAME.untagged.pdf` | LibreOffice 7.4 headless, `writer_pdf_Export` | the .docx as an untagged PDF: text and geometry only |
| `NAME.tagged.pdf` | the same, with `UseTaggedPDF` | the .docx as a tagged PDF (structure tree: H1, L/LI, Table/TR/TH/TD with RowSpan/ColSpan) |
| `NAME.typst.pdf` | `clerk build` (typst 0.15.1) | clerk's own PDF of the original: tagged PDF/UA-1, a different layout |

`../refused/` holds files an import must refuse with a clear error, never a guess:
`scanned.pdf` (page 1 of the 20/00017 report as a greyscale image, no text layer),
`password.pdf` (the 20/00017 report, AES-256, user password `user`, owner password `owner`) and
`not-word.docx` (a Markdown file with a .docx name: not a zip).

## What the Word files hold

- **Numbering is Word's, never typed text.** numbering.xml has one abstractNum per kind of list:
  2 = sections and paragraphs (`%1.`, then `%1.%2.` for 20/00017 and Central Bedfordshire, `%1.%2`
  for 20/00102 and the 2014 paper, then `%1.%2.%3.` / `%1.%2.%3`), 3 = bullets, 4 = lowerRoman
  `%1.` (i., ii.), 5 = decimal `%1.`, 6 = lowerLetter `%1)` (a), b)). (abstractNum 1 and num 1 are
  docx-rs's default, written always and used by nothing.) Section headings (Heading 1 style) point
  at num 2 with ilvl 0, numbered paragraphs with ilvl 1 ("1.1") or 2 ("2.3.1"); Word's default
  lvlRestart starts each section's paragraphs at 1. Every list has a num of its own; every list
  after the first of its abstractNum in a document restarts with `lvlOverride`/`startOverride`
  (e.g. 20/00017's recommendations appear twice, the second time through a restarting num).
  Markers the author typed in the Markdown ("- i. Services to Young Carers", "- a) Extend…") are
  written as numbering of the same format, the marker taken out of the text. Typed numbers that
  are not a list stay typed ("1.The use of…" in Central Bedfordshire's legal implications).
- **Recommendations** are a Word list: lowerRoman for 20/00017, decimal for Central Bedfordshire,
  bullets for the 2014 paper (as its seed shows); 20/00102's body has them as plain paragraphs, and
  so does its Word file. The records' decisions are lowerRoman (20/00017) or decimal (20/00102).
- **Tables** are Word tables; the first row is a header row (`w:tblHeader`, repeated on each
  page), total rows are bold. Figure 1 of 20/00017 (report and record): "C. Family Support" is
  merged down over the Project Salus row (`vMerge` restart/continue), and the labels "Total current
  Spend" and "Total revised projected spend" span two columns (`gridSpan` 2). In Central
  Bedfordshire's Next Steps, "Procurement process" is merged down over its second line. A merged
  (continued) cell is an empty cell in the original: resolve a vMerge to an empty cell, and a
  gridSpan to the label followed by empty cells. Captions ("Figure 1: Current spend per annum")
  are paragraphs in the Caption style above the table.
- **Header blocks** as the seeds show them. Kent reports (000, 002): one paragraph per field,
  bold label, a tab, the value ("Subject:⇥Early Help Recommissioning"; 20/00102 adds "Decision
  number and title: 20/00102 - Community Support Services…" and "Key decision affecting more than
  2 electoral divisions…"); "Summary:" and "Recommendation:" / "Recommendation(s):" are bold label
  paragraphs, not headings. Kent 2014 (004): a borderless two-column table ("From", "To:",
  "Subject:", "Classification:"), and "Summary:" shares its paragraph with the first paragraph of
  the summary. Central Bedfordshire (003): the council's name (Title style), then a borderless
  two-column table ("COMMITTEE", "Date" as "September 11th 2018", "Report title", "Report of:",
  "Responsible Director(s):"); its sections are Heading 1, numbered or not as in the paper.
  Records (001, 002): "KENT COUNTY COUNCIL – [PROPOSED ]RECORD OF DECISION" (Title style), a
  two-cell box "DECISION [TO BE ]TAKEN BY:" + name and role | "DECISION NO:" + number, then
  paragraphs: classification (or "For publication"), "Key decision: YES" (or "Key decision" /
  "Reason: …"), "Subject: …", "Decision:", "Reason(s) for decision:", the body's sections as bold
  labels (20/00102: with a colon, a one-paragraph section in one paragraph: "Legal implications:
  N/A."), "Any alternatives considered[ and rejected]:", the interests/dispensation line, and a
  borderless signature table ("signed" | the date).
- **Text** is the Markdown's as clerk renders it (`render::view`): `{{ fig.x }}` filled in as clerk
  shows it (£100k, £425,484.88), `{{ recommendations }}` expanded, `{#figure-1}` anchors dropped,
  emphasis as bold/italic runs, links as their text, soft breaks as line breaks. Contacts are the
  body's own contact details section, which gives name, role, phone and email as each seed does
  (clerk's PDF also lists the front matter's contacts there; the Word files do not repeat them).
- Core properties: title (the paper's title), author (the council) and fixed created/modified
  dates (2021-01-01); zip entries are dated 1980-01-01.

## What the originals have that the files cannot show

- The front matter's `figures`, `outside_amounts`, `forward_plan_date`, `decision_maker` of a
  report and `key_decision` of a report that prints none (20/00017's report): a Word paper has no
  place for them. An import should mark such fields to check, not invent them.
- Decision and recommendation ids are list positions (i, ii… or 1, 2…): nothing in the file names
  them. 20/00102's recommendation 1 has a separate `decision` text: the record shows it.
- Interests and dispensations are one line in Kent's record ("Any interest declared … and any
  dispensation granted …: None"), two fields in the original (both "None").
- Style-inherited numbering (numPr in a paragraph style) is not exercised: docx-rs 0.4.22 writes
  no numPr in styles.

## How to remake it

```sh
scripts/import-set.sh
```

It needs cargo, LibreOffice (Debian `libreoffice-writer`), poppler-utils, qpdf, python3 and the
typst that `clerk build` installs into `~/.cache/clerk`. It rewrites `set/` and `../refused/`.

Byte-stable on rerun (same machine, same tool versions): the .docx files, the typst PDFs, the
LibreOffice PDFs (the script fixes LibreOffice's `/CreationDate` and derives `/ID` and
`/DocChecksum` from the content instead of the clock) and `scanned.pdf`. **Not byte-stable:**
`refused/password.pdf` (qpdf draws a new key and ID each run, and refuses `--deterministic-id`
with encryption). Other LibreOffice or typst versions, or other fonts (LibreOffice substitutes
Liberation Sans for Arial), change the PDFs' layout; their text stays the same.

## What LibreOffice's PDFs are like

- Both carry the rendered numbers as text ("1.1.", "iii.", "a)").
- The tagged PDF has no `Lbl` elements: a list item is `LI` > `LBody` > `P`, and the label ("ii.",
  "1.3.") is the first text of that `P`. Every numbered paragraph is an `L` of its own (one `LI`),
  since unnumbered paragraphs come between them. A numbered heading is `H1` with "1." as its first
  text. Header-block paragraphs are plain `P`s with the label and value as two texts.
- In the tagged PDF, Figure 1's header row is `TH`, "C. Family Support" has `/RowSpan 2` (the
  continued cell is absent from the next `TR`) and the two total labels have `/ColSpan 2`.
README
  echo
  echo "## The files of this run"
  echo
  echo "Made with $(soffice --version 2>/dev/null | head -n 1 | cut -d' ' -f1-2), $("$typst" --version),"
  echo "$(qpdf --version | head -n 1) and docx-rs $(sed -n '/^name = "docx-rs"/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)."
  echo
  echo "| file | bytes | sha256 (first 16) |"
  echo "| --- | ---: | --- |"
  (cd tests/fixtures/import && find set refused -type f ! -name README.md | sort | while read -r f; do
    case "$f" in
      refused/password.pdf) echo "| \`$f\` | about $(( $(wc -c <"$f") / 1000 )) kB | differs each run |" ;;
      *) echo "| \`$f\` | $(wc -c <"$f") | \`$(sha256sum "$f" | cut -c1-16)\` |" ;;
    esac
  done)
} >"$set_dir/README.md"

echo "done: $set_dir, $refused"
