//! Write: put the rendered site in place atomically, writing only what changed.
//!
//! The new release is prepared beside the output (see [`staging`]) and swapped in with
//! one `renameat2(RENAME_EXCHANGE)` (Linux), so readers and a killed build only ever see
//! the old site or the new one, never half of each. Where the exchange is unsupported
//! we fall back to two renames; the old site is kept until the new one is in place.

mod manifest;
mod staging;

pub use staging::{Published, Staging};

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

/// Marks a folder as planspor output, so we never replace a folder we did not write.
pub const MARKER: &str = ".planspor-output";

/// A rendered file: path relative to the output folder, and its bytes.
pub type OutFile = (String, Vec<u8>);

#[derive(Debug)]
pub enum WriteError {
    Io(PathBuf, io::Error),
    /// The output folder exists, is not empty and was not written by planspor.
    Foreign(PathBuf),
    /// The output exists and is a file (or anything but a folder).
    NotAFolder(PathBuf),
    /// A path that would leave the output folder.
    UnsafePath(String),
    /// The output is a symbolic link whose target does not exist.
    DanglingLink(PathBuf, PathBuf),
    /// The output is a mount point, which no rename can replace.
    MountPoint(PathBuf),
    /// The disk filled up; the build stops at the first file that did not fit.
    NoSpace(NoSpace),
    /// Another thread already hit [`WriteError::NoSpace`]: nothing more is written.
    Stopped,
    /// Another build holds the output's lock.
    Busy(PathBuf),
    /// The output may not be renamed: no write permission on it or the folder holding it
    /// (the second field: those of the two that lack it, as far as `access` tells).
    NotWritable(PathBuf, Vec<PathBuf>),
    /// The state folder cannot be made beside the output: the folder holding the output
    /// is not writable.
    StateNotWritable(PathBuf, PathBuf),
    /// The state folder beside the output is on another file system (a mount).
    CrossDevice(PathBuf),
    /// The output holds a Git checkout (`.git`), which replacing it would remove.
    GitCheckout(PathBuf),
}

/// What a full disk needs to be reported in one message.
#[derive(Debug, Clone)]
pub struct NoSpace {
    pub dir: PathBuf,
    /// Bytes and files of the new site written before the disk filled.
    pub written: u64,
    pub files: u64,
    /// Estimated size of the whole new site, when the number of files is known.
    pub needed: Option<u64>,
    /// Free space on the file system then (`statvfs`), if it could be read.
    pub free: Option<u64>,
}

impl std::fmt::Display for NoSpace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = |b: u64| format!("{:.1} MB", b as f64 / 1_048_576.0);
        write!(f, "no space left on the disk of {}: ", self.dir.display())?;
        // Only what was written is known; the rest is an extrapolation from it (pages
        // come first, and later files can be larger), so it is said as such.
        write!(f, "the new site needs more than {}", mb(self.written))?;
        if let Some(n) = self.needed.filter(|&n| n > self.written) {
            write!(
                f,
                " (about {} if its other files are like those written so far)",
                mb(n)
            )?;
        }
        if let Some(free) = self.free {
            write!(f, ", {} is free", mb(free))?;
        }
        write!(
            f,
            " ({} in {} files written before the disk filled); the previous site stays until the new one is complete, so the disk needs room for both. Free some space or build with --output on another disk",
            mb(self.written),
            self.files
        )
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            WriteError::Foreign(p) => write!(
                f,
                "refusing to replace {}: it is not empty and was not written by planspor (no {MARKER}); choose another --output or empty it",
                p.display()
            ),
            WriteError::NotAFolder(p) => write!(
                f,
                "refusing to replace {}: it is a file, not a folder; choose another --output",
                p.display()
            ),
            WriteError::UnsafePath(p) => write!(f, "refusing to write `{p}`: it would leave the output folder"),
            WriteError::DanglingLink(p, t) => write!(
                f,
                "{} is a symbolic link to {}, which does not exist; create that folder (`mkdir -p {}`) or point --output elsewhere",
                p.display(),
                t.display(),
                t.display()
            ),
            WriteError::MountPoint(p) => write!(
                f,
                "{} is a mount point, and a mount point cannot be replaced atomically; build into a folder inside it (`--output {}`) and serve that folder, or mount the folder above it",
                p.display(),
                p.join("site").display()
            ),
            WriteError::NoSpace(n) => write!(f, "{n}"),
            WriteError::Stopped => write!(f, "stopped: the disk is full"),
            WriteError::NotWritable(p, lacking) => {
                let named: Vec<String> = if lacking.is_empty() {
                    vec![p.display().to_string()]
                } else {
                    lacking.iter().map(|l| l.display().to_string()).collect()
                };
                write!(
                    f,
                    "{} cannot be replaced: a build swaps the new site in by renaming folders, which needs write permission on {0} itself and on the folder holding it; give the building user that (`chmod u+w {}`)",
                    p.display(),
                    named.join(" ")
                )
            }
            WriteError::StateNotWritable(state, parent) => write!(
                f,
                "cannot make the state folder {} beside the output: a build prepares the new site there and keeps the replaced one, so the folder holding the output ({}) must be writable by the building user; give it that (`chmod u+w {1}`), or build into a folder inside one the user may write, and point the web server or a symbolic link at that",
                state.display(),
                parent.display()
            ),
            WriteError::CrossDevice(p) => write!(
                f,
                "{} and its state folder (the hidden `.{}.planspor` beside it) are on different file systems, so the new site cannot be renamed into place; do not mount anything at the state folder (a CI cache can hold the whole folder above both)",
                p.display(),
                p.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            ),
            WriteError::GitCheckout(p) => write!(
                f,
                "refusing to replace {0}: it holds a Git checkout (`.git`), which a build would remove with every commit not yet pushed; build into another folder and copy the site into the checkout: `planspor build --output site && rsync -a --delete --exclude .git site/ {0}/`",
                p.display()
            ),
            WriteError::Busy(p) => write!(
                f,
                "another planspor build is writing {} right now; wait for it to finish, or build into another --output",
                p.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_err(p: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| WriteError::Io(p.to_path_buf(), e)
}

/// Is `rel` a plain relative path inside the output (no `..`, not absolute)?
/// A folder (not a link) owned by the user running this process: a folder of a
/// predictable name in a shared place may have been made by someone else first.
pub fn is_own_folder(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    p.symlink_metadata()
        .is_ok_and(|m| m.is_dir() && m.uid() == me)
}

pub fn is_safe_relative(rel: &str) -> bool {
    let p = Path::new(rel);
    !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Bytes available to us on the file system holding `dir`.
fn free_space(dir: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a writable statvfs.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some(st.f_bavail as u64 * st.f_frsize as u64)
}

/// Replaces `output` with exactly `files`, atomically.
pub fn write_atomic(output: &Path, files: &[OutFile]) -> Result<(), WriteError> {
    let staging = Staging::begin(output)?;
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| staging.put(rel, bytes).map(drop))?;
    staging.commit().map(|_| ())
}

/// The folder a build really replaces: `output` itself, or, when `output` is a
/// symbolic link (possibly through several), the folder it finally points to.
fn resolve_output(output: &Path) -> Result<PathBuf, WriteError> {
    match std::fs::symlink_metadata(output) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(output) {
            Ok(real) => Ok(real),
            Err(_) => {
                let target = std::fs::read_link(output).map_err(io_err(output))?;
                Err(WriteError::DanglingLink(output.to_path_buf(), target))
            }
        },
        _ => Ok(output.to_path_buf()),
    }
}

/// Is `dir` mounted on its own (another device than its parent)? A rename can neither
/// move nor replace a mount point, so we say so before writing anything.
#[cfg(unix)]
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(dir), std::fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.is_dir() && d.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path, _parent: &Path) -> bool {
    false
}

/// A rename that failed because `output` is busy (a bind mount on the same device,
/// which [`is_mount_point`] cannot see) is reported as the mount point it is.
fn rename_error(output: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |e| {
        if e.raw_os_error() == Some(libc::EBUSY) {
            WriteError::MountPoint(output.to_path_buf())
        } else if e.raw_os_error() == Some(libc::EXDEV) {
            WriteError::CrossDevice(output.to_path_buf())
        } else if e.raw_os_error() == Some(libc::EACCES) {
            // EACCES only: EPERM (a sticky parent, an immutable flag) is not cured by
            // the `chmod u+w` the message advises, so it keeps the system's words.
            let parent = match output.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            let lacking = [parent, output]
                .into_iter()
                .filter(|p| !writable(p))
                .map(Path::to_path_buf)
                .collect();
            WriteError::NotWritable(output.to_path_buf(), lacking)
        } else {
            WriteError::Io(output.to_path_buf(), e)
        }
    }
}

/// Whether this process may write in `dir` (`access(2)` with W_OK: the real user's
/// permission, as the build runs it).
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

/// Removes a folder and everything in it, sub-folders in parallel: a national site's
/// old copy is thousands of files, and unlinking them one by one was a large share of a
/// build. Best effort, like `remove_dir_all`; what is left is cleaned by the next build.
/// A symbolic link is removed itself, never followed: whatever it points to is not ours.
fn remove_tree(dir: &Path) {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            let _ = std::fs::remove_file(dir);
            return;
        }
        Err(_) => return,
    }
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = rd.flatten().collect();
    entries.par_iter().for_each(|e| {
        // `file_type` does not follow symbolic links: a link is removed, not its target.
        match e.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&e.path()),
            _ => {
                let _ = std::fs::remove_file(e.path());
            }
        }
    });
    let _ = std::fs::remove_dir(dir);
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are valid NUL-terminated strings for the duration of the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Removes staging and old folders left by builds that were killed.
fn clean_stale(parent: &Path, name: &str) {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return;
    };
    let tmp = format!(".{name}.planspor-tmp-");
    let old = format!(".{name}.planspor-old-");
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().to_string();
        if n.starts_with(&tmp) || n.starts_with(&old) {
            let pid = n.rsplit('-').next().and_then(|s| s.parse::<u32>().ok());
            // Leave a concurrent build's folders alone.
            if pid.is_some_and(|p| {
                p != std::process::id() && Path::new(&format!("/proc/{p}")).exists()
            }) {
                continue;
            }
            remove_tree(&e.path());
        }
    }
}

/// Writes `files` into `output` in place, touching only files whose bytes changed and
/// removing files no longer produced (`stale`). Used by `serve`, where the output is
/// private to the server and the swap would cost more than the edit.
pub fn write_changed(
    output: &Path,
    files: &[OutFile],
    stale: &[String],
) -> Result<usize, WriteError> {
    let mut written = 0;
    for (rel, bytes) in files {
        if !is_safe_relative(rel) {
            return Err(WriteError::UnsafePath(rel.clone()));
        }
        let p = output.join(rel);
        if std::fs::read(&p).map(|old| old == *bytes).unwrap_or(false) {
            continue;
        }
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(io_err(d))?;
        }
        // Write beside and rename, so the server never serves a half-written file.
        let tmp = p.with_extension("planspor-tmp");
        std::fs::write(&tmp, bytes).map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, &p).map_err(io_err(&p))?;
        written += 1;
    }
    for rel in stale {
        if is_safe_relative(rel) {
            let _ = std::fs::remove_file(output.join(rel));
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("kredse/x/index.html"));
        assert!(!is_safe_relative("../x"));
        assert!(!is_safe_relative("/etc/passwd"));
        assert!(!is_safe_relative("a/../../b"));
        assert!(!is_safe_relative(""));
    }

    #[test]
    fn swap_replaces_and_refuses_foreign() {
        let dir = std::env::temp_dir().join(format!("planspor-write-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let out = dir.join("public");
        write_atomic(&out, &[("a.html".into(), b"one".to_vec())]).unwrap();
        write_atomic(&out, &[("b.html".into(), b"two".to_vec())]).unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(std::fs::read(out.join("b.html")).unwrap(), b"two");
        let foreign = dir.join("home");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("precious.txt"), b"x").unwrap();
        assert!(matches!(
            write_atomic(&foreign, &[]),
            Err(WriteError::Foreign(_))
        ));
        assert!(foreign.join("precious.txt").exists());
        assert!(write_atomic(&out, &[("../escape".into(), vec![])]).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_mount_point_is_refused_with_the_fix() {
        // `/proc` is a mount point on every Linux system.
        let e = Staging::begin(Path::new("/proc"))
            .err()
            .map(|e| e.to_string());
        let e = e.unwrap_or_default();
        assert!(e.contains("mount point"), "{e}");
        assert!(e.contains("--output /proc/site"), "{e}");
    }

    #[test]
    fn remove_tree_removes_a_link_not_its_target() {
        let dir = std::env::temp_dir().join(format!("planspor-rmtree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("target")).unwrap();
        std::fs::write(dir.join("target/keep.txt"), b"x").unwrap();
        std::fs::create_dir_all(dir.join("tree")).unwrap();
        std::os::unix::fs::symlink(dir.join("target"), dir.join("tree/link")).unwrap();
        std::os::unix::fs::symlink(dir.join("target"), dir.join("toplink")).unwrap();
        remove_tree(&dir.join("tree"));
        remove_tree(&dir.join("toplink"));
        assert!(!dir.join("tree").exists());
        assert!(std::fs::symlink_metadata(dir.join("toplink")).is_err());
        assert!(dir.join("target/keep.txt").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_permission_error_names_the_folder_that_lacks_it() {
        // The parent, not the output, lacks write permission (the output is writable):
        // the fix names the parent only.
        let e = WriteError::NotWritable(PathBuf::from("site/public"), vec![PathBuf::from("site")])
            .to_string();
        assert!(e.contains("(`chmod u+w site`)"), "{e}");
        let e = WriteError::StateNotWritable(
            PathBuf::from("/var/www/.planer.planspor"),
            PathBuf::from("/var/www"),
        )
        .to_string();
        assert!(e.contains("/var/www/.planer.planspor"), "{e}");
        assert!(e.contains("`chmod u+w /var/www`"), "{e}");
        assert!(writable(&std::env::temp_dir()));
    }
}
