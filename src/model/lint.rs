//! Content lints that are not errors: `planspor check` reports them as warnings.

use std::sync::Arc;

use super::text::normalize_title;
use super::{Binding, Indsats, Issuer, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// Sections inside an `{indsatser}` chapter that bind nothing, are not inside a bound
/// section, do not group bound sections, and are not opted out: (plan, section).
pub fn unbound_in_chapters(site: &Site) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (p, plan) in site.plans.iter().enumerate() {
        let secs = &plan.sections;
        for (i, s) in secs.iter().enumerate() {
            // An explicit binding that bound nothing named only unknown ids: an error
            // says so already.
            if s.is_indsats_chapter
                || matches!(s.binding, Binding::OptedOut | Binding::Explicit)
                || !s.bindings.is_empty()
            {
                continue;
            }
            // Inside a chapter? Walk up; stop at a bound or opted-out ancestor.
            let mut in_chapter = false;
            let mut covered = false;
            let mut cur = s.parent;
            while let Some(a) = cur {
                if !secs[a].bindings.is_empty() || secs[a].binding == Binding::OptedOut {
                    covered = true;
                    break;
                }
                if secs[a].is_indsats_chapter {
                    in_chapter = true;
                }
                cur = secs[a].parent;
            }
            if covered || !in_chapter {
                continue;
            }
            let groups_bound = secs[i + 1..s.end].iter().any(|d| !d.bindings.is_empty());
            if !groups_bound {
                out.push((p, i));
            }
        }
    }
    out
}

/// Where a plan's text is, for placing a warning on a line.
type Sources<'a> = &'a dyn Fn(&std::path::Path) -> Option<Arc<str>>;

/// Warnings `planspor build` gives too: a heading in an indsatsområde chapter that binds
/// nothing leaves its indsatsområde out of the plan, which then reads "udgået" if the
/// previous plan had it (a heading reworded past automatic binding does that).
pub fn for_build(site: &Site, sources: Sources) -> Diagnostics {
    for_plans(site, sources, &|_| true)
}

/// [`for_build`]'s warnings about the plans `only` admits (by index): `serve` gives
/// those of the plans a save changed, not every plan's again on each save.
pub fn for_plans(site: &Site, sources: Sources, only: &dyn Fn(usize) -> bool) -> Diagnostics {
    let cached = once_each(sources);
    let sources: Sources = &cached;
    let mut d = Diagnostics::new();
    unbound_headings(site, sources, only, &mut d);
    plans_naming_another_kommune(site, sources, only, &mut d);
    d
}

/// Warnings for `planspor check`; `whole` when every content file loaded without error.
pub fn lint(site: &Site, sources: Sources, whole: bool) -> Diagnostics {
    let cached = once_each(sources);
    let sources: Sources = &cached;
    let mut d = Diagnostics::new();
    unbound_headings(site, sources, &|_| true, &mut d);
    plans_naming_another_kommune(site, sources, &|_| true, &mut d);
    titles_naming_other_years(site, sources, &mut d);
    dates_far_from_the_plan(site, sources, &mut d);
    kommuner_against_the_national_list(site, &mut d);
    near_identical_titles(site, &mut d);
    if whole {
        unused_registry(site, &mut d);
    }
    d
}

/// The ids of a normalised heading made of registered titles joined by "samt" or "og"
/// ("Indbrud samt vold i nattelivet"): a merged section, which binds each only when
/// written `{indsats=a,b}` (automatic binding matches whole titles).
fn names_several<'a>(n: &str, titles: &'a [(String, &str)]) -> Option<Vec<&'a str>> {
    [" samt ", " og "].iter().find_map(|sep| {
        let parts: Vec<&str> = n.split(sep).collect();
        if parts.len() < 2 {
            return None;
        }
        let ids: Option<Vec<&str>> = parts
            .iter()
            .map(|p| titles.iter().find(|(t, _)| t == p).map(|(_, id)| *id))
            .collect();
        let mut seen = std::collections::HashSet::new();
        ids.filter(|ids| ids.iter().all(|id| seen.insert(*id)))
    })
}

/// `sources`, each file read once and shared by its findings: a plan with a thousand
/// findings was read, and held, a thousand times (gigabytes for a 1 MB plan).
fn once_each<'a>(sources: Sources<'a>) -> impl Fn(&std::path::Path) -> Option<Arc<str>> + 'a {
    let read = std::cell::RefCell::new(std::collections::HashMap::new());
    move |p: &std::path::Path| {
        let mut read = read.borrow_mut();
        read.entry(p.to_path_buf())
            .or_insert_with(|| sources(p))
            .clone()
    }
}

/// Registry entries no plan binds, in one warning: a new site's starter registry is
/// mostly unused, and thirty warnings would bury the ones that matter. Told only of a
/// `whole` site (every file loaded): a kreds file with an error leaves its plans out,
/// and every entry would look unused.
fn unused_registry(site: &Site, d: &mut Diagnostics) {
    let unused: Vec<&Indsats> = site
        .indsatser
        .iter()
        // Named as an umbrella's sub-area, or written about outside a plan's
        // indsatsområder (its page lists those sections): in use.
        .filter(|i| i.plans.is_empty() && i.mentions.is_empty())
        .collect();
    match unused.as_slice() {
        [] => {}
        [one] => d.push(Diagnostic::warning(
            &one.file,
            format!("indsatsområde `{}` is in no plan (bound, named as a sub-area or written about under an opted-out heading)", one.id),
        )),
        many => d.push(
            Diagnostic::warning(
                "content/indsatsomraader",
                format!(
                    "{} indsatsområder are in no plan (bound, named as a sub-area or written about under an opted-out heading): {}",
                    many.len(),
                    many.iter()
                        .map(|i| format!("`{}`", i.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .of_folder()
            .with_help(
                "fine for a registry that plans will use; remove the files of those no plan will",
            ),
        ),
    }
}

/// Headings in indsatsområde chapters that bind nothing, with the closest registered
/// titles as a hint.
fn unbound_headings(
    site: &Site,
    sources: Sources,
    only: &dyn Fn(usize) -> bool,
    d: &mut Diagnostics,
) {
    let titles: Vec<(String, &str)> = site
        .indsatser
        .iter()
        .flat_map(|i| {
            std::iter::once(&i.title)
                .chain(i.aliases.iter())
                .map(move |t| (normalize_title(t), i.id.as_str()))
        })
        .collect();
    // Closest titles for each plan's first headings only: each costs an edit distance
    // per registered title, and a plan of thousands of headings times a registry of
    // thousands would keep a build busy for minutes.
    const HINTED: usize = 200;
    let mut hinted = std::collections::HashMap::<usize, usize>::new();
    for (p, s) in unbound_in_chapters(site) {
        if !only(p) {
            continue;
        }
        let k = hinted.entry(p).or_default();
        *k += 1;
        let k = *k - 1;
        let plan = &site.plans[p];
        let sec = &plan.sections[s];
        let n = normalize_title(&sec.title);
        let mut best: Vec<(f64, &str)> = titles
            .iter()
            .take(if k < HINTED { titles.len() } else { 0 })
            .map(|(t, id)| (strsim::normalized_levenshtein(&n, t), *id))
            .collect();
        best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        // An id once, at its best title (a title and an alias may both come close).
        let mut seen = std::collections::HashSet::new();
        best.retain(|(_, id)| seen.insert(*id));
        let hint: Vec<String> = best
            .iter()
            .take(3)
            .filter(|(sc, _)| *sc > 0.3)
            .map(|(_, id)| format!("`{id}`"))
            .collect();
        let mut w = Diagnostic::warning(
            &plan.file,
            format!(
                "heading `{}` in an indsatsområde chapter binds no indsatsområde",
                sec.title
            ),
        );
        w = if let Some(ids) = names_several(&n, &titles) {
            w.with_help(format!(
                "it names {} registered indsatsområder: bind them all with `{{indsats={}}}` (a merged section)",
                ids.len(),
                ids.join(",")
            ))
        } else if hint.is_empty() {
            w.with_help("bind it with `{indsats=<id>}`, register a new indsatsområde, or mark it `{indsats=-}`")
        } else {
            w.with_help(format!(
                "bind it with `{{indsats=<id>}}`; closest registered: {}",
                hint.join(", ")
            ))
        };
        d.push(match sources(&plan.file) {
            Some(src) => w.at_line(&src, sec.line),
            None => {
                w.line = sec.line;
                w
            }
        });
    }
}

/// A handleplan whose title, subtitle or source names another kommune and not its own
/// ("Lokalrådet i Frederikshavn Kommune" in `kommuner/hjoerring/`): most likely saved in
/// the wrong kommune's folder, where it would be published as that kommune's plan and
/// its indsatsområder compared with that kommune's last plan. In a build too, since
/// that is where the harm is done. A kommune is named as a kommune ("Frederikshavn
/// Kommune", "Lokalrådet i Frederikshavn"), not by a bare word: "Vejen til …" is no
/// kommune, and the police districts' names ("Københavns Vestegns Politi",
/// "Sydsjællands og Lolland-Falsters Politi") name none.
fn plans_naming_another_kommune(
    site: &Site,
    sources: Sources,
    only: &dyn Fn(usize) -> bool,
    d: &mut Diagnostics,
) {
    let national = crate::init::national::kredse();
    let districts: Vec<&str> = national.iter().map(|k| k.name.as_str()).collect();
    let names: Vec<(&str, &str)> = (national.iter())
        .flat_map(|k| {
            k.kommuner
                .iter()
                .map(|m| (m.name.as_str(), m.full_name.as_str()))
        })
        .chain(
            site.kommuner
                .iter()
                .map(|m| (m.name.as_str(), m.full_name.as_str())),
        )
        .collect();
    for (i, plan) in site.plans.iter().enumerate() {
        let Issuer::Kommune(own) = plan.issuer else {
            continue;
        };
        if !only(i) {
            continue;
        }
        let own = &site.kommuner[own];
        let source = plan.source.as_ref();
        let texts = [
            ("title", Some(&plan.title)),
            ("subtitle", plan.subtitle.as_ref()),
        ]
        .into_iter()
        .chain([
            ("publisher", source.and_then(|s| s.publisher.as_ref())),
            ("title", source.and_then(|s| s.title.as_ref())),
        ])
        .filter_map(|(key, t)| Some((key, t?)));
        for (key, t) in texts {
            // Every way of naming a kommune says "kommune" or "lokalråd": most titles
            // ("Handleplan 2026") are settled without looking at 98 names.
            if !t.contains("ommune") && !t.contains("okalråd") {
                continue;
            }
            let mut plain = t.clone();
            for district in &districts {
                plain = plain.replace(district, "");
            }
            if names_word(&plain, &own.name) || plain.contains(own.full_name.as_str()) {
                continue;
            }
            let Some(other) = (names.iter())
                .filter(|(n, _)| *n != own.name)
                .find(|(n, full)| names_kommune(&plain, n, full))
            else {
                continue;
            };
            d.push(named_elsewhere(plan, sources, key, t, &own.name, other.0));
            break;
        }
    }
}

/// The warning of [`plans_naming_another_kommune`], at the value (or its key's line).
fn named_elsewhere(
    plan: &super::Plan,
    sources: Sources,
    key: &str,
    text: &str,
    own: &str,
    other: &str,
) -> Diagnostic {
    let w = Diagnostic::warning(
        &plan.file,
        format!("this plan of {own} says «{text}»: it names {other}"),
    );
    let located = match sources(&plan.file) {
        Some(src) => match quoted(&src, text) {
            Some(span) => w.at(&src, span),
            None => {
                let line = src.lines().position(|l| {
                    l.trim_start()
                        .strip_prefix(key)
                        .is_some_and(|r| r.trim_start().starts_with('='))
                });
                w.at_line(&src, line.map_or(1, |l| l + 1))
            }
        },
        None => w,
    };
    located.with_help(format!(
        "if it is {other}'s plan, move it to {other}'s kommune folder; a plan in {own}'s folder is published as {own}'s"
    ))
}

/// Where a front matter value `text` stands, written as a plain `"…"` string.
fn quoted(src: &str, text: &str) -> Option<std::ops::Range<usize>> {
    let at = src.find(&format!("\"{text}\""))? + 1;
    Some(at..at + text.len())
}

/// Whether `text` names the kommune `name` (full name `full`) as a kommune: by its full
/// name, "X Kommune", or right after a lokalråd ("Lokalrådet i X", "Lokalråd for X").
fn names_kommune(text: &str, name: &str, full: &str) -> bool {
    let as_kommune = [format!("{name} Kommune"), format!("{name}s Kommune")];
    let lokalraad = [
        "okalrådet i ",
        "okalråd i ",
        "okalrådet for ",
        "okalråd for ",
    ];
    text.contains(full)
        || as_kommune.iter().any(|k| text.contains(k.as_str()))
        || lokalraad.iter().any(|l| {
            text.match_indices(l)
                .any(|(at, _)| names_word_at(&text[at + l.len()..], name))
        })
}

/// Whether `text` starts with `name` as a word of its own, or its genitive
/// ("Hjørrings lokalråd").
fn names_word_at(text: &str, name: &str) -> bool {
    let word_ends = |rest: &str| !rest.starts_with(char::is_alphanumeric);
    text.strip_prefix(name)
        .is_some_and(|rest| word_ends(rest) || rest.strip_prefix('s').is_some_and(word_ends))
}

/// Whether `text` has `name` as a word of its own ("Frederikshavn Kommune",
/// "Frederikshavns", not "Frederikshavnsvej").
fn names_word(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        !before.is_some_and(char::is_alphanumeric) && names_word_at(&text[at..], name)
    })
}

/// A plan whose own title or printed titles name another year.
fn titles_naming_other_years(site: &Site, sources: Sources, d: &mut Diagnostics) {
    for plan in &site.plans {
        let mut named: Vec<&str> = vec![plan.title.as_str()];
        if let Some(s) = &plan.source {
            named.extend(s.title.as_deref());
            named.extend(s.printed_titles.iter().map(String::as_str));
        }
        for t in named {
            for y in plan_years_in(t) {
                // Said in the source note (as the help asks): an inconsistency of the
                // source, known and explained to the reader, not a typo.
                // The note must quote the title: any year in it ("vedtaget december
                // 2024") would otherwise silence a typo.
                let explained = (plan.source.as_ref())
                    .and_then(|s| s.note.as_deref())
                    .is_some_and(|n| n.to_lowercase().contains(&t.to_lowercase()));
                if plan.years.contains(&y) || explained {
                    continue;
                }
                let w = Diagnostic::warning(
                    &plan.file,
                    format!("title `{t}` names {y}, but the plan is for {}", plan.key),
                );
                let located = match sources(&plan.file) {
                    Some(src) => match quoted(&src, t) {
                        Some(span) => w.at(&src, span),
                        None => w.at_line(&src, 2),
                    },
                    None => w,
                };
                d.push(
                    located
                    .with_help("check which year the plan is for; if the source is inconsistent, say so in [source].note (quoting the title), or remove the title from printed_titles if it is not the document's (a contents list's line)"),
                );
            }
        }
    }
}

/// An approval after the plan's last year, or a meeting more than a year from the plan's
/// years: a typo a reader would take as fact (`approved` is the feed's date, meetings
/// go into the calendar).
fn dates_far_from_the_plan(site: &Site, sources: Sources, d: &mut Diagnostics) {
    for plan in &site.plans {
        let (first, last) = (plan.first_year(), plan.last_year());
        let mut doubtful: Vec<(String, String)> = Vec::new();
        if let Some(a) = plan
            .approved
            .as_ref()
            .filter(|a| a.year > last || a.year < first - 2)
        {
            doubtful.push((
                a.iso(),
                format!("approved {} for a plan for {}", a.iso(), plan.key),
            ));
        }
        for m in plan
            .meetings
            .iter()
            .filter(|m| m.date.year > last + 1 || m.date.year < first - 1)
        {
            let iso = m.date.iso();
            doubtful.push((
                iso.clone(),
                format!("a meeting on {iso} in the plan for {}", plan.key),
            ));
        }
        for (iso, what) in doubtful {
            let w = Diagnostic::warning(&plan.file, format!("{what}: is the year right?"));
            let located = match sources(&plan.file) {
                Some(src) => match src.find(&iso) {
                    Some(i) => w.at(&src, i..i + iso.len()),
                    None => w,
                },
                None => w,
            };
            d.push(located.with_help("check the date against the source"));
        }
    }
}

/// A kommune filed under a police district that, by the national data the binary
/// carries, does not have it, or a name that is no Danish kommune. Only for districts
/// the national data knows (a made-up district is the site's own business).
fn kommuner_against_the_national_list(site: &Site, d: &mut Diagnostics) {
    let national = crate::init::national::kredse();
    for km in &site.kommuner {
        let kreds = &site.kredse[km.kreds];
        let Some(nk) = national.iter().find(|k| k.slug == kreds.slug) else {
            continue;
        };
        if nk.kommuner.iter().any(|m| m.slug == km.slug) {
            continue;
        }
        let elsewhere = national.iter().find_map(|k| {
            let m = k.kommuner.iter().find(|m| m.slug == km.slug)?;
            Some((k, m))
        });
        let msg = match elsewhere {
            Some((other, m)) => format!(
                "{} belongs to {}, not to {}, by the national list of districts",
                m.full_name, other.name, nk.name
            ),
            None => format!(
                "`{}` is not one of the 98 Danish kommuner in the national list",
                km.slug
            ),
        };
        // The district's own kommuner first: "hjoerning" under Nordjylland is Hjørring,
        // though Herning (another district's) is as near by the letters.
        let own = nk.kommuner.iter().map(|m| m.slug.as_str());
        let all = (national.iter()).flat_map(|k| k.kommuner.iter().map(|m| m.slug.as_str()));
        let near = crate::diagnostics::did_you_mean(&km.slug, own)
            .or_else(|| crate::diagnostics::did_you_mean(&km.slug, all));
        let help = match near.filter(|_| elsewhere.is_none()) {
            Some(s) => format!("did you mean `{s}`? Rename the kommune folder; the national list is what `planspor init` writes"),
            None => "check the kommune folder's name and district; the national list is what `planspor init` writes".to_string(),
        };
        d.push(Diagnostic::warning(&km.file, msg).with_help(help));
    }
}

/// Registry entries so alike they are probably one.
fn near_identical_titles(site: &Site, d: &mut Diagnostics) {
    const NEAR: f64 = 0.85;
    // Each title normalised once, in order of length: a pair whose lengths differ by
    // more than 15 % cannot come that close, nor one whose letters differ by more (the
    // bag distance is at most the edit distance), so a registry of thousands of entries
    // does not cost every pair's edit distance.
    let mut titles: Vec<(usize, Vec<char>, [u16; 32], &Indsats)> = site
        .indsatser
        .iter()
        .map(|i| {
            let t: Vec<char> = normalize_title(&i.title).chars().collect();
            let mut bag = [0u16; 32];
            for c in &t {
                let b = &mut bag[*c as usize % 32];
                *b = b.saturating_add(1);
            }
            (t.len(), t, bag, i)
        })
        .collect();
    titles.sort_by_key(|t| t.0);
    let mut found = Vec::new();
    for (a, (la, ta, bag_a, ia)) in titles.iter().enumerate() {
        for (lb, tb, bag_b, ib) in &titles[a + 1..] {
            let longest = (*lb).max(1) as f64;
            if (lb - la) as f64 > (1.0 - NEAR) * longest {
                break;
            }
            let (more, fewer) = bag_a.iter().zip(bag_b).fold((0, 0), |(m, f), (x, y)| {
                (
                    m + x.saturating_sub(*y) as usize,
                    f + y.saturating_sub(*x) as usize,
                )
            });
            if more.max(fewer) as f64 > (1.0 - NEAR) * longest {
                continue;
            }
            let sim = 1.0 - strsim::generic_levenshtein(ta, tb) as f64 / longest;
            if sim >= NEAR {
                // Reported at the later of the two in the registry's order, as before.
                let (first, second) = if ia.id < ib.id { (ia, ib) } else { (ib, ia) };
                found.push((*second, *first));
            }
        }
    }
    found.sort_by(|a, b| (&a.0.id, &a.1.id).cmp(&(&b.0.id, &b.1.id)));
    for (ib, ia) in found {
        d.push(
            Diagnostic::warning(&ib.file, format!("`{}` and `{}` have near-identical titles", ib.id, ia.id))
                .with_help("if they are the same indsatsområde, merge them and keep the other title as an alias"),
        );
    }
}

/// Years named as "samarbejdsplan 2024" / "handleplan 2025" in a title.
fn plan_years_in(title: &str) -> Vec<i64> {
    let lower = title.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for w in words.windows(2) {
        if (w[0].ends_with("samarbejdsplan") || w[0].ends_with("handleplan")) && w[1].len() == 4 {
            if let Ok(y) = w[1].parse::<i64>() {
                out.push(y);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn years_in_titles() {
        assert_eq!(super::plan_years_in("SAMARBEJDSPLAN 2024"), vec![2024]);
        assert_eq!(
            super::plan_years_in("Kredsrådets samarbejdsplan 2022"),
            vec![2022]
        );
        assert!(super::plan_years_in("Flerårsaftalen 2021-2024").is_empty());
    }
}
