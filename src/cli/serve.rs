//! `clerk serve [PATH]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use super::fatal;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The tree of papers to preview.
    #[arg(default_value = "papers")]
    pub path: PathBuf,
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Templates overriding the defaults by name.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let shown = args.path.display().to_string();
    let opts = crate::serve::ServeOptions {
        root: args.path,
        port: args.port,
        templates: args.templates,
    };
    let ready = |url: &str| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "Previewing {shown} on {url} (Ctrl-C stops)");
        let _ = out.flush();
    };
    let failed: crate::serve::Failed =
        Arc::new(|e: &str| eprintln!("error: the preview could not be rebuilt: {e}"));
    // One line per rebuild, so whoever started the preview sees each edit land.
    let told: crate::serve::Told = Arc::new(|r: &crate::serve::Rebuilt| {
        let mut out = std::io::stdout().lock();
        let withheld = match r.withheld {
            0 => String::new(),
            n => format!(", {} not shown", super::count(n, "paper")),
        };
        let _ = writeln!(
            out,
            "rebuilt in {:.2} s: {}, {}, {}{withheld}",
            r.seconds,
            super::count(r.papers, "paper"),
            super::count(r.errors, "error"),
            super::count(r.warnings, "warning"),
        );
        let _ = out.flush();
    });
    match crate::serve::serve(opts, &ready, failed, told) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fatal(e),
    }
}
