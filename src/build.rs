//! `clerk build`: check every paper, then render each to HTML (and PDF), with an index and a
//! review view. Papers with errors still render, under a banner.
//!
//! HTML is rendered inside each paper's checking task, so papers stream through as in
//! `clerk check`. PDFs follow in parallel, each a separate typst run, skipped when the cache in
//! the output folder shows nothing that goes into it has changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::render::typst::{self, Job, Typst};
use crate::render::view::{self, DocView};
use crate::render::{review, Templates};
use crate::write::Output;
use crate::{Checked, Visit};

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
}

/// What a build did.
pub struct Built {
    pub checked: Checked,
    pub pages: usize,
    pub pdfs_written: usize,
    pub pdfs_cached: usize,
    /// Problems making output (a template, a write, typst); each names its paper.
    pub failures: Vec<Diagnostic>,
}

#[derive(Clone, Serialize)]
struct Link {
    label: String,
    href: String,
}

/// A line of the index page.
#[derive(Clone, Serialize)]
struct IndexEntry {
    sort_date: String,
    date: String,
    decision_number: String,
    title: String,
    committee: String,
    key_decision: bool,
    href: String,
    links: Vec<Link>,
}

/// What rendering one paper leaves for the rest of the build.
#[derive(Default)]
struct Rendered {
    council: String,
    entry: Option<IndexEntry>,
    pdfs: Vec<(String, Job)>,
    pages: usize,
    failures: Vec<String>,
}

/// The paper's folder relative to the root, with `/` separators: its place in the output.
fn paper_rel(root: &Path, dir: &Path) -> String {
    let rel = dir.strip_prefix(root).unwrap_or(dir);
    let text: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if text.is_empty() {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "paper".into())
    } else {
        text.join("/")
    }
}

fn up(rel: &str) -> String {
    "../".repeat(rel.split('/').count())
}

fn timestamp(date: Option<chrono::NaiveDate>) -> i64 {
    date.and_then(|d| d.and_hms_opt(12, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

fn render_paper(
    visit: &Visit,
    root: &Path,
    templates: &Templates,
    out: &Output,
    pdf: bool,
) -> Rendered {
    let paper = visit.cx.paper;
    let rel = paper_rel(root, &paper.dir);
    let root_href = up(&rel);
    let council = visit
        .cx
        .council
        .map(|c| c.meta.name.value.clone())
        .unwrap_or_default();
    let mut r = Rendered {
        council: council.clone(),
        ..Default::default()
    };
    let problems = visit
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let review_href = format!("{root_href}review/{rel}/index.html");

    let report = view::report_view(paper, &council, problems);
    let decision = view::decision_view(paper, &council, problems);
    let appendices: Vec<(String, DocView)> = paper
        .appendices
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            let stem = visit
                .paths
                .appendices
                .get(i)
                .and_then(|p| p.file_stem())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| format!("appendix-{}", i + 1));
            view::appendix_view(paper, i, &council, problems).map(|v| (stem, v))
        })
        .collect();

    // Every page of the paper links to the others and to the PDFs.
    let mut links = Vec::new();
    if report.is_some() {
        links.push(Link {
            label: "Report".into(),
            href: "index.html".into(),
        });
        if pdf {
            links.push(Link {
                label: "Report (PDF)".into(),
                href: "report.pdf".into(),
            });
        }
    }
    if let Some(d) = &decision {
        let label = if d.record.as_ref().is_some_and(|r| r.proposed) {
            "Proposed record of decision"
        } else {
            "Record of decision"
        };
        links.push(Link {
            label: label.into(),
            href: "decision.html".into(),
        });
        if pdf {
            links.push(Link {
                label: format!("{label} (PDF)"),
                href: "decision.pdf".into(),
            });
        }
    }
    for (stem, a) in &appendices {
        links.push(Link {
            label: a.title.clone(),
            href: format!("{stem}.html"),
        });
    }

    let mut page = |template: &str,
                    file: String,
                    doc: &DocView,
                    pdf_name: Option<&str>,
                    date: Option<chrono::NaiveDate>| {
        let extra = [
            ("root", serde_json::json!(root_href)),
            ("review_href", serde_json::json!(review_href)),
            ("links", serde_json::to_value(&links).unwrap_or_default()),
        ];
        match templates.html(template, doc, &extra) {
            Ok(html) => match out.write(&format!("{rel}/{file}"), html.as_bytes()) {
                Ok(()) => r.pages += 1,
                Err(e) => r.failures.push(format!("cannot write {rel}/{file}: {e}")),
            },
            Err(e) => r.failures.push(format!("{}: {e}", paper.dir.display())),
        }
        if let (true, Some(name)) = (pdf, pdf_name) {
            match serde_json::to_string(doc) {
                Ok(data_json) => r.pdfs.push((
                    format!("{rel}/{name}"),
                    Job {
                        name: format!("{}/{}", paper.dir.display(), name),
                        data_json,
                        timestamp: timestamp(date),
                    },
                )),
                Err(e) => r.failures.push(format!("{}: {e}", paper.dir.display())),
            }
        }
    };

    // Each document is stamped with its own date, else its partner's: never the build's time.
    let own_report_date = paper
        .report
        .as_ref()
        .and_then(|s| s.meta.meeting_date.as_ref().or(s.meta.date.as_ref()))
        .map(|d| d.value.0);
    let own_decision_date = paper
        .decision
        .as_ref()
        .and_then(|s| s.meta.date.as_ref())
        .map(|d| d.value.0);
    let report_date = own_report_date.or(own_decision_date);
    let decision_date = own_decision_date.or(own_report_date);

    if let Some(doc) = &report {
        page(
            "report.html",
            "index.html".into(),
            doc,
            Some("report.pdf"),
            report_date,
        );
    }
    if let Some(doc) = &decision {
        page(
            "decision.html",
            "decision.html".into(),
            doc,
            Some("decision.pdf"),
            decision_date,
        );
    }
    for (stem, doc) in &appendices {
        page(
            "appendix.html",
            format!("{stem}.html"),
            doc,
            None,
            report_date,
        );
    }

    // The review page, for reviewers only; no public page links to it but the error banner.
    let data = review::review(visit);
    match templates.html(
        "review.html",
        &data,
        &[
            ("root", serde_json::json!(format!("../{root_href}"))),
            ("council", serde_json::json!(council)),
            ("title", serde_json::json!(data.title)),
        ],
    ) {
        Ok(html) => {
            if let Err(e) = out.write(&format!("review/{rel}/index.html"), html.as_bytes()) {
                r.failures
                    .push(format!("cannot write the review of {rel}: {e}"));
            }
        }
        Err(e) => r.failures.push(format!("{}: {e}", paper.dir.display())),
    }

    let main = report.as_ref().or(decision.as_ref());
    if let Some(doc) = main {
        let m = paper.report.as_ref().map(|s| &s.meta);
        let committee = m
            .and_then(|m| {
                m.committee
                    .as_ref()
                    .map(|c| c.value.trim().to_string())
                    .or_else(|| {
                        m.decision_maker
                            .as_ref()
                            .and_then(|p| p.role.as_ref())
                            .map(|r| r.value.trim().to_string())
                    })
            })
            .unwrap_or_default();
        let date = decision_date.or(report_date);
        r.entry = Some(IndexEntry {
            sort_date: date.map(|d| d.to_string()).unwrap_or_default(),
            date: date
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
            decision_number: doc.decision_number.clone(),
            title: doc.title.clone(),
            committee,
            key_decision: m.is_some_and(|m| m.key_decision.value.0),
            href: format!(
                "{rel}/{}",
                if report.is_some() {
                    "index.html"
                } else {
                    "decision.html"
                }
            ),
            links: links
                .iter()
                .map(|l| Link {
                    label: l.label.clone(),
                    href: format!("{rel}/{}", l.href),
                })
                .collect(),
        });
    }
    r
}

/// The PDF cache: for each PDF, a hash of everything that goes into it.
#[derive(Default, Serialize, Deserialize)]
struct Cache {
    pdfs: BTreeMap<String, String>,
}

const CACHE_FILE: &str = ".clerk/cache.json";

fn job_hash(typst: &Typst, templates: &Templates, job: &Job) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(typst.version.as_bytes());
    hash.update(templates.fingerprint().as_bytes());
    hash.update(job.timestamp.to_le_bytes());
    hash.update(job.data_json.as_bytes());
    format!("{:x}", hash.finalize())
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
                "{why}: PDFs cannot be made. {} Or build without PDFs: clerk build --no-pdf",
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

pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, String> {
    let template_dir = opts
        .templates
        .clone()
        .or_else(|| Some(opts.root.join("templates")).filter(|d| d.is_dir()));
    let templates = Templates::load(template_dir.as_deref())?;
    if opts.out == opts.root {
        return Err("the output folder cannot be the papers folder".into());
    }
    let out = Output::create(&opts.out)
        .map_err(|e| format!("cannot use `{}` for output: {e}", opts.out.display()))?;
    // Find typst before the work starts, so a missing one is said at once.
    let typst = if opts.pdf {
        Some(typst_for_build(opts.install, progress)?)
    } else {
        None
    };

    progress.phase("Checking and rendering papers", 0);
    let (checked, rendered) = crate::run(std::slice::from_ref(&opts.root), &|visit| {
        let r = render_paper(visit, &opts.root, &templates, &out, opts.pdf);
        progress.tick();
        r
    });

    let mut failures: Vec<Diagnostic> = Vec::new();
    let mut pages = 0;
    let mut entries = Vec::new();
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
        pages += r.pages;
        entries.extend(r.entry);
        jobs.extend(r.pdfs);
        failures.extend(
            r.failures
                .into_iter()
                .map(|m| Diagnostic::general(Code::OutputFailed, m)),
        );
    }

    // The index, newest first, then by decision number; and the shared assets.
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
    write_noting(&out, "index.html", index.as_bytes(), &mut failures);
    for (name, text) in &templates.assets {
        write_noting(&out, name, text.as_bytes(), &mut failures);
    }

    let (mut pdfs_written, mut pdfs_cached) = (0, 0);
    if let Some(typst) = &typst {
        let cache_path = out.path(CACHE_FILE).map_err(|e| e.to_string())?;
        let mut cache: Cache = std::fs::read(&cache_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let staging = out.path(".clerk/staging").map_err(|e| e.to_string())?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.jobs.unwrap_or(0))
            .build()
            .map_err(|e| e.to_string())?;
        progress.phase("Making PDFs", jobs.len());
        let results: Vec<(String, String, Result<bool, String>)> = pool.install(|| {
            jobs.par_iter()
                .map(|(rel, job)| {
                    let hash = job_hash(typst, &templates, job);
                    let present = out.path(rel).is_ok_and(|p| p.is_file());
                    progress.tick();
                    if present && cache.pdfs.get(rel) == Some(&hash) {
                        return (rel.clone(), hash, Ok(false));
                    }

                    let result = typst::compile(typst, &templates.typst, job, &staging)
                        .and_then(|bytes| {
                            out.write(rel, &bytes)
                                .map_err(|e| format!("cannot write {rel}: {e}"))
                        })
                        .map(|_| true);
                    (rel.clone(), hash, result)
                })
                .collect()
        });
        let _ = std::fs::remove_dir_all(&staging);
        for (rel, hash, result) in results {
            match result {
                Ok(made) => {
                    if made {
                        pdfs_written += 1;
                    } else {
                        pdfs_cached += 1;
                    }
                    cache.pdfs.insert(rel, hash);
                }
                Err(e) => {
                    cache.pdfs.remove(&rel);
                    failures.push(Diagnostic::general(Code::PdfFailed, e));
                }
            }
        }
        if let Ok(bytes) = serde_json::to_vec_pretty(&cache) {
            write_noting(&out, CACHE_FILE, &bytes, &mut failures);
        }
    }
    progress.finish();
    Ok(Built {
        checked,
        pages,
        pdfs_written,
        pdfs_cached,
        failures,
    })
}
