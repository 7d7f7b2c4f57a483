//! `clerk pack` end to end: page numbers on the agenda, no exempt text in any public output,
//! the statutory deadlines on both sides of each boundary, and what refuses a pack.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{copy_tree, repo};

fn clerk(args: &[&str]) -> (i32, String, String) {
    crate::common::clerk(args, &repo())
}

fn require_typst() {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    run(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    )
}

fn pages(pdf: &Path) -> usize {
    run("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap()
}

/// A copy of the pack fixture tree, in a temporary folder that also holds the output beside it
/// (clerk refuses an output folder among the papers).
struct Tree {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Tree {
    fn path(&self) -> &Path {
        &self.root
    }
}

/// A copy of the pack fixture tree with a meeting file written from `meeting`.
fn tree_with(meeting: &str) -> Tree {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tree");
    let from = repo().join("tests/fixtures/packs/tree");
    copy_tree(&from, &root);
    fs::create_dir_all(root.join("meetings")).unwrap();
    fs::write(root.join("meetings/meeting.yaml"), meeting).unwrap();
    Tree { _dir: dir, root }
}

fn meeting(published: &str, part1: &str, part2: &str) -> String {
    format!(
        "committee: Communities Cabinet Committee\ndate: 2021-03-09\ntime: \"10:00\"\nvenue: Council Chamber\npublished: {published}\npart1:\n  - standard: apologies\n  - standard: minutes\n    text: To agree the minutes of 12 January 2021.\n{part1}part2:\n{part2}"
    )
}

const LIBRARY: &str = "  - paper: ../library-hours\n";
const EXEMPT: &str = "  - paper: ../staff-restructure\n    paragraph: 1\n    reason: The report names an employee.\n";

fn pack(dir: &Path, extra: &[&str]) -> (i32, String, PathBuf) {
    let out = dir.parent().unwrap().join("out");
    let meeting = dir.join("meetings/meeting.yaml");
    let mut args = vec![
        "pack",
        meeting.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let (code, stdout, stderr) = clerk(&args);
    (
        code,
        format!("{stdout}{stderr}"),
        out.join("meetings/meeting"),
    )
}

#[test]
fn agenda_page_numbers_match_where_items_begin() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, EXEMPT));
    let (code, output, dir) = pack(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    let pdf = dir.join("pack.pdf");
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let agenda = page_text(&pdf, 1);
    let mut checked = 0;
    for line in agenda.lines() {
        // "3.   Library Opening Hours        3"
        let words: Vec<&str> = line.split_whitespace().collect();
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            continue;
        };
        let (Some(number), Ok(page)) = (
            first
                .strip_suffix('.')
                .and_then(|n| n.parse::<usize>().ok()),
            last.parse::<usize>(),
        ) else {
            continue;
        };
        let title = words[1..words.len() - 1].join(" ");
        let text: String = page_text(&pdf, page)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains(&format!("{number}. {title}")),
            "agenda says item {number} ({title}) starts on page {page}, but it does not:\n{text}"
        );
        // (The agenda itself is page 1, and names every item.)
        if page > 2 {
            let before: String = page_text(&pdf, page - 1)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                !before.contains(&format!("{number}. {title}")),
                "item {number} begins before page {page}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "too few agenda lines read:\n{agenda}");
    // Continuous page numbers in the footer of every page.
    for p in 1..=pages(&pdf) {
        assert!(
            page_text(&pdf, p).contains(&format!("Page {p}")),
            "page {p} lacks its number"
        );
    }
}

#[test]
fn no_sentence_of_an_exempt_paper_reaches_any_public_output() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, EXEMPT));
    let secret = tempfile::tempdir().unwrap();
    let secret_dir = secret.path().join("members");
    let (code, output, dir) = pack(
        tree.path(),
        &["--confidential", secret_dir.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{output}");
    let exempt = fs::read_to_string(tree.path().join("staff-restructure/report.md")).unwrap();
    let body = exempt.split("---").nth(2).unwrap();
    let sentences: Vec<String> = body
        .split(['.', '\n'])
        .map(|s| {
            s.trim()
                .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
                .to_string()
        })
        .filter(|s| s.len() > 20 && !s.contains("{{"))
        .chain([
            "Jordan Quillfeather".to_string(),
            "£48,311.27".to_string(),
            "formal grievance".to_string(),
        ])
        .collect();
    assert!(sentences.len() >= 5, "{sentences:?}");

    let pdf = dir.join("pack.pdf");
    let xml = dir.join("outline");
    Command::new("pdftohtml")
        .args(["-q", "-s", "-i", "-xml"])
        .arg(&pdf)
        .arg(&xml)
        .output()
        .unwrap();
    let public = [
        ("pack text", run("pdftotext", &[pdf.to_str().unwrap(), "-"])),
        (
            "pack metadata",
            run("pdfinfo", &["-meta", pdf.to_str().unwrap()]),
        ),
        (
            "pack bookmarks",
            fs::read_to_string(dir.join("outline.xml")).unwrap(),
        ),
        (
            "meeting page",
            fs::read_to_string(dir.join("index.html")).unwrap(),
        ),
        (
            "meeting JSON",
            fs::read_to_string(dir.join("meeting.json")).unwrap(),
        ),
        (
            "pack JSON",
            fs::read_to_string(dir.join("pack.json")).unwrap(),
        ),
        (
            "calendar",
            fs::read_to_string(dir.join("meeting.ics")).unwrap(),
        ),
    ];
    for (what, text) in &public {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in &sentences {
            assert!(
                !flat.contains(s.as_str()),
                "the {what} holds exempt text: {s:?}"
            );
        }
    }
    // The public outputs still name the item and its paragraph.
    let pack_text = &public[0].1;
    assert!(
        pack_text.contains("Restructure of the Records Team") && pack_text.contains("paragraph 1")
    );
    // The confidential pack has it all, marked on every page.
    assert!(
        !dir.join("confidential").exists(),
        "nothing confidential in the public output"
    );
    let confidential = secret_dir.join("meeting/pack.pdf");
    let full = run("pdftotext", &[confidential.to_str().unwrap(), "-"]);
    assert!(full.contains("Jordan Quillfeather"));
    for p in 1..=pages(&confidential) {
        assert!(
            page_text(&confidential, p).contains("NOT FOR PUBLICATION"),
            "confidential page {p} unmarked"
        );
    }
}

#[test]
fn the_agenda_needs_five_clear_days() {
    require_typst();
    // Meeting Tuesday 9 March: published 3 March leaves 4-8 March, five clear days.
    let (code, output, _) = pack(tree_with(&meeting("2021-03-03", LIBRARY, "")).path(), &[]);
    assert_eq!(code, 0, "five clear days are enough:\n{output}");
    let (code, output, dir) = pack(tree_with(&meeting("2021-03-04", LIBRARY, "")).path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("C0904") && output.contains("4 clear days"),
        "{output}"
    );
    assert!(output.contains("C0907"), "the pack is refused: {output}");
    assert!(!dir.join("pack.pdf").exists());
}

#[test]
fn a_key_decision_needs_twenty_eight_clear_days_notice() {
    require_typst();
    let with_notice = |date: &str| {
        let tree = tree_with(&meeting("2021-03-01", LIBRARY, ""));
        let report = tree.path().join("library-hours/report.md");
        let text = fs::read_to_string(&report).unwrap().replace(
            "forward_plan_date: 2021-01-29",
            &format!("forward_plan_date: {date}"),
        );
        fs::write(&report, text).unwrap();
        tree
    };
    // Meeting 9 March 2021: notice on 8 February leaves 9 February-8 March, 28 clear days.
    let (code, output, _) = pack(with_notice("2021-02-08").path(), &[]);
    assert_eq!(code, 0, "28 clear days are enough:\n{output}");
    let (code, output, _) = pack(with_notice("2021-02-09").path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("C0905") && output.contains("27 clear days"),
        "{output}"
    );
}

#[test]
fn an_exempt_paper_in_part_1_is_never_packed() {
    let tree = tree_with(&meeting(
        "2021-03-01",
        &format!("{LIBRARY}  - paper: ../staff-restructure\n"),
        "",
    ));
    let (code, output, dir) = pack(tree.path(), &["--allow-errors"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("C0903"), "{output}");
    assert!(!dir.join("pack.pdf").exists() && !dir.join("index.html").exists());
}

#[test]
fn missing_and_repeated_papers_are_errors() {
    let tree = tree_with(&meeting(
        "2021-03-01",
        &format!("{LIBRARY}{LIBRARY}  - paper: ../no-such-paper\n"),
        "",
    ));
    let (code, output, _) = pack(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("C0901") && output.contains("C0902"),
        "{output}"
    );
    assert!(
        output.contains("meeting.yaml:"),
        "findings point into the meeting file: {output}"
    );
}

#[test]
fn papers_with_errors_stop_the_pack_unless_allowed() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, ""));
    let report = tree.path().join("library-hours/report.md");
    let text = fs::read_to_string(&report)
        .unwrap()
        .replace("sam.reader@test.gov.uk", "sam.reader@test.gvo.uk");
    fs::write(&report, text).unwrap();
    let (code, output, dir) = pack(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(
        output.contains("C0709") && output.contains("C0907") && output.contains("library-hours"),
        "{output}"
    );
    assert!(!dir.join("pack.pdf").exists());
    let (code, output, dir) = pack(tree.path(), &["--allow-errors"]);
    assert_eq!(code, 1, "errors still fail the run: {output}");
    assert!(
        dir.join("pack.pdf").is_file(),
        "a draft pack is made: {output}"
    );
}

#[test]
fn the_example_meeting_packs_cleanly_and_deterministically() {
    require_typst();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for out in [&a, &b] {
        let (code, output, _) = clerk(&[
            "pack",
            "papers/meetings/2021-03-09-cype-cabinet-committee.yaml",
            "--out",
            out.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{output}");
    }
    let dir = "meetings/2021-03-09-cype-cabinet-committee";
    for file in ["pack.pdf", "index.html", "meeting.ics", "meeting.json"] {
        let (x, y) = (
            fs::read(a.path().join(dir).join(file)).unwrap(),
            fs::read(b.path().join(dir).join(file)).unwrap(),
        );
        assert!(x == y, "{file} differs between two runs");
    }
    let ics = fs::read_to_string(a.path().join(dir).join("meeting.ics")).unwrap();
    assert!(
        ics.contains("DTSTART;TZID=Europe/London:20210309T140000"),
        "{ics}"
    );
}

#[test]
fn clerk_build_never_publishes_an_exempt_paper() {
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, EXEMPT));
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("site");
    let (code, output, _) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{output}");
    assert!(
        !out.join("staff-restructure").exists(),
        "no pages for the exempt paper"
    );
    assert!(
        !out.join("review/staff-restructure").exists(),
        "no review page either"
    );
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
    {
        let text = String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).into_owned();
        assert!(
            !text.contains("Quillfeather"),
            "{} holds exempt text",
            entry.path().display()
        );
    }
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        index.contains("Restructure of the Records Team") && index.contains("not published"),
        "the index names it"
    );
}

#[test]
fn an_agenda_item_must_be_a_standard_item_or_a_paper() {
    let tree = tree_with(&meeting(
        "2021-03-01",
        "  - title: Something else entirely\n",
        "",
    ));
    let (code, output, _) = pack(tree.path(), &[]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("C0906"), "{output}");
}

fn with_supplement(reason: &str) -> Tree {
    let supplement = format!(
        "supplements:\n  - number: 1\n    published: 2021-03-05\n{reason}    items:\n      - paper: ../library-hours\n"
    );
    tree_with(&(meeting("2021-03-01", "", "") + &supplement))
}

#[test]
fn a_supplement_continues_the_main_packs_page_numbers() {
    require_typst();
    let tree = with_supplement("    reason: The report was delayed by the budget meeting.\n");
    let (code, output, dir) = pack(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    let main_pages = pages(&dir.join("pack.pdf"));
    let (code, output, dir) = pack(tree.path(), &["--supplement", "1"]);
    assert_eq!(code, 0, "{output}");
    let supplement = dir.join("supplement-1.pdf");
    let front = page_text(&supplement, 1);
    assert!(
        front.contains(&format!("Page {}", main_pages + 1)),
        "the supplement starts after page {main_pages}:\n{front}"
    );
    assert!(
        front.contains("The report was delayed by the budget meeting."),
        "{front}"
    );
    // Items are numbered after the main agenda's (apologies, minutes: the late item is 3).
    let flat: String = front.split_whitespace().collect::<Vec<_>>().join(" ");
    let page: usize = flat
        .split("3. Library Opening Hours ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{flat}"));
    let where_it_is = page - main_pages;
    assert!(
        page_text(&supplement, where_it_is).contains("Library Opening Hours"),
        "item 3 is on page {page}"
    );
}

#[test]
fn a_supplement_must_say_why_its_items_are_late() {
    let (code, output, _) = pack(with_supplement("").path(), &["--supplement", "1"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("C0908"), "{output}");
    let (code, output, _) = pack(with_supplement("").path(), &["--supplement", "2"]);
    assert_eq!(code, 2, "no such supplement: {output}");
}

#[test]
fn each_papers_meeting_row_shows_the_meetings_date() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, ""));
    // A report dated when it was written, for the meeting of 9 March.
    let report = tree.path().join("library-hours/report.md");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        text.replace("meeting_date: 2021-03-09", "date: 2021-02-04"),
    )
    .unwrap();
    let (code, output, dir) = pack(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    let pdf = dir.join("pack.pdf");
    let text = run("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    // The paper's cover block, one row a line: "Meeting      9 March 2021".
    let rows: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| l.starts_with("Meeting "))
        .collect();
    assert_eq!(rows, ["Meeting 9 March 2021"], "{text}");
    // The report's own date is there too, under its own label.
    let dated: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("4 February 2021"))
        .collect();
    assert_eq!(dated.len(), 1, "{text}");
    assert!(dated[0].trim_start().starts_with("Report date"), "{text}");
}

#[test]
fn a_pack_made_before_the_build_warns_of_the_pages_it_links_to() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, EXEMPT));
    // An output folder of its own: `clerk build` refuses one inside the papers.
    let site = tempfile::tempdir().unwrap();
    let out = site.path().join("out");
    let meeting = tree.path().join("meetings/meeting.yaml");
    let pack = || {
        clerk(&[
            "pack",
            meeting.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
    };
    // No `clerk build` yet: the meeting page links to a report page that is not there.
    let (code, output, _) = pack();
    assert_eq!(code, 0, "a warning, not an error: {output}");
    assert!(
        output.contains("warning[C0909]")
            && output.contains(&format!(
                "{}",
                out.join("library-hours/index.html").display()
            ))
            && output.contains("clerk build"),
        "{output}"
    );
    assert_eq!(output.matches("[C0909]").count(), 1, "{output}");
    let page = fs::read_to_string(out.join("meetings/meeting/index.html")).unwrap();
    assert!(page.contains("library-hours/index.html"), "{page}");
    // Built first into the same folder, the page is there and nothing is said.
    let (code, built, _) = clerk(&[
        "build",
        tree.path().to_str().unwrap(),
        "--no-pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(matches!(code, 0 | 1), "{built}");
    assert!(out.join("library-hours/index.html").is_file(), "{built}");
    let (code, output, _) = pack();
    assert_eq!(code, 0, "{output}");
    assert!(!output.contains("C0909"), "{output}");
}

#[test]
fn a_pack_is_never_written_among_the_papers() {
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, EXEMPT));
    let meeting = tree.path().join("meetings/meeting.yaml");
    for out in [
        tree.path().join("out"),
        tree.path().join("meetings/../site"),
        tree.path().to_path_buf(),
    ] {
        let (code, _, stderr) = clerk(&[
            "pack",
            meeting.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{}: {stderr}", out.display());
        assert!(stderr.contains("overlap"), "{stderr}");
    }
    assert!(!tree.path().join("out").exists() && !tree.path().join("site").exists());
}

/// `clerk build TREE --out OUT` (HTML and JSON), beside the pack's output.
fn build(dir: &Path) -> (i32, String) {
    let out = dir.parent().unwrap().join("out");
    let (code, stdout, stderr) = clerk(&[
        "build",
        dir.to_str().unwrap(),
        "--no-pdf",
        "--out",
        out.to_str().unwrap(),
    ]);
    (code, format!("{stdout}{stderr}"))
}

#[test]
fn a_build_keeps_what_pack_made_until_its_meeting_is_gone() {
    require_typst();
    let tree = with_supplement("    reason: The report was delayed by the budget meeting.\n");
    let meeting_file = tree.path().join("meetings/meeting.yaml");
    let text = fs::read_to_string(&meeting_file).unwrap();
    fs::write(
        &meeting_file,
        text.replace("part2:\n", &format!("part2:\n{EXEMPT}")),
    )
    .unwrap();
    let (code, output) = build(tree.path());
    assert_eq!(code, 0, "{output}");
    let (code, output, dir) = pack(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    let (code, output, _) = pack(tree.path(), &["--supplement", "1"]);
    assert_eq!(code, 0, "{output}");
    let made = ["pack.pdf", "supplement-1.pdf", "meeting.ics"];
    let before: Vec<Vec<u8>> = made
        .iter()
        .map(|f| fs::read(dir.join(f)).unwrap())
        .collect();
    // A rebuild, and another with nothing changed, keep the packs byte for byte. (The first
    // indexes the meeting's page again for search, now that it links its packs; the second
    // removes nothing.)
    for again in [false, true] {
        let (code, output) = build(tree.path());
        assert_eq!(code, 0, "{output}");
        assert!(!output.contains("removed the pack"), "{output}");
        assert!(!again || !output.contains("removed"), "{output}");
        for (f, bytes) in made.iter().zip(&before) {
            assert_eq!(&fs::read(dir.join(f)).unwrap(), bytes, "{f} changed");
        }
    }
    // The site's record says what made each file.
    let record = fs::read_to_string(dir.join("../../.clerk/site.json")).unwrap();
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert_eq!(
        record["files"]["meetings/meeting/pack.pdf"]["kind"], "pack",
        "{record}"
    );
    assert_eq!(
        record["files"]["library-hours/index.html"]["kind"], "paper",
        "{record}"
    );
    // A paper in the pack that is no longer public takes the pack with it.
    let report = tree.path().join("library-hours/report.md");
    let public = fs::read_to_string(&report).unwrap();
    fs::write(
        &report,
        public.replace(
            "classification: Unrestricted",
            "classification: Exempt\nexempt_paragraph: 3",
        ),
    )
    .unwrap();
    let (_, output) = build(tree.path());
    assert!(
        output.contains("removed the pack of meeting meeting") && output.contains("no longer"),
        "{output}"
    );
    for f in &made[..2] {
        assert!(
            !dir.join(f).exists(),
            "{f} outlived its paper's publication"
        );
    }
    // The meeting's own page stays (the build makes it), naming the item with no link.
    let page = fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(
        !page.contains("pack.pdf") && !page.contains("library-hours/"),
        "{page}"
    );
    // Made again once the paper is public, then gone with its meeting file.
    fs::write(&report, public).unwrap();
    build(tree.path());
    let (code, output, _) = pack(tree.path(), &[]);
    assert_eq!(code, 0, "{output}");
    assert!(dir.join("pack.pdf").is_file());
    fs::remove_file(&meeting_file).unwrap();
    let (_, output) = build(tree.path());
    assert!(output.contains("its meeting file is gone"), "{output}");
    assert!(!dir.join("pack.pdf").exists(), "{output}");
}

/// Two meeting files of one name in different folders: the build warns (C1202), naming both,
/// and publishes each under its name and folder, both linked from the index; `clerk pack`
/// writes each one's pack where the build put its page, so neither hides the other.
#[test]
fn two_meeting_files_of_one_name_each_get_a_page_and_a_pack() {
    require_typst();
    let tree = tree_with(&meeting("2021-03-01", LIBRARY, ""));
    let other = tree.path().join("panel/meetings");
    fs::create_dir_all(&other).unwrap();
    fs::write(
        other.join("meeting.yaml"),
        meeting("2021-03-01", "  - paper: ../../library-hours\n", "")
            .replace("Communities Cabinet Committee", "Libraries Panel"),
    )
    .unwrap();
    let (code, output) = build(tree.path());
    assert_eq!(code, 0, "{output}");
    assert!(
        output.contains("warning[C1202]")
            && output.contains("panel/meetings/meeting.yaml` as meetings/meeting-panel/")
            && output.contains("tree/meetings/meeting.yaml` as meetings/meeting-papers/"),
        "{output}"
    );
    let out = tree.path().parent().unwrap().join("out");
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    for id in ["meeting-papers", "meeting-panel"] {
        assert!(
            index.contains(&format!("meetings/{id}/index.html")),
            "{id} is not linked: {index}"
        );
    }
    assert!(
        fs::read_to_string(out.join("meetings/meeting-panel/index.html"))
            .unwrap()
            .contains("Libraries Panel")
    );
    assert!(!out.join("meetings/meeting").exists());
    let panel = other.join("meeting.yaml");
    let (code, stdout, stderr) = clerk(&[
        "pack",
        panel.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(out.join("meetings/meeting-panel/pack.pdf").is_file());
    assert!(!out.join("meetings/meeting-papers/pack.pdf").exists());
    // A rebuild keeps it, and the panel's page links it.
    let (code, output) = build(tree.path());
    assert_eq!(code, 0, "{output}");
    let page = fs::read_to_string(out.join("meetings/meeting-panel/index.html")).unwrap();
    assert!(page.contains("pack.pdf"), "{page}");
}
