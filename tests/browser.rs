//! Accessibility in a real browser: every page clerk builds, served on localhost and checked
//! with axe-core in headless Chromium (tests/browser/a11y.mjs). Needs Debian's chromium and
//! `npm ci --prefix tests/browser`; scripts/test.sh installs both.

use std::path::Path;
use std::process::Command;

mod common;
use common::{copy_tree, repo};

fn build(tree: &str, out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .args(["build", tree, "--no-pdf", "--out"])
        .arg(out)
        .current_dir(repo())
        .status()
        .expect("clerk runs");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "clerk build failed: {status}"
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
    let status = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .args([
            "pack",
            "papers/meetings/2021-03-09-cype-cabinet-committee.yaml",
            "--out",
        ])
        .arg(site.path())
        .current_dir(repo())
        .status()
        .expect("clerk runs");
    assert!(status.success(), "clerk pack failed");
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

#[test]
fn clerk_serve_reloads_the_open_page_by_itself() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .args(["serve", tree.path().to_str().unwrap(), "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("clerk serve starts");
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
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
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
