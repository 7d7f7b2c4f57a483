//! What the words of a classification say, read so that publication fails closed.
//!
//! Publishing exempt information is the one mistake a council cannot take back, so a wording is
//! read as **public** only when every one of its words says so without qualification:
//! "Unrestricted", "Public", "Open", "For publication", "Part 1" (and those together, with a
//! trailing "report", "item" …). Anything else is not public: a wording that names exemption
//! ("Exempt", "Part 2", "private", "confidential", "not for publication", "press and public
//! excluded", a Schedule 12A paragraph) is **exempt**; any other wording ("Public: No",
//! "Unrestricted, except Appendix A", "See below") is **unclear**, and unclear is never
//! published either. The importer and the publication check both read wordings here.

/// What a classification's words say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// Every word says public, without qualification.
    Public,
    /// The words name exemption; `paragraph` is the Schedule 12A paragraph when one is named.
    /// `plain` is false when the words also say something else ("Unrestricted, except
    /// Appendix A which is exempt"): exempt, and worth an author's look.
    Exempt { paragraph: Option<u32>, plain: bool },
    /// Neither: not public, and an author must say.
    Unclear,
}

impl Reading {
    pub fn is_public(self) -> bool {
        self == Reading::Public
    }

    /// Several signals read together: public only when every one is; exempt when any is (with
    /// the first paragraph named); otherwise unclear. No signal at all is unclear.
    pub fn all<I: IntoIterator<Item = Reading>>(readings: I) -> Reading {
        let mut seen = false;
        let mut exempt: Option<(Option<u32>, bool)> = None;
        let mut unclear = false;
        for r in readings {
            seen = true;
            match r {
                Reading::Public => {}
                Reading::Exempt { paragraph, plain } => {
                    let (p, pl) = exempt.unwrap_or((None, true));
                    exempt = Some((p.or(paragraph), pl && plain));
                }
                Reading::Unclear => unclear = true,
            }
        }
        match (seen, exempt, unclear) {
            (_, Some((paragraph, plain)), unclear) => Reading::Exempt {
                paragraph,
                plain: plain && !unclear,
            },
            (true, None, false) => Reading::Public,
            _ => Reading::Unclear,
        }
    }
}

/// Word sequences that each say "public", and nothing else. A wording is public when its
/// words are a run of these and nothing more.
const PUBLIC_PHRASES: &[&[&str]] = &[
    &["unrestricted"],
    &["public"],
    &["open"],
    &["for", "publication"],
    &["part", "1"],
    &["part", "i"],
    &["part", "one"],
];

/// Nouns a public wording may end with ("Public report", "Open item"): they name the thing
/// classified, not a qualification.
const CLASSIFIED_THINGS: &[&str] = &["report", "item", "paper", "document", "information"];

/// Words that name exemption wherever they stand. "restricted" alone (not "unrestricted") is
/// one; so are the Schedule 12A words.
const EXEMPT_WORDS: &[&str] = &[
    "exempt",
    "exemption",
    "restricted",
    "confidential",
    "private",
    "closed",
    "excluded",
    "exclusion",
    "12a",
    "secret",
    "sensitive",
    "withheld",
];

/// Reads one classification wording.
pub fn read(text: &str) -> Reading {
    let words = words(text);
    if words.is_empty() {
        return Reading::Unclear;
    }
    if is_public_run(&words) {
        return Reading::Public;
    }
    let paragraph = paragraph(&words);
    let not_for_publication = windows_match(&words, &["not", "for", "publication"])
        || windows_match(&words, &["not", "for", "public"]);
    let part_two = ["2", "ii", "two", "b"]
        .iter()
        .any(|n| windows_match(&words, &["part", n]));
    let exempt = not_for_publication
        || part_two
        || paragraph.is_some()
        || words.iter().any(|w| EXEMPT_WORDS.contains(&w.as_str()));
    if !exempt {
        return Reading::Unclear;
    }
    // Plain: the words say exempt and nothing public ("Exempt - paragraph 3", "Not for
    // publication by virtue of paragraph 3 of Part 1 of Schedule 12A").
    let says_public = words.iter().enumerate().any(|(i, w)| {
        matches!(w.as_str(), "unrestricted" | "public" | "open")
            || w == "publication" && (i == 0 || words[i - 1] != "not" && words[i - 1] != "for")
            || w == "for"
                && words.get(i + 1).is_some_and(|n| n == "publication")
                && (i == 0 || words[i - 1] != "not")
    });
    let qualified = words
        .iter()
        .any(|w| matches!(w.as_str(), "except" | "but" | "save" | "unless" | "however"));
    Reading::Exempt {
        paragraph,
        plain: !says_public && !qualified,
    }
}

/// Whether a whole line of text is a classification statement: a line made only of the words
/// classifications are written in, that says public in the strict sense or names exemption
/// ("NOT FOR PUBLICATION", "Exempt – paragraph 3", "Part 2 – press and public excluded",
/// "Confidential"). A sentence of prose ("Private sector rents rose by 4%") is not one, since
/// its other words are not classification words; `mentions_exemption` reads prose.
pub fn is_statement(text: &str) -> bool {
    let vocabulary = |w: &str| {
        STATEMENT_WORDS.contains(&w)
            || EXEMPT_WORDS.contains(&w)
            || CLASSIFIED_THINGS.contains(&w)
            || w.chars().all(|c| c.is_ascii_digit())
            || w.len() == 1
    };
    // Every word of the text is checked against the vocabulary before any is collected: a
    // paragraph of prose fails at its first word, at the cost of that word, not of the
    // paragraph (the check runs on every block of every paper). The same words as `words`.
    let lazily = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| {
            // Lowered as `words` lowers the whole text: a letter whose lower case is two
            // characters ("İ") splits the same way here.
            w.to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .all(vocabulary)
        });
    if !lazily {
        return false;
    }
    let words = words(text);
    let vocabulary = |w: &String| vocabulary(w.as_str());
    // "Appendix A" is made of those words too, but says nothing of publication: a statement
    // names it ("Not public", "Public: No" are statements, and unclear ones).
    // "Publication" alone (a record's heading over when it was published) names nothing;
    // "for publication" does.
    let names_it = words.iter().any(|w| {
        matches!(w.as_str(), "unrestricted" | "public" | "open")
            || EXEMPT_WORDS.contains(&w.as_str())
    }) || windows_match(&words, &["for", "publication"]);
    !words.is_empty()
        && words.iter().all(vocabulary)
        && (names_it || read(text) != Reading::Unclear)
}

/// The words, besides the exempt words and numbers, that classification lines are written in.
const STATEMENT_WORDS: &[&str] = &[
    "unrestricted",
    "public",
    "open",
    "for",
    "publication",
    "not",
    "part",
    "i",
    "ii",
    "one",
    "two",
    "paragraph",
    "paragraphs",
    "para",
    "paras",
    "of",
    "schedule",
    "the",
    "local",
    "government",
    "act",
    "by",
    "virtue",
    "under",
    "press",
    "and",
    "to",
    "inspection",
    "classification",
    "status",
    "appendix",
    "appendices",
    "is",
    "are",
    "be",
    "this",
    "official",
    "12a",
    "wales",
    "england",
    "access",
    "information",
    "yes",
    "no",
];

/// Whether a line of an author's own document withholds it: a classification statement that
/// names exemption ("NOT FOR PUBLICATION", "Exempt – paragraph 3", "Part 2") or denies that
/// it is public ("Not public", "Public: No"). A statement that only fails to say public
/// ("Publication", "Open to the public") is not one: in a paper whose front matter gives its
/// classification, such a line says nothing against it.
pub fn withholds(text: &str) -> bool {
    if !is_statement(text) {
        return false;
    }
    match read(text) {
        Reading::Public => false,
        Reading::Exempt { .. } => true,
        Reading::Unclear => {
            let words = words(text);
            words.iter().any(|w| w == "not" || w == "no")
        }
    }
}

/// Whether prose anywhere says that exempt information is present: "exempt information",
/// "Schedule 12A", "not for publication", "press and public (be) excluded", "exclusion of the
/// press and public", "exempt appendix". Used on imported documents, whose appendices may sit
/// in the same file: any such sentence keeps the paper from publication until an author says.
pub fn mentions_exemption(text: &str) -> Option<Reading> {
    let words = words(text);
    let cue = windows_match(&words, &["exempt", "information"])
        || windows_match(&words, &["schedule", "12a"])
        || windows_match(&words, &["not", "for", "publication"])
        || windows_match(&words, &["exclusion", "of", "the", "press"])
        || windows_match(&words, &["exempt", "appendix"])
        || windows_match(&words, &["exempt", "appendices"])
        || windows_match(&words, &["exempt", "report"])
        || windows_match(&words, &["confidential", "appendix"])
        || press_and_public_excluded(&words);
    cue.then(|| Reading::Exempt {
        paragraph: paragraph(&words),
        plain: false,
    })
}

/// "press and public (are/be/were/will be) excluded", within a few words.
fn press_and_public_excluded(words: &[String]) -> bool {
    words.windows(3).enumerate().any(|(i, w)| {
        w == ["press", "and", "public"]
            && words[i + 3..]
                .iter()
                .take(4)
                .any(|x| x == "excluded" || x == "exclude")
    })
}

/// Lower-case words, every mark of punctuation a break: "Unrestricted – for publication" is
/// `unrestricted for publication`; "12A" stays one word.
/// A question mark is kept as a word of its own, so "Unrestricted?" is not public.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if text.contains('?') {
        out.push("?".into());
    }
    out
}

/// Whether the words say public and nothing else. A classification's own label leading the
/// words ("Classification: Open", "Status – public") and the words that only name what is
/// classified or join the sentence ("This report is public", "Open item") say nothing of
/// their own, and are passed over; every other word must belong to a public phrase.
fn is_public_run(words: &[String]) -> bool {
    let said: Vec<&String> = words
        .iter()
        .skip_while(|w| LABEL_WORDS.contains(&w.as_str()))
        .filter(|w| {
            !CLASSIFIED_THINGS.contains(&w.as_str()) && !JOINING_WORDS.contains(&w.as_str())
        })
        .collect();
    let mut rest = &said[..];
    let mut any = false;
    'next: while !rest.is_empty() {
        for phrase in PUBLIC_PHRASES {
            if rest.len() >= phrase.len() && rest.iter().zip(phrase.iter()).all(|(a, b)| a == b) {
                rest = &rest[phrase.len()..];
                any = true;
                continue 'next;
            }
        }
        return false;
    }
    any
}

/// Words that label a classification rather than say it: "Classification:", "Status:",
/// "Security classification", "Protective marking", "Publication status".
const LABEL_WORDS: &[&str] = &[
    "classification",
    "status",
    "security",
    "protective",
    "marking",
];

/// Words that join a sentence saying what is classified ("This report is public"): they add
/// nothing to a public wording, and a negation ("not") is not among them.
const JOINING_WORDS: &[&str] = &["this", "is", "are", "a", "an", "the"];

fn windows_match(words: &[String], phrase: &[&str]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, b)| a == b))
}

/// The Schedule 12A paragraph named: "paragraph 3", "paragraphs 3 and 4" (the first),
/// "para 3", "para. 3". Paragraphs run 1–7 in England and 12–18 in Wales; a number outside
/// 1–18 is not one.
fn paragraph(words: &[String]) -> Option<u32> {
    words.windows(2).find_map(|w| {
        matches!(w[0].as_str(), "paragraph" | "paragraphs" | "para" | "paras")
            .then(|| w[1].parse::<u32>().ok())
            .flatten()
            .filter(|n| (1..=18).contains(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exempt(paragraph: Option<u32>, plain: bool) -> Reading {
        Reading::Exempt { paragraph, plain }
    }

    /// Every wording tried, with its verdict: the public ones say public and nothing else;
    /// every other wording is withheld.
    #[test]
    fn every_wording_tried_and_its_verdict() {
        use Reading::{Public, Unclear};
        let table: &[(&str, Reading)] = &[
            // Public, without qualification.
            ("Unrestricted", Public),
            ("UNRESTRICTED", Public),
            ("Public", Public),
            ("Open", Public),
            ("For publication", Public),
            ("For Publication.", Public),
            ("Unrestricted – for publication", Public),
            ("Public – Part 1", Public),
            ("Part I", Public),
            ("Open report", Public),
            ("Public item", Public),
            ("Classification: Open", Public),
            ("This report is public", Public),
            ("This is an open report", Public),
            ("Status: Unrestricted", Public),
            ("This report is not public", Unclear),
            // Exempt, named as such.
            ("Exempt", exempt(None, true)),
            ("Exempt - paragraph 3", exempt(Some(3), true)),
            ("EXEMPT (paragraph 3)", exempt(Some(3), true)),
            (
                "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A of the Local Government Act 1972",
                exempt(Some(3), true),
            ),
            ("Not for publication", exempt(None, true)),
            ("Not for public inspection", exempt(None, false)),
            ("Restricted", exempt(None, true)),
            ("Confidential", exempt(None, true)),
            ("Private", exempt(None, true)),
            ("Part 2", exempt(None, true)),
            ("Part II - exempt", exempt(None, true)),
            ("Part 2 - press and public excluded", exempt(None, false)),
            ("Private - closed to the public", exempt(None, false)),
            ("Exempt under paragraph 14 of Schedule 12A", exempt(Some(14), true)),
            ("Schedule 12A para. 1", exempt(Some(1), true)),
            (
                "Unrestricted, except Appendix A which is confidential",
                exempt(None, false),
            ),
            ("Unrestricted but Appendix B is exempt", exempt(None, false)),
            ("Open, with an exempt appendix", exempt(None, false)),
            ("Public report with exempt appendix (paragraph 3)", exempt(Some(3), false)),
            ("OFFICIAL-SENSITIVE", exempt(None, true)),
            // Neither: never published until an author says.
            ("Public: No", Unclear),
            ("Public - No", Unclear),
            ("Open: no", Unclear),
            ("Not public", Unclear),
            ("Not open to the public", Unclear),
            ("See below", Unclear),
            ("", Unclear),
            ("Unrestricted?", Unclear),
            ("Unrestricted (draft)", Unclear),
            ("TBC", Unclear),
            ("Public information pending", Unclear),
            ("Yes", Unclear),
            ("Unrestricted, subject to redaction", Unclear),
            ("Unrestricted unless the Chair agrees otherwise", Unclear),
            ("Open to the public", Unclear),
            ("Publication", Unclear),
        ];
        for (wording, verdict) in table {
            assert_eq!(read(wording), *verdict, "{wording:?}");
        }
    }

    #[test]
    fn signals_together_are_public_only_when_every_one_is() {
        use Reading::{Public, Unclear};
        assert_eq!(Reading::all([Public, Public]), Public);
        assert_eq!(Reading::all([]), Unclear);
        assert_eq!(
            Reading::all([Public, exempt(Some(3), true)]),
            exempt(Some(3), true)
        );
        assert_eq!(Reading::all([Public, Unclear]), Unclear);
        assert_eq!(
            Reading::all([Unclear, exempt(None, true), exempt(Some(4), true)]),
            exempt(Some(4), false)
        );
    }

    #[test]
    fn the_early_word_check_agrees_with_the_whole_words() {
        // `is_statement` rejects at the first word outside the vocabulary; it must decide as
        // the whole list of `words` would, letters whose lower case is two characters included.
        for s in [
            "NOT FOR PUBLICATION İ",
            "Exempt – paragraph 3 ?",
            "İ",
            "Not for publication: Appendix B",
            "Open spaces strategy",
            "ß public",
        ] {
            let whole = words(s);
            let all_vocabulary = !whole.is_empty()
                && whole.iter().all(|w| {
                    STATEMENT_WORDS.contains(&w.as_str())
                        || EXEMPT_WORDS.contains(&w.as_str())
                        || CLASSIFIED_THINGS.contains(&w.as_str())
                        || w.chars().all(|c| c.is_ascii_digit())
                        || w.len() == 1
                });
            assert!(all_vocabulary || !is_statement(s), "{s}");
            if all_vocabulary {
                assert_eq!(
                    is_statement(s),
                    whole
                        .iter()
                        .any(|w| matches!(w.as_str(), "unrestricted" | "public" | "open")
                            || EXEMPT_WORDS.contains(&w.as_str()))
                        || windows_match(&whole, &["for", "publication"])
                        || read(s) != Reading::Unclear,
                    "{s}"
                );
            }
        }
        assert!(is_statement("NOT FOR PUBLICATION İ"));
    }

    #[test]
    fn statements_are_lines_of_their_own_not_sentences() {
        for s in [
            "NOT FOR PUBLICATION",
            "Exempt – paragraph 3",
            "Part 2 – press and public excluded",
            "Confidential",
            "Unrestricted",
            "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A",
            "Not public",
            "Public: No",
        ] {
            assert!(is_statement(s), "{s}");
        }
        for s in [
            "Part of the budget is held back.",
            "Private sector rents rose by 4%.",
            "Closed to new applicants",
            "The council's open spaces strategy was agreed in 2021 after consultation with residents and partners over several months.",
            "Notes",
            "Appendix A",
            "Publication",
            "",
        ] {
            assert!(!is_statement(s), "{s}");
        }
    }

    #[test]
    fn lines_that_withhold_an_authors_paper() {
        for s in [
            "NOT FOR PUBLICATION",
            "Exempt – paragraph 3",
            "Part 2",
            "Not public",
            "Public: No",
        ] {
            assert!(withholds(s), "{s}");
        }
        for s in [
            "Publication",
            "This report is public",
            "Classification: Open",
            "Open to the public",
            "Part of the budget is held back.",
        ] {
            assert!(!withholds(s), "{s}");
        }
    }

    #[test]
    fn prose_that_mentions_exempt_information() {
        assert!(mentions_exemption(
            "Appendix B contains exempt information under paragraph 3 of Schedule 12A."
        )
        .is_some());
        assert!(mentions_exemption("The press and public will be excluded for item 9.").is_some());
        assert!(mentions_exemption("The exempt appendix is circulated to members.").is_some());
        assert!(
            mentions_exemption("The scheme exempts small businesses from the charge.").is_none()
        );
        assert!(mentions_exemption("The public consultation closed in May.").is_none());
    }
}
