//! What may be published, end to end: exempt information (Schedule 12A) never reaches a
//! public output off the designed path, and paper text never acts on a reader.
//!
//! Each leak test plants a marker in the exempt text, builds the site and the public pack, and
//! searches every byte of the public output for it: PDF text, metadata and bookmarks, HTML
//! with entities decoded, JSON, the calendar, and file names. The confidential pack, written
//! only where the clerk names it, must carry the marker.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{copy_tree, repo, Clerk};

const MARKER: &str = "ZEBRA-CONFIDENTIAL-7431";

fn clerk_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let (code, stdout, stderr) = crate::common::clerk(args, dir);
    (code, format!("{stdout}{stderr}"))
}

fn clerk(args: &[&str]) -> (i32, String) {
    clerk_in(&repo(), args)
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// HTML text with its character references decoded, so `&#90;EBRA` cannot hide a marker.
fn decode_entities(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e < 12);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every readable byte of a published tree, file by file: (what, text).
fn public_text(site: &Path) -> Vec<(String, String)> {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let path = entry.path();
        let name = path.display().to_string();
        all.push((format!("the name {name}"), name.clone()));
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(path).unwrap();
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        if name.ends_with(".pdf") {
            let p = path.to_str().unwrap();
            all.push((format!("{name} (text)"), tool("pdftotext", &[p, "-"])));
            all.push((format!("{name} (metadata)"), tool("pdfinfo", &["-meta", p])));
            all.push((format!("{name} (info)"), tool("pdfinfo", &[p])));
            let xml = tempfile::tempdir().unwrap();
            let stem = xml.path().join("outline");
            Command::new("pdftohtml")
                .args(["-q", "-s", "-i", "-xml", p])
                .arg(&stem)
                .output()
                .unwrap();
            let outline = fs::read_to_string(xml.path().join("outline.xml")).unwrap_or_default();
            all.push((format!("{name} (bookmarks)"), outline));
        } else if name.ends_with(".html") {
            all.push((name.clone(), decode_entities(&raw)));
        } else if name.ends_with(".pf_fragment")
            || name.ends_with(".pf_index")
            || name.ends_with(".pf_meta")
        {
            // The search index: gzip-compressed JSON and word lists, read as the browser does.
            let out = Command::new("gzip")
                .args(["-dc", path.to_str().unwrap()])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            all.push((format!("{name} (text)"), text));
        }
        all.push((format!("{name} (bytes)"), raw));
    }
    all
}

fn assert_no_marker(site: &Path) {
    for (what, text) in public_text(site) {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            !flat.contains(MARKER),
            "{what} holds exempt text:\n{}",
            &flat[flat.find(MARKER).unwrap().saturating_sub(200)..]
        );
    }
}

/// The pack fixture tree (a public library paper, an exempt staffing paper), with the exempt
/// paper marked, and a meeting listing both where they belong.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), dir.path());
    let staff = dir.path().join("staff-restructure/report.md");
    let text = fs::read_to_string(&staff)
        .unwrap()
        .replace("Jordan Quillfeather", &format!("Jordan {MARKER}"));
    fs::write(&staff, text).unwrap();
    meeting(dir.path(), LIBRARY, EXEMPT);
    dir
}

const LIBRARY: &str = "  - paper: ../library-hours\n";
const EXEMPT: &str =
    "  - paper: ../staff-restructure\n    paragraph: 1\n    reason: The report names an employee.\n";

fn meeting(tree: &Path, part1: &str, part2: &str) {
    fs::create_dir_all(tree.join("meetings")).unwrap();
    fs::write(
        tree.join("meetings/meeting.yaml"),
        format!("committee: Communities Cabinet Committee\ndate: 2021-03-09\ntime: \"10:00\"\nvenue: Council Chamber\npublished: 2021-03-01\npart1:\n  - standard: apologies\n{part1}part2:\n{part2}"),
    )
    .unwrap();
}

fn edit(tree: &Path, file: &str, from: &str, to: &str) {
    let path = tree.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Builds the site (HTML and PDF) and the public pack (with --allow-errors) into a fresh folder
/// outside the tree, returning the folder and what the two commands printed.
fn publish(tree: &Path) -> (tempfile::TempDir, i32, String, i32, String) {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let (build_code, build) = clerk(&[
        "build",
        tree.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let meeting = tree.join("meetings/meeting.yaml");
    let (pack_code, pack) = clerk(&[
        "pack",
        meeting.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--allow-errors",
    ]);
    (site, build_code, build, pack_code, pack)
}

/// The staffing paper made unreadable or in conflict, one way at a time: each must be
/// withheld from the site and keep the public pack from being made, with a clear error.
fn assert_withheld(tree: &Path, why: &str, code: &str) {
    // The staffing paper moves to Part 1, where only a public paper may go.
    meeting(
        tree,
        &format!(
            "{LIBRARY}{}",
            EXEMPT.replace(
                "    paragraph: 1\n    reason: The report names an employee.\n",
                ""
            )
        ),
        "",
    );
    let (site, build_code, build, pack_code, pack) = publish(tree);
    let out = site.path().join("site");
    assert_eq!(build_code, 1, "{why}: the build must fail\n{build}");
    assert!(build.contains(code), "{why}: no {code}\n{build}");
    assert!(
        !out.join("staff-restructure").exists() && !out.join("review/staff-restructure").exists(),
        "{why}: pages of the withheld paper were written\n{build}"
    );
    assert!(
        out.join("library-hours/index.html").is_file(),
        "{why}: the public paper is still published"
    );
    assert_ne!(pack_code, 0, "{why}: the pack must be refused\n{pack}");
    assert!(
        pack.contains("C0907") && pack.contains("never overrides"),
        "{why}: {pack}"
    );
    assert!(
        !out.join("meetings/meeting/pack.pdf").exists(),
        "{why}: a public pack was made"
    );
    assert_no_marker(&out);
}

#[test]
fn l1_an_exempt_paper_with_a_misspelt_key_is_withheld() {
    let tree = tree();
    edit(
        tree.path(),
        "staff-restructure/report.md",
        "key_decision:",
        "comittee: Cabinet\nkey_decision:",
    );
    assert_withheld(tree.path(), "a misspelt key", "C1004");
}

#[test]
fn l1_an_exempt_paper_classified_in_lower_case_is_withheld() {
    let tree = tree();
    edit(
        tree.path(),
        "staff-restructure/report.md",
        "classification: Exempt",
        "classification: exempt",
    );
    assert_withheld(tree.path(), "classification: exempt", "C1004");
}

/// The tree with the staffing report made Unrestricted and unmarked: the marker then goes
/// only into the part a test makes exempt.
fn unrestricted_staff_report() -> tempfile::TempDir {
    let tree = tree();
    edit(
        tree.path(),
        "staff-restructure/report.md",
        "classification: Exempt\nexempt_paragraph: 1",
        "classification: Unrestricted",
    );
    let staff = tree.path().join("staff-restructure/report.md");
    let text = fs::read_to_string(&staff)
        .unwrap()
        .replace(MARKER, "Quillfeather");
    fs::write(&staff, text).unwrap();
    tree
}

#[test]
fn l2_an_exempt_appendix_withholds_its_unrestricted_paper() {
    let tree = unrestricted_staff_report();
    fs::write(
        tree.path().join("staff-restructure/appendix-a.md"),
        format!("---\ntitle: Appendix A - the post holder\nclassification: Exempt\nexempt_paragraph: 1\n---\n\nThe post holder is {MARKER}.\n"),
    )
    .unwrap();
    assert_withheld(tree.path(), "an exempt appendix", "C1002");
}

#[test]
fn l3_an_exempt_record_beside_an_unrestricted_report_is_withheld() {
    let tree = unrestricted_staff_report();
    fs::write(
        tree.path().join("staff-restructure/decision.md"),
        format!("---\nstatus: taken\ndecision_number: \"21/00002\"\nsubject: Restructure of the Records Team\ndecision_maker:\n  name: Jane Smith\n  role: Cabinet Member\ndate: 2021-03-10\nkey_decision: false\nclassification: Exempt\nexempt_paragraph: 1\ndecisions:\n  - id: i\nreasons: {MARKER} agreed to leave.\nalternatives: None.\ninterests: None\ndispensations: None\n---\n\nThe post held by {MARKER} ends.\n"),
    )
    .unwrap();
    assert_withheld(tree.path(), "an exempt record", "C1001");
}

#[test]
fn l3_an_exempt_record_with_no_report_is_withheld() {
    let tree = tree();
    let dir = tree.path().join("orphan-record");
    fs::create_dir(&dir).unwrap();
    fs::write(
        dir.join("decision.md"),
        format!("---\nstatus: taken\ndecision_number: \"21/00009\"\nsubject: Settlement\ndecision_maker:\n  name: Jane Smith\n  role: Cabinet Member\ndate: 2021-03-10\nkey_decision: false\nclassification: Exempt\nexempt_paragraph: 3\ndecisions:\n  - id: i\n    text: To settle the claim of {MARKER}.\nreasons: Cost.\nalternatives: None.\ninterests: None\ndispensations: None\n---\n\nThe claim of {MARKER} is settled.\n"),
    )
    .unwrap();
    let (site, code, build, _, _) = publish(tree.path());
    let out = site.path().join("site");
    assert_eq!(code, 1, "{build}");
    assert!(
        build.contains("C1004") && build.contains("orphan-record"),
        "{build}"
    );
    assert!(!out.join("orphan-record").exists());
    assert_no_marker(&out);
}

/// Writes the marker into the library paper's summary.
fn plant_marker_in_library(tree: &Path) {
    let library = tree.join("library-hours/report.md");
    let text = fs::read_to_string(&library).unwrap();
    fs::write(
        &library,
        text.replacen(
            "## Summary\n",
            &format!("## Summary\n\nThe contractor is {MARKER}.\n"),
            1,
        ),
    )
    .unwrap();
}

#[test]
fn l4_a_paper_reclassified_exempt_loses_its_earlier_pages() {
    let tree = tree();
    plant_marker_in_library(tree.path());
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let build = |what: &str| {
        let (code, printed) = clerk(&[
            "build",
            tree.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{what}: {printed}");
        printed
    };
    build("while Unrestricted");
    assert!(out.join("library-hours/index.html").is_file());
    assert!(out.join("library-hours/report.pdf").is_file());
    // The search sees the marker where it was published: in the page, its JSON and the PDF's text.
    let found: Vec<String> = public_text(&out)
        .into_iter()
        .filter(|(_, text)| text.contains(MARKER))
        .map(|(what, _)| what)
        .collect();
    for place in [
        "library-hours/index.html",
        "report.json (bytes)",
        "report.pdf (text)",
        ".pf_fragment (text)",
    ] {
        assert!(
            found.iter().any(|w| w.ends_with(place)),
            "{place} not searched: {found:?}"
        );
    }
    // An appendix page and a stray file an earlier tool left: neither was written by this build.
    fs::write(out.join("library-hours/old-appendix.html"), MARKER).unwrap();
    edit(
        tree.path(),
        "library-hours/report.md",
        "classification: Unrestricted",
        "classification: Exempt\nexempt_paragraph: 3",
    );
    meeting(
        tree.path(),
        "",
        &format!(
            "{EXEMPT}  - paper: ../library-hours\n    paragraph: 3\n    reason: Contract terms.\n"
        ),
    );
    let printed = build("once Exempt");
    assert!(
        printed.contains("removed") && printed.contains("not published"),
        "{printed}"
    );
    // Of the exempt paper's folder only a notice at its page's address is left, naming nothing.
    let only_notice = || {
        let left: Vec<String> = walkdir::WalkDir::new(out.join("library-hours"))
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["index.html"], "the exempt paper's files are gone");
        let notice = fs::read_to_string(out.join("library-hours/index.html")).unwrap();
        assert!(
            notice.contains("No longer published") && !notice.contains("Library"),
            "{notice}"
        );
    };
    only_notice();
    assert!(!out.join("review/library-hours").exists());
    assert_no_marker(&out);
    // The cache never decides what may stay: a third build leaves it gone.
    build("again");
    only_notice();
    assert_no_marker(&out);
}

#[test]
fn l5_the_confidential_pack_goes_only_where_the_clerk_names_it() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let meeting = tree.path().join("meetings/meeting.yaml");
    let args = |secret: &Path| {
        vec![
            "pack".to_string(),
            meeting.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--confidential".into(),
            secret.display().to_string(),
        ]
    };
    let run = |secret: &Path| {
        let a = args(secret);
        clerk(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // Inside the public output, however it is spelt, it is refused and nothing is written.
    for inside in [
        out.join("confidential"),
        out.join("x/../members"),
        out.clone(),
    ] {
        let (code, printed) = run(&inside);
        assert_eq!(code, 2, "{}: {printed}", inside.display());
        assert!(printed.contains("inside the public output"), "{printed}");
        assert!(!out.join("meetings").exists(), "nothing was packed");
    }
    // Among the papers too.
    let (code, printed) = run(&tree.path().join("members"));
    assert_eq!(code, 2, "{printed}");
    // A bare --confidential names no folder: refused by the command line.
    let (code, _) = clerk(&[
        "pack",
        meeting.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--confidential",
    ]);
    assert_eq!(code, 2);
    // Outside both, the full pack is written there, marked, and the public one holds nothing exempt.
    let secret = tempfile::tempdir().unwrap();
    let (code, printed) = run(secret.path());
    assert_eq!(code, 0, "{printed}");
    let full = secret.path().join("meeting/pack.pdf");
    let text = tool("pdftotext", &[full.to_str().unwrap(), "-"]);
    assert!(
        text.contains(MARKER),
        "the confidential pack has the exempt paper"
    );
    assert_eq!(
        text.matches("NOT FOR PUBLICATION").count(),
        text.matches('\u{c}').count().max(1),
        "every page is marked"
    );
    assert_no_marker(&out);
}

#[test]
fn a_meeting_listing_an_unrestricted_paper_in_part_2_withholds_it() {
    let tree = tree();
    plant_marker_in_library(tree.path());
    meeting(
        tree.path(),
        "",
        &format!(
            "{EXEMPT}  - paper: ../library-hours\n    paragraph: 3\n    reason: Contract terms.\n"
        ),
    );
    let (site, build_code, build, _, pack) = publish(tree.path());
    let out = site.path().join("site");
    assert_eq!(build_code, 1, "{build}");
    assert!(build.contains("C1003"), "{build}");
    assert!(!out.join("library-hours").exists(), "{build}");
    assert!(pack.contains("C1003"), "{pack}");
    assert_no_marker(&out);
}

#[test]
fn a_build_never_empties_a_folder_clerk_did_not_make() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    fs::write(site.path().join("thesis.docx"), "someone's work").unwrap();
    let (code, printed) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{printed}");
    assert!(printed.contains("did not make"), "{printed}");
    assert_eq!(
        fs::read_to_string(site.path().join("thesis.docx")).unwrap(),
        "someone's work"
    );
    // Nor one that holds the papers, however it is spelt.
    let parent = tree.path().join("..");
    let (code, printed) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        tree.path().join("site").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{printed}");
    let (code, printed) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        parent.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{printed}");
}

// Paper text acts on no reader.

#[test]
fn c1_a_folder_name_never_becomes_a_script_link() {
    let tree = tree();
    let evil = "javascript:document.title='PWNED';0";
    fs::rename(tree.path().join("library-hours"), tree.path().join(evil)).unwrap();
    meeting(tree.path(), &format!("  - paper: \"../{evil}\"\n"), EXEMPT);
    let site = tempfile::tempdir().unwrap();
    let (code, printed) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{printed}");
    let index = fs::read_to_string(site.path().join("index.html")).unwrap();
    assert!(!index.contains("href=\"javascript:"), "{index}");
    assert!(
        index.contains("javascript%3Adocument.title%3D%27PWNED%27%3B0/index.html"),
        "{index}"
    );

    let browser_tests = repo().join("tests/browser");
    assert!(
        browser_tests.join("node_modules/playwright-core").is_dir(),
        "run `npm ci --prefix tests/browser` first (scripts/test.sh does)"
    );
    let url = format!("file://{}", site.path().join("index.html").display());
    let output = Command::new("node")
        .arg(browser_tests.join("links.mjs"))
        .arg(&url)
        .output()
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    let protocols = parsed["protocols"].as_array().unwrap();
    assert!(protocols.len() >= 3, "{report}");
    assert!(
        protocols.iter().all(|p| p == "file:"),
        "a link leaves the site: {report}"
    );
    assert!(
        parsed["titles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t != "PWNED"),
        "a click ran script: {report}"
    );
    assert_eq!(parsed["dialogs"], 0, "{report}");
}

#[test]
fn c2_a_line_break_in_a_meeting_field_makes_no_second_calendar_event() {
    let tree = tree();
    let path = tree.path().join("meetings/meeting.yaml");
    let text = fs::read_to_string(&path).unwrap().replace(
        "committee: Communities Cabinet Committee",
        r#"committee: "Communities\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Free money\nX""#,
    );
    fs::write(&path, text).unwrap();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let (code, printed) = clerk(&[
        "pack",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{printed}");
    let ics = fs::read_to_string(out.join("meetings/meeting/meeting.ics")).unwrap();
    // Unfolded, exactly one line opens an event and none is the planted summary.
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(
        unfolded
            .lines()
            .filter(|l| l.starts_with("BEGIN:VEVENT"))
            .count(),
        1,
        "{ics}"
    );
    assert!(
        !unfolded.lines().any(|l| l.starts_with("SUMMARY:Free")),
        "{ics}"
    );
    assert!(!ics.lines().any(|l| l.starts_with("SUMMARY:Free")), "{ics}");
    // Every line ends CRLF, none longer than 75 octets, none with a bare control character.
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
}

#[test]
fn c3_paper_text_never_reaches_the_terminal_as_escape_sequences() {
    let tree = tree();
    let osc = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    // In a value clerk quotes back (a misspelt key) and in a folder's name.
    edit(
        tree.path(),
        "library-hours/report.md",
        "title: ",
        &format!("titel: x{osc}\ntitle: "),
    );
    fs::rename(
        tree.path().join("library-hours"),
        tree.path().join(format!("lib{osc}")),
    )
    .unwrap();
    for colour in ["never", "always"] {
        let (code, printed, _) =
            Clerk::new(&["check", tree.path().to_str().unwrap(), "--color", colour])
                .env_remove("NO_COLOR")
                .run();
        assert_eq!(code, 1, "{printed}");
        assert!(
            printed.contains("C0108") || printed.contains("C0107"),
            "{printed}"
        );
        assert!(
            printed.contains("\\u{1b}]52;c;"),
            "shown visibly: {printed}"
        );
        assert!(!printed.contains('\u{7}'), "a BEL reached the terminal");
        for (at, _) in printed.match_indices('\u{1b}') {
            // Only clerk's own colour (SGR: ESC [ digits/semicolons m), and only when asked.
            assert_eq!(
                colour, "always",
                "an escape with --color never: {printed:?}"
            );
            let sgr = printed[at + 1..].strip_prefix('[').map(|r| {
                r.chars()
                    .take_while(|c| c.is_ascii_digit() || *c == ';')
                    .count()
            });
            let ok = sgr.is_some_and(|n| printed[at + 2 + n..].starts_with('m'));
            assert!(
                ok,
                "a non-colour escape reached the terminal: {:?}",
                &printed[at..at + 12]
            );
        }
    }
}

#[test]
fn s1_the_preview_answers_only_requests_addressed_to_itself() {
    use std::io::{Read, Write};
    let tree = tree();
    let served = Clerk::serve(tree.path());
    let addr = served.addr().to_string();
    let port = addr.rsplit_once(':').unwrap().1.to_string();
    let status = |host: Option<&str>| {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
        write!(
            stream,
            "GET /library-hours/index.html HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    let ours = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let theirs = [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("127.0.0.1:{}", port.parse::<u32>().unwrap() + 1),
        "127.0.0.1".to_string(),
    ];
    let results: Vec<(String, String)> = ours
        .iter()
        .chain(theirs.iter())
        .map(|h| (h.clone(), status(Some(h))))
        .chain([("no Host".to_string(), status(None))])
        .collect();
    drop(served);
    for (host, got) in &results[..2] {
        assert_eq!(got, "200", "{host}: {results:?}");
    }
    for (host, got) in &results[2..results.len() - 1] {
        assert_eq!(got, "421", "{host}: {results:?}");
    }
    // With no Host at all, HTTP/1.1 itself refuses it (400) if clerk does not (421).
    let (_, got) = &results[results.len() - 1];
    assert!(got == "400" || got == "421", "{results:?}");
}

// The output folder is the only thing written, and never through a link.

#[cfg(unix)]
#[test]
fn a_link_in_the_output_folder_is_never_written_or_removed_through() {
    let tree = tree();
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let outside = site.path().join("outside");
    fs::create_dir_all(outside.join("staging")).unwrap();
    fs::write(outside.join("staging/keep.txt"), "someone's file").unwrap();
    fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&outside, out.join(".clerk")).unwrap();
    for args in [
        vec![
            "build",
            tree.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        vec![
            "pack",
            tree.path().join("meetings/meeting.yaml").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let (code, printed) = clerk(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(code, 2, "{printed}");
        assert!(printed.contains("symbolic link"), "{printed}");
    }
    assert_eq!(
        fs::read_to_string(outside.join("staging/keep.txt")).unwrap(),
        "someone's file"
    );
    assert_eq!(
        fs::read_dir(&outside).unwrap().count(),
        1,
        "nothing new outside"
    );
}

/// The site's own pages read the catalogue of what was published, never the papers: an
/// exempt key decision is in the forward plan and the index by its title and paragraph
/// alone, and nothing of it (its recommendations name the marker) reaches the index, the
/// forward plan (page and PDF), the search index or the open data.
#[test]
fn an_exempt_key_decision_is_named_in_the_site_pages_and_nothing_more() {
    let tree = tree();
    edit(
        tree.path(),
        "staff-restructure/report.md",
        "key_decision: false",
        "key_decision: true\nforward_plan_date: 2021-01-04",
    );
    let (site, build_code, build, _, _) = publish(tree.path());
    let out = site.path().join("site");
    assert!(build_code == 0 || build_code == 1, "{build}");
    let plan = fs::read_to_string(out.join("forward-plan/index.html")).unwrap();
    assert!(
        plan.contains("Restructure of the Records Team")
            && plan.contains("Exempt under paragraph 1 of Schedule 12A"),
        "{plan}"
    );
    let pdf = tool(
        "pdftotext",
        &[
            out.join("forward-plan/forward-plan.pdf").to_str().unwrap(),
            "-",
        ],
    );
    assert!(pdf.contains("Restructure of the Records Team"), "{pdf}");
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("exempt under Schedule 12A (paragraph 1)"),
        "{index}"
    );
    // The open data names it as the index does, by title and paragraph, and says nothing more:
    // no date, number, file or link.
    let oparl: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(out.join("oparl/paper/staff-restructure.json")).unwrap(),
    )
    .unwrap();
    let mut keys: Vec<&str> = oparl
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, ["body", "id", "keyword", "name", "type"], "{oparl:#}");
    assert_eq!(oparl["name"], "Restructure of the Records Team");
    assert_eq!(
        oparl["keyword"][0],
        "exempt under paragraph 1 of Schedule 12A to the Local Government Act 1972"
    );
    // The leak search reads the open data.
    let searched: Vec<String> = public_text(&out)
        .into_iter()
        .map(|(what, _)| what)
        .collect();
    for file in [
        "oparl/paper/staff-restructure.json (bytes)",
        "oparl/meeting/meeting.json (bytes)",
    ] {
        assert!(
            searched.iter().any(|w| w.ends_with(file)),
            "{file} not searched: {searched:?}"
        );
    }
    assert_no_marker(&out);
}
