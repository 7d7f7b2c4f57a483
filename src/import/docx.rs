//! The Word reader: a .docx's body as paragraphs and tables, with the list numbers a reader
//! sees rebuilt from numbering.xml (Word keeps "1.1", "2.3", "ii." out of the text).
//!
//! docx-rs parses the package; some of what it reads (level text, start values, cell spans,
//! bold) sits in private fields, and is read through the JSON form docx-rs serialises, which
//! is that crate's documented output.

use std::collections::BTreeMap;

use docx_rs::{
    DocumentChild, Docx, Paragraph as WordParagraph, ParagraphChild, RunChild, Table as WordTable,
    TableCellContent, TableChild, TableRowChild,
};
use serde_json::Value;

use super::contain::contain;
use super::document::{
    Block, Cell, Document, Format, ImportError, ListMark, Origin, Paragraph, Table,
};
use super::limits::{Budget, LIST_LABEL, LIST_LABELS};
use super::numbering::{Counters, Level, ListDefs};

pub mod package;

/// The magic bytes of an OLE compound file: how Word saves a password-protected .docx (and
/// how old .doc files look).
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads a .docx's body.
pub fn read_docx(bytes: &[u8]) -> Result<Document, ImportError> {
    if bytes.starts_with(&OLE_MAGIC) {
        // An encrypted .docx is an OLE container holding "EncryptedPackage"; a .doc is too,
        // and neither can be read without Word.
        return Err(
            if contains(bytes, b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e") {
                ImportError::Encrypted
            } else {
                ImportError::Malformed(
                    "it is an old Word .doc (or another OLE file), not .docx: save it as .docx"
                        .into(),
                )
            },
        );
    }
    if !bytes.starts_with(b"PK") {
        return Err(ImportError::Malformed(
            "it is not a .docx (a .docx is a zip package)".into(),
        ));
    }
    // Measured first: docx-rs would inflate, keep and recurse into whatever the package holds.
    let measured = package::measure(bytes)?;
    // docx-rs indexes into what it reads; a damaged package must be refused, not crash clerk.
    let docx = match contain(|| docx_rs::read_docx(bytes)) {
        Some(Ok(docx)) => docx,
        Some(Err(e)) => return Err(ImportError::Malformed(format!("{e}"))),
        None => {
            return Err(ImportError::Malformed(
                "the package is damaged (the Word reader gave up)".into(),
            ))
        }
    };
    let mut doc = Reader::new(&docx, bytes.len()).read(&docx.document.children)?;
    doc.source_chars = Some(measured.text);
    Ok(doc)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What the reader knows of the package besides the body: styles and list definitions.
struct Reader {
    styles: Styles,
    lists: ListDefs,
    counters: Counters,
    paragraphs: usize,
    blocks: Vec<Block>,
    /// Characters of list numbers rebuilt so far.
    labels: Budget,
    /// Why the document is refused, once a list number passes a limit.
    refused: Option<ImportError>,
}

impl Reader {
    fn new(docx: &Docx, file_len: usize) -> Reader {
        Reader {
            styles: Styles::of(docx),
            lists: ListDefs::of(&json(&docx.numberings)),
            counters: Counters::default(),
            paragraphs: 0,
            blocks: Vec::new(),
            labels: Budget::new(&LIST_LABELS, file_len),
            refused: None,
        }
    }

    fn read(mut self, children: &[DocumentChild]) -> Result<Document, ImportError> {
        for child in children {
            if self.refused.is_some() {
                break;
            }
            self.child(child);
        }
        match self.refused {
            Some(why) => Err(why),
            None => Ok(Document {
                format: Format::Docx,
                blocks: self.blocks,
                furniture: 0,
                unread: Vec::new(),
                source_chars: None,
            }),
        }
    }

    fn child(&mut self, child: &DocumentChild) {
        match child {
            DocumentChild::Paragraph(p) => {
                if let Some(p) = self.paragraph(p) {
                    self.blocks.push(Block::Paragraph(p));
                }
            }
            DocumentChild::Table(t) => {
                let table = self.table(t);
                if !table.rows.is_empty() {
                    self.blocks.push(Block::Table(table));
                }
            }
            // Content controls (council templates fill their header blocks with them) hold
            // paragraphs and tables of their own.
            DocumentChild::StructuredDataTag(tag) => {
                for value in json(tag)
                    .get("children")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Ok(p) = serde_json::from_value::<Value>(value.clone()) {
                        self.sdt_child(&p);
                    }
                }
            }
            _ => {}
        }
    }

    /// A content control's child, which docx-rs gives only as JSON: its paragraphs' text.
    fn sdt_child(&mut self, value: &Value) {
        if value.get("type").and_then(Value::as_str) != Some("paragraph") {
            return;
        }
        self.paragraphs += 1;
        let mut text = String::new();
        collect_json_text(value, &mut text);
        let text = collapse(&text);
        if !text.is_empty() {
            self.blocks.push(Block::Paragraph(Paragraph {
                mark: None,
                level: 0,
                text,
                bold: false,
                heading: None,
                origin: Origin::Paragraph(self.paragraphs),
            }));
        }
    }

    /// One body paragraph; `None` when it shows nothing (an empty spacer paragraph).
    fn paragraph(&mut self, p: &WordParagraph) -> Option<Paragraph> {
        self.paragraphs += 1;
        let origin = Origin::Paragraph(self.paragraphs);
        let style = p.property.style.as_ref().map(|s| s.val.as_str());
        let (text, bold) = paragraph_text(p, self.styles.bold(style));
        let numbered = self.numbering_of(p, style);
        let (mark, level) = match numbered {
            // Word numbers an empty paragraph too, and the next item's number counts it.
            Some((num, ilvl)) => match self.lists.level(num, ilvl) {
                Some(level) => (self.mark(num, ilvl, &level), ilvl as u8),
                None => (None, 0),
            },
            None => (None, 0),
        };
        if text.is_empty() {
            return None;
        }
        Some(Paragraph {
            mark,
            level,
            text,
            bold,
            heading: self.styles.heading(style),
            origin,
        })
    }

    /// The list a paragraph belongs to: its own numPr, else its style's (inherited).
    fn numbering_of(&self, p: &WordParagraph, style: Option<&str>) -> Option<(usize, usize)> {
        let own = p.property.numbering_property.as_ref().and_then(|n| {
            let id = n.id.as_ref()?.id;
            Some((id, n.level.as_ref().map_or(0, |l| l.val)))
        });
        let found = own.or_else(|| self.styles.numbering(style));
        // numId 0 switches numbering off.
        found.filter(|(id, _)| *id != 0)
    }

    fn mark(&mut self, num: usize, ilvl: usize, level: &Level) -> Option<ListMark> {
        if level.format == "bullet" {
            return Some(ListMark::Bullet);
        }
        if level.format == "none" && level.text.trim().is_empty() {
            return None;
        }
        if self.refused.is_some() {
            return None;
        }
        let label = self.counters.next(&self.lists, num, ilvl)?;
        let length = label.chars().count() as u64;
        // A pattern that repeats `%1` would make every item's number, and the paper, huge.
        if let Err(why) = LIST_LABEL
            .check(length, 0)
            .and_then(|()| self.labels.spend(length))
        {
            self.refused = Some(why);
            return None;
        }
        let label = label.trim().to_string();
        (!label.is_empty()).then_some(ListMark::Number(label))
    }

    fn table(&mut self, t: &WordTable) -> Table {
        let origin = Origin::Paragraph(self.paragraphs + 1);
        let mut rows = Vec::new();
        for TableChild::TableRow(row) in &t.rows {
            let mut cells = Vec::new();
            for TableRowChild::TableCell(cell) in &row.cells {
                cells.push(self.cell(cell));
            }
            rows.push(cells);
        }
        Table { rows, origin }
    }

    fn cell(&mut self, cell: &docx_rs::TableCell) -> Cell {
        let property = json(&cell.property);
        let span = property
            .get("gridSpan")
            .and_then(Value::as_u64)
            .map_or(1, |s| s.clamp(1, 64) as usize);
        let merged_above =
            property.get("verticalMerge").and_then(Value::as_str) == Some("continue");
        let mut texts = Vec::new();
        let mut bold = true;
        for content in &cell.children {
            match content {
                TableCellContent::Paragraph(p) => {
                    if let Some(p) = self.paragraph(p) {
                        bold &= p.bold;
                        texts.push(match p.mark {
                            Some(ListMark::Number(n)) => format!("{n} {}", p.text),
                            _ => p.text,
                        });
                    }
                }
                // A table inside a cell: its text, row by row.
                TableCellContent::Table(inner) => {
                    let inner = self.table(inner);
                    for row in inner.rows {
                        texts.extend(row.into_iter().map(|c| c.text).filter(|t| !t.is_empty()));
                    }
                }
                _ => {}
            }
        }
        Cell {
            text: texts.join("\n"),
            bold: bold && !texts.is_empty(),
            span,
            merged_above,
        }
    }
}

/// A paragraph's visible text (insertions in, deletions out, field codes out) and whether
/// every visible character of it is bold.
fn paragraph_text(p: &WordParagraph, style_bold: bool) -> (String, bool) {
    let mut text = String::new();
    let mut all_bold = true;
    let mut any = false;
    let mut visit = |run: &docx_rs::Run| {
        let bold = run_bold(run).unwrap_or(style_bold);
        for child in &run.children {
            let piece = match child {
                RunChild::Text(t) => t.text.as_str(),
                RunChild::Tab(_) | RunChild::PTab(_) => "\t",
                RunChild::Break(_) | RunChild::CarriageReturn(_) => "\n",
                RunChild::Sym(_) => "",
                _ => continue,
            };
            if !piece.trim().is_empty() {
                any = true;
                all_bold &= bold;
            }
            text.push_str(piece);
        }
    };
    for child in &p.children {
        visit_runs(child, &mut visit);
    }
    (collapse(&text), any && all_bold)
}

/// Calls `f` for every run a reader sees in a paragraph child.
fn visit_runs(child: &ParagraphChild, f: &mut dyn FnMut(&docx_rs::Run)) {
    match child {
        ParagraphChild::Run(run) => f(run),
        ParagraphChild::Hyperlink(link) => {
            for c in &link.children {
                visit_runs(c, f);
            }
        }
        ParagraphChild::Insert(insert) => {
            for c in &insert.children {
                if let docx_rs::InsertChild::Run(run) = c {
                    f(run);
                }
            }
        }
        _ => {}
    }
}

/// A run's own bold setting, when it has one.
fn run_bold(run: &docx_rs::Run) -> Option<bool> {
    run.run_property
        .bold
        .as_ref()
        .map(|b| json(b).as_bool().unwrap_or(true))
}

/// Whitespace collapsed to single spaces within each line, empty lines dropped, lines kept
/// apart by `\n`.
pub fn collapse(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(collapse_line)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whitespace (tabs, no-break spaces) collapsed to single spaces, trimmed.
fn collapse_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn collect_json_text(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("text") {
                if let Some(t) = map
                    .get("data")
                    .and_then(|d| d.get("text"))
                    .and_then(Value::as_str)
                {
                    out.push_str(t);
                }
                return;
            }
            if map.get("type").and_then(Value::as_str) == Some("tab") {
                out.push(' ');
            }
            for v in map.values() {
                collect_json_text(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_json_text(v, out)),
        _ => {}
    }
}

/// docx-rs's JSON form of a part; `Null` if it cannot be serialised (it always can).
fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// What the reader needs of styles.xml: each paragraph style's name, parent, bold and list.
struct Styles {
    by_id: BTreeMap<String, StyleFacts>,
}

struct StyleFacts {
    name: String,
    based_on: Option<String>,
    bold: Option<bool>,
    numbering: Option<(usize, usize)>,
}

impl Styles {
    fn of(docx: &Docx) -> Styles {
        let mut by_id = BTreeMap::new();
        for style in &docx.styles.styles {
            let style_json = json(style);
            let name = style_json
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(&style.style_id)
                .to_string();
            let based_on = style_json
                .get("basedOn")
                .and_then(Value::as_str)
                .map(str::to_string);
            let bold = style
                .run_property
                .bold
                .as_ref()
                .map(|b| json(b).as_bool().unwrap_or(true));
            let numbering = style
                .paragraph_property
                .numbering_property
                .as_ref()
                .and_then(|n| Some((n.id.as_ref()?.id, n.level.as_ref().map_or(0, |l| l.val))));
            by_id.insert(
                style.style_id.clone(),
                StyleFacts {
                    name,
                    based_on,
                    bold,
                    numbering,
                },
            );
        }
        Styles { by_id }
    }

    /// The style and the styles it is based on, nearest first (at most 16: a loop stops).
    fn chain<'a>(&'a self, id: Option<&str>) -> Vec<&'a StyleFacts> {
        let mut chain = Vec::new();
        let mut next = id.map(str::to_string);
        while let Some(id) = next.take() {
            if chain.len() >= 16 {
                break;
            }
            if let Some(facts) = self.by_id.get(&id) {
                chain.push(facts);
                next = facts.based_on.clone();
            }
        }
        chain
    }

    fn bold(&self, id: Option<&str>) -> bool {
        self.chain(id).iter().find_map(|s| s.bold).unwrap_or(false)
    }

    fn numbering(&self, id: Option<&str>) -> Option<(usize, usize)> {
        self.chain(id).iter().find_map(|s| s.numbering)
    }

    /// "Heading 2" (or "heading 2", or a style based on one) is a level-2 heading; "Title" 1.
    fn heading(&self, id: Option<&str>) -> Option<u8> {
        self.chain(id).iter().find_map(|s| {
            let name = s.name.to_ascii_lowercase();
            if name == "title" {
                return Some(1);
            }
            let n = name.strip_prefix("heading")?.trim().parse::<u8>().ok()?;
            (1..=6).contains(&n).then_some(n)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::word::{cell, item, level, pack};
    use docx_rs::{
        AbstractNumbering, LevelOverride, Numbering, Run, Style, StyleType, TableCell, TableRow,
        VMergeType,
    };

    fn sample() -> Vec<u8> {
        let docx = Docx::new()
            .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
            .add_abstract_numbering(
                AbstractNumbering::new(1)
                    .add_level(level(0, "decimal", "%1."))
                    .add_level(level(1, "decimal", "%1.%2.")),
            )
            .add_abstract_numbering(AbstractNumbering::new(2).add_level(level(
                0,
                "lowerRoman",
                "%1.",
            )))
            .add_numbering(Numbering::new(1, 1))
            .add_numbering(Numbering::new(2, 2))
            .add_numbering(Numbering::new(3, 2).add_override(LevelOverride::new(0).start(1)))
            .add_paragraph(
                WordParagraph::new()
                    .style("Heading1")
                    .add_run(Run::new().add_text("Summary")),
            )
            .add_paragraph(
                WordParagraph::new()
                    .add_run(Run::new().add_text("Subject:").bold())
                    .add_run(Run::new().add_tab().add_text(" Early  Help")),
            )
            .add_paragraph(item("first", 2, 0))
            .add_paragraph(item("second", 2, 0))
            .add_paragraph(item("Introduction", 1, 0))
            .add_paragraph(item("one one", 1, 1))
            .add_paragraph(item("one two", 1, 1))
            .add_paragraph(item("restarted", 3, 0))
            .add_paragraph(item("Background", 1, 0))
            .add_paragraph(item("two one", 1, 1))
            .add_table(WordTable::new(vec![
                TableRow::new(vec![cell("Contract"), cell("Provider"), cell("Cost")]),
                TableRow::new(vec![
                    cell("C. Family Support").vertical_merge(VMergeType::Restart),
                    cell("Porchlight"),
                    cell("£1,240,000.00"),
                ]),
                TableRow::new(vec![
                    TableCell::new().vertical_merge(VMergeType::Continue),
                    cell("Project Salus"),
                    cell("£860,400.00"),
                ]),
                TableRow::new(vec![cell("Total").grid_span(2), cell("£2,100,400.00")]),
            ]));
        pack(docx)
    }

    fn paragraphs(doc: &Document) -> Vec<(Option<String>, String)> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some((
                    match &p.mark {
                        Some(ListMark::Number(n)) => Some(n.clone()),
                        Some(ListMark::Bullet) => Some("•".into()),
                        None => None,
                    },
                    p.text.clone(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn numbers_are_rebuilt_as_word_shows_them() {
        let doc = read_docx(&sample()).unwrap();
        let got = paragraphs(&doc);
        let want: Vec<(Option<String>, String)> = [
            (None, "Summary"),
            (None, "Subject: Early Help"),
            (Some("i."), "first"),
            (Some("ii."), "second"),
            (Some("1."), "Introduction"),
            (Some("1.1."), "one one"),
            (Some("1.2."), "one two"),
            (Some("i."), "restarted"),
            (Some("2."), "Background"),
            (Some("2.1."), "two one"),
        ]
        .iter()
        .map(|(m, t)| (m.map(str::to_string), t.to_string()))
        .collect();
        assert_eq!(got, want);
        let Block::Paragraph(heading) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(heading.heading, Some(1));
        let Block::Paragraph(subject) = &doc.blocks[1] else {
            panic!()
        };
        assert!(!subject.bold, "only the label is bold");
    }

    #[test]
    fn merged_cells_are_kept_on_the_grid() {
        let doc = read_docx(&sample()).unwrap();
        let Some(Block::Table(table)) = doc.blocks.last() else {
            panic!("no table")
        };
        let shown: Vec<Vec<(String, usize, bool)>> = table
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.text.clone(), c.span, c.merged_above))
                    .collect()
            })
            .collect();
        assert_eq!(shown[1][0], ("C. Family Support".to_string(), 1, false));
        assert_eq!(shown[2][0], (String::new(), 1, true));
        assert_eq!(shown[2][2].0, "£860,400.00");
        assert_eq!(shown[3][0], ("Total".to_string(), 2, false));
        assert_eq!(shown[3].len(), 2);
    }

    #[test]
    fn what_is_not_a_docx_is_refused_clearly() {
        assert!(matches!(
            read_docx(b"hello"),
            Err(ImportError::Malformed(_))
        ));
        assert!(matches!(
            read_docx(b"PK\x03\x04garbage"),
            Err(ImportError::Malformed(_))
        ));
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(read_docx(&ole), Err(ImportError::Encrypted));
    }

    #[test]
    fn a_package_that_inflates_beyond_any_paper_is_refused() {
        use std::io::Write;
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("word/document.xml", options).unwrap();
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..(crate::import::limits::DOCX_INFLATED.cap / (1024 * 1024) + 1) {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        let bytes = out.into_inner();
        assert!(bytes.len() < 2 * 1024 * 1024, "{} bytes", bytes.len());
        match read_docx(&bytes) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "docx-inflated"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn damaged_packages_never_panic() {
        let bytes = sample();
        let mut state = 0x2545_f491_u64;
        for _ in 0..200 {
            let mut copy = bytes.clone();
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % copy.len();
                copy[at] = (state >> 32) as u8;
            }
            let _ = read_docx(&copy);
        }
    }
}
