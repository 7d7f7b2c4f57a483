//! Shares a sentence states: "P% of £X …, £Y", "£Y is P% of … £X", "70% (£318,750)", a share of
//! a whole named by words ("7% of the total fund"), and counts with their percentage ("2,162 of
//! 2,612 families, 83%").

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::facts::{Fact, Kind};
use super::super::prose::{words_after, Claim, Number, Prose};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{round_to_unit, Qualifier};

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
pub(super) fn money_percentages(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    slipped: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    let passage = &prose.passages[sentence.passage];
    let all_amounts: Vec<(usize, &Claim)> = sentence
        .claims
        .iter()
        .map(|&i| (i, &prose.claims[i]))
        .filter(|(_, c)| c.money.qualifier != Qualifier::Bound)
        .collect();
    for (n, p) in sentence.percents.iter().enumerate() {
        let amounts = near(&all_amounts, p.at.start);
        // A percentage of a change is the change's share of its own start, in its own clause.
        let clause_from = n
            .checked_sub(1)
            .map_or(sentence_start(prose, s), |m| sentence.percents[m].at.end);
        // The verb of a list of changes said once is said a few clauses back at most.
        let mut sentence_from = sentence_start(prose, s).max(p.at.start.saturating_sub(VERB_REACH));
        while !passage.text.is_char_boundary(sentence_from) {
            sentence_from += 1;
        }
        match change_clause(&passage.text, (sentence_from, clause_from), p, amounts) {
            Some(Clause::Change(fits, finding)) => {
                let slip = finding
                    .iter()
                    .any(|(i, _, _)| slipped.binary_search(i).is_ok());
                if let (false, false, Some((_, step, start))) = (fits, slip, finding) {
                    out.push(wrong_change(passage, p, step, start));
                }
                continue;
            }
            Some(Clause::NoStart) => continue,
            None => {}
        }
        let share = bracketed_share(&passage.text, p, amounts)
            .or_else(|| resulting_share(&passage.text, p, amounts))
            .or_else(|| stated_share(prose, s, p, amounts, facts));
        let Some(Share {
            part: (pi, part),
            whole: (wi, whole),
            fits,
        }) = share
        else {
            out.extend(share_of_named_whole(prose, s, p, amounts, facts, slipped));
            continue;
        };
        let slip = slipped.binary_search(&pi).is_ok() || slipped.binary_search(&wi).is_ok();
        if pi != wi && !slip && !fits {
            out.push(wrong_share(passage, p, part, whole));
        }
    }
}

/// Words that make a clause a change: "rise(s) by", "up £X", "an increase of", "falls to".
static CHANGE_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?P<up>increases?|increased|increasing|rises?|rising|rose|grows?|grew|growth|up)|(?P<down>decreases?|decreased|falls?|fell|reduces?|reduced|reduction|cut|down))(?-u:\b)")
        .expect("valid")
});

/// The words just before a step: "by", "up", "down", "an increase of".
static STEP_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:by|up|down|of)\s*$").expect("valid"));

/// A percentage in brackets after an amount of a change clause, and what the clause gives.
enum Clause<'c> {
    /// The clause states a step and where it ends or starts: whether the percentage is the
    /// step's share of its start, and if not the step and start a finding names.
    Change(bool, Option<(usize, &'c Claim, Decimal)>),
    /// "up £45,000 (9.1%)", "rises to £1,240 (3.8%)": no start is given, so nothing in the
    /// sentence is the percentage's whole; the percentage is left alone.
    NoStart,
}

/// Where a sentence's text begins in its passage.
fn sentence_start(prose: &Prose, s: usize) -> usize {
    prose.sentences[s].range.start
}

/// "rise by £4.00 to £84.00 (5.0%), and the garden waste charge by £3.00 to £48.00 (6.7%)": a
/// percentage in brackets right after an amount, in a clause (from the sentence's start or its
/// previous percentage) with words of change, is the step's share of where it started; with
/// the verb said once, each clause is its own change. None when the clause is no change.
fn change_clause<'c>(
    text: &str,
    (start, from): (usize, usize),
    p: &Number,
    amounts: &[(usize, &'c Claim)],
) -> Option<Clause<'c>> {
    let bracketed = amounts.iter().any(|(_, c)| {
        c.at.end <= p.at.start && text.get(c.at.end..p.at.start).map(str::trim) == Some("(")
    });
    // With the verb said once ("rise by £4 to £84 (5%), and the charge by £3 to £48 (6.7%)"),
    // the change words may be in an earlier clause of the sentence.
    let words = CHANGE_CLAUSE.captures(text.get(start..p.at.start)?)?;
    if !bracketed {
        return None;
    }
    let up = words.name("up").is_some();
    let clause: Vec<&(usize, &Claim)> = amounts
        .iter()
        .filter(|(_, c)| c.at.start >= from && c.at.end <= p.at.start)
        .collect();
    let [(si, step), .., (_, end)] = clause.as_slice() else {
        return Some(Clause::NoStart);
    };
    // A step is said as one: "by £4", "up £45,000", "an increase of £3". Two levels ("rise to
    // £127.5bn, before falling back to £70.6bn (2.1%)") give no step, and a percentage after
    // the second may be of something else (of GDP): it is left alone.
    let stepped = text
        .get(from.max(start)..step.at.start)
        .is_some_and(|t| STEP_WORD.is_match(t));
    if !stepped {
        return Some(Clause::NoStart);
    }
    // Any amount of the clause as the step, on any other as its start or its end.
    let fits = clause.iter().any(|(i, part)| {
        clause.iter().filter(|(j, _)| j != i).any(|(_, other)| {
            let (v, u) = (other.money.value.abs(), other.money.unit);
            [
                Some(v),
                v.checked_sub(part.money.value.abs()),
                v.checked_add(part.money.value.abs()),
            ]
            .into_iter()
            .flatten()
            .any(|whole| share_fits_value(part, whole, u, p))
        })
    });
    let (e, d) = (end.money.value.abs(), step.money.value.abs());
    let began = if up {
        e.checked_sub(d)
    } else {
        e.checked_add(d)
    };
    Some(Clause::Change(fits, began.map(|began| (*si, *step, began))))
}

/// "£3.00 on £45.00 is 6.7%, not 5.0%".
fn wrong_change(
    passage: &super::super::prose::Passage,
    p: &Number,
    step: &Claim,
    start: Decimal,
) -> Diagnostic {
    let shown = share_shown(step.money.value, start);
    Diagnostic::error(
        Code::Percentage,
        passage.file,
        passage.source(p.at.clone()),
        format!(
            "{} on {} is {shown}, not {}",
            step.written.trim(),
            crate::model::money::format_exact(start.normalize()),
            passage.text[p.at.clone()].trim()
        ),
    )
    .with_label("not the change's share of where it started")
    .with_hint("correct the percentage or the amounts")
}

/// How many of its sentence's amounts either side of a percentage may be its part or its
/// whole: a share is said beside its amounts ("£2,215,000, 53% of the £4,177,500 cost"), and a
/// sentence of thousands of amounts would cost the square of itself. Eight either way is more
/// than any sentence of the seeds, the test sets or the real papers puts around a percentage.
const NEAR_AMOUNTS: usize = 8;

/// How far before a percentage (in bytes) the words of change may be: a few clauses.
const VERB_REACH: usize = 400;

/// The amounts of `amounts` (in the order said) nearest the place `at`.
fn near<'a, 'c>(amounts: &'a [(usize, &'c Claim)], at: usize) -> &'a [(usize, &'c Claim)] {
    super::super::prose::around(amounts, NEAR_AMOUNTS, |(_, c)| c.at.start < at)
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
    let taken_after = after.is_some();
    let &(bi, b) = after.or_else(before)?;
    // "70% (£318,750)" is a share of a whole said before it; an amount later in the sentence
    // ("Interest at 4.5% (£225,000 a year) and … (£125,000 a year) give £350,000") is
    // something else. "An increase of £18.76 (6.9%), from £271.88 to £290.64" may give its
    // whole after.
    let wholes: Vec<&(usize, &Claim)> = amounts
        .iter()
        .filter(|(i, c)| *i != bi && c.money.value.abs() > b.money.value.abs())
        .filter(|(_, c)| c.at.end <= p.at.start || (!taken_after && c.at.start >= p.at.end))
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
    let before = part_before(text, p, amounts, &prose.sentences[s].percents);
    let after = amounts.iter().find(|(_, c)| {
        c.at.start >= x.at.end
            && text.get(x.at.end..c.at.start).is_some_and(|t| {
                let t = t.trim_end();
                t.split_whitespace().count() <= 5
                    && (t.ends_with(',') || t.ends_with('(') || t.ends_with(" is"))
            })
    });
    let &(yi, y) = before.map(|b| head_of_aside(text, b, amounts)).or(after)?;
    Some(Share {
        part: (yi, y),
        whole: (xi, x),
        fits: share_fits(y, x, p),
    })
}

/// The amount just before percentage `p` that is its part: "£0.52m of …", or "£0.52m is an
/// increase of 14% on … £3.64m". Where that amount is the whole of an earlier percentage ("are
/// 63.5% of the £690,945 requested and 95.3% of the £460,750 available"), the shares are said
/// of one part, that percentage's (followed back at most `NEAR_AMOUNTS` percentages).
fn part_before<'a, 'c>(
    text: &str,
    p: &Number,
    amounts: &'a [(usize, &'c Claim)],
    percents: &[Number],
) -> Option<&'a (usize, &'c Claim)> {
    let mut at = p.at.start;
    for _ in 0..NEAR_AMOUNTS {
        let before = amounts.iter().rev().find(|(_, c)| {
            c.at.end <= at
                && text
                    .get(c.at.end..at)
                    .is_some_and(|t| t.split_whitespace().count() <= 3 || CHANGE_OF.is_match(t))
        })?;
        let whole_of = percents.iter().rev().find(|q| {
            q.at.end <= before.1.at.start
                && text
                    .get(q.at.end..before.1.at.start)
                    .is_some_and(|t| PERCENT_BASE.is_match(t))
        });
        match whole_of {
            Some(q) => at = q.at.start,
            None => return Some(before),
        }
    }
    None
}

/// An aside between commas that names a part of the amount before it: ", including a lottery
/// award of £600,000,", ", of which £X", ", comprising …".
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,\s*(?:including|includes|of\s+which|comprising|excluding|made\s+up\s+of|such\s+as)(?-u:\b)[^,;]*$")
        .expect("valid")
});

/// "Grants of £1,500,000, including a lottery award of £600,000, meet 75% of the cost": the
/// clause's share is said of its head, not of the amount in the aside; the amount itself when
/// it is in no aside.
fn head_of_aside<'a, 'c>(
    text: &str,
    amount: &'a (usize, &'c Claim),
    amounts: &'a [(usize, &'c Claim)],
) -> &'a (usize, &'c Claim) {
    let (_, a) = amount;
    let closed = text
        .get(a.at.end..)
        .is_some_and(|t| t.trim_start().starts_with(','));
    let head = amounts.iter().rev().find(|(_, c)| c.at.end <= a.at.start);
    match head {
        Some(h)
            if closed
                && text
                    .get(h.1.at.end..a.at.start)
                    .is_some_and(|t| ASIDE.is_match(t)) =>
        {
            h
        }
        _ => amount,
    }
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
fn wrong_share(
    passage: &super::super::prose::Passage,
    p: &Number,
    y: &Claim,
    x: &Claim,
) -> Diagnostic {
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
    let after = words_after(text, p.at.end)?;
    if !OF_THE_WHOLE.is_match(after) {
        return None;
    }
    // "of the cost of the five schemes" narrows the whole: it is not the paragraph's total.
    if WHOLE_NAMED
        .captures(after)
        .is_some_and(|c| NARROWED.is_match(&c["words"]))
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
    Regex::new(r"(?i)^\s*of\s+(?:the\s+|(?P<its>its|their)\s+)(?P<words>(?:[A-Za-z0-9'’/-]+\s*){1,6}?)(?:[.,;:)]|\s+(?:is|was|are|were|and|for|to|in|which|that|with|on|by|from|as|at)(?-u:\b)|$)")
        .expect("valid")
});

/// Words that narrow a whole in a way no label says ("of the cost of the five schemes",
/// "of the other two"): a whole so named is not looked for.
static NARROWED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:other|remaining|rest|excluding|without|two|three|four|five|six|seven|eight|nine|ten|\d+)(?-u:\b)")
        .expect("valid")
});

/// A whole a percentage may be of: its value, the place value of its last digit, and how a
/// finding shows it.
struct Whole {
    value: Decimal,
    unit: Decimal,
    shown: String,
}

/// The wholes the words after a percentage may name ("7% of the total fund", "58% of the
/// increase", "24% of the Round 3 grant"): the paper's totals, named figures, declared and
/// outside amounts whose labels carry every word of the phrase (a table's cells too, where
/// the phrase has a specific word), and amounts said earlier in the paragraph whose clause
/// carries them. Empty when the phrase names nothing or narrows its whole in other words.
/// With them, whether the phrase is generic (no specific word: "the programme", "the 2019/20
/// programme"), and the periods it names.
// Long because the wholes come from two places (the paper's facts and the paragraph's earlier
// amounts) under one filter of words and periods, which must be the same for both.
fn named_wholes(
    prose: &Prose,
    s: usize,
    p: &Number,
    part: Decimal,
    facts: &[Fact],
) -> (Vec<Whole>, bool, Vec<super::super::subject::Period>) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let Some(caps) = words_after(text, p.at.end).and_then(|t| WHOLE_NAMED.captures(t)) else {
        return (Vec::new(), false, Vec::new());
    };
    let phrase = &caps["words"];
    if NARROWED.is_match(&super::super::subject::without_periods(phrase)) {
        return (Vec::new(), false, Vec::new());
    }
    // Its periods, and the words left once they are taken out ("Round 2" is no word of it).
    let mut words = super::super::subject::Words::of(phrase);
    words.stems = super::super::subject::stems(&super::super::subject::without_periods(phrase));
    if words.stems.is_empty() && words.periods.is_empty() {
        return (Vec::new(), false, Vec::new());
    }
    if caps.name("its").is_some() {
        let said = super::super::subject::stems(&text[sentence.range.clone()]);
        return (
            wholes_of_its(&said, &words, part, facts),
            false,
            words.periods,
        );
    }
    let specific = super::super::subject::specific(&words).next().is_some();
    let larger = |v: Decimal| v.abs() > part.abs() || p.value > Decimal::ONE_HUNDRED;
    let mut out = Vec::new();
    // Said earlier in the paragraph: "… by £9,895,000 … accounts for £5.271m, 58% of the
    // increase".
    for (i, c) in prose.claims.iter().enumerate() {
        let cs = &prose.sentences[c.sentence];
        if cs.passage != sentence.passage || c.at.start >= p.at.start {
            continue;
        }
        if c.money.qualifier == Qualifier::Bound || !larger(c.money.value) {
            continue;
        }
        let near = &prose.subject(i).near;
        if words.stems.iter().all(|w| near.binary_search(w).is_ok()) {
            out.push(Whole {
                value: c.money.value,
                unit: c.money.unit,
                shown: c.written.trim().to_string(),
            });
        }
    }
    let kinds = |k: Kind| {
        matches!(
            k,
            Kind::Total | Kind::Figure | Kind::Declared | Kind::Outside
        ) || (specific && k == Kind::Cell)
    };
    // Totals first, then named and declared figures, then the rest: the first is the one a
    // finding names.
    let mut ranked: Vec<&Fact> = facts
        .iter()
        .filter(|f| kinds(f.kind) && larger(f.value))
        .collect();
    ranked.sort_by_key(|f| match f.kind {
        Kind::Total => 0,
        Kind::Figure | Kind::Declared => 1,
        Kind::Outside => 2,
        _ => 3,
    });
    for f in ranked {
        let label = f.words();
        let carries = words
            .stems
            .iter()
            .all(|w| label.stems.contains(w) || label.context.contains(w));
        let periods = !super::super::subject::periods_differ(&words.periods, &label.periods)
            && words.periods.iter().all(|q| label.periods.contains(q));
        if carries && periods {
            out.push(Whole {
                value: f.value,
                unit: f.unit,
                shown: f.shown(),
            });
        }
    }
    // Two words or more ("the new allocations") name their wholes; one generic word ("the
    // programme", "the total") may mean any of the paper's totals.
    (out, !specific && words.stems.len() < 2, words.periods)
}

/// "2.5% of its budget": the budget of what the sentence names, a cell whose row's every word
/// the sentence (`said`, its stems) says and whose label carries the phrase's `words`.
fn wholes_of_its(
    said: &[String],
    words: &super::super::subject::Words,
    part: Decimal,
    facts: &[Fact],
) -> Vec<Whole> {
    facts
        .iter()
        .filter(|f| f.kind == Kind::Cell && f.value.abs() > part.abs())
        .filter(|f| {
            let row = super::super::subject::stems(&f.row_of);
            let label = f.words();
            !row.is_empty()
                && row.iter().all(|w| said.contains(w))
                && words.stems.iter().all(|w| label.stems.contains(w))
        })
        .map(|f| Whole {
            value: f.value,
            unit: f.unit,
            shown: f.shown(),
        })
        .collect()
}

/// The amount a percentage with none in its sentence is a share of: "Nine Community Capital
/// Grants totalling £77,200 are recommended. Capital grants make up 42% of the Round 2
/// awards." The last amount of the sentence before, in the same paragraph, when the words
/// before the percentage name something its clause names.
fn part_said_before<'c>(prose: &'c Prose, s: usize, p: &Number) -> Option<(usize, &'c Claim)> {
    let sentence = &prose.sentences[s];
    let before = prose.sentences.get(s.checked_sub(1)?)?;
    if before.passage != sentence.passage || !sentence.claims.is_empty() {
        return None;
    }
    let text = &prose.passages[sentence.passage].text;
    let lead = super::super::subject::Words::of(text.get(sentence.range.start..p.at.start)?);
    let &i = before
        .claims
        .iter()
        .rev()
        .find(|&&i| prose.claims[i].money.qualifier != Qualifier::Bound)?;
    let named = super::super::subject::specific(&lead)
        .any(|w| prose.subject(i).near.binary_search(w).is_ok());
    named.then(|| (i, &prose.claims[i]))
}

/// "£412,500 a year, is 54% of the total", "7% of the total fund", "24% of the Round 3
/// grant": where no amount of the sentence is the whole, a whole its words name. The
/// percentage is wrong only when it fits none of the wholes the words may name.
fn share_of_named_whole(
    prose: &Prose,
    s: usize,
    p: &Number,
    amounts: &[(usize, &Claim)],
    facts: &[Fact],
    slipped: &[usize],
) -> Option<Diagnostic> {
    let passage = &prose.passages[prose.sentences[s].passage];
    let (yi, y) = amounts
        .iter()
        .rev()
        .find(|(_, c)| c.at.end <= p.at.start)
        .copied()
        .or_else(|| part_said_before(prose, s, p))?;
    if slipped.binary_search(&yi).is_ok() {
        return None;
    }
    let (wholes, generic, periods) = named_wholes(prose, s, p, y.money.value, facts);
    let first = wholes.first()?;
    // "the programme", "the total": words that name no one figure may mean any of the
    // paper's totals; one the share fits is the one meant.
    let any_total = || {
        facts
            .iter()
            .filter(|f| f.kind == Kind::Total)
            .filter(|f| !super::super::subject::periods_differ(&periods, &f.words().periods))
            .any(|f| share_fits_value(y, f.value, f.unit, p))
    };
    if wholes
        .iter()
        .any(|w| share_fits_value(y, w.value, w.unit, p))
        || (generic && any_total())
    {
        return None;
    }
    let shown = share_shown(y.money.value, first.value);
    Some(
        Diagnostic::error(
            Code::Percentage,
            passage.file,
            passage.source(p.at.clone()),
            format!(
                "{} is {shown} of {}, not {}",
                y.written.trim(),
                first.shown,
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

/// A word that starts a qualifier, not the name of a whole: "within 20 weeks", "in 12 months".
static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:within|in|over|by|for|at|on|after|before|during|per|across)(?-u:\b)",
    )
    .expect("valid")
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
pub(super) fn count_percentages(prose: &Prose, s: usize, out: &mut Vec<Diagnostic>) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    // Every other quantity of the sentence: a percentage belongs to the quantity just before
    // it, so one of these standing between a pair and a percentage parts them.
    let mut others: Vec<std::ops::Range<usize>> = sentence
        .claims
        .iter()
        .map(|&i| prose.claims[i].at.clone())
        .chain(sentence.percents.iter().map(|q| q.at.clone()))
        .collect();
    others.sort_by_key(|r| r.start);
    for p in &sentence.percents {
        let Some((a, b)) = counted_pair(text, &sentence.counts, p, &others) else {
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
    others: &[std::ops::Range<usize>],
) -> Option<(&'n Number, &'n Number)> {
    // Nothing else stated between `from` and `to`: "260 of the 557 schemes (47%) and £11.3m
    // (32%)" gives 32% to £11.3m, not to the schemes.
    let clear = |from: usize, to: usize| !others.iter().any(|r| r.start >= from && r.end <= to);
    // A pair written "A of B" anywhere in the sentence, else A before and B just after "P% of".
    // The pair stands beside its percentage ("96 of the 808 children (12%)"), not at the
    // other end of the sentence, where another percentage may be of something else.
    let beside = |w: &[Number]| {
        (p.at.start >= w[1].at.end
            && p.at.start - w[1].at.end <= 40
            && clear(w[1].at.end, p.at.start))
            || (w[0].at.start >= p.at.end
                && w[0].at.start - p.at.end <= 40
                && clear(p.at.end, w[0].at.start))
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
            // "90% of the 70 applications": the whole just after "of", its words no more than
            // adjectives; "90% of EHCPs within 20 weeks" is of EHCPs, and the weeks a limit.
            let b = counts.iter().find(|n| {
                n.at.start >= p.at.end
                    && text
                        .get(p.at.end..n.at.start)
                        .is_some_and(|t| PCT_OF.is_match(t) && !QUALIFIER.is_match(t))
            });
            let a = counts
                .iter()
                .rev()
                .find(|n| n.at.end <= p.at.start)
                .filter(|n| clear(n.at.end, p.at.start));
            a.zip(b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::checked;

    #[test]
    fn shares_joined_by_and_are_of_one_part() {
        // The amount after "of the" is the first share's whole, not the second's part.
        let text = "The grants of £439,025 are 63.5% of the £690,945 requested and 95.3% of \
                    the £460,750 available.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        let wrong = "The grants of £439,025 are 63.5% of the £690,945 requested and 92.3% of \
                     the £460,750 available.";
        assert_eq!(checked(wrong).len(), 1, "{:?}", checked(wrong));
    }

    #[test]
    fn shares_that_fit_their_numbers_pass() {
        assert!(checked("We supported 2,162 of 2,612 families, 83%.").is_empty());
        assert!(checked("£1,062,000 is 40% of the £2,655,000 budget.").is_empty());
    }

    #[test]
    fn shares_that_do_not_fit_are_a_finding() {
        let got = checked("We supported 2,162 of 2,612 families, 85%.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0408: 2,162 of 2,612 is 83%, not 85%"),
            "{got:?}"
        );
        let got = checked("£1,062,000 is 45% of the £2,655,000 budget.");
        assert!(got.iter().any(|g| g.starts_with("C0408")), "{got:?}");
    }

    #[test]
    fn a_percentage_with_no_whole_is_left_alone() {
        assert!(checked("Fees rise by 5% from April.").is_empty());
    }

    #[test]
    fn a_percentage_belongs_to_the_quantity_just_before_it() {
        let text = "Together they make up 260 of the 557 schemes (47%) and £11.3m (32%) of the programme's value.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        let got = checked("Together they make up 260 of the 557 schemes (49%) and £11.3m (32%) of the programme's value.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0408: 260 of 557 is 47%, not 49%"),
            "{got:?}"
        );
    }

    #[test]
    fn a_share_in_brackets_is_of_a_whole_said_before_it() {
        assert!(
            checked("The surplus of £425,000 is shared, 70% (£297,500) to the council.").is_empty()
        );
        let got = checked("The surplus of £425,000 is shared, 70% (£318,750) to the council.");
        assert_eq!(got.len(), 1, "{got:?}");
        // Amounts after it are not its whole.
        let text = "Interest at 4.5% (£225,000 a year) and provision over 40 years (£125,000 a year) give a revenue cost of £350,000 a year.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
    }

    #[test]
    fn a_whole_named_by_words_is_checked_against_what_the_words_may_name() {
        use super::super::super::facts::{Fact, Kind};
        use rust_decimal::Decimal;
        let facts = [Fact::of(
            Decimal::from(750_000),
            Decimal::ONE,
            "from outside".into(),
            Kind::Outside,
        )
        .about("the budget for the scheme in 2025/26")];
        let run = |text: &str| {
            let p = super::super::testing::prose(text);
            let mut out = Vec::new();
            super::super::check(&p, &facts, None, &[], &mut out);
            super::super::testing::said(&out)
        };
        assert!(run("The fee of £22,500, 3% of the scheme budget, is within it.").is_empty());
        let got = run("The fee of £22,500, 4% of the scheme budget, is within it.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("C0408: £22,500 is 3% of £750,000"),
            "{got:?}"
        );
        // A whole narrowed in words no label says, or pointed back to, is not looked for.
        assert!(run("The fee of £22,500 is 4% of the budget of the five schemes.").is_empty());
        assert!(run("The fee of £22,500 is 4% of its budget.").is_empty());
        // The part may be the amount of the sentence before, when the words name it.
        let got = run("The scheme fee is £22,500 this year. The fee is 4% of the scheme budget.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            run("The scheme fee is £22,500 this year. The fee is 3% of the scheme budget.")
                .is_empty()
        );
    }
}

#[cfg(test)]
mod qualifiers {
    use super::super::testing::checked;

    #[test]
    fn a_count_after_a_qualifier_is_no_whole() {
        let text = "Against a national average of 50% of plans finished in 20 weeks, last month we finished 90% of plans within 20 weeks.";
        assert!(checked(text).is_empty(), "{:?}", checked(text));
        let got = checked("We finished 63 plans, 95% of the 70 plans due.");
        assert_eq!(got.len(), 1, "{got:?}");
    }
}

#[cfg(test)]
mod change_clauses {
    use super::super::testing::checked;

    #[test]
    fn a_percentage_of_a_change_is_of_where_the_change_started() {
        // Two changes in one sentence, the verb said once: each percentage is its own step on
        // its own start, never a share of the other clause's amount.
        assert!(checked("The allotment rent will rise by £4.00 to £84.00 (5.0%), and the garden waste charge by £3.00 to £48.00 (6.7%).").is_empty());
        let got = checked("The allotment rent will rise by £4.00 to £84.00 (5.0%), and the garden waste charge by £3.00 to £48.00 (5.0%).");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("6.7%") && got[0].contains("5.0%"),
            "{got:?}"
        );
    }

    #[test]
    fn a_change_whose_start_is_not_given_is_left_alone() {
        // "up £X (P%)" and "to £Y (P%)" give no start: nothing in the sentence is its whole.
        assert!(checked("Spending rises most on libraries, up £45,000 (9.1%), and on museums, up £44,000 (18.3%).").is_empty());
        assert!(checked(
            "The pitch fee will rise to £1,240.00 (3.8%) and the pavilion fee to £880.00 (4.1%)."
        )
        .is_empty());
        // Two levels and no step: the percentage may be of something else.
        assert!(checked("Borrowing rises from £121.9bn (4.5% of GDP) to £127.5bn, before falling back to £70.6bn (2.1%).").is_empty());
    }

    #[test]
    fn a_share_said_of_a_clause_is_of_its_head_not_of_an_aside() {
        // The percentage is the clause's head amount's share; the amount in the aside is a part.
        assert!(checked("The project costs £2,000,000. Grants of £1,500,000, including a lottery award of £600,000, meet 75% of the cost.").is_empty());
    }
}
