//! Label/value grids: a paper's header block set as two columns without rules (clerk's own
//! PDF: "From", "To", "Meeting", "Subject" … in bold, each value beside its label). Each row
//! starts with a short bold label; its value starts at the same x on every row and may wrap
//! onto lines of its own, which start there too. Read as a table of two columns, one row per
//! label, so that a value that wraps is not joined to the next row's label.

use super::{join_words, Candidate, Cell, Line, Origin, Table, Word};

/// How far two starts may differ and still count as one column (points).
const ALIGN: f64 = 1.5;

/// The label and value of a line that starts a row: a short bold label (one to six words,
/// two letters at least, not a list mark), then a gap wider than the font size, then a
/// value that is not all bold.
fn labelled<'a>(line: &'a Line, mark: &Option<Candidate>) -> Option<(&'a [Word], &'a [Word])> {
    match (&line.segments(1.0)[..], mark) {
        ([label, value], None)
            if label.len() <= 6
                && label.iter().all(|w| w.bold)
                && !value.iter().all(|w| w.bold)
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

/// A label/value grid starting at line `start`, as its line count and table; `None` unless
/// it has three labelled rows at least.
fn grid_at(lines: &[Line], marks: &[Option<Candidate>], start: usize) -> Option<(usize, Table)> {
    let (label, value) = labelled(&lines[start], &marks[start])?;
    let (label_x, value_x) = (label[0].x0, value[0].x0);
    let mut rows: Vec<(Vec<&Word>, Vec<&Word>)> =
        vec![(label.iter().collect(), value.iter().collect())];
    let mut end = start + 1;
    while let Some(line) = lines.get(end) {
        let last = &lines[end - 1];
        if line.base - last.base > 2.0 * line.size.max(last.size) || line.base <= last.base {
            break;
        }
        match labelled(line, &marks[end]) {
            Some((l, v))
                if (l[0].x0 - label_x).abs() < ALIGN && (v[0].x0 - value_x).abs() < ALIGN =>
            {
                rows.push((l.iter().collect(), v.iter().collect()));
            }
            None if marks[end].is_none() && (line.x0() - value_x).abs() < ALIGN && !line.bold() => {
                rows.last_mut().expect("a row").1.extend(line.words.iter());
            }
            _ => break,
        }
        end += 1;
    }
    if rows.len() < 3 {
        return None;
    }
    let cell = |words: &[&Word]| Cell {
        text: join_words(words.iter().copied()),
        bold: words.iter().all(|w| w.bold),
        span: 1,
        merged_above: false,
    };
    let rows = rows.iter().map(|(l, v)| vec![cell(l), cell(v)]).collect();
    let origin = Origin::Page {
        page: 0,
        line: lines[start].row as u32 + 1,
    };
    Some((end - start, Table { rows, origin }))
}

/// The label/value grids among a page's lines: (first line, line count, table), the table's
/// origin on page `page`.
pub(super) fn label_grids(
    lines: &[Line],
    marks: &[Option<Candidate>],
    page: u32,
) -> Vec<(usize, usize, Table)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match grid_at(lines, marks, i) {
            Some((count, mut table)) => {
                if let Origin::Page { page: p, .. } = &mut table.origin {
                    *p = page;
                }
                found.push((i, count, table));
                i += count;
            }
            None => i += 1,
        }
    }
    found
}
