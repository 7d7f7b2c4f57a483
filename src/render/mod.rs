//! Render: the model into HTML (minijinja) and PDF (typst), through templates.
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

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{merge_maps, Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

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
    // The site's own pages (src/site/).
    (
        "committee.html",
        include_str!("../../templates/html/committee.html"),
    ),
    (
        "search.html",
        include_str!("../../templates/html/search.html"),
    ),
    (
        "forward-plan.html",
        include_str!("../../templates/html/forward-plan.html"),
    ),
    (
        "serve-withheld.html",
        include_str!("../../templates/html/serve-withheld.html"),
    ),
    (
        "notice.html",
        include_str!("../../templates/html/notice.html"),
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
    (
        "forward-plan.typ",
        include_str!("../../templates/typst/forward-plan.typ"),
    ),
];

/// The work one render of an HTML template may do, in minijinja's fuel (about one unit an
/// instruction, one per 64 bytes made): [`FUEL_FLOOR`] plus [`FUEL_PER_BYTE`] for each byte of
/// the data it is given (as JSON). clerk's own templates use at most about 0.53 units a byte
/// and 12,000 for a small page (measured on the bundled papers and on bench/growth.py's pages:
/// a table of 10,000 rows, one of 10,000 columns, 10,000 findings), so a page of any size has
/// ten times the work it needs, and a template that loops over its data inside a loop over its
/// data, or calls itself twice, stops at a bound linear in the page's data (time, and memory at
/// about 64 bytes a unit) instead of hanging the build. The budget is rounded up to a power of
/// two, so a handful of engines serve every size.
pub const FUEL_FLOOR: u64 = 1_000_000;
pub const FUEL_PER_BYTE: u64 = 5;

/// The levels of fuel an engine may be made for, as powers of two: 2^20 (the floor) to 2^40
/// (far past what any site needs; a bigger budget is held at this one).
const FUEL_LEVELS: std::ops::RangeInclusive<u32> = 20..=40;

/// The templates in use: the defaults, with a council's overrides where it has them.
pub struct Templates {
    env: Environment<'static>,
    /// The same engine with a fuel budget, one per level of [`FUEL_LEVELS`], made when first
    /// needed.
    fueled: Vec<std::sync::OnceLock<Environment<'static>>>,
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
        let mut env = html_environment();
        for (name, text) in &html {
            env.add_template_owned(name.clone(), text.clone())
                .map_err(|e| {
                    let why = engine_error(&e, &html);
                    format!("a template does not compile: {why}{}", tera_hint(text))
                })?;
        }
        Ok(Templates {
            env,
            fueled: FUEL_LEVELS.map(|_| std::sync::OnceLock::new()).collect(),
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
        let extra: BTreeMap<&str, &serde_json::Value> =
            extra.iter().map(|(k, v)| (*k, v)).collect();
        let fuel = fuel_for(json_size(data).saturating_add(json_size(&extra)));
        let in_template = |e: minijinja::Error| {
            if e.kind() == minijinja::ErrorKind::OutOfFuel {
                let at = e.name().unwrap_or(template);
                return format!(
                    "template `html/{at}` did more work than a page of this size needs, making `{template}`, and was stopped: the budget was {fuel} units of minijinja's fuel ({FUEL_FLOOR} and {FUEL_PER_BYTE} a byte of the page's data, rounded up to a power of two; ten times what clerk's own templates use); look for a loop inside a loop over the data, or a macro that calls itself more than once (README: Limits)"
                );
            }
            let why = engine_error(&e, &self.html_sources);
            format!("template `{template}`: {why}")
        };
        // Of the maps merged, the last holding a key gives its value: the extra values stand
        // over the data's.
        let context = merge_maps([Value::from(Serde(data)), Value::from(Serde(&extra))]);
        self.engine(fuel)
            .get_template(template)
            .and_then(|t| t.render(context))
            .map_err(in_template)
    }

    /// The engine whose fuel is `fuel` (a level of [`FUEL_LEVELS`]), made on first use.
    fn engine(&self, fuel: u64) -> &Environment<'static> {
        let level = fuel.trailing_zeros();
        let index = level.saturating_sub(*FUEL_LEVELS.start()) as usize;
        let Some(slot) = self.fueled.get(index) else {
            return &self.env;
        };
        slot.get_or_init(|| {
            let mut env = self.env.clone();
            env.set_fuel(Some(fuel));
            env
        })
    }
}

/// The fuel for a render whose data is `bytes` long as JSON: the budget of [`FUEL_FLOOR`] and
/// [`FUEL_PER_BYTE`], rounded up to a power of two within [`FUEL_LEVELS`].
fn fuel_for(bytes: u64) -> u64 {
    let budget = FUEL_FLOOR.saturating_add(FUEL_PER_BYTE.saturating_mul(bytes));
    let level = budget
        .checked_next_power_of_two()
        .map_or(64, u64::trailing_zeros)
        .clamp(*FUEL_LEVELS.start(), *FUEL_LEVELS.end());
    1 << level
}

/// How many bytes `value` takes as JSON, counted without keeping them.
fn json_size(value: &impl Serialize) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// The engine the HTML templates run in: minijinja with nothing that reaches outside the
/// texts it is given (no loader, so a template names only the templates compiled here; no
/// filter or function reads a file or the environment). `.html` templates are escaped with
/// [`escape_html`]; printing an undefined value is an error, testing one in `if` is false;
/// `null` prints as nothing; a template's last newline is kept.
fn html_environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_syntax(
        SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if value.is_none() {
            return Ok(());
        }
        let owned;
        let text = match value.as_str() {
            Some(text) => text,
            None => {
                owned = value.to_string();
                &owned
            }
        };
        if value.is_safe() || *state.auto_escape() == AutoEscape::None {
            out.write_str(text)
        } else {
            escape_into(out, text)
        }
        .map_err(minijinja::Error::from)
    });
    env
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
/// that can end either. (The engines' own escaping also escapes `/`, which only makes the source
/// harder to read.)
pub fn escape_html(text: &str) -> String {
    // Most text has nothing to escape: copy it whole.
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    escape_into(&mut out, text).expect("writing to a String does not fail");
    out
}

/// Writes `text` escaped as [`escape_html`] does, the runs between special characters whole.
fn escape_into(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut from = 0;
    for (at, c) in text.char_indices() {
        let escaped = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            _ => continue,
        };
        out.write_str(&text[from..at])?;
        out.write_str(escaped)?;
        from = at + 1;
    }
    out.write_str(&text[from..])
}

/// A template written for tera, which clerk used before minijinja, calls its macros as
/// `m::nodes(…)` (or `self::…`): say how minijinja's templates call them.
fn tera_hint(text: &str) -> &'static str {
    if text.contains("m::") || text.contains("self::") {
        "; it looks written for tera, which clerk used before: call a macro as `m.nodes(list=body)`, not `m::nodes(list=body)`, and give filters their arguments without names (README: Templates)"
    } else {
        ""
    }
}

/// The engine's error with its causes, on one line: its detail, or else the template text it
/// points at, and where (`undefined value: `no_such` is undefined (in report.html:1)`), so a
/// council's template author sees which name is wrong.
fn engine_error(e: &minijinja::Error, sources: &[(String, String)]) -> String {
    let mut message = e.kind().to_string();
    let quoted = e.name().zip(e.range()).and_then(|(name, range)| {
        let text = &sources.iter().find(|(n, _)| n == name)?.1;
        text.get(range).map(|t| t.trim().to_string())
    });
    match (e.detail(), quoted) {
        (Some(detail), _) => {
            message.push_str(": ");
            message.push_str(detail);
        }
        (None, Some(q)) if !q.is_empty() && q.len() <= 80 && !q.contains('\n') => {
            message.push_str(&format!(": `{q}`"));
        }
        _ => {}
    }
    if let (Some(name), Some(line)) = (e.name(), e.line()) {
        message.push_str(&format!(" (in {name}:{line})"));
    }
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
mod engine_tests {
    use std::collections::BTreeMap;

    use super::Templates;

    fn with(name: &str, text: &str) -> Result<Templates, String> {
        Templates::compile(&BTreeMap::from([(
            format!("html/{name}"),
            text.to_string(),
        )]))
    }

    #[test]
    fn escaping_is_the_five_characters_and_nothing_else() {
        assert_eq!(
            super::escape_html("a & b <c> \"d\" 'e' / é&"),
            "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; / é&amp;"
        );
        assert_eq!(super::escape_html("plain / text"), "plain / text");
    }

    #[test]
    fn an_override_replaces_the_template_of_its_name() {
        let t = with(
            "serve-panel.html",
            "<p>{{ who }} &amp; {{ n }}</p>{{ none_here }}\n",
        )
        .unwrap();
        let data = serde_json::json!({ "who": "<b>'A' & \"B\"</b>", "n": 3, "none_here": null });
        assert_eq!(
            t.html("serve-panel.html", &data, &[]).unwrap(),
            "<p>&lt;b&gt;&#39;A&#39; &amp; &quot;B&quot;&lt;/b&gt; &amp; 3</p>\n"
        );
        // The others are still the defaults.
        assert!(t
            .html_sources
            .iter()
            .any(|(n, s)| n == "base.html" && s.contains("skip-link")));
    }

    #[test]
    fn extra_values_stand_over_the_data() {
        let t = with("serve-panel.html", "{{ a }}{{ b }}").unwrap();
        let data = serde_json::json!({ "a": "data", "b": "data" });
        let got = t.html("serve-panel.html", &data, &[("b", "extra".into())]);
        assert_eq!(got.unwrap(), "dataextra");
    }

    #[test]
    fn undefined_values_are_errors_when_printed_and_false_when_tested() {
        let t = with(
            "serve-panel.html",
            "{% if nothing %}x{% endif %}{{ nothing }}",
        )
        .unwrap();
        let e = t.html("serve-panel.html", &serde_json::json!({}), &[]);
        assert!(e.unwrap_err().starts_with("template `serve-panel.html`: "));
    }

    #[test]
    fn templates_reach_nothing_outside_the_texts_they_are_given() {
        for text in [
            "{% include \"/etc/passwd\" %}",
            "{% include \"../../Cargo.toml\" %}",
            "{{ get_env(name=\"HOME\") }}",
        ] {
            let t = with("serve-panel.html", text).unwrap();
            assert!(
                t.html("serve-panel.html", &serde_json::json!({}), &[])
                    .is_err(),
                "{text}"
            );
        }
    }

    /// A template that does far more work than its data asks for stops with its name: loops
    /// nested over the data, and a macro that calls itself twice. The built-in templates
    /// render the same data within the budget.
    #[test]
    fn a_hostile_template_runs_out_of_fuel_and_is_named() {
        let data = serde_json::json!({ "items": (0..200).collect::<Vec<_>>() });
        for text in [
            "{% for a in items %}{% for b in items %}{% for c in items %}{{ a }}{% endfor %}{% endfor %}{% endfor %}",
            "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
            "{% set x = 'a' * 1000000000 %}{{ x }}",
        ] {
            let t = with("serve-panel.html", text).unwrap();
            let started = std::time::Instant::now();
            let e = t.html("serve-panel.html", &data, &[]).unwrap_err();
            assert!(
                e.starts_with("template `html/serve-panel.html` did more work")
                    && e.contains("was stopped"),
                "{text}: {e}"
            );
            assert!(started.elapsed().as_secs() < 30, "{text}");
        }
        // One loop over the same data is well within the budget.
        let t = with(
            "serve-panel.html",
            "{% for a in items %}{{ a }} {% endfor %}",
        )
        .unwrap();
        assert!(t.html("serve-panel.html", &data, &[]).is_ok());
    }

    #[test]
    fn fuel_grows_with_the_data_and_is_a_power_of_two() {
        use super::{fuel_for, FUEL_FLOOR, FUEL_PER_BYTE};
        assert_eq!(fuel_for(0), 1 << 20);
        for bytes in [0, 1, 1000, 1 << 20, 1 << 30] {
            let fuel = fuel_for(bytes);
            assert!(fuel.is_power_of_two());
            assert!(fuel >= FUEL_FLOOR + FUEL_PER_BYTE * bytes, "{bytes}");
            assert!(fuel < 2 * (FUEL_FLOOR + FUEL_PER_BYTE * bytes), "{bytes}");
        }
        assert_eq!(fuel_for(u64::MAX), 1 << 40);
    }

    #[test]
    fn a_template_written_for_tera_is_told_how_to_call_macros() {
        let e = with("report.html", "{{ m::nodes(list=body) }}")
            .err()
            .unwrap();
        assert!(
            e.contains("written for tera") && e.contains("m.nodes"),
            "{e}"
        );
        let e = with("report.html", "{% if %}").err().unwrap();
        assert!(!e.contains("tera"), "{e}");
    }

    #[test]
    fn a_broken_override_does_not_compile_and_says_where() {
        let e = with("report.html", "{% if %}<p>broken</p>").err().unwrap();
        assert!(
            e.starts_with("a template does not compile: ") && e.contains("report.html"),
            "{e}"
        );
    }
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
