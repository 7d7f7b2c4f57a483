//! Work out the value of each named figure in a report's front matter.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rust_decimal::Decimal;

use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::money::{format_exact, Money};
use crate::model::{
    CellValue, Document, Figure, FigureSpec, FormulaCell, ReportMeta, Row, Source, Table,
};
use crate::parse::formula::{self, Expr};

enum Parsed {
    Value(Decimal),
    Formula(Expr),
    Cell { cell: Expr, formula: Option<Expr> },
    Broken,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Visiting,
    Done,
}

/// Chains of figures longer than this are refused (it keeps evaluation off the stack's edge).
const MAX_CHAIN: usize = 256;

struct Resolver<'a> {
    file: FileId,
    body: &'a Document,
    parsed: BTreeMap<String, (Parsed, Range<usize>)>,
    values: BTreeMap<String, Option<Decimal>>,
    state: BTreeMap<String, State>,
    diagnostics: Vec<Diagnostic>,
    reported: BTreeSet<(String, String)>,
}

/// Resolves every figure; returns the figures, the cells governed by formulas, and diagnostics.
pub fn resolve(
    report: &Source<ReportMeta>,
) -> (
    BTreeMap<String, Figure>,
    BTreeSet<FormulaCell>,
    Vec<Diagnostic>,
) {
    let mut r = Resolver {
        file: report.file,
        body: &report.body,
        parsed: BTreeMap::new(),
        values: BTreeMap::new(),
        state: BTreeMap::new(),
        diagnostics: Vec::new(),
        reported: BTreeSet::new(),
    };
    for (name, spec) in &report.meta.figures {
        let span = report.span(spec);
        let parsed = r.parse_spec(name, &spec.value, &span);
        r.parsed.insert(name.clone(), (parsed, span));
    }
    let names: Vec<String> = r.parsed.keys().cloned().collect();
    for name in &names {
        r.value_of(name, 0);
    }
    // Check cells bound to formulas, and note them so the table check leaves them alone.
    let formula_cells = names.iter().filter_map(|name| r.check_cell(name)).collect();
    let figures = names
        .iter()
        .map(|n| {
            let span = r.parsed[n].1.clone();
            let value = r.values.get(n).copied().flatten();
            (
                n.clone(),
                Figure {
                    name: n.clone(),
                    label: report.meta.figures[n].value.label().map(str::to_string),
                    value,
                    span,
                },
            )
        })
        .collect();
    (figures, formula_cells, r.diagnostics)
}

impl Resolver<'_> {
    /// A figure as declared: an amount, a formula, or a cell with its formula.
    fn parse_spec(&mut self, name: &str, spec: &FigureSpec, span: &Range<usize>) -> Parsed {
        match spec.form() {
            FigureSpec::Amount(text) => match Money::parse(text) {
                Ok(m) => Parsed::Value(m.value),
                Err(e) => {
                    self.diagnostics.push(
                        Diagnostic::error(Code::BadFigureAmount, self.file, span.clone(), format!("figure `{name}`: {e}"))
                            .with_hint("write an amount such as \"£1,234.50\" or \"£1.3m\", or a formula starting with `=`"),
                    );
                    Parsed::Broken
                }
            },
            FigureSpec::Formula(text) => match formula::parse(text) {
                Ok(e) => Parsed::Formula(e),
                Err(msg) => {
                    self.syntax_error(name, span, &msg);
                    Parsed::Broken
                }
            },
            FigureSpec::Cell { cell, formula: f } => {
                self.parse_cell_spec(name, cell, f.as_deref(), span)
            }
            FigureSpec::Labelled { .. } => Parsed::Broken,
        }
    }

    fn parse_cell_spec(
        &mut self,
        name: &str,
        cell: &str,
        f: Option<&str>,
        span: &Range<usize>,
    ) -> Parsed {
        let cell_expr = match formula::parse(cell) {
            Ok(e @ Expr::Cell { .. }) => Some(e),
            Ok(_) => {
                self.syntax_error(
                    name,
                    span,
                    "`cell` must name one table cell, e.g. figure-1[Total]",
                );
                None
            }
            Err(msg) => {
                self.syntax_error(name, span, &msg);
                None
            }
        };
        let formula_expr = match f.map(formula::parse) {
            None => Some(None),
            Some(Ok(e)) => Some(Some(e)),
            Some(Err(msg)) => {
                self.syntax_error(name, span, &msg);
                None
            }
        };
        match (cell_expr, formula_expr) {
            (Some(cell), Some(formula)) => Parsed::Cell { cell, formula },
            _ => Parsed::Broken,
        }
    }

    /// A figure bound to a table cell with a formula: the cell must equal the formula. Returns
    /// the cell, which the table check then leaves alone.
    fn check_cell(&mut self, name: &str) -> Option<FormulaCell> {
        let Some((
            Parsed::Cell {
                cell,
                formula: Some(f),
            },
            span,
        )) = self.parsed.get(name)
        else {
            return None;
        };
        let (cell, f, span) = (cell.clone(), f.clone(), span.clone());
        let (key, cell_span) = self.locate_cell(&cell, &span)?;
        let cell_value = self.values.get(name).copied().flatten();
        let formula_value = formula::evaluate(&f, &mut |e| self.lookup(e, &span, 1)).ok();
        if let (Some(c), Some(v)) = (cell_value, formula_value) {
            if c != v {
                let diff = c - v;
                let how = if diff > Decimal::ZERO {
                    "too much"
                } else {
                    "too little"
                };
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::FormulaMismatch,
                        self.file,
                        cell_span,
                        format!(
                            "this cell is {} but its formula gives {}: {} {how}",
                            format_exact(c),
                            format_exact(v),
                            format_exact(diff.abs()),
                        ),
                    )
                    .with_related(
                        self.file,
                        span.clone(),
                        format!("figure `{name}` declares the formula"),
                    )
                    .with_label("does not equal its formula"),
                );
            }
        }
        Some(key)
    }
    fn syntax_error(&mut self, name: &str, span: &Range<usize>, msg: &str) {
        self.diagnostics.push(
            Diagnostic::error(
                Code::FormulaSyntax,
                self.file,
                span.clone(),
                format!("figure `{name}`: {msg}"),
            )
            .with_hint(
                "a formula uses figure names, amounts, TABLE-ID[row] cells, + - * / and brackets",
            ),
        );
    }

    fn value_of(&mut self, name: &str, depth: usize) -> Option<Decimal> {
        match self.state.get(name) {
            Some(State::Done) => return self.values.get(name).copied().flatten(),
            Some(State::Visiting) => {
                let span = self.parsed.get(name).map(|p| p.1.clone()).unwrap_or(0..0);
                if self.reported.insert(("cycle".into(), name.to_string())) {
                    self.diagnostics.push(Diagnostic::error(
                        Code::FigureCycle,
                        self.file,
                        span,
                        format!("figure `{name}` is defined in terms of itself"),
                    ));
                }
                return None;
            }
            None => {}
        }
        if depth > MAX_CHAIN {
            return None;
        }
        self.state.insert(name.to_string(), State::Visiting);
        let (expr, span) = match self.parsed.get(name) {
            Some((Parsed::Value(v), _)) => {
                let v = *v;
                self.finish(name, Some(v));
                return Some(v);
            }
            Some((Parsed::Formula(e), span)) => (e.clone(), span.clone()),
            Some((Parsed::Cell { cell, .. }, span)) => (cell.clone(), span.clone()),
            Some((Parsed::Broken, _)) | None => {
                self.finish(name, None);
                return None;
            }
        };
        let value = formula::evaluate(&expr, &mut |e| self.lookup(e, &span, depth + 1)).ok();
        self.finish(name, value);
        value
    }

    fn finish(&mut self, name: &str, value: Option<Decimal>) {
        self.values.insert(name.to_string(), value);
        self.state.insert(name.to_string(), State::Done);
    }

    fn lookup(&mut self, e: &Expr, span: &Range<usize>, depth: usize) -> Result<Decimal, String> {
        match e {
            Expr::Figure(name) => {
                if !self.parsed.contains_key(name) {
                    if self.reported.insert(("name".into(), name.clone())) {
                        let known: Vec<String> = self.parsed.keys().cloned().collect();
                        let mut d = Diagnostic::error(
                            Code::UnknownFigure,
                            self.file,
                            span.clone(),
                            format!("no figure is named `{name}`"),
                        );
                        if let Some(best) = crate::diagnostic::closest(name, &known) {
                            d = d.with_hint(format!("did you mean `{best}`?"));
                        }
                        self.diagnostics.push(d);
                    }
                    return Err("unknown".into());
                }
                self.value_of(name, depth).ok_or_else(|| "no value".into())
            }
            Expr::Cell { .. } => {
                let (key, _) = self
                    .locate_cell(e, span)
                    .ok_or_else(|| "no cell".to_string())?;
                let table = self.body.table(&key.0).ok_or("no table")?;
                match &table.rows[key.1].cells[key.2].value {
                    CellValue::Amount(m) => Ok(m.value),
                    _ => Err("not an amount".into()),
                }
            }
            _ => Err("not a reference".into()),
        }
    }

    /// Finds the cell an expression names, reporting what does not exist.
    fn locate_cell(
        &mut self,
        e: &Expr,
        span: &Range<usize>,
    ) -> Option<(FormulaCell, Range<usize>)> {
        let Expr::Cell { table, row, column } = e else {
            return None;
        };
        match cell_at(self.body, table, row, column.as_deref()) {
            Ok(found) => found,
            Err((message, hint)) => {
                if self.reported.insert(("cell".into(), message.clone())) {
                    let mut d =
                        Diagnostic::error(Code::UnknownCell, self.file, span.clone(), message);
                    if let Some(h) = hint {
                        d = d.with_hint(h);
                    }
                    self.diagnostics.push(d);
                }
                None
            }
        }
    }
}

/// Why a cell reference finds no amount: the message, and a hint when there is one.
type Miss = (String, Option<String>);

/// The amount a formula's `table[row]` or `table[row][column]` names, and where it is; none,
/// unreported, for a column the row has no cell in.
fn cell_at(
    body: &Document,
    table: &str,
    row: &str,
    column: Option<&str>,
) -> Result<Option<(FormulaCell, Range<usize>)>, Miss> {
    let t = body.table(table).ok_or_else(|| no_table(body, table))?;
    let r = t.find_row(row).ok_or_else(|| no_row(t, table, row))?;
    let c = match column {
        Some(col) => t.find_column(col).ok_or_else(|| {
            (
                format!("table `{table}` has no column headed `{col}`"),
                None,
            )
        })?,
        None => only_amount(&t.rows[r], table, row)?,
    };
    let Some(cell) = t.rows[r].cells.get(c) else {
        return Ok(None);
    };
    if !matches!(cell.value, CellValue::Amount(_)) {
        return Err((format!("cell `{table}[{row}]` is not an amount"), None));
    }
    Ok(Some(((table.to_string(), r, c), cell.span.clone())))
}

fn no_table(body: &Document, table: &str) -> Miss {
    let ids: Vec<String> = body.tables.iter().map(|t| t.id.clone()).collect();
    let hint = match crate::diagnostic::closest(table, &ids) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if ids.is_empty() => {
            Some("give a table an id with a caption paragraph ending `{#id}`".into())
        }
        None => Some(format!("the tables are: {}", ids.join(", "))),
    };
    (format!("no table has the id `{table}`"), hint)
}

fn no_row(t: &Table, table: &str, row: &str) -> Miss {
    let labels: Vec<String> = t
        .rows
        .iter()
        .filter_map(|r| r.cells.first().map(|c| c.text.text.trim().to_string()))
        .filter(|s| !s.is_empty())
        .collect();
    let hint = crate::diagnostic::closest(row, &labels).map(|b| format!("did you mean `{b}`?"));
    (format!("table `{table}` has no row labelled `{row}`"), hint)
}

/// A row named without a column: its one amount.
fn only_amount(r: &Row, table: &str, row: &str) -> Result<usize, Miss> {
    let amounts: Vec<usize> = r
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.value, CellValue::Amount(_)))
        .map(|(i, _)| i)
        .collect();
    match amounts.as_slice() {
        [one] => Ok(*one),
        [] => Err((
            format!("row `{row}` of table `{table}` holds no amount"),
            None,
        )),
        _ => Err((
            format!("row `{row}` of table `{table}` holds several amounts"),
            Some(format!("name the column: {table}[{row}][column header]")),
        )),
    }
}
