//! Word and PDF papers through the pipeline: `clerk import` writes them as paper folders;
//! `clerk check FILE.docx` checks them in memory, with each finding pointing at the original
//! (paragraph of a .docx, page and line of a PDF) and showing its text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Severity, SourceMap};
use crate::import::document::Origin;
use crate::import::{self, document::Block, Assembled, Kind, Profile, Source};
use crate::load::{self, Discovered, PaperPaths};
use crate::{parse, Checked};

/// One file read and assembled, or why not.
pub struct ImportedFile {
    pub path: PathBuf,
    pub result: Result<Imported, Box<Diagnostic>>,
}

/// A file's paper in clerk's format, and the original's text by origin.
pub struct Imported {
    pub assembled: Assembled,
    pub originals: BTreeMap<import::document::Origin, String>,
    pub profile: String,
    pub decision_number: Option<String>,
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
        Box::new(
            Diagnostic::general(
                Code::ImportRefused,
                format!("cannot import `{}`: {e}", path.display()),
            )
            .with_hint(refusal_hint(&e)),
        )
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

/// Reads and assembles one file.
pub fn import_file(path: &Path, profile: &Profile) -> ImportedFile {
    let result = read_document(path).map(|doc| {
        let originals = originals(&doc.blocks);
        let assembled = import::assemble::assemble(&doc, profile);
        let decision_number = decision_number_of(&assembled.text);
        Imported {
            assembled,
            originals,
            profile: profile.name.clone(),
            decision_number,
        }
    });
    ImportedFile {
        path: path.to_path_buf(),
        result,
    }
}

fn refusal_hint(e: &import::ImportError) -> &'static str {
    match e {
        import::ImportError::Encrypted => "save an unprotected copy and import that",
        import::ImportError::NoText => {
            "ask for the original Word file, or a PDF exported from it rather than scanned"
        }
        import::ImportError::Malformed(_) => "open the file in Word and save it again as .docx",
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

fn decision_number_of(text: &str) -> Option<String> {
    front_value(text, "decision_number", false)
}

/// A top-level string the importer wrote into the front matter (`key: "value"`); one it
/// marked as a guess only if `guesses`.
fn front_value(text: &str, key: &str, guesses: bool) -> Option<String> {
    let prefix = format!("{key}: ");
    let line = text
        .lines()
        .skip(1)
        .take_while(|l| *l != "---")
        .find_map(|l| l.strip_prefix(prefix.as_str()))?;
    let (value, mark) = match line.split_once(import::text::CHECK_MARK) {
        Some((value, _)) => (value, true),
        None => (line, false),
    };
    if mark && !guesses {
        return None;
    }
    serde_json::from_str::<String>(value.trim()).ok()
}

/// The name a finding shows for an imported file's paper: the original's name, marked.
pub fn shown_path(original: &Path) -> PathBuf {
    PathBuf::from(format!("{} (imported)", original.display()))
}

/// A report and its record, paired: by decision number, or the only two given.
fn pair(files: &[ImportedFile]) -> Vec<Vec<usize>> {
    let ok: Vec<usize> = (0..files.len())
        .filter(|i| files[*i].result.is_ok())
        .collect();
    let kind = |i: usize| files[i].result.as_ref().map(|r| r.assembled.kind).ok();
    let number = |i: usize| {
        files[i]
            .result
            .as_ref()
            .ok()
            .and_then(|r| r.decision_number.clone())
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let reports: Vec<usize> = ok
        .iter()
        .copied()
        .filter(|i| kind(*i) == Some(Kind::Report))
        .collect();
    let records: Vec<usize> = ok
        .iter()
        .copied()
        .filter(|i| kind(*i) == Some(Kind::Record))
        .collect();
    let mut taken = vec![false; files.len()];
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

/// Checks Word and PDF papers in memory: each is imported with its council's profile, paired
/// with its record, and run through every check.
pub fn check(paths: &[PathBuf]) -> Checked {
    let mut files: Vec<ImportedFile> = paths
        .iter()
        .map(|p| {
            let (profile, _) = profile_for(p, None);
            import_file(p, &profile)
        })
        .collect();
    link_pairs(&mut files);
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
    for group in pair(&files) {
        found.papers.push(paper_paths(&files, &group));
        let dir = files[group[0]].path.parent().unwrap_or(Path::new("."));
        for council in load::councils_above(dir) {
            if !found.councils.contains(&council) {
                found.councils.push(council);
            }
        }
    }
    let (mut checked, _) = crate::run_found(found, &|_, _| None, &|_| ());
    point_at_originals(&mut checked, &files);
    checked
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
        match origin {
            Some(origin) => {
                let text = imported.originals.get(&origin).map(|t| shorten(t)).unwrap_or_default();
                d.notes.push(format!("in {name}, {origin}: «{text}»"));
            }
            None => d.notes.push(format!(
                "in {name}: the line was made by the importer (profile `{}`); `clerk import` shows the paper it made",
                imported.profile
            )),
        }
        soften(d, &checked.sources);
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
    let mut files = Vec::new();
    for path in paths {
        let (profile, mut problems) = profile_for(path, council);
        diagnostics.append(&mut problems);
        files.push(import_file(path, &profile));
    }
    link_pairs(&mut files);
    for file in files {
        let path = &file.path;
        let imported = match file.result {
            Ok(i) => i,
            Err(d) => {
                diagnostics.push(*d);
                continue;
            }
        };
        // A folder's name may come from a title the importer was not sure of.
        let title = front_value(&imported.assembled.text, "title", true)
            .or_else(|| front_value(&imported.assembled.text, "subject", true));
        let folder = folder_name(path, imported.decision_number.as_deref(), title.as_deref());
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
        for (name, text, unsure) in std::iter::once(main).chain(appendices) {
            let to = dir.join(name);
            match crate::write::create_new(&to, text.as_bytes()) {
                Ok(()) => written.push(Written {
                    from: path.clone(),
                    to,
                    unsure,
                }),
                Err(e) => diagnostics.push(not_written(&to, &e)),
            }
        }
    }
    (written, diagnostics)
}

fn not_written(to: &Path, e: &std::io::Error) -> Diagnostic {
    let code = if e.kind() == std::io::ErrorKind::AlreadyExists {
        Code::ImportExists
    } else {
        Code::Unreadable
    };
    Diagnostic::general(code, format!("cannot write `{}`: {e}", to.display()))
}

/// Where a recommendation asks a committee to endorse "the proposed decision to …" and the
/// paired record's decision says it, the recommendation's `decision:` is the record's words
/// (marked): the decision is not then reported as worded unlike the recommendation.
fn link_pairs(files: &mut [ImportedFile]) {
    for group in pair(files) {
        let [report, record] = group[..] else {
            continue;
        };
        let Some(facts) = files[record]
            .result
            .as_ref()
            .ok()
            .map(|r| RecordFacts::of(&r.assembled.text))
        else {
            continue;
        };
        if let Ok(report) = files[report].result.as_mut() {
            link(&mut report.assembled, &facts);
        }
    }
}

/// What a report may take from its record where it says nothing itself.
struct RecordFacts {
    decisions: Vec<(String, String, usize)>,
    maker: Option<(String, Option<String>)>,
    key_decision: Option<String>,
}

impl RecordFacts {
    fn of(text: &str) -> RecordFacts {
        RecordFacts {
            decisions: items_of(text, "decisions"),
            maker: decision_maker_of(text),
            key_decision: text
                .lines()
                .find_map(|l| l.strip_prefix("key_decision: "))
                .filter(|v| !v.contains(import::text::CHECK_MARK))
                .map(str::to_string),
        }
    }
}

fn link(report: &mut Assembled, facts: &RecordFacts) {
    if let Some(maker) = &facts.maker {
        link_decision_maker(report, maker);
    }
    if let Some(key) = &facts.key_decision {
        link_key_decision(report, key);
    }
    for (id, text, line) in items_of(&report.text, "recommendations").into_iter().rev() {
        let Some((_, decided, _)) = facts.decisions.iter().find(|(d, _, _)| *d == id) else {
            continue;
        };
        if *decided != text && endorses(&text, decided) {
            insert_decision(report, line, decided);
        }
    }
}

/// Each `  - id:` item of a front-matter list the importer wrote: its id, its text, and the
/// index of its text line.
fn items_of(text: &str, key: &str) -> Vec<(String, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| *l == format!("{key}:")) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let mut at = start + 1;
    while at + 1 < lines.len() && lines[at].starts_with("  - id: ") {
        let unquote = |l: &str| {
            let value = l.split(import::text::CHECK_MARK).next().unwrap_or(l).trim();
            serde_json::from_str::<String>(value).ok()
        };
        let id = unquote(&lines[at]["  - id: ".len()..]);
        let item = lines[at + 1].strip_prefix("    text: ").and_then(unquote);
        if let (Some(id), Some(item)) = (id, item) {
            items.push((id, item, at + 1));
        }
        at += 2;
    }
    items
}

/// "… endorse … the proposed decision to follow a competitive procurement process …" and "To
/// follow a competitive procurement process …": the same first eight words.
fn endorses(recommendation: &str, decision: &str) -> bool {
    let lower = recommendation.to_lowercase();
    let Some((_, proposed)) = lower.split_once("decision to ") else {
        return false;
    };
    let words: Vec<String> = decision
        .to_lowercase()
        .trim_start_matches("to ")
        .split_whitespace()
        .take(8)
        .map(str::to_string)
        .collect();
    words.len() >= 4 && proposed.starts_with(&words.join(" "))
}

fn insert_decision(assembled: &mut Assembled, text_line: usize, decision: &str) {
    let line = format!(
        "    decision: {}  {}",
        import::text::quote(decision),
        import::text::CHECK_MARK
    );
    let origin = assembled.origins.get(text_line).cloned().flatten();
    insert_lines(
        assembled,
        text_line + 1,
        &[line],
        origin,
        "decision: the record's words for the decision this recommendation endorses",
    );
}

/// The record's decision maker (name and role) as the importer wrote it.
fn decision_maker_of(text: &str) -> Option<(String, Option<String>)> {
    let lines: Vec<&str> = text.lines().skip(1).take_while(|l| *l != "---").collect();
    let at = lines.iter().position(|l| *l == "decision_maker:")?;
    let value = |key: &str| {
        let line = lines
            .get(at + 1..)?
            .iter()
            .take(4)
            .find_map(|l| l.strip_prefix(&format!("  {key}: ")))?;
        serde_json::from_str::<String>(line.split(import::text::CHECK_MARK).next()?.trim()).ok()
    };
    Some((value("name")?, value("role")))
}

/// A report to a committee that names no decision maker gets the record's, when that person
/// is among the report's authors ("From: Sue Chandler, Cabinet Member …"): marked.
fn link_decision_maker(report: &mut Assembled, (name, role): &(String, Option<String>)) {
    let text = report.text.clone();
    let front: Vec<&str> = text.lines().skip(1).take_while(|l| *l != "---").collect();
    if front.contains(&"decision_maker:") {
        return;
    }
    let named = front.iter().any(|l| {
        l.trim_start()
            .trim_start_matches("- ")
            .starts_with(&format!("name: {}", import::text::quote(name)))
    });
    let Some(at) = front.iter().position(|l| *l == "recommendations:") else {
        return;
    };
    if !named {
        return;
    }
    let mark = import::text::CHECK_MARK;
    let mut lines = vec![
        "decision_maker:".to_string(),
        format!("  name: {}  {mark}", import::text::quote(name)),
    ];
    if let Some(role) = role {
        lines.push(format!("  role: {}  {mark}", import::text::quote(role)));
    }
    insert_lines(
        report,
        at + 1,
        &lines,
        None,
        "decision_maker: the record's, one of the report's authors",
    );
}

/// A report that does not say whether the decision is key takes its record's word (marked).
fn link_key_decision(report: &mut Assembled, record_says: &str) {
    let missing = format!("key_decision: false  {}:", import::text::CHECK_MARK);
    let Some(at) = report.text.lines().position(|l| l.starts_with(&missing)) else {
        return;
    };
    let mut lines: Vec<String> = report.text.lines().map(str::to_string).collect();
    lines[at] = format!(
        "key_decision: {}  {}: the report does not say; its record does",
        record_says.trim(),
        import::text::CHECK_MARK
    );
    report.text = lines.join("\n") + "\n";
    if let Some(u) = report.unsure.iter_mut().find(|u| u.line == at + 1) {
        u.what = "key_decision: the report does not say; its record does".into();
    }
}

/// Inserts whole lines into the front matter at line index `at`, keeping origins and the
/// list of what to check in step.
fn insert_lines(
    assembled: &mut Assembled,
    at: usize,
    new: &[String],
    origin: Option<import::document::Origin>,
    what: &str,
) {
    let mut lines: Vec<String> = assembled.text.lines().map(str::to_string).collect();
    for (k, line) in new.iter().enumerate() {
        lines.insert(at + k, line.clone());
        assembled.origins.insert(at + k, origin.clone());
    }
    assembled.text = lines.join("\n") + "\n";
    for u in &mut assembled.unsure {
        if u.line > at {
            u.line += new.len();
        }
    }
    assembled.unsure.push(import::Unsure {
        line: at + 1,
        what: what.to_string(),
        origin,
    });
    assembled.unsure.sort_by_key(|u| u.line);
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
