//! `clerk explain FILE:LINE`: what clerk made of each amount on one line of a paper.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A paper's file and a line of it: `papers/20-00017-early-help/report.md:28`.
    pub place: String,
}

/// The file and line of `FILE:LINE`.
fn parse_place(place: &str) -> Option<(PathBuf, usize)> {
    let (file, line) = place.rsplit_once(':')?;
    let line: usize = line.trim().parse().ok().filter(|l| *l > 0)?;
    Some((PathBuf::from(file), line))
}

pub fn run(args: ExplainArgs) -> ExitCode {
    let Some((file, line)) = parse_place(&args.place) else {
        return super::fatal("give a file and a line, as FILE:LINE (papers/x/report.md:28)");
    };
    let Some(dir) = file.parent().map(Path::to_path_buf) else {
        return super::fatal("the file must be in a paper's folder");
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    crate::locate_amounts();
    let checked = crate::check_paths(std::slice::from_ref(&dir));
    let wanted = crate::diagnostic::display_path(&file);
    let here: Vec<&crate::Located> = checked
        .amounts
        .iter()
        .filter(|a| a.line == line && (a.file == wanted || Path::new(&a.file) == file))
        .collect();
    let mut out = std::io::stdout().lock();
    if here.is_empty() {
        let _ = writeln!(out, "{wanted}:{line}: no amount in prose on this line");
        let _ = out.flush();
        return ExitCode::from(2);
    }
    for a in here {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} — {}",
            a.file, a.line, a.column, a.text, a.verdict
        );
        let _ = writeln!(
            out,
            "  said of:   {}",
            crate::diagnostic::visible(&a.subject)
        );
        let _ = writeln!(
            out,
            "  why:       {}",
            crate::diagnostic::visible(&a.explanation)
        );
        if let Some(kind) = a.kind {
            let kind = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "  kind:      {kind}");
        }
        if let Some(e) = &a.evidence {
            let _ = writeln!(out, "  evidence:  {e}");
        }
        if let Some(f) = &a.fact {
            let _ = writeln!(out, "  fact at:   {}:{}:{}", f.file, f.line, f.column);
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}
