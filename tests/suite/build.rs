//! `clerk build` end to end: the site, the PDFs, determinism, safety of paper text, and where
//! files are written. PDF tests need typst 0.15 (`scripts/test.sh` installs it; see README).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{clerk, copy_tree, repo, Clerk};

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().to_string_lossy().contains("/.clerk/"))
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn typst_available() -> bool {
    clerk::render::typst::find().is_ok()
}

/// A tree with one paper whose text tries every way of becoming code.
fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("council.yaml"),
        "name: Test Council\njurisdiction: England\nemail_domains: [test.gov.uk]\n",
    )
    .unwrap();
    let paper = dir.path().join("hostile");
    fs::create_dir(&paper).unwrap();
    let report = r#"---
title: "Hostile #read(\"/etc/passwd\") <script>alert('t')</script>"
classification: Unrestricted
key_decision: false
recommendations:
  - id: i
    text: "Agree #include \"/etc/passwd\" and $x^2$ and <img src=x onerror=alert(1)>"
---

## Summary

TYPST-READ #read("/etc/passwd") and #include "/etc/hostname" and #eval("1+1") here.

MATHS $x^2$ REF @ref LABEL <label> STARS 5 * 3 * 2 and \*escaped stars\* UNDER snake_case_word SLASH \ end.

<script>alert("x")</script>

RAWHTML <b onclick="alert(1)">bold?</b> end.

[click me](javascript:alert(1)) and [data](data:text/html,hi) and [ok](https://example.org).

BRACES {{ 7*7 }} and {% include "x" %}.

MARKED {{ <img src=y onerror=alert(2)> }} end.

| Item | Cost |
|---|---:|
| #read("/etc/passwd") | £1 |
| Total | £1 |
"#;
    fs::write(paper.join("report.md"), report).unwrap();
    dir
}

#[test]
fn builds_the_example_papers_as_an_accessible_site() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = clerk(
        &[
            "build",
            "papers",
            "--out",
            out.path().to_str().unwrap(),
            "--no-pdf",
        ],
        &repo(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let site = files(out.path());
    for page in [
        "index.html",
        "20-00017-early-help/index.html",
        "20-00017-early-help/decision.html",
        "20-00102-community-support/decision.html",
        "central-bedfordshire/support-services-recommissioning/index.html",
        "children-in-care-update/index.html",
        "review/20-00017-early-help/index.html",
        "assets/clerk.css",
    ] {
        assert!(
            site.contains_key(page),
            "{page} missing; have {:?}",
            site.keys().collect::<Vec<_>>()
        );
    }
    for (name, bytes) in site.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(html.contains(r#"<html lang="en-GB">"#), "{name}: lang");
        assert_eq!(html.matches("<h1").count(), 1, "{name}: one h1");
        assert!(html.contains(r##"href="#main""##), "{name}: skip link");
        // No JavaScript, but on the search page, where the search runs in the browser (the
        // page is the list of papers without it). A meeting's page holds its schema.org data,
        // which is JSON no browser runs.
        if name != "search/index.html" {
            let scripts = html.matches("<script").count();
            let data = html
                .matches(r#"<script type="application/ld+json">"#)
                .count();
            assert_eq!(scripts, data, "{name}: no JavaScript");
            assert_eq!(data, usize::from(name.starts_with("meetings/")), "{name}");
        }
        // Headings never skip a level going down.
        let mut last = 1;
        for level in html
            .match_indices("<h")
            .filter_map(|(i, _)| html[i + 2..].chars().next()?.to_digit(10))
        {
            assert!(level <= last + 1, "{name}: h{last} followed by h{level}");
            last = level;
        }
    }
    // Figures are typed once and quoted: the corrected total appears, formatted.
    let report = String::from_utf8_lossy(&site["20-00017-early-help/index.html"]).into_owned();
    assert!(report.contains("£425,484.88"), "the figure is filled in");
    assert!(!report.contains("{{"), "no placeholder is left in");
    assert!(
        report.contains(r#"<th scope="col""#) && report.contains("<caption>"),
        "tables have headers and captions"
    );
    // The public pages never link to the review view.
    for (name, bytes) in site
        .iter()
        .filter(|(n, _)| n.ends_with(".html") && !n.starts_with("review/"))
    {
        assert!(
            !String::from_utf8_lossy(bytes).contains("review/"),
            "{name} links to a review page"
        );
    }
    // The index lists every decision, key decisions marked.
    let index = String::from_utf8_lossy(&site["index.html"]).into_owned();
    for number in ["20/00017", "20/00102"] {
        assert!(index.contains(number), "index lists {number}");
    }
    assert!(index.contains("Key decision"));
}

#[test]
fn papers_with_errors_render_under_a_banner_and_fail_the_build() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &[
            "build",
            "tests/fixtures/seeds",
            "--out",
            out.path().to_str().unwrap(),
            "--no-pdf",
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}");
    let page = fs::read_to_string(out.path().join("20-00017-early-help/index.html")).unwrap();
    assert!(page.contains("Unresolved problems"), "banner");
    assert!(
        page.contains("review/20-00017-early-help/index.html"),
        "the banner links to the review page"
    );
    let review =
        fs::read_to_string(out.path().join("review/20-00017-early-help/index.html")).unwrap();
    assert!(
        review.contains("C0401") && review.contains("£425,484 is £0.88 short"),
        "findings are marked in the review"
    );
    // A clean paper in the same tree has no banner.
    let clean = fs::read_to_string(out.path().join("children-in-care-update/index.html")).unwrap();
    assert!(
        !clean.contains("Unresolved problems"),
        "only papers with errors carry the banner"
    );
}

#[test]
fn paper_text_is_escaped_in_html() {
    let tree = hostile_tree();
    let out = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = clerk(
        &[
            "build",
            tree.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
            "--no-pdf",
        ],
        &repo(),
    );
    let html = fs::read_to_string(out.path().join("hostile/index.html"))
        .unwrap_or_else(|e| panic!("{e}\n{stdout}{stderr}"));
    assert!(!html.contains("<script"), "a script element got through");
    assert!(!html.contains("<b onclick"), "raw HTML got through");
    assert!(
        !html.contains("<img"),
        "raw HTML in front matter got through"
    );
    assert!(
        !html.to_lowercase().contains("javascript:"),
        "a javascript: link got through"
    );
    assert!(!html.contains("href=\"data:"), "a data: link got through");
    assert!(
        html.contains("href=\"https://example.org\""),
        "a safe link is kept"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "the script is shown as text"
    );
    assert!(
        html.contains("#read(&quot;/etc/passwd&quot;)"),
        "typst code shown as text"
    );
    assert!(
        html.contains("{{ 7*7 }}"),
        "braces are shown, not evaluated"
    );
    assert!(!html.contains("root:x:0:0"), "no file was read");
    // The review page marks a finding's text within its line, escaped like every other piece.
    let review = fs::read_to_string(out.path().join("review/hostile/index.html")).unwrap();
    assert!(
        review.contains("<mark>{{ &lt;img src=y onerror=alert(2)&gt; }}</mark>"),
        "the marked text is escaped"
    );
    for raw in ["<script", "<b onclick", "<img"] {
        assert!(
            !review.contains(raw),
            "{raw} got through on the review page"
        );
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let pdf = typst_available();
    let mut args = vec!["build", "papers"];
    if !pdf {
        args.push("--no-pdf");
    }
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for out in [&a, &b] {
        let mut run = args.clone();
        run.extend(["--out", out.path().to_str().unwrap()]);
        let (code, stdout, stderr) = clerk(&run, &repo());
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between builds");
    }
    if pdf {
        assert!(fa.keys().any(|k| k.ends_with(".pdf")), "PDFs were made");
    }
}

#[test]
fn writes_only_inside_the_output_folder_and_never_modifies_sources() {
    let before = files(&repo().join("papers"));
    let parent = tempfile::tempdir().unwrap();
    let out = parent.path().join("out");
    let (code, _, _) = clerk(
        &[
            "build",
            "papers",
            "--out",
            out.to_str().unwrap(),
            "--no-pdf",
        ],
        &repo(),
    );
    assert_eq!(code, 0);
    let beside: Vec<_> = fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        beside,
        vec![std::ffi::OsString::from("out")],
        "nothing written beside the output folder"
    );
    assert!(
        files(&out).keys().all(|k| !k.contains(".tmp")),
        "no temporary file is left"
    );
    assert_eq!(before, files(&repo().join("papers")), "sources unchanged");
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symlink_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let elsewhere = parent.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, parent.path().join("out")).unwrap();
    let (code, _, stderr) = clerk(
        &[
            "build",
            "papers",
            "--out",
            parent.path().join("out").to_str().unwrap(),
            "--no-pdf",
        ],
        &repo(),
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert!(fs::read_dir(&elsewhere).unwrap().next().is_none());
}

#[test]
fn a_broken_template_names_the_paper_and_the_others_still_build() {
    let templates = tempfile::tempdir().unwrap();
    fs::create_dir(templates.path().join("html")).unwrap();
    // A decision template that fails at render time: only papers with a record are hit.
    fs::write(
        templates.path().join("html/decision.html"),
        "{% extends \"base.html\" %}{% block main %}{{ no_such.value }}{% endblock main %}",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &[
            "build",
            "papers",
            "--out",
            out.path().to_str().unwrap(),
            "--no-pdf",
            "--templates",
            templates.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[C0801]") && stdout.contains("papers/20-00017-early-help"),
        "{stdout}"
    );
    assert!(
        out.path()
            .join("children-in-care-update/index.html")
            .is_file(),
        "other papers still build"
    );
}

#[test]
fn templates_export_writes_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &["templates", "export", dir.path().to_str().unwrap()],
        &repo(),
    );
    assert_eq!(code, 0);
    for f in [
        "html/base.html",
        "html/report.html",
        "html/assets/clerk.css",
        "typst/paper.typ",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}: {stdout}");
    }
}

/// A template saved at a path clerk does not read is said (C0803), with where it should go;
/// the exported defaults, all at their paths, raise nothing.
#[test]
fn a_template_that_overrides_nothing_is_a_warning_naming_its_place() {
    let templates = tempfile::tempdir().unwrap();
    let (code, _, _) = clerk(
        &["templates", "export", templates.path().to_str().unwrap()],
        &repo(),
    );
    assert_eq!(code, 0);
    let build = |templates: &Path| {
        let out = tempfile::tempdir().unwrap();
        clerk(
            &[
                "build",
                "papers",
                "--no-pdf",
                "--out",
                out.path().to_str().unwrap(),
                "--templates",
                templates.to_str().unwrap(),
            ],
            &repo(),
        )
    };
    let (code, stdout, _) = build(templates.path());
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("C0803"), "{stdout}");
    fs::write(templates.path().join("report.html"), "<p>mine</p>").unwrap();
    fs::write(templates.path().join("html/footer.html"), "<p>mine</p>").unwrap();
    let (code, stdout, _) = build(templates.path());
    assert_eq!(code, 0, "a warning: {stdout}");
    assert_eq!(stdout.matches("warning[C0803]").count(), 2, "{stdout}");
    assert!(
        stdout.contains("move it to") && stdout.contains("html/report.html"),
        "{stdout}"
    );
}

/// PDF tests need typst; scripts/test.sh installs it, and a missing one fails loudly here.
fn require_typst() {
    assert!(
        typst_available(),
        "typst 0.15 is needed for PDF tests: {}",
        clerk::render::typst::manual_install()
    );
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pdfs_are_tagged_titled_and_bookmarked() {
    require_typst();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = clerk(
        &["build", "papers", "--out", out.path().to_str().unwrap()],
        &repo(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let pdf = out.path().join("20-00017-early-help/report.pdf");
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Early Help Recommissioning"),
        "{info}"
    );
    assert!(
        info.contains("2020"),
        "stamped with the paper's date: {info}"
    );
    let xml = out.path().join("outline");
    Command::new("pdftohtml")
        .args(["-q", "-s", "-i", "-xml"])
        .arg(&pdf)
        .arg(&xml)
        .output()
        .expect("pdftohtml runs");
    let xml = fs::read_to_string(out.path().join("outline.xml")).unwrap();
    assert!(
        xml.contains("<outline>") && xml.matches("<item").count() >= 10,
        "bookmarks from the headings"
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("Page 1 of"), "page numbers");
    assert!(
        text.contains("£2,924,295.28") && text.contains("£425,484.88"),
        "figures and tables"
    );
    let record = pdf_text(&out.path().join("20-00017-early-help/decision.pdf"));
    for heading in [
        "Record of decision",
        "Reasons for decision",
        "Alternatives considered and rejected",
        "Interests declared",
    ] {
        assert!(record.contains(heading), "record lacks {heading}");
    }
}

#[test]
fn paper_text_comes_out_literally_in_the_pdf() {
    require_typst();
    let tree = hostile_tree();
    let out = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = clerk(
        &[
            "build",
            tree.path().to_str().unwrap(),
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    let pdf = out.path().join("hostile/report.pdf");
    assert!(pdf.is_file(), "{stdout}{stderr}");
    let text = pdf_text(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for literal in [
        r#"#read("/etc/passwd")"#,
        r#"#include "/etc/hostname""#,
        r#"#eval("1+1")"#,
        "$x^2$",
        "@ref",
        "<label>",
        "5 * 3 * 2",
        "*escaped stars*",
        "snake_case_word",
        r"SLASH \ end",
        r#"<script>alert("x")</script>"#,
        "{{ 7*7 }}",
    ] {
        assert!(
            text.contains(literal),
            "{literal:?} is not shown literally in:\n{text}"
        );
    }
    assert!(!text.contains("root:x:0:0"), "a file was read");
}

#[test]
fn a_typst_failure_names_the_paper_and_the_others_still_build() {
    require_typst();
    let templates = tempfile::tempdir().unwrap();
    fs::create_dir(templates.path().join("typst")).unwrap();
    // Fails only for records: their data has a record; reports' do not.
    let default = clerk::render::TYPST_TEMPLATES[0].1;
    let broken =
        format!("{default}\n#if data.kind == \"decision\" {{ panic(\"no records today\") }}\n");
    fs::write(templates.path().join("typst/paper.typ"), broken).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &[
            "build",
            "papers",
            "--out",
            out.path().to_str().unwrap(),
            "--templates",
            templates.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[C0802]")
            && stdout.contains("papers/20-00017-early-help/decision.pdf"),
        "{stdout}"
    );
    assert!(
        out.path().join("20-00017-early-help/report.pdf").is_file(),
        "the report still builds"
    );
    assert!(
        !out.path().join("20-00017-early-help/decision.pdf").exists(),
        "no broken PDF is left"
    );
}

#[test]
fn a_rebuild_with_nothing_changed_runs_typst_for_nothing() {
    require_typst();
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let out = tempfile::tempdir().unwrap();
    let args = [
        "build",
        tree.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ];
    let (_, first, _) = clerk(&args, &repo());
    assert!(first.contains("6 PDFs made (0 unchanged)"), "{first}");
    let (_, second, _) = clerk(&args, &repo());
    assert!(second.contains("0 PDFs made (6 unchanged)"), "{second}");
    // Change one paper: only its PDF is made again.
    let report = tree.path().join("children-in-care-update/report.md");
    let text = fs::read_to_string(&report)
        .unwrap()
        .replace("Introduction", "Introduction and purpose");
    fs::write(&report, text).unwrap();
    let (_, third, _) = clerk(&args, &repo());
    assert!(third.contains("1 PDF made (5 unchanged)"), "{third}");
}

#[test]
fn missing_typst_says_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = Clerk::new(&["build", "papers", "--out", out.path().to_str().unwrap()])
        .env("CLERK_CACHE", empty.path())
        .env("PATH", empty.path())
        .env_remove("CLERK_TYPST")
        .run();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cargo install typst-cli --locked --version 0.15.1"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-pdf"), "{stderr}");
    // Separate sentences, each ending in a full stop and the next starting with a capital.
    assert!(
        stderr.contains("PDFs cannot be made. To make them, install it with `cargo install"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a typst 0.15.x binary. Or build without PDFs: `clerk build --no-pdf`."),
        "{stderr}"
    );
}

#[test]
fn an_unchanged_paper_is_reused_with_the_same_findings() {
    let out = tempfile::tempdir().unwrap();
    let args = [
        "build",
        "tests/fixtures/seeds",
        "--no-pdf",
        "--color",
        "never",
        "--out",
        out.path().to_str().unwrap(),
    ];
    let (c1, first, _) = clerk(&args, &repo());
    let (c2, second, _) = clerk(&args, &repo());
    assert_eq!((c1, c2), (1, 1));
    assert_eq!(
        first, second,
        "a reused paper reports what it reported before, snippets and all"
    );
    assert!(second.contains("£425,484 is £0.88 short"));
}

#[test]
fn a_changed_council_yaml_rechecks_the_papers_it_governs() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let out = tempfile::tempdir().unwrap();
    let args = [
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--color",
        "never",
        "--out",
        out.path().to_str().unwrap(),
    ];
    let (code, _, _) = clerk(&args, &repo());
    assert_eq!(code, 0);
    // Kent's domain list loses kent.gov.uk: every Kent contact is now outside it.
    let council = tree.path().join("council.yaml");
    let text = fs::read_to_string(&council)
        .unwrap()
        .replace("kent.gov.uk", "example.gov.uk");
    fs::write(&council, text).unwrap();
    let (code, stdout, _) = clerk(&args, &repo());
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("C0709"), "{stdout}");
    // The other council's paper is unaffected.
    assert!(
        !stdout.contains("central-bedfordshire/support-services-recommissioning/report.md"),
        "{stdout}"
    );
}

#[test]
fn paragraphs_are_numbered_unless_the_author_numbered_them() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("council.yaml"),
        "name: Test Council\njurisdiction: England\n",
    )
    .unwrap();
    fs::create_dir(dir.path().join("plain")).unwrap();
    fs::write(
        dir.path().join("plain/report.md"),
        "---\ntitle: Plain\nclassification: Unrestricted\nkey_decision: false\n---\n\n## Summary\n\nNot numbered.\n\n## Introduction\n\nFirst.\n\n- a list item\n\nSecond.\n\n## Financial Implications\n\nThird.\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &[
            "build",
            dir.path().to_str().unwrap(),
            "--no-pdf",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 0, "{stdout}");
    let html = fs::read_to_string(out.path().join("plain/index.html")).unwrap();
    let compact: String = html.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        compact.contains(r#"<h2 id="summary">Summary</h2>"#),
        "the Summary is not numbered: {compact}"
    );
    assert!(
        compact.contains(r#"<span class="num">1.</span> Introduction"#),
        "{compact}"
    );
    assert!(
        compact.contains(r#"<span class="num">1.1</span> First."#),
        "{compact}"
    );
    assert!(
        compact.contains(r#"<span class="num">1.2</span> Second."#),
        "list items are not numbered: {compact}"
    );
    assert!(
        compact.contains(r#"<span class="num">2.1</span> Third."#),
        "{compact}"
    );
    assert!(compact.contains("<p>Not numbered.</p>"), "{compact}");
    // The example papers are numbered by hand: clerk adds no numbers of its own.
    let out2 = tempfile::tempdir().unwrap();
    clerk(
        &[
            "build",
            "papers",
            "--no-pdf",
            "--out",
            out2.path().to_str().unwrap(),
        ],
        &repo(),
    );
    let report = fs::read_to_string(out2.path().join("20-00017-early-help/index.html")).unwrap();
    assert!(
        report.contains(r#"<span class="num">1.1</span>"#)
            && !report.contains(r#"<span class="num">1.</span> Summary"#)
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_papers_folder_is_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    fs::create_dir(outside.path().join("secret")).unwrap();
    fs::write(
        outside.path().join("secret/report.md"),
        "---\ntitle: SECRET OUTSIDE PAPER\nclassification: Unrestricted\nkey_decision: false\n---\nsecret text\n",
    )
    .unwrap();
    let tree = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("papers/children-in-care-update"),
        &tree.path().join("update"),
    );
    fs::copy(
        repo().join("papers/council.yaml"),
        tree.path().join("council.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), tree.path().join("linked")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret/report.md"),
        tree.path().join("update/appendix-a.md"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = clerk(
        &[
            "build",
            tree.path().to_str().unwrap(),
            "--no-pdf",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("1 paper built"),
        "only the real paper: {stdout}"
    );
    for (name, bytes) in files(out.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET OUTSIDE PAPER"),
            "{name} holds text from outside the tree"
        );
    }
}

#[test]
fn the_review_page_says_what_explains_every_amount() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stdout, stderr) = clerk(
        &[
            "build",
            "tests/fixtures/seeds",
            "--no-pdf",
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    let page = fs::read_to_string(site.join("review/20-00017-early-help/index.html")).unwrap();
    let amounts = &page[page.find("id=\"amounts\"").expect("an Amounts section")..];
    let rows: Vec<&str> = amounts.split("<tr class=\"verdict").skip(1).collect();
    let row = |amount: &str| {
        rows.iter()
            .find(|r| r.contains(&format!(">{amount}<")))
            .unwrap_or_else(|| panic!("no row for {amount}"))
            .to_string()
    };
    // The real slip is named with its arithmetic, at its line.
    let slip = row("£425,484");
    assert!(
        slip.contains(">slip<") && slip.contains("£325,484.88 + £100,000"),
        "{slip}"
    );
    assert!(slip.contains("href=\"#report-md-l"), "{slip}");
    // A correct amount shows what explains it.
    let fine = row("£325k");
    assert!(
        fine.contains("explained") && fine.contains("£325,484.88"),
        "{fine}"
    );
    // And one from outside the paper says so.
    assert!(rows.iter().any(|r| r.contains("unexplained")), "{amounts}");
}

#[test]
fn a_page_another_hand_changed_is_made_again() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = || {
        let (code, stdout, stderr) = clerk(
            &[
                "build",
                "papers",
                "--no-pdf",
                "--out",
                site.to_str().unwrap(),
            ],
            &repo(),
        );
        assert_eq!(code, 0, "{stdout}{stderr}");
    };
    build();
    let page = site.join("20-00017-early-help/index.html");
    let made = fs::read(&page).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&page, "a foreign page").unwrap();
    build();
    assert_eq!(
        fs::read(&page).unwrap(),
        made,
        "the cache trusted a file it did not write"
    );
}

#[test]
fn jobs_outside_one_to_256_are_refused() {
    let out = tempfile::tempdir().unwrap();
    for jobs in ["0", "257", "99999999999", "-1"] {
        let (code, _, stderr) = clerk(
            &[
                "build",
                "papers",
                "--no-pdf",
                "--jobs",
                jobs,
                "--out",
                out.path().to_str().unwrap(),
            ],
            &repo(),
        );
        assert_eq!(code, 2, "--jobs {jobs}: {stderr}");
        assert!(
            stderr.contains("--jobs") || stderr.contains(jobs),
            "{stderr}"
        );
    }
}

/// The review page of the seed paper, built from tests/fixtures/seeds.
fn seed_review() -> String {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let (code, stdout, stderr) = clerk(
        &[
            "build",
            "tests/fixtures/seeds",
            "--no-pdf",
            "--out",
            site.to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    fs::read_to_string(site.join("review/20-00017-early-help/index.html")).unwrap()
}

/// The element with `id` on a page, up to its closing `</div>`.
fn element<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element {id}"));
    let rest = &page[at..];
    &rest[..rest.find("</div>").unwrap_or(rest.len())]
}

#[test]
fn the_review_page_lists_every_finding_and_marks_its_text() {
    let page = seed_review();
    let summary = page.find("id=\"summary\"").expect("a summary");
    let at = page.find("id=\"findings\"").expect("a list of findings");
    assert!(summary < at, "the findings come after the summary");
    assert!(
        at < page.find("id=\"report-md\"").unwrap(),
        "and before the source"
    );
    let list = &page[at..at + page[at..].find("</ol>").unwrap()];
    let items: Vec<&str> = list.split("<li").skip(1).collect();
    let counted = |word: &str| -> usize {
        let s = &page[summary..];
        let end = s.find(&format!(" {word}")).unwrap();
        s[..end]
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(
        items.len(),
        counted("error") + counted("warning"),
        "every finding is listed: {list}"
    );
    // Each finding gives its severity, code, message and file:line, linking to its line.
    for item in &items {
        let href = item
            .split("href=\"#")
            .nth(1)
            .and_then(|h| h.split('"').next())
            .unwrap_or_else(|| panic!("no link to the line: {item}"));
        element(&page, href);
        assert!(
            item.contains("error C") || item.contains("warning C"),
            "{item}"
        );
    }
    // The near miss: its own amount is marked within its line.
    let slip = items
        .iter()
        .find(|i| i.contains("C0401") && i.contains("£425,484 is £0.88 short"))
        .expect("the C0401 finding is listed");
    assert!(slip.contains(".md:"), "file:line: {slip}");
    let line = slip
        .split("href=\"#")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        element(&page, line).contains("<mark>£425,484</mark>"),
        "{}",
        element(&page, line)
    );
    // No recommendation is said to keep "the same words" while a finding says it drifts.
    let wording = &page[page.find("id=\"wording\"").expect("a wording list")..];
    let wording = &wording[..wording.find("</ul>").unwrap()];
    let mut drifted = 0;
    for row in wording.split("<li><strong>").skip(1) {
        let id = row.split("</strong>").next().unwrap();
        let drifts = items.iter().any(|i| {
            (i.contains("C0601") && i.contains(&format!("recommendation {id} in")))
                || (i.contains("C0507") && i.contains(&format!("decision {id} is not")))
        });
        if drifts {
            drifted += 1;
            assert!(!row.contains("the same words"), "{id}: {row}");
            assert!(
                row.contains("C0601") || row.contains("C0507"),
                "{id}: {row}"
            );
        }
    }
    assert!(
        drifted > 0,
        "the seed has a drifting recommendation: {wording}"
    );
}

/// The files of a build, by path, without clerk's own folder.
fn built(args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["build", "papers", "--out", out.path().to_str().unwrap()];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = clerk(&all, &repo());
    assert_eq!(code, 0, "{stdout}{stderr}");
    files(out.path())
}

/// Each format's files, and only them: the HTML pages with their review pages, index and
/// stylesheet; the JSON data; the PDFs. Together they are the default build.
#[test]
fn each_format_alone_writes_only_its_files() {
    require_typst();
    let ends = |files: &BTreeMap<String, Vec<u8>>, exts: &[&str]| {
        let wrong: Vec<&String> = files
            .keys()
            .filter(|f| !exts.iter().any(|e| f.ends_with(e)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:?}");
    };
    let html = built(&["--formats", "html"]);
    // The pages, stylesheet and calendar files, and the search index (Pagefind's bundle).
    let search: Vec<&String> = html.keys().filter(|f| f.starts_with("pagefind/")).collect();
    assert!(search.len() > 5, "{:?}", html.keys());
    let pages: BTreeMap<String, Vec<u8>> = html
        .iter()
        .filter(|(f, _)| !f.starts_with("pagefind/"))
        .map(|(f, b)| (f.clone(), b.clone()))
        .collect();
    ends(&pages, &[".html", ".css", ".ics"]);
    assert!(html.contains_key("index.html") && html.contains_key("assets/clerk.css"));
    assert!(html.contains_key("review/20-00017-early-help/index.html"));
    let json = built(&["--formats", "json"]);
    ends(&json, &[".json"]);
    let pdf = built(&["--formats", "pdf"]);
    ends(&pdf, &[".pdf"]);
    // Six documents' data and the meeting's, besides the open data (OParl, its own test);
    // six documents' PDFs and the forward plan's.
    let oparl = json.keys().filter(|f| f.starts_with("oparl/")).count();
    assert!(oparl > 10, "{:?}", json.keys());
    assert_eq!((json.len() - oparl, pdf.len()), (7, 7), "{:?}", pdf.keys());
    let everything = built(&[]);
    let mut parts = json.clone();
    parts.extend(pdf.clone());
    // The HTML pages of a build without PDFs do not link to them: the rest is the same.
    let with_pdf_links = built(&["--formats", "pdf,html"]);
    assert!(with_pdf_links
        .keys()
        .all(|f| !f.ends_with(".json") || f.starts_with("pagefind/")));
    parts.extend(with_pdf_links);
    // The open data lists each paper's files in every format the build makes, so only the
    // default build's lists them all.
    let data = |files: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .filter(|(f, _)| !f.starts_with("oparl/"))
            .map(|(f, b)| (f.clone(), b.clone()))
            .collect()
    };
    assert!(
        data(&parts) == data(&everything),
        "json + pdf + html differ from the default build"
    );
    let paper = String::from_utf8_lossy(&everything["oparl/paper/20-00017-early-help.json"]);
    for file in ["index.html", "report.pdf", "decision.html", "decision.pdf"] {
        assert!(
            paper.contains(&format!("20-00017-early-help/{file}")),
            "{paper}"
        );
    }
    assert_eq!(
        built(&["--formats", "json,html,pdf"]),
        everything,
        "the order of --formats does not matter"
    );
}

#[test]
fn no_pdf_is_formats_html_json_byte_for_byte() {
    let no_pdf = built(&["--no-pdf"]);
    assert!(no_pdf.keys().all(|f| !f.ends_with(".pdf")));
    assert!(no_pdf.contains_key("20-00017-early-help/report.json"));
    assert!(no_pdf == built(&["--formats", "html,json"]));
    assert!(no_pdf == built(&["--formats", "json", "--formats", "html"]));
}

#[test]
fn an_unknown_format_is_refused_before_any_work() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let s = site.to_str().unwrap();
    for args in [
        vec!["build", "papers", "--out", s, "--formats", "html,csv"],
        vec!["build", "papers", "--out", s, "--formats", ""],
        vec![
            "build",
            "papers",
            "--out",
            s,
            "--formats",
            "html",
            "--no-pdf",
        ],
    ] {
        let (code, _, stderr) = clerk(&args, &repo());
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("--formats"), "{stderr}");
    }
    let (_, _, stderr) = clerk(&["build", "papers", "--formats", "csv"], &repo());
    assert!(
        stderr.contains("[possible values: html, pdf, json]"),
        "{stderr}"
    );
    assert!(!site.exists(), "nothing is written");
}

/// A build in fewer formats removes what an earlier build made in the others; a build in the
/// same formats again reuses every paper; each format is counted on its own.
#[test]
fn changing_formats_removes_the_others_and_counts_each() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let (_, first, _) = clerk(&["build", "papers", "--out", o, "--no-pdf"], &repo());
    assert!(first.contains(": 6 pages; 0 errors"), "{first}");
    let (_, json, _) = clerk(
        &["build", "papers", "--out", o, "--formats", "json"],
        &repo(),
    );
    // Every page, review page, the index, the stylesheet, four committees' pages, the
    // meeting's page and its calendar file, the search page and the search index.
    let removed: usize = json
        .split("removed ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{json}"));
    assert!(
        removed > 19 && json.contains("files an earlier run left"),
        "{json}"
    );
    assert!(
        json.contains(&format!("4 papers built into {o}; 0 errors")),
        "{json}"
    );
    assert!(files(out.path()).keys().all(|f| f.ends_with(".json")));
    let (_, again, _) = clerk(
        &["build", "papers", "--out", o, "--formats", "json"],
        &repo(),
    );
    assert!(!again.contains("removed"), "{again}");
    let (_, html, _) = clerk(
        &["build", "papers", "--out", o, "--formats", "html"],
        &repo(),
    );
    assert!(html.contains(": 6 pages; 0 errors"), "{html}");
}

/// A paper that still holds a drafting placeholder is a draft: `clerk build` withholds it
/// (C1006) and writes nothing of it; `--draft` publishes it under a banner; a build without
/// `--draft` after one with it removes its pages again (the cache keys on the flag).
#[test]
fn a_draft_is_published_only_when_asked_and_then_under_a_banner() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("tests/fixtures/cases/58-placeholder-left"),
        &dir.path().join("papers"),
    );
    let page = dir.path().join("site/library-hours/index.html");
    let (code, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[C1006]"), "{stdout}");
    assert!(!page.exists(), "a draft was published:\n{stdout}");

    let (code, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf", "--draft"],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("C1006"), "{stdout}");
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<strong>Draft.</strong> 1 drafting placeholder is still to be filled in"),
        "{html}"
    );

    let (code, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(
        !page.exists(),
        "the draft's page survived a build without --draft"
    );
}

/// A paper `clerk new` writes, untouched, is a draft: it is never published as it stands.
#[test]
fn an_untouched_new_paper_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), &dir.path().join("papers"));
    let (code, stdout, stderr) = clerk(&["new", "papers/fresh"], dir.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (_, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert!(
        stdout.contains("error[C1006]") && stdout.contains("papers/fresh"),
        "{stdout}"
    );
    assert!(!dir.path().join("site/fresh").exists());
}

/// The site a resident reads: the index by council, with each council's meetings (newest
/// first), committees and decision makers, and papers; a page per committee and per meeting;
/// each cover labelling its dates as what they are.
#[test]
fn the_site_has_pages_per_council_committee_and_meeting_and_covers_label_their_dates() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    // A report dated when it was written, for a decision that goes to no meeting.
    let report = tree.path().join("20-00017-early-help/report.md");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replacen("key_decision:", "date: 2020-05-14\nkey_decision:", 1),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) =
        Clerk::new(&["build", tree.path().to_str().unwrap(), "--no-pdf", "--out"])
            .arg(out.path())
            .run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    let read = |p: &str| fs::read_to_string(out.path().join(p)).unwrap();
    let index = read("index.html");
    let kent = index
        .find("<h2 id=\"kent-county-council\">")
        .expect("a Kent section");
    let beds = index
        .find("<h2 id=\"central-bedfordshire-council\">")
        .expect("a Central Bedfordshire section");
    assert!(beds < kent, "councils in order of name");
    let meeting = "meetings/2021-03-09-cype-cabinet-committee/index.html";
    assert!(index[kent..].contains(meeting), "Kent's meeting under Kent");
    assert!(!index[beds..kent].contains(meeting));
    let cype = "committees/children-s-young-people-and-education-cabinet-committee/index.html";
    assert!(index.contains(cype), "{index}");
    // The decision maker of a decision taken by one person has a page too.
    let member = read("committees/cabinet-member-for-integrated-children-s-services/index.html");
    assert!(member.contains("20/00017") && member.contains("../../20-00017-early-help/"));
    // The committee's page lists its meeting and its paper; the meeting's page its agenda in
    // order, the paper linked, the late item under its supplement, the calendar file.
    let committee = read(cype);
    assert!(committee.contains("../../meetings/2021-03-09-cype-cabinet-committee/index.html"));
    assert!(committee.contains("20/00102"));
    let page = read(meeting);
    let items: Vec<usize> = [
        "Apologies",
        "Declarations",
        "Minutes of the meeting",
        "Provision of Community Support",
        "Supplement 1",
        "Update on Children in Care",
    ]
    .iter()
    .map(|w| {
        page.find(w)
            .unwrap_or_else(|| panic!("{w} missing:\n{page}"))
    })
    .collect();
    assert!(items.windows(2).all(|w| w[0] < w[1]), "agenda out of order");
    assert!(page.contains("href=\"../../20-00102-community-support/index.html\""));
    assert!(page.contains("href=\"meeting.ics\"") && page.contains(cype));
    // No pack made: none linked.
    assert!(!page.contains("pack.pdf"), "{page}");
    // Covers: the report's own date as the report's, no Meeting row for a decision taken at
    // none; the meeting's date for a paper that goes to one; the record's date as the decision's.
    let early = read("20-00017-early-help/index.html");
    assert!(
        early.contains("<dt>Report date</dt><dd>14 May 2020</dd>"),
        "{early}"
    );
    assert!(!early.contains("<dt>Meeting</dt>"), "{early}");
    let record = read("20-00017-early-help/decision.html");
    assert!(
        record.contains("<dt>Date of decision</dt><dd>29 May 2020</dd>"),
        "{record}"
    );
    let cs = read("20-00102-community-support/index.html");
    assert!(
        cs.contains("<dt>Meeting</dt><dd>Children&#39;s, Young People and Education Cabinet Committee, 9 March 2021</dd>"),
        "{cs}"
    );
}

/// Without Pagefind, the build says so (C1201, a warning) and builds the rest: the search page
/// is the list of papers, and no search index is written.
#[test]
fn without_pagefind_the_site_is_built_and_its_search_page_is_the_list() {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = Clerk::new(&["build", "papers", "--no-pdf", "--out"])
        .arg(out.path())
        .env("CLERK_PAGEFIND", "/nonexistent/pagefind")
        .env("PATH", "/usr/bin:/bin")
        .run();
    assert_eq!(code, 0, "a warning, not an error: {stdout}{stderr}");
    assert!(
        stdout.contains("warning[C1201]") && stdout.contains("npm install -g pagefind"),
        "{stdout}"
    );
    assert!(stdout.contains("0 errors, 1 warning"), "{stdout}");
    let search = fs::read_to_string(out.path().join("search/index.html")).unwrap();
    assert!(!search.contains("<script"), "{search}");
    assert!(search.contains("Early Help Recommissioning"), "{search}");
    assert!(!out.path().join("pagefind").exists());
    assert!(out.path().join("20-00017-early-help/index.html").is_file());
    // With it, the index is made; a rebuild with nothing changed runs it for nothing.
    if crate::common::pagefind().is_some() {
        let (_, first, _) = Clerk::new(&["build", "papers", "--no-pdf", "--out"])
            .arg(out.path())
            .run();
        assert!(!first.contains("C1201"), "{first}");
        let entry = out.path().join("pagefind/pagefind-entry.json");
        let stamp = fs::metadata(&entry).unwrap().modified().unwrap();
        let (_, again, _) = Clerk::new(&["build", "papers", "--no-pdf", "--out"])
            .arg(out.path())
            .run();
        assert!(!again.contains("removed"), "{again}");
        assert_eq!(fs::metadata(&entry).unwrap().modified().unwrap(), stamp);
    }
}

/// The forward plan lists every key decision with its decision maker, its date, when it was
/// first published, and whether that gave 28 clear days' notice; a paper that is not a key
/// decision is not in it. A page, and a PDF when the build makes PDFs.
#[test]
fn the_forward_plan_lists_each_key_decision_with_its_notice() {
    require_typst();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = Clerk::new(&["build", "papers", "--out"])
        .arg(out.path())
        .run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    let plan = fs::read_to_string(out.path().join("forward-plan/index.html")).unwrap();
    let flat = plan.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = |s: &str| flat.find(s).unwrap_or_else(|| panic!("no {s:?} in {flat}"));
    // Newest first: 20/00102 (9 March 2021, noticed 5 February: 31 clear days), then 20/00017.
    assert!(at("20/00102: Provision") < at("20/00017: Early Help"));
    assert!(flat.contains("<dd>5 February 2021</dd>") && flat.contains("yes: 31 clear days"));
    assert!(flat.contains("not known: no date of first publication"));
    assert!(flat.contains("Sue Chandler, Cabinet Member for Integrated Children&#39;s Services"));
    assert!(!flat.contains("Children in Care"), "not a key decision");
    assert!(flat.contains("href=\"forward-plan.pdf\""));
    let pdf = out.path().join("forward-plan/forward-plan.pdf");
    let text = String::from_utf8_lossy(
        &Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        text.contains("yes: 31 clear days") && text.contains("Early Help"),
        "{text}"
    );
    // Tagged, titled, in English: as every PDF clerk makes.
    let info = String::from_utf8_lossy(&Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout)
        .into_owned();
    assert!(
        info.contains("Tagged:          yes") && info.contains("Forward plan"),
        "{info}"
    );
}

/// PDF/UA-1 checked by a validator (`page`, PyPI `page-validation`; tests/pdfua/validate.py):
/// every PDF a build and a pack make passes, and the same PDF with its tags stripped fails,
/// so the check can fail.
#[test]
fn every_pdf_the_build_and_the_pack_make_passes_pdf_ua_1() {
    require_typst();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = Clerk::new(&["build", "papers", "--out"])
        .arg(out.path())
        .run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    let meeting = "papers/meetings/2021-03-09-cype-cabinet-committee.yaml";
    for extra in [&[][..], &["--supplement", "1"][..]] {
        let (code, stdout, stderr) = Clerk::new(&["pack", meeting, "--out"])
            .arg(out.path())
            .args(extra)
            .run();
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let mut pdfs: Vec<String> = files(out.path())
        .keys()
        .filter(|f| f.ends_with(".pdf"))
        .map(|f| out.path().join(f).display().to_string())
        .collect();
    // Six papers' documents, the forward plan, the pack and its supplement.
    assert_eq!(pdfs.len(), 9, "{pdfs:?}");
    let untagged = out.path().join("untagged.pdf");
    let status = Command::new("pdftocairo")
        .args(["-pdf", &pdfs[0]])
        .arg(&untagged)
        .status()
        .unwrap();
    assert!(status.success());
    pdfs.push(untagged.display().to_string());
    let output = Command::new("python3")
        .arg(repo().join("tests/pdfua/validate.py"))
        .args(&pdfs)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "install the validator: pip install page-validation (scripts/test.sh does): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (last, made) = pdfs.split_last().unwrap();
    for pdf in made {
        assert_eq!(report[pdf]["compliant"], true, "{pdf}: {}", report[pdf]);
    }
    assert_eq!(report[last]["compliant"], false, "{report}");
    assert!(report[last]["failures"]
        .to_string()
        .contains("StructTreeRoot"));
}
