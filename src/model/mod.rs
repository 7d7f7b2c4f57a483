//! The typed model of a tree of papers. Types only: loading and parsing fill them in, checks
//! and renderers read them. Every position is a byte range in a source file.

pub mod classification;
pub mod document;
pub mod meeting;
pub mod meta;
pub mod money;
pub mod verdict;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

pub use document::*;
pub use meta::*;

/// A source file, by its index in the tree's source map.
pub type FileId = usize;

/// One parsed file: its front matter, its body, and where each begins.
/// The mark `clerk import` leaves at the end of a front-matter line whose value nobody has
/// confirmed yet.
pub const IMPORT_MARK: &str = "# import: check";

#[derive(Clone, Debug)]
pub struct Source<M> {
    pub file: FileId,
    /// Byte offset of the YAML text (after the opening `---` line) in the file.
    pub yaml_base: usize,
    /// Byte range of the whole front matter, `---` lines included.
    pub front_matter: Range<usize>,
    pub meta: M,
    pub body: Document,
    /// The front matter had errors and was read past them (lines at fault left out, a block
    /// under a misspelt key read under the key meant, a stand-in for a missing required field):
    /// good enough to check the rest of the paper, never to publish it.
    pub recovered: bool,
    /// Parts of the front matter read elsewhere than they are written (a block under a
    /// misspelt key is read again after the rest, under the key meant): each is the range read
    /// (offsets as in the file, past the front matter's end) and where it is in the file.
    pub moved: Vec<(Range<usize>, Range<usize>)>,
    /// Required fields the front matter lacks, read as a stand-in so the paper is still
    /// checked: a check that compares such a field leaves it alone.
    pub defaulted: Vec<&'static str>,
    /// The classification was written by `clerk import` and still carries its mark (`# import:
    /// check`): nobody has confirmed it, so the paper is not published.
    pub unconfirmed_classification: bool,
}

impl<M> Source<M> {
    /// The file range of a front-matter value.
    pub fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        let span = value.referenced.span();
        let read = self.yaml_base + span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        let start = self
            .moved
            .iter()
            .find(|(from, _)| from.contains(&read))
            .map_or(read, |(from, to)| {
                (to.start + (read - from.start)).min(to.end)
            });
        start..start + len.max(1)
    }

    /// Whether the required field `field` was missing, and read as a stand-in.
    pub fn defaulted(&self, field: &str) -> bool {
        self.defaulted.contains(&field)
    }

    /// A range to point at when a whole front matter is at fault (its opening line).
    pub fn front_matter_start(&self) -> Range<usize> {
        self.front_matter.start..self.front_matter.start + 3
    }
}

#[derive(Clone, Debug)]
pub struct Council {
    pub file: FileId,
    /// The folder the council.yaml governs, in its real form (see `load::real_path`).
    pub dir: PathBuf,
    pub meta: CouncilMeta,
}

impl Council {
    pub fn span<T>(&self, value: &Spanned<T>) -> Range<usize> {
        let span = value.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        start..start + (span.byte_len().unwrap_or(0) as usize).max(1)
    }

    pub fn domains(&self) -> impl Iterator<Item = String> + '_ {
        self.meta
            .email_domains
            .iter()
            .map(|d| d.value.trim().to_ascii_lowercase())
    }
}

/// A named figure with its value worked out (None when it could not be).
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: String,
    /// What it is said of (`label:`), for matching prose to it.
    pub label: Option<String>,
    pub value: Option<Decimal>,
    /// Where the figure is declared in the report's front matter.
    pub span: Range<usize>,
}

/// One decision's folder: its report, record and appendices.
#[derive(Clone, Debug, Default)]
pub struct Paper {
    pub dir: PathBuf,
    /// Index into `Tree::councils` of the council.yaml that governs this folder.
    pub council: Option<usize>,
    pub report: Option<Source<ReportMeta>>,
    pub decision: Option<Source<DecisionMeta>>,
    pub appendices: Vec<Source<AppendixMeta>>,
    /// The report's named figures, resolved.
    pub figures: BTreeMap<String, Figure>,
}

impl Paper {
    pub fn decision_number(&self) -> Option<&str> {
        self.report
            .as_ref()
            .and_then(|r| r.meta.decision_number.as_ref())
            .or_else(|| {
                self.decision
                    .as_ref()
                    .and_then(|d| d.meta.decision_number.as_ref())
            })
            .map(|n| n.value.trim())
    }
}

pub use verdict::AmountNote;
