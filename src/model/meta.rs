//! Front matter as typed data. Every value a check may point at is `Spanned`, so a diagnostic
//! can name its line and column. Positions are relative to the YAML text; `Source::span`
//! turns them into file offsets.
//!
//! Value types that need more than serde's defaults (money, dates, yes/no) validate themselves
//! while deserialising, so a bad value is reported where it was written.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::model::money::Money;

pub type S<T> = Spanned<T>;

/// An amount of money written in YAML. It must be a quoted string: an unquoted YAML number
/// goes through a float and loses the precision it was written with.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlMoney {
    pub money: Money,
    pub written: String,
}

impl<'de> Deserialize<'de> for YamlMoney {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = YamlMoney;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount of money as a quoted string, e.g. \"£1,234.50\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlMoney, E> {
                Money::parse(v)
                    .map(|money| YamlMoney {
                        money,
                        written: v.to_string(),
                    })
                    .map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<YamlMoney, E> {
                Err(E::custom(format!(
                    "write money as a quoted string (\"£{v}\"): unquoted YAML numbers lose the precision they were written with"
                )))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlMoney, E> {
                self.visit_i64(v as i64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<YamlMoney, E> {
                Err(E::custom(format!(
                    "write money as a quoted string (\"£{v}\"): unquoted YAML numbers lose trailing zeros"
                )))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct YamlDate(pub NaiveDate);

impl<'de> Deserialize<'de> for YamlDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = YamlDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlDate, E> {
                NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                    .map(YamlDate)
                    .map_err(|_| E::custom(format!("`{v}` is not a date written YYYY-MM-DD")))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// `true`/`false`, also accepting the `yes`/`no` clerks write on cover sheets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YesNo(pub bool);

impl<'de> Deserialize<'de> for YesNo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = YesNo;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true or false (or yes or no)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<YesNo, E> {
                Ok(YesNo(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<YesNo, E> {
                match v.trim().to_ascii_lowercase().as_str() {
                    "yes" | "true" | "y" => Ok(YesNo(true)),
                    "no" | "false" | "n" => Ok(YesNo(false)),
                    _ => Err(E::custom(format!("`{v}` is not yes or no"))),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A short identifier that authors may write bare (`id: 1`) or quoted (`id: "ii"`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ident(pub String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ident;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an id such as i, ii or 1")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ident, E> {
                Ok(Ident(v.trim().to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ident, E> {
                Ok(Ident(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ident, E> {
                Ok(Ident(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A string or a list of strings (`electoral_divisions: All` or a list of divisions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum Jurisdiction {
    England,
    Wales,
}

impl Jurisdiction {
    /// The Schedule 12A paragraphs (Local Government Act 1972) that apply.
    pub fn exempt_paragraphs(self) -> std::ops::RangeInclusive<u32> {
        match self {
            Jurisdiction::England => 1..=7,
            Jurisdiction::Wales => 12..=18,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum Classification {
    Unrestricted,
    Exempt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DecisionStatus {
    Proposed,
    Taken,
}

/// `papers/council.yaml` (or one in a sub-folder).
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CouncilMeta {
    #[schemars(with = "String")]
    pub name: S<String>,
    #[schemars(with = "Jurisdiction")]
    pub jurisdiction: S<Jurisdiction>,
    #[schemars(with = "Option<YamlMoney>")]
    pub key_decision_threshold: Option<S<YamlMoney>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub email_domains: Vec<S<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub required_sections: Vec<S<String>>,
    /// The council's rules for its records of decision; without them, the law's alone.
    #[serde(default)]
    pub records: RecordRules,
    /// How `clerk import` reads the council's Word and PDF papers (see docs/import.md).
    pub import: Option<ImportSpec>,
}

/// A council's import profile: a built-in profile to start from, and the labels and section
/// headings of its own template, each list replacing the built-in one.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportSpec {
    /// `kent`, `central-bedfordshire` or `generic`.
    pub profile: Option<String>,
    #[serde(default)]
    pub labels: ImportLabels,
    #[serde(default)]
    pub sections: ImportSections,
    /// The council's decision-number pattern, as a regular expression (`\d{2}/\d{5}`).
    pub decision_number: Option<String>,
    /// Words in the title block that mark a Record of Decision, besides "Record of …
    /// Decision" itself (`["Decision Notice"]`).
    pub record_titles: Option<Vec<String>>,
}

macro_rules! keyed_lists {
    ($(#[$doc:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name { $(pub $field: Option<Vec<String>>,)* }
        impl $name {
            /// The list given for `key`, if any.
            pub fn get(&self, key: &str) -> Option<&Vec<String>> {
                match key { $(stringify!($field) => self.$field.as_ref(),)* _ => None }
            }
        }
    };
}

keyed_lists!(
    /// The labels a template prints before each header-block field ("Decision No:").
    ImportLabels {
        decision_number, title, from, to, decision_maker, committee, meeting_date, date,
        classification, key_decision, electoral_divisions, pathway_past, pathway_future,
    }
);

keyed_lists!(
    /// The headings of the sections the importer lifts into front matter.
    ImportSections {
        summary, recommendations, contacts, decision, reasons, alternatives, interests,
        dispensations,
    }
);

/// What a council requires of its records of decision, beyond the law.
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordRules {
    /// Whether every record must carry a decision number (Kent's do); default: optional.
    #[serde(default)]
    pub decision_number: Requirement,
    /// What a record of an executive decision must state. Default: everything regs 12-13 of
    /// SI 2012/2089 ask for (decisions, date, reasons, alternatives, interests, dispensations);
    /// a council that records interests under an agenda item of their own leaves those out.
    pub executive: Option<Vec<RecordElement>>,
    /// What a record of a committee's own decision must state (regs 12-13 do not apply; the
    /// minutes record it). Default: nothing.
    pub committee: Option<Vec<RecordElement>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    Required,
    #[default]
    Optional,
}

/// A part of a record of decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordElement {
    Decisions,
    Date,
    Reasons,
    Alternatives,
    Interests,
    Dispensations,
}

impl RecordElement {
    /// Everything regs 12-13 ask a record of an executive decision to state.
    pub const STATUTORY: &'static [RecordElement] = &[
        RecordElement::Decisions,
        RecordElement::Date,
        RecordElement::Reasons,
        RecordElement::Alternatives,
        RecordElement::Interests,
        RecordElement::Dispensations,
    ];
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[schemars(with = "Option<String>")]
    pub name: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub role: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub phone: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub email: Option<S<String>>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pathway {
    #[schemars(with = "Option<String>")]
    pub past: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub future: Option<S<String>>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    #[schemars(with = "Ident")]
    pub id: S<Ident>,
    #[schemars(with = "String")]
    pub text: S<String>,
    /// The decision's own words, when the recommendation asks a committee to endorse it.
    #[schemars(with = "Option<String>")]
    pub decision: Option<S<String>>,
}

/// How a named figure is declared; see docs/format.md.
#[derive(Clone, Debug, PartialEq)]
pub enum FigureSpec {
    /// `"£100k"`
    Amount(String),
    /// `"= a + b"` (the text after `=`)
    Formula(String),
    /// `{cell: "figure-1[Total]", formula: "a - b"}`
    Cell {
        cell: String,
        formula: Option<String>,
    },
    /// `{amount: "£100k", label: "the uplift for young carers"}` (or with `formula:` or
    /// `cell:`): what the figure is said of, in words prose uses for it.
    Labelled {
        label: String,
        spec: Box<FigureSpec>,
    },
}

impl FigureSpec {
    /// What the figure is said of, when the author wrote `label:`.
    pub fn label(&self) -> Option<&str> {
        match self {
            FigureSpec::Labelled { label, .. } => Some(label),
            _ => None,
        }
    }

    /// How the value is given, whatever its label.
    pub fn form(&self) -> &FigureSpec {
        match self {
            FigureSpec::Labelled { spec, .. } => spec.form(),
            other => other,
        }
    }
}

impl<'de> Deserialize<'de> for FigureSpec {
    // Long because serde's visitor for a figure's shapes (a string, a number refused with its
    // reason, a map of cell, formula, amount and label) is one impl inside this function.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FigureSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an amount (\"£100k\"), a formula (\"= a + b\") or {cell: …, formula: …}",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FigureSpec, E> {
                match v.trim().strip_prefix('=') {
                    Some(formula) => Ok(FigureSpec::Formula(formula.trim().to_string())),
                    None => Ok(FigureSpec::Amount(v.to_string())),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<FigureSpec, E> {
                Err(E::custom(format!(
                    "write money as a quoted string (\"£{v}\"): unquoted YAML numbers lose the precision they were written with"
                )))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<FigureSpec, E> {
                self.visit_i64(v as i64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<FigureSpec, E> {
                Err(E::custom(format!(
                    "write money as a quoted string (\"£{v}\"): unquoted YAML numbers lose trailing zeros"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FigureSpec, A::Error> {
                let (mut cell, mut formula, mut amount, mut label) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "cell" => cell = Some(map.next_value::<String>()?),
                        "formula" => {
                            let f = map.next_value::<String>()?;
                            formula = Some(f.trim().trim_start_matches('=').trim().to_string());
                        }
                        "amount" => amount = Some(map.next_value::<FigureSpec>()?),
                        "label" => label = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["cell", "formula", "amount", "label"],
                            ))
                        }
                    }
                }
                let spec = match (cell, formula, amount) {
                    (Some(cell), formula, None) => FigureSpec::Cell { cell, formula },
                    (None, Some(f), None) => FigureSpec::Formula(f),
                    (None, None, Some(a)) => a,
                    (None, None, None) => return Err(de::Error::missing_field("cell")),
                    _ => return Err(de::Error::custom(
                        "give one of `amount` or `formula`, or `cell` (with an optional `formula`)",
                    )),
                };
                Ok(match label {
                    Some(label) => FigureSpec::Labelled {
                        label,
                        spec: Box::new(spec),
                    },
                    None => spec,
                })
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Front matter of `report.md`.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportMeta {
    #[schemars(with = "Option<String>")]
    pub decision_number: Option<S<String>>,
    #[schemars(with = "String")]
    pub title: S<String>,
    #[serde(default)]
    pub from: Vec<Person>,
    #[schemars(with = "Option<String>")]
    pub to: Option<S<String>>,
    pub decision_maker: Option<Person>,
    #[schemars(with = "Option<String>")]
    pub committee: Option<S<String>>,
    #[schemars(with = "Option<YamlDate>")]
    pub meeting_date: Option<S<YamlDate>>,
    #[schemars(with = "Option<YamlDate>")]
    pub date: Option<S<YamlDate>>,
    #[schemars(with = "Classification")]
    pub classification: S<Classification>,
    #[schemars(with = "Option<u32>")]
    pub exempt_paragraph: Option<S<u32>>,
    #[schemars(with = "YesNo")]
    pub key_decision: S<YesNo>,
    #[schemars(with = "Option<String>")]
    pub key_decision_reason: Option<S<String>>,
    #[schemars(with = "Option<OneOrMany>")]
    pub electoral_divisions: Option<S<OneOrMany>>,
    pub pathway: Option<Pathway>,
    /// When the decision first appeared in the forward plan (28 clear days before it is taken).
    #[schemars(with = "Option<YamlDate>")]
    pub forward_plan_date: Option<S<YamlDate>>,
    #[schemars(with = "Option<YamlMoney>")]
    pub spending: Option<S<YamlMoney>>,

    #[schemars(with = "Option<YamlMoney>")]
    pub saving: Option<S<YamlMoney>>,
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, FigureSpec>")]
    pub figures: BTreeMap<String, S<FigureSpec>>,
    #[serde(default)]
    pub contacts: Vec<Person>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub background_documents: Vec<S<String>>,
    /// Amounts the paper quotes from outside itself (a budget, a grant announced elsewhere),
    /// each with where it comes from: acknowledged, so clerk does not ask what explains them.
    #[serde(default)]
    pub outside_amounts: Vec<OutsideAmount>,
    /// When this version of a published paper was published, if it replaces an earlier one:
    /// the site keeps the earlier version and says "Updated on" this date.
    #[schemars(with = "Option<YamlDate>")]
    pub updated: Option<S<YamlDate>>,
}

/// An amount that comes from outside the paper, and its source.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutsideAmount {
    #[schemars(with = "YamlMoney")]
    pub amount: S<YamlMoney>,
    /// Where it comes from ("the council's 2024/25 budget", "DfE grant letter of 3 May 2024").
    #[schemars(with = "String")]
    pub source: S<String>,
}

#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionItem {
    #[schemars(with = "Ident")]
    pub id: S<Ident>,
    /// Omitted: the decision is the recommendation's words, typed once in the report.
    #[schemars(with = "Option<String>")]
    pub text: Option<S<String>>,
}

/// Front matter of `decision.md`, the Record of Decision.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionMeta {
    #[schemars(with = "DecisionStatus")]
    pub status: S<DecisionStatus>,
    #[schemars(with = "Option<String>")]
    pub decision_number: Option<S<String>>,
    #[schemars(with = "String")]
    pub subject: S<String>,
    pub decision_maker: Person,
    #[schemars(with = "Option<YamlDate>")]
    pub date: Option<S<YamlDate>>,
    #[schemars(with = "YesNo")]
    pub key_decision: S<YesNo>,
    #[schemars(with = "Option<String>")]
    pub key_decision_reason: Option<S<String>>,
    #[schemars(with = "Option<Classification>")]
    pub classification: Option<S<Classification>>,
    #[schemars(with = "Option<u32>")]
    pub exempt_paragraph: Option<S<u32>>,
    #[serde(default)]
    pub decisions: Vec<DecisionItem>,
    #[schemars(with = "Option<String>")]
    pub reasons: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub alternatives: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub interests: Option<S<String>>,
    #[schemars(with = "Option<String>")]
    pub dispensations: Option<S<String>>,
    /// When this version of a published record was published, if it replaces an earlier one.
    #[schemars(with = "Option<YamlDate>")]
    pub updated: Option<S<YamlDate>>,
}

/// Front matter of an appendix (all optional; an appendix may have none).
#[derive(Clone, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppendixMeta {
    #[schemars(with = "Option<String>")]
    pub title: Option<S<String>>,
    #[schemars(with = "Option<Ident>")]
    pub appendix: Option<S<Ident>>,
    #[schemars(with = "Option<Classification>")]
    pub classification: Option<S<Classification>>,
    #[schemars(with = "Option<u32>")]
    pub exempt_paragraph: Option<S<u32>>,
}

// JSON Schemas of the value types that deserialise themselves, for `clerk schema`.

macro_rules! schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!($schema)
            }
        }
    };
}

schema!(YamlMoney, "Money", {
    "type": "string",
    "description": "An amount of money as a quoted string: \"£1,234.50\", \"£325k\", \"£1.3m\", \"(£1,000)\"",
    "pattern": "£"
});
schema!(YamlDate, "Date", { "type": "string", "format": "date", "description": "A date written YYYY-MM-DD" });
schema!(YesNo, "YesNo", { "anyOf": [{ "type": "boolean" }, { "enum": ["yes", "no", "Yes", "No", "YES", "NO"] }] });
schema!(Ident, "Id", { "type": ["string", "integer"], "description": "An id such as i, ii or 1" });
schema!(OneOrMany, "OneOrMany", { "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }] });
schema!(FigureSpec, "Figure", {
    "description": "An amount (\"£100k\"), a formula (\"= a + b\"), or a table cell checked against a formula; as a map, optionally with a `label:`",
    "anyOf": [
        { "type": "string" },
        {
            "type": "object",
            "properties": {
                "cell": { "type": "string" },
                "formula": { "type": "string" },
                "amount": { "type": "string" },
                "label": { "type": "string", "description": "what the figure is said of, in the words prose uses for it" }
            },
            "additionalProperties": false
        }
    ]
});
