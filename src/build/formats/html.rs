//! The HTML format: a page per document through the tera templates, the reviewers' page of
//! each paper, and the site's index with its assets.

use crate::render::{hash_sources, href_path};

use super::{Document, Index, Kind, Link, Made, Paper, Renderer, Site, Tally};

pub(crate) struct Html;

/// A document's page in its paper's folder, and the template that makes it.
fn page(doc: &Document) -> (String, &'static str) {
    match doc.kind {
        Kind::Report => ("index.html".into(), "report.html"),
        Kind::Decision => ("decision.html".into(), "decision.html"),
        Kind::Appendix => (format!("{}.html", doc.stem), "appendix.html"),
    }
}

impl Renderer for Html {
    fn name(&self) -> &'static str {
        "html"
    }

    fn key(&self, site: &Site) -> String {
        let t = site.templates;
        hash_sources(t.html_sources.iter().chain(t.assets.iter()))
    }

    fn link(&self, doc: &Document) -> Option<Link> {
        Some(Link {
            label: doc.label.clone(),
            href: href_path(&page(doc).0),
        })
    }

    fn document(&self, doc: &Document, paper: &Paper, made: &mut Made) {
        let (file, template) = page(doc);
        let rel = paper.rel;
        let review_href = format!("{}review/{}/index.html", paper.root_href, href_path(rel));
        let extra = [
            ("root", serde_json::json!(paper.root_href)),
            ("review_href", serde_json::json!(review_href)),
            (
                "links",
                serde_json::to_value(paper.links).unwrap_or_default(),
            ),
        ];
        match paper.site.templates.html(template, doc.view, &extra) {
            Ok(html) => match made.write(paper.site.out, &format!("{rel}/{file}"), html.as_bytes())
            {
                Ok(()) => made.documents += 1,
                Err(e) => made
                    .failures
                    .push(format!("cannot write {rel}/{file}: {e}")),
            },
            Err(e) => made
                .failures
                .push(format!("{}: {e}", paper.visit.cx.paper.dir.display())),
        }
    }

    /// The review page, for reviewers only; no public page links to it but the error banner.
    fn paper(&self, paper: &Paper, made: &mut Made) {
        let (visit, rel) = (paper.visit, paper.rel);
        let paths = &visit.paths;
        let reviewed = crate::render::review::Reviewed {
            paper: visit.cx.paper,
            sources: visit.cx.sources,
            paths: (paths
                .report
                .iter()
                .chain(&paths.decision)
                .chain(&paths.appendices))
            .map(|p| p.as_path())
            .collect(),
            diagnostics: visit.diagnostics,
        };
        let data = crate::render::review::review(&reviewed, visit.amounts);
        let extra = [
            ("root", serde_json::json!(format!("../{}", paper.root_href))),
            ("council", serde_json::json!(paper.council)),
            ("title", serde_json::json!(data.title)),
        ];
        match paper.site.templates.html("review.html", &data, &extra) {
            Ok(html) => {
                let file = format!("review/{rel}/index.html");
                if let Err(e) = made.write(paper.site.out, &file, html.as_bytes()) {
                    made.failures
                        .push(format!("cannot write the review of {rel}: {e}"));
                }
            }
            Err(e) => made
                .failures
                .push(format!("{}: {e}", visit.cx.paper.dir.display())),
        }
    }

    /// The index, newest first, then by decision number; and the shared assets.
    fn site(&self, index: &Index, site: &Site, made: &mut Made) -> Result<(), String> {
        let mut entries = index.entries.clone();
        entries.sort_by(|a, b| {
            b.sort_date
                .cmp(&a.sort_date)
                .then(a.decision_number.cmp(&b.decision_number))
                .then(a.href.cmp(&b.href))
        });
        let html = site.templates.html(
            "index.html",
            &serde_json::json!({ "papers": entries, "title": "Decisions", "council": index.council }),
            &[("root", serde_json::json!(""))],
        )?;
        let files = std::iter::once(("index.html", html.as_str())).chain(
            site.templates
                .assets
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str())),
        );
        for (name, text) in files {
            if let Err(e) = made.write(site.out, name, text.as_bytes()) {
                made.failures.push(format!("cannot write {name}: {e}"));
            }
        }
        Ok(())
    }

    fn summary(&self, tally: Tally) -> Option<String> {
        Some(crate::text::count(tally.made + tally.unchanged, "page"))
    }
}
