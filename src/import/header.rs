//! The header block: the labelled lines at the top of a council paper ("Decision No:
//! 20/00017", "Subject: …") read into fields through the council's profile. A label may
//! carry its value on the same line, on the next lines, or in a two-column table.

use std::collections::BTreeMap;

use regex::Regex;

use super::document::{Block, Origin};
use super::profile::{Field, Profile};
use crate::model::classification;

/// A field's value as the paper printed it, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// Each line of the value: a label followed by several lines (two people under From:)
    /// gives several.
    pub lines: Vec<String>,
    /// The label it followed, as the paper wrote it; empty for a value printed alone.
    pub label: String,
    pub origin: Origin,
    /// The value may hold more than its own: a PDF line it ran on to, or another field's label
    /// inside it (a table's rows read as one line). Marked for checking.
    pub doubtful: bool,
}

impl Value {
    pub fn joined(&self) -> String {
        self.lines.join(" ")
    }
}

/// The header block's fields, and the lines of it that no label claimed.
#[derive(Debug, Default)]
pub struct Header {
    pub fields: BTreeMap<Field, Value>,
    /// The title block says the record is proposed, not yet taken ("PROPOSED RECORD OF
    /// DECISION", "Decision to be taken by").
    pub proposed: bool,
    /// Whether any value may run on to the next line (see `read`).
    pub wraps: bool,
    pub unclaimed: Vec<(String, Origin)>,
    /// Every classification after the first: a second classification label, or a
    /// classification printed alone once one was read. Each is a signal publication reads.
    pub more_classifications: Vec<Value>,
}

/// A label found at the start of a paragraph: the field and the text after it.
pub struct Labelled<'a> {
    pub field: Field,
    /// The label as the paper wrote it ("Exempt information").
    pub label: &'a str,
    pub rest: &'a str,
}

/// Matches labels longest first, so "Decision number and title" wins over "Decision number".
pub struct Labels {
    labels: Vec<(String, Field)>,
    /// The labels as the profile spells them.
    given: Vec<String>,
    /// A one-word label may stand without its colon ("From Peter Oakford"): in a PDF, where a
    /// header table's label cell is read as the start of a line.
    lenient: bool,
}

impl Labels {
    pub fn of(profile: &Profile, lenient: bool) -> Labels {
        let mut labels: Vec<(String, Field)> = profile
            .labels
            .iter()
            .flat_map(|(f, ls)| ls.iter().map(move |l| (normal(l), *f)))
            .filter(|(l, _)| !l.is_empty())
            .collect();
        labels.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        let given = profile
            .labels
            .values()
            .flatten()
            .map(|l| l.trim().trim_end_matches(':').trim().to_string())
            .collect();
        Labels {
            labels,
            given,
            lenient,
        }
    }

    fn spelt_as_given(&self, word: &str) -> bool {
        self.given.iter().any(|g| g == word)
    }

    /// The label `text` starts with, if any: followed by a colon, or by the end of the text,
    /// or (for a label of two words or more) by a space.
    pub fn find<'a>(&self, text: &'a str) -> Option<Labelled<'a>> {
        let lower = text.to_lowercase();
        for (label, field) in &self.labels {
            if !lower.starts_with(label.as_str()) || !text.is_char_boundary(label.len()) {
                continue;
            }
            let after = &text[label.len()..];
            let colon = after.trim_start().strip_prefix(':');
            let rest = match colon {
                Some(rest) => rest,
                None if after.trim().is_empty() => "",
                // "From Peter Oakford, …": a table's label cell read as a line of a PDF. A
                // one-word label stands without its colon when written as the profile writes
                // it ("From", not "from").
                None if after.starts_with(' ')
                    && (label.contains(' ')
                        || is_caps_label(text, label)
                        || self.lenient && self.spelt_as_given(&text[..label.len()])) =>
                {
                    after
                }
                None => continue,
            };
            return Some(Labelled {
                field: *field,
                label: &text[..label.len()],
                rest: rest.trim(),
            });
        }
        None
    }
}

/// "COMMITTEE Childrens Services…": a one-word label in capitals stands without a colon.
fn is_caps_label(text: &str, label: &str) -> bool {
    let word = &text[..label.len()];
    word.len() > 3 && word.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
}

/// A label as compared: lower case, colon and surrounding space removed.
pub fn normal(label: &str) -> String {
    label.trim().trim_end_matches(':').trim().to_lowercase()
}

/// Reads the header block from `blocks[..end]`.
/// `wraps`: the document's lines are as a page wraps them (a PDF), so a value may run on to
/// the next line; in a Word file a line is one the author typed.
pub fn read(blocks: &[Block], end: usize, labels: &Labels, wraps: bool) -> Header {
    let mut header = Header {
        wraps,
        ..Header::default()
    };
    let mut current: Option<Field> = None;
    for block in &blocks[..end] {
        match block {
            Block::Paragraph(p) => {
                for line in p.text.lines() {
                    current = take_line(&mut header, labels, current, line, &p.origin);
                }
            }
            // A header table: a label cell and a value cell, or cells each holding a label and
            // its value on lines of their own. Read cell by cell, line by line.
            Block::Table(t) => {
                for row in &t.rows {
                    current = None;
                    for line in row.iter().flat_map(|c| c.text.lines()) {
                        current = take_line(&mut header, labels, current, line, &t.origin);
                    }
                }
                // A label left empty in its cell ("DECISION NO:") takes nothing after the table.
                if current.is_some_and(|f| header.fields.get(&f).is_none_or(|v| v.lines.is_empty()))
                {
                    current = None;
                }
            }
        }
    }
    mark_swallowed(&mut header, labels);
    header
}

/// Marks each value that holds a label of the profile, as the profile spells it, after its
/// start: "Children's … Committee, 9 March 2021 Subject Provision …" swallowed a row.
fn mark_swallowed(header: &mut Header, labels: &Labels) {
    for value in header.fields.values_mut() {
        let joined = value.joined();
        let holds = labels.given.iter().filter(|g| g.len() > 2).any(|g| {
            joined.match_indices(g.as_str()).any(|(at, _)| {
                at > 0
                    && joined[..at].ends_with(' ')
                    && !joined[at + g.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
        });
        value.doubtful |= holds;
    }
}

/// One line of the header: a new field, more of the current one, or unclaimed text.
fn take_line(
    header: &mut Header,
    labels: &Labels,
    current: Option<Field>,
    text: &str,
    origin: &Origin,
) -> Option<Field> {
    let lower = text.to_lowercase();
    if lower.contains("proposed record of decision") || lower.starts_with("decision to be taken") {
        header.proposed = true;
    }
    if let Some(found) = labels.find(text) {
        return take_labelled(header, found, text, origin);
    }
    if classification_alone(header, current, text, origin) {
        return None;
    }
    let wraps = header.wraps;
    match current.and_then(|f| header.fields.get_mut(&f).map(|v| (f, v))) {
        // A label alone takes the next line; From and To take every line up to the next label.
        Some((field, value)) if value.lines.is_empty() || continues(field) || wraps => {
            value.doubtful |= wraps && !value.lines.is_empty() && !continues(field);
            value.lines.push(text.to_string());
            Some(field)
        }
        _ => {
            header.unclaimed.push((text.to_string(), origin.clone()));
            None
        }
    }
}

/// A line that starts with a label: a new field, or more of From (or To) under a second label.
fn take_labelled(
    header: &mut Header,
    found: Labelled,
    text: &str,
    origin: &Origin,
) -> Option<Field> {
    if let Some(value) = header
        .fields
        .get_mut(&found.field)
        .filter(|_| continues(found.field))
    {
        // "Report of:" then "Responsible Director(s):": both are From.
        if !found.rest.is_empty() {
            value.lines.push(found.rest.to_string());
        }
        return Some(found.field);
    }
    if found.field == Field::Classification && header.fields.contains_key(&found.field) {
        // A second classification is a signal of its own: publication reads every one.
        header.more_classifications.push(Value {
            lines: vec![found.rest.to_string()],
            label: found.label.to_string(),
            origin: origin.clone(),
            doubtful: false,
        });
        return None;
    }
    if header.fields.contains_key(&found.field) {
        // A label seen twice (a second "Date:"): keep the first, note the second.
        header.unclaimed.push((text.to_string(), origin.clone()));
        return None;
    }
    let lines = if found.rest.is_empty() {
        Vec::new()
    } else {
        vec![found.rest.to_string()]
    };
    header.fields.insert(
        found.field,
        Value {
            lines,
            label: found.label.to_string(),
            origin: origin.clone(),
            doubtful: false,
        },
    );
    Some(found.field)
}

/// A classification printed alone ("Unrestricted", "For publication", "EXEMPT – paragraph
/// 3", "Not for publication"), as Kent's records do: taken when no label is waiting for its
/// value. One printed after the classification was read is a further signal.
fn classification_alone(
    header: &mut Header,
    current: Option<Field>,
    text: &str,
    origin: &Origin,
) -> bool {
    let waiting = current.is_some_and(|f| header.fields.get(&f).is_none_or(|v| v.lines.is_empty()));
    if waiting || !classification::is_statement(text) {
        return false;
    }
    let value = Value {
        lines: vec![text.to_string()],
        label: String::new(),
        origin: origin.clone(),
        doubtful: false,
    };
    match header.fields.entry(Field::Classification) {
        std::collections::btree_map::Entry::Occupied(_) => header.more_classifications.push(value),
        std::collections::btree_map::Entry::Vacant(v) => {
            v.insert(value);
        }
    }
    true
}

fn continues(field: Field) -> bool {
    matches!(field, Field::From | Field::To | Field::DecisionMaker)
}

/// The decision number in a value ("20/00102 - Community Support…" gives "20/00102").
pub fn decision_number(text: &str, pattern: &str) -> Option<String> {
    let re = Regex::new(&format!(r"\b(?:{pattern})\b")).ok()?;
    re.find(text).map(|m| m.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document::Paragraph;
    use crate::import::profile::built_in;

    fn para(text: &str, n: usize) -> Block {
        Block::Paragraph(Paragraph {
            mark: None,
            level: 0,
            text: text.into(),
            bold: false,
            heading: None,
            origin: Origin::Paragraph(n),
        })
    }

    #[test]
    fn labels_on_the_line_on_the_next_line_and_continued() {
        let blocks: Vec<Block> = [
            "KENT COUNTY COUNCIL – RECORD OF DECISION",
            "DECISION TAKEN BY:",
            "Sue Chandler, Cabinet Member for Children’s Integrated Services",
            "DECISION NO:",
            "20/00017",
            "From: Sue Chandler, Cabinet Member",
            "Matt Dunkley, Corporate Director",
            "Decision number and title: 20/00102 - Community Support Services",
            "Key decision: YES",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| para(t, i + 1))
        .collect();
        let labels = Labels::of(&built_in("kent").unwrap(), false);
        let header = read(&blocks, blocks.len(), &labels, false);
        let get = |f| header.fields.get(&f).map(|v: &Value| v.lines.clone());
        assert_eq!(
            get(Field::DecisionMaker).unwrap(),
            ["Sue Chandler, Cabinet Member for Children’s Integrated Services"]
        );
        assert_eq!(
            get(Field::From).unwrap(),
            [
                "Sue Chandler, Cabinet Member",
                "Matt Dunkley, Corporate Director"
            ]
        );
        assert_eq!(get(Field::KeyDecision).unwrap(), ["YES"]);
        // The first "Decision No" is kept; the second label is noted as unclaimed.
        assert_eq!(get(Field::DecisionNumber).unwrap(), ["20/00017"]);
        assert_eq!(header.unclaimed.len(), 2);
        assert_eq!(
            decision_number("20/00102 - Community Support Services", r"\d{2}/\d{5}"),
            Some("20/00102".into())
        );
    }

    #[test]
    fn a_word_that_begins_like_a_label_is_not_one() {
        let labels = Labels::of(&built_in("kent").unwrap(), false);
        assert!(labels.find("Today the council").is_none());
        assert!(labels.find("Subjective views").is_none());
        assert!(labels.find("Subject").is_some());
        let cb = Labels::of(&built_in("central-bedfordshire").unwrap(), false);
        let found = cb.find("COMMITTEE Childrens Services Overview").unwrap();
        assert_eq!(found.field, Field::Committee);
        assert_eq!(found.rest, "Childrens Services Overview");
        assert!(cb.find("Committee members agreed").is_none());
        // In a PDF, a table's label cell starts the line, without its colon.
        let pdf = Labels::of(&built_in("kent").unwrap(), true);
        assert_eq!(
            pdf.find("From Peter Oakford, Cabinet Member")
                .unwrap()
                .field,
            Field::From
        );
        assert!(pdf.find("from the council").is_none());
    }
}
