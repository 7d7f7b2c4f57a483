//! Every figure explained. Each amount a report or record states in prose gets one verdict:
//!
//! - **explained**: at the precision written it equals a fact of the paper (a table cell, a
//!   named figure, declared spending or saving, an amount acknowledged as from outside) or an
//!   arithmetic combination of them (`search`);
//! - **likely slip** (C0401, C0408 for a percentage): not explained, but one edit away from an
//!   explanation (`slips`), reported with the arithmetic and the fix;
//! - **unexplained**: a warning in a report (C0403), acknowledged by listing the amount under
//!   `outside_amounts:`; an error in a record (C0402), which must repeat its report.
//!
//! Bounds ("over £1m") explain nothing and are checked as claims, and prose that states its
//! own arithmetic (a sum and its parts, a count and its percentage) is checked too
//! (`statements`). All arithmetic is checked: no amount, however large, can overflow.

mod columns;
mod facts;
mod prose;
pub mod search;
mod slips;
mod statements;

use rust_decimal::Decimal;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, format_gbp, round_to_unit, Money, Qualifier};
use crate::model::{AmountNote, DecisionMeta, ReportMeta, Source};
use facts::{Fact, Kind};
use prose::{Claim, Prose};
use search::{Cue, Explanation, Factor, Index};
use slips::Edit;

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    run(cx).0
}

/// Every amount of the paper's prose with its verdict and what explains it, for the review page.
pub fn verdicts(cx: &PaperContext) -> Vec<AmountNote> {
    run(cx).1
}

fn run(cx: &PaperContext) -> (Vec<Diagnostic>, Vec<AmountNote>) {
    let mut notes = Vec::new();
    let Some(report) = &cx.paper.report else {
        return (Vec::new(), notes);
    };
    let mut out = Vec::new();
    let facts = facts::report_facts(cx);
    let said = report_prose(cx, report);
    let slipped = reconcile(&facts, &said, Role::Report, &mut out, &mut notes);
    columns::check(report.file, &report.body, &mut out);
    statements::repeated_counts(&said, &mut out);
    statements::check(&said, &facts, Some(&report.meta), &slipped, &mut out);

    if let Some(decision) = &cx.paper.decision {
        let mut known = facts;
        known.extend(facts::table_facts(
            &decision.body,
            "the record's",
            report.body.tables.len(),
        ));
        // What the report says in prose is something the record may repeat, unless it is
        // itself a slip: a bound too ("grants of up to £15,000" in the report, "a maximum
        // grant of £15,000" in the record), which explains nothing in the report itself.
        let repeatable = said
            .claims
            .iter()
            .enumerate()
            .filter(|(i, _)| slipped.binary_search(i).is_err())
            .map(|(_, c)| c);
        known.extend(repeatable.map(|c| Fact {
            value: c.money.value,
            unit: c.money.significant_unit(),
            label: format!("the report's “{}”", c.written.trim()),
            kind: Kind::Mention,
            place: None,
        }));
        let recorded = record_prose(cx, decision);
        let slipped = reconcile(&known, &recorded, Role::Record, &mut out, &mut notes);
        statements::check(&recorded, &known, None, &slipped, &mut out);
    }
    (out, notes)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Report,
    Record,
}

fn report_prose(cx: &PaperContext, report: &Source<ReportMeta>) -> Prose {
    let mut p = Prose::default();
    p.add_body(report.file, &report.body);
    for rec in &report.meta.recommendations {
        p.add_value(cx, report, &rec.text);
        if let Some(d) = &rec.decision {
            p.add_value(cx, report, d);
        }
    }
    if let Some(reason) = &report.meta.key_decision_reason {
        p.add_value(cx, report, reason);
    }
    p
}

fn record_prose(cx: &PaperContext, decision: &Source<DecisionMeta>) -> Prose {
    let mut p = Prose::default();
    p.add_body(decision.file, &decision.body);
    let m = &decision.meta;
    for item in &m.decisions {
        if let Some(t) = &item.text {
            p.add_value(cx, decision, t);
        }
    }
    for field in [&m.reasons, &m.alternatives, &m.key_decision_reason]
        .into_iter()
        .flatten()
    {
        p.add_value(cx, decision, field);
    }
    p
}

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
    fn empty() -> Context {
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
fn context(prose: &Prose, claim: usize, slipped: &[usize]) -> Context {
    let c = &prose.claims[claim];
    let sentence = &prose.sentences[c.sentence];
    let (same, before) = nearby(prose, claim, slipped);
    // Large counts ("639,116 properties") multiply only amounts precise enough to tell.
    let precise = search::significant_digits(&c.money) >= 3;
    let mut factors = count_factors(sentence, precise);
    if precise {
        factors.extend(count_pair_factors(sentence));
    }
    factors.extend(percent_factors(&sentence.percents));
    factors.extend(percent_factors(same_percentage_as_before(
        prose, c.sentence,
    )));
    Context {
        sentence: same,
        earlier: before,
        factors,
        cue: sentence.cue,
    }
}

/// The other amounts of a claim's sentence, then those before it in its paragraph (at most
/// eight), as facts: leaving out bounds and any amount already found to be a slip.
fn nearby(prose: &Prose, claim: usize, slipped: &[usize]) -> (Vec<Fact>, Vec<Fact>) {
    let c = &prose.claims[claim];
    let sentence = &prose.sentences[c.sentence];
    let passage = sentence.passage;
    // A passage's claims are consecutive, so the walk back stops where its paragraph begins.
    let earlier = (0..claim)
        .rev()
        .take_while(|&i| prose.sentences[prose.claims[i].sentence].passage == passage)
        .filter(|&i| prose.claims[i].sentence != c.sentence)
        .take(8);
    let as_fact = |i: usize| {
        let o = &prose.claims[i];
        Fact {
            value: o.money.value,
            unit: o.money.unit,
            label: format!("“{}” nearby", o.written.trim()),
            kind: Kind::Mention,
            place: None,
        }
    };
    let usable = |i: &usize| {
        *i != claim
            && slipped.binary_search(i).is_err()
            && prose.claims[*i].money.qualifier != Qualifier::Bound
    };
    let same = sentence
        .claims
        .iter()
        .copied()
        .filter(usable)
        .map(as_fact)
        .collect();
    (same, earlier.filter(usable).map(as_fact).collect())
}

/// Each count of the sentence that multiplies ("for 12 months"), and its inverse; a count
/// over 100 only for an amount `precise` enough to tell.
fn count_factors(sentence: &prose::Sentence, precise: bool) -> Vec<Factor> {
    let mut factors = Vec::new();
    for n in sentence.counts.iter().filter(|n| n.multiplier) {
        if n.value < Decimal::TWO || (n.value > Decimal::ONE_HUNDRED && !precise) {
            continue;
        }
        factors.push(Factor {
            value: n.value,
            shown: format!("× {}", n.value),
            percentage: false,
            direct: true,
        });
        if let Some(inv) = Decimal::ONE.checked_div(n.value) {
            factors.push(Factor {
                value: inv,
                shown: format!("÷ {}", n.value),
                percentage: false,
                direct: false,
            });
        }
    }
    factors.extend(part_year_factors(sentence));
    factors
}

/// "For seven months … about £83,000": a count of months (weeks, quarters) short of a year
/// takes that part of a year's amount, 7/12 of it.
fn part_year_factors(sentence: &prose::Sentence) -> Vec<Factor> {
    sentence
        .counts
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
            })
        })
        .collect()
}

/// Two counts of the sentence together ("104 swims … a year, … a month"): their product or
/// ratio multiplies too (for amounts precise enough to tell).
fn count_pair_factors(sentence: &prose::Sentence) -> Vec<Factor> {
    let counts: Vec<Decimal> = sentence
        .counts
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
                    });
                }
            }
        }
    }
    factors
}

/// "rise by the same percentage, from £9.60 to £9.86": the sentence's percentage is the last
/// one the paper gave, within the few sentences before.
static SAME_PERCENTAGE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?-u:\b)(?:the\s+same|that|this)\s+(?:percentage|rate|proportion|uplift|increase|rise)(?-u:\b)")
        .expect("valid")
});

/// The percentages of the last sentence before `s` (at most five back) that gives any, when
/// sentence `s` (which gives none) says "the same percentage".
fn same_percentage_as_before(prose: &Prose, s: usize) -> &[prose::Number] {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let says = text
        .get(sentence.range.clone())
        .is_some_and(|t| SAME_PERCENTAGE.is_match(t));
    if !says || !sentence.percents.is_empty() {
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

/// Gives every amount of `prose` its verdict; returns the claims found to be slips.
fn reconcile(
    facts: &[Fact],
    prose: &Prose,
    role: Role,
    out: &mut Vec<Diagnostic>,
    notes: &mut Vec<AmountNote>,
) -> Vec<usize> {
    let index = Index::new(facts);
    let stated = statements::consistent_members(prose);
    let mut warned: std::collections::BTreeSet<Decimal> = Default::default();
    // Amounts explained once: said again ("increased by 2.7% to £9.86" in a recommendation,
    // after the body's "from £9.60 to £9.86"), the same amount needs no second explanation.
    let mut explained: std::collections::BTreeSet<Decimal> = Default::default();
    let mut slipped = Vec::new();
    for (i, claim) in prose.claims.iter().enumerate() {
        let v = if claim.money.qualifier == Qualifier::Bound {
            bound_verdict(&index, claim)
        } else {
            let cx = context(prose, i, &slipped);
            let mut v = amount_verdict(&index, claim, &cx, role, &stated, &mut warned);
            if v.verdict == "unexplained" && explained.contains(&claim.money.value) {
                v = Verdict::quiet("explained", "the same amount as explained above".into());
            }
            match v.verdict {
                "likely slip" => slipped.push(i),
                "explained" => {
                    explained.insert(claim.money.value);
                }
                _ => {}
            }
            v
        };
        notes.push(AmountNote {
            file: claim.file,
            range: claim.range.clone(),
            written: claim.written.trim().to_string(),
            verdict: v.verdict,
            explanation: v.explanation,
        });
        out.extend(v.finding);
    }
    slipped
}

/// What clerk says of one amount: its verdict for the review page, why, and the finding if
/// there is one.
struct Verdict {
    verdict: &'static str,
    explanation: String,
    finding: Option<Diagnostic>,
}

impl Verdict {
    fn quiet(verdict: &'static str, explanation: String) -> Verdict {
        Verdict {
            verdict,
            explanation,
            finding: None,
        }
    }

    fn slip(d: Diagnostic) -> Verdict {
        Verdict {
            verdict: "likely slip",
            explanation: d.message.clone(),
            finding: Some(d),
        }
    }
}

/// A bound ("over £2m"): checked against what it is said of, never a figure.
fn bound_verdict(index: &Index, claim: &Claim) -> Verdict {
    match bound_slip(index, claim) {
        Some(d) => Verdict::slip(d),
        None => Verdict::quiet(
            "bound",
            "a bound: checked against what it is said of, never a figure".into(),
        ),
    }
}

/// An amount explained by the paper's facts, or one edit from one (a slip), or stated with
/// parts that add up, or unexplained: a record's amount is always reported, a report's once
/// per value (`warned`).
fn amount_verdict(
    index: &Index,
    claim: &Claim,
    cx: &Context,
    role: Role,
    stated: &[Decimal],
    warned: &mut std::collections::BTreeSet<Decimal>,
) -> Verdict {
    if let Some(e) = index.explain(&claim.money, cx) {
        return Verdict::quiet("explained", e.text);
    }
    if let Some(d) = slip(index, claim, cx) {
        return Verdict::slip(d);
    }
    // A new figure of the paper's own, given with parts that add up, is its own statement.
    if role == Role::Report && stated.binary_search(&claim.money.value).is_ok() {
        return Verdict::quiet(
            "explained",
            "stated in the paper with parts that add up to it".into(),
        );
    }
    let d = match role {
        Role::Record => Some(not_in_report(claim)),
        Role::Report if warned.insert(claim.money.value) => Some(unexplained(claim)),
        Role::Report => None,
    };
    Verdict {
        verdict: "unexplained",
        explanation: d
            .as_ref()
            .map_or_else(|| "unexplained, as above".into(), |d| d.message.clone()),
        finding: d,
    }
}

/// A sum or difference of two cells of one row or column that the amount is one edit from,
/// where those pairs are few enough for the edit not to be chance.
fn related_slip(index: &Index, claim: &Claim, digits: usize) -> Option<(Edit, Explanation)> {
    let length =
        crate::model::money::digits_at(claim.money.value, claim.money.unit).map_or(0, |d| d.len());
    let family = index.related_count();
    index
        .related_arithmetic()
        .into_iter()
        .filter_map(|e| {
            let edit = slips::relation(&claim.money, e.value, digits)?;
            // Only the likeliest edits: a near miss, or two digits swapped.
            let plausible = match edit {
                Edit::Near => within_written_unit(&claim.money, e.value),
                Edit::Swapped => index.unlikely_among(
                    family,
                    slips::variants(edit, length),
                    claim.money.unit,
                    claim.money.value,
                ),
                _ => false,
            };
            plausible.then_some((edit, e))
        })
        .min_by_key(|(edit, e)| slip_order(*edit, e))
}

/// A ceiling or floor whose amount is a figure of the paper mistyped ("up to £12,000" where the
/// cap is £1,200): the right digits at the wrong scale, or two swapped.
fn bound_slip(index: &Index, claim: &Claim) -> Option<Diagnostic> {
    let m = &claim.money;
    let digits = search::significant_digits(m);
    if digits < 2 {
        return None;
    }
    let exact = Money {
        qualifier: Qualifier::Exact,
        ..m.clone()
    };
    let facts = index.facts();
    if facts
        .iter()
        .any(|f| exact.agrees_with(f.value) || exact.agrees_with(-f.value))
    {
        return None;
    }
    let (edit, fact) = facts
        .iter()
        .filter(|f| f.kind != Kind::Threshold)
        .find_map(|f| match slips::relation(&exact, f.value, digits) {
            // Exactly the figure's digits, not a rounding of them.
            Some(edit @ Edit::Scale(k)) if scaled_exactly(f.value, k) == Some(m.value.abs()) => {
                Some((edit, f))
            }
            Some(edit @ Edit::Swapped) => Some((edit, f)),
            _ => None,
        })?;
    let written = claim.written.trim();
    Some(
        Diagnostic::error(
            Code::NearMiss,
            claim.file,
            claim.range.clone(),
            format!("{written} {} {}", slips::describe(edit), fact.shown()),
        )
        .with_label("one edit away from the paper's figure")
        .with_hint(format!("write {}", like(m, written, fact.value))),
    )
}

/// Whether `x` is within one unit of the last digit written of `m`.
fn within_written_unit(m: &Money, x: Decimal) -> bool {
    m.value
        .abs()
        .checked_sub(x.abs())
        .is_some_and(|d| d.abs() <= m.unit)
}

/// `value` times 10^k, when that is exact.
fn scaled_exactly(value: Decimal, k: i32) -> Option<Decimal> {
    let factor = Decimal::from(10i64.checked_pow(k.unsigned_abs())?);
    if k >= 0 {
        value.abs().checked_mul(factor)
    } else {
        value.abs().checked_div(factor)
    }
}

/// How good a slip's explanation is: the edit first (a near miss is likeliest), then the
/// kind of value (a figure or total before a cell, before arithmetic).
fn slip_order(edit: Edit, e: &Explanation) -> (u8, u8) {
    let edit_rank = match edit {
        Edit::Near => 0,
        Edit::Scale(_) => 1,
        Edit::Swapped => 2,
        Edit::Changed => 3,
        Edit::Added { .. } | Edit::Dropped { .. } => 4,
    };
    (edit_rank, e.rank)
}

/// The likeliest slip behind an unexplained amount: single facts are all weighed against each
/// other; combinations only when no single fact is one edit away.
fn slip(index: &Index, claim: &Claim, cx: &Context) -> Option<Diagnostic> {
    let digits = search::significant_digits(&claim.money);
    let mut best: Option<(Edit, Explanation)> = None;
    index.near(&claim.money, cx, &mut |e, combination| {
        // Singles are all weighed; a combination only when no single fact is one edit away.
        if combination && best.is_some() {
            return true;
        }
        // What a sentence derives from its own figures is closely tied to the amount.
        let d = if e.rank == 3 { digits + 1 } else { digits };
        let edit = slips::relation(&claim.money, e.value, d).filter(|edit| {
            // A combination is a slip only as a near miss; a mistyped digit only where so few
            // amounts are that edit from a fact that chance would rarely make one.
            let length = crate::model::money::digits_at(claim.money.value, claim.money.unit)
                .map_or(0, |d| d.len());
            let arithmetic = e.rank > 3 && !e.local;
            // The sentence's own arithmetic is a handful of values; the facts are many.
            let family = if e.local { 1 } else { index.facts().len() };
            match edit {
                // Arithmetic is a near miss only within the unit written, never by reading a
                // round amount's zeros as rounding ("£150m" is not £146.2m of two cells).
                Edit::Near => !arithmetic || within_written_unit(&claim.money, e.value),
                Edit::Scale(_) => !arithmetic,
                _ => {
                    !arithmetic
                        && index.unlikely_among(
                            family,
                            slips::variants(*edit, length),
                            claim.money.unit,
                            claim.money.value,
                        )
                }
            }
        });
        if let Some(edit) = edit {
            let better = best
                .as_ref()
                .is_none_or(|(be, bx)| slip_order(edit, &e) < slip_order(*be, bx));
            if better {
                best = Some((edit, e));
            }
            return combination;
        }
        false
    });
    if best.is_none() {
        best = related_slip(index, claim, digits);
    }
    let (edit, e) = best?;
    Some(slip_diagnostic(claim, edit, &e))
}

fn slip_diagnostic(claim: &Claim, edit: Edit, e: &Explanation) -> Diagnostic {
    let m = &claim.money;
    let written = claim.written.trim();
    let message = match edit {
        Edit::Near => {
            let diff = (m.value.abs() - e.value.abs()).abs();
            let how = if m.value.abs() < e.value.abs() {
                "short of"
            } else {
                "more than"
            };
            let mut text = format!("{written} is {} {how} {}", format_exact(diff), e.text);
            if let Some(r) = round_to_unit(e.value, m.unit).filter(|_| m.unit >= Decimal::ONE) {
                if diff < m.unit {
                    text.push_str(&format!(
                        ", which is {} at the precision written",
                        like(m, written, r)
                    ));
                }
            }
            text
        }
        _ => format!("{written} {} {}", slips::describe(edit), e.text),
    };
    let code = if e.percentage {
        Code::Percentage
    } else {
        Code::NearMiss
    };
    let label = match edit {
        Edit::Near => "nearly matches, but not at the precision written",
        _ => "one edit away from the paper's figure",
    };
    // A near miss is best mended with the exact figure; a mistyped one in the style written.
    let fix = match edit {
        Edit::Near => format_exact(e.value),
        _ => like(m, written, e.value),
    };
    Diagnostic::error(code, claim.file, claim.range.clone(), message)
        .with_label(label)
        .with_hint(format!(
            "write {fix} (or quote the figure through {{{{ fig.NAME }}}} so it is typed once)"
        ))
}

/// `value` written the way `written` was: "£1.7m" for "£1.6m", "£351k" for "£315k".
fn like(m: &Money, written: &str, value: Decimal) -> String {
    let lower = written.to_ascii_lowercase();
    let scale = if lower.contains("bn") || lower.contains("billion") {
        Some((Decimal::from(1_000_000_000), "bn"))
    } else if lower.contains('m') {
        Some((Decimal::from(1_000_000), "m"))
    } else if lower.contains('k') || lower.contains("thousand") {
        Some((Decimal::from(1_000), "k"))
    } else {
        None
    };
    let unit = m.unit;
    match scale {
        Some((s, suffix)) if unit > Decimal::ZERO => {
            let places = unit.checked_div(s).map_or(0, |u| u.normalize().scale()) as usize;
            match round_to_unit(value, unit).and_then(|r| r.checked_div(s)) {
                Some(r) => format!("£{r:.places$}{suffix}"),
                None => format_exact(value),
            }
        }
        _ => format_gbp(value, unit.normalize().scale()),
    }
}

fn unexplained(claim: &Claim) -> Diagnostic {
    Diagnostic::warning(
        Code::AmountUnexplained,
        claim.file,
        claim.range.clone(),
        format!("{} is not explained by this paper's tables or figures", claim.written.trim()),
    )
    .with_label("from outside the paper?")
    .with_hint("if it comes from outside the paper, list it under `outside_amounts:` in the report's front matter with its source; if it should follow from the paper's own figures, check it")
}

fn not_in_report(claim: &Claim) -> Diagnostic {
    Diagnostic::error(
        Code::DecisionAmountNotInReport,
        claim.file,
        claim.range.clone(),
        format!("{} is stated in the record but not found in its report", claim.written.trim()),
    )
    .with_label("not in the report")
    .with_hint("a record repeats the report's figures, at no greater precision; correct the amount or add it to the report")
}

#[cfg(test)]
mod properties;
