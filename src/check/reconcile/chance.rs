//! How likely chance alone would make an amount look like a slip of a fact.
//!
//! An amount written with `d` significant digits is one of `9 × 10^(d−1)` values of its length.
//! An edit of a given kind turns a fact into `v` such values (`slips::variants`: two digits
//! swapped `d − 1`, one changed `9d`, one added `10(d + 1)`, one dropped `d`, a near miss or a
//! change of scale 1 or 2). With `K` facts of the size the edit reaches, a random amount of
//! that precision lands one such edit from one of them with probability at most
//!
//! ```text
//! P = K × v / (9 × 10^(d−1))
//! ```
//!
//! A verdict resting on value alone is given only where `P × n ≤ 0.05`, `n` being the number
//! of amounts the paper states (`Policy::chance_per_paper`): the expected number of slips
//! chance would show in the paper stays below one in twenty.

use rust_decimal::Decimal;

use super::policy::POLICY;
use super::search::Index;
use super::slips::{self, Edit};
use crate::model::money::Money;

/// How many values of `digits` significant digits there are: `9 × 10^(digits−1)`.
fn values_of_length(digits: usize) -> Decimal {
    let mut n = Decimal::from(9);
    for _ in 1..digits.min(27) {
        n = n.checked_mul(Decimal::TEN).unwrap_or(Decimal::MAX);
    }
    n
}

/// The decade `m`'s size lies in: `[10^k, 10^(k+1))`.
fn decade(v: Decimal) -> (Decimal, Decimal) {
    let mut low = Decimal::ONE;
    while low.checked_mul(Decimal::TEN).is_some_and(|l| l <= v) {
        low *= Decimal::TEN;
    }
    while low > v && !v.is_zero() {
        match low.checked_div(Decimal::TEN) {
            Some(l) if !l.is_zero() => low = l,
            _ => break,
        }
    }
    (low, low.checked_mul(Decimal::TEN).unwrap_or(low))
}

/// How many products of a fact and one of the sentence's factors land in `m`'s decade: the
/// candidates a product slip is weighed among.
pub fn products_near(index: &Index, m: &Money, factors: &[super::search::Factor]) -> usize {
    let (low, high) = decade(m.value.abs());
    factors
        .iter()
        .filter(|f| f.value > Decimal::ZERO)
        .map(
            |f| match (low.checked_div(f.value), high.checked_div(f.value)) {
                (Some(l), Some(h)) => index.count_sized(l, h),
                _ => 0,
            },
        )
        .sum()
}

/// The facts of the size an edit of `m` reaches: the same decade for a change of digits, a
/// decade up or down for one added or dropped, the scaled decade for a change of scale.
fn candidates(index: &Index, m: &Money, edit: Edit) -> usize {
    let v = m.value.abs();
    if v.is_zero() {
        return index.facts().len();
    }
    let mut low = Decimal::ONE;
    while low.checked_mul(Decimal::TEN).is_some_and(|l| l <= v) {
        low *= Decimal::TEN;
    }
    while low > v {
        low = low.checked_div(Decimal::TEN).unwrap_or(low);
        if low.is_zero() {
            break;
        }
    }
    let shift = |k: i32| -> Decimal {
        let f = Decimal::from(10i64.pow(k.unsigned_abs().min(18)));
        if k >= 0 {
            low.checked_div(f).unwrap_or(low)
        } else {
            low.checked_mul(f).unwrap_or(low)
        }
    };
    let decade = |l: Decimal| index.count_sized(l, l.checked_mul(Decimal::TEN).unwrap_or(l));
    match edit {
        Edit::Near | Edit::Swapped | Edit::Changed => decade(low),
        Edit::Added { .. } => decade(shift(1)),
        Edit::Dropped { .. } => decade(shift(-1)),
        // Every scale is tried, so every scaled decade holds candidates.
        Edit::Scale(_) => [1, -1, 3, -3, 6, -6, 9, -9]
            .into_iter()
            .map(|k| decade(shift(k)))
            .sum(),
    }
}

/// The chance that a random amount of `m`'s precision is this edit from one of `k` facts.
pub fn of_edit(m: &Money, edit: Edit, k: usize) -> Decimal {
    // Pence are written on purpose: "£34,270.80" has seven digits, its zero among them.
    let digits = if m.unit < Decimal::ONE {
        crate::model::money::digits_at(m.value, m.unit).map_or(1, |d| d.len())
    } else {
        super::search::significant_digits(m).max(1)
    };
    let length = match edit {
        // A near miss is about the last digit written, trailing zeros included.
        Edit::Near => crate::model::money::digits_at(m.value, m.unit).map_or(digits, |d| d.len()),
        _ => digits,
    };
    let variants = match edit {
        Edit::Near => 2,
        other => slips::variants(other, length),
    };
    Decimal::from(k as u64)
        .checked_mul(Decimal::from(variants as u64))
        .and_then(|x| x.checked_div(values_of_length(length)))
        .unwrap_or(Decimal::ONE)
        .min(Decimal::ONE)
}

/// The chance of edit `edit` from one of `k` facts, `x` the value it is from. A near miss
/// beyond the last digit written is a rounding ("£120,000" for £115,000): it is about the
/// amount's own precision, one of 90 values of two significant digits, whose trailing zeros
/// are no digits a chance match must hit.
pub fn of_edit_from(m: &Money, edit: Edit, x: Decimal, k: usize) -> Decimal {
    let beyond = !slips::within_written_unit(m, x);
    if edit != Edit::Near || !beyond {
        return of_edit(m, edit, k);
    }
    let digits = super::search::significant_digits(m).max(1);
    Decimal::from(k as u64)
        .checked_mul(Decimal::TWO)
        .and_then(|x| x.checked_div(values_of_length(digits)))
        .unwrap_or(Decimal::ONE)
        .min(Decimal::ONE)
}

/// The chance that `m` is this edit from one of the paper's facts by chance.
pub fn of_value_alone(index: &Index, m: &Money, edit: Edit, x: Decimal) -> Decimal {
    of_edit_from(m, edit, x, candidates(index, m, edit))
}

/// The most chance one amount may carry, among `amounts` in the paper.
pub fn budget(amounts: usize) -> Decimal {
    POLICY
        .chance_per_paper
        .value
        .checked_div(Decimal::from(amounts.max(1) as u64))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chance_grows_with_candidates_and_shrinks_with_digits() {
        let short = Money::parse("£2.45m").unwrap();
        let long = Money::parse("£2,451,237").unwrap();
        assert!(of_edit(&short, Edit::Changed, 10) > of_edit(&long, Edit::Changed, 10));
        assert!(of_edit(&long, Edit::Changed, 100) > of_edit(&long, Edit::Changed, 10));
        // 3 digits: 900 values; 27 one-digit changes of each of 10 facts.
        assert_eq!(of_edit(&short, Edit::Changed, 10), Decimal::new(3, 1));
        assert!(of_edit(&short, Edit::Changed, 1000) <= Decimal::ONE);
    }

    #[test]
    fn the_budget_is_shared_by_the_papers_amounts() {
        assert_eq!(budget(10), Decimal::new(5, 3));
        assert_eq!(budget(0), Decimal::new(5, 2));
    }
}
