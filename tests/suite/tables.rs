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
