//! Binding by continuity: a section of this year's indsatsområder chapter that carries,
//! mostly word for word, the text an indsatsområde had in the issuer's previous plan is
//! still that indsatsområde's text, whatever its heading is called now ("Trygge byrum:"
//! holding last year's "Unge … i det offentlige rum"). A careful editor sees this by
//! reading last year's plan; the importer reads it from the site's content tree.
//!
//! The measure is deliberately about whole paragraphs of the previous text, not about
//! shared words: a section that merely mentions a topic ("… også forebyggelse af børn og
//! unges adfærd på sociale medier") shares its vocabulary but none of its paragraphs.

use std::collections::BTreeSet;
use std::path::Path;

use super::headings::Item;
use super::issuer::Issuer;
use crate::model::evolution::{bound_sections, indsats_text};

/// A previous paragraph reappears when it and a paragraph of the section match at
/// least this well (2·matched words / both lengths): word for word but for a changed
/// year, a renamed role or a few added words.
pub const PARAGRAPH_MATCH: f32 = 0.8;

/// Share of the previous text's words that must be in reappearing paragraphs: most of
/// last year's text, so a section quoting one paragraph of it does not take it over.
pub const SHARE: f64 = 0.5;

/// Fewer reappearing words than this is boilerplate (a closing line many sections
/// share), not a text carried over.
pub const MIN_WORDS: usize = 30;

/// The issuer's most recent earlier plan: its key ("2025") and, for each indsatsområde
/// bound there, its text as paragraphs of normalised words.
pub struct Previous {
    pub key: String,
    pub texts: Vec<(String, Vec<Vec<String>>)>,
}

/// One binding added by continuity, with its evidence.
#[derive(Debug, Clone)]
pub struct Link {
    /// Index of the heading in the items.
    pub item: usize,
    pub id: String,
    /// Words of the previous text in paragraphs that reappear in the section.
    pub covered: usize,
    /// Words of the previous text.
    pub words: usize,
}

/// The issuer's latest plan ending before `years` begin, read through the site model
/// (the same bindings and texts the site's comparisons use); `None` when there is none
/// or the site does not load.
pub fn previous(root: &Path, issuer: &Issuer, years: &[i64]) -> Option<Previous> {
    let first = *years.first()?;
    let (site, _) = crate::site::load_site(root, None);
    let site = site?;
    let plans = match &issuer.kommune {
        Some(m) => {
            let k = site.kommuner.iter().find(|k| {
                &k.slug == m
                    && site
                        .kredse
                        .get(k.kreds)
                        .is_some_and(|d| d.slug == issuer.kreds)
            })?;
            &k.plans
        }
        None => &site.kredse.iter().find(|k| k.slug == issuer.kreds)?.plans,
    };
    let p = plans
        .iter()
        .copied()
        .filter(|&p| site.plans[p].last_year() < first)
        .max_by_key(|&p| site.plans[p].last_year())?;
    let texts = site.plans[p]
        .bound_ids()
        .into_iter()
        .map(|i| {
            let text = indsats_text(&site, p, &bound_sections(&site, p, i));
            (site.indsatser[i].id.clone(), paragraphs(&text))
        })
        .collect();
    Some(Previous {
        key: site.plans[p].key.clone(),
        texts,
    })
}

/// Adds to headings of the indsatsområder chapters the previous plan's indsatsområder
/// whose text they carry on, each after the heading's own ids; an id the draft already
/// binds anywhere is left alone. Returns what was added, in the draft's order.
pub fn bind(items: &mut [Item], prev: &Previous) -> Vec<Link> {
    let sections: Vec<(usize, Vec<Vec<String>>)> = candidates(items)
        .into_iter()
        .map(|k| (k, section_paragraphs(items, k)))
        .collect();
    let bound: BTreeSet<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Heading(h) => Some(h.ids.iter().map(String::as_str)),
            Item::Text(_) => None,
        })
        .flatten()
        .collect();
    let mut links: Vec<Link> = prev
        .texts
        .iter()
        .filter(|(id, _)| !bound.contains(id.as_str()))
        .filter_map(|(id, old)| best_section(id, old, &sections))
        .collect();
    // In the draft's order, so the report reads top to bottom.
    links.sort_by_key(|l| l.item);
    for l in &links {
        if let Item::Heading(h) = &mut items[l.item] {
            h.ids.push(l.id.clone());
        }
    }
    links
}

/// The section carrying most of `old`, if it carries enough; of equal ones the
/// shortest, the most specific.
fn best_section(
    id: &str,
    old: &[Vec<String>],
    sections: &[(usize, Vec<Vec<String>>)],
) -> Option<Link> {
    let words: usize = old.iter().map(Vec::len).sum();
    let (item, covered) = sections
        .iter()
        .map(|(k, paras)| {
            (
                *k,
                covered_words(old, paras),
                paras.iter().map(Vec::len).sum::<usize>(),
            )
        })
        .max_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)))
        .map(|(k, c, _)| (k, c))?;
    let enough = covered >= MIN_WORDS && covered as f64 >= SHARE * words as f64;
    enough.then(|| Link {
        item,
        id: id.to_string(),
        covered,
        words,
    })
}

/// Words of the previous paragraphs that some paragraph of the section repeats.
fn covered_words(old: &[Vec<String>], section: &[Vec<String>]) -> usize {
    old.iter()
        .filter(|p| section.iter().any(|s| reappears(p, s)))
        .map(Vec::len)
        .sum()
}

/// Whether two paragraphs match word for word at [`PARAGRAPH_MATCH`]. Paragraphs whose
/// lengths alone rule it out are not diffed, which keeps the pairwise comparison cheap.
fn reappears(a: &[String], b: &[String]) -> bool {
    let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
    if short == 0 || 2.0 * short as f32 / ((short + long) as f32) < PARAGRAPH_MATCH {
        return false;
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    similar::diff_ratio(&ops, a.len(), b.len()) >= PARAGRAPH_MATCH
}

/// Headings that may carry an indsatsområde's text: inside an indsatsområder chapter,
/// not the chapter itself, not opted out, and not part of a bound section's text.
fn candidates(items: &[Item]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chapter: Option<u8> = None;
    let mut bound_at: Option<u8> = None;
    for (k, item) in items.iter().enumerate() {
        let Item::Heading(h) = item else {
            continue;
        };
        if chapter.is_some_and(|c| h.level <= c) {
            chapter = None;
        }
        if bound_at.is_some_and(|b| h.level <= b) {
            bound_at = None;
        }
        if h.chapter {
            chapter = Some(h.level);
            continue;
        }
        if chapter.is_some() && bound_at.is_none() && !h.opt_out {
            out.push(k);
        }
        if !h.ids.is_empty() {
            bound_at = bound_at.or(Some(h.level));
        }
    }
    out
}

/// The text of the heading at `k`: its own paragraphs and those of its sub-sections
/// that bind nothing (a bound or opted-out sub-section is another text).
fn section_paragraphs(items: &[Item], k: usize) -> Vec<Vec<String>> {
    let Item::Heading(top) = &items[k] else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut skip_below: Option<u8> = None;
    for item in &items[k + 1..] {
        match item {
            Item::Heading(h) if h.level <= top.level => break,
            Item::Heading(h) => {
                if skip_below.is_some_and(|s| h.level <= s) {
                    skip_below = None;
                }
                if skip_below.is_none() && (!h.ids.is_empty() || h.opt_out) {
                    skip_below = Some(h.level);
                }
            }
            Item::Text(b) if skip_below.is_none() => out.push(words(&b.joined())),
            Item::Text(_) => {}
        }
    }
    out
}

/// Markdown split into paragraphs of words; headings left out, since a renamed heading
/// says nothing about whether the text reappears.
fn paragraphs(md: &str) -> Vec<Vec<String>> {
    md.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.starts_with('#'))
        .map(words)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Lower-case words, punctuation and quotation marks of any style dropped.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::Block;
    use crate::import::headings::Heading;

    const UNGE: [&str; 3] = [
        "Der vil fortsat i 2025 være fokus på unge i det offentlige rum samt deres adfærd i lokalområderne i hele kommunen. Der er løbende udfordringer med unge, der forsamles og opleves utryghedsskabende af andre borgere.",
        "Der samarbejdes mellem lokalbetjente, SSP-ungdomskonsulenter, børne- og familieafdeling, skoler og uddannelser samt interne og eksterne samarbejdspartnere, som involveres i udfordringerne.",
        "Med den forebyggelsestekniske tilgang mindskes risikoen for kontraproduktiv effekt ved enten at overdosere eller underdosere, når der vælges indsatser til de forskellige målgrupper.",
    ];

    fn heading(level: u8, title: &str, ids: &[&str]) -> Item {
        Item::Heading(Heading {
            level,
            text: title.into(),
            title: title.into(),
            ids: ids.iter().map(|i| i.to_string()).collect(),
            chapter: level == 2,
            ..Default::default()
        })
    }

    fn text(t: &str) -> Item {
        Item::Text(Block {
            lines: vec![t.to_string()],
            line: 0,
        })
    }

    fn previous() -> Previous {
        Previous {
            key: "2025".into(),
            texts: vec![(
                "unge-i-det-offentlige-rum".into(),
                paragraphs(&UNGE.join("\n\n")),
            )],
        }
    }

    fn ids(items: &[Item], k: usize) -> Vec<String> {
        match &items[k] {
            Item::Heading(h) => h.ids.clone(),
            Item::Text(_) => unreachable!(),
        }
    }

    #[test]
    fn a_section_carrying_last_years_text_binds_its_indsatsomraade() {
        let mut items = vec![
            heading(2, "3. Indsatsområder", &[]),
            heading(3, "Trygge byrum:", &["trygge-byrum"]),
            text("Udvikling af offentlige områder med fokus på arkitektur."),
            text(&UNGE[0].replace("2025", "2026")),
            text(&UNGE[1].replace("lokalbetjente", "forebyggelsesbetjente")),
            text(UNGE[2]),
            heading(3, "Grøn omstilling:", &["groen-omstilling"]),
        ];
        let links = bind(&mut items, &previous());
        assert_eq!(links.len(), 1);
        let l = &links[0];
        assert_eq!((l.item, l.id.as_str()), (1, "unge-i-det-offentlige-rum"));
        assert_eq!(l.covered, l.words);
        assert_eq!(
            ids(&items, 1),
            ["trygge-byrum", "unge-i-det-offentlige-rum"]
        );
        assert_eq!(ids(&items, 6), ["groen-omstilling"]);
    }

    #[test]
    fn a_section_merely_mentioning_the_topic_does_not_bind_it() {
        let mut items = vec![
            heading(2, "3. Indsatsområder", &[]),
            heading(3, "Trygge byrum:", &["trygge-byrum"]),
            text("Som en del af dette punkt indarbejdes også fokus på unge i det offentlige rum samt deres adfærd i lokalområderne i hele kommunen og samarbejdet med SSP-ungdomskonsulenter, skoler og uddannelser."),
            text("Med en forebyggende tilgang vælges indsatser til de forskellige målgrupper."),
        ];
        assert!(bind(&mut items, &previous()).is_empty());
        assert_eq!(ids(&items, 1), ["trygge-byrum"]);
    }

    #[test]
    fn one_paragraph_of_last_years_text_is_not_enough() {
        let mut items = vec![
            heading(2, "3. Indsatsområder", &[]),
            heading(3, "Trygge byrum:", &["trygge-byrum"]),
            text(UNGE[2]),
        ];
        assert!(bind(&mut items, &previous()).is_empty());
    }

    #[test]
    fn an_id_bound_elsewhere_or_text_outside_the_chapter_binds_nothing_more() {
        let carried: Vec<Item> = UNGE.iter().map(|p| text(p)).collect();
        let mut elsewhere = vec![
            heading(2, "3. Indsatsområder", &[]),
            heading(
                3,
                "Unge i det offentlige rum",
                &["unge-i-det-offentlige-rum"],
            ),
            heading(3, "Trygge byrum:", &["trygge-byrum"]),
        ];
        elsewhere.extend(carried.iter().cloned());
        assert!(bind(&mut elsewhere, &previous()).is_empty());
        let mut outside = vec![heading(2, "2. Samarbejdsfora", &[])];
        if let Item::Heading(h) = &mut outside[0] {
            h.chapter = false;
        }
        outside.push(heading(3, "SSP", &[]));
        outside.extend(carried);
        assert!(bind(&mut outside, &previous()).is_empty());
    }

    #[test]
    fn a_bound_sub_section_is_not_part_of_its_parents_text() {
        let mut items = vec![
            heading(2, "3. Indsatsområder", &[]),
            heading(3, "Lokale indsatsområder", &[]),
            heading(4, "Trygge byrum:", &["trygge-byrum"]),
        ];
        items.extend(UNGE.iter().map(|p| text(p)));
        let links = bind(&mut items, &previous());
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].item, 2,
            "the sub-section carries it, not its parent"
        );
    }
}
