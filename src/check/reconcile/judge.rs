//! The verdict on one amount, graded by the evidence it rests on.
//!
//! - A fact equal to the amount at its precision explains it when its label's words agree with
//!   the amount's subject; by value alone only when the amount is precise (three significant
//!   digits or more) or coarse with that fact its one candidate. A fact of another period
//!   never explains it.
//! - Arithmetic explains it: its own sentence's, or combinations within the reach chance
//!   allows (`search`).
//! - Not explained, it is a **slip** (an error) when one edit from a fact whose words agree, or
//!   from its own sentence's arithmetic; a **possible slip** (a warning) when one edit from a
//!   fact on value alone, and only where chance would rarely put it there (`chance`);
//!   otherwise **unexplained**.

use rust_decimal::Decimal;

use super::chance;
use super::context::Context;
use super::facts::{Fact, Kind};
use super::policy::POLICY;
use super::prose::{Claim, Prose};
use super::search::{self, significant_digits, Explanation, Index};
use super::slips::{self, Edit};
use super::subject::{agreement, Agreement};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::money::{format_exact, format_gbp, round_to_unit, Money};
use crate::model::verdict::{self, Evidence, Linked, Verdict};

/// Everything a verdict is weighed against.
pub struct Judge<'a> {
    pub index: Index<'a>,
    pub facts: &'a [Fact],
    /// The most chance one value-alone verdict may carry (`chance::budget`).
    pub budget: Decimal,
    pub record: bool,
}

/// What the single facts equal to an amount say.
pub enum Single {
    Explained(verdict::Explanation),
    /// A coarse amount several facts equal, none named by its words.
    Ambiguous(Vec<usize>),
    None,
}

/// Rank of a fact's kind: a figure or total first, then a cell, then the rest.
fn rank(kind: Kind) -> u8 {
    match kind {
        Kind::Figure | Kind::Declared | Kind::Total => 0,
        Kind::Cell | Kind::Outside => 1,
        Kind::Mention | Kind::Threshold => 2,
    }
}

/// An engine explanation as the verdict carries it.
pub fn typed(e: &Explanation, evidence: Evidence) -> verdict::Explanation {
    verdict::Explanation {
        kind: e.kind,
        value: e.value,
        text: e.text.clone(),
        place: e.at.clone(),
        evidence,
    }
}

impl Judge<'_> {
    /// The facts equal to claim `i` alone, weighed by their words.
    pub fn single(&self, prose: &Prose, i: usize) -> Single {
        let m = &prose.claims[i].money;
        let ids = self.index.agreeing(m);
        if ids.is_empty() {
            return Single::None;
        }
        let subject = prose.subject(i);
        let scored: Vec<(usize, Agreement)> = ids
            .into_iter()
            .map(|f| (f, agreement(subject, self.facts[f].words())))
            .filter(|(_, a)| !a.contradicts)
            .collect();
        // The council's threshold explains an amount by value only where no other fact does.
        let mut by_value: Vec<&(usize, Agreement)> = scored
            .iter()
            .filter(|(f, _)| self.facts[*f].kind != Kind::Threshold)
            .collect();
        if by_value.is_empty() {
            by_value = scored.iter().collect();
        }
        // Candidates of one value are one candidate.
        let mut values: Vec<Decimal> = by_value.iter().map(|(f, _)| self.facts[*f].value.abs()).collect();
        values.sort();
        values.dedup();
        let Some((best, a)) = scored.iter().max_by_key(|(f, a)| {
            (
                a.agrees(),
                a.score,
                std::cmp::Reverse(rank(self.facts[*f].kind)),
                std::cmp::Reverse(*f),
            )
        }) else {
            return Single::None;
        };
        let coarse = significant_digits(m) <= POLICY.coarse_digits.value;
        let e = search::single(&self.facts[*best]);
        if a.agrees() {
            return Single::Explained(typed(&e, Evidence::Words(a.shared.clone())));
        }
        let Some(&&(pick, _)) = by_value.iter().max_by_key(|(f, a)| {
            (a.score, std::cmp::Reverse(rank(self.facts[*f].kind)), std::cmp::Reverse(*f))
        }) else {
            return Single::None;
        };
        if !coarse || values.len() == 1 {
            let chance = chance::of_edit(m, Edit::Near, values.len());
            let e = search::single(&self.facts[pick]);
            return Single::Explained(typed(
                &e,
                Evidence::Value {
                    candidates: values.len(),
                    chance,
                },
            ));
        }
        Single::Ambiguous(by_value.into_iter().map(|(f, _)| *f).collect())
    }

    /// Arithmetic that explains claim `i`, with the evidence it rests on.
    pub fn arithmetic(&self, claim: &Claim, cx: &Context) -> Option<verdict::Explanation> {
        let e = self.index.explain(&claim.money, cx)?;
        let evidence = if e.local || e.sentence || e.kind == verdict::Kind::Product {
            Evidence::Sentence
        } else {
            Evidence::Value {
                candidates: 1,
                chance: POLICY.explain_by_chance.value,
            }
        };
        Some(typed(&e, evidence))
    }

    /// The likeliest slip behind claim `i`, if it is one edit from a fact or from arithmetic:
    /// an error where the evidence says it is the same quantity, a warning on value alone
    /// within the chance budget.
    pub fn slip(&self, prose: &Prose, i: usize, cx: &Context) -> Option<(Verdict, Diagnostic)> {
        let claim = &prose.claims[i];
        let m = &claim.money;
        let digits = significant_digits(m);
        let subject = prose.subject(i);
        // (strong, edit, explanation, evidence)
        let mut best: Option<(bool, Edit, Explanation, Evidence)> = None;
        let mut consider = |strong: bool, edit: Edit, e: Explanation, ev: Evidence| {
            let better = best.as_ref().is_none_or(|(bs, be, bx, _)| {
                (!strong, slip_order(edit, &e)) < (!*bs, slip_order(*be, bx))
            });
            if better {
                best = Some((strong, edit, e, ev));
            }
        };
        for (edit, f) in self.index.one_edit(m, digits) {
            let fact = &self.facts[f];
            let a = agreement(subject, fact.words());
            if a.contradicts || !allowed(edit, digits) {
                continue;
            }
            if a.agrees() {
                consider(true, edit, search::single(fact), Evidence::Words(a.shared));
            } else {
                let chance = chance::of_value_alone(&self.index, m, edit);
                if chance <= self.budget {
                    let ev = Evidence::Value {
                        candidates: 1,
                        chance,
                    };
                    consider(false, edit, search::single(fact), ev);
                }
            }
        }
        self.index.near(m, cx, &mut |e, combination| {
            let d = if e.rank == 3 { digits + 1 } else { digits };
            let Some(edit) = slips::relation(m, e.value, d) else {
                return false;
            };
            if !allowed(edit, d) {
                return false;
            }
            let own = e.local || e.sentence || (e.kind == verdict::Kind::Product && !combination);
            if own {
                consider(true, edit, e, Evidence::Sentence);
                return false;
            }
            // A combination of facts, or an amount nearby, is a slip only as a near miss
            // within the unit written, and where chance would rarely make one.
            let near = edit == Edit::Near && within_written_unit(m, e.value);
            let chance = chance::of_edit(m, edit, 1 + cx.sentence.len() + cx.earlier.len());
            if (near || !combination) && chance <= self.budget {
                let ev = Evidence::Value {
                    candidates: 1,
                    chance,
                };
                consider(false, edit, e, ev);
            }
            false
        });
        let (strong, edit, e, evidence) = best?;
        let d = slip_diagnostic(claim, edit, &e, strong, &evidence);
        let linked = Linked {
            to: typed(&e, evidence),
            edit: slips::describe(edit),
            message: d.message.clone(),
        };
        let v = if strong {
            Verdict::Slip(linked)
        } else {
            Verdict::PossibleSlip(linked)
        };
        Some((v, d))
    }

    /// The fact of the paper whose words best agree with claim `i`'s subject, if any does.
    pub fn fact_of_subject(&self, prose: &Prose, i: usize) -> Option<&Fact> {
        let subject = prose.subject(i);
        self.facts
            .iter()
            .filter(|f| f.kind != Kind::Threshold)
            .map(|f| (f, agreement(subject, f.words())))
            .filter(|(_, a)| a.agrees())
            .max_by_key(|(_, a)| a.score)
            .map(|(f, _)| f)
    }
}

/// Whether an edit may be named in an amount of `digits` significant digits.
fn allowed(edit: Edit, digits: usize) -> bool {
    match edit {
        Edit::Near => true,
        Edit::Scale(_) => digits >= POLICY.scale_edit_digits.value,
        _ => digits >= POLICY.digit_edit_digits.value,
    }
}

/// Whether `x` is within one unit of the last digit written of `m`.
pub fn within_written_unit(m: &Money, x: Decimal) -> bool {
    m.value
        .abs()
        .checked_sub(x.abs())
        .is_some_and(|d| d.abs() <= m.unit)
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

/// The finding for a slip: an error (C0401, C0408 for a percentage) where the evidence says
/// it is the same quantity, a warning (C0409) on value alone.
fn slip_diagnostic(
    claim: &Claim,
    edit: Edit,
    e: &Explanation,
    strong: bool,
    evidence: &Evidence,
) -> Diagnostic {
    let m = &claim.money;
    let written = claim.written.trim();
    let mut message = match edit {
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
    if !strong {
        message.push_str(&format!(
            "; linked by {}, not by its words",
            evidence.describe()
        ));
    }
    let label = match edit {
        Edit::Near => "nearly matches, but not at the precision written",
        _ => "one edit away from the paper's figure",
    };
    // A near miss is best mended with the exact figure; a mistyped one in the style written.
    let fix = match edit {
        Edit::Near => format_exact(e.value),
        _ => like(m, written, e.value),
    };
    let hint =
        format!("write {fix} (or quote the figure through {{{{ fig.NAME }}}} so it is typed once)");
    if !strong {
        return Diagnostic::warning(
            Code::PossibleSlip,
            claim.file,
            claim.range.clone(),
            message,
        )
        .with_label("one edit from a figure its words do not name")
        .with_hint(format!(
            "if it is that figure, {hint}; if not, say what it is of, or list it under `outside_amounts:`"
        ));
    }
    let code = if e.percentage {
        Code::Percentage
    } else {
        Code::NearMiss
    };
    Diagnostic::error(code, claim.file, claim.range.clone(), message)
        .with_label(label)
        .with_hint(hint)
}

/// `value` written the way `written` was: "£1.7m" for "£1.6m", "£351k" for "£315k"; and
/// never more finely than the written amount's scale allows ("more than £15,200", not
/// "£0.001520m").
pub fn like(m: &Money, written: &str, value: Decimal) -> String {
    let lower = written.to_ascii_lowercase();
    let has_unit = |u: &str| {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '.' && c != ',' && c != '£')
            .any(|w| {
                w.starts_with('£')
                    && w.trim_start_matches('£')
                        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
                        == u
            })
            || lower.contains(&format!(" {u}"))
    };
    let scale = if has_unit("bn") || lower.contains("billion") {
        Some((Decimal::from(1_000_000_000), "bn"))
    } else if has_unit("m") || lower.contains("million") {
        Some((Decimal::from(1_000_000), "m"))
    } else if has_unit("k") || lower.contains("thousand") {
        Some((Decimal::from(1_000), "k"))
    } else {
        None
    };
    let unit = m.unit;
    match scale {
        Some((s, suffix)) if unit > Decimal::ZERO && value.abs() >= s => {
            let places = unit.checked_div(s).map_or(0, |u| u.normalize().scale()) as usize;
            match round_to_unit(value, unit).and_then(|r| r.checked_div(s)) {
                Some(r) => format!("£{r:.places$}{suffix}"),
                None => format_exact(value),
            }
        }
        _ if unit > Decimal::ZERO && unit <= Decimal::ONE => {
            format_gbp(value, unit.normalize().scale())
        }
        _ => format_exact(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn a_fix_is_written_as_the_amount_was_and_never_finer_than_its_scale() {
        let m = Money::parse("£1.6m").unwrap();
        assert_eq!(like(&m, "£1.6m", Decimal::from(1_700_000)), "£1.7m");
        let m = Money::parse("£315k").unwrap();
        assert_eq!(like(&m, "£315k", Decimal::from(351_000)), "£351k");
        // "more than £15,200" is no amount in millions, whatever "more" has in it.
        let m = Money::parse("more than £15,200").unwrap();
        let fixed = like(&m, "more than £15,200", Decimal::from(1520));
        assert_eq!(fixed, "£1,520");
        assert!(!fixed.contains('m'));
        let m = Money::parse("£1.3m").unwrap();
        assert_eq!(
            like(&m, "£1.3m", Decimal::from_str("1300").unwrap()),
            "£1,300"
        );
    }
}
