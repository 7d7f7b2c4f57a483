//! The site's own pages, made from the catalogue: the index (by committee and by meeting date,
//! a section per council), a page per committee or decision maker, and a page per meeting with
//! its calendar file and data. Each returns files as bytes, for the build (or the pack) to
//! write through `write.rs`.

use serde_json::json;

use crate::render::Templates;

use super::catalogue::{Catalogue, Committee, PaperEntry};
use super::meetings::{calendar, pack_links};

/// A file of the site: its path in the output and its bytes.
pub(crate) type File = (String, Vec<u8>);

/// A meeting as the index and a committee's page list it.
fn meeting_summary(cat: &Catalogue, i: usize, root: &str) -> serde_json::Value {
    let m = &cat.meetings[i];
    json!({
        "date": m.date_text,
        "committee": m.committee,
        "href": format!("{root}meetings/{}/index.html", crate::render::href_path(&m.id)),
        "items": m.items.len(),
    })
}

/// A paper's line, its links made relative to a page `root` away from the site's root.
fn paper_line(p: &PaperEntry, root: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(p).unwrap_or_default();
    let at = |h: &str| {
        if h.is_empty() {
            String::new()
        } else {
            format!("{root}{h}")
        }
    };
    v["href"] = json!(at(&p.href));
    v["links"] = json!(p
        .links
        .iter()
        .map(|l| json!({ "label": l.label, "href": at(&l.href) }))
        .collect::<Vec<_>>());
    v
}

/// The index: a section per council (one section, headed by the page, when there is one),
/// each with its meetings newest first, its committees and decision makers, and its papers.
fn index(cat: &Catalogue, committees: &[Committee], t: &Templates) -> Result<File, String> {
    let councils: Vec<serde_json::Value> = cat
        .councils
        .iter()
        .map(|council| {
            let meetings: Vec<_> = (0..cat.meetings.len())
                .filter(|i| &cat.meetings[*i].council == council)
                .map(|i| meeting_summary(cat, i, ""))
                .collect();
            let bodies: Vec<_> = committees
                .iter()
                .filter(|c| &c.council == council)
                .map(|c| json!({ "name": c.name, "href": crate::render::href_path(&c.href), "meetings": c.meetings.len(), "papers": c.papers.len() }))
                .collect();
            let papers: Vec<_> = cat
                .papers
                .iter()
                .filter(|p| &p.council == council)
                .map(|p| paper_line(p, ""))
                .collect();
            json!({ "name": council, "meetings": meetings, "committees": bodies, "papers": papers })
        })
        .collect();
    let only = match cat.councils.as_slice() {
        [one] => one.clone(),
        _ => String::new(),
    };
    let html = t.html(
        "index.html",
        &json!({
            "title": if only.is_empty() { "Committee papers".to_string() } else { format!("{only}: committee papers") },
            "council": only,
            "several": cat.councils.len() > 1,
            "councils": councils,
            "papers": cat.papers.len(),
            "meetings": cat.meetings.len(),
        }),
        &[("root", json!(""))],
    )?;
    Ok(("index.html".into(), html.into_bytes()))
}

/// A committee's or decision maker's page: its meetings and its papers.
fn committee(cat: &Catalogue, c: &Committee, t: &Templates) -> Result<File, String> {
    let root = "../../";
    let html = t.html(
        "committee.html",
        &json!({
            "title": c.name,
            "council": c.council,
            "meetings": c.meetings.iter().map(|i| meeting_summary(cat, *i, root)).collect::<Vec<_>>(),
            "papers": c.papers.iter().map(|i| paper_line(&cat.papers[*i], root)).collect::<Vec<_>>(),
        }),
        &[("root", json!(root))],
    )?;
    Ok((c.href.clone(), html.into_bytes()))
}

/// Each meeting's page, calendar file and (with `data`) its JSON, listing the packs made.
pub(crate) fn meeting_files(
    cat: &Catalogue,
    committees: &[Committee],
    packs: &std::collections::BTreeMap<String, Vec<String>>,
    t: &Templates,
) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    for m in &cat.meetings {
        let made = packs.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        let href = Catalogue::committee_href(committees, &m.council, &m.committee);
        let base = format!("meetings/{}", m.id);
        let page = format!("{}/index.html", crate::render::href_path(&base));
        let event = super::opendata::event(m, &cat.base, &page);
        let html = t.html(
            "meeting.html",
            &json!({
                "meeting": m,
                "items": m.items,
                "packs": pack_links(m, made, cat.preview),
                "committee_href": if href.is_empty() { String::new() } else { format!("../../{}", crate::render::href_path(&href)) },
                "title": format!("{}, {}", m.committee, m.date_text),
                "council": m.council,
                "event": super::opendata::script_json(&event),
            }),
            &[("root", json!("../../"))],
        )?;
        files.push((format!("{base}/index.html"), html.into_bytes()));
        files.push((format!("{base}/meeting.ics"), calendar(m).into_bytes()));
    }
    Ok(files)
}

/// Each meeting's data: the meeting and its public agenda, as its page shows them.
pub(crate) fn meeting_data(
    cat: &Catalogue,
    packs: &std::collections::BTreeMap<String, Vec<String>>,
) -> Vec<File> {
    cat.meetings
        .iter()
        .map(|m| {
            let made = packs.get(&m.id).map(Vec::as_slice).unwrap_or_default();
            let data = json!({
                "meeting": m,
                "packs": pack_links(m, made, cat.preview),
                "calendar": "meeting.ics",
            });
            let bytes = serde_json::to_vec_pretty(&data).unwrap_or_default();
            (format!("meetings/{}/meeting.json", m.id), bytes)
        })
        .collect()
}

/// Every HTML page of the site's own (and its calendar files and stylesheet), in a fixed order.
pub(crate) fn html(
    cat: &Catalogue,
    packs: &std::collections::BTreeMap<String, Vec<String>>,
    t: &Templates,
) -> Result<Vec<File>, String> {
    let committees = cat.committees();
    let mut files = vec![index(cat, &committees, t)?];
    for c in &committees {
        files.push(committee(cat, c, t)?);
    }
    files.extend(meeting_files(cat, &committees, packs, t)?);
    for (name, text) in &t.assets {
        files.push((name.clone(), text.clone().into_bytes()));
    }
    Ok(files)
}
