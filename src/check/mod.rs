//! Check: every rule is a small module, `&PaperContext -> Vec<Diagnostic>`. Adding a check means
//! adding a module and one line to `PAPER_CHECKS`.

pub mod amounts;
pub mod dates;
pub mod emails;
pub mod numbering;
pub mod placeholders;
pub mod recommendations;
pub mod record;
pub mod sections;
pub mod statute;
pub mod tables;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, SourceMap};
use crate::model::{AppendixMeta, Council, Document, Paper, Source};
use crate::parse::figures::FormulaCell;
use crate::parse::Parsed;

/// What a check may read about one paper.
pub struct PaperContext<'a> {
    pub paper: &'a Paper,
    pub council: Option<&'a Council>,
    /// Table cells whose value a figure's formula governs, by table id.
    pub formula_cells: &'a BTreeSet<FormulaCell>,
    pub sources: &'a SourceMap,
}

impl PaperContext<'_> {
    /// Every body in the paper with its file: report, record, appendices.
    pub fn bodies(&self) -> Vec<(crate::diagnostic::FileId, &Document)> {
        let mut out = Vec::new();
        if let Some(r) = &self.paper.report {
            out.push((r.file, &r.body));
        }
        if let Some(d) = &self.paper.decision {
            out.push((d.file, &d.body));
        }
        for a in &self.paper.appendices {
            out.push((a.file, &a.body));
        }
        out
    }

    pub fn appendices(&self) -> &[Source<AppendixMeta>] {
        &self.paper.appendices
    }
}

type PaperCheck = fn(&PaperContext) -> Vec<Diagnostic>;

/// Every per-paper check, in the order their findings are usually read.
pub const PAPER_CHECKS: &[(&str, PaperCheck)] = &[
    ("tables", tables::check),
    ("placeholders", placeholders::check),
    ("amounts", amounts::check),
    ("record", record::check),
    ("recommendations", recommendations::check),
    ("statute", statute::check),
    ("sections", sections::check),
    ("numbering", numbering::check),
    ("dates", dates::check),
    ("emails", emails::check),
];

/// Runs every check on every paper, in parallel, then the checks across the tree.
pub fn run(parsed: &Parsed, sources: &SourceMap) -> Vec<Diagnostic> {
    let tree = &parsed.tree;
    let mut diagnostics: Vec<Diagnostic> = tree
        .papers
        .par_iter()
        .zip(parsed.formula_cells.par_iter())
        .flat_map_iter(|(paper, formula_cells)| {
            let cx = PaperContext { paper, council: paper.council.map(|i| &tree.councils[i]), formula_cells, sources };
            let mut out: Vec<Diagnostic> = PAPER_CHECKS.iter().flat_map(|(_, check)| check(&cx)).collect();
            if cx.council.is_none() {
                if let Some(r) = &paper.report {
                    out.push(
                        Diagnostic::warning(Code::NoCouncil, r.file, r.front_matter_start(), "no council.yaml governs this paper")
                            .with_hint("put a council.yaml in this folder or one above it; until then e-mail domains, required sections and the key-decision threshold are not checked"),
                    );
                }
            }
            out
        })
        .collect();
    diagnostics.extend(unique_decision_numbers(tree));
    diagnostics
}

/// Decision numbers are unique within each council's papers.
fn unique_decision_numbers(tree: &crate::model::Tree) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<
        (Option<usize>, String),
        (crate::diagnostic::FileId, std::ops::Range<usize>),
    > = BTreeMap::new();
    let mut out = Vec::new();
    for paper in &tree.papers {
        let Some(report) = &paper.report else {
            continue;
        };
        let Some(number) = &report.meta.decision_number else {
            continue;
        };
        let key = (paper.council, number.value.trim().to_string());
        let span = report.span(number);
        match seen.get(&key) {
            Some((file, first)) => out.push(
                Diagnostic::error(
                    Code::DuplicateDecisionNumber,
                    report.file,
                    span,
                    format!("decision number {} is used by another paper too", key.1),
                )
                .with_related(*file, first.clone(), "first used here"),
            ),
            None => {
                seen.insert(key, (report.file, span));
            }
        }
    }
    out
}
