//! Everyday use, tried as a new user would: a mistake in front matter never hides the checks
//! of the rest of the paper; `clerk codes CODE` explains a code with an example; every example
//! in `--help` works as written.

use std::fs;
use std::path::Path;

use crate::common::{clerk, copy_tree, repo, Clerk};

/// The example paper 20/00017 (report, record and council) in a fresh tree, with `edit` made
/// to its report, and the short findings of `clerk check` on it.
fn checked_with(edit: &dyn Fn(String) -> String) -> (i32, String, tempfile::TempDir) {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(
        &repo().join("papers/20-00017-early-help"),
        &tree.path().join("paper"),
    );
    fs::copy(
        repo().join("papers/council.yaml"),
        tree.path().join("council.yaml"),
    )
    .unwrap();
    let report = tree.path().join("paper/report.md");
    let text = fs::read_to_string(&report).unwrap();
    fs::write(&report, edit(text)).unwrap();
    let (code, stdout, _) = clerk(
        &["check", tree.path().to_str().unwrap(), "--format", "short"],
        &repo(),
    );
    (code, stdout, tree)
}

/// The report's Figure 1 with a wrong total (£0.01 too much).
fn wrong_total(text: String) -> String {
    let wrong = text.replace(
        "| Total current Spend | | £2,924,295.28 |",
        "| Total current Spend | | £2,924,295.29 |",
    );
    assert_ne!(
        wrong, text,
        "the example's Figure 1 total is where this test expects"
    );
    wrong
}

/// Two misspelt required keys, or two required keys missing, or a value of the wrong type
/// (case 01-yaml-syntax shows a line of broken YAML): each is reported, and the wrong total in Figure 1 is still reported at its cell; the record's
/// table, governed by a formula in the report, gets no C0203; the paper is not published.
#[test]
fn front_matter_mistakes_never_hide_the_body() {
    let (_, clean, _) = checked_with(&wrong_total);
    let slip = "error[C0201]: total £2,924,295.29 is not the sum";
    assert!(clean.contains(slip), "{clean}");
    let mistakes: [(&str, &dyn Fn(String) -> String, &[&str]); 3] = [
        (
            "two misspelt keys",
            &|t| {
                t.replace("\ntitle:", "\ntitel:")
                    .replace("\nkey_decision:", "\nkey_decison:")
            },
            &["unknown key `titel`", "unknown key `key_decison`"],
        ),
        (
            "two keys missing",
            &|t| {
                t.replace("\ntitle: Early Help Recommissioning", "")
                    .replace("\nclassification: Unrestricted", "")
            },
            &["has no `title`", "has no `classification`"],
        ),
        (
            "a value of the wrong type",
            &|t| t.replace("\nkey_decision: true", "\nkey_decision: [true"),
            &["error[C0109]"],
        ),
    ];
    for (what, mistake, said) in mistakes {
        let (code, stdout, tree) = checked_with(&|t| mistake(wrong_total(t)));
        assert_eq!(code, 1, "{what}: {stdout}");
        for s in said {
            assert!(stdout.contains(s), "{what}: {s}: {stdout}");
        }
        assert!(
            stdout.contains(slip),
            "{what}: the table's slip is hidden: {stdout}"
        );
        assert!(!stdout.contains("C0203"), "{what}: {stdout}");
        assert!(
            !stdout.contains("C0502") && !stdout.contains("C0504"),
            "{what}: {stdout}"
        );
        let out = tempfile::tempdir().unwrap();
        let (_, built, _) = clerk(
            &[
                "build",
                tree.path().to_str().unwrap(),
                "--no-pdf",
                "--out",
                out.path().to_str().unwrap(),
            ],
            &repo(),
        );
        assert!(built.contains("C1004"), "{what}: {built}");
        assert!(!out.path().join("paper/index.html").exists(), "{what}");
    }
}
