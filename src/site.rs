//! The pipeline end to end: load → model → routes → render → write.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{locate_links, LinkCheck, PageLinks};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::memo::Memo;
use crate::model::digest::Digests;
use crate::model::Site;
use crate::render::{RenderOptions, Renderer, Sink};
use crate::routes::{self, Page, Routes};
use crate::write::{self, OutFile};

/// What `build` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from planspor.toml.
    pub base_url: Option<String>,
    /// Publishes plans marked `draft = true` too (`--drafts`).
    pub drafts: bool,
    pub render: RenderOptions,
}

impl BuildOptions {
    /// The output folder as given, without a trailing `/` (which shell completion adds
    /// and which would make a link to the folder read as the folder itself).
    pub fn output_dir(&self) -> PathBuf {
        match &self.output {
            Some(out) => out.components().collect(),
            None => self.root.join("public"),
        }
    }
}

/// A successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    /// Pages rendered by this build; the others were unchanged since the last build
    /// (same templates, same template context) and kept as published.
    pub rendered: usize,
    pub files: usize,
    pub bytes: usize,
    /// How many files were written anew and how many kept as they were.
    pub published: write::Published,
    pub warnings: Diagnostics,
}

/// Loads and validates a site: config, content, model. Errors and warnings are all in
/// the returned diagnostics; the site is `None` only when nothing could be modelled.
/// Draft plans are part of it, validated as they would be published (what `check` and
/// `new plan` see).
pub fn load_site(root: &Path, base_url: Option<&str>) -> (Option<Site>, Diagnostics) {
    load_site_with(root, base_url, &Memo::off())
}

/// [`load_site`] as it is published: draft plans left out (with a warning each) unless
/// `drafts` says to publish them.
pub fn load_published_site(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> (Option<Site>, Diagnostics) {
    let (site, diags) = load_graph(root, Config::load(root), base_url, &Memo::off(), drafts);
    let site = site.map(|mut site| {
        crate::model::add_evolution(&mut site, &Memo::off());
        site
    });
    (site, diags)
}

/// [`load_site`], taking costly results (block diffs) from `memo` when it has them.
pub fn load_site_with(
    root: &Path,
    base_url: Option<&str>,
    memo: &Memo,
) -> (Option<Site>, Diagnostics) {
    let (site, diags) = load_graph(root, Config::load(root), base_url, memo, true);
    let site = site.map(|mut site| {
        crate::model::add_evolution(&mut site, memo);
        site
    });
    (site, diags)
}

/// [`load_site_with`] without the evolution (see [`crate::model::build_graph`]), from
/// `config` as `root`'s `planspor.toml` was read, draft plans left out unless `drafts`.
fn load_graph(
    root: &Path,
    config: Result<Config, Diagnostics>,
    base_url: Option<&str>,
    memo: &Memo,
    drafts: bool,
) -> (Option<Site>, Diagnostics) {
    let mut config = match config {
        Ok(c) => c,
        Err(d) => return (None, d),
    };
    if let Some(b) = base_url {
        config.base_url = match crate::config::normalize_base_url(b) {
            Ok(url) => url,
            Err(why) => {
                let d = Diagnostic::error("--base-url", format!("`{b}` {why}"))
                    .with_help(crate::config::BASE_URL_HELP);
                return (None, d.into());
            }
        };
    }
    let mut laps = crate::timing::Laps::start();
    let (mut loaded, mut diags) = crate::load::load_with(root, memo);
    if !drafts {
        crate::model::leave_out_drafts(&mut loaded, &mut diags);
    }
    laps.lap("load");
    let site = crate::model::build_graph(config, loaded, &mut diags);
    (Some(site), diags)
}

/// The routes of `site` under the base path `opts` asks for (serve mode's `/`) or
/// the configured one.
fn routes_for<'a>(site: &'a Site, opts: &RenderOptions) -> Routes<'a> {
    Routes::new(site, base_for(site, opts))
}

fn base_for(site: &Site, opts: &RenderOptions) -> String {
    opts.base_path
        .clone()
        .unwrap_or_else(|| site.config.base_path())
}

/// The link check `check` runs, set up for the pages and assets `site` will have.
fn link_check(site: &Site, renderer: &Renderer, opts: &RenderOptions) -> LinkCheck {
    let pages = routes::all(site).into_iter().map(|p| routes::file(site, p));
    LinkCheck::new(
        pages.chain(renderer.asset_names(site)),
        &base_for(site, opts),
    )
}

/// Renders `pages` in parallel, handing each page (output path, HTML) to `sink` as soon
/// as it is rendered; returns the sink's results in page order, or every error.
fn render_into<T: Send>(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
    r: &Routes,
    pages: &[Page],
    sink: impl Fn(String, String) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Diagnostics> {
    each_page(site, pages, &|| false, |file, page| {
        sink(file, renderer.render(site, r, opts, page)?)
    })
}

/// Runs `make` on every page (with its output path) in parallel, but on none once
/// `stop()` says so (a full disk): those pages fail with an error the caller replaces
/// by the one that stopped it. Returns the results in page order, or every error.
fn each_page<T: Send>(
    site: &Site,
    pages: &[Page],
    stop: &(dyn Fn() -> bool + Sync),
    make: impl Fn(String, Page) -> Result<T, Diagnostic> + Sync,
) -> Result<Vec<T>, Diagnostics> {
    let results: Vec<Result<T, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            if stop() {
                return Err(Diagnostic::error(routes::file(site, page), "not rendered"));
            }
            make(routes::file(site, page), page)
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut out = Vec::with_capacity(results.len());
    for res in results {
        match res {
            Ok(t) => out.push(t),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

/// The theme's static files and the open-data files.
fn assets(site: &Site, renderer: &Renderer, r: &Routes) -> Vec<OutFile> {
    let mut files: Vec<OutFile> = renderer
        .theme
        .statics
        .iter()
        .map(|(rel, b)| (format!("static/{rel}"), b.clone()))
        .collect();
    files.extend(renderer.data_files(site, r));
    files
}

/// Writes the theme's static files and the data files (all but the search index) into
/// the new release as they are made.
fn put_assets(
    site: &Site,
    renderer: &Renderer,
    r: &Routes,
    digests: &Digests,
    sink: &StagingSink,
) -> Result<(), Diagnostic> {
    renderer
        .theme
        .statics
        .par_iter()
        .try_for_each(|(rel, b)| sink.put(format!("static/{rel}"), b.clone()))?;
    renderer.data_files_into(site, r, Some(digests), sink)
}

/// The data files' way into the new release. A file made from inputs with a known hash
/// is recorded in the memo (inputs' hash → file's hash), so that the next build keeps
/// the published file when its inputs are the same, as it keeps unchanged pages.
struct StagingSink<'a> {
    staging: &'a write::Staging,
    memo: &'a Memo,
    output: &'a Path,
    files: AtomicUsize,
    bytes: AtomicUsize,
}

impl<'a> StagingSink<'a> {
    fn new(staging: &'a write::Staging, memo: &'a Memo, output: &'a Path) -> Self {
        StagingSink {
            staging,
            memo,
            output,
            files: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
        }
    }

    fn counted(&self, size: usize) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(size, Ordering::Relaxed);
    }

    fn put_bytes(&self, path: &str, bytes: &[u8]) -> Result<u128, Diagnostic> {
        let hash = self
            .staging
            .put(path, bytes)
            .map_err(|e| Diagnostic::error(self.output, e.to_string()))?;
        self.counted(bytes.len());
        Ok(hash)
    }
}

impl Sink for StagingSink<'_> {
    fn memo(&self) -> Option<&Memo> {
        Some(self.memo)
    }

    fn put(&self, path: String, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.put_bytes(&path, &bytes).map(|_| ())
    }

    fn keep(&self, path: &str, key: u128) -> bool {
        let key = format!("{key:032x}");
        let Some(hash) = self.memo.get::<u128>("data", &[path, &key]) else {
            return false;
        };
        match self.staging.keep(path, hash) {
            Some(size) => {
                self.counted(size as usize);
                true
            }
            None => false,
        }
    }

    fn kept_items(&self, path: &str, keyed_by: u128) -> Option<crate::render::items::KeptItems> {
        let (file, hash) = self.staging.published_file(path)?;
        let inputs = items_key(path, hash, keyed_by);
        // Taken, not kept: the items' keys can change while the file's bytes do not
        // (an edit that changes a plan's statuses but no word of its item), and the
        // list `put_items` records then must replace this one.
        let items = self
            .memo
            .take("data items", &inputs.each_ref().map(String::as_str))?;
        Some(crate::render::items::KeptItems::new(file, items))
    }

    fn put_items(
        &self,
        path: String,
        keyed_by: Option<u128>,
        write: &mut dyn FnMut(
            &mut dyn std::io::Write,
        ) -> std::io::Result<Vec<crate::render::items::ItemAt>>,
    ) -> Result<(), Diagnostic> {
        let mut items = Vec::new();
        let (hash, size) = self
            .staging
            .put_streamed(&path, &mut |w| write(w).map(|at| items = at))
            .map_err(|e| Diagnostic::error(self.output, e.to_string()))?;
        // Under the file's hash, by which the next build finds it, and what the keys
        // share (a list of other keys would be of no use to it).
        if let Some(keyed_by) = keyed_by {
            let inputs = items_key(&path, hash, keyed_by);
            let inputs = inputs.each_ref().map(String::as_str);
            self.memo.put("data items", &inputs, &items);
        }
        self.counted(size);
        Ok(())
    }

    fn put_made_from(&self, path: String, key: u128, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        let hash = self.put_bytes(&path, &bytes)?;
        self.memo
            .put("data", &[&path, &format!("{key:032x}")], &hash);
        Ok(())
    }
}

/// The memo's inputs for where the items of the file `path` with `hash` lie, their keys
/// sharing `keyed_by` (see [`crate::render::items`]).
fn items_key(path: &str, hash: u128, keyed_by: u128) -> [String; 3] {
    [
        path.into(),
        format!("{hash:032x}"),
        format!("{keyed_by:032x}"),
    ]
}

/// Renders every page and asset of `site`, in parallel, sorted by path.
pub fn render_site(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
) -> Result<Vec<OutFile>, Diagnostics> {
    let r = routes_for(site, opts);
    let mut files = render_into(site, renderer, opts, &r, &routes::all(site), |p, html| {
        Ok((p, html.into_bytes()))
    })?;
    files.extend(assets(site, renderer, &r));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Renders only `pages` (for incremental rebuilds); no data files.
pub fn render_pages(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
    pages: &[Page],
) -> Result<Vec<OutFile>, Diagnostics> {
    let r = routes_for(site, opts);
    render_into(site, renderer, opts, &r, pages, |p, html| {
        Ok((p, html.into_bytes()))
    })
}

/// The open-data files, feed, search index and sitemap.
pub fn render_data(site: &Site, renderer: &Renderer, opts: &RenderOptions) -> Vec<OutFile> {
    renderer.data_files(site, &routes_for(site, opts))
}

/// `planspor build`: everything, then the atomic swap. On any error the previous
/// output is left exactly as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let output = opts.output_dir();
    check_output_place(&opts.root, &output)?;
    match build_once(opts, &output, false) {
        // A part the memo kept for a page turned out unreadable when the page needed
        // it: the build starts again without the memo, as the first build did.
        Err((_, true)) => build_once(opts, &output, true).map_err(|(d, _)| d),
        done => done.map_err(|(d, _)| d),
    }
}

/// One attempt at [`build`]; with `forget_memo`, the last build's memo is removed
/// first. An error says whether the memo was found damaged.
fn build_once(
    opts: &BuildOptions,
    output: &Path,
    forget_memo: bool,
) -> Result<BuildReport, (Diagnostics, bool)> {
    // The next release is prepared first: the memo of the last build lives beside it,
    // and the model already takes its block diffs from there.
    let mut laps = crate::timing::Laps::start();
    let staging = write::Staging::begin(output).map_err(|e| {
        (
            Diagnostic::error(output, e.to_string()).of_folder().into(),
            false,
        )
    })?;
    laps.lap("output locked, manifests read");
    if forget_memo {
        let _ = std::fs::remove_file(staging.state_file("memo"));
    }
    let memo = Arc::new(Memo::open(&staging.state_file("memo")));
    laps.lap("memo opened");
    build_with(opts, output, staging, &memo).map_err(|d| (d, memo.is_damaged()))
}

/// The warnings a build gives besides the loader's: placeholders left in the
/// configuration, and headings in an indsatsområde chapter that bind nothing (see
/// [`crate::model::lint::for_build`]). `serve` gives them too.
pub fn site_warnings(root: &Path, site: &Site) -> Diagnostics {
    let mut warnings: Diagnostics = site.config.placeholders.iter().cloned().collect();
    let read = crate::load::reader(root);
    warnings.extend(crate::model::lint::for_build(site, &read));
    warnings
}

/// [`build`] once the output is locked and the memo opened.
fn build_with(
    opts: &BuildOptions,
    output: &Path,
    staging: write::Staging,
    memo: &Arc<Memo>,
) -> Result<BuildReport, Diagnostics> {
    // The templates need only the theme's name: they are compiled beside the loading,
    // which waits on reading files part of the time.
    let config = Config::load(&opts.root);
    let theme = config.as_ref().ok().map(|c| c.theme.clone());
    let ((site, diags), renderer) = rayon::join(
        || {
            load_graph(
                &opts.root,
                config,
                opts.base_url.as_deref(),
                memo,
                opts.drafts,
            )
        },
        || theme.map(|t| Renderer::new(&opts.root, &t)),
    );
    let Some(mut site) = site else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let mut laps = crate::timing::Laps::start();
    let mut warnings = diags;
    warnings.extend(site_warnings(&opts.root, &site));
    laps.lap("warnings");
    // A site was loaded, so its configuration was read and the templates compiled.
    let renderer = renderer.unwrap_or_else(|| Renderer::new(&opts.root, &site.config.theme));
    let published = renderer.and_then(|renderer| {
        let renderer = renderer.with_memo(Arc::clone(memo));
        let ctx = (opts, output, memo.as_ref());
        let (publish, made, data) = make_release(&mut site, renderer, ctx, &staging)?;
        publish.finish(staging, made, data)
    });
    match published {
        Ok(mut report) => {
            warnings.extend(std::mem::take(&mut report.warnings));
            Ok(BuildReport { warnings, ..report })
        }
        Err(mut d) => {
            d.extend(warnings);
            Err(d)
        }
    }
}

/// Makes every file of the release into `staging`; returns what publishes it, the
/// pages made, and the data files' count and bytes.
///
/// The search index reads the site's plans and pages but no status or diff, and it is
/// the longest chain of work (its words are counted in document order, on one thread):
/// it starts as soon as the site is modelled, beside the evolution, the pages and the
/// other data files, on a copy of the site without the evolution (the plans are shared;
/// kredse, kommuner and the registry are copied).
fn make_release<'a>(
    site: &'a mut Site,
    renderer: Renderer,
    (opts, output, memo): (&'a BuildOptions, &'a Path, &'a Memo),
    staging: &write::Staging,
) -> Result<(Publish<'a>, Made, (usize, usize)), Diagnostics> {
    // Before any file is written: a full disk's error says how much the site needs.
    staging.expect_files(expected_files(site, &renderer));
    let without_evolution = site.clone();
    let sink = StagingSink::new(staging, memo, output);
    let shared = &sink;
    let (searched, made) = rayon::join(
        || {
            let r = routes_for(&without_evolution, &opts.render);
            crate::search::files_into(&without_evolution, &r, shared)
        },
        move || {
            crate::model::add_evolution(site, memo);
            let publish = Publish {
                site,
                renderer,
                memo,
                opts,
                output,
            };
            let made = publish.make(shared)?;
            Ok::<_, Diagnostics>((publish, made))
        },
    );
    // The search index's error only when the rest succeeded: a cause both met (a
    // folder that cannot be written) is reported once.
    match (made, searched) {
        (Ok((publish, made)), Ok(())) => {
            let data = (sink.files.into_inner(), sink.bytes.into_inner());
            Ok((publish, made, data))
        }
        (Err(d), _) => Err(d),
        (Ok(_), Err(e)) => Err(one_error(staging, output, e.into())),
    }
}

/// How many files the site will have, for a full disk's estimate of the space it needs:
/// pages, static and data files, and the search index's document and filter files (its
/// term files are not known before they are made).
fn expected_files(site: &Site, renderer: &Renderer) -> usize {
    // A plan is a document of its own, ahead of its sections.
    let sections: usize =
        site.plans.len() + site.plans.iter().map(|p| p.sections.len()).sum::<usize>();
    let documents = sections + site.indsatser.len() + site.kommuner.len() + site.kredse.len();
    routes::all(site).len()
        + renderer.asset_names(site).count()
        + documents.div_ceil(crate::search::DOC_SHARD)
        + site.indsatser.len()
        + 2
}

/// A warning naming what someone put into the published site by hand, which the new
/// site does not have (a `CNAME`, `.well-known/`): it is gone from the output, and the
/// next build deletes the copy in the state folder.
fn left_behind(output: &Path, published: &write::Published) -> Diagnostics {
    let (names, spare) = (&published.left_behind, &published.spare);
    if names.is_empty() {
        return Diagnostics::new();
    }
    let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Diagnostic::warning(
        output,
        format!(
            "{} in the published folder {} not made by planspor and {} not in the new site: {}",
            if names.len() == 1 { "this" } else { "these" },
            if names.len() == 1 { "was" } else { "were" },
            if names.len() == 1 { "is" } else { "are" },
            shown.join(", ")
        ),
    )
    .of_folder()
    .with_help(format!(
        "the replaced site, with {}, is in {} until the next build, which deletes it: copy back what you need, and add host files (a CNAME, .well-known/) in the deployment step, after the build",
        if names.len() == 1 { "it" } else { "them" },
        spare.display()
    ))
    .into()
}

/// One error for a full disk, however many files did not fit.
fn one_error(staging: &write::Staging, output: &Path, d: Diagnostics) -> Diagnostics {
    match staging.out_of_space() {
        Some(n) => Diagnostics::from(Diagnostic::error(output, n.to_string()).of_folder()),
        None => d,
    }
}

/// What a build does once the site and its evolution are modelled: render every page
/// and make the data files but the search index (see [`make_release`]) into the staging
/// release, check the links, and publish.
struct Publish<'a> {
    site: &'a Site,
    renderer: Renderer,
    memo: &'a Memo,
    opts: &'a BuildOptions,
    output: &'a Path,
}

/// What [`Publish::make`] made: each page's size and links.
struct Made {
    pages: Vec<usize>,
    links: Vec<PageLinks>,
    rendered: usize,
}

impl Publish<'_> {
    /// Puts every page and data file but the search index into `staging`: pages as they
    /// are rendered (so memory holds the model and a page per thread, not the whole
    /// site), the data files alongside them on the same thread pool.
    fn make(&self, sink: &StagingSink) -> Result<Made, Diagnostics> {
        let mut laps = crate::timing::Laps::start();
        let staging = sink.staging;
        let checker = link_check(self.site, &self.renderer, &self.opts.render);
        let all = routes::all(self.site);
        let rendered = AtomicUsize::new(0);
        let r = routes_for(self.site, &self.opts.render);
        let full = || staging.out_of_space().is_some();
        // Before the data files too: their items are kept by the same digests.
        let digests = Digests::of(self.site);
        laps.lap("digests of the model's parts");
        let (assets, pages) = rayon::join(
            || put_assets(self.site, &self.renderer, &r, &digests, sink).map_err(Into::into),
            || {
                let mut laps = crate::timing::Laps::start();
                let pages = each_page(self.site, &all, &full, |file, page| {
                    let (size, page_links, fresh) =
                        self.put_page(staging, &r, &checker, &digests, &file, page)?;
                    if fresh {
                        rendered.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok((size, page_links))
                });
                laps.lap("pages (beside the data files)");
                pages
            },
        );
        let one = |d| one_error(staging, self.output, d);
        let (pages, links) = pages.map_err(one)?.into_iter().unzip();
        assets.map_err(one)?;
        laps.lap("render and write pages, make and write data files");
        Ok(Made {
            pages,
            links,
            rendered: rendered.into_inner(),
        })
    }

    /// Checks the links, saves the memo and publishes the release; `data` is the data
    /// files' count and bytes.
    fn finish(
        &self,
        staging: write::Staging,
        made: Made,
        data: (usize, usize),
    ) -> Result<BuildReport, Diagnostics> {
        let mut laps = crate::timing::Laps::start();
        // What `check` calls an error fails the build too, before the swap.
        let staged = |page: &str| std::fs::read_to_string(staging.staged(page)).ok();
        let broken = LinkCheck::finish(made.links, &staged);
        if !broken.is_empty() {
            let base = base_for(self.site, &self.opts.render);
            return Err(locate_links(&self.opts.root, &base, &broken));
        }
        laps.lap("link check");
        // Saved before the swap, under the output's lock (which the swap releases), so a
        // build waiting for the lock never clears a memo still being written. A memo
        // that cannot be saved only makes the next build slower.
        // A panic while saving (a bug) must not unwind through the commit, which has
        // taken the release's entries: the memo is a cache, and the next build only
        // computes more without it.
        let save = || {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.memo.save()));
        };
        let published = staging.commit_beside(save).map_err(|e| self.error(e))?;
        laps.lap("memo saved beside: stale files removed, swap in");
        let (data_files, data_bytes) = data;
        let warnings = left_behind(self.output, &published);
        Ok(BuildReport {
            pages: made.pages.len(),
            rendered: made.rendered,
            files: made.pages.len() + data_files,
            bytes: made.pages.iter().sum::<usize>() + data_bytes,
            published,
            warnings,
        })
    }

    /// Puts one page into the new release. A page the last build made from the same
    /// inputs, whose published file is intact, is not rendered again: the published
    /// file is kept. The inputs are known by the page's [`Renderer::quick_key`] when it
    /// has one (no context built), else by its [`Renderer::fingerprint`]. Returns the
    /// page's size, its links (kept from the last build too when the site's files are
    /// the same, else read back) and whether it was rendered.
    fn put_page(
        &self,
        staging: &write::Staging,
        r: &Routes,
        check: &LinkCheck,
        digests: &Digests,
        file: &str,
        page: Page,
    ) -> Result<(usize, PageLinks, bool), Diagnostic> {
        let quick = (self.renderer)
            .quick_key(self.site, digests, r, &self.opts.render, page)
            .map(|k| format!("{k:032x}"));
        if let Some(quick) = &quick {
            if let Some((hash, print)) = self.memo.get::<(u128, String)>("quick", &[quick]) {
                if let Some(kept) = self.kept(staging, check, file, hash) {
                    // The fingerprint goes on to the next memo, for a build whose quick
                    // keys change (a site-wide edit) and that compares contexts again.
                    // The page's Markdown and diff parts do not: carrying them (70 MB at
                    // national scale) cost every republish 0.1 s, and such a build
                    // renders them again in 0.45 s.
                    let _ = self.memo.get::<u128>("page", &[&print]);
                    return Ok((kept.0, kept.1, false));
                }
            }
        }
        let remember = |print: &str, hash: u128| {
            if let Some(quick) = &quick {
                self.memo.put("quick", &[quick], &(hash, print));
            }
        };
        let input = self.renderer.input(self.site, r, &self.opts.render, page);
        let print = format!("{:032x}", self.renderer.fingerprint(&input));
        if let Some(hash) = self.memo.get::<u128>("page", &[&print]) {
            if let Some((size, links)) = self.kept(staging, check, file, hash) {
                remember(&print, hash);
                return Ok((size, links, false));
            }
        }
        let html = self.renderer.render_input(r, page, input)?;
        let hash = staging
            .put(file, html.as_bytes())
            .map_err(|e| self.error(e))?;
        self.memo.put("page", &[&print], &hash);
        remember(&print, hash);
        let links = check.page(file, &html);
        let hash = format!("{hash:032x}");
        self.memo
            .put("links", &[file, &hash, check.identity()], &links);
        Ok((html.len(), links, true))
    }

    /// The published page `file` kept in the new release, when it is intact and the
    /// file the last build made with the hash `hash`: its size and links (from the
    /// memo when the site's files are the same, else read back).
    fn kept(
        &self,
        staging: &write::Staging,
        check: &LinkCheck,
        file: &str,
        hash: u128,
    ) -> Option<(usize, PageLinks)> {
        let size = staging.keep(file, hash)?;
        let hash = format!("{hash:032x}");
        let inputs = [file, &hash, check.identity()];
        if let Some(links) = self.memo.get::<PageLinks>("links", &inputs) {
            return Some((size as usize, links));
        }
        let html = std::fs::read_to_string(staging.published(file)).ok()?;
        let links = check.page(file, &html);
        self.memo.put("links", &inputs, &links);
        Some((html.len(), links))
    }

    fn error(&self, e: write::WriteError) -> Diagnostic {
        Diagnostic::error(self.output, e.to_string()).of_folder()
    }
}

/// Refuses an output folder the build would read back or replace: inside `content/`
/// (every page would be reported as stray content on the next build), `themes/` or
/// `templates/`, or the site root itself or a folder above it.
pub fn check_output_place(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let (Some(root), Some(out)) = (resolved(root), resolved(output)) else {
        return Ok(());
    };
    // Also where a linked `content` (a separate checkout) really is.
    let inside = ["content", "themes", "templates"].into_iter().find(|sub| {
        out.starts_with(root.join(sub))
            || resolved(&root.join(sub))
                .is_some_and(|real| !root.starts_with(&real) && out.starts_with(real))
    });
    let msg = match inside {
        Some(sub) => format!("the output folder is inside the site's {sub}/ folder"),
        None if root.starts_with(&out) => {
            "the output folder is the site root or a folder above it".to_string()
        }
        None => return Ok(()),
    };
    Err(Diagnostic::error(output, msg)
        .of_folder()
        .with_help(format!(
            "build into a folder of its own, e.g. the default {}",
            root.join("public").display()
        )))
}

/// `path` made absolute with links resolved, also when its last parts do not exist yet:
/// those will be made as real folders, so a `..` among them undoes the part before it
/// (`site/new/../content/out` is inside `content/`).
fn resolved(path: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let abs = std::path::absolute(path).ok()?;
    let parts: Vec<Component> = abs.components().collect();
    let (real, made) = (1..=parts.len()).rev().find_map(|n| {
        let existing: PathBuf = parts[..n].iter().collect();
        existing.canonicalize().ok().map(|real| (real, &parts[n..]))
    })?;
    Some(made.iter().fold(real, |mut p, c| {
        match c {
            Component::ParentDir => {
                p.pop();
            }
            Component::CurDir => {}
            c => p.push(c),
        }
        p
    }))
}
