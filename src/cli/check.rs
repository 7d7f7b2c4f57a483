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
    let checked = if imported == 0 {
        crate::check_paths(&args.paths)
    } else if imported == args.paths.len() {
        crate::imported::check(&args.paths)
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
            writeln!(stdout, "{json}")
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
            write!(stdout, "{text}").and_then(|_| writeln!(stdout, "{summary}"))
        }
    };
    let _ = stdout.flush();
    status(checked.usage_error, checked.errors())
}
