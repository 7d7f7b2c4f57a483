//! Check: every rule is a small module, `&PaperContext -> Vec<Diagnostic>`. Adding a check means
//! adding a module and one line to `PAPER_CHECKS`.

pub mod dates;
pub mod emails;
pub mod meeting;
pub mod numbering;
pub mod placeholders;
pub mod publication;
pub mod recommendations;
pub mod reconcile;
pub mod record;
pub mod sections;
pub mod statute;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::diagnostic::{Code, Diagnostic, SourceText};
use crate::model::FormulaCell;
use crate::model::{AppendixMeta, Council, Document, Paper, Source};

/// What a check may read about one paper.
pub struct PaperContext<'a> {
    pub paper: &'a Paper,
    pub council: Option<&'a Council>,
    /// Table cells whose value a figure's formula governs, by table id.
    pub formula_cells: &'a BTreeSet<FormulaCell>,
    pub sources: &'a dyn SourceText,
    /// Where the tree's meeting files list this paper.
    pub listings: &'a [crate::model::meeting::Listing],
    /// Whether the paper may be published (`publication::decide`).
    pub publication: &'a publication::Publication,
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

/// A per-paper check: most give findings; the reconciliation engine gives a verdict on every
/// amount besides.
pub enum Rule {
    Findings(PaperCheck),
    Amounts(fn(&PaperContext) -> reconcile::Reconciled),
}

/// Every per-paper check, in the order their findings are usually read.
pub const PAPER_CHECKS: &[(&str, Rule)] = &[
    ("tables", Rule::Findings(tables::check)),
    ("placeholders", Rule::Findings(placeholders::check)),
    ("reconcile", Rule::Amounts(reconcile::run)),
    ("record", Rule::Findings(record::check)),
    ("recommendations", Rule::Findings(recommendations::check)),
    ("statute", Rule::Findings(statute::check)),
    ("sections", Rule::Findings(sections::check)),
    ("numbering", Rule::Findings(numbering::check)),
    ("dates", Rule::Findings(dates::check)),
    ("emails", Rule::Findings(emails::check)),
    ("publication", Rule::Findings(publication::check)),
];

/// What checking one paper found: its findings, and a verdict on every amount of its prose.
#[derive(Default)]
pub struct Checked {
    pub diagnostics: Vec<Diagnostic>,
    pub amounts: Vec<crate::model::AmountNote>,
}

static TIMING: AtomicBool = AtomicBool::new(false);
static SPENT: [AtomicU64; PAPER_CHECKS.len()] = [const { AtomicU64::new(0) }; PAPER_CHECKS.len()];

/// Starts timing each check (`clerk check --timings`).
pub fn time_checks() {
    TIMING.store(true, Ordering::Relaxed);
}

/// The time each check has taken so far, summed over every paper and thread.
pub fn timings() -> Vec<(&'static str, std::time::Duration)> {
    PAPER_CHECKS
        .iter()
        .zip(SPENT.iter())
        .map(|((name, _), spent)| {
            (
                *name,
                std::time::Duration::from_nanos(spent.load(Ordering::Relaxed)),
            )
        })
        .collect()
}

/// Runs every check on one paper.
pub fn check_paper(cx: &PaperContext) -> Checked {
    let timing = TIMING.load(Ordering::Relaxed);
    let mut checked = Checked::default();
    let out = &mut checked.diagnostics;
    for (i, (_, rule)) in PAPER_CHECKS.iter().enumerate() {
        let start = timing.then(std::time::Instant::now);
        match rule {
            Rule::Findings(check) => out.extend(check(cx)),
            Rule::Amounts(run) => {
                let r = run(cx);
                out.extend(r.diagnostics);
                checked.amounts = r.amounts;
            }
        }
        if let Some(start) = start {
            SPENT[i].fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
    }
    if cx.council.is_none() {
        if let Some(r) = &cx.paper.report {
            out.push(
                Diagnostic::warning(Code::NoCouncil, r.file, r.front_matter_start(), "no council.yaml governs this paper")
                    .with_hint("put a council.yaml in this folder or one above it; until then e-mail domains, required sections and the key-decision threshold are not checked"),
            );
        }
    }
    checked
}

/// Where a paper's decision number is written, for the check across the tree.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NumberEntry {
    pub council: Option<usize>,
    pub number: String,
    pub path: PathBuf,
    pub range: Range<usize>,
}

pub fn number_entry(paper: &Paper, report_path: &Path) -> Option<NumberEntry> {
    let report = paper.report.as_ref()?;
    let number = report.meta.decision_number.as_ref()?;
    Some(NumberEntry {
        council: paper.council,
        number: number.value.trim().to_string(),
        path: report_path.to_path_buf(),
        range: report.span(number),
    })
}

/// Decision numbers are unique within each council's papers. `file_of` gives a file id for a
/// path, reading it again if need be, so the diagnostic can show the line.
pub fn unique_decision_numbers(
    entries: &[NumberEntry],
    file_of: &mut dyn FnMut(&Path) -> crate::diagnostic::FileId,
) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(Option<usize>, &str), &NumberEntry> = BTreeMap::new();
    let mut out = Vec::new();
    for entry in entries {
        let key = (entry.council, entry.number.as_str());
        match seen.get(&key) {
            Some(first) => {
                let (file, first_file) = (file_of(&entry.path), file_of(&first.path));
                out.push(
                    Diagnostic::error(
                        Code::DuplicateDecisionNumber,
                        file,
                        entry.range.clone(),
                        format!(
                            "decision number {} is used by another paper too",
                            entry.number
                        ),
                    )
                    .with_related(
                        first_file,
                        first.range.clone(),
                        "first used here",
                    ),
                );
            }
            None => {
                seen.insert(key, entry);
            }
        }
    }
    out
}
