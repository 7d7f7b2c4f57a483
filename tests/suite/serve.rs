//! `clerk serve` end to end: a real server on a free loopback port, pages over real HTTP,
//! papers edited on disk, and the page following them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{copy_tree, repo, Clerk, Served};

struct Server {
    served: Served,
    url: String,
    tree: tempfile::TempDir,
}

fn start() -> Server {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("papers"), tree.path());
    let served = Clerk::serve(tree.path());
    let url = served.url.clone();
    Server { served, url, tree }
}

/// A plain HTTP/1.0 GET: (status, body).
fn get(url: &str, path: &str) -> (u16, String) {
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Polls until the page satisfies `ok`. The limit is generous: on two busy cores a debug build
/// rebuilds slowly, and a slow pass is not a failure.
fn wait_for(url: &str, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (_, body) = get(url, path);
        if ok(&body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "{what}: the page did not change:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

const PAGE: &str = "/children-in-care-update/index.html";

#[test]
fn serves_pages_with_findings_and_reload_only_in_serve_mode() {
    let s = start();
    let (status, index) = get(&s.url, "/");
    assert_eq!(status, 200);
    assert!(
        index.contains("Decisions") && index.contains("EventSource"),
        "the index, with the reload script"
    );
    let (status, page) = get(&s.url, PAGE);
    assert_eq!(status, 200);
    assert!(page.contains("clerk check: no findings"), "{page}");
    let (status, _) = get(&s.url, "/../../../../etc/passwd");
    assert_eq!(status, 404);
    let (status, _) = get(&s.url, "/%2e%2e/%2e%2e/etc/passwd");
    assert_eq!(status, 404);
}

#[test]
fn an_edit_shows_on_the_page_and_broken_yaml_shows_its_error_and_withholds_the_paper() {
    let s = start();
    let report = s.tree.path().join("children-in-care-update/report.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace("## 1. Introduction", "## 1. Introduction and scope"),
    )
    .unwrap();
    wait_for(&s.url, PAGE, "edit", |b| {
        b.contains("Introduction and scope")
    });
    // Half-written YAML: the error appears and the server lives; the paper's classification
    // cannot be read now, so, as `clerk build` would, the preview shows none of it until then.
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text.replacen("title:", "titel:", 1)).unwrap();
    let page = wait_for(&s.url, PAGE, "broken YAML", |b| b.contains("C0108"));
    assert!(
        page.contains("Nothing is shown here") && !page.contains("Introduction and scope"),
        "a paper not known to be public is not shown:\n{page}"
    );
    // A new finding in a paper shows on its page.
    std::fs::write(
        &report,
        text.replace("gavin.cargill@kent.gov.uk", "gavin.cargill@kent.gvo.uk"),
    )
    .unwrap();
    let page = wait_for(&s.url, PAGE, "new finding", |b| b.contains("C0709"));
    // The finding links to its line on the review page, where it is marked in the source.
    let href = page
        .split("href=\"")
        .map(|r| r.split('"').next().unwrap_or(""))
        .find(|h| h.starts_with("/review/") && h.contains("#report-md-l"))
        .unwrap_or_else(|| panic!("no link to the line:\n{page}"))
        .to_string();
    let (path, anchor) = href.split_once('#').unwrap();
    let (status, review) = get(&s.url, path);
    assert_eq!(status, 200);
    let at = review
        .find(&format!("id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("no {anchor} in the review page"));
    assert!(
        review[at..].contains("C0709"),
        "the line is marked with the finding"
    );
}

/// Opens the event stream pages listen on, as a page's EventSource does.
fn open_events(s: &Server) -> BufReader<TcpStream> {
    let host = s.url.trim_start_matches("http://").trim_end_matches('/');
    let mut events = TcpStream::connect(host).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    write!(
        events,
        "GET /__clerk/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(events);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("200"), "{line}");
    reader
}

/// Reads the stream until a reload arrives; fails after 15 s.
fn wait_for_reload(reader: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "the stream closed"
        );
        if line.starts_with("data: reload") {
            return;
        }
    }
}

/// How many reloads the stream sends in `quiet`.
fn reloads_during(reader: &mut BufReader<TcpStream>, quiet: Duration) -> usize {
    reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let (start, mut count, mut line) = (Instant::now(), 0, String::new());
    while start.elapsed() < quiet {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => panic!("the stream closed"),
            Ok(_) if line.starts_with("data: reload") => count += 1,
            _ => {}
        }
    }
    reader
        .get_ref()
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    count
}

#[test]
fn a_change_is_pushed_to_open_pages() {
    let s = start();
    let mut reader = open_events(&s);
    std::thread::sleep(Duration::from_millis(200));
    let report = s.tree.path().join("children-in-care-update/report.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text + "\nA new closing line.\n").unwrap();
    wait_for_reload(&mut reader);
}

#[test]
fn pages_reload_only_when_a_paper_changes() {
    let s = start();
    let mut reader = open_events(&s);
    // Nothing edited: clerk's own reads of the papers while it builds are no change.
    let idle = reloads_during(&mut reader, Duration::from_secs(3));
    assert!(idle <= 1, "{idle} reloads in 3 s with no edit");
    let report = s.tree.path().join("children-in-care-update/report.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(&report, text + "\nA new closing line.\n").unwrap();
    wait_for_reload(&mut reader);
    // One edit, one reload: the rebuild it caused is not taken for another edit.
    let after = reloads_during(&mut reader, Duration::from_secs(2));
    assert!(after <= 1, "{after} more reloads after one edit");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let mut s = start();
    let status = Command::new("kill")
        .args(["-INT", &s.served.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(code) = s.served.child.try_wait().unwrap() {
            assert!(code.success(), "{code}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_rebuild_that_fails_is_said_on_the_page_until_one_succeeds() {
    let s = start();
    let templates = s.tree.path().join("templates/html");
    std::fs::create_dir_all(&templates).unwrap();
    let broken = templates.join("report.html");
    std::fs::write(&broken, "{% if %}<p>broken</p>").unwrap();
    let page = wait_for(&s.url, PAGE, "failed rebuild", |b| {
        b.contains("the preview could not be rebuilt")
    });
    assert!(
        page.contains("clerk check: no findings") && page.contains("report.html"),
        "the last good build's findings stay, and the failure names the template:\n{page}"
    );
    std::fs::remove_file(&broken).unwrap();
    wait_for(&s.url, PAGE, "rebuild after the fix", |b| {
        !b.contains("the preview could not be rebuilt")
    });
}

/// The pack fixture tree (a public library paper and an exempt staffing paper), served.
fn start_packs() -> Server {
    let tree = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("tests/fixtures/packs/tree"), tree.path());
    let served = Clerk::serve(tree.path());
    let url = served.url.clone();
    Server { served, url, tree }
}

#[test]
fn a_paper_made_exempt_is_no_longer_served_and_each_rebuild_says_a_line() {
    let mut s = start_packs();
    let paths = [
        "/library-hours/index.html",
        "/library-hours/report.json",
        "/review/library-hours/index.html",
    ];
    for p in paths {
        assert_eq!(get(&s.url, p).0, 200, "{p}");
    }
    let (_, page) = get(&s.url, paths[0]);
    let words = "Library Opening Hours";
    assert!(page.contains(words), "{page}");
    let report = s.tree.path().join("library-hours/report.md");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace(
            "classification: Unrestricted",
            "classification: Exempt\nexempt_paragraph: 3",
        ),
    )
    .unwrap();
    let page = wait_for(&s.url, paths[0], "made exempt", |b| {
        b.contains("Nothing is shown here")
    });
    assert!(!page.contains("<h1>Library Opening Hours"), "{page}");
    for p in paths {
        let (status, body) = get(&s.url, p);
        assert_eq!(status, 404, "{p} is still served:\n{body}");
    }
    // The one line each rebuild prints: how long it took and what it found.
    let mut line = String::new();
    s.served.stdout.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("rebuilt in ") && line.contains("2 papers") && line.contains("not shown"),
        "{line:?}"
    );
    // Public again, served again.
    std::fs::write(&report, text).unwrap();
    wait_for(&s.url, paths[0], "public again", |b| b.contains(words));
}

#[test]
fn request_heads_are_bounded_in_size_and_time() {
    let s = start_packs();
    let host = s.url.trim_start_matches("http://").trim_end_matches('/');
    // A head that does not end by its limit (16 KiB): refused there, not buffered.
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\n").unwrap();
    let filler = format!("X-Filler: {}\r\n", "a".repeat(1000));
    let mut sent = 0;
    while sent < 256 * 1024 {
        if stream.write_all(filler.as_bytes()).is_err() {
            break; // closed by the server, as it should be
        }
        sent += filler.len();
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(
        response.starts_with("HTTP/1.1 431"),
        "after {sent} bytes: {:?}",
        &response[..response.len().min(200)]
    );
    // A client that sends half a head and waits holds nothing up, and is let go.
    let mut slow = TcpStream::connect(host).unwrap();
    write!(slow, "GET / HTTP/1.1\r\nHost: {host}\r\n").unwrap();
    assert_eq!(get(&s.url, "/").0, 200, "others are answered meanwhile");
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    // Only GET and HEAD.
    let mut post = TcpStream::connect(host).unwrap();
    write!(post, "POST / HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = post.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer:?}");
}

#[test]
fn previews_meeting_pages_and_makes_a_pack_when_asked() {
    assert!(
        clerk::render::typst::find().is_ok(),
        "typst 0.15 is needed: {}",
        clerk::render::typst::manual_install()
    );
    let s = start();
    let meeting = "/meetings/2021-03-09-cype-cabinet-committee/";
    let (status, page) = get(&s.url, &format!("{meeting}index.html"));
    assert_eq!(status, 200);
    // The preview links every pack the meeting can have, made when it is asked for.
    assert!(
        page.contains("href=\"pack.pdf\"") && page.contains("href=\"supplement-1.pdf\""),
        "{page}"
    );
    for pdf in ["pack.pdf", "supplement-1.pdf"] {
        let host = s.url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(host).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        write!(
            stream,
            "GET {meeting}{pdf} HTTP/1.0\r\nHost: {host}\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let at = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response");
        let head = String::from_utf8_lossy(&response[..at]);
        assert!(head.starts_with("HTTP/1.1 200"), "{pdf}: {head}");
        assert!(head.contains("application/pdf"), "{head}");
        assert!(response[at + 4..].starts_with(b"%PDF"), "{pdf}");
    }
}
