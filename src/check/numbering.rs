//! Hand-typed paragraph and section numbers run without gaps: 4.1 is followed by 4.2, not 4.3.

use std::collections::BTreeMap;
use std::ops::Range;
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
        let Some(seen) = Numbered::parse(number.as_str()) else {
            continue;
        };
        let span = block.text.source_range(number.range());
        if let Some(d) = seen.against(last.get(&seen.prefix).copied(), file, span) {
            out.push(d);
        }
        last.insert(seen.prefix, seen.n);
    }
}

/// A paragraph or section number: its last part and what comes before ("4.3" is 3 under "4").
struct Numbered {
    prefix: String,
    n: u32,
    /// A section number ("4"), not a paragraph's ("4.3").
    section: bool,
}

impl Numbered {
    fn parse(number: &str) -> Option<Numbered> {
        let mut parts: Vec<&str> = number.split('.').collect();
        // "1.0 Introduction", "2.0 Proposal": a house style for section numbers.
        if parts.len() == 2 && parts[1] == "0" {
            parts.pop();
        }
        let (last_part, prefix) = parts.split_last()?;
        Some(Numbered {
            prefix: prefix.join("."),
            n: last_part.parse().ok()?,
            section: parts.len() == 1,
        })
    }

    fn name(&self, k: u32) -> String {
        if self.prefix.is_empty() {
            k.to_string()
        } else {
            format!("{}.{k}", self.prefix)
        }
    }

    /// The finding, if this number does not follow `last` (the number before it under the
    /// same prefix): a gap, or a number that comes again.
    fn against(&self, last: Option<u32>, file: FileId, span: Range<usize>) -> Option<Diagnostic> {
        let (code, what) = if self.section {
            (Code::HeadingGap, "section")
        } else {
            (Code::ParagraphGap, "paragraph")
        };
        let expected = last.map_or(1, |p| p + 1);
        let n = self.n;
        if n > expected {
            let missing = if n == expected + 1 {
                self.name(expected)
            } else {
                format!("{} to {}", self.name(expected), self.name(n - 1))
            };
            let after = last
                .map(|p| format!("{} is followed by {}", self.name(p), self.name(n)))
                .unwrap_or_else(|| format!("numbering starts at {}", self.name(n)));
            return Some(
                Diagnostic::warning(
                    code,
                    file,
                    span,
                    format!("{what} {missing} is missing: {after}"),
                )
                .with_label(format!("expected {}", self.name(expected)))
                .with_hint(if self.section {
                    "renumber the sections so they run without a gap"
                } else {
                    "renumber, or let clerk number paragraphs by leaving the numbers out"
                }),
            );
        }
        (n < expected).then(|| {
            Diagnostic::warning(
                code,
                file,
                span,
                format!(
                    "{what} {} comes again after {}",
                    self.name(n),
                    self.name(expected - 1)
                ),
            )
            .with_label("repeated or out of order")
        })
    }
}
