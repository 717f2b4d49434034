//! A deterministic synthetic corpus shaped like the national content tree, for
//! benchmarks and scale tests (`planspor gen-corpus`).
//!
//! The corpus is a complete site root: `planspor.toml` and a `content/` tree with the
//! real 12 police districts and their 98 kommuner (scaled by `scale`), a samarbejdsplan
//! per district and a handleplan per kommune for each of `years` years ending with
//! [`LAST_YEAR`], and a registry of about 150 indsatsområder (also scaled) with life
//! cycles: they appear, continue, change, merge (one section bound to two ids, the
//! contract's way of saying "lagt sammen"), some of them split again later (each back
//! in a section of its own), are dropped and come back after a gap.
//!
//! Plan texts are built from sentence templates and word lists drawn from the real
//! plans, in the structure the default content has (intro chapters, an `{indsatser}`
//! chapter with one `###` section per bound indsatsområde). Each issuer's text for an
//! indsatsområde is carried from one year to the next with small edits (so the
//! evolution sees "videreført") or a rewrite of a third or more of its sentences
//! ("ændret").
//!
//! Everything random comes from `rng::Rng` streams keyed by the seed and fixed tags, and
//! everything is iterated in a fixed order, so the same options give a byte-identical
//! tree. Generation is pure (see [`corpus_files`]); [`generate`] only writes.
//!
//! The parts, in the order a corpus is made:
//!
//! - `layout`: the districts and kommuner at a scale, from `data/kredse.toml`;
//! - `registry`: the indsatsområder, their titles, life cycles and merges;
//! - `select`: which indsatsområder each issuer's plan binds each year;
//! - `lineage` and `text`: each issuer's text per indsatsområde, carried and edited
//!   from year to year, made from the templates in `data/phrases.toml`;
//! - `people` and `style`: signatories, lokalråd members, meetings, and how each
//!   issuer's documents look;
//! - `files`, `samarbejdsplan`, `handleplan`: the Markdown files themselves.
//!
//! `data` loads the vocabulary, `rng` is the seeded generator, `words` holds small
//! Danish text helpers.

mod data;
mod files;
mod handleplan;
mod layout;
mod lineage;
mod people;
mod registry;
mod rng;
mod samarbejdsplan;
mod select;
mod style;
mod text;
mod words;

use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use files::{config_file, front_page, issuer_files, registry_file, World};
use layout::layout;
use registry::registry;
use select::{issuers, select};

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Site root to create (planspor.toml, content/).
    pub out: PathBuf,
    pub seed: u64,
    /// Number of years of plans.
    pub years: u32,
    /// 1.0 = national scale (12 kredse, 98 kommuner); 0.5 half, 2.0 double.
    pub scale: f64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub kredse: usize,
    pub kommuner: usize,
    pub plans: usize,
    pub indsatser: usize,
    pub bytes: u64,
}

/// The last year of every corpus: `years` years end here.
pub const LAST_YEAR: i64 = 2026;

/// The file that marks a folder as written by `gen-corpus` (and so safe to replace).
pub const MARKER: &str = ".planspor-corpus";

/// The model accepts years from 1990; a corpus may not start earlier.
pub const MAX_YEARS: u32 = (LAST_YEAR - 1990 + 1) as u32;

/// Beyond this the corpus is no longer a test of planspor but of the disk.
pub const MAX_SCALE: f64 = 20.0;

/// Indsatsområder at scale 1.0.
const NATIONAL_INDSATSER: f64 = 150.0;

/// Writes the corpus into `opts.out`, which must be absent, empty, or an earlier
/// corpus (it holds [`MARKER`]); in the last case only what `gen-corpus` writes
/// (`content/`, `planspor.toml`) is replaced. Returns what was written.
pub fn generate(opts: &CorpusOptions) -> io::Result<CorpusStats> {
    validate(opts)?;
    prepare_out(&opts.out)?;
    let (files, mut stats) = corpus_files(opts);

    let marker = format!(
        "planspor gen-corpus --seed {} --years {} --scale {}\n\
         This folder was written by `planspor gen-corpus`. Running it again here replaces\n\
         content/ and planspor.toml; nothing else is touched.\n",
        opts.seed, opts.years, opts.scale
    );
    std::fs::write(opts.out.join(MARKER), &marker)?;
    let mut bytes = marker.len() as u64;

    let mut made: HashSet<PathBuf> = HashSet::new();
    for (rel, text) in &files {
        let path = opts.out.join(rel);
        if let Some(dir) = path.parent() {
            if !made.contains(dir) {
                std::fs::create_dir_all(dir)?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, text)?;
        bytes += text.len() as u64;
    }
    stats.bytes = bytes;
    Ok(stats)
}

fn validate(opts: &CorpusOptions) -> io::Result<()> {
    let invalid = |m: String| Err(io::Error::new(io::ErrorKind::InvalidInput, m));
    if opts.years == 0 || opts.years > MAX_YEARS {
        return invalid(format!(
            "--years must be between 1 and {MAX_YEARS} (plans from {} to {LAST_YEAR}), not {}",
            LAST_YEAR - MAX_YEARS as i64 + 1,
            opts.years
        ));
    }
    if !(opts.scale.is_finite() && opts.scale > 0.0 && opts.scale <= MAX_SCALE) {
        return invalid(format!(
            "--scale must be a number above 0 and at most {MAX_SCALE}, not {}",
            opts.scale
        ));
    }
    Ok(())
}

/// Creates `out`, or checks that it is empty, or clears an earlier corpus from it.
/// Never deletes anything in a folder without the marker.
fn prepare_out(out: &Path) -> io::Result<()> {
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return std::fs::create_dir_all(out),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a folder", out.display()),
        ));
    }
    if std::fs::read_dir(out)?.next().is_none() {
        return Ok(());
    }
    if !out.join(MARKER).is_file() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty and was not written by gen-corpus (it has no {MARKER}); \
                 refusing to touch it: give a new or empty folder",
                out.display()
            ),
        ));
    }
    let content = out.join("content");
    match std::fs::symlink_metadata(&content) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&content)?,
        Ok(_) => std::fs::remove_file(&content)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    match std::fs::remove_file(out.join("planspor.toml")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The corpus as (path relative to the site root, text), in a fixed order, and its
/// figures (`bytes` counts these files only). Pure: nothing is written.
pub fn corpus_files(opts: &CorpusOptions) -> (Vec<(String, String)>, CorpusStats) {
    let ny = opts.years.clamp(1, MAX_YEARS) as usize;
    let first = LAST_YEAR - ny as i64 + 1;
    let scale = if opts.scale.is_finite() && opts.scale > 0.0 {
        opts.scale.min(MAX_SCALE)
    } else {
        1.0
    };
    let l = layout(scale);
    let n_ind = ((NATIONAL_INDSATSER * scale).round() as usize).max(8);
    let inds = registry(opts.seed, n_ind, ny, &l.kredse);
    let plans = select(opts.seed, &l, &inds, ny);
    let w = World {
        seed: opts.seed,
        first,
        ny,
        l: &l,
        inds: &inds,
        plans: &plans,
    };

    let mut files: Vec<(String, String)> = Vec::new();
    files.push(("planspor.toml".into(), config_file(opts)));
    files.push(("content/_index.md".into(), front_page(&w, opts)));
    for ind in &inds {
        files.push((
            format!("content/indsatsomraader/{}.md", ind.id),
            registry_file(ind),
        ));
    }
    let who = issuers(&l);
    let per_issuer: Vec<Vec<(String, String)>> = who
        .par_iter()
        .enumerate()
        .map(|(ix, &wh)| issuer_files(&w, ix, wh))
        .collect();
    for v in per_issuer {
        files.extend(v);
    }
    let stats = CorpusStats {
        kredse: l.kredse.len(),
        kommuner: l.kommuner.len(),
        plans: who.len() * ny,
        indsatser: inds.len(),
        bytes: files.iter().map(|(_, t)| t.len() as u64).sum(),
    };
    (files, stats)
}
