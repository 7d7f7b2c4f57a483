//! A bounded mutation fuzzer that runs with the tests: real papers (papers/, the seeds, the
//! fixture cases and the unseen sets) are mutated the ways files go wrong — bytes inserted,
//! lines dropped, duplicated or swapped, digits and amounts changed, markers nested deep — and
//! every mutant is checked and built (HTML, in-process). Nothing may panic or overflow the
//! stack, and every finding must point inside its file. The number of cases is fixed, so the
//! run is bounded (about half a minute); `CLERK_FUZZ_CASES=N` runs more. A mutant that fails is
//! shrunk by proptest and belongs in tests/fixtures/cases as a regression.

use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::common::repo;

/// Every paper file the repository holds, read once.
fn seeds() -> &'static Vec<(PathBuf, String)> {
    static SEEDS: std::sync::OnceLock<Vec<(PathBuf, String)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut out = Vec::new();
        for dir in [
            "papers",
            "tests/fixtures/seeds",
            "tests/fixtures/cases",
            "tests/fixtures/unseen/clean",
        ] {
            for entry in walkdir::WalkDir::new(repo().join(dir))
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| {
                    e.path()
                        .extension()
                        .is_some_and(|x| x == "md" || x == "yaml")
                })
            {
                if let Ok(text) = fs::read_to_string(entry.path()) {
                    out.push((entry.path().to_path_buf(), text));
                }
            }
        }
        out
    })
}

/// One way a file goes wrong.
#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, String),
    DropLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Digit(usize, char),
    Nest(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fragments = prop::sample::select(vec![
        "£",
        "£99999999999999999999999999",
        "(£1,000)",
        "|",
        "| Total | £1 |",
        "---",
        "\n---\n",
        "{{ fig.x }}",
        "{{ recommendations }}",
        "%",
        "99.9%",
        "of 0",
        "\u{1b}]52;c;x\u{7}",
        "\t",
        "- ",
        "1. ",
        "> ",
        "**",
        "`",
        "[x](javascript:1)",
        "\r",
        "\u{feff}",
        "\u{0}",
        "consisting of £1 and £2",
        "more than £1m",
        "increases by £1, to £0",
        "2,162 of 0 families, 38%",
        "classification: exempt",
    ])
    .prop_map(String::from);
    prop_oneof![
        (any::<usize>(), fragments).prop_map(|(at, f)| Mutation::Insert(at, f)),
        any::<usize>().prop_map(Mutation::DropLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), prop::char::range('0', '9')).prop_map(|(at, c)| Mutation::Digit(at, c)),
        (any::<usize>(), 1usize..3000).prop_map(|(at, depth)| Mutation::Nest(at, depth)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let n = lines.len().max(1);
    let boundary = |at: usize| {
        let mut i = at % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match m {
        Mutation::Insert(at, f) => {
            let i = boundary(*at);
            return format!("{}{f}{}", &text[..i], &text[i..]);
        }
        Mutation::Nest(at, depth) => {
            let i = boundary(*at);
            return format!(
                "{}{}x{}{}",
                &text[..i],
                "*".repeat(*depth),
                "*".repeat(*depth),
                &text[i..]
            );
        }
        Mutation::Digit(at, c) => {
            let digits: Vec<usize> = text
                .char_indices()
                .filter(|(_, d)| d.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = digits.get(at % digits.len().max(1)) {
                return format!("{}{c}{}", &text[..i], &text[i + 1..]);
            }
        }
        Mutation::DropLine(at) if !lines.is_empty() => {
            lines.remove(at % n);
        }
        Mutation::DuplicateLine(at) if !lines.is_empty() => {
            let line = lines[at % n].clone();
            lines.insert(at % n, line);
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
        _ => {}
    }
    lines.join("\n")
}

/// Checks and builds a tree holding the mutant as its paper's report (or record), with a
/// council above it; returns the findings that point outside their file.
fn run(text: &str, name: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let council = "name: Test Council\njurisdiction: England\nemail_domains: [test.gov.uk]\n";
    let report = "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\n---\n\nIt costs £1.\n";
    let paper = dir.path().join("paper");
    fs::create_dir_all(dir.path().join("meetings")).unwrap();
    fs::create_dir(&paper).unwrap();
    // The mutant takes its own place: a council file, a meeting file, or a paper's file.
    let (council, meeting, paper_file) = match name {
        "council.yaml" => (text, None, ("report.md", report)),
        "meeting.yaml" => (council, Some(text), ("report.md", report)),
        _ => (council, None, (name, text)),
    };
    fs::write(dir.path().join("council.yaml"), council).unwrap();
    if let Some(m) = meeting {
        fs::write(dir.path().join("meetings/meeting.yaml"), m).unwrap();
    }
    fs::write(paper.join(paper_file.0), paper_file.1).unwrap();
    let checked = clerk::check_paths(&[dir.path().to_path_buf()]);
    let mut wrong = Vec::new();
    for d in &checked.diagnostics {
        if let Some(f) = d.file {
            let len = checked.sources.text(f).len();
            if d.range.start > len || d.range.end > len || d.range.start > d.range.end {
                wrong.push(format!(
                    "{} points at {:?} in a file of {len} bytes",
                    d.code.id(),
                    d.range
                ));
            }
        }
    }
    let opts = clerk::build::BuildOptions {
        root: dir.path().to_path_buf(),
        out: dir.path().join("site"),
        formats: clerk::build::Formats::pick(&["html", "json"]).unwrap(),
        jobs: None,
        templates: None,
        install: false,
        keep_packs: true,
        drafts: true,
    };
    let _ = clerk::build::build(&opts, &clerk::build::Silent);
    wrong
}

fn cases() -> u32 {
    std::env::var("CLERK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_mutant_of_a_real_paper_crashes_clerk(
        seed in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let all = seeds();
        prop_assume!(!all.is_empty());
        let (path, text) = &all[seed.index(all.len())];
        let mut mutant = text.clone();
        for m in &mutations {
            mutant = apply(&mutant, m);
        }
        let name = match Path::new(path).file_name().and_then(|n| n.to_str()) {
            Some("decision.md") => "decision.md",
            Some("council.yaml") => "council.yaml",
            Some(n) if n.ends_with(".yaml") => "meeting.yaml",
            _ => "report.md",
        };
        let wrong = run(&mutant, name);
        prop_assert!(wrong.is_empty(), "{}: {wrong:?}", path.display());
    }
}
