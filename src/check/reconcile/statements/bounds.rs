//! Bounds ("more than £1m", "up to £15,000", "not exceeding £10.5m"): a claim about a quantity,
//! never a figure, checked against the quantity it is said of; a rule's threshold is none.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::super::facts::{Fact, Kind};
use super::super::named::Rows;
use super::super::policy::POLICY;
use super::super::prose::{per_unit, words_after};
use super::super::prose::{Claim, Prose};
use super::values;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::Qualifier;
use crate::model::ReportMeta;

/// Which way a bound points, and whether it includes its own value.
fn direction(written: &str) -> Option<(bool, bool)> {
    let w = written.trim().to_ascii_lowercase();
    // "exceed", "exceeds", "exceeded", "exceeding".
    let lower = ["over", "more than", "exceed", "in excess of", "above"];
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
pub(super) fn bounds<'r>(
    prose: &Prose,
    s: usize,
    facts: &[Fact],
    rows: &dyn Fn() -> &'r Rows,
    report: Option<&ReportMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let sentence = &prose.sentences[s];
    for &i in &sentence.claims {
        let bound = &prose.claims[i];
        if bound.money.qualifier != Qualifier::Bound {
            continue;
        }
        let Some((_, shown, holds)) = bound_subject(prose, i, facts, rows, report) else {
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
pub fn bound_subject<'r>(
    prose: &Prose,
    i: usize,
    facts: &[Fact],
    rows: &dyn Fn() -> &'r Rows,
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
    // "up to £1,250 a week", "up to £1,000 per household": a bound on a rate is of a rate
    // given per the same unit, never of a total.
    let rate = |c: &Claim| words_after(text, c.at.end).and_then(per_unit);
    let unit = rate(bound);
    let amounts: Vec<&Claim> = amounts.into_iter().filter(|c| rate(c) == unit).collect();
    let beside = amounts
        .iter()
        .copied()
        .find(|c| {
            let after = text.get(bound.at.end..c.at.start).map(str::trim);
            let before = text.get(c.at.end..bound.at.start);
            after == Some("(") || before.is_some_and(|b| b.trim() == "(" || LINKING.is_match(b))
        })
        .or_else(|| said_of(text, bound, &amounts, inclusive && !lower));
    // A fact the words name is the bound's subject only where it is of the bound's size.
    let sized = |(v, shown): (Decimal, String)| {
        let scale = Decimal::from(POLICY.bound_scale.value);
        let (v_abs, b_abs) = (v.abs(), bound.money.value.abs());
        let close = v_abs.checked_mul(scale).is_some_and(|x| x > b_abs)
            && b_abs.checked_mul(scale).is_some_and(|x| x > v_abs);
        close.then_some((v, shown))
    };
    let subject: (Decimal, String) = match (beside, &unit) {
        (Some(c), _) => Some((c.money.value, c.written.trim().to_string())),
        (None, Some(unit)) => rate_fact(prose, i, facts, unit).and_then(sized),
        (None, None) => key_decision_subject(text, sentence.range.clone(), facts, report)
            .or_else(|| named_fact(prose, i, facts).and_then(sized))
            .or_else(|| named_sum(prose, i, facts, rows()).and_then(sized)),
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
    Regex::new(r"(?i)(?:(?-u:\b)[a-z]{3,}s\s+(?:of|worth|valued\s+at|costing|exceeding|above|over|below|under)?\s*$|(?-u:\b)(?:thresholds?|limits?|delegat\w*|ceilings?|caps?|maximum|minimum|rules?|standing\s+orders?|procurement|any|each|every|per|individual|allow\w*|permit\w*|where|if|when|quot\w*|could|can|may|eligible|apply|applications?)(?-u:\b))")
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
        .filter(|f| super::super::subject::names_in_full(subject, f.words()))
        .map(|f| (f, super::super::subject::agreement(subject, f.words())))
        // Of two facts named in full ("County Council prudential borrowing for highways
        // structural maintenance … will not exceed £8.1m"), the one whose label the sentence
        // says more words of is the more specific subject; then the nearer words.
        .max_by_key(|(_, a)| (a.shared.len(), a.score))
        .map(|(f, _)| (f.value, f.shown()))
}

/// The fact a bound on a rate names: one its words name in full whose label says it is per
/// that unit ("Current price per tonne"). A rule's threshold names none.
fn rate_fact(prose: &Prose, i: usize, facts: &[Fact], unit: &str) -> Option<(Decimal, String)> {
    let unit = super::super::subject::stem(unit)?;
    if is_rule(prose, i) {
        return None;
    }
    let subject = prose.subject(i);
    facts
        .iter()
        .filter(|f| !matches!(f.kind, Kind::Threshold | Kind::Mention))
        .filter(|f| f.words().stems.contains(&unit))
        .filter(|f| super::super::subject::names_in_full(subject, f.words()))
        .map(|f| (f, super::super::subject::agreement(subject, f.words())))
        .max_by_key(|(_, a)| a.score)
        .map(|(f, _)| (f.value, f.shown()))
}

/// The sum of the cells of one column whose rows the bound's clause names ("the two-year
/// extension is worth more than £0.9m": the two extension years), when its words name one
/// such sum. A rule's threshold names none.
fn named_sum(prose: &Prose, i: usize, facts: &[Fact], rows: &Rows) -> Option<(Decimal, String)> {
    if is_rule(prose, i) {
        return None;
    }
    let subject = prose.subject(i);
    let periods = prose.periods(i);
    let sums: Vec<_> = rows
        .sums(facts, &subject.near)
        .into_iter()
        .filter(|s| {
            let first = &facts[s.parts[0]];
            !super::super::subject::periods_differ(periods, &first.words().periods)
        })
        .collect();
    let first = sums.first()?;
    let value = first.explanation.value;
    if sums.iter().any(|s| s.explanation.value != value) {
        return None;
    }
    Some((value, first.explanation.text.clone()))
}

/// The verdict on a bound: what it was checked against, and whether it holds.
pub fn bound_verdict(
    judge: &super::super::judge::Judge,
    prose: &Prose,
    i: usize,
    report: Option<&ReportMeta>,
) -> crate::model::verdict::Verdict {
    match bound_subject(prose, i, judge.facts, &|| judge.rows(), report) {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{checked, prose};
    use super::*;

    #[test]
    fn a_bound_true_of_its_amount_passes() {
        assert!(checked("At £434,000, the reduction is more than £400,000.").is_empty());
        assert!(checked("The cost, £2.5m, is less than £3m.").is_empty());
    }

    #[test]
    fn a_bound_false_of_its_amount_is_a_finding() {
        let got = checked("At £434,000, the reduction is more than £450,000.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("C0404"), "{got:?}");
    }

    #[test]
    fn directions_and_their_negation() {
        assert_eq!(direction("more than £1m"), Some((true, false)));
        assert_eq!(direction("up to £1m"), Some((false, true)));
        assert_eq!(direction("at least £1m"), Some((true, true)));
        for exceed in ["exceed £1m", "exceeds £1m", "exceeded £1m", "exceeding £1m"] {
            assert_eq!(direction(exceed), Some((true, false)), "{exceed}");
        }
        assert!(negated("a value not ", 12));
        assert!(!negated("a value ", 8));
    }

    #[test]
    fn a_rule_threshold_is_told_from_a_bound_on_a_figure() {
        let p = prose("Contracts of more than £250,000 need Cabinet approval.");
        assert!(is_rule(&p, 0));
        let p = prose("The scheme will cost more than £250,000.");
        assert!(!is_rule(&p, 0));
    }

    fn cell(value: i64, row: usize, label: &str) -> Fact {
        let mut f = Fact::of(
            Decimal::from(value),
            Decimal::ONE,
            format!("“{label}”"),
            Kind::Cell,
        )
        .about(format!("{label} Value"));
        f.row_of = label.to_string();
        f.place = Some(super::super::super::facts::Place {
            table: 0,
            column: 1,
            row,
            covered_by: None,
            subtotal: false,
            grand: false,
        });
        f
    }

    fn with_facts(text: &str) -> Vec<String> {
        let facts = [
            cell(422_500, 0, "2027/28"),
            cell(436_500, 1, "2028/29 (extension)"),
            cell(443_500, 2, "2029/30 (extension)"),
            cell(4_870_000, 3, "Increase in Social Care Grant"),
        ];
        let p = prose(text);
        let mut out = Vec::new();
        super::super::check(&p, &facts, None, &[], &mut out);
        super::super::testing::said(&out)
    }

    #[test]
    fn a_bound_is_checked_only_against_a_quantity_of_its_size_and_unit() {
        // The rows its words name, added up.
        let got = with_facts("The two-year extension is worth more than £0.9m.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("£443,500 + £436,500 = £880,000"), "{got:?}");
        assert!(with_facts("The two-year extension is worth more than £0.8m.").is_empty());
        // A cap per week is no bound on a grant's total.
        let rate = "Rates above the standard rates for social care grant placements may be agreed, up to £1,250 a week.";
        assert!(with_facts(rate).is_empty(), "{:?}", with_facts(rate));
        // A fact its words name, of its size, is checked; of another size, not.
        assert_eq!(
            with_facts("The social care grant increase is more than £40m.").len(),
            1
        );
        assert!(with_facts("The social care grant increase is less than £100m.").is_empty());
        assert!(with_facts("The social care grant increase is more than £100m.").is_empty());
    }
}
