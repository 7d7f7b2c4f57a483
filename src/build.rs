//! `clerk build`: check every paper, then render each to HTML (and PDF), with an index and a
//! review view. Papers with errors still render, under a banner.
//!
//! HTML is rendered inside each paper's checking task, so papers stream through as in
//! `clerk check`. PDFs follow in parallel, each a separate typst run, skipped when the cache in
//! the output folder shows nothing that goes into it has changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::check::publication::Publication;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::render::typst::{self, Job, Typst};
use crate::render::view::{self, DocView};
use crate::render::{href_path, review, Templates};
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

#[derive(Clone, Serialize, Deserialize)]
struct Link {
    label: String,
    href: String,
}

/// A line of the index page.
#[derive(Clone, Serialize, Deserialize)]
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
    /// The paper's place in the output (its folder relative to the root).
    rel: String,
    council: String,
    entry: Option<IndexEntry>,
    pdfs: Vec<(String, Job)>,
    pages: usize,
    failures: Vec<String>,
    /// What to remember of this paper for the next build.
    stored: Option<PaperCache>,
    /// Every file written for the paper this run (PDFs are added once made).
    outputs: Vec<String>,
    /// Why nothing of the paper was written, when nothing was.
    withheld: Option<Withheld>,
}

/// A paper that is not published, and why.
#[derive(Clone, Debug)]
enum Withheld {
    /// Exempt: named in the index, and in the build's summary by its folder.
    Exempt(String),
    /// Its classification cannot be known: an error.
    Unclear(Diagnostic),
}

/// What the build cache keeps of one paper, to skip it next time if nothing changed.
#[derive(Clone, Serialize, Deserialize)]
struct PaperCache {
    /// A hash of everything that goes into the paper's output (`paper_key`).
    key: String,
    diagnostics: Vec<crate::diagnostic::StoredDiagnostic>,
    number: Option<crate::check::NumberEntry>,
    council: String,
    entry: Option<IndexEntry>,
    pages: usize,
    /// Every file written for the paper; all must still be there to skip it.
    outputs: Vec<String>,
    /// Each output's size and modification time as this build left it: a file another run
    /// or person wrote since is made again, never trusted.
    #[serde(default)]
    stamps: Vec<(u64, u128)>,
}

/// A file's size and modification time, in nanoseconds.
fn stamp(out: &Output, rel: &str) -> Option<(u64, u128)> {
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
fn paper_key(paths: &crate::load::PaperPaths, salt: &str) -> Option<String> {
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

/// The index line of an exempt paper: its title and paragraph, as a public agenda names a
/// Part 2 item, and nothing more.
fn exempt_entry(m: &crate::model::ReportMeta, paragraph: Option<u32>) -> IndexEntry {
    let date = m
        .meeting_date
        .as_ref()
        .or(m.date.as_ref())
        .map(|d| d.value.0);
    let paragraph = paragraph
        .map(|p| format!(" (paragraph {p})"))
        .unwrap_or_default();
    IndexEntry {
        sort_date: date.map(|d| d.to_string()).unwrap_or_default(),
        date: date
            .map(|d| d.format("%-d %B %Y").to_string())
            .unwrap_or_default(),
        decision_number: m
            .decision_number
            .as_ref()
            .map(|n| n.value.trim().to_string())
            .unwrap_or_default(),
        title: format!(
            "{} — exempt under Schedule 12A{paragraph}, not published",
            m.title.value.trim()
        ),
        committee: m
            .committee
            .as_ref()
            .map(|c| c.value.trim().to_string())
            .unwrap_or_default(),
        key_decision: m.key_decision.value.0,
        href: String::new(),
        links: Vec::new(),
    }
}

fn render_paper(
    visit: &Visit,
    root: &Path,
    templates: &Templates,
    out: &Output,
    pdf: bool,
    salt: &str,
) -> Rendered {
    let paper = visit.cx.paper;
    let mut outputs: Vec<String> = Vec::new();
    let rel = paper_rel(root, &paper.dir);
    let root_href = up(&rel);
    let council = visit
        .cx
        .council
        .map(|c| c.meta.name.value.clone())
        .unwrap_or_default();
    let mut r = Rendered {
        rel: rel.clone(),
        council: council.clone(),
        ..Default::default()
    };
    let problems = visit
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let review_href = format!("{root_href}review/{}/index.html", href_path(&rel));

    // Whether it may be published is decided once, in check/publication.rs.
    match visit.cx.publication {
        Publication::Public => {}
        Publication::Exempt { paragraph } => {
            r.entry = paper
                .report
                .as_ref()
                .map(|s| exempt_entry(&s.meta, *paragraph));
            r.withheld = Some(Withheld::Exempt(rel));
            return r;
        }
        Publication::Unclear { why } => {
            r.withheld = Some(Withheld::Unclear(
                Diagnostic::general(
                    Code::Withheld,
                    format!("{} is not published: {why}", paper.dir.display()),
                )
                .with_hint("fix the errors above; until then nothing of this paper is written to the output"),
            ));
            return r;
        }
    }
    let report = view::report_view(paper, &council, problems, None);

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
                // Prefixed, so an appendix called index.md cannot take the report's page.
                .map(|s| {
                    if s.starts_with("appendix") {
                        s
                    } else {
                        format!("appendix-{s}")
                    }
                })
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
            href: href_path(&format!("{stem}.html")),
        });
    }

    // Each document becomes a page, its data as JSON for re-use (and for typst), and a PDF.
    let mut page = |template: &str,
                    file: String,
                    doc: &DocView,
                    stem: &str,
                    make_pdf: bool,
                    date: Option<chrono::NaiveDate>| {
        let extra = [
            ("root", serde_json::json!(root_href)),
            ("review_href", serde_json::json!(review_href)),
            ("links", serde_json::to_value(&links).unwrap_or_default()),
        ];
        match templates.html(template, doc, &extra) {
            Ok(html) => match out.write(&format!("{rel}/{file}"), html.as_bytes()) {
                Ok(()) => {
                    r.pages += 1;
                    outputs.push(format!("{rel}/{file}"));
                }
                Err(e) => r.failures.push(format!("cannot write {rel}/{file}: {e}")),
            },
            Err(e) => r.failures.push(format!("{}: {e}", paper.dir.display())),
        }
        let data_json = match serde_json::to_string(doc) {
            Ok(json) => json,
            Err(e) => {
                r.failures.push(format!("{}: {e}", paper.dir.display()));
                return;
            }
        };
        match out.write(&format!("{rel}/{stem}.json"), data_json.as_bytes()) {
            Ok(()) => outputs.push(format!("{rel}/{stem}.json")),
            Err(e) => r
                .failures
                .push(format!("cannot write {rel}/{stem}.json: {e}")),
        }
        if pdf && make_pdf {
            r.pdfs.push((
                format!("{rel}/{stem}.pdf"),
                Job {
                    name: format!("{}/{stem}.pdf", paper.dir.display()),
                    data_json,
                    timestamp: timestamp(date),
                },
            ));
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
            "report",
            true,
            report_date,
        );
    }
    if let Some(doc) = &decision {
        page(
            "decision.html",
            "decision.html".into(),
            doc,
            "decision",
            true,
            decision_date,
        );
    }
    for (stem, doc) in &appendices {
        page(
            "appendix.html",
            format!("{stem}.html"),
            doc,
            stem,
            false,
            report_date,
        );
    }

    // The review page, for reviewers only; no public page links to it but the error banner.
    let data = review::review(visit, &crate::check::reconcile::verdicts(visit.cx));
    match templates.html(
        "review.html",
        &data,
        &[
            ("root", serde_json::json!(format!("../{root_href}"))),
            ("council", serde_json::json!(council)),
            ("title", serde_json::json!(data.title)),
        ],
    ) {
        Ok(html) => match out.write(&format!("review/{rel}/index.html"), html.as_bytes()) {
            Ok(()) => outputs.push(format!("review/{rel}/index.html")),
            Err(e) => r
                .failures
                .push(format!("cannot write the review of {rel}: {e}")),
        },
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
                "{}/{}",
                href_path(&rel),
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
                    href: format!("{}/{}", href_path(&rel), l.href),
                })
                .collect(),
        });
    }
    // Remembered only when everything was made; a paper with a failure is made again next time.
    r.outputs = outputs.clone();
    if r.failures.is_empty() {
        r.stored =
            paper_key(visit.paths, &format!("{salt} {}", visit.signals)).map(|key| PaperCache {
                key,
                diagnostics: visit
                    .diagnostics
                    .iter()
                    .map(|d| crate::diagnostic::StoredDiagnostic::store(d, visit.cx.sources))
                    .collect(),
                number: visit
                    .paths
                    .report
                    .as_deref()
                    .and_then(|p| crate::check::number_entry(paper, p)),
                council: r.council.clone(),
                entry: r.entry.clone(),
                pages: r.pages,
                outputs,
                stamps: Vec::new(),
            });
    }
    r
}

/// The PDF cache: for each PDF, a hash of everything that goes into it.
#[derive(Default, Serialize, Deserialize)]
struct Cache {
    pdfs: BTreeMap<String, String>,
    #[serde(default)]
    papers: BTreeMap<String, PaperCache>,
}

const CACHE_FILE: &str = ".clerk/cache.json";
/// typst's working folders, inside the output and removed after the build.
pub(crate) const STAGING: &str = ".clerk/staging";

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

    let (mut pdfs_written, mut pdfs_cached) = (0, reused_pdfs);
    if let Some(typst) = &typst {
        let staging = out.work_dir(STAGING).map_err(|e| e.to_string())?;
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

                    let result =
                        typst::compile(typst, &templates.typst, "paper.typ", job, &staging)
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
