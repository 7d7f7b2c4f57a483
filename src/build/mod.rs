//! `clerk build`: check every paper, then render each in every format asked for (HTML pages,
//! JSON data, PDFs), with an index and a review view. Papers with errors still render, under
//! a banner.
//!
//! Each format is a `Renderer` (`formats/`): a paper's documents are rendered inside its
//! checking task, so papers stream through as in `clerk check`; what a format batches across
//! papers (PDFs, each a typst run, in parallel) follows. The cache in the output folder keeps,
//! format by format, what each paper was made from, so an unchanged paper is skipped.
//!
//! The parts: `paper.rs` renders one paper (or withholds an exempt one), `formats/` holds the
//! formats and their registry, `cache.rs` keeps what each paper and file was made from, and
//! this file runs the build: papers, what the formats batch, and removing what the build did
//! not write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Templates;
use crate::site::{Manifest, Origin, PackRecord};
use crate::write::Output;
use crate::Checked;

mod cache;
mod formats;
mod paper;

pub(crate) use cache::STAGING;
use cache::*;
pub(crate) use formats::typst_for_build;
use formats::{Batch, Index, Made, Renderer, Site};
pub use formats::{Formats, Tally};
use paper::*;

pub struct BuildOptions {
    pub root: PathBuf,
    pub out: PathBuf,
    /// The formats to make (`Formats::all()` for every one).
    pub formats: Formats,
    /// Parallel typst runs (default: one per core).
    pub jobs: Option<usize>,
    /// Templates that override the defaults (default: `ROOT/templates` when it exists).
    pub templates: Option<PathBuf>,
    /// Whether clerk may install typst when it is missing.
    pub install: bool,
    /// Whether the packs `clerk pack` made stay (while their meeting is there and every paper
    /// in them is public): always, but for the private preview of `clerk serve`, which makes
    /// a pack afresh when one is asked for.
    pub keep_packs: bool,
    /// Whether papers that still hold drafting placeholders are published, under a banner
    /// (`--draft`, and the private preview of `clerk serve`); without it they are withheld.
    pub drafts: bool,
    /// The site's address (`--base-url`): the open data's addresses start with it; without
    /// it they are relative references.
    pub base_url: Option<String>,
}

/// What a build did.
pub struct Built {
    pub checked: Checked,
    /// Each format's documents made and kept, by its name, in the registry's order.
    pub tallies: Vec<(&'static str, Tally)>,
    /// How each format that counts its documents words its count: "6 pages", "6 PDFs made
    /// (0 unchanged)".
    pub summary: Vec<String>,
    /// Problems making output (a template, a write, typst, a paper withheld for doubt); each
    /// names its paper.
    pub failures: Vec<Diagnostic>,
    /// Exempt papers, by folder: named in the index, nothing of them written.
    pub withheld: Vec<String>,
    /// Files an earlier build left that this one removed.
    pub removed: Vec<String>,
    /// Packs removed, by meeting, and why: their meeting is gone, or a paper in one is no
    /// longer public.
    pub packs_removed: Vec<(String, String)>,
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

/// A warning for each file of the template folder `dir` that overrides nothing (`unused`,
/// each with the path of the template of its name, when there is one).
fn unused_templates(dir: &Path, unused: Vec<(String, Option<String>)>) -> Vec<Diagnostic> {
    unused
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

/// The templates for the papers under `root`: the built-in ones, overridden by name from
/// `given` (or `root/templates` when it exists), with a warning for each file there that
/// overrides nothing. Build, pack and serve all take their templates from here.
pub(crate) fn load_templates(
    root: &Path,
    given: Option<&Path>,
) -> Result<(Templates, Vec<Diagnostic>), String> {
    let dir = given
        .map(Path::to_path_buf)
        .or_else(|| Some(root.join("templates")).filter(|d| d.is_dir()));
    let Some(dir) = dir else {
        return Ok((Templates::compile(&BTreeMap::new())?, Vec::new()));
    };
    let folder = crate::load::templates::templates(&dir, &crate::render::overridable_paths())?;
    let templates = Templates::compile(&folder.texts)?;
    Ok((templates, unused_templates(&dir, folder.unused)))
}

/// The output folder, refused when it overlaps the papers.
fn open_output(opts: &BuildOptions) -> Result<Output, String> {
    if crate::write::is_within(&opts.out, &opts.root)
        || crate::write::is_within(&opts.root, &opts.out)
    {
        return Err(format!(
            "the output folder `{}` and the papers `{}` overlap: clerk never writes among the papers, and a build removes from its output what it did not write",
            opts.out.display(),
            opts.root.display()
        ));
    }
    Output::create_owned(&opts.out)
        .map_err(|e| format!("cannot use `{}` for output: {e}", opts.out.display()))
}

/// An unchanged paper whose output is all there, in every format asked for, is not checked or
/// rendered again: what the cache kept of it stands in.
fn reuse(
    plan: &Plan,
    cache: &Cache,
    paths: &crate::load::PaperPaths,
    signals: &str,
) -> Option<crate::Reused<Rendered>> {
    // Hashed first, whether or not the paper is reused: its cache entry keeps this key.
    let key = plan.key_before_reading(paths, signals)?;
    let rel = paper_rel(plan.site.root, &paths.dir);
    let stored = cache.papers.get(&rel)?;
    let formats = plan
        .renderers
        .iter()
        .zip(&plan.keys)
        .map(|(r, key)| {
            let entry = stored.formats.get(r.name())?;
            entry.holds(key, plan.site.out).then_some(entry)
        })
        .collect::<Option<Vec<&FormatCache>>>()?;
    if key != stored.key {
        return None;
    }
    let tallies = formats
        .iter()
        .map(|f| Tally {
            made: 0,
            unchanged: f.documents,
        })
        .collect();
    // Its versions stay as the history says, with the files that keep them.
    let (history, outputs) = match plan.history {
        Some(h) => {
            let h = h.papers.get(&rel).filter(|h| h.withdrawn.is_none())?;
            (Some(h.clone()), crate::site::versions::kept(&rel, h))
        }
        None => (None, Vec::new()),
    };
    Some(crate::Reused {
        diagnostics: stored.diagnostics.clone(),
        number: stored.number.clone(),
        made: Rendered {
            rel,
            real: crate::site::real(&paths.dir),
            council: stored.council.clone(),
            entry: stored.entry.clone(),
            tallies,
            stored: Some(stored.clone()),
            history,
            outputs,
            ..Default::default()
        },
    })
}

/// What a build gathers from its papers: for the index, the formats' batches and the cache.
struct Gathered {
    papers: BTreeMap<String, PaperCache>,
    /// Every file this build made or kept, and what it is made from; whatever else is in the
    /// output goes at the end (but the packs that stay).
    files: BTreeMap<String, Origin>,
    /// The real path of every paper folder published, which the packs that stay may hold.
    public: BTreeSet<String>,
    failures: Vec<Diagnostic>,
    withheld: Vec<String>,
    /// Each paper's line for the site's pages, with the real path of its folder.
    entries: Vec<(String, IndexEntry)>,
    /// Each published paper's history from now on (`site/versions.rs`), by its folder.
    histories: BTreeMap<String, crate::site::versions::PaperHistory>,
    /// The folder of every paper in the tree, published or not.
    seen: BTreeSet<String>,
    /// By format, in the order of the build's formats.
    tallies: Vec<Tally>,
    deferred: Vec<Vec<formats::Deferred>>,
}

impl Gathered {
    /// What the build did, for its caller: each format's tally and summary, the failures,
    /// what was withheld and removed.
    fn built(
        mut self,
        checked: crate::Checked,
        renderers: &[Box<dyn Renderer>],
        removed: Vec<String>,
        packs_removed: Vec<(String, String)>,
    ) -> Built {
        self.withheld.sort();
        Built {
            checked,
            summary: renderers
                .iter()
                .zip(&self.tallies)
                .filter_map(|(r, t)| r.summary(*t))
                .collect(),
            tallies: renderers
                .iter()
                .map(|r| r.name())
                .zip(self.tallies)
                .collect(),
            failures: self.failures,
            withheld: self.withheld,
            removed,
            packs_removed,
        }
    }

    fn new(formats: usize, failures: Vec<Diagnostic>) -> Gathered {
        Gathered {
            papers: BTreeMap::new(),
            files: BTreeMap::from([(CACHE_FILE.to_string(), Origin::Record)]),
            public: BTreeSet::new(),
            failures,
            withheld: Vec::new(),
            entries: Vec::new(),
            histories: BTreeMap::new(),
            seen: BTreeSet::new(),
            tallies: vec![Tally::default(); formats],
            deferred: vec![Vec::new(); formats],
        }
    }

    fn add(&mut self, r: Rendered) {
        self.files.extend(r.outputs);
        self.seen.insert(r.rel.clone());
        if let Some(h) = r.history {
            self.histories.insert(r.rel.clone(), h);
        }
        self.failures.extend(r.notes);
        if r.withheld.is_none() && !r.real.is_empty() {
            self.public.insert(r.real.clone());
        }
        match r.withheld {
            Some(Withheld::Exempt(rel)) => self.withheld.push(rel),
            Some(Withheld::Unclear(d)) => self.failures.push(d),
            None => {}
        }
        for (sum, t) in self.tallies.iter_mut().zip(&r.tallies) {
            sum.made += t.made;
            sum.unchanged += t.unchanged;
        }
        for (all, mut more) in self.deferred.iter_mut().zip(r.deferred) {
            all.append(&mut more);
        }
        if let Some(stored) = r.stored {
            for (format, f) in &stored.formats {
                for file in &f.outputs {
                    self.files
                        .insert(file.clone(), paper_origin(&r.rel, format, file));
                }
            }
            self.papers.insert(r.rel.clone(), stored);
        }
        self.entries.extend(r.entry.map(|e| (r.real.clone(), e)));
        self.failures.extend(
            r.failures
                .into_iter()
                .map(|m| Diagnostic::general(Code::OutputFailed, m)),
        );
    }

    /// What the site's pages are made from: every paper's line and every meeting's page, with
    /// the packs that stay.
    fn index(&mut self, tree: &Tree, preview: bool, pdf: bool) -> Index {
        let entries = std::mem::take(&mut self.entries);
        let by_real: BTreeMap<String, &IndexEntry> =
            entries.iter().map(|(real, e)| (real.clone(), e)).collect();
        let meetings = tree
            .meetings
            .iter()
            .filter_map(|f| crate::site::meetings::page(f, &by_real))
            .collect();
        let mut catalogue = crate::site::Catalogue {
            meetings,
            preview,
            base: tree.base.clone(),
            ..Default::default()
        };
        catalogue.papers = entries.into_iter().map(|(_, e)| e).collect();
        catalogue.sort();
        Index {
            catalogue,
            packs: tree
                .packs
                .iter()
                .map(|(id, p)| (id.clone(), p.files.clone()))
                .collect(),
            pdf,
        }
    }

    /// Notes what a format made of the whole site's files.
    fn made(&mut self, format: &str, mut made: Made) {
        self.failures.append(&mut made.notes);
        for file in made.files {
            let what = site_what(&file);
            self.files.insert(
                file,
                Origin::Site {
                    what,
                    format: format.to_string(),
                },
            );
        }
        self.failures.extend(
            made.failures
                .into_iter()
                .map(|m| Diagnostic::general(Code::OutputFailed, m)),
        );
    }

    /// Notes what format `i` made in its batch, and its hash of each file.
    fn finished(
        &mut self,
        i: usize,
        name: &str,
        results: Vec<formats::Finished>,
        hashes: &mut BTreeMap<String, String>,
    ) {
        for (rel, hash, result) in results {
            // The paper a batched file belongs to: its folder is the file's.
            let paper = rel.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
            match result {
                Ok(made) => {
                    if made {
                        self.tallies[i].made += 1;
                    } else {
                        self.tallies[i].unchanged += 1;
                    }
                    if let Some(p) = self.papers.get_mut(&paper) {
                        let entry = p.formats.entry(name.to_string()).or_default();
                        entry.outputs.push(rel.clone());
                        entry.documents += 1;
                    }
                    self.files
                        .insert(rel.clone(), paper_origin(&paper, name, &rel));
                    hashes.insert(rel, hash);
                }
                Err(d) => {
                    hashes.remove(&rel);
                    // Made again next time, so the failure is reported again.
                    self.papers.remove(&paper);
                    self.failures.push(d);
                }
            }
        }
    }
}

/// After every paper: each format's site-wide files (the index), then what it batched.
fn finish_formats(
    renderers: &[Box<dyn Renderer>],
    site: &Site,
    cache: &mut Cache,
    g: &mut Gathered,
    (tree, opts): (&Tree, &BuildOptions),
    progress: &dyn Progress,
) -> Result<(), String> {
    let threads = opts.jobs;
    let index = g.index(tree, !opts.keep_packs, opts.formats.has("pdf"));
    for r in renderers {
        let mut made = Made::default();
        r.site(&index, site, &mut made)?;
        g.made(r.name(), made);
    }
    for (i, r) in renderers.iter().enumerate() {
        let mut hashes = cache.finished.remove(r.name()).unwrap_or_default();
        let batch = Batch {
            site,
            cached: &hashes,
            threads,
        };
        let deferred = std::mem::take(&mut g.deferred[i]);
        let results = r.finish(&deferred, &batch, progress)?;
        g.finished(i, r.name(), results, &mut hashes);
        if !hashes.is_empty() {
            cache.finished.insert(r.name().to_string(), hashes);
        }
    }
    Ok(())
}

/// What made a file of one paper in format `format`: its page, JSON or PDF, or its review page.
fn paper_origin(paper: &str, format: &str, file: &str) -> Origin {
    if file.starts_with("review/") {
        Origin::Review {
            paper: paper.to_string(),
        }
    } else {
        Origin::Paper {
            paper: paper.to_string(),
            format: format.to_string(),
        }
    }
}

/// What a file of the whole site is, from its place: `index`, `assets`, `meetings` …
fn site_what(file: &str) -> String {
    match file.split_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => file.trim_end_matches(".html").to_string(),
    }
}

/// What a build knows of the tree besides its papers: its meeting files, and the packs made
/// from them that stay.
struct Tree {
    meetings: Vec<crate::site::meetings::MeetingFile>,
    /// Meeting files that share a name, each with the id it is published under.
    clashes: Vec<crate::site::meetings::Clash>,
    /// The packs that stay, by meeting id: their meeting file is in the tree and every paper
    /// in them is public.
    packs: BTreeMap<String, PackRecord>,
    /// The packs removed, by meeting id, and why.
    removed: Vec<(String, String)>,
    /// Where the site is published, when the build was told (`--base-url`).
    base: crate::site::opendata::Base,
}

impl Tree {
    /// The tree's meeting files, and the packs of an earlier record that stay (none in the
    /// preview, which makes a pack afresh when one is asked for).
    fn read(
        opts: &BuildOptions,
        out: &Output,
        public: &BTreeSet<String>,
        base: crate::site::opendata::Base,
    ) -> Tree {
        let (meetings, clashes) = crate::site::meetings::find_all(&opts.root);
        let (packs, removed) = if opts.keep_packs {
            let files = meetings
                .iter()
                .map(|m| crate::site::real(&m.path))
                .collect();
            Manifest::read(out).surviving_packs(&files, public)
        } else {
            (BTreeMap::new(), Vec::new())
        };
        Tree {
            meetings,
            clashes,
            packs,
            removed,
            base,
        }
    }

    /// Each meeting's id and the real path of its file, for the site's record.
    fn ids(&self) -> BTreeMap<String, String> {
        self.meetings
            .iter()
            .map(|m| (m.id.clone(), crate::site::real(&m.path)))
            .collect()
    }

    /// A warning for each name two or more meeting files share, naming each file and the
    /// folder of the site it is published in.
    fn clashes(&self) -> Vec<Diagnostic> {
        self.clashes
            .iter()
            .map(|clash| {
                let each: Vec<String> = clash
                    .iter()
                    .map(|(path, id)| format!("`{}` as meetings/{id}/", path.display()))
                    .collect();
                let mut d = Diagnostic::general(
                    Code::MeetingNameTwice,
                    format!(
                        "{} meeting files share a name, so each is published under its name and folder: {}",
                        clash.len(),
                        each.join(", ")
                    ),
                )
                .with_hint("give each meeting file a name of its own (its date and committee, say), so its page keeps a plain address");
                d.severity = crate::diagnostic::Severity::Warning;
                d
            })
            .collect()
    }
}

/// Writes the cache for the next build and the site's record, then removes what an earlier
/// build wrote and this one did not: a paper since withheld, a removed appendix, the pack of
/// a meeting that is gone. The packs `clerk pack` made stay while their meeting is in the
/// tree and every paper in them is public. The cache decides what to render again, never
/// what stays. Returns what was removed, and the packs removed with why.
fn save_and_prune(
    opts: &BuildOptions,
    out: &Output,
    mut cache: Cache,
    g: &mut Gathered,
    (packs, meetings, base_url): (
        BTreeMap<String, PackRecord>,
        BTreeMap<String, String>,
        Option<String>,
    ),
) -> Vec<String> {
    for paper in g.papers.values_mut() {
        for f in paper.formats.values_mut() {
            f.stamps = f
                .outputs
                .iter()
                .map(|o| stamp(out, o).unwrap_or_default())
                .collect();
        }
    }
    cache.papers = std::mem::take(&mut g.papers);
    for hashes in cache.finished.values_mut() {
        hashes.retain(|rel, _| g.files.contains_key(rel));
    }
    let mut failed = |what: &str, e: std::io::Error| {
        g.failures.push(Diagnostic::general(
            Code::OutputFailed,
            format!("cannot write {what}: {e}"),
        ))
    };
    if let Ok(bytes) = serde_json::to_vec_pretty(&cache) {
        if let Err(e) = out.write(CACHE_FILE, &bytes) {
            failed(CACHE_FILE, e);
        }
    }
    let mut site = Manifest {
        files: std::mem::take(&mut g.files),
        meetings,
        base_url,
        ..Manifest::default()
    };
    for (id, pack) in packs {
        site.record_pack(&id, pack);
    }
    site.add(crate::site::MANIFEST, Origin::Record);
    if let Err(e) = site.write(out) {
        failed(crate::site::MANIFEST, e);
    }
    let removed = out.remove_all_but(&site.keep()).unwrap_or_else(|e| {
        g.failures.push(Diagnostic::general(
            Code::OutputFailed,
            format!(
                "cannot remove stale files from `{}`: {e}",
                opts.out.display()
            ),
        ));
        Vec::new()
    });
    removed
}

/// Checks and renders every paper (or reuses what the cache kept of it), and gathers what
/// each left for the rest of the build.
fn papers(
    plan: &Plan,
    cache: &Cache,
    opts: &BuildOptions,
    unused: Vec<Diagnostic>,
    progress: &dyn Progress,
) -> (Checked, Gathered) {
    progress.phase("Checking and rendering papers", 0);
    let (checked, rendered) = crate::run_reusing(
        std::slice::from_ref(&opts.root),
        &[],
        &|paths, signals| {
            let reused = reuse(plan, cache, paths, signals)?;
            progress.tick();
            Some(reused)
        },
        &|visit| {
            let r = render_paper(visit, plan);
            progress.tick();
            r
        },
    );
    let mut g = Gathered::new(plan.renderers.len(), unused);
    for r in rendered {
        g.add(r);
    }
    (checked, g)
}

/// The history from now on (`site/versions.rs`): each paper published now as its versions
/// say, and each the history knows that is no longer published withdrawn, its earlier
/// versions gone. Every address a paper no longer has shows a notice, written here, unless
/// this build made a file of its own there.
fn withdrawals(
    old: &crate::site::versions::History,
    g: &mut Gathered,
    site: &Site,
) -> crate::site::versions::History {
    use crate::site::versions::{notice, withdrawn, History};
    let mut now = History {
        papers: std::mem::take(&mut g.histories),
    };
    for (rel, h) in &old.papers {
        if now.papers.contains_key(rel) {
            continue;
        }
        let gone = if h.withdrawn.is_some() {
            h.clone()
        } else {
            // A folder removed from the tree is named by what it was; one still there but
            // withheld (exempt, in doubt, a draft) by nothing.
            let named = (!g.seen.contains(rel)).then(|| match h.said.number.as_str() {
                "" => h.said.title.clone(),
                n => format!("{} ({n})", h.said.title),
            });
            withdrawn(h, named)
        };
        now.papers.insert(rel.clone(), gone);
    }
    for (rel, h) in &now.papers {
        let named = h.withdrawn.clone().unwrap_or_default();
        for page in &h.notices {
            if g.files.contains_key(page) {
                continue;
            }
            let written = notice(page, &named, site.templates)
                .and_then(|(f, b)| site.out.write(&f, &b).map_err(|e| e.to_string()));
            match written {
                Ok(()) => {
                    let origin = Origin::Notice { paper: rel.clone() };
                    g.files.insert(page.clone(), origin);
                }
                Err(e) => g.failures.push(Diagnostic::general(
                    Code::OutputFailed,
                    format!("cannot write the notice at {page}: {e}"),
                )),
            }
        }
    }
    now
}

pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<Built, String> {
    let base = crate::site::opendata::Base::given(opts.base_url.as_deref())?;
    let (templates, unused) = load_templates(&opts.root, opts.templates.as_deref())?;
    let out = open_output(opts)?;
    let _lock = out.lock().map_err(|e| e.to_string())?;
    // Each format gets ready before the work starts, so a missing typst is said at once.
    let renderers = opts.formats.renderers(opts.install, progress)?;
    let site = Site {
        root: &opts.root,
        templates: &templates,
        out: &out,
    };
    // What was published before: the private preview keeps no history.
    let history = opts
        .keep_packs
        .then(|| crate::site::versions::History::read(&out));
    let plan = Plan {
        site: &site,
        renderers: &renderers,
        keys: renderers.iter().map(|r| r.key(&site)).collect(),
        salt: format!("formats={} drafts={}", opts.formats.list(), opts.drafts),
        drafts: opts.drafts,
        keys_read: Default::default(),
        history: history.as_ref(),
    };
    let mut cache = Cache::read(&out);
    let (checked, mut g) = papers(&plan, &cache, opts, unused, progress);
    let tree = Tree::read(opts, &out, &g.public, base);
    g.failures.extend(tree.clashes());
    finish_formats(
        &renderers,
        &site,
        &mut cache,
        &mut g,
        (&tree, opts),
        progress,
    )?;
    if let Some(old) = &history {
        let now = withdrawals(old, &mut g, &site);
        if let Err(e) = out.write(crate::site::versions::HISTORY, &now.bytes()) {
            g.failures.push(Diagnostic::general(
                Code::OutputFailed,
                format!("cannot write {}: {e}", crate::site::versions::HISTORY),
            ));
        }
        g.files
            .insert(crate::site::versions::HISTORY.into(), Origin::Record);
    }
    let (meetings, base_url) = (tree.ids(), tree.base.0.clone());
    let removed = save_and_prune(opts, &out, cache, &mut g, (tree.packs, meetings, base_url));
    progress.finish();
    Ok(g.built(checked, &renderers, removed, tree.removed))
}
