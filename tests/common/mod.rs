//! Shared helpers for integration tests: build sites into temporary folders and read
//! what was written, the way a visitor's browser would find it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use planspor::site::{build, BuildOptions, BuildReport};
use planspor::Diagnostics;

/// The repository root: the default site.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh, empty temporary folder (removed when dropped).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "planspor-it-{}-{}-{}",
            name,
            std::process::id(),
            nanos()
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    /// A folder for what one test binary shares through a static, which is never
    /// dropped: a fixed name under cargo's target folder, cleared when made, so test
    /// runs do not pile up copies in the system's temporary folder.
    pub fn shared(name: &str) -> TempDir {
        let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("shared-{name}"));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

pub fn build_to(
    root: &Path,
    out: &Path,
    base_url: Option<&str>,
) -> Result<BuildReport, Diagnostics> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        base_url: base_url.map(str::to_string),
        ..Default::default()
    })
}

/// Every file under `dir`: relative path → bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            m.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    m
}

pub fn page(out: &Path, url_path: &str) -> String {
    let p = out
        .join(url_path.trim_start_matches('/'))
        .join("index.html");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Visible text of an HTML page: tags removed, entities decoded, white space folded.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Copies a site root (planspor.toml, content, themes) to `dest`.
pub fn copy_site(from: &Path, dest: &Path) {
    for sub in ["planspor.toml", "content", "themes"] {
        let src = from.join(sub);
        if src.is_file() {
            std::fs::copy(&src, dest.join(sub)).unwrap();
            continue;
        }
        for e in walkdir::WalkDir::new(&src) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(from).unwrap();
            let target = dest.join(rel);
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }
}

/// Attribute values `name="…"` in HTML.
pub fn attrs(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|e| rest[..e].replace("&amp;", "&"))
        })
        .collect()
}

/// Walks every HTML file of a built site and resolves every internal href/src (and its
/// #fragment) against the files on disk, as a browser at `base` would. Returns the
/// broken ones as "page -> target".
pub fn broken_links_on_disk(out: &Path, base: &str) -> (usize, Vec<String>) {
    let tree = read_tree(out);
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, bytes) in &tree {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut targets = attrs(&html, "href");
        targets.extend(attrs(&html, "src"));
        for t in targets {
            if t.starts_with("http") || t.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, frag) = t
                .split_once('#')
                .map_or((t.as_str(), None), |(a, b)| (a, Some(b)));
            let file = if path.is_empty() {
                rel.clone()
            } else {
                let Some(inner) = path.strip_prefix(base) else {
                    broken.push(format!("{rel} -> {t} (not under {base})"));
                    continue;
                };
                if inner.is_empty() || inner.ends_with('/') {
                    format!("{inner}index.html")
                } else {
                    inner.to_string()
                }
            };
            let Some(target) = tree.get(&file) else {
                broken.push(format!("{rel} -> {t}"));
                continue;
            };
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                let ids = attrs(&String::from_utf8_lossy(target), "id");
                if !ids.iter().any(|i| i == f) {
                    broken.push(format!("{rel} -> {t} (no id {f})"));
                }
            }
        }
    }
    (checked, broken)
}

/// A raw HTTP response split into (status, head, body).
pub fn split_response(buf: &[u8]) -> (u16, String, Vec<u8>) {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(buf.len());
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let body = buf.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

/// The default site's model, loaded once per test binary.
pub fn default_model() -> &'static planspor::model::Site {
    static SITE: std::sync::OnceLock<planspor::model::Site> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let (site, diags) = planspor::site::load_site(&repo(), None);
        assert!(!diags.has_errors(), "{}", diags.render(false));
        site.expect("the default site models")
    })
}

/// The default site built once per test binary into a temporary folder (`name`
/// distinguishes the binaries' folders); the returned path holds `public/`.
pub fn default_build(name: &str) -> &'static Path {
    static DIR: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = TempDir::shared(name);
        build_to(&repo(), &d.path().join("public"), None).unwrap();
        d
    })
    .path()
}
