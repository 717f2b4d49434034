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
    let mut site = site_at(root);
    let path = root.join(PLAN);
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
            "### 2.5. Exit-enhed {indsats=bandeexit}\n",
            "### 2.5. Exit-enhed {indsats=bandeexit}\n\nEn ny sætning om exit-arbejdet i 2025.\n",
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
    // Opting a bound heading out drops radikalisering from 2025, so 2026's status for it
    // changes (it compares with 2025); Hjørring still binds it in 2026, so the site's
    // shape is the same and the edit is patched.
    let dir = TempDir::new("patch-binding");
    copy_site(&repo(), &dir.0);
    let (result, site) = patch_after(&dir.0, |t| {
        t.replacen(
            "### 2.6. Infohus {indsats=radikalisering}",
            "### 2.6. Infohus {indsats=-}",
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
        text.replacen("{indsats=bandeexit}", "{indsats=findes-ikke}", 1),
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
