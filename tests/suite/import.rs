//! `clerk import` and `clerk check FILE.docx` end to end: Word papers made here with real Word
//! list numbering and merged cells, as a council's template makes them.

use std::fs;

use clerk::import::word::{bold, bold_cell, cell, item, level, pack, text};
use docx_rs::{AbstractNumbering, Docx, Numbering, Table, TableCell, TableRow, VMergeType};

use crate::common::{clerk, repo};

/// Numbering: 1 = recommendations (i., ii.), 2 = paragraphs (1., 1.1.), 3 = sub-items (i.).
fn numbered() -> Docx {
    Docx::new()
        .add_abstract_numbering(AbstractNumbering::new(1).add_level(level(0, "lowerRoman", "%1.")))
        .add_abstract_numbering(
            AbstractNumbering::new(2)
                .add_level(level(0, "decimal", "%1."))
                .add_level(level(1, "decimal", "%1.%2.")),
        )
        .add_numbering(Numbering::new(1, 1))
        .add_numbering(Numbering::new(2, 2))
}

const REC_III: &str = "To re-procure the Young Carers Service with an additional re-provision of £100k (new total £425,484) from the existing commissioning budget.";

/// A Kent-style report, with the real slip of the 20/00017 paper: £425,484 for £425,484.88.
fn report() -> Vec<u8> {
    let docx = numbered()
        .add_paragraph(text(
            "From: Matt Dunkley, Corporate Director of Children, Young People and Education",
        ))
        .add_paragraph(text(
            "To: Sue Chandler, Cabinet Member for Integrated Children's Services",
        ))
        .add_paragraph(text("Decision No: 20/00017"))
        .add_paragraph(text("Subject: Early Help Recommissioning"))
        .add_paragraph(text("Classification: Unrestricted"))
        .add_paragraph(text("Key decision: Yes"))
        .add_paragraph(text("Electoral Division: All"))
        .add_paragraph(bold("Summary:"))
        .add_paragraph(text("This report proposes changes to three contracts."))
        .add_paragraph(bold("Recommendation(s):"))
        .add_paragraph(text(
            "The Cabinet Member is asked to approve the proposal to:",
        ))
        .add_paragraph(item("Bring the Family Support Service in-house.", 1, 0))
        .add_paragraph(item(
            "Pass the NEET contract to The Education People.",
            1,
            0,
        ))
        .add_paragraph(item(REC_III, 1, 0))
        .add_paragraph(item("Introduction", 2, 0))
        .add_paragraph(item(
            "Current spend per annum on these contracts is detailed in Figure 1, below.",
            2,
            1,
        ))
        .add_paragraph(text("Figure 1: Current spend per annum"))
        .add_table(Table::new(vec![
            TableRow::new(vec![
                cell("Contract Name"),
                cell("Provider"),
                cell("Costings"),
            ]),
            TableRow::new(vec![
                cell("A. Young Carers"),
                cell("Imago"),
                cell("£325,484.88"),
            ]),
            TableRow::new(vec![cell("B. NEET"), cell("CXK Ltd"), cell("£498,410.40")]),
            TableRow::new(vec![
                cell("C. Family Support").vertical_merge(VMergeType::Restart),
                cell("Porchlight"),
                cell("£1,240,000.00"),
            ]),
            TableRow::new(vec![
                TableCell::new().vertical_merge(VMergeType::Continue),
                cell("Project Salus"),
                cell("£860,400.00"),
            ]),
            TableRow::new(vec![
                TableCell::new().vertical_merge(VMergeType::Continue),
                bold_cell("Family Support Total"),
                bold_cell("£2,100,400.00"),
            ]),
            TableRow::new(vec![
                bold_cell("Total current Spend").grid_span(2),
                bold_cell("£2,924,295.28"),
            ]),
        ]))
        .add_paragraph(item("The uplift for young carers is £100k.", 2, 1))
        .add_paragraph(item("Financial Implications", 2, 0))
        .add_paragraph(item("The total in scope is £2,924,295.28 per annum.", 2, 1))
        .add_paragraph(bold("Contact Details"))
        .add_paragraph(text("Report Author: Christy Holden"))
        .add_paragraph(text("Job title: Lead Children's Commissioner"))
        .add_paragraph(text("Telephone number: 03000 415356"))
        .add_paragraph(text("Email address: christy.holden@kent.gov.uk"));
    pack(docx)
}

/// Kent's Record of Decision for the report above, labels on lines of their own as the
/// template prints them; decision ii drifts from recommendation ii.
fn record(decision_ii: &str) -> Vec<u8> {
    let docx = numbered()
        .add_paragraph(bold("KENT COUNTY COUNCIL – RECORD OF DECISION"))
        .add_paragraph(bold("DECISION TAKEN BY:"))
        .add_paragraph(bold("Sue Chandler, Cabinet Member for Integrated Children's Services"))
        .add_paragraph(bold("DECISION NO:"))
        .add_paragraph(bold("20/00017"))
        .add_paragraph(text("Unrestricted"))
        .add_paragraph(text("Key decision: YES"))
        .add_paragraph(bold("Subject: Early Help Recommissioning"))
        .add_paragraph(bold("Decision:"))
        .add_paragraph(item("Bring the Family Support Service in-house.", 1, 0))
        .add_paragraph(item(decision_ii, 1, 0))
        .add_paragraph(item(REC_III, 1, 0))
        .add_paragraph(bold("Reason(s) for decision:"))
        .add_paragraph(text("The proposals deliver an in-year saving of £1m."))
        .add_paragraph(bold("Financial Implications"))
        .add_paragraph(text("The total in scope is £2,924,295.28 per annum."))
        .add_paragraph(bold("Any alternatives considered and rejected:"))
        .add_paragraph(text("Retaining the current contracts was considered and rejected."))
        .add_paragraph(bold("Any interest declared when the decision was taken and any dispensation granted by the Proper Officer: None"))
        .add_paragraph(text("....."))
        .add_paragraph(bold("signed"))
        .add_paragraph(bold("29 May 2020"))
        .add_paragraph(text("....."))
        .add_paragraph(bold("date"));
    pack(docx)
}

fn kent_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        repo().join("papers/council.yaml"),
        dir.path().join("council.yaml"),
    )
    .unwrap();
    fs::write(dir.path().join("report.docx"), report()).unwrap();
    dir
}

#[test]
fn a_word_report_imports_with_its_numbers_table_and_header() {
    let dir = kent_folder();
    let (code, stdout, stderr) = clerk(&["import", "report.docx", "--out", "papers"], dir.path());
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("imported report.docx → papers/20-00017/report.md"),
        "{stdout}"
    );
    let paper = fs::read_to_string(dir.path().join("papers/20-00017/report.md")).unwrap();
    for want in [
        "decision_number: \"20/00017\"\n",
        "title: \"Early Help Recommissioning\"\n",
        "  - name: \"Matt Dunkley\"\n    role: \"Corporate Director of Children, Young People and Education\"\n",
        "to: \"Sue Chandler, Cabinet Member for Integrated Children's Services\"\n",
        "classification: Unrestricted\n",
        "key_decision: true\n",
        "electoral_divisions: \"All\"\n",
        "  - id: \"i\"\n    text: \"Bring the Family Support Service in-house.\"\n",
        "  - id: \"iii\"\n",
        "## 1. Introduction\n",
        "\n1.1. Current spend per annum",
        "Figure 1: Current spend per annum {#figure-1}\n",
        "| C. Family Support | Porchlight | £1,240,000.00 |\n| | Project Salus | £860,400.00 |\n",
        "| | **Family Support Total** | **£2,100,400.00** |\n",
        "| **Total current Spend** | | **£2,924,295.28** |\n",
        "\n1.2. The uplift",
        "## 2. Financial Implications\n",
        "{{ recommendations }}\n",
        "    phone: \"03000 415356\"",
    ] {
        assert!(paper.contains(want), "missing {want:?} in:\n{paper}");
    }
    // The paper it made is a paper clerk reads, and the real slip is found in it.
    let (code, stdout, _) = clerk(&["check", "papers"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[C0401]: £425,484 is £0.88 short"),
        "{stdout}"
    );
}

#[test]
fn import_never_overwrites() {
    let dir = kent_folder();
    assert_eq!(
        clerk(&["import", "report.docx", "--out", "papers"], dir.path()).0,
        0
    );
    let path = dir.path().join("papers/20-00017/report.md");
    fs::write(&path, "edited by the author\n").unwrap();
    let (code, stdout, _) = clerk(&["import", "report.docx", "--out", "papers"], dir.path());
    assert_eq!(code, 1);
    assert!(stdout.contains("error[C1102]"), "{stdout}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "edited by the author\n");
}

#[test]
fn checking_a_word_file_points_at_its_paragraph() {
    let dir = kent_folder();
    let (code, stdout, _) = clerk(&["check", "report.docx"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let slip = stdout
        .split("\n\n")
        .find(|d| d.contains("error[C0401]: £425,484"))
        .unwrap_or_else(|| panic!("no slip in:\n{stdout}"));
    // Shown where it is in the original: paragraph 14 of the body is recommendation iii,
    // quoted with its Word number and the amount underlined; clerk's copy only in a note.
    assert!(slip.contains("┌─ report.docx:14:"), "{slip}");
    // The original line is long: a window of it around the amount (main's long-line rule).
    assert!(
        slip.lines()
            .any(|l| l.contains(" │ ") && l.contains("(new total £425,484) from the existing")),
        "{slip}"
    );
    assert!(slip.contains("^^^^^^^^ nearly matches"), "{slip}");
    assert!(
        slip.contains("= in clerk's converted copy: report.docx (imported):"),
        "{slip}"
    );
    assert!(!slip.contains("┌─ report.docx (imported)"), "{slip}");
    assert!(!dir.path().join("papers").exists(), "check wrote nothing");
}

#[test]
fn files_that_cannot_be_read_are_refused_clearly() {
    let dir = kent_folder();
    fs::write(dir.path().join("notes.docx"), "just text, renamed").unwrap();
    let (code, stdout, _) = clerk(&["check", "notes.docx"], dir.path());
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains(
            "error[C1101]: cannot import `notes.docx`: the file cannot be read: it is not a .docx"
        ),
        "{stdout}"
    );
    let (code, stdout, _) = clerk(&["import", "notes.docx"], dir.path());
    assert_eq!(code, 1);
    assert!(stdout.contains("error[C1101]"), "{stdout}");
    let (code, _, stderr) = clerk(&["check", "report.docx", "papers"], dir.path());
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_word_record_imports_and_is_checked_against_its_report() {
    let dir = kent_folder();
    fs::write(
        dir.path().join("decision.docx"),
        record("Pass the NEET contract to The Education People."),
    )
    .unwrap();
    let (code, stdout, _) = clerk(&["import", "decision.docx", "--out", "papers"], dir.path());
    assert_eq!(code, 0, "{stdout}");
    let paper = fs::read_to_string(dir.path().join("papers/20-00017/decision.md")).unwrap();
    for want in [
        "status: taken\n",
        "decision_number: \"20/00017\"\n",
        "subject: \"Early Help Recommissioning\"\n",
        "decision_maker:\n  name: \"Sue Chandler\"\n  role: \"Cabinet Member for Integrated Children's Services\"\n",
        "date: 2020-05-29  # import: check\n",
        "key_decision: true\n",
        "classification: Unrestricted\n",
        "  - id: \"ii\"\n    text: \"Pass the NEET contract to The Education People.\"\n",
        "reasons: |-\n  The proposals deliver an in-year saving of £1m.\n",
        "alternatives: |-\n  Retaining the current contracts was considered and rejected.\n",
        "interests: |-\n  None\n",
        "dispensations: |-\n  None\n",
        "## Financial Implications\n",
    ] {
        assert!(paper.contains(want), "missing {want:?} in:\n{paper}");
    }
    assert!(!paper.contains("signed"), "{paper}");

    // Checked with its report, in memory: the drifting decision is found.
    fs::write(
        dir.path().join("drifted.docx"),
        record("Pass the NEET contract to Kent Commercial Services."),
    )
    .unwrap();
    let (code, stdout, _) = clerk(&["check", "report.docx", "drifted.docx"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let drift = stdout
        .split("\n\n")
        .find(|d| d.contains("drifted.docx (imported)") && d.contains("Kent Commercial Services"))
        .unwrap_or_else(|| panic!("no drift found in:\n{stdout}"));
    assert!(
        drift.contains("= in drifted.docx, paragraph 11: «ii. Pass the NEET"),
        "{drift}"
    );
}

/// Each distinct finding (code, severity and message) of `clerk check` on the given paths.
fn findings(args: &[&str]) -> std::collections::BTreeSet<(String, String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (_, stdout, stderr) = clerk(&all, &repo());
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Codes an imported paper may add to the findings of its original, each for a reason the
/// Word file cannot help: clerk's annotations (figures, formulas, outside amounts) and facts
/// the template does not print are not in it.
const ADDED_BY_IMPORT: &[(&str, &str)] = &[
    (
        "C0403",
        "amounts the original explains through `figures:` or lists under `outside_amounts:`",
    ),
    (
        "C0203",
        "a total the original explains through a `formula:`",
    ),
    (
        "C0503",
        "the report's decision maker, which Kent's template for a committee report does not print",
    ),
    (
        "C0504",
        "the report's key decision, which seed 000's header does not print (the note says so)",
    ),
    (
        "C0704",
        "the classification Central Bedfordshire's template does not print: Exempt until checked",
    ),
];

/// The papers as published (tests/fixtures/seeds), written as Word files and PDFs by
/// scripts/import-set.sh: `clerk check` on them finds every real slip it finds in the faithful
/// Markdown conversions.
#[test]
fn imported_seeds_show_the_same_real_slips() {
    let papers = [
        "20-00017-early-help",
        "20-00102-community-support",
        "children-in-care-update",
        "central-bedfordshire/support-services-recommissioning",
    ];
    let mut report = String::new();
    for paper in papers {
        let want = findings(&[&format!("tests/fixtures/seeds/{paper}")]);
        assert!(!want.is_empty(), "{paper}: the seed has findings");
        for format in ["docx", "untagged.pdf"] {
            let dir = repo().join("tests/fixtures/import/seeds").join(paper);
            let files: Vec<String> = ["report", "decision"]
                .iter()
                .map(|stem| dir.join(format!("{stem}.{format}")))
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect();
            let args: Vec<&str> = files.iter().map(String::as_str).collect();
            let got = findings(&args);
            for missing in want.difference(&got) {
                report.push_str(&format!("{paper} ({format}): missed {missing:?}\n"));
            }
            for added in got.difference(&want) {
                if !ADDED_BY_IMPORT.iter().any(|(code, _)| *code == added.0) {
                    report.push_str(&format!("{paper} ({format}): added {added:?}\n"));
                }
            }
        }
    }
    assert!(report.is_empty(), "{report}");
}

#[test]
fn checking_a_pdf_points_at_its_page_and_line() {
    let (code, stdout, _) = clerk(
        &[
            "check",
            "tests/fixtures/import/seeds/20-00017-early-help/report.untagged.pdf",
        ],
        &repo(),
    );
    assert_eq!(code, 1, "{stdout}");
    let slip = stdout
        .split("\n\n")
        .find(|d| d.contains("error[C0401]: £425,484"))
        .unwrap_or_else(|| panic!("no slip in:\n{stdout}"));
    // Shown at its page and line of the original (`FILE, page P:LINE:COLUMN`), quoted, the
    // amount underlined; clerk's copy only in a note.
    assert!(slip.contains("report.untagged.pdf, page 1:"), "{slip}");
    // The original line is long: a window of it around the amount (main's long-line rule).
    assert!(
        slip.lines()
            .any(|l| l.contains(" │ ") && l.contains("(new total £425,484) from the existing")),
        "{slip}"
    );
    assert!(
        slip.contains("= in clerk's converted copy: tests/fixtures/import/seeds/20-00017-early-help/report.untagged.pdf (imported):"),
        "{slip}"
    );
}

#[test]
fn scans_passwords_and_impostors_are_refused_never_guessed() {
    let refused = repo().join("tests/fixtures/import/refused");
    for (file, says) in [
        (
            "scanned.pdf",
            "the PDF has no text layer (a scanned image); clerk does not guess at scans",
        ),
        ("password.pdf", "the file is password-protected"),
        ("not-word.docx", "it is not a .docx"),
    ] {
        let (code, stdout, _) = clerk(&["check", file], &refused);
        assert_eq!(code, 2, "{file}: {stdout}");
        assert!(
            stdout.contains(&format!("error[C1101]: cannot import `{file}`")),
            "{stdout}"
        );
        assert!(stdout.contains(says), "{file}: {stdout}");
        let out = tempfile::tempdir().unwrap();
        let (code, stdout, _) = clerk(
            &["import", file, "--out", out.path().to_str().unwrap()],
            &refused,
        );
        assert_eq!(code, 1, "{file}: {stdout}");
        assert_eq!(
            fs::read_dir(out.path()).unwrap().count(),
            0,
            "{file}: nothing written"
        );
    }
}

#[test]
fn a_paper_that_fits_no_profile_still_imports_with_more_marked() {
    // No council.yaml above: the generic profile, every header value marked.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("report.docx"), report()).unwrap();
    let (code, stdout, _) = clerk(&["import", "report.docx", "--out", "papers"], dir.path());
    assert_eq!(code, 0, "{stdout}");
    let paper = fs::read_to_string(dir.path().join("papers/20-00017/report.md")).unwrap();
    assert!(
        paper.contains("title: \"Early Help Recommissioning\"  # import: check\n"),
        "{paper}"
    );
    assert!(stdout.contains("title is a guess"), "{stdout}");
    // With the council's profile, the same value is not marked.
    fs::copy(
        repo().join("papers/council.yaml"),
        dir.path().join("council.yaml"),
    )
    .unwrap();
    let (code, _, _) = clerk(&["import", "report.docx", "--out", "kent"], dir.path());
    assert_eq!(code, 0);
    let paper = fs::read_to_string(dir.path().join("kent/20-00017/report.md")).unwrap();
    assert!(
        paper.contains("title: \"Early Help Recommissioning\"\n"),
        "{paper}"
    );
}

#[test]
fn a_word_report_and_a_pdf_record_are_checked_together() {
    let seeds = "tests/fixtures/import/seeds/20-00017-early-help";
    let mixed = findings(&[
        &format!("{seeds}/report.docx"),
        &format!("{seeds}/decision.untagged.pdf"),
    ]);
    let word = findings(&[
        &format!("{seeds}/report.docx"),
        &format!("{seeds}/decision.docx"),
    ]);
    assert_eq!(mixed, word);
}

/// The example papers are correct; as Word files and as PDFs, checked report and record
/// together, they give no error (a false finding counts as much as a missed slip). What they
/// give are warnings for what a Word file cannot carry (figures, formulas) and notes where the
/// paper does not state a value.
#[test]
fn correct_papers_in_word_and_pdf_give_no_errors() {
    let set = repo().join("tests/fixtures/import/set");
    let papers = [
        "20-00017-early-help",
        "20-00102-community-support",
        "children-in-care-update",
        "central-bedfordshire/support-services-recommissioning",
    ];
    for paper in papers {
        for format in ["docx", "untagged.pdf", "tagged.pdf"] {
            let files: Vec<String> = ["report", "decision"]
                .iter()
                .map(|stem| set.join(paper).join(format!("{stem}.{format}")))
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect();
            let mut args = vec!["check"];
            args.extend(files.iter().map(String::as_str));
            let (code, stdout, _) = clerk(&args, &repo());
            assert_eq!(code, 0, "{paper} ({format}):\n{stdout}");
            assert!(stdout.contains("0 errors"), "{stdout}");
            assert!(
                !stdout.contains("warning[C0113]"),
                "the council is found: {stdout}"
            );
        }
    }
}

/// A classification the importer read but nobody confirmed is never published: the paper is
/// withheld until the mark is removed (publication fails closed).
#[test]
fn an_unconfirmed_classification_is_not_published() {
    let dir = tempfile::tempdir().unwrap();
    let council = repo().join("tests/fixtures/import/unseen/wyvern-vale");
    fs::copy(
        council.join("council.yaml"),
        dir.path().join("council.yaml"),
    )
    .unwrap();
    let word = council.join("car-park-fees/Cabinet report - Car park fees 2025-26.docx");
    let (code, stdout, _) = clerk(
        &[
            "import",
            word.to_str().unwrap(),
            "--council",
            council.to_str().unwrap(),
            "--out",
            "papers",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}");
    let paper = dir.path().join("papers/wvd-2025-021/report.md");
    let text = fs::read_to_string(&paper).unwrap();
    assert!(
        text.contains(
            "classification: Unrestricted  # import: check: read from \"Exempt information: None\""
        ),
        "{text}"
    );
    let (_, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert!(
        stdout.contains("error[C1004]") && stdout.contains("# import: check"),
        "{stdout}"
    );
    assert!(!dir.path().join("site/wvd-2025-021/index.html").exists());
    // Confirmed by its author: published.
    let confirmed = text.replace(
        "  # import: check: read from \"Exempt information: None\"",
        "",
    );
    fs::write(&paper, confirmed).unwrap();
    let (_, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert!(!stdout.contains("C1004"), "{stdout}");
    assert!(
        dir.path().join("site/wvd-2025-021/index.html").exists(),
        "{stdout}"
    );
}

/// Two councils nobody on the team had seen, their papers written from outside with two planted
/// slips (tests/fixtures/import/unseen/README.md): each paper folder checked as Word files and
/// as PDFs, report and record together, finds exactly its planted slip, and the clean ones none.
#[test]
fn unseen_councils_slips_are_found_and_clean_papers_pass() {
    let unseen = repo().join("tests/fixtures/import/unseen");
    let expected: &[(&str, Option<(&str, &str)>)] = &[
        (
            "wyvern-vale/budget-monitoring-q3",
            Some(("C0201", "total £9,925,500 is not the sum")),
        ),
        (
            "wyvern-vale/leisure-contract",
            Some(("C0507", "decision a is not worded as recommendation a")),
        ),
        ("wyvern-vale/car-park-fees", None),
        ("harrowfield/garden-waste-charges", None),
        ("harrowfield/refuse-vehicles", None),
        ("harrowfield/revenue-budget-2025-26", None),
    ];
    for (paper, slip) in expected {
        for ext in ["docx", "pdf"] {
            let mut files: Vec<String> = fs::read_dir(unseen.join(paper))
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .map(|p| p.display().to_string())
                .collect();
            files.sort();
            let mut args = vec!["check", "--format", "short"];
            args.extend(files.iter().map(String::as_str));
            let (_, stdout, _) = clerk(&args, &repo());
            let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error[")).collect();
            match slip {
                Some((code, says)) => {
                    assert_eq!(errors.len(), 1, "{paper} ({ext}):\n{stdout}");
                    assert!(
                        errors[0].contains(&format!("error[{code}]")) && errors[0].contains(says),
                        "{paper} ({ext}):\n{stdout}"
                    );
                }
                None => assert!(
                    errors.is_empty(),
                    "{paper} ({ext}): a false finding:\n{stdout}"
                ),
            }
        }
    }
}

/// A Word report's appendices become files of their own beside report.md, with the report's
/// classification; they are checked with it, and a slip in one points into it.
#[test]
fn appendices_become_files_of_their_own() {
    let dir = kent_folder();
    let docx = numbered()
        .add_paragraph(text("Decision No: 20/00017"))
        .add_paragraph(text("Subject: Early Help Recommissioning"))
        .add_paragraph(text("Classification: Unrestricted"))
        .add_paragraph(text("Key decision: No"))
        .add_paragraph(bold("Summary:"))
        .add_paragraph(text("This report proposes changes, costed in Appendix A."))
        .add_paragraph(bold("Recommendation(s):"))
        .add_paragraph(item("Approve the changes.", 1, 0))
        .add_paragraph(bold("Appendix A – Costs"))
        .add_paragraph(text("Table 1: Costs"))
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Item"), cell("Cost")]),
            TableRow::new(vec![cell("Staff"), cell("£100,000")]),
            TableRow::new(vec![cell("Premises"), cell("£50,000")]),
            TableRow::new(vec![bold_cell("Total"), bold_cell("£160,000")]),
        ]));
    fs::write(dir.path().join("costs.docx"), pack(docx)).unwrap();
    let (code, stdout, _) = clerk(&["import", "costs.docx", "--out", "papers"], dir.path());
    assert_eq!(code, 0, "{stdout}");
    let appendix = fs::read_to_string(dir.path().join("papers/20-00017/appendix-a.md")).unwrap();
    assert!(
        appendix.starts_with(
            "---\ntitle: \"Costs\"\nappendix: \"A\"\nclassification: Unrestricted\n---\n"
        ),
        "{appendix}"
    );
    assert!(
        appendix.contains("| **Total** | **£160,000** |"),
        "{appendix}"
    );
    let report = fs::read_to_string(dir.path().join("papers/20-00017/report.md")).unwrap();
    assert!(
        !report.contains("£160,000"),
        "the appendix is not in the report: {report}"
    );

    let (code, stdout, _) = clerk(&["check", "costs.docx"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let slip = stdout
        .split("\n\n")
        .find(|d| d.contains("total £160,000 is not the sum"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(slip.contains("costs.docx (imported, appendix A)"), "{slip}");
}

/// A Kent-style Word report whose header says of its classification what `lines` say (each a
/// paragraph of the header block, or a row of a header table when `table`), with `secret` in
/// its body and in an appendix's price table.
fn classified_report(number: &str, lines: &[&str], table: bool, secret: &str) -> Vec<u8> {
    let mut docx = numbered()
        .add_paragraph(text("From: Ann Other, Director of Property"))
        .add_paragraph(text("To: Sue Chandler, Cabinet Member for Property"))
        .add_paragraph(text(&format!("Decision No: {number}")))
        .add_paragraph(text("Subject: Disposal of the Old Depot"));
    if table {
        let rows = lines.iter().map(|l| TableRow::new(vec![cell(l)])).collect();
        docx = docx.add_table(Table::new(rows));
    } else {
        for l in lines {
            docx = docx.add_paragraph(text(l));
        }
    }
    let docx = docx
        .add_paragraph(text("Key decision: No"))
        .add_paragraph(text("Electoral Division: All"))
        .add_paragraph(bold("Summary:"))
        .add_paragraph(text(&format!("The preferred bidder is {secret}.")))
        .add_paragraph(bold("Recommendation(s):"))
        .add_paragraph(item("To sell the Old Depot to the preferred bidder.", 1, 0))
        .add_paragraph(bold("Appendix A: Bids received"))
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Bidder"), cell("Price")]),
            TableRow::new(vec![cell(secret), cell("£1,250,000")]),
        ]));
    pack(docx)
}

/// Every classification wording tried, in a Word report's header: the paper is published only
/// when every signal says public without qualification. Each other wording imports as Exempt
/// (marked, where it is not plainly exempt), and `clerk build` publishes nothing of it.
#[test]
fn a_word_paper_is_public_only_when_every_classification_signal_says_so() {
    // (header lines, as a table?, published?)
    let cases: &[(&[&str], bool, bool)] = &[
        (&["Classification: Unrestricted"], false, true),
        (&["Classification: For publication"], false, true),
        (&["Unrestricted"], false, true),
        (
            &["Classification: Part 2 - press and public excluded"],
            false,
            false,
        ),
        (&["Classification: Not for public inspection"], false, false),
        (
            &["Classification: Private - closed to the public"],
            false,
            false,
        ),
        (&["Classification: Public: No"], false, false),
        (
            &["Classification: Unrestricted, except Appendix A which is confidential"],
            false,
            false,
        ),
        (
            &[
                "Classification: Unrestricted",
                "Classification: Exempt - paragraph 3",
            ],
            false,
            false,
        ),
        (&["Unrestricted", "Exempt - paragraph 3"], true, false),
        (&["Unrestricted", "Exempt - paragraph 3"], false, false),
        (&["Classification: Exempt - paragraph 3"], false, false),
        (&["Classification: Not for publication"], false, false),
        (&["Classification: Restricted"], false, false),
        (&["Classification: Confidential"], false, false),
        (&["Classification: Unrestricted (draft)"], false, false),
        (&["Classification: See below"], false, false),
        (
            &["Classification: Open", "NOT FOR PUBLICATION"],
            false,
            false,
        ),
        (&[], false, false),
    ];
    let dir = kent_folder();
    let mut expect = Vec::new();
    for (i, (lines, table, public)) in cases.iter().enumerate() {
        let number = format!("25/{:05}", 100 + i);
        let secret = format!("Bidder-Secret-{i}");
        let name = format!("case{i}.docx");
        fs::write(
            dir.path().join(&name),
            classified_report(&number, lines, *table, &secret),
        )
        .unwrap();
        let (code, stdout, stderr) = clerk(&["import", &name, "--out", "papers"], dir.path());
        assert_eq!(code, 0, "{lines:?}: {stdout}{stderr}");
        expect.push((lines, *public, secret, number.replace('/', "-")));
    }
    let (_, stdout, _) = clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    let mut published = String::new();
    for entry in walkdir::WalkDir::new(dir.path().join("site")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && !entry.path().to_string_lossy().contains("/review/") {
            published.push_str(&String::from_utf8_lossy(&fs::read(entry.path()).unwrap()));
        }
    }
    for (lines, public, secret, folder) in &expect {
        let paper = fs::read_to_string(dir.path().join(format!("papers/{folder}/report.md")))
            .unwrap_or_else(|e| panic!("{lines:?}: {e}"));
        assert_eq!(
            published.contains(secret.as_str()),
            *public,
            "{lines:?} published: {public} expected\n{paper}\n{stdout}"
        );
        if !*public {
            assert!(
                paper.contains("classification: Exempt"),
                "{lines:?}:\n{paper}"
            );
        }
    }
}

/// Prose anywhere in a Word paper that says exempt information is present keeps it from
/// publication until an author confirms: its appendices sit in the same file.
#[test]
fn a_word_paper_that_says_it_holds_exempt_information_is_withheld() {
    let dir = kent_folder();
    let docx = numbered()
        .add_paragraph(text("Decision No: 25/00200"))
        .add_paragraph(text("Subject: Disposal of the Old Depot"))
        .add_paragraph(text("Classification: Unrestricted"))
        .add_paragraph(text("Key decision: No"))
        .add_paragraph(bold("Summary:"))
        .add_paragraph(text("The bids are summarised in Appendix A."))
        .add_paragraph(bold("Appendix A: Bids received"))
        .add_paragraph(text(
            "This appendix contains exempt information under paragraph 3 of Schedule 12A.",
        ))
        .add_paragraph(text(
            "The preferred bidder is Bidder-Secret-X at £1,250,000.",
        ));
    fs::write(dir.path().join("r.docx"), pack(docx)).unwrap();
    assert_eq!(
        clerk(&["import", "r.docx", "--out", "papers"], dir.path()).0,
        0
    );
    let paper = fs::read_to_string(dir.path().join("papers/25-00200/report.md")).unwrap();
    assert!(
        paper.contains(
            "classification: Exempt  # import: check: not public until an author confirms it"
        ),
        "{paper}"
    );
    assert!(
        paper.contains("exempt_paragraph: 3  # import: check"),
        "{paper}"
    );
    clerk(
        &["build", "papers", "--out", "site", "--no-pdf"],
        dir.path(),
    );
    assert!(!dir.path().join("site/25-00200").exists());
}

/// Nothing silent (issue 19, item 1): a Word paper whose text sits where the reader does not
/// read it (a text box) is an error, never "0 errors"; `clerk check` says what it read, and
/// `clerk import` refuses it.
#[test]
fn a_paper_mostly_unread_is_an_error_never_a_pass() {
    let words = "The council will spend the budget on the library service this year. ".repeat(20);
    let body = format!(
        "<w:p><w:r><w:t>Report title</w:t></w:r></w:p>\
         <w:p><w:r><w:drawing><wp:inline xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData><wps:wsp xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\"><wps:txbx><w:txbxContent><w:p><w:r><w:t>{words}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    );
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let docx = clerk::import::hostile::docx_with_parts(&[("word/document.xml", xml.into_bytes())]);
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("boxed.docx"), docx).unwrap();
    let (code, stdout, _) = clerk(&["check", "boxed.docx", "--color", "never"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("error[C1104]: clerk could not read `boxed.docx`: only 0% of its text"),
        "{stdout}"
    );
    // What `clerk codes C1104` shows is what clerk prints.
    assert!(stdout.contains(&codes_example("C1104")), "{stdout}");
    assert!(stdout.contains("boxed.docx (report): read "), "{stdout}");
    assert!(!stdout.contains("0 errors"), "{stdout}");
    let out = dir.path().join("papers");
    let (code, stdout, _) = clerk(
        &[
            "import",
            "boxed.docx",
            "--out",
            out.to_str().unwrap(),
            "--color",
            "never",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[C1104]"), "{stdout}");
    assert!(!out.exists(), "a paper mostly unread is not written");
}

/// Figures that stand in no columns (no table can be read from them) are not checked: an
/// error says so (C1105), with where they are; a paper read whole says what it read.
#[test]
fn figures_no_table_can_be_read_from_are_an_error() {
    use clerk::import::hostile::{text_content, RawPdf};
    let mut pdf = RawPdf::new();
    pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
    pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> >>");
    pdf.add("<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>");
    pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    let mut content = text_content("Budget figures");
    for (row, shift) in [(0, 0), (1, 37), (2, 81), (3, 13)] {
        let y = 700 - 14 * row;
        content.extend(
            format!(
                " BT /F1 10 Tf {} {y} Td (1,234.5   67,890.1   2,345.6   9,876.5) Tj ET",
                72 + shift
            )
            .into_bytes(),
        );
    }
    pdf.add(RawPdf::stream("", &content));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("figures.pdf"), pdf.bytes()).unwrap();
    let (code, stdout, _) = clerk(&["check", "figures.pdf", "--color", "never"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("error[C1105]"), "{stdout}");
    assert!(stdout.contains("could not be read as a table"), "{stdout}");
    assert!(stdout.contains(&codes_example("C1105")), "{stdout}");
}

/// The example `clerk codes CODE` gives: what clerk prints for it, the finding whole.
fn codes_example(code: &str) -> String {
    let (_, stdout, _) = clerk(&["codes", code], &repo());
    let start = stdout
        .find(&format!("error[{code}]"))
        .unwrap_or_else(|| panic!("no example in {stdout}"));
    let example = &stdout[start..];
    example[..example.find("\n\n").unwrap_or(example.len())].to_string()
}

/// Outside its header, a Word paper's text can only keep it from publication: a table cell
/// saying "Public" is not a classification, and a paper whose header gives none stays Exempt
/// until its author says.
#[test]
fn a_public_cell_in_the_body_never_makes_an_unclassified_paper_public() {
    let dir = kent_folder();
    let docx = numbered()
        .add_paragraph(text("Decision No: 25/00300"))
        .add_paragraph(text("Subject: Survey of Library Users"))
        .add_paragraph(text("Key decision: No"))
        .add_paragraph(bold("Summary:"))
        .add_paragraph(text("The survey asked who may use the meeting rooms."))
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Answer"), cell("Share")]),
            TableRow::new(vec![cell("Public"), cell("61%")]),
            TableRow::new(vec![cell("Members only"), cell("39%")]),
        ]));
    fs::write(dir.path().join("s.docx"), pack(docx)).unwrap();
    assert_eq!(
        clerk(&["import", "s.docx", "--out", "papers"], dir.path()).0,
        0
    );
    let paper = fs::read_to_string(dir.path().join("papers/25-00300/report.md")).unwrap();
    assert!(
        paper.contains("classification: Exempt  # import: check: no classification was found"),
        "{paper}"
    );
}
