//! `clerk codes`: every diagnostic code, or one code explained with an example. Each example
//! is a scenario of tests/fixtures/cases/ (what it shows, and what clerk prints for it, as its
//! test checks), embedded when clerk is built (build.rs).

use crate::diagnostic::{closest, Code};

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

/// Examples of the codes no scenario folder can hold (a file too large to keep, an import over
/// a paper that exists, a Word file nested too deep or mostly unread, a PDF's figures in no
/// table, a machine without Pagefind), made by tests at run time: what clerk prints for them,
/// which tests/suite/everyday.rs (C1104 and C1105: tests/suite/import.rs) checks against clerk
/// itself.
pub(crate) const MADE_AT_TEST_TIME: &[(&str, &str, &str)] = &[
    (
        "C0111",
        "A report.md of 5 MiB (tests/suite/cases.rs makes one): it is refused, C0111.",
        "error[C0111]: `papers/library-hours/report.md` is larger than 4 MiB\n  ┌─ papers/library-hours/report.md:1:1\n  │\n1 │ \n  │ ^\n  │\n  = help: a report is text; move images and data into separate files\n",
    ),
    (
        "C1102",
        "A Word paper imported a second time into the same folder (tests/suite/import.rs does it): nothing is overwritten, C1102.",
        "error[C1102]: cannot write `imported/20-00017/report.md`: `imported/20-00017/report.md` already exists; clerk import never overwrites\n",
    ),
    (
        "C1103",
        "A Word file of 7 KB whose tables are nested 1,000 deep (tests/suite/everyday.rs makes one): it is refused before it is read, C1103.",
        "error[C1103]: cannot import `tables-1000-deep.docx`: the file is beyond what clerk reads: more than 16 tables nested inside table cells (limit `docx-table-nesting`)\n = why the limit: a table in a cell of a table in a cell is read recursively; real papers nest two or three\n = help: no council paper comes near this limit; if the file is a real paper, save it again from Word, or split it\n",
    ),
    (
        "C1104",
        "A Word paper whose text is all in a text box (tests/suite/import.rs makes one): clerk check says how little it read, C1104, and clerk import writes nothing.",
        "error[C1104]: clerk could not read `boxed.docx`: only 0% of its text placed (1120 of 1131 characters not placed, in 1 place); nothing in the unread part was checked\n = not placed: «1120 characters the Word reader did not read (text boxes, shapes or other objects)»\n = help: `clerk import --blocks FILE` shows what the reader saw; a council profile can name the labels of its template\n",
    ),
    (
        "C1105",
        "A PDF of figures set in lines that stand in no columns (tests/suite/import.rs makes one): their figures are not checked, and clerk says so, C1105.",
        "error[C1105]: 3 lines of figures in `figures.pdf` could not be read as a table (the first at page 1, line 2: «1,234.5 67,890.1 2,345.6 9,876.5»); their figures are not checked\n = also page 1, line 3: «1,234.5 67,890.1 2,345.6 9,876.5»\n = also page 1, line 4: «1,234.5 67,890.1 2,345.6 9,876.5 1,234.5 67,890.1 2,345.6 9,876.5»\n = help: `clerk import --blocks FILE` shows how the reader saw them\n",
    ),
    (
        "C1201",
        "clerk build on a machine without Pagefind (tests/suite/build.rs hides it): the site is built, without its search index, C1201.",
        "warning[C1201]: the search index was not made: Pagefind 1.x was not found (CLERK_PAGEFIND, or pagefind on PATH); the rest of the site was built, and its search page lists the papers\n = help: install Pagefind (`npm install -g pagefind` or `pip install pagefind-bin`), or set CLERK_PAGEFIND to its binary, and build again\n",
    ),
    (
        "C1203",
        "A published paper changed, and built again with no `updated:` in its front matter (tests/suite/versions.rs does it): the new version is dated by the latest date the paper carries, C1203.",
        "warning[C1203]: papers/library-hours changed since it was published, and no `updated:` later than its last version's says when: its page says \"Updated on 9 March 2021\", the latest date it carries\n = help: add `updated: YYYY-MM-DD` to the report's (or the record's) front matter: the day this version is published\n",
    ),
];

/// One line per code: its id, name and what it means.
pub fn list() -> String {
    Code::ALL
        .iter()
        .map(|c| format!("{}  {:<28} {}\n", c.id(), c.name(), c.summary()))
        .collect()
}

/// The code `query` names (its id in any case, or its name).
fn find(query: &str) -> Result<Code, String> {
    let query = query.trim();
    if let Some(code) = Code::ALL
        .iter()
        .find(|c| c.id().eq_ignore_ascii_case(query) || c.name() == query)
    {
        return Ok(*code);
    }
    let choices: Vec<String> = Code::ALL
        .iter()
        .flat_map(|c| [c.id().to_string(), c.name().to_string()])
        .collect();
    let hint = closest(&query.to_ascii_uppercase(), &choices)
        .or_else(|| closest(query, &choices))
        .map_or(String::new(), |c| format!(" (did you mean {c}?)"));
    Err(format!(
        "there is no code `{query}`{hint}; `clerk codes` lists them all"
    ))
}

/// An example of `code`: where it comes from, what it shows, and what clerk prints for it
/// (that code's finding alone). A scenario that names the code in what it shows comes first.
pub fn example(code: Code) -> Option<(String, &'static str, String)> {
    let marker = format!("[{}]", code.id());
    let finding = |expected: &str| {
        // expected.txt starts with the exit status on a line of its own.
        let printed = expected.split_once('\n').map_or("", |(_, rest)| rest);
        printed
            .split("\n\n")
            .find(|block| {
                (block.starts_with("error[") || block.starts_with("warning["))
                    && block.contains(&marker)
                    && block.lines().next().is_some_and(|l| l.contains(&marker))
            })
            .map(|block| format!("{}\n", block.trim_end()))
    };
    let shown = |readme: &str| readme.contains(code.id());
    let scenario = CASES
        .iter()
        .filter(|(_, readme, _)| shown(readme))
        .chain(CASES.iter().filter(|(_, readme, _)| !shown(readme)))
        .find_map(|(name, readme, expected)| {
            finding(expected).map(|f| (format!("tests/fixtures/cases/{name}"), readme.trim(), f))
        });
    scenario.or_else(|| {
        MADE_AT_TEST_TIME
            .iter()
            .find(|(id, _, _)| *id == code.id())
            .map(|(_, readme, printed)| {
                (
                    "made by the tests".to_string(),
                    *readme,
                    printed.to_string(),
                )
            })
    })
}

/// `clerk codes CODE`: what the code means, and an example of it.
pub fn explain(query: &str) -> Result<String, String> {
    let code = find(query)?;
    let mut out = format!("{} {}: {}\n", code.id(), code.name(), code.summary());
    match example(code) {
        Some((source, readme, printed)) => {
            out.push_str(&format!("\nExample ({source}): {readme}\n\n{printed}"));
        }
        None => out.push_str("\n(no example of this code yet)\n"),
    }
    out.push_str("\nREADME.md (The checks) says what each area checks; docs/format.md how to write what clerk reads.\n");
    Ok(out)
}
