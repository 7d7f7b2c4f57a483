//! What of a Word or PDF paper's text the import placed (issue 19, item 1: nothing silent).
//! Every piece of text the reader found is counted: placed when a line of the paper written
//! from it holds it (a header field, a paragraph, a list item, a table, a contact), set aside
//! as page furniture (a PDF's running headers, page numbers), or not placed, with where it is
//! in the original. Text the reader could not read at all (a PDF's rotated text; a Word
//! file's text the body does not hold, such as text boxes) counts as not placed too. A paper
//! whose text is less than 90% placed, or whose figures stayed prose because no table could be
//! read from them, gets an error (C1104, C1105): nothing in the unread part was checked.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::import::document::{Block, Document, Origin};
use crate::import::text::CHECK_MARK;
use crate::import::Assembled;
use crate::model::CellValue;

/// The share of a paper's text below which it counts as not read.
pub const READ_ENOUGH: f64 = 0.90;

/// What an import read of one file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    /// What kind of document the file is ("report", "minutes", "appendix" …).
    pub kind: &'static str,
    /// Characters of the paper's text (white space and page furniture aside).
    pub total: usize,
    pub placed: usize,
    /// Characters of page furniture set aside.
    pub furniture: usize,
    pub paragraphs: usize,
    pub tables: usize,
    /// Table cells clerk reads as amounts of money.
    pub money_cells: usize,
    /// Front-matter fields written, and those marked `# import: check`.
    pub fields: usize,
    pub marked: usize,
    /// Text not placed, with where it is in the original (`None`: the reader could not say).
    pub not_placed: Vec<(Option<Origin>, String)>,
    /// Paragraphs that are mostly figures: a table the reader could not read as one.
    pub figures_as_prose: Vec<(Origin, String)>,
}

impl Coverage {
    /// The share of the text placed (1 for a paper with no text).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.placed as f64 / self.total as f64
        }
    }

    /// "read 98% of the text: 41 paragraphs, 3 tables, 212 money cells".
    pub fn summary(&self) -> String {
        format!(
            "read {}% of the text: {} paragraph{}, {} table{}, {} money cell{}",
            (self.share() * 100.0).floor() as u32,
            self.paragraphs,
            if self.paragraphs == 1 { "" } else { "s" },
            self.tables,
            if self.tables == 1 { "" } else { "s" },
            self.money_cells,
            if self.money_cells == 1 { "" } else { "s" },
        )
    }
}

/// A text's words, lower case, without their punctuation.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Characters that count: everything but white space.
fn chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

fn block_text(block: &Block) -> String {
    match block {
        Block::Paragraph(p) => p.text.clone(),
        Block::Table(t) => t
            .rows
            .iter()
            .flatten()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// At most 80 characters of a text, for a note.
fn short(text: &str) -> String {
    let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &one[..at]),
        None => one,
    }
}

/// Measures what the import of `doc` placed in `assembled` (the paper and its appendices);
/// `structure`: the blocks the assembler read as the paper's structure (labels, headings of
/// lifted sections, a record's title, its signature lines), placed though no line holds them.
// Long because it walks every source of text once: the blocks, what the header left
// unclaimed, what the reader could not read, and the tables and fields written.
pub fn measure(doc: &Document, assembled: &Assembled, structure: &BTreeSet<Origin>) -> Coverage {
    let mut texts: Vec<(&str, &[Option<Origin>])> =
        vec![(assembled.text.as_str(), assembled.origins.as_slice())];
    texts.extend(
        assembled
            .appendices
            .iter()
            .map(|a| (a.text.as_str(), a.origins.as_slice())),
    );
    let unclaimed_line = |line: &str| line.trim_start().starts_with("# import: not placed");
    let mut written: BTreeSet<&Origin> = BTreeSet::new();
    let mut unclaimed: Vec<(Option<Origin>, String)> = Vec::new();
    for (text, origins) in &texts {
        for (line, origin) in text.lines().zip(origins.iter()) {
            match (origin, unclaimed_line(line)) {
                (Some(o), false) => {
                    written.insert(o);
                }
                (o, true) => {
                    let what = line.split_once("not placed:").map_or(line, |x| x.1);
                    unclaimed.push((o.clone(), what.trim().to_string()));
                }
                _ => {}
            }
        }
    }
    // Every word the paper holds, its comments on text not placed aside: a block whose words
    // are all there was placed, if not line for line (a label and its value read into a
    // field, a decision maker's name and role).
    let words: std::collections::HashSet<String> = texts
        .iter()
        .flat_map(|(text, _)| text.lines())
        .filter(|l| !unclaimed_line(l))
        .flat_map(words_of)
        .collect();
    let mut cov = Coverage {
        kind: assembled.document.name(),
        furniture: doc.furniture,
        ..Coverage::default()
    };
    for block in &doc.blocks {
        let text = block_text(block);
        let n = chars(&text);
        cov.total += n;
        let held = written.contains(block.origin())
            || structure.contains(block.origin())
            || words_of(&text).all(|w| words.contains(&w));
        if held {
            cov.placed += n;
            match block {
                Block::Paragraph(p) => {
                    cov.paragraphs += 1;
                    if figures(&p.text) {
                        cov.figures_as_prose
                            .push((p.origin.clone(), short(&p.text)));
                    }
                }
                Block::Table(_) => cov.tables += 1,
            }
        } else {
            cov.not_placed
                .push((Some(block.origin().clone()), short(&text)));
        }
    }
    for (origin, text) in unclaimed {
        // Text the header read but no label claimed: its block counted as placed above.
        let n = chars(&text).min(cov.placed);
        if origin.as_ref().is_some_and(|o| written.contains(o)) {
            cov.placed -= n;
        }
        cov.not_placed.push((origin, short(&text)));
    }
    for (origin, text) in &doc.unread {
        cov.total += chars(text);
        cov.not_placed.push((Some(origin.clone()), short(text)));
    }
    if let Some(source) = doc.source_chars {
        let read: usize = doc.blocks.iter().map(|b| chars(&block_text(b))).sum();
        if source > read + read / 50 {
            // Text the file holds that the Word reader did not give: text boxes, shapes.
            let missing = source - read;
            cov.total += missing;
            cov.not_placed.push((
                None,
                format!("{missing} characters the Word reader did not read (text boxes, shapes or other objects)"),
            ));
        }
    }
    for (text, _) in &texts {
        count_written(text, &mut cov);
    }
    cov
}

/// Tables' money cells (as clerk's Markdown reader reads them) and front-matter fields.
fn count_written(text: &str, cov: &mut Coverage) {
    if let Ok(split) = crate::parse::frontmatter::split(text) {
        for line in text[split.yaml.clone()].lines() {
            let field = line
                .split_once(':')
                .is_some_and(|(k, _)| !k.is_empty() && !k.starts_with([' ', '-', '#']));
            if field {
                cov.fields += 1;
                cov.marked += usize::from(line.contains(CHECK_MARK));
            }
        }
        let doc = crate::parse::markdown::parse(&text[split.body.clone()], split.body.start);
        cov.money_cells += doc
            .tables
            .iter()
            .flat_map(|t| t.rows.iter().flat_map(|r| r.cells.iter()))
            .filter(|c| matches!(c.value, CellValue::Amount(_)))
            .count();
    }
}

fn figures(text: &str) -> bool {
    crate::import::tables::mostly_figures(text)
}

/// The errors a poorly read file gets, naming it: less than `READ_ENOUGH` of its text placed
/// (C1104), figures left as prose (C1105).
pub fn findings(name: &str, cov: &Coverage) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let where_ = |o: &Option<Origin>| o.as_ref().map_or("".to_string(), |o| format!("{o}: "));
    if cov.share() < READ_ENOUGH {
        let unread = cov.total - cov.placed;
        let mut d = Diagnostic::general(
            Code::ImportUnread,
            format!(
                "clerk could not read `{name}`: only {}% of its text placed ({unread} of {} characters not placed, in {} place{}); nothing in the unread part was checked",
                (cov.share() * 100.0).floor() as u32,
                cov.total,
                cov.not_placed.len(),
                if cov.not_placed.len() == 1 { "" } else { "s" }
            ),
        )
        .with_hint("`clerk import --blocks FILE` shows what the reader saw; a council profile can name the labels of its template");
        d.notes.extend(
            cov.not_placed
                .iter()
                .take(8)
                .map(|(o, t)| format!("not placed: {}«{t}»", where_(o))),
        );
        out.push(d);
    }
    if let Some((first, text)) = cov.figures_as_prose.first() {
        let mut d = Diagnostic::general(
            Code::ImportTableUnread,
            format!(
                "{} line{} of figures in `{name}` could not be read as a table (the first at {first}: «{text}»); their figures are not checked",
                cov.figures_as_prose.len(),
                if cov.figures_as_prose.len() == 1 { "" } else { "s" },
            ),
        )
        .with_hint("`clerk import --blocks FILE` shows how the reader saw them");
        d.notes.extend(
            cov.figures_as_prose
                .iter()
                .skip(1)
                .take(5)
                .map(|(o, t)| format!("also {o}: «{t}»")),
        );
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_told_from_prose_that_quotes_them() {
        assert!(figures("1,429,506.8 0.0 1,429,506.8 Revised Base"));
        assert!(!figures(
            "The budget rose from 1,200 to 1,300 in 2025 and 1,400 in 2026 as the council decided."
        ));
    }

    #[test]
    fn the_summary_says_what_was_read() {
        let cov = Coverage {
            total: 1000,
            placed: 985,
            paragraphs: 41,
            tables: 3,
            money_cells: 212,
            ..Coverage::default()
        };
        assert_eq!(
            cov.summary(),
            "read 98% of the text: 41 paragraphs, 3 tables, 212 money cells"
        );
        assert!(findings("a.pdf", &cov).is_empty());
        let poor = Coverage {
            total: 1000,
            placed: 380,
            ..Coverage::default()
        };
        let found = findings("a.pdf", &poor);
        assert_eq!(found[0].code, Code::ImportUnread);
        assert!(
            found[0].message.contains(
                "only 38% of its text placed (620 of 1000 characters not placed, in 0 places)"
            ),
            "{}",
            found[0].message
        );
    }
}
