//! Atom feeds (RFC 4287) of new plans: the site's (`data/planer.xml`), and one per
//! kommune (its handleplaner) and per kreds (its samarbejdsplaner and its kommuner's
//! handleplaner), written with quick-xml. Deterministic: every date comes from the plans
//! (approval date, else 1 January of the plan's first year), never from the build.

use std::io;

use super::data::absolute;
use super::xml::XmlDoc;
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

/// Entries per feed: readers only look at the newest.
const ENTRIES: usize = 50;

/// `data/planer.xml`: every plan.
pub fn site_feed(site: &Site, r: &Routes) -> Vec<u8> {
    let front = absolute(site, r, &r.url(Page::Front));
    let feed = Feed {
        title: site.config.title.clone(),
        id: front.clone(),
        alternate: front,
        self_url: absolute(site, r, &r.asset("data/planer.xml")),
        plans: (0..site.plans.len()).collect(),
    };
    feed.write(site, r).unwrap_or_default()
}

/// An issuer's feed ([`routes::issuer_feed`]) of `plans` (its [`plans`]: the only plans
/// it reads, but for an empty feed's date); a kommune without plans yet still gets one,
/// so a reader can subscribe before its first handleplan appears.
pub fn issuer_feed(site: &Site, r: &Routes, issuer: Issuer, plans: &[usize]) -> Vec<u8> {
    let self_url = absolute(site, r, &r.asset(&routes::issuer_feed(site, issuer)));
    let page = match issuer {
        Issuer::Kreds(k) => Page::Kreds(k),
        Issuer::Kommune(m) => Page::Kommune(m),
    };
    let feed = Feed {
        title: format!("{} – {}", title(site, issuer), site.config.title),
        // The feed's own address: unique per feed, and as stable as the page's.
        id: self_url.clone(),
        alternate: absolute(site, r, &r.url(page)),
        self_url,
        plans: plans.to_vec(),
    };
    feed.write(site, r).unwrap_or_default()
}

/// The feed's title as pages announce it: "Handleplaner – Hjørring Kommune".
pub fn title(site: &Site, issuer: Issuer) -> String {
    match issuer {
        Issuer::Kreds(_) => format!(
            "Samarbejds- og handleplaner – {}",
            site.issuer_full_name(issuer)
        ),
        Issuer::Kommune(_) => format!("Handleplaner – {}", site.issuer_full_name(issuer)),
    }
}

/// The plans in an issuer's feed: a kommune's own; a kreds's own and its kommuner's.
pub(super) fn plans(site: &Site, issuer: Issuer) -> Vec<usize> {
    match issuer {
        Issuer::Kommune(m) => site.kommuner[m].plans.clone(),
        Issuer::Kreds(k) => {
            let kr = &site.kredse[k];
            let mut v = kr.plans.clone();
            v.extend(
                kr.kommuner
                    .iter()
                    .flat_map(|&m| site.kommuner[m].plans.iter()),
            );
            v
        }
    }
}

struct Feed {
    title: String,
    id: String,
    alternate: String,
    self_url: String,
    plans: Vec<usize>,
}

impl Feed {
    fn write(mut self, site: &Site, r: &Routes) -> io::Result<Vec<u8>> {
        // Newest first by the date each entry shows, so that the 50 kept are the newest
        // by it too; the URL breaks ties so the order never depends on the input's.
        self.plans
            .sort_by_cached_key(|&p| (std::cmp::Reverse(date(site, p)), r.url(Page::Plan(p))));
        self.plans.truncate(ENTRIES);
        let updated = self
            .plans
            .iter()
            .map(|&p| date(site, p))
            .max()
            // An empty feed (a kommune with no plan yet) still needs a fixed `updated`:
            // the site's newest plan date, not 1970, which a feed reader shows as such.
            // It reads every plan, so `data.rs` never keeps an empty feed by quick key.
            .or_else(|| (0..site.plans.len()).map(|p| date(site, p)).max())
            .unwrap_or_else(|| "1970-01-01".into());
        let mut d = XmlDoc::new()?;
        d.start(
            "feed",
            &[
                ("xmlns", "http://www.w3.org/2005/Atom"),
                ("xml:lang", &site.config.language),
            ],
        )?;
        d.text("title", &self.title)?;
        d.text("id", &self.id)?;
        d.empty("link", &[("href", &self.alternate)])?;
        d.empty("link", &[("rel", "self"), ("href", &self.self_url)])?;
        d.text("updated", &format!("{updated}T00:00:00Z"))?;
        for &p in &self.plans {
            let plan = &site.plans[p];
            let url = absolute(site, r, &r.url(Page::Plan(p)));
            let issuer = site.issuer_name(plan.issuer);
            d.start("entry", &[])?;
            d.text("title", &format!("{} – {issuer}", plan.title))?;
            d.text("id", &url)?;
            d.empty("link", &[("href", &url)])?;
            d.text("updated", &format!("{}T00:00:00Z", date(site, p)))?;
            // The plan is the council's: "Lokalrådet i Hjørring Kommune".
            d.start("author", &[])?;
            d.text("name", &site.issuer_council(plan.issuer))?;
            d.end("author")?;
            if let Some(s) = &plan.summary {
                d.text("summary", s)?;
            }
            d.end("entry")?;
        }
        d.end("feed")?;
        Ok(d.finish())
    }
}

/// A plan's date: its approval, else 1 January of its first year.
fn date(site: &Site, p: usize) -> String {
    let plan = &site.plans[p];
    plan.approved
        .map(|d| d.iso())
        .unwrap_or_else(|| format!("{:04}-01-01", plan.first_year()))
}
