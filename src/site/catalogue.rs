//! What the site knows of its papers and meetings, gathered once by a build: a line for each
//! paper (published, or named as exempt), each meeting's page, and the committees and decision
//! makers they belong to. Every page of the whole site (the index, the committees', the
//! meetings', the forward plan, the search page, the open data) is made from this and nothing
//! else, so none of them can hold what the build did not publish.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::meetings::MeetingPage;

/// A link from one page to another document, in one format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Link {
    pub(crate) label: String,
    pub(crate) href: String,
}

/// One paper as the site's pages list it: its line in the index, its committee's page and the
/// forward plan. An exempt paper's line has its title and paragraph and nothing else.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PaperEntry {
    /// Its folder in the output (`/`-separated).
    pub(crate) rel: String,
    pub(crate) council: String,
    pub(crate) sort_date: String,
    pub(crate) date: String,
    pub(crate) decision_number: String,
    pub(crate) title: String,
    /// The committee it goes to, else its decision maker's role: the body that decides it.
    pub(crate) committee: String,
    pub(crate) key_decision: bool,
    /// Its first page, from the site's root; empty for a paper not published.
    pub(crate) href: String,
    pub(crate) links: Vec<Link>,
    /// Exempt under Schedule 12A: named, with its paragraph when known, and nothing more.
    pub(crate) exempt: bool,
    pub(crate) paragraph: Option<u32>,
    /// Published as a draft (`--draft`, or the preview), under a banner.
    pub(crate) draft: bool,
    /// Who takes the decision: a person's name and role, or empty.
    pub(crate) decision_maker: String,
    pub(crate) decision_maker_role: String,
    /// When it is (or was) decided, `YYYY-MM-DD`: the record's date, else the meeting's.
    pub(crate) decision_date: String,
    /// When it first appeared in the forward plan (a key decision), `YYYY-MM-DD`.
    pub(crate) forward_plan_date: String,
    /// The meeting it goes to, `YYYY-MM-DD`.
    pub(crate) meeting_date: String,
    /// The report's own date, `YYYY-MM-DD`.
    pub(crate) report_date: String,
    /// The words of its recommendations, by id: what a decision is asked to be.
    pub(crate) recommendations: Vec<(String, String)>,
    /// When a published paper last changed, and what changed (`site/versions.rs`).
    pub(crate) updated: Option<super::versions::Updated>,
}

/// A committee, or an executive decision maker, and what the site holds of it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Committee {
    pub(crate) name: String,
    pub(crate) council: String,
    /// Its page, from the site's root: `committees/SLUG/index.html`.
    pub(crate) href: String,
    /// Its meetings, newest first (indexes into the catalogue's meetings).
    pub(crate) meetings: Vec<usize>,
    /// Its papers, newest first (indexes into the catalogue's papers).
    pub(crate) papers: Vec<usize>,
}

/// Everything the site's own pages are made from.
#[derive(Clone, Debug, Default)]
pub(crate) struct Catalogue {
    /// Every paper published or named, newest first, then by decision number.
    pub(crate) papers: Vec<PaperEntry>,
    /// Every meeting, newest first.
    pub(crate) meetings: Vec<MeetingPage>,
    /// The councils the papers belong to, by name (empty for papers under no council.yaml).
    pub(crate) councils: Vec<String>,
    /// Whether this is the author's preview (`clerk serve`): packs are linked before they are
    /// made, since the preview makes one when it is asked for.
    pub(crate) preview: bool,
    /// Where the site is published, when known: the open data's addresses start with it.
    pub(crate) base: super::opendata::Base,
}

/// A name as a folder of the site: lower case letters and digits, joined by hyphens.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(
            word.chars()
                .flat_map(char::to_lowercase)
                .filter(char::is_ascii_alphanumeric),
        );
    }
    out.truncate(80);
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "committee".into()
    } else {
        out
    }
}

impl Catalogue {
    /// Sorts papers and meetings as the pages list them: newest first.
    pub(crate) fn sort(&mut self) {
        self.papers.sort_by(|a, b| {
            b.sort_date
                .cmp(&a.sort_date)
                .then(a.decision_number.cmp(&b.decision_number))
                .then(a.rel.cmp(&b.rel))
        });
        self.meetings
            .sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        let mut councils: Vec<String> = self
            .papers
            .iter()
            .map(|p| p.council.clone())
            .chain(self.meetings.iter().map(|m| m.council.clone()))
            .collect();
        councils.sort();
        councils.dedup();
        self.councils = councils;
    }

    /// The committees and decision makers, each with its meetings and papers, by council
    /// then name. Two of one name in different councils get pages of their own.
    pub(crate) fn committees(&self) -> Vec<Committee> {
        let mut by: BTreeMap<(String, String), Committee> = BTreeMap::new();
        let mut entry = |council: &str, name: &str| {
            by.entry((council.to_string(), name.to_string()))
                .or_insert_with(|| Committee {
                    name: name.to_string(),
                    council: council.to_string(),
                    href: String::new(),
                    meetings: Vec::new(),
                    papers: Vec::new(),
                })
                .meetings
                .len()
        };
        for m in &self.meetings {
            entry(&m.council, &m.committee);
        }
        for p in self.papers.iter().filter(|p| !p.committee.is_empty()) {
            entry(&p.council, &p.committee);
        }
        for (i, m) in self.meetings.iter().enumerate() {
            if let Some(c) = by.get_mut(&(m.council.clone(), m.committee.clone())) {
                c.meetings.push(i);
            }
        }
        for (i, p) in self.papers.iter().enumerate() {
            if let Some(c) = by.get_mut(&(p.council.clone(), p.committee.clone())) {
                c.papers.push(i);
            }
        }
        let mut taken = BTreeMap::new();
        let mut out: Vec<Committee> = by.into_values().collect();
        for c in &mut out {
            let base = slug(&c.name);
            let n = taken.entry(base.clone()).or_insert(0);
            *n += 1;
            let slug = if *n == 1 { base } else { format!("{base}-{n}") };
            c.href = format!("committees/{slug}/index.html");
        }
        out
    }

    /// The page of the committee `name` of `council`, from the site's root, if it has one.
    pub(crate) fn committee_href(committees: &[Committee], council: &str, name: &str) -> String {
        committees
            .iter()
            .find(|c| c.council == council && c.name == name)
            .map(|c| c.href.clone())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_folders_of_letters_digits_and_hyphens() {
        assert_eq!(
            slug("Children's, Young People and Education Cabinet Committee"),
            "children-s-young-people-and-education-cabinet-committee"
        );
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("javascript:alert(1)"), "javascript-alert-1");
        assert_eq!(slug("  "), "committee");
        assert_eq!(
            slug("Cabinet Member for Adult Social Care & Health"),
            "cabinet-member-for-adult-social-care-health"
        );
    }

    #[test]
    fn committees_of_one_name_in_two_councils_get_two_pages() {
        let paper = |council: &str, committee: &str| PaperEntry {
            council: council.into(),
            committee: committee.into(),
            ..PaperEntry::default()
        };
        let cat = Catalogue {
            papers: vec![
                paper("A", "Cabinet"),
                paper("B", "Cabinet"),
                paper("A", "Cabinet"),
            ],
            ..Catalogue::default()
        };
        let c = cat.committees();
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].papers, [0, 2]);
        assert_eq!(c[0].href, "committees/cabinet/index.html");
        assert_eq!(c[1].href, "committees/cabinet-2/index.html");
    }
}
