//! A change a sentence states ("The programme of £74.000m increases by £14.185m … to
//! £88.739m", "rise by 2.7%, from £9.60 to £9.86"): the start moved by the steps is the end, and
//! a percentage given for a change is its share of where it started.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::prose::{Claim, Prose};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, round_to_unit, Qualifier};

static CHANGE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<up>increases?|increased|rises?|rose|grows?|grew|goes\s+up)|(?P<down>decreases?|decreased|falls?|fell|reduces?|reduced|goes\s+down)(?-u:\b)").expect("valid")
});

/// "The programme of £74.000m increases by £14.185m … and £1.150m …, to £88.739m", "the rate
/// rises by £70 a week, or 8.6%, to £812": the start plus (or minus) the changes is the end, and
/// a percentage given for the change is its share of the start.
pub(super) fn changes(prose: &Prose, s: usize, slipped: &[usize], out: &mut Vec<Diagnostic>) {
    let Some(c) = stated_change(prose, s) else {
        return;
    };
    let slip = |i: &usize| slipped.binary_search(i).is_ok();
    if c.steps.is_empty() {
        percent_of_change(prose, s, &c, &slip, out);
        return;
    }
    if std::iter::once(&c.end.0)
        .chain(c.start.as_ref().map(|(i, _)| i))
        .chain(c.steps.iter().map(|(i, _)| i))
        .any(slip)
    {
        return;
    }
    let sentence = &prose.sentences[s];
    let passage = &prose.passages[sentence.passage];
    let end = c.end.1;
    let Some((_, start)) = c.start else {
        // "The rate rises by £70, or 8.6%, to £812": it started at the end less the rise.
        if let [(_, step)] = c.steps.as_slice() {
            if let Some(from) = c.apply(end.money.value, step.money.value, true) {
                let shown = format_exact(from);
                let shown_step = (step.money.value, step.written.trim());
                let span = step.at.end..c.span.end;
                let after = Some(end.at.end);
                change_share(
                    passage,
                    sentence,
                    shown_step,
                    from,
                    &shown,
                    (span, after),
                    out,
                );
            }
        }
        return;
    };
    let Some((unit, reached)) = c.reached(start) else {
        return;
    };
    if round_to_unit(reached, unit) != round_to_unit(end.money.value, unit) {
        out.push(unequal_change(&c, start, reached));
    } else if let [(_, step)] = c.steps.as_slice() {
        let shown = start.written.trim();
        change_share(
            passage,
            sentence,
            (step.money.value, step.written.trim()),
            start.money.value,
            shown,
            (step.at.end..c.span.end, Some(end.at.end)),
            out,
        );
    }
}

/// "rise by 2.7%, from £9.60 to £9.86": a change given only as a percentage is of where it
/// started, the change itself being the end less the start.
fn percent_of_change(
    prose: &Prose,
    s: usize,
    c: &Change<'_>,
    slip: &dyn Fn(&usize) -> bool,
    out: &mut Vec<Diagnostic>,
) {
    let (Some((si, start)), (ei, end)) = (c.start, c.end) else {
        return;
    };
    if slip(&si) || slip(&ei) {
        return;
    }
    let Some(step) = end.money.value.checked_sub(start.money.value) else {
        return;
    };
    let sentence = &prose.sentences[s];
    let passage = &prose.passages[sentence.passage];
    let shown = format_exact(step.abs());
    let from = (start.money.value, start.written.trim());
    change_share(
        passage,
        sentence,
        (step, &shown),
        from.0,
        from.1,
        (c.span.clone(), None),
        out,
    );
}

/// The error for a change that does not reach the end the sentence gives: "£88.739m is given as
/// £74.000m + £14.185m + £1.150m, which is …".
fn unequal_change(c: &Change<'_>, start: &Claim, reached: Decimal) -> Diagnostic {
    let end = c.end.1;
    let shown: Vec<&str> = c.steps.iter().map(|(_, x)| x.written.trim()).collect();
    let sign = if c.up { " + " } else { " − " };
    Diagnostic::error(
        Code::StatedSum,
        end.file,
        end.range.clone(),
        format!(
            "{} is given as {}{sign}{}, which is {}",
            end.written.trim(),
            start.written.trim(),
            shown.join(sign),
            format_exact(reached)
        ),
    )
    .with_label("does not add up")
    .with_hint("correct the figure that is wrong")
}

/// "X increases by A (and B), to Z": where it starts (if the sentence says), the changes, where
/// it ends, and the stretch between "by" and "to" where a percentage of the change may stand.
struct Change<'p> {
    start: Option<(usize, &'p Claim)>,
    steps: Vec<(usize, &'p Claim)>,
    end: (usize, &'p Claim),
    up: bool,
    span: std::ops::Range<usize>,
}

impl Change<'_> {
    /// Where `start` ends up after every step, with the coarsest unit among the figures, the
    /// precision the end is compared at. `None` when a figure overflows.
    fn reached(&self, start: &Claim) -> Option<(Decimal, Decimal)> {
        let unit = self
            .steps
            .iter()
            .map(|(_, x)| x.money.unit)
            .chain([start.money.unit, self.end.1.money.unit])
            .max();
        let change = self
            .steps
            .iter()
            .try_fold(Decimal::ZERO, |a, (_, x)| a.checked_add(x.money.value));
        let (Some(unit), Some(change)) = (unit, change) else {
            return None;
        };
        Some((unit, self.apply(start.money.value, change, false)?))
    }

    /// `from` moved by `by` the way the sentence says (or back, when `back`).
    fn apply(&self, from: Decimal, by: Decimal, back: bool) -> Option<Decimal> {
        if self.up != back {
            from.checked_add(by)
        } else {
            from.checked_sub(by)
        }
    }
}

fn stated_change(prose: &Prose, s: usize) -> Option<Change<'_>> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text[..];
    let caps = CHANGE_WORDS.captures(&text[sentence.range.clone()])?;
    let verb = caps.get(0)?.range();
    let (verb_start, verb_end) = (
        sentence.range.start + verb.start,
        sentence.range.start + verb.end,
    );
    let rest = &text[verb_end..sentence.range.end];
    let by = rest.find(" by ").filter(|b| *b < 4)?;
    let amounts: Vec<(usize, &Claim)> = sentence
        .claims
        .iter()
        .map(|&i| (i, &prose.claims[i]))
        .filter(|(_, c)| c.money.qualifier != Qualifier::Bound)
        .collect();
    // The change ends at the first "to" an amount follows: "rises by 10p to £1.50 (7.1%) and
    // the all-day tariff by 40p to £7.60" states two changes, the first ending at £1.50.
    let to = rest
        .match_indices(" to ")
        .map(|(t, _)| t)
        .filter(|&t| t > by)
        .find(|&t| {
            let at = verb_end + t + 4;
            amounts
                .iter()
                .any(|(_, c)| c.at.start >= at && c.at.start <= at + 2)
        })?;
    let (by_at, to_at) = (verb_end + by + 4, verb_end + to + 4);
    // "rise by 2.7%, from £9.60 to £9.86": where it starts follows "from".
    let from_at = rest[by..to].find(" from ").map(|f| verb_end + by + f + 6);
    // Only where an amount follows "from" at once ("by £14.185m of re-profiling from 2018/19"
    // is no start).
    let from = from_at.and_then(|f| {
        amounts
            .iter()
            .find(|(_, c)| c.at.start >= f && c.at.start <= f + 2)
            .map(|a| (f, a))
    });
    let start = match from {
        Some((_, a)) => Some(a),
        None => amounts.iter().rev().find(|(_, c)| c.at.end <= verb_start),
    };
    let steps_end = from.map_or(to_at, |(f, _)| f - " from ".len());
    Some(Change {
        start: start.copied(),
        steps: amounts
            .iter()
            .filter(|(_, c)| c.at.start >= by_at && c.at.end <= steps_end)
            .copied()
            .collect(),
        end: *amounts
            .iter()
            .find(|(_, c)| c.at.start >= to_at && c.at.start <= to_at + 2)?,
        up: caps.name("up").is_some(),
        span: by_at..to_at,
    })
}

/// What may stand between a quantity and the percentage given for it: "£33,100 (4.8%)",
/// "£70 a week, or 8.6%", "by 2.7%".
fn belongs(gap: &str) -> bool {
    static RATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:(?:a|an|per|each)\s+[a-z]+|each)(?-u:\b)").expect("valid")
    });
    let gap = RATE.find(gap).map_or(gap, |m| &gap[m.end()..]);
    matches!(gap.trim(), "" | "(" | "," | "or" | ", or" | "-" | "–")
}

/// The percentage given for a change: within `span` right after the step, else in brackets
/// right after where the change ends (`after`).
fn given_share<'s>(
    text: &str,
    sentence: &'s super::super::prose::Sentence,
    span: std::ops::Range<usize>,
    after: Option<usize>,
) -> Option<&'s super::super::prose::Number> {
    let within = |p: &&super::super::prose::Number| {
        p.at.start >= span.start
            && p.at.end <= span.end
            && text.get(span.start..p.at.start).is_some_and(belongs)
    };
    // Only in brackets: "to £64.92m, 31% of total HRA expenditure" is a share of another whole.
    let right_after = |p: &&super::super::prose::Number| {
        after.is_some_and(|a| {
            p.at.start >= a && text.get(a..p.at.start).is_some_and(|g| g.trim() == "(")
        })
    };
    sentence
        .percents
        .iter()
        .find(within)
        .or_else(|| sentence.percents.iter().find(right_after))
}

/// A percentage given for a single change is the change's share of where it started. The
/// percentage is the one given right after the change (`span` starts where the change ends):
/// "applications rose by 12 (8.5%), and the total awarded rises by £33,100 (4.8%)" pairs each
/// change with its own. Or it is the one given in brackets right after where the change ends
/// (`after`): "rise by £4.00 to £82.00 (5.1%)".
fn change_share(
    passage: &super::super::prose::Passage,
    sentence: &super::super::prose::Sentence,
    (step, step_shown): (Decimal, &str),
    from: Decimal,
    from_shown: &str,
    (span, after): (std::ops::Range<usize>, Option<usize>),
    out: &mut Vec<Diagnostic>,
) {
    let text = &passage.text;
    let Some(p) = given_share(text, sentence, span, after) else {
        return;
    };
    let Some(share) = step
        .abs()
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|v| v.checked_div(from.abs()))
    else {
        return;
    };
    let tolerance = p
        .unit
        .checked_div(Decimal::TWO)
        .unwrap_or_default()
        .checked_add(p.unit)
        .unwrap_or(p.unit);
    if share
        .checked_sub(p.value)
        .is_some_and(|d| d.abs() > tolerance)
    {
        let shown = round_to_unit(share, p.unit).unwrap_or(share).normalize();
        out.push(
            Diagnostic::error(
                Code::Percentage,
                passage.file,
                passage.source(p.at.clone()),
                format!(
                    "{step_shown} on {from_shown} is {shown}%, not {}",
                    text[p.at.clone()].trim()
                ),
            )
            .with_label("does not match its amounts")
            .with_hint("a change's percentage is of where it started"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::checked;

    #[test]
    fn a_change_that_reaches_its_end_passes() {
        assert!(checked("The programme of £74.000m increases by £14.185m to £88.185m.").is_empty());
        assert!(checked("Rents rise by 2.7%, from £9.60 to £9.86 a week.").is_empty());
    }

    #[test]
    fn a_change_that_misses_its_end_is_a_finding() {
        let got = checked("The programme of £74.000m increases by £14.185m to £88.739m.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0405: £88.739m is given as £74.000m + £14.185m"),
            "{got:?}"
        );
        let got = checked("Rents rise by 3.7%, from £9.60 to £9.86 a week.");
        assert!(got.iter().any(|g| g.starts_with("C0408")), "{got:?}");
    }

    #[test]
    fn each_change_in_a_sentence_takes_its_own_percentage() {
        let text = "Applications rose by 12 (8.5%), and the total awarded rises by £33,100 (4.8%), from £689,300 to £722,400.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        let got = checked("Applications rose by 12 (8.5%), and the total awarded rises by £33,100 (5.8%), from £689,300 to £722,400.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0408: £33,100 on £689,300 is 4.8%, not 5.8%"),
            "{got:?}"
        );
        // A rate's unit may stand between a change and its percentage.
        assert!(checked("The rate rises by £70 a week, or 9.4%, to £812.").is_empty());
        let got = checked("The rate rises by £70 a week, or 8.6%, to £812.");
        assert_eq!(got.len(), 1, "{got:?}");
        // A percentage right after where the change ends is the change's.
        assert!(checked("The charge will rise by £4.00 to £82.00 (5.1%).").is_empty());
        let got = checked("The charge will rise by £4.00 to £82.00 (4.9%).");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0408: £4.00 on £78.00 is 5.1%, not 4.9%"),
            "{got:?}"
        );
        // Not a share of another whole after it.
        let share = "The budget rises by £3.49m to £64.92m, 31% of total expenditure.";
        assert!(checked(share).is_empty(), "{:?}", checked(share));
        // Two changes in one sentence: the first ends at the first "to" an amount follows.
        let two = "The one-hour tariff rises by 10p to £1.50 (7.1%) and the all-day tariff by 40p to £7.60 (5.6%).";
        assert!(checked(two).is_empty(), "{:?}", checked(two));
        let two = "The one-hour tariff rises by £0.10 to £1.50 (7.1%) and the all-day tariff by £0.40 to £7.60 (5.6%).";
        assert!(checked(two).is_empty(), "{:?}", checked(two));
        let got = checked("The one-hour tariff rises by £0.10 to £1.50 (9.1%) and the all-day tariff by £0.40 to £7.60 (5.6%).");
        assert_eq!(got.len(), 1, "{got:?}");
    }
}
