//! `planspor check`: everything `build` validates, plus content lints and a link check
//! of the rendered pages, without writing anything.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::render::{RenderOptions, Renderer};
use crate::site::{load_site, render_site};
use crate::write::OutFile;

/// Runs every check on the site at `root` and returns all findings.
pub fn check(root: &Path) -> Diagnostics {
    let (site, mut diags) = load_site(root, None);
    let Some(site) = site else { return diags };
    diags.extend(site.config.placeholders.iter().cloned().collect());
    let read = crate::load::reader(root);
    let whole = !diags.has_errors();
    diags.extend(crate::model::lint::lint(&site, &read, whole));
    // With drafts, links are checked in the site as published too: a published page
    // that links to a draft's page breaks in `build`, which leaves the draft out.
    let published = (site.plans.iter().any(|p| p.draft))
        .then(|| crate::site::load_published_site(root, None, false).0)
        .flatten();
    match Renderer::new(root, &site.config.theme) {
        Ok(renderer) => {
            let mut broken = Vec::new();
            // A template error shows in both renders: said once.
            let mut said = HashSet::new();
            for s in std::iter::once(&site).chain(published.as_ref()) {
                match render_site(s, &renderer, &RenderOptions::default()) {
                    Ok(files) => broken.extend(broken_links(&files, &s.config.base_path())),
                    Err(d) => diags.extend(
                        d.iter()
                            .filter(|x| said.insert(x.to_string()))
                            .cloned()
                            .collect(),
                    ),
                }
            }
            let mut seen = HashSet::new();
            broken.retain(|b| seen.insert((b.page.clone(), b.target.clone())));
            let base = site.config.base_path();
            diags.extend(locate_links(root, &base, &broken));
        }
        Err(d) => diags.extend(d),
    }
    diags
}

/// A link in a rendered page that points at no page, file or anchor of the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BrokenLink {
    /// Output file the link is in.
    pub page: String,
    pub target: String,
    pub reason: String,
}

/// Finds internal `href`/`src` targets in rendered HTML that resolve to no output file
/// (or to a missing `#fragment`). `base` is the site's base path (`/` or `/planer/`).
pub fn broken_links(files: &[OutFile], base: &str) -> Vec<BrokenLink> {
    let check = LinkCheck::new(files.iter().map(|(p, _)| p.clone()), base);
    let pages = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| check.page(p, &String::from_utf8_lossy(bytes)))
        .collect();
    let html = |page: &str| {
        files
            .iter()
            .find(|(p, _)| p == page)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    };
    LinkCheck::finish(pages, &html)
}

/// The link check, one page at a time, so `build` can run it on each page as it is
/// rendered and written instead of holding the whole site: paths are checked at once
/// against the files the site will have, and only `#fragment`s into other pages wait
/// for [`LinkCheck::finish`], with each page's ids. Every page of a build passes
/// through here, so the common case (a link to an existing page) allocates nothing.
pub struct LinkCheck {
    paths: HashSet<String>,
    /// `kommuner/by/` for every `kommuner/by/index.html` (`""` for the front page):
    /// folder links are looked up as written.
    dirs: HashSet<String>,
    base: String,
    /// A hash of the site's files and base path: with the page's bytes, all that a
    /// page's [`PageLinks`] depend on.
    identity: String,
}

/// What one page contributes to the link check. Held for every page until
/// [`LinkCheck::finish`], so it keeps hashes rather than text (a national site has
/// 100,000 links into other pages' fragments; as strings they were 30 MB). A build
/// keeps it in its memo too (see [`LinkCheck::identity`]).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PageLinks {
    page: String,
    /// Hashes of the page's ids, sorted.
    ids: Vec<u64>,
    broken: Vec<BrokenLink>,
    /// Links to fragments of other pages: (hash of the target file, hash of the
    /// fragment, the link's number among the page's links). The link's text is looked
    /// up again only when it is broken.
    anchors: Vec<(u64, u64, u32)>,
}

/// 64-bit hashes: two different ids of one page collide once in 2⁶⁴, which would only
/// let a broken anchor pass.
fn hash(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

impl LinkCheck {
    /// `paths`: every output file, relative to the output folder.
    pub fn new(paths: impl IntoIterator<Item = String>, base: &str) -> LinkCheck {
        let paths: HashSet<String> = paths.into_iter().collect();
        let mut parts: Vec<&str> = paths.iter().map(String::as_str).collect();
        parts.sort_unstable();
        parts.insert(0, base);
        let identity = format!("{:032x}", crate::memo::Memo::key_of(&parts));
        let dirs = paths
            .iter()
            .filter_map(|p| p.strip_suffix("index.html"))
            .filter(|d| d.is_empty() || d.ends_with('/'))
            .map(str::to_string)
            .collect();
        LinkCheck {
            paths,
            dirs,
            base: base.to_string(),
            identity,
        }
    }

    /// What [`LinkCheck::page`] depends on besides the page and its HTML: the site's
    /// files and base path, hashed. Equal identities and equal HTML give equal
    /// [`PageLinks`], so a build may keep them from the last one.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    /// Checks the links of one page (`page` is its output path).
    pub fn page(&self, page: &str, html: &str) -> PageLinks {
        let mut out = PageLinks {
            page: page.to_string(),
            ..PageLinks::default()
        };
        let mut ids: Vec<&str> = Vec::new();
        let mut links: Vec<&str> = Vec::new();
        for (name, value) in link_attrs(html) {
            if name == "id" {
                ids.push(value);
            } else {
                links.push(value);
            }
        }
        let mut own: Option<HashSet<&str>> = None;
        for (n, raw) in links.into_iter().enumerate() {
            if is_external(raw) {
                continue;
            }
            let t = unescape_amp(raw);
            let (path_part, frag) = match t.split_once('#') {
                Some((a, b)) => (a, Some(b)),
                None => (t.as_ref(), None),
            };
            let path_part = path_part.split('?').next().unwrap_or_default();
            let frag = frag.filter(|f| !f.is_empty());
            let target = if path_part.is_empty() || self.known_fast(path_part) {
                match frag {
                    None => continue,
                    Some(_) if path_part.is_empty() => Cow::Borrowed(page),
                    Some(_) => Cow::Owned(self.resolve(page, path_part).unwrap_or_default()),
                }
            } else {
                match self.resolve(page, path_part) {
                    Err(reason) => {
                        out.broken.push(broken(page, &t, reason));
                        continue;
                    }
                    Ok(file) if !self.paths.contains(&file) => {
                        out.broken.push(broken(page, &t, self.no_such_page(&file)));
                        continue;
                    }
                    Ok(file) => Cow::Owned(file),
                }
            };
            let Some(f) = frag else { continue };
            if target == page {
                let ids = own.get_or_insert_with(|| ids.iter().copied().collect());
                let f = percent_decode(f);
                if !ids.contains(f.as_str()) {
                    let near = did_you_mean(&f, ids.iter().copied());
                    out.broken.push(broken(page, &t, missing_id(&f, near)));
                }
            } else if target.ends_with(".html") {
                out.anchors
                    .push((hash(&target), hash(&percent_decode(f)), n as u32));
            }
        }
        out.ids = ids.into_iter().map(hash).collect();
        out.ids.sort_unstable();
        out
    }

    /// Why `file` is no link target, with the page a typo most likely meant: the
    /// nearest folder beside the one written (`indsatsomraader/indbrudd/` →
    /// `indsatsomraader/indbrud/`), or, for a content file, that links go to pages.
    fn no_such_page(&self, file: &str) -> String {
        if file.ends_with(".md") {
            return "no such page or file: a link goes to a page of the built site \
                    (a plan is `…/handleplan/2026/`), not to its content file (.md)"
                .to_string();
        }
        let Some(dir) = file.strip_suffix("index.html") else {
            return "no such page or file".to_string();
        };
        // Only the folders beside it: a broken link costs a lookup among a few dozen,
        // not among every file of the site.
        let parent = dir
            .trim_end_matches('/')
            .rsplit_once('/')
            .map_or("", |p| p.0);
        let siblings = self.dirs.iter().map(String::as_str).filter(|d| {
            d.strip_prefix(parent)
                .map(|rest| rest.trim_start_matches('/'))
                .is_some_and(|rest| rest.trim_end_matches('/').matches('/').count() == 0)
        });
        match did_you_mean(dir, siblings) {
            Some(near) => format!("no such page or file (did you mean `{}{near}`?)", self.base),
            None => "no such page or file".to_string(),
        }
    }

    /// The usual link, `<base>kommuner/by/` or `<base>static/style.css`, found without
    /// building a path; anything else (relative, escaped) goes through [`Self::resolve`].
    fn known_fast(&self, path: &str) -> bool {
        match path.strip_prefix(self.base.as_str()) {
            // `%` escapes need decoding first: the slow path.
            Some(rest) if !rest.contains('%') => {
                self.dirs.contains(rest) || self.paths.contains(rest)
            }
            _ => false,
        }
    }

    /// The broken links of all pages, fragments into other pages resolved. `html` gives
    /// a page's HTML again, to quote a broken link as it is written.
    pub fn finish(pages: Vec<PageLinks>, html: &dyn Fn(&str) -> Option<String>) -> Vec<BrokenLink> {
        let by_page: HashMap<u64, (&str, &[u64])> = pages
            .iter()
            .map(|p| (hash(&p.page), (p.page.as_str(), p.ids.as_slice())))
            .collect();
        let mut out = Vec::new();
        for p in &pages {
            out.extend(p.broken.iter().cloned());
            // Each missing anchor's link number and the page it points into.
            let missing: Vec<(u32, &str)> = (p.anchors.iter())
                .filter_map(|(target, f, n)| {
                    let (name, ids) = by_page.get(target)?;
                    ids.binary_search(f).is_err().then_some((*n, *name))
                })
                .collect();
            if !missing.is_empty() {
                out.extend(quote(&p.page, html, &missing));
            }
        }
        out
    }

    /// The output file a link's path (no fragment) on `page` points at.
    fn resolve(&self, page: &str, path_part: &str) -> Result<String, String> {
        if let Some(rest) = path_part.strip_prefix(self.base.as_str()) {
            let rest = percent_decode(rest);
            return Ok(if rest.is_empty() || rest.ends_with('/') {
                format!("{rest}index.html")
            } else {
                rest
            });
        }
        if path_part.starts_with('/') {
            return Err(format!("outside the site's base path {}", self.base));
        }
        // Relative links: resolve against the page's folder.
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        let joined = crate::url::normalize(&dir.join(path_part));
        Ok(if joined.is_empty() {
            "index.html".to_string()
        } else if path_part.ends_with('/') {
            format!("{joined}/index.html")
        } else {
            joined
        })
    }
}

/// Values of `name="…"` attributes in HTML we generated (always double-quoted).
fn attrs<'a>(html: &'a str, name: &str) -> impl Iterator<Item = &'a str> + 'a {
    let needle = format!(" {name}=\"");
    let mut rest = html;
    std::iter::from_fn(move || {
        let i = rest.find(&needle)?;
        let after = &rest[i + needle.len()..];
        let end = after.find('"')?;
        rest = &after[end..];
        Some(&after[..end])
    })
}

/// The `id`, `href` and `src` attributes of a page, in one pass: every `="` is found
/// with SIMD search and the name before it checked, instead of a substring search per
/// attribute name over every page of the site.
fn link_attrs(html: &str) -> impl Iterator<Item = (&'static str, &str)> + '_ {
    let bytes = html.as_bytes();
    let finder = memchr::memmem::Finder::new(b"=\"");
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let i = at + finder.find(&bytes[at..])?;
        let start = i + 2;
        let end = start + memchr::memchr(b'"', &bytes[start..])?;
        at = end + 1;
        let before = &bytes[..i];
        let name = ["href", "src", "id"].into_iter().find(|n| {
            before.ends_with(n.as_bytes())
                && before.len() > n.len()
                && bytes[i - n.len() - 1] == b' '
        });
        if let Some(name) = name {
            // `="` and `"` are ASCII, so both ends are char boundaries.
            return Some((name, &html[start..end]));
        }
    })
}

/// The broken anchors of `page`, links number `missing` (each with the page it points
/// into) among its `href`s and `src`s, as written in its HTML (`html` gives a page's),
/// each with the target page's nearest id.
fn quote(
    page: &str,
    html: &dyn Fn(&str) -> Option<String>,
    missing: &[(u32, &str)],
) -> Vec<BrokenLink> {
    let own = html(page);
    let links: Vec<&str> = (own.as_deref())
        .map(|h| {
            link_attrs(h)
                .filter(|(name, _)| *name != "id")
                .map(|(_, v)| v)
                .collect()
        })
        .unwrap_or_default();
    // Each target page's ids read once, however many links miss into it.
    let mut ids_of: HashMap<&str, Vec<String>> = HashMap::new();
    missing
        .iter()
        .map(|&(n, target)| match links.get(n as usize) {
            Some(raw) => {
                let t = unescape_amp(raw);
                let f = t.split_once('#').map(|(_, f)| percent_decode(f));
                let f = f.as_deref().unwrap_or_default();
                let ids = ids_of.entry(target).or_insert_with(|| {
                    html(target).map_or_else(Vec::new, |h| attr_values(&h, "id"))
                });
                broken(
                    page,
                    &t,
                    missing_id(f, did_you_mean(f, ids.iter().map(String::as_str))),
                )
            }
            None => broken(page, &format!("link {}", n + 1), missing_id("?", None)),
        })
        .collect()
}

fn unescape_amp(s: &str) -> Cow<'_, str> {
    if s.contains("&amp;") {
        Cow::Owned(s.replace("&amp;", "&"))
    } else {
        Cow::Borrowed(s)
    }
}

fn is_external(t: &str) -> bool {
    ["http://", "https://", "mailto:", "tel:", "//"]
        .iter()
        .any(|p| t.starts_with(p))
}

fn broken(page: &str, target: &str, reason: String) -> BrokenLink {
    BrokenLink {
        page: page.to_string(),
        target: target.to_string(),
        reason,
    }
}

fn missing_id(f: &str, near: Option<&str>) -> String {
    match near {
        Some(near) => format!("no element with id `{f}` there (did you mean `#{near}`?)"),
        None => format!("no element with id `{f}` there"),
    }
}

/// Values of `name="…"` attributes in HTML we generated (always double-quoted).
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    attrs(html, name).map(str::to_string).collect()
}

/// Decodes `%XX` escapes (UTF-8).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The broken links as errors, each located by [`locate_link`]. A link in a plan's
/// text breaks on every page that shows the text (the plan's, the indsatsområde's
/// history): the content file's line is reported once.
pub fn locate_links(root: &Path, base: &str, broken: &[BrokenLink]) -> Diagnostics {
    if broken.is_empty() {
        return Diagnostics::new();
    }
    // Every content file read once and shared by its findings (a file with thousands of
    // broken links was read, and held, once per link).
    let content: Vec<(PathBuf, Arc<str>)> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let shown = crate::diagnostics::display_path(root, e.path());
            let text = crate::load::read_text(&shown, e.path()).ok()?;
            Some((shown, Arc::from(text.as_str())))
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Diagnostics::new();
    for d in broken.iter().map(|b| locate_link(&content, base, b)) {
        if d.span.is_none() || seen.insert((d.file.clone(), d.span.clone())) {
            out.push(d);
        }
    }
    out
}

/// A broken link, located in the content file that contains its target if there is
/// one (a Markdown link), else reported against the page. `base`: the site's base path
/// (`/` or `/planer/`), which the build put before a root-relative link's target.
fn locate_link(content: &[(PathBuf, Arc<str>)], base: &str, b: &BrokenLink) -> Diagnostic {
    let needle = b.target.split('#').next().unwrap_or_default();
    let in_site = needle.strip_prefix(base).unwrap_or(needle);
    let stripped = in_site.trim_start_matches('/');
    // As written in Markdown: the whole target, its path, its path from the root, or
    // (a relative `#anchor` in a plan's text, resolved on another page) its fragment.
    let fragment = b.target.find('#').map(|i| &b.target[i..]);
    let written: Vec<(String, usize)> = [
        Some((format!("]({}", b.target), b.target.len())),
        (!needle.is_empty()).then(|| (format!("]({needle}"), needle.len())),
        (!stripped.is_empty()).then(|| (format!("](/{stripped}"), stripped.len() + 1)),
        fragment.map(|f| (format!("]({f})"), f.len())),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (shown, text) in content {
        if let Some((pos, len)) = written
            .iter()
            .find_map(|(w, len)| text.find(w.as_str()).map(|pos| (pos, *len)))
        {
            return Diagnostic::error(shown, format!("broken link `{}`: {}", b.target, b.reason))
                .at(text, pos + 2..pos + 2 + len);
        }
    }
    Diagnostic::error(
        format!("{} (a built page)", b.page),
        format!("broken link `{}`: {}", b.target, b.reason),
    )
    .with_help(
        "not found as written in content/: it comes from a template (check the theme's \
         templates) or from a plan's link written in another form (an escape, `<…>`)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typo in a link says what was most likely meant: the nearest id on the page it
    /// points into, the nearest folder beside the one written; a content file is no page.
    #[test]
    fn broken_links_suggest_what_was_meant() {
        let files: Vec<OutFile> = vec![
            ("index.html".into(), b"<a href=\"/p/2026/#2-2-narko\">a</a> <a href=\"/i/indbrudd/\">b</a> <a href=\"p/handleplan-2026.md\">c</a> <a href=\"#toop\">d</a> <p id=\"top\"></p>".to_vec()),
            ("p/2026/index.html".into(), b"<h2 id=\"2-1-vold\">x</h2> <h2 id=\"2-2-narkokriminalitet\">y</h2>".to_vec()),
            ("i/indbrud/index.html".into(), b"".to_vec()),
            ("i/tryghed/index.html".into(), b"".to_vec()),
        ];
        let reasons: Vec<String> = broken_links(&files, "/")
            .into_iter()
            .map(|b| b.reason)
            .collect();
        assert!(
            reasons.contains(
                &"no element with id `2-2-narko` there (did you mean `#2-2-narkokriminalitet`?)"
                    .to_string()
            ),
            "{reasons:?}"
        );
        assert!(
            reasons.contains(&"no such page or file (did you mean `/i/indbrud/`?)".to_string()),
            "{reasons:?}"
        );
        assert!(
            reasons
                .iter()
                .any(|r| r.ends_with("not to its content file (.md)")),
            "{reasons:?}"
        );
        assert!(
            reasons.contains(&"no element with id `toop` there (did you mean `#top`?)".to_string()),
            "{reasons:?}"
        );
    }

    #[test]
    fn finds_broken_links_and_anchors() {
        let files: Vec<OutFile> = vec![
            ("index.html".into(), b"<a href=\"/a/\">a</a> <a href=\"/b/\">b</a> <a href=\"/a/#x\">x</a> <a href=\"/a/#nope\">n</a>".to_vec()),
            ("a/index.html".into(), b"<h2 id=\"x\">x</h2> <a href=\"../\">up</a>".to_vec()),
        ];
        let b = broken_links(&files, "/");
        let targets: Vec<&str> = b.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, vec!["/b/", "/a/#nope"]);
    }

    #[test]
    fn relative_escaped_and_cross_page_links() {
        let files: Vec<OutFile> = vec![
            ("index.html".into(), b"<a href=\"#top\">t</a><a href=\"#nej\">n</a><p id=\"top\">".to_vec()),
            ("a/index.html".into(), b"<h2 id=\"s\">s</h2><a href=\"../\">up</a><a href=\"../b/\">b</a><a href=\"/p/%61/#s\">x</a><a href=\"/p/a/#z\">z</a><img src=\"/p/static/x.css?v=1\">".to_vec()),
            ("static/x.css".into(), Vec::new()),
        ];
        let b = broken_links(&files, "/p/");
        let found: Vec<(&str, &str)> = b
            .iter()
            .map(|l| (l.page.as_str(), l.target.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                ("index.html", "#nej"),
                ("a/index.html", "../b/"),
                ("a/index.html", "/p/a/#z")
            ]
        );
    }

    #[test]
    fn decodes() {
        assert_eq!(percent_decode("a%20b%C3%B8"), "a bø");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
