//! `{{ … }}` in a paper names a figure or the recommendations list, and nothing else; and no
//! drafting placeholder ("Insert Decision No.", "TBC", ".....") is left in.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::{DecisionMeta, MappedText, Person, ReportMeta};
use serde_saphyr::Spanned;

use crate::diagnostic::closest;

static BRACES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{(.*?)\}\}|\{%.*?%\}").expect("valid"));

static VALID_PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:recommendations|fig\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s*\|\s*(?:gbp|short))?)\s*$").expect("valid")
});

static LEFT_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:insert(?-u:\b).*|tbc|tbd|to be confirmed|x{2,}/x+|\.{4,}|…+)\s*$|\[(?:tbc|tbd|insert)[^\]]*\]").expect("valid")
});

static BRACKETED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\[(?:tbc|tbd|insert)[^\]]*\]").expect("valid"));

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let names: Vec<String> = cx.paper.figures.keys().cloned().collect();
    let mut out = Vec::new();
    for (file, body) in cx.bodies() {
        for block in body.prose() {
            scan(file, &block.text, &names, &mut out, true);
        }
        for table in &body.tables {
            for row in &table.rows {
                for cell in &row.cells {
                    scan(file, &cell.text, &names, &mut out, false);
                }
            }
        }
    }
    front_matter(cx, &mut out);
    out
}

/// Placeholders left in front matter (`clerk new` writes `[TBC …]` for what it cannot know).
fn front_matter(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    if let Some(r) = &cx.paper.report {
        for f in &report_fields(&r.meta) {
            flag_left_in(r.file, r.span(f), &f.value, out);
        }
    }
    if let Some(d) = &cx.paper.decision {
        for f in &record_fields(&d.meta) {
            flag_left_in(d.file, d.span(f), &f.value, out);
        }
    }
}

type Field<'a> = &'a Option<Spanned<String>>;

/// The report's front-matter fields of free text, in the order they are checked.
fn report_fields(m: &ReportMeta) -> Vec<Spanned<String>> {
    let mut fields: Vec<Spanned<String>> = vec![m.title.clone()];
    let optional: [Field; 4] = [
        &m.decision_number,
        &m.to,
        &m.committee,
        &m.key_decision_reason,
    ];
    fields.extend(optional.into_iter().flatten().cloned());
    for p in m
        .from
        .iter()
        .chain(m.contacts.iter())
        .chain(m.decision_maker.iter())
    {
        fields.extend(person_fields(p));
    }
    for rec in &m.recommendations {
        fields.push(rec.text.clone());
        fields.extend(rec.decision.clone());
    }
    fields
}

/// The record's front-matter fields of free text, in the order they are checked.
fn record_fields(m: &DecisionMeta) -> Vec<Spanned<String>> {
    let mut fields: Vec<Spanned<String>> = vec![m.subject.clone()];
    let optional: [Field; 6] = [
        &m.decision_number,
        &m.key_decision_reason,
        &m.reasons,
        &m.alternatives,
        &m.interests,
        &m.dispensations,
    ];
    fields.extend(optional.into_iter().flatten().cloned());
    fields.extend(person_fields(&m.decision_maker));
    fields.extend(m.decisions.iter().filter_map(|i| i.text.clone()));
    fields
}

/// A person's name, role, phone and email, those given.
fn person_fields(p: &Person) -> Vec<Spanned<String>> {
    [&p.name, &p.role, &p.phone, &p.email]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
}

/// A warning when a front-matter value is a drafting placeholder.
fn flag_left_in(
    file: FileId,
    range: std::ops::Range<usize>,
    value: &str,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(m) = LEFT_IN.find(value.trim()) {
        out.push(
            Diagnostic::warning(
                Code::PlaceholderLeft,
                file,
                range,
                format!(
                    "a drafting placeholder was left in: “{}”",
                    m.as_str().trim()
                ),
            )
            .with_hint("fill it in before publication"),
        );
    }
}

fn scan(
    file: FileId,
    text: &MappedText,
    names: &[String],
    out: &mut Vec<Diagnostic>,
    whole_block: bool,
) {
    for m in BRACES.find_iter(&text.text) {
        let range = text.source_range(m.range());
        let inner = m.as_str().trim_start_matches("{{").trim_end_matches("}}");
        match VALID_PLACEHOLDER.captures(inner) {
            Some(caps) => {
                if let Some(name) = caps.name("name") {
                    if !names.iter().any(|n| n == name.as_str()) {
                        let mut d = Diagnostic::error(Code::UnknownFigure, file, range, format!("no figure is named `{}`", name.as_str()));
                        d = match closest(name.as_str(), names) {
                            Some(best) => d.with_hint(format!("did you mean `{best}`?")),
                            None => d.with_hint("declare it under `figures:` in the report's front matter"),
                        };
                        out.push(d);
                    }
                }
            }
            None => out.push(
                Diagnostic::error(Code::BadPlaceholder, file, range, format!("`{}` is not a placeholder clerk knows", m.as_str()))
                    .with_note("paper text is data, never a template: only {{ fig.NAME }}, {{ fig.NAME | gbp }}, {{ fig.NAME | short }} and {{ recommendations }} are read")
                    .with_hint("to print braces literally, write them as \\{\\{"),
            ),
        }
    }
    // A table cell may be "TBC" or "…" on purpose (a forward plan's date not yet set, an
    // empty cell); a bracketed "[TBC]" or "[insert …]" is a drafting placeholder anywhere.
    let left_in = if whole_block {
        LEFT_IN.find(&text.text)
    } else {
        BRACKETED.find(&text.text)
    };
    if let Some(m) = left_in {
        out.push(
            Diagnostic::warning(
                Code::PlaceholderLeft,
                file,
                text.source_range(m.range()),
                format!(
                    "a drafting placeholder was left in: “{}”",
                    m.as_str().trim()
                ),
            )
            .with_hint("fill it in or remove it before publication"),
        );
    }
}
