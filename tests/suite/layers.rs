//! The house plan's arrows, read from the source: each module of `src/` may use only the
//! modules below it in the pipeline. A new arrow against the plan fails this test; so does
//! fixing one of the arrows listed as known, until it is struck from the list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::repo;

/// What each module may use of clerk. `root` is the crate root (lib.rs: `Checked`, `Visit`,
/// `check_paths`), which drives load → parse → check for build, pack, serve and the CLI.
const ALLOWED: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("model", &[]),
    // Diagnostics point into the model's files (`FileId`).
    ("diagnostic", &["model"]),
    ("write", &[]),
    ("load", &["diagnostic", "model"]),
    // Word and PDF readers: bytes in, a paper's text out; the council's profile is model data.
    ("import", &["model"]),
    ("parse", &["diagnostic", "load", "model", "text"]),
    ("check", &["diagnostic", "load", "model", "text"]),
    ("render", &["diagnostic", "model", "text", "write"]),
    ("root", &["check", "diagnostic", "load", "model", "parse"]),
    // The site (src/site/): every file the output holds and what each is made from, and the
    // site's own pages (index, committees, meetings, forward plan, search, open data). build,
    // pack and serve go through it; it renders through `render` and writes through `write`,
    // and reads the meeting files' agendas (`check::meeting`, `parse`) and what may be
    // published (`check::publication`). It never uses build, pack or serve.
    (
        "site",
        &[
            "check",
            "diagnostic",
            "load",
            "model",
            "parse",
            "render",
            "text",
            "write",
        ],
    ),
    ("scaffold", &["diagnostic", "load", "model", "write"]),
    // `clerk import` and `clerk check FILE.docx`: import, then the pipeline. It reads the
    // model's tables (what clerk's reader made of the imported text) to count what was read.
    (
        "imported",
        &[
            "diagnostic",
            "import",
            "load",
            "model",
            "parse",
            "root",
            "write",
        ],
    ),
    (
        "build",
        &[
            "check",
            "diagnostic",
            "load",
            "model",
            "parse",
            "render",
            "root",
            "site",
            "text",
            "write",
        ],
    ),
    (
        "pack",
        &[
            "build",
            "check",
            "diagnostic",
            "load",
            "model",
            "parse",
            "render",
            "root",
            "site",
            "text",
            "write",
        ],
    ),
    // The preview builds the site and makes a meeting's pack when one is asked for.
    (
        "serve",
        &[
            "build",
            "diagnostic",
            "load",
            "model",
            "pack",
            "render",
            "root",
            "site",
            "write",
        ],
    ),
    (
        "cli",
        &[
            "build",
            "check",
            "diagnostic",
            "import",
            "imported",
            "load",
            "model",
            "pack",
            "parse",
            "render",
            "root",
            "scaffold",
            "serve",
            "site",
            "text",
            "write",
        ],
    ),
];

/// Arrows against the plan that are there today, each with where it is: a list to shorten
/// (issue 12), never to lengthen.
const KNOWN: &[(&str, &str)] = &[];

const MODULES: &[&str] = &[
    "text",
    "build",
    "check",
    "cli",
    "diagnostic",
    "import",
    "imported",
    "load",
    "model",
    "pack",
    "parse",
    "render",
    "scaffold",
    "serve",
    "site",
    "write",
];

/// The module a source file belongs to: its first folder or file name under src/.
fn module_of(rel: &Path) -> String {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .unwrap_or_default();
    let name = first.trim_end_matches(".rs");
    match name {
        "lib" => "root".into(),
        other => other.into(),
    }
}

/// Every module a file names through `crate::`, including `use crate::{a, b::C}` groups.
fn used(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let word = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut name = |ident: String| {
        if ident.is_empty() || ident == "self" {
            return;
        }
        if MODULES.contains(&ident.as_str()) {
            out.insert(ident);
        } else {
            out.insert("root".into());
        }
    };
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for part in inner.split(',') {
                name(word(part));
            }
        } else {
            name(word(rest));
        }
    }
    out
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let src = repo().join("src");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut arrows: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let from = module_of(rel);
        if from == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for to in used(&code) {
            if to != from {
                arrows
                    .entry((from.clone(), to))
                    .or_default()
                    .push(rel.display().to_string());
            }
        }
    }
    let mut against = Vec::new();
    let mut known_seen = BTreeSet::new();
    for ((from, to), files) in &arrows {
        let ok = allowed
            .get(from.as_str())
            .unwrap_or_else(|| panic!("module `{from}` is not in ALLOWED: place it in the plan"))
            .contains(&to.as_str());
        if ok {
            continue;
        }
        if KNOWN.contains(&(from.as_str(), to.as_str())) {
            known_seen.insert((from.clone(), to.clone()));
            continue;
        }
        against.push(format!("{from} uses {to} (in {})", files.join(", ")));
    }
    assert!(
        against.is_empty(),
        "arrows against the house plan:\n  {}",
        against.join("\n  ")
    );
    let gone: Vec<_> = KNOWN
        .iter()
        .filter(|(f, t)| !known_seen.contains(&(f.to_string(), t.to_string())))
        .collect();
    assert!(
        gone.is_empty(),
        "these known arrows are gone: strike them from KNOWN: {gone:?}"
    );
}

#[test]
fn the_reader_of_arrows_sees_groups_and_the_root() {
    let text = "use crate::{diagnostic::FileId, model};\nuse crate::Visit;\nlet x = crate::model::money::parse(y);\n";
    let got: Vec<String> = used(text).into_iter().collect();
    assert_eq!(got, ["diagnostic", "model", "root"]);
}

/// What touches the world, and the one module each belongs to: only `load` reads files, only
/// `write` creates, replaces or removes them (typst's staging folders too), only `render/typst.rs` starts a process:
/// typst, and (widened for the site's search, with the same staging-folder contract) Pagefind.
const OWNERS: &[(&str, &[&str], &[&str])] = &[
    (
        "reads a file",
        // write.rs owns the output folder: it looks before it writes, and reads back what a
        // program made in a folder it staged.
        &["load/", "write.rs"],
        &[
            "fs::read",
            "read_to_string(",
            "File::open",
            "fs::read_dir",
            "read_dir(",
        ],
    ),
    (
        "writes a file",
        &["write.rs"],
        &[
            "fs::write",
            "File::create",
            "OpenOptions",
            "create_dir",
            "remove_file",
            "remove_dir",
            "fs::rename",
            "fs::copy",
            "hard_link",
            "set_permissions",
            "persist(",
        ],
    ),
    (
        "starts a process",
        &["render/typst.rs"],
        &["Command::new", "process::Command"],
    ),
];

/// Test modules may make and read their own fixtures.
fn without_tests(text: &str) -> &str {
    text.find("#[cfg(test)]\nmod tests")
        .map_or(text, |at| &text[..at])
}

#[test]
fn only_load_reads_only_write_writes_only_typst_runs() {
    let src = repo().join("src");
    let mut wrong = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in without_tests(&text).lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (what, owner, marks) in OWNERS {
                if !owner.iter().any(|o| rel.starts_with(o))
                    && marks.iter().any(|m| line.contains(m))
                {
                    wrong.push(format!("{rel}:{}: {what}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "outside its one module:\n  {}",
        wrong.join("\n  ")
    );
}

/// Functions over this many lines need a reason written beside them (`// Long because …`,
/// in the lines above the function or its first lines).
const LONGEST: usize = 60;

/// Every function of `src/` outside test modules, with where it starts and how many lines it
/// takes.
struct Functions {
    found: Vec<(String, usize, usize)>,
}

impl<'ast> syn::visit::Visit<'ast> for Functions {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        let is_test = m.attrs.iter().any(|a| match &a.meta {
            syn::Meta::List(list) => {
                list.path.is_ident("cfg") && list.tokens.to_string().contains("test")
            }
            _ => false,
        });
        if !is_test {
            syn::visit::visit_item_mod(self, m);
        }
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.note(
            &f.sig.ident,
            f.sig.fn_token.span,
            f.block.brace_token.span.close(),
        );
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.note(
            &f.sig.ident,
            f.sig.fn_token.span,
            f.block.brace_token.span.close(),
        );
        syn::visit::visit_impl_item_fn(self, f);
    }
}

impl Functions {
    fn note(&mut self, name: &syn::Ident, start: proc_macro2::Span, end: proc_macro2::Span) {
        let (from, to) = (start.start().line, end.end().line);
        self.found.push((name.to_string(), from, to - from + 1));
    }
}

#[test]
fn no_function_is_over_sixty_lines_without_a_reason() {
    let src = repo().join("src");
    let mut long = Vec::new();
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut functions = Functions { found: Vec::new() };
        syn::visit::Visit::visit_file(&mut functions, &file);
        let lines: Vec<&str> = text.lines().collect();
        for (name, start, length) in functions.found {
            seen += 1;
            let around = &lines[start.saturating_sub(6)..(start + 3).min(lines.len())];
            let reason = around.iter().any(|l| l.contains("Long because"));
            if length > LONGEST && !reason {
                let rel = path.strip_prefix(&src).unwrap().display();
                long.push(format!("{rel}:{start} {name} ({length} lines)"));
            }
        }
    }
    assert!(seen > 500, "too few functions read: {seen}");
    assert!(
        long.is_empty(),
        "functions over {LONGEST} lines with no reason written beside them (`// Long because …`):\n  {}",
        long.join("\n  ")
    );
}
