//! A meeting's own rules, read from its meeting file: the agenda's items (C0901 a paper that is
//! not there, C0902 one listed twice, C0906 an item that is neither a standard item nor a
//! paper), a supplement's reason (C0908), and the law's deadlines: the agenda's five clear days
//! (C0904), each key decision's 28 (C0905) and each Part 2 item's Schedule 12A paragraph
//! (C0704). Findings point into the meeting file, as `MEETING_FILE` until it joins the
//! source map.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::meeting::{AgendaItem, MeetingMeta, Supplement};
use crate::model::Jurisdiction;

/// A placeholder file id for the meeting file until it joins the shared source map.
pub const MEETING_FILE: usize = usize::MAX;

/// Clear days between two dates: neither the first (publication) nor the last (the meeting)
/// counts (Local Government Act 1972 s100B; SI 2012/2089 reg 9).
pub fn clear_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() - 1
}

/// An agenda needs five clear days; a key decision 28.
pub const AGENDA_CLEAR_DAYS: i64 = 5;
pub const KEY_DECISION_CLEAR_DAYS: i64 = 28;

/// One agenda item, with its part and, for a paper that is there and listed once, its folder.
pub struct Resolved<'a> {
    pub item: &'a AgendaItem,
    pub part: u8,
    pub dir: Option<PathBuf>,
}

/// The meeting's agenda resolved: the main items (Part 1 then Part 2), and the late items of
/// the supplement asked for, with that supplement.
#[derive(Default)]
pub struct Agenda<'a> {
    pub resolved: Vec<Resolved<'a>>,
    pub late: Vec<Resolved<'a>>,
    pub supplement: Option<&'a Supplement>,
}

/// What the deadlines need to know of a paper on the agenda.
pub struct PaperFacts<'a> {
    pub title: &'a str,
    pub key_decision: bool,
    pub forward_plan: Option<NaiveDate>,
    pub jurisdiction: Jurisdiction,
}

/// Where a value sits in the meeting file (at least one byte, so a label has somewhere to go).
pub fn span_of<T>(value: &Spanned<T>) -> Range<usize> {
    let span = value.referenced.span();
    let start = span.byte_offset().unwrap_or(0) as usize;
    start..start + (span.byte_len().unwrap_or(0) as usize).max(1)
}

/// Resolves every agenda item, and supplement `supplement` when one is asked for (one the
/// meeting does not list is an error; one that gives no reason, C0908). Paper folders are
/// relative to the meeting file.
pub fn resolve_agenda<'a>(
    m: &'a MeetingMeta,
    supplement: Option<u32>,
    meeting_file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Agenda<'a>, String> {
    let meeting_dir = meeting_file.parent().unwrap_or(Path::new(""));
    let mut seen = BTreeMap::new();
    let mut agenda = Agenda::default();
    for (part, items) in [(1u8, &m.part1), (2u8, &m.part2)] {
        for item in items.iter().flatten() {
            let dir = resolve(item, meeting_dir, &mut seen, diagnostics);
            agenda.resolved.push(Resolved { item, part, dir });
        }
    }
    let Some(n) = supplement else {
        return Ok(agenda);
    };
    let s = m
        .supplements
        .iter()
        .find(|s| s.number.value == n)
        .ok_or_else(|| {
            format!(
                "{} has no supplement {n} (its `supplements:` list the late items)",
                meeting_file.display()
            )
        })?;
    if s.reason.as_ref().is_none_or(|r| r.value.trim().is_empty()) {
        diagnostics.push(
            Diagnostic::error(Code::SupplementReason, MEETING_FILE, span_of(&s.number), format!("supplement {n} does not say why its items are late"))
                .with_note("late items may be considered only where the chair agrees, for a reason the minutes record (Local Government Act 1972 s100B(4))")
                .with_hint("add `reason:` with the chair's reason"),
        );
    }
    for item in &s.items {
        let dir = resolve(item, meeting_dir, &mut seen, diagnostics);
        agenda.late.push(Resolved { item, part: 1, dir });
    }
    agenda.supplement = Some(s);
    Ok(agenda)
}

/// The folder of one agenda item's paper, if it is a paper that is there and not listed
/// before (`seen`: each paper's folder and where it was first listed).
fn resolve(
    item: &AgendaItem,
    meeting_dir: &Path,
    seen: &mut BTreeMap<PathBuf, Range<usize>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    let paper = match (&item.standard, &item.paper) {
        (Some(_), None) => return None,
        (None, Some(paper)) => paper,
        _ => {
            diagnostics.push(item_form(item));
            return None;
        }
    };
    let folder = meeting_dir.join(paper.value.trim());
    let Some(key) = crate::load::paper_folder(&folder) else {
        diagnostics.push(
            Diagnostic::error(
                Code::AgendaPaperMissing,
                MEETING_FILE,
                span_of(paper),
                format!("no paper at `{}`", folder.display()),
            )
            .with_hint(
                "give the paper's folder relative to this meeting file; the folder holds report.md",
            ),
        );
        return None;
    };
    if let Some(first) = seen.get(&key) {
        diagnostics.push(
            Diagnostic::error(
                Code::AgendaDuplicate,
                MEETING_FILE,
                span_of(paper),
                "this paper is already on the agenda",
            )
            .with_related(MEETING_FILE, first.clone(), "listed here first"),
        );
        return None;
    }
    seen.insert(key, span_of(paper));
    Some(folder)
}

/// C0906: an item that is both a standard item and a paper, or neither.
fn item_form(item: &AgendaItem) -> Diagnostic {
    let at = item
        .title
        .as_ref()
        .map(span_of)
        .or(item.paper.as_ref().map(span_of))
        .unwrap_or(0..1);
    Diagnostic::error(
        Code::AgendaItemForm,
        MEETING_FILE,
        at,
        "an agenda item needs either `standard:` or `paper:`, not both or neither",
    )
    .with_hint("standard: apologies | declarations | minutes | other; or paper: ../folder")
}

/// The law's deadlines for one meeting: the agenda's five clear days (C0904), each Part 2
/// item's Schedule 12A paragraph (C0704) and each key decision's 28 clear days' notice
/// (C0905). `facts` gives what is known of each item's paper, by its folder.
pub fn deadlines<'a>(
    m: &MeetingMeta,
    items: impl Iterator<Item = &'a Resolved<'a>>,
    facts: &dyn Fn(&Path) -> Option<PaperFacts<'a>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    out.extend(agenda_late(m));
    let date = m.date.value.0;
    for r in items {
        let (Some(dir), Some(paper)) = (&r.dir, &r.item.paper) else {
            continue;
        };
        let Some(f) = facts(dir) else { continue };
        if r.part == 2 {
            out.extend(exempt_paragraph(r.item, paper, &f));
        }
        if f.key_decision {
            out.extend(key_decision_notice(paper, &f, date));
        }
    }
    out
}

/// C0904: an agenda published fewer than five clear days before the meeting.
fn agenda_late(m: &MeetingMeta) -> Option<Diagnostic> {
    let (date, published) = (m.date.value.0, m.published.value.0);
    let days = clear_days(published, date);
    let latest = date - chrono::Duration::days(AGENDA_CLEAR_DAYS + 1);
    (days < AGENDA_CLEAR_DAYS).then(|| {
        Diagnostic::error(
            Code::AgendaLate,
            MEETING_FILE,
            span_of(&m.published),
            format!("published {} before the meeting; the law asks for {AGENDA_CLEAR_DAYS}", crate::text::count(days.max(0), "clear day")),
        )
        .with_note("clear days leave out the day of publication and the day of the meeting (Local Government Act 1972 s100B)")
        .with_hint(format!("publish by {} for a meeting on {}", crate::text::long_date(latest), crate::text::long_date(date)))
    })
}

/// C0704: a Part 2 item must name the paragraph of Schedule 12A it is exempt under, one that
/// applies in its council's nation.
fn exempt_paragraph(
    item: &AgendaItem,
    paper: &Spanned<String>,
    f: &PaperFacts,
) -> Option<Diagnostic> {
    let valid = f.jurisdiction.exempt_paragraphs();
    match &item.paragraph {
        None => Some(
            Diagnostic::error(
                Code::ExemptParagraph,
                MEETING_FILE,
                span_of(paper),
                "a Part 2 item must say which paragraph of Schedule 12A it is exempt under",
            )
            .with_hint(format!(
                "add `paragraph:` ({}-{} in {:?})",
                valid.start(),
                valid.end(),
                f.jurisdiction
            )),
        ),
        Some(p) if !valid.contains(&p.value) => Some(Diagnostic::error(
            Code::ExemptParagraph,
            MEETING_FILE,
            span_of(p),
            format!(
                "paragraph {} of Schedule 12A does not apply in {:?}: its paragraphs are {}-{}",
                p.value,
                f.jurisdiction,
                valid.start(),
                valid.end()
            ),
        )),
        Some(_) => None,
    }
}

/// C0905: a key decision with no forward-plan date, or fewer than 28 clear days' notice.
fn key_decision_notice(
    paper: &Spanned<String>,
    f: &PaperFacts,
    date: NaiveDate,
) -> Option<Diagnostic> {
    match f.forward_plan {
        None => Some(
            Diagnostic::error(Code::KeyDecisionNotice, MEETING_FILE, span_of(paper), format!("“{}” is a key decision with no forward-plan date", f.title))
                .with_hint("add `forward_plan_date:` to the report's front matter: the day the decision was first published in the forward plan"),
        ),
        Some(notice) if clear_days(notice, date) < KEY_DECISION_CLEAR_DAYS => {
            let days = clear_days(notice, date).max(0);
            Some(
                Diagnostic::error(
                    Code::KeyDecisionNotice,
                    MEETING_FILE,
                    span_of(paper),
                    format!("“{}” is a key decision with {days} clear days' notice; it needs {KEY_DECISION_CLEAR_DAYS}", f.title),
                )
                .with_note("SI 2012/2089 reg 9; for urgency see the general exception (reg 10) and special urgency (reg 11)"),
            )
        }
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn clear_days_leave_out_both_ends() {
        // Published Monday 1 March, meeting Tuesday 9 March: 2-8 March are clear, seven days.
        assert_eq!(clear_days(d("2021-03-01"), d("2021-03-09")), 7);
        assert_eq!(clear_days(d("2021-03-03"), d("2021-03-09")), 5);
        assert_eq!(clear_days(d("2021-03-04"), d("2021-03-09")), 4);
        assert_eq!(clear_days(d("2021-03-08"), d("2021-03-09")), 0);
    }
}
