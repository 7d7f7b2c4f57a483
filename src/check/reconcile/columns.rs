//! A table's percentage column ("Variance %", "% of total") holds, row by row, the same
//! arithmetic on the row's amounts: a share of a column's total, or one amount against another.
//! Which arithmetic is read from the rows themselves; a row that fits none of the readings most
//! rows fit has a percentage left over from elsewhere (last year's, a row moved).

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::money::round_to_unit;
use crate::model::{CellValue, Document, Table};

/// A percentage written in a cell: "5.2%", "(1.2%)", "-3%"; or a plain number in a column
/// headed with "%".
fn percent(text: &str, in_percent_column: bool) -> Option<(Decimal, Decimal)> {
    let t = text.replace("**", "");
    let t = t.trim();
    let negative = t.starts_with('(') && t.ends_with(')') || t.starts_with(['-', '−', '–']);
    let digits = t.trim_matches(|c: char| matches!(c, '(' | ')' | '-' | '−' | '–' | ' '));
    let digits = match digits.strip_suffix('%') {
        Some(d) => d.trim(),
        None if in_percent_column => digits,
        None => return None,
    };
    let number: Decimal = digits.replace(',', "").parse().ok()?;
    let unit = Decimal::new(1, number.scale());
    Some((if negative { -number } else { number }, unit))
}

/// A way of working out a row's percentage from its amounts, named for the message.
type Reading<'t> = (String, Box<dyn Fn(usize) -> Option<Decimal> + 't>);

/// The ways a row's percentage may be worked out from its amounts.
fn readings(table: &Table) -> Vec<Reading<'_>> {
    let columns = table.amount_columns();
    let amount = move |row: usize, col: usize| {
        table
            .rows
            .get(row)?
            .cells
            .get(col)?
            .amount()
            .map(|m| m.value)
    };
    let header = |col: usize| {
        table
            .header
            .cells
            .get(col)
            .map_or(String::new(), |c| c.label())
    };
    let total = move |col: usize| {
        let last = table.rows.iter().rposition(crate::model::Row::is_total);
        match last {
            Some(r) => amount(r, col),
            None => (0..table.rows.len())
                .filter_map(|r| amount(r, col))
                .try_fold(Decimal::ZERO, |a, v| a.checked_add(v)),
        }
    };
    let hundred = Decimal::ONE_HUNDRED;
    let mut out: Vec<Reading> = Vec::new();
    for &c in &columns {
        out.push((
            format!("its share of the “{}” total", header(c)),
            Box::new(move |r| amount(r, c)?.checked_mul(hundred)?.checked_div(total(c)?)),
        ));
        for &b in columns.iter().filter(|&&b| b != c) {
            out.push((
                format!("“{}” against “{}”", header(c), header(b)),
                Box::new(move |r| {
                    amount(r, c)?
                        .checked_mul(hundred)?
                        .checked_div(amount(r, b)?)
                }),
            ));
            out.push((
                format!("the change from “{}” to “{}”", header(b), header(c)),
                Box::new(move |r| {
                    amount(r, c)?
                        .checked_sub(amount(r, b)?)?
                        .checked_mul(hundred)?
                        .checked_div(amount(r, b)?)
                }),
            ));
        }
    }
    out
}

pub fn check(file: FileId, body: &Document, out: &mut Vec<Diagnostic>) {
    for table in &body.tables {
        for col in 0..table.columns() {
            check_column(file, table, col, out);
        }
    }
}

/// One percentage column: the reading most rows fit, and the rows that fit no reading.
fn check_column(file: FileId, table: &Table, col: usize, out: &mut Vec<Diagnostic>) {
    let headed = table
        .header
        .cells
        .get(col)
        .is_some_and(|c| c.text.text.contains('%'));
    let cells: Vec<(usize, Decimal, Decimal)> = table
        .rows
        .iter()
        .enumerate()
        .filter_map(|(r, row)| {
            let cell = row.cells.get(col)?;
            matches!(cell.value, CellValue::Text).then_some(())?;
            percent(&cell.text.text, headed).map(|(v, u)| (r, v, u))
        })
        .collect();
    if cells.len() < 3 {
        return;
    }
    let readings = readings(table);
    let fits = |f: &dyn Fn(usize) -> Option<Decimal>, r: usize, v: Decimal, u: Decimal| {
        f(r).and_then(|x| round_to_unit(x, u)) == Some(v)
    };
    let score = |f: &dyn Fn(usize) -> Option<Decimal>| {
        cells.iter().filter(|(r, v, u)| fits(f, *r, *v, *u)).count()
    };
    let Some((name, best)) = readings.iter().max_by_key(|(_, f)| score(f.as_ref())) else {
        return;
    };
    // The column's arithmetic is clear only when it fits at least three rows and most of them.
    let fitted = score(best.as_ref());
    if fitted < 3 || fitted * 3 < cells.len() * 2 || fitted == cells.len() {
        return;
    }
    for (r, v, u) in &cells {
        if readings.iter().any(|(_, f)| fits(f.as_ref(), *r, *v, *u)) {
            continue;
        }
        let Some(cell) = table.rows[*r].cells.get(col) else {
            continue;
        };
        let places = u.scale() as usize;
        let should = best(*r)
            .and_then(|x| round_to_unit(x, *u))
            .map_or(String::new(), |x| format!("{x:.places$}%"));
        out.push(
            Diagnostic::error(
                Code::Percentage,
                file,
                cell.span.clone(),
                format!("{v:.places$}% does not match its row: the column is {name}, which here is {should}"),
            )
            .with_label("left over from elsewhere?")
            .with_hint(format!("write {should}, or correct the row's amounts")),
        );
    }
}
