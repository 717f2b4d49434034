//! The printed table of contents: found, read (it tells which lines are chapter
//! headings and at what depth), and dropped from the body.

use super::clean::Block;
use crate::model::text::normalize_title;

/// One line of the contents list.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// `[3, 1]` for "3.1."; empty for an unnumbered entry ("FORORD").
    pub number: Vec<u32>,
    /// The title as printed, without number and page.
    pub title: String,
}

/// The contents list, where it was.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    pub entries: Vec<Entry>,
    /// Block range it occupied (its "Indhold" heading included).
    pub blocks: std::ops::Range<usize>,
}

impl Contents {
    /// The entry a heading corresponds to: same number and a similar title (contents
    /// lists and headings differ in case, years and typos), or for an unnumbered
    /// heading the same title.
    pub fn find(&self, number: &[u32], title: &str) -> Option<&Entry> {
        let t = normalize_title(title);
        self.entries.iter().find(|e| {
            e.number == number && {
                let et = normalize_title(&e.title);
                et == t
                    || (!number.is_empty()
                        && (strsim::normalized_levenshtein(&et, &t) >= 0.75
                            || (et.len() >= 12 && t.starts_with(&et))))
            }
        })
    }
}

/// "3.1.2." → [3, 1, 2]; "01" → [1]. At most three levels of at most two digits each
/// (a year is not a section number).
pub fn parse_number(token: &str) -> Option<Vec<u32>> {
    let t = token.trim_end_matches('.');
    if t.is_empty() {
        return None;
    }
    let parts: Option<Vec<u32>> = t
        .split('.')
        .map(|p| {
            if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect();
    parts.filter(|p| p.len() <= 4)
}

/// Splits "3.1. Titel" into ([3, 1], "Titel"); unnumbered text gives ([], text).
pub fn split_number(text: &str) -> (Vec<u32>, String) {
    let t = text.trim();
    let (first, rest) = t.split_once([' ', '\t']).unwrap_or((t, ""));
    match parse_number(first) {
        Some(n) if !rest.trim().is_empty() => (n, rest.trim().to_string()),
        _ => (Vec::new(), t.to_string()),
    }
}

/// A contents line: text, then dot leaders or a tab, then a page number. The flag says
/// whether it had a leader: PDF extraction turns a tab (or the space before a page
/// number set flush right) into a plain space, so "1. INDLEDNING 3" is an entry too,
/// but only where a contents heading says so (see [`find`]).
fn entry(line: &str) -> Option<(Entry, bool)> {
    let l = line.replace("**", "").replace('*', "");
    let l = l.trim().trim_start_matches('#').trim();
    let page_start = l.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if page_start == l.len() || l.len() - page_start > 3 {
        return None;
    }
    let before = &l[..page_start];
    let has_leader = before.trim_end().ends_with("..") || before.ends_with('\t');
    // "§115": a number that is part of the title; "- 2017: 51": a bullet with a figure.
    let bullet = ["- ", "• ", "– "].iter().any(|m| l.starts_with(m));
    if !has_leader && (!before.ends_with(' ') || bullet) {
        return None;
    }
    let text = before
        .trim_end()
        .trim_end_matches(['.', ' ', '\t', '…'])
        .replace('\t', " ");
    if text.trim().is_empty() {
        return None;
    }
    let (number, title) = split_number(&text);
    let entry = Entry {
        number,
        title: title.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    Some((entry, has_leader))
}

fn is_contents_heading(b: &Block) -> bool {
    let t = b.joined().replace("**", "");
    let t = t.trim_start_matches('#').trim().to_lowercase();
    matches!(
        t.as_str(),
        "indhold" | "indholdsfortegnelse" | "indholdsfortegnelse:"
    )
}

/// Finds the first run of at least three contents lines (with its heading, if any).
/// Lines without a leader count only in a run right after a contents heading: on their
/// own they read like any line ending in a number.
pub fn find(blocks: &[Block]) -> Option<Contents> {
    let mut i = 0;
    while i < blocks.len() {
        let start = i;
        let headed = start > 0 && is_contents_heading(&blocks[start - 1]);
        let mut entries = Vec::new();
        let mut j = i;
        while j < blocks.len() {
            let parsed: Option<Vec<Entry>> = blocks[j]
                .lines
                .iter()
                .map(|l| entry(l).filter(|e| e.1 || headed).map(|e| e.0))
                .collect();
            let Some(parsed) = parsed else { break };
            entries.extend(parsed);
            j += 1;
        }
        if entries.len() >= 3 {
            let from = if headed { start - 1 } else { start };
            return Some(Contents {
                entries,
                blocks: from..j,
            });
        }
        i = j.max(i + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries() {
        let (e, leader) = entry("**1. INDLEDNING .....**\t**3**").unwrap();
        assert_eq!(
            (e.number, e.title.as_str(), leader),
            (vec![1], "INDLEDNING", true)
        );
        let (e, _) = entry("01.1\tDet løbende lokale samarbejde\t5").unwrap();
        assert_eq!(
            (e.number, e.title.as_str()),
            (vec![1, 1], "Det løbende lokale samarbejde")
        );
        let (e, _) = entry("FORORD.....\t2").unwrap();
        assert!(e.number.is_empty());
        let (e, leader) = entry("04.10 Tryghed og sikkerhed for børn på nettet 14").unwrap();
        assert_eq!((e.number, leader), (vec![4, 10], false));
        assert!(entry("2.2. §115").is_none());
        assert!(entry("Der er planlagt 4 møder i 2026").is_none());
        assert!(entry("- 2017: 51").is_none());
    }

    #[test]
    fn leaderless_lists_need_a_contents_heading() {
        let block = |t: &str| Block {
            lines: t.lines().map(str::to_string).collect(),
            line: 1,
        };
        let list = "1. INDLEDNING 3\n1.1. Baggrund 3\n2. INDSATSER 5";
        let c = find(&[block("Indhold"), block(list)]).unwrap();
        assert_eq!((c.entries.len(), c.blocks.clone()), (3, 0..2));
        assert!(find(&[block("Møder"), block(list)]).is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("3.1.2."), Some(vec![3, 1, 2]));
        assert_eq!(parse_number("04.10"), Some(vec![4, 10]));
        assert_eq!(parse_number("2025"), None);
        assert_eq!(
            split_number("2.1.1 Ansvar"),
            (vec![2, 1, 1], "Ansvar".into())
        );
    }
}
