//! The preview's HTTP/1.1 transport, with bounds on everything a client controls.
//!
//! It replaces tiny_http, which reads a request head byte by byte into an unbounded
//! buffer with no timeout (one 64 MB header line raised the server's peak memory from
//! 39 to 244 MB) and has no hook to put a limit in front of it. Heads are parsed by
//! httparse; this module only frames them. The preview serves GET and HEAD, which carry
//! no body, so a request that announces one is answered and its connection closed
//! rather than read.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Longest request target (414 beyond).
pub const MAX_TARGET: usize = 8 * 1024;
/// Largest request head, request line included (431 beyond): a connection never
/// buffers more than this plus one read.
pub const MAX_HEAD: usize = 32 * 1024;
const MAX_HEADERS: usize = 100;
/// A started head must be complete within this (slow-sending clients).
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// An idle kept-alive connection is closed after this.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A client that stops reading a response is dropped after this.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Open connections (each has a thread); beyond it, 503. Every open page holds one
/// for its live-reload events, so this is generous for one person's preview.
const MAX_CONNECTIONS: usize = 256;

/// A parsed request head.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// `None`: no Host header.
    pub host: Option<String>,
    /// The client wants the connection closed after the response.
    close: bool,
    /// Content-Length or Transfer-Encoding: a body follows that we will not read.
    has_body: bool,
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

pub enum Body {
    Bytes(Vec<u8>),
    /// Sent straight from the file (sendfile on Linux), so a connection never holds a
    /// whole data file in memory; the length is the file's when opened.
    File(std::fs::File, u64),
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: Body::Bytes(body.into()),
        }
    }

    pub fn file(status: u16, content_type: &str, f: std::fs::File) -> std::io::Result<Response> {
        let len = f.metadata()?.len();
        let mut r = Response::new(status, content_type, Vec::new());
        r.body = Body::File(f, len);
        Ok(r)
    }

    pub fn text(status: u16, body: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// What a handler answers.
pub enum Reply {
    Full(Response),
    /// A Server-Sent Events stream: each received string is written as is, until the
    /// sender goes away or the client does.
    Events(Receiver<String>),
}

/// Why no request was read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// Answer with this status, then close.
    Refuse(u16),
    /// The client went away or stayed silent: just close.
    Gone,
}

/// Parses a request head at the start of `buf`: `Ok(None)` while it is incomplete and
/// within limits; else the request and the head's length.
fn parse_head(buf: &[u8]) -> Result<Option<(Request, usize)>, HeadError> {
    let line_end = buf.iter().position(|&b| b == b'\n');
    // Method, spaces and version take well under 32 bytes around the target.
    if line_end.unwrap_or(buf.len()) > MAX_TARGET + 32 {
        return Err(HeadError::Refuse(414));
    }
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4) else {
        return match buf.len() >= MAX_HEAD {
            true => Err(HeadError::Refuse(431)),
            false => Ok(None),
        };
    };
    if end > MAX_HEAD {
        return Err(HeadError::Refuse(431));
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(&buf[..end]) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(HeadError::Refuse(431)),
        _ => return Err(HeadError::Refuse(400)),
    }
    let (Some(method), Some(target), Some(version)) = (req.method, req.path, req.version) else {
        return Err(HeadError::Refuse(400));
    };
    if target.len() > MAX_TARGET {
        return Err(HeadError::Refuse(414));
    }
    let value = |name: &'static str| {
        req.headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let hosts: Vec<String> = value("Host").collect();
    if hosts.len() > 1 {
        return Err(HeadError::Refuse(400));
    }
    let close = version == 0
        || value("Connection")
            .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
    let has_body =
        value("Transfer-Encoding").next().is_some() || value("Content-Length").any(|v| v != "0");
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        host: hosts.into_iter().next(),
        close,
        has_body,
    };
    Ok(Some((request, end)))
}

/// Reads one request head. `buf` holds bytes received past the previous head (a
/// pipelining client) and keeps those past this one.
fn read_head(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Request, HeadError> {
    let mut deadline = None;
    let mut chunk = [0u8; 4096];
    loop {
        if !buf.is_empty() {
            if let Some((req, used)) = parse_head(buf)? {
                buf.drain(..used);
                return Ok(req);
            }
            deadline.get_or_insert_with(|| Instant::now() + HEAD_TIMEOUT);
        }
        let wait = deadline.map_or(IDLE_TIMEOUT, |d: Instant| {
            d.saturating_duration_since(Instant::now())
        });
        if wait.is_zero() || s.set_read_timeout(Some(wait)).is_err() {
            return Err(HeadError::Gone);
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The status line and headers, security headers included, ending in the blank line.
fn head(status: u16, headers: &[(&str, String)]) -> String {
    let mut h = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    let extra = super::http::SECURITY_HEADERS.iter().map(|(n, v)| (*n, *v));
    for (name, value) in headers.iter().map(|(n, v)| (*n, v.as_str())).chain(extra) {
        // Values are ours, but a line break in one would split the response.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        h.push_str(&format!("{name}: {value}\r\n"));
    }
    h
}

fn write_response(
    s: &mut TcpStream,
    r: &Response,
    head_only: bool,
    close: bool,
) -> std::io::Result<()> {
    let len = match &r.body {
        Body::Bytes(b) => b.len() as u64,
        Body::File(_, len) => *len,
    };
    let mut h = head(r.status, &r.headers);
    h.push_str(&format!("Content-Length: {len}\r\n"));
    if close {
        h.push_str("Connection: close\r\n");
    }
    h.push_str("\r\n");
    s.write_all(h.as_bytes())?;
    match &r.body {
        _ if head_only => {}
        Body::Bytes(b) => s.write_all(b)?,
        Body::File(f, len) => {
            // A file that shrank since it was opened cannot fill the promised length:
            // fail, which closes the connection.
            if std::io::copy(&mut f.take(*len), s)? != *len {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
    }
    s.flush()
}

/// Answers a request that breaks a limit, then closes.
fn refuse(mut s: TcpStream, status: u16) {
    let body = match status {
        414 => format!("Request target longer than {} KiB.\n", MAX_TARGET / 1024),
        431 => format!("Request head larger than {} KiB.\n", MAX_HEAD / 1024),
        503 => "Too many open connections; try again.\n".to_string(),
        _ => "Malformed request.\n".to_string(),
    };
    let _ = write_response(&mut s, &Response::text(status, &body), false, true);
    linger(s);
}

/// Closing a socket with unread input resets the connection, and the reset can destroy
/// the response before the client reads it. So stop sending, then discard input for a
/// bounded time and amount.
fn linger(mut s: TcpStream) {
    let _ = s.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut left: usize = 1 << 20;
    let mut chunk = [0u8; 4096];
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() || s.set_read_timeout(Some(wait)).is_err() {
            return;
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Streams Server-Sent Events until either side goes away.
fn events(mut s: TcpStream, rx: Receiver<String>) {
    let headers = [
        ("Content-Type", "text/event-stream".to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("Connection", "close".to_string()),
    ];
    let start = head(200, &headers) + "\r\n: connected\n\n";
    if s.write_all(start.as_bytes()).is_err() {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            // A comment line: keeps proxies from timing out, and finds departed clients.
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if s.write_all(msg.as_bytes()).is_err() {
            return;
        }
    }
}

/// One connection: requests in turn until the client closes, stalls, or breaks a limit.
fn connection(mut s: TcpStream, handler: &(dyn Fn(&Request) -> Reply + Sync)) {
    let _ = s.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = s.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        let req = match read_head(&mut s, &mut buf) {
            Ok(r) => r,
            Err(HeadError::Refuse(status)) => return refuse(s, status),
            Err(HeadError::Gone) => return,
        };
        // A body is never read, so the next request's start is unknown: close after.
        let close = req.close || req.has_body;
        let response = match handler(&req) {
            Reply::Full(r) => r,
            Reply::Events(rx) => return events(s, rx),
        };
        if write_response(&mut s, &response, req.method == "HEAD", close).is_err() {
            return;
        }
        if close {
            return linger(s);
        }
    }
}

/// Decrements the open-connection count when the connection's thread ends.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Accepts connections forever, each on a thread of its own, at most
/// `MAX_CONNECTIONS` at a time.
pub fn serve(listener: TcpListener, handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) {
    let handler = Arc::new(handler);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(s) = stream else {
            // Out of descriptors, say: let connections finish rather than spin.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let already = open.fetch_add(1, Ordering::Relaxed);
        let guard = Counted(open.clone());
        if already >= MAX_CONNECTIONS {
            let _ = s.set_write_timeout(Some(Duration::from_secs(1)));
            let mut s = s;
            let _ = write_response(
                &mut s,
                &Response::text(503, "Too many open connections.\n"),
                false,
                true,
            );
            continue;
        }
        let handler = handler.clone();
        // Small stacks: handlers resolve a path and read a file, nothing deep.
        let _ = std::thread::Builder::new()
            .name("planspor-http".into())
            .stack_size(256 * 1024)
            .spawn(move || {
                let _guard = guard;
                connection(s, &*handler);
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Option<(Request, usize)>, HeadError> {
        parse_head(s.as_bytes())
    }

    #[test]
    fn heads_within_limits() {
        let (r, n) = parse("GET /a?b HTTP/1.1\r\nHost: x:1\r\n\r\nGET")
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.method.as_str(), r.target.as_str(), n),
            ("GET", "/a?b", 32)
        );
        assert_eq!(r.host.as_deref(), Some("x:1"));
        assert!(!r.close && !r.has_body);
        let (r, _) = parse("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(r.close && r.host.is_none());
        let (r, _) = parse("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(r.has_body);
        assert!(parse("GET / HTTP/1.1\r\nHost: a").unwrap().is_none());
    }

    #[test]
    fn heads_beyond_limits() {
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert_eq!(parse(&long).err(), Some(HeadError::Refuse(414)));
        // Refused before the line ends: no waiting for the rest of a huge target.
        let partial = format!("GET /{}", "a".repeat(MAX_TARGET + 40));
        assert_eq!(parse(&partial).err(), Some(HeadError::Refuse(414)));
        let big = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(MAX_HEAD));
        assert_eq!(parse(&big).err(), Some(HeadError::Refuse(431)));
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("X{i}: y\r\n"))
            .collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(parse(&many).err(), Some(HeadError::Refuse(431)));
        let two_hosts = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
        assert_eq!(parse(two_hosts).err(), Some(HeadError::Refuse(400)));
        assert_eq!(
            parse("GET\0 / HTTP/1.1\r\n\r\n").err(),
            Some(HeadError::Refuse(400))
        );
    }
}
