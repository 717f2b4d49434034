//! Page furniture: page numbers, running headers and footers, the back cover's contact
//! block, and passages a PDF converter emitted twice. All removed and counted.

use std::collections::HashMap;

use super::clean::{list_marker, Block};

/// What was removed, for the report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Furniture {
    pub page_numbers: usize,
    pub running_lines: usize,
    /// The distinct running header/footer texts.
    pub running_texts: Vec<String>,
    pub back_cover_lines: usize,
    pub repeated_blocks: usize,
}

/// Lines that are only a page number: "7", "- 7 -", "Side 7", "Side 7 af 20", "7/20".
pub fn is_page_number(line: &str) -> bool {
    let t = line.trim().trim_matches(['-', '–', ' ']);
    let t = t
        .strip_prefix("Side ")
        .or_else(|| t.strip_prefix("side "))
        .unwrap_or(t);
    let t = t.replace(" af ", "/");
    !t.is_empty()
        && t.len() <= 9
        && t.split('/')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes page numbers and lines repeated at the top or bottom of many pages (running
/// headers and footers). Pages are separated by form feeds, as extraction writes them.
pub fn remove_lines(text: &str, f: &mut Furniture) -> String {
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let counts = edge_counts(&pages);
    // A header repeats on most pages; three is the least that tells it from a sentence
    // a plan happens to say twice.
    let threshold = (pages.len() / 2).max(3);
    let mut out = String::with_capacity(text.len());
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for l in page.lines() {
            let t = l.trim();
            if is_page_number(t) {
                f.page_numbers += 1;
                continue;
            }
            if is_running_candidate(t)
                && counts.get(&running_key(t)).is_some_and(|&n| n >= threshold)
            {
                f.running_lines += 1;
                // One text per footer: not "side 1", "side 2", … each.
                if !f
                    .running_texts
                    .iter()
                    .any(|r| running_key(r) == running_key(t))
                {
                    f.running_texts.push(t.to_string());
                }
                continue;
            }
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// On how many pages each running key is among the first or last two lines.
fn edge_counts(pages: &[&str]) -> HashMap<String, usize> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let n = lines.len();
        let mut keys: Vec<String> = lines
            .iter()
            .take(2)
            .chain(lines.iter().skip(n.saturating_sub(2)))
            .filter(|t| is_running_candidate(t))
            .map(|t| running_key(t))
            .collect();
        keys.sort_unstable();
        keys.dedup(); // once per page, however often the page has it
        for k in keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts
}

/// A running line with the page number it starts or ends with blanked: a footer that
/// carries it ("Handleplan 2026 · side 3 af 12") is the same footer on every page. Only
/// a number at either end goes; "3. Indbrud" keeps its numbering's dot and so its key.
fn running_key(t: &str) -> String {
    let words: Vec<&str> = t.split_whitespace().collect();
    let n = words.len();
    // Up to four words: "side 3 af 12".
    let end = (1..=n.min(4))
        .rev()
        .find(|&k| k < n && is_page_number(&words[n - k..].join(" ")));
    let start = (1..=n.min(4))
        .rev()
        .find(|&k| k < n && is_page_number(&words[..k].join(" ")));
    match (start, end) {
        (_, Some(k)) => format!("{} #", words[..n - k].join(" ")),
        (Some(k), None) => format!("# {}", words[k..].join(" ")),
        (None, None) => t.to_string(),
    }
}

fn is_running_candidate(t: &str) -> bool {
    !t.is_empty()
        && t.chars().count() <= 80
        && !t.starts_with('#')
        && list_marker(t).is_none()
        && !t.contains("Borgmester")
        && !t.contains("direktør")
}

/// Drops a run of blocks that repeats the run just before it, when the run holds a
/// heading: converters sometimes emit the end of a page twice, and a plan never repeats
/// a heading on purpose. A block of one copy may carry text spilled from elsewhere
/// after the repeated text; the shorter version of each pair is kept.
pub fn remove_repeats(
    blocks: Vec<Block>,
    is_heading: impl Fn(&Block) -> bool,
    f: &mut Furniture,
) -> Vec<Block> {
    let same = |a: &Block, b: &Block| {
        let (x, y) = (a.joined(), b.joined());
        x == y || (x.len().min(y.len()) >= 40 && (x.starts_with(&y) || y.starts_with(&x)))
    };
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut i = 0;
    while i < blocks.len() {
        let mut skipped = false;
        for k in (2..=8).rev() {
            if i + k > blocks.len() || out.len() < k {
                continue;
            }
            let prev = &out[out.len() - k..];
            let next = &blocks[i..i + k];
            if prev.iter().zip(next).all(|(a, b)| same(a, b)) && next.iter().any(&is_heading) {
                let start = out.len() - k;
                for (o, b) in out[start..].iter_mut().zip(next) {
                    if b.joined().len() < o.joined().len() {
                        *o = b.clone();
                    }
                }
                f.repeated_blocks += k;
                i += k;
                skipped = true;
                break;
            }
        }
        if !skipped {
            out.push(blocks[i].clone());
            i += 1;
        }
    }
    out
}

/// Drops the back cover: a trailing run of short lines holding contact details.
pub fn remove_back_cover(mut blocks: Vec<Block>, f: &mut Furniture) -> Vec<Block> {
    let mut cut = blocks.len();
    let mut contact = false;
    while cut > 0 {
        let b = &blocks[cut - 1];
        if !b.lines.iter().all(|l| l.trim().chars().count() <= 40) || b.lines[0].starts_with('#') {
            break;
        }
        contact |= b.lines.iter().any(|l| is_contact(l));
        cut -= 1;
    }
    if contact && cut < blocks.len() {
        f.back_cover_lines += blocks[cut..].iter().map(|b| b.lines.len()).sum::<usize>();
        blocks.truncate(cut);
    }
    blocks
}

fn is_contact(l: &str) -> bool {
    let t = l.trim().to_lowercase();
    [
        "telefon",
        "tlf",
        "mail:",
        "e-mail",
        "www.",
        "twitter.com",
        "facebook.com",
        "@",
    ]
    .iter()
    .any(|m| t.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for p in ["7", "- 7 -", "Side 7", "Side 7 af 20", "7/20"] {
            assert!(is_page_number(p), "{p}");
        }
        for p in ["2025", "7 borgmestre", "", "1."] {
            assert!(!is_page_number(p), "{p}");
        }
    }

    #[test]
    fn running_headers() {
        let page = |n: usize| {
            let title = ["Indbrud", "Trafik", "Tryghed", "Vold"][n - 1];
            format!("Samarbejdsplan 2025\n{n}. {title}\nTekst om noget.\nMere tekst {n}.\n{n}\n")
        };
        let text = (1..=4).map(page).collect::<Vec<_>>().join("\u{c}");
        let mut f = Furniture::default();
        let out = remove_lines(&text, &mut f);
        assert_eq!(out.matches("Tekst om noget.").count(), 4);
        assert!(!out.contains("Samarbejdsplan 2025"));
        assert_eq!((f.page_numbers, f.running_lines), (4, 4));
    }

    #[test]
    fn running_footers_with_page_numbers() {
        let page = |n: usize| {
            format!("{n}. Afsnit\nTekst om emne {n}.\nMere tekst.\nSidste linje {n}.\nPlan 2025 · side {n} af 12\n")
        };
        let text = (1..=12).map(page).collect::<Vec<_>>().join("\u{c}");
        let mut f = Furniture::default();
        let out = remove_lines(&text, &mut f);
        assert!(!out.contains("side"), "{out}");
        assert!(out.contains("7. Afsnit"), "{out}");
        assert_eq!(out.matches("Mere tekst.").count(), 12);
        assert_eq!(f.running_lines, 12, "{out}");
        assert_eq!(f.running_texts, ["Plan 2025 · side 1 af 12"]);
    }
}
