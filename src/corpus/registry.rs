//! The registry of indsatsområder: titles and ids, aliases, the years each is in use,
//! and the pairs that merge.

use std::collections::HashSet;

use super::data::{HEADINGS, TOPICS};
use super::layout::{roman, Kreds};
use super::rng::{Rng, TAG_REGISTRY};
use super::words::lower_first;
use crate::model::text::normalize_title;
use crate::slug::slugify;

#[derive(Debug, Clone)]
pub(super) struct Ind {
    pub(super) id: String,
    pub(super) topic: usize,
    pub(super) title: String,
    pub(super) aliases: Vec<String>,
    /// Heading of the merged section (on the lower-numbered of a merged pair).
    pub(super) merged_title: Option<String>,
    pub(super) weight: f64,
    /// Only issuers of this kreds use it.
    pub(super) region: Option<usize>,
    /// Nationally in use, per year index.
    pub(super) active: Vec<bool>,
    /// The merge with a partner: (partner, first year index of the merge, first year
    /// index apart again — the year it splits, or the number of years if it never does).
    pub(super) merge: Option<(usize, usize, usize)>,
}

/// Builds `n` indsatsområder over `ny` years for `kredse` districts.
pub(super) fn registry(seed: u64, n: usize, ny: usize, kredse: &[Kreds]) -> Vec<Ind> {
    let mut rng = Rng::keyed(seed, &[TAG_REGISTRY]);
    let mut titles = Titles::new(&mut rng, n <= 600);
    let mut order: Vec<usize> = (0..TOPICS.len()).collect();
    rng.shuffle(&mut order);

    let mut ids: HashSet<String> = HashSet::new();
    let mut inds: Vec<Ind> = Vec::new();
    for i in 0..n {
        let region = (kredse.len() > 1 && rng.chance(0.2)).then(|| rng.below(kredse.len()));
        let choice = titles.choose(i, &order, region, kredse);
        let aliases = titles.aliases(&mut rng, choice.topic, choice.cand);
        let id = unique_id(&choice.plain, choice.place.as_deref(), &mut ids);
        let weight = match rng.below(10) {
            0..=1 => 4.0,
            2..=6 => 1.0,
            _ => 0.3,
        };
        inds.push(Ind {
            id,
            topic: choice.topic,
            title: choice.title,
            aliases,
            merged_title: None,
            weight: if region.is_some() {
                weight * 2.0
            } else {
                weight
            },
            region,
            active: vec![false; ny],
            merge: None,
        });
    }

    life_cycles(&mut rng, &mut inds, ny);
    merges(&mut rng, &mut inds, ny, &mut titles.used);
    inds
}

/// A registry entry's title as chosen.
struct Choice {
    topic: usize,
    /// Index into the topic's candidates.
    cand: usize,
    title: String,
    /// The candidate without the place: what the id is made from.
    plain: String,
    /// The district's slug, when the title names its place.
    place: Option<String>,
}

/// The titles indsatsområder may get, and which of them are taken.
struct Titles {
    /// Per topic: (title, qualifier index), in the order they are tried.
    cands: Vec<Vec<(String, Option<usize>)>>,
    taken: Vec<Vec<bool>>,
    /// Normalised titles that no new title or alias may equal.
    used: HashSet<String>,
    /// Normalised registry titles so far, for the similarity check.
    chosen: Vec<String>,
    /// The similarity check is quadratic; beyond a few hundred entries it is skipped.
    check_similar: bool,
}

impl Titles {
    /// Candidate titles per topic: the printed titles first, then frames around the
    /// noun phrase, then the same with qualifiers, each group shuffled.
    fn new(rng: &mut Rng, check_similar: bool) -> Titles {
        let used: HashSet<String> = HEADINGS
            .fixed_headings
            .iter()
            .chain(&HEADINGS.subheads)
            .map(|h| normalize_title(h))
            .collect();
        let mut cands: Vec<Vec<(String, Option<usize>)>> = Vec::new();
        for t in TOPICS.iter() {
            let frames = if t.problem {
                &HEADINGS.frames_problem
            } else {
                &HEADINGS.frames_goal
            };
            let mut v: Vec<(String, Option<usize>)> =
                t.titles.iter().map(|s| (s.to_string(), None)).collect();
            let mut plain: Vec<(String, Option<usize>)> = frames
                .iter()
                .map(|f| (f.replace("{np}", &t.np), None))
                .collect();
            rng.shuffle(&mut plain);
            v.extend(plain);
            let mut qual: Vec<(String, Option<usize>)> = Vec::new();
            for f in frames {
                for (qi, qs) in HEADINGS.qualifiers.iter().enumerate() {
                    qual.push((format!("{}{qs}", f.replace("{np}", &t.np)), Some(qi)));
                }
            }
            rng.shuffle(&mut qual);
            v.extend(qual);
            cands.push(v);
        }
        let taken = cands.iter().map(|v| vec![false; v.len()]).collect();
        Titles {
            cands,
            taken,
            used,
            chosen: Vec::new(),
            check_similar,
        }
    }

    /// The title of entry `i`: the next acceptable candidate, starting from the topic
    /// `order` gives `i`; a regional entry's title names its district.
    fn choose(
        &mut self,
        i: usize,
        order: &[usize],
        region: Option<usize>,
        kredse: &[Kreds],
    ) -> Choice {
        let n = TOPICS.len();
        for k in 0..n {
            let t = order[(i + k) % n];
            for c in 0..self.cands[t].len() {
                if self.taken[t][c] {
                    continue;
                }
                let mut title = self.cands[t][c].0.clone();
                let mut place = None;
                if let (Some(r), None) = (region, self.cands[t][c].1) {
                    if !title.contains(" i ") {
                        place = Some(slugify(&kredse[r].short));
                        title = format!("{title} {}", in_place(&kredse[r].short));
                    }
                }
                let norm = normalize_title(&title);
                let ok = !self.used.contains(&norm)
                    && (!self.check_similar
                        || self
                            .chosen
                            .iter()
                            .all(|o| strsim::normalized_levenshtein(o, &norm) < 0.8));
                self.taken[t][c] = true;
                if ok {
                    self.take(norm);
                    let plain = self.cands[t][c].0.clone();
                    return Choice {
                        topic: t,
                        cand: c,
                        title,
                        plain,
                        place,
                    };
                }
            }
        }
        // Every candidate is used (only at extreme scales): number a repeat.
        let t = order[i % n];
        let title = format!("{} {}", TOPICS[t].titles[0], roman(i + 2));
        self.take(normalize_title(&title));
        Choice {
            topic: t,
            cand: 0,
            title: title.clone(),
            plain: title,
            place: None,
        }
    }

    fn take(&mut self, norm: String) {
        self.used.insert(norm.clone());
        self.chosen.push(norm);
    }

    /// None, one or two other phrasings of the same subject with the same qualifier.
    fn aliases(&mut self, rng: &mut Rng, t: usize, c: usize) -> Vec<String> {
        let qual = self.cands[t].get(c).and_then(|x| x.1);
        let n_alias = match rng.below(100) {
            0..=34 => 0,
            35..=79 => 1,
            _ => 2,
        };
        let mut aliases = Vec::new();
        let mut pool: Vec<usize> = (0..self.cands[t].len())
            .filter(|&j| !self.taken[t][j] && self.cands[t][j].1 == qual)
            .collect();
        rng.shuffle(&mut pool);
        for j in pool {
            if aliases.len() >= n_alias {
                break;
            }
            let a = &self.cands[t][j].0;
            let an = normalize_title(a);
            if !self.used.contains(&an) {
                self.used.insert(an);
                self.taken[t][j] = true;
                aliases.push(a.clone());
            }
        }
        aliases
    }
}

/// "i Nordjylland", "på Fyn", "på Bornholm".
pub(super) fn in_place(short: &str) -> String {
    if short.starts_with("Fyn") || short.starts_with("Bornholm") {
        format!("på {short}")
    } else {
        format!("i {short}")
    }
}

/// An id from a title: the slug without framing words, a few words long, not ending
/// in a small word; the whole title's slug if that is taken; a number as last resort.
pub(super) fn unique_id(title: &str, place: Option<&str>, ids: &mut HashSet<String>) -> String {
    let mut core = title;
    for p in [
        "Styrkelse af indsatsen mod ",
        "Styrkelse af indsatsen over for ",
        "Indsats mod ",
        "Forebyggelse af ",
        "Fokus på ",
        "Bekæmpelse af ",
        "Fælles indsats mod ",
        "Fælles indsats for ",
        "Styrkelse af ",
        "Samarbejde om ",
        "Arbejdet med ",
    ] {
        if let Some(rest) = title.strip_prefix(p) {
            core = rest;
            break;
        }
    }
    const SMALL: &[&str] = &[
        "og", "i", "af", "for", "mod", "med", "paa", "om", "over", "samt", "til", "de", "det",
        "den", "en", "et", "blandt", "herunder", "skal",
    ];
    let short = |s: &str, n: usize| {
        let mut w: Vec<&str> = s.split('-').filter(|w| !w.is_empty()).take(n).collect();
        while w.len() > 1 && w.last().is_some_and(|x| SMALL.contains(x)) {
            w.pop();
        }
        w.join("-")
    };
    let with_place = |b: String| match place {
        Some(p) => format!("{b}-{p}"),
        None => b,
    };
    let mut base = with_place(short(&slugify(core), 5));
    if base.is_empty() {
        base = "indsats".into();
    }
    if ids.contains(&base) {
        let whole = short(&slugify(title), 7);
        if !whole.is_empty() {
            base = with_place(whole);
        }
    }
    let mut id = base.clone();
    let mut k = 2;
    while ids.contains(&id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    ids.insert(id.clone());
    id
}

/// Active windows: some in use from the first year, others appearing later; some last
/// to the end, some end; a few pause for one to three years and return.
pub(super) fn life_cycles(rng: &mut Rng, inds: &mut [Ind], ny: usize) {
    for ind in inds.iter_mut() {
        let start = if rng.chance(0.35) { 0 } else { rng.below(ny) };
        let len = if rng.chance(0.4) {
            ny
        } else {
            rng.range(2, (ny * 2 / 3).max(2))
        };
        let end = (start + len - 1).min(ny - 1);
        for a in &mut ind.active[start..=end] {
            *a = true;
        }
        if end >= start + 5 && rng.chance(0.3) {
            let gap_start = rng.range(start + 2, end - 2);
            let gap_len = rng.range(1, 3.min(end - 1 - gap_start));
            for a in &mut ind.active[gap_start..gap_start + gap_len] {
                *a = false;
            }
        }
    }
    // Enough national ones in every year for plans of 5–12 indsatsområder.
    let national: Vec<usize> = (0..inds.len())
        .filter(|&i| inds[i].region.is_none())
        .collect();
    let want = national.len().min(14);
    for y in 0..ny {
        let mut have = national.iter().filter(|&&i| inds[i].active[y]).count();
        let mut tries = 0;
        while have < want && tries < 10 * national.len() {
            let i = *rng.pick(&national);
            if !inds[i].active[y] {
                inds[i].active[y] = true;
                have += 1;
            }
            tries += 1;
        }
    }
}

/// Pairs that merge: from their merge year on, both are bound by one section (the
/// contract's `{indsats=a,b}`) and share one life cycle.
pub(super) fn merges(rng: &mut Rng, inds: &mut [Ind], ny: usize, used: &mut HashSet<String>) {
    if ny < 2 || inds.len() < 4 {
        return;
    }
    let want = ((inds.len() as f64 * 0.06).round() as usize).max(1);
    let mut made = 0;
    let mut tries = 0;
    while made < want && tries < 200 * want {
        tries += 1;
        let a = rng.below(inds.len());
        if inds[a].merge.is_some() {
            continue;
        }
        let years: Vec<usize> = (1..ny)
            .filter(|&y| inds[a].active[y - 1] && inds[a].active[y])
            .collect();
        if years.is_empty() {
            continue;
        }
        let ym = *rng.pick(&years);
        let ok = |b: usize, same_theme: bool| {
            b != a
                && inds[b].merge.is_none()
                && inds[b].region == inds[a].region
                && inds[b].active[ym - 1]
                && (!same_theme || TOPICS[inds[b].topic].theme == TOPICS[inds[a].topic].theme)
        };
        let mut bs: Vec<usize> = (0..inds.len()).filter(|&b| ok(b, true)).collect();
        if bs.is_empty() {
            bs = (0..inds.len()).filter(|&b| ok(b, false)).collect();
        }
        if bs.is_empty() {
            continue;
        }
        let b = *rng.pick(&bs);
        for y in ym..ny {
            inds[b].active[y] = inds[a].active[y];
        }
        // About a third of merges come apart again later: the split (udskilt) of the
        // status model, each going on with its own section.
        let ye = if ym + 2 < ny && rng.chance(0.35) {
            ym + 1 + rng.below(ny - ym - 1)
        } else {
            ny
        };
        inds[a].merge = Some((b, ym, ye));
        inds[b].merge = Some((a, ym, ye));
        let (lo, hi) = (a.min(b), a.max(b));
        let title = format!("{} samt {}", inds[lo].title, lower_first(&inds[hi].title));
        let norm = normalize_title(&title);
        if !used.contains(&norm) {
            used.insert(norm);
            inds[lo].aliases.push(title.clone());
        }
        inds[lo].merged_title = Some(title);
        made += 1;
    }
}

/// The unit an indsatsområde is bound in at year `y`: its representative (the lower
/// id of a merged pair) and its members.
pub(super) fn rep_of(inds: &[Ind], i: usize, y: usize) -> usize {
    match inds[i].merge {
        Some((p, ym, ye)) if y >= ym && y < ye => i.min(p),
        _ => i,
    }
}

pub(super) fn members(inds: &[Ind], rep: usize, y: usize) -> Vec<usize> {
    match inds[rep].merge {
        Some((p, ym, ye)) if y >= ym && y < ye => {
            let mut v = vec![rep, p];
            v.sort_unstable();
            v
        }
        _ => vec![rep],
    }
}

pub(super) fn unit_title(inds: &[Ind], rep: usize, y: usize) -> &str {
    match (&inds[rep].merged_title, inds[rep].merge) {
        (Some(t), Some((_, ym, ye))) if y >= ym && y < ye => t,
        _ => &inds[rep].title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::layout::layout;
    use crate::slug::is_slug;

    #[test]
    fn registry_titles_are_distinct() {
        let l = layout(1.0);
        let inds = registry(3, 150, 20, &l.kredse);
        assert_eq!(inds.len(), 150);
        let ids: HashSet<&str> = inds.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.len(), 150);
        assert!(ids.iter().all(|i| is_slug(i)));
        let mut all = HashSet::new();
        for i in &inds {
            for t in std::iter::once(&i.title).chain(&i.aliases) {
                assert!(all.insert(normalize_title(t)), "{t} twice");
            }
            assert!(i.active.iter().any(|&a| a), "{} never active", i.id);
        }
        for h in HEADINGS.fixed_headings.iter().chain(&HEADINGS.subheads) {
            assert!(!all.contains(&normalize_title(h)), "{h}");
        }
        assert!(inds.iter().filter(|i| i.merge.is_some()).count() >= 2);
    }
}
