//! Digests of the model's parts: one of the site-wide state, one per plan.
//!
//! A production build keeps a published page without building its context when the
//! page reads only the site-wide state and the plans of some issuers, and those parts'
//! digests are the ones its file was made from (see `render::Renderer::quick_key`).
//! Editing one plan then changes its digest (and, when a memo is used, its successor's,
//! whose evolution key hashes it), and only its issuer's pages are looked at again.
//!
//! Every field is hashed through a derived trait, so a field added to the model later is
//! covered without anyone remembering to add it here: a plan and its evolution through
//! `Hash` (strings hashed as their bytes, which is fast: plans hold the site's text),
//! the site-wide state through its `Debug` form (it holds types without `Hash`, and is
//! small). The one unordered map (`Site::titles`) is hashed in sorted order.

use std::fmt::Write as _;
use std::hash::Hash;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::{Indsats, Site};

/// See the module documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// Everything but the plans and their evolution: configuration, front page, kredse,
    /// kommuner, indsatsområder (with which plans name them, not which sections), years,
    /// titles, and each plan's place (issuer, key, file, neighbours), so that adding or
    /// moving a plan changes it.
    pub global: u128,
    /// Per plan: the plan and its evolution (statuses and diffs against its
    /// predecessor), indexed like `Site::plans`. When the evolution was computed with a
    /// memo, its keys (`Evolution::keys`: the plan, its predecessor, and what the
    /// issuer's earlier plans named), which stand for both without hashing the diffs.
    pub plans: Vec<u128>,
}

impl Digests {
    pub fn of(site: &Site) -> Digests {
        // The evolution's keys hash everything a plan's evolution is made from, the plan
        // included: they stand for both (and are there whenever a memo is).
        let plans = if site.evolution.keys.len() == site.plans.len() {
            site.evolution.keys.clone()
        } else {
            (site.plans.par_iter())
                .zip(&site.evolution.plans)
                .map(|(plan, ev)| {
                    let mut h = Fingerprint::new();
                    (plan, ev).hash(&mut h);
                    h.digest()
                })
                .collect()
        };
        let mut h = Fingerprint::new();
        let mut titles: Vec<(&String, &usize)> = site.titles.iter().collect();
        titles.sort_unstable();
        let places: Vec<_> = site
            .plans
            .iter()
            .map(|p| (p.issuer, &p.key, &p.file, p.prev, p.next))
            .collect();
        // Which sections an indsatsområde occurs in is each plan's own data, in its
        // digest: a heading added above them must not change every page's key. Which
        // plans it occurs in is site-wide.
        let indsatser: Vec<Indsats> = (site.indsatser.iter())
            .map(|i| Indsats {
                occurrences: i.occurrences.iter().map(|&(p, _)| (p, 0)).collect(),
                mentions: i.mentions.iter().map(|&(p, _)| (p, 0)).collect(),
                ..i.clone()
            })
            .collect();
        let _ = write!(
            h,
            "{:?}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{indsatser:?}\u{0}{:?}\u{0}{titles:?}\u{0}{places:?}",
            site.config, site.front, site.kredse, site.kommuner, site.years,
        );
        Digests {
            global: h.digest(),
            plans,
        }
    }
}

/// A streaming hash fed through a buffer: a page context or a `Debug` form is thousands
/// of small pieces, and hashing them one call each cost more than the hashing itself. (A
/// streaming hash does not depend on how its input is split, so the buffer changes no
/// hash.)
pub(crate) struct Fingerprint {
    hash: Xxh3,
    buf: Vec<u8>,
}

impl Fingerprint {
    pub(crate) fn new() -> Fingerprint {
        Fingerprint {
            hash: Xxh3::new(),
            buf: Vec::with_capacity(8192),
        }
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        if b.len() >= 1024 {
            self.flush();
            self.hash.update(b);
        } else {
            self.buf.extend_from_slice(b);
            if self.buf.len() >= 4096 {
                self.flush();
            }
        }
    }
    /// Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
    pub(crate) fn text(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }
    fn flush(&mut self) {
        self.hash.update(&self.buf);
        self.buf.clear();
    }
    pub(crate) fn digest(mut self) -> u128 {
        self.flush();
        self.hash.digest128()
    }
}

/// Derived `Hash` straight into the buffer: a plan is thousands of short strings and
/// numbers, each a call that would cost the streaming hash more than its bytes do.
/// (`finish` is not used: [`Fingerprint::digest`] gives the 128-bit digest.)
impl std::hash::Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
    fn finish(&self) -> u64 {
        let mut h = self.hash.clone();
        h.update(&self.buf);
        h.digest()
    }
}

/// `Debug` formatting straight into the hash.
impl std::fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.bytes(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::default_site as site;

    #[test]
    fn an_edit_to_one_plan_changes_its_digest_alone() {
        let a = site();
        let mut b = a.clone();
        let before = Digests::of(&a);
        assert_eq!(before, Digests::of(&b), "digests are deterministic");
        let plan = std::sync::Arc::make_mut(&mut b.plans[1]);
        let last = plan.sections.len() - 1;
        plan.sections[last].own_md.push_str(" Et ord mere.");
        let after = Digests::of(&b);
        assert_eq!(before.global, after.global);
        for (p, (x, y)) in before.plans.iter().zip(&after.plans).enumerate() {
            assert_eq!(x == y, p != 1, "plan {p}");
        }
    }

    /// A build with a memo: a plan's digest is its evolution's key, and an edit changes
    /// the plan's digest and its successor's (whose evolution compares with it) alone.
    #[test]
    fn with_a_memo_an_edit_changes_the_plan_s_digest_and_its_successor_s() {
        let d = crate::test_dir("digest-keys");
        let memo = crate::memo::Memo::open(&d.join("memo"));
        let mut a = site();
        a.evolution = super::super::evolution::Evolution::compute(&a, &memo);
        let before = Digests::of(&a);
        assert_eq!(before.plans, a.evolution.keys);
        let mut b = a.clone();
        // The plan with a predecessor (Hjørring 2026): its own and no other's change.
        let p = (0..b.plans.len())
            .find(|&p| b.plans[p].prev.is_some())
            .expect("a plan with a predecessor");
        let plan = std::sync::Arc::make_mut(&mut b.plans[p]);
        let last = plan.sections.len() - 1;
        plan.sections[last].own_md.push_str(" Et ord mere.");
        b.evolution = super::super::evolution::Evolution::compute(&b, &memo);
        let after = Digests::of(&b);
        assert_eq!(before.global, after.global);
        for (q, (x, y)) in before.plans.iter().zip(&after.plans).enumerate() {
            let reads_it = q == p || b.plans[q].prev == Some(p);
            assert_eq!(x == y, !reads_it, "plan {q}");
        }
        // And its predecessor edited: the plan's digest changes with it.
        let q = b.plans[p].prev.expect("prev");
        let mut c = a.clone();
        let plan = std::sync::Arc::make_mut(&mut c.plans[q]);
        plan.title.push('!');
        c.evolution = super::super::evolution::Evolution::compute(&c, &memo);
        let after = Digests::of(&c);
        assert_ne!(before.plans[p], after.plans[p]);
        assert_ne!(before.plans[q], after.plans[q]);
        drop(memo);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn sections_moving_within_a_plan_change_its_digest_not_the_global_one() {
        // A heading added at the top of a plan moves its sections: the indsatsområder's
        // occurrences name other section numbers, but the same plans.
        let a = site();
        let mut b = a.clone();
        for ind in &mut b.indsatser {
            for o in &mut ind.occurrences {
                o.1 += 1;
            }
        }
        assert_eq!(Digests::of(&a).global, Digests::of(&b).global);
        b.indsatser[0].occurrences.push((0, 0));
        assert_ne!(Digests::of(&a).global, Digests::of(&b).global);
    }

    #[test]
    fn a_site_wide_change_changes_the_global_digest() {
        let a = site();
        let before = Digests::of(&a);
        let mut b = a.clone();
        b.indsatser[0].title.push('!');
        assert_ne!(before.global, Digests::of(&b).global);
        let mut c = a.clone();
        c.years.push(2099);
        assert_ne!(before.global, Digests::of(&c).global);
        let mut c = a.clone();
        std::sync::Arc::make_mut(&mut c.plans[0]).key.push('x');
        let after = Digests::of(&c);
        assert_ne!(before.global, after.global, "a plan's place is site-wide");
        assert_ne!(before.plans[0], after.plans[0]);
    }
}
