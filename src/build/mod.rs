//! `clerk build`: check every paper, then render each to HTML (and PDF), with an index and a
//! review view. Papers with errors still render, under a banner.
//!
//! HTML is rendered inside each paper's checking task, so papers stream through as in
//! `clerk check`. PDFs follow in parallel, each a separate typst run, skipped when the cache in
//! the output folder shows nothing that goes into it has changed.
//!
//! The parts: `paper.rs` renders one paper's pages (or withholds an exempt one), `pdf.rs`
//! makes the PDFs, `cache.rs` keeps what each paper and PDF was made from, and this file runs
//! the build: papers, PDFs, the index, and removing what the build did not write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::render::typst::{self, Typst};
use crate::render::Templates;
use crate::write::Output;
use crate::Checked;

mod cache;
mod paper;
mod pdf;

pub(crate) use cache::STAGING;
use cache::*;
use paper::*;
use pdf::*;

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    pub pdf: bool,
    /// Parallel typst runs (default: one per core).
    pub jobs: Option<usize>,
    /// Templates that override the defaults (default: `ROOT/templates` when it exists).
    pub templates: Option<PathBuf>,
    /// Whether clerk may install typst when it is missing.
    pub install: bool,
    /// Whether to remove from the output what this build did not write (always, but for the
    /// private preview of `clerk serve`, which keeps a paper's last good render on screen
    /// while its front matter is half-written).
    pub prune: bool,
}

/// What a build did.
pub struct Built {
    pub checked: Checked,
    pub pages: usize,
    pub pdfs_written: usize,
    pub pdfs_cached: usize,
    /// Problems making output (a template, a write, typst, a paper withheld for doubt); each
    /// names its paper.
    pub failures: Vec<Diagnostic>,
    /// Exempt papers, by folder: named in the index, nothing of them written.
    pub withheld: Vec<String>,
    /// Files an earlier build left that this one removed.
    pub removed: Vec<String>,
}

/// How a build tells its caller what it is doing; the CLI draws a progress bar from it.
pub trait Progress: Sync {
    /// A phase starts; `total` is 0 when the count is not known in advance.
    fn phase(&self, _name: &str, _total: usize) {}
    /// One item of the phase is done.
    fn tick(&self) {}
    /// Something the user should read (an install starting).
    fn note(&self, _message: &str) {}
    fn finish(&self) {}
}

/// No progress shown (tests, and callers that are not a terminal).
pub struct Silent;
impl Progress for Silent {}

/// Finds typst, installing it when allowed.
pub fn typst_for_build(install: bool, progress: &dyn Progress) -> Result<Typst, String> {
    match typst::find() {
        Ok(t) => Ok(t),
        Err(why)
            if !install
                || std::env::var_os("CLERK_NO_INSTALL")
                    .is_some_and(|v| !v.is_empty() && v != "0") =>
        {
            Err(format!(
                "{why}: PDFs cannot be made. To make them, {}. Or build without PDFs: `clerk build --no-pdf`.",
                typst::manual_install()
            ))
        }
        Err(why) => {
            progress.note(&format!(
                "{why}. Installing typst {} into {} with cargo: this happens once and takes several minutes.",
                typst::VERSION,
                typst::cache_dir().display()
            ));
            typst::install()
        }
    }
}

fn write_noting(out: &Output, rel: &str, bytes: &[u8], failures: &mut Vec<Diagnostic>) {
    if let Err(e) = out.write(rel, bytes) {
        failures.push(Diagnostic::general(
            Code::OutputFailed,
            format!("cannot write {rel}: {e}"),
        ));
    }
}

/// A warning for each file of the template folder that overrides nothing.
fn unused_templates(dir: Option<&Path>) -> Vec<Diagnostic> {
    let Some(dir) = dir else {
        return Vec::new();
    };
    crate::render::unused_overrides(dir)
        .into_iter()
        .map(|(rel, meant)| {
            let mut d = Diagnostic::general(
                Code::TemplateUnused,
                format!(
                    "`{}` overrides no template, so clerk does not use it",
                    dir.join(&rel).display()
                ),
            );
            d.severity = crate::diagnostic::Severity::Warning;
            match meant {
                Some(m) => d.with_hint(format!(
                    "to override the built-in one, move it to `{}`",
                    dir.join(m).display()
                )),
                None => d.with_hint(
                    "`clerk templates export DIR` writes every template clerk reads, at its path",
                ),
            }
        })
        .collect()
}

/// Writes the index, newest first, then by decision number; and the shared assets.
fn write_index(
    templates: &Templates,
    out: &Output,
    mut entries: Vec<IndexEntry>,
    council: &str,
    failures: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    entries.sort_by(|a, b| {
        b.sort_date
            .cmp(&a.sort_date)
            .then(a.decision_number.cmp(&b.decision_number))
            .then(a.href.cmp(&b.href))
    });
    let index = templates.html(
        "index.html",
        &serde_json::json!({ "papers": entries, "title": "Decisions", "council": council }),
        &[("root", serde_json::json!(""))],
    )?;
    write_noting(out, "index.html", index.as_bytes(), failures);
    for (name, text) in &templates.assets {
        write_noting(out, name, text.as_bytes(), failures);
    }
    Ok(())
}

pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, String> {
    let template_dir = opts
        .templates
        .clone()
        .or_else(|| Some(opts.root.join("templates")).filter(|d| d.is_dir()));
    let templates = Templates::load(template_dir.as_deref())?;
    if crate::write::is_within(&opts.out, &opts.root)
        || crate::write::is_within(&opts.root, &opts.out)
    {
        return Err(format!(
            "the output folder `{}` and the papers `{}` overlap: clerk never writes among the papers, and a build removes from its output what it did not write",
            opts.out.display(),
            opts.root.display()
        ));
    }
    let out = Output::create_owned(&opts.out)
        .map_err(|e| format!("cannot use `{}` for output: {e}", opts.out.display()))?;
    let _lock = out.lock().map_err(|e| e.to_string())?;
    // Find typst before the work starts, so a missing one is said at once.
    let typst = if opts.pdf {
        Some(typst_for_build(opts.install, progress)?)
    } else {
        None
    };

    let cache_path = out.path(CACHE_FILE).map_err(|e| e.to_string())?;
    let mut cache: Cache = std::fs::read(&cache_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    // Everything besides the paper's own files that its output depends on.
    let salt = format!(
        "templates={} pdf={} typst={}",
        templates.fingerprint(),
        opts.pdf,
        typst.as_ref().map_or("", |t| t.version.as_str())
    );
    // An unchanged paper whose output is all there is not checked or rendered again.
    let reuse =
        |paths: &crate::load::PaperPaths, signals: &str| -> Option<crate::Reused<Rendered>> {
            let rel = paper_rel(&opts.root, &paths.dir);
            let stored = cache.papers.get(&rel)?;
            let unchanged = stored.stamps.len() == stored.outputs.len()
                && stored
                    .outputs
                    .iter()
                    .zip(&stored.stamps)
                    .all(|(o, s)| stamp(&out, o) == Some(*s));
            if paper_key(paths, &format!("{salt} {signals}"))? != stored.key || !unchanged {
                return None;
            }
            progress.tick();
            Some(crate::Reused {
                diagnostics: stored.diagnostics.clone(),
                number: stored.number.clone(),
                made: Rendered {
                    rel,
                    council: stored.council.clone(),
                    entry: stored.entry.clone(),
                    pages: stored.pages,
                    stored: Some(stored.clone()),
                    ..Default::default()
                },
            })
        };
    progress.phase("Checking and rendering papers", 0);
    let (checked, rendered) =
        crate::run_reusing(std::slice::from_ref(&opts.root), &[], &reuse, &|visit| {
            let r = render_paper(visit, &opts.root, &templates, &out, opts.pdf, &salt);
            progress.tick();
            r
        });
    let mut papers_cache: BTreeMap<String, PaperCache> = BTreeMap::new();
    let mut reused_pdfs = 0;

    let mut failures: Vec<Diagnostic> = unused_templates(template_dir.as_deref());
    let mut withheld: Vec<String> = Vec::new();
    // Every file this build made or kept; whatever else is in the output goes at the end.
    let mut keep: BTreeSet<String> = [CACHE_FILE.to_string(), "index.html".to_string()]
        .into_iter()
        .chain(templates.assets.iter().map(|(name, _)| name.to_string()))
        .collect();
    let mut pages = 0;
    let mut entries: Vec<IndexEntry> = Vec::new();
    let mut jobs = Vec::new();
    let mut councils: Vec<String> = rendered.iter().map(|r| r.council.clone()).collect();
    councils.sort();
    councils.dedup();
    // The index is headed with the council's name when every paper is one council's.
    let council = match councils.as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    for r in rendered {
        keep.extend(r.outputs.iter().cloned());
        match r.withheld {
            Some(Withheld::Exempt(rel)) => withheld.push(rel),
            Some(Withheld::Unclear(d)) => failures.push(d),
            None => {}
        }
        if let Some(stored) = r.stored {
            keep.extend(stored.outputs.iter().cloned());
            if r.pdfs.is_empty() {
                reused_pdfs += stored
                    .outputs
                    .iter()
                    .filter(|o| o.ends_with(".pdf"))
                    .count();
            }
            papers_cache.insert(r.rel.clone(), stored);
        }
        pages += r.pages;

        entries.extend(r.entry);
        jobs.extend(r.pdfs);
        failures.extend(
            r.failures
                .into_iter()
                .map(|m| Diagnostic::general(Code::OutputFailed, m)),
        );
    }

    write_index(&templates, &out, entries, &council, &mut failures)?;

    let (mut pdfs_written, mut pdfs_cached) = (0, reused_pdfs);
    if let Some(typst) = &typst {
        let results = make_pdfs(
            typst,
            &templates,
            &jobs,
            &out,
            &cache.pdfs,
            opts.jobs,
            progress,
        )?;
        for (rel, hash, result) in results {
            // The paper this PDF belongs to: its folder is the PDF's.
            let paper = rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
            match result {
                Ok(made) => {
                    if made {
                        pdfs_written += 1;
                    } else {
                        pdfs_cached += 1;
                    }
                    if let Some(p) = papers_cache.get_mut(&paper) {
                        p.outputs.push(rel.clone());
                    }
                    keep.insert(rel.clone());
                    cache.pdfs.insert(rel, hash);
                }
                Err(e) => {
                    cache.pdfs.remove(&rel);
                    // Made again next time, so the failure is reported again.
                    papers_cache.remove(&paper);
                    failures.push(Diagnostic::general(Code::PdfFailed, e));
                }
            }
        }
    }
    for paper in papers_cache.values_mut() {
        paper.stamps = paper
            .outputs
            .iter()
            .map(|o| stamp(&out, o).unwrap_or_default())
            .collect();
    }
    cache.papers = papers_cache;
    cache.pdfs.retain(|rel, _| keep.contains(rel));
    if let Ok(bytes) = serde_json::to_vec_pretty(&cache) {
        write_noting(&out, CACHE_FILE, &bytes, &mut failures);
    }
    // What an earlier build wrote and this one did not is stale: a paper since withheld, a
    // removed appendix, an old pack. The cache decides what to render again, never what stays.
    let pruned = if opts.prune {
        out.remove_all_but(&keep)
    } else {
        Ok(Vec::new())
    };
    let removed = match pruned {
        Ok(removed) => removed,
        Err(e) => {
            failures.push(Diagnostic::general(
                Code::OutputFailed,
                format!(
                    "cannot remove stale files from `{}`: {e}",
                    opts.out.display()
                ),
            ));
            Vec::new()
        }
    };
    progress.finish();

    withheld.sort();
    Ok(Built {
        checked,
        pages,
        pdfs_written,
        pdfs_cached,
        failures,
        withheld,
        removed,
    })
}
