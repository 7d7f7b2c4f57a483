//! The review view: for reviewers, never for publication. Per paper, every figure with its value
//! and where the text quotes it, how each decision's words compare with its recommendation's,
//! and every line of every file with `clerk check`'s findings marked where they point.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::check::text::{same_words, word_diff};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::AmountNote;
use crate::money::format_exact;
use crate::Visit;

#[derive(Serialize)]
pub struct Review {
    pub title: String,
    pub errors: usize,
    pub warnings: usize,
    pub figures: Vec<FigureRow>,
    /// Every amount of the prose, with what explains it.
    pub amounts: Vec<AmountRow>,
    pub diffs: Vec<DiffRow>,
    pub files: Vec<ReviewFile>,
}

#[derive(Serialize)]
pub struct FigureRow {
    pub name: String,
    pub value: String,
    pub quoted: String,
}

#[derive(Serialize)]
pub struct AmountRow {
    /// "report.md line 67".
    pub place: String,
    /// The line on this page where it stands.
    pub href: String,
    pub amount: String,
    pub verdict: &'static str,
    pub explanation: String,
}

#[derive(Serialize)]
pub struct DiffRow {
    pub id: String,
    pub diff: String,
}

#[derive(Serialize)]
pub struct ReviewFile {
    pub name: String,
    /// The id of the file's heading; line N is `ANCHOR-lN`.
    pub anchor: String,
    pub lines: Vec<ReviewLine>,
}

/// The review page's anchor for a file ("report.md" is `report-md`), so other pages can link to
/// a line of it.
pub fn file_anchor(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct ReviewLine {
    pub number: usize,
    pub text: String,
    pub marks: Vec<Mark>,
}

#[derive(Serialize)]
pub struct Mark {
    pub severity: &'static str,
    pub code: &'static str,
    pub column: usize,
    pub message: String,
    pub notes: Vec<String>,
}

fn figure_quote() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\{\{\s*fig\.([A-Za-z_][A-Za-z0-9_]*)").expect("valid"))
}

/// 1-based line and column (in characters) of a byte offset, given where each line starts:
/// one search per finding, so thousands of findings cost no more than reading the file.
fn line_column(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let column = text[starts[line - 1]..offset].chars().count() + 1;
    (line, column)
}

fn file_view(name: String, text: &str, file: usize, diagnostics: &[Diagnostic]) -> ReviewFile {
    let mut lines: Vec<ReviewLine> = text
        .lines()
        .enumerate()
        .map(|(i, l)| ReviewLine {
            number: i + 1,
            text: l.to_string(),
            marks: Vec::new(),
        })
        .collect();
    if lines.is_empty() {
        lines.push(ReviewLine {
            number: 1,
            text: String::new(),
            marks: Vec::new(),
        });
    }
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    for d in diagnostics.iter().filter(|d| d.file == Some(file)) {
        let (line, column) = line_column(text, &starts, d.range.start);
        let mut notes = d.notes.clone();
        notes.extend(d.hint.iter().map(|h| format!("help: {h}")));
        let index = line.min(lines.len()) - 1;
        lines[index].marks.push(Mark {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.id(),
            column,
            message: d.message.clone(),
            notes,
        });
    }
    ReviewFile {
        anchor: file_anchor(&name),
        name,
        lines,
    }
}

/// One row per amount, in the order of the files and their lines.
fn amount_rows(visit: &Visit, amounts: &[AmountNote], names: &[(usize, String)]) -> Vec<AmountRow> {
    let mut rows = Vec::new();
    for (file, name) in names {
        let text = visit.cx.sources.text(*file);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut here: Vec<&AmountNote> = amounts.iter().filter(|a| a.file == *file).collect();
        here.sort_by_key(|a| a.range.start);
        for a in here {
            let (line, _) = line_column(text, &starts, a.range.start);
            rows.push(AmountRow {
                place: format!("{name} line {line}"),
                href: format!("#{}-l{line}", file_anchor(name)),
                amount: a.written.clone(),
                verdict: a.verdict,
                explanation: a.explanation.clone(),
            });
        }
    }
    rows
}

pub fn review(visit: &Visit, amounts: &[AmountNote]) -> Review {
    let paper = visit.cx.paper;
    let sources = visit.cx.sources;
    let mut files = Vec::new();
    let mut texts: Vec<(String, &str)> = Vec::new();
    let mut names: Vec<(usize, String)> = Vec::new();
    let all = paper
        .report
        .as_ref()
        .map(|s| s.file)
        .into_iter()
        .chain(paper.decision.as_ref().map(|s| s.file))
        .chain(paper.appendices.iter().map(|s| s.file));
    for (file, path) in all.zip(
        visit
            .paths
            .report
            .iter()
            .chain(visit.paths.decision.iter())
            .chain(visit.paths.appendices.iter()),
    ) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = sources.text(file);
        files.push(file_view(name.clone(), text, file, visit.diagnostics));
        names.push((file, name.clone()));
        texts.push((name, text));
    }
    let amounts = amount_rows(visit, amounts, &names);

    // Where the text quotes each figure ({{ fig.NAME }}), read in one pass over every line.
    let mut quoted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in &texts {
        for (i, line) in text.lines().enumerate().filter(|(_, l)| l.contains("fig.")) {
            for caps in figure_quote().captures_iter(line) {
                quoted
                    .entry(caps[1].to_string())
                    .or_default()
                    .push(format!("{name} line {}", i + 1));
            }
        }
    }
    let figures = paper
        .figures
        .values()
        .map(|f| {
            let places = quoted.remove(&f.name).unwrap_or_default();

            FigureRow {
                name: f.name.clone(),
                value: f
                    .value
                    .map(format_exact)
                    .unwrap_or_else(|| "(cannot be worked out)".into()),
                quoted: if places.is_empty() {
                    "not quoted".into()
                } else {
                    places.join(", ")
                },
            }
        })
        .collect();

    let mut diffs = Vec::new();
    if let (Some(report), Some(decision)) = (&paper.report, &paper.decision) {
        for item in &decision.meta.decisions {
            let id = &item.id.value.0;
            let rec = report
                .meta
                .recommendations
                .iter()
                .find(|r| &r.id.value.0 == id);
            let diff = match (rec, &item.text) {
                (None, _) => "no recommendation has this id".to_string(),
                (Some(_), None) => "taken from the report by reference: the same words".to_string(),
                (Some(r), Some(t)) => {
                    let expected = &r.decision.as_ref().unwrap_or(&r.text).value;
                    if same_words(expected, &t.value) {
                        "the same words".to_string()
                    } else {
                        format!("report → record: {}", word_diff(expected, &t.value))
                    }
                }
            };
            diffs.push(DiffRow {
                id: id.clone(),
                diff,
            });
        }
    }

    let title = paper
        .report
        .as_ref()
        .map(|r| r.meta.title.value.trim().to_string())
        .or_else(|| {
            paper
                .decision
                .as_ref()
                .map(|d| d.meta.subject.value.trim().to_string())
        })
        .unwrap_or_else(|| paper.dir.display().to_string());
    Review {
        title,
        errors: visit
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        warnings: visit
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        figures,
        amounts,
        diffs,
        files,
    }
}
