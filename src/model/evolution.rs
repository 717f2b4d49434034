//! How each indsatsområde moves from one plan of an issuer to the next.
//!
//! For every plan we compute, once, the status of each indsatsområde it binds (or that
//! its predecessor bound and it dropped) relative to the same issuer's previous plan,
//! with a word-level diff of the texts. Comparison pages, indsatsområde pages and the
//! matrices all read these results; nothing is recomputed per page, so the cost is
//! linear in the number of plans (and their text).

use rayon::prelude::*;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use std::time::Duration;

use super::text::{diff_text, section_markdown};
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

/// A word-level diff, as runs of equal, inserted and deleted text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub segments: Vec<Segment>,
    pub added_words: usize,
    pub removed_words: usize,
    pub unchanged_words: usize,
}

impl Diff {
    /// Share of the old and new words that changed (0 = identical, 1 = nothing shared).
    pub fn changed_share(&self) -> f64 {
        let total = self.added_words + self.removed_words + 2 * self.unchanged_words;
        if total == 0 {
            return 0.0;
        }
        (self.added_words + self.removed_words) as f64 / total as f64
    }
    pub fn is_unchanged(&self) -> bool {
        self.added_words == 0 && self.removed_words == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Equal,
    Insert,
    Delete,
}

#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
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
        let plans = (0..site.plans.len())
            .into_par_iter()
            .map(|p| plan_evolution(site, p))
            .collect();
        Evolution { plans }
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

fn plan_evolution(site: &Site, p: usize) -> PlanEvolution {
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
            let old = diff_text(&indsats_text(site, q, &old_sections));
            let new = diff_text(&indsats_text(site, p, &new_sections));
            let diff = word_diff(&old, &new);
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

/// Word-level diff with `similar`, runs of one kind merged.
pub fn word_diff(old: &str, new: &str) -> Diff {
    let td = TextDiff::configure()
        .timeout(Duration::from_secs(2))
        .diff_words(old, new);
    let mut diff = Diff::default();
    for change in td.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => SegmentKind::Equal,
            ChangeTag::Insert => SegmentKind::Insert,
            ChangeTag::Delete => SegmentKind::Delete,
        };
        let text = change.value();
        let words = text.split_whitespace().count();
        match kind {
            SegmentKind::Equal => diff.unchanged_words += words,
            SegmentKind::Insert => diff.added_words += words,
            SegmentKind::Delete => diff.removed_words += words,
        }
        match diff.segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            // White space between two changes of the other kind reads better inside them.
            _ => diff.segments.push(Segment {
                kind,
                text: text.to_string(),
            }),
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_counts() {
        let d = word_diff("a b c d", "a x c d e");
        assert_eq!(d.added_words, 2);
        assert_eq!(d.removed_words, 1);
        assert_eq!(d.unchanged_words, 3);
        let kinds: Vec<SegmentKind> = d.segments.iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&SegmentKind::Insert) && kinds.contains(&SegmentKind::Delete));
        let same = word_diff("a b", "a b");
        assert!(same.is_unchanged());
        assert_eq!(same.changed_share(), 0.0);
    }
}
