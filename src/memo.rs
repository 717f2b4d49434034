//! A memo of pure, costly results (a text's block diff, a Markdown text's HTML), kept
//! between production builds so that a build after a small edit recomputes only what
//! the edit touched.
//!
//! Every result is stored under a hash of everything it depends on: the function's
//! name, its inputs and the planspor binary that computed it (so an upgrade, or a
//! rebuilt binary during development, never reuses an older result). A lookup either
//! finds exactly the result the function would compute now or computes it; there is no
//! dependency record that could go stale. (One claim stands in for a record: the pages
//! that `render::reads_plans` names read the site-wide state and the named
//! plans only, so their quick keys hash those parts' digests; `tests/quick_keys.rs`
//! holds every such page to the claim.) The memo is a file in the output's state
//! folder (`.public.planspor/memo`):
//!
//! ```text
//! values…  index (key u128, offset u64, length u64, check u64)…  footer
//! footer:  salt u128, entries u64, index offset u64, "PLSMEMO2"
//! ```
//!
//! Each build writes a new file holding the results it used (old ones copied, new ones
//! computed) and renames it over the old one, so the memo holds one site's worth and
//! never grows beyond it. A file that is truncated, from another binary, or whose value
//! does not match its check is ignored: the result is computed instead. `serve` and
//! `check` use [`Memo::off`], which computes everything.
//!
//! A page's HTML parts are asked for with [`Memo::deferred_text`], which does not read
//! a stored result: it returns a reference to it, the page's fingerprint covers the
//! reference (the result's key), and [`Memo::resolve`] reads the result only if the
//! page is rendered. A page that is kept (most pages, after a small edit) never reads
//! its parts, and the memo copies them to the next build's file in a few large runs.

use std::collections::HashMap;

use rustc_hash::FxHashSet;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 8] = b"PLSMEMO2";
const FOOTER: usize = 16 + 8 + 8 + 8;
const INDEX_ENTRY: usize = 16 + 8 + 8 + 8;
/// A reference to a result ([`Memo::deferred_text`]): NUL, this build's nonce (16 hex
/// digits), the result's key (32 hex digits). When this build computed the result, a
/// NUL and the result follow.
const REF_LEN: usize = 1 + 16 + 32;

/// Results of pure functions by hash of their inputs; see the module documentation.
pub struct Memo {
    state: Option<State>,
}

struct State {
    salt: u128,
    /// Each value's check, a MAC under the building user's secret ([`user_key`]).
    signer: Signer,
    old: Old,
    out: Mutex<Out>,
    path: PathBuf,
    /// Random for each build, so that no content string can pass for a reference.
    nonce: [u8; 16],
    /// A deferred result turned out unreadable when it was needed (see [`Memo::resolve`]).
    damaged: AtomicBool,
}

/// The previous build's memo: its index in memory, each value read from the file when
/// it is asked for (so the build's memory does not grow by the memo's size, and each
/// value is read once into the string or value it becomes).
#[derive(Default)]
struct Old {
    file: Option<std::fs::File>,
    /// Key → (offset, length, check).
    /// Hashed with the standard library's randomly seeded hasher, not FxHash: these keys
    /// are read from the file before any value's MAC is checked, and a crafted file
    /// could give a fixed hasher a million keys of one hash.
    index: HashMap<u128, (u64, usize, u64)>,
    /// `None` only in the empty default, which holds no value to check.
    signer: Option<Signer>,
}

/// The memo this build writes: every result it used, each once.
struct Out {
    file: Option<BufWriter<std::fs::File>>,
    tmp: PathBuf,
    pos: u64,
    index: Vec<(u128, u64, u64, u64)>,
    /// Results kept without being read: (key, offset in the old file, length, check),
    /// copied when the memo is saved.
    deferred: Vec<(u128, u64, u64, u64)>,
    /// FxHash: its keys are this build's own, and a republish inserts tens of thousands.
    seen: FxHashSet<u128>,
    stats: MemoStats,
}

/// What a memo did during a build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoStats {
    /// Results found in the previous build's memo.
    pub reused: u64,
    /// Results computed (and recorded for the next build).
    pub computed: u64,
}

impl Memo {
    /// A memo that computes everything and keeps nothing.
    pub fn off() -> Memo {
        Memo { state: None }
    }

    /// Opens the memo file at `path` (read if it is valid for this binary) and starts
    /// the next one beside it. Any trouble (no binary identity, a folder that cannot be
    /// written) gives a memo that computes everything: it is a speed-up, never a
    /// reason for a build to fail. Call it holding the output's lock: it removes the
    /// unfinished memos that killed builds left.
    pub fn open(path: &Path) -> Memo {
        let Some(key) = user_key() else {
            return Memo::off();
        };
        let Some(salt) = binary_salt(&key) else {
            return Memo::off();
        };
        remove_unfinished(path);
        let tmp = path.with_extension(format!("new-{}", std::process::id()));
        let file = match std::fs::File::create(&tmp) {
            Ok(f) => f,
            Err(_) => return Memo::off(),
        };
        let Some(signer) = Signer::new(&key) else {
            return Memo::off();
        };
        let old = Old::open(path, salt, signer.clone()).unwrap_or_default();
        Memo {
            state: Some(State {
                salt,
                signer,
                old,
                out: Mutex::new(Out {
                    file: Some(BufWriter::with_capacity(1 << 20, file)),
                    tmp,
                    pos: 0,
                    index: Vec::new(),
                    deferred: Vec::new(),
                    seen: FxHashSet::default(),
                    stats: MemoStats::default(),
                }),
                path: path.to_path_buf(),
                nonce: nonce(),
                damaged: AtomicBool::new(false),
            }),
        }
    }

    /// Whether results are looked up and kept at all (not [`Memo::off`]).
    pub fn is_on(&self) -> bool {
        self.state.is_some()
    }

    /// A hash identifying `inputs` (length-prefixed, so ("ab", "c") and ("a", "bc")
    /// differ), for results that are known by what they were made from.
    pub fn key_of(inputs: &[&str]) -> u128 {
        let mut h = Xxh3::new();
        hash_parts(&mut h, inputs.iter().copied());
        h.digest128()
    }

    /// `make()`, or the text it returned for the same `kind` and `inputs` before.
    /// Stored as its bytes, not encoded: a hit becomes the string without a copy.
    pub fn text(&self, kind: &str, inputs: &[&str], make: impl FnOnce() -> String) -> String {
        let Some(st) = &self.state else {
            return make();
        };
        let key = st.key(kind, inputs);
        if let Some(text) = st.old.get(key).and_then(|b| String::from_utf8(b).ok()) {
            st.keep(key, text.as_bytes(), false);
            return text;
        }
        let text = make();
        st.keep(key, text.as_bytes(), true);
        text
    }

    /// [`Memo::text`] for a part of a page, which most builds only fingerprint: a result
    /// the previous build has is not read but referred to, and one computed now comes
    /// with its reference, so the fingerprint ([`Memo::reference_key`]) is the same
    /// either way. [`Memo::resolve`] turns the string into the text. An empty text is
    /// returned as itself, so that a template's `{% if %}` on it sees what it would.
    pub fn deferred_text(
        &self,
        kind: &str,
        inputs: &[&str],
        make: impl FnOnce() -> String,
    ) -> String {
        let Some(st) = &self.state else {
            return make();
        };
        let key = st.key(kind, inputs);
        match st.old.index.get(&key) {
            Some(&(_, 0, _)) => {
                st.keep(key, b"", false);
                String::new()
            }
            Some(&(off, len, check)) => {
                st.defer(key, off, len as u64, check);
                st.reference(key)
            }
            None => {
                let text = make();
                st.keep(key, text.as_bytes(), true);
                if text.is_empty() {
                    return text;
                }
                let mut r = st.reference(key);
                r.reserve(1 + text.len());
                r.push('\0');
                r.push_str(&text);
                r
            }
        }
    }

    /// The key of the result `s` refers to, if it is a [`Memo::deferred_text`] of this
    /// build; for fingerprints, which hash the key instead of the text.
    pub fn reference_key(&self, s: &str) -> Option<u128> {
        self.state.as_ref()?.parse(s).map(|(key, _)| key)
    }

    /// Turns a [`Memo::deferred_text`] into its text; any other string is left as it is.
    /// Fails only when the stored result cannot be read back intact (a memo damaged on
    /// disk): the build then starts again without the memo.
    pub fn resolve(&self, s: &mut String) -> Result<(), Damaged> {
        let Some(st) = &self.state else {
            return Ok(());
        };
        match st.parse(s) {
            None => Ok(()),
            Some((_, true)) => {
                s.drain(..=REF_LEN);
                Ok(())
            }
            Some((key, false)) => match st.old.get(key).and_then(|b| String::from_utf8(b).ok()) {
                Some(text) => {
                    *s = text;
                    Ok(())
                }
                None => {
                    st.damaged.store(true, Ordering::Relaxed);
                    Err(Damaged)
                }
            },
        }
    }

    /// Whether a deferred result could not be read back (see [`Memo::resolve`]).
    pub fn is_damaged(&self) -> bool {
        self.state
            .as_ref()
            .is_some_and(|st| st.damaged.load(Ordering::Relaxed))
    }

    /// `make()`, or the value it returned for the same `kind` and `inputs` before.
    pub fn value<T: Serialize + DeserializeOwned>(
        &self,
        kind: &str,
        inputs: &[&str],
        make: impl FnOnce() -> T,
    ) -> T {
        let Some(st) = &self.state else {
            return make();
        };
        let key = st.key(kind, inputs);
        st.reuse(key).unwrap_or_else(|| {
            let value = make();
            st.record(key, &value);
            value
        })
    }

    /// The value recorded for `kind` and `inputs` by the previous build, if any; it is
    /// kept for the next build too.
    pub fn get<T: DeserializeOwned>(&self, kind: &str, inputs: &[&str]) -> Option<T> {
        let st = self.state.as_ref()?;
        st.reuse(st.key(kind, inputs))
    }

    /// The value recorded for `kind` and `inputs` by the previous build, if any, not kept
    /// for the next build: for a value that is no function of its inputs alone (where
    /// the open data's items lie in a file), which the caller [`Memo::put`]s again as it
    /// is now. (After a [`Memo::get`], a `put` of the same key is not recorded.)
    pub fn take<T: DeserializeOwned>(&self, kind: &str, inputs: &[&str]) -> Option<T> {
        let st = self.state.as_ref()?;
        postcard::from_bytes(&st.old.get(st.key(kind, inputs))?).ok()
    }

    /// Keeps the previous build's result for `kind` and `inputs`, if it has one, for the
    /// next build without reading it: a part this build does not need unless it renders
    /// what shows it, and the next build may.
    pub fn keep_unread(&self, kind: &str, inputs: &[&str]) {
        if let Some(st) = &self.state {
            let key = st.key(kind, inputs);
            if let Some(&(off, len, check)) = st.old.index.get(&key) {
                st.defer(key, off, len as u64, check);
            }
        }
    }

    /// Records `value` for `kind` and `inputs`, for the next build.
    pub fn put<T: Serialize>(&self, kind: &str, inputs: &[&str], value: &T) {
        if let Some(st) = &self.state {
            st.record(st.key(kind, inputs), value);
        }
    }

    /// Finishes the new memo and puts it in place of the old one. A memo that could
    /// not be written completely is removed instead, so the next build computes.
    pub fn save(&self) -> io::Result<MemoStats> {
        let Some(st) = &self.state else {
            return Ok(MemoStats::default());
        };
        let mut out = st.out.lock().unwrap_or_else(PoisonError::into_inner);
        let stats = out.stats;
        let Some(mut file) = out.file.take() else {
            let _ = std::fs::remove_file(&out.tmp);
            return Err(io::Error::other("the memo could not be written"));
        };
        if stats.computed == 0 && stats.reused as usize == st.old.index.len() {
            // The old memo holds exactly what this build used: keep it, and drop the
            // copy before the system writes it to disk.
            drop(file);
            let _ = std::fs::remove_file(&out.tmp);
            return Ok(stats);
        }
        let finish = (|| {
            copy_deferred(&st.old, &mut out, &mut file)?;
            for &(key, off, len, check) in &out.index {
                file.write_all(&key.to_le_bytes())?;
                file.write_all(&off.to_le_bytes())?;
                file.write_all(&len.to_le_bytes())?;
                file.write_all(&check.to_le_bytes())?;
            }
            file.write_all(&st.salt.to_le_bytes())?;
            file.write_all(&(out.index.len() as u64).to_le_bytes())?;
            file.write_all(&out.pos.to_le_bytes())?;
            file.write_all(MAGIC)?;
            file.flush()?;
            std::fs::rename(&out.tmp, &st.path)
        })();
        if finish.is_err() {
            let _ = std::fs::remove_file(&out.tmp);
        }
        finish.map(|()| stats)
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        // Not saved (a failed build, or `save` already renamed it): no half memo stays.
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// A deferred memo result could not be read back: see [`Memo::resolve`].
#[derive(Debug)]
pub struct Damaged;

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a result stored in the build memo is damaged")
    }
}

/// Appends the results kept without being read to the new memo, copying adjacent
/// ones in one run (a kept page's parts were stored together).
fn copy_deferred(old: &Old, out: &mut Out, file: &mut BufWriter<std::fs::File>) -> io::Result<()> {
    let Some(mut src) = old.file.as_ref() else {
        return Ok(());
    };
    let mut deferred = std::mem::take(&mut out.deferred);
    deferred.sort_unstable_by_key(|d| d.1);
    file.flush()?;
    let mut rest = &deferred[..];
    while let Some(&(_, start, _, _)) = rest.first() {
        let mut end = start;
        let run = rest.iter().take_while(|d| {
            let adjacent = d.1 == end;
            end += if adjacent { d.2 } else { 0 };
            adjacent
        });
        let n = run.count();
        for &(key, off, len, check) in &rest[..n] {
            out.index.push((key, out.pos + (off - start), len, check));
        }
        // File to file: the standard library copies in the kernel (copy_file_range).
        src.seek(SeekFrom::Start(start))?;
        let copied = io::copy(&mut src.take(end - start), file.get_mut())?;
        if copied != end - start {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        out.pos += end - start;
        rest = &rest[n..];
    }
    Ok(())
}

/// 16 random hex digits: [`RandomState`](std::collections::hash_map::RandomState) is
/// seeded by the operating system.
fn nonce() -> [u8; 16] {
    use std::hash::BuildHasher;
    let n = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
    let mut out = [0u8; 16];
    out.copy_from_slice(format!("{n:016x}").as_bytes());
    out
}

impl State {
    /// A reference to the result under `key` (see [`REF_LEN`]).
    fn reference(&self, key: u128) -> String {
        let mut r = String::with_capacity(REF_LEN);
        r.push('\0');
        r.push_str(std::str::from_utf8(&self.nonce).unwrap_or_default());
        r.push_str(&format!("{key:032x}"));
        r
    }

    /// The key a reference made by this build names, and whether the text follows it.
    fn parse(&self, s: &str) -> Option<(u128, bool)> {
        let b = s.as_bytes();
        if b.first() != Some(&0) || b.len() < REF_LEN || b[1..17] != self.nonce {
            return None;
        }
        let key = u128::from_str_radix(std::str::from_utf8(&b[17..REF_LEN]).ok()?, 16).ok()?;
        match b.get(REF_LEN) {
            None => Some((key, false)),
            Some(0) => Some((key, true)),
            Some(_) => None,
        }
    }

    /// Keeps the old memo's result under `key` for the next build without reading it.
    fn defer(&self, key: u128, off: u64, len: u64, check: u64) {
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if out.seen.insert(key) {
            out.deferred.push((key, off, len, check));
            out.stats.reused += 1;
        }
    }

    /// The key of one result: binary, function and inputs, each input length-prefixed
    /// so that ("ab", "c") and ("a", "bc") differ.
    fn key(&self, kind: &str, inputs: &[&str]) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.salt.to_le_bytes());
        hash_parts(&mut h, std::iter::once(kind).chain(inputs.iter().copied()));
        h.digest128()
    }

    /// The previous build's value under `key`, kept for the next build.
    fn reuse<T: DeserializeOwned>(&self, key: u128) -> Option<T> {
        let bytes = self.old.get(key)?;
        let value = postcard::from_bytes(&bytes).ok()?;
        self.keep(key, &bytes, false);
        Some(value)
    }

    /// Records a value computed by this build.
    fn record<T: Serialize>(&self, key: u128, value: &T) {
        if let Ok(bytes) = postcard::to_allocvec(value) {
            self.keep(key, &bytes, true);
        }
    }

    /// Records a result in the new memo (once per key).
    fn keep(&self, key: u128, bytes: &[u8], computed: bool) {
        // A result read back was checked against its MAC as it was read: the MAC goes
        // on with it (making it again cost a republish 5 % of its time).
        let check = match self.old.index.get(&key) {
            Some(&(_, _, check)) if !computed => check,
            _ => self.signer.check(key, bytes),
        };
        let mut out = self.out.lock().unwrap_or_else(PoisonError::into_inner);
        if !out.seen.insert(key) {
            return;
        }
        let Some(file) = out.file.as_mut() else {
            return;
        };
        if file.write_all(bytes).is_err() {
            // A full disk: stop recording; `save` then removes the partial file.
            out.file = None;
            let _ = std::fs::remove_file(&out.tmp);
            return;
        }
        let pos = out.pos;
        out.index.push((key, pos, bytes.len() as u64, check));
        out.pos += bytes.len() as u64;
        if computed {
            out.stats.computed += 1;
        } else {
            out.stats.reused += 1;
        }
    }
}

impl Old {
    /// The memo at `path`, if it is whole and was made by this binary.
    fn open(path: &Path, salt: u128, signer: Signer) -> Option<Old> {
        let file = std::fs::File::open(path).ok()?;
        let n = file.metadata().ok()?.len();
        let mut footer = [0u8; FOOTER];
        file.read_exact_at(&mut footer, n.checked_sub(FOOTER as u64)?)
            .ok()?;
        if &footer[32..] != MAGIC || pair(&footer, 0)? != salt {
            return None;
        }
        let count = word(&footer, 16)?;
        let index_at = word(&footer, 24)?;
        if index_at.checked_add(count.checked_mul(INDEX_ENTRY as u64)?)? != n - FOOTER as u64 {
            return None;
        }
        let mut raw = vec![0u8; usize::try_from(n - FOOTER as u64 - index_at).ok()?];
        file.read_exact_at(&mut raw, index_at).ok()?;
        let mut index = HashMap::with_capacity(raw.len() / INDEX_ENTRY);
        for e in raw.chunks_exact(INDEX_ENTRY) {
            let (off, len) = (word(e, 16)?, word(e, 24)?);
            if off.checked_add(len)? > index_at {
                return None;
            }
            index.insert(pair(e, 0)?, (off, usize::try_from(len).ok()?, word(e, 32)?));
        }
        Some(Old {
            file: Some(file),
            index,
            signer: Some(signer),
        })
    }

    /// The stored result under `key`, if its bytes still match their check.
    fn get(&self, key: u128) -> Option<Vec<u8>> {
        let &(off, len, check) = self.index.get(&key)?;
        let mut bytes = vec![0u8; len];
        self.file.as_ref()?.read_exact_at(&mut bytes, off).ok()?;
        (self.signer.as_ref()?.check(key, &bytes) == check).then_some(bytes)
    }
}

/// A value's check: HMAC-SHA256 under the user's key of the result's key and bytes,
/// its first 8 bytes. A value goes into pages as it is, so its check must be one that
/// nobody without the key can make (anyone could make an xxh3 of the bytes, as the
/// check was), and it names the result, so that a value cannot be moved to another.
///
/// The keyed state (the key's inner and outer pads hashed) is made once and cloned
/// per value: made per value, it was two of the four SHA-256 blocks a typical small
/// value costs.
#[derive(Clone)]
struct Signer(hmac::Hmac<sha2::Sha256>);

impl Signer {
    fn new(secret: &[u8; 32]) -> Option<Signer> {
        use hmac::Mac;
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret)
            .ok()
            .map(Signer)
    }

    fn check(&self, key: u128, bytes: &[u8]) -> u64 {
        use hmac::Mac;
        let mut m = self.0.clone();
        m.update(&key.to_le_bytes());
        m.update(bytes);
        let tag = m.finalize().into_bytes();
        let mut first = [0u8; 8];
        first.copy_from_slice(&tag[..8]);
        u64::from_le_bytes(first)
    }
}

fn word(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn pair(b: &[u8], at: usize) -> Option<u128> {
    Some(u128::from_le_bytes(b.get(at..at + 16)?.try_into().ok()?))
}

/// Removes the unfinished memos of builds that were killed. Only one build writes into
/// an output at a time (it holds the output's lock), so none of them is in use.
fn remove_unfinished(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!("{}.new-", name.to_string_lossy());
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn hash_parts<'a>(h: &mut Xxh3, parts: impl Iterator<Item = &'a str>) {
    for part in parts {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
}

/// What identifies the running binary: its file's size and modification time (to the
/// nanosecond), with the version. Rebuilding planspor changes it, so results computed
/// by other code are never reused; a binary restored from a cache with its time (as
/// `tar` and CI caches do) keeps it, on any machine. (Hashing the binary's 70 MB would
/// cost more than a small site's whole build.)
///
/// The user's key ([`user_key`]) enters it too, so that another user's memo is passed
/// over at once (each value's check is a MAC under the key besides).
fn binary_salt(key: &[u8; 32]) -> Option<u128> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let mut h = Xxh3::new();
    for n in [m.size(), m.mtime() as u64, m.mtime_nsec() as u64] {
        h.update(&n.to_le_bytes());
    }
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(key);
    Some(h.digest128())
}

/// A secret of the building user's, kept outside every site: 32 random bytes in
/// `$XDG_CACHE_HOME/planspor/memo-key` (or `~/.cache/planspor/memo-key`), made on first
/// use, readable by the user alone. A memo's values go into pages as they are (HTML
/// made from Markdown), and the state folder sits in the site root when the output is
/// the default `public/`: a memo committed to a content repository would otherwise
/// publish its HTML, script included, past every check. Each value's check is a MAC
/// under this key ([`Signer`]), so a memo is read only by the builds of the user whose
/// build wrote it, even by someone who has seen one. Without the key, no memo is used.
fn user_key() -> Option<[u8; 32]> {
    use std::os::unix::fs::DirBuilderExt;
    // Relative paths are ignored, as the XDG specification asks (one would be relative
    // to wherever the build runs, often the site root).
    let absolute = |v: &std::ffi::OsString| !v.is_empty() && Path::new(v).is_absolute();
    let cache = match std::env::var_os("XDG_CACHE_HOME").filter(absolute) {
        Some(c) => PathBuf::from(c),
        None => PathBuf::from(std::env::var_os("HOME").filter(absolute)?).join(".cache"),
    };
    let dir = cache.join("planspor");
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir);
    let path = dir.join("memo-key");
    if let Some(key) = read_key(&path) {
        return Some(key);
    }
    // None yet, or one of this user's that is not whole (a write a crash cut short):
    // a new one. Another user's file, or a link, is left alone, and no memo is used.
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && is_own(&m)) {
        let _ = std::fs::remove_file(&path);
    }
    make_key(&dir, &path);
    read_key(&path)
}

/// Whether a file is the running user's.
fn is_own(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    m.uid() == unsafe { libc::geteuid() }
}

/// The key at `path`: 32 bytes in a file of this user's that no one else may read.
fn read_key(path: &Path) -> Option<[u8; 32]> {
    use std::io::Read as _;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .ok()?;
    let m = f.metadata().ok()?;
    if !is_own(&m) || m.mode() & 0o077 != 0 || m.len() != 32 {
        return None;
    }
    let mut key = [0u8; 32];
    f.read_exact(&mut key).ok()?;
    Some(key)
}

/// Makes a key beside `path`, written to disk, and links it into place, so that a key
/// is never seen half written, and of two builds making one at once, both use the one
/// linked first.
fn make_key(dir: &Path, path: &Path) {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt;
    let mut key = [0u8; 32];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut key))
        .is_err()
    {
        return;
    }
    let tmp = dir.join(format!(
        "memo-key.{}.{}",
        std::process::id(),
        String::from_utf8_lossy(&nonce())
    ));
    let made = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(&key).and_then(|_| f.sync_all()));
    if made.is_ok() {
        let _ = std::fs::hard_link(&tmp, path);
    }
    let _ = std::fs::remove_file(&tmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        crate::test_dir(&format!("memo-{name}"))
    }

    /// The keyed state is cloned per value: each check is the HMAC made afresh, and one
    /// value's check leaves the next one's as it would be alone.
    #[test]
    fn a_values_check_is_its_hmac_made_afresh() {
        use hmac::Mac;
        let secret = [7u8; 32];
        let signer = Signer::new(&secret).expect("any key length");
        let long = [1u8; 200];
        for (key, bytes) in [(0u128, &b""[..]), (u128::MAX, b"abc"), (42, &long[..])] {
            let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(&secret).expect("key");
            m.update(&key.to_le_bytes());
            m.update(bytes);
            let tag = m.finalize().into_bytes();
            let first: [u8; 8] = tag[..8].try_into().expect("8 bytes");
            assert_eq!(signer.check(key, bytes), u64::from_le_bytes(first));
        }
        assert_ne!(
            Signer::new(&[8u8; 32]).expect("key").check(1, b"x"),
            signer.check(1, b"x")
        );
    }

    #[test]
    fn results_are_reused_by_the_next_build_and_only_used_ones_are_kept() {
        let d = dir("reuse");
        let path = d.join("memo");
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["a"], || "A".into()), "A");
        assert_eq!(memo.text("md", &["b"], || "B".into()), "B");
        assert_eq!(memo.value("n", &["x"], || vec![1u32, 2]), vec![1, 2]);
        let s = memo.save().expect("saved");
        assert_eq!((s.reused, s.computed), (0, 3));

        let memo = Memo::open(&path);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let made = |v: &str| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            v.to_string()
        };
        assert_eq!(memo.text("md", &["a"], || made("wrong")), "A");
        assert_eq!(memo.text("md", &["c"], || made("C")), "C");
        // Same inputs, another function: not the same result.
        assert_eq!(memo.text("other", &["a"], || made("other A")), "other A");
        assert_eq!(
            memo.value("n", &["x"], || vec![9u32]),
            vec![1, 2],
            "a value comes back as it went in"
        );
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
        let s = memo.save().expect("saved");
        assert_eq!((s.reused, s.computed), (2, 2));

        // "b" was not used by the second build, so it is gone.
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["b"], || "new B".into()), "new B");
        drop(memo);
        assert_eq!(
            std::fs::read_dir(&d).expect("dir").count(),
            1,
            "an unsaved memo leaves no file behind"
        );
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_killed_build_s_unfinished_memo_is_removed() {
        let d = dir("killed");
        std::fs::write(d.join("memo.new-999999"), b"half").expect("write");
        let memo = Memo::open(&d.join("memo"));
        memo.text("md", &["a"], || "A".into());
        memo.save().expect("saved");
        let names: Vec<String> = std::fs::read_dir(&d)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["memo"]);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_build_that_only_reuses_keeps_the_file_as_it_was() {
        use std::os::unix::fs::MetadataExt;
        let d = dir("same");
        let path = d.join("memo");
        let memo = Memo::open(&path);
        memo.text("md", &["a"], || "A".into());
        memo.save().expect("saved");
        let ino = std::fs::metadata(&path).expect("memo").ino();
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["a"], || "new".into()), "A");
        assert_eq!(memo.save().expect("kept").reused, 1);
        assert_eq!(std::fs::metadata(&path).expect("memo").ino(), ino);
        assert_eq!(std::fs::read_dir(&d).expect("dir").count(), 1);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn inputs_are_length_prefixed() {
        let d = dir("prefix");
        let memo = Memo::open(&d.join("memo"));
        assert_eq!(memo.text("k", &["ab", "c"], || "1".into()), "1");
        assert_eq!(memo.text("k", &["a", "bc"], || "2".into()), "2");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_damaged_memo_is_ignored_value_by_value_or_whole() {
        let d = dir("damaged");
        let path = d.join("memo");
        let memo = Memo::open(&path);
        memo.text("md", &["a"], || "AAAA".into());
        memo.text("md", &["b"], || "BBBB".into());
        memo.save().expect("saved");
        let mut bytes = std::fs::read(&path).expect("memo");
        bytes[0] = b'X'; // the first value, "AAAA"
        std::fs::write(&path, &bytes).expect("write");
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["a"], || "fresh".into()), "fresh");
        assert_eq!(memo.text("md", &["b"], || "fresh".into()), "BBBB");
        memo.save().expect("saved");

        let bytes = std::fs::read(&path).expect("memo");
        std::fs::write(&path, &bytes[..bytes.len() - 3]).expect("truncate");
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["b"], || "fresh".into()), "fresh");
        drop(memo);
        std::fs::write(&path, b"not a memo").expect("write");
        let memo = Memo::open(&path);
        assert_eq!(memo.text("md", &["b"], || "fresh".into()), "fresh");
        let _ = std::fs::remove_dir_all(&d);
    }

    /// A deferred text as rendering sees it.
    fn resolved(memo: &Memo, mut s: String) -> String {
        memo.resolve(&mut s).expect("resolves");
        s
    }

    #[test]
    fn deferred_texts_are_fingerprinted_by_key_and_read_only_when_resolved() {
        let d = dir("deferred");
        let path = d.join("memo");
        let memo = Memo::open(&path);
        let a = memo.deferred_text("md", &["a"], || "AAAA".into());
        assert_eq!(memo.deferred_text("md", &["e"], String::new), "");
        memo.deferred_text("md", &["b"], || "BBBB".into());
        let key_a = memo.reference_key(&a).expect("a reference");
        assert_eq!(resolved(&memo, a.clone()), "AAAA");
        assert_eq!(memo.save().expect("saved").computed, 3);

        // The next build refers to the stored text, under the same key, without
        // reading it; what it does not ask for is dropped.
        let memo = Memo::open(&path);
        let again = memo.deferred_text("md", &["a"], || unreachable!("stored"));
        assert_eq!(memo.reference_key(&again), Some(key_a));
        assert_eq!(
            memo.deferred_text("md", &["e"], || unreachable!("stored")),
            ""
        );
        assert_eq!(memo.text("md", &["c"], || "CCCC".into()), "CCCC");
        // Another build's reference is content like any other: not resolved.
        assert_eq!(memo.reference_key(&a), None);
        assert_eq!(resolved(&memo, a.clone()), a);
        let s = memo.save().expect("saved");
        assert_eq!((s.reused, s.computed), (2, 1));

        // Copied whole into the new memo, the texts resolve in the build after.
        let memo = Memo::open(&path);
        let a = memo.deferred_text("md", &["a"], || unreachable!("copied"));
        let c = memo.deferred_text("md", &["c"], || unreachable!("stored"));
        assert_eq!(
            (resolved(&memo, a), resolved(&memo, c)),
            ("AAAA".into(), "CCCC".into())
        );
        assert!(memo
            .deferred_text("md", &["b"], || "fresh".into())
            .ends_with("fresh"));
        assert!(!memo.is_damaged());
        memo.save().expect("saved");

        // A stored text damaged on disk fails to resolve, and says so.
        let mut bytes = std::fs::read(&path).expect("memo");
        let values = word(&bytes, bytes.len() - FOOTER + 24).expect("index offset") as usize;
        bytes[..values].iter_mut().for_each(|b| *b ^= 0x5a);
        std::fs::write(&path, &bytes).expect("write");
        let memo = Memo::open(&path);
        let mut r = memo.deferred_text("md", &["a"], || unreachable!("stored"));
        assert!(memo.resolve(&mut r).is_err());
        assert!(memo.is_damaged());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn off_computes_everything() {
        let memo = Memo::off();
        assert_eq!(memo.text("md", &["a"], || "A".into()), "A");
        assert_eq!(memo.save().expect("nothing to save"), MemoStats::default());
    }
}
