//! Import: read a council's Word (.docx) or PDF paper into clerk's format. A reader turns the
//! file's bytes into a `Document` (paragraphs and tables with their origins); the assembler
//! maps it, through the council's profile, onto a paper's front matter and Markdown body.
//! Nothing here reads or writes files: `load` hands it bytes and `write` writes its results.
//!
//! - `document`: what a reader makes;
//! - `docx` (with `numbering`): the Word reader; `pdf`: the PDF reader;
//! - `profile`: each council's labels and section names;
//! - `header`, `fields`: the header block and the values in it;
//! - `assemble` (with `text`): the paper in clerk's format, and its `facts` as data.

pub mod appendix;
pub mod assemble;
pub mod classified;
pub mod contain;
pub mod document;
pub mod docx;
pub mod facts;
pub mod fields;
pub mod header;
pub mod numbering;
pub mod pdf;
pub mod profile;
pub mod text;
#[doc(hidden)]
pub mod word;

pub use assemble::{Assembled, Kind, Unsure};
pub use document::{Document, ImportError};
pub use profile::Profile;

/// The kinds of file clerk imports, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Docx,
    Pdf,
}

impl Source {
    /// The kind of a file by its name; `None` for anything else.
    pub fn of(path: &std::path::Path) -> Option<Source> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "docx" => Some(Source::Docx),
            "pdf" => Some(Source::Pdf),
            _ => None,
        }
    }
}

/// Reads a file's bytes into a document.
pub fn read(source: Source, bytes: &[u8]) -> Result<Document, ImportError> {
    match source {
        Source::Docx => docx::read_docx(bytes),
        Source::Pdf => pdf::read_pdf(bytes),
    }
}

/// Reads and assembles one file.
pub fn import(source: Source, bytes: &[u8], profile: &Profile) -> Result<Assembled, ImportError> {
    let doc = read(source, bytes)?;
    Ok(assemble::assemble(&doc, profile))
}
