//! `clerk import FILE… [--council DIR] [--out DIR]`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::ColourChoice;
use crate::diagnostic::{render_human, SourceMap};

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Word (.docx) or PDF papers: reports and Records of Decision.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A folder holding the council.yaml whose import profile to use (default: the nearest
    /// council.yaml above each file, else the generic profile).
    #[arg(long)]
    pub council: Option<PathBuf>,
    /// Where to write the paper folders (default: papers).
    #[arg(long, default_value = "papers")]
    pub out: PathBuf,
    /// Write nothing: print what the reader saw in each file, block by block (paragraphs with
    /// their list numbers, tables with their cells), to write or mend a council's profile.
    #[arg(long)]
    pub blocks: bool,
}

pub fn run(args: ImportArgs, color: ColourChoice) -> ExitCode {
    if args.blocks {
        return show_blocks(&args.files, color);
    }
    let (written, diagnostics) =
        crate::imported::import_into(&args.files, args.council.as_deref(), &args.out);
    let mut stdout = std::io::stdout().lock();
    let mut to_check = 0;
    for w in &written {
        let read = w
            .coverage
            .as_ref()
            .map(|c| format!("; {}", c.summary()))
            .unwrap_or_default();
        let _ = writeln!(
            stdout,
            "imported {} → {} ({} to check){read}",
            crate::diagnostic::visible(&w.from.display().to_string()),
            crate::diagnostic::visible(&w.to.display().to_string()),
            w.unsure.len()
        );
        to_check += w.unsure.len();
    }
    if to_check > 0 {
        let _ = writeln!(
            stdout,
            "\nValues marked `# import: check` (the importer was not sure):"
        );
        for w in &written {
            for u in &w.unsure {
                let origin = u
                    .origin
                    .as_ref()
                    .map(|o| format!(" (from {o})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    stdout,
                    "  {}:{}: {}{origin}",
                    crate::diagnostic::visible(&w.to.display().to_string()),
                    u.line,
                    crate::diagnostic::visible(&u.what)
                );
            }
        }
        let _ = writeln!(stdout, "\nThen run `clerk check {}`.", args.out.display());
    }
    if !diagnostics.is_empty() {
        let text = render_human(&diagnostics, &SourceMap::new(), color.enabled());
        let _ = write!(stdout, "{text}");
    }
    let _ = stdout.flush();
    if diagnostics
        .iter()
        .any(|d| d.severity == crate::diagnostic::Severity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `--blocks`: each file's document as the reader made it.
fn show_blocks(files: &[PathBuf], color: ColourChoice) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let mut failed = Vec::new();
    for file in files {
        match crate::imported::read_document(file) {
            Ok(doc) => {
                let _ = writeln!(
                    stdout,
                    "== {} ({:?})",
                    crate::diagnostic::visible(&file.display().to_string()),
                    doc.format
                );
                for block in &doc.blocks {
                    let _ = writeln!(
                        stdout,
                        "{}",
                        crate::diagnostic::visible(&crate::imported::describe(block))
                    );
                }
            }
            Err(d) => failed.push(*d),
        }
    }
    if !failed.is_empty() {
        let _ = write!(
            stdout,
            "{}",
            render_human(&failed, &SourceMap::new(), color.enabled())
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
