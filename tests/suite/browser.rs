//! Accessibility in a real browser: every page clerk builds, served on localhost and checked
//! with axe-core in headless Chromium (tests/browser/a11y.mjs). Needs Debian's chromium and
//! `npm ci --prefix tests/browser`; scripts/test.sh installs both.

use std::path::Path;
use std::process::Command;

use crate::common::{copy_tree, repo, Clerk};

fn build(tree: &str, out: &Path) {
    let (code, stdout, stderr) = Clerk::new(&["build", tree, "--no-pdf", "--out"])
        .arg(out)
        .run();
    assert!(
        matches!(code, 0 | 1),
        "clerk build failed: {stdout}{stderr}"
    );
}

fn axe(site: &Path) {
    let browser_tests = repo().join("tests/browser");
    assert!(
        browser_tests.join("node_modules/axe-core").is_dir()
            && browser_tests.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` first (scripts/test.sh does)"
    );
    let output = Command::new("node")
        .arg(browser_tests.join("a11y.mjs"))
        .arg(site)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "accessibility violations:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    assert!(
        parsed["pages"].as_u64().unwrap_or(0) >= 5,
        "too few pages checked: {report}"
    );
}

#[test]
fn every_page_of_the_example_papers_passes_axe_in_chromium() {
    let site = tempfile::tempdir().unwrap();
    build("papers", site.path());
    // The example meeting's page joins the site, as a clerk would publish it.
    let (code, stdout, stderr) = Clerk::new(&[
        "pack",
        "papers/meetings/2021-03-09-cype-cabinet-committee.yaml",
        "--out",
    ])
    .arg(site.path())
    .run();
    assert_eq!(code, 0, "clerk pack failed: {stdout}{stderr}");
    assert!(site
        .path()
        .join("meetings/2021-03-09-cype-cabinet-committee/index.html")
        .is_file());
    axe(site.path());
}

#[test]
fn pages_with_problems_and_review_pages_pass_axe_too() {
    let site = tempfile::tempdir().unwrap();
    build("tests/fixtures/seeds", site.path());
    axe(site.path());
}

/// A site with a paper republished (its "Updated on" note with the word diff, its earlier
/// version under a banner) and a paper withdrawn (the notice at its address) passes axe too.
#[test]
fn updated_pages_earlier_versions_and_notices_pass_axe() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let site = tempfile::tempdir().unwrap();
    let tree_arg = tree.path().to_str().unwrap().to_string();
    build(&tree_arg, site.path());
    let report = tree.path().join("20-00017-early-help/report.md");
    let text = std::fs::read_to_string(&report).unwrap();
    let text = text.replacen(
        "key_decision: true",
        "key_decision: true\nupdated: 2021-04-01",
        1,
    );
    std::fs::write(
        &report,
        text.replacen(
            "To bring the Family Support Service",
            "To bring the whole Family Support Service",
            1,
        ),
    )
    .unwrap();
    std::fs::remove_dir_all(tree.path().join("children-in-care-update")).unwrap();
    build(&tree_arg, site.path());
    let page = std::fs::read_to_string(site.path().join("20-00017-early-help/index.html")).unwrap();
    assert!(
        page.contains("Updated on 1 April 2021.") && page.contains("<ins>"),
        "{page}"
    );
    assert!(site
        .path()
        .join("20-00017-early-help/versions/1/index.html")
        .is_file());
    assert!(site
        .path()
        .join("20-00017-early-help/versions/1/decision.html")
        .is_file());
    let notice =
        std::fs::read_to_string(site.path().join("children-in-care-update/index.html")).unwrap();
    assert!(notice.contains("No longer published"), "{notice}");
    axe(site.path());
}

#[test]
fn clerk_serve_reloads_the_open_page_by_itself() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let served = Clerk::serve(tree.path());
    let url = served.url.clone();
    let file = tree.path().join("children-in-care-update/report.md");
    let output = Command::new("node")
        .arg(repo().join("tests/browser/reload.mjs"))
        .args([
            url.as_str(),
            "children-in-care-update/index.html",
            file.to_str().unwrap(),
        ])
        .output()
        .expect("node runs");
    drop(served);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The layout of a page in Chromium, measured by tests/browser/layout.mjs.
fn layout(page: &Path) -> serde_json::Value {
    let url = format!("file://{}", page.display());
    let output = Command::new("node")
        .arg(repo().join("tests/browser/layout.mjs"))
        .arg(&url)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

#[test]
fn numbers_hang_the_face_is_the_pdfs_and_money_tables_fit_their_figures() {
    let site = tempfile::tempdir().unwrap();
    build("papers", site.path());
    let report = layout(&site.path().join("20-00017-early-help/index.html"));
    // A numbered paragraph's number hangs: its first line starts where the wrapped ones do.
    let paragraphs = report["paragraphs"].as_array().unwrap();
    assert!(paragraphs.len() > 5, "{report}");
    for p in paragraphs {
        let (first, wrapped, number) = (
            p["first_line"].as_f64().unwrap(),
            p["wrapped_lines"].as_f64().unwrap(),
            p["number"].as_f64().unwrap(),
        );
        assert!((first - wrapped).abs() < 1.0, "not hanging: {p}");
        assert!(number < first, "{p}");
    }
    // The HTML asks first for the face the PDF is set in.
    let typst = std::fs::read_to_string(repo().join("templates/typst/paper.typ")).unwrap();
    let pdf_font = typst
        .split("font: \"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("paper.typ names its font");
    let font = report["font"].as_str().unwrap();
    assert!(
        font.trim_start_matches('"').starts_with(pdf_font),
        "the page asks for {font}, the PDF is set in {pdf_font}"
    );
    assert!(font.ends_with("serif"), "with a generic fallback: {font}");
    // A money table is as wide as its content, not its column; other tables fill it.
    let tables = report["tables"].as_array().unwrap();
    let money = tables
        .iter()
        .find(|t| t["id"] == "figure-1")
        .expect("figure 1");
    assert!(money["money"].as_bool().unwrap(), "{money}");
    assert!(
        money["width"].as_f64().unwrap() < 0.8 * money["column"].as_f64().unwrap(),
        "{money}"
    );
    let words = tables
        .iter()
        .find(|t| t["id"] == "figure-2")
        .expect("figure 2");
    assert!(!words["money"].as_bool().unwrap(), "{words}");
}

/// Runs tests/browser/site.mjs over a built site: a walk, or searches.
fn site_js(site: &Path, args: &[&str]) -> serde_json::Value {
    let output = Command::new("node")
        .arg(repo().join("tests/browser/site.mjs"))
        .arg(site)
        .args(args)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&report).expect("a JSON report")
}

#[test]
fn a_resident_walks_from_the_index_to_a_paper_and_its_pack_and_back() {
    let site = tempfile::tempdir().unwrap();
    build("papers", site.path());
    let (code, stdout, stderr) = Clerk::new(&[
        "pack",
        "papers/meetings/2021-03-09-cype-cabinet-committee.yaml",
        "--out",
    ])
    .arg(site.path())
    .run();
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report = site_js(site.path(), &["walk"]);
    let path = |i: usize| {
        report["steps"][i]["path"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(path(0), "/index.html", "{report}");
    assert!(
        path(1).starts_with("/committees/children-s-young-people"),
        "{report}"
    );
    assert_eq!(
        path(2),
        "/meetings/2021-03-09-cype-cabinet-committee/index.html"
    );
    assert_eq!(path(3), "/20-00102-community-support/index.html");
    assert_eq!(path(4), path(2), "back to the meeting");
    assert_eq!(path(5), "/index.html", "and home");
    assert_eq!(report["pack"]["status"], 200, "{report}");
    assert_eq!(report["pack"]["pdf"], "%PDF", "{report}");
}

#[test]
fn the_search_finds_a_phrase_of_a_paper_and_nothing_of_an_exempt_one() {
    assert!(
        crate::common::pagefind().is_some(),
        "run `npm ci --prefix tests/browser` first (scripts/test.sh does): it installs Pagefind"
    );
    // The pack fixture: a public library paper, and a staffing paper exempt in Part 2.
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), tree.path());
    let staff = tree.path().join("staff-restructure/report.md");
    let text = std::fs::read_to_string(&staff).unwrap();
    assert!(text.contains("Jordan Quillfeather"));
    let site = tempfile::tempdir().unwrap();
    build(tree.path().to_str().unwrap(), site.path());
    let library = std::fs::read_to_string(tree.path().join("library-hours/report.md")).unwrap();
    // A phrase of the library paper's body, not its title.
    let phrase = "longer weekend hours";
    assert!(library.contains(phrase), "pick a phrase the paper holds");
    let report = site_js(site.path(), &["search", phrase, "Quillfeather"]);
    let links = |p: &str| -> Vec<String> {
        report["results"][p]["links"]
            .as_array()
            .unwrap_or_else(|| panic!("{report}"))
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        links(phrase)
            .iter()
            .any(|l| l.starts_with("/library-hours/index.html")),
        "{report}"
    );
    assert!(links("Quillfeather").is_empty(), "{report}");
    assert!(
        report["results"]["Quillfeather"]["message"]
            .as_str()
            .unwrap()
            .starts_with("No results"),
        "{report}"
    );
}
