//! One plan file, validated and turned into a [`Plan`].

use std::ops::Range;

use toml::value::Datetime;

use super::front::{check_url, find_value_span, front_key_span};
use super::sections::{sections, Registry};
use super::YEAR_RANGE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::frontmatter::{LocalPriority, PlanFront};
use crate::load::LoadedPlan;
use crate::model::names;
use crate::model::*;

/// Validates one plan file and builds its [`Plan`]. Without an `issuer` (its kreds or
/// kommune file is missing or has errors, reported there) the plan is still checked,
/// so that one run reports every problem, but not built.
pub(super) fn plan(
    mut lp: LoadedPlan,
    issuer: Option<Issuer>,
    kredse: &[Kreds],
    kommuner: &[Kommune],
    reg: &Registry,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let f: &PlanFront = &lp.doc.front;
    let kind_ok = check_kind(&lp, diags);
    let years = years(&lp, diags)?;
    let years_ok = check_file_years(&lp, &years, diags);
    check_title(&lp, diags);
    let source_ok = check_source(&lp, diags);
    let approved = f
        .approved
        .as_ref()
        .and_then(|d| date(&lp, d, "approved", diags));
    let meetings = meetings(&lp, diags);
    let sections = sections(&lp.doc.file, &mut lp.doc.body, reg, diags);
    warn_if_binding_nothing(&lp, &sections, diags);
    let issuer = issuer?;
    let local_priorities = local_priorities(&lp, issuer, kredse, kommuner, diags);

    if !(kind_ok && years_ok && source_ok) {
        return None;
    }
    Some(Plan {
        kind: lp.kind,
        issuer,
        key: fmt_key(&years),
        years,
        title: f.title.clone(),
        subtitle: f.subtitle.clone(),
        summary: f.summary.clone(),
        approved,
        approved_place: f.approved_place.clone(),
        source: f.source.clone(),
        signatories: f.signatories.clone(),
        members: f.members.clone(),
        meetings,
        local_priorities,
        statistics: f.statistics.clone(),
        intro_md: lp.doc.body.intro.clone(),
        sections,
        file: lp.doc.file.path.clone(),
        draft: f.draft,
        prev: None,
        next: None,
    })
}

/// A plan that binds no indsatsområde (a file with front matter only, or headings that
/// match nothing): published, every indsatsområde of its issuer's previous plan would
/// read "udgået" in it, which no reader of the plan would say.
fn warn_if_binding_nothing(lp: &LoadedPlan, sections: &[Section], diags: &mut Diagnostics) {
    if sections
        .iter()
        .any(|s| !s.bindings.is_empty() || !s.covers.is_empty())
    {
        return;
    }
    let text = &lp.doc.file.text;
    let empty = sections.is_empty() && lp.doc.body.intro.trim().is_empty();
    let message = if empty {
        "the plan has no text after its front matter"
    } else {
        "no section of the plan is bound to an indsatsområde"
    };
    let end = lp.doc.front_span.end.min(text.len());
    let line = text[..end].matches('\n').count() + 1;
    diags.push(
        Diagnostic::warning(&lp.doc.file.path, message)
            .at_line(text, line)
            .with_help(
                "published, every indsatsområde of the issuer's previous plan is shown as udgået in it: \
                 write the plan's text, with headings named as in the registry or marked `{indsats=…}`, before publishing \
                 (`draft = true` in its front matter keeps it out of the site until then)",
            ),
    );
}

/// Takes the plans marked `draft = true` out of `loaded`, each with a warning at its
/// `draft` key, so that a build says why a plan is missing from the site.
pub fn leave_out_drafts(loaded: &mut crate::load::Loaded, diags: &mut Diagnostics) {
    loaded.plans.retain(|lp| {
        if lp.doc.front.draft {
            diags.push(
                Diagnostic::warning(&lp.doc.file.path, "a draft: this plan is not published")
                    .at(&lp.doc.file.text, key_at(lp, "draft"))
                    .with_help(
                        "remove `draft = true` to publish it; `--drafts` shows drafts in `serve` and `build`",
                    ),
            );
        }
        !lp.doc.front.draft
    });
}

/// Byte range of `key = …` in the plan's front matter, for locating errors in it.
fn key_at(lp: &LoadedPlan, key: &str) -> Range<usize> {
    front_key_span(&lp.doc.file.text, &lp.doc.front_span, key)
}

/// The key the plan gives its years with: `year` or `years`.
fn years_key(f: &PlanFront) -> &'static str {
    if f.year.is_some() {
        "year"
    } else {
        "years"
    }
}

/// The front matter's `kind` must be the one the file name says; false if not.
fn check_kind(lp: &LoadedPlan, diags: &mut Diagnostics) -> bool {
    let (file, f) = (&lp.doc.file, &lp.doc.front);
    if f.kind == lp.kind.as_str() {
        return true;
    }
    diags.push(
        Diagnostic::error(
            &file.path,
            format!(
                "kind is `{}` but the file name says `{}`",
                f.kind,
                lp.kind.as_str()
            ),
        )
        .at(&file.text, key_at(lp, "kind"))
        .with_help(format!(
            "a {} file has `kind = \"{}\"`",
            lp.kind.as_str(),
            lp.kind.as_str()
        )),
    );
    false
}

/// The years the plan covers, ascending, from `year` or `years`. Without them, with
/// both, or with an impossible year there is no plan: `None`, reported.
fn years(lp: &LoadedPlan, diags: &mut Diagnostics) -> Option<Vec<i64>> {
    let (file, f) = (&lp.doc.file, &lp.doc.front);
    let mut years: Vec<i64> = match (&f.year, &f.years) {
        (Some(y), None) => vec![*y],
        (None, Some(ys)) => ys.clone(),
        (Some(_), Some(_)) => {
            diags.push(
                Diagnostic::error(&file.path, "both `year` and `years` are set")
                    .at(&file.text, key_at(lp, "years"))
                    .with_help("use `year = 2026` for a one-year plan or `years = [2025, 2026]` for a multi-year plan"),
            );
            return None;
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(&file.path, "missing required key `year`")
                    .at(
                        &file.text,
                        lp.doc.front_span.start..lp.doc.front_span.start + 1,
                    )
                    .with_help("add `year = <year>` (or `years = [first, …, last]`)"),
            );
            return None;
        }
    };
    if let Some(y) = years.iter().find(|y| !YEAR_RANGE.contains(y)) {
        diags.push(
            Diagnostic::error(&file.path, format!("impossible year {y}"))
                .at(&file.text, key_at(lp, years_key(f)))
                .with_help(format!(
                    "years run from {} to {}",
                    YEAR_RANGE.start(),
                    YEAR_RANGE.end()
                )),
        );
        return None;
    }
    years.sort_unstable();
    years.dedup();
    Some(years)
}

/// The plan's years must be the ones in its file name (the plan's key); false if not.
fn check_file_years(lp: &LoadedPlan, years: &[i64], diags: &mut Diagnostics) -> bool {
    let (file, f) = (&lp.doc.file, &lp.doc.front);
    if years == lp.file_years {
        return true;
    }
    let (msg, help) = crate::model::years::mismatch(years, &lp.file_years, f.year.is_some());
    diags.push(
        Diagnostic::error(&file.path, msg)
            .at(&file.text, key_at(lp, years_key(f)))
            .with_help(help),
    );
    false
}

/// An empty title is an error (the plan is still built, to check the rest against it).
fn check_title(lp: &LoadedPlan, diags: &mut Diagnostics) {
    let file = &lp.doc.file;
    if lp.doc.front.title.trim().is_empty() {
        diags.push(
            Diagnostic::error(&file.path, "title is empty").at(&file.text, key_at(lp, "title")),
        );
    }
}

/// The source's `url` becomes a link: it must be a web address; false if not.
fn check_source(lp: &LoadedPlan, diags: &mut Diagnostics) -> bool {
    let Some(src) = &lp.doc.front.source else {
        return true;
    };
    check_url(
        &lp.doc.file,
        &lp.doc.front_span,
        "url",
        src.url.as_deref(),
        diags,
    )
}

/// A front-matter date, `key = <date>`: a plausible day without time, or `None`, reported.
fn date(lp: &LoadedPlan, d: &Datetime, key: &str, diags: &mut Diagnostics) -> Option<Date> {
    let file = &lp.doc.file;
    match (d.date, d.time) {
        (Some(dt), None) if !YEAR_RANGE.contains(&(dt.year as i64)) => {
            diags.push(
                Diagnostic::error(&file.path, format!("impossible date {d} in `{key}`"))
                    .at(&file.text, date_span(lp, d, key))
                    .with_help(format!(
                        "years run from {} to {}",
                        YEAR_RANGE.start(),
                        YEAR_RANGE.end()
                    )),
            );
            None
        }
        (Some(dt), None) => Some(Date {
            year: dt.year as i64,
            month: dt.month,
            day: dt.day,
        }),
        _ => {
            diags.push(
                Diagnostic::error(
                    &file.path,
                    format!("`{key}` must be a date like 2025-12-19, without time"),
                )
                .at(&file.text, key_at(lp, key)),
            );
            None
        }
    }
}

/// A meeting date is located at its value (`date` is a key in every meeting).
fn date_span(lp: &LoadedPlan, d: &Datetime, key: &str) -> Range<usize> {
    let front_span = &lp.doc.front_span;
    let front = &lp.doc.file.text[front_span.clone()];
    front
        .find(&d.to_string())
        .map(|i| front_span.start + i..front_span.start + i + d.to_string().len())
        .unwrap_or_else(|| key_at(lp, key))
}

/// The meetings, in front-matter order; one with a bad date is left out, reported.
fn meetings(lp: &LoadedPlan, diags: &mut Diagnostics) -> Vec<Meeting> {
    lp.doc
        .front
        .meetings
        .iter()
        .filter_map(|m| {
            Some(Meeting {
                date: date(lp, &m.date, "date", diags)?,
                time: m.time.clone(),
                place: m.place.clone(),
                // A blank note is none.
                note: (m.note.as_deref().map(str::trim))
                    .filter(|n| !n.is_empty())
                    .map(String::from),
            })
        })
        .collect()
}

/// A samarbejdsplan's local priorities, each for a kommune of its kreds. They belong in
/// a district's samarbejdsplan only: in a handleplan they are one error, and none.
fn local_priorities(
    lp: &LoadedPlan,
    issuer: Issuer,
    kredse: &[Kreds],
    kommuner: &[Kommune],
    diags: &mut Diagnostics,
) -> Vec<LocalPriorities> {
    let (file, f) = (&lp.doc.file, &lp.doc.front);
    let kreds = match issuer {
        Issuer::Kreds(k) => &kredse[k],
        Issuer::Kommune(_) => {
            if !f.local_priorities.is_empty() {
                diags.push(
                    Diagnostic::error(
                        &file.path,
                        "local_priorities belong in a district's samarbejdsplan",
                    )
                    .at(&file.text, key_at(lp, "local_priorities")),
                );
            }
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for lpri in &f.local_priorities {
        if let Some(p) = local_priority(lp, lpri, kreds, kommuner, diags) {
            out.push(p);
        }
    }
    out
}

/// One kommune's local priorities; the kommune, given by slug or name, must be one of
/// `kreds`'s, else an error at the name with the nearest slug as help, and `None`.
fn local_priority(
    lp: &LoadedPlan,
    lpri: &LocalPriority,
    kreds: &Kreds,
    kommuner: &[Kommune],
    diags: &mut Diagnostics,
) -> Option<LocalPriorities> {
    let file = &lp.doc.file;
    let known: Vec<&Kommune> = kreds.kommuner.iter().map(|&m| &kommuner[m]).collect();
    let refers = |k: &&Kommune| names::refers_to(&lpri.kommune, &k.slug, &k.name, &k.full_name);
    if let Some(p) = known.iter().position(refers) {
        return Some(LocalPriorities {
            kommune: kreds.kommuner[p],
            items: lpri.items.clone(),
        });
    }
    let span = find_value_span(&file.text, &lp.doc.front_span, &lpri.kommune)
        .unwrap_or_else(|| key_at(lp, "local_priorities"));
    let mut d = Diagnostic::error(
        &file.path,
        format!("`{}` is not a kommune of {}", lpri.kommune, kreds.name),
    )
    .at(&file.text, span);
    let slugs: Vec<(&str, String)> = known
        .iter()
        .map(|k| (k.slug.as_str(), names::expected_slug(&k.name)))
        .collect();
    if let Some(help) = names::suggest(&lpri.kommune, &slugs) {
        d = d.with_help(help);
    }
    diags.push(d);
    None
}

/// `[2025, 2026]` → `2025-2026`.
pub fn fmt_key(years: &[i64]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}
