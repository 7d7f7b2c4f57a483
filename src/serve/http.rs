//! The preview's HTTP: just enough of HTTP/1.1 for a browser on this machine to read the site,
//! bounded so that no client can make it hold more than a little. A request's head (its request
//! line and headers) must arrive whole within [`HEAD_TIME`] and fit in [`MAX_HEAD`] bytes and
//! [`MAX_HEADERS`] lines; past either size the answer is 431, past the time 408, and the
//! connection is closed. Only GET and HEAD are answered; every response closes its connection.
//! At most [`MAX_CONNECTIONS`] requests are read at once; others are answered 503.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// The most a request's head may take: request line and headers, with the blank line ending it.
pub(crate) const MAX_HEAD: usize = 16 * 1024;
/// The most header lines a request may have.
pub(crate) const MAX_HEADERS: usize = 100;
/// How long a client has to send its whole head, from when it connects.
pub(crate) const HEAD_TIME: Duration = Duration::from_secs(10);
/// How many requests are read and answered at once.
pub(crate) const MAX_CONNECTIONS: usize = 64;

/// A request whose head was read whole.
pub(crate) struct Request {
    pub(crate) method: String,
    /// The request target as sent: `/path?query`.
    pub(crate) target: String,
    /// Every Host header's value, as sent.
    pub(crate) hosts: Vec<String>,
    pub(crate) stream: TcpStream,
}

/// Why a request's head was not read: the status to answer with and a line saying why.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) status: u16,
    pub(crate) why: &'static str,
}

fn refused(status: u16, why: &'static str) -> Refused {
    Refused { status, why }
}

/// Reads one request's head from `stream`, within the bounds above.
pub(crate) fn read_request(mut stream: TcpStream) -> Result<Request, (TcpStream, Refused)> {
    match read_head(&mut stream, Instant::now() + HEAD_TIME).and_then(|h| parse(&h)) {
        Ok((method, target, hosts)) => Ok(Request {
            method,
            target,
            hosts,
            stream,
        }),
        Err(r) => Err((stream, r)),
    }
}

/// The head's bytes, up to and without the blank line that ends it.
fn read_head(stream: &mut impl ReadTimed, deadline: Instant) -> Result<Vec<u8>, Refused> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(refused(408, "the request's head did not arrive in time"));
        }
        stream.timeout(left);
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(refused(400, "the connection closed before the head ended")),
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(refused(408, "the request's head did not arrive in time"))
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(refused(400, "the connection failed")),
        };
        // Only the new bytes and the three before them can complete the blank line.
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = find_end(&head[from..]) {
            head.truncate(from + end);
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err(refused(431, "the request's head is too large"));
        }
    }
}

/// Where the blank line that ends a head starts (CRLF CRLF, or bare LF LF).
fn find_end(bytes: &[u8]) -> Option<usize> {
    let crlf = bytes.windows(4).position(|w| w == b"\r\n\r\n");
    let lf = bytes.windows(2).position(|w| w == b"\n\n");
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The method, target and Host values of a head, parsed by `httparse` (hyper's parser) into at
/// most [`MAX_HEADERS`] headers.
fn parse(head: &[u8]) -> Result<(String, String, Vec<String>), Refused> {
    if head.len() > MAX_HEAD {
        return Err(refused(431, "the request's head is too large"));
    }
    // read_head cuts the blank line off; httparse wants it to know the head is whole.
    let mut whole = head.to_vec();
    whole.extend_from_slice(b"\r\n\r\n");
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(&whole) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return Err(refused(400, "the head is not whole")),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(refused(431, "the request has too many headers"))
        }
        Err(httparse::Error::Version) => {
            return Err(refused(505, "only HTTP/1.0 and 1.1 are spoken here"))
        }
        Err(_) => return Err(refused(400, "the request's head is not HTTP")),
    }
    let (Some(method), Some(target)) = (request.method, request.path) else {
        return Err(refused(
            400,
            "the request line is not METHOD TARGET VERSION",
        ));
    };
    if !matches!(method, "GET" | "HEAD") {
        return Err(refused(405, "the preview only answers GET and HEAD"));
    }
    if !target.starts_with('/') {
        return Err(refused(400, "the target is not a path"));
    }
    let hosts = request
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
        .collect();
    Ok((method.to_string(), target.to_string(), hosts))
}

/// What reading a head needs of a connection: to read, with a time limit.
trait ReadTimed: Read {
    fn timeout(&mut self, left: Duration);
}

impl ReadTimed for TcpStream {
    fn timeout(&mut self, left: Duration) {
        let _ = self.set_read_timeout(Some(left.max(Duration::from_millis(1))));
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

/// Writes a whole response and closes the connection. `head_only` (a HEAD request) leaves out
/// the body but not its length.
pub(crate) fn respond(
    mut stream: TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    let _ = stream.set_write_timeout(Some(HEAD_TIME));
    let _ = stream.write_all(head.as_bytes());
    if !head_only {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// Answers a refused head with its status and reason, and closes the connection. What the
/// client goes on sending meanwhile is read and dropped, a little and briefly, so that closing
/// does not reset the connection before the client reads the answer.
pub(crate) fn refuse(mut stream: TcpStream, r: &Refused) {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        r.status,
        reason(r.status),
        r.why.len(),
        r.why
    );
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(2);
    let mut drained = 0;
    let mut sink = [0u8; 8192];
    while drained < 1024 * 1024 && Instant::now() < until {
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client sending `data` in pieces of `piece` bytes, then waiting forever.
    struct Slow {
        data: Vec<u8>,
        at: usize,
        piece: usize,
    }

    impl Read for Slow {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.at >= self.data.len() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = self.piece.min(buf.len()).min(self.data.len() - self.at);
            buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    impl ReadTimed for Slow {
        fn timeout(&mut self, _: Duration) {}
    }

    fn head(data: &[u8], piece: usize) -> Result<Vec<u8>, Refused> {
        let mut s = Slow {
            data: data.to_vec(),
            at: 0,
            piece,
        };
        read_head(&mut s, Instant::now() + Duration::from_secs(5))
    }

    #[test]
    fn a_head_ends_at_its_blank_line_however_it_arrives() {
        let req = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\nbody";
        for piece in [1, 2, 3, 7, 4096] {
            assert_eq!(
                head(req, piece).unwrap(),
                b"GET / HTTP/1.1\r\nHost: 127.0.0.1:1",
                "{piece}"
            );
        }
        let (m, t, h) = parse(&head(req, 5).unwrap()).unwrap();
        assert_eq!((m.as_str(), t.as_str()), ("GET", "/"));
        assert_eq!(h, ["127.0.0.1:1"]);
    }

    #[test]
    fn a_head_past_its_size_is_431_without_reading_on() {
        let mut big = b"GET / HTTP/1.1\r\n".to_vec();
        while big.len() < 64 * 1024 * 1024 / 1024 {
            big.extend_from_slice(b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        }
        let mut s = Slow {
            data: big,
            at: 0,
            piece: 4096,
        };
        let r = read_head(&mut s, Instant::now() + Duration::from_secs(5)).unwrap_err();
        assert_eq!(r.status, 431);
        assert!(
            s.at <= MAX_HEAD + 4096,
            "read {} bytes before refusing",
            s.at
        );
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("\r\nX-{i}: 1"))
            .collect();
        let r = parse(format!("GET / HTTP/1.1{many}").as_bytes()).unwrap_err();
        assert_eq!(r.status, 431);
    }

    #[test]
    fn a_head_that_never_ends_is_408() {
        let r = head(b"GET / HTTP/1.1\r\nHost: x", 3).unwrap_err();
        assert_eq!(r.status, 408);
    }

    #[test]
    fn only_get_and_head_over_http_1() {
        assert_eq!(parse(b"POST / HTTP/1.1").unwrap_err().status, 405);
        assert_eq!(parse(b"GET / HTTP/2.0").unwrap_err().status, 505);
        assert_eq!(parse(b"GET http://x/ HTTP/1.1").unwrap_err().status, 400);
        assert_eq!(parse(b"GET  / HTTP/1.1").unwrap_err().status, 400);
        assert_eq!(
            parse(b"GET / HTTP/1.1\r\nno colon").unwrap_err().status,
            400
        );
        assert!(parse(b"HEAD /x HTTP/1.0").is_ok());
    }
}
