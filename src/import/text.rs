//! Writing the imported paper: lines that remember their origin, YAML values quoted so that
//! nothing in a Word file can become YAML structure, and Markdown escaped so that nothing in it
//! becomes Markdown structure, HTML or a clerk placeholder.

use std::sync::LazyLock;

use regex::Regex;

use super::assemble::Unsure;
use super::document::Origin;

/// The mark left on every value the importer is not sure of (publication refuses a
/// classification that still carries it).
pub const CHECK_MARK: &str = crate::model::IMPORT_MARK;

/// The paper being written, line by line.
#[derive(Default)]
pub struct Out {
    lines: Vec<(String, Option<Origin>)>,
    unsure: Vec<Unsure>,
    /// The depth of the list item just written, if the last line is one, and the level the
    /// list began at.
    list_depth: Option<(usize, u8)>,
}

static CAPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\*\*)?(Figure|Table)\s+(\d{1,3})\b").expect("valid"));

impl Out {
    pub fn line(&mut self, text: &str, origin: Option<Origin>) {
        // A value never spans lines: whatever broke it is a space.
        let text = text.replace(['\n', '\r'], " ");
        self.lines.push((text, origin));
        self.list_depth = None;
    }

    /// A list item (`body` already escaped) at `level`, nested no deeper than one below the
    /// item before it: four spaces before a first item would make Markdown a code block.
    pub fn list_item(&mut self, level: u8, body: &str, origin: Option<Origin>) {
        // Depth counts from the level the list began at: "(a)", "(b)", "(c)" at Word's level 2
        // under a paragraph are one list, not ever deeper ones.
        let (depth, base) = match self.list_depth {
            Some((above, base)) => {
                let below = level.saturating_sub(base) as usize;
                (below.min(above + 1), base.min(level))
            }
            None => (0, level),
        };
        self.line(&format!("{}- {body}", "  ".repeat(depth)), origin);
        self.list_depth = Some((depth, base));
    }

    /// A blank line, never two in a row and never first.
    pub fn blank(&mut self) {
        if self.lines.last().is_some_and(|(l, _)| !l.is_empty()) {
            self.lines.push((String::new(), None));
        }
        self.list_depth = None;
    }

    /// `key: "value"`, marked when unsure.
    pub fn field(&mut self, key: &str, value: &str, origin: Option<Origin>, unsure: bool) {
        self.raw_field(key, &quote(value), origin, unsure);
    }

    /// `key: value` for values that are YAML words (true, 2021-03-09, Unrestricted).
    pub fn raw_field(&mut self, key: &str, value: &str, origin: Option<Origin>, unsure: bool) {
        if unsure {
            self.note(
                &format!("{} is a guess", key.trim().trim_start_matches("- ")),
                origin.clone(),
            );
            self.line(&format!("{key}: {value}  {CHECK_MARK}"), origin);
        } else {
            self.line(&format!("{key}: {value}"), origin);
        }
    }

    /// A field the paper did not give: a safe default, marked with why.
    pub fn missing(&mut self, key: &str, default: &str, why: &str) {
        self.note(why, None);
        self.line(
            &format!("{key}: {default}  {CHECK_MARK}: {}", one_line(why)),
            None,
        );
    }

    /// A field read from the paper but not to be trusted until an author confirms it: marked,
    /// with why.
    pub fn marked(&mut self, key: &str, value: &str, origin: Option<Origin>, why: &str) {
        self.note(why, origin.clone());
        self.line(
            &format!("{key}: {value}  {CHECK_MARK}: {}", one_line(why)),
            origin,
        );
    }

    /// Lines taken from elsewhere (a report's paired record), written as given (marks and
    /// all) and listed once among what to check, as `what`.
    pub fn taken(&mut self, what: &str, origin: Option<Origin>, lines: &[String]) {
        self.note(what, origin.clone());
        for line in lines {
            self.line(line, origin.clone());
        }
    }

    /// `key: |` and the text as a literal block.
    pub fn block_field(&mut self, key: &str, text: &str, origin: Option<Origin>) {
        self.line(&format!("{key}: |-"), origin.clone());
        for line in text.lines() {
            if line.trim().is_empty() {
                self.lines.push((String::new(), None));
            } else {
                self.line(&format!("  {line}"), origin.clone());
            }
        }
    }

    /// A YAML comment line, listed among what to check.
    pub fn comment(&mut self, text: &str, origin: Option<Origin>) {
        self.note(text.trim_start_matches("import: "), origin.clone());
        self.line(&format!("# {}", one_line(text)), origin);
    }

    fn note(&mut self, what: &str, origin: Option<Origin>) {
        self.unsure.push(Unsure {
            line: self.lines.len() + 1,
            what: what.to_string(),
            origin,
        });
    }

    /// Gives the paragraph just written a table anchor when it is the table's caption
    /// ("Figure 1: Current spend …" gets `{#figure-1}`).
    pub fn anchor_caption(&mut self) {
        let Some((last, _)) = self.lines.iter_mut().rev().find(|(l, _)| !l.is_empty()) else {
            return;
        };
        if last.contains("{#") {
            return;
        }
        if let Some(c) = CAPTION.captures(last) {
            let anchor = format!(" {{#{}-{}}}", c[1].to_lowercase(), &c[2]);
            last.push_str(&anchor);
        }
    }

    pub fn append(&mut self, other: Out) {
        let offset = self.lines.len();
        self.unsure.extend(other.unsure.into_iter().map(|mut u| {
            u.line += offset;
            u
        }));
        self.lines.extend(other.lines);
    }

    /// The text, each line's origin, and what to check.
    pub fn finish(mut self) -> (String, Vec<Option<Origin>>, Vec<Unsure>) {
        while self.lines.last().is_some_and(|(l, _)| l.is_empty()) {
            self.lines.pop();
        }
        let mut text = String::new();
        let mut origins = Vec::with_capacity(self.lines.len());
        for (line, origin) in self.lines {
            text.push_str(&line);
            text.push('\n');
            origins.push(origin);
        }
        (text, origins, self.unsure)
    }

    /// Inline text with every character Markdown, HTML or clerk's placeholders would read
    /// as syntax escaped.
    pub fn escape_inline(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            // A typed line break inside a paragraph is a space in Markdown's paragraph.
            if c == '\n' {
                out.push(' ');
                continue;
            }
            if matches!(
                c,
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '{' | '}' | '~' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        out
    }

    /// A paragraph's first characters escaped where Markdown would start a block with them
    /// (a heading, a list, a quote). `text` is already inline-escaped.
    pub fn escape_block(&self, text: &str) -> String {
        static LIST: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"^(\d{1,9})([.)])(\s|$)").expect("valid"));
        if let Some(c) = LIST.captures(text) {
            return format!("{}\\{}{}", &c[1], &c[2], &text[c[1].len() + 1..]);
        }
        match text.chars().next() {
            Some('#' | '+' | '-' | '=') => format!("\\{text}"),
            _ => text.to_string(),
        }
    }

    /// A table cell's text on one line, escaped; `|` too.
    pub fn escape_cell(&self, text: &str) -> String {
        self.escape_inline(&text.replace('\n', " "))
    }
}

/// A YAML double-quoted scalar: JSON's string syntax is a subset of it.
pub fn quote(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_in_a_paper_becomes_syntax() {
        let out = Out::default();
        assert_eq!(
            out.escape_inline("<script>{{ x }}"),
            "\\<script\\>\\{\\{ x \\}\\}"
        );
        assert_eq!(out.escape_block("1. Not a list"), "1\\. Not a list");
        assert_eq!(out.escape_block("# not a heading"), "\\# not a heading");
        assert_eq!(out.escape_block("1.1 stays"), "1.1 stays");
        assert_eq!(quote("a\"b\nc: d"), "\"a\\\"b\\nc: d\"");
    }

    #[test]
    fn captions_get_anchors() {
        let mut out = Out::default();
        out.line("Figure 1: Current spend", None);
        out.blank();
        out.anchor_caption();
        let (text, _, _) = out.finish();
        assert_eq!(text, "Figure 1: Current spend {#figure-1}\n");
    }
}
