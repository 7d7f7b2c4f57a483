//! `clerk serve`: a live preview for authors. The site is built (HTML only) into a private
//! folder and served on 127.0.0.1; papers, council.yaml and templates are watched, and a change
//! rebuilds (only the changed papers render again) and reloads the open page over server-sent
//! events. Each page shows its paper's current findings. PDFs are made when asked for.
//!
//! Every rebuild makes the same publication decision as `clerk build` and removes whatever it
//! did not make: a paper that is no longer public (made Exempt, listed in Part 2, or its
//! classification unreadable while its front matter is half-written) is no longer served, its
//! pages, JSON and review page alike; its address shows why, with its findings.
//!
//! The reload script is added to pages as they are served, never to `clerk build`'s output.
//! `http.rs` reads requests, bounded in size and time.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

// notify itself, as notify-debouncer-mini re-exports it: events are sorted by kind (which the
// debouncer drops) before they are debounced here.
use notify_debouncer_mini::notify::{self, Watcher};

use serde::Serialize;

use crate::build::{build, BuildOptions, Formats, Silent};
use crate::diagnostic::{Diagnostic, Severity, SourceMap};
use crate::render::Templates;

mod http;

use http::Request;

pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub templates: Option<PathBuf>,
}

/// A finding as the page shows it.
#[derive(Clone, Serialize)]
struct Note {
    severity: &'static str,
    code: &'static str,
    file: String,
    line: usize,
    column: usize,
    message: String,
    /// The line on the paper's review page, where the finding is marked in its source.
    href: String,
    /// The paper folder the file belongs to.
    #[serde(skip)]
    dir: PathBuf,
}

struct State {
    opts: ServeOptions,
    site: tempfile::TempDir,
    notes: Mutex<Vec<Note>>,
    /// Open event streams, told to reload after each rebuild.
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
    templates: Mutex<Option<Templates>>,
    /// Serialises builds: a PDF asked for while a rebuild runs waits for it.
    building: Mutex<()>,
    /// The port it listens on, once it does: requests must name it in their Host.
    port: std::sync::OnceLock<u16>,
    /// Why the last rebuild failed (a broken template, an unwritable site), shown on every page
    /// over the last good build until a rebuild succeeds.
    failure: Mutex<Option<String>>,
    /// Whether a PDF has been asked for: every rebuild then makes them too.
    pdf: AtomicBool,
    /// Requests being read or answered now (at most `http::MAX_CONNECTIONS`).
    open: AtomicUsize,
}

/// What a rebuild found, for the line `clerk serve` prints after each.
pub struct Rebuilt {
    pub papers: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Papers not shown: exempt, withheld, or not known to be public.
    pub withheld: usize,
    pub seconds: f64,
}

impl Rebuilt {
    /// What a build found: its papers, errors and warnings, and the papers it did not show.
    fn of(built: &crate::build::Built, started: Instant) -> Rebuilt {
        let failures = |severity| {
            built
                .failures
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        let withheld = built.failures.iter().filter(|d| {
            matches!(
                d.code,
                crate::diagnostic::Code::Withheld | crate::diagnostic::Code::Draft
            )
        });
        Rebuilt {
            papers: built.checked.papers,
            errors: built.checked.errors() + failures(Severity::Error),
            warnings: built.checked.warnings() + failures(Severity::Warning),
            withheld: built.withheld.len() + withheld.count(),
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What the watched inputs look like on disk: each file's path, length and modification time.
/// Reading a file leaves it as it was, so clerk's own reads during a rebuild are no change.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

const EVENTS: &str = "/__clerk/events";
const RELOAD_SCRIPT: &str =
    "<script>new EventSource(\"/__clerk/events\").onmessage = () => location.reload();</script>";

/// The address of a line of a paper's file on its review page, or nothing for a file at the
/// root or a finding with no line.
fn review_href(root: &Path, path: &Path, line: usize) -> String {
    match (
        path.parent().and_then(|p| p.strip_prefix(root).ok()),
        path.file_name(),
    ) {
        (Some(rel), Some(name)) if line > 0 && !rel.as_os_str().is_empty() => {
            format!(
                "/review/{}/index.html#{}-l{line}",
                crate::render::href_path(&rel.to_string_lossy().replace('\\', "/")),
                crate::render::review::file_anchor(&name.to_string_lossy())
            )
        }
        _ => String::new(),
    }
}

/// What the preview makes: HTML and JSON, and the PDFs too when one is asked for.
fn preview_formats(pdf: bool) -> Result<Formats, String> {
    if pdf {
        Ok(Formats::all())
    } else {
        Formats::pick(&["html", "json"])
    }
}

impl State {
    /// Builds the private site again (with its PDFs once one has been asked for), then keeps
    /// the findings for the page and loads the templates afresh. What the build did not make
    /// (a paper no longer public among it) is removed, so it is no longer served.
    fn rebuild(&self) -> Result<Rebuilt, String> {
        let _guard = self.building.lock().map_err(|_| "a build failed")?;
        let started = Instant::now();
        let opts = BuildOptions {
            root: self.opts.root.clone(),
            out: self.site.path().to_path_buf(),
            formats: preview_formats(self.pdf.load(Ordering::SeqCst))?,
            jobs: None,
            templates: self.opts.templates.clone(),
            install: false,
            keep_packs: false,
            // The preview is the author's: a draft shows, under its banner.
            drafts: true,
            base_url: None,
        };
        let built = build(&opts, &Silent)?;
        let rebuilt = Rebuilt::of(&built, started);
        let sources = &built.checked.sources;
        let notes = built
            .checked
            .diagnostics
            .iter()
            .chain(built.failures.iter())
            .map(|d| self.note(d, sources))
            .collect();
        if let Ok(mut n) = self.notes.lock() {
            *n = notes;
        }
        if let Ok(mut t) = self.templates.lock() {
            *t = crate::build::load_templates(&self.opts.root, self.opts.templates.as_deref())
                .ok()
                .map(|(templates, _)| templates);
        }
        Ok(rebuilt)
    }

    /// Makes the pack (or supplement) `rel` of meeting `id` into the preview, as `clerk pack
    /// --allow-errors` would: a draft pack, but never one with a paper not known to be public
    /// in Part 1. Its findings join the page's.
    fn pack(&self, id: &str, rel: &str) -> Result<(), String> {
        let _guard = self.building.lock().map_err(|_| "a build failed")?;
        let meeting = crate::site::meetings::find(&self.opts.root)
            .into_iter()
            .find(|m| m.id == id)
            .ok_or_else(|| format!("no meeting file is called {id}"))?;
        let supplement = rel
            .rsplit_once("/supplement-")
            .and_then(|(_, n)| n.trim_end_matches(".pdf").parse().ok());
        let opts = crate::pack::PackOptions {
            meeting: meeting.path,
            out: self.site.path().to_path_buf(),
            confidential: None,
            allow_errors: true,
            supplement,
            templates: self.opts.templates.clone(),
            install: false,
        };
        let packed = crate::pack::pack(&opts, &Silent)?;
        let notes: Vec<Note> = packed
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| self.note(d, &packed.sources))
            .collect();
        if let Some(refusal) = packed
            .diagnostics
            .iter()
            .find(|d| d.code == crate::diagnostic::Code::PackRefused)
        {
            return Err(refusal.message.clone());
        }
        if let Ok(mut n) = self.notes.lock() {
            n.extend(notes);
        }
        Ok(())
    }

    /// A finding as the page shows it, linked to its line on the paper's review page.
    fn note(&self, d: &Diagnostic, sources: &SourceMap) -> Note {
        let (line, column) = d
            .file
            .map_or((0, 0), |f| sources.line_column(f, d.range.start));
        let path = d
            .file
            .map(|f| sources.path(f).to_path_buf())
            .unwrap_or_default();
        Note {
            severity: if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            },
            code: d.code.id(),
            file: d.file.map(|f| sources.name(f)).unwrap_or_default(),
            line,
            column,
            message: d.message.clone(),
            href: review_href(&self.opts.root, &path, line),
            dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        }
    }

    /// The fingerprint of the papers (council.yaml and templates among them) and of any
    /// template folder, leaving out the private site should it lie among them.
    fn fingerprint(&self) -> Fingerprint {
        let site = self.site.path();
        let roots = std::iter::once(&self.opts.root).chain(self.opts.templates.as_ref());
        roots
            .flat_map(|r| walkdir::WalkDir::new(r).sort_by_file_name())
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file() && !e.path().starts_with(site))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((e.into_path(), meta.len(), meta.modified().ok()))
            })
            .collect()
    }

    fn reload_clients(&self) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain_mut(|c| {
                c.write_all(b"data: reload\n\n")
                    .and_then(|_| c.flush())
                    .is_ok()
            });
        }
    }

    /// The findings panel for a page: its paper's findings, or every finding on the index.
    fn panel(&self, rel: &str) -> String {
        let failure = self.failure.lock().ok().and_then(|f| f.clone());
        let failure = failure.map(|e| {
            // Written without the templates: they may be what is broken.
            format!(
                "<aside class=\"serve-panel\" role=\"alert\"><h2>clerk serve: the preview could not be rebuilt</h2><p>{}</p><p>This page is the last good build.</p></aside>",
                crate::render::escape_html(&e)
            )
        });
        failure.unwrap_or_default() + &self.findings(rel)
    }

    /// The paper's findings from the last good build, or every finding on the index.
    fn findings(&self, rel: &str) -> String {
        let notes = self.notes.lock().map(|n| n.clone()).unwrap_or_default();
        let paper = rel
            .rsplit_once('/')
            .map(|(dir, _)| self.opts.root.join(dir));
        let shown: Vec<&Note> = notes
            .iter()
            .filter(|n| match &paper {
                Some(dir) => n.dir == *dir,
                None => true,
            })
            .collect();
        let templates = self.templates.lock();
        let Ok(Some(t)) = templates.as_deref() else {
            return String::new();
        };
        t.html(
            "serve-panel.html",
            &serde_json::json!({ "notes": shown }),
            &[],
        )
        .unwrap_or_default()
    }
}

/// The file under the site that a request path names; None for anything that would leave it.
fn site_path(site: &Path, url: &str) -> Option<(PathBuf, String)> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let mut rel = PathBuf::new();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(p) => rel.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let mut full = site.join(&rel);
    if full.is_dir() || decoded.ends_with('/') {
        full = full.join("index.html");
        rel = rel.join("index.html");
    }
    Some((full, rel.to_string_lossy().replace('\\', "/")))
}

fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("pdf") => "application/pdf",
        Some("ics") => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a request names this server as its host: `127.0.0.1:PORT` or `localhost:PORT`.
/// Anything else (a DNS-rebinding page naming its own domain, say) is refused, so only pages
/// this machine asked of the preview can read it.
fn addressed_to_us(request: &Request, port: u16) -> bool {
    match request.hosts.as_slice() {
        [host] => {
            let host = host.trim().to_ascii_lowercase();
            host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
        }
        _ => false,
    }
}

/// Keeps the request open as an event stream, told to reload when a rebuild finishes.
fn subscribe(state: &State, mut stream: TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: clerk\n\n";
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.flush())
        .is_ok()
    {
        if let Ok(mut clients) = state.clients.lock() {
            clients.push(Box::new(stream));
        }
    }
}

/// A page of the site with the findings panel and the reload script added at the end of its
/// `<main>` (or of the page, if it has none).
fn with_panel(state: &State, rel: &str, bytes: &[u8]) -> Vec<u8> {
    let html = String::from_utf8_lossy(bytes).into_owned();
    let addition = format!("{}{RELOAD_SCRIPT}", state.panel(rel));
    match html.rfind("</main>") {
        Some(at) => format!("{}{}{}", &html[..at], addition, &html[at..]),
        None => format!("{html}{addition}"),
    }
    .into_bytes()
}

/// The page at an address the last build wrote nothing to: nothing is there, or a paper that is
/// not public now (exempt, or its classification unreadable while it is being edited) was
/// there. Its findings say which.
fn nothing_here(state: &State, rel: &str) -> Vec<u8> {
    let notice = state
        .templates
        .lock()
        .ok()
        .and_then(|t| {
            t.as_ref()?
                .html(
                    "serve-withheld.html",
                    &serde_json::json!({ "title": "Not shown", "path": rel }),
                    &[("root", serde_json::json!("/"))],
                )
                .ok()
        })
        .unwrap_or_default();
    with_panel(state, rel, notice.as_bytes())
}

/// Answers one request whose head was read whole.
fn respond(state: &State, request: Request) {
    let head_only = request.method == "HEAD";
    if !state
        .port
        .get()
        .is_some_and(|p| addressed_to_us(&request, *p))
    {
        let why =
            "clerk serve answers only requests addressed to 127.0.0.1 or localhost with its port";
        http::respond(
            request.stream,
            421,
            "text/plain; charset=utf-8",
            why.as_bytes(),
            head_only,
        );
        return;
    }
    if request.target == EVENTS {
        subscribe(state, request.stream);
        return;
    }
    let text = "text/plain; charset=utf-8";
    let Some((path, rel)) = site_path(state.site.path(), &request.target) else {
        http::respond(request.stream, 404, text, b"not found", head_only);
        return;
    };
    // A meeting's pack is made when asked for, from its meeting file as it is now.
    if let Some(id) = pack_asked(&rel).filter(|_| !path.is_file()) {
        if let Err(e) = state.pack(id, &rel) {
            let body = format!("no pack: {e}");
            http::respond(request.stream, 503, text, body.as_bytes(), head_only);
            return;
        }
    }
    // A PDF is made when first asked for; every rebuild makes them from then on.
    if rel.ends_with(".pdf") && !path.is_file() && !state.pdf.swap(true, Ordering::SeqCst) {
        if let Err(e) = state.rebuild() {
            let body = format!("no PDF: {e}");
            http::respond(request.stream, 503, text, body.as_bytes(), head_only);
            return;
        }
    }
    let Ok(mut bytes) = crate::load::read_raw(&path) else {
        if rel.ends_with(".html") {
            let page = nothing_here(state, &rel);
            http::respond(request.stream, 404, content_type(&path), &page, head_only);
        } else {
            http::respond(request.stream, 404, text, b"not found", head_only);
        }
        return;
    };
    if rel.ends_with(".html") {
        bytes = with_panel(state, &rel, &bytes);
    }
    http::respond(request.stream, 200, content_type(&path), &bytes, head_only);
}

/// The meeting whose pack (or supplement) `rel` names: `meetings/ID/pack.pdf`,
/// `meetings/ID/supplement-N.pdf`.
fn pack_asked(rel: &str) -> Option<&str> {
    let rest = rel.strip_prefix("meetings/")?;
    let (id, file) = rest.split_once('/')?;
    let is_pack = file == "pack.pdf"
        || file
            .strip_prefix("supplement-")
            .and_then(|n| n.strip_suffix(".pdf"))
            .is_some_and(|n| n.parse::<u32>().is_ok());
    is_pack.then_some(id)
}

/// Reads one connection's request and answers it, on a thread of its own; past
/// `http::MAX_CONNECTIONS` at once, a connection is answered 503 at once.
fn accept(state: &Arc<State>, stream: TcpStream) {
    if state.open.fetch_add(1, Ordering::SeqCst) >= http::MAX_CONNECTIONS {
        state.open.fetch_sub(1, Ordering::SeqCst);
        let busy = http::Refused {
            status: 503,
            why: "too many requests at once",
        };
        http::refuse(stream, &busy);
        return;
    }
    let state = state.clone();
    std::thread::spawn(move || {
        match http::read_request(stream) {
            Ok(request) => respond(&state, request),
            Err((stream, refused)) => http::refuse(stream, &refused),
        }
        state.open.fetch_sub(1, Ordering::SeqCst);
    });
}

/// A flag set by Ctrl-C, which also wakes the accepting loop (listening on `port`) to see it.
fn stop_on_ctrl_c(port: u16) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || {
        flag.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", port));
    });
    stop
}

/// Told why a rebuild failed, from the thread that watches the papers.
pub type Failed = Arc<dyn Fn(&str) + Send + Sync>;
/// Told what each rebuild after an edit found.
pub type Told = Arc<dyn Fn(&Rebuilt) + Send + Sync>;

/// Serves until Ctrl-C. `ready` is told the address once the site is built and listening;
/// `failed` is told each time a rebuild after an edit fails (the page says so too), `told`
/// what each one that succeeds found.
pub fn serve(
    opts: ServeOptions,
    ready: &dyn Fn(&str),
    failed: Failed,
    told: Told,
) -> Result<(), String> {
    if !opts.root.is_dir() {
        return Err(format!(
            "`{}` is not a folder of papers",
            opts.root.display()
        ));
    }
    let site = tempfile::Builder::new()
        .prefix("clerk-serve-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let state = Arc::new(State {
        opts,
        site,
        notes: Mutex::new(Vec::new()),
        clients: Mutex::new(Vec::new()),
        templates: Mutex::new(None),
        building: Mutex::new(()),
        port: std::sync::OnceLock::new(),
        failure: Mutex::new(None),
        pdf: AtomicBool::new(false),
        open: AtomicUsize::new(0),
    });
    // The watched files as the first build reads them.
    let seen = state.fingerprint();
    state.rebuild()?;

    // Only this machine may connect.
    let listener = TcpListener::bind(("127.0.0.1", state.opts.port))
        .map_err(|e| format!("cannot listen: {e}"))?;
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or(state.opts.port);
    let _ = state.port.set(port);

    let stop = stop_on_ctrl_c(port);

    let watcher = watch(&state, &stop, seen, failed, told)?;

    ready(&format!("http://127.0.0.1:{port}/"));
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        if let Ok(stream) = stream {
            accept(&state, stream);
        }
    }
    drop(watcher);
    Ok(())
}

/// Watches the papers (council.yaml and templates live among them) and any template folder,
/// rebuilding on a thread of its own; the watching stops when the watcher is dropped.
fn watch(
    state: &Arc<State>,
    stop: &Arc<AtomicBool>,
    seen: Fingerprint,
    failed: Failed,
    told: Told,
) -> Result<notify::RecommendedWatcher, String> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.as_ref().map_or(true, is_change) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| format!("cannot watch: {e}"))?;
    let mode = notify::RecursiveMode::Recursive;
    watcher
        .watch(&state.opts.root, mode)
        .map_err(|e| format!("cannot watch: {e}"))?;
    if let Some(t) = &state.opts.templates {
        let _ = watcher.watch(t, mode);
    }
    let (state, stop) = (state.clone(), stop.clone());
    std::thread::spawn(move || rebuild_on_change(&state, &stop, &rx, seen, &failed, &told));
    Ok(watcher)
}

/// Whether a watched event may be a change. Opening or reading a file is not one, and clerk
/// reads every paper each time it builds: taking those for edits rebuilt and reloaded the page
/// many times a second with nothing edited.
fn is_change(event: &notify::Event) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Rebuilds and reloads the open pages after each change, once its burst of events (an editor's
/// save) has settled, and only when the watched files differ from those of the last build.
fn rebuild_on_change(
    state: &State,
    stop: &AtomicBool,
    rx: &mpsc::Receiver<()>,
    mut seen: Fingerprint,
    failed: &Failed,
    told: &Told,
) {
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(()) => {
                let burst = Instant::now();
                while burst.elapsed() < Duration::from_secs(1)
                    && rx.recv_timeout(Duration::from_millis(80)).is_ok()
                {}
                let now = state.fingerprint();
                if now == seen {
                    continue;
                }
                seen = now;
                // Whatever the paper says, the server stays up: findings go on the page, and
                // a failed rebuild is said on every page and to whoever started the preview.
                let failure = match state.rebuild() {
                    Ok(rebuilt) => {
                        (told)(&rebuilt);
                        None
                    }
                    Err(e) => {
                        (failed)(&e);
                        Some(e)
                    }
                };
                if let Ok(mut f) = state.failure.lock() {
                    *f = failure;
                }
                state.reload_clients();
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
}
