//! `clerk new`: start a paper from the council's house rules, with every section the council
//! requires and a `[TBC …]` wherever clerk cannot know the answer (`clerk check` flags them).

use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::Environment;

use crate::load::{COUNCIL_FILE, DECISION_FILE, REPORT_FILE};
use crate::model::CouncilMeta;
use crate::write::Output;

pub const REPORT_TEMPLATE: &str = include_str!("../templates/new/report.md");
pub const DECISION_TEMPLATE: &str = include_str!("../templates/new/decision.md");

/// The sections a report has when no council.yaml says otherwise.
const DEFAULT_SECTIONS: &[&str] = &[
    "Summary",
    "Recommendations",
    "Introduction",
    "Financial Implications",
    "Legal Implications",
    "Equalities Implications",
    "Background Documents",
    "Contact Details",
];

pub struct NewOptions {
    pub dir: PathBuf,
    pub decision_number: Option<String>,
    pub title: Option<String>,
    pub with_decision: bool,
}

/// The council.yaml nearest above `dir`, parsed.
fn council_above(dir: &Path) -> Option<CouncilMeta> {
    let start = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    start.ancestors().skip(1).find_map(|d| {
        let text = crate::load::read_text(&d.join(COUNCIL_FILE)).ok()?;
        serde_saphyr::from_str::<CouncilMeta>(&text).ok()
    })
}

/// A YAML scalar for any text: a JSON string is a valid YAML double-quoted string.
fn yaml_filter(text: &str) -> Result<String, minijinja::Error> {
    serde_json::to_string(text)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}

/// The engine the new paper's templates run in: Markdown, so nothing is escaped, and the
/// templates' last newline is kept.
fn environment() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(|e| e.to_string())?,
    );
    env.add_filter("yaml", yaml_filter);
    env.add_template("report.md", REPORT_TEMPLATE)
        .map_err(|e| e.to_string())?;
    env.add_template("decision.md", DECISION_TEMPLATE)
        .map_err(|e| e.to_string())?;
    Ok(env)
}

/// The sections a new report starts with: the council's required sections, with an
/// introduction after the summary and recommendations, or clerk's defaults.
fn sections(council: Option<&CouncilMeta>) -> Vec<String> {
    match council {
        Some(c) if !c.required_sections.is_empty() => {
            let mut s: Vec<String> = c
                .required_sections
                .iter()
                .map(|s| s.value.trim().to_string())
                .collect();
            // Every report has an introduction after its summary and recommendations.
            let at = s
                .iter()
                .position(|x| !x.starts_with("Summary") && !x.starts_with("Recommendation"))
                .unwrap_or(s.len());
            if !s.iter().any(|x| x.contains("Introduction")) {
                s.insert(at, "Introduction".into());
            }
            s
        }
        _ => DEFAULT_SECTIONS.iter().map(|s| s.to_string()).collect(),
    }
}

/// Writes the new paper; returns the files written. Refuses to touch existing files.
pub fn new_paper(opts: &NewOptions) -> Result<Vec<PathBuf>, String> {
    let mut files = vec![REPORT_FILE];
    if opts.with_decision {
        files.push(DECISION_FILE);
    }
    for f in &files {
        if opts.dir.join(f).exists() {
            return Err(format!(
                "`{}` already exists; clerk new never overwrites a paper",
                opts.dir.join(f).display()
            ));
        }
    }
    let council = council_above(&opts.dir);
    let sections = sections(council.as_ref());
    let domain = council
        .as_ref()
        .and_then(|c| c.email_domains.first())
        .map(|d| d.value.trim().to_string())
        .unwrap_or_else(|| "example.gov.uk".into());
    let context = minijinja::context! {
        decision_number => opts.decision_number.as_deref().unwrap_or("[TBC: decision number]"),
        title => opts.title.as_deref().unwrap_or("[TBC: title]"),
        email => format!("[TBC: name]@{domain}"),
        sections => sections,
    };
    let env = environment()?;
    let out = Output::create(&opts.dir)
        .map_err(|e| format!("cannot create `{}`: {e}", opts.dir.display()))?;
    let mut written = Vec::new();
    for f in files {
        let text = env
            .get_template(f)
            .and_then(|t| t.render(&context))
            .map_err(|e| format!("cannot write {f}: {e}"))?;
        out.write(f, text.as_bytes())
            .map_err(|e| format!("cannot write {f}: {e}"))?;
        written.push(opts.dir.join(f));
    }
    Ok(written)
}
