//! How each indsatsområde moves from one plan of an issuer to the next.
//!
//! For every plan we compute, once, the status of each indsatsområde it binds (or that
//! its predecessor bound and it dropped) relative to the same issuer's previous plan,
//! with a word-level diff of the texts. Comparison pages, indsatsområde pages and the
//! matrices all read these results; nothing is recomputed per page, so the cost is
//! linear in the number of plans (and their text).

use rayon::prelude::*;
use serde::Serialize;
use similar::{Algorithm, DiffOp};
use std::collections::HashMap;
use std::time::{Duration, Instant};

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
            let text = diff_text(&indsats_text(site, p, &bound_sections(site, p, i)));
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
            let diff = word_diff(text_of(texts, q, ind), text_of(texts, p, ind));
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
    // Tokens as small integers, so Myers compares integers, not strings.
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(a.words.len());
    let [old_ids, new_ids]: [Vec<u32>; 2] = [&a.words, &b.words].map(|ts| {
        ts.iter()
            .map(|&t| {
                let n = ids.len() as u32;
                *ids.entry(t).or_insert(n)
            })
            .collect()
    });
    let ops = similar::capture_diff_slices_deadline(
        Algorithm::Myers,
        &old_ids,
        &new_ids,
        Some(Instant::now() + Duration::from_secs(2)),
    );
    let mut push = |kind: SegmentKind, (text, words): (&str, usize)| {
        if text.is_empty() {
            return;
        }
        match kind {
            SegmentKind::Equal => diff.unchanged_words += words,
            SegmentKind::Insert => diff.added_words += words,
            SegmentKind::Delete => diff.removed_words += words,
        }
        match diff.segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => diff.segments.push(Segment {
                kind,
                text: text.to_string(),
            }),
        }
    };
    for op in ops {
        match op {
            // Unchanged words are shown with the new text's white space (its paragraphs).
            DiffOp::Equal { new_index, len, .. } => {
                push(SegmentKind::Equal, b.run(new_index, len));
            }
            // The white space after a changed run separates it from what follows, so it
            // is shown as unchanged: a paragraph break stays outside `<del>`/`<ins>`.
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                let (text, words) = a.run(old_index, old_len);
                push_change(&mut push, SegmentKind::Delete, text, words);
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                let (text, words) = b.run(new_index, new_len);
                push_change(&mut push, SegmentKind::Insert, text, words);
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let (old_text, old_words) = a.run(old_index, old_len);
                let (new_text, new_words) = b.run(new_index, new_len);
                push(
                    SegmentKind::Delete,
                    (split_trailing_space(old_text).0, old_words),
                );
                push_change(&mut push, SegmentKind::Insert, new_text, new_words);
            }
        }
    }
    diff
}

/// Pushes a changed run, its trailing white space as unchanged.
fn push_change(
    push: &mut impl FnMut(SegmentKind, (&str, usize)),
    kind: SegmentKind,
    text: &str,
    words: usize,
) {
    let (changed, space) = split_trailing_space(text);
    push(kind, (changed, words));
    push(SegmentKind::Equal, (space, 0));
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
}
