//! What an amount is said of, and what a fact is: words compared by stem.
//!
//! An amount's *subject* is the words around it (its clause), the rest of its sentence, and the
//! heading it sits under; a fact's *label* is a table cell's row and column headings and its
//! table's caption, a named figure's name and `label:`, the meaning of `spending:` or
//! `saving:`, an outside amount's source. Words are lower-cased and stemmed (Snowball's
//! English stemmer, from the `rust-stemmers` crate), common words are left out, and a few
//! finance synonyms are read as one word (`SYNONYMS`). Years and periods ("2023/24", "Round
//! 3", "Q2") are kept apart: two subjects that name different periods of one kind are
//! different subjects, whatever else they share.

use std::sync::LazyLock;

use regex::Regex;
use rust_stemmers::{Algorithm, Stemmer};

/// Words read as one: each stem on the right is read as the one on the left. Kept small: a
/// synonym joins subjects, so a wrong one links amounts that are not the same quantity.
pub const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "total",
        &["overal", "altogeth", "combin", "sum", "aggreg", "whole"],
    ),
    ("cost", &["spend", "expenditur", "price", "outlay"]),
    ("budget", &["alloc", "envelop", "provis"]),
    ("grant", &["fund", "award"]),
    ("save", &["saving", "reduc", "reduct", "effici", "cut"]),
    ("incom", &["receipt", "revenu"]),
    ("increas", &["rise", "uplift", "growth"]),
    ("contract", &["agreement"]),
    // A variance column holds the overspends and underspends prose speaks of.
    ("varianc", &["overspend", "underspend"]),
];

/// Words that say little of what an amount is: they count for half.
const GENERIC: &[&str] = &[
    "total", "cost", "budget", "council", "year", "annual", "amount", "valu", "figur", "servic",
    "per", "new", "current", "plan", "propos", "financi", "estim", "forecast", "increas", "net",
    "gross", "each", "project", "work", "scheme", "programm", "grant",
];

/// Words that say nothing of what an amount is.
const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "against",
    "all",
    "also",
    "an",
    "and",
    "any",
    "approxim",
    "are",
    "around",
    "as",
    "at",
    "be",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "c",
    "can",
    "circa",
    "could",
    "do",
    "doe",
    "down",
    "dure",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "here",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "least",
    "less",
    "m",
    "k",
    "bn",
    "may",
    "million",
    "more",
    "most",
    "much",
    "must",
    "no",
    "not",
    "now",
    "of",
    "on",
    "onli",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "thousand",
    "to",
    "under",
    "up",
    "upon",
    "use",
    "veri",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "would",
    "you",
    "includ",
    "given",
    "make",
    "made",
    "well",
    "paragraph",
    "section",
    "tabl",
    "figur",
    "report",
    "see",
    "set",
    "exceed",
    "just",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "per",
    "cent",
    "percent",
];

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Periods: financial years ("2023/24", "2023-2024"), calendar years, and numbered parts of a
/// programme ("Round 3", "Phase 2", "Year 1", "Q2", "Lot 4").
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?P<fy>(?:19|20)\d\d)\s?[/–-]\s?(?P<to>(?:19|20)?\d\d)|(?P<year>(?:19|20)\d\d)|(?P<part>round|phase|year|quarter|tranche|stage|lot|q)\s?(?P<n>\d{1,2}))(?-u:\b)")
        .expect("valid")
});

/// Whether the words before a year make it part of a law's or a document's name ("the
/// Public Contracts Regulations 2015", "the Localism Act 2011"), not a period an amount is of.
fn names_a_law(before: &str) -> bool {
    const TITLES: &[&str] = &[
        "act",
        "acts",
        "regulations",
        "order",
        "rules",
        "measure",
        "bill",
    ];
    let word = before
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    TITLES.contains(&word.as_str())
}

/// A period named in text, with where it stands.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    /// "fy", "y", or the kind of part ("round", "phase", …).
    pub kind: &'static str,
    pub value: u32,
}

/// "including VAT", "excluding VAT", "VAT-inclusive", "net of VAT": an amount with VAT and
/// one without are different quantities, kept apart as periods are ("vat" 1 and 0).
static VAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?P<with>including|includes|included|inclusive\s+of|incl\.?|inc\.?|plus|with)\s+VAT|VAT[- ]inclusive|(?P<without>excluding|excludes|excluded|exclusive\s+of|excl\.?|ex\.?|before|net\s+of|without)\s+VAT|VAT[- ]exclusive)(?-u:\b)")
        .expect("valid")
});

/// Every period a text names, with the byte offset of each.
// Long because each kind of period (VAT in or out, a financial year, a calendar year not in a
// law's name, a round, phase or quarter) is read in one pass over the text, in one place.
pub fn periods(text: &str) -> Vec<(usize, Period)> {
    let mut out = Vec::new();
    if text.contains("VAT") {
        for caps in VAT.captures_iter(text) {
            let at = caps.get(0).map_or(0, |m| m.start());
            let with = caps.name("with").is_some()
                || (caps.name("without").is_none()
                    && caps[0].to_ascii_lowercase().contains("inclusive"));
            out.push((
                at,
                Period {
                    kind: "vat",
                    value: u32::from(with),
                },
            ));
        }
    }
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    for caps in PERIOD.captures_iter(text) {
        let at = caps.get(0).map_or(0, |m| m.start());
        let period = if let (Some(fy), Some(to)) = (caps.name("fy"), caps.name("to")) {
            let start: u32 = fy.as_str().parse().unwrap_or(0);
            let end: u32 = to.as_str().parse().unwrap_or(0);
            // "2023/24" and "2023-2024": the end is the next year; "10/2023" is no period.
            let next = start + 1;
            if end != next % 100 && end != next {
                continue;
            }
            Period {
                kind: "fy",
                value: start,
            }
        } else if let Some(y) = caps.name("year") {
            if names_a_law(&text[..y.start()]) {
                continue;
            }
            Period {
                kind: "y",
                value: y.as_str().parse().unwrap_or(0),
            }
        } else {
            let kind = match caps.name("part").map(|p| p.as_str().to_ascii_lowercase()) {
                Some(p) if p == "q" || p == "quarter" => "quarter",
                Some(p) if p == "round" => "round",
                Some(p) if p == "phase" || p == "stage" || p == "tranche" => "phase",
                Some(p) if p == "year" => "year",
                Some(_) => "lot",
                None => continue,
            };
            Period {
                kind,
                value: caps
                    .name("n")
                    .and_then(|n| n.as_str().parse().ok())
                    .unwrap_or(0),
            }
        };
        out.push((at, period));
    }
    out
}

/// The text with every period it names taken out ("the Round 2 awards" as "the  awards").
pub fn without_periods(text: &str) -> std::borrow::Cow<'_, str> {
    PERIOD.replace_all(text, "")
}

/// The stop words, sorted once for looking up.
static STOP_SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v = STOP.to_vec();
    v.sort_unstable();
    v
});

thread_local! {
    /// Words already stemmed on this thread: a paper's vocabulary is small and repeats
    /// across papers, so each word is stemmed about once.
    static STEMMED: std::cell::RefCell<std::collections::HashMap<String, Option<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The stem a word is read as, or `None` for a common word.
pub fn stem(word: &str) -> Option<String> {
    let lower = word
        .trim_end_matches(['\'', '’'])
        .trim_end_matches("'s")
        .to_lowercase();
    if lower.len() < 2 {
        return None;
    }
    STEMMED.with(|cache| {
        if let Some(found) = cache.borrow().get(&lower) {
            return found.clone();
        }
        let found = stem_uncached(&lower);
        let mut cache = cache.borrow_mut();
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(lower, found.clone());
        found
    })
}

fn stem_uncached(lower: &str) -> Option<String> {
    let stop = |w: &str| STOP_SORTED.binary_search(&w).is_ok();
    if stop(lower) {
        return None;
    }
    let s = STEMMER.stem(lower).into_owned();
    if stop(&s) {
        return None;
    }
    for (canonical, others) in SYNONYMS {
        if *canonical == s || others.contains(&s.as_str()) {
            return Some((*canonical).to_string());
        }
    }
    Some(s)
}

/// The words of a text: runs of letters, with an apostrophe inside.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
        .map(|w| w.trim_start_matches(['\'', '’']))
        .filter(|w| !w.is_empty())
}

/// "Table 2", "table-2", "Figure 1": a reference to one of the paper's tables.
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(table|figure)[\s-]?(\d{1,3})(?-u:\b)").expect("valid")
});

/// The stems of a text, sorted and without repeats; a reference to a table ("Table 2") is
/// one word of its own ("table#2"), which a table's cells carry too.
pub fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = words_of(text).filter_map(stem).collect();
    if text.bytes().any(|b| b.is_ascii_digit()) {
        for caps in REFERENCE.captures_iter(text) {
            out.push(format!("{}#{}", caps[1].to_ascii_lowercase(), &caps[2]));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A fact's label, or the words an amount is said of, as stems and periods.
#[derive(Clone, Debug, Default)]
pub struct Words {
    pub stems: Vec<String>,
    /// Words of its setting (a table's caption): they count half.
    pub context: Vec<String>,
    pub periods: Vec<Period>,
}

impl Words {
    pub fn of(text: &str) -> Words {
        let mut periods: Vec<Period> = periods(text).into_iter().map(|(_, p)| p).collect();
        periods.sort();
        periods.dedup();
        Words {
            stems: stems(text),
            context: Vec::new(),
            periods,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }
}

/// What an amount is said of: the words of its clause (`near`), the rest of its sentence, its
/// heading, and the period it is of.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    pub near: Vec<String>,
    pub sentence: Vec<String>,
    pub heading: Vec<String>,
    pub periods: Vec<Period>,
}

/// How well a subject and a label agree.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agreement {
    /// In quarters: a specific word of the clause counts 4, of the sentence 2, of the heading
    /// 1; a generic word half that.
    pub score: u32,
    pub shared: Vec<String>,
    /// How many of the shared words say what it is (not a generic word, not a period).
    pub specific: u32,
    /// How many words of the label say what it is.
    pub label_specific: u32,
    /// How many words (not periods) are shared, and how many the label has.
    pub words: u32,
    pub label_words: u32,
    /// They name different periods of one kind.
    pub contradicts: bool,
}

impl Agreement {
    /// Whether the words say they are the same quantity (`Policy::words_agree`).
    pub fn agrees(&self) -> bool {
        !self.contradicts && self.score >= super::policy::POLICY.words_agree.value
    }

    /// Whether the words single the quantity out, enough to call a different value a slip
    /// (`Policy::slip_agree`): they agree, and share with the label two words that say what it
    /// is, or one that is half of a short label's ("Treasury investments": one of two, not one
    /// of a row that describes a saving in thirty words), or, for a label of generic words
    /// only ("Total programme"), half of them and two at least. A period or a generic word
    /// alone never singles one out.
    pub fn identifies(&self) -> bool {
        let need = super::policy::POLICY.slip_agree.value;
        let named = self.specific >= need
            || (self.specific >= 1 && self.specific * 2 >= self.label_specific)
            || (self.label_specific == 0
                && self.words >= need
                && self.words * 2 >= self.label_words);
        self.agrees() && named
    }
}

/// The stems of `label` that say what it is (not generic ones).
pub fn specific(label: &Words) -> impl Iterator<Item = &String> {
    label
        .stems
        .iter()
        .filter(|w| !GENERIC.contains(&w.as_str()) && !w.contains('#'))
}

/// Whether every specific word of `label`, `Policy::bound_agree` at least, is in the amount's
/// sentence: the sentence names the fact in full.
pub fn names_in_full(subject: &Subject, label: &Words) -> bool {
    let mut n = 0;
    for w in specific(label) {
        if subject.sentence.binary_search(w).is_err() {
            return false;
        }
        n += 1;
    }
    n >= super::policy::POLICY.bound_agree.value as usize
        && !periods_differ(&subject.periods, &label.periods)
}

/// Whether two sets of periods name different periods of some kind.
pub fn periods_differ(a: &[Period], b: &[Period]) -> bool {
    a.iter().any(|p| {
        let theirs: Vec<u32> = b
            .iter()
            .filter(|q| q.kind == p.kind)
            .map(|q| q.value)
            .collect();
        let ours: Vec<u32> = a
            .iter()
            .filter(|q| q.kind == p.kind)
            .map(|q| q.value)
            .collect();
        !theirs.is_empty() && !ours.iter().any(|v| theirs.contains(v))
    })
}

pub fn agreement(subject: &Subject, label: &Words) -> Agreement {
    let mut out = Agreement {
        contradicts: periods_differ(&subject.periods, &label.periods),
        label_specific: specific(label).count() as u32,
        label_words: label.stems.iter().filter(|w| !w.contains('#')).count() as u32,
        ..Agreement::default()
    };
    // The same period named on both sides counts as a specific word of the clause.
    if let Some(p) = subject.periods.iter().find(|p| label.periods.contains(p)) {
        out.score += 4;
        out.shared.push(format!("{} {}", p.kind, p.value));
    }
    let own = label.stems.iter().map(|w| (w, 1));
    let setting = label
        .context
        .iter()
        .filter(|w| label.stems.binary_search(w).is_err())
        .map(|w| (w, 2));
    for (w, divide) in own.chain(setting) {
        let weight = if subject.near.binary_search(w).is_ok() {
            4
        } else if subject.sentence.binary_search(w).is_ok() {
            2
        } else if subject.heading.binary_search(w).is_ok() {
            1
        } else {
            continue;
        };
        let generic = GENERIC.contains(&w.as_str());
        let weight = if generic { weight / 2 } else { weight };
        if !w.contains('#') {
            out.words += 1;
            out.specific += u32::from(!generic);
        }
        out.score += weight / divide;
        out.shared.push(w.clone());
    }
    out
}

/// The tokens of a text: runs of characters other than space and the clause marks `,;:()`,
/// and each of those marks alone.
pub fn tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let mark = matches!(c, ',' | ';' | ':' | '(' | ')');
        if c.is_whitespace() || mark {
            if let Some(s) = start.take() {
                out.push(s..i);
            }
            if mark {
                out.push(i..i + 1);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Where the clause around `at` begins and ends in `text`: the words either side of it, up to
/// `most` each way, stopping at punctuation and at the words that start another clause.
#[cfg(test)]
pub fn clause(text: &str, at: std::ops::Range<usize>, most: usize) -> std::ops::Range<usize> {
    clause_in(text, &tokens(text), at, most)
}

/// `clause`, over the text's tokens read once: the cost is the clause's, not the text's.
pub fn clause_in(
    text: &str,
    tokens: &[std::ops::Range<usize>],
    at: std::ops::Range<usize>,
    most: usize,
) -> std::ops::Range<usize> {
    let stops = |r: &std::ops::Range<usize>| {
        let w = text[r.clone()].to_ascii_lowercase();
        w.len() == 1 && !w.as_bytes()[0].is_ascii_alphanumeric()
            || matches!(
                w.as_str(),
                "but" | "while" | "whereas" | "which" | "although" | "compared" | "against"
            )
    };
    let first = tokens.partition_point(|t| t.end <= at.start);
    let last = tokens
        .partition_point(|t| t.start < at.end)
        .saturating_sub(1)
        .max(first);
    let mut j = first;
    while j > 0 && first - j < most && !stops(&tokens[j - 1]) {
        j -= 1;
    }
    let mut k = last;
    while k + 1 < tokens.len() && k - last < most && !stops(&tokens[k + 1]) {
        k += 1;
    }
    let start = tokens.get(j).map_or(at.start, |t| t.start.min(at.start));
    let end = tokens.get(k).map_or(at.end, |t| t.end.max(at.end));
    start..end.min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(near: &str, sentence: &str) -> Subject {
        Subject {
            near: stems(near),
            sentence: stems(sentence),
            heading: Vec::new(),
            periods: Words::of(near).periods,
        }
    }

    #[test]
    fn stems_and_synonyms_join_words() {
        assert_eq!(stems("the Savings"), stems("saving"));
        assert_eq!(stems("overall"), ["total"]);
        assert_eq!(stems("expenditure"), stems("costs"));
        assert_eq!(stems("overspend"), stems("variance"));
        assert!(stems("of the and in").is_empty());
    }

    #[test]
    fn periods_are_read_and_told_apart() {
        let a = Words::of("Outturn 2023/24");
        let b = Words::of("Budget 2024-25");
        assert_eq!(a.periods[0].kind, "fy");
        assert!(periods_differ(&a.periods, &b.periods));
        assert!(!periods_differ(&a.periods, &Words::of("2023-2024").periods));
        assert!(!periods_differ(&a.periods, &Words::of("Outturn").periods));
        let r = Words::of("the Round 3 grant");
        assert!(periods_differ(&r.periods, &Words::of("Round 2").periods));
        assert!(super::periods("10/2023")
            .iter()
            .all(|(_, p)| p.kind != "fy"));
        // A law's year is part of its name.
        assert!(super::periods("under the Public Contracts Regulations 2015").is_empty());
        assert!(super::periods("the Localism Act 2011, in 2011").len() == 1);
        // With VAT and without are different quantities.
        let with = Words::of("£3,841,200 including VAT at 20%");
        let without = Words::of("the works contract, at £3,841,200 excluding VAT");
        assert!(periods_differ(&with.periods, &without.periods));
        assert!(!periods_differ(
            &with.periods,
            &Words::of("a VAT-inclusive price").periods
        ));
        assert!(!periods_differ(
            &without.periods,
            &Words::of("the contract value").periods
        ));
    }

    #[test]
    fn words_agree_on_a_specific_word_of_the_clause() {
        let s = subject(
            "the Young Carers contract",
            "Increase the Young Carers contract by £100k",
        );
        let a = agreement(&s, &Words::of("A. Young Carers, Costings"));
        assert!(a.agrees(), "{a:?}");
        assert_eq!(a.shared, ["carer", "young"]);
    }

    #[test]
    fn one_shared_word_agrees_but_does_not_identify() {
        // "investment" is in a treasury paper's every other label: enough to explain an equal
        // amount, not to call a different one a slip of this label.
        let s = subject(
            "an average investment portfolio of",
            "It assumes an average investment portfolio of £300m at 4%",
        );
        let a = agreement(&s, &Words::of("Treasury investments, Actual (£m)"));
        assert!(a.agrees() && !a.identifies(), "{a:?}");
        // The same period and a generic word name no fact.
        let s = subject(
            "the cost in 2025-26",
            "The deficit is expected to cost £9.1m in 2025-26",
        );
        let a = agreement(&s, &Words::of("Own resources, 2025-26 cost"));
        assert!(!a.identifies(), "{a:?}");
        // Two specific words of the clause single the fact out.
        let s = subject(
            "the Young Carers contract",
            "Increase the Young Carers contract by £100k",
        );
        assert!(agreement(&s, &Words::of("A. Young Carers, Costings")).identifies());
        // One word shared with a label of thirty is chance.
        let s = subject(
            "a deficit in 2025-26 reducing to",
            "A deficit of £23.9m in 2025-26 reducing to £8.3m",
        );
        let long = Words::of(
            "Corporately held saving, 2025-26: removal of the saving from the part-year impact \
             of discretionary policy decisions and a deep dive into contract renewals",
        );
        assert!(!agreement(&s, &long).identifies());
    }

    #[test]
    fn generic_words_alone_do_not_agree_and_periods_contradict() {
        let s = subject("the total cost", "The total cost is high");
        assert!(!agreement(&s, &Words::of("Total")).agrees());
        let s = subject("in 2023/24 households", "In 2023/24 households");
        let a = agreement(&s, &Words::of("Households 2024/25"));
        assert!(a.contradicts && !a.agrees());
    }

    #[test]
    fn a_clause_stops_at_punctuation_and_conjunctions() {
        let text = "The grant is £5m but the loan of £2m is repaid";
        let at = text.find("£2m").unwrap();
        let c = clause(text, at..at + 4, 6);
        assert_eq!(&text[c], "the loan of £2m is repaid");
    }
}
