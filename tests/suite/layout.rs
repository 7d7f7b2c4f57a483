//! The PDF's layout, read back with `pdftotext -layout`: lists under their numbered paragraph
//! with one marker each, and no heading left alone at the foot of a page. Needs typst 0.15
//! and poppler-utils (`scripts/test.sh` installs both).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{repo, Clerk};

/// Builds the example papers, PDFs included, into `out`.
fn build(out: &Path) {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
    let (code, stdout, _) = Clerk::new(&["build", "papers", "--out"]).arg(out).run();
    assert_eq!(code, 0, "{stdout}");
}

/// The text of each page of a PDF, laid out as printed.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    pages.retain(|p| !p.trim().is_empty());
    pages
}

/// The column (in characters) where `needle` starts on the first line holding it.
fn column(page: &str, needle: &str) -> (usize, String) {
    let line = page
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{page}"));
    (
        line[..line.find(needle).unwrap()].chars().count(),
        line.to_string(),
    )
}

#[test]
fn lists_have_one_marker_and_sit_under_their_paragraphs_text() {
    let out = tempfile::tempdir().unwrap();
    build(out.path());
    let pages = pages(&out.path().join("20-00017-early-help/report.pdf"));
    let page = pages
        .iter()
        .find(|p| p.contains("Services to Young Carers"))
        .expect("the list of 1.1");
    // Items typed "i. …" get no bullet beside their own marker.
    let (marker, line) = column(page, "i. Services to Young Carers");
    assert!(!line.contains('•'), "a double marker: {line:?}");
    // The list is indented under the paragraph's text, right of its number.
    let (number, _) = column(page, "1.1");
    let (text, _) = column(page, "The current suite");
    assert!(number < text, "{page}");
    assert!(
        marker + 1 >= text,
        "the list starts at column {marker}, the paragraph's text at {text}:\n{page}"
    );
    // So is a bulleted list under a numbered paragraph (4.1's).
    let page = pages
        .iter()
        .find(|p| p.contains("Increase the Young Carers Contract Value"))
        .unwrap();
    let (bullet, line) = column(page, "Increase the Young Carers Contract Value");
    let (text, _) = column(page, "As per Figure 1");
    assert_eq!(line.matches('•').count(), 1, "{line:?}");
    assert!(bullet > text, "{page}");
}

/// The last line of a page's body (above "Page N of M").
fn last_line(page: &str) -> &str {
    page.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("Page "))
        .unwrap_or("")
}

/// The plain text of some inlines, as the JSON holds them.
fn plain(inlines: &serde_json::Value) -> String {
    inlines
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| match i["text"].as_str() {
            Some(t) => t.to_string(),
            None => plain(&i["children"]),
        })
        .collect()
}

/// The headings of a document, and its paragraphs that read as headings.
fn labels(json: &Path) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(json).unwrap()).unwrap();
    doc["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["type"] == "heading" || v["keep_with_next"] == true)
        .map(|v| plain(&v["inlines"]).trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn no_heading_is_left_alone_at_the_foot_of_a_page() {
    // Headings are kept with what follows them, in the paper's PDF and in the pack.
    for template in ["paper.typ", "pack.typ"] {
        let text = fs::read_to_string(repo().join("templates/typst").join(template)).unwrap();
        assert!(
            text.lines()
                .any(|l| l.starts_with("#show heading: set block(") && l.contains("sticky: true")),
            "{template}"
        );
    }
    let out = tempfile::tempdir().unwrap();
    build(out.path());
    // A paragraph that reads as a heading is marked so in the data, and kept with what follows.
    let care = labels(&out.path().join("children-in-care-update/report.json"));
    for label in ["Original Intention", "Reasons for change"] {
        assert!(care.iter().any(|l| l == label), "{care:?}");
    }
    let mut pdfs = 0;
    for entry in walkdir::WalkDir::new(out.path()) {
        let entry = entry.unwrap();
        // Each paper's documents (the forward plan has no document data of its own).
        if entry.path().extension().is_none_or(|e| e != "pdf")
            || !entry.path().with_extension("json").is_file()
        {
            continue;
        }
        pdfs += 1;
        let labels = labels(&entry.path().with_extension("json"));
        let pages = pages(entry.path());
        for (n, page) in pages.iter().enumerate().take(pages.len() - 1) {
            // Its words, after the number a heading or paragraph has.
            let last = last_line(page);
            let words =
                last.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ');
            assert!(
                !labels.iter().any(|l| words == l),
                "{} page {} ends with the heading {last:?}",
                entry.path().display(),
                n + 1
            );
        }
    }
    assert!(pdfs >= 6, "{pdfs} PDFs");
}
