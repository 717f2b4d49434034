//! The data files: open data (JSON, CSV), the Atom feeds, the meeting calendars and
//! the sitemap (the search index is [`crate::search`]'s). Deterministic: no build
//! timestamps; feed dates come from the plans themselves. The open data is made in
//! [`super::open_data`], feeds and calendars in [`super::feeds`] and
//! [`super::calendar`]; this module says which files there are and makes the sitemap.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::items::ItemsWriter;
use super::open_data;
use super::xml::XmlDoc;
use super::{calendar, feeds, Sink};
use crate::diagnostics::Diagnostic;
use crate::model::{Issuer, Site};
use crate::routes::{self, Page, Routes};

type Maker = fn(&Site, &Routes) -> Vec<u8>;
type ItemsMaker = fn(&Site, &Routes, Option<&open_data::Keys>, &mut ItemsWriter) -> io::Result<()>;

/// One file [`files_into`] makes.
#[derive(Clone, Copy)]
enum Make {
    Fixed(Maker),
    /// A file of items (see [`super::items`]), written as it is made.
    Items(ItemsMaker),
    Feed(Issuer),
    Calendar(Issuer),
}

/// Every data file of `site` with what makes it, in a stable order.
fn plan(site: &Site) -> Vec<(String, Make)> {
    // The national site's open data is 40 MB: written as it is made, not held.
    let fixed: [(&str, Make); 5] = [
        ("data/planer.json", Make::Items(open_data::plans)),
        (
            "data/indsatsomraader.json",
            Make::Items(open_data::indsatser),
        ),
        ("data/status.csv", Make::Items(open_data::status_csv)),
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
/// national scale), each handed to `sink` as soon as it is made. With `keys` (made
/// from the model's digests), the open data's unchanged items are copied from the last
/// build's files when `sink` kept them.
pub(super) fn files_into(
    site: &Site,
    r: &Routes,
    keys: Option<&open_data::Keys>,
    sink: &dyn Sink,
) -> Result<(), Diagnostic> {
    // Feeds and calendars made, and how many there are (the rest were kept).
    let issuer_files = (AtomicUsize::new(0), AtomicUsize::new(0));
    let count = |made: bool| {
        issuer_files
            .0
            .fetch_add(usize::from(made), Ordering::Relaxed);
        issuer_files.1.fetch_add(1, Ordering::Relaxed);
    };
    let files = plan(site).into_par_iter().try_for_each(|(path, make)| {
        let bytes = match make {
            Make::Items(f) => {
                let keyed_by = keys.map(open_data::Keys::shared);
                let kept = keyed_by.and_then(|k| sink.kept_items(&path, k));
                let mut made = (0, 0);
                let done = sink.put_items(path.clone(), keyed_by, &mut |w| {
                    let mut items = ItemsWriter::new(w, kept.as_ref());
                    f(site, r, keys, &mut items)?;
                    made = items.made();
                    Ok(items.finish())
                });
                let (made, all) = made;
                crate::timing::note(&format!("{path}: {made} of {all} items made"));
                return done;
            }
            Make::Fixed(f) => f(site, r),
            // Kept by a quick key ([`open_data::Keys::issuer_file`]) of the plans they
            // list, the only plans they read; the rest is site-wide (names, addresses,
            // the site's title). A feed without plans is always made: its date is the
            // site's newest plan's.
            Make::Feed(i) => {
                let plans = feeds::plans(site, i);
                let key = keys
                    .filter(|_| !plans.is_empty())
                    .map(|k| k.issuer_file(&path, &plans));
                let make = &mut || feeds::issuer_feed(site, r, i, &plans);
                return sink.put_keyed(path, key, make).map(count);
            }
            Make::Calendar(i) => {
                let plans = site.issuer_plans(i);
                let key = keys.map(|k| k.issuer_file(&path, plans));
                let make = &mut || calendar::ics(site, r, i, plans);
                return sink.put_keyed(path, key, make).map(count);
            }
        };
        sink.put(path, bytes)
    });
    let (made, all) = (issuer_files.0.into_inner(), issuer_files.1.into_inner());
    crate::timing::note(&format!("feeds and calendars: {made} of {all} made"));
    files
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::model::digest::Digests;
    use crate::render::items::{ItemAt, KeptItems};

    const ITEM_FILES: [&str; 3] = [
        "data/planer.json",
        "data/indsatsomraader.json",
        "data/status.csv",
    ];

    /// Item files by path: bytes, and where their items are.
    type Files = BTreeMap<String, (Vec<u8>, Vec<ItemAt>)>;

    /// A sink that keeps the item files it is given, and hands the last build's files
    /// back from a folder as a publishing sink does.
    #[derive(Default)]
    struct Kept {
        made: Mutex<Files>,
        last: Option<std::path::PathBuf>,
        last_items: BTreeMap<String, Vec<ItemAt>>,
    }

    impl Sink for Kept {
        fn put(&self, _path: String, _bytes: Vec<u8>) -> Result<(), Diagnostic> {
            Ok(())
        }

        fn kept_items(&self, path: &str, _keyed_by: u128) -> Option<KeptItems> {
            let file =
                std::fs::File::open(self.last.as_ref()?.join(path.replace('/', "_"))).ok()?;
            Some(KeptItems::new(file, self.last_items.get(path)?.clone()))
        }

        fn put_items(
            &self,
            path: String,
            _keyed_by: Option<u128>,
            write: &mut dyn FnMut(&mut dyn std::io::Write) -> io::Result<Vec<ItemAt>>,
        ) -> Result<(), Diagnostic> {
            let mut bytes = Vec::new();
            let items = write(&mut bytes).map_err(|e| Diagnostic::error(&path, e.to_string()))?;
            self.made
                .lock()
                .expect("not poisoned")
                .insert(path, (bytes, items));
            Ok(())
        }
    }

    /// A small generated site: it has dropped indsatsområder (the default site has
    /// none), whose rows point into the plan before.
    fn site(dir: &std::path::Path) -> Site {
        let root = dir.join("site");
        crate::corpus::generate(&crate::corpus::CorpusOptions {
            out: root.clone(),
            seed: 3,
            years: 4,
            scale: 0.1,
        })
        .expect("a corpus");
        let (site, _) = crate::site::load_site(&root, None);
        site.expect("the corpus loads")
    }

    fn make(site: &Site, last: Option<(&std::path::Path, &Kept)>) -> Kept {
        let r = Routes::new(site, "/".into());
        let digests = Digests::of(site);
        let sink = Kept {
            last: last.map(|(dir, _)| dir.to_path_buf()),
            last_items: last.map_or_else(BTreeMap::new, |(_, k)| {
                let made = k.made.lock().expect("not poisoned");
                made.iter()
                    .map(|(p, (_, at))| (p.clone(), at.clone()))
                    .collect()
            }),
            ..Kept::default()
        };
        let keys = open_data::Keys::new(site, &digests, &r);
        files_into(site, &r, Some(&keys), &sink).expect("made");
        sink
    }

    /// `kept`'s item files written to `dir`, each item's bytes replaced by a marker (the
    /// index and checks made to fit): what a build copies shows as the marker.
    fn marked(dir: &std::path::Path, kept: &Kept) {
        let mut made = kept.made.lock().expect("not poisoned");
        for (path, (bytes, items)) in made.iter_mut() {
            let (mut out, mut at, mut pos) = (Vec::new(), Vec::new(), 0usize);
            for item in items.iter() {
                out.extend_from_slice(&bytes[pos..item.offset as usize]);
                let marker = b"<kept>";
                at.push(ItemAt {
                    offset: out.len() as u64,
                    len: marker.len() as u64,
                    check: xxhash_rust::xxh3::xxh3_64(marker),
                    ..*item
                });
                out.extend_from_slice(marker);
                pos = (item.offset + item.len) as usize;
            }
            out.extend_from_slice(&bytes[pos..]);
            std::fs::write(dir.join(path.replace('/', "_")), &out).expect("writable");
            *bytes = out;
            *items = at;
        }
    }

    /// What a build of `after` makes when the last build made `before`'s files, marked
    /// (see [`marked`]).
    fn copied_after(before: &Site, after: &Site, dir: &std::path::Path) -> Kept {
        let first = make(before, None);
        marked(dir, &first);
        make(after, Some((dir, &first)))
    }

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("planspor-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp folder");
        dir
    }

    fn text(k: &Kept, path: &str) -> String {
        let made = k.made.lock().expect("not poisoned");
        String::from_utf8_lossy(&made[path].0).into_owned()
    }

    #[test]
    fn after_an_edit_to_one_plan_only_the_items_that_read_it_are_made() {
        let dir = temp("data-items");
        let before = site(&dir);
        // A plan whose successor dropped one of its indsatsområder: that row of the
        // successor's points to this plan's section.
        let dropped_from = |p: usize| {
            let next = (0..before.plans.len()).find(|&n| before.plans[n].prev == Some(p));
            next.filter(|&n| {
                (before.evolution.plans[n].entries.iter())
                    .any(|e| e.status == crate::model::evolution::Status::Udgået)
            })
        };
        let edited = (0..before.plans.len())
            .find(|&p| dropped_from(p).is_some())
            .expect("a plan with a dropped indsatsområde in the next");
        let first = make(&before, None);
        let mut after = before.clone();
        let plan = Arc::make_mut(&mut after.plans[edited]);
        plan.title.push_str(" (revideret)");
        (plan.sections.iter_mut()).for_each(|s| s.anchor.push_str("-revideret"));
        let fresh = make(&after, None);

        // Copied from the real files: the same bytes as made afresh.
        for (path, (bytes, _)) in first.made.lock().expect("not poisoned").iter() {
            std::fs::write(dir.join(path.replace('/', "_")), bytes).expect("writable");
        }
        let again = make(&after, Some((&dir, &first)));
        for path in ITEM_FILES {
            assert!(text(&again, path) == text(&fresh, path), "{path} differs");
        }

        // Copied from marked files: exactly the items that do not read the edited plan
        // are copied.
        let copied = copied_after(&before, &after, &dir);
        let count = |path: &str| text(&copied, path).matches("<kept>").count();
        let plans = after.plans.len();
        assert_eq!(count("data/planer.json"), plans - 1);
        assert!(text(&copied, "data/planer.json").contains(" (revideret)"));
        // status.csv: the plan's rows and its successor's, which point back to it.
        assert_eq!(count("data/status.csv"), plans - 2);
        let rows = text(&copied, "data/status.csv");
        let mut dropped = rows.lines().filter(|l| l.contains(",udgået,"));
        assert!(dropped.any(|l| l.contains("-revideret")));
        let reads_it = |i: usize| {
            (0..plans).any(|p| {
                (p == edited || after.plans[p].prev == Some(edited))
                    && (after.evolution.entry(p, i).is_some()
                        || after.indsatser[i].mentions.iter().any(|&(q, _)| q == p))
            })
        };
        let unread = (0..after.indsatser.len()).filter(|&i| !reads_it(i)).count();
        assert!(
            unread > 0 && unread < after.indsatser.len(),
            "{unread} of {} ({plans} plans)",
            after.indsatser.len()
        );
        assert_eq!(count("data/indsatsomraader.json"), unread);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_indsatsomraade_mentioned_in_a_plan_reads_it() {
        // The default site's district plans mention sub-areas they give no section.
        let dir = temp("data-items-mentions");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let before = crate::site::load_site(root, None)
            .0
            .expect("the default site");
        let (p, i) = (0..before.indsatser.len())
            .flat_map(|i| {
                before.indsatser[i]
                    .mentions
                    .iter()
                    .map(move |&(p, _)| (p, i))
            })
            .find(|&(p, i)| {
                let ev = &before.evolution;
                let next = (0..before.plans.len()).filter(|&n| before.plans[n].prev == Some(p));
                ev.entry(p, i).is_none() && next.clone().all(|n| ev.entry(n, i).is_none())
            })
            .expect("a mention without a status");
        let mut after = before.clone();
        let plan = Arc::make_mut(&mut after.plans[p]);
        (plan.sections.iter_mut()).for_each(|s| s.anchor.push_str("-revideret"));
        let copied = copied_after(&before, &after, &dir);
        let json = text(&copied, "data/indsatsomraader.json");
        let id = format!("\"id\": \"{}\"", after.indsatser[i].id);
        let item = json.find(&id).map(|at| &json[at..]).expect("its item made");
        let end = item.find("\"statuses\"").expect("its statuses");
        assert!(item[..end].contains("-revideret"), "{}", &item[..end]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
