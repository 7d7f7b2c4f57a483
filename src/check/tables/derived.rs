//! Derived columns: a column whose every cell follows from other cells of its row. A column
//! headed "Total" is declared the sum of the row's other amounts; a column that is the
//! difference or the sum of two others in every other row of the table (a variance, a net
//! figure, a combined budget) is evident from those rows. A row that breaks its relation is
//! reported at the one cell that explains it: a part, when its column's total agrees with the
//! value the row says it should have, else the derived cell itself. The cell is then read as
//! corrected when its column's totals are checked, so the slip is reported once.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{short_or_over, Columns, Corrections, Shape, Values};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::format_exact;
use crate::model::{Table, TOTAL_WORD};

/// How a derived column is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Headed "Total": the sum of the row's other amounts (of those it has).
    RowTotal,
    /// The first part less the second, in every other row.
    Difference,
    /// The sum of the two parts, in every other row.
    Sum,
}

/// A derived column and the columns it is made of, each added (true) or taken away (false).
#[derive(Clone, Debug)]
pub(super) struct Relation {
    column: usize,
    parts: Vec<(usize, bool)>,
    kind: Kind,
    /// Rows (other than the one at fault) where it holds with parts that are not zero.
    agree: usize,
}

/// How many columns before a derived column its parts are looked for, so the search costs the
/// same for each column however wide the table: a variance follows what it compares, a
/// combined figure what it combines.
const NEAR: usize = 5;
/// A relation is evident when it holds in at least this many rows (with cells that are not
/// zero, so empty rows prove nothing) ...
const EVIDENT_ROWS: usize = 3;
/// ... and fails in no more than one row in this many that it holds in (and at least one,
/// else there is nothing to report).
const EVIDENT_RATIO: usize = 4;
/// How many rows may be read without a row that shows a relation before it is given up.
const LOOK_ROWS: usize = 16;
/// How many times per table a column's totals are read again to see whether a part explains
/// a row: enough for every real slip, bounded for a table of thousands.
const BLAME_BUDGET: usize = 64;

/// The header's words for a column that is the difference of two others.
static DIFFERENCE_WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)(?-u:\b)(variance|difference|change|movement|increase|decrease|over ?spend|under ?spend|net)(?-u:\b)",
    )
    .expect("valid")
});

pub(super) fn header(table: &Table, col: usize) -> String {
    table
        .header
        .cells
        .get(col)
        .map(|h| h.text.text.replace("**", "").trim().to_string())
        .unwrap_or_default()
}

/// The derived columns of a table that break in some row: declared row totals first, then
/// differences and sums evident from the rows, found from the rightmost column leftwards (a
/// derived column follows what it is made of; once a column is derived it is no other's part).
pub(super) fn relations(
    table: &Table,
    columns: &[usize],
    values: &Values,
    shape: &Shape,
) -> Vec<Relation> {
    let totals: BTreeSet<usize> = columns
        .iter()
        .copied()
        .filter(|&c| TOTAL_WORD.is_match(&header(table, c)))
        .collect();
    let plain: Vec<usize> = columns
        .iter()
        .copied()
        .filter(|c| !totals.contains(c))
        .collect();
    let mut out: Vec<Relation> = totals
        .iter()
        .map(|&column| Relation {
            column,
            parts: plain.iter().map(|&p| (p, true)).collect(),
            kind: Kind::RowTotal,
            agree: 0,
        })
        .collect();
    let mut derived = BTreeSet::new();
    for (i, &column) in plain.iter().enumerate().rev() {
        let near: Vec<usize> = plain[i.saturating_sub(NEAR)..i]
            .iter()
            .copied()
            .filter(|c| !derived.contains(c))
            .collect();
        let declared = DIFFERENCE_WORD.is_match(&header(table, column));
        if let Some(r) = evident(column, &near, values, shape, declared) {
            derived.insert(column);
            out.push(r);
        }
    }
    out
}

/// The relation making `column` from two of `near` that the rows show best, if it breaks
/// somewhere.
fn evident(
    column: usize,
    near: &[usize],
    values: &Values,
    shape: &Shape,
    declared: bool,
) -> Option<Relation> {
    let mut candidates = Vec::new();
    for (x, &a) in near.iter().enumerate() {
        for &b in &near[x + 1..] {
            candidates.push((vec![(a, true), (b, false)], Kind::Difference));
            candidates.push((vec![(b, true), (a, false)], Kind::Difference));
            candidates.push((vec![(a, true), (b, true)], Kind::Sum));
        }
    }
    // The relation that holds best (fails least, then holds most): when one holds in every
    // row, the column follows it and nothing is wrong.
    let mut best: Option<(usize, Relation)> = None;
    for (parts, kind) in candidates {
        let Some((agree, fail)) = tally(column, &parts, values, shape) else {
            continue;
        };
        let (rows, ratio) = if declared && kind == Kind::Difference {
            (2, 2)
        } else {
            (EVIDENT_ROWS, EVIDENT_RATIO)
        };
        if agree < rows || fail > (agree / ratio).max(1) {
            continue;
        }
        let better = best.as_ref().is_none_or(|(f, b)| {
            (fail, std::cmp::Reverse(agree)) < (*f, std::cmp::Reverse(b.agree))
        });
        if better {
            let relation = Relation {
                column,
                parts,
                kind,
                agree,
            };
            best = Some((fail, relation));
        }
    }
    best.filter(|(fail, _)| *fail > 0).map(|(_, r)| r)
}

/// In how many ordinary rows the relation holds with parts that are not zero, and in how many
/// it fails; none when the rows soon show it is no relation (it fails as often as it holds,
/// or nothing shows it).
fn tally(
    column: usize,
    parts: &[(usize, bool)],
    values: &Values,
    shape: &Shape,
) -> Option<(usize, usize)> {
    let own = values.column(column)?;
    let (mut agree, mut fail, mut read) = (0usize, 0usize, 0usize);
    for (row, cell) in own.iter().enumerate() {
        if shape.totals[row] {
            // A sum or difference of columns holds in their totals too (Net + VAT = Gross in
            // the total row): a total row where it holds is evidence of it. One where it
            // fails is not against it: the slip may be a total's, which the column reports.
            let holds = cell.is_some_and(|cell| {
                make(parts, values, row).is_some_and(|(made, zero)| made == cell && !zero)
            });
            agree += usize::from(holds && own[row].is_some_and(|c| !c.is_zero()));
            continue;
        }
        let Some(cell) = cell else { continue };
        let Some((made, zero)) = make(parts, values, row) else {
            continue;
        };
        read += 1;
        if made == *cell {
            // A row proves the relation only when its cells are not zero: 0 = 5 − 5 holds
            // for a difference either way round.
            agree += usize::from(!zero && !cell.is_zero());
        } else {
            fail += 1;
        }
        if (fail >= 2 && fail > agree) || (read >= LOOK_ROWS && agree == 0) {
            return None;
        }
    }
    Some((agree, fail))
}

/// What `parts` make of row `row`, and whether one of them is zero; none when one is missing
/// (or the sum is too large for a decimal).
fn make(parts: &[(usize, bool)], values: &Values, row: usize) -> Option<(Decimal, bool)> {
    let mut made = Decimal::ZERO;
    let mut zero = false;
    for &(p, plus) in parts {
        let v = values.at(p, row)?;
        zero |= v.is_zero();
        made = if plus {
            made.checked_add(v)?
        } else {
            made.checked_sub(v)?
        };
    }
    Some((made, zero))
}

impl Relation {
    /// What the relation makes of row `row`: none when a part it needs is not there.
    fn made(&self, values: &Values, row: usize) -> Option<Decimal> {
        let mut made = Decimal::ZERO;
        let mut any = false;
        for &(p, plus) in &self.parts {
            match values.at(p, row) {
                Some(v) => {
                    any = true;
                    made = if plus {
                        made.checked_add(v)?
                    } else {
                        made.checked_sub(v)?
                    };
                }
                None if self.kind == Kind::RowTotal => {}
                None => return None,
            }
        }
        any.then_some(made)
    }

    /// "“Actual” − “Budget”", for messages.
    fn formula(&self, table: &Table) -> String {
        let mut out = String::new();
        for (i, &(p, plus)) in self.parts.iter().enumerate() {
            match (i, plus) {
                (0, true) => {}
                (0, false) => out.push('−'),
                (_, true) => out.push_str(" + "),
                (_, false) => out.push_str(" − "),
            }
            out.push_str(&format!("“{}”", header(table, p)));
        }
        out
    }
}

impl Columns<'_> {
    /// Reports each ordinary row that breaks `relation`, at the cell that explains it, and
    /// reads that cell as corrected from then on.
    pub(super) fn check_relation(
        &self,
        relation: &Relation,
        corrected: &mut Corrections,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(own) = self.values.column(relation.column) else {
            return;
        };
        if let Some(note) = self.mostly_wrong(relation, own) {
            out.push(note);
            return;
        }
        let mut budget = BLAME_BUDGET;
        let open_years = self.of_years_shown(relation);
        let mut short = Vec::new();
        for (row, cell) in own.iter().enumerate() {
            let (Some(cell), false) = (cell, self.shape.totals[row]) else {
                continue;
            };
            if (self.governed)(row, relation.column) {
                continue;
            }
            let Some(made) = relation.made(self.values, row) else {
                continue;
            };
            if made == *cell || self.one_more_part(relation, row, *cell - made) {
                continue;
            }
            if open_years && made < *cell {
                short.push(row);
                continue;
            }
            let blamed = if budget > 0 {
                self.part_to_blame(relation, row, *cell - made, corrected, &mut budget)
            } else {
                None
            };
            match blamed {
                Some((part, was, should)) => {
                    out.push(self.part_wrong(relation, row, part, was, should));
                    corrected.0.insert((row, part), should);
                }
                None => {
                    out.push(self.derived_wrong(relation, row, *cell, made));
                    corrected.0.insert((row, relation.column), made);
                }
            }
        }
        if let Some(&first) = short.first() {
            out.push(self.years_not_shown(relation, first, short.len()));
        }
    }

    /// Whether a row total is of years and the table may not show them all: its parts are
    /// columns of years ("2025-26", "Prior Years Spend", "Year 4") and the last of the table's
    /// amount columns is one of them. A scheme's total cost then covers years after the last
    /// shown (a ten-year programme printed four years to a page): a row whose years add up to
    /// less than its total may be right, one whose years add up to more cannot be.
    fn of_years_shown(&self, relation: &Relation) -> bool {
        static YEARS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"(?i)(?-u:\b)(?:(?:19|20)\d{2}\s*[-/–]\s*\d{2,4}|years?)(?-u:\b)")
                .expect("valid")
        });
        let last_amounts = (0..self.table.columns())
            .rev()
            .find(|&c| self.values.column(c).is_some());
        relation.kind == Kind::RowTotal
            && !relation.parts.is_empty()
            && relation
                .parts
                .iter()
                .all(|&(p, _)| YEARS.is_match(&header(self.table, p)))
            && last_amounts.is_some_and(|l| relation.parts.iter().any(|&(p, _)| p == l))
    }

    /// One warning for the rows of a row total of years whose years shown add up to less.
    fn years_not_shown(&self, relation: &Relation, row: usize, rows: usize) -> Diagnostic {
        Diagnostic::warning(
            Code::RowTotalMismatch,
            self.file,
            self.span(row, relation.column),
            format!(
                "in {rows} rows the years shown add up to less than “{}”: the total may include years this table does not show, so none is reported as a slip",
                header(self.table, relation.column),
            ),
        )
        .with_label("years shown add up to less")
        .with_hint("if the table shows every year, correct the rows that do not add up; else say where the other years are")
    }

    /// Whether another amount of row `row` is exactly what the derived cell is `off` by (either
    /// way): the relation has a part the other rows did not show, being zero there ("Net =
    /// Gross + Income" where every other row's Grants are 0.0, and this row's −2,596.7 makes
    /// its Net). Such a row follows a fuller relation; it is no slip.
    fn one_more_part(&self, relation: &Relation, row: usize, off: Decimal) -> bool {
        (0..self.table.columns())
            .filter(|&c| c != relation.column && relation.parts.iter().all(|&(p, _)| p != c))
            .filter_map(|c| self.values.at(c, row))
            .any(|v| !v.is_zero() && (v == off || -v == off))
    }

    /// One warning in place of a finding per row when most rows disagree with the relation
    /// (`super::mostly_misread`): the column is not what its header suggests (a "Total Cost of
    /// Scheme" of years on another page) or the table was read wrongly; none is a slip.
    fn mostly_wrong(&self, relation: &Relation, own: &[Option<Decimal>]) -> Option<Diagnostic> {
        let (mut checked, mut wrong, mut first) = (0usize, 0usize, None);
        for (row, cell) in own.iter().enumerate() {
            let (Some(cell), false) = (cell, self.shape.totals[row]) else {
                continue;
            };
            if (self.governed)(row, relation.column) {
                continue;
            }
            let Some(made) = relation.made(self.values, row) else {
                continue;
            };
            checked += 1;
            if made != *cell {
                wrong += 1;
                first.get_or_insert(row);
            }
        }
        if !super::mostly_misread(wrong, checked) {
            return None;
        }
        let code = if relation.kind == Kind::RowTotal {
            Code::RowTotalMismatch
        } else {
            Code::DerivedCell
        };
        Some(
            Diagnostic::warning(
                code,
                self.file,
                self.span(first?, relation.column),
                format!(
                    "{wrong} of {checked} rows do not make “{}” as {}: the column is not that, or the table was read wrongly, so no row is reported as a slip",
                    header(self.table, relation.column),
                    relation.formula(self.table),
                ),
            )
            .with_label("most rows disagree here")
            .with_hint("check what the column holds; if it is a total of these columns, correct the rows that do not add up"),
        )
    }

    /// The one part of row `row` whose column's totals add up once it is the value the row
    /// says (the derived cell is `off` from what the parts make), with its value and that one.
    fn part_to_blame(
        &self,
        relation: &Relation,
        row: usize,
        off: Decimal,
        corrected: &Corrections,
        budget: &mut usize,
    ) -> Option<(usize, Decimal, Decimal)> {
        let mut found = None;
        for &(part, plus) in &relation.parts {
            let Some(was) = self.values.at(part, row) else {
                continue;
            };
            let should = if plus {
                was.checked_add(off)?
            } else {
                was.checked_sub(off)?
            };
            *budget = budget.saturating_sub(1);
            if self.findings(part, corrected).is_empty() {
                continue;
            }
            let mut trial = Corrections(corrected.0.clone());
            trial.0.insert((row, part), should);
            if self.findings(part, &trial).is_empty() {
                if found.is_some() {
                    return None;
                }
                found = Some((part, was, should));
            }
            if *budget == 0 {
                break;
            }
        }
        found
    }

    fn derived_wrong(
        &self,
        relation: &Relation,
        row: usize,
        cell: Decimal,
        made: Decimal,
    ) -> Diagnostic {
        let span = self.span(row, relation.column);
        if relation.kind == Kind::RowTotal {
            let parts = relation
                .parts
                .iter()
                .filter(|(p, _)| self.values.at(*p, row).is_some())
                .count();
            return Diagnostic::error(
                Code::RowTotalMismatch,
                self.file,
                span,
                format!(
                    "row total {} is not the sum of the row's {parts} amounts, {}: {}",
                    format_exact(cell),
                    format_exact(made),
                    short_or_over(cell, made)
                ),
            )
            .with_label("does not add up");
        }
        Diagnostic::error(
            Code::DerivedCell,
            self.file,
            span,
            format!(
                "{} is not {} as “{}” is in {} other rows of this table, {}: {}",
                format_exact(cell),
                relation.formula(self.table),
                header(self.table, relation.column),
                relation.agree,
                format_exact(made),
                short_or_over(cell, made)
            ),
        )
        .with_label("does not follow from its row")
        .with_hint("correct this cell; its column's total is then read with the corrected value")
    }

    fn part_wrong(
        &self,
        relation: &Relation,
        row: usize,
        part: usize,
        was: Decimal,
        should: Decimal,
    ) -> Diagnostic {
        Diagnostic::error(
            Code::CellAgainstRowAndColumn,
            self.file,
            self.span(row, part),
            format!(
                "{} in “{}” agrees neither with its row, whose “{}” is {}, nor with its column's total: both say {}, {}",
                format_exact(was),
                header(self.table, part),
                header(self.table, relation.column),
                relation.formula(self.table),
                format_exact(should),
                short_or_over(was, should)
            ),
        )
        .with_label("the one cell that explains its row and its column")
    }
}
