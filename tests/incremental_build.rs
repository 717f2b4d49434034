//! Production builds write only what changed. After an edit, `planspor build` leaves
//! every file whose bytes are the same exactly as it was (same inode, same modification
//! time, so `rsync` and object-store syncs upload only the changed ones), and the
//! output is byte-identical to a full build into an empty folder. Also through edits
//! that are reverted, pages that disappear, files edited by hand in the output, failed
//! builds and a second build started while one runs.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

/// Runs `planspor build`; returns (success, standard error).
fn run_build(root: &Path, out: &Path) -> (bool, String) {
    run_build_with(root, out, &[])
}

/// [`run_build`] with environment variables set.
fn run_build_with(root: &Path, out: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `planspor build` with `PLANSPOR_TIMINGS`: standard error, with the timings.
fn build_timed(root: &Path, out: &Path) -> String {
    let (ok, err) = run_build_with(root, out, &[("PLANSPOR_TIMINGS", "1")]);
    assert!(ok, "{err}");
    err
}

/// How many of the open-data file `path`'s items a build made (not copied), of how
/// many, from its timings.
fn items_made(timings: &str, path: &str) -> (usize, usize) {
    let line = (timings.lines())
        .find_map(|l| l.strip_prefix(&format!("timings: {path}: ")))
        .unwrap_or_else(|| panic!("no count for {path} in {timings}"));
    let n: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    (n[0], n[1])
}

/// Builds and returns how many files the build line says it wrote.
fn build_ok(root: &Path, out: &Path) -> usize {
    let (ok, err) = run_build(root, out);
    assert!(ok, "{err}");
    let n = err
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok());
    n.unwrap_or_else(|| panic!("no written count in {err:?}"))
}

/// Every file's inode and modification time (nanoseconds).
fn stamps(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    let mut m = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let md = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap();
            m.insert(
                rel.to_string_lossy().into_owned(),
                (md.ino(), md.mtime(), md.mtime_nsec()),
            );
        }
    }
    m
}

/// Fails with the paths whose inode or modification time differ.
fn assert_same_stamps(
    a: &BTreeMap<String, (u64, i64, i64)>,
    b: &BTreeMap<String, (u64, i64, i64)>,
) {
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(differ.is_empty(), "inode or time changed: {differ:?}");
}

/// Fails with the paths whose bytes differ.
fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let differ = differing(a, b);
    assert!(differ.is_empty(), "bytes differ: {differ:?}");
}

/// The site as a full build into an empty folder makes it.
fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let fresh = root.join("fresh-reference");
    let _ = std::fs::remove_dir_all(&fresh);
    build_ok(root, &fresh);
    let tree = read_tree(&fresh);
    std::fs::remove_dir_all(&fresh).unwrap();
    tree
}

/// A copy of the default site, built `times` times into its `public/`.
fn site_built(name: &str, times: usize) -> (TempDir, std::path::PathBuf) {
    let d = TempDir::new(name);
    copy_site(&repo(), d.path());
    let out = d.path().join("public");
    for _ in 0..times {
        build_ok(d.path(), &out);
    }
    (d, out)
}

fn hjoerring_2026(root: &Path) -> std::path::PathBuf {
    root.join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md")
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The files whose bytes differ between two trees, or that only one has.
fn differing(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut d: Vec<String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect();
    d.sort();
    d.dedup();
    d
}

#[test]
fn an_edit_writes_only_the_files_whose_bytes_changed() {
    let d = TempDir::new("incr-edit");
    let root = d.path();
    copy_site(&repo(), root);
    let out = root.join("public");
    let all = build_ok(root, &out);
    assert!(all > 100, "first build wrote {all}");
    // Nothing changed: nothing written, every file untouched.
    let (before, stamps_before) = (read_tree(&out), stamps(&out));
    assert_eq!(build_ok(root, &out), 0);
    assert_same_stamps(&stamps(&out), &stamps_before);
    assert_same_tree(&read_tree(&out), &before);

    // One word of one plan's text.
    edit(&hjoerring_2026(root), "sikrer tryghed", "sikrer trygheden");
    let written = build_ok(root, &out);
    let after = read_tree(&out);
    assert_same_tree(&after, &full_build(root));
    let changed = differing(&before, &after);
    assert!(!changed.is_empty());
    assert_eq!(
        written,
        changed.len(),
        "wrote {written}, changed {changed:?}"
    );
    let stamps_after = stamps(&out);
    for (rel, s) in &stamps_after {
        let kept = stamps_before.get(rel) == Some(s);
        assert_eq!(
            kept,
            !changed.contains(rel),
            "{rel}: kept {kept}, bytes changed {}",
            changed.contains(rel)
        );
    }
    println!(
        "one word in Hjørring 2026: {written} of {} files written: {:?}",
        after.len(),
        changed
    );
    assert!(written * 10 < after.len(), "{written} files written");
}

#[test]
fn reverted_edits_and_removed_pages_come_out_exact() {
    let (d, out) = site_built("incr-revert", 1);
    let root = d.path();
    let original = read_tree(&out);
    let plan = hjoerring_2026(root);
    let text = std::fs::read_to_string(&plan).unwrap();
    edit(&plan, "sikrer tryghed", "sikrer trygheden");
    build_ok(root, &out);
    let edited_stamps = stamps(&out);
    let edited = read_tree(&out);
    // Back to the original text: the spare tree holds the site from two builds ago,
    // whose files equal the new ones; they must still count as changed for sync tools.
    std::fs::write(&plan, &text).unwrap();
    let written = build_ok(root, &out);
    assert_same_tree(&read_tree(&out), &original);
    let back = differing(&edited, &original);
    assert_eq!(written, back.len());
    let now = stamps(&out);
    for rel in &back {
        assert_ne!(
            now.get(rel),
            edited_stamps.get(rel),
            "{rel} looks unchanged"
        );
    }
    // A plan removed: its pages go, and nothing stale is left in the output.
    std::fs::remove_file(&plan).unwrap();
    build_ok(root, &out);
    let without = read_tree(&out);
    assert_same_tree(&without, &full_build(root));
    assert!(!without.keys().any(|k| k.contains("handleplan/2026/")));
    // And back again, two builds in a row, each exact.
    std::fs::write(&plan, &text).unwrap();
    build_ok(root, &out);
    assert_same_tree(&read_tree(&out), &original);
    assert_eq!(build_ok(root, &out), 0);
    assert_same_tree(&read_tree(&out), &original);
}

#[test]
fn a_file_edited_by_hand_in_the_output_is_put_right() {
    let (d, out) = site_built("incr-hand", 2);
    let root = d.path();
    let original = read_tree(&out);
    // Appended in place, and replaced by a file of the same size.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join("index.html"))
        .unwrap();
    f.write_all(b"<!-- hand edit -->").unwrap();
    drop(f);
    let css = out.join("static/style.css");
    let len = std::fs::metadata(&css).unwrap().len() as usize;
    std::fs::remove_file(&css).unwrap();
    std::fs::write(&css, vec![b' '; len]).unwrap();
    std::fs::write(out.join("stray.html"), b"not ours").unwrap();
    std::fs::create_dir_all(out.join(".well-known")).unwrap();
    std::fs::write(out.join(".well-known/security.txt"), b"Contact: x").unwrap();
    std::fs::write(out.join("kommuner/udkast.html"), b"draft").unwrap();
    assert_eq!(build_ok(root, &out), 2);
    assert_same_tree(&read_tree(&out), &original);
    // The replaced tree, which held the hand-added files, is the next build's spare:
    // they do not come back with the builds after.
    for _ in 0..3 {
        build_ok(root, &out);
        assert_same_tree(&read_tree(&out), &original);
        assert!(!out.join(".well-known").exists());
    }
}

/// The open data's unchanged items are copied from the published files (see
/// `render::items`): only from bytes the last build wrote, even when a file was changed
/// by hand and its size and modification time put back.
#[test]
fn open_data_changed_by_hand_is_not_copied_from() {
    let (d, out) = site_built("incr-items", 2);
    let root = d.path();
    let published = out.join("data/planer.json");
    let json = std::fs::read_to_string(&published).unwrap();
    // A plan the edit below does not touch: its item would be copied.
    let title = "\"title\": \"Kredsrådets samarbejdsplan 2022\"";
    let at = json.find(title).expect("Nordjylland 2022's item") as u64;
    let stamp = std::fs::metadata(&published).unwrap().modified().unwrap();
    use std::os::unix::fs::FileExt;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&published)
        .unwrap();
    let forged = title.replace("samarbejdsplan", "SAMARBEJDSPLAN");
    f.write_all_at(forged.as_bytes(), at).unwrap();
    f.set_modified(stamp).unwrap();
    drop(f);
    // Another plan's item changes, so the file is made again (an unchanged file is
    // kept whole, as any page is, by its manifest entry).
    edit(
        &hjoerring_2026(root),
        "title = \"Handleplan 2026\"",
        "title = \"Handleplan 2026 (revideret)\"",
    );
    let timings = build_timed(root, &out);
    // The edited plan's item and the forged one: the other three are copied.
    assert_eq!(items_made(&timings, "data/planer.json"), (2, 5));
    let after = std::fs::read_to_string(&published).unwrap();
    assert!(after.contains("Handleplan 2026 (revideret)"));
    assert!(after.contains(title) && !after.contains(&forged));
    assert_same_tree(&read_tree(&out), &full_build(root));
}

/// A site-wide edit changes every item's key; when the open data's bytes stay the same,
/// the items are still noted under the new keys, so the build after copies them again.
#[test]
fn open_data_items_are_copied_again_after_a_site_wide_edit() {
    let (d, out) = site_built("incr-items-site", 2);
    let root = d.path();
    let files = [
        "data/planer.json",
        "data/indsatsomraader.json",
        "data/status.csv",
    ];
    let timings = build_timed(root, &out);
    for f in files {
        let (made, all) = items_made(&timings, f);
        assert!(
            made == 0 && all > 0,
            "{f}: {made} of {all} made with nothing changed"
        );
    }
    let kommune = root.join("content/kredse/nordjylland/kommuner/hjoerring/_index.md");
    let text = std::fs::read_to_string(&kommune).unwrap();
    std::fs::write(&kommune, format!("{text}\nEn sætning mere om kommunen.\n")).unwrap();
    let before = std::fs::read(out.join("data/planer.json")).unwrap();
    let timings = build_timed(root, &out);
    assert_eq!(items_made(&timings, "data/planer.json"), (5, 5));
    assert_eq!(std::fs::read(out.join("data/planer.json")).unwrap(), before);
    let timings = build_timed(root, &out);
    for f in files {
        assert_eq!(items_made(&timings, f).0, 0, "{f}");
    }
    assert_same_tree(&read_tree(&out), &full_build(root));
}

/// An edit to a plan's text changes its item's key but not its bytes in `planer.json`
/// (which holds no text): the file stays the same, and its items are noted under the
/// new keys all the same, so the build after makes none.
#[test]
fn open_data_items_whose_keys_changed_but_not_their_bytes_are_noted_again() {
    let (d, out) = site_built("incr-items-keys", 2);
    let root = d.path();
    let before = std::fs::read(out.join("data/planer.json")).unwrap();
    edit(&hjoerring_2026(root), "Udviklingen i", "Udviklingen af");
    let timings = build_timed(root, &out);
    assert_eq!(items_made(&timings, "data/planer.json"), (1, 5));
    assert_eq!(std::fs::read(out.join("data/planer.json")).unwrap(), before);
    let timings = build_timed(root, &out);
    assert_eq!(items_made(&timings, "data/planer.json"), (0, 5));
}

#[test]
fn a_failed_build_leaves_the_site_and_the_next_one_is_exact() {
    let (d, out) = site_built("incr-fail", 2);
    let root = d.path();
    let (site, site_stamps) = (read_tree(&out), stamps(&out));
    // A text edit the new site renders, plus a broken link that fails the build after
    // the pages are written into the spare tree.
    let plan = hjoerring_2026(root);
    let text = std::fs::read_to_string(&plan).unwrap();
    edit(
        &plan,
        "sikrer tryghed",
        "sikrer trygheden [se her](/findes-ikke/)",
    );
    let (ok, err) = run_build(root, &out);
    assert!(!ok && err.contains("findes-ikke"), "{err}");
    assert_same_tree(&read_tree(&out), &site);
    assert_same_stamps(&stamps(&out), &site_stamps);
    // Fixed: exact, and only the changed files written.
    std::fs::write(
        &plan,
        text.replacen("sikrer tryghed", "sikrer trygheden", 1),
    )
    .unwrap();
    let written = build_ok(root, &out);
    let now = read_tree(&out);
    assert_same_tree(&now, &full_build(root));
    assert_eq!(written, differing(&site, &now).len());
}

#[test]
fn a_second_build_into_the_same_output_waits_its_turn() {
    let (d, out) = site_built("incr-lock", 1);
    let root = d.path();
    let site = read_tree(&out);
    // Hold the output's lock as a running build does.
    let lock = std::fs::File::open(root.join(".public.planspor/lock")).unwrap();
    use std::os::unix::io::AsRawFd;
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) }, 0);
    let (ok, err) = run_build(root, &out);
    assert!(
        !ok && err.contains("another planspor build is writing"),
        "{err}"
    );
    assert_same_tree(&read_tree(&out), &site);
    drop(lock);
    assert_eq!(build_ok(root, &out), 0);
}

#[test]
fn a_spare_without_its_manifest_is_not_trusted() {
    let (d, out) = site_built("incr-untrusted", 2);
    let root = d.path();
    // What a build killed while changing the spare leaves: a spare with junk in it and
    // no manifest for it.
    let state = root.join(".public.planspor");
    let spare = state.join("spare");
    std::fs::write(spare.join("junk.html"), b"junk").unwrap();
    let spare_ino = std::fs::metadata(&spare).unwrap().ino();
    for e in std::fs::read_dir(&state).unwrap().flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.ends_with(&format!("-{spare_ino}.manifest")) {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    edit(&hjoerring_2026(root), "sikrer tryghed", "sikrer trygheden");
    build_ok(root, &out);
    let now = read_tree(&out);
    assert!(!now.contains_key("junk.html"));
    assert_same_tree(&now, &full_build(root));
}

/// (pages, pages rendered) from a build line.
fn page_counts(build_line: &str) -> (usize, usize) {
    let number_before = |word: &str| {
        let at = build_line
            .find(word)
            .unwrap_or_else(|| panic!("no {word:?} in {build_line:?}"));
        let n = build_line[..at].trim_end();
        let start = n.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
        n[start..].parse::<usize>().unwrap()
    };
    (
        number_before(" pages ("),
        number_before(" of the pages rendered"),
    )
}

#[test]
fn only_pages_whose_template_input_changed_are_rendered_again() {
    let (d, out) = site_built("incr-render", 1);
    let root = d.path();
    let (ok, err) = run_build(root, &out);
    assert!(ok, "{err}");
    let (pages, rendered) = page_counts(&err);
    assert_eq!(rendered, 0, "nothing changed: {err}");

    edit(&hjoerring_2026(root), "sikrer tryghed", "sikrer trygheden");
    let (ok, err) = run_build(root, &out);
    assert!(ok, "{err}");
    let (_, rendered) = page_counts(&err);
    assert!(
        rendered > 0 && rendered * 4 < pages,
        "one word: {rendered} of {pages} pages rendered"
    );
    assert_same_tree(&read_tree(&out), &full_build(root));

    // A template is an input of every page: all are rendered again and show the edit.
    edit(
        &root.join("themes/standard/templates/base.html"),
        "</body>",
        "<!-- template v2 --></body>",
    );
    let (ok, err) = run_build(root, &out);
    assert!(ok, "{err}");
    assert_eq!(page_counts(&err), (pages, pages), "{err}");
    let now = read_tree(&out);
    let shown = now
        .iter()
        .filter(|(p, b)| {
            p.ends_with(".html") && String::from_utf8_lossy(b).contains("<!-- template v2 -->")
        })
        .count();
    assert_eq!(shown, pages, "every page carries the template edit");
    assert_same_tree(&now, &full_build(root));
}

/// Runs `planspor build` with `cache` as the user's cache folder (where the memo's key
/// is kept); returns the build line.
fn build_with_cache(root: &Path, out: &Path, cache: &Path) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_planspor"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{err}");
    err
}

/// `memo` with `from` replaced by `to` in its values, each value's check made again
/// with `key` (HMAC-SHA256 of the result's key and bytes): a forgery by someone who
/// knows the binary (its size and time), the format, and a user's memo key.
fn forge_memo(memo: &Path, from: &str, to: &str, key: &[u8]) {
    use hmac::Mac;
    let d = std::fs::read(memo).unwrap();
    let footer = &d[d.len() - 40..];
    let n = u64::from_le_bytes(footer[16..24].try_into().unwrap()) as usize;
    let at = u64::from_le_bytes(footer[24..32].try_into().unwrap()) as usize;
    let (mut values, mut index) = (Vec::new(), Vec::new());
    for i in 0..n {
        let e = &d[at + 40 * i..at + 40 * (i + 1)];
        let off = u64::from_le_bytes(e[16..24].try_into().unwrap()) as usize;
        let len = u64::from_le_bytes(e[24..32].try_into().unwrap()) as usize;
        let v = String::from_utf8_lossy(&d[off..off + len]).replace(from, to);
        index.extend_from_slice(&e[..16]);
        index.extend_from_slice(&(values.len() as u64).to_le_bytes());
        index.extend_from_slice(&(v.len() as u64).to_le_bytes());
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
        mac.update(&e[..16]);
        mac.update(v.as_bytes());
        index.extend_from_slice(&mac.finalize().into_bytes()[..8]);
        values.extend_from_slice(v.as_bytes());
    }
    let mut forged = values.clone();
    forged.extend_from_slice(&index);
    forged.extend_from_slice(&footer[..16]);
    forged.extend_from_slice(&(n as u64).to_le_bytes());
    forged.extend_from_slice(&(values.len() as u64).to_le_bytes());
    forged.extend_from_slice(&footer[32..]);
    std::fs::write(memo, forged).unwrap();
}

/// The state folder sits in the site root when the output is the default `public/`, so
/// a content repository can carry a memo, and a memo's HTML goes into pages as it is.
/// A memo is read only by builds holding the key of the user whose build wrote it
/// (kept outside the site): one forged elsewhere, with the same binary, is ignored.
#[test]
fn a_memo_written_with_another_users_key_is_not_read() {
    let (d, _) = site_built("incr-forged", 0);
    let root = d.path();
    let out = root.join("public");
    let (mine, theirs) = (root.join("cache-mine"), root.join("cache-theirs"));
    build_with_cache(root, &out, &theirs);
    let memo = root.join(".public.planspor/memo");
    let script = "<script>alert(1)</script><p>I lokalrådet samarbejder Hjørring";
    let hjoerring = || std::fs::read_to_string(out.join("kommuner/hjoerring/index.html")).unwrap();
    let plan = hjoerring_2026(root);
    // Forged without the key (checks that are not MACs under it): not read.
    forge_memo(
        &memo,
        "<p>I lokalrådet samarbejder Hjørring",
        script,
        b"not the key",
    );
    edit(&plan, "sikrer tryghed", "sikrer trygheden");
    build_with_cache(root, &out, &theirs);
    assert!(
        !hjoerring().contains("<script>"),
        "a memo forged without the key was read"
    );
    // With the key: the forger's own build reads it (the test forges as an attacker
    // holding the key would)…
    let key = std::fs::read(theirs.join("planspor/memo-key")).unwrap();
    forge_memo(&memo, "<p>I lokalrådet samarbejder Hjørring", script, &key);
    edit(&plan, "sikrer trygheden", "sikrer tryghed");
    build_with_cache(root, &out, &theirs);
    assert!(
        hjoerring().contains("<script>alert(1)"),
        "the forgery is not one"
    );
    // …another user's build does not: it renders every page from the content.
    forge_memo(&memo, "<p>I lokalrådet samarbejder Hjørring", script, &key);
    edit(&plan, "sikrer tryghed", "sikrer trygheden");
    let line = build_with_cache(root, &out, &mine);
    let (pages, rendered) = page_counts(&line);
    assert_eq!(rendered, pages, "{line}");
    assert!(!hjoerring().contains("<script>"));
    assert_same_tree(&read_tree(&out), &full_build(root));
    let key = std::fs::metadata(mine.join("planspor/memo-key")).unwrap();
    assert_eq!(key.mode() & 0o777, 0o600);
    // A key cut short by a crash is replaced, not left to turn the memo off for good.
    std::fs::write(mine.join("planspor/memo-key"), b"short").unwrap();
    build_with_cache(root, &out, &mine);
    assert_eq!(
        std::fs::metadata(mine.join("planspor/memo-key"))
            .unwrap()
            .len(),
        32
    );
}

#[test]
fn a_damaged_memo_costs_time_not_correctness() {
    let (d, out) = site_built("incr-memo", 2);
    let root = d.path();
    let memo = root.join(".public.planspor/memo");
    let bytes = std::fs::read(&memo).expect("the build keeps a memo beside the output");
    // Every stored result garbled (the first half of the file: values), index intact.
    let mut garbled = bytes.clone();
    for b in &mut garbled[..bytes.len() / 2] {
        *b ^= 0x5a;
    }
    std::fs::write(&memo, &garbled).unwrap();
    edit(&hjoerring_2026(root), "sikrer tryghed", "sikrer trygheden");
    build_ok(root, &out);
    assert_same_tree(&read_tree(&out), &full_build(root));
    // Not a memo at all.
    std::fs::write(&memo, b"PLSMEMO1 but not really").unwrap();
    edit(&hjoerring_2026(root), "sikrer trygheden", "sikrer tryghed");
    build_ok(root, &out);
    assert_same_tree(&read_tree(&out), &full_build(root));
    let (ok, err) = run_build(root, &out);
    assert!(ok, "{err}");
    assert_eq!(
        page_counts(&err).1,
        0,
        "the memo was rewritten whole: {err}"
    );
}

#[test]
fn a_kept_page_s_links_are_checked_against_the_pages_that_changed() {
    // The indsatsområde page links into a section of Hjørring's 2026 plan. It does not
    // depend on that plan, so later builds keep it, and its links, from the last build;
    // when the plan loses the section, the build must still fail on the link.
    let (d, out) = site_built("incr-kept-links", 0);
    let root = d.path();
    let linking = root.join("content/indsatsomraader/socialbedrageri.md");
    let text = std::fs::read_to_string(&linking).unwrap();
    let link = "/kommuner/hjoerring/handleplan/2026/#1-2-2-lokalraadets-moedefrekvens";
    std::fs::write(&linking, format!("{text}\nSe [mødefrekvensen]({link}).\n")).unwrap();
    build_ok(root, &out);
    let page = "indsatsomraader/socialbedrageri/index.html";
    assert!(String::from_utf8_lossy(&read_tree(&out)[page]).contains("mødefrekvensen"));

    edit(&hjoerring_2026(root), "sikrer tryghed", "sikrer trygheden");
    let before = stamps(&out);
    let (ok, err) = run_build(root, &out);
    assert!(ok, "{err}");
    let (_, rendered) = page_counts(&err);
    assert!(rendered > 0, "{err}");
    assert_eq!(
        stamps(&out)[page],
        before[page],
        "the linking page was kept"
    );

    let site = read_tree(&out);
    edit(
        &hjoerring_2026(root),
        "#### 1.2.2. Lokalrådets mødefrekvens.",
        "#### 1.2.2. Lokalrådets møder.",
    );
    let (ok, err) = run_build(root, &out);
    assert!(!ok, "the build passed a link to a section that is gone");
    assert!(
        err.contains(&format!("broken link `{link}`"))
            && err.contains("no element with id `1-2-2-lokalraadets-moedefrekvens`")
            && err.contains("socialbedrageri.md"),
        "{err}"
    );
    assert_same_tree(&read_tree(&out), &site);
}

/// The "compare any two" texts files are kept, not made, when what they show did not
/// change: a text edit and a title edit reach exactly the texts files that show them.
#[test]
fn compare_texts_follow_their_plans_and_titles() {
    let (d, out) = site_built("incr-texts", 2);
    let root = d.path();
    let texts = |id: &str| format!("indsatsomraader/{id}/kommuner/hjoerring/tekster.json");
    let before = read_tree(&out);
    assert!(before.contains_key(&texts("vold-i-naere-relationer")));

    edit(
        &hjoerring_2026(root),
        "Vold i nære relationer har store menneskelige",
        "Vold i nære relationer har meget store menneskelige",
    );
    // A plan's text alone (no site-wide edit with it): a texts file kept by its plans'
    // digests must not miss it.
    build_ok(root, &out);
    let edited = read_tree(&out);
    assert!(
        String::from_utf8_lossy(&edited[&texts("vold-i-naere-relationer")])
            .contains("meget store menneskelige")
    );
    assert_same_tree(&edited, &full_build(root));
    // A plan's title, its own data too: the issuer's index of plans and texts shows it.
    edit(
        &hjoerring_2026(root),
        "title = \"Handleplan 2026\"",
        "title = \"Handleplan for 2026\"",
    );
    build_ok(root, &out);
    let retitled = read_tree(&out);
    let index = (retitled.keys())
        .find(|k| k.contains("hjoerring") && k.ends_with("handleplan/tekster.json"))
        .expect("Hjørring's index of texts");
    assert!(String::from_utf8_lossy(&retitled[index]).contains("Handleplan for 2026"));
    assert_same_tree(&retitled, &full_build(root));
    edit(
        &hjoerring_2026(root),
        "title = \"Handleplan for 2026\"",
        "title = \"Handleplan 2026\"",
    );
    edit(
        &root.join("content/indsatsomraader/narkokriminalitet.md"),
        "title = \"Narkokriminalitet\"",
        "title = \"Narko- og dopingkriminalitet\"",
    );
    build_ok(root, &out);
    let after = read_tree(&out);
    assert_same_tree(&after, &full_build(root));
    let changed = differing(&before, &after);
    let changed_texts: Vec<&String> = changed
        .iter()
        .filter(|f| f.ends_with("/tekster.json") && f.starts_with("indsatsomraader/"))
        .collect();
    let shown = |f: &str, s: &str| String::from_utf8_lossy(&after[f]).contains(s);
    assert!(shown(
        &texts("vold-i-naere-relationer"),
        "meget store menneskelige"
    ));
    for f in &changed_texts {
        assert!(
            f.starts_with("indsatsomraader/vold-i-naere-relationer/")
                || f.starts_with("indsatsomraader/narkokriminalitet/"),
            "{f} changed: {changed_texts:?}"
        );
        if f.starts_with("indsatsomraader/narkokriminalitet/") {
            assert!(shown(f, "Narko- og dopingkriminalitet"), "{f}");
        }
    }
    let narko = before
        .keys()
        .filter(|f| {
            f.starts_with("indsatsomraader/narkokriminalitet/") && f.ends_with("/tekster.json")
        })
        .count();
    assert!(narko > 0);
    assert_eq!(changed_texts.len(), narko + 1, "{changed_texts:?}");
}

/// How many feeds and calendars a build made, of how many, from its timings.
fn issuer_files_made(timings: &str) -> (usize, usize) {
    items_made(timings, "feeds and calendars")
}

/// Feeds and meeting calendars are kept, not made, when the plans they read did not
/// change: an edit to a kommune's plan reaches its calendar, its feed and its kreds's
/// feed (which lists the kommuner's plans too), and no other issuer's file is made
/// again; a site-wide edit (the site's title, in every feed) makes them all.
#[test]
fn feeds_and_calendars_follow_the_plans_they_read() {
    let (d, out) = site_built("incr-feeds", 2);
    let root = d.path();
    let (calendar, feed) = (
        "kommuner/hjoerring/moeder.ics",
        "kommuner/hjoerring/planer.xml",
    );
    let kreds_feed = "kredse/nordjylland/planer.xml";
    let before = read_tree(&out);
    for f in [calendar, feed, kreds_feed] {
        assert!(before.contains_key(f), "{f}");
    }
    let shows = |tree: &BTreeMap<String, Vec<u8>>, f: &str, s: &str| {
        String::from_utf8_lossy(&tree[f]).contains(s)
    };
    // Nothing changed: every one is kept but the feeds of kommuner without plans, which
    // are always made (their date is the site's newest plan's).
    let (empty, all) = issuer_files_made(&build_timed(root, &out));
    let no_plans = (before.keys())
        .filter(|f| f.starts_with("kommuner/") && f.ends_with("/planer.xml"))
        .filter(|f| !String::from_utf8_lossy(&before[*f]).contains("<entry>"))
        .count();
    assert_eq!(empty, no_plans, "of {all}");
    assert!(all > 10, "{all}");
    // A meeting's place: the calendar shows it; the plan's digest changed, so the three
    // files that list the plan are made (the feeds with the same bytes).
    edit(
        &hjoerring_2026(root),
        "place = \"Naturmødet i Hirtshals\"",
        "place = \"Naturmødet i Hirtshals Havn\"",
    );
    assert_eq!(
        issuer_files_made(&build_timed(root, &out)),
        (3 + empty, all)
    );
    let moved = read_tree(&out);
    assert!(shows(&moved, calendar, "Naturmødet i Hirtshals Havn"));
    assert_same_tree(&moved, &full_build(root));
    // The plan's title and summary: both feeds show them, the calendar names the plan.
    edit(
        &hjoerring_2026(root),
        "title = \"Handleplan 2026\"",
        "title = \"Handleplan for 2026\"",
    );
    edit(
        &hjoerring_2026(root),
        "summary = \"Lokalrådet i Hjørring Kommunes handleplan",
        "summary = \"Den nye handleplan fra Lokalrådet i Hjørring Kommune",
    );
    assert_eq!(
        issuer_files_made(&build_timed(root, &out)),
        (3 + empty, all)
    );
    let retitled = read_tree(&out);
    assert_same_tree(&retitled, &full_build(root));
    for f in [feed, kreds_feed] {
        assert!(shows(&retitled, f, "Handleplan for 2026"), "{f}");
        assert!(shows(&retitled, f, "Den nye handleplan"), "{f}");
    }
    assert!(shows(&retitled, calendar, "Handleplan for 2026"));
    // The site's title, site-wide: every feed shows it, so all are made.
    edit(
        &root.join("planspor.toml"),
        "title = \"Planspor\"",
        "title = \"Planspor Nord\"",
    );
    assert_eq!(issuer_files_made(&build_timed(root, &out)), (all, all));
    let renamed = read_tree(&out);
    assert_same_tree(&renamed, &full_build(root));
    assert!(shows(&renamed, kreds_feed, "Planspor Nord"));
}
