//! `clerk schema KIND`: the JSON Schema of a document kind's front matter, generated from the
//! same Rust types clerk reads it into, for YAML language servers.

use clap::ValueEnum;

use crate::model::meeting::MeetingMeta;
use crate::model::{AppendixMeta, CouncilMeta, DecisionMeta, ReportMeta};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Report,
    Decision,
    Appendix,
    Council,
    Meeting,
}

pub fn schema(kind: Kind) -> String {
    let schema = match kind {
        Kind::Report => schemars::schema_for!(ReportMeta),
        Kind::Decision => schemars::schema_for!(DecisionMeta),
        Kind::Appendix => schemars::schema_for!(AppendixMeta),
        Kind::Council => schemars::schema_for!(CouncilMeta),
        Kind::Meeting => schemars::schema_for!(MeetingMeta),
    };
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| "{}".into())
}
