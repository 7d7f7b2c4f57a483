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
    /// Each stem of the facts' labels, with the facts that carry it (made when first asked).
    pub by_stem: std::sync::OnceLock<std::collections::BTreeMap<String, Vec<usize>>>,
    /// The table cells by the words of their rows (made when first asked).
    pub rows: std::sync::OnceLock<super::named::Rows>,
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
    // Long because the facts equal to an amount are weighed in one place, in the order the
    // evidence ranks them: words, then value alone with its chance, then ambiguity.
    pub fn single(&self, prose: &Prose, i: usize) -> Single {
        let m = &prose.claims[i].money;
        let ids = self.index.agreeing(m);
        if ids.is_empty() {
            return Single::None;
        }
        if let Some(e) = self.the_one_value(prose, i, &ids) {
            return Single::Explained(e);
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
        let mut values: Vec<Decimal> = by_value
            .iter()
            .map(|(f, _)| self.facts[*f].value.abs())
            .collect();
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
            (
                a.score,
                std::cmp::Reverse(rank(self.facts[*f].kind)),
                std::cmp::Reverse(*f),
            )
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

    /// A precise amount that one value of the paper's facts equals, none of another period: it
    /// is that fact, on value alone, and its words need not be weighed (they cost the most).
    fn the_one_value(
        &self,
        prose: &Prose,
        i: usize,
        ids: &[usize],
    ) -> Option<verdict::Explanation> {
        let m = &prose.claims[i].money;
        if significant_digits(m) <= POLICY.coarse_digits.value {
            return None;
        }
        let periods = prose.periods(i);
        let fits: Vec<usize> = ids
            .iter()
            .copied()
            .filter(|&f| self.facts[f].kind != Kind::Threshold)
            .filter(|&f| !super::subject::periods_differ(periods, &self.facts[f].words().periods))
            .collect();
        let first = *fits.first()?;
        let value = self.facts[first].value.abs();
        if fits.iter().any(|&f| self.facts[f].value.abs() != value) {
            return None;
        }
        let best = fits
            .iter()
            .copied()
            .min_by_key(|&f| (rank(self.facts[f].kind), f))?;
        let chance = chance::of_edit(m, Edit::Near, 1);
        let e = search::single(&self.facts[best]);
        Some(typed(
            &e,
            Evidence::Value {
                candidates: 1,
                chance,
            },
        ))
    }

    /// Arithmetic that explains claim `i`, with the evidence it rests on. On value alone,
    /// never the paper's figures of another period than the one the claim's words give ("the
    /// fee in 2026/27 … £1,057,600" is not 2027/28's gross less its VAT), as no single figure
    /// of it would be; its sentence's own arithmetic is evidence enough.
    pub fn arithmetic(
        &self,
        prose: &Prose,
        i: usize,
        cx: &Context,
    ) -> Option<verdict::Explanation> {
        let claim = &prose.claims[i];
        let e = self.index.explain(&claim.money, cx)?;
        if !(e.local || e.sentence || e.kind == verdict::Kind::Product) {
            let theirs = super::subject::Words::of(&e.about).periods;
            if super::subject::periods_differ(prose.periods(i), &theirs) {
                return None;
            }
        }
        let evidence = if e.local || e.sentence || e.kind == verdict::Kind::Product {
            Evidence::Sentence
        } else {
            Evidence::Value {
                candidates: 1,
                chance: self.index.chance_of(&claim.money, &e),
            }
        };
        Some(typed(&e, evidence))
    }

    /// The likeliest slip behind claim `i`, if it is one edit from a fact or from arithmetic:
    /// an error where the evidence says it is the same quantity, a warning on value alone
    /// within the chance budget.
    pub fn slip(&self, prose: &Prose, i: usize, cx: &Context) -> Option<Found> {
        let claim = &prose.claims[i];
        let mut best: Option<Candidate> = None;
        let mut consider = |c: Candidate| {
            let better = best.as_ref().is_none_or(|b| c.order() < b.order());
            if better {
                best = Some(c);
            }
        };
        // The facts the claim's words name, found once for both searches that weigh them.
        let named = self.named(prose, i);
        self.fact_slips(prose, i, &named, &mut consider);
        self.arithmetic_slips(prose, i, cx, &mut consider);
        self.related(prose, i, &mut consider);
        self.named_pairs(prose, i, cx, &named, &mut consider);
        let c = best?;
        let d = slip_diagnostic(claim, c.edit, &c.e, c.strong, &c.evidence);
        let linked = Linked {
            to: typed(&c.e, c.evidence),
            edit: slips::describe(c.edit),
            message: d.message.clone(),
        };
        let verdict = if c.strong {
            Verdict::Slip(linked)
        } else {
            Verdict::PossibleSlip(linked)
        };
        Some(Found {
            verdict,
            diagnostic: d,
        })
    }

    /// The facts one edit from claim `i`: a slip where its words single the fact out (or agree
    /// with it and few others), a possible one on value alone within the chance budget.
    fn fact_slips(
        &self,
        prose: &Prose,
        i: usize,
        named: &[usize],
        consider: &mut dyn FnMut(Candidate),
    ) {
        let m = &prose.claims[i].money;
        let digits = significant_digits(m);
        let subject = prose.subject(i);
        for (edit, f) in self.index.one_edit(m, digits) {
            let fact = &self.facts[f];
            // A slip needs the fact's own words (its row, its column, its name), not only its
            // table's caption, which every cell of the table shares.
            let own = super::subject::Words {
                stems: fact.words().stems.clone(),
                context: Vec::new(),
                periods: fact.words().periods.clone(),
            };
            let a = agreement(subject, &own);
            if a.contradicts || !allowed(edit, digits) {
                continue;
            }
            let e = search::single(fact);
            // The words single this fact out: the chance is of this one fact. Words that agree
            // without singling it out narrow the candidates to the facts they agree with.
            // "The profile of the £69.98m is set out in Table 1": a sentence that names a table
            // names its total too.
            let names_table = fact.kind == Kind::Total && a.shared.iter().any(|w| w.contains('#'));
            let among = if a.identifies() || (names_table && a.agrees()) {
                Some(1)
            } else if a.agrees() {
                named.contains(&f).then_some(named.len())
            } else {
                None
            };
            if let Some(k) = among {
                let chance = chance::of_edit_from(m, edit, fact.value, k);
                if chance <= POLICY.explain_by_chance.value {
                    let c = Candidate::new(true, edit, e, Evidence::Words(a.shared));
                    consider(c);
                }
            } else {
                let chance = chance::of_value_alone(&self.index, m, edit, fact.value);
                consider_value(self.budget, edit, e, chance, 1, consider);
            }
        }
    }

    /// Arithmetic one edit from claim `i`: its sentence's (a slip), a product of a fact and a
    /// count or percentage its sentence states (a slip, where chance would rarely give one),
    /// a combination whose parts its words name (a slip), or on value alone.
    // Long because each kind of arithmetic is weighed in one closure, in the order of its
    // evidence (its own sentence, a stated product, named parts, value alone); split, the
    // shared edit and chance would be worked out in each piece.
    fn arithmetic_slips(
        &self,
        prose: &Prose,
        i: usize,
        cx: &Context,
        consider: &mut dyn FnMut(Candidate),
    ) {
        let m = &prose.claims[i].money;
        let digits = significant_digits(m);
        let subject = prose.subject(i);
        self.index.near(m, cx, &mut |e, combination| {
            let d = if e.rank == 3 { digits + 1 } else { digits };
            let Some(edit) = slips::relation(m, e.value, d).filter(|e| allowed(*e, d)) else {
                return false;
            };
            if nearer_the_unadjusted(m, &e) || search::rounding_hides(m, &e) {
                return false;
            }
            // Its own sentence's or paragraph's arithmetic: a slip where chance among the few
            // values that arithmetic makes would rarely give it. A near miss of a coarse
            // amount ("(£11m)" beside £11.1m − £1m in a sentence listing six amounts) is what
            // chance gives.
            if e.local || e.sentence {
                let family = search::local_family(cx);
                let chance = chance::of_edit_from(m, edit, e.value, family);
                if chance <= POLICY.explain_by_chance.value {
                    consider(Candidate::new(true, edit, e, Evidence::Sentence));
                }
                return false;
            }
            let family = if e.kind == verdict::Kind::Product {
                chance::products_near(&self.index, m, &cx.factors) + cx.sentence.len()
            } else if combination {
                self.index.facts().len().pow(2)
            } else {
                1 + cx.sentence.len() + cx.earlier.len()
            };
            let chance = chance::of_edit_from(m, edit, e.value, family);
            if e.kind == verdict::Kind::Product && chance <= self.budget {
                consider(Candidate::new(true, edit, e, Evidence::Sentence));
                return false;
            }
            let words = agreement(subject, &super::subject::Words::of(&e.about));
            // Figures of another period are another quantity, as for a single fact.
            if words.contradicts {
                return false;
            }
            // A near miss is evidence only of an amount precise enough to miss: a coarse one
            // ("£11m") is within a unit of many combinations.
            let coarse = digits <= POLICY.coarse_digits.value;
            if words.identifies() && ((edit == Edit::Near && !coarse) || chance <= self.budget) {
                let c = Candidate::new(true, edit, e, Evidence::Words(words.shared));
                consider(c);
                return false;
            }
            let near = edit == Edit::Near && slips::within_written_unit(m, e.value);
            if near || !combination {
                consider_value(self.budget, edit, e, chance, 1, consider);
            }
            false
        });
    }

    /// Sums and differences of two cells of one row or column one edit from claim `i`: a slip
    /// where the words name a part, a possible one where chance would rarely give one.
    fn related(&self, prose: &Prose, i: usize, consider: &mut dyn FnMut(Candidate)) {
        let m = &prose.claims[i].money;
        let digits = significant_digits(m);
        let pairs = self.index.related_count();
        // Only the likeliest edits: a near miss, or two digits swapped; and only where so few
        // pairs exist that one of them could be that edit from the amount by something other
        // than chance.
        let swapped = chance::of_edit(m, Edit::Swapped, pairs);
        let near = chance::of_edit(m, Edit::Near, pairs);
        if swapped > self.budget && near > self.budget {
            return;
        }
        let subject = prose.subject(i);
        for e in self.index.related_arithmetic() {
            let Some(edit) = slips::relation(m, e.value, digits) else {
                continue;
            };
            let chance = match edit {
                Edit::Near if slips::within_written_unit(m, e.value) => near,
                Edit::Swapped if digits >= POLICY.digit_edit_digits.value => swapped,
                _ => continue,
            };
            if chance > self.budget {
                continue;
            }
            let words = agreement(subject, &super::subject::Words::of(&e.about));
            if words.identifies() {
                let c = Candidate::new(true, edit, e, Evidence::Words(words.shared));
                consider(c);
            } else {
                consider_value(self.budget, edit, e, chance, pairs, consider);
            }
        }
    }

    /// The facts whose labels claim `i`'s words name (agreeing, best first, at most
    /// `Policy::named_facts`), found through the facts' stems: a cost in proportion to the
    /// facts that share a word with it, not to all of them.
    pub fn named(&self, prose: &Prose, i: usize) -> Vec<usize> {
        let by_stem = self.by_stem.get_or_init(|| {
            let mut map: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
            for (f, fact) in self.facts.iter().enumerate() {
                for w in fact.words().stems.iter().chain(&fact.words().context) {
                    let ids = map.entry(w.clone()).or_default();
                    if ids.last() != Some(&f) {
                        ids.push(f);
                    }
                }
            }
            map
        });
        let subject = prose.subject(i);
        // A word many facts carry ("cost" in a column heading) singles none of them out.
        let most = POLICY.named_facts.value * 4;
        let mut ids: Vec<usize> = subject
            .near
            .iter()
            .chain(&subject.sentence)
            .filter_map(|w| by_stem.get(w))
            .filter(|ids| ids.len() <= most)
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut scored: Vec<(u32, usize)> = ids
            .into_iter()
            .filter(|&f| self.facts[f].kind != Kind::Threshold)
            .map(|f| (f, agreement(subject, self.facts[f].words())))
            .filter(|(_, a)| a.agrees())
            .map(|(f, a)| (a.score, f))
            .collect();
        scored.sort_by_key(|&(score, f)| (std::cmp::Reverse(score), f));
        scored.truncate(POLICY.named_facts.value);
        scored.into_iter().map(|(_, f)| f).collect()
    }

    /// Sums and differences of two of the facts claim `i`'s words name that are one edit from
    /// it: the words say which facts, so the chance is of those few pairs.
    fn named_pairs(
        &self,
        prose: &Prose,
        i: usize,
        cx: &Context,
        named: &[usize],
        consider: &mut dyn FnMut(Candidate),
    ) {
        let m = &prose.claims[i].money;
        let digits = significant_digits(m);
        let pairs = named.len() * named.len().saturating_sub(1);
        for (x, &a) in named.iter().enumerate() {
            for &b in &named[x + 1..] {
                let (fa, fb) = (&self.facts[a], &self.facts[b]);
                // The sentence says which: "together", "in total" for a sum, "remaining",
                // "less" for a difference.
                let ways = [
                    search::combine(&[fa, fb], true).filter(|_| cx.cue.sum && !fa.overlaps(fb)),
                    search::combine(&[fa, fb], false).filter(|_| cx.cue.difference),
                    search::combine(&[fb, fa], false).filter(|_| cx.cue.difference),
                ];
                for e in ways.into_iter().flatten() {
                    let Some(edit) = slips::relation(m, e.value, digits) else {
                        continue;
                    };
                    if !allowed(edit, digits)
                        || (edit == Edit::Near && !slips::within_written_unit(m, e.value))
                    {
                        continue;
                    }
                    // The words narrow the pairs; chance among those few must still be rare.
                    let chance = chance::of_edit(m, edit, pairs);
                    if chance <= POLICY.explain_by_chance.value {
                        let shared =
                            agreement(prose.subject(i), &super::subject::Words::of(&e.about));
                        let c = Candidate::new(true, edit, e, Evidence::Words(shared.shared));
                        consider(c);
                    }
                }
            }
        }
    }

    /// The table cells by the words of their rows.
    pub fn rows(&self) -> &super::named::Rows {
        self.rows
            .get_or_init(|| super::named::Rows::new(self.facts))
    }

    /// A sum of the cells of one column whose rows claim `i`'s sentence names, equal to it at
    /// the precision written ("the footway programme … £7.8m"): the words say which cells.
    pub fn named_sum(&self, prose: &Prose, i: usize) -> Option<verdict::Explanation> {
        let m = &prose.claims[i].money;
        let subject = prose.subject(i);
        let periods = prose.periods(i);
        self.rows()
            .sums(self.facts, &subject.sentence)
            .into_iter()
            .filter(|s| {
                let first = &self.facts[s.parts[0]];
                !super::subject::periods_differ(periods, &first.words().periods)
            })
            .find(|s| search::agrees(m, &s.explanation))
            .map(|s| typed(&s.explanation, Evidence::Words(vec![s.word])))
    }

    /// The fact of the paper whose words best agree with claim `i`'s subject, if any does.
    pub fn fact_of_subject(&self, prose: &Prose, i: usize) -> Option<&Fact> {
        self.named(prose, i).first().map(|&f| &self.facts[f])
    }
}

/// The likeliest slip behind an amount: its verdict and its finding.
pub struct Found {
    pub verdict: Verdict,
    pub diagnostic: Diagnostic,
}

/// A slip being weighed: whether the evidence makes it an error, the edit, what it is one
/// edit from, and the evidence.
struct Candidate {
    strong: bool,
    edit: Edit,
    e: Explanation,
    evidence: Evidence,
}

impl Candidate {
    fn new(strong: bool, edit: Edit, e: Explanation, evidence: Evidence) -> Candidate {
        Candidate {
            strong,
            edit,
            e,
            evidence,
        }
    }

    /// Errors first, then the likeliest edit, then the best kind of value.
    fn order(&self) -> (bool, (u8, u8)) {
        (!self.strong, slip_order(self.edit, &self.e))
    }
}

/// A slip on value alone: an error where chance could not do it (`Policy::value_evidence`), a
/// warning within the chance budget, nothing beyond.
fn consider_value(
    budget: Decimal,
    edit: Edit,
    e: Explanation,
    chance: Decimal,
    candidates: usize,
    consider: &mut dyn FnMut(Candidate),
) {
    if chance > budget {
        return;
    }
    let strong = chance
        <= budget
            .checked_mul(POLICY.value_evidence.value)
            .unwrap_or_default();
    let ev = Evidence::Value { candidates, chance };
    consider(Candidate::new(strong, edit, e, ev));
}

/// Whether an edit may be named in an amount of `digits` significant digits.
fn allowed(edit: Edit, digits: usize) -> bool {
    match edit {
        Edit::Near => true,
        Edit::Scale(_) => digits >= POLICY.scale_edit_digits.value,
        _ => digits >= POLICY.digit_edit_digits.value,
    }
}

/// Whether `m` is nearer the amount a percentage adjusts than the adjusted amount: "£160m …
/// the 2% precept … £161m of the grant" is £160m's size said again (or another amount of its
/// size), not a slip for £160m × 102%. A small percentage moves an amount less than one
/// mistyped digit does, so only an amount that is clearly past the unadjusted one, towards the
/// adjusted one, is evidence of a slip of the adjustment.
fn nearer_the_unadjusted(m: &Money, e: &Explanation) -> bool {
    let Some(base) = e.adjusted else {
        return false;
    };
    let distance = |x: Decimal| m.value.abs().checked_sub(x.abs()).map(|d| d.abs());
    match (distance(base), distance(e.value)) {
        (Some(to_base), Some(to_adjusted)) => to_base <= to_adjusted,
        _ => false,
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

/// What a slip is, in words: the edit, what it is from, and (on value alone) why it was
/// linked.
fn slip_message(claim: &Claim, edit: Edit, e: &Explanation, strong: bool, ev: &Evidence) -> String {
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
            // To the penny: a difference from a division ("£4 ÷ 4.9%") has no end of digits.
            let shown = format_exact(diff.round_dp(2));
            let mut text = format!("{written} is {shown} {how} {}", e.text);
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
        message.push_str(&format!("; linked by {}, not by its words", ev.describe()));
    }
    message
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
    let message = slip_message(claim, edit, e, strong, evidence);
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
