//! What the pack needs of its agenda beyond the meeting's rules (check/meeting.rs): the pages
//! its links lead to, and the agenda's words.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::check::meeting::{span_of, Resolved};
use crate::diagnostic::{Code, Diagnostic};

use super::*;

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
