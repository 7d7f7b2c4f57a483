//! Open data: an OParl 1.1 view of the site (<https://oparl.org>, the open standard for council
//! information systems) as static JSON files under `oparl/`, and schema.org `Event` data for
//! each meeting's page. Both are made from the catalogue alone, so they hold what the site's
//! pages hold and nothing more: an exempt paper is its title and Schedule 12A paragraph, a
//! draft is not there at all.
//!
//! Every object is a file of its own, at an address that does not change while what it
//! describes is there: `oparl/system.json` (the entry point), `oparl/body/NAME.json` (a
//! council) with its lists (`oparl/body/NAME/papers.json`, `meetings.json`,
//! `organizations.json`, `people.json`), `oparl/paper/FOLDER.json`, `oparl/meeting/ID.json`,
//! `oparl/organization/NAME.json` (a committee or decision maker, named as its page) and
//! `oparl/person/NAME.json` (a decision maker). The objects OParl embeds (a meeting's agenda
//! items, a paper's files and consultations, a meeting's location) take the address of the
//! file that holds them and a fragment (`oparl/meeting/ID.json#item-3`).
//!
//! An object's `id` is its address. With a base URL (`clerk build --base-url
//! https://example.gov.uk/papers/`) each address is absolute, the base and the file's path;
//! without one, each is a relative reference from the file it is written in
//! (`"body": "../bodies.json"`), which a reader resolves against the address it fetched the
//! file from, as RFC 3986 says.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::render::href_path;

use super::catalogue::{slug, Catalogue, Committee, PaperEntry};
use super::meetings::MeetingPage;
use super::pages::File;

/// OParl's type URL for an object of `kind`.
fn kind(kind: &str) -> String {
    format!("https://schema.oparl.org/1.1/{kind}")
}

/// Where the site is published, if known: an absolute `http(s)` URL ending in `/`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Base(pub(crate) Option<String>);

impl Base {
    /// The base a build is given, checked: an absolute http or https URL, made to end in `/`.
    pub(crate) fn parse(given: &str) -> Result<Base, String> {
        let text = given.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"));
        let host = rest.map(|r| r.split('/').next().unwrap_or(""));
        let clean = !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && !text.contains(['?', '#', '"', '<', '>', '\\']);
        match host {
            Some(h) if !h.is_empty() && clean => {
                let mut base = text.to_string();
                if !base.ends_with('/') {
                    base.push('/');
                }
                Ok(Base(Some(base)))
            }
            _ => Err(format!(
                "`{given}` is not a base URL: give the site's address, as https://example.gov.uk/papers/"
            )),
        }
    }

    /// The base a build is given, if any.
    pub(crate) fn given(url: Option<&str>) -> Result<Base, String> {
        url.map_or(Ok(Base::default()), Base::parse)
    }

    /// The address of `to` (a path from the site's root, percent-encoded) as written in the
    /// file `from` (likewise): absolute with a base, else relative to `from`.
    pub(crate) fn url(&self, from: &str, to: &str) -> String {
        match &self.0 {
            Some(base) => format!("{base}{to}"),
            None => relative(from, to),
        }
    }
}

/// A relative reference from the file `from` to the file `to`, both paths from the site's root.
fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_file) = to_parts.split_at(to_parts.len().saturating_sub(1));
    let common = from_dirs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    for part in &to_dirs[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(to_file.first().copied().unwrap_or(""));
    if out.is_empty() {
        "./".into()
    } else {
        out
    }
}

/// `YYYY-MM-DD` and `HH:MM` in London as an RFC 3339 date-time: British Summer Time from the
/// last Sunday in March to the last Sunday in October.
pub(crate) fn london(date: &str, time: &str) -> Option<String> {
    use chrono::{Datelike, NaiveDate, NaiveTime};
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let at = NaiveTime::parse_from_str(time.trim(), "%H:%M").ok()?;
    let last_sunday = |month: u32| {
        let end = NaiveDate::from_ymd_opt(day.year(), month, 31)?;
        let back = end.weekday().num_days_from_sunday();
        end.checked_sub_days(chrono::Days::new(u64::from(back)))
    };
    let summer = match (last_sunday(3), last_sunday(10)) {
        (Some(from), Some(to)) => day >= from && day < to,
        _ => false,
    };
    let offset = if summer { "+01:00" } else { "+00:00" };
    Some(format!("{}T{}:00{offset}", day, at.format("%H:%M")))
}

/// The schema.org `Event` of a meeting, for its page (JSON-LD): its name, start, place,
/// organiser and agenda as the page shows them. `page` is the page's path in the site.
pub(crate) fn event(m: &MeetingPage, base: &Base, page: &str) -> Value {
    let start = london(&m.date, &m.time).unwrap_or_else(|| m.date.clone());
    let agenda: Vec<String> = m
        .items
        .iter()
        .map(|i| format!("{}. {}", i.number, i.title))
        .collect();
    let mut event = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": format!("{}, {}", m.committee, m.date_text),
        "startDate": start,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": true,
        "inLanguage": "en-GB",
        "url": base.url(page, page),
        "description": format!("Agenda: {}", agenda.join("; ")),
        "organizer": {
            "@type": "GovernmentOrganization",
            "name": if m.council.is_empty() { m.committee.clone() } else { m.council.clone() },
        },
    });
    if !m.venue.is_empty() {
        event["location"] = json!({ "@type": "Place", "name": m.venue, "address": m.venue });
    }
    event
}

/// JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` (and the line
/// separators JavaScript once read as line ends) written as `\u` escapes, so no text of a
/// paper can close the element or open another.
pub(crate) fn script_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The files of the OParl view, each with its path in the output.
pub(crate) const SYSTEM: &str = "oparl/system.json";
const BODIES: &str = "oparl/bodies.json";

/// What every object's addresses are made from: the catalogue, its committees, each council's
/// body, each decision maker's file, and the packs made.
struct View<'a> {
    cat: &'a Catalogue,
    base: &'a Base,
    committees: Vec<Committee>,
    /// Each council's body file's name, by council.
    bodies: BTreeMap<String, String>,
    /// Each decision maker's file (`oparl/person/NAME.json`), by council and name.
    people: BTreeMap<(String, String), String>,
    packs: &'a BTreeMap<String, Vec<String>>,
}

/// Names as files, two of one name told apart by a number, in the order given.
fn unique_slugs<'k>(names: impl Iterator<Item = (&'k str, String)>) -> Vec<String> {
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    names
        .map(|(name, fallback)| {
            let base = if name.trim().is_empty() {
                fallback
            } else {
                slug(name)
            };
            let n = taken.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}-{n}")
            }
        })
        .collect()
}

/// The papers the open data holds: each published paper and each exempt one (named), never a
/// draft.
fn listed(cat: &Catalogue) -> impl Iterator<Item = &PaperEntry> {
    cat.papers.iter().filter(|p| !p.draft)
}

impl<'a> View<'a> {
    fn new(cat: &'a Catalogue, base: &'a Base, packs: &'a BTreeMap<String, Vec<String>>) -> Self {
        let names = unique_slugs(cat.councils.iter().map(|c| (c.as_str(), "papers".into())));
        let bodies = cat.councils.iter().cloned().zip(names).collect();
        let mut makers: Vec<(String, String)> = listed(cat)
            .filter(|p| !p.exempt && !p.decision_maker.is_empty())
            .map(|p| (p.council.clone(), p.decision_maker.clone()))
            .collect();
        makers.sort();
        makers.dedup();
        let files = unique_slugs(makers.iter().map(|(_, n)| (n.as_str(), "person".into())));
        let people = makers
            .into_iter()
            .zip(files)
            .map(|(k, f)| (k, format!("oparl/person/{f}.json")))
            .collect();
        View {
            cat,
            base,
            committees: cat.committees(),
            bodies,
            people,
            packs,
        }
    }

    fn body_file(&self, council: &str) -> String {
        let name = self.bodies.get(council).map_or("papers", String::as_str);
        format!("oparl/body/{name}.json")
    }

    fn list_file(&self, council: &str, list: &str) -> String {
        let name = self.bodies.get(council).map_or("papers", String::as_str);
        format!("oparl/body/{name}/{list}.json")
    }

    fn organization_file(&self, council: &str, name: &str) -> Option<String> {
        let href = Catalogue::committee_href(&self.committees, council, name);
        let folder = href
            .strip_prefix("committees/")?
            .strip_suffix("/index.html")?;
        Some(format!("oparl/organization/{folder}.json"))
    }

    fn paper_file(p: &PaperEntry) -> String {
        format!("oparl/paper/{}.json", p.rel)
    }

    fn meeting_file(m: &MeetingPage) -> String {
        format!("oparl/meeting/{}.json", m.id)
    }

    /// The address of the site's file `to` (a path, not yet encoded) from the file `from`.
    fn url(&self, from: &str, to: &str) -> String {
        self.base.url(&href_path(from), &href_path(to))
    }

    /// As `url`, for a link the catalogue already holds percent-encoded.
    fn link(&self, from: &str, encoded: &str) -> String {
        self.base.url(&href_path(from), encoded)
    }
}

/// A paper's files (its pages, PDFs and data), as OParl `File` objects embedded in it; `from`
/// is the file they are written in.
fn files(v: &View, p: &PaperEntry, from: &str) -> Vec<Value> {
    let own = v.url(from, &View::paper_file(p));
    p.links
        .iter()
        .map(|l| {
            let name = l.href.rsplit('/').next().unwrap_or_default();
            let mime = match name.rsplit('.').next() {
                Some("pdf") => "application/pdf",
                Some("json") => "application/json",
                _ => "text/html",
            };
            let file_name = percent_encoding::percent_decode_str(name)
                .decode_utf8_lossy()
                .into_owned();
            json!({
                "id": format!("{own}#file-{}", slug(&file_name)),
                "type": kind("File"),
                "name": l.label,
                "fileName": file_name,
                "mimeType": mime,
                "accessUrl": v.link(from, &l.href),
                "paper": [own],
            })
        })
        .collect()
}

/// A paper as OParl's `Paper`, written in the file `from` (its own, or a list). An exempt
/// paper is its title and Schedule 12A paragraph.
fn paper(v: &View, p: &PaperEntry, from: &str) -> Value {
    let mut out = json!({
        "id": v.url(from, &View::paper_file(p)),
        "type": kind("Paper"),
        "body": v.url(from, &v.body_file(&p.council)),
        "name": p.title,
    });
    if p.exempt {
        let why = match p.paragraph {
            Some(n) => format!(
                "exempt under paragraph {n} of Schedule 12A to the Local Government Act 1972"
            ),
            None => "exempt under Schedule 12A to the Local Government Act 1972".into(),
        };
        out["keyword"] = json!([why]);
        return out;
    }
    out["reference"] = json!(p.decision_number);
    let date = if p.report_date.is_empty() {
        &p.sort_date
    } else {
        &p.report_date
    };
    if !date.is_empty() {
        out["date"] = json!(date);
    }
    out["paperType"] = json!(if p.key_decision {
        "Key decision"
    } else {
        "Decision"
    });
    let mut files = files(v, p, from);
    // The report's PDF is the paper when there is one; else its first page.
    let main = files
        .iter()
        .position(|f| f["mimeType"] == "application/pdf")
        .unwrap_or(0);
    if !files.is_empty() {
        out["mainFile"] = files.remove(main);
        out["auxiliaryFile"] = json!(files);
    }
    if let Some(org) = v.organization_file(&p.council, &p.committee) {
        out["underDirectionOf"] = json!([v.url(from, &org)]);
    }
    if let Some(u) = &p.updated {
        if let Some(at) = london(&u.date, "00:00") {
            out["modified"] = json!(at);
        }
    }
    out["consultation"] = json!(consultations(v, p, from));
    out["web"] = json!(v.link(from, &p.href));
    out
}

/// Each meeting whose agenda links the paper: an OParl `Consultation` embedded in the paper.
fn consultations(v: &View, p: &PaperEntry, from: &str) -> Vec<Value> {
    let own = v.url(from, &View::paper_file(p));
    v.cat
        .meetings
        .iter()
        .flat_map(|m| m.items.iter().map(move |i| (m, i)))
        .filter(|(_, i)| i.kind == "paper" && i.rel.as_deref() == Some(p.rel.as_str()))
        .map(|(m, i)| {
            let meeting = View::meeting_file(m);
            let mut c = json!({
                "id": format!("{own}#consultation-{}-{}", slug(&m.id), i.number),
                "type": kind("Consultation"),
                "paper": own,
                "meeting": v.url(from, &meeting),
                "agendaItem": format!("{}#item-{}", v.url(from, &meeting), i.number),
            });
            if let Some(org) = v.organization_file(&m.council, &m.committee) {
                c["organization"] = json!([v.url(from, &org)]);
            }
            c
        })
        .collect()
}

/// A meeting as OParl's `Meeting`, written in the file `from` (its own, or a list): its agenda
/// items and location embedded, its packs and calendar file as its files.
fn meeting(v: &View, m: &MeetingPage, from: &str) -> Value {
    let own = v.url(from, &View::meeting_file(m));
    let page = format!("meetings/{}/index.html", m.id);
    let mut out = json!({
        "id": own,
        "type": kind("Meeting"),
        "name": format!("{}, {}", m.committee, m.date_text),
        "web": v.url(from, &page),
    });
    if let Some(start) = london(&m.date, &m.time) {
        out["start"] = json!(start);
    }
    if !m.venue.is_empty() {
        out["location"] = json!({
            "id": format!("{own}#location"),
            "type": kind("Location"),
            "description": m.venue,
        });
    }
    if let Some(org) = v.organization_file(&m.council, &m.committee) {
        out["organization"] = json!([v.url(from, &org)]);
    }
    out["agendaItem"] = json!(m
        .items
        .iter()
        .map(|i| agenda_item(v, m, i, from))
        .collect::<Vec<_>>());
    let file = |name: &str, label: &str, mime: &str| {
        json!({
            "id": format!("{own}#file-{}", slug(name)),
            "type": kind("File"),
            "name": label,
            "fileName": name,
            "mimeType": mime,
            "accessUrl": v.url(from, &format!("meetings/{}/{name}", m.id)),
            "meeting": [own],
        })
    };
    let made = v.packs.get(&m.id).map(Vec::as_slice).unwrap_or_default();
    let mut extra = vec![file("meeting.ics", "Calendar file", "text/calendar")];
    for l in super::meetings::pack_links(m, made, false) {
        let f = file(&l.href, &l.label, "application/pdf");
        if l.href == "pack.pdf" {
            out["invitation"] = f;
        } else {
            extra.push(f);
        }
    }
    out["auxiliaryFile"] = json!(extra);
    out
}

/// One item of a meeting's agenda, as its page shows it: a Part 2 item, or a paper not
/// published, by its title (and paragraph) alone.
fn agenda_item(v: &View, m: &MeetingPage, i: &super::meetings::AgendaLine, from: &str) -> Value {
    let own = v.url(from, &View::meeting_file(m));
    let mut item = json!({
        "id": format!("{own}#item-{}", i.number),
        "type": kind("AgendaItem"),
        "meeting": own,
        "number": i.number.to_string(),
        "order": i.number,
        "name": i.title,
        "public": i.part == 1 && i.kind != "exempt",
        "web": v.url(from, &format!("meetings/{}/index.html", m.id)),
    });
    match i.kind.as_str() {
        "exempt" => {
            let why = match i.paragraph {
                Some(n) => format!(
                    "exempt under paragraph {n} of Schedule 12A to the Local Government Act 1972"
                ),
                None => "exempt under Schedule 12A to the Local Government Act 1972".into(),
            };
            item["keyword"] = json!([why]);
        }
        "withheld" => item["keyword"] = json!(["not published"]),
        "paper" => {
            if let Some(p) = v.cat.papers.iter().find(|p| Some(&p.rel) == i.rel.as_ref()) {
                let paper = View::paper_file(p);
                item["consultation"] = json!(format!(
                    "{}#consultation-{}-{}",
                    v.url(from, &paper),
                    slug(&m.id),
                    i.number
                ));
            }
        }
        _ => {}
    }
    item
}

/// A committee or decision maker as OParl's `Organization`, whose own file is `file`, written
/// in the file `from`.
fn organization(v: &View, c: &Committee, file: &str, from: &str) -> Value {
    json!({
        "id": v.url(from, file),
        "type": kind("Organization"),
        "body": v.url(from, &v.body_file(&c.council)),
        "name": c.name,
        "classification": if c.meetings.is_empty() { "decision maker" } else { "committee" },
        "web": v.url(from, &c.href),
    })
}

/// A decision maker as OParl's `Person`: the name the papers give, and a membership of each
/// role they give (the role's organisation, when the site has a page for it).
fn person(v: &View, (council, name): (&str, &str), file: &str, from: &str) -> Value {
    let own = v.url(from, file);
    let mut roles: Vec<&str> = listed(v.cat)
        .filter(|p| !p.exempt && p.council == council && p.decision_maker == name)
        .map(|p| p.decision_maker_role.as_str())
        .filter(|r| !r.is_empty())
        .collect();
    roles.sort();
    roles.dedup();
    let memberships: Vec<Value> = roles
        .iter()
        .enumerate()
        .map(|(n, role)| {
            let mut m = json!({
                "id": format!("{own}#membership-{}", n + 1),
                "type": kind("Membership"),
                "person": own,
                "role": role,
            });
            if let Some(org) = v.organization_file(council, role) {
                m["organization"] = json!(v.url(from, &org));
            }
            m
        })
        .collect();
    json!({
        "id": own,
        "type": kind("Person"),
        "body": v.url(from, &v.body_file(council)),
        "name": name,
        "status": roles,
        "membership": memberships,
    })
}

/// An OParl list holding every object of `data`, on one page.
fn list(data: Vec<Value>) -> Value {
    let n = data.len();
    json!({
        "data": data,
        "pagination": { "totalElements": n, "elementsPerPage": n.max(1), "currentPage": 1, "totalPages": 1 },
        "links": {},
    })
}

fn file(path: String, value: &Value) -> File {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    (path, bytes)
}

/// Every file of the OParl view: the system, each council's body and its lists, and each
/// paper, meeting, organisation and person.
// Long because it lays out every list of every body, each in its own file.
pub(crate) fn oparl(
    cat: &Catalogue,
    base: &Base,
    packs: &BTreeMap<String, Vec<String>>,
) -> Vec<File> {
    let v = View::new(cat, base, packs);
    let mut files = Vec::new();
    let name = match cat.councils.as_slice() {
        [one] if !one.is_empty() => one.clone(),
        _ => "Committee papers".to_string(),
    };
    files.push(file(
        SYSTEM.into(),
        &json!({
            "id": v.url(SYSTEM, SYSTEM),
            "type": kind("System"),
            "oparlVersion": "https://schema.oparl.org/1.1/",
            "name": name,
            "body": v.url(SYSTEM, BODIES),
            "website": v.url(SYSTEM, "index.html"),
            "web": v.url(SYSTEM, "index.html"),
        }),
    ));
    let papers: Vec<&PaperEntry> = listed(cat).collect();
    let organizations: Vec<(&Committee, String)> = v
        .committees
        .iter()
        .filter_map(|c| Some((c, v.organization_file(&c.council, &c.name)?)))
        .collect();
    for council in &cat.councils {
        let of = |c: &str| c == council;
        let in_list = |name: &str, make: &dyn Fn(&str) -> Vec<Value>| {
            let path = v.list_file(council, name);
            file(path.clone(), &list(make(&path)))
        };
        files.push(in_list("papers", &|at| {
            papers
                .iter()
                .filter(|p| of(&p.council))
                .map(|p| paper(&v, p, at))
                .collect()
        }));
        files.push(in_list("meetings", &|at| {
            cat.meetings
                .iter()
                .filter(|m| of(&m.council))
                .map(|m| meeting(&v, m, at))
                .collect()
        }));
        files.push(in_list("organizations", &|at| {
            organizations
                .iter()
                .filter(|(c, _)| of(&c.council))
                .map(|(c, f)| organization(&v, c, f, at))
                .collect()
        }));
        files.push(in_list("people", &|at| {
            v.people
                .iter()
                .filter(|((c, _), _)| of(c))
                .map(|((c, n), f)| person(&v, (c, n), f, at))
                .collect()
        }));
    }
    let body = |council: &str, at: &str| {
        let lists = |name: &str| v.url(at, &v.list_file(council, name));
        json!({
            "id": v.url(at, &v.body_file(council)),
            "type": kind("Body"),
            "system": v.url(at, SYSTEM),
            "name": if council.is_empty() { "Papers under no council" } else { council },
            "organization": lists("organizations"),
            "person": lists("people"),
            "meeting": lists("meetings"),
            "paper": lists("papers"),
            "legislativeTerm": [],
            "website": v.url(at, "index.html"),
            "web": v.url(at, "index.html"),
        })
    };
    for council in &cat.councils {
        let at = v.body_file(council);
        files.push(file(at.clone(), &body(council, &at)));
    }
    files.push(file(
        BODIES.into(),
        &list(cat.councils.iter().map(|c| body(c, BODIES)).collect()),
    ));
    for p in &papers {
        let at = View::paper_file(p);
        files.push(file(at.clone(), &paper(&v, p, &at)));
    }
    for m in &cat.meetings {
        let at = View::meeting_file(m);
        files.push(file(at.clone(), &meeting(&v, m, &at)));
    }
    for (c, f) in &organizations {
        files.push(file(f.clone(), &organization(&v, c, f, f)));
    }
    for ((c, n), f) in &v.people {
        files.push(file(f.clone(), &person(&v, (c, n), f, f)));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_resolve_from_the_file_they_are_in() {
        assert_eq!(
            relative("oparl/system.json", "oparl/bodies.json"),
            "bodies.json"
        );
        assert_eq!(
            relative("oparl/paper/a/b.json", "oparl/body/kent.json"),
            "../../body/kent.json"
        );
        assert_eq!(relative("oparl/system.json", "index.html"), "../index.html");
        assert_eq!(
            relative("oparl/meeting/m.json", "meetings/m/index.html"),
            "../../meetings/m/index.html"
        );
    }

    #[test]
    fn a_base_is_an_absolute_web_address() {
        let b = Base::parse("https://example.gov.uk/papers").unwrap();
        assert_eq!(b.0.as_deref(), Some("https://example.gov.uk/papers/"));
        assert_eq!(
            b.url("oparl/system.json", "oparl/bodies.json"),
            "https://example.gov.uk/papers/oparl/bodies.json"
        );
        for bad in [
            "example.gov.uk",
            "ftp://x/",
            "https://",
            "javascript:alert(1)",
            "https://x/\"><",
        ] {
            assert!(Base::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn london_time_follows_british_summer_time() {
        assert_eq!(
            london("2021-03-09", "10:00").unwrap(),
            "2021-03-09T10:00:00+00:00"
        );
        assert_eq!(
            london("2021-03-28", "10:00").unwrap(),
            "2021-03-28T10:00:00+01:00"
        );
        assert_eq!(
            london("2021-10-30", "10:00").unwrap(),
            "2021-10-30T10:00:00+01:00"
        );
        assert_eq!(
            london("2021-10-31", "10:00").unwrap(),
            "2021-10-31T10:00:00+00:00"
        );
        assert_eq!(london("2021-03-09", "10am"), None);
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & \u{2028}" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
