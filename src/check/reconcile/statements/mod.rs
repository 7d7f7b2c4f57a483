//! Arithmetic that prose states itself: a total and its parts ("£2.4m, consisting of £1.9m for
//! … and £0.6m for …"), a bound and the figure it describes ("more than £1m"), and a count with
//! its percentage ("2,162 of 2,612 families, 83%"). Each is checked at the precision written.

mod bounds;
mod changes;
mod shares;
mod sums;
mod than;

use super::facts::Fact;
use super::prose::{Claim, Prose};
use crate::diagnostic::Diagnostic;
use crate::model::money::Qualifier;
use crate::model::ReportMeta;
pub use bounds::bound_verdict;
use bounds::bounds;
use changes::changes;
use shares::{count_percentages, money_percentages};
pub use sums::consistent_members;
use sums::stated_sums;

pub fn check(
    prose: &Prose,
    facts: &[Fact],
    report: Option<&ReportMeta>,
    slipped: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    let rows = std::cell::OnceCell::new();
    let rows = || rows.get_or_init(|| super::named::Rows::new(facts));
    for s in 0..prose.sentences.len() {
        let sentence = &prose.sentences[s];
        if sentence.claims.len() >= 2 {
            changes(prose, s, slipped, out);
            than::stated_differences(prose, s, facts, slipped, out);
        }
        if sentence.claims.len() >= 3 {
            stated_sums(prose, s, slipped, out);
        }
        if !sentence.claims.is_empty() {
            bounds(prose, s, facts, &rows, report, out);
        }
        if sentence.percents.is_empty() {
            continue;
        }
        let before = out.len();
        money_percentages(prose, s, facts, slipped, out);
        count_percentages(prose, s, out);
        // A percentage found wrong as a change is not reported again as a share.
        let mut k = before;
        while k < out.len() {
            let seen = out[..before]
                .iter()
                .any(|d| d.code == out[k].code && d.file == out[k].file && d.range == out[k].range);
            if seen {
                out.remove(k);
            } else {
                k += 1;
            }
        }
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

/// Amounts of a sentence that state a value (bounds do not).
fn values(prose: &Prose, s: usize) -> Vec<&Claim> {
    prose.sentences[s]
        .claims
        .iter()
        .map(|&i| &prose.claims[i])
        .filter(|c| c.money.qualifier != Qualifier::Bound)
        .collect()
}

/// Sentence-level helpers for the parts' unit tests.
#[cfg(test)]
mod testing {
    use super::super::prose::Prose;
    use crate::diagnostic::Diagnostic;

    /// The prose of one passage of plain text.
    pub fn prose(text: &str) -> Prose {
        let mut p = Prose::default();
        p.add_text(0, text);
        p
    }

    /// The codes and messages of findings.
    pub fn said(found: &[Diagnostic]) -> Vec<String> {
        found
            .iter()
            .map(|d| format!("{}: {}", d.code.id(), d.message))
            .collect()
    }

    /// What `check` finds in a text, with no facts.
    pub fn checked(text: &str) -> Vec<String> {
        let p = prose(text);
        let mut out = Vec::new();
        super::check(&p, &[], None, &[], &mut out);
        said(&out)
    }
}
