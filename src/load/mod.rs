//! Load: walk a site's `content/` and parse every file (front matter + body).
//!
//! This stage knows the content contract's file layout and syntax; it checks nothing
//! that needs more than one file (that is the model's job). Files are read and parsed in
//! parallel; the result is sorted by path so everything downstream is deterministic.

pub mod body;
pub mod frontmatter;
pub mod subresources;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::memo::Memo;
use crate::slug::{is_slug, slugify};
use body::Body;
use frontmatter::{FrontPageFront, IndsatsFront, KommuneFront, KredsFront, PlanFront, Split};

/// Files larger than this are refused: no plan is anywhere near it, and reading an
/// accidental video or database dump into memory helps nobody.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A file as read, normalised (BOM dropped, CRLF → LF) so spans and lines agree.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the site root, as shown in diagnostics.
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// A parsed file: its typed front matter and its body.
#[derive(Debug, Clone)]
pub struct Doc<F> {
    pub file: SourceFile,
    pub front: F,
    pub body: Body,
    /// Byte range of the front matter (for locating model errors in it).
    pub front_span: std::ops::Range<usize>,
}

/// The kinds of plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanKind {
    Samarbejdsplan,
    Handleplan,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Samarbejdsplan => "samarbejdsplan",
            PlanKind::Handleplan => "handleplan",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub kreds: String,
    /// `Some(kommune slug)` for a handleplan.
    pub kommune: Option<String>,
    pub kind: PlanKind,
    /// Years from the file name (`2025` or `2025-2026` → [2025, 2026]).
    pub file_years: Vec<i64>,
    pub doc: Doc<PlanFront>,
}

/// Everything under `content/`, parsed.
#[derive(Debug, Default)]
pub struct Loaded {
    pub front: Option<Doc<FrontPageFront>>,
    /// (slug, doc)
    pub kredse: Vec<(String, Doc<KredsFront>)>,
    /// (kreds slug, kommune slug, doc)
    pub kommuner: Vec<(String, String, Doc<KommuneFront>)>,
    pub plans: Vec<LoadedPlan>,
    /// (id, doc)
    pub indsatser: Vec<(String, Doc<IndsatsFront>)>,
    /// Folders seen (kreds and kommune folders without `_index.md` are errors in the model).
    pub kreds_dirs: Vec<String>,
    pub kommune_dirs: Vec<(String, String)>,
    /// Every kreds (`None`) and kommune `_index.md` found, parsed or not, so a broken
    /// one is not also reported as missing.
    pub index_files: Vec<(String, Option<String>)>,
}

/// What a path under `content/` is, by the contract's layout.
enum Role {
    Front,
    Indsats(String),
    Kreds(String),
    Kommune(String, String),
    Plan {
        kreds: String,
        kommune: Option<String>,
        kind: PlanKind,
        years: Vec<i64>,
    },
}

/// A content file read and parsed as its role's document type.
enum Parsed {
    Front(Doc<FrontPageFront>),
    Indsats(String, Doc<IndsatsFront>),
    Kreds(String, Doc<KredsFront>),
    Kommune(String, String, Doc<KommuneFront>),
    Plan(Box<LoadedPlan>),
}

/// Reads and parses every file under `<root>/content`.
pub fn load(root: &Path) -> (Loaded, Diagnostics) {
    load_with(root, &Memo::off())
}

/// [`load`], taking each body's outline (its parse) from `memo` when it has it.
pub fn load_with(root: &Path, memo: &Memo) -> (Loaded, Diagnostics) {
    let content = root.join("content");
    let mut diags = Diagnostics::new();
    let mut loaded = Loaded::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(display_path(root, &content), "no content folder").with_help(
                "a site root holds planspor.toml and content/; see the README for the layout",
            ),
        );
        return (loaded, diags);
    }
    let jobs = walk(root, &content, &mut loaded, &mut diags);
    // Read, split and parsed (front matter too: TOML is the costly part) in parallel;
    // added in name order.
    let results: Vec<Result<Parsed, Diagnostics>> = jobs
        .into_par_iter()
        .map(|(path, role)| {
            let (file, split, body, body_errors) = read_and_split(root, &path, memo)?;
            with_body_errors(parse(role, file, split, body), body_errors)
        })
        .collect();
    for r in results {
        match r {
            Ok(parsed) => add(&mut loaded, parsed),
            Err(d) => diags.extend(d),
        }
    }
    (loaded, diags)
}

/// Walks `content` (in name order, symbolic links followed within the site's fence):
/// checks each folder, and returns each content file with its role; what is not
/// content becomes a diagnostic.
fn walk(
    root: &Path,
    content: &Path,
    loaded: &mut Loaded,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, Role)> {
    let mut jobs: Vec<(PathBuf, Role)> = Vec::new();
    if let Err(d) = not_around_root(root, content) {
        diags.push(d);
        return jobs;
    }
    let fence = Fence::new(root, content);
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // Skip hidden folders whole: `.git/`, `.obsidian/`, `..by/` are not content.
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(root, &e));
                continue;
            }
        };
        let rel = match entry.path().strip_prefix(content) {
            Ok(r) => r.to_path_buf(),
            Err(_) => continue,
        };
        if rel.as_os_str().is_empty() {
            continue;
        }
        let shown = display_path(root, entry.path());
        if entry.path_is_symlink() {
            if let Err(d) = fence.check(&shown, entry.path()) {
                diags.push(d);
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().to_string())
            .collect();
        if entry.file_type().is_dir() {
            check_dir(&parts, &shown, loaded, diags);
            continue;
        }
        match classify(&parts) {
            Ok(role) => {
                match &role {
                    Role::Kreds(k) => loaded.index_files.push((k.clone(), None)),
                    Role::Kommune(k, m) => loaded.index_files.push((k.clone(), Some(m.clone()))),
                    _ => {}
                }
                jobs.push((entry.path().to_path_buf(), role))
            }
            Err(help) => {
                let name = entry.file_name().to_string_lossy();
                diags.push(not_content(&shown, &name, help));
            }
        }
    }
    jobs
}

/// A folder or file the walk could not read, or a symbolic link loop.
fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let p = e
        .path()
        .map(|p| display_path(root, p))
        .unwrap_or_else(|| PathBuf::from("content"));
    let msg = if e.loop_ancestor().is_some() {
        "symbolic link loop: this folder links back to one of its parents".to_string()
    } else {
        format!(
            "cannot read: {}",
            e.io_error()
                .map_or_else(|| e.to_string(), |io| io.to_string())
        )
    };
    Diagnostic::error(p, msg)
}

/// A file that is not where the content layout expects one: an error for Markdown
/// (with what the name probably meant), a warning for anything else.
fn not_content(shown: &Path, name: &str, help: String) -> Diagnostic {
    if is_miscased_md(name) {
        return miscased_md(shown, name);
    }
    if let Some(meant) = saved_as_text(name) {
        return Diagnostic::error(
            shown,
            format!("`{name}` is not read: content files must end in `.md`"),
        )
        .with_help(format!(
            "it looks like a content file saved as text; rename it to `{meant}`"
        ));
    }
    if name.contains(['–', '—']) {
        return Diagnostic::error(
            shown,
            "the file name has a dash (–) where a hyphen (-) belongs",
        )
        .with_help(format!("rename it to `{}`", name.replace(['–', '—'], "-")));
    }
    let lower = name.to_lowercase();
    let copy = ["(", "kopi", "copy"].iter().any(|c| lower.contains(c));
    if name.ends_with(".md") && copy {
        Diagnostic::error(shown, "this file looks like a copy of a content file")
            .with_help("remove it, or give it the name of the content file it is meant to be (copies made by a file manager or Word are not read)")
    } else if name.ends_with(".md") && lower != name && is_slug(lower.trim_end_matches(".md")) {
        Diagnostic::error(shown, "content file names are lower case")
            .with_help(format!("rename it to `{lower}`"))
    } else if name.ends_with(".md") {
        Diagnostic::error(
            shown,
            "this file is not where the content layout expects a file",
        )
        .with_help(help)
    } else {
        Diagnostic::warning(shown, "not a Markdown file; ignored")
    }
}

/// A file's front matter parsed as its role's document type.
fn parse(role: Role, file: SourceFile, split: Split, body: Body) -> Result<Parsed, Diagnostics> {
    Ok(match role {
        Role::Front => Parsed::Front(typed(file, split, body)?),
        Role::Indsats(id) => Parsed::Indsats(id, typed(file, split, body)?),
        Role::Kreds(k) => Parsed::Kreds(k, typed(file, split, body)?),
        Role::Kommune(k, m) => Parsed::Kommune(k, m, typed(file, split, body)?),
        Role::Plan {
            kreds,
            kommune,
            kind,
            years,
        } => Parsed::Plan(Box::new(LoadedPlan {
            kreds,
            kommune,
            kind,
            file_years: years,
            doc: typed(file, split, body)?,
        })),
    })
}

/// A file whose body has errors (heading attributes) is not loaded, but its front
/// matter's errors are reported with them, so that one run shows all of the file's.
/// The body reports errors only (a warning here would be dropped on success).
fn with_body_errors<T>(
    parsed: Result<T, Diagnostics>,
    body: Diagnostics,
) -> Result<T, Diagnostics> {
    debug_assert!(
        body.iter().all(|d| d.is_error()),
        "body warnings are dropped"
    );
    match parsed {
        Ok(_) if body.has_errors() => Err(body),
        Ok(t) => Ok(t),
        Err(mut front) => {
            front.extend(body);
            Err(front)
        }
    }
}

/// Adds a parsed file to `loaded` as what its role says.
fn add(loaded: &mut Loaded, parsed: Parsed) {
    match parsed {
        Parsed::Front(doc) => loaded.front = Some(doc),
        Parsed::Indsats(id, doc) => loaded.indsatser.push((id, doc)),
        Parsed::Kreds(k, doc) => loaded.kredse.push((k, doc)),
        Parsed::Kommune(k, m, doc) => loaded.kommuner.push((k, m, doc)),
        Parsed::Plan(plan) => loaded.plans.push(*plan),
    }
}

/// Reads and parses one plan file (`path` absolute, under `<root>/content`) as [`load`]
/// would, for serve's incremental rebuilds. `None` with no error in `diags`: the path is
/// not a plan file.
pub fn load_plan(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<LoadedPlan> {
    let rel = path.strip_prefix(root.join("content")).ok()?;
    let parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().to_string())
        .collect();
    if parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    let Ok(Role::Plan {
        kreds,
        kommune,
        kind,
        years,
    }) = classify(&parts)
    else {
        return None;
    };
    // Serve hands us any path the watcher saw, links included: fence it like the walk.
    let fence = Fence::new(root, &root.join("content"));
    if fence.is_outside(path) {
        diags.push(fence.refusal(&display_path(root, path)));
        return None;
    }
    let (file, split, body, body_errors) = match read_and_split(root, path, &Memo::off()) {
        Ok(x) => x,
        Err(d) => {
            diags.extend(d);
            return None;
        }
    };
    let doc = with_body_errors(typed(file, split, body), body_errors)
        .map_err(|d| diags.extend(d))
        .ok()?;
    Some(LoadedPlan {
        kreds,
        kommune,
        kind,
        file_years: years,
        doc,
    })
}

/// Refuses a `content` link to the site root itself or a folder holding it (`/`,
/// `/home`): the walk would read the whole disk, or the site's own output and `.git`.
/// A link to a separate checkout of the content stays allowed.
fn not_around_root(root: &Path, content: &Path) -> Result<(), Diagnostic> {
    let (Ok(real), Ok(real_root)) = (content.canonicalize(), root.canonicalize()) else {
        return Ok(());
    };
    if !real_root.starts_with(&real) {
        return Ok(());
    }
    Err(Diagnostic::error(
        "content",
        "`content` is a symbolic link to the site root or a folder holding it; it is not read",
    )
    .with_help("make content/ a folder of its own (or a link to a separate checkout of it)"))
}

/// Where symbolic links under `content/` may lead: inside the site root (or inside the
/// content folder, when `content` itself is a link to a separate checkout). A link out
/// of it would publish, or quote in an error, a file that is not the site's.
pub struct Fence {
    allowed: Vec<PathBuf>,
    /// What the fence encloses, as its refusal names it.
    area: &'static str,
}

impl Fence {
    pub fn new(root: &Path, content: &Path) -> Fence {
        let allowed = [root, content]
            .iter()
            .filter_map(|p| p.canonicalize().ok())
            .collect();
        Fence {
            allowed,
            area: "the site root",
        }
    }

    /// A fence around one folder (a theme's, the template overrides'): templates and
    /// static files are code and published files, so a link in them may not reach the
    /// rest of the site root either (its `.git/config` holds a CI checkout's token).
    pub fn folder(dir: &Path, area: &'static str) -> Fence {
        Fence {
            allowed: dir.canonicalize().into_iter().collect(),
            area,
        }
    }

    /// Refuses `path` if it resolves outside the fence. The error names the link, never
    /// the target's content; a dangling link is reported as such.
    pub fn check(&self, shown: &Path, path: &Path) -> Result<(), Diagnostic> {
        let real = path.canonicalize().map_err(|e| {
            Diagnostic::error(shown, format!("cannot follow symbolic link: {e}"))
                .with_help("remove the link or point it at a file inside the site")
        })?;
        if self.admits(&real) {
            return Ok(());
        }
        Err(self.refusal(shown))
    }

    /// Does `path` exist and resolve outside the fence?
    pub fn is_outside(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|real| !self.admits(&real))
    }

    /// Inside the fence, and not in a hidden folder of it: the walk skips `.git/`, and a
    /// link into it (`content/x.md -> ../.git/config`) would quote a CI checkout's
    /// token in an error message.
    fn admits(&self, real: &Path) -> bool {
        self.allowed.iter().any(|a| {
            real.strip_prefix(a).is_ok_and(|rest| {
                !rest
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
        })
    }

    pub fn refusal(&self, shown: &Path) -> Diagnostic {
        Diagnostic::error(
            shown,
            format!(
                "symbolic link points outside {}, or into a hidden folder in it; it is not read",
                self.area
            ),
        )
        .with_help(format!(
            "copy the file in instead, or link to a file inside {}",
            self.area
        ))
    }
}

/// `handleplan-2026.MD`: meant as content, but silently dropping it loses a plan.
fn is_miscased_md(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.ends_with(".md") && (lower.ends_with(".md") || lower.ends_with(".markdown"))
}

fn miscased_md(shown: &Path, name: &str) -> Diagnostic {
    let stem = &name[..name.rfind('.').unwrap_or(name.len())];
    Diagnostic::error(
        shown,
        format!("`{name}` is not read: content files must end in `.md`, in lower case"),
    )
    .with_help(format!("rename it to `{stem}.md`"))
}

/// `handleplan-2026.txt`, `handleplan-2026.md.txt`, `_index` (what "save as text" in
/// Notepad or Word makes of a content file): ignored with a warning, the plan would drop
/// out of the published site with the build green. Gives the name it was meant to have.
/// Other files (a plan's PDF kept beside it, notes) are still only warned about.
fn saved_as_text(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let text = lower.ends_with(".txt") || lower.ends_with(".text") || !lower.contains('.');
    let base = lower.split('.').next().unwrap_or_default();
    let plan_name = ["handleplan", "samarbejdsplan"]
        .iter()
        .any(|k| plan_years(&format!("{base}.md"), k).is_ok());
    let md_inside = lower.contains(".md.");
    (text && (base == "_index" || plan_name || md_inside) && !base.is_empty())
        .then(|| format!("{base}.md"))
}

/// Editor droppings and hidden files are never content.
fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        // Microsoft Office's owner file beside an open document ("~$ndleplan-2027.md").
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.starts_with('#')
}

fn check_dir(parts: &[String], shown: &Path, loaded: &mut Loaded, diags: &mut Diagnostics) {
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let slug_part = match p.as_slice() {
        ["kredse", k] => {
            loaded.kreds_dirs.push(k.to_string());
            Some(*k)
        }
        ["kredse", k, "kommuner", m] => {
            loaded.kommune_dirs.push((k.to_string(), m.to_string()));
            Some(*m)
        }
        ["indsatsomraader"] | ["kredse"] | ["kredse", _, "kommuner"] => None,
        _ => {
            diags.push(Diagnostic::warning(shown, "unexpected folder; its files are not part of the site").with_help(
                "content/ holds _index.md, indsatsomraader/, and kredse/<kreds>/[kommuner/<kommune>/]",
            ));
            None
        }
    };
    if let Some(s) = slug_part.filter(|s| s.len() > LONGEST_SLUG) {
        diags.push(Diagnostic::error(shown, "the folder name is too long").with_help(too_long(s)));
    } else if let Some(s) = slug_part {
        if !is_slug(s) {
            diags.push(
                Diagnostic::error(shown, format!("folder name `{s}` is not a slug")).with_help(
                    format!(
                        "rename it to `{}` (lower case, æ→ae, ø→oe, å→aa)",
                        slugify(s)
                    ),
                ),
            );
        }
    }
}

/// The longest id or slug: they name folders and files of the output, with more added
/// (`data/soeg/i/<id>.json`), and a name over 255 bytes fails the build after `check`.
const LONGEST_SLUG: usize = 100;

fn too_long(slug: &str) -> String {
    format!(
        "ids and slugs name pages and files and may have at most {LONGEST_SLUG} characters; this one has {}",
        slug.chars().count()
    )
}

fn classify(parts: &[String]) -> Result<Role, String> {
    let p: Vec<&str> = parts.iter().map(String::as_str).collect();
    let layout = "expected one of: content/_index.md, content/indsatsomraader/<id>.md, \
                  content/kredse/<kreds>/_index.md, content/kredse/<kreds>/samarbejdsplan-<year>.md, \
                  content/kredse/<kreds>/kommuner/<kommune>/_index.md, \
                  content/kredse/<kreds>/kommuner/<kommune>/handleplan-<year>.md";
    match p.as_slice() {
        ["_index.md"] => Ok(Role::Front),
        ["indsatsomraader", f] => {
            let id = f.strip_suffix(".md").ok_or(layout)?;
            if id.len() > LONGEST_SLUG {
                return Err(too_long(id));
            }
            if !is_slug(id) {
                return Err(format!(
                    "the file name is the indsatsområde's id and must be a slug, e.g. `{}.md`",
                    slugify(id)
                ));
            }
            Ok(Role::Indsats(id.to_string()))
        }
        ["kredse", k, "_index.md"] => Ok(Role::Kreds(k.to_string())),
        ["kredse", k, "kommuner", m, "_index.md"] => {
            Ok(Role::Kommune(k.to_string(), m.to_string()))
        }
        ["kredse", k, f] => {
            // A kommune's handleplan in its district's folder: say where it goes, not how
            // to rename it into a district's plan.
            if f.starts_with("handleplan") {
                return Err(format!(
                    "a handleplan belongs in its kommune's folder: content/kredse/{k}/kommuner/<kommune>/{f}; a district's own plan here is named `samarbejdsplan-<year>.md`"
                ));
            }
            let years = plan_years(f, "samarbejdsplan")?;
            Ok(Role::Plan {
                kreds: k.to_string(),
                kommune: None,
                kind: PlanKind::Samarbejdsplan,
                years,
            })
        }
        ["kredse", k, "kommuner", m, f] => {
            if f.starts_with("samarbejdsplan") {
                return Err(format!(
                    "a samarbejdsplan is the district's: content/kredse/{k}/{f}; a kommune's plan here is named `handleplan-<year>.md`"
                ));
            }
            let years = plan_years(f, "handleplan")?;
            Ok(Role::Plan {
                kreds: k.to_string(),
                kommune: Some(m.to_string()),
                kind: PlanKind::Handleplan,
                years,
            })
        }
        _ => Err(layout.to_string()),
    }
}

/// `samarbejdsplan-2025.md` → [2025]; `handleplan-2025-2026.md` → [2025, 2026].
fn plan_years(file: &str, kind: &str) -> Result<Vec<i64>, String> {
    let expect =
        format!("a plan here is named `{kind}-<year>.md` or `{kind}-<first year>-<last year>.md`");
    let stem = file.strip_suffix(".md").ok_or_else(|| expect.clone())?;
    let rest = stem
        .strip_prefix(kind)
        .and_then(|r| r.strip_prefix('-'))
        .ok_or_else(|| expect.clone())?;
    let years: Vec<i64> = rest
        .split('-')
        .map(|y| {
            if y.len() == 4 {
                y.parse::<i64>().ok()
            } else {
                None
            }
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| expect.clone())?;
    match years.as_slice() {
        [y] => Ok(vec![*y]),
        [a, b] if a < b && b - a <= 10 => Ok((*a..=*b).collect()),
        _ => Err(expect),
    }
}

/// Reads a content file and splits it into front matter and body; the body's problems
/// come back beside it (the front matter is still worth reading for its own).
fn read_and_split(
    root: &Path,
    path: &Path,
    memo: &Memo,
) -> Result<(SourceFile, Split, Body, Diagnostics), Diagnostics> {
    let shown = display_path(root, path);
    let mut diags = Diagnostics::new();
    let text = match read_text(&shown, path) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let src: Arc<str> = Arc::from(text);
    let split = match frontmatter::split(&shown, &src) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let body = body::parse_body(
        &shown,
        &src,
        split.body_start,
        split.body_line,
        &mut diags,
        memo,
    );
    let file = SourceFile {
        path: shown,
        text: src,
    };
    Ok((file, split, body, diags))
}

/// Reads a content file again by its path as shown (relative to `root`), for placing a
/// warning on a line after loading; `None` if it cannot be read.
pub fn reader(root: &Path) -> impl Fn(&Path) -> Option<Arc<str>> + '_ {
    move |shown: &Path| {
        let text = read_text(shown, &root.join(shown)).ok()?;
        Some(Arc::from(text.as_str()))
    }
}

/// Reads a file as UTF-8 text, normalised: BOM dropped, CRLF → LF, letters composed.
pub fn read_text(shown: &Path, path: &Path) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path)
        .map_err(|e| Diagnostic::error(shown, format!("cannot read file: {e}")))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            shown,
            format!(
                "file is too large ({:.1} MB; the limit is {} MB)",
                meta.len() as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
        )
        .with_help("a plan is text; keep attachments and images out of content/"));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(shown, format!("cannot read file: {e}")))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(e.as_bytes()).as_ref());
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            return Err(Diagnostic::error(shown, "file is not valid UTF-8 text")
                .at(&lossy, prefix.len()..prefix.len() + 1)
                .with_help(
                    "save the file as UTF-8 (most editors: \"Save with encoding\" → UTF-8)",
                ));
        }
    };
    Ok(normalise(text))
}

/// Text as every reader of the site's files (and `import`) takes it: byte-order mark
/// dropped, CRLF and CR → LF, letters composed ([`composed`]).
pub(crate) fn normalise(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    composed(text)
}

/// `text` in Unicode's composed form (NFC): "å" written as "a" and a combining ring
/// (text copied out of a PDF often is) becomes the one letter "å", as typed. Otherwise
/// a plan whose text is the same in the other form reads as every word with æ, ø or å
/// changed ("ændret"), and a search for "år" does not find it. Text already composed,
/// nearly every file, is returned as it is. (A diagnostic's column on a line with such
/// a letter before it then counts the letter once, as an editor shows it, where an
/// editor counting code points counts two.)
fn composed(text: String) -> String {
    use unicode_normalization::UnicodeNormalization;
    if is_composed(&text) {
        return text;
    }
    text.nfc().collect()
}

/// Whether `text` is certainly composed already: every character from U+0300 on neither
/// combines nor may change under NFC. (The combining marks begin at U+0300: a character
/// below it is composed, and NFC changes it only with a mark after it, which this finds.) A quick check of every
/// character took 45 ms on the national corpus's 33 MB, this one 7 ms: it looks at
/// characters only in 64-byte runs that hold a byte of one from U+0300 on (Danish
/// text's æ, ø and å are below it).
fn is_composed(text: &str) -> bool {
    use unicode_normalization::char::canonical_combining_class;
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    let settled = |c: char| {
        c < '\u{300}'
            || (canonical_combining_class(c) == 0
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
    };
    let b = text.as_bytes();
    let mut at = 0;
    while at < b.len() {
        let end = (at + 64).min(b.len());
        // 0xCC is the first byte of U+0300; a fold, not `any`, so that it vectorizes.
        if !b[at..end].iter().fold(false, |high, &x| high | (x >= 0xCC)) {
            at = end;
            continue;
        }
        let (mut from, mut to) = (at, end);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        while !text.is_char_boundary(to) {
            to += 1;
        }
        if !text[from..to].chars().all(settled) {
            return false;
        }
        at = to;
    }
    true
}

fn typed<F: for<'de> serde::Deserialize<'de>>(
    file: SourceFile,
    split: Split,
    body: Body,
) -> Result<Doc<F>, Diagnostics> {
    let front = frontmatter::parse::<F>(&file.path, &file.text, &split)?;
    Ok(Doc {
        file,
        front,
        body,
        front_span: split.front,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_file_names() {
        assert_eq!(
            plan_years("handleplan-2026.md", "handleplan").unwrap(),
            vec![2026]
        );
        assert_eq!(
            plan_years("handleplan-2025-2026.md", "handleplan").unwrap(),
            vec![2025, 2026]
        );
        assert!(plan_years("handleplan-26.md", "handleplan").is_err());
        assert!(plan_years("handleplan-2026-2025.md", "handleplan").is_err());
        assert!(plan_years("samarbejdsplan-2026.md", "handleplan").is_err());
    }

    #[test]
    fn text_is_read_composed() {
        use unicode_normalization::UnicodeNormalization;
        // Decomposed: å as a + ring, é as e + acute, ệ as e + two marks out of order.
        let cases = [
            ("a\u{30a}r", "år"),
            ("Cafe\u{301}", "Café"),
            ("e\u{323}\u{302}", "\u{1ec7}"),
            ("Hjørring – “år”", "Hjørring – “år”"),
        ];
        for (given, want) in cases {
            assert_eq!(composed(given.into()), want);
        }
        // A decomposed letter past the first 64-byte run, and one that straddles a run's
        // end, are found too.
        for pad in 60..70 {
            let text = format!("{}a\u{30a}", "x".repeat(pad));
            assert!(!is_composed(&text), "{pad}");
            assert_eq!(composed(text.clone()), text.nfc().collect::<String>());
        }
        // The quick test agrees with the definition on every character to U+FFFF after
        // a base letter, and on its own.
        for c in (0x300u32..0x1_0000).filter_map(char::from_u32) {
            for s in [format!("a{c}"), c.to_string()] {
                if is_composed(&s) {
                    assert!(s.nfc().eq(s.chars()), "{:?}", s);
                }
            }
        }
    }
}
