//! Builds the [`Site`] from loaded files, validating everything that spans files.

mod front;
mod issuers;
mod patch;
mod plan;
mod sections;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::text::normalize_title;
use super::*;
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::frontmatter::{FrontPageFront, IndsatsFront};
use crate::load::{Doc, Loaded, LoadedPlan};
use crate::memo::Memo;
pub use front::{find_value_span, front_key_span};
pub use patch::{update_plans, NotPatchable};
pub use plan::leave_out_drafts;
use plan::plan;
use sections::Registry;

/// Years a plan may plausibly carry.
pub const YEAR_RANGE: std::ops::RangeInclusive<i64> = 1990..=2100;

/// Validates and cross-links `loaded` into a [`Site`]. Problems go into `diags`; the
/// site is returned even with errors so that `check` can report everything at once.
/// Block diffs come from `memo` when it has them.
pub fn build(config: Config, loaded: Loaded, diags: &mut Diagnostics, memo: &Memo) -> Site {
    let mut site = build_graph(config, loaded, diags);
    add_evolution(&mut site, memo);
    site
}

/// Computes the evolution of every plan of a site [`build_graph`] made; block diffs
/// come from `memo` when it has them.
pub fn add_evolution(site: &mut Site, memo: &Memo) {
    let mut laps = crate::timing::Laps::start();
    site.evolution = evolution::Evolution::compute(site, memo);
    laps.lap("evolution");
}

/// [`build`] without the evolution (`site.evolution` is empty): what a build hands the
/// search index, which reads no status or diff, so that it starts while the evolution
/// is computed.
pub fn build_graph(config: Config, loaded: Loaded, diags: &mut Diagnostics) -> Site {
    let mut laps = crate::timing::Laps::start();
    let front = front_page(&config, loaded.front);
    issuers::check_websites(&loaded.kredse, &loaded.kommuner, diags);
    let index_files = &loaded.index_files;
    let mut kredse = issuers::kredse(loaded.kredse, &loaded.kreds_dirs, index_files, diags);
    let mut kommuner = issuers::kommuner(
        loaded.kommuner,
        &loaded.kommune_dirs,
        index_files,
        &mut kredse,
        diags,
    );
    let (mut indsatser, titles) = registry(loaded.indsatser, diags);
    let ids: Vec<String> = indsatser.iter().map(|i| i.id.clone()).collect();
    let broken = broken_registry_files(diags);
    let reg = Registry {
        ids: &ids,
        titles: &titles,
        broken: &broken,
    };
    let mut plans = plans(loaded.plans, &kredse, &kommuner, index_files, &reg, diags);
    check_overlaps(&plans, diags);
    link(&mut kredse, &mut kommuner, &mut plans, &mut indsatser);
    let years = years(&plans);

    let mut site = Site {
        config,
        front,
        kredse,
        kommuner,
        // Shared, so that serve's copy of a site (while a background refresh still reads
        // the old one) copies pointers, not every plan.
        plans: plans.into_iter().map(Arc::new).collect(),
        indsatser,
        years,
        evolution: evolution::Evolution::default(),
        titles,
    };
    set_issuers(&mut site);
    laps.lap("model");
    site
}

/// The ids of registry files that failed to load (an error names them): a plan that
/// binds one is not told to register it.
fn broken_registry_files(diags: &Diagnostics) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .filter(|d| {
            d.file
                .parent()
                .is_some_and(|p| p.ends_with("content/indsatsomraader"))
        })
        .filter_map(|d| Some(d.file.file_stem()?.to_str()?.to_string()))
        .collect()
}

/// The front page: `content/_index.md`, or else the site's title and description from
/// the config with an empty body.
fn front_page(config: &Config, doc: Option<Doc<FrontPageFront>>) -> FrontPage {
    match doc {
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
    }
}

/// The registry of indsatsområder, by id, and its title index for automatic binding;
/// each file's text is kept until then to locate title clashes in it.
fn registry(
    loaded: Vec<(String, Doc<IndsatsFront>)>,
    diags: &mut Diagnostics,
) -> (Vec<Indsats>, HashMap<String, usize>) {
    let sources: HashMap<String, (Arc<str>, Range<usize>)> = loaded
        .iter()
        .map(|(id, doc)| (id.clone(), (doc.file.text.clone(), doc.front_span.clone())))
        .collect();
    let related: HashMap<String, Vec<String>> = loaded
        .iter()
        .map(|(id, doc)| (id.clone(), doc.front.related.clone()))
        .collect();
    let mut indsatser: Vec<Indsats> = loaded
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
            mentions: Vec::new(),
            plans: Vec::new(),
            issuers: Vec::new(),
            title_rank: 0,
            related: Vec::new(),
        })
        .collect();
    indsatser.sort_by(|a, b| a.id.cmp(&b.id));
    rank_titles(&mut indsatser);
    link_related(&mut indsatser, &related, &sources, diags);
    let titles = title_index(&indsatser, &sources, diags);
    (indsatser, titles)
}

/// Sets each indsatsområde's [`Indsats::related`] from the `related` ids of the files
/// (`wanted`, by id), both ways round, in title order. An id the registry lacks is an
/// error at the id.
fn link_related(
    indsatser: &mut [Indsats],
    wanted: &HashMap<String, Vec<String>>,
    sources: &HashMap<String, (Arc<str>, Range<usize>)>,
    diags: &mut Diagnostics,
) {
    let ids: Vec<&str> = indsatser.iter().map(|i| i.id.as_str()).collect();
    let index = |id: &str| ids.binary_search(&id).ok();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (a, id) in ids.iter().enumerate() {
        let listed = wanted.get(*id).map_or(&[][..], Vec::as_slice);
        for (n, other) in listed.iter().enumerate() {
            let at = |d: Diagnostic| match sources.get(*id) {
                Some((text, front)) => {
                    let span = find_value_span(text, front, other)
                        .unwrap_or_else(|| front_key_span(text, front, "related"));
                    d.at(text, span)
                }
                None => d,
            };
            if listed[..n].contains(other) || other == id {
                let why = if other == id {
                    "names this indsatsområde itself"
                } else {
                    "names it twice"
                };
                diags.push(at(Diagnostic::warning(
                    &indsatser[a].file,
                    format!("`related` {why}: `{other}`"),
                )
                .with_help(
                    "remove it: `related` lists the other indsatsområder to show under \"Se også\"",
                )));
                continue;
            }
            match index(other) {
                Some(b) => pairs.extend([(a, b), (b, a)]),
                None => {
                    let mut d = Diagnostic::error(
                        &indsatser[a].file,
                        format!("`related` names an unknown indsatsområde `{other}`"),
                    );
                    d = match did_you_mean(other, ids.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(
                            "`related` lists ids: names of files in content/indsatsomraader/",
                        ),
                    };
                    diags.push(at(d));
                }
            }
        }
    }
    pairs.sort_by_key(|&(a, b)| (a, indsatser[b].title_rank, b));
    pairs.dedup();
    for (a, b) in pairs {
        indsatser[a].related.push(b);
    }
}

/// Sets each indsatsområde's [`Indsats::title_rank`]: how many titles come before its
/// own in Danish order.
fn rank_titles(indsatser: &mut [Indsats]) {
    use crate::collate::danish_cmp;
    let mut order: Vec<usize> = (0..indsatser.len()).collect();
    order.sort_by(|&a, &b| danish_cmp(&indsatser[a].title, &indsatser[b].title));
    let mut rank = 0;
    for k in 0..order.len() {
        let i = order[k];
        if k > 0 && danish_cmp(&indsatser[order[k - 1]].title, &indsatser[i].title).is_ne() {
            rank = k;
        }
        indsatser[i].title_rank = rank;
    }
}

/// Plans, by issuer and year. A plan of an unknown issuer, or with errors that leave no
/// plan, is left out.
fn plans(
    loaded: Vec<LoadedPlan>,
    kredse: &[Kreds],
    kommuner: &[Kommune],
    index_files: &[(String, Option<String>)],
    reg: &Registry,
    diags: &mut Diagnostics,
) -> Vec<Plan> {
    // Each plan validates on its own, so they run in parallel (national: 71 → 46 ms on
    // 2 cores); each plan's diagnostics are merged back in file order.
    let checked: Vec<(Option<Plan>, Diagnostics)> = loaded
        .into_par_iter()
        .map(|lp| {
            let mut own = Diagnostics::new();
            let issuer = issuers::plan_issuer(&lp, kredse, kommuner, index_files, &mut own);
            let p = plan(lp, issuer, kredse, kommuner, reg, &mut own);
            (p, own)
        })
        .collect();
    let mut plans: Vec<Plan> = Vec::with_capacity(checked.len());
    for (p, own) in checked {
        diags.extend(own);
        plans.extend(p);
    }
    plans.sort_by(|a, b| (a.issuer, &a.years).cmp(&(b.issuer, &b.years)));
    plans
}

/// Two plans of one issuer covering one year cannot both be "the" plan of that year.
/// `plans` are sorted by issuer and years.
fn check_overlaps(plans: &[Plan], diags: &mut Diagnostics) {
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
}

/// Cross-links: issuer → plans, previous/next, indsatsområde → occurrences.
fn link(
    kredse: &mut [Kreds],
    kommuner: &mut [Kommune],
    plans: &mut [Plan],
    indsatser: &mut [Indsats],
) {
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
    link_occurrences(plans, indsatser);
}

/// Every year some plan covers, ascending.
fn years(plans: &[Plan]) -> Vec<i64> {
    let mut years: Vec<i64> = plans.iter().flat_map(|p| p.years.iter().copied()).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Each indsatsområde's issuers, in issuer order: those of the plans that name it
/// ([`Indsats::plans`]: bound, or a sub-area by `omfatter=`). Serve's patches never change them (an issuer gaining or
/// losing one is a change of shape), so they are set here only.
fn set_issuers(site: &mut Site) {
    for i in 0..site.indsatser.len() {
        let mut v: Vec<Issuer> = site.indsatser[i]
            .plans
            .iter()
            .map(|&p| site.plans[p].issuer)
            .collect();
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

/// Fills each indsatsområde's occurrences from the plans' bindings, and the plans that
/// name it, in plan order.
fn link_occurrences<P: std::borrow::Borrow<Plan>>(plans: &[P], indsatser: &mut [Indsats]) {
    for ind in indsatser.iter_mut() {
        ind.occurrences.clear();
        ind.plans.clear();
        ind.mentions.clear();
    }
    for (i, plan) in plans.iter().enumerate() {
        let plan = plan.borrow();
        for (s, sec) in plan.sections.iter().enumerate() {
            for &b in &sec.bindings {
                indsatser[b].occurrences.push((i, s));
            }
            // Inside a bound section it is that indsatsområde's text, not one outside
            // the plan's indsatsområder. (The ancestors are walked only for the few
            // sections that mention one: this loop sees every section of every plan.)
            if sec.mentions.is_empty()
                || sec.parent.is_some_and(|a| {
                    crate::model::text::bound_ancestor(&plan.sections, a).is_some()
                })
            {
                continue;
            }
            for &b in &sec.mentions {
                indsatser[b].mentions.push((i, s));
            }
        }
        for b in plan.named_ids() {
            indsatser[b].plans.push(i);
        }
    }
}

/// The years both `a` and `b` cover, as `2025, 2026`.
fn overlap(a: &[i64], b: &[i64]) -> String {
    a.iter()
        .filter(|y| b.contains(y))
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indsats(title: &str) -> Indsats {
        Indsats {
            id: title.to_lowercase(),
            title: title.to_string(),
            aliases: Vec::new(),
            theme: None,
            description: None,
            body_md: String::new(),
            file: PathBuf::new(),
            occurrences: Vec::new(),
            mentions: Vec::new(),
            plans: Vec::new(),
            issuers: Vec::new(),
            title_rank: 0,
            related: Vec::new(),
        }
    }

    #[test]
    fn title_ranks_follow_danish_order_and_equal_titles_share_one() {
        let mut v: Vec<Indsats> = ["Ældre", "Tryghed", "Bander", "Øresund", "Tryghed", "Åbent"]
            .into_iter()
            .map(indsats)
            .collect();
        rank_titles(&mut v);
        let ranks: Vec<usize> = v.iter().map(|i| i.title_rank).collect();
        assert_eq!(ranks, [3, 1, 0, 4, 1, 5]);
    }

    #[test]
    fn related_goes_both_ways_in_title_order_and_unknown_ids_are_errors() {
        let mut v: Vec<Indsats> = ["Bander", "Indbrud", "Tryghed"]
            .into_iter()
            .map(indsats)
            .collect();
        rank_titles(&mut v);
        let wanted: HashMap<String, Vec<String>> = [
            (
                "tryghed".to_string(),
                vec!["indbrud".to_string(), "bander".to_string()],
            ),
            (
                "indbrud".to_string(),
                vec![
                    "tryghed".into(),
                    "indbrud".into(),
                    "indbrd2".into(),
                    "tryghed".into(),
                ],
            ),
        ]
        .into_iter()
        .collect();
        let mut diags = Diagnostics::new();
        link_related(&mut v, &wanted, &HashMap::new(), &mut diags);
        let related: Vec<&[usize]> = v.iter().map(|i| &i.related[..]).collect();
        assert_eq!(related, [&[2][..], &[2][..], &[0, 1][..]]);
        let d: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            d,
            [
                "`related` names this indsatsområde itself: `indbrud`",
                "`related` names an unknown indsatsområde `indbrd2`",
                "`related` names it twice: `tryghed`",
            ]
        );
        let unknown = diags.iter().find(|d| d.is_error()).unwrap();
        assert_eq!(unknown.help.as_deref(), Some("did you mean `indbrud`?"));
    }
}
