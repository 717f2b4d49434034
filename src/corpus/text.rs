//! An indsatsområde's text: made from sentence templates, then edited a little or a
//! lot from one year to the next.

use super::data::{Topic, HEADINGS, PHRASES};
use super::rng::Rng;
use super::words::{cap_first, years_in};

/// An indsatsområde's text in a plan: paragraphs of sentences, lists, sub-headings.
/// Sentences keep `{Y}`/`{Y1}` tokens so that carried text names the right year.
#[derive(Debug, Clone)]
pub(super) enum Block {
    P(Vec<String>),
    L(Vec<String>),
    H(String),
}

/// Words that name the issuer in sentences.
pub(super) struct Voice<'a> {
    /// "Nordjyllands Politi"
    pub(super) pol: &'a str,
    /// "kommunerne" / "Hjørring Kommune"
    pub(super) lok: String,
    /// "politikredsen" / "kommunen"
    pub(super) omr: &'static str,
    /// "Nordjylland" / "Hjørring"
    pub(super) by: &'a str,
}

/// Fills a template's `{slots}`; year tokens are left for [`years_in`].
pub(super) fn fill(rng: &mut Rng, tpl: &str, t: &Topic, v: &Voice) -> String {
    let mut out = String::with_capacity(tpl.len() + 48);
    let mut rest = tpl;
    let mut actor = "";
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let key = &after[..j];
        match key {
            "np" => out.push_str(&t.np),
            "Np" => out.push_str(&cap_first(&t.np)),
            "kw" => out.push_str(rng.word(&t.kw)),
            "Kw" => out.push_str(&cap_first(rng.word(&t.kw))),
            "g" => out.push_str(rng.word(&t.groups)),
            "a" | "A" => {
                actor = rng.word(&PHRASES.actors);
                if key == "A" {
                    out.push_str(&cap_first(actor));
                } else {
                    out.push_str(actor);
                }
            }
            "a2" => {
                let mut b = rng.word(&PHRASES.actors);
                while b == actor {
                    b = rng.word(&PHRASES.actors);
                }
                out.push_str(b);
            }
            "m" => out.push_str(rng.word(&PHRASES.methods)),
            "M" => out.push_str(&cap_first(rng.word(&PHRASES.methods))),
            "gv" => out.push_str(if t.problem {
                rng.word(&PHRASES.goal_verbs_problem)
            } else {
                rng.word(&PHRASES.goal_verbs_good)
            }),
            "pol" => out.push_str(v.pol),
            "lok" => out.push_str(&v.lok),
            "omr" => out.push_str(v.omr),
            "by" => out.push_str(v.by),
            _ => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

/// `k` different sentences from `pool`.
pub(super) fn sentences(
    rng: &mut Rng,
    pool: &[String],
    k: usize,
    t: &Topic,
    v: &Voice,
) -> Vec<String> {
    let mut ix: Vec<usize> = (0..pool.len()).collect();
    rng.shuffle(&mut ix);
    ix.iter()
        .take(k)
        .map(|&i| fill(rng, &pool[i], t, v))
        .collect()
}

/// A fresh text; `long` for a samarbejdsplan.
pub(super) fn new_text(rng: &mut Rng, t: &Topic, v: &Voice, long: bool) -> Vec<Block> {
    let intro = if t.problem {
        &PHRASES.intro_problem
    } else {
        &PHRASES.intro_goal
    };
    let mut b = Vec::new();
    let n = if long {
        rng.range(3, 4)
    } else {
        rng.range(2, 3)
    };
    b.push(Block::P(sentences(rng, intro, n, t, v)));
    let n = rng.range(3, 4);
    b.push(Block::P(sentences(rng, &PHRASES.activity, n, t, v)));
    if long || rng.chance(0.45) {
        let n = rng.range(2, 4);
        b.push(Block::P(sentences(rng, &PHRASES.activity, n, t, v)));
    }
    if rng.chance(if long { 0.5 } else { 0.6 }) {
        b.push(Block::P(sentences(rng, &PHRASES.goals, 1, t, v)));
    }
    if rng.chance(if long { 0.45 } else { 0.35 }) {
        b.push(Block::P(sentences(rng, &PHRASES.list_leads, 1, t, v)));
        let n = rng.range(3, 5);
        b.push(Block::L(sentences(rng, &PHRASES.list_items, n, t, v)));
    }
    if long && rng.chance(0.45) {
        let mut heads: Vec<&str> = HEADINGS.subheads.iter().map(String::as_str).collect();
        rng.shuffle(&mut heads);
        let k = rng.range(1, 2);
        for h in heads.iter().take(k) {
            b.push(Block::H(h.to_string()));
            let n = rng.range(2, 3);
            b.push(Block::P(sentences(rng, &PHRASES.activity, n, t, v)));
        }
    }
    if rng.chance(0.5) {
        b.push(Block::P(sentences(rng, &PHRASES.closing, 1, t, v)));
    }
    b
}

/// Positions of every sentence and list item: (block, index).
pub(super) fn sentence_slots(b: &[Block]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for (i, blk) in b.iter().enumerate() {
        match blk {
            Block::P(s) | Block::L(s) => v.extend((0..s.len()).map(|j| (i, j))),
            Block::H(_) => {}
        }
    }
    v
}

/// Texts shorter than this get only rewordings as their small edits.
pub(super) const SMALL_EDIT_MIN_SENTENCES: usize = 14;

/// A year's light touch: usually nothing or a rewording, sometimes one sentence
/// replaced or added. Stays well under the 10 % that makes a text "ændret".
pub(super) fn small_edit(rng: &mut Rng, b: &mut [Block], t: &Topic, v: &Voice) {
    let r = rng.below(100);
    if r < 40 {
        return;
    }
    let slots = sentence_slots(b);
    if slots.is_empty() {
        return;
    }
    // Replacing or adding a whole sentence is only small in a long text.
    if r < 78 || slots.len() < SMALL_EDIT_MIN_SENTENCES {
        for _ in 0..6 {
            let &(i, j) = rng.pick(&slots);
            let (Block::P(s) | Block::L(s)) = &mut b[i] else {
                continue;
            };
            if let Some((from, to)) = PHRASES.tweaks.iter().find(|(f, _)| s[j].contains(f)) {
                s[j] = s[j].replacen(from, to, 1);
                return;
            }
        }
        return;
    }
    let paras: Vec<usize> = (0..b.len())
        .filter(|&i| matches!(&b[i], Block::P(s) if s.len() >= 2))
        .collect();
    if paras.is_empty() {
        return;
    }
    let i = *rng.pick(&paras);
    let tpl = rng.pick(&PHRASES.activity);
    let fresh = fill(rng, tpl, t, v);
    if let Block::P(s) = &mut b[i] {
        if r < 92 {
            let j = rng.below(s.len());
            s[j] = fresh;
        } else if s.len() < 5 {
            s.push(fresh);
        } else {
            s.pop();
        }
    }
}

/// A rewrite: 35–55 % of the sentences replaced, sometimes a paragraph added or cut.
pub(super) fn big_edit(rng: &mut Rng, b: &mut Vec<Block>, t: &Topic, v: &Voice) {
    let mut slots = sentence_slots(b);
    rng.shuffle(&mut slots);
    let k = ((slots.len() * rng.range(35, 55)).div_ceil(100)).max(2);
    for &(i, j) in slots.iter().take(k) {
        let pool = match (&b[i], b.get(i + 1)) {
            (Block::L(_), _) => &PHRASES.list_items,
            (_, Some(Block::L(_))) => &PHRASES.list_leads,
            _ => &PHRASES.activity,
        };
        let (Block::P(s) | Block::L(s)) = &b[i] else {
            continue;
        };
        let old = s[j].clone();
        let mut fresh = old.clone();
        for _ in 0..4 {
            let tpl = rng.pick(pool);
            fresh = fill(rng, tpl, t, v);
            if fresh != old {
                break;
            }
        }
        if let Block::P(s) | Block::L(s) = &mut b[i] {
            s[j] = fresh;
        }
    }
    if rng.chance(0.35) {
        let spots: Vec<usize> = (1..=b.len())
            .filter(|&i| !matches!(b.get(i), Some(Block::L(_))))
            .collect();
        let at = *rng.pick(&spots);
        let n = rng.range(2, 3);
        b.insert(at, Block::P(sentences(rng, &PHRASES.activity, n, t, v)));
    }
    let paras: Vec<usize> = (1..b.len())
        .filter(|&i| matches!(b[i], Block::P(_)) && !matches!(b[i - 1], Block::H(_)))
        .filter(|&i| !matches!(b.get(i + 1), Some(Block::L(_))))
        .collect();
    if paras.len() >= 4 && rng.chance(0.2) {
        let i = *rng.pick(&paras);
        b.remove(i);
    }
}

pub(super) fn push_blocks(out: &mut String, blocks: &[Block], level: usize, y: i64) {
    for b in blocks {
        match b {
            Block::P(s) => {
                let mut first = true;
                for x in s {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    out.push_str(&years_in(x, y));
                }
                out.push_str("\n\n");
            }
            Block::L(items) => {
                for x in items {
                    out.push_str("- ");
                    out.push_str(&years_in(x, y));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::H(h) => {
                out.push_str(&"#".repeat(level + 1));
                out.push(' ');
                out.push_str(h);
                out.push_str("\n\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::data::TOPICS;

    #[test]
    fn small_edits_stay_small() {
        let t = &TOPICS[0];
        let v = Voice {
            pol: "Nordjyllands Politi",
            lok: "Hjørring Kommune".into(),
            omr: "kommunen",
            by: "Hjørring",
        };
        let words = |b: &[Block]| {
            let mut s = String::new();
            push_blocks(&mut s, b, 3, 2026);
            s
        };
        let mut rng = Rng::new(5);
        for _ in 0..200 {
            let mut b = new_text(&mut rng, t, &v, false);
            let before = words(&b);
            small_edit(&mut rng, &mut b, t, &v);
            let d = crate::model::evolution::word_diff(&before, &words(&b));
            assert!(d.changed_share() <= 0.10, "{}", d.changed_share());
            big_edit(&mut rng, &mut b, t, &v);
            let d = crate::model::evolution::word_diff(&before, &words(&b));
            // As the status reads it: the words a reader would call changed.
            let read = crate::model::diff::reading(&d, 0).changed;
            assert!(read > 0.10, "{read}");
        }
    }
}
