//! Amounts in prose are reconciled with the paper's tables and named figures at the precision
//! they were written to. An amount that matches nothing is a new fact and is left alone; one
//! that nearly matches a figure, or the sum or difference of two, is reported with the arithmetic.
//! Every amount a record states must be found in its report.

use std::ops::Range;

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::{BlockKind, CellValue, Document, Paper, Source};
use crate::money::{format_exact, scan_amounts, Money, Qualifier};

/// An amount stated somewhere, with where.
#[derive(Clone, Debug)]
pub struct Claim {
    pub file: FileId,
    pub range: Range<usize>,
    pub written: String,
    pub money: Money,
}

/// A value the paper establishes: a table cell or a named figure.
#[derive(Clone, Debug)]
struct Known {
    value: Decimal,
    label: String,
}

/// A value a claim may be reconciled with: one known value, or two added or subtracted.
#[derive(Clone, Debug)]
struct Candidate {
    value: Decimal,
    explain: String,
}

/// Near misses are looked for within this fraction of the candidate (1%).
const NEAR: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let Some(report) = &cx.paper.report else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut known = known_values(cx.paper, &report.body);
    let report_candidates = candidates(&known);
    let report_claims = report_claims(cx, report);
    for claim in &report_claims {
        reconcile(claim, &report_candidates, &mut out);
    }

    if let Some(decision) = &cx.paper.decision {
        known.extend(table_values(&decision.body, "the record's"));
        let decision_candidates = candidates(&known);
        let mut claims = body_claims(decision.file, &decision.body);
        let m = &decision.meta;
        for item in &m.decisions {
            claims.extend(
                item.text
                    .as_ref()
                    .map(|t| value_claims(cx, decision, t))
                    .unwrap_or_default(),
            );
        }
        for field in [&m.reasons, &m.alternatives, &m.key_decision_reason]
            .into_iter()
            .flatten()
        {
            claims.extend(value_claims(cx, decision, field));
        }
        for claim in &claims {
            let before = out.len();
            reconcile(claim, &decision_candidates, &mut out);
            if out.len() > before || claim.money.qualifier == Qualifier::Bound {
                continue;
            }
            let in_report = report_candidates
                .iter()
                .any(|c| claim.money.agrees_with(c.value))
                || report_claims.iter().any(|r| {
                    r.money.agrees_with(claim.money.value) || claim.money.agrees_with(r.money.value)
                });
            if !in_report {
                out.push(
                    Diagnostic::error(
                        Code::DecisionAmountNotInReport,
                        claim.file,
                        claim.range.clone(),
                        format!("{} is stated in the record but not found in its report", claim.written),
                    )
                    .with_label("not in the report")
                    .with_hint("a record repeats the report's figures; correct the amount or add it to the report"),
                );
            }
        }
    }
    out
}

fn reconcile(claim: &Claim, candidates: &[Candidate], out: &mut Vec<Diagnostic>) {
    let money = &claim.money;
    if money.qualifier != Qualifier::Exact || candidates.is_empty() {
        return;
    }
    if candidates.iter().any(|c| money.agrees_with(c.value)) {
        return;
    }
    let nearest = candidates
        .iter()
        .filter(|c| !c.value.is_zero() && (money.value - c.value).abs() <= c.value.abs() * NEAR)
        .min_by_key(|c| (money.value - c.value).abs());
    if let Some(c) = nearest {
        let diff = money.value - c.value;
        let how = if diff < Decimal::ZERO {
            "short of"
        } else {
            "more than"
        };
        out.push(
            Diagnostic::error(
                Code::NearMiss,
                claim.file,
                claim.range.clone(),
                format!(
                    "{} is {} {} {}",
                    claim.written,
                    format_exact(diff.abs()),
                    how,
                    c.explain
                ),
            )
            .with_label("nearly matches, but not at the precision written")
            .with_hint(format!(
                "write {} (or quote the figure through {{{{ fig.NAME }}}} so it is typed once)",
                format_exact(c.value)
            )),
        );
    }
}

fn known_values(paper: &Paper, report_body: &Document) -> Vec<Known> {
    let mut known = table_values(report_body, "the");
    for figure in paper.figures.values() {
        if let Some(v) = figure.value {
            known.push(Known {
                value: v,
                label: format!("figure `{}`", figure.name),
            });
        }
    }
    if let Some(report) = &paper.report {
        for (name, field) in [
            ("spending", &report.meta.spending),
            ("saving", &report.meta.saving),
        ] {
            if let Some(m) = field {
                known.push(Known {
                    value: m.value.money.value,
                    label: format!("the report's {name}"),
                });
            }
        }
    }
    known
}

fn table_values(body: &Document, whose: &str) -> Vec<Known> {
    let mut known = Vec::new();
    for table in &body.tables {
        for row in &table.rows {
            let label = row
                .cells
                .iter()
                .find(|c| matches!(c.value, CellValue::Text))
                .map_or(String::new(), |c| {
                    c.text.text.replace("**", "").trim().to_string()
                });
            for cell in &row.cells {
                if let Some(m) = cell.amount() {
                    known.push(Known {
                        value: m.value,
                        label: format!("{whose} table {} “{label}”", table.id),
                    });
                }
            }
        }
    }
    known
}

/// Every known value, and every sum and difference of two of them, each with its arithmetic.
fn candidates(known: &[Known]) -> Vec<Candidate> {
    let mut unique: Vec<&Known> = Vec::new();
    for k in known {
        if !unique.iter().any(|u| u.value == k.value) {
            unique.push(k);
        }
    }
    let mut out: Vec<Candidate> = unique
        .iter()
        .map(|k| Candidate {
            value: k.value,
            explain: format!("{} ({})", format_exact(k.value), k.label),
        })
        .collect();
    for (i, a) in unique.iter().enumerate() {
        for b in &unique[i + 1..] {
            let (big, small) = if a.value >= b.value { (a, b) } else { (b, a) };
            out.push(Candidate {
                value: a.value + b.value,
                explain: format!(
                    "{} + {} = {}",
                    format_exact(big.value),
                    format_exact(small.value),
                    format_exact(a.value + b.value)
                ),
            });
            out.push(Candidate {
                value: big.value - small.value,
                explain: format!(
                    "{} − {} = {}",
                    format_exact(big.value),
                    format_exact(small.value),
                    format_exact(big.value - small.value)
                ),
            });
        }
    }
    out
}

/// Amounts stated in a body's prose (tables are facts, not claims).
pub fn body_claims(file: FileId, body: &Document) -> Vec<Claim> {
    let mut claims = Vec::new();
    for block in body.prose() {
        if matches!(block.kind, BlockKind::Table(_)) {
            continue;
        }
        for found in scan_amounts(&block.text.text) {
            claims.push(Claim {
                file,
                range: block.text.source_range(found.range.clone()),
                written: block.text.text[found.range].to_string(),
                money: found.money,
            });
        }
    }
    claims
}

/// Amounts stated in one front-matter string, located within its YAML source.
pub fn value_claims<M>(
    cx: &PaperContext,
    source: &Source<M>,
    value: &Spanned<String>,
) -> Vec<Claim> {
    let span = source.span(value);
    let text = cx.sources.text(source.file);
    scan_amounts(&value.value)
        .into_iter()
        .map(|found| {
            let written = value.value[found.range.clone()].to_string();
            let mut claim = Claim {
                file: source.file,
                range: span.clone(),
                written,
                money: found.money,
            };
            narrow(text, &mut claim);
            claim
        })
        .collect()
}

fn report_claims(cx: &PaperContext, report: &Source<crate::model::ReportMeta>) -> Vec<Claim> {
    let mut claims = body_claims(report.file, &report.body);
    for rec in &report.meta.recommendations {
        claims.extend(value_claims(cx, report, &rec.text));
        if let Some(d) = &rec.decision {
            claims.extend(value_claims(cx, report, d));
        }
    }
    if let Some(reason) = &report.meta.key_decision_reason {
        claims.extend(value_claims(cx, report, reason));
    }
    claims
}

/// Narrows a claim's range from the whole YAML value to the amount itself, when the source
/// holds the amount as written (it does unless the scalar was folded across lines).
fn narrow(text: &str, claim: &mut Claim) {
    if let Some(slice) = text.get(claim.range.clone()) {
        if let Some(at) = slice.find(&claim.written) {
            let start = claim.range.start + at;
            claim.range = start..start + claim.written.len();
        }
    }
}
