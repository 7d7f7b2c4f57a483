//! Papers nobody on the team had seen when the checks were written (tests/fixtures/unseen):
//! six papers of six councils written from the facts of real decisions, clean, and one slip
//! planted at a time. The clean papers must give no finding at all, and each slip must be
//! reported with its code at its line, and nothing else with it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::repo;

fn unseen() -> PathBuf {
    repo().join("tests/fixtures/unseen")
}

/// clerk's findings on a tree: (code, file, line, message).
fn findings(tree: &Path) -> Vec<(String, String, u64, String)> {
    let output = Command::new(env!("CARGO_BIN_EXE_clerk"))
        .args(["check", tree.to_str().unwrap(), "--format", "json"])
        .output()
        .expect("clerk runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "clerk panicked: {stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").replace('\\', "/"),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A scenario's `slip.yaml`: what was planted, and where clerk must report it.
struct Slip {
    code: String,
    file: String,
    line: u64,
    text: String,
}

fn slip(dir: &Path) -> Slip {
    let yaml = fs::read_to_string(dir.join("slip.yaml")).unwrap();
    let field = |name: &str| {
        yaml.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{}: no {name}", dir.display()))
            .trim()
            .trim_matches('"')
            .to_string()
    };
    Slip {
        code: field("code"),
        file: field("file"),
        line: field("line").parse().unwrap(),
        text: field("text"),
    }
}

#[test]
fn the_clean_papers_give_no_finding() {
    let found = findings(&unseen().join("clean"));
    assert!(found.is_empty(), "findings on correct papers: {found:#?}");
}

#[test]
fn every_planted_slip_is_caught_at_its_line_and_alone() {
    let mut dirs: Vec<PathBuf> = fs::read_dir(unseen().join("slips"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("slip.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 30, "only {} scenarios", dirs.len());
    let mut missed = Vec::new();
    for dir in &dirs {
        let s = slip(dir);
        let source = fs::read_to_string(dir.join(&s.file)).unwrap();
        let planted = source.lines().nth(s.line as usize - 1).unwrap_or("");
        assert!(
            planted.contains(&s.text),
            "{}: line {} lacks {:?}",
            dir.display(),
            s.line,
            s.text
        );
        let found = findings(dir);
        let hit = |f: &(String, String, u64, String)| {
            f.0 == s.code && f.1.ends_with(&s.file) && f.2 == s.line
        };
        if found.len() != 1 || !found.iter().all(hit) {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            missed.push(format!(
                "{name}: want {} at line {}, got {found:?}",
                s.code, s.line
            ));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} scenarios:\n{}",
        missed.len(),
        dirs.len(),
        missed.join("\n")
    );
}
