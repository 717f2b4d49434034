//! Nothing lost: a build killed with SIGKILL at any moment leaves the previous output
//! exactly as it was (or, if the kill came after the swap, exactly the new site: never
//! a mix), and the next build cleans up after the killed one. The kills land in
//! incremental builds, which bring the spare tree beside the output up to date.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The default site plus a handleplan for every kommune and every year 2016–2026, copied
/// from Hjørring's 2025 plan: about 300 plans, so a build takes long enough to be killed
/// in the middle of loading, rendering and writing.
fn big_site(name: &str) -> TempDir {
    let d = TempDir::new(name);
    copy_site(&repo(), d.path());
    let template = std::fs::read_to_string(
        d.path()
            .join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2025.md"),
    )
    .unwrap();
    let kredse = d.path().join("content/kredse");
    for kreds in std::fs::read_dir(&kredse).unwrap().flatten() {
        let kommuner = kreds.path().join("kommuner");
        for kommune in std::fs::read_dir(&kommuner).unwrap().flatten() {
            for year in 2016..=2026 {
                let p = kommune.path().join(format!("handleplan-{year}.md"));
                if !p.exists() {
                    let text = template
                        .replacen("year = 2025", &format!("year = {year}"), 1)
                        .replacen(
                            "title = \"Handleplan 2025\"",
                            &format!("title = \"Handleplan {year}\""),
                            1,
                        );
                    std::fs::write(p, text).unwrap();
                }
            }
        }
    }
    d
}

fn planspor(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_planspor"));
    c.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn staging_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".planspor-tmp-") || n.contains(".planspor-old-"))
        .collect()
}

#[test]
fn sigkill_at_any_moment_leaves_the_old_site_or_the_new_one() {
    let d = big_site("sigkill");
    let root = d.path();
    let out = root.join("public");

    // The site as published before the edit, built twice so that a spare tree exists
    // and every later build takes the incremental path.
    assert!(planspor(root, &out).status().unwrap().success());
    assert!(planspor(root, &out).status().unwrap().success());
    assert!(root
        .join(".public.planspor/spare/.planspor-output")
        .is_file());
    let old: BTreeMap<String, Vec<u8>> = read_tree(&out);
    assert!(old.len() > 300, "only {} files", old.len());

    // An edit, and the site it should produce (built elsewhere), timing that build.
    let plan = root.join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(
        &plan,
        text.replacen("Handleplan 2026", "Handleplan 2026 (rettet)", 1),
    )
    .unwrap();
    let reference = root.join("reference");
    let t = Instant::now();
    assert!(planspor(root, &reference).status().unwrap().success());
    let full = t.elapsed();
    let new = read_tree(&reference);
    assert_ne!(old, new);

    // Kill builds at spread-out moments of the build's run time.
    let mut outcomes = Vec::new();
    for i in 1..=8u32 {
        let mut child = planspor(root, &out).spawn().unwrap();
        std::thread::sleep(full * i / 9);
        // SIGKILL: no destructor, no cleanup handler runs.
        unsafe {
            libc::kill(child.id() as i32, libc::SIGKILL);
        }
        let status = child.wait().unwrap();
        let killed = status.code().is_none();
        let now = read_tree(&out);
        let outcome = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            let differ = |other: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
                now.keys()
                    .chain(other.keys())
                    .filter(|k| now.get(*k) != other.get(*k))
                    .take(5)
                    .cloned()
                    .collect()
            };
            panic!(
                "after a kill at {i}/9 of the build (killed: {killed}), public/ is neither the \
                 old site (differs in {:?}) nor the new one (differs in {:?})",
                differ(&old),
                differ(&new)
            )
        };
        outcomes.push((i, killed, outcome));
        if outcome == "new" {
            // Start again from the old site for the next kill.
            // Rebuild the old site by reverting the edit and building.
            std::fs::write(&plan, &text).unwrap();
            assert!(planspor(root, &out).status().unwrap().success());
            assert_eq!(read_tree(&out), old);
            std::fs::write(
                &plan,
                text.replacen("Handleplan 2026", "Handleplan 2026 (rettet)", 1),
            )
            .unwrap();
        }
    }
    eprintln!("full build {full:?}; kills (i/9, killed, public/ afterwards): {outcomes:?}");
    assert!(
        outcomes.iter().any(|&(_, killed, o)| killed && o == "old"),
        "no kill landed before the swap: {outcomes:?}"
    );

    // The next build after the kills succeeds, clears what killed builds left, and
    // publishes the new site.
    assert!(planspor(root, &out).status().unwrap().success());
    assert_eq!(read_tree(&out), new);
    assert_eq!(staging_leftovers(root), Vec::<String>::new());
    // And the spare it leaves is sound: the next build has nothing to write.
    let again = planspor(root, &out)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&again.stderr);
    assert!(line.contains("; 0 written,"), "{line}");
    assert_eq!(read_tree(&out), new);
}
