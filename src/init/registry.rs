//! The starter registry `init` writes: the indsatsområder that recur in the national
//! plans, with every title they have had, so imported plans bind from the first day.

use serde::Deserialize;
use std::fmt::Write as _;

use super::quote;

const DATA: &str = include_str!("indsatsomraader.toml");

/// One registry entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StarterIndsats {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub theme: Option<String>,
    /// What it is about in a citizen's words ("vold i hjemmet"): shown and searched.
    pub description: Option<String>,
    #[serde(default)]
    pub related: Vec<String>,
}

#[derive(Deserialize)]
struct Data {
    indsats: Vec<StarterIndsats>,
}

/// Every starter entry, by id.
pub fn starter_registry() -> Vec<StarterIndsats> {
    // Compiled in and tested below; a parse failure is a build defect.
    let data: Data = toml::from_str(DATA).expect("embedded indsatsomraader.toml is valid");
    data.indsats
}

impl StarterIndsats {
    /// The file `content/indsatsomraader/<id>.md`.
    pub fn to_markdown(&self) -> String {
        let mut s = format!("+++\ntitle = {}\n", quote(&self.title));
        if !self.aliases.is_empty() {
            s.push_str("aliases = [\n");
            for a in &self.aliases {
                let _ = writeln!(s, "  {},", quote(a));
            }
            s.push_str("]\n");
        }
        if let Some(t) = &self.theme {
            let _ = writeln!(s, "theme = {}", quote(t));
        }
        if let Some(d) = &self.description {
            let _ = writeln!(s, "description = {}", quote(d));
        }
        if !self.related.is_empty() {
            let ids: Vec<String> = self.related.iter().map(|r| quote(r)).collect();
            let _ = writeln!(s, "related = [{}]", ids.join(", "));
        }
        s.push_str("+++\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_entries_only() {
        let r = starter_registry();
        assert!(r.len() >= 25);
        assert!(r.iter().any(|i| i.id == "vold-i-naere-relationer"));
        assert!(!r.iter().any(|i| i.id.starts_with("hjoerring")));
        assert!(r.iter().all(|i| crate::slug::is_slug(&i.id)));
        // Every `related` id is a starter entry (a new site's check would fail).
        for i in &r {
            for o in &i.related {
                assert!(r.iter().any(|x| &x.id == o), "{} relates unknown {o}", i.id);
            }
        }
    }
}
