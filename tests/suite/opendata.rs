//! Open data: the OParl 1.1 view a build writes under `oparl/`, validated against OParl's own
//! JSON schema (tests/oparl/validate.py, which follows every address as a client would), and
//! the schema.org Event data on each meeting's page. What may not be there is tested too: a
//! draft, an exempt paper's text, and paper text breaking out of the page's JSON-LD.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{copy_tree, repo, Clerk};

fn build(tree: &Path, out: &Path, extra: &[&str]) -> String {
    let (code, stdout, stderr) = Clerk::new(&["build"])
        .arg(tree)
        .args(&["--no-pdf", "--out"])
        .arg(out)
        .args(extra)
        .run();
    assert!(
        matches!(code, 0 | 1),
        "clerk build failed: {stdout}{stderr}"
    );
    format!("{stdout}{stderr}")
}

/// Runs the validator over a built site; its report, and whether it passed.
fn validate(site: &Path, absolute: bool) -> (serde_json::Value, bool) {
    let mut command = Command::new("python3");
    command
        .arg(repo().join("tests/oparl/validate.py"))
        .arg(site);
    if absolute {
        command.arg("--absolute");
    }
    let output = command.output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("No module named 'jsonschema'"),
        "install jsonschema (pip install jsonschema; scripts/test.sh does): {stderr}"
    );
    let report =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("no report: {stderr}"));
    (report, output.status.success())
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_oparl_view_passes_oparls_schema_with_and_without_a_base_url() {
    let site = tempfile::tempdir().unwrap();
    let relative = site.path().join("relative");
    build(&repo().join("papers"), &relative, &[]);
    let (report, ok) = validate(&relative, false);
    assert!(ok, "{report:#}");
    for kind in [
        "System",
        "Body",
        "Organization",
        "Person",
        "Meeting",
        "AgendaItem",
        "Paper",
        "File",
        "Consultation",
    ] {
        assert!(
            report["types"][kind].as_u64().unwrap_or(0) > 0,
            "no {kind} validated: {report:#}"
        );
    }
    // Without a base, every address is relative to the file it is in.
    let system = json(&relative.join("oparl/system.json"));
    assert_eq!(system["id"], "system.json");
    assert_eq!(system["body"], "bodies.json");
    assert_eq!(system["oparlVersion"], "https://schema.oparl.org/1.1/");

    let absolute = site.path().join("absolute");
    build(
        &repo().join("papers"),
        &absolute,
        &["--base-url", "https://papers.example.gov.uk/kent"],
    );
    let (report, ok) = validate(&absolute, true);
    assert!(ok, "{report:#}");
    let paper = json(&absolute.join("oparl/paper/20-00017-early-help.json"));
    assert_eq!(
        paper["id"],
        "https://papers.example.gov.uk/kent/oparl/paper/20-00017-early-help.json"
    );
    assert_eq!(paper["reference"], "20/00017");
    assert_eq!(paper["mainFile"]["mimeType"], "text/html", "{paper:#}");
    assert_eq!(
        paper["web"],
        "https://papers.example.gov.uk/kent/20-00017-early-help/index.html"
    );
    // Relative addresses do not pass as absolute ones, nor the other way round: the check is real.
    assert!(!validate(&relative, true).1);
    assert!(!validate(&absolute, false).1);
    // A body without its required list of legislative terms fails OParl's schema.
    let body = absolute.join("oparl/body/kent-county-council.json");
    let mut broken = json(&body);
    broken.as_object_mut().unwrap().remove("legislativeTerm");
    fs::write(&body, broken.to_string()).unwrap();
    let (report, ok) = validate(&absolute, true);
    assert!(
        !ok && report.to_string().contains("legislativeTerm"),
        "{report:#}"
    );
}

#[test]
fn a_bad_base_url_is_refused() {
    let site = tempfile::tempdir().unwrap();
    for bad in [
        "papers.example.gov.uk",
        "javascript:alert(1)",
        "https://x/\"><b>",
    ] {
        let (code, _, stderr) = Clerk::new(&["build", "papers", "--no-pdf", "--out"])
            .arg(site.path().join("out"))
            .args(&["--base-url", bad])
            .run();
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("is not a base URL"), "{stderr}");
    }
}

/// The JSON-LD of a meeting's page: the text of its one `<script type="application/ld+json">`.
fn event(page: &str) -> serde_json::Value {
    let open = r#"<script type="application/ld+json">"#;
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    let start = page.find(open).expect("JSON-LD on the page") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("the JSON-LD is valid JSON")
}

#[test]
fn a_meetings_page_carries_its_schema_org_event() {
    let site = tempfile::tempdir().unwrap();
    build(
        &repo().join("papers"),
        site.path(),
        &["--base-url", "https://papers.example.gov.uk/"],
    );
    let page = fs::read_to_string(
        site.path()
            .join("meetings/2021-03-09-cype-cabinet-committee/index.html"),
    )
    .unwrap();
    let e = event(&page);
    assert_eq!(e["@context"], "https://schema.org");
    assert_eq!(e["@type"], "Event");
    assert_eq!(e["startDate"], "2021-03-09T14:00:00+00:00");
    assert_eq!(e["location"]["name"], "Online");
    assert_eq!(e["organizer"]["name"], "Kent County Council");
    assert_eq!(
        e["url"],
        "https://papers.example.gov.uk/meetings/2021-03-09-cype-cabinet-committee/index.html"
    );
    assert!(
        e["name"]
            .as_str()
            .unwrap()
            .starts_with("Children's, Young People and Education Cabinet Committee"),
        "{e:#}"
    );
}

/// A committee named to break out of the script element stays text inside the JSON.
#[test]
fn paper_text_cannot_leave_the_json_ld() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), tree.path());
    let hostile = r#"Panel </script><script>alert(1)</script> & "quoted" <!--"#;
    fs::create_dir_all(tree.path().join("meetings")).unwrap();
    fs::write(
        tree.path().join("meetings/meeting.yaml"),
        format!(
            "committee: '{hostile}'\ndate: 2021-07-13\ntime: \"18:30\"\nvenue: '</script>Hall'\npublished: 2021-07-01\npart1:\n  - paper: ../library-hours\npart2:\n"
        ),
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    build(tree.path(), site.path(), &[]);
    let page = fs::read_to_string(site.path().join("meetings/meeting/index.html")).unwrap();
    let e = event(&page);
    assert!(e["name"].as_str().unwrap().starts_with(hostile), "{e:#}");
    assert_eq!(e["location"]["name"], "</script>Hall");
    // Summer time in London.
    assert_eq!(e["startDate"], "2021-07-13T18:30:00+01:00");
    assert_eq!(page.matches("</script>").count(), 1, "{page}");
    // The OParl meeting holds the same text as data.
    let meeting = json(&site.path().join("oparl/meeting/meeting.json"));
    assert!(meeting["name"].as_str().unwrap().starts_with(hostile));
}

/// A draft is published under `--draft` for review, but never as open data.
#[test]
fn a_draft_is_never_open_data() {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), tree.path());
    let report = tree.path().join("library-hours/report.md");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replacen("## Summary\n", "## Summary\n\n[TBC]\n", 1),
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    build(tree.path(), site.path(), &["--draft"]);
    assert!(site.path().join("library-hours/index.html").is_file());
    assert!(!site.path().join("oparl/paper/library-hours.json").exists());
    for list in walkdir::WalkDir::new(site.path().join("oparl"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
    {
        let text = fs::read_to_string(list.path()).unwrap();
        assert!(
            !text.contains("Library Opening Hours") && !text.contains("library-hours/"),
            "{}: {text}",
            list.path().display()
        );
    }
    let (report, ok) = validate(site.path(), false);
    assert!(ok, "{report:#}");
}
