//! clerk: checks and publishes UK local-government committee papers.
//!
//! The pipeline, one module per stage:
//! `load` (find and read files) → `parse` (front matter and Markdown into `model`) →
//! `check` (every rule, in parallel) → `diagnostic` (data the CLI prints as text or JSON).

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod money;
pub mod parse;

use std::path::PathBuf;

use diagnostic::{Diagnostic, Severity, SourceMap};

/// The outcome of checking a set of paths.
pub struct Checked {
    pub sources: SourceMap,
    pub parsed: parse::Parsed,
    pub diagnostics: Vec<Diagnostic>,
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

/// Loads, parses and checks every paper under `roots`; diagnostics come back sorted.
pub fn check_paths(roots: &[PathBuf]) -> Checked {
    let loaded = load::load(roots);
    let parsed = parse::parse_tree(&loaded);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(parsed.diagnostics.iter().cloned());
    diagnostics.extend(check::run(&parsed, &loaded.sources));
    let usage_error = loaded.usage_error;
    let sources = loaded.sources;
    diagnostic::sort(&mut diagnostics, &sources);
    Checked {
        sources,
        parsed,
        diagnostics,
        usage_error,
    }
}
