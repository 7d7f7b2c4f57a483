//! The assembler: a read `Document` and a council's profile become a paper in clerk's format:
//! front matter from the header block and the lifted sections, a Markdown body with its
//! section headings, numbered paragraphs, lists and pipe tables. Every line written knows the
//! original block it came from, and every value the assembler was unsure of is marked in
//! place with `# import: check` and listed.

use std::collections::BTreeMap;

use super::appendix;
use super::classified::Classified;
use super::document::{Block, Document, ListMark, Origin, Paragraph, Table};
use super::facts::{Entry, Maker, PaperFacts};
use super::fields::{self, Person};
use super::header::{self, Header, Labels, Value};
use super::profile::{Field, Profile, Section};
use super::text::{quote, Out, CHECK_MARK};

/// What kind of paper a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Report,
    Record,
}

impl Kind {
    /// The file the paper is written to in its folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Report => "report.md",
            Kind::Record => "decision.md",
        }
    }
}

/// A value the assembler was unsure of, or text it could not place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsure {
    /// 1-based line of the written paper.
    pub line: usize,
    pub what: String,
    pub origin: Option<Origin>,
}

/// A paper in clerk's format, with where each of its lines came from.
#[derive(Clone, Debug)]
pub struct Assembled {
    pub kind: Kind,
    pub text: String,
    /// For each line of `text` (0-based), the original block it came from.
    pub origins: Vec<Option<Origin>>,
    pub unsure: Vec<Unsure>,
    /// The report's appendices, each a file of its own.
    pub appendices: Vec<Appendix>,
    /// What the paper says, as data (never what it took from its record).
    pub facts: PaperFacts,
}

/// An appendix of an imported report, in clerk's format.
#[derive(Clone, Debug)]
pub struct Appendix {
    /// "a", "2": as its heading numbers it, lower case.
    pub id: String,
    /// `appendix-a.md`.
    pub file_name: String,
    pub text: String,
    pub origins: Vec<Option<Origin>>,
    pub unsure: Vec<Unsure>,
}

/// One list item lifted into front matter (a recommendation or a decision).
struct Item {
    id: String,
    text: String,
    unsure: bool,
    origin: Origin,
}

/// The parts of the body the assembler lifts out, found while writing it.
#[derive(Default)]
struct Lifted {
    recommendations: Vec<Item>,
    /// Text of the record's sections (reasons, alternatives …), by section.
    texts: BTreeMap<Section, (String, Origin)>,
    /// The date under a record's signature.
    signed: Option<(chrono::NaiveDate, Origin)>,
    contact_lines: Vec<String>,
    contacts_origin: Option<Origin>,
}

/// Assembles a paper from `doc`, alone.
pub fn assemble(doc: &Document, profile: &Profile) -> Assembled {
    draft(doc, profile).finish(None)
}

/// A paper read, its body written and its facts known, its front matter not yet written: a
/// report waits for its record's facts, if it has one (`finish`).
pub struct Draft {
    pub kind: Kind,
    pub facts: PaperFacts,
    /// The profile with only this kind of paper's lifted sections.
    profile: Profile,
    header: Header,
    /// Every signal of the paper's classification, read together.
    classified: Classified,
    lifted: Lifted,
    body: Out,
    wraps: bool,
    /// Each appendix's heading and the blocks under it.
    appendices: Vec<(appendix::Start, Vec<Block>)>,
}

/// Reads `doc` into a draft: the paper's kind, header, body and facts.
pub fn draft(doc: &Document, profile: &Profile) -> Draft {
    let joined;
    let doc = if doc.blocks.windows(2).any(|w| continues_table(&w[0], &w[1])) {
        joined = join_page_split_tables(doc);
        &joined
    } else {
        doc
    };
    let kind = kind_of(doc, profile);
    let profile = for_kind(profile, kind);
    let wraps = doc.format != super::document::Format::Docx;
    let labels = Labels::of(&profile, wraps);
    let body_start = body_start(&doc.blocks, &profile, &labels);
    let header = header::read(&doc.blocks, body_start, &labels, wraps);
    let body_blocks = &doc.blocks[body_start..];
    let classified = Classified::read(&header, body_blocks);
    let starts = match kind {
        Kind::Report => appendix::starts(body_blocks),
        Kind::Record => Vec::new(),
    };
    let main_end = starts.first().map_or(body_blocks.len(), |s| s.at);
    let mut body = Out::default();
    let lifted = write_body(&body_blocks[..main_end], &profile, kind, wraps, &mut body);
    let appendices = starts
        .iter()
        .enumerate()
        .map(|(k, start)| {
            let end = starts.get(k + 1).map_or(body_blocks.len(), |next| next.at);
            (start.clone(), body_blocks[start.at + 1..end].to_vec())
        })
        .collect();
    Draft {
        kind,
        facts: facts_of(&header, &lifted, &profile, kind),
        profile,
        header,
        classified,
        lifted,
        body,
        wraps,
        appendices,
    }
}

impl Draft {
    /// The paper in clerk's format. A report paired with its record takes from the record's
    /// facts what it does not say itself, each line marked and listed: the decision maker
    /// (when one of its authors), whether the decision is key, and the record's words for each
    /// decision a recommendation endorses.
    pub fn finish(self, record: Option<&PaperFacts>) -> Assembled {
        let mut out = Out::default();
        out.line("---", None);
        match self.kind {
            Kind::Report => report_front_matter(&self, record, &mut out),
            Kind::Record => record_front_matter(&self, &mut out),
        }
        for (text, origin) in &self.header.unclaimed {
            out.comment(&format!("import: not placed: {text}"), Some(origin.clone()));
        }
        out.line("---", None);
        out.blank();
        out.append(self.body);
        let (text, origins, unsure) = out.finish();
        let classification = self.classified.text();
        let appendices = self
            .appendices
            .iter()
            .map(|(start, blocks)| {
                assemble_appendix(start, blocks, &classification, &self.profile, self.wraps)
            })
            .collect();
        Assembled {
            kind: self.kind,
            text,
            origins,
            unsure,
            appendices,
            facts: self.facts,
        }
    }
}

/// What the paper says, as data: what its front matter is written from.
fn facts_of(header: &Header, lifted: &Lifted, profile: &Profile, kind: Kind) -> PaperFacts {
    let get = |f: Field| header.fields.get(&f);
    let entries = lifted
        .recommendations
        .iter()
        .map(|i| Entry {
            id: i.id.clone(),
            text: i.text.clone(),
        })
        .collect();
    let (title, maker, recommendations, decisions) = match kind {
        Kind::Report => (
            report_title(header, profile).map(|(t, _)| t),
            get(Field::To).and_then(addressee),
            entries,
            Vec::new(),
        ),
        Kind::Record => (
            get(Field::Title).map(Value::joined),
            record_maker(header).map(|v| fields::person(&v.joined()).0),
            Vec::new(),
            entries,
        ),
    };
    PaperFacts {
        decision_number: read_decision_number(header, profile)
            .and_then(|(n, sure, _)| sure.then_some(n)),
        title,
        recommendations,
        decisions,
        decision_maker: maker.and_then(|p| {
            Some(Maker {
                name: p.name?,
                role: p.role,
            })
        }),
        key_decision: key_decision_said(get(Field::KeyDecision)),
    }
}

/// One appendix: its title and letter, the report's classification line (marks and all: an
/// appendix is never more public than its report), and its body.
fn assemble_appendix(
    start: &appendix::Start,
    blocks: &[Block],
    classification: &str,
    profile: &Profile,
    wraps: bool,
) -> Appendix {
    let mut out = Out::default();
    out.line("---", None);
    out.field("title", &start.title, None, false);
    out.field("appendix", &start.id.to_uppercase(), None, false);
    for line in classification.lines() {
        out.line(line, None);
    }
    out.line("---", None);
    out.blank();
    // Nothing in an appendix is lifted into front matter.
    let plain = Profile {
        sections: Default::default(),
        ..profile.clone()
    };
    write_body(blocks, &plain, Kind::Report, wraps, &mut out);
    let (text, origins, unsure) = out.finish();
    Appendix {
        file_name: appendix::file_name(&start.id),
        id: start.id.clone(),
        text,
        origins,
        unsure,
    }
}

/// A table that runs over a page break: a table at the top of the next page with as many
/// columns, right after one at the foot of a page. A PDF shows it as two.
fn continues_table(a: &Block, b: &Block) -> bool {
    let (Block::Table(a), Block::Table(b)) = (a, b) else {
        return false;
    };
    let width = |t: &Table| {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.span).sum::<usize>())
            .max()
    };
    match (&a.origin, &b.origin) {
        (Origin::Page { page: p, .. }, Origin::Page { page: q, .. }) => {
            *q == p + 1 && width(a) == width(b)
        }
        _ => false,
    }
}

/// The document with each table that runs over a page break made one again; a header row the
/// next page repeats is dropped.
fn join_page_split_tables(doc: &Document) -> Document {
    let mut blocks: Vec<Block> = Vec::with_capacity(doc.blocks.len());
    for block in &doc.blocks {
        if let (Some(last), Block::Table(next)) = (blocks.last_mut(), block) {
            if continues_table(last, block) {
                let Block::Table(table) = last else {
                    unreachable!("checked above")
                };
                let repeated = table.rows.first() == next.rows.first();
                table
                    .rows
                    .extend(next.rows.iter().skip(usize::from(repeated)).cloned());
                continue;
            }
        }
        blocks.push(block.clone());
    }
    Document {
        format: doc.format,
        blocks,
    }
}

/// The profile with only the lifted sections of this kind of paper: a report's "Options
/// considered" is a heading of its body, a record's is its alternatives.
fn for_kind(profile: &Profile, kind: Kind) -> Profile {
    let mut profile = profile.clone();
    profile.sections.retain(|section, _| match kind {
        Kind::Report => matches!(
            section,
            Section::Summary | Section::Recommendations | Section::Contacts
        ),
        Kind::Record => !matches!(section, Section::Summary | Section::Recommendations),
    });
    profile
}

/// A Record of Decision says so in its title block.
fn kind_of(doc: &Document, profile: &Profile) -> Kind {
    let is_marker = |text: &str| {
        let lower = text.to_lowercase();
        RECORD_TITLE.is_match(&lower)
            || profile
                .record_markers
                .iter()
                .any(|m| lower.contains(&m.to_lowercase()))
    };
    let record = doc.blocks.iter().take(12).any(|b| match b {
        Block::Paragraph(p) => p.text.lines().any(is_marker),
        Block::Table(t) => t
            .rows
            .iter()
            .flatten()
            .any(|c| c.text.lines().any(is_marker)),
    });
    if record {
        Kind::Record
    } else {
        Kind::Report
    }
}

/// "Record of Decision", "Record of Executive Decision", "Proposed record of decision",
/// "Record of Officer Key Decision": a record's title, whatever the council calls it.
static RECORD_TITLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\brecord of (?:[a-z-]+ ){0,3}decisions?\b").expect("valid")
});

/// Where the header block ends: at the first section heading that is not a label.
fn body_start(blocks: &[Block], profile: &Profile, labels: &Labels) -> usize {
    blocks
        .iter()
        .position(|b| match b {
            Block::Paragraph(p) => {
                labels.find(&p.text).is_none()
                    && (section_of(&p.text, profile).is_some()
                        || is_numbered_heading(p)
                        || inline_heading(p, profile).is_some())
            }
            Block::Table(_) => false,
        })
        .unwrap_or(blocks.len())
}

/// The lifted section a heading names, compared without case, colon or a leading number.
fn section_of(text: &str, profile: &Profile) -> Option<Section> {
    sections_of(text, profile).first().copied()
}

/// Every lifted section a heading names: Kent's "Any interest declared … and any dispensation
/// granted …" names two.
fn sections_of(text: &str, profile: &Profile) -> Vec<Section> {
    if text.len() > 160 {
        return Vec::new();
    }
    let normal = header::normal(strip_number(text));
    profile
        .sections
        .iter()
        .filter(|(_, names)| names.iter().any(|n| header::normal(n) == normal))
        .map(|(section, _)| *section)
        .collect()
}

/// "Heading: text" in one paragraph, where the heading names a lifted section.
fn inline_heading<'a>(p: &'a Paragraph, profile: &Profile) -> Option<(&'a str, &'a str)> {
    let (title, rest) = p.text.split_once(':')?;
    let rest = rest.trim();
    (!rest.is_empty() && p.mark.is_none() && !sections_of(title, profile).is_empty())
        .then_some((title.trim(), rest))
}

/// The signature block of a record: dotted lines, "signed", "date", and the date itself.
fn signature_line(p: &Paragraph) -> Option<Option<chrono::NaiveDate>> {
    let t = p.text.trim().trim_matches('*').trim();
    let lower = t.to_lowercase();
    if t.chars().all(|c| c == '.' || c == '…' || c == '_') && !t.is_empty()
        || matches!(lower.as_str(), "signed" | "date" | "signature" | "dated")
    {
        return Some(None);
    }
    // "Signed: Lorraine Hale, Democratic Services Manager, 14 March 2025".
    if ["signed:", "signed by", "signature:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Some(t.rsplit(", ").find_map(fields::date));
    }
    (t.split_whitespace().count() <= 5)
        .then(|| fields::date(t))
        .flatten()
        .map(Some)
}

/// "7. Recommendation(s)" without its "7. ".
fn strip_number(text: &str) -> &str {
    let t = text.trim();
    let digits = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(0);
    if digits > 0 && t[..digits].chars().any(|c| c.is_ascii_digit()) {
        t[digits..].trim()
    } else {
        t
    }
}

/// Headings every council uses, besides the lifted sections.
const COMMON_HEADINGS: &[&str] = &[
    "introduction",
    "background",
    "issues",
    "financial implications",
    "legal implications",
    "equalities implications",
    "equality implications",
    "background documents",
    "background papers",
    "conclusions",
    "conclusion",
    "next steps",
    "governance",
    "risk implications",
    "council priorities",
    "corporate implications",
    "appendices",
    "options for consideration",
    "policy framework",
    "other corporate implications",
    "cabinet committee recommendations and other consultation",
    "equalities implications",
];

/// A heading: a Word heading style; a top-level number with a short title ("2. Body of the
/// report"); a lifted section's name; or a usual heading name.
fn heading_text(p: &Paragraph, profile: &Profile) -> Option<String> {
    let numbered = match &p.mark {
        Some(ListMark::Number(n)) => format!("{n} {}", p.text),
        _ => p.text.clone(),
    };
    let trimmed = numbered.trim_end_matches(':').trim().to_string();
    if p.heading.is_some() || is_numbered_heading(p) {
        return Some(trimmed);
    }
    // "2.3 Options considered" is a numbered paragraph of section 2, not a section.
    if crate::model::PARAGRAPH_NUMBER.is_match(&numbered) {
        return None;
    }
    let bare = header::normal(strip_number(&p.text));
    if section_of(&p.text, profile).is_some() || COMMON_HEADINGS.contains(&bare.as_str()) {
        return Some(trimmed);
    }
    // A bold line that names a usual section with more words ("Legal Implications (POR)",
    // "Financial and Risk Implications"): how a PDF shows a Word heading.
    let short = p.text.split_whitespace().count() <= 8 && !p.text.ends_with('.');
    let names_section = bare.contains("implications")
        || COMMON_HEADINGS
            .iter()
            .any(|h| bare.starts_with(&format!("{h} ")));
    (p.bold && p.mark.is_none() && short && names_section).then_some(trimmed)
}

/// "1. Introduction": one number at the outer level and a short title without a full stop.
fn is_numbered_heading(p: &Paragraph) -> bool {
    let short =
        p.text.len() <= 80 && !p.text.ends_with('.') && p.text.split_whitespace().count() <= 10;
    let title_case = p.text.chars().next().is_some_and(char::is_uppercase);
    match &p.mark {
        Some(ListMark::Number(n)) => p.level == 0 && is_top_number(n) && short && title_case,
        Some(ListMark::Bullet) => false,
        None => {
            let (number, rest) = p.text.split_once(' ').unwrap_or(("", ""));
            is_top_number(number)
                && fields::date(&p.text).is_none()
                && rest.len() <= 80
                && !rest.ends_with('.')
                && rest.chars().next().is_some_and(char::is_uppercase)
                && rest.split_whitespace().count() <= 10
        }
    }
}

/// "1." or "12": one decimal number.
fn is_top_number(n: &str) -> bool {
    let digits = n.trim_end_matches('.');
    !digits.is_empty() && digits.len() <= 2 && digits.chars().all(|c| c.is_ascii_digit())
}

/// Writes the body, lifting recommendations, decisions, the record's sections and contacts.
/// `wraps`: the document's lines are as a page wrapped them (a PDF).
fn write_body(
    blocks: &[Block],
    profile: &Profile,
    kind: Kind,
    wraps: bool,
    out: &mut Out,
) -> Lifted {
    let mut body = Body {
        lifted: Lifted::default(),
        sections: Vec::new(),
        placed: false,
        kind,
        wraps,
    };
    let mut i = 0;
    while i < blocks.len() {
        i += match &blocks[i] {
            Block::Table(t) => {
                body.table(t, out);
                1
            }
            Block::Paragraph(p) => body.paragraph(&blocks[i..], p, profile, out),
        };
    }
    body.lifted
}

/// Where the body's writer is: the section it is in and what it has lifted.
struct Body {
    lifted: Lifted,
    /// The lifted sections the current heading names (none under an ordinary heading).
    sections: Vec<Section>,
    /// Whether `{{ recommendations }}` stands in the current section already.
    placed: bool,
    kind: Kind,
    /// Lines are as a PDF wrapped them: a list item may run on into a paragraph of its own.
    wraps: bool,
}

impl Body {
    /// Writes or lifts the paragraph at `rest[0]`; returns how many blocks it took.
    fn paragraph(
        &mut self,
        rest: &[Block],
        p: &Paragraph,
        profile: &Profile,
        out: &mut Out,
    ) -> usize {
        if self.kind == Kind::Record {
            if let Some(date) = signature_line(p) {
                // The signature ends the section above it; its date is the decision's.
                self.sections.clear();
                if let Some(d) = date {
                    self.lifted.signed = Some((d, p.origin.clone()));
                }
                return 1;
            }
        }
        if let Some(title) = heading_text(p, profile).filter(|_| !self.sub_label(p, profile)) {
            self.heading(&title, &p.text, &p.origin, profile, out);
            return 1;
        }
        if let Some((title, rest)) = inline_heading(p, profile) {
            self.heading(title, title, &p.origin, profile, out);
            let rest = Paragraph {
                text: rest.to_string(),
                bold: false,
                ..p.clone()
            };
            self.lift_or_write(&rest, out);
            return 1;
        }
        let list_section = matches!(
            (self.sections.first().copied(), self.kind),
            (Some(Section::Recommendations), Kind::Report)
                | (Some(Section::Decision), Kind::Record)
        );
        if list_section {
            let first = self.lifted.recommendations.is_empty();
            let mut taken = take_items(rest, profile, first, self.wraps);
            let lead_in = p.text.trim_end().ends_with(':');
            if taken.items.is_empty() && !lead_in && self.lifted.recommendations.is_empty() {
                taken = take_plain_items(rest, profile);
            }
            if !taken.items.is_empty() {
                self.items(taken.items, p, out);
                return taken.consumed;
            }
        }
        self.lift_or_write(p, out);
        1
    }

    /// "Background:" under a record's "Reason(s) for decision:": a label inside the reasons,
    /// not a section of its own (a usual heading name, with a colon, in a lifted section).
    fn sub_label(&self, p: &Paragraph, profile: &Profile) -> bool {
        let in_record_text = self.kind == Kind::Record
            && self.sections.iter().any(|s| {
                matches!(
                    s,
                    Section::Reasons
                        | Section::Alternatives
                        | Section::Interests
                        | Section::Dispensations
                )
            });
        in_record_text
            && p.heading.is_none()
            && p.text.trim_end().ends_with(':')
            && section_of(&p.text, profile).is_none()
    }

    /// A table; a record's signature block laid out as a table gives its date.
    fn table(&mut self, t: &Table, out: &mut Out) {
        if self.kind == Kind::Record {
            let lines: Vec<Paragraph> = t
                .rows
                .iter()
                .flatten()
                .flat_map(|c| c.text.lines())
                .map(|line| Paragraph {
                    mark: None,
                    level: 0,
                    text: line.to_string(),
                    bold: false,
                    heading: None,
                    origin: t.origin.clone(),
                })
                .collect();
            let signature: Vec<_> = lines.iter().map(signature_line).collect();
            if !lines.is_empty() && signature.iter().all(Option::is_some) {
                self.sections.clear();
                if let Some(d) = signature.into_iter().flatten().flatten().last() {
                    self.lifted.signed = Some((d, t.origin.clone()));
                }
                return;
            }
        }
        write_table(t, out);
    }

    fn heading(
        &mut self,
        title: &str,
        text: &str,
        origin: &Origin,
        profile: &Profile,
        out: &mut Out,
    ) {
        self.sections = sections_of(text, profile);
        if !lifts_away(self.sections.first().copied(), self.kind) {
            out.blank();
            out.line(
                &format!("## {}", out.escape_inline(title)),
                Some(origin.clone()),
            );
            out.blank();
        }
        self.placed = false;
    }

    /// The first list under a recommendations heading becomes the front matter's; a later one
    /// that repeats it is the placeholder, and one that differs stays in the body as written.
    fn items(&mut self, items: Vec<Item>, p: &Paragraph, out: &mut Out) {
        let same = |a: &[Item], b: &[Item]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| x.id == y.id && x.text == y.text)
        };
        if self.lifted.recommendations.is_empty() {
            self.lifted.recommendations = items;
        } else if !same(&self.lifted.recommendations, &items) {
            for item in &items {
                let text = out.escape_inline(&format!("{}. {}", item.id, item.text));
                out.line(&format!("- {text}"), Some(item.origin.clone()));
            }
            out.blank();
            return;
        }
        if self.kind == Kind::Report && !self.placed {
            out.line("{{ recommendations }}", Some(p.origin.clone()));
            out.blank();
            self.placed = true;
        }
    }

    fn lift_or_write(&mut self, p: &Paragraph, out: &mut Out) {
        let record_texts: Vec<Section> = self
            .sections
            .iter()
            .copied()
            .filter(|s| {
                matches!(
                    s,
                    Section::Reasons
                        | Section::Alternatives
                        | Section::Interests
                        | Section::Dispensations
                )
            })
            .collect();
        if self.kind == Kind::Record && !record_texts.is_empty() {
            for s in record_texts {
                let entry = self
                    .lifted
                    .texts
                    .entry(s)
                    .or_insert((String::new(), p.origin.clone()));
                if !entry.0.is_empty() {
                    entry.0.push_str("\n\n");
                }
                entry.0.push_str(&p.text.replace('\n', " "));
            }
            return;
        }
        match self.sections.first() {
            Some(Section::Contacts) => {
                self.lifted
                    .contact_lines
                    .extend(p.text.lines().map(str::to_string));
                self.lifted.contacts_origin.get_or_insert(p.origin.clone());
                write_paragraph(p, out);
            }
            _ => write_paragraph(p, out),
        }
    }
}

/// The record's lifted sections leave the body: they are front matter.
fn lifts_away(section: Option<Section>, kind: Kind) -> bool {
    kind == Kind::Record
        && matches!(
            section,
            Some(
                Section::Decision
                    | Section::Reasons
                    | Section::Alternatives
                    | Section::Interests
                    | Section::Dispensations
            )
        )
}

struct Taken {
    items: Vec<Item>,
    consumed: usize,
}

/// Recommendations typed as plain paragraphs, not a list: each paragraph up to the next heading
/// (or lead-in ending with a colon) is one, numbered 1, 2 … and marked for checking.
fn take_plain_items(blocks: &[Block], profile: &Profile) -> Taken {
    let mut items = Vec::new();
    // A list further down the section means this paragraph leads into it.
    let section = blocks.iter().take_while(|b| match b {
        Block::Paragraph(p) => heading_text(p, profile).is_none(),
        Block::Table(_) => false,
    });
    let list_follows = section.clone().any(|b| match b {
        Block::Paragraph(p) => p.mark.is_some() || fields::typed_label(&p.text).is_some(),
        Block::Table(_) => false,
    });
    if list_follows {
        return Taken { items, consumed: 0 };
    }
    for block in blocks {
        let Block::Paragraph(p) = block else { break };
        if p.mark.is_some()
            || p.text.trim_end().ends_with(':')
            || heading_text(p, profile).is_some()
            || inline_heading(p, profile).is_some()
        {
            break;
        }
        items.push(Item {
            id: (items.len() + 1).to_string(),
            text: p.text.replace('\n', " "),
            unsure: true,
            origin: p.origin.clone(),
        });
    }
    let consumed = items.len();
    Taken { items, consumed }
}

/// The list items that start at `blocks[0]`: Word list items, or typed "i." labels; a
/// paragraph continuing an item (no label, inside the list) joins it.
/// `first`: no recommendations are known yet, so numbers such as "2.1" under "2. Decisions
/// required" are the recommendations' own; later, "9.1 The Committee is asked to …" under a
/// closing section is a numbered paragraph.
fn take_items(blocks: &[Block], profile: &Profile, first: bool, wraps: bool) -> Taken {
    let mut items: Vec<Item> = Vec::new();
    let mut consumed = 0;
    // The list's own level: a PDF's indented list starts deeper than 0.
    let mut base: Option<u8> = None;
    for block in blocks {
        let Block::Paragraph(p) = block else { break };
        if heading_text(p, profile).is_some() {
            break;
        }
        // "9.1 The Committee is asked to …" is a numbered paragraph, not a list item.
        let multi_level =
            matches!(&p.mark, Some(ListMark::Number(n)) if n.trim_end_matches('.').contains('.'));
        if multi_level && !first {
            break;
        }
        if p.mark.is_some() && base.is_none() {
            base = Some(p.level);
        }
        let item = match &p.mark {
            Some(ListMark::Number(n)) if Some(p.level) == base => Some(Item {
                id: fields::id_of(n),
                text: p.text.replace('\n', " "),
                unsure: false,
                origin: p.origin.clone(),
            }),
            Some(ListMark::Bullet) => Some(Item {
                id: (items.len() + 1).to_string(),
                text: p.text.replace('\n', " "),
                unsure: true,
                origin: p.origin.clone(),
            }),
            Some(_) => None,
            None => fields::typed_label(&p.text).map(|(id, text)| Item {
                id,
                text: text.replace('\n', " "),
                unsure: false,
                origin: p.origin.clone(),
            }),
        };
        match item {
            Some(item) if wraps => items.extend(split_run_together(item)),
            Some(item) => items.push(item),
            None if !items.is_empty() && (p.mark.is_some() || wraps && runs_on(&items, p)) => {
                // A sub-item, or the rest of an item a PDF wrapped under its hanging indent,
                // belongs to the item above.
                let last = items.last_mut().expect("not empty");
                last.text.push(' ');
                last.text.push_str(&p.text.replace('\n', " "));
            }
            None => break,
        }
        consumed += 1;
    }
    Taken { items, consumed }
}

/// "(a) Approve … from 1 June 2025. (b) Keep free parking …": items a PDF ran together into
/// one paragraph, cut apart where the next item's label follows the end of a sentence.
fn split_run_together(item: Item) -> Vec<Item> {
    let mut items = vec![item];
    loop {
        let last = items.last().expect("not empty");
        let Some(cut) = next_labels(&last.id).into_iter().find_map(|next| {
            let bracketed = format!(" ({next}) ");
            let dotted = format!(" {next}. ");
            let closed = format!(" {next}) ");
            [bracketed, dotted, closed].into_iter().find_map(|label| {
                last.text.match_indices(&label).find_map(|(at, _)| {
                    last.text[..at].trim_end().ends_with(['.', ';']).then_some((
                        at,
                        label.len(),
                        next.clone(),
                    ))
                })
            })
        }) else {
            return items;
        };
        let (at, len, next) = cut;
        let last = items.last_mut().expect("not empty");
        let rest = last.text[at + len..].trim().to_string();
        last.text.truncate(at);
        let origin = last.origin.clone();
        items.push(Item {
            id: next,
            text: rest,
            unsure: true,
            origin,
        });
    }
}

/// The labels that may follow `id` in a list: "b" after "a", "2" after "1", "ii" after "i"
/// (and "j", should "i" be a letter).
fn next_labels(id: &str) -> Vec<String> {
    let mut next = Vec::new();
    if let Ok(n) = id.parse::<u32>() {
        next.push((n + 1).to_string());
    }
    let roman: Vec<&str> = vec![
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    if let Some(at) = roman.iter().position(|r| *r == id) {
        if let Some(r) = roman.get(at + 1) {
            next.push(r.to_string());
        }
    }
    let mut chars = id.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_lowercase() && c != 'z' {
            next.push((((c as u8) + 1) as char).to_string());
        }
    }
    next
}

/// A plain paragraph that goes on with the item above: the item stops mid-sentence, or the
/// paragraph starts in lower case.
fn runs_on(items: &[Item], p: &Paragraph) -> bool {
    let Some(last) = items.last() else {
        return false;
    };
    let open = !last.text.trim_end().ends_with(['.', ';', ':', '!', '?']);
    let lower = p.text.chars().next().is_some_and(char::is_lowercase);
    p.mark.is_none() && fields::typed_label(&p.text).is_none() && (open || lower)
}

fn write_paragraph(p: &Paragraph, out: &mut Out) {
    let text = out.escape_inline(&p.text);
    let origin = Some(p.origin.clone());
    match &p.mark {
        Some(ListMark::Number(n)) if n.trim_end_matches('.').contains('.') => {
            out.blank();
            out.line(&format!("{} {text}", n.trim()), origin);
            out.blank();
        }
        Some(ListMark::Number(n)) => {
            let body = format!("{} {text}", out.escape_inline(n.trim()));
            out.list_item(p.level, &body, origin);
        }
        Some(ListMark::Bullet) => out.list_item(p.level, &text, origin),
        // A number typed into the text ("ii. Services to …") is a list item, as Word would
        // have made it.
        None if fields::typed_label(&p.text)
            .is_some_and(|(id, _)| !id.starts_with(|c: char| c.is_ascii_digit())) =>
        {
            out.list_item(p.level, &text, origin);
        }
        None => {
            out.blank();
            let text = out.escape_block(&text);
            if p.bold && p.text.len() <= 80 {
                out.line(&format!("**{text}**"), origin);
            } else {
                out.line(&text, origin);
            }
            out.blank();
        }
    }
}

/// A table as a pipe table: merged cells left empty, spans filled with empty cells, bold kept,
/// money columns right-aligned.
fn write_table(t: &Table, out: &mut Out) {
    let grid: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|row| {
            let mut cells = Vec::new();
            for cell in row {
                let text = out.escape_cell(&cell.text);
                cells.push(if cell.merged_above || text.is_empty() {
                    String::new()
                } else if cell.bold && !cell.text.is_empty() && t.rows.first() != Some(row) {
                    format!("**{text}**")
                } else {
                    text
                });
                cells.extend(std::iter::repeat_n(
                    String::new(),
                    cell.span.saturating_sub(1),
                ));
            }
            cells
        })
        .collect();
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return;
    }
    out.anchor_caption();
    out.blank();
    for (r, row) in grid.iter().enumerate() {
        let mut row = row.clone();
        row.resize(width, String::new());
        out.line(
            &format!("| {} |", row.join(" | ")).replace("|  |", "| |"),
            Some(t.origin.clone()),
        );
        if r == 0 {
            let aligns: Vec<&str> = (0..width)
                .map(|c| {
                    if money_column(&grid[1..], c) {
                        "---:"
                    } else {
                        "---"
                    }
                })
                .collect();
            out.line(&format!("|{}|", aligns.join("|")), None);
        }
    }
    out.blank();
}

/// A column most of whose filled cells are amounts of money.
fn money_column(rows: &[Vec<String>], column: usize) -> bool {
    let filled: Vec<&String> = rows
        .iter()
        .filter_map(|r| r.get(column))
        .filter(|c| !c.is_empty())
        .collect();
    let money = filled.iter().filter(|c| c.contains('£')).count();
    !filled.is_empty() && money * 2 > filled.len()
}

// Front matter.

/// A report's front matter; `record`, its paired record's facts, gives what the report does
/// not say itself.
fn report_front_matter(draft: &Draft, record: Option<&PaperFacts>, out: &mut Out) {
    let (header, lifted, profile) = (&draft.header, &draft.lifted, &draft.profile);
    let get = |f: Field| header.fields.get(&f);
    let check = !profile.fitted;
    decision_number_line(header, profile, out);
    match report_title(header, profile) {
        Some((t, v)) => out.field("title", &t, Some(v.origin.clone()), check || v.doubtful),
        None => out.missing("title", "\"\"", "no title was found"),
    }
    people_field("from", get(Field::From), header.wraps, out);
    to_and_meeting(header, check, out);
    draft.classified.write(out);
    match (get(Field::KeyDecision), record.and_then(|r| r.key_decision)) {
        (None, Some(key)) => out.taken(
            "key_decision: the report does not say; its record does",
            None,
            &[format!(
                "key_decision: {key}  {CHECK_MARK}: the report does not say; its record does"
            )],
        ),
        (v, _) => key_decision_lines(v, out),
    }
    if let Some(e) = get(Field::ElectoralDivisions) {
        out.field(
            "electoral_divisions",
            &e.joined(),
            Some(e.origin.clone()),
            check || e.doubtful,
        );
    }
    pathway_lines(header, out);
    if let Some(maker) = record.and_then(|r| author_decides(header, lifted, r)) {
        maker_taken(maker, out);
    }
    items_field("recommendations", &lifted.recommendations, record, out);
    contacts_field(lifted, out);
}

/// The report's title: under its own label, or after the decision number ("20/00102 -
/// Community Support Services…"), with the value it came from.
fn report_title<'h>(header: &'h Header, profile: &Profile) -> Option<(String, &'h Value)> {
    let get = |f: Field| header.fields.get(&f);
    let title = get(Field::Title).map(Value::joined).or_else(|| {
        get(Field::DecisionNumber)
            .map(|v| title_after_number(&v.joined(), &profile.decision_number))
    });
    match (title, get(Field::Title).or(get(Field::DecisionNumber))) {
        (Some(t), Some(v)) if !t.is_empty() => Some((t, v)),
        _ => None,
    }
}

/// A report to a committee that names no decision maker takes the record's, when that person
/// is among the report's authors ("From: Sue Chandler, Cabinet Member …") or contacts, and the
/// report has recommendations.
fn author_decides<'r>(
    header: &Header,
    lifted: &Lifted,
    record: &'r PaperFacts,
) -> Option<&'r Maker> {
    let maker = record.decision_maker.as_ref()?;
    let names_own = header.fields.get(&Field::To).and_then(addressee).is_some();
    if names_own || lifted.recommendations.is_empty() {
        return None;
    }
    let authors = header
        .fields
        .get(&Field::From)
        .map(|v| people(v, header.wraps))
        .unwrap_or_default();
    let contacts = fields::contacts(&lifted.contact_lines);
    let named = authors
        .iter()
        .map(|(p, _)| p)
        .chain(&contacts)
        .any(|p| p.name.as_deref() == Some(maker.name.as_str()));
    named.then_some(maker)
}

/// The record's decision maker in a report, marked and listed once.
fn maker_taken(maker: &Maker, out: &mut Out) {
    let mut lines = vec![
        "decision_maker:".to_string(),
        format!("  name: {}  {CHECK_MARK}", quote(&maker.name)),
    ];
    if let Some(role) = &maker.role {
        lines.push(format!("  role: {}  {CHECK_MARK}", quote(role)));
    }
    out.taken(
        "decision_maker: the record's, one of the report's authors",
        None,
        &lines,
    );
}

/// To, the committee and the meeting's date, each written once: a report to a committee
/// names it under To (with the date on the next line), or under a label of its own.
fn to_and_meeting(header: &Header, check: bool, out: &mut Out) {
    let get = |f: Field| header.fields.get(&f);
    let mut committee: Option<(String, &Value, bool)> = None;
    let mut meeting_date: Option<(String, &Value)> = None;
    if let Some(to) = get(Field::To) {
        let (to_text, date) = split_date(&to.lines);
        out.field(
            "to",
            &to_text,
            Some(to.origin.clone()),
            check || to.doubtful,
        );
        if to_text.to_lowercase().contains("committee") {
            committee = Some((to_text, to, true));
        } else if let Some(person) = addressee(to) {
            out.line("decision_maker:", Some(to.origin.clone()));
            person_lines("  ", &person, Some(to.origin.clone()), true, out);
        }
        meeting_date = date.map(|d| (d, to));
    }
    if let Some(c) = get(Field::Committee) {
        let (text, date) = split_date(&c.lines);
        committee = Some((text, c, check || c.doubtful));
        meeting_date = date.map(|d| (d, c)).or(meeting_date);
    }
    if let Some((text, v, unsure)) = committee {
        out.field("committee", &text, Some(v.origin.clone()), unsure);
    }
    match (get(Field::MeetingDate), meeting_date) {
        (Some(d), _) => date_field("meeting_date", d, out),
        (None, Some((d, v))) => out.raw_field("meeting_date", &d, Some(v.origin.clone()), false),
        (None, None) => {}
    }
}

/// The person a report is to, not a committee: a report to a Cabinet Member is for them to
/// decide.
fn addressee(to: &Value) -> Option<Person> {
    let (to_text, _) = split_date(&to.lines);
    if to_text.to_lowercase().contains("committee") {
        return None;
    }
    match fields::person(&to_text) {
        (person, false) => Some(person),
        _ => None,
    }
}

/// A record's decision maker: under its own label, or From.
fn record_maker(header: &Header) -> Option<&Value> {
    let get = |f: Field| header.fields.get(&f);
    get(Field::DecisionMaker).or(get(Field::From))
}

fn record_front_matter(draft: &Draft, out: &mut Out) {
    let (header, lifted, profile) = (&draft.header, &draft.lifted, &draft.profile);
    let get = |f: Field| header.fields.get(&f);
    let check = !profile.fitted;
    let status = if header.proposed { "proposed" } else { "taken" };
    out.raw_field("status", status, None, false);
    decision_number_line(header, profile, out);
    match get(Field::Title) {
        Some(v) => out.field(
            "subject",
            &v.joined(),
            Some(v.origin.clone()),
            check || v.doubtful,
        ),
        None => out.missing("subject", "\"\"", "no subject was found"),
    }
    match record_maker(header) {
        Some(v) => {
            let (person, unsure) = fields::person(&v.joined());
            out.line("decision_maker:", Some(v.origin.clone()));
            person_lines("  ", &person, Some(v.origin.clone()), unsure, out);
        }
        None => out.missing("decision_maker", "{}", "no decision maker was found"),
    }
    match (get(Field::Date), &lifted.signed) {
        (Some(d), _) => date_field("date", d, out),
        (None, Some((d, origin))) => {
            out.raw_field("date", &d.to_string(), Some(origin.clone()), true)
        }
        (None, None) => {}
    }
    key_decision_lines(get(Field::KeyDecision), out);
    draft.classified.write(out);
    let decisions: Vec<Item> = lifted
        .recommendations
        .iter()
        .map(|i| Item {
            id: i.id.clone(),
            text: i.text.clone(),
            unsure: i.unsure,
            origin: i.origin.clone(),
        })
        .collect();
    items_field("decisions", &decisions, None, out);
    for (section, key) in [
        (Section::Reasons, "reasons"),
        (Section::Alternatives, "alternatives"),
        (Section::Interests, "interests"),
        (Section::Dispensations, "dispensations"),
    ] {
        if let Some((text, origin)) = lifted.texts.get(&section) {
            out.block_field(key, text, Some(origin.clone()));
        }
    }
}

fn decision_number_line(header: &Header, profile: &Profile, out: &mut Out) {
    if let Some((n, sure, v)) = read_decision_number(header, profile) {
        out.field("decision_number", &n, Some(v.origin.clone()), !sure);
    }
}

/// The decision number, whether it fits the council's pattern (else it is as printed), and
/// the value it was read from.
fn read_decision_number<'h>(
    header: &'h Header,
    profile: &Profile,
) -> Option<(String, bool, &'h Value)> {
    // A label with nothing after it ("DECISION NO:" left blank) gives no number.
    let v = header
        .fields
        .get(&Field::DecisionNumber)
        .filter(|v| !v.joined().trim().is_empty())?;
    Some(
        match header::decision_number(&v.joined(), &profile.decision_number) {
            Some(n) => (n, true, v),
            None => (v.joined(), false, v),
        },
    )
}

/// "20/00102 - Community Support Services…" without its number.
fn title_after_number(text: &str, pattern: &str) -> String {
    match header::decision_number(text, pattern) {
        Some(n) => text
            .replacen(&n, "", 1)
            .trim()
            .trim_start_matches(['-', '–', ':'])
            .trim()
            .to_string(),
        None => text.to_string(),
    }
}

/// "Children's … Cabinet Committee" and "9 March 2021" on the lines of a To: field.
fn split_date(lines: &[String]) -> (String, Option<String>) {
    let mut date = None;
    let mut kept = Vec::new();
    for line in lines {
        match fields::date(line) {
            Some(d) if line.split_whitespace().count() <= 5 => date = Some(d.to_string()),
            // "Children's … Committee, 9 July 2014".
            _ => match line
                .rsplit_once(", ")
                .map(|(head, tail)| (head, fields::date(tail), tail))
            {
                Some((head, Some(d), tail)) if tail.split_whitespace().count() <= 5 => {
                    date = Some(d.to_string());
                    kept.push(head.to_string());
                }
                _ => kept.push(line.clone()),
            },
        }
    }
    (kept.join(" "), date)
}

/// `wrapped`: the lines are as a PDF wrapped them, so a line after the first may be anything
/// (a label's second line, a page header): the people after the first are marked.
fn people_field(key: &str, value: Option<&Value>, wrapped: bool, out: &mut Out) {
    let Some(v) = value else { return };
    out.line(&format!("{key}:"), Some(v.origin.clone()));
    for (person, unsure) in people(v, wrapped) {
        person_lines("  - ", &person, Some(v.origin.clone()), unsure, out);
    }
}

/// The people a value names, each with whether it is unsure (see `people_field`).
fn people(v: &Value, wrapped: bool) -> Vec<(Person, bool)> {
    // Lines that are only an e-mail address belong to the person above.
    let mut people: Vec<(Person, bool)> = Vec::new();
    // "A, Cabinet Member; B, Corporate Director": people in one line, as clerk's PDFs print them.
    let lines: Vec<&str> = v.lines.iter().flat_map(|l| l.split("; ")).collect();
    for line in lines {
        let (person, unsure) = fields::person(line);
        match people.last_mut() {
            Some((last, _))
                if person.name.is_none() && person.role.is_none() && last.email.is_none() =>
            {
                last.email = person.email;
            }
            // A role broken over two lines ("… Young People and" / "Education").
            Some((last, last_unsure))
                if person.name.is_none() && person.email.is_none() && last.email.is_none() =>
            {
                let more = person.role.unwrap_or_default();
                last.role = Some(match last.role.take() {
                    Some(role) => format!("{role} {more}"),
                    None => more,
                });
                *last_unsure = true;
            }
            _ => {
                let unsure = unsure || wrapped && !people.is_empty();
                people.push((person, unsure));
            }
        }
    }
    people
}

/// A person's keys, the first after `lead` ("  - " in a list, "  " in a map).
fn person_lines(lead: &str, p: &Person, origin: Option<Origin>, unsure: bool, out: &mut Out) {
    let indent = " ".repeat(lead.len());
    let mut first = true;
    for (key, value) in [
        ("name", &p.name),
        ("role", &p.role),
        ("phone", &p.phone),
        ("email", &p.email),
    ] {
        if let Some(v) = value {
            let prefix = if first { lead } else { indent.as_str() };
            out.field(
                &format!("{prefix}{key}"),
                v,
                origin.clone(),
                unsure && key != "email",
            );
            first = false;
        }
    }
    if first {
        out.line(&format!("{lead}{{}}"), origin);
    }
}

fn date_field(key: &str, v: &Value, out: &mut Out) {
    match fields::date(&v.joined()) {
        Some(d) => out.raw_field(key, &d.to_string(), Some(v.origin.clone()), false),
        None => out.comment(
            &format!("import: check: {key} not read from \"{}\"", v.joined()),
            Some(v.origin.clone()),
        ),
    }
}

fn key_decision_lines(v: Option<&Value>, out: &mut Out) {
    let Some(v) = v else {
        return out.missing(
            "key_decision",
            "false",
            "the paper does not say whether this is a key decision",
        );
    };
    let text = v.joined();
    match fields::yes_no(&text) {
        Some(yes) => out.raw_field(
            "key_decision",
            &yes.to_string(),
            Some(v.origin.clone()),
            false,
        ),
        None => {
            // "Key decision affecting more than 2 electoral divisions…": a key decision, and why.
            out.raw_field(
                "key_decision",
                "true",
                Some(v.origin.clone()),
                unclear_key(&text),
            );
            let reason = text
                .strip_prefix("Reason:")
                .or_else(|| text.strip_prefix("reason:"))
                .unwrap_or(&text)
                .trim();
            if !reason.is_empty() {
                out.field("key_decision_reason", reason, Some(v.origin.clone()), false);
            }
        }
    }
}

/// Whether the decision is key, when the paper says so for sure.
fn key_decision_said(v: Option<&Value>) -> Option<bool> {
    let text = v?.joined();
    match fields::yes_no(&text) {
        Some(yes) => Some(yes),
        None => (!unclear_key(&text)).then_some(true),
    }
}

/// A few characters that are neither yes nor no ("Y*", "TBC"): read as key, but marked.
fn unclear_key(text: &str) -> bool {
    !text.is_empty() && text.len() < 12
}

fn pathway_lines(header: &Header, out: &mut Out) {
    let get = |f: Field| header.fields.get(&f);
    let mut parts: Vec<(&str, String, &Value)> = Vec::new();
    for (key, field) in [
        ("past", Field::PathwayPast),
        ("future", Field::PathwayFuture),
    ] {
        if let Some(v) = get(field) {
            parts.push((key, v.joined(), v));
        }
    }
    // "Past: None; Future: Cabinet Member Decision".
    if let Some(v) = get(Field::Pathway) {
        for part in v.joined().split(';') {
            let Some((key, text)) = part.split_once(':') else {
                continue;
            };
            let key = match key.trim().to_lowercase().as_str() {
                "past" => "past",
                "future" => "future",
                _ => continue,
            };
            if !parts.iter().any(|(k, _, _)| *k == key) {
                parts.push((key, text.trim().to_string(), v));
            }
        }
    }
    if parts.is_empty() {
        return;
    }
    out.line("pathway:", Some(parts[0].2.origin.clone()));
    for (key, text, v) in parts {
        out.field(
            &format!("  {key}"),
            &text,
            Some(v.origin.clone()),
            v.doubtful,
        );
    }
}

/// Recommendations or decisions; a recommendation that endorses "the proposed decision to …"
/// gets `decision:`, its paired record's words (marked), so the decision is not then reported
/// as worded unlike the recommendation.
fn items_field(key: &str, items: &[Item], record: Option<&PaperFacts>, out: &mut Out) {
    if items.is_empty() {
        return out.missing(key, "[]", &format!("no {key} were found"));
    }
    out.line(&format!("{key}:"), None);
    for item in items {
        out.field("  - id", &item.id, Some(item.origin.clone()), item.unsure);
        out.field("    text", &item.text, Some(item.origin.clone()), false);
        if let Some(decided) = record.and_then(|r| r.decision_endorsed(&item.id, &item.text)) {
            out.taken(
                "decision: the record's words for the decision this recommendation endorses",
                Some(item.origin.clone()),
                &[format!("    decision: {}  {CHECK_MARK}", quote(decided))],
            );
        }
    }
}

fn contacts_field(lifted: &Lifted, out: &mut Out) {
    let people = fields::contacts(&lifted.contact_lines);
    if people.is_empty() {
        return;
    }
    out.line("contacts:", lifted.contacts_origin.clone());
    for p in people {
        person_lines("  - ", &p, lifted.contacts_origin.clone(), p.guessed, out);
    }
}
