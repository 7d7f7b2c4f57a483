//! `clerk serve`: a live preview for authors. The site is built (HTML only) into a private
//! folder and served on 127.0.0.1; papers, council.yaml and templates are watched, and a change
//! rebuilds (only the changed papers render again) and reloads the open page over server-sent
//! events. Each page shows its paper's current findings, so a half-written paper shows its
//! error while its last good render stays. PDFs are made when asked for.
//!
//! The reload script is added to pages as they are served, never to `clerk build`'s output.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

// notify itself, as notify-debouncer-mini re-exports it: events are sorted by kind (which the
// debouncer drops) before they are debounced here.
use notify_debouncer_mini::notify::{self, Watcher};

use serde::Serialize;

use crate::build::{build, BuildOptions, Formats, Silent};
use crate::diagnostic::{Diagnostic, Severity, SourceMap};
use crate::render::Templates;

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
    /// Builds the private site again (with its PDFs when `pdf`), then keeps the findings for the
    /// page and loads the templates afresh.
    fn rebuild(&self, pdf: bool) -> Result<(), String> {
        let _guard = self.building.lock().map_err(|_| "a build failed")?;
        let opts = BuildOptions {
            root: self.opts.root.clone(),
            out: self.site.path().to_path_buf(),
            formats: preview_formats(pdf)?,
            jobs: None,
            templates: self.opts.templates.clone(),
            install: false,
            prune: false,
            // The preview is the author's: a draft shows, under its banner.
            drafts: true,
        };
        let built = build(&opts, &Silent)?;
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
fn addressed_to_us(request: &tiny_http::Request, port: u16) -> bool {
    let hosts: Vec<&str> = request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str())
        .collect();
    match hosts.as_slice() {
        [host] => {
            let host = host.trim().to_ascii_lowercase();
            host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
        }
        _ => false,
    }
}

/// Keeps the request open as an event stream, told to reload when a rebuild finishes.
fn subscribe(state: &State, request: tiny_http::Request) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: clerk\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_ok()
    {
        if let Ok(mut clients) = state.clients.lock() {
            clients.push(writer);
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

fn respond(state: &State, request: tiny_http::Request) {
    if !state
        .port
        .get()
        .is_some_and(|p| addressed_to_us(&request, *p))
    {
        let _ = request.respond(
            tiny_http::Response::from_string(
                "clerk serve answers only requests addressed to 127.0.0.1 or localhost with its port",
            )
            .with_status_code(421),
        );
        return;
    }
    if request.url() == EVENTS {
        subscribe(state, request);
        return;
    }
    let header = |v: &str| tiny_http::Header::from_bytes(&b"Content-Type"[..], v.as_bytes()).ok();
    let Some((path, rel)) = site_path(state.site.path(), request.url()) else {
        let _ =
            request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    // A PDF is made when first asked for.
    if rel.ends_with(".pdf") && !path.is_file() {
        if let Err(e) = state.rebuild(true) {
            let _ = request.respond(
                tiny_http::Response::from_string(format!("no PDF: {e}")).with_status_code(503),
            );
            return;
        }
    }
    let Ok(mut bytes) = crate::load::read_raw(&path) else {
        let _ =
            request.respond(tiny_http::Response::from_string("not found").with_status_code(404));
        return;
    };
    if rel.ends_with(".html") {
        bytes = with_panel(state, &rel, &bytes);
    }
    let mut response = tiny_http::Response::from_data(bytes);
    if let Some(h) = header(content_type(&path)) {
        response = response.with_header(h);
    }
    let _ = request.respond(response);
}

/// Told why a rebuild failed, from the thread that watches the papers.
pub type Failed = Arc<dyn Fn(&str) + Send + Sync>;

/// Serves until Ctrl-C. `ready` is told the address once the site is built and listening;
/// `failed` is told each time a rebuild after an edit fails (the page says so too).
pub fn serve(opts: ServeOptions, ready: &dyn Fn(&str), failed: Failed) -> Result<(), String> {
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
    });
    // The watched files as the first build reads them.
    let seen = state.fingerprint();
    state.rebuild(false)?;

    // Only this machine may connect.
    let server = Arc::new(
        tiny_http::Server::http(("127.0.0.1", state.opts.port))
            .map_err(|e| format!("cannot listen: {e}"))?,
    );
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .unwrap_or(state.opts.port);
    let _ = state.port.set(port);

    let stop = Arc::new(AtomicBool::new(false));
    {
        let (stop, server) = (stop.clone(), server.clone());
        let _ = ctrlc::set_handler(move || {
            stop.store(true, Ordering::SeqCst);
            server.unblock();
        });
    }

    let watcher = watch(&state, &stop, seen, failed)?;

    ready(&format!("http://127.0.0.1:{port}/"));
    for request in server.incoming_requests() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let state = state.clone();
        std::thread::spawn(move || respond(&state, request));
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
    std::thread::spawn(move || rebuild_on_change(&state, &stop, &rx, seen, &failed));
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
                let failure = state.rebuild(false).err();
                if let Some(e) = &failure {
                    (failed)(e);
                }
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
