//! Open data (JSON, CSV), the Atom feeds, the meeting calendars, the search index and
//! the sitemap. Deterministic: no build timestamps; feed dates come from the plans
//! themselves. Feeds and calendars are made in [`super::feeds`] and
//! [`super::calendar`]; this module only says which files there are.

use std::io::{self, Write};

use rayon::prelude::*;
use serde_json::Value;

use super::value::value;

use super::xml::XmlDoc;
use super::{calendar, feeds, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::evolution::Status;
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

type Maker = fn(&Site, &Routes) -> Vec<u8>;
type Writer = fn(&Site, &Routes, &mut dyn Write) -> io::Result<()>;

/// One file [`files`] makes.
#[derive(Clone, Copy)]
enum Make {
    Fixed(Maker),
    Streamed(Writer),
    Feed(Issuer),
    Calendar(Issuer),
}

/// Every data file of `site` with what makes it, in a stable order.
fn plan(site: &Site) -> Vec<(String, Make)> {
    // The national site's open data is 40 MB: written as it is made, not held.
    let fixed: [(&str, Make); 5] = [
        (
            "data/planer.json",
            Make::Streamed(|s, r, w| pretty(w, &plans_json(s, r))),
        ),
        (
            "data/indsatsomraader.json",
            Make::Streamed(|s, r, w| pretty(w, &indsatser_json(s, r))),
        ),
        ("data/status.csv", Make::Streamed(status_csv)),
        ("data/planer.xml", Make::Fixed(feeds::site_feed)),
        ("sitemap.xml", Make::Fixed(sitemap)),
    ];
    let mut v: Vec<(String, Make)> = (fixed.into_iter())
        .map(|(n, make)| (n.to_string(), make))
        .collect();
    v.extend(
        site.issuers()
            .into_iter()
            .map(|i| (routes::issuer_feed(site, i), Make::Feed(i))),
    );
    v.extend(
        calendar::issuers(site)
            .into_iter()
            .map(|i| (routes::issuer_calendar(site, i), Make::Calendar(i))),
    );
    v
}

/// The paths of the files [`files`] makes (the link check needs them before they exist).
pub fn names(site: &Site) -> Vec<String> {
    plan(site).into_iter().map(|(n, _)| n).collect()
}

pub fn files_into(site: &Site, r: &Routes, sink: &dyn Sink) -> Result<(), Diagnostic> {
    // Independent files, some large at national scale: made in parallel, and the
    // search index (many files) beside them. The index is the longest chain of work,
    // so it starts first: a `join`'s second half waits for an idle thread, and while
    // the pages are rendered there is none.
    let (search, data) = rayon::join(
        || crate::search::files_into(site, r, sink),
        || {
            plan(site).into_par_iter().try_for_each(|(path, make)| {
                let bytes = match make {
                    Make::Streamed(f) => return sink.put_streamed(path, &mut |w| f(site, r, w)),
                    Make::Fixed(f) => f(site, r),
                    Make::Feed(i) => feeds::issuer_feed(site, r, i),
                    Make::Calendar(i) => calendar::ics(site, r, i),
                };
                sink.put(path, bytes)
            })
        },
    );
    data.and(search)
}

fn pretty<T: serde::Serialize + ?Sized>(w: &mut dyn Write, v: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v)?;
    w.write_all(b"\n")
}

fn issuer_json(site: &Site, i: Issuer) -> Value {
    match i {
        Issuer::Kreds(k) => {
            value!({ "type": "kreds", "slug": &site.kredse[k].slug, "name": &site.kredse[k].name })
        }
        Issuer::Kommune(m) => {
            value!({ "type": "kommune", "slug": &site.kommuner[m].slug, "name": &site.kommuner[m].full_name,
                                      "kreds": &site.kredse[site.kommuner[m].kreds].slug })
        }
    }
}

/// `{ "<key>": [items] }` with the items made one at a time while it is serialized: the
/// national `planer.json` and `indsatsomraader.json` are 15 MB each, and as one
/// `Value` tree each held several times that in memory.
struct ListDoc<F: Fn(usize) -> Value> {
    key: &'static str,
    len: usize,
    item: F,
}

impl<F: Fn(usize) -> Value> serde::Serialize for ListDoc<F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Items<'a, F: Fn(usize) -> Value>(&'a ListDoc<F>);
        impl<F: Fn(usize) -> Value> serde::Serialize for Items<'_, F> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq((0..self.0.len).map(|i| (self.0.item)(i)))
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.key, &Items(self))?;
        map.end()
    }
}

fn plans_json<'a>(site: &'a Site, r: &'a Routes) -> ListDoc<impl Fn(usize) -> Value + 'a> {
    ListDoc {
        key: "plans",
        len: site.plans.len(),
        item: move |p| plan_json(site, r, p),
    }
}

fn plan_json(site: &Site, r: &Routes, p: usize) -> Value {
    let plan = &site.plans[p];
    let sections: Vec<Value> = plan
        .sections
        .iter()
        .map(|s| value!({ "title": &s.title, "level": s.level, "anchor": &s.anchor,
                         "indsatsomraader": s.bindings.iter().map(|&b| site.indsatser[b].id.clone()).collect::<Vec<_>>() }))
        .collect();
    value!({
        "kind": plan.kind.as_str(), "years": &plan.years, "title": &plan.title,
        "issuer": issuer_json(site, plan.issuer), "url": absolute(site, r, &r.url(Page::Plan(p))),
        "approved": plan.approved.map(|d| d.iso()), "approved_place": &plan.approved_place,
        "source": &plan.source, "signatories": &plan.signatories, "members": &plan.members,
        "meetings": plan.meetings.iter().map(|m| value!({ "date": m.date.iso(), "time": &m.time, "place": &m.place })).collect::<Vec<_>>(),
        "local_priorities": plan.local_priorities.iter().map(|lp| value!({ "kommune": &site.kommuner[lp.kommune].slug, "items": &lp.items })).collect::<Vec<_>>(),
        "statistics": &plan.statistics,
        "sections": sections,
    })
}

fn indsatser_json<'a>(site: &'a Site, r: &'a Routes) -> ListDoc<impl Fn(usize) -> Value + 'a> {
    ListDoc {
        key: "indsatsomraader",
        len: site.indsatser.len(),
        item: move |i| indsats_json(site, r, i),
    }
}

fn indsats_json(site: &Site, r: &Routes, i: usize) -> Value {
    let ind = &site.indsatser[i];
    let statuses: Vec<Value> = (0..site.plans.len())
        .filter_map(|p| site.evolution.entry(p, i).map(|e| (p, e)))
        .map(|(p, e)| {
            let (anchor, section_url) = entry_section(site, r, p, e);
            let ids = |v: &[usize]| {
                v.iter()
                    .map(|&o| site.indsatser[o].id.clone())
                    .collect::<Vec<_>>()
            };
            value!({ "plan": absolute(site, r, &r.url(Page::Plan(p))), "issuer": issuer_json(site, site.plans[p].issuer),
                    "years": &site.plans[p].years, "status": e.status.label(),
                    "merged_with": ids(&e.merged_with), "split_from": ids(&e.split_from),
                    "part_of": ids(&e.part_of), "covered": e.covered,
                    "section_anchor": anchor, "section_url": section_url,
                    "previous_plan": site.plans[p].prev.map(|q| absolute(site, r, &r.url(Page::Plan(q)))),
                    "added_words": e.diff.as_ref().map(|d| d.added_words),
                    "removed_words": e.diff.as_ref().map(|d| d.removed_words),
                    "unchanged_words": e.diff.as_ref().map(|d| d.unchanged_words) })
        })
        .collect();
    value!({ "id": &ind.id, "title": &ind.title, "aliases": &ind.aliases, "theme": &ind.theme,
            "url": absolute(site, r, &r.url(Page::Indsats(i))), "statuses": statuses })
}

/// The columns of `status.csv`, documented field by field on the `/data/` page.
pub const STATUS_CSV_COLUMNS: [&str; 17] = [
    "indsatsomraade",
    "titel",
    "udsteder_type",
    "udsteder",
    "kreds",
    "plan",
    "aar",
    "status",
    "sammenlagt_med",
    "udskilt_fra",
    "del_af",
    "afsnit",
    "afsnit_url",
    "forrige_plan_url",
    "tilfoejede_ord",
    "slettede_ord",
    "uaendrede_ord",
];

/// Indsatsområde ids joined with `;` (a list inside one CSV field).
fn id_list(site: &Site, ids: &[usize]) -> String {
    ids.iter()
        .map(|&i| site.indsatser[i].id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Issuer type, issuer slug and kreds slug.
fn issuer_columns(site: &Site, issuer: Issuer) -> [String; 3] {
    match issuer {
        Issuer::Kreds(k) => [
            "kreds".into(),
            site.kredse[k].slug.clone(),
            site.kredse[k].slug.clone(),
        ],
        Issuer::Kommune(m) => [
            "kommune".into(),
            site.kommuner[m].slug.clone(),
            site.kredse[site.kommuner[m].kreds].slug.clone(),
        ],
    }
}

/// The section an entry points to: its own in this plan, or (dropped) the previous
/// plan's.
fn entry_section(
    site: &Site,
    r: &Routes,
    p: usize,
    e: &crate::model::evolution::Entry,
) -> (String, String) {
    // Dropped: where it stood in the previous plan. Named only by an umbrella: the
    // umbrella's sections that name it (`omfatter=`). Else its own sections.
    let naming: Vec<usize>;
    let (plan, secs) = match (e.status, site.plans[p].prev) {
        (Status::Udgået, Some(q)) => (q, &e.old_sections),
        _ if e.covered => {
            naming = (site.plans[p].sections.iter().enumerate())
                .filter(|(_, s)| s.covers.contains(&e.indsats))
                .map(|(i, _)| i)
                .collect();
            (p, &naming)
        }
        _ => (p, &e.new_sections),
    };
    let anchors = secs
        .iter()
        .map(|&s| site.plans[plan].sections[s].anchor.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let url = secs
        .first()
        .map(|&s| absolute(site, r, &r.section(plan, s)))
        .unwrap_or_default();
    (anchors, url)
}

fn status_csv(site: &Site, r: &Routes, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(STATUS_CSV_COLUMNS)?;
    for p in 0..site.plans.len() {
        let plan = &site.plans[p];
        for e in &site.evolution.plans[p].entries {
            let [kind, name, kreds] = issuer_columns(site, plan.issuer);
            let (anchor, url) = entry_section(site, r, p, e);
            let words = |f: fn(&crate::model::diff::Diff) -> usize| {
                e.diff
                    .as_ref()
                    .map(|d| f(d).to_string())
                    .unwrap_or_default()
            };
            let row = [
                site.indsatser[e.indsats].id.clone(),
                site.indsatser[e.indsats].title.clone(),
                kind,
                name,
                kreds,
                plan.kind.as_str().to_string(),
                plan.key.clone(),
                e.status.label().to_string(),
                id_list(site, &e.merged_with),
                id_list(site, &e.split_from),
                id_list(site, &e.part_of),
                anchor,
                url,
                plan.prev
                    .map(|q| absolute(site, r, &r.url(Page::Plan(q))))
                    .unwrap_or_default(),
                words(|d| d.added_words),
                words(|d| d.removed_words),
                words(|d| d.unchanged_words),
            ];
            w.write_record(row.iter().map(|f| clean_text(f).into_owned()))?;
        }
    }
    w.flush()
}

/// Text without the control characters no data format should carry (tab and line
/// breaks kept).
fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

pub(super) fn absolute(site: &Site, r: &Routes, url: &str) -> String {
    // base_url's origin + the root-relative URL.
    let origin = match site.config.base_url.find("://") {
        Some(i) => {
            let after = &site.config.base_url[i + 3..];
            let end = after
                .find('/')
                .map_or(site.config.base_url.len(), |j| i + 3 + j);
            site.config.base_url[..end].to_string()
        }
        None => String::new(),
    };
    let _ = r;
    format!("{origin}{url}")
}

fn sitemap(site: &Site, r: &Routes) -> Vec<u8> {
    let write = || -> std::io::Result<Vec<u8>> {
        let mut d = XmlDoc::new()?;
        d.start(
            "urlset",
            &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
        )?;
        for page in routes::all(site) {
            if page == Page::NotFound {
                continue;
            }
            d.start("url", &[])?;
            d.text("loc", &absolute(site, r, &r.url(page)))?;
            d.end("url")?;
        }
        d.end("urlset")?;
        Ok(d.finish())
    };
    // Writing into memory cannot fail.
    write().unwrap_or_default()
}
