//! What the reconciliation engine made of each amount stated in prose: a verdict with the
//! evidence it rests on. Computed once by `check`, read by the JSON output, `clerk explain`,
//! the review page and the build; types only.

use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use super::FileId;

/// Where a fact of the paper is written: a table cell, a front-matter value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: FileId,
    pub range: Range<usize>,
}

/// What an amount was found to be.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// Equal, at the precision written, to a fact of the paper or arithmetic on them.
    Explained(Explanation),
    /// One edit from a fact, with evidence that it is the same quantity (an error).
    Slip(Linked),
    /// One edit from a fact whose words do not say it is the same quantity (a warning).
    PossibleSlip(Linked),
    /// Nothing explains it. `errs` when that is an error (a record's amount of a subject its
    /// report has no fact of).
    Unexplained { errs: bool, note: String },
    /// A bound ("more than £1m"): a claim about a quantity, never a figure. `checked` names the
    /// quantity it was checked against, when one was found.
    Bound {
        checked: Option<String>,
        holds: bool,
    },
}

impl Verdict {
    /// The verdict's name, as the JSON output and the review page give it.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Explained(_) => "explained",
            Verdict::Slip(_) => "slip",
            Verdict::PossibleSlip(_) => "possible slip",
            Verdict::Unexplained { .. } => "unexplained",
            Verdict::Bound { .. } => "bound",
        }
    }

    /// What explains the amount, or what it was linked to, in words.
    pub fn detail(&self) -> String {
        match self {
            Verdict::Explained(e) => e.text.clone(),
            Verdict::Slip(l) | Verdict::PossibleSlip(l) => l.message.clone(),
            Verdict::Unexplained { note, .. } => note.clone(),
            Verdict::Bound { checked, holds } => match checked {
                Some(q) if *holds => format!("a bound, true of {q}"),
                Some(q) => format!("a bound, not true of {q}"),
                None => "a bound or a rule's threshold: explains nothing, and no quantity of the paper is named by its words".into(),
            },
        }
    }

    /// The explanation, or the fact a slip was linked to.
    pub fn explanation(&self) -> Option<&Explanation> {
        match self {
            Verdict::Explained(e) => Some(e),
            Verdict::Slip(l) | Verdict::PossibleSlip(l) => Some(&l.to),
            _ => None,
        }
    }
}

/// A slip: the explanation it was one edit from, the edit, and why they were linked.
#[derive(Clone, Debug)]
pub struct Linked {
    pub to: Explanation,
    /// The edit in words: "has two digits swapped from".
    pub edit: &'static str,
    pub message: String,
}

/// One way of arriving at an amount from the paper's own facts.
#[derive(Clone, Debug)]
pub struct Explanation {
    pub kind: Kind,
    pub value: Decimal,
    /// The fact with its label, or the arithmetic: "£325,484.88 + £100,000 = £425,484.88".
    pub text: String,
    /// Where the fact is written (for arithmetic, its first part).
    pub place: Option<Place>,
    pub evidence: Evidence,
}

/// What an explanation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A table cell.
    Cell,
    /// A table's total (or the sum of a column without a total row).
    Total,
    /// A named figure, or an amount written in a figure's formula.
    Figure,
    /// Declared `spending:` or `saving:`.
    Declared,
    /// An amount listed under `outside_amounts:`.
    Outside,
    /// The council's key-decision threshold.
    Threshold,
    /// An amount the report states in prose (a fact for its record).
    Mention,
    /// The same amount, explained where it was said before.
    Repeated,
    /// A sum of facts.
    Sum,
    /// A difference of two facts.
    Difference,
    /// A fact times a count or percentage of the amount's sentence.
    Product,
    /// The amount's own sentence adds up or takes away its other amounts.
    OwnArithmetic,
    /// Given with parts that add up to it.
    StatedWithParts,
}

/// What links an amount to its explanation.
#[derive(Clone, Debug, PartialEq)]
pub enum Evidence {
    /// The amount's words and the fact's label share these stems.
    Words(Vec<String>),
    /// Arithmetic the amount's own sentence states.
    Sentence,
    /// Value alone: `candidates` facts of the paper agree with it, and a random amount of its
    /// precision would land on one this often.
    Value { candidates: usize, chance: Decimal },
}

impl Evidence {
    pub fn describe(&self) -> String {
        match self {
            Evidence::Words(w) => format!("the words agree ({})", w.join(", ")),
            Evidence::Sentence => "its sentence states the arithmetic".into(),
            Evidence::Value { candidates, chance } => format!(
                "value alone ({} candidate{}, chance {})",
                candidates,
                if *candidates == 1 { "" } else { "s" },
                chance.round_dp(4).normalize()
            ),
        }
    }
}

/// One amount stated in prose, with what clerk made of it.
#[derive(Clone, Debug)]
pub struct AmountNote {
    pub file: FileId,
    pub range: Range<usize>,
    pub written: String,
    /// The words it is said of: its clause, period and heading.
    pub subject: String,
    pub verdict: Verdict,
}
