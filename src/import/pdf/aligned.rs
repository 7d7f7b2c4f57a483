//! Tables read from how their figures line up, for tables with no ruling lines to read and no
//! tags to believe: Excel's exports (every cell its own run of text, empty cells left blank,
//! amounts right-aligned), and Word tables without borders. A run of lines that carry figures
//! makes a table when the figures stand in columns: their right edges (or centres, for a
//! column set centred) meet on two rows or more. Text on those lines falls into columns of its
//! own by its left edge (the row labels, a column of codes). Lines of text among the rows are
//! group headings, or the next line of a label that wraps (set closer than a row); lines above
//! the first row that sit over the columns are the header, a line of units ("£000s") among
//! them. Every piece of text of every line the table takes is placed in one cell; a piece
//! that fits no column, or two pieces in one cell of a row, and the lines stay paragraphs:
//! nothing is guessed into a column it may not belong to.

use std::sync::LazyLock;

use regex::Regex;

use super::super::tables::{plain_number, unit_cell};
use super::{join_words, Candidate, Cell, Line, Origin, Rule, Table, Word};

/// A figure as a table prints it: a plain number, an amount, a percentage, or a dash for none.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-−–—]|£?\(?[-−–]?£?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\)?(?:%|[kKmM]|bn)?)$")
        .expect("a valid pattern")
});

fn is_figure(text: &str) -> bool {
    FIGURE.is_match(text) || plain_number(text)
}

/// One piece of a line's text that goes in one cell: a figure, or a run of words.
#[derive(Clone, Debug)]
struct Piece {
    text: String,
    x0: f64,
    x1: f64,
    figure: bool,
    bold: bool,
    /// Which of the line's segments (runs of words set no further apart than a word space
    /// and a half) the piece is in.
    segment: usize,
}

impl Piece {
    fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
}

/// A line cut into pieces: at gaps wider than half the font size, and every figure apart.
fn pieces(line: &Line) -> Vec<Piece> {
    let mut out = Vec::new();
    for (index, segment) in line.segments(0.5).into_iter().enumerate() {
        let mut run: Vec<&Word> = Vec::new();
        let flush = |run: &mut Vec<&Word>, out: &mut Vec<Piece>| {
            if let (Some(first), Some(last)) = (run.first(), run.last()) {
                out.push(Piece {
                    text: join_words(run.iter().copied()),
                    x0: first.x0,
                    x1: last.x1,
                    figure: false,
                    bold: run.iter().all(|w| w.bold),
                    segment: index,
                });
            }
            run.clear();
        };
        // A dash among words is a hyphen ("Demand & Cost Drivers - Cost"); alone, an empty cell.
        let alone = segment.len() == 1;
        for word in segment {
            let dash = matches!(word.text.as_str(), "-" | "−" | "–" | "—");
            if is_figure(&word.text) && (alone || !dash) {
                flush(&mut run, &mut out);
                out.push(Piece {
                    text: word.text.clone(),
                    x0: word.x0,
                    x1: word.x1,
                    figure: true,
                    bold: word.bold,
                    segment: index,
                });
            } else {
                run.push(word);
            }
        }
        flush(&mut run, &mut out);
    }
    out
}

/// A line of figures: two figures at least, and no run of words as long as prose (a table's
/// cells are short; a sentence that quotes two years is not a row). Words and figures set
/// only a word space apart all along the line are a sentence, however its words line up with
/// the next line's: a table's cells stand apart, or are all figures.
fn figure_line(pieces: &[Piece]) -> bool {
    let apart = pieces.iter().any(|p| p.segment > 0) || pieces.iter().all(|p| p.figure);
    apart
        && pieces.iter().filter(|p| p.figure).count() >= 2
        && pieces
            .iter()
            .all(|p| p.figure || p.text.split_whitespace().count() <= 16)
}

/// A column: where its pieces start and end, and whether it holds figures (aligned at their
/// right edge, or centre) or text (aligned at its left edge).
#[derive(Clone, Copy, Debug)]
struct Column {
    x0: f64,
    x1: f64,
    figures: bool,
}

/// Groups values that lie within `tol` of their neighbour; each group with the lines it has
/// members on.
fn clusters(mut values: Vec<(f64, usize)>, tol: f64) -> Vec<(Vec<f64>, Vec<usize>)> {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    for (v, line) in values {
        match out.last_mut() {
            Some((vs, lines)) if v - vs[vs.len() - 1] <= tol => {
                vs.push(v);
                lines.push(line);
            }
            _ => out.push((vec![v], vec![line])),
        }
    }
    for (_, lines) in &mut out {
        lines.sort_unstable();
        lines.dedup();
    }
    out
}

/// The columns of a run of figure lines: figures by their right edges (two lines at least),
/// text by its left edges; each column's extent from its pieces. `None` when the columns
/// overlap or a piece fits none.
fn columns(rows: &[Vec<Piece>], size: f64) -> Option<Vec<Column>> {
    let tol = 0.6 * size;
    let mut found: Vec<Column> = Vec::new();
    for figures in [true, false] {
        let edges: Vec<(f64, usize)> = rows
            .iter()
            .enumerate()
            .flat_map(|(r, ps)| {
                ps.iter()
                    .filter(move |p| p.figure == figures)
                    .map(move |p| (if figures { p.x1 } else { p.x0 }, r))
            })
            .collect();
        for (values, lines) in clusters(edges, tol) {
            if lines.len() < 2 && figures {
                continue;
            }
            let (lo, hi) = (values[0], values[values.len() - 1]);
            let members = rows.iter().flatten().filter(|p| {
                p.figure == figures && {
                    let edge = if figures { p.x1 } else { p.x0 };
                    edge >= lo - 0.01 && edge <= hi + 0.01
                }
            });
            let (x0, x1) =
                members.fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x0), b.max(p.x1)));
            found.push(Column { x0, x1, figures });
        }
    }
    found.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let found = merge_indents(found, rows, size);
    let mut found = found;
    // A text column whose pieces run into the next column is a label that wraps wide: it
    // ends where the next begins. Figure columns must stand apart.
    for k in 1..found.len() {
        if found[k - 1].x1 > found[k].x0 {
            if found[k - 1].figures && found[k].figures {
                return None;
            }
            found[k - 1].x1 = found[k].x0 - 0.01;
        }
    }
    (found.iter().filter(|c| c.figures).count() >= 2).then_some(found)
}

/// Neighbouring text columns that never share a line are one column set at different
/// indents ("SPENDING" over its indented rows, a note in the label column): merged.
fn merge_indents(found: Vec<Column>, rows: &[Vec<Piece>], size: f64) -> Vec<Column> {
    let shares_a_line = |a: &Column, b: &Column| {
        rows.iter().any(|r| {
            let within = |c: &Column| {
                r.iter()
                    .any(|p| !p.figure && p.x0 >= c.x0 - 0.01 && p.x0 <= c.x1)
            };
            within(a) && within(b)
        })
    };
    let mut out: Vec<Column> = Vec::new();
    for column in found {
        match out.last_mut() {
            Some(last)
                if !last.figures
                    && !column.figures
                    && column.x0 - last.x0 < 4.0 * size
                    && !shares_a_line(last, &column) =>
            {
                last.x1 = last.x1.max(column.x1);
            }
            _ => out.push(column),
        }
    }
    out
}

/// The column a piece belongs to: figures to a figure column whose right edge is theirs,
/// text to a text column whose left edge is theirs, else the one column its middle falls in.
fn column_of(piece: &Piece, columns: &[Column], size: f64) -> Option<usize> {
    let tol = 0.6 * size;
    let aligned = columns.iter().position(|c| {
        c.figures == piece.figure
            && if piece.figure {
                piece.x1 >= c.x1 - tol && piece.x1 <= c.x1 + tol && piece.x0 >= c.x0 - tol
            } else {
                (piece.x0 - c.x0).abs() <= tol
            }
    });
    aligned.or_else(|| {
        let mid = piece.centre();
        let within: Vec<usize> = (0..columns.len())
            .filter(|&k| mid >= columns[k].x0 - tol && mid <= columns[k].x1 + tol)
            .collect();
        match within[..] {
            [one] => Some(one),
            _ => None,
        }
    })
}

/// A line's pieces in the columns, one piece to a cell; `None` if a piece fits no column or
/// two fall in one cell.
fn row_cells(pieces: &[Piece], columns: &[Column], size: f64) -> Option<Vec<Option<Piece>>> {
    let mut cells: Vec<Option<Piece>> = vec![None; columns.len()];
    for piece in pieces {
        let k = column_of(piece, columns, size)?;
        if cells[k].is_some() {
            return None;
        }
        cells[k] = Some(piece.clone());
    }
    Some(cells)
}

/// The aligned tables among a page's lines: (first line, line count, table). A table's lines
/// are its header lines, then its rows (figure lines, with text lines among them), at least
/// three figure lines in all.
pub(super) fn aligned_tables(
    lines: &[Line],
    marks: &[Option<Candidate>],
    panels: &[Rule],
    page: u32,
) -> Vec<(usize, usize, Table)> {
    let cut: Vec<Vec<Piece>> = lines.iter().map(pieces).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !figure_line(&cut[i]) || marks[i].is_some() {
            i += 1;
            continue;
        }
        let end = resumed(lines, &cut, i, run_end(lines, &cut, i));
        match table_at(lines, &cut, marks, (i, end), panels, page) {
            Some((start, table)) => {
                found.push((start, end - start, table));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// Where a run of rows that starts at figure line `i` ends: figure lines, and text lines
/// between them that are short (a heading or a label's next line), each close to the line
/// before; the run ends after its last figure line.
fn run_end(lines: &[Line], cut: &[Vec<Piece>], i: usize) -> usize {
    let mut last_figures = i;
    let mut k = i + 1;
    while k < lines.len() {
        let gap = lines[k].base - lines[k - 1].base;
        if gap > 3.0 * lines[k].size.max(lines[k - 1].size) {
            break;
        }
        if figure_line(&cut[k]) {
            last_figures = k;
        } else if lines[k].words.len() > 14 || k - last_figures > 6 {
            break;
        }
        k += 1;
    }
    last_figures + 1
}

/// Where a run of rows ends once the rows that resume it are counted: after a few lines of
/// text (a note under some rows, a heading set apart), figure lines whose figures stand in
/// the same columns carry the table on.
fn resumed(lines: &[Line], cut: &[Vec<Piece>], i: usize, mut end: usize) -> usize {
    let size = super::median(lines[i..end].iter().map(|l| l.size));
    let figure_rows = |from: usize, to: usize| -> Vec<Vec<Piece>> {
        (from..to)
            .filter(|&k| figure_line(&cut[k]))
            .map(|k| cut[k].clone())
            .collect()
    };
    loop {
        let gap = (end..lines.len().min(end + 9))
            .take_while(|&k| !figure_line(&cut[k]) && lines[k].words.len() <= 14)
            .count();
        let next = end + gap;
        if next >= lines.len() || !figure_line(&cut[next]) {
            return end;
        }
        let more = run_end(lines, cut, next);
        let (Some(before), Some(after)) = (
            columns(&figure_rows(i, end), size),
            columns(&figure_rows(i, more), size),
        ) else {
            return end;
        };
        let figures = |c: &[Column]| {
            c.iter()
                .filter(|c| c.figures)
                .map(|c| c.x1)
                .collect::<Vec<f64>>()
        };
        let (a, b) = (figures(&before), figures(&after));
        let same = a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= 0.6 * size);
        if !same {
            return end;
        }
        end = more;
    }
}

/// The table whose rows are lines `i..end`, with the header lines above it; where the table
/// starts (its first header line).
fn table_at(
    lines: &[Line],
    cut: &[Vec<Piece>],
    marks: &[Option<Candidate>],
    (i, end): (usize, usize),
    panels: &[Rule],
    page: u32,
) -> Option<(usize, Table)> {
    let size = super::median(lines[i..end].iter().map(|l| l.size));
    let figure_rows: Vec<Vec<Piece>> = (i..end)
        .filter(|&k| figure_line(&cut[k]))
        .map(|k| cut[k].clone())
        .collect();
    if figure_rows.len() < 3 {
        return None;
    }
    let cols = columns(&figure_rows, size)?;
    let mut body: Vec<Vec<Option<Piece>>> = Vec::new();
    let mut last_row_base: Option<f64> = None;
    let first = labels_above(lines, cut, marks, i, &cols, size);
    for k in first..end {
        let cells = row_cells(&cut[k], &cols, size)?;
        let continues = !figure_line(&cut[k])
            && last_row_base.is_some_and(|b| lines[k].base - b < 1.25 * size)
            && cells.iter().flatten().all(|p| !p.figure);
        if continues {
            join_into(body.last_mut()?.as_mut_slice(), cells);
        } else {
            body.push(cells);
        }
        last_row_base = Some(lines[k].base);
    }
    let labels = labels_above(lines, cut, marks, i, &cols, size);
    let start = header_start(lines, cut, marks, labels, &cols, size);
    let mut header: Vec<Vec<Piece>> = cut[start..labels].to_vec();
    let bases: Vec<f64> = lines[start..labels].iter().map(|l| l.base).collect();
    stack_pieces(&mut header, &bases, size);
    let mut rows: Vec<Vec<Cell>> = header
        .iter()
        .zip(&bases)
        .filter(|(pieces, _)| !pieces.is_empty())
        .map(|(pieces, base)| header_row(pieces, *base, &cols, size, panels))
        .collect();
    rows.extend(body.into_iter().map(body_row));
    Some((
        start,
        Table {
            rows,
            origin: Origin::Page {
                page,
                line: lines[start].row as u32 + 1,
            },
        },
    ))
}

/// A header cell of two lines ("Public" over "Health") is one piece: a piece is joined to the
/// piece just under it (as close as the lines of one paragraph, 1.6 times the font size, overlapping it, with no other
/// piece between them), which leaves its own line.
fn stack_pieces(header: &mut [Vec<Piece>], bases: &[f64], size: f64) {
    let overlaps = |a: &Piece, b: &Piece| a.x0 < b.x1 && b.x0 < a.x1;
    for k in 0..header.len() {
        let mut n = 0;
        while n < header[k].len() {
            let upper = header[k][n].clone();
            let unit = |p: &Piece| unit_cell(&p.text).is_some();
            if unit(&upper) {
                n += 1;
                continue;
            }
            let below = (k + 1..header.len())
                .take_while(|&j| bases[j] - bases[k] < 1.6 * size)
                .find_map(|j| {
                    let at = header[j]
                        .iter()
                        .position(|q| overlaps(&upper, q) && !unit(q))?;
                    Some((j, at))
                });
            // Only a stack of one piece on one: a wide heading over several is not one cell.
            // The lower line holds nothing else: a line of column headings under a group
            // heading is a row of its own.
            let one_to_one = below.is_some_and(|(j, at)| {
                let lower = &header[j][at];
                header[j].len() == 1 && header[k].iter().filter(|p| overlaps(p, lower)).count() == 1
            });
            if let (Some((j, at)), true) = (below, one_to_one) {
                let q = header[j].remove(at);
                let piece = &mut header[k][n];
                piece.text = format!("{} {}", piece.text, q.text);
                piece.x0 = piece.x0.min(q.x0);
                piece.x1 = piece.x1.max(q.x1);
                continue; // the joined piece may go on down
            }
            n += 1;
        }
    }
}

/// A label's next line joined to the row above, cell by cell.
fn join_into(row: &mut [Option<Piece>], more: Vec<Option<Piece>>) {
    for (cell, piece) in row.iter_mut().zip(more) {
        match (cell.as_mut(), piece) {
            (Some(c), Some(p)) => {
                c.text = format!("{} {}", c.text, p.text);
                c.x1 = c.x1.max(p.x1);
            }
            (None, Some(p)) => *cell = Some(p),
            _ => {}
        }
    }
}

fn body_row(cells: Vec<Option<Piece>>) -> Vec<Cell> {
    cells
        .into_iter()
        .map(|p| Cell {
            text: p.as_ref().map(|p| p.text.clone()).unwrap_or_default(),
            bold: p.is_some_and(|p| p.bold),
            span: 1,
            merged_above: false,
        })
        .collect()
}

/// The first of the lines of text just above the rows at `i` that belong to the body: a
/// heading ("RESERVES") or a note set in the text columns, over none of the figure columns
/// (up to six lines, each close to the next).
fn labels_above(
    lines: &[Line],
    cut: &[Vec<Piece>],
    marks: &[Option<Candidate>],
    i: usize,
    cols: &[Column],
    size: f64,
) -> usize {
    let in_text_columns = |p: &Piece| {
        cols.iter()
            .filter(|c| !c.figures)
            .any(|c| (p.x0 - c.x0).abs() <= 0.6 * size || (p.x0 >= c.x0 && p.x1 <= c.x1))
    };
    let mut start = i;
    while start > 0 && i - start < 6 {
        let k = start - 1;
        let close = lines[k + 1].base - lines[k].base <= 2.5 * size;
        if !close || marks[k].is_some() || cut[k].is_empty() || !cut[k].iter().all(in_text_columns)
        {
            break;
        }
        start = k;
    }
    // Lines of text with no header above them are the text before the table, not its rows.
    if start < i && header_start(lines, cut, marks, start, cols, size) == start {
        return i;
    }
    start
}

/// The first header line above the rows at `i`: lines just above (up to six), each close to
/// the next, not list items, none prose, every piece over the columns.
fn header_start(
    lines: &[Line],
    cut: &[Vec<Piece>],
    marks: &[Option<Candidate>],
    i: usize,
    cols: &[Column],
    size: f64,
) -> usize {
    let (left, right) = (cols[0].x0 - size, cols[cols.len() - 1].x1 + size);
    let mut start = i;
    while start > 0 && i - start < 6 {
        let k = start - 1;
        // The header may stand a little apart from the rows; its lines are close together.
        let reach = if k + 1 == i { 3.5 } else { 2.5 };
        let close = lines[k + 1].base - lines[k].base <= reach * size;
        let over = cut[k].iter().all(|p| p.x0 >= left && p.x1 <= right);
        let short = cut[k]
            .iter()
            .all(|p| p.text.split_whitespace().count() <= 8);
        let unit_line = cut[k].iter().all(|p| unit_cell(&p.text).is_some());
        // A header line heads a column of figures (a line over the text columns alone is a
        // heading of the body).
        let heads_figures = cut[k].iter().any(|p| {
            cols.iter()
                .any(|c| c.figures && p.x0 < c.x1 + 0.3 * size && p.x1 > c.x0 - 0.3 * size)
        });
        // A line set larger than the table is its title, not its header.
        let title = lines[k].size > 1.3 * size;
        let fits = close && over && heads_figures && !title && (short || unit_line);
        if !fits || marks[k].is_some() || figure_line(&cut[k]) {
            break;
        }
        start = k;
    }
    start
}

/// The columns a header piece heads. A piece in a shaded header cell (Excel fills a band
/// over a group of columns), alone in it on its line, heads every column under the shading; a
/// piece of a line of group headings over a line of column headings ("2025-26" over "Core
/// External Total", not shaded) the columns of figures nearer to it than to its neighbours;
/// any other piece, the columns it stands over, or the nearest one.
fn heads(
    n: usize,
    pieces: &[Piece],
    base: f64,
    cols: &[Column],
    (size, panels): (f64, &[Rule]),
) -> Vec<usize> {
    let piece = &pieces[n];
    let centre = |k: usize| (cols[k].x0 + cols[k].x1) / 2.0;
    let in_band = |p: &Piece, r: &Rule| {
        p.x0 >= r.x0 - 1.0 && p.x1 <= r.x1 + 1.0 && base > r.y0 && base < r.y1 + 1.0
    };
    let band = panels
        .iter()
        .find(|r| in_band(piece, r) && pieces.iter().filter(|p| in_band(p, r)).count() == 1);
    if let Some(r) = band {
        return (0..cols.len())
            .filter(|&k| centre(k) > r.x0 && centre(k) < r.x1)
            .collect();
    }
    let over: Vec<usize> = (0..cols.len())
        .filter(|&k| piece.x0 < cols[k].x1 + 0.3 * size && piece.x1 > cols[k].x0 - 0.3 * size)
        .collect();
    let figures = cols.iter().filter(|c| c.figures).count();
    if over.len() <= 1 && pieces.len() >= 2 && pieces.len() < figures {
        let mid = |q: &Piece| (q.centre() + piece.centre()) / 2.0;
        let left = n.checked_sub(1).map_or(f64::MIN, |m| mid(&pieces[m]));
        let right = pieces.get(n + 1).map_or(f64::MAX, mid);
        let near: Vec<usize> = (0..cols.len())
            .filter(|&k| cols[k].figures && centre(k) > left && centre(k) < right)
            .collect();
        if !near.is_empty() {
            return near;
        }
    }
    if !over.is_empty() {
        return over;
    }
    let distance = |k: usize| (centre(k) - piece.centre()).abs();
    (0..cols.len())
        .min_by(|&a, &b| distance(a).total_cmp(&distance(b)))
        .into_iter()
        .collect()
}

/// A header line as a row of cells: each piece heads the columns `heads` gives it (the first
/// piece to claim a column keeps it); a piece over several columns spans them.
fn header_row(
    pieces: &[Piece],
    base: f64,
    cols: &[Column],
    size: f64,
    panels: &[Rule],
) -> Vec<Cell> {
    let mut headed: Vec<Option<usize>> = vec![None; cols.len()];
    for n in 0..pieces.len() {
        for k in heads(n, pieces, base, cols, (size, panels)) {
            headed[k].get_or_insert(n);
        }
    }
    let mut row = Vec::new();
    let mut k = 0;
    while k < cols.len() {
        let span = headed[k..]
            .iter()
            .take_while(|h| **h == headed[k])
            .count()
            .max(1);
        let (text, bold, span) = match headed[k] {
            Some(n) => (pieces[n].text.clone(), pieces[n].bold, span),
            None => (String::new(), false, 1),
        };
        row.push(Cell {
            text,
            bold,
            span,
            merged_above: false,
        });
        k += span;
    }
    row
}
