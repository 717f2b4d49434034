//! Where a build's time goes, stage by stage and page type by page type, on one thread
//! (so the figures add up to the build's CPU time, not its wall time):
//!
//!     cargo run --release --example profile -- DIR
//!
//! Used for the performance notes in the README; `scripts/bench.sh` measures the real,
//! parallel build.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use planspor::render::{RenderOptions, Renderer};
use planspor::routes::{self, Routes};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Resident memory now and at its peak so far, in MB (Linux `/proc/self/status`).
fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1000.0
    };
    format!("RSS {:.0} MB, peak {:.0} MB", kb("VmRSS:"), kb("VmHWM:"))
}

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --release --example profile -- SITE_ROOT");
        std::process::exit(2);
    };
    let root = Path::new(&root);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    pool.install(|| {
        let t = Instant::now();
        let (loaded, _) = planspor::load::load(root);
        println!("{:<28} {:>8.0} ms  {}", "load (read + parse)", ms(t), rss());
        let config = planspor::config::Config::load(root).expect("planspor.toml");
        let t = Instant::now();
        let mut diags = planspor::Diagnostics::new();
        let site = planspor::model::build(config, loaded, &mut diags, &planspor::memo::Memo::off());
        println!("{:<28} {:>8.0} ms  {}", "model + evolution", ms(t), rss());
        let t = Instant::now();
        let evolution =
            planspor::model::evolution::Evolution::compute(&site, &planspor::memo::Memo::off());
        println!(
            "{:<28} {:>8.0} ms  ({} plans)",
            "  of which evolution",
            ms(t),
            evolution.plans.len()
        );

        let renderer = Renderer::new(root, &site.config.theme).expect("theme");
        let r = Routes::new(&site, "/".into());
        let opts = RenderOptions::default();
        // (render ms, of which context + fingerprint ms, pages, bytes)
        let mut by_kind: BTreeMap<String, (f64, f64, usize, usize)> = BTreeMap::new();
        for page in routes::all(&site) {
            let kind = format!("{page:?}");
            let kind = kind.split('(').next().unwrap_or("?").to_string();
            let t = Instant::now();
            let input = renderer.input(&site, &r, &opts, page);
            std::hint::black_box(renderer.fingerprint(&input));
            let context = ms(t);
            let html = renderer.render_input(&r, page, input).expect("renders");
            let e = by_kind.entry(kind).or_default();
            e.0 += ms(t);
            e.1 += context;
            e.2 += 1;
            e.3 += html.len();
        }
        let t = Instant::now();
        let data = renderer.data_files(&site, &r);
        let data_bytes: usize = data.iter().map(|(_, b)| b.len()).sum();
        println!(
            "{:<28} {:>8.0} ms  {:>5} files {:>7.1} MB  {}",
            "render: open data + search",
            ms(t),
            data.len(),
            data_bytes as f64 / 1e6,
            rss()
        );
        drop(data);
        let t = Instant::now();
        let count = Count::default();
        let counted = planspor::search::files_into(&site, &r, &count);
        let (files, bytes) = (count.0.into_inner(), count.1.into_inner());
        if counted.is_err() {
            eprintln!("the search index could not be made");
        }
        println!(
            "{:<28} {:>8.0} ms  {:>5} files {:>7.1} MB",
            "  of which search index",
            ms(t),
            files,
            bytes as f64 / 1e6
        );
        let mut rows: Vec<_> = by_kind.into_iter().collect();
        rows.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0));
        for (kind, (t, context, n, bytes)) in rows {
            println!(
                "{:<28} {:>8.0} ms  {:>5} pages {:>7.1} MB  (context + fingerprint {:.0} ms)",
                format!("render: {kind}"),
                t,
                n,
                bytes as f64 / 1e6,
                context
            );
        }
    });
}

/// Counts the files and bytes a maker hands it.
#[derive(Default)]
struct Count(AtomicUsize, AtomicUsize);

impl planspor::render::Sink for Count {
    fn put(&self, _: String, b: Vec<u8>) -> Result<(), planspor::diagnostics::Diagnostic> {
        self.0.fetch_add(1, Ordering::Relaxed);
        self.1.fetch_add(b.len(), Ordering::Relaxed);
        Ok(())
    }
}
