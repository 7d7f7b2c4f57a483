//! Council profiles: how a council's Word template labels its header block and names its
//! sections. A header-block parser tuned to one council fails on another's layout, so the
//! mapping from a template's labels to clerk's fields is data, one profile per council:
//! built in for the councils of the example papers, or written in council.yaml under
//! `import:` (see docs/import.md).

use std::collections::BTreeMap;

use crate::model::meta::ImportSpec;

/// A header-block field of a report or record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    DecisionNumber,
    Title,
    From,
    To,
    DecisionMaker,
    Committee,
    MeetingDate,
    Date,
    Classification,
    KeyDecision,
    ElectoralDivisions,
    PathwayPast,
    PathwayFuture,
    /// "Pathway: Past: …; Future: …" in one line, as clerk's own PDFs print it.
    Pathway,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::DecisionNumber,
        Field::Title,
        Field::From,
        Field::To,
        Field::DecisionMaker,
        Field::Committee,
        Field::MeetingDate,
        Field::Date,
        Field::Classification,
        Field::KeyDecision,
        Field::ElectoralDivisions,
        Field::PathwayPast,
        Field::PathwayFuture,
        Field::Pathway,
    ];

    /// The key used in council.yaml's `import.labels`.
    pub fn key(self) -> &'static str {
        match self {
            Field::DecisionNumber => "decision_number",
            Field::Title => "title",
            Field::From => "from",
            Field::To => "to",
            Field::DecisionMaker => "decision_maker",
            Field::Committee => "committee",
            Field::MeetingDate => "meeting_date",
            Field::Date => "date",
            Field::Classification => "classification",
            Field::KeyDecision => "key_decision",
            Field::ElectoralDivisions => "electoral_divisions",
            Field::PathwayPast => "pathway_past",
            Field::PathwayFuture => "pathway_future",
            Field::Pathway => "pathway",
        }
    }
}

/// A section whose content the importer lifts into front matter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Summary,
    Recommendations,
    Contacts,
    Decision,
    Reasons,
    Alternatives,
    Interests,
    Dispensations,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Summary,
        Section::Recommendations,
        Section::Contacts,
        Section::Decision,
        Section::Reasons,
        Section::Alternatives,
        Section::Interests,
        Section::Dispensations,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Summary => "summary",
            Section::Recommendations => "recommendations",
            Section::Contacts => "contacts",
            Section::Decision => "decision",
            Section::Reasons => "reasons",
            Section::Alternatives => "alternatives",
            Section::Interests => "interests",
            Section::Dispensations => "dispensations",
        }
    }
}

/// One council's template, as the importer reads it.
#[derive(Clone, Debug)]
pub struct Profile {
    /// `kent`, `central-bedfordshire`, `generic`, or the council's own.
    pub name: String,
    /// Each field's labels, as the template prints them (compared without case or colon).
    pub labels: BTreeMap<Field, Vec<String>>,
    /// Each lifted section's headings.
    pub sections: BTreeMap<Section, Vec<String>>,
    /// The pattern of the council's decision numbers (a regex), e.g. `\d{2}/\d{5}`.
    pub decision_number: String,
    /// Words in a record's title block that mark the file as a Record of Decision.
    pub record_markers: Vec<String>,
    /// Whether the profile was written for this council (else fields are checked more).
    pub fitted: bool,
}

fn list(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Kent County Council's report and Record of Decision templates (seeds 000–002, 004).
fn kent() -> Profile {
    let labels = BTreeMap::from([
        (
            Field::DecisionNumber,
            list(&[
                "Decision No",
                "Decision number",
                "Decision number and title",
            ]),
        ),
        (
            Field::Title,
            list(&[
                "Subject",
                "Subject Matter / Title of Decision",
                "Subject Matter",
                "Title of Decision",
                "Amendment Name",
            ]),
        ),
        (Field::From, list(&["From", "By"])),
        (Field::To, list(&["To"])),
        (
            Field::DecisionMaker,
            list(&["Decision taken by", "Decision to be taken by"]),
        ),
        (Field::Date, list(&["Date"])),
        (Field::Classification, list(&["Classification", "Status"])),
        (Field::KeyDecision, list(&["Key decision"])),
        (
            Field::ElectoralDivisions,
            list(&["Electoral Division", "Electoral Divisions", "Division"]),
        ),
        (
            Field::PathwayPast,
            list(&[
                "Past Pathway of Paper",
                "Past Pathway of report",
                "Previous Pathway",
            ]),
        ),
        (
            Field::PathwayFuture,
            list(&["Future Pathway of Paper", "Future Pathway of report"]),
        ),
    ]);
    Profile {
        name: "kent".into(),
        labels,
        sections: common_sections(),
        decision_number: r"\d{2}/\d{5}".into(),
        record_markers: list(&["Record of Decision"]),
        fitted: true,
    }
}

/// Central Bedfordshire Council's committee report template (seed 003).
fn central_bedfordshire() -> Profile {
    let labels = BTreeMap::from([
        (Field::Title, list(&["Report title", "Title of report"])),
        (
            Field::From,
            list(&[
                "Report of",
                "Responsible Director(s)",
                "Responsible Director",
                "Advising Officer",
            ]),
        ),
        (Field::Committee, list(&["Committee", "Meeting"])),
        (Field::MeetingDate, list(&["Date"])),
        (
            Field::Classification,
            list(&["Classification", "Public/Exempt"]),
        ),
        (Field::KeyDecision, list(&["Key decision", "Key Decision"])),
        (
            Field::ElectoralDivisions,
            list(&["Wards affected", "Ward(s) affected"]),
        ),
    ]);
    let mut sections = common_sections();
    sections.insert(
        Section::Summary,
        list(&["Purpose of this report", "Executive summary", "Summary"]),
    );
    Profile {
        name: "central-bedfordshire".into(),
        labels,
        sections,
        decision_number: r"[A-Z]{0,4}\d{2,4}/\d{2,5}".into(),
        record_markers: list(&["Record of Decision", "Decision Notice"]),
        fitted: true,
    }
}

/// Kent's record asks for interests and dispensations under one heading.
const KENT_INTERESTS: &str = "Any interest declared when the decision was taken and any dispensation granted by the Proper Officer";

/// The section headings most templates use: a table of data.
const COMMON_SECTIONS: [(Section, &[&str]); 8] = [
    (
        Section::Summary,
        &["Summary", "Executive summary", "Purpose of this report"],
    ),
    (
        Section::Recommendations,
        &[
            "Recommendation",
            "Recommendations",
            "Recommendation(s)",
            "Recommended decision",
        ],
    ),
    (
        Section::Contacts,
        &[
            "Contact details",
            "Contact Officer",
            "Contact officers",
            "Contact Officer(s)",
            "Report author",
            "Report author(s)",
            "Report authors",
            "Relevant Director",
            "Relevant Directors",
            "Report Author and Relevant Director",
            "Lead officer",
            "Lead officers",
            "Contact",
        ],
    ),
    (Section::Decision, &["Decision", "Decision(s)", "Decisions"]),
    (
        Section::Reasons,
        &[
            "Reason(s) for decision",
            "Reasons for decision",
            "Reason for decision",
            "Reason/s for decision",
        ],
    ),
    (
        Section::Alternatives,
        &[
            "Alternatives considered",
            "Alternatives considered and rejected",
            "Any alternatives considered and rejected",
            "Any alternatives considered",
            "Options considered",
        ],
    ),
    (
        Section::Interests,
        &[
            "Any interest declared when the decision was taken",
            KENT_INTERESTS,
            "Interests declared",
            "Declarations of interest",
            "Any conflict of interest",
        ],
    ),
    (
        Section::Dispensations,
        &[
            "Any dispensation granted by the Proper Officer",
            KENT_INTERESTS,
            "Dispensations granted",
            "Dispensations",
        ],
    ),
];

/// The section headings most templates use, as a profile holds them.
fn common_sections() -> BTreeMap<Section, Vec<String>> {
    COMMON_SECTIONS
        .iter()
        .map(|(section, labels)| (*section, list(labels)))
        .collect()
}

/// Every built-in profile's labels at once, for a council that has none: more is matched,
/// and every field is marked for checking.
fn generic() -> Profile {
    let mut merged = kent();
    for other in [central_bedfordshire()] {
        for (field, labels) in other.labels {
            let known = merged.labels.entry(field).or_default();
            for l in labels {
                if !known.iter().any(|k| k.eq_ignore_ascii_case(&l)) {
                    known.push(l);
                }
            }
        }
        for (section, names) in other.sections {
            let known = merged.sections.entry(section).or_default();
            for n in names {
                if !known.iter().any(|k| k.eq_ignore_ascii_case(&n)) {
                    known.push(n);
                }
            }
        }
    }
    // Without a council's own pattern, any number with a slash is a candidate.
    merged.decision_number = r"[A-Z]{0,4}\d{2,4}/\d{2,6}".into();
    merged.name = "generic".into();
    merged.fitted = false;
    merged
}

/// The built-in profiles' names.
pub const BUILT_IN: [&str; 3] = ["kent", "central-bedfordshire", "generic"];

pub fn built_in(name: &str) -> Option<Profile> {
    let profile = match name {
        "kent" => kent(),
        "central-bedfordshire" => central_bedfordshire(),
        "generic" => generic(),
        _ => return None,
    };
    Some(with_clerks_layout(profile))
}

/// The labels clerk's own PDFs print (render/templates): a council that publishes with clerk
/// reads its own PDFs back whatever its Word template said.
fn with_clerks_layout(mut profile: Profile) -> Profile {
    let own: [(Field, &[&str]); 9] = [
        (Field::From, &["From"]),
        (Field::To, &["To"]),
        (Field::Committee, &["Meeting"]),
        (Field::Title, &["Subject"]),
        (Field::DecisionNumber, &["Decision No"]),
        (Field::DecisionMaker, &["Decision taken by"]),
        (Field::KeyDecision, &["Key decision"]),
        (Field::ElectoralDivisions, &["Electoral divisions"]),
        (Field::Pathway, &["Pathway"]),
    ];
    for (field, labels) in own {
        let known = profile.labels.entry(field).or_default();
        for label in labels {
            if !known.iter().any(|k| k.eq_ignore_ascii_case(label)) {
                known.push(label.to_string());
            }
        }
    }
    profile
}

/// The profile for a council: its `import:` settings over the built-in profile they name (or
/// that its name matches), else the generic profile.
pub fn for_council(name: Option<&str>, spec: Option<&ImportSpec>) -> Profile {
    let by_name = name.and_then(|n| {
        let n = n.to_ascii_lowercase();
        if n.contains("kent") {
            built_in("kent")
        } else if n.contains("central bedfordshire") {
            built_in("central-bedfordshire")
        } else {
            None
        }
    });
    let base = spec
        .and_then(|s| s.profile.as_deref())
        .and_then(built_in)
        .or(by_name)
        .unwrap_or_else(generic);
    match spec {
        Some(spec) => apply(base, spec),
        None => base,
    }
}

/// A council's own labels replace the built-in ones field by field.
fn apply(mut profile: Profile, spec: &ImportSpec) -> Profile {
    for field in Field::ALL {
        if let Some(labels) = spec.labels.get(field.key()) {
            profile.labels.insert(field, labels.clone());
            profile.fitted = true;
        }
    }
    for section in Section::ALL {
        if let Some(names) = spec.sections.get(section.key()) {
            profile.sections.insert(section, names.clone());
        }
    }
    if let Some(pattern) = &spec.decision_number {
        profile.decision_number = pattern.clone();
    }
    if let Some(titles) = &spec.record_titles {
        profile.record_markers.extend(titles.iter().cloned());
    }
    profile
}
