//! Model: the validated, cross-linked site graph built from loaded files.
//!
//! Kredse own kommuner, issuers own plans (ordered by year, linked previous/next), plan
//! sections bind indsatsområder, and [`evolution`] derives how each indsatsområde moves
//! from one plan to the next. Everything is addressed by index into the `Site`'s
//! vectors, sorted by slug/year, so iteration order, and so the output, is
//! deterministic. The model knows nothing of URLs or HTML.

mod build;
pub mod diff;
pub mod digest;
pub mod evolution;
pub mod lint;
mod names;
pub mod text;
mod years;

pub use build::{
    add_evolution, build, build_graph, leave_out_drafts, update_plans, NotPatchable, YEAR_RANGE,
};

use serde::Serialize;
use std::path::PathBuf;

use crate::config::Config;
use crate::load::frontmatter::{Member, Signatory, SourceInfo, Statistic};
use crate::load::PlanKind;

/// The whole site.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub front: FrontPage,
    pub kredse: Vec<Kreds>,
    pub kommuner: Vec<Kommune>,
    /// Shared (`Arc`): serve copies the site while a background refresh reads the old
    /// one, and then copies pointers, not plans.
    pub plans: Vec<std::sync::Arc<Plan>>,
    pub indsatser: Vec<Indsats>,
    /// Every year some plan covers, ascending.
    pub years: Vec<i64>,
    pub evolution: evolution::Evolution,
    /// Normalised title or alias ([`text::normalize_title`]) → indsatsområde.
    pub titles: std::collections::HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct FrontPage {
    pub title: String,
    pub description: Option<String>,
    pub body_md: String,
}

/// A police district (politikreds) and its kredsråd.
#[derive(Debug, Clone)]
pub struct Kreds {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub council: String,
    pub website: Option<String>,
    pub body_md: String,
    pub file: PathBuf,
    /// Indices into `Site::kommuner`, by slug.
    pub kommuner: Vec<usize>,
    /// Its samarbejdsplaner, by year.
    pub plans: Vec<usize>,
}

/// A municipality and its lokalråd.
#[derive(Debug, Clone)]
pub struct Kommune {
    pub slug: String,
    pub name: String,
    pub full_name: String,
    pub website: Option<String>,
    pub body_md: String,
    pub file: PathBuf,
    pub kreds: usize,
    /// Its handleplaner, by year.
    pub plans: Vec<usize>,
}

/// Who issues a plan: a kredsråd or a lokalråd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Issuer {
    Kreds(usize),
    Kommune(usize),
}

/// Danish month names, January first (dates are written `19. december 2024`).
pub const MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
];

/// A calendar date (front matter dates are dates without time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
pub struct Date {
    pub year: i64,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Serialize, Hash)]
pub struct Meeting {
    pub date: Date,
    pub time: Option<String>,
    pub place: Option<String>,
    /// The plan's remark on it ("borgmesteren inviteres").
    pub note: Option<String>,
}

/// Local priorities a district plan lists for one of its kommuner.
#[derive(Debug, Clone, Hash)]
pub struct LocalPriorities {
    pub kommune: usize,
    pub items: Vec<String>,
}

/// A samarbejdsplan or handleplan.
#[derive(Debug, Clone, Hash)]
pub struct Plan {
    pub kind: PlanKind,
    pub issuer: Issuer,
    /// Ascending; one year, or several for a multi-year plan.
    pub years: Vec<i64>,
    /// `2025` or `2025-2026`: the plan's key in URLs and file names.
    pub key: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub summary: Option<String>,
    pub approved: Option<Date>,
    pub approved_place: Option<String>,
    pub source: Option<SourceInfo>,
    pub signatories: Vec<Signatory>,
    pub members: Vec<Member>,
    pub meetings: Vec<Meeting>,
    pub local_priorities: Vec<LocalPriorities>,
    pub statistics: Vec<Statistic>,
    pub intro_md: String,
    pub sections: Vec<Section>,
    pub file: PathBuf,
    /// Marked `draft = true`: in the site only where drafts are asked for (`check`,
    /// `--drafts`).
    pub draft: bool,
    /// The same issuer's previous and next plan.
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

impl Plan {
    pub fn first_year(&self) -> i64 {
        self.years.first().copied().unwrap_or_default()
    }
    pub fn last_year(&self) -> i64 {
        self.years.last().copied().unwrap_or_default()
    }
    /// The indsatsområder its sections bind or name as sub-areas (`omfatter=`): every
    /// one the plan has, sorted, each once.
    pub fn named_ids(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self
            .sections
            .iter()
            .flat_map(|s| s.bindings.iter().chain(&s.covers).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
    /// The indsatsområder its sections bind, sorted, each once.
    pub fn bound_ids(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self
            .sections
            .iter()
            .flat_map(|s| s.bindings.iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// A heading of a plan and its own text (up to the next heading of any level).
#[derive(Debug, Clone, Hash)]
pub struct Section {
    pub level: u8,
    pub title: String,
    pub title_md: String,
    /// Unique within the plan; the fragment of its URL.
    pub anchor: String,
    pub line: usize,
    pub own_md: String,
    /// Index of the enclosing section, if any.
    pub parent: Option<usize>,
    /// One past the last section of this section's subtree.
    pub end: usize,
    /// Indsatsområder this section is the text of (indices into `Site::indsatser`).
    pub bindings: Vec<usize>,
    /// How the bindings came about.
    pub binding: Binding,
    /// Indsatsområder this section covers as sub-areas without headings of their own
    /// (`omfatter=`): when they get their own headings later they are split off
    /// (udskilt), not new.
    pub covers: Vec<usize>,
    /// Marked `{indsatser}`: a chapter holding the plan's indsatsområder.
    pub is_indsats_chapter: bool,
    /// Opted out (`{indsats=-}`) although its title is this indsatsområde's registered
    /// title or an alias: the plan writes about it outside its indsatsområder (standing
    /// work, an appendix). Its page says so rather than "no plan has it".
    pub mentions: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    None,
    /// `{indsats=…}`
    Explicit,
    /// Title matched a registered title or alias.
    Automatic,
    /// `{indsats=-}`: deliberately no indsatsområde.
    OptedOut,
}

/// An indsatsområde (initiative) from the registry.
#[derive(Debug, Clone)]
pub struct Indsats {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub theme: Option<String>,
    pub description: Option<String>,
    pub body_md: String,
    pub file: PathBuf,
    /// Every (plan, section) bound to it, by plan order.
    pub occurrences: Vec<(usize, usize)>,
    /// Every plan that names it, in a section of its own or as a sub-area of an umbrella
    /// (`omfatter=`), by plan order: the plans a reader would say it is in.
    pub plans: Vec<usize>,
    /// Every (plan, section) that writes about it outside the plan's indsatsområder
    /// ([`Section::mentions`]), by plan order.
    pub mentions: Vec<(usize, usize)>,
    /// The issuers whose plans bind it, in issuer order (one history page each).
    pub issuers: Vec<Issuer>,
    /// Its place among the titles in Danish order (equal titles share one): lists
    /// compare these instead of collating the titles again on every page.
    pub title_rank: usize,
    /// The indsatsområder it is related to (`related`, either way round), by title.
    pub related: Vec<usize>,
}

impl Site {
    pub fn issuer_plans(&self, issuer: Issuer) -> &[usize] {
        match issuer {
            Issuer::Kreds(k) => &self.kredse[k].plans,
            Issuer::Kommune(m) => &self.kommuner[m].plans,
        }
    }

    /// "Nordjylland" / "Hjørring Kommune": the issuer as a reader names it.
    pub fn issuer_name(&self, issuer: Issuer) -> &str {
        match issuer {
            Issuer::Kreds(k) => &self.kredse[k].short_name,
            Issuer::Kommune(m) => &self.kommuner[m].full_name,
        }
    }

    /// The kreds an issuer belongs to.
    pub fn issuer_kreds(&self, issuer: Issuer) -> usize {
        match issuer {
            Issuer::Kreds(k) => k,
            Issuer::Kommune(m) => self.kommuner[m].kreds,
        }
    }

    /// All issuers with at least one plan: each kreds followed by its kommuner.
    pub fn issuers(&self) -> Vec<Issuer> {
        let mut v = Vec::new();
        for (k, kreds) in self.kredse.iter().enumerate() {
            v.push(Issuer::Kreds(k));
            for &m in &kreds.kommuner {
                v.push(Issuer::Kommune(m));
            }
        }
        v
    }

    /// An issuer's position in [`Site::issuers`], without building that list: pages sort
    /// thousands of plans by issuer, and a linear search per comparison was quadratic.
    pub fn issuer_rank(&self, issuer: Issuer) -> usize {
        let kreds_start = |k: usize| -> usize {
            self.kredse[..k]
                .iter()
                .map(|kr| 1 + kr.kommuner.len())
                .sum()
        };
        match issuer {
            Issuer::Kreds(k) => kreds_start(k),
            Issuer::Kommune(m) => {
                let k = self.kommuner[m].kreds;
                let within = self.kredse[k].kommuner.binary_search(&m).unwrap_or(0);
                kreds_start(k) + 1 + within
            }
        }
    }

    /// The issuers whose plans bind indsatsområde `i`, in issuer order.
    pub fn indsats_issuers(&self, i: usize) -> &[Issuer] {
        &self.indsatser[i].issuers
    }

    /// The other titles indsatsområde `i` has had in this site's plans: the headings of
    /// the sections that are its text alone (a heading shared with another is not its
    /// name), numbering and a closing colon dropped, each once (as
    /// [`text::normalize_title`] compares), in plan order, without its own title.
    /// Registry aliases no plan used are not among them: a starter registry's aliases
    /// come from other districts' plans.
    pub fn titles_used(&self, i: usize) -> Vec<&str> {
        let ind = &self.indsatser[i];
        let mut seen = vec![text::normalize_title(&ind.title)];
        let mut titles = Vec::new();
        for &(p, s) in &ind.occurrences {
            let section = &self.plans[p].sections[s];
            if section.bindings.len() != 1 {
                continue;
            }
            let title = text::without_numbering(&section.title).trim_end_matches([':', ' ']);
            let key = text::normalize_title(title);
            if !key.is_empty() && !seen.contains(&key) {
                seen.push(key);
                titles.push(title);
            }
        }
        titles
    }

    /// "Nordjyllands Politi" / "Hjørring Kommune": the issuer's full name.
    pub fn issuer_full_name(&self, issuer: Issuer) -> &str {
        match issuer {
            Issuer::Kreds(k) => &self.kredse[k].name,
            Issuer::Kommune(m) => &self.kommuner[m].full_name,
        }
    }

    /// "Kredsrådet i Nordjyllands Politikreds" / "Lokalrådet i Hjørring Kommune": the
    /// council that issues the issuer's plans, as pages, feeds and data name it.
    pub fn issuer_council(&self, issuer: Issuer) -> String {
        match issuer {
            Issuer::Kreds(k) => self.kredse[k].council.clone(),
            Issuer::Kommune(m) => format!("Lokalrådet i {}", self.kommuner[m].full_name),
        }
    }

    /// Indsatsområder `a` and `b` in Danish title order (see [`Indsats::title_rank`]),
    /// ids breaking ties: the order of every list of them a reader scans.
    pub fn by_title(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let key = |i: usize| (self.indsatser[i].title_rank, &self.indsatser[i].id);
        key(a).cmp(&key(b))
    }

    /// The registered indsatsområde whose title or alias `text` is (as headings are
    /// matched: case, punctuation and numbering aside).
    pub fn indsats_named(&self, text: &str) -> Option<usize> {
        self.titles.get(&text::normalize_title(text)).copied()
    }

    pub fn kreds_by_slug(&self, slug: &str) -> Option<usize> {
        self.kredse
            .binary_search_by(|k| k.slug.as_str().cmp(slug))
            .ok()
    }
    pub fn kommune_by_slug(&self, slug: &str) -> Option<usize> {
        self.kommuner
            .binary_search_by(|k| k.slug.as_str().cmp(slug))
            .ok()
    }
    pub fn indsats_by_id(&self, id: &str) -> Option<usize> {
        self.indsatser
            .binary_search_by(|k| k.id.as_str().cmp(id))
            .ok()
    }
}
