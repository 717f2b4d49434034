//! A deterministic synthetic corpus shaped like the national content tree, for
//! benchmarks and scale tests (`planspor gen-corpus`).
//!
//! The corpus is a complete site root: `planspor.toml` and a `content/` tree with the
//! real 12 police districts and their 98 kommuner (scaled by `scale`), a samarbejdsplan
//! per district and a handleplan per kommune for each of `years` years ending with
//! [`LAST_YEAR`], and a registry of about 150 indsatsområder (also scaled) with life
//! cycles: they appear, continue, change, merge (one section bound to two ids, the
//! contract's way of saying "lagt sammen"), are dropped and come back after a gap.
//!
//! Plan texts are built from sentence templates and word lists drawn from the real
//! plans, in the structure the default content has (intro chapters, an `{indsatser}`
//! chapter with one `###` section per bound indsatsområde). Each issuer's text for an
//! indsatsområde is carried from one year to the next with small edits (so the
//! evolution sees "videreført") or a rewrite of a third or more of its sentences
//! ("ændret").
//!
//! Everything random comes from [`Rng`] streams keyed by the seed and fixed tags, and
//! everything is iterated in a fixed order, so the same options give a byte-identical
//! tree. Generation is pure (see [`corpus_files`]); [`generate`] only writes.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::text::normalize_title;
use crate::model::MONTHS;
use crate::slug::slugify;

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Site root to create (planspor.toml, content/).
    pub out: PathBuf,
    pub seed: u64,
    /// Number of years of plans.
    pub years: u32,
    /// 1.0 = national scale (12 kredse, 98 kommuner); 0.5 half, 2.0 double.
    pub scale: f64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub kredse: usize,
    pub kommuner: usize,
    pub plans: usize,
    pub indsatser: usize,
    pub bytes: u64,
}

/// The last year of every corpus: `years` years end here.
pub const LAST_YEAR: i64 = 2026;

/// The file that marks a folder as written by `gen-corpus` (and so safe to replace).
pub const MARKER: &str = ".planspor-corpus";

/// The model accepts years from 1990; a corpus may not start earlier.
pub const MAX_YEARS: u32 = (LAST_YEAR - 1990 + 1) as u32;

/// Beyond this the corpus is no longer a test of planspor but of the disk.
pub const MAX_SCALE: f64 = 20.0;

/// Indsatsområder at scale 1.0.
const NATIONAL_INDSATSER: f64 = 150.0;

/// Writes the corpus into `opts.out`, which must be absent, empty, or an earlier
/// corpus (it holds [`MARKER`]); in the last case only what `gen-corpus` writes
/// (`content/`, `planspor.toml`) is replaced. Returns what was written.
pub fn generate(opts: &CorpusOptions) -> io::Result<CorpusStats> {
    validate(opts)?;
    prepare_out(&opts.out)?;
    let (files, mut stats) = corpus_files(opts);

    let marker = format!(
        "planspor gen-corpus --seed {} --years {} --scale {}\n\
         This folder was written by `planspor gen-corpus`. Running it again here replaces\n\
         content/ and planspor.toml; nothing else is touched.\n",
        opts.seed, opts.years, opts.scale
    );
    std::fs::write(opts.out.join(MARKER), &marker)?;
    let mut bytes = marker.len() as u64;

    let mut made: HashSet<PathBuf> = HashSet::new();
    for (rel, text) in &files {
        let path = opts.out.join(rel);
        if let Some(dir) = path.parent() {
            if !made.contains(dir) {
                std::fs::create_dir_all(dir)?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, text)?;
        bytes += text.len() as u64;
    }
    stats.bytes = bytes;
    Ok(stats)
}

fn validate(opts: &CorpusOptions) -> io::Result<()> {
    let invalid = |m: String| Err(io::Error::new(io::ErrorKind::InvalidInput, m));
    if opts.years == 0 || opts.years > MAX_YEARS {
        return invalid(format!(
            "--years must be between 1 and {MAX_YEARS} (plans from {} to {LAST_YEAR}), not {}",
            LAST_YEAR - MAX_YEARS as i64 + 1,
            opts.years
        ));
    }
    if !(opts.scale.is_finite() && opts.scale > 0.0 && opts.scale <= MAX_SCALE) {
        return invalid(format!(
            "--scale must be a number above 0 and at most {MAX_SCALE}, not {}",
            opts.scale
        ));
    }
    Ok(())
}

/// Creates `out`, or checks that it is empty, or clears an earlier corpus from it.
/// Never deletes anything in a folder without the marker.
fn prepare_out(out: &Path) -> io::Result<()> {
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return std::fs::create_dir_all(out),
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a folder", out.display()),
        ));
    }
    if std::fs::read_dir(out)?.next().is_none() {
        return Ok(());
    }
    if !out.join(MARKER).is_file() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "{} is not empty and was not written by gen-corpus (it has no {MARKER}); \
                 refusing to touch it: give a new or empty folder",
                out.display()
            ),
        ));
    }
    let content = out.join("content");
    match std::fs::symlink_metadata(&content) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&content)?,
        Ok(_) => std::fs::remove_file(&content)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    match std::fs::remove_file(out.join("planspor.toml")) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------
// The random number generator
// ---------------------------------------------------------------------------------

/// SplitMix64 (Steele, Lea & Flood 2014; the generator that seeds xoshiro).
///
/// Written here rather than taken from the `rand` crate because the corpus must stay
/// byte-identical for a seed across releases, and `rand`'s generators and
/// distributions are free to change between versions; it also spares a dependency
/// for a dozen lines. Statistical quality is far beyond what sentence picking needs.
#[derive(Debug, Clone)]
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng { state: seed }
    }

    /// An independent stream for `key` under `seed`, so that one part of the corpus
    /// (a kommune's meetings, an issuer's texts) does not shift when another changes.
    fn keyed(seed: u64, key: &[u64]) -> Rng {
        let mut s = Rng::new(seed).next_u64();
        for &k in key {
            s = Rng::new(s ^ k).next_u64();
        }
        Rng::new(s)
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// A word or phrase from a list.
    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }

    /// An index drawn with probability proportional to `weights`.
    fn weighted(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut x = self.unit() * total;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return Some(i);
            }
            x -= w;
        }
        weights.iter().rposition(|&w| w > 0.0)
    }
}

/// Stream tags, one per purpose.
const TAG_REGISTRY: u64 = 1;
const TAG_SELECT: u64 = 2;
const TAG_TEXT: u64 = 3;
const TAG_MAYOR: u64 = 4;
const TAG_DIRECTOR: u64 = 5;
const TAG_STYLE: u64 = 6;
const TAG_MEMBERS: u64 = 7;
const TAG_MEETINGS: u64 = 8;
const TAG_STATS: u64 = 9;
const TAG_FIX: u64 = 10;

// ---------------------------------------------------------------------------------
// Districts and kommuner
// ---------------------------------------------------------------------------------

/// A police district as the national table lists it.
#[derive(Debug)]
struct KredsRow {
    name: &'static str,
    short: &'static str,
    /// Where the kredsråd signs its plan.
    seat: &'static str,
    kommuner: &'static [&'static str],
}

/// The 12 police districts and the 98 kommuner they cover (each kommune in exactly
/// one district; Christiansø belongs to no kommune). Source: politi.dk, as in
/// `shared/data/politikredse.toml`.
const KREDSE: [KredsRow; 12] = [
    KredsRow {
        name: "Nordjyllands Politi",
        short: "Nordjylland",
        seat: "Aalborg",
        kommuner: &[
            "Aalborg",
            "Brønderslev",
            "Frederikshavn",
            "Hjørring",
            "Jammerbugt",
            "Læsø",
            "Mariagerfjord",
            "Rebild",
            "Vesthimmerland",
        ],
    },
    KredsRow {
        name: "Østjyllands Politi",
        short: "Østjylland",
        seat: "Aarhus",
        kommuner: &[
            "Aarhus",
            "Favrskov",
            "Norddjurs",
            "Odder",
            "Randers",
            "Samsø",
            "Syddjurs",
        ],
    },
    KredsRow {
        name: "Midt- og Vestjyllands Politi",
        short: "Midt- og Vestjylland",
        seat: "Holstebro",
        kommuner: &[
            "Herning",
            "Holstebro",
            "Ikast-Brande",
            "Lemvig",
            "Morsø",
            "Ringkøbing-Skjern",
            "Silkeborg",
            "Skive",
            "Struer",
            "Thisted",
            "Viborg",
        ],
    },
    KredsRow {
        name: "Sydøstjyllands Politi",
        short: "Sydøstjylland",
        seat: "Horsens",
        kommuner: &[
            "Billund",
            "Fredericia",
            "Hedensted",
            "Horsens",
            "Kolding",
            "Skanderborg",
            "Vejle",
        ],
    },
    KredsRow {
        name: "Syd- og Sønderjyllands Politi",
        short: "Syd- og Sønderjylland",
        seat: "Esbjerg",
        kommuner: &[
            "Aabenraa",
            "Esbjerg",
            "Fanø",
            "Haderslev",
            "Sønderborg",
            "Tønder",
            "Varde",
            "Vejen",
        ],
    },
    KredsRow {
        name: "Fyns Politi",
        short: "Fyn",
        seat: "Odense",
        kommuner: &[
            "Assens",
            "Faaborg-Midtfyn",
            "Kerteminde",
            "Langeland",
            "Middelfart",
            "Nordfyns",
            "Nyborg",
            "Odense",
            "Svendborg",
            "Ærø",
        ],
    },
    KredsRow {
        name: "Sydsjællands og Lolland-Falsters Politi",
        short: "Sydsjælland og Lolland-Falster",
        seat: "Næstved",
        kommuner: &[
            "Faxe",
            "Guldborgsund",
            "Lolland",
            "Næstved",
            "Slagelse",
            "Sorø",
            "Vordingborg",
        ],
    },
    KredsRow {
        name: "Midt- og Vestsjællands Politi",
        short: "Midt- og Vestsjælland",
        seat: "Holbæk",
        kommuner: &[
            "Greve",
            "Holbæk",
            "Kalundborg",
            "Køge",
            "Lejre",
            "Odsherred",
            "Ringsted",
            "Roskilde",
            "Solrød",
            "Stevns",
        ],
    },
    KredsRow {
        name: "Nordsjællands Politi",
        short: "Nordsjælland",
        seat: "Helsingør",
        kommuner: &[
            "Allerød",
            "Egedal",
            "Fredensborg",
            "Frederikssund",
            "Furesø",
            "Gentofte",
            "Gribskov",
            "Halsnæs",
            "Helsingør",
            "Hillerød",
            "Hørsholm",
            "Lyngby-Taarbæk",
            "Rudersdal",
        ],
    },
    KredsRow {
        name: "Københavns Vestegns Politi",
        short: "Københavns Vestegn",
        seat: "Glostrup",
        kommuner: &[
            "Albertslund",
            "Ballerup",
            "Brøndby",
            "Gladsaxe",
            "Glostrup",
            "Herlev",
            "Hvidovre",
            "Høje-Taastrup",
            "Ishøj",
            "Rødovre",
            "Vallensbæk",
        ],
    },
    KredsRow {
        name: "Københavns Politi",
        short: "København",
        seat: "København",
        kommuner: &["København", "Frederiksberg", "Tårnby", "Dragør"],
    },
    KredsRow {
        name: "Bornholms Politi",
        short: "Bornholm",
        seat: "Rønne",
        kommuner: &["Bornholm"],
    },
];

/// "Københavns Kommune", "Bornholms Regionskommune", "Hjørring Kommune".
fn kommune_full_name(name: &str) -> String {
    match name {
        "København" => "Københavns Kommune".into(),
        "Bornholm" => "Bornholms Regionskommune".into(),
        _ => format!("{name} Kommune"),
    }
}

/// II, III, IV… for the copies of the table at scales above 1.
fn roman(mut n: usize) -> String {
    const R: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[derive(Debug, Clone)]
struct Kreds {
    name: String,
    short: String,
    council: String,
    slug: String,
    seat: String,
    website: Option<String>,
    /// Indices into `Layout::kommuner`.
    kommuner: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Kommune {
    name: String,
    full: String,
    slug: String,
    kreds: usize,
}

#[derive(Debug, Clone)]
struct Layout {
    kredse: Vec<Kreds>,
    kommuner: Vec<Kommune>,
}

/// The districts and kommuner at `scale`: `round(12·scale)` districts (the table in
/// order, repeated with suffixed names above 1.0) sharing `round(98·scale)` kommuner in
/// proportion to their real sizes. Depends on the scale only, not on the seed.
fn layout(scale: f64) -> Layout {
    let n_kredse = ((12.0 * scale).round() as usize).max(1);
    let chosen: Vec<(usize, usize)> = (0..n_kredse).map(|i| (i % 12, i / 12)).collect();
    let sizes: Vec<usize> = chosen
        .iter()
        .map(|&(b, _)| KREDSE[b].kommuner.len())
        .collect();
    let target = ((98.0 * scale).round() as usize).max(n_kredse);
    let counts = apportion(target, &sizes);

    let mut out = Layout {
        kredse: Vec::new(),
        kommuner: Vec::new(),
    };
    for (ki, (&(base, copy), &count)) in chosen.iter().zip(&counts).enumerate() {
        let row = &KREDSE[base];
        let (suffix, slug_suffix) = if copy == 0 {
            (String::new(), String::new())
        } else {
            (format!(" {}", roman(copy + 1)), format!("-{}", copy + 1))
        };
        let genitive = row.name.trim_end_matches(" Politi");
        let mut kreds = Kreds {
            name: format!("{}{suffix}", row.name),
            short: format!("{}{suffix}", row.short),
            council: format!("Kredsrådet i {genitive} Politikreds{suffix}"),
            slug: format!("{}{slug_suffix}", slugify(row.short)),
            seat: row.seat.to_string(),
            website: (copy == 0).then(|| format!("https://politi.dk/{}", slugify(row.name))),
            kommuner: Vec::new(),
        };
        // Spread the chosen kommuner over the district's list.
        let n = row.kommuner.len();
        for j in 0..count {
            let name = row.kommuner[j * n / count];
            kreds.kommuner.push(out.kommuner.len());
            out.kommuner.push(Kommune {
                name: format!("{name}{suffix}"),
                full: format!("{}{suffix}", kommune_full_name(name)),
                slug: format!("{}{slug_suffix}", slugify(name)),
                kreds: ki,
            });
        }
        out.kredse.push(kreds);
    }
    out
}

/// Splits `target` over groups of `sizes` in proportion (largest remainder), at least
/// one and at most its size each.
fn apportion(target: usize, sizes: &[usize]) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if target >= total {
        return sizes.to_vec();
    }
    let mut counts: Vec<usize> = sizes
        .iter()
        .map(|&s| (target * s / total).clamp(1, s))
        .collect();
    loop {
        let sum: usize = counts.iter().sum();
        if sum == target {
            break;
        }
        if sum < target {
            let i = (0..sizes.len())
                .filter(|&i| counts[i] < sizes[i])
                .max_by_key(|&i| ((target * sizes[i]) % total, usize::MAX - i));
            match i {
                Some(i) => counts[i] += 1,
                None => break,
            }
        } else {
            let i = (0..sizes.len())
                .filter(|&i| counts[i] > 1)
                .max_by_key(|&i| (counts[i], usize::MAX - i));
            match i {
                Some(i) => counts[i] -= 1,
                None => break,
            }
        }
    }
    counts
}

// ---------------------------------------------------------------------------------
// Vocabulary, from the real plans
// ---------------------------------------------------------------------------------

/// A subject of indsatsområder: what the plans write about, with its own words.
struct Topic {
    theme: &'static str,
    /// Noun phrase: "vold i nære relationer".
    np: &'static str,
    /// A harm to fight ("indsatsen mod …") rather than a good to build ("styrke …").
    problem: bool,
    /// Titles as plans print them.
    titles: &'static [&'static str],
    /// Concrete measures, partners and terms of the subject.
    kw: &'static [&'static str],
    /// Target groups, plural.
    groups: &'static [&'static str],
    /// One sentence for the registry entry.
    about: &'static str,
}

const TH_TRYG: &str = "Tryghed og kriminalitet";
const TH_VOLD: &str = "Vold og personfarlig kriminalitet";
const TH_UNGE: &str = "Børn og unge";
const TH_SAAR: &str = "Sårbare borgere og psykiatri";
const TH_DIGI: &str = "Digital kriminalitet";
const TH_BAND: &str = "Bander og organiseret kriminalitet";
const TH_TRAF: &str = "Trafik";
const TH_OFRE: &str = "Ofre og konfliktråd";
const TH_SAMA: &str = "Samarbejde og organisering";
const TH_NARK: &str = "Narkotika og rusmidler";
const TH_BOLI: &str = "Boligområder og byrum";

const TOPICS: &[Topic] = &[
    Topic {
        theme: TH_VOLD,
        np: "vold i nære relationer",
        problem: true,
        titles: &[
            "Vold i nære relationer",
            "Styrkelse af indsatsen over for vold i nære relationer",
            "Fælles indsats mod partnervold",
        ],
        kw: &[
            "krisecentrene",
            "telefoniske genbesøg hos forurettede",
            "risikovurderinger",
            "husspektakler",
            "psykisk vold",
            "voldsfaglige tilbud",
        ],
        groups: &[
            "forurettede i sager om partnervold",
            "børn i familier med vold",
            "voldsudøvere, der ønsker hjælp",
        ],
        about: "Forebyggelse og håndtering af fysisk og psykisk vold i familier og parforhold.",
    },
    Topic {
        theme: TH_VOLD,
        np: "stalking og æresrelateret kriminalitet",
        problem: true,
        titles: &[
            "Stalking, tilholdssager og æresrelateret kriminalitet",
            "Æresrelaterede konflikter",
        ],
        kw: &[
            "tilhold",
            "Dansk Stalking Center",
            "TÆK-teamet",
            "sikkerhedsplaner",
            "Familieretshuset",
        ],
        groups: &[
            "unge i æresrelaterede konflikter",
            "forurettede i stalkingsager",
        ],
        about: "Samarbejdet om sager om stalking, tilhold og æresrelateret kriminalitet.",
    },
    Topic {
        theme: TH_VOLD,
        np: "vold i nattelivet",
        problem: true,
        titles: &["Vold i nattelivet", "Et trygt natteliv uden vold"],
        kw: &[
            "nattelivszonerne",
            "samarbejdet med dørmændene",
            "restauratørnetværket",
            "opholdsforbud",
            "tryghedskameraer",
        ],
        groups: &["unge i nattelivet", "gæster i nattelivet"],
        about: "Indsatser for et trygt natteliv uden vold, narkotika og uorden.",
    },
    Topic {
        theme: TH_VOLD,
        np: "knivkriminalitet",
        problem: true,
        titles: &[
            "Knivkriminalitet blandt unge",
            "Knive og våben i det offentlige rum",
        ],
        kw: &[
            "visitationszoner",
            "knivforbuddet",
            "oplysningskampagner",
            "våbenamnesti",
        ],
        groups: &["unge under 18 år", "unge voksne mellem 18 og 25 år"],
        about: "Forebyggelse af, at unge bærer kniv og andre våben.",
    },
    Topic {
        theme: TH_TRYG,
        np: "indbrud i privat beboelse",
        problem: true,
        titles: &[
            "Indbrud i privat beboelse",
            "Indbrudsforebyggelse",
            "Bo Trygt – fælles indsats mod indbrud",
        ],
        kw: &[
            "Nabohjælp",
            "Bo Trygt-kampagnen",
            "sikringsrådgivning",
            "gerningsstedsundersøgelser",
            "netværket af nabovenner",
        ],
        groups: &["boligejere", "ældre borgere", "beboere i villakvartererne"],
        about: "Forebyggelse og efterforskning af indbrud i private hjem.",
    },
    Topic {
        theme: TH_TRYG,
        np: "trygheden i lokalområderne",
        problem: false,
        titles: &["Konkrete indsatser for tryghed", "Tryghed i lokalsamfundet"],
        kw: &[
            "tryghedsmålinger",
            "ordningen Bestil en betjent",
            "mobile politistationer",
            "tryghedsvandringer",
            "borgermøder",
        ],
        groups: &["borgerne i lokalområderne", "ældre borgere"],
        about: "Synlige og lokale indsatser, der øger borgernes tryghed.",
    },
    Topic {
        theme: TH_BOLI,
        np: "trygheden i byens rum",
        problem: false,
        titles: &["Trygge byrum", "Tryghedsfremmende byplanlægning"],
        kw: &[
            "bedre belysning",
            "tryghedsfremmende byplanlægning",
            "kortlægning af utrygge steder",
            "byfornyelse",
        ],
        groups: &["borgerne i bymidterne", "unge, der opholder sig i byrummet"],
        about: "Byrum, der med indretning, lys og liv opleves som trygge.",
    },
    Topic {
        theme: TH_BOLI,
        np: "kriminaliteten i de udsatte boligområder",
        problem: true,
        titles: &["Indsats i særligt udpegede områder", "Udsatte boligområder"],
        kw: &[
            "boligsociale helhedsplaner",
            "forebyggelseslisten",
            "beboerrådgiverne",
            "visitationszoner",
        ],
        groups: &["beboere i udsatte boligområder", "unge i boligområderne"],
        about: "Samarbejdet med boligorganisationerne om de udsatte boligområder.",
    },
    Topic {
        theme: TH_NARK,
        np: "narkokriminalitet",
        problem: true,
        titles: &[
            "Narkokriminalitet",
            "Fokus på narkokriminalitet, herunder opioider og puff-bars",
        ],
        kw: &[
            "opioider",
            "puff-bars",
            "hashsalg",
            "kokain i nattelivet",
            "udlevering af Antidot",
            "rusmiddelrådgivningen",
        ],
        groups: &["unge i udskolingen", "unge voksne med et misbrug"],
        about: "Bekæmpelse af handel med narkotika og forebyggelse af misbrug.",
    },
    Topic {
        theme: TH_NARK,
        np: "narkotikasalg ved skoler og uddannelsessteder",
        problem: true,
        titles: &["Narkotikasalg ved skoler"],
        kw: &[
            "salg via sociale medier",
            "synlig patruljering ved skolerne",
            "elevrådene",
            "ungdomsuddannelserne",
        ],
        groups: &["elever på ungdomsuddannelserne", "unge i udskolingen"],
        about: "Indsats mod salg af narkotika til unge ved skoler og uddannelsessteder.",
    },
    Topic {
        theme: TH_NARK,
        np: "unges brug af rusmidler",
        problem: true,
        titles: &["Unge og rusmidler", "Festkultur og rusmidler"],
        kw: &[
            "forældreaftaler",
            "rusmiddelundervisning",
            "nikotinprodukter",
            "samtaler med unge om rusmidler",
        ],
        groups: &["unge i udskolingen", "forældre til teenagere"],
        about: "Forebyggelse af unges brug af alkohol, nikotin og euforiserende stoffer.",
    },
    Topic {
        theme: TH_BAND,
        np: "rocker- og bandekriminalitet",
        problem: true,
        titles: &[
            "Bande- og rockerkriminalitet",
            "Styrkelse af indsatsen mod bandekriminalitet",
            "Rekruttering til bandemiljøet",
        ],
        kw: &[
            "Alcapone-samarbejdet",
            "opholdsforbud",
            "bandepakken",
            "de toneangivende bagmænd",
            "rekruttering af unge",
        ],
        groups: &["unge i risiko for rekruttering", "bandemedlemmer"],
        about: "Et vedholdende pres på rocker- og bandemiljøet og forebyggelse af rekruttering.",
    },
    Topic {
        theme: TH_BAND,
        np: "exit-arbejdet for rocker- og bandemedlemmer",
        problem: false,
        titles: &["Exit-programmer for rocker- og bandemedlemmer", "Bandeexit"],
        kw: &[
            "exit-enheden",
            "Pre-Exit-strategien",
            "mentorordninger",
            "RUG-udvalget",
        ],
        groups: &[
            "motiverede medlemmer af bandemiljøet",
            "unge på vej ind i miljøet",
        ],
        about: "Hjælp til personer, der vil forlade rocker- og bandemiljøet.",
    },
    Topic {
        theme: TH_TRYG,
        np: "socialt bedrageri",
        problem: true,
        titles: &["Socialbedrageri", "Fælles indsats mod socialt bedrageri"],
        kw: &[
            "kontrolgruppen",
            "registersamkøring",
            "ulovlig udlejning",
            "sort arbejde",
        ],
        groups: &["virksomheder i risiko", "modtagere af offentlige ydelser"],
        about: "Samarbejdet mellem kommune og politi om socialt bedrageri.",
    },
    Topic {
        theme: TH_BAND,
        np: "menneskehandel og social dumping",
        problem: true,
        titles: &[
            "Menneskehandel og social dumping",
            "Arbejdsmarkedskriminalitet",
        ],
        kw: &[
            "Center mod Menneskehandel",
            "fælles kontroller med Arbejdstilsynet",
            "samarbejdet med Skattestyrelsen",
        ],
        groups: &["udenlandske arbejdstagere", "ofre for menneskehandel"],
        about: "Indsats mod udnyttelse af arbejdskraft og menneskehandel.",
    },
    Topic {
        theme: TH_TRYG,
        np: "radikalisering og voldelig ekstremisme",
        problem: true,
        titles: &[
            "Forebyggelse af radikalisering",
            "Radikalisering og ekstremisme",
            "Infohusene",
        ],
        kw: &[
            "Infohuset",
            "mini-Infohusene",
            "samarbejdet med PET",
            "bekymringshenvendelser",
            "forebyggelse af skoleskyderier",
        ],
        groups: &[
            "unge i risiko for radikalisering",
            "fagpersoner på skolerne",
        ],
        about: "Forebyggelse af radikalisering og voldelig ekstremisme gennem Infohusene.",
    },
    Topic {
        theme: TH_DIGI,
        np: "digital kriminalitet",
        problem: true,
        titles: &[
            "Digital kriminalitet",
            "Digital tryghed",
            "Tryghed og sikkerhed på nettet",
        ],
        kw: &[
            "phishing",
            "telefonsvindel",
            "falske webshops",
            "MitID-svindel",
            "oplæg om sikker adfærd på nettet",
        ],
        groups: &["ældre borgere", "unge og deres forældre"],
        about: "Forebyggelse af kriminalitet på nettet og styrkelse af borgernes digitale tryghed.",
    },
    Topic {
        theme: TH_DIGI,
        np: "børn og unges adfærd på sociale medier",
        problem: false,
        titles: &[
            "Børn og unges adfærd på sociale medier og onlinespil",
            "Digital dannelse",
            "Deling af krænkende billeder",
        ],
        kw: &[
            "undervisningsmodulet Den sikre side",
            "forløbet Dit liv på nettet",
            "deling af krænkende billeder",
            "forældremøder om sociale medier",
            "risici i onlinespil",
        ],
        groups: &["elever i 6. til 9. klasse", "forældre til skolebørn"],
        about: "Forebyggelse af børn og unges risikoadfærd på sociale medier og i onlinespil.",
    },
    Topic {
        theme: TH_DIGI,
        np: "svindel mod ældre borgere",
        problem: true,
        titles: &["Svindel mod ældre", "Tricktyverier"],
        kw: &[
            "tricktyverier",
            "telefonsvindel",
            "samarbejdet med ældrerådene",
            "hjemmeplejens opmærksomhed",
        ],
        groups: &["ældre borgere", "pårørende til ældre"],
        about: "Oplysning og forebyggelse, der beskytter ældre mod svindel og tricktyveri.",
    },
    Topic {
        theme: TH_TRAF,
        np: "trafiksikkerheden",
        problem: false,
        titles: &[
            "Indsatser for mere sikker trafik",
            "Sikker trafik og færdselssikkerhed",
            "Færdselssikkerhed",
        ],
        kw: &[
            "hastighedskontroller",
            "skolevejsanalyser",
            "trafiktemadage",
            "uheldsdata",
            "ordningen Bestil en færdselskontrol",
        ],
        groups: &["skolebørn og deres forældre", "unge bilister"],
        about: "Færre ulykker og mere tryghed i trafikken.",
    },
    Topic {
        theme: TH_TRAF,
        np: "spiritus- og narkokørsel",
        problem: true,
        titles: &["Spiritus- og narkokørsel", "Kør rent!"],
        kw: &[
            "Kør rent!-kampagnen",
            "målrettede kontroller",
            "oplæg på ungdomsuddannelserne",
            "narkometre",
        ],
        groups: &["unge bilister", "gæster ved fester og byfester"],
        about: "Forebyggelse af kørsel i påvirket tilstand.",
    },
    Topic {
        theme: TH_TRAF,
        np: "vanvidskørsel og uansvarlig kørsel med knallert",
        problem: true,
        titles: &["Vanvidskørsel", "Knallerter og el-løbehjul"],
        kw: &[
            "konfiskation af køretøjer",
            "knallertkontroller",
            "el-løbehjul",
            "fartdæmpende tiltag",
        ],
        groups: &["unge knallertkørere", "unge bilister"],
        about: "Indsats mod vanvidskørsel og farlig kørsel med knallerter og el-løbehjul.",
    },
    Topic {
        theme: TH_UNGE,
        np: "ungdomskriminalitet",
        problem: true,
        titles: &[
            "Udviklingen i ungdomskriminaliteten",
            "Ungdomskriminalitet",
            "Tidlig indsats over for kriminalitetstruede unge",
        ],
        kw: &[
            "§ 115-udvalget",
            "Ungdomskriminalitetsnævnet",
            "bekymringssamtaler",
            "ungesamrådet",
            "SSP+",
        ],
        groups: &[
            "unge under 18 år",
            "unge voksne mellem 18 og 25 år",
            "kriminalitetstruede børn",
        ],
        about:
            "Den tidlige og tværfaglige indsats, der skal holde børn og unge ude af kriminalitet.",
    },
    Topic {
        theme: TH_UNGE,
        np: "unges uhensigtsmæssige ophold i det offentlige rum",
        problem: true,
        titles: &["Unge i det offentlige rum", "Uro blandt unge i bymidten"],
        kw: &[
            "gadeplansmedarbejderne",
            "natteravnene",
            "fritidsjob",
            "opsøgende arbejde om aftenen",
        ],
        groups: &["unge, der samles i grupper", "unge uden fritidstilbud"],
        about: "Unge, der samles og opleves som utryghedsskabende i det offentlige rum.",
    },
    Topic {
        theme: TH_UNGE,
        np: "børn og unges trivsel",
        problem: false,
        titles: &["Børn, unge og mistrivsel", "Trivsel blandt børn og unge"],
        kw: &[
            "projektet En barndom uden vold",
            "projektet Vejen videre",
            "initiativet Fælles om ungelivet",
            "trivselsmålinger",
        ],
        groups: &["børn i udsatte familier", "unge i mistrivsel"],
        about: "Tidlig forebyggelse, fordi mistrivsel kan føre til kriminalitet og misbrug.",
    },
    Topic {
        theme: TH_UNGE,
        np: "negativ social kontrol og genopdragelsesrejser",
        problem: true,
        titles: &[
            "Fælles fokus på genopdragelsesrejser",
            "Negativ social kontrol",
        ],
        kw: &[
            "genopdragelsesrejser",
            "underretninger",
            "skolernes opmærksomhed før ferier",
            "tolkebistand",
        ],
        groups: &["børn og unge med rødder i udlandet", "forældre"],
        about: "Samarbejdet om børn og unge, der risikerer genopdragelsesrejser og social kontrol.",
    },
    Topic {
        theme: TH_UNGE,
        np: "bekymrende skolefravær",
        problem: true,
        titles: &[
            "Bekymrende skolefravær",
            "Fastholdelse i skole og uddannelse",
        ],
        kw: &[
            "fraværsregistrering",
            "hjemmebesøg",
            "ungdomsskolen",
            "uddannelsesvejledningen",
        ],
        groups: &["elever med højt fravær", "unge uden uddannelse"],
        about: "Skolefravær som tidligt tegn på mistrivsel og risiko for kriminalitet.",
    },
    Topic {
        theme: TH_SAAR,
        np: "samarbejdet om psykisk sårbare borgere",
        problem: false,
        titles: &[
            "Bedre samarbejde om indsatsen over for sårbare borgere",
            "Indsats for psykisk sårbare personer",
            "Borgere med psykiske lidelser",
        ],
        kw: &[
            "PSP-samarbejdet",
            "den fælles udrykningstjeneste",
            "samarbejdet med psykiatrien",
            "BRO-patruljen",
            "opsøgende sygeplejersker",
        ],
        groups: &["psykisk sårbare borgere", "borgere med dobbeltdiagnoser"],
        about: "Politi, kommune og psykiatri om borgere med psykiske lidelser.",
    },
    Topic {
        theme: TH_SAAR,
        np: "ensomhed og social isolation",
        problem: true,
        titles: &["Bekæmpelse af ensomhed", "Fællesskaber mod ensomhed"],
        kw: &[
            "sociale viceværter",
            "lokale mødesteder",
            "besøgsvenner",
            "foreningslivet",
        ],
        groups: &["ældre borgere, der bor alene", "unge i mistrivsel"],
        about: "Fællesskaber og netværk, der bryder social isolation.",
    },
    Topic {
        theme: TH_SAAR,
        np: "indsatsen for socialt udsatte",
        problem: false,
        titles: &["Socialt udsatte i bymidten", "Hjemløshed og tryghed"],
        kw: &[
            "varmestuerne",
            "gadesygeplejerskerne",
            "samarbejdet med herbergerne",
            "Housing First-tilgangen",
        ],
        groups: &["hjemløse borgere", "socialt udsatte med misbrug"],
        about: "Hjælp til socialt udsatte og tryghed i de områder, hvor de opholder sig.",
    },
    Topic {
        theme: TH_OFRE,
        np: "hjælpen til ofre for kriminalitet",
        problem: false,
        titles: &[
            "Hjælp til ofre",
            "Offerrådgivning",
            "Nyt team skal forbedre hjælp til ofre",
        ],
        kw: &[
            "Offerrådgivningen",
            "opfølgende tryghedssamtaler",
            "frivillige offerrådgivere",
            "Offerfonden",
        ],
        groups: &["ofre for kriminalitet", "pårørende til ofre"],
        about: "Støtte og rådgivning til borgere, der har været udsat for kriminalitet.",
    },
    Topic {
        theme: TH_OFRE,
        np: "brugen af konfliktråd",
        problem: false,
        titles: &["Konfliktråd", "Genoprettende processer"],
        kw: &[
            "konfliktrådsmæglerne",
            "mødet mellem forurettet og gerningsperson",
            "genoprettende samtaler",
            "skolekonflikter",
        ],
        groups: &["forurettede", "unge gerningspersoner"],
        about: "Konfliktråd, hvor forurettede og gerningsperson mødes.",
    },
    Topic {
        theme: TH_SAMA,
        np: "det nærværende lokalpoliti",
        problem: false,
        titles: &[
            "Det lokale samarbejde fra nærstationerne",
            "Nærpoliti og synlighed",
            "Mobile politistationer",
        ],
        kw: &[
            "nærstationerne",
            "lokalbetjentene",
            "mobile politistationer",
            "borgerbetjening",
        ],
        groups: &["borgerne i landdistrikterne", "lokale foreninger"],
        about: "Et synligt og tilgængeligt politi tæt på borgerne.",
    },
    Topic {
        theme: TH_SAMA,
        np: "de lokale samarbejdsfora",
        problem: false,
        titles: &[
            "Revitalisering af samarbejdsfora",
            "Styrket lokalt samarbejde",
        ],
        kw: &[
            "lokalrådenes arbejdsform",
            "fælles temamøder",
            "årshjul for samarbejdet",
            "videndeling mellem kommunerne",
        ],
        groups: &["medlemmerne af lokalrådene", "fagpersoner i SSP"],
        about: "Organiseringen af samarbejdet i kredsråd, lokalråd og SSP.",
    },
    Topic {
        theme: TH_SAMA,
        np: "samarbejdet med Kriminalforsorgen",
        problem: false,
        titles: &[
            "Øget samarbejde med Kriminalforsorgen",
            "Løsladelsesforløb og KSP",
        ],
        kw: &[
            "KSP-samarbejdet",
            "løsladelsesmøder",
            "boligplacering efter afsoning",
            "job og uddannelse efter afsoning",
        ],
        groups: &["prøveløsladte", "unge, der løslades"],
        about: "En god overgang fra afsoning til en tilværelse uden kriminalitet.",
    },
    Topic {
        theme: TH_SAMA,
        np: "det lokale kriseberedskab",
        problem: false,
        titles: &["Klar i krise", "Lokalt kriseberedskab"],
        kw: &[
            "den lokale beredskabsstab",
            "naboberedskab",
            "evakueringsplaner",
            "fælles øvelser",
        ],
        groups: &["borgerne i lokalsamfundet", "sårbare borgere"],
        about: "Et fælles beredskab, så borgerne er forberedte, hvis en krise opstår.",
    },
    Topic {
        theme: TH_SAMA,
        np: "det gode naboskab",
        problem: false,
        titles: &["Det gode naboskab", "Nabofællesskaber"],
        kw: &[
            "nabovenner",
            "lokale ildsjæle",
            "tryghedsvandringer",
            "lokale naboarrangementer",
        ],
        groups: &["borgerne i lokalområderne", "nye tilflyttere"],
        about: "Lokale fællesskaber og naboskab som grundlag for tryghed.",
    },
    Topic {
        theme: TH_TRYG,
        np: "et trygt festliv for unge",
        problem: false,
        titles: &["Trygt festliv", "Sikre fester for unge"],
        kw: &[
            "sikkerheden ved festivaler",
            "aftaler om gymnasiefester",
            "Trygt Festliv-rapporten",
            "ansvarlig udskænkning",
        ],
        groups: &["unge til fest", "arrangører af fester"],
        about: "Ansvar, dialog og forebyggelse i unges festliv.",
    },
    Topic {
        theme: TH_SAMA,
        np: "den grønne omstilling",
        problem: false,
        titles: &["Grøn omstilling"],
        kw: &[
            "lavpraktiske initiativer",
            "fælles transport til møderne",
            "genbrug i lokalområdet",
        ],
        groups: &["borgerne", "foreninger"],
        about: "Bæredygtige valg i samarbejdet og i lokalsamfundet.",
    },
    Topic {
        theme: TH_TRYG,
        np: "miljøkriminalitet",
        problem: true,
        titles: &["Miljøkriminalitet", "Ulovlig dumpning af affald"],
        kw: &[
            "ulovlig dumpning af affald",
            "miljøtilsynet",
            "fælles kontroller",
            "anmeldelser fra borgerne",
        ],
        groups: &["virksomheder", "borgerne i landdistrikterne"],
        about: "Samarbejdet mellem miljømyndighed og politi om miljøkriminalitet.",
    },
    Topic {
        theme: TH_TRYG,
        np: "butikstyverier",
        problem: true,
        titles: &["Butikstyverier", "Tryghed i handelslivet"],
        kw: &[
            "butiksnetværket",
            "hurtig anmeldelse",
            "overvågning i butikkerne",
            "handelsstandsforeningerne",
        ],
        groups: &["butiksansatte", "unge gerningspersoner"],
        about: "Forebyggelse af tyverier i butikker og tryghed for de ansatte.",
    },
    Topic {
        theme: TH_TRYG,
        np: "hærværk og graffiti",
        problem: true,
        titles: &["Hærværk og graffiti", "Skadeshærværk på skoler"],
        kw: &[
            "hurtig fjernelse af graffiti",
            "samarbejdet med skolernes pedeller",
            "videoovervågning",
            "erstatningskrav",
        ],
        groups: &["unge i lokalområderne", "skolerne"],
        about: "Forebyggelse af hærværk og graffiti i lokalområderne.",
    },
    Topic {
        theme: TH_TRYG,
        np: "trusler mod folkevalgte",
        problem: true,
        titles: &[
            "Et stærkere værn om demokratiet",
            "Trusler mod folkevalgte og offentligt ansatte",
        ],
        kw: &[
            "kontaktpersonsordningen",
            "sikkerhedsrådgivning",
            "sikkerheden under valgkampe",
            "hadefulde beskeder",
        ],
        groups: &["folkevalgte og deres pårørende", "offentligt ansatte"],
        about: "Beskyttelse af folkevalgte og ansatte mod trusler og chikane.",
    },
    Topic {
        theme: TH_VOLD,
        np: "overgreb mod børn",
        problem: true,
        titles: &["Børn udsat for overgreb", "Samarbejde med Børnehuset"],
        kw: &[
            "samarbejdet med Børnehuset",
            "videoafhøring",
            "underretninger",
            "fælles sagsgange",
        ],
        groups: &["børn og unge", "fagpersoner i dagtilbud og skoler"],
        about: "Samarbejdet, når der er mistanke om overgreb mod et barn.",
    },
    Topic {
        theme: TH_TRYG,
        np: "ulovligt fyrværkeri",
        problem: true,
        titles: &["Nytår og fyrværkeri", "Ulovligt fyrværkeri"],
        kw: &[
            "kontrol med salget af fyrværkeri",
            "forbudszoner",
            "samarbejdet med brandvæsenet",
            "kampagner på skolerne",
        ],
        groups: &["unge i boligområderne", "borgerne"],
        about: "Forebyggelse af skader og utryghed fra ulovligt fyrværkeri.",
    },
    Topic {
        theme: TH_BOLI,
        np: "påsatte brande",
        problem: true,
        titles: &["Påsatte brande", "Brandstiftelse i boligområder"],
        kw: &[
            "samarbejdet med beredskabet",
            "brandvagter i boligområderne",
            "containerbrande",
            "boligorganisationerne",
        ],
        groups: &["beboere i boligområderne", "unge"],
        about: "Forebyggelse af brandstiftelse i boligområder og på skoler.",
    },
];

/// Partners as the plans name them.
const ACTORS: &[&str] = &[
    "SSP-konsulenterne",
    "forebyggelsesbetjentene",
    "lokalbetjentene",
    "Kriminalforsorgen",
    "skolerne",
    "de boligsociale medarbejdere",
    "psykiatrien",
    "socialforvaltningen",
    "ungdomsskolen",
    "Det Kriminalpræventive Sekretariat",
    "nærpolitiet",
    "boligorganisationerne",
    "natteravnene",
    "foreningslivet",
    "familieafdelingen",
    "SSP-kontaktlærerne",
    "gadeplansmedarbejderne",
    "jobcentret",
    "Trygfonden",
    "Røde Kors",
];

/// Ways of working, plural indefinite.
const METHODS: &[&str] = &[
    "tryghedsvandringer",
    "tværfaglige netværksmøder",
    "bekymringssamtaler",
    "forebyggende oplæg på skolerne",
    "forældremøder",
    "fælles patruljering",
    "informationskampagner",
    "hjemmebesøg",
    "dialogmøder med borgerne",
    "målrettede kontroller",
    "temadage for fagpersoner",
    "undervisningsforløb i udskolingen",
    "opsøgende gadeplansarbejde",
    "fælles kortlægninger",
    "borgermøder",
    "fælles sagsgennemgange",
];

const INTRO_PROBLEM: &[&str] = &[
    "{pol} og {lok} vil i {Y} fortsat prioritere indsatsen mod {np}.",
    "Indsatsen mod {np} har høj prioritet, fordi kriminaliteten rammer borgerne i deres hverdag og skaber utryghed.",
    "{Np} er et område, hvor politiet ikke kan løse opgaven alene, og hvor et tæt samarbejde med {lok} er afgørende.",
    "Udviklingen i {by} viser, at {np} fortsat er en væsentlig udfordring, som kræver en fælles og vedholdende indsats.",
    "Antallet af anmeldelser om {np} har de seneste år ligget på et niveau, som både politiet og {lok} finder for højt.",
    "I {Y1} blev der registreret flere sager, hvor {kw} spillede en rolle, og det kræver en skærpet opmærksomhed i {omr}.",
    "Forebyggelse og efterforskning af sager om {np} har derfor høj prioritet for både politiet og {lok}.",
    "Erfaringerne viser, at en tidlig og koordineret indsats over for {g} har en tydelig forebyggende effekt.",
];

const INTRO_GOAL: &[&str] = &[
    "{pol} og {lok} vil i {Y} fortsat arbejde målrettet med {np}.",
    "Arbejdet med {np} er et fælles ansvar, som kræver en koordineret indsats på tværs af myndigheder og fagområder.",
    "Kredsrådet har valgt at fastholde fokus på {np}, fordi området har stor betydning for borgernes oplevede tryghed.",
    "{Np} har gennem flere år været et centralt element i samarbejdet mellem politi og kommune i {by}.",
    "Indsatsen bygger videre på de gode erfaringer, som lokalrådene har gjort med {kw} i {Y1}.",
    "Der er bred enighed i lokalrådene om, at {np} kræver en langsigtet indsats, hvor resultaterne ikke altid er synlige med det samme.",
    "Formålet er at styrke {np}, så flere borgere oplever, at politiet og {lok} er til stede, når der er brug for det.",
];

const ACTIVITY: &[&str] = &[
    "{A} og {a2} samarbejder om {m}, så bekymringer kan håndteres hurtigt og helhedsorienteret.",
    "Der afholdes løbende {m} med deltagelse af {a} og {a2}.",
    "Som led i indsatsen gennemføres {m}, og erfaringerne deles på lokalrådets møder.",
    "Indsatsen omfatter blandt andet {kw}, som koordineres af {a}.",
    "{A} følger op på sager, hvor {kw} indgår, og orienterer lokalrådet to gange årligt.",
    "I samarbejde med {a} er der udviklet materiale om {kw}, som anvendes i dialogen med {g}.",
    "Der er etableret et fast samarbejde med {a}, som bidrager med viden om {kw}.",
    "Politiet vil sammen med {a} gennemføre {m} i de områder, hvor behovet er størst.",
    "Erfaringerne fra {Y1} viser, at {m} giver et godt grundlag for den fælles indsats.",
    "Data fra politiets døgnrapporter og {lok}s registreringer anvendes til at målrette indsatsen i tid og sted.",
    "Der er særligt fokus på {g}, som ofte ikke selv søger hjælp.",
    "{A} har en central rolle i arbejdet og sikrer, at viden om {kw} når ud til de relevante fagpersoner.",
    "Indsatsen koordineres i et tværfagligt netværk, hvor {a}, {a2} og politiet mødes fire gange årligt.",
    "Når der opstår en konkret bekymring, tager {a} kontakt til {a2} med henblik på en hurtig afklaring.",
    "I {Y} afprøves en ny model for {m}, som efter et år evalueres i lokalrådet.",
    "Det er erfaringen, at {m} skaber tillid mellem borgerne og myndighederne.",
    "Politiet deltager desuden i {m} efter aftale med {a}.",
    "Der udarbejdes et fælles overblik over {kw}, som opdateres løbende og drøftes i lokalrådet.",
    "Samarbejdet med {a} er styrket i de seneste år og er nu et fast led i indsatsen.",
    "For at nå {g} tidligt arbejdes der med {m} på tværs af skoler, fritidstilbud og foreninger.",
    "Parterne er enige om, at {kw} fortsat skal have en fremtrædende plads i samarbejdet.",
    "Lokalpolitiet er til stede ved {m} og bidrager med viden om den lokale kriminalitet.",
];

const GOALS: &[&str] = &[
    "Målsætning: At {gv} {np} gennem {m} og et tæt samarbejde med {a}.",
    "Målsætning: At flere {g} får den rette hjælp i tide, og at bekymringer følges op inden for kort tid.",
    "Målet er, at {lok} og politiet ved udgangen af {Y} har et fælles og opdateret overblik over {kw}.",
    "Det er et mål for {Y}, at indsatsen når flere {g} end hidtil.",
    "Målsætning: At fastholde det høje niveau i samarbejdet og at udbrede de gode erfaringer til hele {omr}.",
];

const CLOSING: &[&str] = &[
    "Lokalrådet følger udviklingen tæt og justerer indsatsen efter behov.",
    "Status på indsatsen drøftes på kredsrådets møde i efteråret {Y}.",
    "Indsatsen evalueres ved årets udgang, og resultaterne indgår i arbejdet med næste års plan.",
    "Eventuelle nye tendenser på området tages op på lokalrådets møder i løbet af året.",
];

const LIST_LEADS: &[&str] = &[
    "Indsatsen omfatter blandt andet:",
    "I {Y} vil der særligt blive arbejdet med:",
    "Samarbejdet består af følgende elementer:",
];

const LIST_ITEMS: &[&str] = &[
    "{M}",
    "{Kw}",
    "Tværfaglige møder med {a}",
    "Oplæg og dialog med {g}",
    "Fælles kortlægning af {kw}",
    "Opfølgning på sager, hvor {kw} indgår",
    "{M} i samarbejde med {a}",
];

/// Sub-section headings inside an indsatsområde's section.
const SUBHEADS: &[&str] = &[
    "Status og erfaringer",
    "Det videre arbejde",
    "Samarbejde på tværs",
    "Forebyggende tiltag",
    "Opfølgning og evaluering",
    "Lokale initiativer",
    "Målgruppe og metode",
    "Organisering af indsatsen",
];

/// Headings of the plans' other chapters: no registry title may equal one, or the
/// heading would bind automatically.
const FIXED_HEADINGS: &[&str] = &[
    "Forord",
    "Indledning",
    "DEL 1",
    "DEL 2",
    "Kredsrådets organisering og ansvar",
    "Lokalrådenes organisering og ansvar",
    "Kredsrådets samarbejdsplan",
    "Kredsrådets prioriterede indsatsområder",
    "Lokalrådets sammensætning",
    "Lokalrådets møder",
    "Lokale kriminalitetsforebyggende samarbejdsfora",
    "SSP-samarbejdet",
    "PSP-samarbejdet",
    "KSP-samarbejdet",
    "Lokale prioriterede indsatsområder",
    "De unge (SSP, SSP+ og § 115-udvalg)",
    "De særligt socialt udsatte (PSP-samarbejdet)",
    "De prøveløsladte (KSP-samarbejdet)",
    "Radikalisering (Infohuse)",
];

/// Small, meaning-preserving rewordings: a year's "videreført" edit.
const TWEAKS: &[(&str, &str)] = &[
    (" vil i ", " vil også i "),
    (" vil også i ", " vil i "),
    ("samarbejder om", "arbejder sammen om"),
    ("arbejder sammen om", "samarbejder om"),
    ("løbende", "jævnligt"),
    ("jævnligt", "løbende"),
    ("to gange årligt", "fire gange årligt"),
    ("fire gange årligt", "to gange årligt"),
    ("særligt", "især"),
    ("især", "særligt"),
    ("afgørende", "helt centralt"),
    ("helt centralt", "afgørende"),
    ("i samarbejde med", "sammen med"),
    ("sammen med", "i samarbejde med"),
    ("fortsat", "fremover"),
    ("fremover", "fortsat"),
    ("hurtigt", "hurtigt og smidigt"),
    ("hurtigt og smidigt", "hurtigt"),
];

/// Title frames for subjects that are harms, and for goods.
const FRAMES_PROBLEM: &[&str] = &[
    "Indsats mod {np}",
    "Forebyggelse af {np}",
    "Styrkelse af indsatsen mod {np}",
    "Fokus på {np}",
    "Bekæmpelse af {np}",
    "Fælles indsats mod {np}",
];
const FRAMES_GOAL: &[&str] = &[
    "Fokus på {np}",
    "Styrkelse af {np}",
    "Fælles indsats for {np}",
    "Samarbejde om {np}",
    "Arbejdet med {np}",
];
const QUALIFIERS: &[&str] = &[
    " blandt unge",
    " i boligområderne",
    " i landdistrikterne",
    " i bymidterne",
    " på skoler og uddannelsessteder",
    " i lokalsamfundet",
    " med fokus på forebyggelse",
    " på tværs af myndighederne",
];

const FIRST_NAMES: &[&str] = &[
    "Anne",
    "Bente",
    "Birgitte",
    "Camilla",
    "Dorte",
    "Eva",
    "Hanne",
    "Helle",
    "Inge",
    "Jette",
    "Karen",
    "Kirsten",
    "Lene",
    "Lise",
    "Louise",
    "Maria",
    "Mette",
    "Pia",
    "Susanne",
    "Tina",
    "Anders",
    "Bo",
    "Carsten",
    "Christian",
    "Erik",
    "Flemming",
    "Frank",
    "Hans",
    "Henrik",
    "Jakob",
    "Jens",
    "Jesper",
    "Jørgen",
    "Kim",
    "Lars",
    "Martin",
    "Michael",
    "Morten",
    "Niels",
    "Ole",
    "Peter",
    "Poul",
    "Rasmus",
    "Søren",
    "Thomas",
    "Torben",
];
const LAST_NAMES: &[&str] = &[
    "Andersen",
    "Bech",
    "Christensen",
    "Dalgaard",
    "Frandsen",
    "Hansen",
    "Holm",
    "Jensen",
    "Jeppesen",
    "Johansen",
    "Knudsen",
    "Kristensen",
    "Larsen",
    "Lund",
    "Madsen",
    "Mikkelsen",
    "Mortensen",
    "Møller",
    "Nielsen",
    "Nørgaard",
    "Olsen",
    "Pedersen",
    "Poulsen",
    "Rasmussen",
    "Schmidt",
    "Skov",
    "Sørensen",
    "Thomsen",
    "Vestergaard",
    "Østergaard",
];

fn number_word(n: usize) -> String {
    const W: [&str; 16] = [
        "nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve",
        "tolv", "tretten", "fjorten", "femten",
    ];
    W.get(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

fn cap_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms and names ("KSP", "Bo Trygt") as they are.
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

/// "a, b og c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            _ => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Replaces the year tokens a stored sentence carries: `{Y}` the plan's year, `{Y1}`
/// the year before.
fn years_in(s: &str, y: i64) -> String {
    if !s.contains('{') {
        return s.to_string();
    }
    s.replace("{Y1}", &(y - 1).to_string())
        .replace("{Y}", &y.to_string())
}

// ---------------------------------------------------------------------------------
// The registry and its life cycles
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Ind {
    id: String,
    topic: usize,
    title: String,
    aliases: Vec<String>,
    /// Heading of the merged section (on the lower-numbered of a merged pair).
    merged_title: Option<String>,
    weight: f64,
    /// Only issuers of this kreds use it.
    region: Option<usize>,
    /// Nationally in use, per year index.
    active: Vec<bool>,
    /// (partner, first year index of the merge).
    merge: Option<(usize, usize)>,
}

/// Builds `n` indsatsområder over `ny` years for `kredse` districts.
fn registry(seed: u64, n: usize, ny: usize, kredse: &[Kreds]) -> Vec<Ind> {
    let mut rng = Rng::keyed(seed, &[TAG_REGISTRY]);
    let mut used: HashSet<String> = FIXED_HEADINGS
        .iter()
        .chain(SUBHEADS)
        .map(|h| normalize_title(h))
        .collect();

    // Candidate titles per topic: (title, qualifier) – the printed titles first, then
    // frames around the noun phrase, then the same with qualifiers, each group shuffled.
    let mut cands: Vec<Vec<(String, Option<usize>)>> = Vec::new();
    for t in TOPICS {
        let frames = if t.problem {
            FRAMES_PROBLEM
        } else {
            FRAMES_GOAL
        };
        let mut v: Vec<(String, Option<usize>)> =
            t.titles.iter().map(|s| (s.to_string(), None)).collect();
        let mut plain: Vec<(String, Option<usize>)> = frames
            .iter()
            .map(|f| (f.replace("{np}", t.np), None))
            .collect();
        rng.shuffle(&mut plain);
        v.extend(plain);
        let mut qual: Vec<(String, Option<usize>)> = Vec::new();
        for f in frames {
            for (qi, qs) in QUALIFIERS.iter().enumerate() {
                qual.push((format!("{}{qs}", f.replace("{np}", t.np)), Some(qi)));
            }
        }
        rng.shuffle(&mut qual);
        v.extend(qual);
        cands.push(v);
    }
    let mut taken: Vec<Vec<bool>> = cands.iter().map(|v| vec![false; v.len()]).collect();
    let mut order: Vec<usize> = (0..TOPICS.len()).collect();
    rng.shuffle(&mut order);

    let mut titles_norm: Vec<String> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut inds: Vec<Ind> = Vec::new();
    let check_similar = n <= 600;
    for i in 0..n {
        let region = (kredse.len() > 1 && rng.chance(0.2)).then(|| rng.below(kredse.len()));
        // The next acceptable candidate, starting from this index's topic.
        let mut found = None;
        'topics: for k in 0..TOPICS.len() {
            let t = order[(i + k) % TOPICS.len()];
            for c in 0..cands[t].len() {
                if taken[t][c] {
                    continue;
                }
                let mut title = cands[t][c].0.clone();
                let mut place = None;
                if let (Some(r), None) = (region, cands[t][c].1) {
                    if !title.contains(" i ") {
                        place = Some(slugify(&kredse[r].short));
                        title = format!("{title} {}", in_place(&kredse[r].short));
                    }
                }
                let norm = normalize_title(&title);
                let ok = !used.contains(&norm)
                    && (!check_similar
                        || titles_norm
                            .iter()
                            .all(|o| strsim::normalized_levenshtein(o, &norm) < 0.8));
                taken[t][c] = true;
                if ok {
                    let plain = cands[t][c].0.clone();
                    found = Some((t, c, title, norm, plain, place));
                    break 'topics;
                }
            }
        }
        let (t, c, title, norm, plain, place) = found.unwrap_or_else(|| {
            // Every candidate is used (only at extreme scales): number a repeat.
            let t = order[i % TOPICS.len()];
            let title = format!("{} {}", TOPICS[t].titles[0], roman(i + 2));
            let norm = normalize_title(&title);
            (t, 0, title.clone(), norm, title, None)
        });
        used.insert(norm.clone());
        titles_norm.push(norm);

        // Aliases: other phrasings of the same subject with the same qualifier.
        let qual = cands[t].get(c).and_then(|x| x.1);
        let n_alias = match rng.below(100) {
            0..=34 => 0,
            35..=79 => 1,
            _ => 2,
        };
        let mut aliases = Vec::new();
        let mut pool: Vec<usize> = (0..cands[t].len())
            .filter(|&j| !taken[t][j] && cands[t][j].1 == qual)
            .collect();
        rng.shuffle(&mut pool);
        for j in pool {
            if aliases.len() >= n_alias {
                break;
            }
            let a = &cands[t][j].0;
            let an = normalize_title(a);
            if !used.contains(&an) {
                used.insert(an);
                taken[t][j] = true;
                aliases.push(a.clone());
            }
        }

        let id = unique_id(&plain, place.as_deref(), &mut ids);
        let weight = match rng.below(10) {
            0..=1 => 4.0,
            2..=6 => 1.0,
            _ => 0.3,
        };
        inds.push(Ind {
            id,
            topic: t,
            title,
            aliases,
            merged_title: None,
            weight: if region.is_some() {
                weight * 2.0
            } else {
                weight
            },
            region,
            active: vec![false; ny],
            merge: None,
        });
    }

    life_cycles(&mut rng, &mut inds, ny);
    merges(&mut rng, &mut inds, ny, &mut used);
    inds
}

/// "i Nordjylland", "på Fyn", "på Bornholm".
fn in_place(short: &str) -> String {
    if short.starts_with("Fyn") || short.starts_with("Bornholm") {
        format!("på {short}")
    } else {
        format!("i {short}")
    }
}

/// An id from a title: the slug without framing words, a few words long, not ending
/// in a small word; the whole title's slug if that is taken; a number as last resort.
fn unique_id(title: &str, place: Option<&str>, ids: &mut HashSet<String>) -> String {
    let mut core = title;
    for p in [
        "Styrkelse af indsatsen mod ",
        "Styrkelse af indsatsen over for ",
        "Indsats mod ",
        "Forebyggelse af ",
        "Fokus på ",
        "Bekæmpelse af ",
        "Fælles indsats mod ",
        "Fælles indsats for ",
        "Styrkelse af ",
        "Samarbejde om ",
        "Arbejdet med ",
    ] {
        if let Some(rest) = title.strip_prefix(p) {
            core = rest;
            break;
        }
    }
    const SMALL: &[&str] = &[
        "og", "i", "af", "for", "mod", "med", "paa", "om", "over", "samt", "til", "de", "det",
        "den", "en", "et", "blandt", "herunder", "skal",
    ];
    let short = |s: &str, n: usize| {
        let mut w: Vec<&str> = s.split('-').filter(|w| !w.is_empty()).take(n).collect();
        while w.len() > 1 && w.last().is_some_and(|x| SMALL.contains(x)) {
            w.pop();
        }
        w.join("-")
    };
    let with_place = |b: String| match place {
        Some(p) => format!("{b}-{p}"),
        None => b,
    };
    let mut base = with_place(short(&slugify(core), 5));
    if base.is_empty() {
        base = "indsats".into();
    }
    if ids.contains(&base) {
        let whole = short(&slugify(title), 7);
        if !whole.is_empty() {
            base = with_place(whole);
        }
    }
    let mut id = base.clone();
    let mut k = 2;
    while ids.contains(&id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    ids.insert(id.clone());
    id
}

/// Active windows: some in use from the first year, others appearing later; some last
/// to the end, some end; a few pause for one to three years and return.
fn life_cycles(rng: &mut Rng, inds: &mut [Ind], ny: usize) {
    for ind in inds.iter_mut() {
        let start = if rng.chance(0.35) { 0 } else { rng.below(ny) };
        let len = if rng.chance(0.4) {
            ny
        } else {
            rng.range(2, (ny * 2 / 3).max(2))
        };
        let end = (start + len - 1).min(ny - 1);
        for a in &mut ind.active[start..=end] {
            *a = true;
        }
        if end >= start + 5 && rng.chance(0.3) {
            let gap_start = rng.range(start + 2, end - 2);
            let gap_len = rng.range(1, 3.min(end - 1 - gap_start));
            for a in &mut ind.active[gap_start..gap_start + gap_len] {
                *a = false;
            }
        }
    }
    // Enough national ones in every year for plans of 5–12 indsatsområder.
    let national: Vec<usize> = (0..inds.len())
        .filter(|&i| inds[i].region.is_none())
        .collect();
    let want = national.len().min(14);
    for y in 0..ny {
        let mut have = national.iter().filter(|&&i| inds[i].active[y]).count();
        let mut tries = 0;
        while have < want && tries < 10 * national.len() {
            let i = *rng.pick(&national);
            if !inds[i].active[y] {
                inds[i].active[y] = true;
                have += 1;
            }
            tries += 1;
        }
    }
}

/// Pairs that merge: from their merge year on, both are bound by one section (the
/// contract's `{indsats=a,b}`) and share one life cycle.
fn merges(rng: &mut Rng, inds: &mut [Ind], ny: usize, used: &mut HashSet<String>) {
    if ny < 2 || inds.len() < 4 {
        return;
    }
    let want = ((inds.len() as f64 * 0.06).round() as usize).max(1);
    let mut made = 0;
    let mut tries = 0;
    while made < want && tries < 200 * want {
        tries += 1;
        let a = rng.below(inds.len());
        if inds[a].merge.is_some() {
            continue;
        }
        let years: Vec<usize> = (1..ny)
            .filter(|&y| inds[a].active[y - 1] && inds[a].active[y])
            .collect();
        if years.is_empty() {
            continue;
        }
        let ym = *rng.pick(&years);
        let ok = |b: usize, same_theme: bool| {
            b != a
                && inds[b].merge.is_none()
                && inds[b].region == inds[a].region
                && inds[b].active[ym - 1]
                && (!same_theme || TOPICS[inds[b].topic].theme == TOPICS[inds[a].topic].theme)
        };
        let mut bs: Vec<usize> = (0..inds.len()).filter(|&b| ok(b, true)).collect();
        if bs.is_empty() {
            bs = (0..inds.len()).filter(|&b| ok(b, false)).collect();
        }
        if bs.is_empty() {
            continue;
        }
        let b = *rng.pick(&bs);
        for y in ym..ny {
            inds[b].active[y] = inds[a].active[y];
        }
        inds[a].merge = Some((b, ym));
        inds[b].merge = Some((a, ym));
        let (lo, hi) = (a.min(b), a.max(b));
        let title = format!("{} samt {}", inds[lo].title, lower_first(&inds[hi].title));
        let norm = normalize_title(&title);
        if !used.contains(&norm) {
            used.insert(norm);
            inds[lo].aliases.push(title.clone());
        }
        inds[lo].merged_title = Some(title);
        made += 1;
    }
}

/// The unit an indsatsområde is bound in at year `y`: its representative (the lower
/// id of a merged pair) and its members.
fn rep_of(inds: &[Ind], i: usize, y: usize) -> usize {
    match inds[i].merge {
        Some((p, ym)) if y >= ym => i.min(p),
        _ => i,
    }
}

fn members(inds: &[Ind], rep: usize, y: usize) -> Vec<usize> {
    match inds[rep].merge {
        Some((p, ym)) if y >= ym => {
            let mut v = vec![rep, p];
            v.sort_unstable();
            v
        }
        _ => vec![rep],
    }
}

fn unit_title(inds: &[Ind], rep: usize, y: usize) -> &str {
    match (&inds[rep].merged_title, inds[rep].merge) {
        (Some(t), Some((_, ym))) if y >= ym => t,
        _ => &inds[rep].title,
    }
}

// ---------------------------------------------------------------------------------
// Which plan binds what
// ---------------------------------------------------------------------------------

/// Issuers: kredse first (0..K), then kommuner (K..).
#[derive(Debug, Clone, Copy)]
enum Who {
    Kreds(usize),
    Kommune(usize),
}

fn issuers(l: &Layout) -> Vec<Who> {
    (0..l.kredse.len())
        .map(Who::Kreds)
        .chain((0..l.kommuner.len()).map(Who::Kommune))
        .collect()
}

fn kreds_of(l: &Layout, w: Who) -> usize {
    match w {
        Who::Kreds(k) => k,
        Who::Kommune(m) => l.kommuner[m].kreds,
    }
}

/// For every issuer and year, the units (representatives, in section order) its plan
/// binds. Plans keep most of last year's indsatsområder, drop a few, take one back now
/// and then, and fill up with new ones; handleplaner favour their kreds's choices.
fn select(seed: u64, l: &Layout, inds: &[Ind], ny: usize) -> Vec<Vec<Vec<usize>>> {
    let who = issuers(l);
    let mut plans: Vec<Vec<Vec<usize>>> = Vec::with_capacity(who.len());
    for (ix, &w) in who.iter().enumerate() {
        let mut rng = Rng::keyed(seed, &[TAG_SELECT, ix as u64]);
        let kreds = kreds_of(l, w);
        let eligible = |rep: usize, y: usize| {
            inds[rep].active[y] && inds[rep].region.is_none_or(|r| r == kreds)
        };
        let (lo, hi) = match w {
            Who::Kreds(_) => (7, 12),
            Who::Kommune(_) => (5, 9),
        };
        let mut target = rng.range(lo, hi);
        let mut ever = vec![false; inds.len()];
        let mut held: Vec<usize> = Vec::new();
        let mut years = Vec::with_capacity(ny);
        #[allow(clippy::needless_range_loop)] // `y` indexes several per-year tables
        for y in 0..ny {
            let mut next: Vec<usize> = Vec::new();
            for &u in &held {
                for m in members(inds, u, y.saturating_sub(1)) {
                    let r = rep_of(inds, m, y);
                    if !next.contains(&r) && eligible(r, y) && !rng.chance(0.07) {
                        next.push(r);
                    }
                }
            }
            if rng.chance(0.3) {
                target = (target + rng.below(3)).saturating_sub(1).clamp(lo, hi);
            }
            // Something from earlier years comes back.
            if y > 1 && rng.chance(0.25) {
                let back: Vec<usize> = (0..inds.len())
                    .filter(|&i| ever[i])
                    .map(|i| rep_of(inds, i, y))
                    .filter(|&r| !next.contains(&r) && eligible(r, y))
                    .collect();
                if !back.is_empty() {
                    next.push(*rng.pick(&back));
                }
            }
            let kreds_units: &[usize] = match w {
                Who::Kommune(_) => &plans[kreds][y],
                Who::Kreds(_) => &[],
            };
            while next.len() < target {
                let reps: Vec<usize> = (0..inds.len())
                    .filter(|&i| rep_of(inds, i, y) == i && eligible(i, y) && !next.contains(&i))
                    .collect();
                let weights: Vec<f64> = reps
                    .iter()
                    .map(|&r| {
                        let w = inds[r].weight;
                        if kreds_units.contains(&r) {
                            w * 4.0
                        } else {
                            w
                        }
                    })
                    .collect();
                match rng.weighted(&weights) {
                    Some(k) => next.push(reps[k]),
                    None => break,
                }
            }
            for &u in &next {
                for m in members(inds, u, y) {
                    ever[m] = true;
                }
            }
            years.push(next.clone());
            held = next;
        }
        plans.push(years);
    }

    // Every registered indsatsområde is bound somewhere: an unused one gets a single
    // appearance in one plan of an issuer that may use it.
    let mut bound = vec![false; inds.len()];
    for p in &plans {
        for (y, units) in p.iter().enumerate() {
            for &u in units {
                for m in members(inds, u, y) {
                    bound[m] = true;
                }
            }
        }
    }
    let mut rng = Rng::keyed(seed, &[TAG_FIX]);
    for i in 0..inds.len() {
        if bound[i] {
            continue;
        }
        let mut spots = Vec::new();
        for (ix, &w) in who.iter().enumerate() {
            let k = kreds_of(l, w);
            for (y, units) in plans[ix].iter().enumerate() {
                let r = rep_of(inds, i, y);
                if inds[r].active[y]
                    && inds[r].region.is_none_or(|reg| reg == k)
                    && !units.contains(&r)
                {
                    spots.push((ix, y));
                }
            }
        }
        if spots.is_empty() {
            continue;
        }
        let (ix, y) = *rng.pick(&spots);
        let r = rep_of(inds, i, y);
        plans[ix][y].push(r);
        for m in members(inds, r, y) {
            bound[m] = true;
        }
    }
    plans
}

// ---------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------

/// An indsatsområde's text in a plan: paragraphs of sentences, lists, sub-headings.
/// Sentences keep `{Y}`/`{Y1}` tokens so that carried text names the right year.
#[derive(Debug, Clone)]
enum Block {
    P(Vec<String>),
    L(Vec<String>),
    H(String),
}

/// Words that name the issuer in sentences.
struct Voice<'a> {
    /// "Nordjyllands Politi"
    pol: &'a str,
    /// "kommunerne" / "Hjørring Kommune"
    lok: String,
    /// "politikredsen" / "kommunen"
    omr: &'static str,
    /// "Nordjylland" / "Hjørring"
    by: &'a str,
}

/// Fills a template's `{slots}`; year tokens are left for [`years_in`].
fn fill(rng: &mut Rng, tpl: &str, t: &Topic, v: &Voice) -> String {
    let mut out = String::with_capacity(tpl.len() + 48);
    let mut rest = tpl;
    let mut actor = "";
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let key = &after[..j];
        match key {
            "np" => out.push_str(t.np),
            "Np" => out.push_str(&cap_first(t.np)),
            "kw" => out.push_str(rng.word(t.kw)),
            "Kw" => out.push_str(&cap_first(rng.word(t.kw))),
            "g" => out.push_str(rng.word(t.groups)),
            "a" | "A" => {
                actor = rng.word(ACTORS);
                if key == "A" {
                    out.push_str(&cap_first(actor));
                } else {
                    out.push_str(actor);
                }
            }
            "a2" => {
                let mut b = rng.word(ACTORS);
                while b == actor {
                    b = rng.word(ACTORS);
                }
                out.push_str(b);
            }
            "m" => out.push_str(rng.word(METHODS)),
            "M" => out.push_str(&cap_first(rng.word(METHODS))),
            "gv" => out.push_str(if t.problem {
                rng.word(&["forebygge og nedbringe", "mindske omfanget af", "begrænse"])
            } else {
                rng.word(&["styrke", "understøtte", "fastholde og udbygge"])
            }),
            "pol" => out.push_str(v.pol),
            "lok" => out.push_str(&v.lok),
            "omr" => out.push_str(v.omr),
            "by" => out.push_str(v.by),
            _ => {
                out.push('{');
                out.push_str(key);
                out.push('}');
            }
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

/// `k` different sentences from `pool`.
fn sentences(rng: &mut Rng, pool: &[&str], k: usize, t: &Topic, v: &Voice) -> Vec<String> {
    let mut ix: Vec<usize> = (0..pool.len()).collect();
    rng.shuffle(&mut ix);
    ix.iter()
        .take(k)
        .map(|&i| fill(rng, pool[i], t, v))
        .collect()
}

/// A fresh text; `long` for a samarbejdsplan.
fn new_text(rng: &mut Rng, t: &Topic, v: &Voice, long: bool) -> Vec<Block> {
    let intro = if t.problem { INTRO_PROBLEM } else { INTRO_GOAL };
    let mut b = Vec::new();
    let n = if long {
        rng.range(3, 4)
    } else {
        rng.range(2, 3)
    };
    b.push(Block::P(sentences(rng, intro, n, t, v)));
    let n = rng.range(3, 4);
    b.push(Block::P(sentences(rng, ACTIVITY, n, t, v)));
    if long || rng.chance(0.45) {
        let n = rng.range(2, 4);
        b.push(Block::P(sentences(rng, ACTIVITY, n, t, v)));
    }
    if rng.chance(if long { 0.5 } else { 0.6 }) {
        b.push(Block::P(sentences(rng, GOALS, 1, t, v)));
    }
    if rng.chance(if long { 0.45 } else { 0.35 }) {
        b.push(Block::P(sentences(rng, LIST_LEADS, 1, t, v)));
        let n = rng.range(3, 5);
        b.push(Block::L(sentences(rng, LIST_ITEMS, n, t, v)));
    }
    if long && rng.chance(0.45) {
        let mut heads: Vec<&str> = SUBHEADS.to_vec();
        rng.shuffle(&mut heads);
        let k = rng.range(1, 2);
        for h in heads.iter().take(k) {
            b.push(Block::H(h.to_string()));
            let n = rng.range(2, 3);
            b.push(Block::P(sentences(rng, ACTIVITY, n, t, v)));
        }
    }
    if rng.chance(0.5) {
        b.push(Block::P(sentences(rng, CLOSING, 1, t, v)));
    }
    b
}

/// Positions of every sentence and list item: (block, index).
fn sentence_slots(b: &[Block]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for (i, blk) in b.iter().enumerate() {
        match blk {
            Block::P(s) | Block::L(s) => v.extend((0..s.len()).map(|j| (i, j))),
            Block::H(_) => {}
        }
    }
    v
}

/// Texts shorter than this get only rewordings as their small edits.
const SMALL_EDIT_MIN_SENTENCES: usize = 14;

/// A year's light touch: usually nothing or a rewording, sometimes one sentence
/// replaced or added. Stays well under the 10 % that makes a text "ændret".
fn small_edit(rng: &mut Rng, b: &mut [Block], t: &Topic, v: &Voice) {
    let r = rng.below(100);
    if r < 40 {
        return;
    }
    let slots = sentence_slots(b);
    if slots.is_empty() {
        return;
    }
    // Replacing or adding a whole sentence is only small in a long text.
    if r < 78 || slots.len() < SMALL_EDIT_MIN_SENTENCES {
        for _ in 0..6 {
            let &(i, j) = rng.pick(&slots);
            let (Block::P(s) | Block::L(s)) = &mut b[i] else {
                continue;
            };
            if let Some((from, to)) = TWEAKS.iter().find(|(f, _)| s[j].contains(f)) {
                s[j] = s[j].replacen(from, to, 1);
                return;
            }
        }
        return;
    }
    let paras: Vec<usize> = (0..b.len())
        .filter(|&i| matches!(&b[i], Block::P(s) if s.len() >= 2))
        .collect();
    if paras.is_empty() {
        return;
    }
    let i = *rng.pick(&paras);
    let tpl = *rng.pick(ACTIVITY);
    let fresh = fill(rng, tpl, t, v);
    if let Block::P(s) = &mut b[i] {
        if r < 92 {
            let j = rng.below(s.len());
            s[j] = fresh;
        } else if s.len() < 5 {
            s.push(fresh);
        } else {
            s.pop();
        }
    }
}

/// A rewrite: 35–55 % of the sentences replaced, sometimes a paragraph added or cut.
fn big_edit(rng: &mut Rng, b: &mut Vec<Block>, t: &Topic, v: &Voice) {
    let mut slots = sentence_slots(b);
    rng.shuffle(&mut slots);
    let k = ((slots.len() * rng.range(35, 55)).div_ceil(100)).max(2);
    for &(i, j) in slots.iter().take(k) {
        let pool = match (&b[i], b.get(i + 1)) {
            (Block::L(_), _) => LIST_ITEMS,
            (_, Some(Block::L(_))) => LIST_LEADS,
            _ => ACTIVITY,
        };
        let (Block::P(s) | Block::L(s)) = &b[i] else {
            continue;
        };
        let old = s[j].clone();
        let mut fresh = old.clone();
        for _ in 0..4 {
            let tpl = *rng.pick(pool);
            fresh = fill(rng, tpl, t, v);
            if fresh != old {
                break;
            }
        }
        if let Block::P(s) | Block::L(s) = &mut b[i] {
            s[j] = fresh;
        }
    }
    if rng.chance(0.35) {
        let spots: Vec<usize> = (1..=b.len())
            .filter(|&i| !matches!(b.get(i), Some(Block::L(_))))
            .collect();
        let at = *rng.pick(&spots);
        let n = rng.range(2, 3);
        b.insert(at, Block::P(sentences(rng, ACTIVITY, n, t, v)));
    }
    let paras: Vec<usize> = (1..b.len())
        .filter(|&i| matches!(b[i], Block::P(_)) && !matches!(b[i - 1], Block::H(_)))
        .filter(|&i| !matches!(b.get(i + 1), Some(Block::L(_))))
        .collect();
    if paras.len() >= 4 && rng.chance(0.2) {
        let i = *rng.pick(&paras);
        b.remove(i);
    }
}

/// One issuer's running text per unit (keyed by its members).
struct Lineage {
    text: Vec<Block>,
    heading: String,
    last: usize,
}

/// The text and heading of unit `rep` in this issuer's plan of year `y`, carried
/// from earlier plans where there are any.
fn unit_text(
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
    inds: &[Ind],
    rep: usize,
    y: usize,
    v: &Voice,
    long: bool,
) -> (String, Vec<Block>) {
    let ms = members(inds, rep, y);
    let t = &TOPICS[inds[rep].topic];
    if let Some(l) = lines.get_mut(&ms) {
        if l.last + 1 == y {
            if rng.chance(0.25) {
                big_edit(rng, &mut l.text, t, v);
                if ms.len() == 1 && rng.chance(0.3) {
                    l.heading = heading_variant(rng, &inds[rep]);
                }
            } else {
                small_edit(rng, &mut l.text, t, v);
            }
        } else if rng.chance(0.5) {
            big_edit(rng, &mut l.text, t, v);
        } else {
            small_edit(rng, &mut l.text, t, v);
        }
        l.last = y;
        return (l.heading.clone(), l.text.clone());
    }
    let text = if ms.len() == 2 {
        // A merge: the two texts joined, each shortened; or a new text.
        let parts: Vec<Vec<Block>> = ms
            .iter()
            .filter_map(|&m| lines.get(&vec![m]).map(|l| l.text.clone()))
            .collect();
        if parts.is_empty() {
            new_text(rng, t, v, long)
        } else {
            let mut joined = Vec::new();
            for p in parts {
                let keep = (p.len() * 2).div_ceil(3).max(1);
                let mut p: Vec<Block> = p.into_iter().take(keep).collect();
                if matches!(p.last(), Some(Block::H(_))) {
                    p.pop();
                }
                joined.extend(p);
            }
            joined
        }
    } else {
        new_text(rng, t, v, long)
    };
    let heading = if ms.len() == 2 {
        unit_title(inds, rep, y).to_string()
    } else {
        heading_variant(rng, &inds[rep])
    };
    lines.insert(
        ms,
        Lineage {
            text: text.clone(),
            heading: heading.clone(),
            last: y,
        },
    );
    (heading, text)
}

/// The title a plan prints for a (single) indsatsområde: usually the canonical one.
fn heading_variant(rng: &mut Rng, ind: &Ind) -> String {
    let plain: Vec<&String> = ind
        .aliases
        .iter()
        .filter(|a| ind.merged_title.as_ref() != Some(*a))
        .collect();
    if plain.is_empty() || rng.chance(0.6) {
        ind.title.clone()
    } else {
        rng.pick(&plain).to_string()
    }
}

fn push_blocks(out: &mut String, blocks: &[Block], level: usize, y: i64) {
    for b in blocks {
        match b {
            Block::P(s) => {
                let mut first = true;
                for x in s {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    out.push_str(&years_in(x, y));
                }
                out.push_str("\n\n");
            }
            Block::L(items) => {
                for x in items {
                    out.push_str("- ");
                    out.push_str(&years_in(x, y));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::H(h) => {
                out.push_str(&"#".repeat(level + 1));
                out.push(' ');
                out.push_str(h);
                out.push_str("\n\n");
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// People, meetings, styles
// ---------------------------------------------------------------------------------

fn person(rng: &mut Rng) -> String {
    let f = rng.pick(FIRST_NAMES);
    let l = rng.pick(LAST_NAMES);
    if rng.chance(0.15) {
        let m = rng.pick(LAST_NAMES);
        format!("{f} {m} {l}")
    } else {
        format!("{f} {l}")
    }
}

/// The holder of an office in `term`: re-elected (the previous term's holder) or new.
fn office_holder(seed: u64, tag: u64, who: usize, term: i64, stay: f64) -> String {
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
fn mayor(seed: u64, m: usize, year: i64) -> String {
    office_holder(seed, TAG_MAYOR, m, (year - 2006).div_euclid(4), 0.55)
}

fn director(seed: u64, k: usize, year: i64) -> String {
    office_holder(seed, TAG_DIRECTOR, k, (year - 2000).div_euclid(5), 0.4)
}

/// How a district's or kommune's documents look; kept from year to year.
struct Style {
    /// 0: "4.1.", 1: "04.1", 2: "4.1"
    numbering: u8,
    caps: bool,
    parts: bool,
    local_priorities: bool,
    statistics: bool,
    annex: bool,
    fora: bool,
    kreds_list: bool,
    approved: bool,
    chapter_kind: usize,
}

fn style(seed: u64, ix: usize) -> Style {
    let mut r = Rng::keyed(seed, &[TAG_STYLE, ix as u64]);
    Style {
        numbering: r.below(3) as u8,
        caps: r.chance(0.4),
        parts: r.chance(0.5),
        local_priorities: r.chance(0.6),
        statistics: r.chance(0.4),
        annex: r.chance(0.6),
        fora: r.chance(0.8),
        kreds_list: r.chance(0.7),
        approved: r.chance(0.6),
        chapter_kind: r.below(4),
    }
}

impl Style {
    /// Section number for `parts` (chapter, section, …).
    fn num(&self, parts: &[usize]) -> String {
        let joined = |v: &[usize]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(".")
        };
        match self.numbering {
            0 => format!("{}.", joined(parts)),
            1 => {
                let mut s = format!("{:02}", parts[0]);
                for p in &parts[1..] {
                    let _ = write!(s, ".{p}");
                }
                s
            }
            _ if parts.len() == 1 => format!("{}.", parts[0]),
            _ => joined(parts),
        }
    }
    fn chapter(&self, s: &str) -> String {
        if self.caps {
            s.to_uppercase()
        } else {
            s.to_string()
        }
    }
}

/// A lokalråd's members for a four-year term: (role, organisation).
fn lokalraad(seed: u64, m: usize, term: i64, pol: &str, full: &str) -> Vec<(String, String)> {
    const POLICE: &[&str] = &[
        "Politikommissær, Nærpoliti og Forebyggelse",
        "Politikommissær, Lokal Efterforskning",
        "Forebyggelseskoordinator",
        "Lokalbetjent",
        "Politiassistent, Patruljetjenesten",
    ];
    const KOMMUNE: &[&str] = &[
        "Direktør for Børn og Unge",
        "Formand for Børne- og Ungeudvalget",
        "Socialchef",
        "Skolechef",
        "SSP-konsulent",
        "Leder af Ungdomsskolen",
        "Teknik- og Miljøchef",
        "Chef for Sundhed og Omsorg",
        "Familiechef",
        "Beskæftigelseschef",
    ];
    let mut r = Rng::keyed(seed, &[TAG_MEMBERS, m as u64, term as u64]);
    let mut v = vec![(
        "Formand og vicepolitiinspektør".to_string(),
        pol.to_string(),
    )];
    let mut p: Vec<&str> = POLICE.to_vec();
    r.shuffle(&mut p);
    for role in p.iter().take(r.range(1, 3)) {
        v.push((role.to_string(), pol.to_string()));
    }
    let mut k: Vec<&str> = KOMMUNE.to_vec();
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
fn meetings(seed: u64, m: usize, year: i64, town: &str) -> Vec<(u8, u8, &'static str, String)> {
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
            let time = *r.pick(&["09.00–11.00", "10.00–12.00", "13.00–15.00"]);
            let place = match r.below(3) {
                0 => format!("Rådhuset i {town}"),
                _ => format!("Politistationen i {town}"),
            };
            (mo, day, time, place)
        })
        .collect()
}

/// Konfliktråd held in a district in `year`.
fn konfliktraad(seed: u64, k: usize, year: i64) -> u64 {
    20 + Rng::keyed(seed, &[TAG_STATS, k as u64, year as u64]).below(45) as u64
}

// ---------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------

/// Everything shared by the writers of one corpus.
struct World<'a> {
    seed: u64,
    first: i64,
    ny: usize,
    l: &'a Layout,
    inds: &'a [Ind],
    /// [issuer][year] → units.
    plans: &'a [Vec<Vec<usize>>],
}

impl World<'_> {
    fn year(&self, y: usize) -> i64 {
        self.first + y as i64
    }
}

/// The corpus as (path relative to the site root, text), in a fixed order, and its
/// figures (`bytes` counts these files only). Pure: nothing is written.
pub fn corpus_files(opts: &CorpusOptions) -> (Vec<(String, String)>, CorpusStats) {
    let ny = opts.years.clamp(1, MAX_YEARS) as usize;
    let first = LAST_YEAR - ny as i64 + 1;
    let scale = if opts.scale.is_finite() && opts.scale > 0.0 {
        opts.scale.min(MAX_SCALE)
    } else {
        1.0
    };
    let l = layout(scale);
    let n_ind = ((NATIONAL_INDSATSER * scale).round() as usize).max(8);
    let inds = registry(opts.seed, n_ind, ny, &l.kredse);
    let plans = select(opts.seed, &l, &inds, ny);
    let w = World {
        seed: opts.seed,
        first,
        ny,
        l: &l,
        inds: &inds,
        plans: &plans,
    };

    let mut files: Vec<(String, String)> = Vec::new();
    files.push(("planspor.toml".into(), config_file(opts)));
    files.push(("content/_index.md".into(), front_page(&w, opts)));
    for ind in &inds {
        files.push((
            format!("content/indsatsomraader/{}.md", ind.id),
            registry_file(ind),
        ));
    }
    let who = issuers(&l);
    let per_issuer: Vec<Vec<(String, String)>> = who
        .par_iter()
        .enumerate()
        .map(|(ix, &wh)| issuer_files(&w, ix, wh))
        .collect();
    for v in per_issuer {
        files.extend(v);
    }
    let stats = CorpusStats {
        kredse: l.kredse.len(),
        kommuner: l.kommuner.len(),
        plans: who.len() * ny,
        indsatser: inds.len(),
        bytes: files.iter().map(|(_, t)| t.len() as u64).sum(),
    };
    (files, stats)
}

fn config_file(opts: &CorpusOptions) -> String {
    format!(
        "# Written by `planspor gen-corpus --seed {} --years {} --scale {}`: a synthetic\n\
         # corpus for benchmarks and scale tests. The districts and kommuner are real; the\n\
         # plans, people and texts are not.\n\
         title = \"Syntetisk landskorpus\"\n\
         description = \"Syntetiske samarbejdsplaner og handleplaner til ydelses- og skalatest af planspor.\"\n\
         base_url = \"https://korpus.planspor.test/\"\n\
         language = \"da\"\n\
         theme = \"standard\"\n\
         publisher = \"Syntetisk testkorpus\"\n\
         \n\
         [accessibility]\n\
         contact_email = \"tilgaengelighed@korpus.planspor.test\"\n\
         statement_date = \"23. november 2026\"\n\
         known_issues = []\n",
        opts.seed, opts.years, opts.scale
    )
}

fn front_page(w: &World, opts: &CorpusOptions) -> String {
    let last = w.year(w.ny - 1);
    format!(
        "+++\ntitle = \"Syntetisk landskorpus\"\n\
         description = {}\n+++\n\n\
         Dette er et **syntetisk** korpus til ydelses- og skalatest af planspor. Politikredsene og \
         kommunerne er de rigtige, men planerne, personerne og teksterne er genereret (seed {}) ud fra \
         ordforråd og opbygning i rigtige samarbejdsplaner og handleplaner. Det er ikke rigtige planer.\n\n\
         Korpusset har {} politikredse og {} kommuner med en samarbejdsplan og en handleplan om året fra \
         {} til {last} og {} indsatsområder, som kommer til, videreføres, ændres, lægges sammen, udgår og \
         genoptages.\n",
        q(&format!(
            "Syntetiske samarbejdsplaner og handleplaner for {} politikredse og {} kommuner, {}–{last}.",
            w.l.kredse.len(),
            w.l.kommuner.len(),
            w.first
        )),
        opts.seed,
        w.l.kredse.len(),
        w.l.kommuner.len(),
        w.first,
        w.inds.len()
    )
}

fn registry_file(ind: &Ind) -> String {
    let t = &TOPICS[ind.topic];
    let mut s = String::with_capacity(512);
    s.push_str("+++\n");
    let _ = writeln!(s, "title = {}", q(&ind.title));
    if !ind.aliases.is_empty() {
        s.push_str("aliases = [\n");
        for a in &ind.aliases {
            let _ = writeln!(s, "  {},", q(a));
        }
        s.push_str("]\n");
    }
    let _ = writeln!(s, "theme = {}", q(t.theme));
    s.push_str("+++\n\n");
    s.push_str(t.about);
    s.push('\n');
    s
}

fn issuer_files(w: &World, ix: usize, who: Who) -> Vec<(String, String)> {
    let mut files = Vec::with_capacity(w.ny + 1);
    let mut rng = Rng::keyed(w.seed, &[TAG_TEXT, ix as u64]);
    let mut lines: BTreeMap<Vec<usize>, Lineage> = BTreeMap::new();
    let st = style(w.seed, ix);
    match who {
        Who::Kreds(k) => {
            let kr = &w.l.kredse[k];
            let dir = format!("content/kredse/{}", kr.slug);
            files.push((format!("{dir}/_index.md"), kreds_index(w, k)));
            let v = Voice {
                pol: &kr.name,
                lok: "kommunerne".into(),
                omr: "politikredsen",
                by: &kr.short,
            };
            for y in 0..w.ny {
                let text = samarbejdsplan(w, k, ix, y, &st, &v, &mut rng, &mut lines);
                files.push((format!("{dir}/samarbejdsplan-{}.md", w.year(y)), text));
            }
        }
        Who::Kommune(m) => {
            let ko = &w.l.kommuner[m];
            let kr = &w.l.kredse[ko.kreds];
            let dir = format!("content/kredse/{}/kommuner/{}", kr.slug, ko.slug);
            files.push((
                format!("{dir}/_index.md"),
                format!(
                    "+++\nname = {}\nfull_name = {}\n+++\n\nLokalrådet i {} samarbejder med {} om \
                     kriminalitetsforebyggelse og tryghed og udgiver hvert år en handleplan.\n",
                    q(&ko.name),
                    q(&ko.full),
                    ko.full,
                    kr.name
                ),
            ));
            let v = Voice {
                pol: &kr.name,
                lok: ko.full.clone(),
                omr: "kommunen",
                by: &ko.name,
            };
            for y in 0..w.ny {
                let text = handleplan(w, m, ix, y, &st, &v, &mut rng, &mut lines);
                files.push((format!("{dir}/handleplan-{}.md", w.year(y)), text));
            }
        }
    }
    files
}

fn kreds_index(w: &World, k: usize) -> String {
    let kr = &w.l.kredse[k];
    let names: Vec<String> = kr
        .kommuner
        .iter()
        .map(|&m| w.l.kommuner[m].name.clone())
        .collect();
    let mut s = format!(
        "+++\nname = {}\nshort_name = {}\ncouncil = {}\n",
        q(&kr.name),
        q(&kr.short),
        q(&kr.council)
    );
    if let Some(site) = &kr.website {
        let _ = writeln!(s, "website = {}", q(site));
    }
    s.push_str("+++\n\n");
    if names.len() == 1 {
        let _ = writeln!(
            s,
            "{} dækker {}. Kredsrådet består af politidirektøren og borgmesteren og udgiver hvert år \
             en samarbejdsplan.",
            kr.name, w.l.kommuner[kr.kommuner[0]].full
        );
    } else {
        let _ = writeln!(
            s,
            "{} dækker {} kommuner: {}. Kredsrådet består af politidirektøren og borgmestrene i \
             kredsens kommuner og udgiver hvert år en samarbejdsplan.",
            kr.name,
            names.len(),
            and_list(&names)
        );
    }
    s
}

/// The plan's indsatsområder, as sections of `level` numbered under `chapter`.
#[allow(clippy::too_many_arguments)]
fn indsats_sections(
    w: &World,
    out: &mut String,
    ix: usize,
    y: usize,
    chapter: usize,
    st: &Style,
    v: &Voice,
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
    long: bool,
) -> Vec<String> {
    let year = w.year(y);
    let units = &w.plans[ix][y];
    let mut rendered: Vec<(String, Vec<usize>, Vec<Block>)> = Vec::new();
    for &u in units {
        let (h, text) = unit_text(rng, lines, w.inds, u, y, v, long);
        rendered.push((h, members(w.inds, u, y), text));
    }
    let headings: Vec<String> = rendered.iter().map(|r| r.0.clone()).collect();
    if !headings.is_empty() {
        out.push_str(match st.chapter_kind % 2 {
            0 => "Der er tale om følgende indsatsområder:\n\n",
            _ => "Indsatsområderne er:\n\n",
        });
        for h in &headings {
            let _ = writeln!(out, "- {h}");
        }
        out.push('\n');
    }
    for (i, (h, ms, text)) in rendered.iter().enumerate() {
        let ids: Vec<&str> = ms.iter().map(|&m| w.inds[m].id.as_str()).collect();
        let _ = write!(
            out,
            "### {} {h} {{indsats={}}}\n\n",
            st.num(&[chapter, i + 1]),
            ids.join(",")
        );
        push_blocks(out, text, 3, year);
    }
    headings
}

#[allow(clippy::too_many_arguments)]
fn samarbejdsplan(
    w: &World,
    k: usize,
    ix: usize,
    y: usize,
    st: &Style,
    v: &Voice,
    rng: &mut Rng,
    lines: &mut BTreeMap<Vec<usize>, Lineage>,
) -> String {
    let kr = &w.l.kredse[k];
    let year = w.year(y);
    let n_komm = kr.kommuner.len();
    let mut s = String::with_capacity(36 * 1024);
    let approved_day = rng.range(1, 20);

    // The body first (it decides the headings the summary names).
    let mut body = String::with_capacity(32 * 1024);
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
        "Kredsrådet har hjemmel i retsplejelovens §§ 110-113 og er forum for det overordnede samarbejde \
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
    let trend = *rng.pick(&[
        "ligget på niveau med de foregående år",
        "været svagt faldende",
        "været let stigende, særligt inden for digital kriminalitet",
        "været stabil, men med udsving mellem kommunerne",
    ]);
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

    // Local priorities, from the kommuner's own plans of the year.
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
            st.num(&[4, headings.len() + 1])
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

    // Front matter.
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
    s.push_str("\n[source]\n");
    let _ = writeln!(
        s,
        "title = {}",
        q(&format!(
            "SAMARBEJDSPLAN {year} – {}",
            kr.council.to_uppercase()
        ))
    );
    let _ = writeln!(s, "publisher = {}", q(&kr.council));
    s.push_str("format = \"PDF\"\n");
    let _ = writeln!(s, "printed_titles = [\"SAMARBEJDSPLAN {year}\"]");
    let _ = writeln!(
        s,
        "note = {}",
        q(&format!(
            "Syntetisk plan fra planspor gen-corpus (seed {}); ikke en rigtig plan.",
            w.seed
        ))
    );
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
    for (m, items) in &local {
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
    s.push_str("+++\n\n");
    s.push_str(&body);
    s
}

#[allow(clippy::too_many_arguments)]
fn handleplan(
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
    let term = (year - 2006).div_euclid(4);
    let raad = lokalraad(w.seed, m, term, &kr.name, &ko.full);
    let meets = meetings(w.seed, m, year, &ko.name);
    let mut body = String::with_capacity(16 * 1024);

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
    for (role, org) in &raad {
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
    for (mo, day, time, place) in &meets {
        let _ = writeln!(
            body,
            "- {day}. {} kl. {time}, {place}",
            MONTHS[*mo as usize - 1]
        );
    }
    body.push('\n');
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

    let mut s = String::with_capacity(body.len() + 3 * 1024);
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
    s.push_str("\n[source]\n");
    let _ = writeln!(
        s,
        "title = {}",
        q(&format!("HANDLEPLAN {year} – Lokalrådet i {}", ko.full))
    );
    let _ = writeln!(s, "publisher = {}", q(&format!("Lokalrådet i {}", ko.full)));
    s.push_str("format = \"PDF\"\n");
    let _ = writeln!(s, "printed_titles = [\"HANDLEPLAN {year}\"]");
    let _ = writeln!(
        s,
        "note = {}",
        q(&format!(
            "Syntetisk plan fra planspor gen-corpus (seed {}); ikke en rigtig plan.",
            w.seed
        ))
    );
    for (role, org) in &raad {
        let _ = write!(
            s,
            "\n[[members]]\nrole = {}\norganisation = {}\n",
            q(role),
            q(org)
        );
    }
    for (mo, day, time, place) in &meets {
        let _ = write!(
            s,
            "\n[[meetings]]\ndate = {year}-{mo:02}-{day:02}\ntime = {}\nplace = {}\n",
            q(time),
            q(place)
        );
    }
    s.push_str("+++\n\n");
    s.push_str(&body);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slug::is_slug;

    #[test]
    fn splitmix64_reference_values() {
        // The reference sequence for seed 1234567 (Vigna's splitmix64.c).
        let mut r = Rng::new(1234567);
        let got: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(
            got,
            [
                6457827717110365317,
                3203168211198807973,
                9817491932198370423,
                4593380528125082431,
                16408922859458223821
            ]
        );
    }

    #[test]
    fn rng_ranges_and_streams() {
        let mut r = Rng::new(7);
        let mut seen = [0usize; 6];
        for _ in 0..6000 {
            let x = r.range(2, 7);
            assert!((2..=7).contains(&x));
            seen[x - 2] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
        for _ in 0..1000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.weighted(&[0.0, 0.0]), None);
        assert_eq!(r.weighted(&[0.0, 2.0, 0.0]), Some(1));
        // Keyed streams are reproducible and differ by key and by seed.
        let a: Vec<u64> = (0..3).map(|_| Rng::keyed(1, &[2, 3]).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::keyed(1, &[2, 3]).next_u64(),
            Rng::keyed(1, &[3, 2]).next_u64()
        );
        assert_ne!(
            Rng::keyed(1, &[2]).next_u64(),
            Rng::keyed(2, &[2]).next_u64()
        );
    }

    #[test]
    fn the_national_table() {
        assert_eq!(KREDSE.len(), 12);
        let names: Vec<&str> = KREDSE
            .iter()
            .flat_map(|k| k.kommuner.iter().copied())
            .collect();
        assert_eq!(names.len(), 98);
        let unique: HashSet<&str> = names.iter().copied().collect();
        assert_eq!(unique.len(), 98, "a kommune in two districts");
        assert!(!unique.contains("Christiansø"));
        let slugs: HashSet<String> = names.iter().map(|n| slugify(n)).collect();
        assert_eq!(slugs.len(), 98);
        assert!(slugs.iter().all(|s| is_slug(s)), "{slugs:?}");
        assert!(slugs.contains("hjoerring") && slugs.contains("ringkoebing-skjern"));
        let kslugs: HashSet<String> = KREDSE.iter().map(|k| slugify(k.short)).collect();
        assert_eq!(kslugs.len(), 12);
        for s in ["nordjylland", "oestjylland", "midt-og-vestjylland"] {
            assert!(kslugs.contains(s), "{s}");
        }
    }

    #[test]
    fn layout_scales() {
        let full = layout(1.0);
        assert_eq!((full.kredse.len(), full.kommuner.len()), (12, 98));
        let half = layout(0.5);
        assert_eq!((half.kredse.len(), half.kommuner.len()), (6, 49));
        let double = layout(2.0);
        assert_eq!((double.kredse.len(), double.kommuner.len()), (24, 196));
        let slugs: HashSet<&str> = double.kommuner.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(slugs.len(), 196);
        assert!(slugs.contains("aalborg-2"));
        assert!(double.kommuner.iter().any(|k| k.name == "Aalborg II"));
        let kslugs: HashSet<&str> = double.kredse.iter().map(|k| k.slug.as_str()).collect();
        assert_eq!(kslugs.len(), 24);
        let tiny = layout(0.01);
        assert_eq!((tiny.kredse.len(), tiny.kommuner.len()), (1, 1));
        for l in [&full, &half, &double, &tiny] {
            for (ki, k) in l.kredse.iter().enumerate() {
                assert!(!k.kommuner.is_empty());
                assert!(k.kommuner.iter().all(|&m| l.kommuner[m].kreds == ki));
            }
        }
    }

    #[test]
    fn registry_titles_are_distinct() {
        let l = layout(1.0);
        let inds = registry(3, 150, 20, &l.kredse);
        assert_eq!(inds.len(), 150);
        let ids: HashSet<&str> = inds.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids.len(), 150);
        assert!(ids.iter().all(|i| is_slug(i)));
        let mut all = HashSet::new();
        for i in &inds {
            for t in std::iter::once(&i.title).chain(&i.aliases) {
                assert!(all.insert(normalize_title(t)), "{t} twice");
            }
            assert!(i.active.iter().any(|&a| a), "{} never active", i.id);
        }
        for h in FIXED_HEADINGS.iter().chain(SUBHEADS) {
            assert!(!all.contains(&normalize_title(h)), "{h}");
        }
        assert!(inds.iter().filter(|i| i.merge.is_some()).count() >= 2);
    }

    #[test]
    fn small_edits_stay_small() {
        let t = &TOPICS[0];
        let v = Voice {
            pol: "Nordjyllands Politi",
            lok: "Hjørring Kommune".into(),
            omr: "kommunen",
            by: "Hjørring",
        };
        let words = |b: &[Block]| {
            let mut s = String::new();
            push_blocks(&mut s, b, 3, 2026);
            s
        };
        let mut rng = Rng::new(5);
        for _ in 0..200 {
            let mut b = new_text(&mut rng, t, &v, false);
            let before = words(&b);
            small_edit(&mut rng, &mut b, t, &v);
            let d = crate::model::evolution::word_diff(&before, &words(&b));
            assert!(d.changed_share() <= 0.10, "{}", d.changed_share());
            big_edit(&mut rng, &mut b, t, &v);
            let d = crate::model::evolution::word_diff(&before, &words(&b));
            assert!(d.changed_share() > 0.10, "{}", d.changed_share());
        }
    }
}
