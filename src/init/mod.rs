//! `planspor init`: a new site root that builds at once, with the chosen districts and
//! all their kommuner from the national data, and a starter registry of indsatsområder.

pub mod national;
mod registry;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostics::did_you_mean;

pub use registry::{starter_registry, StarterIndsats};

/// What to create.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    /// Kreds slugs; empty means all 12.
    pub kredse: Vec<String>,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct InitSummary {
    pub kredse: usize,
    pub kommuner: usize,
    pub indsatser: usize,
    pub files: usize,
}

/// Writes the site. Refuses a folder that exists and is not empty, and unknown slugs.
pub fn init(opts: &InitOptions) -> Result<InitSummary, String> {
    let chosen = choose(&opts.kredse)?;
    if let Ok(mut entries) = std::fs::read_dir(&opts.dir) {
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; `planspor init` only writes into a new or empty folder",
                opts.dir.display()
            ));
        }
    }
    let mut files: Vec<(PathBuf, String)> = vec![
        ("planspor.toml".into(), config_toml()),
        ("content/_index.md".into(), front_page()),
        (".gitignore".into(), GITIGNORE.into()),
    ];
    let registry = starter_registry();
    for ind in &registry {
        files.push((
            format!("content/indsatsomraader/{}.md", ind.id).into(),
            ind.to_markdown(),
        ));
    }
    let mut summary = InitSummary {
        kredse: chosen.len(),
        indsatser: registry.len(),
        ..Default::default()
    };
    for k in &chosen {
        let dir = PathBuf::from("content/kredse").join(&k.slug);
        files.push((dir.join("_index.md"), kreds_index(k)));
        for m in &k.kommuner {
            files.push((
                dir.join("kommuner").join(&m.slug).join("_index.md"),
                kommune_index(k, m),
            ));
            summary.kommuner += 1;
        }
    }
    write_all(&opts.dir, &files)
        .map_err(|e| format!("cannot write {}: {e}", opts.dir.display()))?;
    summary.files = files.len();
    Ok(summary)
}

/// For a site kept in git: the built site and the state folder `build` keeps beside it
/// (see the README's "What a host sees during a publish") are not sources.
const GITIGNORE: &str = "# Written by `planspor build`: the site, and the release it keeps beside it\n/public/\n/.public.planspor/\n";

/// The districts named by slug (all when none), or an error with a did-you-mean.
fn choose(slugs: &[String]) -> Result<Vec<national::Kreds>, String> {
    let all = national::kredse();
    if slugs.is_empty() {
        return Ok(all);
    }
    let mut out = Vec::new();
    for s in slugs {
        match all.iter().find(|k| &k.slug == s) {
            Some(k) if !out.iter().any(|o: &national::Kreds| o.slug == k.slug) => {
                out.push(k.clone())
            }
            Some(_) => {}
            None => {
                let hint = did_you_mean(s, all.iter().map(|k| k.slug.as_str()))
                    .map(|h| format!("; did you mean `{h}`?"))
                    .unwrap_or_default();
                let known: Vec<&str> = all.iter().map(|k| k.slug.as_str()).collect();
                return Err(format!(
                    "unknown kreds `{s}`{hint} (known: {})",
                    known.join(", ")
                ));
            }
        }
    }
    Ok(out)
}

fn write_all(root: &Path, files: &[(PathBuf, String)]) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
    }
    Ok(())
}

fn config_toml() -> String {
    "# planspor site configuration. Fill in the publisher and the address the site is\n\
     # published at; everything else works as it is. See README.md for every key.\n\
     \n\
     # The site's name: the first part of every page title.\n\
     title = \"Samarbejdsplaner\"\n\
     # One sentence for search engines and link previews.\n\
     description = \"Samarbejdsplaner og handleplaner fra politi og kommuner, indsatsområde for indsatsområde.\"\n\
     # The address the site is published at; a sub-path works too. Every link starts with its path.\n\
     base_url = \"https://www.example.dk/samarbejdsplaner/\"\n\
     # The pages' language (lang attribute).\n\
     language = \"da\"\n\
     # themes/<theme>/ if the folder exists; \"standard\" is also built into planspor.\n\
     theme = \"standard\"\n\
     # Who publishes the site: shown in the footer and the accessibility statement.\n\
     publisher = \"Politikreds eller kommune\"\n\
     \n\
     # Facts for the accessibility statement (tilgængelighedserklæring), /tilgaengelighed/.\n\
     [accessibility]\n\
     # Where readers report accessibility problems.\n\
     contact_email = \"webmaster@example.dk\"\n\
     # When the statement was last reviewed, as readers should see it.\n\
     statement_date = \"1. januar 2026\"\n\
     # Known problems, one sentence each.\n\
     known_issues = []\n"
        .to_string()
}

fn front_page() -> String {
    "+++\ntitle = \"Samarbejdsplaner mellem politi og kommuner\"\n+++\n\n\
     Politiet og kommunerne samarbejder om at forebygge kriminalitet og skabe tryghed. \
     I hver politikreds udgiver **kredsrådet** hvert år en **samarbejdsplan**, og i hver \
     kommune omsætter et **lokalråd** den til en **handleplan**.\n"
        .to_string()
}

/// A TOML basic string.
pub(crate) fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn kreds_index(k: &national::Kreds) -> String {
    let names: Vec<&str> = k.kommuner.iter().map(|m| m.name.as_str()).collect();
    let list = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} og {last}", rest.join(", ")),
        _ => names.join(""),
    };
    let count = k.kommuner.len();
    let noun = if count == 1 { "kommune" } else { "kommuner" };
    let mut s = String::from("+++\n");
    let _ = writeln!(s, "name = {}", quote(&k.name));
    let _ = writeln!(s, "short_name = {}", quote(&k.short_name));
    let _ = writeln!(s, "council = {}", quote(&k.council()));
    let _ = writeln!(s, "website = {}", quote(&k.website()));
    let _ = write!(
        s,
        "+++\n\n{} dækker {count} {noun}: {list}. Kredsrådet består af politidirektøren og \
         borgmestrene i kredsens kommuner og udgiver hvert år en samarbejdsplan.\n",
        k.name
    );
    s
}

fn kommune_index(k: &national::Kreds, m: &national::Kommune) -> String {
    format!(
        "+++\nname = {}\nfull_name = {}\n+++\n\nI lokalrådet samarbejder {} og {} om \
         kriminalitetsforebyggelse og tryghed.\n",
        quote(&m.name),
        quote(&m.full_name),
        m.full_name,
        k.name
    )
}
