//! The values a paper establishes: table cells, named figures, declared spending and saving,
//! the council's threshold, amounts acknowledged as coming from outside, and (for a record)
//! what its report says. Each keeps the precision it was written with.

use rust_decimal::Decimal;

use crate::check::PaperContext;
use crate::model::money::{format_exact, scan_amounts, Money};
use crate::model::{CellValue, Document, FigureSpec, ReportMeta, Row, Table};

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
    pub label: String,
    pub kind: Kind,
    pub place: Option<Place>,
}

impl Fact {
    fn new(money: &Money, label: String, kind: Kind) -> Fact {
        Fact {
            value: money.value,
            unit: money.unit,
            label,
            kind,
            place: None,
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

fn row_label(row: &Row) -> String {
    row.cells
        .iter()
        .find(|c| matches!(c.value, CellValue::Text))
        .map_or(String::new(), |c| {
            c.text.text.replace("**", "").trim().to_string()
        })
}

/// Every amount cell of a document's tables, with the total that covers it.
pub fn table_facts(body: &Document, whose: &str, table_offset: usize) -> Vec<Fact> {
    let mut out = Vec::new();
    for (t, table) in body.tables.iter().enumerate() {
        out.extend(facts_of(table, t + table_offset, whose));
    }
    out
}

fn facts_of(table: &Table, index: usize, whose: &str) -> Vec<Fact> {
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
    let mut out = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let label = row_label(row);
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
            let mut fact = Fact::new(m, format!("{whose} table {} “{name}”", table.id), kind);
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
        out.push(Fact {
            value,
            unit,
            label: format!("{whose} table {} “{header}” added up", table.id),
            kind: Kind::Total,
            place: Some(Place {
                table: index,
                column,
                row: usize::MAX,
                covered_by: None,
                subtotal: false,
                grand: true,
            }),
        });
    }
    out
}

/// What a report establishes: its tables' figures, its named figures, and the amounts its front
/// matter declares.
pub fn report_facts(cx: &PaperContext) -> Vec<Fact> {
    let Some(report) = &cx.paper.report else {
        return Vec::new();
    };
    let mut out = table_facts(&report.body, "the", 0);
    figure_facts(cx, &report.meta, &mut out);
    declared_facts(cx, &report.meta, &mut out);
    out
}

/// Each named figure's value, and the amounts written into a figure's formula.
fn figure_facts(cx: &PaperContext, m: &ReportMeta, out: &mut Vec<Fact>) {
    for figure in cx.paper.figures.values() {
        if let Some(v) = figure.value {
            out.push(Fact {
                value: v,
                unit: Decimal::new(1, v.scale()),
                label: format!("figure `{}`", figure.name),
                kind: Kind::Figure,
                place: None,
            });
        }
    }
    // Amounts written into a figure's formula ("= total + uplift - £1.1m") are the author's.
    for (name, spec) in &m.figures {
        let text = match &spec.value {
            FigureSpec::Formula(f) => f.as_str(),
            FigureSpec::Cell {
                formula: Some(f), ..
            } => f.as_str(),
            _ => continue,
        };
        for found in scan_amounts(text) {
            out.push(Fact::new(
                &found.money,
                format!("the formula of figure `{name}`"),
                Kind::Figure,
            ));
        }
    }
}

/// The amounts the front matter declares (spending, saving, amounts from outside the paper) and
/// the council's key-decision threshold.
fn declared_facts(cx: &PaperContext, m: &ReportMeta, out: &mut Vec<Fact>) {
    for (name, field) in [("spending", &m.spending), ("saving", &m.saving)] {
        if let Some(v) = field {
            out.push(Fact::new(
                &v.value.money,
                format!("the report's {name}"),
                Kind::Declared,
            ));
        }
    }
    for outside in &m.outside_amounts {
        out.push(Fact::new(
            &outside.amount.value.money,
            format!("from outside the paper: {}", outside.source.value.trim()),
            Kind::Outside,
        ));
    }
    if let Some(t) = cx
        .council
        .and_then(|c| c.meta.key_decision_threshold.as_ref())
    {
        out.push(Fact::new(
            &t.value.money,
            "the council's key-decision threshold".into(),
            Kind::Threshold,
        ));
    }
}
