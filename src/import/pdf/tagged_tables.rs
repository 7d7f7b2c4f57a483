//! Tables from a tagged PDF's structure tree (Table, TR, TH/TD): each cell's text is the
//! marked content tagged inside it, so a table drawn with horizontal rules only, or none, and
//! its empty and merged cells, keep every cell in its column. The tree is checked against the
//! page before it is believed: every row must cover the same columns once spans are counted,
//! two cells at least must have text, and no column's text may reach into the next column's;
//! a table that fails stays on the page, for the geometry to read.

use std::collections::{HashMap, HashSet};

use super::tags::{CellAt, TagTable};
use super::{join_words, lines_of, Cell, Glyph, HeadingOf, Line, Marked, Origin, PageInk, Table};

/// The glyphs of one tagged table, by (row, cell), each with its paragraph and page.
type Bucket<'a> = HashMap<(usize, usize), Vec<(usize, u32, &'a Glyph)>>;

/// A place on a table's grid: the row's own cell (its index in the row), or the continuation
/// of a cell above that spans down; with the columns it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    Own(usize),
    Below,
}

/// Takes the glyphs of every tagged table the pages bear out (numbered into rows), and returns
/// the tables, in order of their first row.
pub(super) fn take_tables(pages: &mut [PageInk], marked: &Marked) -> Vec<Table> {
    let cell_of = |page: u32, g: &Glyph| (g.mcid >= 0).then(|| (marked.cell)(page, g.mcid))?;
    let mut found = Vec::new();
    let mut taken = HashSet::new();
    {
        let mut buckets: HashMap<usize, Bucket> = HashMap::new();
        for page in pages.iter() {
            for g in &page.glyphs {
                if let Some(((t, r, c), para)) = cell_of(page.number, g) {
                    let bucket = buckets.entry(t).or_default();
                    bucket
                        .entry((r, c))
                        .or_default()
                        .push((para, page.number, g));
                }
            }
        }
        let on_row = tables_on_rows(pages, &cell_of);
        for (t, bucket) in &buckets {
            let Some(tagged) = marked.tables.get(*t) else {
                continue;
            };
            if partial(*t, bucket, &on_row) {
                continue;
            }
            if let Some(table) = table(tagged, bucket, marked.heading) {
                found.push(table);
                taken.insert(*t);
            }
        }
    }
    for page in pages.iter_mut() {
        let number = page.number;
        page.glyphs
            .retain(|g| !cell_of(number, g).is_some_and(|((t, _, _), _)| taken.contains(&t)));
    }
    found.sort_by(|a, b| a.origin.cmp(&b.origin));
    found
}

/// Each text row of each page, with the tables whose cells have text on it (`None` for text
/// in no table).
fn tables_on_rows(
    pages: &[PageInk],
    cell_of: &dyn Fn(u32, &Glyph) -> Option<CellAt>,
) -> HashMap<(u32, usize), HashSet<Option<usize>>> {
    let mut on_row: HashMap<(u32, usize), HashSet<Option<usize>>> = HashMap::new();
    for page in pages {
        for g in &page.glyphs {
            let table = cell_of(page.number, g).map(|((t, _, _), _)| t);
            on_row
                .entry((page.number, g.row))
                .or_default()
                .insert(table);
        }
    }
    on_row
}

/// A tagged table most of whose lines go on outside its cells (the row labels tagged as
/// paragraphs beside a table of figures): part of a larger table, to be read whole from the
/// page.
fn partial(
    t: usize,
    bucket: &Bucket,
    on_row: &HashMap<(u32, usize), HashSet<Option<usize>>>,
) -> bool {
    let mut rows: Vec<(u32, usize)> = bucket
        .values()
        .flatten()
        .map(|(_, p, g)| (*p, g.row))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let outside = rows
        .iter()
        .filter(|r| {
            on_row
                .get(r)
                .is_some_and(|ts| ts.iter().any(|x| *x != Some(t)))
        })
        .count();
    2 * outside > rows.len()
}

/// The grid of a tagged table: each row's slots with their spans, cells spanning down carried
/// into the rows below. `None` unless every row covers the same columns, two at least.
fn place(table: &TagTable) -> Option<Vec<Vec<(Slot, usize)>>> {
    // Per column: rows still covered by a cell above, and its span where it starts (else 0).
    let mut below: Vec<(usize, usize)> = Vec::new();
    let mut grid = Vec::new();
    for cells in &table.rows {
        let (mut row, mut col) = (Vec::new(), 0);
        let mut cells = cells.iter().enumerate();
        loop {
            if let Some(&(_, span)) = below.get(col).filter(|b| b.0 > 0) {
                if span == 0 {
                    return None; // a row's cell would start inside a cell from above
                }
                below[col..col + span].iter_mut().for_each(|b| b.0 -= 1);
                row.push((Slot::Below, span));
                col += span;
                continue;
            }
            let Some((c, cell)) = cells.next() else {
                break;
            };
            if below.len() < col + cell.colspan {
                below.resize(col + cell.colspan, (0, 0));
            }
            for (k, b) in below[col..col + cell.colspan].iter_mut().enumerate() {
                *b = (cell.rowspan - 1, if k == 0 { cell.colspan } else { 0 });
            }
            row.push((Slot::Own(c), cell.colspan));
            col += cell.colspan;
        }
        grid.push(row);
    }
    let width = |row: &Vec<(Slot, usize)>| row.iter().map(|s| s.1).sum::<usize>();
    let columns = grid.first().map(width)?;
    (columns >= 2 && grid.iter().all(|r| width(r) == columns)).then_some(grid)
}

/// The table a tagged table makes of its glyphs, if the page bears the tree out.
fn table(tagged: &TagTable, bucket: &Bucket, heading_of: &HeadingOf) -> Option<Table> {
    let grid = place(tagged)?;
    if bucket.len() < 2
        || !columns_apart(&grid, bucket)
        || bucket.values().any(|g| {
            let glyphs: Vec<&Glyph> = g.iter().map(|(_, _, g)| *g).collect();
            super::holds_cells(glyphs, heading_of)
        })
    {
        return None;
    }
    let rows = grid
        .iter()
        .enumerate()
        .map(|(r, slots)| {
            let cell = |&(slot, span): &(Slot, usize)| match slot {
                Slot::Below => Cell {
                    text: String::new(),
                    bold: false,
                    span,
                    merged_above: true,
                },
                Slot::Own(c) => own_cell(bucket.get(&(r, c)), span, heading_of),
            };
            slots.iter().map(cell).collect()
        })
        .collect();
    let (page, row) = bucket
        .values()
        .flatten()
        .map(|(_, p, g)| (*p, g.row))
        .min()?;
    Some(Table {
        rows,
        origin: Origin::Page {
            page,
            line: row as u32 + 1,
        },
    })
}

/// A cell with its glyphs' text, its paragraphs as lines (each read page by page, row by
/// row); bold when every word is.
fn own_cell(
    glyphs: Option<&Vec<(usize, u32, &Glyph)>>,
    span: usize,
    heading_of: &HeadingOf,
) -> Cell {
    let mut glyphs: Vec<(usize, u32, &Glyph)> = glyphs.cloned().unwrap_or_default();
    glyphs.sort_by_key(|(para, page, _)| (*para, *page)); // stable: rows stay in order
    let mut paragraphs: Vec<Vec<Line>> = Vec::new();
    for para in glyphs.chunk_by(|a, b| a.0 == b.0) {
        let mut lines = Vec::new();
        for run in para.chunk_by(|a, b| a.1 == b.1) {
            let refs: Vec<&Glyph> = run.iter().map(|(_, _, g)| *g).collect();
            lines.extend(lines_of(&refs, run[0].1, heading_of));
        }
        paragraphs.push(lines);
    }
    let words = || paragraphs.iter().flatten().flat_map(|l| l.words.iter());
    let text: Vec<String> = paragraphs
        .iter()
        .map(|lines| join_words(lines.iter().flat_map(|l| l.words.iter())))
        .filter(|t| !t.is_empty())
        .collect();
    Cell {
        text: text.join("\n"),
        bold: words().next().is_some() && words().all(|w| w.bold),
        span,
        merged_above: false,
    }
}

/// No column's text reaches into a column to its right: over the cells that span one column,
/// the rightmost end of each column is left of the leftmost start of every later column.
fn columns_apart(grid: &[Vec<(Slot, usize)>], bucket: &Bucket) -> bool {
    let mut extent: HashMap<usize, (f64, f64)> = HashMap::new();
    for (r, slots) in grid.iter().enumerate() {
        let mut col = 0;
        for &(slot, span) in slots {
            if let (Slot::Own(c), 1) = (slot, span) {
                for (_, _, g) in bucket.get(&(r, c)).into_iter().flatten() {
                    let e = extent.entry(col).or_insert((f64::MAX, f64::MIN));
                    *e = (e.0.min(g.x0), e.1.max(g.x1));
                }
            }
            col += span;
        }
    }
    extent.iter().all(|(c, (_, right))| {
        extent
            .iter()
            .filter(|(d, _)| *d > c)
            .all(|(_, (left, _))| *right <= left + 0.5)
    })
}

#[cfg(test)]
mod tests {
    use super::super::tags::TagCell;
    use super::*;

    fn tagged(rows: &[&[(usize, usize)]]) -> TagTable {
        TagTable {
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|&(colspan, rowspan)| TagCell { colspan, rowspan })
                        .collect()
                })
                .collect(),
        }
    }

    #[test]
    fn spans_are_placed_on_the_grid_and_ragged_rows_refused() {
        use Slot::*;
        // A cell two rows high, then a row that spans two columns.
        let grid = place(&tagged(&[&[(1, 2), (1, 1)], &[(1, 1)], &[(2, 1)]]));
        assert_eq!(
            grid,
            Some(vec![
                vec![(Own(0), 1), (Own(1), 1)],
                vec![(Below, 1), (Own(0), 1)],
                vec![(Own(0), 2)],
            ])
        );
        // A row one cell short, and a table of one column, are not tables to believe.
        assert_eq!(place(&tagged(&[&[(1, 1), (1, 1)], &[(1, 1)]])), None);
        assert_eq!(place(&tagged(&[&[(1, 1)], &[(1, 1)]])), None);
    }
}
