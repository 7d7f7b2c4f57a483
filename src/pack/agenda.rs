//! The agenda: which items are papers, where their folders are, and which pages they need.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::meeting::{AgendaItem, MeetingMeta, Supplement};

use super::*;

/// A placeholder file id for the meeting file until it joins the shared source map.
pub(super) const MEETING_FILE: usize = usize::MAX;

pub(super) struct Resolved<'a> {
    pub(super) item: &'a AgendaItem,
    pub(super) part: u8,
    pub(super) dir: Option<PathBuf>,
}

/// Works out which agenda items are papers and where their folders are, reporting folders
/// that are missing or listed twice.
pub(super) fn resolve<'a>(
    items: impl Iterator<Item = &'a AgendaItem>,
    part: u8,
    meeting_dir: &Path,
    seen: &mut BTreeMap<PathBuf, std::ops::Range<usize>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Resolved<'a>> {
    let mut out = Vec::new();
    for item in items {
        let mut dir = None;
        match (&item.standard, &item.paper) {
            (Some(_), None) => {}
            (None, Some(paper)) => {
                let folder = meeting_dir.join(paper.value.trim());
                if !folder.join(crate::load::REPORT_FILE).is_file() {
                    diagnostics.push(
                        Diagnostic::error(Code::AgendaPaperMissing, MEETING_FILE, span_of(paper), format!("no paper at `{}`", folder.display()))
                            .with_hint("give the paper's folder relative to this meeting file; the folder holds report.md"),
                    );
                } else {
                    let key = std::fs::canonicalize(&folder).unwrap_or_else(|_| folder.clone());
                    if let Some(first) = seen.get(&key) {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::AgendaDuplicate,
                                MEETING_FILE,
                                span_of(paper),
                                "this paper is already on the agenda",
                            )
                            .with_related(
                                MEETING_FILE,
                                first.clone(),
                                "listed here first",
                            ),
                        );
                    } else {
                        seen.insert(key, span_of(paper));
                        dir = Some(folder);
                    }
                }
            }
            _ => {
                let at = item
                    .title
                    .as_ref()
                    .map(span_of)
                    .or(item.paper.as_ref().map(span_of))
                    .unwrap_or(0..1);
                diagnostics.push(
                    Diagnostic::error(
                        Code::AgendaItemForm,
                        MEETING_FILE,
                        at,
                        "an agenda item needs either `standard:` or `paper:`, not both or neither",
                    )
                    .with_hint(
                        "standard: apologies | declarations | minutes | other; or paper: ../folder",
                    ),
                );
            }
        }
        out.push(Resolved { item, part, dir });
    }
    out
}

/// Part 1 papers whose report page `clerk build` has not written into this output folder: the
/// meeting page links each of them to `../../FOLDER/index.html`, which would lead nowhere.
pub(super) fn missing_pages(
    resolved: &[Resolved],
    facts: &BTreeMap<PathBuf, Facts>,
    out: &Path,
    papers: &Path,
    meeting: usize,
) -> Vec<Diagnostic> {
    resolved
        .iter()
        .filter(|r| r.part == 1)
        .filter_map(|r| {
            let paper = r.item.paper.as_ref()?;
            let f = facts.get(r.dir.as_ref()?)?;
            // As a browser follows the link: `meetings/../FOLDER` is `FOLDER`.
            let page = lexical(&out.join(&f.rel).join("index.html"));
            (f.publication.is_public() && !page.is_file()).then(|| {
                Diagnostic::warning(
                    Code::AgendaPageMissing,
                    meeting,
                    span_of(paper),
                    format!(
                        "the meeting page links “{}” to {}, which is not there",
                        f.title,
                        page.display()
                    ),
                )
                .with_label("its page is missing")
                .with_hint(format!(
                    "run `clerk build {} --out {}` first, then `clerk pack` again",
                    papers.display(),
                    out.display()
                ))
            })
        })
        .collect()
}

/// A path with each `NAME/..` taken out, without asking the file system.
pub(super) fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

pub(super) fn text_of(v: &Option<serde_saphyr::Spanned<String>>) -> String {
    v.as_ref()
        .map(|s| s.value.trim().to_string())
        .unwrap_or_default()
}

/// The folder papers live in: above `meetings/`, or the meeting file's own folder.
pub(super) fn papers_root(meeting_dir: &Path) -> PathBuf {
    if meeting_dir.file_name().is_some_and(|n| n == "meetings") {
        meeting_dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    } else {
        meeting_dir.to_path_buf()
    }
}

pub(super) fn span_of<T>(value: &serde_saphyr::Spanned<T>) -> std::ops::Range<usize> {
    let span = value.referenced.span();
    let start = span.byte_offset().unwrap_or(0) as usize;
    start..start + (span.byte_len().unwrap_or(0) as usize).max(1)
}

/// The meeting's agenda resolved: the main items (Part 1 then Part 2), and the late items of
/// the supplement asked for, with that supplement.
#[derive(Default)]
pub(super) struct Agenda<'a> {
    pub(super) resolved: Vec<Resolved<'a>>,
    pub(super) late: Vec<Resolved<'a>>,
    pub(super) supplement: Option<&'a Supplement>,
}

/// Resolves every agenda item, and supplement `supplement` when one is asked for (one the
/// meeting does not list is an error; one that gives no reason, C0908).
pub(super) fn resolve_agenda<'a>(
    m: &'a MeetingMeta,
    supplement: Option<u32>,
    meeting_file: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Agenda<'a>, String> {
    let meeting_dir = meeting_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut seen: BTreeMap<PathBuf, std::ops::Range<usize>> = BTreeMap::new();
    let mut agenda = Agenda::default();
    for (part, items) in [(1u8, &m.part1), (2u8, &m.part2)] {
        agenda.resolved.extend(resolve(
            items.iter().flatten(),
            part,
            &meeting_dir,
            &mut seen,
            diagnostics,
        ));
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
    agenda.late = resolve(s.items.iter(), 1, &meeting_dir, &mut seen, diagnostics);
    agenda.supplement = Some(s);
    Ok(agenda)
}
