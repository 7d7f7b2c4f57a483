//! The data contract of rendering: one serialisable view of a document that both the HTML
//! templates (minijinja) and the PDF template (typst) walk. Paper text only ever travels as string
//! values, so neither engine can mistake it for markup or code. Money arrives already formatted.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::model::money::{format_exact, format_short};
use crate::model::{
    Classification, DecisionMeta, DecisionStatus, Document, Figure, Inline, Node, Paper, Person,
    ReportMeta, Table,
};

/// A block of the body, ready to render.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum View {
    Heading {
        level: u8,
        id: String,
        number: Option<String>,
        inlines: Vec<Inline>,
    },
    Paragraph {
        number: Option<String>,
        inlines: Vec<Inline>,
        /// It reads as a heading ("**Family Support**", "5.1 Original Intention"): a page
        /// never ends with it.
        keep_with_next: bool,
    },
    List {
        ordered: bool,
        start: u64,
        /// Every item begins with a marker the author typed ("i.", "(a)"): shown instead of
        /// a bullet or number, never beside one.
        typed: bool,
        items: Vec<Vec<View>>,
    },
    Table(TableView),
    Quote {
        children: Vec<View>,
    },
    Code {
        text: String,
    },
    Rule,
    /// `{{ recommendations }}`: the front-matter list, placed here.
    Recommendations {
        items: Vec<Item>,
    },
    /// The front matter's contacts, under the body's own contact details heading.
    Contacts {
        items: Vec<Contact>,
    },
}

#[derive(Clone, Debug, Serialize)]
pub struct TableView {
    pub id: String,
    pub caption: String,
    /// It has a column of amounts: laid out as wide as its content, not the page.
    pub money: bool,
    pub header: Vec<CellView>,
    pub rows: Vec<RowView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RowView {
    pub total: bool,
    pub cells: Vec<CellView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CellView {
    pub inlines: Vec<Inline>,
    /// "left", "right" or "center".
    pub align: &'static str,
    pub amount: bool,
}

/// A numbered item: a recommendation or a decision.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    pub id: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contact {
    pub name: String,
    pub role: String,
    pub phone: String,
    pub email: String,
}

/// The statutory part of a Record of Decision.
#[derive(Clone, Debug, Serialize)]
pub struct RecordView {
    pub proposed: bool,
    pub decision_maker: String,
    pub date: String,
    pub decisions: Vec<Item>,
    pub reasons: String,
    pub alternatives: String,
    pub interests: String,
    pub dispensations: String,
}

/// Everything a template needs for one page or PDF.
#[derive(Clone, Debug, Serialize)]
pub struct DocView {
    /// "report", "decision" or "appendix".
    pub kind: &'static str,
    pub council: String,
    pub title: String,
    pub decision_number: String,
    pub date: String,
    pub header: Vec<Field>,
    pub recommendations: Vec<Item>,
    pub record: Option<RecordView>,
    pub body: Vec<View>,
    /// Whether the body places the recommendations itself (`{{ recommendations }}`).
    pub recommendations_placed: bool,
    pub contacts: Vec<Contact>,
    /// Whether the body has its own contact details section (the contacts are then listed
    /// under its heading, as a `contacts` block).
    pub contacts_placed: bool,
    pub background_documents: Vec<String>,
    /// How many errors `clerk check` found in this paper (a banner when above zero).
    pub problems: usize,
    /// How many drafting placeholders ("[TBC …]", "Insert …") are left: a draft, shown only
    /// by `clerk serve` and `clerk build --draft`, under a banner.
    pub placeholders: usize,
}

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*fig\.([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*(gbp|short)\s*)?\}\}")
        .expect("valid")
});

fn recommendations_placeholder(inlines: &[Inline]) -> bool {
    crate::model::is_recommendations_placeholder(&Inline::plain(inlines))
}

/// A marker typed at the start of a list item: "i.", "iv)", "(a)", "B.", "2)".
static TYPED_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(?(?:[ivxlcdm]{1,6}|[a-z]|\d{1,2})[.)]\s").expect("valid"));

/// Whether every item of a list begins with a typed marker.
fn typed_list(items: &[Vec<View>]) -> bool {
    !items.is_empty()
        && items.iter().all(|item| {
            matches!(item.first(), Some(View::Paragraph { inlines, .. })
                if TYPED_MARKER.is_match(&Inline::plain(inlines).to_lowercase()))
        })
}

/// Whether a paragraph reads as a heading: all of it strong ("**Family Support**"), or a label
/// of a few words with no closing punctuation ("5.1 Original Intention", "Youth Service",
/// "Childrens Centres:").
fn heading_like(inlines: &[Inline]) -> bool {
    let text = Inline::plain(inlines);
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    let strong = inlines.iter().all(|i| match i {
        Inline::Strong { .. } => true,
        Inline::Text { text } => text.trim().is_empty(),
        _ => false,
    });
    // A label, not a sentence and not a "Key: value" line of contact details.
    let words = text.split_whitespace().count();
    let label = (2..=6).contains(&words)
        && text.chars().count() <= 50
        && !text.trim_end_matches(':').contains([':', '@'])
        && !text.ends_with(['.', ';', ',', '?', '!']);
    strong || label
}

static HEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?\s+").expect("valid"));

/// Puts each figure's value where `{{ fig.NAME }}` stands.
fn fill_figures(text: &str, figures: &BTreeMap<String, Figure>) -> String {
    PLACEHOLDER
        .replace_all(text, |caps: &regex::Captures| {
            match figures.get(&caps[1]).and_then(|f| f.value) {
                Some(v) if caps.get(2).is_some_and(|m| m.as_str() == "short") => format_short(v),
                Some(v) => format_exact(v),
                // Unknown or unworkable: left as written; `clerk check` reports it.
                None => caps[0].to_string(),
            }
        })
        .into_owned()
}

fn fill_inlines(inlines: &[Inline], figures: &BTreeMap<String, Figure>) -> Vec<Inline> {
    inlines
        .iter()
        .map(|i| match i {
            Inline::Text { text } => Inline::Text {
                text: fill_figures(text, figures),
            },
            Inline::Strong { children } => Inline::Strong {
                children: fill_inlines(children, figures),
            },
            Inline::Emph { children } => Inline::Emph {
                children: fill_inlines(children, figures),
            },
            Inline::Strike { children } => Inline::Strike {
                children: fill_inlines(children, figures),
            },
            Inline::Link { href, children } => Inline::Link {
                href: href.clone(),
                children: fill_inlines(children, figures),
            },
            other => other.clone(),
        })
        .collect()
}

/// Splits a hand-typed number ("4.1.") off the start of some inlines.
fn split_number(inlines: &mut Vec<Inline>, pattern: &Regex) -> Option<String> {
    let Some(Inline::Text { text }) = inlines.first_mut() else {
        return None;
    };
    let caps = pattern.captures(text)?;
    let number = caps[1].to_string();
    let rest = text[caps.get(0).map_or(0, |m| m.end())..].to_string();
    if rest.is_empty() {
        inlines.remove(0);
    } else {
        *text = rest;
    }
    Some(number)
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(60).collect()
}

struct Converter<'a> {
    doc: &'a Document,
    figures: &'a BTreeMap<String, Figure>,
    recommendations: &'a [Item],
    /// Body headings are shifted so the shallowest becomes h2 (the page title is the h1).
    level_shift: i16,
    ids: BTreeMap<String, usize>,
    /// Numbering sections and paragraphs, because the author typed no numbers.
    auto: bool,
    /// The current auto-numbered section (0: an unnumbered one, such as the Summary).
    section: u32,
    /// How many sections have been numbered so far.
    numbered: u32,
    paragraph: u32,
    /// How deep in lists and quotes: only top-level paragraphs are numbered.
    depth: usize,
}

/// Sections that reports leave unnumbered.
static UNNUMBERED_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(summary|recommendations?|recommendation\(s\)|purpose( of (this|the) report)?|background (documents|papers)|contact( details)?|report authors?|appendix|appendices)(?-u:\b)")
            .expect("valid")
});

/// Whether the author numbered anything by hand (then clerk numbers nothing).
fn hand_numbered(tree: &[Node]) -> bool {
    tree.iter().any(|n| match n {
        Node::Heading { inlines, .. } => HEADING_NUMBER.is_match(&Inline::plain(inlines)),
        Node::Paragraph { inlines } => {
            crate::model::PARAGRAPH_NUMBER.is_match(&Inline::plain(inlines))
        }
        _ => false,
    })
}

impl Converter<'_> {
    fn nodes(&mut self, nodes: &[Node]) -> Vec<View> {
        nodes.iter().filter_map(|n| self.node(n)).collect()
    }

    fn heading(&mut self, level: u8, inlines: &[Inline]) -> View {
        let mut inlines = fill_inlines(inlines, self.figures);
        let mut number = split_number(&mut inlines, &HEADING_NUMBER);
        let level = (level as i16 + self.level_shift).clamp(2, 6) as u8;
        if self.auto && level == 2 && self.depth == 0 {
            if UNNUMBERED_SECTION.is_match(&Inline::plain(&inlines)) {
                self.section = 0;
            } else {
                self.numbered += 1;
                self.section = self.numbered;
                self.paragraph = 0;
                number = Some(self.section.to_string());
            }
        }
        let mut id = slug(&Inline::plain(&inlines));
        if id.is_empty() {
            id = "section".into();
        }
        let seen = self.ids.entry(id.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            id = format!("{id}-{seen}");
        }
        View::Heading {
            level,
            id,
            number,
            inlines,
        }
    }

    fn paragraph(&mut self, inlines: &[Inline]) -> View {
        let mut inlines = fill_inlines(inlines, self.figures);
        let mut number = split_number(&mut inlines, &crate::model::PARAGRAPH_NUMBER);
        if self.auto && self.depth == 0 && self.section > 0 {
            self.paragraph += 1;
            number = Some(format!("{}.{}", self.section, self.paragraph));
        }
        // Only a paragraph of the body itself, never one inside a list or quote.
        let keep_with_next = self.depth == 0 && heading_like(&inlines);
        View::Paragraph {
            number,
            inlines,
            keep_with_next,
        }
    }

    fn node(&mut self, node: &Node) -> Option<View> {
        Some(match node {
            Node::Heading { level, inlines } => self.heading(*level, inlines),
            Node::Paragraph { inlines } if recommendations_placeholder(inlines) => {
                View::Recommendations {
                    items: self.recommendations.to_vec(),
                }
            }
            Node::Paragraph { inlines } => self.paragraph(inlines),
            Node::List {
                ordered,
                start,
                items,
            } => {
                self.depth += 1;
                let items: Vec<Vec<View>> = items.iter().map(|item| self.nodes(item)).collect();
                self.depth -= 1;
                View::List {
                    ordered: *ordered,
                    start: *start,
                    typed: typed_list(&items),
                    items,
                }
            }
            Node::Table { index } => View::Table(self.table(self.doc.tables.get(*index)?, *index)),
            Node::Quote { children } => {
                self.depth += 1;
                let children = self.nodes(children);
                self.depth -= 1;
                View::Quote { children }
            }
            Node::Code { text } => View::Code { text: text.clone() },
            Node::Rule => View::Rule,
        })
    }

    fn table(&self, table: &Table, index: usize) -> TableView {
        let amounts = table.amount_columns();
        let align = |c: usize| -> &'static str {
            match table.align.get(c).copied() {
                Some(a) if !a.is_empty() => a,
                _ if amounts.contains(&c) => "right",
                _ => "left",
            }
        };
        let cell = |c: usize, inlines: &[Inline], amount: bool| CellView {
            inlines: fill_inlines(inlines, self.figures),
            align: align(c),
            amount,
        };
        TableView {
            id: table.id.clone(),
            money: !amounts.is_empty(),
            caption: table
                .caption
                .clone()
                .unwrap_or_else(|| format!("Table {}", index + 1)),
            header: table
                .header
                .cells
                .iter()
                .enumerate()
                .map(|(c, h)| cell(c, &h.inlines, false))
                .collect(),
            rows: table
                .rows
                .iter()
                .map(|r| RowView {
                    total: r.is_total(),
                    cells: r
                        .cells
                        .iter()
                        .enumerate()
                        .map(|(c, x)| cell(c, &x.inlines, x.amount().is_some()))
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The body as views. `number` lets clerk number sections and paragraphs (reports) when the
/// author typed no numbers.
fn body(
    doc: &Document,
    figures: &BTreeMap<String, Figure>,
    recommendations: &[Item],
    number: bool,
) -> Vec<View> {
    let shallowest = doc
        .tree
        .iter()
        .filter_map(|n| match n {
            Node::Heading { level, .. } => Some(*level as i16),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let mut c = Converter {
        doc,
        figures,
        recommendations,
        level_shift: 2 - shallowest,
        ids: BTreeMap::new(),
        auto: number && !hand_numbered(&doc.tree),
        section: 0,
        numbered: 0,
        paragraph: 0,
        depth: 0,
    };

    c.nodes(&doc.tree)
}

fn text(v: &Option<serde_saphyr::Spanned<String>>) -> String {
    v.as_ref()
        .map(|s| s.value.trim().to_string())
        .unwrap_or_default()
}

fn person(p: &Person) -> String {
    match (text(&p.name), text(&p.role)) {
        (n, r) if n.is_empty() => r,
        (n, r) if r.is_empty() => n,
        (n, r) => format!("{n}, {r}"),
    }
}

fn contact(p: &Person) -> Contact {
    Contact {
        name: text(&p.name),
        role: text(&p.role),
        phone: text(&p.phone),
        email: text(&p.email),
    }
}

fn yes_no(b: bool) -> String {
    if b { "Yes" } else { "No" }.to_string()
}

fn classification(c: Classification, paragraph: Option<u32>) -> String {
    match (c, paragraph) {
        (Classification::Unrestricted, _) => "Unrestricted".into(),
        (Classification::Exempt, Some(p)) => {
            format!("Exempt: paragraph {p} of Schedule 12A to the Local Government Act 1972")
        }
        (Classification::Exempt, None) => "Exempt".into(),
    }
}

fn field(label: &str, value: String) -> Option<Field> {
    (!value.trim().is_empty()).then(|| Field {
        label: label.into(),
        value,
    })
}

fn recommendations(meta: &ReportMeta, figures: &BTreeMap<String, Figure>) -> Vec<Item> {
    meta.recommendations
        .iter()
        .map(|r| Item {
            id: r.id.value.0.clone(),
            text: fill_figures(r.text.value.trim(), figures),
        })
        .collect()
}

impl DocView {
    fn placed(mut self) -> DocView {
        self.recommendations_placed = self
            .body
            .iter()
            .any(|v| matches!(v, View::Recommendations { .. }));
        let heading = self.body.iter().position(|v| {
            matches!(v, View::Heading { inlines, .. } if Inline::plain(inlines).to_lowercase().contains("contact"))
        });
        self.contacts_placed = heading.is_some();
        if let Some(at) = heading.filter(|_| !self.contacts.is_empty()) {
            let items = self.contacts.clone();
            self.body.insert(at + 1, View::Contacts { items });
        }
        self
    }
}

/// A report's Meeting row (its committee and the meeting's date; none for a paper that goes to
/// no meeting, a decision taken by one person) and its own date, each for its own row.
fn cover_dates(m: &ReportMeta, meeting_date: &str) -> (String, String) {
    let meeting = if meeting_date.is_empty() {
        String::new()
    } else {
        [text(&m.committee), meeting_date.to_string()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let report_date = m
        .date
        .as_ref()
        .map(|d| crate::text::long_date(d.value.0))
        .unwrap_or_default();
    (meeting, report_date)
}

/// A report's cover block. `meeting_date` is the date its Meeting row shows: the meeting's it
/// goes to, never the report's own date, which has its own row.
fn report_header(m: &ReportMeta, meeting_date: &str) -> Vec<Field> {
    let divisions = m
        .electoral_divisions
        .as_ref()
        .map(|d| d.value.0.join(", "))
        .unwrap_or_default();
    let pathway = m.pathway.as_ref().map(|p| {
        [("Past", &p.past), ("Future", &p.future)]
            .iter()
            .filter_map(|(l, v)| v.as_ref().map(|v| format!("{l}: {}", v.value.trim())))
            .collect::<Vec<_>>()
            .join("; ")
    });
    let to = match (&m.to, &m.committee) {
        (Some(t), _) => t.value.trim().to_string(),
        (None, Some(c)) => c.value.trim().to_string(),
        (None, None) => m.decision_maker.as_ref().map(person).unwrap_or_default(),
    };
    let (meeting, report_date) = cover_dates(m, meeting_date);
    [
        field(
            "From",
            m.from.iter().map(person).collect::<Vec<_>>().join("; "),
        ),
        field("To", to),
        field("Meeting", meeting),
        field("Report date", report_date),
        field("Subject", m.title.value.trim().to_string()),
        field("Decision No", text(&m.decision_number)),
        field(
            "Classification",
            classification(
                m.classification.value,
                m.exempt_paragraph.as_ref().map(|p| p.value),
            ),
        ),
        field(
            "Key decision",
            match &m.key_decision_reason {
                Some(r) if m.key_decision.value.0 => format!("Yes: {}", r.value.trim()),
                _ => yes_no(m.key_decision.value.0),
            },
        ),
        field("Electoral divisions", divisions),
        field("Pathway", pathway.unwrap_or_default()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The view of a paper's report. In a meeting's pack, `meeting` is the meeting's date, which
/// its Meeting row shows whatever date the report gives.
pub fn report_view(
    paper: &Paper,
    council: &str,
    problems: usize,
    meeting: Option<chrono::NaiveDate>,
) -> Option<DocView> {
    let report = paper.report.as_ref()?;
    let m = &report.meta;
    let figures = &paper.figures;
    let recs = recommendations(m, figures);
    let date = m
        .meeting_date
        .as_ref()
        .or(m.date.as_ref())
        .map(|d| crate::text::long_date(d.value.0))
        .unwrap_or_default();
    let meeting_date = meeting
        .or(m.meeting_date.as_ref().map(|d| d.value.0))
        .map(crate::text::long_date)
        .unwrap_or_default();
    let header = report_header(m, &meeting_date);
    Some(
        DocView {
            kind: "report",
            council: council.to_string(),
            title: m.title.value.trim().to_string(),
            decision_number: text(&m.decision_number),
            date,
            header,
            body: body(&report.body, figures, &recs, true),
            recommendations: recs,
            record: None,
            recommendations_placed: false,
            contacts: m.contacts.iter().map(contact).collect(),
            contacts_placed: false,
            background_documents: m
                .background_documents
                .iter()
                .map(|b| b.value.trim().to_string())
                .collect(),
            problems,
            placeholders: 0,
        }
        .placed(),
    )
}

/// The view of a paper's Record of Decision; decisions taken by reference get the report's words.
pub fn decision_view(paper: &Paper, council: &str, problems: usize) -> Option<DocView> {
    let decision = paper.decision.as_ref()?;
    let m: &DecisionMeta = &decision.meta;
    let figures = &paper.figures;
    let report_recs = paper
        .report
        .as_ref()
        .map(|r| recommendations(&r.meta, figures))
        .unwrap_or_default();
    let date = m
        .date
        .as_ref()
        .map(|d| crate::text::long_date(d.value.0))
        .unwrap_or_default();
    let number = text(&m.decision_number);
    Some(
        DocView {
            kind: "decision",
            council: council.to_string(),
            title: m.subject.value.trim().to_string(),
            decision_number: number.clone(),
            date: date.clone(),
            header: decision_header(m, number),
            recommendations: Vec::new(),
            record: Some(RecordView {
                proposed: m.status.value == DecisionStatus::Proposed,
                decision_maker: person(&m.decision_maker),
                date,
                decisions: decision_items(paper, m),
                reasons: text(&m.reasons),
                alternatives: text(&m.alternatives),
                interests: text(&m.interests),
                dispensations: text(&m.dispensations),
            }),
            body: body(&decision.body, figures, &report_recs, false),
            recommendations_placed: false,
            contacts: Vec::new(),
            contacts_placed: false,
            background_documents: Vec::new(),
            problems,
            placeholders: 0,
        }
        .placed(),
    )
}

/// Each decision in its own words, or (with none) the words of the recommendation it decides.
fn decision_items(paper: &Paper, m: &DecisionMeta) -> Vec<Item> {
    let figures = &paper.figures;
    let words_of = |id: &str| {
        let rec = paper
            .report
            .as_ref()?
            .meta
            .recommendations
            .iter()
            .find(|r| r.id.value.0 == id)?;
        Some(fill_figures(
            rec.decision.as_ref().unwrap_or(&rec.text).value.trim(),
            figures,
        ))
    };
    m.decisions
        .iter()
        .map(|d| Item {
            id: d.id.value.0.clone(),
            text: match &d.text {
                Some(t) => fill_figures(t.value.trim(), figures),
                None => words_of(&d.id.value.0).unwrap_or_default(),
            },
        })
        .collect()
}

/// The record's header block: number, subject, the date of the decision, classification,
/// key decision.
fn decision_header(m: &DecisionMeta, number: String) -> Vec<Field> {
    let date = m
        .date
        .as_ref()
        .map(|d| crate::text::long_date(d.value.0))
        .unwrap_or_default();
    [
        field("Decision No", number),
        field("Subject", m.subject.value.trim().to_string()),
        field("Date of decision", date),
        field(
            "Classification",
            m.classification
                .as_ref()
                .map(|c| classification(c.value, m.exempt_paragraph.as_ref().map(|p| p.value)))
                .unwrap_or_default(),
        ),
        field(
            "Key decision",
            match &m.key_decision_reason {
                Some(r) if m.key_decision.value.0 => format!("Yes: {}", r.value.trim()),
                _ => yes_no(m.key_decision.value.0),
            },
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The view of an appendix.
pub fn appendix_view(
    paper: &Paper,
    index: usize,
    council: &str,
    problems: usize,
) -> Option<DocView> {
    let a = paper.appendices.get(index)?;
    let title = a
        .meta
        .title
        .as_ref()
        .map(|t| t.value.trim().to_string())
        .or_else(|| {
            a.meta
                .appendix
                .as_ref()
                .map(|x| format!("Appendix {}", x.value.0))
        })
        .unwrap_or_else(|| format!("Appendix {}", index + 1));
    let number = paper.decision_number().unwrap_or_default().to_string();
    Some(
        DocView {
            kind: "appendix",
            council: council.to_string(),
            title,
            decision_number: number,
            date: String::new(),
            header: Vec::new(),
            recommendations: Vec::new(),
            record: None,
            body: body(&a.body, &paper.figures, &[], false),
            recommendations_placed: false,
            contacts: Vec::new(),
            contacts_placed: false,
            background_documents: Vec::new(),
            problems,
            placeholders: 0,
        }
        .placed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_hand_typed_numbers() {
        let mut inlines = vec![Inline::Text {
            text: "4.1. As per Figure 1".into(),
        }];
        assert_eq!(
            split_number(&mut inlines, &crate::model::PARAGRAPH_NUMBER).as_deref(),
            Some("4.1")
        );
        assert_eq!(Inline::plain(&inlines), "As per Figure 1");
    }

    fn text(t: &str) -> Vec<Inline> {
        vec![Inline::Text { text: t.into() }]
    }

    #[test]
    fn paragraphs_that_read_as_headings_are_kept_with_the_next_block() {
        for label in ["Original Intention", "Youth Service", "Childrens Centres:"] {
            assert!(heading_like(&text(label)), "{label}");
        }
        let bold = vec![Inline::Strong {
            children: text("Family Support"),
        }];
        assert!(heading_like(&bold));
        for sentence in [
            "None",
            "Relevant Director: Stuart Collins",
            "The high-level actions and timescales are as follows:",
            "This is the end.",
            "jane.doe@kent.gov.uk 03000 415356",
        ] {
            assert!(!heading_like(&text(sentence)), "{sentence}");
        }
    }

    #[test]
    fn a_list_is_typed_when_every_item_has_its_own_marker() {
        let list = |items: &[&str]| -> Vec<Vec<View>> {
            items
                .iter()
                .map(|t| {
                    vec![View::Paragraph {
                        number: None,
                        inlines: text(t),
                        keep_with_next: false,
                    }]
                })
                .collect()
        };
        assert!(typed_list(&list(&["i. One", "ii. Two", "iii) Three"])));
        assert!(typed_list(&list(&["(a) One", "B. Two"])));
        assert!(!typed_list(&list(&["i. One", "Two"])));
        assert!(!typed_list(&list(&["e.g. this", "i.e. that"])));
        assert!(!typed_list(&[]));
    }

    #[test]
    fn slugs_headings() {
        assert_eq!(
            slug("Financial & Legal Implications"),
            "financial-legal-implications"
        );
    }
}
