//! Recommendations typed in a report's body (the Summary's, the closing section's) say the same
//! as the front-matter list, word for word.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Block, BlockKind, Document, ReportMeta, Source};
use crate::text::{normalise, roman_value, same_words, word_diff};

/// A recommendations list found in the body.
struct BodyList<'a> {
    /// The heading or paragraph that introduces it.
    marker: &'a Block,
    items: Vec<(Option<String>, String, &'a Block)>,
}

static MARKER_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\d+(?:\.\d+)*\.?\s*)?recommendations?(?-u:\b)|^\s*(?:\d+\.?\s*)?recommendation\(s\)").expect("valid")
});

static ITEM_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\(?(?P<id>[ivx]{1,5}|[a-h]|\d{1,2})[.)]\s+|(?P<num>\d+\.\d+(?:\.\d+)*)\.?\s+)",
    )
    .expect("valid")
});

/// "Recommendations of overview and scrutiny", "Recommendations from the review", "…made by
/// the panel": another body's recommendations, which the paper reports and does not make.
static OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)recommendations?\s+(?:of|from|made|by|arising|received)(?-u:\b)")
        .expect("valid")
});

fn is_marker(block: &Block) -> bool {
    let text = block.text.text.trim();
    if OTHERS.is_match(text) {
        return false;
    }
    match block.kind {
        BlockKind::Heading(_) => MARKER_REGEX.is_match(text),
        BlockKind::Paragraph => {
            MARKER_REGEX.is_match(text) && (text.ends_with(':') || text.len() < 40)
        }
        _ => false,
    }
}

/// A paragraph typed wholly in bold ("**How does this contribute to our policies?**") is a
/// heading in all but name: Word papers mark their sub-headings so.
fn bold_heading(block: &Block, source: &str) -> bool {
    // The block's span may begin inside the markup: read its whole lines.
    let start = source
        .get(..block.span.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |n| n + 1);
    let end = source
        .get(block.span.end..)
        .and_then(|t| t.find('\n'))
        .map_or(source.len(), |n| block.span.end + n);
    let typed = source.get(start..end).unwrap_or("").trim();
    let inner = ["**", "__"].iter().find_map(|m| {
        typed
            .strip_prefix(m)
            .and_then(|t| t.strip_suffix(m))
            .filter(|t| !t.contains(m))
    });
    block.kind == BlockKind::Paragraph && inner.is_some_and(|t| !t.trim().is_empty())
}

// Long because it walks the blocks after each marker once, deciding for each kind of block
// whether it is an item, an introduction, or the end of the list; split, that one walk would
// be spread over several functions sharing its state.
fn find_lists<'a>(doc: &'a Document, source: &str) -> Vec<BodyList<'a>> {
    let mut lists = Vec::new();
    let blocks = &doc.blocks;
    let mut i = 0;
    while i < blocks.len() {
        if !is_marker(&blocks[i]) {
            i += 1;
            continue;
        }
        let marker = &blocks[i];
        let mut items = Vec::new();
        let mut saw_list = false;
        // The number of a numbered paragraph introducing the list ("2. Members are asked:").
        let mut introduced: Option<u64> = None;
        let mut j = i + 1;
        while j < blocks.len() {
            let b = &blocks[j];
            match b.kind {
                BlockKind::Heading(_) | BlockKind::Table(_) | BlockKind::Caption(_) => break,
                _ if bold_heading(b, source) => break,
                _ if is_marker(b) => {}
                // "5. It is recommended that:" is a numbered paragraph introducing the list.
                BlockKind::ListItem { ordered_number } if b.text.text.trim_end().ends_with(':') => {
                    introduced = ordered_number;
                }
                // After recommendations typed as paragraphs, the paragraph numbered next after
                // the one introducing them ("3." after "2. Members are asked:") is the report's
                // own next paragraph.
                BlockKind::ListItem {
                    ordered_number: Some(n),
                } if !saw_list && !items.is_empty() && introduced.map(|k| k + 1) == Some(n) => {
                    break
                }
                BlockKind::ListItem { ordered_number } if b.list_depth == 1 => {
                    saw_list = true;
                    let (id, text) = strip_marker(&b.text.text);
                    items.push((ordered_number.map(|n| n.to_string()).or(id), text, b));
                }
                BlockKind::ListItem { .. } => {}
                BlockKind::Paragraph => {
                    let text = b.text.text.trim();
                    if saw_list {
                        break;
                    }
                    if b.list_depth == 0 && !text.ends_with(':') {
                        // "i. …" and "ii. …" typed on consecutive lines make one paragraph.
                        for (id, text) in split_typed(text) {
                            items.push((id, text, b));
                        }
                    }
                }
            }
            j += 1;
        }
        // `{{ recommendations }}` places the front-matter list itself: nothing to compare.
        let placeholder =
            items.len() == 1 && crate::model::is_recommendations_placeholder(&items[0].1);

        if !items.is_empty() && !placeholder {
            lists.push(BodyList { marker, items });
        }
        i = j.max(i + 1);
    }
    lists
}

/// The id that follows `id` in a typed list: ii after i, b after a, 3 after 2.
fn next_id(id: &str) -> Option<String> {
    if let Some(n) = roman_value(id) {
        let numerals = [
            "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
            "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx",
        ];
        return numerals.get(n as usize).map(|s| s.to_string());
    }
    if let Ok(n) = id.parse::<u32>() {
        return Some((n + 1).to_string());
    }
    let mut chars = id.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() && c < 'z' => {
            Some(((c as u8 + 1) as char).to_string())
        }
        _ => None,
    }
}

/// A paragraph of typed items, split where the next item's marker begins ("… ii. …").
fn split_typed(text: &str) -> Vec<(Option<String>, String)> {
    let (mut id, mut rest) = strip_marker(text);
    let mut out = Vec::new();
    while let Some(next) = id.as_deref().and_then(next_id) {
        let at = [
            format!(" {next}. "),
            format!(" {next}) "),
            format!(" ({next}) "),
        ]
        .iter()
        .filter_map(|m| rest.find(m.as_str()))
        .min();
        let Some(at) = at else { break };
        let (before, after) = rest.split_at(at);
        out.push((id.take(), before.trim().to_string()));
        let (next_id, next_rest) = strip_marker(after.trim_start());
        id = next_id;
        rest = next_rest;
    }
    out.push((id, rest));
    out
}

fn strip_marker(text: &str) -> (Option<String>, String) {
    match ITEM_MARKER.captures(text) {
        Some(caps) => {
            let id = caps.name("id").map(|m| m.as_str().to_string());
            let rest = text[caps.get(0).map_or(0, |m| m.end())..].to_string();
            (id, rest)
        }
        None => (None, text.to_string()),
    }
}

fn same_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim().to_ascii_lowercase(), b.trim().to_ascii_lowercase());
    a == b || (roman_value(&a).is_some() && roman_value(&a) == b.parse().ok())
}

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let Some(report) = &cx.paper.report else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if report.meta.recommendations.is_empty() {
        return out;
    }
    for list in find_lists(&report.body, cx.sources.text(report.file)) {
        check_list(report, &list, &mut out);
    }
    out
}

/// A list typed in the body agrees with the front matter's recommendations: each item is one
/// of them, in the same words, and none is left out.
fn check_list(report: &Source<ReportMeta>, list: &BodyList, out: &mut Vec<Diagnostic>) {
    let recs = &report.meta.recommendations;
    let section = normalise(&list.marker.text.text);
    // Match by id where every item carries one the front matter knows; else by position.
    let by_id = list.items.iter().all(|(id, _, _)| {
        id.as_ref()
            .is_some_and(|id| recs.iter().any(|r| same_id(&r.id.value.0, id)))
    });
    let mut matched = vec![false; recs.len()];
    for (pos, (id, text, block)) in list.items.iter().enumerate() {
        let index = if by_id {
            id.as_ref()
                .and_then(|id| recs.iter().position(|r| same_id(&r.id.value.0, id)))
        } else {
            (pos < recs.len()).then_some(pos)
        };
        let Some(index) = index else {
            out.push(
                Diagnostic::error(
                    Code::RecommendationCount,
                    report.file,
                    block.span.clone(),
                    format!("“{section}” lists a recommendation the front matter does not have"),
                )
                .with_hint("add it to `recommendations:` in the front matter, or remove it here"),
            );
            continue;
        };
        matched[index] = true;
        let rec = &recs[index];
        if !same_words(&rec.text.value, text) {
            out.push(
                Diagnostic::error(
                    Code::RecommendationWording,
                    report.file,
                    block.span.clone(),
                    format!("recommendation {} in “{section}” is not worded as in the front matter", rec.id.value.0),
                )
                .with_label("differs")
                .with_related(report.file, report.span(&rec.text), format!("recommendation {} in the front matter", rec.id.value.0))
                .with_note(format!("word diff (front matter → here): {}", word_diff(&rec.text.value, text)))
                .with_hint("write {{ recommendations }} here to place the front-matter list instead of typing it again"),
            );
        }
    }
    left_out(report, list, &section, &matched, out);
}

/// An error for each front-matter recommendation the body's list does not match.
fn left_out(
    report: &Source<ReportMeta>,
    list: &BodyList,
    section: &str,
    matched: &[bool],
    out: &mut Vec<Diagnostic>,
) {
    let recs = &report.meta.recommendations;
    for (rec, _) in recs.iter().zip(matched).filter(|(_, m)| !**m) {
        out.push(
            Diagnostic::error(
                Code::RecommendationCount,
                report.file,
                list.marker.span.clone(),
                format!("“{section}” leaves out recommendation {}", rec.id.value.0),
            )
            .with_related(
                report.file,
                report.span(&rec.text),
                format!("recommendation {}", rec.id.value.0),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_bodys_recommendations_are_not_the_papers() {
        for heading in [
            "5. Recommendations of overview and scrutiny",
            "Recommendations from the independent review",
            "Recommendations made by the task and finish group",
            "Recommendation arising from the audit",
        ] {
            assert!(OTHERS.is_match(heading), "{heading}");
        }
        for heading in [
            "Recommendations",
            "7. Recommendation(s)",
            "Recommendations to Cabinet",
            "Recommendation for decision",
        ] {
            assert!(
                !OTHERS.is_match(heading) && MARKER_REGEX.is_match(heading),
                "{heading}"
            );
        }
    }
}
