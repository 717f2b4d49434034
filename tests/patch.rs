//! Serve's fast path patches edited plans into the served site instead of rebuilding it.
//! These tests hold it to one promise: the patched site renders byte for byte like a site
//! built from scratch from the same files, and edits that change the site's shape are
//! refused (so serve rebuilds everything), never patched half right.

mod common;

use std::path::Path;

use common::{copy_site, repo, TempDir};
use planspor::model::{update_plans, NotPatchable, Site};
use planspor::render::{RenderOptions, Renderer};
use planspor::site::{load_site, render_site};
use planspor::Diagnostics;

const PLAN: &str = "content/kredse/nordjylland/kommuner/hjoerring/handleplan-2025.md";

fn site_at(root: &Path) -> Site {
    let (site, diags) = load_site(root, None);
    assert!(!diags.has_errors(), "{}", diags.render(false));
    site.expect("a site")
}

fn rendered(site: &Site, root: &Path) -> Vec<(String, Vec<u8>)> {
    let renderer = Renderer::new(root, &site.config.theme).expect("theme");
    render_site(site, &renderer, &RenderOptions::default()).expect("renders")
}

/// Edits the plan with `edit`, patches it into a site loaded before the edit, and
/// returns the patch result with the patched site.
fn patch_after(
    root: &Path,
    edit: impl Fn(&str) -> String,
) -> (Result<Vec<usize>, NotPatchable>, Site) {
    patch_file_after(root, PLAN, edit)
}

fn patch_file_after(
    root: &Path,
    plan: &str,
    edit: impl Fn(&str) -> String,
) -> (Result<Vec<usize>, NotPatchable>, Site) {
    let mut site = site_at(root);
    let path = root.join(plan);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(text, edited, "the edit changes the file");
    std::fs::write(&path, edited).unwrap();
    let mut diags = Diagnostics::new();
    let lp = planspor::load::load_plan(root, &path, &mut diags).expect("a plan file");
    let result = update_plans(&mut site, vec![lp]).map(|(idx, _)| idx);
    (result, site)
}

fn assert_same_as_fresh_build(root: &Path, patched: &Site) {
    let fresh = site_at(root);
    let (a, b) = (rendered(patched, root), rendered(&fresh, root));
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(
            ba == bb,
            "{pa} differs between the patched site and a fresh build"
        );
    }
}

#[test]
fn a_text_edit_patches_to_exactly_what_a_full_build_gives() {
    let dir = TempDir::new("patch-text");
    copy_site(&repo(), &dir.0);
    let before = rendered(&site_at(&dir.0), &dir.0);
    let (result, site) = patch_after(&dir.0, |t| {
        t.replacen(
            "#### Indbrud {indsats=indbrud}\n",
            "#### Indbrud {indsats=indbrud}\n\nEn ny sætning om indbrud i 2025.\n",
            1,
        )
    });
    let idx = result.expect("a text edit is patched");
    assert_eq!(idx.len(), 1);
    assert_same_as_fresh_build(&dir.0, &site);
    // and the edit shows
    let after = rendered(&site, &dir.0);
    assert_ne!(before, after);
}

#[test]
fn a_heading_edit_that_moves_statuses_patches_exactly() {
    // Opting a bound heading out drops ungdomskriminalitet from 2025, so 2026's status
    // for it changes (it compares with 2025); Hjørring still binds it in 2026, so the
    // site's shape is the same and the edit is patched.
    let dir = TempDir::new("patch-binding");
    copy_site(&repo(), &dir.0);
    let (result, site) = patch_after(&dir.0, |t| {
        t.replacen(
            "følges {indsats=ungdomskriminalitet}",
            "følges {indsats=-}",
            1,
        )
    });
    assert!(result.is_ok(), "patched");
    assert_same_as_fresh_build(&dir.0, &site);
}

#[test]
fn a_new_indsatsomraade_for_the_issuer_is_refused_as_structural() {
    let dir = TempDir::new("patch-structural");
    copy_site(&repo(), &dir.0);
    let (result, _) = patch_after(&dir.0, |t| {
        t.replacen(
            "### 2.4. Ungesamråd",
            "### 2.4. Ungesamråd {indsats=konfliktraad}",
            1,
        )
    });
    // Hjørring has never bound konfliktråd: it would gain a history page for it.
    assert!(
        matches!(result, Err(NotPatchable::Structural)),
        "refused as structural"
    );
}

#[test]
fn a_front_matter_error_is_reported_and_leaves_the_site_alone() {
    let dir = TempDir::new("patch-error");
    copy_site(&repo(), &dir.0);
    let mut site = site_at(&dir.0);
    let before = rendered(&site, &dir.0);
    let path = dir.0.join(PLAN);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("year = 2025", "yaer = 2025", 1)).unwrap();
    let mut diags = Diagnostics::new();
    let lp = planspor::load::load_plan(&dir.0, &path, &mut diags);
    assert!(lp.is_none() && diags.has_errors());
    assert!(
        diags.render(false).contains("yaer"),
        "{}",
        diags.render(false)
    );
    // A plan-level error (an unknown indsatsområde) from the model is refused too.
    std::fs::write(
        &path,
        text.replacen("{indsats=indbrud}", "{indsats=findes-ikke}", 1),
    )
    .unwrap();
    let mut diags = Diagnostics::new();
    let lp = planspor::load::load_plan(&dir.0, &path, &mut diags).expect("parses");
    match update_plans(&mut site, vec![lp]) {
        Err(NotPatchable::Errors(d)) => {
            assert!(
                d.render(false).contains("findes-ikke"),
                "{}",
                d.render(false)
            )
        }
        other => panic!("expected errors, got {:?}", other.map(|(i, _)| i)),
    }
    assert_eq!(rendered(&site, &dir.0), before, "the site is unchanged");
}

/// The pages serve re-renders after an edit of plan `p` (before and after the patch).
fn affected(before: &Site, after: &Site, p: usize) -> Vec<planspor::routes::Page> {
    let mut pages = planspor::routes::affected_by_plan(before, p);
    pages.extend(planspor::routes::affected_by_plan(after, p));
    pages
}

/// Every page serve does not re-render after the edit is the same in a fresh build.
fn assert_unaffected_pages_unchanged(root: &Path, edit: impl Fn(&str) -> String) {
    assert_unaffected_pages_unchanged_in(root, PLAN, edit)
}

fn assert_unaffected_pages_unchanged_in(root: &Path, plan: &str, edit: impl Fn(&str) -> String) {
    let before = site_at(root);
    let (result, patched) = patch_file_after(root, plan, edit);
    let idx = result.expect("patched");
    let fresh = site_at(root);
    assert!(
        rendered(&patched, root) == rendered(&fresh, root),
        "the patched site renders like a fresh build"
    );
    // Serve writes only pages a full build has too.
    let all = planspor::routes::all(&fresh);
    for &p in &idx {
        for page in planspor::routes::affected_by_plan(&patched, p) {
            assert!(
                all.contains(&page),
                "serve would write {page:?}, which no build has"
            );
        }
    }
    let renderer = Renderer::new(root, &fresh.config.theme).expect("theme");
    let opts = RenderOptions::default();
    let rerendered: std::collections::BTreeSet<String> = idx
        .iter()
        .flat_map(|&p| affected(&before, &patched, p))
        .map(|page| planspor::routes::file(&fresh, page))
        .collect();
    let old: std::collections::BTreeMap<String, Vec<u8>> = render_site(&before, &renderer, &opts)
        .expect("renders")
        .into_iter()
        .collect();
    let mut stale = Vec::new();
    for (path, bytes) in render_site(&fresh, &renderer, &opts).expect("renders") {
        let is_data = !path.ends_with(".html");
        if !is_data && !rerendered.contains(&path) && old.get(&path) != Some(&bytes) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "serve would leave these pages stale: {stale:?}"
    );
}

#[test]
fn serve_re_renders_every_page_a_text_edit_changes() {
    let dir = TempDir::new("patch-affected-text");
    copy_site(&repo(), &dir.0);
    assert_unaffected_pages_unchanged(&dir.0, |t| {
        t.replacen(
            "følges {indsats=ungdomskriminalitet}",
            "følges {indsats=-}\n\nEndnu en sætning.",
            1,
        )
    });
}

#[test]
fn serve_re_renders_every_page_a_front_matter_edit_changes() {
    let dir = TempDir::new("patch-affected-front");
    copy_site(&repo(), &dir.0);
    assert_unaffected_pages_unchanged(&dir.0, |t| {
        t.replacen(
            "role = \"Formand og vicepolitiinspektør\"",
            "role = \"Formand\"",
            1,
        )
        .replacen(
            "subtitle = \"Lokalrådet i Hjørring Kommune\"",
            "subtitle = \"Lokalrådet\"",
            1,
        )
    });
}

#[test]
fn a_title_edit_is_refused_as_structural() {
    // The title is shown wherever the plan is listed, e.g. on the search page.
    let dir = TempDir::new("patch-title");
    copy_site(&repo(), &dir.0);
    let (result, _) = patch_after(&dir.0, |t| {
        t.replacen("title = \"", "title = \"Ny titel: ", 1)
    });
    assert!(matches!(result, Err(NotPatchable::Structural)));
}

#[test]
fn on_a_generated_corpus_an_edit_in_a_long_chain_leaves_nothing_stale() {
    // Chains of twelve plans per issuer, indsatsområder appearing, dropping and
    // returning: shapes the five seed plans do not have.
    let dir = TempDir::new("patch-corpus");
    let opts = planspor::corpus::CorpusOptions {
        out: dir.0.clone(),
        seed: 7,
        years: 12,
        scale: 0.1,
    };
    planspor::corpus::generate(&opts).expect("corpus");
    let site = site_at(&dir.0);
    // A plan in the middle of its issuer's chain, and one of its bound headings.
    let (p, heading) = (0..site.plans.len())
        .filter(|&p| site.plans[p].prev.is_some() && site.plans[p].next.is_some())
        .find_map(|p| {
            let s = site.plans[p]
                .sections
                .iter()
                .find(|s| !s.bindings.is_empty())?;
            Some((p, s.title_md.clone()))
        })
        .expect("a middle plan with a bound section");
    let plan = site.plans[p].file.to_string_lossy().to_string();
    drop(site);
    assert_unaffected_pages_unchanged_in(&dir.0, &plan, |t| {
        let line = t
            .lines()
            .find(|l| l.starts_with('#') && l.contains(heading.as_str()))
            .expect("the heading line");
        t.replacen(
            line,
            &format!("{line}\n\nEn ny sætning, skrevet i serve."),
            1,
        )
    });
}

#[test]
fn a_text_edit_that_changes_the_next_plan_s_status_patches_exactly() {
    // A text edit keeps the plan's indsatsområder, so serve recomputes the evolution of
    // this plan and the next only. Rewriting 2025's traffic section turns 2026's
    // "videreført" into "ændret" (2026 is compared with 2025): the next plan's status
    // must follow, on every page that shows it.
    let dir = TempDir::new("patch-next-status");
    copy_site(&repo(), &dir.0);
    let status_2026 = |site: &Site| {
        let p = site
            .plans
            .iter()
            .position(|p| p.file.ends_with("hjoerring/handleplan-2026.md"))
            .expect("2026");
        let i = site.indsats_by_id("trafiksikkerhed").expect("indsats");
        site.evolution.entry(p, i).expect("entry").status
    };
    let before = status_2026(&site_at(&dir.0));
    let rewrite = |t: &str| {
        let from = t
            .find("##### Nedbringelse af hastigheden")
            .expect("section");
        let to = t[from..].find("### 3.2.").expect("next chapter") + from;
        let new = "##### Nedbringelse af hastigheden på vejene\n\nEn helt anden tekst om \
                   fartkontrol, skilte og kampagner, skrevet om fra bunden, uden ét ord \
                   fra den gamle plan ud over overskriften.\n\n";
        format!("{}{new}{}", &t[..from], &t[to..])
    };
    assert_unaffected_pages_unchanged(&dir.0, rewrite);
    let after = status_2026(&site_at(&dir.0));
    assert_ne!(before, after, "the edit changes 2026's status");
    assert_eq!(after.label(), "ændret");
}

/// An opted-out heading that stops naming a registered indsatsområde (Hjørring's
/// "2.6. Infohus", an alias of radikalisering) takes that indsatsområde's page along.
#[test]
fn serve_re_renders_the_page_that_listed_a_section_no_longer_about_it() {
    let dir = TempDir::new("patch-affected-mention");
    copy_site(&repo(), &dir.0);
    assert_unaffected_pages_unchanged(&dir.0, |t| {
        assert!(t.contains("### 2.6. Infohus {indsats=-}"));
        t.replacen(
            "### 2.6. Infohus {indsats=-}",
            "### 2.6. Infohusene i kommunen {indsats=-}",
            1,
        )
    });
}
