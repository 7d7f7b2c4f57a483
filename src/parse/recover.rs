//! Reading front matter past its mistakes, so a mistake there never hides the checks of the
//! rest of the paper (its tables, its prose, its record against it).
//!
//! Every mistake is reported, and then read past: a misspelt key is read as the key meant
//! (the block at the top that holds it is moved after the rest and the key renamed there, its
//! values still placed where they are written); any other line at fault is left out with the
//! lines under it; a required field still missing is read as a stand-in ([`STAND_INS`]), which the
//! checks that compare it leave alone. A knock-on of reading past (a field missing because
//! its key was misspelt) is not reported again. A paper read so is never published.

use std::ops::Range;

use serde::de::DeserializeOwned;

use super::frontmatter::{read_yaml_saying, structural, Failure};
use crate::diagnostic::{closest, Code, Diagnostic, FileId};

/// What a required field is read as when the front matter lacks it: enough to check the rest
/// of the paper. The paper is not published (it is `recovered`), and the checks that compare
/// such a field (`Source::defaulted`) leave it alone; a missing classification reads as
/// exempt all the same.
const STAND_INS: &[(&str, &str, &str)] = &[
    ("report", "title", "\"\""),
    ("report", "classification", "Exempt"),
    ("report", "key_decision", "false"),
    ("decision", "status", "proposed"),
    ("decision", "subject", "\"\""),
    ("decision", "decision_maker", "{}"),
    ("decision", "key_decision", "false"),
];

/// How many mistakes are read past before clerk gives up on a front matter.
const MISTAKES: usize = 16;

/// Front matter as read: its meta, whether anything was read past, where moved blocks are in
/// the file, and the fields read as stand-ins.
pub struct Read<M> {
    pub meta: M,
    pub recovered: bool,
    pub moved: Vec<(Range<usize>, Range<usize>)>,
    pub defaulted: Vec<&'static str>,
}

/// Front matter being read past its mistakes: the text read (the file up to the front
/// matter's end, with lines at fault blanked, then moved blocks and stand-ins), and what was
/// done to it.
struct Recovery<'a> {
    file: FileId,
    kind: &'a str,
    /// Where the YAML starts, and where the file's own YAML ends (moved blocks come after).
    start: usize,
    end: usize,
    /// The front matter's opening line, where a stand-in is said to be.
    opening: Range<usize>,
    read: String,
    moved: Vec<(Range<usize>, Range<usize>)>,
    defaulted: Vec<&'static str>,
    /// The keys blanked or renamed, and the fields stood in for: what a missing field may be a
    /// knock-on of.
    touched: Vec<String>,
    /// The blocks blanked for a field missing inside them, so one is not blanked twice.
    blanked: Vec<usize>,
}

/// Reads front matter, reporting every mistake and reading past each (see the module's
/// documentation); none only when it cannot be read at all within [`MISTAKES`] mistakes.
pub fn read<M: DeserializeOwned>(
    file: FileId,
    text: &str,
    yaml: Range<usize>,
    opening: Range<usize>,
    kind: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Read<M>> {
    let mut r = Recovery {
        file,
        kind,
        start: yaml.start,
        end: yaml.end,
        opening,
        read: text[..yaml.end].to_string(),
        moved: Vec::new(),
        defaulted: Vec::new(),
        touched: Vec::new(),
        blanked: Vec::new(),
    };
    let mut changed = false;
    for _ in 0..MISTAKES {
        let read = read_yaml_saying::<M>(r.file, &r.read, r.start..r.read.len(), r.kind);
        match read {
            Ok(meta) => {
                return Some(Read {
                    meta,
                    recovered: changed,
                    moved: r.moved,
                    defaulted: r.defaulted,
                })
            }
            Err(failure) => {
                r.past(failure, changed, diagnostics)?;
                changed = true;
            }
        }
    }
    None
}

impl Recovery<'_> {
    /// Reports one mistake (unless it is a knock-on of reading past an earlier one) and reads
    /// past it; none when it cannot be.
    fn past(
        &mut self,
        failure: Failure,
        changed: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<()> {
        let mut d = *failure.diagnostic;
        d.range = self.in_file(d.range.clone());
        if let Some(field) = failure.missing {
            let knock_on = self
                .touched
                .iter()
                .any(|k| closest(k, &[field.to_string()]).is_some());
            if !knock_on {
                diagnostics.push(d);
            }
            return self.stand_in(field, failure.at);
        }
        let at = failure.at;
        if !(self.start..self.read.len()).contains(&at) {
            if !changed {
                diagnostics.push(d);
            }
            return None;
        }
        // A syntax error, or a list or mapping not where one should be, after reading past a
        // mistake is a knock-on of it; a misspelt key or a wrong value never is.
        let knock_on = changed && (d.code == Code::YamlSyntax || structural(&d.message));
        if !knock_on {
            diagnostics.push(d);
        }
        let line = line_start(&self.read, at);
        let first = line + indent(self.read[line..].lines().next().unwrap_or(""));
        let key = key_at(&self.read, first).to_string();
        let renamed = failure.meant.is_some_and(|meant| self.rename(at, &meant));
        if !renamed {
            let block = block(&self.read, line);
            blank(&mut self.read, block);
        }
        self.touched.push(key);
        Some(())
    }

    /// A range of the text read as a range of the file: inside a moved block, where the
    /// block is written.
    fn in_file(&self, range: Range<usize>) -> Range<usize> {
        let map = |at: usize| {
            self.moved
                .iter()
                .find(|(from, _)| from.contains(&at) || from.end == at)
                .map_or(at, |(from, to)| (to.start + (at - from.start)).min(to.end))
        };
        let start = map(range.start);
        start..map(range.end).max(start)
    }

    /// Reads the misspelt key at `at` as `meant`: the block at the top of the front matter
    /// that holds it is moved after the rest (its lines blanked where they are written), and
    /// the key renamed there. False when the key meant is already at the top beside it.
    fn rename(&mut self, at: usize, meant: &str) -> bool {
        let top = top_line(&self.read, at, self.start);
        if top == at && top_keys(&self.read[self.start..]).any(|k| k == meant) {
            return false;
        }
        let at = if top < self.end {
            let block = block(&self.read, top);
            let copy = self.read[block.clone()].to_string();
            blank(&mut self.read, block.clone());
            if !self.read.ends_with('\n') {
                self.read.push('\n');
            }
            let from = self.read.len();
            self.read.push_str(&copy);
            self.read.push('\n');
            self.moved.push((from..from + copy.len(), block));
            from + (at - top)
        } else {
            at
        };
        let key = key_at(&self.read, at).len();
        self.edit(at..at + key, meant);
        true
    }

    /// Replaces `range` of the moved text with `with`, keeping every moved piece's place in the
    /// file: pieces after it shift, and the one it is in is split around it.
    fn edit(&mut self, range: Range<usize>, with: &str) {
        // A key read where no key stands (a fuzzed paper: a line duplicated into a block just
        // moved) reaches past the text: it is left as it is, never a panic.
        let fits = range.start <= range.end && self.read.get(range.clone()).is_some();
        if !fits {
            return;
        }
        let delta = with.len() as isize - range.len() as isize;
        let shift = |at: usize| (at as isize + delta) as usize;
        let mut pieces = Vec::new();
        for (from, to) in std::mem::take(&mut self.moved) {
            if from.end <= range.start {
                pieces.push((from, to));
            } else if from.start >= range.end {
                pieces.push((shift(from.start)..shift(from.end), to));
            } else {
                let before = range.start.saturating_sub(from.start);
                let after = range.end.saturating_sub(from.start);
                pieces.push((from.start..range.start, to.start..to.start + before));
                pieces.push((
                    range.start..shift(range.end),
                    to.start + before..to.start + after,
                ));
                pieces.push((shift(range.end)..shift(from.end), to.start + after..to.end));
            }
        }
        self.moved = pieces;
        self.read.replace_range(range, with);
    }

    /// Reads past a required field missing from the mapping that starts at `at`: at the top, a
    /// stand-in; inside a block (a list item, a nested mapping), that block is left out.
    fn stand_in(&mut self, field: &'static str, at: usize) -> Option<()> {
        self.touched.push(field.to_string());
        let line = line_start(&self.read, at);
        let top = !self.read[line..].starts_with([' ', '-']);
        if top {
            let value = STAND_INS
                .iter()
                .find(|(kind, f, _)| *kind == self.kind && *f == field)
                .map(|(_, _, v)| *v)?;
            if self.defaulted.contains(&field) {
                return None;
            }
            if !self.read.ends_with('\n') {
                self.read.push('\n');
            }
            let from = self.read.len();
            self.read.push_str(&format!("{field}: {value}\n"));
            self.moved
                .push((from..self.read.len(), self.opening.clone()));
            self.defaulted.push(field);
            return Some(());
        }
        let item = self.read[line..].trim_start().starts_with("- ");
        let owner = if item {
            line
        } else {
            parent(&self.read, line, self.start)?
        };
        if self.blanked.contains(&owner) {
            return None;
        }
        self.blanked.push(owner);
        let block = block(&self.read, owner);
        blank(&mut self.read, block);
        Some(())
    }
}

/// The line at the top of the front matter (not indented) that holds `at`.
fn top_line(text: &str, at: usize, start: usize) -> usize {
    let mut line = line_start(text, at);
    while line > start && text[line..].starts_with([' ', '-', '#', '\n', '\r']) {
        line = line_start(text, line - 1);
    }
    line
}

fn line_start(text: &str, at: usize) -> usize {
    // A place past the text (a parser's mark after the last line) is the last line's.
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The key that starts at `at` (up to its colon or the line's end).
fn key_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or("");
    let end = rest.find([':', '\n', '\r']).unwrap_or(rest.len());
    rest[..end].trim_end()
}

/// How far a line is indented, a list item's `- ` counted as indentation.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// The line at `line` and the lines under it (indented further, blank lines within): a key
/// with its value, or a list item with its fields.
fn block(text: &str, line: usize) -> Range<usize> {
    let first = text[line..].lines().next().unwrap_or("");
    let own = first.len() - first.trim_start().len();
    let item = first.trim_start().starts_with("- ");
    let mut end = line + first.len();
    for next in text[end..].split_inclusive('\n').skip(1) {
        let spaces = next.len() - next.trim_start().len();
        let under = if item {
            spaces > own
        } else {
            indent(next) > own
        };
        if next.trim().is_empty() || !under {
            break;
        }
        end += next.len();
    }
    line..end
}

/// The line above `line` (after `start`) that holds the block `line` is in: the nearest one
/// indented less.
fn parent(text: &str, line: usize, start: usize) -> Option<usize> {
    let own = text[line..].len() - text[line..].trim_start().len();
    let mut at = line;
    while at > start {
        let above = line_start(text, at - 1);
        let l = &text[above..at];
        if !l.trim().is_empty() && l.len() - l.trim_start().len() < own {
            return Some(above);
        }
        at = above;
    }
    None
}

/// The keys at the top of a YAML text.
fn top_keys(yaml: &str) -> impl Iterator<Item = &str> {
    yaml.lines()
        .filter(|l| !l.starts_with([' ', '-', '#']) && l.contains(':'))
        .map(|l| l.split(':').next().unwrap_or("").trim_end())
}

/// `range` of `text` made spaces, newlines kept, so every other offset stays where it was.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' {
                c.to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    text.replace_range(range, &blanked);
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::diagnostic::Code;
    use crate::model::ReportMeta;

    fn report(yaml: &str) -> (Option<super::Read<ReportMeta>>, Vec<Code>, String) {
        let text = format!("---\n{yaml}---\n\nBody.\n");
        let end = 4 + yaml.len();
        let mut found = Vec::new();
        let got = read::<ReportMeta>(0, &text, 4..end, 0..3, "report", &mut found);
        let codes = found.iter().map(|d| d.code).collect();
        let first = found
            .first()
            .map(|d| text[d.range.clone()].to_string())
            .unwrap_or_default();
        (got, codes, first)
    }

    const GOOD: &str = "title: Library hours\nclassification: Unrestricted\nkey_decision: false\nfigures:\n  uplift: \"£100k\"\n";

    #[test]
    fn good_front_matter_is_read_as_it_is() {
        let (got, codes, _) = report(GOOD);
        let got = got.unwrap();
        assert!(!got.recovered && codes.is_empty() && got.defaulted.is_empty());
    }

    /// Two misspelt keys, both required: each is reported where it is written, and the paper
    /// is read as meant (nothing stands in), though never published.
    #[test]
    fn misspelt_keys_are_reported_and_read_as_meant() {
        let yaml = GOOD
            .replace("title:", "titel:")
            .replace("key_decision:", "key_decison:")
            .replace("figures:", "figurs:");
        let (got, codes, first) = report(&yaml);
        let got = got.unwrap();
        assert_eq!(codes, [Code::UnknownKey; 3]);
        assert_eq!(first, "titel");
        assert!(got.recovered && got.defaulted.is_empty());
        assert_eq!(got.meta.title.value, "Library hours");
        assert!(got.meta.figures.contains_key("uplift"));
    }

    /// A misspelt key inside a list is read as meant too, and the values of the block moved
    /// to read it are still placed where they are written.
    #[test]
    fn a_misspelt_nested_key_is_read_as_meant_where_it_is_written() {
        let yaml = format!("{GOOD}recommendations:\n  - id: i\n    txt: To open on Sundays.\n");
        let text = format!("---\n{yaml}---\n");
        let mut found = Vec::new();
        let got =
            read::<ReportMeta>(0, &text, 4..4 + yaml.len(), 0..3, "report", &mut found).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "txt");
        let rec = &got.meta.recommendations[0];
        let source = crate::model::Source {
            file: 0,
            yaml_base: 4,
            front_matter: 0..0,
            meta: (),
            body: Default::default(),
            recovered: got.recovered,
            moved: got.moved.clone(),
            defaulted: got.defaulted.clone(),
            unconfirmed_classification: false,
        };
        let text_span = source.span(&rec.text);
        assert_eq!(&text[text_span], "To open on Sundays.");
        assert_eq!(&text[source.span(&rec.id)], "i");
    }

    /// A required field that is missing is reported once, and stood in for; a wrong value is
    /// reported, and its field stood in for without a second report.
    #[test]
    fn missing_and_wrong_required_fields_stand_in() {
        let (got, codes, _) = report(&GOOD.replace("title: Library hours\n", ""));
        let got = got.unwrap();
        assert_eq!(codes, [Code::MissingField]);
        assert_eq!(got.defaulted, ["title"]);
        let (got, codes, _) = report(&GOOD.replace("Unrestricted", "unrestricted"));
        let got = got.unwrap();
        assert_eq!(codes, [Code::InvalidValue]);
        assert_eq!(got.defaulted, ["classification"]);
        assert_eq!(
            got.meta.classification.value,
            crate::model::Classification::Exempt
        );
    }

    /// A YAML syntax error is reported and its line read past.
    #[test]
    fn a_syntax_error_is_read_past() {
        let yaml = format!("{GOOD}contacts: [unclosed\n");
        let (got, codes, _) = report(&yaml);
        assert!(got.is_some_and(|g| g.recovered), "{codes:?}");
        assert_eq!(codes.len(), 1);
    }

    /// The example report's front matter, as written.
    fn example() -> String {
        let text = include_str!("../../papers/20-00017-early-help/report.md");
        let body = text.strip_prefix("---\n").unwrap_or(text);
        body[..body.find("\n---").map_or(body.len(), |n| n + 1)].to_string()
    }

    /// One edit of a line of front matter: the ways hand-edited YAML goes wrong.
    fn edit(lines: &mut Vec<String>, at: usize, how: u8) {
        if lines.is_empty() {
            return;
        }
        let at = at % lines.len();
        match how % 7 {
            0 => {
                lines.remove(at);
            }
            1 => {
                let line = lines[at].clone();
                lines.insert(at, line);
            }
            2 if at + 1 < lines.len() => lines.swap(at, at + 1),
            3 => {
                // A letter of the key changed.
                let line = &mut lines[at];
                if let Some(k) = line.find(|c: char| c.is_ascii_alphabetic()) {
                    line.replace_range(k..k + 1, "q");
                }
            }
            4 => lines[at].insert_str(0, "  "),
            5 => {
                let line = &mut lines[at];
                let trimmed = line.trim_start_matches(' ').len();
                let spaces = line.len() - trimmed;
                line.replace_range(..spaces.min(2), "");
            }
            _ => {
                let line = &mut lines[at];
                if let Some(k) = line.find(':') {
                    line.truncate(k + 1);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// However a real front matter is mangled line by line, recovery never panics and
        /// every finding points inside the text, on character boundaries.
        #[test]
        fn recovery_never_panics_and_points_inside_the_text(
            edits in proptest::collection::vec((0usize..200, 0u8..7), 1..5)
        ) {
            let mut lines: Vec<String> = example().lines().map(str::to_string).collect();
            for (at, how) in edits {
                edit(&mut lines, at, how);
            }
            let yaml = lines.iter().map(|l| format!("{l}\n")).collect::<String>();
            let text = format!("---\n{yaml}---\n\nBody.\n");
            let mut found = Vec::new();
            let _ = read::<ReportMeta>(0, &text, 4..4 + yaml.len(), 0..3, "report", &mut found);
            for d in &found {
                proptest::prop_assert!(d.range.end <= text.len(), "{:?} past {}", d.range, text.len());
                proptest::prop_assert!(
                    text.is_char_boundary(d.range.start) && text.is_char_boundary(d.range.end),
                    "{:?}", d.range
                );
            }
        }
    }
}
