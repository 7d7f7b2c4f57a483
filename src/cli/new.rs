//! `clerk new DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::fatal;

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The paper's folder (created; existing papers are never overwritten).
    pub dir: PathBuf,
    /// Its decision number, e.g. 21/00123.
    #[arg(long)]
    pub decision: Option<String>,
    /// Its title.
    #[arg(long)]
    pub title: Option<String>,
    /// Also start its (proposed) record of decision.
    #[arg(long)]
    pub with_decision: bool,
}

pub fn run(args: NewArgs) -> ExitCode {
    let opts = crate::scaffold::NewOptions {
        dir: args.dir,
        decision_number: args.decision,
        title: args.title,
        with_decision: args.with_decision,
    };
    match crate::scaffold::new_paper(&opts) {
        Ok(files) => {
            for f in files {
                println!("created {}", f.display());
            }
            println!(
                "next: fill in every [TBC …], then run `clerk check {}`",
                opts.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fatal(e),
    }
}
