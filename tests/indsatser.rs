//! Indsatsområder across years: binding, statuses, comparisons and evolution pages on
//! the default site.

mod common;

use common::*;
use planspor::model::evolution::Status;
use planspor::model::lint::unbound_in_chapters;
use planspor::model::Site;

fn model() -> &'static Site {
    default_model()
}

fn out() -> &'static std::path::Path {
    default_build("indsatser")
}

fn plan_index(site: &Site, file_end: &str) -> usize {
    site.plans
        .iter()
        .position(|p| p.file.to_string_lossy().ends_with(file_end))
        .unwrap()
}

fn status(site: &Site, plan: usize, id: &str) -> Option<Status> {
    let i = site
        .indsats_by_id(id)
        .unwrap_or_else(|| panic!("no indsatsområde {id}"));
    site.evolution.entry(plan, i).map(|e| e.status)
}

#[test]
fn hjoerring_2026_against_2025() {
    let s = model();
    let p = plan_index(s, "hjoerring/handleplan-2026.md");
    assert_eq!(status(s, p, "vold-i-naere-relationer"), Some(Status::Ny));
    assert_eq!(status(s, p, "narkokriminalitet"), Some(Status::Ny));
    assert_eq!(status(s, p, "klar-i-krise"), Some(Status::Ny));
    assert_eq!(status(s, p, "indbrud"), Some(Status::Sammenlagt));
    assert_eq!(status(s, p, "tryghed-paa-nettet"), Some(Status::Sammenlagt));
    assert_eq!(status(s, p, "bandekriminalitet"), Some(Status::Ændret));
    // The same text to its reader: the first sentence turned passive ("Kredsrådet
    // drøfter … udviklingen" → "Udviklingen … drøftes af Kredsrådet"), "i 2025" → "i det
    // kommende år", "for 2025" → "for 2026", a typo ("aktuell"). The diff counts 11.5 %
    // of the words changed; words that only moved and a year that rolled on are none.
    let ung = s
        .evolution
        .entry(p, s.indsats_by_id("ungdomskriminalitet").unwrap())
        .unwrap();
    assert_eq!(ung.status, Status::Videreført);
    assert!(ung.diff.as_ref().unwrap().changed_share() > 0.11);
    assert_eq!(ung.read_share, Some(60));
    let page = page(
        &out().join("public"),
        "kommuner/hjoerring/handleplan/2026/sammenlign/2025",
    );
    assert!(page.contains("15 ord tilføjet, 10 ord slettet, 96 ord uændret. Videreført, fordi kun 6,0 % af ordene er ændret, når ord, der blot har byttet plads eller fået anden stavning, og årstal, der følger planens år, ikke tælles med (grænsen er 10 %)."));
    // The merge is one 2026 section binding both 2025 indsatsområder.
    let plan = &s.plans[p];
    let merged = plan
        .sections
        .iter()
        .find(|x| x.title == "Indbrud samt tryghed og sikkerhed på nettet")
        .unwrap();
    let ids: Vec<&str> = merged
        .bindings
        .iter()
        .map(|&b| s.indsatser[b].id.as_str())
        .collect();
    assert_eq!(ids, ["indbrud", "tryghed-paa-nettet"]);
    // §3.2 of 2026 makes "Det Gode Naboskab" the frame of the local chapter: it goes
    // on, and the sub-areas 2025 named as its parts now have headings of their own.
    let dgn = s.indsats_by_id("det-gode-naboskab").unwrap();
    assert!(matches!(
        status(s, p, "det-gode-naboskab"),
        Some(Status::Videreført | Status::Ændret)
    ));
    for part in [
        "indbrudsforebyggelse",
        "trygge-byrum",
        "bekaempelse-af-ensomhed",
        "digital-adfaerd-og-kriminalitet",
        "hjoerring-trafiksikkerhed",
        "groen-omstilling",
    ] {
        let e = s
            .evolution
            .entry(p, s.indsats_by_id(part).unwrap())
            .unwrap();
        assert_eq!(e.status, Status::Udskilt, "{part}");
        assert_eq!(e.split_from, [dgn], "{part}");
        assert_eq!(e.part_of, [dgn], "{part}");
    }
    // Had its own heading in 2025 too; now under the umbrella.
    let festliv = s
        .evolution
        .entry(p, s.indsats_by_id("trygt-festliv").unwrap())
        .unwrap();
    assert!(matches!(
        festliv.status,
        Status::Videreført | Status::Ændret
    ));
    assert_eq!(festliv.part_of, [dgn]);
    // Forums of chapter 2 and the appendix are not indsatsområder of the plan.
    assert_eq!(status(s, p, "bandeexit"), None);
    assert_eq!(status(s, p, "radikalisering"), None);
    // Nothing is new in an issuer's first plan on the site.
    for first in s
        .plans
        .iter()
        .enumerate()
        .filter(|(_, pl)| pl.prev.is_none())
    {
        for e in &s.evolution.plans[first.0].entries {
            assert_eq!(e.status, Status::Første, "{}", first.1.file.display());
        }
    }
}

#[test]
fn comparison_page_shows_groups_and_diffs() {
    let html = page(
        &out().join("public"),
        "kommuner/hjoerring/handleplan/2026/sammenlign/2025",
    );
    let t = text(&html);
    // Read aloud as a heading: "ny: 3 indsatsområder", not "ny 3 indsatsområder".
    for (status, n) in [("ny", 3), ("sammenlagt", 4), ("udskilt", 6)] {
        let heading = format!("{status}</span>: {n} indsatsområder</h2>");
        assert!(html.contains(&heading), "comparison lacks {heading:?}");
    }
    for needle in [
        "Vold i nære relationer",
        "Narkokriminalitet",
        "Bande- og rockerkriminalitet",
    ] {
        assert!(t.contains(needle), "comparison lacks {needle:?}");
    }
    assert!(html.contains("<ins><span class=\"visually-hidden\">[tilføjet: </span>"));
    assert!(html.contains("<del><span class=\"visually-hidden\">[slettet: </span>"));
    assert!(
        html.contains("uændrede ord"),
        "long unchanged runs are folded"
    );
    // Linked from both plans.
    let url = "href=\"/kommuner/hjoerring/handleplan/2026/sammenlign/2025/\"";
    assert!(page(&out().join("public"), "kommuner/hjoerring/handleplan/2026").contains(url));
    assert!(page(&out().join("public"), "kommuner/hjoerring/handleplan/2025").contains(url));
}

#[test]
fn saarbare_borgere_spans_districts_and_years() {
    let s = model();
    let i = s.indsats_by_id("saarbare-borgere").unwrap();
    let mut where_: Vec<String> = s.indsatser[i]
        .occurrences
        .iter()
        .map(|&(p, _)| format!("{} {}", s.issuer_name(s.plans[p].issuer), s.plans[p].key))
        .collect();
    where_.dedup();
    assert_eq!(
        where_,
        [
            "Midt- og Vestjylland 2025",
            "Nordjylland 2022",
            "Hjørring Kommune 2025",
            "Hjørring Kommune 2026"
        ]
    );
    // The overview: the issuers × years matrix and one history page per issuer.
    let html = page(&out().join("public"), "indsatsomraader/saarbare-borgere");
    assert!(html.contains("<caption>"), "matrix is a captioned table");
    assert!(
        html.contains("<th scope=\"row\">"),
        "matrix has row headers"
    );
    for history in [
        "indsatsomraader/saarbare-borgere/kredse/midt-og-vestjylland/",
        "indsatsomraader/saarbare-borgere/kredse/nordjylland/",
        "indsatsomraader/saarbare-borgere/kommuner/hjoerring/",
    ] {
        assert!(
            html.contains(&format!("href=\"/{history}\"")),
            "overview links {history}"
        );
    }
    // Each issuer's history: every year's text, and the diff where there is a year before.
    let t = text(&page(
        &out().join("public"),
        "indsatsomraader/saarbare-borgere/kommuner/hjoerring",
    ));
    for needle in [
        "Handleplan 2025",
        "Handleplan 2026",
        "Teksten i Handleplan 2026",
        "I forhold til Handleplan 2025",
    ] {
        assert!(t.contains(needle), "Hjørring history lacks {needle:?}");
    }
    let t = text(&page(
        &out().join("public"),
        "indsatsomraader/saarbare-borgere/kredse/nordjylland",
    ));
    assert!(t.contains("Kredsrådets samarbejdsplan 2022"), "{t}");
    let t = text(&page(
        &out().join("public"),
        "indsatsomraader/saarbare-borgere/kredse/midt-og-vestjylland",
    ));
    assert!(t.contains("Samarbejdsplan 2025"), "{t}");
    assert!(t.contains("Indsats for psykisk sårbare personer"), "{t}");
}

#[test]
fn issuer_rank_is_the_position_in_the_issuer_list() {
    let s = model();
    for (n, issuer) in s.issuers().into_iter().enumerate() {
        assert_eq!(s.issuer_rank(issuer), n, "{issuer:?}");
    }
}

#[test]
fn vold_i_naere_relationer_is_one_national_indsatsomraade() {
    let s = model();
    let i = s.indsats_by_id("vold-i-naere-relationer").unwrap();
    let issuers: Vec<&str> = s.indsatser[i]
        .occurrences
        .iter()
        .map(|&(p, _)| s.issuer_name(s.plans[p].issuer))
        .collect();
    assert!(
        issuers.contains(&"Østjylland") && issuers.contains(&"Hjørring Kommune"),
        "{issuers:?}"
    );
}

#[test]
fn holstebro_shows_its_local_priorities() {
    let t = text(&page(&out().join("public"), "kommuner/holstebro"));
    assert!(t.contains("Indsats i boligområdet Trekanten"));
    assert!(t.contains("Lokale prioriteter i kredsrådets samarbejdsplan"));
    // All 11 Midt- og Vestjylland kommuner get theirs.
    let s = model();
    let p = plan_index(s, "midt-og-vestjylland/samarbejdsplan-2025.md");
    assert_eq!(s.plans[p].local_priorities.len(), 11);
}

#[test]
fn no_heading_in_an_indsatsomraade_chapter_is_left_unbound() {
    let s = model();
    let unbound: Vec<String> = unbound_in_chapters(s)
        .into_iter()
        .map(|(p, i)| {
            format!(
                "{}:{} {}",
                s.plans[p].file.display(),
                s.plans[p].sections[i].line,
                s.plans[p].sections[i].title
            )
        })
        .collect();
    assert!(
        unbound.is_empty(),
        "unbound headings:\n{}",
        unbound.join("\n")
    );
    // Every plan marks at least one chapter, and the opt-outs are the known ones: a
    // container of per-kommune lists, and forums, appendix topics and standing work
    // (Østjylland's Del 1, chapter 4) the plans do not count among their indsatsområder.
    for plan in &s.plans {
        assert!(
            plan.sections.iter().any(|x| x.is_indsats_chapter),
            "{} marks no chapter",
            plan.file.display()
        );
    }
    let mut opted: Vec<&str> = s
        .plans
        .iter()
        .flat_map(|p| {
            p.sections
                .iter()
                .filter(|x| x.binding == planspor::model::Binding::OptedOut)
                .map(|x| x.title.as_str())
        })
        .collect();
    opted.sort_unstable();
    opted.dedup();
    assert_eq!(
        opted,
        [
            "2.5. Exit-enhed",
            "2.6. Infohus",
            "3. Lokale prioriterede indsatsområder",
            "4.1. Digital tryghed",
            "4.2. Forebyggelse af radikaliseringsindsatsen",
            "4.3. Bandeexit-programmet",
            "4.4. Konfliktråd",
            "4.5. Offerrådgivningen",
            "4.7. PSP (Politi, sociale myndigheder og psykiatri)",
            "6.2 Forebyggelse af radikaliseringsindsatsen (antiradikaliseringsindsatsen)",
            "6.3 Bandeexit-programmet",
            "6.6 Konfliktråd",
            "6.7 Offerrådgivningen",
            "6.8 Færdselssikkerhed",
            "Radikalisering (Infohuse m.v.)",
            "Tidligere og potentielle bandemedlemmer m.v. (Exit-enhed, Pre-Exit og RUG-udvalg)",
        ]
    );
}

#[test]
fn district_and_kommune_pages_show_matrices() {
    let h = page(&out().join("public"), "kommuner/hjoerring");
    assert!(h.contains("Indsatsområder i Hjørring Kommunes handleplaner"));
    assert!(h.contains("class=\"st-ny\""));
    let k = page(&out().join("public"), "kredse/oestjylland");
    assert!(text(&k).contains("Vold i nære relationer"));
}

#[test]
fn indsatsomraader_index_groups_by_theme_with_years_and_issuers() {
    let t = text(&page(&out().join("public"), "indsatsomraader"));
    assert!(t.contains("Sårbare borgere og psykiatri"));
    assert!(
        t.contains("Sårbare borgere 2022–2026 2 3 4"),
        "first–last year, issuers, plans"
    );
}

#[test]
fn statuses_are_computed_once_per_plan() {
    // One evolution record per plan, each entry's diff computed in it; pages only read.
    let s = model();
    assert_eq!(s.evolution.plans.len(), s.plans.len());
    let with_diff: usize = s
        .evolution
        .plans
        .iter()
        .map(|p| p.entries.iter().filter(|e| e.diff.is_some()).count())
        .sum();
    assert!(with_diff > 10);
}

#[test]
fn automatic_binding_matches_normalised_titles() {
    use planspor::model::text::normalize_title;
    assert_eq!(
        normalize_title("04.4 Bedre samarbejds om indsatsen overfor sårbare borgere"),
        normalize_title("Bedre samarbejds om indsatsen over for sårbare borgere")
    );
}

#[test]
fn kommune_and_plan_pages_lead_with_what_changed() {
    let out = out().join("public");
    let k = page(&out, "kommuner/hjoerring");
    let changes = k.find("Ændringer siden Handleplan 2025").expect("summary");
    let members = k.find("Lokalrådets medlemmer").expect("members");
    let matrix = k.find("Indsatsområder over årene").expect("matrix");
    assert!(
        changes < matrix && matrix < members,
        "summary, then status table, then members"
    );
    let t = text(&k);
    // Named as a sub-area of the project in 2025, a section of its own inside it in
    // 2026: it did not leave the project, so it is not "udskilt fra" it.
    assert!(
        t.contains("Trygge byrum (før kun nævnt under Projekt \"Det Gode Naboskab\", nu med egen overskrift)"),
        "{t}"
    );
    assert!(
        !t.contains("udskilt fra Projekt \"Det Gode Naboskab\""),
        "{t}"
    );
    let history = text(&page(
        &out,
        "indsatsomraader/trygge-byrum/kommuner/hjoerring",
    ));
    assert!(
        history.contains("Nævnt som delområde af Projekt \"Det Gode Naboskab\" i forrige plan; har nu sit eget afsnit under det"),
        "{history}"
    );
    assert!(t.contains("Se hele sammenligningen af 2026 med 2025"));
    // Members over the years: a fixed typo is no change of member.
    assert!(t.contains("Nye i lokalrådet: Projektleder \"Det Gode Naboskab\""));
    assert!(
        !t.contains("Nye i lokalrådet: Politiassistent"),
        "Nærpolti → Nærpoliti is one member"
    );
    let p = page(&out, "kommuner/hjoerring/handleplan/2026");
    assert!(p.contains("Ændringer siden Handleplan 2025"));
    // A first plan says nothing is new, and has no summary.
    let first = page(&out, "kommuner/hjoerring/handleplan/2025");
    assert!(!first.contains("class=\"status st-ny\""));
    assert!(!first.contains("Ændringer siden"));
    assert!(first.contains("første plan"));
}

#[test]
fn status_csv_carries_lineage_sections_and_word_counts() {
    let csv = std::fs::read_to_string(out().join("public/data/status.csv")).unwrap();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    for col in [
        "sammenlagt_med",
        "udskilt_fra",
        "del_af",
        "afsnit",
        "afsnit_url",
        "forrige_plan_url",
        "uaendrede_ord",
    ] {
        assert!(header.contains(&col), "no column {col}");
    }
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row = rows
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[col("indsatsomraade")] == "trygge-byrum" && r[col("aar")] == "2026")
        .expect("trygge-byrum 2026");
    assert_eq!(row[col("status")], "udskilt");
    assert_eq!(row[col("udskilt_fra")], "det-gode-naboskab");
    assert_eq!(row[col("del_af")], "det-gode-naboskab");
    assert_eq!(row[col("sammenlagt_med")], "unge-i-det-offentlige-rum");
    assert!(row[col("afsnit_url")].ends_with("/kommuner/hjoerring/handleplan/2026/#trygge-byrum"));
    assert!(row[col("forrige_plan_url")].ends_with("/kommuner/hjoerring/handleplan/2025/"));
    // The data page documents every column and states the licence.
    let data = page(&out().join("public"), "data");
    for h in &header {
        assert!(
            data.contains(&format!("<code>{h}</code>")),
            "/data/ does not document {h}"
        );
    }
    assert!(data.contains("CC BY 4.0"));
}

#[test]
fn editor_notes_are_never_published() {
    let needle = "Omsat fra PDF-tekstudtræk";
    for (rel, bytes) in read_tree(&out().join("public")) {
        let s = String::from_utf8_lossy(&bytes);
        assert!(!s.contains(needle), "{rel} publishes an editor's note");
    }
}

#[test]
fn statistics_are_a_chart_and_a_table() {
    let p = page(
        &out().join("public"),
        "kredse/oestjylland/samarbejdsplan/2024",
    );
    assert!(p.contains("<svg class=\"chart\""));
    assert_eq!(p.matches("<rect ").count(), 7, "one bar per year 2017–2023");
    assert!(p.contains("<table class=\"stats\">"));
    // Nordjylland 2022 sets its own falls in reported crime (indbrud 42 %) beside the
    // country's (indbrud 19 %) in two charts of one unit: drawn on one scale, the
    // country's tallest bar is less than half as tall, not as tall.
    let nj = page(
        &out().join("public"),
        "kredse/nordjylland/samarbejdsplan/2022",
    );
    let heights: Vec<f64> = nj
        .split("<rect ")
        .skip(1)
        .map(|r| {
            let h = r.split("height=\"").nth(1).unwrap();
            h[..h.find('"').unwrap()].parse().unwrap()
        })
        .collect();
    assert_eq!(heights.len(), 5, "{heights:?}");
    let (own, country) = heights.split_at(3);
    let tallest = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    assert!(tallest(country) < tallest(own) / 2.0, "{heights:?}");
}

#[test]
fn an_indsatsomraade_page_lists_the_headings_plans_gave_it_not_unused_aliases() {
    let s = model();
    let titles = |id: &str| s.titles_used(s.indsats_by_id(id).unwrap());
    // Headings the plans really used, numbering and a closing colon dropped.
    assert_eq!(titles("hjoerring-trafiksikkerhed"), ["Trafiksikkerhed"]);
    assert!(titles("saarbare-borgere").contains(&"Indsats for psykisk sårbare personer"));
    // A heading shared with another indsatsområde is not a name of either.
    assert!(!titles("indbrud").contains(&"Indbrud samt tryghed og sikkerhed på nettet"));
    // A registry alias is not claimed where no section bound to the indsatsområde has
    // it: Hjørring's "Radikalisering (Infohuse m.v.)" is opted out (`{indsats=-}`).
    let radikalisering = s.indsats_by_id("radikalisering").unwrap();
    assert!(s.indsatser[radikalisering]
        .aliases
        .iter()
        .any(|a| a == "Radikalisering (Infohuse m.v.)"));
    assert!(!titles("radikalisering").contains(&"Radikalisering (Infohuse m.v.)"));
    // Bound by no plan (Østjylland's 4.2 is standing work in Del 1): no page claims it.
    assert!(titles("radikalisering").is_empty());
    let html = text(&page(
        &out().join("public"),
        "/indsatsomraader/radikalisering/",
    ));
    assert!(
        html.contains("Ingen plan har det blandt sine indsatsområder"),
        "{html}"
    );
    // The opted-out section is named as one that writes about it, not as a heading
    // the plans gave the indsatsområde.
    assert!(!html.contains("Andre overskrifter i planerne"), "{html}");
    let (_, omtalt) = html.split_at(html.find("Omtalt uden for").unwrap());
    assert!(
        omtalt.contains(
            "Radikalisering (Infohuse m.v.) i Handleplan 2026 fra Lokalrådet i Hjørring Kommune"
        ),
        "{omtalt}"
    );
    let html = text(&page(
        &out().join("public"),
        "/indsatsomraader/hjoerring-trafiksikkerhed/",
    ));
    assert!(
        html.contains("Andre overskrifter i planerne: «Trafiksikkerhed»"),
        "{html}"
    );
}

/// Hjørring 2026 merged "Indbrud" and "Tryghed og sikkerhed på nettet" into one section.
/// A journalist reading both plans sees the burglary text shortened and the net-safety
/// text carried over, not 281 words added to burglary: the merged section is compared
/// with both 2025 sections, and the pages and the open data say so.
#[test]
fn a_merged_section_is_compared_with_every_text_it_took_in() {
    let s = model();
    let p = plan_index(s, "hjoerring/handleplan-2026.md");
    let q = s.plans[p].prev.unwrap();
    let ind = |id: &str| s.indsats_by_id(id).unwrap();
    let e = s.evolution.entry(p, ind("indbrud")).unwrap();
    assert_eq!(e.compared_with, [ind("tryghed-paa-nettet")]);
    let d = e.diff.as_ref().unwrap();
    // The words of 2025's net-safety section are in the merged 2026 section and are not
    // counted as added: fewer words are added than that section had.
    let net_2025 = planspor::model::evolution::indsats_text(
        s,
        q,
        &planspor::model::evolution::bound_sections(s, q, ind("tryghed-paa-nettet")),
    );
    let net_words = net_2025.split_whitespace().count();
    assert!(
        d.added_words < net_words / 2,
        "{} added, the 2025 net-safety text had {net_words} words",
        d.added_words
    );
    assert!(d.unchanged_words > net_words / 2, "{d:?}");
    // Both entries of the merged section compare the same texts.
    let other = s.evolution.entry(p, ind("tryghed-paa-nettet")).unwrap();
    assert_eq!(other.compared_with, [ind("indbrud")]);
    let o = other.diff.as_ref().unwrap();
    assert_eq!(
        (o.added_words, o.removed_words, o.unchanged_words),
        (d.added_words, d.removed_words, d.unchanged_words)
    );
    // A text merged with sub-areas that had no section of their own compares its own.
    let unge = s
        .evolution
        .entry(p, ind("unge-i-det-offentlige-rum"))
        .unwrap();
    assert_eq!(unge.status, Status::Sammenlagt);
    assert!(unge.compared_with.is_empty());

    let public = out().join("public");
    let history = text(&page(
        &public,
        "/indsatsomraader/indbrud/kommuner/hjoerring/",
    ));
    assert!(
        history.contains("I forhold til Handleplan 2025: sammenlignet med forrige plans afsnit «Indbrud» og «Tryghed og sikkerhed på nettet» tilsammen:"),
        "{history}"
    );
    let item = open_data_item(&public, "indbrud");
    let statuses = item["statuses"].as_array().unwrap();
    let row = statuses
        .iter()
        .find(|r| {
            r["plan"]
                .as_str()
                .unwrap()
                .ends_with("/hjoerring/handleplan/2026/")
        })
        .unwrap();
    assert_eq!(
        row["compared_with"],
        serde_json::json!(["tryghed-paa-nettet"])
    );
    assert_eq!(row["added_words"], d.added_words);
}

/// Plans that write about a registered indsatsområde outside their indsatsområder (a
/// heading opted out with `{indsats=-}`: Østjylland's standing work in Del 1,
/// Midt-Vest's appendix) are named on its page, not hidden behind "no plan has it"; the
/// statuses still count only the plans' indsatsområder.
#[test]
fn sections_about_an_indsatsomraade_outside_the_chapters_are_named_not_hidden() {
    let s = model();
    let public = out().join("public");
    let konfliktraad = text(&page(&public, "/indsatsomraader/konfliktraad/"));
    assert!(
        konfliktraad.contains(
            "Ingen plan har det blandt sine indsatsområder, men det omtales 2 steder i 2 planer"
        ),
        "{konfliktraad}"
    );
    assert!(
        !konfliktraad.contains("Ingen planer har endnu"),
        "{konfliktraad}"
    );
    for (section, issuer) in [
        ("4.4. Konfliktråd", "Østjyllands Politi"),
        ("6.6 Konfliktråd", "Midt- og Vestjyllands Politi"),
    ] {
        assert!(
            konfliktraad.contains(section) && konfliktraad.contains(issuer),
            "{section}: {konfliktraad}"
        );
    }
    let ind = s.indsats_by_id("konfliktraad").unwrap();
    assert!(s.indsatser[ind].plans.is_empty());
    assert_eq!(s.indsatser[ind].mentions.len(), 2);

    // Midt-Vest's "6.8 Færdselssikkerhed" (an appendix) is named on the page of the
    // indsatsområde three other plans have, and is no row of its matrix.
    let trafik = page(&public, "/indsatsomraader/trafiksikkerhed/");
    let (matrix, omtalt) = trafik.split_at(trafik.find("id=\"omtalt\"").unwrap());
    assert!(text(omtalt).contains("6.8 Færdselssikkerhed"), "{omtalt}");
    assert!(!text(matrix).contains("Midt- og Vestjylland"), "{matrix}");

    // Counts say how many indsatsområder the plans have.
    let named = s.indsatser.iter().filter(|i| !i.plans.is_empty()).count();
    assert!(named < s.indsatser.len());
    let front = text(&page(&public, "/"));
    // Nordjylland's own plan and its kommune's, said apart (not "3 planer").
    assert!(
        front.contains("1 samarbejdsplan · 2 handleplaner"),
        "{front}"
    );
    assert!(
        front.contains(&format!("{named} indsatsområder")),
        "{front}"
    );
    let index = text(&page(&public, "/indsatsomraader/"));
    assert!(
        index.contains(&format!(
            "Alle {} indsatsområder i registeret, heraf {named} med i planerne",
            s.indsatser.len()
        )),
        "{index}"
    );
    assert!(index.contains("kun omtalt"), "{index}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/indsatsomraader.json")).unwrap())
            .unwrap();
    let item = json["indsatsomraader"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "konfliktraad")
        .unwrap();
    let urls = item["mentioned_in"].as_array().unwrap();
    assert_eq!(urls.len(), 2);
    assert!(urls
        .iter()
        .all(|u| u.as_str().unwrap().contains("/samarbejdsplan/")));
}

#[test]
fn related_indsatsomraader_point_to_each_other_with_whose_plans_have_them() {
    // A Herning reader on Narkokriminalitet (Hjørring's) learns that Midt- og
    // Vestjylland writes about drugs as "Narkotikasalg ved skoler", and back.
    let out = &out().join("public");
    let narko = page(out, "indsatsomraader/narkokriminalitet");
    assert!(
        narko.contains("Se også: <a href=\"/indsatsomraader/narkotikasalg-ved-skoler/\">Narkotikasalg ved skoler</a> <span class=\"meta\">(Midt- og Vestjylland)</span>"),
        "{narko}"
    );
    let skoler = page(out, "indsatsomraader/narkotikasalg-ved-skoler");
    assert!(
        skoler.contains("Se også: <a href=\"/indsatsomraader/narkokriminalitet/\">Narkokriminalitet</a> <span class=\"meta\">(Hjørring Kommune)</span>"),
        "{skoler}"
    );
    let item = open_data_item(out, "narkotikasalg-ved-skoler");
    assert_eq!(item["related"], serde_json::json!(["narkokriminalitet"]));
}

/// Indsatsområde `id`'s item in a built site's `indsatsomraader.json`.
fn open_data_item(public: &std::path::Path, id: &str) -> serde_json::Value {
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(public.join("data/indsatsomraader.json")).unwrap())
            .unwrap();
    let items = data["indsatsomraader"].as_array().unwrap();
    items.iter().find(|i| i["id"] == id).unwrap().clone()
}

/// A plan whose text is its predecessor's, written with decomposed letters ("å" as "a"
/// and a combining ring, as text copied out of a PDF often is): a reader sees the same
/// text, so every indsatsområde is videreført, not ændret, and the pages show composed
/// letters.
#[test]
fn the_same_text_in_decomposed_letters_is_unchanged() {
    use unicode_normalization::UnicodeNormalization;
    let dir = TempDir::new("decomposed");
    copy_site(&repo(), dir.path());
    let folder = dir
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring");
    let old = std::fs::read_to_string(folder.join("handleplan-2025.md")).unwrap();
    let new: String = old
        .replace("year = 2025", "year = 2026")
        .replace("title = \"Handleplan 2025\"", "title = \"Handleplan 2026\"")
        .nfd()
        .collect();
    assert!(new.contains("a\u{30a}"), "the copy is decomposed");
    std::fs::write(folder.join("handleplan-2026.md"), &new).unwrap();
    let (site, diags) = planspor::site::load_site(dir.path(), None);
    assert!(!diags.has_errors(), "{}", diags.render(false));
    let site = site.unwrap();
    let p = plan_index(&site, "hjoerring/handleplan-2026.md");
    let entries = &site.evolution.plans[p].entries;
    assert!(entries.len() > 10);
    for e in entries {
        assert_eq!(
            e.status,
            Status::Videreført,
            "{}",
            site.indsatser[e.indsats].title
        );
    }
    let out = dir.path().join("public");
    build_to(dir.path(), &out, None).unwrap();
    let html = page(&out, "/kommuner/hjoerring/handleplan/2026/");
    assert!(html.contains("år") && !html.contains('\u{30a}'));
}
