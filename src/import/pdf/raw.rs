//! The cross-reference sections of a PDF, checked in its raw bytes before lopdf reads it.
//! lopdf decodes a cross-reference stream as it opens the file, trusting what the stream's
//! dictionary says: a chain of filters inflates without bound, a field width of 4,294,967,295
//! bytes is allocated at once, and widths of zero with a count of a billion loop a billion
//! times. So the sections lopdf will read (from `startxref`, then each /Prev and /XRefStm) are
//! found here as lopdf finds them, their dictionaries parsed by a small parser of PDF objects,
//! and each stream decoded within the budget of decoded bytes (`streams::decode`). Only a file
//! whose sections pass is handed to lopdf.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object, StringFormat};

use super::super::document::ImportError;
use super::super::limits::Budget;
use super::streams;

/// What the cross-reference sections say of the file.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Sections {
    /// A trailer names an /Encrypt dictionary.
    pub encrypted: bool,
    /// A cross-reference stream lists objects kept in object streams.
    pub compressed_objects: bool,
}

/// At most this many sections are followed (an update of an update of … a file).
const MAX_SECTIONS: usize = 256;

/// Finds and checks every cross-reference section lopdf would read.
pub(super) fn check_sections(file: &[u8], decoded: &mut Budget) -> Result<Sections, ImportError> {
    // lopdf reads from the `%PDF-` header on, with offsets counted from there.
    let start = find(file, b"%PDF-").unwrap_or(0);
    let buf = &file[start..];
    let mut found = Sections::default();
    let Some(first) = xref_start(buf) else {
        return Ok(found); // lopdf refuses the file itself
    };
    let mut queue = vec![first];
    let mut seen = BTreeSet::new();
    while let Some(at) = queue.pop() {
        if at >= buf.len() || !seen.insert(at) {
            continue;
        }
        if seen.len() > MAX_SECTIONS {
            return Err(ImportError::Malformed(
                "the PDF chains more cross-reference sections than any file has".into(),
            ));
        }
        let Some(trailer) = section(buf, at, decoded, &mut found)? else {
            continue;
        };
        found.encrypted |= trailer.has(b"Encrypt");
        for key in [b"Prev".as_slice(), b"XRefStm"] {
            if let Ok(offset) = trailer.get(key).and_then(Object::as_i64) {
                if let Ok(offset) = usize::try_from(offset) {
                    queue.push(offset);
                }
            }
        }
    }
    Ok(found)
}

/// The offset `startxref` gives, found as lopdf finds it: the last `%%EOF` in the last 512
/// bytes, and `startxref` within the 25 bytes before it.
fn xref_start(buf: &[u8]) -> Option<usize> {
    let tail = buf.len().saturating_sub(512);
    let eof = tail + rfind(&buf[tail..], b"%%EOF")?;
    if eof <= 25 {
        return None;
    }
    let from = eof - 25;
    let at = from + rfind(&buf[from..eof], b"startxref")?;
    let mut p = Parser::at(buf, at + b"startxref".len());
    match p.object(0)? {
        Object::Integer(n) => usize::try_from(n).ok(),
        _ => None,
    }
}

/// One section at `at`: a classic table (its trailer returned) or a cross-reference stream
/// (checked, decoded within the budget, its dictionary returned). `None` for anything else:
/// lopdf then refuses the file itself.
fn section(
    buf: &[u8],
    at: usize,
    decoded: &mut Budget,
    found: &mut Sections,
) -> Result<Option<Dictionary>, ImportError> {
    let mut p = Parser::at(buf, at);
    p.skip_space();
    if buf[p.pos..].starts_with(b"xref") {
        let Some(t) = find(&buf[p.pos..], b"trailer") else {
            return Ok(None);
        };
        let mut p = Parser::at(buf, p.pos + t + b"trailer".len());
        return Ok(match p.object(0) {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        });
    }
    let Some((dict, data)) = stream_object(buf, at) else {
        return Ok(None);
    };
    let plain = streams::decode(&dict, data, decoded)?.unwrap_or_default();
    check_xref_stream(&dict, &plain, found)?;
    Ok(Some(dict))
}

/// A cross-reference stream's fields, checked before lopdf trusts them: each width at most 8
/// bytes (lopdf allocates a buffer of each width), and entries that take room in the data
/// (with widths of zero lopdf would count entries without reading any).
fn check_xref_stream(
    dict: &Dictionary,
    plain: &[u8],
    found: &mut Sections,
) -> Result<(), ImportError> {
    let bad = |why: &str| ImportError::Malformed(format!("the PDF's cross-reference stream {why}"));
    let ints = |key: &[u8]| -> Option<Vec<i64>> {
        let list = dict.get(key).ok()?.as_array().ok()?;
        list.iter().map(|o| o.as_i64().ok()).collect()
    };
    let Some(widths) = ints(b"W") else {
        return Ok(()); // lopdf refuses it
    };
    if widths.iter().take(3).any(|w| !(0..=8).contains(w)) {
        return Err(bad("gives a field wider than 8 bytes"));
    }
    let row: usize = widths.iter().take(3).map(|w| *w as usize).sum();
    let size = dict.get(b"Size").and_then(Object::as_i64).unwrap_or(0);
    let index = ints(b"Index").unwrap_or_else(|| vec![0, size]);
    let entries = index
        .chunks(2)
        .filter_map(|pair| pair.get(1))
        .fold(0i64, |sum, n| sum.saturating_add((*n).max(0)));
    if row == 0 && entries > 0 {
        return Err(bad("lists entries of no width"));
    }
    // Objects kept in object streams (type 2 entries).
    let type_width = widths.first().copied().unwrap_or(0) as usize;
    if row > 0 {
        found.compressed_objects |= plain.chunks_exact(row).take(entries as usize).any(|entry| {
            let kind = if type_width == 0 {
                1
            } else {
                entry[..type_width]
                    .iter()
                    .fold(0u64, |v, b| v << 8 | u64::from(*b))
            };
            kind == 2
        });
    }
    Ok(())
}

/// The dictionary and data of the stream object `n g obj << … >> stream … endstream` at `at`.
fn stream_object(buf: &[u8], at: usize) -> Option<(Dictionary, &[u8])> {
    let mut p = Parser::at(buf, at);
    let (Object::Integer(_), Object::Integer(_)) = (p.object(0)?, p.object(0)?) else {
        return None;
    };
    p.keyword(b"obj")?;
    let Object::Dictionary(dict) = p.object(0)? else {
        return None;
    };
    p.keyword(b"stream")?;
    // The data starts after the end of the `stream` line.
    if buf[p.pos..].starts_with(b"\r\n") {
        p.pos += 2;
    } else if buf[p.pos..].starts_with(b"\n") || buf[p.pos..].starts_with(b"\r") {
        p.pos += 1;
    }
    let rest = &buf[p.pos..];
    let length = dict
        .get(b"Length")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n <= rest.len());
    let end = length
        .or_else(|| find(rest, b"endstream"))
        .unwrap_or(rest.len());
    Some((dict, &rest[..end]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// A small parser of PDF objects (ISO 32000-1, 7.2–7.3): enough for the dictionaries of
// cross-reference sections. Nesting is capped; anything it cannot read is `None`.

/// Arrays and dictionaries nested deeper than this are not read.
const MAX_NESTING: usize = 32;

pub(super) struct Parser<'a> {
    buf: &'a [u8],
    pub pos: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl<'a> Parser<'a> {
    pub fn at(buf: &'a [u8], pos: usize) -> Parser<'a> {
        Parser { buf, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    /// Skips white space and comments.
    pub fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The regular characters from here: a number or a keyword.
    fn token(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !is_space(c) && !is_delimiter(c))
        {
            self.pos += 1;
        }
        &self.buf[start..self.pos]
    }

    /// The keyword `word`, after white space.
    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        self.skip_space();
        (self.token() == word).then_some(())
    }

    /// One object, references (`n g R`) included.
    pub fn object(&mut self, depth: usize) -> Option<Object> {
        if depth > MAX_NESTING {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'/' => {
                self.pos += 1;
                Some(Object::Name(self.name()))
            }
            b'(' => self.literal(),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        return Some(Object::Array(items));
                    }
                    items.push(self.object(depth + 1)?);
                }
            }
            b'<' if self.buf[self.pos..].starts_with(b"<<") => self.dictionary(depth),
            b'<' => self.hex(),
            _ => self.number_or_keyword(),
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Object> {
        self.pos += 2;
        let mut dict = Dictionary::new();
        loop {
            self.skip_space();
            if self.buf[self.pos..].starts_with(b">>") {
                self.pos += 2;
                return Some(Object::Dictionary(dict));
            }
            let Object::Name(key) = self.object(depth + 1)? else {
                return None;
            };
            let value = self.object(depth + 1)?;
            dict.set(key, value);
        }
    }

    /// A name after its `/`, with `#xx` escapes decoded.
    fn name(&mut self) -> Vec<u8> {
        let raw = self.token();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            let hex = raw
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match (raw[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'#', Some(byte)) => {
                    out.push(byte);
                    i += 3;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        out
    }

    /// A literal string: balanced parentheses, backslash escapes kept as written.
    fn literal(&mut self) -> Option<Object> {
        self.pos += 1;
        let start = self.pos;
        let mut depth = 1usize;
        while depth > 0 {
            match self.peek()? {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            self.pos += 1;
        }
        let text = self.buf.get(start..self.pos - 1)?.to_vec();
        Some(Object::String(text, StringFormat::Literal))
    }

    fn hex(&mut self) -> Option<Object> {
        self.pos += 1;
        let end = self.pos + self.buf[self.pos..].iter().position(|c| *c == b'>')?;
        let digits: Vec<u8> = self.buf[self.pos..end]
            .iter()
            .copied()
            .filter(u8::is_ascii_hexdigit)
            .collect();
        self.pos = end + 1;
        let bytes = digits
            .chunks(2)
            .map(|pair| {
                let hi = (pair[0] as char).to_digit(16).unwrap_or(0);
                let lo = pair
                    .get(1)
                    .and_then(|c| (*c as char).to_digit(16))
                    .unwrap_or(0);
                (hi * 16 + lo) as u8
            })
            .collect();
        Some(Object::String(bytes, StringFormat::Hexadecimal))
    }

    /// A number (an integer followed by `g R` is a reference), `true`, `false` or `null`.
    fn number_or_keyword(&mut self) -> Option<Object> {
        let token = std::str::from_utf8(self.token()).ok()?;
        match token {
            "true" => return Some(Object::Boolean(true)),
            "false" => return Some(Object::Boolean(false)),
            "null" => return Some(Object::Null),
            _ => {}
        }
        if let Ok(n) = token.parse::<i64>() {
            let back = self.pos;
            if let (Some(Object::Integer(g)), Some(())) = (self.plain_integer(), self.keyword(b"R"))
            {
                if let (Ok(n), Ok(g)) = (u32::try_from(n), u16::try_from(g)) {
                    return Some(Object::Reference((n, g)));
                }
            }
            self.pos = back;
            return Some(Object::Integer(n));
        }
        token.parse::<f32>().ok().map(Object::Real)
    }

    fn plain_integer(&mut self) -> Option<Object> {
        self.skip_space();
        let token = std::str::from_utf8(self.token()).ok()?;
        token.parse::<i64>().ok().map(Object::Integer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::limits::{Budget, PDF_DECODED};

    #[test]
    fn objects_are_parsed_as_pdf_writes_them() {
        let text = b"<< /Type /X#52ef /W [1 2 1] /Prev 123 /Root 4 0 R /S (a (b) \\) c) /H <4142> % note\n /R 1.5 /N null >>";
        let Some(Object::Dictionary(d)) = Parser::at(text, 0).object(0) else {
            panic!("a dictionary")
        };
        assert_eq!(d.get(b"Type").unwrap().as_name().unwrap(), b"XRef");
        assert_eq!(d.get(b"Root").unwrap().as_reference().unwrap(), (4, 0));
        assert_eq!(d.get(b"Prev").unwrap().as_i64().unwrap(), 123);
        assert_eq!(d.get(b"H").unwrap().as_str().unwrap(), b"AB");
        assert_eq!(d.get(b"R").unwrap().as_float().unwrap(), 1.5);
        let deep = "[".repeat(1000);
        assert_eq!(Parser::at(deep.as_bytes(), 0).object(0), None);
    }

    #[test]
    fn a_cross_reference_stream_that_would_allocate_gigabytes_is_refused() {
        let file = crate::import::hostile::pdf_xref_stream_widths();
        let mut budget = Budget::new(&PDF_DECODED, file.len());
        match check_sections(&file, &mut budget) {
            Err(ImportError::Malformed(why)) => assert!(why.contains("wider"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
