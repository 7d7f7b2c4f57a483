//! Writes the round-trip test set of `clerk import` (issue 13, item 4): each example paper in
//! papers/ as the council's Word template lays it out, `report.docx` and, where the paper has a
//! record, `decision.docx`.
//!
//! Run with `cargo run --example import_set -- OUT_DIR`; scripts/import-set.sh runs it and turns
//! the files into PDFs. The originals in papers/ are the truth an import is measured against.
//!
//! What a reader of these files meets, as in a council's real papers:
//! - numbers that are not text: every "1.", "1.1.", "2.3.1.", "i.", "a)" is Word list numbering
//!   (numbering.xml: abstractNum levels with `%1.`, `%1.%2.`, lowerRoman, lowerLetter; paragraphs
//!   point at it with numPr), and a list that starts again does so through a num with
//!   lvlOverride/startOverride;
//! - header blocks as each seed in shared/seeds shows them: "Label: value" paragraphs (Kent
//!   reports) or a two-column table (Kent's 2014 reports, Central Bedfordshire, the records);
//! - money tables as Word tables with a repeated header row, bold total rows, a vertically merged
//!   label cell (vMerge) and total labels spanning two columns (gridSpan).
//!
//! The body text comes from clerk's own render view (`render::view`), so figures (`{{ fig.x }}`)
//! and `{{ recommendations }}` are filled in exactly as clerk's HTML and PDF show them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, IndentLevel, Level, LevelJc, LevelOverride,
    LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, Paragraph, Run,
    RunFonts, SpecialIndentType, Start, Style, StyleType, Tab, Table, TableBorders, TableCell,
    TableRow, VMergeType, WidthType,
};
use regex::Regex;

use clerk::model::{Classification, DecisionStatus, Inline, Node, Paper, Person};
use clerk::render::view::{self, CellView, DocView, Item, TableView, View};

/// The fixed date every file's core properties give (created and modified).
const FIXED_DATE: &str = "2021-01-01T00:00:00Z";
/// Text width of an A4 page with 2.54 cm margins, in twips.
const TEXT_WIDTH: usize = 9026;

// ---------------------------------------------------------------------------------------------
// What each paper looks like in its council's template.

/// How a paper's header block is laid out.
#[derive(Clone, Copy, PartialEq)]
enum Header {
    /// Kent's report template (2020–21): one "Label:<tab>value" paragraph per field.
    KentParagraphs,
    /// Kent's 2014 report template: a two-column table, label | value.
    KentTable,
    /// Central Bedfordshire's template: the council's name, then a two-column table.
    CentralBedsTable,
}

/// The kinds of list, each one abstractNum in numbering.xml.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// Sections and paragraphs: `%1.` / `%1.%2.` / `%1.%2.%3.`.
    Outline,
    Bullet,
    /// i., ii., iii.
    Roman,
    /// 1., 2., 3.
    Decimal,
    /// a), b), c)
    Letter,
}

impl Kind {
    fn abstract_id(self) -> usize {
        // abstractNum 1 and num 1 are docx-rs's own default, always written: ours start at 2.
        match self {
            Kind::Outline => 2,
            Kind::Bullet => 3,
            Kind::Roman => 4,
            Kind::Decimal => 5,
            Kind::Letter => 6,
        }
    }
}

struct Layout {
    header: Header,
    /// How a numbered paragraph's number ends: "1.1." (`%1.%2.`) or "1.1" (`%1.%2`).
    paragraph_dot: bool,
    /// The list the recommendations are in.
    recommendations: Kind,
    /// Unnumbered headings before the first numbered section are header labels ("Summary:").
    labels_before_sections: bool,
    /// Such a label shares its paragraph with the first paragraph under it ("Summary: Kent...").
    inline_labels: bool,
    /// The record's section labels end with a colon and a one-paragraph section is one paragraph
    /// ("Legal implications: N/A.").
    record_colons: bool,
}

fn layout_of(rel: &str) -> Layout {
    match rel {
        "20-00017-early-help" => Layout {
            header: Header::KentParagraphs,
            paragraph_dot: true,
            recommendations: Kind::Roman,
            labels_before_sections: true,
            inline_labels: false,
            record_colons: false,
        },
        "20-00102-community-support" => Layout {
            header: Header::KentParagraphs,
            paragraph_dot: false,
            recommendations: Kind::Decimal,
            labels_before_sections: true,
            inline_labels: false,
            record_colons: true,
        },
        "children-in-care-update" => Layout {
            header: Header::KentTable,
            paragraph_dot: false,
            recommendations: Kind::Bullet,
            labels_before_sections: true,
            inline_labels: true,
            record_colons: false,
        },
        _ => Layout {
            header: Header::CentralBedsTable,
            paragraph_dot: true,
            recommendations: Kind::Decimal,
            labels_before_sections: false,
            inline_labels: false,
            record_colons: false,
        },
    }
}

// ---------------------------------------------------------------------------------------------
// What the generator reads of a paper, taken out of clerk's checked model.

struct Head {
    from: Vec<String>,
    from_emails: Vec<String>,
    to: String,
    committee: String,
    meeting_date: Option<NaiveDate>,
    decision_number: String,
    title: String,
    classification: String,
    key_decision: bool,
    key_reason: String,
    divisions: String,
    past: String,
    future: String,
}

struct RecordHead {
    proposed: bool,
    maker_name: String,
    maker_role: String,
    number: String,
    subject: String,
    date: Option<NaiveDate>,
    classification: Option<String>,
    key_decision: bool,
    key_reason: String,
}

struct Source {
    rel: String,
    report: Option<(Head, DocView)>,
    decision: Option<(RecordHead, DocView)>,
}

fn s(v: &Option<serde_saphyr::Spanned<String>>) -> String {
    v.as_ref()
        .map(|x| x.value.trim().to_string())
        .unwrap_or_default()
}

fn person(p: &Person) -> String {
    [s(&p.name), s(&p.role)]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn classification(c: Classification, paragraph: Option<u32>) -> String {
    match (c, paragraph) {
        (Classification::Unrestricted, _) => "Unrestricted".into(),
        (Classification::Exempt, Some(p)) => format!("Exempt - paragraph {p} of Schedule 12A"),
        (Classification::Exempt, None) => "Exempt".into(),
    }
}

fn read(paper: &Paper, council: &str, rel: String) -> Source {
    let report = paper.report.as_ref().and_then(|r| {
        let m = &r.meta;
        let head = Head {
            from: m.from.iter().map(person).collect(),
            from_emails: m.from.iter().map(|p| s(&p.email)).collect(),
            to: s(&m.to),
            committee: s(&m.committee),
            meeting_date: m.meeting_date.as_ref().map(|d| d.value.0),
            decision_number: s(&m.decision_number),
            title: m.title.value.trim().to_string(),
            classification: classification(
                m.classification.value,
                m.exempt_paragraph.as_ref().map(|p| p.value),
            ),
            key_decision: m.key_decision.value.0,
            key_reason: s(&m.key_decision_reason),
            divisions: m
                .electoral_divisions
                .as_ref()
                .map(|d| d.value.0.join(", "))
                .unwrap_or_default(),
            past: m.pathway.as_ref().map(|p| s(&p.past)).unwrap_or_default(),
            future: m.pathway.as_ref().map(|p| s(&p.future)).unwrap_or_default(),
        };
        Some((head, view::report_view(paper, council, 0, None)?))
    });
    let decision = paper.decision.as_ref().and_then(|d| {
        let m = &d.meta;
        let head = RecordHead {
            proposed: m.status.value == DecisionStatus::Proposed,
            maker_name: s(&m.decision_maker.name),
            maker_role: s(&m.decision_maker.role),
            number: s(&m.decision_number),
            subject: m.subject.value.trim().to_string(),
            date: m.date.as_ref().map(|d| d.value.0),
            classification: m
                .classification
                .as_ref()
                .map(|c| classification(c.value, m.exempt_paragraph.as_ref().map(|p| p.value))),
            key_decision: m.key_decision.value.0,
            key_reason: s(&m.key_decision_reason),
        };
        Some((head, view::decision_view(paper, council, 0)?))
    });
    Source {
        rel,
        report,
        decision,
    }
}

// ---------------------------------------------------------------------------------------------
// Numbering: the abstractNums of numbering.xml, and one num per list.

fn level(ilvl: usize, format: &str, text: &str, left: i32, hanging: i32) -> Level {
    Level::new(
        ilvl,
        Start::new(1),
        NumberFormat::new(format),
        LevelText::new(text),
        LevelJc::new("left"),
    )
    .indent(
        Some(left),
        Some(SpecialIndentType::Hanging(hanging)),
        None,
        None,
    )
}

fn abstract_numbering(kind: Kind, paragraph_dot: bool) -> AbstractNumbering {
    let a = AbstractNumbering::new(kind.abstract_id());
    match kind {
        Kind::Outline => {
            let (l2, l3) = if paragraph_dot {
                ("%1.%2.", "%1.%2.%3.")
            } else {
                ("%1.%2", "%1.%2.%3")
            };
            a.add_level(level(0, "decimal", "%1.", 567, 567))
                .add_level(level(1, "decimal", l2, 851, 851))
                .add_level(level(2, "decimal", l3, 1702, 851))
        }
        Kind::Bullet => a
            .add_level(level(0, "bullet", "\u{2022}", 1211, 360))
            .add_level(level(1, "bullet", "o", 1931, 360))
            .add_level(level(2, "bullet", "-", 2651, 360)),
        Kind::Roman => a
            .add_level(level(0, "lowerRoman", "%1.", 1211, 567))
            .add_level(level(1, "lowerLetter", "(%2)", 1778, 567))
            .add_level(level(2, "decimal", "%3)", 2345, 567)),
        Kind::Decimal => a
            .add_level(level(0, "decimal", "%1.", 851, 425))
            .add_level(level(1, "lowerLetter", "%2.", 1276, 425))
            .add_level(level(2, "lowerRoman", "%3.", 1701, 425)),
        Kind::Letter => a
            .add_level(level(0, "lowerLetter", "%1)", 1211, 567))
            .add_level(level(1, "lowerRoman", "%2)", 1778, 567))
            .add_level(level(2, "decimal", "%3)", 2345, 567)),
    }
}

#[derive(Default)]
struct Numbers {
    nums: Vec<Numbering>,
    /// The kinds used so far: a later list of the same kind restarts through an override.
    used: Vec<Kind>,
}

impl Numbers {
    /// A new list of `kind` starting at `start`: a num of its own. Word carries a list's count on
    /// across nums of one abstractNum, so every list after the first of its kind, or one that
    /// starts elsewhere than 1, says so with lvlOverride/startOverride.
    fn list(&mut self, kind: Kind, start: usize) -> usize {
        let id = self.nums.len() + 2;
        let mut num = Numbering::new(id, kind.abstract_id());
        if self.used.contains(&kind) || start != 1 {
            num = num.add_override(LevelOverride::new(0).start(start));
        }
        self.used.push(kind);
        self.nums.push(num);
        id
    }
}

// ---------------------------------------------------------------------------------------------
// Text.

static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\{#[A-Za-z0-9_-]+\}").expect("valid"));

/// The caption clerk gives a table that has none.
static FALLBACK_CAPTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Table \d+$").expect("valid"));

#[derive(Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
}

fn run(text: &str, f: Fmt) -> Run {
    let mut r = Run::new().add_text(text);
    if f.bold {
        r = r.bold();
    }
    if f.italic {
        r = r.italic();
    }
    r
}

/// Markdown's inlines as Word runs: emphasis as bold or italic, links and code as their text.
fn runs(inlines: &[Inline], f: Fmt, out: &mut Vec<Run>) {
    for i in inlines {
        match i {
            Inline::Text { text } | Inline::Code { text } => {
                let text = ANCHOR.replace_all(text, "");
                if !text.is_empty() {
                    out.push(run(&text, f));
                }
            }
            Inline::Strong { children } => runs(children, Fmt { bold: true, ..f }, out),
            Inline::Emph { children } => runs(children, Fmt { italic: true, ..f }, out),
            Inline::Strike { children } | Inline::Link { children, .. } => runs(children, f, out),
            Inline::Break => out.push(Run::new().add_break(BreakType::TextWrapping)),
        }
    }
}

fn para(inlines: &[Inline], f: Fmt) -> Paragraph {
    let mut out = Vec::new();
    runs(inlines, f, &mut out);
    out.into_iter().fold(Paragraph::new(), |p, r| p.add_run(r))
}

fn text_para(text: &str, f: Fmt) -> Paragraph {
    Paragraph::new().add_run(run(text, f))
}

/// Lines of one paragraph, split by line breaks.
fn lines_para(lines: &[String], f: Fmt) -> Paragraph {
    let mut p = Paragraph::new();
    for (i, l) in lines.iter().enumerate() {
        let mut r = run(l, f);
        if i + 1 < lines.len() {
            r = r.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(r);
    }
    p
}

const BOLD: Fmt = Fmt {
    bold: true,
    italic: false,
};
const PLAIN: Fmt = Fmt {
    bold: false,
    italic: false,
};

/// "9 March 2021".
fn date_long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "September 11th 2018", as Central Bedfordshire prints its dates.
fn date_ordinal(d: NaiveDate) -> String {
    let day = d.day();
    let suffix = match (day % 10, day % 100) {
        (1, n) if n != 11 => "st",
        (2, n) if n != 12 => "nd",
        (3, n) if n != 13 => "rd",
        _ => "th",
    };
    format!("{} {day}{suffix} {}", d.format("%B"), d.year())
}

// ---------------------------------------------------------------------------------------------
// A list marker the author typed ("i. ", "a) "): a Word list makes it instead.

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([ivxlcdm]{1,6}|[a-z]|\d{1,2})([.)])\s+").expect("valid"));

fn roman(n: usize) -> String {
    let table = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")];
    let (mut n, mut out) = (n, String::new());
    for (v, r) in table {
        while n >= v {
            out.push_str(r);
            n -= v;
        }
    }
    out
}

/// The first text of an item, where a typed marker would stand.
fn item_text(item: &[View]) -> Option<String> {
    match item.first() {
        Some(View::Paragraph { inlines, .. }) => match inlines.first() {
            Some(Inline::Text { text }) => Some(text.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The Word list kind that writes exactly the markers the author typed, if one does.
fn typed_kind(items: &[Vec<View>]) -> Option<Kind> {
    let markers: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            let t = item_text(i)?;
            let c = MARKER.captures(&t)?;
            Some((c[1].to_string(), c[2].to_string()))
        })
        .collect::<Option<_>>()?;
    let seq =
        |f: &dyn Fn(usize) -> String| markers.iter().enumerate().all(|(n, (m, _))| *m == f(n + 1));
    let punct = |p: &str| markers.iter().all(|(_, q)| q == p);
    if seq(&roman) && punct(".") {
        Some(Kind::Roman)
    } else if seq(&|n| ((b'a' + n as u8 - 1) as char).to_string()) && punct(")") {
        Some(Kind::Letter)
    } else if seq(&|n| n.to_string()) && punct(".") {
        Some(Kind::Decimal)
    } else {
        None
    }
}

fn strip_marker(item: &[View]) -> Vec<View> {
    let mut item = item.to_vec();
    if let Some(View::Paragraph { inlines, .. }) = item.first_mut() {
        if let Some(Inline::Text { text }) = inlines.first_mut() {
            *text = MARKER.replace(text, "").into_owned();
        }
    }
    item
}

// ---------------------------------------------------------------------------------------------
// The writer of one document.

enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

struct Writer {
    layout: Layout,
    blocks: Vec<Block>,
    numbers: Numbers,
    outline: usize,
    /// The outline's counts so far (section, paragraph, sub-paragraph), to check that Word's
    /// numbering writes the numbers the author typed.
    counts: [usize; 3],
    sections_started: bool,
    /// A header label waiting for the paragraph it shares ("Summary:").
    pending_label: Option<String>,
    /// Tables whose first row is a header row (by order in the document).
    header_rows: Vec<bool>,
}

impl Writer {
    fn new(layout: Layout) -> Writer {
        let mut numbers = Numbers::default();
        let outline = numbers.list(Kind::Outline, 1);
        Writer {
            layout,
            blocks: Vec::new(),
            numbers,
            outline,
            counts: [0; 3],
            sections_started: false,
            pending_label: None,
            header_rows: Vec::new(),
        }
    }

    fn t(&mut self, t: Table) {
        self.blocks.push(Block::T(Box::new(t)));
    }

    fn p(&mut self, p: Paragraph) {
        self.blocks.push(Block::P(Box::new(p)));
    }

    fn label(&mut self, text: &str) {
        self.p(text_para(text, BOLD).keep_next(true));
    }

    fn blocks(&mut self, views: &[View], depth: usize) {
        for v in views {
            self.block(v, depth);
        }
    }

    fn block(&mut self, v: &View, depth: usize) {
        match v {
            View::Heading {
                level,
                number,
                inlines,
                ..
            } => self.heading(*level, number.as_deref(), inlines),
            View::Paragraph {
                number, inlines, ..
            } => self.paragraph(number.as_deref(), inlines),
            View::List {
                ordered,
                start,
                items,
                ..
            } => self.list(*ordered, *start as usize, items, depth),
            View::Table(t) => self.table(t),
            View::Recommendations { items } => self.items(items, self.layout.recommendations),
            // The body's own contact details already say what the seeds show.
            View::Contacts { .. } | View::Rule => {}
            View::Quote { children } => self.blocks(children, depth + 1),
            View::Code { text } => self.p(text_para(text, PLAIN)),
        }
    }

    fn heading(&mut self, level: u8, number: Option<&str>, inlines: &[Inline]) {
        self.flush_label();
        let text = Inline::plain(inlines);
        if number.is_none() && self.layout.labels_before_sections && !self.sections_started {
            let label = format!("{}:", text.trim_end_matches(':'));
            if self.layout.inline_labels {
                self.pending_label = Some(label);
            } else {
                self.label(&label);
            }
            return;
        }
        let style = if level <= 2 { "Heading1" } else { "Heading2" };
        let mut p = Paragraph::new().style(style);
        if let Some(n) = number {
            self.sections_started = true;
            self.counts = [self.counts[0] + 1, 0, 0];
            if n == self.counts[0].to_string() {
                p = p.numbering(NumberingId::new(self.outline), IndentLevel::new(0));
            } else {
                eprintln!(
                    "  kept as typed text: heading {n} (Word would number it {})",
                    self.counts[0]
                );
                p = p.add_run(run(&format!("{n}. "), PLAIN));
            }
        }
        let mut out = Vec::new();
        runs(inlines, PLAIN, &mut out);
        self.p(out.into_iter().fold(p, |p, r| p.add_run(r)));
    }

    fn flush_label(&mut self) {
        if let Some(l) = self.pending_label.take() {
            self.label(&l);
        }
    }

    fn paragraph(&mut self, number: Option<&str>, inlines: &[Inline]) {
        let mut p = Paragraph::new();
        if let Some(label) = self.pending_label.take() {
            p = p.add_run(run(&label, BOLD)).add_run(Run::new().add_tab());
        }
        if let Some(n) = number {
            let parts: Vec<usize> = n.split('.').filter_map(|x| x.parse().ok()).collect();
            let ilvl = parts.len().saturating_sub(1).min(2);
            if ilvl == 1 {
                self.counts[1] += 1;
                self.counts[2] = 0;
            } else if ilvl == 2 {
                self.counts[2] += 1;
            }
            if ilvl > 0 && parts[..] == self.counts[..=ilvl] {
                p = p.numbering(NumberingId::new(self.outline), IndentLevel::new(ilvl));
            } else {
                eprintln!("  kept as typed text: paragraph {n}");
                p = p.add_run(run(&format!("{n} "), PLAIN));
            }
        }
        let mut out = Vec::new();
        runs(inlines, PLAIN, &mut out);
        self.p(out.into_iter().fold(p, |p, r| p.add_run(r)));
    }

    /// A Markdown list as a Word list: typed markers become numbering of the same format.
    fn list(&mut self, ordered: bool, start: usize, items: &[Vec<View>], depth: usize) {
        self.flush_label();
        let (kind, items): (Kind, Vec<Vec<View>>) = match typed_kind(items) {
            Some(k) => (k, items.iter().map(|i| strip_marker(i)).collect()),
            None if ordered => (Kind::Decimal, items.to_vec()),
            None => (Kind::Bullet, items.to_vec()),
        };
        let start = if ordered { start.max(1) } else { 1 };
        let id = self.numbers.list(kind, start);
        let ilvl = depth.min(2);
        for item in &items {
            let mut first = true;
            for v in item {
                match v {
                    View::Paragraph { inlines, .. } if first => {
                        first = false;
                        let p = para(inlines, PLAIN)
                            .style("ListParagraph")
                            .numbering(NumberingId::new(id), IndentLevel::new(ilvl));
                        self.p(p);
                    }
                    View::Paragraph { inlines, .. } => {
                        let p = para(inlines, PLAIN).style("ListParagraph").indent(
                            Some(1211 + 567 * ilvl as i32),
                            None,
                            None,
                            None,
                        );
                        self.p(p);
                    }
                    View::List {
                        ordered,
                        start,
                        items,
                        ..
                    } => self.list(*ordered, *start as usize, items, depth + 1),
                    other => self.block(other, depth + 1),
                }
            }
        }
    }

    /// Recommendations or decisions: a Word list of `kind`.
    fn items(&mut self, items: &[Item], kind: Kind) {
        self.flush_label();
        let id = self.numbers.list(kind, 1);
        for i in items {
            self.p(text_para(&i.text, PLAIN)
                .style("ListParagraph")
                .numbering(NumberingId::new(id), IndentLevel::new(0)));
        }
    }

    /// A table as a Word table: header row, bold totals, an empty label cell under a label
    /// merged into it (vMerge), a total's label spanning the empty cells beside it (gridSpan).
    fn table(&mut self, t: &TableView) {
        self.flush_label();
        // The paragraph that captions it (clerk keeps it with the table, not in the flow).
        if !FALLBACK_CAPTION.is_match(&t.caption) {
            let caption = ANCHOR.replace_all(&t.caption, "");
            let mut p = text_para(&caption, PLAIN).keep_next(true);
            if caption.starts_with("Figure") || caption.starts_with("Table") {
                p = p.style("Caption");
            }
            self.p(p);
        }
        let columns = t.header.len().max(1);
        let widths: Vec<usize> = (0..columns).map(|_| TEXT_WIDTH / columns).collect();
        let align = |c: &CellView| match c.align {
            "right" => AlignmentType::Right,
            "center" => AlignmentType::Center,
            _ => AlignmentType::Left,
        };
        let cell = |c: &CellView, f: Fmt, width: usize| {
            TableCell::new()
                .width(width, WidthType::Dxa)
                .add_paragraph(para(&c.inlines, f).align(align(c)))
        };
        // The header row; `cantSplit` finds it again for `w:tblHeader` (see mark_header_rows).
        let mut rows = vec![TableRow::new(
            t.header
                .iter()
                .zip(&widths)
                .map(|(c, w)| cell(c, BOLD, *w))
                .collect(),
        )
        .cant_split()];
        let merged = continuing(t);
        for (i, r) in t.rows.iter().enumerate() {
            let f = if r.total { BOLD } else { PLAIN };
            let mut cells = Vec::new();
            let mut c = 0;
            while c < r.cells.len() {
                let x = &r.cells[c];
                // A total's label spans the empty label cells after it (never the last column).
                let mut span = 1;
                if r.total && !empty(x) && !x.amount {
                    while c + span + 1 < r.cells.len()
                        && empty(&r.cells[c + span])
                        && !r.cells[c + span].amount
                    {
                        span += 1;
                    }
                }
                let width: usize = widths[c..(c + span).min(columns)].iter().sum();
                let mut wc = cell(x, f, width);
                if span > 1 {
                    wc = wc.grid_span(span);
                } else if merged[i][c] {
                    wc = wc.vertical_merge(VMergeType::Continue);
                } else if merged.get(i + 1).is_some_and(|n| n[c]) {
                    wc = wc.vertical_merge(VMergeType::Restart);
                }
                cells.push(wc);
                c += span;
            }
            rows.push(TableRow::new(cells));
        }
        let table = Table::new(rows)
            .set_grid(widths)
            .width(TEXT_WIDTH, WidthType::Dxa);
        self.header_rows.push(true);
        self.t(table);
    }

    /// A two-column header table: label | value lines (each value a paragraph).
    fn header_table(&mut self, rows: &[(&str, Vec<String>, Fmt)], label_width: usize) {
        let value_width = TEXT_WIDTH - label_width;
        let rows: Vec<TableRow> = rows
            .iter()
            .map(|(label, values, f)| {
                let mut v = TableCell::new().width(value_width, WidthType::Dxa);
                for line in values {
                    v = v.add_paragraph(text_para(line, *f));
                }
                TableRow::new(vec![
                    TableCell::new()
                        .width(label_width, WidthType::Dxa)
                        .add_paragraph(text_para(label, BOLD)),
                    v,
                ])
            })
            .collect();
        self.header_rows.push(false);
        self.t(Table::new(rows)
            .set_grid(vec![label_width, value_width])
            .width(TEXT_WIDTH, WidthType::Dxa)
            .set_borders(TableBorders::with_empty()));
    }

    fn finish(self, title: &str, author: &str, out: &Path) {
        let mut docx = Docx::new()
            .page_size(11906, 16838)
            .page_margin(
                PageMargin::new()
                    .top(1440)
                    .bottom(1440)
                    .left(1440)
                    .right(1440),
            )
            .created_at(FIXED_DATE)
            .updated_at(FIXED_DATE)
            .styles(styles())
            .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
            .default_size(24);
        for kind in [
            Kind::Outline,
            Kind::Bullet,
            Kind::Roman,
            Kind::Decimal,
            Kind::Letter,
        ] {
            docx = docx.add_abstract_numbering(abstract_numbering(kind, self.layout.paragraph_dot));
        }
        for n in self.numbers.nums {
            docx = docx.add_numbering(n);
        }
        for b in self.blocks {
            docx = match b {
                Block::P(p) => docx.add_paragraph(*p),
                Block::T(t) => docx.add_table(*t),
            };
        }
        let mut xml = docx.build();
        xml.document = mark_header_rows(&xml.document, &self.header_rows);
        xml.doc_props.core = core_properties(&xml.doc_props.core, title, author);
        let file = fs::File::create(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        xml.pack(file)
            .unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    }
}

fn empty(c: &CellView) -> bool {
    Inline::plain(&c.inlines).trim().is_empty()
}

/// For each row of a table, which of its cells continue the label above them: an empty first
/// cell of a row that is no total, under a label or under such a cell ("C. Family Support" over
/// the Project Salus row; "Procurement process" over its second line).
fn continuing(t: &TableView) -> Vec<Vec<bool>> {
    let mut out = Vec::new();
    let mut above = false;
    for r in &t.rows {
        let mut row = vec![false; r.cells.len()];
        let first = r.cells.first();
        let label = first.is_some_and(|x| !empty(x) && !x.amount) && !r.total;
        let continues = first.is_some_and(|x| empty(x) && !x.amount) && !r.total && above;
        if let Some(c) = row.first_mut() {
            *c = continues;
        }
        above = label || continues;
        out.push(row);
    }
    out
}

/// Marks the first row of each money table as a header row that repeats on every page
/// (`w:tblHeader`, which docx-rs does not write): the row was given `w:cantSplit` to find it.
fn mark_header_rows(document: &[u8], header_rows: &[bool]) -> Vec<u8> {
    let xml = String::from_utf8(document.to_vec()).expect("docx-rs writes UTF-8");
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml.as_str();
    let mut tables = header_rows.iter();
    while let Some(at) = rest.find("<w:tbl>") {
        let (before, after) = rest.split_at(at + "<w:tbl>".len());
        out.push_str(before);
        rest = after;
        if tables.next().copied().unwrap_or(false) {
            let mark = "<w:cantSplit />";
            let at = rest.find(mark).expect("a header row");
            let (before, after) = rest.split_at(at + mark.len());
            out.push_str(before);
            out.push_str("<w:tblHeader />");
            rest = after;
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// Gives the core properties a title and an author (docx-rs has no setters for them), which a
/// PDF export keeps.
fn core_properties(core: &[u8], title: &str, author: &str) -> Vec<u8> {
    let xml = String::from_utf8(core.to_vec()).expect("docx-rs writes UTF-8");
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let author = escape(author);
    xml.replacen(
        "</cp:coreProperties>",
        &format!("<dc:title>{}</dc:title></cp:coreProperties>", escape(title)),
        1,
    )
    .replace(
        "<dc:creator>unknown</dc:creator>",
        &format!("<dc:creator>{author}</dc:creator>"),
    )
    .replace(
        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
        &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
    )
    .into_bytes()
}

fn styles() -> docx_rs::Styles {
    let spacing = |before: u32, after: u32| LineSpacing::new().before(before).after(after);
    docx_rs::Styles::new()
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .line_spacing(spacing(0, 160)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(28)
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(24)
                .outline_lvl(0)
                .line_spacing(spacing(240, 120)),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("heading 2")
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(24)
                .outline_lvl(1)
                .line_spacing(spacing(120, 120)),
        )
        .add_style(
            Style::new("ListParagraph", StyleType::Paragraph)
                .name("List Paragraph")
                .based_on("Normal")
                .line_spacing(spacing(0, 80)),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(20),
        )
}

// ---------------------------------------------------------------------------------------------
// Reports.

fn report(head: &Head, doc: &DocView, layout: Layout, out: &Path) {
    let mut w = Writer::new(layout);
    let tab = Tab::new().pos(3402);
    let field = |label: &str, lines: &[String], f: Fmt| {
        let mut p = Paragraph::new()
            .add_tab(tab.clone())
            .indent(
                Some(3402),
                Some(SpecialIndentType::Hanging(3402)),
                None,
                None,
            )
            .add_run(run(label, BOLD))
            .add_run(Run::new().add_tab());
        for (i, l) in lines.iter().enumerate() {
            let mut r = run(l, f);
            if i + 1 < lines.len() {
                r = r.add_break(BreakType::TextWrapping);
            }
            p = p.add_run(r);
        }
        p
    };
    let one = |v: &str| vec![v.to_string()];
    match w.layout.header {
        Header::KentParagraphs if head.meeting_date.is_none() => {
            // Kent 20/00017 (seed 000): a Cabinet Member decision paper.
            w.p(field("From:", &head.from, PLAIN));
            w.p(field("To:", &one(&head.to), PLAIN));
            w.p(field("Decision No:", &one(&head.decision_number), PLAIN));
            w.p(field("Subject:", &one(&head.title), BOLD));
            w.p(field("Classification:", &one(&head.classification), PLAIN));
            w.p(field("Future Pathway of Paper:", &one(&head.future), PLAIN));
            w.p(field("Electoral Division:", &one(&head.divisions), PLAIN));
        }
        Header::KentParagraphs => {
            // Kent 20/00102 (seed 002): a paper to a Cabinet Committee before the decision.
            let date = head.meeting_date.map(date_long).unwrap_or_default();
            w.p(field("From:", &head.from, PLAIN));
            w.p(field("To:", &[head.to.clone(), date], BOLD));
            w.p(field("Subject:", &one(&head.title), BOLD));
            w.p(field(
                "Decision number and title:",
                &one(&format!(
                    "{} - Community Support Services for Disabled Children & Young People",
                    head.decision_number
                )),
                PLAIN,
            ));
            if head.key_decision {
                w.p(text_para(
                    &format!("Key decision {}", head.key_reason),
                    PLAIN,
                ));
            }
            w.p(field("Classification:", &one(&head.classification), BOLD));
            w.p(field("Past Pathway of report:", &one(&head.past), PLAIN));
            w.p(field(
                "Future Pathway of report:",
                &one(&head.future),
                PLAIN,
            ));
            w.p(field("Electoral Division:", &one(&head.divisions), PLAIN));
        }
        Header::KentTable => {
            // Kent's 2014 template (seed 004): label | value, the From names one per paragraph.
            let date = head.meeting_date.map(date_long).unwrap_or_default();
            w.header_table(
                &[
                    ("From", head.from.clone(), PLAIN),
                    ("To:", vec![head.to.clone(), date], PLAIN),
                    ("Subject:", one(&head.title), BOLD),
                    ("Classification:", one(&head.classification), PLAIN),
                ],
                1985,
            );
        }
        Header::CentralBedsTable => {
            // Central Bedfordshire (seed 003): the council, then its cover table.
            w.p(text_para(&doc.council, BOLD).style("Title"));
            let date = head.meeting_date.map(date_ordinal).unwrap_or_default();
            // "Name, role," then the email, one line each.
            let from = |i: usize| -> Vec<String> {
                let who = head.from.get(i).cloned().unwrap_or_default();
                match head.from_emails.get(i).filter(|e| !e.is_empty()) {
                    Some(e) if i == 0 => vec![who, e.clone()],
                    Some(e) => vec![format!("{who},"), e.clone()],
                    None => vec![who],
                }
            };
            w.header_table(
                &[
                    ("COMMITTEE", one(&head.committee), PLAIN),
                    ("Date", one(&date), PLAIN),
                    ("Report title", one(&head.title), BOLD),
                    ("Report of:", from(0), PLAIN),
                    ("Responsible Director(s):", from(1), PLAIN),
                ],
                2835,
            );
        }
    }
    w.blocks(&doc.body, 0);
    w.flush_label();
    w.finish(&doc.title, &doc.council, out);
}

// ---------------------------------------------------------------------------------------------
// Records of decision (Kent's template, seeds 001 and 002).

/// Markdown from the record's front matter (reasons, alternatives) as views.
fn markdown_views(text: &str) -> Vec<View> {
    fn node(n: &Node) -> Option<View> {
        Some(match n {
            Node::Paragraph { inlines } => View::Paragraph {
                number: None,
                inlines: inlines.clone(),
                keep_with_next: false,
            },
            Node::List {
                ordered,
                start,
                items,
            } => View::List {
                ordered: *ordered,
                start: *start,
                typed: false,
                items: items
                    .iter()
                    .map(|i| i.iter().filter_map(node).collect())
                    .collect(),
            },
            Node::Heading { inlines, .. } => View::Paragraph {
                number: None,
                inlines: inlines.clone(),
                keep_with_next: true,
            },
            _ => return None,
        })
    }
    clerk::parse::markdown::parse(text, 0)
        .tree
        .iter()
        .filter_map(node)
        .collect()
}

/// The body's sections: (heading text, what follows it).
fn sections(body: &[View]) -> Vec<(String, Vec<View>)> {
    let mut out: Vec<(String, Vec<View>)> = Vec::new();
    for v in body {
        match v {
            View::Heading { inlines, .. } => out.push((Inline::plain(inlines), Vec::new())),
            other => match out.last_mut() {
                Some((_, views)) => views.push(other.clone()),
                None => out.push((String::new(), vec![other.clone()])),
            },
        }
    }
    out
}

fn record(head: &RecordHead, doc: &DocView, layout: Layout, out: &Path) {
    let colons = layout.record_colons;
    let mut w = Writer::new(layout);
    let rec = doc.record.as_ref().expect("a record view");
    if head.proposed {
        w.p(text_para("APPENDIX A", BOLD).align(AlignmentType::Right));
    }
    let title = if head.proposed {
        "KENT COUNTY COUNCIL – PROPOSED RECORD OF DECISION"
    } else {
        "KENT COUNTY COUNCIL – RECORD OF DECISION"
    };
    w.p(text_para(title, BOLD).style("Title"));

    // The box at the top: who takes it | its number.
    let taker = if head.proposed {
        "DECISION TO BE TAKEN BY:"
    } else {
        "DECISION TAKEN BY:"
    };
    let maker_lines = if head.proposed {
        vec![format!("{}, {}", head.maker_name, head.maker_role)]
    } else {
        vec![format!("{},", head.maker_name), head.maker_role.clone()]
    };
    let value_fmt = if head.proposed { PLAIN } else { BOLD };
    let half = TEXT_WIDTH / 2;
    let top = TableRow::new(vec![
        TableCell::new()
            .width(half, WidthType::Dxa)
            .add_paragraph(text_para(taker, BOLD))
            .add_paragraph(lines_para(&maker_lines, value_fmt)),
        TableCell::new()
            .width(half, WidthType::Dxa)
            .add_paragraph(text_para("DECISION NO:", BOLD))
            .add_paragraph(text_para(&head.number, value_fmt)),
    ]);
    w.header_rows.push(false);
    w.t(Table::new(vec![top])
        .set_grid(vec![half, half])
        .width(TEXT_WIDTH, WidthType::Dxa));

    w.p(text_para(
        head.classification.as_deref().unwrap_or("For publication"),
        PLAIN,
    ));
    if head.key_decision && !head.key_reason.is_empty() {
        w.p(lines_para(
            &[
                "Key decision".into(),
                format!("Reason: {}", head.key_reason),
            ],
            PLAIN,
        ));
    } else {
        let yes = if head.key_decision { "YES" } else { "NO" };
        w.p(Paragraph::new()
            .add_run(run("Key decision: ", PLAIN))
            .add_run(run(yes, BOLD)));
    }
    w.p(text_para(&format!("Subject: {}", head.subject), BOLD));

    let body = sections(&doc.body);
    let label = |t: &str| {
        if colons {
            format!("{}:", t.trim_end_matches(':'))
        } else {
            t.to_string()
        }
    };
    w.label("Decision:");
    for (_, views) in body.iter().filter(|(t, _)| t == "Decision") {
        w.blocks(views, 0);
    }
    let decision_kind = if rec.decisions.iter().all(|d| d.id.parse::<u32>().is_ok()) {
        Kind::Decimal
    } else {
        Kind::Roman
    };
    w.items(&rec.decisions, decision_kind);

    w.label("Reason(s) for decision:");
    w.blocks(&markdown_views(&rec.reasons), 0);

    for (title, views) in body.iter().filter(|(t, _)| t != "Decision") {
        match views.as_slice() {
            [View::Paragraph { inlines, .. }] if colons => {
                let mut out = vec![run(&format!("{} ", label(title)), BOLD)];
                runs(inlines, PLAIN, &mut out);
                w.p(out.into_iter().fold(Paragraph::new(), |p, r| p.add_run(r)));
            }
            _ => {
                w.label(&label(title));
                w.blocks(views, 0);
            }
        }
    }

    w.label(if head.proposed {
        "Any alternatives considered:"
    } else {
        "Any alternatives considered and rejected:"
    });
    w.blocks(&markdown_views(&rec.alternatives), 0);

    let interest = "Any interest declared when the decision was taken and any dispensation granted by the Proper Officer:";
    let mut declared = rec.interests.clone();
    if !rec.dispensations.is_empty() && rec.dispensations != rec.interests {
        declared = format!("{declared}. Dispensation: {}", rec.dispensations);
    }
    if head.proposed {
        w.label(interest);
        w.p(text_para(&declared, PLAIN));
    } else {
        w.p(Paragraph::new()
            .add_run(run(&format!("{interest} "), BOLD))
            .add_run(run(&declared, BOLD)));
    }

    // Signature: "signed" | the date.
    let date = head.date.map(date_long).unwrap_or_default();
    let mut right = TableCell::new().width(half, WidthType::Dxa);
    if !date.is_empty() {
        right = right.add_paragraph(text_para(&date, BOLD));
    }
    let sign = TableRow::new(vec![
        TableCell::new()
            .width(half, WidthType::Dxa)
            .add_paragraph(text_para(".....", PLAIN))
            .add_paragraph(text_para("signed", BOLD)),
        right
            .add_paragraph(text_para(".....", PLAIN))
            .add_paragraph(text_para("date", BOLD)),
    ]);
    w.header_rows.push(false);
    w.t(Table::new(vec![sign])
        .set_grid(vec![half, half])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .set_borders(TableBorders::with_empty()));
    w.finish(&doc.title, &doc.council, out);
}

// ---------------------------------------------------------------------------------------------

fn main() {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            eprintln!("usage: cargo run --example import_set -- OUT_DIR [PAPERS_DIR]");
            std::process::exit(2);
        });
    // The example papers by default; tests/fixtures/seeds for the papers as published, slips
    // and all.
    let papers = std::env::args_os()
        .nth(2)
        .map_or_else(|| PathBuf::from("papers"), PathBuf::from);
    let (checked, sources) = clerk::run(std::slice::from_ref(&papers), &|visit| {
        let paper = visit.cx.paper;
        let council = visit
            .cx
            .council
            .map(|c| c.meta.name.value.clone())
            .unwrap_or_default();
        let rel = paper
            .dir
            .strip_prefix(&papers)
            .unwrap_or(&paper.dir)
            .to_string_lossy()
            .replace('\\', "/");
        read(paper, &council, rel)
    });
    if checked.papers == 0 {
        eprintln!("no papers found under {}", papers.display());
        std::process::exit(1);
    }
    let sources: BTreeMap<String, Source> =
        sources.into_iter().map(|s| (s.rel.clone(), s)).collect();
    for (rel, source) in &sources {
        let dir = out.join(rel);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        eprintln!("{rel}");
        if let Some((head, doc)) = &source.report {
            report(head, doc, layout_of(rel), &dir.join("report.docx"));
        }
        if let Some((head, doc)) = &source.decision {
            record(head, doc, layout_of(rel), &dir.join("decision.docx"));
        }
    }
}
