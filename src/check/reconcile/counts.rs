//! Counts said twice of one subject ("36 organisations" where the paper says 38 everywhere
//! else; "2,162 families" and later "2,126 families"): one of them is mistyped. A count's
//! subject is its noun, the words that qualify it and the period its sentence names, so
//! honest counts of two years ("1,243 households in 2023/24, 1,234 in 2024/25") are two
//! subjects, and so are a count and a part of it ("58 organisations"; "Small grants: 38
//! organisations"). A record repeats its report: a count of the record that its report gives,
//! one edit away, and never with the record's number, is mistyped.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::policy::POLICY;
use super::prose::Prose;
use super::slips::{one_edit, variants_of, Edit};
use super::subject::{self, Period};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{CellValue, Document};

/// A number, up to two words that qualify what it counts ("264 additional specialist
/// places"), and a plural noun.
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s+(?P<mods>(?:[a-z][a-z-]+\s+){0,2}?)(?P<noun>[a-z]{3,}s)(?-u:\b)")
        .expect("valid")
});

/// A whole number as written, grouped or not.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(?:\d{1,3}(?:,\d{3})+|\d+)(?-u:\b)").expect("valid"));

/// How many of the numbers nearest a count in its sentence are read as said beside it: a
/// whole and its part said together ("Of the 58 applications, 38 (66%) …") stand within a
/// clause or two, and a bound keeps a sentence of a thousand numbers linear.
const BESIDE: usize = 8;

/// "Small grants: 38 organisations …", "2.6 Large grants: …": a heading-like lead of a few
/// words and a colon, which says the sentence is of a part.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\(?[0-9a-z]{1,3}(?:\.\d+)*[.)]?\s+)?(?P<lead>[A-Za-z][^:.;]{0,60}?):\s")
        .expect("valid")
});

/// The words before a number that make it a period or a reference, not a count ("Round 2
/// awards", "Lot 2 lifts").
const PERIOD_WORDS: &[&str] = &[
    "round",
    "phase",
    "year",
    "lot",
    "stage",
    "tranche",
    "quarter",
    "q",
    "table",
    "figure",
    "paragraph",
    "section",
    "appendix",
    "option",
    "scheme",
    "schedule",
    "regulation",
    "article",
];

/// Nouns of duration and of other measures that vary honestly from mention to mention: a
/// number of them is a length, not a count of a subject.
const MEASURES: &[&str] = &[
    "seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years", "pounds",
    "pence", "points", "percents", "times",
];

/// One count: its digits, its noun, what qualifies it, its period, and where it is.
#[derive(Clone)]
struct Count {
    digits: String,
    noun: String,
    /// Stems of the words between the number and the noun ("additional specialist").
    mods: Vec<String>,
    /// Stems of the sentence's lead ("Small grants:"), or of a table row's label.
    lead: Vec<String>,
    /// The specific words of its clause before it ("heating replacements in 420 homes"); a
    /// count with none ("Of the 420 homes") takes those of the count of its noun before it in
    /// the paragraph, which it points back to.
    near: Vec<String>,
    periods: Vec<Period>,
    /// Where it is said, in prose (`None` for a table's total row).
    at: Option<Said>,
    /// The other numbers said beside it (its sentence's, nearest first, or its total row's).
    beside: Vec<String>,
    /// Its sentence gives its parts, and they add up to it ("49 homes on four sites: … (8
    /// homes), … (5), … (13) and … (23)"): the paper's own arithmetic says it is meant.
    confirmed: bool,
}

/// Where a count stands in prose.
#[derive(Clone)]
struct Said {
    /// Which prose: 0 the paper's own, 1 its report's (for a record).
    document: u8,
    passage: usize,
    range: Range<usize>,
    sentence: usize,
}

impl Count {
    /// The same count read as counting `noun`, its own noun qualifying it.
    fn of_noun(&self, noun: String) -> Count {
        let mut mods = self.mods.clone();
        mods.push(self.noun.clone());
        Count {
            noun,
            mods,
            ..self.clone()
        }
    }
}

/// The stems of `text`'s words that are not common.
fn stems_of(text: &str) -> Vec<String> {
    subject::stems(text)
}

/// Every "N [qualifying words] nouns" of the prose, leaving out years, periods and amounts.
// Long because it is one pass over the sentences, each count read with what its paragraph
// gives it (the words a count points back to), its sentence (a lead, periods, the numbers
// beside it and its parts) and its noun; split, that state would be passed around in pieces.
fn counts(prose: &Prose, document: u8) -> Vec<Count> {
    let mut out = Vec::new();
    // The words of the last count of each noun in the paragraph, for a count that points back.
    let mut last_near: HashMap<String, Vec<String>> = HashMap::new();
    let mut paragraph = usize::MAX;
    for (s, sentence) in prose.sentences.iter().enumerate() {
        let passage = &prose.passages[sentence.passage];
        if sentence.passage != paragraph {
            paragraph = sentence.passage;
            last_near.clear();
        }
        let text = &passage.text[sentence.range.clone()];
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        let found: Vec<(usize, Period)> = subject::periods(text);
        let lead = LEAD
            .captures(text)
            .and_then(|c| c.name("lead"))
            .filter(|l| l.as_str().split_whitespace().count() <= 5)
            .map_or_else(Vec::new, |l| stems_of(l.as_str()));
        // The sentence's words, and the numbers of it with the clauses a semicolon joins, read
        // once for all its counts.
        let mut tokens: Option<Vec<Range<usize>>> = None;
        let mut numbers: Option<(Vec<Numbered>, usize)> = None;
        for caps in COUNT.captures_iter(text) {
            let Some(n) = caps.name("n") else {
                continue;
            };
            if let Some(c) = count_at(text, &caps, &found) {
                let tokens = tokens.get_or_insert_with(|| subject::tokens(text));
                let mut near = near_words(text, tokens, n.start(), &c);
                if near.is_empty() {
                    near = last_near.get(&c.noun).cloned().unwrap_or_default();
                } else {
                    last_near.insert(c.noun.clone(), near.clone());
                }
                let (numbers, at) = numbers.get_or_insert_with(|| {
                    let (whole, from) = joined(prose, s);
                    (plain_numbers(whole), sentence.range.start - from)
                });
                let here = *at + n.start()..*at + n.end();
                let beside = numbers_beside(numbers, &here);
                let confirmed = parts_add_up(numbers, here.end, &c.digits);
                let full = Count {
                    lead: lead.clone(),
                    near,
                    beside,
                    confirmed,
                    at: Some(Said {
                        document,
                        passage: sentence.passage,
                        range: sentence.range.start + n.start()..sentence.range.start + n.end(),
                        sentence: s,
                    }),
                    ..c
                };
                // "46 savings proposals": a plural straight after the first may be the noun,
                // the first qualifying it ("36 organisations signs" may not): both are read.
                let after = caps.name("noun").map_or(text.len(), |m| m.end());
                if let Some(next) = next_plural(&text[after..]).and_then(subject::stem) {
                    out.push(full.of_noun(next));
                }
                out.push(full);
            }
        }
    }
    out
}

/// The text of sentence `s` with the clauses a semicolon joins to it ("… received 58
/// applications; 6 were ineligible … and the other 52 were scored"), and where it starts in
/// its passage; at most `BESIDE` clauses either side, so a paragraph of a thousand
/// semicolons stays linear.
fn joined(prose: &Prose, s: usize) -> (&str, usize) {
    let sentence = &prose.sentences[s];
    let text = &prose.passages[sentence.passage].text;
    let joins = |a: usize| {
        let (x, y) = (&prose.sentences[a], &prose.sentences[a + 1]);
        x.passage == y.passage && text[x.range.clone()].trim_end().ends_with(';')
    };
    let (mut first, mut last) = (s, s);
    while first > 0 && joins(first - 1) && s - first < BESIDE {
        first -= 1;
    }
    while last + 1 < prose.sentences.len() && joins(last) && last - s < BESIDE {
        last += 1;
    }
    let range = prose.sentences[first].range.start..prose.sentences[last].range.end;
    (&text[range.clone()], range.start)
}

/// A whole number of a sentence: where it stands and its digits.
type Numbered = (Range<usize>, String);

/// The whole numbers of `text` as written, not of money ("£38,760") nor decimals: where each
/// stands and its digits, in order. Read once per sentence for all its counts.
fn plain_numbers(text: &str) -> Vec<Numbered> {
    NUMBER
        .find_iter(text)
        .filter(|m| !matches!(text[..m.start()].chars().next_back(), Some('£' | '.' | ',')))
        .map(|m| {
            let digits = m.as_str().chars().filter(char::is_ascii_digit).collect();
            (m.range(), digits)
        })
        .collect()
}

/// Whether the numbers that follow a count in its sentence and are smaller than it (up to
/// `BESIDE` of them, two at least, among the `4 × BESIDE` after it) add up to it: the
/// sentence lists its parts.
fn parts_add_up(numbers: &[Numbered], end: usize, digits: &str) -> bool {
    let Ok(whole) = digits.parse::<u64>() else {
        return false;
    };
    let first = numbers.partition_point(|(r, _)| r.start < end);
    let parts: Vec<u64> = numbers[first..]
        .iter()
        .take(4 * BESIDE)
        .filter_map(|(_, d)| d.parse::<u64>().ok())
        .filter(|&v| v < whole)
        .take(BESIDE)
        .collect();
    parts.len() >= 2 && parts.iter().try_fold(0u64, |a, &v| a.checked_add(v)) == Some(whole)
}

/// The digits of the `BESIDE` numbers nearest the count at `at`, not the count itself: only
/// the `BESIDE` either side can be, so the cost is the same however long the sentence.
fn numbers_beside(numbers: &[Numbered], at: &Range<usize>) -> Vec<String> {
    let k = numbers.partition_point(|(r, _)| r.start < at.start);
    let window = &numbers[k.saturating_sub(BESIDE)..(k + BESIDE + 1).min(numbers.len())];
    let mut found: Vec<(usize, &String)> = window
        .iter()
        .filter(|(r, _)| r != at)
        .map(|(r, d)| (r.start.abs_diff(at.start), d))
        .collect();
    found.sort_unstable();
    found.truncate(BESIDE);
    found.into_iter().map(|(_, d)| d.clone()).collect()
}

/// How many words before a count its clause may give it: a verb phrase and the nouns it is
/// said of ("towards insulation and ventilation works to"), not the sentence before them.
const NEAR_WORDS: usize = 6;

/// The specific stems of the words before a count in its clause, not its own noun or qualifiers.
fn near_words(text: &str, tokens: &[Range<usize>], at: usize, c: &Count) -> Vec<String> {
    let clause = subject::clause_in(text, tokens, at..at, NEAR_WORDS);
    let before = text.get(clause.start..at).unwrap_or("");
    let words = subject::Words::of(before);
    subject::specific(&words)
        .filter(|w| **w != c.noun && !c.mods.contains(w))
        .cloned()
        .collect()
}

/// Whether the words around two counts may say they count one thing: either has none of its
/// own, or they share one.
fn near_agree(a: &Count, b: &Count) -> bool {
    a.near.is_empty() || b.near.is_empty() || a.near.iter().any(|w| b.near.contains(w))
}

/// The count a match of `COUNT` in a sentence makes, if it is one.
fn count_at(text: &str, caps: &regex::Captures, found: &[(usize, Period)]) -> Option<Count> {
    let (n, noun) = (caps.name("n")?, caps.name("noun")?);
    let before = text[..n.start()].chars().next_back();
    if matches!(before, Some('£' | '/' | '.' | '-' | '–' | ':')) {
        return None;
    }
    // "Round 2 awards", "Table 3 schemes": a period or a reference.
    let word_before = text[..n.start()]
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_ascii_lowercase();
    if PERIOD_WORDS.contains(&word_before.as_str()) {
        return None;
    }
    if MEASURES.contains(&noun.as_str()) {
        return None;
    }
    // Qualifying words are words of their own ("13 to organisations" counts nothing).
    let mods: Vec<&str> = caps
        .name("mods")
        .map_or("", |m| m.as_str())
        .split_whitespace()
        .collect();
    if mods.iter().any(|w| subject::stem(w).is_none()) {
        return None;
    }
    let digits: String = n.as_str().chars().filter(|c| c.is_ascii_digit()).collect();
    let year = !n.as_str().contains(',')
        && digits.len() == 4
        && (digits.starts_with("19") || digits.starts_with("20"));
    if year {
        return None;
    }
    // The period nearest the count, of each kind its sentence names.
    let mut periods: Vec<(usize, Period)> = Vec::new();
    for (at, p) in found {
        let d = at.abs_diff(n.start());
        match periods.iter_mut().find(|(_, q)| q.kind == p.kind) {
            Some(slot) if slot.0 > d => *slot = (d, p.clone()),
            Some(_) => {}
            None => periods.push((d, p.clone())),
        }
    }
    Some(Count {
        digits,
        noun: subject::stem(noun.as_str()).unwrap_or_else(|| noun.as_str().into()),
        mods: stems_of(&mods.join(" ")),
        lead: Vec::new(),
        near: Vec::new(),
        periods: periods.into_iter().map(|(_, p)| p).collect(),
        at: None,
        beside: Vec::new(),
        confirmed: false,
    })
}

/// A total row's plain numbers, each said beside the others.
fn row_numbers(row: &crate::model::Row) -> Vec<String> {
    row.cells
        .iter()
        .filter(|cell| matches!(cell.value, CellValue::Text | CellValue::Empty))
        .map(|cell| cell.text.text.replace("**", "").replace(',', ""))
        .filter(|w| !w.trim().is_empty() && w.trim().bytes().all(|b| b.is_ascii_digit()))
        .map(|w| w.trim().to_string())
        .collect()
}

/// The periods a column's header names, else its table's caption.
fn header_periods(header: &str, caption: Option<&str>) -> Vec<Period> {
    let periods: Vec<Period> = subject::periods(header)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    match caption {
        Some(caption) if periods.is_empty() => subject::periods(caption)
            .into_iter()
            .map(|(_, p)| p)
            .collect(),
        _ => periods,
    }
}

/// The stems of a column header's words that say its cells are counts ("Number of
/// proposals", "No. of homes", "Total schemes"), not which of the noun they count.
const COUNTING: &[&str] = &["number", "no", "count", "total"];

/// The plural that follows `rest` at once, if its first word is one: a word of four
/// letters or more ending in "s" but not "ss", "us" or "is" (class, bonus, basis are no
/// plurals), that says something (not "this", "less").
fn next_plural(rest: &str) -> Option<&str> {
    let trimmed = rest.trim_start_matches(' ');
    if trimmed.len() == rest.len() {
        return None;
    }
    let end = trimmed
        .find(|c: char| !c.is_ascii_lowercase())
        .unwrap_or(trimmed.len());
    let word = &trimmed[..end];
    let plural = word.len() >= 4
        && word.ends_with('s')
        && !["ss", "us", "is"].iter().any(|e| word.ends_with(e))
        && !MEASURES.contains(&word)
        && subject::stem(word).is_some();
    plural.then_some(word)
}

/// The counts of a document's tables' total rows: the number in a total row under a column
/// headed with a plural noun ("Organisations recommended", "Additional places"). A total row
/// counts the whole, so no label qualifies it; other rows count parts, and are left out.
fn table_counts(body: &Document) -> Vec<Count> {
    let mut out = Vec::new();
    for table in &body.tables {
        let Some(row) = table.rows.iter().rev().find(|r| r.is_total()) else {
            continue;
        };
        let numbers = row_numbers(row);
        for (c, cell) in row.cells.iter().enumerate() {
            if matches!(cell.value, CellValue::Amount(_) | CellValue::BadAmount(_)) {
                continue;
            }
            let written = cell.text.text.replace("**", "");
            let written = written.trim();
            let plain = !written.is_empty()
                && written.bytes().all(|b| b.is_ascii_digit() || b == b',')
                && written.as_bytes()[0].is_ascii_digit();
            let Some(header) = table.header.cells.get(c).map(|h| h.text.text.clone()) else {
                continue;
            };
            if !plain {
                continue;
            }
            let Some(noun) = header
                .split(|ch: char| !ch.is_ascii_alphabetic())
                .map(str::to_ascii_lowercase)
                .find(|w| w.len() >= 4 && w.ends_with('s') && !MEASURES.contains(&w.as_str()))
            else {
                continue;
            };
            let Some(noun) = subject::stem(&noun) else {
                continue;
            };
            let periods = header_periods(&header, table.caption.as_deref());
            let mods = stems_of(&header)
                .into_iter()
                .filter(|w| *w != noun && !COUNTING.contains(&w.as_str()))
                .collect();
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            let beside = numbers.iter().filter(|n| **n != digits).cloned().collect();
            out.push(Count {
                digits,
                noun,
                mods,
                lead: Vec::new(),
                near: Vec::new(),
                periods,
                at: None,
                beside,
                confirmed: false,
            });
        }
    }
    out
}

/// What a document's tables count in their total rows, by unit (`prose::unit_of` of the
/// column's noun): "Lifts" 442 as ("lift", 442).
pub fn totals(body: &Document) -> Vec<(String, rust_decimal::Decimal)> {
    let mut out = Vec::new();
    for table in &body.tables {
        let Some(row) = table.rows.iter().rev().find(|r| r.is_total()) else {
            continue;
        };
        for (c, cell) in row.cells.iter().enumerate() {
            if !matches!(cell.value, CellValue::Text | CellValue::Empty) {
                continue;
            }
            let written = cell.text.text.replace("**", "").replace(',', "");
            let Ok(value) = written.trim().parse::<u64>() else {
                continue;
            };
            let Some(header) = table.header.cells.get(c) else {
                continue;
            };
            let noun = header
                .text
                .text
                .split(|ch: char| !ch.is_ascii_alphabetic())
                .find(|w| {
                    w.len() >= 3
                        && w.ends_with('s')
                        && !MEASURES.contains(&w.to_ascii_lowercase().as_str())
                })
                .map(super::prose::unit_of);
            if let Some(noun) = noun {
                out.push((noun, rust_decimal::Decimal::from(value)));
            }
        }
    }
    out
}

/// Whether two counts are of one subject: one noun, qualifiers that agree (the same lead, or
/// none; words between number and noun that share one, or none on one side), and no
/// different periods. Within one paragraph a count given a year and one given none are of
/// two years: the paragraph speaks of its own year and names another only to set it apart
/// ("The programme has 186 proposals … The 2024/25 programme had 168 proposals").
fn same_subject(a: &Count, b: &Count) -> bool {
    let sentence = |c: &Count| c.at.as_ref().map(|s| (s.document, s.sentence));
    let paragraph = |c: &Count| c.at.as_ref().map(|s| (s.document, s.passage));
    let dated = |c: &Count| c.periods.iter().any(|p| p.kind == "fy" || p.kind == "y");
    if paragraph(a).is_some() && paragraph(a) == paragraph(b) && dated(a) != dated(b) {
        return false;
    }
    let leads = a.lead == b.lead;
    let mods = a.mods.is_empty() || b.mods.is_empty() || a.mods.iter().any(|w| b.mods.contains(w));
    a.noun == b.noun
        && (sentence(a).is_none() || sentence(a) != sentence(b))
        && leads
        && mods
        && !subject::periods_differ(&a.periods, &b.periods)
        && !subject::periods_differ(&b.periods, &a.periods)
}

/// A count of a subject that, one edit away, is what the paper says of it elsewhere: with two
/// digits swapped (three digits or more; a table's total row counts as saying it), or once
/// where another count of the subject is said at least twice in prose.
/// `witness` is the other document of the paper (the record for a report, the report for a
/// record): of two counts with digits swapped, the one it repeats is right, and the other is
/// reported, wherever it stands.
pub fn check(prose: &Prose, body: &Document, witness: &Prose, out: &mut Vec<Diagnostic>) {
    // The table's counts first: a pair is reported at the later of the two, never in a table.
    let mut all = table_counts(body);
    all.extend(counts(prose, 0));
    // The counts by noun and digits: a count's rivals are looked up among the few strings one
    // edit from its digits, so the cost stays linear however many counts a paper has.
    let mut by: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, c) in all.iter().enumerate() {
        by.entry((c.noun.as_str(), c.digits.as_str()))
            .or_default()
            .push(i);
    }
    let many = counted_many_ways(&all);
    let apart = said_apart(&all);
    let witnessed = counts(witness, 1);
    let repeats = |c: &Count| {
        witnessed
            .iter()
            .any(|w| w.digits == c.digits && same_subject(c, w))
    };
    for (i, c) in all.iter().enumerate() {
        let Some(at) = &c.at else { continue };
        if let Some(o) = rival(&all, &by, &apart, i, many.contains(c.noun.as_str())) {
            // "12,864 rented homes" first, "12,846 homes" later and in the record: the later
            // is right, and the earlier is the slip.
            let swapped = one_edit(&c.digits, &o.digits) == Some(Edit::Swapped);
            if let (true, Some(o_at)) = (swapped && repeats(c) && !repeats(o), &o.at) {
                out.push(mismatch(prose, o_at, o, c, prose, near_agree(o, c)));
                continue;
            }
            // Digits one edit apart and one noun, but words that say what each counts and
            // share nothing ("heating replacements in 420 homes", "insulation works to 240
            // homes"): a possible slip, for the author to look at, not an error.
            out.push(mismatch(prose, at, c, o, prose, near_agree(c, o)));
        }
    }
}

/// The pairs of numbers the paper says side by side of one noun (noun, a count's digits, a
/// number beside it): "Of the 58 applications, 38 (66%) are recommended", a total row's
/// "58 | 38". A paper that puts two numbers of one thing in one sentence or one row means
/// them as two quantities (a whole and its part, this year's and last), so neither is a
/// slip of the other.
type Apart<'a> = std::collections::HashSet<(&'a str, &'a str, &'a str)>;

fn said_apart(all: &[Count]) -> Apart<'_> {
    let mut apart = Apart::new();
    for c in all {
        for b in &c.beside {
            apart.insert((c.noun.as_str(), c.digits.as_str(), b.as_str()));
            apart.insert((c.noun.as_str(), b.as_str(), c.digits.as_str()));
        }
    }
    apart
}

/// How many different numbers of one noun a paper's prose may give and still count one
/// thing: a count, its parts and a slip of it are four at most; a paper that gives more
/// ("65 consultees provided a comment", "47 consultees …", "67 consultees chose to answer",
/// one per hub or per question) counts different things, and two of them one edit apart say
/// nothing of a slip.
const ONE_THING: usize = 4;

/// The nouns the paper's prose counts in more than `ONE_THING` different numbers.
fn counted_many_ways(all: &[Count]) -> std::collections::HashSet<&str> {
    let mut numbers: HashMap<&str, std::collections::HashSet<&str>> = HashMap::new();
    for c in all.iter().filter(|c| c.at.is_some()) {
        numbers
            .entry(c.noun.as_str())
            .or_default()
            .insert(c.digits.as_str());
    }
    numbers
        .into_iter()
        .filter(|(_, n)| n.len() > ONE_THING)
        .map(|(noun, _)| noun)
        .collect()
}

/// How many mentions of one number of one noun are read when looking for a count's rivals: a
/// paper says one count of one subject a handful of times, so 64 is far past any real paper,
/// and a paper that says "21 homes" ten thousand times costs no more than one that says it 64.
const MENTIONS: usize = 64;

/// The count that says count `i` is mistyped: of its subject, one edit away, either with two
/// digits swapped and said before it (the later of a swapped pair is reported), or said at
/// least twice where count `i`'s number is said once ("36 organisations" once, "38
/// organisations" twice, a table's total row saying it once). A noun counted `many` ways, or
/// a count of one digit (any two of which are one edit apart), has no rival by the number
/// said twice; two digits swapped still count. Numbers the paper says side by side (`apart`)
/// are never rivals.
fn rival<'a>(
    all: &'a [Count],
    by: &HashMap<(&str, &str), Vec<usize>>,
    apart: &Apart<'_>,
    i: usize,
    many: bool,
) -> Option<&'a Count> {
    let c = &all[i];
    if c.confirmed {
        return None;
    }
    // How many times the paper says `digits` of this subject, counting to two at most.
    let said = |digits: &str| {
        by.get(&(c.noun.as_str(), digits)).map_or(0, |list| {
            list.iter()
                .take(MENTIONS)
                .filter(|&&k| k == i || same_subject(c, &all[k]))
                .take(2)
                .count()
        })
    };
    let noun = c.noun.as_str();
    let together = |k: usize| apart.contains(&(noun, c.digits.as_str(), all[k].digits.as_str()));
    // The first count of the subject with each string one edit away, in the order said.
    let mut alike: Vec<usize> = variants_of(&c.digits)
        .iter()
        .filter_map(|v| by.get(&(c.noun.as_str(), v.as_str())))
        .filter_map(|list| {
            list.iter()
                .take(MENTIONS)
                .copied()
                .find(|&k| same_subject(c, &all[k]))
        })
        .filter(|&k| !together(k))
        .collect();
    alike.sort_unstable();
    let swapped = alike.iter().copied().find(|&k| {
        c.digits.len() >= POLICY.swapped_count_digits.value
            && one_edit(&c.digits, &all[k].digits) == Some(Edit::Swapped)
    });
    match swapped {
        Some(k) if k < i => return Some(&all[k]),
        Some(_) => return None,
        None => {}
    }
    if many || c.digits.len() < 2 || said(&c.digits) != 1 {
        return None;
    }
    alike
        .into_iter()
        .find(|&k| one_edit(&c.digits, &all[k].digits).is_some() && said(&all[k].digits) >= 2)
        .map(|k| &all[k])
}

/// A record's count that its report gives one edit away (of two digits or more), where the
/// report never gives the record's number of that subject (nor says it beside the other): the
/// record, which repeats its report, has it wrong.
pub fn check_record(record: &Prose, report: &Prose, body: &Document, out: &mut Vec<Diagnostic>) {
    let mut theirs = table_counts(body);
    theirs.extend(counts(report, 1));
    let apart = said_apart(&theirs);
    for c in counts(record, 0) {
        let Some(at) = &c.at else { continue };
        if c.digits.len() < 2 {
            continue;
        }
        let alike: Vec<&Count> = theirs.iter().filter(|o| same_subject(&c, o)).collect();
        if alike.iter().any(|o| o.digits == c.digits) {
            continue;
        }
        if let Some(o) = alike
            .iter()
            .find(|o| one_edit(&c.digits, &o.digits).is_some())
            .filter(|o| !apart.contains(&(o.noun.as_str(), o.digits.as_str(), c.digits.as_str())))
        {
            out.push(mismatch(record, at, &c, o, report, true));
        }
    }
}

/// "38 organisations here, but 37 organisations elsewhere, of the same subject".
fn mismatch(
    prose: &Prose,
    at: &Said,
    c: &Count,
    o: &Count,
    theirs: &Prose,
    sure: bool,
) -> Diagnostic {
    let passage = &prose.passages[at.passage];
    let noun = passage.text[at.range.end..]
        .split_whitespace()
        .find(|w| {
            let w = w.trim_matches(|ch: char| !ch.is_alphanumeric());
            subject::stem(w).as_deref() == Some(c.noun.as_str())
        })
        .unwrap_or("")
        .trim_matches(|ch: char| !ch.is_alphanumeric())
        .to_string();
    let made = if sure {
        Diagnostic::error
    } else {
        Diagnostic::warning
    };
    let of = if sure {
        "of the same subject"
    } else {
        "one edit apart, though the words around them differ"
    };
    let d = made(
        Code::CountMismatch,
        passage.file,
        passage.source(at.range.clone()),
        format!(
            "{} {noun} here, but {} {noun} elsewhere, {of}",
            super::statements::group(&c.digits),
            super::statements::group(&o.digits)
        ),
    )
    .with_label("one of the two is mistyped")
    .with_hint("correct whichever count is wrong; if they count different things, say so in the words (a period, a qualifier)");
    match &o.at {
        Some(there) => {
            let first = &theirs.passages[there.passage];
            d.with_related(
                first.file,
                first.source(there.range.clone()),
                "the count stated there",
            )
        }
        None => d,
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
        found_witnessed(texts, &[])
    }

    /// The findings on `texts`, with `witness` the paper's other document.
    fn found_witnessed(texts: &[&str], witness: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        check(
            &prose(texts),
            &Document::default(),
            &prose(witness),
            &mut out,
        );
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn of_two_swapped_counts_the_one_the_other_document_repeats_is_right() {
        let report = [
            "The contract covers its 12,864 rented homes.",
            "The value is £7,284,400, which is £567.06 for each of the council's 12,846 homes.",
        ];
        // Alone, the later of the pair is reported.
        let got = found(&report);
        assert!(got.len() == 1 && got[0].starts_with("12,846"), "{got:?}");
        // The record repeats 12,846: the earlier one is the slip.
        let record = ["The value is £567.06 for each of the council's 12,846 homes."];
        let got = found_witnessed(&report, &record);
        assert!(got.len() == 1 && got[0].starts_with("12,864"), "{got:?}");
    }

    fn found_in_record(report: &[&str], record: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        check_record(
            &prose(record),
            &prose(report),
            &Document::default(),
            &mut out,
        );
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
        // In one paragraph, a count given a year is of another year than one given none.
        let got =
            found(&["The programme has 186 proposals. The 2024/25 programme had 168 proposals."]);
        assert!(got.is_empty(), "{got:?}");
        // In two paragraphs the year of the one says nothing of the other's.
        let got = found(&[
            "The programme has 186 proposals.",
            "Of the 2024/25 programme's 168 proposals, most are delivered.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
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

    #[test]
    fn numbers_said_side_by_side_are_never_rivals() {
        // A whole and its part in one sentence: 38 applications is no slip of 58.
        let texts = [
            "The Council received 58 applications.",
            "Of the 58 applications, 38 (66%) are recommended.",
            "Option 1 approves the 38 applications that scored well.",
        ];
        assert!(found(&texts).is_empty(), "{:?}", found(&texts));
        // Without the sentence that says them together, 38 once against 58 twice is a slip.
        let texts = [
            "The Council received 58 applications.",
            "All 58 applications were scored.",
            "Option 1 approves the 38 applications that scored well.",
        ];
        assert_eq!(found(&texts).len(), 1, "{:?}", found(&texts));
        // Clauses a semicolon joins are one sentence.
        let texts = [
            "The Council received 58 applications; 6 were ineligible and the other 52 were scored.",
            "All 58 applications were acknowledged.",
            "Option 2 funds all 52 eligible applications.",
        ];
        assert!(found(&texts).is_empty(), "{:?}", found(&texts));
    }

    #[test]
    fn a_count_its_sentence_gives_the_parts_of_is_meant() {
        // 49 homes on four sites of 8, 5, 13 and 23: the paper's own sum, though 44 homes
        // (after a site is dropped) is said twice.
        let texts = [
            "The programme was approved for 49 homes on four sites: North (8 homes), East (5), South (13) and West (23).",
            "West is the largest, with 23 of the 44 homes.",
            "The remaining 44 homes cost £14.4m.",
        ];
        assert!(found(&texts).is_empty(), "{:?}", found(&texts));
        // Parts that do not add up to it confirm nothing.
        let texts = [
            "The programme was approved for 49 homes on four sites: North (8 homes), East (5), South (12) and West (23).",
            "West is the largest, with 23 of the 44 homes.",
            "The remaining 44 homes cost £14.4m.",
        ];
        assert_eq!(found(&texts).len(), 1, "{:?}", found(&texts));
    }

    #[test]
    fn a_noun_counted_many_ways_or_in_one_digit_has_no_rival_said_twice() {
        // One count per site: five numbers of "respondents" are counts of different things.
        let got = found(&[
            "At the north site 58 respondents answered. The 58 respondents were positive.",
            "At the east site 56 respondents answered.",
            "At the west site 31 respondents answered.",
            "At the south site 77 respondents answered.",
            "At the river site 12 respondents answered.",
        ]);
        assert!(got.is_empty(), "{got:?}");
        // With four numbers at most, the count said once is still a slip of the one said twice.
        let got = found(&[
            "At the north site 58 respondents answered. The 58 respondents were positive.",
            "At the east site 56 respondents answered.",
            "At the west site 31 respondents answered.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        // Any two one-digit numbers are one edit apart.
        let got = found(&[
            "It is 3 miles away.",
            "Both are 3 miles apart.",
            "The hub is 9 miles away.",
        ]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_count_with_a_qualifying_lead_is_a_count_of_a_part() {
        let got = found(&[
            "Grants totalling £722,400 go to 58 organisations.",
            "The 58 organisations are listed in Appendix 1.",
            "Small grants: 38 organisations are recommended for awards.",
        ]);
        assert!(got.is_empty(), "{got:?}");
        let got = found(&[
            "Grants totalling £722,400 go to 58 organisations.",
            "The 58 organisations are listed in Appendix 1.",
            "In all, 56 organisations are recommended for awards.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn counts_whose_clauses_name_different_things_are_only_a_possible_slip() {
        let texts = [
            "Boilers will be replaced in 530 homes.",
            "Of the 530 homes, 200 get heat pumps.",
            "The summary lists boiler replacements in 530 homes.",
            "Loft insulation goes into 350 homes.",
        ];
        let mut out = Vec::new();
        check(
            &prose(&texts),
            &Document::default(),
            &Prose::default(),
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            out[0].severity,
            crate::diagnostic::Severity::Warning,
            "{out:?}"
        );
        // The same words, or none of its own, and it is an error.
        let texts = [
            "Boilers will be replaced in 530 homes.",
            "The summary lists boiler replacements in 530 homes.",
            "Boilers are replaced in 350 homes.",
        ];
        let mut out = Vec::new();
        check(
            &prose(&texts),
            &Document::default(),
            &Prose::default(),
            &mut out,
        );
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            out[0].severity,
            crate::diagnostic::Severity::Error,
            "{out:?}"
        );
    }

    #[test]
    fn words_between_a_number_and_its_noun_qualify_it() {
        let got = found(&[
            "The programme creates 246 additional specialist places.",
            "It will create 246 additional specialist places by 2027.",
            "The summary says 264 additional specialist places.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("264 places here, but 246 places"),
            "{got:?}"
        );
        // Different qualifiers count different things.
        let got = found(&[
            "There are 16 small grants.",
            "We also made 16 large grants.",
            "In all, 18 large grants were paid.",
        ]);
        assert!(got.is_empty(), "{got:?}");
        // A period or a reference is no count.
        assert!(found(&[
            "The Round 2 awards total £184,500.",
            "Round 3 awards open later."
        ])
        .is_empty());
    }

    #[test]
    fn a_record_repeats_its_reports_counts() {
        let report = ["The awards support 37 local organisations."];
        let got = found_in_record(&report, &["The awards support 38 local organisations."]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("38 organisations here, but 37"),
            "{got:?}"
        );
        assert!(found_in_record(&report, &["The awards support 37 organisations."]).is_empty());
        // A count the report also gives, or one of another subject, is no slip.
        assert!(
            found_in_record(
                &report,
                &[
                    "It funds 12 organisations in Banbury.",
                    "The awards support 37 organisations."
                ]
            )
            .len()
                <= 1
        );
        assert!(found_in_record(&report, &["Three organisations run it."]).is_empty());
    }
}
