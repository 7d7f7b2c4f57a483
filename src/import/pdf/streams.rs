//! Every stream of a PDF decoded by clerk, counting. lopdf and pdf-extract decode a stream
//! each time it is used and never ask how large it grows: filters chained on one another
//! inflate a million times, and a PNG predictor's row is allocated at whatever width the
//! dictionary gives. Here each filter is applied with the budget of decoded bytes
//! (`limits::PDF_DECODED`) as its bound, and the stream is stored decoded, so neither library
//! decodes anything again. Streams that hold no text (images, colour profiles, metadata,
//! embedded files, and anything in a filter clerk does not decode) are emptied.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::{Read, Write};

use lopdf::{Dictionary, Object, ObjectId};

use super::super::document::ImportError;
use super::super::limits::{Budget, PDF_OBJECTS};

/// Decodes a stream's data through its filters within `budget`. `Ok(None)` when a filter is
/// one clerk does not decode (an image's DCT, JPX, CCITT or JBIG2: no text in them).
pub(super) fn decode(
    dict: &Dictionary,
    data: &[u8],
    budget: &mut Budget,
) -> Result<Option<Vec<u8>>, ImportError> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.as_slice()],
        Ok(Object::Array(list)) => list.iter().filter_map(|f| f.as_name().ok()).collect(),
        // lopdf reads a stream with no filter, or one it cannot name, as it is.
        _ => return Ok(Some(data.to_vec())),
    };
    let params = |i: usize| match dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(list)) => list.get(i).and_then(|p| p.as_dict().ok()),
        _ => None,
    };
    let mut out = data.to_vec();
    for (i, filter) in filters.iter().enumerate() {
        let limit = budget.left().saturating_add(1);
        out = match *filter {
            b"FlateDecode" | b"Fl" => predict(inflate(&out, limit), params(i)),
            b"LZWDecode" | b"LZW" => predict(lzw(&out, params(i), limit), params(i)),
            b"ASCII85Decode" | b"A85" => ascii85(&out),
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&out),
            b"RunLengthDecode" | b"RL" => run_length(&out, limit),
            _ => return Ok(None),
        };
        budget.spend(out.len() as u64)?;
    }
    Ok(Some(out))
}

/// A writer that keeps at most `limit` bytes and fails past them.
struct Capped {
    out: Vec<u8>,
    limit: u64,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.limit.saturating_sub(self.out.len() as u64) as usize;
        let n = buf.len().min(room);
        self.out.extend_from_slice(&buf[..n]);
        if n == 0 && !buf.is_empty() {
            return Err(std::io::Error::other("over the budget"));
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// zlib-inflated data, at most `limit` bytes; a damaged stream gives what inflated before the
/// damage, and one whose zlib header is wrong is tried as raw deflate (as lopdf does).
fn inflate(input: &[u8], limit: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let failed = flate2::read::ZlibDecoder::new(input)
        .take(limit)
        .read_to_end(&mut out)
        .is_err();
    if failed && out.is_empty() && input.len() > 2 {
        let _ = flate2::read::DeflateDecoder::new(&input[2..])
            .take(limit)
            .read_to_end(&mut out);
    }
    out
}

/// LZW-decoded data (with the early change lopdf assumes by default), at most `limit` bytes.
fn lzw(input: &[u8], params: Option<&Dictionary>, limit: u64) -> Vec<u8> {
    let early = params
        .and_then(|p| p.get(b"EarlyChange").ok())
        .and_then(|v| v.as_i64().ok())
        .is_none_or(|v| v != 0);
    let mut decoder = if early {
        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8)
    };
    let mut capped = Capped {
        out: Vec::new(),
        limit,
    };
    let _ = decoder.into_stream(&mut capped).decode_all(input);
    capped.out
}

/// PNG predictors (10–15) undone, row by row. A row wider than the data (a /Columns of four
/// billion) cannot be real: the data is given back as it is rather than a row allocated.
fn predict(data: Vec<u8>, params: Option<&Dictionary>) -> Vec<u8> {
    let Some(params) = params else { return data };
    let int = |key: &[u8], default: i64| {
        params
            .get(key)
            .and_then(Object::as_i64)
            .unwrap_or(default)
            .max(1) as u64
    };
    if !(10..=15).contains(
        &params
            .get(b"Predictor")
            .and_then(Object::as_i64)
            .unwrap_or(1),
    ) {
        return data;
    }
    let bits = int(b"Colors", 1)
        .saturating_mul(int(b"BitsPerComponent", 8).max(8))
        .saturating_mul(int(b"Columns", 1));
    let row = bits.div_ceil(8);
    if row == 0 || row >= data.len() as u64 {
        return data;
    }
    let (row, pixel) = (
        row as usize,
        (int(b"Colors", 1).saturating_mul(int(b"BitsPerComponent", 8).max(8)) / 8).max(1) as usize,
    );
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (kind, bytes) = (chunk[0], &chunk[1..]);
        let mut current = bytes.to_vec();
        current.resize(row, 0);
        unfilter(kind, pixel.min(row), &previous, &mut current);
        out.extend_from_slice(&current[..bytes.len()]);
        previous = current;
    }
    out
}

/// Undoes one PNG row filter.
fn unfilter(kind: u8, bpp: usize, previous: &[u8], current: &mut [u8]) {
    for i in 0..current.len() {
        let left = if i >= bpp { current[i - bpp] } else { 0 };
        let up = previous[i];
        let corner = if i >= bpp { previous[i - bpp] } else { 0 };
        let add = match kind {
            1 => left,
            2 => up,
            3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
            4 => paeth(left, up, corner),
            _ => 0,
        };
        current[i] = current[i].wrapping_add(add);
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// ASCII85: at most four bytes for each byte read.
fn ascii85(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let (mut group, mut count) = (0u64, 0usize);
    for &c in input {
        match c {
            b'~' => break,
            b'z' if count == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group = group * 85 + u64::from(c - b'!');
                count += 1;
                if count == 5 {
                    out.extend_from_slice(&(group as u32).to_be_bytes());
                    (group, count) = (0, 0);
                }
            }
            _ => {}
        }
    }
    if count > 1 {
        for _ in count..5 {
            group = group * 85 + 84;
        }
        out.extend_from_slice(&(group as u32).to_be_bytes()[..count - 1]);
    }
    out
}

/// ASCIIHex: half a byte for each digit.
fn ascii_hex(input: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = input
        .iter()
        .take_while(|c| **c != b'>')
        .filter_map(|c| (*c as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| p[0] << 4 | p.get(1).copied().unwrap_or(0))
        .collect()
}

/// RunLength: up to 128 bytes for every two read, at most `limit` bytes.
fn run_length(input: &[u8], limit: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() && (out.len() as u64) < limit {
        let n = input[i] as usize;
        match n {
            0..=127 => {
                let end = (i + 2 + n).min(input.len());
                out.extend_from_slice(&input[(i + 1).min(end)..end]);
                i += 2 + n;
            }
            128 => break,
            _ => {
                if let Some(&b) = input.get(i + 1) {
                    out.extend(std::iter::repeat_n(b, 257 - n));
                }
                i += 2;
            }
        }
    }
    out.truncate(limit as usize);
    out
}

// ---------------------------------------------------------------------------------------------
// While lopdf loads: each object counted, object streams decoded within the budget.

/// The budgets lopdf's loading hook spends, and the first refusal it met.
struct Loading {
    decoded: Budget,
    objects: Budget,
    refused: Option<ImportError>,
}

thread_local! {
    /// Set while this thread loads a PDF: the hook (a plain `fn`, with no state of its own)
    /// spends this thread's budgets.
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Loads a PDF with lopdf, every object counted against `PDF_OBJECTS` and every object
/// stream decoded here within `decoded` before lopdf reads the objects in it.
pub(super) fn load(
    bytes: &[u8],
    decoded: Budget,
) -> Result<(lopdf::Document, Budget, Budget), ImportError> {
    let objects = Budget::new(&PDF_OBJECTS, bytes.len());
    LOADING.with(|l| {
        *l.borrow_mut() = Some(Loading {
            decoded,
            objects,
            refused: None,
        })
    });
    let options = lopdf::LoadOptions {
        filter: Some(on_load),
        ..lopdf::LoadOptions::default()
    };
    let loaded = lopdf::Document::load_mem_with_options(bytes, options);
    let state = LOADING.with(|l| l.borrow_mut().take()).expect("set above");
    if let Some(why) = state.refused {
        return Err(why);
    }
    let pdf = loaded.map_err(|e| ImportError::Malformed(format!("the PDF is damaged: {e}")))?;
    Ok((pdf, state.decoded, state.objects))
}

/// lopdf's hook, called for every object it reads (those in object streams too, after the
/// stream). What it returns is kept; `None` drops the object (lopdf then stops nothing, so
/// once a budget is spent every later object is dropped and the refusal is kept).
fn on_load(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    LOADING.with(|l| {
        let mut l = l.borrow_mut();
        let state = l.as_mut()?;
        if state.refused.is_some() {
            return None;
        }
        if let Err(why) = state.objects.spend(1) {
            state.refused = Some(why);
            return None;
        }
        match object {
            Object::Stream(stream) if stream.dict.has_type(b"ObjStm") => {
                match decode(&stream.dict, &stream.content, &mut state.decoded) {
                    Ok(plain) => stream.set_plain_content(plain.unwrap_or_default()),
                    Err(why) => {
                        state.refused = Some(why);
                        return None;
                    }
                }
                // A stream's own object is kept by lopdf; what is returned is not used.
                Some((id, Object::Null))
            }
            Object::Stream(_) => Some((id, Object::Null)),
            other => Some((id, other.clone())),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// After loading: every stream decoded once, or emptied.

/// Decodes every stream of the document within `budget` and stores it decoded; empties those
/// that hold no text. Afterwards nothing in the document has a filter.
pub(super) fn decode_all(
    pdf: &mut lopdf::Document,
    budget: &mut Budget,
) -> Result<(), ImportError> {
    let profiles = colour_profiles(pdf);
    for (id, object) in pdf.objects.iter_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if profiles.contains(id) || holds_no_text(&stream.dict) {
            stream.set_plain_content(Vec::new());
            continue;
        }
        if stream.dict.get(b"Filter").is_err() {
            budget.spend(stream.content.len() as u64)?;
            continue;
        }
        let plain = decode(&stream.dict, &stream.content, budget)?;
        stream.set_plain_content(plain.unwrap_or_default());
    }
    Ok(())
}

/// Images, metadata, embedded files and the like: streams no text is read from.
fn holds_no_text(dict: &Dictionary) -> bool {
    let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).ok();
    matches!(name(b"Subtype"), Some(b"Image"))
        || matches!(
            name(b"Type"),
            Some(b"Metadata" | b"EmbeddedFile" | b"XRef" | b"ObjStm")
        )
}

/// The streams named as ICC colour profiles (`[/ICCBased n 0 R]` anywhere): pdf-extract copies
/// a profile's bytes each time a page sets its colour space, and reads nothing in them.
fn colour_profiles(pdf: &lopdf::Document) -> BTreeSet<ObjectId> {
    let mut found = BTreeSet::new();
    let mut stack: Vec<&Object> = pdf.objects.values().collect();
    while let Some(object) = stack.pop() {
        match object {
            Object::Array(items) => {
                if let [Object::Name(n), Object::Reference(id), ..] = &items[..] {
                    if n == b"ICCBased" {
                        found.insert(*id);
                    }
                }
                stack.extend(items.iter());
            }
            Object::Dictionary(d) => stack.extend(d.iter().map(|(_, v)| v)),
            Object::Stream(s) => stack.extend(s.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::hostile::{bomb, deflated};
    use crate::import::limits::{Budget, PDF_DECODED};

    fn dict(filters: &str) -> Dictionary {
        let mut d = Dictionary::new();
        let names: Vec<Object> = filters
            .split_whitespace()
            .map(|f| Object::Name(f.as_bytes().to_vec()))
            .collect();
        d.set("Filter", Object::Array(names));
        d
    }

    #[test]
    fn filters_decode_what_they_encode() {
        let text = b"BT /F1 12 Tf (Hello) Tj ET".repeat(50);
        let (data, _) = deflated(&text, 2);
        let mut budget = Budget::new(&PDF_DECODED, 0);
        let got = decode(&dict("FlateDecode FlateDecode"), &data, &mut budget).unwrap();
        assert_eq!(got.as_deref(), Some(text.as_slice()));
        assert_eq!(ascii_hex(b"48 65 6c6C6f>"), b"Hello");
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>"), b"Hello World!");
        assert_eq!(
            run_length(&[2, b'a', b'b', b'c', 253, b'x', 128], 100),
            b"abcxxxx"
        );
        let mut budget = Budget::new(&PDF_DECODED, 0);
        assert_eq!(
            decode(&dict("DCTDecode"), b"jpeg", &mut budget).unwrap(),
            None
        );
    }

    #[test]
    fn a_chain_of_filters_stops_at_the_budget() {
        // 256 MiB of spaces in a few kilobytes; the budget of an empty file is 64 MiB.
        let (data, _) = bomb(256);
        assert!(data.len() < 64 * 1024, "{} bytes", data.len());
        let mut budget = Budget::new(&PDF_DECODED, 0);
        match decode(&dict("FlateDecode FlateDecode"), &data, &mut budget) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "pdf-decoded"),
            other => panic!("{:?}", other.map(|o| o.map(|v| v.len()))),
        }
    }

    #[test]
    fn a_predictor_row_wider_than_the_data_is_not_allocated() {
        let mut params = Dictionary::new();
        params.set("Predictor", 12);
        params.set("Columns", 4_294_967_295i64);
        let data = vec![0u8; 100];
        assert_eq!(predict(data.clone(), Some(&params)), data);
        // A real one: two rows of three bytes, "Up" then "Sub".
        params.set("Columns", 3);
        let rows = [2, 1, 2, 3, 1, 1, 1, 1];
        assert_eq!(
            predict(rows.to_vec(), Some(&params)),
            vec![1, 2, 3, 1, 2, 3]
        );
    }
}
