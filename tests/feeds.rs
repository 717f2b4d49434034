//! Feeds per kommune and kreds, and the meetings as calendars (issue 12, items 2, 3, 5):
//! the default site is built twice and every feed is read by a real XML parser, every
//! calendar by a real iCalendar parser.

mod common;

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use common::{build_to, page, read_tree, repo, TempDir};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const BASE: &str = "https://www.samarbejdsplaner.dk";

fn built(name: &str, base_url: Option<&str>) -> (TempDir, BTreeMap<String, Vec<u8>>) {
    let d = TempDir::new(name);
    let out = d.path().join("public");
    if let Err(e) = build_to(&repo(), &out, base_url) {
        panic!("the default site does not build: {e:?}");
    }
    let tree = read_tree(&out);
    (d, tree)
}

fn text(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    let b = tree
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not written"));
    String::from_utf8(b.clone()).unwrap_or_else(|_| panic!("{path}: not UTF-8"))
}

/// (title, id) of every entry of an Atom feed, checking the feed's own shape.
fn entries(xml: &str, path: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}"));
    let feed = doc.root_element();
    assert!(
        feed.has_tag_name((ATOM, "feed")),
        "{path}: not an Atom feed"
    );
    let child = |n: roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((ATOM, name)))
            .and_then(|c| c.text())
            .unwrap_or_else(|| panic!("{path}: <{name}> missing"))
            .to_string()
    };
    for required in ["title", "id", "updated"] {
        child(feed, required);
    }
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"))
        .and_then(|c| c.attribute("href"));
    assert!(
        self_link.is_some_and(|h| h.ends_with(path)),
        "{path}: self link {self_link:?}"
    );
    feed.children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            child(e, "updated");
            (child(e, "title"), child(e, "id"))
        })
        .collect()
}

fn calendar(ics: &str, path: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(ics.as_bytes());
    let cal = parser
        .next()
        .unwrap_or_else(|| panic!("{path}: no calendar"))
        .unwrap_or_else(|e| panic!("{path} is not a valid iCalendar file: {e}"));
    assert!(parser.next().is_none(), "{path}: more than one calendar");
    cal
}

fn prop<'a>(props: &'a [Property], name: &str) -> Option<&'a Property> {
    props.iter().find(|p| p.name == name)
}

fn value(props: &[Property], name: &str) -> String {
    prop(props, name)
        .and_then(|p| p.value.clone())
        .unwrap_or_default()
}

fn param(p: &Property, name: &str) -> Option<String> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.first().cloned())
}

/// The UTC offset (hours) the calendar's VTIMEZONE gives a local time: the transition
/// whose yearly onset (`BYMONTH`, last Sunday, at its DTSTART time) came last.
fn offset_hours(cal: &IcalCalendar, tzid: &str, local: NaiveDateTime) -> i64 {
    let tz = cal
        .timezones
        .iter()
        .find(|t| value(&t.properties, "TZID") == tzid)
        .unwrap_or_else(|| panic!("no VTIMEZONE {tzid}"));
    let onset = |props: &[Property], year: i32| -> NaiveDateTime {
        let rule = value(props, "RRULE");
        assert!(rule.contains("BYDAY=-1SU"), "{rule}");
        let month: u32 = rule
            .split(';')
            .find_map(|p| p.strip_prefix("BYMONTH="))
            .and_then(|m| m.parse().ok())
            .unwrap_or_else(|| panic!("{rule}"));
        let start = NaiveDateTime::parse_from_str(&value(props, "DTSTART"), "%Y%m%dT%H%M%S")
            .unwrap_or_else(|e| panic!("{e}"));
        let next_month =
            NaiveDate::from_ymd_opt(year + i32::from(month == 12), month % 12 + 1, 1).unwrap();
        let mut day = next_month - Duration::days(1);
        while day.weekday() != Weekday::Sun {
            day -= Duration::days(1);
        }
        day.and_time(start.time())
    };
    let (_, to) = [local.year() - 1, local.year()]
        .into_iter()
        .flat_map(|y| {
            tz.transitions
                .iter()
                .map(move |t| (onset(&t.properties, y), t))
        })
        .filter(|(at, _)| *at <= local)
        .max_by_key(|(at, _)| *at)
        .expect("a transition before the time");
    let off = value(&to.properties, "TZOFFSETTO");
    let sign = if off.starts_with('-') { -1 } else { 1 };
    sign * off[1..3].parse::<i64>().unwrap()
}

fn local(p: &Property) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(p.value.as_deref().unwrap_or(""), "%Y%m%dT%H%M%S")
        .unwrap_or_else(|e| panic!("{p:?}: {e}"))
}

#[test]
fn feeds_and_calendars_of_the_default_site() {
    let (_a, tree) = built("feeds-a", None);
    let (_b, again) = built("feeds-b", None);

    // Every XML file is well-formed; every kommune and kreds has a feed.
    let mut feeds = 0;
    for (path, bytes) in &tree {
        if path.ends_with(".xml") {
            let s = String::from_utf8(bytes.clone()).unwrap();
            if let Err(e) = roxmltree::Document::parse(&s) {
                panic!("{path} is not well-formed XML: {e}");
            }
            if path.ends_with("/planer.xml") && !path.starts_with("data/") {
                entries(&s, path);
                feeds += 1;
            }
        }
    }
    // 3 kredse and their 27 kommuner.
    assert_eq!(feeds, 30);

    let hj = entries(
        &text(&tree, "kommuner/hjoerring/planer.xml"),
        "kommuner/hjoerring/planer.xml",
    );
    assert_eq!(
        hj,
        vec![
            (
                "Handleplan 2026 – Hjørring Kommune".to_string(),
                format!("{BASE}/kommuner/hjoerring/handleplan/2026/")
            ),
            (
                "Handleplan 2025 – Hjørring Kommune".to_string(),
                format!("{BASE}/kommuner/hjoerring/handleplan/2025/")
            ),
        ]
    );
    let nj = entries(
        &text(&tree, "kredse/nordjylland/planer.xml"),
        "kredse/nordjylland/planer.xml",
    );
    let ids: Vec<&str> = nj.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            format!("{BASE}/kommuner/hjoerring/handleplan/2026/"),
            format!("{BASE}/kommuner/hjoerring/handleplan/2025/"),
            format!("{BASE}/kredse/nordjylland/samarbejdsplan/2022/"),
        ]
    );
    // Entries name the council whose plan it is, and come newest first by the date
    // they show, in every feed (the 50 kept are the newest by it).
    let hj_xml = text(&tree, "kommuner/hjoerring/planer.xml");
    assert!(
        hj_xml.contains("<author>\n      <name>Lokalrådet i Hjørring Kommune</name>"),
        "{hj_xml}"
    );
    for (path, bytes) in &tree {
        if path.ends_with("planer.xml") {
            let xml = String::from_utf8_lossy(bytes);
            let dates: Vec<&str> = xml
                .split("<entry>")
                .skip(1)
                .filter_map(|e| e.split("<updated>").nth(1))
                .map(|u| &u[..10])
                .collect();
            assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{path}: {dates:?}");
        }
    }
    // Another district's feed has none of Nordjylland's plans.
    let oj = entries(
        &text(&tree, "kredse/oestjylland/planer.xml"),
        "kredse/oestjylland/planer.xml",
    );
    assert!(
        oj.iter().all(|(_, id)| id.contains("/oestjylland/")),
        "{oj:?}"
    );
    assert!(!oj.is_empty());
    // A kommune without plans has an empty feed to subscribe to, updated when the
    // site's newest plan was (a reader showed 1970).
    let empty = text(&tree, "kommuner/broenderslev/planer.xml");
    assert!(entries(&empty, "kommuner/broenderslev/planer.xml").is_empty());
    assert!(!empty.contains("1970"), "{empty}");
    let updated = |xml: &str| {
        let at = xml.find("<updated>").unwrap() + 9;
        xml[at..at + 10].to_string()
    };
    let newest = [
        "kredse/nordjylland/planer.xml",
        "kredse/oestjylland/planer.xml",
    ]
    .iter()
    .chain(["kredse/midt-og-vestjylland/planer.xml"].iter())
    .map(|p| updated(&text(&tree, p)))
    .max()
    .unwrap();
    assert_eq!(updated(&empty), newest);

    // Every calendar parses; only issuers with meetings have one (Hjørring here).
    let calendars: Vec<&String> = tree.keys().filter(|p| p.ends_with(".ics")).collect();
    assert_eq!(calendars, vec!["kommuner/hjoerring/moeder.ics"]);
    for path in &calendars {
        let ics = text(&tree, path);
        assert!(
            ics.split("\r\n").all(|l| l.len() <= 75),
            "{path}: a line longer than 75 octets"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        calendar(&ics, path);
    }
    let cal = calendar(
        &text(&tree, "kommuner/hjoerring/moeder.ics"),
        "kommuner/hjoerring/moeder.ics",
    );
    assert_eq!(cal.events.len(), 8, "2025's four meetings and 2026's four");
    let in_2026: Vec<&IcalEvent> = cal
        .events
        .iter()
        .filter(|e| value(&e.properties, "DTSTART").starts_with("2026"))
        .collect();
    assert_eq!(in_2026.len(), 4);
    let starts: Vec<String> = in_2026
        .iter()
        .map(|e| value(&e.properties, "DTSTART"))
        .collect();
    assert_eq!(
        starts,
        [
            "20260306T090000",
            "20260529T100000",
            "20260918T090000",
            "20261127T090000"
        ]
    );
    let first = &in_2026[0].properties;
    let start = prop(first, "DTSTART").unwrap();
    let end = prop(first, "DTEND").unwrap();
    for p in [start, end] {
        assert_eq!(
            param(p, "TZID").as_deref(),
            Some("Europe/Copenhagen"),
            "{p:?}"
        );
    }
    assert_eq!(local(end), local(start) + Duration::hours(2));
    // 09.00 in Copenhagen on 6 March is 08.00 UTC (CET); on 29 May it is CEST.
    assert_eq!(offset_hours(&cal, "Europe/Copenhagen", local(start)), 1);
    let may = prop(&in_2026[1].properties, "DTSTART").unwrap();
    assert_eq!(offset_hours(&cal, "Europe/Copenhagen", local(may)), 2);
    assert_eq!(
        value(first, "SUMMARY"),
        "Møde i Lokalrådet i Hjørring Kommune"
    );
    assert_eq!(value(first, "LOCATION"), "Politistationen i Hjørring");
    assert_eq!(
        value(first, "UID"),
        "kommune-hjoerring-20260306-1@www.samarbejdsplaner.dk"
    );
    assert!(value(first, "DTSTAMP").ends_with('Z'));
    // The plan's remark on a meeting, "(borgmesteren inviteres)", is in the calendar,
    // on the kommune's page and in the open data, as the plan writes it.
    assert_eq!(
        value(&in_2026[3].properties, "DESCRIPTION"),
        "Borgmesteren inviteres. Ifølge Handleplan 2026 – Hjørring Kommune."
    );
    assert_eq!(
        value(first, "DESCRIPTION"),
        "Ifølge Handleplan 2026 – Hjørring Kommune."
    );
    assert!(text(&tree, "kommuner/hjoerring/index.html")
        .contains("Rådhuset i Hjørring (borgmesteren inviteres)</li>"));
    assert!(text(&tree, "data/planer.json").contains("\"note\": \"leder DKS, Politi inviteres\""));
    let uids: Vec<String> = cal
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "{uids:?}");

    // Two builds, the same UIDs and the same bytes.
    let cal2 = calendar(
        &text(&again, "kommuner/hjoerring/moeder.ics"),
        "kommuner/hjoerring/moeder.ics",
    );
    let uids2: Vec<String> = cal2
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    assert_eq!(uids, uids2);
    for (path, bytes) in &tree {
        if path.ends_with(".xml") || path.ends_with(".ics") {
            assert!(
                again.get(path) == Some(bytes),
                "{path} differs between builds"
            );
        }
    }
}

#[test]
fn pages_announce_and_link_their_feeds_and_calendars() {
    let d = TempDir::new("feeds-pages");
    let out = d.path().join("public");
    // A sub-path: every link carries it, and the build's link check passes.
    if let Err(e) = build_to(&repo(), &out, Some("https://example.dk/planer/")) {
        panic!("{e:?}");
    }
    let head = |html: &str| html.split("</head>").next().unwrap_or("").to_string();
    let hj = page(&out, "kommuner/hjoerring/");
    let h = head(&hj);
    assert!(h.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Handleplaner – Hjørring Kommune\" href=\"/planer/kommuner/hjoerring/planer.xml\">"
    ), "{h}");
    assert!(h.contains(
        "<link rel=\"alternate\" type=\"text/calendar\" title=\"Møder i Lokalrådet i Hjørring Kommune\" href=\"/planer/kommuner/hjoerring/moeder.ics\">"
    ), "{h}");
    assert!(hj.contains("<a href=\"/planer/kommuner/hjoerring/planer.xml\""));
    assert!(hj.contains(
        "<a href=\"/planer/kommuner/hjoerring/moeder.ics\" type=\"text/calendar\">Tilføj møderne til din kalender</a>"
    ));
    let nj = page(&out, "kredse/nordjylland/");
    assert!(head(&nj).contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Samarbejds- og handleplaner – Nordjyllands Politi\" href=\"/planer/kredse/nordjylland/planer.xml\">"
    ));
    assert!(nj.contains("<a href=\"/planer/kredse/nordjylland/planer.xml\""));
    // No meetings, no calendar link.
    assert!(!head(&nj).contains("text/calendar"));
    let br = page(&out, "kommuner/broenderslev/");
    assert!(head(&br).contains("/planer/kommuner/broenderslev/planer.xml"));
    assert!(!br.contains("moeder.ics"));
    assert!(!out.join("kommuner/broenderslev/moeder.ics").exists());
    // The feed's and calendar's own links carry the sub-path too.
    let feed = std::fs::read_to_string(out.join("kommuner/hjoerring/planer.xml")).unwrap();
    assert!(feed.contains("href=\"https://example.dk/planer/kommuner/hjoerring/planer.xml\""));
    let ics = std::fs::read_to_string(out.join("kommuner/hjoerring/moeder.ics")).unwrap();
    assert!(ics.contains("URL:https://example.dk/planer/kommuner/hjoerring/handleplan/2026/"));
    assert!(ics.contains("@example.dk\r\n"));
}

#[test]
fn unreadable_meeting_times_are_all_day_events() {
    let d = TempDir::new("feeds-times");
    let root = d.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    common::copy_site(&repo(), &root);
    let plan = root.join("content/kredse/nordjylland/kommuner/hjoerring/handleplan-2026.md");
    let text = std::fs::read_to_string(&plan).unwrap();
    let text = text
        .replacen("time = \"10.00–12.00\"", "time = \"efter aftale\"", 1)
        .replacen("time = \"09.00–11.00\"", "time = \"kl. 9.30\"", 1)
        .replacen("time = \"09.00–11.00\"", "time = \"23.00–01.00\"", 1);
    std::fs::write(&plan, text).unwrap();
    let out = d.path().join("public");
    if let Err(e) = build_to(&root, &out, None) {
        panic!("{e:?}");
    }
    let ics = std::fs::read_to_string(out.join("kommuner/hjoerring/moeder.ics")).unwrap();
    let cal = calendar(&ics, "moeder.ics");
    let event = |date: &str| {
        cal.events
            .iter()
            .find(|e| value(&e.properties, "DTSTART").starts_with(date))
            .unwrap_or_else(|| panic!("no meeting on {date}"))
    };
    // "efter aftale": all day, DTEND the next day (exclusive).
    let may = &event("20260529").properties;
    let start = prop(may, "DTSTART").unwrap();
    assert_eq!(param(start, "VALUE").as_deref(), Some("DATE"));
    assert_eq!(start.value.as_deref(), Some("20260529"));
    assert_eq!(value(may, "DTEND"), "20260530");
    // "kl. 9.30": a start and no end.
    let march = &event("20260306").properties;
    assert_eq!(value(march, "DTSTART"), "20260306T093000");
    assert!(prop(march, "DTEND").is_none());
    // "23.00–01.00": ends at one o'clock the next night, not a zero-length event.
    let september = &event("20260918").properties;
    assert_eq!(value(september, "DTSTART"), "20260918T230000");
    assert_eq!(value(september, "DTEND"), "20260919T010000");
}
