//! How a district's or kommune's documents look: numbering, capitals, which optional
//! chapters they have.

use std::fmt::Write as _;

use super::rng::{Rng, TAG_STYLE};

/// How a district's or kommune's documents look; kept from year to year.
pub(super) struct Style {
    /// 0: "4.1.", 1: "04.1", 2: "4.1"
    pub(super) numbering: u8,
    pub(super) caps: bool,
    pub(super) parts: bool,
    pub(super) local_priorities: bool,
    pub(super) statistics: bool,
    pub(super) annex: bool,
    pub(super) fora: bool,
    pub(super) kreds_list: bool,
    pub(super) approved: bool,
    pub(super) chapter_kind: usize,
}

pub(super) fn style(seed: u64, ix: usize) -> Style {
    let mut r = Rng::keyed(seed, &[TAG_STYLE, ix as u64]);
    Style {
        numbering: r.below(3) as u8,
        caps: r.chance(0.4),
        parts: r.chance(0.5),
        local_priorities: r.chance(0.6),
        statistics: r.chance(0.4),
        annex: r.chance(0.6),
        fora: r.chance(0.8),
        kreds_list: r.chance(0.7),
        approved: r.chance(0.6),
        chapter_kind: r.below(4),
    }
}

impl Style {
    /// Section number for `parts` (chapter, section, …).
    pub(super) fn num(&self, parts: &[usize]) -> String {
        let joined = |v: &[usize]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(".")
        };
        match self.numbering {
            0 => format!("{}.", joined(parts)),
            1 => {
                let mut s = format!("{:02}", parts[0]);
                for p in &parts[1..] {
                    let _ = write!(s, ".{p}");
                }
                s
            }
            _ if parts.len() == 1 => format!("{}.", parts[0]),
            _ => joined(parts),
        }
    }
    pub(super) fn chapter(&self, s: &str) -> String {
        if self.caps {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    }
}
