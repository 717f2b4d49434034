//! A production build keeps most pages (a plan, its comparison, an issuer's plan list,
//! an indsatsområde's history in one issuer's plans, a kommune's, a district's, an
//! indsatsområde's and a year's page) by a quick key: the digests of the site-wide state
//! and of the plans the page reads, without building the page's context
//! (`render::reads_plans`, `Renderer::quick_key`). That is only right if those pages
//! really read no other plans. These tests hold every such page to it: each plan in
//! turn is changed in every field a page could show, and every page that does not list
//! the plan must come out the same (its full fingerprint, the hash of all its template
//! input with every Markdown and diff part rendered, is compared); the plan's own page
//! must not. An end-to-end build after edits must equal a full build.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use planspor::load::frontmatter::{Member, Signatory};
use planspor::load::PlanKind;
use planspor::model::digest::Digests;
use planspor::model::evolution::Status;
use planspor::model::{Date, Meeting, Site};
use planspor::render::{reads_plans, RenderOptions, Renderer};
use planspor::routes::{self, Page, Routes};

fn site_at(root: &Path) -> Site {
    let (site, diags) = planspor::site::load_site(root, None);
    assert!(!diags.has_errors(), "{}", diags.render(false));
    site.expect("a site")
}

/// `site` with plan `q` changed in every field a page shows, and its statuses.
fn with_plan_changed(site: &Site, q: usize) -> Site {
    let mut s = site.clone();
    let plan = Arc::make_mut(&mut s.plans[q]);
    plan.title.push_str(" (ændret)");
    plan.key.push('x');
    plan.years = plan.years.iter().map(|y| y + 100).collect();
    plan.kind = match plan.kind {
        PlanKind::Samarbejdsplan => PlanKind::Handleplan,
        PlanKind::Handleplan => PlanKind::Samarbejdsplan,
    };
    plan.subtitle = Some("En ny undertitel".into());
    plan.summary = Some("Et nyt resumé.".into());
    plan.approved = Some(Date {
        year: 1999,
        month: 1,
        day: 2,
    });
    plan.approved_place = Some("Et nyt sted".into());
    plan.intro_md.push_str("\n\nEn ny indledning.");
    plan.signatories.push(Signatory {
        name: "Ny Underskriver".into(),
        role: None,
    });
    plan.members.push(Member {
        role: "Nyt medlem".into(),
        name: Some("Ny Person".into()),
        organisation: None,
    });
    plan.meetings.push(Meeting {
        date: Date {
            year: 1999,
            month: 3,
            day: 4,
        },
        time: Some("13".into()),
        place: Some("Et mødested".into()),
        note: Some("borgmesteren inviteres".into()),
    });
    for lp in &mut plan.local_priorities {
        lp.items.push("En ny lokal prioritet".into());
    }
    for st in &mut plan.statistics {
        st.title.push_str(" (ny)");
    }
    if let Some(source) = &mut plan.source {
        source.note = Some("En ny note.".into());
    }
    if let Some(sec) = plan.sections.first_mut() {
        sec.covers.push(0);
    }
    for sec in &mut plan.sections {
        sec.title.push_str(" ny");
        sec.title_md.push_str(" ny");
        sec.anchor.push_str("-ny");
        sec.own_md.push_str("\n\nEt nyt afsnit.");
    }
    let ev = Arc::make_mut(&mut s.evolution.plans[q]);
    for e in &mut ev.entries {
        e.status = match e.status {
            Status::Videreført => Status::Ændret,
            _ => Status::Videreført,
        };
        if let Some(d) = &mut e.diff {
            d.added_words += 7;
        }
    }
    s
}

/// Every page's full fingerprint: all of its template input, each Markdown and diff
/// part rendered (the renderer has no memo, so nothing is deferred).
fn fingerprints(site: &Site, root: &Path, pages: &[Page]) -> Vec<u128> {
    let renderer = Renderer::new(root, &site.config.theme).expect("theme");
    let r = Routes::new(site, "/".into());
    let opts = RenderOptions::default();
    pages
        .iter()
        .map(|&page| renderer.fingerprint(&renderer.input(site, &r, &opts, page)))
        .collect()
}

/// For each plan in `plans`: change it, and check every page with a quick key.
fn assert_pages_read_only_their_plans(site: &Site, root: &Path, plans: &[usize]) {
    let pages: Vec<Page> = routes::all(site)
        .into_iter()
        .filter(|&p| reads_plans(site, p).is_some())
        .collect();
    assert!(pages.len() > 10, "{} pages with quick keys", pages.len());
    // Every kind of page with a quick key is checked against some plan it does not read.
    let kind = |p: &Page| format!("{p:?}").split('(').next().unwrap_or("").to_string();
    let mut checked = std::collections::BTreeSet::new();
    let before = fingerprints(site, root, &pages);
    for &q in plans {
        let changed = with_plan_changed(site, q);
        let after = fingerprints(&changed, root, &pages);
        let mut others = 0;
        for ((page, a), b) in pages.iter().zip(&before).zip(&after) {
            let reads = reads_plans(site, *page).unwrap_or_default();
            if !reads.contains(&q) {
                others += 1;
                checked.insert(kind(page));
                assert_eq!(
                    a,
                    b,
                    "{page:?} ({}) changed with plan {}, which it does not list",
                    routes::file(site, *page),
                    site.plans[q].file.display()
                );
            } else if *page == Page::Plan(q) {
                assert_ne!(a, b, "the change shows on the plan's own page");
            }
        }
        assert!(others > 0, "plan {q}: no page that does not read it");
    }
    let kinds: std::collections::BTreeSet<String> = pages.iter().map(kind).collect();
    assert_eq!(checked, kinds, "kinds of page checked");
}

#[test]
fn pages_read_no_plans_they_do_not_list_on_the_default_site() {
    let site = default_model();
    let plans: Vec<usize> = (0..site.plans.len()).collect();
    assert_pages_read_only_their_plans(site, &repo(), &plans);
}

#[test]
fn pages_read_no_plans_they_do_not_list_on_a_generated_corpus() {
    // Two districts with many kommuner each, district plans with local priorities for
    // them, chains of plans: shapes the five seed plans have few of.
    let dir = TempDir::new("quick-keys-corpus");
    planspor::corpus::generate(&planspor::corpus::CorpusOptions {
        out: dir.0.clone(),
        seed: 7,
        years: 3,
        scale: 0.2,
    })
    .expect("corpus");
    let site = site_at(&dir.0);
    // A first, a middle and a last plan of a kommune, and a district plan with local
    // priorities.
    let kommune_chain = (0..site.plans.len())
        .find(|&p| {
            matches!(site.plans[p].issuer, planspor::model::Issuer::Kommune(_))
                && site.plans[p].prev.is_none()
                && site.plans[p].next.is_some()
        })
        .expect("a kommune with plans");
    let mut plans = vec![kommune_chain];
    let mut p = kommune_chain;
    while let Some(n) = site.plans[p].next {
        p = n;
    }
    plans.extend([site.plans[kommune_chain].next.unwrap_or(p), p]);
    plans.extend((0..site.plans.len()).find(|&p| !site.plans[p].local_priorities.is_empty()));
    assert_eq!(plans.len(), 4, "{plans:?}");
    assert_pages_read_only_their_plans(&site, &dir.0, &plans);
}

#[test]
fn a_plan_s_edit_changes_the_quick_keys_of_the_pages_reading_it_alone() {
    let site = default_model();
    let root = repo();
    let renderer = Renderer::new(&root, &site.config.theme).expect("theme");
    let opts = RenderOptions::default();
    let q = (0..site.plans.len())
        .find(|&p| site.plans[p].prev.is_some())
        .expect("a plan with a predecessor");
    let mut changed = with_plan_changed(site, q);
    // A plan's key is its address, which is site-wide (pages list plans by it): keep
    // it here, to see the plan's own digest at work.
    Arc::make_mut(&mut changed.plans[q]).key = site.plans[q].key.clone();
    let keys = |s: &Site| -> Vec<Option<u128>> {
        let digests = Digests::of(s);
        let r = Routes::new(s, "/".into());
        routes::all(site)
            .into_iter()
            .map(|page| renderer.quick_key(s, &digests, &r, &opts, page))
            .collect()
    };
    let (before, after) = (keys(site), keys(&changed));
    for ((page, a), b) in routes::all(site).into_iter().zip(&before).zip(&after) {
        match reads_plans(site, page) {
            None => assert!(a.is_none() && b.is_none(), "{page:?} has no quick key"),
            Some(ps) if ps.contains(&q) => assert_ne!(a, b, "{page:?}"),
            Some(_) => assert_eq!(a, b, "{page:?}"),
        }
    }
    // The options and the base path are part of every key.
    let digests = Digests::of(site);
    let r = Routes::new(site, "/".into());
    let sub = Routes::new(site, "/planer/".into());
    let dev = RenderOptions {
        dev_script: Some("<script></script>".into()),
        ..RenderOptions::default()
    };
    let page = Page::Plan(q);
    let key = renderer.quick_key(site, &digests, &r, &opts, page);
    assert_ne!(key, renderer.quick_key(site, &digests, &sub, &opts, page));
    assert_ne!(key, renderer.quick_key(site, &digests, &r, &dev, page));
}

/// Builds `root` into `out` with the planspor binary; returns its build line.
fn build(root: &Path, out: &Path) -> String {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("planspor runs");
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

/// The number just before `label` in a build line.
fn count(line: &str, label: &str) -> usize {
    let head = &line[..line
        .find(label)
        .unwrap_or_else(|| panic!("{label:?} in {line:?}"))];
    let digits = head
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("");
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a number before {label:?} in {line:?}"))
}

fn edit(path: &Path, f: impl FnOnce(&str) -> String) {
    // A model's paths are relative to its root; relative here they would be the repo's.
    assert!(
        path.is_absolute(),
        "{} is not under the test's root",
        path.display()
    );
    let text = std::fs::read_to_string(path).expect("readable");
    let new = f(&text);
    assert_ne!(new, text, "the edit changes {}", path.display());
    std::fs::write(path, new).expect("writable");
}

#[test]
fn builds_after_edits_on_a_generated_corpus_equal_full_builds() {
    let dir = TempDir::new("quick-keys-builds");
    let root = dir.0.join("site");
    planspor::corpus::generate(&planspor::corpus::CorpusOptions {
        out: root.clone(),
        seed: 7,
        years: 6,
        scale: 0.05,
    })
    .expect("corpus");
    let out = dir.0.join("public");
    build(&root, &out);
    let site = site_at(&root);
    let middle = (0..site.plans.len())
        .find(|&p| site.plans[p].prev.is_some() && site.plans[p].next.is_some())
        .expect("a plan in the middle of a chain");
    let file = root.join(&site.plans[middle].file);
    let kommune = root.join(&site.kommuner[0].file);
    let district = (site.plans.iter())
        .find(|p| !p.local_priorities.is_empty())
        .map(|p| root.join(&p.file))
        .expect("a district plan with local priorities");
    drop(site);
    let edits: [fn(&str) -> String; 4] = [
        // A text edit: the plan, the next plan's statuses, the issuer's histories.
        |t| format!("{t}\n\nEn ny sætning til sidst.\n"),
        // A title: the plan's name on its neighbours' pages.
        |t| t.replacen("title = \"", "title = \"Revideret: ", 1),
        // A heading at the top: every section of the plan moves.
        |t| {
            let body = t.find("\n+++").map_or(0, |i| i + 4);
            format!(
                "{}\n\n## Et nyt emne først\n\nTekst.\n{}",
                &t[..body],
                &t[body..]
            )
        },
        // A heading at the end.
        |t| format!("{t}\n\n## Et helt nyt emne\n\nTekst.\n"),
    ];
    for (n, e) in edits.iter().enumerate() {
        edit(&file, e);
        let line = build(&root, &out);
        let fresh = dir.0.join(format!("fresh-{n}"));
        let all = build(&root, &fresh);
        assert_eq!(
            read_tree(&out),
            read_tree(&fresh),
            "edit {n}: the kept build differs from a full build ({line})"
        );
        // And the pages of the other issuers were kept, not rendered again.
        let (pages, rendered) = (
            count(&all, " pages ("),
            count(&line, " of the pages rendered"),
        );
        assert!(rendered * 4 < pages, "edit {n}: {line}");
    }
    // A district plan's priorities for its kommuner show on the kommune pages.
    edit(&district, |t| {
        t.replacen("items = [", "items = [\"En ny prioritet\", ", 1)
    });
    build(&root, &out);
    let fresh = dir.0.join("fresh-district");
    build(&root, &fresh);
    assert_eq!(
        read_tree(&out),
        read_tree(&fresh),
        "after the district edit"
    );
    // A kommune's name is site-wide: every page that shows it follows.
    edit(&kommune, |t| t.replacen("name = \"", "name = \"Ny ", 1));
    build(&root, &out);
    let fresh = dir.0.join("fresh-kommune");
    build(&root, &fresh);
    assert_eq!(read_tree(&out), read_tree(&fresh), "after the kommune edit");
}
