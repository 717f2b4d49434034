//! `planspor new plan`: an empty plan for a year with the issuer's previous plan's
//! chapters and bindings, so this year's text is written into last year's structure.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{issuer, ImportError};
use crate::init::quote;
use crate::load::body::{RawSection, ANCHOR_KEY};
use crate::load::LoadedPlan;

/// Writes `<kind>-<year>.md` for the issuer; returns its path relative to the root and
/// the previous plan it was modelled on, if any. Never overwrites.
pub fn new_plan(
    root: &Path,
    slug: &str,
    year: i64,
) -> Result<(PathBuf, Option<PathBuf>), ImportError> {
    let range = crate::model::YEAR_RANGE;
    if !range.contains(&year) {
        return Err(
            ImportError::new(format!("impossible year {year}")).with_help(format!(
                "years run from {} to {}",
                range.start(),
                range.end()
            )),
        );
    }
    let (loaded, _) = crate::load::load(root);
    let who = issuer::resolve(root, &loaded, slug)?;
    let rel = who.plan_path(&[year]);
    if root.join(&rel).exists() {
        return Err(
            ImportError::new(format!("{} already exists", rel.display()))
                .with_help("edit it, or remove it first"),
        );
    }
    let issuers = |p: &&LoadedPlan| p.kreds == who.kreds && p.kommune == who.kommune;
    // A multi-year plan covering the year: a second plan for it would fail the build.
    if let Some(p) = loaded
        .plans
        .iter()
        .filter(issuers)
        .find(|p| p.file_years.contains(&year))
    {
        return Err(ImportError::new(format!(
            "{} already covers {year}",
            p.doc.file.path.display()
        ))
        .with_help("an issuer has one plan per year: edit that plan, or choose another year"));
    }
    let previous = loaded
        .plans
        .iter()
        .filter(issuers)
        .filter(|p| p.file_years.last().is_some_and(|&y| y < year))
        .max_by_key(|p| p.file_years.last().copied());
    let text = match previous {
        Some(p) => from_previous(p, year),
        None => fresh(&who, year),
    };
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| ImportError::new(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&path, text)
        .map_err(|e| ImportError::new(format!("cannot write {}: {e}", path.display())))?;
    Ok((rel, previous.map(|p| p.doc.file.path.clone())))
}

/// Last year's front matter essentials and headings, its years replaced by `year`.
fn from_previous(p: &LoadedPlan, year: i64) -> String {
    let f = &p.doc.front;
    let olds: Vec<String> = p.file_years.iter().map(i64::to_string).collect();
    // A multi-year plan's range ("2024–2025", "2024-2025") becomes the one year, then
    // any single year left does.
    let ranges: Vec<String> = match (olds.first(), olds.last()) {
        (Some(a), Some(b)) if a != b => ["–", "-", " – ", " - ", "—"]
            .iter()
            .map(|sep| format!("{a}{sep}{b}"))
            .collect(),
        _ => Vec::new(),
    };
    let new_year = |s: &str| {
        let y = year.to_string();
        let s = ranges
            .iter()
            .fold(s.to_string(), |acc, r| acc.replace(r.as_str(), &y));
        olds.iter().fold(s, |acc, o| acc.replace(o.as_str(), &y))
    };
    let mut s = format!(
        "+++\nkind = {}\nyear = {year}\ndraft = true # not published while this line is here: remove it once the plan is approved\ntitle = {}\n",
        quote(p.kind.as_str()),
        quote(&new_year(&f.title))
    );
    if let Some(sub) = &f.subtitle {
        let _ = writeln!(s, "subtitle = {}", quote(sub));
    }
    if let Some(src) = &f.source {
        if let Some(publisher) = &src.publisher {
            let _ = write!(s, "\n[source]\npublisher = {}\n", quote(publisher));
        }
    }
    s.push_str("+++\n");
    for sec in &p.doc.body.sections {
        let _ = write!(s, "\n{}\n", heading(sec, &new_year));
    }
    s
}

/// A heading as written, with its attribute block.
fn heading(sec: &RawSection, new_year: &dyn Fn(&str) -> String) -> String {
    let mut line = format!(
        "{} {}",
        "#".repeat(sec.level as usize),
        new_year(&sec.title_md)
    );
    if !sec.attrs.is_empty() {
        let attrs: Vec<String> = sec
            .attrs
            .iter()
            .map(|a| match &a.value {
                Some(v) if a.key == ANCHOR_KEY => format!("#{v}"),
                Some(v) => format!("{}={}", a.key, v.replace(' ', "")),
                None => a.key.clone(),
            })
            .collect();
        let _ = write!(line, " {{{}}}", attrs.join(" "));
    }
    line
}

/// The issuer's first plan: a title and an indsatsområder chapter to fill in.
fn fresh(who: &issuer::Issuer, year: i64) -> String {
    let kind = who.kind().as_str();
    let mut title = kind.to_string();
    title[..1].make_ascii_uppercase();
    format!(
        "+++\nkind = {}\nyear = {year}\ndraft = true # not published while this line is here: remove it once the plan is approved\ntitle = {}\n\n[source]\npublisher = {}\n+++\n\n## Indledning\n\n## Indsatsområder {{indsatser}}\n",
        quote(kind),
        quote(&format!("{title} {year}")),
        quote(&who.publisher())
    )
}
