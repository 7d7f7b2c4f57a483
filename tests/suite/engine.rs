//! The reconciliation engine seen from outside: verdicts graded by evidence, the examples of
//! issue 18 as general rules, chance bounded (the noise test), cost linear, and the policy
//! table's every setting pinned by a test that exists.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{repo, Clerk};

const FRONT: &str =
    "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\n---\n\n";

/// A tree holding one report with `body` after a minimal front matter.
fn paper(body: &str) -> tempfile::TempDir {
    paper_with(FRONT, body)
}

fn paper_with(front: &str, body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("council.yaml"),
        "name: Test Council\njurisdiction: England\nemail_domains: [test.gov.uk]\n",
    )
    .unwrap();
    let p = dir.path().join("paper");
    fs::create_dir(&p).unwrap();
    fs::write(p.join("report.md"), format!("{front}{body}")).unwrap();
    dir
}

/// A finding as (code, severity, line, message).
type Finding = (String, String, u64, String);

/// clerk's JSON on a tree: its findings and its amounts.
fn check(dir: &Path) -> (Vec<Finding>, Vec<serde_json::Value>) {
    let (_, stdout, stderr) =
        Clerk::new(&["check", dir.to_str().unwrap(), "--format", "json"]).run();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let found = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["severity"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let amounts = doc["amounts"].as_array().cloned().unwrap_or_default();
    (found, amounts)
}

fn errors(found: &[Finding]) -> Vec<&Finding> {
    found.iter().filter(|f| f.1 == "error").collect()
}

/// A pseudo-random sequence, the same every run.
fn sequence(seed: u64, n: usize, low: u64, high: u64) -> Vec<u64> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            low + x % (high - low)
        })
        .collect()
}

fn pounds(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

#[test]
fn noise_gives_few_errors() {
    // 1,000 amounts said of nothing against 1,000 unrelated cells: chance alone links them.
    let cells = sequence(7, 1000, 1_000, 9_999_999);
    let said = sequence(11, 1000, 1_000, 9_999_999);
    let mut body = String::from("| Item | Cost |\n|---|---:|\n");
    for (i, c) in cells.iter().enumerate() {
        body.push_str(&format!("| Item {i} | {} |\n", pounds(*c)));
    }
    for s in &said {
        body.push_str(&format!("\nIt costs {}.\n", pounds(*s)));
    }
    let dir = paper(&body);
    let (found, amounts) = check(dir.path());
    let errs = errors(&found);
    assert!(
        errs.len() <= 5,
        "{} errors: {:?}",
        errs.len(),
        &errs[..errs.len().min(10)]
    );
    assert_eq!(amounts.len(), 1000);
}

#[test]
fn a_coarse_amount_is_explained_by_the_fact_its_words_name() {
    // The record's "in-year saving of £1m" is the report's £1.1m saving, not Project Salus's
    // £860,400, which a bare "£1m" also rounds from.
    let (_, amounts) = check(&repo().join("papers/20-00017-early-help"));
    let saving = amounts
        .iter()
        .find(|a| a["file"].as_str().unwrap().ends_with("decision.md") && a["text"] == "£1m")
        .expect("the record's £1m");
    assert_eq!(saving["verdict"], "explained", "{saving}");
    let why = saving["explanation"].as_str().unwrap();
    assert!(why.contains("£1,100,000"), "{saving}");
    assert!(!why.contains("860,400"), "{saving}");
}

#[test]
fn a_precise_amount_one_edit_from_a_figure_is_a_slip() {
    let front = "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\nfigures:\n  allocation: \"£69,974,070\"\n---\n\n";
    let dir = paper_with(
        front,
        "The indicative settlement is £69,947,070 over three years.\n",
    );
    let (found, _) = check(dir.path());
    assert!(
        found
            .iter()
            .any(|f| f.0 == "C0401" && f.1 == "error" && f.3.contains("swapped")),
        "{found:?}"
    );
}

#[test]
fn a_sum_of_the_facts_its_words_name_is_a_slip_when_one_edit_off() {
    let body = "| Service | Cost of uplift £000 |\n|---|---:|\n| Residential care | 6,396 |\n| Nursing care | 3,978 |\n| Home care | 5,040 |\n| Supported living | 3,192 |\n| Total | 18,606 |\n\nHome care accounts for £5.04m of the cost, and residential and nursing care together for £10.734m.\n";
    let (found, _) = check(paper(body).path());
    assert!(
        found
            .iter()
            .any(|f| f.0 == "C0401" && f.3.contains("£10.734m")),
        "{found:?}"
    );
    // Written right, nothing.
    let (found, _) = check(paper(&body.replace("£10.734m", "£10.374m")).path());
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn an_amount_worked_out_from_its_paragraph_is_explained() {
    let body = "A 9.17% uplift on the rate of £602.64 gives £657.90 a week. For a full year (52 weeks) a placement at the new rate costs £34,210.80.\n";
    let (found, _) = check(paper(body).path());
    assert!(found.is_empty(), "{found:?}");
    // One digit wrong is a slip of the paragraph's own arithmetic.
    let (found, _) = check(paper(&body.replace("£34,210.80", "£34,270.80")).path());
    assert!(found.iter().any(|f| f.0 == "C0401"), "{found:?}");
}

#[test]
fn a_bound_is_checked_against_the_quantity_it_names() {
    let body = "| Item | Amount |\n|---|---:|\n| Highways maintenance contract value | £10,575,000 |\n| Small works | £25,000 |\n\nThe highways maintenance contract value, not exceeding £10.5m, is within the budget.\n\nUnder standing orders, contracts of more than £250,000 need Cabinet approval.\n";
    let (found, amounts) = check(paper(body).path());
    let bound: Vec<_> = found.iter().filter(|f| f.0 == "C0404").collect();
    assert_eq!(bound.len(), 1, "{found:?}");
    assert!(bound[0].3.contains("“not exceeding £10.5m”"), "{found:?}");
    // The standing order's threshold is a rule: one scale step from the £25,000 cell, it is
    // neither checked nor a slip.
    assert!(!found.iter().any(|f| f.3.contains("£250,000")), "{found:?}");
    let rule = amounts
        .iter()
        .find(|a| a["text"] == "more than £250,000")
        .unwrap();
    assert_eq!(rule["verdict"], "bound", "{rule}");
}

#[test]
fn a_prose_only_reserve_is_no_slip_of_a_table_in_thousands() {
    // "£0.181m" is not "in thousands where it means millions" of an outturn of £181,063,000:
    // its words name another thing, and on value alone (its first three digits, at some
    // scale) a paper of a dozen amounts could show that by chance.
    let mut body =
        String::from("Table 1: Outturn £000 {#table-1}\n\n| Service | Outturn |\n|---|---:|\n");
    let services = [
        ("Adult Services", 181_063),
        ("Children's Services", 96_412),
        ("Public Health", 31_877),
        ("Highways", 24_519),
        ("Waste", 41_203),
        ("Libraries", 8_734),
        ("Planning", 6_215),
        ("Housing", 12_908),
        ("Corporate", 19_344),
        ("Culture", 4_471),
    ];
    for (name, k) in services {
        body.push_str(&format!(
            "| {name} | {} |\n",
            pounds(k).trim_start_matches('£')
        ));
    }
    body.push('\n');
    for (name, k) in services {
        body.push_str(&format!("{name} spent {}.\n\n", pounds(k * 1000)));
    }
    body.push_str("The service also holds a small reserve of £0.181m for equipment.\n");
    let (found, amounts) = check(paper(&body).path());
    assert!(errors(&found).is_empty(), "{found:?}");
    let reserve = amounts.iter().find(|a| a["text"] == "£0.181m").unwrap();
    assert_ne!(reserve["verdict"], "slip", "{reserve}");
}

#[test]
fn counts_of_two_years_are_not_swapped_digits() {
    let body = "In 2023/24 the service supported 1,243 households.\n\nIn 2024/25 it supported 1,234 households.\n";
    let (found, _) = check(paper(body).path());
    assert!(found.is_empty(), "{found:?}");
    // Of one year, they are a slip, with the count's own code.
    let body = body.replace("2024/25", "2023/24");
    let (found, _) = check(paper(&body).path());
    assert!(found.iter().any(|f| f.0 == "C0411"), "{found:?}");
    assert!(!found.iter().any(|f| f.0 == "C0408"), "{found:?}");
}

#[test]
fn every_amount_is_listed_with_its_verdict_and_explain_prints_a_line() {
    let (_, amounts) = check(&repo().join("tests/fixtures/seeds/20-00017-early-help"));
    let slip = amounts
        .iter()
        .find(|a| a["text"] == "£425,484" && a["file"].as_str().unwrap().ends_with("report.md"))
        .expect("the seed's slip");
    assert_eq!(slip["verdict"], "slip");
    for key in [
        "file",
        "line",
        "column",
        "subject",
        "explanation",
        "evidence",
    ] {
        assert!(!slip[key].is_null(), "{key} missing: {slip}");
    }
    let line = slip["line"].as_u64().unwrap().to_string();
    let place = format!("tests/fixtures/seeds/20-00017-early-help/report.md:{line}");
    let (code, stdout, _) = Clerk::new(&["explain", &place]).run();
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("£425,484 — slip"), "{stdout}");
    assert!(stdout.contains("said of:"), "{stdout}");
    let (code, _, _) = Clerk::new(&[
        "explain",
        "tests/fixtures/seeds/20-00017-early-help/report.md:1",
    ])
    .run();
    assert_eq!(code, 2);
}

/// How long `clerk check` takes on a tree.
fn timed(dir: &Path) -> Duration {
    let start = Instant::now();
    let (_, _, stderr) = Clerk::new(&["check", dir.to_str().unwrap(), "--quiet"]).run();
    assert!(!stderr.contains("panicked"), "{stderr}");
    start.elapsed()
}

#[test]
fn amounts_in_one_sentence_cost_linear_time() {
    // A 100 KB line of "£1" (over 60 s before) and 4,000 amounts in one sentence.
    let line = "£1 ".repeat(33_000);
    assert!(timed(paper(&format!("{line}\n")).path()) < Duration::from_secs(30));
    let many: Vec<String> = sequence(3, 4000, 1_000, 9_999_999)
        .into_iter()
        .map(pounds)
        .collect();
    let body = format!("The costs are {}.\n", many.join(", "));
    assert!(timed(paper(&body).path()) < Duration::from_secs(30));
}

#[test]
fn many_facts_cost_linear_time() {
    // 2,000 rows and 2,000 amounts said of nothing: no table size switches the search off,
    // and none makes it quadratic.
    let cells = sequence(5, 2000, 1_000, 9_999_999);
    let mut body = String::from("| Item | Cost |\n|---|---:|\n");
    for (i, c) in cells.iter().enumerate() {
        body.push_str(&format!("| Item {i} | {} |\n", pounds(*c)));
    }
    for s in sequence(13, 2000, 1_000, 9_999_999) {
        body.push_str(&format!("\nIt costs {}.\n", pounds(s)));
    }
    assert!(timed(paper(&body).path()) < Duration::from_secs(30));
}

#[test]
fn every_setting_of_the_policy_names_a_test_that_exists() {
    let dir = repo().join("src/check/reconcile");
    let policy = fs::read_to_string(dir.join("policy.rs")).unwrap();
    let mut sources = String::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_type().is_file() {
            sources.push_str(&fs::read_to_string(entry.path()).unwrap());
        }
    }
    sources.push_str(&fs::read_to_string(repo().join("tests/suite/engine.rs")).unwrap());
    let named: Vec<&str> = policy
        .lines()
        .filter_map(|l| l.trim().strip_prefix("test: \""))
        .map(|l| l.trim_end_matches("\","))
        .collect();
    assert!(named.len() >= 10, "{named:?}");
    for test in named {
        let name = test.rsplit("::").next().unwrap();
        assert!(
            sources.contains(&format!("fn {name}(")),
            "the policy names {test}, which does not exist"
        );
    }
}

#[test]
fn an_amount_nearer_the_one_a_percentage_adjusts_is_no_slip_of_the_adjustment() {
    // £160m and the 2% rise are of the levy; the £161m of the pension fund is nearer £160m than
    // £160m × 102% (£163.2m): no slip of the rise.
    let body = "The levy of £160m rose by 2% last year. The pension fund holds £161m of the county's assets.\n";
    let (found, _) = check(paper(body).path());
    assert!(
        !found
            .iter()
            .any(|f| f.1 == "error" && f.3.contains("£161m")),
        "{found:?}"
    );
    // An amount past the unadjusted one is still a slip of the adjustment: £163.2m written
    // £162.3m.
    let body = "The levy of £160m rises by 2% to £162.3m next year.\n";
    let (found, _) = check(paper(body).path());
    assert!(
        found.iter().any(|f| f.0 == "C0408" || f.0 == "C0401"),
        "{found:?}"
    );
}

#[test]
fn a_shared_word_or_period_alone_makes_no_error_of_a_far_table() {
    // "investment" is all the sentence shares with the actual treasury investments (one word of
    // the cell's three), and five rows carry it: the sentence is of the income budget's
    // portfolio, and £442m is not a slip of £446m.
    let body = "| Balance sheet | Actual £m |\n|---|---:|\n| Treasury investments | 446 |\n| Property investments | 305 |\n| Strategic investments | 127 |\n| Investments in companies | 253 |\n| Investments held for sale | 139 |\n| Total | 1,270 |\n\nThe income budget assumes an average investment portfolio of £442m.\n";
    let (found, _) = check(paper(body).path());
    assert!(!found.iter().any(|f| f.1 == "error"), "{found:?}");
    // Named by the row's words, the same amount is a slip.
    let (found, _) = check(
        paper(&body.replace(
            "an average investment portfolio of £442m",
            "actual treasury investments of £442m",
        ))
        .path(),
    );
    assert!(
        found.iter().any(|f| f.0 == "C0401" && f.1 == "error"),
        "{found:?}"
    );
}

#[test]
fn a_round_amount_near_a_cell_is_no_slip_on_value_alone() {
    // "£120,000 per kilometre" is two significant digits: any cell from £115,000 to £124,999
    // rounds to it, so a cell of £115,000 (a fall, in brackets) is no evidence of a slip.
    let body = "Table 1: Programme (£000) {#table-1}\n\n| Scheme | 2025/26 | 2026/27 | Change |\n|---|---:|---:|---:|\n| Resurfacing | 18,420 | 19,680 | 1,260 |\n| Footways | 3,290 | 3,175 | (115) |\n| Drainage | 4,125 | 4,560 | 435 |\n| Total | 25,835 | 27,415 | 1,580 |\n\nThe works cost £120,000 per site this year.\n";
    let (found, _) = check(paper(body).path());
    assert!(errors(&found).is_empty(), "{found:?}");
}

#[test]
fn an_approximate_total_is_explained_by_its_rounded_parts() {
    let body = "The three charges together raise about £155k: £126k from permits, £15k from bins and £13k from collections.\n";
    let (found, _) = check(paper(body).path());
    assert!(errors(&found).is_empty(), "{found:?}");
    // Beyond the parts' rounding it is a slip.
    let (found, _) = check(paper(&body.replace("£155k", "£158k")).path());
    assert!(!errors(&found).is_empty(), "{found:?}");
}

#[test]
fn a_tables_total_row_says_its_count_once_and_its_numbers_side_by_side() {
    // Prose says 48 once and the table's total row says it again: 46 said once is a slip.
    let table = "Table 3: Savings {#table-3}\n\n| Status | Number of proposals |\n|---|---:|\n| Delivered | 30 |\n| At risk | 18 |\n| Total | 48 |\n\n";
    let body = format!("{table}The budget included 46 savings proposals.\n\nOf the 48 proposals, 30 are delivered.\n");
    let (found, _) = check(paper(&body).path());
    assert!(
        found
            .iter()
            .any(|f| f.0 == "C0411" && f.3.starts_with("46 proposals here, but 48")),
        "{found:?}"
    );
    // Without the table, two counts said once each are two honest numbers.
    let (found, _) = check(
        paper(
            "The budget included 46 savings proposals.\n\nOf the 48 proposals, 30 are delivered.\n",
        )
        .path(),
    );
    assert!(!found.iter().any(|f| f.0 == "C0411"), "{found:?}");
    // A total row's numbers are said side by side (a whole and its part), and money beside
    // a count is no number of it.
    let table = "| Area | Applications | Recommended |\n|---|---:|---:|\n| North | 30 | 20 |\n| South | 28 | 18 |\n| Total | 58 | 38 |\n\n";
    let body = format!("{table}The Council received 58 applications for £38,000 of grants.\n\nIt approves the 38 applications that scored well.\n");
    let (found, _) = check(paper(&body).path());
    assert!(!found.iter().any(|f| f.0 == "C0411"), "{found:?}");
}

/// The chance an explanation by value alone states is worked out for its kind: a sum of
/// three cells of a column is drawn from more combinations than a sum of two, so chance would
/// give one more often; arithmetic its own sentence states is no chance at all.
#[test]
fn a_combination_on_value_alone_states_its_own_chance() {
    let cells = [
        183_417u64, 264_905, 317_288, 402_651, 128_734, 591_023, 236_870, 745_119, 352_486, 419_807,
    ];
    let mut table = String::from("| Scheme | Cost (£) |\n|---|---:|\n");
    for (k, v) in cells.iter().enumerate() {
        table.push_str(&format!("| Scheme {} | {} |\n", k + 1, pounds(*v)));
    }
    let pair = cells[0] + cells[1];
    let three = cells[2] + cells[4] + cells[7];
    let body = format!(
        "## Costs\n\n{table}\n1.1 The figure is {}.\n\n1.2 Another figure is {}.\n\n\
         1.3 We spend £10,000 and £5,000, £15,000 together.\n",
        pounds(pair),
        pounds(three)
    );
    let dir = paper(&body);
    let (_, amounts) = check(dir.path());
    let chance = |written: &str| -> f64 {
        let a = amounts
            .iter()
            .find(|a| a["text"] == written)
            .unwrap_or_else(|| panic!("{written} missing: {amounts:?}"));
        assert_eq!(a["verdict"], "explained", "{a}");
        let ev = a["evidence"].as_str().unwrap();
        let at = ev.find("chance ").unwrap_or_else(|| panic!("{ev}")) + 7;
        ev[at..].trim_end_matches(')').parse().unwrap()
    };
    let of_pair = chance(&pounds(pair));
    let of_three = chance(&pounds(three));
    assert!(of_pair > 0.0 && of_pair < of_three, "{of_pair} {of_three}");
    assert!(of_three < 0.1, "{of_three}");
    let own = amounts.iter().find(|a| a["text"] == "£15,000").unwrap();
    assert!(
        own["evidence"].as_str().unwrap().contains("sentence"),
        "{own}"
    );
}

/// Recommendations typed as paragraphs after "2. Members are asked:" end at a sub-heading
/// typed in bold, and at the paragraph numbered next ("3."): neither is a recommendation.
#[test]
fn typed_recommendations_end_at_a_bold_heading_and_the_next_numbered_paragraph() {
    let front = "---\ntitle: A paper\nclassification: Unrestricted\nkey_decision: false\n\
        recommendations:\n  - id: \"1\"\n    text: To approve the grants.\n  - id: \"2\"\n    \
        text: To note the outcomes.\n---\n\n";
    for between in [
        "**How does this contribute to our policies?**\n\n3. The grants deliver the plan.\n",
        "3. The grants deliver the plan.\n",
    ] {
        let body = format!(
            "## Recommendations\n\n2. Members are asked:\n\nTo approve the grants.\n\n\
             To note the outcomes.\n\n{between}\n4. More text of the report.\n"
        );
        let dir = paper_with(front, &body);
        let (found, _) = check(dir.path());
        let recs: Vec<_> = found.iter().filter(|f| f.0.starts_with("C06")).collect();
        assert!(recs.is_empty(), "{between}: {recs:?}");
    }
    // A recommendation typed in the body and not in the front matter is still found.
    let body = "## Recommendations\n\n2. Members are asked:\n\nTo approve the grants.\n\n\
        To note the outcomes.\n\nTo agree a third thing.\n\n**Background**\n\n3. Text.\n";
    let (found, _) = check(paper_with(front, body).path());
    let extra: Vec<_> = found.iter().filter(|f| f.0 == "C0602").collect();
    assert_eq!(extra.len(), 1, "{found:?}");
}

/// An amount more precise than the rounded parts of its sentence cannot be checked against
/// them ("£14.604m for the year, against a budget of £11.9m, a pressure of £2.7m"): no slip.
/// One beyond their rounding still is.
#[test]
fn an_amount_finer_than_its_sentences_rounded_parts_is_no_slip_of_them() {
    let ok = "1.1 The forecast assumes 41 children placed at an average of £6,850 a week for \
              52 weeks, £14.604m for the year, against a placements budget of £11.9m, a \
              pressure of £2.7m.\n";
    let (found, _) = check(paper(ok).path());
    assert!(errors(&found).is_empty(), "{found:?}");
    let slip = "1.1 The costs are £15.604m for the year, against a placements budget of \
                £11.904m, a pressure of £2.7m.\n";
    let (found, _) = check(paper(slip).path());
    assert!(!errors(&found).is_empty(), "{found:?}");
}

/// A summary says a figure before the body works it out: the first mention is explained by
/// the later one, not reported as unexplained.
#[test]
fn an_amount_said_first_in_a_summary_is_explained_where_the_body_works_it_out() {
    let body = "## Key issues\n\n- £21,725 remains unallocated.\n\n## Detail\n\n\
        8. The grants of £439,025 are 95.3% of the £460,750 available, leaving £21,725 \
        unallocated.\n";
    let (found, amounts) = check(paper(body).path());
    assert!(!found.iter().any(|f| f.3.contains("£21,725")), "{found:?}");
    let first = amounts.iter().find(|a| a["text"] == "£21,725").unwrap();
    assert_eq!(first["verdict"], "explained", "{first}");
    // Never explained anywhere: still reported.
    let body = "## Key issues\n\n- £21,725 remains unallocated.\n";
    let (found, _) = check(paper(body).path());
    assert!(found.iter().any(|f| f.0 == "C0403"), "{found:?}");
}

/// "2.5% of its budget": the whole is the budget of what the sentence names (the cell of its
/// row, in a column the phrase names), and a share that does not fit it is an error.
#[test]
fn a_percentage_of_its_budget_is_of_the_row_the_sentence_names() {
    let table = "Table 1: Forecast (£000) {#table-1}\n\n\
        | Directorate | Approved budget | Forecast | Variance |\n|---|---:|---:|---:|\n\
        | Adult Social Care | 112,380 | 114,905 | 2,525 |\n\
        | Children's Services | 78,450 | 83,126 | 4,676 |\n\
        | Total | 190,830 | 198,031 | 7,201 |\n";
    for (said, wrong) in [("2.2%", false), ("2.5%", true)] {
        let body = format!(
            "{table}\n4.3 Adult Social Care is forecast to overspend by £2.525m ({said} of its \
             budget), mainly on home care.\n"
        );
        let (found, _) = check(paper(&body).path());
        let shares: Vec<_> = found.iter().filter(|f| f.0 == "C0408").collect();
        assert_eq!(shares.len(), usize::from(wrong), "{said}: {found:?}");
    }
}

/// "63% of the new allocations": two words name the total that carries them both, so a share
/// that fits another total (the whole programme) is still wrong; one generic word ("63% of
/// the total") may mean any total.
#[test]
fn a_percentage_of_a_whole_named_by_two_words_is_of_that_whole() {
    let tables = "Table 1: Funding of new allocations (£000) {#table-1}\n\n\
        | Source | Amount |\n|---|---:|\n| Highways Maintenance Block | 21,712 |\n\
        | Integrated Transport Block | 9,334 |\n| Total new allocations | 31,046 |\n\n\
        Table 2: Programme (£000) {#table-2}\n\n\
        | Source | Amount |\n|---|---:|\n| New | 31,046 |\n| Carried forward | 3,536 |\n\
        | Total programme | 34,582 |\n";
    for (said, errs) in [
        ("70% of the new allocations", 0),
        ("63% of the new allocations", 1),
        ("63% of the total", 0),
    ] {
        let body = format!(
            "{tables}\n1.3 The Highways Maintenance Block accounts for £21.712m, or {said}.\n"
        );
        let (found, _) = check(paper(&body).path());
        let shares: Vec<_> = found.iter().filter(|f| f.0 == "C0408").collect();
        assert_eq!(shares.len(), errs, "{said}: {found:?}");
    }
}

/// "will not exceed £1.5m" and "does not exceed £250,000" are bounds, as "not exceeding" is:
/// explained by nothing, never an amount agreeing with figures; and of two facts its sentence
/// names in full, a bound is checked against the one it says more words of.
#[test]
fn exceed_in_any_form_makes_a_bound_checked_against_its_most_named_fact() {
    let table = "Table 1: Programme (£000) {#table-1}\n\n| Item | 2026/27 |\n|---|---:|\n\
        | Resurfacing | 40,000 |\n| Bridges | 18,575 |\n| Total structural maintenance | 58,575 |\n\n\
        Table 2: Funding (£000) {#table-2}\n\n| Source | 2026/27 |\n|---|---:|\n\
        | Government grant | 50,475 |\n| County Council prudential borrowing | 8,100 |\n\
        | Total funding | 58,575 |\n";
    for (bound, errs) in [("£8.1m", 0), ("£8m", 1)] {
        let body = format!(
            "{table}\n6.5 County Council prudential borrowing for highways structural maintenance \
             in 2026/27 will not exceed {bound}.\n\n6.6 Officers may move funding where the \
             change to any one scheme does not exceed £250,000.\n"
        );
        let (found, amounts) = check(paper(&body).path());
        let bounds: Vec<_> = found.iter().filter(|f| f.0 == "C0404").collect();
        assert_eq!(bounds.len(), errs, "{bound}: {found:?}");
        if errs == 1 {
            assert!(bounds[0].3.contains("prudential borrowing"), "{found:?}");
        }
        assert!(!found.iter().any(|f| f.3.contains("£250,000")), "{found:?}");
        let rule = amounts
            .iter()
            .find(|a| a["text"] == "exceed £250,000")
            .unwrap_or_else(|| panic!("{amounts:?}"));
        assert_eq!(rule["verdict"], "bound", "{rule}");
    }
}
