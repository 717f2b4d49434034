//! The data files: open data (JSON, CSV), the Atom feeds, the meeting calendars and
//! the sitemap (the search index is [`crate::search`]'s). Deterministic: no build
//! timestamps; feed dates come from the plans themselves. The open data is made in
//! [`super::open_data`], feeds and calendars in [`super::feeds`] and
//! [`super::calendar`]; this module says which files there are and makes the sitemap.

use std::io::{self, Write};

use rayon::prelude::*;

use super::open_data;
use super::xml::XmlDoc;
use super::{calendar, feeds, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

type Maker = fn(&Site, &Routes) -> Vec<u8>;
type Writer = fn(&Site, &Routes, &mut dyn Write) -> io::Result<()>;

/// One file [`files_into`] makes.
#[derive(Clone, Copy)]
enum Make {
    Fixed(Maker),
    Streamed(Writer),
    Feed(Issuer),
    Calendar(Issuer),
}

/// Every data file of `site` with what makes it, in a stable order.
fn plan(site: &Site) -> Vec<(String, Make)> {
    // The national site's open data is 40 MB: written as it is made, not held.
    let fixed: [(&str, Make); 5] = [
        ("data/planer.json", Make::Streamed(open_data::plans)),
        (
            "data/indsatsomraader.json",
            Make::Streamed(open_data::indsatser),
        ),
        ("data/status.csv", Make::Streamed(open_data::status_csv)),
        ("data/planer.xml", Make::Fixed(feeds::site_feed)),
        ("sitemap.xml", Make::Fixed(sitemap)),
    ];
    let mut v: Vec<(String, Make)> = (fixed.into_iter())
        .map(|(n, make)| (n.to_string(), make))
        .collect();
    v.extend(
        site.issuers()
            .into_iter()
            .map(|i| (routes::issuer_feed(site, i), Make::Feed(i))),
    );
    v.extend(
        calendar::issuers(site)
            .into_iter()
            .map(|i| (routes::issuer_calendar(site, i), Make::Calendar(i))),
    );
    v
}

/// The paths of the files [`files_into`] makes (the link check needs them before they exist).
pub fn names(site: &Site) -> Vec<String> {
    plan(site).into_iter().map(|(n, _)| n).collect()
}

/// Makes every file of [`names`], in parallel (independent files, some large at
/// national scale), each handed to `sink` as soon as it is made.
pub fn files_into(site: &Site, r: &Routes, sink: &dyn Sink) -> Result<(), Diagnostic> {
    plan(site).into_par_iter().try_for_each(|(path, make)| {
        let bytes = match make {
            Make::Streamed(f) => return sink.put_streamed(path, &mut |w| f(site, r, w)),
            Make::Fixed(f) => f(site, r),
            Make::Feed(i) => feeds::issuer_feed(site, r, i),
            Make::Calendar(i) => calendar::ics(site, r, i),
        };
        sink.put(path, bytes)
    })
}

pub(super) fn absolute(site: &Site, r: &Routes, url: &str) -> String {
    // base_url's origin + the root-relative URL.
    let origin = match site.config.base_url.find("://") {
        Some(i) => {
            let after = &site.config.base_url[i + 3..];
            let end = after
                .find('/')
                .map_or(site.config.base_url.len(), |j| i + 3 + j);
            site.config.base_url[..end].to_string()
        }
        None => String::new(),
    };
    let _ = r;
    format!("{origin}{url}")
}

fn sitemap(site: &Site, r: &Routes) -> Vec<u8> {
    let write = || -> std::io::Result<Vec<u8>> {
        let mut d = XmlDoc::new()?;
        d.start(
            "urlset",
            &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
        )?;
        for page in routes::all(site) {
            if page == Page::NotFound {
                continue;
            }
            d.start("url", &[])?;
            d.text("loc", &absolute(site, r, &r.url(page)))?;
            d.end("url")?;
        }
        d.end("urlset")?;
        Ok(d.finish())
    };
    // Writing into memory cannot fail.
    write().unwrap_or_default()
}
