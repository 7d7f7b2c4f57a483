//! A table as a council prints it, made into one header row over its body, with its unit. Real
//! money tables (budget books, capital programmes: Excel exports and Word tables alike) put
//! their header on two or three rows ("2025-26" over "Year 1"), often carry their unit once in
//! a row of its own under the header ("£000s" in every amount column), or in the header
//! ("Total £m", "(£000)"), or in the caption above ("Capital programme, £'000"), and leave the
//! cells as plain numbers. Here the header rows are joined column by column (a cell spanning
//! columns heads each of them), a unit row is taken out of the body (it is the unit, not a
//! row of figures), and each column of amounts gets its unit in its header, where clerk's
//! Markdown reader reads it (`parse::markdown`): its plain numbers are then money at that
//! scale, checked like any other. A column of plain pounds ("(£)") gets a £ in each cell.
//! Nothing is dropped: a cell that cannot be placed keeps its place, as written.

use std::sync::LazyLock;

use regex::Regex;

use super::document::{Block, Cell, Table};

/// A unit of money a table states.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Plain pounds: "(£)", "£".
    Pounds,
    /// Thousands: "£000s", "£'000", "£k".
    Thousands,
    /// Millions: "£m", "£ million".
    Millions,
}

impl Unit {
    /// The unit as a header shows it, the form clerk's reader knows.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Pounds => "£",
            Unit::Thousands => "£000",
            Unit::Millions => "£m",
        }
    }
}

/// A cell's whole text as a unit: "£000s", "£'000", "£000's", "(£000)", "£k", "£m", "£M",
/// "£ millions", "(£)", "£".
static UNIT_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?\s*£\s*(?:'?\s*(000'?s?|k|thousands?|m|mn|millions?))?\s*\)?$")
        .expect("a valid pattern")
});

/// A unit inside a longer text: "Total £m", "Capital programme (£'000)", "£000s".
static UNIT_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)£\s*'?\s*(000'?s?|k|thousands?|m|mn|millions?)(?:[^a-z0-9]|$)")
        .expect("a valid pattern")
});

fn unit_of(scale: Option<&str>) -> Unit {
    match scale.map(str::to_ascii_lowercase).as_deref() {
        None => Unit::Pounds,
        Some(s) if s.starts_with('m') => Unit::Millions,
        Some(_) => Unit::Thousands,
    }
}

/// The unit a cell is, when the cell says nothing else.
pub fn unit_cell(text: &str) -> Option<Unit> {
    let caps = UNIT_ONLY.captures(text.trim())?;
    Some(unit_of(caps.get(1).map(|m| m.as_str())))
}

/// A unit of thousands or millions stated within a text (a caption, a header).
pub fn unit_within(text: &str) -> Option<Unit> {
    let caps = UNIT_IN.captures(text)?;
    Some(unit_of(caps.get(1).map(|m| m.as_str())))
}

/// Plain pounds named in a header: "Cost (£)", "Amount £".
static POUNDS_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(£\)|(?:^|\s)£$").expect("a valid pattern"));

/// A plain number as a table prints an amount: "1,234", "-1,655", "(4,386)", "0.0".
static PLAIN_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(?[-−–]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?$").expect("a valid pattern")
});

pub fn plain_number(text: &str) -> bool {
    PLAIN_NUMBER.is_match(text.trim())
}

/// Text that is mostly figures: three numbers at least, and half its words (a row of a table
/// read as a line, not prose that quotes numbers).
pub fn mostly_figures(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let numbers = words.iter().filter(|w| plain_number(w)).count();
    numbers >= 3 && 2 * numbers >= words.len()
}

/// A table shaped for writing: one header label per grid column, the body's rows as grid
/// cells (a merged cell empty where it continues, a spanning cell followed by empty ones), and
/// each column's unit.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Shaped {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Whether each body cell is bold.
    pub bold: Vec<Vec<bool>>,
    pub units: Vec<Option<Unit>>,
    /// Header rows joined into the one header (the first row counted).
    pub header_rows: usize,
    /// A row of units was taken out of the body.
    pub unit_row: bool,
}

/// One row spread on the grid: each column's text, whether a cell starts there or continues a
/// span from the left, and bold.
fn grid_row(row: &[Cell]) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    for cell in row {
        let text = if cell.merged_above {
            String::new()
        } else {
            cell.text.replace('\n', " ")
        };
        out.push((text.clone(), false, cell.bold));
        // A spanning cell's text stays in its first column; the header uses it for all.
        for _ in 1..cell.span {
            out.push((text.clone(), true, cell.bold));
        }
    }
    out
}

/// A row none of whose cells after the first is a number: a header row (or a heading in the
/// body). The first row is always the header.
fn is_header_like(row: &[(String, bool, bool)]) -> bool {
    row.iter()
        .skip(1)
        .all(|(t, _, _)| t.trim().is_empty() || !plain_number(t) || unit_cell(t).is_some())
}

/// A row whose filled cells are all units (at least one).
fn unit_row(row: &[(String, bool, bool)]) -> Option<Vec<Option<Unit>>> {
    let filled: Vec<&(String, bool, bool)> = row
        .iter()
        .filter(|(t, _, _)| !t.trim().is_empty())
        .collect();
    if filled.is_empty() || !filled.iter().all(|(t, _, _)| unit_cell(t).is_some()) {
        return None;
    }
    Some(row.iter().map(|(t, _, _)| unit_cell(t)).collect())
}

/// Shapes `table`; `context`: the caption or title above it, which may state its unit.
pub fn shape(table: &Table, context: Option<&str>) -> Shaped {
    let grid: Vec<Vec<(String, bool, bool)>> = table.rows.iter().map(|r| grid_row(r)).collect();
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    let mut shaped = Shaped::default();
    if width == 0 {
        return shaped;
    }
    let mut units: Vec<Option<Unit>> = vec![None; width];
    let mut header: Vec<Vec<String>> = vec![Vec::new(); width];
    // The header is the first row and the rows under it up to the first with a number, if
    // that comes within eight rows (a table with no numbers has a header of one row).
    let body_start = (1..grid.len())
        .find(|&r| !is_header_like(&grid[r]))
        .filter(|&r| r <= 8)
        .unwrap_or(1)
        .min(grid.len());
    for (r, row) in grid[..body_start].iter().enumerate() {
        if let Some(row_units) = unit_row(row).filter(|_| r > 0) {
            shaped.unit_row = true;
            for (c, u) in row_units.into_iter().enumerate() {
                units[c] = units[c].or(u);
            }
            continue;
        }
        for (c, (text, _, _)) in row.iter().enumerate() {
            let text = text.trim();
            if !text.is_empty() && header[c].last().map(String::as_str) != Some(text) {
                header[c].push(text.to_string());
            }
        }
        shaped.header_rows += 1;
    }
    shaped.header = header.iter().map(|h| h.join(" ")).collect();
    for row in &grid[body_start..] {
        let mut cells: Vec<String> = row
            .iter()
            .map(|(t, spanned, _)| if *spanned { String::new() } else { t.clone() })
            .collect();
        cells.resize(width, String::new());
        let mut bold: Vec<bool> = row.iter().map(|(_, _, b)| *b).collect();
        bold.resize(width, false);
        shaped.rows.push(cells);
        shaped.bold.push(bold);
    }
    assign_units(&mut shaped, units, context);
    shaped
}

/// Each column's unit: its own (a unit row's cell, or the header's words), else the table's
/// (the caption's, or the only unit the unit row gives), for a column of amounts; none for a
/// column of row numbers.
fn assign_units(shaped: &mut Shaped, from_row: Vec<Option<Unit>>, context: Option<&str>) {
    let mut distinct: Vec<Unit> = from_row.iter().flatten().copied().collect();
    distinct.dedup();
    let whole = context.and_then(unit_within).or(match distinct.as_slice() {
        [one] => Some(*one),
        _ => None,
    });
    let width = shaped.header.len();
    shaped.units = (0..width)
        .map(|c| {
            let column: Vec<&str> = shaped
                .rows
                .iter()
                .filter_map(|r| r.get(c).map(String::as_str))
                .collect();
            if !amounts(&column) {
                return None;
            }
            from_row[c]
                .or_else(|| unit_within(&shaped.header[c]))
                .or_else(|| unit_cell(&shaped.header[c]))
                .or_else(|| {
                    POUNDS_IN
                        .is_match(&shaped.header[c])
                        .then_some(Unit::Pounds)
                })
                .or(if from_row.iter().any(Option::is_some) {
                    None // the unit row names the columns it governs
                } else {
                    whole
                })
        })
        .collect();
}

/// A column of amounts: most of its filled cells are plain numbers, and they are not a count
/// of rows (1, 2, 3 …).
fn amounts(column: &[&str]) -> bool {
    let filled: Vec<&str> = column
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty() && *c != "-" && *c != "–")
        .collect();
    let numbers: Vec<&str> = filled.iter().copied().filter(|c| plain_number(c)).collect();
    if numbers.is_empty() || numbers.len() * 2 < filled.len() {
        return false;
    }
    let counting = numbers
        .iter()
        .map(|n| n.parse::<u64>().ok())
        .collect::<Option<Vec<u64>>>()
        .is_some_and(|ns| ns.len() >= 2 && ns.windows(2).all(|w| w[1] > w[0]) && ns[0] <= 1);
    !counting
}

/// The header a column is written with: its label, and its unit where the label does not
/// say it already (a column of plain pounds gets a £ in each cell instead).
pub fn header_label(shaped: &Shaped, column: usize) -> String {
    let label = shaped.header.get(column).cloned().unwrap_or_default();
    match shaped.units.get(column).copied().flatten() {
        Some(Unit::Pounds) | None => label,
        Some(_) if unit_within(&label).is_some() => label,
        Some(unit) if label.is_empty() => unit.label().to_string(),
        Some(unit) => format!("{label} ({})", unit.label()),
    }
}

/// A body cell as written: a plain number in a column of plain pounds gets its £.
pub fn body_cell(shaped: &Shaped, column: usize, text: &str) -> String {
    match shaped.units.get(column).copied().flatten() {
        Some(Unit::Pounds) if plain_number(text) => {
            let t = text.trim();
            match t.strip_prefix(['-', '−', '–']) {
                Some(rest) => format!("-£{rest}"),
                None => format!("£{t}"),
            }
        }
        _ => text.to_string(),
    }
}

/// Tables a page break split, their header printed again at the top of the next page, as one:
/// a table block right after a table whose first rows say what its first rows say, cell for
/// cell (committee systems repeat the header, and its unit row, on every page) loses those rows
/// and its body follows the first table's. Only a repeated header joins: two tables that only
/// line up stay two, and so does anything with a heading or a paragraph between them. On the
/// real Kent papers a savings table of 149 rows came as six, and its section totals, which
/// cover rows of earlier pages, were read as totals of the rows on their own page.
pub fn join_continued(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        match (out.last_mut(), block) {
            (Some(Block::Table(first)), Block::Table(next)) => {
                let repeated = repeated_rows(first, &next);
                if repeated > 0 {
                    first.rows.extend(next.rows.into_iter().skip(repeated));
                } else {
                    out.push(Block::Table(next));
                }
            }
            (_, block) => out.push(block),
        }
    }
    out
}

/// How many of `next`'s first rows repeat `first`'s first rows, cell for cell (text and span),
/// up to three (a header of two rows and its unit row); none when the first row differs or
/// says nothing.
fn repeated_rows(first: &Table, next: &Table) -> usize {
    let same = |a: &[Cell], b: &[Cell]| {
        a.len() == b.len()
            && a.iter().any(|c| !c.text.trim().is_empty())
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.text.trim() == y.text.trim() && x.span == y.span)
    };
    first
        .rows
        .iter()
        .zip(&next.rows)
        .take(3)
        .take_while(|(a, b)| same(a, b))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::document::Origin;

    fn cell(text: &str, span: usize) -> Cell {
        Cell {
            text: text.into(),
            bold: false,
            span,
            merged_above: false,
        }
    }

    fn table(rows: &[&[(&str, usize)]]) -> Table {
        Table {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|(t, s)| cell(t, *s)).collect())
                .collect(),
            origin: Origin::Page { page: 1, line: 1 },
        }
    }

    #[test]
    fn a_table_whose_header_a_page_break_repeats_is_one_table() {
        let head: &[(&str, usize)] = &[("Row", 1), ("Saving", 1), ("2025-26 £000's", 1)];
        let first = table(&[head, &[("1", 1), ("Consultants", 1), ("-10.0", 1)]]);
        let next = table(&[head, &[("2", 1), ("Waste", 1), ("-5.0", 1)]]);
        let other = table(&[
            &[("Row", 1), ("Scheme", 1), ("Cost", 1)],
            &[("3", 1), ("Depot", 1), ("4.0", 1)],
        ]);
        let joined = join_continued(vec![
            Block::Table(first.clone()),
            Block::Table(next),
            Block::Table(other.clone()),
        ]);
        assert_eq!(joined.len(), 2, "{joined:?}");
        let Block::Table(one) = &joined[0] else {
            panic!("{joined:?}")
        };
        assert_eq!(one.rows.len(), 3);
        assert_eq!(one.rows[2][1].text, "Waste");
        assert_eq!(joined[1], Block::Table(other));
        // A table that only lines up with the one before, with no header repeated, stays apart.
        let apart = table(&[&[("2", 1), ("Waste", 1), ("-5.0", 1)]]);
        let kept = join_continued(vec![Block::Table(first), Block::Table(apart)]);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn units_are_read_in_every_form_councils_write() {
        for (text, unit) in [
            ("£000s", Unit::Thousands),
            ("£'000", Unit::Thousands),
            ("£000's", Unit::Thousands),
            ("(£000)", Unit::Thousands),
            ("£k", Unit::Thousands),
            ("£m", Unit::Millions),
            ("£M", Unit::Millions),
            ("£ millions", Unit::Millions),
            ("(£)", Unit::Pounds),
        ] {
            assert_eq!(unit_cell(text), Some(unit), "{text}");
        }
        assert_eq!(unit_cell("£1,000"), None);
        assert_eq!(
            unit_within("Capital programme 2025-26 (£'000)"),
            Some(Unit::Thousands)
        );
        assert_eq!(unit_within("Total £m"), Some(Unit::Millions));
        assert_eq!(unit_within("Total"), None);
    }

    #[test]
    fn a_unit_row_under_a_two_row_header_makes_the_columns_money() {
        let t = table(&[
            &[
                ("ROW REF", 1),
                ("Directorate", 1),
                ("Total Cost", 1),
                ("2025-26", 1),
            ],
            &[("", 1), ("", 1), ("", 1), ("Year 1", 1)],
            &[("", 1), ("", 1), ("£000s", 1), ("£000s", 1)],
            &[("1", 1), ("Adult Social Care", 1), ("7,003", 1), ("549", 1)],
            &[("2", 1), ("Children", 1), ("565,619", 1), ("-1,655", 1)],
            &[("3", 1), ("Total", 1), ("572,622", 1), ("", 1)],
        ]);
        let s = shape(&t, None);
        assert!(s.unit_row);
        assert_eq!(
            s.header,
            ["ROW REF", "Directorate", "Total Cost", "2025-26 Year 1"]
        );
        assert_eq!(s.rows.len(), 3, "the unit row is not a row of the body");
        assert_eq!(
            s.units,
            [None, None, Some(Unit::Thousands), Some(Unit::Thousands)]
        );
        assert_eq!(header_label(&s, 3), "2025-26 Year 1 (£000)");
        assert_eq!(header_label(&s, 0), "ROW REF", "row numbers are not money");
    }

    #[test]
    fn a_spanning_header_heads_each_column_under_it() {
        let t = table(&[
            &[("", 1), ("2026-27", 2)],
            &[("", 1), ("Core", 1), ("Total", 1)],
            &[("Pay", 1), ("1.5", 1), ("2.5", 1)],
        ]);
        let s = shape(&t, Some("Revenue plan (£m)"));
        assert_eq!(s.header, ["", "2026-27 Core", "2026-27 Total"]);
        assert_eq!(s.units, [None, Some(Unit::Millions), Some(Unit::Millions)]);
    }

    #[test]
    fn plain_pounds_get_their_sign_and_text_columns_stay_text() {
        let t = table(&[
            &[("Item", 1), ("Cost (£)", 1), ("Note", 1)],
            &[("Rent", 1), ("1,200", 1), ("monthly", 1)],
            &[("Rates", 1), ("-300", 1), ("yearly", 1)],
        ]);
        let s = shape(&t, None);
        assert_eq!(s.units, [None, Some(Unit::Pounds), None]);
        assert_eq!(body_cell(&s, 1, "-300"), "-£300");
        assert_eq!(body_cell(&s, 2, "yearly"), "yearly");
    }
}
