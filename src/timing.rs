//! Stage timings on standard error when `PLANSPOR_TIMINGS` is set: the cheapest profile
//! there is, and the one the benchmark script and the README's performance notes quote.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("PLANSPOR_TIMINGS").is_some())
}

/// Prints the time since the last lap under a label.
pub struct Laps {
    last: Instant,
}

impl Laps {
    pub fn start() -> Laps {
        Laps {
            last: Instant::now(),
        }
    }

    pub fn lap(&mut self, label: &str) {
        let now = Instant::now();
        if enabled() {
            eprintln!(
                "timings: {label} {:.1} ms{}",
                (now - self.last).as_secs_f64() * 1000.0,
                memory()
            );
        }
        self.last = now;
    }
}

/// A line among the timings: a count that explains one.
pub fn note(line: &str) {
    if enabled() {
        eprintln!("timings: {line}");
    }
}

/// Resident memory now and its peak so far (Linux), for the timings line.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let mb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1000.0)
    };
    format!(" (RSS {:.0} MB, peak {:.0} MB)", mb("VmRSS:"), mb("VmHWM:"))
}
