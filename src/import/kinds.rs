//! What kind of document a Word or PDF file is (issue 19, item 4), told from what it says on
//! its first page and how its text is made: councils publish officers' reports and records of
//! decision beside minutes, agendas, appendices that are tables of figures, budget amendment
//! forms, questions and answers, and whole meeting packs. Each is checked with the rules that
//! apply to it: a report's required sections are asked of a report alone.

use std::sync::LazyLock;

use regex::Regex;

use super::document::{Block, Document, Origin};

/// A kind of council document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocKind {
    Report,
    /// A Record of Decision, or a proposed one.
    Record,
    Minutes,
    Agenda,
    /// An appendix: mostly tables of figures, or titled "Appendix …" / "Annex …".
    Appendix,
    /// A budget amendment form.
    Amendment,
    Questions,
    /// A meeting's pack: an agenda and the papers of its items in one file.
    Pack,
}

impl DocKind {
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Report => "report",
            DocKind::Record => "record of decision",
            DocKind::Minutes => "minutes",
            DocKind::Agenda => "agenda",
            DocKind::Appendix => "appendix",
            DocKind::Amendment => "budget amendment",
            DocKind::Questions => "questions and answers",
            DocKind::Pack => "meeting pack",
        }
    }

    /// A report's own rules (its required sections) apply to it.
    pub fn is_report(self) -> bool {
        matches!(self, DocKind::Report)
    }
}

/// Words that name a kind where a first page says them.
static MINUTES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(printed\s+)?minutes\b|\bminutes of (a|the) meeting\b").expect("valid")
});
static AGENDA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(agenda|summons)\b|\bsummons to and agenda\b|\bagenda for\b")
        .expect("valid")
});
static PACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(public )?reports? pack\b|\bsupplementary agenda\b|\bsupplement\b")
        .expect("valid")
});
static AMENDMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bbudget amendment\b|\bamendment (form|proposed)\b|\bproposed by\b.*\bseconded by\b",
    )
    .expect("valid")
});
static QUESTIONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bquestions? put and answers? given\b|^\s*question\s+\d+\b").expect("valid")
});
static APPENDIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(appendix|annex)\b").expect("valid"));

/// The text of the first page's blocks (a Word file: its first 25 blocks), in order.
fn first_page(doc: &Document) -> Vec<String> {
    let first = |b: &&Block| match b.origin() {
        Origin::Page { page, .. } => *page == 1,
        Origin::Paragraph(_) => true,
    };
    doc.blocks
        .iter()
        .filter(first)
        .take(25)
        .map(|b| match b {
            Block::Paragraph(p) => p.text.clone(),
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect()
}

/// The kind of `doc`; `record` says whether the assembler found a record's title block.
pub fn kind_of(doc: &Document, record: bool) -> DocKind {
    if record {
        return DocKind::Record;
    }
    let page = first_page(doc);
    let top: Vec<&String> = page.iter().take(6).collect();
    let any = |re: &Regex, lines: &[&String]| lines.iter().any(|l| re.is_match(l));
    let all: Vec<&String> = page.iter().collect();
    if any(&QUESTIONS, &top) {
        DocKind::Questions
    } else if any(&MINUTES, &top) {
        DocKind::Minutes
    } else if any(&AMENDMENT, &all) {
        DocKind::Amendment
    } else if any(&AGENDA, &top) {
        if any(&PACK, &all) || pages(doc) > 6 {
            DocKind::Pack
        } else {
            DocKind::Agenda
        }
    } else if any(&APPENDIX, &top) || mostly_tables(doc) {
        DocKind::Appendix
    } else {
        DocKind::Report
    }
}

fn pages(doc: &Document) -> u32 {
    doc.blocks
        .iter()
        .filter_map(|b| match b.origin() {
            Origin::Page { page, .. } => Some(*page),
            Origin::Paragraph(_) => None,
        })
        .max()
        .unwrap_or(0)
}

/// Most of the text is in tables.
fn mostly_tables(doc: &Document) -> bool {
    let (mut tables, mut all) = (0usize, 0usize);
    for b in &doc.blocks {
        let n = match b {
            Block::Paragraph(p) => p.text.len(),
            Block::Table(t) => {
                let n: usize = t.rows.iter().flatten().map(|c| c.text.len()).sum();
                tables += n;
                n
            }
        };
        all += n;
    }
    all > 0 && tables * 10 >= all * 6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document::{Format, Paragraph};

    fn doc(lines: &[&str]) -> Document {
        Document {
            format: Format::UntaggedPdf,
            blocks: lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    Block::Paragraph(Paragraph {
                        mark: None,
                        level: 0,
                        text: t.to_string(),
                        bold: false,
                        heading: None,
                        origin: Origin::Page {
                            page: 1,
                            line: i as u32 + 1,
                        },
                    })
                })
                .collect(),
            furniture: 0,
            unread: Vec::new(),
            source_chars: None,
        }
    }

    #[test]
    fn kinds_are_told_from_the_first_page() {
        let cases = [
            (
                &[
                    "KENT COUNTY COUNCIL",
                    "MINUTES of a meeting of the Cabinet held …",
                ][..],
                DocKind::Minutes,
            ),
            (
                &["AGENDA", "CABINET", "Thursday, 30th January, 2025"][..],
                DocKind::Agenda,
            ),
            (
                &["APPENDIX A - CAPITAL INVESTMENT SUMMARY"][..],
                DocKind::Appendix,
            ),
            (
                &["Budget Amendment Form", "Proposed by: …", "Seconded by: …"][..],
                DocKind::Amendment,
            ),
            (
                &["COUNTY COUNCIL", "QUESTIONS PUT AND ANSWERS GIVEN"][..],
                DocKind::Questions,
            ),
            (
                &[
                    "From: Roger Gough, Leader",
                    "To: County Council",
                    "Subject: Devolution",
                ][..],
                DocKind::Report,
            ),
        ];
        for (lines, kind) in cases {
            assert_eq!(kind_of(&doc(lines), false), kind, "{lines:?}");
        }
        assert_eq!(kind_of(&doc(&["anything"]), true), DocKind::Record);
    }
}
