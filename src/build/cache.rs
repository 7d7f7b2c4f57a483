//! The build cache: what each paper and PDF was made from, to skip what has not changed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::render::typst::{Job, Typst};
use crate::render::Templates;
use crate::write::Output;

use super::paper::*;

/// What the build cache keeps of one paper, to skip it next time if nothing changed.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct PaperCache {
    /// A hash of everything that goes into the paper's output (`paper_key`).
    pub(super) key: String,
    pub(super) diagnostics: Vec<crate::diagnostic::StoredDiagnostic>,
    pub(super) number: Option<crate::check::NumberEntry>,
    pub(super) council: String,
    pub(super) entry: Option<IndexEntry>,
    pub(super) pages: usize,
    /// Every file written for the paper; all must still be there to skip it.
    pub(super) outputs: Vec<String>,
    /// Each output's size and modification time as this build left it: a file another run
    /// or person wrote since is made again, never trusted.
    #[serde(default)]
    pub(super) stamps: Vec<(u64, u128)>,
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

/// Hashes everything that goes into a paper's output: clerk's version, the templates, the
/// build's settings (`salt`), the paper's files, and every council.yaml above it.
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
        hash.update(std::fs::read(file).ok()?);
    }
    for dir in crate::load::real_path(&paths.dir).ancestors() {
        if let Ok(council) = std::fs::read(dir.join(crate::load::COUNCIL_FILE)) {
            hash.update(dir.to_string_lossy().as_bytes());
            hash.update(council);
        }
    }
    Some(format!("{:x}", hash.finalize()))
}

/// The PDF cache: for each PDF, a hash of everything that goes into it.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct Cache {
    pub(super) pdfs: BTreeMap<String, String>,
    #[serde(default)]
    pub(super) papers: BTreeMap<String, PaperCache>,
}

pub(super) const CACHE_FILE: &str = ".clerk/cache.json";
/// typst's working folders, inside the output and removed after the build.
pub(crate) const STAGING: &str = ".clerk/staging";

pub(super) fn job_hash(typst: &Typst, templates: &Templates, job: &Job) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(typst.version.as_bytes());
    hash.update(templates.fingerprint().as_bytes());
    hash.update(job.timestamp.to_le_bytes());
    hash.update(job.data_json.as_bytes());
    format!("{:x}", hash.finalize())
}
