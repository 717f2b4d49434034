//! Hardening: how people really deploy (symlinked and mounted output folders, content
//! written by others) must never lose data or read outside the site root.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{build_to, copy_site, repo, TempDir};

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.contains("planspor-tmp") || n.contains("planspor-old"))
                .collect()
        })
        .unwrap_or_default()
}

/// `ln -s /srv/site public && planspor build`, twice: the site lands in the folder the
/// link points to, the link stays a link, and nothing beside it is touched.
#[test]
fn output_through_a_symlink_replaces_the_linked_folder_and_keeps_the_link() {
    let t = TempDir::new("symlink-out");
    let root = t.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    copy_site(&repo(), &root);
    let srv = t.path().join("srv");
    std::fs::create_dir_all(srv.join("www")).unwrap();
    std::fs::write(srv.join("other-site.txt"), b"not planspor's").unwrap();
    let link = root.join("public");
    symlink(srv.join("www"), &link).unwrap();

    // The third round names the link with a trailing slash, as shell completion writes
    // it (`--output public/`): it is still the link, not the folder behind it.
    for round in 0..3 {
        let given = if round == 2 {
            root.join("public/")
        } else {
            link.clone()
        };
        let out = build_to(&root, &given, None);
        assert!(out.is_ok(), "round {round}: {:?}", out.err());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "round {round}: the link was replaced by a folder"
        );
        assert!(
            srv.join("www/index.html").is_file(),
            "round {round}: the linked folder does not hold the site"
        );
        assert_eq!(
            std::fs::read(srv.join("other-site.txt")).unwrap(),
            b"not planspor's"
        );
        assert!(leftovers(&root).is_empty(), "{:?}", leftovers(&root));
        assert!(leftovers(&srv).is_empty(), "{:?}", leftovers(&srv));
        assert!(
            !root.join(".public.planspor").exists(),
            "round {round}: a second state folder beside the link"
        );
    }
}

/// `site/new/../content/out` is inside `content/` even though `new` does not exist yet:
/// the build would make `new` and land in content.
#[test]
fn an_output_reaching_content_through_a_new_folder_and_dotdot_is_refused() {
    let t = TempDir::new("dotdot-out");
    copy_site(&repo(), t.path());
    let out = t.path().join("new/../content/out");
    let e = build_to(t.path(), &out, None).unwrap_err();
    assert!(
        e.render(false)
            .contains("inside the site's content/ folder"),
        "{}",
        e.render(false)
    );
    assert!(!t.path().join("content/out").exists());
    assert!(!t.path().join("new").exists());
}

/// The same through `--output` naming a link elsewhere, and through a chain of links.
#[test]
fn output_option_naming_a_chain_of_links() {
    let t = TempDir::new("symlink-chain");
    let srv = t.path().join("srv/www");
    std::fs::create_dir_all(&srv).unwrap();
    symlink(&srv, t.path().join("current")).unwrap();
    symlink(t.path().join("current"), t.path().join("out")).unwrap();
    build_to(&repo(), &t.path().join("out"), None).unwrap();
    build_to(&repo(), &t.path().join("out"), None).unwrap();
    assert!(srv.join("index.html").is_file());
    for l in ["current", "out"] {
        let m = std::fs::symlink_metadata(t.path().join(l)).unwrap();
        assert!(m.file_type().is_symlink(), "{l} is no longer a link");
    }
    assert!(leftovers(t.path()).is_empty());
    assert!(leftovers(&t.path().join("srv")).is_empty());
}

/// A link to a folder that does not exist is a clear error, and nothing is created.
#[test]
fn dangling_output_link_is_a_clear_error() {
    let t = TempDir::new("symlink-dangling");
    let link = t.path().join("public");
    symlink(t.path().join("nowhere"), &link).unwrap();
    let e = build_to(&repo(), &link, None).unwrap_err().render(false);
    assert!(e.contains("symbolic link"), "{e}");
    assert!(e.contains("does not exist"), "{e}");
    assert!(!t.path().join("nowhere").exists());
    assert!(leftovers(t.path()).is_empty());
}

/// A linked folder holding someone else's files is refused like any foreign folder,
/// and those files stay.
#[test]
fn linked_foreign_folder_is_refused_and_kept() {
    let t = TempDir::new("symlink-foreign");
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("precious.txt"), b"x").unwrap();
    let link = t.path().join("public");
    symlink(&home, &link).unwrap();
    let e = build_to(&repo(), &link, None).unwrap_err().render(false);
    assert!(e.contains("was not written by planspor"), "{e}");
    assert!(home.join("precious.txt").exists());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// A file (even an empty one) as the output is refused as a file, and kept.
#[test]
fn a_file_as_output_is_refused_as_a_file_and_kept() {
    let t = TempDir::new("output-file");
    let file = t.path().join("out.txt");
    std::fs::write(&file, b"").unwrap();
    let e = build_to(&repo(), &file, None).unwrap_err().render(false);
    assert!(e.contains("it is a file, not a folder"), "{e}");
    assert!(std::fs::metadata(&file).unwrap().is_file());
}

/// A small tmpfs, unmounted when dropped. `None` where mounting is not allowed (not
/// root, no mount namespace): the test then has nothing to check.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(dir).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| SmallDisk(dir.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// A full disk is one error that says how much space the site needs and how much is
/// free, not one error per file; the previous output stays, no staging is left behind.
#[test]
fn full_disk_is_one_error_with_the_space_needed_and_free() {
    let t = TempDir::new("full-disk");
    let Some(disk) = SmallDisk::mount(&t.path().join("disk"), "512k") else {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    };
    let out = disk.0.join("public");
    let diags = build_to(&repo(), &out, None).expect_err("a 512 kB disk held the site");
    let shown = diags.render(false);
    assert_eq!(diags.error_count(), 1, "{shown}");
    let e = diags.iter().next().unwrap();
    assert!(e.message.contains("no space left"), "{shown}");
    assert!(e.message.contains("needs more than"), "{shown}");
    assert!(e.message.contains("if its other files are like"), "{shown}");
    assert!(e.message.contains("is free"), "{shown}");
    assert!(leftovers(&disk.0).is_empty(), "{:?}", leftovers(&disk.0));
    assert!(!out.exists());
}

/// Access set on the output folder (`chmod 2750 public`, so that only the web server's
/// group reads it) holds for every release, not every other one.
#[test]
fn the_output_folder_keeps_its_mode_from_build_to_build() {
    use std::os::unix::fs::PermissionsExt;
    let d = TempDir::new("folder-mode");
    copy_site(&repo(), d.path());
    let out = d.path().join("public");
    for _ in 0..2 {
        build_to(d.path(), &out, None).unwrap();
    }
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o2750)).unwrap();
    let index = d.path().join("content/_index.md");
    for i in 0..3 {
        let mut text = std::fs::read_to_string(&index).unwrap();
        text.push_str(&format!("\nÆndring {i}.\n"));
        std::fs::write(&index, text).unwrap();
        build_to(d.path(), &out, None).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o2750, "after build {i}: {mode:o}");
    }
    // The state folder beside it (the replaced release, the memo) is the builder's only.
    let state = d.path().join(".public.planspor");
    let mode = std::fs::metadata(&state).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{mode:o}");
}

/// The group of a setgid output folder (the web server's) reaches every file and folder
/// in it, from the first build after it is set, as `cp -r` into it would give them;
/// with a restrictive umask only the top folder had it, and the server could read
/// nothing below.
#[test]
fn the_output_folders_group_reaches_every_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let d = TempDir::new("folder-group");
    copy_site(&repo(), d.path());
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap();
    // A group that is not the builder's own: any, as root; else a supplementary one.
    // Without either, the folder keeps the builder's group and setgid is what is checked.
    let own = std::fs::metadata(&out).unwrap().gid();
    let group = if unsafe { libc::geteuid() } == 0 {
        own + 4242
    } else {
        supplementary_group(own).unwrap_or(own)
    };
    std::os::unix::fs::chown(&out, None, Some(group)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o2750)).unwrap();
    let index = d.path().join("content/_index.md");
    for i in 0..2 {
        let mut text = std::fs::read_to_string(&index).unwrap();
        text.push_str(&format!("\nÆndring {i}.\n"));
        std::fs::write(&index, text).unwrap();
        build_to(d.path(), &out, None).unwrap();
        let mut checked = 0;
        for e in walkdir::WalkDir::new(&out) {
            let m = e.unwrap().metadata().unwrap();
            assert_eq!(m.gid(), group, "after build {i}");
            // Setgid is carried with a group that is not the builder's own.
            if m.is_dir() && group != own {
                assert_eq!(m.mode() & 0o2000, 0o2000, "setgid after build {i}");
            }
            checked += 1;
        }
        assert!(checked > 500, "{checked}");
    }
}

fn supplementary_group(own: u32) -> Option<u32> {
    let mut groups = [0 as libc::gid_t; 64];
    let n = unsafe { libc::getgroups(64, groups.as_mut_ptr()) };
    groups[..n.max(0) as usize]
        .iter()
        .copied()
        .find(|&g| g != own)
}

/// A swap refused for a read-only `public/` left the spare with that mode, and every
/// build after it failed ("spare: File exists") even once the permission was fixed.
/// The spare is the build's own: its mode never locks a build out.
#[test]
fn a_spare_left_read_only_by_a_failed_swap_does_not_stop_the_next_build() {
    use std::os::unix::fs::PermissionsExt;
    let d = TempDir::new("spare-read-only");
    copy_site(&repo(), d.path());
    let out = d.path().join("public");
    build_to(d.path(), &out, None).unwrap();
    build_to(d.path(), &out, None).unwrap();
    let spare = d.path().join(".public.planspor/spare");
    assert!(spare.is_dir());
    std::fs::set_permissions(&spare, std::fs::Permissions::from_mode(0o555)).unwrap();
    let index = d.path().join("content/_index.md");
    let mut text = std::fs::read_to_string(&index).unwrap();
    text.push_str("\nÆndring.\n");
    std::fs::write(&index, text).unwrap();
    let r = build_to(d.path(), &out, None).unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(r.published.written >= 1);
    assert!(std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains("Ændring."));
}

/// An output inside `content/` where `content` is a link to a separate checkout: the
/// place it really is counts, not the link's name.
#[test]
fn an_output_inside_a_linked_content_folder_is_refused() {
    let t = TempDir::new("linked-content-out");
    let root = t.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    copy_site(&repo(), &root);
    let checkout = t.path().join("checkout");
    std::fs::rename(root.join("content"), &checkout).unwrap();
    symlink(&checkout, root.join("content")).unwrap();
    let e = build_to(&root, &checkout.join("public"), None).unwrap_err();
    assert!(
        e.render(false)
            .contains("inside the site's content/ folder"),
        "{}",
        e.render(false)
    );
    assert!(!checkout.join("public").exists());
}

/// Files put into the published folder by hand (a `CNAME`, `.well-known/` for a host)
/// are not part of the new site: the build says so, names them and where they still
/// are, and does not take them silently.
#[test]
fn hand_made_files_in_the_output_are_named_when_the_build_leaves_them_behind() {
    let t = TempDir::new("hand-made");
    let out = t.path().join("pub");
    build_to(&repo(), &out, None).unwrap();
    std::fs::write(out.join("CNAME"), b"planer.example.dk\n").unwrap();
    std::fs::create_dir_all(out.join(".well-known")).unwrap();
    std::fs::write(out.join(".well-known/security.txt"), b"Contact: x\n").unwrap();
    let report = build_to(&repo(), &out, None).unwrap();
    let w = report
        .warnings
        .iter()
        .find(|d| d.message.contains("not made by planspor"))
        .unwrap_or_else(|| panic!("{}", report.warnings.render(false)));
    assert!(
        w.message.contains("`.well-known`, `CNAME`"),
        "{}",
        w.message
    );
    let help = w.help.as_deref().unwrap_or_default();
    assert!(help.contains(".pub.planspor/spare"), "{help}");
    assert!(!out.join("CNAME").exists());
    assert!(
        t.path().join(".pub.planspor/spare/CNAME").is_file(),
        "still there"
    );
    // Said once: the next build finds none in the published folder.
    let again = build_to(&repo(), &out, None).unwrap();
    assert!(
        !again
            .warnings
            .iter()
            .any(|d| d.message.contains("not made by planspor")),
        "{}",
        again.warnings.render(false)
    );
}

/// A Git checkout in the output (the gh-pages way: build, then `git init` and commit in
/// `public/`) would be taken by the next build and deleted by the one after it, with
/// every commit not yet pushed: the build refuses and says how to publish into it.
#[test]
fn an_output_holding_a_git_checkout_is_refused_and_kept() {
    let t = TempDir::new("git-out");
    let out = t.path().join("pub");
    build_to(&repo(), &out, None).unwrap();
    std::fs::create_dir_all(out.join(".git/refs")).unwrap();
    std::fs::write(out.join(".git/HEAD"), b"ref: refs/heads/gh-pages\n").unwrap();
    let err = build_to(&repo(), &out, None).map(|_| ()).unwrap_err();
    let shown = err.render(false);
    assert!(shown.contains("holds a Git checkout"), "{shown}");
    assert!(
        shown.contains("rsync -a --delete --exclude .git"),
        "{shown}"
    );
    // About the folder as a whole: no made-up line.
    assert!(!shown.contains("pub:1:1"), "{shown}");
    assert!(out.join(".git/HEAD").is_file());
    assert!(
        out.join("index.html").is_file(),
        "the published site is as it was"
    );
    // A `git worktree` has a `.git` file, not a folder.
    std::fs::remove_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".git"), b"gitdir: /elsewhere\n").unwrap();
    assert!(build_to(&repo(), &out, None).is_err());
}
