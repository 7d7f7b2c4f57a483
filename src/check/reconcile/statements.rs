//! Arithmetic that prose states itself: a total and its parts ("£2.4m, consisting of £1.9m for
//! … and £0.6m for …"), a bound and the figure it describes ("more than £1m"), and a count with
//! its percentage ("2,162 of 2,612 families, 83%"). Each is checked at the precision written.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::facts::{Fact, Kind};
use super::prose::{Claim, Number, Prose};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, round_to_unit, Qualifier};
use crate::model::ReportMeta;

pub fn check(
    prose: &Prose,
    facts: &[Fact],
    report: Option<&ReportMeta>,
    slipped: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    for s in 0..prose.sentences.len() {
        let sentence = &prose.sentences[s];
        if sentence.claims.len() >= 2 {
            changes(prose, s, slipped, out);
        }
        if sentence.claims.len() >= 3 {
            stated_sums(prose, s, slipped, out);
        }
        if !sentence.claims.is_empty() {
            bounds(prose, s, facts, report, out);
        }
        if sentence.percents.is_empty() {
            continue;
        }
        money_percentages(prose, s, facts, slipped, out);
        count_percentages(prose, s, out);
    }
}

/// Digits grouped in thousands: "2162" as "2,162".
pub fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

static TRIGGERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
            r"(?i)(?P<fwd>consist(?:s|ing)\s+of|made\s+up\s+of|compris(?:ing|es|ed\s+of)|broken\s+down\s+(?:as|into)|split\s+(?:between|as|into)|of\s+which|met\s+(?:from|by)|funded\s+(?:from|by)|financed\s+(?:from|by))|(?P<back>total(?:l)?ing|a\s+total\s+of|in\s+total|combined\s+total\s+of|together\s+(?:account\s+for|make\s+up|come\s+to|cost|total|amount\s+to|represent)|between\s+them\s+(?:account\s+for|cost|total))",
        )
        .expect("valid")
});

/// Amounts of a sentence that state a value (bounds do not).
fn values(prose: &Prose, s: usize) -> Vec<&Claim> {
    prose.sentences[s]
        .claims
        .iter()
        .map(|&i| &prose.claims[i])
        .filter(|c| c.money.qualifier != Qualifier::Bound)
        .collect()
}

/// A total and its parts stated in one sentence must add up at the coarser precision written.
fn stated_sums(prose: &Prose, s: usize, slipped: &[usize], out: &mut Vec<Diagnostic>) {
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

static CHANGE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<up>increases?|increased|rises?|rose|grows?|grew|goes\s+up)|(?P<down>decreases?|decreased|falls?|fell|reduces?|reduced|goes\s+down)(?-u:\b)").expect("valid")
});

/// "The programme of £74.000m increases by £14.185m … and £1.150m …, to £88.739m", "the rate
/// rises by £70 a week, or 8.6%, to £812": the start plus (or minus) the changes is the end, and
/// a percentage given for the change is its share of the start.
fn changes(prose: &Prose, s: usize, slipped: &[usize], out: &mut Vec<Diagnostic>) {
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
                let step = (step.money.value, step.written.trim());
                change_share(passage, sentence, step, from, &shown, c.span.clone(), out);
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
            c.span.clone(),
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
        c.span.clone(),
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
    let to = rest.rfind(" to ")?;
    let (by_at, to_at) = (verb_end + by + 4, verb_end + to + 4);
    // "rise by 2.7%, from £9.60 to £9.86": where it starts follows "from".
    let from_at = rest[by..to].find(" from ").map(|f| verb_end + by + f + 6);
    let amounts: Vec<(usize, &Claim)> = sentence
        .claims
        .iter()
        .map(|&i| (i, &prose.claims[i]))
        .filter(|(_, c)| c.money.qualifier != Qualifier::Bound)
        .collect();
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

/// A percentage given for a single change is the change's share of where it started.
fn change_share(
    passage: &super::prose::Passage,
    sentence: &super::prose::Sentence,
    (step, step_shown): (Decimal, &str),
    from: Decimal,
    from_shown: &str,
    span: std::ops::Range<usize>,
    out: &mut Vec<Diagnostic>,
) {
    let text = &passage.text;
    let Some(p) = sentence
        .percents
        .iter()
        .find(|p| p.at.start >= span.start && p.at.end <= span.end)
    else {
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

/// Which way a bound points, and whether it includes its own value.
fn direction(written: &str) -> Option<(bool, bool)> {
    let w = written.trim().to_ascii_lowercase();
    let lower = ["over", "more than", "exceeding", "in excess of", "above"];
    let upper = ["under", "less than", "below"];
    if lower.iter().any(|p| w.starts_with(p)) {
        Some((true, false))
    } else if w.starts_with("at least") {
        Some((true, true))
    } else if upper.iter().any(|p| w.starts_with(p)) {
        Some((false, false))
    } else if w.starts_with("up to") {
        Some((false, true))
    } else {
        None
    }
}

static LINKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[,\s]*(?:(?:which|that)\s+)?(?:is|are|was|were|will\s+be|would\s+be|totals|amounts\s+to|costs?)\s*(?:well|just|slightly|significantly|considerably)?\s*$")
            .expect("valid")
});

/// A bound is checked against the figure it describes: an amount in brackets beside it, an
/// amount it is said of ("£2.5m, which is more than £3m"), for the reason a decision is key
/// the spending or saving the report declares, else the fact its words name (two specific
/// words of its clause, `Policy::bound_agree`). A rule's threshold names no figure.
fn bounds(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    report: Option<&ReportMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    for &i in &sentence.claims {
        let bound = &prose.claims[i];
        if bound.money.qualifier != Qualifier::Bound {
            continue;
        }
        let Some((_, shown, holds)) = bound_subject(prose, i, facts, report) else {
            continue;
        };
        let text = &prose.passages[sentence.passage].text;
        let not = if negated(text, bound.at.start) {
            "not "
        } else {
            ""
        };
        if !holds {
            out.push(
                Diagnostic::error(
                    Code::AmountBound,
                    bound.file,
                    bound.range.clone(),
                    format!("“{not}{}” is not true of {shown}", bound.written.trim()),
                )
                .with_label("the bound does not hold")
                .with_hint("correct the bound or the figure it describes"),
            );
        }
    }
}

/// Whether the bound at `at` is turned round by a "not" before it ("not exceeding £10.5m").
fn negated(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end().to_ascii_lowercase();
    before.ends_with(" not") || before == "not"
}

/// What the bound `i` is said of (its value and how it is shown), and whether it holds.
pub fn bound_subject(
    prose: &Prose,
    i: usize,
    facts: &[Fact],
    report: Option<&ReportMeta>,
) -> Option<(Decimal, String, bool)> {
    let bound = &prose.claims[i];
    let s = bound.sentence;
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let amounts = values(prose, s);
    let (lower, inclusive) = direction(&bound.written)?;
    let (lower, inclusive) = if negated(text, bound.at.start) {
        (!lower, !inclusive)
    } else {
        (lower, inclusive)
    };
    let beside = amounts
        .iter()
        .copied()
        .find(|c| {
            let after = text.get(bound.at.end..c.at.start).map(str::trim);
            let before = text.get(c.at.end..bound.at.start);
            after == Some("(") || before.is_some_and(|b| b.trim() == "(" || LINKING.is_match(b))
        })
        .or_else(|| said_of(text, bound, &amounts, inclusive && !lower));
    let subject: (Decimal, String) = match beside {
        Some(c) => Some((c.money.value, c.written.trim().to_string())),
        None => key_decision_subject(text, sentence.range.clone(), facts, report)
            .or_else(|| named_fact(prose, i, facts)),
    }?;
    let (value, b) = (subject.0, bound.money.value);
    let holds = match (lower, inclusive) {
        (true, false) => value.abs() > b,
        (true, true) => value.abs() >= b,
        (false, false) => value.abs() < b,
        (false, true) => value.abs() <= b,
    };
    Some((subject.0, subject.1, holds))
}

static RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:(?-u:\b)[a-z]+s\s+(?:of|worth|valued\s+at|costing|exceeding|above|over|below|under)?\s*$|(?-u:\b)(?:thresholds?|limits?|delegat\w*|ceilings?|caps?|maximum|minimum|rules?|standing\s+orders?|procurement|any|each|every|per|individual|allow\w*|permit\w*|where|if|when|quot\w*|could|can|may|eligible|apply|applications?)(?-u:\b))")
        .expect("valid")
});

/// Whether bound `i` is a rule's threshold ("contracts of more than £250,000", "delegated up
/// to £500,000", "grants of up to £15,000"): it speaks of any item, not of a figure.
pub fn is_rule(prose: &Prose, i: usize) -> bool {
    let c = &prose.claims[i];
    let text = &prose.passages[prose.sentences[c.sentence].passage].text;
    let clause = prose.clause(i);
    let before = &text[clause.start..c.at.start.max(clause.start)];
    RULE.is_match(before)
}

/// The fact a bound's words name, when they name one twice over and it is no rule's threshold.
fn named_fact(prose: &Prose, i: usize, facts: &[Fact]) -> Option<(Decimal, String)> {
    if is_rule(prose, i) {
        return None;
    }
    let subject = prose.subject(i);
    // Named in full by its sentence, and no column merely added up: a looser match turns a
    // rule's threshold or an allowance into a false error.
    facts
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Threshold | Kind::Mention))
        .filter(|f| f.place.is_none_or(|p| p.row != usize::MAX))
        .filter(|f| super::subject::names_in_full(subject, f.words()))
        .map(|f| (f, super::subject::agreement(subject, f.words())))
        .max_by_key(|(_, a)| a.score)
        .map(|(f, _)| (f.value, f.shown()))
}

/// The verdict on a bound: what it was checked against, and whether it holds.
pub fn bound_verdict(
    judge: &super::judge::Judge,
    prose: &Prose,
    i: usize,
    report: Option<&ReportMeta>,
) -> crate::model::verdict::Verdict {
    match bound_subject(prose, i, judge.facts, report) {
        Some((_, shown, holds)) => crate::model::verdict::Verdict::Bound {
            checked: Some(shown),
            holds,
        },
        None => crate::model::verdict::Verdict::Bound {
            checked: None,
            holds: true,
        },
    }
}

static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:,|(?-u:\b)(?:is|are|was|were|be|been|being)(?:\s+(?:well|just|slightly|significantly|considerably|still|now|therefore))?)\s*$")
            .expect("valid")
});

static WORTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:worth|valued\s+at|costing)\s*$").expect("valid"));

static CONJUNCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:and|but|while|whereas|with|although|though|of\s+which)(?-u:\b)|;")
        .expect("valid")
});

/// The amount a bound is said of, earlier in its sentence: "£51.2m of the programme, more
/// than £52m" or "At £434,000, the reduction is more than £450,000" (a comma or "is" before
/// the bound), or "at £437,400, … one contract worth more than £500,000" (an amount given
/// "at" and the bound its "worth"). Never for "up to", which caps what is to come.
fn said_of<'c>(text: &str, bound: &Claim, amounts: &[&'c Claim], up_to: bool) -> Option<&'c Claim> {
    if up_to {
        return None;
    }
    let subject = amounts.iter().rev().find(|c| c.at.end <= bound.at.start)?;
    let between = text.get(subject.at.end..bound.at.start)?;
    if between.split_whitespace().count() > 12 || CONJUNCTION.is_match(between) {
        return None;
    }
    let given_at = text.get(..subject.at.start).is_some_and(|t| {
        t.trim_end().to_ascii_lowercase().ends_with(" at")
            || t.trim_end().eq_ignore_ascii_case("at")
    });
    (APPOSITIVE.is_match(between) || (given_at && WORTH.is_match(between))).then_some(*subject)
}

/// For a sentence giving the reason a decision is key: the report's declared spending or
/// saving (the larger), if it declares one.
fn key_decision_subject(
    text: &str,
    range: std::ops::Range<usize>,
    facts: &[Fact],
    report: Option<&ReportMeta>,
) -> Option<(Decimal, String)> {
    let report = report?;
    let lower = text[range].to_ascii_lowercase();
    let reason = report
        .key_decision_reason
        .as_ref()
        .is_some_and(|r| r.value.trim() == text.trim());
    // "The total cost is more than £27m" speaks of the whole decision, as its spending does.
    let whole = [
        "total cost",
        "total value",
        "total expenditure",
        "overall cost",
        "total spend",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if !reason && !whole && !lower.contains("key decision") {
        return None;
    }
    facts
        .iter()
        .filter(|f| f.kind == Kind::Declared && f.label.starts_with("the report's"))
        .max_by_key(|f| f.value.abs())
        .map(|f| (f.value, f.shown()))
}

static PERCENT_BASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:[a-z-]+\s+){0,2}?(?:of|on)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?(?:[A-Za-z0-9'’/-]+\s+){0,6}?$")
            .expect("valid")
});

/// The share of a range of values: the lowest and highest `part / whole × 100` can be, each
/// read to within half its last written digit.
fn share_range_of(part: &Claim, whole: Decimal, whole_unit: Decimal) -> Option<(Decimal, Decimal)> {
    let (p, w) = (part.money.value.abs(), whole.abs());
    let (hp, hw) = (
        part.money.unit.checked_div(Decimal::TWO)?,
        whole_unit.checked_div(Decimal::TWO)?,
    );
    let low = p
        .checked_sub(hp)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(w.checked_add(hw)?)?;
    let high_whole = w.checked_sub(hw)?;
    if high_whole <= Decimal::ZERO {
        return None;
    }
    let high = p
        .checked_add(hp)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(high_whole)?;
    Some((low, high))
}

/// "P% of £X …, £Y", "£Y is P% of … £X", "70% (£318,750)" of an amount before it, and "80% of
/// market rent is £680": the part must be P% of the whole (or, for an uplift or a cut, 100% ± P%)
/// within the rounding of all three. An amount already reported as a slip is not reported again.
fn money_percentages(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    slipped: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    let passage = &prose.passages[sentence.passage];
    let amounts: Vec<(usize, &Claim)> = sentence
        .claims
        .iter()
        .map(|&i| (i, &prose.claims[i]))
        .filter(|(_, c)| c.money.qualifier != Qualifier::Bound)
        .collect();
    for p in &sentence.percents {
        let share = bracketed_share(&passage.text, p, &amounts)
            .or_else(|| resulting_share(&passage.text, p, &amounts))
            .or_else(|| stated_share(prose, s, p, &amounts, facts));
        let Some(Share {
            part: (pi, part),
            whole: (wi, whole),
            fits,
        }) = share
        else {
            out.extend(share_of_table_total(prose, s, p, &amounts, facts, slipped));
            continue;
        };
        let slip = slipped.binary_search(&pi).is_ok() || slipped.binary_search(&wi).is_ok();
        if pi != wi && !slip && !fits {
            out.push(wrong_share(passage, p, part, whole));
        }
    }
}

/// A part, the whole it is said to be a percentage of, and whether the percentage fits.
struct Share<'c> {
    part: (usize, &'c Claim),
    whole: (usize, &'c Claim),
    fits: bool,
}

/// "The surplus of £425,000 … 70% (£318,750) to Durham": a share in brackets is of a larger
/// amount before it: any it fits, else the largest.
fn bracketed_share<'c>(
    text: &str,
    p: &Number,
    amounts: &[(usize, &'c Claim)],
) -> Option<Share<'c>> {
    let after = amounts.iter().find(|(_, c)| {
        let between = text.get(p.at.end..c.at.start).map(str::trim);
        c.at.start >= p.at.end
            && (between == Some("(")
                || (between == Some("") && text[c.at.clone()].starts_with('(')))
    });
    // "an increase of £18.76 (6.9%)": the percentage in brackets after its amount.
    let before = || {
        amounts.iter().rev().find(|(_, c)| {
            c.at.end <= p.at.start && text.get(c.at.end..p.at.start).map(str::trim) == Some("(")
        })
    };
    let &(bi, b) = after.or_else(before)?;
    let wholes: Vec<&(usize, &Claim)> = amounts
        .iter()
        .filter(|(i, c)| *i != bi && c.money.value.abs() > b.money.value.abs())
        .filter(|(_, c)| c.at.end <= p.at.start || c.at.start >= p.at.end)
        .collect();
    let &&(wi, w) = wholes.iter().max_by_key(|(_, w)| w.money.value.abs())?;
    // Of a whole, or of where a change started (the whole less the rise, or plus the fall).
    let fits = wholes.iter().any(|(_, w)| {
        let (v, u) = (w.money.value.abs(), w.money.unit);
        [
            Some(v),
            v.checked_sub(b.money.value.abs()),
            v.checked_add(b.money.value.abs()),
        ]
        .into_iter()
        .flatten()
        .any(|whole| share_fits_value(b, whole, u, p))
    });
    Some(Share {
        part: (bi, b),
        whole: (wi, w),
        fits,
    })
}

/// "80% of market rent is £680": the amount after a verb is the result, the whole the amount
/// said before the percentage.
fn resulting_share<'c>(
    text: &str,
    p: &Number,
    amounts: &[(usize, &'c Claim)],
) -> Option<Share<'c>> {
    let &(ri, r) = amounts.iter().find(|(_, c)| {
        c.at.start >= p.at.end
            && text
                .get(p.at.end..c.at.start)
                .is_some_and(|t| PERCENT_BASE.is_match(t) && RESULT_VERB.is_match(t))
    })?;
    let &(wi, w) = amounts.iter().rev().find(|(_, c)| c.at.end <= p.at.start)?;
    Some(Share {
        part: (ri, r),
        whole: (wi, w),
        fits: share_fits(r, w, p),
    })
}

/// "P% of £X …, £Y" and "£Y is P% of … £X", the whole perhaps said before in the paragraph
/// ("62% of the total").
fn stated_share<'c>(
    prose: &'c Prose,
    s: usize,
    p: &Number,
    amounts: &[(usize, &'c Claim)],
    facts: &[Fact],
) -> Option<Share<'c>> {
    let text = &prose.passages[prose.sentences[s].passage].text;
    let base = amounts.iter().find(|(_, c)| {
        c.at.start >= p.at.end
            && text
                .get(p.at.end..c.at.start)
                .is_some_and(|t| PERCENT_BASE.is_match(t))
    });
    let (xi, x) = base
        .copied()
        .or_else(|| whole_said_before(prose, s, p, amounts, facts))?;
    // "£0.52m of …", or "£0.52m is an increase of 14% on … £3.64m".
    let before = amounts.iter().rev().find(|(_, c)| {
        c.at.end <= p.at.start
            && text
                .get(c.at.end..p.at.start)
                .is_some_and(|t| t.split_whitespace().count() <= 3 || CHANGE_OF.is_match(t))
    });
    let after = amounts.iter().find(|(_, c)| {
        c.at.start >= x.at.end
            && text.get(x.at.end..c.at.start).is_some_and(|t| {
                let t = t.trim_end();
                t.split_whitespace().count() <= 5
                    && (t.ends_with(',') || t.ends_with('(') || t.ends_with(" is"))
            })
    });
    let &(yi, y) = before.or(after)?;
    Some(Share {
        part: (yi, y),
        whole: (xi, x),
        fits: share_fits(y, x, p),
    })
}

/// The share `part` is of `whole`, to one decimal place, as a finding shows it ("12.5%");
/// empty when the whole is zero.
fn share_shown(part: Decimal, whole: Decimal) -> String {
    part.abs()
        .checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|v| v.checked_div(whole.abs()))
        .and_then(|v| round_to_unit(v, Decimal::new(1, 1)))
        .map_or(String::new(), |v| format!("{}%", v.normalize()))
}

/// "£Y is N% of £X, not P%".
fn wrong_share(passage: &super::prose::Passage, p: &Number, y: &Claim, x: &Claim) -> Diagnostic {
    let shown = share_shown(y.money.value, x.money.value);
    Diagnostic::error(
        Code::Percentage,
        passage.file,
        passage.source(p.at.clone()),
        format!(
            "{} is {shown} of {}, not {}",
            y.written.trim(),
            x.written.trim(),
            passage.text[p.at.clone()].trim()
        ),
    )
    .with_label("does not match its amounts")
    .with_hint("correct the percentage or the amounts")
}

/// "is an increase of" between an amount and a percentage: the amount is that share of the
/// whole the percentage is said to be on.
static CHANGE_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:is|was|are|were|represents)\s+(?:an?\s+)?(?:increase|rise|reduction|decrease|fall|cut|saving|growth)\s+of\s*$")
        .expect("valid")
});

static RESULT_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:is|are|was|were|comes\s+to|equals|makes|gives)\s*$").expect("valid")
});

static OF_THE_WHOLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*of\s+(?:the\s+(?:total|whole|overall\s+total|programme|budget|fund|scheme|cost|total\s+cost)|it|this|that)(?-u:\b)")
            .expect("valid")
});

/// "… £2.504m of it, 62% of the total": the whole is the amount said before, in an earlier
/// sentence of the paragraph, that is larger than the part just before the percentage.
fn whole_said_before<'c>(
    prose: &'c Prose,
    s: usize,
    p: &Number,
    amounts: &[(usize, &'c Claim)],
    facts: &[Fact],
) -> Option<(usize, &'c Claim)> {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    if !text
        .get(p.at.end..)
        .is_some_and(|t| OF_THE_WHOLE.is_match(t))
    {
        return None;
    }
    let (yi, y) = amounts.iter().rev().find(|(_, c)| c.at.end <= p.at.start)?;
    // "the total" may be a table's total, quoted nowhere in the paragraph.
    if facts
        .iter()
        .any(|f| f.kind == Kind::Total && share_fits_value(y, f.value, f.unit, p))
    {
        return None;
    }
    (0..*yi)
        .rev()
        .take_while(|&i| prose.sentences[prose.claims[i].sentence].passage == sentence.passage)
        .map(|i| (i, &prose.claims[i]))
        .filter(|(_, c)| c.sentence != s && c.money.qualifier != Qualifier::Bound)
        .filter(|(_, c)| c.money.value.abs() > y.money.value.abs())
        // Any earlier amount it is the right share of will do; else the largest, the total.
        .fold(None, |best: Option<(usize, &Claim)>, (i, c)| {
            let fits = |c: &Claim| share_fits(y, c, p);
            match best {
                Some((_, b)) if fits(b) => best,
                _ if fits(c) => Some((i, c)),
                Some((_, b)) if b.money.value.abs() >= c.money.value.abs() => best,
                _ => Some((i, c)),
            }
        })
}

static WHOLE_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*of\s+(?:the|this|that|its|our)\s+(?P<words>(?:[A-Za-z0-9'’/-]+\s*){1,5}?)(?:[.,;:)]|\s+(?:is|was|are|were|and|for|to|in|which|that|with|on|by|from)(?-u:\b)|$)")
        .expect("valid")
});

/// The whole a percentage is said to be of, named by words ("7% of the total fund", "24% of
/// the Round 3 grant"): the fact those words name in full, else, for "the total" and the like,
/// the paper's largest table total. `None` when the words name no one fact.
fn whole_named<'f>(after: &str, facts: &'f [Fact]) -> Option<&'f Fact> {
    let caps = WHOLE_NAMED.captures(after)?;
    let words = super::subject::Words::of(&caps["words"]);
    let specific: Vec<&String> = super::subject::specific(&words).collect();
    let named = |f: &&Fact| {
        let label = f.words();
        specific
            .iter()
            .all(|w| label.stems.contains(w) || label.context.contains(w))
            && !super::subject::periods_differ(&words.periods, &label.periods)
            && words.periods.iter().all(|p| label.periods.contains(p))
    };
    let candidates = facts.iter().filter(|f| {
        matches!(
            f.kind,
            Kind::Total | Kind::Figure | Kind::Declared | Kind::Outside
        )
    });
    if specific.is_empty() && words.periods.is_empty() {
        // "the total", "the budget": the largest total, as the words name nothing more.
        let generic = OF_THE_WHOLE.is_match(after);
        return generic
            .then(|| {
                facts
                    .iter()
                    .filter(|f| f.kind == Kind::Total)
                    .max_by_key(|f| f.value.abs())
            })
            .flatten();
    }
    let found: Vec<&Fact> = candidates.filter(named).collect();
    // Named in full by one value only: else the words do not say which.
    let first = found.first()?;
    found
        .iter()
        .all(|f| f.value == first.value)
        .then_some(*first)
}

/// "£412,500 a year, is 54% of the total", "7% of the total fund", "24% of the Round 3
/// grant": where no amount of the paragraph is the whole, the fact its words name.
fn share_of_table_total(
    prose: &Prose,
    s: usize,
    p: &Number,
    amounts: &[(usize, &Claim)],
    facts: &[Fact],
    slipped: &[usize],
) -> Option<Diagnostic> {
    let passage = &prose.passages[prose.sentences[s].passage];
    let after = passage.text.get(p.at.end..)?;
    let (yi, y) = amounts.iter().rev().find(|(_, c)| c.at.end <= p.at.start)?;
    if slipped.binary_search(yi).is_ok() {
        return None;
    }
    let whole = whole_named(after, facts)?;
    // "the total" may be any of the paper's totals: one the share fits is the one meant.
    let generic = OF_THE_WHOLE.is_match(after);
    if share_fits_value(y, whole.value, whole.unit, p)
        || (generic
            && facts
                .iter()
                .filter(|f| f.kind == Kind::Total)
                .any(|f| share_fits_value(y, f.value, f.unit, p)))
    {
        return None;
    }
    let shown = share_shown(y.money.value, whole.value);
    Some(
        Diagnostic::error(
            Code::Percentage,
            passage.file,
            passage.source(p.at.clone()),
            format!(
                "{} is {shown} of {}, not {}",
                y.written.trim(),
                whole.shown(),
                passage.text[p.at.clone()].trim()
            ),
        )
        .with_label("does not match its amounts")
        .with_hint("correct the percentage or the amount"),
    )
}

/// Whether `part` is `p` of `whole` (or `whole` changed by `p`), within the rounding of all three.
fn share_fits(part: &Claim, whole: &Claim, p: &Number) -> bool {
    share_fits_value(part, whole.money.value, whole.money.unit, p)
}

fn share_fits_value(part: &Claim, whole: Decimal, unit: Decimal, p: &Number) -> bool {
    let Some((low, high)) = share_range_of(part, whole, unit) else {
        return true;
    };
    let half = p.unit.checked_div(Decimal::TWO).unwrap_or_default();
    let fits = |want: Option<Decimal>| {
        want.is_some_and(|w| {
            w.checked_add(half).is_some_and(|h| h >= low)
                && w.checked_sub(half).is_some_and(|l| l <= high)
        })
    };
    let hundred = Decimal::ONE_HUNDRED;
    fits(Some(p.value)) || fits(hundred.checked_add(p.value)) || fits(hundred.checked_sub(p.value))
}

static OF_BETWEEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:out\s+)?of\s+(?:the\s+|all\s+|a\s+total\s+of\s+)?$").expect("valid")
});

static PCT_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*of\s+(?:the\s+|all\s+)?(?:[a-z-]+\s+){0,3}\(?\s*$").expect("valid")
});

/// "Of the B schemes, A (P%) were complete": A written just before its percentage, and B the
/// larger count the sentence introduces with "of".
fn share_of_whole<'n>(
    text: &str,
    counts: &'n [Number],
    p: &Number,
) -> Option<(&'n Number, &'n Number)> {
    let a = counts.iter().rev().find(|n| n.at.end <= p.at.start)?;
    let gap = text.get(a.at.end..p.at.start)?.trim();
    if !matches!(gap, "(" | "," | "" | "or" | ", or") {
        return None;
    }
    // "from 45 to 60, an increase of 15 (33%)": any larger number of the sentence that the
    // share fits is the whole it was taken of.
    let fits = |b: &Number| {
        a.value
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(b.value))
            .and_then(|x| round_to_unit(x, p.unit))
            == Some(p.value)
    };
    if let Some(b) = counts.iter().find(|b| b.value > a.value && fits(b)) {
        return Some((a, b));
    }
    // "46 responses, of which 39 (58%)".
    let of_which = counts.iter().rev().find(|b| {
        b.at.end <= a.at.start
            && b.value > a.value
            && text.get(b.at.end..a.at.start).is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                t.contains("of which")
                    || t.contains("of whom")
                    || t.contains("of these")
                    || t.contains("of them")
            })
    });
    if let Some(b) = of_which {
        return Some((a, b));
    }
    let b = counts.iter().find(|n| {
        n.value > a.value
            && text
                .get(..n.at.start)
                .map(|t| t.trim_end().to_ascii_lowercase())
                .is_some_and(|t| {
                    let words: Vec<&str> = t.split_whitespace().collect();
                    let n = words.len();
                    let of_at = |k: usize| n >= k && words[n - k] == "of";
                    let determiner = ["the", "all", "its", "their", "these", "our", "those"];
                    of_at(1) || (of_at(2) && determiner.contains(&words[n - 1]))
                })
    })?;
    Some((a, b))
}

/// "A of B …, P%", "P% (A of B)" and "A … equates to P% of … B": the percentage must be A's
/// share of B at the precision written.
fn count_percentages(prose: &Prose, s: usize, out: &mut Vec<Diagnostic>) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    for p in &sentence.percents {
        let Some((a, b)) = counted_pair(text, &sentence.counts, p) else {
            continue;
        };
        if b.value.is_zero() || a.value > b.value {
            continue;
        }
        let Some(share) = a
            .value
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(b.value))
        else {
            continue;
        };
        if round_to_unit(share, p.unit) == Some(p.value) {
            continue;
        }
        let shown = round_to_unit(share, p.unit).unwrap_or(share).normalize();
        let passage = &prose.passages[sentence.passage];
        out.push(
            Diagnostic::error(
                Code::Percentage,
                passage.file,
                passage.source(p.at.clone()),
                format!(
                    "{} of {} is {shown}%, not {}",
                    &text[a.at.clone()],
                    &text[b.at.clone()],
                    text[p.at.clone()].trim()
                ),
            )
            .with_label("does not match its numbers")
            .with_hint(format!("write {shown}%, or correct the numbers")),
        );
    }
}

/// The part and the whole a percentage is given for, among a sentence's counts.
fn counted_pair<'n>(
    text: &str,
    counts: &'n [Number],
    p: &Number,
) -> Option<(&'n Number, &'n Number)> {
    // A pair written "A of B" anywhere in the sentence, else A before and B just after "P% of".
    // The pair stands beside its percentage ("96 of the 808 children (12%)"), not at the
    // other end of the sentence, where another percentage may be of something else.
    let beside = |w: &[Number]| {
        (p.at.start >= w[1].at.end && p.at.start - w[1].at.end <= 40)
            || (w[0].at.start >= p.at.end && w[0].at.start - p.at.end <= 40)
    };
    let pair = counts.windows(2).find(|w| {
        beside(w)
            && text
                .get(w[0].at.end..w[1].at.start)
                .is_some_and(|b| OF_BETWEEN.is_match(b))
    });
    match pair {
        Some(w) => Some((&w[0], &w[1])),
        None if share_of_whole(text, counts, p).is_some() => share_of_whole(text, counts, p),
        None => {
            let b = counts.iter().find(|n| {
                n.at.start >= p.at.end
                    && text
                        .get(p.at.end..n.at.start)
                        .is_some_and(|t| PCT_OF.is_match(t))
            });
            let a = counts.iter().rev().find(|n| n.at.end <= p.at.start);
            a.zip(b)
        }
    }
}
