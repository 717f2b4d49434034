//! How each indsatsområde moves from one plan of an issuer to the next.
//!
//! For every plan we compute, once, the status of each indsatsområde it binds (or that
//! its predecessor bound and it dropped) relative to the same issuer's previous plan,
//! with a word-level diff of the texts. Comparison pages, indsatsområde pages and the
//! matrices all read these results; nothing is recomputed per page, so the cost is
//! linear in the number of plans (and their text).

use std::sync::Arc;

use std::hash::Hash;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use super::diff::{word_diff, Diff, Segment, SegmentKind};
use super::digest::Fingerprint;
use super::text::section_markdown;
use super::Site;
use crate::memo::Memo;

/// Texts whose changed words are at most this share of their words count as
/// "videreført" (nearly unchanged) rather than "ændret".
pub const CONTINUED_MAX_CHANGE: f64 = 0.10;

/// Status of an indsatsområde in a plan, relative to the issuer's previous plan.
///
/// When several apply, the first in this order wins: *sammenlagt* (it now shares a
/// section with indsatsområder it did not share one with), *udskilt* (it shared a section
/// with, or was a heading-less sub-area of, indsatsområder it is now apart from), then
/// *ændret* / *videreført* by how much its own text changed. The relations behind a
/// status are kept in [`Entry`] whatever status wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// In the issuer's first plan on the site: there is no earlier plan to compare with,
    /// so nothing there is "new".
    #[serde(rename = "første plan")]
    Første,
    /// New: not in any earlier plan of the issuer that the site has.
    #[serde(rename = "ny")]
    Ny,
    /// Back after one or more plans without it.
    #[serde(rename = "genoptaget")]
    Genoptaget,
    /// Continued, text nearly unchanged.
    #[serde(rename = "videreført")]
    Videreført,
    /// Continued, text changed.
    #[serde(rename = "ændret")]
    Ændret,
    /// Continued in a section that now also holds other indsatsområder.
    #[serde(rename = "sammenlagt")]
    Sammenlagt,
    /// Split off: it shared a section last time (or was a sub-area of an umbrella
    /// without a heading of its own) and has its own section now.
    #[serde(rename = "udskilt")]
    Udskilt,
    /// In the previous plan, not in this one.
    #[serde(rename = "udgået")]
    Udgået,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Første => "første plan",
            Status::Ny => "ny",
            Status::Genoptaget => "genoptaget",
            Status::Videreført => "videreført",
            Status::Ændret => "ændret",
            Status::Sammenlagt => "sammenlagt",
            Status::Udskilt => "udskilt",
            Status::Udgået => "udgået",
        }
    }
    pub const ALL: [Status; 8] = [
        Status::Ny,
        Status::Genoptaget,
        Status::Ændret,
        Status::Videreført,
        Status::Sammenlagt,
        Status::Udskilt,
        Status::Udgået,
        Status::Første,
    ];
}

/// One indsatsområde in one plan, relative to the previous plan.
#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
pub struct Entry {
    pub indsats: usize,
    pub status: Status,
    /// Sections of the previous plan bound to it (empty if it was not there, or only
    /// as a sub-area without a heading).
    pub old_sections: Vec<usize>,
    /// Sections of this plan bound to it (empty if dropped, or a sub-area without a
    /// heading).
    pub new_sections: Vec<usize>,
    /// Other indsatsområder sharing a section with it in this plan; for a sub-area
    /// without a heading, the umbrella it is named in.
    pub merged_with: Vec<usize>,
    /// Indsatsområder it shared a section with (or was a sub-area of) in the previous
    /// plan and is now apart from; empty when it is dropped.
    pub split_from: Vec<usize>,
    /// Umbrella indsatsområder it is part of in this plan: bound to an enclosing
    /// section, or naming it with `omfatter=`.
    pub part_of: Vec<usize>,
    /// In this plan only as a sub-area named by an umbrella, without its own section.
    pub covered: bool,
    /// Merged: the indsatsområder whose previous sections `diff` compares the section
    /// with, besides this one's (they had sections of their own and share this one's
    /// now).
    pub compared_with: Vec<usize>,
    /// Diff from the previous plan's text (continued, changed, merged, split).
    pub diff: Option<Diff>,
    /// The share of old and new words changed as a reader counts them
    /// ([`super::diff::reading`]), in tenths of a percent, when it was counted: continued
    /// with the diff's own count over the 10 % rule, and not settled by a count of words
    /// alone ([`super::diff::reading::lowest`]). `None` otherwise, and when partners left
    /// its section (the rule then reads the share of new words). A page says why such a
    /// text is videreført after all.
    pub read_share: Option<u16>,
}

/// A plan's entries relative to its predecessor.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Hash)]
pub struct PlanEvolution {
    pub prev: Option<usize>,
    /// Sorted by indsatsområde index.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Evolution {
    /// Indexed like `Site::plans`; shared like them (see [`Site::plans`]).
    pub plans: Vec<Arc<PlanEvolution>>,
    /// Per plan, a hash of everything its evolution is made from ([`inputs_keys`]), when
    /// a build with a memo computed them; empty otherwise (and after `serve` patched
    /// plans). A plan's digest is this key rather than a hash of its evolution, so
    /// whatever changes a plan after this was computed must clear it (as `recompute`
    /// does); outside the model it cannot be set.
    pub(super) keys: Vec<u128>,
}

impl Evolution {
    /// The evolution of every plan: a plan's whole evolution from `memo` when it has
    /// it for the same inputs ([`inputs_keys`]), else computed, with its block diffs
    /// from `memo` when it has them.
    pub fn compute(site: &Site, memo: &Memo) -> Evolution {
        let texts = LazyTexts::new(site);
        let keys = if memo.is_on() {
            inputs_keys(site)
        } else {
            Vec::new()
        };
        let plans = (0..site.plans.len())
            .into_par_iter()
            .map(|p| {
                let make = || plan_evolution(site, p, &texts, memo);
                Arc::new(match keys.get(p) {
                    Some(&key) => kept(memo, key, make),
                    None => make(),
                })
            })
            .collect();
        Evolution { plans, keys }
    }

    /// Recomputes the evolution of `plans` only (after serve patched them), reusing every
    /// other plan's.
    pub fn recompute(site: &mut Site, plans: &[usize]) {
        let texts = LazyTexts::new(site);
        let fresh: Vec<(usize, PlanEvolution)> = plans
            .par_iter()
            .map(|&p| (p, plan_evolution(site, p, &texts, &Memo::off())))
            .collect();
        for (p, e) in fresh {
            site.evolution.plans[p] = Arc::new(e);
        }
        site.evolution.keys.clear();
    }

    /// The entry for `indsats` in `plan`, if it is there or was just dropped.
    pub fn entry(&self, plan: usize, indsats: usize) -> Option<&Entry> {
        let es = &self.plans.get(plan)?.entries;
        es.binary_search_by(|e| e.indsats.cmp(&indsats))
            .ok()
            .map(|i| &es[i])
    }
}

/// A plan's evolution from the memo, under `key` (its inputs, [`inputs_keys`]), or made.
/// A republish reads 2,200 of these, without the diffs' blocks, which only a page
/// rendered again reads ([`full_diff`]), instead of making 2,200 plans' texts again and
/// reading back 44,000 block diffs whole.
fn kept(memo: &Memo, key: u128, make: impl FnOnce() -> PlanEvolution) -> PlanEvolution {
    let key = format!("{key:032x}");
    if let Some(evolution) = memo.get::<PlanEvolution>("evolution", &[&key]) {
        for d in evolution.entries.iter().filter_map(|e| e.diff.as_ref()) {
            memo.keep_unread(BLOCK_DIFF, &[&format!("{:032x}", d.source)]);
        }
        return evolution;
    }
    let mut evolution = make();
    // Kept without the diffs' blocks, which stay in the memo as the block diffs they
    // are (see [`text_diff`]): swapped out while it is recorded, not copied.
    let full: Vec<Option<Diff>> = (evolution.entries.iter_mut())
        .map(|e| {
            let full = e.diff.take();
            e.diff = full.as_ref().map(Diff::without_blocks);
            full
        })
        .collect();
    memo.put("evolution", &[&key], &evolution);
    for (e, full) in evolution.entries.iter_mut().zip(full) {
        e.diff = full;
    }
    evolution
}

/// The memo's name for a block diff, kept under a hash of its two texts.
const BLOCK_DIFF: &str = "block diff";

/// `e`'s diff in plan `p` with its blocks: as it is, or, when they were left in the
/// memo ([`Diff::blocks_kept`]), from the memo, or made again from the texts if the
/// memo no longer has them.
pub fn full_diff<'e>(
    site: &Site,
    memo: &Memo,
    p: usize,
    e: &'e Entry,
) -> Option<std::borrow::Cow<'e, Diff>> {
    use std::borrow::Cow;
    let d = e.diff.as_ref()?;
    if !d.blocks_kept {
        return Some(Cow::Borrowed(d));
    }
    let mut full = match memo.get::<Diff>(BLOCK_DIFF, &[&format!("{:032x}", d.source)]) {
        Some(full) => full,
        None => {
            let q = site.plans[p].prev?;
            let texts = LazyTexts::new(site);
            text_diff(
                site,
                (q, p),
                e.indsats,
                &e.compared_with,
                &texts,
                &Memo::off(),
            )
        }
    };
    full.source = d.source;
    Some(Cow::Owned(full))
}

/// What each plan's evolution is made from, hashed: the plan, its predecessor, and the
/// indsatsområder the issuer's plans before those named (an entry "genoptaget" looks
/// back). Plans are hashed through their derived `Hash`, every field, so a field the
/// evolution comes to read later is covered. Indsatsområder are indices into the site's
/// list: a registry edit that renumbers them changes every plan's key.
fn inputs_keys(site: &Site) -> Vec<u128> {
    let own: Vec<u128> = (site.plans.par_iter())
        .map(|plan| {
            let mut h = Fingerprint::new();
            plan.hash(&mut h);
            h.digest()
        })
        .collect();
    let named: Vec<Vec<usize>> = site.plans.par_iter().map(|p| p.named_ids()).collect();
    (0..site.plans.len())
        .into_par_iter()
        .map(|p| {
            let prev = site.plans[p].prev;
            let mut earlier: Vec<usize> = Vec::new();
            let mut cur = prev.and_then(|q| site.plans[q].prev);
            while let Some(q) = cur {
                earlier.extend(&named[q]);
                cur = site.plans[q].prev;
            }
            earlier.sort_unstable();
            earlier.dedup();
            let mut h = Fingerprint::new();
            (own[p], prev.map(|q| own[q]), earlier).hash(&mut h);
            h.digest()
        })
        .collect()
}

/// Sections of `plan` bound to `indsats`, leaving out those already inside the text of
/// another of them (a sub-section with the same bindings as its bound parent).
pub fn bound_sections(site: &Site, plan: usize, indsats: usize) -> Vec<usize> {
    let secs = &site.plans[plan].sections;
    (0..secs.len())
        .filter(|&i| secs[i].bindings.contains(&indsats))
        .filter(|&i| !inside_same_binding(secs, i))
        .collect()
}

/// Is section `i` part of the text of an ancestor with the same bindings?
fn inside_same_binding(secs: &[super::Section], i: usize) -> bool {
    let mut cur = secs[i].parent;
    while let Some(a) = cur {
        if !secs[a].bindings.is_empty() {
            return secs[a].bindings == secs[i].bindings;
        }
        cur = secs[a].parent;
    }
    false
}

/// Sections of `plan` that name `indsats` as a sub-area (`omfatter=`).
fn covering_sections(site: &Site, plan: usize, indsats: usize) -> Vec<usize> {
    let secs = &site.plans[plan].sections;
    (0..secs.len())
        .filter(|&i| secs[i].covers.contains(&indsats))
        .collect()
}

/// The indsatsområder bound to `sections` of `plan`, `indsats` itself left out.
fn bound_with(site: &Site, plan: usize, sections: &[usize], indsats: usize) -> Vec<usize> {
    let mut v: Vec<usize> = sections
        .iter()
        .flat_map(|&s| site.plans[plan].sections[s].bindings.iter().copied())
        .filter(|&o| o != indsats)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The umbrellas `indsats` is part of in `plan`: the bindings of the nearest bound
/// section enclosing each of its sections, and of the sections naming it as a sub-area.
fn umbrellas(site: &Site, plan: usize, sections: &[usize], indsats: usize) -> Vec<usize> {
    let secs = &site.plans[plan].sections;
    let mut up: Vec<usize> = covering_sections(site, plan, indsats);
    for &s in sections {
        let mut cur = secs[s].parent;
        while let Some(a) = cur {
            if !secs[a].bindings.is_empty() {
                up.push(a);
                break;
            }
            cur = secs[a].parent;
        }
    }
    bound_with(site, plan, &up, indsats)
}

/// The text of an indsatsområde in a plan: its bound sections, sub-sections included
/// except those bound to other indsatsområder (an umbrella's own text).
pub fn indsats_text(site: &Site, plan: usize, sections: &[usize]) -> String {
    sections
        .iter()
        .map(|&s| section_markdown(&site.plans[plan], s))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A plan's diff texts by indsatsområde, sorted by indsatsområde.
type Texts = Vec<(usize, String)>;

/// Each plan's text of each indsatsområde, made when first asked for and then kept: it
/// is the new side of one diff and the old side of the next, and a plan whose evolution
/// comes from the memo needs neither.
struct LazyTexts<'a> {
    site: &'a Site,
    texts: Vec<OnceLock<Texts>>,
}

impl<'a> LazyTexts<'a> {
    fn new(site: &'a Site) -> LazyTexts<'a> {
        LazyTexts {
            site,
            texts: (0..site.plans.len()).map(|_| OnceLock::new()).collect(),
        }
    }
    fn of(&self, p: usize) -> &Texts {
        self.texts[p].get_or_init(|| plan_texts(self.site, p))
    }
}

fn plan_texts(site: &Site, p: usize) -> Texts {
    site.plans[p]
        .bound_ids()
        .into_iter()
        .map(|i| {
            let text = indsats_text(site, p, &bound_sections(site, p, i));
            (i, text)
        })
        .collect()
}

fn text_of<'t>(texts: &'t LazyTexts, p: usize, ind: usize) -> &'t str {
    let t = texts.of(p);
    t.binary_search_by_key(&ind, |(i, _)| *i)
        .map_or("", |k| t[k].1.as_str())
}

/// How an indsatsområde is present in one plan.
#[derive(Debug, Default)]
struct Presence {
    /// Its own sections.
    sections: Vec<usize>,
    /// Indsatsområder sharing those sections.
    with: Vec<usize>,
    /// Umbrellas naming it as a sub-area (`omfatter=`) where it has no section.
    covered_by: Vec<usize>,
}

impl Presence {
    fn of(site: &Site, plan: usize, ind: usize) -> Presence {
        let sections = bound_sections(site, plan, ind);
        let with = bound_with(site, plan, &sections, ind);
        let covered_by = if sections.is_empty() {
            let cov = covering_sections(site, plan, ind);
            bound_with(site, plan, &cov, ind)
        } else {
            Vec::new()
        };
        Presence {
            sections,
            with,
            covered_by,
        }
    }
    fn is_present(&self) -> bool {
        !self.sections.is_empty() || !self.covered_by.is_empty()
    }
    fn is_bound(&self) -> bool {
        !self.sections.is_empty()
    }
    /// Who it shares its place with: section partners, or the umbrella naming it.
    fn companions(&self) -> &[usize] {
        if self.is_bound() {
            &self.with
        } else {
            &self.covered_by
        }
    }
}

fn plan_evolution(site: &Site, p: usize, texts: &LazyTexts, memo: &Memo) -> PlanEvolution {
    let prev = site.plans[p].prev;
    let present = site.plans[p].named_ids();
    let mut ids = present.clone();
    if let Some(q) = prev {
        ids.extend(site.plans[q].named_ids());
        ids.sort_unstable();
        ids.dedup();
    }
    let entries = ids
        .into_iter()
        .map(|ind| entry(site, p, ind, &present, texts, memo))
        .collect();
    PlanEvolution { prev, entries }
}

/// It shared its section with indsatsområder that this plan no longer has (all of them),
/// and now has a section of its own: the words they took with them were theirs.
fn partners_left(old: &Presence, new: &Presence, split_from: &[usize]) -> bool {
    !old.companions().is_empty() && new.companions().is_empty() && split_from.is_empty()
}

/// Whether a text changed past the 10 % rule, its words counted as a reader counts them
/// ([`super::diff::reading`]: not their order, case, accents or punctuation, nor a year
/// that moved with the plan), in plans `year_shift` years apart. When its partners left
/// the section it shared ([`partners_left`]), which of the old words were its own cannot
/// be told, and a reader compares what it says now with what it said: the share of its
/// new words that were not there before ("Indbrud og vold" → "Indbrud" with the same
/// sentences on indbrud is videreført, not ændret).
/// Returns the reader's share when it was counted (see [`Entry::read_share`]).
fn changed(
    d: &super::diff::Diff,
    partners_left: bool,
    year_shift: i64,
    memo: &Memo,
) -> (bool, Option<u16>) {
    // A text left with no words at all is no continuation, whoever took them.
    let by_added = partners_left && d.added_words + d.unchanged_words > 0;
    let diff_share = if by_added {
        d.added_share()
    } else {
        d.changed_share()
    };
    // The diff's share bounds the reader's from above, and a count of words from below:
    // most texts are settled without reading them.
    if diff_share <= CONTINUED_MAX_CHANGE {
        return (false, None);
    }
    let least = super::diff::reading::lowest(d);
    if (if by_added { least.added } else { least.changed }) > CONTINUED_MAX_CHANGE {
        return (true, None);
    }
    // Folding every changed word of thousands of texts is a republish's cost: kept by
    // the texts' hash (the diff's identity) when the model knows it.
    let r = if d.source == 0 {
        super::diff::reading(d, year_shift)
    } else {
        let key = [format!("{:032x}", d.source), year_shift.to_string()];
        let (changed, added) = memo.value("reading", &[&key[0], &key[1]], || {
            let r = super::diff::reading(d, year_shift);
            (r.changed, r.added)
        });
        super::diff::Reading { changed, added }
    };
    let share = if by_added { r.added } else { r.changed };
    let shown = (!by_added).then(|| (share * 1000.0).round() as u16);
    (share > CONTINUED_MAX_CHANGE, shown)
}

/// How many years plan `p` comes after plan `q` (by their first years).
fn year_shift(site: &Site, q: usize, p: usize) -> i64 {
    let first = |i: usize| site.plans[i].years.first().copied().unwrap_or(0);
    first(p) - first(q)
}

/// The entry of `ind` in plan `p`: its status with the relations behind it. `present`
/// is every indsatsområde plan `p` has (sorted).
fn entry(
    site: &Site,
    p: usize,
    ind: usize,
    present: &[usize],
    texts: &LazyTexts,
    memo: &Memo,
) -> Entry {
    let prev = site.plans[p].prev;
    let new = Presence::of(site, p, ind);
    let old = prev.map(|q| Presence::of(site, q, ind)).unwrap_or_default();
    // Still present now: a partner that was dropped is no split. Nor is one that is
    // dropped itself: it was not split off from the section it shared, it left it
    // (its old section is linked from its entry).
    let present_now = |o: &usize| present.binary_search(o).is_ok();
    let split_from: Vec<usize> = old
        .companions()
        .iter()
        .filter(|o| new.is_present() && !new.companions().contains(o) && present_now(o))
        .copied()
        .collect();
    let joined = new
        .companions()
        .iter()
        .any(|o| !old.companions().contains(o));
    let compared_with = merged_partners(site, p, &old, &new);
    let diff = match (prev, old.is_bound() && new.is_bound()) {
        (Some(q), true) => Some(text_diff(site, (q, p), ind, &compared_with, texts, memo)),
        _ => None,
    };
    let judged = match (prev, &diff) {
        (Some(q), Some(d)) => changed(
            d,
            partners_left(&old, &new, &split_from),
            year_shift(site, q, p),
            memo,
        ),
        _ => (false, None),
    };
    let status = match prev {
        None => Status::Første,
        Some(_) if !new.is_present() => Status::Udgået,
        Some(_) if !old.is_present() => {
            if earlier_had(site, p, ind) {
                Status::Genoptaget
            } else {
                Status::Ny
            }
        }
        // Own heading now, a heading-less sub-area before.
        Some(_) if new.is_bound() && !old.is_bound() => Status::Udskilt,
        Some(_) if joined => Status::Sammenlagt,
        // Split off into a section of its own; those it left together stay together
        // (their status is their text's, their `split_from` still names who left).
        Some(_) if !split_from.is_empty() && new.companions().is_empty() => Status::Udskilt,
        Some(_) if judged.0 => Status::Ændret,
        Some(_) => Status::Videreført,
    };
    let compared_with = if diff.is_some() {
        compared_with
    } else {
        Vec::new()
    };
    Entry {
        indsats: ind,
        status,
        compared_with,
        old_sections: old.sections,
        part_of: umbrellas(site, p, &new.sections, ind),
        covered: !new.is_bound() && new.is_present(),
        merged_with: new.companions().to_vec(),
        new_sections: new.sections,
        split_from,
        diff,
        read_share: judged
            .1
            .filter(|_| matches!(status, Status::Videreført | Status::Ændret)),
    }
}

/// Merged into a section with indsatsområder that had sections of their own: those
/// partners, whose previous texts are compared with the section too, so that words
/// carried over from them count as unchanged, not as added to this one ("Indbrud"
/// merged with "Tryghed på nettet" read as 281 words added to Indbrud). A partner that
/// also keeps a section of its own elsewhere is left out: which of its old words came
/// along cannot be told, and all of them would read as deleted here.
fn merged_partners(site: &Site, p: usize, old: &Presence, new: &Presence) -> Vec<usize> {
    let Some(q) = site.plans[p].prev.filter(|_| new.is_bound()) else {
        return Vec::new();
    };
    (new.companions().iter())
        .filter(|o| !old.companions().contains(o))
        .filter(|&&o| !bound_sections(site, q, o).is_empty())
        .filter(|&&o| (bound_sections(site, p, o).iter()).all(|s| new.sections.contains(s)))
        .copied()
        .collect()
}

/// The block diff of `ind`'s text in plans `(q, p)`, the previous one's with the
/// `partners`' texts (see [`merged_partners`]); from the memo when it has it.
fn text_diff(
    site: &Site,
    (q, p): (usize, usize),
    ind: usize,
    partners: &[usize],
    texts: &LazyTexts,
    memo: &Memo,
) -> super::diff::Diff {
    let merged;
    let old = if partners.is_empty() {
        text_of(texts, q, ind)
    } else {
        merged = merged_text(site, q, ind, partners);
        merged.as_str()
    };
    let new = text_of(texts, p, ind);
    // The texts are hashed once: their hash is the diff's identity and its key.
    let source = Memo::key_of(&[old, new]);
    let mut diff = memo.value(BLOCK_DIFF, &[&format!("{source:032x}")], || {
        super::diff::block_diff(old, new)
    });
    diff.source = source;
    diff
}

/// The text in `plan` of `ind` and of `others` together (see [`merged_sections`]).
fn merged_text(site: &Site, plan: usize, ind: usize, others: &[usize]) -> String {
    indsats_text(site, plan, &merged_sections(site, plan, ind, others))
}

/// The sections of `plan` bound to `ind` or to any of `others`, in the plan's order,
/// each once: what a merged section is compared with ([`Entry::compared_with`]).
pub fn merged_sections(site: &Site, plan: usize, ind: usize, others: &[usize]) -> Vec<usize> {
    let mut sections: Vec<usize> = std::iter::once(ind)
        .chain(others.iter().copied())
        .flat_map(|i| bound_sections(site, plan, i))
        .collect();
    sections.sort_unstable();
    sections.dedup();
    sections
}

/// Did a plan of the same issuer before `p`'s predecessor bind or name `ind`?
fn earlier_had(site: &Site, p: usize, ind: usize) -> bool {
    let mut cur = site.plans[p].prev.and_then(|q| site.plans[q].prev);
    while let Some(q) = cur {
        if site.plans[q]
            .sections
            .iter()
            .any(|s| s.bindings.contains(&ind) || s.covers.contains(&ind))
        {
            return true;
        }
        cur = site.plans[q].prev;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::default_site as site;

    /// Everything of an entry, its diff with its blocks.
    fn shown(site: &Site, memo: &Memo, p: usize, e: &Entry) -> String {
        let full = full_diff(site, memo, p, e).map(|d| format!("{:?}", d.as_ref()));
        let mut e = e.clone();
        e.diff = None;
        format!("{e:?} {full:?}")
    }

    #[test]
    fn an_evolution_read_back_from_the_memo_is_the_one_computed() {
        let site = site();
        let computed = &site.evolution;
        let off = Memo::off();
        let all = |ev: &Evolution, memo: &Memo| -> Vec<String> {
            (ev.plans.iter().enumerate())
                .flat_map(|(p, pe)| pe.entries.iter().map(move |e| (p, e)))
                .map(|(p, e)| shown(&site, memo, p, e))
                .collect()
        };
        let expected = all(computed, &off);
        assert!(
            expected
                .iter()
                .filter(|s| s.contains("Some(\"Diff"))
                .count()
                > 5,
            "the default site has diffs to compare"
        );
        let d = crate::test_dir("evolution-memo");
        let path = d.join("memo");
        // First build: computed, and kept.
        let memo = Memo::open(&path);
        let first = Evolution::compute(&site, &memo);
        assert_eq!(first.keys.len(), site.plans.len());
        assert_eq!(all(&first, &memo), expected);
        memo.save().expect("saved");
        // Second: read back without the diffs' blocks, which come from the memo when a
        // page needs them.
        let memo = Memo::open(&path);
        let second = Evolution::compute(&site, &memo);
        let diffs =
            (second.plans.iter()).flat_map(|pe| pe.entries.iter().filter_map(|e| e.diff.as_ref()));
        assert!(
            diffs.clone().count() > 5
                && diffs.clone().all(|d| d.blocks_kept && d.blocks.is_empty())
        );
        assert_eq!(second.keys, first.keys);
        memo.save().expect("saved");
        // Third: the blocks were kept for it although the second build did not read them;
        // and without a memo that has them, they are made again from the texts.
        let memo = Memo::open(&path);
        let third = Evolution::compute(&site, &memo);
        let kept = |d: &Diff| memo.get::<Diff>(BLOCK_DIFF, &[&format!("{:032x}", d.source)]);
        assert!((third.plans.iter())
            .flat_map(|pe| pe.entries.iter().filter_map(|e| e.diff.as_ref()))
            .all(|d| kept(d).is_some()));
        assert_eq!(all(&third, &memo), expected);
        assert_eq!(all(&third, &off), expected);
        drop(memo);
        let _ = std::fs::remove_dir_all(&d);
    }
}
