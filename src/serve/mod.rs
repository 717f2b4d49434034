//! `planspor serve`: build, serve over HTTP ([`server`]), watch the site (notify),
//! rebuild only what an edit affects, and tell open browsers to reload (Server-Sent
//! Events). A broken edit never takes the preview down: the last good site stays
//! served and the error is shown in the terminal and as an overlay in the browser.

mod cleanup;
pub mod http;
mod server;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::render::{RenderOptions, Renderer};
use crate::routes::{self, Page};
use crate::site::{load_published_site, render_data, render_pages, render_site};
use crate::write::{write_changed, OutFile};
use server::{Reply, Request, Response};

const RELOAD_JS: &str = include_str!("reload.js");
/// Editors write a file in several steps; changes closer together than this are one edit.
const DEBOUNCE: Duration = Duration::from_millis(8);
/// The open-data files are rewritten once saving pauses this long: at national scale
/// they take a few hundred milliseconds, which the next save should not wait for.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// 0 picks a free port; `None`: 1111, or the next free one.
    pub port: Option<u16>,
    pub open: bool,
    /// Shows plans marked `draft = true` too (`--drafts`).
    pub drafts: bool,
}

/// What the server knows about the current build.
struct Status {
    generation: u64,
    /// The last failed build's diagnostics, until a good build clears them.
    error: Option<String>,
}

/// Open SSE connections.
#[derive(Default)]
struct Clients {
    senders: Mutex<Vec<Sender<String>>>,
}

impl Clients {
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        let mut s = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        s.retain(|tx| tx.send(msg.clone()).is_ok());
    }
}

/// The live site: last good model and renderer, and what is on disk.
struct Live {
    root: PathBuf,
    out: PathBuf,
    base_url: String,
    /// Draft plans are shown (`--drafts`).
    drafts: bool,
    opts: RenderOptions,
    /// Shared with a running open-data refresh; a patch copies it only if one runs.
    site: Option<Arc<Site>>,
    renderer: Option<Arc<Renderer>>,
    files: BTreeSet<String>,
    /// The open-data files lag behind the pages after an incremental rebuild.
    data_stale: bool,
    /// Counts rebuilds: a refresh made for an older site is not written.
    generation: u64,
    /// An open-data refresh is being made in the background.
    refreshing: bool,
}

/// The open-data files of one state of the site, made off the watcher's thread: at
/// national scale they take a second or more (the search index), which a save made
/// meanwhile must not wait for.
struct DataRefresh {
    site: Arc<Site>,
    renderer: Arc<Renderer>,
    opts: RenderOptions,
    generation: u64,
}

impl DataRefresh {
    /// Makes the files, then writes them if no rebuild came since.
    fn run(self, live: &Mutex<Live>) -> Result<(), Diagnostics> {
        let make = || render_data(&self.site, &self.renderer, &self.opts);
        let files = match background_pool() {
            Some(pool) => pool.install(make),
            None => make(),
        };
        drop(self.site);
        let mut l = live.lock().unwrap_or_else(|e| e.into_inner());
        l.refreshing = false;
        if l.generation != self.generation {
            return Ok(());
        }
        l.data_stale = false;
        l.write(&files, &[]).map(|_| ())
    }
}

/// What a batch of changed paths requires.
#[derive(Debug, PartialEq, Eq)]
enum Scope {
    /// Templates, theme or configuration: reload everything.
    Everything,
    /// Content files: reload content; re-render what they affect.
    Content(Vec<PathBuf>),
}

/// Result of one rebuild, for the terminal and the browser.
pub struct Outcome {
    /// URL paths of the pages this rebuild changed that were not announced already;
    /// `None`: everything may have changed.
    pub paths: Option<Vec<String>>,
    pub pages: usize,
    pub written: usize,
    pub millis: f64,
    /// What `planspor build` would warn about: the whole site's after a full rebuild,
    /// the edited plans' after a patch (not every plan's again on each save).
    pub warnings: Diagnostics,
}

impl Live {
    fn new(root: &Path, out: &Path, base_url: &str, drafts: bool) -> Live {
        Live {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            base_url: base_url.to_string(),
            drafts,
            opts: RenderOptions {
                base_path: Some("/".into()),
                dev_script: Some("/__planspor/reload.js".into()),
            },
            site: None,
            renderer: None,
            files: BTreeSet::new(),
            data_stale: false,
            generation: 0,
            refreshing: false,
        }
    }

    /// The refresh of the open-data files an incremental rebuild left behind, if one is
    /// due: `Err(())` while another still runs (try again later).
    fn data_refresh(&mut self) -> Result<Option<DataRefresh>, ()> {
        if !self.data_stale {
            return Ok(None);
        }
        if self.refreshing {
            return Err(());
        }
        let (Some(site), Some(renderer)) = (&self.site, &self.renderer) else {
            return Ok(None);
        };
        self.refreshing = true;
        Ok(Some(DataRefresh {
            site: site.clone(),
            renderer: renderer.clone(),
            opts: self.opts.clone(),
            generation: self.generation,
        }))
    }

    fn full(&mut self) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let (site, diags) = load_published_site(&self.root, Some(&self.base_url), self.drafts);
        let Some(site) = site else { return Err(diags) };
        if diags.has_errors() {
            return Err(diags);
        }
        let renderer = Arc::new(Renderer::new(&self.root, &site.config.theme)?);
        let warnings = with_site_warnings(&self.root, &site, diags);
        let outcome = self.publish_all(site, &renderer, start)?;
        self.renderer = Some(renderer);
        Ok(Outcome {
            warnings,
            ..outcome
        })
    }

    /// Renders every page and asset of `site`, writes what changed and removes pages
    /// no longer produced; `site` becomes the served one.
    fn publish_all(
        &mut self,
        site: Site,
        renderer: &Renderer,
        start: Instant,
    ) -> Result<Outcome, Diagnostics> {
        let files = render_site(&site, renderer, &self.opts)?;
        let now: BTreeSet<String> = files.iter().map(|(p, _)| p.clone()).collect();
        let stale: Vec<String> = self.files.difference(&now).cloned().collect();
        let written = self.write(&files, &stale)?;
        let pages = files.iter().filter(|(p, _)| p.ends_with(".html")).count();
        self.files = now;
        self.site = Some(Arc::new(site));
        self.generation += 1;
        // The data files were just written with everything else.
        self.data_stale = false;
        Ok(Outcome {
            paths: None,
            pages,
            written,
            millis: start.elapsed().as_secs_f64() * 1000.0,
            warnings: Diagnostics::new(),
        })
    }

    fn write(&self, files: &[OutFile], stale: &[String]) -> Result<usize, Diagnostics> {
        write_files(&self.out, files, stale)
    }

    /// Rebuilds after `changed` paths (absolute).
    fn rebuild(
        &mut self,
        changed: &[PathBuf],
        early: &Announce<'_>,
    ) -> Result<Outcome, Diagnostics> {
        let scope = classify(&self.root, changed);
        let (Scope::Content(paths), Some(old), Some(_)) = (&scope, &self.site, &self.renderer)
        else {
            return self.full();
        };
        let start = Instant::now();
        // Editors that save by rename leave short-lived temporary files: a path that is
        // gone now and was no content file before changed nothing.
        let known: BTreeSet<&Path> = old
            .plans
            .iter()
            .map(|p| p.file.as_path())
            .chain(old.kredse.iter().map(|k| k.file.as_path()))
            .chain(old.kommuner.iter().map(|k| k.file.as_path()))
            .chain(old.indsatser.iter().map(|k| k.file.as_path()))
            .collect();
        let paths: Vec<PathBuf> = paths
            .iter()
            .filter(|p| p.exists() || p.strip_prefix(&self.root).is_ok_and(|r| known.contains(r)))
            .cloned()
            .collect();
        if paths.is_empty() {
            return Ok(Outcome {
                paths: Some(Vec::new()),
                pages: 0,
                written: 0,
                millis: start.elapsed().as_secs_f64() * 1000.0,
                warnings: Diagnostics::new(),
            });
        }
        if let Some(result) = self.patch(&paths, start, early) {
            return result;
        }
        // Anything else (a file added, removed or renamed; a registry, kreds or kommune
        // change; a plan's year or title): reload the content and render everything.
        // Only files whose bytes changed are written, and pages no longer produced go.
        let (site, diags) = load_published_site(&self.root, Some(&self.base_url), self.drafts);
        let Some(site) = site else { return Err(diags) };
        if diags.has_errors() {
            return Err(diags);
        }
        let Some(renderer) = self.renderer.take() else {
            return self.full();
        };
        let warnings = with_site_warnings(&self.root, &site, diags);
        let result = self.publish_all(site, &renderer, start);
        self.renderer = Some(renderer);
        result.map(|outcome| Outcome {
            warnings,
            ..outcome
        })
    }
}

impl Live {
    /// The fast path for the everyday edit, a plan's text: re-reads only the edited plan
    /// files and patches them into the served site (see [`crate::model::update_plans`]),
    /// then re-renders the pages they affect. `None`: not such an edit (a new, removed or
    /// renamed file, another kind of file, a changed year); the caller rebuilds the site.
    ///
    /// The edited plans' own pages (the plan and its comparison, what an author previews)
    /// are written and announced through `early` first; the other affected pages follow.
    fn patch(
        &mut self,
        paths: &[PathBuf],
        start: Instant,
        early: &Announce<'_>,
    ) -> Option<Result<Outcome, Diagnostics>> {
        // Copied only when a background refresh still holds the old one.
        let site = Arc::make_mut(self.site.as_mut()?);
        let mut laps = crate::timing::Laps::start();
        let mut diags = Diagnostics::new();
        let mut edited = Vec::new();
        let mut pages: Vec<Page> = Vec::new();
        for p in paths {
            // A removed file changes the site's shape.
            if !p.is_file() {
                return None;
            }
            let i = plan_index(site, &self.root, p)?;
            match crate::load::load_plan(&self.root, p, &mut diags) {
                // Marked a draft: it leaves the site, which changes the site's shape.
                Some(lp) if lp.doc.front.draft && !self.drafts => return None,
                Some(lp) => edited.push(lp),
                None if diags.has_errors() => {}
                None => return None,
            }
            // Indsatsområder the plan bound before the edit list it too.
            pages.extend(routes::affected_by_plan(site, i));
        }
        if diags.has_errors() {
            return Some(Err(diags));
        }
        laps.lap("patch: read");
        let (indices, warnings) = match crate::model::update_plans(site, edited) {
            Ok(x) => x,
            Err(crate::model::NotPatchable::Structural) => return None,
            Err(crate::model::NotPatchable::Errors(d)) => return Some(Err(d)),
        };
        for &i in &indices {
            pages.extend(routes::affected_by_plan(site, i));
        }
        // The loader's warnings about the edited files, then the model's.
        diags.extend(warnings);
        let read = crate::load::reader(&self.root);
        diags.extend(crate::model::lint::for_plans(site, &read, &|p| {
            indices.contains(&p)
        }));
        pages.sort();
        pages.dedup();
        laps.lap("patch: model");
        let site: &Site = site;
        let own: Vec<Page> = indices
            .iter()
            .flat_map(|&i| [Page::Plan(i), Page::Comparison(i)])
            .filter(|p| pages.contains(p))
            .collect();
        let rest: Vec<Page> = pages.iter().filter(|p| !own.contains(p)).copied().collect();
        let renderer = self.renderer.as_deref()?;
        let mut written = 0;
        for (batch, last) in [(&own, false), (&rest, true)] {
            let files = match render_pages(site, renderer, &self.opts, batch) {
                Ok(f) => f,
                Err(d) => return Some(Err(d)),
            };
            written += match write_files(&self.out, &files, &[]) {
                Ok(n) => n,
                Err(d) => return Some(Err(d)),
            };
            laps.lap(&format!("patch: render and write {} pages", batch.len()));
            if !last && !batch.is_empty() {
                early(&url_paths(site, batch));
            }
        }
        // Open data files depend on every plan; they are refreshed once the editing
        // pauses (see `watch_loop`).
        self.data_stale = true;
        self.generation += 1;
        Some(Ok(Outcome {
            paths: Some(url_paths(site, &rest)),
            pages: pages.len(),
            written,
            millis: start.elapsed().as_secs_f64() * 1000.0,
            warnings: diags,
        }))
    }
}

/// The loader's warnings (`diags`, which holds no error) and what a build warns about
/// the whole site.
fn with_site_warnings(root: &Path, site: &Site, mut diags: Diagnostics) -> Diagnostics {
    diags.extend(crate::site::site_warnings(root, site));
    diags
}

/// Tells open pages which URL paths changed, before the rest of a rebuild is done.
type Announce<'a> = dyn Fn(&[String]) + 'a;

fn write_files(out: &Path, files: &[OutFile], stale: &[String]) -> Result<usize, Diagnostics> {
    write_changed(out, files, stale)
        .map_err(|e| Diagnostics::from(crate::Diagnostic::error(out, e.to_string())))
}

/// The served URL paths of `pages` (serve renders at `/`).
fn url_paths(site: &Site, pages: &[Page]) -> Vec<String> {
    pages
        .iter()
        .map(|&p| format!("/{}", routes::path(site, p)))
        .collect()
}

fn plan_index(site: &Site, root: &Path, abs: &Path) -> Option<usize> {
    let rel = abs.strip_prefix(root).ok()?;
    site.plans.iter().position(|p| p.file == rel)
}

/// Which paths matter and what they require.
fn classify(root: &Path, changed: &[PathBuf]) -> Scope {
    let mut content = Vec::new();
    for p in changed {
        let Ok(rel) = p.strip_prefix(root) else {
            continue;
        };
        if rel.starts_with("content") {
            content.push(p.clone());
        } else {
            return Scope::Everything;
        }
    }
    Scope::Content(content)
}

/// Paths a change notification is about, minus editor droppings.
fn relevant(root: &Path, out: &Path, p: &Path) -> bool {
    if p.starts_with(out) {
        return false;
    }
    let Ok(rel) = p.strip_prefix(root) else {
        return false;
    };
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
    {
        return false;
    }
    rel.starts_with("content")
        || rel.starts_with("themes")
        || rel.starts_with("templates")
        || rel == Path::new("planspor.toml")
}

/// The port `serve` listens on when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// Binds the server. The default port, when in use, moves on to the next ones, said
/// aloud; a port given with `--port` is that port or an error.
fn bind(bind: &str, given: Option<u16>) -> Result<std::net::TcpListener, String> {
    if let Some(port) = given {
        return std::net::TcpListener::bind((bind, port)).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("cannot listen on {bind}:{port}: the port is in use ({e}); stop what holds it, or leave out --port to take {DEFAULT_PORT} or the next free port")
            } else {
                format!("cannot listen on {bind}:{port}: {e}")
            }
        });
    }
    let port = DEFAULT_PORT;
    let tries = 10;
    let mut last = String::new();
    for i in 0..tries {
        let p = port.saturating_add(i);
        match std::net::TcpListener::bind((bind, p)) {
            Ok(s) => {
                if i > 0 {
                    println!("port {port} is in use; serving on port {p} instead");
                }
                return Ok(s);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = e.to_string(),
            Err(e) => return Err(format!("cannot listen on {bind}:{p}: {e}")),
        }
    }
    Err(format!(
        "cannot listen on {bind}: ports {port}–{} are in use ({last}); choose another with --port",
        port.saturating_add(tries - 1)
    ))
}

/// Runs the preview until the process is stopped.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", opts.root.display()))?;
    let listener = bind(&opts.bind, opts.port)?;
    let mut addr = listener.local_addr().map_err(|e| e.to_string())?;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    // SocketAddr puts an IPv6 address in brackets, as a URL needs.
    let base_url = format!("http://{addr}/");
    let (_remove_out, out) = output_folder()?;
    let live = Arc::new(Mutex::new(Live::new(&root, &out, &base_url, opts.drafts)));
    let status = Arc::new(RwLock::new(Status {
        generation: 0,
        error: None,
    }));
    let clients = Arc::new(Clients::default());
    {
        // Waiting for the lock lets a rebuild finish writing before the folder goes.
        let (live, private) = (live.clone(), _remove_out.0.clone());
        cleanup::on_termination(move || {
            let _held = live.lock().unwrap_or_else(|e| e.into_inner());
            let _ = std::fs::remove_dir_all(&private);
        })?;
    }
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    first_build(&live, &status, color);
    println!("Serving {} at {base_url}", root.display());
    println!("Watching content/, themes/, templates/ and planspor.toml; press Ctrl+C to stop.");
    let _ = std::io::stdout().flush();
    if opts.open {
        let _ = std::process::Command::new("xdg-open")
            .arg(&base_url)
            .spawn();
    }
    let watching = Watching {
        root,
        out: out.clone(),
        live,
        status: status.clone(),
        clients: clients.clone(),
        color,
    };
    watching.start()?;
    let bind_name = opts.bind.clone();
    server::serve(listener, move |req| {
        handle(req, &out, &bind_name, &status, &clients)
    });
    Ok(())
}

/// A new, empty output folder for this server, in a private folder removed when the
/// guard drops, after removing those of servers that were killed outright.
fn output_folder() -> Result<(cleanup::RemoveOnDrop, PathBuf), String> {
    let stale = cleanup::remove_stale(&std::env::temp_dir());
    if stale > 0 {
        eprintln!("removed {stale} output folder(s) of planspor serve processes no longer running");
    }
    // A folder only this user can enter, created anew: its name is predictable, and a
    // folder another user made there in advance would let them change what is served.
    // The output and its state folder both live inside it.
    let private = cleanup::out_dir();
    if private.symlink_metadata().is_ok() {
        if !crate::write::is_own_folder(&private) {
            return Err(format!(
                "{}: exists and is not a folder of this user; remove it, or set TMPDIR to a private folder",
                private.display()
            ));
        }
        let _ = std::fs::remove_dir_all(&private);
    }
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&private)
            .map_err(|e| format!("{}: {e}", private.display()))?;
    }
    let guard = cleanup::RemoveOnDrop(private.clone());
    let out = private.join("site");
    std::fs::create_dir(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = out.canonicalize().map_err(|e| e.to_string())?;
    Ok((guard, out))
}

/// The first build; a failed one is shown in the browser until a save fixes it.
fn first_build(live: &Mutex<Live>, status: &RwLock<Status>, color: bool) {
    let mut l = live.lock().unwrap_or_else(|e| e.into_inner());
    match l.full() {
        Ok(o) => {
            eprintln!("built {} pages in {:.0} ms", o.pages, o.millis);
            if !o.warnings.is_empty() {
                eprint!("{}", o.warnings.render(color));
            }
        }
        Err(d) => {
            eprint!("{}", d.render(color));
            if let Ok(mut s) = status.write() {
                s.error = Some(d.render(false));
            }
        }
    }
}

/// What the watcher thread works with. `root` and `out` are copies of `Live`'s: the
/// watcher filters every file event by them, and a rebuild holds `Live`'s lock.
struct Watching {
    root: PathBuf,
    out: PathBuf,
    live: Arc<Mutex<Live>>,
    status: Arc<RwLock<Status>>,
    clients: Arc<Clients>,
    color: bool,
}

impl Watching {
    /// Watches content/, themes/, templates/ and planspor.toml, and rebuilds on a
    /// thread of its own.
    fn start(self) -> Result<(), String> {
        let (tx, rx) = channel::<notify::Result<notify::Event>>();
        let mut watcher =
            notify::recommended_watcher(tx).map_err(|e| format!("cannot watch files: {e}"))?;
        for sub in ["content", "themes", "templates"] {
            let p = self.root.join(sub);
            if p.is_dir() {
                watcher
                    .watch(&p, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", p.display()))?;
            }
        }
        // planspor.toml, and templates/ or themes/ appearing later.
        watcher
            .watch(&self.root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", self.root.display()))?;
        std::thread::spawn(move || {
            self.watch(rx, &mut watcher);
        });
        Ok(())
    }

    /// Watches `content/`, `themes/` or `templates/` again after a batch that created,
    /// removed or moved one of them: a folder made after the start (a first template
    /// override) or put back under its name (`mv content x; mv x content`) is a new
    /// folder to the system's watcher, which went on watching the old one or none.
    fn rewatch(&self, changed: &[PathBuf], watcher: &mut dyn Watcher) {
        for sub in ["content", "themes", "templates"] {
            let p = self.root.join(sub);
            if !changed.iter().any(|c| c == &p) {
                continue;
            }
            let _ = watcher.unwatch(&p);
            if p.is_dir() {
                let _ = watcher.watch(&p, RecursiveMode::Recursive);
            }
        }
    }
}

impl Watching {
    /// Rebuilds on every batch of saves (events less than `DEBOUNCE` apart), and once
    /// the saves have settled for `SETTLE`, refreshes the open data in the background.
    fn watch(&self, rx: Receiver<notify::Result<notify::Event>>, watcher: &mut dyn Watcher) {
        let mut data_pending = false;
        loop {
            let first = if data_pending {
                match rx.recv_timeout(SETTLE) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) => {
                        data_pending = start_data_refresh(&self.live, self.color);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(ev) => ev,
                    Err(_) => return,
                }
            };
            let Some(changed) = self.batch(first, &rx) else {
                return;
            };
            self.rewatch(&changed, watcher);
            if !changed.is_empty() && self.rebuild(&changed) {
                data_pending = true;
            }
        }
    }

    /// The site's files changed by `first` and the events that follow it within
    /// `DEBOUNCE`; `None` when the watcher is gone.
    fn batch(
        &self,
        first: notify::Result<notify::Event>,
        rx: &Receiver<notify::Result<notify::Event>>,
    ) -> Option<Vec<PathBuf>> {
        let mut changed: BTreeSet<PathBuf> = BTreeSet::new();
        let mut add = |ev: notify::Result<notify::Event>| {
            if let Ok(ev) = ev {
                if matches!(ev.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for p in ev.paths {
                    if relevant(&self.root, &self.out, &p) {
                        changed.insert(p);
                    }
                }
            }
        };
        add(first);
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(ev) => add(ev),
                Err(RecvTimeoutError::Timeout) => return Some(changed.into_iter().collect()),
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Rebuilds after `changed` and tells the browsers; a failed build is shown there
    /// while the last good one is still served. Whether pages changed (so the open data
    /// is behind).
    fn rebuild(&self, changed: &[PathBuf]) -> bool {
        let (status, clients) = (&*self.status, &*self.clients);
        let early = |paths: &[String]| announce(status, clients, Some(paths));
        let result = self
            .live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .rebuild(changed, &early);
        // An editor's temporary file (`sed -i`, save by rename) is gone by now: the
        // file it became is named, not it.
        let present: Vec<&PathBuf> = changed.iter().filter(|p| p.exists()).collect();
        let shown = if present.is_empty() {
            changed.iter().collect()
        } else {
            present
        };
        let names: Vec<String> = shown
            .into_iter()
            .map(|p| {
                p.strip_prefix(&self.root)
                    .unwrap_or(p)
                    .display()
                    .to_string()
            })
            .collect();
        match result {
            Ok(o) if o.pages == 0 => false,
            Ok(o) => {
                announce(status, clients, o.paths.as_deref());
                eprintln!(
                    "{}: rebuilt {} {} ({} {} changed) in {:.1} ms",
                    names.join(", "),
                    o.pages,
                    if o.pages == 1 { "page" } else { "pages" },
                    o.written,
                    if o.written == 1 { "file" } else { "files" },
                    o.millis
                );
                if !o.warnings.is_empty() {
                    eprint!("{}", o.warnings.render(self.color));
                }
                true
            }
            Err(d) => {
                let text = d.render(false);
                // An editor's save can come as two events past the debounce (a write,
                // then a rename): the same error is said once.
                let again = status.read().is_ok_and(|s| s.error.as_ref() == Some(&text));
                if !again {
                    eprint!("{}", d.render(self.color));
                    eprintln!("the last good build is still being served");
                }
                if let Ok(mut s) = status.write() {
                    s.error = Some(text.clone());
                }
                clients.broadcast(
                    "build-error",
                    &serde_json::to_string(&text).unwrap_or_default(),
                );
                false
            }
        }
    }
}

/// Tells open pages to reload: those showing one of `paths`, or all of them (`None`).
fn announce(status: &RwLock<Status>, clients: &Clients, paths: Option<&[String]>) {
    let generation = {
        let mut s = status.write().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        s.error = None;
        s.generation
    };
    let data = serde_json::json!({ "generation": generation, "paths": paths });
    clients.broadcast("reload", &data.to_string());
}

/// One low-priority thread for open-data refreshes. On rayon's global pool the refresh's
/// tasks would queue ahead of the next save's pages, which then wait a second for it.
fn background_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "planspor-data".into())
            .start_handler(|_| {
                // SAFETY: setpriority on the calling thread (who 0) only lowers its
                // priority; a failure leaves it as it was.
                unsafe {
                    libc::setpriority(libc::PRIO_PROCESS, 0, 10);
                }
            })
            .build()
            .ok()
    })
    .as_ref()
}

/// Starts the open-data refresh in the background if one is due; `true` if it must be
/// tried again later (another is still running).
fn start_data_refresh(live: &Arc<Mutex<Live>>, color: bool) -> bool {
    let job = live
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .data_refresh();
    match job {
        Err(()) => true,
        Ok(None) => false,
        Ok(Some(job)) => {
            let live = live.clone();
            std::thread::spawn(move || {
                if let Err(d) = job.run(&live) {
                    eprint!("{}", d.render(color));
                }
            });
            false
        }
    }
}

fn handle(
    req: &Request,
    out: &Path,
    bind: &str,
    status: &RwLock<Status>,
    clients: &Clients,
) -> Reply {
    let Some(host) = &req.host else {
        return Reply::Full(Response::text(400, "A Host header is required.\n"));
    };
    if !http::host_allowed(host, bind) {
        return Reply::Full(Response::text(
            403,
            "planspor serve answers only requests addressed to localhost, 127.0.0.1, [::1] \
             or its --bind address. This Host header names something else, which is how \
             another web site would read the preview (DNS rebinding).\n",
        ));
    }
    if req.method != "GET" && req.method != "HEAD" {
        return Reply::Full(Response::text(405, "Only GET and HEAD.\n").with("Allow", "GET, HEAD"));
    }
    let path = req.target.split('?').next().unwrap_or_default();
    Reply::Full(match path {
        "/__planspor/reload.js" => Response::new(200, "text/javascript; charset=utf-8", RELOAD_JS)
            .with("Cache-Control", "no-store"),
        "/__planspor/status" => {
            let body = {
                let s = status.read().unwrap_or_else(|e| e.into_inner());
                serde_json::json!({ "generation": s.generation, "error": s.error }).to_string()
            };
            Response::new(200, "application/json", body).with("Cache-Control", "no-store")
        }
        "/__planspor/events" => {
            let (tx, rx) = channel::<String>();
            if let Ok(mut s) = clients.senders.lock() {
                s.push(tx);
            }
            return Reply::Events(rx);
        }
        _ => serve_file(out, &req.target),
    })
}

/// A file of the built site, its 404 page, or a redirect to a folder's address.
fn serve_file(out: &Path, url: &str) -> Response {
    use http::Resolved;
    let file = |path: &Path, code: u16| match std::fs::File::open(path)
        .and_then(|f| Response::file(code, http::content_type(path), f))
    {
        Ok(r) => r.with("Cache-Control", "no-store"),
        Err(_) => Response::text(404, "not found"),
    };
    match http::resolve(out, url) {
        Resolved::File(p) => file(&p, 200),
        Resolved::Redirect(to) => Response::text(301, "").with("Location", to),
        Resolved::BadRequest => Response::text(400, "bad request"),
        Resolved::NotFound => {
            let nf = out.join("404.html");
            if nf.is_file() {
                file(&nf, 404)
            } else {
                Response::new(
                    404,
                    "text/html; charset=utf-8",
                    "<!DOCTYPE html><html lang=\"da\"><title>Ikke fundet</title><h1>Ikke fundet</h1><script src=\"/__planspor/reload.js\"></script></html>",
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_of_changes() {
        let root = Path::new("/site");
        assert_eq!(
            classify(root, &[PathBuf::from("/site/content/kredse/a/_index.md")]),
            Scope::Content(vec![PathBuf::from("/site/content/kredse/a/_index.md")])
        );
        assert_eq!(
            classify(
                root,
                &[PathBuf::from("/site/themes/standard/templates/plan.html")]
            ),
            Scope::Everything
        );
        assert_eq!(
            classify(root, &[PathBuf::from("/site/planspor.toml")]),
            Scope::Everything
        );
        let out = Path::new("/tmp/out");
        assert!(relevant(root, out, Path::new("/site/content/x.md")));
        assert!(!relevant(root, out, Path::new("/site/content/.x.md.swp")));
        assert!(!relevant(root, out, Path::new("/site/content/4913")));
        assert!(!relevant(root, out, Path::new("/site/target/debug/x")));
        assert!(relevant(root, out, Path::new("/site/planspor.toml")));
    }
}
