//! Diffs between two years of an indsatsområde's text.
//!
//! [`block_diff`] compares the Markdown block by block (headings, paragraphs, list items,
//! table rows): blocks are paired across the years (see [`matching`]), paired blocks are
//! word-diffed ([`word_diff`]), and unpaired ones are whole blocks added or removed. A
//! block found elsewhere in the other year is *moved*, not removed and added, so a
//! reordered plan does not read as rewritten, and sub-headings stay headings.
//!
//! The diff is computed in the model (its word counts decide a status) and shown by
//! the renderer (`render::diff`), so it is plain data: blocks holding runs of equal,
//! inserted and deleted text, with word counts.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffOp};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

mod blocks;
pub mod matching;
pub mod reading;

pub use blocks::{parse_blocks, Block, BlockKind};
pub use reading::{reading, Reading};

/// A diff between two texts.
///
/// Word counts, which decide "videreført" (at most 10 % changed) against "ændret":
/// words of a block added or removed as a whole count as added or removed; words of a
/// paired block count by its word diff. A block that moved without changing counts as
/// unchanged words: a reorder is not a change of the text, and moving a paragraph must
/// not turn a continued indsatsområde into a changed one. Moves are counted apart in
/// `moved_blocks`, for the reader.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Hash)]
pub struct Diff {
    /// Runs of a [`word_diff`]; empty for a [`block_diff`], whose runs are in `blocks`.
    pub segments: Vec<Segment>,
    /// The blocks of a [`block_diff`] in reading order: the new text's blocks with the
    /// old text's removed blocks where they stood.
    pub blocks: Vec<BlockDiff>,
    pub added_words: usize,
    pub removed_words: usize,
    pub unchanged_words: usize,
    /// Paired blocks that stand elsewhere than in the old text.
    pub moved_blocks: usize,
    /// Plain titles of sub-headings only in the new text ("nye afsnit").
    pub new_headings: Vec<String>,
    /// Plain titles of sub-headings only in the old text ("udgåede afsnit").
    pub gone_headings: Vec<String>,
    /// A hash of the two texts compared, when the model knows them (0 otherwise): the
    /// diff's identity, by which renderers may keep what they made of it. (A diff is
    /// serialized only into the memo, this with it.)
    pub source: u128,
    /// Its `blocks` were left in the memo under `source` (a plan's evolution read back
    /// from it): [`super::evolution::full_diff`] gives them.
    pub blocks_kept: bool,
}

impl Diff {
    /// This diff without its blocks, which are most of its bytes, marked as
    /// [`Diff::blocks_kept`]: what a plan's evolution keeps in the memo.
    pub fn without_blocks(&self) -> Diff {
        Diff {
            blocks: Vec::new(),
            segments: self.segments.clone(),
            new_headings: self.new_headings.clone(),
            gone_headings: self.gone_headings.clone(),
            blocks_kept: true,
            ..*self
        }
    }

    /// Share of the old and new words that changed (0 = identical, 1 = nothing shared).
    pub fn changed_share(&self) -> f64 {
        let total = self.added_words + self.removed_words + 2 * self.unchanged_words;
        if total == 0 {
            return 0.0;
        }
        (self.added_words + self.removed_words) as f64 / total as f64
    }
    /// Share of the new words that were not in the old text (0 = all carried over).
    pub fn added_share(&self) -> f64 {
        let total = self.added_words + self.unchanged_words;
        if total == 0 {
            return 0.0;
        }
        self.added_words as f64 / total as f64
    }
    /// No word added or removed (blocks may have moved: see `moved_blocks`).
    pub fn is_unchanged(&self) -> bool {
        self.added_words == 0 && self.removed_words == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum SegmentKind {
    Equal,
    Insert,
    Delete,
}

#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

/// Where a block of the diff stands relative to the old text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum BlockChange {
    /// In both texts, in the same order relative to the other kept blocks.
    Kept,
    /// In both texts, but elsewhere in the new one (shown where it now stands).
    Moved,
    /// Only in the new text.
    Added,
    /// Only in the old text (shown where it stood).
    Removed,
}

/// One block of a [`block_diff`].
#[derive(Debug, Clone, Serialize, Deserialize, Hash)]
pub struct BlockDiff {
    pub kind: BlockKind,
    /// Heading level (1–6), list depth for items (1 = top level), else 0; the new text's
    /// for a paired block.
    pub level: u8,
    pub change: BlockChange,
    /// The block's text: a word diff for a kept or moved block; one insert or delete run
    /// for an added or removed block.
    pub segments: Vec<Segment>,
}

impl BlockDiff {
    /// Whether its words changed (a kept or moved block with inserts or deletes).
    pub fn is_edited(&self) -> bool {
        matches!(self.change, BlockChange::Kept | BlockChange::Moved)
            && self.segments.iter().any(|s| s.kind != SegmentKind::Equal)
    }
    /// The block's words in the new year, single spaced (empty for a removed block).
    pub fn new_text(&self) -> String {
        self.side(SegmentKind::Delete)
    }
    /// The block's words in the old year, single spaced (empty for an added block).
    pub fn old_text(&self) -> String {
        self.side(SegmentKind::Insert)
    }
    fn side(&self, without: SegmentKind) -> String {
        // Runs carry the white space around them, not always the side's own.
        let joined: String = self
            .segments
            .iter()
            .filter(|s| s.kind != without)
            .map(|s| s.text.as_str())
            .collect();
        joined.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Block-level diff of two Markdown texts (see the module documentation and [`Diff`] for
/// what the word counts mean).
pub fn block_diff(old_md: &str, new_md: &str) -> Diff {
    let new = parse_blocks(new_md);
    if old_md == new_md {
        // Most texts carry over unchanged from year to year: every block kept in place,
        // without matching blocks that are known to be the same.
        let mut diff = Diff::default();
        for b in &new {
            push_pair(&mut diff, b, b, true);
        }
        return diff;
    }
    diff_blocks(&parse_blocks(old_md), &new)
}

/// Block-level diff of two texts already split into blocks (see [`block_diff`]).
pub fn diff_blocks(old: &[Block], new: &[Block]) -> Diff {
    let m = matching::match_blocks(old, new);
    let mut old_paired = vec![false; old.len()];
    m.new_to_old
        .iter()
        .flatten()
        .for_each(|&o| old_paired[o] = true);
    // For each new block, the old index of the next in-place pair at or after it: the
    // removed old blocks before that anchor are shown before the new block.
    let mut anchor = vec![old.len(); new.len() + 1];
    for n in (0..new.len()).rev() {
        anchor[n] = match (m.in_place[n], m.new_to_old[n]) {
            (true, Some(o)) => o,
            _ => anchor[n + 1],
        };
    }
    let mut diff = Diff::default();
    let mut next_old = 0;
    let mut removed_up_to = |diff: &mut Diff, end: usize| {
        for o in next_old..end {
            if !old_paired[o] {
                push_whole(diff, &old[o], BlockChange::Removed);
            }
        }
        next_old = next_old.max(end);
    };
    for (n, block) in new.iter().enumerate() {
        removed_up_to(&mut diff, anchor[n]);
        match m.new_to_old[n] {
            Some(o) => push_pair(&mut diff, &old[o], block, m.in_place[n]),
            None => push_whole(&mut diff, block, BlockChange::Added),
        }
    }
    removed_up_to(&mut diff, old.len());
    // Decided before the re-cut takes unpaired paragraphs in: a split it takes in must
    // not keep the texts from being counted as one run.
    let unpaired = diff
        .blocks
        .iter()
        .any(|b| matches!(b.change, BlockChange::Added | BlockChange::Removed));
    recut_paragraphs(&mut diff);
    fewer_changes_as_one_text(&mut diff, old, new, unpaired);
    diff
}

/// Paragraphs cut differently from one year to the next (PDF extractions join and
/// split them): a paragraph only one text has, next to a paired paragraph, is diffed
/// together with that pair when most of its words are the pair's other side's, so
/// that its sentences read as kept rather than removed above and added below (one word
/// changed in a sentence struck whole). A joined paragraph shows as one block; a split
/// one as its new paragraphs, the old text's words where they now stand. The counts
/// follow what is shown. `static/compare.js` does the same.
fn recut_paragraphs(diff: &mut Diff) {
    use BlockChange::{Added, Kept, Moved, Removed};
    let mut i = 0;
    while i + 1 < diff.blocks.len() {
        let (a, b) = (&diff.blocks[i], &diff.blocks[i + 1]);
        let paired = |x: &BlockDiff| matches!(x.change, Kept | Moved);
        let lone = |x: &BlockDiff| matches!(x.change, Added | Removed);
        let lone_first = lone(a) && paired(b);
        if !(lone_first || paired(a) && lone(b))
            || a.kind != BlockKind::Paragraph
            || b.kind != BlockKind::Paragraph
        {
            i += 1;
            continue;
        }
        let (single, pair) = if lone_first { (a, b) } else { (b, a) };
        let (old_pair, new_pair) = (pair.old_text(), pair.new_text());
        let before = segment_counts(&pair.segments);
        let in_order = |first: String, second: String| {
            if lone_first {
                [second, first]
            } else {
                [first, second]
            }
        };
        let removed = single.change == Removed;
        let single_text = if removed {
            single.old_text()
        } else {
            single.new_text()
        };
        let single_words = single_text.split_whitespace().count();
        // The words both sides share in any order bound those the joint diff keeps:
        // most candidates (a paragraph added beside an edited one) fail this, diff-free.
        let (old_side, new_side) = if removed {
            ([old_pair.as_str(), &single_text], [new_pair.as_str(), ""])
        } else {
            ([old_pair.as_str(), ""], [new_pair.as_str(), &single_text])
        };
        if shared_words(old_side, new_side) < before.unchanged_words + single_words / 2 {
            i += 1;
            continue;
        }
        let d = if removed {
            let [x, y] = in_order(old_pair, single_text);
            word_diff(&format!("{x} {y}"), &new_pair)
        } else {
            // Joined by a paragraph break, which only the new side has: where the new
            // paragraphs part.
            let [x, y] = in_order(new_pair, single_text);
            word_diff(&old_pair, &format!("{x}\n\n{y}"))
        };
        let changed_before = single_words + before.added_words + before.removed_words;
        let better = d.added_words + d.removed_words < changed_before;
        if !better || d.unchanged_words < before.unchanged_words + single_words / 2 {
            i += 1;
            continue;
        }
        // The counts: the pair's and the lone paragraph's out, the joint diff's in.
        let (lone_removed, lone_added) = if removed {
            (single_words, 0)
        } else {
            (0, single_words)
        };
        diff.added_words = (diff.added_words).saturating_sub(before.added_words + lone_added);
        diff.removed_words =
            (diff.removed_words).saturating_sub(before.removed_words + lone_removed);
        diff.unchanged_words = (diff.unchanged_words).saturating_sub(before.unchanged_words);
        diff.added_words += d.added_words;
        diff.removed_words += d.removed_words;
        diff.unchanged_words += d.unchanged_words;
        let (kind, level, change) = (pair.kind, pair.level, pair.change);
        let block = |segments| BlockDiff {
            kind,
            level,
            change,
            segments,
        };
        if removed {
            diff.blocks.splice(i..i + 2, [block(d.segments)]);
        } else {
            let (first, second) = split_at_paragraph_break(d.segments);
            diff.blocks.splice(i..i + 2, [block(first), block(second)]);
            i += 1;
        }
    }
}

/// The word counts of a block's runs, as its word diff counted them.
fn segment_counts(segments: &[Segment]) -> Diff {
    let mut d = Diff::default();
    for seg in segments {
        let words = seg.text.split_whitespace().count();
        match seg.kind {
            SegmentKind::Equal => d.unchanged_words += words,
            SegmentKind::Insert => d.added_words += words,
            SegmentKind::Delete => d.removed_words += words,
        }
    }
    d
}

/// How many words two texts (each given in two parts) have in common, in any order.
fn shared_words(old: [&str; 2], new: [&str; 2]) -> usize {
    let mut bag: WordMap<&str, i32> = WordMap::default();
    for w in old.iter().flat_map(|t| t.split_whitespace()) {
        *bag.entry(w).or_default() += 1;
    }
    let mut shared = 0;
    for w in new.iter().flat_map(|t| t.split_whitespace()) {
        if let Some(n) = bag.get_mut(w).filter(|n| **n > 0) {
            *n -= 1;
            shared += 1;
        }
    }
    shared
}

/// A word diff's runs split where the new side's paragraph break is: before it, and
/// after it (removed words at the break go with the first paragraph).
fn split_at_paragraph_break(segments: Vec<Segment>) -> (Vec<Segment>, Vec<Segment>) {
    let (mut first, mut second) = (Vec::new(), Vec::new());
    let (mut past, mut at_break) = (false, false);
    for seg in segments {
        let at = (!past && seg.kind != SegmentKind::Delete)
            .then(|| seg.text.find("\n\n"))
            .flatten();
        match at {
            Some(k) => {
                let (head, tail) = seg.text.split_at(k);
                // Words removed right at the break end the first paragraph.
                at_break = tail.trim().is_empty();
                let tail = tail.trim_start();
                if !head.trim().is_empty() {
                    first.push(Segment {
                        kind: seg.kind,
                        text: head.trim_end().to_string(),
                    });
                }
                if !tail.is_empty() {
                    second.push(Segment {
                        kind: seg.kind,
                        text: tail.to_string(),
                    });
                }
                past = true;
            }
            None if at_break && seg.kind == SegmentKind::Delete => first.push(seg),
            None if past => {
                at_break = false;
                second.push(seg)
            }
            None => first.push(seg),
        }
    }
    (first, second)
}

/// Takes the word counts of the two texts compared as one run of words each, when that
/// finds fewer changes than block by block. Paragraphs joined or split differently (as
/// PDF extractions do from year to year) change no word, and must not turn a continued
/// text into a changed one; a moved block is the reverse case, which the block counts
/// handle. The blocks shown are unchanged: the counts are the least change that
/// explains the texts. `static/compare.js` does the same.
/// `unpaired`: whether the block pairing left a block without a partner.
fn fewer_changes_as_one_text(diff: &mut Diff, old: &[Block], new: &[Block], unpaired: bool) {
    let changed = diff.added_words + diff.removed_words;
    // Paragraphs cut differently leave a block without a partner; without one, the
    // texts as one run find no fewer changes worth the cost (cold builds diff every text).
    if changed == 0 || !unpaired {
        return;
    }
    let joined = |blocks: &[Block]| {
        blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (old_text, new_text) = (joined(old), joined(new));
    let (a, b) = (Tokenized::new(&old_text), Tokenized::new(&new_text));
    let [old_ids, new_ids] = word_ids(&a, &b);
    // The words both have, in any order, bound the words they have in order: when even
    // that cannot beat the block counts, the exact count is not needed.
    let mut counts = vec![0i32; old_ids.len() + new_ids.len()];
    old_ids.iter().for_each(|&w| counts[w as usize] += 1);
    let shared: usize = new_ids
        .iter()
        .filter(|&&w| {
            counts[w as usize] -= 1;
            counts[w as usize] >= 0
        })
        .count();
    if old_ids.len() + new_ids.len() - 2 * shared >= changed {
        return;
    }
    let Some(common) = common_words(&old_ids, &new_ids) else {
        return;
    };
    let (added, removed) = (new_ids.len() - common, old_ids.len() - common);
    if added + removed < changed {
        diff.added_words = added;
        diff.removed_words = removed;
        diff.unchanged_words = common;
    }
}

/// Above this many (old words × new words), [`common_words`] is not computed.
const COMMON_WORDS_CELLS: usize = 16_000_000;

/// How many words two texts have in common in the same order: the length of their
/// longest common subsequence, which is one number however a diff aligns it, so this
/// side and `compare.js` (the same table) count the same. `None` for texts too long
/// to count so (a table of their word counts' product).
fn common_words(a: &[u32], b: &[u32]) -> Option<usize> {
    if a.len().saturating_mul(b.len()) > COMMON_WORDS_CELLS {
        return None;
    }
    let mut row = vec![0u32; b.len() + 1];
    for &x in a {
        let mut diagonal = 0; // row[j - 1] of the previous word of `a`
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    Some(row[b.len()] as usize)
}

/// Adds a block only one text has.
fn push_whole(diff: &mut Diff, block: &Block, change: BlockChange) {
    let words = block.text.split_whitespace().count();
    let (kind, headings) = if change == BlockChange::Added {
        diff.added_words += words;
        (SegmentKind::Insert, &mut diff.new_headings)
    } else {
        diff.removed_words += words;
        (SegmentKind::Delete, &mut diff.gone_headings)
    };
    if block.kind == BlockKind::Heading {
        headings.push(block.text.clone());
    }
    diff.blocks.push(BlockDiff {
        kind: block.kind,
        level: block.level,
        change,
        segments: vec![Segment {
            kind,
            text: block.text.clone(),
        }],
    });
}

/// Adds a block both texts have, word-diffed.
fn push_pair(diff: &mut Diff, old: &Block, new: &Block, in_place: bool) {
    let d = word_diff(&old.text, &new.text);
    diff.added_words += d.added_words;
    diff.removed_words += d.removed_words;
    diff.unchanged_words += d.unchanged_words;
    let change = if in_place {
        BlockChange::Kept
    } else {
        diff.moved_blocks += 1;
        BlockChange::Moved
    };
    diff.blocks.push(BlockDiff {
        kind: new.kind,
        level: new.level,
        change,
        segments: d.segments,
    });
}

/// Texts with more words than this (both sides) are diffed with a deadline.
const DEADLINE_OVER_WORDS: usize = 5000;

/// A hash map for words and blocks with a fast hash (FxHash's): SipHash was a tenth of
/// the diffs' cost, and the keys are the plans' own words.
pub(crate) type WordMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

#[derive(Default, Clone, Copy)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(b));
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A text as words for diffing. Each word's span runs to the next word, so it carries
/// the white space after it (and the first word any white space before it): a run of
/// words is a slice of the text, and every byte belongs to one word. Words are compared
/// without their white space, so Myers only works on words (half the tokens of a
/// words-and-spaces split, and no meaningless matches on single spaces).
struct Tokenized<'a> {
    text: &'a str,
    /// The words, white space excluded (what is compared).
    words: Vec<&'a str>,
    /// Where each word's span starts; one more entry, `text.len()`, at the end.
    offsets: Vec<usize>,
}

impl<'a> Tokenized<'a> {
    fn new(text: &'a str) -> Self {
        let mut words = Vec::new();
        let mut offsets = Vec::new();
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    words.push(&text[s..i]);
                    offsets.push(s);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push(&text[s..]);
            offsets.push(s);
        }
        if let Some(first) = offsets.first_mut() {
            *first = 0;
        }
        offsets.push(text.len());
        Tokenized {
            text,
            words,
            offsets,
        }
    }
    /// The text and word count of words `from..from + len`.
    fn run(&self, from: usize, len: usize) -> (&'a str, usize) {
        (
            &self.text[self.offsets[from]..self.offsets[from + len]],
            len,
        )
    }
}

/// Word-level diff with `similar` (Myers over word tokens), runs of one kind merged.
///
/// Identical texts, the common case between two years of a continued indsatsområde,
/// skip the diff. The deadline bounds pathological inputs; past it `similar` returns a
/// coarser but still correct diff.
pub fn word_diff(old: &str, new: &str) -> Diff {
    let mut diff = Diff::default();
    if old == new {
        if !old.is_empty() {
            diff.unchanged_words = old.split_whitespace().count();
            diff.segments.push(Segment {
                kind: SegmentKind::Equal,
                text: old.to_string(),
            });
        }
        return diff;
    }
    let (a, b) = (Tokenized::new(old), Tokenized::new(new));
    let [old_ids, new_ids] = word_ids(&a, &b);
    // Only long texts can take long; a deadline costs a clock read per step.
    let deadline = (old_ids.len() + new_ids.len() > DEADLINE_OVER_WORDS)
        .then(|| Instant::now() + Duration::from_secs(2));
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &old_ids, &new_ids, deadline);
    for op in ops {
        match op {
            // Unchanged words are shown with the new text's white space (its paragraphs).
            DiffOp::Equal { new_index, len, .. } => {
                let (text, words) = b.run(new_index, len);
                diff.push_run(SegmentKind::Equal, text, words);
            }
            // The white space after a changed run separates it from what follows, so it
            // is shown as unchanged: a paragraph break stays outside `<del>`/`<ins>`.
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                let (text, words) = a.run(old_index, old_len);
                diff.push_change(SegmentKind::Delete, text, words);
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                let (text, words) = b.run(new_index, new_len);
                diff.push_change(SegmentKind::Insert, text, words);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let (old_text, old_words) = a.run(old_index, old_len);
                let (new_text, new_words) = b.run(new_index, new_len);
                diff.push_run(
                    SegmentKind::Delete,
                    split_trailing_space(old_text).0,
                    old_words,
                );
                diff.push_change(SegmentKind::Insert, new_text, new_words);
            }
        }
    }
    diff
}

/// Both texts' words as small integers, so that Myers compares integers, not strings.
fn word_ids(a: &Tokenized, b: &Tokenized) -> [Vec<u32>; 2] {
    let mut ids: WordMap<&str, u32> = WordMap::default();
    [&a.words, &b.words].map(|ts| {
        ts.iter()
            .map(|&t| {
                let n = ids.len() as u32;
                *ids.entry(t).or_insert(n)
            })
            .collect()
    })
}

impl Diff {
    /// Adds a run of `words` words to a word diff, joined to the last segment when it
    /// is of the same kind.
    fn push_run(&mut self, kind: SegmentKind, text: &str, words: usize) {
        if text.is_empty() {
            return;
        }
        match kind {
            SegmentKind::Equal => self.unchanged_words += words,
            SegmentKind::Insert => self.added_words += words,
            SegmentKind::Delete => self.removed_words += words,
        }
        match self.segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            // Words deleted after the new text's last word: a space leads them, or the
            // old side would read "hinanden.De" (the new side stays exactly the new text).
            Some(last)
                if kind == SegmentKind::Delete
                    && !last.text.ends_with(char::is_whitespace)
                    && !text.starts_with(char::is_whitespace) =>
            {
                self.segments.push(Segment {
                    kind,
                    text: format!(" {text}"),
                });
            }
            _ => self.segments.push(Segment {
                kind,
                text: text.to_string(),
            }),
        }
    }

    /// A changed run, its trailing white space shown as unchanged.
    fn push_change(&mut self, kind: SegmentKind, text: &str, words: usize) {
        let (changed, space) = split_trailing_space(text);
        self.push_run(kind, changed, words);
        self.push_run(SegmentKind::Equal, space, 0);
    }
}

/// `"ord og ord\n\n"` → (`"ord og ord"`, `"\n\n"`).
fn split_trailing_space(s: &str) -> (&str, &str) {
    let end = s.trim_end().len();
    s.split_at(end)
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
        assert_eq!(same.unchanged_words, 2);
    }

    fn changes(d: &Diff) -> Vec<(BlockKind, BlockChange, bool)> {
        d.blocks
            .iter()
            .map(|b| (b.kind, b.change, b.is_edited()))
            .collect()
    }

    const PARAS: [&str; 3] = [
        "Politiet og kommunen mødes hvert kvartal om trygheden i byen.",
        "Indsatsen mod indbrud fortsætter med nabohjælp i alle boligområder.",
        "Kredsrådet følger udviklingen og drøfter den på sit møde i maj.",
    ];

    #[test]
    fn common_words_is_the_longest_common_subsequence() {
        assert_eq!(common_words(&[1, 2, 3, 4, 5], &[1, 3, 5]), Some(3));
        assert_eq!(common_words(&[1, 2, 3], &[3, 2, 1]), Some(1));
        assert_eq!(common_words(&[], &[1]), Some(0));
        assert_eq!(common_words(&[1, 2, 1, 2], &[2, 1, 2, 1]), Some(3));
        let long = vec![0u32; 5000];
        assert_eq!(common_words(&long, &long), None);
    }

    #[test]
    fn paragraphs_joined_or_split_change_no_word() {
        let two = "Vold i nære relationer har store omkostninger for de involverede.\n\nEn dom stopper ikke nødvendigvis den voldelige adfærd hos gerningspersonen.";
        let one = "Vold i nære relationer har store omkostninger for de involverede. En dom stopper ikke nødvendigvis den voldelige adfærd hos gerningspersonen.";
        for (old, new) in [(two, one), (one, two)] {
            let d = block_diff(old, new);
            assert_eq!(
                (d.added_words, d.removed_words),
                (0, 0),
                "{old:?} → {new:?}"
            );
            assert_eq!(d.unchanged_words, 20);
        }
        // Joined and one word changed: that word, not the paragraph.
        let d = block_diff(two, &one.replace("store", "meget store"));
        assert_eq!((d.added_words, d.removed_words), (1, 0));
    }

    /// Hjørring 2026 joined 2025's NSK sentence with the paragraph after it and changed
    /// one word in it: the sentence reads as kept with that word changed, not struck
    /// above and added below.
    #[test]
    fn a_joined_paragraph_with_a_word_changed_shows_that_word() {
        let nsk = "Der er hos den Nationale enhed for Særlig Kriminalitet (NSK) oprettet en online politipatrulje, der navnlig arbejder med børn og unges oplevelser på internettet.";
        let next = "Tryghed og sikkerhed på nettet for børn og unge er også i fokus hos Nordjyllands Politi.";
        let intro = "Som led i forebyggelsen af svindel er politiet ved at udarbejde en undervisningsplatform.";
        let old = format!("{intro}\n\n{nsk}\n\n{next}");
        let new = format!("{intro}\n\n{} {next}", nsk.replace("navnlig", "navnligt"));
        let d = block_diff(&old, &new);
        assert_eq!((d.added_words, d.removed_words), (1, 1), "{d:?}");
        use BlockChange::*;
        assert_eq!(
            changes(&d),
            [
                (BlockKind::Paragraph, Kept, false),
                (BlockKind::Paragraph, Kept, true)
            ]
        );
        let joined = &d.blocks[1];
        assert_eq!(joined.new_text(), new.split("\n\n").nth(1).unwrap());
        assert_eq!(joined.old_text(), format!("{nsk} {next}"));
        // The other way round (a paragraph split in two): two paragraphs, each with the
        // old words where they now stand.
        let d = block_diff(&new, &old);
        assert_eq!((d.added_words, d.removed_words), (1, 1), "{d:?}");
        assert_eq!(
            changes(&d),
            [
                (BlockKind::Paragraph, Kept, false),
                (BlockKind::Paragraph, Kept, true),
                (BlockKind::Paragraph, Kept, false)
            ]
        );
        assert_eq!(d.blocks[1].new_text(), nsk);
        assert_eq!(d.blocks[2].new_text(), next);
        // A word removed at the end of the first new paragraph shows in that paragraph.
        let one = "Mødet holdes om morgenen. Anden del handler om trafikken i byen.";
        let two = "Mødet holdes om\n\nAnden del handler om trafikken i byen.";
        let d = block_diff(one, two);
        assert_eq!(d.blocks.len(), 2, "{d:?}");
        assert!(
            (d.blocks[0].segments.iter())
                .any(|s| s.kind == SegmentKind::Delete && s.text.contains("morgenen")),
            "{d:?}"
        );
        // A sentence moved to the next paragraph and another paragraph split: the texts
        // as one run still count no change (the split taken in by the re-cut must not
        // keep them from being counted so).
        let (p1, sent, p2) = (
            "Politiet og kommunen mødes hvert kvartal om trygheden i byen.",
            "Det har de gjort siden 2019.",
            "Indsatsen mod indbrud fortsætter med nabohjælp i alle boligområder.",
        );
        let (r1, r2) = (
            "Kredsrådet følger udviklingen nøje hele året.",
            "Den drøftes på kredsrådets møde i maj.",
        );
        let old = format!("{p1} {sent}\n\n{p2}\n\n{r1} {r2}");
        let new = format!("{p1}\n\n{sent} {p2}\n\n{r1}\n\n{r2}");
        let d = block_diff(&old, &new);
        assert_eq!((d.added_words, d.removed_words), (0, 0), "{d:?}");
        // A paragraph that shares nothing with its neighbour stays removed.
        let other = "Helt andre ord om cykler, biler og knallerter i byen.";
        let d = block_diff(
            &format!("{intro}\n\n{other}"),
            &format!("{intro} Et nyt ord."),
        );
        assert!(d.blocks.iter().any(|b| b.change == Removed), "{d:?}");
    }

    #[test]
    fn moved_paragraph_is_moved_not_rewritten() {
        let [a, b, c] = PARAS;
        let d = block_diff(&format!("{a}\n\n{b}\n\n{c}"), &format!("{b}\n\n{c}\n\n{a}"));
        use BlockChange::*;
        use BlockKind::Paragraph as P;
        assert_eq!(
            changes(&d),
            [(P, Kept, false), (P, Kept, false), (P, Moved, false)]
        );
        assert!(d.is_unchanged());
        assert_eq!(d.moved_blocks, 1);
        let words: usize = PARAS.iter().map(|p| p.split_whitespace().count()).sum();
        assert_eq!(d.unchanged_words, words);
        assert_eq!(d.changed_share(), 0.0);
        assert_eq!(d.blocks[2].new_text(), a);
    }

    #[test]
    fn moved_and_edited_paragraph_keeps_its_word_diff() {
        let [a, b, c] = PARAS;
        let edited = a.replace("hvert kvartal", "hver måned");
        let d = block_diff(
            &format!("{a}\n\n{b}\n\n{c}"),
            &format!("{b}\n\n{c}\n\n{edited}"),
        );
        let moved = &d.blocks[2];
        assert_eq!(
            (moved.change, moved.is_edited()),
            (BlockChange::Moved, true)
        );
        assert_eq!(
            (moved.old_text(), moved.new_text()),
            (a.to_string(), edited)
        );
        assert_eq!((d.added_words, d.removed_words), (2, 2));
    }

    #[test]
    fn headings_added_and_gone() {
        let [a, b, c] = PARAS;
        let d = block_diff(
            &format!("{a}\n\n##### Gammelt afsnit\n\n{b}"),
            &format!("{a}\n\n{b}\n\n##### Helt *nyt* afsnit\n\n{c}"),
        );
        assert_eq!(d.new_headings, ["Helt nyt afsnit"]);
        assert_eq!(d.gone_headings, ["Gammelt afsnit"]);
        use BlockChange::*;
        use BlockKind::*;
        assert_eq!(
            changes(&d),
            [
                (Paragraph, Kept, false),
                (Heading, Removed, false),
                (Paragraph, Kept, false),
                (Heading, Added, false),
                (Paragraph, Added, false),
            ]
        );
        assert_eq!(d.blocks[3].level, 5);
    }

    #[test]
    fn renamed_heading_is_neither_new_nor_gone() {
        let d = block_diff(
            "##### Partnerskabet \"Bo Trygt\" skal udbredes\n\nTekst.",
            "##### Partnerskabet Bo Trygt er blevet udbredt\n\nTekst.",
        );
        assert!(d.new_headings.is_empty() && d.gone_headings.is_empty());
        assert_eq!(d.blocks[0].change, BlockChange::Kept);
        assert!(d.blocks[0].is_edited());
    }

    #[test]
    fn list_item_changed_inside_the_item() {
        let d = block_diff(
            "- første punkt om nabohjælp\n- andet punkt om trafik i byen\n- tredje",
            "- første punkt om nabohjælp\n- andet punkt om sikker trafik i byen\n- tredje",
        );
        use BlockChange::*;
        use BlockKind::Item;
        assert_eq!(
            changes(&d),
            [(Item, Kept, false), (Item, Kept, true), (Item, Kept, false)]
        );
        let kinds: Vec<(SegmentKind, &str)> = d.blocks[1]
            .segments
            .iter()
            .map(|s| (s.kind, s.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (SegmentKind::Equal, "andet punkt om "),
                (SegmentKind::Insert, "sikker"),
                (SegmentKind::Equal, " trafik i byen"),
            ]
        );
        assert_eq!((d.added_words, d.removed_words), (1, 0));
    }

    #[test]
    fn table_row_added() {
        let table = "| År | Møder |\n|---|---|\n| 2024 | 4 |\n| 2025 | 5 |\n";
        let d = block_diff(table, &format!("{table}| 2026 | 6 |\n"));
        use BlockChange::*;
        use BlockKind::Row;
        assert_eq!(
            changes(&d),
            [
                (Row, Kept, false),
                (Row, Kept, false),
                (Row, Kept, false),
                (Row, Added, false)
            ]
        );
        assert_eq!(d.blocks[3].new_text(), "2026 6");
        assert_eq!(d.added_words, 2);
    }

    #[test]
    fn rewritten_paragraph_is_removed_and_added() {
        let [a, b, c] = PARAS;
        let other = "Helt anden tekst uden noget til fælles med den gamle.";
        let d = block_diff(&format!("{a}\n\n{b}"), &format!("{a}\n\n{other}\n\n{c}"));
        use BlockChange::*;
        let ch: Vec<BlockChange> = d.blocks.iter().map(|b| b.change).collect();
        assert_eq!(ch, [Kept, Removed, Added, Added]);
    }

    #[test]
    fn block_diff_keeps_every_block() {
        // The new text's blocks, in order, are the diff's new sides; the old text's
        // blocks are its old sides (in the new order where moved).
        let old = "# A\n\nEt to tre.\n\n- x y\n- z\n\n## B\n\nFire fem seks syv.\n\n| a | b |\n|--|--|\n| 1 | 2 |";
        let new = "## B\n\nFire fem seks otte.\n\n# A\n\nNy tekst her.\n\n- x y\n\n| a | b |\n|--|--|\n| 1 | 3 |";
        let d = block_diff(old, new);
        let side = |new_side: bool| -> Vec<String> {
            d.blocks
                .iter()
                .map(|b| if new_side { b.new_text() } else { b.old_text() })
                .filter(|t| !t.is_empty())
                .collect()
        };
        let texts = |md: &str| -> Vec<String> {
            parse_blocks(md)
                .into_iter()
                .map(|b| b.text.replace('\t', " "))
                .collect()
        };
        assert_eq!(side(true), texts(new));
        let (mut got, mut want) = (side(false), texts(old));
        got.sort();
        want.sort();
        assert_eq!(got, want);
        let words =
            |md: &str| -> usize { texts(md).iter().map(|t| t.split_whitespace().count()).sum() };
        assert_eq!(d.unchanged_words + d.removed_words, words(old));
        assert_eq!(d.unchanged_words + d.added_words, words(new));
        let again = block_diff(old, new);
        assert_eq!(format!("{:?}", again.blocks), format!("{:?}", d.blocks));
    }

    #[test]
    fn word_diff_keeps_every_word() {
        // Joining the equal and deleted runs gives the old words; equal and inserted, the
        // new text exactly (unchanged words carry the new text's white space).
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for (old, new) in [
            (
                "Vi vil  styrke\n\nindsatsen mod indbrud.",
                "Vi vil styrke indsatsen\n\nmod vold og indbrud i år.",
            ),
            ("", "ny tekst"),
            ("a b c. D e f.", "a x c."),
            ("gammel tekst", ""),
            (" æøå  ", "æøå"),
        ] {
            let d = word_diff(old, new);
            let side = |skip: SegmentKind| -> String {
                d.segments
                    .iter()
                    .filter(|s| s.kind != skip)
                    .map(|s| s.text.as_str())
                    .collect()
            };
            assert_eq!(words(&side(SegmentKind::Insert)), words(old));
            assert_eq!(side(SegmentKind::Delete), new);
            assert!(d.segments.windows(2).all(|w| w[0].kind != w[1].kind));
        }
    }

    #[test]
    fn an_unchanged_text_diffs_as_the_general_path_would() {
        let texts = [
            "Et afsnit.\n\n- punkt\n- punkt\n\nEt afsnit.\n\n##### Overskrift\n\nEt afsnit.",
            "| a | b |\n|-|-|\n| 1 | 2 |\n\nTo ord.\n\nTo ord.",
            "",
        ];
        for t in texts {
            let blocks = parse_blocks(t);
            assert_eq!(
                format!("{:?}", block_diff(t, t)),
                format!("{:?}", diff_blocks(&blocks, &blocks)),
                "{t:?}"
            );
        }
    }
}
