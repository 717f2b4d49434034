//! Structure-aware diffs on the default site: Hjørring's 2026 handleplan against 2025,
//! whose sub-sections were added, dropped and reordered.

mod common;

use common::*;
use planspor::model::diff::{parse_blocks, BlockChange, BlockKind, Diff};
use planspor::model::evolution::{indsats_text, Status};
use planspor::model::Site;

const KONTAKT: &str = "Kontaktpersonsordning for folkevalgte og deres pårørende – \"et stærkere værn om demokratiet\"";
const CEO_FRAUD: &str =
    "Øget fokus på \"CEO Fraud\" (Svindel målrettet virksomheder og foreninger)";

fn model() -> &'static Site {
    default_model()
}

fn out() -> &'static std::path::Path {
    default_build("structured-diff")
}

/// Hjørring 2026's entry for `id`: its status, diff, and the 2026 and 2025 texts.
fn hjoerring_2026(id: &str) -> (Status, &'static Diff, String, String) {
    let s = model();
    let p = s
        .plans
        .iter()
        .position(|p| p.file.ends_with("hjoerring/handleplan-2026.md"))
        .expect("Hjørring 2026");
    let i = s.indsats_by_id(id).expect("registered");
    let e = s.evolution.entry(p, i).expect("an entry");
    let q = s.plans[p].prev.expect("a 2025 plan");
    (
        e.status,
        e.diff.as_ref().expect("a diff"),
        indsats_text(s, p, &e.new_sections),
        indsats_text(s, q, &e.old_sections),
    )
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn sub_sections_new_and_gone() {
    let (_, d, _, _) = hjoerring_2026("tryghed");
    assert_eq!(d.new_headings, [KONTAKT]);
    assert!(d.gone_headings.is_empty(), "{:?}", d.gone_headings);
    let (_, d, _, _) = hjoerring_2026("tryghed-paa-nettet");
    assert!(
        d.gone_headings.iter().any(|h| h == CEO_FRAUD),
        "{:?}",
        d.gone_headings
    );
    // Renamed, not gone: "Øvrigt fokus på …" → "Fokus på …".
    assert!(!d
        .gone_headings
        .iter()
        .any(|h| h.starts_with("Øvrigt fokus")));
}

#[test]
fn reordered_sub_sections_do_not_break_paragraphs() {
    let (status, d, new_md, old_md) = hjoerring_2026("bandekriminalitet");
    assert_eq!(status, Status::Ændret);
    // Every block of the 2026 text is whole inside one block of the diff, in order.
    let new_sides: Vec<String> = d
        .blocks
        .iter()
        .filter(|b| b.change != BlockChange::Removed)
        .map(|b| b.new_text())
        .collect();
    let new_blocks: Vec<String> = parse_blocks(&new_md)
        .iter()
        .map(|b| words(&b.text))
        .collect();
    assert_eq!(new_sides, new_blocks);
    // The old words too, each once (moved blocks where they now stand; two old
    // paragraphs that 2026 joined into one are shown in that one).
    let mut old_sides: Vec<String> = d
        .blocks
        .iter()
        .flat_map(|b| {
            b.old_text()
                .split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut old_words: Vec<String> = parse_blocks(&old_md)
        .iter()
        .flat_map(|b| {
            words(&b.text)
                .split(' ')
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    old_sides.sort();
    old_words.sort();
    assert_eq!(old_sides, old_words);

    let block = |start: &str| {
        d.blocks
            .iter()
            .find(|b| b.new_text().starts_with(start))
            .unwrap_or_else(|| panic!("no block {start:?}"))
    };
    // "I flere sammenhænge …" and "Kredsrådet vil i 2025 …", two paragraphs in 2025 and
    // one in 2026: shown as that one, kept, not as a paragraph removed beside it.
    let joined = block("I flere sammenhænge");
    assert_eq!(joined.change, BlockChange::Kept);
    assert!(joined
        .old_text()
        .contains("Kredsrådet vil i 2025 løbende drøfte"));
    // The renamed sub-heading is one heading, word-diffed; its paragraph unchanged.
    let h = block("Forebyggelse af bandekriminalitet");
    assert_eq!((h.kind, h.change), (BlockKind::Heading, BlockChange::Kept));
    assert_eq!(
        h.old_text(),
        "Indsats for at forebygge bandekriminalitet og unges rekruttering til bandemiljøet"
    );
    let p = block("Den 8. november 2023");
    assert!(p.change == BlockChange::Kept && !p.is_edited());
    // The Stadion paragraph moved to another sub-section: one moved block, both years'
    // paragraph whole in it, its small edits as a word diff.
    let stadion = block("Nordjyllands Politi har iværksat den såkaldte Stadion-indsats");
    assert_eq!(stadion.change, BlockChange::Moved);
    assert!(stadion
        .old_text()
        .starts_with("Nordjyllands Politi har iværksat den såkaldte \"Stadion-indsats\""));
    assert!(stadion.old_text().ends_with("tilstedeværelse eller andet."));
    // So are the sub-section that moved to the top, heading and all.
    let eff = block("Efterforskning og strafforfølgning af bandekriminalitet");
    assert_eq!(
        (eff.kind, eff.change),
        (BlockKind::Heading, BlockChange::Moved)
    );
    assert!(d.moved_blocks >= 3);
    assert_eq!(d.gone_headings, ["Særligt samarbejde med Aalborg Kommune"]);
}

#[test]
fn comparison_page_shows_blocks_moves_and_sections() {
    let html = page(
        &out().join("public"),
        "kommuner/hjoerring/handleplan/2026/sammenlign/2025",
    );
    let t = text(&html);
    assert!(
        t.contains(&format!("Nye overskrifter: {KONTAKT}")),
        "no new sub-section"
    );
    assert!(t.contains(&format!("Fjernede overskrifter: Politiet kommer ud med nyt undervisningsmateriale målrettet seniorer; {CEO_FRAUD}")), "no gone sub-sections");
    assert!(t.contains("3 afsnit flyttet"), "moves counted");
    assert!(html.contains("<div class=\"diff-para diff-moved\"><span class=\"diff-label\">flyttet</span> Nordjyllands Politi har iværksat"));
    assert!(html.contains("<div class=\"diff-heading diff-moved\"><span class=\"diff-label\">flyttet</span> Efterforskning og strafforfølgning af bandekriminalitet</div>"));
    // An unchanged paragraph of a reordered section reads whole, not broken by changes.
    assert!(html.contains("<div class=\"diff-para\">Den 8. november 2023 blev der mellem regeringen og flere andre partier vedtaget en aftale om en række initiativer mod bandekriminalitet (bandepakke IV).</div>"));
    assert!(html.contains("<div class=\"diff-heading diff-added\"><ins>"));
    assert!(html.contains("<div class=\"diff-para diff-removed\"><del>"));
    // Diff headings stay out of the page outline.
    for diff in html.split("<div class=\"diff\">").skip(1) {
        let end = diff.find("</details>").unwrap_or(diff.len());
        assert!(!diff[..end].contains("<h"), "a heading inside a diff");
    }
}

#[test]
fn history_page_lists_gone_sub_sections() {
    let html = page(
        &out().join("public"),
        "indsatsomraader/tryghed-paa-nettet/kommuner/hjoerring",
    );
    let t = text(&html);
    assert!(
        t.contains("Fjernede overskrifter:") && t.contains(CEO_FRAUD),
        "{t}"
    );
    // The merged 2026 section is compared with 2025's Indbrud text too, whose heading
    // "Partnerskabet "Bo Trygt" skal udbredes" it renamed: a renamed heading, not a new one.
    assert!(!t.contains("Nye overskrifter"), "{t}");
    assert!(
        t.contains(
            "[slettet: \"Bo Trygt\" skal udbredes ] [tilføjet: Bo Trygt er blevet udbredt ]"
        ),
        "{t}"
    );
}
