//! Arithmetic that prose states itself: a total and its parts ("£2.4m, consisting of £1.9m for
//! … and £0.6m for …"), a bound and the figure it describes ("more than £1m"), and a count with
//! its percentage ("2,162 of 2,612 families, 83%"). Each is checked at the precision written.

use std::sync::OnceLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::facts::{Fact, Kind};
use super::prose::{Claim, Number, Prose};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::ReportMeta;
use crate::money::{format_exact, round_to_unit, Qualifier};

pub fn check(
    prose: &Prose,
    facts: &[Fact],
    report: Option<&ReportMeta>,
    out: &mut Vec<Diagnostic>,
) {
    for s in 0..prose.sentences.len() {
        stated_sums(prose, s, out);
        bounds(prose, s, facts, report, out);
        count_percentages(prose, s, out);
    }
}

fn triggers() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?P<fwd>consist(?:s|ing)\s+of|made\s+up\s+of|compris(?:ing|es|ed\s+of)|broken\s+down\s+(?:as|into)|split\s+(?:between|as|into)|of\s+which)|(?P<back>total(?:l)?ing|a\s+total\s+of|in\s+total|combined\s+total\s+of)",
        )
        .expect("valid")
    })
}

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
fn stated_sums(prose: &Prose, s: usize, out: &mut Vec<Diagnostic>) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let amounts = values(prose, s);
    let Some(caps) = triggers().captures(&text[sentence.range.clone()]) else {
        return;
    };
    let at = sentence.range.start + caps.get(0).map_or(0, |m| m.start());
    let end = sentence.range.start + caps.get(0).map_or(0, |m| m.end());
    let near = |from: usize, to: usize, most: usize| {
        text.get(from..to).is_some_and(|t| t.trim().len() <= most)
    };
    let (total, parts): (Option<&Claim>, Vec<&Claim>) = if caps.name("fwd").is_some() {
        let parts: Vec<&Claim> = amounts
            .iter()
            .filter(|c| c.at.start >= end)
            .copied()
            .collect();
        if parts.first().is_none_or(|p| !near(end, p.at.start, 12)) {
            return;
        }
        (
            amounts
                .iter()
                .rev()
                .find(|c| c.at.end <= at && near(c.at.end, at, 20))
                .copied(),
            parts,
        )
    } else if caps
        .name("back")
        .is_some_and(|b| b.as_str().eq_ignore_ascii_case("in total"))
    {
        // "£1.9m for … and £0.6m for …, £2.5m in total": the total stands just before.
        let total = amounts
            .iter()
            .rev()
            .find(|c| c.at.end <= at && text[c.at.end..at].trim().len() < 3)
            .copied();
        let parts = amounts
            .iter()
            .filter(|c| total.is_some_and(|t| c.at.end <= t.at.start))
            .copied()
            .collect();
        (total, parts)
    } else {
        (
            amounts
                .iter()
                .find(|c| c.at.start >= end && near(end, c.at.start, 5))
                .copied(),
            amounts.iter().filter(|c| c.at.end <= at).copied().collect(),
        )
    };
    let Some(total) = total else { return };
    // Parts run from the trigger: the amounts nearest it may be the parts and farther ones
    // context ("Of the £3m budget, £1.9m … and £0.6m …, totalling £2.5m").
    let forward = caps.name("fwd").is_some();
    let runs: Vec<&[&Claim]> = (2..=parts.len().min(6))
        .map(|n| {
            if forward {
                &parts[..n]
            } else {
                &parts[parts.len() - n..]
            }
        })
        .collect();
    if runs.is_empty() {
        return;
    }
    let mut shortest = None;
    for run in runs {
        let unit = run
            .iter()
            .map(|p| p.money.unit)
            .chain([total.money.unit])
            .max()
            .unwrap_or(Decimal::ONE);
        let Some(sum) = run
            .iter()
            .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(p.money.value))
        else {
            return;
        };
        if round_to_unit(sum, unit).is_some()
            && round_to_unit(sum, unit) == round_to_unit(total.money.value, unit)
        {
            return;
        }
        shortest.get_or_insert((run, sum));
    }
    let Some((run, sum)) = shortest else { return };
    let shown: Vec<&str> = run.iter().map(|p| p.written.trim()).collect();
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

fn linking() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^[,\s]*(?:(?:which|that)\s+)?(?:is|are|was|were|will\s+be|would\s+be|totals|amounts\s+to|costs?)\s*(?:well|just|slightly|significantly|considerably)?\s*$")
            .expect("valid")
    })
}

/// A bound is checked against the figure it describes: an amount in brackets beside it, an
/// amount it is said of ("£2.5m, which is more than £3m"), or, for the reason a decision is
/// key, the spending or saving the report declares.
fn bounds(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    report: Option<&ReportMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let amounts = values(prose, s);
    for &i in &sentence.claims {
        let bound = &prose.claims[i];
        if bound.money.qualifier != Qualifier::Bound {
            continue;
        }
        let Some((lower, inclusive)) = direction(&bound.written) else {
            continue;
        };
        let beside = amounts.iter().find(|c| {
            let after = text.get(bound.at.end..c.at.start).map(str::trim);
            let before = text.get(c.at.end..bound.at.start);
            after == Some("(") || before.is_some_and(|b| b.trim() == "(" || linking().is_match(b))
        });
        let subject: Option<(Decimal, String)> = match beside {
            Some(c) => Some((c.money.value, c.written.trim().to_string())),
            None => key_decision_subject(text, sentence.range.clone(), facts, report),
        };
        let Some((value, shown)) = subject else {
            continue;
        };
        let b = bound.money.value;
        let holds = match (lower, inclusive) {
            (true, false) => value.abs() > b,
            (true, true) => value.abs() >= b,
            (false, false) => value.abs() < b,
            (false, true) => value.abs() <= b,
        };
        if !holds {
            out.push(
                Diagnostic::error(
                    Code::AmountBound,
                    bound.file,
                    bound.range.clone(),
                    format!("“{}” is not true of {shown}", bound.written.trim()),
                )
                .with_label("the bound does not hold")
                .with_hint("correct the bound or the figure it describes"),
            );
        }
    }
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
    if !reason && !lower.contains("key decision") {
        return None;
    }
    facts
        .iter()
        .filter(|f| f.kind == Kind::Declared && f.label.starts_with("the report's"))
        .max_by_key(|f| f.value.abs())
        .map(|f| (f.value, f.shown()))
}

fn of_between() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*(?:out\s+)?of\s+(?:the\s+|all\s+|a\s+total\s+of\s+)?$").expect("valid")
    })
}

fn pct_of() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^\s*of\s+(?:the\s+|all\s+)?(?:[a-z-]+\s+){0,3}\(?\s*$").expect("valid")
    })
}

/// "A of B …, P%", "P% (A of B)" and "A … equates to P% of … B": the percentage must be A's
/// share of B at the precision written.
fn count_percentages(prose: &Prose, s: usize, out: &mut Vec<Diagnostic>) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let counts = &sentence.counts;
    for p in &sentence.percents {
        // A pair written "A of B" anywhere in the sentence, else A before and B just after "P% of".
        let pair = counts.windows(2).find(|w| {
            text.get(w[0].at.end..w[1].at.start)
                .is_some_and(|b| of_between().is_match(b))
        });
        let pair: Option<(&Number, &Number)> = match pair {
            Some(w) => Some((&w[0], &w[1])),
            None => {
                let b = counts.iter().find(|n| {
                    n.at.start >= p.at.end
                        && text
                            .get(p.at.end..n.at.start)
                            .is_some_and(|t| pct_of().is_match(t))
                });
                let a = counts.iter().rev().find(|n| n.at.end <= p.at.start);
                a.zip(b)
            }
        };
        let Some((a, b)) = pair else { continue };
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
