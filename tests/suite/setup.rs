//! The README's set-up commands: the test command is the script that installs what the tests
//! need, it runs every test binary, and CI runs the same script.

use std::fs;

use crate::common::repo;

fn read(path: &str) -> String {
    fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The commands in the README's "Set up" section, one a line, comments left off.
fn set_up_commands() -> Vec<String> {
    let readme = read("README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Set up"))
        .expect("a Set up section");
    let mut commands = Vec::new();
    let mut in_block = false;
    for line in section.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
        } else if in_block {
            let command = line.split(" #").next().unwrap_or("").trim();
            commands.push(command.to_string());
        }
    }
    commands
}

#[test]
fn the_readme_tests_with_the_script_ci_runs() {
    let commands = set_up_commands();
    assert_eq!(
        commands[..2],
        [
            "cargo run --release -- build papers",
            "bash scripts/test.sh"
        ],
        "the main job, then the tests"
    );
    assert!(
        commands
            .iter()
            .any(|c| c == "cargo install --path . --locked"),
        "how to put clerk on PATH: {commands:?}"
    );
    let ci = read(".ci/run");
    let steps: Vec<&str> = ci
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.starts_with("cargo ")
                || (l.contains("scripts/") && l.ends_with(".sh") && !l.starts_with('#'))
        })
        .collect();
    assert_eq!(
        steps,
        [
            "cargo fmt --all -- --check",
            "cargo clippy --all-targets --locked -- -D warnings",
            "bash scripts/test.sh",
            "bash scripts/bench-quick.sh",
        ],
        "CI lints, runs the README's test command, then every benchmark quick"
    );
}

#[test]
fn the_test_script_installs_what_is_missing_and_runs_every_test_binary() {
    let script = read("scripts/test.sh");
    for needed in [
        "cargo install typst-cli --locked --version 0.15.1",
        "apt_install poppler-utils",
        "apt_install chromium",
        "sudo \"$@\"",
        "npm ci --prefix tests/browser",
        "cargo test --locked --no-fail-fast \"$@\"",
        "clerk: %d passed, %d failed",
    ] {
        assert!(script.contains(needed), "scripts/test.sh lacks {needed:?}");
    }
}
