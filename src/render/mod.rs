//! Render: the model into HTML (tera) and PDF (typst), through templates.
//!
//! Templates are embedded in the binary, so clerk runs from any folder; a council overrides any
//! of them by name from `papers/templates/` (or `--templates DIR`), laid out as `templates/` is
//! here: `html/NAME.html`, `html/assets/…`, `typst/NAME.typ`. `load` reads that folder; render
//! compiles the texts it is given and reads no file.

pub mod review;
pub mod typst;
pub mod view;

use std::collections::BTreeMap;
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

/// Each of `defaults`, by its name, with the text `overrides` holds for it at `folder/NAME`.
fn with_overrides(
    defaults: &[(&str, &str)],
    folder: &str,
    overrides: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    defaults
        .iter()
        .map(|(name, default)| {
            let text = overrides.get(&format!("{folder}/{name}"));
            (name.to_string(), text.map_or(*default, |t| t).to_string())
        })
        .collect()
}

impl Templates {
    /// The templates, each default replaced by the text `overrides` holds at its path in a
    /// template folder (`html/report.html`: see [`overridable_paths`]). Reads no file.
    pub fn compile(overrides: &BTreeMap<String, String>) -> Result<Templates, String> {
        let html = with_overrides(HTML_TEMPLATES, "html", overrides);
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(html.clone())
            .map_err(|e| format!("a template does not compile: {}", tera_error(&e)))?;
        Ok(Templates {
            tera,
            html_sources: html,
            assets: with_overrides(ASSETS, "html", overrides),
            typst: with_overrides(TYPST_TEMPLATES, "typst", overrides),
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

/// The path in a template folder of every template and asset it may override
/// (`html/report.html`, `html/assets/clerk.css`, `typst/paper.typ`): what `load` reads from it.
pub fn overridable_paths() -> Vec<String> {
    overridable().map(|(rel, _)| rel).collect()
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
