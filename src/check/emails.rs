//! Contact e-mail addresses are well formed and in the council's domains.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::{Council, Person};

static WELL_FORMED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
        .expect("valid")
});

static IN_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").expect("valid")
});

fn domain_of(address: &str) -> String {
    address.rsplit_once('@').map_or(String::new(), |(_, d)| {
        d.trim_end_matches('.').to_ascii_lowercase()
    })
}

fn in_domains(domain: &str, domains: &[String]) -> bool {
    domains
        .iter()
        .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
}

/// The council domain a typo'd domain was meant to be, if it is close to one.
fn meant(domain: &str, domains: &[String]) -> Option<String> {
    domains
        .iter()
        .map(|d| (strsim::levenshtein(domain, d), d))
        .filter(|(dist, _)| *dist > 0 && *dist <= 3)
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, d)| d.clone())
}

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let domains: Vec<String> = cx
        .council
        .map(|c| c.domains().collect())
        .unwrap_or_default();
    let council = Domains {
        name: cx
            .council
            .map_or("the council", |c: &Council| c.meta.name.value.as_str()),
        domains: &domains,
    };
    let mut out = Vec::new();
    let people = |p: &[Person]| p.iter().filter_map(|p| p.email.clone()).collect::<Vec<_>>();
    if let Some(r) = &cx.paper.report {
        let mut emails = people(&r.meta.from);
        emails.extend(people(&r.meta.contacts));
        emails.extend(r.meta.decision_maker.iter().filter_map(|p| p.email.clone()));
        for e in &emails {
            out.extend(council.front_matter(r.file, r.span(e), &e.value));
        }
    }
    if let Some(d) = &cx.paper.decision {
        if let Some(e) = &d.meta.decision_maker.email {
            out.extend(council.front_matter(d.file, d.span(e), &e.value));
        }
    }
    for (file, body) in cx.bodies() {
        for block in body.prose() {
            for m in IN_PROSE.find_iter(&block.text.text) {
                let range = block.text.source_range(m.range());
                out.extend(council.in_prose(file, range, m.as_str()));
            }
        }
    }
    out
}

/// The council's name and e-mail domains, against which addresses are read.
struct Domains<'a> {
    name: &'a str,
    domains: &'a [String],
}

impl Domains<'_> {
    /// An address in front matter: well formed, and at one of the council's domains.
    fn front_matter(&self, file: FileId, range: Range<usize>, address: &str) -> Option<Diagnostic> {
        let address = address.trim();
        // A `[TBC …]` left by `clerk new` is reported as a placeholder, not as a bad address.
        if address.contains("[TBC") {
            return None;
        }
        if !WELL_FORMED.is_match(address) {
            return Some(
                Diagnostic::error(
                    Code::BadEmail,
                    file,
                    range,
                    format!("`{address}` is not a well-formed e-mail address"),
                )
                .with_hint("an address looks like name@example.gov.uk"),
            );
        }
        let domain = domain_of(address);
        if self.domains.is_empty() || in_domains(&domain, self.domains) {
            return None;
        }
        let d = Diagnostic::error(
            Code::EmailDomain,
            file,
            range,
            format!("`{domain}` is not one of {}'s e-mail domains", self.name),
        )
        .with_label("not a council domain");
        Some(match meant(&domain, self.domains) {
            Some(m) => d.with_hint(format!("did you mean `{m}`?")),
            None => d.with_hint(format!(
                "the council's domains are: {} (council.yaml `email_domains`)",
                self.domains.join(", ")
            )),
        })
    }

    /// In prose, addresses may be anyone's; only a near miss of a council domain is a slip.
    fn in_prose(&self, file: FileId, range: Range<usize>, address: &str) -> Option<Diagnostic> {
        let domain = domain_of(address);
        if in_domains(&domain, self.domains) {
            return None;
        }
        let meant = meant(&domain, self.domains)?;
        Some(
            Diagnostic::error(
                Code::EmailDomain,
                file,
                range,
                format!(
                    "`{domain}` looks like a misspelling of {}'s domain",
                    self.name
                ),
            )
            .with_hint(format!("did you mean `{meant}`?")),
        )
    }
}
