//! Lineage: how an indsatsområde relates to the issuer's previous plan, on small trees
//! whose every status and relation is derived by hand from the plans' text.

mod common;

use std::path::Path;

use common::TempDir;
use planspor::model::evolution::{indsats_text, Entry, Status};
use planspor::model::Site;

const IDS: [&str; 6] = ["a", "b", "c", "d", "e", "u"];

/// One kreds with samarbejdsplaner for the given years and bodies; registry ids
/// `a`…`e` and the umbrella `u`.
fn site(name: &str, plans: &[(i64, &str)]) -> (TempDir, Site) {
    let d = TempDir::new(name);
    let r = d.path();
    put(
        r,
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/\"\n",
    );
    put(r, "content/_index.md", "+++\ntitle = \"Forside\"\n+++\n");
    for id in IDS {
        let title = format!("Indsatsområde {}", id.to_uppercase());
        put(
            r,
            &format!("content/indsatsomraader/{id}.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n"),
        );
    }
    put(
        r,
        "content/kredse/nord/_index.md",
        "+++\nname = \"Nordpolitiet\"\n+++\n",
    );
    for (year, body) in plans {
        put(
            r,
            &format!("content/kredse/nord/samarbejdsplan-{year}.md"),
            &format!(
                "+++\nkind = \"samarbejdsplan\"\nyear = {year}\ntitle = \"Samarbejdsplan {year}\"\n+++\n## Indsatsområder {{indsatser}}\n\n{body}"
            ),
        );
    }
    let (s, diags) = planspor::site::load_site(r, None);
    assert!(!diags.has_errors(), "{}", diags.render(false));
    (d, s.expect("a site"))
}

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn plan(s: &Site, year: i64) -> usize {
    s.plans.iter().position(|p| p.first_year() == year).unwrap()
}

fn entry<'a>(s: &'a Site, year: i64, id: &str) -> Option<&'a Entry> {
    s.evolution
        .entry(plan(s, year), s.indsats_by_id(id).unwrap())
}

fn status(s: &Site, year: i64, id: &str) -> Option<Status> {
    entry(s, year, id).map(|e| e.status)
}

fn ids(s: &Site, v: &[usize]) -> Vec<String> {
    v.iter().map(|&i| s.indsatser[i].id.clone()).collect()
}

const TEXT_A: &str = "Politiet og kommunen styrker indsatsen mod indbrud i hele kredsen.";
const TEXT_B: &str = "Flere unge skal lære at færdes trygt på nettet og sige fra.";

#[test]
fn a_first_plan_has_nothing_new() {
    let (_d, s) = site(
        "first",
        &[(
            2024,
            &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
        )],
    );
    assert_eq!(status(&s, 2024, "a"), Some(Status::Første));
    assert_eq!(status(&s, 2024, "b"), Some(Status::Første));
    assert!(s.evolution.plans[0]
        .entries
        .iter()
        .all(|e| e.status != Status::Ny));
}

#[test]
fn new_means_absent_from_every_earlier_plan() {
    let (_d, s) = site(
        "ny",
        &[
            (2024, &format!("### A {{indsats=a}}\n\n{TEXT_A}\n")),
            (
                2025,
                &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
            ),
        ],
    );
    assert_eq!(status(&s, 2025, "a"), Some(Status::Videreført));
    assert_eq!(status(&s, 2025, "b"), Some(Status::Ny));
}

#[test]
fn a_merge_names_what_it_merged_with() {
    let (_d, s) = site(
        "merge",
        &[
            (
                2024,
                &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
            ),
            (
                2025,
                &format!("### A og B {{indsats=a,b}}\n\n{TEXT_A}\n\n{TEXT_B}\n"),
            ),
        ],
    );
    for (id, other) in [("a", "b"), ("b", "a")] {
        let e = entry(&s, 2025, id).unwrap();
        assert_eq!(e.status, Status::Sammenlagt, "{id}");
        assert_eq!(ids(&s, &e.merged_with), [other]);
        assert!(e.split_from.is_empty());
    }
}

#[test]
fn a_split_names_what_it_split_from() {
    let (_d, s) = site(
        "split",
        &[
            (
                2024,
                &format!("### A og B {{indsats=a,b}}\n\n{TEXT_A}\n\n{TEXT_B}\n"),
            ),
            (
                2025,
                &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
            ),
        ],
    );
    for (id, other) in [("a", "b"), ("b", "a")] {
        let e = entry(&s, 2025, id).unwrap();
        assert_eq!(e.status, Status::Udskilt, "{id}");
        assert_eq!(ids(&s, &e.split_from), [other]);
        assert!(e.merged_with.is_empty());
    }
}

#[test]
fn those_left_together_are_not_split_only_the_one_that_left() {
    // A, B and C share a section; then A and B still do, and C has its own. A reader
    // says C was split off; A and B continued together.
    let (_d, s) = site(
        "split-one-of-three",
        &[
            (
                2024,
                &format!("### A, B og C {{indsats=a,b,c}}\n\n{TEXT_A}\n\n{TEXT_C}\n"),
            ),
            (
                2025,
                &format!(
                    "### A og B {{indsats=a,b}}\n\n{TEXT_A}\n\n### C {{indsats=c}}\n\n{TEXT_C}\n"
                ),
            ),
        ],
    );
    let c = entry(&s, 2025, "c").unwrap();
    assert_eq!(c.status, Status::Udskilt);
    assert_eq!(ids(&s, &c.split_from), ["a", "b"]);
    for id in ["a", "b"] {
        let e = entry(&s, 2025, id).unwrap();
        assert_ne!(e.status, Status::Udskilt, "{id}");
        assert_eq!(ids(&s, &e.split_from), ["c"], "{id}: the relation is kept");
    }
}

#[test]
fn a_dropped_partner_is_no_split() {
    let (_d, s) = site(
        "dropped-partner",
        &[
            (2024, &format!("### A og B {{indsats=a,b}}\n\n{TEXT_A}\n")),
            (2025, &format!("### A {{indsats=a}}\n\n{TEXT_A}\n")),
        ],
    );
    assert_eq!(status(&s, 2025, "a"), Some(Status::Videreført));
    assert!(entry(&s, 2025, "a").unwrap().split_from.is_empty());
    assert_eq!(status(&s, 2025, "b"), Some(Status::Udgået));
    // Dropped itself, it left the shared section: not "udskilt fra a" (a reader would
    // say it was dropped, and the page showed both).
    let b = entry(&s, 2025, "b").unwrap();
    assert!(b.split_from.is_empty(), "{:?}", ids(&s, &b.split_from));
    assert_eq!(b.old_sections.len(), 1, "its old, shared section is linked");
}

/// The Aalborg case a reader checked: "Indbrud og vold" with a paragraph on each, then
/// "Indbrud" alone with its paragraph as it was and vold gone. The words that left were
/// vold's: indbrud continues (it was "ændret", by the words the section lost).
#[test]
fn a_text_left_alone_by_a_dropped_partner_is_judged_by_its_own_words() {
    let shared = format!("### A og B {{indsats=a,b}}\n\n{TEXT_A}\n\nOfre for vold i hjemmet skal have hjælp hurtigere end i dag, også om natten.\n");
    let (_d, s) = site(
        "dropped-partner-words",
        &[
            (2024, &shared),
            (2025, &format!("### A {{indsats=a}}\n\n{TEXT_A}\n")),
        ],
    );
    assert_eq!(status(&s, 2025, "a"), Some(Status::Videreført));
    assert_eq!(status(&s, 2025, "b"), Some(Status::Udgået));
    let d = entry(&s, 2025, "a").unwrap().diff.as_ref().unwrap();
    assert!(
        d.removed_words > 0,
        "the page still shows what the section lost"
    );
    // What it says itself changed past the rule: ændret, as for any text.
    let (_d, s) = site(
        "dropped-partner-rewritten",
        &[
            (2024, &shared),
            (2025, &format!("### A {{indsats=a}}\n\n{TEXT_A} Fra næste år følger en helt ny plan med flere betjente og kameraer i alle boligområder.\n")),
        ],
    );
    assert_eq!(status(&s, 2025, "a"), Some(Status::Ændret));
    // Left with no words at all: no continuation.
    let (_d, s) = site(
        "dropped-partner-empty",
        &[(2024, &shared), (2025, "### A {indsats=a}\n\n")],
    );
    assert_eq!(status(&s, 2025, "a"), Some(Status::Ændret));
}

const UMBRELLA: &str = "Projektet samler kommunens lokale indsatser under én paraply.";
const TEXT_C: &str = "Naboer hjælper hinanden, når krisen rammer.";
const TEXT_D: &str = "Grønne tiltag i hverdagen for alle borgere.";

/// 2024: an umbrella naming its sub-areas `c` and `d` without headings. 2025: the same
/// umbrella with `c` and `d` as sub-sections, and a new `e`.
fn umbrella_site(name: &str) -> (TempDir, Site) {
    site(
        name,
        &[
            (2024, &format!("### U {{indsats=u omfatter=c,d}}\n\n{UMBRELLA} Det gælder krisehjælp og grøn omstilling.\n")),
            (
                2025,
                &format!(
                    "### U {{indsats=u}}\n\n{UMBRELLA} Det gælder krisehjælp og grøn omstilling.\n\n#### C {{indsats=c}}\n\n{TEXT_C}\n\n#### D {{indsats=d}}\n\n{TEXT_D}\n\n#### E {{indsats=e}}\n\nHelt nyt.\n"
                ),
            ),
        ],
    )
}

#[test]
fn an_umbrella_continues_and_its_named_parts_split_off() {
    let (_d, s) = umbrella_site("umbrella");
    // The umbrella's own text did not change: its parts' texts are theirs, not its.
    let u = entry(&s, 2025, "u").unwrap();
    assert_eq!(u.status, Status::Videreført);
    assert!(u.diff.as_ref().is_some_and(|d| d.is_unchanged()));
    let own = indsats_text(&s, plan(&s, 2025), &u.new_sections);
    assert!(own.contains("paraply") && !own.contains(TEXT_C) && !own.contains("Helt nyt"));
    for id in ["c", "d"] {
        let e = entry(&s, 2025, id).unwrap();
        assert_eq!(e.status, Status::Udskilt, "{id}");
        assert_eq!(ids(&s, &e.split_from), ["u"]);
        assert_eq!(ids(&s, &e.part_of), ["u"]);
    }
    let e = entry(&s, 2025, "e").unwrap();
    assert_eq!(e.status, Status::Ny);
    assert_eq!(ids(&s, &e.part_of), ["u"]);
    // In the first plan the named sub-areas are there, as parts of the umbrella.
    let c = entry(&s, 2024, "c").unwrap();
    assert_eq!(c.status, Status::Første);
    assert!(c.covered);
    assert_eq!(ids(&s, &c.part_of), ["u"]);
}

#[test]
fn a_section_folded_into_an_umbrella_is_merged_into_it() {
    let (_d, s) = site(
        "fold",
        &[
            (
                2024,
                &format!("### U {{indsats=u}}\n\n{UMBRELLA}\n\n### C {{indsats=c}}\n\n{TEXT_C}\n"),
            ),
            (
                2025,
                &format!("### U {{indsats=u omfatter=c}}\n\n{UMBRELLA} {TEXT_C}\n"),
            ),
        ],
    );
    let c = entry(&s, 2025, "c").unwrap();
    assert_eq!(c.status, Status::Sammenlagt);
    assert!(c.covered);
    assert_eq!(ids(&s, &c.merged_with), ["u"]);
}

#[test]
fn back_after_a_gap_is_resumed_and_the_gap_is_dropped() {
    let (_d, s) = site(
        "gap",
        &[
            (
                2023,
                &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
            ),
            (2024, &format!("### B {{indsats=b}}\n\n{TEXT_B}\n")),
            (
                2025,
                &format!("### A {{indsats=a}}\n\n{TEXT_A}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n"),
            ),
        ],
    );
    assert_eq!(status(&s, 2024, "a"), Some(Status::Udgået));
    assert_eq!(status(&s, 2025, "a"), Some(Status::Genoptaget));
    assert_eq!(status(&s, 2025, "b"), Some(Status::Videreført));
}

#[test]
fn merged_beats_split_beats_text_change() {
    // `a` leaves `b` and joins `c` in one step: sammenlagt wins, both relations kept.
    let (_d, s) = site(
        "precedence",
        &[
            (2024, &format!("### A og B {{indsats=a,b}}\n\n{TEXT_A}\n\n### C {{indsats=c}}\n\n{TEXT_C}\n")),
            (2025, &format!("### A og C {{indsats=a,c}}\n\n{TEXT_A} {TEXT_C}\n\n### B {{indsats=b}}\n\n{TEXT_B}\n")),
        ],
    );
    let a = entry(&s, 2025, "a").unwrap();
    assert_eq!(a.status, Status::Sammenlagt);
    assert_eq!(ids(&s, &a.merged_with), ["c"]);
    assert_eq!(ids(&s, &a.split_from), ["b"]);
    assert_eq!(status(&s, 2025, "b"), Some(Status::Udskilt));
}

#[test]
fn a_heading_binds_by_its_registered_title_alone() {
    let (_d, s) = site(
        "auto",
        &[(2024, "### 3.1. Indsatsområde A:\n\nTekst.\n\n### Indsatsområde b {indsats=-}\n\nIkke bundet.\n")],
    );
    let p = &s.plans[0];
    let a = p.sections.iter().find(|x| x.title.contains(" A")).unwrap();
    assert_eq!(a.binding, planspor::model::Binding::Automatic);
    assert_eq!(ids(&s, &a.bindings), ["a"]);
    let b = p.sections.iter().find(|x| x.title.contains(" b")).unwrap();
    assert!(b.bindings.is_empty());
}

/// The same four sentences, two paragraphs joined into one in 2026 (as a PDF extraction
/// may do): a careful reader sees the same text, so it is continued, with no word added
/// or deleted; one word changed besides is that one word.
#[test]
fn paragraphs_joined_are_the_same_text() {
    let s1 = "Kredsrådet drøfter mindst en gang årligt udviklingen i ungdomskriminaliteten, og politiet udarbejder en aktuel analyse.";
    let s2 = "Status for arbejdet i Ungdomskriminalitetsnævnet kan også indgå i dialogen på kredsrådsmødet.";
    let s3 = "Ud fra drøftelsen kan kredsrådet vurdere, om der skal iværksættes nye initiativer.";
    let s4 = "Lokale udfordringer kan naturligt indgå i lokalrådets handleplan.";
    let old = format!("### Indsatsområde A\n\n{s1} {s2}\n\n{s3}\n\n{s4}\n");
    let new = format!("### Indsatsområde A\n\n{s1} {s2} {s3}\n\n{s4}\n");
    let (_d, s) = site("lineage-reflow", &[(2025, &old), (2026, &new)]);
    let e = entry(&s, 2026, "a").unwrap();
    assert_eq!(e.status, Status::Videreført);
    let d = e.diff.as_ref().unwrap();
    assert_eq!((d.added_words, d.removed_words), (0, 0));

    let edited = new.replace("nye initiativer", "helt nye initiativer");
    let (_d, s) = site("lineage-reflow-edit", &[(2025, &old), (2026, &edited)]);
    let d = entry(&s, 2026, "a").unwrap().diff.clone().unwrap();
    assert_eq!((d.added_words, d.removed_words), (1, 0));
}

/// Three sections merged into one, their texts carried over: nothing added or deleted,
/// each compared with all three, and the site builds (the pages' sentence lists three
/// sections). A partner that keeps a section of its own elsewhere is not compared with
/// (its old words would read as deleted here); a partner's old section shared with a
/// third that went elsewhere is named as compared, so its words deleted are explained.
#[test]
fn merged_sections_are_compared_with_every_section_they_took_in() {
    let a = "Indbrud i hjemmet forebygges med nabohjælp og synlig patruljering om natten.";
    let b =
        "Narkotikasalget på gadeplan bekæmpes i samarbejde med kommunens gadeplansmedarbejdere.";
    let c = "Vold i nattelivet forebygges med natteravne og ekstra politi i weekenderne.";
    let (d, s) = site(
        "merge-three",
        &[
            (
                2025,
                &format!("### Indsatsområde A\n\n{a}\n\n### Indsatsområde B\n\n{b}\n\n### Indsatsområde C\n\n{c}\n"),
            ),
            (
                2026,
                &format!("### Indbrud, narko og vold {{indsats=a,b,c}}\n\n{a}\n\n{b}\n\n{c}\n"),
            ),
        ],
    );
    for id in ["a", "b", "c"] {
        let e = entry(&s, 2026, id).unwrap();
        assert_eq!(e.status, Status::Sammenlagt, "{id}");
        assert_eq!(e.compared_with.len(), 2, "{id}");
        let diff = e.diff.as_ref().unwrap();
        assert_eq!(
            (diff.added_words, diff.removed_words),
            (0, 0),
            "{id}: {diff:?}"
        );
    }
    let out = d.path().join("public");
    let report =
        common::build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(report.pages > 0);
    let page = common::text(&common::page(
        &out,
        "/kredse/nord/samarbejdsplan/2026/sammenlign/2025/",
    ));
    assert!(
        page.contains("Sammenlignet med forrige plans afsnit «Indsatsområde A», «Indsatsområde B» og «Indsatsområde C» tilsammen: teksten er uændret."),
        "{page}"
    );

    // B keeps a section of its own in 2026 beside the merged one: not compared with.
    let (_, s) = site(
        "merge-partner-elsewhere",
        &[
            (
                2025,
                &format!("### Indsatsområde A\n\n{a}\n\n### Indsatsområde B\n\n{b}\n\n{c}\n"),
            ),
            (
                2026,
                &format!("### Indbrud og narko {{indsats=a,b}}\n\n{a}\n\n{b}\n\n### Indsatsområde B\n\n{c}\n"),
            ),
        ],
    );
    let e = entry(&s, 2026, "a").unwrap();
    assert!(e.compared_with.is_empty(), "{:?}", e.compared_with);
}
