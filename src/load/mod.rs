//! Load: find the papers under the given paths and read their files, refusing what is not
//! text. Nothing here understands YAML or Markdown; it only reads.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Code, Diagnostic, FileId, SourceMap};

/// Papers larger than this are refused: a real report is well under 200 KB, and a cap keeps a
/// stray 1 GB file from taking the machine's memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub const COUNCIL_FILE: &str = "council.yaml";
pub const REPORT_FILE: &str = "report.md";
pub const DECISION_FILE: &str = "decision.md";

/// The files of one decision's folder, as file ids into the source map.
#[derive(Clone, Debug, Default)]
pub struct PaperFiles {
    pub dir: PathBuf,
    pub report: Option<FileId>,
    pub decision: Option<FileId>,
    pub appendices: Vec<FileId>,
}

#[derive(Clone, Debug)]
pub struct CouncilFile {
    pub dir: PathBuf,
    pub file: FileId,
}

/// What loading found and read.
pub struct Loaded {
    pub sources: SourceMap,
    pub councils: Vec<CouncilFile>,
    pub papers: Vec<PaperFiles>,
    /// Files that could not be read as text: they have an entry in `sources` with no text.
    pub unreadable: Vec<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether a problem is with the command line rather than with a paper (exit code 2).
    pub usage_error: bool,
}

#[derive(Default)]
struct Found {
    councils: BTreeMap<PathBuf, ()>,
    papers: BTreeMap<PathBuf, (Option<PathBuf>, Option<PathBuf>, Vec<PathBuf>)>,
    stray_markdown: BTreeMap<PathBuf, Vec<PathBuf>>,
}

/// Finds papers and councils under `roots` and reads every file, in parallel.
pub fn load(roots: &[PathBuf]) -> Loaded {
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
                let dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
                walk(&dir, Some(1), &mut found, &mut diagnostics);
            }
            Ok(_) => walk(root, None, &mut found, &mut diagnostics),
        }
        find_councils_above(root, &mut found);
    }

    // Markdown files in a folder with a decision.md but no report.md still form a paper
    // (the orphan check reports it); any other stray Markdown is not a paper.
    let mut paths: Vec<PathBuf> = found.councils.keys().cloned().collect();
    for (report, decision, appendices) in found.papers.values() {
        paths.extend(report.iter().cloned());
        paths.extend(decision.iter().cloned());
        paths.extend(appendices.iter().cloned());
    }
    let texts: Vec<(PathBuf, Result<String, ReadProblem>)> = paths
        .par_iter()
        .map(|p| (p.clone(), read_text(p)))
        .collect();

    let mut sources = SourceMap::new();
    let mut ids: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (path, text) in texts {
        let id = match text {
            Ok(text) => sources.add(&path, text),
            Err(problem) => {
                let id = sources.add(&path, problem.shown_text.clone());
                unreadable.push(id);
                let end = problem.offset + 1;
                diagnostics.push(
                    Diagnostic::error(problem.code, id, problem.offset..end, problem.message)
                        .with_hint(problem.hint),
                );
                id
            }
        };
        ids.insert(path, id);
    }

    let councils = found
        .councils
        .keys()
        .map(|p| CouncilFile {
            dir: p.parent().map(Path::to_path_buf).unwrap_or_default(),
            file: ids[p],
        })
        .collect();
    let papers = found
        .papers
        .into_iter()
        .map(|(dir, (report, decision, appendices))| PaperFiles {
            dir,
            report: report.map(|p| ids[&p]),
            decision: decision.map(|p| ids[&p]),
            appendices: appendices.iter().map(|p| ids[p]).collect(),
        })
        .collect::<Vec<_>>();

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
    Loaded {
        sources,
        councils,
        papers,
        unreadable,
        diagnostics,
        usage_error,
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
        let path = entry.path().to_path_buf();
        let name = entry.file_name().to_string_lossy().to_string();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if name == COUNCIL_FILE {
            found.councils.insert(path, ());
        } else if name == REPORT_FILE {
            found.papers.entry(dir).or_default().0 = Some(path);
        } else if name == DECISION_FILE {
            found.papers.entry(dir).or_default().1 = Some(path);
        } else if name.ends_with(".md") {
            found.stray_markdown.entry(dir).or_default().push(path);
        }
    }
    // Other Markdown in a paper folder is an appendix.
    for (dir, files) in std::mem::take(&mut found.stray_markdown) {
        if let Some(paper) = found.papers.get_mut(&dir) {
            paper.2.extend(files);
            paper.2.sort();
            paper.2.dedup();
        }
    }
}

/// A council.yaml in a folder above a root still governs the papers below it.
fn find_councils_above(root: &Path, found: &mut Found) {
    let mut dir = if root.is_file() {
        root.parent()
    } else {
        Some(root)
    };
    while let Some(d) = dir {
        let candidate = d.join(COUNCIL_FILE);
        if candidate.is_file() && !found.councils.contains_key(&candidate) {
            // Keep paths in the same form as the walk's, so each council is read once.
            found.councils.insert(candidate, ());
        }
        dir = d.parent().filter(|p| !p.as_os_str().is_empty());
    }
}

struct ReadProblem {
    code: Code,
    message: String,
    hint: String,
    offset: usize,
    /// What to show in snippets: the readable part of the file.
    shown_text: String,
}

fn read_text(path: &Path) -> Result<String, ReadProblem> {
    let problem = |code, message: String, hint: &str| ReadProblem {
        code,
        message,
        hint: hint.to_string(),
        offset: 0,
        shown_text: String::new(),
    };
    let file = fs::File::open(path).map_err(|e| {
        problem(
            Code::Unreadable,
            format!("cannot read `{}`: {e}", path.display()),
            "check the file's permissions",
        )
    })?;
    let mut bytes = Vec::new();
    // Read at most one byte past the limit, so a huge file costs no more than the limit.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            problem(
                Code::Unreadable,
                format!("cannot read `{}`: {e}", path.display()),
                "check the file's permissions",
            )
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(problem(
            Code::TooLarge,
            format!(
                "`{}` is larger than {} MiB",
                path.display(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "a report is text; move images and data into separate files",
        ));
    }
    if bytes.is_empty() {
        return Err(problem(
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
