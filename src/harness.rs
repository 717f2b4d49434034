//! Entry points for the fuzz targets in `fuzz/` and for `tests/fuzz_regressions.rs`,
//! which replays every input the fuzzers ever found. Kept in the library so the fuzzers
//! and the regression test exercise exactly the same code. Each function must return
//! normally for every input: a panic is a bug.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostics::Diagnostics;
use crate::load::body::parse_body;
use crate::load::frontmatter::{self, IndsatsFront, KommuneFront, KredsFront, PlanFront};
use crate::render::{RenderOptions, Renderer};

/// Front-matter splitting and typed parsing of every file kind, then rendering the
/// diagnostics (which slices the source at the reported spans).
pub fn front_matter(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let src: Arc<str> = Arc::from(text.as_ref());
    let file = Path::new("content/fuzz.md");
    let mut diags = Diagnostics::new();
    match frontmatter::split(file, &src) {
        Ok(split) => {
            if let Err(d) = frontmatter::parse::<PlanFront>(file, &src, &split) {
                diags.extend(d);
            }
            if let Err(d) = frontmatter::parse::<KredsFront>(file, &src, &split) {
                diags.extend(d);
            }
            if let Err(d) = frontmatter::parse::<KommuneFront>(file, &src, &split) {
                diags.extend(d);
            }
            if let Err(d) = frontmatter::parse::<IndsatsFront>(file, &src, &split) {
                diags.extend(d);
            }
        }
        Err(d) => diags.push(d),
    }
    let _ = diags.render(false);
}

/// Heading splitting and `{indsats=…}` attribute parsing of an arbitrary body.
pub fn heading_attributes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let src: Arc<str> = Arc::from(text.as_ref());
    let mut diags = Diagnostics::new();
    let body = parse_body(
        Path::new("content/fuzz.md"),
        &src,
        0,
        1,
        &mut diags,
        &crate::memo::Memo::off(),
    );
    for s in &body.sections {
        assert!(s.span.end <= src.len() && s.span.start <= s.span.end);
        for a in &s.attrs {
            assert!(a.span.end <= src.len() && a.span.start <= a.span.end);
        }
    }
    let _ = diags.render(false);
}

/// A small site on disk, built once per process; each input becomes the body of one of
/// its plans (and, split at the first NUL byte, optionally its front matter), then the
/// whole pipeline runs: load, model, evolution, routes, render of every page.
pub fn page_pipeline(data: &[u8]) {
    static SITE: OnceLock<Mutex<(PathBuf, Renderer)>> = OnceLock::new();
    let site = SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("planspor-fuzz-{}", std::process::id()));
        scaffold(&root).expect("cannot write the fuzz site");
        let renderer = Renderer::new(&root, "standard").expect("the standard theme loads");
        Mutex::new((root, renderer))
    });
    let guard = match site.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    let (root, renderer) = &*guard;
    let text = String::from_utf8_lossy(data);
    let (extra_front, body) = match text.split_once('\0') {
        Some((f, b)) => (f.to_string(), b.to_string()),
        None => (String::new(), text.to_string()),
    };
    let plan = format!(
        "+++\nkind = \"handleplan\"\nyear = 2026\ntitle = \"Handleplan 2026\"\n{extra_front}\n+++\n{body}"
    );
    let path = root.join("content/kredse/nord/kommuner/by/handleplan-2026.md");
    if std::fs::write(&path, plan).is_err() {
        return;
    }
    let (model, diags) = crate::site::load_site(root, None);
    let _ = diags.render(false);
    if let Some(model) = model {
        if !diags.has_errors() {
            let _ = crate::site::render_site(&model, renderer, &RenderOptions::default());
        }
    }
}

fn scaffold(root: &Path) -> std::io::Result<()> {
    let put = |rel: &str, text: &str| -> std::io::Result<()> {
        let p = root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(p, text)
    };
    put(
        "planspor.toml",
        "title = \"Fuzz\"\nbase_url = \"https://example.dk/\"\n",
    )?;
    put("content/_index.md", "+++\ntitle = \"Forside\"\n+++\n")?;
    put(
        "content/indsatsomraader/indbrud.md",
        "+++\ntitle = \"Indbrud\"\n+++\n",
    )?;
    put(
        "content/indsatsomraader/tryghed.md",
        "+++\ntitle = \"Tryghed\"\naliases = [\"Tryghed på nettet\"]\n+++\n",
    )?;
    put(
        "content/kredse/nord/_index.md",
        "+++\nname = \"Nord\"\n+++\n",
    )?;
    put(
        "content/kredse/nord/kommuner/by/_index.md",
        "+++\nname = \"By\"\n+++\n",
    )?;
    put(
        "content/kredse/nord/kommuner/by/handleplan-2025.md",
        "+++\nkind = \"handleplan\"\nyear = 2025\ntitle = \"Handleplan 2025\"\n+++\n\
         ## Indsatser {indsatser}\n\n### Indbrud\n\nTekst om indbrud.\n\n### Tryghed\n\nTekst.\n",
    )
}
