//! Tables: totals and subtotals add up, derived columns (row totals, variances) follow from
//! the columns they are made of, amount cells parse, rows are whole.
//!
//! A slip is reported at the fewest cells that explain it. A total is right when it is the sum
//! of its items as written (subtotals included) or the sum of its rows (each subtotal taken as
//! the sum of its own rows): a wrong subtotal is reported at the subtotal, and a grand total
//! that is right given its rows is not reported too. A cell that breaks its row's derived
//! column (a row total, or a difference or sum of two columns that every other row follows) is
//! reported at the one cell that explains both its row and its column: the derived cell, or
//! the part whose column total says the same. Everything is one pass per column, so a table
//! costs time in proportion to its cells, however many columns it has.
//!
//! Not yet: a total under two wrong subtotals that agrees with one as written and the other by
//! its rows is reported too (only the two readings, all written or all by rows, are tried).

use std::collections::BTreeMap;
use std::ops::Range;

use rust_decimal::Decimal;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::money::format_exact;
use crate::model::{CellValue, Row, Table};

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, body) in cx.bodies() {
        for table in &body.tables {
            let governed =
                |row: usize, col: usize| cx.formula_cells.contains(&(table.id.clone(), row, col));
            check_table(file, table, &governed, &mut out);
        }
    }
    out
}

fn short_or_over(found: Decimal, expected: Decimal) -> String {
    match found.checked_sub(expected) {
        Some(diff) if diff > Decimal::ZERO => format!("{} too much", format_exact(diff)),
        Some(diff) => format!("{} short", format_exact(-diff)),
        None => "too large a difference to show".into(),
    }
}

/// A table's rows as the checks read them, worked out once for every column: which are
/// totals, and which continue the group above them (their first cell is empty).
struct Shape {
    totals: Vec<bool>,
    continues: Vec<bool>,
    /// Whether the table groups rows at all (some ordinary row continues a group).
    grouped: bool,
}

impl Shape {
    fn of(table: &Table) -> Shape {
        let totals: Vec<bool> = table.rows.iter().map(Row::is_total).collect();
        let continues: Vec<bool> = table
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .first()
                    .is_none_or(|c| matches!(c.value, CellValue::Empty))
            })
            .collect();
        let grouped = continues.iter().zip(&totals).any(|(c, t)| *c && !*t);
        Shape {
            totals,
            continues,
            grouped,
        }
    }
}

pub fn check_table(
    file: FileId,
    table: &Table,
    governed: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    whole_rows_and_cells(file, table, out);
    let shape = Shape::of(table);
    // A column with an unreadable amount cannot be added up; that cell is reported above.
    let columns: Vec<usize> = table
        .amount_columns()
        .into_iter()
        .filter(|&col| {
            !table.rows.iter().any(|r| {
                r.cells
                    .get(col)
                    .is_some_and(|c| matches!(c.value, CellValue::BadAmount(_)))
            })
        })
        .collect();
    let mut values = Values(vec![None; table.columns()]);
    for &col in &columns {
        if let Some(slot) = values.0.get_mut(col) {
            *slot = Some(table.rows.iter().map(|r| amount_at(r, col)).collect());
        }
    }
    let cx = Columns {
        file,
        table,
        shape: &shape,
        governed,
        values: &values,
    };
    let mut corrected = Corrections::default();
    for relation in derived::relations(table, &columns, &values, &shape) {
        cx.check_relation(&relation, &mut corrected, out);
    }
    for &col in &columns {
        let findings = cx.findings(col, &corrected);
        let totals = (0..table.rows.len())
            .filter(|&i| shape.totals[i] && values.at(col, i).is_some())
            .count();
        if mostly_misread(findings.len(), totals) {
            out.push(cx.misread_column(col, &findings, totals));
            continue;
        }
        for finding in findings {
            out.push(cx.report(col, finding));
        }
    }
}

/// Whether `wrong` of `checked` sums of one column or relation say the table was misread, not
/// mistyped: one mistyped cell breaks at most its row's and its column's sums, so three or
/// more broken, and more than half of all, is a table whose rows or columns are not what
/// they were read as (a total of another page's columns, a header repeated as a row, totals
/// of sections that clerk read as one list).
fn mostly_misread(wrong: usize, checked: usize) -> bool {
    wrong >= 3 && wrong * 2 > checked
}

/// Rows with more or fewer cells than the header, and cells with a £ sign that are not amounts.
fn whole_rows_and_cells(file: FileId, table: &Table, out: &mut Vec<Diagnostic>) {
    let width = table.columns();
    for row in &table.rows {
        if row.written_cells != width && width > 0 {
            out.push(
                Diagnostic::warning(
                    Code::RaggedTable,
                    file,
                    row.span.clone(),
                    format!("this row has {} cells but the table's header has {width}", row.written_cells),
                )
                .with_hint("Markdown pads short rows and drops extra cells silently; add or remove `|` so every row lines up"),
            );
        }
        for cell in &row.cells {
            if let CellValue::BadAmount(reason) = &cell.value {
                out.push(
                    Diagnostic::error(
                        Code::BadAmountCell,
                        file,
                        cell.span.clone(),
                        format!("this cell is not an amount: {reason}"),
                    )
                    .with_hint(
                        "write amounts as £1,234.50, £325k or £1.3m; a negative as (£1,000)",
                    ),
                );
            }
        }
    }
}

fn amount_at(row: &Row, col: usize) -> Option<Decimal> {
    row.cells.get(col).and_then(|c| c.amount()).map(|m| m.value)
}

/// Each column's amounts by row, by the column's place in the table (none for a column that
/// is not added up): read by place, so a wide table costs no more per cell than a narrow one.
struct Values(Vec<Option<Vec<Option<Decimal>>>>);

impl Values {
    fn column(&self, col: usize) -> Option<&[Option<Decimal>]> {
        self.0.get(col).and_then(|c| c.as_deref())
    }

    fn at(&self, col: usize, row: usize) -> Option<Decimal> {
        self.column(col).and_then(|c| c.get(row).copied().flatten())
    }
}

/// Cells a derived column showed to be wrong, by (row, column), with the value their row
/// says they should have: a column's totals are read with these in place (as well as as
/// written), so the one wrong cell is not reported again at its total.
#[derive(Default)]
struct Corrections(BTreeMap<(usize, usize), Decimal>);

/// A total that agrees neither with its items as written nor with its rows.
#[derive(Debug, PartialEq)]
enum Finding {
    /// A subtotal: its row, its value, the sum of its group's rows, how many rows.
    Subtotal(usize, Decimal, Decimal, usize),
    /// A total: its row, its value, the sum of what it covers, how many amounts.
    Total(usize, Decimal, Decimal, usize),
    /// A total after another total with nothing between, which adds up neither way.
    NeedsFormula(usize),
}

/// What every column's checks share: the table, its shape and its amounts by column.
struct Columns<'a> {
    file: FileId,
    table: &'a Table,
    shape: &'a Shape,
    governed: &'a dyn Fn(usize, usize) -> bool,
    values: &'a Values,
}

/// Sums kept two ways as a column is read: as written (a subtotal as its cell says) and by
/// rows (a subtotal as the sum of its rows, a corrected cell as corrected).
#[derive(Default, Clone, Copy)]
struct Both {
    written: Decimal,
    rows: Decimal,
    count: usize,
}

impl Both {
    /// Past what a decimal holds (about £7.9 × 10^28) a sum stays at the largest value, which
    /// no written total equals, so the total is reported rather than clerk crashing.
    fn add(&mut self, written: Decimal, rows: Decimal) {
        self.written = self.written.saturating_add(written);
        self.rows = self.rows.saturating_add(rows);
        self.count += 1;
    }

    fn agrees(&self, v: Decimal) -> bool {
        v == self.written || v == self.rows
    }
}

impl Columns<'_> {
    /// The totals of column `col` that add up neither as written nor by rows, with the cells
    /// in `corrected` read as corrected. One pass down the column.
    // Long because it is the one walk down a column: groups, subtotals, totals and totals of
    // totals, each kept both ways, read in the order the rows come.
    fn findings(&self, col: usize, corrected: &Corrections) -> Vec<Finding> {
        let mut out = Vec::new();
        let Some(values) = self.values.column(col) else {
            return out;
        };
        let (mut top, mut group) = (Both::default(), Both::default());
        let mut group_open = false;
        let mut previous = Both::default();
        for (i, value) in values.iter().enumerate() {
            let governed = (self.governed)(i, col);
            let in_group = self.shape.grouped && self.shape.continues[i] && group_open;
            if !self.shape.totals[i] {
                let rows = corrected.0.get(&(i, col)).copied().or(*value);
                if !in_group {
                    fold(&mut top, &group);
                    group = Both::default();
                    group_open = true;
                }
                if let (Some(w), Some(r)) = (*value, rows) {
                    group.add(w, r);
                }
                continue;
            }
            if in_group {
                // A subtotal of the group above it; it stands for the group from here on.
                match value {
                    Some(v) if governed || group.count == 0 => top.add(*v, *v),
                    Some(v) => {
                        if !group.agrees(*v) {
                            out.push(Finding::Subtotal(i, *v, group.rows, group.count));
                        }
                        top.add(*v, group.rows);
                    }
                    None => top.add(group.written, group.rows),
                }
                group = Both::default();
                group_open = false;
                continue;
            }
            // A top-level total of everything since the previous total.
            fold(&mut top, &group);
            group = Both::default();
            group_open = false;
            if let Some(v) = *value {
                if governed {
                    // Checked against its formula by the figures stage.
                    previous.add(v, v);
                } else if top.count > 0 {
                    if !top.agrees(v) {
                        out.push(Finding::Total(i, v, top.rows, top.count));
                    }
                    previous.add(v, top.rows);
                } else if previous.count >= 2 && previous.agrees(v) {
                    // A grand total of the section totals above it.
                    previous.add(v, previous.rows);
                } else {
                    out.push(Finding::NeedsFormula(i));
                    previous.add(v, v);
                }
            }
            top = Both::default();
        }
        out
    }

    /// One warning for a column most of whose totals disagree (`mostly_misread`).
    fn misread_column(&self, col: usize, findings: &[Finding], totals: usize) -> Diagnostic {
        let row = match findings.first() {
            Some(Finding::Subtotal(r, ..) | Finding::Total(r, ..) | Finding::NeedsFormula(r)) => *r,
            None => 0,
        };
        Diagnostic::warning(
            Code::TotalMismatch,
            self.file,
            self.span(row, col),
            format!(
                "{} of the {totals} totals of “{}” are not the sum of the rows above them: the table's rows are not what they were read as (totals of sections, a repeated header), so none is reported as a slip",
                findings.len(),
                derived::header(self.table, col),
            ),
        )
        .with_label("most totals of this column disagree")
        .with_hint("check which rows each total covers; if a total is a sum of other totals, say so with a formula")
    }

    fn span(&self, row: usize, col: usize) -> Range<usize> {
        let row = &self.table.rows[row];
        row.cells
            .get(col)
            .map_or(row.span.clone(), |c| c.span.clone())
    }

    fn report(&self, col: usize, finding: Finding) -> Diagnostic {
        match finding {
            Finding::Subtotal(row, v, group, n) => Diagnostic::error(
                Code::SubtotalMismatch,
                self.file,
                self.span(row, col),
                format!(
                    "subtotal {} is not the sum of its group's {n} rows, {}: {}",
                    format_exact(v),
                    format_exact(group),
                    short_or_over(v, group)
                ),
            )
            .with_label("does not add up"),
            // A total of one row that is not that row may total rows this table does not
            // hold (a department's total under its last section's table, a table continued
            // from the page before): a warning, since no one writes a sum of one amount.
            Finding::Total(row, v, covered, n) => (if n == 1 {
                Diagnostic::warning
            } else {
                Diagnostic::error
            })(
                Code::TotalMismatch,
                self.file,
                self.span(row, col),
                format!(
                    "total {} is not the sum of the {n} amounts it covers, {}: {}",
                    format_exact(v),
                    format_exact(covered),
                    short_or_over(v, covered)
                ),
            )
            .with_label("does not add up")
            .with_hint("if this total is not a plain sum, bind it to a figure with a formula (docs/format.md)"),
            Finding::NeedsFormula(row) => self.needs_formula(row, col),
        }
    }

    /// A total after another total with nothing between: only a formula can say what it is.
    fn needs_formula(&self, row: usize, col: usize) -> Diagnostic {
        let label = self.table.rows[row]
            .cells
            .iter()
            .find(|c| matches!(c.value, CellValue::Text))
            .map_or(String::new(), |c| c.text.text.trim().to_string());
        Diagnostic::error(
            Code::TotalNeedsFormula,
            self.file,
            self.span(row, col),
            format!("“{label}” follows another total with nothing to add up, and no formula says how it is worked out"),
        )
        .with_hint(format!(
            "declare it in front matter: figures: {{ name: {{ cell: \"{}[{label}]\", formula: \"…\" }} }}",
            self.table.id
        ))
    }
}

/// Adds a closed group into the amounts a total covers.
fn fold(top: &mut Both, group: &Both) {
    if group.count > 0 {
        top.written = top.written.saturating_add(group.written);
        top.rows = top.rows.saturating_add(group.rows);
        top.count += group.count;
    }
}

mod derived;
