//! `clerk templates export DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::fatal;

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Write the default templates to DIR, to start a council's own from.
    #[command(after_help = "Example:\n  clerk templates export papers/templates")]
    Export {
        /// Where to write them (html/… and typst/…).
        dir: PathBuf,
    },
}

pub fn run(command: TemplatesCommand) -> ExitCode {
    match command {
        TemplatesCommand::Export { dir } => match crate::render::export(&dir) {
            Ok(written) => {
                for rel in written {
                    println!("{}", dir.join(rel).display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => fatal(format!("cannot write templates to {}: {e}", dir.display())),
        },
    }
}
