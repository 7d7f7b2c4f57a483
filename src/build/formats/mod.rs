//! Output formats. Each is a [`Renderer`] over the same view of a paper (`render::view`): the
//! HTML pages, the JSON data, the PDFs. A build runs the formats asked for (`--formats`), in
//! the order of [`registry`], each keeping its own entries in the build cache.
//!
//! Adding a format is a file here, implementing `Renderer`, and a line in `registry`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::render::typst::Job;
use crate::render::view::DocView;
use crate::render::Templates;
use crate::write::Output;
use crate::Visit;

use super::paper::Link;
use super::Progress;

mod html;
mod json;
mod pdf;

pub(crate) use html::page as html_page;
pub(crate) use pdf::typst_for_build;

/// Every format clerk makes, in the order a page lists their links. One line a format.
fn registry() -> Vec<Box<dyn Renderer>> {
    vec![
        Box::new(html::Html),
        Box::new(pdf::Pdf::default()),
        Box::new(json::Json),
    ]
}

/// One output format, as mdBook's `Renderer`: named, and made from the one view of each paper.
/// Only `name` and `key` are required; the other steps default to nothing.
pub(crate) trait Renderer: Send + Sync {
    /// Its name in `--formats`, and in the build cache.
    fn name(&self) -> &'static str;

    /// Gets ready before any paper is read, so a missing tool is said at once (PDF: finds
    /// typst, installing it when `install` allows).
    fn ready(&mut self, _install: bool, _progress: &dyn Progress) -> Result<(), String> {
        Ok(())
    }

    /// What this format's files are made from besides the paper and clerk itself: the
    /// templates it reads, a tool's version. Its cache entries are keyed on it, so a change
    /// makes every paper again.
    fn key(&self, site: &Site) -> String;

    /// The link a paper's pages and the index give to this format of `doc`, if any.
    fn link(&self, _doc: &Document) -> Option<Link> {
        None
    }

    /// This format of one document of a paper: written now, or deferred to `finish`.
    fn document(&self, _doc: &Document, _paper: &Paper, _made: &mut Made) {}

    /// Files of the paper as a whole, after its documents (HTML: the review page).
    fn paper(&self, _paper: &Paper, _made: &mut Made) {}

    /// Files of the whole site, after every paper (HTML: the index and its assets). An error
    /// stops the build.
    fn site(&self, _index: &Index, _site: &Site, _made: &mut Made) -> Result<(), String> {
        Ok(())
    }

    /// Makes what `document` deferred, batched across papers (PDF: typst runs in parallel).
    /// `cached` is this format's hash of each file as the last build made it: a file whose
    /// hash is unchanged and which is still there is kept.
    fn finish(
        &self,
        _deferred: &[Deferred],
        _batch: &Batch,
        _progress: &dyn Progress,
    ) -> Result<Vec<Finished>, String> {
        Ok(Vec::new())
    }

    /// How the build's one-line summary counts this format's documents ("6 pages"), if it does.
    fn summary(&self, _tally: Tally) -> Option<String> {
        None
    }
}

/// What every format of a build shares: where the papers are, the templates, the output.
pub(crate) struct Site<'a> {
    pub(crate) root: &'a Path,
    pub(crate) templates: &'a Templates,
    pub(crate) out: &'a Output,
}

/// One paper, as its formats see it.
pub(crate) struct Paper<'a> {
    pub(crate) site: &'a Site<'a>,
    pub(crate) visit: &'a Visit<'a>,
    /// The paper's folder in the output, `/`-separated.
    pub(crate) rel: &'a str,
    /// From the paper's folder back to the output's root: `../`, once for each part of `rel`.
    pub(crate) root_href: &'a str,
    /// The council's name, when the paper has one.
    pub(crate) council: &'a str,
    /// Every link of the paper, to each document in each format: on each of its pages.
    pub(crate) links: &'a [Link],
    /// When a published paper changed, and what changed (`site/versions.rs`).
    pub(crate) updated: Option<&'a crate::site::versions::Updated>,
}

/// What a document of a paper is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Report,
    Decision,
    Appendix,
}

/// One document of a paper, as every format reads it.
pub(crate) struct Document<'a> {
    pub(crate) kind: Kind,
    /// The name its files take: `report`, `decision`, `appendix-…`.
    pub(crate) stem: String,
    /// What a link to it says: "Report", "Record of decision", an appendix's title.
    pub(crate) label: String,
    pub(crate) view: &'a DocView,
    /// The view as JSON, made once for every format that reads it (None if it could not be).
    pub(crate) data: Option<String>,
    /// The document's own date, else its partner's: never the build's time.
    pub(crate) date: Option<chrono::NaiveDate>,
}

/// What the whole site's pages are made from, for the formats that write them: the
/// catalogue of papers and meetings, and the files of each meeting's packs.
pub(crate) struct Index {
    pub(crate) catalogue: crate::site::Catalogue,
    pub(crate) packs: BTreeMap<String, Vec<String>>,
    /// Whether the build makes PDFs (the forward plan's page then links its PDF).
    pub(crate) pdf: bool,
}

/// A file a format makes after every paper is rendered, and what it is made from.
pub(crate) type Deferred = (String, Job);

/// What `finish` made of one deferred file: its path, a hash of what went into it, and
/// whether it was made (`Ok(true)`), kept from an earlier build (`Ok(false)`), or failed.
pub(crate) type Finished = (String, String, Result<bool, Diagnostic>);

/// What `finish` works with besides its files.
pub(crate) struct Batch<'a> {
    pub(crate) site: &'a Site<'a>,
    /// This format's hashes of the files the last build made in `finish`.
    pub(crate) cached: &'a BTreeMap<String, String>,
    /// How many to make at once (default: one per core).
    pub(crate) threads: Option<usize>,
}

/// What a format did for one paper.
#[derive(Default)]
pub(crate) struct Made {
    /// Every file written, by its path in the output.
    pub(crate) files: Vec<String>,
    /// How many of them are documents, the things the summary counts (pages, PDFs).
    pub(crate) documents: usize,
    pub(crate) failures: Vec<String>,
    /// Findings about the site as a whole (a search index not made), shown with the rest.
    pub(crate) notes: Vec<Diagnostic>,
    pub(crate) deferred: Vec<Deferred>,
}

impl Made {
    /// Writes one file into the output and notes it; the caller words a failure.
    pub(crate) fn write(&mut self, out: &Output, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        out.write(rel, bytes)?;
        self.files.push(rel.to_string());
        Ok(())
    }
}

/// A format's documents in a build: made now, and kept unchanged from an earlier build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub made: usize,
    pub unchanged: usize,
}

/// The formats a build makes, by name, in the registry's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formats(Vec<&'static str>);

impl Formats {
    /// Every format clerk knows.
    pub fn all() -> Formats {
        Formats(Formats::names())
    }

    /// The name of every format, in the registry's order.
    pub fn names() -> Vec<&'static str> {
        registry().iter().map(|r| r.name()).collect()
    }

    /// The formats named; an unknown name is an error.
    pub fn pick<S: AsRef<str>>(names: &[S]) -> Result<Formats, String> {
        let known = Formats::names();
        if let Some(unknown) = names.iter().find(|n| !known.contains(&n.as_ref().trim())) {
            return Err(format!(
                "`{}` is not an output format: clerk makes {}",
                unknown.as_ref(),
                known.join(", ")
            ));
        }
        let wanted = |k: &&str| names.iter().any(|n| n.as_ref().trim() == *k);
        Ok(Formats(known.into_iter().filter(wanted).collect()))
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains(&name)
    }

    /// The names, comma-separated, in the registry's order.
    pub fn list(&self) -> String {
        self.0.join(",")
    }

    /// The renderers of these formats, each made ready (in the registry's order).
    pub(crate) fn renderers(
        &self,
        install: bool,
        progress: &dyn Progress,
    ) -> Result<Vec<Box<dyn Renderer>>, String> {
        let mut chosen: Vec<Box<dyn Renderer>> = registry()
            .into_iter()
            .filter(|r| self.has(r.name()))
            .collect();
        for r in &mut chosen {
            r.ready(install, progress)?;
        }
        Ok(chosen)
    }
}
