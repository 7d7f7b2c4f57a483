//! Versions of a published paper: when it changes, its earlier version stays at an address of
//! its own (`FOLDER/versions/N/`), and the new one says when it was updated and what changed;
//! a paper no longer published leaves a notice at every address it had.
//!
//! What each published paper was is the build's recorded history (`.clerk/versions.json`, the
//! [`History`]): a hash of its files, what it said (its recommendations and figures, for the
//! next diff), its pages, its earlier versions, and the date it went out. Its current version's
//! documents are data the build can read back (the JSON the site publishes beside each page, or,
//! in a build without the JSON format, `.clerk/versions/FOLDER/current.json`, a [`Snapshot`]),
//! so that when it changes the build can lay that version out again at its own address, with
//! the templates and under a banner saying it is an earlier version.
//!
//! The dates come from the papers and from the history, never from the clock: a new version
//! is dated by its `updated:` front matter (the report's or the record's), and when that is
//! missing or not later than the last version's, by the latest date the paper itself carries,
//! with warning C1203. So the same papers and the same history always give the same site,
//! byte for byte.
//!
//! A paper no longer published, for any reason (its folder removed, made exempt, in doubt, a
//! draft), leaves at each address it had a notice that it is no longer published, and nothing
//! else: its earlier versions and its kept documents are removed with it, and its history
//! keeps its addresses and nothing of its text. The notice of a paper whose folder was removed
//! names its title and number, which were public; that of a paper withheld names nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::catalogue::Link;
use super::pages::File;

/// Where the history is kept in the output.
pub(crate) const HISTORY: &str = ".clerk/versions.json";

/// Where a published paper's current documents are kept, to be laid out as an earlier version.
pub(crate) fn snapshot_path(rel: &str) -> String {
    format!(".clerk/versions/{rel}/current.json")
}

/// What a page says of a paper republished with changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Updated {
    /// `YYYY-MM-DD`, and as the page prints it.
    pub(crate) date: String,
    pub(crate) date_text: String,
    /// What changed: each recommendation or figure, as a word diff.
    pub(crate) changes: Vec<Change>,
    /// The earlier versions, oldest first, from the paper's folder.
    pub(crate) earlier: Vec<Link>,
}

/// One thing that changed between two versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Change {
    pub(crate) what: String,
    /// The diff as text (`[-old-]{+new+}`), and as pieces for the page to mark up.
    pub(crate) diff: String,
    pub(crate) pieces: Vec<DiffPiece>,
}

/// A piece of a word diff: `same`, `removed` or `added`, and its words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DiffPiece {
    pub(crate) kind: String,
    pub(crate) text: String,
}

/// What a version of a paper says that a reader compares: its title, recommendations and
/// figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Said {
    pub(crate) title: String,
    pub(crate) number: String,
    /// Each recommendation's id and words.
    pub(crate) recommendations: Vec<(String, String)>,
    /// Each named figure and its value as written out.
    pub(crate) figures: Vec<(String, String)>,
}

/// An earlier version kept: its number, when it went out, and its files in the output.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Version {
    pub(crate) number: u32,
    pub(crate) published: String,
    pub(crate) files: Vec<String>,
}

/// What the history knows of one paper, by its folder in the output.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PaperHistory {
    /// A hash of the paper's files as last published; empty once withdrawn.
    pub(crate) hash: String,
    /// When the current version went out (`YYYY-MM-DD`), and its `updated:` as written.
    pub(crate) published: String,
    pub(crate) updated: String,
    pub(crate) said: Said,
    /// The current version's pages (HTML), by their path in the output.
    pub(crate) pages: Vec<String>,
    pub(crate) versions: Vec<Version>,
    /// The number the next earlier version takes: numbers are never used twice.
    pub(crate) next: u32,
    /// What the current version's pages say of the last change.
    pub(crate) update: Option<Updated>,
    /// Addresses the paper had that it no longer has: each shows a notice.
    pub(crate) notices: Vec<String>,
    /// Set while the paper is not published: what its notices name (nothing, or its title
    /// and number when its folder was removed).
    pub(crate) withdrawn: Option<String>,
    /// The current version's documents (their views left out) and links, to lay it out again.
    pub(crate) snapshot: Snapshot,
    /// Whether its documents' views are kept in `.clerk/` ([`snapshot_path`]); else they are
    /// the JSON the site publishes beside its pages (`FOLDER/STEM.json`).
    pub(crate) views_kept: bool,
}

/// The build's recorded history of every paper it published.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct History {
    pub(crate) papers: BTreeMap<String, PaperHistory>,
}

impl History {
    /// The history an earlier build left in `out`, or an empty one.
    pub(crate) fn read(out: &crate::write::Output) -> History {
        out.path(HISTORY)
            .ok()
            .and_then(|p| crate::load::read_raw(&p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

/// One document of a version, kept as data: the template that lays it out, its page's name,
/// its file stem and its view (the JSON every format reads; empty in the history, which keeps
/// views apart).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredDoc {
    pub(crate) template: String,
    pub(crate) page: String,
    pub(crate) stem: String,
    pub(crate) view: String,
}

/// A published paper's current version, kept to be laid out again once it is replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) docs: Vec<StoredDoc>,
    /// The links each of its pages gave, relative to the paper's folder.
    pub(crate) links: Vec<Link>,
}

/// A hash of a paper's files (their names in its folder and their bytes): what says it changed.
pub(crate) fn source_hash(paths: &crate::load::PaperPaths) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for file in paths
        .report
        .iter()
        .chain(paths.decision.iter())
        .chain(paths.appendices.iter())
    {
        let name = file.strip_prefix(&paths.dir).unwrap_or(file);
        hash.update(name.to_string_lossy().as_bytes());
        hash.update([0]);
        hash.update(crate::load::read_raw(file).ok()?);
    }
    Some(format!("{:x}", hash.finalize()))
}

/// The current version of a paper as this build publishes it.
pub(crate) struct Now {
    pub(crate) rel: String,
    pub(crate) hash: String,
    /// Its `updated:` (the later of the report's and the record's), `YYYY-MM-DD`, or empty.
    pub(crate) updated: String,
    /// The latest date the paper carries (report, record, meeting), `YYYY-MM-DD`, or empty.
    pub(crate) latest: String,
    pub(crate) said: Said,
    pub(crate) pages: Vec<String>,
    pub(crate) snapshot: Snapshot,
    /// Whether the build publishes each document's view as JSON beside its page, where the
    /// version can be read back from; else the views are kept in `.clerk/`.
    pub(crate) views_published: bool,
}

/// What a build does about one published paper's versions: its history from now on, the
/// files to write (its kept documents, and the pages and PDFs of the version it replaces),
/// the files of earlier versions that stay, and a warning when its new version is undated.
#[derive(Default)]
pub(crate) struct Step {
    pub(crate) history: PaperHistory,
    pub(crate) files: Vec<File>,
    pub(crate) kept: Vec<String>,
    pub(crate) undated: Option<String>,
    pub(crate) failures: Vec<String>,
}

/// A `YYYY-MM-DD` date as the pages print it ("9 March 2021"), or nothing.
pub(crate) fn long(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(crate::text::long_date)
        .unwrap_or_default()
}

/// Lays out a kept document as an earlier version: its view, template, and the values the
/// template reads besides, as the HTML format would.
pub(crate) type LayOut<'a> =
    &'a dyn Fn(&StoredDoc, &[(&str, serde_json::Value)]) -> Result<String, String>;

/// What a build does about the versions of a published paper, given what the history says it
/// was (`last`).
pub(crate) fn step(
    last: Option<&PaperHistory>,
    now: Now,
    out: &crate::write::Output,
    laid_out: LayOut,
) -> Step {
    // The views are kept apart only when the site does not publish them as JSON.
    let views: Vec<File> = (!now.views_published)
        .then(|| {
            let bytes = serde_json::to_vec(&now.snapshot).unwrap_or_default();
            (snapshot_path(&now.rel), bytes)
        })
        .into_iter()
        .collect();
    let live = last.filter(|h| h.withdrawn.is_none() && !h.hash.is_empty());
    let Some(h) = live else {
        return Step {
            history: first(last, now),
            files: views,
            ..Step::default()
        };
    };
    let kept: Vec<String> = h.versions.iter().flat_map(|v| v.files.clone()).collect();
    // An address the paper no longer has (an appendix taken out) shows a notice.
    let mut notices = h.notices.clone();
    notices.extend(h.pages.iter().cloned());
    notices.retain(|p| !now.pages.contains(p));
    notices.sort();
    notices.dedup();
    if h.hash == now.hash {
        return Step {
            history: PaperHistory {
                notices,
                pages: now.pages,
                views_kept: !now.views_published,
                snapshot: without_views(now.snapshot),
                ..h.clone()
            },
            files: views,
            kept,
            ..Step::default()
        };
    }
    let mut step = Step {
        kept,
        ..Step::default()
    };
    step.history = changed(h, now, notices, out, laid_out, &mut step);
    step.files.extend(views);
    step
}

/// A snapshot as the history keeps it: its documents' views left out.
fn without_views(mut snapshot: Snapshot) -> Snapshot {
    for doc in &mut snapshot.docs {
        doc.view.clear();
    }
    snapshot
}

/// A paper published for the first time, or again after it was withdrawn: no earlier version,
/// and its notices where it has no page now.
fn first(last: Option<&PaperHistory>, now: Now) -> PaperHistory {
    let notices = last.map(|h| h.notices.clone()).unwrap_or_default();
    let published = if now.updated.is_empty() {
        now.latest.clone()
    } else {
        now.updated.clone()
    };
    PaperHistory {
        notices: notices
            .into_iter()
            .filter(|p| !now.pages.contains(p))
            .collect(),
        next: last.map_or(1, |h| h.next.max(1)),
        published,
        ..fresh(now)
    }
}

/// A published paper that changed: the version it replaces laid out at its own address, and
/// the new one dated by its `updated:` (else by the latest date it carries, a warning).
fn changed(
    h: &PaperHistory,
    now: Now,
    notices: Vec<String>,
    out: &crate::write::Output,
    laid_out: LayOut,
    step: &mut Step,
) -> PaperHistory {
    let n = h.next.max(1);
    let version = archive(h, n, &now.rel, out, laid_out, step);
    let (date, undated) = if !now.updated.is_empty() && now.updated > h.published {
        (now.updated.clone(), false)
    } else {
        (now.latest.clone().max(h.published.clone()), true)
    };
    if undated {
        step.undated = Some(date.clone());
    }
    let mut versions = h.versions.clone();
    versions.push(version);
    let update = Updated {
        date: date.clone(),
        date_text: long(&date),
        changes: changes(&h.said, &now.said),
        earlier: versions
            .iter()
            .map(|v| Link {
                label: match long(&v.published) {
                    d if d.is_empty() => format!("Version {}", v.number),
                    d => format!("Version {}, published {d}", v.number),
                },
                href: format!("versions/{}/index.html", v.number),
            })
            .collect(),
    };
    PaperHistory {
        published: date,
        versions,
        next: n + 1,
        update: Some(update),
        notices,
        ..fresh(now)
    }
}

/// The history of a paper as it is now published, with no earlier version.
fn fresh(now: Now) -> PaperHistory {
    PaperHistory {
        hash: now.hash,
        updated: now.updated,
        said: now.said,
        pages: now.pages,
        views_kept: !now.views_published,
        snapshot: without_views(now.snapshot),
        ..PaperHistory::default()
    }
}

/// Lays out the version `h` describes (its kept documents) at `FOLDER/versions/N/`, with its
/// PDFs as they are in the output, and returns it as a version.
fn archive(
    h: &PaperHistory,
    n: u32,
    rel: &str,
    out: &crate::write::Output,
    laid_out: LayOut,
    step: &mut Step,
) -> Version {
    let folder = format!("{rel}/versions/{n}");
    let read = |path: &str| {
        out.path(path)
            .ok()
            .and_then(|p| crate::load::read_raw(&p).ok())
    };
    // Its documents, each with its view: kept apart, or as the site published it.
    let kept: Snapshot = read(&snapshot_path(rel))
        .filter(|_| h.views_kept)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut snapshot = h.snapshot.clone();
    for doc in &mut snapshot.docs {
        doc.view = match kept.docs.iter().find(|k| k.stem == doc.stem) {
            Some(k) => k.view.clone(),
            None => read(&format!("{rel}/{}.json", doc.stem))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
        };
    }
    snapshot.docs.retain(|d| !d.view.is_empty());
    let mut files: Vec<File> = snapshot
        .docs
        .iter()
        .filter_map(|doc| {
            let pdf = read(&format!("{rel}/{}.pdf", doc.stem))?;
            Some((format!("{folder}/{}.pdf", doc.stem), pdf))
        })
        .collect();
    let banner = json!({
        "number": n,
        "published_text": long(&h.published),
        "current": "../../index.html",
    });
    let pages = pages(&snapshot, &folder, &files, banner, laid_out);
    for (doc, page) in snapshot.docs.iter().zip(pages) {
        match page {
            Ok(html) => files.push((format!("{folder}/{}", doc.page), html.into_bytes())),
            Err(e) => step.failures.push(format!("{rel}, version {n}: {e}")),
        }
    }
    let version = Version {
        number: n,
        published: h.published.clone(),
        files: files.iter().map(|(f, _)| f.clone()).collect(),
    };
    step.files.extend(files);
    version
}

/// Each kept document's page in the version's folder, under its banner, linking the files the
/// version has there (its pages, and the PDFs in `pdfs`).
fn pages(
    snapshot: &Snapshot,
    folder: &str,
    pdfs: &[File],
    banner: serde_json::Value,
    laid_out: LayOut,
) -> Vec<Result<String, String>> {
    let made: Vec<String> = snapshot
        .docs
        .iter()
        .map(|d| d.page.clone())
        .chain(
            pdfs.iter()
                .filter_map(|(f, _)| Some(f.rsplit('/').next()?.to_string())),
        )
        .collect();
    let links: Vec<&Link> = snapshot
        .links
        .iter()
        .filter(|l| made.iter().any(|m| crate::render::href_path(m) == l.href))
        .collect();
    let root = "../".repeat(folder.split('/').count());
    snapshot
        .docs
        .iter()
        .map(|doc| {
            let extra = [
                ("root", json!(root)),
                ("review_href", json!("")),
                ("links", json!(links)),
                ("problems", json!(0)),
                ("placeholders", json!(0)),
                ("version", banner.clone()),
            ];
            laid_out(doc, &extra)
        })
        .collect()
}

/// What changed between two versions: each recommendation (by id) and figure (by name) whose
/// words or value differ, added or removed, as a word diff.
fn changes(old: &Said, new: &Said) -> Vec<Change> {
    let mut out = Vec::new();
    let mut compare = |what: String, a: &str, b: &str| {
        if crate::text::same_words(a, b) {
            return;
        }
        let pieces = crate::text::word_diff_pieces(a, b)
            .into_iter()
            .map(|(kind, text)| DiffPiece {
                kind: match kind {
                    crate::text::Piece::Same => "same",
                    crate::text::Piece::Removed => "removed",
                    crate::text::Piece::Added => "added",
                }
                .into(),
                text,
            })
            .collect();
        out.push(Change {
            what,
            diff: crate::text::word_diff(a, b),
            pieces,
        });
    };
    if old.title != new.title {
        compare("Title".into(), &old.title, &new.title);
    }
    let by_id =
        |list: &[(String, String)]| -> BTreeMap<String, String> { list.iter().cloned().collect() };
    for (label, a, b) in [
        ("Recommendation", &old.recommendations, &new.recommendations),
        ("Figure", &old.figures, &new.figures),
    ] {
        let (a, b) = (by_id(a), by_id(b));
        let ids: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for id in ids {
            let (was, is) = (a.get(id), b.get(id));
            let what = match (was, is) {
                (None, _) => format!("{label} {id} (added)"),
                (_, None) => format!("{label} {id} (removed)"),
                _ => format!("{label} {id}"),
            };
            compare(
                what,
                was.map_or("", String::as_str),
                is.map_or("", String::as_str),
            );
        }
    }
    out
}

/// The files that keep a published paper's versions, with what makes them: its kept
/// documents and the files of its earlier versions.
pub(crate) fn kept(rel: &str, h: &PaperHistory) -> Vec<(String, super::Origin)> {
    let mut files = Vec::new();
    if h.views_kept {
        files.push((snapshot_path(rel), super::Origin::Record));
    }
    for v in &h.versions {
        for f in &v.files {
            let origin = super::Origin::Version {
                paper: rel.to_string(),
            };
            files.push((f.clone(), origin));
        }
    }
    files
}

/// A paper's history once it is no longer published: its addresses, each now a notice, and
/// nothing of what it said. `named` is what the notices name (a removed paper's title and
/// number), if anything.
pub(crate) fn withdrawn(h: &PaperHistory, named: Option<String>) -> PaperHistory {
    let mut notices = h.notices.clone();
    notices.extend(h.pages.iter().cloned());
    for v in &h.versions {
        notices.extend(v.files.iter().filter(|f| f.ends_with(".html")).cloned());
    }
    notices.sort();
    notices.dedup();
    // Once withheld (exempt, say), never named again, even should its folder go later.
    let named = match &h.withdrawn {
        Some(before) if before.is_empty() => String::new(),
        _ => named.unwrap_or_default(),
    };
    PaperHistory {
        next: h.next,
        notices,
        withdrawn: Some(named),
        ..PaperHistory::default()
    }
}

/// The notice at an address a paper no longer has: that it is no longer published, and for a
/// removed paper its title and number.
pub(crate) fn notice(
    page: &str,
    named: &str,
    t: &crate::render::Templates,
) -> Result<File, String> {
    let root = "../".repeat(page.split('/').count() - 1);
    let html = t.html(
        "notice.html",
        &json!({ "title": "No longer published", "named": named }),
        &[("root", json!(root))],
    )?;
    Ok((page.to_string(), html.into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(recs: &[(&str, &str)], figures: &[(&str, &str)]) -> Said {
        let own = |l: &[(&str, &str)]| {
            l.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        Said {
            title: "Library Opening Hours".into(),
            number: "21/00001".into(),
            recommendations: own(recs),
            figures: own(figures),
        }
    }

    #[test]
    fn changes_are_each_recommendation_and_figure_that_differ() {
        let old = said(
            &[
                ("i", "To open on Saturdays."),
                ("ii", "To close on Mondays."),
            ],
            &[("cost", "£12,000"), ("staff", "£3,000")],
        );
        let new = said(
            &[
                ("i", "To open on Saturdays and Sundays."),
                ("iii", "To review in a year."),
            ],
            &[("cost", "£14,500"), ("staff", "£3,000")],
        );
        let c = changes(&old, &new);
        let what: Vec<&str> = c.iter().map(|c| c.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "Recommendation i",
                "Recommendation ii (removed)",
                "Recommendation iii (added)",
                "Figure cost"
            ]
        );
        assert_eq!(c[0].diff, "To open on Saturdays {+and Sundays+}");
        assert_eq!(c[3].diff, "[-£12,000-]{+£14,500+}");
        assert!(changes(&old, &old).is_empty());
    }

    #[test]
    fn a_withdrawn_paper_keeps_its_addresses_and_nothing_it_said() {
        let h = PaperHistory {
            hash: "abc".into(),
            said: said(&[("i", "A secret recommendation.")], &[]),
            pages: vec!["p/index.html".into()],
            versions: vec![Version {
                number: 1,
                published: "2021-03-01".into(),
                files: vec![
                    "p/versions/1/index.html".into(),
                    "p/versions/1/report.pdf".into(),
                ],
            }],
            next: 2,
            ..PaperHistory::default()
        };
        let w = withdrawn(&h, None);
        assert_eq!(w.notices, ["p/index.html", "p/versions/1/index.html"]);
        assert_eq!(w.next, 2);
        assert!(w.versions.is_empty() && w.hash.is_empty());
        assert!(!format!("{w:?}").contains("secret"));
        // Withheld once, never named after.
        let again = withdrawn(&w, Some("Library Opening Hours (21/00001)".into()));
        assert_eq!(again.withdrawn.as_deref(), Some(""));
    }
}
