//! Tables read as an author means them: a slip reported at the fewest cells that explain it
//! (a wrong subtotal at the subtotal, a wrong cell of a derived column at the cell), and
//! nothing read into a table that does not show it. Each table is made by the test itself.

use clerk::diagnostic::{Code, Diagnostic};

/// The findings on the one table of `markdown`, as (code, the cell's text).
fn findings(markdown: &str) -> Vec<(Code, String)> {
    let doc = clerk::parse::markdown::parse(markdown, 0);
    let mut out: Vec<Diagnostic> = Vec::new();
    clerk::check::tables::check_table(0, &doc.tables[0], &|_, _| false, &mut out);
    out.iter()
        .map(|d| (d.code, markdown[d.range.clone()].trim().to_string()))
        .collect()
}

fn one(code: Code, cell: &str) -> Vec<(Code, String)> {
    vec![(code, cell.to_string())]
}

/// A wrong subtotal is reported at the subtotal; the grand total, right given its rows,
/// is not; one right given the subtotal as written is not either. A total wrong both ways
/// is reported against the sum of its rows.
#[test]
fn a_wrong_subtotal_is_reported_at_the_subtotal_only() {
    let table = |total: &str| {
        format!(
            "| Service | Provider | Cost |\n|---|---|---:|\n| Libraries | North | £12,000 |\n| | South | £8,000 |\n| | Libraries subtotal | £21,000 |\n| Archives | County | £4,000 |\n| Total | | {total} |\n"
        )
    };
    assert_eq!(
        findings(&table("£24,000")),
        one(Code::SubtotalMismatch, "£21,000")
    );
    assert_eq!(
        findings(&table("£25,000")),
        one(Code::SubtotalMismatch, "£21,000")
    );
    let both = findings(&table("£26,000"));
    assert_eq!(both.len(), 2, "{both:?}");
    assert_eq!(both[1], (Code::TotalMismatch, "£26,000".into()));
}

/// Section totals and a grand total of them: a wrong section total is reported, and the
/// grand total that is right given the rows is not (nor asked for a formula).
#[test]
fn a_grand_total_of_sections_right_by_its_rows_is_not_reported() {
    let table = "| Item | Cost |\n|---|---:|\n| A | £10 |\n| B | £20 |\n| Section 1 total | £40 |\n| C | £5 |\n| Section 2 total | £5 |\n| Grand total | £35 |\n";
    assert_eq!(findings(table), one(Code::TotalMismatch, "£40"));
    let right = table.replace("£40", "£30");
    assert!(findings(&right).is_empty());
}

const VARIANCE: &str = "| Item | Budget | Actual | Variance |\n|---|---:|---:|---:|\n| Staff | £10,000 | £12,000 | £2,000 |\n| Heating | £5,000 | £4,000 | (£1,000) |\n| Books | £3,000 | £3,500 | £500 |\n| IT | £2,000 | £2,600 | £600 |\n| Total | £20,000 | £22,100 | £2,100 |\n";

/// A wrong variance cell is reported at the cell, not at its column's total, whether the
/// total was added from the right cells or the wrong one.
#[test]
fn a_wrong_variance_is_reported_at_its_cell() {
    assert!(findings(VARIANCE).is_empty());
    let wrong = VARIANCE.replace("| £600 |", "| £700 |");
    assert_eq!(findings(&wrong), one(Code::DerivedCell, "£700"));
    let added = wrong.replace("| £2,100 |", "| £2,200 |");
    assert_eq!(findings(&added), one(Code::DerivedCell, "£700"));
}

/// A wrong part, which its column's total and its row's variance both contradict, is
/// reported at the part; the same for a row-total column.
#[test]
fn a_wrong_part_is_reported_at_the_part() {
    let wrong = VARIANCE.replace("| £2,000 | £2,600 |", "| £2,100 | £2,600 |");
    assert_eq!(
        findings(&wrong),
        one(Code::CellAgainstRowAndColumn, "£2,100")
    );
    let totals = "| Item | 2021-22 | 2022-23 | Total |\n|---|---:|---:|---:|\n| Staff | £15,000 | £15,000 | £30,000 |\n| Heating | £5,000 | £6,000 | £10,000 |\n| Books | £1,000 | £1,000 | £2,000 |\n| Total | £21,000 | £21,000 | £42,000 |\n";
    assert_eq!(
        findings(totals),
        one(Code::CellAgainstRowAndColumn, "£6,000")
    );
    let derived = totals.replace("£6,000 | £10,000", "£5,000 | £11,000");
    assert_eq!(findings(&derived), one(Code::RowTotalMismatch, "£11,000"));
}

/// A relation two rows show is not evident, and columns that happen to agree once are
/// not derived: nothing is read into them.
#[test]
fn no_relation_is_read_into_too_few_rows_or_chance() {
    let short = "| Item | Budget | Actual | Other |\n|---|---:|---:|---:|\n| Staff | £10,000 | £12,000 | £2,000 |\n| Heating | £5,000 | £4,000 | (£1,000) |\n| IT | £2,000 | £2,600 | £700 |\n";
    assert!(findings(short).is_empty());
    // Headed as a variance, two rows are enough to show which columns it compares.
    let declared = short.replace("Other", "Variance");
    assert_eq!(findings(&declared), one(Code::DerivedCell, "£700"));
    let chance = "| Item | A | B | C |\n|---|---:|---:|---:|\n| W | £3 | £5 | £8 |\n| X | £10 | £7 | £1 |\n| Y | £4 | £9 | £2 |\n| Z | £6 | £1 | £11 |\n";
    assert!(findings(chance).is_empty());
}

/// A row total of a scheme's years, with its last years not in the table: a row whose years
/// shown add up to less than its total is no slip (one warning says so); one whose years add
/// up to more is.
#[test]
fn a_total_of_years_the_table_does_not_all_show_is_no_slip_when_short() {
    let table = |row2: &str| {
        format!(
            "| Scheme | Total Cost of Scheme (£000) | Prior Years Spend (£000) | 2025-26 (£000) | 2026-27 (£000) |\n|---|---:|---:|---:|---:|\n| Depot | 4,415 | 3,903 | 273 | 239 |\n| Roads | {row2} | 100 | 250 | 250 |\n| Bridges | 900 | 400 | 250 | 250 |\n| Schools | 88 | 36 | 26 | 26 |\n"
        )
    };
    let short = findings(&table("2,500"));
    assert_eq!(short.len(), 1, "{short:?}");
    assert_eq!(short[0], (Code::RowTotalMismatch, "2,500".into()));
    let over = findings(&table("500"));
    assert_eq!(over, one(Code::RowTotalMismatch, "500"));
    let doc = clerk::parse::markdown::parse(&table("2,500"), 0);
    let mut out = Vec::new();
    clerk::check::tables::check_table(0, &doc.tables[0], &|_, _| false, &mut out);
    assert_eq!(out[0].severity, clerk::diagnostic::Severity::Warning);
}

/// A net column the rows show as Gross + Income, where one row also has a grant the others
/// had as zero: that row follows the fuller relation and is no slip. A wrong net still is.
#[test]
fn a_relation_with_a_part_the_other_rows_had_as_zero_is_followed() {
    let table = "| Service | Gross | Income | Grants | Net |\n|---|---:|---:|---:|---:|\n| A | £11,783.2 | -£6,126.2 | -£2,596.7 | £3,060.3 |\n| B | £2,436.3 | -£206.0 | £0.0 | £2,230.3 |\n| C | £56,878.8 | -£8,111.2 | £0.0 | £48,767.6 |\n| D | £47,801.9 | -£9,849.4 | £0.0 | £37,952.5 |\n| E | £849.6 | -£139.7 | £0.0 | £709.9 |\n| F | £10,186.2 | -£1,788.8 | £0.0 | £8,397.4 |\n";
    assert!(findings(table).is_empty(), "{:?}", findings(table));
    // With rows enough that the relation stands beside two rows that break it.
    let more: String = (1..=4)
        .map(|i| format!("| X{i} | £{i}00.0 | -£{i}0.0 | £0.0 | £{}.0 |\n", i * 90))
        .collect();
    let wrong = format!("{table}{more}").replace("£37,952.5", "£37,925.5");
    assert_eq!(findings(&wrong), one(Code::DerivedCell, "£37,925.5"));
}

/// Most totals of a column disagreeing is a table read wrongly (or totals of other tables):
/// one warning, no slip at each total. A total of one row that is not that row is a warning.
#[test]
fn a_column_whose_totals_mostly_disagree_gives_one_warning() {
    let table = "| Item | Cost |\n|---|---:|\n| A | £10 |\n| B | £10 |\n| Total A | £90 |\n| C | £20 |\n| D | £5 |\n| Total B | £70 |\n| E | £5 |\n| F | £6 |\n| Total C | £50 |\n| G | £1 |\n| H | £1 |\n| Total D | £2 |\n";
    let got = findings(table);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Code::TotalMismatch);
    let one_row = "| Item | Cost |\n|---|---:|\n| A | £10 |\n| Department total | £90 |\n";
    let doc = clerk::parse::markdown::parse(one_row, 0);
    let mut out = Vec::new();
    clerk::check::tables::check_table(0, &doc.tables[0], &|_, _| false, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].severity, clerk::diagnostic::Severity::Warning);
}

/// A cell of a unit ("£000's", a header repeated where a page breaks) or of a sentence is no
/// mistyped amount; "£1,2345" still is.
#[test]
fn a_unit_or_a_sentence_in_a_money_column_is_no_bad_amount() {
    let table = "| Item | 2025-26 £000s |\n|---|---:|\n| A | £10 |\n| Row Ref | 2025-26 Staffing £000s |\n| B | £000's |\n| C | £20 |\n| Total | £30 |\n";
    assert!(findings(table).is_empty(), "{:?}", findings(table));
    let bad = table.replace("| £20 |", "| £1,2345 |");
    assert!(findings(&bad)
        .iter()
        .any(|(c, _)| *c == Code::BadAmountCell));
}

/// Three rows and their total: Net + VAT = Gross holds in two rows and in the total row, so
/// the relation is evident and the row that breaks it is reported at its VAT cell (which its
/// column's total also contradicts). Two rows alone, with no total to agree, show nothing.
#[test]
fn a_relation_that_holds_in_the_total_row_is_evident_in_three_rows() {
    let table = "| Item | Net | VAT | Including VAT |\n|---|---:|---:|---:|\n| Furniture | £142,300 | £28,460 | £170,760 |\n| ICT equipment | £128,900 | £25,870 | £154,680 |\n| Fittings | £47,400 | £9,480 | £56,880 |\n| Total | £318,600 | £63,720 | £382,320 |\n";
    assert_eq!(
        findings(table),
        one(Code::CellAgainstRowAndColumn, "£25,870")
    );
    assert!(findings(&table.replace("£25,870", "£25,780")).is_empty());
    // Without its total row the relation rests on two rows: only the column is checked.
    let no_total: String = table
        .lines()
        .filter(|l| !l.starts_with("| Total"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(findings(&no_total).is_empty(), "{:?}", findings(&no_total));
}
