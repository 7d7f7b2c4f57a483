//! Appendices: a council's Word report carries its appendices after the report itself, each
//! under a heading such as "Appendix A – Equality Impact Assessment". Each becomes a file of its
//! own beside report.md (`appendix-a.md`), as clerk's format keeps them, with the report's
//! classification: an appendix is never more public than what it is appended to.

use std::sync::LazyLock;

use regex::Regex;

use super::document::{Block, ListMark, Paragraph};

/// "Appendix A", "APPENDIX 2: Financial detail", "Appendix B – Consultation responses".
static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^appendix\s+([a-z]|\d{1,2})\b\s*[:.\-–—]?\s*(.*)$").expect("valid")
});

/// Where one appendix begins, its id ("a", "2") and its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    pub at: usize,
    pub id: String,
    pub title: String,
}

/// The appendix headings among `blocks`: a paragraph that names an appendix and reads as a
/// heading (a heading style, bold, or a short line without a full stop), never a sentence that
/// mentions one ("Appendix A sets out the options.").
pub fn starts(blocks: &[Block]) -> Vec<Start> {
    let mut found: Vec<Start> = Vec::new();
    for (at, block) in blocks.iter().enumerate() {
        let Block::Paragraph(p) = block else { continue };
        let Some((id, title)) = heading(p) else {
            continue;
        };
        // Each appendix once: a later mention of "Appendix A" as a heading is not a second one.
        if found.iter().any(|s| s.id == id) {
            continue;
        }
        found.push(Start { at, id, title });
    }
    found
}

fn heading(p: &Paragraph) -> Option<(String, String)> {
    if matches!(p.mark, Some(ListMark::Bullet)) {
        return None;
    }
    let text = p.text.lines().next()?.trim();
    let caps = APPENDIX.captures(text)?;
    let words = text.split_whitespace().count();
    let reads_as_heading = p.heading.is_some() || p.bold || (words <= 12 && !text.ends_with('.'));
    if !reads_as_heading {
        return None;
    }
    let id = caps[1].to_lowercase();
    let rest = caps[2].trim();
    let title = if rest.is_empty() {
        format!("Appendix {}", caps[1].to_uppercase())
    } else {
        rest.to_string()
    };
    Some((id, title))
}

/// The file an appendix is written to in its paper's folder.
pub fn file_name(id: &str) -> String {
    format!("appendix-{id}.md")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document::Origin;

    fn para(text: &str, bold: bool) -> Block {
        Block::Paragraph(Paragraph {
            mark: None,
            level: 0,
            text: text.into(),
            bold,
            heading: None,
            origin: Origin::Paragraph(1),
        })
    }

    #[test]
    fn appendix_headings_and_not_sentences() {
        let blocks = vec![
            para(
                "Appendix A sets out the options considered and the reasons for each.",
                false,
            ),
            para("Background", true),
            para("Appendix A – Equality Impact Assessment", true),
            para("text", false),
            para("APPENDIX 2: Financial detail", false),
            para("Appendix A", true),
        ];
        let found = starts(&blocks);
        assert_eq!(
            found,
            vec![
                Start {
                    at: 2,
                    id: "a".into(),
                    title: "Equality Impact Assessment".into()
                },
                Start {
                    at: 4,
                    id: "2".into(),
                    title: "Financial detail".into()
                },
            ]
        );
        assert_eq!(file_name("a"), "appendix-a.md");
    }
}
