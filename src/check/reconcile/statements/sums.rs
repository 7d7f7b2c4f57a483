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
            r"(?i)(?P<fwd>consist(?:s|ing)\s+of|made\s+up\s+of|compris(?:ing|es|ed\s+of)|broken\s+down\s+(?:as|into)|split\s+(?:between|as|into)|of\s+which|met\s+(?:from|by)|funded\s+(?:from|by)|financed\s+(?:from|by))|(?P<back>total(?:l)?ing|a\s+total\s+of|in\s+total|combined\s+total\s+of|together\s+(?:account\s+for|make\s+up|come\s+to|cost|total|amount\s+to|represent)|between\s+them\s+(?:account\s+for|cost|total))",
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
        let shown: Vec<&str> = run.iter().map(|p| p.written.trim()).collect();
        let total = stated.total;
        out.push(
            Diagnostic::error(
                Code::StatedSum,
                total.file,
                total.range.clone(),
                format!(
                    "{} is given as the sum of {}, which is {}",
                    total.written.trim(),
                    shown.join(" + "),
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
    /// "consisting of …": the parts follow the total.
    forward: bool,
}

/// Finds "£2.4m, consisting of £1.9m … and £0.5m …", "… totalling £2.4m", "… £2.4m in total".
fn stated_sum(prose: &Prose, s: usize) -> Option<StatedSum<'_>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let caps = TRIGGERS.captures(&text[sentence.range.clone()])?;
    let whole = caps.get(0)?;
    let trigger = sentence.range.start + whole.start()..sentence.range.start + whole.end();
    if caps.name("fwd").is_some() {
        return parts_after_trigger(prose, s, whole.as_str(), trigger);
    }
    let in_total = caps
        .name("back")
        .is_some_and(|b| b.as_str().eq_ignore_ascii_case("in total"));
    parts_before_trigger(prose, s, in_total, trigger)
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
        parts,
        forward: true,
    })
}

/// "… totalling £2.4m" and "…, £2.5m in total": the parts come before the trigger, and the total
/// just after it, or (for "in total") just before it.
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
    let parts = amounts
        .iter()
        .filter(|c| c.at.end <= at.min(total.at.start))
        .copied()
        .collect();
    Some(StatedSum {
        total,
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
fn unequal_sum<'p>(stated: &'p StatedSum<'p>) -> Option<(&'p [&'p Claim], Decimal)> {
    let parts = &stated.parts;
    let total = stated.total;
    let mut shortest = None;
    for n in 2..=parts.len().min(6) {
        let run = if stated.forward {
            &parts[..n]
        } else {
            &parts[parts.len() - n..]
        };
        let unit = run
            .iter()
            .map(|p| p.money.unit)
            .chain([total.money.unit])
            .max()?;
        let sum = run
            .iter()
            .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(p.money.value))?;
        let (a, b) = (
            round_to_unit(sum, unit)?,
            round_to_unit(total.money.value, unit)?,
        );
        // With a ceiling among the parts, the total may fall short of their sum, never exceed it.
        if a == b || (run.iter().any(|p| up_to(p)) && b <= a) {
            return None;
        }
        shortest.get_or_insert((run, sum));
    }
    shortest
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
    fn amounts_listed_without_a_trigger_are_no_sum() {
        assert!(checked("Staff cost £1.9m, premises £0.6m and transport £2.4m.").is_empty());
    }
}
