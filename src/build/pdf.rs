//! The build's PDFs: one typst run per document, in parallel, skipped when cached.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::render::typst::{self, Job, Typst};
use crate::render::Templates;
use crate::write::Output;

use super::cache::*;
use super::Progress;

/// What became of one PDF: its path, the hash of what went into it, and whether it was made
/// (`Ok(true)`), kept from an earlier build (`Ok(false)`) or could not be made.
pub(super) type PdfResult = (String, String, Result<bool, String>);

/// Makes the PDFs of `jobs`, `threads` typst runs at a time (default: one per core). A PDF
/// whose inputs hash as `cached` says and whose file is still there is kept, not made again.
/// typst's working folders are made under the output's staging folder and removed after.
pub(super) fn make_pdfs(
    typst: &Typst,
    templates: &Templates,
    jobs: &[(String, Job)],
    out: &Output,
    cached: &BTreeMap<String, String>,
    threads: Option<usize>,
    progress: &dyn Progress,
) -> Result<Vec<PdfResult>, String> {
    let staging = out.work_dir(STAGING).map_err(|e| e.to_string())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| e.to_string())?;
    progress.phase("Making PDFs", jobs.len());
    let results = pool.install(|| {
        jobs.par_iter()
            .map(|(rel, job)| {
                let hash = job_hash(typst, templates, job);
                let present = out.path(rel).is_ok_and(|p| p.is_file());
                progress.tick();
                if present && cached.get(rel) == Some(&hash) {
                    return (rel.clone(), hash, Ok(false));
                }
                let result = typst::compile(typst, &templates.typst, "paper.typ", job, &staging)
                    .and_then(|bytes| {
                        out.write(rel, &bytes)
                            .map_err(|e| format!("cannot write {rel}: {e}"))
                    })
                    .map(|_| true);
                (rel.clone(), hash, result)
            })
            .collect()
    });
    let _ = out.remove_work_dir(STAGING);
    Ok(results)
}
