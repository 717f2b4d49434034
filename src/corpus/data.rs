//! The corpus's vocabulary: the national table of districts and kommuner, the topics,
//! the sentence templates and names, kept as TOML in `data/` so that the generator's
//! code reads as the generator. Compiled in with `include_str!` and parsed on first use.
//!
//! Every list is drawn from by index, so its order and contents are part of every
//! corpus: editing a file changes the bytes that `gen-corpus` writes for all seeds.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A police district as the national table lists it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KredsRow {
    pub(super) name: String,
    pub(super) short: String,
    /// Where the kredsråd signs its plan.
    pub(super) seat: String,
    pub(super) kommuner: Vec<String>,
}

/// A subject of indsatsområder: what the plans write about, with its own words
/// (the fields are described in `data/topics.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Topic {
    /// Read as a key of `[themes]`, then replaced by the theme's name.
    pub(super) theme: String,
    pub(super) np: String,
    pub(super) problem: bool,
    pub(super) titles: Vec<String>,
    pub(super) kw: Vec<String>,
    pub(super) groups: Vec<String>,
    pub(super) about: String,
}

/// Sentence templates and the words that fill their slots.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Phrases {
    pub(super) actors: Vec<String>,
    pub(super) methods: Vec<String>,
    pub(super) goal_verbs_problem: Vec<String>,
    pub(super) goal_verbs_good: Vec<String>,
    pub(super) intro_problem: Vec<String>,
    pub(super) intro_goal: Vec<String>,
    pub(super) activity: Vec<String>,
    pub(super) goals: Vec<String>,
    pub(super) closing: Vec<String>,
    pub(super) list_leads: Vec<String>,
    pub(super) list_items: Vec<String>,
    pub(super) trends: Vec<String>,
    pub(super) tweaks: Vec<(String, String)>,
}

/// Headings inside plans and the frames of registry titles.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Headings {
    pub(super) subheads: Vec<String>,
    pub(super) fixed_headings: Vec<String>,
    pub(super) frames_problem: Vec<String>,
    pub(super) frames_goal: Vec<String>,
    pub(super) qualifiers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct People {
    pub(super) first_names: Vec<String>,
    pub(super) last_names: Vec<String>,
    pub(super) police_roles: Vec<String>,
    pub(super) kommune_roles: Vec<String>,
    pub(super) meeting_times: Vec<String>,
}

pub(super) static KREDSE: LazyLock<Vec<KredsRow>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        kreds: Vec<KredsRow>,
    }
    parse::<File>("kredse.toml", include_str!("data/kredse.toml")).kreds
});

pub(super) static TOPICS: LazyLock<Vec<Topic>> = LazyLock::new(|| {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        themes: BTreeMap<String, String>,
        topic: Vec<Topic>,
    }
    let mut f = parse::<File>("topics.toml", include_str!("data/topics.toml"));
    for t in &mut f.topic {
        // A key rather than the name, so that a typo cannot make a new theme.
        match f.themes.get(&t.theme) {
            Some(name) => t.theme = name.clone(),
            None => panic!("data/topics.toml: unknown theme `{}` for {}", t.theme, t.np),
        }
    }
    f.topic
});

pub(super) static PHRASES: LazyLock<Phrases> =
    LazyLock::new(|| parse("phrases.toml", include_str!("data/phrases.toml")));

pub(super) static HEADINGS: LazyLock<Headings> =
    LazyLock::new(|| parse("headings.toml", include_str!("data/headings.toml")));

pub(super) static PEOPLE: LazyLock<People> =
    LazyLock::new(|| parse("people.toml", include_str!("data/people.toml")));

/// The files are compiled in, so a parse error is a bug caught by the tests below.
fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> T {
    toml::from_str(text).unwrap_or_else(|e| panic!("src/corpus/data/{name}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_parses_and_has_content() {
        assert_eq!(KREDSE.len(), 12);
        assert!(TOPICS.len() >= 40);
        let themes: std::collections::BTreeSet<&str> =
            TOPICS.iter().map(|t| t.theme.as_str()).collect();
        assert_eq!(themes.len(), 11, "{themes:?}");
        assert!(PHRASES.activity.len() > 10 && !PHRASES.tweaks.is_empty());
        assert!(HEADINGS.qualifiers.iter().all(|q| q.starts_with(' ')));
        assert!(PEOPLE.first_names.len() > 20 && PEOPLE.last_names.len() > 20);
    }
}
