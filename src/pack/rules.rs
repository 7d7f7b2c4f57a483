//! The law's deadlines and the agenda's own rules for a meeting (C0704, C0904, C0905).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::meeting::MeetingMeta;

use super::agenda::*;
use super::*;

/// Clear days between two dates: neither the first (publication) nor the last (the meeting)
/// counts (Local Government Act 1972 s100B; SI 2012/2089 reg 9).
pub fn clear_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() - 1
}

/// An agenda needs five clear days; a key decision 28.
pub const AGENDA_CLEAR_DAYS: i64 = 5;
pub const KEY_DECISION_CLEAR_DAYS: i64 = 28;

/// The law's deadlines and the agenda's own rules for one meeting: the agenda's five clear
/// days (C0904), each Part 2 item's Schedule 12A paragraph (C0704) and each key decision's
/// 28 clear days' notice (C0905). Findings point into the meeting file (`MEETING_FILE`).
pub(super) fn meeting_rules<'a>(
    m: &MeetingMeta,
    items: impl Iterator<Item = &'a Resolved<'a>>,
    facts: &BTreeMap<PathBuf, Facts>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (date, published) = (m.date.value.0, m.published.value.0);
    let days = clear_days(published, date);
    if days < AGENDA_CLEAR_DAYS {
        out.push(
            Diagnostic::error(
                Code::AgendaLate,
                MEETING_FILE,
                span_of(&m.published),
                format!("published {} before the meeting; the law asks for {AGENDA_CLEAR_DAYS}", crate::text::count(days.max(0), "clear day")),
            )
            .with_note("clear days leave out the day of publication and the day of the meeting (Local Government Act 1972 s100B)")
            .with_hint(format!("publish by {} for a meeting on {}", (date - chrono::Duration::days(AGENDA_CLEAR_DAYS + 1)).format("%-d %B %Y"), date.format("%-d %B %Y"))),
        );
    }
    for r in items {
        let (Some(dir), Some(paper)) = (&r.dir, &r.item.paper) else {
            continue;
        };
        let Some(f) = facts.get(dir) else { continue };
        if r.part == 2 {
            let valid = f.jurisdiction.exempt_paragraphs();
            match &r.item.paragraph {
                None => out.push(
                    Diagnostic::error(Code::ExemptParagraph, MEETING_FILE, span_of(paper), "a Part 2 item must say which paragraph of Schedule 12A it is exempt under")
                        .with_hint(format!("add `paragraph:` ({}-{} in {:?})", valid.start(), valid.end(), f.jurisdiction)),
                ),
                Some(p) if !valid.contains(&p.value) => out.push(Diagnostic::error(
                    Code::ExemptParagraph,
                    MEETING_FILE,
                    span_of(p),
                    format!("paragraph {} of Schedule 12A does not apply in {:?}: its paragraphs are {}-{}", p.value, f.jurisdiction, valid.start(), valid.end()),
                )),
                Some(_) => {}
            }
        }
        if f.key_decision {
            match f.forward_plan {
                None => out.push(
                    Diagnostic::error(Code::KeyDecisionNotice, MEETING_FILE, span_of(paper), format!("“{}” is a key decision with no forward-plan date", f.title))
                        .with_hint("add `forward_plan_date:` to the report's front matter: the day the decision was first published in the forward plan"),
                ),
                Some(notice) if clear_days(notice, date) < KEY_DECISION_CLEAR_DAYS => {
                    let days = clear_days(notice, date).max(0);
                    out.push(
                        Diagnostic::error(
                            Code::KeyDecisionNotice,
                            MEETING_FILE,
                            span_of(paper),
                            format!("“{}” is a key decision with {days} clear days' notice; it needs {KEY_DECISION_CLEAR_DAYS}", f.title),
                        )
                        .with_note("SI 2012/2089 reg 9; for urgency see the general exception (reg 10) and special urgency (reg 11)"),
                    );
                }
                Some(_) => {}
            }
        }
    }
    out
}
