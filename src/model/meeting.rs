//! A meeting file (`papers/meetings/NAME.yaml`): the committee, when and where, and the agenda
//! in two parts, public (Part 1) and exempt (Part 2, Schedule 12A to the LGA 1972).

use serde::Deserialize;

use super::meta::{YamlDate, S};

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingMeta {
    #[schemars(with = "String")]
    pub committee: S<String>,
    #[schemars(with = "YamlDate")]
    pub date: S<YamlDate>,
    /// "14:00", local time.
    #[schemars(with = "Option<String>")]
    pub time: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub venue: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub chair: Option<S<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub members: Vec<S<String>>,
    /// When the agenda was published (open to inspection): five clear days before the meeting.
    #[schemars(with = "YamlDate")]
    pub published: S<YamlDate>,
    /// The public items. Left empty (`part2:` with nothing under it) is allowed.
    #[serde(default)]
    pub part1: Option<Vec<AgendaItem>>,
    #[serde(default)]
    pub part2: Option<Vec<AgendaItem>>,
    /// Late items, each supplement published after the agenda with its own front sheet.
    #[serde(default)]
    pub supplements: Vec<Supplement>,
}

/// A supplementary agenda: late items the chair agreed to take, with the reason they are late
/// (Local Government Act 1972 s100B(4)). Its pages continue from the end of the main pack.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Supplement {
    #[schemars(with = "u32")]
    pub number: S<u32>,
    #[schemars(with = "YamlDate")]
    pub published: S<YamlDate>,
    #[schemars(with = "Option<String>")]
    pub reason: Option<S<String>>,
    #[serde(default)]
    pub items: Vec<AgendaItem>,
}

/// The business every meeting transacts before its papers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StandardItem {
    Apologies,
    Declarations,
    Minutes,
    Other,
}

impl StandardItem {
    pub fn default_title(self) -> &'static str {
        match self {
            StandardItem::Apologies => "Apologies and Substitutes",
            StandardItem::Declarations => {
                "Declarations of Interest by Members in items on the Agenda"
            }
            StandardItem::Minutes => "Minutes of the previous meeting",
            StandardItem::Other => "Other business",
        }
    }
}

/// One item: a standard item, or a paper folder (relative to the meeting file).
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    #[schemars(with = "Option<StandardItem>")]
    pub standard: Option<S<StandardItem>>,
    #[schemars(with = "Option<String>")]
    pub paper: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub title: Option<S<String>>,
    /// What the agenda says under a standard item.
    #[schemars(with = "Option<String>")]
    pub text: Option<S<String>>,
    /// Part 2: the paragraph of Schedule 12A the item is exempt under.
    #[schemars(with = "Option<u32>")]
    pub paragraph: Option<S<u32>>,
    /// Part 2: why the public interest in keeping it exempt outweighs disclosing it.
    #[schemars(with = "Option<String>")]
    pub reason: Option<S<String>>,
}

/// One place a meeting file lists a paper: which part of the agenda, under which paragraph.
/// Whether a paper may be published reads these (a Part 2 listing makes it exempt).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// The meeting file, in the shared sources.
    pub file: super::FileId,
    /// Where the item's `paper:` value is written.
    pub span: std::ops::Range<usize>,
    /// 1 (public) or 2 (exempt); a supplement's items are Part 1.
    pub part: u8,
    pub paragraph: Option<u32>,
}
