//! A deterministic synthetic corpus shaped like the national content tree, for
//! benchmarks and scale tests. (Being written: see issue 7.)

use std::path::PathBuf;

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Site root to create (planspor.toml, content/).
    pub out: PathBuf,
    pub seed: u64,
    /// Number of years of plans.
    pub years: u32,
    /// 1.0 = national scale (12 kredse, 98 kommuner); 0.5 half, 2.0 double.
    pub scale: f64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub kredse: usize,
    pub kommuner: usize,
    pub plans: usize,
    pub indsatser: usize,
    pub bytes: u64,
}

/// Writes the corpus.
pub fn generate(_opts: &CorpusOptions) -> std::io::Result<CorpusStats> {
    Err(std::io::Error::other(
        "the corpus generator is not written yet",
    ))
}
