//! Which plan binds what: the indsatsområder of every issuer's plan in every year.

use super::layout::Layout;
use super::registry::{members, rep_of, Ind};
use super::rng::{Rng, TAG_FIX, TAG_SELECT};

/// Issuers: kredse first (0..K), then kommuner (K..).
#[derive(Debug, Clone, Copy)]
pub(super) enum Who {
    Kreds(usize),
    Kommune(usize),
}

pub(super) fn issuers(l: &Layout) -> Vec<Who> {
    (0..l.kredse.len())
        .map(Who::Kreds)
        .chain((0..l.kommuner.len()).map(Who::Kommune))
        .collect()
}

pub(super) fn kreds_of(l: &Layout, w: Who) -> usize {
    match w {
        Who::Kreds(k) => k,
        Who::Kommune(m) => l.kommuner[m].kreds,
    }
}

/// For every issuer and year, the units (representatives, in section order) its plan
/// binds. Plans keep most of last year's indsatsområder, drop a few, take one back now
/// and then, and fill up with new ones; handleplaner favour their kreds's choices.
pub(super) fn select(seed: u64, l: &Layout, inds: &[Ind], ny: usize) -> Vec<Vec<Vec<usize>>> {
    let who = issuers(l);
    let mut plans: Vec<Vec<Vec<usize>>> = Vec::with_capacity(who.len());
    for (ix, &w) in who.iter().enumerate() {
        let kreds = kreds_of(l, w);
        // Kredse come first: a kommune's kreds has its plans already.
        let kreds_plans: &[Vec<usize>] = match w {
            Who::Kommune(_) => &plans[kreds],
            Who::Kreds(_) => &[],
        };
        let mut rng = Rng::keyed(seed, &[TAG_SELECT, ix as u64]);
        let years = issuer_plans(&mut rng, w, kreds, kreds_plans, inds, ny);
        plans.push(years);
    }
    bind_unused(seed, l, &who, inds, &mut plans);
    plans
}

/// One issuer's units for each year; `kreds_plans`, its kreds's (for a kommune), are
/// favoured when filling up.
fn issuer_plans(
    rng: &mut Rng,
    w: Who,
    kreds: usize,
    kreds_plans: &[Vec<usize>],
    inds: &[Ind],
    ny: usize,
) -> Vec<Vec<usize>> {
    let eligible =
        |rep: usize, y: usize| inds[rep].active[y] && inds[rep].region.is_none_or(|r| r == kreds);
    let (lo, hi) = match w {
        Who::Kreds(_) => (7, 12),
        Who::Kommune(_) => (5, 9),
    };
    let mut target = rng.range(lo, hi);
    let mut ever = vec![false; inds.len()];
    let mut held: Vec<usize> = Vec::new();
    let mut years = Vec::with_capacity(ny);
    for y in 0..ny {
        let mut next: Vec<usize> = Vec::new();
        for &u in &held {
            for m in members(inds, u, y.saturating_sub(1)) {
                let r = rep_of(inds, m, y);
                if !next.contains(&r) && eligible(r, y) && !rng.chance(0.07) {
                    next.push(r);
                }
            }
        }
        if rng.chance(0.3) {
            target = (target + rng.below(3)).saturating_sub(1).clamp(lo, hi);
        }
        // Something from earlier years comes back.
        if y > 1 && rng.chance(0.25) {
            let back: Vec<usize> = (0..inds.len())
                .filter(|&i| ever[i])
                .map(|i| rep_of(inds, i, y))
                .filter(|&r| !next.contains(&r) && eligible(r, y))
                .collect();
            if !back.is_empty() {
                next.push(*rng.pick(&back));
            }
        }
        let kreds_units: &[usize] = kreds_plans.get(y).map_or(&[], |v| v.as_slice());
        fill_up(rng, &mut next, target, kreds_units, inds, y, &eligible);
        for &u in &next {
            for m in members(inds, u, y) {
                ever[m] = true;
            }
        }
        years.push(next.clone());
        held = next;
    }
    years
}

/// Adds units to `next` until it has `target`, drawn by weight; those in the kreds's
/// plan of the year count four times.
fn fill_up(
    rng: &mut Rng,
    next: &mut Vec<usize>,
    target: usize,
    kreds_units: &[usize],
    inds: &[Ind],
    y: usize,
    eligible: &dyn Fn(usize, usize) -> bool,
) {
    while next.len() < target {
        let reps: Vec<usize> = (0..inds.len())
            .filter(|&i| rep_of(inds, i, y) == i && eligible(i, y) && !next.contains(&i))
            .collect();
        let weights: Vec<f64> = reps
            .iter()
            .map(|&r| {
                let w = inds[r].weight;
                if kreds_units.contains(&r) {
                    w * 4.0
                } else {
                    w
                }
            })
            .collect();
        match rng.weighted(&weights) {
            Some(k) => next.push(reps[k]),
            None => break,
        }
    }
}

/// Every registered indsatsområde is bound somewhere: an unused one gets a single
/// appearance in one plan of an issuer that may use it.
fn bind_unused(seed: u64, l: &Layout, who: &[Who], inds: &[Ind], plans: &mut [Vec<Vec<usize>>]) {
    let mut bound = vec![false; inds.len()];
    for p in plans.iter() {
        for (y, units) in p.iter().enumerate() {
            for &u in units {
                for m in members(inds, u, y) {
                    bound[m] = true;
                }
            }
        }
    }
    let mut rng = Rng::keyed(seed, &[TAG_FIX]);
    for i in 0..inds.len() {
        if bound[i] {
            continue;
        }
        let mut spots = Vec::new();
        for (ix, &w) in who.iter().enumerate() {
            let k = kreds_of(l, w);
            for (y, units) in plans[ix].iter().enumerate() {
                let r = rep_of(inds, i, y);
                if inds[r].active[y]
                    && inds[r].region.is_none_or(|reg| reg == k)
                    && !units.contains(&r)
                {
                    spots.push((ix, y));
                }
            }
        }
        if spots.is_empty() {
            continue;
        }
        let (ix, y) = *rng.pick(&spots);
        let r = rep_of(inds, i, y);
        plans[ix][y].push(r);
        for m in members(inds, r, y) {
            bound[m] = true;
        }
    }
}
