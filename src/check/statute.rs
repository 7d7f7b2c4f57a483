//! What the law requires: a record's statutory content (SI 2012/2089 regs 12-13), key decisions
//! at the council's threshold (reg 8), and exempt paragraphs valid for the jurisdiction
//! (Local Government Act 1972, Schedule 12A).

use std::ops::Range;

use serde_saphyr::Spanned;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::money::format_exact;
use crate::model::{Classification, DecisionStatus, Jurisdiction, RecordElement};

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    record_elements(cx, &mut out);
    key_decision(cx, &mut out);
    exempt_paragraphs(cx, &mut out);
    out
}

/// What the record must state: for an executive decision what regs 12-13 ask (or the council's
/// own list), for a committee's own decision only what the council asks.
fn required_elements(cx: &PaperContext) -> Vec<RecordElement> {
    let rules = cx.council.map(|c| &c.meta.records);
    let committee = cx
        .paper
        .report
        .as_ref()
        .is_some_and(|r| r.meta.committee.is_some() && r.meta.decision_maker.is_none());
    match (committee, rules) {
        (true, Some(r)) => r.committee.clone().unwrap_or_default(),
        (true, None) => Vec::new(),
        (false, Some(r)) => r
            .executive
            .clone()
            .unwrap_or_else(|| RecordElement::STATUTORY.to_vec()),
        (false, None) => RecordElement::STATUTORY.to_vec(),
    }
}

fn record_elements(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let Some(decision) = &cx.paper.decision else {
        return;
    };
    let required = required_elements(cx);
    let m = &decision.meta;
    let at = decision.span(&m.subject);
    let empty = |v: &Option<Spanned<String>>| v.as_ref().is_none_or(|s| s.value.trim().is_empty());
    let council_only = required != RecordElement::STATUTORY;
    let mut missing = |field: &str, what: &str| {
        let note = if council_only {
            "the council's rules for its records (council.yaml `records:`) ask for it"
        } else {
            "a written record of an executive decision must give the decision, its date, the reasons, the alternatives considered and rejected, interests declared and dispensations granted (SI 2012/2089 regs 12-13)"
        };
        out.push(
            Diagnostic::error(Code::StatutoryElement, decision.file, at.clone(), format!("the record does not state {what}"))
                .with_note(note)
                .with_hint(format!("add `{field}:` to the record's front matter (write `None` where there is nothing to declare)")),
        );
    };
    for element in required {
        match element {
            RecordElement::Decisions if m.decisions.is_empty() => {
                missing("decisions", "the decisions taken")
            }
            RecordElement::Reasons if empty(&m.reasons) => {
                missing("reasons", "the reasons for the decision")
            }
            RecordElement::Alternatives if empty(&m.alternatives) => missing(
                "alternatives",
                "the alternative options considered and rejected",
            ),
            RecordElement::Interests if empty(&m.interests) => {
                missing("interests", "any conflict of interest declared")
            }
            RecordElement::Dispensations if empty(&m.dispensations) => {
                missing("dispensations", "any dispensation granted")
            }
            RecordElement::Date if m.status.value == DecisionStatus::Taken && m.date.is_none() => {
                missing("date", "the date the decision was taken")
            }
            _ => {}
        }
    }
}

fn key_decision(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let (Some(report), Some(council)) = (&cx.paper.report, cx.council) else {
        return;
    };
    let Some(threshold) = &council.meta.key_decision_threshold else {
        return;
    };
    let limit = threshold.value.money.value;
    if report.meta.key_decision.value.0 || report.defaulted("key_decision") {
        return;
    }
    for (what, field) in [
        ("spending", &report.meta.spending),
        ("saving", &report.meta.saving),
    ] {
        let Some(amount) = field else { continue };
        if amount.value.money.value.abs() >= limit {
            out.push(
                Diagnostic::error(
                    Code::ShouldBeKeyDecision,
                    report.file,
                    report.span(&report.meta.key_decision),
                    format!(
                        "{what} of {} reaches {}'s key-decision threshold of {}, but the report says this is not a key decision",
                        amount.value.written,
                        council.meta.name.value,
                        format_exact(limit)
                    ),
                )
                .with_related(report.file, report.span(amount), what)
                .with_note("a key decision needs 28 clear days' notice in the forward plan (SI 2012/2089 regs 8-9)"),
            );
        }
    }
}

fn exempt_paragraphs(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let jurisdiction = cx
        .council
        .map_or(Jurisdiction::England, |c| c.meta.jurisdiction.value);
    let mut one = |file: FileId,
                   class: Option<(Classification, Range<usize>)>,
                   para: Option<(u32, Range<usize>)>| {
        let valid = jurisdiction.exempt_paragraphs();
        match (class, para) {
            (Some((Classification::Exempt, at)), None) => out.push(
                Diagnostic::error(Code::ExemptParagraph, file, at, "an exempt paper must say which paragraph of Schedule 12A it is exempt under")
                    .with_hint(format!("add `exempt_paragraph:` ({}-{} in {jurisdiction:?})", valid.start(), valid.end())),
            ),
            (Some((Classification::Exempt, _)), Some((p, at))) if !valid.contains(&p) => out.push(
                Diagnostic::error(
                    Code::ExemptParagraph,
                    file,
                    at,
                    format!("paragraph {p} of Schedule 12A does not apply in {jurisdiction:?}: its paragraphs are {}-{}", valid.start(), valid.end()),
                )
                .with_hint(if jurisdiction == Jurisdiction::England { "paragraphs 12-18 are Wales's; England's are 1-7" } else { "paragraphs 1-7 are England's; Wales's are 12-18" }),
            ),
            // A paragraph beside an Unrestricted classification withholds the paper: an error
            // of publication's (C1005).
            _ => {}
        }
    };
    if let Some(r) = &cx.paper.report {
        one(
            r.file,
            Some((r.meta.classification.value, r.span(&r.meta.classification)))
                .filter(|_| !r.defaulted("classification")),
            r.meta
                .exempt_paragraph
                .as_ref()
                .map(|p| (p.value, r.span(p))),
        );
    }
    if let Some(d) = &cx.paper.decision {
        one(
            d.file,
            d.meta.classification.as_ref().map(|c| (c.value, d.span(c))),
            d.meta
                .exempt_paragraph
                .as_ref()
                .map(|p| (p.value, d.span(p))),
        );
    }
    for a in cx.appendices() {
        one(
            a.file,
            a.meta.classification.as_ref().map(|c| (c.value, a.span(c))),
            a.meta
                .exempt_paragraph
                .as_ref()
                .map(|p| (p.value, a.span(p))),
        );
    }
}
