//! Render: the model into HTML (tera) and PDF (typst), through templates.
//!
//! Templates are embedded in the binary, so clerk runs from any folder; a council overrides any
//! of them by name from `papers/templates/` (or `--templates DIR`), laid out as `templates/` is
//! here: `html/NAME.html`, `html/assets/…`, `typst/NAME.typ`.

pub mod review;
pub mod typst;
pub mod view;

use std::fs;
use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use crate::write::Output;

/// The default templates, embedded at build time.
pub const HTML_TEMPLATES: &[(&str, &str)] = &[
    (
        "macros.html",
        include_str!("../../templates/html/macros.html"),
    ),
    ("base.html", include_str!("../../templates/html/base.html")),
    (
        "report.html",
        include_str!("../../templates/html/report.html"),
    ),
    (
        "decision.html",
        include_str!("../../templates/html/decision.html"),
    ),
    (
        "appendix.html",
        include_str!("../../templates/html/appendix.html"),
    ),
    (
        "index.html",
        include_str!("../../templates/html/index.html"),
    ),
    (
        "review.html",
        include_str!("../../templates/html/review.html"),
    ),
    (
        "meeting.html",
        include_str!("../../templates/html/meeting.html"),
    ),
    (
        "serve-panel.html",
        include_str!("../../templates/html/serve-panel.html"),
    ),
];

pub const ASSETS: &[(&str, &str)] = &[(
    "assets/clerk.css",
    include_str!("../../templates/html/assets/clerk.css"),
)];

/// paper.typ first: it is the entry point of a paper's PDF; the rest are imported by it.
pub const TYPST_TEMPLATES: &[(&str, &str)] = &[
    ("paper.typ", include_str!("../../templates/typst/paper.typ")),
    ("clerk.typ", include_str!("../../templates/typst/clerk.typ")),
    ("pack.typ", include_str!("../../templates/typst/pack.typ")),
];

/// The templates in use: the defaults, with a council's overrides where it has them.
pub struct Templates {
    pub tera: Tera,
    /// The HTML templates' text, for the fingerprint.
    pub html_sources: Vec<(String, String)>,
    pub assets: Vec<(String, String)>,
    pub typst: Vec<(String, String)>,
}

fn overridden(dir: Option<&Path>, rel: &str, default: &str) -> Result<String, String> {
    match dir.map(|d| d.join(rel)) {
        Some(path) if path.is_file() => fs::read_to_string(&path)
            .map_err(|e| format!("cannot read template `{}`: {e}", path.display())),
        _ => Ok(default.to_string()),
    }
}

impl Templates {
    /// Loads the templates, taking each from `dir` where it holds one of the same name.
    pub fn load(dir: Option<&Path>) -> Result<Templates, String> {
        let mut html = Vec::new();
        for (name, default) in HTML_TEMPLATES {
            html.push((
                name.to_string(),
                overridden(dir, &format!("html/{name}"), default)?,
            ));
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(html.clone())
            .map_err(|e| format!("a template does not compile: {}", tera_error(&e)))?;
        let mut assets = Vec::new();
        for (name, default) in ASSETS {
            assets.push((
                name.to_string(),
                overridden(dir, &format!("html/{name}"), default)?,
            ));
        }
        let mut typst = Vec::new();
        for (name, default) in TYPST_TEMPLATES {
            typst.push((
                name.to_string(),
                overridden(dir, &format!("typst/{name}"), default)?,
            ));
        }
        Ok(Templates {
            tera,
            html_sources: html,
            assets,
            typst,
        })
    }

    /// Renders one HTML template with a serialisable context and extra values.
    pub fn html(
        &self,
        template: &str,
        data: &impl Serialize,
        extra: &[(&str, serde_json::Value)],
    ) -> Result<String, String> {
        let mut context = Context::from_serialize(data).map_err(|e| tera_error(&e))?;
        for (key, value) in extra {
            context.insert(*key, value);
        }
        self.tera
            .render(template, &context)
            .map_err(|e| format!("template `{template}`: {}", tera_error(&e)))
    }
}

/// Hashes templates (or assets) by name and text, so a change to one invalidates the output
/// made from them.
pub fn hash_sources<'a>(sources: impl Iterator<Item = &'a (String, String)>) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (name, text) in sources {
        hash.update(name.as_bytes());
        hash.update(text.as_bytes());
    }
    format!("{:x}", hash.finalize())
}

/// Escapes text for HTML element content and quoted attribute values: the five characters
/// that can end either. (Tera's default also escapes `/`, which only makes the source harder
/// to read.)
pub fn escape_html(text: &str) -> String {
    let special = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'');
    // Most text has nothing to escape: copy it whole.
    let Some(first) = text.find(special) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Tera's error with its causes, on one line.
fn tera_error(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Writes the default templates out, to start a council's own from.
pub fn export(dir: &Path) -> std::io::Result<Vec<String>> {
    let out = Output::create(dir)?;
    let mut written = Vec::new();
    for (rel, text) in overridable() {
        out.write(&rel, text.as_bytes())?;
        written.push(rel);
    }
    Ok(written)
}

/// Every template and asset a template folder may override, by its path in that folder.
fn overridable() -> impl Iterator<Item = (String, &'static str)> {
    HTML_TEMPLATES
        .iter()
        .map(|(n, t)| (format!("html/{n}"), *t))
        .chain(ASSETS.iter().map(|(n, t)| (format!("html/{n}"), *t)))
        .chain(
            TYPST_TEMPLATES
                .iter()
                .map(|(n, t)| (format!("typst/{n}"), *t)),
        )
}

/// Templates in `dir` that override nothing: an HTML, typst or CSS file at a path clerk does
/// not read, which would otherwise be ignored without a word. Each comes with the path of the
/// template of the same name, when there is one ("report.html" → "html/report.html").
pub fn unused_overrides(dir: &Path) -> Vec<(String, Option<String>)> {
    let known: Vec<String> = overridable().map(|(rel, _)| rel).collect();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .max_depth(4)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let ext = entry.path().extension().and_then(|e| e.to_str());
        if !entry.file_type().is_file() || !matches!(ext, Some("html" | "typ" | "css")) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if known.contains(&rel) {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let meant = known
            .iter()
            .find(|k| k.rsplit('/').next() == Some(name))
            .cloned();
        out.push((rel, meant));
    }
    out
}

/// Characters written as themselves in a link clerk makes from a file or folder name; every
/// other byte is percent-encoded, `:` included, so no name can become a `javascript:` link.
const NAME_SAFE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A relative link to a `/`-separated path inside the output: each part percent-encoded.
pub fn href_path(rel: &str) -> String {
    rel.split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, NAME_SAFE).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod href_tests {
    use super::href_path;

    #[test]
    fn names_become_relative_paths_and_never_schemes() {
        assert_eq!(href_path("20-00017-early-help"), "20-00017-early-help");
        assert_eq!(
            href_path("javascript:document.title='PWNED';0/index.html"),
            "javascript%3Adocument.title%3D%27PWNED%27%3B0/index.html"
        );
        assert_eq!(href_path("a b/café\"<x>"), "a%20b/caf%C3%A9%22%3Cx%3E");
    }
}
