//! The 12 police districts and 98 kommuner, from the national data the binary carries,
//! with the official names and slugs the content contract expects.

use serde::Deserialize;

use crate::slug::slugify;

/// `shared/data/politikredse.toml`, copied into the repository so the binary needs no
/// files beside it.
const DATA: &str = include_str!("politikredse.toml");

/// A police district and its kommuner.
#[derive(Debug, Clone)]
pub struct Kreds {
    /// "Nordjyllands Politi"
    pub name: String,
    /// "Nordjylland"
    pub short_name: String,
    /// "nordjylland"
    pub slug: String,
    pub kommuner: Vec<Kommune>,
}

/// A kommune.
#[derive(Debug, Clone)]
pub struct Kommune {
    /// "Vesthimmerland"
    pub name: String,
    /// "Vesthimmerlands Kommune"
    pub full_name: String,
    /// "vesthimmerland"
    pub slug: String,
}

impl Kreds {
    /// "Kredsrådet i Nordjyllands Politikreds"
    pub fn council(&self) -> String {
        format!("Kredsrådet i {}kreds", self.name)
    }
    /// politi.dk names each district's pages after its full name.
    pub fn website(&self) -> String {
        format!("https://politi.dk/{}", slugify(&self.name))
    }
}

#[derive(Deserialize)]
struct Data {
    kreds: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    name: String,
    kommuner: Vec<String>,
}

/// Every district, in the data's order.
pub fn kredse() -> Vec<Kreds> {
    // The data is compiled in and tested below; a parse failure is a build defect.
    let data: Data = toml::from_str(DATA).expect("embedded politikredse.toml is valid");
    data.kreds
        .into_iter()
        .map(|row| {
            let short_name = short_name(&row.name);
            Kreds {
                slug: slugify(&short_name),
                short_name,
                kommuner: row.kommuner.iter().map(|k| kommune(k)).collect(),
                name: row.name,
            }
        })
        .collect()
}

/// The kreds a kommune slug belongs to, with the kommune.
pub fn find_kommune(slug: &str) -> Option<(Kreds, Kommune)> {
    kredse().into_iter().find_map(|k| {
        let m = k.kommuner.iter().find(|m| m.slug == slug)?.clone();
        Some((k, m))
    })
}

fn kommune(name: &str) -> Kommune {
    Kommune {
        full_name: official_name(name),
        slug: slugify(name),
        name: name.to_string(),
    }
}

/// Official names take the genitive for a few kommuner ("Københavns Kommune",
/// "Vesthimmerlands Kommune"), and Bornholm is a regionskommune.
pub(crate) fn official_name(name: &str) -> String {
    match name {
        "København" => "Københavns Kommune".into(),
        "Vesthimmerland" => "Vesthimmerlands Kommune".into(),
        "Bornholm" => "Bornholms Regionskommune".into(),
        _ => format!("{name} Kommune"),
    }
}

/// "Nordjyllands Politi" → "Nordjylland"; "Sydsjællands og Lolland-Falsters Politi" →
/// "Sydsjælland og Lolland-Falster"; "Københavns Vestegns Politi" → "Københavns
/// Vestegn": the genitive s goes from the last word and from a word before "og".
fn short_name(name: &str) -> String {
    let words: Vec<&str> = name
        .strip_suffix(" Politi")
        .unwrap_or(name)
        .split(' ')
        .collect();
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let before_og = words.get(i + 1) == Some(&"og");
            if i + 1 == n || before_og {
                w.strip_suffix('s').unwrap_or(w)
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_districts_98_kommuner() {
        let k = kredse();
        assert_eq!(k.len(), 12);
        assert_eq!(k.iter().map(|k| k.kommuner.len()).sum::<usize>(), 98);
        let slugs: Vec<&str> = k.iter().map(|k| k.slug.as_str()).collect();
        assert!(slugs.contains(&"nordjylland"));
        assert!(slugs.contains(&"oestjylland"));
        assert!(slugs.contains(&"midt-og-vestjylland"));
        assert!(slugs.contains(&"sydsjaelland-og-lolland-falster"));
        assert!(slugs.contains(&"koebenhavns-vestegn"));
        assert!(slugs.contains(&"koebenhavn"));
    }

    #[test]
    fn official_names() {
        let (k, m) = find_kommune("vesthimmerland").unwrap();
        assert_eq!(m.full_name, "Vesthimmerlands Kommune");
        assert_eq!(k.council(), "Kredsrådet i Nordjyllands Politikreds");
        assert_eq!(k.website(), "https://politi.dk/nordjyllands-politi");
        assert_eq!(
            find_kommune("bornholm").unwrap().1.full_name,
            "Bornholms Regionskommune"
        );
        assert_eq!(
            find_kommune("koebenhavn").unwrap().1.full_name,
            "Københavns Kommune"
        );
        assert_eq!(
            find_kommune("hjoerring").unwrap().1.full_name,
            "Hjørring Kommune"
        );
    }
}
