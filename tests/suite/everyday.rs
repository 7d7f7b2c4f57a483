//! Everyday use, tried as a new user would: a mistake in front matter never hides the checks
//! of the rest of the paper; `clerk codes CODE` explains a code with an example; every example
//! in `--help` works as written.

use std::fs;
use std::path::Path;

use crate::common::{clerk, copy_tree, repo};

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

/// A change made to a paper's text.
type Edit<'a> = dyn Fn(String) -> String + 'a;

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
    let mistakes: [(&str, &Edit, &[&str]); 3] = [
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

/// `clerk codes CODE` explains every code with an example of what clerk prints for it (by id
/// in any case, or by name); an unknown code is misuse, with the nearest one.
#[test]
fn every_code_is_explained_with_an_example() {
    for code in clerk::diagnostic::Code::ALL {
        let (status, stdout, stderr) = clerk(&["codes", code.id()], &repo());
        assert_eq!(status, 0, "{}: {stderr}", code.id());
        assert!(
            stdout.starts_with(&format!("{} {}: ", code.id(), code.name())),
            "{stdout}"
        );
        let marker = format!("[{}]: ", code.id());
        let example = stdout
            .lines()
            .any(|l| (l.starts_with("error[") || l.starts_with("warning[")) && l.contains(&marker));
        assert!(
            example && stdout.contains("\nExample ("),
            "{}: {stdout}",
            code.id()
        );
    }
    let (_, by_name, _) = clerk(&["codes", "table-subtotal"], &repo());
    let (_, lower, _) = clerk(&["codes", "c0202"], &repo());
    assert!(by_name.starts_with("C0202 table-subtotal") && by_name == lower);
    assert!(by_name.contains("24-table-subtotal") && by_name.contains("error[C0202]"));
    let (status, _, stderr) = clerk(&["codes", "C0299"], &repo());
    assert_eq!(status, 2);
    assert!(stderr.contains("no code `C0299`"), "{stderr}");
}

/// The examples of the codes no scenario can hold are what clerk prints: a paper over 4 MiB,
/// a Word paper imported twice into one folder, a build without Pagefind.
#[test]
fn the_examples_made_at_test_time_are_what_clerk_prints() {
    let first_line = |code: &str| {
        let (_, stdout, _) = clerk(&["codes", code], &repo());
        stdout
            .lines()
            .find(|l| l.contains(&format!("[{code}]: ")))
            .unwrap()
            .to_string()
    };
    let tree = tempfile::tempdir().unwrap();
    let paper = tree.path().join("papers/library-hours");
    fs::create_dir_all(&paper).unwrap();
    let big = format!("---\ntitle: x\n---\n{}", "a".repeat(5 * 1024 * 1024));
    fs::write(paper.join("report.md"), big).unwrap();
    let (_, stdout, _) = clerk(&["check", "papers", "--color", "never"], tree.path());
    assert!(stdout.contains(&first_line("C0111")), "{stdout}");
    let word = repo().join("tests/fixtures/import/set/20-00017-early-help/report.docx");
    let import = || {
        clerk(
            &["import", word.to_str().unwrap(), "--out", "imported"],
            tree.path(),
        )
    };
    assert_eq!(import().0, 0);
    let (status, stdout, _) = import();
    assert_eq!(status, 1);
    assert!(stdout.contains(&first_line("C1102")), "{stdout}");
    let deep = tree.path().join("tables-1000-deep.docx");
    fs::write(&deep, clerk::import::hostile::docx_nested_tables(1_000)).unwrap();
    let (status, stdout, _) = clerk(
        &[
            "import",
            "tables-1000-deep.docx",
            "--out",
            "deep",
            "--color",
            "never",
        ],
        tree.path(),
    );
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains(&first_line("C1103")), "{stdout}");
    let out = tempfile::tempdir().unwrap();
    let (_, stdout, _) = crate::common::Clerk::new(&["build", "papers", "--no-pdf", "--out"])
        .arg(out.path())
        .env("CLERK_PAGEFIND", "/nonexistent/pagefind")
        .env("PATH", "/usr/bin:/bin")
        .run();
    assert!(stdout.contains(&first_line("C1201")), "{stdout}");
}

/// The commands the `--help` of clerk and of each of its commands gives as examples (the
/// indented lines that start `clerk `), each up to the two spaces before what it says.
fn help_examples() -> Vec<String> {
    let mut paths: Vec<Vec<String>> = vec![Vec::new()];
    let mut examples = Vec::new();
    while let Some(path) = paths.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (status, help, _) = clerk(&args, &repo());
        assert_eq!(status, 0, "{args:?}");
        let mut commands = false;
        for line in help.lines() {
            if line == "Commands:" {
                commands = true;
            } else if commands && line.starts_with("  ") && !line.starts_with("   ") {
                let name = line.split_whitespace().next().unwrap_or("");
                if name != "help" {
                    paths.push(path.iter().cloned().chain([name.to_string()]).collect());
                }
            } else if line.trim().is_empty() {
                commands = false;
            }
            if let Some(example) = line.strip_prefix("  clerk ") {
                let command = example.split("  ").next().unwrap_or("").trim_end();
                let command = format!("clerk {command}");
                if !examples.contains(&command) {
                    examples.push(command);
                }
            }
        }
    }
    examples
}

/// A fresh folder laid out as the repository is for its examples: papers/ and the Word and
/// PDF papers of tests/fixtures/import/set.
fn repository_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), &dir.path().join("papers"));
    let set = "tests/fixtures/import/set";
    copy_tree(&repo().join(set), &dir.path().join(set));
    dir
}

/// Every example `--help` gives works as written, run from a copy of the repository: it exits
/// 0 (a preview, `clerk serve`, is started and serves; port 4000 may be taken by another
/// program on this machine, which is said and allowed).
#[test]
fn every_help_example_works_as_written() {
    let examples = help_examples();
    assert!(examples.len() >= 15, "{examples:?}");
    for example in &examples {
        let dir = repository_copy();
        if example.starts_with("clerk serve") {
            serve_example(example, dir.path());
            continue;
        }
        let status = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("clerk() {{ \"$CLERK_BIN\" \"$@\"; }}; {example}"))
            .env("CLERK_BIN", env!("CARGO_BIN_EXE_clerk"))
            .env("NO_COLOR", "1")
            .env("CLERK_NO_INSTALL", "1")
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "`{example}` exited {:?}:\n{}{}",
            status.status.code(),
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&status.stderr).contains("panicked"),
            "{example}"
        );
    }
    // The help the attack found naming a folder that does not exist names one that does.
    assert!(examples
        .iter()
        .any(|e| e == "clerk check papers/20-00017-early-help"));
}

fn serve_example(example: &str, dir: &Path) {
    use std::io::{BufRead, BufReader};
    let args: Vec<&str> = example.split_whitespace().skip(1).collect();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clerk"))
        .args(&args)
        .env("NO_COLOR", "1")
        .env("CLERK_NO_INSTALL", "1")
        .current_dir(dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !line.contains("http://127.0.0.1:") {
        assert!(
            args.iter().all(|a| *a != "--port") && stderr.contains("in use"),
            "`{example}` did not serve: {line}{stderr}"
        );
        eprintln!("`{example}`: port 4000 is taken on this machine ({stderr})");
    }
}

/// A drafting placeholder in brackets ("[TBC]") left in a table cell is found, as in prose; a
/// cell that is only "TBC" (a date not yet set in a plan) is a cell's value, not a slip.
#[test]
fn a_bracketed_placeholder_left_in_a_table_cell_is_found() {
    let table = "\n\n| Sign off | Officer and date |\n|---|---|\n| Legal | Legal officer consulted and date: [TBC] |\n| Finance | TBC |\n";
    let (_, out, _tree) = checked_with(&|text| format!("{text}{table}"));
    let found: Vec<&str> = out.lines().filter(|l| l.contains("C0711")).collect();
    assert_eq!(found.len(), 1, "{out}");
    assert!(found[0].contains("[TBC]"), "{out}");
}
