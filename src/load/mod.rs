//! Load: find the papers under the given paths and read their files, refusing what is not
//! text; and read a council's template folder (`templates.rs`). Nothing here understands YAML,
//! Markdown or a template; it only reads.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, FileId, LocalSources, SourceMap};

pub mod templates;

/// Papers larger than this are refused: a real report is well under 200 KB, and a cap keeps a
/// stray 1 GB file from taking the machine's memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub const COUNCIL_FILE: &str = "council.yaml";
pub const REPORT_FILE: &str = "report.md";
pub const DECISION_FILE: &str = "decision.md";

/// The files of one decision's folder, as found on disk.
#[derive(Clone, Debug, Default)]
pub struct PaperPaths {
    pub dir: PathBuf,
    pub report: Option<PathBuf>,
    pub decision: Option<PathBuf>,
    pub appendices: Vec<PathBuf>,
    /// Texts held in memory instead of on disk, by path: a Word or PDF paper imported for
    /// `clerk check`. Such a path is never read.
    pub given: BTreeMap<PathBuf, String>,
}

/// The same files once read, as ids into the paper's sources.
#[derive(Clone, Debug, Default)]
pub struct PaperFiles {
    pub dir: PathBuf,
    pub report: Option<FileId>,
    pub decision: Option<FileId>,
    pub appendices: Vec<FileId>,
}

/// What discovery found under the given paths. Nothing is read yet.
pub struct Discovered {
    pub councils: Vec<PathBuf>,
    /// Meeting files (YAML in a `meetings/` folder) in the tree or beside a folder above it.
    pub meetings: Vec<PathBuf>,
    pub papers: Vec<PaperPaths>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether a problem is with the command line rather than with a paper (exit code 2).
    pub usage_error: bool,
}

#[derive(Default)]
struct Found {
    councils: BTreeMap<PathBuf, ()>,
    meetings: BTreeMap<PathBuf, ()>,
    papers: BTreeMap<PathBuf, PaperPaths>,
    stray_markdown: BTreeMap<PathBuf, Vec<PathBuf>>,
}

impl Found {
    /// Sorts a file of the tree by its name: a council, a meeting, a paper's report or record,
    /// or other Markdown (an appendix, if its folder turns out to hold a paper).
    fn add(&mut self, path: PathBuf, name: String) {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if name == COUNCIL_FILE {
            self.councils.insert(path, ());
        } else if is_meeting_file(&path) {
            self.meetings.insert(path, ());
        } else if name == REPORT_FILE || name == DECISION_FILE {
            let paper = self
                .papers
                .entry(dir.clone())
                .or_insert_with(|| PaperPaths {
                    dir,
                    ..Default::default()
                });
            if name == REPORT_FILE {
                paper.report = Some(path);
            } else {
                paper.decision = Some(path);
            }
        } else if name.ends_with(".md") {
            self.stray_markdown.entry(dir).or_default().push(path);
        }
    }
}

/// Finds papers and councils under `roots`, in a stable order.
pub fn discover(roots: &[PathBuf]) -> Discovered {
    let mut found = Found::default();
    let mut diagnostics = Vec::new();
    let mut usage_error = false;

    for root in roots {
        match fs::symlink_metadata(root) {
            Err(e) => {
                diagnostics.push(Diagnostic::general(
                    Code::Unreadable,
                    format!("cannot read `{}`: {e}", root.display()),
                ));
                usage_error = true;
                continue;
            }
            Ok(meta) if meta.is_file() => {
                // `report.md` alone names a file in the working folder.
                let dir = match root.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                walk(&dir, Some(1), &mut found, &mut diagnostics);
            }
            Ok(_) => walk(root, None, &mut found, &mut diagnostics),
        }
        find_councils_above(root, &mut found);
        find_meetings_above(root, &mut found);
    }

    let papers: Vec<PaperPaths> = found.papers.into_values().collect();
    if papers.is_empty() && !usage_error {
        let shown: Vec<String> = roots.iter().map(|r| format!("`{}`", r.display())).collect();
        diagnostics.push(
            Diagnostic::general(
                Code::NoPapers,
                format!("no papers found in {}", shown.join(", ")),
            )
            .with_hint(
                "a paper is a folder holding report.md (and decision.md where there is a record)",
            ),
        );
        usage_error = true;
    }
    Discovered {
        councils: found.councils.into_keys().collect(),
        meetings: found.meetings.into_keys().collect(),
        papers,
        diagnostics,
        usage_error,
    }
}

/// Adds meeting files named on the command line (`clerk pack MEETING`) to those found, once
/// each however they are spelt.
pub fn add_meetings(found: &mut Discovered, meetings: &[PathBuf]) {
    for m in meetings {
        let key = fs::canonicalize(m).ok();
        let known = found
            .meetings
            .iter()
            .any(|f| fs::canonicalize(f).ok() == key || f == m);
        if !known {
            found.meetings.push(m.clone());
        }
    }
}

/// Reads a file into `sources`; a file that is not text gets a diagnostic and no id.
pub fn read_into(
    path: &Path,
    sources: &mut LocalSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<FileId> {
    match read_text(path) {
        Ok(text) => Some(sources.add(path, text)),
        Err(problem) => {
            let id = sources.add(path, problem.shown_text.clone());
            diagnostics.push(problem.into_diagnostic(id));
            None
        }
    }
}

/// A file of the tree read for its folder (a council.yaml, a meeting file): its id, or `None`
/// when it could not be read (a diagnostic says why).
pub struct TreeFile {
    pub path: PathBuf,
    pub file: Option<FileId>,
}

/// Reads the tree's council and meeting files into `sources`.
pub fn read_tree_files(
    paths: &[PathBuf],
    sources: &mut SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<TreeFile> {
    paths
        .iter()
        .map(|path| {
            let file = match read_text(path) {
                Ok(text) => Some(sources.add(path, text)),
                Err(problem) => {
                    let id = sources.add(path, problem.shown_text().to_string());
                    diagnostics.push(problem.into_diagnostic(id));
                    None
                }
            };
            TreeFile {
                path: path.clone(),
                file,
            }
        })
        .collect()
}

/// A path's real form, or `None` when nothing is there.
pub fn existing_real_path(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}

/// Reads one paper's files.
pub fn read_paper(
    paths: &PaperPaths,
    sources: &mut LocalSources,
    diagnostics: &mut Vec<Diagnostic>,
) -> PaperFiles {
    let mut read = |p: &PathBuf| match paths.given.get(p) {
        Some(text) => Some(sources.add(p, text.clone())),
        None => read_into(p, sources, diagnostics),
    };
    PaperFiles {
        dir: paths.dir.clone(),
        report: paths.report.as_ref().and_then(&mut read),
        decision: paths.decision.as_ref().and_then(&mut read),
        appendices: paths.appendices.iter().filter_map(&mut read).collect(),
    }
}

fn walk(
    root: &Path,
    max_depth: Option<usize>,
    found: &mut Found,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
    if let Some(depth) = max_depth {
        walker = walker.max_depth(depth);
    }
    let entries = walker.into_iter().filter_entry(|e| {
        // Hidden folders (.git) and clerk's own output are never papers.
        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
    });
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diagnostics.push(Diagnostic::general(
                    Code::Unreadable,
                    format!("cannot read a folder: {e}"),
                ));
                continue;
            }
        };
        // Links are not followed: a paper tree must not reach outside itself.
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().to_string();
        found.add(entry.path().to_path_buf(), name);
    }
    // Other Markdown in a paper folder is an appendix.
    for (dir, files) in std::mem::take(&mut found.stray_markdown) {
        if let Some(paper) = found.papers.get_mut(&dir) {
            paper.appendices.extend(files);
            paper.appendices.sort();
            paper.appendices.dedup();
        }
    }
}

/// A council.yaml in any real folder above a root still governs the papers below it, however
/// the root is spelt (`.`, `20-00017-early-help`, `report.md`, a path through a link).
fn find_councils_above(root: &Path, found: &mut Found) {
    let start = if root.is_file() {
        root.parent().unwrap_or(Path::new(""))
    } else {
        root
    };
    // Each council once, however it was reached: the walk's spelling wins.
    let mut seen: Vec<PathBuf> = found.councils.keys().map(|c| real_path(c)).collect();
    for dir in ancestors_as_spelt(start) {
        let candidate = dir.join(COUNCIL_FILE);
        if !candidate.is_file() {
            continue;
        }
        let key = real_path(&candidate);
        if !seen.contains(&key) {
            seen.push(key);
            found.councils.insert(candidate, ());
        }
    }
}

/// A path's real form (links resolved, absolute), for comparing paths however they are
/// spelt; `""` is the working folder. A path that cannot be resolved is kept as given.
pub fn real_path(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Every real folder from `dir` up to the filesystem's root, each named as the user would:
/// the shortest of `dir`'s own ancestors, or of `..`, `../..` … from the working folder, that
/// is that folder; else its real path.
fn ancestors_as_spelt(dir: &Path) -> Vec<PathBuf> {
    let Ok(real) = fs::canonicalize(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return dir.ancestors().map(Path::to_path_buf).collect();
    };
    let mut spellings: Vec<PathBuf> = dir.ancestors().map(Path::to_path_buf).collect();
    if dir.is_relative() {
        let up = fs::canonicalize(".").map_or(0, |cwd| cwd.components().count());
        spellings.extend((1..up).map(|k| std::iter::repeat_n("..", k).collect::<PathBuf>()));
    }
    let named: Vec<(PathBuf, PathBuf)> =
        spellings.into_iter().map(|s| (real_path(&s), s)).collect();
    real.ancestors()
        .map(|a| {
            named
                .iter()
                .filter(|(r, _)| r == a)
                .map(|(_, s)| s)
                .min_by_key(|s| s.components().count())
                .cloned()
                .unwrap_or_else(|| a.to_path_buf())
        })
        .collect()
}

/// Every council.yaml in the folders above `path` (a file or a folder), nearest last.
pub fn councils_above(path: &Path) -> Vec<PathBuf> {
    let mut found = Found::default();
    find_councils_above(path, &mut found);
    found.councils.into_keys().collect()
}

/// A paper's folder as a key that names it however it was written (its real path), if it
/// holds a report.
pub fn paper_folder(folder: &Path) -> Option<PathBuf> {
    folder
        .join(REPORT_FILE)
        .is_file()
        .then(|| fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf()))
}

/// A file's bytes as they are, with no limit or check: what clerk made (its build cache, a
/// page the preview serves) and what a hash covers. Papers are read by `read_paper`.
pub fn read_raw(path: &Path) -> std::io::Result<Vec<u8>> {
    fs::read(path)
}

/// The largest Word or PDF file `clerk import` reads: papers with images run to megabytes.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a Word or PDF file's bytes, refusing what is too large to be a paper.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::general(
            Code::Unreadable,
            format!("cannot read `{}`: {e}", path.display()),
        )
    };
    let file = fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(Box::new(Diagnostic::general(
            Code::TooLarge,
            format!(
                "`{}` is larger than {} MiB",
                path.display(),
                MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        )));
    }
    Ok(bytes)
}

/// Meeting files live in a folder called `meetings`, as YAML.
pub const MEETINGS_DIR: &str = "meetings";

fn is_meeting_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == MEETINGS_DIR)
}

/// Meeting files beside every folder above a root (`papers/meetings/` when one paper of
/// `papers/` is checked), found by the path as given and by its real location: a meeting that
/// lists a paper in Part 2 must be seen whichever way the paper is named.
fn find_meetings_above(root: &Path, found: &mut Found) {
    let given = root.ancestors().filter(|p| !p.as_os_str().is_empty());
    let real: Vec<PathBuf> = fs::canonicalize(root)
        .map(|r| r.ancestors().map(Path::to_path_buf).collect())
        .unwrap_or_default();
    let mut seen: Vec<PathBuf> = found
        .meetings
        .keys()
        .filter_map(|m| fs::canonicalize(m).ok())
        .collect();
    for dir in given.map(Path::to_path_buf).chain(real) {
        let Ok(entries) = fs::read_dir(dir.join(MEETINGS_DIR)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .filter(|p| is_meeting_file(p))
            .collect();
        files.sort();
        for file in files {
            let key = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if !seen.contains(&key) {
                seen.push(key);
                found.meetings.insert(file, ());
            }
        }
    }
}

/// Why a file could not be read as text.
pub struct ReadProblem {
    code: Code,
    message: String,
    hint: String,
    offset: usize,
    /// What to show in snippets: the readable part of the file.
    shown_text: String,
}

impl ReadProblem {
    /// A problem with the file as a whole, shown with none of its text.
    fn whole_file(code: Code, message: String, hint: &str) -> ReadProblem {
        ReadProblem {
            code,
            message,
            hint: hint.to_string(),
            offset: 0,
            shown_text: String::new(),
        }
    }

    /// The readable part of the file, to show beside the diagnostic.
    pub fn shown_text(&self) -> &str {
        &self.shown_text
    }

    pub fn into_diagnostic(self, file: FileId) -> Diagnostic {
        // Inside the text shown for the file, which ends where reading it stopped.
        let end = (self.offset + 1)
            .min(self.shown_text.len())
            .max(self.offset.min(self.shown_text.len()));
        let start = self.offset.min(end);
        Diagnostic::error(self.code, file, start..end, self.message).with_hint(self.hint)
    }
}

/// Reads a file as UTF-8 text, refusing what is too large, binary or not UTF-8.
pub fn read_text(path: &Path) -> Result<String, ReadProblem> {
    let bytes = read_limited(path)?;
    if bytes.is_empty() {
        return Err(ReadProblem::whole_file(
            Code::Empty,
            format!("`{}` is empty", path.display()),
            "start the file with front matter between `---` lines; see docs/format.md",
        ));
    }
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        let shown = String::from_utf8_lossy(&bytes[..nul]).to_string();
        return Err(ReadProblem {
            code: Code::Binary,
            message: format!("`{}` is not text: it holds a NUL byte", path.display()),
            hint: "papers are UTF-8 Markdown; was a binary file saved with a .md or .yaml name?"
                .into(),
            offset: shown.len(),
            shown_text: shown,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let shown = String::from_utf8_lossy(&bytes).to_string();
            Err(ReadProblem {
                code: Code::NotUtf8,
                message: format!(
                    "`{}` is not UTF-8 text (byte {valid} is invalid)",
                    path.display()
                ),
                hint: "save the file as UTF-8 (Windows-1252 files from Word often do this)".into(),
                // Up to the first bad byte, the lossy text has the same offsets as the file.
                offset: valid,
                shown_text: shown,
            })
        }
    }
}

/// A file's bytes, refusing a file that cannot be read or is larger than `MAX_FILE_BYTES`.
fn read_limited(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let unreadable = |e: std::io::Error| {
        ReadProblem::whole_file(
            Code::Unreadable,
            format!("cannot read `{}`: {e}", path.display()),
            "check the file's permissions",
        )
    };
    let file = fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    // Read at most one byte past the limit, so a huge file costs no more than the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadProblem::whole_file(
            Code::TooLarge,
            format!(
                "`{}` is larger than {} MiB",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "a report is text; move images and data into separate files",
        ));
    }
    Ok(bytes)
}
