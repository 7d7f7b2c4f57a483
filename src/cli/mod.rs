//! The command line: flags become validated arguments here, and this is the one place that
//! prints results and chooses the exit code.

pub mod build;
pub mod check;
pub mod codes;
pub mod explain;
pub mod import;
pub mod new;
pub mod pack;
pub mod schema;
pub mod serve;
pub mod templates;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "clerk",
    version,
    about = "Checks and publishes UK local-government committee papers."
)]
#[command(
    after_help = "Examples (run from the repository's folder; each works as written):\n  clerk check                                  check every paper under papers/\n  clerk check papers/20-00017-early-help       check one paper\n  clerk check --format json                    machine-readable findings\n  clerk check --format short                   one line per finding, for editors and CI\n  clerk codes C0401                            what a code means, with an example"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Colour the findings (auto: only on a terminal, and never with NO_COLOR set).
    #[arg(long, global = true, value_enum, default_value_t = ColourChoice::Auto)]
    pub color: ColourChoice,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check papers for figure, wording and statutory slips.
    #[command(
        after_help = "Examples:\n  clerk check\n  clerk check papers/20-00017-early-help --format json\n\nExit status: 0 no errors, 1 errors found, 2 unreadable input or misuse."
    )]
    Check(check::CheckArgs),
    /// Say what clerk made of each amount on one line of a paper: its verdict, what it is said
    /// of, and what explains it.
    #[command(
        after_help = "Examples:\n  clerk explain papers/20-00017-early-help/report.md:28\n  clerk explain papers/20-00017-early-help/decision.md:17\n\nThe verdicts are those `clerk check` gives (and `clerk check --format json` lists).\nExit status: 0, or 2 when the file cannot be checked or the line holds no amount."
    )]
    Explain(explain::ExplainArgs),
    /// Read council Word (.docx) or PDF papers into clerk's format, one folder per paper.
    #[command(
        after_help = "Examples:\n  clerk import tests/fixtures/import/set/20-00017-early-help/report.docx --out imported\n  clerk import tests/fixtures/import/set/*/report.tagged.pdf --council papers --out imported\n  clerk check tests/fixtures/import/set/20-00017-early-help/report.docx    check a Word paper as it is\n\nEvery value the importer was not sure of is marked `# import: check` and listed.\nExisting papers are never overwritten. Exit status: 0 imported, 1 a file could not be."
    )]
    Import(import::ImportArgs),
    /// Check, then publish every paper as accessible HTML and tagged PDF.
    #[command(
        after_help = "Examples:\n  clerk build\n  clerk build papers --out site --formats html,json   (no PDFs; --no-pdf says the same)\n\nPapers with errors still render, under a banner, and the exit status is 1.\nThe review pages (output/review/) are for reviewers, not for publication."
    )]
    Build(build::BuildArgs),
    /// Make a meeting's publication pack: one PDF with agenda and continuous page numbers, an
    /// HTML meeting page, a calendar file and JSON.
    #[command(
        after_help = "Examples:\n  clerk pack papers/meetings/2021-03-09-cype-cabinet-committee.yaml\n  clerk pack papers/meetings/2021-03-09-cype-cabinet-committee.yaml --confidential members-only    also the full pack, Part 2 included, for members\n\nThe agenda must be published five clear days before the meeting, and each key decision\nneeds 28 clear days' notice; papers with errors stop the pack unless --allow-errors."
    )]
    Pack(pack::PackArgs),
    /// Preview papers in a browser as they are written: rebuilds and reloads on every save.
    #[command(
        after_help = "Examples:\n  clerk serve                  preview papers/ on http://127.0.0.1:4000/\n  clerk serve papers --port 0  any free port\n\nServes only this machine (127.0.0.1). Ctrl-C stops."
    )]
    Serve(serve::ServeArgs),
    /// Start a new paper with every section the council requires.
    #[command(
        after_help = "Examples:\n  clerk new papers/21-00123-library-hours --decision 21/00123 --title \"Library Opening Hours\"\n  clerk new papers/21-00124-parking --with-decision\n\nEvery [TBC …] left in is flagged by clerk check."
    )]
    New(new::NewArgs),
    /// Work with the default templates.
    #[command(
        subcommand,
        after_help = "Example:\n  clerk templates export papers/templates    then edit what the council wants to change"
    )]
    Templates(templates::TemplatesCommand),
    /// List every diagnostic code with what it means, or explain one with an example.
    #[command(
        after_help = "Examples:\n  clerk codes                  every code, its name and what it means\n  clerk codes C0202            one code, with an example of what clerk prints\n  clerk codes table-subtotal   the same, by its name"
    )]
    Codes {
        /// A code (C0202) or its name (table-subtotal): explain it, with an example.
        code: Option<String>,
    },
    /// Print the JSON Schema of a document's front matter, for editors' YAML language servers.
    #[command(
        after_help = "Example:\n  clerk schema report > papers/report.schema.json\n  then start a report's front matter (in papers/NAME/report.md) with:\n  # yaml-language-server: $schema=../report.schema.json"
    )]
    Schema {
        /// Which document: report, decision, appendix, council or meeting.
        #[arg(value_enum)]
        kind: schema::Kind,
    },
    /// Print a completion script for a shell.
    #[command(
        after_help = "Examples:\n  clerk completions bash > clerk.bash    then move it to ~/.local/share/bash-completion/completions/clerk\n  clerk completions zsh > _clerk        then move it to a folder on $fpath, such as ~/.zfunc\n  clerk completions fish > clerk.fish   then move it to ~/.config/fish/completions/"
    )]
    Completions {
        /// bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text with source snippets
    Human,
    /// one JSON document with a `diagnostics` array
    Json,
    /// one line per finding, `file:line:column: severity[code]: message`, for editors and CI
    Short,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColourChoice {
    Auto,
    Always,
    Never,
}

impl ColourChoice {
    /// Whether to colour standard output: `auto` means only on a terminal, and never when
    /// NO_COLOR is set (https://no-color.org).
    pub fn enabled(self) -> bool {
        match self {
            ColourChoice::Always => true,
            ColourChoice::Never => false,
            ColourChoice::Auto => {
                use std::io::IsTerminal;
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap uses 0 for --help/--version and 2 for misuse, as clerk does.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Explain(args) => explain::run(args),
        Command::Build(args) => build::run(args, cli.color),
        Command::Import(args) => import::run(args, cli.color),
        Command::Pack(args) => pack::run(args, cli.color),
        Command::Templates(command) => templates::run(command),
        Command::New(args) => new::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "clerk", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Schema { kind } => {
            println!("{}", schema::schema(kind));
            ExitCode::SUCCESS
        }
        Command::Codes { code: None } => {
            print!("{}", codes::list());
            ExitCode::SUCCESS
        }
        Command::Codes { code: Some(code) } => match codes::explain(&code) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => fatal(message),
        },
    }
}

/// A command that could not run at all (unreadable input, misuse, a folder clerk refuses):
/// said on standard error, exit status 2. Every command ends this way on such a failure.
pub(crate) use crate::text::count;

/// The exit status every command that checks papers gives: 2 when the input could not be read
/// or the command was misused, 1 when there are errors, else 0.
pub(crate) fn status(usage_error: bool, errors: usize) -> ExitCode {
    if usage_error {
        ExitCode::from(2)
    } else if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(crate) fn fatal(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
