//! What a Word or PDF paper says, before clerk's format: a flat run of paragraphs and tables,
//! each knowing where it came from in the original. The readers (`docx`, `pdf`) make one; the
//! assembler turns it into a paper. Nothing here knows any council's layout.

use std::fmt;

use super::limits::{Limit, Shown};

/// Where a block came from in the original file, for diagnostics that point at it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The n-th paragraph of a Word document's body (1-based; tables count their paragraphs).
    Paragraph(usize),
    /// A line of a PDF: page and line on that page, both 1-based.
    Page { page: u32, line: u32 },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Paragraph(n) => write!(f, "paragraph {n}"),
            Origin::Page { page, line } => write!(f, "page {page}, line {line}"),
        }
    }
}

/// How a paragraph is marked as a list item, as a reader would see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListMark {
    /// A number or letter as rendered: "1.", "1.1", "2.3.1.", "ii.", "(a)". Word keeps these out
    /// of the text; the docx reader rebuilds them from numbering.xml.
    Number(String),
    /// A bullet of any glyph.
    Bullet,
}

/// One paragraph of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// The list number or bullet, when the paragraph is a list item; `None` for plain text.
    /// A PDF reader sets this only where the number is set apart from the text (a hanging
    /// indent or a tab); a number typed into the text stays in `text`.
    pub mark: Option<ListMark>,
    /// Nesting of the list item, 0 for the outermost (and for plain paragraphs).
    pub level: u8,
    /// The text, plain: no Markdown, runs joined, whitespace collapsed. A line break the author
    /// typed inside the paragraph (Word's Shift+Enter) is kept as `\n`: header blocks put a
    /// label and its value, or two people, on lines of one paragraph. Lines a PDF wraps are
    /// joined with spaces.
    pub text: String,
    /// Every visible character is bold (a label or a heading in many templates).
    pub bold: bool,
    /// Heading level 1–6 from the style (Word's Heading N, a tagged PDF's H1–H6), else `None`.
    pub heading: Option<u8>,
    pub origin: Origin,
}

/// One cell of a table, on the table's grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The cell's text, plain; its paragraphs and typed line breaks are lines (`\n`).
    pub text: String,
    pub bold: bool,
    /// How many grid columns the cell spans (Word's gridSpan), at least 1.
    pub span: usize,
    /// The cell continues the one above it (Word's vMerge continue, a PDF row span): its text
    /// is empty and it belongs to the cell above.
    pub merged_above: bool,
}

/// A table: rows of cells, each row covering the same grid once spans are counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
    /// Where the table's first row is.
    pub origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

impl Block {
    pub fn origin(&self) -> &Origin {
        match self {
            Block::Paragraph(p) => &p.origin,
            Block::Table(t) => &t.origin,
        }
    }
}

/// What kind of file a document was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Docx,
    /// A PDF with a structure tree (headings, lists, tables tagged).
    TaggedPdf,
    /// A PDF with a text layer only: structure is guessed from the page's geometry.
    UntaggedPdf,
}

/// A whole document, in reading order, and what of the file's text is in no block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    pub blocks: Vec<Block>,
    /// Characters of page furniture the reader set aside (a PDF's artifacts, page numbers,
    /// running headers): no part of the paper, accounted for.
    pub furniture: usize,
    /// Text the reader saw but could not read into a block (rotated text), with where.
    pub unread: Vec<(Origin, String)>,
    /// Characters of text the file holds, where the reader can count them apart from its
    /// blocks (a .docx's document.xml, text boxes included).
    pub source_chars: Option<usize>,
}

/// Why a file cannot be read at all. Each is a clear refusal, never a guess.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The file is password-protected (an encrypted PDF, or a .docx saved as an encrypted
    /// OLE container).
    Encrypted,
    /// A PDF with no text layer: a scan. Only OCR could read it, and clerk does not guess.
    NoText,
    /// The file is not what its name says, or is damaged; the string says what was wrong.
    Malformed(String),
    /// The file asks for more than one of the importer's limits allows (`limits.rs`): nested
    /// too deep, inflating too far, too many pages. It is refused before the work is done.
    Limit {
        limit: &'static Limit,
        found: u64,
        allowed: u64,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Encrypted => write!(f, "the file is password-protected"),
            ImportError::NoText => write!(
                f,
                "the PDF has no text layer (a scanned image); clerk does not guess at scans"
            ),
            ImportError::Malformed(why) => write!(f, "the file cannot be read: {why}"),
            ImportError::Limit {
                limit,
                found,
                allowed,
            } => {
                write!(f, "the file is beyond what clerk reads: ")?;
                if *found > allowed.saturating_add(1) {
                    write!(
                        f,
                        "{} {}, where at most {} are read",
                        Shown(limit, *found),
                        limit.counts,
                        Shown(limit, *allowed)
                    )?;
                } else {
                    write!(f, "more than {} {}", Shown(limit, *allowed), limit.counts)?;
                }
                write!(f, " (limit `{}`)", limit.name)
            }
        }
    }
}
