//! `clerk check [PATH…]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{count, status, ColourChoice, Format};
use crate::diagnostic::{render_human, render_json_with, render_short};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Paper folders or trees to check; or Word (.docx) and PDF papers, checked as imported
    /// (a report and its record together: `clerk check report.docx decision.pdf`).
    #[arg(default_value = "papers")]
    pub paths: Vec<PathBuf>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Leave warnings out of the output.
    #[arg(long)]
    pub quiet: bool,
    /// Print on standard error how long each check took (summed over papers and threads).
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: CheckArgs, color: ColourChoice) -> ExitCode {
    if args.timings {
        crate::check::time_checks();
    }
    if args.format == Format::Json {
        crate::locate_amounts();
    }
    let started = std::time::Instant::now();
    let imported = args
        .paths
        .iter()
        .filter(|p| crate::imported::is_importable(p))
        .count();
    let (checked, read) = if imported == 0 {
        (crate::check_paths(&args.paths), Vec::new())
    } else if imported == args.paths.len() {
        crate::imported::check_reading(&args.paths)
    } else {
        return super::fatal("give either paper folders or Word/PDF files, not both");
    };
    if args.timings {
        let total = started.elapsed();
        eprintln!(
            "wall time {:.3} s; time in each check, summed over threads:",
            total.as_secs_f64()
        );
        for (name, spent) in crate::check::timings() {
            eprintln!("  {name:<16} {:>8.3} s", spent.as_secs_f64());
        }
    }
    let mut shown = checked.diagnostics.clone();
    if args.quiet {
        shown.retain(|d| d.severity == crate::diagnostic::Severity::Error);
    }
    let papers = checked.papers;
    let mut stdout = std::io::stdout().lock();
    let _ = match args.format {
        Format::Json => {
            let amounts = serde_json::to_value(&checked.amounts).ok();
            let json = render_json_with(&shown, &checked.sources, papers, amounts);
            writeln!(stdout, "{}", with_read(json, &read))
        }
        Format::Short => write!(stdout, "{}", render_short(&shown, &checked.sources)),
        Format::Human => {
            let colour = color.enabled();
            let text = render_human(&shown, &checked.sources, colour);
            let summary = format!(
                "{} checked: {}, {}",
                count(papers, "paper"),
                count(checked.errors(), "error"),
                count(checked.warnings(), "warning"),
            );
            let reading = reading(&read);
            write!(stdout, "{text}{reading}").and_then(|_| writeln!(stdout, "{summary}"))
        }
    };
    let _ = stdout.flush();
    status(checked.usage_error, checked.errors())
}

/// What was read of each Word or PDF file, a line each, so that a file mostly unread is seen.
fn reading(read: &[(std::path::PathBuf, crate::imported::coverage::Coverage)]) -> String {
    read.iter()
        .map(|(path, c)| {
            let name = path.display().to_string();
            let name = crate::diagnostic::visible(&name);
            format!("{name} ({}): {}\n", c.kind, c.summary())
        })
        .collect()
}

/// The JSON document with a `read` list beside the findings: for each Word or PDF file, the
/// share of its text placed and what it holds.
fn with_read(
    json: String,
    read: &[(std::path::PathBuf, crate::imported::coverage::Coverage)],
) -> String {
    if read.is_empty() {
        return json;
    }
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(&json) else {
        return json;
    };
    let list: Vec<serde_json::Value> = read
        .iter()
        .map(|(path, c)| {
            serde_json::json!({
                "file": path.display().to_string(),
                "kind": c.kind,
                "share_placed": (c.share() * 1000.0).round() / 1000.0,
                "characters": c.total,
                "placed": c.placed,
                "furniture": c.furniture,
                "paragraphs": c.paragraphs,
                "tables": c.tables,
                "money_cells": c.money_cells,
                "fields": c.fields,
                "fields_marked": c.marked,
                "not_placed": c.not_placed.len(),
                "figures_as_prose": c.figures_as_prose.len(),
            })
        })
        .collect();
    if let Some(map) = doc.as_object_mut() {
        map.insert("read".into(), serde_json::Value::Array(list));
    }
    serde_json::to_string(&doc).unwrap_or(json)
}
