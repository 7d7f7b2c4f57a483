//! One paper: checked, then rendered by each format from its one view, or withheld.

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::publication::{self, Publication};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::render::href_path;
use crate::render::view::{self, DocView};
use crate::Visit;

use super::cache::*;
use super::formats::{Deferred, Document, Kind, Made, Paper, Renderer, Site, Tally};

pub(crate) use crate::site::{Link, PaperEntry as IndexEntry};

/// What rendering one paper leaves for the rest of the build.
#[derive(Default)]
pub(super) struct Rendered {
    /// The paper's place in the output (its folder relative to the root).
    pub(super) rel: String,
    pub(super) council: String,
    pub(super) entry: Option<IndexEntry>,
    /// Each format's documents, made or reused (in the order of the build's formats).
    pub(super) tallies: Vec<Tally>,
    /// Each format's files to make after every paper (in the same order).
    pub(super) deferred: Vec<Vec<Deferred>>,
    pub(super) failures: Vec<String>,
    /// What to remember of this paper for the next build.
    pub(super) stored: Option<PaperCache>,
    /// Every file written for the paper this run, and what made it (deferred files are added
    /// once made).
    pub(super) outputs: Vec<(String, crate::site::Origin)>,
    /// The real path of the paper's folder: a pack holding the paper stays while it is public.
    pub(super) real: String,
    /// Why nothing of the paper was written, when nothing was.
    pub(super) withheld: Option<Withheld>,
    /// Its history from now on (`site/versions.rs`), when the build keeps one and the paper
    /// is published.
    pub(super) history: Option<crate::site::versions::PaperHistory>,
    /// Findings about its publication (a new version with no date of its own).
    pub(super) notes: Vec<Diagnostic>,
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

/// The index line of an exempt paper: its title and paragraph, as a public agenda names a
/// Part 2 item, and nothing more.
pub(super) fn exempt_entry(
    m: &crate::model::ReportMeta,
    paragraph: Option<u32>,
    rel: &str,
    council: &str,
) -> IndexEntry {
    let date = m
        .meeting_date
        .as_ref()
        .or(m.date.as_ref())
        .map(|d| d.value.0);
    IndexEntry {
        rel: rel.to_string(),
        council: council.to_string(),
        sort_date: date.map(|d| d.to_string()).unwrap_or_default(),
        date: date.map(crate::text::long_date).unwrap_or_default(),
        decision_number: m
            .decision_number
            .as_ref()
            .map(|n| n.value.trim().to_string())
            .unwrap_or_default(),
        title: m.title.value.trim().to_string(),
        committee: m
            .committee
            .as_ref()
            .map(|c| c.value.trim().to_string())
            .unwrap_or_default(),
        key_decision: m.key_decision.value.0,
        exempt: true,
        paragraph,
        ..IndexEntry::default()
    }
}

/// What every paper of a build is rendered with.
pub(super) struct Plan<'a> {
    pub(super) site: &'a Site<'a>,
    /// The formats asked for, in the registry's order.
    pub(super) renderers: &'a [Box<dyn Renderer>],
    /// Each format's key (`Renderer::key`), in the same order.
    pub(super) keys: Vec<String>,
    /// What besides the paper's files goes into every paper's key: the formats asked for,
    /// since each page links to the others, and whether drafts are published.
    pub(super) salt: String,
    /// Whether papers with drafting placeholders are published (under a banner).
    pub(super) drafts: bool,
    /// The history of what was published (`site/versions.rs`): none in the private preview.
    pub(super) history: Option<&'a crate::site::versions::History>,
    /// Each paper's key, by folder, as hashed before its files were read to be checked: the
    /// key the cache keeps beside what was made from them. Hashed after the check, an edit
    /// saved in between would be taken for what was checked, and the next build would reuse
    /// the older output as if it were the edit's.
    pub(super) keys_read: std::sync::Mutex<BTreeMap<std::path::PathBuf, String>>,
}

impl Plan<'_> {
    /// The key of the paper at `paths`, hashed now, and remembered for its cache entry.
    pub(super) fn key_before_reading(
        &self,
        paths: &crate::load::PaperPaths,
        signals: &str,
    ) -> Option<String> {
        let key = paper_key(paths, &format!("{} {signals}", self.salt))?;
        if let Ok(mut keys) = self.keys_read.lock() {
            keys.insert(paths.dir.clone(), key.clone());
        }
        Some(key)
    }
}

/// Why a paper is not published, if it is not (decided once, in check/publication.rs): with
/// the index line of an exempt paper. A draft (placeholders left) is published only when the
/// build is asked for drafts.
fn withheld(
    visit: &Visit,
    rel: &str,
    council: &str,
    drafts: bool,
) -> Option<(Option<IndexEntry>, Withheld)> {
    let paper = visit.cx.paper;
    match &visit.cx.publication {
        Publication::Public => match publication::placeholders_left(visit.diagnostics) {
            0 => None,
            _ if drafts => None,
            left => Some((None, Withheld::Unclear(draft_withheld(visit, left)))),
        },
        Publication::Exempt { paragraph } => Some((
            paper
                .report
                .as_ref()
                .map(|s| exempt_entry(&s.meta, *paragraph, rel, council)),
            Withheld::Exempt(rel.to_string()),
        )),
        Publication::Unclear { why } => Some((
            None,
            Withheld::Unclear(
                Diagnostic::general(
                    Code::Withheld,
                    format!("{} is not published: {why}", paper.dir.display()),
                )
                .with_hint("fix the errors above; until then nothing of this paper is written to the output"),
            ),
        )),
    }
}

/// The finding that a draft was not published.
fn draft_withheld(visit: &Visit, left: usize) -> Diagnostic {
    let first = visit
        .diagnostics
        .iter()
        .find(|d| d.code == Code::PlaceholderLeft)
        .map(|d| format!(" ({})", d.message))
        .unwrap_or_default();
    Diagnostic::general(
        Code::Draft,
        format!(
            "{} is not published: it is a draft, with {} left in{first}",
            visit.cx.paper.dir.display(),
            crate::text::count(left, "drafting placeholder"),
        ),
    )
    .with_hint("fill in every placeholder (see the warnings above); `clerk build --draft` publishes drafts under a banner, for review only")
}

/// The views of a paper's documents, made once for every format.
struct Views {
    report: Option<DocView>,
    decision: Option<DocView>,
    /// Each appendix with the name its files take.
    appendices: Vec<(String, DocView)>,
    /// Each document is stamped with its own date, else its partner's.
    report_date: Option<chrono::NaiveDate>,
    decision_date: Option<chrono::NaiveDate>,
}

/// The name an appendix's files take: its file's, prefixed so that an appendix called
/// index.md cannot take the report's page.
fn appendix_stem(visit: &Visit, i: usize) -> String {
    visit
        .paths
        .appendices
        .get(i)
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .map(|s| {
            if s.starts_with("appendix") {
                s
            } else {
                format!("appendix-{s}")
            }
        })
        .unwrap_or_else(|| format!("appendix-{}", i + 1))
}

impl Views {
    fn of(visit: &Visit, council: &str) -> Views {
        let paper = visit.cx.paper;
        let problems = visit
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
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
        let mut views = Views {
            report: view::report_view(paper, council, problems, None),
            decision: view::decision_view(paper, council, problems),
            appendices: (0..paper.appendices.len())
                .filter_map(|i| {
                    view::appendix_view(paper, i, council, problems)
                        .map(|v| (appendix_stem(visit, i), v))
                })
                .collect(),
            report_date: own_report_date.or(own_decision_date),
            decision_date: own_decision_date.or(own_report_date),
        };
        let left = publication::placeholders_left(visit.diagnostics);
        let every = views.report.iter_mut().chain(views.decision.iter_mut());
        for v in every.chain(views.appendices.iter_mut().map(|(_, v)| v)) {
            v.placeholders = left;
        }
        views
    }

    /// Every document, report first; a view that cannot become JSON is a failure.
    fn documents(&self, failures: &mut Vec<String>, dir: &Path) -> Vec<Document<'_>> {
        let mut docs = Vec::new();
        let mut add = |kind, stem: &str, label: String, view, date| {
            let data = serde_json::to_string(view)
                .map_err(|e| failures.push(format!("{}: {e}", dir.display())))
                .ok();
            docs.push(Document {
                kind,
                stem: stem.to_string(),
                label,
                view,
                data,
                date,
            });
        };
        if let Some(v) = &self.report {
            add(Kind::Report, "report", "Report".into(), v, self.report_date);
        }
        if let Some(v) = &self.decision {
            let label = if v.record.as_ref().is_some_and(|r| r.proposed) {
                "Proposed record of decision"
            } else {
                "Record of decision"
            };
            add(
                Kind::Decision,
                "decision",
                label.into(),
                v,
                self.decision_date,
            );
        }
        for (stem, v) in &self.appendices {
            add(Kind::Appendix, stem, v.title.clone(), v, self.report_date);
        }
        docs
    }
}

/// The paper's line in the index: its main document's title, linked to its first format, and
/// every link of the paper, with what the site's other pages list of it (its decision maker,
/// its dates, its recommendations).
// Long because the catalogue's line has a field for each thing the site's pages list.
fn index_entry(
    visit: &Visit,
    views: &Views,
    links: &[Link],
    rel: &str,
    council: &str,
) -> Option<IndexEntry> {
    let doc = views.report.as_ref().or(views.decision.as_ref())?;
    let paper = visit.cx.paper;
    let m = paper.report.as_ref().map(|s| &s.meta);
    let record = paper.decision.as_ref().map(|s| &s.meta);
    let said = |v: &Option<serde_saphyr::Spanned<String>>| {
        v.as_ref()
            .map(|s| s.value.trim().to_string())
            .unwrap_or_default()
    };
    let maker = m
        .and_then(|m| m.decision_maker.as_ref())
        .or(record.map(|r| &r.decision_maker));
    let role = maker.map(|p| said(&p.role)).unwrap_or_default();
    let committee = m
        .map(|m| said(&m.committee))
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| role.clone());
    let day = |d: Option<&serde_saphyr::Spanned<crate::model::meta::YamlDate>>| {
        d.map(|d| d.value.0.to_string()).unwrap_or_default()
    };
    let date = views.decision_date.or(views.report_date);
    let linked = |l: &Link| Link {
        label: l.label.clone(),
        href: format!("{}/{}", href_path(rel), l.href),
    };
    let meeting_date = day(m.and_then(|m| m.meeting_date.as_ref()));
    let record_date = day(record.and_then(|r| r.date.as_ref()));
    Some(IndexEntry {
        rel: rel.to_string(),
        council: council.to_string(),
        sort_date: date.map(|d| d.to_string()).unwrap_or_default(),
        date: date.map(crate::text::long_date).unwrap_or_default(),
        decision_number: doc.decision_number.clone(),
        title: doc.title.clone(),
        committee,
        key_decision: m.is_some_and(|m| m.key_decision.value.0),
        href: links.first().map(|l| linked(l).href).unwrap_or_default(),
        links: links.iter().map(linked).collect(),
        draft: doc.placeholders > 0,
        decision_maker: maker.map(|p| said(&p.name)).unwrap_or_default(),
        decision_maker_role: role,
        decision_date: if record_date.is_empty() {
            meeting_date.clone()
        } else {
            record_date
        },
        forward_plan_date: day(m.and_then(|m| m.forward_plan_date.as_ref())),
        meeting_date,
        report_date: day(m.and_then(|m| m.date.as_ref())),
        recommendations: views
            .report
            .iter()
            .flat_map(|r| &r.recommendations)
            .map(|i| (i.id.clone(), i.text.clone()))
            .collect(),
        ..IndexEntry::default()
    })
}

/// Renders one paper in every format of `plan`: each document, then the paper as a whole.
pub(super) fn render_paper(visit: &Visit, plan: &Plan) -> Rendered {
    let paper = visit.cx.paper;
    let rel = paper_rel(plan.site.root, &paper.dir);
    let council = visit
        .cx
        .council
        .map(|c| c.meta.name.value.clone())
        .unwrap_or_default();
    let mut r = Rendered {
        rel: rel.clone(),
        real: crate::site::real(&paper.dir),
        council: council.clone(),
        ..Default::default()
    };
    if let Some((entry, withheld)) = withheld(visit, &rel, &council, plan.drafts) {
        (r.entry, r.withheld) = (entry, Some(withheld));
        return r;
    }
    let views = Views::of(visit, &council);
    let docs = views.documents(&mut r.failures, &paper.dir);
    // Every page of the paper links to each document in each format.
    let links: Vec<Link> = docs
        .iter()
        .flat_map(|d| plan.renderers.iter().filter_map(move |f| f.link(d)))
        .collect();
    let root_href = up(&rel);
    // Its versions, before any of its pages is written: they say when it was updated.
    let updated = with_versions(visit, (&docs, &links), plan, &mut r);
    let cx = Paper {
        site: plan.site,
        visit,
        rel: &rel,
        root_href: &root_href,
        council: &council,
        links: &links,
        updated: updated.as_ref(),
    };
    let mut made: Vec<Made> = plan.renderers.iter().map(|_| Made::default()).collect();
    for doc in &docs {
        for (f, m) in plan.renderers.iter().zip(&mut made) {
            f.document(doc, &cx, m);
            r.failures.append(&mut m.failures);
        }
    }
    for (f, m) in plan.renderers.iter().zip(&mut made) {
        f.paper(&cx, m);
        r.failures.append(&mut m.failures);
    }
    r.entry = index_entry(visit, &views, &links, &rel, &council);
    if let Some(e) = &mut r.entry {
        e.updated = updated;
    }
    remember(&mut r, made, visit, plan);
    r
}

/// The paper's versions, when the build keeps a history and the paper is no draft: the files
/// that keep them written, and what its pages say of its last change.
fn with_versions(
    visit: &Visit,
    (docs, links): (&[Document], &[Link]),
    plan: &Plan,
    r: &mut Rendered,
) -> Option<crate::site::versions::Updated> {
    let history = plan.history?;
    if publication::placeholders_left(visit.diagnostics) > 0 {
        // A draft shown for review (`--draft`) is no new version: what was published stays.
        if let Some(h) = history.papers.get(&r.rel).filter(|h| h.withdrawn.is_none()) {
            r.outputs.extend(crate::site::versions::kept(&r.rel, h));
            r.history = Some(h.clone());
        }
        return None;
    }
    let step = versions(visit, docs, links, &r.rel, history, plan)?;
    let updated = step.history.update.clone();
    keep_versions(step, r, visit, plan);
    updated
}

/// What a version of the paper says that the next is compared with: its title and number,
/// its recommendations, and its figures as written out.
fn said(visit: &Visit, docs: &[Document]) -> crate::site::versions::Said {
    let paper = visit.cx.paper;
    let main = docs.first().map(|d| d.view);
    crate::site::versions::Said {
        title: main.map(|v| v.title.clone()).unwrap_or_default(),
        number: main.map(|v| v.decision_number.clone()).unwrap_or_default(),
        recommendations: docs
            .iter()
            .filter(|d| d.kind == Kind::Report)
            .flat_map(|d| &d.view.recommendations)
            .map(|i| (i.id.clone(), i.text.clone()))
            .collect(),
        figures: paper
            .figures
            .values()
            .filter_map(|f| Some((f.name.clone(), crate::model::money::format_exact(f.value?))))
            .collect(),
    }
}

/// What the build does about the paper's versions (`site/versions.rs`): compared with what the
/// history says it was, by a hash of its files.
fn versions(
    visit: &Visit,
    docs: &[Document],
    links: &[Link],
    rel: &str,
    history: &crate::site::versions::History,
    plan: &Plan,
) -> Option<crate::site::versions::Step> {
    use crate::site::versions::{source_hash, step, Now, Snapshot, StoredDoc};
    let paper = visit.cx.paper;
    let report = paper.report.as_ref().map(|s| &s.meta);
    let record = paper.decision.as_ref().map(|s| &s.meta);
    let day = |d: Option<&serde_saphyr::Spanned<crate::model::meta::YamlDate>>| {
        d.map(|d| d.value.0.to_string()).unwrap_or_default()
    };
    let updated = day(report.and_then(|m| m.updated.as_ref()))
        .max(day(record.and_then(|m| m.updated.as_ref())));
    let latest = [
        day(report.and_then(|m| m.date.as_ref())),
        day(report.and_then(|m| m.meeting_date.as_ref())),
        day(record.and_then(|m| m.date.as_ref())),
        updated.clone(),
    ]
    .into_iter()
    .max()
    .unwrap_or_default();
    let page = |d: &Document| super::formats::html_page(d);
    let snapshot = Snapshot {
        docs: docs
            .iter()
            .filter_map(|d| {
                Some(StoredDoc {
                    template: page(d).1.to_string(),
                    page: page(d).0,
                    stem: d.stem.clone(),
                    view: d.data.clone()?,
                })
            })
            .collect(),
        links: links.to_vec(),
    };
    let now = Now {
        rel: rel.to_string(),
        hash: source_hash(visit.paths)?,
        updated,
        latest,
        said: said(visit, docs),
        pages: docs
            .iter()
            .map(|d| format!("{rel}/{}", page(d).0))
            .collect(),
        snapshot,
        views_published: plan.renderers.iter().any(|f| f.name() == "json"),
    };
    let laid_out = |doc: &StoredDoc, extra: &[(&str, serde_json::Value)]| {
        let view: serde_json::Value = serde_json::from_str(&doc.view).map_err(|e| e.to_string())?;
        plan.site.templates.html(&doc.template, &view, extra)
    };
    Some(step(history.papers.get(rel), now, plan.site.out, &laid_out))
}

/// Writes what the paper's versions need (its kept documents, the version it replaces) and
/// notes every file of its versions as the site's; a new version with no date of its own is
/// a warning.
fn keep_versions(step: crate::site::versions::Step, r: &mut Rendered, visit: &Visit, plan: &Plan) {
    use crate::site::Origin;
    let version = |file: &str| {
        if file.starts_with(".clerk/") {
            Origin::Record
        } else {
            Origin::Version {
                paper: r.rel.clone(),
            }
        }
    };
    let mut outputs = Vec::new();
    for (file, bytes) in &step.files {
        match plan.site.out.write(file, bytes) {
            Ok(()) => outputs.push((file.clone(), version(file))),
            Err(e) => r.failures.push(format!("cannot write {file}: {e}")),
        }
    }
    outputs.extend(step.kept.iter().map(|f| (f.clone(), version(f))));
    r.outputs.extend(outputs);
    r.failures.extend(step.failures);
    if let Some(date) = step.undated {
        let mut d = Diagnostic::general(
            Code::UpdatedUndated,
            format!(
                "{} changed since it was published, and no `updated:` later than its last version's says when: its page says \"Updated on {}\", the latest date it carries",
                visit.cx.paper.dir.display(),
                crate::site::versions::long(&date)
            ),
        )
        .with_hint("add `updated: YYYY-MM-DD` to the report's (or the record's) front matter: the day this version is published");
        d.severity = Severity::Warning;
        r.notes.push(d);
    }
    r.history = Some(step.history);
}

/// Notes what each format made; remembered for the next build only when everything was made:
/// a paper with a failure is made again next time.
fn remember(r: &mut Rendered, made: Vec<Made>, visit: &Visit, plan: &Plan) {
    r.tallies = made
        .iter()
        .map(|m| Tally {
            made: m.documents,
            unchanged: 0,
        })
        .collect();
    let rel = &r.rel;
    let outputs: Vec<_> = plan
        .renderers
        .iter()
        .zip(&made)
        .flat_map(|(f, m)| {
            m.files
                .iter()
                .map(move |file| (file.clone(), super::paper_origin(rel, f.name(), file)))
        })
        .collect();
    r.outputs.extend(outputs);
    let mut formats = BTreeMap::new();
    for ((f, key), m) in plan.renderers.iter().zip(&plan.keys).zip(made) {
        r.deferred.push(m.deferred);
        let entry = FormatCache {
            key: key.clone(),
            documents: m.documents,
            outputs: m.files,
            stamps: Vec::new(),
        };
        formats.insert(f.name().to_string(), entry);
    }
    if !r.failures.is_empty() {
        return;
    }
    let paper = visit.cx.paper;
    let key = plan
        .keys_read
        .lock()
        .ok()
        .and_then(|keys| keys.get(&visit.paths.dir).cloned());
    r.stored = key.map(|key| PaperCache {
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
        formats,
    });
}
