//! A difference a sentence states between two quantities: "The estimated annual value of
//! £1,460,000 is £68,000 (4.9%) more than the current annual cost of £1,392,000", "the forecast
//! cost of £63,580,712, £680,712 more than the budget". The first less the second is the
//! difference, at the coarsest precision written. The second may be an amount of the sentence,
//! or only named by words ("more than the current annual cost"): then the difference must fit
//! one of the figures those words may name (`Whole`s, as for a share of a whole named by words).

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::facts::{Fact, Kind};
use super::super::prose::{words_after, Claim, Prose};
use super::super::subject::{self, Words};
use super::values;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, round_to_unit, Qualifier};

/// Between the first amount and the difference: "£1,460,000 is £68,000", "£1,061,300, which is
/// £42,550", "£63,580,712, £680,712".
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:,\s*)?(?:(?:which\s+)?(?:is|was|are|were|will\s+be|would\s+be)\s*)?$")
        .expect("valid")
});

/// After the difference: "(4.9%) more than ", "less than ", "higher than ".
static THAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:\([^)]{0,20}\)\s*)?(?P<way>more|less|higher|lower|greater|above|below)\s+than\s+")
        .expect("valid")
});

/// What a difference is said to be from, in words: "the current annual cost", "the budget for
/// 2022-23", up to a stop or a word that begins another clause.
static NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the\s+)(?P<words>(?:[A-Za-z0-9'’/-]+\s*){1,8}?)(?:[.,;:()]|\s+(?:as|because|and|reflecting|which|due|mainly|largely|so|but)(?-u:\b)|$)")
        .expect("valid")
});

/// "£X is £Y more than £Z" (or than what words name): X less Z must be Y.
pub(super) fn stated_differences(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    slipped: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let amounts = values(prose, s);
    let slip = |c: &Claim| already_slipped(prose, s, slipped, c);
    for pair in amounts.windows(2) {
        let (x, y) = (pair[0], pair[1]);
        if !text
            .get(x.at.end..y.at.start)
            .is_some_and(|t| LINK.is_match(t))
        {
            continue;
        }
        let Some(caps) = words_after(text, y.at.end).and_then(|t| THAN.captures(t)) else {
            continue;
        };
        let up = !matches!(
            caps["way"].to_ascii_lowercase().as_str(),
            "less" | "lower" | "below"
        );
        let rest_at = y.at.end + caps.get(0).map_or(0, |m| m.end());
        if slip(x) || slip(y) {
            continue;
        }
        let z = amount_after(prose, s, rest_at);
        // What the second must be: the first less the difference, or plus it.
        let (first, step) = (x.money.value, y.money.value.abs());
        let Some(want) = (if up {
            first.checked_sub(step)
        } else {
            first.checked_add(step)
        }) else {
            continue;
        };
        if let Some(z) = z.filter(|z| z.money.qualifier != Qualifier::Bound) {
            if slip(z) {
                continue;
            }
            let unit = x.money.unit.max(y.money.unit).max(z.money.unit);
            if round_to_unit(want, unit) != round_to_unit(z.money.value, unit) {
                out.push(wrong(x, y, up, z.money.value, z.written.trim()));
            }
            continue;
        }
        if let Some(found) =
            words_after(text, rest_at).and_then(|t| named_difference(t, (x, y, up), want, facts))
        {
            out.push(found);
        }
    }
}

/// Whether amount `c` of sentence `s` is already reported as a slip.
fn already_slipped(prose: &Prose, s: usize, slipped: &[usize], c: &Claim) -> bool {
    prose.sentences[s]
        .claims
        .iter()
        .any(|&i| std::ptr::eq(&prose.claims[i], c) && slipped.binary_search(&i).is_ok())
}

/// The second quantity: an amount right after "than" ("than the £1,018,750 spent", "than the
/// budget of £564,000"), within a few words and no punctuation; else the words name it.
fn amount_after(prose: &Prose, s: usize, rest_at: usize) -> Option<&Claim> {
    let text = &prose.passages[prose.sentences[s].passage].text;
    prose.sentences[s]
        .claims
        .iter()
        .map(|&i| &prose.claims[i])
        .find(|c| {
            c.at.start >= rest_at
                && text
                    .get(rest_at..c.at.start)
                    .is_some_and(|t| t.len() <= 60 && !t.contains([',', ';', '.', '(']))
        })
}

/// "£X is £Y more than the current annual cost": the difference must fit one of the figures
/// the words may name; the finding when it fits none.
fn named_difference(
    rest: &str,
    (x, y, up): (&Claim, &Claim, bool),
    want: Decimal,
    facts: &[Fact],
) -> Option<Diagnostic> {
    let words = NAMED.captures(rest)?["words"].to_string();
    let candidates = named_figures(&words, facts);
    let first = candidates.first()?;
    let fits = candidates.iter().any(|f| {
        let unit = x.money.unit.max(y.money.unit).max(f.unit);
        round_to_unit(want, unit) == round_to_unit(f.value, unit)
    });
    (!fits).then(|| wrong(x, y, up, first.value, &first.shown()))
}

/// The figures words like "the current annual cost" or "the 2024/25 income budget" may name:
/// totals, named, declared and outside figures and amounts the paper states, whose labels carry
/// every word of the phrase and its periods (a table's cells too, where a word is specific).
fn named_figures<'f>(phrase: &str, facts: &'f [Fact]) -> Vec<&'f Fact> {
    let mut words = Words::of(phrase);
    words.stems = subject::stems(&subject::without_periods(phrase));
    if words.stems.is_empty() {
        return Vec::new();
    }
    let specific = subject::specific(&words).next().is_some();
    facts
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                Kind::Total | Kind::Figure | Kind::Declared | Kind::Outside | Kind::Mention
            ) || (specific && f.kind == Kind::Cell)
        })
        .filter(|f| {
            let label = f.words();
            words
                .stems
                .iter()
                .all(|w| label.stems.contains(w) || label.context.contains(w))
                && !subject::periods_differ(&words.periods, &label.periods)
                && words.periods.iter().all(|p| label.periods.contains(p))
        })
        .collect()
}

/// "£68,000 more than £1,392,000 is not £1,392,000: £1,392,000 − £1,392,000 is £0".
fn wrong(x: &Claim, y: &Claim, up: bool, z: Decimal, z_shown: &str) -> Diagnostic {
    let (diff, sign) = if up {
        (x.money.value.checked_sub(z), "−")
    } else {
        (z.checked_sub(x.money.value), "−")
    };
    let shown = diff.map_or(String::new(), |d| format_exact(d.normalize()));
    let (a, b) = if up {
        (x.written.trim().to_string(), z_shown.to_string())
    } else {
        (z_shown.to_string(), x.written.trim().to_string())
    };
    Diagnostic::error(
        Code::StatedSum,
        y.file,
        y.range.clone(),
        format!(
            "{} is given as the difference between {} and {}, but {a} {sign} {b} is {shown}",
            y.written.trim(),
            x.written.trim(),
            z_shown,
        ),
    )
    .with_label("does not match the amounts it is between")
    .with_hint("correct the difference, or the amount it is said of")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{checked, prose, said};
    use super::*;

    #[test]
    fn a_difference_between_two_amounts_must_be_their_difference() {
        assert!(checked("The estimated annual value of £1,460,000 is £68,000 (4.9%) more than the current annual cost of £1,392,000.").is_empty());
        assert!(checked(
            "External debt was £138.014m, £11.635m less than the £149.649m of the year before."
        )
        .is_empty());
        let got = checked("The estimated annual value of £1,460,000 is £86,000 more than the current annual cost of £1,392,000.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with(
                "C0405: £86,000 is given as the difference between £1,460,000 and £1,392,000"
            ),
            "{got:?}"
        );
        // A bound is not a difference.
        assert!(checked(
            "Providers quoted at least £5,200, more than the in-house cost of £4,120."
        )
        .is_empty());
    }

    #[test]
    fn a_difference_from_a_figure_named_by_words_must_fit_one_it_may_name() {
        let facts = [Fact::of(
            Decimal::from(1_392_000),
            Decimal::ONE,
            "the table “Total, Current annual cost”".into(),
            Kind::Total,
        )
        .about("Total Current annual cost 2025/26")];
        let run = |text: &str| {
            let p = prose(text);
            let mut out = Vec::new();
            super::super::check(&p, &facts, None, &[], &mut out);
            said(&out)
        };
        assert!(run("The estimated annual value of £1,460,000 is £68,000 more than the current annual cost, reflecting response times.").is_empty());
        let got = run("The estimated annual value of £1,392,000 is £68,000 more than the current annual cost, reflecting response times.");
        assert_eq!(got.len(), 1, "{got:?}");
        // Words that name no figure are not checked.
        assert!(
            run("The value of £1,392,000 is £68,000 more than the old contract's price.")
                .is_empty()
        );
    }
}
