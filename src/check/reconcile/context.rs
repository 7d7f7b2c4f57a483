//! What an amount is read with: the other amounts of its sentence and paragraph, the counts
//! and percentages that may multiply it, and what its words say of arithmetic.

use rust_decimal::Decimal;

use super::facts::{Fact, Kind};
use super::policy::POLICY;
use super::prose::{self, Prose};
use super::search::{self, Cue, Factor};
use crate::model::money::Qualifier;

/// What an amount is read with: the other amounts of its sentence, those before it in its
/// paragraph, its sentence's counts and percentages, and what its words say of arithmetic.
pub struct Context {
    pub sentence: Vec<Fact>,
    pub earlier: Vec<Fact>,
    pub factors: Vec<Factor>,
    pub cue: Cue,
}

impl Context {
    #[cfg(test)]
    pub fn empty() -> Context {
        Context {
            sentence: Vec::new(),
            earlier: Vec::new(),
            factors: Vec::new(),
            cue: Cue::default(),
        }
    }
}

/// The other amounts of a claim's sentence (facts for it), its counts and percentages, and
/// what its words say of arithmetic.
pub fn context(prose: &Prose, claim: usize, slipped: &[usize]) -> Context {
    let c = &prose.claims[claim];
    let sentence = &prose.sentences[c.sentence];
    let (same, before) = nearby(prose, claim, slipped);
    // Large counts ("639,116 properties") multiply only amounts precise enough to tell.
    let precise = search::significant_digits(&c.money) >= 3;
    let counts = nearest(&sentence.counts, c.at.start);
    let percents = nearest(&sentence.percents, c.at.start);
    let mut factors = count_factors(counts, precise);
    if precise {
        factors.extend(count_pair_factors(counts));
    }
    factors.extend(per_unit_factors(prose, claim));
    factors.extend(percent_factors(percents));
    factors.extend(percent_factors(same_percentage_as_before(
        prose, c.sentence,
    )));
    // "most households pay at least 20% of their council tax. For a Band C home (£1,944.61 a
    // year) that is £388.92 a year": a precise amount may be its sentence's amount times the
    // percentage of the sentence before (never the paper's facts at large: chance could).
    if precise && sentence.percents.is_empty() {
        let before = c.sentence.checked_sub(1).map(|b| &prose.sentences[b]);
        if let Some(b) = before.filter(|b| b.passage == sentence.passage) {
            factors.extend(percent_factors(&b.percents).into_iter().map(|mut f| {
                f.direct = false;
                f.borrowed = true;
                f
            }));
        }
    }
    Context {
        sentence: same,
        earlier: before,
        factors,
        cue: sentence.cue,
    }
}

/// The amounts of a claim's sentence nearest it (at most `Policy::sentence_amounts`; none in
/// a sentence that is a list), then those before it in its paragraph (at most
/// `Policy::earlier_amounts`), as facts: leaving out bounds and any amount already found to be
/// a slip. The cost is the same for every claim however long its sentence.
fn nearby(prose: &Prose, claim: usize, slipped: &[usize]) -> (Vec<Fact>, Vec<Fact>) {
    let c = &prose.claims[claim];
    let sentence = &prose.sentences[c.sentence];
    let passage = sentence.passage;
    let first = sentence.claims.first().copied().unwrap_or(claim);
    // A passage's claims are consecutive, so the walk back stops where its paragraph begins.
    let earlier = (0..first)
        .rev()
        .take_while(|&i| prose.sentences[prose.claims[i].sentence].passage == passage)
        .take(POLICY.earlier_amounts.value);
    let list = sentence.claims.len() > POLICY.sentence_claims.value;
    let own = sentence.claims.binary_search(&claim).unwrap_or(0);
    let reach = POLICY.sentence_amounts.value / 2;
    let window = if list {
        &[][..]
    } else {
        &sentence.claims[own.saturating_sub(reach)..(own + reach + 1).min(sentence.claims.len())]
    };
    let as_fact = |i: usize| {
        let o = &prose.claims[i];
        let mut f = Fact::of(
            o.money.value,
            o.money.unit,
            format!("“{}” nearby", o.written.trim()),
            Kind::Mention,
        );
        f.at = Some(crate::model::verdict::Place {
            file: o.file,
            range: o.range.clone(),
        });
        f
    };
    let usable = |i: &usize| {
        *i != claim
            && slipped.binary_search(i).is_err()
            && prose.claims[*i].money.qualifier != Qualifier::Bound
    };
    let same = window.iter().copied().filter(usable).map(as_fact).collect();
    (same, earlier.filter(usable).map(as_fact).collect())
}

/// Each count of the sentence that multiplies ("for 12 months"), and its inverse; a count
/// over 100 only for an amount `precise` enough to tell.
fn count_factors(counts: &[prose::Number], precise: bool) -> Vec<Factor> {
    let mut factors = Vec::new();
    for n in counts.iter().filter(|n| n.multiplier) {
        if n.value < Decimal::TWO || (n.value > Decimal::from(POLICY.large_count.value) && !precise)
        {
            continue;
        }
        factors.push(Factor {
            value: n.value,
            shown: format!("× {}", n.value),
            percentage: false,
            direct: true,
            borrowed: false,
        });
        if let Some(inv) = Decimal::ONE.checked_div(n.value) {
            factors.push(Factor {
                value: inv,
                shown: format!("÷ {}", n.value),
                percentage: false,
                direct: false,
                borrowed: false,
            });
        }
    }
    factors.extend(part_year_factors(counts));
    factors
}

/// How many of its sentence's counts, and of its percentages, an amount may be multiplied by:
/// those nearest it. A product's count or percentage is said beside its amount ("£317.30 a day
/// for 190 school days", "38 grants of £5,000"); a sentence of dozens of counts lists them, and
/// each amount times each of them would cost the square of the sentence. Six either way is
/// more than any sentence of the seeds, the test sets or the real papers puts around one
/// amount.
const NEAREST_FACTORS: usize = 6;

/// The numbers of `numbers` (in the order they are said) nearest the place `at`: up to
/// `NEAREST_FACTORS` before it and as many after.
fn nearest(numbers: &[prose::Number], at: usize) -> &[prose::Number] {
    prose::around(numbers, NEAREST_FACTORS, |n| n.at.start < at)
}

/// "For seven months … about £83,000": a count of months (weeks, quarters) short of a year
/// takes that part of a year's amount, 7/12 of it.
fn part_year_factors(counts: &[prose::Number]) -> Vec<Factor> {
    counts
        .iter()
        .filter_map(|n| {
            let per = Decimal::from(n.per_year?);
            if n.value < Decimal::ONE || n.value >= per {
                return None;
            }
            Some(Factor {
                value: n.value.checked_div(per)?,
                shown: format!("× {}/{per}", n.value),
                percentage: false,
                direct: true,
                borrowed: false,
            })
        })
        .collect()
}

/// Rates per a stretch of time are not worked out from counts of things.
const TIME_UNITS: &[&str] = &["year", "month", "week", "day", "hour", "quarter"];

/// "an average of £6,496", "£3,303 per lift", "about £260k per kilometre": a rate or an
/// average is a total ÷ a count. For a rate per a unit, the counts of that unit said earlier
/// in its paragraph and the count a table's total row gives of it; for an average, any count
/// said earlier in its paragraph. Each divides the amounts nearby (`÷ n`), never the paper's
/// facts at large.
fn per_unit_factors(prose: &Prose, claim: usize) -> Vec<Factor> {
    let c = &prose.claims[claim];
    let unit = prose
        .rate(claim)
        .filter(|u| !TIME_UNITS.contains(&u.as_str()));
    let passage = &prose.passages[prose.sentences[c.sentence].passage];
    let clause = prose.clause(claim);
    let average = passage
        .text
        .get(clause)
        .is_some_and(|t| t.to_ascii_lowercase().contains("average"));
    if unit.is_none() && !average {
        return Vec::new();
    }
    let fits = |n: &prose::Number| {
        n.multiplier
            && n.value >= Decimal::TWO
            && unit.as_ref().is_none_or(|u| n.noun.as_ref() == Some(u))
    };
    let mut counts: Vec<Decimal> = (0..c.sentence)
        .rev()
        .take_while(|&s| prose.sentences[s].passage == prose.sentences[c.sentence].passage)
        .flat_map(|s| prose.sentences[s].counts.iter().rev().filter(|n| fits(n)))
        .map(|n| n.value)
        .take(NEAREST_FACTORS)
        .collect();
    if let Some(u) = &unit {
        counts.extend(
            prose
                .counted
                .iter()
                .filter(|(n, _)| n == u)
                .map(|(_, v)| *v),
        );
    }
    counts.sort();
    counts.dedup();
    counts
        .into_iter()
        .filter_map(|n| {
            Some(Factor {
                value: Decimal::ONE.checked_div(n)?,
                shown: format!("÷ {n}"),
                percentage: false,
                direct: false,
                borrowed: false,
            })
        })
        .collect()
}

/// Two counts of the sentence together ("104 swims … a year, … a month"): their product or
/// ratio multiplies too (for amounts precise enough to tell).
fn count_pair_factors(counts: &[prose::Number]) -> Vec<Factor> {
    let counts: Vec<Decimal> = counts
        .iter()
        .filter(|n| n.multiplier && n.value >= Decimal::TWO)
        .map(|n| n.value)
        .take(4)
        .collect();
    let mut factors = Vec::new();
    for (i, a) in counts.iter().enumerate() {
        for b in &counts[i + 1..] {
            for (value, shown) in [
                (a.checked_mul(*b), format!("× {a} × {b}")),
                (a.checked_div(*b), format!("× {a} ÷ {b}")),
                (b.checked_div(*a), format!("× {b} ÷ {a}")),
            ] {
                if let Some(value) = value {
                    factors.push(Factor {
                        value,
                        shown,
                        percentage: false,
                        direct: false,
                        borrowed: false,
                    });
                }
            }
        }
    }
    factors
}

/// The percentages of the last sentence before `s` (at most five back) that gives any, when
/// sentence `s` (which gives none) says "the same percentage".
fn same_percentage_as_before(prose: &Prose, s: usize) -> &[prose::Number] {
    // "rise by the same percentage, from £9.60 to £9.86": read once per sentence (`Cue`).
    let sentence = &prose.sentences[s];
    if !sentence.cue.same_percentage || !sentence.percents.is_empty() {
        return &[];
    }
    prose.sentences[s.saturating_sub(5)..s]
        .iter()
        .rev()
        .map(|t| t.percents.as_slice())
        .find(|p| !p.is_empty())
        .unwrap_or(&[])
}

/// Each percentage as a share, an increase, a decrease and a divisor, and the undoing of an
/// increase or a decrease.
fn percent_factors(percents: &[prose::Number]) -> Vec<Factor> {
    let mut factors = Vec::new();
    for p in percents {
        let Some(share) = p.value.checked_div(Decimal::ONE_HUNDRED) else {
            continue;
        };
        let pct = p.value.normalize();
        let mut add = |value: Option<Decimal>, shown: String| {
            if let Some(value) = value.filter(|v| *v > Decimal::ZERO) {
                let direct = shown.starts_with("× ") && !shown.contains('(');
                factors.push(Factor {
                    value,
                    shown,
                    percentage: true,
                    direct,
                    borrowed: false,
                });
            }
        };
        add(Some(share), format!("× {pct}%"));
        add(
            Decimal::ONE.checked_add(share),
            format!("× (100% + {pct}%)"),
        );
        add(
            Decimal::ONE.checked_sub(share),
            format!("× (100% − {pct}%)"),
        );
        add(Decimal::ONE.checked_div(share), format!("÷ {pct}%"));
        // Where a change started: "rise by 2.7%, from £9.60 to £9.86" is £9.86 ÷ 102.7%.
        add(
            Decimal::ONE
                .checked_add(share)
                .and_then(|k| Decimal::ONE.checked_div(k)),
            format!("÷ (100% + {pct}%)"),
        );
        add(
            Decimal::ONE
                .checked_sub(share)
                .and_then(|k| Decimal::ONE.checked_div(k)),
            format!("÷ (100% − {pct}%)"),
        );
    }
    factors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::reconcile::search::Index;

    /// How the amount written `amount` in `text` is explained by its sentence and paragraph
    /// (no facts of the paper), with the table counts `counted`.
    fn worked_out(text: &str, amount: &str, counted: &[(&str, u32)]) -> Option<String> {
        let mut p = Prose::default();
        p.add_text(0, text);
        p.counted = counted
            .iter()
            .map(|(n, v)| (n.to_string(), Decimal::from(*v)))
            .collect();
        let i = p.claims.iter().position(|c| c.written.trim() == amount)?;
        let index = Index::new(&[]);
        let cx = context(&p, i, &[]);
        index.explain(&p.claims[i].money, &cx).map(|e| e.text)
    }

    #[test]
    fn an_average_is_a_total_divided_by_a_count_of_its_paragraph() {
        let before =
            "Small grants: 38 organisations are recommended for awards totalling £246,850.";
        let text =
            format!("{before} Awards range from £1,200 to £10,000, with an average of £6,496.");
        let got = worked_out(&text, "£6,496", &[]);
        assert!(
            got.as_deref().is_some_and(|t| t.contains("÷ 38")),
            "{got:?}"
        );
        let text =
            format!("{before} Awards range from £1,200 to £10,000, with an average of £6,596.");
        assert_eq!(worked_out(&text, "£6,596", &[]), None);
        // A count of any noun multiplies or divides an amount of its sentence.
        let text = "Large grants: 11 organisations are recommended for awards totalling £402,600, an average of £36,600.";
        assert!(worked_out(text, "£36,600", &[]).is_some());
    }

    #[test]
    fn a_bare_number_after_of_the_n_nouns_counts_those_nouns() {
        let text = "Of the 64 applications, 40 (62.5%) are recommended. The grants total \
                    £439,025. The average grant is £10,976.";
        let got = worked_out(text, "£10,976", &[]);
        assert!(
            got.as_deref().is_some_and(|t| t.contains("÷ 40")),
            "{got:?}"
        );
        // A number with nothing counted before it counts nothing.
        let text = "In 2026, 40 (62.5%) are recommended. The grants total £439,025. The \
                    average grant is £10,976.";
        assert_eq!(worked_out(text, "£10,976", &[]), None);
    }

    #[test]
    fn a_rate_is_a_total_divided_by_a_count_of_its_unit() {
        let before = "Resurfacing costs £15.94m for 118 schemes and 61.4 km.";
        let text = format!("{before} The average cost is about £260k per kilometre.");
        let got = worked_out(&text, "about £260k", &[]);
        assert!(
            got.as_deref().is_some_and(|t| t.contains("÷ 61.4")),
            "{got:?}"
        );
        let text = format!("{before} It costs about £135k per scheme.");
        assert!(worked_out(&text, "about £135k", &[]).is_some());
        // A count of another unit does not divide it.
        let text = format!("{before} It costs about £260k per scheme.");
        assert_eq!(worked_out(&text, "about £260k", &[]), None);
        // A table's total count of the unit does.
        let text = "The annual value of £1,460,000 is £68,000 more than now. It is an average of £3,303 per lift a year.";
        assert!(worked_out(text, "£3,303", &[("lift", 442)]).is_some());
        assert_eq!(worked_out(text, "£3,303", &[("home", 442)]), None);
    }

    #[test]
    fn a_precise_amount_may_take_the_percentage_of_the_sentence_before() {
        let text = "Most households pay 20% of their council tax. For a Band C home (£1,944.61 a year) that is £388.92 a year.";
        assert!(worked_out(text, "£388.92", &[]).is_some());
        let text = "Most households pay 25% of their council tax. For a Band C home (£1,944.61 a year) that is £388.92 a year.";
        assert_eq!(worked_out(text, "£388.92", &[]), None);
    }

    #[test]
    fn a_precise_amount_may_add_to_one_said_earlier_in_its_paragraph() {
        let text = "The reserve is forecast to be £14.54m at 31 March 2026. With the planned surplus of £1.0m it would be £15.54m.";
        assert!(worked_out(text, "£15.54m", &[]).is_some());
        let text = "The reserve is forecast to be £14.54m at 31 March 2026. With the planned surplus of £1.0m it would be £15.64m.";
        assert_eq!(worked_out(text, "£15.64m", &[]), None);
        // A coarse amount is not worked out so: too many such sums would make it by chance.
        let text = "The reserve is forecast to be £14m at 31 March 2026. With the planned surplus of £1m it would be £15m.";
        assert_eq!(worked_out(text, "£15m", &[]), None);
    }
}
