//! Amounts of money as councils write them: parsing, stated precision, agreement, formatting.
//!
//! A leaf module: it knows nothing else of clerk. Every amount is a `rust_decimal::Decimal`,
//! never a float, and keeps the precision its writer used: "£2.22M" claims the nearest £10,000,
//! "£425,484" the nearest pound.

use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::{Decimal, RoundingStrategy};

/// How the writer qualified an amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// "£425,484": claims the value to its last written digit.
    Exact,
    /// "circa £3.9m": claims the value only roughly.
    Approximate,
    /// "over £1m": a threshold, not a claim about any figure.
    Bound,
}

/// An amount as written, with the precision it was written to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// The value in pounds.
    pub value: Decimal,
    /// The place value of the last digit written: 0.01 for "£1.50", 1,000 for "£325k".
    pub unit: Decimal,
    pub qualifier: Qualifier,
}

/// Why a piece of text is not an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyError(pub String);

impl std::fmt::Display for MoneyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount found in running text, with its byte range in that text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundAmount {
    pub range: Range<usize>,
    pub money: Money,
}

const APPROX_WORDS: &[&str] = &[
    "circa",
    "c.",
    "approx",
    "approx.",
    "approximately",
    "about",
    "around",
    "some",
];

static AMOUNT_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
            r"(?ix)
            (?P<qual>(?-u:\b)(?:circa|c\.|approx\.?|approximately|about|around|some|over|more\s+than|less\s+than
               |under|up\s+to|at\s+least|exceed(?:s|ed|ing)?|in\s+excess\s+of|above|below)\s*)?
            (?P<open>\()?
            (?P<neg>[-−])?
            £\s?
            (?P<int>\d{1,3}(?:,\d{3})+|\d+)
            (?P<frac>\.\d+)?
            (?:(?P<suf>k|m|bn)(?-u:\b)|\s?(?P<word>thousand|million|billion)(?-u:\b))?
            (?P<close>\))?",
        )
        .expect("the amount pattern is valid")
});

fn multiplier(suffix: &str) -> Decimal {
    match suffix.to_ascii_lowercase().as_str() {
        "k" | "thousand" => Decimal::from(1_000),
        "m" | "million" => Decimal::from(1_000_000),
        "bn" | "billion" => Decimal::from(1_000_000_000),
        _ => Decimal::ONE,
    }
}

fn qualifier_of(word: &str) -> Qualifier {
    let word = word.trim().to_ascii_lowercase();
    let word = word.split_whitespace().collect::<Vec<_>>().join(" ");
    if APPROX_WORDS.contains(&word.as_str()) {
        Qualifier::Approximate
    } else {
        Qualifier::Bound
    }
}

/// Builds the value and unit from the digits as written ("1,234", ".5", "m").
fn value_and_unit(
    int: &str,
    frac: Option<&str>,
    suffix: Option<&str>,
) -> Option<(Decimal, Decimal)> {
    let digits: String = int.chars().filter(|c| *c != ',').collect();
    let written = format!("{digits}{}", frac.unwrap_or(""));
    let number = Decimal::from_str(&written).ok()?;
    let mult = suffix.map(multiplier).unwrap_or(Decimal::ONE);
    let unit = Decimal::new(1, number.scale()).checked_mul(mult)?;
    // "£2.0m" is two million pounds, not 2000000.0: the unit keeps the precision.
    let value = if mult == Decimal::ONE {
        number
    } else {
        number.checked_mul(mult)?.normalize()
    };
    Some((value, unit))
}

impl Money {
    /// An exact amount with the given precision (used for computed values).
    pub fn exact(value: Decimal) -> Money {
        let unit = Decimal::new(1, value.scale());
        Money {
            value,
            unit,
            qualifier: Qualifier::Exact,
        }
    }

    /// Parses a whole string as one amount: "£1,234.50", "£1.3m", "(£1,000)", "circa £3.9m".
    /// Plain numbers without "£" ("1000000", "1,000.50") are accepted as pounds.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(MoneyError("an empty amount".into()));
        }
        if !trimmed.contains('£') {
            return Self::parse_plain_number(trimmed);
        }
        let found = scan_amounts(trimmed);
        match found.as_slice() {
            [one] if one.range == (0..trimmed.len()) => Ok(one.money.clone()),
            [] => Err(MoneyError(format!("`{trimmed}` is not an amount of money"))),
            [one] => Err(MoneyError(format!(
                "`{trimmed}` has text around the amount `{}`",
                &trimmed[one.range.clone()]
            ))),
            _ => Err(MoneyError(format!(
                "`{trimmed}` holds more than one amount"
            ))),
        }
    }

    fn parse_plain_number(text: &str) -> Result<Money, MoneyError> {
        static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"^(?P<open>\()?(?P<neg>[-−–])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<close>\))?$",
            )
            .expect("valid")
        });
        let re = &*PLAIN;
        let caps = re
            .captures(text)
            .filter(|c| c.name("open").is_some() == c.name("close").is_some())
            .ok_or_else(|| MoneyError(format!("`{text}` is not an amount of money")))?;
        let (mut value, unit) =
            value_and_unit(&caps["int"], caps.name("frac").map(|m| m.as_str()), None)
                .ok_or_else(|| MoneyError(format!("`{text}` is too large")))?;
        // "(1,234)" is accountants' minus.
        if caps.name("neg").is_some() != caps.name("open").is_some() {
            value = -value;
        }
        Ok(Money {
            value,
            unit,
            qualifier: Qualifier::Exact,
        })
    }

    /// Whether this amount, at its stated precision, agrees with an exact value.
    ///
    /// The value is rounded half away from zero (never banker's rounding) to the amount's unit.
    pub fn agrees_with(&self, exact: Decimal) -> bool {
        match self.qualifier {
            // A bound is a claim about a figure, checked on its own terms: it agrees with none.
            Qualifier::Bound => false,
            Qualifier::Exact => round_to_unit(exact, self.unit) == Some(self.value),
            // "around £24,000" claims the nearest thousand, whatever its zeros say: "some £5.7m"
            // is what rounds to £5.7m, not £5,627,200, which is some £5.6m.
            Qualifier::Approximate => {
                let unit = self.significant_unit();
                round_to_unit(exact, unit) == Some(self.value)
            }
        }
    }

    /// The values this amount agrees with lie within `[low, high]` (a superset, for searching
    /// an index by value; `agrees_with` decides).
    pub fn window(&self) -> Option<(Decimal, Decimal)> {
        let unit = match self.qualifier {
            Qualifier::Approximate => self.significant_unit(),
            _ => self.unit,
        };
        Some((self.value.checked_sub(unit)?, self.value.checked_add(unit)?))
    }

    /// The precision the amount really claims: its written unit, or coarser where the digits
    /// end in zeros ("£12,468,000" claims the nearest £1,000 no more than "£12,468k" does).
    pub fn significant_unit(&self) -> Decimal {
        significant_unit(self.value, self.unit)
    }

    /// The amount scaled by a whole factor (a table "in £000" holds thousands).
    pub fn scaled(&self, factor: Decimal) -> Option<Money> {
        Some(Money {
            value: self.value.checked_mul(factor)?,
            unit: self.unit.checked_mul(factor)?,
            qualifier: self.qualifier,
        })
    }
}

/// The largest power of ten (at least `unit`) that divides `value`: the precision its digits
/// really carry.
pub fn significant_unit(value: Decimal, unit: Decimal) -> Decimal {
    let ten = Decimal::TEN;
    let mut u = unit;
    if value.is_zero() || u <= Decimal::ZERO {
        return u;
    }
    for _ in 0..40 {
        let Some(next) = u.checked_mul(ten) else {
            break;
        };
        match value.checked_rem(next) {
            Some(r) if r.is_zero() => u = next,
            _ => break,
        }
    }
    u
}

/// The digits of `|value|` counted in `unit`s ("1249" for £1,249,000 in £1,000s), when the value
/// is a whole number of units once rounded half away from zero.
pub fn digits_at(value: Decimal, unit: Decimal) -> Option<String> {
    let rounded = round_to_unit(value.abs(), unit)?;
    let count = rounded.checked_div(unit)?.normalize();
    if count.scale() != 0 {
        return None;
    }
    Some(count.to_string())
}

/// Rounds `value` to a multiple of `unit`, half away from zero.
pub fn round_to_unit(value: Decimal, unit: Decimal) -> Option<Decimal> {
    if unit.is_zero() {
        return None;
    }
    let steps = value
        .checked_div(unit)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    steps.checked_mul(unit)
}

/// Finds every amount of money in running text.
pub fn scan_amounts(text: &str) -> Vec<FoundAmount> {
    let mut found = Vec::new();
    for caps in AMOUNT_REGEX.captures_iter(text) {
        // "£000" and "£000s" name a unit (thousands of pounds), not an amount.
        if caps["int"].len() > 1
            && caps["int"].bytes().all(|b| b == b'0')
            && caps.name("frac").is_none()
        {
            continue;
        }
        let Some((mut value, unit)) = value_and_unit(
            &caps["int"],
            caps.name("frac").map(|m| m.as_str()),
            caps.name("suf").or(caps.name("word")).map(|m| m.as_str()),
        ) else {
            continue;
        };
        let (range, negative) = signed_span(text, &caps);
        if negative {
            value = -value;
        }
        let qualifier = caps
            .name("qual")
            .map_or(Qualifier::Exact, |q| qualifier_of(q.as_str()));
        found.push(FoundAmount {
            range,
            money: Money {
                value,
                unit,
                qualifier,
            },
        });
    }
    found
}

/// Where a matched amount stands, and whether it is negative: a minus sign that does not join
/// two things, or accounting brackets around it.
fn signed_span(text: &str, caps: &regex::Captures) -> (Range<usize>, bool) {
    let whole = caps.get(0).expect("group 0 always matches");
    let mut start = whole.start();
    let mut end = whole.end();
    // A minus sign only negates when it does not join two things ("£1m-£2m" is a range).
    let mut negative = false;
    if let Some(neg) = caps.name("neg") {
        let before = text[..neg.start()].chars().next_back();
        let joins = before.is_some_and(|c| c.is_alphanumeric() || c == '£');
        if joins && caps.name("open").is_none() {
            start = neg.end();
        } else {
            negative = true;
        }
    }
    // Accounting brackets "(£1,000)" negate only when both are there.
    match (caps.name("open"), caps.name("close")) {
        (Some(_), Some(_)) => negative = !negative,
        (Some(open), None) => {
            if start == open.start() {
                start = open.end();
            }
        }
        (None, Some(close)) => end = close.start(),
        (None, None) => {}
    }
    if caps.name("qual").is_some() && caps.name("open").is_some() && caps.name("close").is_none() {
        // "about (£3m" is odd enough that we keep only the amount.
        start = caps
            .name("neg")
            .map_or_else(|| caps["int"].len(), |n| n.start())
            .min(start);
    }
    (start..end, negative)
}

/// Formats an amount in full with `dp` decimal places: "£1,234,567.89", "-£1,000".
pub fn format_gbp(value: Decimal, dp: u32) -> String {
    let rounded = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let text = rounded.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push('£');
    out.push_str(&grouped);
    if dp > 0 {
        let mut frac = frac.unwrap_or_default();
        while frac.len() < dp as usize {
            frac.push('0');
        }
        out.push('.');
        out.push_str(&frac);
    }
    out
}

/// Formats an exact value at its own precision: 425484.88 as "£425,484.88", 100000 as "£100,000".
pub fn format_exact(value: Decimal) -> String {
    let dp = if value.scale() == 0 {
        0
    } else {
        value.normalize().scale().max(2)
    };
    format_gbp(value, dp)
}

/// Formats an amount the short way councils do: "£404k", "£2.22m", "£1.1bn".
pub fn format_short(value: Decimal) -> String {
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    let abs = value.abs();
    let (scaled, suffix) = if abs >= Decimal::from(1_000_000_000) {
        (abs / Decimal::from(1_000_000_000), "bn")
    } else if abs >= Decimal::from(1_000_000) {
        (abs / Decimal::from(1_000_000), "m")
    } else if abs >= Decimal::from(1_000) {
        (abs / Decimal::from(1_000), "k")
    } else {
        return format!("{sign}{}", format_exact(abs));
    };
    let dp = if suffix == "k" { 0 } else { 2 };
    let rounded = scaled
        .round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    format!("{sign}£{rounded}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn parses_the_forms_councils_write() {
        let cases = [
            ("£2,924,295.28", "2924295.28", "0.01"),
            ("£325k", "325000", "1000"),
            ("£1.3m", "1300000", "100000"),
            ("£2.22M", "2220000", "10000"),
            ("£1.1 million", "1100000", "100000"),
            ("(£1,000)", "-1000", "1"),
            ("-£1,000", "-1000", "1"),
            ("£8000", "8000", "1"),
            ("£1bn", "1000000000", "1000000000"),
            ("1000000", "1000000", "1"),
        ];
        for (text, value, unit) in cases {
            let m = Money::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(m.value, d(value), "{text}");
            assert_eq!(m.unit, d(unit), "{text}");
        }
        let circa = Money::parse("circa £3.9m").unwrap();
        assert_eq!(circa.qualifier, Qualifier::Approximate);
        assert_eq!(circa.value, d("3900000"));
    }

    #[test]
    fn an_approximate_amount_agrees_with_what_rounds_to_it() {
        let some = Money::parse("some £5.7m").unwrap();
        assert!(some.agrees_with(d("5650000")));
        assert!(some.agrees_with(d("5738275")));
        assert!(!some.agrees_with(d("5627200")), "£5,627,200 is some £5.6m");
        let around = Money::parse("around £24,000").unwrap();
        assert!(around.agrees_with(d("23600")));
        assert!(!around.agrees_with(d("24600")));
    }

    #[test]
    fn refuses_what_is_not_money() {
        for text in ["", "£", "n/a", "£1,00", "£1.3m and £2m", "abc £5"] {
            assert!(Money::parse(text).is_err(), "{text} should not parse");
        }
    }

    #[test]
    fn keeps_the_precision_written() {
        assert_eq!(
            Money::parse("£1,234.50").unwrap().value.to_string(),
            "1234.50"
        );
    }

    #[test]
    fn agreement_is_at_stated_precision() {
        assert!(Money::parse("£2.22M").unwrap().agrees_with(d("2224000")));
        assert!(Money::parse("£325k").unwrap().agrees_with(d("325484.88")));
        assert!(!Money::parse("£425,484")
            .unwrap()
            .agrees_with(d("425484.88")));
        assert!(Money::parse("£425,485")
            .unwrap()
            .agrees_with(d("425484.88")));
        // Half away from zero, not banker's: 2.5 rounds to 3.
        assert!(Money::parse("£3").unwrap().agrees_with(d("2.5")));
        assert!(!Money::parse("£2").unwrap().agrees_with(d("2.5")));
    }

    #[test]
    fn scans_amounts_in_prose() {
        let text = "an additional re-provision of £100k (new total £425,484) and circa £3.9m, over £1m; £1m-£2m.";
        let found = scan_amounts(text);
        let shown: Vec<_> = found.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(
            shown,
            ["£100k", "£425,484", "circa £3.9m", "over £1m", "£1m", "£2m"]
        );
        assert_eq!(found[3].money.qualifier, Qualifier::Bound);
        assert!(
            found[5].money.value > Decimal::ZERO,
            "a range's second end is not negative"
        );
    }

    #[test]
    fn formats() {
        assert_eq!(format_gbp(d("2924295.28"), 2), "£2,924,295.28");
        assert_eq!(format_gbp(d("-1000"), 0), "-£1,000");
        assert_eq!(format_gbp(d("0.5"), 0), "£1");
        assert_eq!(format_exact(d("100000")), "£100,000");
        assert_eq!(format_exact(d("425484.88")), "£425,484.88");
        assert_eq!(format_short(d("404000")), "£404k");
        assert_eq!(format_short(d("2224000")), "£2.22m");
        assert_eq!(format_short(d("1100000")), "£1.1m");
    }
}
