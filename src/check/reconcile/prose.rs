//! Where a paper states amounts: passages of prose (body blocks, front-matter strings), cut
//! into sentences, with every amount, count and percentage found in each.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;
use serde_saphyr::Spanned;

use std::sync::OnceLock;

use super::policy::POLICY;
use super::search::Cue;
use super::subject::{self, Subject};
use crate::check::PaperContext;
use crate::diagnostic::FileId;
use crate::model::money::{scan_amounts, Money};
use crate::model::{BlockKind, Document, MappedText, Source};

/// How a passage's text maps back to its file.
enum Map {
    /// Body text, run by run.
    Text(MappedText),
    /// A front-matter string: at `start` when the file holds it as written; else each piece is
    /// looked for in what the file holds (`held`, a folded scalar), else all of `whole`.
    Value {
        start: Option<usize>,
        whole: Range<usize>,
        held: String,
    },
}

/// A run of prose: a paragraph, list item, heading or front-matter string.
pub struct Passage {
    pub file: FileId,
    pub text: String,
    map: Map,
    /// The heading it sits under, or the front-matter field it is.
    pub heading: String,
}

impl Passage {
    /// The file range of a range of the passage's text.
    pub fn source(&self, range: Range<usize>) -> Range<usize> {
        match &self.map {
            Map::Text(m) => m.source_range(range),
            Map::Value { start: Some(s), .. } => s + range.start..s + range.end,
            Map::Value {
                start: None,
                whole,
                held,
            } => {
                let piece = self.text.get(range).unwrap_or("");
                match held.find(piece).filter(|_| !piece.is_empty()) {
                    Some(at) => whole.start + at..whole.start + at + piece.len(),
                    None => whole.clone(),
                }
            }
        }
    }
}

/// An amount stated in prose.
#[derive(Clone, Debug)]
pub struct Claim {
    pub file: FileId,
    /// In the file.
    pub range: Range<usize>,
    /// In the passage's text.
    pub at: Range<usize>,
    pub written: String,
    pub money: Money,
    pub sentence: usize,
    subject: OnceLock<Subject>,
    periods: OnceLock<Vec<subject::Period>>,
}

/// A plain number in prose: a count ("2,162 families"), or a percentage ("21%").
#[derive(Clone, Debug)]
pub struct Number {
    pub value: Decimal,
    /// The place value of its last digit: 0.1 for "21.3%".
    pub unit: Decimal,
    pub at: Range<usize>,
    /// A count written as a word ("three years"), or followed by a word: it may multiply.
    pub multiplier: bool,
    /// For a count of months, weeks or quarters, how many make a year: "seven months" of a
    /// year's amount is 7/12 of it.
    pub per_year: Option<u32>,
    /// What it counts, as a unit (`unit_of`): "organisation", "kilometre".
    pub noun: Option<String>,
}

/// A counted noun as a unit a rate may be given per: lower case, singular, "km" as
/// "kilometre" ("61.4 km" and "£260k per kilometre" are of one unit).
pub fn unit_of(noun: &str) -> String {
    let lower = noun.trim().to_ascii_lowercase();
    let singular = if lower.ends_with("ies") && lower.len() > 4 {
        format!("{}y", &lower[..lower.len() - 3])
    } else if lower.ends_with('s') && !lower.ends_with("ss") {
        lower[..lower.len() - 1].to_string()
    } else {
        lower
    };
    match singular.as_str() {
        "km" | "kilometer" => "kilometre".into(),
        "m" | "meter" => "metre".into(),
        "annum" | "yr" => "year".into(),
        "head" => "person".into(),
        "people" => "person".into(),
        "children" => "child".into(),
        _ => singular,
    }
}

/// How many of `noun` (the word after a count) make a year, if it is a part of one.
fn per_year(noun: &str) -> Option<u32> {
    match noun.trim().to_ascii_lowercase().as_str() {
        "month" | "months" => Some(12),
        "week" | "weeks" => Some(52),
        "quarter" | "quarters" => Some(4),
        _ => None,
    }
}

/// One sentence of a passage, with what it states.
pub struct Sentence {
    pub passage: usize,
    pub range: Range<usize>,
    /// Indexes into `Prose::claims`.
    pub claims: Vec<usize>,
    pub counts: Vec<Number>,
    pub percents: Vec<Number>,
    /// What its words say of arithmetic (read only where it states an amount).
    pub cue: Cue,
    words: OnceLock<SentenceWords>,
}

/// Everything one document states in prose.
#[derive(Default)]
pub struct Prose {
    pub passages: Vec<Passage>,
    pub sentences: Vec<Sentence>,
    pub claims: Vec<Claim>,
    /// What the document's tables count in their total rows, by unit ("lift": 442): the
    /// counts a rate per that unit may be worked out from.
    pub counted: Vec<(String, Decimal)>,
}

impl Prose {
    fn add(&mut self, passage: Passage) {
        let index = self.passages.len();
        let text = passage.text.clone();
        let amounts = scan_amounts(&text);
        // Amounts and sentences both run in order: each sentence takes the amounts that start
        // in it, so a passage costs time in proportion to its length.
        let mut next = 0;
        for range in sentences(&text) {
            let sentence = self.sentences.len();
            let mut claims = Vec::new();
            let first = next;
            while next < amounts.len() && amounts[next].range.start < range.end {
                next += 1;
            }
            let mine = &amounts[first..next];
            for found in mine.iter().filter(|a| range.contains(&a.range.start)) {
                // In prose, "(£1,184,350)" is an aside, not accountants' minus.
                let mut money = found.money.clone();
                if text[found.range.clone()].starts_with('(') {
                    money.value = money.value.abs();
                }
                claims.push(self.claims.len());
                self.claims.push(Claim {
                    file: passage.file,
                    range: passage.source(found.range.clone()),
                    at: found.range.clone(),
                    written: text[found.range.clone()].to_string(),
                    money,
                    sentence,
                    subject: OnceLock::new(),
                    periods: OnceLock::new(),
                });
            }
            // Counts matter beside an amount (a multiplier) or a percentage (a share); other
            // sentences are not scanned for them.
            let slice = &text[range.clone()];
            let (counts, percents) =
                if claims.is_empty() && !slice.contains('%') && !slice.contains("per") {
                    (Vec::new(), Vec::new())
                } else {
                    let taken: Vec<Range<usize>> = mine.iter().map(|a| a.range.clone()).collect();
                    numbers(&text, range.clone(), &taken)
                };
            let cue = if claims.is_empty() {
                Cue::default()
            } else {
                cue(slice)
            };
            self.sentences.push(Sentence {
                passage: index,
                cue,
                range,
                claims,
                counts,
                percents,
                words: OnceLock::new(),
            });
        }
        self.passages.push(passage);
    }

    /// Adds a document's body (tables are facts, not prose).
    pub fn add_body(&mut self, file: FileId, body: &Document) {
        for block in body.prose() {
            if matches!(block.kind, BlockKind::Table(_)) {
                continue;
            }
            self.add(Passage {
                file,
                text: block.text.text.clone(),
                map: Map::Text(block.text.clone()),
                heading: body.section_title(block).unwrap_or("").to_string(),
            });
        }
    }

    /// Adds a passage of plain text (for tests of sentence-level rules).
    #[cfg(test)]
    pub fn add_text(&mut self, file: FileId, text: &str) {
        self.add(Passage {
            file,
            text: text.to_string(),
            map: Map::Value {
                start: Some(0),
                whole: 0..text.len(),
                held: text.to_string(),
            },
            heading: String::new(),
        });
    }

    /// Adds a front-matter string.
    pub fn add_value<M>(
        &mut self,
        cx: &PaperContext,
        source: &Source<M>,
        value: &Spanned<String>,
        field: &str,
    ) {
        let whole = source.span(value);
        let held = cx
            .sources
            .text(source.file)
            .get(whole.clone())
            .unwrap_or("");
        let start = held.find(value.value.as_str()).map(|at| whole.start + at);
        self.add(Passage {
            file: source.file,
            text: value.value.clone(),
            map: Map::Value {
                start,
                whole,
                held: held.to_string(),
            },
            heading: field.to_string(),
        });
    }
}

/// A sentence's words, read once for all its amounts: its tokens (for finding clauses), its
/// stems and its periods.
pub struct SentenceWords {
    tokens: Vec<Range<usize>>,
    stems: Vec<String>,
    periods: Vec<(usize, subject::Period)>,
}

impl Prose {
    /// The words of sentence `s`, read when first asked for.
    fn words(&self, s: usize) -> &SentenceWords {
        let sentence = &self.sentences[s];
        sentence.words.get_or_init(|| {
            let text = &self.passages[sentence.passage].text[sentence.range.clone()];
            SentenceWords {
                tokens: subject::tokens(text),
                stems: subject::stems(text),
                periods: subject::periods(text),
            }
        })
    }

    /// Where claim `i`'s clause is in its passage's text.
    pub fn clause(&self, i: usize) -> Range<usize> {
        let c = &self.claims[i];
        let sentence = &self.sentences[c.sentence];
        let start = sentence.range.start;
        let text = &self.passages[sentence.passage].text[sentence.range.clone()];
        let at = c.at.start - start..c.at.end.min(sentence.range.end) - start;
        let clause = subject::clause_in(
            text,
            &self.words(c.sentence).tokens,
            at,
            POLICY.clause_words.value,
        );
        start + clause.start..start + clause.end
    }

    /// What claim `i` is said of: its clause, its sentence, its heading and its period.
    pub fn subject(&self, i: usize) -> &Subject {
        let c = &self.claims[i];
        c.subject.get_or_init(|| {
            let sentence = &self.sentences[c.sentence];
            let passage = &self.passages[sentence.passage];
            let clause = self.clause(i);
            Subject {
                near: subject::stems(&passage.text[clause]),
                sentence: self.words(c.sentence).stems.clone(),
                heading: subject::stems(&passage.heading),
                periods: self.periods(i).to_vec(),
            }
        })
    }

    /// The periods claim `i` is of (read without its words, which cost more).
    pub fn periods(&self, i: usize) -> &[subject::Period] {
        self.claims[i].periods.get_or_init(|| self.period_of(i))
    }

    /// The period an amount is of: the nearest its clause names, else the nearest its
    /// sentence names, else its heading's.
    fn period_of(&self, i: usize) -> Vec<subject::Period> {
        let c = &self.claims[i];
        let sentence = &self.sentences[c.sentence];
        let passage = &self.passages[sentence.passage];
        let start = sentence.range.start;
        let at = c.at.start - start;
        let clause = self.clause(i);
        let clause = clause.start - start..clause.end - start;
        let found = &self.words(c.sentence).periods;
        let nearest = |within: &dyn Fn(usize) -> bool| {
            let mut by_kind: Vec<(usize, subject::Period)> = Vec::new();
            for (offset, p) in found.iter().filter(|(o, _)| within(*o)) {
                let d = offset.abs_diff(at);
                match by_kind.iter_mut().find(|(_, q)| q.kind == p.kind) {
                    Some(slot) if slot.0 > d => *slot = (d, p.clone()),
                    Some(_) => {}
                    None => by_kind.push((d, p.clone())),
                }
            }
            by_kind.into_iter().map(|(_, p)| p).collect::<Vec<_>>()
        };
        // "from £946,800 in 2022 to £512,830 in 2023": a period said straight after an amount
        // is that amount's, whichever is nearer.
        let mine = self.attached(i);
        if !mine.is_empty() {
            return nearest(&|o| mine.contains(&o));
        }
        let first = sentence
            .claims
            .partition_point(|&j| self.claims[j].at.end < start + clause.start);
        let others: Vec<usize> = sentence.claims[first..]
            .iter()
            .take_while(|&&j| self.claims[j].at.start < start + clause.end)
            .filter(|&&j| j != i)
            .flat_map(|&j| self.attached(j))
            .collect();
        let own = nearest(&|o| clause.contains(&o) && !others.contains(&o));
        if !own.is_empty() {
            return own;
        }
        // Outside its clause the sentence does not say which of its periods the amount is of
        // ("awarded in April 2021 for seven years, to 31 March 2028, with an estimated value of
        // £2,618,000"): it may be of any of them, but for one said in another amount's clause
        // ("£418,500, less than the £481,500 spent in 2024/25"), which is that amount's.
        let free: Vec<&(usize, subject::Period)> = found
            .iter()
            .filter(|(o, _)| !self.in_another_clause(i, start + o))
            .collect();
        if !free.is_empty() {
            let mut all: Vec<subject::Period> = free.iter().map(|(_, p)| p.clone()).collect();
            all.sort();
            all.dedup();
            return all;
        }
        subject::periods(&passage.heading)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    /// Where in its sentence the periods said straight after claim `i` stand ("£512,830 in
    /// 2023"): those are its own.
    fn attached(&self, i: usize) -> Vec<usize> {
        let c = &self.claims[i];
        let sentence = &self.sentences[c.sentence];
        let text = &self.passages[sentence.passage].text[sentence.range.clone()];
        let end = c.at.end - sentence.range.start;
        self.words(c.sentence)
            .periods
            .iter()
            .map(|(o, _)| *o)
            .filter(|&o| o >= end && text.get(end..o).is_some_and(attaches))
            .collect()
    }

    /// Whether the place `at` of claim `i`'s passage is in the clause of another amount of its
    /// sentence. Only amounts near it can be: a clause reaches `clause_words` words either side
    /// of its amount, and every amount is a word at least, so the amounts to look at are that
    /// many either side of `at` (the cost stays linear however many amounts a sentence has).
    fn in_another_clause(&self, i: usize, at: usize) -> bool {
        let sentence = &self.sentences[self.claims[i].sentence];
        let reach = POLICY
            .clause_words
            .value
            .saturating_mul(2)
            .saturating_add(2);
        around(&sentence.claims, reach, |&k| self.claims[k].at.start <= at)
            .iter()
            .filter(|&&k| k != i)
            .any(|&k| self.clause(k).contains(&at))
    }

    /// The whole sentence claim `i` stands in, and its heading: the words a record's amount is
    /// matched against when it repeats the report's.
    pub fn sentence_text(&self, i: usize) -> String {
        let c = &self.claims[i];
        let sentence = &self.sentences[c.sentence];
        let passage = &self.passages[sentence.passage];
        format!(
            "{} {}",
            &passage.text[sentence.range.clone()],
            passage.heading
        )
    }

    /// The words claim `i` is said of, as shown: its clause, under its heading.
    pub fn subject_text(&self, i: usize) -> String {
        let c = &self.claims[i];
        let passage = &self.passages[self.sentences[c.sentence].passage];
        let words = passage.text[self.clause(i)]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let heading = passage.heading.trim();
        if heading.is_empty() {
            format!("“{words}”")
        } else {
            format!("“{words}” under “{heading}”")
        }
    }
}

/// "£46.30 a tonne", "£3,303 per lift", "up to £1,250 a week", "£119,167 a place", "£500
/// each", "£15 for a Band D property": the words after an amount that make it a rate.
static PER_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\s)]*(?:(?:per|a|an|each|every|for\s+each|for\s+every|for\s+an?)\s+(?P<noun>[a-z][a-z-]*)|(?P<each>each|apiece)(?-u:\b))")
        .expect("valid")
});

/// Words after "a" that begin a noun phrase rather than name a unit ("£2m a further …").
const NOT_UNITS: &[&str] = &[
    "further",
    "total",
    "significant",
    "small",
    "large",
    "new",
    "one-off",
    "saving",
    "reduction",
    "rise",
    "fall",
    "increase",
    "decrease",
    "sum",
    "figure",
    "budget",
    "share",
];

/// The unit an amount is given per, read from the words right after it (`after`): "tonne"
/// for "£46.30 a tonne", "year" for "£225,000 a year", "each" for "£500 each"; `None` for an
/// amount that is no rate.
/// The items of `items` (in the order they are said) around a place: up to `reach` of those
/// `before` it (a prefix of `items`) and as many after. The engine's searches among a
/// sentence's numbers look only this far, so they cost the same however long the sentence.
pub fn around<T>(items: &[T], reach: usize, before: impl Fn(&T) -> bool) -> &[T] {
    let here = items.partition_point(before);
    let from = here.saturating_sub(reach);
    let to = here.saturating_add(reach).min(items.len());
    &items[from..to]
}

/// How much text after a number the patterns that read its words look at: the words they
/// read ("a tonne", "more than the budget of", "of the total scheme cost") are a few, and a
/// pattern run over the rest of a long paragraph for each of its numbers costs its square.
pub const WORDS_AFTER: usize = 160;

/// The text of `text` from `at`, up to `WORDS_AFTER` bytes (ending on a character's boundary).
pub fn words_after(text: &str, at: usize) -> Option<&str> {
    let mut end = at.saturating_add(WORDS_AFTER).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(at..end)
}

pub fn per_unit(after: &str) -> Option<String> {
    let caps = PER_UNIT.captures(after)?;
    if caps.name("each").is_some() {
        return Some("each".into());
    }
    let noun = caps.name("noun")?.as_str().to_ascii_lowercase();
    if NOT_UNITS.contains(&noun.as_str()) || super::subject::stem(&noun).is_none() {
        return None;
    }
    Some(unit_of(&noun))
}

impl Prose {
    /// The unit claim `i` is given per, if it is a rate (`per_unit`).
    pub fn rate(&self, i: usize) -> Option<String> {
        let c = &self.claims[i];
        let text = &self.passages[self.sentences[c.sentence].passage].text;
        per_unit(words_after(text, c.at.end)?)
    }
}

/// What a sentence's words say of the arithmetic it states.
pub fn cue(text: &str) -> Cue {
    static SUM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:totals?|totalling|together|combined|altogether|in\s+all|sum|overall|both)(?-u:\b)")
            .expect("valid")
    });
    static DIFFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:increase[sd]?|decrease[sd]?|reduc(?:e|ed|es|tions?)|rises?|rose|falls?|fell|savings?|saved?|growth|grew|uplift|difference|change[sd]?|gap|shortfall|variance|overspend|underspend|net|lower|higher|leaving|leaves|remaining|remains|balance|(?:more|less|lower|higher)\s+than\s+(?:in|last|the\s+previous|a\s+year)|from\s.+\sto)(?-u:\b)")
            .expect("valid")
    });
    let sum = &*SUM;
    let difference = &*DIFFERENCE;
    static SAME_PERCENTAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?-u:\b)(?:the\s+same|that|this)\s+(?:percentage|rate|proportion|uplift|increase|rise)(?-u:\b)")
            .expect("valid")
    });
    Cue {
        sum: sum.is_match(text),
        difference: difference.is_match(text),
        same_percentage: SAME_PERCENTAGE.is_match(text),
    }
}

/// Sentence ranges of a passage: a full stop, `!`, `?` or `;` followed by a capital or the
/// end, and line breaks, end sentences ("c. £3m", "i.e. the" and "para. 2.3" do not).
/// Whether the words between an amount and a period tie the period to it: nothing, or one
/// preposition ("£512,830 in 2023", "£1.2m for 2025/26").
fn attaches(between: &str) -> bool {
    matches!(
        between.trim().to_ascii_lowercase().as_str(),
        "" | "in" | "for" | "during" | "of" | "at" | "by"
    )
}

fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let ends = match c {
            '\n' => true,
            '.' | '!' | '?' | ';' => {
                let rest = &text[i + 1..];
                let next = rest.trim_start().chars().next();
                (rest.is_empty() || rest.starts_with(char::is_whitespace))
                    && next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || c == ';')
            }
            _ => false,
        };
        if ends {
            let end = i + c.len_utf8();
            if text[start..end].trim().len() > 1 {
                out.push(start..end);
            }
            start = end.min(bytes.len());
        }
    }
    if text[start..].trim().len() > 1 || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

static NUMBER_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
            r"(?ix)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?P<pct>\s?(?:%|per\s?cent(?-u:\b)))?(?P<word>(?:\s+[A-Za-z][a-z-]*){0,3}?\s+(?:years?|months?|weeks?|quarters?|days?|units?|people|children|staff|km|miles?|kilometres?|metres?|hectares?|tonnes?|[a-z]{3,}s)(?-u:\b))?
              |(?-u:\b)(?P<w>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty)\s+(?:full\s+|financial\s+|further\s+|more\s+|additional\s+)?(?P<noun>[a-z][a-z-]+)",
        )
        .expect("valid")
});

/// Units a quantity is measured in, which may be written with decimals.
const MEASURE_UNITS: &[&str] = &["kilometre", "mile", "metre", "hectare", "tonne", "hour"];

fn word_value(word: &str) -> Option<u32> {
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    let lower = word.to_ascii_lowercase();
    if let Some(i) = words.iter().position(|w| *w == lower) {
        return Some(i as u32 + 1);
    }
    match lower.as_str() {
        "twenty" => Some(20),
        "thirty" => Some(30),
        "forty" => Some(40),
        "fifty" => Some(50),
        _ => None,
    }
}

/// A count written as a word ("seven months"), `offset` the sentence's start in its passage.
fn word_count(caps: &regex::Captures, offset: usize) -> Option<Number> {
    let w = caps.name("w")?;
    Some(Number {
        value: Decimal::from(word_value(w.as_str())?),
        unit: Decimal::ONE,
        at: offset + w.start()..offset + w.end(),
        multiplier: true,
        per_year: caps.name("noun").and_then(|n| per_year(n.as_str())),
        noun: caps.name("noun").map(|n| unit_of(n.as_str())),
    })
}

/// The counts and percentages in one sentence, leaving out amounts of money, years,
/// paragraph numbers ("2.3") and parts of dates or references ("2024/25", "20/00017").
// Long because it is one pass over the sentence's numbers, each left out for its own reason
// (an amount, a year, a reference, a paragraph number) before it is read as a count or a
// percentage; the reasons read best in the order they are tried.
fn numbers(text: &str, range: Range<usize>, taken: &[Range<usize>]) -> (Vec<Number>, Vec<Number>) {
    let (mut counts, mut percents) = (Vec::new(), Vec::new());
    let sentence = &text[range.clone()];
    // A number left out (a paragraph number, a year, part of an amount) gives back the words
    // its match took, so "3.6 Twelve Community Wellbeing Grants" still counts twelve grants.
    let mut pos = 0;
    while let Some(caps) = NUMBER_REGEX.captures_at(sentence, pos) {
        let whole = caps.get(0).map_or(0..0, |m| m.range());
        let resume = caps
            .name("num")
            .map_or(whole.end, |n| {
                n.end() + caps.name("frac").map_or(0, |f| f.len())
            })
            .max(whole.start + 1);
        pos = whole.end.max(whole.start + 1);
        let at = range.start + whole.start..range.start + whole.end;
        // `taken` is in order: the one amount that could overlap is the first to end after it.
        let k = taken.partition_point(|t| t.end <= at.start);
        if taken.get(k).is_some_and(|t| t.start < at.end) {
            pos = resume;
            continue;
        }
        if caps.name("w").is_some() {
            counts.extend(word_count(&caps, range.start));
            continue;
        }
        let Some(num) = caps.name("num") else {
            continue;
        };
        let frac = caps.name("frac").map_or("", |f| f.as_str());
        let end = num.end() + frac.len();
        if part_of_reference(sentence, num.range(), frac) {
            pos = resume;
            continue;
        }
        let digits: String = num.as_str().chars().filter(|c| *c != ',').collect();
        let Ok(value) = format!("{digits}{frac}").parse::<Decimal>() else {
            pos = resume;
            continue;
        };
        let unit = Decimal::new(1, value.scale());
        let span = range.start + num.start()..range.start + end;
        if caps.name("pct").is_some() {
            percents.push(Number {
                value,
                unit,
                at: range.start + num.start()
                    ..range.start + caps.name("pct").map_or(end, |p| p.end()),
                multiplier: false,
                per_year: None,
                noun: None,
            });
            continue;
        }
        // The count's noun is the last word the pattern took after it ("12 further months").
        let noun = caps
            .name("word")
            .and_then(|w| w.as_str().split_whitespace().next_back());
        // A measure may have decimals ("61.4 km"); a count has none.
        let measure = noun.is_some_and(|n| MEASURE_UNITS.contains(&unit_of(n).as_str()));
        if (!frac.is_empty() && !measure) || is_year(num.as_str(), value) {
            pos = resume;
            continue;
        }
        // "Of the 64 applications, 40 (62.5%) are recommended": a bare number after "of the
        // N nouns," counts those nouns.
        let noun = noun
            .map(unit_of)
            .or_else(|| of_the(sentence, num.start(), &counts, range.start));
        counts.push(Number {
            value,
            unit,
            at: span,
            multiplier: noun.is_some(),
            per_year: noun.as_deref().and_then(per_year),
            noun,
        });
    }
    (counts, percents)
}

/// The noun of "Of the N nouns, " said just before a bare number at `at` of `sentence` (whose
/// start in its passage is `base`), where N is one of the sentence's `counts`.
fn of_the(sentence: &str, at: usize, counts: &[Number], base: usize) -> Option<String> {
    static OF_THE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)of\s+(?:the|these|those|all)\s+(\d{1,3}(?:,\d{3})+|\d+)\s+[^,;.]*,\s*$",
        )
        .expect("valid")
    });
    let caps = OF_THE.captures(sentence.get(..at)?)?;
    let n = caps.get(1)?;
    counts
        .iter()
        .find(|c| c.at.start == base + n.start())
        .and_then(|c| c.noun.clone())
}

/// Whether the number at `num` (with its decimals `frac`) in a sentence is part of something
/// else: an amount ("£5"), a date or a reference ("2024/25", "20/00017", "10:30") or a
/// paragraph number ("2.3").
fn part_of_reference(sentence: &str, num: Range<usize>, frac: &str) -> bool {
    let before = sentence[..num.start].chars().next_back();
    let after = sentence[num.end..].chars().next();
    let end = num.end + frac.len();
    let after_all = sentence[end..].chars().next();
    let joined =
        |c: Option<char>| c.is_some_and(|c| matches!(c, '/' | '£' | '-' | '–' | '.' | ':'));
    joined(before)
        || (joined(after_all) && after_all != Some('.'))
        || after == Some('.')
            && frac.is_empty()
            && sentence[num.end + 1..].starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a whole number, written without a thousands comma, is a year (1900 to 2100).
fn is_year(written: &str, value: Decimal) -> bool {
    !written.contains(',')
        && (1900..=2100).contains(&value.trunc().to_string().parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_before_capitals() {
        let text = "It costs c. £3.9m in total. The rest, i.e. the balance, is £1m; it ends here";
        let got: Vec<&str> = sentences(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect();
        assert_eq!(
            got,
            [
                "It costs c. £3.9m in total.",
                "The rest, i.e. the balance, is £1m;",
                "it ends here"
            ]
        );
    }

    #[test]
    fn counts_and_percentages_leave_out_years_and_references() {
        let text = "In 2023/24, 460 cases of 2,162 (21.3%) and three years; see 2.3 and 20/00017.";
        let (counts, percents) = numbers(text, 0..text.len(), &[]);
        let c: Vec<String> = counts.iter().map(|n| n.value.to_string()).collect();
        assert_eq!(c, ["460", "2162", "3"]);
        assert_eq!(percents.len(), 1);
        assert_eq!(percents[0].value.to_string(), "21.3");
        assert_eq!(percents[0].unit.to_string(), "0.1");
    }

    #[test]
    fn a_number_left_out_gives_back_the_words_its_match_took() {
        let text = "3.6 Twelve Community Wellbeing Grants totalling £71,300, and 61.4 km of road.";
        let taken = text.find('£').unwrap()..text.find(", and").unwrap();
        let (counts, _) = numbers(text, 0..text.len(), std::slice::from_ref(&taken));
        let c: Vec<(String, Option<String>)> = counts
            .iter()
            .map(|n| (n.value.to_string(), n.noun.clone()))
            .collect();
        assert_eq!(
            c,
            [
                ("12".to_string(), Some("community".to_string())),
                ("61.4".to_string(), Some("kilometre".to_string()))
            ]
        );
    }

    #[test]
    fn a_rate_is_read_from_the_words_after_an_amount() {
        assert_eq!(per_unit(" a tonne and £312,000").as_deref(), Some("tonne"));
        assert_eq!(per_unit(" per lift a year").as_deref(), Some("lift"));
        assert_eq!(per_unit(" a year)").as_deref(), Some("year"));
        assert_eq!(per_unit(" per annum").as_deref(), Some("year"));
        assert_eq!(per_unit(" each, and").as_deref(), Some("each"));
        assert_eq!(per_unit(" a place.").as_deref(), Some("place"));
        assert_eq!(per_unit(" for a Band D property").as_deref(), Some("band"));
        assert_eq!(per_unit(" a further £2m"), None);
        assert_eq!(per_unit(", a tonne"), None);
        assert_eq!(per_unit(" is the total"), None);
    }

    #[test]
    fn outside_its_clause_an_amount_may_be_of_any_period_its_sentence_names() {
        let mut p = Prose::default();
        p.add_text(0, "The contract was awarded in April 2021 for seven years, to 31 March 2028, with an estimated value of £2,618,000.");
        let years: Vec<u32> = p.periods(0).iter().map(|q| q.value).collect();
        assert_eq!(years, [2021, 2028]);
        // Within its clause, the nearest of each kind.
        let mut p = Prose::default();
        p.add_text(0, "Funding in 2024/25 is £113,040 less than in 2023/24.");
        let years: Vec<u32> = p.periods(0).iter().map(|q| q.value).collect();
        assert_eq!(years, [2024]);
        // A period said straight after an amount is that amount's, though another's is nearer.
        let mut p = Prose::default();
        p.add_text(0, "Spend fell from £946,800 in 2022 to £512,830 in 2023.");
        let years = |i: usize| p.periods(i).iter().map(|q| q.value).collect::<Vec<u32>>();
        assert_eq!(years(0), [2022]);
        assert_eq!(years(1), [2023]);
    }
}
