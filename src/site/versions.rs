//! Versions of a published paper: when it changes, its earlier version stays at an address of
//! its own, and the new one says when it was updated and what changed.

use serde::{Deserialize, Serialize};

use super::catalogue::Link;

/// What a page says of a paper republished with changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Updated {
    /// `YYYY-MM-DD`, and as the page prints it.
    pub(crate) date: String,
    pub(crate) date_text: String,
    /// What changed: each recommendation or figure, as a word diff.
    pub(crate) changes: Vec<Change>,
    /// The earlier versions, oldest first, from the paper's folder.
    pub(crate) earlier: Vec<Link>,
}

/// One thing that changed between two versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Change {
    pub(crate) what: String,
    pub(crate) diff: String,
}
