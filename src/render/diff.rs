//! Diff presentation: block by block (headings, paragraphs, list items, table rows),
//! `<ins>`/`<del>` with a text cue for screen readers and print, moved blocks labelled,
//! and long unchanged runs folded so the changes stand out.
//!
//! A diff's headings are shown as `<div class="diff-heading">`, not `<hN>`: the diff
//! sits in a `<details>` under an entry's heading on pages with different outlines, and
//! half of it may be the old year's headings, struck through; as real headings they
//! would enter the page's outline (and its heading order) where they do not belong.

use super::markdown::escape_into;
use crate::model::diff::{BlockChange, BlockDiff, BlockKind, Segment};
use crate::model::evolution::{Diff, SegmentKind};

/// Unchanged runs longer than this many words are folded.
pub const FOLD_OVER_WORDS: usize = 40;
/// Words kept visible on each side of a fold.
pub const FOLD_CONTEXT_WORDS: usize = 12;

/// A diff as the reader sees it: unchanged text, or a change (old words, new words).
enum Run {
    Same(String),
    Change(String, String),
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Groups a word diff into runs and folds a short unchanged run between two changes into
/// them when it is no longer than either (as diff-match-patch's semantic cleanup does),
/// until nothing more folds. A rewritten passage then reads as the old words struck
/// through followed by the new ones, not as single words alternating. An unchanged
/// paragraph break is never folded, so changes stay within their paragraphs.
///
/// One pass with a stack: a change arriving after `[change, short same]` swallows both,
/// and the grown change is checked against what is below it again. Each run is pushed
/// and popped at most once, so this is linear in the diff (word counts are kept, not
/// recounted).
fn runs(segments: &[Segment]) -> Vec<Run> {
    // (run, words: the unchanged words, or the old and new words of a change)
    let mut out: Vec<(Run, usize, usize)> = Vec::new();
    let push_change = |out: &mut Vec<(Run, usize, usize)>, old: String, new: String| {
        let (mut old, mut new) = (old, new);
        let (mut ow, mut nw) = (words(&old), words(&new));
        loop {
            let foldable = match out.as_slice() {
                [.., (Run::Change(..), bo, bn), (Run::Same(t), same, _)] => {
                    !t.contains("\n\n") && *same <= (*bo).max(*bn) && *same <= ow.max(nw)
                }
                _ => false,
            };
            if !foldable {
                break;
            }
            let (Some((Run::Same(same), sw, _)), Some((Run::Change(mut o, mut n), bo, bn))) =
                (out.pop(), out.pop())
            else {
                unreachable!("matched above")
            };
            for (side, more) in [(&mut o, &old), (&mut n, &new)] {
                // A side that starts here starts with a word, not the space before it.
                side.push_str(if side.is_empty() {
                    same.trim_start()
                } else {
                    &same
                });
                side.push_str(more);
            }
            (old, new, ow, nw) = (o, n, bo + sw + ow, bn + sw + nw);
        }
        out.push((Run::Change(old, new), ow, nw));
    };
    let mut segs = segments.iter().peekable();
    while let Some(seg) = segs.next() {
        match seg.kind {
            SegmentKind::Equal => {
                let n = words(&seg.text);
                match out.last_mut() {
                    Some((Run::Same(t), a, b)) => {
                        t.push_str(&seg.text);
                        (*a, *b) = (*a + n, *b + n);
                    }
                    _ => out.push((Run::Same(seg.text.clone()), n, n)),
                }
            }
            SegmentKind::Delete | SegmentKind::Insert => {
                // A change is a delete, an insert, or a delete then an insert.
                let (mut old, mut new) = (String::new(), String::new());
                let mut cur = Some(seg);
                while let Some(s) = cur {
                    match s.kind {
                        SegmentKind::Delete => old.push_str(&s.text),
                        SegmentKind::Insert => new.push_str(&s.text),
                        SegmentKind::Equal => unreachable!("stopped before"),
                    }
                    cur = segs.next_if(|n| n.kind != SegmentKind::Equal);
                }
                push_change(&mut out, old, new);
            }
        }
    }
    out.into_iter().map(|(r, _, _)| r).collect()
}

/// A diff as HTML: its blocks, or for a plain word diff (no blocks) its runs.
pub fn diff_html(d: &Diff) -> String {
    let mut out = String::from("<div class=\"diff\">");
    if d.blocks.is_empty() {
        runs_html(&mut out, &d.segments, true);
    }
    for b in &d.blocks {
        block_html(&mut out, b);
    }
    out.push_str("</div>");
    out
}

/// One block: its kind and change as classes; an added or removed block's text as one
/// `<ins>` or `<del>`, a kept or moved block's as its word diff.
fn block_html(out: &mut String, b: &BlockDiff) {
    let kind = match b.kind {
        BlockKind::Heading => "diff-heading",
        BlockKind::Paragraph => "diff-para",
        BlockKind::Item if b.level > 1 => "diff-item diff-nested",
        BlockKind::Item => "diff-item",
        BlockKind::Row => "diff-row",
        BlockKind::Code => "diff-code",
    };
    let change = match b.change {
        BlockChange::Kept => "",
        BlockChange::Moved => " diff-moved",
        BlockChange::Added => " diff-added",
        BlockChange::Removed => " diff-removed",
    };
    out.push_str(&format!("<div class=\"{kind}{change}\">"));
    // An added or removed block is one run, its text.
    let whole = || {
        b.segments
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
    };
    match b.change {
        BlockChange::Added => change_html(out, "", &whole()),
        BlockChange::Removed => change_html(out, &whole(), ""),
        BlockChange::Moved => {
            out.push_str("<span class=\"diff-label\">flyttet</span> ");
            // Not folded: the reader wants to see what moved.
            runs_html(out, &b.segments, false);
        }
        // Headings are never folded: they are the diff's signposts.
        BlockChange::Kept => runs_html(out, &b.segments, b.kind != BlockKind::Heading),
    }
    out.push_str("</div>");
}

/// Runs of a word diff; long unchanged runs folded when `fold`.
fn runs_html(out: &mut String, segments: &[Segment], fold: bool) {
    let runs = runs(segments);
    let n = runs.len();
    for (i, run) in runs.iter().enumerate() {
        match run {
            Run::Same(same) if fold => folded_html(out, same, i == 0, i + 1 == n),
            Run::Same(same) => out.push_str(&text(same)),
            Run::Change(old, new) => change_html(out, old, new),
        }
    }
}

/// An unchanged run, its middle folded if long; no context kept at the diff's ends.
fn folded_html(out: &mut String, same: &str, first: bool, last: bool) {
    if same.split_whitespace().count() <= FOLD_OVER_WORDS {
        out.push_str(&text(same));
        return;
    }
    let words: Vec<&str> = same.split(' ').collect();
    let head = if first { 0 } else { FOLD_CONTEXT_WORDS };
    let tail = if last { 0 } else { FOLD_CONTEXT_WORDS };
    let (h, rest) = words.split_at(head.min(words.len()));
    let (mid, t) = rest.split_at(rest.len().saturating_sub(tail));
    let folded = mid.join(" ").split_whitespace().count();
    out.push_str(&text(&h.join(" ")));
    if !h.is_empty() {
        out.push(' ');
    }
    out.push_str(&format!(
        "<details class=\"fold\"><summary>… {folded} uændrede ord …</summary>{}</details>",
        text(&mid.join(" "))
    ));
    if !t.is_empty() {
        out.push(' ');
    }
    out.push_str(&text(&t.join(" ")));
}

/// Old words struck through, then the new ones, each with its cue.
fn change_html(out: &mut String, old: &str, new: &str) {
    // White space before the old words separates them from what precedes: not struck.
    let trimmed = old.trim_start();
    out.push_str(&text(&old[..old.len() - trimmed.len()]));
    if !trimmed.is_empty() {
        out.push_str("<del><span class=\"visually-hidden\">[slettet: </span>");
        out.push_str(&text(trimmed));
        out.push_str("<span class=\"visually-hidden\">]</span></del>");
    }
    if !new.is_empty() {
        out.push_str("<ins><span class=\"visually-hidden\">[tilføjet: </span>");
        out.push_str(&text(new));
        out.push_str("<span class=\"visually-hidden\">]</span></ins>");
    }
}

/// Escaped text with paragraph breaks kept, and a table row's cell breaks (tabs) shown.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for (i, cell) in s.split('\t').enumerate() {
        if i > 0 {
            out.push_str("<span class=\"diff-sep\"> | </span>");
        }
        escape_into(&mut out, cell, true);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::diff::block_diff;
    use crate::model::evolution::word_diff;

    #[test]
    fn marks_and_cues() {
        let h = diff_html(&word_diff("a <b> c", "a x c"));
        assert!(
            h.contains("<del><span class=\"visually-hidden\">[slettet: </span>&lt;b&gt;"),
            "{h}"
        );
        assert!(
            h.contains("<ins><span class=\"visually-hidden\">[tilføjet: </span>x"),
            "{h}"
        );
    }

    #[test]
    fn blocks_with_their_kind_and_change() {
        let para = "Politiet og kommunen mødes hvert kvartal om trygheden i byen & omegn.";
        let h = diff_html(&block_diff(
            &format!("{para}\n\nAndet afsnit her.\n\n##### Gammel\n\n- et punkt"),
            &format!("Andet afsnit her.\n\n{para}\n\n##### Ny overskrift\n\n- et nyt punkt\n\n| a | b |\n|-|-|\n| 1 | 2 |"),
        ));
        assert!(
            h.contains("<div class=\"diff-para diff-moved\"><span class=\"diff-label\">flyttet</span> Andet afsnit her.</div><div class=\"diff-para\">Politiet og kommunen mødes hvert kvartal om trygheden i byen &amp; omegn.</div>"),
            "{h}"
        );
        assert!(h.contains("<div class=\"diff-heading diff-removed\"><del><span class=\"visually-hidden\">[slettet: </span>Gammel<span"), "{h}");
        assert!(
            h.contains("<div class=\"diff-heading diff-added\"><ins>"),
            "{h}"
        );
        assert!(h.contains("<div class=\"diff-item\">et <ins>"), "{h}");
        assert!(h.contains("a<span class=\"diff-sep\"> | </span>b"), "{h}");
        assert!(!h.contains("<h"), "no headings in the outline: {h}");
    }

    #[test]
    fn folds_long_runs() {
        let long: String = (0..100).map(|i| format!("w{i} ")).collect();
        let h = diff_html(&word_diff(&format!("{long}end"), &format!("{long}slut")));
        assert!(h.contains("uændrede ord"), "{h}");
    }

    #[test]
    fn rewritten_passages_read_as_old_then_new() {
        let h = diff_html(&word_diff(
            "Uændret start her. De to grupper har en fast kerne.\n\nSlut.",
            "Uændret start her. Nordjyllands politikreds har også etablerede rockergrupper.\n\nSlut.",
        ));
        assert!(
            h.contains("[slettet: </span>De to grupper har en fast kerne.<span"),
            "{h}"
        );
        assert!(
            h.contains("[tilføjet: </span>Nordjyllands politikreds har også etablerede rockergrupper.<span"),
            "{h}"
        );
        // a small edit in a long unchanged text stays a small edit
        let h = diff_html(&word_diff(
            "Politiet gør dette bl.a. via kampagner i hele kredsen.",
            "Politiet gør dette blandt andet via kampagner i hele kredsen.",
        ));
        assert!(h.contains("bl.a.<span"), "{h}");
        assert!(h.contains("Politiet gør dette <del>"), "{h}");
    }
}
