//! Serve's fast path: patching edited plans into a built site.

use super::link_occurrences;
use super::plan::plan;
use super::sections::Registry;
use crate::diagnostics::Diagnostics;
use crate::load::LoadedPlan;
use crate::model::*;

/// Why [`update_plans`] cannot patch the site in place.
#[derive(Debug)]
pub enum NotPatchable {
    /// Not a plan the site has, or its issuer or years changed: rebuild everything.
    Structural,
    /// The edited plans have errors; the site is unchanged.
    Errors(Diagnostics),
}

/// Serve's fast path: replaces the plans loaded from `edited` files in `site`, as a full
/// [`build`] would have built them, and recomputes what depends on them (occurrences,
/// the evolution of their issuers' plans). Only edits that keep the site's shape are
/// patched: the same files, issuers, years, titles and summaries, and each issuer binding
/// the same indsatsområder, so plan order, previous/next links, the set of pages, what
/// other pages say of the plan, and every cross-file check are as before. On any error the site is left as it was.
/// Returns the indices of the replaced plans and the edited files' warnings.
pub fn update_plans(
    site: &mut Site,
    edited: Vec<LoadedPlan>,
) -> Result<(Vec<usize>, Diagnostics), NotPatchable> {
    let mut diags = Diagnostics::new();
    let replaced = rebuild_plans(site, edited, &mut diags)?;
    if diags.has_errors() {
        return Err(NotPatchable::Errors(diags));
    }
    if changes_bindings(site, &replaced) {
        return Err(NotPatchable::Structural);
    }
    Ok((replace_plans(site, replaced), diags))
}

/// Each edited plan built anew, as [`build`] would, with its place in `site` and the
/// old plan's previous/next links; a plan with errors is left out (reported in
/// `diags`). Any edit of the site's shape but the bindings is `Structural`.
fn rebuild_plans(
    site: &Site,
    edited: Vec<LoadedPlan>,
    diags: &mut Diagnostics,
) -> Result<Vec<(usize, Plan)>, NotPatchable> {
    let ids: Vec<String> = site.indsatser.iter().map(|i| i.id.clone()).collect();
    let reg = Registry {
        ids: &ids,
        titles: &site.titles,
        broken: &[],
    };
    let mut replaced: Vec<(usize, Plan)> = Vec::new();
    for lp in edited {
        let p = place(site, &lp)?;
        let issuer = site.plans[p].issuer;
        match plan(lp, Some(issuer), &site.kredse, &site.kommuner, &reg, diags) {
            // The title and summary are shown wherever the plan is listed (search, other
            // issuers' matrices): changing them re-renders everything, rarely needed.
            Some(mut new)
                if new.years == site.plans[p].years
                    && new.title == site.plans[p].title
                    && new.summary == site.plans[p].summary =>
            {
                new.prev = site.plans[p].prev;
                new.next = site.plans[p].next;
                replaced.push((p, new));
            }
            Some(_) => return Err(NotPatchable::Structural),
            None => {}
        }
    }
    Ok(replaced)
}

/// The index of the site's plan read from `lp`'s file, which must have the same issuer.
fn place(site: &Site, lp: &LoadedPlan) -> Result<usize, NotPatchable> {
    let Some(p) = site.plans.iter().position(|x| x.file == lp.doc.file.path) else {
        return Err(NotPatchable::Structural);
    };
    let same_issuer = match (site.plans[p].issuer, &lp.kommune) {
        (Issuer::Kreds(k), None) => site.kredse[k].slug == lp.kreds,
        (Issuer::Kommune(m), Some(slug)) => &site.kommuner[m].slug == slug,
        _ => false,
    };
    if !same_issuer {
        return Err(NotPatchable::Structural);
    }
    Ok(p)
}

/// An issuer that starts or stops binding an indsatsområde gains or loses a page
/// (its history of it): that is a change of shape too.
fn changes_bindings(site: &Site, replaced: &[(usize, Plan)]) -> bool {
    let bound_by = |issuer: Issuer, patched: bool| -> Vec<usize> {
        let mut v: Vec<usize> = site
            .issuer_plans(issuer)
            .iter()
            .flat_map(|&q| {
                let plan = match replaced.iter().find(|(p, _)| patched && *p == q) {
                    Some((_, new)) => new,
                    None => &site.plans[q],
                };
                plan.named_ids()
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    replaced
        .iter()
        .any(|(_, new)| bound_by(new.issuer, false) != bound_by(new.issuer, true))
}

/// Puts the `replaced` plans into `site` and recomputes what depends on them; returns
/// their indices.
fn replace_plans(site: &mut Site, replaced: Vec<(usize, Plan)>) -> Vec<usize> {
    let mut issuers: Vec<Issuer> = Vec::new();
    let mut indices = Vec::new();
    // Plans whose indsatsområder stayed the same (the everyday text edit).
    let mut same_ids = true;
    for (p, new) in replaced {
        issuers.push(new.issuer);
        same_ids &= new.named_ids() == site.plans[p].named_ids();
        site.plans[p] = std::sync::Arc::new(new);
        indices.push(p);
    }
    link_occurrences(&site.plans, &mut site.indsatser);
    issuers.sort();
    issuers.dedup();
    // A plan's diffs depend on the plan before it, and its statuses on which
    // indsatsområder every earlier plan of its issuer names (genoptaget). With those
    // unchanged, an edit changes only the plan's own evolution and the next plan's;
    // otherwise the issuer's whole chain is recomputed (a few dozen plans at most).
    let chain: Vec<usize> = if same_ids {
        let mut v: Vec<usize> = indices
            .iter()
            .flat_map(|&p| std::iter::once(p).chain(site.plans[p].next))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    } else {
        issuers
            .iter()
            .flat_map(|&i| site.issuer_plans(i).to_vec())
            .collect()
    };
    evolution::Evolution::recompute(site, &chain);
    indices
}
