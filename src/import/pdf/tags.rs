//! The structure tree of a tagged PDF: which marked content is a heading, and which is in a
//! table cell (Table, TR, TH/TD, with their RowSpan and ColSpan). Walks /StructTreeRoot once,
//! each object at most once, within a step budget.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId};

use super::super::limits::PDF_STRUCTURE_DEPTH;
use super::dict_at;

/// Where a piece of marked content sits in a tagged table: table, row and cell (in the
/// row's order), all 0-based; and the paragraph (P, H1–H6, LI) of the cell it is in, as a
/// number that grows through the tree (0 for content in no paragraph).
pub(super) type CellAt = ((usize, usize, usize), usize);

/// One tagged cell: what it spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TagCell {
    pub colspan: usize,
    pub rowspan: usize,
}

/// One tagged table: its rows (TR) of cells (TH/TD), as the tree lists them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct TagTable {
    pub rows: Vec<Vec<TagCell>>,
}

/// What the structure tree says about marked content, keyed by (page object, MCID).
#[derive(Debug, Default)]
pub(super) struct Tags {
    pub headings: HashMap<(ObjectId, i64), u8>,
    pub cells: HashMap<(ObjectId, i64), CellAt>,
    pub tables: Vec<TagTable>,
}

/// Reads the structure tree; empty for an untagged PDF.
pub(super) fn read_tags(pdf: &lopdf::Document) -> Tags {
    let mut walk = TreeWalk {
        pdf,
        roles: HashMap::new(),
        seen: HashSet::new(),
        tags: Tags::default(),
        steps: pdf.objects.len() * 4 + 1000,
        paras: 0,
    };
    let Some(root) = pdf
        .catalog()
        .ok()
        .and_then(|c| dict_at(pdf, c, b"StructTreeRoot"))
    else {
        return Tags::default();
    };
    if let Some(map) = dict_at(pdf, root, b"RoleMap") {
        for (k, v) in map.iter() {
            if let Ok(name) = v.as_name() {
                walk.roles.insert(k.clone(), name.to_vec());
            }
        }
    }
    if let Ok(kids) = root.get(b"K") {
        walk.kids(kids, Context::default(), 0);
    }
    walk.tags
}

/// What an element's content inherits from the elements around it.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    page: Option<ObjectId>,
    level: Option<u8>,
    table: Option<usize>,
    row: Option<usize>,
    cell: Option<(usize, usize, usize)>,
    para: usize,
}

/// State of the structure-tree walk; `steps` caps the work on a hostile tree.
struct TreeWalk<'a> {
    pdf: &'a lopdf::Document,
    roles: HashMap<Vec<u8>, Vec<u8>>,
    seen: HashSet<ObjectId>,
    tags: Tags,
    steps: usize,
    /// Paragraphs entered inside table cells so far.
    paras: usize,
}

impl TreeWalk<'_> {
    /// The standard structure type a type stands for, through the role map (a few steps).
    fn standard<'s>(&'s self, mut role: &'s [u8]) -> &'s [u8] {
        for _ in 0..4 {
            match self.roles.get(role) {
                Some(next) if next.as_slice() != role => role = next,
                _ => break,
            }
        }
        role
    }

    /// Walks a /K value: an MCID, a marked-content reference, an element or an array of them.
    fn kids(&mut self, kids: &Object, at: Context, depth: u32) {
        // Past the depth limit an element's content is not read for headings and cells.
        if self.steps == 0 || u64::from(depth) > PDF_STRUCTURE_DEPTH.cap {
            return;
        }
        self.steps -= 1;
        match kids {
            Object::Integer(mcid) => self.content(at, *mcid),
            Object::Array(items) => {
                for item in items {
                    self.kids(item, at, depth + 1);
                }
            }
            Object::Reference(id) if self.seen.insert(*id) => {
                if let Ok(object) = self.pdf.get_object(*id) {
                    self.kids(object, at, depth + 1);
                }
            }
            Object::Dictionary(dict) => self.element(dict, at, depth),
            _ => {}
        }
    }

    /// Marked content `mcid` on the context's page: recorded as heading and cell content.
    fn content(&mut self, at: Context, mcid: i64) {
        let Some(page) = at.page else {
            return;
        };
        if let Some(level) = at.level {
            self.tags.headings.insert((page, mcid), level);
        }
        if let Some(cell) = at.cell {
            self.tags.cells.insert((page, mcid), (cell, at.para));
        }
    }

    /// A structure element or a marked-content reference (/Type /MCR).
    fn element(&mut self, dict: &Dictionary, mut at: Context, depth: u32) {
        at.page = dict
            .get(b"Pg")
            .and_then(Object::as_reference)
            .ok()
            .or(at.page);
        if let Ok(Object::Integer(mcid)) = dict.get(b"MCID") {
            self.content(at, *mcid);
            return;
        }
        let kind = dict
            .get(b"S")
            .and_then(Object::as_name)
            .map(|s| self.standard(s).to_vec())
            .unwrap_or_default();
        at = self.enter(&kind, dict, at);
        if let Ok(kids) = dict.get(b"K") {
            self.kids(kids, at, depth + 1);
        }
    }

    /// The context inside an element of the given standard type: a heading's level, a new
    /// table, a new row of the table, a new cell of the row, a new paragraph of the cell.
    fn enter(&mut self, kind: &[u8], dict: &Dictionary, mut at: Context) -> Context {
        if at.cell.is_some() && matches!(kind, b"P" | [b'H', b'1'..=b'6'] | b"LI") {
            self.paras += 1;
            at.para = self.paras;
        }
        match kind {
            [b'H', d @ b'1'..=b'6'] => at.level = Some(d - b'0'),
            b"Table" => {
                self.tags.tables.push(TagTable::default());
                at.table = Some(self.tags.tables.len() - 1);
                (at.row, at.cell, at.para) = (None, None, 0);
            }
            b"TR" => {
                if let Some(t) = at.table {
                    let rows = &mut self.tags.tables[t].rows;
                    rows.push(Vec::new());
                    (at.row, at.cell, at.para) = (Some(rows.len() - 1), None, 0);
                }
            }
            b"TH" | b"TD" => {
                if let (Some(t), Some(r)) = (at.table, at.row) {
                    let cell = TagCell {
                        colspan: self.span(dict, b"ColSpan"),
                        rowspan: self.span(dict, b"RowSpan"),
                    };
                    let row = &mut self.tags.tables[t].rows[r];
                    row.push(cell);
                    (at.cell, at.para) = (Some((t, r, row.len() - 1)), 0);
                }
            }
            _ => {}
        }
        at
    }

    /// A cell's ColSpan or RowSpan from its attributes (/A: a dictionary or an array of
    /// them), 1 if none; capped at 100.
    fn span(&self, dict: &Dictionary, key: &[u8]) -> usize {
        let pdf = self.pdf;
        let value = |attrs: &Dictionary| attrs.get(key).ok().and_then(|v| v.as_i64().ok());
        let found = match dict.get(b"A").ok().and_then(|a| super::deref(pdf, a)) {
            Some(Object::Dictionary(attrs)) => value(attrs),
            Some(Object::Array(list)) => list
                .iter()
                .filter_map(|a| super::deref(pdf, a)?.as_dict().ok())
                .find_map(value),
            _ => None,
        };
        found.unwrap_or(1).clamp(1, 100) as usize
    }
}
