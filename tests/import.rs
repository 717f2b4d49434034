//! `planspor init` and `planspor import`: a new site builds at once, and imported seed
//! plans come out close to the curated files, measured.

mod common;

use common::{broken_links_on_disk, build_to, TempDir};
use planspor::init::{init, InitOptions};

#[test]
fn init_builds_all_districts_without_errors_or_broken_links() {
    let tmp = TempDir::new("init");
    let root = tmp.path().join("site");
    let s = init(&InitOptions {
        dir: root.clone(),
        kredse: vec![],
    })
    .expect("init");
    assert_eq!((s.kredse, s.kommuner), (12, 98));
    let out = tmp.path().join("public");
    let report = match build_to(&root, &out, None) {
        Ok(r) => r,
        Err(d) => panic!("{}", d.render(false)),
    };
    assert!(report.warnings.iter().all(|w| !w.message.is_empty()));
    let (checked, broken) = broken_links_on_disk(&out, "/samarbejdsplaner/");
    assert!(checked > 1000, "{checked} links checked");
    assert!(broken.is_empty(), "{broken:#?}");
    for slug in ["nordjylland", "bornholm", "koebenhavns-vestegn"] {
        assert!(
            out.join("kredse").join(slug).join("index.html").is_file(),
            "{slug}"
        );
    }
    assert!(out.join("kommuner/vesthimmerland/index.html").is_file());
    let page = std::fs::read_to_string(out.join("kommuner/vesthimmerland/index.html")).unwrap();
    assert!(page.contains("Vesthimmerlands Kommune"));
}

#[test]
fn init_refuses_a_non_empty_folder_and_unknown_kreds() {
    let tmp = TempDir::new("init-refuse");
    std::fs::write(tmp.path().join("x.txt"), "x").unwrap();
    let e = init(&InitOptions {
        dir: tmp.path().to_path_buf(),
        kredse: vec![],
    })
    .unwrap_err();
    assert!(e.contains("not empty"), "{e}");
    let e = init(&InitOptions {
        dir: tmp.path().join("new"),
        kredse: vec!["nordjyland".into()],
    })
    .unwrap_err();
    assert!(e.contains("did you mean `nordjylland`"), "{e}");
    assert!(!tmp.path().join("new").exists());
}

#[test]
fn init_with_chosen_districts() {
    let tmp = TempDir::new("init-some");
    let root = tmp.path().join("site");
    let s = init(&InitOptions {
        dir: root.clone(),
        kredse: vec!["bornholm".into(), "nordjylland".into()],
    })
    .unwrap();
    assert_eq!((s.kredse, s.kommuner), (2, 10));
    let out = tmp.path().join("public");
    build_to(&root, &out, None)
        .map_err(|d| d.render(false))
        .unwrap();
    let (_, broken) = broken_links_on_disk(&out, "/samarbejdsplaner/");
    assert!(broken.is_empty(), "{broken:#?}");
}
