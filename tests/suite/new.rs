//! `clerk new`: a paper started from the council's house rules, whose placeholders
//! `clerk check` flags until every one is filled in.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn clerk(args: &[&str]) -> (i32, String, String) {
    crate::common::clerk(args, &crate::common::repo())
}

fn council_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("papers/council.yaml"),
        dir.path().join("council.yaml"),
    )
    .unwrap();
    dir
}

#[test]
fn a_new_paper_has_the_councils_sections_and_its_placeholders_are_flagged() {
    let tree = council_tree();
    let paper = tree.path().join("21-00123-library");
    let (code, stdout, stderr) = clerk(&[
        "new",
        paper.to_str().unwrap(),
        "--decision",
        "21/00123",
        "--title",
        "Library \"Hours\": a review",
        "--with-decision",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report = fs::read_to_string(paper.join("report.md")).unwrap();
    for section in [
        "## Summary",
        "## Recommendations",
        "## Financial Implications",
        "## Legal Implications",
        "## Background Documents",
        "## Contact Details",
    ] {
        assert!(report.contains(section), "{section} missing:\n{report}");
    }
    assert!(
        report.contains(r#"title: "Library \"Hours\": a review""#),
        "the title is quoted safely:\n{report}"
    );
    assert!(paper.join("decision.md").is_file());
    // Checking it: placeholders flagged, and nothing else wrong with a fresh paper.
    let (code, stdout, _) = clerk(&["check", tree.path().to_str().unwrap(), "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.iter().filter(|c| **c == "C0711").count() >= 10,
        "{codes:?}"
    );
    assert!(
        codes.iter().all(|c| *c == "C0711"),
        "a fresh paper has only placeholders to fill: {codes:?}"
    );
    assert_eq!(code, 0, "placeholders are warnings");
    // Filling them in leaves a clean paper.
    for file in ["report.md", "decision.md"] {
        let path = paper.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let filled = regex_lite_replace(&text);
        fs::write(&path, filled).unwrap();
    }
    let (code, stdout, _) = clerk(&["check", tree.path().to_str().unwrap(), "--color", "never"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("0 errors, 0 warnings"), "{stdout}");
}

/// Fills every `[TBC …]` with plain words (and the e-mail with an address).
fn regex_lite_replace(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("[TBC") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find(']')
            .map_or(rest.len(), |e| start + e + 1);
        let after = &rest[end..];
        out.push_str(if after.starts_with("@") {
            "sam.reader"
        } else if rest[start..end].contains("role") {
            "Cabinet Member for Communities"
        } else if rest[start..end].contains("decides") {
            "Alex Green"
        } else {
            "Filled in"
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[test]
fn clerk_new_never_overwrites_a_paper() {
    let tree = council_tree();
    let paper = tree.path().join("p");
    fs::create_dir(&paper).unwrap();
    fs::write(paper.join("report.md"), "mine").unwrap();
    let (code, _, stderr) = clerk(&["new", paper.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(fs::read_to_string(paper.join("report.md")).unwrap(), "mine");
}

#[test]
fn completions_and_help() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, _) = clerk(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(
            stdout.contains("clerk") && stdout.contains("pack"),
            "{shell}"
        );
    }
    for command in ["check", "build", "pack", "new", "templates", "completions"] {
        let (code, stdout, _) = clerk(&[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        assert!(
            stdout.contains("Example"),
            "{command} --help has an example:\n{stdout}"
        );
    }
    let (_, version, _) = clerk(&["--version"]);
    assert!(version.starts_with("clerk "), "{version}");
}

/// Builds the tree with PDFs; the paper's report page and the text of its PDF.
fn published(tree: &std::path::Path, paper: &str) -> [(&'static str, String); 2] {
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let (code, stdout, stderr) = clerk(&[
        "build",
        tree.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let html = fs::read_to_string(out.join(paper).join("index.html")).unwrap();
    let pdf = Command::new("pdftotext")
        .arg(out.join(paper).join("report.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(pdf.status.success(), "pdftotext reads report.pdf");
    [
        ("HTML", html),
        ("PDF", String::from_utf8_lossy(&pdf.stdout).into_owned()),
    ]
}

/// Asserts each output has one contact section listing every detail of the contact.
fn contacts_listed(outputs: &[(&str, String)], heading: &str) {
    for (what, text) in outputs {
        let sections =
            text.matches("Contact Details").count() + text.matches("Contact details").count();
        assert_eq!(sections, 1, "one contact section in the {what}:\n{text}");
        let at = text
            .find(heading)
            .unwrap_or_else(|| panic!("no {heading:?} in the {what}"));
        let section = text[at..].split_whitespace().collect::<Vec<_>>().join(" ");
        for shown in [
            "Sam Reader",
            "Head of Libraries",
            "03000 412345",
            "sam.reader@kent.gov.uk",
        ] {
            assert!(
                section.contains(shown),
                "{shown} under {heading} in the {what}:\n{section}"
            );
        }
        assert!(!text.contains("See the contacts"), "{what}:\n{text}");
    }
}

#[test]
fn a_new_papers_contacts_are_published_under_its_contact_details_heading() {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
    let tree = council_tree();
    let paper = tree.path().join("21-00123-library");
    let (code, stdout, stderr) =
        clerk(&["new", paper.to_str().unwrap(), "--title", "Library Hours"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report = paper.join("report.md");
    let text = fs::read_to_string(&report).unwrap();
    assert!(
        !text.contains("See the contacts"),
        "no placeholder sentence to publish:\n{text}"
    );
    let text = regex_lite_replace(&text.replace("[TBC: contact name]", "Sam Reader").replace(
        "role: \"[TBC: contact role]\"",
        "role: Head of Libraries\n    phone: \"03000 412345\"",
    ));
    fs::write(&report, &text).unwrap();
    // Under the section the council requires, which `clerk new` wrote.
    contacts_listed(
        &published(tree.path(), "21-00123-library"),
        "Contact Details",
    );
    // And in a section of their own when the body has none (a council that does not ask for it).
    let council = tree.path().join("council.yaml");
    let rules = fs::read_to_string(&council).unwrap();
    fs::write(&council, rules.replace("  - Contact Details\n", "")).unwrap();
    fs::write(&report, text.replace("## Contact Details", "")).unwrap();
    contacts_listed(
        &published(tree.path(), "21-00123-library"),
        "Contact details",
    );
}
