//! A lokalråd's or kredsråd's meetings, from all of its plans, as an iCalendar file
//! (RFC 5545) beside its page ([`crate::routes::issuer_calendar`]), written with the
//! `icalendar` crate, whose are the escaping and line folding.
//!
//! Deterministic, so a rebuild changes no byte and a subscribed calendar sees the same
//! events:
//! - UID: `<kommune|kreds>-<slug>-<yyyymmdd>-<n>@<host of base_url>`, `n` counting the
//!   issuer's meetings on that date (in time, then place order) from 1, so adding a
//!   meeting on another day renames nothing. The kind is there because a kreds and a
//!   kommune may share a slug (Bornholm).
//! - DTSTAMP: midnight UTC of the approval date of the plan that lists the meeting, or of
//!   the meeting's own date when the plan has none.
//! - Times are local, `TZID=Europe/Copenhagen`, with that VTIMEZONE (CET/CEST, EU rules);
//!   a meeting whose time text cannot be read ([`parse_time`]) is an all-day event.

use chrono::{NaiveDate, NaiveTime, Timelike};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, Property};

use super::data::absolute;
use crate::model::{Issuer, Meeting, Site};
use crate::routes::{Page, Routes};

pub const TZID: &str = "Europe/Copenhagen";

/// Europe/Copenhagen as the EU has kept it since 1996: CEST from the last Sunday of
/// March 02:00, CET from the last Sunday of October 03:00. Constant text: the
/// `icalendar` crate would write its generic components with a `DTSTAMP` of the build's
/// clock and a random `UID` (neither belongs in a VTIMEZONE), so it is spliced in here.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Copenhagen\r\n\
X-LIC-LOCATION:Europe/Copenhagen\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

const END: &str = "END:VCALENDAR\r\n";

/// The issuers with at least one meeting: only they get a calendar (and a link to it).
pub fn issuers(site: &Site) -> Vec<Issuer> {
    site.issuers()
        .into_iter()
        .filter(|&i| has_meetings(site, i))
        .collect()
}

/// Whether any of the issuer's plans lists a meeting.
pub fn has_meetings(site: &Site, issuer: Issuer) -> bool {
    site.issuer_plans(issuer)
        .iter()
        .any(|&p| !site.plans[p].meetings.is_empty())
}

/// The meetings of an issuer's `plans` (all of them, in order), each with the plan that
/// lists it: sorted
/// by date, time and place; a meeting listed by two plans appears once, from the newer.
fn meetings<'s>(site: &'s Site, plans: &[usize]) -> Vec<(usize, &'s Meeting, NaiveDate)> {
    let mut out: Vec<(usize, &Meeting, NaiveDate)> = Vec::new();
    for &p in plans.iter().rev() {
        for m in &site.plans[p].meetings {
            let Some(date) = naive(m.date) else { continue };
            let same = |o: &(usize, &Meeting, NaiveDate)| {
                o.2 == date && o.1.time == m.time && o.1.place == m.place
            };
            if !out.iter().any(same) {
                out.push((p, m, date));
            }
        }
    }
    out.sort_by(|a, b| (a.2, &a.1.time, &a.1.place).cmp(&(b.2, &b.1.time, &b.1.place)));
    out
}

fn naive(d: crate::model::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(d.year).ok()?,
        u32::from(d.month),
        u32::from(d.day),
    )
}

/// The issuer's calendar file, from `plans` (its own, [`Site::issuer_plans`]: the only
/// plans it reads).
pub fn ics(site: &Site, r: &Routes, issuer: Issuer, plans: &[usize]) -> Vec<u8> {
    let council = site.issuer_council(issuer);
    let host = host(&site.config.base_url);
    let (kind, slug) = match issuer {
        Issuer::Kreds(k) => ("kreds", &site.kredse[k].slug),
        Issuer::Kommune(m) => ("kommune", &site.kommuner[m].slug),
    };
    let mut out = head(&council);
    let summary = one_line(&format!("Møde i {council}"));
    let mut prev: Option<NaiveDate> = None;
    let mut n = 0;
    for (p, m, date) in meetings(site, plans) {
        // The n-th meeting on one day.
        n = if prev == Some(date) { n + 1 } else { 1 };
        prev = Some(date);
        let uid = format!("{kind}-{slug}-{}-{n}@{host}", date.format("%Y%m%d"));
        let mut e = event(site, r, p, m, date);
        e.uid(&uid).summary(&summary);
        // Writing into a String cannot fail.
        out.push_str(&e.done().try_into_string().unwrap_or_default());
    }
    out.push_str(END);
    out.into_bytes()
}

/// The calendar's properties and time zone: everything before its events.
fn head(council: &str) -> String {
    let mut cal = Calendar::empty();
    for (k, v) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//planspor//planspor//DA"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-TIMEZONE", TZID),
    ] {
        cal.append_property(Property::new(k, v));
    }
    cal.name(&one_line(&format!("Møder i {council}")));
    let head = cal.to_string();
    // icalendar ends every calendar so; the VTIMEZONE and the events go before it.
    let mut out = head.strip_suffix(END).unwrap_or(&head).to_string();
    out.push_str(VTIMEZONE);
    out
}

/// Meeting `m` of plan `p` on `date`: when and where, and the plan that names it.
fn event(site: &Site, r: &Routes, p: usize, m: &Meeting, date: NaiveDate) -> Event {
    let plan = &site.plans[p];
    let stamp = plan
        .approved
        .and_then(naive)
        .unwrap_or(date)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let mut e = Event::new();
    e.timestamp(stamp)
        .description(&one_line(&format!(
            "{}Ifølge {} – {}.",
            m.note.as_deref().map_or(String::new(), as_lead),
            plan.title,
            site.issuer_name(plan.issuer)
        )))
        .url(&absolute(site, r, &r.url(Page::Plan(p))));
    if let Some(place) = &m.place {
        e.location(&one_line(place));
    }
    match m.time.as_deref().and_then(parse_time) {
        Some((start, end)) => {
            e.starts(local(date, start));
            if let Some(end) = end {
                let day = if end <= start {
                    date.succ_opt()
                } else {
                    Some(date)
                };
                if let Some(day) = day {
                    e.ends(local(day, end));
                }
            }
        }
        None => {
            // All day: DTEND is the (exclusive) next day.
            e.starts(date);
            if let Some(next) = date.succ_opt() {
                e.ends(next);
            }
        }
    }
    e
}

fn local(date: NaiveDate, t: NaiveTime) -> CalendarDateTime {
    CalendarDateTime::WithTimezone {
        date_time: date.and_time(t),
        tzid: TZID.into(),
    }
}

/// Text on one line without control characters: iCalendar text may hold none but tab,
/// and the crate escapes line feeds but not carriage returns. U+FFFE and U+FFFF go too,
/// as in the XML files: PDF debris, not text.
fn one_line(s: &str) -> String {
    let keep = |c: char| c == '\t' || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'));
    s.split(['\n', '\r'])
        .map(|l| l.chars().filter(|&c| keep(c)).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The host of an `http(s)://host[:port]/path` URL, for UIDs; `localhost` if none.
fn host(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or(authority)
    } else {
        authority.split(':').next().unwrap_or(authority)
    };
    if host.is_empty() {
        "localhost".into()
    } else {
        host.to_ascii_lowercase()
    }
}

/// A meeting's note as the first sentence of its description: a remark written in
/// brackets starts lower case ("borgmesteren inviteres"); here it leads and ends.
fn as_lead(note: &str) -> String {
    let mut c = note.chars();
    let first: String = c
        .next()
        .map(char::to_uppercase)
        .into_iter()
        .flatten()
        .collect();
    let rest = c.as_str();
    let stop = if rest.ends_with(['.', '!', '?']) {
        " "
    } else {
        ". "
    };
    format!("{first}{rest}{stop}")
}

/// An afternoon or evening meeting that ends after midnight ("23.00–01.00",
/// "17.30–00.30"): its end is the next day's, not a typo.
fn overnight(start: NaiveTime, end: NaiveTime) -> bool {
    start.hour() >= 12 && end.hour() < 6
}

/// A meeting's start and, if given, end time from the free text plans print:
/// "09.00–11.00", "9.00 - 11.00", "kl. 10", "10:00-12". Only what follows "kl." is read
/// when it is there ("6. marts kl. 10"). `None` (an all-day event, never an error) for
/// anything else: no time, more than two times, an hour of three digits or more, an
/// impossible time.
pub fn parse_time(s: &str) -> Option<(NaiveTime, Option<NaiveTime>)> {
    let lower = s.to_lowercase();
    let text = ["kl.", "kl "]
        .iter()
        .find_map(|k| lower.find(k).map(|i| &lower[i + k.len()..]))
        .unwrap_or(&lower);
    let b = text.as_bytes();
    let mut times = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start > 2 {
            return None;
        }
        let hour: u32 = text[start..i].parse().ok()?;
        let mut minute = 0;
        // "9.30" / "9:30": exactly two digits after the separator.
        let two_digits = matches!(b.get(i), Some(b'.' | b':'))
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && b.get(i + 2).is_some_and(u8::is_ascii_digit)
            && !b.get(i + 3).is_some_and(u8::is_ascii_digit);
        if two_digits {
            minute = text[i + 1..i + 3].parse().ok()?;
            i += 3;
        }
        times.push(NaiveTime::from_hms_opt(hour, minute, 0)?);
    }
    match times[..] {
        [start] => Some((start, None)),
        [start, end] if end > start || overnight(start, end) => Some((start, Some(end))),
        // Any other end before the start is a typo we cannot fix: keep the start.
        [start, _] => Some((start, None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("09.00–11.00"), Some((t(9, 0), Some(t(11, 0)))));
        assert_eq!(parse_time("9.00 - 11.00"), Some((t(9, 0), Some(t(11, 0)))));
        assert_eq!(parse_time("kl. 10"), Some((t(10, 0), None)));
        assert_eq!(parse_time("Kl. 9.30-12"), Some((t(9, 30), Some(t(12, 0)))));
        assert_eq!(
            parse_time("10:15 til 11:45"),
            Some((t(10, 15), Some(t(11, 45))))
        );
        assert_eq!(parse_time("6. marts kl. 10"), Some((t(10, 0), None)));
        assert_eq!(parse_time("kl. 10."), Some((t(10, 0), None)));
        assert_eq!(parse_time("11.00–09.00"), Some((t(11, 0), None)));
        // Past midnight: the caller puts the end on the next day.
        assert_eq!(parse_time("23.00–01.00"), Some((t(23, 0), Some(t(1, 0)))));
        assert_eq!(parse_time("kl. 19-00.30"), Some((t(19, 0), Some(t(0, 30)))));
        assert_eq!(parse_time("17.30–00.30"), Some((t(17, 30), Some(t(0, 30)))));
    }

    #[test]
    fn unreadable_times_are_none() {
        for s in [
            "",
            "hele dagen",
            "efter aftale",
            "0900-1100",
            "25.00",
            "9.75",
            "9-11 og 13-15",
            "Lokale 12, 10.00-12.00",
            "kl.",
            "\u{0}\u{1}",
            "٣.٠٠",
            "99999999999999999999",
        ] {
            assert_eq!(parse_time(s), None, "{s:?}");
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(host("https://example.dk/"), "example.dk");
        assert_eq!(host("https://Example.DK:8443/planer/"), "example.dk");
        assert_eq!(host("http://u:p@[::1]:80/"), "[::1]");
        assert_eq!(host(""), "localhost");
    }

    #[test]
    fn one_line_strips_controls() {
        assert_eq!(one_line("a\r\nb\u{1}c\td\u{ffff}"), "a  bc\td");
    }
}
