//! A kommune's handleplan (the lokalråd's plan) for one year.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::files::{indsats_sections, source_table, World};
use super::layout::{Kommune, Kreds};
use super::lineage::Lineage;
use super::people::{lokalraad, meetings};
use super::registry::unit_title;
use super::rng::{Rng, TAG_MEETINGS};
use super::style::Style;
use super::text::Voice;
use super::words::{and_list, lower_first, number_word, q};
use crate::model::MONTHS;

/// What every part of one kommune's plan of one year needs.
#[derive(Clone, Copy)]
struct Plan<'a> {
    w: &'a World<'a>,
    m: usize,
    ko: &'a Kommune,
    kr: &'a Kreds,
    y: usize,
    year: i64,
    st: &'a Style,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn handleplan(
    w: &World,
    m: usize,
    ix: usize,
    y: usize,
    st: &Style,
    v: &Voice,
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
) -> String {
    let ko = &w.l.kommuner[m];
    let kr = &w.l.kredse[ko.kreds];
    let year = w.year(y);
    let p = Plan {
        w,
        m,
        ko,
        kr,
        y,
        year,
        st,
    };
    let term = (year - 2006).div_euclid(4);
    let raad = lokalraad(w.seed, m, term, &kr.name, &ko.full);
    let meets = meetings(w.seed, m, year, &ko.name);
    let mut body = String::with_capacity(16 * 1024);

    introduction(&p, &mut body);
    lokalraad_section(&p, &mut body, &raad, &meets);
    let ch = fora(&p, &mut body);
    let _ = write!(
        body,
        "## {} {} {{indsatser}}\n\n",
        st.num(&[ch]),
        st.chapter(&format!("Indsatsområder i {year}"))
    );
    let _ = write!(
        body,
        "Lokalrådet i {} vil i {year} arbejde med følgende indsatsområder. Under hvert indsatsområde \
         beskrives formål, aktiviteter og målsætning.\n\n",
        ko.full
    );
    let headings = indsats_sections(w, &mut body, ix, y, ch, st, v, rng, lines, false);

    let mut s = front_matter(&p, body.len(), &headings);
    tables(&mut s, &raad, &meets, year);
    s.push_str("+++\n\n");
    s.push_str(&body);
    s
}

/// Chapter 1's start: the kredsråd and, in some plans, its indsatsområder.
fn introduction(p: &Plan, body: &mut String) {
    let Plan {
        w,
        ko,
        kr,
        y,
        year,
        st,
        ..
    } = *p;
    let _ = write!(body, "## {} {}\n\n", st.num(&[1]), st.chapter("Indledning"));
    let _ = write!(
        body,
        "### {} Kredsrådets samarbejdsplan\n\n",
        st.num(&[1, 1])
    );
    let _ = write!(
        body,
        "Kredsrådet er et strategisk forum for {}s samarbejde med kommunerne og det øvrige \
         lokalsamfund. Her drøfter politidirektøren og borgmestrene politiets opgaveløsning, \
         kriminalitetsudviklingen og temaer for det lokale samarbejde.\n\n",
        kr.name
    );
    body.push_str(
        "Politidirektøren udarbejder årligt en samarbejdsplan for det kommende års samarbejde med \
         kommunerne. Planen beskriver de fælles indsatsområder og offentliggøres, når den er \
         godkendt af kredsrådet.\n\n",
    );
    let _ = write!(
        body,
        "Kredsrådet suppleres af lokalråd i de enkelte kommuner, hvor den lokale politiledelse og \
         kommunen drøfter og tilrettelægger fælles indsatser. Denne handleplan er lokalrådets ramme \
         for samarbejdet i {year}.\n\n"
    );
    let kreds_units = &w.plans[ko.kreds][y];
    if st.kreds_list && !kreds_units.is_empty() {
        let _ = write!(
            body,
            "#### {} Kredsrådets prioriterede indsatsområder\n\n",
            st.num(&[1, 1, 1])
        );
        let _ = write!(
            body,
            "Med henvisning til kredsrådets samarbejdsplan {year} er følgende indsatsområder en \
             særlig prioritet for lokalrådet i {}:\n\n",
            ko.full
        );
        for &u in kreds_units {
            let _ = writeln!(body, "- **{}**", unit_title(w.inds, u, y));
        }
        body.push('\n');
    }
}

/// Section 1.2: the lokalråd, its members and its meetings.
fn lokalraad_section(
    p: &Plan,
    body: &mut String,
    raad: &[(String, String)],
    meets: &[(u8, u8, &str, String)],
) {
    let Plan { ko, year, st, .. } = *p;
    let _ = write!(body, "### {} Lokalrådet i {}\n\n", st.num(&[1, 2]), ko.full);
    let _ = write!(
        body,
        "Lokalrådet i {} har ansvaret for at udmønte de indsatsområder, som kredsrådet har \
         prioriteret, og for at tilrettelægge lokale indsatser efter behov.\n\n",
        ko.full
    );
    let _ = write!(
        body,
        "#### {} Lokalrådets sammensætning\n\nLokalrådet består af:\n\n",
        st.num(&[1, 2, 1])
    );
    for (role, org) in raad {
        let _ = writeln!(body, "- {role}, {org}");
    }
    body.push_str(
        "\nLokalrådet kan ad hoc indkalde øvrige repræsentanter fra politiet, kommunen eller \
         lokalsamfundet.\n\n",
    );
    let _ = write!(
        body,
        "#### {} Lokalrådets møder\n\nDer er planlagt {} møder i {year}:\n\n",
        st.num(&[1, 2, 2]),
        number_word(meets.len())
    );
    for (mo, day, time, place) in meets {
        let _ = writeln!(
            body,
            "- {day}. {} kl. {time}, {place}",
            MONTHS[*mo as usize - 1]
        );
    }
    body.push('\n');
}

/// The chapter on the preventive fora, in most plans; the number of the next chapter.
fn fora(p: &Plan, body: &mut String) -> usize {
    let Plan { ko, st, .. } = *p;
    let mut ch = 2;
    if st.fora {
        let _ = write!(
            body,
            "## {} {}\n\n",
            st.num(&[ch]),
            st.chapter("Lokale kriminalitetsforebyggende samarbejdsfora")
        );
        let _ = write!(
            body,
            "### {} SSP-samarbejdet\n\n\
             SSP-samarbejdet i {} er organiseret i et ledende og koordinerende niveau og et udførende \
             niveau med lokale netværksgrupper på skolerne. Kernen i samarbejdet er det \
             kriminalitetsforebyggende arbejde med børn og unge op til 18 år.\n\n\
             Der arbejdes med enkeltsager efter retsplejelovens § 115, og der gennemføres \
             kriminalpræventiv og rusmiddelforebyggende undervisning i udskolingen.\n\n",
            st.num(&[ch, 1]),
            ko.full
        );
        let _ = write!(
            body,
            "### {} PSP-samarbejdet\n\n\
             PSP-samarbejdet mellem politi, socialforvaltning og psykiatri koordinerer indsatsen over \
             for socialt udsatte, så de får den bedst mulige hjælp og ikke udvikler eller fortsætter en \
             kriminel adfærd.\n\n",
            st.num(&[ch, 2])
        );
        let _ = write!(
            body,
            "### {} KSP-samarbejdet\n\n\
             Med Kriminalforsorgen som tovholder koordineres initiativer for prøveløsladte, så de får \
             bolig, beskæftigelse og støtte ved løsladelsen.\n\n",
            st.num(&[ch, 3])
        );
        ch += 1;
    }
    ch
}

/// The front matter up to its tables.
fn front_matter(p: &Plan, body_len: usize, headings: &[String]) -> String {
    let Plan {
        w, m, ko, year, st, ..
    } = *p;
    let mut s = String::with_capacity(body_len + 3 * 1024);
    s.push_str("+++\nkind = \"handleplan\"\n");
    let _ = writeln!(s, "year = {year}");
    let _ = writeln!(s, "title = \"Handleplan {year}\"");
    let _ = writeln!(s, "subtitle = {}", q(&format!("Lokalrådet i {}", ko.full)));
    let named: Vec<String> = headings.iter().take(3).map(|h| lower_first(h)).collect();
    let _ = writeln!(
        s,
        "summary = {}",
        q(&format!(
            "Lokalrådet i {}s handleplan for {year}: lokalrådets sammensætning og møder og {} \
             indsatsområder, bl.a. {}.",
            ko.full,
            headings.len(),
            and_list(&named)
        ))
    );
    if st.approved {
        let _ = writeln!(
            s,
            "approved = {}-12-{:02}",
            year - 1,
            Rng::keyed(w.seed, &[TAG_MEETINGS, m as u64, year as u64, 1]).range(1, 20)
        );
        let _ = writeln!(s, "approved_place = {}", q(&ko.name));
    }
    let publisher = format!("Lokalrådet i {}", ko.full);
    let printed = format!("HANDLEPLAN {year}");
    let title = format!("{printed} – {publisher}");
    source_table(&mut s, &title, &publisher, &printed, w.seed);
    s
}

/// The front matter's tables: members and meetings.
fn tables(s: &mut String, raad: &[(String, String)], meets: &[(u8, u8, &str, String)], year: i64) {
    for (role, org) in raad {
        let _ = write!(
            s,
            "\n[[members]]\nrole = {}\norganisation = {}\n",
            q(role),
            q(org)
        );
    }
    for (mo, day, time, place) in meets {
        let _ = write!(
            s,
            "\n[[meetings]]\ndate = {year}-{mo:02}-{day:02}\ntime = {}\nplace = {}\n",
            q(time),
            q(place)
        );
    }
}
