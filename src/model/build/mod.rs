//! Builds the [`Site`] from loaded files, validating everything that spans files.

mod front;
mod patch;
mod plan;
mod sections;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::text::normalize_title;
use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use front::check_url;
pub use front::{find_value_span, front_key_span};
pub use patch::{update_plans, NotPatchable};
use plan::plan;

/// Years a plan may plausibly carry.
pub const YEAR_RANGE: std::ops::RangeInclusive<i64> = 1990..=2100;

/// Validates and cross-links `loaded` into a [`Site`]. Problems go into `diags`; the
/// site is returned even with errors so that `check` can report everything at once.
pub fn build(config: Config, loaded: Loaded, diags: &mut Diagnostics) -> Site {
    let mut laps = crate::timing::Laps::start();
    let front = match loaded.front {
        Some(doc) => FrontPage {
            body_md: doc.body_markdown(),
            title: doc.front.title,
            description: doc.front.description,
        },
        None => FrontPage {
            title: config.title.clone(),
            description: config.description.clone(),
            body_md: String::new(),
        },
    };

    // Links publishers give in front matter end up as `href`s: only web and mail
    // addresses may, never `javascript:` or `data:` URLs.
    for (_, doc) in &loaded.kredse {
        check_url(
            &doc.file,
            &doc.front_span,
            "website",
            doc.front.website.as_deref(),
            diags,
        );
    }
    for (_, _, doc) in &loaded.kommuner {
        check_url(
            &doc.file,
            &doc.front_span,
            "website",
            doc.front.website.as_deref(),
            diags,
        );
    }

    // Kredse, by slug.
    let mut kredse: Vec<Kreds> = loaded
        .kredse
        .into_iter()
        .map(|(slug, doc)| {
            let f = &doc.front;
            Kreds {
                short_name: f.short_name.clone().unwrap_or_else(|| f.name.clone()),
                council: f
                    .council
                    .clone()
                    .unwrap_or_else(|| format!("Kredsrådet i {}", f.name)),
                name: f.name.clone(),
                website: f.website.clone(),
                body_md: doc.body_markdown(),
                file: doc.file.path.clone(),
                slug,
                kommuner: Vec::new(),
                plans: Vec::new(),
            }
        })
        .collect();
    kredse.sort_by(|a, b| a.slug.cmp(&b.slug));
    for k in &loaded.kreds_dirs {
        // An _index.md that is there but broken was reported where it is broken.
        let has_index = loaded.index_files.contains(&(k.clone(), None));
        if !has_index && kredse.binary_search_by(|x| x.slug.as_str().cmp(k)).is_err() {
            diags.push(
                Diagnostic::error(
                    format!("content/kredse/{k}"),
                    format!("kreds folder `{k}` has no _index.md"),
                )
                .with_help("add _index.md with at least `name = \"…\"` in its front matter"),
            );
        }
    }
    let kreds_slugs: Vec<String> = kredse.iter().map(|k| k.slug.clone()).collect();
    let kreds_idx = |slug: &str| kreds_slugs.binary_search_by(|x| x.as_str().cmp(slug)).ok();

    // Kommuner, by slug; slugs are national (URL /kommuner/<slug>/).
    let mut kommuner: Vec<Kommune> = Vec::new();
    let mut kommune_files: HashMap<String, SourceFile> = HashMap::new();
    for (k, m, doc) in loaded.kommuner {
        let Some(ki) = kreds_idx(&k) else { continue };
        if let Some(prev) = kommune_files.get(&m) {
            diags.push(
                Diagnostic::error(
                    &doc.file.path,
                    format!("kommune `{m}` also exists in {}", prev.path.display()),
                )
                .with_help("a kommune belongs to exactly one kreds; its slug must be unique"),
            );
            continue;
        }
        kommune_files.insert(m.clone(), doc.file.clone());
        if let Some(d) = super::names::check_kommune_folder(&k, &m, &doc) {
            diags.push(d);
        }
        let f = &doc.front;
        kommuner.push(Kommune {
            full_name: f
                .full_name
                .clone()
                .unwrap_or_else(|| format!("{} Kommune", f.name)),
            name: f.name.clone(),
            website: f.website.clone(),
            body_md: doc.body_markdown(),
            file: doc.file.path.clone(),
            slug: m,
            kreds: ki,
            plans: Vec::new(),
        });
    }
    kommuner.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (k, m) in &loaded.kommune_dirs {
        let has_index = loaded.index_files.contains(&(k.clone(), Some(m.clone())));
        if !has_index && !kommune_files.contains_key(m) && kreds_idx(k).is_some() {
            diags.push(
                Diagnostic::error(
                    format!("content/kredse/{k}/kommuner/{m}"),
                    format!("kommune folder `{m}` has no _index.md"),
                )
                .with_help("add _index.md with at least `name = \"…\"` in its front matter"),
            );
        }
    }
    for (i, m) in kommuner.iter().enumerate() {
        kredse[m.kreds].kommuner.push(i);
    }
    let kommune_idx = |slug: &str| {
        kommuner
            .binary_search_by(|x| x.slug.as_str().cmp(slug))
            .ok()
    };

    // The registry; each file's text kept to locate title clashes in it.
    let registry_sources: HashMap<String, (Arc<str>, Range<usize>)> = loaded
        .indsatser
        .iter()
        .map(|(id, doc)| (id.clone(), (doc.file.text.clone(), doc.front_span.clone())))
        .collect();
    let mut indsatser: Vec<Indsats> = loaded
        .indsatser
        .into_iter()
        .map(|(id, doc)| Indsats {
            id,
            title: doc.front.title.clone(),
            aliases: doc.front.aliases.clone(),
            theme: doc.front.theme.clone(),
            description: doc.front.description.clone(),
            body_md: doc.body_markdown(),
            file: doc.file.path.clone(),
            occurrences: Vec::new(),
            issuers: Vec::new(),
        })
        .collect();
    indsatser.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<String> = indsatser.iter().map(|i| i.id.clone()).collect();
    let titles = title_index(&indsatser, &registry_sources, diags);

    // Plans.
    let mut plans: Vec<Plan> = Vec::new();
    for lp in loaded.plans {
        let issuer = match &lp.kommune {
            None => match kreds_idx(&lp.kreds) {
                Some(k) => Issuer::Kreds(k),
                None => continue,
            },
            Some(m) => match kommune_idx(m) {
                Some(i) if kommuner[i].kreds == kreds_idx(&lp.kreds).unwrap_or(usize::MAX) => {
                    Issuer::Kommune(i)
                }
                _ => {
                    if !loaded
                        .index_files
                        .contains(&(lp.kreds.clone(), Some(m.clone())))
                    {
                        diags.push(Diagnostic::error(
                            &lp.doc.file.path,
                            format!("plan of kommune `{m}`, which has no _index.md"),
                        ));
                    }
                    continue;
                }
            },
        };
        if let Some(p) = plan(lp, issuer, &kredse, &kommuner, &ids, &titles, diags) {
            plans.push(p);
        }
    }
    plans.sort_by(|a, b| (a.issuer, &a.years).cmp(&(b.issuer, &b.years)));

    // Two plans of one issuer covering one year cannot both be "the" plan of that year.
    for w in plans.windows(2) {
        if w[0].issuer == w[1].issuer && w[0].years.iter().any(|y| w[1].years.contains(y)) {
            diags.push(
                Diagnostic::error(
                    &w[1].file,
                    format!(
                        "{} also covers {}",
                        w[0].file.display(),
                        overlap(&w[0].years, &w[1].years)
                    ),
                )
                .with_help("an issuer has one plan per year; merge the files or fix the year"),
            );
        }
    }

    // Cross-links: issuer → plans, previous/next, indsatsområde → occurrences.
    for i in 0..plans.len() {
        match plans[i].issuer {
            Issuer::Kreds(k) => kredse[k].plans.push(i),
            Issuer::Kommune(m) => kommuner[m].plans.push(i),
        }
        if i > 0 && plans[i - 1].issuer == plans[i].issuer {
            plans[i].prev = Some(i - 1);
            plans[i - 1].next = Some(i);
        }
    }
    link_occurrences(&plans, &mut indsatser);

    let mut years: Vec<i64> = plans.iter().flat_map(|p| p.years.iter().copied()).collect();
    years.sort_unstable();
    years.dedup();

    let mut site = Site {
        config,
        front,
        kredse,
        kommuner,
        plans,
        indsatser,
        years,
        evolution: evolution::Evolution::default(),
    };
    set_issuers(&mut site);
    laps.lap("model");
    site.evolution = evolution::Evolution::compute(&site);
    laps.lap("evolution");
    site
}

/// Each indsatsområde's issuers, in issuer order: those whose plans bind it or name it
/// as a sub-area (`omfatter=`). Serve's patches never change them (an issuer gaining or
/// losing one is a change of shape), so they are set here only.
fn set_issuers(site: &mut Site) {
    let mut by: Vec<Vec<Issuer>> = vec![Vec::new(); site.indsatser.len()];
    for plan in &site.plans {
        for s in &plan.sections {
            for &i in s.bindings.iter().chain(&s.covers) {
                by[i].push(plan.issuer);
            }
        }
    }
    for (i, mut v) in by.into_iter().enumerate() {
        v.sort_by_cached_key(|&x| site.issuer_rank(x));
        v.dedup();
        site.indsatser[i].issuers = v;
    }
}

/// Normalised title/alias → indsatsområde, for automatic binding. Two indsatsområder
/// claiming one title would make binding ambiguous: an error.
/// `sources`: each entry's text and front-matter range by id, to locate a clash at the
/// title or alias in the second file.
fn title_index(
    indsatser: &[Indsats],
    sources: &HashMap<String, (Arc<str>, Range<usize>)>,
    diags: &mut Diagnostics,
) -> HashMap<String, usize> {
    let mut titles: HashMap<String, usize> = HashMap::new();
    for (i, ind) in indsatser.iter().enumerate() {
        for t in std::iter::once(&ind.title).chain(ind.aliases.iter()) {
            let n = normalize_title(t);
            if n.is_empty() {
                continue;
            }
            match titles.get(&n) {
                Some(&j) if j != i => {
                    let mut d = Diagnostic::error(
                        &ind.file,
                        format!(
                            "title `{t}` is also a title or alias of `{}`",
                            indsatser[j].id
                        ),
                    )
                    .with_help(format!(
                        "each title may belong to one indsatsområde; remove it here or from content/indsatsomraader/{}.md",
                        indsatser[j].id
                    ));
                    if let Some((text, front)) = sources.get(&ind.id) {
                        let span = find_value_span(text, front, t)
                            .unwrap_or_else(|| front_key_span(text, front, "aliases"));
                        d = d.at(text, span);
                    }
                    diags.push(d);
                }
                _ => {
                    titles.insert(n, i);
                }
            }
        }
    }
    titles
}

/// Fills each indsatsområde's occurrences from the plans' bindings, in plan order.
fn link_occurrences(plans: &[Plan], indsatser: &mut [Indsats]) {
    for ind in indsatser.iter_mut() {
        ind.occurrences.clear();
    }
    for (i, plan) in plans.iter().enumerate() {
        for (s, sec) in plan.sections.iter().enumerate() {
            for &b in &sec.bindings {
                indsatser[b].occurrences.push((i, s));
            }
        }
    }
}

fn overlap(a: &[i64], b: &[i64]) -> String {
    a.iter()
        .filter(|y| b.contains(y))
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
