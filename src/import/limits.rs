//! Every limit the importer keeps, in one table. A Word or PDF file is untrusted input: a few
//! kilobytes can ask for gigabytes once inflated, nest a structure until the stack overflows,
//! or spell out ranges without end. Each reader counts what it does against these limits
//! before (never after) it does it, and refuses the file clearly past one (`ImportError::Limit`,
//! code C1103). Where a limit grows with the file, the allowance is proportional to the file's
//! size with a floor, so a small real paper is never refused and a large one gets room in
//! proportion; a fixed limit is far beyond anything a real paper holds.
//!
//! `LIMITS` lists them all (README's "Limits" section and docs/import.md show the same table);
//! the tests in `tests/suite/import.rs` make a hostile file for each and check its refusal.

use std::fmt;

use super::document::ImportError;

/// One limit: what it counts, how much is allowed, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Limit {
    /// A short name, as the refusal and the table give it.
    pub name: &'static str,
    /// What is counted, in the words of the refusal: "pages", "inflated".
    pub counts: &'static str,
    /// The count is of bytes (shown in KiB, MiB, GiB).
    pub bytes: bool,
    /// Allowed whatever the file's size.
    pub floor: u64,
    /// Allowed for each KiB of the file, above the floor (0 for a fixed limit).
    pub per_kib: u64,
    /// Never more than this, however large the file.
    pub cap: u64,
    /// Why the limit is where it is, in a sentence.
    pub reason: &'static str,
}

impl Limit {
    /// How much is allowed in a file of `file_len` bytes.
    pub fn allowed(&self, file_len: usize) -> u64 {
        let scaled = (file_len as u64 / 1024).saturating_mul(self.per_kib);
        scaled.max(self.floor).min(self.cap)
    }

    /// The refusal for a file that holds `found` (or more) where `allowed` are allowed.
    pub fn refuse(&'static self, found: u64, allowed: u64) -> ImportError {
        ImportError::Limit {
            limit: self,
            found,
            allowed,
        }
    }

    /// Refuses `found` if it is over what a file of `file_len` bytes is allowed.
    pub fn check(&'static self, found: u64, file_len: usize) -> Result<(), ImportError> {
        let allowed = self.allowed(file_len);
        if found > allowed {
            Err(self.refuse(found, allowed))
        } else {
            Ok(())
        }
    }
}

/// A running count against one limit.
#[derive(Debug)]
pub struct Budget {
    limit: &'static Limit,
    allowed: u64,
    used: u64,
}

impl Budget {
    pub fn new(limit: &'static Limit, file_len: usize) -> Budget {
        Budget {
            limit,
            allowed: limit.allowed(file_len),
            used: 0,
        }
    }

    /// Counts `n` more; refuses once the count passes the allowance.
    pub fn spend(&mut self, n: u64) -> Result<(), ImportError> {
        self.used = self.used.saturating_add(n);
        if self.used > self.allowed {
            Err(self.limit.refuse(self.used, self.allowed))
        } else {
            Ok(())
        }
    }

    /// What is left before the allowance is passed.
    pub fn left(&self) -> u64 {
        self.allowed.saturating_sub(self.used)
    }

    pub fn used(&self) -> u64 {
        self.used
    }
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Word (.docx)

pub static DOCX_INFLATED: Limit = Limit {
    name: "docx-inflated",
    counts: "once inflated",
    bytes: true,
    floor: 32 * MIB,
    per_kib: 40 * KIB,
    cap: 256 * MIB,
    reason: "a Word package's XML deflates about ten times, so forty times the file (and at \
             least 32 MiB) holds any real paper, while a zip bomb inflates a thousand times",
};

pub static DOCX_ELEMENTS: Limit = Limit {
    name: "docx-elements",
    counts: "XML elements",
    bytes: false,
    floor: 250_000,
    per_kib: 1_000,
    cap: 4_000_000,
    reason: "the Word reader keeps every element in memory (a few hundred bytes each), and a \
             real paper has under one element per byte of its file",
};

pub static DOCX_XML_DEPTH: Limit = Limit {
    name: "docx-xml-depth",
    counts: "XML elements nested in one another",
    bytes: false,
    floor: 100,
    per_kib: 0,
    cap: 100,
    reason: "the Word reader recurses into nested elements; a real paper nests about 30 deep, \
             text boxes and tables inside tables included",
};

pub static DOCX_TABLE_NESTING: Limit = Limit {
    name: "docx-table-nesting",
    counts: "tables nested inside table cells",
    bytes: false,
    floor: 16,
    per_kib: 0,
    cap: 16,
    reason: "a table in a cell of a table in a cell is read recursively; real papers nest two \
             or three",
};

pub static LIST_LABEL: Limit = Limit {
    name: "list-label",
    counts: "characters in one list number",
    bytes: false,
    floor: 128,
    per_kib: 0,
    cap: 128,
    reason: "Word writes a list item's number from its level's pattern (`%1.%2.`); a real \
             number (\"2.3.1.\", \"Appendix A –\") is a few characters",
};

pub static LIST_LABELS: Limit = Limit {
    name: "list-labels",
    counts: "characters of list numbers in all",
    bytes: false,
    floor: 200_000,
    per_kib: 2 * KIB,
    cap: 16 * MIB,
    reason: "numbers are rebuilt for every list item, so a pattern that repeats `%1` would \
             multiply the document; real numbers are a small share of its text",
};

// ---------------------------------------------------------------------------------------------
// PDF

pub static PDF_DECODED: Limit = Limit {
    name: "pdf-decoded",
    counts: "of streams once decoded",
    bytes: true,
    floor: 64 * MIB,
    per_kib: 40 * KIB,
    cap: 1024 * MIB,
    reason: "text, fonts and cross-references deflate a few times (images are not decoded), \
             so forty times the file holds any real paper, while filters chained on one \
             another inflate a million times",
};

pub static PDF_OBJECTS: Limit = Limit {
    name: "pdf-objects",
    counts: "objects",
    bytes: false,
    floor: 100_000,
    per_kib: 256,
    cap: 4_000_000,
    reason: "every object is kept in memory; a real paper has one object per 100 bytes or more, \
             object streams included",
};

pub static PDF_PAGES: Limit = Limit {
    name: "pdf-pages",
    counts: "pages",
    bytes: false,
    floor: 200,
    per_kib: 2,
    cap: 10_000,
    reason: "each page is laid out in full; published papers take 6 KB or more a page and \
             the largest meeting packs a few hundred pages",
};

pub static PDF_TREE_DEPTH: Limit = Limit {
    name: "pdf-tree-depth",
    counts: "levels of the page tree",
    bytes: false,
    floor: 32,
    per_kib: 0,
    cap: 32,
    reason: "the page tree is walked to find each page and what it inherits; a real tree is \
             a few levels deep, and a /Parent that leads back round is refused",
};

pub static PDF_FORM_DEPTH: Limit = Limit {
    name: "pdf-form-depth",
    counts: "forms drawn inside forms",
    bytes: false,
    floor: 16,
    per_kib: 0,
    cap: 16,
    reason: "the text reader follows a form into the forms it draws, recursively",
};

pub static PDF_STRUCTURE_DEPTH: Limit = Limit {
    name: "pdf-structure-depth",
    counts: "levels of the structure tree",
    bytes: false,
    floor: 64,
    per_kib: 0,
    cap: 64,
    reason: "a tagged PDF's structure tree is walked recursively; deeper elements are not \
             read for headings and cells (their text is still read from the page)",
};

pub static PDF_OPERATORS: Limit = Limit {
    name: "pdf-operators",
    counts: "content operators, forms counted each time they are drawn",
    bytes: false,
    floor: 200_000,
    per_kib: 50 * KIB,
    cap: 400_000_000,
    reason: "a form drawn a thousand times is a thousand times the work; fifty operators for \
             each byte of the file is far beyond any real page's",
};

pub static PDF_FONT_WORK: Limit = Limit {
    name: "pdf-font-work",
    counts: "units of font work (ToUnicode codes spelt out, font program bytes, glyph widths), \
             counted again on every page that uses the font",
    bytes: false,
    floor: 8_000_000,
    per_kib: 20 * KIB,
    cap: 400_000_000,
    reason: "the text reader builds each font again on every page, spelling out every range of \
             its ToUnicode map; a real map holds a few hundred codes, a hostile one billions",
};

pub static PDF_TABLE_RULES: Limit = Limit {
    name: "pdf-table-rules",
    counts: "ruling lines on one page (above it the page is read without ruled tables)",
    bytes: false,
    floor: 500,
    per_kib: 0,
    cap: 500,
    reason: "ruling lines are compared in pairs to find tables; a page with more is a \
             drawing, and its text is still read",
};

/// Every limit, in the order the README shows them.
pub static LIMITS: &[&Limit] = &[
    &DOCX_INFLATED,
    &DOCX_ELEMENTS,
    &DOCX_XML_DEPTH,
    &DOCX_TABLE_NESTING,
    &LIST_LABEL,
    &LIST_LABELS,
    &PDF_DECODED,
    &PDF_OBJECTS,
    &PDF_PAGES,
    &PDF_TREE_DEPTH,
    &PDF_FORM_DEPTH,
    &PDF_STRUCTURE_DEPTH,
    &PDF_OPERATORS,
    &PDF_FONT_WORK,
    &PDF_TABLE_RULES,
];

/// A count as the refusal shows it: bytes in KiB, MiB or GiB, anything else with separators.
pub struct Shown<'a>(pub &'a Limit, pub u64);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Shown(limit, n) = *self;
        if limit.bytes {
            return write!(f, "{}", bytes(n));
        }
        write!(f, "{}", grouped(n))
    }
}

/// A size in B, KiB, MiB or GiB.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1024 * MIB => format!("{:.1} GiB", n as f64 / (1024 * MIB) as f64),
        n if n >= MIB => format!("{:.1} MiB", n as f64 / MIB as f64),
        n if n >= KIB => format!("{:.1} KiB", n as f64 / KIB as f64),
        n => format!("{n} B"),
    }
}

/// 1234567 as "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allowance_grows_with_the_file_between_its_floor_and_its_cap() {
        assert_eq!(PDF_PAGES.allowed(0), 200);
        assert_eq!(PDF_PAGES.allowed(1024 * 1024), 2048);
        assert_eq!(PDF_PAGES.allowed(1 << 40), 10_000);
        assert_eq!(DOCX_XML_DEPTH.allowed(1 << 30), 100);
    }

    #[test]
    fn every_limit_is_listed_once_with_a_reason() {
        let mut names: Vec<&str> = LIMITS.iter().map(|l| l.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), LIMITS.len());
        for limit in LIMITS {
            assert!(limit.reason.len() > 40, "{}", limit.name);
            assert!(limit.floor <= limit.cap, "{}", limit.name);
        }
    }

    #[test]
    fn a_budget_refuses_once_spent() {
        let mut budget = Budget::new(&PDF_PAGES, 0);
        assert!(budget.spend(200).is_ok());
        match budget.spend(1) {
            Err(ImportError::Limit { found, allowed, .. }) => {
                assert_eq!((found, allowed), (201, 200))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(bytes(3 * MIB / 2), "1.5 MiB");
    }
}
