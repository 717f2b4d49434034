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

mod documents;
pub mod text;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::Sink;
use crate::routes::Routes;

/// Documents per `d/` file: small, because a result page needs the documents of its
/// twenty hits and those are spread over the corpus.
pub const DOC_SHARD: usize = 8;
/// Postings larger than this (bytes of JSON) move to a file of their own, so that a
/// query for a rare word does not download a common word's postings with its shard.
const OWN_FILE: usize = 8 * 1024;
/// A shard over this size moves its largest postings to their own files too.
const SHARD_CAP: usize = 48 * 1024;
/// ... but never postings under this size: a file and a request for a few bytes gain
/// nothing, and content with thousands of made-up words of one prefix (`ord1` …
/// `ord99999`) would otherwise write a file for each (a pull request filling a CI
/// runner's inodes). No real plan's postings come near it (national: 6.8 KB smallest).
const MIN_OWN_FILE: usize = 1024;
/// Snippet text kept per document (characters).
const TEXT_CAP: usize = 2000;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// A term in the title scores this many times its idf: more than a body match can
/// reach (idf × (K1 + 1)), so heading matches rank first.
const TITLE_BOOST: f64 = 3.0;
/// A term in the title or id of an indsatsområde a section is bound to scores this many
/// times its idf, whatever the section's length: below a heading that says it, above
/// nearly any text that only mentions it (idf × (K1 + 1) at most, about idf for a
/// word said once).
const ABOUT_BOOST: f64 = 1.5;
/// The same for a sub-section of a bound section: after the section itself.
const ABOUT_PARENT_BOOST: f64 = 1.0;

/// How a term occurs in a document besides its body, in the low [`FLAG_BITS`] bits of
/// its entry in [`Counts::tf`] (the term id above them): in the title; in what the
/// document is about by its own binding ([`ABOUT_BOOST`]); or by an enclosing
/// section's ([`ABOUT_PARENT_BOOST`]).
const IN_TITLE: u32 = 1;
pub(super) const ABOUT: u32 = 2;
pub(super) const ABOUT_PARENT: u32 = 4;
pub(super) const FLAG_BITS: u32 = 3;
pub(super) const FLAGS: u32 = (1 << FLAG_BITS) - 1;

/// Filter facets shared by a run of consecutive documents; -1 = none.
struct Group {
    start: usize,
    kreds: i64,
    kommune: i64,
    years: (i64, i64),
    kind: i64,
}

/// Every file of the index (path under the output folder, bytes), each handed to `sink`
/// as soon as it is made. The documents stream through: each one's shard is written and
/// its words counted as it comes, so the index never holds the site's text (at national
/// scale 27 MB of it, and its peak was the build's); then the postings, in one flat
/// array, go out a shard at a time.
pub fn files_into(site: &Site, r: &Routes, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let mut laps = crate::timing::Laps::start();
    let (mut counts, groups) = documents::count(site, r, sink)?;
    let docs = counts.docs.len();
    laps.lap("search: documents, counted");
    let by_indsats = std::mem::take(&mut counts.by_indsats);
    let postings = counts.postings();
    laps.lap("search: postings");
    let put = &|path, bytes| sink.put(path, bytes);
    let shards = term_files(&postings, sink)?;
    drop(postings);
    laps.lap("search: term files");
    indsats_files(site, by_indsats, put)?;
    put(
        "data/soeg/indeks.json".into(),
        to_json(&manifest(site, docs, &groups, shards)),
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

/// The word counts of every document, kept flat: a `Vec` per document cost more in
/// headers and slack than the counts themselves.
struct Counts {
    vocab: text::Vocabulary,
    /// Every document's terms, one document after the other, each once: (term id above
    /// the flags of how else it occurs ([`IN_TITLE`], [`ABOUT`], [`ABOUT_PARENT`]), times
    /// it is in the body).
    tf: Vec<(u32, u32)>,
    /// Where each document's terms start in `tf`, and one past the last.
    starts: Vec<usize>,
    /// Each document's body length in terms, and whether it is a page (not a section).
    docs: Vec<(u32, bool)>,
    /// The documents of each indsatsområde (for the filter).
    by_indsats: Vec<Vec<u32>>,
    /// Scratch: the current document's terms, with the flag of where (0: the body).
    ids: Vec<(u32, u32)>,
}

/// Postings of every term (term ids), flat: term `t`'s are
/// `list[offsets[t]..offsets[t + 1]]`, (doc, score) in doc order.
struct Postings {
    terms: Vec<String>,
    offsets: Vec<usize>,
    list: Vec<(u32, u32)>,
}

impl Counts {
    fn new(indsatser: usize) -> Counts {
        Counts {
            vocab: text::Vocabulary::default(),
            tf: Vec::new(),
            starts: vec![0],
            docs: Vec::new(),
            by_indsats: vec![Vec::new(); indsatser],
            ids: Vec::new(),
        }
    }

    /// Counts the next document: its title, its plain text, the words of what it is
    /// about that it need not write with their flag ([`ABOUT`] or [`ABOUT_PARENT`]),
    /// whether it is a page (not a plan's section), and its indsatsområder.
    fn add(
        &mut self,
        title: &str,
        text: &str,
        (about, flag): (&str, u32),
        page: bool,
        indsatser: &[usize],
    ) {
        let n = self.docs.len() as u32;
        let ids = &mut self.ids;
        ids.clear();
        self.vocab.each_term(title, |t| ids.push((t, IN_TITLE)));
        let titled = ids.len();
        self.vocab.each_term(text, |t| ids.push((t, 0)));
        let len = (ids.len() - titled) as u32;
        self.vocab.each_term(about, |t| ids.push((t, flag)));
        // Body hits sort before the other kinds of the same term.
        ids.sort_unstable();
        let first = self.tf.len();
        for &(t, flag) in ids.iter() {
            let own = self.tf.len() > first;
            let body = u32::from(flag == 0);
            match self.tf.last_mut() {
                Some(last) if own && last.0 >> FLAG_BITS == t => {
                    last.0 |= flag;
                    last.1 += body;
                }
                _ => self.tf.push((t << FLAG_BITS | flag, body)),
            }
        }
        self.starts.push(self.tf.len());
        self.docs.push((len, page));
        for &i in indsatser {
            self.by_indsats[i].push(n);
        }
    }

    /// Scores every (term, document): BM25 over the body plus a title bonus, ×10 as
    /// integers (the browser only adds them up). Document numbers are `u32`: no site
    /// has four billion documents.
    fn postings(self) -> Postings {
        let Counts {
            vocab,
            tf,
            starts,
            docs,
            ..
        } = self;
        let terms = vocab.into_terms();
        let n = docs.len().max(1) as f64;
        let avg = (docs.iter().map(|d| u64::from(d.0)).sum::<u64>() as f64 / n).max(1.0);
        let mut offsets = vec![0usize; terms.len() + 1];
        for &(t, _) in &tf {
            offsets[(t >> FLAG_BITS) as usize + 1] += 1;
        }
        for t in 1..offsets.len() {
            offsets[t] += offsets[t - 1];
        }
        let mut next = offsets.clone();
        let mut list = vec![(0u32, 0u32); tf.len()];
        for (d, &(len, page)) in docs.iter().enumerate() {
            let norm = K1 * (1.0 - B + B * f64::from(len) / avg);
            // Pages named after the term (Hjørring Kommune) outrank sections named so.
            let title_weight = if page { 1.2 } else { 1.0 };
            for &(t, body) in &tf[starts[d]..starts[d + 1]] {
                let term = (t >> FLAG_BITS) as usize;
                let dft = (offsets[term + 1] - offsets[term]) as f64;
                let idf = (1.0 + (n - dft + 0.5) / (dft + 0.5)).ln();
                let b = f64::from(body);
                let in_title = t & IN_TITLE != 0;
                // A page the term is only in the body of (a kommune's one sentence, an
                // indsatsområde's description) counts half: "kriminalitetsforebyggelse"
                // listed 27 kommune pages saying they work on it ahead of the plans'
                // sections about it.
                let body_weight = if page && !in_title { 0.5 } else { 1.0 };
                let mut score = body_weight * idf * b * (K1 + 1.0) / (b + norm);
                // What a section is about counts where its heading does not say it: a
                // heading that says it scores as before.
                if in_title {
                    score += idf * TITLE_BOOST * title_weight;
                } else if t & ABOUT != 0 {
                    score += idf * ABOUT_BOOST;
                } else if t & ABOUT_PARENT != 0 {
                    score += idf * ABOUT_PARENT_BOOST;
                }
                list[next[term]] = (d as u32, (score * 10.0).round().max(1.0) as u32);
                next[term] += 1;
            }
        }
        Postings {
            terms,
            offsets,
            list,
        }
    }
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

/// Writes the term shards (and own files for large postings), the shards in parallel
/// (this is the end of the index, the longest chain of a build's work, and by then the
/// pages are done); returns the shard prefixes, sorted.
fn term_files(p: &Postings, sink: &dyn Sink) -> Result<Vec<String>, Diagnostic> {
    let mut order: Vec<usize> = (0..p.terms.len())
        .filter(|&t| p.terms[t].get(..2).is_some())
        .collect();
    order.sort_unstable_by(|&a, &b| p.terms[a].cmp(&p.terms[b]));
    // Runs of terms with the same first two letters: (prefix, range in `order`).
    let mut shards: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for (i, &t) in order.iter().enumerate() {
        let prefix = &p.terms[t][..2];
        match shards.last_mut() {
            Some((last, range)) if *last == prefix => range.end = i + 1,
            _ => shards.push((prefix, i..i + 1)),
        }
    }
    shards.par_iter().try_for_each(|(prefix, range)| {
        let terms = &order[range.clone()];
        let key = shard_key(
            prefix,
            terms.iter().map(|&t| (&p.terms[t], postings_of(p, t))),
        );
        let kept = keep_shard(prefix, key, sink);
        if kept.as_ref().is_some_and(|k| k.all) {
            return Ok(());
        }
        let encoded: Vec<Encoded> = (terms.iter())
            .map(|&t| {
                let list = postings_of(p, t);
                (
                    p.terms[t].as_str(),
                    to_json(&json!(encode(list))),
                    list.len(),
                )
            })
            .collect();
        let (files, own) = shard_files(prefix, encoded);
        if let Some(m) = sink.memo() {
            m.put(OWN_FILES, &[&format!("{key:032x}")], &own);
        }
        let kept = kept.map(|k| k.paths).unwrap_or_default();
        (files.into_iter())
            .filter(|(path, _)| !kept.contains(path))
            .try_for_each(|(path, bytes)| sink.put_made_from(path, key, bytes))
    })?;
    Ok(shards
        .into_iter()
        .map(|(prefix, _)| prefix.to_string())
        .collect())
}

/// Where the index's files go: (path, bytes), from any thread.
type PutFn<'a, E> = dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync + 'a;

/// The memo's record of which terms of a shard (known by [`shard_key`]) have files of
/// their own: with it, a shard whose postings did not change is kept without encoding.
const OWN_FILES: &str = "search term shard own files";

fn postings_of(p: &Postings, t: usize) -> &[(u32, u32)] {
    &p.list[p.offsets[t]..p.offsets[t + 1]]
}

/// A hash of a shard's terms and postings: its files are a function of them. After an
/// edit most scores round to what they were, so most shards hash as the last build's.
fn shard_key<'a>(
    prefix: &str,
    terms: impl Iterator<Item = (&'a String, &'a [(u32, u32)])>,
) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(prefix.as_bytes());
    // The same bytes as a call per number would hash, gathered first: a call to the
    // streaming hash per number cost more than the hashing.
    let mut buf: Vec<u8> = Vec::new();
    for (term, list) in terms {
        buf.clear();
        buf.extend_from_slice(&(term.len() as u64).to_le_bytes());
        buf.extend_from_slice(term.as_bytes());
        buf.extend_from_slice(&(list.len() as u64).to_le_bytes());
        for &(d, s) in list {
            buf.extend_from_slice(&d.to_le_bytes());
            buf.extend_from_slice(&s.to_le_bytes());
        }
        h.update(&buf);
    }
    h.digest128()
}

/// What [`keep_shard`] kept of a shard's files, and whether that was all of them.
struct Kept {
    paths: std::collections::HashSet<String>,
    all: bool,
}

/// Keeps the shard's files as the last build published them when it made them from the
/// same postings (`key`); `None` when the memo does not know the shard.
fn keep_shard(prefix: &str, key: u128, sink: &dyn Sink) -> Option<Kept> {
    let memo = sink.memo()?;
    let own: Vec<String> = memo.get(OWN_FILES, &[&format!("{key:032x}")])?;
    let paths = std::iter::once(format!("data/soeg/t/{prefix}.json"))
        .chain(own.iter().map(|t| format!("data/soeg/t/{prefix}/{t}.json")));
    let (mut kept, mut all) = (std::collections::HashSet::new(), true);
    for path in paths {
        if sink.keep(&path, key) {
            kept.insert(path);
        } else {
            all = false;
        }
    }
    Some(Kept { paths: kept, all })
}

/// The files of the shard of the terms starting with `prefix`: the shard first, then
/// the own files of its largest postings; and the terms that have those own files.
fn shard_files<'a>(
    prefix: &str,
    mut terms: Vec<Encoded<'a>>,
) -> (Vec<(String, Vec<u8>)>, Vec<&'a str>) {
    // Largest first out to own files, while the shard is over its cap.
    terms.sort_by_key(|t| std::cmp::Reverse(t.1.len()));
    let mut size: usize = terms.iter().map(|t| t.1.len() + t.0.len() + 4).sum();
    let mut map = serde_json::Map::new();
    let mut files = vec![(format!("data/soeg/t/{prefix}.json"), Vec::new())];
    let mut own = Vec::new();
    for (term, enc, n) in terms {
        if enc.len() > OWN_FILE || (size > SHARD_CAP && enc.len() >= MIN_OWN_FILE) {
            size -= enc.len();
            files.push((format!("data/soeg/t/{prefix}/{term}.json"), enc));
            own.push(term);
            map.insert(term.to_string(), json!(n));
        } else {
            // Already valid JSON: parse back rather than encode twice.
            let v = serde_json::from_slice(&enc).unwrap_or(Value::Null);
            map.insert(term.to_string(), v);
        }
    }
    let sorted: BTreeMap<String, Value> = map.into_iter().collect();
    files[0].1 = to_json(&json!(sorted));
    (files, own)
}

/// `i/<id>.json`: the documents of each indsatsområde, delta-coded.
fn indsats_files<E>(site: &Site, by_indsats: Vec<Vec<u32>>, sink: &PutFn<'_, E>) -> Result<(), E> {
    for (i, ids) in by_indsats.into_iter().enumerate() {
        let mut prev = 0;
        let deltas: Vec<u32> = ids
            .into_iter()
            .map(|d| {
                let x = d - prev;
                prev = d;
                x
            })
            .collect();
        sink(
            format!("data/soeg/i/{}.json", site.indsatser[i].id),
            to_json(&json!(deltas)),
        )?;
    }
    Ok(())
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
        // Each kommune's kreds (by index): the kommune filter keeps its kredsråd's plans.
        "kommune_kreds": site.kommuner.iter().map(|k| k.kreds).collect::<Vec<_>>(),
        "types": ["samarbejdsplan", "handleplan"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thousands of tiny postings under one prefix stay in their shard: one file, not
    /// one per word. Large postings still get files of their own.
    #[test]
    fn tiny_postings_never_get_files_of_their_own() {
        let names: Vec<String> = (0..20_000).map(|n| format!("ord{n}")).collect();
        let mut terms: Vec<Encoded> = names
            .iter()
            .map(|t| (t.as_str(), b"[1,9]".to_vec(), 1))
            .collect();
        let big = format!("[{}]", vec!["1,9"; 3000].join(","));
        terms.push(("ordbog", big.into_bytes(), 3000));
        let mut files: Vec<String> = shard_files("or", terms)
            .0
            .into_iter()
            .map(|f| f.0)
            .collect();
        files.sort();
        assert_eq!(files, ["data/soeg/t/or.json", "data/soeg/t/or/ordbog.json"]);
    }
}
