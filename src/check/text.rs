//! Comparing wording: normalisation that ignores typography, and word-level diffs for humans.

use similar::{ChangeTag, TextDiff};

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

/// A compact word diff: `…regulations, [-pass-] {+passed+} this…`, a few words of context
/// around each change.
pub fn word_diff(expected: &str, found: &str) -> String {
    let (a, b) = (normalise(expected), normalise(found));
    let diff = TextDiff::from_words(&a, &b);
    // Group the changes into runs of equal text and of changed text.
    let mut parts: Vec<(ChangeTag, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value();
        match parts.last_mut() {
            Some((t, s)) if *t == tag => s.push_str(value),
            _ => parts.push((tag, value.to_string())),
        }
    }
    const CONTEXT: usize = 4;
    let mut out = String::new();
    let n = parts.len();
    for (i, (tag, text)) in parts.iter().enumerate() {
        match tag {
            ChangeTag::Equal => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let lead_space = text.starts_with(' ');
                let trail_space = text.ends_with(' ');
                let shown = if i == 0 && n > 1 {
                    let keep = &words[words.len().saturating_sub(CONTEXT)..];
                    format!(
                        "{}{}",
                        if keep.len() < words.len() { "…" } else { "" },
                        keep.join(" ")
                    )
                } else if i == n - 1 && n > 1 {
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
                };
                if lead_space && i > 0 {
                    out.push(' ');
                }
                out.push_str(&shown);
                if trail_space && i + 1 < n {
                    out.push(' ');
                }
            }
            ChangeTag::Delete => out.push_str(&format!("[-{}-]", text.trim())),
            ChangeTag::Insert => out.push_str(&format!("{{+{}+}}", text.trim())),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
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
    fn reads_roman_numerals() {
        assert_eq!(roman_value("iv"), Some(4));
        assert_eq!(roman_value("xii"), Some(12));
        assert_eq!(roman_value("a"), None);
    }
}
