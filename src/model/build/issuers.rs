//! The plans' issuers: kredse and their kommuner, from their `_index.md` files.

use std::collections::HashMap;

use super::front::check_url;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::frontmatter::{KommuneFront, KredsFront};
use crate::load::{Doc, LoadedPlan, SourceFile};
use crate::model::names;
use crate::model::*;

/// Every `_index.md` found, parsed or not: `(kreds, None)` or `(kreds, Some(kommune))`.
type IndexFiles = [(String, Option<String>)];

/// Links publishers give in front matter end up as `href`s: only web and mail
/// addresses may, never `javascript:` or `data:` URLs.
pub(super) fn check_websites(
    kredse: &[(String, Doc<KredsFront>)],
    kommuner: &[(String, String, Doc<KommuneFront>)],
    diags: &mut Diagnostics,
) {
    let sites = kredse
        .iter()
        .map(|(_, d)| (&d.file, &d.front_span, d.front.website.as_deref()))
        .chain(
            kommuner
                .iter()
                .map(|(_, _, d)| (&d.file, &d.front_span, d.front.website.as_deref())),
        );
    for (file, span, website) in sites {
        check_url(file, span, "website", website, diags);
    }
}

/// Kredse, by slug. A kreds folder without `_index.md` is an error.
pub(super) fn kredse(
    loaded: Vec<(String, Doc<KredsFront>)>,
    dirs: &[String],
    index_files: &IndexFiles,
    diags: &mut Diagnostics,
) -> Vec<Kreds> {
    let mut kredse: Vec<Kreds> = loaded
        .into_iter()
        .map(|(slug, doc)| kreds(slug, &doc))
        .collect();
    kredse.sort_by(|a, b| a.slug.cmp(&b.slug));
    for k in dirs {
        // An _index.md that is there but broken was reported where it is broken.
        let has_index = index_files.contains(&(k.clone(), None));
        if !has_index && kreds_index(&kredse, k).is_none() {
            diags.push(
                Diagnostic::error(
                    format!("content/kredse/{k}"),
                    format!("kreds folder `{k}` has no _index.md"),
                )
                .of_folder()
                .with_help(missing_kreds_help(k, &kredse)),
            );
        }
    }
    kredse
}

/// One kreds from its `_index.md`; short name and council default from its name.
fn kreds(slug: String, doc: &Doc<KredsFront>) -> Kreds {
    let f = &doc.front;
    Kreds {
        short_name: f.short_name.clone().unwrap_or_else(|| f.name.clone()),
        council: f
            .council
            .clone()
            .unwrap_or_else(|| format!("Kredsrådet i {}", f.name)),
        name: f.name.clone(),
        website: f.website.clone(),
        body_md: doc.body_markdown(),
        file: doc.file.path.clone(),
        slug,
        kommuner: Vec::new(),
        plans: Vec::new(),
    }
}

/// Kommuner, by slug; slugs are national (URL /kommuner/<slug>/), so a slug in two
/// kredse is an error, as is a kommune folder without `_index.md`. A kommune of an
/// unknown kreds is left out (the kreds was reported). Fills each kreds' kommuner.
pub(super) fn kommuner(
    loaded: Vec<(String, String, Doc<KommuneFront>)>,
    dirs: &[(String, String)],
    index_files: &IndexFiles,
    kredse: &mut [Kreds],
    diags: &mut Diagnostics,
) -> Vec<Kommune> {
    let mut kommuner: Vec<Kommune> = Vec::new();
    let mut files: HashMap<String, SourceFile> = HashMap::new();
    for (k, m, doc) in loaded {
        let Some(ki) = kreds_index(kredse, &k) else {
            continue;
        };
        if let Some(prev) = files.get(&m) {
            diags.push(
                Diagnostic::error(
                    &doc.file.path,
                    format!("kommune `{m}` also exists in {}", prev.path.display()),
                )
                .with_help("a kommune belongs to exactly one kreds; its slug must be unique"),
            );
            continue;
        }
        files.insert(m.clone(), doc.file.clone());
        if let Some(d) = names::check_kommune_folder(&k, &m, &doc) {
            diags.push(d);
        }
        kommuner.push(kommune(m, ki, &doc));
    }
    kommuner.sort_by(|a, b| a.slug.cmp(&b.slug));
    missing_kommune_indexes(dirs, index_files, &files, kredse, diags);
    for (i, m) in kommuner.iter().enumerate() {
        kredse[m.kreds].kommuner.push(i);
    }
    kommuner
}

/// One kommune of kreds `kreds` from its `_index.md`; the full name defaults from its name.
fn kommune(slug: String, kreds: usize, doc: &Doc<KommuneFront>) -> Kommune {
    let f = &doc.front;
    Kommune {
        full_name: f
            .full_name
            .clone()
            .unwrap_or_else(|| format!("{} Kommune", f.name)),
        name: f.name.clone(),
        website: f.website.clone(),
        body_md: doc.body_markdown(),
        file: doc.file.path.clone(),
        slug,
        kreds,
        plans: Vec::new(),
    }
}

/// A kommune folder of a known kreds without `_index.md` (none read, none broken) is an
/// error; `read`: the kommuner read, by slug.
fn missing_kommune_indexes(
    dirs: &[(String, String)],
    index_files: &IndexFiles,
    read: &HashMap<String, SourceFile>,
    kredse: &[Kreds],
    diags: &mut Diagnostics,
) {
    for (k, m) in dirs {
        let has_index = index_files.contains(&(k.clone(), Some(m.clone())));
        if !has_index && !read.contains_key(m) && kreds_index(kredse, k).is_some() {
            diags.push(
                Diagnostic::error(
                    format!("content/kredse/{k}/kommuner/{m}"),
                    format!("kommune folder `{m}` has no _index.md"),
                )
                .of_folder()
                .with_help(missing_index_help(k, m, read)),
            );
        }
    }
}

/// As [`missing_index_help`], for a kreds folder: a district of the national list is
/// given its `_index.md`; another name, the nearest of the site's districts or the
/// national list's.
fn missing_kreds_help(k: &str, kredse: &[Kreds]) -> String {
    let national = crate::init::national::kredse();
    if let Some(nk) = national.iter().find(|nk| nk.slug == k) {
        return format!(
            "add content/kredse/{k}/_index.md with `name = \"{}\"`, or copy the district from a new site: `planspor init \"$(mktemp -d)/site\" --kreds {k}`",
            nk.name
        );
    }
    let known = (kredse.iter().map(|x| x.slug.as_str()))
        .chain(national.iter().map(|x| x.slug.as_str()))
        .filter(|s| *s != k);
    let add = "a new district needs _index.md with at least `name = \"…\"` in its front matter";
    move_or_add(k, known, |s| format!("content/kredse/{s}/"), add)
}

/// "did you mean `s`? Move the files to `folder(s)`; `add`" for the nearest of `known`
/// to the folder name `name`, or `add` alone.
fn move_or_add<'a>(
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
    folder: impl Fn(&str) -> String,
    add: &str,
) -> String {
    match crate::diagnostics::did_you_mean(name, known) {
        Some(s) => format!("did you mean `{s}`? Move the files to {}; {add}", folder(s)),
        None => add.to_string(),
    }
}

/// A folder without `_index.md` is most often a kommune's name mistyped: the nearest
/// kommune of the district (the site's or the national list's) comes first, as adding
/// an `_index.md` would publish a kommune that does not exist. A kommune of the
/// district's national list is given its `_index.md`.
fn missing_index_help(k: &str, m: &str, read: &HashMap<String, SourceFile>) -> String {
    let national = crate::init::national::kredse();
    let nk = national.iter().find(|nk| nk.slug == k);
    if let Some(real) = nk.and_then(|nk| nk.kommuner.iter().find(|x| x.slug == m)) {
        return format!(
            "add content/kredse/{k}/kommuner/{m}/_index.md with `name = \"{}\"`",
            real.name
        );
    }
    let here = PathBuf::from(format!("content/kredse/{k}"));
    let in_site = (read.iter())
        .filter(|(_, f)| f.path.starts_with(&here))
        .map(|(s, _)| s.as_str());
    let in_kreds = nk
        .into_iter()
        .flat_map(|nk| nk.kommuner.iter().map(|x| x.slug.as_str()));
    let known = in_site.chain(in_kreds).filter(|s| *s != m);
    let add = "a new kommune needs _index.md with at least `name = \"…\"` in its front matter";
    move_or_add(
        m,
        known,
        |s| format!("content/kredse/{k}/kommuner/{s}/"),
        add,
    )
}

/// Who issued `lp`, by its folder: `None` when the kreds or kommune is unknown, which
/// was reported already, except a kommune folder without `_index.md`, reported here.
pub(super) fn plan_issuer(
    lp: &LoadedPlan,
    kredse: &[Kreds],
    kommuner: &[Kommune],
    index_files: &IndexFiles,
    diags: &mut Diagnostics,
) -> Option<Issuer> {
    let Some(m) = &lp.kommune else {
        return kreds_index(kredse, &lp.kreds).map(Issuer::Kreds);
    };
    match kommune_index(kommuner, m) {
        Some(i) if kommuner[i].kreds == kreds_index(kredse, &lp.kreds).unwrap_or(usize::MAX) => {
            Some(Issuer::Kommune(i))
        }
        _ => {
            if !index_files.contains(&(lp.kreds.clone(), Some(m.clone()))) {
                diags.push(Diagnostic::error(
                    &lp.doc.file.path,
                    format!("plan of kommune `{m}`, which has no _index.md"),
                ));
            }
            None
        }
    }
}

/// The index of the kreds `slug` in `kredse`, sorted by slug.
fn kreds_index(kredse: &[Kreds], slug: &str) -> Option<usize> {
    kredse.binary_search_by(|x| x.slug.as_str().cmp(slug)).ok()
}

/// The index of the kommune `slug` in `kommuner`, sorted by slug.
fn kommune_index(kommuner: &[Kommune], slug: &str) -> Option<usize> {
    kommuner
        .binary_search_by(|x| x.slug.as_str().cmp(slug))
        .ok()
}
