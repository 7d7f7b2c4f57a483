//! The HTML format: a page per document through the tera templates, the reviewers' page of
//! each paper, and the site's index with its assets.

use crate::render::{hash_sources, href_path};

use super::{Document, Index, Kind, Link, Made, Paper, Renderer, Site, Tally};

pub(crate) struct Html;

/// A document's page in its paper's folder, and the template that makes it.
pub(crate) fn page(doc: &Document) -> (String, &'static str) {
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
            // A paper republished with changes says when, and what changed.
            (
                "updated",
                serde_json::to_value(paper.updated).unwrap_or_default(),
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

    /// The site's own pages (`site/pages.rs`): the index, each committee's and meeting's page
    /// with its calendar file, and the shared assets.
    fn site(&self, index: &Index, site: &Site, made: &mut Made) -> Result<(), String> {
        let cat = &index.catalogue;
        let mut files = crate::site::pages::html(cat, &index.packs, site.templates)?;
        write_all(&mut files, site, made);
        let searchable = search_index(cat, site, made);
        let mut pages = vec![
            crate::site::search::page(cat, site.templates, searchable)?,
            crate::site::forward_plan::page(cat, site.templates, index.pdf)?,
        ];
        write_all(&mut pages, site, made);
        Ok(())
    }

    fn summary(&self, tally: Tally) -> Option<String> {
        Some(crate::text::count(tally.made + tally.unchanged, "page"))
    }
}

/// Writes each of the site's files into the output.
fn write_all(files: &mut Vec<crate::site::pages::File>, site: &Site, made: &mut Made) {
    for (name, bytes) in files.drain(..) {
        if let Err(e) = made.write(site.out, &name, &bytes) {
            made.failures.push(format!("cannot write {name}: {e}"));
        }
    }
}

/// The search index of the pages just written (`site/search.rs`), made by Pagefind; without
/// Pagefind, a warning, and the search page is the list of papers alone. Whether there is one.
fn search_index(cat: &crate::site::Catalogue, site: &Site, made: &mut Made) -> bool {
    use crate::diagnostic::{Code, Diagnostic, Severity};
    use crate::site::search;
    let made_index = crate::render::typst::find_pagefind()
        .and_then(|pagefind| search::index(site.out, &search::pages(cat), &pagefind));
    match made_index {
        Ok(search::Made::New(mut files)) => {
            write_all(&mut files, site, made);
            true
        }
        Ok(search::Made::Kept(files)) => {
            made.files.extend(files);
            true
        }
        Ok(search::Made::Nothing) => false,
        Err(why) => {
            let mut d = Diagnostic::general(
                Code::SearchUnavailable,
                format!("the search index was not made: {why}; the rest of the site was built, and its search page lists the papers"),
            )
            .with_hint("install Pagefind (`npm install -g pagefind` or `pip install pagefind-bin`), or set CLERK_PAGEFIND to its binary, and build again");
            d.severity = Severity::Warning;
            made.notes.push(d);
            false
        }
    }
}
