//! Each issuer's running text per indsatsområde, carried from plan to plan.

use std::collections::BTreeMap;

use super::data::TOPICS;
use super::registry::{members, unit_title, Ind};
use super::rng::Rng;
use super::text::{big_edit, new_text, small_edit, Block, Voice};

/// One issuer's running text per unit (keyed by its members).
pub(super) struct Lineage {
    pub(super) text: Vec<Block>,
    pub(super) heading: String,
    pub(super) last: usize,
}

/// The text and heading of unit `rep` in this issuer's plan of year `y`, carried
/// from earlier plans where there are any.
pub(super) fn unit_text(
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
    inds: &[Ind],
    rep: usize,
    y: usize,
    v: &Voice,
    long: bool,
) -> (String, Vec<Block>) {
    let ms = members(inds, rep, y);
    let t = &TOPICS[inds[rep].topic];
    if let Some(l) = lines.get_mut(&ms) {
        if l.last + 1 == y {
            if rng.chance(0.25) {
                big_edit(rng, &mut l.text, t, v);
                if ms.len() == 1 && rng.chance(0.3) {
                    l.heading = heading_variant(rng, &inds[rep]);
                }
            } else {
                small_edit(rng, &mut l.text, t, v);
            }
        } else if rng.chance(0.5) {
            big_edit(rng, &mut l.text, t, v);
        } else {
            small_edit(rng, &mut l.text, t, v);
        }
        l.last = y;
        return (l.heading.clone(), l.text.clone());
    }
    let text = if ms.len() == 2 {
        // A merge: the two texts joined, each shortened; or a new text.
        let parts: Vec<Vec<Block>> = ms
            .iter()
            .filter_map(|&m| lines.get(&vec![m]).map(|l| l.text.clone()))
            .collect();
        if parts.is_empty() {
            new_text(rng, t, v, long)
        } else {
            let mut joined = Vec::new();
            for p in parts {
                let keep = (p.len() * 2).div_ceil(3).max(1);
                let mut p: Vec<Block> = p.into_iter().take(keep).collect();
                if matches!(p.last(), Some(Block::H(_))) {
                    p.pop();
                }
                joined.extend(p);
            }
            joined
        }
    } else {
        new_text(rng, t, v, long)
    };
    let heading = if ms.len() == 2 {
        unit_title(inds, rep, y).to_string()
    } else {
        heading_variant(rng, &inds[rep])
    };
    lines.insert(
        ms,
        Lineage {
            text: text.clone(),
            heading: heading.clone(),
            last: y,
        },
    );
    (heading, text)
}

/// The title a plan prints for a (single) indsatsområde: usually the canonical one.
pub(super) fn heading_variant(rng: &mut Rng, ind: &Ind) -> String {
    let plain: Vec<&String> = ind
        .aliases
        .iter()
        .filter(|a| ind.merged_title.as_ref() != Some(*a))
        .collect();
    if plain.is_empty() || rng.chance(0.6) {
        ind.title.clone()
    } else {
        rng.pick(&plain).to_string()
    }
}
