//! "Compare any two": the texts files the pickers diff in the browser exist for the
//! default site, are valid JSON, and hold exactly the blocks the model diffs.

mod common;

use common::*;
use planspor::model::diff::parse_blocks;
use planspor::model::evolution::{bound_sections, indsats_text};
use planspor::model::Issuer;
use planspor::render::compare::{index_path, texts_path};
use serde_json::Value;

fn read_json(path: &std::path::Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{} missing: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", path.display()))
}

#[test]
fn texts_files_hold_the_blocks_the_model_diffs() {
    let dir = TempDir::new("compare");
    let out = dir.path().join("public");
    build_to(&repo(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let (site, _) = planspor::site::load_site(&repo(), None);
    let site = site.expect("the default site loads");

    let mut files = 0;
    let mut plans_checked = 0;
    for i in 0..site.indsatser.len() {
        for &issuer in site.indsats_issuers(i) {
            let with_text: Vec<usize> = site
                .issuer_plans(issuer)
                .iter()
                .copied()
                .filter(|&p| !bound_sections(&site, p, i).is_empty())
                .collect();
            let path = out.join(texts_path(&site, i, issuer));
            if with_text.is_empty() {
                assert!(!path.exists(), "{} has no texts", path.display());
                continue;
            }
            let v = read_json(&path);
            files += 1;
            assert_eq!(v["indsats"], site.indsatser[i].id.as_str());
            let plans = v["plans"].as_array().expect("plans");
            assert_eq!(plans.len(), with_text.len(), "{}", path.display());
            for (entry, &p) in plans.iter().zip(&with_text) {
                assert_eq!(entry["key"], site.plans[p].key.as_str());
                // The text the model diffs (evolution's), split as `block_diff` splits it.
                let want = parse_blocks(&indsats_text(&site, p, &bound_sections(&site, p, i)));
                let got = entry["blocks"].as_array().expect("blocks");
                assert_eq!(
                    got.len(),
                    want.len(),
                    "{} {}",
                    path.display(),
                    site.plans[p].key
                );
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g["kind"], serde_json::to_value(w.kind).unwrap());
                    assert_eq!(g["level"], w.level);
                    assert_eq!(g["text"], w.text.as_str());
                }
                plans_checked += 1;
            }
        }
    }
    assert!(files >= 20, "only {files} texts files");
    assert!(plans_checked >= files);

    // Every issuer with plans has an index naming the texts files that exist.
    for issuer in site.issuers() {
        if site.issuer_plans(issuer).is_empty() {
            continue;
        }
        let v = read_json(&out.join(index_path(&site, issuer)));
        assert_eq!(
            v["plans"].as_array().map(Vec::len),
            Some(site.issuer_plans(issuer).len())
        );
        for ind in v["indsatser"].as_array().expect("indsatser") {
            let url = ind["texts"].as_str().expect("texts url");
            let rel = url.trim_start_matches('/');
            assert!(out.join(rel).is_file(), "{url} is listed but missing");
        }
    }
    let hjoerring = site
        .kommuner
        .iter()
        .position(|k| k.slug == "hjoerring")
        .map(Issuer::Kommune)
        .expect("Hjørring");
    let v = read_json(&out.join(index_path(&site, hjoerring)));
    assert!(
        v["indsatser"].as_array().is_some_and(|a| a
            .iter()
            .any(|i| i["plans"] == serde_json::json!(["2025", "2026"]))),
        "Hjørring has indsatsområder in both its plans"
    );
}
