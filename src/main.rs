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
// (perf), mimalloc much less. Built without transparent huge pages (`no_thp`): with
// them, the kernel zeroed whole 2 MiB pages for sparse arenas, 13 % of a national
// build's samples and 40 MB more peak memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its number in `mimalloc.h`, v2 and v3 alike: the
/// enum keeps deprecated entries so that the numbers stay put; the Rust crate has no
/// constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc 3 hands memory freed by one stage back to the system only after a second
/// (its default purge delay), so a national build's resident peak held each stage's
/// freed memory on top of the next one's: 191–209 MB. At 100 ms it is 172–178 MB at the
/// same speed; at 10 ms, 163 MB but 5 % slower (`/usr/bin/time`, national corpus).
/// `MIMALLOC_PURGE_DELAY` in the environment still wins.
fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called first thing in `main`, before any other thread exists
        // (mimalloc's option setters are not thread-safe).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
    }
}

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
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
        /// Publish plans marked `draft = true` too.
        #[arg(long)]
        drafts: bool,
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
        /// Port to listen on (0 picks a free one). Without it: 1111, or the next free one
        /// when that is in use; a port given that is in use is an error (a reverse proxy
        /// pointing at it would reach whatever holds it).
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Show plans marked `draft = true` too.
        #[arg(long)]
        drafts: bool,
    },
    /// Create a new site root with the chosen districts (all 12 by default) and their kommuner.
    Init {
        /// Folder to create (must be new or empty).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// A district's slug, e.g. nordjylland; repeat for several.
        #[arg(long = "kreds")]
        kredse: Vec<String>,
    },
    /// Import a plan (PDF or converted text) as a content-file draft, with a report.
    Import {
        /// The plan: a PDF, or the text/Markdown a PDF converter wrote.
        file: PathBuf,
        /// The kreds (samarbejdsplan) or kommune (handleplan) that issued it: its slug or
        /// its name as the site writes it ("Hjørring Kommune").
        #[arg(long)]
        issuer: String,
        /// The plan's year, when its title does not say.
        #[arg(long)]
        year: Option<i64>,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace an existing plan file.
        #[arg(long)]
        force: bool,
        /// Import a plan whose cover names another kommune than --issuer (a wrong cover).
        #[arg(long)]
        other_cover: bool,
        /// Report format: text (default) or json (on standard output).
        #[arg(long, default_value = "text")]
        report: String,
    },
    /// Create content: `new plan --issuer SLUG --year Y`.
    New {
        #[command(subcommand)]
        what: NewCommand,
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

#[derive(Subcommand)]
enum NewCommand {
    /// An empty plan with the issuer's previous plan's chapters and bindings.
    Plan {
        /// The kreds or kommune: its slug (`hjoerring`) or its name as the site writes it
        /// (`Hjørring`, "Hjørring Kommune", "Nordjyllands Politi").
        #[arg(long)]
        issuer: String,
        /// The plan's year.
        #[arg(long)]
        year: i64,
        /// Site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => build(
            BuildOptions {
                root,
                output,
                base_url,
                drafts,
                ..Default::default()
            },
            color,
        ),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => done(planspor::serve::run(planspor::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            drafts,
        })),
        Command::GenCorpus {
            out,
            seed,
            years,
            scale,
        } => gen_corpus(planspor::corpus::CorpusOptions {
            out,
            seed,
            years,
            scale,
        }),
        Command::Init { dir, kredse } => init(planspor::init::InitOptions { dir, kredse }),
        Command::Import {
            file,
            issuer,
            year,
            root,
            force,
            other_cover,
            report,
        } => import(
            planspor::import::ImportOptions {
                file,
                issuer,
                year,
                root,
                force,
                other_cover,
            },
            &report,
        ),
        Command::New {
            what: NewCommand::Plan { issuer, year, root },
        } => new_plan(&root, &issuer, year),
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

/// Success, or the error on standard error.
fn done<E: std::fmt::Display>(result: Result<(), E>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `planspor build`: the site, then one line saying what was published.
fn build(opts: BuildOptions, color: bool) -> ExitCode {
    let start = Instant::now();
    let had_output = opts.output_dir().exists();
    match site::build(&opts) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", report.warnings.render(color));
            }
            eprintln!(
                "built {} pages ({} files, {:.1} MB; {} written, {} unchanged; {} of the pages rendered) into {} in {} ms",
                report.pages,
                report.files,
                report.bytes as f64 / 1e6, // MB as du -b and bench.sh count them
                report.published.written,
                report.published.unchanged,
                report.rendered,
                opts.output_dir().display(),
                start.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(diags) => fail(
            &diags,
            color,
            if had_output {
                "build failed; the previous output was left untouched"
            } else {
                "build failed; nothing was written"
            },
        ),
    }
}

fn gen_corpus(opts: planspor::corpus::CorpusOptions) -> ExitCode {
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

fn init(opts: planspor::init::InitOptions) -> ExitCode {
    let dir = opts.dir.display();
    done(planspor::init::init(&opts).map(|s| {
        eprintln!(
            "wrote a new site to {dir}: {} {}, {} kommuner, {} indsatsområder ({} files)\n\
             next: fill in publisher, base_url and the accessibility contact in planspor.toml, then `planspor import PLAN.pdf --issuer SLUG --root {dir}`",
            s.kredse,
            if s.kredse == 1 { "kreds" } else { "kredse" },
            s.kommuner,
            s.indsatser,
            s.files
        );
    }))
}

/// `planspor import`: the report on standard error, or as JSON on standard output.
fn import(opts: planspor::import::ImportOptions, report: &str) -> ExitCode {
    match planspor::import::import(&opts) {
        Ok(r) if report == "json" => {
            println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Ok(r) => {
            eprint!("{}", r.render());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\nnothing was written");
            ExitCode::FAILURE
        }
    }
}

fn new_plan(root: &std::path::Path, issuer: &str, year: i64) -> ExitCode {
    done(
        planspor::import::newplan::new_plan(root, issuer, year).map(|(path, prev)| {
            let from = prev.map_or("no previous plan".into(), |p| {
                format!("chapters and bindings from {}", p.display())
            });
            eprintln!("wrote {} ({from})", path.display());
        }),
    )
}

/// `--base-url` is checked like `base_url` in planspor.toml, so a bad one is a usage
/// error before anything is read.
fn parse_base_url(s: &str) -> Result<String, String> {
    planspor::config::normalize_base_url(s).map_err(|why| format!("`{s}` {why}"))
}

fn fail(diags: &Diagnostics, color: bool, what: &str) -> ExitCode {
    eprint!("{}", diags.render(color));
    eprintln!("{what}");
    ExitCode::FAILURE
}
