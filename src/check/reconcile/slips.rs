//! Whether an amount that nothing explains is one edit away from something that would: a near
//! miss at the precision written, two digits swapped, one digit wrong, a digit added or
//! dropped, or the right digits at the wrong scale (a zero too many, "k" for "m", the "m"
//! left off). Short amounts are one edit away from almost anything, so each kind of edit needs
//! enough significant digits to mean something.

use rust_decimal::Decimal;

use crate::model::money::{digits_at, round_to_unit, Money};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Within one unit of the last digit written, but not what it rounds to.
    Near,
    Swapped,
    Changed,
    /// A digit too many (`zero` when it is a 0).
    Added {
        zero: bool,
    },
    Dropped {
        zero: bool,
    },
    /// The amount is the value times 10^k.
    Scale(i32),
}

/// Whether `x` is within one unit of the last digit written of `m`: a near miss of it is a
/// mistyped last digit, not a rounding beyond what was written.
pub fn within_written_unit(m: &Money, x: Decimal) -> bool {
    m.value
        .abs()
        .checked_sub(x.abs())
        .is_some_and(|d| d.abs() <= m.unit)
}

/// How `m` relates to the value `x` by one edit, if it does. `digits` is `m`'s count of
/// significant digits.
pub fn relation(m: &Money, x: Decimal, digits: usize) -> Option<Edit> {
    let (v, u) = (m.value.abs(), m.unit);
    let x = x.abs();
    if round_to_unit(x, u) == Some(v) || u <= Decimal::ZERO {
        return None;
    }
    let diff = v.checked_sub(x)?.abs();
    // Within a unit of the last digit: a slip when the amount has the digits to say so, or
    // when the two are the same to a thousandth ("£20,000" for £20,000.60).
    let close = x
        .checked_div(Decimal::ONE_THOUSAND)
        .is_some_and(|t| diff <= t);
    if diff <= u && (digits >= 2 || close) {
        return Some(Edit::Near);
    }
    // Right only when its trailing zeros are read as rounding: "£4,159,000" for £4,158,960 is
    // written to the pound.
    let significant = m.significant_unit();
    let own = super::search::significant_digits(m);
    if significant > u && own >= 2 && round_to_unit(x, significant) == Some(v) {
        return Some(Edit::Near);
    }
    if digits >= 2 {
        // A zero too many or too few, thousands for millions, a unit left off: the slips
        // people make (a factor of a hundred is not one of them).
        for k in [1i32, -1, 3, -3, 6, -6, 9, -9] {
            let scaled = if k > 0 {
                x.checked_mul(Decimal::from(10i64.pow(k as u32)))
            } else {
                x.checked_div(Decimal::from(10i64.pow((-k) as u32)))
            };
            if scaled.and_then(|s| round_to_unit(s, u)) == Some(v) && !scaled?.is_zero() {
                return Some(Edit::Scale(k));
            }
        }
    }
    if digits < 3 {
        return None;
    }
    let (written, wanted) = (digits_at(v, u)?, digits_at(x, u)?);
    one_edit(&written, &wanted)
}

/// The one edit that turns `wanted` into `written`, if one does.
pub(super) fn one_edit(written: &str, wanted: &str) -> Option<Edit> {
    let (a, b) = (written.as_bytes(), wanted.as_bytes());
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return match diffs.as_slice() {
            [_] => Some(Edit::Changed),
            [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => Some(Edit::Swapped),
            _ => None,
        };
    }
    let (long, short, added) = if a.len() == b.len() + 1 {
        (a, b, true)
    } else if b.len() == a.len() + 1 {
        (b, a, false)
    } else {
        return None;
    };
    let at = (0..short.len())
        .find(|&i| long[i] != short[i])
        .unwrap_or(short.len());
    if long[at + 1..] != short[at..] {
        return None;
    }
    // A digit added or dropped in front changes the amount's size, not its spelling.
    if at == 0 {
        return None;
    }
    let zero = long[at] == b'0';
    Some(if added {
        Edit::Added { zero }
    } else {
        Edit::Dropped { zero }
    })
}

/// Every string of digits one edit from `written` (swapped, changed, dropped or added, never
/// at the front): the values a slipped amount could have been typed from.
pub fn variants_of(written: &str) -> Vec<String> {
    let d = written.as_bytes();
    let mut out = Vec::new();
    let text = |v: &[u8]| String::from_utf8(v.to_vec()).unwrap_or_default();
    for i in 0..d.len() {
        if i + 1 < d.len() && d[i] != d[i + 1] {
            let mut v = d.to_vec();
            v.swap(i, i + 1);
            out.push(text(&v));
        }
        for c in b'0'..=b'9' {
            if c != d[i] && !(i == 0 && c == b'0') {
                let mut v = d.to_vec();
                v[i] = c;
                out.push(text(&v));
            }
        }
        if i > 0 {
            let mut v = d.to_vec();
            v.remove(i);
            out.push(text(&v));
        }
    }
    for i in 1..=d.len() {
        for c in b'0'..=b'9' {
            let mut v = d.to_vec();
            v.insert(i, c);
            out.push(text(&v));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// How many amounts of `length` digits are this edit away from a given one: the more there
/// are, the likelier one of them is a figure by chance.
pub fn variants(edit: Edit, length: usize) -> usize {
    match edit {
        Edit::Near | Edit::Scale(_) => 1,
        Edit::Swapped => length.saturating_sub(1),
        Edit::Changed => 9 * length,
        Edit::Added { .. } => 10 * (length + 1),
        Edit::Dropped { .. } => length,
    }
}

/// What the edit is, in words: "has two digits swapped", "has a zero too many".
pub fn describe(edit: Edit) -> &'static str {
    match edit {
        Edit::Near => "does not round from",
        Edit::Swapped => "has two digits swapped from",
        Edit::Changed => "has one digit different from",
        Edit::Added { zero: true } | Edit::Scale(1) => "has a zero too many for",
        Edit::Added { zero: false } => "has a digit too many for",
        Edit::Dropped { zero: true } | Edit::Scale(-1) => "has a zero too few for",
        Edit::Dropped { zero: false } => "has a digit missing from",
        Edit::Scale(3) => "is in thousands where it means",
        Edit::Scale(-3) => "is in thousands where it means millions:",
        Edit::Scale(-6) => "has lost its “m” (millions):",
        Edit::Scale(-9) => "has lost its “bn” (billions):",
        Edit::Scale(_) => "is at the wrong scale for",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }
    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn rel(claim: &str, x: &str) -> Option<Edit> {
        let money = m(claim);
        let digits = crate::check::reconcile::search::significant_digits(&money);
        relation(&money, d(x), digits)
    }

    #[test]
    fn names_each_kind_of_slip() {
        assert_eq!(rel("£425,484", "425484.88"), Some(Edit::Near));
        assert_eq!(rel("£2.1m", "2015000"), Some(Edit::Near));
        assert_eq!(rel("£315k", "351000"), Some(Edit::Swapped));
        assert_eq!(rel("£1,349,000", "1249000"), Some(Edit::Changed));
        assert_eq!(rel("£12,490,000", "1249000"), Some(Edit::Scale(1)));
        assert_eq!(rel("£124,900", "1249000"), Some(Edit::Scale(-1)));
        assert_eq!(rel("£1.3k", "1300000"), Some(Edit::Scale(-3)));
        assert_eq!(rel("£12.468", "12468000"), Some(Edit::Scale(-6)));
        assert_eq!(
            rel("£12,449,000", "1249000"),
            Some(Edit::Added { zero: false })
        );
    }

    #[test]
    fn agreement_and_short_amounts_are_not_slips() {
        assert_eq!(rel("£425,485", "425484.88"), None);
        assert_eq!(rel("£2m", "2600000"), None, "one digit tells nothing");
        assert_eq!(rel("£20k", "30000"), None);
        assert_eq!(rel("£7,777,777", "1249000"), None);
    }
}
