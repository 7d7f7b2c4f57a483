//! `clerk build [PATH] [--out DIR] [--formats html,pdf,json] [--no-pdf] [--jobs N] [--templates DIR] [--base-url URL]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{count, status, ColourChoice};
use crate::build::{build, BuildOptions, Built, Formats, Progress};
use crate::diagnostic::{render_human, visible, Severity};

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The tree of papers to publish.
    #[arg(default_value = "papers")]
    pub path: PathBuf,
    /// Where to write the site and PDFs (created if need be; nothing is written elsewhere).
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// The formats to make, comma-separated (default: every one).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "FORMATS",
        value_parser = clap::builder::PossibleValuesParser::new(Formats::names()),
        conflicts_with = "no_pdf"
    )]
    pub formats: Vec<String>,
    /// Make HTML and JSON only, without typst: the same as `--formats html,json`.
    #[arg(long)]
    pub no_pdf: bool,
    /// How many PDFs to make at once, 1 to 256 (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Templates overriding the defaults by name (default: PATH/templates when it exists).
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// Publish drafts too: papers that still hold drafting placeholders ("[TBC …]", "Insert …")
    /// are otherwise withheld. Each page of a draft says so in a banner; for review only.
    #[arg(long)]
    pub draft: bool,
    /// The site's address once published (https://example.gov.uk/papers/): the open data's
    /// addresses (OParl ids) start with it; without it they are relative references.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// A progress bar on standard error: drawn only on a terminal, silent otherwise.
pub(crate) struct Bar {
    bar: indicatif::ProgressBar,
}

impl Bar {
    pub(crate) fn new() -> Bar {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        Bar { bar }
    }
}

impl Progress for Bar {
    fn phase(&self, name: &str, total: usize) {
        let template = if total > 0 {
            "{msg} [{bar:30}] {pos}/{len} {elapsed}"
        } else {
            "{msg} {pos} {elapsed}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
        self.bar.set_message(name.to_string());
    }
    fn tick(&self) {
        self.bar.inc(1);
    }
    fn note(&self, message: &str) {
        // Shown whether or not a bar is drawn: an install takes minutes.
        self.bar.suspend(|| eprintln!("{message}"));
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The formats the flags ask for: `--formats`, else every one but what `--no-pdf` leaves out.
fn formats(args: &BuildArgs) -> Result<Formats, String> {
    if !args.formats.is_empty() {
        Formats::pick(&args.formats)
    } else if args.no_pdf {
        Formats::pick(&["html", "json"])
    } else {
        Ok(Formats::all())
    }
}

pub fn run(args: BuildArgs, color: ColourChoice) -> ExitCode {
    let formats = match formats(&args) {
        Ok(f) => f,
        Err(message) => return super::fatal(message),
    };
    let opts = BuildOptions {
        root: args.path,
        out: args.out,
        formats,
        jobs: args.jobs.map(usize::from),
        templates: args.templates,
        install: true,
        keep_packs: true,
        drafts: args.draft,
        base_url: args.base_url,
    };
    let bar = Bar::new();
    let built = match build(&opts, &bar) {
        Ok(b) => b,
        Err(message) => return super::fatal(message),
    };
    let mut shown = built.checked.diagnostics.clone();
    shown.extend(built.failures.iter().cloned());
    let colour = color.enabled();
    let errors = shown
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = shown.len() - errors;
    let mut stdout = std::io::stdout().lock();
    let _ = write!(
        stdout,
        "{}",
        render_human(&shown, &built.checked.sources, colour)
    );
    let _ = write!(stdout, "{}", closing(&built, &opts, errors, warnings));
    status(built.checked.usage_error, errors)
}

/// The lines that end a build's output: what was withheld, what was removed, and what was made.
fn closing(built: &Built, opts: &BuildOptions, errors: usize, warnings: usize) -> String {
    let mut text = String::new();
    if !built.withheld.is_empty() {
        text.push_str(&format!(
            "not published (exempt under Schedule 12A, named in the index only): {}\n",
            visible(&built.withheld.join(", "))
        ));
    }
    for (meeting, why) in &built.packs_removed {
        text.push_str(&format!(
            "removed the pack of meeting {}: {}\n",
            visible(meeting),
            visible(why)
        ));
    }
    if !built.removed.is_empty() {
        text.push_str(&format!(
            "removed {} an earlier run left in {} and this build did not make\n",
            count(built.removed.len(), "file"),
            opts.out.display(),
        ));
    }
    // What each format counts: "6 pages, 6 PDFs made (0 unchanged)".
    let made = if built.summary.is_empty() {
        String::new()
    } else {
        format!(": {}", built.summary.join(", "))
    };
    text.push_str(&format!(
        "{} built into {}{made}; {}, {}\n",
        count(built.checked.papers, "paper"),
        opts.out.display(),
        count(errors, "error"),
        count(warnings, "warning"),
    ));
    text
}
