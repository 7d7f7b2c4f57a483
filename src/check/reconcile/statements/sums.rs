//! A total and its parts stated in one sentence ("£2.4m, consisting of £1.9m for … and £0.6m
//! for …", "…, totalling £2.5m"): they must add up at the coarser precision written.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::prose::{Claim, Prose};
use super::values;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, round_to_unit, Qualifier};

static TRIGGERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
            r"(?i)(?P<fwd>consist(?:s|ing)\s+of|made\s+up\s+of|compris(?:ing|es|ed\s+of)|broken\s+down\s+(?:as|into)|split\s+(?:between|as|into)|of\s+which|met\s+(?:from|by)|funded\s+(?:from|by)|financed\s+(?:from|by))|(?P<back>total(?:l)?ing|a\s+total\s+of|in\s+total|in\s+all|combined\s+total\s+of|together\s+(?:account\s+for|make\s+up|come\s+to|cost|total|amount\s+to|represent)|between\s+them\s+(?:account\s+for|cost|total))",
        )
        .expect("valid")
});

/// A total and its parts stated in one sentence must add up at the coarser precision written.
pub(super) fn stated_sums(prose: &Prose, s: usize, slipped: &[usize], out: &mut Vec<Diagnostic>) {
    let Some(stated) = stated_sum(prose, s) else {
        return;
    };
    let sentence = &prose.sentences[s];
    let slip = |c: &Claim| {
        sentence
            .claims
            .iter()
            .any(|&i| std::ptr::eq(&prose.claims[i], c) && slipped.binary_search(&i).is_ok())
    };
    if slip(stated.total) || stated.parts.iter().any(|p| slip(p)) {
        return;
    }
    if let Some((run, sum)) = unequal_sum(&stated) {
        let mut shown = String::new();
        for (k, (p, minus)) in run.iter().enumerate() {
            if k > 0 {
                shown.push_str(if *minus { " − " } else { " + " });
            }
            shown.push_str(p.written.trim());
        }
        let total = stated.total;
        out.push(
            Diagnostic::error(
                Code::StatedSum,
                total.file,
                total.range.clone(),
                format!(
                    "{} is given as the sum of {}, which is {}",
                    total.written.trim(),
                    shown,
                    format_exact(sum)
                ),
            )
            .with_label("does not add up")
            .with_hint("correct the total or the part that is wrong"),
        );
    }
}

/// A total a sentence gives with its parts, the parts in the order they run from the trigger.
struct StatedSum<'p> {
    total: &'p Claim,
    parts: Vec<&'p Claim>,
    /// For each part, whether it is taken away ("offset by an underspend of £0.528m").
    minus: Vec<bool>,
    /// "consisting of …": the parts follow the total.
    forward: bool,
}

/// Words that take the parts after them away from the sum: "comprises £3.210m … and £1.874m
/// …, offset by an underspend of £0.528m", "£5.2m less £0.4m of grant", "net of".
static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:offset\s+by|less|minus|net\s+of|after\s+deducting|deducting|after\s+taking\s+off)(?-u:\b)")
        .expect("valid")
});

/// A colon between an amount and the first of its parts: "is £7.149m: £4.862m from … and
/// £2.051m from …".
static COLON: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":").expect("valid"));

/// Finds "£2.4m, consisting of £1.9m … and £0.5m …", "… totalling £2.4m", "… £2.4m in total".
fn stated_sum(prose: &Prose, s: usize) -> Option<StatedSum<'_>> {
    let stated = triggered_sum(prose, s).or_else(|| colon_sum(prose, s))?;
    Some(signed_and_alike(prose, s, stated))
}

/// The sum a trigger word states ("consisting of", "totalling", "in total").
fn triggered_sum(prose: &Prose, s: usize) -> Option<StatedSum<'_>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let caps = TRIGGERS.captures(&text[sentence.range.clone()])?;
    let whole = caps.get(0)?;
    let trigger = sentence.range.start + whole.start()..sentence.range.start + whole.end();
    if caps.name("fwd").is_some() {
        return parts_after_trigger(prose, s, whole.as_str(), trigger);
    }
    let in_total = caps.name("back").is_some_and(|b| {
        let b = b.as_str().to_ascii_lowercase();
        b.split_whitespace().eq(["in", "total"]) || b.split_whitespace().eq(["in", "all"])
    });
    parts_before_trigger(prose, s, in_total, trigger)
}

/// "… is £7.149m: £4.862m from Bereavement Services and £2.051m from Registration
/// Services": an amount, a colon, and at once the amounts it is made of.
fn colon_sum(prose: &Prose, s: usize) -> Option<StatedSum<'_>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let amounts = values(prose, s);
    for m in COLON.find_iter(&text[sentence.range.clone()]) {
        let at = sentence.range.start + m.start();
        let Some(total) = amounts
            .iter()
            .rev()
            .find(|c| c.at.end <= at && near(text, c.at.end, at, 0))
        else {
            continue;
        };
        let parts: Vec<&Claim> = amounts
            .iter()
            .filter(|c| c.at.start > at)
            .copied()
            .collect();
        if parts.len() >= 2 && near(text, at + 1, parts[0].at.start, 2) {
            return Some(StatedSum {
                total,
                minus: vec![false; parts.len()],
                parts,
                forward: true,
            });
        }
    }
    None
}

/// The sum with each part's sign read from its words ("offset by", "less", "net of" take
/// away what follows them), and without parts given per a different unit than the total (a
/// price of "£46.30 a tonne" is no part of a cost of "£407,841").
fn signed_and_alike<'p>(prose: &'p Prose, s: usize, mut stated: StatedSum<'p>) -> StatedSum<'p> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let index = |c: &Claim| {
        sentence
            .claims
            .iter()
            .copied()
            .find(|&i| std::ptr::eq(&prose.claims[i], c))
    };
    let rate = |c: &Claim| index(c).and_then(|i| prose.rate(i));
    let total_rate = rate(stated.total);
    // A total of a period of time ("£20,000 a year, consisting of £14,500 for staff and £6,500
    // for heating") says it once for its parts; a rate of a thing ("£46.30 a tonne") is no part.
    let of_time = total_rate.as_deref().is_some_and(|r| {
        matches!(
            r.trim_end_matches('s'),
            "year" | "annum" | "month" | "week" | "day" | "quarter"
        )
    });
    stated
        .parts
        .retain(|p| rate(p) == total_rate || of_time && rate(p).is_none());
    let first = stated
        .parts
        .first()
        .map_or(sentence.range.start, |p| p.at.start);
    let from = if stated.forward {
        stated.total.at.end.min(first)
    } else {
        first
    };
    stated.minus = stated
        .parts
        .iter()
        .map(|p| {
            text.get(from..p.at.start)
                .is_some_and(|between| OFFSET.is_match(between))
        })
        .collect();
    stated
}

/// Whether the text between two offsets is at most `most` bytes once trimmed: an amount that
/// stands right by its trigger.
fn near(text: &str, from: usize, to: usize, most: usize) -> bool {
    text.get(from..to).is_some_and(|t| t.trim().len() <= most)
}

/// "£2.4m, consisting of £1.9m … and £0.5m …": the parts follow the trigger, and the total stands
/// just before it, or (named by the words before the trigger) in an earlier sentence.
fn parts_after_trigger<'p>(
    prose: &'p Prose,
    s: usize,
    trigger: &str,
    at: std::ops::Range<usize>,
) -> Option<StatedSum<'p>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let (at, end) = (at.start, at.end);
    // "of which £157.0m is … and up to £64m is …": a part may be a ceiling.
    let parts: Vec<&Claim> = sentence
        .claims
        .iter()
        .map(|&i| &prose.claims[i])
        .filter(|c| c.at.start >= end && (c.money.qualifier != Qualifier::Bound || up_to(c)))
        .collect();
    let first = parts.first()?;
    // "is met from £3.1m …" funds straight from the parts; "funded from grants, £1.2m …"
    // is another clause.
    let verb = ["met", "funded", "financed"]
        .iter()
        .any(|v| trigger.to_ascii_lowercase().starts_with(v));
    if !near(text, end, first.at.start, if verb { 5 } else { 12 }) {
        return None;
    }
    let before = values(prose, s)
        .iter()
        .rev()
        .find(|c| c.at.end <= at && near(text, c.at.end, at, 40))
        .copied();
    let total = before.or_else(|| named_before(prose, s, at))?;
    Some(StatedSum {
        total,
        minus: Vec::new(),
        parts,
        forward: true,
    })
}

/// "… totalling £2.4m" and "…, £2.5m in total": the parts come before the trigger, and the total
/// just after it, or (for "in total" and "in all") just before it, its parts then after it
/// where none stand before.
fn parts_before_trigger(
    prose: &Prose,
    s: usize,
    in_total: bool,
    at: std::ops::Range<usize>,
) -> Option<StatedSum<'_>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let (at, end) = (at.start, at.end);
    let amounts = values(prose, s);
    let total = if in_total {
        // "£1.9m for … and £0.6m for …, £2.5m in total": the total stands just before.
        amounts
            .iter()
            .rev()
            .find(|c| c.at.end <= at && text[c.at.end..at].trim().len() < 3)?
    } else {
        amounts
            .iter()
            .find(|c| c.at.start >= end && near(text, end, c.at.start, 5))?
    };
    let mut parts: Vec<&Claim> = amounts
        .iter()
        .filter(|c| c.at.end <= at.min(total.at.start))
        .copied()
        .collect();
    // "The savings not achievable, £350k in all, are £210k in … and £130k in …": a total said
    // first with "in total" or "in all" has its parts after it.
    if parts.is_empty() && in_total {
        parts = amounts
            .iter()
            .filter(|c| c.at.start >= end)
            .copied()
            .collect();
    }
    Some(StatedSum {
        total,
        minus: Vec::new(),
        parts,
        forward: false,
    })
}

/// "The match funding is made up of …" with the amount in an earlier sentence ("… and match
/// funding £5.05m"): the words before the trigger name it, and the paragraph said it before.
fn named_before(prose: &Prose, s: usize, at: usize) -> Option<&Claim> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let subject: Vec<String> = text[sentence.range.start..at]
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_ascii_lowercase()
        })
        .filter(|w| {
            ![
                "the", "a", "an", "this", "is", "are", "was", "will", "be", "its", "their",
            ]
            .contains(&w.as_str())
        })
        .filter(|w| !w.is_empty())
        .collect();
    if subject.is_empty() || subject.len() > 4 {
        return None;
    }
    let name = subject.join(" ");
    prose
        .claims
        .iter()
        .filter(|c| c.sentence < s && prose.sentences[c.sentence].passage == sentence.passage)
        .filter(|c| c.money.qualifier != Qualifier::Bound)
        .find(|c| {
            let mut start = c.at.start.saturating_sub(name.len() + 12);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            text.get(start..c.at.start)
                .is_some_and(|t| t.to_ascii_lowercase().contains(&name))
        })
}

/// Every amount of a total and its parts that add up ("a transfer of £150m, made up of £60m …,
/// £40m … and £50m …"): the paper's own figures, stated consistently.
pub fn consistent_members(prose: &Prose) -> Vec<Decimal> {
    let mut out = Vec::new();
    for s in 0..prose.sentences.len() {
        if prose.sentences[s].claims.len() < 3 {
            continue;
        }
        if let Some(stated) = stated_sum(prose, s).filter(|st| st.parts.len() >= 2) {
            if unequal_sum(&stated).is_none() {
                out.push(stated.total.money.value);
                out.extend(stated.parts.iter().map(|p| p.money.value));
            }
        }
    }
    out.sort();
    out
}

/// The shortest run of parts nearest the trigger, when no run adds up to the total at the
/// coarser precision written: the amounts nearest the trigger may be the parts, farther ones
/// context ("Of the £3m budget, £1.9m … and £0.6m …, totalling £2.5m").
fn unequal_sum<'p>(stated: &'p StatedSum<'p>) -> Option<(Vec<(&'p Claim, bool)>, Decimal)> {
    let parts = &stated.parts;
    let total = stated.total;
    let minus = |k: usize| stated.minus.get(k).copied().unwrap_or(false);
    let mut shortest = None;
    for n in 2..=parts.len().min(6) {
        let first = if stated.forward { 0 } else { parts.len() - n };
        // A part taken away belongs to the statement: a run leaves none of them out.
        let covers = (0..parts.len()).all(|k| !minus(k) || (first..first + n).contains(&k));
        if !covers {
            continue;
        }
        let run: Vec<(&Claim, bool)> = (first..first + n).map(|k| (parts[k], minus(k))).collect();
        let unit = run
            .iter()
            .map(|(p, _)| p.money.unit)
            .chain([total.money.unit])
            .max()?;
        let sum = run.iter().try_fold(Decimal::ZERO, |acc, (p, minus)| {
            let v = p.money.value.abs();
            if *minus {
                acc.checked_sub(v)
            } else {
                acc.checked_add(p.money.value)
            }
        })?;
        let (a, b) = (
            round_to_unit(sum, unit)?,
            round_to_unit(total.money.value, unit)?,
        );
        // With a ceiling among the parts, the total may fall short of their sum, never exceed it.
        if a == b
            || (run.iter().any(|(p, _)| up_to(p)) && b <= a)
            || rounded_apart(total, &run, sum)
        {
            return None;
        }
        shortest.get_or_insert((run, sum));
    }
    shortest
}

/// "About £155k: £126k …, £15k … and £13k …": an approximate total differs from its rounded
/// parts' sum by less than their rounding and its own could make (half the last written unit
/// of each). An exact total claims its digits, and is held to them.
fn rounded_apart(total: &Claim, run: &[(&Claim, bool)], sum: Decimal) -> bool {
    if total.money.qualifier != Qualifier::Approximate {
        return false;
    }
    let room = run.iter().try_fold(Decimal::ZERO, |a, (p, _)| {
        a.checked_add(p.money.unit / Decimal::TWO)
    });
    room.is_some_and(|room| super::super::search::within_rounding(&total.money, sum, room))
}

/// Whether an amount is a ceiling ("up to £64m").
fn up_to(c: &Claim) -> bool {
    c.money.qualifier == Qualifier::Bound
        && c.written.trim().to_ascii_lowercase().starts_with("up to")
}

#[cfg(test)]
mod tests {
    use super::super::testing::checked;

    #[test]
    fn a_total_and_parts_that_add_up_pass() {
        assert!(checked(
            "The cost is £2.4m, consisting of £1.9m for staff and £0.5m for premises."
        )
        .is_empty());
        assert!(checked("£1.9m for staff and £0.6m for premises, £2.5m in total.").is_empty());
    }

    #[test]
    fn a_total_said_first_in_all_has_its_parts_after_it() {
        let ok = "The savings not achievable, £340k in all, are £210k in Adults and £130k in \
                  Core Services.";
        assert!(checked(ok).is_empty(), "{:?}", checked(ok));
        let wrong = "The savings not achievable, £350k in all, are £210k in Adults and £130k in \
                     Core Services.";
        assert_eq!(checked(wrong).len(), 1, "{:?}", checked(wrong));
        assert!(checked("£1.9m for staff and £0.6m for premises, £2.5m in all.").is_empty());
    }

    #[test]
    fn a_total_and_parts_that_do_not_add_up_are_a_finding() {
        let got =
            checked("The cost is £2.4m, consisting of £1.9m for staff and £0.6m for premises.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0405: £2.4m is given as the sum of £1.9m + £0.6m"),
            "{got:?}"
        );
    }

    #[test]
    fn an_approximate_total_may_differ_from_rounded_parts_by_their_rounding() {
        let about = "The charges together raise about £155k: £126k from permits, £15k from bins and £13k from collections.";
        assert!(checked(about).is_empty(), "{:?}", checked(about));
        // Past what rounding could do, and an exact total, are findings.
        let far = "The charges together raise about £157k: £126k from permits, £15k from bins and £13k from collections.";
        assert_eq!(checked(far).len(), 1, "{:?}", checked(far));
        let exact = "The cost is £2.4m, consisting of £1.9m for staff and £0.6m for premises.";
        assert_eq!(checked(exact).len(), 1, "{:?}", checked(exact));
    }

    #[test]
    fn amounts_listed_without_a_trigger_are_no_sum() {
        assert!(checked("Staff cost £1.9m, premises £0.6m and transport £2.4m.").is_empty());
    }

    #[test]
    fn parts_after_offset_by_or_less_are_taken_away() {
        let text = "The overspend of £4.556m comprises £3.210m on placements and £1.874m on care, offset by an underspend of £0.528m in housing.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        assert!(
            checked("The net cost is £4.8m, made up of £5.2m of works less £0.4m of grant.")
                .is_empty()
        );
        // Taken away, the parts must still make the total.
        let got = checked("The overspend of £4.556m comprises £3.210m on placements and £1.874m on care, offset by an underspend of £0.628m in housing.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("£3.210m + £1.874m − £0.628m"), "{got:?}");
        // Added up, as the words say, they do not.
        let got = checked("The cost of £4.556m comprises £3.210m on placements, £1.874m on care and £0.528m in housing.");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn a_rate_is_no_part_of_a_sum_of_totals() {
        let text = "The forecast cost is £407,841, made up of £95,841 for the 2,070 tonnes at £46.30 a tonne and £312,000 from 1 July.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        let got = checked("The forecast cost is £417,841, made up of £95,841 for the 2,070 tonnes at £46.30 a tonne and £312,000 from 1 July.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("£95,841 + £312,000"), "{got:?}");
        // Amounts per one unit add up as any others do.
        assert!(checked("Interest of £225,000 a year and provision of £125,000 a year give a total of £350,000 a year.").is_empty());
        // A total of a year says it once for its parts.
        let got = checked("The running cost is £30,000 a year, made up of £21,500 for staff and £9,500 for energy.");
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn an_amount_and_a_colon_give_its_parts() {
        assert!(checked(
            "Income in 2025/26 is £7.149m: £5.098m from bereavement and £2.051m from registration."
        )
        .is_empty());
        let got = checked(
            "Income in 2025/26 is £7.149m: £4.862m from bereavement and £2.051m from registration.",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0405: £7.149m is given as the sum of £4.862m + £2.051m"),
            "{got:?}"
        );
        // A label and a colon are no sum.
        assert!(checked(
            "Small grants: £246,850 for 38 organisations and £1,200 the smallest award."
        )
        .is_empty());
    }
}
