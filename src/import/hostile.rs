//! Hostile Word and PDF files made in memory, for the tests that prove every reader bounded
//! (issue 20, item 4) and for the growth benchmark: tables nested a thousand deep, a page tree
//! whose /Parent goes round in a circle, streams that inflate far beyond their file, a list
//! level whose number pattern repeats `%1` thirty thousand times, a ToUnicode map of full
//! ranges, a PDF of many pages. Nothing here is a fixture on disk: each test makes its file.

use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::Object;

use super::word;

// ---------------------------------------------------------------------------------------------
// Word.

/// A .docx made by docx-rs with one list item, its parts then replaced by `parts` (path, XML).
pub fn docx_with_parts(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    // A list defined, so that the package has numbering.xml and its relationship.
    let base = word::pack(
        docx_rs::Docx::new()
            .add_abstract_numbering(
                docx_rs::AbstractNumbering::new(1).add_level(word::level(0, "decimal", "%1.")),
            )
            .add_numbering(docx_rs::Numbering::new(1, 1))
            .add_paragraph(word::item("A paper", 1, 0)),
    );
    repack(&base, parts)
}

/// The parts of a zip package (a .docx): each name and its inflated bytes, in order.
pub fn unpack(package: &[u8]) -> Vec<(String, Vec<u8>)> {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(package)) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        if std::io::Read::read_to_end(&mut entry, &mut bytes).is_ok() {
            parts.push((name, bytes));
        }
    }
    parts
}

/// A zip package with `parts` replaced (or added, when new).
pub fn repack(package: &[u8], parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut all = unpack(package);
    for (path, bytes) in parts {
        match all.iter_mut().find(|(name, _)| name == path) {
            Some(part) => part.1 = bytes.clone(),
            None => all.push((path.to_string(), bytes.clone())),
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in &all {
            zip.start_file(name.as_str(), options).expect("an entry");
            zip.write_all(bytes).expect("written");
        }
        zip.finish().expect("a package");
    }
    out.into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

/// A document.xml whose body is `body`.
fn document_xml(body: &str) -> Vec<u8> {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {W}><w:body>{body}</w:body></w:document>")
        .into_bytes()
}

/// A .docx whose body is a table inside a table inside … `depth` deep, a word in the middle.
pub fn docx_nested_tables(depth: usize) -> Vec<u8> {
    let open = "<w:tbl><w:tr><w:tc>";
    let close = "<w:p/></w:tc></w:tr></w:tbl>";
    let body = format!(
        "{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}<w:p/>",
        open.repeat(depth),
        close.repeat(depth)
    );
    docx_with_parts(&[("word/document.xml", document_xml(&body))])
}

/// A .docx whose body is a content control inside a content control … `depth` deep.
pub fn docx_nested_controls(depth: usize) -> Vec<u8> {
    let body = format!(
        "{}<w:p><w:r><w:t>deep</w:t></w:r></w:p>{}",
        "<w:sdt><w:sdtContent>".repeat(depth),
        "</w:sdtContent></w:sdt>".repeat(depth)
    );
    docx_with_parts(&[("word/document.xml", document_xml(&body))])
}

/// A .docx of `count` empty paragraphs (`<w:p/>`, six bytes each, which deflate to almost
/// nothing), a word first.
pub fn docx_tiny_paragraphs(count: usize) -> Vec<u8> {
    let mut body = String::with_capacity(count * 6 + 64);
    body.push_str("<w:p><w:r><w:t>first</w:t></w:r></w:p>");
    for _ in 0..count {
        body.push_str("<w:p/>");
    }
    docx_with_parts(&[("word/document.xml", document_xml(&body))])
}

/// A .docx of `items` list items whose level's number pattern is `%1` repeated `repeats` times.
pub fn docx_list_text(repeats: usize, items: usize) -> Vec<u8> {
    let numbering = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering {W}>\
         <w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/>\
         <w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"{}\"/></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>",
        "%1".repeat(repeats)
    );
    let item = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
                <w:r><w:t>An item</w:t></w:r></w:p>";
    let body = item.repeat(items);
    docx_with_parts(&[
        ("word/document.xml", document_xml(&body)),
        ("word/numbering.xml", numbering.into_bytes()),
    ])
}

// ---------------------------------------------------------------------------------------------
// PDF: written byte by byte, so that each can be as broken as it needs to be.

/// A PDF's objects, numbered from 1 in order, written with a classic cross-reference table.
pub struct RawPdf {
    pub objects: Vec<Vec<u8>>,
}

impl RawPdf {
    pub fn new() -> RawPdf {
        RawPdf {
            objects: Vec::new(),
        }
    }

    /// Adds an object (its body, without `N 0 obj`); its number.
    pub fn add(&mut self, body: impl Into<Vec<u8>>) -> usize {
        self.objects.push(body.into());
        self.objects.len()
    }

    /// Sets object `n`'s body (objects may be reserved with an empty body and filled later).
    pub fn set(&mut self, n: usize, body: impl Into<Vec<u8>>) {
        self.objects[n - 1] = body.into();
    }

    /// A stream object: `dict` (without `<<` `>>`, its /Length added) and its bytes.
    pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream");
        out
    }

    /// The file, object 1 the catalog.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in self.objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n", self.objects.len() + 1).as_bytes());
        out.extend_from_slice(b"0000000000 65535 f \n");
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                self.objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }
}

impl Default for RawPdf {
    fn default() -> Self {
        RawPdf::new()
    }
}

/// A page's content: `text` at the top left in font /F1, 12pt.
pub fn text_content(text: &str) -> Vec<u8> {
    let ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), 12.into()]),
        Operation::new("Td", vec![72.into(), 760.into()]),
        Operation::new("Tj", vec![Object::string_literal(text)]),
        Operation::new("ET", vec![]),
    ];
    Content { operations: ops }.encode().expect("encodes")
}

const HELVETICA: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// A PDF of `pages` pages, each saying "Page N", sharing one font.
pub fn pdf_pages(pages: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(Vec::new());
    let font = pdf.add(HELVETICA);
    let mut kids = String::new();
    for n in 1..=pages {
        let content = pdf.add(RawPdf::stream("", &text_content(&format!("Page {n}"))));
        let page = pdf.add(format!(
            "<< /Type /Page /Parent 2 0 R /Contents {content} 0 R >>"
        ));
        kids.push_str(&format!("{page} 0 R "));
    }
    pdf.set(
        2,
        format!(
            "<< /Type /Pages /Kids [{kids}] /Count {pages} /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 {font} 0 R >> >> >>"
        ),
    );
    pdf.bytes()
}

/// One page whose /Parent leads to a node whose /Parent leads back: the page has no
/// resources or media box of its own, so a reader that looks them up through /Parent goes
/// round for ever.
pub fn pdf_parent_cycle() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    // The root gives what the page inherits, as a reader walking down finds it; a reader that
    // climbs from the page by /Parent never reaches the root.
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 7 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 4 0 R /Contents 6 0 R >>");
    pdf.add("<< /Type /Pages /Parent 5 0 R /Kids [3 0 R] /Count 1 >>");
    pdf.add("<< /Type /Pages /Parent 4 0 R /Kids [4 0 R] /Count 1 >>");
    pdf.add(RawPdf::stream("", &text_content("Round and round")));
    pdf.add(HELVETICA);
    pdf.bytes()
}

/// `data` deflated (zlib) `layers` times: the filter names for it too.
pub fn deflated(data: &[u8], layers: usize) -> (Vec<u8>, String) {
    let mut out = data.to_vec();
    for _ in 0..layers {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&out).expect("compresses");
        out = encoder.finish().expect("compresses");
    }
    let filters = vec!["/FlateDecode"; layers].join(" ");
    (out, format!("[{filters}]"))
}

/// `mib` MiB of spaces deflated twice: a few kilobytes that inflate to `mib` MiB.
pub fn bomb(mib: usize) -> (Vec<u8>, String) {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..mib {
        encoder.write_all(&chunk).expect("compresses");
    }
    let once = encoder.finish().expect("compresses");
    let (twice, _) = deflated(&once, 1);
    (twice, "[/FlateDecode /FlateDecode]".into())
}

/// One page of text whose content stream also carries `mib` MiB of spaces, deflated twice.
pub fn pdf_content_bomb(mib: usize) -> Vec<u8> {
    let (data, filters) = bomb(mib);
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents [5 0 R 6 0 R] >>");
    pdf.add(HELVETICA);
    pdf.add(RawPdf::stream("", &text_content("Before the bomb")));
    pdf.add(RawPdf::stream(&format!("/Filter {filters}"), &data));
    pdf.bytes()
}

/// A page whose content stream asks for a PNG predictor of 4,294,967,295 columns: a reader
/// that trusts it allocates a row of 4.3 GB before reading a byte.
pub fn pdf_predictor_columns() -> Vec<u8> {
    let (data, _) = deflated(&text_content("Columns"), 1);
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add(HELVETICA);
    pdf.add(RawPdf::stream(
        "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4294967295 >>",
        &data,
    ));
    pdf.bytes()
}

/// A PDF whose objects sit in an object stream that inflates to `mib` MiB.
pub fn pdf_object_stream_bomb(mib: usize) -> Vec<u8> {
    let (data, filters) = bomb(mib);
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add(HELVETICA);
    pdf.add(RawPdf::stream("", &text_content("Objects")));
    pdf.add(RawPdf::stream(
        &format!("/Type /ObjStm /N 1 /First 4 /Filter {filters}"),
        &data,
    ));
    pdf.bytes()
}

/// A PDF whose cross-reference stream gives its first field a width of 4,294,967,295 bytes.
pub fn pdf_xref_stream_widths() -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add(HELVETICA);
    pdf.add(RawPdf::stream("", &text_content("Widths")));
    let classic = pdf.bytes();
    // Cut the classic table off and end with a cross-reference stream instead.
    let cut = classic
        .windows(5)
        .rposition(|w| w == b"xref\n")
        .expect("a table");
    let mut out = classic[..cut].to_vec();
    let at = out.len();
    out.extend_from_slice(&RawPdf::stream_object(
        6,
        "/Type /XRef /Size 7 /W [4294967295 0 0] /Root 1 0 R",
        &[0u8; 16],
    ));
    out.extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
    out
}

impl RawPdf {
    /// A whole stream object `n 0 obj … endobj`.
    pub fn stream_object(n: usize, dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out = format!("{n} 0 obj\n").into_bytes();
        out.extend_from_slice(&RawPdf::stream(dict, data));
        out.extend_from_slice(b"\nendobj\n");
        out
    }
}

/// A PDF of `pages` pages whose one font has a ToUnicode map of `ranges` full two-byte ranges
/// (`<0000> <FFFF>`): a reader that spells each range out makes 65,536 entries of each, again
/// on every page.
pub fn pdf_to_unicode_ranges(ranges: usize, pages: usize) -> Vec<u8> {
    let mut cmap = format!(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
         1 begincodespacerange <0000> <FFFF> endcodespacerange\n{ranges} beginbfrange\n"
    );
    for _ in 0..ranges {
        cmap.push_str("<0000> <FFFF> <0041>\n");
    }
    cmap.push_str("endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n");
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(Vec::new());
    let cmap = pdf.add(RawPdf::stream("", cmap.as_bytes()));
    let font = pdf.add(format!(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode {cmap} 0 R >>"
    ));
    let content = pdf.add(RawPdf::stream("", &text_content("Ranges")));
    let kids: String = (0..pages)
        .map(|_| {
            let page = pdf.add(format!(
                "<< /Type /Page /Parent 2 0 R /Contents {content} 0 R >>"
            ));
            format!("{page} 0 R ")
        })
        .collect();
    pdf.set(
        2,
        format!(
            "<< /Type /Pages /Kids [{kids}] /Count {pages} /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 {font} 0 R >> >> >>"
        ),
    );
    pdf.bytes()
}

/// A tagged PDF whose structure tree nests `depth` elements deep, each its own object.
pub fn pdf_deep_structure(depth: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> /StructTreeRoot 6 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add(HELVETICA);
    pdf.add(RawPdf::stream("", &text_content("Deep")));
    pdf.add("<< /Type /StructTreeRoot /K 7 0 R >>");
    for level in 0..depth {
        pdf.add(format!("<< /S /Div /Pg 3 0 R /K {} 0 R >>", 8 + level));
    }
    pdf.add("<< /S /P /Pg 3 0 R /K 0 >>");
    pdf.bytes()
}

/// One page that draws a form of `operators` operators `times` times (and says "Drawn").
pub fn pdf_form_drawn(operators: usize, times: usize) -> Vec<u8> {
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add(
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> /XObject << /X 6 0 R >> >> >>",
    );
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add(HELVETICA);
    let mut content = text_content("Drawn");
    content.extend_from_slice(" /X Do".repeat(times).as_bytes());
    pdf.add(RawPdf::stream("", &content));
    let form = "q Q ".repeat(operators / 2);
    pdf.add(RawPdf::stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 10 10]",
        form.as_bytes(),
    ));
    pdf.bytes()
}
