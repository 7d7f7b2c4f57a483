//! Word and PDF papers through the pipeline: `clerk import` writes them as paper folders;
//! `clerk check FILE.docx` checks them in memory, with each finding pointing at the original
//! (paragraph of a .docx, page and line of a PDF) and showing its text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Severity, SourceMap};
use crate::import::document::Origin;
use crate::import::facts::PaperFacts;
use crate::import::{self, assemble::Draft, document::Block, Assembled, Kind, Profile, Source};
use crate::load::{self, Discovered, PaperPaths};
use crate::{parse, Checked};

pub mod coverage;

/// One file read and assembled, or why not.
pub struct ImportedFile {
    pub path: PathBuf,
    pub result: Result<Imported, Box<Diagnostic>>,
}

/// A file's paper in clerk's format, the original's text by origin, and what of the
/// original's text the paper holds.
pub struct Imported {
    pub assembled: Assembled,
    pub originals: BTreeMap<import::document::Origin, String>,
    pub profile: String,
    pub coverage: coverage::Coverage,
}

/// Whether a path names a file clerk imports (.docx, .pdf).
pub fn is_importable(path: &Path) -> bool {
    Source::of(path).is_some()
}

/// The profile for a file: from `council` (a folder holding council.yaml) if given, else from
/// the nearest council.yaml above the file, else the generic profile.
pub fn profile_for(file: &Path, council: Option<&Path>) -> (Profile, Vec<Diagnostic>) {
    let candidates = match council {
        Some(dir) => vec![dir.join(load::COUNCIL_FILE)],
        None => load::councils_above(file.parent().unwrap_or(Path::new("."))),
    };
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let read = load::read_tree_files(&candidates, &mut sources, &mut diagnostics);
    let councils = parse::parse_councils(&read, &sources, &mut diagnostics);
    // The nearest council is the one whose folder is longest.
    let nearest = councils
        .parsed
        .iter()
        .max_by_key(|c| c.dir.components().count());
    let profile = import::profile::for_council(
        nearest.map(|c| c.meta.name.value.as_str()),
        nearest.and_then(|c| c.meta.import.as_ref()),
    );
    (profile, diagnostics)
}

/// Reads a file into the reader's document, or says why it cannot be.
pub fn read_document(path: &Path) -> Result<import::Document, Box<Diagnostic>> {
    let source = Source::of(path).ok_or_else(|| {
        Box::new(Diagnostic::general(
            Code::ImportRefused,
            format!("`{}` is not a .docx or .pdf file", path.display()),
        ))
    })?;
    let bytes = load::read_bytes(path)?;
    import::read(source, &bytes).map_err(|e| {
        let (code, reason) = match &e {
            import::ImportError::Limit { limit, .. } => (Code::ImportLimit, Some(limit.reason)),
            _ => (Code::ImportRefused, None),
        };
        let mut d = Diagnostic::general(code, format!("cannot import `{}`: {e}", path.display()))
            .with_hint(refusal_hint(&e));
        d.notes
            .extend(reason.map(|r| format!("why the limit: {r}")));
        Box::new(d)
    })
}

/// One block as `clerk import --blocks` shows it.
pub fn describe(block: &Block) -> String {
    match block {
        Block::Paragraph(p) => {
            let mark = match &p.mark {
                Some(import::document::ListMark::Number(n)) => format!("[{n}] "),
                Some(import::document::ListMark::Bullet) => "[•] ".to_string(),
                None => String::new(),
            };
            let mut style = String::new();
            if let Some(h) = p.heading {
                style.push_str(&format!(" heading {h}"));
            }
            if p.bold {
                style.push_str(" bold");
            }
            if p.level > 0 {
                style.push_str(&format!(" level {}", p.level));
            }
            format!("{}{style}: {mark}{}", p.origin, p.text.replace('\n', " ⏎ "))
        }
        Block::Table(t) => {
            let mut out = format!("{}: table of {} rows", t.origin, t.rows.len());
            for row in &t.rows {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| {
                        let mut text = c.text.replace('\n', " ⏎ ");
                        if c.merged_above {
                            text = "↑".into();
                        }
                        if c.span > 1 {
                            text.push_str(&format!(" ⟷{}", c.span));
                        }
                        text
                    })
                    .collect();
                out.push_str(&format!("\n    | {} |", cells.join(" | ")));
            }
            out
        }
    }
}

/// Reads and assembles one file, alone.
pub fn import_file(path: &Path, profile: &Profile) -> ImportedFile {
    ImportedFile {
        path: path.to_path_buf(),
        result: draft_file(path, profile).map(|d| d.finish(None)),
    }
}

/// A file read and its paper drafted, its front matter not yet written.
struct Drafted {
    draft: Draft,
    originals: BTreeMap<Origin, String>,
    profile: String,
    /// The document as read, to measure what the paper holds of it.
    doc: import::Document,
}

impl Drafted {
    /// The paper, a report taking from `record` (its paired record's facts) what it does not
    /// say itself.
    fn finish(self, record: Option<&PaperFacts>) -> Imported {
        let structure = self.draft.structure(&self.doc);
        let assembled = self.draft.finish(record);
        Imported {
            coverage: coverage::measure(&self.doc, &assembled, &structure),
            assembled,
            originals: self.originals,
            profile: self.profile,
        }
    }
}

fn draft_file(path: &Path, profile: &Profile) -> Result<Drafted, Box<Diagnostic>> {
    read_document(path).map(|doc| Drafted {
        originals: originals(&doc.blocks),
        draft: import::assemble::draft(&doc, profile),
        profile: profile.name.clone(),
        // Measured as assembled: tables split over pages made one again.
        doc: import::assemble::join_page_split_tables(&doc),
    })
}

/// Reads and assembles each file with its profile. A report paired with its record (`pair`)
/// takes from the record's facts what it does not say itself: where a recommendation asks a
/// committee to endorse "the proposed decision to …", the record's words for it, so the
/// decision is not then reported as worded unlike the recommendation (see
/// `import::assemble::Draft::finish`).
fn import_all(files: Vec<(PathBuf, Profile)>) -> Vec<ImportedFile> {
    let drafts: Vec<(PathBuf, Result<Drafted, Box<Diagnostic>>)> = files
        .into_iter()
        .map(|(path, profile)| {
            let drafted = draft_file(&path, &profile);
            (path, drafted)
        })
        .collect();
    let keys: Vec<Option<(Kind, Option<&str>)>> = drafts
        .iter()
        .map(|(_, d)| {
            let d = &d.as_ref().ok()?.draft;
            Some((d.kind, d.facts.decision_number.as_deref()))
        })
        .collect();
    let mut records: Vec<Option<PaperFacts>> = vec![None; drafts.len()];
    for group in pair(&keys) {
        if let [report, record] = group[..] {
            records[report] = drafts[record]
                .1
                .as_ref()
                .ok()
                .map(|d| d.draft.facts.clone());
        }
    }
    drafts
        .into_iter()
        .zip(records)
        .map(|((path, drafted), record)| ImportedFile {
            path,
            result: drafted.map(|d| d.finish(record.as_ref())),
        })
        .collect()
}

fn refusal_hint(e: &import::ImportError) -> &'static str {
    match e {
        import::ImportError::Encrypted => "save an unprotected copy and import that",
        import::ImportError::NoText => {
            "ask for the original Word file, or a PDF exported from it rather than scanned"
        }
        import::ImportError::Malformed(_) => "open the file in Word and save it again as .docx",
        import::ImportError::Limit { .. } => {
            "no council paper comes near this limit; if the file is a real paper, save it again from Word, or split it"
        }
    }
}

/// The original's text of each block, as a reader would quote it.
fn originals(blocks: &[Block]) -> BTreeMap<import::document::Origin, String> {
    blocks
        .iter()
        .map(|b| {
            let text = match b {
                Block::Paragraph(p) => match &p.mark {
                    Some(import::document::ListMark::Number(n)) => format!("{n} {}", p.text),
                    Some(import::document::ListMark::Bullet) => format!("• {}", p.text),
                    None => p.text.clone(),
                },
                Block::Table(t) => t
                    .rows
                    .first()
                    .map(|r| {
                        let cells: Vec<&str> = r.iter().map(|c| c.text.as_str()).collect();
                        format!("(table) {}", cells.join(" | "))
                    })
                    .unwrap_or_default(),
            };
            (b.origin().clone(), text)
        })
        .collect()
}

/// The name a finding shows for an imported file's paper: the original's name, marked.
pub fn shown_path(original: &Path) -> PathBuf {
    PathBuf::from(format!("{} (imported)", original.display()))
}

/// A report and its record, paired: by decision number, or the only two given. `keys`: each
/// file's kind and decision number, if it was read.
fn pair(keys: &[Option<(Kind, Option<&str>)>]) -> Vec<Vec<usize>> {
    let kind = |i: usize| keys[i].map(|(kind, _)| kind);
    let number = |i: usize| keys[i].and_then(|(_, number)| number);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let reports: Vec<usize> = (0..keys.len())
        .filter(|i| kind(*i) == Some(Kind::Report))
        .collect();
    let records: Vec<usize> = (0..keys.len())
        .filter(|i| kind(*i) == Some(Kind::Record))
        .collect();
    let mut taken = vec![false; keys.len()];
    for r in &reports {
        let partner = records.iter().copied().find(|d| {
            !taken[*d]
                && (number(*r).is_some() && number(*r) == number(*d)
                    || reports.len() == 1 && records.len() == 1)
        });
        taken[*r] = true;
        let mut group = vec![*r];
        if let Some(d) = partner {
            taken[d] = true;
            group.push(d);
        }
        groups.push(group);
    }
    groups.extend(records.into_iter().filter(|d| !taken[*d]).map(|d| vec![d]));
    groups
}

/// The files that were read, grouped as `pair` pairs them.
fn groups(files: &[ImportedFile]) -> Vec<Vec<usize>> {
    let keys: Vec<Option<(Kind, Option<&str>)>> = files
        .iter()
        .map(|f| {
            let a = &f.result.as_ref().ok()?.assembled;
            Some((a.kind, a.facts.decision_number.as_deref()))
        })
        .collect();
    pair(&keys)
}

/// Checks Word and PDF papers in memory: each is imported with its council's profile, paired
/// with its record, and run through every check.
pub fn check(paths: &[PathBuf]) -> Checked {
    check_reading(paths).0
}

/// `check`, with what was read of each file that could be read. A file whose text is mostly
/// not placed, or whose figures stayed prose, gets an error of its own (`coverage`).
pub fn check_reading(paths: &[PathBuf]) -> (Checked, Vec<(PathBuf, coverage::Coverage)>) {
    let files = import_all(
        paths
            .iter()
            .map(|p| (p.clone(), profile_for(p, None).0))
            .collect(),
    );
    let mut found = Discovered {
        councils: Vec::new(),
        meetings: Vec::new(),
        papers: Vec::new(),
        diagnostics: Vec::new(),
        usage_error: false,
    };
    for file in &files {
        if let Err(d) = &file.result {
            found.diagnostics.push((**d).clone());
            found.usage_error = true;
        }
    }
    for group in groups(&files) {
        found.papers.push(paper_paths(&files, &group));
        let dir = files[group[0]].path.parent().unwrap_or(Path::new("."));
        for council in load::councils_above(dir) {
            if !found.councils.contains(&council) {
                found.councils.push(council);
            }
        }
    }
    let (mut checked, _) = crate::run_found(found, &|_, _| None, &|_| ());
    drop_rules_of_other_kinds(&mut checked, &files);
    point_at_originals(&mut checked, &files);
    let mut read = Vec::new();
    for file in &files {
        if let Ok(imported) = &file.result {
            let name = file.path.display().to_string();
            checked
                .diagnostics
                .extend(coverage::findings(&name, &imported.coverage));
            read.push((file.path.clone(), imported.coverage.clone()));
        }
    }
    (checked, read)
}

fn paper_paths(files: &[ImportedFile], group: &[usize]) -> PaperPaths {
    let first = &files[group[0]].path;
    let mut paths = PaperPaths {
        dir: first
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from(".")),
        ..PaperPaths::default()
    };
    for i in group {
        let Ok(imported) = &files[*i].result else {
            continue;
        };
        let shown = shown_path(&files[*i].path);
        paths
            .given
            .insert(shown.clone(), imported.assembled.text.clone());
        match imported.assembled.kind {
            Kind::Report => paths.report = Some(shown),
            Kind::Record => paths.decision = Some(shown),
        }
        for appendix in &imported.assembled.appendices {
            let shown = shown_appendix_path(&files[*i].path, &appendix.id);
            paths.given.insert(shown.clone(), appendix.text.clone());
            paths.appendices.push(shown);
        }
    }
    paths
}

/// The name a finding shows for an appendix of an imported file.
pub fn shown_appendix_path(original: &Path, id: &str) -> PathBuf {
    PathBuf::from(format!(
        "{} (imported, appendix {})",
        original.display(),
        id.to_uppercase()
    ))
}

/// A council's required report sections are asked of reports only: minutes, agendas,
/// appendices of tables, budget amendments, questions and packs have sections of their own.
fn drop_rules_of_other_kinds(checked: &mut Checked, files: &[ImportedFile]) {
    let others: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| {
            let imported = f.result.as_ref().ok()?;
            (!imported.assembled.document.is_report()).then(|| shown_path(&f.path))
        })
        .collect();
    let sources = &checked.sources;
    checked.diagnostics.retain(|d| {
        let other = d
            .file
            .is_some_and(|f| others.iter().any(|p| p == sources.path(f)));
        !(d.code == Code::MissingSection && other)
    });
}

/// Adds to each finding in an imported paper where it is in the original, with its text.
fn point_at_originals(checked: &mut Checked, files: &[ImportedFile]) {
    // Each file the check saw: the original, the imported text's line origins, what it was.
    let mut by_path: BTreeMap<PathBuf, (&Path, &[Option<Origin>], &Imported)> = BTreeMap::new();
    for f in files {
        let Ok(imported) = f.result.as_ref() else {
            continue;
        };
        let main = imported.assembled.origins.as_slice();
        by_path.insert(shown_path(&f.path), (f.path.as_path(), main, imported));
        for a in &imported.assembled.appendices {
            let shown = shown_appendix_path(&f.path, &a.id);
            by_path.insert(shown, (f.path.as_path(), a.origins.as_slice(), imported));
        }
    }
    let mut copies = Originals::default();
    for d in &mut checked.diagnostics {
        let Some(file) = d.file else { continue };
        let Some((original, origins, imported)) = by_path.get(checked.sources.path(file)) else {
            continue;
        };
        let (line, _) = checked.sources.line_column(file, d.range.start);
        let origin = origins.get(line.saturating_sub(1)).cloned().flatten();
        let name = original
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        soften(d, &checked.sources);
        if let Some(why) = table_doubt(d, checked.sources.text(file)) {
            d.severity = d.severity.max(Severity::Warning);
            d.notes.push(why.into());
        }
        match &origin {
            // Shown at the original itself where the words are found there; else named.
            Some(origin) if copies.point(d, &mut checked.sources, original, origin, imported) => {}
            Some(origin) => {
                let text = imported.originals.get(origin).map(|t| shorten(t)).unwrap_or_default();
                d.notes.push(format!("in {name}, {origin}: «{text}»"));
            }
            None => d.notes.push(format!(
                "in {name}: the line was made by the importer (profile `{}`); `clerk import` shows the paper it made",
                imported.profile
            )),
        }
    }
}

/// The original's text as a reader finds it, for findings to point at: for a PDF, one source
/// per page, named `report.pdf, page 3`, its line N the block that starts on line N of the
/// page; for a .docx, one source, its line N paragraph N. A finding is shown there, the words
/// it is about underlined, and clerk's converted copy is named in a note.
#[derive(Default)]
struct Originals {
    /// (file, page (0 for a .docx)) → the source made of it, and each line's start.
    made: BTreeMap<(PathBuf, u32), (crate::diagnostic::FileId, Vec<usize>)>,
}

impl Originals {
    /// Re-points `d` at the original, where the text it points at is found in the block its
    /// line came from; whether it did.
    fn point(
        &mut self,
        d: &mut Diagnostic,
        sources: &mut SourceMap,
        original: &Path,
        origin: &Origin,
        imported: &Imported,
    ) -> bool {
        let Some(file) = d.file else { return false };
        let converted = sources.text(file);
        let Some(flagged) = converted
            .get(d.range.clone())
            .filter(|t| !t.trim().is_empty())
        else {
            return false;
        };
        let Some(block) = imported.originals.get(origin) else {
            return false;
        };
        let line_text = block.replace('\n', " ");
        let Some(at) = line_text.find(flagged) else {
            return false;
        };
        let (page, line) = match origin {
            Origin::Page { page, line } => (*page, *line as usize),
            Origin::Paragraph(n) => (0, *n),
        };
        let key = (original.to_path_buf(), page);
        let (id, starts) = self.made.entry(key).or_insert_with(|| {
            let (text, starts) = page_text(imported, page);
            let name = match page {
                0 => original.display().to_string(),
                p => format!("{}, page {p}", original.display()),
            };
            (sources.add(Path::new(&name), text), starts)
        });
        let Some(start) = starts.get(line.saturating_sub(1)) else {
            return false;
        };
        let (was_line, was_column) = sources.line_column(file, d.range.start);
        let was = format!("{}:{was_line}:{was_column}", sources.path(file).display());
        let len = d.range.len();
        d.file = Some(*id);
        d.range = start + at..start + at + len;
        d.notes.push(format!("in clerk's converted copy: {was}"));
        true
    }
}

/// One page of a PDF's blocks (or a .docx's paragraphs, page 0) as text, block by block on
/// the line it starts on; each line's start.
fn page_text(imported: &Imported, page: u32) -> (String, Vec<usize>) {
    let mut lines: Vec<String> = Vec::new();
    for (origin, text) in &imported.originals {
        let at = match origin {
            Origin::Page { page: p, line } if *p == page => *line as usize,
            Origin::Paragraph(n) if page == 0 => *n,
            _ => continue,
        };
        if at == 0 {
            continue;
        }
        if lines.len() < at {
            lines.resize(at, String::new());
        }
        lines[at - 1] = text.replace('\n', " ");
    }
    let mut starts = Vec::with_capacity(lines.len());
    let mut text = String::new();
    for l in &lines {
        starts.push(text.len());
        text.push_str(l);
        text.push('\n');
    }
    (text, starts)
}

/// Why a finding on a table read from a Word or PDF layout may not hold. The checks add
/// up a row total over every other amount of its row, and a total over every row since the
/// last total; a budget table's grouping (a total column per year, headings that open groups
/// of rows) is in its layout, not in a form the checks read; and a cell of words that names an
/// amount is text, though it holds a £. Such a finding is a warning, with the reason.
fn table_doubt(d: &Diagnostic, text: &str) -> Option<&'static str> {
    // A cell of the original that is words naming an amount ("£5.6m from the highways
    // budget"): clerk's tables read a cell with £ as one amount, the original is prose.
    let prose = d.message.contains("has text around") || d.message.contains("more than one amount");
    if d.code == Code::BadAmountCell && prose {
        return Some(
            "the original's cell is words that name an amount; a clerk table reads a cell with a £ as one amount, so this is not a slip in the paper",
        );
    }
    if !matches!(
        d.code,
        Code::RowTotalMismatch | Code::TotalMismatch | Code::SubtotalMismatch
    ) {
        return None;
    }
    let split = parse::frontmatter::split(text).ok()?;
    let doc = parse::markdown::parse(&text[split.body.clone()], split.body.start);
    let table = doc
        .tables
        .iter()
        .find(|t| t.span.contains(&d.range.start))?;
    let totals = table
        .header
        .cells
        .iter()
        .filter(|c| c.label().to_lowercase().contains("total"))
        .count();
    let headings = table.rows.iter().any(|r| {
        r.cells
            .iter()
            .any(|c| matches!(c.value, crate::model::CellValue::Text))
            && !r
                .cells
                .iter()
                .any(|c| matches!(c.value, crate::model::CellValue::Amount(_)))
    });
    match d.code {
        Code::RowTotalMismatch if totals >= 2 => Some(
            "the table has a total column for each group of columns (each year, each directorate); clerk adds a row total over every other amount of the row, so this may not be a slip",
        ),
        Code::TotalMismatch | Code::SubtotalMismatch if headings => Some(
            "the table's rows fall under headings (groups the layout shows); clerk adds a total over every row since the last total, so this may not be a slip",
        ),
        _ => None,
    }
}

/// A finding in an imported paper that rests on a value the paper does not give, or asks for
/// an annotation no Word file can hold (`Code::asks_for_annotation`), is a warning with a note; one that rests on a value read
/// but not for sure says so.
fn soften(d: &mut Diagnostic, sources: &SourceMap) {
    let Some(file) = d.file else { return };
    // A finding that rests on a value the importer was not sure of says so.
    let spots = std::iter::once((file, d.range.start))
        .chain(d.related.iter().map(|r| (r.file, r.range.start)))
        .collect::<Vec<_>>();
    for (file, at) in spots {
        match guessed_at(sources, file, at) {
            // A value the paper does not give at all: the finding is about what the paper
            // leaves unsaid, a warning until the author says it.
            Some(Guess::Absent(why)) => {
                d.severity = d.severity.max(Severity::Warning);
                d.notes.push(format!(
                    "the paper does not give this value ({why}); clerk import assumed it, so this is a warning until the paper says"
                ));
                break;
            }
            Some(Guess::Unsure) => {
                d.notes
                    .push("this rests on a value `clerk import` could not read for sure".into());
                break;
            }
            None => {}
        }
    }
    if d.code.asks_for_annotation() {
        d.severity = d.severity.max(Severity::Warning);
        d.notes.push("a Word or PDF paper cannot carry clerk's annotations: import it and add what the hint says (a `formula:` under `figures:`, or an entry under `outside_amounts:`)".into());
    }
}

/// What the importer's mark on a line says.
enum Guess {
    /// The value was read, but not for sure.
    Unsure,
    /// The paper does not give the value; the importer wrote a default (or took it from the
    /// paired record), with why.
    Absent(String),
}

/// The importer's mark on the line at `at`, if the line carries one.
fn guessed_at(sources: &SourceMap, file: crate::diagnostic::FileId, at: usize) -> Option<Guess> {
    let text = sources.text(file);
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let mark = line.find(import::text::CHECK_MARK)?;
    let why = line[mark + import::text::CHECK_MARK.len()..]
        .trim_start_matches(':')
        .trim();
    Some(if why.is_empty() {
        Guess::Unsure
    } else {
        Guess::Absent(why.to_string())
    })
}

/// At most 160 characters of the original, cut at a character boundary.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// What `clerk import` did with one file.
pub struct Written {
    pub from: PathBuf,
    pub to: PathBuf,
    pub unsure: Vec<import::Unsure>,
    /// What was read of the file (the paper's own file only, not its appendices').
    pub coverage: Option<coverage::Coverage>,
}

/// Imports each file and writes its paper into `out`: `<decision number>/report.md` (or
/// `decision.md`), else a folder named after the file. Never overwrites.
pub fn import_into(
    paths: &[PathBuf],
    council: Option<&Path>,
    out: &Path,
) -> (Vec<Written>, Vec<Diagnostic>) {
    let mut written = Vec::new();
    let mut diagnostics = Vec::new();
    let mut listed = Vec::new();
    for path in paths {
        let (profile, mut problems) = profile_for(path, council);
        diagnostics.append(&mut problems);
        listed.push((path.clone(), profile));
    }
    for file in import_all(listed) {
        let path = &file.path;
        let imported = match file.result {
            Ok(i) => i,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        // A file mostly not read is refused: a paper of the little that was read would pass
        // checks it was never put to.
        let found = coverage::findings(&path.display().to_string(), &imported.coverage);
        let refused = imported.coverage.share() < coverage::READ_ENOUGH;
        diagnostics.extend(found);
        if refused {
            continue;
        }
        write_paper(path, imported, out, &mut written, &mut diagnostics);
    }
    (written, diagnostics)
}

/// Writes one imported paper (and its appendices) into a folder of its own under `out`, never
/// over a file that is there.
fn write_paper(
    path: &Path,
    imported: Imported,
    out: &Path,
    written: &mut Vec<Written>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let read = imported.coverage.clone();
    // A folder's name may come from a title the importer was not sure of.
    let facts = &imported.assembled.facts;
    let folder = folder_name(
        path,
        facts.decision_number.as_deref(),
        facts.title.as_deref(),
    );
    let dir = out.join(folder);
    let main = (
        imported.assembled.kind.file_name().to_string(),
        imported.assembled.text,
        imported.assembled.unsure,
    );
    let appendices = imported
        .assembled
        .appendices
        .into_iter()
        .map(|a| (a.file_name, a.text, a.unsure));
    for (n, (name, text, unsure)) in std::iter::once(main).chain(appendices).enumerate() {
        let to = dir.join(name);
        match crate::write::create_new(&to, text.as_bytes()) {
            Ok(()) => written.push(Written {
                from: path.to_path_buf(),
                to,
                unsure,
                coverage: (n == 0).then(|| read.clone()),
            }),
            Err(e) => diagnostics.push(not_written(&to, &e)),
        }
    }
}

fn not_written(to: &Path, e: &std::io::Error) -> Diagnostic {
    let code = if e.kind() == std::io::ErrorKind::AlreadyExists {
        Code::ImportExists
    } else {
        Code::Unreadable
    };
    Diagnostic::general(code, format!("cannot write `{}`: {e}", to.display()))
}

/// "20/00017" gives `20-00017`; without a number, the first words of the title ("Update on
/// progress on implementing an integrated …" gives `update-on-progress-on-implementing-an`),
/// so a report and its record meet in one folder; else the file's name ("Draft report
/// v3.docx" gives `draft-report-v3`).
fn folder_name(path: &Path, number: Option<&str>, title: Option<&str>) -> String {
    let base = match (number, title) {
        (Some(n), _) => n.to_string(),
        (None, Some(t)) if !t.trim().is_empty() => {
            t.split_whitespace().take(6).collect::<Vec<_>>().join(" ")
        }
        _ => path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
    };
    let mut slug = String::new();
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "imported".into()
    } else {
        slug
    }
}
