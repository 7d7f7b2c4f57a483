//! Page furniture that a PDF does not mark as an artifact: a first or last line of a page
//! that says only "Page N of M", "Page N" or "N", and running headers and footers: a first or
//! last line of a page, set apart from the text by twice its size at least, that comes back
//! word for word and at the same height on most pages. Lines of a tagged table or heading are
//! never furniture (a table row or a heading can repeat page after page).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{join_words, words, Glyph, PageInk};

/// A line that is a page number and nothing else.
static PAGE_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^page \d{1,4}( of \d{1,4})?$").expect("a valid pattern"));

/// A row of a page as furniture is recognised by: its text, and its baseline to the point.
type Key = (String, i64);

/// Whether a glyph's marked content on a page is tagged as a table cell or a heading.
pub(super) type Tagged<'a> = dyn Fn(u32, i64) -> bool + 'a;

/// Removes page furniture from pages whose glyphs are numbered into rows (and sorted).
pub(super) fn drop_furniture(pages: &mut [PageInk], tagged: &Tagged) {
    let edges: Vec<Vec<Edge>> = pages
        .iter()
        .map(|p| {
            let mut edges = edge_rows(&p.glyphs);
            edges.retain(|e| {
                !p.glyphs
                    .iter()
                    .any(|g| g.row == e.row && tagged(p.number, g.mcid))
            });
            edges
        })
        .collect();
    let mut seen: HashMap<&Key, usize> = HashMap::new();
    for page in &edges {
        let mut keys: Vec<&Key> = page.iter().map(|edge| &edge.key).collect();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let running = |key: &Key| {
        let n = seen.get(key).copied().unwrap_or(0);
        n >= 2 && 2 * n >= pages.len()
    };
    let doomed: Vec<Vec<usize>> = edges
        .iter()
        .map(|page| {
            page.iter()
                .filter(|edge| edge.page_number || (edge.apart && running(&edge.key)))
                .map(|edge| edge.row)
                .collect()
        })
        .collect();
    for (page, rows) in pages.iter_mut().zip(doomed) {
        let before: usize = page.glyphs.iter().map(|g| g.text.chars().count()).sum();
        page.glyphs.retain(|g| !rows.contains(&g.row));
        let after: usize = page.glyphs.iter().map(|g| g.text.chars().count()).sum();
        page.furniture += before - after;
    }
}

/// The first or the last row of a page.
struct Edge {
    row: usize,
    key: Key,
    /// It says "Page N of M", "Page N" or "N".
    page_number: bool,
    /// Its baseline is twice its size at least from the next row's (or the one before).
    apart: bool,
}

/// The first and the last row of a page.
fn edge_rows(glyphs: &[Glyph]) -> Vec<Edge> {
    let (Some(first), Some(last)) = (glyphs.first(), glyphs.last()) else {
        return Vec::new();
    };
    let mut rows = vec![first.row];
    if last.row != first.row {
        rows.push(last.row);
    }
    let base = |row: usize| {
        glyphs
            .iter()
            .find(|g| g.row == row)
            .map(|g| (g.base, g.size))
    };
    rows.into_iter()
        .map(|row| {
            let row_glyphs: Vec<&Glyph> = glyphs.iter().filter(|g| g.row == row).collect();
            let text = join_words(words(&row_glyphs, 0, &|_, _| None).iter());
            let page_number = PAGE_OF.is_match(&text)
                || (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit()));
            let (here, size) = (row_glyphs[0].base, row_glyphs[0].size);
            let neighbour = if row == first.row {
                row + 1
            } else {
                row.wrapping_sub(1)
            };
            let apart = base(neighbour)
                .is_none_or(|(there, other)| (there - here).abs() >= 2.0 * size.max(other));
            Edge {
                row,
                key: (text, here.round() as i64),
                page_number,
                apart,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph per word of `text`, on `row` at baseline `base`, 11pt.
    fn row(text: &str, row: usize, base: f64) -> Vec<Glyph> {
        let mut x = 50.0;
        text.split(' ')
            .map(|w| {
                let g = Glyph {
                    text: w.into(),
                    x0: x,
                    x1: x + 6.0 * w.chars().count() as f64,
                    base,
                    size: 11.0,
                    bold: false,
                    mcid: -1,
                    row,
                };
                x = g.x1 + 4.0;
                g
            })
            .collect()
    }

    fn page(number: u32, rows: &[(&str, f64)]) -> PageInk {
        let glyphs = rows
            .iter()
            .enumerate()
            .flat_map(|(i, (text, base))| row(text, i, *base))
            .collect();
        PageInk {
            number,
            glyphs,
            ..PageInk::default()
        }
    }

    fn texts(page: &PageInk) -> Vec<String> {
        let mut rows: Vec<String> = Vec::new();
        for r in page.glyphs.chunk_by(|a, b| a.row == b.row) {
            rows.push(
                r.iter()
                    .map(|g| g.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        rows
    }

    #[test]
    fn a_repeated_edge_line_set_apart_goes_but_one_close_to_the_text_stays() {
        // Each page: a running header set apart from the text, and a last line (a table's
        // total) that repeats at the same height but sits close under the line before it.
        let rows = [
            ("Kent County Council 20/00102", 40.0),
            ("Body text", 90.0),
            ("Total £5,500.00", 104.0),
        ];
        let mut pages: Vec<PageInk> = (1..=3).map(|n| page(n, &rows)).collect();
        drop_furniture(&mut pages, &|_, _| false);
        for page in &pages {
            assert_eq!(texts(page), ["Body text", "Total £5,500.00"]);
        }
    }

    #[test]
    fn page_numbers_go_even_on_one_page_and_tagged_lines_stay() {
        let mut pages = vec![page(1, &[("Report", 60.0), ("Page 1 of 1", 800.0)])];
        drop_furniture(&mut pages, &|_, _| false);
        assert_eq!(texts(&pages[0]), ["Report"]);
        let mut pages = vec![page(1, &[("Report", 60.0), ("Text", 74.0), ("7", 800.0)])];
        drop_furniture(&mut pages, &|_, _| false);
        assert_eq!(texts(&pages[0]), ["Report", "Text"]);
        let mut pages: Vec<PageInk> = (1..=2)
            .map(|n| page(n, &[("Section", 40.0), ("Text", 120.0)]))
            .collect();
        drop_furniture(&mut pages, &|_, _| true);
        assert_eq!(texts(&pages[1]), ["Section", "Text"]);
    }
}
