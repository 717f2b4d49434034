//! Routes: every page of the site and its URL.
//!
//! URLs are clean (`/kredse/nordjylland/` is written as `kredse/nordjylland/index.html`)
//! and relative to the site's base path; [`Routes::url`] prefixes it.

use crate::model::{evolution::Status, Issuer, Site};

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Front,
    Kredse,
    Kreds(usize),
    Kommuner,
    Kommune(usize),
    /// All plans of one issuer.
    IssuerPlans(Issuer),
    Plan(usize),
    /// Plan `n` compared with its predecessor.
    Comparison(usize),
    Years,
    Year(i64),
    Indsatser,
    Indsats(usize),
    /// One indsatsområde in one issuer's plans, year by year: texts and diffs.
    IndsatsIssuer(usize, Issuer),
    Search,
    Data,
    Accessibility,
    NotFound,
}

/// URL paths (without the base path, no leading slash: `kredse/nordjylland/`).
pub fn path(site: &Site, page: Page) -> String {
    match page {
        Page::Front => String::new(),
        Page::Kredse => "kredse/".into(),
        Page::Kreds(k) => format!("kredse/{}/", site.kredse[k].slug),
        Page::Kommuner => "kommuner/".into(),
        Page::Kommune(m) => format!("kommuner/{}/", site.kommuner[m].slug),
        Page::IssuerPlans(Issuer::Kreds(k)) => {
            format!("kredse/{}/samarbejdsplan/", site.kredse[k].slug)
        }
        Page::IssuerPlans(Issuer::Kommune(m)) => {
            format!("kommuner/{}/handleplan/", site.kommuner[m].slug)
        }
        Page::Plan(p) => {
            let plan = &site.plans[p];
            format!(
                "{}{}/",
                path(site, Page::IssuerPlans(plan.issuer)),
                plan.key
            )
        }
        Page::Comparison(p) => {
            let prev = site.plans[p]
                .prev
                .map(|q| site.plans[q].key.clone())
                .unwrap_or_default();
            format!("{}sammenlign/{}/", path(site, Page::Plan(p)), prev)
        }
        Page::Years => "aar/".into(),
        Page::Year(y) => format!("aar/{y}/"),
        Page::Indsatser => "indsatsomraader/".into(),
        Page::Indsats(i) => format!("indsatsomraader/{}/", site.indsatser[i].id),
        // Kreds and kommune slugs may coincide (Bornholm), so the kind is in the path.
        Page::IndsatsIssuer(i, Issuer::Kreds(k)) => format!(
            "indsatsomraader/{}/kredse/{}/",
            site.indsatser[i].id, site.kredse[k].slug
        ),
        Page::IndsatsIssuer(i, Issuer::Kommune(m)) => format!(
            "indsatsomraader/{}/kommuner/{}/",
            site.indsatser[i].id, site.kommuner[m].slug
        ),
        Page::Search => "soeg/".into(),
        Page::Data => "data/".into(),
        Page::Accessibility => "tilgaengelighed/".into(),
        Page::NotFound => "404.html".into(),
    }
}

/// An issuer's Atom feed of new plans, beside its page: `kommuner/<slug>/planer.xml`
/// (a kommune's handleplaner), `kredse/<slug>/planer.xml` (the district's samarbejdsplaner
/// and its kommuner's handleplaner). Relative like [`path`]; [`Routes::asset`] prefixes it.
pub fn issuer_feed(site: &Site, issuer: Issuer) -> String {
    format!("{}planer.xml", issuer_page(site, issuer))
}

/// An issuer's meetings as iCalendar, beside its page: `kommuner/<slug>/moeder.ics`.
pub fn issuer_calendar(site: &Site, issuer: Issuer) -> String {
    format!("{}moeder.ics", issuer_page(site, issuer))
}

fn issuer_page(site: &Site, issuer: Issuer) -> String {
    match issuer {
        Issuer::Kreds(k) => path(site, Page::Kreds(k)),
        Issuer::Kommune(m) => path(site, Page::Kommune(m)),
    }
}

/// The file a page is written to, relative to the output folder.
pub fn file(site: &Site, page: Page) -> String {
    let p = path(site, page);
    if p.ends_with(".html") {
        p
    } else {
        format!("{p}index.html")
    }
}

/// Every page of the site, in a stable order.
pub fn all(site: &Site) -> Vec<Page> {
    let mut pages = vec![
        Page::Front,
        Page::Kredse,
        Page::Kommuner,
        Page::Years,
        Page::Indsatser,
    ];
    pages.extend([
        Page::Search,
        Page::Data,
        Page::Accessibility,
        Page::NotFound,
    ]);
    pages.extend((0..site.kredse.len()).map(Page::Kreds));
    pages.extend((0..site.kommuner.len()).map(Page::Kommune));
    for issuer in site.issuers() {
        if !site.issuer_plans(issuer).is_empty() {
            pages.push(Page::IssuerPlans(issuer));
        }
    }
    for (p, plan) in site.plans.iter().enumerate() {
        pages.push(Page::Plan(p));
        if plan.prev.is_some() {
            pages.push(Page::Comparison(p));
        }
    }
    pages.extend(site.years.iter().map(|&y| Page::Year(y)));
    for i in 0..site.indsatser.len() {
        pages.push(Page::Indsats(i));
        pages.extend(
            site.indsats_issuers(i)
                .iter()
                .map(|&issuer| Page::IndsatsIssuer(i, issuer)),
        );
    }
    pages
}

/// The pages whose content depends on plan `p` (for incremental rebuilds): the plan,
/// its neighbours and their comparisons, its issuer's pages, its years, and the
/// indsatsområder it or its neighbours bind (their overview and this issuer's history).
pub fn affected_by_plan(site: &Site, p: usize) -> Vec<Page> {
    let plan = &site.plans[p];
    let mut pages = vec![
        Page::Plan(p),
        Page::IssuerPlans(plan.issuer),
        Page::Front,
        Page::Indsatser,
    ];
    if plan.prev.is_some() {
        pages.push(Page::Comparison(p));
    }
    if let Some(q) = plan.prev {
        pages.push(Page::Plan(q));
    }
    if let Some(n) = plan.next {
        pages.push(Page::Plan(n));
        pages.push(Page::Comparison(n));
    }
    match plan.issuer {
        Issuer::Kreds(k) => {
            pages.push(Page::Kreds(k));
            // Kommune pages show the district plan's local priorities.
            pages.extend(site.kredse[k].kommuner.iter().map(|&m| Page::Kommune(m)));
        }
        Issuer::Kommune(m) => {
            pages.push(Page::Kommune(m));
            pages.push(Page::Kreds(site.kommuner[m].kreds));
        }
    }
    // The next plan's statuses are relative to this one, and its year pages show them.
    for q in [Some(p), plan.next].into_iter().flatten() {
        pages.extend(site.plans[q].years.iter().map(|&y| Page::Year(y)));
    }
    let mut ids: Vec<usize> = Vec::new();
    for q in [Some(p), plan.prev, plan.next].into_iter().flatten() {
        ids.extend(site.plans[q].named_ids());
    }
    ids.sort_unstable();
    ids.dedup();
    for i in ids {
        pages.push(Page::Indsats(i));
        pages.push(Page::IndsatsIssuer(i, plan.issuer));
    }
    // The pages listing the plan's sections about them outside its indsatsområder (they
    // have no year-by-year page for this issuer unless it binds them).
    for s in &plan.sections {
        pages.extend(s.mentions.iter().map(|&i| Page::Indsats(i)));
    }
    pages.sort();
    pages.dedup();
    pages
}

/// URLs with the site's base path.
pub struct Routes<'a> {
    pub site: &'a Site,
    /// `/` or `/planer/`.
    pub base: String,
    /// Every plan's URL, made once: nearly every page links plans and their sections.
    plans: Vec<String>,
}

impl<'a> Routes<'a> {
    pub fn new(site: &'a Site, base: String) -> Self {
        let plans = (0..site.plans.len())
            .map(|p| format!("{base}{}", path(site, Page::Plan(p))))
            .collect();
        Routes { site, base, plans }
    }
    pub fn url(&self, page: Page) -> String {
        match page {
            Page::Plan(p) => self.plans[p].clone(),
            _ => format!("{}{}", self.base, path(self.site, page)),
        }
    }
    pub fn asset(&self, rel: &str) -> String {
        format!("{}{}", self.base, rel)
    }
    /// Link to a section of a plan.
    pub fn section(&self, plan: usize, section: usize) -> String {
        let (url, anchor) = (
            &self.plans[plan],
            &self.site.plans[plan].sections[section].anchor,
        );
        let mut s = String::with_capacity(url.len() + 1 + anchor.len());
        s.push_str(url);
        s.push('#');
        s.push_str(anchor);
        s
    }
}

/// CSS class name of a status (ASCII, for the theme).
pub fn status_class(s: Status) -> &'static str {
    match s {
        Status::Første => "foerste",
        Status::Ny => "ny",
        Status::Genoptaget => "genoptaget",
        Status::Videreført => "viderefoert",
        Status::Ændret => "aendret",
        Status::Sammenlagt => "sammenlagt",
        Status::Udskilt => "udskilt",
        Status::Udgået => "udgaaet",
    }
}
