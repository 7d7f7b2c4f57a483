//! Parse: turn the files that load read into the typed model, reporting whatever is malformed.

pub mod figures;
pub mod formula;
pub mod frontmatter;
pub mod markdown;
pub mod recover;
pub mod tree;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, FileId, SourceMap, SourceText};
use crate::load::{PaperFiles, TreeFile};
use crate::model::meeting::{Listing, MeetingMeta};
use crate::model::{AppendixMeta, Council, CouncilMeta, DecisionMeta, Paper, ReportMeta, Source};

/// Every council.yaml found: those that parsed, and the folders of those that did not. Folders
/// are kept in their real form, so a paper is matched to its council however either is spelt.
#[derive(Default)]
pub struct Councils {
    pub parsed: Vec<Council>,
    pub broken: Vec<PathBuf>,
}

impl Councils {
    /// Whether an unreadable council.yaml sits above `dir` (its rules are then unknown).
    pub fn broken_above(&self, dir: &Path) -> bool {
        let dir = crate::load::real_path(dir);
        self.broken.iter().any(|b| dir.starts_with(b))
    }
}

/// Parses every council.yaml `load` read into the shared sources.
pub fn parse_councils(
    read: &[TreeFile],
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Councils {
    let mut councils = Councils::default();
    for TreeFile { path, file } in read {
        let dir = crate::load::real_path(path.parent().unwrap_or(Path::new("")));
        let Some(file) = *file else {
            councils.broken.push(dir);
            continue;
        };
        let text = sources.text(file);
        match frontmatter::read_yaml::<CouncilMeta>(file, text, 0..text.len(), "council.yaml") {
            Ok(meta) => councils.parsed.push(Council { file, dir, meta }),
            Err(d) => {
                diagnostics.push(*d);
                councils.broken.push(dir);
            }
        }
    }
    councils
}

/// What the tree's meeting files say about its papers: where each paper is listed, and
/// which meeting files could not be read (then no paper can be shown not to be in Part 2).
#[derive(Default)]
pub struct Meetings {
    /// Listings by the paper folder's real path.
    pub listings: std::collections::BTreeMap<PathBuf, Vec<Listing>>,
    pub unreadable: Vec<PathBuf>,
}

impl Meetings {
    /// Where the meetings list the paper in `dir`.
    pub fn of(&self, dir: &Path) -> &[Listing] {
        crate::load::existing_real_path(dir)
            .and_then(|d| self.listings.get(&d))
            .map_or(&[], Vec::as_slice)
    }

    /// A fingerprint of what the meetings say about `dir`, for a build cache's key.
    pub fn fingerprint(&self, dir: &Path) -> String {
        let parts: Vec<String> = self
            .of(dir)
            .iter()
            .map(|l| format!("{}:{:?}", l.part, l.paragraph))
            .collect();
        format!(
            "listed={} unreadable={:?}",
            parts.join(","),
            self.unreadable
        )
    }
}

/// Parses every meeting file `load` read, noting where each lists a paper. A paper folder
/// that does not exist is left to `clerk pack` to report.
pub fn parse_meetings(
    read: &[TreeFile],
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Meetings {
    let mut meetings = Meetings::default();
    for TreeFile { path, file } in read {
        let Some(file) = *file else {
            meetings.unreadable.push(path.clone());
            continue;
        };
        let text = sources.text(file);
        let meta = match frontmatter::read_yaml::<MeetingMeta>(file, text, 0..text.len(), "meeting")
        {
            Ok(meta) => meta,
            Err(d) => {
                diagnostics.push(*d);
                meetings.unreadable.push(path.clone());
                continue;
            }
        };
        let dir = path.parent().unwrap_or(Path::new(""));
        let parts = [
            (1u8, meta.part1.iter().flatten()),
            (2u8, meta.part2.iter().flatten()),
        ];
        let late = meta.supplements.iter().flat_map(|s| s.items.iter());
        let items = parts
            .into_iter()
            .flat_map(|(part, items)| items.map(move |i| (part, i)))
            .chain(late.map(|i| (1u8, i)));
        for (part, item) in items {
            let Some(paper) = &item.paper else { continue };
            let Some(folder) = crate::load::existing_real_path(&dir.join(paper.value.trim()))
            else {
                continue;
            };
            let span = paper.referenced.span();
            let start = span.byte_offset().unwrap_or(0) as usize;
            meetings.listings.entry(folder).or_default().push(Listing {
                file,
                span: start..start + (span.byte_len().unwrap_or(0) as usize).max(1),
                part,
                paragraph: item.paragraph.as_ref().map(|p| p.value),
            });
        }
    }
    meetings
}

/// The council whose folder is the nearest ancestor of `dir`; none when the nearest
/// council.yaml could not be read (its rules are unknown, and a farther one's do not apply).
fn governing_council(dir: &Path, councils: &Councils) -> Option<usize> {
    let dir = crate::load::real_path(dir);
    let depth = |p: &Path| p.components().count();
    let nearest_broken = councils
        .broken
        .iter()
        .filter(|b| dir.starts_with(b))
        .map(|b| depth(b))
        .max();
    councils
        .parsed
        .iter()
        .enumerate()
        .filter(|(_, c)| dir.starts_with(&c.dir))
        .max_by_key(|(_, c)| depth(&c.dir))
        .filter(|(_, c)| nearest_broken.is_none_or(|b| depth(&c.dir) > b))
        .map(|(i, _)| i)
}

/// Parses one paper's files into the model; also returns the table cells formulas govern.
pub fn parse_paper(
    files: &PaperFiles,
    sources: &dyn SourceText,
    councils: &Councils,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Paper, BTreeSet<crate::model::FormulaCell>) {
    let mut paper = Paper {
        dir: files.dir.clone(),
        council: governing_council(&files.dir, councils),
        ..Default::default()
    };
    paper.report = files
        .report
        .and_then(|f| parse_source::<ReportMeta>(f, sources, "report", diagnostics));
    paper.decision = files
        .decision
        .and_then(|f| parse_source::<DecisionMeta>(f, sources, "decision", diagnostics));
    for &f in &files.appendices {
        if let Some(a) = parse_appendix(f, sources, diagnostics) {
            paper.appendices.push(a);
        }
    }
    let mut formula_cells = BTreeSet::new();
    if let Some(report) = &paper.report {
        let (figs, cells, diags) = figures::resolve(report);
        paper.figures = figs;
        formula_cells = cells;
        diagnostics.extend(diags);
    }
    (paper, formula_cells)
}

/// A record with no report beside it (reported whether or not the record itself parses).
pub fn orphan_decision(decision: FileId) -> Diagnostic {
    Diagnostic::error(
        Code::OrphanDecision,
        decision,
        0..3,
        "a record of decision with no report beside it",
    )
    .with_hint("put the report it records as report.md in the same folder")
}

/// Reads one paper file: splits it, deserialises its front matter and parses its body.
pub fn parse_source<M: DeserializeOwned>(
    file: FileId,
    sources: &dyn SourceText,
    kind: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Source<M>> {
    let text = sources.text(file);
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            diagnostics.push(Diagnostic::error(e.code, file, e.range, e.message).with_hint(e.hint));
            return None;
        }
    };
    let opening = split.front_matter.start..split.front_matter.start + 3;
    let read = recover::read::<M>(file, text, split.yaml.clone(), opening, kind, diagnostics)?;
    let body = markdown::parse(&text[split.body.clone()], split.body.start);
    let unconfirmed_classification = unconfirmed_classification(&text[split.yaml.clone()]);
    Some(Source {
        file,
        yaml_base: split.yaml.start,
        front_matter: split.front_matter,
        meta: read.meta,
        body,
        recovered: read.recovered,
        moved: read.moved,
        defaulted: read.defaulted,
        unconfirmed_classification,
    })
}

/// Whether the classification (or exempt paragraph) still carries `clerk import`'s mark.
fn unconfirmed_classification(yaml: &str) -> bool {
    yaml.lines().any(|l| {
        (l.starts_with("classification:") || l.starts_with("exempt_paragraph:"))
            && l.contains(crate::model::IMPORT_MARK)
    })
}

/// An appendix may have front matter or none at all.
fn parse_appendix(
    file: FileId,
    sources: &dyn SourceText,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Source<AppendixMeta>> {
    let text = sources.text(file);
    if frontmatter::split(text).is_ok() {
        return parse_source::<AppendixMeta>(file, sources, "appendix", diagnostics);
    }
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = markdown::parse(&text[start..], start);
    Some(Source {
        file,
        yaml_base: 0,
        front_matter: 0..0,
        meta: AppendixMeta::default(),
        body,
        recovered: false,
        moved: Vec::new(),
        defaulted: Vec::new(),
        unconfirmed_classification: false,
    })
}
