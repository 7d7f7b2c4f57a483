//! A Word or PDF paper's classification, read from every signal it carries and failing closed.
//!
//! The signals: the header's classification (a labelled value, or a classification printed
//! alone), every further one (a second classification row, a bare line after it), and anywhere
//! in the document a line that is a classification statement ("NOT FOR PUBLICATION",
//! "Exempt – paragraph 3") or prose saying exempt information is present ("Appendix B
//! contains exempt information under paragraph 3 of Schedule 12A"): the appendices of a Word
//! report sit in the same file. The paper is written `Unrestricted`, unmarked, only when there
//! are signals and every one says public without qualification
//! (`model::classification::read`). A plainly exempt paper is written `Exempt`. Anything else is
//! written `Exempt` and marked, naming each signal and where it is, so nothing is published
//! until its author confirms it.

use super::document::{Block, Origin};
use super::header::{Header, Value};
use super::profile::Field;
use super::text::Out;
use crate::model::classification::{self, Reading};

/// One thing the paper says of its classification, and where.
#[derive(Clone, Debug)]
struct Signal {
    text: String,
    origin: Origin,
    reading: Reading,
}

/// What the paper's signals say together.
#[derive(Clone, Debug)]
pub struct Classified {
    signals: Vec<Signal>,
    /// "Exempt information: None": the header's one signal says the paper holds none. Read as
    /// Unrestricted, marked, when nothing else speaks.
    says_none: Option<Value>,
}

impl Classified {
    /// Reads the header's classifications and every block from `body` on.
    pub fn read(header: &Header, body: &[Block]) -> Classified {
        let mut signals = Vec::new();
        let mut says_none = None;
        if let Some(v) = header.fields.get(&Field::Classification) {
            if v.label.to_lowercase().contains("exempt") && says_none_of(&v.joined()) {
                says_none = Some(v.clone());
            } else {
                signals.push(signal_of(v));
            }
        }
        signals.extend(header.more_classifications.iter().map(signal_of));
        for (text, origin) in &header.unclaimed {
            scan(text, origin, &mut signals);
        }
        for block in body {
            match block {
                Block::Paragraph(p) => scan(&p.text, &p.origin, &mut signals),
                Block::Table(t) => {
                    for cell in t.rows.iter().flatten() {
                        scan(&cell.text, &t.origin, &mut signals);
                    }
                }
            }
        }
        Classified { signals, says_none }
    }

    /// The front-matter lines: `classification:` and, when one is named, `exempt_paragraph:`.
    pub fn write(&self, out: &mut Out) {
        let first = self.signals.first().map(|s| s.origin.clone());
        let all_public = self.signals.iter().all(|s| s.reading.is_public());
        match (&self.says_none, all_public) {
            (None, _) if self.signals.is_empty() => out.missing(
                "classification",
                "Exempt",
                "no classification was found; Exempt until checked",
            ),
            (None, true) => out.raw_field("classification", "Unrestricted", first, false),
            // "Exempt information: None" alone: its own words are the note.
            (Some(v), true) if self.signals.is_empty() => out.marked(
                "classification",
                "Unrestricted",
                Some(v.origin.clone()),
                &format!("read from \"{}: {}\"", v.label, v.joined()),
            ),
            (Some(v), true) => out.marked(
                "classification",
                "Unrestricted",
                Some(v.origin.clone()),
                &self.why("read from"),
            ),
            (_, false) => self.write_exempt(first, out),
        }
    }

    /// A paper some signal keeps from publication: `Exempt`, marked unless one plain signal
    /// says so ("Exempt - paragraph 3" and nothing else).
    fn write_exempt(&self, first: Option<Origin>, out: &mut Out) {
        let reading = Reading::all(self.signals.iter().map(|s| s.reading));
        let paragraph = match reading {
            Reading::Exempt { paragraph, .. } => paragraph,
            _ => None,
        };
        let plain = matches!(reading, Reading::Exempt { plain: true, .. })
            && self.signals.len() == 1
            && self.says_none.is_none();
        if plain {
            out.raw_field("classification", "Exempt", first.clone(), false);
        } else {
            let why = self.why("not public until an author confirms it; the paper says");
            out.marked("classification", "Exempt", first.clone(), &why);
        }
        if let Some(n) = paragraph {
            out.raw_field("exempt_paragraph", &n.to_string(), first, !plain);
        }
    }

    /// The front-matter lines as text, for an appendix to repeat: an appendix is never more
    /// public than its report.
    pub fn text(&self) -> String {
        let mut out = Out::default();
        self.write(&mut out);
        out.finish().0
    }

    /// What was read, and where: `lead` "\"Unrestricted\" (paragraph 5), \"Exempt - paragraph
    /// 3\" (paragraph 9)".
    fn why(&self, lead: &str) -> String {
        // Ten signals name the problem; a paper that repeats "exempt information" on every
        // page need not list every page.
        const SHOWN: usize = 10;
        let mut said: Vec<String> = self
            .signals
            .iter()
            .take(SHOWN)
            .map(|s| format!("\"{}\" ({})", short(&s.text), s.origin))
            .collect();
        if let Some(v) = &self.says_none {
            said.insert(0, format!("\"{}: {}\" ({})", v.label, v.joined(), v.origin));
        }
        if self.signals.len() > SHOWN {
            said.push(format!("and {} more", self.signals.len() - SHOWN));
        }
        format!("{lead} {}", said.join(", "))
    }
}

fn signal_of(v: &Value) -> Signal {
    let text = v.joined();
    Signal {
        reading: classification::read(&text),
        text,
        origin: v.origin.clone(),
    }
}

/// A block's text as signals: each line that is a classification statement and does not say
/// public, and the block once if its prose says exempt information is present. Outside the
/// header a line can only keep a paper from publication: a table cell that says "Public" (a
/// column of a survey's answers) is no classification, and must not make public a paper whose
/// header says nothing.
fn scan(text: &str, origin: &Origin, out: &mut Vec<Signal>) {
    let mut stated = false;
    for line in text.lines() {
        if classification::is_statement(line) {
            stated = true;
            let reading = classification::read(line);
            if !reading.is_public() {
                out.push(Signal {
                    text: line.trim().to_string(),
                    origin: origin.clone(),
                    reading,
                });
            }
        }
    }
    if stated {
        return;
    }
    if let Some(reading) = classification::mentions_exemption(text) {
        out.push(Signal {
            text: text.trim().to_string(),
            origin: origin.clone(),
            reading,
        });
    }
}

/// "None", "No", "N/A", "Not applicable", "Nil".
fn says_none_of(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').to_lowercase();
    matches!(
        t.as_str(),
        "none" | "no" | "n/a" | "na" | "nil" | "not applicable"
    )
}

/// A signal's words as quoted in a note: at most twelve words.
fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 12 {
        words.join(" ")
    } else {
        format!("{} …", words[..12].join(" "))
    }
}
