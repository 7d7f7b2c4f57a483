//! Whether a paper may be published: decided here, once, from every signal, and failing
//! closed. Publishing exempt information (Schedule 12A to the Local Government Act 1972) is the
//! one mistake a council cannot take back, so any doubt withholds the paper.
//!
//! A paper is public only when its report, its record and every appendix could be read and are
//! Unrestricted, and no meeting file in the tree lists it in Part 2. Anything exempt anywhere
//! makes the whole paper exempt; anything that cannot be read makes it unclear. `clerk build`,
//! `clerk pack` and `clerk serve` all ask `decide`; nothing else decides what is public.
//!
//! The rule's other half, `check`, reports the conflicts between those signals as errors, so the
//! author learns why a paper they thought public was withheld.

use std::ops::Range;
use std::path::PathBuf;

use super::PaperContext;
use crate::diagnostic::{Code, Diagnostic, FileId};
use crate::load::PaperPaths;
use crate::model::classification;
use crate::model::meeting::Listing;
use crate::model::{Classification, Paper, ReportMeta, Source};

/// What may be done with a paper.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Publication {
    /// Known Unrestricted everywhere: it may be published.
    Public,
    /// Exempt somewhere (report, record, appendix or a meeting's Part 2): never published. Its
    /// title and paragraph may be named, as a public agenda names a Part 2 item.
    Exempt { paragraph: Option<u32> },
    /// Its classification cannot be known: never published, and named in an error.
    Unclear { why: String },
}

impl Publication {
    pub fn is_public(&self) -> bool {
        matches!(self, Publication::Public)
    }
}

/// Decides whether the paper found at `paths` (and parsed into `paper`) may be published.
pub fn decide(
    paths: &PaperPaths,
    paper: &Paper,
    listings: &[Listing],
    unreadable_meetings: &[PathBuf],
) -> Publication {
    if let Some(why) = unreadable(paths, paper, unreadable_meetings) {
        return Publication::Unclear { why };
    }
    let Some(report) = &paper.report else {
        return Publication::Unclear {
            why: "it has no report, so its classification is unknown".into(),
        };
    };
    let contrary = contrary(paper);

    let meta = &report.meta;
    let record = paper.decision.as_ref().map(|d| &d.meta);
    let exempt = |c: Option<Classification>| c == Some(Classification::Exempt);
    let listed_in_part2 = listings.iter().find(|l| l.part == 2);
    let any_exempt = meta.classification.value == Classification::Exempt
        || exempt(record.and_then(|r| r.classification.as_ref().map(|c| c.value)))
        || paper
            .appendices
            .iter()
            .any(|a| exempt(a.meta.classification.as_ref().map(|c| c.value)))
        || listed_in_part2.is_some();
    if !any_exempt {
        return match contrary.first() {
            None => Publication::Public,
            Some(c) => Publication::Unclear {
                why: format!(
                    "it is classified Unrestricted, but its {} {}",
                    c.document, c.says
                ),
            },
        };
    }
    let paragraph = meta
        .exempt_paragraph
        .as_ref()
        .or(record.and_then(|r| r.exempt_paragraph.as_ref()))
        .map(|p| p.value)
        .or(listed_in_part2.and_then(|l| l.paragraph));
    Publication::Exempt { paragraph }
}

/// Why what the paper says of its classification cannot be read, if it cannot: a meeting
/// file, a report, record or appendix that could not be read, or front matter not to be
/// trusted.
fn unreadable(
    paths: &PaperPaths,
    paper: &Paper,
    unreadable_meetings: &[PathBuf],
) -> Option<String> {
    if let Some(meeting) = unreadable_meetings.first() {
        return Some(format!(
            "the meeting file `{}` cannot be read, so clerk cannot tell whether it lists this paper in Part 2",
            meeting.display()
        ));
    }
    if paper.report.is_none() {
        return Some(
            match &paths.report {
                Some(_) => {
                    "its report's front matter cannot be read, so its classification is unknown"
                }
                None => "it has no report, so its classification is unknown",
            }
            .into(),
        );
    }
    if paths.decision.is_some() && paper.decision.is_none() {
        return Some(
            "its record's front matter cannot be read, so its classification is unknown".into(),
        );
    }
    if let Some(why) = untrusted(paper) {
        return Some(why.into());
    }
    if paths.appendices.len() != paper.appendices.len() {
        return Some("an appendix cannot be read, so its classification is unknown".into());
    }
    None
}

/// The drafting placeholders left in a paper ("[TBC …]", "Insert …"), from its findings
/// (C0711): a paper that holds any is a draft, and `clerk build` publishes no draft unless
/// asked to (`--draft`), and then under a banner. Decided here, beside the rest of what may
/// be published.
pub fn placeholders_left(findings: &[Diagnostic]) -> usize {
    findings
        .iter()
        .filter(|d| d.code == Code::PlaceholderLeft)
        .count()
}

/// Why what the paper's files say of its classification cannot be trusted, if it cannot: front
/// matter read only by leaving out lines at fault, or a classification `clerk import` read and
/// nobody has confirmed.
fn untrusted(paper: &Paper) -> Option<&'static str> {
    let sources = || {
        let report = paper
            .report
            .iter()
            .map(|r| (r.recovered, r.unconfirmed_classification));
        let record = paper
            .decision
            .iter()
            .map(|d| (d.recovered, d.unconfirmed_classification));
        let appendices = paper
            .appendices
            .iter()
            .map(|a| (a.recovered, a.unconfirmed_classification));
        report.chain(record).chain(appendices)
    };
    if sources().any(|(recovered, _)| recovered) {
        return Some(
            "its front matter has errors, so what it says of its classification cannot be trusted",
        );
    }
    if sources().any(|(_, unconfirmed)| unconfirmed) {
        return Some("its classification was read by `clerk import` and still carries `# import: check`: confirm it and remove the mark");
    }
    None
}

/// A signal besides `classification:` that keeps a paper from publication: a Schedule 12A
/// paragraph named beside an Unrestricted classification, or a line of a document's text that
/// is a classification statement and not a public one ("NOT FOR PUBLICATION", "Exempt –
/// paragraph 3"). A sentence that mentions an exempt appendix is not one: the appendix is a
/// file of its own, with its own classification.
struct Contrary {
    file: FileId,
    at: Range<usize>,
    /// "report", "record", "appendix".
    document: &'static str,
    /// What it says: "names paragraph 3 of Schedule 12A", "says “NOT FOR PUBLICATION”".
    says: String,
}

fn contrary(paper: &Paper) -> Vec<Contrary> {
    let mut out = Vec::new();
    // A record or appendix with no classification of its own follows its report's.
    let said = paper
        .report
        .as_ref()
        .map_or(Classification::Exempt, |r| r.meta.classification.value);
    let unrestricted = |c: Option<&serde_saphyr::Spanned<Classification>>| {
        c.map_or(said, |c| c.value) == Classification::Unrestricted
    };
    if let Some(r) = &paper.report {
        let open = unrestricted(Some(&r.meta.classification));
        contrary_in(
            r,
            "report",
            open,
            r.meta.exempt_paragraph.as_ref(),
            &mut out,
        );
    }
    if let Some(d) = &paper.decision {
        let open = unrestricted(d.meta.classification.as_ref());
        contrary_in(
            d,
            "record",
            open,
            d.meta.exempt_paragraph.as_ref(),
            &mut out,
        );
    }
    for a in &paper.appendices {
        let open = unrestricted(a.meta.classification.as_ref());
        contrary_in(
            a,
            "appendix",
            open,
            a.meta.exempt_paragraph.as_ref(),
            &mut out,
        );
    }
    out
}

fn contrary_in<M>(
    source: &Source<M>,
    document: &'static str,
    unrestricted: bool,
    paragraph: Option<&serde_saphyr::Spanned<u32>>,
    out: &mut Vec<Contrary>,
) {
    if !unrestricted {
        return;
    }
    if let Some(p) = paragraph {
        out.push(Contrary {
            file: source.file,
            at: source.span(p),
            document,
            says: format!("names paragraph {} of Schedule 12A", p.value),
        });
    }
    for block in source.body.prose() {
        let text = block.text.text.trim();
        if classification::withholds(text) {
            out.push(Contrary {
                file: source.file,
                at: block.span.clone(),
                document,
                says: format!("says “{text}”"),
            });
        }
    }
}

/// The error for each signal that contradicts an Unrestricted classification.
fn contrary_signals(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    for c in contrary(cx.paper) {
        out.push(
            Diagnostic::error(
                Code::ClassificationContradicted,
                c.file,
                c.at,
                format!("the {} is classified Unrestricted, but {}", c.document, c.says),
            )
            .with_note("a paper is published only when everything it says of its classification says public; until then it is withheld")
            .with_hint("if any part is exempt, classify it Exempt with its paragraph; if it is all public, remove what says otherwise"),
        );
    }
}

/// The conflicts between the signals `decide` reads, each an error: a record or appendix
/// classified otherwise than its report, a meeting's Part 2 listing of an Unrestricted paper,
/// and a meeting's Part 1 listing of a paper that is not public.
pub fn check(cx: &PaperContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    contrary_signals(cx, &mut out);
    let Some(report) = &cx.paper.report else {
        part1_listings(cx, &mut out);
        return out;
    };
    let said = report.meta.classification.value;
    // A report whose classification is missing is withheld (C1004); a record or appendix
    // cannot be said to differ from it.
    let differs = |c: &&serde_saphyr::Spanned<Classification>| {
        c.value != said && !report.defaulted("classification")
    };
    if let Some(d) = &cx.paper.decision {
        if let Some(c) = d.meta.classification.as_ref().filter(differs) {
            out.push(classified_otherwise(
                report,
                Code::RecordClassification,
                d.file,
                d.span(c),
                "record",
                c.value,
            ));
        }
    }
    for a in &cx.paper.appendices {
        if let Some(c) = a.meta.classification.as_ref().filter(differs) {
            out.push(classified_otherwise(
                report,
                Code::AppendixClassification,
                a.file,
                a.span(c),
                "appendix",
                c.value,
            ));
        }
    }
    if said == Classification::Unrestricted {
        part2_listings(cx, report, &mut out);
    }
    part1_listings(cx, &mut out);
    out
}

/// The error for a record or appendix classified `c`, otherwise than its report.
fn classified_otherwise(
    report: &Source<ReportMeta>,
    code: Code,
    file: FileId,
    at: Range<usize>,
    what: &str,
    c: Classification,
) -> Diagnostic {
    let said = report.meta.classification.value;
    let at_report = report.span(&report.meta.classification);
    Diagnostic::error(
        code,
        file,
        at,
        format!("the {what} is classified {c:?} but the report is classified {said:?}"),
    )
    .with_related(report.file, at_report, "the report's classification")
    .with_note("until they agree the whole paper is treated as exempt and is not published")
    .with_hint(if c == Classification::Exempt {
        "if any part is exempt, classify the report Exempt too; publish the public part as a paper of its own"
    } else {
        "give every part of an exempt paper the same classification, or leave it out to follow the report's"
    })
}

/// A meeting's Part 2 is exempt: an Unrestricted paper listed there is an error.
fn part2_listings(cx: &PaperContext, report: &Source<ReportMeta>, out: &mut Vec<Diagnostic>) {
    let at_report = report.span(&report.meta.classification);
    for l in cx.listings.iter().filter(|l| l.part == 2) {
        out.push(
            Diagnostic::error(
                Code::Part2Unrestricted,
                l.file,
                l.span.clone(),
                "this meeting lists the paper in Part 2 (exempt), but the paper is classified Unrestricted",
            )
            .with_related(report.file, at_report.clone(), "the report's classification")
            .with_note("until they agree the paper is treated as exempt and is not published")
            .with_hint("classify the report Exempt with its paragraph, or move the item to Part 1"),
        );
    }
}

/// A meeting's Part 1 is public: a paper there must be public too.
fn part1_listings(cx: &PaperContext, out: &mut Vec<Diagnostic>) {
    let why = match cx.publication {
        Publication::Public => return,
        Publication::Exempt { .. } => "is exempt (Schedule 12A)".to_string(),
        Publication::Unclear { why } => format!("cannot be shown to be public: {why}"),
    };
    for l in cx.listings.iter().filter(|l| l.part == 1) {
        out.push(
            Diagnostic::error(
                Code::ExemptInPublicPart,
                l.file,
                l.span.clone(),
                format!("this meeting lists the paper in Part 1, which is public, but the paper {why}"),
            )
            .with_hint("move it to `part2:` with its Schedule 12A paragraph, or make every part of the paper Unrestricted"),
        );
    }
}
