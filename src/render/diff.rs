//! Diff presentation: `<ins>`/`<del>` with a text cue for screen readers and print, and
//! long unchanged runs folded so the changes stand out.

use super::markdown::escape_into;
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
fn runs(d: &Diff) -> Vec<Run> {
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
                side.push_str(&same);
                side.push_str(more);
            }
            (old, new, ow, nw) = (o, n, bo + sw + ow, bn + sw + nw);
        }
        out.push((Run::Change(old, new), ow, nw));
    };
    let mut segs = d.segments.iter().peekable();
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

pub fn diff_html(d: &Diff) -> String {
    let mut out = String::from("<div class=\"diff\">");
    let runs = runs(d);
    let n = runs.len();
    for (i, run) in runs.iter().enumerate() {
        match run {
            Run::Same(same) => {
                let words: Vec<&str> = same.split(' ').collect();
                let count = same.split_whitespace().count();
                if count > FOLD_OVER_WORDS {
                    let head = if i == 0 { 0 } else { FOLD_CONTEXT_WORDS };
                    let tail = if i + 1 == n { 0 } else { FOLD_CONTEXT_WORDS };
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
                } else {
                    out.push_str(&text(same));
                }
            }
            Run::Change(old, new) => {
                if !old.is_empty() {
                    out.push_str("<del><span class=\"visually-hidden\">[slettet: </span>");
                    out.push_str(&text(old));
                    out.push_str("<span class=\"visually-hidden\">]</span></del>");
                }
                if !new.is_empty() {
                    out.push_str("<ins><span class=\"visually-hidden\">[tilføjet: </span>");
                    out.push_str(&text(new));
                    out.push_str("<span class=\"visually-hidden\">]</span></ins>");
                }
            }
        }
    }
    out.push_str("</div>");
    out
}

/// Escaped text with paragraph breaks kept.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_into(&mut out, s, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
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
