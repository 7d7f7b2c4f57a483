//! Split a paper into front matter and body, and read the front matter into typed data.
//!
//! The split is done here, at byte 0, rather than by pulldown-cmark's metadata option, which
//! also fires on `---` blocks in the middle of a document.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostic::closest;
use crate::diagnostic::{Code, Diagnostic, FileId};

/// Where the parts of a paper lie in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The whole front matter, both `---` lines included.
    pub front_matter: Range<usize>,
    /// The YAML between the lines.
    pub yaml: Range<usize>,
    pub body: Range<usize>,
}

/// Why a file has no usable front matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitError {
    pub code: Code,
    pub range: Range<usize>,
    pub message: String,
    pub hint: String,
}

/// Splits `text` at its front matter. A UTF-8 byte-order mark and CRLF endings are accepted.
pub fn split(text: &str) -> Result<Split, SplitError> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let first_line = rest[..first_line_end].trim_end();
    if first_line != "---" {
        return Err(SplitError {
            code: Code::NoFrontMatter,
            range: start..start + first_line.len().max(1),
            message: "a paper must begin with front matter between `---` lines".into(),
            hint:
                "put `---` on the first line, the YAML fields, then `---` again; see docs/format.md"
                    .into(),
        });
    }
    let yaml_start = start + first_line_end;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + line.len();
            return Ok(Split {
                front_matter: start..body_start,
                yaml: yaml_start..offset,
                body: body_start..text.len(),
            });
        }
        offset += line.len();
    }
    Err(SplitError {
        code: Code::UnclosedFrontMatter,
        range: start..start + 3,
        message: "the front matter opened here is never closed".into(),
        hint: "end the front matter with a line holding only `---`".into(),
    })
}

/// Deserialises front matter, turning a YAML or type error into a positioned diagnostic.
pub fn read_yaml<T: DeserializeOwned>(
    file: FileId,
    text: &str,
    yaml: Range<usize>,
    kind: &str,
) -> Result<T, Box<Diagnostic>> {
    read_yaml_saying(file, text, yaml, kind).map_err(|failure| failure.diagnostic)
}

/// Why front matter could not be read: the diagnostic, and, when a required field is missing,
/// its name and where the mapping that lacks it starts (an offset in `text`), so the reader can
/// stand something in for it and read on.
pub struct Failure {
    pub diagnostic: Box<Diagnostic>,
    /// Where in `text` the error is (for a missing field, where its mapping starts).
    pub at: usize,
    /// The required field that is missing, when that is the error.
    pub missing: Option<&'static str>,
    /// For an unknown key, the known key it is nearest to, when near enough to be a misspelling.
    pub meant: Option<String>,
}

/// [`read_yaml`], saying which field is missing when one is.
pub fn read_yaml_saying<T: DeserializeOwned>(
    file: FileId,
    text: &str,
    yaml: Range<usize>,
    kind: &str,
) -> Result<T, Failure> {
    let source = &text[yaml.clone()];
    // An empty front matter is read as an empty mapping, so the error names the missing field.
    let input = if source.trim().is_empty() {
        "{}"
    } else {
        source
    };
    serde_saphyr::from_str::<T>(input).map_err(|e| {
        let location = e.location();
        let offset = location
            .map(|l| yaml.start + offset_of(input, l.line() as usize, l.column() as usize))
            .unwrap_or(yaml.start)
            .min(text.len());
        let error = unwrap_error(&e);
        let message = strip_position(&error.to_string());
        let range = if matches!(error, serde_saphyr::Error::SerdeMissingField { .. }) {
            // A missing field is nowhere; point at the front matter's opening line.
            opening_line(text, yaml.start)
        } else {
            offset..token_end(text, offset)
        };
        let missing = match error {
            serde_saphyr::Error::SerdeMissingField { field, .. } => Some(*field),
            _ => None,
        };
        let meant = match error {
            serde_saphyr::Error::SerdeUnknownField {
                field, expected, ..
            } => {
                let choices: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
                closest(field, &choices).map(str::to_string)
            }
            _ => None,
        };
        let at = At { file, range, kind };
        Failure {
            diagnostic: Box::new(
                known_error(&at, error).unwrap_or_else(|| diagnostic_for(at, message)),
            ),
            at: offset,
            missing,
            meant,
        }
    })
}

/// The `---` line that opens front matter starting at `yaml_start` (or the first line).
fn opening_line(text: &str, yaml_start: usize) -> Range<usize> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let start = if yaml_start == 0 {
        bom
    } else {
        text[..yaml_start - 1].rfind('\n').map_or(bom, |i| i + 1)
    };
    let end = text[start..]
        .find(['\r', '\n'])
        .map_or(text.len(), |i| start + i);
    start..end.max(start + 1)
}

/// The end of the word or value that starts at `offset`, so the caret underlines it.
fn token_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset.min(text.len())..];
    let len = rest.find([':', '\n', '\r']).unwrap_or(rest.len()).max(1);
    let mut end = (offset + len).min(text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end.max(offset)
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col_bytes: usize = l
                .chars()
                .take(column.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return offset + col_bytes;
        }
        offset += l.len();
    }
    text.len()
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The error inside serde-saphyr's wrappers (a snippet, an alias's locations).
fn unwrap_error(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    loop {
        match e {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => e = error,
            other => return other,
        }
    }
}

/// Where a front-matter error is, and in which kind of document.
struct At<'a> {
    file: FileId,
    range: Range<usize>,
    kind: &'a str,
}

/// The errors serde-saphyr names by variant: an unknown or missing field, an unknown value of
/// a fixed set, a key given twice.
fn known_error(at: &At, error: &serde_saphyr::Error) -> Option<Diagnostic> {
    use serde_saphyr::Error as E;
    let (file, range, kind) = (at.file, at.range.clone(), at.kind);
    Some(match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => unknown_key(at, field, expected),
        E::SerdeMissingField { field, .. } => Diagnostic::error(
            Code::MissingField,
            file,
            range,
            format!("{kind} front matter has no `{field}`"),
        )
        .with_hint(format!(
            "add `{field}:`; see docs/format.md for the {kind} fields"
        )),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_value(at, variant, expected),
        E::DuplicateMappingKey { key, .. } => Diagnostic::error(
            Code::YamlSyntax,
            file,
            range,
            match key {
                Some(key) => format!("the key `{key}` appears twice"),
                None => "a key appears twice".to_string(),
            },
        )
        .with_hint("each key may appear once; delete or merge one of them"),
        _ => return None,
    })
}

/// A key the front matter does not have, with the nearest it does (or all of them).
fn unknown_key(at: &At, field: &str, expected: &[&str]) -> Diagnostic {
    let choices: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    let d = Diagnostic::error(
        Code::UnknownKey,
        at.file,
        at.range.clone(),
        format!("unknown key `{field}` in {} front matter", at.kind),
    )
    .with_label("not a field clerk knows");
    match closest(field, &choices) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None if !choices.is_empty() => {
            d.with_note(format!("the fields here are: {}", choices.join(", ")))
        }
        None => d,
    }
}

/// A value outside a fixed set, with the nearest of the set.
fn unknown_value(at: &At, variant: &str, expected: &[&str]) -> Diagnostic {
    let choices: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    let d = Diagnostic::error(
        Code::InvalidValue,
        at.file,
        at.range.clone(),
        format!("`{variant}` is not one of: {}", choices.join(", ")),
    );
    match closest(variant, &choices) {
        Some(best) => d.with_hint(format!("did you mean `{best}`?")),
        None => d,
    }
}

/// serde-saphyr's errors of structure (what it found, what clerk says, the hint).
const STRUCTURAL: [(&str, &str, &str); 3] = [
    (
        "expected sequence start",
        "a list is needed here",
        "write each item on its own line, starting with `- `",
    ),
    (
        "expected mapping start",
        "a mapping (`key: value` lines) is needed here",
        "indent the fields below the key; see docs/format.md",
    ),
    (
        "expected string scalar",
        "text is needed here, not a list or mapping",
        "put the text on the key's line, in quotes if it holds `: ` or starts with `[` or `{`",
    ),
];

/// Whether a diagnostic's message says a list, mapping or text is not where one should be.
pub fn structural(message: &str) -> bool {
    STRUCTURAL.iter().any(|(_, what, _)| *what == message)
}

/// Every other error, by what its message says: serde-saphyr's syntax errors and clerk's own
/// messages from its value types ("write money as a quoted string").
fn diagnostic_for(at: At, message: String) -> Diagnostic {
    let (file, range) = (at.file, at.range);
    for (found, what, hint) in STRUCTURAL {
        if message.starts_with(found) {
            return Diagnostic::error(Code::InvalidValue, file, range, what).with_hint(hint);
        }
    }
    let invalid = [
        "invalid type",
        "invalid value",
        "invalid length",
        "write money",
        "is not",
    ];
    if invalid.iter().any(|p| message.contains(p)) && !message.contains("did not find") {
        let mut d = Diagnostic::error(Code::InvalidValue, file, range, message.clone());
        if message.contains("expected a boolean") || message.contains("yes or no") {
            d = d.with_hint("write true or false (yes or no also work)");
        }
        return d;
    }
    let mut d = Diagnostic::error(
        Code::YamlSyntax,
        file,
        range,
        format!("front matter is not valid YAML: {message}"),
    );
    if message.contains("recursion limit") || message.contains("depth") {
        d = d.with_hint(
            "the front matter nests deeper than any paper needs; look for runaway brackets",
        );
    } else if message.contains("tab") {
        d = d.with_hint("indent with spaces: YAML does not allow tabs for indentation");
    } else if message.contains("unclosed")
        || message.contains("illegal")
        || message.contains("did not find")
    {
        d = d.with_hint("look on this line and the one above for an unclosed bracket or quote, or a value holding `: ` that needs quotes");
    } else {
        d = d.with_hint("a value holding `: ` or starting with a special character needs quotes");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_byte_zero_only() {
        let s = split("---\ntitle: x\n---\nbody\n---\nmore\n").unwrap();
        assert_eq!(s.yaml, 4..13);
        assert_eq!(s.body, 17..31);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\nbody";
        let s = split(text).unwrap();
        assert_eq!(&text[s.yaml.clone()], "title: x\r\n");
        assert_eq!(&text[s.body.clone()], "body");
    }

    #[test]
    fn reports_missing_and_unclosed() {
        assert_eq!(split("# Title\n").unwrap_err().code, Code::NoFrontMatter);
        assert_eq!(
            split("---\ntitle: x\n").unwrap_err().code,
            Code::UnclosedFrontMatter
        );
    }
}
