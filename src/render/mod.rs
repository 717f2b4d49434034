//! Render: pages to HTML with Tera templates, plus the open-data files.
//!
//! Templates come from the theme (`themes/<theme>/templates/`), overridden file by file
//! by the site's own `templates/`; the standard theme is also built into the binary so
//! a site without a `themes/` folder still builds. Templates are compiled once per
//! build and shared by all rendering threads.

pub(crate) mod calendar;
mod chart;
pub mod compare;
pub mod context;
mod data;
pub mod diff;
pub(crate) mod feeds;
pub mod items;
pub mod markdown;
mod open_data;
mod pages;
pub mod theme;
pub(crate) mod value;
mod xml;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::memo::Memo;
use crate::model::digest::{Digests, Fingerprint};
use crate::model::Site;
use crate::routes::{Page, Routes};
pub use pages::reads_plans;
pub use theme::Theme;

/// Rendering options that differ between `build` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Base path override (serve mode uses the served address, `/`).
    pub base_path: Option<String>,
    /// Script injected into every page in serve mode (live reload); never in `build`.
    pub dev_script: Option<String>,
}

/// A page's template and the context it is rendered with.
pub struct PageInput {
    template: &'static str,
    context: Value,
}

/// Feeds a JSON value into a hash: a tag per node, lengths before contents, so that
/// different values give different byte streams. Objects are sorted maps, so equal
/// values hash equal. (Walking the value is cheaper than serializing it: no escaping.)
/// A page part the memo defers ([`Memo::deferred_text`]) is hashed by its key: the same
/// whether this build computed the part or only referred to the last build's.
fn hash_value(h: &mut Fingerprint, memo: &Memo, v: &Value) {
    match v {
        Value::String(s) if s.starts_with('\0') => match memo.reference_key(s) {
            Some(key) => {
                h.bytes(b"m");
                h.bytes(&key.to_le_bytes());
            }
            None => {
                h.bytes(b"s");
                h.text(s);
            }
        },
        Value::Null => h.bytes(b"n"),
        Value::Bool(b) => h.bytes(if *b { b"t" } else { b"f" }),
        Value::Number(n) => {
            h.bytes(b"#");
            h.text(&n.to_string());
        }
        Value::String(s) => {
            h.bytes(b"s");
            h.text(s);
        }
        Value::Array(a) => {
            h.bytes(b"[");
            h.bytes(&(a.len() as u64).to_le_bytes());
            a.iter().for_each(|x| hash_value(h, memo, x));
        }
        Value::Object(m) => {
            h.bytes(b"{");
            h.bytes(&(m.len() as u64).to_le_bytes());
            for (k, x) in m {
                h.text(k);
                hash_value(h, memo, x);
            }
        }
    }
}

/// Puts the memo's texts in place of the references to them in a page's context.
fn resolve(memo: &Memo, v: &mut Value) -> Result<(), crate::memo::Damaged> {
    match v {
        Value::String(s) => memo.resolve(s),
        Value::Array(a) => a.iter_mut().try_for_each(|x| resolve(memo, x)),
        Value::Object(m) => m.values_mut().try_for_each(|x| resolve(memo, x)),
        _ => Ok(()),
    }
}

/// Where made files go as they are made: a path relative to the output, and the bytes.
/// Any `Fn(String, Vec<u8>)` is one that keeps nothing.
pub trait Sink: Sync {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<(), Diagnostic>;

    /// Keeps the file at `path` as the last build published it, if that build made it
    /// from inputs with the hash `key` and the file is intact: the caller need not make
    /// it. False: make it and hand it to [`Sink::put_made_from`].
    fn keep(&self, _path: &str, _key: u128) -> bool {
        false
    }

    /// [`Sink::put`] of a file made from inputs with the hash `key`, so that the next
    /// build can [`Sink::keep`] it.
    fn put_made_from(&self, path: String, _key: u128, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self.put(path, bytes)
    }

    /// The file at `path`: with a `key` (the hash of what it is made from), kept as the
    /// last build published it ([`Sink::keep`]) or made and put with its key; without
    /// one, made and put. Returns whether it was made.
    fn put_keyed(
        &self,
        path: String,
        key: Option<u128>,
        make: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<bool, Diagnostic> {
        match key {
            Some(key) if self.keep(&path, key) => return Ok(false),
            Some(key) => self.put_made_from(path, key, make()),
            None => self.put(path, make()),
        }
        .map(|()| true)
    }

    /// The memo of the build this sink writes for, which keeps costly parts of data
    /// files (the search index's word counts) for the next build; `None`: none is kept.
    fn memo(&self) -> Option<&crate::memo::Memo> {
        None
    }

    /// The file `path` as the last build published it, with where its items are (what
    /// [`Sink::put_items`] noted then; see [`items`]), when they were noted under the same
    /// `keyed_by` (what all the file's item keys share: the site-wide state). `None`:
    /// every item is made.
    fn kept_items(&self, _path: &str, _keyed_by: u128) -> Option<items::KeptItems> {
        None
    }

    /// [`Sink::put`] of a file of items that `write` writes, returning where its items
    /// are: a sink that writes files takes it without holding it whole (the national
    /// open data is 45 MB) and notes the items, under `keyed_by`, for the next build's
    /// [`Sink::kept_items`]; this one collects the bytes.
    fn put_items(
        &self,
        path: String,
        _keyed_by: Option<u128>,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<Vec<items::ItemAt>>,
    ) -> Result<(), Diagnostic> {
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| Diagnostic::error(&path, e.to_string()))?;
        self.put(path, bytes)
    }
}

impl<F: Fn(String, Vec<u8>) -> Result<(), Diagnostic> + Sync> Sink for F {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        self(path, bytes)
    }
}

pub struct Renderer {
    tera: Tera,
    pub theme: Theme,
    /// A hash of every template's name and text, for page fingerprints.
    templates_hash: u128,
    /// Costly page parts (Markdown HTML, diff HTML) kept between builds; off unless
    /// [`Renderer::with_memo`] gave one.
    memo: Arc<Memo>,
}

impl Renderer {
    /// Loads and compiles the templates of `theme` for the site at `root`.
    pub fn new(root: &Path, theme_name: &str) -> Result<Renderer, Diagnostics> {
        let theme = Theme::load(root, theme_name)?;
        let mut tera = Tera::default();
        // Templates may come from someone else's pull request: they get no way to read
        // the build's environment (a CI token) into a page.
        tera.register_function(
            "get_env",
            |_: &std::collections::HashMap<String, tera::Value>| {
                Err(tera::Error::msg(
                    "get_env is not available: templates cannot read the environment",
                ))
            },
        );
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which makes every URL in the output read
        // `&#x2F;`; escaping the five HTML-significant characters is enough.
        tera.set_escape_fn(markdown::escape);
        if let Err(e) = tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        ) {
            // Tera names the failing template in its message: `Failed to parse "plan.html"`.
            // The name right after "Failed to parse" first: the quoted source line in the
            // message may name another template (`{% extends "base.html" %}`).
            let msg = error_chain(&e);
            let failed = msg
                .split_once("Failed to parse ")
                .and_then(|(_, rest)| rest.get(1..))
                .and_then(|rest| rest.split(['\'', '"']).next());
            let named = theme
                .templates
                .iter()
                .find(|t| Some(t.name.as_str()) == failed)
                .or_else(|| {
                    theme.templates.iter().find(|t| {
                        msg.contains(&format!("'{}'", t.name))
                            || msg.contains(&format!("\"{}\"", t.name))
                    })
                });
            let mut diags = Diagnostics::new();
            diags.push(match named {
                Some(t) => template_diagnostic(&t.shown, &t.text, &e),
                None => Diagnostic::error("templates", msg),
            });
            return Err(diags);
        }
        let mut h = Fingerprint::new();
        for t in &theme.templates {
            h.text(&t.name);
            h.text(&t.text);
        }
        Ok(Renderer {
            tera,
            theme,
            templates_hash: h.digest(),
            memo: Arc::new(Memo::off()),
        })
    }

    /// This renderer, taking costly page parts from `memo` when it has them.
    pub fn with_memo(self, memo: Arc<Memo>) -> Renderer {
        Renderer { memo, ..self }
    }

    /// Renders one page to HTML.
    pub fn render(
        &self,
        site: &Site,
        routes: &Routes,
        opts: &RenderOptions,
        page: Page,
    ) -> Result<String, Diagnostic> {
        self.render_input(routes, page, self.input(site, routes, opts, page))
    }

    /// What the page's template is given: everything its HTML depends on besides the
    /// templates themselves.
    pub fn input(
        &self,
        site: &Site,
        routes: &Routes,
        opts: &RenderOptions,
        page: Page,
    ) -> PageInput {
        let (template, mut ctx) = pages::context(site, routes, &self.memo, page);
        let common = pages::common(site, routes, &self.memo, opts, page);
        if let (Value::Object(m), Value::Object(c)) = (&mut ctx, common) {
            for (k, v) in c {
                m.entry(k).or_insert(v);
            }
        }
        PageInput {
            template,
            context: ctx,
        }
    }

    /// A hash of everything a page's HTML is made from: the templates and `input`.
    /// Equal fingerprints give equal HTML (the templates read nothing else: no clock,
    /// no environment, no files).
    pub fn fingerprint(&self, input: &PageInput) -> u128 {
        let mut h = Fingerprint::new();
        h.bytes(&self.templates_hash.to_le_bytes());
        h.bytes(input.template.as_bytes());
        h.bytes(&[0]);
        hash_value(&mut h, &self.memo, &input.context);
        h.digest()
    }

    /// A key for `page` made without building its context: a hash of the templates,
    /// the options, the site-wide state and the plans the page reads
    /// ([`pages::reads_plans`]), from their [`Digests`]. Equal keys give equal HTML,
    /// as equal fingerprints do. `None` for a page that reads more than that.
    pub fn quick_key(
        &self,
        site: &Site,
        digests: &Digests,
        routes: &Routes,
        opts: &RenderOptions,
        page: Page,
    ) -> Option<u128> {
        let plans = pages::reads_plans(site, page)?;
        let mut h = Fingerprint::new();
        h.bytes(b"quick key 2\0");
        h.bytes(&self.templates_hash.to_le_bytes());
        h.text(&routes.base);
        h.text(&format!("{opts:?}\0{page:?}"));
        h.bytes(&digests.global.to_le_bytes());
        for p in plans {
            h.bytes(&(p as u64).to_le_bytes());
            h.bytes(&digests.plans[p].to_le_bytes());
        }
        Some(h.digest())
    }

    /// Renders a page from its [`PageInput`].
    pub fn render_input(
        &self,
        routes: &Routes,
        page: Page,
        input: PageInput,
    ) -> Result<String, Diagnostic> {
        let template = input.template;
        let mut value = input.context;
        resolve(&self.memo, &mut value).map_err(|e| Diagnostic::error(template, e.to_string()))?;
        let context = tera::Context::from_value(value)
            .map_err(|e| Diagnostic::error(template, error_chain(&e)))?;
        self.tera.render(template, &context).map_err(|e| {
            let shown = self
                .theme
                .templates
                .iter()
                .find(|t| t.name == template)
                .map_or_else(|| template.into(), |t| t.shown.clone());
            Diagnostic::error(
                shown,
                format!("cannot render {}: {}", routes.url(page), error_chain(&e)),
            )
        })
    }

    /// Non-HTML outputs: open data, feeds, calendars, search index, sitemap, and the
    /// texts the "compare any two" pickers diff in the browser. (path, bytes)
    pub fn data_files(&self, site: &Site, routes: &Routes) -> Vec<(String, Vec<u8>)> {
        let files = std::sync::Mutex::new(Vec::new());
        let collect = |path: String, bytes: Vec<u8>| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((path, bytes));
            Ok(())
        };
        // The sink above cannot fail.
        let _ = rayon::join(
            || crate::search::files_into(site, routes, &collect),
            || self.data_files_into(site, routes, None, &collect),
        );
        // In the order they were made; `render_site` sorts the whole site once.
        files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// [`Renderer::data_files`] but the search index, each file handed to `sink` as soon
    /// as it is made, so a build holds a few files at a time instead of all of them
    /// (115 MB at national scale). Stops at the sink's first error. A build makes the
    /// search index apart ([`crate::search::files_into`]): it needs no evolution, and
    /// starts before it.
    ///
    /// With the model's `digests`, the open data's items have keys, and a sink that
    /// kept the last build's files copies the unchanged ones from them (see [`items`]).
    pub fn data_files_into(
        &self,
        site: &Site,
        routes: &Routes,
        digests: Option<&Digests>,
        sink: &dyn Sink,
    ) -> Result<(), Diagnostic> {
        let timed = |label: &str, f: &dyn Fn() -> Result<(), Diagnostic>| {
            let mut laps = crate::timing::Laps::start();
            let done = f();
            laps.lap(label);
            done
        };
        let keys = digests.map(|d| open_data::Keys::new(site, d, routes));
        let keys = keys.as_ref();
        let (data, texts) = rayon::join(
            || timed("data files", &|| data::files_into(site, routes, keys, sink)),
            || {
                timed("compare texts", &|| {
                    compare::files_into(site, routes, keys, sink)
                })
            },
        );
        data.and(texts)
    }

    /// The theme's static files and the data files, by output path (the link check
    /// needs them before they exist).
    pub fn asset_names(&self, site: &Site) -> impl Iterator<Item = String> + '_ {
        let statics = self
            .theme
            .statics
            .iter()
            .map(|(rel, _)| format!("static/{rel}"));
        statics.chain(data::names(site))
    }
}

/// A template syntax error, located at the line Tera reports.
fn template_diagnostic(shown: &Path, text: &str, e: &tera::Error) -> Diagnostic {
    let msg = error_chain(e);
    // Tera (pest) reports positions as "--> line:col".
    let pos = msg.split("--> ").nth(1).and_then(|r| {
        let mut it = r
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        Some((
            it.next()?.parse::<usize>().ok()?,
            it.next()?.parse::<usize>().ok()?,
        ))
    });
    let src: Arc<str> = Arc::from(text);
    let first = msg
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("template error")
        .trim()
        .to_string();
    let mut d = Diagnostic::error(shown, format!("template syntax error: {first}"));
    if let Some((line, col)) = pos {
        let span = crate::diagnostics::line_span(text, line);
        let start = (span.start + col.saturating_sub(1)).min(span.end);
        d = d.at(&src, start..span.end.max(start + 1).min(text.len()));
    }
    d.with_help(
        msg.lines()
            .skip(1)
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Tera errors keep their detail in the source chain.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
