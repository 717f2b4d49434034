//! Diff presentation: `<ins>`/`<del>` with a text cue for screen readers and print, and
//! long unchanged runs folded so the changes stand out.

use super::markdown::escape;
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
fn runs(d: &Diff) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for seg in &d.segments {
        match (seg.kind, runs.last_mut()) {
            (SegmentKind::Equal, Some(Run::Same(t))) => t.push_str(&seg.text),
            (SegmentKind::Equal, _) => runs.push(Run::Same(seg.text.clone())),
            (SegmentKind::Delete, Some(Run::Change(old, _))) => old.push_str(&seg.text),
            (SegmentKind::Insert, Some(Run::Change(_, new))) => new.push_str(&seg.text),
            (SegmentKind::Delete, _) => runs.push(Run::Change(seg.text.clone(), String::new())),
            (SegmentKind::Insert, _) => runs.push(Run::Change(String::new(), seg.text.clone())),
        }
    }
    let size = |r: &Run| match r {
        Run::Change(old, new) => Some(words(old).max(words(new))),
        Run::Same(_) => None,
    };
    let mut i = 1;
    while i + 1 < runs.len() {
        let fold = match (size(&runs[i - 1]), &runs[i], size(&runs[i + 1])) {
            (Some(before), Run::Same(t), Some(after)) => {
                !t.contains("\n\n") && words(t) <= before && words(t) <= after
            }
            _ => false,
        };
        if !fold {
            i += 1;
            continue;
        }
        let mut tail = runs.drain(i..=i + 1);
        let (Some(Run::Same(same)), Some(Run::Change(old2, new2))) = (tail.next(), tail.next())
        else {
            unreachable!("checked above")
        };
        drop(tail);
        if let Run::Change(old, new) = &mut runs[i - 1] {
            for (side, more) in [(old, old2), (new, new2)] {
                side.push_str(&same);
                side.push_str(&more);
            }
        }
        // the grown change may now swallow the unchanged run before it
        i = i.saturating_sub(2).max(1);
    }
    runs
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
    escape(s).replace("\n\n", "<br><br>").replace('\n', "<br>")
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
