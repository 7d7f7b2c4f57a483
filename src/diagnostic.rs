//! Diagnostics as data, the source files they point into, and the two ways of printing them.
//!
//! Every check returns `Diagnostic`s; only the CLI decides to print them, as rustc-style text
//! (`render_human`) or as one JSON document (`render_json`).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term;
use serde::Serialize;

pub use crate::model::FileId;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $name:literal, $summary:literal; )*) => {
        /// Every diagnostic code clerk emits. Codes are stable: never renumber, only add.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            /// The stable code, e.g. "C0201".
            pub fn id(self) -> &'static str { match self { $(Code::$variant => $id,)* } }
            /// A short kebab-case name, e.g. "table-total".
            pub fn name(self) -> &'static str { match self { $(Code::$variant => $name,)* } }
            /// One line saying what the code means.
            pub fn summary(self) -> &'static str { match self { $(Code::$variant => $summary,)* } }
        }
    };
}

codes! {
    // C01xx: reading files and front matter
    Unreadable = "C0101", "unreadable", "a file or folder could not be read";
    NotUtf8 = "C0102", "not-utf8", "a paper is not UTF-8 text";
    Binary = "C0103", "binary", "a paper holds NUL bytes: it is not text";
    Empty = "C0104", "empty", "a paper is empty";
    NoFrontMatter = "C0105", "no-front-matter", "a paper does not start with `---` front matter";
    UnclosedFrontMatter = "C0106", "unclosed-front-matter", "front matter has no closing `---` line";
    YamlSyntax = "C0107", "yaml-syntax", "front matter is not valid YAML";
    UnknownKey = "C0108", "unknown-key", "a front-matter key clerk does not know (often a misspelling)";
    InvalidValue = "C0109", "invalid-value", "a front-matter value of the wrong type or form";
    MissingField = "C0110", "missing-field", "a required front-matter field is missing";
    TooLarge = "C0111", "too-large", "a file is larger than clerk reads";
    OrphanDecision = "C0112", "orphan-decision", "a record of decision has no report beside it";
    NoCouncil = "C0113", "no-council", "no council.yaml governs a paper";
    NoPapers = "C0114", "no-papers", "a path holds no papers";
    // C02xx: tables
    TotalMismatch = "C0201", "table-total", "a total row is not the sum of the rows it covers";
    SubtotalMismatch = "C0202", "table-subtotal", "a subtotal row is not the sum of its group";
    TotalNeedsFormula = "C0203", "table-total-formula", "a total that is not a plain sum has no formula";
    BadAmountCell = "C0204", "table-amount", "a table cell with a £ sign is not an amount";
    RaggedTable = "C0205", "table-ragged", "a table row has more or fewer cells than its header";
    RowTotalMismatch = "C0206", "table-row-total", "a row's total column is not the sum of its amounts";
    DerivedCell = "C0212", "table-derived-cell", "a cell of a column that is the difference or sum of two others (a variance, a net or combined figure, evident from the other rows) does not follow from its row";
    CellAgainstRowAndColumn = "C0213", "table-cell", "an amount cell agrees neither with its row's derived column (a total or variance) nor with its column's total, which both say the same other value";
    // C03xx: named figures
    FormulaSyntax = "C0301", "formula-syntax", "a figure's formula cannot be read";
    UnknownFigure = "C0302", "unknown-figure", "a formula or placeholder names a figure that does not exist";
    UnknownCell = "C0303", "unknown-cell", "a formula names a table, row or column that does not exist";
    FigureCycle = "C0304", "figure-cycle", "figures are defined in terms of each other";
    FormulaMismatch = "C0305", "formula-mismatch", "a table cell does not equal the formula declared for it";
    BadFigureAmount = "C0306", "figure-amount", "a figure's amount is not an amount of money";
    BadPlaceholder = "C0307", "placeholder", "`{{ … }}` in a paper that is not a figure or recommendations placeholder";
    // C04xx: amounts in prose
    NearMiss = "C0401", "amount-near-miss", "an amount is one edit from a figure: a near miss at its precision, digits swapped or wrong, a zero too many or few, the wrong scale";
    DecisionAmountNotInReport = "C0402", "decision-amount", "an amount in the record is not explained by its report";
    AmountUnexplained = "C0403", "amount-unexplained", "an amount in a report is explained by none of its figures and not listed under outside_amounts";
    AmountBound = "C0404", "amount-bound", "a bound (over, more than, up to …) is not true of the figure it describes";
    StatedSum = "C0405", "stated-sum", "prose gives a total and its parts, and they do not add up";
    Percentage = "C0408", "percentage", "a percentage does not match the numbers it is of";
    PossibleSlip = "C0409", "amount-possible-slip", "an amount is one edit from a figure its words do not name: linked by value alone, where chance would rarely do so";
    AmountAmbiguous = "C0410", "amount-ambiguous", "a coarse amount (one or two significant digits) agrees with several figures and its words name none of them";
    CountMismatch = "C0411", "count-mismatch", "a count is stated twice of one subject and period, with different numbers";
    // C05xx: report and record of decision
    DecisionNumberMismatch = "C0501", "record-number", "the record's decision number differs from the report's";
    SubjectMismatch = "C0502", "record-subject", "the record's subject differs from the report's title";
    DecisionMakerMismatch = "C0503", "record-decision-maker", "the record's decision maker differs from the report's";
    KeyDecisionMismatch = "C0504", "record-key-decision", "the record and the report disagree on key decision";
    RecommendationNotDecided = "C0505", "record-missing-decision", "a recommendation has no decision in the record";
    DecisionNotRecommended = "C0506", "record-extra-decision", "a decision has no recommendation with its id";
    DecisionWording = "C0507", "record-wording", "a decision's words differ from its recommendation's";
    TableMismatch = "C0508", "record-table", "a table in the record differs from the same table in the report";
    MissingDecisionNumber = "C0509", "record-no-number", "a record has no decision number";
    RecordDate = "C0510", "record-date", "a record is dated before its report or the meeting the report went to";
    // C06xx: within a report
    RecommendationWording = "C0601", "recommendation-wording", "recommendations typed in the body differ from the front matter";
    RecommendationCount = "C0602", "recommendation-count", "a body recommendations list has items missing or added";
    // C07xx: statute and house rules
    StatutoryElement = "C0701", "statutory-element", "a record lacks an element the regulations require";
    ShouldBeKeyDecision = "C0702", "key-decision-threshold", "spending or saving reaches the key-decision threshold";
    MissingSection = "C0703", "missing-section", "a section the council requires is missing";
    ExemptParagraph = "C0704", "exempt-paragraph", "a Schedule 12A paragraph is missing or not valid for the jurisdiction";
    ParagraphGap = "C0705", "paragraph-gap", "hand-typed paragraph numbers skip or repeat";
    HeadingGap = "C0706", "heading-gap", "hand-typed section numbers skip or repeat";
    DateRange = "C0707", "date-range", "a date range ends before it starts";
    BadEmail = "C0708", "email-form", "an e-mail address is not well formed";
    EmailDomain = "C0709", "email-domain", "an e-mail address is not in the council's domains";
    DuplicateDecisionNumber = "C0710", "duplicate-decision-number", "two papers share a decision number";
    PlaceholderLeft = "C0711", "placeholder-left", "a placeholder (…, TBC, Insert …) was left in";
    // C08xx: making output (clerk build)
    OutputFailed = "C0801", "output-failed", "a page could not be rendered or written";
    PdfFailed = "C0802", "pdf-failed", "typst could not make a paper's PDF (a typst warning counts)";
    TemplateUnused = "C0803", "template-unused", "a file in the template folder overrides no template";
    // C09xx: meetings and packs
    AgendaPaperMissing = "C0901", "agenda-paper-missing", "an agenda item names a paper folder that does not exist";
    AgendaDuplicate = "C0902", "agenda-duplicate", "a paper is on the agenda twice";
    ExemptInPublicPart = "C0903", "agenda-exempt-in-part1", "an exempt paper is in Part 1, the public part";
    AgendaLate = "C0904", "agenda-late", "the agenda was published fewer than five clear days before the meeting";
    KeyDecisionNotice = "C0905", "key-decision-notice", "a key decision had fewer than 28 clear days' notice";
    AgendaItemForm = "C0906", "agenda-item", "an agenda item is neither a standard item nor a paper";
    PackRefused = "C0907", "pack-refused", "papers on the agenda have errors, so no pack was made";
    SupplementReason = "C0908", "supplement-reason", "a supplement does not give the reason its items are late";
    AgendaPageMissing = "C0909", "agenda-page-missing", "the meeting page links an item to a report page `clerk build` has not written into the same output";
    // C10xx: what may be published (check/publication.rs)
    RecordClassification = "C1001", "record-classification", "a record is classified otherwise than its report";
    AppendixClassification = "C1002", "appendix-classification", "an appendix is classified otherwise than its report";
    Part2Unrestricted = "C1003", "part2-unrestricted", "a meeting lists an Unrestricted paper in Part 2 (exempt)";
    Withheld = "C1004", "withheld", "a paper is withheld from publication because its classification cannot be known";
    ClassificationContradicted = "C1005", "classification-contradicted", "a paper classified Unrestricted names a Schedule 12A paragraph or has a line saying it is not public";
    Draft = "C1006", "draft", "a paper with drafting placeholders left in is not published (unless built with --draft)";

    // C12xx: the site (src/site/)
    SearchUnavailable = "C1201", "search-unavailable", "the site's search index was not made (Pagefind is missing or failed); the rest of the site was built";
    UpdatedUndated = "C1203", "updated-undated", "a published paper changed, but no `updated:` later than its last version's says when (the page then says the latest date the paper carries)";
    MeetingNameTwice = "C1202", "meeting-name-twice", "two meeting files share a name: each is published under its name and its folder's";

    // C11xx: Word and PDF papers
    ImportRefused = "C1101", "import-refused", "a Word or PDF file cannot be read: password-protected, scanned, damaged or not what its name says";
    ImportExists = "C1102", "import-exists", "clerk import will not overwrite a paper that already exists";
    ImportLimit = "C1103", "import-limit", "a Word or PDF file asks for more than clerk reads: nested too deep, inflating too far, too many pages (the limits table)";
    ImportUnread = "C1104", "import-unread", "clerk could not place 10% or more of a Word or PDF paper's text: nothing in the unread part was checked";
    ImportTableUnread = "C1105", "import-table-unread", "figures in a Word or PDF paper stayed prose: no table could be read from them, so they were not checked";


}

impl Code {
    /// A finding that asks for one of clerk's annotations (a `formula:` under `figures:`, an
    /// entry under `outside_amounts:`), which only a paper in clerk's format can carry: for a
    /// Word or PDF paper it is a request, not a slip, and never more than a warning.
    pub fn asks_for_annotation(self) -> bool {
        matches!(
            self,
            Code::TotalNeedsFormula | Code::AmountUnexplained | Code::AmountAmbiguous
        )
    }
}

/// A second place a diagnostic points to ("the report says … here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub range: Range<usize>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// The file and byte range of the offending text. `None` for problems with no file.
    pub file: Option<FileId>,
    pub range: Range<usize>,
    /// Text shown under the caret.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub notes: Vec<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: Code,
        file: FileId,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            file: Some(file),
            range,
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
            hint: None,
        }
    }
    pub fn error(
        code: Code,
        file: FileId,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, file, range, message)
    }
    pub fn warning(
        code: Code,
        file: FileId,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, range, message)
    }
    /// A problem that belongs to no file (a path that does not exist, say).
    pub fn general(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            range: 0..0,
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
            hint: None,
        }
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
    pub fn with_related(
        mut self,
        file: FileId,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            file,
            range,
            message: message.into(),
        });
        self
    }
}

/// Read access to file texts by id, for parsing and checks.
pub trait SourceText {
    fn text(&self, id: FileId) -> &str;
    fn path_of(&self, id: FileId) -> Option<&Path>;
}

/// The text of the files diagnostics point into, so they can show lines and snippets.
pub struct SourceMap {
    files: SimpleFiles<String, String>,
    paths: Vec<PathBuf>,
    by_path: BTreeMap<PathBuf, FileId>,
    /// Per file: where its characters are, so a column is found without counting its line.
    marks: Vec<CharMarks>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap {
            files: SimpleFiles::new(),
            paths: Vec::new(),
            by_path: BTreeMap::new(),
            marks: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Adds a file; its name in diagnostics is the path as given (relative where it was).
    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        if let Some(id) = self.by_path.get(path) {
            return *id;
        }
        self.paths.push(path.to_path_buf());
        self.marks.push(CharMarks::new(&text));
        let id = self.files.add(display_path(path), text);
        self.by_path.insert(path.to_path_buf(), id);
        id
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// Takes over the files of one paper that its diagnostics point into, renumbering them.
    pub fn adopt(&mut self, local: LocalFiles, diagnostics: &mut [Diagnostic]) {
        let first = local.first;
        let mut wanted: BTreeMap<FileId, FileId> = BTreeMap::new();
        for d in diagnostics.iter() {
            for id in d.file.into_iter().chain(d.related.iter().map(|r| r.file)) {
                if id >= first {
                    wanted.insert(id, 0);
                }
            }
        }
        let mut files = local.files;
        for (old, new) in wanted.iter_mut() {
            let (path, text) = std::mem::take(&mut files[*old - first]);
            *new = self.add(&path, text);
        }
        let map = |id: FileId| if id >= first { wanted[&id] } else { id };
        for d in diagnostics.iter_mut() {
            d.file = d.file.map(map);
            for r in &mut d.related {
                r.file = map(r.file);
            }
        }
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.paths[id]
    }

    pub fn name(&self, id: FileId) -> String {
        display_path(&self.paths[id])
    }

    pub fn text(&self, id: FileId) -> &str {
        self.files
            .get(id)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset. The column is counted
    /// through the file's character marks, so N findings on one long line cost N, not N × the
    /// line.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = clamp_to_char_boundary(text, offset);
        let (Ok(line), Some(marks)) = (self.files.line_index(id, offset), self.marks.get(id))
        else {
            return (1, 1);
        };
        let start = self.files.line_range(id, line).map_or(0, |r| r.start);
        (
            line + 1,
            marks.before(text, offset) - marks.before(text, start) + 1,
        )
    }
}

impl SourceText for SourceMap {
    fn text(&self, id: FileId) -> &str {
        SourceMap::text(self, id)
    }
    fn path_of(&self, id: FileId) -> Option<&Path> {
        self.paths.get(id).map(PathBuf::as_path)
    }
}

/// One paper's files, numbered after the shared files (councils) so their ids never clash.
/// It lives only while the paper is checked: a tree of 10,000 papers is never all in memory.
pub struct LocalSources<'a> {
    shared: &'a SourceMap,
    files: Vec<(PathBuf, String)>,
}

impl<'a> LocalSources<'a> {
    pub fn new(shared: &'a SourceMap) -> Self {
        LocalSources {
            shared,
            files: Vec::new(),
        }
    }

    fn first_id(&self) -> FileId {
        self.shared.len()
    }

    pub fn add(&mut self, path: &Path, text: String) -> FileId {
        self.files.push((path.to_path_buf(), text));
        self.first_id() + self.files.len() - 1
    }

    /// The id of `path` among shared or own files, adding it with `text` when new.
    pub fn find_or_add(&mut self, path: &Path, text: String) -> FileId {
        if let Some(id) = self.shared.find(path) {
            return id;
        }
        match self.files.iter().position(|(p, _)| p == path) {
            Some(i) => self.first_id() + i,
            None => self.add(path, text),
        }
    }

    /// The paper's own files that `diagnostics` point into, no longer tied to the shared map.
    /// The rest are dropped here, so checked papers do not pile up in memory.
    pub fn into_files(self, diagnostics: &[Diagnostic]) -> LocalFiles {
        let first = self.first_id();
        let mut files = self.files;
        for (i, file) in files.iter_mut().enumerate() {
            let id = first + i;
            let used = diagnostics
                .iter()
                .any(|d| d.file == Some(id) || d.related.iter().any(|r| r.file == id));
            if !used {
                *file = Default::default();
            }
        }
        LocalFiles { first, files }
    }
}

/// A paper's files after checking, waiting to be adopted by the shared map.
pub struct LocalFiles {
    first: FileId,
    files: Vec<(PathBuf, String)>,
}

impl SourceText for LocalSources<'_> {
    fn text(&self, id: FileId) -> &str {
        if id < self.first_id() {
            self.shared.text(id)
        } else {
            self.files
                .get(id - self.first_id())
                .map_or("", |(_, t)| t.as_str())
        }
    }
    fn path_of(&self, id: FileId) -> Option<&Path> {
        if id < self.first_id() {
            self.shared.path_of(id)
        } else {
            self.files
                .get(id - self.first_id())
                .map(|(p, _)| p.as_path())
        }
    }
}

/// A diagnostic with paths in place of file ids, to keep between runs (the build cache).
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct StoredDiagnostic {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub file: Option<PathBuf>,
    pub range: Range<usize>,
    pub label: Option<String>,
    pub related: Vec<(PathBuf, Range<usize>, String)>,
    pub notes: Vec<String>,
    pub hint: Option<String>,
}

impl StoredDiagnostic {
    pub fn store(d: &Diagnostic, sources: &dyn SourceText) -> StoredDiagnostic {
        let path = |id: FileId| {
            sources
                .path_of(id)
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        StoredDiagnostic {
            severity: d.severity,
            code: d.code.id().to_string(),
            message: d.message.clone(),
            file: d.file.map(path),
            range: d.range.clone(),
            label: d.label.clone(),
            related: d
                .related
                .iter()
                .map(|r| (path(r.file), r.range.clone(), r.message.clone()))
                .collect(),
            notes: d.notes.clone(),
            hint: d.hint.clone(),
        }
    }

    /// Back into a diagnostic, with `read` giving the text of each file it points into (load
    /// reads files; this module only holds them). None if its code is unknown.
    pub fn restore(
        &self,
        sources: &mut LocalSources,
        read: &dyn Fn(&Path) -> String,
    ) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.id() == self.code)?;
        let mut id_of = |path: &Path| -> FileId { sources.find_or_add(path, read(path)) };
        let file = self.file.as_deref().map(&mut id_of);
        let related = self
            .related
            .iter()
            .map(|(p, range, message)| Related {
                file: id_of(p),
                range: range.clone(),
                message: message.clone(),
            })
            .collect();
        Some(Diagnostic {
            severity: self.severity,
            code,
            message: self.message.clone(),
            file,
            range: self.range.clone(),
            label: self.label.clone(),
            related,
            notes: self.notes.clone(),
            hint: self.hint.clone(),
        })
    }
}

impl Default for SourceMap {
    fn default() -> Self {
        Self::new()
    }
}

pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn clamp_to_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Sorts diagnostics into a stable order: by file name, position, then code.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &SourceMap) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.file.map(|f| sources.name(f)),
                d.range.start,
                d.code,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// The sources as a terminal may show them: every file's name and text made `visible`, with a
/// map from each file's offsets to the visible text's.
struct Shown {
    files: SimpleFiles<String, String>,
    /// Per file: (original offset just past an escaped character, bytes added up to there).
    shifts: Vec<Vec<(usize, usize)>>,
    /// Per file: where its characters are, to find a column without counting a long line.
    marks: Vec<CharMarks>,
}

impl Shown {
    fn new(sources: &SourceMap) -> Shown {
        let mut files = SimpleFiles::new();
        let mut shifts = Vec::new();
        let mut marks = Vec::new();
        for id in 0..sources.len() {
            let (text, shift) = visible_mapped(sources.text(id));
            marks.push(CharMarks::new(&text));
            files.add(visible(&sources.name(id)).into_owned(), text);
            shifts.push(shift);
        }
        Shown {
            files,
            shifts,
            marks,
        }
    }

    fn text(&self, id: FileId) -> &str {
        self.files.get(id).map_or("", |f| f.source().as_str())
    }

    fn range(&self, id: FileId, original: &str, range: &Range<usize>) -> Range<usize> {
        let range = safe_range(original, range);
        let map = |offset: usize| {
            let shift = self.shifts.get(id).map_or(&[][..], Vec::as_slice);
            let before = shift.partition_point(|(end, _)| *end <= offset);
            offset + before.checked_sub(1).map_or(0, |i| shift[i].1)
        };
        map(range.start)..map(range.end)
    }
}

/// Whether a character must be written out rather than sent to a terminal: control characters
/// (ESC, BEL, DEL, C1, a CR that does not end a line) and the bidirectional controls that can
/// make text read otherwise than it is.
fn hidden(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// Text with every `hidden` character written as `\u{1b}`: paper text never reaches a
/// terminal as a control sequence, whatever `--color` says.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if hidden(c, chars.peek().copied()) {
            any = true;
            break;
        }
    }
    if !any {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(visible_mapped(text).0)
}

fn visible_mapped(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut added = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if hidden(c, chars.peek().map(|(_, n)| *n)) {
            let shown = format!("\\u{{{:x}}}", c as u32);
            added += shown.len() - c.len_utf8();
            out.push_str(&shown);
            shifts.push((at + c.len_utf8(), added));
        } else {
            out.push(c);
        }
    }
    (out, shifts)
}

fn to_codespan<'a>(d: &Diagnostic, sources: &SourceMap, shown: &'a Shown) -> Excerpts<'a> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut out = cs::Diagnostic::new(severity)
        .with_code(d.code.id())
        .with_message(visible(&d.message));
    let mut places = Vec::new();
    if let Some(file) = d.file {
        let range = shown.range(file, sources.text(file), &d.range);
        let label = d.label.as_deref().map(visible).unwrap_or_default();
        places.push((file, range, label.into_owned(), true));
    }
    for r in &d.related {
        let range = shown.range(r.file, sources.text(r.file), &r.range);
        places.push((r.file, range, visible(&r.message).into_owned(), false));
    }
    let mut excerpts = Excerpts::new(shown, &mut places);
    let labels = places
        .into_iter()
        .map(|(file, range, message, primary)| {
            let range = excerpts.to_excerpt(file, &range);
            let label = if primary {
                cs::Label::primary(file, range)
            } else {
                cs::Label::secondary(file, range)
            };
            label.with_message(message)
        })
        .collect();
    out = out.with_labels(labels);
    let mut notes: Vec<String> = d.notes.iter().map(|n| visible(n).into_owned()).collect();
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {}", visible(hint)));
    }
    excerpts.diagnostic = out.with_notes(notes);
    excerpts
}

fn safe_range(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = clamp_to_char_boundary(text, range.start);
    let end = clamp_to_char_boundary(text, range.end.max(start));
    start..end
}

/// Renders diagnostics rustc-style, with source snippets; in colour only when asked. Paper
/// text (file names, snippets, messages) is made `visible` first. A long line is shown as a
/// window around each place a finding points (see [`LINE_WINDOW`]), so a report costs the
/// same for each finding however long the line it points into.
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, colour: bool) -> String {
    let config = term::Config::default();
    let shown = Shown::new(sources);
    let mut out = String::new();
    for d in diagnostics {
        let excerpts = to_codespan(d, sources, &shown);
        if colour {
            let mut buffer = term::termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buffer, &config, &excerpts, &excerpts.diagnostic)
                .is_ok()
            {
                out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
            }
        } else if let Ok(text) = term::emit_into_string(&config, &excerpts, &excerpts.diagnostic) {
            out.push_str(&text);
        }
    }
    out
}

/// A line longer than this many characters is not shown whole in the human report: only
/// [`LINE_WINDOW`] characters either side of each place a finding points are, with "…" where
/// the line is cut (as rustc cuts long lines). A Markdown paragraph is one line, so without
/// this a finding in a long paragraph would print all of it, and N findings on a line of
/// length L would print N × L.
pub const LINE_SHOWN_WHOLE: usize = 160;
/// How many characters either side of where a finding points a long line shows.
pub const LINE_WINDOW: usize = 60;
/// How many characters of one marked stretch a long line shows (the rest is cut).
const LABEL_SHOWN: usize = 100;
/// How many lines of a stretch that runs over several lines are marked: past them the mark
/// ends at the end of the last, so a finding on a long stretch costs no more than a short one.
const LABEL_LINES: usize = 8;

/// Where a file's characters are: the count of characters before every 4 KiB of its bytes,
/// so the column of any offset is found by counting at most 4 KiB.
struct CharMarks(Vec<usize>);

const MARK_EVERY: usize = 4096;

impl CharMarks {
    fn new(text: &str) -> CharMarks {
        let mut marks = Vec::with_capacity(text.len() / MARK_EVERY + 1);
        let mut chars = 0;
        for chunk in text.as_bytes().chunks(MARK_EVERY) {
            marks.push(chars);
            chars += count_chars(chunk);
        }
        marks.push(chars);
        CharMarks(marks)
    }

    /// How many characters of `text` come before byte `offset`.
    fn before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let block = offset / MARK_EVERY;
        let from = block * MARK_EVERY;
        self.0.get(block).copied().unwrap_or(0) + count_chars(&text.as_bytes()[from..offset])
    }
}

/// The characters that start in `bytes` (every byte that is not a UTF-8 continuation byte).
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| (**b as i8) >= -0x40).count()
}

/// The offset `n` characters before `at` in `text` (or its start).
fn chars_back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The offset `n` characters after `at` in `text` (or its end).
fn chars_forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// One line of an excerpt: where it is in the excerpt's text and in the file, and the pieces
/// of the file's line it shows.
struct ExcerptLine {
    /// Its range in the excerpt's text, newline included.
    range: Range<usize>,
    /// Where the line starts in the file.
    file_start: usize,
    /// Each piece shown: where it starts in the file, where in the excerpt, and its length.
    pieces: Vec<(usize, usize, usize)>,
}

/// What of one file a diagnostic shows: the lines it points into (and their neighbours, which
/// the renderer may show between two of them), each whole when short and cut to windows
/// around the places marked when long, keyed by the line's index in the file.
struct Excerpt {
    file: FileId,
    name: String,
    text: String,
    lines: BTreeMap<usize, ExcerptLine>,
}

/// The files one diagnostic shows, as excerpts, and the diagnostic with its marks moved into
/// them: what the renderer is given in place of the whole files.
struct Excerpts<'a> {
    shown: &'a Shown,
    excerpts: Vec<Excerpt>,
    diagnostic: cs::Diagnostic<FileId>,
}

impl<'a> Excerpts<'a> {
    /// Excerpts of the files that `places` (file, range in the shown text, message, primary)
    /// point into. A long mark is cut short here ([`LABEL_SHOWN`], [`LABEL_LINES`]), in
    /// `places` too, so each end of every mark is in a piece shown.
    fn new(shown: &'a Shown, places: &mut [(FileId, Range<usize>, String, bool)]) -> Excerpts<'a> {
        let mut wanted: BTreeMap<FileId, BTreeMap<usize, Vec<Range<usize>>>> = BTreeMap::new();
        for (file, range, _, _) in places.iter_mut() {
            let text = shown.text(*file);
            let Some(f) = shown.files.get(*file).ok() else {
                continue;
            };
            let lines = wanted.entry(*file).or_default();
            let line_of = |offset: usize| f.line_index((), offset).unwrap_or(0);
            let line_range = |line: usize| f.line_range((), line).unwrap_or(0..0);
            let first = line_of(range.start);
            let mut last = line_of(range.end);
            let mut mark = |line: usize, from: usize, to: usize| {
                lines.entry(line).or_default().push(from..to);
            };
            if first == last {
                range.end = range.end.min(chars_forward(text, range.start, LABEL_SHOWN));
                mark(first, range.start, range.end);
            } else {
                mark(first, range.start, range.start);
                if last > first + LABEL_LINES {
                    last = first + LABEL_LINES;
                    range.end = trimmed_end(text, line_range(last));
                }
                for line in first + 1..last {
                    let start = line_range(line).start;
                    mark(line, start, start);
                }
                mark(last, range.end, range.end);
            }
            // The renderer shows a line between two it shows, rather than a gap of one.
            for neighbour in [first.checked_sub(1), Some(last + 1)].into_iter().flatten() {
                if f.line_range((), neighbour).is_ok() {
                    lines.entry(neighbour).or_default();
                }
            }
        }
        let excerpts = wanted
            .into_iter()
            .map(|(file, lines)| Excerpt::new(shown, file, &lines))
            .collect();
        Excerpts {
            shown,
            excerpts,
            diagnostic: cs::Diagnostic::new(cs::Severity::Error),
        }
    }

    fn excerpt(&self, file: FileId) -> Result<&Excerpt, codespan_reporting::files::Error> {
        self.excerpts
            .iter()
            .find(|e| e.file == file)
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    /// A range of the shown file (cut short by `new`) as a range of its excerpt.
    fn to_excerpt(&self, file: FileId, range: &Range<usize>) -> Range<usize> {
        let Ok(excerpt) = self.excerpt(file) else {
            return 0..0;
        };
        let start = excerpt.map(self.shown, file, range.start);
        start..excerpt.map(self.shown, file, range.end).max(start)
    }
}

/// Where a line's text ends, its newline left out.
fn trimmed_end(text: &str, line: Range<usize>) -> usize {
    let slice = &text[line.clone()];
    line.start + slice.trim_end_matches(['\n', '\r']).len()
}

impl Excerpt {
    fn new(shown: &Shown, file: FileId, marks: &BTreeMap<usize, Vec<Range<usize>>>) -> Excerpt {
        let text = shown.text(file);
        let f = shown.files.get(file).ok();
        let mut out = String::new();
        let mut lines = BTreeMap::new();
        for (&line, ranges) in marks {
            let Some(range) = f.and_then(|f| f.line_range((), line).ok()) else {
                continue;
            };
            let end = trimmed_end(text, range.clone());
            let pieces = windows(text, range.start..end, ranges);
            let begin = out.len();
            let mut shown_pieces = Vec::new();
            for (i, piece) in pieces.iter().enumerate() {
                if i == 0 && piece.start > range.start {
                    out.push('…');
                } else if i > 0 {
                    out.push_str(" … ");
                }
                shown_pieces.push((piece.start, out.len(), piece.len()));
                out.push_str(&text[piece.clone()]);
            }
            if pieces.last().is_some_and(|p| p.end < end) {
                out.push('…');
            }
            out.push('\n');
            lines.insert(
                line,
                ExcerptLine {
                    range: begin..out.len(),
                    file_start: range.start,
                    pieces: shown_pieces,
                },
            );
        }
        Excerpt {
            file,
            name: f.map(|f| f.name().clone()).unwrap_or_default(),
            text: out,
            lines,
        }
    }

    /// The excerpt's offset of a file offset: in the piece that holds it, else at the nearest
    /// piece's edge.
    fn map(&self, shown: &Shown, file: FileId, offset: usize) -> usize {
        let line = shown
            .files
            .get(file)
            .ok()
            .and_then(|f| f.line_index((), offset).ok())
            .unwrap_or(0);
        let Some(l) = self.lines.get(&line) else {
            return 0;
        };
        let mut best = l.range.start;
        for &(from, at, len) in &l.pieces {
            if offset < from {
                return if best == l.range.start { at } else { best };
            }
            best = at + (offset - from).min(len);
        }
        best
    }

    /// The index (in the file) of the excerpt line holding excerpt offset `at`.
    fn line_at(&self, at: usize) -> Option<usize> {
        let holding = self.lines.iter().find(|(_, l)| l.range.contains(&at));
        holding
            .or_else(|| self.lines.iter().find(|(_, l)| l.range.end == at))
            .map(|(i, _)| *i)
    }
}

/// The stretches of the line `line` of `text` to show around `marks`: the whole line when it is
/// short, else each mark with [`LINE_WINDOW`] characters either side, overlapping ones merged.
fn windows(text: &str, line: Range<usize>, marks: &[Range<usize>]) -> Vec<Range<usize>> {
    let whole = text[line.clone()]
        .char_indices()
        .nth(LINE_SHOWN_WHOLE)
        .is_none();
    if whole {
        return vec![line];
    }
    let mut spans: Vec<Range<usize>> = marks
        .iter()
        .map(|m| {
            let start = m.start.clamp(line.start, line.end);
            let end = m.end.clamp(start, line.end);
            let from =
                line.start + chars_back(&text[line.start..], start - line.start, LINE_WINDOW);
            let to = chars_forward(&text[..line.end], end, LINE_WINDOW);
            from..to
        })
        .collect();
    if spans.is_empty() {
        spans.push(line.start..chars_forward(&text[..line.end], line.start, 2 * LINE_WINDOW));
    }
    spans.sort_by_key(|s| (s.start, s.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end + 8 => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

impl<'a> Files<'a> for Excerpts<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.excerpt(id)?.name.as_str())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(self.excerpt(id)?.text.as_str())
    }

    fn line_index(
        &'a self,
        id: FileId,
        at: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        Ok(excerpt
            .line_at(at)
            .or_else(|| excerpt.lines.keys().next_back().copied())
            .unwrap_or(0))
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        excerpt.lines.get(&line).map(|l| l.range.clone()).ok_or(
            codespan_reporting::files::Error::LineTooLarge {
                given: line,
                max: excerpt.lines.keys().next_back().copied().unwrap_or(0),
            },
        )
    }

    /// The column in the file, not in the excerpt: counted from the line's start through the
    /// character marks, so a long line is not counted again for each finding.
    fn column_number(
        &'a self,
        id: FileId,
        line: usize,
        at: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let excerpt = self.excerpt(id)?;
        let l = excerpt
            .lines
            .get(&line)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        let mut offset = l.file_start;
        for &(from, piece_at, len) in &l.pieces {
            if at >= piece_at {
                offset = from + (at - piece_at).min(len);
            }
        }
        let text = self.shown.text(id);
        let marks = &self.shown.marks[id];
        Ok(marks.before(text, offset) - marks.before(text, l.file_start) + 1)
    }
}

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: usize,
    column: usize,
    message: String,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    severity: Severity,
    code: &'static str,
    name: &'static str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonSummary {
    papers: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonReport {
    version: u32,
    summary: JsonSummary,
    diagnostics: Vec<JsonDiagnostic>,
    /// Every amount in the papers' prose with its verdict (`clerk check --format json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    amounts: Option<serde_json::Value>,
}

/// Renders one JSON document: `{"version":1,"summary":{…},"diagnostics":[…]}`.
/// One line per finding, `file:line:column: severity[code]: message`, as compilers print them:
/// editors and CI annotate from it. A finding with no file starts `clerk:`. Paper text in a
/// message is shown visibly, so every finding stays one line.
pub fn render_short(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let place = match d.file {
            Some(f) => {
                let (line, column) = sources.line_column(f, d.range.start);
                format!("{}:{line}:{column}", sources.name(f))
            }
            None => "clerk".to_string(),
        };
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "{}: {severity}[{}]: {}\n",
            visible(&place),
            d.code.id(),
            visible(&d.message)
        ));
    }
    out
}

pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap, papers: usize) -> String {
    render_json_with(diagnostics, sources, papers, None)
}

/// `render_json`, with every amount and its verdict under `amounts`.
// Long because each field of a diagnostic, its places and the summary are laid out here in
// the order the JSON gives them.
pub fn render_json_with(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    papers: usize,
    amounts: Option<serde_json::Value>,
) -> String {
    let items = diagnostics
        .iter()
        .map(|d| {
            let (start, end) = match d.file {
                Some(f) => (
                    Some(sources.line_column(f, d.range.start)),
                    Some(sources.line_column(f, d.range.end)),
                ),
                None => (None, None),
            };
            JsonDiagnostic {
                severity: d.severity,
                code: d.code.id(),
                name: d.code.name(),
                message: d.message.clone(),
                file: d.file.map(|f| sources.name(f)),
                line: start.map(|p| p.0),
                column: start.map(|p| p.1),
                end_line: end.map(|p| p.0),
                end_column: end.map(|p| p.1),
                label: d.label.clone(),
                hint: d.hint.clone(),
                notes: d.notes.clone(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let (line, column) = sources.line_column(r.file, r.range.start);
                        JsonRelated {
                            file: sources.name(r.file),
                            line,
                            column,
                            message: r.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let report = JsonReport {
        version: 1,
        summary: JsonSummary {
            papers,
            errors: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            warnings: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
        },
        diagnostics: items,
        amounts,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
}

/// The choice nearest to `key` by edit distance, when near enough to be a misspelling: the
/// "did you mean" of a hint, for parse and check alike.
pub fn closest<'a>(key: &str, choices: &'a [String]) -> Option<&'a str> {
    choices
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

#[cfg(test)]
mod tests {
    use super::{render_human, render_short, Code, Diagnostic, SourceMap, LINE_WINDOW};
    use std::path::Path;

    /// A line of `n` sentences, each holding one word to point at, and where each word is.
    fn long_line(n: usize) -> (String, Vec<std::ops::Range<usize>>) {
        let mut text = String::from("---\ntitle: x\n---\n\n");
        let mut words = Vec::new();
        for i in 0..n {
            text.push_str("Écrivez à «officer» ");
            let start = text.len();
            text.push_str(&format!("word{i}"));
            words.push(start..text.len());
            text.push_str(" aujourd’hui. ");
        }
        text.push('\n');
        (text, words)
    }

    fn findings(sources: &mut SourceMap, n: usize) -> (Vec<Diagnostic>, String) {
        let (text, words) = long_line(n);
        let file = sources.add(Path::new("p/report.md"), text.clone());
        let found = words
            .iter()
            .map(|w| {
                Diagnostic::error(Code::EmailDomain, file, w.clone(), "a finding")
                    .with_label("here")
            })
            .collect();
        (found, text)
    }

    /// N findings on one long line print N windows of the line, not N copies of it: the report
    /// grows with N, not with N × the line, and each window holds the word it points at, with
    /// its true column.
    #[test]
    fn findings_on_one_long_line_print_a_window_each() {
        for n in [200, 400] {
            let mut sources = SourceMap::new();
            let (found, text) = findings(&mut sources, n);
            let report = render_human(&found, &sources, false);
            assert!(
                report.len() < n * (8 * LINE_WINDOW + 400),
                "{n} findings printed {} bytes for a line of {}",
                report.len(),
                text.len()
            );
            let short = render_short(&found, &sources);
            for (i, d) in found.iter().enumerate() {
                let column = text[..d.range.start].chars().count()
                    - text[..d.range.start]
                        .rfind('\n')
                        .map_or(0, |at| text[..=at].chars().count())
                    + 1;
                let place = format!("p/report.md:5:{column}");
                assert!(report.contains(&place), "{place}");
                assert!(short.contains(&format!("{place}: error")), "{place}");
                assert!(report.contains(&format!("word{i} ")), "word{i}");
            }
            // The caret is under the word: the line above it holds the word at the same column.
            let lines: Vec<&str> = report.lines().collect();
            let caret = lines.iter().position(|l| l.contains("^^^^")).unwrap();
            let at = lines[caret].chars().position(|c| c == '^').unwrap();
            let shown: String = lines[caret - 1].chars().skip(at).take(5).collect();
            assert_eq!(shown, "word0");
            assert!(report.contains('…'));
        }
    }

    /// A short line is shown whole, as before; a mark longer than a window is cut, not shown
    /// whole.
    #[test]
    fn short_lines_are_whole_and_long_marks_are_cut() {
        let mut sources = SourceMap::new();
        let text = "---\ntitle: x\n---\n\nA short line with £5 in it.\n".to_string();
        let file = sources.add(Path::new("a.md"), text.clone());
        let at = text.find("£5").unwrap();
        let d = Diagnostic::error(Code::NearMiss, file, at..at + 3, "m").with_label("l");
        let report = render_human(&[d], &sources, false);
        assert!(
            report.contains("5 │ A short line with £5 in it.\n"),
            "{report}"
        );
        assert!(!report.contains('…'));

        let long = format!("---\ntitle: x\n---\n\n{}\n", "é".repeat(50_000));
        let file = sources.add(Path::new("b.md"), long.clone());
        let d = Diagnostic::error(Code::NearMiss, file, 20..long.len() - 1, "m");
        let report = render_human(&[d], &sources, false);
        assert!(report.len() < 2_000, "{}", report.len());
    }
}
