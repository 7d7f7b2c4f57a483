//! The review view: for reviewers, never for publication. Per paper, every figure with its value
//! and where the text quotes it, how each decision's words compare with its recommendation's,
//! and every line of every file with `clerk check`'s findings marked where they point.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic, Severity, SourceText};
use crate::model::money::format_exact;
use crate::model::{AmountNote, DecisionItem, Paper, Recommendation, ReportMeta, Source};
use crate::text::{same_words, word_diff};

#[derive(Serialize)]
pub struct Review {
    pub title: String,
    pub errors: usize,
    pub warnings: usize,
    /// Every finding, in order, each linking to its line below.
    pub findings: Vec<FindingRow>,
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
pub struct FindingRow {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    /// "report.md:23:76"; empty for a finding in no file.
    pub place: String,
    /// Its line on this page, when the page shows the file.
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct DiffRow {
    pub id: String,
    pub diff: String,
    /// The finding the row reports, when one concerns this recommendation.
    pub href: Option<String>,
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
    /// The line in pieces, those a finding points at marked: the template wraps each marked
    /// piece in `<mark>`, and every piece is escaped as text.
    pub pieces: Vec<Piece>,
    pub marks: Vec<Mark>,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

#[derive(Serialize)]
pub struct Mark {
    pub severity: &'static str,
    pub code: &'static str,
    pub column: usize,
    pub message: String,
    pub notes: Vec<String>,
}

static FIGURE_QUOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{\s*fig\.([A-Za-z_][A-Za-z0-9_]*)").expect("valid"));

/// Where each line of a text starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// 1-based line and column (in characters) of a byte offset, given where each line starts:
/// one search per finding, so thousands of findings cost no more than reading the file.
fn line_column(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
    let line = starts.partition_point(|&s| s <= offset).max(1);
    let column = text[starts[line - 1]..offset].chars().count() + 1;
    (line, column)
}

/// The nearest char boundary at or before `offset`, within the text.
fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A line cut into pieces at the byte ranges (within the line) that findings point at:
/// overlapping ranges merge, and each range is snapped to char boundaries.
fn pieces(line: &str, mut ranges: Vec<Range<usize>>) -> Vec<Piece> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        let (start, end) = (floor_boundary(line, r.start), floor_boundary(line, r.end));
        match merged.last_mut() {
            _ if end <= start => {}
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => merged.push(start..end),
        }
    }
    let piece = |range: Range<usize>, mark: bool| Piece {
        text: line[range].to_string(),
        mark,
    };
    let mut out = Vec::new();
    let mut at = 0;
    for r in merged {
        if r.start > at {
            out.push(piece(at..r.start, false));
        }
        at = r.end;
        out.push(piece(r, true));
    }
    if at < line.len() || out.is_empty() {
        out.push(piece(at..line.len(), false));
    }
    out
}

fn file_view(name: String, text: &str, file: usize, diagnostics: &[Diagnostic]) -> ReviewFile {
    let starts = line_starts(text);
    let count = text.lines().count().max(1);
    let mut marks: Vec<Vec<Mark>> = (0..count).map(|_| Vec::new()).collect();
    let mut ranges: Vec<Vec<Range<usize>>> = vec![Vec::new(); count];
    for d in diagnostics.iter().filter(|d| d.file == Some(file)) {
        let (line, column) = line_column(text, &starts, d.range.start);
        let index = line.min(count) - 1;
        // The part of the finding's range on its first line.
        let begin = starts[index];
        let start = d.range.start.clamp(begin, text.len()) - begin;
        ranges[index].push(start..d.range.end.min(text.len()).saturating_sub(begin));
        let mut notes = d.notes.clone();
        notes.extend(d.hint.iter().map(|h| format!("help: {h}")));
        marks[index].push(Mark {
            severity: severity_name(d.severity),
            code: d.code.id(),
            column,
            message: d.message.clone(),
            notes,
        });
    }
    let texts = text
        .lines()
        .chain((text.lines().next().is_none()).then_some(""));
    let lines = texts
        .zip(marks.into_iter().zip(ranges))
        .enumerate()
        .map(|(i, (l, (marks, ranges)))| ReviewLine {
            number: i + 1,
            text: l.to_string(),
            pieces: pieces(l, ranges),
            marks,
        })
        .collect();
    ReviewFile {
        anchor: file_anchor(&name),
        name,
        lines,
    }
}

/// Where findings point: "report.md:23:76", and the line's anchor on this page when the page
/// shows that file.
struct Places<'a> {
    visit: &'a Reviewed<'a>,
    names: &'a [(usize, String)],
    /// Each file's line starts, and how many lines `str::lines` gives it: counted once per
    /// file, not once per finding (10,000 findings would make that quadratic).
    starts: BTreeMap<usize, (Vec<usize>, usize)>,
}

impl Places<'_> {
    fn of(&mut self, file: Option<usize>, offset: usize) -> (String, Option<String>) {
        let Some(file) = file else {
            return (String::new(), None);
        };
        let text = self.visit.sources.text(file);
        let (starts, lines) = self
            .starts
            .entry(file)
            .or_insert_with(|| (line_starts(text), text.lines().count()));
        let (line, column) = line_column(text, starts, offset);
        let shown = self.names.iter().find(|(f, _)| *f == file);
        let name = match (shown, self.visit.sources.path_of(file)) {
            (Some((_, name)), _) => name.clone(),
            (None, Some(path)) => path.display().to_string(),
            (None, None) => String::new(),
        };
        // The page shows a file's lines as `str::lines` has them: at least one.
        let line_here = line.min((*lines).max(1));
        let href = shown.map(|(_, name)| format!("#{}-l{line_here}", file_anchor(name)));
        (format!("{name}:{line}:{column}"), href)
    }
}

/// Every finding, in the order of the page's files and their lines (findings in no file of
/// the page last).
fn finding_rows(places: &mut Places) -> Vec<FindingRow> {
    let mut findings: Vec<&Diagnostic> = places.visit.diagnostics.iter().collect();
    let shown = |file: Option<usize>| places.names.iter().position(|(f, _)| Some(*f) == file);
    findings.sort_by_key(|d| (shown(d.file).unwrap_or(usize::MAX), d.file, d.range.start));
    findings
        .into_iter()
        .map(|d| {
            let (place, href) = places.of(d.file, d.range.start);
            FindingRow {
                severity: severity_name(d.severity),
                code: d.code.id(),
                message: d.message.clone(),
                place,
                href,
            }
        })
        .collect()
}

/// One row per amount, in the order of the files and their lines.
fn amount_rows(
    visit: &Reviewed,
    amounts: &[AmountNote],
    names: &[(usize, String)],
) -> Vec<AmountRow> {
    let mut rows = Vec::new();
    for (file, name) in names {
        let text = visit.sources.text(*file);
        let starts = line_starts(text);
        let mut here: Vec<&AmountNote> = amounts.iter().filter(|a| a.file == *file).collect();
        here.sort_by_key(|a| a.range.start);
        for a in here {
            // The line alone: counting a long line's characters for each of its amounts would
            // cost the square of the line.
            let line = starts
                .partition_point(|&s| s <= floor_boundary(text, a.range.start))
                .max(1);
            rows.push(AmountRow {
                place: format!("{name} line {line}"),
                href: format!("#{}-l{line}", file_anchor(name)),
                amount: a.written.clone(),
                verdict: a.verdict.name(),
                explanation: format!("{} (said of {})", a.verdict.detail(), a.subject),
            });
        }
    }
    rows
}

/// Findings that a recommendation's words drift somewhere (C0601 in the report's body, C0507
/// in the record): each points back at the recommendation's front-matter words.
fn drift_findings<'a>(
    visit: &'a Reviewed,
    report: &Source<ReportMeta>,
    rec: &Recommendation,
) -> Vec<&'a Diagnostic> {
    let mut spans = vec![report.span(&rec.text)];
    spans.extend(rec.decision.as_ref().map(|d| report.span(d)));
    visit
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, Code::RecommendationWording | Code::DecisionWording))
        .filter(|d| {
            d.related
                .iter()
                .any(|r| r.file == report.file && spans.contains(&r.range))
        })
        .collect()
}

/// Each decision's words against its recommendation's. "The same words" is said only when no
/// finding says a copy of that recommendation drifts; otherwise the row says what it says.
fn diff_rows(visit: &Reviewed, places: &mut Places) -> Vec<DiffRow> {
    let paper = visit.paper;
    let (Some(report), Some(decision)) = (&paper.report, &paper.decision) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for item in &decision.meta.decisions {
        let id = &item.id.value.0;
        let rec = report
            .meta
            .recommendations
            .iter()
            .find(|r| &r.id.value.0 == id);
        let (diff, same) = wording(rec, item);
        let findings = rec
            .map(|r| drift_findings(visit, report, r))
            .unwrap_or_default();
        let href = findings
            .first()
            .and_then(|d| places.of(d.file, d.range.start).1);
        rows.push(DiffRow {
            id: id.clone(),
            diff: with_findings(diff, same, &findings),
            href,
        });
    }
    rows
}

/// How a decision's words compare with its recommendation's, and whether they are the same.
fn wording(rec: Option<&Recommendation>, item: &DecisionItem) -> (String, bool) {
    match (rec, &item.text) {
        (None, _) => ("no recommendation has this id".to_string(), false),
        (Some(_), None) => (
            "taken from the report by reference: the same words".to_string(),
            true,
        ),
        (Some(r), Some(t)) => {
            let expected = &r.decision.as_ref().unwrap_or(&r.text).value;
            if same_words(expected, &t.value) {
                ("the same words".to_string(), true)
            } else {
                let diff = word_diff(expected, &t.value);
                (format!("report → record: {diff}"), false)
            }
        }
    }
}

/// The comparison with the findings on the recommendation said after it; "the same words"
/// gives way to them.
fn with_findings(diff: String, same: bool, findings: &[&Diagnostic]) -> String {
    if findings.is_empty() {
        return diff;
    }
    let said: Vec<String> = findings
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}",
                severity_name(d.severity),
                d.code.id(),
                d.message
            )
        })
        .collect();
    if same {
        said.join("; ")
    } else {
        format!("{diff}; {}", said.join("; "))
    }
}

/// Where the text quotes each figure ({{ fig.NAME }}), read in one pass over every line.
fn figure_rows(visit: &Reviewed, texts: &[(String, &str)]) -> Vec<FigureRow> {
    let mut quoted: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, text) in texts {
        for (i, line) in text.lines().enumerate().filter(|(_, l)| l.contains("fig.")) {
            for caps in FIGURE_QUOTE.captures_iter(line) {
                quoted
                    .entry(caps[1].to_string())
                    .or_default()
                    .push(format!("{name} line {}", i + 1));
            }
        }
    }
    visit
        .paper
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
        .collect()
}

fn title(paper: &crate::model::Paper) -> String {
    paper
        .report
        .as_ref()
        .map(|r| r.meta.title.value.trim().to_string())
        .or_else(|| {
            paper
                .decision
                .as_ref()
                .map(|d| d.meta.subject.value.trim().to_string())
        })
        .unwrap_or_else(|| paper.dir.display().to_string())
}

/// What the review page is made from: one checked paper, its text and its findings.
pub struct Reviewed<'a> {
    pub paper: &'a Paper,
    pub sources: &'a dyn SourceText,
    /// The paper's files in the order of its sources: report, record, appendices.
    pub paths: Vec<&'a std::path::Path>,
    pub diagnostics: &'a [Diagnostic],
}

pub fn review(visit: &Reviewed, amounts: &[AmountNote]) -> Review {
    let paper = visit.paper;
    let sources = visit.sources;
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
    for (file, path) in all.zip(visit.paths.iter()) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = sources.text(file);
        files.push(file_view(name.clone(), text, file, visit.diagnostics));
        names.push((file, name.clone()));
        texts.push((name, text));
    }
    let mut places = Places {
        visit,
        names: &names,
        starts: BTreeMap::new(),
    };
    let count = |s: Severity| visit.diagnostics.iter().filter(|d| d.severity == s).count();
    Review {
        title: title(paper),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        findings: finding_rows(&mut places),
        figures: figure_rows(visit, &texts),
        amounts: amount_rows(visit, amounts, &names),
        diffs: diff_rows(visit, &mut places),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(range: Range<usize>) -> Vec<Range<usize>> {
        vec![range]
    }

    fn shown(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| {
                if p.mark {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_line_is_cut_where_findings_point() {
        assert_eq!(
            shown(&pieces("total £425,484 here", one(6..15))),
            "total [£425,484] here"
        );
        assert_eq!(
            shown(&pieces("abcdef", vec![0..2, 1..4, 5..99])),
            "[abcd]e[f]"
        );
        assert_eq!(shown(&pieces("abc", one(2..2))), "abc");
        assert_eq!(shown(&pieces("", vec![])), "");
        // Inside a character: snapped back to its start, never split.
        assert_eq!(shown(&pieces("£5", one(1..3))), "[£5]");
    }
}
