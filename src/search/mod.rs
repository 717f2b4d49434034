//! The full-text search index (`data/soeg/`), split so that a query downloads only
//! what it needs:
//!
//! - `indeks.json`, the manifest: document count, stop words, which term shards
//!   exist, and the filter facets of every document as runs of consecutive documents
//!   (a plan's sections are consecutive, so one run per plan);
//! - `t/<xx>.json`: the postings of every term starting with `xx` (folded, stemmed),
//!   as `[doc delta, score, …]` with the score (BM25, headings first) precomputed;
//!   a term whose postings are large gets its own file `t/<xx>/<term>.json` and only
//!   its posting count in the shard;
//! - `d/<n>.json`: the documents `n*DOC_SHARD..`: title, context, URL, plain text
//!   (for the snippet), kind;
//! - `i/<id>.json`: the documents of one indsatsområde (for that filter).
//!
//! Documents: every plan section (heading and own text), every indsatsområde, kommune
//! and kreds page. The browser side is `themes/standard/static/search.js`.

pub mod text;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::model::{text::bound_ancestor, Issuer, Site};
use crate::routes::{Page, Routes};

/// Documents per `d/` file: small, because a result page needs the documents of its
/// twenty hits and those are spread over the corpus.
pub const DOC_SHARD: usize = 8;
/// Postings larger than this (bytes of JSON) move to a file of their own, so that a
/// query for a rare word does not download a common word's postings with its shard.
const OWN_FILE: usize = 8 * 1024;
/// A shard over this size moves its largest postings to their own files too.
const SHARD_CAP: usize = 48 * 1024;
/// Snippet text kept per document (characters).
const TEXT_CAP: usize = 2000;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A term in the title scores this many times its idf: more than a body match can
/// reach (idf × (K1 + 1)), so heading matches rank first.
const TITLE_BOOST: f64 = 3.0;

/// One searchable thing.
struct Doc {
    title: String,
    context: String,
    url: String,
    kind: &'static str,
    text: String,
    /// Indsatsområder it belongs to (for the filter).
    indsatser: Vec<usize>,
}

/// Filter facets shared by a run of consecutive documents; -1 = none.
struct Group {
    start: usize,
    kreds: i64,
    kommune: i64,
    years: (i64, i64),
    kind: i64,
}

/// Every file of the index (path under the output folder, bytes), each handed to `sink`
/// as soon as its part of the index is done, and each
/// stage's working data dropped before the next: the postings are gone before the
/// document shards are made (at national scale the index is 43 MB of files).
pub fn files_into<E>(
    site: &Site,
    r: &Routes,
    sink: &mut dyn FnMut(String, Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    let mut laps = crate::timing::Laps::start();
    let (docs, groups) = documents(site, r);
    laps.lap("search: documents");
    let postings = postings(&docs);
    laps.lap("search: postings");
    let mut out = Vec::new();
    let shards = term_files(&postings, &mut out);
    drop(postings);
    out.drain(..).try_for_each(|(p, b)| sink(p, b))?;
    laps.lap("search: term files");
    for (n, chunk) in docs.chunks(DOC_SHARD).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.title, d.context, d.url, cap(&d.text), d.kind]))
            .collect();
        sink(format!("data/soeg/d/{n}.json"), to_json(&json!(rows)))?;
    }
    indsats_files(site, &docs, &mut out);
    out.drain(..).try_for_each(|(p, b)| sink(p, b))?;
    sink(
        "data/soeg/indeks.json".into(),
        to_json(&manifest(site, docs.len(), &groups, shards)),
    )?;
    laps.lap("make search index (beside the pages)");
    Ok(())
}

/// The first `TEXT_CAP` characters (the snippet shows a window of them).
fn cap(text: &str) -> &str {
    text.char_indices()
        .nth(TEXT_CAP)
        .map_or(text, |(i, _)| &text[..i])
}

fn to_json(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

/// Every document, plans first (section by section), then the pages; and the runs
/// of documents that share facets.
fn documents(site: &Site, r: &Routes) -> (Vec<Doc>, Vec<Group>) {
    let mut docs = Vec::new();
    let mut groups = Vec::new();
    for (p, plan) in site.plans.iter().enumerate() {
        let (kreds, kommune) = match plan.issuer {
            Issuer::Kreds(k) => (k as i64, -1),
            Issuer::Kommune(m) => (site.kommuner[m].kreds as i64, m as i64),
        };
        groups.push(Group {
            start: docs.len(),
            kreds,
            kommune,
            years: (plan.first_year(), plan.last_year()),
            kind: i64::from(plan.kind == crate::load::PlanKind::Handleplan),
        });
        let context = format!("{} – {}", plan.title, site.issuer_name(plan.issuer));
        for (s, sec) in plan.sections.iter().enumerate() {
            docs.push(Doc {
                title: sec.title.clone(),
                context: context.clone(),
                url: r.section(p, s),
                kind: "Afsnit",
                text: text::plain(&sec.own_md),
                indsatser: bound_ancestor(&plan.sections, s)
                    .map(|a| plan.sections[a].bindings.clone())
                    .unwrap_or_default(),
            });
        }
    }
    pages(site, r, &mut docs, &mut groups);
    (docs, groups)
}

/// The indsatsområde, kommune and kreds pages as documents.
fn pages(site: &Site, r: &Routes, docs: &mut Vec<Doc>, groups: &mut Vec<Group>) {
    let none = |start| Group {
        start,
        kreds: -1,
        kommune: -1,
        years: (-1, -1),
        kind: -1,
    };
    groups.push(none(docs.len()));
    for (i, ind) in site.indsatser.iter().enumerate() {
        let mut body = ind.aliases.join(". ");
        for extra in [&ind.theme, &ind.description].into_iter().flatten() {
            body.push_str(". ");
            body.push_str(extra);
        }
        body.push(' ');
        body.push_str(&text::plain(&ind.body_md));
        docs.push(Doc {
            title: ind.title.clone(),
            context: "Indsatsområde".into(),
            url: r.url(Page::Indsats(i)),
            kind: "Indsatsområde",
            text: body.trim().to_string(),
            indsatser: vec![i],
        });
    }
    for (m, km) in site.kommuner.iter().enumerate() {
        groups.push(Group {
            kreds: km.kreds as i64,
            kommune: m as i64,
            ..none(docs.len())
        });
        docs.push(Doc {
            title: km.full_name.clone(),
            context: format!("Kommune i {}", site.kredse[km.kreds].name),
            url: r.url(Page::Kommune(m)),
            kind: "Kommune",
            text: text::plain(&km.body_md),
            indsatser: Vec::new(),
        });
    }
    for (k, kr) in site.kredse.iter().enumerate() {
        groups.push(Group {
            kreds: k as i64,
            ..none(docs.len())
        });
        docs.push(Doc {
            title: kr.name.clone(),
            context: "Politikreds".into(),
            url: r.url(Page::Kreds(k)),
            kind: "Politikreds",
            text: text::plain(&kr.body_md),
            indsatser: Vec::new(),
        });
    }
}

/// Term frequencies of one document, by term id: (term, in title, in body); and the
/// body's length in terms.
type Counts = (Vec<(u32, u32, u32)>, usize);

fn count(d: &Doc, vocab: &mut text::Vocabulary) -> Counts {
    let mut ids: Vec<(u32, bool)> = Vec::new();
    vocab.each_term(&d.title, |t| ids.push((t, true)));
    let titled = ids.len();
    vocab.each_term(&d.text, |t| ids.push((t, false)));
    let len = ids.len() - titled;
    ids.sort_unstable();
    let mut tf: Vec<(u32, u32, u32)> = Vec::new();
    for (t, in_title) in ids {
        if tf.last().is_none_or(|l| l.0 != t) {
            tf.push((t, 0, 0));
        }
        if let Some(l) = tf.last_mut() {
            if in_title {
                l.1 += 1;
            } else {
                l.2 += 1;
            }
        }
    }
    (tf, len)
}

/// Counts every document, chunks in parallel, each with its own vocabulary; returns
/// the counts with term ids of one shared vocabulary (`terms`, the stems).
fn count_all(docs: &[Doc]) -> (Vec<Counts>, Vec<String>) {
    let chunks: Vec<(Vec<Counts>, Vec<String>)> = docs
        .par_chunks(512)
        .map(|chunk| {
            let mut vocab = text::Vocabulary::default();
            let counts = chunk.iter().map(|d| count(d, &mut vocab)).collect();
            (counts, vocab.terms)
        })
        .collect();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut terms: Vec<String> = Vec::new();
    let mut all = Vec::with_capacity(docs.len());
    for (counts, local) in chunks {
        let map: Vec<u32> = local
            .into_iter()
            .map(|t| {
                let next = terms.len() as u32;
                let id = *ids.entry(t.clone()).or_insert(next);
                if id == next {
                    terms.push(t);
                }
                id
            })
            .collect();
        for (tf, len) in counts {
            let tf = tf
                .into_iter()
                .map(|(t, a, b)| (map[t as usize], a, b))
                .collect();
            all.push((tf, len));
        }
    }
    (all, terms)
}

/// Postings of every term, by term: (doc, score) in doc order. Scores are BM25 over
/// the body plus a title bonus, ×10 as integers (the browser only adds them up).
/// Document numbers are `u32`: half the memory of `usize` for the largest structure of
/// the index while it is built, and no site has four billion documents.
fn postings(docs: &[Doc]) -> BTreeMap<String, Vec<(u32, u32)>> {
    let (counts, terms) = count_all(docs);
    let n = docs.len().max(1) as f64;
    let avg = (counts.iter().map(|c| c.1).sum::<usize>() as f64 / n).max(1.0);
    let mut df = vec![0usize; terms.len()];
    for (tf, _) in &counts {
        for &(t, _, _) in tf {
            df[t as usize] += 1;
        }
    }
    let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); terms.len()];
    for (d, (tf, len)) in counts.iter().enumerate() {
        let norm = K1 * (1.0 - B + B * *len as f64 / avg);
        // Pages named after the term (Hjørring Kommune) outrank sections named so.
        let page = if docs[d].kind == "Afsnit" { 1.0 } else { 1.2 };
        for &(t, title, body) in tf {
            let dft = df[t as usize] as f64;
            let idf = (1.0 + (n - dft + 0.5) / (dft + 0.5)).ln();
            let b = f64::from(body);
            let mut score = idf * b * (K1 + 1.0) / (b + norm);
            if title > 0 {
                score += idf * TITLE_BOOST * page;
            }
            lists[t as usize].push((d as u32, (score * 10.0).round().max(1.0) as u32));
        }
    }
    terms.into_iter().zip(lists).collect()
}

/// `[delta, score, delta, score, …]`: small JSON for long lists.
fn encode(list: &[(u32, u32)]) -> Vec<u64> {
    let mut prev = 0u32;
    let mut v = Vec::with_capacity(list.len() * 2);
    for &(d, s) in list {
        v.push(u64::from(d - prev));
        v.push(u64::from(s));
        prev = d;
    }
    v
}

/// A term, its postings as JSON, their count.
type Encoded<'a> = (&'a str, Vec<u8>, usize);

/// Writes the term shards (and own files for large postings); returns the shard
/// prefixes, sorted.
fn term_files(
    postings: &BTreeMap<String, Vec<(u32, u32)>>,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Vec<String> {
    let mut groups: BTreeMap<&str, Vec<Encoded>> = BTreeMap::new();
    for (term, list) in postings {
        let Some(prefix) = term.get(..2) else {
            continue;
        };
        let enc = to_json(&json!(encode(list)));
        groups
            .entry(prefix)
            .or_default()
            .push((term, enc, list.len()));
    }
    let names: Vec<String> = groups.keys().map(|p| p.to_string()).collect();
    for (prefix, mut terms) in groups {
        // Largest first out to own files, while the shard is over its cap.
        terms.sort_by_key(|t| std::cmp::Reverse(t.1.len()));
        let mut size: usize = terms.iter().map(|t| t.1.len() + t.0.len() + 4).sum();
        let mut map = serde_json::Map::new();
        for (term, enc, n) in terms {
            if enc.len() > OWN_FILE || size > SHARD_CAP {
                size -= enc.len();
                out.push((format!("data/soeg/t/{prefix}/{term}.json"), enc));
                map.insert(term.to_string(), json!(n));
            } else {
                // Already valid JSON: parse back rather than encode twice.
                let v = serde_json::from_slice(&enc).unwrap_or(Value::Null);
                map.insert(term.to_string(), v);
            }
        }
        let sorted: BTreeMap<String, Value> = map.into_iter().collect();
        out.push((
            format!("data/soeg/t/{prefix}.json"),
            to_json(&json!(sorted)),
        ));
    }
    names
}

/// `i/<id>.json`: the documents of each indsatsområde, delta-coded.
fn indsats_files(site: &Site, docs: &[Doc], out: &mut Vec<(String, Vec<u8>)>) {
    let mut by: Vec<Vec<u64>> = vec![Vec::new(); site.indsatser.len()];
    for (d, doc) in docs.iter().enumerate() {
        for &i in &doc.indsatser {
            by[i].push(d as u64);
        }
    }
    for (i, ids) in by.into_iter().enumerate() {
        let mut prev = 0;
        let deltas: Vec<u64> = ids
            .into_iter()
            .map(|d| {
                let x = d - prev;
                prev = d;
                x
            })
            .collect();
        out.push((
            format!("data/soeg/i/{}.json", site.indsatser[i].id),
            to_json(&json!(deltas)),
        ));
    }
}

fn manifest(site: &Site, docs: usize, groups: &[Group], shards: Vec<String>) -> Value {
    let flat: Vec<i64> = groups
        .iter()
        .flat_map(|g| {
            [
                g.start as i64,
                g.kreds,
                g.kommune,
                g.years.0,
                g.years.1,
                g.kind,
            ]
        })
        .collect();
    json!({
        "version": 1,
        "docs": docs,
        "doc_shard": DOC_SHARD,
        "stop": text::STOP_WORDS.as_slice(),
        "shards": shards,
        "groups": flat,
        "kredse": site.kredse.iter().map(|k| k.slug.as_str()).collect::<Vec<_>>(),
        "kommuner": site.kommuner.iter().map(|k| k.slug.as_str()).collect::<Vec<_>>(),
        "types": ["samarbejdsplan", "handleplan"],
    })
}
