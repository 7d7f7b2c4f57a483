//! Real council papers, scored (issue 19): `../shared/real/kent/` holds 95 PDFs Kent County
//! Council published; `tests/fixtures/real/kent/*.yaml` holds what 26 of them say, written by
//! hand from their own text (see that folder's README). Each of the 26 is imported as
//! `clerk import` imports it and scored against its expected values:
//!
//! - header fields: right, wrong and marked `# import: check`, wrong **without** a mark, missing;
//! - recommendations: id and words;
//! - paragraph numbers, in order;
//! - money cells: read as money at the right scale in the right row and column, or not read,
//!   or a different amount in that row and column;
//! - whether a document mostly unread passes `clerk check` without an error.
//!
//! The real papers are not in the repository: without `../shared/real/kent` the test says so
//! and passes. `cargo test --test suite real:: -- --nocapture` prints the table;
//! `CLERK_REAL_JSON=FILE` writes the scores as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde_json::Value;

use clerk::import::document::Origin;
use clerk::import::text::CHECK_MARK;
use clerk::model::CellValue;

use crate::common::repo;

/// Where the real papers are, if this machine has them: `CLERK_REAL_DIR`, else
/// `../shared/real/kent` beside the repository (beside the main checkout, for a git worktree).
pub fn real_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CLERK_REAL_DIR") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    let mut roots = vec![repo()];
    // A worktree's `.git` is a file naming the main checkout's `.git/worktrees/NAME`.
    if let Ok(link) = std::fs::read_to_string(repo().join(".git")) {
        if let Some(gitdir) = link.trim().strip_prefix("gitdir:") {
            let gitdir = Path::new(gitdir.trim());
            if let Some(main) = gitdir.ancestors().find(|a| a.ends_with(".git")) {
                roots.extend(main.parent().map(Path::to_path_buf));
            }
        }
    }
    roots
        .into_iter()
        .map(|r| r.join("../shared/real/kent"))
        .find(|d| d.is_dir())
}

/// Matched and total counts of one measure, with what went wrong.
#[derive(Default, Debug, Clone, Copy, serde::Serialize)]
struct Score {
    right: usize,
    total: usize,
    /// Given, wrong, and marked for checking.
    marked: usize,
    /// Given, wrong, and not marked: silently wrong.
    silent: usize,
}

impl Score {
    fn ratio(self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
    fn add(&mut self, other: Score) {
        self.right += other.right;
        self.total += other.total;
        self.marked += other.marked;
        self.silent += other.silent;
    }
}

/// What one document scored.
#[derive(Default, Debug, serde::Serialize)]
struct DocScore {
    source: String,
    kind: String,
    header: Score,
    recommendations: Score,
    paragraphs: Score,
    money: Score,
    /// The kind of document the import recognised, and whether it is the expected kind.
    read_as: String,
    kind_right: bool,
    /// The import refused the file (why), or read it.
    refused: Option<String>,
    /// Each miss, to read beside the table.
    misses: Vec<String>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text compared as a reader compares it: case, spacing, quotes and dashes aside.
fn norm(text: &str) -> String {
    collapse(
        &text
            .replace(['’', '‘'], "'")
            .replace(['“', '”'], "\"")
            .replace(['–', '—'], "-")
            .to_lowercase(),
    )
    .trim_matches(|c: char| c == '.' || c == ':' || c == ' ')
    .to_string()
}

fn string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(collapse(s)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The front matter as JSON, the body, and the front matter's text (to look for marks).
fn split(text: &str) -> (Value, String, String) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (Value::Null, text.to_string(), String::new());
    };
    let Some(end) = rest.find("\n---\n") else {
        return (Value::Null, text.to_string(), String::new());
    };
    let yaml = &rest[..end];
    let value: Value = serde_saphyr::from_str(yaml).unwrap_or(Value::Null);
    (value, rest[end + 5..].to_string(), yaml.to_string())
}

/// Whether the imported line of `key` (or a line under it) carries the check mark.
fn marked(front: &str, key: &str) -> bool {
    let mut inside = false;
    for line in front.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') {
            inside = line.starts_with(&format!("{key}:"));
        }
        if inside && line.contains(CHECK_MARK) {
            return true;
        }
    }
    false
}

/// The names a people field gives ("from", "contacts"): each entry's `name`, or the entry.
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| string(i.get("name")).or_else(|| string(Some(i))))
            .collect(),
        Some(p @ Value::Object(_)) => string(p.get("name")).into_iter().collect(),
        Some(Value::String(s)) => vec![collapse(s)],
        _ => Vec::new(),
    }
}

/// One header field: expected against imported.
fn header_field(score: &mut DocScore, key: &str, want: &Value, got: &Value, front: &str) {
    let (ok, given) = match key {
        "from" | "contacts" | "decision_maker" => {
            // Each person: the name (before the first comma) among the imported names.
            let have: Vec<String> = names(got.get(key)).iter().map(|n| norm(n)).collect();
            let wanted: Vec<String> = match want {
                Value::Array(items) => items.iter().filter_map(|i| string(Some(i))).collect(),
                other => string(Some(other)).into_iter().collect(),
            };
            let ok = wanted.iter().all(|w| {
                // "Name, Role" or "Name – Role", as printed.
                let name = norm(w.split([',', '–', '—']).next().unwrap_or(w));
                have.contains(&name)
            });
            (ok, !have.is_empty())
        }
        _ => {
            let want = norm(&string(Some(want)).unwrap_or_default());
            let candidates: &[&str] = match key {
                "title" => &["title", "subject"],
                "to" => &["to", "committee"],
                _ => &[key],
            };
            let got: Vec<String> = candidates
                .iter()
                .filter_map(|k| string(got.get(*k)))
                .map(|g| norm(&g))
                .filter(|g| !g.is_empty())
                .collect();
            (got.contains(&want), !got.is_empty())
        }
    };
    score.header.total += 1;
    if ok {
        score.header.right += 1;
        return;
    }
    let is_marked = given && marked(front, key);
    if given && is_marked {
        score.header.marked += 1;
    } else if given {
        score.header.silent += 1;
    }
    score.misses.push(format!(
        "header {key}: want {want}, got {} {}",
        got.get(key)
            .map(|v| v.to_string())
            .unwrap_or("nothing".into()),
        match (given, is_marked) {
            (true, true) => "(marked)",
            (true, false) => "(SILENTLY WRONG)",
            _ => "",
        }
    ));
}

/// Recommendations (or a record's decisions): each expected id with its words.
fn recommendations(score: &mut DocScore, want: &Value, got: &Value) {
    let list = |v: Option<&Value>| -> Vec<(String, String)> {
        v.and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        (
                            string(i.get("id")).unwrap_or_default(),
                            string(i.get("text")).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut have = list(got.get("recommendations"));
    have.extend(list(got.get("decisions")));
    for (id, text) in list(Some(want)) {
        score.recommendations.total += 1;
        let same = |h: &(String, String)| norm(&h.1) == norm(&text);
        let ok = have
            .iter()
            .any(|h| same(h) && (h.0 == id || id.is_empty() || id == "•"));
        if ok {
            score.recommendations.right += 1;
        } else {
            let near = have.iter().find(|h| h.0 == id).map(|h| h.1.clone());
            score
                .misses
                .push(format!("recommendation {id:?} {text:?}: got {near:?}"));
        }
    }
}

/// The paragraph numbers the body shows, in order: a heading's number ("## 2. Background"), a
/// list item's label ("- b. …", "- (1) …"), a numbered line ("2.3 …", "286. …").
fn body_numbers(body: &str) -> Vec<String> {
    let label = regex::Regex::new(
        r"^(?:#{1,6}\s+)?(?:[-*]\s+)?(?:\*\*)?(\(?(?:\d{1,4}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlc]{1,6})\)?)[.):]?(?:\*\*)?\s",
    )
    .unwrap();
    let question = regex::Regex::new(r"^(?:#{1,6}\s+)?(?:\*\*)?(Question \d+)").unwrap();
    body.lines()
        .filter_map(|l| {
            let l = l.trim_start().replace('\\', "");
            if let Some(c) = question.captures(&l) {
                return Some(c[1].to_string());
            }
            label.captures(&l).map(|c| c[1].to_string())
        })
        .collect()
}

/// Paragraph numbers: the longest run in order shared with the expected sequence.
fn paragraphs(score: &mut DocScore, want: &[String], got: &[String]) {
    // Labels compared as the expected values write them: no trailing dot, and a closing
    // bracket without its opening one dropped ("a)" is "a"; "(1)" stays).
    let strip = |s: &str| {
        let s = s.trim_end_matches('.');
        match s.strip_suffix(')') {
            Some(inner) if !s.starts_with('(') => inner.to_string(),
            _ => s.to_string(),
        }
    };
    let want: Vec<String> = want.iter().map(|s| strip(s)).collect();
    let got: Vec<String> = got.iter().map(|s| strip(s)).collect();
    // Longest common subsequence, by rows of a table (the sequences are short).
    let mut table = vec![vec![0usize; got.len() + 1]; want.len() + 1];
    for i in 0..want.len() {
        for j in 0..got.len() {
            table[i + 1][j + 1] = if want[i] == got[j] {
                table[i][j] + 1
            } else {
                table[i][j + 1].max(table[i + 1][j])
            };
        }
    }
    let common = table[want.len()][got.len()];
    score.paragraphs.total += want.len();
    score.paragraphs.right += common;
    if common < want.len() {
        score.misses.push(format!(
            "paragraph numbers: {common} of {} in order (got {} numbers: {:?}…)",
            want.len(),
            got.len(),
            got.iter().take(12).collect::<Vec<_>>()
        ));
    }
}

/// One row of an imported table: its label cells, each column's amount, each column's text.
type ReadRow = (Vec<String>, Vec<Option<Decimal>>, Vec<String>);

/// One imported table as clerk reads it: its caption, header labels by column and rows of
/// (label candidates, values by column).
struct ReadTable {
    /// The page of the original its first row is on (PDF).
    page: Option<u32>,
    columns: Vec<String>,
    rows: Vec<ReadRow>,
}

/// The tables of every imported text, read by clerk's own Markdown reader (so that a unit in
/// a caption, the paragraph above or a header makes its numbers money, as `clerk check` sees),
/// each with the page its first row came from.
fn read_tables(texts: &[(String, Vec<Option<Origin>>)]) -> Vec<ReadTable> {
    let mut out = Vec::new();
    for (text, origins) in texts {
        let (_, body, _) = split(text);
        let base = text.len() - body.len();
        let doc = clerk::parse::markdown::parse(&body, base);
        for t in &doc.tables {
            let line = text[..t.span.start.min(text.len())].matches('\n').count();
            let page = origins.get(line).cloned().flatten().and_then(|o| match o {
                Origin::Page { page, .. } => Some(page),
                Origin::Paragraph(_) => None,
            });
            let columns = t.header.cells.iter().map(|c| c.label()).collect();
            let rows = t
                .rows
                .iter()
                .map(|r| {
                    let labels: Vec<String> = r
                        .cells
                        .iter()
                        .filter(|c| matches!(c.value, CellValue::Text))
                        .map(|c| c.label())
                        .collect();
                    let values = r
                        .cells
                        .iter()
                        .map(|c| match &c.value {
                            CellValue::Amount(m) => Some(m.value),
                            _ => None,
                        })
                        .collect();
                    let texts = r.cells.iter().map(|c| c.label()).collect();
                    (labels, values, texts)
                })
                .collect();
            out.push(ReadTable {
                page,
                columns,
                rows,
            });
        }
    }
    out
}

/// The last part of a "Group > Row" or "2025-26 > Year 1" label, compared as text.
fn last_part(label: &str) -> String {
    norm(label.rsplit(" > ").next().unwrap_or(label))
}

/// An imported column header names the expected column: its words are the expected header's
/// (the rows of a header joined, " > " or a space between them), or end with its last part,
/// a unit the importer added ("(£000)") aside.
fn same_column(imported: &str, expected: &str) -> bool {
    let unit = regex::Regex::new(r"\s*\(£[^)]*\)$").unwrap();
    let imported = norm(&unit.replace(imported, ""));
    let whole = norm(&expected.replace(" > ", " "));
    let last = last_part(expected);
    imported == whole || imported == last || imported.ends_with(&format!(" {last}"))
}

/// Every expected money cell: found at its row and column with its value (right), with another
/// amount there (silently wrong), or not found as money (missed).
fn money(score: &mut DocScore, want: &Value, tables: &[ReadTable]) {
    let Some(expected) = want.as_array() else {
        return;
    };
    for table in expected {
        let page = table.get("page").and_then(Value::as_u64).map(|p| p as u32);
        // The tables on the expected page (a table that runs on is counted from its first).
        let on_page: Vec<&ReadTable> = tables
            .iter()
            // (A table whose columns go on on the next page is joined to the page before.)
            .filter(|t| match (page, t.page) {
                (Some(p), Some(q)) => q == p || q + 1 == p,
                _ => true,
            })
            .collect();
        for cell in table
            .get("money")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let row = last_part(&string(cell.get("row")).unwrap_or_default());
            let full_column = string(cell.get("column")).unwrap_or_default();
            let column = last_part(&full_column);
            let value: Option<Decimal> = string(cell.get("value")).and_then(|v| v.parse().ok());
            score.money.total += 1;
            let mut found = None;
            'tables: for t in &on_page {
                let cols: Vec<usize> = (0..t.columns.len())
                    .filter(|c| column.is_empty() || same_column(&t.columns[*c], &full_column))
                    .collect();
                for (labels, values, _) in &t.rows {
                    // A row with no label (a subtotal) is matched by a row with none.
                    let unlabelled = row.is_empty() && labels.is_empty();
                    if !unlabelled && !labels.iter().any(|l| norm(l) == row || last_part(l) == row)
                    {
                        continue;
                    }
                    for c in &cols {
                        if let Some(Some(v)) = values.get(*c) {
                            let same = Some(*v) == value;
                            if same || found.is_none() {
                                found = Some(same);
                            }
                            if same {
                                break 'tables;
                            }
                        }
                    }
                }
            }
            match found {
                Some(true) => score.money.right += 1,
                Some(false) => {
                    score.money.silent += 1;
                    score.misses.push(format!(
                        "money {row} / {column}: another amount where {value:?} is"
                    ));
                }
                None => {
                    if score
                        .misses
                        .iter()
                        .filter(|m| m.starts_with("money"))
                        .count()
                        < 5
                    {
                        score.misses.push(format!(
                            "money {row} / {column} = {value:?}: not read as money there"
                        ));
                    }
                }
            }
        }
    }
}

/// Imports one real paper as `clerk import` does, with Kent's profile.
fn score_one(dir: &Path, expected: &Value) -> DocScore {
    let source = string(expected.get("source")).unwrap_or_default();
    let mut score = DocScore {
        source: source.clone(),
        kind: string(expected.get("kind")).unwrap_or_default(),
        ..DocScore::default()
    };
    let profile = clerk::import::profile::for_council(Some("Kent County Council"), None);
    let imported = clerk::imported::import_file(&dir.join(&source), &profile);
    if let Ok(i) = &imported.result {
        score.read_as = i.assembled.document.name().to_string();
        let expected = match score.kind.as_str() {
            "amendment" => "budget amendment",
            "questions" => "questions and answers",
            "pack" => "meeting pack",
            other => other,
        };
        score.kind_right = score.read_as == expected;
    }
    let (texts, front_text, front, body) = match &imported.result {
        Ok(i) => {
            let (front, _, front_text) = split(&i.assembled.text);
            let mut texts = vec![(i.assembled.text.clone(), i.assembled.origins.clone())];
            texts.extend(
                i.assembled
                    .appendices
                    .iter()
                    .map(|a| (a.text.clone(), a.origins.clone())),
            );
            let bodies: String = texts
                .iter()
                .map(|t| split(&t.0).1)
                .collect::<Vec<_>>()
                .join("\n");
            (texts, front_text, front, bodies)
        }
        Err(d) => {
            score.refused = Some(d.message.clone());
            (Vec::new(), String::new(), Value::Null, String::new())
        }
    };
    if let Some(Value::Object(header)) = expected.get("header") {
        for (key, want) in header {
            header_field(&mut score, key, want, &front, &front_text);
        }
    }
    if let Some(want) = expected.get("recommendations") {
        recommendations(&mut score, want, &front);
    }
    let want_numbers: Vec<String> = expected
        .get("paragraphs")
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(|x| string(Some(x))).collect())
        .unwrap_or_default();
    paragraphs(&mut score, &want_numbers, &body_numbers(&body));
    if let Some(want) = expected.get("tables") {
        money(&mut score, want, &read_tables(&texts));
    }
    score
}

fn percent(s: Score) -> String {
    if s.total == 0 {
        "-".into()
    } else {
        format!("{:.0}% ({}/{})", 100.0 * s.ratio(), s.right, s.total)
    }
}

#[test]
fn real_kent_papers_score_against_their_hand_written_values() {
    let Some(dir) = real_dir() else {
        eprintln!("skipped: ../shared/real/kent is not here (the real papers are kept outside the repository)");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/fixtures/real/kent"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut scores = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let expected: Value = serde_saphyr::from_str(&text).expect("expected values read");
        scores.push(score_one(&dir, &expected));
    }
    let mut total = BTreeMap::<&str, Score>::new();
    let mut table = String::from(
        "| document | kind (read as) | header (marked, silent) | recommendations | paragraph numbers | money cells (silent) |\n|---|---|---|---|---|---|\n",
    );
    for s in &scores {
        for (k, v) in [
            ("header", s.header),
            ("recommendations", s.recommendations),
            ("paragraphs", s.paragraphs),
            ("money", s.money),
        ] {
            total.entry(k).or_default().add(v);
        }
        let _ = writeln!(
            table,
            "| {} | {}{} | {} ({}, {}) | {} | {} | {} ({}) |",
            s.source.chars().take(60).collect::<String>(),
            s.kind,
            if s.kind_right {
                String::new()
            } else {
                format!(" ({})", s.read_as)
            },
            percent(s.header),
            s.header.marked,
            s.header.silent,
            percent(s.recommendations),
            percent(s.paragraphs),
            percent(s.money),
            s.money.silent,
        );
    }
    let kinds = scores.iter().filter(|s| s.kind_right).count();
    let _ = writeln!(
        table,
        "| **total** | {kinds} of {} kinds | {} ({}, {}) | {} | {} | {} ({}) |",
        scores.len(),
        percent(total["header"]),
        total["header"].marked,
        total["header"].silent,
        percent(total["recommendations"]),
        percent(total["paragraphs"]),
        percent(total["money"]),
        total["money"].silent,
    );
    println!("{table}");
    for s in &scores {
        if let Some(why) = &s.refused {
            println!("{}: refused: {why}", s.source);
        }
        for m in &s.misses {
            println!("{}: {m}", s.source);
        }
    }
    // What the import reaches today, held as floors so that it cannot slip back unseen (the
    // goals, and the first scores, are in tests/fixtures/real/kent/README.md); and what must
    // never happen: a header field or a money cell wrong without a mark.
    let at_least = |what: &str, s: Score, floor: f64| {
        assert!(
            s.ratio() >= floor,
            "{what}: {:.1}% is below the floor {:.0}%\n{table}",
            100.0 * s.ratio(),
            100.0 * floor
        );
    };
    at_least("header fields", total["header"], 0.65);
    at_least("recommendations", total["recommendations"], 0.90);
    at_least("paragraph numbers", total["paragraphs"], 0.94);
    at_least("money cells", total["money"], 0.87);
    assert_eq!(
        total["header"].silent, 0,
        "header fields wrong without a mark\n{table}"
    );
    // One cell is known: Appendix B prints "-1,655" with its minus invisible (see the README).
    assert!(
        total["money"].silent <= 1,
        "money cells in the wrong place\n{table}"
    );
    if let Some(path) = std::env::var_os("CLERK_REAL_JSON") {
        let json = serde_json::json!({ "documents": scores, "total": total });
        std::fs::write(path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    }
}
