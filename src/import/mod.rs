//! `planspor import`: a plan (PDF, or the text a PDF converter wrote) turned into a
//! content-file draft at the right place in the tree, with a report of what was
//! recognised, what binds nothing, and what was dropped.
//!
//! The steps, one module each: [`source`] reads the input ([`pdf`] for PDFs), [`furniture`]
//! removes page numbers, running headers and the back cover, [`clean`] fixes tags and
//! hyphenation and splits blocks, [`contents`] finds and drops the printed contents
//! list, [`headings`] finds headings and their levels, [`bind`] binds them to the
//! registry, [`continuity`] adds what the issuer's previous plan shows a section
//! carries on, [`front`] recognises the front matter, [`draft`] writes the file and
//! [`report`] says what happened.

pub mod bind;
pub mod clean;
pub mod contents;
pub mod continuity;
pub mod draft;
pub mod front;
pub mod furniture;
pub mod headings;
pub mod issuer;
pub mod newplan;
pub mod pdf;
pub mod report;
pub mod source;

use std::fmt;
use std::path::{Path, PathBuf};

use clean::{Block, CleanStats};
use furniture::Furniture;
use headings::Item;
use report::Report;

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub issuer: String,
    pub year: Option<i64>,
    pub root: PathBuf,
    /// Replace an existing plan file.
    pub force: bool,
    /// Import a plan whose cover names another kommune than `issuer` (a cover that is
    /// itself wrong). Apart from `force`: re-importing to replace a plan must not also
    /// let a plan in under the wrong kommune.
    pub other_cover: bool,
}

/// Why nothing was written.
#[derive(Debug, Clone)]
pub struct ImportError {
    pub message: String,
    pub help: Option<String>,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> Self {
        ImportError {
            message: message.into(),
            help: None,
        }
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

/// The draft and its report, before anything is written.
pub struct Draft {
    /// Relative to the site root.
    pub path: PathBuf,
    pub text: String,
    pub report: Report,
}

/// Imports and writes the draft. Writes nothing on any error.
pub fn import(opts: &ImportOptions) -> Result<Report, ImportError> {
    let draft = prepare(opts)?;
    let target = opts.root.join(&draft.path);
    if target.exists() && !opts.force {
        return Err(
            ImportError::new(format!("{} already exists", draft.path.display()))
                .with_help("pass --force to replace it (the current file is overwritten)"),
        );
    }
    let mut report = draft.report;
    report.unpublishes = is_published(&target);
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| ImportError::new(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&target, &draft.text)
        .map_err(|e| ImportError::new(format!("cannot write {}: {e}", target.display())))?;
    Ok(report)
}

/// Whether the plan file at `path` is on the site: it exists, and its front matter
/// does not say `draft = true`, read as the loader reads it. (Front matter that does
/// not read as a plan's is no plan the site publishes: the build stops at it.)
fn is_published(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let src: std::sync::Arc<str> = text.into();
    use crate::load::frontmatter::{parse, split, PlanFront};
    split(path, &src)
        .ok()
        .and_then(|s| parse::<PlanFront>(path, &src, &s).ok())
        .is_some_and(|front| !front.draft)
}

/// Reads, recognises and renders the draft without writing it.
pub fn prepare(opts: &ImportOptions) -> Result<Draft, ImportError> {
    let (loaded, _) = crate::load::load(&opts.root);
    let issuer = issuer::resolve(&opts.root, &loaded, &opts.issuer)?;
    let registry = registry(&loaded);
    let (text, from_pdf) = source::read(&opts.file)?;
    if text.split_whitespace().count() < 30 {
        return Err(not_a_plan(&opts.file, "it holds almost no text"));
    }
    let mut report = Report {
        input: opts.file.display().to_string(),
        issuer: format!("{} ({})", issuer.name, opts.issuer),
        ..Default::default()
    };
    let mut furniture = Furniture::default();
    let text = furniture::remove_lines(&text, &mut furniture);
    let mut stats = CleanStats::default();
    let blocks = clean::blocks(&text, &mut stats);
    let contents = contents::find(&blocks);
    let (cover, body) = split_cover(&blocks, contents.as_ref());
    let body = furniture::remove_back_cover(body.to_vec(), &mut furniture);
    let body = clean::rejoin_paragraphs(body, &mut stats);
    let kreds = issuer.national.clone().unwrap_or_else(|| stand_in(&issuer));
    let kommune_names: Vec<String> = kreds.kommuner.iter().map(|m| m.full_name.clone()).collect();
    // A local entry is often registered as "<topic> i <issuer>" ("Trafiksikkerhed i
    // Hjørring Kommune") while the issuer's own plan just says "Trafiksikkerhed".
    let bind = |t: &str| {
        let ids = registry.bind(t);
        if ids.is_empty() && issuer.kommune.is_some() {
            let t = t.trim_end_matches([':', '.', ' ']);
            return registry.bind(&format!("{t} i {}", issuer.name));
        }
        ids
    };
    let cx = headings::Context {
        contents: contents.as_ref(),
        bind: &bind,
        kommune_names: &kommune_names,
    };
    let markdown_doc = body.iter().any(|b| b.lines[0].starts_with('#'));
    let is_heading = |b: &Block| headings::is_heading(b, markdown_doc, &cx);
    let body = furniture::remove_repeats(body, is_heading, &mut furniture);
    let mut items = headings::detect(&body, &cx);

    let extra: Vec<String> = contents
        .iter()
        .flat_map(|c| c.entries.iter().map(|e| e.title.clone()))
        .chain(furniture.running_texts.iter().cloned())
        .collect();
    let read = Recognised {
        opts,
        issuer: &issuer,
        kreds: &kreds,
        cover,
        from_pdf,
    };
    let front = read.front(&extra, &items, &mut report)?;
    if !items.iter().any(|i| matches!(i, Item::Heading(_))) {
        return Err(not_a_plan(&opts.file, "it has no headings"));
    }

    let path = issuer.plan_path(&front.years);
    let carried = continuity::previous(&opts.root, &issuer, &front.years)
        .map(|prev| (continuity::bind(&mut items, &prev), prev.key));
    let text = draft::render(&front, &items);
    report.output = path.display().to_string();
    report::headings(&mut report, &items, &registry, &text);
    if let Some((links, key)) = &carried {
        report::continuity(&mut report, &items, links, key, &text);
    }
    report.dropped = report::Dropped {
        contents_entries: contents.as_ref().map_or(0, |c| c.entries.len()),
        cover_lines: cover.iter().map(|b| b.lines.len()).sum(),
        page_numbers: furniture.page_numbers,
        running_header_lines: furniture.running_lines,
        running_header_texts: furniture.running_texts.clone(),
        back_cover_lines: furniture.back_cover_lines,
        repeated_blocks: furniture.repeated_blocks,
        tags_converted: stats.tags_converted,
        hyphenations_joined: stats.hyphenations_joined,
        paragraphs_rejoined: stats.paragraphs_rejoined,
    };
    report.recognised = front;
    Ok(Draft { path, text, report })
}

/// What the front matter is read from, besides the headings.
struct Recognised<'a> {
    opts: &'a ImportOptions,
    issuer: &'a issuer::Issuer,
    kreds: &'a crate::init::national::Kreds,
    cover: &'a [Block],
    from_pdf: bool,
}

impl Recognised<'_> {
    /// The plan's front matter, from its cover and its body (`extra`: the contents
    /// list's entries and the running headers, where the plan's printed titles may
    /// stand too); an error when the file is not a plan of this issuer.
    fn front(
        &self,
        extra: &[String],
        items: &[Item],
        report: &mut Report,
    ) -> Result<front::Front, ImportError> {
        let mut front = front::Front::default();
        front::read_cover(self.cover, extra, &mut front);
        if front.kind.is_none() {
            return Err(not_a_plan(
                &self.opts.file,
                "no title names a samarbejdsplan or handleplan",
            ));
        }
        years(self.opts, &mut front, report)?;
        check_kind(&front, self.issuer)?;
        front.publisher = front
            .subtitle
            .clone()
            .unwrap_or_else(|| self.issuer.publisher());
        if let Some(other) = other_kommune(self.issuer, front.subtitle.as_deref()) {
            // Refused: imported under the wrong kommune, the plan is published as that
            // kommune's, and nothing later notices (a note at the report's end was
            // missed). `--force` is for a cover that is itself wrong.
            if !self.opts.other_cover {
                return Err(ImportError::new(format!(
                    "the cover names {other:?}, but --issuer {} is {}",
                    self.opts.issuer, self.issuer.name
                ))
                .with_help(
                    "give the kommune the cover names as --issuer; if the cover itself is wrong, add --other-cover",
                ));
            }
            report.notes.push(format!(
                "the cover names {other:?}, but the plan is imported for {} (--other-cover)",
                self.issuer.name
            ));
        }
        front.format = self.from_pdf.then(|| "PDF".to_string());
        front::read_body(items, self.kreds, &mut front);
        report.notes.extend(front.doubts.iter().cloned());
        if front.members.is_empty() {
            front.members = front::cover_council(self.cover, self.kreds);
        }
        Ok(front)
    }
}

/// The cover's publisher line when it names a lokalråd or kommune, but not `issuer`'s
/// kommune: a text imported for the wrong issuer.
fn other_kommune<'a>(issuer: &issuer::Issuer, subtitle: Option<&'a str>) -> Option<&'a str> {
    issuer.kommune.as_ref()?;
    let line = subtitle?;
    let lower = line.to_lowercase();
    let own = issuer.name.trim_end_matches(" Kommune").to_lowercase();
    let names_one = lower.contains("lokalråd") || lower.contains("kommune");
    (names_one && !lower.contains(&own)).then_some(line)
}

fn not_a_plan(file: &Path, why: &str) -> ImportError {
    ImportError::new(format!("{} does not look like a plan: {why}", file.display())).with_help(
        "planspor imports a kredsråd's samarbejdsplan or a lokalråd's handleplan; its cover names the plan and year, e.g. \"HANDLEPLAN 2026\"",
    )
}

/// The registry of the site being imported into.
fn registry(loaded: &crate::load::Loaded) -> bind::Registry {
    bind::Registry::new(
        loaded
            .indsatser
            .iter()
            .map(|(id, doc)| bind::Entry {
                id: id.clone(),
                title: doc.front.title.clone(),
                aliases: doc.front.aliases.clone(),
            })
            .collect(),
    )
}

/// The cover: everything before the contents list, or the title block(s) at the top.
fn split_cover<'a>(
    blocks: &'a [Block],
    contents: Option<&contents::Contents>,
) -> (&'a [Block], &'a [Block]) {
    if let Some(c) = contents {
        return (&blocks[..c.blocks.start], &blocks[c.blocks.end..]);
    }
    let title = blocks
        .iter()
        .take(3)
        .position(|b| front::plan_title(&b.joined().replace(['#', '*'], "")).is_some());
    match title {
        Some(t) => {
            let short =
                |b: &Block| b.lines.len() == 1 && b.joined().split_whitespace().count() <= 12;
            let end = if blocks.get(t + 1).is_some_and(short) {
                t + 2
            } else {
                t + 1
            };
            (&blocks[..end], &blocks[end..])
        }
        None => (&blocks[..0], blocks),
    }
}

/// The years: from the title, or `--year`; an error if neither says.
fn years(
    opts: &ImportOptions,
    front: &mut front::Front,
    report: &mut Report,
) -> Result<(), ImportError> {
    match opts.year {
        Some(y) => {
            if !front.years.is_empty() && !front.years.contains(&y) {
                report.notes.push(format!(
                    "the title says {:?}; --year {y} was used instead",
                    front.years
                ));
            }
            if !front.years.contains(&y) {
                front.years = vec![y];
            }
            Ok(())
        }
        None if front.years.is_empty() => Err(ImportError::new(format!(
            "{} does not state the plan's year",
            opts.file.display()
        ))
        .with_help("give it with --year, e.g. --year 2026")),
        None => Ok(()),
    }
}

fn check_kind(front: &front::Front, issuer: &issuer::Issuer) -> Result<(), ImportError> {
    match front.kind {
        Some(k) if k != issuer.kind() => Err(ImportError::new(format!(
            "this is a {}, but `{}` issues {}er",
            k.as_str(),
            issuer.kommune.as_deref().unwrap_or(&issuer.kreds),
            issuer.kind().as_str()
        ))
        .with_help(if k == crate::load::PlanKind::Handleplan {
            "a handleplan is a lokalråd's: give the kommune's slug as --issuer"
        } else {
            "a samarbejdsplan is a kredsråd's: give the kreds's slug as --issuer"
        })),
        _ => Ok(()),
    }
}

/// A district outside the national data (a test site): its name and no kommuner.
fn stand_in(issuer: &issuer::Issuer) -> crate::init::national::Kreds {
    crate::init::national::Kreds {
        name: issuer.name.clone(),
        short_name: issuer.kreds.clone(),
        slug: issuer.kreds.clone(),
        kommuner: Vec::new(),
    }
}
