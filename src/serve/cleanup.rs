//! The private folder (`<tmp>/planspor-serve-<pid>`, the output in it: hundreds of megabytes at
//! national scale) goes away with its server: on SIGINT, SIGTERM or SIGHUP, on a normal
//! return, and, for a server killed outright (SIGKILL, a crash), at the next start.

use std::io::Read;
use std::os::fd::FromRawFd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

const PREFIX: &str = "planspor-serve-";

/// This process's output folder.
pub fn out_dir() -> PathBuf {
    std::env::temp_dir().join(format!("{PREFIX}{}", std::process::id()))
}

/// Removes the folders of servers that no longer run; returns how many. Only folders
/// named for a pid, owned by this user and not symlinks; a live server's is kept.
pub fn remove_stale(tmp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|p| p.parse::<libc::pid_t>().ok())
        else {
            continue;
        };
        if pid <= 0 || pid as u32 == std::process::id() || alive(pid) {
            continue;
        }
        if crate::write::is_own_folder(&e.path()) && std::fs::remove_dir_all(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether a process with this pid exists (also one of another user, or a zombie).
/// `kill(pid, 0)` asks exactly that, and works where there is no /proc.
fn alive(pid: libc::pid_t) -> bool {
    // SAFETY: signal 0 sends nothing; pid > 0 addresses a single process.
    if unsafe { libc::kill(pid, 0) } == 0 {
        return true;
    }
    std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Removes the folder when dropped: covers every return and panic out of `run`.
pub struct RemoveOnDrop(pub PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Write end of the self-pipe the signal handler reports to; -1 before installation.
static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(sig: libc::c_int) {
    // Only async-signal-safe work here: one write(2) to the pipe.
    let fd = SIGNAL_PIPE.load(Ordering::Relaxed);
    let b = sig as u8;
    // SAFETY: writes one byte from a live stack variable to a pipe we own.
    unsafe { libc::write(fd, (&b as *const u8).cast(), 1) };
}

/// On SIGINT, SIGTERM or SIGHUP (a closed terminal), runs `cleanup` on a thread of its
/// own and exits with 128 + the signal number, as a shell reports a signal death.
/// libc rather than a crate (ctrlc, signal-hook): it is already a dependency and the
/// self-pipe below is all that is needed.
pub fn on_termination(cleanup: impl FnOnce() + Send + 'static) -> Result<(), String> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: pipe(2) fills the two-element array.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(format!(
            "cannot install signal handlers: {}",
            std::io::Error::last_os_error()
        ));
    }
    SIGNAL_PIPE.store(fds[1], Ordering::Relaxed);
    // SAFETY: fds[0] is a fresh descriptor that only this File owns.
    let mut reader = unsafe { std::fs::File::from_raw_fd(fds[0]) };
    std::thread::spawn(move || {
        let mut sig = [0u8];
        if reader.read_exact(&mut sig).is_ok() {
            cleanup();
            std::process::exit(128 + i32::from(sig[0]));
        }
    });
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction is valid; the handler only calls write(2).
        // SA_RESTART: other threads' blocking calls resume instead of failing with EINTR.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
                return Err(format!(
                    "cannot install signal handlers: {}",
                    std::io::Error::last_os_error()
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_pid_max_plus_is_not() {
        assert!(alive(std::process::id() as libc::pid_t));
        // Above Linux's largest pid_max (2^22).
        assert!(!alive(1 << 23));
    }
}
