//! Diff presentation: `<ins>`/`<del>` with a text cue for screen readers and print, and
//! long unchanged runs folded so the changes stand out.

use super::markdown::escape;
use crate::model::evolution::{Diff, SegmentKind};

/// Unchanged runs longer than this many words are folded.
pub const FOLD_OVER_WORDS: usize = 40;
/// Words kept visible on each side of a fold.
pub const FOLD_CONTEXT_WORDS: usize = 12;

pub fn diff_html(d: &Diff) -> String {
    let mut out = String::from("<div class=\"diff\">");
    let n = d.segments.len();
    for (i, seg) in d.segments.iter().enumerate() {
        match seg.kind {
            SegmentKind::Equal => {
                let words: Vec<&str> = seg.text.split(' ').collect();
                let count = seg.text.split_whitespace().count();
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
                    out.push_str(&text(&seg.text));
                }
            }
            SegmentKind::Insert => {
                out.push_str("<ins><span class=\"visually-hidden\">[tilføjet: </span>");
                out.push_str(&text(&seg.text));
                out.push_str("<span class=\"visually-hidden\">]</span></ins>");
            }
            SegmentKind::Delete => {
                out.push_str("<del><span class=\"visually-hidden\">[slettet: </span>");
                out.push_str(&text(&seg.text));
                out.push_str("<span class=\"visually-hidden\">]</span></del>");
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
}
