//! One paper's pages: checked, then rendered to HTML (and its PDF jobs), or withheld.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::check::publication::Publication;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::render::typst::Job;
use crate::render::view::{self, DocView};
use crate::render::{href_path, review, Templates};
use crate::write::Output;
use crate::Visit;

use super::cache::*;

#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Link {
    pub(super) label: String,
    pub(super) href: String,
}

/// A line of the index page.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct IndexEntry {
    pub(super) sort_date: String,
    pub(super) date: String,
    pub(super) decision_number: String,
    pub(super) title: String,
    pub(super) committee: String,
    pub(super) key_decision: bool,
    pub(super) href: String,
    pub(super) links: Vec<Link>,
}

/// What rendering one paper leaves for the rest of the build.
#[derive(Default)]
pub(super) struct Rendered {
    /// The paper's place in the output (its folder relative to the root).
    pub(super) rel: String,
    pub(super) council: String,
    pub(super) entry: Option<IndexEntry>,
    pub(super) pdfs: Vec<(String, Job)>,
    pub(super) pages: usize,
    pub(super) failures: Vec<String>,
    /// What to remember of this paper for the next build.
    pub(super) stored: Option<PaperCache>,
    /// Every file written for the paper this run (PDFs are added once made).
    pub(super) outputs: Vec<String>,
    /// Why nothing of the paper was written, when nothing was.
    pub(super) withheld: Option<Withheld>,
}

/// A paper that is not published, and why.
#[derive(Clone, Debug)]
pub(super) enum Withheld {
    /// Exempt: named in the index, and in the build's summary by its folder.
    Exempt(String),
    /// Its classification cannot be known: an error.
    Unclear(Diagnostic),
}

/// The paper's folder relative to the root, with `/` separators: its place in the output.
pub(super) fn paper_rel(root: &Path, dir: &Path) -> String {
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

pub(super) fn up(rel: &str) -> String {
    "../".repeat(rel.split('/').count())
}

pub(super) fn timestamp(date: Option<chrono::NaiveDate>) -> i64 {
    date.and_then(|d| d.and_hms_opt(12, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

/// The index line of an exempt paper: its title and paragraph, as a public agenda names a
/// Part 2 item, and nothing more.
pub(super) fn exempt_entry(m: &crate::model::ReportMeta, paragraph: Option<u32>) -> IndexEntry {
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

pub(super) fn render_paper(
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
