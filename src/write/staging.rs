//! The next release of the site, prepared beside the output and published with one
//! atomic exchange.
//!
//! A build keeps the release it replaced as a spare, in a state folder beside the output
//! (`.public.planspor/` for `public/`). The next build brings that spare up to date
//! instead of writing a whole new tree, since creating thousands of files is what a full
//! build on disk spends most of its time on:
//!
//! - a file whose bytes equal the published file's becomes a hard link to it, so it
//!   keeps its inode and modification time and `rsync` or an object-store sync skips it;
//! - a file that changed is written anew (never in place: the spare's files are links
//!   into the published tree);
//! - a file no longer produced is removed.
//!
//! Then the spare and the output are exchanged with `renameat2(RENAME_EXCHANGE)`: a
//! reader, and a build killed at any moment, sees the old site or the new one. Manifests
//! (see [`super::manifest`]) record what each tree holds; a tree without one (a build
//! killed while changing it) is not trusted and is rebuilt from scratch.

use std::collections::HashSet;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::manifest::{self, Entry, Manifest};
use super::{
    clean_stale, exchange, free_space, io_err, is_mount_point, is_safe_relative, remove_tree,
    rename_error, resolve_output, NoSpace, WriteError, MARKER,
};

/// A new release being written, published by [`Staging::commit`]. Dropping it without
/// committing leaves the output untouched. [`Staging::put`] may be called from many
/// threads, so pages are written as they are rendered instead of held in memory.
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    state: PathBuf,
    /// The tree being brought up to date: `<state>/spare`.
    dir: PathBuf,
    committed: bool,
    /// What the published tree holds, when it has a manifest that still applies.
    live: Option<Manifest>,
    /// What `dir` held before this build, when it was a trusted spare.
    previous: Option<Manifest>,
    /// What `dir` holds now, and the paths whose write failed half-way.
    entries: Mutex<Manifest>,
    failed: Mutex<Vec<String>>,
    /// The published folder's owner, group and mode, read once: every release takes them.
    rights: Option<Rights>,
    /// Bytes and files put so far, files and bytes written anew (kept files take no new
    /// space), files expected, and the first out-of-space error: a full disk is one
    /// error, not one per remaining file.
    written: AtomicU64,
    files: AtomicU64,
    fresh: AtomicU64,
    fresh_bytes: AtomicU64,
    expected: AtomicU64,
    no_space: OnceLock<NoSpace>,
    /// Held while the build runs: two builds into one output would share the spare.
    _lock: std::fs::File,
}

/// What a commit published.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// Files written anew because their bytes changed (or were new).
    pub written: u64,
    /// Files kept as they were, with their modification times.
    pub unchanged: u64,
    /// Names at the top of the replaced site that no build made: put there by hand (a
    /// `CNAME`, `.well-known/`), and not in the new site. They stay in the state
    /// folder's spare until the next build.
    pub left_behind: Vec<String>,
    /// Where the replaced site is now (the state folder's spare), for saying so.
    pub spare: PathBuf,
}

impl Staging {
    /// Checks that `output` may be replaced (absent, empty or planspor's own), takes the
    /// output's lock, and prepares the spare tree.
    ///
    /// An output that is a symbolic link (hosting setups point `public` at
    /// `/srv/www/...` all the time) is resolved first: the folder the link points to is
    /// what gets replaced, with the state folder beside it on the same file system, and
    /// the link itself is left as it is.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let output = resolve_output(output)?;
        let (parent, name) = place(&output)?;
        let state = parent.join(format!(".{name}.planspor"));
        std::fs::create_dir_all(&state).map_err(|e| {
            if e.raw_os_error() == Some(libc::EACCES) {
                WriteError::StateNotWritable(state.clone(), parent.clone())
            } else {
                io_err(&state)(e)
            }
        })?;
        refuse_foreign(&state)?;
        // The state folder holds the replaced release and the memo: when the output is
        // published from a web root, they must not be (a retracted page would stay
        // readable there), so only the building user may enter it.
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o700));
        }
        let lock = lock(&state, &output)?;
        clean_stale(&parent, &name);
        let dir = state.join("spare");
        // The two manifests are read side by side: at national scale each is 17,000
        // entries, and the build waits for them.
        let (live, previous) = rayon::join(
            || {
                (output.join(MARKER).is_file())
                    .then(|| manifest::read(&state, &output))
                    .flatten()
            },
            || prepare_spare(&state, &dir),
        );
        let previous = previous?;
        let rights = Rights::of(&output);
        if let Some(r) = &rights {
            r.take_group(&dir);
        }
        manifest::prune(&state, &[&output]);
        Ok(Staging {
            output,
            parent,
            state,
            dir,
            committed: false,
            live,
            previous,
            rights,
            entries: Mutex::new(Manifest::new()),
            failed: Mutex::new(Vec::new()),
            written: AtomicU64::new(0),
            files: AtomicU64::new(0),
            fresh: AtomicU64::new(0),
            fresh_bytes: AtomicU64::new(0),
            expected: AtomicU64::new(0),
            no_space: OnceLock::new(),
            _lock: lock,
        })
    }

    /// A file of the output's state folder (beside the output, never published), for
    /// what a build keeps for the next one.
    pub fn state_file(&self, name: &str) -> PathBuf {
        self.state.join(name)
    }

    /// Puts one file (path relative to the output) into the new release.
    /// Returns the hash of the bytes.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<u128, WriteError> {
        self.admit(rel)?;
        let hash = manifest::hash(bytes);
        let entry = match self.reuse(rel, hash, bytes.len()) {
            Some(e) => e,
            None => self
                .write_new(rel, hash, bytes)
                .inspect_err(|_| self.note_failed(rel))?,
        };
        self.record(rel, entry);
        Ok(hash)
    }

    /// Whether `rel` may be put: a path inside the release, and room left to write it.
    fn admit(&self, rel: &str) -> Result<(), WriteError> {
        if !is_safe_relative(rel) {
            return Err(WriteError::UnsafePath(rel.to_string()));
        }
        if self.no_space.get().is_some() {
            return Err(WriteError::Stopped);
        }
        Ok(())
    }

    /// A file that was being written when an error stopped it (removed before the swap).
    fn note_failed(&self, rel: &str) {
        lock_ok(&self.failed).push(rel.to_string());
    }

    /// [`Staging::put`] of a file written by `write` straight to the new release, for
    /// files too large to hold in memory beside everything else (the national site's
    /// open data: 40 MB). It is hashed as it is written; if the published file has the
    /// same bytes, that file is kept instead, as [`Staging::put`] keeps it. Returns the
    /// file's hash and size.
    pub fn put_streamed(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(u128, usize), WriteError> {
        self.admit(rel)?;
        let p = self.dir.join(rel);
        self.clear(&p);
        self.make_parent(&p)?;
        let written = (|| {
            // Buffered before the hash, so the hash and the file see 64 KB at a time, not
            // each of a JSON writer's many small pieces.
            let mut out = std::io::BufWriter::with_capacity(
                1 << 16,
                Hashing {
                    inner: create_new(&p)?,
                    hash: xxhash_rust::xxh3::Xxh3::new(),
                    len: 0,
                },
            );
            write(&mut out)?;
            let done = out.into_inner().map_err(|e| e.into_error())?;
            let meta = done.inner.metadata()?;
            Ok::<_, std::io::Error>((done.hash.digest128(), done.len, meta))
        })();
        let (hash, len, meta) = written
            .map_err(|e| self.io_error(&p, e))
            .inspect_err(|_| self.note_failed(rel))?;
        // The same bytes as published: the published file is kept (its inode and time),
        // and what was just written goes. It is moved aside first, so that it is put
        // back if the published file cannot be linked after all.
        let aside = p.with_file_name(format!(
            ".{}.new",
            p.file_name().and_then(|n| n.to_str()).unwrap_or("file")
        ));
        let same = (self.live.as_ref().and_then(|m| m.get(rel)))
            .is_some_and(|live| live.hash == hash && live.size == len as u64);
        let kept = same && std::fs::rename(&p, &aside).is_ok();
        let entry = match kept.then(|| self.reuse(rel, hash, len)).flatten() {
            Some(e) => {
                let _ = std::fs::remove_file(&aside);
                e
            }
            None => {
                if kept {
                    std::fs::rename(&aside, &p)
                        .map_err(|e| self.io_error(&p, e))
                        .inspect_err(|_| self.note_failed(rel))?;
                }
                self.fresh.fetch_add(1, Ordering::Relaxed);
                self.fresh_bytes.fetch_add(len as u64, Ordering::Relaxed);
                Entry::of(hash, &meta)
            }
        };
        self.record(rel, entry);
        Ok((hash, len))
    }

    /// Keeps the published file `rel` in the new release without its bytes in hand,
    /// when it is known to hold the bytes with `hash` (a page whose inputs did not
    /// change) and is intact; returns its size. `None`: it is not; the caller must
    /// [`Staging::put`] it.
    pub fn keep(&self, rel: &str, hash: u128) -> Option<u64> {
        if !is_safe_relative(rel) || self.no_space.get().is_some() {
            return None;
        }
        let size = self.live.as_ref().and_then(|m| m.get(rel))?.size;
        let entry = self.reuse(rel, hash, size as usize)?;
        self.record(rel, entry);
        Some(size)
    }

    /// The published file `rel`, opened, and the hash of its bytes, when it is intact
    /// (as the last build recorded it): for reading parts of it back.
    pub fn published_file(&self, rel: &str) -> Option<(std::fs::File, u128)> {
        if !is_safe_relative(rel) {
            return None;
        }
        let live = self.live.as_ref()?.get(rel)?;
        let path = self.output.join(rel);
        if !live.matches(&path) {
            return None;
        }
        let file = std::fs::File::open(&path).ok()?;
        // The file opened is the one looked at.
        let meta = file.metadata().ok()?;
        (meta.ino() == live.ino && meta.len() == live.size).then_some((file, live.hash))
    }

    /// Notes that the new release holds `rel` as `entry`.
    fn record(&self, rel: &str, entry: Entry) {
        lock_ok(&self.entries).insert(rel.to_string(), entry);
        self.written.fetch_add(entry.size, Ordering::Relaxed);
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    /// Where the new release holds `rel` (to read back a file already put or kept).
    pub fn staged(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Where the published file `rel` is (to read back a file [`Staging::keep`] kept).
    pub fn published(&self, rel: &str) -> PathBuf {
        self.output.join(rel)
    }

    /// The published file's entry when the new bytes of `rel` equal it: the spare then
    /// holds, or is given, a hard link to it. `None`: the file must be written.
    fn reuse(&self, rel: &str, hash: u128, len: usize) -> Option<Entry> {
        let live = self.live.as_ref()?.get(rel)?;
        let published = self.output.join(rel);
        if live.hash != hash || live.size != len as u64 || !live.matches(&published) {
            return None;
        }
        let prev = self.previous.as_ref().and_then(|m| m.get(rel));
        let target = self.dir.join(rel);
        // The spare's manifest was written when it was built; while it was published
        // someone may have replaced the file, so the inode is looked at, not believed.
        if prev.is_some_and(|p| p.ino == live.ino)
            && std::fs::symlink_metadata(&target).is_ok_and(|m| m.ino() == live.ino)
        {
            return Some(*live);
        }
        self.clear(&target);
        self.make_parent(&target).ok()?;
        // A file system without hard links gets a copy written instead.
        std::fs::hard_link(&published, &target).ok()?;
        Some(*live)
    }

    fn write_new(&self, rel: &str, hash: u128, bytes: &[u8]) -> Result<Entry, WriteError> {
        let p = self.dir.join(rel);
        self.clear(&p);
        self.make_parent(&p)?;
        let meta = (|| {
            let mut f = create_new(&p)?;
            f.write_all(bytes)?;
            f.metadata()
        })()
        .map_err(|e| self.io_error(&p, e))?;
        self.fresh.fetch_add(1, Ordering::Relaxed);
        self.fresh_bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(Entry::of(hash, &meta))
    }

    /// Removes whatever the spare has at `p` (a file, or a folder where a file goes now),
    /// so a new file never writes into an inode the published tree shares.
    fn clear(&self, p: &Path) {
        if self.previous.is_none() {
            return;
        }
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => remove_tree(p),
            Ok(_) => {
                let _ = std::fs::remove_file(p);
            }
            Err(_) => {}
        }
    }

    /// Creates the folders above `p`; in a spare, a file where a folder goes now is
    /// removed first.
    fn make_parent(&self, p: &Path) -> Result<(), WriteError> {
        let Some(d) = p.parent().filter(|d| *d != self.dir) else {
            return Ok(());
        };
        if std::fs::create_dir_all(d).is_ok() {
            return Ok(());
        }
        if self.previous.is_some() {
            for a in d.ancestors().take_while(|a| *a != self.dir) {
                if std::fs::symlink_metadata(a).is_ok_and(|m| !m.is_dir()) {
                    let _ = std::fs::remove_file(a);
                }
            }
        }
        std::fs::create_dir_all(d).map_err(|e| self.io_error(d, e))
    }

    /// Tells the staging how many files the site will have, for the space estimate
    /// of a full disk.
    pub fn expect_files(&self, n: usize) {
        self.expected.store(n as u64, Ordering::Relaxed);
    }

    /// The out-of-space error that stopped this build, if one did.
    pub fn out_of_space(&self) -> Option<&NoSpace> {
        self.no_space.get()
    }

    /// An I/O error, with a full disk (ENOSPC, EDQUOT) recorded once and reported with
    /// the space needed and free; later failures are [`WriteError::Stopped`].
    fn io_error(&self, path: &Path, e: io::Error) -> WriteError {
        if !matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT)) {
            return WriteError::Io(path.to_path_buf(), e);
        }
        // Only files written anew take space; kept ones are links to the published.
        let written = self.fresh_bytes.load(Ordering::Relaxed);
        let files = self.fresh.load(Ordering::Relaxed);
        let all = self.files.load(Ordering::Relaxed);
        let expected = self.expected.load(Ordering::Relaxed);
        let info = NoSpace {
            dir: self.parent.clone(),
            written,
            files,
            // Extrapolated only when every file so far was new (a first build): after
            // an edit, most of the rest will be kept.
            needed: (files > 0 && files == all && expected > files)
                .then(|| (written as f64 / files as f64 * expected as f64) as u64),
            free: free_space(&self.parent),
        };
        match self.no_space.set(info.clone()) {
            Ok(()) => WriteError::NoSpace(info),
            Err(_) => WriteError::Stopped,
        }
    }

    /// Removes what the new release no longer has, records its manifest and exchanges
    /// it with the output.
    pub fn commit(self) -> Result<Published, WriteError> {
        self.commit_beside(|| ())
    }

    /// [`Staging::commit`], doing `beside` while the spare is walked for what the new
    /// release no longer has (the longest part of a commit after an edit), still under
    /// the output's lock.
    pub fn commit_beside(mut self, beside: impl FnOnce() + Send) -> Result<Published, WriteError> {
        let entries = std::mem::take(&mut *lock_ok(&self.entries));
        rayon::join(|| self.remove_stale(&entries), beside);
        let marker = self.dir.join(MARKER);
        // Linked like any unchanged file, so nothing in the output looks new.
        if !marker.is_file() && std::fs::hard_link(self.output.join(MARKER), &marker).is_err() {
            std::fs::write(
                &marker,
                b"This folder is written by planspor; it is replaced on every build.\n",
            )
            .map_err(|e| self.io_error(&marker, e))?;
        }
        manifest::write(&self.state, &self.dir, &entries)
            .map_err(|e| self.io_error(&self.state, e))?;
        let left_behind = self.hand_made_at_the_top(&entries);
        self.committed = true;
        if let Some(r) = &self.rights {
            r.carry_group(&self.dir, &self.state);
            r.give(&self.dir);
        }
        self.swap_in()?;
        manifest::prune(&self.state, &[&self.output, &self.dir]);
        let written = self.fresh.load(Ordering::Relaxed);
        Ok(Published {
            written,
            unchanged: entries.len() as u64 - written,
            left_behind,
            spare: self.dir.clone(),
        })
    }

    /// The names at the top of the published site that its manifest does not hold: not
    /// made by a build, so put there by hand. Only the top is read (where a `CNAME`,
    /// `robots.txt` or `.well-known/` goes), not the whole tree: a republish reads no
    /// folder it need not. Nothing when the manifest is gone (then nothing is known).
    fn hand_made_at_the_top(&self, new: &Manifest) -> Vec<String> {
        let Some(live) = &self.live else {
            return Vec::new();
        };
        // What the last build made, and what this one makes (a hand-made file the new
        // site has too is replaced by it, not left behind).
        let ours: HashSet<&str> = (live.keys().chain(new.keys()))
            .filter_map(|rel| rel.split('/').next())
            .chain([MARKER])
            .collect();
        let Ok(read) = std::fs::read_dir(&self.output) else {
            return Vec::new();
        };
        let mut names: Vec<String> = read
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !ours.contains(n.as_str()))
            .collect();
        names.sort();
        names
    }

    /// Files the spare held that the new release does not, and folders left empty. The
    /// whole spare is walked, not only what its manifest lists: the spare is the tree
    /// the last build replaced, and a file someone put into the published site by hand
    /// (a draft, a `CNAME`) would otherwise come back with the next exchange.
    fn remove_stale(&self, entries: &Manifest) {
        if self.previous.is_none() {
            return; // a fresh spare holds only what this build put
        }
        let mut needed: HashSet<&Path> = HashSet::new();
        for rel in entries.keys() {
            for d in Path::new(rel).ancestors().skip(1) {
                if !needed.insert(d) {
                    break;
                }
            }
        }
        sweep(&self.dir, Path::new(""), &|rel: &Path, is_dir: bool| {
            if is_dir {
                needed.contains(rel)
            } else {
                rel == Path::new(MARKER) || rel.to_str().is_some_and(|r| entries.contains_key(r))
            }
        });
    }

    /// Publishes the spare. The replaced tree becomes the next build's spare, unless it
    /// has no manifest (not written by this scheme): then it is removed.
    fn swap_in(&self) -> Result<(), WriteError> {
        let (dir, output) = (&self.dir, &self.output);
        if !output.exists() {
            return std::fs::rename(dir, output).map_err(rename_error(output));
        }
        if exchange(dir, output).is_ok() {
            if self.live.is_none() {
                remove_tree(dir);
            }
            return Ok(());
        }
        // No atomic exchange here: two renames, the old site kept until the new is in.
        let old = self.state.join("old");
        remove_tree(&old);
        std::fs::rename(output, &old).map_err(rename_error(output))?;
        if let Err(e) = std::fs::rename(dir, output) {
            let _ = std::fs::rename(&old, output);
            return Err(rename_error(output)(e));
        }
        remove_tree(&old);
        Ok(())
    }

    /// After a failed build: records what the spare holds now, so the next build can
    /// still bring it up to date. `false`: its state is unknown.
    fn salvage(&mut self) -> bool {
        let Some(prev) = self.previous.take() else {
            return false;
        };
        let failed: HashSet<String> = std::mem::take(&mut *lock_ok(&self.failed))
            .into_iter()
            .collect();
        let mut now = std::mem::take(&mut *lock_ok(&self.entries));
        for (rel, e) in prev {
            now.entry(rel).or_insert(e);
        }
        for rel in &failed {
            now.remove(rel);
            let p = self.dir.join(rel);
            if std::fs::remove_file(&p).is_err() && std::fs::symlink_metadata(&p).is_ok() {
                return false;
            }
        }
        self.dir.join(MARKER).is_file() && manifest::write(&self.state, &self.dir, &now).is_ok()
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed && !self.salvage() {
            remove_tree(&self.dir);
        }
    }
}

/// Removes what `keep(relative path, is a folder)` refuses under `dir`, children before
/// their folder (a folder is removed only when left empty). Folders are read in
/// parallel: at national scale the spare has 10,000 of them, and reading them one
/// after the other was a tenth of a republish.
fn sweep(dir: &Path, rel: &Path, keep: &(dyn Fn(&Path, bool) -> bool + Sync)) {
    use rayon::prelude::*;
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    let children: Vec<(PathBuf, bool)> = read
        .flatten()
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    children.into_par_iter().for_each(|(path, is_dir)| {
        let Some(name) = path.file_name() else {
            return;
        };
        let child = rel.join(name);
        if is_dir {
            sweep(&path, &child, keep);
            if !keep(&child, true) {
                let _ = std::fs::remove_dir(&path);
            }
        } else if !keep(&child, false) {
            let _ = std::fs::remove_file(&path);
        }
    });
}

/// Creates `p` as a new file. An existing file there is unlinked first, never opened:
/// it may be a hard link into the published tree, which must not change.
fn create_new(p: &Path) -> io::Result<std::fs::File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
    };
    match open() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(p)?;
            open()
        }
        r => r,
    }
}

/// The output's parent folder (created) and name, after checking that the output may
/// be replaced.
fn place(output: &Path) -> Result<(PathBuf, String), WriteError> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    if is_mount_point(output, &parent) {
        return Err(WriteError::MountPoint(output.to_path_buf()));
    }
    if output.exists() {
        if !output.is_dir() {
            return Err(WriteError::NotAFolder(output.to_path_buf()));
        }
        let empty = std::fs::read_dir(output)
            .map_err(io_err(output))?
            .next()
            .is_none();
        // A `git worktree` or a checkout made in the output after a build (the gh-pages
        // way): the next build would take it, and the one after that delete it. Said
        // before "empty it", which would delete it too.
        if std::fs::symlink_metadata(output.join(".git")).is_ok() {
            return Err(WriteError::GitCheckout(output.to_path_buf()));
        }
        if !empty && !output.join(MARKER).exists() {
            return Err(WriteError::Foreign(output.to_path_buf()));
        }
    }
    Ok((parent, name))
}

/// The spare's manifest, forgotten before the spare is changed; a spare without one is
/// removed and an empty one made.
fn prepare_spare(state: &Path, dir: &Path) -> Result<Option<Manifest>, WriteError> {
    // The spare was given the published folder's mode before its swap; if the swap
    // failed (a read-only `public/`), that mode must not lock this build out of it.
    if let Ok(m) = std::fs::symlink_metadata(dir) {
        use std::os::unix::fs::PermissionsExt;
        if m.is_dir() && m.mode() & 0o700 != 0o700 {
            let mode = std::fs::Permissions::from_mode((m.mode() & 0o7777) | 0o700);
            let _ = std::fs::set_permissions(dir, mode);
        }
    }
    let previous = manifest::read(state, dir);
    if previous.is_some() {
        manifest::forget(state, dir).map_err(io_err(dir))?;
        return Ok(previous);
    }
    remove_tree(dir);
    std::fs::create_dir(dir).map_err(io_err(dir))?;
    Ok(None)
}

/// The published folder's owner, group and mode, which every release takes, so that
/// access set on `public/` (a group the web server is in, setgid) holds for every release,
/// not every other one. Everything done with them is best effort: a build not allowed to
/// change an owner publishes with its own.
struct Rights {
    uid: u32,
    gid: u32,
    mode: u32,
}

impl Rights {
    fn of(output: &Path) -> Option<Rights> {
        let m = std::fs::metadata(output).ok()?;
        Some(Rights {
            uid: m.uid(),
            gid: m.gid(),
            mode: m.mode() & 0o7777,
        })
    }

    /// Gives the new release's folder, before anything is written into it, the owner,
    /// the group and the setgid bit (with owner access for the build): files and folders
    /// made in it then get that group, as `cp -r` into a setgid folder gives them.
    fn take_group(&self, dir: &Path) {
        use std::os::unix::fs::PermissionsExt;
        // Owner and group apart: a builder who may set the group but not the owner (the
        // usual case: not root, in the web server's group) still sets the group.
        let _ = std::os::unix::fs::chown(dir, Some(self.uid), None);
        let _ = std::os::unix::fs::chown(dir, None, Some(self.gid));
        let _ = std::fs::set_permissions(dir, PermissionsExt::from_mode(self.mode | 0o700));
    }

    /// When the group is not the builder's own (a web server's group), gives it, and the
    /// folder's setgid bit, to whatever in the new release lacks them: files kept from
    /// releases made before the group was set, linked in unchanged. Done for a group
    /// twice (noted in the state folder), both trees that take turns at being published
    /// have it, and what is made since gets it from the setgid folders.
    fn carry_group(&self, dir: &Path, state: &Path) {
        use std::os::unix::fs::PermissionsExt;
        // SAFETY: getegid has no preconditions and cannot fail.
        if self.gid == unsafe { libc::getegid() } {
            return;
        }
        let setgid = self.mode & 0o2000;
        let note = state.join("group");
        let group = format!("{} {:o}", self.gid, setgid);
        let before = std::fs::read_to_string(&note).unwrap_or_default();
        let times = match before.split_once('\n') {
            Some((g, n)) if g == group => n.trim().parse::<u32>().unwrap_or(0),
            _ => 0,
        };
        if times >= 2 {
            return;
        }
        for e in walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .flatten()
        {
            let Ok(em) = e.metadata() else { continue };
            if em.gid() != self.gid {
                let _ = std::os::unix::fs::lchown(e.path(), None, Some(self.gid));
            }
            if e.file_type().is_dir() && em.mode() & 0o2000 != setgid {
                let mode = PermissionsExt::from_mode((em.mode() & 0o5777) | setgid);
                let _ = std::fs::set_permissions(e.path(), mode);
            }
        }
        let _ = std::fs::write(&note, format!("{group}\n{}\n", times + 1));
    }

    /// Gives the finished release's folder the owner, group and exact mode.
    fn give(&self, dir: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::os::unix::fs::chown(dir, Some(self.uid), Some(self.gid));
        let _ = std::fs::set_permissions(dir, PermissionsExt::from_mode(self.mode));
    }
}

/// Refuses a state folder this user does not own, or a link: beside an output in a
/// shared folder (`/tmp/site`), another user could have made it in advance, and the
/// next release is prepared in it.
fn refuse_foreign(state: &Path) -> Result<(), WriteError> {
    if super::is_own_folder(state) {
        return Ok(());
    }
    Err(io_err(state)(io::Error::new(
        io::ErrorKind::PermissionDenied,
        "the state folder is a link or another user's; remove it",
    )))
}

/// An exclusive lock on the output, released when the process ends (also when killed).
fn lock(state: &Path, output: &Path) -> Result<std::fs::File, WriteError> {
    use std::os::unix::io::AsRawFd;
    let path = state.join("lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    // A lock lives as long as any copy of its descriptor: a child process forked by
    // the program that ran the last build (a test harness, a CI runner's tool) holds a
    // copy until it execs, a few milliseconds. So a lock taken is tried again for a
    // moment before another build is said to be running.
    const PATIENCE: std::time::Duration = std::time::Duration::from_millis(200);
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        // SAFETY: `f` is an open file descriptor for the duration of the call.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
            return Ok(f);
        }
        let e = io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::EWOULDBLOCK) {
            return Err(WriteError::Io(path, e));
        }
        if std::time::Instant::now() >= deadline {
            return Err(WriteError::Busy(output.to_path_buf()));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A mutex's contents even after a panic in another thread: the data here is a plain
/// map, valid after any interrupted insert.
fn lock_ok<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A writer that hashes what passes through it (the hash [`manifest::hash`] gives the
/// whole bytes) and counts it.
struct Hashing<W: Write> {
    inner: W,
    hash: xxhash_rust::xxh3::Xxh3,
    len: usize,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    /// A swap refused for a read-only `public/` left the spare with its mode; the next
    /// build must still be able to write into it (as root this is not seen otherwise).
    #[test]
    fn a_spare_given_a_read_only_mode_is_opened_again() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("planspor-spare-ro-{}", std::process::id()));
        let state = dir.join("state");
        let spare = state.join("spare");
        std::fs::create_dir_all(&spare).unwrap();
        std::fs::set_permissions(&spare, std::fs::Permissions::from_mode(0o2555)).unwrap();
        let _ = super::prepare_spare(&state, &spare);
        let mode = std::fs::metadata(&spare).unwrap().permissions().mode();
        assert_eq!(mode & 0o700, 0o700, "{mode:o}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    use super::*;
    use std::collections::BTreeMap;

    fn publish(out: &Path, files: &[(&str, &str)]) -> Published {
        let s = Staging::begin(out).unwrap();
        for (rel, text) in files {
            s.put(rel, text.as_bytes()).unwrap();
        }
        s.commit().unwrap()
    }

    fn tree(dir: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    #[test]
    fn a_path_that_turns_from_file_to_folder_and_back() {
        let dir = crate::test_dir("staging");
        let out = dir.join("public");
        let a = [("a", "file"), ("b/c.html", "c")];
        let b = [("a/index.html", "folder"), ("b", "file now")];
        // Each state twice, so the spare has been each of them too.
        for files in [&a[..], &b[..], &a[..], &b[..], &a[..]] {
            publish(&out, files);
            let want: BTreeMap<String, String> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            assert_eq!(tree(&out), want);
        }
        // Unchanged: nothing written.
        assert_eq!(publish(&out, &a).written, 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_changed_file_never_changes_the_published_copy_in_place() {
        let dir = crate::test_dir("staging-inplace");
        let out = dir.join("public");
        publish(&out, &[("x.html", "one")]);
        publish(&out, &[("x.html", "one")]);
        // The spare now shares x.html's inode with the published tree.
        let s = Staging::begin(&out).unwrap();
        s.put("x.html", b"two").unwrap();
        assert_eq!(std::fs::read_to_string(out.join("x.html")).unwrap(), "one");
        drop(s);
        assert_eq!(std::fs::read_to_string(out.join("x.html")).unwrap(), "one");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_path_put_twice_never_writes_through_a_link() {
        let dir = crate::test_dir("staging-twice");
        let out = dir.join("public");
        publish(&out, &[("x.html", "one")]);
        // A fresh spare: the first put links the published file, the second replaces it.
        let s = Staging::begin(&out).unwrap();
        s.put("x.html", b"one").unwrap();
        s.put("x.html", b"two").unwrap();
        assert_eq!(std::fs::read_to_string(out.join("x.html")).unwrap(), "one");
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("x.html")).unwrap(), "two");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn what_was_put_into_the_site_by_hand_never_comes_back() {
        let dir = crate::test_dir("staging-hand");
        let out = dir.join("public");
        let outside = dir.join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "not ours").unwrap();
        let files = [("a/index.html", "a"), ("b/c/index.html", "c")];
        publish(&out, &files);
        publish(&out, &files);
        // Into the published site, which the next exchange makes the spare.
        std::fs::create_dir_all(out.join("b/udkast/dybt")).unwrap();
        std::fs::write(out.join("b/udkast/dybt/x.html"), "draft").unwrap();
        std::fs::write(out.join("b/c/noter.txt"), "note").unwrap();
        std::os::unix::fs::symlink(&outside, out.join("a/link")).unwrap();
        for _ in 0..3 {
            publish(&out, &files);
        }
        let want: BTreeMap<String, String> = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(tree(&out), want);
        assert_eq!(tree(&dir.join(".public.planspor/spare")), want);
        assert!(!out.join("b/udkast").exists());
        // A link is removed as a link: what it points at is left alone.
        assert_eq!(
            std::fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "not ours"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
