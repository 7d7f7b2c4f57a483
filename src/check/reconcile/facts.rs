//! The values a paper establishes: table cells, named figures, declared spending and saving,
//! the council's threshold, amounts acknowledged as coming from outside, and (for a record)
//! what its report says. Each keeps the precision it was written with.

use rust_decimal::Decimal;

use std::sync::OnceLock;

use super::subject::Words;
use crate::check::PaperContext;
use crate::diagnostic::FileId;
use crate::model::money::{format_exact, scan_amounts, Money};
use crate::model::verdict::{self, Place as At};
use crate::model::{CellValue, Document, FigureSpec, ReportMeta, Row, Source, Table};

/// What kind of value a fact is; better kinds explain an amount first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Figure,
    Declared,
    Total,
    Cell,
    Outside,
    /// The council's key-decision threshold: it explains a mention of itself, and is never
    /// the figure a slip was meant to be.
    Threshold,
    /// An amount the report states in prose (a fact for its record only).
    Mention,
}

/// Where a cell sits, so a total is never added to the rows it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub table: usize,
    pub column: usize,
    pub row: usize,
    /// The row of the subtotal that covers this cell (its own row, for a subtotal).
    pub covered_by: Option<usize>,
    pub subtotal: bool,
    /// The table's last total: it covers every row.
    pub grand: bool,
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub value: Decimal,
    /// The place value of its last digit as written.
    pub unit: Decimal,
    /// How the fact is shown: "the table figure-1 “A. Young Carers”".
    pub label: String,
    pub kind: Kind,
    pub place: Option<Place>,
    /// Where it is written.
    pub at: Option<At>,
    /// The words its label is made of (row and column headings, caption; a figure's name and
    /// `label:`; what a declared amount means), read into stems when first compared.
    pub words_of: String,
    /// Where its periods are read from, when not from all its words: a cell's column heading
    /// if it names one, else its row, else the caption.
    pub periods_of: Option<String>,
    /// The words of its setting, which count half: a table's caption.
    pub context_of: String,
    /// For a table's cell, the words of its row alone (its label cells).
    pub row_of: String,
    /// Its periods, where known better than from its words (an amount said in prose: the
    /// periods of its clause, not of its whole sentence).
    pub periods: Option<Vec<super::subject::Period>>,
    words: OnceLock<Words>,
}

impl Fact {
    pub fn new(money: &Money, label: String, kind: Kind) -> Fact {
        Fact::of(money.value, money.unit, label, kind)
    }

    pub fn of(value: Decimal, unit: Decimal, label: String, kind: Kind) -> Fact {
        Fact {
            value,
            unit,
            label,
            kind,
            place: None,
            at: None,
            words_of: String::new(),
            periods_of: None,
            context_of: String::new(),
            row_of: String::new(),
            periods: None,
            words: OnceLock::new(),
        }
    }

    /// The fact with the words of its label.
    pub fn about(mut self, words: impl Into<String>) -> Fact {
        self.words_of = words.into();
        self
    }

    /// The fact with where it is written.
    pub fn written_at(mut self, file: FileId, range: std::ops::Range<usize>) -> Fact {
        self.at = Some(At { file, range });
        self
    }

    /// Its label's words, as stems and periods.
    pub fn words(&self) -> &Words {
        self.words.get_or_init(|| {
            let mut w = Words::of(&self.words_of);
            let context = Words::of(&self.context_of);
            w.context = context.stems;
            match (&self.periods, &self.periods_of) {
                (Some(given), _) => w.periods = given.clone(),
                (None, Some(p)) => w.periods = Words::of(p).periods,
                (None, None) if w.periods.is_empty() => w.periods = context.periods,
                (None, None) => {}
            }
            w
        })
    }

    /// The kind of explanation it is, for the verdict.
    pub fn explanation_kind(&self) -> verdict::Kind {
        match self.kind {
            Kind::Figure => verdict::Kind::Figure,
            Kind::Declared => verdict::Kind::Declared,
            Kind::Total => verdict::Kind::Total,
            Kind::Cell => verdict::Kind::Cell,
            Kind::Outside => verdict::Kind::Outside,
            Kind::Threshold => verdict::Kind::Threshold,
            Kind::Mention => verdict::Kind::Mention,
        }
    }

    /// "£1,249,000 (the table capital “Highways”)".
    pub fn shown(&self) -> String {
        format!("{} ({})", format_exact(self.value.normalize()), self.label)
    }

    /// Whether two facts may not be added together: a total and a row it covers.
    pub fn overlaps(&self, other: &Fact) -> bool {
        let (Some(a), Some(b)) = (self.place, other.place) else {
            return false;
        };
        if a.table != b.table || a.column != b.column {
            return false;
        }
        a.grand
            || b.grand
            || (a.subtotal && b.covered_by == Some(a.row))
            || (b.subtotal && a.covered_by == Some(b.row))
    }
}

/// The texts a cell's periods are read from, nearest first (its column's heading, its row,
/// its table's caption), each adding the kinds of period the nearer ones do not name: a
/// column "Management fee (excluding VAT)" names whether VAT is in, and its row "2 |
/// 2027/28" the year. `None` where none names a period.
fn periods_text(texts: &[&str]) -> Option<String> {
    let mut kinds: Vec<&str> = Vec::new();
    let mut out: Vec<&str> = Vec::new();
    for t in texts {
        let found = super::subject::periods(t);
        if found.iter().any(|(_, p)| !kinds.contains(&p.kind)) {
            kinds.extend(found.iter().map(|(_, p)| p.kind));
            out.push(t);
        }
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn row_label(row: &Row) -> String {
    row.cells
        .iter()
        .find(|c| matches!(c.value, CellValue::Text))
        .map_or(String::new(), |c| {
            c.text.text.replace("**", "").trim().to_string()
        })
}

/// Every amount cell of a document's tables, with the total that covers it.
pub fn table_facts(file: FileId, body: &Document, whose: &str, table_offset: usize) -> Vec<Fact> {
    let mut out = Vec::new();
    for (t, table) in body.tables.iter().enumerate() {
        out.extend(facts_of(file, table, t + table_offset, whose));
    }
    out
}

/// How prose refers to a table: its id ("table-2", "figure-1") and the "Table 2" its caption
/// starts with.
fn table_reference(table: &Table) -> String {
    let caption = table.caption.as_deref().unwrap_or("");
    let lead: String = caption
        .split(':')
        .next()
        .unwrap_or("")
        .chars()
        .take(12)
        .collect();
    format!("{} {lead}", table.id)
}

/// Every text cell of a row, joined: the row's headings.
fn row_words(row: &Row) -> String {
    let mut out = String::new();
    for c in row
        .cells
        .iter()
        .filter(|c| matches!(c.value, CellValue::Text))
    {
        out.push_str(&c.text.text);
        out.push(' ');
    }
    out
}

// Long because each cell's label is assembled here: its row, its column, the table's caption,
// and the total that covers it.
fn facts_of(file: FileId, table: &Table, index: usize, whose: &str) -> Vec<Fact> {
    // The last total row is the grand total; each row above it is covered by the first
    // subtotal at or below it.
    let totals: Vec<bool> = table.rows.iter().map(crate::model::Row::is_total).collect();
    let last = totals.iter().rposition(|t| *t);
    // Walked from the bottom, so a long table costs one pass.
    let mut covering: Vec<Option<usize>> = vec![None; table.rows.len()];
    let mut below = None;
    for r in (0..table.rows.len()).rev() {
        if totals[r] && Some(r) != last {
            below = Some(r);
        }
        covering[r] = below;
    }
    let several_columns = table.amount_columns().len() > 1;
    let caption = table.caption.as_deref().unwrap_or("");
    let mut out = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let label = row_label(row);
        let row_text = row_words(row);
        for (c, cell) in row.cells.iter().enumerate() {
            let Some(m) = cell.amount() else { continue };
            let grand = Some(r) == last;
            let kind = if totals[r] { Kind::Total } else { Kind::Cell };
            let column = table
                .header
                .cells
                .get(c)
                .map(|h| h.text.text.replace("**", "").trim().to_string())
                .filter(|h| !h.is_empty() && !h.eq_ignore_ascii_case(&label));
            let name = match column {
                Some(col) if several_columns => format!("{label}, {col}"),
                _ => label.clone(),
            };
            let header = table
                .header
                .cells
                .get(c)
                .map_or("", |h| h.text.text.as_str());
            let mut fact = Fact::new(m, format!("{whose} table {} “{name}”", table.id), kind)
                .about(format!("{row_text} {header} {}", table_reference(table)))
                .written_at(file, cell.span.clone());
            fact.context_of = caption.to_string();
            fact.row_of = row_text.clone();
            fact.periods_of = periods_text(&[header, row_text.as_str(), caption]);
            fact.place = Some(Place {
                table: index,
                column: c,
                row: r,
                covered_by: if grand { None } else { covering[r] },
                subtotal: totals[r] && !grand,
                grand,
            });
            out.push(fact);
        }
    }
    // A column with no total row still has a total, which prose may quote.
    if last.is_none() {
        let totals = column_totals(table, index, whose, &out);
        let reference = table_reference(table);
        let totals = totals.into_iter().map(|f| {
            let words = format!("total {} {reference}", f.words_of);
            f.about(words)
        });
        out.extend(totals);
    }
    out
}

/// The sum of each amount column of a table that has no total row.
fn column_totals(table: &Table, index: usize, whose: &str, cells: &[Fact]) -> Vec<Fact> {
    let mut out = Vec::new();
    // The cells of each column, gathered in one pass: a table of many columns costs no more
    // per column than a narrow one.
    let mut by_column: std::collections::BTreeMap<usize, Vec<&Fact>> = Default::default();
    for f in cells {
        if let Some(p) = f.place {
            by_column.entry(p.column).or_default().push(f);
        }
    }
    for column in table.amount_columns() {
        let parts = by_column.remove(&column).unwrap_or_default();
        let Some(value) = parts
            .iter()
            .try_fold(Decimal::ZERO, |a, f| a.checked_add(f.value))
        else {
            continue;
        };
        let Some(unit) = parts
            .iter()
            .map(|f| f.unit)
            .max()
            .filter(|_| parts.len() >= 2)
        else {
            continue;
        };
        let header = table
            .header
            .cells
            .get(column)
            .map(|h| h.text.text.replace("**", "").trim().to_string())
            .unwrap_or_default();
        let mut fact = Fact::of(
            value,
            unit,
            format!("{whose} table {} “{header}” added up", table.id),
            Kind::Total,
        )
        .about(header.to_string());
        fact.context_of = table.caption.clone().unwrap_or_default();
        fact.place = Some(Place {
            table: index,
            column,
            row: usize::MAX,
            covered_by: None,
            subtotal: false,
            grand: true,
        });
        out.push(fact);
    }
    out
}

/// What a report establishes: its tables' figures, its named figures, and the amounts its front
/// matter declares.
pub fn report_facts(cx: &PaperContext) -> Vec<Fact> {
    let Some(report) = &cx.paper.report else {
        return Vec::new();
    };
    let mut out = table_facts(report.file, &report.body, "the", 0);
    figure_facts(cx, report.file, &report.meta, &mut out);
    declared_facts(cx, report, &mut out);
    out
}

/// The words of a figure: its name (`young_carers_new` as "young carers new"), its `label:`,
/// and the text of its formula or cell (which names the row it reads).
fn figure_words(name: &str, spec: &FigureSpec) -> String {
    let mut words = name.replace(['_', '-'], " ");
    if let Some(label) = spec.label() {
        words.push(' ');
        words.push_str(label);
    }
    match spec.form() {
        FigureSpec::Formula(f) => words.push_str(&format!(" {f}")),
        FigureSpec::Cell { cell, formula } => {
            words.push_str(&format!(" {cell} {}", formula.as_deref().unwrap_or("")));
        }
        _ => {}
    }
    words
}

/// Each named figure's value, and the amounts written into a figure's formula.
fn figure_facts(cx: &PaperContext, file: FileId, m: &ReportMeta, out: &mut Vec<Fact>) {
    for figure in cx.paper.figures.values() {
        if let Some(v) = figure.value {
            let words = m
                .figures
                .get(&figure.name)
                .map_or_else(String::new, |s| figure_words(&figure.name, &s.value));
            out.push(
                Fact::of(
                    v,
                    Decimal::new(1, v.scale()),
                    format!("figure `{}`", figure.name),
                    Kind::Figure,
                )
                .about(words)
                .written_at(file, figure.span.clone()),
            );
        }
    }
    // Amounts written into a figure's formula ("= total + uplift - £1.1m") are the author's.
    for (name, spec) in &m.figures {
        let text = match spec.value.form() {
            FigureSpec::Formula(f) => f.as_str(),
            FigureSpec::Cell {
                formula: Some(f), ..
            } => f.as_str(),
            _ => continue,
        };
        for found in scan_amounts(text) {
            out.push(
                Fact::new(
                    &found.money,
                    format!("the formula of figure `{name}`"),
                    Kind::Figure,
                )
                .about(figure_words(name, &spec.value)),
            );
        }
    }
}

/// What `spending:` and `saving:` mean, in the words prose uses for them.
const DECLARED_WORDS: [(&str, &str); 2] = [
    ("spending", "spending cost value expenditure contract total"),
    ("saving", "saving savings reduction"),
];

/// The amounts the front matter declares (spending, saving, amounts from outside the paper) and
/// the council's key-decision threshold.
fn declared_facts(cx: &PaperContext, report: &Source<ReportMeta>, out: &mut Vec<Fact>) {
    let m = &report.meta;
    for ((name, words), field) in DECLARED_WORDS.iter().zip([&m.spending, &m.saving]) {
        if let Some(v) = field {
            out.push(
                Fact::new(
                    &v.value.money,
                    format!("the report's {name}"),
                    Kind::Declared,
                )
                .about(*words)
                .written_at(report.file, report.span(v)),
            );
        }
    }
    for outside in &m.outside_amounts {
        let source = outside.source.value.trim();
        out.push(
            Fact::new(
                &outside.amount.value.money,
                format!("from outside the paper: {source}"),
                Kind::Outside,
            )
            .about(source)
            .written_at(report.file, report.span(&outside.amount)),
        );
    }
    if let Some(t) = cx
        .council
        .and_then(|c| c.meta.key_decision_threshold.as_ref())
    {
        out.push(
            Fact::new(
                &t.value.money,
                "the council's key-decision threshold".into(),
                Kind::Threshold,
            )
            .about("key decision threshold"),
        );
    }
}
