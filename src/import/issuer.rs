//! The issuer named by `--issuer`: a kreds or a kommune of the site, and where its plans go.

use std::path::{Path, PathBuf};

use super::ImportError;
use crate::diagnostics::did_you_mean;
use crate::init::national;
use crate::load::{Loaded, PlanKind};

/// A kreds (its samarbejdsplaner) or a kommune (its handleplaner).
#[derive(Debug, Clone)]
pub struct Issuer {
    pub kreds: String,
    pub kommune: Option<String>,
    /// The district from the national data (names, kommuner), when it is a real one.
    pub national: Option<national::Kreds>,
    /// "Nordjyllands Politi" / "Hjørring Kommune"
    pub name: String,
}

impl Issuer {
    pub fn kind(&self) -> PlanKind {
        if self.kommune.is_some() {
            PlanKind::Handleplan
        } else {
            PlanKind::Samarbejdsplan
        }
    }

    /// `content/kredse/<kreds>[/kommuner/<kommune>]/<kind>-<key>.md`, relative to the root.
    pub fn plan_path(&self, years: &[i64]) -> PathBuf {
        let key = match years {
            [a, .., b] => format!("{a}-{b}"),
            [a] => a.to_string(),
            [] => String::new(),
        };
        let mut p = PathBuf::from("content/kredse").join(&self.kreds);
        if let Some(m) = &self.kommune {
            p = p.join("kommuner").join(m);
        }
        p.join(format!("{}-{key}.md", self.kind().as_str()))
    }

    /// What the plan's publisher is called: "Lokalrådet i Hjørring Kommune" or the
    /// district's name.
    pub fn publisher(&self) -> String {
        match &self.kommune {
            Some(_) => format!("Lokalrådet i {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Finds `slug` among the site's kredse and kommuner.
pub fn resolve(root: &Path, loaded: &Loaded, given: &str) -> Result<Issuer, ImportError> {
    let nat = national::kredse();
    // A name as people write it ("Ærø", "Hjørring") finds its slug (`aeroe`).
    let slugged = crate::slug::slugify(given);
    let known = |s: &str| {
        loaded.kredse.iter().any(|(k, _)| k == s) || loaded.kommuner.iter().any(|(_, m, _)| m == s)
    };
    // So does a full name as the site writes it ("Nordjyllands Politi", "Hjørring
    // Kommune"): the kreds's `name`, the kommune's `name` or `full_name`.
    let named = |name: &str| crate::slug::slugify(name) == slugged;
    let by_name = (loaded.kredse.iter())
        .find(|(_, doc)| named(&doc.front.name))
        .map(|(k, _)| k.as_str())
        .or_else(|| {
            (loaded.kommuner.iter())
                .find(|(_, _, doc)| {
                    // `full_name` defaults to "<name> Kommune", as the site shows it.
                    let full = (doc.front.full_name.clone())
                        .unwrap_or_else(|| format!("{} Kommune", doc.front.name));
                    named(&doc.front.name) || named(&full)
                })
                .map(|(_, m, _)| m.as_str())
        });
    let slug = if known(given) {
        given
    } else if known(&slugged) {
        slugged.as_str()
    } else {
        by_name.unwrap_or(given)
    };
    if let Some((_, doc)) = loaded.kredse.iter().find(|(k, _)| k == slug) {
        return Ok(Issuer {
            kreds: slug.to_string(),
            kommune: None,
            national: nat.iter().find(|k| k.slug == slug).cloned(),
            name: doc.front.name.clone(),
        });
    }
    if let Some((k, m, doc)) = loaded.kommuner.iter().find(|(_, m, _)| m == slug) {
        return Ok(Issuer {
            kreds: k.clone(),
            kommune: Some(m.clone()),
            national: nat.iter().find(|n| &n.slug == k).cloned(),
            name: doc
                .front
                .full_name
                .clone()
                .unwrap_or_else(|| format!("{} Kommune", doc.front.name)),
        });
    }
    let known: Vec<&str> = loaded
        .kredse
        .iter()
        .map(|(k, _)| k.as_str())
        .chain(loaded.kommuner.iter().map(|(_, m, _)| m.as_str()))
        .collect();
    let mut e = ImportError::new(format!(
        "unknown issuer `{slug}`: no kreds or kommune of that slug in {}",
        root.join("content/kredse").display()
    ));
    // A real district (or one of its kommuner) this site does not have yet.
    let national = nat
        .iter()
        .find(|k| k.slug == slug || k.kommuner.iter().any(|m| m.slug == slug));
    e = match did_you_mean(slug, known.iter().copied()) {
        _ if national.is_some() && !known.is_empty() => {
            let (k, name) = national.map_or(("", ""), |k| (k.slug.as_str(), k.name.as_str()));
            let here = loaded.kredse.iter().any(|(s, _)| s == k);
            // Only the missing folder: copying the whole district over one the site
            // has would replace its edited files.
            let (what, copy) = if here {
                (
                    format!("`{slug}` is a kommune in {name} that this site has no folder for"),
                    format!("content/kredse/{k}/kommuner/{slug}"),
                )
            } else {
                (
                    format!("`{slug}` is in {name}, which this site does not have yet"),
                    format!("content/kredse/{k}"),
                )
            };
            e.with_help(format!(
                "{what}: make a site of that district in a new folder with `planspor init \"$(mktemp -d)/site\" --kreds {k}`, copy its `{copy}` into this site's (and any of its indsatsområder you need into content/indsatsomraader/), then import again"
            ))
        }
        Some(s) => e.with_help(format!("did you mean `{s}`?")),
        None if known.is_empty() => e.with_help("create the site first: `planspor init DIR`"),
        None => e.with_help(format!("slugs here: {}", known.join(", "))),
    };
    Err(e)
}
