//! The import report: what was recognised, which headings in an indsatsområder chapter
//! bind nothing (with the closest registry ids and the line to paste), which forum or
//! appendix headings were opted out of their automatic binding, which sections may be
//! umbrellas (proposed, never bound), which bindings were added by continuity with the
//! issuer's previous plan (to confirm), and what was dropped. Printed for a terminal, or
//! as JSON with `--report json`.

use std::fmt::Write as _;

use super::bind::{Registry, Suggestion};
use super::draft::heading_line;
use super::front::Front;
use super::headings::{Heading, Item};

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub input: String,
    pub issuer: String,
    pub output: String,
    pub recognised: Front,
    pub headings: usize,
    pub bound: Vec<Bound>,
    pub unbound: Vec<Unbound>,
    /// Headings outside the indsatsområder chapters (a forum or appendix chapter, or any
    /// other chapter of a plan that has such chapters) whose title would bind
    /// automatically, drafted with `{indsats=-}`; `ids` are what the title would have bound.
    pub opted_out: Vec<Bound>,
    /// Headings bound by their title outside the indsatsområder chapters, in a chapter
    /// the plan does not set aside: kept, to be checked.
    pub outside: Vec<Bound>,
    /// Sections that may frame their sub-sections (an umbrella): proposed, not bound.
    pub umbrellas: Vec<Umbrella>,
    /// Ids added to a heading because the section carries their text from the issuer's
    /// previous plan (see [`super::continuity`]): bound in the draft, to confirm.
    pub continuity: Vec<Continuity>,
    pub dropped: Dropped,
    pub notes: Vec<String>,
    /// `--force` replaced a plan that was published: as a draft, the next build takes
    /// it off the site.
    pub unpublishes: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Bound {
    pub line: usize,
    pub heading: String,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Unbound {
    /// Line in the draft.
    pub line: usize,
    pub heading: String,
    pub suggestions: Vec<Suggestion>,
    /// The heading line bound to the closest id, to paste over the draft's line.
    pub paste: String,
    /// Or: the heading line marked as deliberately no indsatsområde.
    pub paste_none: String,
}

/// A section grouping bound sections whose own text opens by naming a registered
/// indsatsområde in quotes: the plan may frame the whole section with it. Binding it is
/// an editorial decision, so the draft leaves the heading as it is.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Umbrella {
    pub line: usize,
    pub heading: String,
    pub id: String,
    /// The name as the text quotes it.
    pub named: String,
    /// The heading line bound to it, to paste if the plan frames the section with it.
    pub paste: String,
}

/// A binding by continuity and its evidence: `covered` of the `words` words of `id`'s
/// text in the `previous` plan reappear in this section.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Continuity {
    pub line: usize,
    pub heading: String,
    pub id: String,
    /// The previous plan's key ("2025").
    pub previous: String,
    pub covered: usize,
    pub words: usize,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Dropped {
    pub contents_entries: usize,
    pub cover_lines: usize,
    pub page_numbers: usize,
    pub running_header_lines: usize,
    pub running_header_texts: Vec<String>,
    pub back_cover_lines: usize,
    pub repeated_blocks: usize,
    pub tags_converted: usize,
    pub hyphenations_joined: usize,
    pub paragraphs_rejoined: usize,
}

/// A closest registered title at least this similar is offered as the line to paste;
/// below it, `{indsats=-}` is (kommune names, "Trygt Festliv:" against "Grøn omstilling"
/// scored 0.24–0.33).
const CLOSE: f64 = 0.5;

/// Fills the heading parts of the report from the final items and the draft text.
pub fn headings(report: &mut Report, items: &[Item], registry: &Registry, draft: &str) {
    let heads: Vec<(usize, &Heading)> = items
        .iter()
        .enumerate()
        .filter_map(|(k, i)| match i {
            Item::Heading(h) => Some((k, h)),
            Item::Text(_) => None,
        })
        .collect();
    report.headings = heads.len();
    let has_chapters = heads.iter().any(|(_, h)| h.chapter);
    let line_of = |h: &Heading| {
        let l = heading_line(h);
        draft.lines().position(|d| d == l).map_or(0, |p| p + 1)
    };
    let bound = |h: &Heading, ids: &[String]| Bound {
        line: line_of(h),
        heading: h.text.clone(),
        ids: ids.to_vec(),
    };
    let mut chapter: Option<u8> = None;
    let mut bound_at: Option<u8> = None;
    for (i, &(k, h)) in heads.iter().enumerate() {
        if chapter.is_some_and(|c| h.level <= c) {
            chapter = None;
        }
        if bound_at.is_some_and(|b| h.level <= b) {
            bound_at = None;
        }
        if h.chapter {
            chapter = Some(h.level);
        }
        if !h.declined.is_empty() {
            report.opted_out.push(bound(h, &h.declined));
        }
        // `{indsats=-}` covers the headings under it, as a binding does (and as `check`
        // sees it): the Midt- og Vestjylland import opted its "Lokale prioriterede
        // indsatsområder" out and still asked to decide each kommune under it.
        if h.opt_out && !h.chapter {
            bound_at = bound_at.or(Some(h.level));
            continue;
        }
        if !h.ids.is_empty() {
            report.bound.push(bound(h, &h.ids));
            if has_chapters && chapter.is_none() {
                report.outside.push(bound(h, &h.ids));
            }
            bound_at = bound_at.or(Some(h.level));
            continue;
        }
        let subtree: Vec<&Heading> = heads[i + 1..]
            .iter()
            .map(|&(_, s)| s)
            .take_while(|s| s.level > h.level)
            .collect();
        let groups_bound = subtree.iter().any(|s| !s.ids.is_empty() || s.opt_out);
        if chapter.is_some() && !h.chapter && bound_at.is_none() && !h.opt_out && groups_bound {
            umbrella(report, h, items.get(k + 1), &subtree, registry, line_of(h));
        }
        if chapter.is_some() && !h.chapter && bound_at.is_none() && !h.opt_out && !groups_bound {
            let suggestions = registry.closest(&h.title, 3);
            let with = |ids: Vec<String>, opt_out: bool| {
                heading_line(&Heading {
                    ids,
                    opt_out,
                    ..h.clone()
                })
            };
            report.unbound.push(Unbound {
                line: line_of(h),
                heading: h.text.clone(),
                paste: with(
                    suggestions
                        .first()
                        .map(|s| vec![s.id.clone()])
                        .unwrap_or_default(),
                    false,
                ),
                paste_none: with(Vec::new(), true),
                suggestions,
            });
        }
    }
}

/// Lists the bindings added by continuity with `previous` (the previous plan's key),
/// each with its line in the draft.
pub fn continuity(
    report: &mut Report,
    items: &[Item],
    links: &[super::continuity::Link],
    previous: &str,
    draft: &str,
) {
    for l in links {
        let Some(Item::Heading(h)) = items.get(l.item) else {
            continue;
        };
        let line = heading_line(h);
        report.continuity.push(Continuity {
            line: draft.lines().position(|d| d == line).map_or(0, |p| p + 1),
            heading: h.text.clone(),
            id: l.id.clone(),
            previous: previous.to_string(),
            covered: l.covered,
            words: l.words,
        });
    }
}

/// Proposes `h` as an umbrella when its first paragraph names, in quotes, a registered
/// indsatsområde none of its sub-sections binds.
fn umbrella(
    report: &mut Report,
    h: &Heading,
    next: Option<&Item>,
    subtree: &[&Heading],
    registry: &Registry,
    line: usize,
) {
    let Some(Item::Text(first)) = next else {
        return;
    };
    let named = registry.quoted_names(&first.joined());
    let part = |id: &str| subtree.iter().any(|s| s.ids.iter().any(|i| i == id));
    if let Some((id, named)) = named.into_iter().find(|(id, _)| !part(id)) {
        report.umbrellas.push(Umbrella {
            line,
            heading: h.text.clone(),
            paste: heading_line(&Heading {
                ids: vec![id.clone()],
                ..h.clone()
            }),
            id,
            named,
        });
    }
}

impl Report {
    /// The report for a terminal.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let f = &self.recognised;
        let _ = writeln!(s, "imported {} → {}", self.input, self.output);
        let _ = writeln!(
            s,
            "  a draft (`draft = true`): not published until you remove that line; `planspor build --drafts` shows it"
        );
        if self.unpublishes {
            let _ = writeln!(
                s,
                "  it replaced a published plan: the next build takes the plan off the site until you remove `draft = true`"
            );
        }
        let _ = writeln!(s, "\nrecognised:");
        let kind = f.kind.map_or("?", |k| k.as_str());
        let years: Vec<String> = f.years.iter().map(i64::to_string).collect();
        let _ = writeln!(
            s,
            "  {kind} {} of {}: \"{}\"",
            years.join("-"),
            self.issuer,
            f.title
        );
        if let Some(sub) = &f.subtitle {
            let _ = writeln!(s, "  subtitle: {sub}");
        }
        if !f.printed_titles.is_empty() {
            let _ = writeln!(s, "  printed titles: {}", f.printed_titles.join(" | "));
        }
        if let Some(d) = &f.approved {
            let _ = writeln!(
                s,
                "  approved {d} in {}",
                f.approved_place.as_deref().unwrap_or("?")
            );
        }
        let _ = writeln!(
            s,
            "  {} signatories, {} members, {} meetings, {} kommuner with local priorities",
            f.signatories.len(),
            f.members.len(),
            f.meetings.len(),
            f.local_priorities.len()
        );
        let _ = writeln!(
            s,
            "  {} headings, {} bound to the registry",
            self.headings,
            self.bound.len()
        );
        for b in &self.bound {
            let _ = writeln!(
                s,
                "    line {:>4}: {} → {}",
                b.line,
                b.heading,
                b.ids.join(", ")
            );
        }
        self.render_unbound(&mut s);
        self.render_decisions(&mut s);
        let d = &self.dropped;
        let _ = writeln!(s, "\ndropped:");
        let _ = writeln!(s, "  contents list: {} entries", d.contents_entries);
        let _ = writeln!(
            s,
            "  cover page: {} lines (its titles are in the front matter)",
            d.cover_lines
        );
        let _ = writeln!(s, "  page numbers: {}", d.page_numbers);
        let _ = writeln!(
            s,
            "  running headers/footers: {} lines {:?}",
            d.running_header_lines, d.running_header_texts
        );
        let _ = writeln!(s, "  back cover: {} lines", d.back_cover_lines);
        let _ = writeln!(s, "  repeated passages: {} blocks", d.repeated_blocks);
        let _ = writeln!(
            s,
            "  fixed: {} <b>/<i> tags, {} words hyphenated at line ends, {} paragraphs split by page breaks",
            d.tags_converted, d.hyphenations_joined, d.paragraphs_rejoined
        );
        for n in &self.notes {
            let _ = writeln!(s, "note: {n}");
        }
        s
    }

    fn render_decisions(&self, s: &mut String) {
        for b in &self.opted_out {
            let _ = writeln!(
                s,
                "heading outside the indsatsområder chapters opted out: line {}: {} (its title would bind {}; the chapter is not one of the plan's indsatsområder chapters)",
                b.line,
                b.heading,
                b.ids.join(", ")
            );
        }
        for b in &self.outside {
            let _ = writeln!(
                s,
                "bound outside the indsatsområder chapters, check: line {}: {} → {}",
                b.line,
                b.heading,
                b.ids.join(", ")
            );
        }
        for c in &self.continuity {
            let _ = writeln!(
                s,
                "bound by continuity with the {} plan, confirm: line {}: {} → {}\n    {} of {} words of {}'s {} text reappear here; if the section is not its continuation, remove it from the heading's {{indsats=…}}",
                c.previous, c.line, c.heading, c.id, c.covered, c.words, c.id, c.previous
            );
        }
        for u in &self.umbrellas {
            let _ = writeln!(
                s,
                "possible umbrella, not bound (an editorial decision): line {}: {}\n    its text opens by naming \"{}\" ({}); if the plan frames the whole section with it, paste: {}",
                u.line, u.heading, u.named, u.id, u.paste
            );
        }
    }

    fn render_unbound(&self, s: &mut String) {
        if self.unbound.is_empty() {
            let _ = writeln!(
                s,
                "\nevery heading in the indsatsområder chapters binds an indsatsområde"
            );
            return;
        }
        let _ = writeln!(
            s,
            "\n{} headings in an indsatsområder chapter bind nothing; decide each:",
            self.unbound.len()
        );
        for u in &self.unbound {
            let _ = writeln!(s, "  line {}: {}", u.line, u.heading);
            for g in &u.suggestions {
                let _ = writeln!(s, "      {:<36} {:.2}  {}", g.id, g.score, g.title);
            }
            let best = u.suggestions.first();
            if best.is_some_and(|b| b.score >= CLOSE) {
                let _ = writeln!(s, "    paste: {}", u.paste);
                let _ = writeln!(s, "    or, if it is no indsatsområde: {}", u.paste_none);
            } else {
                // A suggestion at 0.3 reads as advice, and pasted, publishes a false
                // status: lead with what such a heading usually is.
                let _ = writeln!(
                    s,
                    "    no registered title comes close{}; if it is no indsatsområde, paste: {}",
                    best.map(|b| format!(" (best {:.2})", b.score))
                        .unwrap_or_default(),
                    u.paste_none
                );
                if best.is_some() {
                    let _ = writeln!(
                        s,
                        "    only if it is `{}` after all: {}",
                        best.map_or("", |b| b.id.as_str()),
                        u.paste
                    );
                }
            }
            let _ = writeln!(
                s,
                "    or register a new one in content/indsatsomraader/<id>.md"
            );
        }
    }
}
