//! How each indsatsområde moves from one plan of an issuer to the next.
//!
//! For every plan we compute, once, the status of each indsatsområde it binds (or that
//! its predecessor bound and it dropped) relative to the same issuer's previous plan,
//! with a word-level diff of the texts. Comparison pages, indsatsområde pages and the
//! matrices all read these results; nothing is recomputed per page, so the cost is
//! linear in the number of plans (and their text).

use rayon::prelude::*;
use serde::Serialize;

pub use super::diff::{word_diff, Diff, Segment, SegmentKind};
use super::text::section_markdown;
use super::Site;

/// Texts whose changed words are at most this share of their words count as
/// "videreført" (nearly unchanged) rather than "ændret".
pub const CONTINUED_MAX_CHANGE: f64 = 0.10;

/// Status of an indsatsområde in a plan, relative to the issuer's previous plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Status {
    /// New: not in any earlier plan of the issuer.
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
    /// In the previous plan, not in this one.
    #[serde(rename = "udgået")]
    Udgået,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Ny => "ny",
            Status::Genoptaget => "genoptaget",
            Status::Videreført => "videreført",
            Status::Ændret => "ændret",
            Status::Sammenlagt => "sammenlagt",
            Status::Udgået => "udgået",
        }
    }
    pub const ALL: [Status; 6] = [
        Status::Ny,
        Status::Genoptaget,
        Status::Videreført,
        Status::Ændret,
        Status::Sammenlagt,
        Status::Udgået,
    ];
}

/// One indsatsområde in one plan, relative to the previous plan.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub indsats: usize,
    pub status: Status,
    /// Sections of the previous plan bound to it (empty if it was not there).
    pub old_sections: Vec<usize>,
    /// Sections of this plan bound to it (empty if dropped).
    pub new_sections: Vec<usize>,
    /// Other indsatsområder sharing a section with it in this plan.
    pub merged_with: Vec<usize>,
    /// Word diff from the previous plan's text (continued, changed, merged).
    pub diff: Option<Diff>,
}

/// A plan's entries relative to its predecessor.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanEvolution {
    pub prev: Option<usize>,
    /// Sorted by indsatsområde index.
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Evolution {
    /// Indexed like `Site::plans`.
    pub plans: Vec<PlanEvolution>,
}

impl Evolution {
    pub fn compute(site: &Site) -> Evolution {
        // Each plan's text of each indsatsområde, once: it is the new side of one diff
        // and the old side of the next.
        let texts: Vec<Texts> = (0..site.plans.len())
            .into_par_iter()
            .map(|p| plan_texts(site, p))
            .collect();
        let plans = (0..site.plans.len())
            .into_par_iter()
            .map(|p| plan_evolution(site, p, &texts))
            .collect();
        Evolution { plans }
    }

    /// Recomputes the evolution of `plans` only (after serve patched them), reusing every
    /// other plan's.
    pub fn recompute(site: &mut Site, plans: &[usize]) {
        let mut need: Vec<usize> = plans
            .iter()
            .flat_map(|&p| std::iter::once(p).chain(site.plans[p].prev))
            .collect();
        need.sort_unstable();
        need.dedup();
        let mut texts: Vec<Texts> = vec![Vec::new(); site.plans.len()];
        let computed: Vec<(usize, Texts)> =
            need.par_iter().map(|&p| (p, plan_texts(site, p))).collect();
        for (p, t) in computed {
            texts[p] = t;
        }
        let fresh: Vec<(usize, PlanEvolution)> = plans
            .par_iter()
            .map(|&p| (p, plan_evolution(site, p, &texts)))
            .collect();
        for (p, e) in fresh {
            site.evolution.plans[p] = e;
        }
    }

    /// The entry for `indsats` in `plan`, if it is there or was just dropped.
    pub fn entry(&self, plan: usize, indsats: usize) -> Option<&Entry> {
        let es = &self.plans.get(plan)?.entries;
        es.binary_search_by(|e| e.indsats.cmp(&indsats))
            .ok()
            .map(|i| &es[i])
    }
}

/// Sections of `plan` bound to `indsats`.
fn bound_sections(site: &Site, plan: usize, indsats: usize) -> Vec<usize> {
    site.plans[plan]
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.bindings.contains(&indsats))
        .map(|(i, _)| i)
        .collect()
}

/// The text of an indsatsområde in a plan: its bound sections, sub-sections included.
pub fn indsats_text(site: &Site, plan: usize, sections: &[usize]) -> String {
    sections
        .iter()
        .map(|&s| section_markdown(&site.plans[plan], s))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A plan's diff texts by indsatsområde, sorted by indsatsområde.
type Texts = Vec<(usize, String)>;

fn plan_texts(site: &Site, p: usize) -> Texts {
    let mut ids: Vec<usize> = site.plans[p]
        .sections
        .iter()
        .flat_map(|s| s.bindings.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|i| {
            let text = indsats_text(site, p, &bound_sections(site, p, i));
            (i, text)
        })
        .collect()
}

fn text_of(texts: &[Texts], p: usize, ind: usize) -> &str {
    let t = &texts[p];
    t.binary_search_by_key(&ind, |(i, _)| *i)
        .map_or("", |k| t[k].1.as_str())
}

fn plan_evolution(site: &Site, p: usize, texts: &[Texts]) -> PlanEvolution {
    let plan = &site.plans[p];
    let prev = plan.prev;
    let mut ids: Vec<usize> = plan
        .sections
        .iter()
        .flat_map(|s| s.bindings.iter().copied())
        .collect();
    if let Some(q) = prev {
        ids.extend(
            site.plans[q]
                .sections
                .iter()
                .flat_map(|s| s.bindings.iter().copied()),
        );
    }
    ids.sort_unstable();
    ids.dedup();

    let mut entries = Vec::with_capacity(ids.len());
    for ind in ids {
        let new_sections = bound_sections(site, p, ind);
        let old_sections = prev
            .map(|q| bound_sections(site, q, ind))
            .unwrap_or_default();
        let mut merged_with: Vec<usize> = new_sections
            .iter()
            .flat_map(|&s| plan.sections[s].bindings.iter().copied())
            .filter(|&o| o != ind)
            .collect();
        merged_with.sort_unstable();
        merged_with.dedup();

        let (status, diff) = if new_sections.is_empty() {
            (Status::Udgået, None)
        } else if old_sections.is_empty() {
            let earlier = earlier_had(site, p, ind);
            (
                if earlier {
                    Status::Genoptaget
                } else {
                    Status::Ny
                },
                None,
            )
        } else {
            let q = prev.unwrap_or(p);
            let diff = super::diff::block_diff(text_of(texts, q, ind), text_of(texts, p, ind));
            // Merged now if it shares a section with an indsatsområde it did not share
            // one with before.
            let was_with: Vec<usize> = old_sections
                .iter()
                .flat_map(|&s| site.plans[q].sections[s].bindings.iter().copied())
                .collect();
            let status = if merged_with.iter().any(|o| !was_with.contains(o)) {
                Status::Sammenlagt
            } else if diff.changed_share() <= CONTINUED_MAX_CHANGE {
                Status::Videreført
            } else {
                Status::Ændret
            };
            (status, Some(diff))
        };
        entries.push(Entry {
            indsats: ind,
            status,
            old_sections,
            new_sections,
            merged_with,
            diff,
        });
    }
    PlanEvolution { prev, entries }
}

/// Did a plan of the same issuer before `p`'s predecessor bind `ind`?
fn earlier_had(site: &Site, p: usize, ind: usize) -> bool {
    let mut cur = site.plans[p].prev.and_then(|q| site.plans[q].prev);
    while let Some(q) = cur {
        if site.plans[q]
            .sections
            .iter()
            .any(|s| s.bindings.contains(&ind))
        {
            return true;
        }
        cur = site.plans[q].prev;
    }
    false
}
