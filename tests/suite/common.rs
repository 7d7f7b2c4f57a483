//! Helpers the end-to-end tests share.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The repository's root (papers/, tests/fixtures/ …).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Pagefind binary npm installs for the browser tests (scripts/test.sh runs `npm ci
/// --prefix tests/browser`), if it is there.
pub fn pagefind() -> Option<PathBuf> {
    let bin = repo().join("tests/browser/node_modules/@pagefind");
    std::fs::read_dir(&bin)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin/pagefind_extended"))
        .find(|p| p.is_file())
}

/// Copies a folder tree (papers to edit without touching the originals).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// clerk's binary, as every end-to-end test runs it: in the repository's root unless told
/// otherwise, never installing anything and never in colour (`NO_COLOR`), unless a test says
/// so. `run` gives the exit code, standard output and standard error; a panic is a failed
/// test whatever it printed. `serve` starts `clerk serve` and waits for its address.
pub struct Clerk(Command);

impl Clerk {
    pub fn new(args: &[&str]) -> Clerk {
        let mut command = Command::new(env!("CARGO_BIN_EXE_clerk"));
        command
            .args(args)
            .env("NO_COLOR", "1")
            .env("CLERK_NO_INSTALL", "1")
            .current_dir(repo());
        // The search index's Pagefind, as `npm ci --prefix tests/browser` installs it.
        if let Some(pagefind) = pagefind() {
            command.env("CLERK_PAGEFIND", pagefind);
        }
        Clerk(command)
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Clerk {
        self.0.arg(arg);
        self
    }

    pub fn args(mut self, args: &[&str]) -> Clerk {
        self.0.args(args);
        self
    }

    pub fn cwd(mut self, dir: &Path) -> Clerk {
        self.0.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Clerk {
        self.0.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Clerk {
        self.0.env_remove(key);
        self
    }

    pub fn run(mut self) -> (i32, String, String) {
        let output = self.0.output().expect("clerk runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "clerk panicked: {stderr}");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr,
        )
    }

    /// `clerk serve TREE --port 0`, running until the `Served` is dropped.
    pub fn serve(tree: &Path) -> Served {
        let mut child = Clerk::new(&["serve", tree.to_str().unwrap(), "--port", "0"])
            .0
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("clerk serve starts");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Served { child, url, stdout }
    }
}

/// A running `clerk serve`, stopped when dropped.
pub struct Served {
    pub child: Child,
    /// `http://127.0.0.1:PORT/`.
    pub url: String,
    /// What it prints after its first line (a line per rebuild).
    pub stdout: BufReader<std::process::ChildStdout>,
}

impl Served {
    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://").trim_end_matches('/')
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `clerk ARGS` run in `cwd` (see `Clerk`).
pub fn clerk(args: &[&str], cwd: &Path) -> (i32, String, String) {
    Clerk::new(args).cwd(cwd).run()
}

/// The one bless variable: `CLERK_BLESS=1` rewrites what the tests compare against, the
/// scenarios' expected.txt (cases.rs) and insta's snapshots alike. insta reads its own
/// `INSTA_UPDATE` when it first asserts, so this sets it for insta before that.
pub fn blessing() -> bool {
    let bless = std::env::var_os("CLERK_BLESS").is_some();
    if bless {
        // Edition 2021: safe; every thread that reads the environment does so through std,
        // which holds its lock.
        std::env::set_var("INSTA_UPDATE", "always");
    }
    bless
}
