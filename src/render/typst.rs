//! The typst CLI as a pinned external tool: finding it, installing it, and running it. This is
//! the only module in clerk that starts a process: the one other tool it runs, Pagefind (the
//! site's search index, `site/search.rs`), is found and run here too, at the end of the file.
//!
//! typst is handed a fresh staging folder as `--root` holding the template and the paper as
//! `data.json`; the template reads the JSON, so paper text is data and never typst code.

use std::env;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::write::Staged;

/// The typst release clerk's templates are written for.
pub const VERSION: &str = "0.15.1";
/// Any 0.15.x will do.
const SERIES: &str = "0.15.";

#[derive(Clone, Debug)]
pub struct Typst {
    pub path: PathBuf,
    pub version: String,
}

/// Where clerk keeps what it installs: `$CLERK_CACHE`, else `$XDG_CACHE_HOME/clerk`, else
/// `~/.cache/clerk`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CLERK_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("clerk");
    }
    let home = env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(env::temp_dir);
    home.join(".cache").join("clerk")
}

fn install_root() -> PathBuf {
    cache_dir().join(format!("typst-{VERSION}"))
}

/// How to install typst by hand, for messages.
pub fn manual_install() -> String {
    format!(
        "install it with `cargo install typst-cli --locked --version {VERSION} --root {}` (several minutes), or set CLERK_TYPST to a typst {SERIES}x binary",
        install_root().display()
    )
}

fn version_of(path: &Path) -> Option<String> {
    let output = Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // "typst 0.15.1 (abcdef)"
    text.split_whitespace().nth(1).map(str::to_string)
}

fn on_path(name: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Finds a typst of the right version: `CLERK_TYPST`, then PATH, then clerk's own cache.
pub fn find() -> Result<Typst, String> {
    let mut notes = Vec::new();
    let mut candidates = Vec::new();
    if let Some(p) = env::var_os("CLERK_TYPST").filter(|p| !p.is_empty()) {
        candidates.push(("CLERK_TYPST", PathBuf::from(p)));
    }
    if let Some(p) = on_path("typst") {
        candidates.push(("PATH", p));
    }
    candidates.push(("clerk's cache", install_root().join("bin").join("typst")));
    for (from, path) in candidates {
        // clerk's own install sits in a folder named for its version: no need to ask it.
        if from == "clerk's cache" && path.is_file() {
            return Ok(Typst {
                path,
                version: VERSION.to_string(),
            });
        }
        match version_of(&path) {
            Some(v) if v.starts_with(SERIES) => return Ok(Typst { path, version: v }),
            Some(v) => notes.push(format!(
                "{} ({from}) is typst {v}, not {SERIES}x",
                path.display()
            )),
            None if from == "CLERK_TYPST" => notes.push(format!(
                "CLERK_TYPST names {}, which does not run",
                path.display()
            )),
            None => {}
        }
    }
    let mut message = format!("typst {SERIES}x was not found");
    if !notes.is_empty() {
        message.push_str(&format!(" ({})", notes.join("; ")));
    }
    Err(message)
}

/// Installs the pinned typst into clerk's cache with cargo. cargo's own progress is shown.
pub fn install() -> Result<Typst, String> {
    let root = install_root();
    let status = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "install",
            "typst-cli",
            "--locked",
            "--version",
            VERSION,
            "--root",
        ])
        .arg(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| format!("cannot run cargo to install typst: {e}"))?;
    if !status.success() {
        return Err(format!("`cargo install typst-cli` failed ({status})"));
    }
    find()
}

/// One document for typst: the paper's view as JSON, and the date to stamp it with.
#[derive(Clone, Debug)]
pub struct Job {
    /// What to call the document in messages (its source path).
    pub name: String,
    pub data_json: String,
    /// Seconds since 1970 for the PDF's creation date: the paper's own date, so two builds
    /// of the same paper give the same bytes.
    pub timestamp: i64,
}

/// How long one typst run may take: [`TIME_BASE_SECONDS`], and [`TIME_SECONDS_PER_MIB`] for
/// each MiB of the document's data. typst starts in about 25 ms, makes a 6-page paper in about
/// 85 ms and a pack of 20 papers (129 pages, about 1 MiB of data) in 0.73 s, so the limit is
/// ten times what a real document needs even on a machine busy with other work; a template that
/// does not finish (loops over a range inside a range: typst itself refuses `while true {}`) is
/// killed there and its document reported, rather than holding the build for ever.
pub const TIME_BASE_SECONDS: u64 = 10;
pub const TIME_SECONDS_PER_MIB: u64 = 10;

/// The time limit for a run on `data_bytes` of data, in whole seconds (so messages about it
/// are the same on every machine).
pub fn time_limit(data_bytes: usize) -> u64 {
    let per_mib = (data_bytes as u64).saturating_mul(TIME_SECONDS_PER_MIB) / (1024 * 1024);
    TIME_BASE_SECONDS.saturating_add(per_mib)
}

/// Why a run of typst gave no output.
enum Stopped {
    /// It could not be started.
    NotRun(std::io::Error),
    /// It ran past its time limit and was killed.
    TimedOut,
}

/// Runs `command` (typst) to its end or to `limit` seconds, whichever comes first; past the
/// limit the process is killed. Its output is read as it comes, so a full pipe never stalls
/// it; the end of its standard error (when it exits) is what the wait listens for, so a run
/// that ends in time is waited for no longer than it takes.
fn run_limited(mut command: Command, limit: u64) -> Result<Output, Stopped> {
    let deadline = Instant::now() + Duration::from_secs(limit);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(Stopped::NotRun)?;
    let stdout = child.stdout.take().map(|out| read_all(out, None));
    let (ended, end) = mpsc::channel();
    let stderr = child.stderr.take().map(|err| read_all(err, Some(ended)));
    let late = matches!(
        end.recv_timeout(deadline.saturating_duration_since(Instant::now())),
        Err(mpsc::RecvTimeoutError::Timeout)
    );
    // Its standard error has ended, so it is ending: wait for it, up to the deadline still.
    let status = if late {
        None
    } else {
        match wait_until(&mut child, deadline) {
            Ok(status) => status,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Stopped::NotRun(e));
            }
        }
    };
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    let collect = |h: Option<std::thread::JoinHandle<Vec<u8>>>| {
        h.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    let (stdout, stderr) = (collect(stdout), collect(stderr));
    match status {
        Some(status) => Ok(Output {
            status,
            stdout,
            stderr,
        }),
        None => Err(Stopped::TimedOut),
    }
}

/// The child's exit status once it has ended, or none when `deadline` comes first.
fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> std::io::Result<Option<std::process::ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Reads a pipe to its end on a thread of its own, then says so on `ended`.
fn read_all(
    mut pipe: impl Read + Send + 'static,
    ended: Option<mpsc::Sender<()>>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        if let Some(ended) = ended {
            let _ = ended.send(());
        }
        bytes
    })
}

/// The message for a document typst did not make within its time limit.
fn too_long(job: &Job, entry: &str) -> String {
    format!(
        "typst ran past its time limit of {} s making the PDF of {} and was stopped: the template `typst/{entry}` (or a module it imports) does not finish. The limit is {TIME_BASE_SECONDS} s and {TIME_SECONDS_PER_MIB} s for each MiB of the document's data, ten times what clerk's own templates need (README: Limits)",
        time_limit(job.data_json.len()),
        job.name
    )
}

/// At most so many typst runs at once, however many threads ask. A build gives typst more
/// threads than that, so one thread stages its next document or writes its last PDF while
/// another's typst runs, and a core never waits for clerk's own work between two runs.
///
/// Once a run is stopped at its time limit, the gate lets no more through: the template that
/// did not finish would not finish for the next document either, and a build of many papers
/// would otherwise wait out the limit for each.
pub struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
    stopped: AtomicBool,
}

/// One typst run let through a gate; the place is given back when it is dropped.
struct Pass<'a>(&'a Gate);

impl Gate {
    pub fn new(runs: usize) -> Gate {
        Gate {
            free: Mutex::new(runs.max(1)),
            freed: Condvar::new(),
            stopped: AtomicBool::new(false),
        }
    }

    /// A place for one run, once one is free; none once a run has been stopped.
    fn enter(&self) -> Option<Pass<'_>> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        if self.stopped.load(Ordering::SeqCst) {
            return None;
        }
        *free -= 1;
        Some(Pass(self))
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

/// A fresh folder under `staging` holding the templates, handed to typst as its --root, for one
/// document after another: each compile writes its own data.json over the last and removes its
/// PDF once read, so the folder never holds another paper's output. Files are copied in, never
/// linked: --root must not lead anywhere else. Making and removing a folder per document cost
/// more than the rest of clerk's work around a typst run, so a worker keeps one.
pub struct Stage {
    dir: Staged,
}

impl Stage {
    pub fn new(templates: &[(String, String)], staging: &Path) -> Result<Stage, String> {
        let files: Vec<(&str, &[u8])> = templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_bytes()))
            .collect();
        Staged::new(staging, &files)
            .map(|dir| Stage { dir })
            .map_err(|e| {
                format!(
                    "cannot stage typst's templates in {}: {e}",
                    staging.display()
                )
            })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes the job's data.json over the last one.
    fn data(&self, job: &Job) -> Result<(), String> {
        self.dir
            .put("data.json", job.data_json.as_bytes())
            .map_err(|e| format!("cannot stage data.json for {}: {e}", job.name))
    }

    /// Compiles one document, its typst run let through `gate` when there is one; returns the
    /// PDF's bytes. A warning from typst counts as a failure: typst exits 0 on warnings, so
    /// stderr is read.
    pub fn compile(
        &self,
        typst: &Typst,
        entry: &str,
        job: &Job,
        gate: Option<&Gate>,
    ) -> Result<Vec<u8>, String> {
        self.data(job)?;
        let dir = self.path();
        let out = dir.join(OUT_PDF);
        let pass = match gate.map(Gate::enter) {
            Some(None) => {
                return Err(format!(
                    "typst was not run for {}: it was stopped on another document that ran past its time limit (the template `typst/{entry}` or a module it imports does not finish)",
                    job.name
                ))
            }
            Some(Some(pass)) => Some(pass),
            None => None,
        };
        let command = compile_command(typst, dir, entry, &out, job.timestamp);
        let output = match run_limited(command, time_limit(job.data_json.len())) {
            Ok(output) => output,
            Err(Stopped::NotRun(e)) => {
                return Err(format!("cannot run {}: {e}", typst.path.display()))
            }
            Err(Stopped::TimedOut) => {
                if let Some(gate) = gate {
                    gate.stop();
                }
                let _ = self.dir.take(OUT_PDF);
                return Err(too_long(job, entry));
            }
        };
        drop(pass);
        let read = self.dir.take(OUT_PDF);
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if !output.status.success() || stderr.contains("warning:") || stderr.contains("error:") {
            let shown = stderr.replace(&dir.display().to_string(), "<staging>");
            return Err(format!(
                "typst could not make the PDF of {}: {shown}",
                job.name
            ));
        }
        read.map_err(|e| format!("typst wrote no PDF for {}: {e}", job.name))
    }
}

/// The typst command that makes `entry` of the staging folder `dir` into `out`, tagged PDF/UA-1,
/// with embedded fonts only and the paper's own date.
fn compile_command(typst: &Typst, dir: &Path, entry: &str, out: &Path, timestamp: i64) -> Command {
    let mut command = Command::new(&typst.path);
    command
        .arg("compile")
        .arg("--root")
        .arg(dir)
        .args([
            "--ignore-system-fonts",
            "--pdf-standard",
            "ua-1",
            "--diagnostic-format",
            "short",
        ])
        .arg("--creation-timestamp")
        .arg(timestamp.to_string())
        .arg(dir.join(entry))
        .arg(out)
        // typst names files relative to where it runs: from the staging folder, a message
        // names the template as `paper.typ`, the same on every machine.
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

/// What typst is told to call the PDF in its staging folder.
const OUT_PDF: &str = "out.pdf";

/// Compiles one document in a fresh staging folder under `staging`; returns the PDF's bytes.
pub fn compile(
    typst: &Typst,
    templates: &[(String, String)],
    entry: &str,
    job: &Job,
    staging: &Path,
) -> Result<Vec<u8>, String> {
    Stage::new(templates, staging)?.compile(typst, entry, job, None)
}

/// Lays a document out and reads its page count from the `<clerk-pages>` metadata the pack
/// template places at its end, so a supplement's pages can continue the main pack's.
pub fn count_pages(
    typst: &Typst,
    templates: &[(String, String)],
    entry: &str,
    job: &Job,
    staging: &Path,
) -> Result<u32, String> {
    let stage = Stage::new(templates, staging)?;
    stage.data(job)?;
    let dir = &stage.dir;
    let mut command = Command::new(&typst.path);
    command
        .arg("eval")
        .arg("query(<clerk-pages>).first().value")
        .arg("--in")
        .arg(dir.path().join(entry))
        .arg("--root")
        .arg(dir.path())
        .arg("--ignore-system-fonts")
        .current_dir(dir.path());
    let output = match run_limited(command, time_limit(job.data_json.len())) {
        Ok(output) => output,
        Err(Stopped::NotRun(e)) => return Err(format!("cannot run {}: {e}", typst.path.display())),
        Err(Stopped::TimedOut) => return Err(too_long(job, entry)),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.trim().parse().map_err(|_| {
        format!(
            "typst could not count the pages of {}: {}",
            job.name,
            String::from_utf8_lossy(&output.stderr).trim()
        )
    })
}

// Pagefind: the site's search index. Like typst, a separate process handed a fresh staging
// folder (the public pages, copied in), whose output clerk reads back and writes itself.

/// A Pagefind binary that runs, and its version.
#[derive(Clone, Debug)]
pub struct Pagefind {
    pub path: PathBuf,
    pub version: String,
}

/// Finds Pagefind 1.x: `CLERK_PAGEFIND`, then `pagefind` or `pagefind_extended` on PATH (npm's
/// `pagefind` and PyPI's `pagefind-bin` install one of those).
pub fn find_pagefind() -> Result<Pagefind, String> {
    let mut candidates = Vec::new();
    if let Some(p) = env::var_os("CLERK_PAGEFIND").filter(|p| !p.is_empty()) {
        candidates.push(PathBuf::from(p));
    }
    candidates.extend(on_path("pagefind"));
    candidates.extend(on_path("pagefind_extended"));
    for path in candidates {
        let Ok(output) = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
        else {
            continue;
        };
        // "pagefind 1.6.0"
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if let Some(v) = text.strip_prefix("pagefind ").map(str::trim) {
            if v.starts_with("1.") {
                return Ok(Pagefind {
                    path,
                    version: v.to_string(),
                });
            }
        }
    }
    Err("Pagefind 1.x was not found (CLERK_PAGEFIND, or pagefind on PATH)".into())
}

/// Indexes the pages staged in `site` into `site/pagefind/`, as one language (British
/// English), keeping `index.html` in result addresses so they work on any static host.
pub fn run_pagefind(pagefind: &Pagefind, site: &Path) -> Result<(), String> {
    let output = Command::new(&pagefind.path)
        .arg("--site")
        .arg(site)
        .args(["--force-language", "en", "--keep-index-url", "--silent"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", pagefind.path.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(format!(
            "Pagefind could not index the site: {}",
            stderr.replace(&site.display().to_string(), "<staging>")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{time_limit, TIME_BASE_SECONDS, TIME_SECONDS_PER_MIB};

    #[test]
    fn the_time_limit_grows_with_the_data() {
        assert_eq!(time_limit(0), TIME_BASE_SECONDS);
        assert_eq!(time_limit(50_000), TIME_BASE_SECONDS);
        assert_eq!(
            time_limit(3 * 1024 * 1024),
            TIME_BASE_SECONDS + 3 * TIME_SECONDS_PER_MIB
        );
        assert!(time_limit(usize::MAX) > 1_000_000);
    }
}
