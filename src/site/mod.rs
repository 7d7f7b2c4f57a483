//! The site: every file clerk's output folder holds, and what each is made from. `clerk
//! build`, `clerk pack` and `clerk serve` all go through it.
//!
//! A build makes the papers' files (its formats, `build/formats/`) and the site's own pages;
//! a pack makes a meeting's packs. The site's record (`.clerk/site.json`, the [`Manifest`])
//! lists every file with its [`Origin`], so that each command knows what the others made: a
//! build keeps the packs `clerk pack` made, and removes one only when its meeting is gone or a
//! paper in it is no longer public; whatever else nobody made this time is removed.
//!
//! The record decides nothing about what may be published: that is `check/publication.rs`'s
//! alone, asked again by every build. A pack is kept only while every paper it holds is still
//! public by that decision.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::write::Output;

pub(crate) mod catalogue;
pub(crate) mod forward_plan;
pub(crate) mod meetings;
pub(crate) mod opendata;
pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod versions;

pub(crate) use catalogue::{Catalogue, Link, PaperEntry};

/// Where the site's record lives in the output folder.
pub(crate) const MANIFEST: &str = ".clerk/site.json";

/// What one file of the site is made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Origin {
    /// A document of a paper in one format (its page, JSON or PDF), made by `clerk build`.
    Paper { paper: String, format: String },
    /// A paper's review page: for reviewers only, never linked from the public pages.
    Review { paper: String },
    /// A page or file of the whole site (the index, a committee's or meeting's page, the
    /// forward plan, the search index, the open data, the stylesheet), in one format.
    Site { what: String, format: String },
    /// A meeting's pack, made by `clerk pack` from its meeting file.
    Pack { meeting: String },
    /// An earlier version of a paper, kept at its own address while the paper is published.
    Version { paper: String },
    /// A notice at an address a paper no longer has: it is no longer published.
    Notice { paper: String },
    /// clerk's own working record (the build cache, this record).
    Record,
}

/// A pack `clerk pack` made: its meeting, the papers whose documents are in the public pack,
/// and its files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackRecord {
    /// The meeting file, as its real path: the pack stays while this meeting file is in the
    /// tree a build publishes.
    pub(crate) meeting: String,
    /// Each paper folder (its real path) whose documents the public pack holds: the pack stays
    /// only while every one of them is public.
    pub(crate) papers: Vec<String>,
    /// The files, by their path in the output.
    pub(crate) files: Vec<String>,
}

/// The site's record, kept in the output as [`MANIFEST`].
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// Every file of the site, by its path in the output, and what it is made from.
    pub(crate) files: BTreeMap<String, Origin>,
    /// The packs, by meeting id (`meetings/ID/`).
    pub(crate) packs: BTreeMap<String, PackRecord>,
    /// Each meeting's id (its folder, `meetings/ID/`) and the real path of its meeting file:
    /// `clerk pack` writes a meeting's pack where the build published its page.
    #[serde(default)]
    pub(crate) meetings: BTreeMap<String, String>,
    /// The site's address, when the build was given one (`--base-url`): the open data's
    /// addresses start with it, and so do those of the meeting pages `clerk pack` writes.
    #[serde(default)]
    pub(crate) base_url: Option<String>,
}

impl Manifest {
    /// The record an earlier build or pack left, or an empty one.
    pub(crate) fn read(out: &Output) -> Manifest {
        out.path(MANIFEST)
            .ok()
            .and_then(|p| crate::load::read_raw(&p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// The record in the output folder `dir`, or an empty one: for a command that has not
    /// opened the output yet.
    pub(crate) fn read_at(dir: &std::path::Path) -> Manifest {
        crate::load::read_raw(&dir.join(MANIFEST))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Writes the record into the output.
    pub(crate) fn write(&self, out: &Output) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        out.write(MANIFEST, &bytes)
    }

    /// Notes one file and what it is made from.
    pub(crate) fn add(&mut self, file: impl Into<String>, origin: Origin) {
        self.files.insert(file.into(), origin);
    }

    /// Every file of the site, for pruning: the rest of the output folder goes.
    pub(crate) fn keep(&self) -> BTreeSet<String> {
        let mut keep: BTreeSet<String> = self.files.keys().cloned().collect();
        keep.insert(MANIFEST.to_string());
        keep
    }

    /// The files of each pack, by meeting id.
    pub(crate) fn pack_files(&self) -> BTreeMap<String, Vec<String>> {
        self.packs
            .iter()
            .map(|(id, p)| (id.clone(), p.files.clone()))
            .collect()
    }

    /// Records the pack of meeting `id` (replacing its files of the same names) and notes its
    /// files as the pack's.
    pub(crate) fn record_pack(&mut self, id: &str, record: PackRecord) {
        let entry = self.packs.entry(id.to_string()).or_default();
        entry.meeting = record.meeting;
        // A supplement is made by a run of its own: the main pack's papers stay.
        for p in record.papers {
            if !entry.papers.contains(&p) {
                entry.papers.push(p);
            }
        }
        entry.papers.sort();
        for f in record.files {
            if !entry.files.contains(&f) {
                entry.files.push(f);
            }
        }
        entry.files.sort();
        for f in entry.files.clone() {
            self.files.insert(
                f,
                Origin::Pack {
                    meeting: id.to_string(),
                },
            );
        }
    }

    /// The packs of an earlier record a build keeps: those whose meeting file is among
    /// `meetings` (real paths) and all of whose papers are among `public` (real paths).
    /// Returns the packs kept and, for each removed, why.
    pub(crate) fn surviving_packs(
        &self,
        meetings: &BTreeSet<String>,
        public: &BTreeSet<String>,
    ) -> (BTreeMap<String, PackRecord>, Vec<(String, String)>) {
        let mut kept = BTreeMap::new();
        let mut gone = Vec::new();
        for (id, pack) in &self.packs {
            if !meetings.contains(&pack.meeting) {
                gone.push((id.clone(), "its meeting file is gone".to_string()));
            } else if let Some(p) = pack.papers.iter().find(|p| !public.contains(*p)) {
                gone.push((id.clone(), format!("`{p}` in it is no longer published")));
            } else {
                kept.insert(id.clone(), pack.clone());
            }
        }
        (kept, gone)
    }
}

/// A path as the site's record names it: its real path, as text.
pub(crate) fn real(path: &std::path::Path) -> String {
    crate::load::real_path(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(meeting: &str, papers: &[&str]) -> PackRecord {
        PackRecord {
            meeting: meeting.into(),
            papers: papers.iter().map(|p| p.to_string()).collect(),
            files: vec![format!("meetings/{meeting}/pack.pdf")],
        }
    }

    #[test]
    fn a_pack_stays_while_its_meeting_is_there_and_its_papers_are_public() {
        let mut m = Manifest::default();
        m.record_pack("a", pack("/t/meetings/a.yaml", &["/t/p1"]));
        m.record_pack("b", pack("/t/meetings/b.yaml", &["/t/p2"]));
        m.record_pack("c", pack("/t/meetings/c.yaml", &[]));
        let meetings: BTreeSet<String> = ["/t/meetings/a.yaml", "/t/meetings/b.yaml"]
            .map(String::from)
            .into();
        let public: BTreeSet<String> = ["/t/p1".to_string()].into();
        let (kept, gone) = m.surviving_packs(&meetings, &public);
        assert_eq!(kept.keys().collect::<Vec<_>>(), ["a"]);
        let why: Vec<&str> = gone.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(why, ["b", "c"]);
        assert!(gone[0].1.contains("no longer published"), "{gone:?}");
        assert!(gone[1].1.contains("meeting file is gone"), "{gone:?}");
    }

    #[test]
    fn a_supplement_adds_to_its_meetings_pack() {
        let mut m = Manifest::default();
        m.record_pack("a", pack("/t/a.yaml", &["/t/p1"]));
        let mut late = pack("/t/a.yaml", &["/t/p2"]);
        late.files = vec!["meetings/a/supplement-1.pdf".into()];
        m.record_pack("a", late);
        let a = &m.packs["a"];
        assert_eq!(a.papers, ["/t/p1", "/t/p2"]);
        assert_eq!(a.files.len(), 2);
        assert_eq!(
            m.files["meetings/a/supplement-1.pdf"],
            Origin::Pack {
                meeting: "a".into()
            }
        );
    }
}
