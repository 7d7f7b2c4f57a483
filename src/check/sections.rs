//! Every section the council requires is present in the report.

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::BlockKind;

const STOP_WORDS: &[&str] = &["of", "the", "and", "this", "a", "an", "for", "to", "&"];

/// The significant words of a heading, lower-case, without numbers, "(s)" or plural "s".
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace("(s)", "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && !STOP_WORDS.contains(w)
        })
        .map(|w| {
            w.strip_suffix('s')
                .filter(|s| s.len() > 2)
                .unwrap_or(w)
                .to_string()
        })
        .collect()
}

/// A heading satisfies a required section when it has every significant word of its name
/// ("Financial & Legal Implications" satisfies both "Financial" and "Legal Implications").
pub fn satisfies(heading: &str, required: &str) -> bool {
    let have = words(heading);
    words(required).iter().all(|w| have.contains(w))
}

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let (Some(report), Some(council)) = (&cx.paper.report, cx.council) else {
        return Vec::new();
    };
    let headings: Vec<&str> = report
        .body
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .map(|b| b.text.text.as_str())
        .collect();
    let mut out = Vec::new();
    for required in &council.meta.required_sections {
        if !headings.iter().any(|h| satisfies(h, &required.value)) {
            out.push(
                Diagnostic::error(
                    Code::MissingSection,
                    report.file,
                    report.front_matter_start(),
                    format!(
                        "the report has no “{}” section, which {} requires",
                        required.value, council.meta.name.value
                    ),
                )
                .with_related(council.file, council.span(required), "required here")
                .with_hint(format!("add a heading `## {}`", required.value)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::satisfies;

    #[test]
    fn matches_headings_as_clerks_write_them() {
        assert!(satisfies("7. Recommendation(s):", "Recommendations"));
        assert!(satisfies(
            "6. Financial & Legal Implications",
            "Legal Implications"
        ));
        assert!(satisfies("Legal Implications (POR)", "Legal Implications"));
        assert!(!satisfies("Equalities Implications", "Legal Implications"));
    }
}
