//! Full-text search on the default site: the index files, the browser's stemmer against
//! rust-stemmers, and the queries a reader types, run through the browser's own query
//! code (`search.js` under node, via `tests/search-node.cjs`).
//!
//! They need `node` (the README's install section says so); without it they fail
//! with that instruction rather than pass without checking anything.

mod common;

use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn site() -> &'static Path {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = TempDir::shared("search");
        build_to(&repo(), &d.path().join("public"), None)
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        d
    })
    .path()
}

fn out() -> PathBuf {
    site().join("public")
}

fn require_node() {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "the search tests run search.js under node: install Node.js (e.g. `apt-get install nodejs`)"
    );
}

fn node(args: &[&str], stdin: &str) -> String {
    node_on(&out(), args, stdin)
}

/// `search.js` under node, on the site built into `public`.
fn node_on(public: &Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new("node")
        .arg(repo().join("tests/search-node.cjs"))
        .arg(public)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "node {args:?} failed");
    String::from_utf8(o.stdout).unwrap()
}

/// Where the first hit whose title starts with `title` is among `hits`.
fn position(hits: &[[String; 3]], title: &str) -> usize {
    hits.iter()
        .position(|h| h[0].starts_with(title))
        .unwrap_or_else(|| panic!("{title} not found: {hits:?}"))
}

/// The first results (title, context, url) of a query with filters (`kreds=…&aar=…`).
fn query(q: &str, filters: &str) -> (u64, Vec<[String; 3]>) {
    let v: serde_json::Value = serde_json::from_str(&node(&["query", q, filters], "")).unwrap();
    let hits = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| ["title", "context", "url"].map(|k| h[k].as_str().unwrap().to_string()))
        .collect();
    (v["total"].as_u64().unwrap(), hits)
}

#[test]
fn index_is_split_into_manifest_shards_and_documents() {
    let soeg = out().join("data/soeg");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(soeg.join("indeks.json")).unwrap()).unwrap();
    let shards = manifest["shards"].as_array().unwrap();
    assert!(shards.iter().any(|s| s == "in"));
    for s in shards {
        assert!(soeg
            .join(format!("t/{}.json", s.as_str().unwrap()))
            .is_file());
    }
    let terms: serde_json::Value =
        serde_json::from_slice(&std::fs::read(soeg.join("t/in.json")).unwrap()).unwrap();
    assert!(terms.get("indbrud").is_some(), "stemmed term indbrud");
    let docs = manifest["docs"].as_u64().unwrap() as usize;
    let per = manifest["doc_shard"].as_u64().unwrap() as usize;
    assert!(soeg.join(format!("d/{}.json", (docs - 1) / per)).is_file());
    assert!(
        !out().join("data/soeg.json").exists(),
        "the old single index is gone"
    );
}

#[test]
fn browser_stemmer_agrees_with_rust_stemmers() {
    require_node();
    let mut words = std::fs::read_to_string(repo().join("tests/data/danish-words.txt")).unwrap();
    // Words with digits, as plans write them ("uge33", "Strategi2022"): Snowball's
    // undoubling takes any non-vowel, a digit too, so both stemmers must.
    for w in [
        "uge33",
        "strategi2022",
        "bolig2000",
        "vestergade11",
        "paragraf11",
        "x11",
    ] {
        words.push_str(&format!("{w}\n"));
    }
    for n in 0..400 {
        words.push_str(&format!("fyldord{n}\n"));
    }
    let js = node(&["stem"], &words);
    let mut differ = Vec::new();
    for (w, j) in words.lines().zip(js.lines()) {
        let r = planspor::search::text::stem(&planspor::search::text::fold(w));
        if r != j {
            differ.push(format!("{w}: rust {r}, js {j}"));
        }
    }
    assert_eq!(js.lines().count(), words.lines().count());
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn indbrud_finds_the_indbrud_sections_of_every_plan() {
    require_node();
    let (total, hits) = query("indbrud", "");
    assert_eq!(hits[0][2], "/indsatsomraader/indbrud/", "{hits:?}");
    // Headings first: the top results are the sections named after it.
    assert!(hits[1..5]
        .iter()
        .all(|h| h[0].to_lowercase().contains("indbrud") && h[2].contains('#')));
    let (_, all) = query("indbrud", "");
    for plan in [
        "/kredse/nordjylland/samarbejdsplan/2022/#",
        "/kredse/oestjylland/samarbejdsplan/2024/#",
        "/kommuner/hjoerring/handleplan/2025/#",
        "/kommuner/hjoerring/handleplan/2026/#",
    ] {
        assert!(all.iter().any(|h| h[2].starts_with(plan)), "{plan} {all:?}");
    }
    assert!(total >= 10);
}

#[test]
fn inflections_find_the_same_as_the_stem() {
    require_node();
    assert_eq!(query("indbruddene", ""), query("indbrud", ""));
}

/// Danish nouns in -el, -er, -en drop the e when inflected, and the stemmer keeps the
/// two forms apart: "svindel" missed the plans on "svindlere" (Østjylland 4.1) and
/// "svindler" (Nordjylland 04.2); "offer" found 1 section, "ofre" 11. Each finds what the
/// other finds now, for the nouns search.js lists.
#[test]
fn a_word_finds_its_forms_without_the_e_danish_drops() {
    require_node();
    let (n, hits) = query("svindel", "");
    let urls: Vec<&str> = hits.iter().map(|h| h[2].as_str()).collect();
    for plan in [
        "/kredse/oestjylland/samarbejdsplan/2024/#",
        "/kredse/nordjylland/samarbejdsplan/2022/#",
    ] {
        assert!(urls.iter().any(|u| u.contains(plan)), "{plan}: {urls:?}");
    }
    assert!(n >= query("svindler", "").0, "{n}");
    let (offer, _) = query("offer", "");
    let (ofre, hits) = query("ofre", "");
    assert_eq!(offer, ofre, "offer and ofre");
    assert!(
        hits.iter().any(|h| h[0].contains("hjælp til ofre")),
        "{hits:?}"
    );
    // Only listed nouns, and their other forms by exact stem: "handel" (trade) is not
    // "handler om" (is about), nor a prefix of handleplan; it finds its one section.
    let (n, hits) = query("handel", "");
    assert_eq!(n, 1, "{hits:?}");
    assert_eq!(query("handel narkotika", "").0, 0);
}

/// A word finds the compounds it begins, after the word itself: "ungdom" finds the
/// sections on ungdomskriminalitet, as a reader searching Danish expects.
#[test]
fn a_word_finds_its_compounds_after_itself() {
    require_node();
    let (n, hits) = query("ungdom", "");
    let (m, _) = query("ungdomskriminalitet", "");
    assert!(n >= m, "ungdom: {n} hits, ungdomskriminalitet: {m}");
    assert!(
        hits.iter()
            .any(|h| h[0].to_lowercase().contains("ungdomskriminalitet")),
        "{hits:?}"
    );
    // The word itself still ranks first where it stands alone.
    let (total, first) = query("indbrud", "");
    assert!(
        total > 0 && first[0][0].to_lowercase().contains("indbrud"),
        "{first:?}"
    );
}

#[test]
fn transliterations_find_danish_letters_and_back() {
    require_node();
    let (_, hits) = query("hjoerring", "");
    assert_eq!(hits[0][0], "Hjørring Kommune");
    assert_eq!(hits[0][2], "/kommuner/hjoerring/");
    assert_eq!(query("hjørring", ""), query("hjoerring", ""));
    assert_eq!(query("saerlige", ""), query("særlige", ""));
    assert_eq!(query("aarhus", ""), query("Århus", ""));
}

#[test]
fn trekanten_finds_the_holstebro_priority() {
    require_node();
    let (_, hits) = query("Trekanten", "");
    assert_eq!(hits[0][0], "Holstebro Kommune");
    assert_eq!(
        hits[0][2],
        "/kredse/midt-og-vestjylland/samarbejdsplan/2025/#holstebro-kommune"
    );
}

#[test]
fn filters_narrow_the_results() {
    require_node();
    let (all, _) = query("indbrud", "");
    let (nord, hits) = query("indbrud", "kreds=nordjylland");
    assert!(nord < all && nord > 0);
    assert!(hits
        .iter()
        .all(|h| h[2].contains("/nordjylland/") || h[2].contains("/hjoerring/")));
    let (_, hits) = query("indbrud", "kommune=hjoerring&aar=2026&type=handleplan");
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h[2].starts_with("/kommuner/hjoerring/handleplan/2026/")));
    let (n, hits) = query("indbrud", "indsats=indbrud");
    assert!(n > 0 && n < all, "{hits:?}");
}

/// A build makes the index from the site before its evolution is computed (the index
/// starts beside it); `serve` makes it from the whole model. The files must be the same.
#[test]
fn the_built_index_is_the_one_the_whole_model_gives() {
    use planspor::render::{RenderOptions, Renderer};
    let model = default_model();
    let renderer = Renderer::new(&repo(), &model.config.theme).expect("templates");
    let made: std::collections::BTreeMap<String, Vec<u8>> =
        planspor::site::render_data(model, &renderer, &RenderOptions::default())
            .into_iter()
            .filter(|(p, _)| p.starts_with("data/soeg/"))
            .collect();
    let built: std::collections::BTreeMap<String, Vec<u8>> = read_tree(&out())
        .into_iter()
        .filter(|(p, _)| p.starts_with("data/soeg/"))
        .collect();
    assert!(made.len() > 20, "{}", made.len());
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        made.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &made {
        assert!(built[path] == *bytes, "{path} differs");
    }
}

#[test]
fn no_document_text_starts_with_a_stray_separator() {
    // An indsatsområde without aliases but with a theme read ". Børn og unge" in its
    // result's snippet.
    let d = out().join("data/soeg/d");
    let mut checked = 0;
    for f in std::fs::read_dir(&d).unwrap() {
        let docs: Vec<Vec<String>> =
            serde_json::from_slice(&std::fs::read(f.unwrap().path()).unwrap()).unwrap();
        for doc in docs {
            let text = &doc[3];
            assert!(!text.starts_with(['.', ' ', ',']), "{}: {text:.60}", doc[0]);
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked} documents");
}

#[test]
fn text_before_a_plans_first_heading_is_found_on_the_plan_page() {
    require_node();
    let d = TempDir::new("search-intro");
    copy_site(&repo(), d.path());
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2025.md");
    let src = std::fs::read_to_string(&plan).unwrap();
    let close = src[3..].find("+++").unwrap() + 3 + 3;
    let with_intro = format!(
        "{}\n\nIndledende tekst om Kvindekaffe i Vrå.\n{}",
        &src[..close],
        &src[close..]
    );
    std::fs::write(&plan, with_intro).unwrap();
    let public = d.path().join("public");
    build_to(d.path(), &public, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let v: serde_json::Value =
        serde_json::from_str(&node_on(&public, &["query", "kvindekaffe", ""], "")).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{v}");
    assert_eq!(
        hits[0]["url"], "/kommuner/hjoerring/handleplan/2025/",
        "{v}"
    );
    assert_eq!(hits[0]["title"], "Handleplan 2025", "{v}");
    // The sections after it are still found, at their anchors.
    let v: serde_json::Value = serde_json::from_str(&node_on(
        &public,
        &["query", "indbrud", "kommune=hjoerring"],
        "",
    ))
    .unwrap();
    assert!(v["hits"].as_array().unwrap().iter().any(|h| h["url"]
        .as_str()
        .unwrap()
        .starts_with("/kommuner/hjoerring/handleplan/2025/#")));
}

/// What a journalist typed, read against the plans. "puffbars" finds Hjørring's
/// "Trygt Festliv" text, which writes "puff-bars"; "kriminalitetsforebyggelse" leads with
/// plan text, not with the kommune pages' one sentence saying they work on it; and
/// "tryghed" leads with a heading that says "tryghed", not with a rarer compound
/// ("Tryghedskameraer").
#[test]
fn searches_a_reader_makes_find_what_the_plans_say() {
    require_node();
    let (_, hits) = query("puffbars", "");
    assert!(
        hits.iter()
            .any(|h| h[2].contains("/handleplan/2026/#trygt-festliv")),
        "{hits:?}"
    );
    let (_, hits) = query("puff-bars", "");
    assert!(!hits.is_empty(), "the hyphenated spelling finds too");

    let (_, hits) = query("kriminalitetsforebyggelse", "");
    let first_kommune = hits.iter().position(|h| h[1].starts_with("Kommune i"));
    let first_section = hits.iter().position(|h| h[2].contains("plan/"));
    assert!(
        first_section.is_some() && first_section < first_kommune.or(Some(usize::MAX)),
        "{hits:?}"
    );
    assert!(!hits[0][1].starts_with("Kommune i"), "{hits:?}");

    let (_, hits) = query("tryghed", "");
    assert!(
        hits[0][0]
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "tryghed"),
        "{hits:?}"
    );
}

/// What a citizen typed, read against the plans. Randers has no plan of its own, but
/// Østjylland's samarbejdsplan is Randers's too: the kommune filter, and a kommune's
/// name in the query, find its "Indbrud i privat beboelse" (which never names Randers),
/// where both found nothing. A name typed without ø still finds the kommune; a compound
/// of a noun that drops its e finds its inflected forms ("telefonsvindel" →
/// "telefonsvindlere").
#[test]
fn searches_a_citizen_makes_find_their_districts_plans() {
    require_node();
    let district = "/kredse/oestjylland/samarbejdsplan/2024/#5-2-indbrud-i-privat-beboelse";
    for (q, filters) in [("indbrud", "kommune=randers"), ("Randers indbrud", "")] {
        let (_, hits) = query(q, filters);
        assert!(
            hits.iter().any(|h| h[2] == district),
            "{q} {filters}: {hits:?}"
        );
        // Only Randers's own pages and its kreds's plans.
        assert!(
            hits.iter()
                .all(|h| h[2].contains("/oestjylland/") || h[2].contains("/randers/")),
            "{q}: {hits:?}"
        );
    }
    // The name is a place and a word: sections that say it are still found, first
    // ("Tryg Aalborg" is a Hjørring project), and a stop word is no second word.
    let (_, hits) = query("Tryg Aalborg", "");
    assert!(
        hits[0][0].starts_with("Tryg Aalborg") && hits[0][2].contains("/hjoerring/"),
        "{hits:?}"
    );
    let (n, hits) = query("i Randers", "");
    assert!(n > 0 && hits[0][2] == "/kommuner/randers/", "{hits:?}");
    // A genitive is the name too.
    let (_, a) = query("Hjørrings indbrud", "");
    let (_, b) = query("Hjørring indbrud", "");
    assert_eq!(a, b);
    assert!(!a.is_empty());
    // Ties keep the index's order, but one issuer's newer plan comes first.
    let (_, hits) = query("kriminalitetsforebyggelse", "kreds=oestjylland");
    let kommuner: Vec<&str> = hits
        .iter()
        .filter(|h| h[1].starts_with("Kommune i"))
        .map(|h| h[0].as_str())
        .collect();
    let mut sorted = kommuner.clone();
    sorted.sort_by(|a, b| planspor::collate::danish_cmp(a, b));
    assert_eq!(kommuner, sorted);
    // Another kreds's kommune does not get Østjylland's plans.
    let (_, hits) = query("indbrud", "kommune=herning");
    assert!(
        hits.iter().all(|h| !h[2].contains("/oestjylland/")),
        "{hits:?}"
    );
    // The name alone still finds the kommune, with or without ø.
    for q in ["Hjørring", "hjorring", "hjoerring"] {
        let (_, hits) = query(q, "");
        assert_eq!(hits[0][2], "/kommuner/hjoerring/", "{q}");
    }
    // A word that is part of a hyphenated kommune name is a word ("brande" in
    // Ikast-Brande): it is searched, not taken for the kommune.
    let (n, _) = query("indbrud brande", "");
    let (m, _) = query("indbrud", "kommune=ikast-brande");
    assert_ne!(n, m);
    let (_, hits) = query("telefonsvindel", "");
    assert!(
        hits.iter()
            .any(|h| h[2].contains("/oestjylland/samarbejdsplan/2024/#4-1")),
        "{hits:?}"
    );
}

/// A citizen searches in everyday words, not the plans' ("vold i hjemmet", not "vold i
/// nære relationer"; "fart", not "færdselssikkerhed"): an indsatsområde's registry
/// description says what it is about in those words, is searched, and leads to it.
#[test]
fn everyday_words_find_the_indsatsomraade_by_its_description() {
    for (q, title) in [
        ("vold i hjemmet", "Vold i nære relationer"),
        ("fart", "Sikker trafik og færdselssikkerhed"),
        ("hash", "Narkokriminalitet"),
        ("indbrud i sommerhus", "Indbrud"),
    ] {
        let (n, hits) = query(q, "");
        assert!(n >= 1, "{q}: no hits");
        assert_eq!(hits[0][0], title, "{q}: {hits:?}");
        assert_eq!(hits[0][1], "Indsatsområde", "{q}");
    }
}

/// An indsatsområde's id is its short name ("trafiksikkerhed" for "Sikker trafik og
/// færdselssikkerhed", in its address too): a reader searching for that word means the
/// indsatsområde, which once came fourth of four, behind a section that only uses the
/// word more often ("Tryg Aalborg II").
#[test]
fn an_indsatsomraades_id_is_matched_as_its_title() {
    let (n, hits) = query("trafiksikkerhed", "");
    assert!(n >= 4, "{hits:?}");
    assert_eq!(hits[0][0], "Sikker trafik og færdselssikkerhed", "{hits:?}");
    assert_eq!(hits[0][2], "/indsatsomraader/trafiksikkerhed/");
    // Everything named so ranks above a section that only mentions it.
    let aalborg = hits.iter().position(|h| h[0] == "Tryg Aalborg II");
    let named = hits
        .iter()
        .rposition(|h| h[0].to_lowercase().contains("trafiksikkerhed") || h[1] == "Indsatsområde");
    assert!(named < aalborg, "{hits:?}");
}

/// A query with a decomposed letter (pasted "a" and a combining ring for "å") finds what
/// the letter typed finds: the index holds composed text, and so does the query.
#[test]
fn a_decomposed_query_finds_what_the_composed_one_finds() {
    let composed = query("sårbare", "");
    assert!(composed.0 > 0);
    assert_eq!(query("sa\u{30a}rbare", ""), composed);
}

/// "Aars" is a town, written with "aa" as names are; folded it is "aars", which the
/// stemmer makes "aar", the stem of "år". A search for the town found 52 sections about
/// years before Nordjylland's about its new police station in Aars. A word written with
/// "aa" at its start is indexed as a name too and looked up so first, its stem counting
/// half; "aa" typed for "å" still finds the word.
#[test]
fn a_name_written_with_aa_is_not_the_word_it_stems_like() {
    let station = "04.1 Det lokale samarbejde fra to nye nærstationer";
    let (_, hits) = query("Aars", "");
    assert_eq!(hits[0][0], station, "{hits:?}");
    let (_, hits) = query("år", "");
    assert_ne!(hits[0][0], station, "{hits:?}");
    // Typed without å: "aabningstider" is no name in the index, so the stem finds it.
    let (n, hits) = query("aabningstider", "");
    assert!(n >= 1 && hits[0][0] == station, "{hits:?}");
    // A kommune written so is still read as the kommune.
    let (_, hits) = query("Aalborg", "");
    assert_eq!(hits[0][0], "Aalborg Kommune", "{hits:?}");
}

/// A plan is a document of its own, searched by its title and issuer: "handleplan 2026"
/// found one section that happened to say both words, not the plan.
#[test]
fn a_plan_is_found_by_its_title_and_issuer() {
    for (q, url) in [
        ("handleplan 2026", "/kommuner/hjoerring/handleplan/2026/"),
        (
            "samarbejdsplan 2024",
            "/kredse/oestjylland/samarbejdsplan/2024/",
        ),
        (
            "samarbejdsplan østjylland",
            "/kredse/oestjylland/samarbejdsplan/2024/",
        ),
    ] {
        let (_, hits) = query(q, "");
        assert_eq!(hits[0][2], url, "{q}: {hits:?}");
    }
}

/// A question's words ("hvem", "hvornår", "hvordan") are dropped like other stop words:
/// every query word must match, and a question found nothing.
#[test]
fn a_question_finds_what_its_words_find() {
    for (q, words) in [
        ("hvem er med i lokalrådet", "lokalrådet"),
        ("hvornår mødes lokalrådet", "mødes lokalrådet"),
        ("hvordan forebygger man indbrud", "forebygger indbrud"),
    ] {
        let asked = query(q, "");
        assert!(asked.0 > 0, "{q}");
        assert_eq!(asked, query(words, ""), "{q}");
    }
}

/// Of a place in the query, the texts that name it or are in the kommune's own plans
/// come before the kredsråd's texts that do not name it, which are as often about
/// another kommune: "Frederikshavn indbrud" led with Nordjylland's section on Hjørring's
/// "Fri for Indbrud", ahead of the Bo Trygt sections that name Frederikshavn.
#[test]
fn a_place_leads_with_the_texts_that_name_it() {
    require_node();
    let (_, hits) = query("Frederikshavn indbrud", "");
    let at = |title: &str| position(&hits, title);
    assert!(
        at("Partnerskabet") < at("Hjørring Kommune – projekt"),
        "{hits:?}"
    );
    // A kommune's kredsråd's texts still count when nothing names it.
    let (_, hits) = query("Randers indbrud", "");
    assert_eq!(hits[0][0], "5.2. Indbrud i privat beboelse");
}

/// Æ, ø and å typed as a, o and a (a phone or a keyboard without them): a word found
/// neither as it is nor as a prefix is looked for so, as kommune names are. "sarbare
/// borgere", "narstationer" and "aresrelateret" found nothing.
#[test]
fn danish_letters_typed_as_a_and_o_still_find_the_word() {
    for (q, title) in [
        ("sarbare borgere", "Sårbare borgere"),
        (
            "narstationer",
            "04.1 Det lokale samarbejde fra to nye nærstationer",
        ),
        (
            "aresrelateret",
            "5.5. Stalking, tilholdssager og æresrelateret kriminalitet",
        ),
    ] {
        let (n, hits) = query(q, "");
        assert!(n > 0, "{q}: nothing");
        assert_eq!(hits[0][0], title, "{q}: {hits:?}");
    }
    // Only where nothing else is found: the word itself still comes first.
    let (_, hits) = query("sårbare borgere", "");
    assert_eq!(hits[0][0], "Sårbare borgere");
}

/// A word misspelt by a letter or two, found nowhere as it is, as a prefix or with
/// æ, ø and å typed loosely, is looked up as the nearest word the index has ("Hjøring"
/// and "ungdomskriminallitet" found nothing). Short words are not: too many are near.
#[test]
fn a_misspelt_word_finds_what_the_word_finds() {
    require_node();
    for (typo, word) in [
        ("Hjøring", "Hjørring"),
        ("ungdomskriminallitet", "ungdomskriminalitet"),
        ("bandekriminaltet", "bandekriminalitet"),
        ("tryghd", "tryghed"),
        // Equally near words: the one taking most of the typed word as it is ("tre" +
        // "hed" is as near as "tryg" + "hed"), and no stem of under four letters.
        ("tryhed", "tryghed"),
        ("sikerhed", "sikkerhed"),
        ("bogere", "borgere"),
        // Two endings on a stem: the typed word's stem is compared too.
        ("forbyggelse", "forebyggelse"),
        // A misspelling whose stem happens to begin a rare compound ("trygh" begins
        // "tryghedskamera": it led with Tryghedskameraer).
        ("tryghet", "tryghed"),
        ("sikkerhet", "sikkerhed"),
        // In a query of more words a kommune misspelt by a letter is the place, as
        // spelt right ("Randrs indbrud" found nothing), unless the word is one the
        // index has.
        ("Randrs indbrud", "Randers indbrud"),
        ("randrs indbrud", "Randers indbrud"),
        ("Hjøring indbrud", "hjørring indbrud"),
        ("Hernnig unge", "Herning unge"),
    ] {
        let right = query(word, "");
        assert!(right.0 > 0, "{word}");
        assert_eq!(query(typo, ""), right, "{typo}");
    }
    assert_eq!(query("Hjøring", "").1[0][0], "Hjørring Kommune");
    // Nor when the index has words the typed one begins: "gerning" (gerningsmand) is
    // not Herning.
    let (n, hits) = query("gerning vold", "");
    assert!(
        n > 0 && hits.iter().all(|h| !h[1].contains("Midt- og Vestjylland")),
        "{hits:?}"
    );
    // A word the plans have is never read as another ("politi" is not "politik").
    assert_ne!(query("politi", ""), query("politik", ""));
    assert_eq!(query("xyzzyq", "").0, 0);
    // A word being typed is not read as a shorter one: "trafiksik" is not "trafik", nor
    // "gennemsigt" (on its way to "gennemsigtig", stem "gennemsig") "gennem".
    assert_ne!(query("trafiksik", ""), query("trafik", ""));
    assert_ne!(query("gennemsigt", ""), query("gennem", ""));
    // A word the plans never write is not read as a stem with an ending the stemmer
    // does not take off ("hjem" + "løst" made "hjemløse" "hjem": 19 unrelated hits).
    assert_eq!(query("hjemløse", "").0, 0);
    // A word in lower case near a kommune's name is a word: "vold truer" is not Struer.
    let (_, hits) = query("vold truer", "");
    assert!(
        hits.iter().all(|h| !h[1].contains("Midt- og Vestjylland")),
        "{hits:?}"
    );
    assert_eq!(query("bjl", "").0, 0, "three letters: no guess");
}

/// A year the site has plans for, in a query of more words, is read as the year: the
/// year's plans come first, also their texts that do not write the year ("trafik 2026"
/// found the one section saying "2026"). A year filter that says another year leaves
/// the word a word.
#[test]
fn a_year_in_the_query_is_read_as_the_year() {
    require_node();
    let (n, hits) = query("trafik 2026", "");
    let (words_only, _) = query("trafik 2026", "aar=2025");
    assert!(n >= 3, "{n}: {hits:?}");
    for h in &hits[..3] {
        assert!(h[1].contains("2026"), "{h:?}");
    }
    assert!(
        words_only < n,
        "with another year's filter, 2026 is a word: {words_only}"
    );
    // The year's plans first, then a text that only names the year.
    let (n, hits) = query("indbrud 2024", "");
    assert!(n > 1);
    assert!(hits[0][1].contains("2024"), "{hits:?}");
    // A year of a span is part of a name: "flerårsaftalen 2021-2024" leads with the
    // heading that says it, not with the 2024 plan's foreword.
    let (_, hits) = query("flerårsaftalen 2021-2024", "");
    assert!(hits[0][0].contains("FLERÅRSAFTALEN 2021-2024"), "{hits:?}");
    // One word alone is a word: "2026" finds the texts that say it.
    let (alone, _) = query("2026", "");
    assert!(alone > 0);
}

/// A section is found by the indsatsområder it is bound to, by their titles and ids,
/// which it need not write: "trafiksikkerhed" found four documents and none of the
/// sections "Indsatser for mere sikker trafik i Nordjylland" (Hjørring 2025) and
/// "5.3. Færdselsikkerhed" (Østjylland 2024) that the plans bind to it. They come after
/// the pages and sections that write the word in their headings, and before texts that
/// only mention it.
#[test]
fn a_section_is_found_by_the_indsatsomraade_it_is_bound_to() {
    require_node();
    let (_, hits) = query("trafiksikkerhed", "");
    let at = |title: &str, context: &str| {
        hits.iter()
            .position(|h| h[0] == title && h[1] == context)
            .unwrap_or_else(|| panic!("{title} ({context}) not found: {hits:?}"))
    };
    let bound = [
        at(
            "Indsatser for mere sikker trafik i Nordjylland",
            "Handleplan 2025 – Hjørring Kommune",
        ),
        at("5.3. Færdselsikkerhed", "Samarbejdsplan 2024 – Østjylland"),
    ];
    let titled = at("Trafiksikkerhed:", "Handleplan 2026 – Hjørring Kommune");
    let mentions = at(
        "Tryg Aalborg II",
        "Kredsrådets samarbejdsplan 2022 – Nordjylland",
    );
    assert_eq!(hits[0][0], "Sikker trafik og færdselssikkerhed");
    assert!(bound.iter().all(|&b| b > titled), "{hits:?}");
    assert!(
        bound.iter().all(|&b| b < mentions),
        "a section bound to it before a text that mentions it: {hits:?}"
    );
    // A sub-section by its parent's: "Nedbringelse af hastigheden på vejene" is under
    // Hjørring's traffic section, and the filter counts it as the indsatsområde's.
    let (_, hits) = query("trafiksikkerhed hastighed", "");
    assert!(
        hits.iter()
            .any(|h| h[0] == "Nedbringelse af hastigheden på vejene"
                && h[1] == "Handleplan 2025 – Hjørring Kommune"),
        "{hits:?}"
    );
    // By the indsatsområde's title too: "færdselssikkerhed" finds Hjørring's section.
    let (_, hits) = query("færdselssikkerhed", "");
    assert!(
        hits.iter()
            .any(|h| h[0] == "Indsatser for mere sikker trafik i Nordjylland"),
        "{hits:?}"
    );
}

/// A word said only in passing ("narko" in Tryg Aalborg's text) does not hold down the
/// headings with compounds of it: only a heading's score caps them (the cap is there so
/// that "Tryghedskameraer" does not pass the sections titled "tryghed"). "narko" led
/// with "Tryg Aalborg", and "Fokus på narkokriminalitet …" came eighth, tied with a plan.
#[test]
fn a_word_said_in_passing_does_not_hold_down_headings_with_its_compounds() {
    require_node();
    let (_, hits) = query("narko", "");
    let at = |title: &str| position(&hits, title);
    let passing = at("Tryg Aalborg");
    for heading in [
        "Fokus på narkokriminalitet",
        "Strategi mod bagmænd og stigende narkokriminalitet",
        "Narkokriminalitet",
    ] {
        assert!(at(heading) < passing, "{heading}: {hits:?}");
    }
}
