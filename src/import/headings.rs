//! Which blocks are headings, and at what level.
//!
//! Converters mark headings unreliably (`#` depth follows font size, some headings are
//! plain lines), so the level comes from the document's own numbering: `3.` is a
//! chapter (`##`), `3.1.` a section (`###`), `3.1.2.` one deeper. The printed contents
//! list confirms numbered chapters; an unnumbered heading sits one level below the last
//! numbered one, and inside the indsatsområder chapter the sub-headings of a bound
//! section one level deeper still.

use super::clean::{list_marker, Block};
use super::contents::{split_number, Contents};
use crate::model::text::normalize_title;

/// A recognised heading.
#[derive(Debug, Clone, Default)]
pub struct Heading {
    pub level: u8,
    /// As printed, numbering included, markup removed.
    pub text: String,
    /// Without the numbering.
    pub title: String,
    pub number: Vec<u32>,
    /// Registry ids this heading binds.
    pub ids: Vec<String>,
    /// `{indsatser}`: the chapter holding the plan's indsatsområder.
    pub chapter: bool,
    /// `{indsats=-}`: a container that is deliberately no indsatsområde, or a heading
    /// in a forum or appendix chapter whose title would otherwise bind.
    pub opt_out: bool,
    /// The ids this heading's title would bind automatically, declined (`opt_out`)
    /// because it sits in a chapter the plan sets aside as fora or an appendix.
    pub declined: Vec<String>,
    pub line: usize,
}

/// A body item: a heading or a block of text.
#[derive(Debug, Clone)]
pub enum Item {
    Heading(Heading),
    Text(Block),
}

/// What the detector needs to know besides the blocks.
pub struct Context<'a> {
    pub contents: Option<&'a Contents>,
    /// The registry ids a heading title binds (empty: none).
    pub bind: &'a dyn Fn(&str) -> Vec<String>,
    /// Official names of the issuer's district's kommuner ("Morsø Kommune").
    pub kommune_names: &'a [String],
}

/// Splits blocks into headings and text and gives every heading its level.
pub fn detect(blocks: &[Block], cx: &Context) -> Vec<Item> {
    let markdown_doc = blocks.iter().any(|b| b.lines[0].starts_with('#'));
    let mut items = Vec::with_capacity(blocks.len());
    let mut protected = false;
    for (i, b) in blocks.iter().enumerate() {
        let next = blocks.get(i + 1);
        if super::front::is_approval_line(&b.joined()) {
            protected = true; // signatures follow: names and roles are not headings
        }
        match candidate(b, next, markdown_doc, protected, cx) {
            Some((mut h, n)) => {
                protected = false;
                h.line = b.line;
                items.push(Item::Heading(h));
                if b.lines.len() > n {
                    items.push(Item::Text(Block {
                        lines: b.lines[n..].to_vec(),
                        line: b.line + n,
                    }));
                }
            }
            None => {
                if b.lines
                    .iter()
                    .map(|l| l.split_whitespace().count())
                    .sum::<usize>()
                    >= 8
                {
                    protected = false;
                }
                items.push(Item::Text(b.clone()));
            }
        }
    }
    assign_levels(&mut items, cx);
    mark_chapters(&mut items, cx);
    opt_out_asides(&mut items);
    items
}

/// Whether a block on its own reads as a heading (for finding repeated passages).
pub fn is_heading(b: &Block, markdown_doc: bool, cx: &Context) -> bool {
    let more = Block {
        lines: vec![String::new()],
        line: 0,
    };
    candidate(b, Some(&more), markdown_doc, false, cx).is_some()
}

/// The heading text of a line: `#`s, emphasis and a trailing attribute-free colon kept.
fn heading_text(line: &str) -> String {
    let t = line.trim().trim_start_matches('#').trim();
    let t = t.replace("**", "").replace("__", "");
    let t = t.trim_matches('*').trim();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How many of a block's first lines make its heading: one, or more where a PDF
/// wrapped a long heading and the contents list confirms it: the joined lines match an
/// entry more closely than the first line alone. Without a contents list, one.
fn heading_lines(b: &Block, cx: &Context) -> usize {
    let Some(c) = cx.contents else { return 1 };
    let score = |k: usize| -> f64 {
        let (number, title) = split_number(&heading_text(&b.lines[..k].join(" ")));
        c.find(&number, &title).map_or(0.0, |e| {
            strsim::normalized_levenshtein(&normalize_title(&e.title), &normalize_title(&title))
        })
    };
    let continues = |l: &String| !l.trim_start().starts_with('#') && list_marker(l).is_none();
    let most = 1 + b.lines[1..]
        .iter()
        .take(2)
        .take_while(|l| continues(l))
        .count();
    // Ties go to fewer lines: a heading's own text is never longer than it must be.
    (1..=most).fold(1, |best, k| if score(k) > score(best) { k } else { best })
}

/// The heading a block starts with, if it does, and how many lines it takes.
fn candidate(
    b: &Block,
    next: Option<&Block>,
    markdown_doc: bool,
    protected: bool,
    cx: &Context,
) -> Option<(Heading, usize)> {
    let first = b.lines[0].trim();
    let n = heading_lines(b, cx);
    let text = heading_text(&b.lines[..n].join(" "));
    if text.is_empty() {
        return None;
    }
    let (number, title) = split_number(&text);
    let heading = || Heading {
        text: text.clone(),
        title: title.clone(),
        number: number.clone(),
        ..Default::default()
    };
    if first.starts_with('#') {
        return Some((heading(), n));
    }
    if b.lines.len() > n || list_marker(first).is_some() && number.is_empty() {
        return None;
    }
    let words = text.split_whitespace().count();
    let in_contents = cx
        .contents
        .is_some_and(|c| c.find(&number, &title).is_some());
    let deep_number = number.len() >= 2 && words <= 14;
    let kommune = cx.kommune_names.iter().any(|k| k == &text) && next.is_some_and(Block::is_list);
    let plain = !markdown_doc && !protected && number.is_empty() && looks_like_heading(&text, next);
    (in_contents || deep_number || kommune || plain).then(|| (heading(), n))
}

/// A plain line that reads as a heading: short, capitalised, no closing punctuation,
/// not a link, and followed by more text.
fn looks_like_heading(text: &str, next: Option<&Block>) -> bool {
    let words = text.split_whitespace().count();
    let first = text.chars().next().unwrap_or(' ');
    let last = text.chars().last().unwrap_or('.');
    words <= 14
        && text.chars().count() <= 110
        && (first.is_uppercase() || first.is_ascii_digit() || "\"“”„'§".contains(first))
        && !".,;:!?".contains(last)
        && !text.contains("www.")
        && !text.contains("://")
        && next.is_some()
}

/// Levels from numbering, contents and context (see the module comment).
fn assign_levels(items: &mut [Item], cx: &Context) {
    let contents_level = |h: &Heading| -> Option<u8> {
        let e = cx.contents?.find(&h.number, &h.title)?;
        Some(if e.number.is_empty() {
            2
        } else {
            1 + e.number.len() as u8
        })
    };
    let has_contents = cx.contents.is_some();
    let mut anchor: u8 = 1; // level of the last numbered (or contents) heading
    let mut last_contents: u8 = 1;
    let mut in_chapter = false;
    let mut bound_open = false;
    let mut colon_run = false;
    for item in items.iter_mut() {
        let Item::Heading(h) = item else {
            continue;
        };
        let ids = (cx.bind)(&h.title);
        let level = if let Some(l) = contents_level(h) {
            last_contents = l;
            anchor = l;
            bound_open = false;
            l
        } else if !h.number.is_empty() {
            // A single number the contents list does not know restarts a sub-list
            // ("1. Indsats for …" under chapter 3).
            let l = if has_contents && h.number.len() == 1 {
                last_contents + 1
            } else {
                1 + h.number.len() as u8
            };
            anchor = l;
            bound_open = false;
            l
        } else if in_chapter
            && bound_open
            && ids.is_empty()
            && !(colon_run && h.text.ends_with(':'))
        {
            anchor + 2
        } else {
            // A run of "Topic:" headings is a list of topics: one that binds nothing
            // is still a sibling of the bound ones before it.
            bound_open = !ids.is_empty();
            colon_run = h.text.ends_with(':');
            anchor + 1
        };
        let level = level.clamp(2, 6);
        if level == 2 {
            in_chapter = is_chapter_title(&h.title);
        }
        h.level = level;
        h.ids = ids;
    }
    part_titles(items);
}

/// "DEL 1:" right before a chapter, with nothing under it, is a part title: a chapter.
fn part_titles(items: &mut [Item]) {
    for i in 0..items.len().saturating_sub(1) {
        let next_level = match &items[i + 1] {
            Item::Heading(n) if n.level == 2 => 2,
            _ => continue,
        };
        if let Item::Heading(h) = &mut items[i] {
            if h.number.is_empty() {
                h.level = next_level;
            }
        }
    }
}

fn is_chapter_title(title: &str) -> bool {
    let t = normalize_title(title);
    t.contains("indsatsområde") || t.split(' ').any(|w| w == "indsatser")
}

/// A chapter the plan itself sets aside from its indsatsområder: an appendix ("Bilag",
/// "6. BILAG - …") or a chapter of fora ("Lokale kriminalitetsforebyggende
/// samarbejdsfora"). Its sections describe fora and standing work, and a section
/// named like a registered indsatsområde (an Exit-enhed, an Infohus) is not the plan's
/// text of it.
pub fn is_aside_title(title: &str) -> bool {
    normalize_title(title)
        .split(' ')
        .any(|w| w == "bilag" || w == "appendiks" || w.ends_with("fora") || w.ends_with("forum"))
}

/// Marks `{indsatser}` chapters (by title, or when every section under it binds) and
/// `{indsats=-}` on a heading that only groups per-kommune lists.
fn mark_chapters(items: &mut [Item], cx: &Context) {
    let heads: Vec<usize> = (0..items.len())
        .filter(|&i| matches!(items[i], Item::Heading(_)))
        .collect();
    let levels: Vec<u8> = items
        .iter()
        .map(|it| match it {
            Item::Heading(h) => h.level,
            Item::Text(_) => 0,
        })
        .collect();
    let level = |i: usize| levels[i];
    for (pos, &i) in heads.iter().enumerate() {
        let l = level(i);
        let subtree: Vec<usize> = heads[pos + 1..]
            .iter()
            .copied()
            .take_while(|&j| level(j) > l)
            .collect();
        let children: Vec<(bool, bool)> = subtree
            .iter()
            .filter(|&&j| level(j) == l + 1)
            .filter_map(|&j| match &items[j] {
                Item::Heading(h) => Some((!h.ids.is_empty(), cx.kommune_names.contains(&h.text))),
                Item::Text(_) => None,
            })
            .collect();
        let all_bind = children.len() >= 2 && children.iter().all(|c| c.0);
        let kommune_lists = !children.is_empty() && children.iter().all(|c| c.1);
        if let Item::Heading(h) = &mut items[i] {
            let aside = is_aside_title(&h.title);
            if l == 2 && (is_chapter_title(&h.title) || all_bind && !aside) {
                h.chapter = true;
            }
            if l > 2 && h.ids.is_empty() && kommune_lists {
                h.opt_out = true;
            }
        }
    }
}

/// Headings outside the plan's indsatsområder chapters bind nothing: one whose title
/// would bind automatically gets `{indsats=-}`, and the ids it would have bound are kept
/// in `declined` for the report. A chapter set aside as fora or an appendix (see
/// [`is_aside_title`]) is outside; so, in a plan that has indsatsområder chapters, is
/// every other chapter: the plan names where its indsatsområder are, and a section of
/// the same name elsewhere (Østjylland's standing work in Del 1, "4.4. Konfliktråd",
/// beside its focus areas in Del 2) is not the plan's text of one.
fn opt_out_asides(items: &mut [Item]) {
    // Only a chapter that holds bound headings says where the indsatsområder are: an
    // overview chapter ("2. Oversigt over indsatsområderne") with none does not.
    let mut has_chapters = false;
    let mut in_chapter = false;
    for item in items.iter() {
        let Item::Heading(h) = item else { continue };
        if h.level == 2 {
            in_chapter = h.chapter;
        } else if in_chapter && !h.ids.is_empty() {
            has_chapters = true;
        }
    }
    let mut aside = false;
    for item in items.iter_mut() {
        let Item::Heading(h) = item else {
            continue;
        };
        if h.level == 2 {
            let other = has_chapters && !h.chapter && h.ids.is_empty();
            aside = other || !h.chapter && h.ids.is_empty() && is_aside_title(&h.title);
        } else if aside && !h.ids.is_empty() {
            h.declined = std::mem::take(&mut h.ids);
            h.opt_out = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aside_chapters_are_appendices_and_fora() {
        assert!(is_aside_title(
            "6. BILAG - DET TRYGHEDSSKABENDE OG SYNLIGE LOKALPOLITITARBEJDE"
        ));
        assert!(is_aside_title(
            "Bilag 1: De forebyggende samarbejdsfora i Nordjylland"
        ));
        assert!(is_aside_title(
            "2. LOKALE KRIMINALITETSFØREBYGGENDE SAMARBEJDSFORA"
        ));
        assert!(!is_aside_title(
            "4. DET TRYGHEDSSKABENDE OG SYNLIGE LOKALPOLITITARBEJDE"
        ));
        assert!(!is_aside_title("5. SÆRLIGE INDSATSER"));
    }

    fn h(level: u8, title: &str, ids: &[&str]) -> Item {
        Item::Heading(Heading {
            level,
            text: title.into(),
            title: title.into(),
            ids: ids.iter().map(|i| i.to_string()).collect(),
            ..Default::default()
        })
    }

    #[test]
    fn headings_in_aside_chapters_opt_out() {
        let mut items = vec![
            h(2, "Lokale samarbejdsfora", &[]),
            h(3, "Exit-enhed", &["bandeexit"]),
            h(2, "Tryghedsskabende arbejde", &[]),
            h(3, "Konfliktråd", &["konfliktraad"]),
        ];
        opt_out_asides(&mut items);
        let Item::Heading(exit) = &items[1] else {
            unreachable!()
        };
        assert!(exit.opt_out && exit.ids.is_empty() && exit.declined == ["bandeexit"]);
        let Item::Heading(kr) = &items[3] else {
            unreachable!()
        };
        assert!(!kr.opt_out && kr.ids == ["konfliktraad"]);
    }

    /// Beside an indsatsområder chapter that holds bound headings, a section of another
    /// chapter named like an indsatsområde is not the plan's text of it (Østjylland's
    /// Del 1); an overview chapter with none says nothing about the others.
    #[test]
    fn headings_outside_the_indsatser_chapters_opt_out() {
        let chapter = |t: &str| {
            let Item::Heading(mut c) = h(2, t, &[]) else {
                unreachable!()
            };
            c.chapter = true;
            Item::Heading(c)
        };
        let bound = |items: &[Item], i: usize| match &items[i] {
            Item::Heading(h) => !h.ids.is_empty(),
            Item::Text(_) => unreachable!(),
        };
        let mut items = vec![
            h(2, "4. Det tryghedsskabende arbejde", &[]),
            h(3, "4.4. Konfliktråd", &["konfliktraad"]),
            chapter("5. Særlige indsatser"),
            h(3, "5.2. Indbrud", &["indbrud"]),
        ];
        opt_out_asides(&mut items);
        assert!(!bound(&items, 1) && bound(&items, 3));
        let mut items = vec![
            chapter("2. Oversigt over indsatsområderne"),
            h(2, "3. Fokusområder", &[]),
            h(3, "3.1. Indbrud", &["indbrud"]),
        ];
        opt_out_asides(&mut items);
        assert!(bound(&items, 2), "an overview chapter set the others aside");
    }

    fn block(lines: &[&str]) -> Block {
        Block {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            line: 1,
        }
    }

    fn titles(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Heading(h) => Some(h.text.clone()),
                Item::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn headings_a_pdf_wrapped_are_joined_where_the_contents_list_says_so() {
        let contents = Contents {
            entries: vec![super::super::contents::Entry {
                number: vec![5, 1],
                title: "Tryghed, herunder efterforskning af sager om personfarlig kriminalitet"
                    .into(),
            }],
            blocks: 0..0,
        };
        let bind = |_: &str| Vec::new();
        let cx = Context {
            contents: Some(&contents),
            bind: &bind,
            kommune_names: &[],
        };
        let text = block(&["Politiet og kommunerne arbejder sammen om tryghed i byerne."]);
        for first in ["# 5.1. Tryghed, herunder", "5.1. Tryghed, herunder"] {
            let wrapped = block(&[
                first,
                "efterforskning af sager om personfarlig kriminalitet",
            ]);
            let items = detect(&[wrapped, text.clone()], &cx);
            assert_eq!(
                titles(&items),
                ["5.1. Tryghed, herunder efterforskning af sager om personfarlig kriminalitet"]
            );
            assert_eq!(items.len(), 2);
        }
        // A heading with its first paragraph right under it keeps the paragraph apart.
        let items = detect(
            &[block(&[
                "# 5.1. Tryghed, herunder efterforskning af sager om personfarlig kriminalitet",
                "politiet arbejder med det.",
            ])],
            &cx,
        );
        assert_eq!(items.len(), 2);
    }
}
