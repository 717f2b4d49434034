//! `planspor.toml`: site-wide settings.

use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::frontmatter::toml_diagnostic;

/// Site configuration as written in `planspor.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL the site is published at; its path is the prefix of every link.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Who publishes the site (footer, accessibility statement).
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub accessibility: Option<Accessibility>,
    /// The terms the open data is published under.
    #[serde(default)]
    pub data: Option<DataTerms>,
}

/// `[data]`: the licence of the open-data files, stated on `/data/`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DataTerms {
    /// E.g. "CC BY 4.0".
    pub licence: String,
    pub licence_url: Option<String>,
}

/// Facts for the accessibility statement (tilgængelighedserklæring).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    pub contact_email: Option<String>,
    pub statement_date: Option<String>,
    #[serde(default)]
    pub known_issues: Vec<String>,
}

fn default_language() -> String {
    "da".into()
}
fn default_theme() -> String {
    "standard".into()
}

impl Config {
    /// Reads `<root>/planspor.toml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join("planspor.toml");
        let mut diags = Diagnostics::new();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        "planspor.toml",
                        format!("cannot read site configuration: {e}"),
                    )
                    .with_help(format!(
                        "a site root needs planspor.toml; looked in {}",
                        root.display()
                    )),
                );
                return Err(diags);
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        let src: Arc<str> = Arc::from(text.as_str());
        match toml::from_str::<Config>(&src) {
            Ok(mut c) => {
                if !c.base_url.ends_with('/') {
                    c.base_url.push('/');
                }
                if !(c.base_url.starts_with("http://")
                    || c.base_url.starts_with("https://")
                    || c.base_url.starts_with('/'))
                {
                    diags.push(
                        Diagnostic::error(
                            "planspor.toml",
                            format!(
                                "base_url `{}` must be an absolute URL or start with `/`",
                                c.base_url
                            ),
                        )
                        .at_line(&src, find_key_line(&src, "base_url")),
                    );
                    return Err(diags);
                }
                Ok(c)
            }
            Err(e) => {
                diags.push(toml_diagnostic("planspor.toml", &src, 0, &e));
                Err(diags)
            }
        }
    }

    /// The path part of `base_url` (`/` or `/planer/`): the prefix of every internal link.
    pub fn base_path(&self) -> String {
        base_path_of(&self.base_url)
    }
}

/// `https://example.dk/planer/` → `/planer/`; `/x` → `/x/`.
pub fn base_path_of(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => "/",
            }
        }
        None => url,
    };
    let mut p = rest.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

fn find_key_line(src: &str, key: &str) -> usize {
    src.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn base_paths() {
        assert_eq!(base_path_of("https://example.dk/planer/"), "/planer/");
        assert_eq!(base_path_of("https://example.dk"), "/");
        assert_eq!(base_path_of("http://127.0.0.1:1111/"), "/");
        assert_eq!(base_path_of("/sub"), "/sub/");
    }
}
