//! Report ↔ Record of Decision: the record says what the report proposed, in the same words,
//! about the same decision, by the same decision maker, with the same figures.

use std::collections::BTreeMap;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    normalise_label, Cell, CellValue, DecisionItem, DecisionMeta, Person, Recommendation,
    ReportMeta, Requirement, Source, Table,
};
use crate::text::{normalise, same_words, word_diff};

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let (Some(report), Some(decision)) = (&cx.paper.report, &cx.paper.decision) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let numbered = cx
        .council
        .is_some_and(|c| c.meta.records.decision_number == Requirement::Required);
    identity(report, decision, numbered, &mut out);
    decisions(report, decision, &mut out);
    tables(report, decision, &mut out);
    out
}

/// Decision number, subject, decision maker and key-decision flag agree.
fn identity(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    numbered: bool,
    out: &mut Vec<Diagnostic>,
) {
    decision_numbers(report, decision, numbered, out);
    subject(report, decision, out);
    decision_maker(report, decision, out);
    key_decision(report, decision, out);
}

/// The record has a decision number where the council numbers them, a real one, the report's.
fn decision_numbers(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    numbered: bool,
    out: &mut Vec<Diagnostic>,
) {
    let (r, d) = (&report.meta, &decision.meta);
    let has_digits = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    match (&r.decision_number, &d.decision_number) {
        // A decision number is a council's practice (Kent's), not the law's.
        (_, None) if numbered => out.push(
            Diagnostic::error(
                Code::MissingDecisionNumber,
                decision.file,
                decision.span(&d.subject),
                "the record has no decision number",
            )
            .with_hint(match &r.decision_number {
                Some(n) => format!(
                    "add `decision_number: \"{}\"` as in the report",
                    n.value.trim()
                ),
                None => "add `decision_number:`; give the report the same one".into(),
            }),
        ),
        (_, Some(n)) if !has_digits(&n.value) => out.push(
            Diagnostic::error(
                Code::MissingDecisionNumber,
                decision.file,
                decision.span(n),
                format!(
                    "the record's decision number is a placeholder (`{}`)",
                    n.value.trim()
                ),
            )
            .with_hint("fill in the decision number before the record is published"),
        ),
        (Some(rn), Some(dn)) if rn.value.trim() != dn.value.trim() => out.push(
            Diagnostic::error(
                Code::DecisionNumberMismatch,
                decision.file,
                decision.span(dn),
                format!(
                    "the record's decision number {} differs from the report's {}",
                    dn.value.trim(),
                    rn.value.trim()
                ),
            )
            .with_related(report.file, report.span(rn), "the report's decision number"),
        ),
        _ => {}
    }
}

/// The record's subject is the report's title.
fn subject(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let (r, d) = (&report.meta, &decision.meta);
    // A field missing from either is not compared (it was reported as missing).
    let missing = report.defaulted("title") || decision.defaulted("subject");
    if !missing && !same_words(&r.title.value, &d.subject.value) {
        out.push(
            Diagnostic::error(
                Code::SubjectMismatch,
                decision.file,
                decision.span(&d.subject),
                "the record's subject differs from the report's title",
            )
            .with_related(report.file, report.span(&r.title), "the report's title")
            .with_note(format!("report: {}", normalise(&r.title.value)))
            .with_note(format!("record: {}", normalise(&d.subject.value))),
        );
    }
}

/// The record's decision maker is the report's (or, for a committee's own decision, the
/// committee it went to).
fn decision_maker(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let r = &report.meta;
    match &r.decision_maker {
        None if r.committee.is_some() => committee_as_maker(report, decision, out),
        None => out.push(
            Diagnostic::error(
                Code::DecisionMakerMismatch,
                report.file,
                report.span(&r.title),
                "the report has a record of decision but names no decision maker",
            )
            .with_hint("add `decision_maker: {name: …, role: …}` to the report's front matter"),
        ),
        Some(maker) => same_maker(report, decision, maker, out),
    }
}

/// A committee's own decision: the record names the committee as its decision maker.
fn committee_as_maker(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let (r, d) = (&report.meta, &decision.meta);
    let pair = r.committee.as_ref().zip(d.decision_maker.name.as_ref());
    if let Some((committee, name)) = pair.filter(|(c, n)| !same_words(&c.value, &n.value)) {
        out.push(
            Diagnostic::error(
                Code::DecisionMakerMismatch,
                decision.file,
                decision.span(name),
                "the record's decision maker is not the committee the report went to",
            )
            .with_related(
                report.file,
                report.span(committee),
                "the report's committee",
            )
            .with_note(format!(
                "word diff (report → record): {}",
                word_diff(&committee.value, &name.value)
            )),
        );
    }
}

/// The record gives the decision maker the report names, its name and its role alike.
fn same_maker(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    maker: &Person,
    out: &mut Vec<Diagnostic>,
) {
    let d = &decision.meta;
    let pairs = [
        ("name", &maker.name, &d.decision_maker.name),
        ("role", &maker.role, &d.decision_maker.role),
    ];
    for (what, theirs, ours) in pairs {
        match (theirs, ours) {
            (Some(t), Some(o)) if !same_words(&t.value, &o.value) => out.push(
                Diagnostic::error(
                    Code::DecisionMakerMismatch,
                    decision.file,
                    decision.span(o),
                    format!(
                        "the decision maker's {what} differs between the report and the record"
                    ),
                )
                .with_label(format!("the record's {what}"))
                .with_related(report.file, report.span(t), format!("the report's {what}"))
                .with_note(format!(
                    "word diff (report → record): {}",
                    word_diff(&t.value, &o.value)
                )),
            ),
            (Some(t), None) => out.push(
                Diagnostic::error(
                    Code::DecisionMakerMismatch,
                    decision.file,
                    decision.span(&d.subject),
                    format!("the record gives no {what} for the decision maker"),
                )
                .with_related(
                    report.file,
                    report.span(t),
                    format!("the report's {what}"),
                ),
            ),
            _ => {}
        }
    }
}

/// Both say alike whether the decision is key.
fn key_decision(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let (r, d) = (&report.meta, &decision.meta);
    let missing = report.defaulted("key_decision") || decision.defaulted("key_decision");
    if !missing && r.key_decision.value.0 != d.key_decision.value.0 {
        let yes_no = |b: bool| {
            if b {
                "a key decision"
            } else {
                "not a key decision"
            }
        };
        out.push(
            Diagnostic::error(
                Code::KeyDecisionMismatch,
                decision.file,
                decision.span(&d.key_decision),
                format!(
                    "the record says this is {}, the report that it is {}",
                    yes_no(d.key_decision.value.0),
                    yes_no(r.key_decision.value.0)
                ),
            )
            .with_related(
                report.file,
                report.span(&r.key_decision),
                "the report's key_decision",
            ),
        );
    }
}

/// Every recommendation is decided, in the same words; nothing is added.
fn decisions(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let recs: BTreeMap<&str, _> = report
        .meta
        .recommendations
        .iter()
        .map(|r| (r.id.value.0.as_str(), r))
        .collect();
    for item in &decision.meta.decisions {
        let id = item.id.value.0.as_str();
        let Some(rec) = recs.get(id) else {
            let known: Vec<String> = recs.keys().map(|k| k.to_string()).collect();
            out.push(
                Diagnostic::error(
                    Code::DecisionNotRecommended,
                    decision.file,
                    decision.span(&item.id),
                    format!("decision {id} matches no recommendation in the report"),
                )
                .with_note(format!(
                    "the report's recommendations are: {}",
                    known.join(", ")
                )),
            );
            continue;
        };
        out.extend(wording(report, decision, rec, item));
    }
    undecided(report, decision, out);
}

/// A decision with words of its own says what its recommendation (or the decision it asks
/// to be endorsed) says.
fn wording(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    rec: &Recommendation,
    item: &DecisionItem,
) -> Option<Diagnostic> {
    let id = item.id.value.0.as_str();
    let text = item.text.as_ref()?;
    let expected = rec.decision.as_ref().unwrap_or(&rec.text);
    if same_words(&expected.value, &text.value) {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::DecisionWording,
            decision.file,
            decision.span(text),
            format!("decision {id} is not worded as recommendation {id}"),
        )
        .with_label("differs from the report")
        .with_related(
            report.file,
            report.span(expected),
            format!("recommendation {id}"),
        )
        .with_note(format!(
            "word diff (report → record): {}",
            word_diff(&expected.value, &text.value)
        ))
        .with_hint(format!(
            "leave out `text:` to take recommendation {id}'s words from the report"
        )),
    )
}

/// Every recommendation has its decision in the record.
fn undecided(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    out: &mut Vec<Diagnostic>,
) {
    let decided: Vec<&str> = decision
        .meta
        .decisions
        .iter()
        .map(|d| d.id.value.0.as_str())
        .collect();
    for rec in &report.meta.recommendations {
        let id = rec.id.value.0.as_str();
        if decided.contains(&id) {
            continue;
        }
        out.push(
            Diagnostic::error(
                Code::RecommendationNotDecided,
                decision.file,
                decision.span(&decision.meta.subject),
                format!("recommendation {id} has no decision in the record"),
            )
            .with_related(
                report.file,
                report.span(&rec.id),
                format!("recommendation {id}"),
            )
            .with_hint(format!(
                "add `- id: {id}` under `decisions:` (or record that it was not agreed)"
            )),
        );
    }
}

/// A table in both the report and the record is the same, cell by cell.
fn tables(report: &Source<ReportMeta>, decision: &Source<DecisionMeta>, out: &mut Vec<Diagnostic>) {
    for table in &decision.body.tables {
        let Some(theirs) = matching_table(&report.body.tables, table) else {
            continue;
        };
        same_rows(report, decision, table, theirs, out);
        if theirs.rows.len() > table.rows.len() {
            out.push(
                Diagnostic::error(
                    Code::TableMismatch,
                    decision.file,
                    table.span.clone(),
                    format!(
                        "the report's table {} has {} rows; this one has {}",
                        theirs.id,
                        theirs.rows.len(),
                        table.rows.len()
                    ),
                )
                .with_related(
                    report.file,
                    theirs.span.clone(),
                    "the report's table",
                ),
            );
        }
    }
}

/// The record's table row by row against the report's: a row the report lacks ends the
/// comparison, and at most ten differing cells are reported.
fn same_rows(
    report: &Source<ReportMeta>,
    decision: &Source<DecisionMeta>,
    table: &Table,
    theirs: &Table,
    out: &mut Vec<Diagnostic>,
) {
    let mut reported = 0;
    for (i, row) in table.rows.iter().enumerate() {
        let Some(their_row) = theirs.rows.get(i) else {
            out.push(
                Diagnostic::error(
                    Code::TableMismatch,
                    decision.file,
                    row.span.clone(),
                    format!("this row is not in the report's table {}", theirs.id),
                )
                .with_related(
                    report.file,
                    theirs.span.clone(),
                    "the report's table",
                ),
            );
            break;
        };
        for (j, cell) in row.cells.iter().enumerate() {
            let Some(their_cell) = their_row.cells.get(j) else {
                continue;
            };
            if !same_cell(cell, their_cell) && reported < 10 {
                reported += 1;
                out.push(
                    Diagnostic::error(
                        Code::TableMismatch,
                        decision.file,
                        cell.span.clone(),
                        format!(
                            "this cell reads “{}” but the report's table {} reads “{}”",
                            cell.text.text.trim(),
                            theirs.id,
                            their_cell.text.text.trim()
                        ),
                    )
                    .with_related(
                        report.file,
                        their_cell.span.clone(),
                        "the report's cell",
                    ),
                );
            }
        }
    }
}

/// Two cells say the same: equal amounts, or the same words.
fn same_cell(cell: &Cell, theirs: &Cell) -> bool {
    match (&cell.value, &theirs.value) {
        (CellValue::Amount(a), CellValue::Amount(b)) => a.value == b.value,
        _ => normalise(&cell.text.text) == normalise(&theirs.text.text),
    }
}

/// The report's table with the same id, or failing that the same header row.
fn matching_table<'a>(tables: &'a [Table], table: &Table) -> Option<&'a Table> {
    let header = |t: &Table| {
        t.header
            .cells
            .iter()
            .map(|c| normalise_label(&c.text.text))
            .collect::<Vec<_>>()
    };
    tables
        .iter()
        .find(|t| t.id == table.id && !t.id.starts_with("table-"))
        .or_else(|| tables.iter().find(|t| header(t) == header(table)))
}
