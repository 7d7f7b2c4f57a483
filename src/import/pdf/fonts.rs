//! What a font costs pdf-extract each time it is built. pdf-extract builds a page's fonts
//! again on every page (its font cache is cleared between pages), and building one spells out
//! every range of its ToUnicode map into a table (`<0000> <FFFF>` is 65,536 entries;
//! `<00000000> <FFFFFFFF>` four billion), reads its font program and its glyph widths. The
//! planter adds up this cost for each font a page selects, against `PDF_FONT_WORK`.

use lopdf::{Dictionary, Object};

use super::{deref, dict_at};

/// Building any font looks up its encoding's glyph names: a constant share of the work.
const BASE: u64 = 1_000;

/// Bytes of a font program that cost as much as one entry of a ToUnicode table.
const PROGRAM_BYTES: u64 = 16;

/// The work of building `font` once: its ToUnicode map's codes spelt out and bytes, its
/// encoding map's bytes, its font program's bytes (a sixteenth each), and its glyph widths.
pub(super) fn cost(pdf: &lopdf::Document, font: &Dictionary) -> u64 {
    fn stream<'a>(pdf: &'a lopdf::Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        deref(pdf, dict.get(key).ok()?)?
            .as_stream()
            .ok()
            .map(|s| s.content.as_slice())
    }
    let mut cost = BASE;
    if let Some(map) = stream(pdf, font, b"ToUnicode") {
        cost = cost
            .saturating_add(map.len() as u64)
            .saturating_add(spelled_out(map));
    }
    if let Some(map) = stream(pdf, font, b"Encoding") {
        cost = cost.saturating_add(map.len() as u64);
    }
    let descendant = deref(
        pdf,
        font.get(b"DescendantFonts").ok().unwrap_or(&Object::Null),
    )
    .and_then(|d| d.as_array().ok())
    .and_then(|d| deref(pdf, d.first()?))
    .and_then(|d| d.as_dict().ok());
    for dict in std::iter::once(font).chain(descendant) {
        if let Some(descriptor) = dict_at(pdf, dict, b"FontDescriptor") {
            for key in [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"] {
                // Copied (and a Type 1 program's encoding read) each time: cheap per byte
                // beside a table entry.
                if let Some(program) = stream(pdf, descriptor, key) {
                    cost = cost.saturating_add(program.len() as u64 / PROGRAM_BYTES);
                }
            }
        }
        if let Some(Object::Array(widths)) = dict.get(b"W").ok().and_then(|w| deref(pdf, w)) {
            let spelt = widths.iter().map(|w| match deref(pdf, w) {
                Some(Object::Array(list)) => list.len() as u64,
                _ => 1,
            });
            cost = cost.saturating_add(spelt.sum());
        }
    }
    cost
}

/// How many entries a CMap's `bfrange` sections spell out: for each range `<lo> <hi> …`,
/// hi − lo + 1. A code longer than four bytes is counted as four billion (the parser's
/// arithmetic would overflow on it).
pub(super) fn spelled_out(cmap: &[u8]) -> u64 {
    let mut total = 0u64;
    let mut rest = cmap;
    while let Some(start) = find(rest, b"beginbfrange") {
        rest = &rest[start + b"beginbfrange".len()..];
        let end = find(rest, b"endbfrange").unwrap_or(rest.len());
        let section = &rest[..end];
        let tokens = tokens(section);
        for range in tokens.chunks(3) {
            if let [Token::Code(lo), Token::Code(hi), _] = range {
                total = total.saturating_add(match (lo, hi) {
                    (Some(lo), Some(hi)) if hi >= lo => hi - lo + 1,
                    (Some(_), Some(_)) => 0,
                    _ => 1 << 32,
                });
            }
        }
        rest = &rest[end..];
    }
    total
}

/// A token of a bfrange section: a hex code (its value, `None` when longer than four bytes),
/// or an array of destinations.
enum Token {
    Code(Option<u64>),
    Array,
}

fn tokens(section: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < section.len() {
        match section[i] {
            b'<' => {
                let end = section[i..]
                    .iter()
                    .position(|c| *c == b'>')
                    .map_or(section.len(), |e| i + e);
                let digits: Vec<u8> = section[i + 1..end]
                    .iter()
                    .copied()
                    .filter(u8::is_ascii_hexdigit)
                    .collect();
                let value = (digits.len() <= 8).then(|| {
                    digits.iter().fold(0u64, |v, d| {
                        v << 4 | u64::from((*d as char).to_digit(16).unwrap_or(0))
                    })
                });
                out.push(Token::Code(value));
                i = end + 1;
            }
            b'[' => {
                let end = section[i..]
                    .iter()
                    .position(|c| *c == b']')
                    .map_or(section.len(), |e| i + e);
                out.push(Token::Array);
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_counted_as_the_parser_would_spell_them() {
        let cmap =
            b"2 beginbfrange\n<0020> <007E> <0020>\n<0100> <0101> [<0041> <0042>]\nendbfrange\n\
                     1 beginbfrange <0000> <FFFF> <0000> endbfrange\n\
                     1 beginbfrange <00000000> <FFFFFFFF> <0000> endbfrange";
        assert_eq!(spelled_out(cmap), 95 + 2 + 65_536 + (1u64 << 32));
        assert_eq!(spelled_out(b"1 beginbfchar <20> <0020> endbfchar"), 0);
    }
}
