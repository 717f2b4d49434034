//! Which template each page uses, and its context.

use serde_json::Value;

use super::value::value;

use super::context::{date_view, Ctx};
use super::RenderOptions;
use crate::memo::Memo;
use crate::model::evolution::Status;
use crate::model::text::normalize_title;
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

/// Context shared by every page: site, navigation, breadcrumbs, assets.
pub fn common(site: &Site, r: &Routes, memo: &Memo, opts: &RenderOptions, page: Page) -> Value {
    let c = Ctx { r, memo };
    let nav_items = [
        ("Forside", Page::Front),
        ("Politikredse", Page::Kredse),
        ("Kommuner", Page::Kommuner),
        ("Indsatsområder", Page::Indsatser),
        ("År", Page::Years),
        ("Søg", Page::Search),
        ("Data", Page::Data),
    ];
    let section_of = |p: Page| -> Page {
        match p {
            Page::Kreds(_) => Page::Kredse,
            Page::Kommune(_) => Page::Kommuner,
            Page::IssuerPlans(Issuer::Kreds(_)) => Page::Kredse,
            Page::IssuerPlans(Issuer::Kommune(_)) => Page::Kommuner,
            Page::Plan(x) | Page::Comparison(x) => match site.plans[x].issuer {
                Issuer::Kreds(_) => Page::Kredse,
                Issuer::Kommune(_) => Page::Kommuner,
            },
            Page::Year(_) => Page::Years,
            Page::Indsats(_) | Page::IndsatsIssuer(..) => Page::Indsatser,
            other => other,
        }
    };
    let current = section_of(page);
    let nav: Vec<Value> = nav_items
        .iter()
        .map(|(t, p)| value!({ "title": t, "url": r.url(*p), "current": *p == current, "exact": *p == page }))
        .collect();
    value!({
        "site": {
            "title": &site.config.title,
            "description": &site.config.description,
            "publisher": &site.config.publisher,
            "lang": &site.config.language,
            "base": &r.base,
            "home": r.url(Page::Front),
            "accessibility_url": r.url(Page::Accessibility),
            "data_url": r.url(Page::Data),
            "search_url": r.url(Page::Search),
            "feed_url": r.asset("data/planer.xml"),
        },
        "assets": {
            "css": r.asset("static/style.css"),
            "js": r.asset("static/search.js"),
            "favicon": r.asset("static/favicon.svg"),
        },
        "nav": nav,
        "breadcrumbs": c.breadcrumbs(page),
        "page_url": r.url(page),
        "dev_script": &opts.dev_script,
    })
}

/// The plans `page` reads, for the pages that read nothing else but the site-wide
/// state (sorted, each once):
///
/// - a plan, its comparison, an issuer's list of plans and an indsatsområde's history in
///   one issuer's plans read that issuer's plans (they follow `prev` and `next` and the
///   issuer's plan list);
/// - a kommune's page reads its plans and its district's (the local priorities);
/// - a district's page reads its plans and its kommuner's;
/// - an indsatsområde's page reads the plans of every issuer with a history of it, and
///   of every plan that names it;
/// - a year's page reads the plans covering the year (their statuses against the plans
///   before them are their own: a plan's digest holds its evolution) and the plans
///   before those (a comparison's address names both).
///
/// `None` for the pages that read more (front page, years, search, lists). A production
/// build keeps these pages by the digests of the site-wide state and these plans alone
/// ([`super::Renderer::quick_key`]), so this claim is what keeps a published page from
/// going stale: `tests/quick_keys.rs` holds every context here to it, by changing each
/// plan in turn and watching the pages that do not list it.
pub fn reads_plans(site: &Site, page: Page) -> Option<Vec<usize>> {
    let mut plans: Vec<usize> = match page {
        Page::Year(y) => (site.plans.iter())
            .enumerate()
            .filter(|(_, plan)| plan.years.contains(&y))
            .flat_map(|(p, plan)| std::iter::once(p).chain(plan.prev))
            .collect(),
        _ => reads_issuers(site, page)?
            .into_iter()
            .flat_map(|issuer| site.issuer_plans(issuer).iter().copied())
            .collect(),
    };
    plans.sort_unstable();
    plans.dedup();
    Some(plans)
}

/// The issuers whose plans an issuer's or an indsatsområde's page reads (see
/// [`reads_plans`]).
fn reads_issuers(site: &Site, page: Page) -> Option<Vec<Issuer>> {
    Some(match page {
        Page::Plan(p) | Page::Comparison(p) => vec![site.plans[p].issuer],
        Page::IssuerPlans(issuer) | Page::IndsatsIssuer(_, issuer) => vec![issuer],
        Page::Kommune(m) => vec![Issuer::Kommune(m), Issuer::Kreds(site.kommuner[m].kreds)],
        Page::Kreds(k) => std::iter::once(Issuer::Kreds(k))
            .chain(site.kredse[k].kommuner.iter().map(|&m| Issuer::Kommune(m)))
            .collect(),
        Page::Indsats(i) => {
            let ind = &site.indsatser[i];
            let mut v: Vec<Issuer> = (ind.plans.iter().map(|&p| site.plans[p].issuer))
                .chain(ind.issuers.iter().copied())
                .chain(ind.mentions.iter().map(|&(p, _)| site.plans[p].issuer))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        _ => return None,
    })
}

/// Template name and page-specific context.
pub fn context(site: &Site, r: &Routes, memo: &Memo, page: Page) -> (&'static str, Value) {
    let c = Ctx { r, memo };
    match page {
        Page::Front => ("front.html", front(site, &c)),
        Page::Kredse => (
            "kredse.html",
            value!({ "title": "Politikredse", "kredse": (0..site.kredse.len()).map(|k| kreds_summary(site, &c, k)).collect::<Vec<_>>() }),
        ),
        Page::Kreds(k) => ("kreds.html", kreds(site, &c, k)),
        Page::Kommuner => ("kommuner.html", kommuner(site, &c)),
        Page::Kommune(m) => ("kommune.html", kommune(site, &c, m)),
        Page::IssuerPlans(i) => {
            let plans: Vec<Value> = site
                .issuer_plans(i)
                .iter()
                .rev()
                .map(|&p| c.plan(p))
                .collect();
            let title = match i {
                Issuer::Kreds(k) => format!("Samarbejdsplaner – {}", site.kredse[k].short_name),
                Issuer::Kommune(m) => format!("Handleplaner – {}", site.kommuner[m].full_name),
            };
            (
                "issuer_plans.html",
                value!({ "title": title, "issuer": c.issuer(i), "plans": plans,
                        "comparisons": super::compare::issuer_comparisons(site, r, i) }),
            )
        }
        Page::Plan(p) => ("plan.html", plan(site, &c, p)),
        Page::Comparison(p) => ("comparison.html", comparison(site, &c, p)),
        Page::Years => {
            let years: Vec<Value> = site
                .years
                .iter()
                .rev()
                .map(|&y| {
                    let n = site.plans.iter().filter(|p| p.years.contains(&y)).count();
                    value!({ "year": y, "url": r.url(Page::Year(y)), "plans": n })
                })
                .collect();
            (
                "years.html",
                value!({ "title": "Planer efter år", "years": years }),
            )
        }
        Page::Year(y) => ("year.html", year(site, &c, y)),
        Page::Indsatser => ("indsatser.html", indsatser(site, &c)),
        Page::Indsats(i) => ("indsats.html", indsats(site, &c, i)),
        Page::IndsatsIssuer(i, issuer) => {
            ("indsats_issuer.html", indsats_issuer(site, &c, i, issuer))
        }
        Page::Search => ("search.html", search(site, &c)),
        Page::Data => (
            "data.html",
            value!({ "title": "Åbne data", "files": [
                { "title": "Planer (JSON)", "url": r.asset("data/planer.json"), "format": "JSON" },
                { "title": "Indsatsområder med status pr. plan (JSON)", "url": r.asset("data/indsatsomraader.json"), "format": "JSON" },
                { "title": "Status pr. indsatsområde, råd og plan (CSV)", "url": r.asset("data/status.csv"), "format": "CSV" },
                { "title": "Nyeste planer (Atom-feed)", "url": r.asset("data/planer.xml"), "format": "Atom" },
            ], "terms": &site.config.data, "publisher": &site.config.publisher,
               "kommuner_url": r.url(Page::Kommuner), "kredse_url": r.url(Page::Kredse) }),
        ),
        Page::Accessibility => (
            "accessibility.html",
            value!({ "title": "Tilgængelighedserklæring", "accessibility": &site.config.accessibility }),
        ),
        Page::NotFound => ("404.html", value!({ "title": "Siden findes ikke" })),
    }
}

fn kreds_summary(site: &Site, c: &Ctx, k: usize) -> Value {
    let kr = &site.kredse[k];
    let mut v = c.kreds(k);
    v["kommuner"] = value!(kr
        .kommuner
        .iter()
        .map(|&m| c.kommune(m))
        .collect::<Vec<_>>());
    let handleplaner: usize = kr
        .kommuner
        .iter()
        .map(|&m| site.kommuner[m].plans.len())
        .sum();
    // Kept for templates written for earlier versions; the standard theme says the two
    // apart (below).
    v["plan_count"] = value!(kr.plans.len() + handleplaner);
    // Said apart: "3 planer" for one samarbejdsplan and two kommuner's handleplaner read
    // as the district's own three.
    v["samarbejdsplaner"] = value!(kr.plans.len());
    v["handleplaner"] = value!(handleplaner);
    v
}

fn front(site: &Site, c: &Ctx) -> Value {
    // Each plan's address made once, not at every comparison of the sort.
    let mut newest: Vec<usize> = (0..site.plans.len()).collect();
    newest.sort_by_cached_key(|&p| {
        let url = c.r.url(Page::Plan(p));
        (std::cmp::Reverse(site.plans[p].last_year()), url)
    });
    newest.truncate(10);
    // Indsatsområder × years: how many plans have each one as a section of its own
    // each year (a sub-area only named in an umbrella's sentence is not counted, as
    // the /data/ page advises for `kun_naevnt`), by title as every list of them is
    // (they were in id order: "Projekt Det Gode Naboskab" under D).
    let rows: Vec<Value> = indsatser_by_title(site)
        .into_iter()
        .filter_map(|i| {
            let own: Vec<usize> = (site.indsatser[i].plans.iter().copied())
                .filter(|&p| !crate::model::evolution::bound_sections(site, p, i).is_empty())
                .collect();
            let cells: Vec<usize> = (site.years.iter())
                .map(|y| {
                    own.iter()
                        .filter(|&&p| site.plans[p].years.contains(y))
                        .count()
                })
                .collect();
            (!own.is_empty()).then(|| value!({ "indsats": c.indsats(i), "cells": cells }))
        })
        .collect();
    value!({
        "title": &site.front.title,
        "description": &site.front.description,
        "body_html": c.md(&site.front.body_md),
        "kredse": (0..site.kredse.len()).map(|k| kreds_summary(site, c, k)).collect::<Vec<_>>(),
        "newest": newest.iter().map(|&p| c.plan(p)).collect::<Vec<_>>(),
        "overview": { "years": &site.years, "rows": rows },
        "counts": { "plans": site.plans.len(), "kredse": site.kredse.len(), "kommuner": site.kommuner.len(),
                    "indsatser": in_plans(site) },
    })
}

/// An issuer's feed and, if it has meetings, its calendar: for the page's `<head>` and
/// its visible links.
fn subscriptions(site: &Site, c: &Ctx, issuer: Issuer) -> Value {
    let council = site.issuer_council(issuer);
    value!({
        "feed": { "url": c.r.asset(&routes::issuer_feed(site, issuer)),
                  "title": super::feeds::title(site, issuer) },
        "calendar": super::calendar::has_meetings(site, issuer).then(|| value!({
            "url": c.r.asset(&routes::issuer_calendar(site, issuer)),
            "title": format!("Møder i {council}"),
        })),
    })
}

fn kreds(site: &Site, c: &Ctx, k: usize) -> Value {
    let kr = &site.kredse[k];
    let with_meetings = kr
        .plans
        .iter()
        .rev()
        .copied()
        .find(|&p| !site.plans[p].meetings.is_empty());
    let kommuner: Vec<Value> = kr
        .kommuner
        .iter()
        .map(|&m| {
            let mut v = c.kommune(m);
            v["plans"] = value!(site.kommuner[m]
                .plans
                .iter()
                .map(|&p| c.plan(p))
                .collect::<Vec<_>>());
            v
        })
        .collect();
    value!({
        "title": &kr.name,
        "kreds": c.kreds(k),
        "website": &kr.website,
        "body_html": c.md(&kr.body_md),
        "kommuner": kommuner,
        "plans": kr.plans.iter().rev().map(|&p| c.plan(p)).collect::<Vec<_>>(),
        "plans_url": if kr.plans.is_empty() { Value::Null } else { value!(c.r.url(Page::IssuerPlans(Issuer::Kreds(k)))) },
        "matrix": c.issuer_matrix(Issuer::Kreds(k)),
        "meetings": with_meetings.map(|p| value!({ "plan": c.plan(p), "meetings": meetings(site, p) })),
        "subscribe": subscriptions(site, c, Issuer::Kreds(k)),
    })
}

fn kommuner(site: &Site, c: &Ctx) -> Value {
    let groups: Vec<Value> = (0..site.kredse.len())
        .map(|k| {
            let ks: Vec<Value> = site.kredse[k]
                .kommuner
                .iter()
                .map(|&m| {
                    let mut v = c.kommune(m);
                    v["plan_count"] = value!(site.kommuner[m].plans.len());
                    v
                })
                .collect();
            value!({ "kreds": c.kreds(k), "kommuner": ks })
        })
        .collect();
    value!({ "title": "Kommuner", "groups": groups })
}

fn kommune(site: &Site, c: &Ctx, m: usize) -> Value {
    let km = &site.kommuner[m];
    let k = km.kreds;
    // The newest plan that lists members / meetings tells who sits in the lokalråd now.
    let with_members = km
        .plans
        .iter()
        .rev()
        .copied()
        .find(|&p| !site.plans[p].members.is_empty());
    let with_meetings = km
        .plans
        .iter()
        .rev()
        .copied()
        .find(|&p| !site.plans[p].meetings.is_empty());
    let local: Vec<Value> = site.kredse[k]
        .plans
        .iter()
        .rev()
        .filter_map(|&p| {
            site.plans[p]
                .local_priorities
                .iter()
                .find(|lp| lp.kommune == m)
                .map(|lp| local_priorities(site, c, p, lp))
        })
        .collect();
    let newest = km.plans.last().copied();
    value!({
        "title": &km.full_name,
        "kommune": c.kommune(m),
        "kreds": c.kreds(k),
        "website": &km.website,
        "body_html": c.md(&km.body_md),
        "plans": km.plans.iter().rev().map(|&p| c.plan(p)).collect::<Vec<_>>(),
        "plans_url": if km.plans.is_empty() { Value::Null } else { value!(c.r.url(Page::IssuerPlans(Issuer::Kommune(m)))) },
        "kreds_plans": site.kredse[k].plans.iter().rev().map(|&p| c.plan(p)).collect::<Vec<_>>(),
        "matrix": c.issuer_matrix(Issuer::Kommune(m)),
        // Without a handleplan of its own, what the kredsråd's plans say is what the
        // site knows of the kommune's indsatsområder: shown, as the kredsråd's.
        "kreds_matrix": km.plans.is_empty().then(|| c.issuer_matrix(Issuer::Kreds(k))),
        "members": with_members.map(|p| members_view(site, c, p)),
        "meetings": with_meetings.map(|p| value!({ "plan": c.plan(p), "meetings": meetings(site, p) })),
        "local_priorities": local,
        "changes": newest.and_then(|p| c.change_summary(p)),
        "subscribe": subscriptions(site, c, Issuer::Kommune(m)),
    })
}

/// A district plan's local priorities for one kommune, linked to the section that lists
/// them and, where an item names a registered indsatsområde, to it.
fn local_priorities(site: &Site, c: &Ctx, p: usize, lp: &crate::model::LocalPriorities) -> Value {
    let plan = &site.plans[p];
    let kommune = &site.kommuner[lp.kommune];
    let section = plan
        .sections
        .iter()
        .position(|s| s.title == kommune.full_name || s.title == kommune.name);
    let items: Vec<Value> = lp
        .items
        .iter()
        .map(|item| {
            let named = site.indsats_named(item);
            value!({ "text": item, "indsats": named.map(|i| c.indsats(i)) })
        })
        .collect();
    value!({
        "plan": c.plan(p),
        "section_url": section.map(|s| c.r.section(p, s)),
        "items": items,
    })
}

/// The lokalråd's members in plan `p`, and who joined and left since the previous
/// plan that lists members (matched by name and role, ignoring case and spacing).
fn members_view(site: &Site, c: &Ctx, p: usize) -> Value {
    let plan = &site.plans[p];
    let key = |m: &crate::load::frontmatter::Member| {
        normalize_title(&format!("{} {}", m.name.as_deref().unwrap_or(""), m.role))
    };
    let mut earlier = plan.prev;
    while let Some(q) = earlier.filter(|&q| site.plans[q].members.is_empty()) {
        earlier = site.plans[q].prev;
    }
    // A typo fixed between two plans ("Nærpolti" → "Nærpoliti") is the same member.
    let same = |a: &str, b: &str| a == b || strsim::normalized_levenshtein(a, b) >= 0.9;
    let (joined, left) = match earlier {
        Some(q) => {
            let old = &site.plans[q].members;
            let (old_keys, new_keys): (Vec<String>, Vec<String>) = (
                old.iter().map(key).collect(),
                plan.members.iter().map(key).collect(),
            );
            let joined: Vec<_> = (plan.members.iter().zip(&new_keys))
                .filter(|(_, k)| !old_keys.iter().any(|o| same(o, k)))
                .map(|(m, _)| m)
                .collect();
            let left: Vec<_> = (old.iter().zip(&old_keys))
                .filter(|(_, o)| !new_keys.iter().any(|k| same(o, k)))
                .map(|(m, _)| m)
                .collect();
            (value!(joined), value!(left))
        }
        None => (value!([]), value!([])),
    };
    value!({
        "plan": c.plan(p),
        "members": &plan.members,
        "since": earlier.map(|q| c.plan(q)),
        "joined": joined,
        "left": left,
    })
}

fn meetings(site: &Site, p: usize) -> Vec<Value> {
    site.plans[p]
        .meetings
        .iter()
        .map(|m| {
            let time = m.time.as_deref().map(without_kl);
            // "kl." before a clock time, not before "efter aftale".
            let clock = time.is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
            value!({ "date": date_view(&m.date), "time": time, "clock": clock, "place": &m.place,
                     "note": &m.note })
        })
        .collect()
}

/// A meeting time as the templates show it after their own "kl.": "kl. 13" and
/// "Kl. 9.30–11", as plans write them, lose theirs.
fn without_kl(time: &str) -> &str {
    let t = time.trim();
    match t.get(..3) {
        Some(kl) if kl.eq_ignore_ascii_case("kl.") => t[3..].trim_start(),
        _ => t,
    }
}

fn plan(site: &Site, c: &Ctx, p: usize) -> Value {
    let plan = &site.plans[p];
    let toc: Vec<Value> = plan
        .sections
        .iter()
        .filter(|s| s.level <= 4)
        .map(
            |s| value!({ "title": &s.title, "anchor": &s.anchor, "depth": s.level.saturating_sub(2) }),
        )
        .collect();
    let local: Vec<Value> = plan
        .local_priorities
        .iter()
        .map(|lp| {
            let mut v = local_priorities(site, c, p, lp);
            v["kommune"] = c.kommune(lp.kommune);
            v
        })
        .collect();
    let next_comparison = plan
        .next
        .map(|n| value!({ "plan": c.plan(n), "url": c.r.url(Page::Comparison(n)) }));
    let ev = &site.evolution.plans[p];
    let counts: Vec<Value> = Status::ALL
        .iter()
        .filter_map(|&st| {
            let n = ev.entries.iter().filter(|e| e.status == st).count();
            (n > 0).then(|| value!({ "status": c.status(st), "count": n }))
        })
        .collect();
    value!({
        "title": &plan.title,
        "plan": c.plan(p),
        "subtitle": &plan.subtitle,
        "summary": &plan.summary,
        "approved": plan.approved.as_ref().map(date_view),
        "approved_place": &plan.approved_place,
        "source": &plan.source,
        // The publisher, unless the title already names it ("HANDLEPLAN 2026 – Lokalrådet
        // i Hjørring Kommune, Lokalrådet i Hjørring Kommune").
        "source_publisher": plan.source.as_ref().and_then(|s| {
            let p = s.publisher.as_deref()?;
            let title = s.title.as_deref().unwrap_or("").to_lowercase();
            (!title.contains(&p.to_lowercase())).then_some(p)
        }),
        "signatories": &plan.signatories,
        "members": &plan.members,
        "meetings": meetings(site, p),
        "local_priorities": local,
        "statistics": plan.statistics.iter().zip(super::chart::shared_scales(&plan.statistics))
            .enumerate().map(|(i, (st, scale))| {
            let mut v = value!(st);
            v["chart_svg"] = value!(super::chart::bar_chart(st, &format!("diagram-{}", i + 1), scale));
            v
        }).collect::<Vec<_>>(),
        "intro_html": c.md(&plan.intro_md),
        "toc": toc,
        "sections": c.sections(p),
        "prev": plan.prev.map(|q| c.plan(q)),
        "next": plan.next.map(|q| c.plan(q)),
        "comparison_url": plan.prev.map(|_| c.r.url(Page::Comparison(p))),
        "next_comparison": next_comparison,
        "status_counts": counts,
        "changes": c.change_summary(p),
        "issuer_plans_url": c.r.url(Page::IssuerPlans(plan.issuer)),
        "compare": super::compare::plan_picker(site, c.r, p),
        "assets_compare": compare_assets(c.r),
    })
}

/// The scripts of the "compare any two" pickers (jsdiff first: compare.js uses it).
fn compare_assets(r: &Routes) -> Value {
    value!({ "diff": r.asset("static/vendor/diff.min.js"), "js": r.asset("static/compare.js") })
}

fn comparison(site: &Site, c: &Ctx, p: usize) -> Value {
    let plan = &site.plans[p];
    let q = plan.prev.unwrap_or(p);
    value!({
        "title": format!("{} sammenlignet med {}", plan.title, site.plans[q].title),
        "newer": c.plan(p),
        "older": c.plan(q),
        "groups": c.status_groups(p),
    })
}

fn year(site: &Site, c: &Ctx, y: i64) -> Value {
    let of_kind = |kind: crate::load::PlanKind| -> Vec<Value> {
        let mut ps: Vec<usize> = (0..site.plans.len())
            .filter(|&p| site.plans[p].years.contains(&y) && site.plans[p].kind == kind)
            .collect();
        ps.sort_by_cached_key(|&p| site.issuer_rank(site.plans[p].issuer));
        ps.into_iter().map(|p| c.plan(p)).collect()
    };
    // New, resumed or dropped in a plan starting this year: each named with the plan
    // (new for one issuer is not new everywhere).
    let listed = |keep: &dyn Fn(Status) -> bool| -> Vec<Value> {
        let mut entries = entries_from(site, y, keep);
        entries.sort_by(|a, b| {
            site.by_title(a.0, b.0).then_with(|| {
                site.issuer_rank(site.plans[a.1].issuer)
                    .cmp(&site.issuer_rank(site.plans[b.1].issuer))
            })
        });
        entries
            .iter()
            .map(|&(i, p)| {
                let status = site.evolution.entry(p, i).map(|e| c.status(e.status));
                value!({ "indsats": c.indsats(i), "issuer": c.issuer(site.plans[p].issuer), "status": status,
                         "comparison_url": site.plans[p].prev.map(|_| c.r.url(Page::Comparison(p))) })
            })
            .collect()
    };
    let new_entries = listed(&|st| matches!(st, Status::Ny | Status::Genoptaget));
    let dropped = listed(&|st| st == Status::Udgået);
    let pos = site.years.iter().position(|&x| x == y);
    value!({
        "title": format!("Planer for {y}"),
        "year": y,
        "samarbejdsplaner": of_kind(crate::load::PlanKind::Samarbejdsplan),
        "handleplaner": of_kind(crate::load::PlanKind::Handleplan),
        "new_indsatser": new_entries,
        "dropped": dropped,
        "prev_year": pos.and_then(|i| i.checked_sub(1)).map(|i| value!({ "year": site.years[i], "url": c.r.url(Page::Year(site.years[i])) })),
        "next_year": pos.and_then(|i| site.years.get(i + 1)).map(|&n| value!({ "year": n, "url": c.r.url(Page::Year(n)) })),
    })
}

/// (indsatsområde, plan) of every entry whose status `keep` accepts, in the plans that
/// start in year `y`.
fn entries_from(site: &Site, y: i64, keep: &dyn Fn(Status) -> bool) -> Vec<(usize, usize)> {
    site.plans
        .iter()
        .enumerate()
        .filter(|(_, pl)| pl.years.first() == Some(&y))
        .flat_map(|(p, _)| {
            site.evolution.plans[p]
                .entries
                .iter()
                .filter(|e| keep(e.status))
                .map(move |e| (e.indsats, p))
        })
        .collect()
}

/// First and last year and number of issuers of an indsatsområde.
fn indsats_stats(site: &Site, i: usize) -> Value {
    let plans = &site.indsatser[i].plans;
    let first = plans.iter().map(|&p| site.plans[p].first_year()).min();
    let last = plans.iter().map(|&p| site.plans[p].last_year()).max();
    let issuers = site.indsats_issuers(i);
    // Districts, counting a kommune's plan in its kreds: "3 råd" read as "all three
    // districts" where it was Nordjylland, Hjørring (in Nordjylland) and Østjylland.
    let mut kredse: Vec<usize> = (plans.iter())
        .map(|&p| site.issuer_kreds(site.plans[p].issuer))
        .collect();
    kredse.sort_unstable();
    kredse.dedup();
    value!({ "first": first, "last": last, "issuers": issuers.len(), "plans": plans.len(),
             "kredse": kredse.len() })
}

fn indsatser(site: &Site, c: &Ctx) -> Value {
    let mut themes: Vec<String> = site
        .indsatser
        .iter()
        .map(|i| i.theme.clone().unwrap_or_else(|| "Øvrige".into()))
        .collect();
    themes.sort();
    themes.dedup();
    let groups: Vec<Value> = themes
        .iter()
        .map(|t| {
            let mut items: Vec<usize> = (0..site.indsatser.len())
                .filter(|&i| site.indsatser[i].theme.as_deref().unwrap_or("Øvrige") == t)
                .collect();
            items.sort_by(|&a, &b| site.by_title(a, b));
            let items: Vec<Value> = items
                .into_iter()
                .map(|i| {
                    let mut v = c.indsats(i);
                    v["stats"] = indsats_stats(site, i);
                    v["mentioned"] = value!(!site.indsatser[i].mentions.is_empty());
                    v
                })
                .collect();
            value!({ "theme": t, "anchor": crate::slug::slugify(t), "items": items })
        })
        .collect();
    value!({ "title": "Indsatsområder", "groups": groups, "count": site.indsatser.len(),
             "in_plans": in_plans(site) })
}

/// How many indsatsområder some plan has (in a section of its own or as a sub-area): the
/// registry may hold more, kept for plans to come or for `import` to recognise.
fn in_plans(site: &Site) -> usize {
    site.indsatser
        .iter()
        .filter(|i| !i.plans.is_empty())
        .count()
}

fn indsats(site: &Site, c: &Ctx, i: usize) -> Value {
    let ind = &site.indsatser[i];
    // Mentions are in plan order: a plan's are consecutive.
    let mut mention_plans: Vec<usize> = ind.mentions.iter().map(|&(p, _)| p).collect();
    mention_plans.dedup();
    let mention_plans = mention_plans.len();
    // Per issuer: its history page, its years with the indsatsområde, the newest status.
    let issuers: Vec<Value> = site
        .indsats_issuers(i)
        .iter()
        .map(|&issuer| {
            let with: Vec<usize> = site
                .issuer_plans(issuer)
                .iter()
                .copied()
                .filter(|&p| site.evolution.entry(p, i).is_some())
                .collect();
            // The plans that name it (in a section of its own or under an umbrella).
            let naming: Vec<usize> = with
                .iter()
                .copied()
                .filter(|p| ind.plans.binary_search(p).is_ok())
                .collect();
            let newest = with.last().and_then(|&p| {
                site.evolution
                    .entry(p, i)
                    .map(|e| value!({ "status": c.status(e.status), "plan": c.plan(p) }))
            });
            value!({
                "issuer": c.issuer(issuer),
                "url": c.r.url(Page::IndsatsIssuer(i, issuer)),
                "plans": naming.len(),
                "first": naming.first().map(|&p| site.plans[p].first_year()),
                "last": naming.last().map(|&p| site.plans[p].last_year()),
                "newest": newest,
            })
        })
        .collect();
    value!({
        "title": &ind.title,
        "indsats": c.indsats(i),
        "headings": site.titles_used(i),
        // Kept for templates written for earlier versions (the registry's aliases).
        "aliases": ind.aliases.iter().filter(|a| **a != ind.title).collect::<Vec<_>>(),
        "description": &ind.description,
        "body_html": c.md(&ind.body_md),
        "stats": indsats_stats(site, i),
        // Sections that write about it outside their plans' indsatsområder.
        "mentions": (ind.mentions.iter())
            .map(|&(p, s)| value!({ "plan": c.plan(p),
                                    "title": site.plans[p].sections[s].title.trim_end_matches(':'),
                                    "url": c.r.section(p, s) }))
            .collect::<Vec<_>>(),
        "mention_plans": mention_plans,
        // "Se også": each with the issuers whose plans have it (registry state, in the
        // site-wide digest like every indsatsområde's issuers).
        "related": (ind.related.iter())
            .map(|&o| value!({ "indsats": c.indsats(o),
                               "issuers": (site.indsatser[o].issuers.iter())
                                   .map(|&x| site.issuer_name(x)).collect::<Vec<_>>() }))
            .collect::<Vec<_>>(),
        "matrix": c.indsats_matrix(i),
        "issuers": issuers,
        "compare": super::compare::indsats_picker(site, c.r, i),
        "assets_compare": compare_assets(c.r),
    })
}

/// One indsatsområde in one issuer's plans, oldest first: status, sections, the diff to
/// the issuer's previous plan and the text.
fn indsats_issuer(site: &Site, c: &Ctx, i: usize, issuer: Issuer) -> Value {
    let ind = &site.indsatser[i];
    let entries: Vec<Value> = site
        .issuer_plans(issuer)
        .iter()
        .filter_map(|&p| {
            let e = site.evolution.entry(p, i)?;
            let mut v = c.entry_view(p, e, super::context::Detail::Text);
            v["plan"] = c.plan(p);
            v["anchor"] = value!(c.history_anchor(p));
            v["prev"] = value!(site.plans[p].prev.map(|q| c.plan(q)));
            v["comparison_url"] = value!(site.plans[p].prev.map(|_| c.r.url(Page::Comparison(p))));
            Some(v)
        })
        .collect();
    let others = site.indsats_issuers(i).len().saturating_sub(1);
    value!({
        "title": format!("{}: {}", ind.title, site.issuer_full_name(issuer)),
        "indsats": c.indsats(i),
        "issuer": c.issuer(issuer),
        "issuer_plans_url": c.r.url(Page::IssuerPlans(issuer)),
        "entries": entries,
        "other_issuers": others,
    })
}

/// Every indsatsområde, in Danish title order (æ, ø, å last).
fn indsatser_by_title(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.indsatser.len()).collect();
    order.sort_by(|&a, &b| site.by_title(a, b));
    order
}

fn search(site: &Site, c: &Ctx) -> Value {
    value!({
        "title": "Søg",
        "index_url": c.r.asset("data/soeg/indeks.json"),
        "indsatser": indsatser_by_title(site).into_iter().map(|i| c.indsats(i)).collect::<Vec<_>>(),
        "kredse": (0..site.kredse.len()).map(|k| c.kreds(k)).collect::<Vec<_>>(),
        "years": &site.years,
        "overviews": [
            c.crumb("Indsatsområder", Page::Indsatser), c.crumb("Kommuner", Page::Kommuner),
            c.crumb("Politikredse", Page::Kredse), c.crumb("År", Page::Years),
        ],
        "kommuner": (0..site.kommuner.len()).map(|m| c.kommune(m)).collect::<Vec<_>>(),
        "plans": (0..site.plans.len()).map(|p| c.plan(p)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_times_lose_a_written_kl() {
        assert_eq!(without_kl("kl. 13"), "13");
        assert_eq!(without_kl("Kl. 9.30–11"), "9.30–11");
        assert_eq!(without_kl("KL.15"), "15");
        assert_eq!(without_kl("16.00-18.00"), "16.00-18.00");
        assert_eq!(without_kl("efter aftale"), "efter aftale");
    }
}
