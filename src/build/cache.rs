//! The build cache: what each paper was made from and made, format by format, to skip what has
//! not changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::write::Output;

use super::paper::*;

/// What the build cache keeps of one paper, to skip it next time if nothing changed.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct PaperCache {
    /// A hash of the paper's files and the formats asked for (`paper_key`).
    pub(super) key: String,
    pub(super) diagnostics: Vec<crate::diagnostic::StoredDiagnostic>,
    pub(super) number: Option<crate::check::NumberEntry>,
    pub(super) council: String,
    pub(super) entry: Option<IndexEntry>,
    /// Each format's entry, by its name.
    pub(super) formats: BTreeMap<String, FormatCache>,
}

/// What one format made of a paper.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(super) struct FormatCache {
    /// The format's key when it made them (`Renderer::key`): templates, a tool's version.
    pub(super) key: String,
    /// How many of `outputs` are documents (pages, PDFs): what the build's summary counts.
    pub(super) documents: usize,
    /// Every file written; all must still be there to skip the paper.
    pub(super) outputs: Vec<String>,
    /// Each output's size and modification time as this build left it: a file another run
    /// or person wrote since is made again, never trusted.
    pub(super) stamps: Vec<(u64, u128)>,
}

impl FormatCache {
    /// Whether the format's files are as this entry says, made with `key`.
    pub(super) fn holds(&self, key: &str, out: &Output) -> bool {
        self.key == key
            && self.stamps.len() == self.outputs.len()
            && self
                .outputs
                .iter()
                .zip(&self.stamps)
                .all(|(o, s)| stamp(out, o) == Some(*s))
    }
}

/// A file's size and modification time, in nanoseconds.
pub(super) fn stamp(out: &Output, rel: &str) -> Option<(u64, u128)> {
    let meta = std::fs::symlink_metadata(out.path(rel).ok()?).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    meta.is_file().then_some((meta.len(), modified.as_nanos()))
}

/// Hashes everything besides the formats' own keys that goes into a paper's output: clerk's
/// version, the build's settings (`salt`), the paper's files, and every council.yaml above it.
pub(super) fn paper_key(paths: &crate::load::PaperPaths, salt: &str) -> Option<String> {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(salt.as_bytes());
    for file in paths
        .report
        .iter()
        .chain(paths.decision.iter())
        .chain(paths.appendices.iter())
    {
        hash.update(file.to_string_lossy().as_bytes());
        hash.update(crate::load::read_raw(file).ok()?);
    }
    for dir in crate::load::real_path(&paths.dir).ancestors() {
        if let Ok(council) = crate::load::read_raw(&dir.join(crate::load::COUNCIL_FILE)) {
            hash.update(dir.to_string_lossy().as_bytes());
            hash.update(council);
        }
    }
    Some(format!("{:x}", hash.finalize()))
}

/// The build cache, kept in the output as `CACHE_FILE`.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Cache {
    /// For each format that makes files after the papers (`Renderer::finish`), a hash of what
    /// went into each of them, by its path.
    pub(super) finished: BTreeMap<String, BTreeMap<String, String>>,
    pub(super) papers: BTreeMap<String, PaperCache>,
}

impl Cache {
    /// The cache an earlier build left, or an empty one.
    pub(super) fn read(out: &Output) -> Cache {
        out.path(CACHE_FILE)
            .ok()
            .and_then(|p| crate::load::read_raw(&p).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }
}

pub(super) const CACHE_FILE: &str = ".clerk/cache.json";
/// typst's working folders, inside the output and removed after the build.
pub(crate) const STAGING: &str = ".clerk/staging";
