//! The JSON format: each document's view as data, beside its page, for re-use.

use super::{Document, Index, Made, Paper, Renderer, Site};

pub(crate) struct Json;

impl Renderer for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    /// The view alone: nothing but the paper and clerk's version goes into it.
    fn key(&self, _site: &Site) -> String {
        String::new()
    }

    fn document(&self, doc: &Document, paper: &Paper, made: &mut Made) {
        let Some(data) = &doc.data else {
            return;
        };
        let file = format!("{}/{}.json", paper.rel, doc.stem);
        match made.write(paper.site.out, &file, data.as_bytes()) {
            Ok(()) => made.documents += 1,
            Err(e) => made.failures.push(format!("cannot write {file}: {e}")),
        }
    }

    /// Each meeting's data, beside its page, and the site's open data (OParl 1.1).
    fn site(&self, index: &Index, site: &Site, made: &mut Made) -> Result<(), String> {
        let cat = &index.catalogue;
        let oparl = crate::site::opendata::oparl(cat, &cat.base, &index.packs);
        for (name, bytes) in crate::site::pages::meeting_data(cat, &index.packs)
            .into_iter()
            .chain(oparl)
        {
            if let Err(e) = made.write(site.out, &name, &bytes) {
                made.failures.push(format!("cannot write {name}: {e}"));
            }
        }
        Ok(())
    }
}
