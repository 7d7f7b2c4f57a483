//! Shares a sentence states: "P% of £X …, £Y", "£Y is P% of … £X", "70% (£318,750)", a share of
//! a whole named by words ("7% of the total fund"), and counts with their percentage ("2,162 of
//! 2,612 families, 83%").

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::facts::{Fact, Kind};
use super::super::prose::{Claim, Number, Prose};
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
    let words = super::super::subject::Words::of(&caps["words"]);
    let specific: Vec<&String> = super::super::subject::specific(&words).collect();
    let named = |f: &&Fact| {
        let label = f.words();
        specific
            .iter()
            .all(|w| label.stems.contains(w) || label.context.contains(w))
            && !super::super::subject::periods_differ(&words.periods, &label.periods)
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
            let b = counts.iter().find(|n| {
                n.at.start >= p.at.end
                    && text
                        .get(p.at.end..n.at.start)
                        .is_some_and(|t| PCT_OF.is_match(t))
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
        assert!(got[0].starts_with("C0408: 260 of 557 is 47%, not 49%"), "{got:?}");
    }
}
