//! `planspor serve` under hostile or careless use (issue 13, items 6–9): the real
//! binary on an ephemeral 127.0.0.1 port, each with a private TMPDIR so its output
//! folder (and the stale ones it cleans) never touch another server's.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    tmp: PathBuf,
}

impl Server {
    fn out_dir(&self) -> PathBuf {
        self.tmp.join(format!("planspor-serve-{}", self.child.id()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `planspor serve --port 0` on `root` with `tmp` as its TMPDIR.
fn start(root: &Path, tmp: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .env("TMPDIR", tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        assert!(Instant::now() < deadline, "serve did not start");
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(i) = line.find("http://") {
            break line[i + 7..].trim_end_matches('/').to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr,
        tmp: tmp.to_path_buf(),
    }
}

/// A site copy and a private TMPDIR, both removed when dropped.
fn site(name: &str) -> (TempDir, TempDir) {
    let d = TempDir::new(name);
    copy_site(&repo(), d.path());
    (d, TempDir::new(&format!("{name}-tmp")))
}

/// Sends `raw` as is; returns (status, head, body). Status 0: no response.
fn raw(addr: &str, raw: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    split_response(&buf)
}

/// GET `target` with the given Host header.
fn get_host(addr: &str, target: &str, host: &str) -> (u16, String, Vec<u8>) {
    let req = format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    raw(addr, req.as_bytes())
}

fn get(addr: &str, target: &str) -> (u16, String, Vec<u8>) {
    get_host(addr, target, addr)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

// Item 6 ------------------------------------------------------------------------------

#[test]
fn sigterm_and_sigint_remove_the_output_folder() {
    let (d, tmp) = site("serve-sig");
    for sig in [libc::SIGTERM, libc::SIGINT] {
        let mut srv = start(d.path(), tmp.path());
        let out = srv.out_dir();
        assert_eq!(get(&srv.addr, "/").0, 200);
        assert!(out.join("site/index.html").is_file(), "{}", out.display());
        // Only this user may enter it: its name is predictable.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{mode:o}");
        let pid = srv.child.id() as libc::pid_t;
        // SAFETY: signalling our own child process by its pid.
        assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
        wait_exit(&mut srv.child);
        assert!(!out.exists(), "signal {sig} left {}", out.display());
    }
}

/// A pid that is certainly not running: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut c = Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

#[test]
fn the_next_start_removes_stale_folders_of_dead_servers_only() {
    let (d, tmp) = site("serve-stale");
    let stale = tmp.path().join(format!("planspor-serve-{}", dead_pid()));
    // This test process is alive: its folder looks like a live server's.
    let live = tmp
        .path()
        .join(format!("planspor-serve-{}", std::process::id()));
    let other = tmp.path().join("planspor-serve-notapid");
    for p in [&stale, &live, &other] {
        std::fs::create_dir_all(p.join("kommuner")).unwrap();
        std::fs::write(p.join("kommuner/index.html"), "old").unwrap();
    }
    let srv = start(d.path(), tmp.path());
    assert_eq!(get(&srv.addr, "/").0, 200);
    assert!(!stale.exists(), "stale folder of a dead server removed");
    assert!(live.join("kommuner/index.html").is_file(), "live one kept");
    assert!(other.exists(), "folders that are not ours kept");
}

// Item 7 ------------------------------------------------------------------------------

/// Peak resident memory of a process, in KiB.
fn vm_hwm_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The server's peak memory once it has settled: unchanged for 300 ms (at most 5 s), so
/// that start-up work finishing late on a loaded machine is not blamed on a request.
fn settled_hwm_kib(pid: u32) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut last = vm_hwm_kib(pid);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(300));
        let now = vm_hwm_kib(pid);
        if now == last {
            break;
        }
        last = now;
    }
    last
}

/// Streams a request whose one header line is `len` bytes; returns the status the
/// server answered with (0: it closed the connection) and how long that took.
fn huge_header(addr: &str, len: usize) -> (u16, Duration) {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut w = s.try_clone().unwrap();
    let head = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: ");
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        if w.write_all(head.as_bytes()).is_err() {
            return sent;
        }
        while sent < len {
            if w.write_all(&chunk).is_err() {
                break; // the server hung up: what we want
            }
            sent += chunk.len();
        }
        let _ = w.write_all(b"\r\n\r\n");
        sent
    });
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let took = start.elapsed();
    let _ = s.shutdown(std::net::Shutdown::Both);
    let sent = writer.join().unwrap();
    eprintln!("huge header: sent {sent} bytes before the server answered/closed");
    (split_response(&buf).0, took)
}

#[test]
fn oversized_requests_are_refused_with_bounded_memory() {
    let (d, tmp) = site("serve-limits");
    let srv = start(d.path(), tmp.path());
    let pid = srv.child.id();
    assert_eq!(get(&srv.addr, "/").0, 200);
    let before = settled_hwm_kib(pid);

    let (code, took) = huge_header(&srv.addr, 64 << 20);
    let after = vm_hwm_kib(pid);
    eprintln!(
        "64 MB header line: status {code} in {took:?}; server VmHWM {before} kB -> {after} kB"
    );
    assert!(code == 431 || code == 0, "status {code}");
    assert!(took < Duration::from_secs(5), "refused quickly: {took:?}");
    assert!(
        after.saturating_sub(before) < 16 * 1024,
        "VmHWM {before} -> {after} kB"
    );

    // A 9 KiB URL: 414. Many small headers adding up to 40 KiB: 431.
    let long = format!("/{}", "a".repeat(9 * 1024));
    assert_eq!(get(&srv.addr, &long).0, 414);
    let mut req = format!("GET / HTTP/1.1\r\nHost: {}\r\n", srv.addr);
    for i in 0..400 {
        req.push_str(&format!("X-H{i}: {}\r\n", "b".repeat(100)));
    }
    req.push_str("\r\n");
    assert_eq!(raw(&srv.addr, req.as_bytes()).0, 431);
    // Still serving.
    assert_eq!(get(&srv.addr, "/").0, 200);
}

#[test]
fn a_client_that_sends_nothing_is_dropped() {
    let (d, tmp) = site("serve-idle");
    let srv = start(d.path(), tmp.path());
    let mut s = TcpStream::connect(&srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "a half-sent head is not waited for forever: {:?}",
        start.elapsed()
    );
    assert_eq!(get(&srv.addr, "/").0, 200);
}

// Item 8 ------------------------------------------------------------------------------

#[test]
fn redirects_stay_on_this_host() {
    let (d, tmp) = site("serve-redirect");
    let srv = start(d.path(), tmp.path());
    for target in [
        "//data",
        "///data",
        "/%2F%2Fdata",
        "/%2f/data",
        "//%2Fdata",
        "/.//data",
        "//data?x=1",
    ] {
        let (code, head, _) = get(&srv.addr, target);
        assert_eq!(code, 301, "{target}\n{head}");
        let to = header(&head, "Location").unwrap_or_default();
        assert!(
            to == "/data/" || to == "/data/?x=1",
            "{target} redirects to {to}"
        );
    }
    // Backslashes are never a path separator, nor redirected.
    for target in ["/\\data", "/%5Cdata", "/\\/data", "/%5C%5Cdata"] {
        let (code, head, _) = get(&srv.addr, target);
        assert!(code == 400 || code == 404, "{target} -> {code}\n{head}");
    }
}

// Item 9 ------------------------------------------------------------------------------

#[test]
fn only_local_host_names_are_answered() {
    let (d, tmp) = site("serve-host");
    let srv = start(d.path(), tmp.path());
    let port = srv.addr.rsplit(':').next().unwrap().to_string();
    for host in [
        srv.addr.clone(),
        "127.0.0.1".into(),
        format!("localhost:{port}"),
        "LOCALHOST".into(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(get_host(&srv.addr, "/", &host).0, 200, "{host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        "localhost.evil.example".into(),
        "127.0.0.1.nip.io".into(),
        "".into(),
    ] {
        let (code, _, body) = get_host(&srv.addr, "/__planspor/status", &host);
        assert_eq!(code, 403, "{host}");
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Host"), "{body}");
        assert!(!body.contains("generation"), "{body}");
    }
    let no_host = raw(&srv.addr, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(no_host.0 == 400 || no_host.0 == 403, "{}", no_host.0);
}

const SECURITY_HEADERS: [&str; 4] = [
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Frame-Options",
];

#[test]
fn every_response_carries_the_security_headers() {
    let (d, tmp) = site("serve-headers");
    let srv = start(d.path(), tmp.path());
    let long = format!("/{}", "a".repeat(9 * 1024));
    let cases: Vec<(u16, String, String)> = vec![
        (200, "GET".into(), "/".into()),
        (200, "GET".into(), "/static/style.css".into()),
        (200, "GET".into(), "/__planspor/reload.js".into()),
        (200, "GET".into(), "/__planspor/status".into()),
        (301, "GET".into(), "/kommuner".into()),
        (404, "GET".into(), "/findes-ikke/".into()),
        (405, "POST".into(), "/".into()),
        (400, "GET".into(), "/%zz".into()),
        (414, "GET".into(), long),
    ];
    for (want, method, target) in &cases {
        let req = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            srv.addr
        );
        let (code, head, _) = raw(&srv.addr, req.as_bytes());
        assert_eq!(code, *want, "{method} {}", &target[..target.len().min(40)]);
        check_headers(&head);
    }
    let (code, head, _) = get_host(&srv.addr, "/", "evil.example");
    assert_eq!(code, 403);
    check_headers(&head);
    check_headers(&sse_head(&srv.addr));
}

fn check_headers(head: &str) {
    for h in SECURITY_HEADERS {
        assert!(header(head, h).is_some(), "{h} missing:\n{head}");
    }
    assert_eq!(header(head, "X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(header(head, "X-Frame-Options"), Some("DENY"));
    assert_eq!(header(head, "Referrer-Policy"), Some("no-referrer"));
    let csp = header(head, "Content-Security-Policy").unwrap_or_default();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{part} not in {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
}

/// The head of the Server-Sent Events response.
fn sse_head(addr: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET /__planspor/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut head = String::new();
    let mut r = BufReader::new(s);
    for _ in 0..50 {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    assert!(head.contains("text/event-stream"), "{head}");
    head
}

/// What the CSP forbids and a page could contain: inline scripts, inline styles,
/// event-handler attributes, and resources from other origins.
fn csp_violations(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
        if !tag.contains(" src=") {
            bad.push(format!("inline script: {tag}"));
        }
    }
    for needle in [
        "<style",
        " style=\"",
        " onclick=",
        " onload=",
        " onerror=",
        "javascript:",
    ] {
        if html.contains(needle) {
            bad.push(format!("{needle} present"));
        }
    }
    // Links to other sites are navigation, which the policy allows; what a page loads
    // (src=, stylesheets and icons) must come from here.
    let external = |v: &str| v.starts_with("//") || v.contains("://") || v.starts_with("data:");
    for v in attrs(html, "src") {
        if external(&v) {
            bad.push(format!("src={v}"));
        }
    }
    for (i, _) in html.match_indices("<link ") {
        let tag = &html[i..html[i..].find('>').map_or(html.len(), |e| i + e)];
        if !tag.contains("rel=\"alternate\"") && attrs(tag, "href").iter().any(|v| external(v)) {
            bad.push(format!("loads {tag}"));
        }
    }
    bad
}

#[test]
fn the_sites_pages_satisfy_the_policy() {
    let (d, tmp) = site("serve-csp");
    let srv = start(d.path(), tmp.path());
    for target in [
        "/",
        "/soeg/",
        "/data/",
        "/kommuner/hjoerring/",
        "/kommuner/hjoerring/handleplan/2026/",
        "/indsatser/",
        "/findes-ikke/",
    ] {
        let (_, _, body) = get(&srv.addr, target);
        let html = String::from_utf8_lossy(&body);
        assert!(html.contains("<html"), "{target}");
        let bad = csp_violations(&html);
        assert!(bad.is_empty(), "{target}: {bad:?}");
    }
}

#[test]
fn open_connections_are_capped() {
    let (d, tmp) = site("serve-conns");
    let srv = start(d.path(), tmp.path());
    let before = vm_hwm_kib(srv.child.id());
    // The server's cap is 256; these stay silent, as idle keep-alive connections do.
    let idle: Vec<TcpStream> = (0..256)
        .map(|_| TcpStream::connect(&srv.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let (code, _, _) = get(&srv.addr, "/");
    let after = vm_hwm_kib(srv.child.id());
    eprintln!("256 idle connections: next request {code}; VmHWM {before} kB -> {after} kB");
    assert_eq!(code, 503, "over the cap");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&srv.addr, "/").0 != 200 {
        assert!(
            Instant::now() < deadline,
            "served again once connections closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
