//! One folder per scenario under tests/fixtures/cases/, the expected output beside it.
//!
//! Each case is checked by running the real binary as a user would:
//! `clerk check tests/fixtures/cases/NAME --color never`, or the command in the case's
//! `args.txt` (a meeting's rules need `clerk pack`, a template's `clerk build`), where `{case}`
//! is the case's folder and `{out}` a fresh output folder. `expected.txt` holds the exit status
//! on its first line and then exactly what clerk printed (the output folder shown as `{out}`). Refresh after a deliberate change with
//! `CLERK_BLESS=1 cargo test --test suite cases::`, and read the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

fn run_clerk(args: &[&str]) -> (i32, String, String) {
    crate::common::Clerk::new(args).run()
}

/// Runs one case: `clerk check` on its folder, or the command its `args.txt` gives.
fn run_case(name: &str) -> (i32, String, String) {
    let rel = format!("tests/fixtures/cases/{name}");
    let Ok(args) = fs::read_to_string(cases_dir().join(name).join("args.txt")) else {
        return run_clerk(&["check", &rel, "--color", "never"]);
    };
    let out = tempfile::tempdir().expect("an output folder");
    let out_dir = out.path().display().to_string();
    let args: Vec<String> = args
        .split_whitespace()
        .map(|a| a.replace("{case}", &rel).replace("{out}", &out_dir))
        .chain(["--color".to_string(), "never".to_string()])
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run_clerk(&args);
    (code, stdout.replace(&out_dir, "{out}"), stderr)
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases")
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(cases_dir())
        .expect("cases folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_case_prints_its_expected_diagnostics() {
    let bless = crate::common::blessing();
    let mut failures = Vec::new();
    for name in case_names() {
        let (code, stdout, stderr) = run_case(&name);
        assert!(
            code == 0 || code == 1 || code == 2,
            "{name}: clerk exited {code} (a panic?)\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "{name}: clerk panicked\n{stderr}"
        );
        let actual = format!("exit: {code}\n{stdout}");
        let expected_path = cases_dir().join(&name).join("expected.txt");
        if bless {
            fs::write(&expected_path, &actual).expect("write expected.txt");
            continue;
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_default()
            .replace("\r\n", "\n");
        if expected != actual {
            failures.push(format!(
                "── {name} ──\nexpected:\n{expected}\nactual:\n{actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ (CLERK_BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every diagnostic code is shown by at least one case, so each is documented by example.
#[test]
fn every_code_has_a_case() {
    let mut all = String::new();
    for name in case_names() {
        all.push_str(
            &fs::read_to_string(cases_dir().join(&name).join("expected.txt")).unwrap_or_default(),
        );
    }
    let seeds = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/suite/snapshots/suite__seeds__seeds_human.snap"),
    )
    .expect("the seeds' snapshot");
    all.push_str(&seeds);
    // Shown by the generated cases below (a missing path, a binary file, a 10 MB file).
    for id in GENERATED_CODES {
        all.push_str(&format!("[{id}]"));
    }
    let missing: Vec<&str> = clerk::diagnostic::Code::ALL
        .iter()
        .map(|c| c.id())
        .filter(|id| !all.contains(&format!("[{id}]")))
        .collect();
    assert!(missing.is_empty(), "no case shows these codes: {missing:?}");
}

// Cases too large or too binary to keep in the repository are made at test time.

/// Codes that generated tests assert (below; C0802 in build.rs, for it needs typst; C0909 in
/// pack.rs, for it needs a pack made; C1004 in publication.rs; C1101 and C1102 in import.rs;
/// C1103 in import_limits.rs, whose hostile files are made at test time; C1104 and C1105 in
/// import.rs, whose Word and PDF files are made there; C1201 in build.rs, for it needs Pagefind
/// away; C1203 in versions.rs, for it needs a build before the change), so
/// `every_code_has_a_case` counts them.
const GENERATED_CODES: &[&str] = &[
    "C0101", "C0103", "C0111", "C0802", "C0909", "C1004", "C1101", "C1102", "C1103", "C1104",
    "C1105", "C1201", "C1203",
];

fn temp_paper(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("council.yaml"),
        "name: Test Council\njurisdiction: England\nemail_domains: [test.gov.uk]\n",
    )
    .unwrap();
    let paper = dir.path().join("paper");
    fs::create_dir(&paper).unwrap();
    for (name, bytes) in files {
        fs::write(paper.join(name), bytes).unwrap();
    }
    dir
}

fn json_codes(dir: &Path) -> (i32, Vec<(String, String, u64)>) {
    let (code, stdout, stderr) = run_clerk(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert!(!stderr.contains("panicked"), "clerk panicked: {stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json output");
    let items = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (code, items)
}

const MINIMAL_FRONT: &str =
    "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\n---\n";

#[test]
fn a_ten_megabyte_paper_is_refused_with_a_diagnostic() {
    let mut text = MINIMAL_FRONT.as_bytes().to_vec();
    text.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    let dir = temp_paper(&[("report.md", text)]);
    let (code, diags) = json_codes(dir.path());
    assert_eq!(code, 1);
    assert!(
        diags
            .iter()
            .any(|(c, f, l)| c == "C0111" && f.ends_with("report.md") && *l == 1),
        "{diags:?}"
    );
}

#[test]
fn ten_thousand_deep_yaml_is_a_diagnostic_not_a_crash() {
    let front = format!(
        "---\ntitle: x\nclassification: Unrestricted\nkey_decision: false\nfigures: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let dir = temp_paper(&[("report.md", front.into_bytes())]);
    let (code, diags) = json_codes(dir.path());
    assert_eq!(code, 1);
    assert!(
        // Refused where the nesting starts: too deep, or not the mapping `figures` takes.
        diags
            .iter()
            .any(|(c, _, l)| (c == "C0107" || c == "C0109") && *l == 5),
        "{diags:?}"
    );
}

#[test]
fn ten_thousand_deep_markdown_is_read_without_a_crash() {
    let body = format!(
        "{}{} deep\n\n{}x\n",
        MINIMAL_FRONT,
        ">".repeat(10_000),
        "- ".repeat(10_000)
    );
    let dir = temp_paper(&[("report.md", body.into_bytes())]);
    let (code, _) = json_codes(dir.path());
    assert_eq!(code, 0);
}

#[test]
fn a_binary_file_named_md_is_refused() {
    let dir = temp_paper(&[(
        "report.md",
        vec![0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xfe],
    )]);
    let (code, diags) = json_codes(dir.path());
    assert_eq!(code, 1);
    assert!(
        diags.iter().any(|(c, _, l)| c == "C0103" && *l == 1),
        "{diags:?}"
    );
}

#[test]
fn a_missing_path_is_misuse() {
    let (code, stdout, _) = run_clerk(&["check", "no/such/folder", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(stdout.contains("C0101"), "{stdout}");
}

#[test]
fn an_unknown_flag_is_misuse() {
    let (code, _, stderr) = run_clerk(&["check", "--frobnicate"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--frobnicate"), "{stderr}");
}

/// `clerk check PATH` run in `cwd`: the exit status, and each finding with its file as printed
/// and as the real file it names.
fn findings_in(cwd: &Path, path: &str) -> (i32, Vec<(String, PathBuf, String)>) {
    let (code, stdout, _) = crate::common::clerk(&["check", path, "--format", "json"], cwd);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("json output");
    let findings = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("").to_string();
            let real = fs::canonicalize(cwd.join(&file)).unwrap_or_default();
            let what = format!(
                "{} {}:{} {}",
                d["code"], d["line"], d["column"], d["message"]
            );
            (file, real, what)
        })
        .collect();
    (code, findings)
}

#[test]
fn council_yaml_governs_however_the_paper_is_named() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("tests/fixtures/seeds");
    // A paper under a second council's council.yaml, and one under the tree's own.
    for paper in [
        "central-bedfordshire/support-services-recommissioning",
        "20-00102-community-support",
    ] {
        let (code, expected) = findings_in(root, &format!("tests/fixtures/seeds/{paper}"));
        let codes: Vec<&str> = expected.iter().map(|(_, _, w)| &w[1..6]).collect();
        assert!(!codes.contains(&"C0113"), "{expected:?}");
        assert!(
            codes.contains(&"C0709") || codes.contains(&"C0705"),
            "the council's own checks ran: {expected:?}"
        );
        let inside = seeds.join(paper);
        let runs = [
            (seeds.as_path(), paper, format!("{paper}/")),
            (inside.as_path(), ".", "./".to_string()),
            (inside.as_path(), "./", "./".to_string()),
            (inside.as_path(), "report.md", String::new()),
        ];
        for (cwd, path, spelt) in runs {
            let (c, found) = findings_in(cwd, path);
            let same = |f: &[(String, PathBuf, String)]| -> Vec<(PathBuf, String)> {
                f.iter().map(|(_, r, w)| (r.clone(), w.clone())).collect()
            };
            assert_eq!(
                (c, same(&found)),
                (code, same(&expected)),
                "`clerk check {path}` in {}",
                cwd.display()
            );
            // File names stay as the user spelt the path.
            for (file, _, _) in &found {
                assert!(file.starts_with(&spelt), "{file} for `{path}`");
                assert!(Path::new(file).is_relative(), "{file} for `{path}`");
            }
        }
    }
}

#[test]
fn a_broken_council_yaml_above_the_working_folder_is_reported_by_the_name_used() {
    let dir = temp_paper(&[("report.md", MINIMAL_FRONT.as_bytes().to_vec())]);
    fs::write(
        dir.path().join("council.yaml"),
        "name: Test Council\njurisdction: England\n",
    )
    .unwrap();
    let (code, found) = findings_in(&dir.path().join("paper"), ".");
    assert_eq!(code, 1, "{found:?}");
    assert!(
        found.iter().any(|(f, _, _)| f == "../council.yaml"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, _, w)| w.contains("C0113")),
        "the broken council.yaml says why its rules are unknown: {found:?}"
    );
}

#[test]
fn amounts_too_large_to_add_up_never_panic() {
    let report = format!(
        "{}\n## Summary\n\nIt costs £3, £99999999999999999999999999 or £79,228,162,514,264,337,593,543,950,335.\n\n| Item | Cost | Cost |\n|---|---:|---:|\n| A | £50,000,000,000,000,000,000,000,000,000 | £79,228,162,514,264,337,593,543,950,335 |\n| B | £40,000,000,000,000,000,000,000,000,000 | £79,228,162,514,264,337,593,543,950,335 |\n| Total | £90,000,000,000,000,000,000,000,000,000 | £1 |\n\nA 99,999% rise of £40,000,000,000,000,000,000,000,000,000 over 99,999 years, of which £3 and £4.\n",
        MINIMAL_FRONT.replace(
            "key_decision: false\n",
            "key_decision: false\nfigures:\n  big: \"£79,228,162,514,264,337,593,543,950,335\"\n  bigger: \"= big * big + big\"\n",
        )
    );
    let dir = temp_paper(&[("report.md", report.into_bytes())]);
    let (code, diags) = json_codes(dir.path());
    assert_eq!(code, 1, "{diags:?}");
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_clerk(&[
        "build",
        dir.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        out.path().join("site").to_str().unwrap(),
    ]);
    assert!(code == 0 || code == 1, "{code}: {stdout}{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn thousands_of_nested_emphasis_markers_build_without_a_crash() {
    let body = format!(
        "{MINIMAL_FRONT}\n{}deep{}\n\n{}x{}\n\n{}link{}\n",
        "*".repeat(5_000),
        "*".repeat(5_000),
        "**_".repeat(3_000),
        "_**".repeat(3_000),
        "[".repeat(3_000),
        "](x)".repeat(3_000)
    );
    let dir = temp_paper(&[("report.md", body.into_bytes())]);
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_clerk(&[
        "build",
        dir.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        out.path().join("site").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let page = fs::read_to_string(out.path().join("site/paper/index.html")).unwrap();
    assert!(page.contains("deep"), "the text survives the flattening");
}

#[test]
fn every_front_matter_mistake_is_reported_and_the_rest_still_checked() {
    let report = "---\ntitle: A paper\nclassificaton: Unrestricted\nclassification: Unrestricted\nkey_decision: false\ncomittee: Cabinet\nspending: \"£30\"\n---\n\n## Costs\n\n| Item | Cost |\n|---|---:|\n| A | £10 |\n| B | £20 |\n| Total | £40 |\n";
    let dir = temp_paper(&[("report.md", report.as_bytes().to_vec())]);
    let (code, diags) = json_codes(dir.path());
    assert_eq!(code, 1);
    let codes: Vec<(&str, u64)> = diags.iter().map(|(c, _, l)| (c.as_str(), *l)).collect();
    assert!(codes.contains(&("C0108", 3)), "{codes:?}");
    assert!(codes.contains(&("C0108", 6)), "{codes:?}");
    assert!(codes.contains(&("C0201", 16)), "{codes:?}");
}

#[test]
fn a_paper_whose_front_matter_has_errors_is_never_published() {
    let report = "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\ncomittee: Cabinet\n---\n\n## Summary\n\nNothing to see.\n";
    let dir = temp_paper(&[("report.md", report.as_bytes().to_vec())]);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stdout, _) = run_clerk(&[
        "build",
        dir.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        site.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("C1004"), "{stdout}");
    assert!(!site.join("paper").exists(), "{stdout}");
}

#[test]
fn recommendations_typed_on_consecutive_lines_are_read_one_by_one() {
    let report = "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\nrecommendations:\n  - id: i\n    text: To extend library opening hours on Saturdays.\n  - id: ii\n    text: To review the change after a year.\n  - id: iii\n    text: To publish the review.\n---\n\n## Recommendations\n\ni. To extend library opening hours on Saturdays.\nii. To review the change after a year.\niii. To publish the review.\n";
    let dir = temp_paper(&[("report.md", report.as_bytes().to_vec())]);
    let (_, diags) = json_codes(dir.path());
    assert!(
        diags.iter().all(|(c, _, _)| c != "C0601" && c != "C0602"),
        "{diags:?}"
    );
    // And a real drift in one of them is still found, and only that one.
    let drifted = report.replace(
        "ii. To review the change after a year.",
        "ii. To review the change after two years.",
    );
    let dir = temp_paper(&[("report.md", drifted.into_bytes())]);
    let (_, diags) = json_codes(dir.path());
    let wording: Vec<_> = diags.iter().filter(|(c, _, _)| c == "C0601").collect();
    assert_eq!(wording.len(), 1, "{diags:?}");
}

#[test]
fn a_count_repeated_with_its_digits_swapped_is_reported_once() {
    let report = format!(
        "{MINIMAL_FRONT}\n## Summary\n\nThe service supported 2,162 families last year.\n\n## Detail\n\nOf the 2,126 families supported, most were referred by schools. In 2022 we saw 1,300 families and in 2023 1,030 families.\n"
    );
    let dir = temp_paper(&[("report.md", report.into_bytes())]);
    let (_, diags) = json_codes(dir.path());
    // A count's own code (C0411), no longer the percentage code: the two counts are of one
    // subject and period; the two of 2022 and 2023 are not.
    let repeated: Vec<_> = diags
        .iter()
        .filter(|(c, _, _)| c == "C0411" || c == "C0408")
        .collect();
    assert_eq!(repeated.len(), 1, "{diags:?}");
    assert_eq!(repeated[0].0, "C0411", "{diags:?}");
    assert_eq!(repeated[0].2, 13, "{diags:?}");
}
