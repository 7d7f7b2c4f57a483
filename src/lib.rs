//! clerk: checks and publishes UK local-government committee papers.
//!
//! The pipeline, one module per stage:
//! `load` (find and read files) → `parse` (front matter and Markdown into `model`) →
//! `check` (every rule) → `diagnostic` (data the CLI prints as text or JSON).
//!
//! Papers stream through the pipeline in parallel: each is read, parsed and checked in its own
//! task and dropped, keeping only the text of files a diagnostic points into. Memory stays
//! flat however many papers a tree holds.

pub mod build;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod import;
pub mod imported;
pub(crate) mod load;
pub mod model;
pub(crate) mod pack;
pub mod parse;

pub mod render;
pub(crate) mod scaffold;
pub(crate) mod serve;
pub(crate) mod site;
pub(crate) mod text;

pub(crate) mod write;

use std::path::PathBuf;

use rayon::prelude::*;

use diagnostic::{Diagnostic, LocalFiles, LocalSources, Severity, SourceMap};
use load::PaperPaths;

/// The outcome of checking a set of paths.
pub struct Checked {
    /// The files diagnostics point into (and every council.yaml).
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    /// Every amount of every paper's prose with its verdict, in file order, when asked for
    /// (`locate_amounts`).
    pub amounts: Vec<Located>,
    pub papers: usize,
    /// Input could not be read at all or the paths were wrong (exit code 2).
    pub usage_error: bool,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
}

/// Where a fact is written, by file, line and column.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LocatedFact {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One amount of a paper's prose: where it is, what it is said of, and clerk's verdict on it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub text: String,
    pub verdict: &'static str,
    /// The words it is said of.
    pub subject: String,
    /// What explains it (the fact, or the arithmetic), what it was linked to, or why nothing.
    pub explanation: String,
    /// What kind of explanation, when it has one.
    pub kind: Option<model::verdict::Kind>,
    /// What links it to its explanation: its words, its sentence's arithmetic, or value alone.
    pub evidence: Option<String>,
    /// Where the explaining fact is written.
    pub fact: Option<LocatedFact>,
}

static LOCATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Keeps every amount's verdict, located, in `Checked::amounts` (for `--format json` and
/// `clerk explain`); otherwise they are dropped with their paper.
pub fn locate_amounts() {
    LOCATE.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// 1-based line and column (in characters) of each offset of a text, computed in one pass
/// over the offsets in order.
fn lines_and_columns(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
    for i in order {
        let target = offsets[i].min(text.len());
        for c in text.get(at..target).unwrap_or("").chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        at = at.max(target);
        out[i] = (line, column);
    }
    out
}

/// Each offset the amounts of one paper point at (their own, and their facts'), by file, as
/// a line and a column.
fn places(
    amounts: &[model::AmountNote],
    sources: &dyn diagnostic::SourceText,
) -> std::collections::BTreeMap<(usize, usize), (usize, usize)> {
    let fact = |a: &model::AmountNote| a.verdict.explanation().and_then(|e| e.place.clone());
    let mut files: Vec<usize> = amounts
        .iter()
        .flat_map(|a| std::iter::once(a.file).chain(fact(a).map(|p| p.file)))
        .collect();
    files.sort_unstable();
    files.dedup();
    let mut at = std::collections::BTreeMap::new();
    for &f in &files {
        let mut offsets: Vec<usize> = Vec::new();
        for a in amounts {
            if a.file == f {
                offsets.push(a.range.start);
            }
            offsets.extend(fact(a).filter(|p| p.file == f).map(|p| p.range.start));
        }
        let found = lines_and_columns(sources.text(f), &offsets);
        for (o, lc) in offsets.into_iter().zip(found) {
            at.insert((f, o), lc);
        }
    }
    at
}

/// The amounts of one paper with their places as lines and columns.
fn locate(amounts: &[model::AmountNote], sources: &dyn diagnostic::SourceText) -> Vec<Located> {
    let at = places(amounts, sources);
    let name = |f: usize| {
        sources
            .path_of(f)
            .map(diagnostic::display_path)
            .unwrap_or_default()
    };
    let place = |f: usize, o: usize| at.get(&(f, o)).copied().unwrap_or((1, 1));
    amounts
        .iter()
        .map(|a| {
            let (line, column) = place(a.file, a.range.start);
            let e = a.verdict.explanation();
            Located {
                file: name(a.file),
                line,
                column,
                text: a.written.clone(),
                verdict: a.verdict.name(),
                subject: a.subject.clone(),
                explanation: a.verdict.detail(),
                kind: e.map(|e| e.kind),
                evidence: e.map(|e| e.evidence.describe()),
                fact: e.and_then(|e| e.place.as_ref()).map(|p| {
                    let (line, column) = place(p.file, p.range.start);
                    LocatedFact {
                        file: name(p.file),
                        line,
                        column,
                    }
                }),
            }
        })
        .collect()
}

/// What checking one paper leaves behind, with what a visitor made of it.
struct PaperOutcome<T> {
    files: LocalFiles,
    diagnostics: Vec<Diagnostic>,
    amounts: Vec<Located>,
    number: Option<check::NumberEntry>,
    made: T,
}

/// What a visitor sees of one checked paper: the paper, its sources and its findings.
pub struct Visit<'a> {
    pub cx: &'a check::PaperContext<'a>,
    pub paths: &'a PaperPaths,
    pub diagnostics: &'a [Diagnostic],
    /// Every amount of the paper's prose with its verdict (from the one run of the checks).
    pub amounts: &'a [model::AmountNote],
    /// What the tree's meeting files say about the paper (see `Signals`).
    pub signals: &'a str,
}

/// What every paper is read against: the councils and meetings of the tree.
struct Tree<'a> {
    shared: &'a SourceMap,
    councils: &'a parse::Councils,
    meetings: &'a parse::Meetings,
}

fn check_one<T>(
    paths: &PaperPaths,
    tree: &Tree,
    visit: &(dyn Fn(&Visit) -> T + Sync),
) -> PaperOutcome<T> {
    let (shared, councils) = (tree.shared, tree.councils);
    let mut sources = LocalSources::new(shared);
    let mut diagnostics = Vec::new();
    let files = load::read_paper(paths, &mut sources, &mut diagnostics);
    if paths.report.is_none() {
        if let Some(decision) = files.decision {
            diagnostics.push(parse::orphan_decision(decision));
        }
    }
    let (paper, formula_cells) = parse::parse_paper(&files, &sources, councils, &mut diagnostics);
    let listings = tree.meetings.of(&paths.dir);
    let publication =
        check::publication::decide(paths, &paper, listings, &tree.meetings.unreadable);
    let cx = check::PaperContext {
        paper: &paper,
        council: paper.council.map(|i| &councils.parsed[i]),
        formula_cells: &formula_cells,
        sources: &sources,
        listings,
        publication: &publication,
    };
    let check::Checked {
        diagnostics: mut findings,
        amounts,
    } = check::check_paper(&cx);
    if councils.broken_above(&paths.dir) {
        // Its council.yaml is there but broken, and says so itself.
        findings.retain(|d| d.code != diagnostic::Code::NoCouncil);
    }
    diagnostics.extend(findings);
    let made = visit(&Visit {
        cx: &cx,
        paths,
        diagnostics: &diagnostics,
        amounts: &amounts,
        signals: &tree.meetings.fingerprint(&paths.dir),
    });
    let located = if LOCATE.load(std::sync::atomic::Ordering::Relaxed) {
        locate(&amounts, &sources)
    } else {
        Vec::new()
    };
    let number = paths
        .report
        .as_deref()
        .and_then(|p| check::number_entry(&paper, p));
    PaperOutcome {
        files: sources.into_files(&diagnostics),
        diagnostics,
        amounts: located,
        number,
        made,
    }
}

/// Loads, parses and checks every paper under `roots`, handing each checked paper to `visit`
/// (in parallel) before it is dropped. Diagnostics come back sorted; `visit`'s results in the
/// order the papers were found.
pub fn run<T: Send>(roots: &[PathBuf], visit: &(dyn Fn(&Visit) -> T + Sync)) -> (Checked, Vec<T>) {
    run_reusing(roots, &[], &|_, _| None, visit)
}

/// What an earlier run left for an unchanged paper: its findings, its decision number, and
/// what the visitor made of it. A paper with one is not parsed, checked or visited again.
pub struct Reused<T> {
    pub diagnostics: Vec<diagnostic::StoredDiagnostic>,
    pub number: Option<check::NumberEntry>,
    pub made: T,
}

fn reuse_one<T>(shared: &SourceMap, reused: Reused<T>) -> PaperOutcome<T> {
    let mut sources = LocalSources::new(shared);
    let diagnostics: Vec<Diagnostic> = reused
        .diagnostics
        .iter()
        .filter_map(|d| d.restore(&mut sources, &|p| load::read_text(p).unwrap_or_default()))
        .collect();
    PaperOutcome {
        files: sources.into_files(&diagnostics),
        diagnostics,
        amounts: Vec::new(),
        number: reused.number,
        made: reused.made,
    }
}

/// What `reuse` is told of a paper besides its files: a fingerprint of what the tree's meeting
/// files say about it, which its cached output depends on too.
pub type Signals<'a> = &'a str;

/// `run`, but asking `reuse` first whether a paper is unchanged since an earlier run. Meeting
/// files in `meetings` are read besides those found beside the roots.
pub fn run_reusing<T: Send>(
    roots: &[PathBuf],
    meetings: &[PathBuf],
    reuse: &(dyn Fn(&PaperPaths, Signals) -> Option<Reused<T>> + Sync),
    visit: &(dyn Fn(&Visit) -> T + Sync),
) -> (Checked, Vec<T>) {
    let mut found = load::discover(roots);
    load::add_meetings(&mut found, meetings);
    run_found(found, reuse, visit)
}

/// `run_reusing` over papers already found (or made in memory, as `clerk check FILE.docx`
/// does).
pub fn run_found<T: Send>(
    found: load::Discovered,
    reuse: &(dyn Fn(&PaperPaths, Signals) -> Option<Reused<T>> + Sync),
    visit: &(dyn Fn(&Visit) -> T + Sync),
) -> (Checked, Vec<T>) {
    let mut diagnostics = found.diagnostics;
    let mut sources = SourceMap::new();
    let council_files = load::read_tree_files(&found.councils, &mut sources, &mut diagnostics);
    let meeting_files = load::read_tree_files(&found.meetings, &mut sources, &mut diagnostics);
    let councils = parse::parse_councils(&council_files, &sources, &mut diagnostics);
    let meetings = parse::parse_meetings(&meeting_files, &sources, &mut diagnostics);
    let tree = Tree {
        shared: &sources,
        councils: &councils,
        meetings: &meetings,
    };

    let outcomes: Vec<PaperOutcome<T>> = found
        .papers
        .par_iter()
        .map(|p| match reuse(p, &meetings.fingerprint(&p.dir)) {
            Some(reused) => reuse_one(&sources, reused),
            None => check_one(p, &tree, visit),
        })
        .collect();
    let mut numbers = Vec::new();
    let mut amounts = Vec::new();
    let mut made = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        amounts.extend(outcome.amounts);
        let mut diags = outcome.diagnostics;
        sources.adopt(outcome.files, &mut diags);
        diagnostics.append(&mut diags);
        numbers.extend(outcome.number);
        made.push(outcome.made);
    }
    // A paper's text was dropped unless a diagnostic needed it: read it again to show a clash.
    let mut file_of = |path: &std::path::Path| match sources.find(path) {
        Some(id) => id,
        None => sources.add(path, load::read_text(path).unwrap_or_default()),
    };
    diagnostics.extend(check::unique_decision_numbers(&numbers, &mut file_of));
    diagnostic::sort(&mut diagnostics, &sources);
    amounts.sort_by(|a: &Located, b: &Located| {
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    let checked = Checked {
        sources,
        diagnostics,
        amounts,
        papers: found.papers.len(),
        usage_error: found.usage_error,
    };
    (checked, made)
}

/// Loads, parses and checks every paper under `roots`.
pub fn check_paths(roots: &[PathBuf]) -> Checked {
    run(roots, &|_| ()).0
}
