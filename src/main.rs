//! The `planspor` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use planspor::site::{self, BuildOptions};
use planspor::Diagnostics;

// Rendering a national site allocates and frees millions of small JSON values and
// strings from two threads; glibc's allocator spent a third of the build in malloc/free
// (perf), mimalloc much less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// planspor turns the cooperation plans of Danish police districts and kommuner into a
/// cross-linked static website that tracks each indsatsområde across years.
#[derive(Parser)]
#[command(name = "planspor", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: <root>/public), atomically.
    Build {
        /// Site root: the folder with planspor.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from planspor.toml, e.g. https://example.dk/planer/
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate content, templates and links without writing anything.
    Check {
        /// Site root: the folder with planspor.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build, serve on 127.0.0.1 with live reload, and rebuild on every change.
    Serve {
        /// Site root: the folder with planspor.toml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one). A port in use moves on to the next free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write a deterministic synthetic corpus (all 98 kommuner over N years) for benchmarks.
    GenCorpus {
        /// Site root to create.
        #[arg(long)]
        out: PathBuf,
        /// Random seed; the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of years of plans.
        #[arg(long, default_value_t = 20)]
        years: u32,
        /// Scale factor: 1.0 is national scale, 2.0 doubles districts and kommuner.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => {
            let start = Instant::now();
            let opts = BuildOptions {
                root,
                output,
                base_url,
                ..Default::default()
            };
            match site::build(&opts) {
                Ok(report) => {
                    if !report.warnings.is_empty() {
                        eprint!("{}", report.warnings.render(color));
                    }
                    eprintln!(
                        "built {} pages ({} files, {:.1} MB) into {} in {} ms",
                        report.pages,
                        report.files,
                        report.bytes as f64 / 1e6, // MB as du -b and bench.sh count them
                        opts.output_dir().display(),
                        start.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(
                    &diags,
                    color,
                    "build failed; the previous output was left untouched",
                ),
            }
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => {
            match planspor::serve::run(planspor::serve::ServeOptions {
                root,
                bind,
                port,
                open,
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::GenCorpus {
            out,
            seed,
            years,
            scale,
        } => {
            let opts = planspor::corpus::CorpusOptions {
                out,
                seed,
                years,
                scale,
            };
            match planspor::corpus::generate(&opts) {
                Ok(s) => {
                    eprintln!(
                        "wrote {} kredse, {} kommuner, {} plans, {} indsatsområder ({:.1} MB) to {}",
                        s.kredse,
                        s.kommuner,
                        s.plans,
                        s.indsatser,
                        s.bytes as f64 / 1_048_576.0,
                        opts.out.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: cannot write corpus to {}: {e}", opts.out.display());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check { root } => {
            let diags = planspor::check::check(&root);
            eprint!("{}", diags.render(color));
            if diags.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn fail(diags: &Diagnostics, color: bool, what: &str) -> ExitCode {
    eprint!("{}", diags.render(color));
    eprintln!("{what}");
    ExitCode::FAILURE
}
