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
    /// Warnings for values still as shipped (`publisher = "Planspor"`, an example.dk
    /// address): `build` and `check` print them, serve and the library stay quiet.
    #[serde(skip)]
    pub placeholders: Vec<Diagnostic>,
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
            Ok(t) => crate::load::normalise(t),
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
            Ok(mut c) => match normalize_base_url(&c.base_url) {
                Ok(url) => {
                    c.base_url = url;
                    c.placeholders = placeholder_warnings(&c, &src);
                    Ok(c)
                }
                Err(why) => {
                    diags.push(
                        Diagnostic::error(
                            "planspor.toml",
                            format!("base_url `{}` {why}", c.base_url),
                        )
                        .at_line(&src, find_key_line(&src, "base_url"))
                        .with_help(BASE_URL_HELP),
                    );
                    Err(diags)
                }
            },
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

/// What `percent_encode_into` keeps besides letters and digits: all other printable
/// ASCII, so only letters outside ASCII are escaped.
const ASCII_PUNCTUATION: &[u8] = b" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

pub const BASE_URL_HELP: &str =
    "write the address the site is published at, e.g. `https://www.example.dk/` or `https://www.example.dk/planer/`";

/// Checks a base URL and returns it with exactly one trailing slash. It becomes the
/// prefix of every link, script and feed address, so it must be an absolute `http(s)`
/// URL with a host and a plain path: `//evil.example/` would load the site's scripts
/// from another host, `https://example.dk//` makes protocol-relative links, and
/// credentials, queries and fragments would be published in the sitemap and feed.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| lower.starts_with(s))
        .ok_or("must be an absolute address starting with https:// (or http://)")?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains white space or control characters".into());
    }
    let rest = &url[scheme.len()..];
    let host_end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    if host.contains('@') {
        return Err("contains a user name or password; they would be published".into());
    }
    let host_ok = |c: char| c.is_ascii_alphanumeric() || "-.:[]".contains(c);
    if host.chars().any(|c| c.is_alphabetic() && !c.is_ascii()) {
        return Err(format!(
            "has letters outside a–z in its host name (`{host}`); write the host in the ASCII form its registrar gives (`xn--…`, as a browser shows it in the address bar when copied)"
        ));
    }
    if host.is_empty() || !host.chars().all(host_ok) || host.starts_with(['.', ':']) {
        return Err("has no valid host name after the scheme".into());
    }
    if path.contains(['?', '#']) {
        return Err(
            "has a query (`?`) or fragment (`#`); a base URL is a plain folder address".into(),
        );
    }
    if path.contains(['\\', '"', '\'', '<', '>', '`']) {
        return Err("contains characters that are not allowed in an address path".into());
    }
    if path.contains("//") {
        return Err("has an empty path segment (`//`); links would leave the site".into());
    }
    // A `%` must start an escape (`%C3%B8`): `%/` or `%00` would publish broken or
    // NUL-bearing addresses.
    let bytes = path.as_bytes();
    let bad_escape = (0..bytes.len()).filter(|&i| bytes[i] == b'%').any(|i| {
        let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
        !(hex(i + 1) && hex(i + 2)) || (bytes[i + 1] == b'0' && bytes[i + 2] == b'0')
    });
    if bad_escape {
        return Err(
            "has a `%` that does not start an escape such as `%C3%B8`, or escapes a NUL (`%00`)"
                .into(),
        );
    }
    // `%2e` is a dot to a browser and a server, so `%2e%2e` is `..` too.
    let dots = |seg: &str| {
        let decoded = seg.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    if path.split('/').any(dots) {
        return Err(
            "has a `.` or `..` segment; write the folder's address as the browser shows it".into(),
        );
    }
    // `…/planer/index.html`, copied from the address bar: every link would go under it.
    let last = path.rsplit('/').next().unwrap_or_default();
    if let Some((_, ext)) = last.rsplit_once('.') {
        if ["html", "htm", "php", "asp", "aspx", "xml", "json"]
            .contains(&ext.to_ascii_lowercase().as_str())
        {
            return Err(format!(
                "ends in a file name (`{last}`); write the address of the folder the site is published in, `{scheme}{host}{}`",
                &path[..path.len() - last.len()]
            ));
        }
    }
    // Letters such as æøå are percent-encoded (UTF-8), as the sitemap and feed
    // standards require and as a browser sends them; `%` escapes already there stay.
    let mut out = format!("{scheme}{}", host.to_ascii_lowercase());
    // Every ASCII character is kept as it is (control characters were refused above).
    crate::url::percent_encode_into(&mut out, path, ASCII_PUNCTUATION);
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

/// Is `url`'s host one of the reserved example domains (example.com/.net/.org, and the
/// example.dk the default configuration shipped with), or under one?
pub fn is_example_url(url: &str) -> bool {
    let host = url
        .split_once("://")
        .map_or("", |(_, r)| r.split(['/', ':']).next().unwrap_or(""));
    is_example_host(host)
}

/// Is `host` a reserved example domain (see [`is_example_url`])?
fn is_example_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    ["example.dk", "example.com", "example.net", "example.org"]
        .iter()
        .any(|e| host == *e || host.ends_with(&format!(".{e}")))
        || host.ends_with(".example")
}

/// Warnings for a configuration still holding the shipped placeholder values: a site
/// published with them names the wrong publisher and writes example.dk into its feed
/// and sitemap.
fn placeholder_warnings(c: &Config, src: &Arc<str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |key: &str, msg: String, help: &str| {
        Diagnostic::warning("planspor.toml", msg)
            .at_line(src, find_key_line(src, key))
            .with_help(help.to_string())
    };
    if is_example_url(&c.base_url) {
        out.push(at(
            "base_url",
            format!("base_url `{}` is a placeholder address", c.base_url),
            "set it to the address the site is published at; the feed and sitemap carry it",
        ));
    }
    // `Planspor` is the default; the other is what `init` writes.
    if let Some(p @ ("Planspor" | "Politikreds eller kommune")) =
        c.publisher.as_deref().map(str::trim)
    {
        out.push(at(
            "publisher",
            format!("publisher is still the placeholder `{p}`"),
            "set it to who publishes the site, e.g. `publisher = \"Nordjyllands Politi\"`; it is shown in the footer and accessibility statement",
        ));
    }
    let contact = c
        .accessibility
        .as_ref()
        .and_then(|a| a.contact_email.as_deref());
    if let Some(mail) =
        contact.filter(|m| m.rsplit_once('@').is_some_and(|(_, h)| is_example_host(h)))
    {
        out.push(at(
            "contact_email",
            format!("the accessibility contact `{mail}` is a placeholder address"),
            "set it to where readers can report accessibility problems; the accessibility statement shows it",
        ));
    }
    out
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

/// An error about `key` of `<root>/planspor.toml`, located at the key's line.
pub fn key_error(root: &Path, key: &str, message: impl Into<String>) -> Diagnostic {
    let d = Diagnostic::error("planspor.toml", message);
    match std::fs::read_to_string(root.join("planspor.toml")) {
        Ok(text) => {
            let src: Arc<str> = Arc::from(text);
            let line = find_key_line(&src, key);
            d.at_line(&src, line)
        }
        Err(_) => d,
    }
}

fn find_key_line(src: &str, key: &str) -> usize {
    src.lines()
        .position(|l| {
            (l.trim_start().strip_prefix(key)).is_some_and(|r| r.trim_start().starts_with('='))
        })
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

    #[test]
    fn base_urls() {
        let ok = |u: &str| normalize_base_url(u).unwrap();
        assert_eq!(ok("https://example.dk"), "https://example.dk/");
        assert_eq!(
            ok("https://Example.DK/planer"),
            "https://example.dk/planer/"
        );
        assert_eq!(ok("http://127.0.0.1:1111/"), "http://127.0.0.1:1111/");
        assert_eq!(
            ok("https://x.dk/planer-æøå/"),
            "https://x.dk/planer-%C3%A6%C3%B8%C3%A5/"
        );
        assert_eq!(ok("https://x.dk/s%C3%B8g/"), "https://x.dk/s%C3%B8g/");
        for bad in [
            "https://example.dk/a/../b/",
            "https://example.dk/./b/",
            "https://example.dk/a/%2e%2e/b/",
            "https://example.dk/a/.%2E/",
            "https://example.dk/%2e/b/",
            "https://example.dk//",
            "//evil.example/",
            "/planer/",
            "https://user:pw@example.dk/",
            "https://example.dk/?utm=x",
            "https://example.dk/#top",
            "https:///x",
            "https://exa mple.dk/",
            "https://example.dk\\evil/",
            "javascript:alert(1)",
            "ftp://example.dk/",
            "https://example.dk/a%/",
            "https://example.dk/a%4/",
            "https://example.dk/a%00/",
            "https://example.dk/a%zz/",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad} accepted");
        }
        // Copied from the address bar with the page's file name: the folder is meant.
        let e = normalize_base_url("https://example.dk/planer/index.html").unwrap_err();
        assert!(e.contains("`https://example.dk/planer/`"), "{e}");
        // A folder whose name has a dot is a folder.
        assert_eq!(ok("https://x.dk/plan-v1.2/"), "https://x.dk/plan-v1.2/");
        assert_eq!(ok("https://x.dk/plan-v1.2"), "https://x.dk/plan-v1.2/");
        // A Danish IDN host: its ASCII form is asked for, not "no valid host name".
        let e = normalize_base_url("https://ærø.dk/planer/").unwrap_err();
        assert!(e.contains("xn--") && e.contains("`ærø.dk`"), "{e}");
        assert_eq!(ok("https://xn--r-1gaw.dk/"), "https://xn--r-1gaw.dk/");
    }
}
