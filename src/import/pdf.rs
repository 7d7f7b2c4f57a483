//! The PDF reader: a PDF's bytes to a `Document`, the way pdfplumber reads a page. Every
//! character comes with its box (from pdf-extract's text-rendering matrix), every stroked or
//! filled thin rectangle is a ruling line; characters make words, words make lines (by
//! baseline, top to bottom, left to right), lines make paragraphs (by vertical gap, font,
//! indentation and whether the line before was full), ruling lines make tables, and lines
//! that share column gutters make unruled tables; a page in two columns is read column by
//! column. A tagged PDF's structure tree adds heading levels, and tables cell by cell
//! (`tagged_tables`: a table ruled between rows only, as clerk's own PDFs draw them, or not at
//! all, with its empty and merged cells), checked against the page before they are believed.
//! Page furniture goes: artifacts (a tagged PDF's running headers and footers), page numbers,
//! and first or last lines that come back on most pages (`furniture`). A header block set as
//! bold labels beside values that wrap is read as a table of two columns (`labels`); lines in a
//! shaded panel wrap at the panel's edge. Lists come from the geometry, tagged or not. Nothing
//! is guessed where the geometry is unsure: such text stays paragraphs.
//!
//! pdf-extract's `OutputDev` does not say which font a character is in, nor which marked
//! content it belongs to, so before handing the document over the reader plants markers in
//! the content streams (zero-size filled rectangles at an impossible x, carrying a payload)
//! after each `q`, `Q`, `BDC`/`BMC`, `EMC` and before each `Tf`: the collector reads them back
//! to know the font's boldness and the marked-content id (MCID) of every character.

use std::cell::Cell as Flag;
use std::collections::{BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::{LazyLock, Once};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, ObjectId};
use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};
use regex::Regex;

use super::document::{
    Block, Cell, Document, Format, ImportError, ListMark, Origin, Paragraph, Table,
};
use super::limits::{
    Budget, PDF_DECODED, PDF_FONT_WORK, PDF_FORM_DEPTH, PDF_OPERATORS, PDF_TABLE_RULES,
};

mod aligned;
mod fonts;
mod furniture;
mod labels;
mod pagetree;
mod raw;
mod streams;
mod tagged_tables;
mod tags;

/// Reads a PDF. Refuses an encrypted file (unless it opens with the empty password), a file
/// with no text layer, anything damaged, and anything past a limit (`limits.rs`); never
/// panics, whatever the bytes.
///
/// The order is the guard's: the cross-reference sections are checked in the raw bytes before
/// lopdf reads them (`raw`), objects are counted and object streams decoded within the budget
/// as lopdf loads (`streams::load`), the page tree is walked and made flat (`pagetree`), every
/// stream is decoded once within the budget (`streams::decode_all`), and fonts and operators
/// are counted as the content is planted, all before pdf-extract is handed the document.
pub fn read_pdf(bytes: &[u8]) -> Result<Document, ImportError> {
    guarded(|| {
        let (mut pdf, mut budgets) = load(bytes)?;
        pagetree::flatten(&mut pdf, bytes.len())?;
        streams::decode_all(&mut pdf, &mut budgets.decoded)?;
        let format = if is_tagged(&pdf) {
            Format::TaggedPdf
        } else {
            Format::UntaggedPdf
        };
        let tags = match format {
            Format::TaggedPdf => tags::read_tags(&pdf),
            _ => tags::Tags::default(),
        };
        fix_cid_widths(&mut pdf, &mut budgets.objects)?;
        plant(&mut pdf, bytes.len(), &mut budgets.decoded)?;
        let pages = collect(&pdf, PDF_OPERATORS.allowed(bytes.len()) as usize)?;
        if pages.iter().all(|p| p.glyphs.is_empty()) {
            return Err(ImportError::NoText);
        }
        let page_ids = pdf.get_pages();
        let key = |page: u32, mcid: i64| page_ids.get(&page).map(|id| (*id, mcid));
        let marked = Marked {
            heading: &|page, mcid| tags.headings.get(&key(page, mcid)?).copied(),
            cell: &|page, mcid| tags.cells.get(&key(page, mcid)?).copied(),
            tables: &tags.tables,
        };
        let (blocks, furniture, unread) = lay_out(pages, &marked);
        let blocks = super::tables::join_continued(blocks);
        Ok(Document {
            format,
            blocks,
            furniture,
            unread,
            source_chars: None,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Guarding: pdf-extract and lopdf panic on some malformed files.

thread_local! {
    /// Set while this thread reads a PDF: the panic hook stays silent for it.
    static QUIET: Flag<bool> = const { Flag::new(false) };
}
static HOOK: Once = Once::new();

/// Runs `read` and turns a panic inside it into `Malformed`. The panic message is silenced by
/// a hook installed once, which stays quiet only for a thread that is inside `guarded` (a
/// thread-local flag, so no other thread's panic is hidden) and hands everything else to the
/// hook that was there before.
fn guarded<T>(read: impl FnOnce() -> Result<T, ImportError>) -> Result<T, ImportError> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Flag::get) {
                previous(info)
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(read));
    QUIET.with(|q| q.set(was));
    result.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(ImportError::Malformed(format!(
            "the PDF's content could not be read ({why})"
        )))
    })
}

/// What reading a PDF may still spend once it is loaded.
struct Budgets {
    decoded: Budget,
    objects: Budget,
}

/// Parses the file; refuses what is not a PDF, what needs a password, and what is past a limit
/// while loading.
fn load(bytes: &[u8]) -> Result<(lopdf::Document, Budgets), ImportError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(ImportError::Malformed(
            "it is not a PDF (no %PDF- header)".into(),
        ));
    }
    let mut decoded = Budget::new(&PDF_DECODED, bytes.len());
    let sections = raw::check_sections(bytes, &mut decoded)?;
    // lopdf decodes the object streams of an encrypted file itself, unbounded, as it
    // decrypts them: such a file is read only once saved without its password.
    if sections.encrypted && sections.compressed_objects {
        return Err(ImportError::Encrypted);
    }
    let (pdf, decoded, objects) = streams::load(bytes, decoded)?;
    // lopdf opens a file whose user password is empty (owner password only) by itself and
    // keeps its encryption state; without it the objects were never decrypted.
    if pdf.trailer.get(b"Encrypt").is_ok() && pdf.encryption_state.is_none() {
        return Err(ImportError::Encrypted);
    }
    Ok((pdf, Budgets { decoded, objects }))
}

/// Follows a reference (a few steps at most) to the object it names.
fn deref<'a>(pdf: &'a lopdf::Document, mut object: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match object {
            Object::Reference(id) => object = pdf.get_object(*id).ok()?,
            _ => return Some(object),
        }
    }
    None
}

/// The dictionary at `key` in `dict`, through references.
fn dict_at<'a>(
    pdf: &'a lopdf::Document,
    dict: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    deref(pdf, dict.get(key).ok()?)?.as_dict().ok()
}

/// A tagged PDF: the catalog has a structure tree and says its content is marked.
fn is_tagged(pdf: &lopdf::Document) -> bool {
    let Ok(catalog) = pdf.catalog() else {
        return false;
    };
    let marked = dict_at(pdf, catalog, b"MarkInfo")
        .and_then(|m| m.get(b"Marked").ok())
        .and_then(|m| m.as_bool().ok())
        .unwrap_or(false);
    marked && dict_at(pdf, catalog, b"StructTreeRoot").is_some()
}

// ---------------------------------------------------------------------------------------------
// Planting markers in the content streams, and capping the work.

/// The x of a marker rectangle: no page reaches it.
const MARKER: f64 = -271_828.0;
/// Marker kinds, the rectangle's y.
const PUSH: i64 = 1;
const POP: i64 = 2;
const FONT: i64 = 3;
const BEGIN: i64 = 4;
const END: i64 = 5;
/// The payload of `BEGIN` for an artifact (page furniture: running headers, footers, page
/// numbers, decoration): its text is no part of the paper.
const ARTIFACT: i64 = -2;

/// Rewrites every page's content stream (and every form it draws) with markers, and drops
/// `Do` of images: pdf-extract would read an image's bytes as content. Refuses a form that
/// draws itself (pdf-extract would recurse for ever) and, counted page by page: content whose
/// cost, forms expanded each time they are drawn, passes `PDF_OPERATORS`; pages whose
/// content streams joined pass the budget of decoded bytes; fonts whose building, repeated on
/// each page that selects them, passes `PDF_FONT_WORK`.
fn plant(
    pdf: &mut lopdf::Document,
    file_len: usize,
    decoded: &mut Budget,
) -> Result<(), ImportError> {
    let mut planter = Planter {
        pdf,
        forms: HashMap::new(),
        rewritten: Vec::new(),
        fonts: HashMap::new(),
        selected: BTreeSet::new(),
        direct_fonts: 0,
    };
    let mut operators = Budget::new(&PDF_OPERATORS, file_len);
    let mut font_work = Budget::new(&PDF_FONT_WORK, file_len);
    let mut pages = Vec::new();
    for page in planter.pdf.get_pages().into_values() {
        // lopdf joins a page's content streams; the join counts as decoded bytes.
        let joined: u64 = planter
            .pdf
            .get_page_contents(page)
            .iter()
            .filter_map(|id| planter.pdf.get_object(*id).and_then(Object::as_stream).ok())
            .map(|s| s.content.len() as u64)
            .sum();
        decoded.spend(joined)?;
        let content = planter.pdf.get_page_content(page).unwrap_or_default();
        let resources = page_resources(planter.pdf, page);
        let (bytes, page_cost) = planter.rewrite(&content, resources, 0)?;
        operators.spend(page_cost as u64)?;
        font_work.spend(planter.page_fonts())?;
        pages.push((page, bytes));
    }
    let forms = std::mem::take(&mut planter.rewritten);
    for (page, bytes) in pages {
        let stream = pdf.add_object(lopdf::Stream::new(Dictionary::new(), bytes));
        if let Ok(dict) = pdf.get_object_mut(page).and_then(Object::as_dict_mut) {
            dict.set("Contents", Object::Reference(stream));
        }
    }
    for (form, bytes) in forms {
        if let Ok(stream) = pdf.get_object_mut(form).and_then(Object::as_stream_mut) {
            stream.set_plain_content(bytes);
        }
    }
    Ok(())
}

/// Rewrites every CID font's /W (glyph widths) into the `c [w1 w2 …]` form only. pdf-extract
/// 0.12 misreads the other form, `c_first c_last w` (typst writes it), as no widths at all,
/// and every character of such a font would sit on the one before. A range wider than 65,536
/// codes (no real font) is left out, and every width spelt out is counted against `objects`.
fn fix_cid_widths(pdf: &mut lopdf::Document, objects: &mut Budget) -> Result<(), ImportError> {
    let mut fonts: Vec<(ObjectId, Vec<Object>)> = Vec::new();
    for (id, object) in &pdf.objects {
        let Ok(dict) = object.as_dict() else { continue };
        let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
        if subtype != Some(b"CIDFontType0") && subtype != Some(b"CIDFontType2") {
            continue;
        }
        let Some(Object::Array(widths)) = dict.get(b"W").ok().and_then(|w| deref(pdf, w)) else {
            continue;
        };
        fonts.push((*id, widths_as_lists(pdf, widths, objects)?));
    }
    for (id, widths) in fonts {
        if let Ok(dict) = pdf.get_object_mut(id).and_then(Object::as_dict_mut) {
            dict.set("W", Object::Array(widths));
        }
    }
    Ok(())
}

/// A /W array with every `c_first c_last w` triple spelt out as `c_first [w w …]`.
fn widths_as_lists(
    pdf: &lopdf::Document,
    widths: &[Object],
    objects: &mut Budget,
) -> Result<Vec<Object>, ImportError> {
    let number = |o: &Object| deref(pdf, o).and_then(|o| o.as_float().ok());
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < widths.len() {
        let Some(first) = number(&widths[i]).map(|f| f as i64) else {
            break;
        };
        if let Some(Object::Array(list)) = deref(pdf, &widths[i + 1]) {
            out.push(Object::Integer(first));
            out.push(Object::Array(list.clone()));
            i += 2;
            continue;
        }
        let (Some(last), Some(width)) =
            (number(&widths[i + 1]), widths.get(i + 2).and_then(number))
        else {
            break;
        };
        let count = (last as i64).saturating_sub(first).saturating_add(1);
        if (1..=65_536).contains(&count) {
            objects.spend(count as u64)?;
            out.push(Object::Integer(first));
            out.push(Object::Array(vec![Object::Real(width); count as usize]));
        }
        i += 3;
    }
    Ok(out)
}

/// A page's resources, inherited from the page tree as pdf-extract finds them.
fn page_resources(pdf: &lopdf::Document, page: ObjectId) -> Option<&Dictionary> {
    let mut node = pdf.get_dictionary(page).ok()?;
    for _ in 0..32 {
        if let Some(resources) = dict_at(pdf, node, b"Resources") {
            return Some(resources);
        }
        node = dict_at(pdf, node, b"Parent")?;
    }
    None
}

/// What is known of a form XObject while planting: being rewritten (a cycle if met again),
/// or rewritten, with its cost in operators once expanded and the fonts it selects.
#[derive(Clone)]
enum FormState {
    Open,
    Done(usize, BTreeSet<ObjectId>),
}

struct Planter<'a> {
    pdf: &'a lopdf::Document,
    forms: HashMap<ObjectId, FormState>,
    rewritten: Vec<(ObjectId, Vec<u8>)>,
    /// What building each font costs (`fonts::cost`), once worked out.
    fonts: HashMap<ObjectId, u64>,
    /// The fonts the page being planted selects, its forms' included.
    selected: BTreeSet<ObjectId>,
    /// The cost of fonts the page selects that are not objects of their own.
    direct_fonts: u64,
}

/// The two operators of a marker: a zero-size rectangle at x = MARKER, filled.
fn marker(kind: i64, payload: i64) -> [Operation; 2] {
    let rect = vec![
        Object::Integer(MARKER as i64),
        Object::Integer(kind),
        Object::Integer(payload),
        Object::Integer(0),
    ];
    [Operation::new("re", rect), Operation::new("f", vec![])]
}

impl Planter<'_> {
    /// One content stream with markers planted, and its cost (operators, forms expanded).
    fn rewrite(
        &mut self,
        content: &[u8],
        resources: Option<&Dictionary>,
        depth: u32,
    ) -> Result<(Vec<u8>, usize), ImportError> {
        let ops = Content::decode(content)
            .map_err(|e| ImportError::Malformed(format!("a page's content is damaged: {e}")))?
            .operations;
        let mut cost = ops.len();
        let mut out = Vec::with_capacity(ops.len() + ops.len() / 4);
        for op in ops {
            match op.operator.as_str() {
                "q" | "Q" | "EMC" => {
                    let kind = match op.operator.as_str() {
                        "q" => PUSH,
                        "Q" => POP,
                        _ => END,
                    };
                    out.push(op);
                    out.extend(marker(kind, 0));
                }
                "BDC" | "BMC" => {
                    let artifact = op.operands.first().and_then(|t| t.as_name().ok());
                    let mcid = match artifact {
                        Some(b"Artifact") => ARTIFACT,
                        _ => mcid_of(self.pdf, &op, resources),
                    };
                    out.push(op);
                    out.extend(marker(BEGIN, mcid));
                }
                "Tf" => {
                    self.select_font(resources, &op);
                    let bold = font_is_bold(self.pdf, resources, &op);
                    out.extend(marker(FONT, bold as i64));
                    out.push(op);
                }
                // pdf-extract paints (and so clears) a path only on `f`, `F`, `S` and `n`:
                // after an even-odd fill (`f*`, Excel's) or a fill-and-stroke the path would
                // grow on, swallowing the markers. Each becomes the paint it is nearest.
                "f*" | "B" | "B*" | "b" | "b*" => out.push(Operation::new("f", vec![])),
                "s" => out.extend([Operation::new("h", vec![]), Operation::new("S", vec![])]),
                "Do" => {
                    let Some(form_cost) = self.form(resources, &op, depth)? else {
                        continue; // an image, or nothing: not text
                    };
                    cost = cost.saturating_add(form_cost);
                    out.extend(marker(PUSH, 0));
                    out.push(op);
                    out.extend(marker(POP, 0));
                }
                _ => out.push(op),
            }
        }
        let bytes = Content { operations: out }
            .encode()
            .map_err(|e| ImportError::Malformed(format!("a page's content is damaged: {e}")))?;
        Ok((bytes, cost))
    }

    /// The form XObject a `Do` draws, rewritten once; its cost, or `None` for an image.
    fn form(
        &mut self,
        resources: Option<&Dictionary>,
        op: &Operation,
        depth: u32,
    ) -> Result<Option<usize>, ImportError> {
        let pdf = self.pdf;
        let name = op.operands.first().and_then(|o| o.as_name().ok());
        let xobjects = resources.and_then(|r| dict_at(pdf, r, b"XObject"));
        let Some(Object::Reference(id)) = xobjects.zip(name).and_then(|(x, n)| x.get(n).ok())
        else {
            return Ok(None); // inline forms and missing names are not drawn
        };
        let Ok(stream) = pdf.get_object(*id).and_then(Object::as_stream) else {
            return Ok(None);
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            return Ok(None);
        }
        match self.forms.get(id) {
            Some(FormState::Done(cost, fonts)) => {
                self.selected.extend(fonts.iter().copied());
                return Ok(Some(*cost));
            }
            Some(FormState::Open) => {
                return Err(ImportError::Malformed(
                    "a form in the PDF draws itself".into(),
                ))
            }
            None => PDF_FORM_DEPTH.check(u64::from(depth) + 1, 0)?,
        }
        self.forms.insert(*id, FormState::Open);
        // The form's fonts apart from the page's, to be counted on every page that draws it.
        let page_fonts = std::mem::take(&mut self.selected);
        let own = dict_at(pdf, &stream.dict, b"Resources").or(resources);
        let (bytes, cost) = self.rewrite(&stream.content, own, depth + 1)?;
        // A form's bytes are copied each time it is drawn.
        let cost = cost.saturating_add(stream.content.len() / 16);
        let fonts = std::mem::replace(&mut self.selected, page_fonts);
        self.selected.extend(fonts.iter().copied());
        self.forms.insert(*id, FormState::Done(cost, fonts));
        self.rewritten.push((*id, bytes));
        Ok(Some(cost))
    }

    /// Records the font a `Tf` selects, for the page's font work.
    fn select_font(&mut self, resources: Option<&Dictionary>, op: &Operation) {
        let pdf = self.pdf;
        let font = op
            .operands
            .first()
            .and_then(|n| n.as_name().ok())
            .zip(resources.and_then(|r| dict_at(pdf, r, b"Font")))
            .and_then(|(name, fonts)| fonts.get(name).ok());
        match font {
            Some(Object::Reference(id)) => {
                self.selected.insert(*id);
            }
            Some(Object::Dictionary(dict)) => {
                self.direct_fonts = self.direct_fonts.saturating_add(fonts::cost(pdf, dict));
            }
            _ => {}
        }
    }

    /// The font work of the page just planted: each font it selects built once. Starts the
    /// next page's count.
    fn page_fonts(&mut self) -> u64 {
        let pdf = self.pdf;
        let mut work = std::mem::take(&mut self.direct_fonts);
        for id in std::mem::take(&mut self.selected) {
            let cost = *self.fonts.entry(id).or_insert_with(|| {
                pdf.get_dictionary(id)
                    .map_or(0, |font| fonts::cost(pdf, font))
            });
            work = work.saturating_add(cost);
        }
        work
    }
}

/// The MCID a `BDC` opens (an inline property list or a named one), else -1.
fn mcid_of(pdf: &lopdf::Document, op: &Operation, resources: Option<&Dictionary>) -> i64 {
    let props = match op.operands.get(1) {
        Some(Object::Dictionary(d)) => Some(d),
        Some(Object::Name(name)) => resources
            .and_then(|r| dict_at(pdf, r, b"Properties"))
            .and_then(|p| dict_at(pdf, p, name)),
        _ => None,
    };
    props
        .and_then(|d| d.get(b"MCID").ok())
        .and_then(|m| m.as_i64().ok())
        .unwrap_or(-1)
}

/// Whether the font a `Tf` selects is bold: its name says Bold (or Black, Heavy), or its
/// descriptor gives a weight of 600 or more.
fn font_is_bold(pdf: &lopdf::Document, resources: Option<&Dictionary>, op: &Operation) -> bool {
    let font = op
        .operands
        .first()
        .and_then(|n| n.as_name().ok())
        .zip(resources.and_then(|r| dict_at(pdf, r, b"Font")))
        .and_then(|(name, fonts)| dict_at(pdf, fonts, name));
    let Some(font) = font else {
        return false;
    };
    let name = font
        .get(b"BaseFont")
        .and_then(Object::as_name)
        .unwrap_or(b"");
    let name = String::from_utf8_lossy(name).to_ascii_lowercase();
    if ["bold", "black", "heavy"].iter().any(|w| name.contains(w)) {
        return true;
    }
    let descriptor = dict_at(pdf, font, b"FontDescriptor").or_else(|| {
        let descendant = deref(pdf, font.get(b"DescendantFonts").ok()?)?
            .as_array()
            .ok()?;
        dict_at(
            pdf,
            deref(pdf, descendant.first()?)?.as_dict().ok()?,
            b"FontDescriptor",
        )
    });
    descriptor
        .and_then(|d| d.get(b"FontWeight").ok())
        .and_then(|w| w.as_float().ok())
        .is_some_and(|w| w >= 600.0)
}

// ---------------------------------------------------------------------------------------------
// Collecting characters and ruling lines from pdf-extract.

/// One character as drawn, in page space with y growing down (points).
#[derive(Clone, Debug)]
struct Glyph {
    text: String,
    x0: f64,
    x1: f64,
    /// The baseline.
    base: f64,
    /// The font size as drawn.
    size: f64,
    bold: bool,
    /// The marked content it is in (tagged PDFs), -1 if none.
    mcid: i64,
    /// Its text line on the page, 0-based from the top (set by `number_rows`).
    row: usize,
}

impl Glyph {
    /// The middle of the character's box, which decides the table cell it belongs to.
    fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, self.base - self.size * 0.3)
    }
}

/// A ruling line, axis-aligned, in page space (y down); x0 ≤ x1, y0 ≤ y1.
#[derive(Clone, Copy, Debug)]
struct Rule {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// What one page draws.
#[derive(Debug, Default)]
struct PageInk {
    number: u32,
    glyphs: Vec<Glyph>,
    /// Characters of page furniture (artifacts, page numbers, running headers): accounted
    /// for, no part of the paper.
    furniture: usize,
    /// Text drawn rotated (or at no readable size): not read.
    rotated: String,
    rules: Vec<Rule>,
    /// Filled rectangles wider and taller than a rule: shaded panels (as x0, y0, x1, y1).
    panels: Vec<Rule>,
}

/// The `OutputDev` that keeps characters and ruling lines, and follows the planted markers
/// for boldness and MCIDs. Stops (an error) once `budget` callbacks are spent.
struct Collector {
    pages: Vec<PageInk>,
    page_height: f64,
    bold: bool,
    saved: Vec<bool>,
    marked: Vec<i64>,
    budget: usize,
}

/// Runs pdf-extract over the planted document.
fn collect(pdf: &lopdf::Document, budget: usize) -> Result<Vec<PageInk>, ImportError> {
    let mut collector = Collector {
        pages: Vec::new(),
        page_height: 0.0,
        bold: false,
        saved: Vec::new(),
        marked: Vec::new(),
        budget,
    };
    match pdf_extract::output_doc(pdf, &mut collector) {
        Ok(()) => Ok(collector.pages),
        Err(_) if collector.budget == 0 => {
            Err(PDF_OPERATORS.refuse(budget as u64 + 1, budget as u64))
        }
        Err(e) => Err(ImportError::Malformed(format!(
            "the PDF's text cannot be read: {e}"
        ))),
    }
}

/// Applies a transform to a point.
fn apply(m: &Transform, x: f64, y: f64) -> (f64, f64) {
    (x * m.m11 + y * m.m21 + m.m31, x * m.m12 + y * m.m22 + m.m32)
}

impl Collector {
    /// Counts one callback against the budget; an error stops pdf-extract once it is spent.
    fn spend(&mut self) -> Result<(), OutputError> {
        if self.budget == 0 {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        self.budget -= 1;
        Ok(())
    }

    /// The page being drawn (a first one if pdf-extract draws before beginning a page).
    fn page(&mut self) -> &mut PageInk {
        if self.pages.is_empty() {
            self.pages.push(PageInk::default());
        }
        self.pages.last_mut().expect("a page")
    }

    /// A planted marker: updates boldness and the marked-content stack.
    fn marker(&mut self, kind: f64, payload: f64) {
        match kind as i64 {
            PUSH => self.saved.push(self.bold),
            POP => self.bold = self.saved.pop().unwrap_or(false),
            FONT => self.bold = payload > 0.5,
            BEGIN => self.marked.push(payload as i64),
            END => {
                self.marked.pop();
            }
            _ => {}
        }
    }

    /// Keeps the axis-aligned pieces of a path, in page space: lines of a stroked path, and
    /// thin filled rectangles as their centre line (a border drawn as a filled bar).
    fn rules(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let height = self.page_height;
        let to_page = |x: f64, y: f64| {
            let (x, y) = apply(ctm, x, y);
            (x, height - y)
        };
        let (mut found, mut panels) = (Vec::new(), Vec::new());
        for shape in shapes(path) {
            let points: Vec<(f64, f64)> = shape.iter().map(|&(x, y)| to_page(x, y)).collect();
            if filled {
                found.extend(bar(&points));
                panels
                    .extend(rectangle(&points).filter(|r| r.x1 - r.x0 > 2.5 && r.y1 - r.y0 > 2.5));
            } else {
                found.extend(points.windows(2).filter_map(|w| segment(w[0], w[1])));
            }
        }
        self.page().rules.extend(found);
        self.page().panels.extend(panels);
    }
}

/// The subpaths of a path as point lists (rectangles closed), curves left out.
fn shapes(path: &Path) -> Vec<Vec<(f64, f64)>> {
    let mut shapes: Vec<Vec<(f64, f64)>> = Vec::new();
    for op in &path.ops {
        match *op {
            PathOp::MoveTo(x, y) => shapes.push(vec![(x, y)]),
            PathOp::LineTo(x, y) => match shapes.last_mut() {
                Some(shape) => shape.push((x, y)),
                None => shapes.push(vec![(x, y)]),
            },
            PathOp::Rect(x, y, w, h) => {
                shapes.push(vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]);
                shapes.push(vec![(x, y)]);
            }
            PathOp::Close => {
                if let Some(shape) = shapes.last_mut() {
                    if let Some(&first) = shape.first() {
                        shape.push(first);
                    }
                }
            }
            PathOp::CurveTo(.., x, y) => shapes.push(vec![(x, y)]),
        }
    }
    shapes
}

/// A straight axis-aligned line between two points, if it is one.
fn segment(a: (f64, f64), b: (f64, f64)) -> Option<Rule> {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    let horizontal = y1 - y0 < 0.5 && x1 - x0 >= 1.0;
    let vertical = x1 - x0 < 0.5 && y1 - y0 >= 1.0;
    (horizontal || vertical).then_some(Rule { x0, y0, x1, y1 })
}

/// A filled shape that is a thin axis-aligned bar (at most 2.5pt across): its centre line.
fn bar(points: &[(f64, f64)]) -> Option<Rule> {
    let Rule { x0, y0, x1, y1 } = rectangle(points)?;
    let (w, h) = (x1 - x0, y1 - y0);
    if h <= 2.5 && w >= 1.0 && w > h {
        let y = (y0 + y1) / 2.0;
        Some(Rule {
            x0,
            y0: y,
            x1,
            y1: y,
        })
    } else if w <= 2.5 && h >= 1.0 && h > w {
        let x = (x0 + x1) / 2.0;
        Some(Rule {
            x0: x,
            y0,
            x1: x,
            y1,
        })
    } else {
        None
    }
}

/// A shape that is an axis-aligned rectangle: its corners.
fn rectangle(points: &[(f64, f64)]) -> Option<Rule> {
    if points.len() < 4 {
        return None;
    }
    let xs = points.iter().map(|p| p.0);
    let ys = points.iter().map(|p| p.1);
    let (x0, x1) = (
        xs.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f64::MAX, f64::min),
        ys.fold(f64::MIN, f64::max),
    );
    let axis_aligned = points
        .iter()
        .all(|p| (p.0 - x0).abs() < 0.1 || (p.0 - x1).abs() < 0.1)
        && points
            .iter()
            .all(|p| (p.1 - y0).abs() < 0.1 || (p.1 - y1).abs() < 0.1);
    axis_aligned.then_some(Rule { x0, y0, x1, y1 })
}

/// pdf-extract's callbacks: characters and paths are kept, markers followed, the rest ignored.
impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page: u32,
        media: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.spend()?;
        self.page_height = media.ury - media.lly;
        self.bold = false;
        self.saved.clear();
        self.marked.clear();
        self.pages.push(PageInk {
            number: page,
            ..PageInk::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        self.spend()?;
        let text = clean_glyph(text);
        if text.is_empty() {
            return Ok(());
        }
        if self.marked.contains(&ARTIFACT) {
            self.page().furniture += text.chars().count();
            return Ok(()); // page furniture
        }
        let (sx, sy) = (trm.m11.hypot(trm.m12), trm.m21.hypot(trm.m22));
        let upright = trm.m12.abs() + trm.m21.abs() < 0.05 * (trm.m11.abs() + trm.m22.abs());
        let drawn = size * sy;
        if !(upright && (1.0..500.0).contains(&drawn) && width.is_finite()) {
            self.page().rotated.push_str(&text);
            return Ok(()); // rotated or degenerate text is not read
        }
        let x0 = trm.m31;
        let glyph = Glyph {
            text,
            x0,
            x1: x0 + width * size * sx,
            base: self.page_height - trm.m32,
            size: drawn,
            bold: self.bold,
            mcid: self
                .marked
                .iter()
                .rev()
                .copied()
                .find(|m| *m >= 0)
                .unwrap_or(-1),
            row: 0,
        };
        self.page().glyphs.push(glyph);
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.spend()?;
        self.rules(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.spend()?;
        if let [PathOp::Rect(x, kind, payload, _)] = path.ops[..] {
            if x == MARKER {
                self.marker(kind, payload);
                return Ok(());
            }
        }
        self.rules(ctm, path, true);
        Ok(())
    }
}

/// A character's text, cleaned: ligatures spelt out, spaces (NBSP included), zero-width and
/// control characters removed (word gaps come from the geometry). Soft hyphens stay, for
/// `join_words` to drop.
fn clean_glyph(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{FEFF}' | '\u{200B}' => {}
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Layout: glyphs to rows, words and lines.

/// What the pages drew that no block will hold: furniture (characters), and the rotated text
/// of each page (not read), by page.
fn accounted(pages: &[PageInk]) -> (usize, Vec<(Origin, String)>) {
    let furniture = pages.iter().map(|p| p.furniture).sum();
    let unread = pages
        .iter()
        .filter(|p| !p.rotated.is_empty())
        .map(|p| {
            let origin = Origin::Page {
                page: p.number,
                line: 0,
            };
            (origin, format!("rotated text: {}", p.rotated))
        })
        .collect();
    (furniture, unread)
}

/// Heading level of a glyph's marked content on a page (tagged PDFs), if any.
type HeadingOf<'a> = dyn Fn(u32, i64) -> Option<u8> + 'a;

/// The tagged table cell of a glyph's marked content on a page (tagged PDFs), if any.
type CellOf<'a> = dyn Fn(u32, i64) -> Option<tags::CellAt> + 'a;

/// What the structure tree says of marked content: headings, and tables cell by cell.
struct Marked<'a> {
    heading: &'a HeadingOf<'a>,
    cell: &'a CellOf<'a>,
    tables: &'a [tags::TagTable],
}

/// A word: glyphs closer than a space.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    x0: f64,
    x1: f64,
    bold: bool,
    heading: Option<u8>,
}

/// One text line of a page (outside any ruled table).
#[derive(Clone, Debug)]
struct Line {
    /// 0-based line on the page, counting from the top.
    row: usize,
    base: f64,
    size: f64,
    words: Vec<Word>,
}

impl Line {
    /// Where the line starts.
    fn x0(&self) -> f64 {
        self.words[0].x0
    }
    /// Where the line ends.
    fn x1(&self) -> f64 {
        self.words[self.words.len() - 1].x1
    }
    /// Every word of the line is bold.
    fn bold(&self) -> bool {
        self.words.iter().all(|w| w.bold)
    }
    /// The heading level every word of the line shares, if any.
    fn heading(&self) -> Option<u8> {
        let first = self.words[0].heading;
        self.words
            .iter()
            .all(|w| w.heading == first)
            .then_some(first)
            .flatten()
    }
    /// The line's words grouped where the gap between them is wider than `gap` × size.
    fn segments(&self, gap: f64) -> Vec<&[Word]> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..self.words.len() {
            if self.words[i].x0 - self.words[i - 1].x1 > gap * self.size {
                out.push(&self.words[start..i]);
                start = i;
            }
        }
        out.push(&self.words[start..]);
        out
    }
}

/// Sorts a page's glyphs into text rows (by baseline, top to bottom; within a row left to
/// right) and numbers each glyph's row. Returns the number of rows.
fn number_rows(glyphs: &mut [Glyph]) -> usize {
    glyphs.sort_by(|a, b| a.base.total_cmp(&b.base));
    let mut row = 0;
    let mut start = 0;
    for i in 0..glyphs.len() {
        let (first, here) = (&glyphs[start], &glyphs[i]);
        if i > start && here.base - first.base > 0.4 * first.size.max(here.size) {
            row += 1;
            start = i;
        }
        glyphs[i].row = row;
    }
    glyphs.sort_by(|a, b| a.row.cmp(&b.row).then(a.x0.total_cmp(&b.x0)));
    if glyphs.is_empty() {
        0
    } else {
        row + 1
    }
}

/// Groups one row's glyphs (left to right) into words: a gap wider than 0.15 of the font
/// size, or a change of size, starts a new word. A glyph drawn twice on itself (fake bold)
/// counts once.
fn words(glyphs: &[&Glyph], page: u32, heading_of: &HeadingOf) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut last: Option<&Glyph> = None;
    for g in glyphs {
        if let Some(l) = last {
            if l.text == g.text && (l.x0 - g.x0).abs() < 0.1 * g.size {
                continue;
            }
        }
        let heading = heading_of(page, g.mcid);
        let joins = last.is_some_and(|l| {
            g.x0 - l.x1 <= 0.15 * g.size.min(l.size) && (g.size - l.size).abs() < 0.2 * g.size
        });
        match words.last_mut() {
            Some(w) if joins => {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x1);
                w.bold &= g.bold;
                w.heading = w.heading.filter(|h| Some(*h) == heading);
            }
            _ => words.push(Word {
                text: g.text.clone(),
                x0: g.x0,
                x1: g.x1,
                bold: g.bold,
                heading,
            }),
        }
        last = Some(g);
    }
    words
}

/// The text lines made of the given glyphs (sorted by row, then x).
fn lines_of(glyphs: &[&Glyph], page: u32, heading_of: &HeadingOf) -> Vec<Line> {
    let mut lines = Vec::new();
    for row in glyphs.chunk_by(|a, b| a.row == b.row) {
        let words = words(row, page, heading_of);
        if words.is_empty() {
            continue;
        }
        let size = median(row.iter().map(|g| g.size));
        let base = median(row.iter().map(|g| g.base));
        lines.push(Line {
            row: row[0].row,
            base,
            size,
            words,
        });
    }
    lines
}

/// The median of some values, 0 if there are none.
fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Text with whitespace collapsed and trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of lines joined as text (a space between words and between lines). A soft
/// hyphen is dropped; where one ends a word (a typesetter's break at a line's end, drawn as a
/// hyphen) the word goes on in the next without a space. Hard hyphens stay as they are.
fn join_words<'a>(words: impl Iterator<Item = &'a Word>) -> String {
    let mut out = String::new();
    let mut glued = true;
    for word in words {
        if !glued {
            out.push(' ');
        }
        let text = word.text.trim_end_matches('\u{AD}');
        glued = text.len() != word.text.len();
        out.extend(text.chars().filter(|c| *c != '\u{AD}'));
    }
    collapse(&out)
}

// ---------------------------------------------------------------------------------------------
// Ruled tables: a grid of ruling lines; cells from the grid, text by character centre.

/// How close two ruling lines must be to count as one (points).
const SNAP: f64 = 2.0;

/// A grid found from ruling lines: column and row boundaries, and which grid cells belong
/// together (merged cells), as a group id per grid cell.
#[derive(Debug)]
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// group[r][c]: the id of the cell covering grid cell (r, c).
    group: Vec<Vec<usize>>,
}

impl Grid {
    /// The point is inside the grid's outer frame.
    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x > self.xs[0]
            && x < self.xs[self.xs.len() - 1]
            && y > self.ys[0]
            && y < self.ys[self.ys.len() - 1]
    }

    /// The grid cell a point falls in.
    fn cell_at(&self, (x, y): (f64, f64)) -> (usize, usize) {
        let c = self
            .xs
            .partition_point(|b| *b < x)
            .clamp(1, self.xs.len() - 1)
            - 1;
        let r = self
            .ys
            .partition_point(|b| *b < y)
            .clamp(1, self.ys.len() - 1)
            - 1;
        (r, c)
    }
}

/// Sorted distinct values, those closer than `SNAP` merged.
fn snapped(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for v in values {
        match out.last() {
            Some(last) if v - last <= SNAP * 1.5 => {}
            _ => out.push(v),
        }
    }
    out
}

/// Ruling lines with the pieces of one line merged: segments on the same horizontal (or
/// vertical) that meet or overlap become one, as a cell-by-cell border drawn row by row does.
fn merged(rules: &[Rule]) -> Vec<Rule> {
    let mut out = Vec::new();
    for horizontal in [true, false] {
        // Turn verticals on their side so one loop serves both.
        let flip = |r: &Rule| {
            if horizontal {
                *r
            } else {
                Rule {
                    x0: r.y0,
                    y0: r.x0,
                    x1: r.y1,
                    y1: r.x1,
                }
            }
        };
        let mut lines: Vec<Rule> = rules
            .iter()
            .filter(|r| (r.y1 - r.y0 <= r.x1 - r.x0) == horizontal)
            .map(flip)
            .collect();
        lines.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let mut run: Vec<Rule> = Vec::new();
        for chunk in lines.chunk_by(|a, b| b.y0 - a.y0 <= SNAP / 2.0) {
            let mut chunk = chunk.to_vec();
            chunk.sort_by(|a, b| a.x0.total_cmp(&b.x0));
            for r in chunk {
                match run.last_mut() {
                    Some(last) if r.x0 <= last.x1 + SNAP && (r.y0 - last.y0).abs() <= SNAP => {
                        last.x1 = last.x1.max(r.x1)
                    }
                    _ => run.push(Rule { y1: r.y0, ..r }),
                }
            }
        }
        out.extend(run.iter().map(flip));
    }
    out
}

/// The grids on a page: ruling lines that touch each other form a group; a group with at
/// least two vertical and two horizontal lines is a grid. A page with more than 500 lines
/// once merged (a drawing, not a table) is not read for tables: the grouping compares every
/// pair, and this keeps its cost within a constant of the operators that drew them.
fn grids(rules: &[Rule]) -> Vec<Grid> {
    let rules = merged(rules);
    if rules.len() as u64 > PDF_TABLE_RULES.cap {
        return Vec::new();
    }
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    /// Union-find: the representative of a ruling line's group.
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if touch(&rules[i], &rules[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<Rule>> = HashMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(*rule);
    }
    let mut found: Vec<Grid> = groups.into_values().filter_map(|g| grid(&g)).collect();
    found.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    found
}

/// Two ruling lines touch (cross, meet or overlap), within `SNAP`.
fn touch(a: &Rule, b: &Rule) -> bool {
    a.x0 - SNAP <= b.x1 && b.x0 - SNAP <= a.x1 && a.y0 - SNAP <= b.y1 && b.y0 - SNAP <= a.y1
}

/// The grid of one group of touching ruling lines, with merged cells found where a boundary
/// between neighbouring grid cells is not drawn. `None` if it is no grid, or if the merged
/// cells would not be rectangles.
fn grid(rules: &[Rule]) -> Option<Grid> {
    let vertical: Vec<&Rule> = rules.iter().filter(|r| r.y1 - r.y0 > r.x1 - r.x0).collect();
    let horizontal: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.y1 - r.y0 <= r.x1 - r.x0)
        .collect();
    let xs = snapped(vertical.iter().map(|r| r.x0).collect());
    let ys = snapped(horizontal.iter().map(|r| r.y0).collect());
    if xs.len() < 3 || ys.len() < 2 {
        return None; // at least two columns and a row
    }
    let covers = |lo: f64, hi: f64, a: f64, b: f64| lo <= a + SNAP && hi >= b - SNAP;
    // A vertical line at xs[c] covering row r; a horizontal line at ys[r] covering column c.
    let v_line = |c: usize, r: usize| {
        vertical.iter().any(|l| {
            (l.x0 - xs[c]).abs() <= SNAP * 1.5 && covers(l.y0, l.y1, ys[r] + SNAP, ys[r + 1] - SNAP)
        })
    };
    let h_line = |r: usize, c: usize| {
        horizontal.iter().any(|l| {
            (l.y0 - ys[r]).abs() <= SNAP * 1.5 && covers(l.x0, l.x1, xs[c] + SNAP, xs[c + 1] - SNAP)
        })
    };
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    let root = |parent: &[usize], mut i: usize| {
        while parent[i] != i {
            i = parent[i];
        }
        i
    };
    for r in 0..rows {
        for c in 0..cols {
            let here = root(&parent, r * cols + c);
            if c + 1 < cols && !v_line(c + 1, r) {
                let right = root(&parent, r * cols + c + 1);
                parent[right.max(here)] = right.min(here);
            }
            let here = root(&parent, r * cols + c);
            if r + 1 < rows && !h_line(r + 1, c) {
                let below = root(&parent, (r + 1) * cols + c);
                parent[below.max(here)] = below.min(here);
            }
        }
    }
    let group: Vec<Vec<usize>> = (0..rows)
        .map(|r| (0..cols).map(|c| root(&parent, r * cols + c)).collect())
        .collect();
    rectangular(&group).then_some(Grid { xs, ys, group })
}

/// Every group of grid cells is a rectangle (its bounding box holds only its own cells).
fn rectangular(group: &[Vec<usize>]) -> bool {
    let mut boxes: HashMap<usize, (usize, usize, usize, usize, usize)> = HashMap::new();
    for (r, row) in group.iter().enumerate() {
        for (c, g) in row.iter().enumerate() {
            let b = boxes.entry(*g).or_insert((r, c, r, c, 0));
            *b = (b.0.min(r), b.1.min(c), b.2.max(r), b.3.max(c), b.4 + 1);
        }
    }
    boxes
        .values()
        .all(|&(r0, c0, r1, c1, n)| (r1 - r0 + 1) * (c1 - c0 + 1) == n)
}

/// A cell that holds what the page shows as several cells: two figures on one line far apart,
/// or figures on several lines. A structure tree (Excel tags some cells so) or a grid of
/// ruling lines coarser than the table's cells; not believed, the table is read otherwise.
fn holds_cells(mut glyphs: Vec<&Glyph>, heading_of: &HeadingOf) -> bool {
    glyphs.sort_by(|a, b| a.row.cmp(&b.row).then(a.x0.total_cmp(&b.x0)));
    let lines = lines_of(&glyphs, 0, heading_of);
    let figure = |w: &Word| super::tables::plain_number(&w.text);
    // A line of figures: a figure alone, or figures for half its words (prose that quotes a
    // number or a year is not).
    let of_figures = |l: &Line| {
        let n = l.words.iter().filter(|w| figure(w)).count();
        n >= 1 && 2 * n >= l.words.len()
    };
    // Two figures side by side, nothing between them but a gap wider than the font size.
    let apart = lines.iter().any(|l| {
        of_figures(l)
            && l.words
                .windows(2)
                .any(|w| figure(&w[0]) && figure(&w[1]) && w[1].x0 - w[0].x1 > l.size)
    });
    apart || lines.iter().filter(|l| of_figures(l)).count() >= 2
}

/// The table a grid makes of the glyphs inside it: each grid row, its cells left to right;
/// a merged cell once with its `span`, and `merged_above` where it continues a cell above.
/// `None` when fewer than two cells have text (a box drawn round a paragraph).
fn table_of(grid: &Grid, glyphs: &[&Glyph], page: u32, heading_of: &HeadingOf) -> Option<Table> {
    let mut inside: HashMap<usize, Vec<&Glyph>> = HashMap::new();
    for g in glyphs {
        let (r, c) = grid.cell_at(g.centre());
        inside.entry(grid.group[r][c]).or_default().push(g);
    }
    if inside.len() < 2 || inside.values().any(|g| holds_cells(g.clone(), heading_of)) {
        return None;
    }
    let first_row = glyphs.iter().map(|g| g.row).min()?;
    let cols = grid.xs.len() - 1;
    let mut rows = Vec::new();
    for (r, groups) in grid.group.iter().enumerate() {
        let mut cells = Vec::new();
        let mut c = 0;
        while c < cols {
            let id = groups[c];
            let span = (c..cols).take_while(|&k| groups[k] == id).count();
            let continues = r > 0 && grid.group[r - 1][c] == id;
            let text = inside.get(&id).filter(|_| !continues);
            let lines = text
                .map(|g| lines_of(g, page, heading_of))
                .unwrap_or_default();
            let words = || lines.iter().flat_map(|l| l.words.iter());
            cells.push(Cell {
                text: join_words(words()),
                bold: !lines.is_empty() && words().all(|w| w.bold),
                span,
                merged_above: continues,
            });
            c += span;
        }
        rows.push(cells);
    }
    Some(Table {
        rows,
        origin: Origin::Page {
            page,
            line: first_row as u32 + 1,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// List marks: a number, letter or bullet set apart from the text.

/// Labels that can start a list item: "1", "1.", "1.1", "2.3.1.", "ii.", "a)", "(a)", "(iv)".
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[ivxlc]{1,6}[.)]|[IVXLC]{1,6}[.)]|[a-zA-Z][.)]|\((?:\d{1,3}|[a-zA-Z]|[ivxlc]{1,6})\)|\d{1,3}\))$")
        .expect("a valid pattern")
});

/// The mark a label stands for, if it is one.
fn label(text: &str) -> Option<ListMark> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        let bullet = "•◦▪▫‣⁃∙·●○■□➢➤►✓✔-–—*".contains(c) || ('\u{E000}'..='\u{F8FF}').contains(&c);
        if bullet {
            return Some(ListMark::Bullet);
        }
    }
    NUMBER
        .is_match(text)
        .then(|| ListMark::Number(text.to_string()))
}

/// A line that may begin with a list mark: the mark, where it starts, where the text after
/// it starts, and whether the gap alone proves it set apart (a tab's width).
struct Candidate {
    mark: ListMark,
    x: f64,
    text_x: f64,
    wide: bool,
}

/// The line's first word as a list mark, if it is a label followed by a gap wider than a
/// normal space (0.45 of the font size; a space is about 0.25–0.33).
fn candidate(line: &Line) -> Option<Candidate> {
    let [first, second, ..] = &line.words[..] else {
        return None;
    };
    let mark = label(&first.text)?;
    let gap = second.x0 - first.x1;
    (gap >= 0.45 * line.size).then_some(Candidate {
        mark,
        x: first.x0,
        text_x: second.x0,
        wide: gap >= 0.9 * line.size,
    })
}

/// Which lines of a page begin with a list mark set apart: a candidate whose gap is a tab's
/// width, or whose text start is shared by another candidate on the page (items aligned on a
/// tab stop), or whose next line hangs at its text start.
fn confirmed_marks(lines: &[Line]) -> Vec<Option<Candidate>> {
    let candidates: Vec<Option<Candidate>> = lines.iter().map(candidate).collect();
    let mut starts: Vec<f64> = candidates.iter().flatten().map(|c| c.text_x).collect();
    starts.sort_by(f64::total_cmp);
    // How many candidates start their text within 1pt of x (a sorted search, not a scan).
    let near = |x: f64| {
        starts.partition_point(|s| *s < x + 1.0) - starts.partition_point(|s| *s <= x - 1.0)
    };
    let mut out = Vec::with_capacity(lines.len());
    for (i, found) in candidates.into_iter().enumerate() {
        let confirmed = found.filter(|c| {
            let shared = near(c.text_x) > 1;
            let hangs = lines.get(i + 1).is_some_and(|next| {
                (next.x0() - c.text_x).abs() < 1.0
                    && next.base - lines[i].base < 2.0 * lines[i].size
            });
            c.wide || shared || hangs
        });
        out.push(confirmed);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Unruled tables: consecutive lines that share column gutters.

/// Where unruled tables are among a page's lines: (first line, line count, column count).
/// A run of three to two hundred lines, none a list item, each split by gaps wider than the font
/// size into the same number (two or more) of short segments (at most eight words), whose
/// columns never overlap: between each pair of neighbouring columns a gutter is empty on every
/// line. Anything less certain stays paragraphs, so no figure can land in a wrong column.
fn unruled_tables(lines: &[Line], marks: &[Option<Candidate>]) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let n = columns(&lines[i], &marks[i]);
        let mut end = i + 1;
        while n >= 2
            && end < lines.len()
            && end - i < 200
            && columns(&lines[end], &marks[end]) == n
            && lines[end].base - lines[end - 1].base < 2.5 * lines[end].size
            && gutters_clear(&lines[i..=end], n)
        {
            end += 1;
        }
        if n >= 2 && end - i >= 3 {
            found.push((i, end - i, n));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// The number of column segments of a line fit for an unruled table, 0 if it is not fit.
fn columns(line: &Line, mark: &Option<Candidate>) -> usize {
    let segments = line.segments(1.0);
    if mark.is_some() || segments.iter().any(|s| s.len() > 8) {
        return 0;
    }
    segments.len()
}

/// Every pair of neighbouring columns has an empty gutter across all the lines.
fn gutters_clear(lines: &[Line], n: usize) -> bool {
    let segments: Vec<Vec<&[Word]>> = lines.iter().map(|l| l.segments(1.0)).collect();
    (0..n - 1).all(|k| {
        let right_of_k = segments
            .iter()
            .map(|s| s[k][s[k].len() - 1].x1)
            .fold(f64::MIN, f64::max);
        let left_of_next = segments
            .iter()
            .map(|s| s[k + 1][0].x0)
            .fold(f64::MAX, f64::min);
        left_of_next - right_of_k > 0.5 * lines[0].size
    })
}

/// The tables among a page's lines: (first line, line count, table). Tables of figures that
/// line up (`aligned`) first; then label/value grids and unruled tables where none is; where
/// those two overlap, a grid in which a value wraps wins (an unruled table cannot hold it),
/// else the unruled table.
fn tables_among(
    lines: &[Line],
    marks: &[Option<Candidate>],
    panels: &[Rule],
    page: u32,
) -> Vec<(usize, usize, Table)> {
    let overlap = |(s, n): (usize, usize), (a, m): (usize, usize)| s < a + m && a < s + n;
    let mut tables = aligned::aligned_tables(lines, marks, panels, page);
    let taken: Vec<(usize, usize)> = tables.iter().map(|t| (t.0, t.1)).collect();
    let free = |span: (usize, usize)| !taken.iter().any(|t| overlap(*t, span));
    let unruled: Vec<(usize, usize)> = unruled_tables(lines, marks)
        .into_iter()
        .map(|(s, n, _)| (s, n))
        .filter(|u| free(*u))
        .collect();
    let grids: Vec<labels::LabelGrid> = labels::label_grids(lines, marks, page)
        .into_iter()
        .filter(|g| free((g.start, g.count)))
        .filter(|g| g.wraps || !unruled.iter().any(|u| overlap(*u, (g.start, g.count))))
        .collect();
    tables.extend(
        unruled
            .into_iter()
            .filter(|u| !grids.iter().any(|g| overlap(*u, (g.start, g.count))))
            .map(|(s, n)| (s, n, unruled_table(&lines[s..s + n], page))),
    );
    tables.extend(grids.into_iter().map(|g| (g.start, g.count, g.table)));
    tables.sort_by_key(|t| t.0);
    tables
}

/// An unruled table from lines already checked: one row per line, one cell per segment.
fn unruled_table(lines: &[Line], page: u32) -> Table {
    let rows = lines
        .iter()
        .map(|line| {
            line.segments(1.0)
                .into_iter()
                .map(|s| Cell {
                    text: join_words(s.iter()),
                    bold: s.iter().all(|w| w.bold),
                    span: 1,
                    merged_above: false,
                })
                .collect()
        })
        .collect();
    Table {
        rows,
        origin: Origin::Page {
            page,
            line: lines[0].row as u32 + 1,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Paragraphs: lines joined by vertical gap, font, indentation and whether the line before
// was full.

/// A paragraph number typed against its first word: "10.Regarding", "4.2.Each".
static GLUED_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,3}(?:\.\d{1,3})*\.)(\p{Lu}.*)$").expect("a valid pattern")
});

/// A paragraph being built from lines.
struct Building {
    lines: Vec<Line>,
    mark: Option<Candidate>,
    /// Where the second and later lines start, once known.
    continues_at: Option<f64>,
}

/// What a page's lines say about its layout: the right edge of its text (the widest line's
/// end) and the largest pitch between two lines of one paragraph, as a multiple of the font
/// size (1.5, or more where the page's wrapped lines are further apart: 1.5 line spacing).
/// Lines inside a shaded panel that holds only some of them wrap at the panel's own right
/// edge (the widest of its lines' ends).
struct Measure {
    right: f64,
    max_pitch: f64,
    /// Shaded panels with the right edge of the lines inside.
    panels: Vec<(Rule, f64)>,
}

/// The line lies inside the rectangle.
fn inside(line: &Line, r: &Rule) -> bool {
    line.x0() >= r.x0 - 1.0 && line.x1() <= r.x1 + 1.0 && line.base > r.y0 && line.base < r.y1
}

impl Measure {
    /// Measures a region's lines, within the page's shaded panels.
    fn of(lines: &[Line], panels: &[Rule]) -> Measure {
        let right = lines.iter().map(Line::x1).fold(f64::MIN, f64::max);
        let panels = panels
            .iter()
            .filter_map(|p| {
                let within: Vec<&Line> = lines.iter().filter(|l| inside(l, p)).collect();
                let edge = within.iter().map(|l| l.x1()).fold(f64::MIN, f64::max);
                (!within.is_empty() && within.len() < lines.len()).then_some((*p, edge))
            })
            .collect();
        let leading = median(lines.windows(2).filter_map(|w| {
            let pitch = (w[1].base - w[0].base) / w[0].size;
            let same = (w[1].size - w[0].size).abs() < 0.15 * w[0].size;
            (same && pitch > 0.0 && wrapped(&w[0], &w[1], right)).then_some(pitch)
        }));
        Measure {
            right,
            max_pitch: (leading * 1.2).clamp(1.5, 3.0),
            panels,
        }
    }

    /// The right edge a line wraps at: its panel's, else the region's.
    fn right_of(&self, line: &Line) -> f64 {
        self.panels
            .iter()
            .find(|(p, _)| inside(line, p))
            .map_or(self.right, |(_, edge)| *edge)
    }
}

/// Whether `last` was wrapped before `next`: it ends so near the right edge that the next
/// line's first word would not have fitted after it. A line that ends short was not wrapped,
/// so its paragraph ended there.
fn wrapped(last: &Line, next: &Line, right: f64) -> bool {
    let size = last.size.max(next.size);
    let first_word = next.words[0].x1 - next.words[0].x0;
    last.x1() + 0.35 * size + first_word > right - 0.5 * size
}

/// Whether `next` continues the paragraph being built: close below the last line, in the
/// same size, weight and heading, after a wrapped line, and aligned with the paragraph's
/// continuation lines (for a list item: its text or its mark).
fn continues(para: &Building, next: &Line, measure: &Measure) -> bool {
    let last = &para.lines[para.lines.len() - 1];
    let size = last.size.max(next.size);
    let pitch = next.base - last.base;
    let same_look = (next.size - last.size).abs() < 0.15 * size
        && next.bold() == last.bold()
        && next.heading() == last.heading();
    let first = &para.lines[0];
    let aligned = match (para.continues_at, &para.mark) {
        (Some(x), _) => (next.x0() - x).abs() < 1.5,
        (None, Some(m)) => (next.x0() - m.text_x).abs() < 1.5 || (next.x0() - m.x).abs() < 1.5,
        (None, None) => next.x0() < first.x0() + 1.5,
    };
    pitch > 0.0
        && pitch < measure.max_pitch * size
        && same_look
        && wrapped(last, next, measure.right_of(last))
        && aligned
}

/// A finished paragraph as a block: the mark taken off the text; bold when every word of
/// the text is bold; the heading level when every word is in the same heading.
fn paragraph(para: Building, page: u32) -> (Paragraph, Option<f64>) {
    let skip = usize::from(para.mark.is_some());
    let words: Vec<&Word> = para
        .lines
        .iter()
        .flat_map(|l| l.words.iter())
        .skip(skip)
        .collect();
    let heading = words
        .first()
        .and_then(|w| w.heading)
        .filter(|h| words.iter().all(|w| w.heading == Some(*h)));
    let mark_x = para.mark.as_ref().map(|m| m.x);
    let mut mark = para.mark.map(|m| m.mark);
    let mut text = join_words(words.iter().copied());
    // A number glued to its text ("10.Regarding …"): the number is the paragraph's mark.
    if mark.is_none() {
        if let Some(c) = GLUED_NUMBER.captures(&text) {
            let (number, rest) = (c[1].to_string(), c[2].to_string());
            mark = Some(ListMark::Number(number));
            text = rest;
        }
    }
    let paragraph = Paragraph {
        mark,
        level: 0,
        text,
        bold: !words.is_empty() && words.iter().all(|w| w.bold),
        heading,
        origin: Origin::Page {
            page,
            line: para.lines[0].row as u32 + 1,
        },
    };
    (paragraph, mark_x)
}

/// A page's lines (outside ruled tables) as paragraphs and unruled tables, each with the
/// x of its list mark (for levels) where it has one; `panels` are the page's shaded panels.
fn flow(lines: Vec<Line>, page: u32, panels: &[Rule]) -> Vec<(Block, Option<f64>)> {
    let marks = confirmed_marks(&lines);
    let tables = tables_among(&lines, &marks, panels, page);
    let measure = Measure::of(&lines, panels);
    let mut blocks = Vec::new();
    let mut building: Option<Building> = None;
    let mut marks = marks.into_iter();
    let mut i = 0;
    while i < lines.len() {
        let mark = marks.next().flatten();
        if let Some((_, count, table)) = tables.iter().find(|t| t.0 == i) {
            let count = *count;
            blocks.extend(
                building
                    .take()
                    .map(|b| paragraph(b, page))
                    .map(|(p, x)| (Block::Paragraph(p), x)),
            );
            blocks.push((Block::Table(table.clone()), None));
            marks.nth(count - 2);
            i += count;
            continue;
        }
        let line = lines[i].clone();
        match building.as_mut() {
            Some(b) if mark.is_none() && continues(b, &line, &measure) => {
                b.continues_at.get_or_insert(line.x0());
                b.lines.push(line);
            }
            _ => {
                blocks.extend(
                    building
                        .take()
                        .map(|b| paragraph(b, page))
                        .map(|(p, x)| (Block::Paragraph(p), x)),
                );
                building = Some(Building {
                    lines: vec![line],
                    mark,
                    continues_at: None,
                });
            }
        }
        i += 1;
    }
    blocks.extend(
        building
            .take()
            .map(|b| paragraph(b, page))
            .map(|(p, x)| (Block::Paragraph(p), x)),
    );
    blocks
}

// ---------------------------------------------------------------------------------------------
// Pages to a document.

/// Every page's blocks in reading order, list levels set from the marks' indentation across
/// the document (the leftmost marks are level 0). Page furniture is dropped first, and the
/// tables the structure tree gives are taken out of the pages (each goes where its first row
/// is).
fn lay_out(mut pages: Vec<PageInk>, marked: &Marked) -> (Vec<Block>, usize, Vec<(Origin, String)>) {
    for page in &mut pages {
        number_rows(&mut page.glyphs);
    }
    furniture::drop_furniture(&mut pages, &|page, mcid| {
        mcid >= 0 && ((marked.cell)(page, mcid).is_some() || (marked.heading)(page, mcid).is_some())
    });
    let (furniture, unread) = accounted(&pages);
    let tables = tagged_tables::take_tables(&mut pages, marked);
    let mut blocks: Vec<(Block, Option<f64>)> = Vec::new();
    for page in pages {
        blocks.extend(lay_out_page(page, marked.heading));
    }
    let blocks = place_tables(blocks, tables);
    let indents = snapped(blocks.iter().filter_map(|b| b.1).collect());
    let blocks = blocks
        .into_iter()
        .map(|(mut block, x)| {
            if let (Block::Paragraph(p), Some(x)) = (&mut block, x) {
                let level = indents.partition_point(|i| *i < x - SNAP * 1.5);
                p.level = u8::try_from(level).unwrap_or(u8::MAX);
            }
            block
        })
        .collect();
    (blocks, furniture, unread)
}

/// Tagged tables put among the blocks, each before the first block that comes after it on the
/// page (`origin`). Found by a search of the blocks' running greatest origin, which rises as
/// the blocks go (a page read in two columns goes back up), so the cost is n log n, not the
/// blocks times the tables.
fn place_tables(
    blocks: Vec<(Block, Option<f64>)>,
    tables: Vec<Table>,
) -> Vec<(Block, Option<f64>)> {
    let mut highest: Vec<&Origin> = Vec::with_capacity(blocks.len());
    for (block, _) in &blocks {
        let origin = block.origin();
        highest.push(match highest.last() {
            Some(h) if *h >= origin => h,
            _ => origin,
        });
    }
    let mut at: Vec<(usize, Table)> = tables
        .into_iter()
        .map(|t| (highest.partition_point(|h| **h <= t.origin), t))
        .collect();
    at.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.origin.cmp(&b.1.origin)));
    let mut out = Vec::with_capacity(blocks.len() + at.len());
    let mut tables = at.into_iter().peekable();
    for (i, block) in blocks.into_iter().enumerate() {
        while let Some((_, table)) = tables.next_if(|(k, _)| *k == i) {
            out.push((Block::Table(table), None));
        }
        out.push(block);
    }
    out.extend(tables.map(|(_, t)| (Block::Table(t), None)));
    out
}

/// One page, its glyphs numbered into rows: ruled tables first (their glyphs taken out of
/// the flow), then the remaining lines as paragraphs and unruled tables, all in order of their
/// first line.
fn lay_out_page(page: PageInk, heading_of: &HeadingOf) -> Vec<(Block, Option<f64>)> {
    let grids = grids(&page.rules);
    let mut in_grid: Vec<Vec<&Glyph>> = vec![Vec::new(); grids.len()];
    let mut free: Vec<&Glyph> = Vec::new();
    for g in &page.glyphs {
        match grids.iter().position(|grid| grid.contains(g.centre())) {
            Some(k) => in_grid[k].push(g),
            None => free.push(g),
        }
    }
    let mut blocks = Vec::new();
    let outside: std::collections::HashSet<usize> = free.iter().map(|g| g.row).collect();
    for (grid, glyphs) in grids.iter().zip(&in_grid) {
        // A grid most of whose lines go on outside it (labels left of ruled figures) is part
        // of a larger table, read whole from its lines.
        let mut rows: Vec<usize> = glyphs.iter().map(|g| g.row).collect();
        rows.sort_unstable();
        rows.dedup();
        let partial = 2 * rows.iter().filter(|r| outside.contains(r)).count() > rows.len();
        match table_of(grid, glyphs, page.number, heading_of).filter(|_| !partial) {
            Some(table) => blocks.push((Block::Table(table), None)),
            None => free.extend(glyphs.iter().copied()),
        }
    }
    free.sort_by(|a, b| a.row.cmp(&b.row).then(a.x0.total_cmp(&b.x0)));
    let mut flowed = Vec::new();
    for (lines, offset) in regions(lines_of(&free, page.number, heading_of)) {
        let blocks = flow(lines, page.number, &page.panels);
        flowed.extend(blocks.into_iter().map(|(b, x)| (b, x.map(|x| x - offset))));
    }
    // A ruled table goes before the first block that starts below it.
    for table in blocks {
        let at = flowed.iter().position(|b| b.0.origin() > table.0.origin());
        flowed.insert(at.unwrap_or(flowed.len()), table);
    }
    flowed
}

// ---------------------------------------------------------------------------------------------
// Two columns: where a page's lines share a gutter, each column is read in turn.

/// A page's lines as regions read one after another, each with the x its list marks are
/// measured from (0 for the full width): full-width runs as they are, and where lines are set
/// in two columns, the left column's halves and then the right's, the right's marks measured
/// from the gutter (so its lists get the same levels as the left's).
fn regions(lines: Vec<Line>) -> Vec<(Vec<Line>, f64)> {
    let Some((lo, hi)) = gutter(&lines) else {
        return vec![(lines, 0.0)];
    };
    let left_edge = lines.iter().map(Line::x0).fold(f64::MAX, f64::min);
    let crosses = |l: &Line| l.words.iter().any(|w| w.x0 < hi && w.x1 > lo);
    let mut regions = Vec::new();
    let mut full: Vec<Line> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let end = i + lines[i..].iter().take_while(|l| !crosses(l)).count();
        let run = &lines[i..end];
        if run.iter().any(|l| two_sided(l).is_some()) {
            if !full.is_empty() {
                regions.push((std::mem::take(&mut full), 0.0));
            }
            let half = |left: bool| -> Vec<Line> {
                run.iter()
                    .filter_map(|l| half_line(l, (lo + hi) / 2.0, left))
                    .collect()
            };
            regions.push((half(true), 0.0));
            regions.push((half(false), hi - left_edge));
            i = end;
        } else {
            let end = end.max(i + 1);
            full.extend(lines[i..end].iter().cloned());
            i = end;
        }
    }
    if !full.is_empty() {
        regions.push((full, 0.0));
    }
    regions.retain(|r| !r.0.is_empty());
    regions
}

/// A line of prose on both sides of a wide gap: exactly two segments (gaps wider than the
/// font size), each of five words or more (table cells are shorter). The gap, if so.
fn two_sided(line: &Line) -> Option<(f64, f64)> {
    match &line.segments(1.0)[..] {
        [left, right] if left.len() >= 5 && right.len() >= 5 => {
            Some((left[left.len() - 1].x1, right[0].x0))
        }
        _ => None,
    }
}

/// The gutter of a two-column page: the gap that at least three two-sided lines share, at
/// least half the font size wide. `None` for a page in one column.
fn gutter(lines: &[Line]) -> Option<(f64, f64)> {
    let gaps: Vec<(f64, f64)> = lines.iter().filter_map(two_sided).collect();
    let lo = gaps.iter().map(|g| g.0).fold(f64::MIN, f64::max);
    let hi = gaps.iter().map(|g| g.1).fold(f64::MAX, f64::min);
    let size = median(lines.iter().map(|l| l.size));
    (gaps.len() >= 3 && hi - lo >= 0.5 * size).then_some((lo, hi))
}

/// The words of a line on one side of the gutter, as a line of their own.
fn half_line(line: &Line, middle: f64, left: bool) -> Option<Line> {
    let words: Vec<Word> = line
        .words
        .iter()
        .filter(|w| ((w.x0 + w.x1) / 2.0 < middle) == left)
        .cloned()
        .collect();
    (!words.is_empty()).then(|| Line {
        words,
        ..line.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::time::{Duration, Instant};

    pub(super) const DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/pdf-reader/"
    );

    fn bytes(name: &str) -> Vec<u8> {
        std::fs::read(format!("{DIR}{name}")).expect("the fixture")
    }

    fn read(name: &str) -> Result<Document, ImportError> {
        read_pdf(&bytes(name))
    }

    /// A paragraph on page 1 at `line`.
    fn para(line: u32, mark: Option<&str>, level: u8, text: &str) -> Block {
        let mark = mark.map(|m| match m {
            "•" => ListMark::Bullet,
            m => ListMark::Number(m.to_string()),
        });
        Block::Paragraph(Paragraph {
            mark,
            level,
            text: text.to_string(),
            bold: false,
            heading: None,
            origin: Origin::Page { page: 1, line },
        })
    }

    /// The same paragraph, bold, with a heading level.
    fn titled(block: Block, heading: Option<u8>) -> Block {
        match block {
            Block::Paragraph(p) => Block::Paragraph(Paragraph {
                bold: true,
                heading,
                ..p
            }),
            table => table,
        }
    }

    /// A cell: "^" continues the cell above; "*text" is bold; "text|2" spans two columns.
    fn cell(spec: &str) -> Cell {
        let (spec, span) = match spec.rsplit_once('|') {
            Some((text, span)) => (text, span.parse().expect("a span")),
            None => (spec, 1),
        };
        let bold = spec.starts_with('*');
        Cell {
            text: spec.trim_start_matches(['*', '^']).to_string(),
            bold,
            span,
            merged_above: spec == "^",
        }
    }

    fn table(line: u32, rows: &[&[&str]]) -> Block {
        Block::Table(Table {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| cell(c)).collect())
                .collect(),
            origin: Origin::Page { page: 1, line },
        })
    }

    /// The blocks of simple.typ: tagged, the title is a heading.
    fn simple_blocks(heading: Option<u8>) -> Vec<Block> {
        vec![
            titled(para(1, None, 0, "Budget report"), heading),
            para(2, None, 0, "This report asks the Cabinet Member to agree the final budget for the library service in 2026–27. The cost is £1,240,000.00 in total."),
            para(4, None, 0, "Second paragraph."),
            para(5, Some("1"), 0, "Agree the budget."),
            para(6, Some("2"), 0, "Note the risks:"),
            para(7, Some("2.1"), 1, "staffing"),
            para(8, Some("2.2"), 1, "buildings"),
            para(9, Some("•"), 0, "First point"),
            para(10, Some("•"), 0, "Second point"),
            table(11, &[
                &["*Item", "*2025–26", "*2026–27"],
                &["Staff", "£860,400.00", "£900,000.00"],
                &["Buildings and running costs", "£120,000.00", "£130,000.00"],
                &["^", "£10,000.00", "£12,500.00"],
                &["Total|2", "£1,042,500.00"],
            ]),
        ]
    }

    /// The blocks of word.fodt through Word format and LibreOffice; tagged, the title is H1.
    fn word_blocks(heading: Option<u8>) -> Vec<Block> {
        vec![
            titled(para(1, None, 0, "Financial implications"), heading),
            para(2, None, 0, "The library service will cost £1,240,000.00 in 2026–27, which is more than last year because of the new building at Ashford and the staff who will run it."),
            para(4, Some("1."), 0, "Agree the budget for the library service."),
            para(5, Some("1.1"), 1, "Note the cost of staff, which rises with the pay award agreed nationally for 2026–27 and the new posts."),
            para(7, Some("1.2"), 1, "Note the cost of buildings."),
            para(8, Some("2."), 0, "Delegate the detail to the Director."),
            para(9, Some("2.1"), 1, "Report back in March."),
            para(10, None, 0, "The risks are:"),
            para(11, Some("i."), 0, "staffing;"),
            para(12, Some("ii."), 0, "buildings;"),
            para(13, Some("iii."), 0, "income."),
            table(14, &[
                &["*Item", "*2025–26", "*2026–27"],
                &["Staff, including the new posts at Ashford and Dover", "£860,400.00", "£900,000.00"],
                &["Buildings", "£120,000.00", "£130,000.00"],
                &["^", "£10,000.00", "£210,000.00"],
                &["*Total|2", "*£1,240,000.00"],
            ]),
            para(20, None, 0, "Contact: Jo Bloggs."),
        ]
    }

    #[test]
    fn word_export_through_libreoffice_keeps_list_numbers_and_every_money_cell() {
        let doc = read("word.pdf").expect("readable");
        assert_eq!(doc.format, Format::UntaggedPdf);
        assert_eq!(doc.blocks, word_blocks(None));
    }

    #[test]
    fn tagged_libreoffice_export_reads_the_same_with_its_heading() {
        let doc = read("word-tagged.pdf").expect("readable");
        assert_eq!(doc.format, Format::TaggedPdf);
        assert_eq!(doc.blocks, word_blocks(Some(1)));
    }

    #[test]
    fn one_and_a_half_line_spacing_keeps_paragraphs_whole() {
        let doc = read("spaced.pdf").expect("readable");
        let expected = vec![
            para(1, None, 0, "The Cabinet Member is asked to agree the budget for the library service for 2026–27, which is £1,240,000.00 in total, and to note that it is more than last year because of the new building."),
            para(3, None, 0, "A second paragraph that also wraps over more than one line of the page, so that the reader has to tell paragraphs apart without any space between them."),
            para(5, None, 0, "A short one."),
            para(6, Some("1."), 0, "A numbered item whose text is long enough to wrap onto a second line, hanging under its own text and not under its number."),
            para(8, Some("2."), 0, "Another item."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn tagged_typst_pdf_takes_headings_from_the_structure_tree() {
        let doc = read("simple-tagged.pdf").expect("readable");
        assert_eq!(doc.format, Format::TaggedPdf);
        assert_eq!(doc.blocks, simple_blocks(Some(1)));
    }

    #[test]
    fn untagged_typst_pdf_reads_the_same_but_only_bold_for_the_title() {
        let doc = read("simple-untagged.pdf").expect("readable");
        assert_eq!(doc.format, Format::UntaggedPdf);
        assert_eq!(doc.blocks, simple_blocks(None));
    }

    #[test]
    fn owner_password_only_pdf_opens_with_the_empty_password() {
        let doc = read("owner-only.pdf").expect("readable");
        assert_eq!(doc.blocks, simple_blocks(None));
    }

    #[test]
    fn password_protected_pdf_is_refused() {
        assert_eq!(read("encrypted.pdf"), Err(ImportError::Encrypted));
    }

    #[test]
    fn scanned_pdf_without_text_is_refused() {
        assert_eq!(read("scanned.pdf"), Err(ImportError::NoText));
    }

    #[test]
    fn what_is_not_a_pdf_or_is_cut_short_is_malformed() {
        let malformed =
            |r: Result<Document, ImportError>| matches!(r, Err(ImportError::Malformed(_)));
        assert!(malformed(read_pdf(b"")));
        assert!(malformed(read("simple.typ")));
        assert!(malformed(read_pdf(b"%PDF-1.7\n%%EOF\n")));
        let pdf = bytes("word.pdf");
        assert!(malformed(read_pdf(&pdf[..pdf.len() / 3])));
    }

    #[test]
    fn unruled_table_from_shared_gutters_and_doubtful_lines_stay_paragraphs() {
        let doc = read("unruled.pdf").expect("readable");
        let expected = vec![
            para(1, None, 0, "Costs by year:"),
            table(
                2,
                &[
                    &["Item", "2025–26", "2026–27"],
                    &["Staff", "£860,400.00", "£900,000.00"],
                    &["Buildings", "£120,000.00", "£130,000.00"],
                    &["Total", "£980,400.00", "£1,030,000.00"],
                ],
            ),
            para(6, None, 0, "After the table."),
            para(7, None, 0, "Ashford £1,000.00"),
            para(8, None, 0, "Dover and Deal £2,000.00"),
            para(9, None, 0, "together"),
            para(10, None, 0, "Folkestone £3,000.00"),
        ];
        assert_eq!(doc.blocks, expected);
    }

    /// Lines of one sentence each, their words and figures only a word space apart, line up
    /// word for word when they differ only in digits (Helvetica's are all one width): they
    /// are prose, never a table of six columns.
    #[test]
    fn sentences_that_line_up_word_for_word_are_no_table() {
        use crate::import::hostile::{text_content, RawPdf};
        let mut pdf = RawPdf::new();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> >>");
        pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
        pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        let mut content = text_content("Spending");
        for k in 10..16 {
            let y = 700 - 14 * (k - 10);
            content.extend(
                format!(" BT /F1 10 Tf 72 {y} Td (1.{k} The council will spend \\243{k}4,321 on item {k} of section 1.) Tj ET")
                    .into_bytes(),
            );
        }
        pdf.add(RawPdf::stream("", &content));
        let doc = read_pdf(&pdf.bytes()).expect("readable");
        assert!(
            !doc.blocks.iter().any(|b| matches!(b, Block::Table(_))),
            "{:#?}",
            doc.blocks
        );
        let text: String = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains("£124,321 on item 12 of section 1."), "{text}");
    }

    #[test]
    fn ten_pages_are_read_in_well_under_a_second() {
        let pdf = bytes("long.pdf");
        let start = Instant::now();
        let doc = read_pdf(&pdf).expect("readable");
        let took = start.elapsed();
        println!("long.pdf (10 pages): {took:?}");
        let headings = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph(p) if p.heading == Some(1)))
            .count();
        let items = doc
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Paragraph(p) if p.mark.is_some()))
            .count();
        let tables: Vec<&Table> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!((headings, items, tables.len()), (10, 50, 10));
        assert!(tables
            .iter()
            .all(|t| t.rows.len() == 6 && t.rows[5][2].text == "£5500,500.00"));
        let pages: HashSet<u32> = doc
            .blocks
            .iter()
            .map(|b| match b.origin() {
                Origin::Page { page, .. } => *page,
                _ => 0,
            })
            .collect();
        assert_eq!(pages.len(), 10);
        assert!(took < Duration::from_secs(3), "took {took:?}");
    }

    /// A small seeded generator (xorshift), so the mutations are the same on every run.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn random_mutations_never_panic_nor_hang() {
        let start = Instant::now();
        let mut seed = 0x5eed_c1e2_u64;
        let mut outcomes: HashMap<String, usize> = HashMap::new();
        for name in ["word.pdf", "word-uncompressed.pdf", "simple-tagged.pdf"] {
            let original = bytes(name);
            for round in 0..150 {
                let mut pdf = original.clone();
                let flips = 1 + xorshift(&mut seed) % 16;
                for _ in 0..flips {
                    let at = (xorshift(&mut seed) % pdf.len() as u64) as usize;
                    pdf[at] = xorshift(&mut seed) as u8;
                }
                if round % 10 == 0 {
                    pdf.truncate((xorshift(&mut seed) % pdf.len() as u64) as usize);
                }
                let outcome = match read_pdf(&pdf) {
                    Ok(_) => "read".to_string(),
                    Err(ImportError::Malformed(why)) if why.contains("could not be read (") => {
                        "caught".into()
                    }
                    Err(e) => format!("{e:?}").chars().take(50).collect(),
                };
                *outcomes.entry(outcome).or_default() += 1;
            }
        }
        println!("{outcomes:#?}");
        assert!(
            outcomes.get("read").is_some_and(|n| *n > 10),
            "{outcomes:?}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "took {:?}",
            start.elapsed()
        );
    }

    /// A PDF whose one object nests `depth` arrays: a parser that recurses without a limit
    /// would overflow the stack (an abort, which no `catch_unwind` catches).
    fn nested(depth: usize) -> Vec<u8> {
        let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
        pdf.extend(
            format!("2 0 obj\n<< /Type /Pages /Kids [] /Count 0 /X {body} >>\nendobj\n").bytes(),
        );
        pdf.extend(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        pdf
    }

    #[test]
    fn deeply_nested_objects_are_refused_not_a_crash() {
        let answer = read_pdf(&nested(200_000));
        assert!(
            matches!(answer, Err(ImportError::Malformed(_))),
            "{answer:?}"
        );
    }

    /// A one-page PDF built with lopdf: Helvetica text "Hi £5", and a form XObject /X that
    /// the page draws; `cyclic` makes the form draw itself.
    fn built(cyclic: bool) -> Vec<u8> {
        use lopdf::{dictionary, Stream};
        let mut pdf = lopdf::Document::with_version("1.7");
        let pages = pdf.new_object_id();
        let form = pdf.new_object_id();
        let font = pdf.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
            "Encoding" => "WinAnsiEncoding",
        });
        let inner = if cyclic { &b"/X Do"[..] } else { &b"q Q"[..] };
        let resources = dictionary! {
            "Font" => dictionary! { "F1" => font },
            "XObject" => dictionary! { "X" => form },
        };
        let mut stream = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form" },
            inner.to_vec(),
        );
        stream.dict.set("Resources", resources.clone());
        pdf.objects.insert(form, Object::Stream(stream));
        let text = b"BT /F1 12 Tf 72 700 Td (Hi \xa35) Tj ET /X Do".to_vec();
        let content = pdf.add_object(Stream::new(dictionary! {}, text));
        let page = pdf.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => content,
            "Resources" => resources, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        pdf.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        pdf.trailer.set("Root", catalog);
        let mut out = Vec::new();
        pdf.save_to(&mut out).expect("saved");
        out
    }

    #[test]
    fn a_form_that_draws_itself_is_refused_not_a_stack_overflow() {
        let plain = read_pdf(&built(false)).expect("readable");
        let hi = titled(para(1, None, 0, "Hi £5"), None);
        assert_eq!(plain.blocks, vec![hi]);
        let answer = read_pdf(&built(true));
        assert_eq!(
            answer,
            Err(ImportError::Malformed(
                "a form in the PDF draws itself".into()
            ))
        );
    }

    #[test]
    fn text_after_an_even_odd_fill_is_read() {
        // Excel fills its cell shading with `f*`, which pdf-extract does not paint: the path
        // grew on and the marker closing the artifact was lost with it, and every character
        // after it was taken for page furniture.
        let mut pdf = crate::import::hostile::RawPdf::new();
        pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
        pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> >>");
        pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
        pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        let content = b"/Artifact BMC 0 0 10 10 re f* 20 0 10 10 re B* EMC BT /F1 12 Tf 72 700 Td (Shaded) Tj ET";
        pdf.add(crate::import::hostile::RawPdf::stream("", content));
        let doc = read_pdf(&pdf.bytes()).expect("read");
        assert_eq!(doc.blocks, vec![para(1, None, 0, "Shaded")]);
    }

    #[test]
    fn work_beyond_the_budget_is_refused() {
        let word = bytes("word.pdf");
        let (mut pdf, mut budgets) = load(&word).expect("loads");
        pagetree::flatten(&mut pdf, word.len()).expect("a tree");
        streams::decode_all(&mut pdf, &mut budgets.decoded).expect("decoded");
        plant(&mut pdf, word.len(), &mut budgets.decoded).expect("planted");
        match collect(&pdf, 100) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "pdf-operators"),
            other => panic!("{:?}", other.map(|p| p.len())),
        }
        // A form of a thousand operators drawn ten thousand times, in a file of 60 KB.
        let drawn = crate::import::hostile::pdf_form_drawn(1_000, 10_000);
        assert!(drawn.len() < 100_000, "{} bytes", drawn.len());
        match read_pdf(&drawn) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "pdf-operators"),
            other => panic!("{other:?}"),
        }
        assert!(read_pdf(&crate::import::hostile::pdf_form_drawn(1_000, 10)).is_ok());
    }

    #[test]
    fn labels_are_numbers_letters_romans_and_bullets_only() {
        for text in [
            "1", "1.", "1.1", "2.3.1.", "ii.", "iv)", "(a)", "(iv)", "a.", "B)", "10)",
        ] {
            assert_eq!(label(text), Some(ListMark::Number(text.into())), "{text}");
        }
        for text in ["•", "-", "▪", "–", "\u{F0B7}"] {
            assert_eq!(label(text), Some(ListMark::Bullet), "{text}");
        }
        for text in [
            "£1,000.00",
            "2025",
            "1,000",
            "Item",
            "ii",
            "(ab)",
            "1.1.a",
            "",
        ] {
            assert_eq!(label(text), None, "{text}");
        }
    }

    #[test]
    fn glyph_text_is_cleaned() {
        assert_eq!(clean_glyph("\u{FB01}"), "fi");
        assert_eq!(clean_glyph("\u{FB02}"), "fl");
        assert_eq!(clean_glyph("\u{AD}"), "\u{AD}");
        assert_eq!(clean_glyph("\u{A0}"), "");
        assert_eq!(clean_glyph("£"), "£");
    }

    #[test]
    fn soft_hyphens_are_dropped_and_join_a_broken_word_but_hard_hyphens_stay() {
        let word = |text: &str| Word {
            text: text.into(),
            x0: 0.0,
            x1: 1.0,
            bold: false,
            heading: None,
        };
        let words = [
            word("para\u{AD}"),
            word("graph"),
            word("in\u{AD}line"),
            word("well-"),
            word("known"),
        ];
        assert_eq!(join_words(words.iter()), "paragraph inline well- known");
    }

    /// A paragraph on `page` at `line`.
    fn para_on(page: u32, line: u32, text: &str) -> Block {
        match para(line, None, 0, text) {
            Block::Paragraph(p) => Block::Paragraph(Paragraph {
                origin: Origin::Page { page, line },
                ..p
            }),
            table => table,
        }
    }

    #[test]
    fn tagged_typst_table_with_rules_between_rows_keeps_every_cell_in_its_column() {
        // Horizontal rules only; an empty cell, a row span and a column span. The running
        // header and the footer are artifacts, and are not read.
        let doc = read("typst-table.pdf").expect("readable");
        assert_eq!(doc.format, Format::TaggedPdf);
        let expected = vec![
            para(1, None, 0, "Costs by year:"),
            table(
                2,
                &[
                    &["*Contract", "*Provider", "*Cost"],
                    &["A. Young Carers", "Imago", "£325,484.88"],
                    &["C. Family Support", "Porchlight", "£1,240,000.00"],
                    &["^", "Project Salus", "£860,400.00"],
                    &["", "*Family Support Total", "*£2,100,400.00"],
                    &["*Total|2", "*£2,924,295.28"],
                ],
            ),
            para(8, None, 0, "After the table."),
            para_on(2, 1, "The second page."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn untagged_running_header_and_page_numbers_are_dropped() {
        let doc = read("furniture.pdf").expect("readable");
        let expected = vec![
            para_on(1, 1, "Text of page 1."),
            para_on(2, 2, "Text of page 2."),
            para_on(3, 2, "Text of page 3."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn label_value_grid_is_a_table_and_a_shaded_panel_wraps_at_its_own_edge() {
        let doc = read("cover.pdf").expect("readable");
        let expected = vec![
            table(
                1,
                &[
                    &["*From", "Sue Chandler, Cabinet Member for Integrated Children’s Services"],
                    &["*To", "Children’s, Young People and Education Cabinet Committee"],
                    &["*Meeting", "Cabinet Committee, 9 March 2021"],
                    &["*Subject", "Provision of Community Support Services for Disabled Children"],
                    &["*Decision No", "20/00102"],
                ],
            ),
            para(9, None, 0, "A paragraph after the header block, long enough to run over two lines of the page so its width is known."),
            para(11, Some("1."), 0, "To follow a competitive procurement process for children’s community support services within the Adults contract."),
            para(14, Some("2."), 0, "Delegate decisions on the implementation."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn a_label_value_grid_with_a_typed_line_break_stays_lines() {
        let doc = read("cover-breaks.pdf").expect("readable");
        let expected = vec![
            para(1, None, 0, "From Sue Chandler, Cabinet Member"),
            para(2, None, 0, "Matt Dunkley, Corporate Director"),
            para(3, None, 0, "To Cabinet Committee"),
            para(4, None, 0, "Subject Community Support Services"),
            para(5, None, 0, "A paragraph after the header block, long enough to run over two lines of the page so its width is known."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn two_columns_are_read_left_then_right() {
        let doc = read("columns.pdf").expect("readable");
        let at = |line, text| para(line, None, 0, text);
        let expected = vec![
            titled(at(1, "Budget report in two columns"), None),
            at(2, "The left column begins the report. It says that the library service will cost £1,240,000.00 in 2026–27, and that most of the rise is staff."),
            at(5, "A second paragraph in the left column, long enough to wrap over several lines of the column before it ends."),
            at(2, "The right column goes on with the buildings, which cost £130,000.00, and with the income from fees and charges."),
            at(5, "The right column ends here, after a second paragraph of its own."),
        ];
        assert_eq!(doc.blocks, expected);
    }

    #[test]
    fn cid_width_ranges_are_spelt_out() {
        let pdf = lopdf::Document::new();
        let w = vec![
            Object::Integer(3),
            Object::Integer(5),
            Object::Integer(600),
            Object::Integer(9),
            Object::Array(vec![Object::Integer(250)]),
            Object::Integer(0),
            Object::Integer(i64::MAX),
            Object::Integer(1),
        ];
        let mut budget = Budget::new(&crate::import::limits::PDF_OBJECTS, 0);
        let fixed = widths_as_lists(&pdf, &w, &mut budget).unwrap();
        assert_eq!(
            fixed,
            vec![
                Object::Integer(3),
                Object::Array(vec![Object::Real(600.0); 3]),
                Object::Integer(9),
                Object::Array(vec![Object::Integer(250)]),
            ]
        );
    }
}

#[cfg(test)]
mod probe {
    #[test]
    #[ignore = "prints a fixture's blocks: PDF=name cargo test --lib import::pdf::probe -- --ignored"]
    fn dump() {
        let name = std::env::var("PDF").unwrap_or("word.pdf".into());
        let bytes = std::fs::read(format!("{}{name}", super::tests::DIR)).expect("the fixture");
        println!("{:#?}", super::read_pdf(&bytes));
    }
}
