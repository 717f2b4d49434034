//! The index's documents, in their fixed order: every plan's text before its first
//! heading (when it has any) and sections (heading and own text), then every
//! indsatsområde, kommune and kreds page. Each is counted and goes
//! into its `d/` file as it comes, so the site's text is never held whole.
//!
//! A plan's word counts are kept in the memo under its sections' titles and texts
//! ([`PlanCounts`]). After an edit, only the edited plans are made plain and counted
//! again: at national scale that work was a quarter of a republish's, and the longest
//! chain of it. A `d/` file is kept by a hash of what it is made from (a section's
//! Markdown, not its plain text), so a kept plan's plain text is made only when a file
//! that shows it has to be written.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{cap, text, to_json, Counts, Group, ABOUT, ABOUT_PARENT, DOC_SHARD, FLAGS, FLAG_BITS};
use crate::diagnostics::Diagnostic;
use crate::memo::Memo;
use crate::model::{text::bound_ancestor, Issuer, Site};
use crate::render::{value::value, Sink};
use crate::routes::{Page, Routes};

/// Plans whose documents are made at once, in parallel: enough to keep both cores
/// busy, few enough that the site's text is never held whole.
const PLANS_AT_ONCE: usize = 64;
/// The memo's name for [`PlanCounts`].
const COUNTS: &str = "search-counts";

/// A document as its `d/` file shows it.
struct Shown<'a> {
    title: &'a str,
    /// What is searched as its title, when more than the title shown: an
    /// indsatsområde's id, a plan's issuer.
    names: Option<String>,
    /// What else it is found by: a section's indsatsområder by title and id, which it
    /// need not write ("trafiksikkerhed" did not find the sections "Indsatser for mere
    /// sikker trafik" and "Færdselsikkerhed" bound to it), those of its nearest bound
    /// section (the filter's); with [`ABOUT`] when they are its own bindings, else
    /// [`ABOUT_PARENT`].
    about: (String, u32),
    context: String,
    url: String,
    kind: &'static str,
    text: Text<'a>,
}

impl Shown<'_> {
    fn names(&self) -> &str {
        self.names.as_deref().unwrap_or(self.title)
    }
}

/// A document's text: a page's plain text, or a plan section's Markdown and, when it
/// was made (to count its words), its plain text.
enum Text<'a> {
    Plain(String),
    Section { md: &'a str, plain: Option<String> },
}

impl Text<'_> {
    /// The plain text, when it is made.
    fn made(&self) -> Option<&str> {
        match self {
            Text::Plain(s) | Text::Section { plain: Some(s), .. } => Some(s),
            Text::Section { plain: None, .. } => None,
        }
    }

    fn into_plain(self) -> String {
        match self {
            Text::Plain(s) | Text::Section { plain: Some(s), .. } => s,
            Text::Section { md, plain: None } => text::plain(md),
        }
    }
}

/// A plan's word counts as the memo keeps them. Term ids are each build's own, so the
/// plan's distinct stems are kept once and its counts refer to them by number.
#[derive(Serialize, Deserialize)]
struct PlanCounts {
    /// The stems, each followed by a newline.
    stems: String,
    /// Per section: its body's length in terms, and how many entries of `tf` are its.
    docs: Vec<(u32, u32)>,
    /// (stem number above the flags of `Counts::tf`, times in the body), section by
    /// section.
    tf: Vec<(u32, u32)>,
}

impl PlanCounts {
    /// Whether these counts can be a plan's with `docs` documents (a memo value is
    /// checked against its hash, but is still not trusted to index within bounds).
    fn fits(&self, docs: usize) -> bool {
        // Each stem ends in a newline: counted by memchr, not line by line.
        let stems = memchr::memchr_iter(b'\n', self.stems.as_bytes()).count() as u32;
        self.docs.len() == docs
            && self.docs.iter().map(|d| d.1 as usize).sum::<usize>() == self.tf.len()
            && self.tf.iter().all(|&(t, _)| t >> FLAG_BITS < stems)
    }
}

/// A plan's documents, as the parallel part hands them over.
struct PlanDocs<'a> {
    group: Group,
    shown: Vec<Shown<'a>>,
    /// Each section's indsatsområder (for the filter).
    indsatser: Vec<Vec<usize>>,
    counts: Option<PlanCounts>,
    /// The memo's inputs for the plan's counts: each section's title and Markdown (the
    /// words of what the sections are about are in `shown`).
    inputs: Vec<&'a str>,
}

impl PlanDocs<'_> {
    /// The memo's inputs for the plan's counts (see [`counts_inputs`]).
    fn inputs(&self) -> Vec<&str> {
        counts_inputs(&self.inputs, self.shown.iter().map(|doc| &doc.about))
    }
}

/// The memo's inputs for a plan's counts: `inputs` (its texts), and what each document
/// is about ([`Shown::about`]), its words and their kind.
fn counts_inputs<'k>(
    inputs: &[&'k str],
    about: impl Iterator<Item = &'k (String, u32)>,
) -> Vec<&'k str> {
    let about = about.flat_map(|(words, flag)| [words.as_str(), flag_input(*flag)]);
    inputs.iter().copied().chain(about).collect()
}

/// Counts every document and writes its `d/` file; returns the counts and the runs of
/// documents that share facets.
pub(super) fn count(
    site: &Site,
    r: &Routes,
    sink: &dyn Sink,
) -> Result<(Counts, Vec<Group>), Diagnostic> {
    let mut docs = Documents {
        counts: Counts::new(site.indsatser.len()),
        groups: Vec::new(),
        shard: Vec::with_capacity(DOC_SHARD),
        shown: 0,
        sink,
    };
    let memo = sink.memo();
    let names = indsats_names(site);
    for start in (0..site.plans.len()).step_by(PLANS_AT_ONCE) {
        let made: Vec<PlanDocs> = (start..site.plans.len().min(start + PLANS_AT_ONCE))
            .into_par_iter()
            .map(|p| plan_documents(site, r, &names, p, memo))
            .collect();
        for plan in made {
            docs.plan(plan, memo)?;
        }
    }
    pages(site, r, &names, &mut docs)?;
    docs.finish()
}

/// Documents counted in order, their `d/` files written a shard at a time.
struct Documents<'a, 's> {
    counts: Counts,
    groups: Vec<Group>,
    shard: Vec<Shown<'a>>,
    /// Documents handed to `shard` so far.
    shown: usize,
    sink: &'s dyn Sink,
}

impl<'a> Documents<'a, '_> {
    /// A plan's sections: counted, or their counts taken from the memo.
    fn plan(&mut self, plan: PlanDocs<'a>, memo: Option<&Memo>) -> Result<(), Diagnostic> {
        let first = self.counts.docs.len();
        self.groups.push(Group {
            start: first,
            ..plan.group
        });
        match &plan.counts {
            Some(kept) => self.counts.add_kept(kept, &plan.indsatser),
            None => {
                // Made plain in `plan_documents` when the memo had no counts.
                for (doc, ind) in plan.shown.iter().zip(&plan.indsatser) {
                    if let Some(text) = doc.text.made() {
                        let about = (doc.about.0.as_str(), doc.about.1);
                        self.counts.add(doc.names(), text, about, false, ind);
                    }
                }
                if let Some(memo) = memo {
                    memo.put(COUNTS, &plan.inputs(), &self.counts.plan_counts(first));
                }
            }
        }
        plan.shown.into_iter().try_for_each(|doc| self.show(doc))
    }

    /// A page: counted.
    fn page(&mut self, doc: Shown<'a>, indsatser: &[usize]) -> Result<(), Diagnostic> {
        if let Some(text) = doc.text.made() {
            self.counts.add(doc.names(), text, ("", 0), true, indsatser);
        }
        self.show(doc)
    }

    fn show(&mut self, doc: Shown<'a>) -> Result<(), Diagnostic> {
        self.shard.push(doc);
        self.shown += 1;
        if self.shard.len() == DOC_SHARD {
            let full = std::mem::take(&mut self.shard);
            put_doc_shard(self.sink, (self.shown - 1) / DOC_SHARD, full)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<(Counts, Vec<Group>), Diagnostic> {
        if !self.shard.is_empty() {
            let last = std::mem::take(&mut self.shard);
            put_doc_shard(self.sink, self.shown / DOC_SHARD, last)?;
        }
        Ok((self.counts, self.groups))
    }
}

/// Plan `p`'s sections as documents, and their facets (numbered by the caller); their
/// plain text made only when the memo has no counts of their texts.
fn plan_documents<'a>(
    site: &'a Site,
    r: &Routes,
    names: &[String],
    p: usize,
    memo: Option<&Memo>,
) -> PlanDocs<'a> {
    let plan = &site.plans[p];
    let (kreds, kommune) = match plan.issuer {
        Issuer::Kreds(k) => (k as i64, -1),
        Issuer::Kommune(m) => (site.kommuner[m].kreds as i64, m as i64),
    };
    let group = Group {
        start: 0,
        kreds,
        kommune,
        years: (plan.first_year(), plan.last_year()),
        kind: i64::from(plan.kind == crate::load::PlanKind::Handleplan),
    };
    // The plan itself, ahead of its sections: titled by it, searched by its title and
    // issuer ("handleplan 2026", "samarbejdsplan østjylland" found only sections that
    // happened to say so), its text the text before the first heading or else its
    // summary, linking to its page.
    let issuer = site.issuer_name(plan.issuer);
    let lead = match plan.intro_md.trim() {
        "" => plan.summary.as_deref().unwrap_or_default(),
        _ => plan.intro_md.as_str(),
    };
    let mut inputs: Vec<&str> = vec!["\0plan", &plan.title, issuer, lead];
    inputs.extend((plan.sections.iter()).flat_map(|s| [s.title.as_str(), s.own_md.as_str()]));
    // Each document's indsatsområder: a section's are its nearest bound section's, its
    // own or an enclosing one's (the filter's, and the words it is found by).
    let indsatser: Vec<Vec<usize>> = std::iter::once(Vec::new())
        .chain((0..plan.sections.len()).map(|s| {
            bound_ancestor(&plan.sections, s)
                .map(|a| plan.sections[a].bindings.clone())
                .unwrap_or_default()
        }))
        .collect();
    let about: Vec<(String, u32)> = (indsatser.iter().enumerate())
        .map(|(d, ids)| {
            let own = d > 0 && !plan.sections[d - 1].bindings.is_empty();
            let flag = if own { ABOUT } else { ABOUT_PARENT };
            let words: Vec<&str> = ids.iter().map(|&i| names[i].as_str()).collect();
            (words.join(" "), flag)
        })
        .collect();
    let docs = plan.sections.len() + 1;
    let counts = memo
        .and_then(|m| m.get::<PlanCounts>(COUNTS, &counts_inputs(&inputs, about.iter())))
        .filter(|c| c.fits(docs));
    let context = format!("{} – {}", plan.title, issuer);
    let mut about = about.into_iter();
    let mut section = |title, url, kind, md: &'a str| Shown {
        title,
        names: None,
        about: about.next().unwrap_or_default(),
        context: context.clone(),
        url,
        kind,
        text: Text::Section {
            md,
            plain: counts.is_none().then(|| text::plain(md)),
        },
    };
    let plan_doc = Shown {
        names: Some(format!("{} {issuer}", plan.title)),
        ..section(&plan.title, r.url(Page::Plan(p)), "Plan", lead)
    };
    let sections = (plan.sections.iter().enumerate())
        .map(|(s, sec)| section(&sec.title, r.section(p, s), "Afsnit", &sec.own_md));
    let shown = std::iter::once(plan_doc).chain(sections).collect();
    PlanDocs {
        group,
        shown,
        indsatser,
        counts,
        inputs,
    }
}

/// A flag of [`Shown::about`] as a memo input.
fn flag_input(flag: u32) -> &'static str {
    if flag == ABOUT {
        "\0about"
    } else {
        "\0about from above"
    }
}

/// Each indsatsområde's names as words: its title, and its id, its short name in its
/// address ("trafiksikkerhed" for "Sikker trafik og færdselssikkerhed"). Its page is
/// searched by them as by its title, and a section bound to it is about them.
fn indsats_names(site: &Site) -> Vec<String> {
    (site.indsatser.iter())
        .map(|ind| format!("{} {}", ind.title, ind.id.replace('-', " ")))
        .collect()
}

/// The indsatsområde, kommune and kreds pages as documents, after the plans'.
fn pages<'a>(
    site: &'a Site,
    r: &Routes,
    names: &[String],
    docs: &mut Documents<'a, '_>,
) -> Result<(), Diagnostic> {
    let none = |start| Group {
        start,
        kreds: -1,
        kommune: -1,
        years: (-1, -1),
        kind: -1,
    };
    let page = |title: &'a str, context: String, url: String, kind, text: String| Shown {
        title,
        names: None,
        about: (String::new(), 0),
        context,
        url,
        kind,
        text: Text::Plain(text),
    };
    docs.groups.push(none(docs.counts.docs.len()));
    for (i, ind) in site.indsatser.iter().enumerate() {
        // Its aliases are searched (a registry alias is a name people use), joined as
        // sentences; an empty part leaves no stray ". " at the snippet's start.
        let parts = (ind.aliases.iter().map(String::as_str)).chain(
            [&ind.theme, &ind.description]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        let mut body = parts
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(". ");
        body.push(' ');
        body.push_str(&text::plain(&ind.body_md));
        let url = r.url(Page::Indsats(i));
        let doc = page(
            &ind.title,
            "Indsatsområde".into(),
            url,
            "Indsatsområde",
            body.trim().into(),
        );
        // Its id is matched as its title is: a reader searching for that word means this
        // page, not a section that uses it more often.
        docs.page(
            Shown {
                names: Some(names[i].clone()),
                ..doc
            },
            &[i],
        )?;
    }
    for (m, km) in site.kommuner.iter().enumerate() {
        docs.groups.push(Group {
            kreds: km.kreds as i64,
            kommune: m as i64,
            ..none(docs.counts.docs.len())
        });
        let context = format!("Kommune i {}", site.kredse[km.kreds].name);
        let url = r.url(Page::Kommune(m));
        let doc = page(
            &km.full_name,
            context,
            url,
            "Kommune",
            text::plain(&km.body_md),
        );
        docs.page(doc, &[])?;
    }
    for (k, kr) in site.kredse.iter().enumerate() {
        docs.groups.push(Group {
            kreds: k as i64,
            ..none(docs.counts.docs.len())
        });
        let url = r.url(Page::Kreds(k));
        let doc = page(
            &kr.name,
            "Politikreds".into(),
            url,
            "Politikreds",
            text::plain(&kr.body_md),
        );
        docs.page(doc, &[])?;
    }
    Ok(())
}

/// The `d/` file number `n`. Kept when its documents are made from what the last
/// build's were (most are, after an edit that keeps the number of sections): hashing
/// their sources is cheaper than making their plain text and JSON.
fn put_doc_shard(sink: &dyn Sink, n: usize, docs: Vec<Shown>) -> Result<(), Diagnostic> {
    let path = format!("data/soeg/d/{n}.json");
    let mut parts: Vec<&str> = Vec::with_capacity(docs.len() * 6);
    for d in &docs {
        parts.extend([d.title, &d.context, &d.url, d.kind]);
        match &d.text {
            Text::Plain(s) => parts.extend(["plain", s]),
            Text::Section { md, .. } => parts.extend(["markdown", md]),
        }
    }
    let key = Memo::key_of(&parts);
    if sink.keep(&path, key) {
        return Ok(());
    }
    let rows: Vec<Value> = docs
        .into_iter()
        .map(|d| {
            let text = cap(&d.text.into_plain()).to_string();
            value!([d.title, d.context, d.url, text, d.kind])
        })
        .collect();
    sink.put_made_from(path, key, to_json(&Value::Array(rows)))
}

impl Counts {
    /// Adds the counts the memo kept for a plan's sections (see [`PlanCounts`]).
    fn add_kept(&mut self, kept: &PlanCounts, indsatser: &[Vec<usize>]) {
        let ids: Vec<u32> = kept.stems.lines().map(|s| self.vocab.stem_id(s)).collect();
        let mut at = 0;
        for (&(len, entries), ind) in kept.docs.iter().zip(indsatser) {
            let n = self.docs.len() as u32;
            let end = at + entries as usize;
            self.tf.extend(kept.tf[at..end].iter().map(|&(t, body)| {
                (
                    ids[(t >> FLAG_BITS) as usize] << FLAG_BITS | (t & FLAGS),
                    body,
                )
            }));
            at = end;
            self.starts.push(self.tf.len());
            self.docs.push((len, false));
            for &i in ind {
                self.by_indsats[i].push(n);
            }
        }
    }

    /// The counts of documents `first..` (one plan's sections) as the memo keeps them.
    fn plan_counts(&self, first: usize) -> PlanCounts {
        let mut local: FxHashMap<u32, u32> = FxHashMap::default();
        let mut stems = String::new();
        let mut docs = Vec::with_capacity(self.docs.len() - first);
        let mut tf = Vec::with_capacity(self.tf.len() - self.starts[first]);
        for d in first..self.docs.len() {
            let entries = &self.tf[self.starts[d]..self.starts[d + 1]];
            docs.push((self.docs[d].0, entries.len() as u32));
            for &(t, body) in entries {
                let next = local.len() as u32;
                let id = *local.entry(t >> FLAG_BITS).or_insert_with(|| {
                    stems.push_str(&self.vocab.terms[(t >> FLAG_BITS) as usize]);
                    stems.push('\n');
                    next
                });
                tf.push((id << FLAG_BITS | (t & FLAGS), body));
            }
        }
        PlanCounts { stems, docs, tf }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Term → postings, whatever the term ids.
    fn by_term(c: Counts) -> std::collections::BTreeMap<String, Vec<(u32, u32)>> {
        let p = c.postings();
        (p.terms.iter().enumerate())
            .map(|(t, term)| {
                (
                    term.clone(),
                    p.list[p.offsets[t]..p.offsets[t + 1]].to_vec(),
                )
            })
            .collect()
    }

    #[test]
    fn kept_counts_index_as_the_counted_texts_do() {
        let sections = [
            (
                "Indbrud i hjemmet",
                "Politiet og kommunen samarbejder om indbrud. Indbrud falder.",
            ),
            (
                "Tryghed",
                "Tryghed på nettet, i nattelivet og i **hjemmet**.",
            ),
            ("Tom", ""),
        ];
        let indsatser = vec![vec![0], vec![0, 1], vec![]];
        let before = |c: &mut Counts| {
            c.add(
                "Trafik",
                "Færdsel og trafik om natten.",
                ("", 0),
                false,
                &[1],
            )
        };
        let after =
            |c: &mut Counts| c.add("Hjørring Kommune", "nettet og trafik", ("", 0), true, &[]);
        let mut counted = Counts::new(2);
        before(&mut counted);
        for ((title, text), ind) in sections.iter().zip(&indsatser) {
            counted.add(title, &text::plain(text), ("indbrud", ABOUT), false, ind);
        }
        let kept = counted.plan_counts(1);
        after(&mut counted);
        // Through the memo's encoding.
        let bytes = postcard::to_allocvec(&kept).unwrap();
        let kept: PlanCounts = postcard::from_bytes(&bytes).unwrap();
        assert!(kept.fits(3));
        assert!(!kept.fits(2));
        // Another build, whose vocabulary numbers the same stems otherwise.
        let mut from_memo = Counts::new(2);
        for stem in ["tryghed", "zzz", "nettet", "hjem"] {
            from_memo.vocab.stem_id(stem);
        }
        before(&mut from_memo);
        from_memo.add_kept(&kept, &indsatser);
        after(&mut from_memo);
        assert_eq!(from_memo.docs, counted.docs);
        assert_eq!(from_memo.by_indsats, counted.by_indsats);
        let (a, b) = (by_term(counted), by_term(from_memo));
        assert!(a.keys().any(|t| t.starts_with("indbrud")), "{a:?}");
        // The seeded stem no document has gets no postings, and is left out.
        let b: std::collections::BTreeMap<_, _> =
            b.into_iter().filter(|(_, l)| !l.is_empty()).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn counts_that_do_not_fit_their_plan_are_not_used() {
        let bad = PlanCounts {
            stems: "indbrud\n".into(),
            docs: vec![(3, 2)],
            tf: vec![(0, 1), (1 << FLAG_BITS, 1)],
        };
        assert!(!bad.fits(1), "a stem number past the stems");
        let short = PlanCounts {
            stems: "indbrud\n".into(),
            docs: vec![(3, 2)],
            tf: vec![(0, 1)],
        };
        assert!(!short.fits(1), "fewer entries than the documents say");
    }
}
