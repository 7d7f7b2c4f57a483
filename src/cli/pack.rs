//! `clerk pack MEETING [--out DIR] [--confidential] [--allow-errors]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{count, status, ColourChoice};
use crate::diagnostic::{render_human, visible, Severity};
use crate::pack::{pack, PackOptions};

#[derive(Args, Debug)]
pub struct PackArgs {
    /// The meeting file (YAML), e.g. papers/meetings/2021-03-09-cype.yaml.
    pub meeting: PathBuf,
    /// Where to write (the pack goes to DIR/meetings/NAME/).
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Also make the full pack, Part 2 papers included and marked NOT FOR PUBLICATION on every
    /// page, as DIR/NAME/pack.pdf. DIR must be outside the public output and the papers.
    #[arg(long, value_name = "DIR")]
    pub confidential: Option<PathBuf>,
    /// Make a pack even though papers or the agenda have errors (a draft for the clerk).
    #[arg(long)]
    pub allow_errors: bool,
    /// Make supplement N (the meeting file's late items) instead of the main pack; its pages
    /// continue from the end of the main pack.
    #[arg(long, value_name = "N")]
    pub supplement: Option<u32>,
    /// Templates overriding the defaults by name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

pub fn run(args: PackArgs, color: ColourChoice) -> ExitCode {
    let opts = PackOptions {
        meeting: args.meeting,
        out: args.out,
        confidential: args.confidential,
        allow_errors: args.allow_errors,
        supplement: args.supplement,

        templates: args.templates,
        install: true,
    };
    let bar = super::build::Bar::new();
    let packed = match pack(&opts, &bar) {
        Ok(p) => p,
        Err(message) => return super::fatal(message),
    };
    let colour = color.enabled();
    let errors = packed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = packed.diagnostics.len() - errors;
    let mut stdout = std::io::stdout().lock();
    let _ = write!(
        stdout,
        "{}",
        render_human(&packed.diagnostics, &packed.sources, colour)
    );
    for rel in &packed.written {
        let _ = writeln!(stdout, "wrote {}", visible(rel));
    }
    let _ = writeln!(
        stdout,
        "{} on the agenda: {}, {}",
        count(packed.papers, "paper"),
        count(errors, "error"),
        count(warnings, "warning"),
    );
    status(packed.usage_error, errors)
}
