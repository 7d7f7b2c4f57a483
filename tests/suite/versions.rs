//! Versions of a published paper, end to end: a changed paper keeps its earlier version at
//! `FOLDER/versions/N/` and says "Updated on DATE" with what changed; the same papers and the
//! same history give the same site byte for byte; a paper withdrawn (made exempt, or its
//! folder removed) leaves a notice at every address it had and nothing of its text, its
//! earlier versions gone.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{copy_tree, repo, Clerk};

const MARKER: &str = "OKAPI-SECRET-5512";

fn build(tree: &Path, out: &Path, formats: &str) -> String {
    let (code, stdout, stderr) = Clerk::new(&["build"])
        .arg(tree)
        .args(&["--formats", formats, "--out"])
        .arg(out)
        .run();
    assert_eq!(code, 0, "clerk build failed: {stdout}{stderr}");
    format!("{stdout}{stderr}")
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// Every file of a site by its path, but the lock.
fn files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(rel, _)| rel != ".clerk/lock")
        .collect()
}

fn text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The pack fixture tree (a public library paper, an exempt staffing paper), the library
/// paper's text marked so that a test can look for it anywhere.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), dir.path());
    edit(
        &dir.path().join("library-hours/report.md"),
        "## Summary\n",
        &format!("## Summary\n\nThe survey was run by {MARKER}.\n"),
    );
    dir
}

/// The library paper republished: a recommendation and its date changed.
fn republish(tree: &Path, updated: Option<&str>) {
    let report = tree.join("library-hours/report.md");
    edit(
        &report,
        "To open every library on Saturday afternoons.",
        "To open every library on Saturday and Sunday afternoons.",
    );
    if let Some(day) = updated {
        edit(
            &report,
            "key_decision: true",
            &format!("key_decision: true\nupdated: {day}"),
        );
    }
}

#[test]
fn a_changed_paper_keeps_its_earlier_version_and_says_what_changed() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(tree.path(), &out, "html,json");
    let first = text(&out.join("library-hours/index.html"));
    assert!(!first.contains("Updated on"), "{first}");
    // The site publishes each document's view as JSON: the history reads it back from there.
    assert!(!out.join(".clerk/versions").exists());
    // Nothing changed: nothing is a version, and the site is the same byte for byte.
    let before = files(&out);
    build(tree.path(), &out, "html,json");
    assert_eq!(
        files(&out),
        before,
        "a rebuild with nothing changed changed the site"
    );
    assert!(!out.join("library-hours/versions").exists());

    republish(tree.path(), Some("2021-03-20"));
    let printed = build(tree.path(), &out, "html,json");
    assert!(!printed.contains("C1203"), "{printed}");
    let page = text(&out.join("library-hours/index.html"));
    assert!(page.contains("Updated on 20 March 2021."), "{page}");
    assert!(
        page.contains("Recommendation i: …every library on Saturday <ins><span class=\"visually-hidden\">added: </span>and Sunday</ins> afternoons"),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="versions/1/index.html">Version 1, published 9 March 2021</a>"#),
        "{page}"
    );
    // The earlier version, at its own address, says what it is and links the current one.
    let old = text(&out.join("library-hours/versions/1/index.html"));
    assert!(
        old.contains("An earlier version.") && old.contains(r#"href="../../index.html""#),
        "{old}"
    );
    assert!(
        old.contains("To open every library on Saturday afternoons."),
        "{old}"
    );
    assert!(!old.contains("Sunday"), "{old}");
    assert!(old.contains(r#"href="../../../assets/clerk.css""#), "{old}");
    // The index marks it; its open data says when it was modified.
    let index = text(&out.join("index.html"));
    assert!(index.contains("Updated 20 March 2021"), "{index}");
    let oparl = text(&out.join("oparl/paper/library-hours.json"));
    assert!(
        oparl.contains(r#""modified": "2021-03-20T00:00:00+00:00""#),
        "{oparl}"
    );
    // The search index holds the current version only.
    let search = text(&out.join("search/index.html"));
    assert!(!search.contains("versions/1"), "{search}");

    // A second change makes version 2; version 1 stays as it was.
    let v1 = fs::read(out.join("library-hours/versions/1/index.html")).unwrap();
    edit(
        &tree.path().join("library-hours/report.md"),
        "updated: 2021-03-20",
        "updated: 2021-04-02",
    );
    build(tree.path(), &out, "html,json");
    assert_eq!(
        fs::read(out.join("library-hours/versions/1/index.html")).unwrap(),
        v1
    );
    let v2 = text(&out.join("library-hours/versions/2/index.html"));
    assert!(v2.contains("Sunday") && v2.contains("version 2"), "{v2}");
    let page = text(&out.join("library-hours/index.html"));
    assert!(
        page.contains("Updated on 2 April 2021.") && page.contains("Its wording changed"),
        "{page}"
    );
    assert!(
        page.contains("versions/1/index.html") && page.contains("versions/2/index.html"),
        "{page}"
    );
}

/// The same papers and the same recorded history give the same site, byte for byte, however
/// often and wherever it is built: the date of a change comes from the papers, never the clock.
#[test]
fn the_same_papers_and_history_give_byte_identical_sites() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let a = site.path().join("a");
    build(tree.path(), &a, "html,json");
    let b = site.path().join("b");
    copy_tree(&a, &b);
    republish(tree.path(), Some("2021-03-20"));
    build(tree.path(), &a, "html,json");
    build(tree.path(), &b, "html,json");
    // The build cache and the search index's record note each file's size and modification
    // time, to skip work: clerk's own, never published, and the only files that may differ.
    let stamps = [".clerk/cache.json", ".clerk/search.json"];
    let (fa, fb) = (files(&a), files(&b));
    let differ: Vec<&String> = fa
        .keys()
        .filter(|k| fa.get(*k) != fb.get(*k) && !stamps.contains(&k.as_str()))
        .collect();
    assert!(differ.is_empty() && fa.len() == fb.len(), "{differ:?}");
    assert!(fa.contains_key("library-hours/versions/1/index.html"));
    build(tree.path(), &a, "html,json");
    assert_eq!(files(&a), fa, "a rebuild changed the site");
}

/// A change with no `updated:` date is still a new version, dated by the latest date the paper
/// carries, with a warning saying so (C1203).
#[test]
fn a_change_with_no_updated_date_is_a_warning() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(tree.path(), &out, "html");
    // Without the JSON format the views are kept in clerk's own folder, to lay out from.
    assert!(out
        .join(".clerk/versions/library-hours/current.json")
        .is_file());
    republish(tree.path(), None);
    let printed = build(tree.path(), &out, "html");
    assert!(
        printed.contains("warning[C1203]")
            && printed.contains("library-hours changed since it was published")
            && printed.contains("updated: YYYY-MM-DD"),
        "{printed}"
    );
    // `clerk codes C1203` shows this warning as its example: the words after the folder.
    let example = clerk::cli::codes::explain("C1203").unwrap();
    let words = example
        .split_once("papers/library-hours ")
        .map(|(_, rest)| rest.lines().next().unwrap_or(""))
        .unwrap();
    assert!(printed.contains(words), "{words}\n{printed}");
    let page = text(&out.join("library-hours/index.html"));
    assert!(page.contains("Updated on 9 March 2021."), "{page}");
    assert!(out.join("library-hours/versions/1/index.html").is_file());
}

/// A paper made exempt: every address it had (its page, its earlier versions) shows a notice
/// that names nothing of it, and no byte of its text is left in the site, its record
/// included.
#[test]
fn a_paper_made_exempt_leaves_only_a_notice_and_its_versions_go() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(tree.path(), &out, "html,json,pdf");
    let pdf = fs::read(out.join("library-hours/report.pdf")).unwrap();
    republish(tree.path(), Some("2021-03-20"));
    build(tree.path(), &out, "html,json,pdf");
    // The earlier version keeps its PDF, as it was.
    assert_eq!(
        fs::read(out.join("library-hours/versions/1/report.pdf")).unwrap(),
        pdf
    );
    let all = files(&out);
    assert!(
        all.iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains(MARKER)),
        "the marker is published while the paper is public"
    );

    edit(
        &tree.path().join("library-hours/report.md"),
        "classification: Unrestricted",
        "classification: Exempt\nexempt_paragraph: 3",
    );
    build(tree.path(), &out, "html,json,pdf");
    let left: Vec<String> = files(&out)
        .into_keys()
        .filter(|f| f.starts_with("library-hours/") || f.contains("versions/library-hours"))
        .collect();
    assert_eq!(
        left,
        [
            "library-hours/index.html",
            "library-hours/versions/1/index.html"
        ],
        "only notices stay"
    );
    for page in &left {
        let notice = text(&out.join(page));
        assert!(notice.contains("No longer published"), "{notice}");
        assert!(
            !notice.contains("Library Opening Hours"),
            "{page} names the paper: {notice}"
        );
    }
    for (file, bytes) in files(&out) {
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains(MARKER), "{file} keeps exempt text");
        assert!(!t.contains("Saturday"), "{file} keeps exempt text");
    }
    // A rebuild keeps the notices, and they stay when the paper is public again.
    build(tree.path(), &out, "html,json,pdf");
    assert!(out.join("library-hours/versions/1/index.html").is_file());
    edit(
        &tree.path().join("library-hours/report.md"),
        "classification: Exempt\nexempt_paragraph: 3",
        "classification: Unrestricted",
    );
    build(tree.path(), &out, "html,json,pdf");
    let page = text(&out.join("library-hours/index.html"));
    assert!(
        page.contains("Library Opening Hours") && !page.contains("Updated on"),
        "{page}"
    );
    assert!(text(&out.join("library-hours/versions/1/index.html")).contains("No longer published"));
}

/// A paper whose folder is removed leaves a notice naming it, by title and number.
#[test]
fn a_removed_paper_leaves_a_notice_not_a_dead_link() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    build(tree.path(), &out, "html");
    fs::remove_dir_all(tree.path().join("library-hours")).unwrap();
    build(tree.path(), &out, "html");
    let notice = text(&out.join("library-hours/index.html"));
    assert!(
        notice.contains("“Library Opening Hours (21/00001)” is no longer published"),
        "{notice}"
    );
    assert!(!notice.contains(MARKER));
    assert!(!text(&out.join("index.html")).contains("library-hours/index.html"));
}
