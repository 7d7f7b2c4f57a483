//! The page tree, walked by clerk and rebuilt flat before pdf-extract reads it. pdf-extract
//! finds what a page inherits (its resources, its media box) by following /Parent, recursively
//! and without end: a /Parent that leads back round overflows the stack. Here the tree is
//! walked from the catalog down, each node at most once and at most `PDF_TREE_DEPTH` deep,
//! counting pages against `PDF_PAGES`; each page is given what it inherits as its own, and the
//! catalog is pointed at one new /Pages node holding every page, which has no /Parent. After
//! this, nothing a reader follows can go round.

use std::collections::BTreeSet;

use lopdf::{Dictionary, Object, ObjectId};

use super::super::document::ImportError;
use super::super::limits::{Budget, PDF_PAGES, PDF_TREE_DEPTH};

/// What a page inherits from the nodes above it (ISO 32000-1, table 30).
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

/// A4 in points: the media box of a page that gives none.
fn a4() -> Object {
    Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()])
}

/// Walks and flattens the page tree; the pages, in order.
pub(super) fn flatten(
    pdf: &mut lopdf::Document,
    file_len: usize,
) -> Result<Vec<ObjectId>, ImportError> {
    let root = pdf
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
        .ok_or_else(|| ImportError::Malformed("the PDF has no pages".into()))?;
    let pages = walk(pdf, root, file_len)?;
    if pages.is_empty() {
        return Err(ImportError::Malformed("the PDF has no pages".into()));
    }
    let node = pdf.new_object_id();
    for (page, inherited) in &pages {
        let Ok(Object::Dictionary(dict)) = pdf.get_object_mut(*page) else {
            continue;
        };
        for (key, value) in inherited {
            if !dict.has(key) {
                dict.set(key.clone(), value.clone());
            }
        }
        if !media_box(dict) {
            dict.set("MediaBox", a4());
        }
        dict.set("Parent", Object::Reference(node));
    }
    let kids: Vec<Object> = pages.iter().map(|(p, _)| Object::Reference(*p)).collect();
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", kids.len() as i64);
    tree.set("Kids", Object::Array(kids));
    pdf.objects.insert(node, Object::Dictionary(tree));
    let catalog = pdf
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| ImportError::Malformed("the PDF has no catalog".into()))?;
    if let Ok(Object::Dictionary(c)) = pdf.get_object_mut(catalog) {
        c.set("Pages", Object::Reference(node));
    }
    Ok(pages.into_iter().map(|(p, _)| p).collect())
}

/// A page and the values it inherits.
type Found = (ObjectId, Vec<(Vec<u8>, Object)>);

/// The pages under `root`, in order, each with what it inherits; refuses a tree deeper than
/// `PDF_TREE_DEPTH` or with more pages than `PDF_PAGES` allows. A node met twice (a cycle, or
/// a page listed twice) is read once. Nodes are typed as lopdf reads them: /Page leaves,
/// /Pages nodes with /Kids, anything else passed over.
fn walk(pdf: &lopdf::Document, root: ObjectId, file_len: usize) -> Result<Vec<Found>, ImportError> {
    let mut count = Budget::new(&PDF_PAGES, file_len);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    // (node, depth, inherited so far), last pushed first.
    let mut stack = vec![(root, 1u64, Vec::new())];
    while let Some((id, depth, inherited)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        PDF_TREE_DEPTH.check(depth, 0)?;
        let Ok(dict) = pdf.get_dictionary(id) else {
            continue;
        };
        let mut here: Vec<(Vec<u8>, Object)> = inherited;
        for key in INHERITED {
            if let Ok(value) = dict.get(key) {
                here.retain(|(k, _)| k.as_slice() != key);
                here.push((key.to_vec(), value.clone()));
            }
        }
        match dict.get_type() {
            Ok(b"Page") => {
                count.spend(1)?;
                found.push((id, here));
            }
            Ok(b"Pages") => {
                let kids = dict
                    .get_deref(b"Kids", pdf)
                    .and_then(Object::as_array)
                    .map(|k| k.as_slice())
                    .unwrap_or_default();
                for kid in kids.iter().rev() {
                    if let Ok(kid) = kid.as_reference() {
                        if !seen.contains(&kid) {
                            stack.push((kid, depth + 1, here.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(found)
}

/// The page's media box is four numbers, as pdf-extract needs it (it indexes four).
fn media_box(dict: &Dictionary) -> bool {
    match dict.get(b"MediaBox") {
        Ok(Object::Array(items)) => {
            items.len() >= 4 && items.iter().take(4).all(|o| o.as_float().is_ok())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::hostile::{pdf_pages, pdf_parent_cycle};

    #[test]
    fn a_parent_that_leads_back_round_is_cut_and_the_page_kept() {
        let mut pdf = lopdf::Document::load_mem(&pdf_parent_cycle()).unwrap();
        let pages = flatten(&mut pdf, 1000).unwrap();
        assert_eq!(pages.len(), 1);
        let page = pdf.get_dictionary(pages[0]).unwrap();
        let parent = page.get(b"Parent").unwrap().as_reference().unwrap();
        assert!(pdf.get_dictionary(parent).unwrap().get(b"Parent").is_err());
        assert!(media_box(page));
        assert_eq!(pdf.get_pages().len(), 1);
    }

    #[test]
    fn pages_past_the_allowance_are_refused() {
        let bytes = pdf_pages(300);
        let mut pdf = lopdf::Document::load_mem(&bytes).unwrap();
        // 300 small pages in a file of about 60 KiB: the floor of 200 pages applies.
        match flatten(&mut pdf, bytes.len()) {
            Err(ImportError::Limit { limit, .. }) => assert_eq!(limit.name, "pdf-pages"),
            other => panic!("{other:?}"),
        }
        let mut pdf = lopdf::Document::load_mem(&pdf_pages(20)).unwrap();
        assert_eq!(flatten(&mut pdf, 1000).unwrap().len(), 20);
        assert_eq!(pdf.get_pages().len(), 20);
    }
}
