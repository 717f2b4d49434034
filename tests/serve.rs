//! `planspor serve` for real: the binary on an ephemeral port, fetched over HTTP,
//! edited on disk, observed through its Server-Sent Events.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// The plan the serve tests edit.
const HJOERRING_2026: &str = "content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md";

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_logged(root).0
}

/// Starts `planspor serve` on `root`, with what it prints to its terminal (stderr) line
/// by line (a test that does not read them drops the receiver; they are still drained).
fn start_logged(root: &Path) -> (Server, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
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
    (Server { child, addr }, rx)
}

/// The terminal's lines up to and including the first that contains `needle`.
fn log_until(rx: &Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let done = line.contains(needle);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no line with `{needle}` in:\n{}", seen.join("\n")),
        }
    }
}

/// A raw HTTP/1.1 request; returns (status, headers, body).
fn request(addr: &str, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    split_response(&buf)
}

fn get(addr: &str, target: &str) -> (u16, String) {
    let (s, _, b) = request(addr, "GET", target);
    (s, String::from_utf8_lossy(&b).to_string())
}

/// Subscribes to the event stream; each received event is sent as "name data".
fn events(addr: &str) -> Receiver<String> {
    let (tx, rx) = channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__planspor/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { return };
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                if tx.send(format!("{name} {d}")).is_err() {
                    return;
                }
            }
        }
    });
    // Wait until the server has registered us.
    std::thread::sleep(Duration::from_millis(200));
    rx
}

fn wait_for(rx: &Receiver<String>, prefix: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ev = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no `{prefix}` event"));
        if ev.starts_with(prefix) {
            return ev;
        }
    }
}

/// Waits for the reload event that covers `url_path`: an edit announces the edited plan's
/// own pages first and its other pages in a second event; a full rebuild names none
/// (every page may have changed).
fn wait_for_reload_of(rx: &Receiver<String>, url_path: &str) -> serde_json::Value {
    loop {
        let ev = wait_for(rx, "reload");
        let data: serde_json::Value =
            serde_json::from_str(ev.trim_start_matches("reload ")).unwrap();
        match data["paths"].as_array() {
            None => return data,
            Some(paths) if paths.iter().any(|p| p == url_path) => return data,
            Some(_) => {}
        }
    }
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from));
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

#[test]
fn edits_reload_and_broken_edits_keep_the_last_good_site() {
    let d = TempDir::new("serve");
    copy_site(&repo(), d.path());
    let srv = start(d.path());
    let plan_url = "/kommuner/hjoerring/handleplan/2026/";
    let (code, html) = get(&srv.addr, plan_url);
    assert_eq!(code, 200);
    assert!(
        html.contains("/__planspor/reload.js"),
        "reload script injected in serve mode"
    );
    assert!(
        html.contains("href=\"/kommuner/hjoerring/handleplan/2025/\""),
        "links use the served address"
    );

    let rx = events(&srv.addr);
    let plan = d.path().join(HJOERRING_2026);
    replace_in(
        &plan,
        "Fredag, den 6. marts kl. 09.00",
        "Fredag, den 6. marts kl. 09.15",
    );
    // The plan's own page is announced first, the kommune's page with the rest.
    let first = wait_for_reload_of(&rx, plan_url);
    assert!(
        first["paths"].as_array().is_some_and(|p| p.len() <= 2),
        "{first}"
    );
    wait_for_reload_of(&rx, "/kommuner/hjoerring/");
    assert!(
        get(&srv.addr, plan_url).1.contains("kl. 09.15"),
        "new content served"
    );

    // A broken edit: overlay event, old page still served.
    replace_in(&plan, "year = 2026", "yaer = 2026");
    let ev = wait_for(&rx, "build-error");
    assert!(
        ev.contains("handleplan-2026.md") && ev.contains("unknown key `yaer`"),
        "{ev}"
    );
    let (code, html) = get(&srv.addr, plan_url);
    assert_eq!(code, 200);
    assert!(html.contains("kl. 09.15"), "last good page still served");
    let (_, st) = get(&srv.addr, "/__planspor/status");
    assert!(st.contains("unknown key `yaer`"), "{st}");

    // Fixing it clears the error.
    replace_in(&plan, "yaer = 2026", "year = 2026");
    wait_for_reload_of(&rx, plan_url);
    let (_, st) = get(&srv.addr, "/__planspor/status");
    assert!(st.contains("\"error\":null"), "{st}");

    // A new plan file (created) and its removal (deleted) are picked up.
    let new_plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/aalborg/handleplan-2026.md");
    std::fs::write(&new_plan, "+++\nkind = \"handleplan\"\nyear = 2026\ntitle = \"Handleplan 2026\"\n+++\n\n## Indledning\n\nAalborgs plan.\n").unwrap();
    wait_for_reload_of(&rx, "/kommuner/aalborg/handleplan/2026/");
    assert_eq!(get(&srv.addr, "/kommuner/aalborg/handleplan/2026/").0, 200);
    std::fs::remove_file(&new_plan).unwrap();
    wait_for_reload_of(&rx, "/kommuner/aalborg/handleplan/2026/");
    assert_eq!(get(&srv.addr, "/kommuner/aalborg/handleplan/2026/").0, 404);

    // Saving by rename, as many editors do.
    let tmp = plan.with_file_name(".handleplan-2026.md.tmp");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("kl. 09.15", "kl. 09.30");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &plan).unwrap();
    wait_for_reload_of(&rx, plan_url);
    assert!(get(&srv.addr, plan_url).1.contains("kl. 09.30"));
}

#[test]
fn static_serving_is_correct_and_never_leaves_the_output() {
    let d = TempDir::new("serve-static");
    copy_site(&repo(), d.path());
    let srv = start(d.path());
    let (code, head, _) = request(&srv.addr, "GET", "/static/style.css");
    assert_eq!(code, 200);
    assert!(head.to_lowercase().contains("content-type: text/css"));
    let (code, head, body) = request(&srv.addr, "HEAD", "/data/planer.json");
    assert_eq!(code, 200);
    assert!(head
        .to_lowercase()
        .contains("content-type: application/json"));
    assert!(body.is_empty(), "HEAD has no body");
    let (code, head, _) = request(&srv.addr, "GET", "/data/planer.xml");
    assert_eq!(code, 200);
    assert!(head
        .to_lowercase()
        .contains("content-type: application/xml"));
    let (code, head, _) = request(&srv.addr, "GET", "/kommuner/hjoerring");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /kommuner/hjoerring/"));
    assert_eq!(request(&srv.addr, "GET", "/kommuner/hj%C3%B8rring/").0, 404);
    let (code, body) = get(&srv.addr, "/findes-ikke/");
    assert_eq!(code, 404);
    assert!(body.contains("Siden findes ikke"), "the site's 404 page");

    // Traversal attempts: a secret beside the output and system files.
    std::fs::write(d.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let attempts = [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/kredse/../../secret.txt",
        "/kredse/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "/static/../../secret.txt",
        "/index.html%00../../etc/passwd",
        "/%c0%ae%c0%ae/etc/passwd",
        "etc/passwd",
    ];
    for a in attempts {
        let (code, _, body) = request(&srv.addr, "GET", a);
        let body = String::from_utf8_lossy(&body);
        assert!(code == 404 || code == 400, "{a} -> {code}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("root:"),
            "{a} leaked a file"
        );
    }
}

#[test]
fn a_port_given_that_is_in_use_is_an_error() {
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let d = TempDir::new("serve-port");
    copy_site(&repo(), d.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(d.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    // A reverse proxy pointing at the port given would reach whatever holds it.
    assert!(!status.success());
    assert!(
        err.contains(&format!("127.0.0.1:{port}")) && err.contains("in use"),
        "{err}"
    );
    assert!(!out.contains("Serving"), "{out}");
}

/// Polls `target` until its body contains `needle` (the open data follows a save in
/// the background, once saving pauses).
fn eventually(addr: &str, target: &str, needle: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until {
        if get(addr, target).1.contains(needle) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn the_open_data_follows_saves_made_while_it_is_being_made() {
    let d = TempDir::new("serve-data");
    copy_site(&repo(), d.path());
    let srv = start(d.path());
    let rx = events(&srv.addr);
    let plan = d.path().join(HJOERRING_2026);
    // Two saves about a refresh's time apart, then a pause: the search documents end
    // up with the second word, and no refresh made for the first state overwrites it.
    replace_in(&plan, "fortsat sikrer tryghed", "fortsat sikrer kvartsur");
    wait_for_reload_of(&rx, "/kommuner/hjoerring/handleplan/2026/");
    std::thread::sleep(Duration::from_millis(320));
    replace_in(
        &plan,
        "fortsat sikrer kvartsur",
        "fortsat sikrer rosenkvarts",
    );
    wait_for(&rx, "reload");
    let doc_with = |word: &str| {
        (0..64).find(|n| {
            get(&srv.addr, &format!("/data/soeg/d/{n}.json"))
                .1
                .contains(word)
        })
    };
    assert!(
        eventually(
            &srv.addr,
            "/kommuner/hjoerring/handleplan/2026/",
            "rosenkvarts"
        ),
        "page"
    );
    let until = Instant::now() + Duration::from_secs(30);
    while doc_with("rosenkvarts").is_none() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        doc_with("rosenkvarts").is_some(),
        "search documents never followed"
    );
    // Give a stale refresh every chance to land, then check it did not.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(doc_with("rosenkvarts").is_some());
    assert!(
        doc_with("kvartsur").is_none(),
        "data of the superseded save written"
    );
}

/// A `templates/` folder made after the server started is watched like one that was
/// there, and so is `content/` put back under its name (`mv content x; mv x content`):
/// each is a new folder to the system's watcher.
#[test]
fn folders_made_or_moved_back_while_serving_are_watched() {
    let d = TempDir::new("serve-rewatch");
    copy_site(&repo(), d.path());
    let srv = start(d.path());
    let rx = events(&srv.addr);
    let templates = d.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    let standard =
        std::fs::read_to_string(repo().join("themes/standard/templates/404.html")).unwrap();
    let marked = |m: &str| {
        standard.replacen(
            "{% block content %}",
            &format!("{{% block content %}}<p>{m}</p>"),
            1,
        )
    };
    std::fs::write(templates.join("404.html"), marked("Første markør")).unwrap();
    wait_for(&rx, "reload");
    assert!(eventually(&srv.addr, "/404.html", "Første markør"));
    // A later edit in the folder made after the start.
    std::fs::write(templates.join("404.html"), marked("Anden markør")).unwrap();
    wait_for(&rx, "reload");
    assert!(eventually(&srv.addr, "/404.html", "Anden markør"));

    let content = d.path().join("content");
    let away = d.path().join("content-flyttet");
    std::fs::rename(&content, &away).unwrap();
    std::fs::rename(&away, &content).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    let plan = content.join("kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    replace_in(
        &plan,
        "Fredag, den 6. marts kl. 09.00",
        "Fredag, den 6. marts kl. 09.45",
    );
    assert!(eventually(
        &srv.addr,
        "/kommuner/hjoerring/handleplan/2026/",
        "09.45"
    ));
}

/// `serve` warns in the terminal as `build` does: a heading added to an indsatsområde
/// chapter that binds nothing leaves that text out of every indsatsområde, and an
/// editor previewing with `serve` must hear of it then, not at publishing.
#[test]
fn serve_warns_as_build_does_about_the_edited_plan() {
    let d = TempDir::new("serve-warns");
    copy_site(&repo(), d.path());
    let (srv, log) = start_logged(d.path());
    let first = log_until(&log, "built ");
    assert!(
        !first.iter().any(|l| l.contains("binds no indsatsområde")),
        "{first:?}"
    );
    let rx = events(&srv.addr);
    let plan = d.path().join(HJOERRING_2026);
    replace_in(
        &plan,
        "#### Bedre samarbejde om indsatsen over for sårbare borgere",
        "#### Opsøgende arbejde i weekenderne\n\nNy tekst.\n\n\
         #### Bedre samarbejde om indsatsen over for sårbare borgere",
    );
    wait_for_reload_of(&rx, "/kommuner/hjoerring/handleplan/2026/");
    let shown = log_until(&log, "binds no indsatsområde").join("\n");
    assert!(shown.contains("rebuilt"), "{shown}");
    let rest = log_until(&log, "handleplan-2026.md").join("\n");
    assert!(rest.contains("handleplan-2026.md"), "{rest}");
    drop(srv);
}

/// An editor's save can reach the watcher as more than one batch (a write, then a
/// rename); a broken file then fails every rebuild the same way, and the terminal says
/// so once, not once per batch. A different error is said again.
#[test]
fn the_same_build_error_is_said_once() {
    let d = TempDir::new("serve-error-once");
    copy_site(&repo(), d.path());
    let (srv, log) = start_logged(d.path());
    log_until(&log, "built ");
    let rx = events(&srv.addr);
    let plan = d.path().join(HJOERRING_2026);
    replace_in(&plan, "year = 2026", "yaer = 2026");
    wait_for(&rx, "build-error");
    log_until(&log, "the last good build is still being served");
    // Saved again, unchanged: the same error.
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, &text).unwrap();
    wait_for(&rx, "build-error");
    // Another error: said.
    replace_in(&plan, "yaer = 2026", "aar = 2026");
    // (An event of the error before may still be on its way.)
    while !wait_for(&rx, "build-error").contains("unknown key `aar`") {}
    let lines = log_until(&log, "unknown key `aar`");
    let said = lines.join("\n");
    assert!(!said.contains("yaer"), "the same error said again:\n{said}");
    drop(srv);
}
