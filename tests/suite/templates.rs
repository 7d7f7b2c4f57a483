//! A council's template overrides, seen from outside: read as files of the template folder,
//! never through a link, and bounded in the work they do (minijinja's fuel for HTML, a time
//! limit for typst). Every hostile template here is made by the test itself.

use std::fs;
use std::path::Path;
use std::time::Instant;

use crate::common::{clerk, copy_tree, repo};

/// Every file under `dir`, as text (lossy), for looking for what must not be there.
fn everything_in(dir: &Path) -> String {
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            all.push_str(&String::from_utf8_lossy(&fs::read(entry.path()).unwrap()));
        }
    }
    all
}

fn build(templates: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "build",
        "papers",
        "--out",
        out.to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    clerk(&args, &repo())
}

/// What a test does to a template folder.
type Setup<'a> = dyn Fn(&Path) + 'a;

/// A secret of the build machine, which no template may publish.
const SECRET: &str = "machine-secret-7f3a9c: root:x:0:0";

/// A template override that is a symbolic link (the stylesheet, the base page, a typst module
/// the paper's template imports), or sits in a folder that is one, or is the template folder
/// itself, is refused with its path; nothing of the target is published.
#[cfg(unix)]
#[test]
fn a_template_through_a_link_is_refused_and_nothing_of_its_target_is_published() {
    use std::os::unix::fs::symlink;
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    fs::write(&secret, SECRET).unwrap();
    fs::create_dir(elsewhere.path().join("assets")).unwrap();
    fs::write(elsewhere.path().join("assets/clerk.css"), SECRET).unwrap();
    let cases: [(&str, &Setup); 4] = [
        ("html/assets/clerk.css", &|t| {
            fs::create_dir_all(t.join("html/assets")).unwrap();
            symlink(&secret, t.join("html/assets/clerk.css")).unwrap();
        }),
        ("html/base.html", &|t| {
            fs::create_dir_all(t.join("html")).unwrap();
            symlink(&secret, t.join("html/base.html")).unwrap();
        }),
        ("typst/clerk.typ", &|t| {
            fs::create_dir_all(t.join("typst")).unwrap();
            symlink(&secret, t.join("typst/clerk.typ")).unwrap();
        }),
        ("html/assets", &|t| {
            fs::create_dir_all(t.join("html")).unwrap();
            symlink(elsewhere.path().join("assets"), t.join("html/assets")).unwrap();
        }),
    ];
    for (named, setup) in cases {
        let templates = tempfile::tempdir().unwrap();
        setup(templates.path());
        let out = tempfile::tempdir().unwrap();
        let (code, stdout, stderr) = build(templates.path(), out.path(), &["--no-pdf"]);
        assert_eq!(code, 2, "{named}: {stdout}{stderr}");
        assert!(
            stderr.contains(&format!("{named}` is a symbolic link")),
            "{named}: {stderr}"
        );
        assert!(
            !everything_in(out.path()).contains("machine-secret"),
            "{named}"
        );
        assert!(!stdout.contains("machine-secret") && !stderr.contains("machine-secret"));
    }
    // The papers' own template folder, when it is a link.
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    symlink(elsewhere.path(), tree.path().join("templates")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = clerk(
        &[
            "build",
            tree.path().to_str().unwrap(),
            "--no-pdf",
            "--out",
            out.path().to_str().unwrap(),
        ],
        &repo(),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("templates` is a symbolic link"), "{stderr}");
    assert!(!everything_in(out.path()).contains("machine-secret"));
}

/// An HTML template that loops over its data inside loops over its data, or a macro that
/// calls itself twice, runs out of fuel: the build stops those pages with the template's
/// name, promptly, and the pages other templates make are still written.
#[test]
fn an_html_template_that_does_not_finish_is_stopped_naming_it() {
    for main in [
        "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}.{% endfor %}{% endfor %}{% endfor %}",
        "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    ] {
        let templates = tempfile::tempdir().unwrap();
        fs::create_dir(templates.path().join("html")).unwrap();
        fs::write(
            templates.path().join("html/decision.html"),
            format!("{{% extends \"base.html\" %}}{{% block main %}}{main}{{% endblock main %}}"),
        )
        .unwrap();
        let out = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let (code, stdout, stderr) = build(templates.path(), out.path(), &["--no-pdf"]);
        assert!(started.elapsed().as_secs() < 60, "{main}");
        assert_eq!(code, 1, "{stdout}{stderr}");
        assert!(
            stdout.contains("error[C0801]")
                && stdout.contains("template `html/decision.html` did more work")
                && stdout.contains("was stopped"),
            "{stdout}"
        );
        assert!(out.path().join("20-00017-early-help/index.html").is_file());
        assert!(!out.path().join("20-00017-early-help/decision.html").exists());
    }
}

/// typst refuses `while true {}` itself; a loop that does end, but not in any time that
/// matters, is killed at the time limit, the PDF is reported with the template's name and a
/// message that is the same on every run, and no other document waits out the limit.
#[test]
fn a_typst_template_that_does_not_finish_is_stopped_naming_it() {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
    let default = clerk::render::TYPST_TEMPLATES[0].1;
    let templates = tempfile::tempdir().unwrap();
    fs::create_dir(templates.path().join("typst")).unwrap();
    fs::write(
        templates.path().join("typst/paper.typ"),
        format!("{default}\n#while true {{}}\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = build(templates.path(), out.path(), &["--formats", "pdf"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[C0802]") && stdout.contains("paper.typ"),
        "{stdout}"
    );

    fs::write(
        templates.path().join("typst/paper.typ"),
        format!("{default}\n#for i in range(1000000) {{ for j in range(1000000) {{ }} }}\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (code, stdout, _) = build(
        templates.path(),
        out.path(),
        &["--formats", "pdf", "--jobs", "1"],
    );
    let took = started.elapsed().as_secs();
    assert_eq!(code, 1, "{stdout}");
    let limit = clerk::render::typst::TIME_BASE_SECONDS;
    assert!(took < 3 * limit, "the build waited {took} s: {stdout}");
    assert_eq!(
        stdout.matches("typst ran past its time limit of ").count(),
        1,
        "{stdout}"
    );
    assert!(
        stdout.contains("the template `typst/paper.typ` (or a module it imports) does not finish")
            && stdout.contains("was stopped on another document"),
        "{stdout}"
    );
    let papers_pdfs = walkdir::WalkDir::new(out.path())
        .into_iter()
        .flatten()
        .filter(|e| matches!(e.file_name().to_str(), Some("report.pdf" | "decision.pdf")))
        .count();
    assert_eq!(papers_pdfs, 0, "no paper's PDF is made");
}
