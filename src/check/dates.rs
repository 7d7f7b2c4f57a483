//! A date range never ends before it starts ("October 2018 – May 2018"), and a record is
//! never dated before the report it records or the meeting that report went to.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::check::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::model::MappedText;

const MONTHS: &str = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static RANGE_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    // Day and year optional on the start; the year may touch the month ("October2018").
    let pattern = format!(
        r"(?i)(?-u:\b)(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m1>{MONTHS})\.?(?:\s*(?P<y1>(?:19|20)\d\d))?\s*(?:-|–|—|to|until)\s*(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<m2>{MONTHS})\.?\s*(?P<y2>(?:19|20)\d\d)(?-u:\b)"
    );
    Regex::new(&pattern).expect("valid")
});

fn month_number(name: &str) -> u32 {
    let n = name.to_ascii_lowercase();
    [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| n.starts_with(m))
    .map_or(0, |i| i as u32 + 1)
}

/// Backwards date ranges in a piece of text, as (range in the text, message).
pub fn backwards_ranges(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for caps in RANGE_REGEX.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        let m1 = month_number(&caps["m1"]);
        let m2 = month_number(&caps["m2"]);
        let y2: u32 = caps["y2"].parse().unwrap_or(0);
        // Without a start year the writer means the range to run forwards: nothing to check.
        let Some(y1) = caps.name("y1").and_then(|y| y.as_str().parse::<u32>().ok()) else {
            continue;
        };
        let d1: u32 = caps
            .name("d1")
            .and_then(|d| d.as_str().parse().ok())
            .unwrap_or(1);
        let d2: u32 = caps
            .name("d2")
            .and_then(|d| d.as_str().parse().ok())
            .unwrap_or(31);
        if (y2, m2, d2) < (y1, m1, d1) {
            out.push((
                whole.range(),
                format!(
                    "the range “{}” ends before it starts",
                    whole.as_str().trim()
                ),
            ));
        }
    }
    out
}

/// A decision is recorded on or after its report's date and the meeting it went to.
fn record_date(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let (Some(report), Some(decision)) = (&cx.paper.report, &cx.paper.decision) else {
        return;
    };
    let Some(taken) = &decision.meta.date else {
        return;
    };
    let r = &report.meta;
    let earlier = [("meeting", &r.meeting_date), ("report", &r.date)]
        .into_iter()
        .filter_map(|(what, d)| d.as_ref().map(|d| (what, d)))
        .find(|(_, d)| taken.value.0 < d.value.0);
    if let Some((what, d)) = earlier {
        let show = crate::text::long_date;
        let said = if what == "meeting" {
            "the meeting its report went to"
        } else {
            "its report"
        };
        out.push(
            Diagnostic::error(
                Code::RecordDate,
                decision.file,
                decision.span(taken),
                format!("the record is dated {}, before {said} ({})", show(taken.value.0), show(d.value.0)),
            )
            .with_related(report.file, report.span(d), format!("the report's {what} date"))
            .with_hint("a decision is recorded on or after the day it is taken; check the record's `date:`"),
        );
    }
}

static DECISION_DATE_REGEX: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?i)^\s*(?:(?:date\s+of\s+(?:the\s+)?decision|decision\s+(?:was\s+)?(?:taken|made|signed)(?:\s+on)?|signed(?:\s+on)?|dated|date)\s*[:\-–]?\s*)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{MONTHS})\.?\s+(?P<y>(?:19|20)\d\d)\s*\.?\s*$"
    );
    Regex::new(&pattern).expect("valid")
});

/// A record's body that dates the decision ("29 May 2020" under the signature, "Date of
/// decision: 29 May 2020") agrees with its front matter's `date:`.
fn record_prose_date(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let Some(decision) = &cx.paper.decision else {
        return;
    };
    let Some(taken) = &decision.meta.date else {
        return;
    };
    for block in decision.body.prose() {
        let text = block.text.text.replace("**", "").replace("__", "");
        let Some(caps) = DECISION_DATE_REGEX.captures(&text) else {
            continue;
        };
        let said = chrono::NaiveDate::from_ymd_opt(
            caps["y"].parse().unwrap_or(0),
            month_number(&caps["m"]),
            caps["d"].parse().unwrap_or(0),
        );
        let Some(said) = said.filter(|d| *d != taken.value.0) else {
            continue;
        };
        let show = crate::text::long_date;
        out.push(
            Diagnostic::error(
                Code::RecordDate,
                decision.file,
                block.span.clone(),
                format!(
                    "the record's text dates the decision {}, but its `date:` is {}",
                    show(said),
                    show(taken.value.0)
                ),
            )
            .with_related(decision.file, decision.span(taken), "the record's date")
            .with_hint(
                "correct whichever is wrong: the date under the signature or the front matter's",
            ),
        );
    }
}

pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    record_date(cx, &mut out);
    record_prose_date(cx, &mut out);
    for (file, body) in cx.bodies() {
        for block in body.prose() {
            scan(file, &block.text, &mut out);
        }
        for table in &body.tables {
            for row in &table.rows {
                for cell in &row.cells {
                    scan(file, &cell.text, &mut out);
                }
            }
        }
    }
    out
}

fn scan(file: FileId, text: &MappedText, out: &mut Vec<Diagnostic>) {
    for (range, message) in backwards_ranges(&text.text) {
        out.push(
            Diagnostic::error(Code::DateRange, file, text.source_range(range), message)
                .with_label("ends before it starts")
                .with_hint("check the years: a range runs from the earlier date to the later"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::backwards_ranges;

    #[test]
    fn finds_ranges_that_run_backwards() {
        assert_eq!(backwards_ranges("October2018- May 2018").len(), 1);
        assert_eq!(backwards_ranges("October 2018 – May 2018").len(), 1);
        assert_eq!(backwards_ranges("1 June 2020 to 3 May 2020").len(), 1);
        assert!(backwards_ranges("Jan 2020 – Apr 2020").is_empty());
        assert!(backwards_ranges("Aug 2020 – Sept 2020").is_empty());
        assert!(backwards_ranges("July- September 2018").is_empty());
        assert!(backwards_ranges("November – February 2021").is_empty());
        assert!(backwards_ranges("October 2018 – May 2019").is_empty());
    }
}
