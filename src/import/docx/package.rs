//! A .docx package measured before docx-rs reads it. docx-rs inflates every part into memory,
//! keeps every element, and reads nested tables (and text boxes, content controls) by
//! recursion; so before it sees the file, every part is inflated here, counting bytes, and every
//! XML part is scanned for its elements and how deeply they nest, tables inside tables counted
//! on their own. A package past any limit (`limits.rs`) is refused, and docx-rs never runs.

use std::io::Read;

use super::super::document::ImportError;
use super::super::limits::{
    Budget, DOCX_ELEMENTS, DOCX_INFLATED, DOCX_TABLE_NESTING, DOCX_XML_DEPTH,
};

/// What a package holds, once measured.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Measured {
    pub inflated: u64,
    /// Characters of text (`w:t`) in the document's body, text boxes included: what the
    /// reader should account for.
    pub text: usize,
    pub elements: u64,
    pub depth: u64,
    pub tables: u64,
}

/// Inflates every part of the package, counting, and scans each XML part; refuses a package
/// past a limit. The sizes the package declares are not trusted: the bytes are counted.
pub fn measure(bytes: &[u8]) -> Result<Measured, ImportError> {
    let damaged =
        |e: &dyn std::fmt::Display| ImportError::Malformed(format!("the package is damaged: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut inflated = Budget::new(&DOCX_INFLATED, bytes.len());
    let mut text = 0;
    let mut shape = Shape {
        elements: Budget::new(&DOCX_ELEMENTS, bytes.len()),
        ..Shape::default()
    };
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| damaged(&e))?;
        let name = entry.name().to_string();
        let xml = is_xml(&name);
        let mut part = Vec::new();
        // One byte more than is left tells a part that passes the allowance.
        let read = entry
            .take(inflated.left().saturating_add(1))
            .read_to_end(&mut part)
            .map_err(|e| damaged(&e))?;
        inflated.spend(read as u64)?;
        if xml {
            shape.scan(&name, &part)?;
        }
        if name == "word/document.xml" {
            text = body_text(&part);
        }
    }
    Ok(Measured {
        inflated: inflated.used(),
        text,
        elements: shape.elements.used(),
        depth: shape.deepest,
        tables: shape.deepest_tables,
    })
}

/// The characters of text in a document.xml, white space aside: the contents of its `<w:t>`
/// elements, deleted text (`w:delText`) and field codes (`w:instrText`) left out.
fn body_text(xml: &[u8]) -> usize {
    let mut count = 0;
    let mut rest = xml;
    while let Some(at) = find(rest, b"<w:t") {
        rest = &rest[at + 4..];
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`, `<w:tab/>`…
        if !matches!(rest.first(), Some(b'>' | b' ')) {
            continue;
        }
        let Some(open_end) = memchr(b'>', rest) else {
            break;
        };
        if rest[open_end.saturating_sub(1)] == b'/' {
            continue;
        }
        let body = &rest[open_end + 1..];
        let end = find(body, b"</w:t>").unwrap_or(body.len());
        count += String::from_utf8_lossy(&body[..end])
            .chars()
            .filter(|c| !c.is_whitespace())
            .count();
        rest = &body[end..];
    }
    count
}

/// Parts docx-rs parses as XML.
fn is_xml(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".xml") || name.ends_with(".rels")
}

/// The running count of a scan: elements, nesting now and at its deepest, tables open.
#[derive(Debug)]
struct Shape {
    elements: Budget,
    /// For each element open now: whether it is a table.
    open: Vec<bool>,
    tables: u64,
    deepest: u64,
    deepest_tables: u64,
}

impl Default for Shape {
    fn default() -> Self {
        Shape {
            elements: Budget::new(&DOCX_ELEMENTS, 0),
            open: Vec::new(),
            tables: 0,
            deepest: 0,
            deepest_tables: 0,
        }
    }
}

impl Shape {
    /// Scans one XML part: every start tag counted, nesting followed by start and end tags,
    /// each end tag matched to its start. Comments, processing instructions, CDATA and quoted
    /// attribute values are stepped over, so a `>` or `<` inside them counts for nothing. Not
    /// a validating parser, but a part that is not well formed (an end tag that closes
    /// nothing open, a tag or comment cut off, an element never closed) is refused: docx-rs
    /// goes round for ever on some of them.
    fn scan(&mut self, part: &str, xml: &[u8]) -> Result<(), ImportError> {
        let broken = |why: &str| {
            ImportError::Malformed(format!(
                "the package's {part} is not well-formed XML ({why})"
            ))
        };
        self.open.clear();
        self.tables = 0;
        let mut names: Vec<&[u8]> = Vec::new();
        let mut i = 0;
        while let Some(at) = memchr(b'<', &xml[i..]) {
            i += at + 1;
            let rest = &xml[i..];
            let skip = |end: Option<usize>, len: usize| end.map(|e| e + len);
            let step = if rest.starts_with(b"!--") {
                skip(find(rest, b"-->"), 3)
            } else if rest.starts_with(b"![CDATA[") {
                skip(find(rest, b"]]>"), 3)
            } else if rest.starts_with(b"?") || rest.starts_with(b"!") {
                skip(memchr(b'>', rest), 1)
            } else if let Some(close) = rest.strip_prefix(b"/") {
                let end = memchr(b'>', close).ok_or_else(|| broken("a tag is cut off"))?;
                if names.pop() != Some(close[..end].trim_ascii()) {
                    return Err(broken("an end tag does not match its start"));
                }
                if self.open.pop() == Some(true) {
                    self.tables -= 1;
                }
                Some(end + 2)
            } else {
                let (len, closed) = tag_end(rest).ok_or_else(|| broken("a tag is cut off"))?;
                let name_end = rest
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
                    .unwrap_or(rest.len());
                self.start(&rest[..name_end], closed)?;
                if !closed {
                    names.push(&rest[..name_end]);
                }
                Some(len)
            };
            i += step.ok_or_else(|| broken("a comment or declaration is cut off"))?;
        }
        if !names.is_empty() {
            return Err(broken("an element is never closed"));
        }
        Ok(())
    }

    /// A start tag: counted, and unless it closes itself, opened.
    fn start(&mut self, name: &[u8], closed: bool) -> Result<(), ImportError> {
        self.elements.spend(1)?;
        if closed {
            return Ok(());
        }
        let local = name.rsplit(|c| *c == b':').next().unwrap_or(name);
        let table = local == b"tbl";
        self.open.push(table);
        self.deepest = self.deepest.max(self.open.len() as u64);
        DOCX_XML_DEPTH.check(self.open.len() as u64, 0)?;
        if table {
            self.tables += 1;
            self.deepest_tables = self.deepest_tables.max(self.tables);
            DOCX_TABLE_NESTING.check(self.tables, 0)?;
        }
        Ok(())
    }
}

/// Where a start tag ends (the byte after its `>`), stepping over quoted attribute values, and
/// whether it closes itself (`/>`); `None` if it never ends.
fn tag_end(rest: &[u8]) -> Option<(usize, bool)> {
    let mut quote = None;
    for (k, &c) in rest.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return Some((k + 1, k > 0 && rest[k - 1] == b'/')),
            None => {}
        }
    }
    None
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|c| *c == needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(xml: &str) -> Result<(u64, u64, u64), ImportError> {
        let mut shape = Shape::default();
        shape.scan("test.xml", xml.as_bytes())?;
        Ok((shape.elements.used(), shape.deepest, shape.deepest_tables))
    }

    #[test]
    fn elements_and_nesting_are_counted_as_xml_means_them() {
        let xml = r#"<?xml version="1.0"?><!-- <a><b> --><w:document a="x>y" b='<'><w:body>
            <w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t><![CDATA[<not><a><tag>]]></w:t></w:r></w:p></w:body></w:document>"#;
        // document, body, tbl, tr, tc, tbl, tr, tc, p, p, r, t.
        assert_eq!(shape_of(xml).unwrap(), (12, 8, 2));
    }

    #[test]
    fn nesting_past_the_limits_is_refused_as_it_is_met() {
        let deep = format!("{}{}", "<a>".repeat(101), "</a>".repeat(101));
        match shape_of(&deep) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "docx-xml-depth"),
            other => panic!("{other:?}"),
        }
        let tables = format!(
            "{}{}",
            "<w:tbl><w:tc>".repeat(17),
            "</w:tc></w:tbl>".repeat(17)
        );
        match shape_of(&tables) {
            Err(ImportError::Limit { limit, .. }) => {
                assert_eq!(limit.name, "docx-table-nesting")
            }
            other => panic!("{other:?}"),
        }
        // Siblings are not nesting: a thousand tables one after another are fine.
        let siblings = "<w:tbl><w:tr/></w:tbl>".repeat(1000);
        assert_eq!(shape_of(&siblings).unwrap(), (2000, 1, 1));
    }

    #[test]
    fn a_part_that_is_not_well_formed_is_refused() {
        for broken in [
            "<a><b></a></b>",
            "<a><b>",
            "<a></a><",
            "<a x=\"1></a>",
            "<a><!-- never closed </a>",
            "</a>",
        ] {
            assert!(
                matches!(shape_of(broken), Err(ImportError::Malformed(_))),
                "{broken}"
            );
        }
        assert!(shape_of("<a><b/><c x='>'>text</c></a>").is_ok());
    }
}
