//! Import: read a council's Word (.docx) or PDF paper into clerk's format. A reader turns the
//! file's bytes into a `Document` (paragraphs and tables with their origins); the assembler
//! maps it, through the council's profile, onto a paper's front matter and Markdown body.
//! Nothing here reads or writes files: `load` hands it bytes and `write` writes its results.

pub mod document;
pub mod pdf;
