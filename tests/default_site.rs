//! The default site (the five seed plans) built end to end, checked as a visitor would.

mod common;

use common::*;
use std::sync::OnceLock;

/// The default site, built once for all tests in this file.
fn site() -> &'static std::path::Path {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = TempDir::shared("default");
        let out = d.path().join("public");
        let report =
            build_to(&repo(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
        assert!(report.warnings.error_count() == 0);
        d
    })
    .path()
}

fn out() -> std::path::PathBuf {
    site().join("public")
}

fn count_dirs(parent: &str) -> usize {
    std::fs::read_dir(out().join(parent))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count()
}

#[test]
fn has_every_district_kommune_plan_and_year_page() {
    assert_eq!(count_dirs("kredse"), 3, "district pages");
    assert_eq!(count_dirs("kommuner"), 27, "kommune pages");
    let plans = [
        "kredse/nordjylland/samarbejdsplan/2022",
        "kredse/oestjylland/samarbejdsplan/2024",
        "kredse/midt-og-vestjylland/samarbejdsplan/2025",
        "kommuner/hjoerring/handleplan/2025",
        "kommuner/hjoerring/handleplan/2026",
    ];
    for p in plans {
        assert!(out().join(p).join("index.html").is_file(), "{p}");
    }
    let plan_pages = read_tree(&out())
        .keys()
        .filter(|k| {
            let parts: Vec<&str> = k.split('/').collect();
            parts.len() == 5
                && (parts[2] == "samarbejdsplan" || parts[2] == "handleplan")
                && parts[4] == "index.html"
        })
        .count();
    assert_eq!(plan_pages, 5);
    for y in [2022, 2024, 2025, 2026] {
        assert!(
            out().join(format!("aar/{y}/index.html")).is_file(),
            "year {y}"
        );
    }
    assert_eq!(count_dirs("aar"), 4);
    assert!(out().join("404.html").is_file());
    assert!(out().join("static/style.css").is_file());
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let (checked, broken) = broken_links_on_disk(&out(), "/");
    assert!(checked > 2000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn every_page_links_up_and_is_linked_from_somewhere() {
    let tree = read_tree(&out());
    let mut linked = std::collections::BTreeSet::new();
    for (rel, bytes) in &tree {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        assert!(html.contains("<html lang=\"da\">"), "{rel} lacks lang=da");
        if rel != "index.html" && rel != "404.html" {
            assert!(
                html.contains("aria-label=\"Brødkrumme\""),
                "{rel} has no breadcrumbs"
            );
        }
        for h in attrs(&html, "href") {
            let p = h.split('#').next().unwrap().to_string();
            linked.insert(p);
        }
    }
    for rel in tree.keys().filter(|k| k.ends_with("index.html")) {
        let url = format!("/{}", rel.trim_end_matches("index.html"));
        assert!(linked.contains(&url), "no page links to {url}");
    }
}

#[test]
fn plan_pages_hold_the_full_text_of_each_seed() {
    let cases: &[(&str, &[&str])] = &[
        (
            "kommuner/hjoerring/handleplan/2026",
            &[
                "Fredag, den 6. marts kl. 09.00 – 11.00 på Politistationen i Hjørring",
                "Trygt Festliv",
                "Bekæmpelse af ensomhed",
            ],
        ),
        (
            "kredse/oestjylland/samarbejdsplan/2024",
            &["2019: 56", "Vold i nære relationer", "Nattelivszoner"],
        ),
        (
            "kredse/nordjylland/samarbejdsplan/2022",
            &[
                "Fælles fokus på genopdragelsesrejser",
                "Retsplejelovens § 113",
            ],
        ),
        (
            "kredse/midt-og-vestjylland/samarbejdsplan/2025",
            &[
                "Holstebro, den 19. december 2024",
                "Indsats i boligområdet Trekanten",
                "Al Capone-samarbejdet",
            ],
        ),
        (
            "kommuner/hjoerring/handleplan/2025",
            &[
                "Projekt \"Det Gode Naboskab\"",
                "Unge uhensigtsmæssige ophold i det offentlige rum",
            ],
        ),
    ];
    for (url, passages) in cases {
        let t = text(&page(&out(), url));
        for p in *passages {
            assert!(t.contains(p), "{url} lacks {p:?}");
        }
    }
    // Facts from front matter are shown as data.
    let t = text(&page(&out(), "kommuner/hjoerring/handleplan/2026"));
    assert!(
        t.contains("6. marts 2026 , kl. 09.00–11.00, Politistationen i Hjørring"),
        "meeting fact"
    );
    let t = text(&page(&out(), "kredse/oestjylland/samarbejdsplan/2024"));
    assert!(t.contains("Gennemførte konfliktråd"), "statistics table");
}

#[test]
fn no_pdf_debris_in_plan_text() {
    for (rel, bytes) in read_tree(&out()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        // The source note may describe what was removed; the text itself must be clean.
        let html = html
            .split("class=\"source-note\"")
            .next()
            .unwrap_or_default();
        assert!(!html.contains("....."), "{rel}: dot leaders");
        assert!(
            !html.contains("&lt;b&gt;") && !html.contains("&lt;i&gt;"),
            "{rel}: stray tags"
        );
        assert!(!html.contains('\u{fffd}'), "{rel}: replacement character");
    }
}

#[test]
fn plan_pages_link_previous_and_next_and_source() {
    let h26 = page(&out(), "kommuner/hjoerring/handleplan/2026");
    assert!(h26.contains("href=\"/kommuner/hjoerring/handleplan/2025/\" rel=\"prev\""));
    assert!(h26.contains("href=\"/kommuner/hjoerring/handleplan/2026/sammenlign/2025/\""));
    let h25 = page(&out(), "kommuner/hjoerring/handleplan/2025");
    assert!(h25.contains("href=\"/kommuner/hjoerring/handleplan/2026/\" rel=\"next\""));
    assert!(text(&h25).contains("Kilde"));
    assert!(h25.contains("class=\"toc\""));
}

#[test]
fn the_year_page_says_for_whom_an_indsatsomraade_is_new() {
    // Vold i nære relationer is new for Hjørring in 2026 (Østjylland has it since 2024):
    // the year page names the issuer and links the comparison.
    let y = page(&out(), "aar/2026");
    let item = y
        .split("<li>")
        .find(|li| li.contains(">Vold i nære relationer</a>"))
        .expect("Vold i nære relationer among the new of 2026");
    assert!(item.contains("Hjørring Kommune, ny"), "{item}");
    assert!(
        item.contains("href=\"/kommuner/hjoerring/handleplan/2026/sammenlign/2025/\""),
        "{item}"
    );
}

#[test]
fn a_sub_area_named_by_an_umbrella_links_the_umbrella_section_in_the_data() {
    // Hjørring 2025 names Trygge byrum inside Projekt Det Gode Naboskab, no heading.
    let csv = std::fs::read_to_string(out().join("data/status.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| {
            l.starts_with("trygge-byrum,") && l.contains(",hjoerring,") && l.contains(",2025,")
        })
        .expect("trygge-byrum, Hjørring 2025");
    assert!(
        row.contains("/kommuner/hjoerring/handleplan/2025/#projekt-det-gode-naboskab"),
        "{row}"
    );
}

#[test]
fn a_sub_area_named_by_an_umbrella_counts_as_in_that_plan_everywhere() {
    // Hjørring 2025 names Grøn omstilling inside Det Gode Naboskab; 2026 gives it a
    // heading. Its page, the index and the front matrix say 2025 as its history does,
    // not "only in 2026" with an "udskilt" from nowhere.
    let ind = text(&page(&out(), "indsatsomraader/groen-omstilling"));
    assert!(
        ind.contains("Med i 2 planer fra 1 råd i 1 politikreds, 2025–2026."),
        "{ind}"
    );
    let matrix = page(&out(), "indsatsomraader/groen-omstilling");
    let head = matrix
        .split("<thead>")
        .nth(1)
        .and_then(|t| t.split("</thead>").next())
        .expect("a matrix");
    assert!(head.contains(">2025<") && head.contains(">2026<"), "{head}");
    let index = page(&out(), "indsatsomraader");
    let row = index
        .split("<tr>")
        .find(|r| r.contains(">Grøn omstilling</a>"))
        .expect("Grøn omstilling in the index");
    assert!(row.contains(">2025–2026<"), "{row}");
}

#[test]
fn open_data_answers_a_journalists_questions_without_the_pages() {
    // A data journalist counts from the files alone; each of these was a wrong number.
    let mut reader = csv::Reader::from_path(out().join("data/status.csv")).unwrap();
    let head: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    // Column positions of old columns do not move; the new ones come last.
    assert_eq!(head[..3], ["indsatsomraade", "titel", "udsteder_type"]);
    assert_eq!(
        head[17..],
        ["kun_naevnt", "udsteder_raad", "foerste_aar", "sidste_aar"]
    );
    let hj2025: Vec<csv::StringRecord> = (reader.records())
        .map(Result::unwrap)
        .filter(|r| &r[col("udsteder")] == "hjoerring" && &r[col("aar")] == "2025")
        .collect();
    // Hjørring 2025 has 11 headings with indsatsområder, and names 6 more as
    // sub-areas of Det Gode Naboskab: only `kun_naevnt` tells them apart.
    let named_only = hj2025.iter().filter(|r| &r[col("kun_naevnt")] == "ja");
    let headed = hj2025.iter().filter(|r| &r[col("kun_naevnt")] == "nej");
    assert_eq!((headed.count(), named_only.count()), (11, 6));
    // The plan is the council's, and its years are numbers to filter on.
    let r = &hj2025[0];
    assert_eq!(&r[col("udsteder_raad")], "Lokalrådet i Hjørring Kommune");
    assert_eq!(
        (&r[col("foerste_aar")], &r[col("sidste_aar")]),
        ("2025", "2025")
    );

    let plans: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out().join("data/planer.json")).unwrap()).unwrap();
    let plans = plans["plans"].as_array().unwrap();
    let issuer = |url_part: &str| {
        let p = plans
            .iter()
            .find(|p| p["url"].as_str().unwrap().contains(url_part));
        p.unwrap()["issuer"].clone()
    };
    let hj = issuer("/hjoerring/handleplan/2026/");
    assert_eq!(hj["council"], "Lokalrådet i Hjørring Kommune");
    assert_eq!(hj["kreds"], "nordjylland");
    // A kredsråd's plan has its kreds too (grouping by it kept only kommune plans).
    let nj = issuer("/kredse/nordjylland/");
    assert_eq!(nj["council"], "Kredsrådet i Nordjyllands Politikreds");
    assert_eq!(nj["kreds"], "nordjylland");
    // Midt- og Vestjylland's local priorities link indsatsområder on the kommune
    // pages; the data names them too ("how many kommuner prioritise X?").
    let mv = plans
        .iter()
        .find(|p| p["url"].as_str().unwrap().contains("/midt-og-vestjylland/"))
        .unwrap();
    let holstebro = mv["local_priorities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kommune"] == "holstebro")
        .expect("Holstebro's local priorities");
    // One per item, in order: pairing them by position is right.
    let named = holstebro["indsatsomraader"].as_array().unwrap();
    assert_eq!(named.len(), holstebro["items"].as_array().unwrap().len());
    let ids: Vec<&str> = named.iter().filter_map(|v| v.as_str()).collect();
    // "Indsats i boligområdet Trekanten": Trekanten is one of the district's areas on
    // the forebyggelsesliste, under the plan's 4.1 Indsats i særligt udpegede områder.
    assert_eq!(named[1], "saerligt-udpegede-omraader");
    let page = page(&out(), "kommuner/holstebro");
    for id in &ids {
        assert!(page.contains(&format!("/indsatsomraader/{id}/")), "{id}");
    }
    assert!(!ids.is_empty());
    // A section's sub-areas and mentions are in the data as on the pages.
    let section = |url_part: &str, anchor: &str| {
        let p = plans
            .iter()
            .find(|p| p["url"].as_str().unwrap().contains(url_part));
        let secs = p.unwrap()["sections"].as_array().unwrap().clone();
        secs.into_iter().find(|s| s["anchor"] == anchor).unwrap()
    };
    let naboskab = section("/hjoerring/handleplan/2025/", "projekt-det-gode-naboskab");
    assert_eq!(
        naboskab["indsatsomraader"],
        serde_json::json!(["det-gode-naboskab"])
    );
    assert_eq!(naboskab["covers"].as_array().unwrap().len(), 7);
    let digital = section("/oestjylland/samarbejdsplan/2024/", "4-1-digital-tryghed");
    assert_eq!(digital["indsatsomraader"], serde_json::json!([]));
    assert_eq!(
        digital["mentions"],
        serde_json::json!(["digital-kriminalitet"])
    );
    // A meeting without a remark says so, rather than lacking the key.
    let hj26 = plans
        .iter()
        .find(|p| {
            p["url"]
                .as_str()
                .unwrap()
                .contains("/hjoerring/handleplan/2026/")
        })
        .unwrap();
    assert!(hj26["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m.as_object().unwrap().contains_key("note")));
}

#[test]
fn lists_of_indsatsomraader_are_in_danish_title_order() {
    // The front page's "år for år" table was in id order ("Projekt Det Gode Naboskab"
    // under D), and the search page's lists in byte order (Å before Æ).
    let titles = |html: &str, start: &str, end: &str| -> Vec<String> {
        let part = html.split(start).nth(1).unwrap().split(end).next().unwrap();
        part.split("/indsatsomraader/")
            .skip(1)
            .filter_map(|s| s.split_once("\">").map(|(_, rest)| rest))
            .map(|rest| rest.split('<').next().unwrap().replace("&quot;", "\""))
            .collect()
    };
    let front = page(&out(), "");
    let rows = titles(&front, "<tbody>", "</tbody>");
    let search = page(&out(), "soeg");
    let list = titles(&search, "<h2>Indsatsområder</h2>", "</ul>");
    for (what, v) in [("front", &rows), ("search", &list)] {
        assert!(v.len() > 20, "{what}: {v:?}");
        let mut sorted = v.clone();
        sorted.sort_by(|a, b| planspor::collate::danish_cmp(a, b));
        assert_eq!(v, &sorted, "{what}");
    }
}

#[test]
fn a_kommune_without_a_handleplan_shows_its_kredsraads_indsatsomraader() {
    // Randers has no handleplan; Østjylland's samarbejdsplan is its plan too. Its page
    // was a dead end ("no handleplan here yet") for 26 of the 27 kommuner.
    let randers = page(&out(), "kommuner/randers");
    assert!(
        randers.contains("<h2>Kredsrådets indsatsområder</h2>"),
        "{randers}"
    );
    assert!(randers.contains("href=\"/indsatsomraader/indbrud/kredse/oestjylland/\""));
    assert!(randers.contains("Kredsrådets samarbejdsplaner gælder for hele politikredsen, også for Randers Kommune. Siden har én samarbejdsplan fra Kredsrådet i Østjyllands Politikreds: <a href=\"/kredse/oestjylland/samarbejdsplan/2024/\">"), "{randers}");
    // A reader sees how old the kredsråd's newest plan on the site is.
    assert!(randers.contains("planer, som siden ikke har, er ikke med"));
    // The source names its publisher once ("…Lokalrådet i Hjørring Kommune,
    // Lokalrådet i Hjørring Kommune (PDF)" before).
    let plan = page(&out(), "kommuner/hjoerring/handleplan/2026");
    assert!(
        plan.contains(
            "<dt>Kilde</dt><dd>HANDLEPLAN 2026 – Lokalrådet i Hjørring Kommune (PDF)</dd>"
        ),
        "{plan}"
    );
    // A kommune with its own handleplans shows its own matrix, not the kreds's.
    let hj = page(&out(), "kommuner/hjoerring");
    assert!(!hj.contains("Kredsrådets indsatsområder"));
    assert!(hj.contains("<h2>Indsatsområder over årene</h2>"));
}

#[test]
fn second_build_is_byte_identical() {
    let d = TempDir::new("determinism");
    let out2 = d.path().join("public");
    build_to(&repo(), &out2, None).unwrap();
    let a = read_tree(&out());
    let b = read_tree(&out2);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between builds");
    }
}

#[test]
fn sub_path_base_url_works_everywhere() {
    let d = TempDir::new("subpath");
    let out2 = d.path().join("public");
    build_to(&repo(), &out2, Some("https://example.dk/planer/")).unwrap();
    let (checked, broken) = broken_links_on_disk(&out2, "/planer/");
    assert!(checked > 2000);
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    let front = std::fs::read_to_string(out2.join("index.html")).unwrap();
    assert!(front.contains("href=\"/planer/static/style.css\""));
    let feed = std::fs::read_to_string(out2.join("data/planer.xml")).unwrap();
    assert!(feed.contains("https://example.dk/planer/kommuner/hjoerring/handleplan/2026/"));
}

#[test]
fn open_data_files_are_valid() {
    let plans: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out().join("data/planer.json")).unwrap()).unwrap();
    assert_eq!(plans["plans"].as_array().unwrap().len(), 5);
    // Addresses are whole, as in the CSV: the data is read away from the site.
    let url = plans["plans"][0]["url"].as_str().unwrap();
    assert!(url.starts_with("https://"), "{url}");
    let csv = std::fs::read_to_string(out().join("data/status.csv")).unwrap();
    assert!(csv
        .lines()
        .any(|l| l.starts_with("vold-i-naere-relationer,")
            && l.contains(",hjoerring,")
            && l.contains(",2026,ny,")));
    let idx: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out().join("data/soeg/indeks.json")).unwrap())
            .unwrap();
    assert!(idx["docs"].as_u64().unwrap() > 200);
}

#[test]
fn build_output_has_no_dev_reload_script_and_no_third_party_requests() {
    for (rel, bytes) in read_tree(&out()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        assert!(
            !html.contains("livereload") && !html.contains("__planspor"),
            "{rel}"
        );
        for src in attrs(&html, "src").into_iter().chain(
            attrs(&html, "href")
                .into_iter()
                .filter(|h| h.ends_with(".css") || h.ends_with(".js")),
        ) {
            assert!(src.starts_with('/'), "{rel} loads {src} from elsewhere");
        }
    }
}

/// The front page's "år for år" table counts plans that have an indsatsområde as a
/// section of its own, as the /data/ page advises for `kun_naevnt`: Hjørring's 2025
/// plan names "Grøn omstilling" only as a sub-area of Det Gode Naboskab, so 2025 has
/// no plan with it, 2026 one.
#[test]
fn the_front_pages_year_table_counts_sections_of_their_own() {
    let front = page(&out(), "");
    let table = front.split("<tbody>").nth(1).unwrap();
    let row = table
        .split("<tr>")
        .find(|r| r.contains(">Grøn omstilling</a>"))
        .unwrap();
    let years: Vec<&str> = front
        .split("<thead>")
        .nth(1)
        .unwrap()
        .split("</thead>")
        .next()
        .unwrap()
        .split("<th scope=\"col\">")
        .skip(2)
        .map(|c| c.split('<').next().unwrap())
        .collect();
    let cells: Vec<&str> = row
        .split("<td class=\"")
        .skip(1)
        .map(|c| c.split('"').next().unwrap())
        .collect();
    let at = |y: &str| cells[years.iter().position(|x| *x == y).unwrap()];
    assert_eq!(
        (at("2025"), at("2026")),
        ("empty", "count"),
        "{years:?} {cells:?}"
    );
}
