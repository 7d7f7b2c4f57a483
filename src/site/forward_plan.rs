//! The forward plan: the council's notice of its key decisions (SI 2012/2089 regs 9-11), from
//! the papers' own front matter: each key decision, who takes it, when, when it was first
//! published in the plan, the reasons for exemption where a part is private, and its documents;
//! and whether it had the 28 clear days' notice reg 9 asks for. As a page and as a PDF.

use serde::Serialize;

use crate::check::meeting::{clear_days, KEY_DECISION_CLEAR_DAYS};

use super::catalogue::{Catalogue, Link};
use super::pages::File;

/// One key decision as the plan lists it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PlanEntry {
    pub(crate) title: String,
    pub(crate) decision_number: String,
    pub(crate) council: String,
    /// Who takes it: the committee, else the decision maker's name and role.
    pub(crate) decision_maker: String,
    pub(crate) decision_date: String,
    pub(crate) first_published: String,
    /// "28 clear days' notice: yes (32)", or what is short or unknown.
    pub(crate) notice: String,
    pub(crate) notice_met: Option<bool>,
    /// Why it is exempt, for a paper that is: its Schedule 12A paragraph. Nothing else of it.
    pub(crate) exemption: String,
    pub(crate) recommendations: Vec<String>,
    pub(crate) documents: Vec<Link>,
}

fn long(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(crate::text::long_date)
        .unwrap_or_default()
}

/// Whether a decision first published on `noticed` and taken on `decided` (`YYYY-MM-DD`) had
/// 28 clear days' notice, in words, and as a yes or no when both dates are known.
fn notice(noticed: &str, decided: &str) -> (String, Option<bool>) {
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    match (day(noticed), day(decided)) {
        (Some(n), Some(d)) => {
            let days = clear_days(n, d);
            let met = days >= KEY_DECISION_CLEAR_DAYS;
            let word = if met { "yes" } else { "no" };
            (format!("{word}: {days} clear days"), Some(met))
        }
        (None, _) => ("not known: no date of first publication".into(), None),
        (_, None) => ("not known: no date of decision".into(), None),
    }
}

/// Every key decision the site holds, soonest decision date last (newest first, as the index).
/// `root` is the way from the page to the site's root, for the documents' links.
pub(crate) fn entries(cat: &Catalogue, root: &str) -> Vec<PlanEntry> {
    cat.papers
        .iter()
        .filter(|p| p.key_decision)
        .map(|p| {
            let (notice, met) = notice(&p.forward_plan_date, &p.decision_date);
            // The person who takes it when the paper names one (a committee may only consider
            // it first), else the committee.
            let person = [p.decision_maker.as_str(), p.decision_maker_role.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            let maker = if person.is_empty() {
                p.committee.clone()
            } else {
                person
            };
            PlanEntry {
                title: p.title.clone(),
                decision_number: p.decision_number.clone(),
                council: p.council.clone(),
                decision_maker: maker,
                decision_date: long(&p.decision_date),
                first_published: long(&p.forward_plan_date),
                notice,
                notice_met: met,
                exemption: if p.exempt {
                    match p.paragraph {
                        Some(n) => format!("Exempt under paragraph {n} of Schedule 12A to the Local Government Act 1972: its papers are not published"),
                        None => "Exempt under Schedule 12A to the Local Government Act 1972: its papers are not published".into(),
                    }
                } else {
                    String::new()
                },
                recommendations: if p.exempt {
                    Vec::new()
                } else {
                    p.recommendations.iter().map(|(_, t)| t.clone()).collect()
                },
                documents: p
                    .links
                    .iter()
                    .map(|l| Link {
                        label: l.label.clone(),
                        href: format!("{root}{}", l.href),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// What the plan's page and PDF are made from.
pub(crate) fn data(cat: &Catalogue, root: &str) -> serde_json::Value {
    let only = match cat.councils.as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    serde_json::json!({
        "title": "Forward plan of key decisions",
        "council": only,
        "entries": entries(cat, root),
        "days": KEY_DECISION_CLEAR_DAYS,
    })
}

/// The forward plan's page.
pub(crate) fn page(
    cat: &Catalogue,
    t: &crate::render::Templates,
    pdf: bool,
) -> Result<File, String> {
    let mut data = data(cat, "../");
    data["pdf"] = serde_json::json!(pdf);
    let html = t.html(
        "forward-plan.html",
        &data,
        &[("root", serde_json::json!("../"))],
    )?;
    Ok(("forward-plan/index.html".into(), html.into_bytes()))
}
