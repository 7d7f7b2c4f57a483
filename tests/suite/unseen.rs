//! Papers nobody on the team had seen when the checks were written: six papers of six councils
//! written from the facts of real decisions (tests/fixtures/unseen), and a second set written
//! afterwards by someone who had read neither the first set nor the code
//! (tests/fixtures/unseen-2), and a third, weighted to correct papers (tests/fixtures/unseen-3),
//! each clean and with one slip planted at a time. The clean papers
//! must give no finding at all, and each slip must be reported with its code at its line, and
//! nothing else with it. The second set's slips that clerk does not yet catch are listed by
//! name below, so a regression and an improvement both show.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::repo;

fn unseen() -> PathBuf {
    repo().join("tests/fixtures/unseen")
}

fn second() -> PathBuf {
    repo().join("tests/fixtures/unseen-2")
}

fn third() -> PathBuf {
    repo().join("tests/fixtures/unseen-3")
}

fn fourth() -> PathBuf {
    repo().join("tests/fixtures/unseen-4")
}

fn fifth() -> PathBuf {
    repo().join("tests/fixtures/unseen-5")
}

/// The first set's slips clerk misses since issue 18, when a slip became an error only where
/// evidence says the amount is the figure (the set was all caught before, by value alone).
const FIRST_NOT_YET_CAUGHT: &[&str] = &[
    // "£200,000" for £20,000 a home: one significant digit, one edit from almost any figure;
    // unexplained (C0403).
    "09-extra-or-missing-zero-hf-refurbishment-per-home",
    // "The recommended budget of £85.412" for £85.412m: linked by value alone, reported as a
    // possible slip (C0409, a warning), not an error: its words name no fact's label.
    "15-missing-unit-fire-recommended-budget",
    // "The £7.4k for bridges and structures" for the 2023/24 subtotal of £7,400 (£000): the
    // words share only the year and "proposed" with the subtotal's label, and a period or a
    // generic word singles no fact out; a scale slip of two digits on value alone is too
    // likely among the paper's facts (unexplained, C0403).
    "11-k-for-m-devon-structures",
    // "The plan uses £4,159,000" for the £4,158,960 total: a rounding to the thousand written
    // to the pound. On value alone its chance is that of a four-digit amount (one of 9,000
    // values) landing on one of the paper's figures, not of a seven-digit one; its words
    // ("plan", "uses") name no fact, so it is unexplained (C0403).
    "01-near-miss-coventry-plan-total",
];

/// The fifth set's slips clerk misses today (written from outside, by someone who read only
/// the README, the docs and the example papers). Since the engine weighs evidence (issue 18),
/// "A and B together account for more than £350,000" (10) is caught: the bound is checked
/// against the sum its sentence names.
const FIFTH_NOT_YET_CAUGHT: &[&str] = &[
    // Caught, as C0401 (one digit from the table's legal costs) rather than C0405.
    "07-stated-sum-swansea",
    // Reported as a wrong percentage (C0408) and as unexplained (C0403): the right increase is
    // itself a difference of two amounts, so the extra zero is not named.
    // "Seventy applications, 57% of those received": a count written as a word, its whole
    // in the sentence before.
    "11-share-bristol",
];

/// Findings on the fifth set's correct papers that are false, each with why: a list to
/// shorten, never to pad.
const FIFTH_FALSE_FINDINGS: &[(&str, &str)] = &[
    // "The average grant is £8,500": £595,000 ÷ 70, a division by a count of the table.
    ("C0403", "£8,500"),
    // "for seven months … about £83,000": a year's £142,350 (said in the paragraph before)
    // × 7/12.
    ("C0403", "£83,000"),
];

/// The fourth set's slips clerk misses today (written last, by someone who had read none of
/// the code or the other sets; its clean papers' five false findings are fixed).
const FOURTH_NOT_YET_CAUGHT: &[&str] = &[
    // "It is 20.0% of the Highways Maintenance Block of £30.413m": a sum of two cells (needs
    // and incentive) with two digits swapped, which the sentence does not say is a sum; on
    // value alone, among every pair of the paper's facts, chance is too likely (issue 18's
    // rule: a sum of facts is a slip only where its words or its sentence say so). C0403.
    "16-transposed-digits-norfolk-maintenance-block",
    // A zero too many, or the unit left off, where too many figures are one edit away:
    // reported as unexplained (C0403).
    "04-extra-zero-cheshire-west-to-spare",
    "06-missing-unit-hertfordshire-illiquids",
    // A sum of two cells of different tables written wrong.
    "07-bad-sum-combination-cheshire-west-swimming",
    // A bound said of an amount given in another paragraph.
    "09-bound-false-bristol-net-receipt",
    // Caught, as C0401 (one digit from the sum of its parts) rather than C0405.
    "10-stated-sum-ceredigion-average-band-d",
];

/// The third set's slips clerk misses today (the set was written after the second was caught,
/// by someone who had read neither the code nor the other sets), each with why. Since issue
/// 18, 16 is caught (a sum of the rows its words name) and 01 missed.
const THIRD_NOT_YET_CAUGHT: &[&str] = &[
    // "the three extension years would add £2.75m" for 3 × £913,500: a product of a fact of
    // the paper (not of its sentence) and a count, a near miss that chance among the paper's
    // facts times its counts makes too likely to call (C0403).
    "01-near-miss-merton-extension-years",
    // One digit wrong, and a different cell of the table happens to make the amount.
    // Caught (C0401), with the record's repetition of the right amount reported beside it.
    // Sums of table rows written wrong: reported as unexplained (C0403), not as slips.
    "13-bad-sum-combination-merton-budget-headroom",
    // "the fee would be £111 below the current regional average" for £80 + £30: the words
    // share "fee" and "increase" with the two cells, a generic word and one of a long label's,
    // which single no pair out; on value alone a sum of two cells one pound off is too likely
    // (unexplained, C0403).
    "14-bad-sum-combination-durham-regional-gap",
    // A sum whose total is named in the sentence before.
    "21-stated-sum-oldham-match-funding-parts",
];

/// Slips of the second set clerk misses today, each with why: a list to shorten, never to pad.
/// Since issue 18 (verdicts by evidence), 07 is caught (its words name the home care rate)
/// and five are missed that were caught by value alone before (04, 09, 10, 11, 12).
const NOT_YET_CAUGHT: &[&str] = &[
    // A near miss of a sum whose two facts clerk cannot tell from a chance pair at £0.1m.
    "02-near-miss-nycc-funding-pair",
    // One digit wrong in an amount of few significant digits, where chance puts too many
    // figures one digit away: reported as unexplained (C0403), not as a slip.
    "08-wrong-digit-avon-savings-equivalent",
    // "reduce the annual cost of transport … by £86,480": the table's "annual saving" is named
    // outside the amount's clause, and on value alone a one-digit change of a five-digit
    // amount is too likely among the paper's facts: unexplained (C0403).
    "09-wrong-digit-surrey-annual-saving",
    // "£74,000 for the Eureka! project" where the table's row (not naming Eureka!) holds 740
    // (£000): two significant digits, linked by value alone, too likely by chance (C0403).
    "10-missing-zero-wirral-eureka",
    // "an uplift of 3% up to £12,000 per week": a cap of a rule, which bounds are never
    // slipped from by value; the figure's name (`above_acoc_cap`) is not said in full.
    "11-extra-zero-nycc-cap",
    // "£189.9m" and "£41.9k" (for £198.9m and £41.9m): their words agree only with the
    // table's caption, which every cell shares and which says which table, not which cell; on
    // value alone chance is too likely. Unexplained (C0403).
    "04-transposed-croydon-core-value",
    "12-k-for-m-croydon-gas",
    // A sum of two rows with one digit wrong: a combination is named only as a near miss or
    // with two digits swapped; reported as unexplained (C0403).
    "16-bad-sum-nycc-care-homes",
    // A bound said of an amount worked out elsewhere ("£762,850 a year" over "three years").
    "21-bound-false-surrey-initial-term",
    // A bound said of an amount in the previous sentence.
    "23-bound-false-wodc-self-funding",
];

type Finding = (String, String, u64, String);

/// clerk's findings on a tree: (code, file, line, message).
fn findings(tree: &Path) -> Vec<Finding> {
    let (_, stdout, _) =
        crate::common::Clerk::new(&["check", tree.to_str().unwrap(), "--format", "json"]).run();
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").replace('\\', "/"),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A scenario's `slip.yaml`: what was planted, and where clerk must report it.
struct Slip {
    code: String,
    file: String,
    line: u64,
    text: String,
}

fn slip(dir: &Path) -> Slip {
    let yaml = fs::read_to_string(dir.join("slip.yaml")).unwrap();
    let field = |name: &str| {
        yaml.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{}: no {name}", dir.display()))
            .trim()
            .trim_matches('"')
            .to_string()
    };
    Slip {
        code: field("code"),
        file: field("file"),
        line: field("line").parse().unwrap(),
        text: field("text"),
    }
}

/// Whether a finding reports the slip: its code, at its line (a table total that does not add
/// up is reported on the total row, below the wrong cell, in the same table).
fn reports(f: &Finding, s: &Slip, lines: &[&str]) -> bool {
    let in_table_below = |line: u64| {
        line >= s.line
            && (s.line..=line).all(|l| {
                lines
                    .get(l as usize - 1)
                    .is_some_and(|t| t.trim_start().starts_with('|'))
            })
    };
    // A total that does not add up may be a subtotal (C0202) as much as a total (C0201).
    let code = f.0 == s.code || (s.code == "C0201" && f.0 == "C0202");
    code && f.1.ends_with(&s.file) && (f.2 == s.line || (s.code == "C0201" && in_table_below(f.2)))
}

/// Whether a finding is one of the known false findings of a set's clean papers (which its
/// slips, copies of those papers, carry too): a code and an amount its message names.
fn is_listed(f: &Finding, known_false: &[(&str, &str)]) -> bool {
    known_false
        .iter()
        .any(|(code, amount)| f.0 == *code && f.3.contains(amount))
}

/// The scenarios of a set whose slip is not reported at its line, alone (leaving out the
/// set's known false findings).
fn missed(set: &Path, known_false: &[(&str, &str)]) -> Vec<String> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(set.join("slips"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("slip.yaml").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 12, "only {} scenarios", dirs.len());
    let mut missed = Vec::new();
    for dir in &dirs {
        let s = slip(dir);
        let source = fs::read_to_string(dir.join(&s.file)).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        let planted = lines.get(s.line as usize - 1).copied().unwrap_or("");
        assert!(
            planted.contains(&s.text),
            "{}: line {} lacks {:?}",
            dir.display(),
            s.line,
            s.text
        );
        let found: Vec<Finding> = findings(dir)
            .into_iter()
            .filter(|f| !is_listed(f, known_false))
            .collect();
        if found.len() != 1 || !reports(&found[0], &s, &lines) {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            missed.push(format!(
                "{name}: want {} at line {}, got {found:?}",
                s.code, s.line
            ));
        }
    }
    missed
}

#[test]
fn the_clean_papers_give_no_finding() {
    for set in [unseen(), second(), third(), fourth()] {
        let found = findings(&set.join("clean"));
        assert!(found.is_empty(), "findings on correct papers: {found:#?}");
    }
    let found = findings(&fifth().join("clean"));
    let unlisted: Vec<&Finding> = found
        .iter()
        .filter(|f| !is_listed(f, FIFTH_FALSE_FINDINGS))
        .collect();
    assert!(
        unlisted.is_empty(),
        "findings on correct papers: {unlisted:#?}"
    );
    let gone: Vec<_> = FIFTH_FALSE_FINDINGS
        .iter()
        .filter(|(code, amount)| !found.iter().any(|f| f.0 == *code && f.3.contains(amount)))
        .collect();
    assert!(
        gone.is_empty(),
        "no longer found, strike from FIFTH_FALSE_FINDINGS: {gone:?}"
    );
}

#[test]
fn the_first_sets_slips_are_caught_but_for_those_listed() {
    caught_but_for(&unseen(), FIRST_NOT_YET_CAUGHT, &[]);
}

#[test]
fn the_second_sets_slips_are_caught_but_for_those_listed() {
    caught_but_for(&second(), NOT_YET_CAUGHT, &[]);
}

#[test]
fn the_third_sets_slips_are_caught_but_for_those_listed() {
    caught_but_for(&third(), THIRD_NOT_YET_CAUGHT, &[]);
}

#[test]
fn the_fourth_sets_slips_are_caught_but_for_those_listed() {
    caught_but_for(&fourth(), FOURTH_NOT_YET_CAUGHT, &[]);
}

#[test]
fn the_fifth_sets_slips_are_caught_but_for_those_listed() {
    caught_but_for(&fifth(), FIFTH_NOT_YET_CAUGHT, FIFTH_FALSE_FINDINGS);
}

fn caught_but_for(set: &Path, not_yet: &[&str], known_false: &[(&str, &str)]) {
    let missed = missed(set, known_false);
    let unexpected: Vec<&String> = missed
        .iter()
        .filter(|m| !not_yet.iter().any(|n| m.starts_with(n)))
        .collect();
    let now_caught: Vec<&&str> = not_yet
        .iter()
        .filter(|n| !missed.iter().any(|m| m.starts_with(*n)))
        .collect();
    assert!(
        unexpected.is_empty(),
        "missed, and not listed:\n{unexpected:#?}"
    );
    assert!(
        now_caught.is_empty(),
        "caught now: take them off the list: {now_caught:?}"
    );
}
