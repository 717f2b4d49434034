//! Front matter recognition: the plan's kind, years and title from its cover, the
//! approval date and place and the signatories from the foreword's closing, and the
//! facts plans list (lokalråd members, meetings, per-kommune priorities).

use super::clean::{list_marker, Block};
use super::headings::{Heading, Item};
use crate::init::national;
use crate::load::PlanKind;
use crate::model::MONTHS;

/// What the front matter will say.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Front {
    pub kind: Option<PlanKind>,
    pub years: Vec<i64>,
    pub title: String,
    pub subtitle: Option<String>,
    pub approved: Option<String>,
    pub approved_place: Option<String>,
    pub source_title: String,
    pub publisher: String,
    pub format: Option<String>,
    pub printed_titles: Vec<String>,
    pub signatories: Vec<Person>,
    pub members: Vec<Member>,
    pub meetings: Vec<Meeting>,
    pub local_priorities: Vec<(String, Vec<String>)>,
    /// What the text says that does not add up, for the report.
    #[serde(skip)]
    pub doubts: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Person {
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub role: String,
    pub name: Option<String>,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Meeting {
    pub date: String,
    pub time: Option<String>,
    pub place: Option<String>,
    /// The remark in brackets after it ("borgmesteren inviteres").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// "HANDLEPLAN 2026", "Kredsrådets samarbejdsplan 2022", "Handleplan 2025-2026": the
/// kind and years (maybe none) a short line names, if it names a plan.
pub fn plan_title(line: &str) -> Option<(PlanKind, Vec<i64>)> {
    let l = line.to_lowercase();
    let kind = if l.contains("samarbejdsplan") {
        PlanKind::Samarbejdsplan
    } else if l.contains("handleplan") {
        PlanKind::Handleplan
    } else {
        return None;
    };
    (line.split_whitespace().count() <= 8).then(|| (kind, years_in(&l)))
}

/// Years a title names: "2025", "2025-2026", "2025 og 2026" (a span), in order.
fn years_in(s: &str) -> Vec<i64> {
    let ys: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| t.len() == 4)
        .filter_map(|t| t.parse().ok())
        .filter(|y| (2000..2100).contains(y))
        .collect();
    match ys.as_slice() {
        [a, b] if a < b && b - a <= 10 => (*a..=*b).collect(),
        [a, ..] => vec![*a],
        [] => vec![],
    }
}

/// "Holstebro, den 19. december 2024." → ("Holstebro", "2024-12-19").
pub fn approval(text: &str) -> Option<(String, String)> {
    let t = text.replace("**", "");
    if let Some(found) = approval_sentence(t.trim()) {
        return Some(found);
    }
    let (place, rest) = t.trim().split_once(", den ")?;
    if place.split_whitespace().count() > 3 || rest.split_whitespace().count() > 3 {
        return None;
    }
    let date = danish_date(rest.trim_end_matches('.'), None)?;
    Some((place.trim().to_string(), date))
}

/// The approval as a sentence: "Godkendt i lokalrådet den 10. december 2024 i Herning."
/// or "Vedtaget på kredsrådsmødet den 4. marts 2024" (place empty when not given).
fn approval_sentence(t: &str) -> Option<(String, String)> {
    let first = t.split_whitespace().next()?.to_lowercase();
    if !["godkendt", "vedtaget", "behandlet"].contains(&first.as_str())
        || t.split_whitespace().count() > 20
    {
        return None;
    }
    let (_, rest) = t.split_once(" den ")?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let date = danish_date(&words.get(..3)?.join(" "), None)?;
    let place = match words.get(3..) {
        Some([on, place @ ..]) if (*on == "i" || *on == "på") && !place.is_empty() => {
            place.join(" ").trim_end_matches('.').to_string()
        }
        _ => String::new(),
    };
    Some((place, date))
}

pub fn is_approval_line(text: &str) -> bool {
    approval(text).is_some()
}

/// "19. december 2024" → "2024-12-19"; without a year, `year` is used.
fn danish_date(s: &str, year: Option<i64>) -> Option<String> {
    let mut it = s.split_whitespace();
    let day: u8 = it.next()?.trim_end_matches('.').parse().ok()?;
    let month = it.next()?.to_lowercase();
    let m = MONTHS
        .iter()
        .position(|n| *n == month.trim_end_matches([',', '.']))?
        + 1;
    let y = match it
        .next()
        .and_then(|y| y.trim_end_matches(['.', ',']).parse::<i64>().ok())
    {
        Some(y) if (2000..2100).contains(&y) => y,
        _ => year?,
    };
    (1..=31)
        .contains(&day)
        .then(|| format!("{y:04}-{m:02}-{day:02}"))
}

/// Sentence case for an all-capitals line, proper names restored from the national
/// data: "KREDSRÅDET I ØSTJYLLANDS POLITIKREDS" → "Kredsrådet i Østjyllands Politikreds".
pub fn sentence_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    let mut proper: Vec<String> = vec!["Politikreds".into(), "Kommune".into(), "Politi".into()];
    for k in national::kredse() {
        proper.extend(k.name.split_whitespace().map(str::to_string));
        proper.extend(k.kommuner.iter().map(|m| m.name.clone()));
    }
    proper.retain(|w| w != "og");
    let lower = s.to_lowercase();
    let words: Vec<String> = lower
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if let Some(p) = proper.iter().find(|p| p.to_lowercase() == w) {
                p.clone()
            } else if i == 0 {
                let mut c = w.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            } else {
                w.to_string()
            }
        })
        .collect();
    words.join(" ")
}

/// Kind, years, title, subtitle and printed titles from the cover and contents.
pub fn read_cover(cover: &[Block], extra_titles: &[String], front: &mut Front) {
    let lines: Vec<String> = cover
        .iter()
        .flat_map(|b| b.lines.iter())
        .map(|l| clean(l))
        .filter(|l| !l.is_empty())
        .collect();
    let title_at = lines.iter().position(|l| plan_title(l).is_some());
    if let Some(i) = title_at {
        if let Some((kind, years)) = plan_title(&lines[i]) {
            front.kind = Some(kind);
            front.years = years;
        }
        front.title = sentence_case(&lines[i]);
        front.source_title = lines[i].clone();
        // Not the first of a list of the kommuner behind a district's plan (Nordjylland
        // 2022's cover names all nine, one per line): that is no subtitle.
        let kommune_line =
            |s: &String| s.ends_with(" Kommune") && s.split_whitespace().count() <= 4;
        let listed = lines.get(i + 1).is_some_and(kommune_line)
            && lines.get(i + 2).is_some_and(kommune_line);
        let sub = lines.get(i + 1).filter(|s| {
            !listed
                && s.split_whitespace().count() <= 12
                && plan_title(s).is_none()
                && !s.to_lowercase().starts_with("indhold")
        });
        if let Some(s) = sub {
            front.subtitle = Some(sentence_case(s));
            front.source_title = format!("{} – {s}", lines[i]);
        }
    }
    for t in lines.iter().chain(extra_titles) {
        let dated = plan_title(t).is_some_and(|(_, y)| !y.is_empty());
        if dated && !front.printed_titles.contains(t) {
            front.printed_titles.push(t.clone());
        }
    }
}

/// A line without Markdown emphasis, `#`s and surrounding space.
fn clean(l: &str) -> String {
    l.trim()
        .trim_start_matches('#')
        .replace("**", "")
        .trim()
        .to_string()
}

/// Approval, signatories, members, meetings and local priorities from the body.
pub fn read_body(items: &[Item], kreds: &national::Kreds, front: &mut Front) {
    let year = front.years.first().copied();
    let mut section: Option<&Heading> = None;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Heading(h) => section = Some(h),
            Item::Text(b) => {
                if front.approved.is_none() {
                    if let Some((place, date)) = approval(&b.joined()) {
                        front.approved = Some(date);
                        front.approved_place = (!place.is_empty()).then_some(place);
                        front.signatories = signatories(&items[i + 1..]);
                    }
                }
                let title = section.map(|h| h.title.to_lowercase()).unwrap_or_default();
                if b.is_list() && title.contains("sammensætning") && front.members.is_empty() {
                    front.members = b.lines.iter().map(|l| member(item_text(l))).collect();
                }
                if b.is_list() && title.contains("møde") {
                    for l in &b.lines {
                        let Some(m) = meeting(item_text(l), year) else {
                            continue;
                        };
                        if let Some(doubt) = weekday_doubt(item_text(l), &m.date) {
                            front.doubts.push(doubt);
                        }
                        front.meetings.push(m);
                    }
                }
                if let Some(h) = section.filter(|_| b.is_list()) {
                    if let Some(m) = kreds.kommuner.iter().find(|m| m.full_name == h.text) {
                        let list: Vec<String> =
                            b.lines.iter().map(|l| item_text(l).to_string()).collect();
                        front.local_priorities.push((m.slug.clone(), list));
                    }
                }
            }
        }
    }
    if front.members.is_empty() && front.kind == Some(PlanKind::Samarbejdsplan) {
        front.members = council_members(front, kreds);
    }
}

fn item_text(l: &str) -> &str {
    l[list_marker(l).unwrap_or(0)..].trim()
}

/// Name and role pairs after the approval line, until a heading or a paragraph.
fn signatories(items: &[Item]) -> Vec<Person> {
    let mut lines: Vec<String> = Vec::new();
    for it in items {
        match it {
            Item::Text(b) if b.lines.iter().all(|l| l.split_whitespace().count() <= 8) => {
                lines.extend(b.lines.iter().map(|l| clean(l)));
            }
            _ => break,
        }
    }
    let is_role = |l: &str| {
        let l = l.to_lowercase();
        [
            "borgmester",
            "direktør",
            "formand",
            "chef",
            "inspektør",
            "leder",
        ]
        .iter()
        .any(|r| l.contains(r))
    };
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    for l in lines {
        if is_role(&l) {
            if let Some(n) = name.take() {
                out.push(Person { name: n, role: l });
            }
        } else {
            name = Some(l);
        }
    }
    out
}

/// "Formand og vicepolitiinspektør, Patruljecenter Hjørring" → role and organisation.
fn member(text: &str) -> Member {
    let org_words = [
        "Kommune",
        "Politi",
        "Patruljecenter",
        "Kriminalforsorgen",
        "Region",
    ];
    match text.rsplit_once(", ") {
        Some((role, org)) if org_words.iter().any(|w| org.contains(w)) => Member {
            role: role.trim().to_string(),
            name: None,
            organisation: Some(org.trim().to_string()),
        },
        _ => Member {
            role: text.to_string(),
            name: None,
            organisation: None,
        },
    }
}

const WEEKDAYS: [&str; 7] = [
    "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
];

/// The weekday of an ISO date, Monday = 0 (Sakamoto's method).
fn weekday(iso: &str) -> Option<usize> {
    let mut it = iso.split('-').map(|n| n.parse::<i64>().ok());
    let (mut y, m, d) = (it.next()??, it.next()??, it.next()??);
    const T: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    if m < 3 {
        y -= 1;
    }
    let sunday_0 = (y + y / 4 - y / 100 + y / 400 + T[usize::try_from(m - 1).ok()?] + d) % 7;
    usize::try_from((sunday_0 + 6) % 7).ok()
}

/// "Fredag, den 6. december" when 6 December of that year is a Saturday: the source
/// contradicts itself, and the date is what gets published.
fn weekday_doubt(text: &str, iso: &str) -> Option<String> {
    let written = text
        .split_once("den ")?
        .0
        .trim()
        .trim_end_matches(',')
        .to_lowercase();
    let said = WEEKDAYS.iter().position(|w| *w == written)?;
    let actual = weekday(iso)?;
    (said != actual).then(|| {
        format!(
            "a meeting is given as \"{}\", but {iso} is a {}; check the date",
            text.split_once(" kl. ").map_or(text, |(d, _)| d),
            WEEKDAYS[actual]
        )
    })
}

/// "Fredag, den 6. marts kl. 09.00 – 11.00 på Politistationen i Hjørring (…)".
fn meeting(text: &str, year: Option<i64>) -> Option<Meeting> {
    let (_, rest) = text.split_once("den ")?;
    let (date_part, rest) = rest.split_once(" kl. ")?;
    let date = danish_date(date_part, year)?;
    let mut words = rest.splitn(2, [' ']);
    let from = words.next()?.to_string();
    let mut rest = words.next().unwrap_or("").trim_start();
    let mut time = from.clone();
    if let Some(r) = rest.strip_prefix("– ").or_else(|| rest.strip_prefix("- ")) {
        let (to, r2) = r.split_once(' ').unwrap_or((r, ""));
        time = format!("{from}–{to}");
        rest = r2;
    }
    // The remark in brackets at the end ("(borgmesteren inviteres)"), earlier brackets
    // being part of the place ("Rådhuset (lokale 2)").
    let (rest, note) = trailing_brackets(rest.trim_end().trim_end_matches('.'));
    let place = ["på ", "til ", "i "]
        .iter()
        .find_map(|p| rest.trim_start().strip_prefix(p))
        // A bracket left open is cut off, as before there were remarks.
        .map(|p| match note {
            None => p.split(" (").next().unwrap_or(p),
            Some(_) => p,
        })
        .map(|p| p.trim().trim_end_matches('.').to_string());
    Some(Meeting {
        date,
        time: Some(time),
        place: place.filter(|p| !p.is_empty()),
        note,
    })
}

/// `text` without the bracketed remark it ends with, and the remark (brackets nested in
/// it kept); `None` when it ends with no complete one.
fn trailing_brackets(text: &str) -> (&str, Option<String>) {
    let Some(inner) = text.strip_suffix(')') else {
        return (text, None);
    };
    let mut depth = 0;
    for (i, c) in inner.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                let note = inner[i + 1..].trim();
                return (
                    text[..i].trim_end(),
                    (!note.is_empty()).then(|| note.to_string()),
                );
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    (text, None)
}

/// A kredsråd: the police director and the mayors, from the signatories or, without
/// them, from the kommuner the cover names.
fn council_members(front: &Front, kreds: &national::Kreds) -> Vec<Member> {
    let mut out = Vec::new();
    for s in &front.signatories {
        let (role, org) = match s.role.split_once(" i ") {
            Some((r, o)) if o.contains("Kommune") => (r.to_string(), o.to_string()),
            _ => (s.role.clone(), kreds.name.clone()),
        };
        out.push(Member {
            role,
            name: Some(s.name.clone()),
            organisation: Some(org),
        });
    }
    out
}

/// Mayors from a cover that lists the district's kommuner ("Læsø Kommune").
pub fn cover_council(cover: &[Block], kreds: &national::Kreds) -> Vec<Member> {
    let names: Vec<String> = cover
        .iter()
        .flat_map(|b| b.lines.iter().map(|l| clean(l)))
        .filter(|l| kreds.kommuner.iter().any(|m| &m.full_name == l))
        .collect();
    if names.len() < 2 {
        return Vec::new();
    }
    let mut out = vec![Member {
        role: "Politidirektør".into(),
        name: None,
        organisation: Some(kreds.name.clone()),
    }];
    out.extend(names.into_iter().map(|n| Member {
        role: "Borgmester".into(),
        name: None,
        organisation: Some(n),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            plan_title("HANDLEPLAN 2026"),
            Some((PlanKind::Handleplan, vec![2026]))
        );
        assert_eq!(
            plan_title("Kredsrådets samarbejdsplan 2022"),
            Some((PlanKind::Samarbejdsplan, vec![2022]))
        );
        assert_eq!(
            plan_title("Handleplan 2025 og 2026").unwrap().1,
            vec![2025, 2026]
        );
        assert_eq!(
            plan_title("Handleplan"),
            Some((PlanKind::Handleplan, vec![]))
        );
        assert_eq!(plan_title("Referat af mødet"), None);
        assert_eq!(
            sentence_case("KREDSRÅDET I MIDT- OG VESTJYLLANDS POLITIKREDS"),
            "Kredsrådet i Midt- og Vestjyllands Politikreds"
        );
        assert_eq!(sentence_case("HANDLEPLAN 2026"), "Handleplan 2026");
    }

    #[test]
    fn a_weekday_that_contradicts_the_date_is_doubted() {
        assert_eq!(weekday("2025-12-06"), Some(5)); // lørdag
        assert_eq!(weekday("2026-03-06"), Some(4)); // fredag
        assert_eq!(weekday("2024-02-29"), Some(3)); // torsdag
        let doubt = weekday_doubt("Fredag, den 6. december kl. 09.00 – 11.00", "2025-12-06");
        assert_eq!(
            doubt.as_deref(),
            Some("a meeting is given as \"Fredag, den 6. december\", but 2025-12-06 is a lørdag; check the date")
        );
        assert_eq!(
            weekday_doubt("Fredag, den 6. marts kl. 09.00", "2026-03-06"),
            None
        );
        assert_eq!(weekday_doubt("Den 6. marts kl. 09.00", "2026-03-06"), None);
    }

    #[test]
    fn dates_and_meetings() {
        assert_eq!(
            approval("Holstebro, den 19. december 2024."),
            Some(("Holstebro".into(), "2024-12-19".into()))
        );
        assert_eq!(
            approval("Aarhus, den 4. marts 2024").unwrap().1,
            "2024-03-04"
        );
        // As a sentence, as a lokalråd writes it.
        assert_eq!(
            approval("Godkendt i lokalrådet den 10. december 2024 i Herning."),
            Some(("Herning".into(), "2024-12-10".into()))
        );
        assert_eq!(
            approval("Vedtaget på kredsrådsmødet den 4. marts 2024."),
            Some((String::new(), "2024-03-04".into()))
        );
        assert_eq!(approval("Godkendt af alle parter i løbet af året."), None);
        let m = meeting(
            "Fredag, den 18. september kl. 09.00 – 11.00 på Politistationen i Hjørring (leder DKS)",
            Some(2026),
        )
        .unwrap();
        assert_eq!(m.date, "2026-09-18");
        assert_eq!(m.time.as_deref(), Some("09.00–11.00"));
        assert_eq!(m.place.as_deref(), Some("Politistationen i Hjørring"));
        // The remark in brackets is kept, as the plan writes it.
        assert_eq!(m.note.as_deref(), Some("leder DKS"));
        let m = meeting("Fredag, den 6. marts kl. 09.00 på Rådhuset", Some(2026)).unwrap();
        assert_eq!(m.note, None);
        // Earlier brackets belong to the place; a remark without a place is kept; one
        // without its closing bracket is no remark.
        let m = meeting(
            "Fredag, den 6. marts kl. 09.00 på Rådhuset (lokale 2) (borgmesteren inviteres).",
            Some(2026),
        )
        .unwrap();
        assert_eq!(m.place.as_deref(), Some("Rådhuset (lokale 2)"));
        assert_eq!(m.note.as_deref(), Some("borgmesteren inviteres"));
        let m = meeting(
            "Fredag, den 6. marts kl. 09.00 – 11.00 (borgmesteren (og viceborgmesteren) inviteres)",
            Some(2026),
        )
        .unwrap();
        assert_eq!(m.place, None);
        assert_eq!(
            m.note.as_deref(),
            Some("borgmesteren (og viceborgmesteren) inviteres")
        );
        let m = meeting(
            "Fredag, den 6. marts kl. 09.00 på Rådhuset (husk",
            Some(2026),
        )
        .unwrap();
        assert_eq!(m.note, None);
    }

    #[test]
    fn members() {
        let m = member("Formand og vicepolitiinspektør, Patruljecenter Hjørring");
        assert_eq!(m.role, "Formand og vicepolitiinspektør");
        assert_eq!(m.organisation.as_deref(), Some("Patruljecenter Hjørring"));
        assert!(member("Leder v/Kriminalforsorgen").organisation.is_none());
    }
}
