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

echo "done: $set_dir, $refused"
