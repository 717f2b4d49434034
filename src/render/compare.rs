//! "Compare any two": the data behind the pickers on plan and indsatsområde pages.
//!
//! Any pair of texts can be compared, but the site only prerenders consecutive plans'
//! diffs. Prerendering every pair does not scale: with 20 years of plans the national
//! corpus has ~20,900 plan pairs (×24 KB a page: ~500 MB, twice the site) and, per
//! indsatsområde, every pair of issuers' texts, millions. So the build ships each
//! issuer's texts of each indsatsområde once, as the plain blocks the model diffs
//! ([`parse_blocks`]: kind, level, text), and `static/compare.js` diffs the chosen pair in
//! the browser with the same pairing and the same HTML as `render::diff`.
//!
//! Files (next to the pages they serve):
//! - `indsatsomraader/<id>/<kredse|kommuner>/<slug>/tekster.json`: one issuer's texts of
//!   one indsatsområde, a plan per entry, oldest first;
//! - `<kredse|kommuner>/<slug>/<samarbejdsplan|handleplan>/tekster.json`: the issuer's
//!   plans and, per indsatsområde, which plans have a text and where the texts are.

use rayon::prelude::*;
use serde_json::Value;

use super::value::value;

use super::open_data::Keys;
use super::Sink;
use crate::diagnostics::Diagnostic;
use crate::model::diff::{parse_blocks, Block};
use crate::model::evolution::{bound_sections, indsats_text};
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

/// Where the texts of indsatsområde `i` in `issuer`'s plans are (relative path).
pub fn texts_path(site: &Site, i: usize, issuer: Issuer) -> String {
    format!(
        "{}tekster.json",
        routes::path(site, Page::IndsatsIssuer(i, issuer))
    )
}

/// Where the index of `issuer`'s plans and texts is (relative path).
pub fn index_path(site: &Site, issuer: Issuer) -> String {
    format!(
        "{}tekster.json",
        routes::path(site, Page::IssuerPlans(issuer))
    )
}

/// The text of indsatsområde `i` in plan `p` as blocks, exactly as the model diffs it
/// (the same sections and Markdown `evolution` feeds to `block_diff`); empty when the
/// plan has no section of its own for it.
pub fn plan_blocks(site: &Site, p: usize, i: usize) -> Vec<Block> {
    let sections = bound_sections(site, p, i);
    if sections.is_empty() {
        return Vec::new();
    }
    parse_blocks(&indsats_text(site, p, &sections))
}

/// Plans of `issuer` with a text for `i`, oldest first.
fn plans_with_text(site: &Site, i: usize, issuer: Issuer) -> Vec<usize> {
    site.issuer_plans(issuer)
        .iter()
        .copied()
        .filter(|&p| !bound_sections(site, p, i).is_empty())
        .collect()
}

fn issuer_json(site: &Site, issuer: Issuer) -> Value {
    match issuer {
        Issuer::Kreds(k) => value!({ "kind": "kreds", "slug": &site.kredse[k].slug,
                                    "name": site.issuer_full_name(issuer) }),
        Issuer::Kommune(m) => value!({ "kind": "kommune", "slug": &site.kommuner[m].slug,
                                      "name": site.issuer_full_name(issuer) }),
    }
}

/// The value an issuer has in the pickers and shared URLs: `kommune.hjoerring`. The kind
/// is part of it because kreds and kommune slugs may coincide (Bornholm); `.` because
/// URLs carry it unescaped and slugs never contain it.
pub fn issuer_value(site: &Site, issuer: Issuer) -> String {
    match issuer {
        Issuer::Kreds(k) => format!("kreds.{}", site.kredse[k].slug),
        Issuer::Kommune(m) => format!("kommune.{}", site.kommuner[m].slug),
    }
}

fn blocks_json(blocks: &[Block]) -> Value {
    Value::Array(
        blocks
            .iter()
            .map(|b| value!({ "kind": b.kind, "level": b.level, "text": &b.text }))
            .collect(),
    )
}

/// Everything one texts file shows, gathered before it is made, so that its hash (the
/// file's key: an unchanged file is kept, not made) covers exactly what the file is made
/// of. The blocks are a function of the text.
struct TextsFile {
    /// The indsatsområde's id, title and address; the issuer's kind, slug and name.
    head: [String; 6],
    /// Each plan with a text, oldest first: key, title, address, text.
    plans: Vec<[String; 4]>,
}

impl TextsFile {
    fn gather(site: &Site, r: &Routes, i: usize, issuer: Issuer) -> TextsFile {
        let ind = &site.indsatser[i];
        let (kind, slug) = match issuer {
            Issuer::Kreds(k) => ("kreds", &site.kredse[k].slug),
            Issuer::Kommune(m) => ("kommune", &site.kommuner[m].slug),
        };
        let plans = plans_with_text(site, i, issuer)
            .into_iter()
            .map(|p| {
                let plan = &site.plans[p];
                let text = indsats_text(site, p, &bound_sections(site, p, i));
                [
                    plan.key.clone(),
                    plan.title.clone(),
                    r.url(Page::Plan(p)),
                    text,
                ]
            })
            .collect();
        TextsFile {
            head: [
                ind.id.clone(),
                ind.title.clone(),
                r.url(Page::Indsats(i)),
                kind.to_string(),
                slug.clone(),
                site.issuer_full_name(issuer).to_string(),
            ],
            plans,
        }
    }

    fn key(&self) -> u128 {
        let parts: Vec<&str> = self
            .head
            .iter()
            .chain(self.plans.iter().flatten())
            .map(String::as_str)
            .collect();
        crate::memo::Memo::key_of(&parts)
    }

    fn json(self) -> Value {
        let [id, title, url, kind, slug, name] = self.head;
        let plans: Vec<Value> = self
            .plans
            .into_iter()
            .map(|[key, title, url, text]| {
                value!({ "key": key, "title": title, "url": url,
                        "blocks": blocks_json(&parse_blocks(&text)) })
            })
            .collect();
        value!({
            "indsats": id,
            "title": title,
            "url": url,
            "issuer": value!({ "kind": kind, "slug": slug, "name": name }),
            "plans": plans,
        })
    }
}

fn index_json(site: &Site, r: &Routes, issuer: Issuer) -> Value {
    let plans = site.issuer_plans(issuer);
    let mut ids: Vec<usize> = plans
        .iter()
        .flat_map(|&p| site.plans[p].sections.iter())
        .flat_map(|s| s.bindings.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let indsatser: Vec<Value> = ids
        .into_iter()
        .filter_map(|i| {
            let keys: Vec<&str> = plans_with_text(site, i, issuer)
                .into_iter()
                .map(|p| site.plans[p].key.as_str())
                .collect();
            // Plans that name it only as a sub-area, without a text of its own: a
            // comparison with one of them must not call it new.
            let named: Vec<&str> = plans
                .iter()
                .filter(|p| site.indsatser[i].plans.binary_search(p).is_ok())
                .map(|&p| site.plans[p].key.as_str())
                .filter(|k| !keys.contains(k))
                .collect();
            (!keys.is_empty()).then(|| {
                value!({ "id": &site.indsatser[i].id, "title": &site.indsatser[i].title,
                        "url": r.url(Page::Indsats(i)),
                        "texts": r.asset(&texts_path(site, i, issuer)), "plans": keys,
                        "named": named })
            })
        })
        .collect();
    value!({
        "issuer": issuer_json(site, issuer),
        "plans": plans.iter().map(|&p| value!({ "key": &site.plans[p].key, "title": &site.plans[p].title,
                                                "url": r.url(Page::Plan(p)) })).collect::<Vec<_>>(),
        "indsatser": indsatser,
    })
}

/// The memo's name for a texts file's key (what it shows, [`TextsFile::key`]) under its
/// quick key: the site-wide state and URLs and the digests of the issuer's plans
/// ([`Keys::issuer_file`]). Every part of [`TextsFile::gather`] comes from these: the
/// indsatsområde's and the issuer's names and addresses are site-wide, the plans with a
/// text for it, their keys, titles and texts are the plans' own.
const TEXTS_KEY: &str = "compare texts key";

/// Every texts and index file of the site, (path, bytes). Compact JSON: these are read
/// by a script, not by people, and they are most of what the feature adds to a build.
/// With `keys`, a texts file whose plans did not change is kept by its quick key,
/// without gathering its texts again.
pub(super) fn files_into(
    site: &Site,
    r: &Routes,
    keys: Option<&Keys>,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    let pairs: Vec<(usize, Issuer)> = (0..site.indsatser.len())
        .flat_map(|i| site.indsats_issuers(i).iter().map(move |&is| (i, is)))
        .collect();
    let memo = sink.memo();
    pairs
        .par_iter()
        .filter(|&&(i, is)| !plans_with_text(site, i, is).is_empty())
        .try_for_each(|&(i, is)| {
            let path = texts_path(site, i, is);
            let quick = keys.zip(memo).map(|(k, m)| {
                let key = k.issuer_file(&path, site.issuer_plans(is));
                (format!("{key:032x}"), m)
            });
            if let Some((quick, m)) = &quick {
                let key = m.get::<u128>(TEXTS_KEY, &[quick]);
                if key.is_some_and(|key| sink.keep(&path, key)) {
                    return Ok(());
                }
            }
            let texts = TextsFile::gather(site, r, i, is);
            let key = texts.key();
            if let Some((quick, m)) = &quick {
                m.put(TEXTS_KEY, &[quick], &key);
            }
            if sink.keep(&path, key) {
                return Ok(());
            }
            sink.put_made_from(path, key, compact(&texts.json()))
        })?;
    // An index file reads what its quick key hashes (the issuer's plans' keys, titles
    // and bindings, and site-wide names and addresses), so the key names its bytes.
    site.issuers()
        .into_par_iter()
        .filter(|&is| !site.issuer_plans(is).is_empty())
        .try_for_each(|is| {
            let path = index_path(site, is);
            let key = keys.map(|k| k.issuer_file(&path, site.issuer_plans(is)));
            let make = &mut || compact(&index_json(site, r, is));
            sink.put_keyed(path, key, make).map(|_| ())
        })
}

fn compact(v: &Value) -> Vec<u8> {
    let mut b = serde_json::to_vec(v).unwrap_or_default();
    b.push(b'\n');
    b
}

/// The plan page's picker: the issuer's earlier plans (newest first, so the previous
/// plan is the default), where the index is, and where the prerendered comparisons a
/// reader without JavaScript can use are listed. `None` for an issuer's first plan.
pub fn plan_picker(site: &Site, r: &Routes, p: usize) -> Option<Value> {
    let plan = &site.plans[p];
    plan.prev?;
    let plans = site.issuer_plans(plan.issuer);
    let at = plans.iter().position(|&q| q == p)?;
    let options: Vec<Value> = plans[..at]
        .iter()
        .rev()
        .map(|&q| value!({ "key": &site.plans[q].key, "title": &site.plans[q].title }))
        .collect();
    Some(value!({
        "index_url": r.asset(&index_path(site, plan.issuer)),
        // Without JavaScript the form leads to the nearest prerendered comparison.
        "action": r.url(Page::Comparison(p)),
        "options": options,
        // The prerendered comparisons are listed once per issuer, not on every plan page
        // (at 20 years that list would add 4 KB to each of 2,200 pages).
        "comparisons_url": format!("{}#sammenligninger", r.url(Page::IssuerPlans(plan.issuer))),
    }))
}

/// The prerendered comparisons of `issuer`'s consecutive plans, newest first: what a
/// reader without JavaScript can compare.
pub fn issuer_comparisons(site: &Site, r: &Routes, issuer: Issuer) -> Vec<Value> {
    site.issuer_plans(issuer)
        .iter()
        .rev()
        .filter_map(|&q| {
            let prev = site.plans[q].prev?;
            Some(value!({ "title": format!("{} sammenlignet med {}", site.plans[q].title, site.plans[prev].title),
                         "url": r.url(Page::Comparison(q)) }))
        })
        .collect()
}

/// The indsatsområde page's picker: every issuer with a text, its plans with one, and a
/// default pair (one issuer's two newest texts, or two issuers' newest). `None` when
/// there are fewer than two texts to compare.
pub fn indsats_picker(site: &Site, r: &Routes, i: usize) -> Option<Value> {
    let issuers: Vec<(Issuer, Vec<usize>)> = site
        .indsats_issuers(i)
        .iter()
        .map(|&is| (is, plans_with_text(site, i, is)))
        .filter(|(_, ps)| !ps.is_empty())
        .collect();
    let side = |name: &str, legend: &str, k: usize, nth_newest: usize| -> Option<Value> {
        let (is, ps) = issuers.get(k)?;
        let p = *ps.iter().rev().nth(nth_newest)?;
        Some(value!({ "name": name, "legend": legend,
                     "issuer": issuer_value(site, *is), "key": &site.plans[p].key,
                     "keys": ps.iter().map(|&q| &site.plans[q].key).collect::<Vec<_>>() }))
    };
    let (a, b) = match issuers.iter().position(|(_, ps)| ps.len() >= 2) {
        Some(k) => (k, k),
        None => (0, 1),
    };
    let one = usize::from(a == b);
    let sides = [
        side("a", "Første tekst", a, one)?,
        side("b", "Anden tekst", b, 0)?,
    ];
    let base = r.url(Page::Indsats(i));
    let list: Vec<Value> = issuers
        .iter()
        .map(|(is, ps)| {
            let history = r.url(Page::IndsatsIssuer(i, *is));
            value!({
                "value": issuer_value(site, *is),
                "name": site.issuer_full_name(*is),
                // Relative to the indsatsområde's page: the texts are `<base><path>tekster.json`.
                "path": history.strip_prefix(&base).unwrap_or(&history),
                "plans": ps.iter().map(|&q| site.plans[q].key.as_str()).collect::<Vec<_>>().join(" "),
                "history_url": history,
            })
        })
        .collect();
    Some(value!({ "base": base, "issuers": list, "sides": sides }))
}
