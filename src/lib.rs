//! planspor: a static site generator for the cooperation plans of Danish police
//! districts (kredse) and kommuner, tracking each indsatsområde across years.
//!
//! The pipeline flows one way, one module per stage:
//! [`load`] (walk + parse) → [`model`] (validated, cross-linked site graph) →
//! [`routes`] (every page and its URL) → [`render`] (Tera) → [`write`] (atomic output).
//! [`site`] runs the stages in order; [`check`] runs them without writing.

// Errors carry a located `Diagnostic`; they are the cold path, so their size does not
// matter and boxing them would only add noise.
#![allow(clippy::result_large_err)]
// `render::value!` reads a template context's literal a token at a time, as
// `serde_json::json!` does; the largest page contexts need more than the default 128.
#![recursion_limit = "512"]

pub mod check;
pub mod collate;
pub mod config;
pub mod corpus;
pub mod diagnostics;
#[doc(hidden)]
pub mod harness;
pub mod import;
pub mod init;
pub mod load;
pub mod memo;
pub mod model;
pub mod render;
pub mod routes;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod timing;
pub mod url;
pub mod write;

pub use diagnostics::{Diagnostic, Diagnostics};

/// A fresh, empty folder for one unit test, named per process so that test runs of
/// other checkouts on the machine do not meet in it.
#[cfg(test)]
pub(crate) fn test_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("planspor-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("a temporary folder");
    d
}

/// The default site (`content/`), modelled, for unit tests.
#[cfg(test)]
pub(crate) fn default_site() -> model::Site {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (site, _) = site::load_site(root, None);
    site.expect("the default site loads")
}
