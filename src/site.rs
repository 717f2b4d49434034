//! The pipeline end to end: load → model → routes → render → write.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::render::{RenderOptions, Renderer};
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
    pub render: RenderOptions,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: usize,
    pub warnings: Diagnostics,
}

/// Loads and validates a site: config, content, model. Errors and warnings are all in
/// the returned diagnostics; the site is `None` only when nothing could be modelled.
pub fn load_site(root: &Path, base_url: Option<&str>) -> (Option<Site>, Diagnostics) {
    let mut config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => return (None, d),
    };
    if let Some(b) = base_url {
        config.base_url = if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        };
    }
    let t0 = std::time::Instant::now();
    let (loaded, mut diags) = crate::load::load(root);
    let t1 = t0.elapsed();
    let site = crate::model::build(config, loaded, &mut diags);
    if std::env::var_os("PLANSPOR_TIMINGS").is_some() {
        eprintln!(
            "timings: load {:.1} ms, model {:.1} ms (evolution included)",
            t1.as_secs_f64() * 1000.0,
            (t0.elapsed() - t1).as_secs_f64() * 1000.0
        );
    }
    (Some(site), diags)
}

/// Renders every page and asset of `site`, in parallel, sorted by path.
pub fn render_site(
    site: &Site,
    renderer: &Renderer,
    opts: &RenderOptions,
) -> Result<Vec<OutFile>, Diagnostics> {
    let base = opts
        .base_path
        .clone()
        .unwrap_or_else(|| site.config.base_path());
    let r = Routes::new(site, base);
    let pages = routes::all(site);
    let results: Vec<Result<OutFile, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            renderer
                .render(site, &r, opts, page)
                .map(|html| (routes::file(site, page), html.into_bytes()))
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut files: Vec<OutFile> = Vec::with_capacity(results.len() + 16);
    for res in results {
        match res {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    files.extend(
        renderer
            .theme
            .statics
            .iter()
            .map(|(rel, b)| (format!("static/{rel}"), b.clone())),
    );
    files.extend(renderer.data_files(site, &r));
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
    let base = opts
        .base_path
        .clone()
        .unwrap_or_else(|| site.config.base_path());
    let r = Routes::new(site, base);
    let mut diags = Diagnostics::new();
    let results: Vec<Result<OutFile, Diagnostic>> = pages
        .par_iter()
        .map(|&page| {
            renderer
                .render(site, &r, opts, page)
                .map(|html| (routes::file(site, page), html.into_bytes()))
        })
        .collect();
    let mut files = Vec::new();
    for res in results {
        match res {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(files)
}

/// The open-data files, feed, search index and sitemap.
pub fn render_data(site: &Site, renderer: &Renderer, opts: &RenderOptions) -> Vec<OutFile> {
    let base = opts
        .base_path
        .clone()
        .unwrap_or_else(|| site.config.base_path());
    renderer.data_files(site, &Routes::new(site, base))
}

/// `planspor build`: everything, then the atomic swap. On any error the previous
/// output is left exactly as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let (site, diags) = load_site(&opts.root, opts.base_url.as_deref());
    let Some(site) = site else { return Err(diags) };
    if diags.has_errors() {
        return Err(diags);
    }
    let renderer = match Renderer::new(&opts.root, &site.config.theme) {
        Ok(r) => r,
        Err(mut d) => {
            d.extend(diags);
            return Err(d);
        }
    };
    let output = opts.output_dir();
    let write_error = |e: write::WriteError, diags: Diagnostics| {
        let mut d = diags;
        d.push(Diagnostic::error(&output, e.to_string()));
        d
    };
    // Pages are written into the staging folder as they are rendered, so memory holds
    // the model and a page per thread, not the whole site; the swap comes at the end.
    let staging = match write::Staging::begin(&output) {
        Ok(s) => s,
        Err(e) => return Err(write_error(e, diags)),
    };
    let base = opts
        .render
        .base_path
        .clone()
        .unwrap_or_else(|| site.config.base_path());
    let r = Routes::new(&site, base);
    let pages = routes::all(&site);
    let written: Vec<Result<usize, Result<Diagnostic, write::WriteError>>> = pages
        .par_iter()
        .map(|&page| {
            let html = renderer.render(&site, &r, &opts.render, page).map_err(Ok)?;
            staging
                .put(&routes::file(&site, page), html.as_bytes())
                .map_err(Err)?;
            Ok(html.len())
        })
        .collect();
    let mut errors = Diagnostics::new();
    let mut bytes = 0;
    for w in written {
        match w {
            Ok(n) => bytes += n,
            Err(Ok(d)) => errors.push(d),
            Err(Err(e)) => return Err(write_error(e, diags)),
        }
    }
    if errors.has_errors() {
        errors.extend(diags);
        return Err(errors);
    }
    let mut files = pages.len();
    let extra = renderer
        .theme
        .statics
        .iter()
        .map(|(rel, b)| (format!("static/{rel}"), b.clone()))
        .chain(renderer.data_files(&site, &r));
    for (rel, b) in extra {
        if let Err(e) = staging.put(&rel, &b) {
            return Err(write_error(e, diags));
        }
        bytes += b.len();
        files += 1;
    }
    if let Err(e) = staging.commit() {
        return Err(write_error(e, diags));
    }
    Ok(BuildReport {
        pages: pages.len(),
        files,
        bytes,
        warnings: diags,
    })
}
