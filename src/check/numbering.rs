//! Hand-typed paragraph and section numbers run without gaps: 4.1 is followed by 4.2, not 4.3.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::{BlockKind, Document};

static HEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,3})\.?(?:\s|$)").expect("valid"));

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, body) in cx.bodies() {
        check_body(file, body, &mut out);
    }
    out
}

fn check_body(file: FileId, body: &Document, out: &mut Vec<Diagnostic>) {
    // Last number seen under each prefix: "4" -> 1 after "4.1"; "" -> 4 for top-level headings.
    let mut last: BTreeMap<String, u32> = BTreeMap::new();
    for block in body.prose() {
        let text = &block.text.text;
        let top_level_heading = matches!(block.kind, BlockKind::Heading(_));
        let number = if let Some(c) = crate::model::PARAGRAPH_NUMBER.captures(text) {
            c.get(1)
        } else if top_level_heading {
            HEADING_NUMBER.captures(text).and_then(|c| c.get(1))
        } else {
            None
        };
        let Some(number) = number else { continue };
        let mut parts: Vec<&str> = number.as_str().split('.').collect();
        // "1.0 Introduction", "2.0 Proposal": a house style for section numbers.
        if parts.len() == 2 && parts[1] == "0" {
            parts.pop();
        }
        let Some((last_part, prefix)) = parts.split_last() else {
            continue;
        };
        let Ok(n) = last_part.parse::<u32>() else {
            continue;
        };
        let prefix = prefix.join(".");
        let code = if parts.len() == 1 {
            Code::HeadingGap
        } else {
            Code::ParagraphGap
        };
        let what = if parts.len() == 1 {
            "section"
        } else {
            "paragraph"
        };
        let name = |k: u32| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        let expected = last.get(&prefix).map_or(1, |p| p + 1);
        let span = block.text.source_range(number.range());
        if n > expected {
            let missing = if n == expected + 1 {
                name(expected)
            } else {
                format!("{} to {}", name(expected), name(n - 1))
            };
            let after = last
                .get(&prefix)
                .map(|p| format!("{} is followed by {}", name(*p), name(n)))
                .unwrap_or_else(|| format!("numbering starts at {}", name(n)));
            out.push(
                Diagnostic::warning(
                    code,
                    file,
                    span,
                    format!("{what} {missing} is missing: {after}"),
                )
                .with_label(format!("expected {}", name(expected)))
                .with_hint(if parts.len() == 1 {
                    "renumber the sections so they run without a gap"
                } else {
                    "renumber, or let clerk number paragraphs by leaving the numbers out"
                }),
            );
        } else if n < expected {
            out.push(
                Diagnostic::warning(
                    code,
                    file,
                    span,
                    format!(
                        "{what} {} comes again after {}",
                        name(n),
                        name(expected - 1)
                    ),
                )
                .with_label("repeated or out of order"),
            );
        }
        last.insert(prefix, n);
    }
}
