//! The synthetic corpus (`planspor gen-corpus`): deterministic, valid content that
//! builds cleanly, with the counts it reports and every evolution status.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use planspor::corpus::{generate, CorpusOptions, CorpusStats, MARKER};
use planspor::model::evolution::Status;
use planspor::model::{Binding, Site};

fn opts(out: &Path, seed: u64, years: u32, scale: f64) -> CorpusOptions {
    CorpusOptions {
        out: out.to_path_buf(),
        seed,
        years,
        scale,
    }
}

const SEED: u64 = 7;
const YEARS: u32 = 6;
const SCALE: f64 = 0.25;

/// One small corpus (3 kredse, 25 kommuner, 6 years) for every test in this file.
fn corpus() -> &'static (TempDir, CorpusStats) {
    static C: OnceLock<(TempDir, CorpusStats)> = OnceLock::new();
    C.get_or_init(|| {
        let d = TempDir::shared("corpus");
        let stats = generate(&opts(&d.path().join("site"), SEED, YEARS, SCALE))
            .unwrap_or_else(|e| panic!("gen-corpus failed: {e}"));
        (d, stats)
    })
}

fn root() -> std::path::PathBuf {
    corpus().0.path().join("site")
}

fn stats() -> &'static CorpusStats {
    &corpus().1
}

fn model() -> &'static Site {
    static S: OnceLock<Site> = OnceLock::new();
    S.get_or_init(|| {
        let (site, diags) = planspor::site::load_site(&root(), None);
        assert!(!diags.has_errors(), "{}", diags.render(false));
        assert_eq!(diags.warning_count(), 0, "{}", diags.render(false));
        site.unwrap()
    })
}

#[test]
fn same_seed_same_tree_other_seed_other_tree() {
    let d = TempDir::new("corpus-det");
    let again = d.path().join("again");
    let s = generate(&opts(&again, SEED, YEARS, SCALE)).unwrap();
    let first = read_tree(&root());
    let second = read_tree(&again);
    assert!(first.keys().eq(second.keys()), "different file lists");
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{path} differs between two runs");
    }
    assert_eq!(s.bytes, stats().bytes);
    // `bytes` is what was written.
    let on_disk: u64 = first.values().map(|b| b.len() as u64).sum();
    assert_eq!(stats().bytes, on_disk);

    let other = d.path().join("other");
    generate(&opts(&other, SEED + 1, YEARS, SCALE)).unwrap();
    let third = read_tree(&other);
    let differing = first
        .iter()
        .filter(|(p, b)| third.get(*p) != Some(*b))
        .count();
    assert!(
        differing > first.len() / 2,
        "another seed changed only {differing} of {} files",
        first.len()
    );
}

#[test]
fn counts_match_the_stats_and_the_shape() {
    let s = stats();
    assert_eq!((s.kredse, s.kommuner), (3, 25));
    assert_eq!(s.plans, (s.kredse + s.kommuner) * YEARS as usize);
    assert_eq!(s.indsatser, 38);
    let site = model();
    assert_eq!(site.kredse.len(), s.kredse);
    assert_eq!(site.kommuner.len(), s.kommuner);
    assert_eq!(site.plans.len(), s.plans);
    assert_eq!(site.indsatser.len(), s.indsatser);
    assert_eq!(site.years, (2021..=2026).collect::<Vec<i64>>());
    for k in &site.kredse {
        assert_eq!(k.plans.len(), YEARS as usize, "{}", k.slug);
    }
    for m in &site.kommuner {
        assert_eq!(m.plans.len(), YEARS as usize, "{}", m.slug);
    }
    // Every registered indsatsområde is bound somewhere, and plans bind a realistic
    // handful each, always explicitly (no heading binds by accident).
    for ind in &site.indsatser {
        assert!(!ind.occurrences.is_empty(), "{} is never bound", ind.id);
    }
    for plan in &site.plans {
        let bound: Vec<_> = plan
            .sections
            .iter()
            .filter(|s| !s.bindings.is_empty())
            .collect();
        assert!(
            (2..=14).contains(&bound.len()),
            "{} binds {} sections",
            plan.file.display(),
            bound.len()
        );
        assert!(bound.iter().all(|s| s.binding == Binding::Explicit));
        assert_eq!(
            plan.sections
                .iter()
                .filter(|s| s.is_indsats_chapter)
                .count(),
            1
        );
    }
}

#[test]
fn every_evolution_status_occurs() {
    let site = model();
    let mut seen = BTreeSet::new();
    for pe in &site.evolution.plans {
        for e in &pe.entries {
            seen.insert(e.status);
        }
    }
    for s in Status::ALL {
        assert!(seen.contains(&s), "no `{}` in the corpus", s.label());
    }
}

#[test]
fn no_content_warnings() {
    let site = model();
    let root = root();
    let read = |f: &Path| -> Option<Arc<str>> {
        planspor::load::read_text(f, &root.join(f))
            .ok()
            .map(|t| Arc::from(t.as_str()))
    };
    let lints = planspor::model::lint::lint(site, &read, true);
    assert!(lints.is_empty(), "{}", lints.render(false));
}

#[test]
fn builds_without_errors_into_the_expected_pages() {
    // Rendering is the slow part in debug builds: a shorter corpus of the same breadth.
    let d = TempDir::new("corpus-build");
    let site = d.path().join("site");
    let s = &generate(&opts(&site, SEED, 3, SCALE)).unwrap();
    assert_eq!((s.kredse, s.kommuner, s.plans), (3, 25, 84));
    let out = d.path().join("public");
    let report = build_to(&site, &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert_eq!(report.warnings.error_count(), 0);
    assert_eq!(report.warnings.warning_count(), 0);
    let dirs = |parent: &str| {
        std::fs::read_dir(out.join(parent))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
            .count()
    };
    assert_eq!(dirs("kredse"), s.kredse);
    assert_eq!(dirs("kommuner"), s.kommuner);
    assert_eq!(dirs("indsatsomraader"), s.indsatser);
    assert_eq!(dirs("aar"), 3);
    let plan_pages = read_tree(&out)
        .keys()
        .filter(|k| {
            let p: Vec<&str> = k.split('/').collect();
            p.len() == 5
                && (p[2] == "samarbejdsplan" || p[2] == "handleplan")
                && p[4] == "index.html"
        })
        .count();
    assert_eq!(plan_pages, s.plans);
    let (checked, broken) = broken_links_on_disk(&out, "/");
    assert!(checked > 1000, "only {checked} links checked");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn never_overwrites_a_folder_it_did_not_write() {
    let d = TempDir::new("corpus-safety");
    let mine = d.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    let err = generate(&opts(&mine, 1, 1, 0.1)).unwrap_err();
    assert!(err.to_string().contains(MARKER), "{err}");
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);

    // An earlier corpus is replaced; what else is there (a build) is left alone.
    let site = d.path().join("site");
    let first = generate(&opts(&site, 1, 2, 0.1)).unwrap();
    std::fs::create_dir_all(site.join("public")).unwrap();
    std::fs::write(site.join("public/index.html"), "built").unwrap();
    let second = generate(&opts(&site, 2, 1, 0.1)).unwrap();
    assert!(site.join(MARKER).is_file());
    assert!(site.join("public/index.html").is_file());
    assert_eq!(first.kommuner, second.kommuner);
    let plans = read_tree(&site.join("content"))
        .keys()
        .filter(|k| k.contains("plan-"))
        .count();
    assert_eq!(
        plans, second.plans,
        "plans of the first run were left behind"
    );

    // Nonsense options are refused before anything is written.
    let fresh = d.path().join("fresh");
    assert!(generate(&opts(&fresh, 1, 0, 1.0)).is_err());
    assert!(generate(&opts(&fresh, 1, 5, 0.0)).is_err());
    assert!(generate(&opts(&fresh, 1, 5, f64::NAN)).is_err());
    assert!(!fresh.exists());
}
