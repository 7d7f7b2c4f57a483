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

    // C11xx: Word and PDF papers
    ImportRefused = "C1101", "import-refused", "a Word or PDF file cannot be read: password-protected, scanned, damaged or not what its name says";
    ImportExists = "C1102", "import-exists", "clerk import will not overwrite a paper that already exists";


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
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap {
            files: SimpleFiles::new(),
            paths: Vec::new(),
            by_path: BTreeMap::new(),
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

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = clamp_to_char_boundary(text, offset);
        match self.files.location(id, offset) {
            Ok(loc) => (loc.line_number, loc.column_number),
            Err(_) => (1, 1),
        }
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
}

impl Shown {
    fn new(sources: &SourceMap) -> Shown {
        let mut files = SimpleFiles::new();
        let mut shifts = Vec::new();
        for id in 0..sources.len() {
            let (text, shift) = visible_mapped(sources.text(id));
            files.add(visible(&sources.name(id)).into_owned(), text);
            shifts.push(shift);
        }
        Shown { files, shifts }
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

fn to_codespan(d: &Diagnostic, sources: &SourceMap, shown: &Shown) -> cs::Diagnostic<FileId> {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let mut out = cs::Diagnostic::new(severity)
        .with_code(d.code.id())
        .with_message(visible(&d.message));
    let mut labels = Vec::new();
    if let Some(file) = d.file {
        let range = shown.range(file, sources.text(file), &d.range);
        let label = d.label.as_deref().map(visible).unwrap_or_default();
        labels.push(cs::Label::primary(file, range).with_message(label));
    }
    for r in &d.related {
        let range = shown.range(r.file, sources.text(r.file), &r.range);
        labels.push(cs::Label::secondary(r.file, range).with_message(visible(&r.message)));
    }
    out = out.with_labels(labels);
    let mut notes: Vec<String> = d.notes.iter().map(|n| visible(n).into_owned()).collect();
    if let Some(hint) = &d.hint {
        notes.push(format!("help: {}", visible(hint)));
    }
    out.with_notes(notes)
}

fn safe_range(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = clamp_to_char_boundary(text, range.start);
    let end = clamp_to_char_boundary(text, range.end.max(start));
    start..end
}

/// Renders diagnostics rustc-style, with source snippets; in colour only when asked. Paper
/// text (file names, snippets, messages) is made `visible` first.
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, colour: bool) -> String {
    let config = term::Config::default();
    let shown = Shown::new(sources);
    let mut out = String::new();
    for d in diagnostics {
        let diagnostic = to_codespan(d, sources, &shown);
        if colour {
            let mut buffer = term::termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buffer, &config, &shown.files, &diagnostic).is_ok() {
                out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
            }
        } else if let Ok(text) = term::emit_into_string(&config, &shown.files, &diagnostic) {
            out.push_str(&text);
        }
    }
    out
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
