//! The open data: `planer.json` (every plan: issuer, years, approval, people,
//! meetings, sections and their indsatsområder), `indsatsomraader.json` (every
//! indsatsområde with its status in each plan) and `status.csv` (the statuses as one
//! table). Their fields are documented on the site's `/data/` page; the large ones are
//! written while they are made (see [`super::data`]).

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use super::data::absolute;
use crate::model::evolution::Status;
use crate::model::{Issuer, Site};
use crate::routes::{Page, Routes};

/// Writes `planer.json`.
pub(super) fn plans(site: &Site, r: &Routes, w: &mut dyn Write) -> io::Result<()> {
    let len = site.plans.len();
    pretty(w, &ListDoc::new("plans", len, |p| plan_item(site, r, p)))
}

/// Writes `indsatsomraader.json`.
pub(super) fn indsatser(site: &Site, r: &Routes, w: &mut dyn Write) -> io::Result<()> {
    let len = site.indsatser.len();
    pretty(
        w,
        &ListDoc::new("indsatsomraader", len, |i| indsats_item(site, r, i)),
    )
}

fn pretty<T: Serialize + ?Sized>(w: &mut dyn Write, v: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v)?;
    w.write_all(b"\n")
}

/// An issuer as the open data names it. The open data's objects list their keys in
/// alphabetical order (they were `serde_json::Value` maps, and files people diff from
/// release to release keep their shape), so every struct here declares its fields
/// alphabetically.
///
/// `name` is the area's ("Hjørring Kommune"); the plans are the `council`'s ("Lokalrådet i
/// Hjørring Kommune"), which is who a story should name. `kreds` is the kreds the
/// issuer belongs to, a kreds's own for a kredsråd (as in `status.csv`), so grouping by
/// it keeps the kredsråd's plans.
#[derive(Serialize)]
struct IssuerItem<'a> {
    council: String,
    kreds: &'a str,
    name: &'a str,
    slug: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn issuer_item(site: &Site, i: Issuer) -> IssuerItem<'_> {
    match i {
        Issuer::Kreds(k) => IssuerItem {
            council: site.issuer_council(i),
            kreds: &site.kredse[k].slug,
            name: &site.kredse[k].name,
            slug: &site.kredse[k].slug,
            kind: "kreds",
        },
        Issuer::Kommune(m) => IssuerItem {
            council: site.issuer_council(i),
            kreds: &site.kredse[site.kommuner[m].kreds].slug,
            name: &site.kommuner[m].full_name,
            slug: &site.kommuner[m].slug,
            kind: "kommune",
        },
    }
}

/// `{ "<key>": [items] }` with the items made one at a time while it is serialized: the
/// national `planer.json` and `indsatsomraader.json` are 15 MB each, and as one tree
/// each held several times that in memory. Items are typed structs borrowing from the
/// model, not `Value` trees: building and dropping those was half of the files' cost.
struct ListDoc<T: Serialize, F: Fn(usize) -> T> {
    key: &'static str,
    len: usize,
    item: F,
}

impl<T: Serialize, F: Fn(usize) -> T> ListDoc<T, F> {
    fn new(key: &'static str, len: usize, item: F) -> Self {
        ListDoc { key, len, item }
    }
}

impl<T: Serialize, F: Fn(usize) -> T> Serialize for ListDoc<T, F> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Items<'a, T: Serialize, F: Fn(usize) -> T>(&'a ListDoc<T, F>);
        impl<T: Serialize, F: Fn(usize) -> T> Serialize for Items<'_, T, F> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq((0..self.0.len).map(|i| (self.0.item)(i)))
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.key, &Items(self))?;
        map.end()
    }
}

#[derive(Serialize)]
struct PlanItem<'a> {
    approved: Option<String>,
    approved_place: &'a Option<String>,
    issuer: IssuerItem<'a>,
    kind: &'static str,
    local_priorities: Vec<LocalPrioritiesItem<'a>>,
    meetings: Vec<MeetingItem<'a>>,
    members: Value,
    sections: Vec<SectionItem<'a>>,
    signatories: Value,
    source: Value,
    statistics: Value,
    title: &'a str,
    url: String,
    years: &'a [i64],
}

#[derive(Serialize)]
struct LocalPrioritiesItem<'a> {
    /// Per item, the registered indsatsområde it names (by title or alias), as the
    /// kommune page links it, or `null`: "how many kommuner prioritise X" is answered
    /// from the data too.
    indsatsomraader: Vec<Option<&'a str>>,
    items: &'a [String],
    kommune: &'a str,
}

#[derive(Serialize)]
struct MeetingItem<'a> {
    date: String,
    note: &'a Option<String>,
    place: &'a Option<String>,
    time: &'a Option<String>,
}

/// `indsatsomraader` are the section's own (its heading binds them); `covers` the
/// sub-areas it names (`omfatter=`), and `mentions` those it writes about outside the
/// plan's indsatsområder, as the pages list them.
#[derive(Serialize)]
struct SectionItem<'a> {
    anchor: &'a str,
    covers: Vec<&'a str>,
    indsatsomraader: Vec<&'a str>,
    level: u8,
    mentions: Vec<&'a str>,
    title: &'a str,
}

/// A model struct with its keys in alphabetical order at every level, as a
/// `serde_json::Value` map gives them (these are small: members, signatories, source,
/// statistics).
fn sorted<T: Serialize>(v: &T) -> Value {
    // Plain data with string keys: converting it does not fail.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn plan_item<'a>(site: &'a Site, r: &Routes, p: usize) -> PlanItem<'a> {
    let plan = &site.plans[p];
    PlanItem {
        approved: plan.approved.map(|d| d.iso()),
        approved_place: &plan.approved_place,
        issuer: issuer_item(site, plan.issuer),
        kind: plan.kind.as_str(),
        local_priorities: (plan.local_priorities.iter())
            .map(|lp| LocalPrioritiesItem {
                indsatsomraader: named_indsatser(site, &lp.items),
                items: &lp.items,
                kommune: &site.kommuner[lp.kommune].slug,
            })
            .collect(),
        meetings: (plan.meetings.iter())
            .map(|m| MeetingItem {
                date: m.date.iso(),
                note: &m.note,
                place: &m.place,
                time: &m.time,
            })
            .collect(),
        members: sorted(&plan.members),
        sections: (plan.sections.iter())
            .map(|s| SectionItem {
                anchor: &s.anchor,
                covers: ids(site, &s.covers),
                indsatsomraader: ids(site, &s.bindings),
                level: s.level,
                mentions: ids(site, &s.mentions),
                title: &s.title,
            })
            .collect(),
        signatories: sorted(&plan.signatories),
        source: sorted(&plan.source),
        statistics: sorted(&plan.statistics),
        title: &plan.title,
        url: absolute(site, r, &r.url(Page::Plan(p))),
        years: &plan.years,
    }
}

/// Per item, the id of the registered indsatsområde it names, if any.
fn named_indsatser<'a>(site: &'a Site, items: &[String]) -> Vec<Option<&'a str>> {
    (items.iter())
        .map(|item| {
            site.indsats_named(item)
                .map(|i| site.indsatser[i].id.as_str())
        })
        .collect()
}

/// The ids of indsatsområder given by index.
fn ids<'a>(site: &'a Site, v: &[usize]) -> Vec<&'a str> {
    v.iter().map(|&o| site.indsatser[o].id.as_str()).collect()
}

#[derive(Serialize)]
struct IndsatsItem<'a> {
    aliases: &'a [String],
    id: &'a str,
    mentioned_in: Vec<String>,
    related: Vec<&'a str>,
    statuses: Vec<StatusItem<'a>>,
    theme: &'a Option<String>,
    title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct StatusItem<'a> {
    added_words: Option<usize>,
    compared_with: Vec<&'a str>,
    covered: bool,
    issuer: IssuerItem<'a>,
    merged_with: Vec<&'a str>,
    part_of: Vec<&'a str>,
    plan: String,
    previous_plan: Option<String>,
    removed_words: Option<usize>,
    section_anchor: String,
    section_url: String,
    split_from: Vec<&'a str>,
    status: &'static str,
    unchanged_words: Option<usize>,
    years: &'a [i64],
}

fn indsats_item<'a>(site: &'a Site, r: &Routes, i: usize) -> IndsatsItem<'a> {
    let ind = &site.indsatser[i];
    let statuses = (0..site.plans.len())
        .filter_map(|p| site.evolution.entry(p, i).map(|e| (p, e)))
        .map(|(p, e)| {
            let (section_anchor, section_url) = entry_section(site, r, p, e);
            let plan = &site.plans[p];
            StatusItem {
                added_words: e.diff.as_ref().map(|d| d.added_words),
                compared_with: ids(site, &e.compared_with),
                covered: e.covered,
                issuer: issuer_item(site, plan.issuer),
                merged_with: ids(site, &e.merged_with),
                part_of: ids(site, &e.part_of),
                plan: absolute(site, r, &r.url(Page::Plan(p))),
                previous_plan: plan.prev.map(|q| absolute(site, r, &r.url(Page::Plan(q)))),
                removed_words: e.diff.as_ref().map(|d| d.removed_words),
                section_anchor,
                section_url,
                split_from: ids(site, &e.split_from),
                status: e.status.label(),
                unchanged_words: e.diff.as_ref().map(|d| d.unchanged_words),
                years: &plan.years,
            }
        })
        .collect();
    IndsatsItem {
        aliases: &ind.aliases,
        id: &ind.id,
        mentioned_in: (ind.mentions.iter())
            .map(|&(p, s)| absolute(site, r, &r.section(p, s)))
            .collect(),
        related: ids(site, &ind.related),
        statuses,
        theme: &ind.theme,
        title: &ind.title,
        url: absolute(site, r, &r.url(Page::Indsats(i))),
    }
}

/// The columns of `status.csv`, documented field by field on the `/data/` page. New
/// columns go last, so a script that reads columns by position keeps working.
pub const STATUS_CSV_COLUMNS: [&str; 21] = [
    "indsatsomraade",
    "titel",
    "udsteder_type",
    "udsteder",
    "kreds",
    "plan",
    "aar",
    "status",
    "sammenlagt_med",
    "udskilt_fra",
    "del_af",
    "afsnit",
    "afsnit_url",
    "forrige_plan_url",
    "tilfoejede_ord",
    "slettede_ord",
    "uaendrede_ord",
    "kun_naevnt",
    "udsteder_raad",
    "foerste_aar",
    "sidste_aar",
];

/// Indsatsområde ids joined with `;` (a list inside one CSV field).
fn id_list(site: &Site, ids: &[usize]) -> String {
    ids.iter()
        .map(|&i| site.indsatser[i].id.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Issuer type, issuer slug and kreds slug.
fn issuer_columns(site: &Site, issuer: Issuer) -> [String; 3] {
    match issuer {
        Issuer::Kreds(k) => [
            "kreds".into(),
            site.kredse[k].slug.clone(),
            site.kredse[k].slug.clone(),
        ],
        Issuer::Kommune(m) => [
            "kommune".into(),
            site.kommuner[m].slug.clone(),
            site.kredse[site.kommuner[m].kreds].slug.clone(),
        ],
    }
}

/// The section an entry points to: its own in this plan, or (dropped) the previous
/// plan's.
fn entry_section(
    site: &Site,
    r: &Routes,
    p: usize,
    e: &crate::model::evolution::Entry,
) -> (String, String) {
    // Dropped: where it stood in the previous plan. Named only by an umbrella (there,
    // or here): the umbrella's sections that name it (`omfatter=`). Else its own.
    let naming = |plan: usize| -> Vec<usize> {
        (site.plans[plan].sections.iter().enumerate())
            .filter(|(_, s)| s.covers.contains(&e.indsats))
            .map(|(i, _)| i)
            .collect()
    };
    let (plan, secs): (usize, Cow<[usize]>) = match (e.status, site.plans[p].prev) {
        (Status::Udgået, Some(q)) if e.old_sections.is_empty() => (q, naming(q).into()),
        (Status::Udgået, Some(q)) => (q, (&e.old_sections[..]).into()),
        _ if e.covered => (p, naming(p).into()),
        _ => (p, (&e.new_sections[..]).into()),
    };
    let anchors = secs
        .iter()
        .map(|&s| site.plans[plan].sections[s].anchor.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let url = secs
        .first()
        .map(|&s| absolute(site, r, &r.section(plan, s)))
        .unwrap_or_default();
    (anchors, url)
}

pub(super) fn status_csv(site: &Site, r: &Routes, out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(STATUS_CSV_COLUMNS)?;
    for p in 0..site.plans.len() {
        let plan = &site.plans[p];
        let [kind, name, kreds] = issuer_columns(site, plan.issuer);
        let council = site.issuer_council(plan.issuer);
        let (first, last) = (plan.first_year().to_string(), plan.last_year().to_string());
        let prev = (plan.prev)
            .map(|q| absolute(site, r, &r.url(Page::Plan(q))))
            .unwrap_or_default();
        for e in &site.evolution.plans[p].entries {
            let (anchor, url) = entry_section(site, r, p, e);
            let words = |f: fn(&crate::model::diff::Diff) -> usize| {
                e.diff
                    .as_ref()
                    .map(|d| f(d).to_string())
                    .unwrap_or_default()
            };
            let row: [&str; 21] = [
                &site.indsatser[e.indsats].id,
                &site.indsatser[e.indsats].title,
                &kind,
                &name,
                &kreds,
                plan.kind.as_str(),
                &plan.key,
                e.status.label(),
                &id_list(site, &e.merged_with),
                &id_list(site, &e.split_from),
                &id_list(site, &e.part_of),
                &anchor,
                &url,
                &prev,
                &words(|d| d.added_words),
                &words(|d| d.removed_words),
                &words(|d| d.unchanged_words),
                if e.covered { "ja" } else { "nej" },
                &council,
                &first,
                &last,
            ];
            let row = row.map(|f| spreadsheet_safe(clean_text(f)));
            w.write_record(row.iter().map(|f| f.as_bytes()))?;
        }
    }
    w.flush()
}

/// A field a spreadsheet would not take for a formula: one starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (OWASP's advice against CSV
/// injection). A registry title `=HYPERLINK("https://…?"&A2;"Indbrud")` in someone's
/// content became a live formula in the journalist's Excel, sending cells away.
fn spreadsheet_safe(s: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s
    }
}

/// Text without the control characters no data format should carry (tab and line
/// breaks kept).
fn clean_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        s.chars()
            .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}
