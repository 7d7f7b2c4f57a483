//! Markdown body → `Document`: a flat list of text blocks and tables with source positions.
//!
//! Event-driven and iterative (no recursion), so a body nested 10,000 deep costs no stack.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::model::money::Money;
use crate::model::{Block, BlockKind, Cell, CellValue, Document, MappedText, Row, Table};
use crate::parse::tree::TreeBuilder;
use rust_decimal::Decimal;

struct Open {
    kind: BlockKind,
    text: MappedText,
    start: usize,
    list_depth: usize,
}

#[derive(Default)]
struct TableBuilder {
    start: usize,
    align: Vec<&'static str>,
    header: Option<Row>,
    rows: Vec<Row>,
    row: Vec<Cell>,
    row_start: usize,
    cell: Option<(MappedText, usize)>,
}

/// Parses a body that starts at byte `base` of its file.
pub fn parse(body: &str, base: usize) -> Document {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut builder = Builder {
        body,
        base,
        doc: Document::default(),
        open: None,
        lists: Vec::new(),
        table: None,
        last_heading: None,
        in_code_block: false,
        tree: TreeBuilder::default(),
        cell_inlines: Vec::new(),
    };
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = (range.start + base)..(range.end + base);
        builder.event(event, range);
    }
    builder.finish()
}

/// The document being built from pulldown-cmark's events, and where in it the events are.
struct Builder<'a> {
    body: &'a str,
    base: usize,
    doc: Document,
    open: Option<Open>,
    /// Each open list: the next number of an ordered list, `None` for bullets.
    lists: Vec<Option<u64>>,
    table: Option<TableBuilder>,
    last_heading: Option<usize>,
    in_code_block: bool,
    tree: TreeBuilder,
    cell_inlines: Vec<crate::model::Inline>,
}

impl Builder<'_> {
    fn event(&mut self, event: Event, range: Range<usize>) {
        if let Some(inlines) = self.tree.event(&event) {
            self.cell_inlines = inlines;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) | Event::Code(text) => self.text(&text, range),
            Event::SoftBreak | Event::HardBreak => {
                let depth = self.lists.len();
                append(
                    &mut self.table,
                    &mut self.open,
                    " ",
                    range.start,
                    depth,
                    range.start,
                );
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.finish_block();
                self.open_block(BlockKind::Heading(level as u8), range.start);
            }
            Tag::Paragraph => {
                let continuing_item = matches!(&self.open, Some(o) if matches!(o.kind, BlockKind::ListItem { .. }) && o.text.text.is_empty());
                if !continuing_item {
                    self.finish_block();
                    self.open_block(BlockKind::Paragraph, range.start);
                }
            }
            Tag::List(first) => {
                self.finish_block();
                self.lists.push(first);
            }
            Tag::Item => {
                self.finish_block();
                let ordered_number = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let this = *n;
                        *n += 1;
                        Some(this)
                    }
                    _ => None,
                };
                self.open_block(BlockKind::ListItem { ordered_number }, range.start);
            }
            Tag::CodeBlock(_) => {
                self.finish_block();
                self.in_code_block = true;
            }
            Tag::Table(alignments) => {
                self.finish_block();
                self.table = Some(TableBuilder {
                    start: range.start,
                    align: alignments.iter().map(alignment).collect(),
                    ..Default::default()
                });
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.row.clear();
                    t.row_start = range.start;
                }
            }
            Tag::TableCell => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = Some((MappedText::default(), range.start));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item => self.finish_block(),
            TagEnd::List(_) => {
                self.finish_block();
                self.lists.pop();
            }
            TagEnd::CodeBlock => self.in_code_block = false,
            TagEnd::TableHead | TagEnd::TableRow => self.end_row(range),
            TagEnd::TableCell => self.end_cell(),
            TagEnd::Table => self.end_table(range.end),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, range: Range<usize>) {
        if self.in_code_block {
            return;
        }
        let is_code = self
            .body
            .get(range.start - self.base..range.end - self.base)
            .is_some_and(|s| s.starts_with('`'));
        let at = if is_code {
            range.start + 1
        } else {
            range.start
        };
        let depth = self.lists.len();
        append(
            &mut self.table,
            &mut self.open,
            text,
            at,
            depth,
            range.start,
        );
    }

    fn open_block(&mut self, kind: BlockKind, start: usize) {
        self.open = Some(Open {
            kind,
            text: MappedText::default(),
            start,
            list_depth: self.lists.len(),
        });
    }

    /// Closes the open block into the document; an empty one (but a heading) is dropped.
    fn finish_block(&mut self) {
        let Some(o) = self.open.take() else { return };
        if o.text.text.trim().is_empty() && !matches!(o.kind, BlockKind::Heading(_)) {
            return;
        }
        let span = if o.text.text.is_empty() {
            o.start..o.start
        } else {
            o.text.source_range(0..o.text.text.len())
        };
        let is_heading = matches!(o.kind, BlockKind::Heading(_));
        self.doc.blocks.push(Block {
            kind: o.kind,
            text: o.text,
            span,
            list_depth: o.list_depth,
            section: self.last_heading,
        });
        if is_heading {
            self.last_heading = Some(self.doc.blocks.len() - 1);
        }
    }

    fn end_row(&mut self, range: Range<usize>) {
        let Some(t) = self.table.as_mut() else { return };
        let line = &self.body[(t.row_start - self.base)..(range.end - self.base)];
        // The row's span ends with its text, not after its line break.
        let end = t.row_start + line.trim_end().len();
        let row = Row {
            cells: std::mem::take(&mut t.row),
            span: t.row_start..end,
            written_cells: count_written_cells(line),
        };
        if t.header.is_none() {
            t.header = Some(row);
        } else {
            t.rows.push(row);
        }
    }

    fn end_cell(&mut self) {
        let Some(t) = self.table.as_mut() else { return };
        let Some((text, start)) = t.cell.take() else {
            return;
        };
        let span = if text.text.is_empty() {
            start..start
        } else {
            text.source_range(0..text.text.len())
        };
        // A row's first cell is its label.
        let value = cell_value(&text.text, t.row.is_empty());
        let inlines = std::mem::take(&mut self.cell_inlines);
        t.row.push(Cell {
            text,
            inlines,
            span,
            value,
        });
    }

    fn end_table(&mut self, end: usize) {
        if let Some(t) = self.table.take() {
            push_table(&mut self.doc, t, end, self.last_heading, self.lists.len());
            let captioned = self.doc.tables.last().is_some_and(|t| t.caption.is_some());
            self.tree.table(self.doc.tables.len() - 1, captioned);
        }
    }

    fn finish(mut self) -> Document {
        self.finish_block();
        let end = self.base + self.body.len();
        self.end_table(end);
        self.doc.tree = self.tree.finish();
        self.doc
    }
}

fn alignment(a: &pulldown_cmark::Alignment) -> &'static str {
    match a {
        pulldown_cmark::Alignment::Left => "left",
        pulldown_cmark::Alignment::Right => "right",
        pulldown_cmark::Alignment::Center => "center",
        pulldown_cmark::Alignment::None => "",
    }
}

fn append(
    table: &mut Option<TableBuilder>,
    open: &mut Option<Open>,
    text: &str,
    at: usize,
    depth: usize,
    start: usize,
) {
    if let Some((cell, _)) = table.as_mut().and_then(|t| t.cell.as_mut()) {
        cell.push(text, at);
        return;
    }
    let block = open.get_or_insert_with(|| Open {
        kind: BlockKind::Paragraph,
        text: MappedText::default(),
        start,
        list_depth: depth,
    });
    block.text.push(text, at);
}

static NUMBERED_CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:table|figure|chart)\s+\d+[a-z]?\s*(?:[:.–—-]|\s)\s*\S").expect("valid")
});

static CAPTION_REGEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*\{#([A-Za-z0-9_.-]+)\}\s*$").expect("valid"));

fn push_table(
    doc: &mut Document,
    t: TableBuilder,
    end: usize,
    section: Option<usize>,
    depth: usize,
) {
    let index = doc.tables.len();
    let mut id = format!("table-{}", index + 1);
    let mut caption = None;
    // A paragraph straight before the table that ends in `{#id}` captions it.
    if let Some(prev) = doc.blocks.last_mut() {
        if prev.kind == BlockKind::Paragraph && prev.span.end <= t.start {
            if let Some(caps) = CAPTION_REGEX.captures(&prev.text.text) {
                id = caps[1].to_string();
                let whole = caps.get(0).map_or(0, |m| m.start());
                caption = Some(prev.text.text[..whole].trim().to_string());
                prev.kind = BlockKind::Caption(index);
            } else if NUMBERED_CAPTION.is_match(&prev.text.text) && prev.text.text.len() < 200 {
                // "Table 1: Current spend" just above a table is its caption, as in Word.
                caption = Some(prev.text.text.trim().to_string());
                prev.kind = BlockKind::Caption(index);
            }
        }
    }
    let header = t.header.unwrap_or(Row {
        cells: Vec::new(),
        span: t.start..t.start,
        written_cells: 0,
    });
    // The paragraph above a table often states its unit ("Table 2: Capital programme, £000").
    let above = doc
        .blocks
        .last()
        .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Caption(_)))
        .filter(|b| b.span.end <= t.start && b.text.text.len() < 300)
        .map(|b| b.text.text.clone());
    let mut table = Table {
        id,
        align: t.align,
        caption,
        span: t.start..end,
        header,
        rows: t.rows,
    };
    scale_columns(&mut table, above.as_deref());
    doc.tables.push(table);
    doc.blocks.push(Block {
        kind: BlockKind::Table(index),
        text: MappedText::default(),
        span: t.start..end,
        list_depth: depth,
        section,
    });
}

/// The unit a table or column states for its plain numbers: 1,000 for "£000", "£'000",
/// "£000s" or "£k"; 1,000,000 for "£m", "£'m" or "£ million"; pounds for "(£)" or a header
/// of "£" alone.
fn stated_scale(text: &str) -> Option<Decimal> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)£\s*'?\s*(?:(?P<k>000'?s?|k|thousands?)|(?P<m>m|mn|millions?))(?:[^a-z0-9]|$)|(?P<one>\(\s*£\s*\)|^\s*£\s*$)",
        )
        .expect("valid")
    });
    let re = &*RE;
    let caps = re.captures(text)?;
    Some(if caps.name("k").is_some() {
        Decimal::from(1_000)
    } else if caps.name("m").is_some() {
        Decimal::from(1_000_000)
    } else {
        Decimal::ONE
    })
}

/// Whether a column's header says it holds counts or percentages ("Number of proposals",
/// "No. of homes", "Share (%)"), which a whole table's unit of money does not govern. A
/// percentage with its figure ("VAT at 20%") is a rate the column's money is worked at, not
/// its unit.
fn counts_or_shares(header: &str) -> bool {
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:number|count|percentage)(?-u:\b)|(?-u:\b)no\.").expect("valid")
    });
    static SHARE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)(?P<before>\S?)\s*(?:%|per\s?cent)").expect("valid"));
    WORDS.is_match(header)
        || SHARE.captures_iter(header).any(|c| {
            !c.name("before").is_some_and(|b| {
                b.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_digit() || ch == '.')
                    && !b.as_str().is_empty()
            })
        })
}

/// Makes the plain numbers of a table in thousands or millions into amounts at that scale.
/// A header cell's unit governs its column; the caption's, the paragraph's above or the first
/// header cell's govern every column that is mostly numbers, not headed as counts or
/// percentages and not numbering the rows (1, 2, 3, …).
fn scale_columns(table: &mut Table, above: Option<&str>) {
    let whole = table
        .caption
        .as_deref()
        .and_then(stated_scale)
        .or_else(|| above.and_then(stated_scale))
        .or_else(|| {
            table
                .header
                .cells
                .first()
                .and_then(|c| stated_scale(&c.text.text))
        });
    for col in 0..table.columns() {
        let own = table
            .header
            .cells
            .get(col)
            .and_then(|c| stated_scale(&c.text.text));
        let header = table
            .header
            .cells
            .get(col)
            .map_or("", |c| c.text.text.as_str());
        let whole = whole.filter(|_| !counts_or_shares(header));
        let Some(factor) = own.filter(|_| col > 0).or(whole) else {
            continue;
        };
        let plain =
            |c: &Cell| matches!(c.value, CellValue::Text) && Money::parse(&c.label()).is_ok();
        let cells: Vec<&Cell> = table.rows.iter().filter_map(|r| r.cells.get(col)).collect();
        let filled = cells
            .iter()
            .filter(|c| !matches!(c.value, CellValue::Empty))
            .count();
        let numbers = cells.iter().filter(|c| plain(c)).count();
        if numbers == 0 || numbers * 2 < filled || numbers_rows(&cells) {
            continue;
        }
        for row in &mut table.rows {
            if let Some(cell) = row.cells.get_mut(col).filter(|c| plain(c)) {
                if let Some(m) = Money::parse(&cell.label())
                    .ok()
                    .and_then(|m| m.scaled(factor))
                {
                    cell.value = CellValue::Amount(m);
                }
            }
        }
    }
}

/// Whether a column's numbers are 1, 2, 3, … in order (two at least): they number the rows
/// ("Contract year" 1 to 5), whatever the table's unit.
fn numbers_rows(cells: &[&Cell]) -> bool {
    let numbers: Vec<String> = cells
        .iter()
        .map(|c| c.label())
        .filter(|t| !t.is_empty())
        .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    numbers.len() >= 2
        && numbers
            .iter()
            .enumerate()
            .all(|(i, t)| t.parse::<usize>().ok() == Some(i + 1))
}

/// What a cell holds; `label` for a row's first cell, whose words may hold amounts ("Small
/// grants (£1,000 to £10,000)") without being one.
fn cell_value(text: &str, label: bool) -> CellValue {
    let cleaned = text.replace("**", "").replace("__", "");
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        return CellValue::Empty;
    }
    if !trimmed.contains('£') || label && names_something(trimmed) || heading_or_prose(trimmed) {
        return CellValue::Text;
    }
    match Money::parse(trimmed) {
        Ok(m) => CellValue::Amount(m),
        Err(e) => CellValue::BadAmount(e.0),
    }
}

/// Whether a row's label with a £ sign is words that hold amounts, not an amount: "Small
/// grants (£1,000 to £10,000)", "Grants up to £5,000 each". A word of three letters or more
/// that is not one amounts are written with ("million", "circa", "up to") says so; "£1,2345"
/// and "£1.3mm" have none, and stay amounts that are reported when they do not read.
fn names_something(text: &str) -> bool {
    const MONEY_WORDS: &[&str] = &[
        "million",
        "billion",
        "thousand",
        "approx",
        "approximately",
        "circa",
        "about",
        "around",
        "over",
        "under",
        "less",
        "more",
        "than",
        "not",
        "exceeding",
        "least",
        "and",
    ];
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .any(|w| !MONEY_WORDS.contains(&w.to_lowercase().as_str()))
}

/// A unit and the periods of a heading: "£000's", "£'000", "£m", "(£)", "2025-26".
static UNIT_OR_PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)£\s*(?:'?000'?s?|k|m|bn|millions?|thousands?)(?-u:\b)|\(£\)|\d{4}(?:\s*[-–/]\s*\d{2,4})?")
        .expect("valid")
});

/// Whether a cell with a £ sign is a heading or a sentence, not an amount mistyped: a unit with
/// no figure ("£000's", "2025-26 Staffing £000s", a header repeated where a page breaks), or
/// four words or more (a mistyped amount has a word or two beside it at most, "£1.3mm",
/// "£TBC"; four is a sentence, such as text of two columns run together in a PDF).
fn heading_or_prose(text: &str) -> bool {
    let rest = UNIT_OR_PERIOD.replace_all(text, " ");
    let unit = rest != text;
    if unit && !rest.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .count()
        >= 4
}

/// Counts the cells written on a table row's source line (GFM pads or cuts them silently).
fn count_written_cells(line: &str) -> usize {
    let line = line.trim();
    let mut cells = 1;
    let mut escaped = false;
    let mut in_code = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '`' if !escaped => in_code = !in_code,
            '|' if !escaped && !in_code => cells += 1,
            _ => {}
        }
        escaped = false;
    }
    if line.starts_with('|') {
        cells -= 1;
    }
    if line.ends_with('|') && !line.ends_with("\\|") && line.len() > 1 {
        cells -= 1;
    }
    cells
}

/// The byte range of a block's text that matches, mapped to the source.
pub fn source_range(text: &MappedText, range: Range<usize>) -> Range<usize> {
    text.source_range(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rows_label_may_hold_amounts_in_words() {
        let body = "| Strand | Awarded |\n|---|---:|\n| Small grants (£1,000 to £10,000) | £246,850 |\n| £1,2345 | £1.3mm |\n";
        let doc = parse(body, 0);
        let rows = &doc.tables[0].rows;
        assert_eq!(rows[0].cells[0].value, CellValue::Text);
        assert!(matches!(rows[0].cells[1].value, CellValue::Amount(_)));
        // A label with no words is an amount that does not read, and one in a column of
        // amounts is never taken for words.
        assert!(matches!(rows[1].cells[0].value, CellValue::BadAmount(_)));
        assert!(matches!(rows[1].cells[1].value, CellValue::BadAmount(_)));
        assert!(matches!(
            cell_value("Grants (£1,000 to £10,000)", false),
            CellValue::BadAmount(_)
        ));
    }

    #[test]
    fn blocks_keep_source_positions() {
        let body = "## 1. Intro\n\n1.1 The **total** is £5.\n\n- i. first\n- ii. second\n";
        let doc = parse(body, 100);
        let para = &doc.blocks[1];
        assert_eq!(para.text.text, "1.1 The total is £5.");
        let at = para.text.text.find('£').unwrap();
        assert_eq!(para.text.source_offset(at), 100 + body.find('£').unwrap());
        assert_eq!(
            doc.blocks[2].kind,
            BlockKind::ListItem {
                ordered_number: None
            }
        );
        assert_eq!(doc.blocks[2].section, Some(0));
    }

    #[test]
    fn a_caption_in_pounds_makes_plain_numbers_money_but_not_counts() {
        let doc = parse(
            "Table 3: Income (£)\n\n| Service | Number of permits | Income |\n|---|---:|---:|\n\
             | Parking | 1,200 | 2,864,000 |\n| Total | 1,200 | 2,864,000 |\n",
            0,
        );
        let row = &doc.tables[0].rows[0];
        assert!(
            matches!(row.cells[1].value, CellValue::Text),
            "{:?}",
            row.cells[1]
        );
        match &row.cells[2].value {
            CellValue::Amount(m) => assert_eq!(m.value, Decimal::from(2_864_000)),
            other => panic!("{other:?}"),
        }
        assert_eq!(stated_scale("£"), Some(Decimal::ONE));
        // A column numbering the rows stays as written.
        let doc = parse(
            "Table 2: Fees (£)\n\n| Year | Fee |\n|---|---:|\n| 1 | 1,184,000 |\n| 2 | 1,057,600 |\n| Total | 2,241,600 |\n",
            0,
        );
        let rows = &doc.tables[0].rows;
        assert!(matches!(rows[0].cells[0].value, CellValue::Text));
        assert!(matches!(rows[1].cells[1].value, CellValue::Amount(_)));
        assert!(counts_or_shares("Share (%)") && counts_or_shares("Increase %"));
        assert!(counts_or_shares("No. of homes") && !counts_or_shares("VAT at 20%"));
        assert!(!counts_or_shares("Fee including VAT"));
        assert_eq!(stated_scale("Cost £"), None);
    }

    #[test]
    fn a_numbered_line_above_a_table_is_its_caption() {
        let doc = parse(
            "Table 2: Capital programme (£000)\n\n| Item | Cost |\n|---|---:|\n| A | 1,000 |\n",
            0,
        );
        let t = &doc.tables[0];
        assert_eq!(
            t.caption.as_deref(),
            Some("Table 2: Capital programme (£000)")
        );
        assert_eq!(t.id, "table-1");
        assert!(!doc
            .tree
            .iter()
            .any(|n| matches!(n, crate::model::Node::Paragraph { .. })));
        // An ordinary paragraph above a table stays a paragraph.
        let doc = parse(
            "The costs are below.\n\n| Item | Cost |\n|---|---:|\n| A | £1 |\n",
            0,
        );
        assert!(doc.tables[0].caption.is_none());
    }

    #[test]
    fn tables_get_ids_from_captions() {
        let body = "Figure 1: Spend {#figure-1}\n\n| A | B |\n|---|---:|\n| x | £1 |\n| Total | £1 |\n| y |\n";
        let doc = parse(body, 0);
        let t = &doc.tables[0];
        assert_eq!(t.id, "figure-1");
        assert_eq!(t.caption.as_deref(), Some("Figure 1: Spend"));
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2].written_cells, 1);
        assert!(matches!(t.rows[0].cells[1].value, CellValue::Amount(_)));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let body = ">".repeat(10_000) + " deep\n" + &"- ".repeat(5_000) + "x\n";
        let doc = parse(&body, 0);
        assert!(!doc.blocks.is_empty());
    }
}

#[cfg(test)]
mod heading_cells {
    use super::heading_or_prose;

    #[test]
    fn a_unit_or_a_sentence_is_no_amount_but_a_mistyped_amount_is() {
        for text in [
            "£000's",
            "£'000",
            "2025-26 Staffing £000s",
            "(£)",
            "£m",
            "£ T 1 h 0 e m lon ) g term impact of Covid-19 is still impacting",
        ] {
            assert!(heading_or_prose(text), "{text}");
        }
        for text in [
            "£TBC",
            "£1,2345",
            "£1.3mm",
            "£",
            "£12,000 approx",
            "£ to be confirmed",
            "£000s 12",
        ] {
            assert!(!heading_or_prose(text), "{text}");
        }
    }
}
