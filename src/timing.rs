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
                "timings: {label} {:.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
        }
        self.last = now;
    }
}
