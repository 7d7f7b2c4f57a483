//! Each meeting's page, calendar file and data: from its meeting file and what the build
//! published of the papers on its agenda. A Part 1 paper is linked when it is published; a
//! Part 2 item, or any paper not published, is named with its Schedule 12A paragraph only, as
//! a public agenda names it. `clerk pack` makes the packs the page lists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::meeting::{AgendaItem, MeetingMeta};

use super::catalogue::{Link, PaperEntry};

/// A meeting as its page, calendar file and data show it: public facts only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MeetingPage {
    /// Its folder: `meetings/ID/`, from the meeting file's name.
    pub(crate) id: String,
    pub(crate) council: String,
    pub(crate) committee: String,
    /// `YYYY-MM-DD`, and as the page prints it ("Tuesday 9 March 2021").
    pub(crate) date: String,
    pub(crate) date_text: String,
    pub(crate) time: String,
    pub(crate) venue: String,
    pub(crate) chair: String,
    pub(crate) members: Vec<String>,
    pub(crate) published: String,
    pub(crate) published_text: String,
    /// The agenda in order: Part 1, Part 2, then each supplement's late items.
    pub(crate) items: Vec<AgendaLine>,
    pub(crate) supplements: Vec<SupplementLine>,
}

/// One item of a meeting's agenda.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AgendaLine {
    pub(crate) number: usize,
    /// 1 (public) or 2 (exempt).
    pub(crate) part: u8,
    /// "standard", "paper", "exempt" (named with its paragraph only) or "withheld" (a paper
    /// not published, for a reason other than exemption: named by the meeting file alone).
    pub(crate) kind: String,
    pub(crate) title: String,
    pub(crate) text: String,
    pub(crate) paragraph: Option<u32>,
    /// Its page, from the meeting's page (`../../FOLDER/index.html`): Part 1 papers only.
    pub(crate) href: Option<String>,
    /// The supplement it is a late item of.
    pub(crate) supplement: Option<u32>,
    /// The paper's folder in the output, to find its line in the catalogue (not shown).
    #[serde(skip)]
    pub(crate) rel: Option<String>,
}

/// A supplementary agenda: its number, when it was published and the chair's reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SupplementLine {
    pub(crate) number: u32,
    pub(crate) published_text: String,
    pub(crate) reason: String,
}

/// A meeting file found in the tree: its id, path and what it says (None when it cannot be
/// read; the build reports that, and withholds the papers it might list).
pub(crate) struct MeetingFile {
    pub(crate) id: String,
    pub(crate) path: PathBuf,
    pub(crate) meta: Option<MeetingMeta>,
}

/// Every meeting file under `root`, each with the folder of the site it is published in.
pub(crate) fn find(root: &Path) -> Vec<MeetingFile> {
    find_all(root).0
}

/// Meeting files that share a name: each path with the id it is published under.
pub(crate) type Clash = Vec<(PathBuf, String)>;

/// Every meeting file under `root` with its id, and the names two or more share. A meeting's
/// folder is `meetings/NAME/`, from its file's name; files that share a name (in different
/// folders) each get the name and the folder they are in (`cabinet-kent`), so that every one
/// has a page of its own, and the build says so.
pub(crate) fn find_all(root: &Path) -> (Vec<MeetingFile>, Vec<Clash>) {
    let mut found = crate::load::discover(std::slice::from_ref(&root.to_path_buf())).meetings;
    found.sort();
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "meeting".into())
    };
    let mut by_name: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for path in found {
        by_name.entry(stem(&path)).or_default().push(path);
    }
    let mut taken: std::collections::BTreeSet<String> = by_name.keys().cloned().collect();
    let mut files = Vec::new();
    let mut clashes = Vec::new();
    for (name, paths) in by_name {
        if let [one] = paths.as_slice() {
            files.push((name, one.clone()));
            continue;
        }
        let mut clash = Vec::new();
        for path in paths {
            let mut id = format!("{name}-{}", folder_name(root, &path));
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{name}-{}-{n}", folder_name(root, &path));
                n += 1;
            }
            taken.insert(id.clone());
            clash.push((path.clone(), id.clone()));
            files.push((id, path));
        }
        clashes.push(clash);
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let files = files
        .into_iter()
        .map(|(id, path)| {
            let meta = crate::load::read_text(&path).ok().and_then(|text| {
                crate::parse::frontmatter::read_yaml::<MeetingMeta>(
                    0,
                    &text,
                    0..text.len(),
                    "meeting",
                )
                .ok()
            });
            MeetingFile { id, path, meta }
        })
        .collect();
    (files, clashes)
}

/// The folder a meeting file is in, as part of its id: its path under `root` without the
/// `meetings` folder (`kent` for `kent/meetings/cabinet.yaml`), as a slug; `papers` at the top.
fn folder_name(root: &Path, path: &Path) -> String {
    let dir = path.parent().unwrap_or(Path::new(""));
    let dir = if dir
        .file_name()
        .is_some_and(|n| n == crate::load::MEETINGS_DIR)
    {
        dir.parent().unwrap_or(Path::new(""))
    } else {
        dir
    };
    let rel = dir
        .strip_prefix(root)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| dir.file_name().map(PathBuf::from))
        .unwrap_or_default();
    let text = rel.to_string_lossy();
    if text.is_empty() {
        "papers".into()
    } else {
        super::catalogue::slug(&text)
    }
}

/// The id under which the site publishes the meeting file `path`: the one the last build
/// recorded for it in the output folder `out`, else its file's name.
pub(crate) fn id_in(out: &Path, path: &Path) -> String {
    let real = super::real(path);
    super::Manifest::read_at(out)
        .meetings
        .into_iter()
        .find(|(_, p)| *p == real)
        .map(|(id, _)| id)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "meeting".into())
        })
}

fn text_of(v: &Option<serde_saphyr::Spanned<String>>) -> String {
    v.as_ref()
        .map(|s| s.value.trim().to_string())
        .unwrap_or_default()
}

/// The page of one meeting. `papers` gives what the build published of each paper, by the
/// real path of its folder.
pub(crate) fn page(
    file: &MeetingFile,
    papers: &BTreeMap<String, &PaperEntry>,
) -> Option<MeetingPage> {
    let m = file.meta.as_ref()?;
    let mut diagnostics = Vec::new();
    let agenda =
        crate::check::meeting::resolve_agenda(m, None, &file.path, &mut diagnostics).ok()?;
    let entry_of = |dir: &Option<PathBuf>| {
        dir.as_ref()
            .and_then(|d| papers.get(&super::real(d)).copied())
    };
    let mut items: Vec<AgendaLine> = agenda
        .resolved
        .iter()
        .enumerate()
        .map(|(i, r)| line(i + 1, r.part, r.item, entry_of(&r.dir), None))
        .collect();
    let mut supplements = Vec::new();
    for s in &m.supplements {
        let meeting_dir = file.path.parent().unwrap_or(Path::new(""));
        for item in &s.items {
            let dir = item
                .paper
                .as_ref()
                .map(|p| meeting_dir.join(p.value.trim()));
            let entry = entry_of(&dir);
            items.push(line(items.len() + 1, 1, item, entry, Some(s.number.value)));
        }
        supplements.push(SupplementLine {
            number: s.number.value,
            published_text: crate::text::long_date(s.published.value.0),
            reason: text_of(&s.reason),
        });
    }
    Some(MeetingPage {
        id: file.id.clone(),
        council: council_of(&items, papers),
        committee: m.committee.value.trim().to_string(),
        date: m.date.value.0.to_string(),
        date_text: crate::text::day_and_date(m.date.value.0),
        time: text_of(&m.time),
        venue: text_of(&m.venue),
        chair: text_of(&m.chair),
        members: m
            .members
            .iter()
            .map(|s| s.value.trim().to_string())
            .collect(),
        published: m.published.value.0.to_string(),
        published_text: crate::text::long_date(m.published.value.0),
        items,
        supplements,
    })
}

/// The council of a meeting: that of the first paper on its agenda that has one.
fn council_of(items: &[AgendaLine], papers: &BTreeMap<String, &PaperEntry>) -> String {
    items
        .iter()
        .filter_map(|i| i.rel.as_ref())
        .find_map(|rel| {
            papers
                .values()
                .find(|p| &p.rel == rel && !p.council.is_empty())
        })
        .map(|p| p.council.clone())
        .unwrap_or_default()
}

/// One agenda item as the public page shows it. A paper is linked only when it is published
/// and in Part 1; otherwise it is named (by the meeting file, else by its lawful title) with
/// its paragraph.
fn line(
    number: usize,
    part: u8,
    item: &AgendaItem,
    entry: Option<&PaperEntry>,
    supplement: Option<u32>,
) -> AgendaLine {
    let given = text_of(&item.title);
    let paragraph = item
        .paragraph
        .as_ref()
        .map(|p| p.value)
        .or(entry.and_then(|e| e.paragraph));
    let mut line = AgendaLine {
        number,
        part,
        title: given.clone(),
        text: text_of(&item.text),
        paragraph,
        supplement,
        rel: entry.map(|e| e.rel.clone()),
        ..AgendaLine::default()
    };
    if let Some(s) = &item.standard {
        line.kind = "standard".into();
        if line.title.is_empty() {
            line.title = s.value.default_title().into();
        }
        return line;
    }
    // A paper's line in the catalogue is there only when it is published or named as exempt;
    // its page is the report's, whatever formats a build makes.
    let published = entry.filter(|e| !e.exempt);
    line.kind = match (part, published, entry) {
        (1, Some(e), _) => {
            line.href = Some(format!(
                "../../{}/index.html",
                crate::render::href_path(&e.rel)
            ));
            "paper"
        }
        (_, _, Some(e)) if e.exempt || part == 2 => "exempt",
        (2, _, None) => "exempt",
        _ => "withheld",
    }
    .into();
    if line.title.is_empty() {
        line.title = match entry {
            Some(e) => e.title.clone(),
            None => "An item not yet published".into(),
        };
    }
    line
}

/// The links a meeting's page gives to its packs: those `clerk pack` made (`made`, paths in
/// the output), or in the preview every pack the meeting can have, made when asked for.
pub(crate) fn pack_links(page: &MeetingPage, made: &[String], preview: bool) -> Vec<Link> {
    let base = format!("meetings/{}/", page.id);
    let mut links = Vec::new();
    let mut add = |file: String, label: String| {
        if preview || made.contains(&format!("{base}{file}")) {
            links.push(Link { label, href: file });
        }
    };
    add("pack.pdf".into(), "Agenda pack (PDF)".into());
    for s in &page.supplements {
        add(
            format!("supplement-{}.pdf", s.number),
            format!("Supplement {} (PDF)", s.number),
        );
    }
    links
}

/// The meeting as an iCalendar event (RFC 5545), stamped with its publication date so two
/// runs give the same file.
pub(crate) fn calendar(m: &MeetingPage) -> String {
    use chrono::NaiveDate;
    use icalendar::{Calendar, Component, Event, EventLike};
    let date = NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").unwrap_or_default();
    let published = NaiveDate::parse_from_str(&m.published, "%Y-%m-%d").unwrap_or_default();
    let mut event = Event::new();
    event
        .uid(&format!("{}@clerk", one_line(&m.id)))
        .summary(&one_line(&m.committee));
    if let Some(stamp) = published.and_hms_opt(0, 0, 0) {
        event.timestamp(stamp.and_utc());
    }
    match chrono::NaiveTime::parse_from_str(&m.time, "%H:%M")
        .ok()
        .map(|t| date.and_time(t))
    {
        Some(start) => {
            event.starts(icalendar::CalendarDateTime::WithTimezone {
                date_time: start,
                tzid: "Europe/London".into(),
            });
        }
        None => {
            event.all_day(date);
        }
    }
    if !m.venue.is_empty() {
        event.location(&one_line(&m.venue));
    }
    let agenda: Vec<String> = m
        .items
        .iter()
        .map(|i| format!("{}. {}", i.number, one_line(&i.title)))
        .collect();
    // The crate escapes these lines' text (RFC 5545 3.3.11) and folds them; each line of paper
    // text has been made one line first, so none can start a property of its own.
    event.description(&format!("Agenda:\n{}", agenda.join("\n")));
    let mut cal = Calendar::new();
    cal.name(&one_line(&format!("{} {}", m.committee, m.date_text)))
        .push(event.done());
    cal.done().to_string()
}

/// Paper text as one line of calendar text: line breaks and other control characters become
/// spaces (RFC 5545 allows none in a value; the calendar name is not escaped by the crate).
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
