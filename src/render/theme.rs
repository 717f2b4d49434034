//! Themes: templates and static files, from disk or built in.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

pub struct Template {
    /// Tera name: the file name, e.g. `plan.html`.
    pub name: String,
    /// Where it came from, for diagnostics.
    pub shown: PathBuf,
    pub text: String,
}

pub struct Theme {
    pub templates: Vec<Template>,
    /// (path relative to the theme's `static/`, bytes)
    pub statics: Vec<(String, Vec<u8>)>,
}

/// The standard theme, compiled in so that a site without `themes/` still builds.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/standard/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/standard/templates/macros.html"),
    ),
    (
        "front.html",
        include_str!("../../themes/standard/templates/front.html"),
    ),
    (
        "kredse.html",
        include_str!("../../themes/standard/templates/kredse.html"),
    ),
    (
        "kreds.html",
        include_str!("../../themes/standard/templates/kreds.html"),
    ),
    (
        "kommuner.html",
        include_str!("../../themes/standard/templates/kommuner.html"),
    ),
    (
        "kommune.html",
        include_str!("../../themes/standard/templates/kommune.html"),
    ),
    (
        "issuer_plans.html",
        include_str!("../../themes/standard/templates/issuer_plans.html"),
    ),
    (
        "plan.html",
        include_str!("../../themes/standard/templates/plan.html"),
    ),
    (
        "comparison.html",
        include_str!("../../themes/standard/templates/comparison.html"),
    ),
    (
        "years.html",
        include_str!("../../themes/standard/templates/years.html"),
    ),
    (
        "year.html",
        include_str!("../../themes/standard/templates/year.html"),
    ),
    (
        "indsatser.html",
        include_str!("../../themes/standard/templates/indsatser.html"),
    ),
    (
        "indsats.html",
        include_str!("../../themes/standard/templates/indsats.html"),
    ),
    (
        "indsats_issuer.html",
        include_str!("../../themes/standard/templates/indsats_issuer.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/standard/templates/search.html"),
    ),
    (
        "data.html",
        include_str!("../../themes/standard/templates/data.html"),
    ),
    (
        "accessibility.html",
        include_str!("../../themes/standard/templates/accessibility.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/standard/templates/404.html"),
    ),
];
const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/standard/static/style.css"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/standard/static/search.js"),
    ),
    (
        "compare.js",
        include_bytes!("../../themes/standard/static/compare.js"),
    ),
    // jsdiff (npm "diff" 9.0.0, BSD-3-Clause), unmodified, with its licence.
    (
        "vendor/diff.min.js",
        include_bytes!("../../themes/standard/static/vendor/diff.min.js"),
    ),
    (
        "vendor/diff-LICENSE.txt",
        include_bytes!("../../themes/standard/static/vendor/diff-LICENSE.txt"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/standard/static/favicon.svg"),
    ),
    (
        "fonts/IBMPlexSans-Regular-Latin1.woff2",
        include_bytes!("../../themes/standard/static/fonts/IBMPlexSans-Regular-Latin1.woff2"),
    ),
    (
        "fonts/IBMPlexSans-SemiBold-Latin1.woff2",
        include_bytes!("../../themes/standard/static/fonts/IBMPlexSans-SemiBold-Latin1.woff2"),
    ),
    (
        "fonts/IBMPlexSans-Bold-Latin1.woff2",
        include_bytes!("../../themes/standard/static/fonts/IBMPlexSans-Bold-Latin1.woff2"),
    ),
    (
        "fonts/OFL.txt",
        include_bytes!("../../themes/standard/static/fonts/OFL.txt"),
    ),
];

impl Theme {
    /// Loads theme `name` from `<root>/themes/<name>/` (or the built-in standard theme
    /// when that folder does not exist), then applies `<root>/templates/` overrides.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let mut diags = Diagnostics::new();
        if !is_folder_name(name) {
            diags.push(
                crate::config::key_error(root, "theme", format!("theme `{name}` is not a folder name"))
                    .with_help("a theme is a folder under themes/: write its name, e.g. `theme = \"standard\"`"),
            );
            return Err(diags);
        }
        let dir = root.join("themes").join(name);
        let mut theme = if dir.is_dir() {
            if let Err(d) = inside_root(root, &root.join("themes")).and(inside_root(root, &dir)) {
                return Err(d.into());
            }
            let own = Theme {
                templates: read_templates(root, &dir.join("templates"), &mut diags),
                statics: read_statics(root, &dir.join("static"), &mut diags),
            };
            if name == "standard" {
                // A site's themes/standard/ adds to the built-in theme (a logo, a
                // stylesheet) instead of having to copy all of it.
                Theme::builtin().overlaid(own)
            } else {
                own
            }
        } else if name == "standard" {
            Theme::builtin()
        } else {
            diags.push(
                crate::config::key_error(
                    root,
                    "theme",
                    format!("theme `{name}` not found in {}", dir.display()),
                )
                .with_help("set `theme = \"standard\"` or add the theme folder"),
            );
            return Err(diags);
        };
        let overrides = root.join("templates");
        if overrides.is_dir() {
            if let Err(d) = inside_root(root, &overrides) {
                return Err(d.into());
            }
            let own = Theme {
                templates: read_templates(root, &overrides, &mut diags),
                statics: Vec::new(),
            };
            theme = theme.overlaid(own);
        }
        theme.templates.sort_by(|a, b| a.name.cmp(&b.name));
        theme.statics.sort_by(|a, b| a.0.cmp(&b.0));
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(theme)
    }

    /// This theme with `over`'s templates and static files in place of its own of the
    /// same name, and its others added.
    fn overlaid(mut self, over: Theme) -> Theme {
        for o in over.templates {
            match self.templates.iter_mut().find(|t| t.name == o.name) {
                Some(t) => *t = o,
                None => self.templates.push(o),
            }
        }
        for o in over.statics {
            match self.statics.iter_mut().find(|t| t.0 == o.0) {
                Some(t) => *t = o,
                None => self.statics.push(o),
            }
        }
        self
    }

    /// The standard theme built into the binary.
    fn builtin() -> Theme {
        Theme {
            templates: BUILTIN_TEMPLATES
                .iter()
                .map(|(n, s)| Template {
                    name: n.to_string(),
                    shown: PathBuf::from(format!("(built-in standard theme)/templates/{n}")),
                    text: s.to_string(),
                })
                .collect(),
            statics: BUILTIN_STATIC
                .iter()
                .map(|(n, b)| (n.to_string(), b.to_vec()))
                .collect(),
        }
    }
}

/// A theme name is one folder under `themes/`: not a path (`/etc`, `../x`), which would
/// publish another folder's files from a build of someone else's content.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Refuses a theme or templates folder that resolves outside the site root, or that is
/// itself a symbolic link: the fence around its files is the folder, so a link would
/// move the fence with it (`static -> ../../.git` published the checkout's token).
fn inside_root(root: &Path, dir: &Path) -> Result<(), Diagnostic> {
    let shown = crate::diagnostics::display_path(root, dir);
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Diagnostic::error(
            &shown,
            "a theme's folders and templates/ may not be symbolic links; it is not read",
        )
        .with_help("copy the folder in instead (a git submodule is a real folder)"));
    }
    crate::load::Fence::new(root, root).check(&shown, dir)
}

/// The static files under `dir`, by path relative to it.
fn read_statics(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(String, Vec<u8>)> {
    let mut statics = Vec::new();
    read_dir_files(root, dir, diags, |rel, _, bytes| {
        statics.push((rel, bytes));
        Ok(())
    });
    statics
}

/// The templates under `dir` (a theme's `templates/` or the site's overrides); one
/// that is not UTF-8 is an error.
fn read_templates(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Template> {
    let mut templates = Vec::new();
    read_dir_files(
        root,
        dir,
        diags,
        |rel, shown, bytes| match String::from_utf8(bytes) {
            Ok(text) => {
                templates.push(Template {
                    name: rel,
                    shown,
                    text,
                });
                Ok(())
            }
            Err(_) => Err(Diagnostic::error(shown, "template is not valid UTF-8"))?,
        },
    );
    templates
}

/// Calls `f` with every file under `dir` (its path relative to `dir`, as shown in
/// diagnostics, and its bytes), in name order; what cannot be read goes to `diags`.
fn read_dir_files(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    mut f: impl FnMut(String, PathBuf, Vec<u8>) -> Result<(), Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    if let Err(d) = inside_root(root, dir) {
        diags.push(d);
        return;
    }
    // Links are followed, but only within this folder: a theme file linked from
    // elsewhere would be published, or (a template) read into pages.
    let fence = crate::load::Fence::folder(dir, "its theme or templates folder");
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(dir, format!("cannot read theme: {e}")));
                continue;
            }
        };
        if entry.path_is_symlink() {
            let shown = crate::diagnostics::display_path(root, entry.path());
            if let Err(d) = fence.check(&shown, entry.path()) {
                diags.push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let shown = crate::diagnostics::display_path(root, entry.path());
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                if let Err(d) = f(rel, shown, bytes) {
                    diags.push(d);
                }
            }
            Err(e) => diags.push(Diagnostic::error(shown, format!("cannot read: {e}"))),
        }
    }
}
