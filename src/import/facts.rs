//! What an imported paper says, as data beside its text: what pairs a report with its record
//! (kind and decision number), what names its folder, and what a report may take from its
//! record where it says nothing itself.

/// One recommendation or decision: its id ("1", "ii") and its words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub text: String,
}

/// A decision maker as the paper names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Maker {
    pub name: String,
    pub role: Option<String>,
}

/// What a paper says, as the assembler read it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaperFacts {
    /// The decision number, when it fits the council's pattern (one written as printed and
    /// marked is not here).
    pub decision_number: Option<String>,
    /// A report's title or a record's subject, as written, sure or not.
    pub title: Option<String>,
    /// A report's recommendations.
    pub recommendations: Vec<Entry>,
    /// A record's decisions.
    pub decisions: Vec<Entry>,
    /// The decision maker the paper names: a record's, or the person a report is to.
    pub decision_maker: Option<Maker>,
    /// Whether the decision is key, when the paper says so for sure.
    pub key_decision: Option<bool>,
}

impl PaperFacts {
    /// A record's words for the decision a report's recommendation endorses ("… endorse the
    /// proposed decision to …"): its decision with the same id, where the words differ.
    pub fn decision_endorsed(&self, id: &str, recommendation: &str) -> Option<&str> {
        self.decisions
            .iter()
            .find(|d| d.id == id)
            .filter(|d| d.text != recommendation && endorses(recommendation, &d.text))
            .map(|d| d.text.as_str())
    }
}

/// "… endorse … the proposed decision to follow a competitive procurement process …" and "To
/// follow a competitive procurement process …": the same first eight words.
fn endorses(recommendation: &str, decision: &str) -> bool {
    let lower = recommendation.to_lowercase();
    let Some((_, proposed)) = lower.split_once("decision to ") else {
        return false;
    };
    let words: Vec<String> = decision
        .to_lowercase()
        .trim_start_matches("to ")
        .split_whitespace()
        .take(8)
        .map(str::to_string)
        .collect();
    words.len() >= 4 && proposed.starts_with(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recommendation_endorsing_the_proposed_decision_takes_the_records_words() {
        let record = PaperFacts {
            decisions: vec![Entry {
                id: "1".into(),
                text: "To follow a competitive procurement process for the new service from April."
                    .into(),
            }],
            ..PaperFacts::default()
        };
        let asks = "Endorse the proposed decision to follow a competitive procurement process for the new service";
        assert_eq!(
            record.decision_endorsed("1", asks),
            Some("To follow a competitive procurement process for the new service from April.")
        );
        assert_eq!(record.decision_endorsed("2", asks), None);
        assert_eq!(record.decision_endorsed("1", "Note the report."), None);
    }
}
