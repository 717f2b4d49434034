//! Page contexts: what each template gets, as JSON values built from the model and the
//! routes. This is the only place that knows both the model and the page layout.

use serde_json::Value;

use super::value::value;

use super::diff::diff_html;
use super::markdown::{inline_html, to_html, to_html_from};
use crate::memo::Memo;
use crate::model::evolution::{indsats_text, Status};
use crate::model::{Date, Issuer, Site, MONTHS};
use crate::routes::{status_class, Page, Routes};

/// `19. december 2024`.
pub fn date_text(d: &Date) -> String {
    let m = MONTHS
        .get((d.month as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("");
    format!("{}. {} {}", d.day, m, d.year)
}

pub fn date_view(d: &Date) -> Value {
    value!({ "iso": d.iso(), "text": date_text(d) })
}

/// How much of an evolution entry a page shows ([`Ctx::entry_view`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Detail {
    /// Status, relations and the diff's counts: the change summary of plan and
    /// kommune pages, without the diff's HTML (`diff.html`): those pages do not show
    /// it, and making it was a sixth of a plan page's context in a build without a memo.
    Summary,
    /// With the diff's HTML: the comparison page.
    Diff,
    /// With the diff's HTML and the text (or, when dropped, the old text): the history
    /// page.
    Text,
}

pub struct Ctx<'a> {
    pub r: &'a Routes<'a>,
    /// Where Markdown and diff HTML made by an earlier build is found.
    pub memo: &'a Memo,
}

impl<'a> Ctx<'a> {
    fn site(&self) -> &Site {
        self.r.site
    }
    fn base(&self) -> &str {
        &self.r.base
    }

    pub fn kreds(&self, k: usize) -> Value {
        let kr = &self.site().kredse[k];
        value!({ "slug": &kr.slug, "name": &kr.name, "short_name": &kr.short_name, "council": &kr.council,
                "url": self.r.url(Page::Kreds(k)) })
    }

    pub fn kommune(&self, m: usize) -> Value {
        let km = &self.site().kommuner[m];
        value!({ "slug": &km.slug, "name": &km.name, "full_name": &km.full_name, "url": self.r.url(Page::Kommune(m)) })
    }

    pub fn issuer(&self, i: Issuer) -> Value {
        match i {
            Issuer::Kreds(k) => {
                let mut v = self.kreds(k);
                v["kind"] = value!("kreds");
                v["council"] = value!(self.site().issuer_council(i));
                v["display"] = value!(&self.site().kredse[k].short_name);
                v["long_name"] = value!(self.site().issuer_full_name(i));
                v
            }
            Issuer::Kommune(m) => {
                let mut v = self.kommune(m);
                v["kind"] = value!("kommune");
                v["council"] = value!(self.site().issuer_council(i));
                v["display"] = value!(&self.site().kommuner[m].full_name);
                v["long_name"] = value!(self.site().issuer_full_name(i));
                v
            }
        }
    }

    pub fn plan(&self, p: usize) -> Value {
        let plan = &self.site().plans[p];
        let kind_label = match plan.kind {
            crate::load::PlanKind::Samarbejdsplan => "Samarbejdsplan",
            crate::load::PlanKind::Handleplan => "Handleplan",
        };
        value!({
            "title": &plan.title, "key": &plan.key, "years": &plan.years, "kind": plan.kind.as_str(),
            "kind_label": kind_label, "url": self.r.url(Page::Plan(p)), "issuer": self.issuer(plan.issuer),
            "summary": &plan.summary,
        })
    }

    pub fn indsats(&self, i: usize) -> Value {
        let ind = &self.site().indsatser[i];
        value!({ "id": &ind.id, "title": &ind.title, "theme": &ind.theme, "url": self.r.url(Page::Indsats(i)) })
    }

    pub fn status(&self, s: Status) -> Value {
        value!({ "label": s.label(), "class": status_class(s) })
    }

    pub fn crumb(&self, title: &str, page: Page) -> Value {
        value!({ "title": title, "url": self.r.url(page) })
    }

    /// Breadcrumbs (excluding the page itself) for a page.
    pub fn breadcrumbs(&self, page: Page) -> Vec<Value> {
        let s = self.site();
        let mut v = vec![self.crumb("Forside", Page::Front)];
        match page {
            Page::Front | Page::NotFound => return Vec::new(),
            Page::Kreds(_) => v.push(self.crumb("Politikredse", Page::Kredse)),
            Page::Kommune(m) => {
                let k = s.kommuner[m].kreds;
                v.push(self.crumb("Politikredse", Page::Kredse));
                v.push(self.crumb(&s.kredse[k].short_name, Page::Kreds(k)));
            }
            Page::IssuerPlans(i) => v.extend(self.issuer_crumbs(i)),
            Page::Plan(p) => {
                v.extend(self.issuer_crumbs(s.plans[p].issuer));
                v.push(self.crumb(
                    self.plans_title(s.plans[p].issuer),
                    Page::IssuerPlans(s.plans[p].issuer),
                ));
            }
            Page::Comparison(p) => {
                v.extend(self.issuer_crumbs(s.plans[p].issuer));
                v.push(self.crumb(
                    self.plans_title(s.plans[p].issuer),
                    Page::IssuerPlans(s.plans[p].issuer),
                ));
                v.push(self.crumb(&s.plans[p].title, Page::Plan(p)));
            }
            Page::Year(_) => v.push(self.crumb("År", Page::Years)),
            Page::Indsats(_) => v.push(self.crumb("Indsatsområder", Page::Indsatser)),
            Page::IndsatsIssuer(i, _) => {
                v.push(self.crumb("Indsatsområder", Page::Indsatser));
                v.push(self.crumb(&s.indsatser[i].title, Page::Indsats(i)));
            }
            _ => {}
        }
        v
    }

    fn plans_title(&self, i: Issuer) -> &'static str {
        match i {
            Issuer::Kreds(_) => "Samarbejdsplaner",
            Issuer::Kommune(_) => "Handleplaner",
        }
    }

    fn issuer_crumbs(&self, i: Issuer) -> Vec<Value> {
        let s = self.site();
        match i {
            Issuer::Kreds(k) => {
                vec![
                    self.crumb("Politikredse", Page::Kredse),
                    self.crumb(&s.kredse[k].short_name, Page::Kreds(k)),
                ]
            }
            Issuer::Kommune(m) => {
                let k = s.kommuner[m].kreds;
                vec![
                    self.crumb("Politikredse", Page::Kredse),
                    self.crumb(&s.kredse[k].short_name, Page::Kreds(k)),
                    self.crumb(&s.kommuner[m].full_name, Page::Kommune(m)),
                ]
            }
        }
    }

    /// The fragment of a plan's entry on an indsatsområde's history page.
    pub fn history_anchor(&self, p: usize) -> String {
        format!("plan-{}", self.site().plans[p].key)
    }

    /// Indsatsområder × plans of one issuer, each cell a status.
    pub fn issuer_matrix(&self, issuer: Issuer) -> Value {
        let s = self.site();
        let plans = s.issuer_plans(issuer);
        let mut ids: Vec<usize> = plans.iter().flat_map(|&p| s.plans[p].named_ids()).collect();
        ids.sort_unstable();
        ids.dedup();
        // Order rows by first appearance, then title: reads like the plans' history.
        let first = |i: usize| {
            plans.iter().position(|&p| {
                s.evolution
                    .entry(p, i)
                    .is_some_and(|e| e.status != Status::Udgået)
            })
        };
        ids.sort_by(|&a, &b| first(a).cmp(&first(b)).then_with(|| s.by_title(a, b)));
        let columns: Vec<Value> = plans
            .iter()
            .map(|&p| value!({ "label": &s.plans[p].key, "url": self.r.url(Page::Plan(p)) }))
            .collect();
        let rows: Vec<Value> = ids
            .iter()
            .map(|&i| {
                let cells: Vec<Value> = plans
                    .iter()
                    .map(|&p| match s.evolution.entry(p, i) {
                        Some(e) => {
                            value!({ "status": self.status(e.status), "url": self.entry_url(p, e) })
                        }
                        None => Value::Null,
                    })
                    .collect();
                value!({ "indsats": self.indsats(i), "cells": cells,
                        "history_url": self.r.url(Page::IndsatsIssuer(i, issuer)) })
            })
            .collect();
        value!({ "columns": columns, "rows": rows })
    }

    /// Where an entry points: its section in this plan; a dropped one, its section in the
    /// previous plan; a sub-area without a section, the umbrella's section.
    pub fn entry_url(&self, p: usize, e: &crate::model::evolution::Entry) -> String {
        let s = self.site();
        if let Some(&sec) = e.new_sections.first() {
            return self.r.section(p, sec);
        }
        if let (Some(q), Some(&sec)) = (s.plans[p].prev, e.old_sections.first()) {
            if e.status == Status::Udgået {
                return self.r.section(q, sec);
            }
        }
        let umbrella = s.plans[p]
            .sections
            .iter()
            .position(|x| x.covers.contains(&e.indsats));
        match umbrella {
            Some(sec) => self.r.section(p, sec),
            None => self.r.url(Page::Plan(p)),
        }
    }

    /// What changed in plan `p` since the issuer's previous plan, for the top of plan
    /// and kommune pages: every entry that is not simply continued, grouped by status,
    /// each linked to its section and to its history; `None` in a first plan.
    pub fn change_summary(&self, p: usize) -> Option<Value> {
        let s = self.site();
        let q = s.plans[p].prev?;
        let issuer = s.plans[p].issuer;
        let ev = &s.evolution.plans[p];
        let groups: Vec<Value> = Status::ALL
            .iter()
            .filter(|st| !matches!(st, Status::Videreført | Status::Første))
            .filter_map(|&st| {
                let mut es: Vec<&crate::model::evolution::Entry> =
                    ev.entries.iter().filter(|e| e.status == st).collect();
                if es.is_empty() {
                    return None;
                }
                es.sort_by(|a, b| s.by_title(a.indsats, b.indsats));
                let items: Vec<Value> = es
                    .iter()
                    .map(|e| {
                        let history = format!(
                            "{}#{}",
                            self.r.url(Page::IndsatsIssuer(e.indsats, issuer)),
                            self.history_anchor(p)
                        );
                        let mut v = self.entry_view(p, e, Detail::Summary);
                        v["url"] = value!(self.entry_url(p, e));
                        v["history_url"] = value!(history);
                        v
                    })
                    .collect();
                Some(value!({ "status": self.status(st), "items": items }))
            })
            .collect();
        let continued = ev
            .entries
            .iter()
            .filter(|e| e.status == Status::Videreført)
            .count();
        Some(value!({
            "plan": self.plan(p),
            "prev": self.plan(q),
            "comparison_url": self.r.url(Page::Comparison(p)),
            "groups": groups,
            "continued": continued,
        }))
    }

    /// Issuers × years of one indsatsområde.
    pub fn indsats_matrix(&self, i: usize) -> Value {
        let s = self.site();
        let ind = &s.indsatser[i];
        let issuers = s.indsats_issuers(i);
        let first = ind.plans.iter().map(|&p| s.plans[p].first_year()).min();
        let last = issuers
            .iter()
            .flat_map(|&is| s.issuer_plans(is).iter().map(|&p| s.plans[p].last_year()))
            .max();
        let years: Vec<i64> = match (first, last) {
            (Some(a), Some(b)) => s
                .years
                .iter()
                .copied()
                .filter(|y| *y >= a && *y <= b)
                .collect(),
            _ => Vec::new(),
        };
        let rows: Vec<Value> = issuers
            .iter()
            .map(|&is| {
                // A plan covering several years is one cell spanning them.
                let mut runs: Vec<(Option<usize>, usize)> = Vec::new();
                for y in &years {
                    let plan = s.issuer_plans(is).iter().copied().find(|&p| s.plans[p].years.contains(y));
                    match runs.last_mut() {
                        Some((Some(last), n)) if plan == Some(*last) => *n += 1,
                        _ => runs.push((plan, 1)),
                    }
                }
                let cells: Vec<Value> = runs
                    .into_iter()
                    .map(|(plan, span)| {
                        let mut cell = match plan {
                            None => value!({ "kind": "none", "label": "ingen plan på siden" }),
                            Some(p) => match s.evolution.entry(p, i) {
                                // A status links to that year on the issuer's history page.
                                Some(e) => {
                                    let url = format!("{}#{}", self.r.url(Page::IndsatsIssuer(i, is)), self.history_anchor(p));
                                    value!({ "kind": "status", "status": self.status(e.status), "url": url, "plan": &s.plans[p].title })
                                }
                                None => value!({ "kind": "absent", "label": "ikke med", "url": self.r.url(Page::Plan(p)), "plan": &s.plans[p].title }),
                            },
                        };
                        cell["span"] = value!(span);
                        cell
                    })
                    .collect();
                value!({ "issuer": self.issuer(is), "cells": cells,
                        "history_url": self.r.url(Page::IndsatsIssuer(i, is)) })
            })
            .collect();
        value!({ "columns": years, "rows": rows })
    }

    pub fn entry_view(
        &self,
        p: usize,
        e: &crate::model::evolution::Entry,
        detail: Detail,
    ) -> Value {
        let with_text = detail == Detail::Text;
        let s = self.site();
        let prev = s.plans[p].prev;
        let new_links: Vec<Value> = e
            .new_sections
            .iter()
            .map(|&sec| value!({ "title": &s.plans[p].sections[sec].title, "url": self.r.section(p, sec) }))
            .collect();
        let old_links: Vec<Value> = match prev {
            Some(q) => e
                .old_sections
                .iter()
                .map(|&sec| value!({ "title": &s.plans[q].sections[sec].title, "url": self.r.section(q, sec) }))
                .collect(),
            None => Vec::new(),
        };
        // "identical": nothing to show. A pure reorder changes no words but is shown.
        let diff = e.diff.as_ref().map(|d| {
            let mut v = value!({ "added": d.added_words, "removed": d.removed_words, "unchanged": d.unchanged_words,
                    "moved": d.moved_blocks, "identical": d.is_unchanged() && d.moved_blocks == 0,
                    "read_percent": read_percent(e),
                    "new_headings": &d.new_headings, "gone_headings": &d.gone_headings });
            // Left out, not empty, where it is not made: a site's own template that shows
            // it there fails with its name rather than showing nothing.
            if detail != Detail::Summary {
                v["html"] = value!(self.diff_html(p, e, d));
            }
            v
        });
        let text_html = if with_text && !e.new_sections.is_empty() {
            self.nested_md(p, &indsats_text(s, p, &e.new_sections))
        } else {
            String::new()
        };
        let old_text_html = match (with_text, prev, e.status) {
            (true, Some(q), Status::Udgået) => {
                self.nested_md(q, &indsats_text(s, q, &e.old_sections))
            }
            _ => String::new(),
        };
        value!({
            "indsats": self.indsats(e.indsats),
            "status": self.status(e.status),
            "new_sections": new_links,
            "old_sections": old_links,
            "merged_with": e.merged_with.iter().map(|&o| self.indsats(o)).collect::<Vec<_>>(),
            "compared_with": e.compared_with.iter().map(|&o| self.indsats(o)).collect::<Vec<_>>(),
            // The previous plan's sections a merged section is compared with.
            "compared_sections": match prev {
                Some(q) if !e.compared_with.is_empty() => {
                    crate::model::evolution::merged_sections(s, q, e.indsats, &e.compared_with)
                        .into_iter()
                        .map(|sec| value!({ "title": &s.plans[q].sections[sec].title, "url": self.r.section(q, sec) }))
                        .collect::<Vec<_>>()
                }
                _ => Vec::new(),
            },
            // A sub-area the umbrella named without a heading, now with a heading of its
            // own inside that umbrella, did not leave it: "udskilt fra" it would be false.
            "split_from": (e.split_from.iter())
                .filter(|o| !e.part_of.contains(o))
                .map(|&o| self.indsats(o))
                .collect::<Vec<_>>(),
            "own_section_in": (e.split_from.iter())
                .filter(|o| e.part_of.contains(o))
                .map(|&o| self.indsats(o))
                .collect::<Vec<_>>(),
            "part_of": e.part_of.iter().map(|&o| self.indsats(o)).collect::<Vec<_>>(),
            "covered": e.covered,
            "diff": diff,
            "text_html": text_html,
            "old_text_html": old_text_html,
        })
    }

    /// Entries of a plan relative to its predecessor, grouped by status, with their
    /// diffs (the comparison page).
    pub fn status_groups(&self, p: usize) -> Vec<Value> {
        let s = self.site();
        let ev = &s.evolution.plans[p];
        Status::ALL
            .iter()
            .filter_map(|&st| {
                let mut entries: Vec<&crate::model::evolution::Entry> =
                    ev.entries.iter().filter(|e| e.status == st).collect();
                if entries.is_empty() {
                    return None;
                }
                entries.sort_by(|a, b| s.by_title(a.indsats, b.indsats));
                let views: Vec<Value> = entries
                    .iter()
                    .map(|e| self.entry_view(p, e, Detail::Diff))
                    .collect();
                let count = views.len();
                Some(value!({ "status": self.status(st), "entries": views, "count": count }))
            })
            .collect()
    }

    pub fn sections(&self, p: usize) -> Vec<Value> {
        let s = self.site();
        let plan = &s.plans[p];
        plan.sections
            .iter()
            .map(|sec| {
                let bindings: Vec<Value> = sec
                    .bindings
                    .iter()
                    .map(|&i| {
                        let mut v = self.indsats(i);
                        if let Some(e) = s.evolution.entry(p, i) {
                            v["status"] = self.status(e.status);
                        }
                        v
                    })
                    .collect();
                value!({
                    "level": sec.level.clamp(2, 6),
                    "anchor": &sec.anchor,
                    "title": &sec.title,
                    "title_html": inline_html(&sec.title_md, self.base()),
                    "body_html": self.memo.deferred_text("md", &[&sec.own_md, self.base()], || {
                        to_html(&sec.own_md, self.base(), 0)
                    }),
                    "bindings": bindings,
                })
            })
            .collect()
    }

    /// Markdown as HTML. Like every costly HTML part of a context, it may come as a
    /// memo reference ([`Memo::deferred_text`]) that rendering resolves.
    pub fn md(&self, md: &str) -> String {
        self.memo
            .deferred_text("md+1", &[md, self.base()], || to_html(md, self.base(), 1))
    }

    /// Plan `p`'s text of an indsatsområde as HTML, its headings nested under the
    /// page's `<h2>` and its relative links resolved against the plan's page.
    fn nested_md(&self, p: usize, md: &str) -> String {
        let home = self.r.url(Page::Plan(p));
        self.memo
            .deferred_text("nested md", &[md, self.base(), &home], || {
                nest_headings(&to_html_from(md, self.base(), 1, Some(&home)), 2)
            })
    }

    /// The HTML of `e`'s diff `d` in plan `p`; its blocks are read (from the memo, when
    /// the model left them there) only when the memo does not have the HTML.
    fn diff_html(
        &self,
        p: usize,
        e: &crate::model::evolution::Entry,
        d: &crate::model::diff::Diff,
    ) -> String {
        match d.source {
            0 => diff_html(d),
            key => self
                .memo
                .deferred_text("diff html", &[&format!("{key:032x}")], || {
                    crate::model::evolution::full_diff(self.site(), self.memo, p, e)
                        .map_or_else(String::new, |d| diff_html(&d))
                }),
        }
    }
}

/// Renumbers the headings of rendered Markdown so that they nest under a heading of
/// level `parent` (an indsatsområde's text sits under its plan's `<h2>` on the history page): the text's own
/// levels keep their order, the highest becomes `parent + 1`, and no heading is more than
/// one level below the heading before it, so no level is skipped. Raw HTML in content is
/// escaped, so every `<hN>` in `html` is a heading that comrak wrote.
fn nest_headings(html: &str, parent: u8) -> String {
    fn tag_at(b: &[u8]) -> Option<(bool, u8)> {
        let (close, i) = if b.starts_with(b"</h") {
            (true, 3)
        } else if b.starts_with(b"<h") {
            (false, 2)
        } else {
            return None;
        };
        match (b.get(i), b.get(i + 1)) {
            (Some(d @ b'1'..=b'6'), Some(b'>')) => Some((close, d - b'0')),
            _ => None,
        }
    }
    let bytes = html.as_bytes();
    let mut levels: Vec<u8> = (0..bytes.len())
        .filter_map(|i| tag_at(&bytes[i..]).filter(|t| !t.0).map(|t| t.1))
        .collect();
    if levels.is_empty() {
        return html.to_string();
    }
    levels.sort_unstable();
    levels.dedup();
    let mut out = String::with_capacity(html.len());
    let (mut prev, mut current) = (parent, parent + 1);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match tag_at(rest.as_bytes()) {
            Some((close, level)) => {
                if close {
                    out.push_str(&format!("</h{current}>"));
                } else {
                    let rank = levels.iter().position(|&l| l == level).unwrap_or(0) as u8;
                    current = (parent + 1 + rank).min(prev + 1).min(6);
                    prev = current;
                    out.push_str(&format!("<h{current}>"));
                }
                rest = &rest[if close { 5 } else { 4 }..];
            }
            None => {
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The reader's share of changed words, in Danish ("6,2"), when it decided that a text
/// the diff counts as over 10 % changed is videreført; else null.
fn read_percent(e: &crate::model::evolution::Entry) -> Option<String> {
    let tenths = e.read_share.filter(|_| e.status == Status::Videreført)?;
    Some(format!("{},{}", tenths / 10, tenths % 10))
}

#[cfg(test)]
mod tests {
    use super::nest_headings;

    #[test]
    fn headings_nest_under_the_parent_without_skipping_levels() {
        let html = "<h5>A</h5><p>x &lt;h6&gt;</p><h6>B</h6><h5>C</h5>";
        assert_eq!(
            nest_headings(html, 3),
            "<h4>A</h4><p>x &lt;h6&gt;</p><h5>B</h5><h4>C</h4>"
        );
        // a deeper heading first never skips a level below the parent
        assert_eq!(
            nest_headings("<h6>A</h6><h4>B</h4>", 3),
            "<h4>A</h4><h4>B</h4>"
        );
        assert_eq!(nest_headings("<p>æ <b>ø</b></p>", 3), "<p>æ <b>ø</b></p>");
    }
}
