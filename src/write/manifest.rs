//! Manifests: what a published tree holds, file by file, so the next build can tell
//! which files it must write and which it may keep.
//!
//! A manifest lives in the state folder beside the output, never in the published tree
//! (hosts would serve it), and is named after the tree's folder identity (device and
//! inode). The identity survives the atomic exchange that publishes a tree, so a build
//! killed between the exchange and any bookkeeping still finds the right manifest for
//! each tree; a tree without one is simply not trusted.

use std::collections::HashMap;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// One file of a tree: the hash and size of its bytes, and the inode and modification
/// time it had when recorded (a file edited by hand since then no longer matches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub hash: u128,
    pub size: u64,
    pub ino: u64,
    pub mtime_ns: i128,
}

impl Entry {
    /// The entry for bytes with `hash` stored in the file described by `meta`.
    pub fn of(hash: u128, meta: &std::fs::Metadata) -> Entry {
        Entry {
            hash,
            size: meta.len(),
            ino: meta.ino(),
            mtime_ns: mtime_ns(meta),
        }
    }

    /// Does the file at `path` still look as recorded (same inode, size and time)?
    pub fn matches(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| {
            m.is_file()
                && m.ino() == self.ino
                && m.len() == self.size
                && mtime_ns(&m) == self.mtime_ns
        })
    }
}

fn mtime_ns(m: &std::fs::Metadata) -> i128 {
    m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128
}

/// The hash used for output files: XXH3-128, fast enough that hashing a national site
/// costs a few tens of milliseconds, and wide enough that a collision is not a concern.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A tree's files by path relative to the tree.
pub type Manifest = HashMap<String, Entry>;

/// Where the manifest of the tree at `dir` is kept in `state`, or `None` if `dir` is
/// not there.
pub fn path_for(state: &Path, dir: &Path) -> Option<PathBuf> {
    let m = std::fs::symlink_metadata(dir).ok()?;
    m.is_dir()
        .then(|| state.join(format!("{}-{}.manifest", m.dev(), m.ino())))
}

/// Reads the manifest of the tree at `dir`; `None` when there is none or it is damaged
/// (the tree is then rebuilt, never trusted half-way).
pub fn read(state: &Path, dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(path_for(state, dir)?).ok()?;
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return None;
    }
    let mut out = Manifest::new();
    for line in lines {
        let mut f = line.splitn(5, ' ');
        let (h, s, i, t, p) = (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
        let e = Entry {
            hash: u128::from_str_radix(h, 16).ok()?,
            size: s.parse().ok()?,
            ino: i.parse().ok()?,
            mtime_ns: t.parse().ok()?,
        };
        out.insert(p.to_string(), e);
    }
    Some(out)
}

const HEADER: &str = "planspor manifest 1";

/// Writes the manifest of the tree at `dir` (written beside and renamed, so a reader
/// sees the whole manifest or none).
pub fn write(state: &Path, dir: &Path, files: &Manifest) -> io::Result<()> {
    let path = path_for(state, dir)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "tree folder missing"))?;
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    let mut out = io::BufWriter::new(Vec::with_capacity(files.len() * 96));
    writeln!(out, "{HEADER}")?;
    for p in paths {
        let e = &files[p];
        writeln!(
            out,
            "{:032x} {} {} {} {p}",
            e.hash, e.size, e.ino, e.mtime_ns
        )?;
    }
    let tmp = path.with_extension("manifest-tmp");
    std::fs::write(&tmp, out.into_inner().map_err(|e| e.into_error())?)?;
    std::fs::rename(&tmp, &path)
}

/// Forgets the manifest of `dir` (before the tree is changed, so a build killed while
/// changing it leaves a tree that is not trusted).
pub fn forget(state: &Path, dir: &Path) -> io::Result<()> {
    match path_for(state, dir).map(std::fs::remove_file) {
        Some(Err(e)) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes manifests of trees that are neither of `keep` (gone or replaced by hand).
pub fn prune(state: &Path, keep: &[&Path]) {
    let keep: Vec<PathBuf> = keep.iter().filter_map(|d| path_for(state, d)).collect();
    let Ok(rd) = std::fs::read_dir(state) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let is_manifest = p
            .extension()
            .is_some_and(|x| x == "manifest" || x == "manifest-tmp");
        if is_manifest && !keep.contains(&p) {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_identity() {
        let dir = crate::test_dir("manifest");
        let (state, tree) = (dir.join("state"), dir.join("tree"));
        std::fs::create_dir_all(&state).unwrap();
        std::fs::create_dir_all(tree.join("a b")).unwrap();
        std::fs::write(tree.join("a b/x.html"), b"x").unwrap();
        let meta = std::fs::metadata(tree.join("a b/x.html")).unwrap();
        let mut m = Manifest::new();
        m.insert("a b/x.html".into(), Entry::of(hash(b"x"), &meta));
        write(&state, &tree, &m).unwrap();
        assert_eq!(read(&state, &tree), Some(m.clone()));
        assert!(m["a b/x.html"].matches(&tree.join("a b/x.html")));
        // Renaming keeps the identity; a new folder at the old name has none.
        std::fs::rename(&tree, dir.join("moved")).unwrap();
        assert_eq!(read(&state, &dir.join("moved")), Some(m));
        std::fs::create_dir_all(&tree).unwrap();
        assert_eq!(read(&state, &tree), None);
        prune(&state, &[&tree]);
        assert_eq!(read(&state, &dir.join("moved")), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_manifest_is_not_trusted() {
        let dir = crate::test_dir("manifest-bad");
        std::fs::create_dir_all(dir.join("tree")).unwrap();
        let p = path_for(&dir, &dir.join("tree")).unwrap();
        std::fs::write(&p, format!("{HEADER}\nzz 1 2 3 a.html\n")).unwrap();
        assert_eq!(read(&dir, &dir.join("tree")), None);
        std::fs::write(&p, "something else\n").unwrap();
        assert_eq!(read(&dir, &dir.join("tree")), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
