//! Search without a server: a full-text index of the site's public pages, made by Pagefind (a
//! separate program, run by `render/typst.rs`, the one module that starts processes) and
//! searched in the reader's browser, which fetches only the fragments of the index a query
//! needs. clerk writes no search engine of its own.
//!
//! Only what the build published is indexed: each published paper's pages and each meeting's
//! page, copied into a fresh staging folder. Review pages, exempt papers and (in a build
//! without `--draft`) drafts are never among them, since the build never wrote them. The
//! index is made again only when one of those pages changed (their sizes and times, and
//! Pagefind's version, are its key), so a rebuild with nothing changed runs nothing.
//!
//! The search page lists every published paper: without JavaScript, that list is the page.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::render::typst::Pagefind;
use crate::write::Output;

use super::catalogue::Catalogue;
use super::pages::File;

/// Pagefind's bundle, in the output.
pub(crate) const BUNDLE: &str = "pagefind";
/// What the last index was made from, and its files.
const RECORD: &str = ".clerk/search.json";
/// Where the pages are staged for Pagefind, inside the output, removed afterwards.
const STAGING: &str = ".clerk/search-staging";

#[derive(Default, Serialize, Deserialize)]
struct Record {
    key: String,
    files: Vec<String>,
}

/// The pages the index holds: each published paper's pages (not its review page, nor a paper
/// withheld or named as exempt, which have none) and each meeting's page.
pub(crate) fn pages(cat: &Catalogue) -> Vec<String> {
    let mut pages: Vec<String> = cat
        .papers
        .iter()
        .filter(|p| !p.exempt)
        .flat_map(|p| &p.links)
        .filter(|l| l.href.ends_with(".html"))
        .filter_map(|l| {
            percent_encoding::percent_decode_str(&l.href)
                .decode_utf8()
                .ok()
        })
        .map(|h| h.into_owned())
        .collect();
    pages.extend(
        cat.meetings
            .iter()
            .map(|m| format!("meetings/{}/index.html", m.id)),
    );
    pages.sort();
    pages.dedup();
    pages
}

/// A key for the index made from `pages` as they are in the output now.
fn key(out: &Output, pages: &[String], pagefind: &Pagefind) -> String {
    let mut hash = Sha256::new();
    hash.update(pagefind.version.as_bytes());
    for page in pages {
        hash.update(page.as_bytes());
        let stamp = out
            .path(page)
            .ok()
            .and_then(|p| std::fs::symlink_metadata(p).ok())
            .map(|m| {
                let t = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{} {t}", m.len())
            })
            .unwrap_or_default();
        hash.update(stamp.as_bytes());
    }
    format!("{:x}", hash.finalize())
}

/// What is to be done about the index: the files to write (a new index and its record), or the
/// files of the last one, unchanged and still there, to keep.
pub(crate) enum Made {
    New(Vec<File>),
    Kept(Vec<String>),
    /// Nothing is published: nothing to search.
    Nothing,
}

/// Indexes `pages` (already written to the output) with Pagefind, unless the index the last
/// build made from them is still there.
pub(crate) fn index(out: &Output, pages: &[String], pagefind: &Pagefind) -> Result<Made, String> {
    // A page the build could not write (its template failed, and the build says so) is not
    // indexed.
    let written: Vec<String> = pages
        .iter()
        .filter(|p| out.path(p).is_ok_and(|p| p.is_file()))
        .cloned()
        .collect();
    if written.is_empty() {
        return Ok(Made::Nothing);
    }
    let pages = &written[..];
    let key = key(out, pages, pagefind);
    let last: Record = out
        .path(RECORD)
        .ok()
        .and_then(|p| crate::load::read_raw(&p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let there = |f: &String| out.path(f).is_ok_and(|p| p.is_file());
    if last.key == key && !last.files.is_empty() && last.files.iter().all(there) {
        let mut kept = last.files;
        kept.push(RECORD.to_string());
        return Ok(Made::Kept(kept));
    }
    let mut files = run(out, pages, pagefind)?;
    let record = Record {
        key,
        files: files.iter().map(|(p, _)| p.clone()).collect(),
    };
    let bytes = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    files.push((RECORD.to_string(), bytes));
    Ok(Made::New(files))
}

/// Stages the pages, runs Pagefind over them, and reads back its bundle.
fn run(out: &Output, pages: &[String], pagefind: &Pagefind) -> Result<Vec<File>, String> {
    let parent = out.work_dir(STAGING).map_err(|e| e.to_string())?;
    let result = (|| {
        let staged = crate::write::Staged::new(&parent, &[])
            .map_err(|e| format!("cannot stage the pages for Pagefind: {e}"))?;
        for page in pages {
            let bytes = out
                .path(page)
                .ok()
                .and_then(|p| crate::load::read_raw(&p).ok())
                .ok_or_else(|| format!("cannot read {page} to index it"))?;
            staged
                .put_at(page, &bytes)
                .map_err(|e| format!("cannot stage {page} for Pagefind: {e}"))?;
        }
        crate::render::typst::run_pagefind(pagefind, staged.path())?;
        let bundle = staged
            .take_tree(BUNDLE)
            .map_err(|e| format!("cannot read Pagefind's index: {e}"))?;
        Ok(bundle
            .into_iter()
            .map(|(rel, bytes)| (format!("{BUNDLE}/{rel}"), bytes))
            .collect())
    })();
    let _ = out.remove_work_dir(STAGING);
    result
}

/// The search page: a search box (Pagefind's, in the browser) over the list of every
/// published paper, which is the page without JavaScript.
pub(crate) fn page(
    cat: &Catalogue,
    t: &crate::render::Templates,
    searchable: bool,
) -> Result<File, String> {
    let root = "../";
    let papers: Vec<serde_json::Value> = cat
        .papers
        .iter()
        .filter(|p| !p.exempt && !p.href.is_empty())
        .map(|p| {
            serde_json::json!({
                "title": p.title, "href": format!("{root}{}", p.href),
                "date": p.date, "decision_number": p.decision_number, "committee": p.committee,
            })
        })
        .collect();
    let only = match cat.councils.as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    let html = t.html(
        "search.html",
        &serde_json::json!({ "title": "Search the papers", "council": only, "papers": papers, "searchable": searchable }),
        &[("root", serde_json::json!(root))],
    )?;
    Ok(("search/index.html".into(), html.into_bytes()))
}
