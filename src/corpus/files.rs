//! The corpus's small files (configuration, front page, registry entries, issuer
//! indexes) and the indsatsområde sections both kinds of plan share.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::TOPICS;
use super::handleplan::handleplan;
use super::layout::Layout;
use super::lineage::{unit_text, Lineage};
use super::registry::{members, Ind};
use super::rng::{Rng, TAG_TEXT};
use super::samarbejdsplan::samarbejdsplan;
use super::select::Who;
use super::style::{style, Style};
use super::text::{push_blocks, Block, Voice};
use super::words::{and_list, q};
use super::CorpusOptions;

/// Everything shared by the writers of one corpus.
pub(super) struct World<'a> {
    pub(super) seed: u64,
    pub(super) first: i64,
    pub(super) ny: usize,
    pub(super) l: &'a Layout,
    pub(super) inds: &'a [Ind],
    /// [issuer][year] → units.
    pub(super) plans: &'a [Vec<Vec<usize>>],
}

impl World<'_> {
    pub(super) fn year(&self, y: usize) -> i64 {
        self.first + y as i64
    }
}

pub(super) fn config_file(opts: &CorpusOptions) -> String {
    format!(
        "# Written by `planspor gen-corpus --seed {} --years {} --scale {}`: a synthetic\n\
         # corpus for benchmarks and scale tests. The districts and kommuner are real; the\n\
         # plans, people and texts are not.\n\
         title = \"Syntetisk landskorpus\"\n\
         description = \"Syntetiske samarbejdsplaner og handleplaner til ydelses- og skalatest af planspor.\"\n\
         base_url = \"https://korpus.planspor.test/\"\n\
         language = \"da\"\n\
         theme = \"standard\"\n\
         publisher = \"Syntetisk testkorpus\"\n\
         \n\
         [accessibility]\n\
         contact_email = \"tilgaengelighed@korpus.planspor.test\"\n\
         statement_date = \"23. november 2026\"\n\
         known_issues = []\n",
        opts.seed, opts.years, opts.scale
    )
}

pub(super) fn front_page(w: &World, opts: &CorpusOptions) -> String {
    let last = w.year(w.ny - 1);
    format!(
        "+++\ntitle = \"Syntetisk landskorpus\"\n\
         description = {}\n+++\n\n\
         Dette er et **syntetisk** korpus til ydelses- og skalatest af planspor. Politikredsene og \
         kommunerne er de rigtige, men planerne, personerne og teksterne er genereret (seed {}) ud fra \
         ordforråd og opbygning i rigtige samarbejdsplaner og handleplaner. Det er ikke rigtige planer.\n\n\
         Korpusset har {} politikredse og {} kommuner med en samarbejdsplan og en handleplan om året fra \
         {} til {last} og {} indsatsområder, som kommer til, videreføres, ændres, lægges sammen, udgår og \
         genoptages.\n",
        q(&format!(
            "Syntetiske samarbejdsplaner og handleplaner for {} politikredse og {} kommuner, {}–{last}.",
            w.l.kredse.len(),
            w.l.kommuner.len(),
            w.first
        )),
        opts.seed,
        w.l.kredse.len(),
        w.l.kommuner.len(),
        w.first,
        w.inds.len()
    )
}

pub(super) fn registry_file(ind: &Ind) -> String {
    let t = &TOPICS[ind.topic];
    let mut s = String::with_capacity(512);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", q(&ind.title));
    if !ind.aliases.is_empty() {
        s.push_str("aliases = [\n");
        for a in &ind.aliases {
            let _ = writeln!(s, "  {},", q(a));
        }
        s.push_str("]\n");
    }
    let _ = writeln!(s, "theme = {}", q(&t.theme));
    s.push_str("+++\n\n");
    s.push_str(&t.about);
    s.push('\n');
    s
}

pub(super) fn issuer_files(w: &World, ix: usize, who: Who) -> Vec<(String, String)> {
    let mut files = Vec::with_capacity(w.ny + 1);
    let mut rng = Rng::keyed(w.seed, &[TAG_TEXT, ix as u64]);
    let mut lines: BTreeMap<Vec<usize>, Lineage> = BTreeMap::new();
    let st = style(w.seed, ix);
    match who {
        Who::Kreds(k) => {
            let kr = &w.l.kredse[k];
            let dir = format!("content/kredse/{}", kr.slug);
            files.push((format!("{dir}/_index.md"), kreds_index(w, k)));
            let v = Voice {
                pol: &kr.name,
                lok: "kommunerne".into(),
                omr: "politikredsen",
                by: &kr.short,
            };
            for y in 0..w.ny {
                let text = samarbejdsplan(w, k, ix, y, &st, &v, &mut rng, &mut lines);
                files.push((format!("{dir}/samarbejdsplan-{}.md", w.year(y)), text));
            }
        }
        Who::Kommune(m) => {
            let ko = &w.l.kommuner[m];
            let kr = &w.l.kredse[ko.kreds];
            let dir = format!("content/kredse/{}/kommuner/{}", kr.slug, ko.slug);
            files.push((
                format!("{dir}/_index.md"),
                format!(
                    "+++\nname = {}\nfull_name = {}\n+++\n\nI lokalrådet samarbejder {} og {} om \
                     kriminalitetsforebyggelse og tryghed; lokalrådet udgiver hvert år en \
                     handleplan.\n",
                    q(&ko.name),
                    q(&ko.full),
                    ko.full,
                    kr.name
                ),
            ));
            let v = Voice {
                pol: &kr.name,
                lok: ko.full.clone(),
                omr: "kommunen",
                by: &ko.name,
            };
            for y in 0..w.ny {
                let text = handleplan(w, m, ix, y, &st, &v, &mut rng, &mut lines);
                files.push((format!("{dir}/handleplan-{}.md", w.year(y)), text));
            }
        }
    }
    files
}

pub(super) fn kreds_index(w: &World, k: usize) -> String {
    let kr = &w.l.kredse[k];
    let names: Vec<String> = kr
        .kommuner
        .iter()
        .map(|&m| w.l.kommuner[m].name.clone())
        .collect();
    let mut s = format!(
        "+++\nname = {}\nshort_name = {}\ncouncil = {}\n",
        q(&kr.name),
        q(&kr.short),
        q(&kr.council)
    );
    if let Some(site) = &kr.website {
        let _ = writeln!(s, "website = {}", q(site));
    }
    s.push_str("+++\n\n");
    if names.len() == 1 {
        let _ = writeln!(
            s,
            "{} dækker {}. Kredsrådet består af politidirektøren og borgmesteren og udgiver hvert år \
             en samarbejdsplan.",
            kr.name, w.l.kommuner[kr.kommuner[0]].full
        );
    } else {
        let _ = writeln!(
            s,
            "{} dækker {} kommuner: {}. Kredsrådet består af politidirektøren og borgmestrene i \
             kredsens kommuner og udgiver hvert år en samarbejdsplan.",
            kr.name,
            names.len(),
            and_list(&names)
        );
    }
    s
}

/// The plan's indsatsområder, as sections of `level` numbered under `chapter`.
#[allow(clippy::too_many_arguments)]
pub(super) fn indsats_sections(
    w: &World,
    out: &mut String,
    ix: usize,
    y: usize,
    chapter: usize,
    st: &Style,
    v: &Voice,
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
    long: bool,
) -> Vec<String> {
    let year = w.year(y);
    let units = &w.plans[ix][y];
    let mut rendered: Vec<(String, Vec<usize>, Vec<Block>)> = Vec::new();
    for &u in units {
        let (h, text) = unit_text(rng, lines, w.inds, u, y, v, long);
        rendered.push((h, members(w.inds, u, y), text));
    }
    let headings: Vec<String> = rendered.iter().map(|r| r.0.clone()).collect();
    if !headings.is_empty() {
        out.push_str(match st.chapter_kind % 2 {
            0 => "Der er tale om følgende indsatsområder:\n\n",
            _ => "Indsatsområderne er:\n\n",
        });
        for h in &headings {
            let _ = writeln!(out, "- {h}");
        }
        out.push('\n');
    }
    for (i, (h, ms, text)) in rendered.iter().enumerate() {
        let ids: Vec<&str> = ms.iter().map(|&m| w.inds[m].id.as_str()).collect();
        let _ = write!(
            out,
            "### {} {h} {{indsats={}}}\n\n",
            st.num(&[chapter, i + 1]),
            ids.join(",")
        );
        push_blocks(out, text, 3, year);
    }
    headings
}

/// A plan's `[source]` table: the cover's title, the publisher, the title as printed
/// inside, and a note that the plan is synthetic.
pub(super) fn source_table(s: &mut String, title: &str, publisher: &str, printed: &str, seed: u64) {
    use std::fmt::Write as _;
    let q = super::words::q;
    s.push_str("\n[source]\n");
    let _ = writeln!(s, "title = {}", q(title));
    let _ = writeln!(s, "publisher = {}", q(publisher));
    s.push_str("format = \"PDF\"\n");
    let _ = writeln!(s, "printed_titles = [{}]", q(printed));
    let _ = writeln!(
        s,
        "note = {}",
        q(&format!(
            "Syntetisk plan fra planspor gen-corpus (seed {seed}); ikke en rigtig plan."
        ))
    );
}
