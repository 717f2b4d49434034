//! Builds the [`Site`] from loaded files, validating everything that spans files.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::sync::Arc;

use super::text::normalize_title;
use super::*;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::body::Body;
use crate::load::frontmatter::PlanFront;
use crate::load::{Loaded, LoadedPlan, SourceFile};
use crate::slug::slugify;

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

/// Why [`update_plans`] cannot patch the site in place.
#[derive(Debug)]
pub enum NotPatchable {
    /// Not a plan the site has, or its issuer or years changed: rebuild everything.
    Structural,
    /// The edited plans have errors; the site is unchanged.
    Errors(Diagnostics),
}

/// Serve's fast path: replaces the plans loaded from `edited` files in `site`, as a full
/// [`build`] would have built them, and recomputes what depends on them (occurrences,
/// the evolution of their issuers' plans). Only edits that keep the site's shape are
/// patched: the same files, issuers, years, titles and summaries, and each issuer binding
/// the same indsatsområder, so plan order, previous/next links, the set of pages, what
/// other pages say of the plan, and every cross-file check are as before. On any error the site is left as it was.
/// Returns the indices of the replaced plans and the edited files' warnings.
pub fn update_plans(
    site: &mut Site,
    edited: Vec<LoadedPlan>,
) -> Result<(Vec<usize>, Diagnostics), NotPatchable> {
    let mut diags = Diagnostics::new();
    let titles = title_index(&site.indsatser, &HashMap::new(), &mut Diagnostics::new());
    let ids: Vec<String> = site.indsatser.iter().map(|i| i.id.clone()).collect();
    let mut replaced: Vec<(usize, Plan)> = Vec::new();
    for lp in edited {
        let Some(p) = site.plans.iter().position(|x| x.file == lp.doc.file.path) else {
            return Err(NotPatchable::Structural);
        };
        let old = &site.plans[p];
        let same_issuer = match (old.issuer, &lp.kommune) {
            (Issuer::Kreds(k), None) => site.kredse[k].slug == lp.kreds,
            (Issuer::Kommune(m), Some(slug)) => &site.kommuner[m].slug == slug,
            _ => false,
        };
        if !same_issuer {
            return Err(NotPatchable::Structural);
        }
        let issuer = old.issuer;
        match plan(
            lp,
            issuer,
            &site.kredse,
            &site.kommuner,
            &ids,
            &titles,
            &mut diags,
        ) {
            // The title and summary are shown wherever the plan is listed (search, other
            // issuers' matrices): changing them re-renders everything, rarely needed.
            Some(mut new)
                if new.years == site.plans[p].years
                    && new.title == site.plans[p].title
                    && new.summary == site.plans[p].summary =>
            {
                new.prev = site.plans[p].prev;
                new.next = site.plans[p].next;
                replaced.push((p, new));
            }
            Some(_) => return Err(NotPatchable::Structural),
            None => {}
        }
    }
    if diags.has_errors() {
        return Err(NotPatchable::Errors(diags));
    }
    // An issuer that starts or stops binding an indsatsområde gains or loses a page
    // (its history of it): that is a change of shape too.
    let bound_by = |issuer: Issuer, patched: bool| -> Vec<usize> {
        let mut v: Vec<usize> = site
            .issuer_plans(issuer)
            .iter()
            .flat_map(|&q| {
                let plan = match replaced.iter().find(|(p, _)| patched && *p == q) {
                    Some((_, new)) => new,
                    None => &site.plans[q],
                };
                plan.sections
                    .iter()
                    .flat_map(|s| s.bindings.iter().chain(&s.covers).copied())
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if replaced
        .iter()
        .any(|(_, new)| bound_by(new.issuer, false) != bound_by(new.issuer, true))
    {
        return Err(NotPatchable::Structural);
    }
    let mut issuers: Vec<Issuer> = Vec::new();
    let mut indices = Vec::new();
    for (p, new) in replaced {
        issuers.push(new.issuer);
        site.plans[p] = new;
        indices.push(p);
    }
    link_occurrences(&site.plans, &mut site.indsatser);
    issuers.sort();
    issuers.dedup();
    // A plan's statuses depend on every earlier plan of its issuer (genoptaget) and its
    // diffs on the one before: recompute the issuer's whole chain, a few plans.
    let chain: Vec<usize> = issuers
        .iter()
        .flat_map(|&i| site.issuer_plans(i).to_vec())
        .collect();
    evolution::Evolution::recompute(site, &chain);
    Ok((indices, diags))
}

fn overlap(a: &[i64], b: &[i64]) -> String {
    a.iter()
        .filter(|y| b.contains(y))
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Validates one plan file and builds its [`Plan`].
fn plan(
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

/// Turns raw sections into model sections: tree structure, anchors, bindings.
fn sections(
    file: &SourceFile,
    body: &Body,
    ids: &[String],
    titles: &HashMap<String, usize>,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(body.sections.len());
    let mut used_anchors: BTreeMap<String, usize> = BTreeMap::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, raw) in body.sections.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if out[top].level >= raw.level {
                out[top].end = i;
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();

        let mut anchor = slugify(&raw.title);
        if anchor.is_empty() {
            anchor = "afsnit".into();
        }
        let n = used_anchors.entry(anchor.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            anchor = format!("{anchor}-{n}");
        }

        let attrs = heading_attributes(file, &raw.attrs, ids, diags);
        let HeadingAttributes {
            mut bindings,
            mut binding,
            covers,
            is_chapter,
        } = attrs;
        let matched = titles.get(&normalize_title(&raw.title)).copied();
        match (binding, matched) {
            (Binding::None, Some(ix)) => {
                bindings.push(ix);
                binding = Binding::Automatic;
            }
            (Binding::Explicit, Some(ix)) if !bindings.contains(&ix) => diags.push(
                Diagnostic::warning(
                    &file.path,
                    format!(
                        "this heading is the registered title or an alias of `{}`, but it is bound to {}",
                        ids[ix],
                        bindings.iter().map(|&b| format!("`{}`", ids[b])).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at(&file.text, raw.span.clone())
                .with_help(format!(
                    "add `{}` to the binding if the section is about it too, or remove the title from content/indsatsomraader/{}.md",
                    ids[ix], ids[ix]
                )),
            ),
            _ => {}
        }

        stack.push(out.len());
        out.push(Section {
            level: raw.level,
            title: raw.title.clone(),
            title_md: raw.title_md.clone(),
            anchor,
            line: raw.line,
            own_md: raw.own_md.clone(),
            parent,
            end: body.sections.len(),
            bindings,
            binding,
            covers,
            is_indsats_chapter: is_chapter,
        });
    }
    out
}

/// What a heading's `{…}` block says.
struct HeadingAttributes {
    bindings: Vec<usize>,
    binding: Binding,
    covers: Vec<usize>,
    is_chapter: bool,
}

/// Reads a heading's attributes: `indsatser` (the chapter mark), `indsats=<ids>` (the
/// binding, `-` to opt out) and `omfatter=<ids>` (sub-areas the section covers without
/// a heading of their own). Every problem is reported at the attribute.
fn heading_attributes(
    file: &SourceFile,
    attrs: &[crate::load::body::Attr],
    ids: &[String],
    diags: &mut Diagnostics,
) -> HeadingAttributes {
    let mut out = HeadingAttributes {
        bindings: Vec::new(),
        binding: Binding::None,
        covers: Vec::new(),
        is_chapter: false,
    };
    for a in attrs {
        let value_start = a.span.start + a.key.len() + 1;
        match (a.key.as_str(), a.value.as_deref()) {
            ("indsatser", None) => out.is_chapter = true,
            ("indsatser", Some(_)) => diags.push(
                Diagnostic::error(&file.path, "`indsatser` takes no value")
                    .at(&file.text, a.span.clone())
                    .with_help("write `{indsatser}` to mark the chapter, or `{indsats=<id>}` to bind a section"),
            ),
            ("indsats", Some("-")) => out.binding = Binding::OptedOut,
            ("indsats", Some(v)) if !v.is_empty() => {
                out.binding = Binding::Explicit;
                out.bindings = id_list(file, v, value_start, ids, diags);
            }
            ("omfatter", Some(v)) if !v.is_empty() => {
                out.covers = id_list(file, v, value_start, ids, diags);
            }
            (key, _) => diags.push(
                Diagnostic::error(&file.path, format!("`{key}` needs a value"))
                    .at(&file.text, a.span.clone())
                    .with_help(format!("write `{{{key}=<id>}}` or `{{{key}=<id1>,<id2>}}`")),
            ),
        }
    }
    if out.binding != Binding::Explicit {
        if let Some(a) = attrs.iter().find(|a| a.key == "omfatter") {
            diags.push(
                Diagnostic::error(&file.path, "`omfatter` without `indsats`")
                    .at(&file.text, a.span.clone())
                    .with_help("a section covers sub-areas of the indsatsområde it is bound to: write `{indsats=<id> omfatter=<id1>,<id2>}`"),
            );
        }
    }
    out.covers.retain(|c| !out.bindings.contains(c));
    out
}

/// The ids of a comma-separated list (`a,b` or `a, b`), each checked against the
/// registry; `start` is the list's byte offset in the file, for locating errors.
fn id_list(
    file: &SourceFile,
    list: &str,
    start: usize,
    ids: &[String],
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = start;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let id = part.trim();
        let span = offset + lead..offset + lead + id.len().max(1);
        offset += part.len() + 1;
        match ids.binary_search_by(|x| x.as_str().cmp(id)) {
            Ok(ix) if out.contains(&ix) => diags.push(
                Diagnostic::warning(&file.path, format!("`{id}` is listed twice"))
                    .at(&file.text, span)
                    .with_help("list each indsatsområde once"),
            ),
            Ok(ix) => out.push(ix),
            Err(_) => diags.push(unknown_id(file, id, span, ids)),
        }
    }
    out
}

fn unknown_id(file: &SourceFile, id: &str, span: Range<usize>, ids: &[String]) -> Diagnostic {
    let is_slug = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let d =
        Diagnostic::error(&file.path, format!("unknown indsatsområde `{id}`")).at(&file.text, span);
    if let Some(s) = did_you_mean(id, ids.iter().map(String::as_str)) {
        return d.with_help(format!("did you mean `{s}`?"));
    }
    if is_slug {
        d.with_help(format!("register it in content/indsatsomraader/{id}.md"))
    } else {
        d.with_help(format!(
            "an id is the name of a file in content/indsatsomraader/: lower-case letters a–z, digits and hyphens (`{}`)",
            crate::slug::slugify(id)
        ))
    }
}

impl<F> crate::load::Doc<F> {
    /// The body as Markdown, intro and sections joined again (for pages whose body is
    /// shown whole: kreds, kommune, registry entries).
    pub fn body_markdown(&self) -> String {
        self.file.text[self.front_span.end..]
            .split_once('\n')
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }
}

/// Byte range of `key = …` in the front matter, for locating errors in it.
/// Accepts `http(s)://…` and `mailto:` addresses; anything else (`javascript:`, `data:`,
/// relative paths that would break under a base path) is an error at the key.
fn check_url(
    file: &SourceFile,
    front: &Range<usize>,
    key: &str,
    url: Option<&str>,
    diags: &mut Diagnostics,
) -> bool {
    let Some(url) = url else { return true };
    let lower = url.trim().to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        let span = find_value_span(&file.text, front, url)
            .unwrap_or_else(|| front_key_span(&file.text, front, key));
        diags.push(
            Diagnostic::error(&file.path, format!("`{key}` is not a web address: `{url}`"))
                .at(&file.text, span)
                .with_help("write a full address starting with https:// (or mailto:)"),
        );
    }
    ok
}

pub fn front_key_span(src: &Arc<str>, front: &Range<usize>, key: &str) -> Range<usize> {
    let mut pos = front.start;
    for line in src[front.clone()].split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let start = pos + (line.len() - t.len());
                return start..start + key.len();
            }
        }
        // `[[local_priorities]]`, `[source]`: a table is located at its header.
        if is_table_header(t, key) {
            let start = pos + (line.len() - t.len());
            return start..start + t.trim_end().len();
        }
        pos += line.len();
    }
    front.start
        ..front
            .start
            .saturating_add(3)
            .min(front.end.max(front.start))
}

fn is_table_header(line: &str, key: &str) -> bool {
    let t = line.trim_end();
    t.strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .is_some_and(|k| k.trim() == key)
}

pub(super) fn find_value_span(
    src: &Arc<str>,
    front: &Range<usize>,
    value: &str,
) -> Option<Range<usize>> {
    let needle = format!("\"{value}\"");
    src[front.clone()]
        .find(&needle)
        .map(|i| front.start + i + 1..front.start + i + 1 + value.len())
}
