//! Every reader of `clerk import` bounded (issue 20, item 4): each hostile Word and PDF file is
//! made here, in memory, and `clerk check` runs on it as a user would, under a one-second-per-
//! gigabyte memory ceiling and a ten-second clock. Each is refused with a clear C1103 (the
//! limit it passes, named) or read as what it is, never an abort, a hang or gigabytes. Without
//! the limits in `src/import/limits.rs` these files overflowed the stack, went round for ever,
//! or asked for up to 13 GB.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clerk::import::hostile;

/// The most virtual memory clerk may map while reading one hostile file (KiB, `ulimit -v`).
const MEMORY_KIB: u64 = 1_500_000;
/// The most time one run may take.
const SECONDS: u64 = 10;

/// What a run of `clerk check FILE` gave: exit code (None if killed), output, and time.
struct Run {
    code: Option<i32>,
    stdout: String,
    elapsed: Duration,
}

/// `clerk check FILE --color never` in `dir`, under the memory ceiling, killed at the clock.
fn bounded_check(dir: &Path, file: &str) -> Run {
    let script = format!("ulimit -v {MEMORY_KIB} && exec \"$0\" check \"$1\" --color never");
    let started = Instant::now();
    let mut child = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_clerk"), file])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clerk runs");
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let code = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break status.code();
        }
        if started.elapsed() > Duration::from_secs(SECONDS) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code,
        stdout: reader.join().unwrap_or_default(),
        elapsed: started.elapsed(),
    }
}

/// What must come of a file.
enum Outcome {
    /// Refused with C1103, naming this limit.
    Limit(&'static str),
    /// Refused with C1101, saying this.
    Refused(&'static str),
    /// Read: exit 0 or 1 (findings on a paper with no council), and no refusal.
    Read,
}

fn hostile_files() -> Vec<(&'static str, Vec<u8>, Outcome)> {
    use Outcome::*;
    vec![
        (
            "tables-1000-deep.docx",
            hostile::docx_nested_tables(1_000),
            Limit("docx-table-nesting"),
        ),
        ("tables-12-deep.docx", hostile::docx_nested_tables(12), Read),
        (
            "controls-5000-deep.docx",
            hostile::docx_nested_controls(5_000),
            Limit("docx-xml-depth"),
        ),
        // 20 million empty paragraphs: 120 MB of XML in about 0.5 MB.
        (
            "tiny-paragraphs.docx",
            hostile::docx_tiny_paragraphs(20_000_000),
            Limit("docx-inflated"),
        ),
        (
            "a-million-paragraphs.docx",
            hostile::docx_tiny_paragraphs(1_000_000),
            Limit("docx-elements"),
        ),
        (
            "list-text.docx",
            hostile::docx_list_text(30_000, 50),
            Limit("list-label"),
        ),
        (
            "list-texts.docx",
            hostile::docx_list_text(30, 5_000),
            Limit("list-labels"),
        ),
        ("parent-cycle.pdf", hostile::pdf_parent_cycle(), Read),
        (
            "content-bomb.pdf",
            hostile::pdf_content_bomb(1024),
            Limit("pdf-decoded"),
        ),
        (
            "object-stream-bomb.pdf",
            hostile::pdf_object_stream_bomb(1024),
            Limit("pdf-decoded"),
        ),
        (
            "predictor-columns.pdf",
            hostile::pdf_predictor_columns(),
            Read,
        ),
        (
            "xref-widths.pdf",
            hostile::pdf_xref_stream_widths(),
            Refused("a field wider than 8 bytes"),
        ),
        (
            "to-unicode-ranges.pdf",
            hostile::pdf_to_unicode_ranges(200, 5),
            Limit("pdf-font-work"),
        ),
        (
            "100000-pages.pdf",
            hostile::pdf_pages(100_000),
            Limit("pdf-pages"),
        ),
        (
            "structure-5000-deep.pdf",
            hostile::pdf_deep_structure(5_000),
            Read,
        ),
        (
            "form-drawn-10000-times.pdf",
            hostile::pdf_form_drawn(1_000, 10_000),
            Limit("pdf-operators"),
        ),
    ]
}

#[test]
fn every_hostile_file_is_refused_or_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (name, bytes, outcome) in hostile_files() {
        std::fs::write(dir.path().join(name), &bytes).unwrap();
        let run = bounded_check(dir.path(), name);
        let said = |what: &str| run.stdout.contains(what);
        let ok = match (&outcome, run.code) {
            (_, None) => false,
            (Outcome::Limit(limit), Some(2)) => {
                said("error[C1103]") && said(&format!("(limit `{limit}`)"))
            }
            (Outcome::Refused(why), Some(2)) => said("error[C1101]") && said(why),
            (Outcome::Read, Some(0 | 1)) => !said("C110"),
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{name} ({} bytes): exit {:?} after {:.1} s\n{}",
                bytes.len(),
                run.code,
                run.elapsed.as_secs_f64(),
                run.stdout.lines().take(6).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The table of limits is the one in README's "Limits" section: every limit named there with
/// its allowance, so the documentation cannot drift from the code.
#[test]
fn the_readme_lists_every_limit() {
    let readme = std::fs::read_to_string(crate::common::repo().join("README.md")).unwrap();
    for limit in clerk::import::limits::LIMITS {
        assert!(
            readme.contains(&format!("`{}`", limit.name)),
            "README's Limits section does not name `{}`",
            limit.name
        );
    }
}
