//! Which block of the new text continues which block of the old one, and which of those
//! pairs stand in their old order ("in place") rather than elsewhere ("moved").
//!
//! 1. Identical blocks in order: a diff (`similar`, Myers) over the blocks' hashed keys.
//! 2. Between two such anchors, similar blocks in order: each new block takes the most
//!    similar old block among the next [`WINDOW`] unpaired ones of the same kind.
//! 3. What is left: identical blocks anywhere (a hash lookup), then similar blocks
//!    anywhere, within [`MOVE_BUDGET`] comparisons per diff.
//! 4. The pairs in both orders, diffed (`similar`, Patience: a longest increasing
//!    subsequence on a permutation): pairs outside it were moved.
//!
//! Similarity is `similar`'s ratio over normalised words (lower case, punctuation
//! dropped), or containment of one block in the other. Shared bags of words rank the
//! candidates first (cheap, and an upper bound of the ordered match); only the best is
//! compared in order, and only when the bags alone do not settle it. Candidates are
//! bounded by the window and the budget, so large sections cost linear time, not
//! quadratic.

use similar::{Algorithm, DiffOp};

use super::blocks::{Block, BlockKind};
use super::WordMap;

/// When two blocks are one block edited rather than one removed and one added.
#[derive(Debug, Clone, Copy)]
pub struct Threshold {
    /// `similar`'s ratio (0–1) at least this,
    pub ratio: f32,
    /// or the shorter block's words (at least [`CONTAINED_MIN_WORDS`]) found in order
    /// in the longer one at least this share: a paragraph trimmed or extended.
    pub contained: f32,
}

/// For blocks in the same order as the blocks around them: their place supports the
/// pair, and an edited paragraph reads better as a word diff than as two blocks.
pub const IN_ORDER: Threshold = Threshold {
    ratio: 0.4,
    contained: 0.7,
};
/// For a block elsewhere in the other text (a move): without its place to support it,
/// the text alone must be clearly the same.
pub const MOVED: Threshold = Threshold {
    ratio: 0.5,
    contained: 0.8,
};
pub const CONTAINED_MIN_WORDS: usize = 8;
/// Old blocks considered for each new block between two anchors.
const WINDOW: usize = 16;
/// Similarity comparisons per diff when looking for moved blocks.
const MOVE_BUDGET: usize = 2048;
/// Blocks sharing this share of their words (as bags) pair without an ordered check.
const SAME_BAG: f32 = 0.6;
/// Blocks longer than this (words, both sides) are compared by their bags of words only:
/// an ordered comparison of two huge paragraphs costs more than it tells.
const ORDERED_MAX_WORDS: usize = 4000;

/// How the blocks of two texts correspond.
#[derive(Debug, Clone, Default)]
pub struct Matching {
    /// For each new block, the old block it continues.
    pub new_to_old: Vec<Option<usize>>,
    /// For each new block, whether its pair keeps the old order (false: moved, or unpaired).
    pub in_place: Vec<bool>,
}

pub fn match_blocks(old: &[Block], new: &[Block]) -> Matching {
    let mut m = Pairing::new(old, new);
    m.identical_in_order();
    m.prepare_words();
    for (o, n) in std::mem::take(&mut m.gaps) {
        m.similar_in_order(o, n);
    }
    m.identical_anywhere();
    m.similar_anywhere();
    let in_place = m.in_place();
    Matching {
        new_to_old: m.new_to_old,
        in_place,
    }
}

/// Working state of [`match_blocks`].
struct Pairing<'a> {
    old: &'a [Block],
    new: &'a [Block],
    keys: [Vec<u32>; 2],
    /// Normalised word ids of each unpaired block after step 1, in order and sorted.
    words: [Vec<Vec<u64>>; 2],
    sorted: [Vec<Vec<u64>>; 2],
    /// Ranges (old, new) between identical anchors, from step 1.
    gaps: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    new_to_old: Vec<Option<usize>>,
    old_paired: Vec<bool>,
}

impl<'a> Pairing<'a> {
    fn new(old: &'a [Block], new: &'a [Block]) -> Self {
        let mut ids: WordMap<(BlockKind, &str), u32> = WordMap::default();
        let keys = [old, new].map(|bs| {
            bs.iter()
                .map(|b| {
                    let n = ids.len() as u32;
                    *ids.entry((b.kind, b.text.as_str())).or_insert(n)
                })
                .collect()
        });
        Pairing {
            old,
            new,
            keys,
            words: Default::default(),
            sorted: Default::default(),
            gaps: Vec::new(),
            new_to_old: vec![None; new.len()],
            old_paired: vec![false; old.len()],
        }
    }

    fn pair(&mut self, o: usize, n: usize) {
        self.new_to_old[n] = Some(o);
        self.old_paired[o] = true;
    }

    fn identical_in_order(&mut self) {
        let ops = similar::capture_diff_slices(Algorithm::Myers, &self.keys[0], &self.keys[1]);
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => (0..len).for_each(|k| self.pair(old_index + k, new_index + k)),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => self.gaps.push((
                    old_index..old_index + old_len,
                    new_index..new_index + new_len,
                )),
                DiffOp::Delete { .. } | DiffOp::Insert { .. } => {}
            }
        }
    }

    /// Word ids for the blocks step 1 left unpaired (the others are never compared).
    fn prepare_words(&mut self) {
        let new_paired: Vec<bool> = self.new_to_old.iter().map(Option::is_some).collect();
        for (side, (blocks, paired)) in [(self.old, &self.old_paired), (self.new, &new_paired)]
            .into_iter()
            .enumerate()
        {
            self.words[side] = blocks
                .iter()
                .zip(paired)
                .map(|(b, &p)| if p { Vec::new() } else { word_ids(&b.text) })
                .collect();
            self.sorted[side] = self.words[side]
                .iter()
                .map(|w| {
                    let mut s = w.clone();
                    s.sort_unstable();
                    s
                })
                .collect();
        }
    }

    /// Whether `common` shared words make old block `o` and new block `n` similar by
    /// `min`; with the ratio they give.
    fn judge(&self, o: usize, n: usize, common: usize, min: Threshold) -> Option<f32> {
        let (a, b) = (self.words[0][o].len(), self.words[1][n].len());
        let ratio = 2.0 * common as f32 / (a + b).max(1) as f32;
        let short = a.min(b);
        let contained =
            short >= CONTAINED_MIN_WORDS && common as f32 >= min.contained * short as f32;
        (ratio >= min.ratio || contained).then_some(ratio)
    }

    /// Of `candidates` (old blocks), the one most like new block `n` by `min`. Shared
    /// bags of words rank them (cheap, and an upper bound of the ordered match); only
    /// the best is then compared in order.
    fn best_match(
        &self,
        n: usize,
        candidates: impl Iterator<Item = usize>,
        min: Threshold,
    ) -> Option<usize> {
        let mut best: Option<(usize, f32)> = None;
        for o in candidates.filter(|&o| self.old[o].kind == self.new[n].kind) {
            let common = bag_common(&self.sorted[0][o], &self.sorted[1][n]);
            if let Some(r) = self.judge(o, n, common, min) {
                if best.is_none_or(|b| r > b.1) {
                    best = Some((o, r));
                }
            }
        }
        let (o, bag) = best?;
        let (a, b) = (&self.words[0][o], &self.words[1][n]);
        // Nearly the same words: the same block whatever their order (the common case,
        // a block lightly edited, needs no ordered comparison).
        if bag >= SAME_BAG || a.len() + b.len() > ORDERED_MAX_WORDS {
            return Some(o);
        }
        let ops = similar::capture_diff_slices(Algorithm::Myers, a, b);
        let common = ops.iter().map(equal_len).sum();
        self.judge(o, n, common, min).map(|_| o)
    }

    fn similar_in_order(&mut self, old: std::ops::Range<usize>, new: std::ops::Range<usize>) {
        let mut from = old.start;
        for n in new {
            let candidates = (from..old.end)
                .filter(|&o| !self.old_paired[o])
                .take(WINDOW);
            if let Some(o) = self.best_match(n, candidates, IN_ORDER) {
                self.pair(o, n);
                from = o + 1;
            }
        }
    }

    fn identical_anywhere(&mut self) {
        let mut by_key: WordMap<u32, Vec<usize>> = WordMap::default();
        for o in (0..self.old.len()).rev().filter(|&o| !self.old_paired[o]) {
            by_key.entry(self.keys[0][o]).or_default().push(o);
        }
        for n in 0..self.new.len() {
            if self.new_to_old[n].is_none() {
                if let Some(o) = by_key.get_mut(&self.keys[1][n]).and_then(Vec::pop) {
                    self.pair(o, n);
                }
            }
        }
    }

    fn similar_anywhere(&mut self) {
        let mut budget = MOVE_BUDGET;
        for n in 0..self.new.len() {
            if self.new_to_old[n].is_some() {
                continue;
            }
            let unpaired: Vec<usize> = (0..self.old.len())
                .filter(|&o| !self.old_paired[o])
                .take(budget)
                .collect();
            budget -= unpaired.len();
            if let Some(o) = self.best_match(n, unpaired.into_iter(), MOVED) {
                self.pair(o, n);
            }
            if budget == 0 {
                return;
            }
        }
    }

    /// Which new blocks' pairs keep the old order: the longest run of pairs in both
    /// orders; every other pair was moved.
    fn in_place(&self) -> Vec<bool> {
        let by_new: Vec<usize> = self.new_to_old.iter().filter_map(|&o| o).collect();
        let mut by_old = by_new.clone();
        by_old.sort_unstable();
        let ops = similar::capture_diff_slices(Algorithm::Patience, &by_old, &by_new);
        let mut kept = vec![false; self.old.len()];
        for op in ops {
            if let DiffOp::Equal { old_index, len, .. } = op {
                by_old[old_index..old_index + len]
                    .iter()
                    .for_each(|&o| kept[o] = true);
            }
        }
        self.new_to_old
            .iter()
            .map(|o| o.is_some_and(|o| kept[o]))
            .collect()
    }
}

/// Normalised words (lower case, letters and digits only) as 64-bit hashes: no
/// allocation and no map. A collision could only nudge a similarity score.
fn word_ids(text: &str) -> Vec<u64> {
    text.split_whitespace()
        .map(|w| {
            // FNV-1a over the normalised characters; ASCII (most of them) without the
            // Unicode tables.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            let mut add = |c: char| h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
            for c in w.chars() {
                if c.is_ascii() {
                    if c.is_ascii_alphanumeric() {
                        add(c.to_ascii_lowercase());
                    }
                } else if c.is_alphanumeric() {
                    c.to_lowercase().for_each(&mut add);
                }
            }
            h
        })
        .collect()
}

fn equal_len(op: &DiffOp) -> usize {
    match *op {
        DiffOp::Equal { len, .. } => len,
        _ => 0,
    }
}

/// Size of the intersection of two sorted multisets.
fn bag_common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}
