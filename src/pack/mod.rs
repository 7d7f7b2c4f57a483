//! `clerk pack MEETING`: a meeting's publication pack. One typst document holds the front
//! sheet, the agenda with each item's page, and every paper, with continuous page numbers;
//! beside it an HTML meeting page, an .ics calendar file and a JSON description.
//!
//! The public pack prints only the title and Schedule 12A paragraph of a Part 2 item: the
//! exempt papers' views are never put into the public pack's data, so no template can leak
//! them. `--confidential` makes the full pack, marked on every page, in a folder of its own.
//!
//! The meeting's own rules (its agenda's items and the law's deadlines) are in
//! check/meeting.rs. The parts here: `agenda.rs` the pages the meeting page links to,
//! `calendar.rs` the .ics file, and this file checks the papers, decides what may be packed
//! and writes the pack.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::build::{typst_for_build, Progress, STAGING};
use crate::check::meeting::{
    deadlines, resolve_agenda, Agenda, PaperFacts, Resolved, MEETING_FILE,
};
use crate::check::publication::Publication;
use crate::diagnostic::{Code, Diagnostic, Severity, SourceMap};
use crate::model::meeting::MeetingMeta;
use crate::model::Jurisdiction;
use crate::render::typst::{self, Job};
use crate::render::view::{self, DocView};
use crate::render::Templates;
use crate::write::Output;

mod agenda;

use agenda::*;

pub struct PackOptions {
    pub meeting: PathBuf,
    pub out: PathBuf,
    /// Where to write the confidential pack (Part 2 included), when one is wanted: a folder
    /// the clerk names, never inside the public output or the papers.
    pub confidential: Option<PathBuf>,
    pub allow_errors: bool,
    /// Make supplement N (late items) instead of the main pack.
    pub supplement: Option<u32>,
    pub templates: Option<PathBuf>,
    pub install: bool,
}

pub struct Packed {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub papers: usize,
    /// Files written, as paths (inside the output folder or the confidential folder).
    pub written: Vec<String>,
    pub usage_error: bool,
    /// Each file written, by the folder it went into and its path there: those in the public
    /// output join the site's record as the pack's.
    made: Vec<(PathBuf, String)>,
}

impl Packed {
    /// Writes a file into the output, noting it, or noting why it could not be written.
    fn write(&mut self, out: &Output, rel: String, bytes: &[u8]) {
        match out.write(&rel, bytes) {
            Ok(()) => {
                self.written
                    .push(out.root().join(&rel).display().to_string());
                self.made.push((out.root().to_path_buf(), rel));
            }
            Err(e) => self.diagnostics.push(Diagnostic::general(
                Code::OutputFailed,
                format!("cannot write {rel}: {e}"),
            )),
        }
    }

    /// Lays a pack out with typst and writes it.
    fn make_pdf(
        &mut self,
        typst: &typst::Typst,
        templates: &Templates,
        job: &Job,
        staging: &Path,
        out: &Output,
        rel: String,
    ) {
        match typst::compile(typst, &templates.typst, "pack.typ", job, staging) {
            Ok(bytes) => self.write(out, rel, &bytes),
            Err(e) => self
                .diagnostics
                .push(Diagnostic::general(Code::PdfFailed, e)),
        }
    }
}

/// What the pack needs of one paper on the agenda.
pub(super) struct Facts {
    pub(super) dir: PathBuf,
    pub(super) rel: String,
    pub(super) documents: Vec<DocView>,
    pub(super) title: String,
    /// Whether the paper may be published (check/publication.rs decides).
    pub(super) publication: Publication,
    pub(super) key_decision: bool,
    pub(super) forward_plan: Option<NaiveDate>,
    pub(super) jurisdiction: Jurisdiction,
    pub(super) council: String,
    pub(super) errors: usize,
    /// Drafting placeholders left in (check/publication.rs): a draft is packed only as a draft
    /// pack (`--allow-errors`), its pages under a banner.
    pub(super) placeholders: usize,
}

#[derive(Clone, Serialize)]
pub(super) struct ItemView {
    pub(super) number: usize,
    pub(super) part: u8,
    /// "standard", "paper" or "exempt" (a Part 2 item, shown without its papers).
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) text: String,
    pub(super) paragraph: Option<u32>,
    pub(super) reason: String,
    /// The item's page on the site (Part 1 papers only).
    pub(super) href: Option<String>,
    pub(super) documents: Vec<DocView>,
}

#[derive(Clone, Serialize)]
pub(super) struct MeetingView {
    pub(super) id: String,
    pub(super) council: String,
    pub(super) committee: String,
    pub(super) date: String,
    pub(super) date_text: String,
    pub(super) time: String,
    pub(super) venue: String,
    pub(super) chair: String,
    pub(super) members: Vec<String>,
    pub(super) published: String,
    pub(super) published_text: String,
}

#[derive(Clone, Serialize)]
pub(super) struct SupplementView {
    pub(super) number: u32,
    pub(super) reason: String,
    pub(super) published_text: String,
    /// Its first page: one after the main pack's last.
    pub(super) first_page: u32,
}

#[derive(Serialize)]
pub(super) struct PackData<'a> {
    pub(super) confidential: bool,
    pub(super) meeting: &'a MeetingView,
    pub(super) supplement: Option<SupplementView>,
    pub(super) items: Vec<ItemView>,
}

/// What the pack keeps of one checked paper: its views, and what the meeting rules need.
fn facts_of(visit: &crate::Visit, root: &Path, meeting_date: Option<NaiveDate>) -> Facts {
    let paper = visit.cx.paper;
    let council = visit
        .cx
        .council
        .map(|c| c.meta.name.value.clone())
        .unwrap_or_default();
    let errors = visit
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut documents = Vec::new();
    documents.extend(view::report_view(paper, &council, errors, meeting_date));
    documents.extend(view::decision_view(paper, &council, errors));
    for i in 0..paper.appendices.len() {
        documents.extend(view::appendix_view(paper, i, &council, errors));
    }
    let placeholders = crate::check::publication::placeholders_left(visit.diagnostics);
    for d in &mut documents {
        d.placeholders = placeholders;
    }
    let report = paper.report.as_ref().map(|r| &r.meta);
    Facts {
        dir: visit.paths.dir.clone(),
        rel: visit
            .paths
            .dir
            .strip_prefix(root)
            .unwrap_or(&visit.paths.dir)
            .to_string_lossy()
            .replace('\\', "/"),
        title: documents
            .first()
            .map(|d| d.title.clone())
            .unwrap_or_default(),
        documents,
        publication: visit.cx.publication.clone(),
        key_decision: report.is_some_and(|m| m.key_decision.value.0),
        forward_plan: report
            .and_then(|m| m.forward_plan_date.as_ref())
            .map(|d| d.value.0),
        jurisdiction: visit
            .cx
            .council
            .map_or(Jurisdiction::England, |c| c.meta.jurisdiction.value),
        council,
        errors,
        placeholders,
    }
}

/// Checks the agenda's papers against the meeting file, keeping of each what the pack needs.
/// Each paper's Meeting row shows the meeting's date (`meeting_date`), not the report's own.
fn check_papers(
    dirs: &[PathBuf],
    meeting_file: &Path,
    meeting_date: Option<NaiveDate>,
    root: &Path,
) -> (crate::Checked, Vec<Facts>) {
    if dirs.is_empty() {
        (
            crate::Checked {
                sources: SourceMap::new(),
                diagnostics: Vec::new(),
                amounts: Vec::new(),
                papers: 0,
                usage_error: false,
            },
            Vec::new(),
        )
    } else {
        let meeting = [meeting_file.to_path_buf()];
        crate::run_reusing(dirs, &meeting, &|_, _| None, &|visit| {
            facts_of(visit, root, meeting_date)
        })
    }
}

/// Why no pack may be made, if so (C0907): errors without --allow-errors, or a paper in
/// Part 1 that is not known to be public, which --allow-errors never overrides.
fn refusal<'a>(
    items: impl Iterator<Item = &'a Resolved<'a>>,
    facts: &BTreeMap<PathBuf, Facts>,
    errors: usize,
    allow_errors: bool,
) -> Option<Diagnostic> {
    // A paper in a public part that is not known to be public is never packed, whatever
    // --allow-errors says: exempt, or unreadable, or in conflict (check/publication.rs).
    let not_public: Vec<String> = items
        .filter(|r| r.part == 1)
        .filter_map(|r| facts.get(r.dir.as_ref()?))
        .filter(|f| !f.publication.is_public())
        .map(|f| f.dir.display().to_string())
        .collect();
    let leak = !not_public.is_empty();
    let drafts: Vec<String> = facts
        .values()
        .filter(|f| f.placeholders > 0)
        .map(|f| f.dir.display().to_string())
        .collect();
    if !leak && (errors == 0 && drafts.is_empty() || allow_errors) {
        return None;
    }
    let with_errors: Vec<String> = facts
        .values()
        .filter(|f| f.errors > 0)
        .map(|f| f.dir.display().to_string())
        .collect();
    let mut message = format!(
        "no pack was made: {} above",
        crate::text::count(errors, "error")
    );
    if !with_errors.is_empty() {
        message.push_str(&format!(
            " (papers with errors: {})",
            with_errors.join(", ")
        ));
    }
    if !drafts.is_empty() {
        message.push_str(&format!(
            "; drafts with placeholders left in: {}",
            drafts.join(", ")
        ));
    }
    let mut d = Diagnostic::general(Code::PackRefused, message);
    d = if leak {
        d.with_hint(format!(
            "a paper in Part 1 must be known to be public, and these are not: {}; --allow-errors never overrides this",
            not_public.join(", ")
        ))
    } else {
        d.with_hint("fix them, or make a draft pack anyway with --allow-errors")
    };
    Some(d)
}

/// The meeting as the pack and its page show it.
fn meeting_view(m: &MeetingMeta, id: &str, facts: &BTreeMap<PathBuf, Facts>) -> MeetingView {
    let council = facts
        .values()
        .map(|f| f.council.clone())
        .find(|c| !c.is_empty())
        .unwrap_or_default();
    MeetingView {
        id: id.to_string(),
        council,
        committee: m.committee.value.trim().to_string(),
        date: m.date.value.0.to_string(),
        date_text: crate::text::day_and_date(m.date.value.0),
        time: text_of(&m.time),
        venue: text_of(&m.venue),
        chair: text_of(&m.chair),
        members: m
            .members
            .iter()
            .map(|s| s.value.trim().to_string())
            .collect(),
        published: m.published.value.0.to_string(),
        published_text: crate::text::long_date(m.published.value.0),
    }
}

/// The agenda items of `list` as the pack shows them, numbered from `first`. A paper's
/// documents go into public data only when it may be published; exempt papers' only into
/// the confidential pack's.
fn item_views(
    list: &[Resolved],
    first: usize,
    confidential: bool,
    facts: &BTreeMap<PathBuf, Facts>,
) -> Vec<ItemView> {
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            let f = r.dir.as_ref().and_then(|d| facts.get(d));
            let title = text_of(&r.item.title);
            let standard_title = r
                .item
                .standard
                .as_ref()
                .map(|s| s.value.default_title().to_string());
            let title = if title.is_empty() {
                f.map(|f| f.title.clone())
                    .or(standard_title)
                    .unwrap_or_default()
            } else {
                title
            };
            let exempt = r.part == 2;
            ItemView {
                number: first + i,
                part: r.part,
                kind: if r.item.standard.is_some() {
                    "standard"
                } else if exempt {
                    "exempt"
                } else {
                    "paper"
                },
                title,
                text: text_of(&r.item.text),
                paragraph: r.item.paragraph.as_ref().map(|p| p.value),
                reason: text_of(&r.item.reason),
                href: f
                    .filter(|f| !exempt && f.publication.is_public())
                    .map(|f| format!("../../{}/index.html", crate::render::href_path(&f.rel))),
                // A paper goes into public data only when it may be published; exempt
                // papers only into the confidential pack's.
                documents: match f {
                    Some(f) if confidential || (!exempt && f.publication.is_public()) => {
                        f.documents.clone()
                    }
                    _ => Vec::new(),
                },
            }
        })
        .collect()
}

/// Makes a meeting's pack: reads the meeting file, resolves its agenda, checks its papers and
/// the law's deadlines, and (unless that finds errors) writes the packs and the meeting's page.
pub fn pack(opts: &PackOptions, progress: &dyn Progress) -> Result<Packed, String> {
    let (text, meta, mut meeting_diags) = read_meeting(&opts.meeting)?;
    let meeting_dir = opts
        .meeting
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let root = papers_root(&meeting_dir);
    // Where the build published the meeting's page (two meeting files of one name each have
    // their own), else the file's name.
    let id = crate::site::meetings::id_in(&opts.out, &opts.meeting);

    // Resolve the agenda (and the supplement asked for): which items are papers, and where.
    let agenda = match &meta {
        Some(m) => resolve_agenda(m, opts.supplement, &opts.meeting, &mut meeting_diags)?,
        None => Agenda::default(),
    };
    let (mut packed, facts, meeting_id) =
        check_meeting(opts, &text, meta.as_ref(), &agenda, meeting_diags, &root);

    let Some(m) = &meta else { return Ok(packed) };
    let errors = packed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let items_in = agenda.resolved.iter().chain(agenda.late.iter());
    if let Some(d) = refusal(items_in, &facts, errors, opts.allow_errors) {
        packed.diagnostics.push(d);
        return Ok(packed);
    }
    let meeting = meeting_view(m, &id, &facts);
    let outputs = Outputs::prepare(opts, m, &id, &root, progress)?;
    if let Some(s) = &agenda.supplement {
        outputs.supplement(s, &meeting, &agenda, &facts, &mut packed, progress)?;
    } else {
        outputs.packs(&meeting, &agenda.resolved, &facts, &mut packed, progress)?;
        let missing = missing_pages(&agenda.resolved, &facts, &opts.out, &root, meeting_id);
        if !missing.is_empty() {
            packed.diagnostics.extend(missing);
            crate::diagnostic::sort(&mut packed.diagnostics, &packed.sources);
        }
    }
    let packed_items = agenda.supplement.map_or(&agenda.resolved, |_| &agenda.late);
    outputs.record((&id, m), packed_items, &facts, &mut packed);
    outputs.remove_staging();
    progress.finish();
    Ok(packed)
}

/// The meeting file's text and front matter (none, with a diagnostic, when it is not valid).
fn read_meeting(path: &Path) -> Result<(String, Option<MeetingMeta>, Vec<Diagnostic>), String> {
    let text = crate::load::read_text(path).map_err(|p| {
        let d = p.into_diagnostic(0);
        format!(
            "cannot read the meeting file `{}`: {}",
            path.display(),
            d.message
        )
    })?;
    let mut diagnostics = Vec::new();
    let meta = match crate::parse::frontmatter::read_yaml::<MeetingMeta>(
        MEETING_FILE,
        &text,
        0..text.len(),
        "meeting",
    ) {
        Ok(m) => Some(m),
        Err(d) => {
            diagnostics.push(*d);
            None
        }
    };
    Ok((text, meta, diagnostics))
}

/// Checks the agenda's papers and the meeting's rules; the meeting file joins the sources, and
/// its findings take its id.
fn check_meeting(
    opts: &PackOptions,
    text: &str,
    meta: Option<&MeetingMeta>,
    agenda: &Agenda,
    mut meeting_diags: Vec<Diagnostic>,
    root: &Path,
) -> (Packed, BTreeMap<PathBuf, Facts>, crate::diagnostic::FileId) {
    let items = || agenda.resolved.iter().chain(agenda.late.iter());
    let dirs: Vec<PathBuf> = items().filter_map(|r| r.dir.clone()).collect();
    let meeting_date = meta.map(|m| m.date.value.0);
    let (mut checked, facts) = check_papers(&dirs, &opts.meeting, meeting_date, root);
    let facts: BTreeMap<PathBuf, Facts> = facts.into_iter().map(|f| (f.dir.clone(), f)).collect();
    // The law's deadlines and the agenda's own rules.
    if let Some(m) = meta {
        let of = |dir: &Path| {
            facts.get(dir).map(|f| PaperFacts {
                title: &f.title,
                key_decision: f.key_decision,
                forward_plan: f.forward_plan,
                jurisdiction: f.jurisdiction,
            })
        };
        meeting_diags.extend(deadlines(m, items(), &of));
    }
    let meeting_id = checked.sources.add(&opts.meeting, text.to_string());
    for d in &mut meeting_diags {
        if d.file == Some(MEETING_FILE) {
            d.file = Some(meeting_id);
        }
        for r in &mut d.related {
            if r.file == MEETING_FILE {
                r.file = meeting_id;
            }
        }
    }
    let mut diagnostics = std::mem::take(&mut checked.diagnostics);
    diagnostics.extend(meeting_diags);
    crate::diagnostic::sort(&mut diagnostics, &checked.sources);
    let packed = Packed {
        sources: checked.sources,
        diagnostics,
        papers: facts.len(),
        written: Vec::new(),
        usage_error: checked.usage_error,
        made: Vec::new(),
    };
    (packed, facts, meeting_id)
}

/// Where a pack is written and with what: the public output, the confidential folder when one
/// is wanted, their working folders, typst and the templates.
struct Outputs<'a> {
    opts: &'a PackOptions,
    out: Output,
    /// One run at a time holds the output folder, until this is dropped.
    _lock: std::fs::File,
    secret: Option<Output>,
    staging: PathBuf,
    secret_staging: Option<PathBuf>,
    typst: typst::Typst,
    templates: Templates,
    /// `meetings/<id>`: the meeting's folder in the public output.
    base: String,
    id: String,
    /// The publication date, for deterministic PDFs.
    timestamp: i64,
}

impl<'a> Outputs<'a> {
    fn prepare(
        opts: &'a PackOptions,
        m: &MeetingMeta,
        id: &str,
        root: &Path,
        progress: &dyn Progress,
    ) -> Result<Outputs<'a>, String> {
        let (templates, _) = crate::build::load_templates(root, opts.templates.as_deref())?;
        if crate::write::is_within(&opts.out, root) || crate::write::is_within(root, &opts.out) {
            return Err(format!(
                "the output folder `{}` and the papers `{}` overlap: clerk never writes among the papers",
                opts.out.display(),
                root.display()
            ));
        }
        let out = Output::create_owned(&opts.out)
            .map_err(|e| format!("cannot use `{}` for output: {e}", opts.out.display()))?;
        let lock = out.lock().map_err(|e| e.to_string())?;
        let secret = match &opts.confidential {
            Some(dir) => Some(confidential_output(dir, &opts.out, root)?),
            None => None,
        };
        let typst = typst_for_build(opts.install, progress)?;
        let staging = out.work_dir(STAGING).map_err(|e| e.to_string())?;
        // The confidential pack's working files stay beside it, never in the public output.
        let secret_staging = match &secret {
            Some(o) => Some(o.work_dir(SECRET_STAGING).map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(Outputs {
            opts,
            out,
            _lock: lock,
            secret,
            staging,
            secret_staging,
            typst,
            templates,
            base: format!("meetings/{id}"),
            id: id.to_string(),
            timestamp: noon(m.published.value.0),
        })
    }

    /// Where each pack goes: the public one into the output, the full one only to its folder.
    fn destination(&self, confidential: bool) -> (&Output, &Path) {
        match (confidential, &self.secret, &self.secret_staging) {
            (true, Some(o), Some(st)) => (o, st),
            _ => (&self.out, &self.staging),
        }
    }

    fn job(&self, rel: &str, data_json: String, timestamp: i64) -> Job {
        Job {
            name: format!("{} ({rel})", self.opts.meeting.display()),
            data_json,
            timestamp,
        }
    }

    /// The public pack (and its data) and, when asked for, the confidential one.
    fn packs(
        &self,
        meeting: &MeetingView,
        resolved: &[Resolved],
        facts: &BTreeMap<PathBuf, Facts>,
        packed: &mut Packed,
        progress: &dyn Progress,
    ) -> Result<(), String> {
        let mut packs = vec![(false, format!("{}/pack.pdf", self.base))];
        if self.secret.is_some() {
            packs.push((true, format!("{}/pack.pdf", self.id)));
        }
        for (confidential, rel) in packs {
            progress.phase(
                if confidential {
                    "Making the confidential pack"
                } else {
                    "Making the pack"
                },
                0,
            );
            let data = PackData {
                confidential,
                meeting,
                supplement: None,
                items: item_views(resolved, 1, confidential, facts),
            };
            let data_json = serde_json::to_string(&data).map_err(|e| e.to_string())?;
            // The public pack's contents as data, for re-use (only ever the public one).
            if !confidential {
                packed.write(
                    &self.out,
                    format!("{}/pack.json", self.base),
                    data_json.as_bytes(),
                );
            }
            let job = self.job(&rel, data_json, self.timestamp);
            let (to, st) = self.destination(confidential);
            packed.make_pdf(&self.typst, &self.templates, &job, st, to, rel);
        }
        Ok(())
    }

    /// A supplement: the late items, its pages continuing from the end of the main (public)
    /// pack, which typst lays out to count them.
    fn supplement(
        &self,
        s: &crate::model::meeting::Supplement,
        meeting: &MeetingView,
        agenda: &Agenda,
        facts: &BTreeMap<PathBuf, Facts>,
        packed: &mut Packed,
        progress: &dyn Progress,
    ) -> Result<(), String> {
        let main = PackData {
            confidential: false,
            meeting,
            supplement: None,
            items: item_views(&agenda.resolved, 1, false, facts),
        };
        let main_json = serde_json::to_string(&main).map_err(|e| e.to_string())?;
        let job = self.job("main pack", main_json, self.timestamp);
        progress.phase("Counting the main pack's pages", 0);
        let main_pages = typst::count_pages(
            &self.typst,
            &self.templates.typst,
            "pack.typ",
            &job,
            &self.staging,
        )?;
        let view = SupplementView {
            number: s.number.value,
            reason: text_of(&s.reason),
            published_text: crate::text::long_date(s.published.value.0),
            first_page: main_pages + 1,
        };
        let mut made = vec![(
            false,
            format!("{}/supplement-{}.pdf", self.base, view.number),
        )];
        if self.secret.is_some() {
            made.push((true, format!("{}/supplement-{}.pdf", self.id, view.number)));
        }
        for (confidential, rel) in made {
            progress.phase("Making the supplement", 0);
            let data = PackData {
                confidential,
                meeting,
                supplement: Some(view.clone()),
                items: item_views(&agenda.late, agenda.resolved.len() + 1, confidential, facts),
            };
            let data_json = serde_json::to_string(&data).map_err(|e| e.to_string())?;
            let job = self.job(&rel, data_json, noon(s.published.value.0));
            let (to, st) = self.destination(confidential);
            packed.make_pdf(&self.typst, &self.templates, &job, st, to, rel);
        }
        Ok(())
    }

    /// Notes the pack's files in the public output in the site's record, with the meeting and
    /// the papers the public pack holds (a later build keeps them while the meeting is there
    /// and those papers are public), then writes the meeting's page, calendar file and data
    /// through the site layer, as a build makes them, listing the packs made.
    fn record(
        &self,
        (id, m): (&str, &MeetingMeta),
        items: &[Resolved],
        facts: &BTreeMap<PathBuf, Facts>,
        packed: &mut Packed,
    ) {
        let papers = items
            .iter()
            .filter(|r| r.part == 1)
            .filter_map(|r| facts.get(r.dir.as_ref()?))
            .filter(|f| f.publication.is_public())
            .map(|f| crate::site::real(&f.dir))
            .collect();
        let files = packed
            .made
            .iter()
            .filter(|(root, _)| root == self.out.root())
            .map(|(_, rel)| rel.clone())
            .collect();
        let record = crate::site::PackRecord {
            meeting: crate::site::real(&self.opts.meeting),
            papers,
            files,
        };
        let mut site = crate::site::Manifest::read(&self.out);
        site.record_pack(id, record);
        let pages = meeting_pages((id, m), &self.opts.meeting, facts, &site, &self.templates);
        match pages {
            Ok(files) => {
                for (rel, bytes, format) in files {
                    packed.write(&self.out, rel.clone(), &bytes);
                    let what = "meetings".to_string();
                    let format = format.to_string();
                    site.add(rel, crate::site::Origin::Site { what, format });
                }
            }
            Err(e) => packed
                .diagnostics
                .push(Diagnostic::general(Code::OutputFailed, e)),
        }
        if let Err(e) = site.write(&self.out) {
            packed.diagnostics.push(Diagnostic::general(
                Code::OutputFailed,
                format!("cannot write {}: {e}", crate::site::MANIFEST),
            ));
        }
    }

    fn remove_staging(&self) {
        remove_staging(&self.out, self.secret.as_ref());
    }
}

/// A file of the site, its bytes, and the format it belongs to.
type FormatFile = (String, Vec<u8>, &'static str);

/// The meeting's page, calendar file and data, as a build makes them (`site::meetings`), from
/// what the pack knows of its papers, listing the packs `site` records: each file with the
/// format it belongs to.
fn meeting_pages(
    (id, m): (&str, &MeetingMeta),
    path: &Path,
    facts: &BTreeMap<PathBuf, Facts>,
    site: &crate::site::Manifest,
    templates: &Templates,
) -> Result<Vec<FormatFile>, String> {
    use crate::site::{meetings, Catalogue, PaperEntry};
    // As a build lists them: a paper published (public, and no draft), or named as exempt.
    let exempt = |f: &&Facts| matches!(f.publication, Publication::Exempt { .. });
    let entries: BTreeMap<String, PaperEntry> = facts
        .values()
        .filter(|f| (f.publication.is_public() && f.placeholders == 0) || exempt(f))
        .map(|f| {
            let public = f.publication.is_public();
            let paragraph = match f.publication {
                Publication::Exempt { paragraph } => paragraph,
                _ => None,
            };
            let entry = PaperEntry {
                rel: f.rel.clone(),
                council: f.council.clone(),
                title: f.title.clone(),
                href: if public {
                    format!("{}/index.html", crate::render::href_path(&f.rel))
                } else {
                    String::new()
                },
                exempt: matches!(f.publication, Publication::Exempt { .. }),
                paragraph,
                ..PaperEntry::default()
            };
            (crate::site::real(&f.dir), entry)
        })
        .collect();
    let refs = entries.iter().map(|(k, v)| (k.clone(), v)).collect();
    let file = meetings::MeetingFile {
        id: id.to_string(),
        path: path.to_path_buf(),
        meta: Some(m.clone()),
    };
    let mut cat = Catalogue {
        meetings: meetings::page(&file, &refs).into_iter().collect(),
        papers: entries.into_values().collect(),
        base: crate::site::opendata::Base(site.base_url.clone()),
        ..Catalogue::default()
    };
    cat.sort();
    let packs = site.pack_files();
    let html = crate::site::pages::meeting_files(&cat, &cat.committees(), &packs, templates)?;
    let json = crate::site::pages::meeting_data(&cat, &packs);
    Ok(html
        .into_iter()
        .map(|(p, b)| (p, b, "html"))
        .chain(json.into_iter().map(|(p, b)| (p, b, "json")))
        .collect())
}

/// Noon on a date, as a Unix time: a pack's fixed creation time.
fn noon(date: NaiveDate) -> i64 {
    date.and_hms_opt(12, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

/// The folder for the confidential pack: named by the clerk, and refused inside the public
/// output (whatever is there may be uploaded) or among the papers.
fn confidential_output(dir: &Path, public: &Path, papers: &Path) -> Result<Output, String> {
    use crate::write::is_within;
    if is_within(dir, public) {
        return Err(format!(
            "the confidential pack cannot go to `{}`: it is inside the public output `{}`; name a folder outside it, e.g. --confidential ../confidential",
            dir.display(),
            public.display()
        ));
    }
    if is_within(dir, papers) {
        return Err(format!(
            "the confidential pack cannot go to `{}`: it is among the papers `{}`",
            dir.display(),
            papers.display()
        ));
    }
    Output::create(dir).map_err(|e| {
        format!(
            "cannot use `{}` for the confidential pack: {e}",
            dir.display()
        )
    })
}

const SECRET_STAGING: &str = ".clerk-staging";

fn remove_staging(public: &Output, secret: Option<&Output>) {
    let _ = public.remove_work_dir(STAGING);
    if let Some(s) = secret {
        let _ = s.remove_work_dir(SECRET_STAGING);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lose_each_name_dot_dot() {
        assert_eq!(
            lexical(Path::new("out/meetings/../library-hours/index.html")),
            Path::new("out/library-hours/index.html")
        );
        assert_eq!(lexical(Path::new("../a/./b/../c")), Path::new("../a/c"));
    }
}
