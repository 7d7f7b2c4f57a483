//! Word documents made in memory, for tests: the paragraphs, list numbering and cells a
//! council's template makes, packed as .docx bytes. Used by the Word reader's unit tests and
//! by the end-to-end tests (`tests/suite/import.rs`).

use docx_rs::{
    Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, NumberingId, Paragraph, Run, Start,
    TableCell,
};

/// A paragraph of plain text.
pub fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

/// A paragraph of bold text.
pub fn bold(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t).bold())
}

/// A list item: numbering `num`, at `level`.
pub fn item(t: &str, num: usize, level: usize) -> Paragraph {
    text(t).numbering(NumberingId::new(num), IndentLevel::new(level))
}

/// A numbering level counting from 1: `format` as Word names it ("decimal", "lowerRoman"),
/// `lvl_text` its pattern ("%1.%2.").
pub fn level(n: usize, format: &str, lvl_text: &str) -> Level {
    Level::new(
        n,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(lvl_text),
        LevelJc::new("left"),
    )
}

pub fn cell(t: &str) -> TableCell {
    TableCell::new().add_paragraph(text(t))
}

pub fn bold_cell(t: &str) -> TableCell {
    TableCell::new().add_paragraph(bold(t))
}

/// The document as a .docx file's bytes.
pub fn pack(docx: Docx) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).expect("packs");
    out.into_inner()
}
