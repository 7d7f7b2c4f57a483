//! Counts said twice of one subject ("36 organisations" where the paper says 38 everywhere
//! else; "2,162 families" and later "2,126 families"): one of them is mistyped. A count's
//! subject is its noun and the period its sentence names, so honest counts of two years
//! ("1,243 households in 2023/24, 1,234 in 2024/25") are two subjects.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::policy::POLICY;
use super::prose::Prose;
use super::slips::{one_edit, Edit};
use super::subject::{self, Period};
use crate::diagnostic::{Code, Diagnostic};

static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?P<noun>[a-z]{3,}s)(?-u:\b)")
        .expect("valid")
});

/// Nouns of duration and measure: a number of them is a length, not a count of a subject.
const MEASURES: &[&str] = &[
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "quarters",
    "years",
    "miles",
    "metres",
    "meters",
    "kilometres",
    "hectares",
    "acres",
    "tonnes",
    "pounds",
    "pence",
    "points",
    "percents",
    "times",
];

/// One count: its digits, its noun, its period, and where it is.
struct Count {
    digits: String,
    noun: String,
    periods: Vec<Period>,
    passage: usize,
    range: Range<usize>,
    sentence: usize,
}

/// Every "N nouns" of the prose, leaving out years and amounts of money.
fn counts(prose: &Prose) -> Vec<Count> {
    let mut out = Vec::new();
    for (s, sentence) in prose.sentences.iter().enumerate() {
        let passage = &prose.passages[sentence.passage];
        let text = &passage.text[sentence.range.clone()];
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let found: Vec<(usize, Period)> = subject::periods(text);
        for caps in COUNT.captures_iter(text) {
            let (Some(n), Some(noun)) = (caps.name("n"), caps.name("noun")) else {
                continue;
            };
            let before = text[..n.start()].chars().next_back();
            if matches!(before, Some('£' | '/' | '.' | '-' | '–')) {
                continue;
            }
            // Durations and measures ("30 hours", "12 months", "5 miles") are not things counted.
            if MEASURES.contains(&noun.as_str()) {
                continue;
            }
            let digits: String = n.as_str().chars().filter(|c| c.is_ascii_digit()).collect();
            let year = !n.as_str().contains(',')
                && digits.len() == 4
                && (digits.starts_with("19") || digits.starts_with("20"));
            if year {
                continue;
            }
            // The period nearest the count, of each kind its sentence names.
            let mut periods: Vec<(usize, Period)> = Vec::new();
            for (at, p) in &found {
                let d = at.abs_diff(n.start());
                match periods.iter_mut().find(|(_, q)| q.kind == p.kind) {
                    Some(slot) if slot.0 > d => *slot = (d, p.clone()),
                    Some(_) => {}
                    None => periods.push((d, p.clone())),
                }
            }
            out.push(Count {
                digits,
                noun: subject::stem(noun.as_str()).unwrap_or_else(|| noun.as_str().into()),
                periods: periods.into_iter().map(|(_, p)| p).collect(),
                passage: sentence.passage,
                range: sentence.range.start + n.start()..sentence.range.start + n.end(),
                sentence: s,
            });
        }
    }
    out
}

/// Whether two counts are of one subject: one noun, and no different periods.
fn same_subject(a: &Count, b: &Count) -> bool {
    a.noun == b.noun
        && a.sentence != b.sentence
        && !subject::periods_differ(&a.periods, &b.periods)
        && !subject::periods_differ(&b.periods, &a.periods)
}

/// A count of a subject that, one edit away, is what the paper says of it elsewhere: with two
/// digits swapped (three digits or more), or once where another count of the subject is said
/// at least twice.
pub fn check(prose: &Prose, out: &mut Vec<Diagnostic>) {
    let all = counts(prose);
    for (i, c) in all.iter().enumerate() {
        let others: Vec<&Count> = all
            .iter()
            .filter(|o| same_subject(c, o) && o.digits != c.digits)
            .collect();
        let swapped = others.iter().find(|o| {
            c.digits.len() >= POLICY.swapped_count_digits.value
                && one_edit(&c.digits, &o.digits) == Some(Edit::Swapped)
        });
        // "36 organisations" once, "38 organisations" twice or more.
        let outvoted = || {
            let said = |d: &str| {
                all.iter()
                    .filter(|o| same_subject(c, o) || std::ptr::eq(*o, c))
                    .filter(|o| o.digits == d)
                    .count()
            };
            others.iter().find(|o| {
                one_edit(&c.digits, &o.digits).is_some()
                    && said(&o.digits) >= 2
                    && said(&c.digits) == 1
            })
        };
        // The later of a swapped pair is reported; the one outvoted wherever it stands.
        let against = match swapped {
            Some(o) if all[..i].iter().any(|e| std::ptr::eq(e, *o)) => Some(*o),
            Some(_) => None,
            None => outvoted().copied(),
        };
        let Some(o) = against else { continue };
        let passage = &prose.passages[c.passage];
        let first = &prose.passages[o.passage];
        let noun = &passage.text[c.range.end..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|ch: char| !ch.is_alphanumeric())
            .to_string();
        out.push(
            Diagnostic::error(
                Code::CountMismatch,
                passage.file,
                passage.source(c.range.clone()),
                format!(
                    "{} {noun} here, but {} {noun} elsewhere, of the same subject",
                    super::statements::group(&c.digits),
                    super::statements::group(&o.digits)
                ),
            )
            .with_related(first.file, first.source(o.range.clone()), "the count stated there")
            .with_label("one of the two is mistyped")
            .with_hint("correct whichever count is wrong; if they count different things, say so in the words (a period, a qualifier)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(texts: &[&str]) -> Prose {
        let mut p = Prose::default();
        for t in texts {
            p.add_text(0, t);
        }
        p
    }

    fn found(texts: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        check(&prose(texts), &mut out);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn swapped_counts_of_one_subject_are_a_slip() {
        let got = found(&[
            "We support 2,162 families.",
            "Of the 2,126 families, most are new.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("2,126 families here, but 2,162"),
            "{got:?}"
        );
    }

    #[test]
    fn counts_of_different_periods_are_different_subjects() {
        let got = found(&[
            "In 2023/24 we housed 1,243 households.",
            "In 2024/25 we housed 1,234 households.",
        ]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_count_said_once_against_one_said_twice_is_a_slip() {
        let got = found(&[
            "Grants go to 38 organisations.",
            "The 38 organisations are listed.",
            "Each of the 36 organisations signs an agreement.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("36 organisations here"), "{got:?}");
        // Two counts said once each are two honest numbers.
        assert!(found(&["We had 150 applications.", "We fund 70 applications."]).is_empty());
    }
}
