//! Binding headings to the registry: by title or alias after the model's normalisation,
//! a "X samt Y" heading to both when each part is registered, and for a heading that
//! binds nothing the closest registry entries.

use std::collections::BTreeMap;

use crate::model::text::normalize_title;

/// One registry entry as the importer needs it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
}

/// The registry, indexed by normalised title and alias.
pub struct Registry {
    pub entries: Vec<Entry>,
    by_title: BTreeMap<String, String>,
    /// Normalised names an entry goes by in running text: its titles and aliases, and
    /// the quoted name inside one (`Projekt "Det Gode Naboskab"` → det gode naboskab).
    by_name: BTreeMap<String, String>,
}

/// A close registry entry for an unbound heading.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    /// 0 to 1: how close the best of its titles is.
    pub score: f64,
}

impl Registry {
    pub fn new(entries: Vec<Entry>) -> Registry {
        let mut by_title = BTreeMap::new();
        let mut by_name = BTreeMap::new();
        for e in &entries {
            for t in std::iter::once(&e.title).chain(&e.aliases) {
                by_title
                    .entry(normalize_title(t))
                    .or_insert_with(|| e.id.clone());
                for n in std::iter::once(t.as_str()).chain(quoted(t)) {
                    let n = normalize_title(n);
                    if !n.is_empty() {
                        by_name.entry(n).or_insert_with(|| e.id.clone());
                    }
                }
            }
        }
        Registry {
            entries,
            by_title,
            by_name,
        }
    }

    /// The entries a text names in quotes (`“Det Gode Naboskab” er …`), in order, each
    /// once, with the name as quoted.
    pub fn quoted_names(&self, text: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for q in quoted(text) {
            if let Some(id) = self.by_name.get(&normalize_title(q)) {
                if !out.iter().any(|(i, _)| i == id) {
                    out.push((id.clone(), q.trim().to_string()));
                }
            }
        }
        out
    }

    /// The ids a heading title binds: its own match, or every part of a "samt" merge.
    pub fn bind(&self, title: &str) -> Vec<String> {
        let n = normalize_title(title);
        if n.is_empty() {
            return Vec::new();
        }
        if let Some(id) = self.by_title.get(&n) {
            return vec![id.clone()];
        }
        let parts: Vec<&str> = n.split(" samt ").collect();
        if parts.len() > 1 {
            let ids: Option<Vec<String>> = parts
                .iter()
                .map(|p| self.by_title.get(*p).cloned())
                .collect();
            if let Some(mut ids) = ids {
                ids.dedup();
                return ids;
            }
        }
        Vec::new()
    }

    /// The three entries whose title or an alias is closest to `title`.
    pub fn closest(&self, title: &str, n: usize) -> Vec<Suggestion> {
        let t = normalize_title(title);
        let mut scored: Vec<Suggestion> = self
            .entries
            .iter()
            .map(|e| {
                let score = std::iter::once(&e.title)
                    .chain(&e.aliases)
                    .map(|a| similarity(&t, &normalize_title(a)))
                    .fold(0.0, f64::max);
                Suggestion {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    score: (score * 100.0).round() / 100.0,
                }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        scored.truncate(n);
        scored
    }
}

/// The quoted spans of a text: what stands between a pair of quotation marks.
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split(['"', '“', '”', '„', '«', '»'])
        .skip(1)
        .step_by(2)
        .filter(|q| !q.trim().is_empty())
}

/// Closeness of two normalised titles: the better of character similarity and the share
/// of the shorter title's words found in the longer (titles grow words between years).
fn similarity(a: &str, b: &str) -> f64 {
    let chars = strsim::normalized_levenshtein(a, b);
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let long_words: Vec<&str> = long.split(' ').collect();
    let words: Vec<&str> = short.split(' ').filter(|w| w.len() > 3).collect();
    let shared = if words.is_empty() {
        0.0
    } else {
        words.iter().filter(|w| long_words.contains(w)).count() as f64 / words.len() as f64
    };
    chars.max(shared * 0.9)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Registry {
        Registry::new(vec![
            Entry {
                id: "indbrud".into(),
                title: "Indbrud".into(),
                aliases: vec![],
            },
            Entry {
                id: "tryghed-paa-nettet".into(),
                title: "Tryghed og sikkerhed på nettet".into(),
                aliases: vec![],
            },
            Entry {
                id: "saarbare-borgere".into(),
                title: "Bedre samarbejde om indsatsen over for sårbare borgere".into(),
                aliases: vec![],
            },
        ])
    }

    #[test]
    fn binds_titles_and_merges() {
        let r = reg();
        assert_eq!(r.bind("04.9 Indbrud"), vec!["indbrud"]);
        assert_eq!(
            r.bind("Indbrud samt tryghed og sikkerhed på nettet"),
            vec!["indbrud", "tryghed-paa-nettet"]
        );
        assert_eq!(
            r.bind("Bedre samarbejde om indsatsen overfor sårbare borgere"),
            vec!["saarbare-borgere"]
        );
        assert!(r.bind("Indbrud samt noget andet").is_empty());
    }

    #[test]
    fn names_in_quotes() {
        let r = Registry::new(vec![Entry {
            id: "det-gode-naboskab".into(),
            title: "Projekt \"Det Gode Naboskab\"".into(),
            aliases: vec![],
        }]);
        let text = "“Det Gode Naboskab” er et centralt omdrejningspunkt. Det Gode Naboskab igen.";
        assert_eq!(
            r.quoted_names(text),
            vec![("det-gode-naboskab".into(), "Det Gode Naboskab".into())]
        );
        assert!(r
            .quoted_names("Det Gode Naboskab uden anførselstegn")
            .is_empty());
        assert!(r.quoted_names("Et “andet” projekt").is_empty());
    }

    #[test]
    fn suggests_closest() {
        let s = reg().closest("Bedre samarbejde om sårbare borgere i 2026", 3);
        assert_eq!(s[0].id, "saarbare-borgere");
        assert_eq!(s.len(), 3);
    }
}
