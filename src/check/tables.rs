//! Tables: totals and subtotals add up, row totals add up, amount cells parse, rows are whole.

use rust_decimal::Decimal;
use std::ops::Range;

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

fn is_total(row: &Row) -> bool {
    row.is_total()
}

fn first_cell_empty(row: &Row) -> bool {
    row.cells
        .first()
        .is_none_or(|c| matches!(c.value, CellValue::Empty))
}

/// The sum of amounts; past what a decimal holds (about £7.9 × 10^28) it stays at the largest
/// value, which no written total equals, so the total is reported rather than clerk crashing.
fn sum(values: &[Decimal]) -> Decimal {
    values
        .iter()
        .fold(Decimal::ZERO, |acc, v| acc.saturating_add(*v))
}

fn short_or_over(found: Decimal, expected: Decimal) -> String {
    match found.checked_sub(expected) {
        Some(diff) if diff > Decimal::ZERO => format!("{} too much", format_exact(diff)),
        Some(diff) => format!("{} short", format_exact(-diff)),
        None => "too large a difference to show".into(),
    }
}

pub fn check_table(
    file: FileId,
    table: &Table,
    governed: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
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

    let amount_columns = table.amount_columns();
    // A table groups rows when some ordinary row leaves its first cell empty (a continuation).
    let grouped = table
        .rows
        .iter()
        .any(|r| first_cell_empty(r) && !is_total(r));
    for &col in &amount_columns {
        // A column with an unreadable amount cannot be added up; that cell is reported above.
        let unreadable = table.rows.iter().any(|r| {
            r.cells
                .get(col)
                .is_some_and(|c| matches!(c.value, CellValue::BadAmount(_)))
        });
        if !unreadable {
            check_column(file, table, col, grouped, governed, out);
        }
    }
    check_row_totals(file, table, &amount_columns, governed, out);
}

fn amount_at(row: &Row, col: usize) -> Option<Decimal> {
    row.cells.get(col).and_then(|c| c.amount()).map(|m| m.value)
}

fn check_column(
    file: FileId,
    table: &Table,
    col: usize,
    grouped: bool,
    governed: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let mut walk = ColumnWalk {
        file,
        table,
        col,
        governed,
        top: Vec::new(),
        group: Vec::new(),
        group_open: false,
        previous_totals: Vec::new(),
    };
    for (i, row) in table.rows.iter().enumerate() {
        let value = amount_at(row, col);
        let in_group = grouped && first_cell_empty(row) && walk.group_open;
        match (is_total(row), in_group) {
            (false, true) => walk.group.extend(value),
            (false, false) => {
                walk.top.append(&mut walk.group);
                walk.group_open = true;
                walk.group.extend(value);
            }
            (true, true) => walk.subtotal(i, row, value, out),
            (true, false) => walk.total(i, row, value, out),
        }
    }
}

/// One amount column read from the top: the amounts since the last total, the open group (rows
/// whose first cell is empty, under a labelled row), and the totals met so far.
struct ColumnWalk<'a> {
    file: FileId,
    table: &'a Table,
    col: usize,
    governed: &'a dyn Fn(usize, usize) -> bool,
    top: Vec<Decimal>,
    group: Vec<Decimal>,
    group_open: bool,
    previous_totals: Vec<Decimal>,
}

impl ColumnWalk<'_> {
    fn span(&self, row: &Row) -> Range<usize> {
        row.cells
            .get(self.col)
            .map_or(row.span.clone(), |c| c.span.clone())
    }

    /// A subtotal of the group above it; it stands for the group from here on.
    fn subtotal(&mut self, i: usize, row: &Row, value: Option<Decimal>, out: &mut Vec<Diagnostic>) {
        if let Some(v) = value {
            let group = sum(&self.group);
            if !(self.governed)(i, self.col) && !self.group.is_empty() && v != group {
                out.push(
                    Diagnostic::error(
                        Code::SubtotalMismatch,
                        self.file,
                        self.span(row),
                        format!(
                            "subtotal {} is not the sum of its group's {} rows, {}: {}",
                            format_exact(v),
                            self.group.len(),
                            format_exact(group),
                            short_or_over(v, group)
                        ),
                    )
                    .with_label("does not add up"),
                );
            }
        }
        self.top.push(value.unwrap_or_else(|| sum(&self.group)));
        self.group.clear();
        self.group_open = false;
    }

    /// A top-level total of everything since the previous total.
    fn total(&mut self, i: usize, row: &Row, value: Option<Decimal>, out: &mut Vec<Diagnostic>) {
        self.top.append(&mut self.group);
        self.group_open = false;
        if let Some(v) = value {
            if (self.governed)(i, self.col) {
                // Checked against its formula by the figures stage.
            } else if !self.top.is_empty() {
                let covered = sum(&self.top);
                if v != covered {
                    out.push(
                        Diagnostic::error(
                            Code::TotalMismatch,
                            self.file,
                            self.span(row),
                            format!(
                                "total {} is not the sum of the {} amounts it covers, {}: {}",
                                format_exact(v),
                                self.top.len(),
                                format_exact(covered),
                                short_or_over(v, covered)
                            ),
                        )
                        .with_label("does not add up")
                        .with_hint("if this total is not a plain sum, bind it to a figure with a formula (docs/format.md)"),
                    );
                }
            } else if self.previous_totals.len() >= 2 && v == sum(&self.previous_totals) {
                // A grand total of the section totals above it.
            } else {
                out.push(self.needs_formula(row));
            }
            self.previous_totals.push(v);
        }
        self.top.clear();
    }

    /// A total after another total with nothing between: only a formula can say what it is.
    fn needs_formula(&self, row: &Row) -> Diagnostic {
        let label = row
            .cells
            .iter()
            .find(|c| matches!(c.value, CellValue::Text))
            .map_or(String::new(), |c| c.text.text.trim().to_string());
        Diagnostic::error(
            Code::TotalNeedsFormula,
            self.file,
            self.span(row),
            format!("“{label}” follows another total with nothing to add up, and no formula says how it is worked out"),
        )
        .with_hint(format!(
            "declare it in front matter: figures: {{ name: {{ cell: \"{}[{label}]\", formula: \"…\" }} }}",
            self.table.id
        ))
    }
}

/// In a column headed "Total", each row's cell is the sum of the row's other amounts.
fn check_row_totals(
    file: FileId,
    table: &Table,
    amount_columns: &[usize],
    governed: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let total_columns: Vec<usize> = amount_columns
        .iter()
        .copied()
        .filter(|&c| {
            table
                .header
                .cells
                .get(c)
                .is_some_and(|h| crate::model::TOTAL_WORD.is_match(&h.text.text))
        })
        .collect();
    for &tc in &total_columns {
        for (i, row) in table.rows.iter().enumerate() {
            let Some(v) = amount_at(row, tc) else {
                continue;
            };
            let parts: Vec<Decimal> = amount_columns
                .iter()
                .filter(|c| !total_columns.contains(c))
                .filter_map(|&c| amount_at(row, c))
                .collect();
            if parts.is_empty() || governed(i, tc) || v == sum(&parts) {
                continue;
            }
            out.push(
                Diagnostic::error(
                    Code::RowTotalMismatch,
                    file,
                    row.cells[tc].span.clone(),
                    format!(
                        "row total {} is not the sum of the row's {} amounts, {}: {}",
                        format_exact(v),
                        parts.len(),
                        format_exact(sum(&parts)),
                        short_or_over(v, sum(&parts))
                    ),
                )
                .with_label("does not add up"),
            );
        }
    }
}
