//! Sums the words of a sentence name: the cells of one table column whose rows its words
//! name. "The footway programme … at a cost of £7.8m" is the two rows whose labels say
//! "footway", added up in one column; "the two-year extension is worth £880,000" the two rows
//! marked "(extension)". A group of rows is named only by a word its labels share that the
//! column's other rows lack, and only two rows or more, so a single cell is never re-counted
//! as a sum and a word every row carries names no part of the column.

use std::collections::BTreeMap;

use super::facts::{Fact, Kind};
use super::policy::POLICY;
use super::search::{self, Explanation};
use super::subject;

/// The paper's table cells by the specific words of their rows.
pub struct Rows {
    /// Each specific stem of a row label, with the cells of the rows that carry it.
    by_stem: BTreeMap<String, Vec<usize>>,
    /// How many cells each column (table, column) holds, totals left out.
    columns: BTreeMap<(usize, usize), usize>,
}

/// A sum of a column's cells whose rows a word names.
pub struct NamedSum {
    pub explanation: Explanation,
    /// The word that names the rows.
    pub word: String,
    /// The cells added up.
    pub parts: Vec<usize>,
}

impl Rows {
    pub fn new(facts: &[Fact]) -> Rows {
        let mut by_stem: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut columns: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for (i, f) in facts.iter().enumerate() {
            let Some(p) = f.place.filter(|p| p.row != usize::MAX) else {
                continue;
            };
            if f.kind != Kind::Cell {
                continue;
            }
            *columns.entry((p.table, p.column)).or_default() += 1;
            let words = subject::Words::of(&f.row_of);
            for w in subject::specific(&words) {
                by_stem.entry(w.clone()).or_default().push(i);
            }
        }
        Rows { by_stem, columns }
    }

    /// Each sum of two or more cells of one column whose rows carry one of `words` (and not
    /// every row of the column does), at most `Policy::group_size` cells.
    pub fn sums(&self, facts: &[Fact], words: &[String]) -> Vec<NamedSum> {
        let mut out = Vec::new();
        for w in words {
            let Some(ids) = self.by_stem.get(w) else {
                continue;
            };
            let mut by_column: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
            for &i in ids {
                if let Some(p) = facts[i].place {
                    by_column.entry((p.table, p.column)).or_default().push(i);
                }
            }
            for (column, parts) in by_column {
                let all = self.columns.get(&column).copied().unwrap_or(0);
                if parts.len() < 2 || parts.len() >= all || parts.len() > POLICY.group_size.value {
                    continue;
                }
                let cells: Vec<&Fact> = parts.iter().map(|&i| &facts[i]).collect();
                if let Some(mut e) = search::combine(&cells, true) {
                    e.kind = crate::model::verdict::Kind::Sum;
                    out.push(NamedSum {
                        explanation: e,
                        word: w.clone(),
                        parts,
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::reconcile::facts::Place;
    use rust_decimal::Decimal;

    fn cell(value: i64, row: usize, column: usize, label: &str) -> Fact {
        let mut f = Fact::of(
            Decimal::from(value),
            Decimal::ONE,
            format!("“{label}”"),
            Kind::Cell,
        )
        .about(label);
        f.row_of = label.to_string();
        f.place = Some(Place {
            table: 0,
            column,
            row,
            covered_by: None,
            subtotal: false,
            grand: false,
        });
        f
    }

    fn words(text: &str) -> Vec<String> {
        subject::stems(text)
    }

    #[test]
    fn the_rows_a_word_names_are_added_up_in_each_column() {
        let facts = [
            cell(15_940, 0, 1, "Carriageway resurfacing"),
            cell(5_630, 1, 1, "Footway resurfacing"),
            cell(2_135, 2, 1, "Footway slurry sealing"),
            cell(5_270, 1, 2, "Footway resurfacing"),
            cell(1_955, 2, 2, "Footway slurry sealing"),
        ];
        let rows = Rows::new(&facts);
        let sums = rows.sums(&facts, &words("The footway programme has 179 schemes"));
        let values: Vec<Decimal> = sums.iter().map(|s| s.explanation.value).collect();
        assert_eq!(values, [Decimal::from(7_765)]);
        // A word every row of a column carries names no part of it; one row is no sum.
        let values: Vec<Decimal> = rows
            .sums(&facts, &words("resurfacing"))
            .iter()
            .map(|s| s.explanation.value)
            .collect();
        assert_eq!(values, [Decimal::from(21_570)]);
        assert!(rows.sums(&facts, &words("slurry sealing")).is_empty());
        assert!(rows.sums(&facts, &words("carriageway")).is_empty());
    }
}
