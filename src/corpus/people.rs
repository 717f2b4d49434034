//! People and meetings: signatories, lokalråd members, meeting dates, and the one
//! statistic the plans print.

use super::data::PEOPLE;
use super::rng::{Rng, TAG_DIRECTOR, TAG_MAYOR, TAG_MEETINGS, TAG_MEMBERS, TAG_STATS};

pub(super) fn person(rng: &mut Rng) -> String {
    let f = rng.pick(&PEOPLE.first_names);
    let l = rng.pick(&PEOPLE.last_names);
    if rng.chance(0.15) {
        let m = rng.pick(&PEOPLE.last_names);
        format!("{f} {m} {l}")
    } else {
        format!("{f} {l}")
    }
}

/// The holder of an office in `term`: re-elected (the previous term's holder) or new.
pub(super) fn office_holder(seed: u64, tag: u64, who: usize, term: i64, stay: f64) -> String {
    let mut t = term;
    loop {
        let mut r = Rng::keyed(seed, &[tag, who as u64, t as u64]);
        if t > term - 12 && r.chance(stay) {
            t -= 1;
            continue;
        }
        return person(&mut r);
    }
}

/// The mayor signing in December of `year` (terms from 2006, four years each).
pub(super) fn mayor(seed: u64, m: usize, year: i64) -> String {
    office_holder(seed, TAG_MAYOR, m, (year - 2006).div_euclid(4), 0.55)
}

pub(super) fn director(seed: u64, k: usize, year: i64) -> String {
    office_holder(seed, TAG_DIRECTOR, k, (year - 2000).div_euclid(5), 0.4)
}

/// A lokalråd's members for a four-year term: (role, organisation).
pub(super) fn lokalraad(
    seed: u64,
    m: usize,
    term: i64,
    pol: &str,
    full: &str,
) -> Vec<(String, String)> {
    let mut r = Rng::keyed(seed, &[TAG_MEMBERS, m as u64, term as u64]);
    let mut v = vec![(
        "Formand og vicepolitiinspektør".to_string(),
        pol.to_string(),
    )];
    let mut p: Vec<&str> = PEOPLE.police_roles.iter().map(String::as_str).collect();
    r.shuffle(&mut p);
    for role in p.iter().take(r.range(1, 3)) {
        v.push((role.to_string(), pol.to_string()));
    }
    let mut k: Vec<&str> = PEOPLE.kommune_roles.iter().map(String::as_str).collect();
    r.shuffle(&mut k);
    for role in k.iter().take(r.range(4, 7)) {
        v.push((role.to_string(), full.to_string()));
    }
    if r.chance(0.6) {
        v.push(("Afdelingsleder".into(), "Kriminalforsorgen".into()));
    }
    v
}

/// Four meetings in `year`: (month, day, time, place).
pub(super) fn meetings(
    seed: u64,
    m: usize,
    year: i64,
    town: &str,
) -> Vec<(u8, u8, &'static str, String)> {
    let mut r = Rng::keyed(seed, &[TAG_MEETINGS, m as u64, year as u64]);
    let months = [
        r.range(2, 3) as u8,
        r.range(5, 6) as u8,
        r.range(8, 9) as u8,
        r.range(11, 12) as u8,
    ];
    months
        .iter()
        .map(|&mo| {
            let day = r.range(1, 28) as u8;
            let time = r.word(&PEOPLE.meeting_times);
            let place = match r.below(3) {
                0 => format!("Rådhuset i {town}"),
                _ => format!("Politistationen i {town}"),
            };
            (mo, day, time, place)
        })
        .collect()
}

/// Konfliktråd held in a district in `year`.
pub(super) fn konfliktraad(seed: u64, k: usize, year: i64) -> u64 {
    20 + Rng::keyed(seed, &[TAG_STATS, k as u64, year as u64]).below(45) as u64
}
