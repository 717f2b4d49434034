//! Word-level diffs between two years of an indsatsområde's text.
//!
//! The diff is computed in the model (its word counts decide a status) and shown by
//! the renderer (`render::diff`), so it is plain data: runs of equal, inserted and
//! deleted text with word counts.

use serde::Serialize;
use similar::{Algorithm, DiffOp};
use std::collections::HashMap;
use std::time::{Duration, Instant};

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
