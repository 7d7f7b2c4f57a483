//! Parse: turn the files that load read into the typed model, reporting whatever is malformed.

pub mod figures;
pub mod formula;
pub mod frontmatter;
pub mod markdown;

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, FileId, SourceMap};
use crate::load::{CouncilFile, Loaded, PaperFiles};
use crate::model::{
    AppendixMeta, Council, CouncilMeta, DecisionMeta, Paper, ReportMeta, Source, Tree,
};

/// The parsed tree, with the table cells that formulas govern (for the table check).
pub struct Parsed {
    pub tree: Tree,
    pub formula_cells: Vec<BTreeSet<figures::FormulaCell>>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn parse_tree(loaded: &Loaded) -> Parsed {
    let sources = &loaded.sources;
    let skip: BTreeSet<FileId> = loaded.unreadable.iter().copied().collect();
    let mut diagnostics = Vec::new();

    let mut councils = Vec::new();
    for CouncilFile { dir, file } in &loaded.councils {
        if skip.contains(file) {
            continue;
        }
        let text = sources.text(*file);
        match frontmatter::read_yaml::<CouncilMeta>(*file, text, 0..text.len(), "council.yaml") {
            Ok(meta) => councils.push(Council {
                file: *file,
                dir: dir.clone(),
                meta,
            }),
            Err(d) => diagnostics.push(d),
        }
    }

    let results: Vec<(Paper, BTreeSet<figures::FormulaCell>, Vec<Diagnostic>)> = loaded
        .papers
        .par_iter()
        .map(|files| parse_paper(files, sources, &skip, &councils))
        .collect();
    let mut papers = Vec::with_capacity(results.len());
    let mut formula_cells = Vec::with_capacity(results.len());
    for (paper, cells, diags) in results {
        papers.push(paper);
        formula_cells.push(cells);
        diagnostics.extend(diags);
    }
    Parsed {
        tree: Tree { councils, papers },
        formula_cells,
        diagnostics,
    }
}

/// The council whose folder is the nearest ancestor of `dir`.
fn governing_council(dir: &Path, councils: &[Council]) -> Option<usize> {
    councils
        .iter()
        .enumerate()
        .filter(|(_, c)| dir.starts_with(&c.dir))
        .max_by_key(|(_, c)| c.dir.components().count())
        .map(|(i, _)| i)
}

fn parse_paper(
    files: &PaperFiles,
    sources: &SourceMap,
    skip: &BTreeSet<FileId>,
    councils: &[Council],
) -> (Paper, BTreeSet<figures::FormulaCell>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut paper = Paper {
        dir: files.dir.clone(),
        council: governing_council(&files.dir, councils),
        ..Default::default()
    };

    let readable = |f: &Option<FileId>| f.filter(|id| !skip.contains(id));
    paper.report = readable(&files.report)
        .and_then(|f| parse_source::<ReportMeta>(f, sources, "report", &mut diagnostics));
    paper.decision = readable(&files.decision)
        .and_then(|f| parse_source::<DecisionMeta>(f, sources, "decision", &mut diagnostics));
    for &f in files.appendices.iter().filter(|f| !skip.contains(f)) {
        if let Some(a) = parse_appendix(f, sources, &mut diagnostics) {
            paper.appendices.push(a);
        }
    }

    if files.report.is_none() {
        if let Some(decision) = files.decision {
            diagnostics.push(
                Diagnostic::error(
                    Code::OrphanDecision,
                    decision,
                    0..3,
                    "a record of decision with no report beside it",
                )
                .with_hint("put the report it records as report.md in the same folder"),
            );
        }
    }

    let mut formula_cells = BTreeSet::new();
    if let Some(report) = &paper.report {
        let (figs, cells, diags) = figures::resolve(report);
        paper.figures = figs;
        formula_cells = cells;
        diagnostics.extend(diags);
    }
    (paper, formula_cells, diagnostics)
}

/// Reads one paper file: splits it, deserialises its front matter and parses its body.
pub fn parse_source<M: DeserializeOwned>(
    file: FileId,
    sources: &SourceMap,
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
    let meta = match frontmatter::read_yaml::<M>(file, text, split.yaml.clone(), kind) {
        Ok(m) => m,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    };
    let body = markdown::parse(&text[split.body.clone()], split.body.start);
    Some(Source {
        file,
        yaml_base: split.yaml.start,
        front_matter: split.front_matter,
        meta,
        body,
    })
}

/// An appendix may have front matter or none at all.
fn parse_appendix(
    file: FileId,
    sources: &SourceMap,
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
    })
}
