//! Benchmark: time from saving a plan to the browser's reload event in `planspor serve`.
//!
//! Starts the real binary on a copy of a site, subscribes to its event stream like a
//! browser, then repeatedly edits one plan (a word in its text) and measures from the
//! moment the write returns to the moment the first `reload` event arrives (the one
//! that reloads the edited plan's page), and to the last one (every affected page
//! written).
//!
//!     cargo bench --bench serve_reload                      # default site, 30 edits
//!     cargo bench --bench serve_reload -- --root DIR --edits 50 [--plan REL_PATH] [--pause MS]
//!
//! Prints median, min and max in milliseconds.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn copy_tree(from: &Path, to: &Path) {
    for sub in ["planspor.toml", "content", "themes", "templates"] {
        let src = from.join(sub);
        if src.is_file() {
            std::fs::copy(&src, to.join(sub)).expect("copy planspor.toml");
        } else if src.is_dir() {
            for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
                let target = to.join(e.path().strip_prefix(from).expect("inside"));
                if e.file_type().is_dir() {
                    std::fs::create_dir_all(&target).expect("mkdir");
                } else {
                    std::fs::copy(e.path(), &target).expect("copy");
                }
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let src = arg("--root")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let edits: usize = arg("--edits").and_then(|e| e.parse().ok()).unwrap_or(30);
    // Time between one save and the next, as an author's: the server announces the
    // edited plan's pages, then the rest, and refreshes the open data in the background
    // once saving pauses.
    let pause: u64 = arg("--pause").and_then(|e| e.parse().ok()).unwrap_or(1000);

    let work = std::env::temp_dir().join(format!("planspor-bench-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("temp dir");
    copy_tree(&src, &work);
    let plan = match arg("--plan") {
        Some(p) => work.join(p),
        None => walkdir::WalkDir::new(work.join("content/kredse"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .map(|e| e.path().to_path_buf())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("handleplan-"))
            })
            .last()
            .expect("a handleplan to edit"),
    };

    let mut child = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&work)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start planspor serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("serve exited").expect("read");
        if let Some(i) = line.find("http://") {
            break line[i + 7..].trim_end_matches('/').to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let stderr = child.stderr.take().expect("stderr");
    // With PLANSPOR_TIMINGS set, the server's stage timings are passed through.
    let show = std::env::var_os("PLANSPOR_TIMINGS").is_some();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if show && line.starts_with("timings:") {
                eprintln!("{line}");
            }
        }
    });

    let (tx, rx) = channel::<Instant>();
    let mut s = TcpStream::connect(&addr).expect("connect");
    write!(s, "GET /__planspor/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("subscribe");
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            match line {
                Ok(l) if l == "event: reload" => {
                    if tx.send(Instant::now()).is_err() {
                        return;
                    }
                }
                Ok(_) => {}
                Err(_) => return,
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));

    let original = std::fs::read_to_string(&plan).expect("read plan");
    let mut times = Vec::with_capacity(edits);
    let mut all_times = Vec::with_capacity(edits);
    for i in 0..edits {
        // Change a word in the body, as an author would.
        let text = format!("{original}\nRedigering nummer {i} i forhåndsvisningen.\n");
        while rx.try_recv().is_ok() {}
        let t0 = Instant::now();
        std::fs::write(&plan, text).expect("write plan");
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("no reload event");
        // The events that follow within the pause belong to the same save.
        let until = t0 + Duration::from_millis(pause);
        let mut last = first;
        while let Ok(at) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            last = at;
        }
        std::thread::sleep(until.saturating_duration_since(Instant::now()));
        times.push(first.duration_since(t0).as_secs_f64() * 1000.0);
        all_times.push(last.duration_since(t0).as_secs_f64() * 1000.0);
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&work);

    times.sort_by(f64::total_cmp);
    all_times.sort_by(f64::total_cmp);
    let stats = |t: &[f64]| {
        format!(
            "median {:.1} ms, min {:.1} ms, max {:.1} ms",
            t[t.len() / 2],
            t[0],
            t[t.len() - 1]
        )
    };
    println!(
        "serve_reload: site {} plan {} edits {}: edited page {}; all pages {}",
        src.display(),
        plan.strip_prefix(&work).unwrap_or(&plan).display(),
        times.len(),
        stats(&times),
        stats(&all_times)
    );
}
