//! A police district's samarbejdsplan for one year.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::PHRASES;
use super::files::{indsats_sections, source_table, World};
use super::layout::Kreds;
use super::lineage::Lineage;
use super::people::{director, konfliktraad, mayor};
use super::registry::unit_title;
use super::rng::Rng;
use super::style::Style;
use super::text::Voice;
use super::words::{and_list, lower_first, number_word, q};

/// What every part of one district's plan of one year needs.
#[derive(Clone, Copy)]
struct Plan<'a> {
    w: &'a World<'a>,
    k: usize,
    kr: &'a Kreds,
    year: i64,
    st: &'a Style,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn samarbejdsplan(
    w: &World,
    k: usize,
    ix: usize,
    y: usize,
    st: &Style,
    v: &Voice,
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
) -> String {
    let p = Plan {
        w,
        k,
        kr: &w.l.kredse[k],
        year: w.year(y),
        st,
    };
    let (kr, year) = (p.kr, p.year);
    let approved_day = rng.range(1, 20);

    // The body first (it decides the headings the summary names).
    let mut body = String::with_capacity(32 * 1024);
    foreword(&p, &mut body, approved_day);
    organisation(&p, &mut body);
    crime(&p, &mut body, rng);
    if st.parts {
        let _ = write!(body, "## DEL 2\n\n");
    }
    let chapter_title = match st.chapter_kind {
        0 => format!("Indsatsområder for samarbejdet i {} i {year}", kr.short),
        1 => format!("Prioriterede indsatsområder {year}"),
        2 => "Særlige indsatser".to_string(),
        _ => "Fælles indsatsområder for kredsen".to_string(),
    };
    let _ = write!(
        body,
        "## {} {} {{indsatser}}\n\n",
        st.num(&[4]),
        st.chapter(&chapter_title)
    );
    let _ = write!(
        body,
        "{} vil i {year} i samarbejde med politikredsens kommuner sætte fokus på borgernes tryghed \
         samt bekæmpelse og forebyggelse af kriminalitet på en række centrale områder.\n\n",
        kr.name
    );
    let headings = indsats_sections(w, &mut body, ix, y, 4, st, v, rng, lines, true);
    let local = local_priorities(&p, &mut body, y, headings.len());
    annex(&p, &mut body);

    let mut s = front_matter(&p, approved_day, &headings, &local);
    s.push_str("+++\n\n");
    s.push_str(&body);
    s
}

/// The foreword, signed by the director and the mayors.
fn foreword(p: &Plan, body: &mut String, approved_day: usize) {
    let Plan {
        w, k, kr, year, st, ..
    } = *p;
    let n_komm = kr.kommuner.len();
    let _ = write!(body, "## {}\n\n", st.chapter("Forord"));
    let _ = write!(
        body,
        "Denne samarbejdsplan er grundlaget for det kriminalitetsforebyggende og \
         kriminalitetsbekæmpende samarbejde mellem {} og {} i {year}.\n\n",
        kr.name,
        if n_komm == 1 {
            w.l.kommuner[kr.kommuner[0]].full.clone()
        } else {
            format!("de {} kommuner i politikredsen", number_word(n_komm))
        }
    );
    let _ = write!(
        body,
        "Med udgangspunkt i samarbejdsplanen vil politiet og kommunerne skabe grundlaget for en \
         helhedsorienteret og sammenhængende indsats med henblik på forebyggelse og bekæmpelse af \
         kriminalitet. Samarbejdsplanen offentliggøres på politikredsens hjemmeside.\n\n"
    );
    let _ = write!(
        body,
        "{}, den {approved_day}. december {}.\n\n",
        kr.seat,
        year - 1
    );
    let _ = write!(
        body,
        "{}  \nPolitidirektør\n\n",
        director(w.seed, k, year - 1)
    );
    for &m in &kr.kommuner {
        let ko = &w.l.kommuner[m];
        let _ = write!(
            body,
            "{}  \nBorgmester i {}\n\n",
            mayor(w.seed, m, year - 1),
            ko.full
        );
    }
}

/// Chapters 1 and 2: the kredsråd and the lokalråd, what they are and do.
fn organisation(p: &Plan, body: &mut String) {
    let Plan { w, kr, st, .. } = *p;
    let n_komm = kr.kommuner.len();
    if st.parts {
        let _ = write!(body, "## DEL 1\n\n");
    }
    let _ = write!(
        body,
        "## {} {}\n\n",
        st.num(&[1]),
        st.chapter("Kredsrådets organisering og ansvar")
    );
    let _ = write!(
        body,
        "Kredsrådet har hjemmel i retsplejelovens §§ 111-113 og er forum for det overordnede samarbejde \
         mellem politiet og kommunerne i {}. Kredsrådet fungerer som et strategisk forum, hvor de \
         langsigtede mål for samarbejdet fastlægges, og hvor de nødvendige aktiviteter, metoder og \
         ressourcer prioriteres og koordineres.\n\n",
        kr.short
    );
    let _ = write!(
        body,
        "Kredsrådet består af politidirektøren, som er formand, samt {}.\n\n",
        if n_komm == 1 {
            format!("borgmesteren i {}", w.l.kommuner[kr.kommuner[0]].full)
        } else {
            format!(
                "borgmestrene i de {} kommuner i politikredsen, hvoraf en vælges som næstformand",
                number_word(n_komm)
            )
        }
    );
    body.push_str(
        "Kredsrådets opgave er at drøfte væsentlige spørgsmål om politiets virksomhed, herunder \
         kriminalitetsudviklingen og politiets samarbejde med lokalsamfundet. Det er navnlig vigtigt \
         at drøfte områder, hvor der er behov for at sikre den bedst mulige sammenhæng i politiets og \
         kommunernes opgavevaretagelse.\n\n",
    );
    let _ = write!(
        body,
        "## {} {}\n\n",
        st.num(&[2]),
        st.chapter("Lokalrådenes organisering og ansvar")
    );
    body.push_str(
        "Lokalrådene udgør basis for det lokale samarbejde mellem politiet og de enkelte kommuner. \
         Lokalrådene fungerer som lokale fora, hvor parterne aktivt samarbejder om at udarbejde og \
         gennemføre fælles handleplaner og konkrete kriminalitetsforebyggende indsatser.\n\n",
    );
    body.push_str(
        "Lokalrådene skal følge udviklingen lokalt og agere i forhold hertil. Herunder drøfter \
         lokalrådene kriminalitetsudviklingen, SSP-samarbejdet (skole, sociale myndigheder og politi) \
         og PSP-samarbejdet (politi, sociale myndigheder og psykiatri).\n\n",
    );
}

/// Chapter 3: last year's crime, in a sentence or two.
fn crime(p: &Plan, body: &mut String, rng: &mut Rng) {
    let Plan {
        w, k, kr, year, st, ..
    } = *p;
    let _ = write!(
        body,
        "Der er et lokalråd i hver kommune. Lokalrådene mødes fire gange årligt, og hvert lokalråd \
         udarbejder en årlig handleplan, der udmønter kredsrådets prioriteringer i {year}.\n\n"
    );
    let _ = write!(
        body,
        "## {} {}\n\n",
        st.num(&[3]),
        st.chapter(&format!("Kriminalitetsudviklingen i {}", year - 1))
    );
    let trend = rng.word(&PHRASES.trends);
    let _ = write!(
        body,
        "Den samlede kriminalitet i {} har i {} {trend}. Kredsrådet følger udviklingen på grundlag af \
         politiets tal og kommunernes egne registreringer.\n\n",
        kr.short,
        year - 1
    );
    if st.statistics {
        let _ = write!(
            body,
            "Der blev i {} gennemført {} konfliktråd i politikredsen.\n\n",
            year - 1,
            konfliktraad(w.seed, k, year - 1)
        );
    }
}

/// Local priorities, from the kommuner's own plans of the year: a section after the
/// district's indsatsområder, and the same in the front matter.
fn local_priorities(
    p: &Plan,
    body: &mut String,
    y: usize,
    n_headings: usize,
) -> Vec<(usize, Vec<String>)> {
    let Plan { w, kr, st, .. } = *p;
    let n_komm = kr.kommuner.len();
    let mut local: Vec<(usize, Vec<String>)> = Vec::new();
    if st.local_priorities && n_komm > 1 {
        for &m in &kr.kommuner {
            let mi = w.l.kredse.len() + m;
            let items: Vec<String> = w.plans[mi][y]
                .iter()
                .take(3)
                .map(|&u| format!("{}.", unit_title(w.inds, u, y)))
                .collect();
            if !items.is_empty() {
                local.push((m, items));
            }
        }
        let _ = write!(
            body,
            "### {} Lokale prioriterede indsatsområder {{indsats=-}}\n\n",
            st.num(&[4, n_headings + 1])
        );
        body.push_str(
            "Ud over de kredsdækkende indsatsområder arbejder lokalrådene med lokale emner, som \
             fremgår nedenfor. De lokale prioriteringer er dynamiske og kan ændre sig i løbet af \
             året.\n\n",
        );
        for (m, items) in &local {
            let _ = write!(body, "#### {}\n\n", w.l.kommuner[*m].full);
            for (i, it) in items.iter().enumerate() {
                let _ = writeln!(body, "{}. {it}", i + 1);
            }
            body.push('\n');
        }
    }
    local
}

/// The annex on the preventive fora, in some districts' plans.
fn annex(p: &Plan, body: &mut String) {
    let Plan { kr, st, .. } = *p;
    if st.annex {
        let _ = write!(
            body,
            "## {} {}\n\n",
            st.num(&[5]),
            st.chapter(&format!(
                "Bilag: De forebyggende samarbejdsfora i {}",
                kr.short
            ))
        );
        body.push_str(
            "### De unge (SSP, SSP+ og § 115-udvalg)\n\n\
             Skolernes, socialforvaltningernes og politiets forebyggende samarbejde i SSP-regi tager \
             afsæt i den enkelte kommune, den enkelte skole og den enkelte elev. Samarbejdet er udbygget \
             med § 115-udvalg, som fokuserer på særligt kriminalitetstruede unge under 18 år.\n\n\
             ### De særligt socialt udsatte (PSP-samarbejdet)\n\n\
             Samarbejdet mellem politi, socialforvaltning og psykiatri koordinerer indsatsen, så socialt \
             udsatte får den bedst mulige hjælp, og kriminalitet forebygges.\n\n\
             ### De prøveløsladte (KSP-samarbejdet)\n\n\
             Med Kriminalforsorgen som tovholder koordineres initiativer, der skal hjælpe prøveløsladte \
             videre, så de ikke begår ny kriminalitet.\n\n",
        );
    }
}

/// The front matter, up to its closing `+++`.
fn front_matter(
    p: &Plan,
    approved_day: usize,
    headings: &[String],
    local: &[(usize, Vec<String>)],
) -> String {
    let Plan { w, kr, year, .. } = *p;
    let n_komm = kr.kommuner.len();
    let mut s = String::with_capacity(36 * 1024);
    s.push_str("+++\nkind = \"samarbejdsplan\"\n");
    let _ = writeln!(s, "year = {year}");
    let _ = writeln!(s, "title = \"Samarbejdsplan {year}\"");
    let _ = writeln!(s, "subtitle = {}", q(&kr.council));
    let named: Vec<String> = headings.iter().take(3).map(|h| lower_first(h)).collect();
    let _ = writeln!(
        s,
        "summary = {}",
        q(&format!(
            "Kredsrådets samarbejdsplan for {year}: {} indsatsområder for samarbejdet mellem {} og \
             {}, bl.a. {}.",
            headings.len(),
            kr.name,
            if n_komm == 1 {
                w.l.kommuner[kr.kommuner[0]].full.clone()
            } else {
                format!("kredsens {} kommuner", n_komm)
            },
            and_list(&named)
        ))
    );
    let _ = writeln!(s, "approved = {}-12-{approved_day:02}", year - 1);
    let _ = writeln!(s, "approved_place = {}", q(&kr.seat));
    let printed = format!("SAMARBEJDSPLAN {year}");
    let title = format!("{printed} – {}", kr.council.to_uppercase());
    source_table(&mut s, &title, &kr.council, &printed, w.seed);
    tables(p, &mut s, local);
    s
}

/// The front matter's tables: signatories, local priorities, statistics.
fn tables(p: &Plan, s: &mut String, local: &[(usize, Vec<String>)]) {
    let Plan { w, k, kr, year, st } = *p;
    let _ = write!(
        s,
        "\n[[signatories]]\nname = {}\nrole = \"Politidirektør\"\n",
        q(&director(w.seed, k, year - 1))
    );
    for &m in &kr.kommuner {
        let _ = write!(
            s,
            "\n[[signatories]]\nname = {}\nrole = {}\n",
            q(&mayor(w.seed, m, year - 1)),
            q(&format!("Borgmester i {}", w.l.kommuner[m].full))
        );
    }
    for (m, items) in local {
        let list: Vec<String> = items.iter().map(|i| q(i)).collect();
        let _ = write!(
            s,
            "\n[[local_priorities]]\nkommune = {}\nitems = [{}]\n",
            q(&w.l.kommuner[*m].slug),
            list.join(", ")
        );
    }
    if st.statistics {
        let _ = write!(
            s,
            "\n[[statistics]]\ntitle = {}\nlabel = \"År\"\nunit = \"Antal\"\nrows = [",
            q(&format!("Gennemførte konfliktråd i {}", kr.short))
        );
        let rows: Vec<String> = (year - 7..year)
            .map(|yy| {
                format!(
                    "{{ label = \"{yy}\", value = {} }}",
                    konfliktraad(w.seed, k, yy)
                )
            })
            .collect();
        s.push_str(&rows.join(", "));
        s.push_str("]\n");
    }
}
