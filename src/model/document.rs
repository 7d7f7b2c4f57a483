//! A paper's body as a flat list of text blocks and tables, every piece with its byte range in
//! the source file. Checks read this; none re-parses Markdown.

use std::ops::Range;

use crate::model::money::Money;

/// Plain text extracted from Markdown, with a map back to source offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MappedText {
    pub text: String,
    /// (offset in `text`, offset in the source file) at the start of each source run.
    pub segments: Vec<(usize, usize)>,
}

impl MappedText {
    pub fn push(&mut self, text: &str, source_offset: usize) {
        if text.is_empty() {
            return;
        }
        self.segments.push((self.text.len(), source_offset));
        self.text.push_str(text);
    }

    /// The source offset of a byte offset in `text`.
    pub fn source_offset(&self, offset: usize) -> usize {
        let idx = self.segments.partition_point(|(t, _)| *t <= offset);
        match idx.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some((t, s)) => s + (offset - t),
            None => self.segments.first().map_or(0, |(_, s)| *s),
        }
    }

    /// The source range of a byte range in `text`.
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.source_offset(range.start);
        let end = if range.end > range.start {
            self.source_offset(range.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    Paragraph,
    /// A list item's own text (nested lists are items of their own).
    ListItem {
        ordered_number: Option<u64>,
    },
    /// The paragraph that captions the table with this index.
    Caption(usize),
    /// Where a table stands in the flow of the document.
    Table(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: MappedText,
    pub span: Range<usize>,
    /// How deeply nested in lists (0 outside any list).
    pub list_depth: usize,
    /// Index of the heading block this block falls under.
    pub section: Option<usize>,
}

/// What a table cell holds, decided once at parse time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellValue {
    Text,
    Empty,
    Amount(Money),
    /// Has a £ sign but is not an amount; the reason.
    BadAmount(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: MappedText,
    /// The cell's formatted content, for rendering.
    pub inlines: Vec<Inline>,
    pub span: Range<usize>,
    pub value: CellValue,
}

impl Cell {
    /// The text with Markdown emphasis gone and spaces tidied, for matching labels.
    pub fn label(&self) -> String {
        normalise_label(&self.text.text)
    }
    pub fn amount(&self) -> Option<&Money> {
        match &self.value {
            CellValue::Amount(m) => Some(m),
            _ => None,
        }
    }
}

pub fn normalise_label(text: &str) -> String {
    text.replace("**", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub span: Range<usize>,
    /// How many cells the source line held (GFM pads or cuts rows to the header's width).
    pub written_cells: usize,
}

/// The word that marks a total or subtotal row (or column).
pub static TOTAL_WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)(sub-?)?totals?(?-u:\b)").expect("valid")
});

/// Whether a cell's words name its row a total: "Total", "Sub-total: capital", "Grand total
/// 2025-26", "Net total expenditure", a label of six words at most, or a longer cell that
/// begins with it ("Total funding from grants, reserves and borrowing over the period"). A
/// description that only speaks of a total ("consultants, about 15% of the total spend") is
/// an ordinary row: six words is longer than any label of a total row in the seeds and real
/// papers, and shorter than a sentence about one.
fn names_a_total(text: &str) -> bool {
    let Some(found) = TOTAL_WORD.find(text) else {
        return false;
    };
    let words = text.split_whitespace().count();
    let before = text[..found.start()].split_whitespace().count();
    words <= 6 || before <= 1
}

impl Row {
    /// A total (or subtotal) row names itself in one of its text cells. The table check,
    /// the reconciliation and the renderers all read totals this way.
    pub fn is_total(&self) -> bool {
        self.cells
            .iter()
            .any(|c| matches!(c.value, CellValue::Text) && names_a_total(&c.text.text))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// From a caption ending `{#id}`, else `table-N`.
    pub id: String,
    /// Column alignment from the delimiter row: "left", "right", "center" or "".
    pub align: Vec<&'static str>,
    pub caption: Option<String>,
    pub span: Range<usize>,
    pub header: Row,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.header.cells.len()
    }

    /// Columns that hold at least one amount.
    pub fn amount_columns(&self) -> Vec<usize> {
        (0..self.columns())
            .filter(|&c| {
                self.rows.iter().any(|r| {
                    r.cells.get(c).is_some_and(|cell| {
                        matches!(cell.value, CellValue::Amount(_) | CellValue::BadAmount(_))
                    })
                })
            })
            .collect()
    }

    /// The row whose label cells (cells that are not amounts) include `label`.
    pub fn find_row(&self, label: &str) -> Option<usize> {
        let wanted = normalise_label(label);
        self.rows.iter().position(|r| {
            r.cells
                .iter()
                .any(|c| matches!(c.value, CellValue::Text) && c.label() == wanted)
        })
    }

    pub fn find_column(&self, header: &str) -> Option<usize> {
        let wanted = normalise_label(header);
        self.header.cells.iter().position(|c| c.label() == wanted)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub blocks: Vec<Block>,
    pub tables: Vec<Table>,
    /// The same body as a nested tree, for rendering.
    pub tree: Vec<Node>,
}

impl Document {
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// Blocks of running prose: headings, paragraphs, list items and captions.
    pub fn prose(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| !matches!(b.kind, BlockKind::Table(_)))
    }

    /// The heading text a block falls under, if any.
    pub fn section_title(&self, block: &Block) -> Option<&str> {
        block
            .section
            .and_then(|i| self.blocks.get(i))
            .map(|h| h.text.text.as_str())
    }
}

/// The body as a nested tree, for rendering. Built in the same pass as the flat blocks.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Node {
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    Paragraph {
        inlines: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Node>>,
    },
    /// The table with this index in `Document::tables`.
    Table {
        index: usize,
    },
    Quote {
        children: Vec<Node>,
    },
    Code {
        text: String,
    },
    Rule,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    Text {
        text: String,
    },
    Strong {
        children: Vec<Inline>,
    },
    Emph {
        children: Vec<Inline>,
    },
    Strike {
        children: Vec<Inline>,
    },
    Code {
        text: String,
    },
    /// `href` is kept only when it is safe (http, https, mailto, or a relative path).
    Link {
        href: Option<String>,
        children: Vec<Inline>,
    },
    Break,
}

impl Inline {
    /// The plain text of inlines, emphasis and links flattened.
    pub fn plain(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Strong { children }
                | Inline::Emph { children }
                | Inline::Strike { children }
                | Inline::Link { children, .. } => out.push_str(&Inline::plain(children)),
                Inline::Break => out.push(' '),
            }
        }
        out
    }
}

/// Whether a paragraph is the `{{ recommendations }}` placeholder, which places the
/// front-matter list there (spaces inside the braces do not matter).
pub fn is_recommendations_placeholder(text: &str) -> bool {
    text.replace(char::is_whitespace, "") == "{{recommendations}}"
}

/// A table cell that a figure's formula governs: (table id, row, column).
pub type FormulaCell = (String, usize, usize);

/// A numbered paragraph's number as typed at its start: "4.1", "4.1.", "2.3.1", followed by
/// a space or the end of the text. Checks and renderers both read numbers with this one pattern.
pub static PARAGRAPH_NUMBER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^\s*(\d{1,3}(?:\.\d{1,3})+)\.?(?:\s+|$)").expect("valid")
});

#[cfg(test)]
mod tests {
    use super::PARAGRAPH_NUMBER;

    #[test]
    fn a_paragraph_number_is_read_the_same_however_it_ends() {
        let number = |t: &str| PARAGRAPH_NUMBER.captures(t).map(|c| c[1].to_string());
        for (text, want) in [
            ("4.1 The council", Some("4.1")),
            ("4.1. The council", Some("4.1")),
            ("  2.3.1\tText", Some("2.3.1")),
            ("4.1", Some("4.1")),
            ("4.1.", Some("4.1")),
            ("4.1m was spent", None),
            ("4 The council", None),
            ("2024 was a year", None),
            ("£4.1 million", None),
        ] {
            assert_eq!(number(text).as_deref(), want, "{text:?}");
        }
    }
}
