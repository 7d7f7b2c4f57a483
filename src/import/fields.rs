//! Turning what a paper printed into front-matter values: people ("Matt Dunkley, Corporate
//! Director of …"), yes/no, dates, recommendation ids, contacts. Each reader
//! says whether it is sure; what it is not sure of is marked for the author to check.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// A person as the front matter holds one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Whether a value was told apart by guesswork (a name and a job title run together).
    pub guessed: bool,
}

impl Person {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.role.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").expect("valid")
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b").expect("valid")
});

/// Words that make a phrase a job title rather than a name.
const ROLE_WORDS: &[&str] = &[
    "member",
    "director",
    "officer",
    "manager",
    "head",
    "leader",
    "cabinet",
    "committee",
    "council",
    "commissioner",
    "executive",
    "chief",
    "deputy",
    "assistant",
    "lead",
    "of",
    "for",
    "and",
    "the",
    "services",
    "service",
    "team",
    "portfolio",
    "corporate",
    "strategic",
];

/// Whether a phrase reads as a person's name: two to four capitalised words, none a title word.
pub fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && !ROLE_WORDS.contains(&w.to_lowercase().trim_matches(','))
        })
}

/// "Matt Dunkley, Corporate Director of Children, Young People and Education" as a person;
/// an e-mail address anywhere in it is taken out. Unsure when the name could not be told.
pub fn person(text: &str) -> (Person, bool) {
    let email = EMAIL.find(text).map(|m| m.as_str().to_string());
    let rest = EMAIL.replace_all(text, "");
    let rest = rest.trim().trim_end_matches(',').trim();
    let mut person = Person {
        email,
        ..Person::default()
    };
    if let Some((first, role)) = rest.split_once(',') {
        if looks_like_name(first.trim()) {
            person.name = Some(first.trim().to_string());
            person.role = non_empty(role);
            return (person, false);
        }
    }
    if looks_like_name(rest) {
        person.name = Some(rest.to_string());
        return (person, false);
    }
    person.role = non_empty(rest);
    (person, true)
}

fn non_empty(text: &str) -> Option<String> {
    let t = text
        .trim()
        .trim_matches(|c: char| matches!(c, ',' | '–' | '-' | '—' | ':') || c.is_whitespace());
    (!t.is_empty()).then(|| t.to_string())
}

/// Yes or no, as templates print it ("YES", "No", "Key decision" alone meaning yes).
pub fn yes_no(text: &str) -> Option<bool> {
    let first = text
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?
        .to_lowercase();
    match first.as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" | "non" => Some(false),
        _ => None,
    }
}

/// The labels of a contacts block, where a PDF may have joined their lines.
static CONTACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:job title|telephone(?: number)?|tel|phone|e-?mail(?: address)?|relevant director|report author)\s*:")
        .expect("valid")
});

static ORDINAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})(?:st|nd|rd|th)\b").expect("valid"));

/// A date as councils print it: "9 March 2021", "September 11th 2018", "11/09/2018",
/// "2018-09-11", with or without a weekday.
pub fn date(text: &str) -> Option<NaiveDate> {
    let cleaned = ORDINAL.replace_all(text, "$1").replace(',', " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for start in 0..words.len() {
        for len in [3usize, 1] {
            let Some(slice) = words.get(start..start + len) else {
                continue;
            };
            let candidate = slice.join(" ");
            for format in [
                "%d %B %Y", "%B %d %Y", "%d %b %Y", "%b %d %Y", "%d/%m/%Y", "%Y-%m-%d",
            ] {
                if let Ok(d) = NaiveDate::parse_from_str(&candidate, format) {
                    return Some(d);
                }
            }
        }
    }
    None
}

static TYPED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?((?:[ivxlc]{1,6})|(?:\d{1,2})|(?:[a-z]))[.)]\s+(\S.*)$").expect("valid")
});

/// A recommendation's id from its list number ("ii." gives "ii", "(b)" gives "b", "3." "3").
pub fn id_of(mark: &str) -> String {
    mark.trim()
        .trim_start_matches('(')
        .trim_end_matches(['.', ')', ':'])
        .to_string()
}

/// A list number typed into the text ("ii. Redevelop …"): the id and the rest.
pub fn typed_label(text: &str) -> Option<(String, String)> {
    TYPED_LABEL
        .captures(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
}

/// Contacts from a contacts section's lines, whether laid out as labelled lines ("Name:",
/// "Job title:", "Telephone number:", "Email address:") or run together on one line
/// ("Christy Holden Lead Children's Commissioner 03000 415356 christy.holden@kent.gov.uk").
pub fn contacts(lines: &[String]) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    let mut current = Person::default();
    // A PDF joins labelled lines into one paragraph: cut them apart again at each label.
    let lines: Vec<String> = lines
        .iter()
        .flat_map(|l| {
            let mut cuts: Vec<usize> = CONTACT_LABEL.find_iter(l).map(|m| m.start()).collect();
            cuts.retain(|c| *c > 0);
            let mut parts = Vec::new();
            let mut from = 0;
            for cut in cuts {
                parts.push(l[from..cut].trim().to_string());
                from = cut;
            }
            parts.push(l[from..].trim().to_string());
            parts
        })
        .collect();
    for line in &lines {
        let line = line.trim().trim_end_matches([',', ';']);
        let (label, value) = match line.split_once(':') {
            Some((l, v)) if l.split_whitespace().count() <= 4 => {
                (l.trim().to_lowercase(), v.trim())
            }
            _ => (String::new(), line.trim()),
        };
        let is = |words: &[&str]| words.iter().any(|w| label.contains(w));
        if value.is_empty() {
            continue;
        }
        if is(&["job title", "title", "role", "position"]) {
            current.role = Some(value.to_string());
        } else if is(&["tel", "phone"]) {
            current.phone = Some(value.to_string());
        } else if is(&["email", "e-mail"]) {
            current.email = EMAIL.find(value).map(|m| m.as_str().to_string());
        } else {
            // A name (after "Name:", "Relevant Director:", "Report Author:") or a run-on line
            // starts another person once the current one has a name.
            let parsed = run_on(value);
            if current.name.is_some() && parsed.name.is_some() || current.email.is_some() {
                people.push(std::mem::take(&mut current));
            }
            merge(&mut current, parsed);
        }
    }
    if !current.is_empty() {
        people.push(current);
    }
    people.retain(|p| p.name.is_some() || p.email.is_some());
    people
}

fn merge(into: &mut Person, from: Person) {
    into.guessed |= from.guessed;
    into.name = into.name.take().or(from.name);
    into.role = into.role.take().or(from.role);
    into.phone = into.phone.take().or(from.phone);
    into.email = into.email.take().or(from.email);
}

/// "Christy Holden Lead Children's Commissioner 03000 415356 christy.holden@kent.gov.uk".
fn run_on(text: &str) -> Person {
    let email = EMAIL.find(text).map(|m| m.as_str().to_string());
    let without = EMAIL.replace_all(text, "");
    let phone = PHONE.find(&without).map(|m| m.as_str().to_string());
    let rest = PHONE.replace_all(&without, "");
    let rest = rest.trim().trim_matches(',').trim();
    let (person, _) = person(rest);
    if person.name.is_some() {
        return Person {
            email,
            phone,
            ..person
        };
    }
    // No comma: the name is the first two capitalised words, the role what follows.
    let words: Vec<&str> = rest.split_whitespace().collect();
    let name_len = (2..=3)
        .rev()
        .find(|n| words.len() >= *n && looks_like_name(&words[..*n].join(" ")))
        .unwrap_or(0);
    Person {
        name: (name_len > 0).then(|| words[..name_len].join(" ")),
        role: non_empty(&words[name_len..].join(" ")),
        phone,
        email,
        // A name and a title told apart by capitals alone.
        guessed: name_len == 0 || words.len() > name_len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_as_templates_print_them() {
        let (p, unsure) =
            person("Matt Dunkley, Corporate Director of Children, Young People and Education");
        assert_eq!(p.name.as_deref(), Some("Matt Dunkley"));
        assert_eq!(
            p.role.as_deref(),
            Some("Corporate Director of Children, Young People and Education")
        );
        assert!(!unsure);
        let (p, unsure) = person(
            "Executive Member for Childrens Services Steven.Dixon@centralbedfordshire.gov.uk",
        );
        assert_eq!(p.name, None);
        assert_eq!(
            p.role.as_deref(),
            Some("Executive Member for Childrens Services")
        );
        assert_eq!(
            p.email.as_deref(),
            Some("Steven.Dixon@centralbedfordshire.gov.uk")
        );
        assert!(unsure);
    }

    #[test]
    fn contacts_labelled_and_run_on() {
        let lines: Vec<String> = [
            "Report Author:",
            "Christy Holden Lead Children's Commissioner 03000 415356 Christy.holden@kent.gov.uk",
            "Relevant Director: Stuart Collins",
            "Job title: Director of Integrated Children's Services",
            "Telephone number: 03000 410519",
            "Email address: stuart.collins@kent.gov.uk",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let people = contacts(&lines);
        assert_eq!(people.len(), 2, "{people:?}");
        assert_eq!(people[0].name.as_deref(), Some("Christy Holden"));
        assert_eq!(
            people[0].role.as_deref(),
            Some("Lead Children's Commissioner")
        );
        assert_eq!(people[0].phone.as_deref(), Some("03000 415356"));
        assert_eq!(people[1].name.as_deref(), Some("Stuart Collins"));
        assert_eq!(people[1].phone.as_deref(), Some("03000 410519"));
        assert_eq!(
            people[1].email.as_deref(),
            Some("stuart.collins@kent.gov.uk")
        );
    }

    #[test]
    fn dates_yes_no_and_labels() {
        let d = |s| date(s).map(|d| d.to_string());
        assert_eq!(d("9 March 2021").as_deref(), Some("2021-03-09"));
        assert_eq!(d("September 11th 2018").as_deref(), Some("2018-09-11"));
        assert_eq!(d("Tuesday, 9 March 2021").as_deref(), Some("2021-03-09"));
        assert_eq!(d("11/09/2018").as_deref(), Some("2018-09-11"));
        assert_eq!(d("soon"), None);
        assert_eq!(yes_no("YES"), Some(true));
        assert_eq!(yes_no("No."), Some(false));
        assert_eq!(yes_no("affecting two divisions"), None);
        assert_eq!(
            typed_label("ii. Redevelop the contract"),
            Some(("ii".into(), "Redevelop the contract".into()))
        );
        assert_eq!(id_of("(b)"), "b");
        assert_eq!(id_of("iii."), "iii");
    }
}
