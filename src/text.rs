//! Comparing wording (normalisation that ignores typography, word-level diffs for humans) and
//! writing the words every stage shares: counts ("3 errors") and dates ("9 March 2021").

use similar::DiffOp;

/// Text with typography folded away: curly quotes, dashes, spacing, a final full stop.
/// Two wordings equal after this say the same thing in the same words.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00A0}' => ' ',
            other => other,
        })
        .collect();
    let folded = folded.replace("**", "").replace("__", "");
    let joined = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .trim_end_matches(['.', ';', ',', ':'])
        .trim()
        .to_string()
}

pub fn same_words(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

/// A compact word diff: `…regulations, [-pass-]{+passed+} this…`, a few words of context
/// around each change.
pub fn word_diff(expected: &str, found: &str) -> String {
    let (a, b) = (normalise(expected), normalise(found));
    let old: Vec<&str> = a.split_whitespace().collect();
    let new: Vec<&str> = b.split_whitespace().collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let mut pieces: Vec<String> = Vec::new();
    let last = ops.len().saturating_sub(1);
    for (i, op) in ops.iter().enumerate() {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                let words = &old[old_index..old_index + len];
                pieces.push(unchanged(words, ops.len() == 1, i == 0, i == last));
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => pieces.push(format!(
                "[-{}-]",
                old[old_index..old_index + old_len].join(" ")
            )),
            DiffOp::Insert {
                new_index, new_len, ..
            } => pieces.push(format!(
                "{{+{}+}}",
                new[new_index..new_index + new_len].join(" ")
            )),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => pieces.push(format!(
                "[-{}-]{{+{}+}}",
                old[old_index..old_index + old_len].join(" "),
                new[new_index..new_index + new_len].join(" ")
            )),
        }
    }
    pieces.join(" ")
}

/// What a piece of a word diff is: words both wordings share, or words removed or added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    Same,
    Removed,
    Added,
}

/// The word diff of [`word_diff`] as pieces, for a page to mark up: the words both share (cut
/// to a few words of context, as there), then what was removed and what was added.
pub fn word_diff_pieces(expected: &str, found: &str) -> Vec<(Piece, String)> {
    let (a, b) = (normalise(expected), normalise(found));
    let old: Vec<&str> = a.split_whitespace().collect();
    let new: Vec<&str> = b.split_whitespace().collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old, &new);
    let last = ops.len().saturating_sub(1);
    let mut pieces = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let (removed, added) = match *op {
            DiffOp::Equal { old_index, len, .. } => {
                let words = &old[old_index..old_index + len];
                let kept = unchanged(words, ops.len() == 1, i == 0, i == last);
                pieces.push((Piece::Same, kept));
                continue;
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => (&old[old_index..old_index + old_len], &new[..0]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (&old[..0], &new[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                &old[old_index..old_index + old_len],
                &new[new_index..new_index + new_len],
            ),
        };
        if !removed.is_empty() {
            pieces.push((Piece::Removed, removed.join(" ")));
        }
        if !added.is_empty() {
            pieces.push((Piece::Added, added.join(" ")));
        }
    }
    pieces
}

/// Words of context around a diff's changes.
const CONTEXT: usize = 4;

/// A run of words the two wordings share, cut to a few words of context: all of it when
/// nothing changed; its end at the start of the diff, its start at the end, and both ends of a
/// long run between two changes.
fn unchanged(words: &[&str], only: bool, first: bool, last: bool) -> String {
    if only {
        words.join(" ")
    } else if first {
        let keep = &words[words.len().saturating_sub(CONTEXT)..];
        format!(
            "{}{}",
            if keep.len() < words.len() { "…" } else { "" },
            keep.join(" ")
        )
    } else if last {
        let keep = &words[..words.len().min(CONTEXT)];
        format!(
            "{}{}",
            keep.join(" "),
            if keep.len() < words.len() { "…" } else { "" }
        )
    } else if words.len() > CONTEXT * 2 {
        format!(
            "{} … {}",
            words[..CONTEXT].join(" "),
            words[words.len() - CONTEXT..].join(" ")
        )
    } else {
        words.join(" ")
    }
}

/// Roman numerals i–xxx and their value, for recommendation ids.
pub fn roman_value(text: &str) -> Option<u32> {
    let t = text.to_ascii_lowercase();
    if t.is_empty() || !t.chars().all(|c| matches!(c, 'i' | 'v' | 'x')) {
        return None;
    }
    let mut total = 0i32;
    let mut prev = 0i32;
    for c in t.chars().rev() {
        let v = match c {
            'i' => 1,
            'v' => 5,
            _ => 10,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    u32::try_from(total).ok().filter(|v| (1..=30).contains(v))
}

/// "1 paper", "2 papers": a count and its noun, made plural with an s.
pub fn count(n: impl std::fmt::Display, noun: &str) -> String {
    let n = n.to_string();
    let s = if n == "1" { "" } else { "s" };
    format!("{n} {noun}{s}")
}

/// A date as the papers print it: "9 March 2021".
pub fn long_date(date: chrono::NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A date with its weekday, as a front sheet prints it: "Tuesday 9 March 2021".
pub fn day_and_date(date: chrono::NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_typography() {
        assert!(same_words("Children’s  services.", "Children's services"));
        assert!(!same_words("pass this", "passed this"));
    }

    #[test]
    fn diffs_words_with_context() {
        let d = word_diff(
            "Redevelop the NEETs contract into a Service Level Agreement and, utilising Teckal regulations, pass this to The Education People.",
            "Redevelop the NEETs contract into a Service Level Agreement and, utilising Teckal regulations, passed this to The Education People.",
        );
        assert_eq!(
            d,
            "…and, utilising Teckal regulations, [-pass-]{+passed+} this to The Education…"
        );
    }

    #[test]
    fn diffs_words_as_pieces() {
        let d = word_diff_pieces(
            "To spend £1.2m on the libraries of the county this year.",
            "To spend £1.4m on the libraries of the county this year.",
        );
        assert_eq!(
            d,
            [
                (Piece::Same, "To spend".to_string()),
                (Piece::Removed, "£1.2m".to_string()),
                (Piece::Added, "£1.4m".to_string()),
                (Piece::Same, "on the libraries of…".to_string()),
            ]
        );
        assert_eq!(
            word_diff_pieces("a b", "a b"),
            [(Piece::Same, "a b".into())]
        );
    }

    #[test]
    fn reads_roman_numerals() {
        assert_eq!(roman_value("iv"), Some(4));
        assert_eq!(roman_value("xii"), Some(12));
        assert_eq!(roman_value("a"), None);
    }
}
