//! Label/value grids: a paper's header block set as two columns without rules (clerk's own
//! PDF: "From", "To", "Meeting", "Subject" … in bold, each value beside its label). Each row
//! starts with a short bold label; its value starts at the same x on every row and may wrap
//! onto lines of its own, which start there too. Read as a table of two columns, one row per
//! label, so that a value that wraps is not joined to the next row's label.

use super::{join_words, wrapped, Candidate, Cell, Line, Origin, Table, Word};

/// How far two starts may differ and still count as one column (points).
const ALIGN: f64 = 1.5;

/// The label and value of a line that starts a row: a short bold label (one to six words,
/// two letters at least, not a list mark), then a gap wider than the font size, then the
/// value. The grid's first row must have a value that is not all bold (else it may be a
/// heading with a gap in it); `bold_value` allows one in the rows after it.
fn labelled<'a>(
    line: &'a Line,
    mark: &Option<Candidate>,
    bold_value: bool,
) -> Option<(&'a [Word], &'a [Word])> {
    match (&line.segments(1.0)[..], mark) {
        ([label, value], None)
            if label.len() <= 6
                && label.iter().all(|w| w.bold)
                && (bold_value || !value.iter().all(|w| w.bold))
                && label
                    .iter()
                    .flat_map(|w| w.text.chars())
                    .filter(|c| c.is_alphabetic())
                    .count()
                    >= 2 =>
        {
            Some((label, value))
        }
        _ => None,
    }
}

/// One row of a grid being read: the line it starts on, its label's and its value's words.
struct Row<'a> {
    line: usize,
    label: Vec<&'a Word>,
    value: Vec<&'a Word>,
}

/// A label/value grid found among a page's lines.
pub(super) struct LabelGrid {
    /// Its first line and its line count.
    pub start: usize,
    pub count: usize,
    pub table: Table,
    /// A value wraps onto a line of its own somewhere in it.
    pub wraps: bool,
}

/// The rows of a label/value grid starting at line `start`, and the line after it; `None`
/// unless it has three rows at least. A line close below that may belong to the last row but
/// cannot be read as part of it (a label that wraps: short and bold under the labels, as
/// close as a wrapped line; a line under the values in another look) ends the grid before
/// that row, which is left out rather than cut short. A value's line after one that ends
/// short of `right`, or before the last two-fifths of the value column, or that starts with
/// a word wider than a third of the column (an e-mail address: a wrap or a line break?),
/// means no grid: a line break is the author's, and a table cell would lose it.
fn grid_rows<'a>(
    lines: &'a [Line],
    marks: &[Option<Candidate>],
    start: usize,
    right: f64,
) -> Option<(Vec<Row<'a>>, usize)> {
    let (label, value) = labelled(&lines[start], &marks[start], false)?;
    let (label_x, value_x) = (label[0].x0, value[0].x0);
    let row = |line: usize, label: &'a [Word], value: &'a [Word]| Row {
        line,
        label: label.iter().collect(),
        value: value.iter().collect(),
    };
    let mut rows = vec![row(start, label, value)];
    let mut end = start + 1;
    while let Some(line) = lines.get(end) {
        let last = &lines[end - 1];
        if line.base - last.base > 2.0 * line.size.max(last.size) || line.base <= last.base {
            break;
        }
        let hangs = marks[end].is_none() && (line.x0() - value_x).abs() < ALIGN;
        let label_wraps = (line.x0() - label_x).abs() < ALIGN
            && line.bold()
            && line.words.len() <= 6
            && line.base - last.base < 1.5 * line.size.max(last.size);
        let current = rows.last_mut().expect("a row");
        match labelled(line, &marks[end], true) {
            Some((l, v))
                if (l[0].x0 - label_x).abs() < ALIGN && (v[0].x0 - value_x).abs() < ALIGN =>
            {
                rows.push(row(end, l, v));
            }
            None if hangs && line.bold() == current.value.iter().all(|w| w.bold) => {
                let first_word = line.words[0].x1 - line.words[0].x0;
                if !wrapped(last, line, right)
                    || last.x1() < value_x + 0.6 * (right - value_x)
                    || first_word > (right - value_x) / 3.0
                {
                    return None;
                }
                current.value.extend(line.words.iter());
            }
            _ => {
                if hangs || label_wraps {
                    end = rows.pop().expect("a row").line;
                }
                break;
            }
        }
        end += 1;
    }
    (rows.len() >= 3).then_some((rows, end))
}

/// The label/value grid starting at line `start` of page `page`, if there is one.
fn grid_at(
    lines: &[Line],
    marks: &[Option<Candidate>],
    start: usize,
    page: u32,
) -> Option<LabelGrid> {
    let right = lines.iter().map(Line::x1).fold(f64::MIN, f64::max);
    let (rows, end) = grid_rows(lines, marks, start, right)?;
    let cell = |words: &[&Word]| Cell {
        text: join_words(words.iter().copied()),
        bold: words.iter().all(|w| w.bold),
        span: 1,
        merged_above: false,
    };
    let table = Table {
        rows: rows
            .iter()
            .map(|r| vec![cell(&r.label), cell(&r.value)])
            .collect(),
        origin: Origin::Page {
            page,
            line: lines[start].row as u32 + 1,
        },
    };
    Some(LabelGrid {
        start,
        count: end - start,
        table,
        wraps: end - start > rows.len(),
    })
}

/// The label/value grids among a page's lines.
pub(super) fn label_grids(
    lines: &[Line],
    marks: &[Option<Candidate>],
    page: u32,
) -> Vec<LabelGrid> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match grid_at(lines, marks, i, page) {
            Some(grid) => {
                i += grid.count;
                found.push(grid);
            }
            None => i += 1,
        }
    }
    found
}
