//! A failed build names file and line, and leaves the previous output untouched.

mod common;

use common::*;
use std::path::Path;

fn site_copy(name: &str) -> TempDir {
    let d = TempDir::new(name);
    copy_site(&repo(), d.path());
    d
}

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

#[test]
fn failed_build_leaves_previous_output_exactly_as_it_was() {
    let d = site_copy("failed-build");
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap();
    let before = read_tree(&out);
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    edit(&plan, "year = 2026", "yaer = 2026");
    let err = build_to(d.path(), &out, None).unwrap_err();
    assert!(err.has_errors());
    assert_eq!(
        read_tree(&out),
        before,
        "output changed after a failed build"
    );
    // No staging folders are left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("planspor-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn content_error_names_file_line_and_suggests() {
    let d = site_copy("content-error");
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    let line = std::fs::read_to_string(&plan)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("year = 2026"))
        .unwrap()
        + 1;
    edit(&plan, "year = 2026", "yaer = 2026");
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err.iter().find(|e| e.is_error()).unwrap();
    assert_eq!(
        e.file,
        Path::new("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md")
    );
    assert_eq!(e.line, line);
    assert_eq!(e.message, "unknown key `yaer`");
    assert_eq!(e.help.as_deref(), Some("did you mean `year`?"));
    let rendered = err.render(false);
    assert!(
        rendered.contains(&format!("handleplan-2026.md:{line}:1")),
        "{rendered}"
    );
    assert!(
        rendered.contains("yaer = 2026"),
        "snippet shown: {rendered}"
    );
}

#[test]
fn all_errors_of_a_run_are_reported_together() {
    let d = site_copy("many-errors");
    edit(
        &d.path()
            .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md"),
        "{indsats=vold-i-naere-relationer}",
        "{indsats=vold-i-naere-relation}",
    );
    edit(
        &d.path()
            .join("content/kredse/oestjylland/samarbejdsplan-2024.md"),
        "year = 2024",
        "year = 2042",
    );
    edit(
        &d.path().join("content/indsatsomraader/indbrud.md"),
        "title =",
        "titel =",
    );
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let msgs: Vec<String> = err.iter().map(|e| e.to_string()).collect();
    let all = msgs.join("\n");
    assert!(
        all.contains("unknown indsatsområde `vold-i-naere-relation`")
            && all.contains("did you mean `vold-i-naere-relationer`?"),
        "{all}"
    );
    assert!(
        all.contains("front matter says 2042 but the file name says 2024"),
        "{all}"
    );
    assert!(
        all.contains("indbrud.md") && all.contains("unknown key `titel`"),
        "{all}"
    );
    assert!(err.error_count() >= 3);
}

#[test]
fn template_error_names_template_and_line() {
    let d = site_copy("template-error");
    let tpl = d.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("404.html"), "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ title </p>\n{% endblock content %}\n").unwrap();
    let out = d.path().join("public");
    let err = build_to(d.path(), &out, None).unwrap_err();
    let e = err.iter().next().unwrap();
    assert_eq!(e.file, Path::new("templates/404.html"));
    assert_eq!(e.line, 3, "{e}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_template_error_on_its_extends_line_names_that_template() {
    // The quoted line names base.html too; the error is still year.html's.
    let d = site_copy("template-error-extends");
    let tpl = d.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("year.html"),
        "{% if %}{% extends \"base.html\" %}\n",
    )
    .unwrap();
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err.iter().next().unwrap();
    assert_eq!(e.file, Path::new("templates/year.html"), "{e}");
    assert_eq!(e.line, 1, "{e}");
}

#[test]
fn site_template_overrides_theme_file_by_file() {
    let d = site_copy("override");
    let tpl = d.path().join("templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Væk</h1>{% endblock content %}",
    )
    .unwrap();
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap();
    assert!(std::fs::read_to_string(out.join("404.html"))
        .unwrap()
        .contains("<h1>Væk</h1>"));
    assert!(
        page(&out, "kommuner/hjoerring").contains("Lokalrådets handleplaner"),
        "other templates still from theme"
    );
}

#[test]
fn builtin_theme_is_used_when_the_site_has_no_themes_folder() {
    let d = site_copy("no-themes");
    std::fs::remove_dir_all(d.path().join("themes")).unwrap();
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap();
    assert!(out.join("static/style.css").is_file());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let d = site_copy("foreign-output");
    let out = d.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("thesis.txt"), "years of work").unwrap();
    let err = build_to(d.path(), &out, None).unwrap_err();
    assert!(err
        .iter()
        .any(|e| e.message.contains("refusing to replace")));
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "years of work"
    );
}

/// A publisher's slips that a build must catch, each found by a publisher trying the
/// tool: the message names the place and the help leads to the right fix, not to
/// publishing something false.
#[test]
fn a_skipped_heading_level_is_an_error_not_a_silent_sub_area() {
    let d = site_copy("skipped-level");
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    // "#####" after "#### Udviklingen i ungdomskriminaliteten …" is one level below it: fine.
    // "######" is two: it would make the section part of ungdomskriminaliteten.
    edit(
        &plan,
        "#### Konkrete indsatser for tryghed",
        "###### Konkrete indsatser for tryghed",
    );
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err
        .iter()
        .find(|e| e.message.starts_with("heading level skipped"))
        .unwrap_or_else(|| panic!("{}", err.render(false)));
    assert_eq!(
        e.message,
        "heading level skipped: `######` under `####` Udviklingen i ungdomskriminaliteten i Nordjylland følges (line 328)"
    );
    assert!(e.file.ends_with("hjoerring/handleplan-2026.md"));
    let src = std::fs::read_to_string(&plan).unwrap();
    let line = src
        .lines()
        .position(|l| l.starts_with("###### Konkrete"))
        .unwrap()
        + 1;
    assert_eq!(e.line, line);
    assert!(e.help.as_deref().unwrap().contains(
        "a sub-section of «Udviklingen i ungdomskriminaliteten i Nordjylland følges» is `#####`"
    ));
    assert!(e.is_error());

    // In the introduction nothing is bound by it: a warning, and the site builds.
    let d = site_copy("skipped-level-intro");
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    edit(
        &plan,
        "### 1.1. Kredsrådets samarbejdsplan.",
        "#### 1.1. Kredsrådets samarbejdsplan.",
    );
    let report = build_to(d.path(), &d.path().join("public"), None)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let w = (report.warnings.iter())
        .find(|w| w.message.starts_with("heading level skipped"))
        .unwrap_or_else(|| panic!("{}", report.warnings.render(false)));
    assert_eq!(
        w.message,
        "heading level skipped: `####` under `##` 1. INDLEDNING (line 89)"
    );
}

#[test]
fn a_mistyped_kommune_folder_suggests_the_kommune_not_a_new_one() {
    let d = site_copy("kommune-typo");
    let kommuner = d.path().join("content/kredse/nordjylland/kommuner");
    std::fs::create_dir(kommuner.join("hjorring")).unwrap();
    std::fs::rename(
        kommuner.join("hjoerring/handleplan-2026.md"),
        kommuner.join("hjorring/handleplan-2026.md"),
    )
    .unwrap();
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err
        .iter()
        .find(|e| e.message == "kommune folder `hjorring` has no _index.md")
        .unwrap_or_else(|| panic!("{}", err.render(false)));
    assert_eq!(e.line, 0, "a folder has no line");
    assert!(e.help.as_deref().unwrap().starts_with(
        "did you mean `hjoerring`? Move the files to content/kredse/nordjylland/kommuner/hjoerring/"
    ));
    // A real kommune of the district that only lacks its _index.md is given one, not
    // sent to itself.
    let d = site_copy("kommune-no-index");
    std::fs::remove_file(
        d.path()
            .join("content/kredse/nordjylland/kommuner/hjoerring/_index.md"),
    )
    .unwrap();
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err
        .iter()
        .find(|e| e.message == "kommune folder `hjoerring` has no _index.md")
        .unwrap_or_else(|| panic!("{}", err.render(false)));
    assert_eq!(
        e.help.as_deref(),
        Some("add content/kredse/nordjylland/kommuner/hjoerring/_index.md with `name = \"Hjørring\"`")
    );
}

#[test]
fn a_plan_in_another_kommunes_folder_is_warned_about_in_the_build() {
    let d = site_copy("wrong-folder");
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    edit(
        &plan,
        "subtitle = \"Lokalrådet i Hjørring Kommune\"",
        "subtitle = \"Lokalrådet i Frederikshavn Kommune\"",
    );
    let report = build_to(d.path(), &d.path().join("public"), None).unwrap();
    let w = report
        .warnings
        .iter()
        .find(|w| w.message.contains("it names Frederikshavn"))
        .unwrap_or_else(|| panic!("{}", report.warnings.render(false)));
    assert_eq!(
        w.message,
        "this plan of Hjørring says «Lokalrådet i Frederikshavn Kommune»: it names Frederikshavn"
    );
    let src = std::fs::read_to_string(&plan).unwrap();
    let line = src
        .lines()
        .position(|l| l.starts_with("subtitle ="))
        .unwrap()
        + 1;
    assert_eq!(w.line, line);
    // Words that are no kommune named as one: a police district's name ("Københavns
    // Vestegns Politi", "Sydsjællands og Lolland-Falsters Politi"), a kommune's name as
    // a common word ("Vejen til …").
    for subtitle in [
        "Københavns Vestegns Politi",
        "Sydsjællands og Lolland-Falsters Politi",
        "Vejen til et trygt lokalsamfund",
    ] {
        edit(
            &plan,
            &format!("subtitle = \"{}\"", prev_subtitle(&plan)),
            &format!("subtitle = \"{subtitle}\""),
        );
        let report = build_to(d.path(), &d.path().join("public"), None).unwrap();
        assert!(
            !report
                .warnings
                .iter()
                .any(|w| w.message.contains("it names")),
            "{subtitle}: {}",
            report.warnings.render(false)
        );
    }
    // But a lokalråd is named as a kommune.
    edit(
        &plan,
        "subtitle = \"Vejen til et trygt lokalsamfund\"",
        "subtitle = \"Lokalrådet i Vejen\"",
    );
    let report = build_to(d.path(), &d.path().join("public"), None).unwrap();
    assert!(report
        .warnings
        .iter()
        .any(|w| w.message.ends_with("it names Vejen")));
    // The default site's own plans name their own kommune (or none): no warning.
    let clean = build_to(
        &repo(),
        &TempDir::new("wrong-folder-clean").path().join("p"),
        None,
    )
    .unwrap();
    assert!(!clean
        .warnings
        .iter()
        .any(|w| w.message.contains("it names")));
}

#[test]
fn an_unknown_id_close_to_a_registered_one_also_says_how_to_register_it() {
    let d = site_copy("new-indsats");
    let plan = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    edit(
        &plan,
        "{indsats=ungdomskriminalitet}",
        "{indsats=ungdomskriminalitet2}",
    );
    let err = build_to(d.path(), &d.path().join("public"), None).unwrap_err();
    let e = err
        .iter()
        .find(|e| e.message == "unknown indsatsområde `ungdomskriminalitet2`")
        .unwrap_or_else(|| panic!("{}", err.render(false)));
    assert_eq!(
        e.help.as_deref(),
        Some("did you mean `ungdomskriminalitet`? If `ungdomskriminalitet2` is a new indsatsområde, register it in content/indsatsomraader/ungdomskriminalitet2.md")
    );
}

/// Editors' files beside an open plan (vim's swap file, Emacs's backup and lock, Word's
/// owner file) are not content: the build neither reads nor refuses them.
#[test]
fn editor_droppings_beside_a_plan_are_not_content() {
    let d = site_copy("droppings");
    let dir = d
        .path()
        .join("content/kredse/nordjylland/kommuner/hjoerring");
    for name in [
        ".handleplan-2026.md.swp",
        "handleplan-2026.md~",
        "#handleplan-2026.md#",
        "~$ndleplan-2026.md",
    ] {
        std::fs::write(dir.join(name), "\u{0}binary junk").unwrap();
    }
    let report = build_to(d.path(), &d.path().join("public"), None)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(
        !report
            .warnings
            .iter()
            .any(|w| w.file.to_string_lossy().contains("ndleplan")),
        "{}",
        report.warnings.render(false)
    );
}

fn prev_subtitle(plan: &Path) -> String {
    let src = std::fs::read_to_string(plan).unwrap();
    let line = src.lines().find(|l| l.starts_with("subtitle = ")).unwrap();
    line["subtitle = ".len()..].trim_matches('"').to_string()
}
