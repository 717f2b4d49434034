//! One plan file, validated and turned into a [`Plan`].

use std::collections::HashMap;

use super::front::{check_url, find_value_span, front_key_span};
use super::sections::sections;
use super::YEAR_RANGE;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::frontmatter::PlanFront;
use crate::load::LoadedPlan;
use crate::model::*;

/// Validates one plan file and builds its [`Plan`].
pub(super) fn plan(
    lp: LoadedPlan,
    issuer: Issuer,
    kredse: &[Kreds],
    kommuner: &[Kommune],
    ids: &[String],
    titles: &HashMap<String, usize>,
    diags: &mut Diagnostics,
) -> Option<Plan> {
    let file = &lp.doc.file;
    let f: &PlanFront = &lp.doc.front;
    let key_at = |key: &str| front_key_span(&file.text, &lp.doc.front_span, key);
    let mut ok = true;

    if f.kind != lp.kind.as_str() {
        ok = false;
        diags.push(
            Diagnostic::error(
                &file.path,
                format!(
                    "kind is `{}` but the file name says `{}`",
                    f.kind,
                    lp.kind.as_str()
                ),
            )
            .at(&file.text, key_at("kind"))
            .with_help(format!(
                "a {} file has `kind = \"{}\"`",
                lp.kind.as_str(),
                lp.kind.as_str()
            )),
        );
    }
    let years: Vec<i64> = match (&f.year, &f.years) {
        (Some(y), None) => vec![*y],
        (None, Some(ys)) => ys.clone(),
        (Some(_), Some(_)) => {
            diags.push(
                Diagnostic::error(&file.path, "both `year` and `years` are set")
                    .at(&file.text, key_at("years"))
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
    for y in &years {
        if !YEAR_RANGE.contains(y) {
            diags.push(
                Diagnostic::error(&file.path, format!("impossible year {y}"))
                    .at(
                        &file.text,
                        key_at(if f.year.is_some() { "year" } else { "years" }),
                    )
                    .with_help(format!(
                        "years run from {} to {}",
                        YEAR_RANGE.start(),
                        YEAR_RANGE.end()
                    )),
            );
            return None;
        }
    }
    let mut years_sorted = years.clone();
    years_sorted.sort_unstable();
    years_sorted.dedup();
    if years_sorted != lp.file_years {
        ok = false;
        let (msg, help) = super::years::mismatch(&years_sorted, &lp.file_years, f.year.is_some());
        diags.push(
            Diagnostic::error(&file.path, msg)
                .at(
                    &file.text,
                    key_at(if f.year.is_some() { "year" } else { "years" }),
                )
                .with_help(help),
        );
    }
    if f.title.trim().is_empty() {
        diags.push(Diagnostic::error(&file.path, "title is empty").at(&file.text, key_at("title")));
    }
    if let Some(src) = &f.source {
        if !check_url(file, &lp.doc.front_span, "url", src.url.as_deref(), diags) {
            ok = false;
        }
    }

    // A meeting date is located at its value (`date` is a key in every meeting).
    let date_span = |d: &toml::value::Datetime, key: &str| {
        let front = &file.text[lp.doc.front_span.clone()];
        front
            .find(&d.to_string())
            .map(|i| lp.doc.front_span.start + i..lp.doc.front_span.start + i + d.to_string().len())
            .unwrap_or_else(|| key_at(key))
    };
    let date = |d: &toml::value::Datetime, key: &str, diags: &mut Diagnostics| -> Option<Date> {
        match (d.date, d.time) {
            (Some(dt), None) if !YEAR_RANGE.contains(&(dt.year as i64)) => {
                diags.push(
                    Diagnostic::error(&file.path, format!("impossible date {d} in `{key}`"))
                        .at(&file.text, date_span(d, key))
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
                    .at(&file.text, key_at(key)),
                );
                None
            }
        }
    };
    let approved = f.approved.as_ref().and_then(|d| date(d, "approved", diags));
    let meetings: Vec<Meeting> = f
        .meetings
        .iter()
        .filter_map(|m| {
            Some(Meeting {
                date: date(&m.date, "date", diags)?,
                time: m.time.clone(),
                place: m.place.clone(),
            })
        })
        .collect();

    let kreds_of_plan = match issuer {
        Issuer::Kreds(k) => k,
        Issuer::Kommune(m) => kommuner[m].kreds,
    };
    let mut local_priorities = Vec::new();
    for lpri in &f.local_priorities {
        if let Issuer::Kommune(_) = issuer {
            diags.push(
                Diagnostic::error(
                    &file.path,
                    "local_priorities belong in a district's samarbejdsplan",
                )
                .at(&file.text, key_at("local_priorities")),
            );
            break;
        }
        let known: Vec<&Kommune> = kredse[kreds_of_plan]
            .kommuner
            .iter()
            .map(|&m| &kommuner[m])
            .collect();
        let refers =
            |k: &&Kommune| super::names::refers_to(&lpri.kommune, &k.slug, &k.name, &k.full_name);
        match known.iter().position(refers) {
            Some(p) => local_priorities.push(LocalPriorities {
                kommune: kredse[kreds_of_plan].kommuner[p],
                items: lpri.items.clone(),
            }),
            None => {
                let span = find_value_span(&file.text, &lp.doc.front_span, &lpri.kommune)
                    .unwrap_or_else(|| key_at("local_priorities"));
                let mut d = Diagnostic::error(
                    &file.path,
                    format!(
                        "`{}` is not a kommune of {}",
                        lpri.kommune, kredse[kreds_of_plan].name
                    ),
                )
                .at(&file.text, span);
                let slugs: Vec<(&str, String)> = known
                    .iter()
                    .map(|k| (k.slug.as_str(), super::names::expected_slug(&k.name)))
                    .collect();
                if let Some(help) = super::names::suggest(&lpri.kommune, &slugs) {
                    d = d.with_help(help);
                }
                diags.push(d);
            }
        }
    }

    let sections = sections(file, &lp.doc.body, ids, titles, diags);

    if !ok {
        return None;
    }
    Some(Plan {
        kind: lp.kind,
        issuer,
        key: fmt_key(&years_sorted),
        years: years_sorted,
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
        file: file.path.clone(),
        prev: None,
        next: None,
    })
}

/// `[2025, 2026]` → `2025-2026`.
pub fn fmt_key(years: &[i64]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}
