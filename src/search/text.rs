//! Words for the search index: plain text from Markdown, folding, stop words, stems.
//!
//! The pipeline is `stem(fold(word))`, the same in `search.js`: folding first makes
//! "Hjørring" and "hjoerring" the same word before the stemmer sees either, so both
//! spellings reach the same stem (stemming first would let the stemmer treat "ø" and
//! "oe" differently).

use rust_stemmers::{Algorithm, Stemmer};

/// Snowball's Danish stop words, folded. Dropped from the index and from queries: they
/// are in nearly every section, so their postings would be the largest shards and rank
/// nothing. Shipped in the manifest so the browser drops the same words.
pub const STOP_WORDS: [&str; 94] = [
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som", "paa", "de", "med", "han",
    "af", "for", "ikke", "der", "var", "mig", "sig", "men", "et", "har", "om", "vi", "min",
    "havde", "ham", "hun", "nu", "over", "da", "fra", "du", "ud", "sin", "dem", "os", "op", "man",
    "hans", "hvor", "eller", "hvad", "skal", "selv", "her", "alle", "vil", "blev", "kunne", "ind",
    "naar", "vaere", "dog", "noget", "ville", "jo", "deres", "efter", "ned", "skulle", "denne",
    "end", "dette", "mit", "ogsaa", "under", "have", "dig", "anden", "hende", "mine", "alt",
    "meget", "sit", "sine", "vor", "mod", "disse", "hvis", "din", "nogle", "hos", "blive", "mange",
    "ad", "bliver", "hendes", "vaeret", "thi", "jer", "saadan",
];

/// Lower case ASCII letters and digits: æ/ø/å as their slug transliterations (ae, oe,
/// aa), other accented letters without the accent; anything else is dropped.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ü' => out.push_str("ue"),
            'à' | 'á' | 'â' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' => out.push('o'),
            'ù' | 'ú' | 'û' => out.push('u'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            _ => {}
        }
    }
    out
}

/// Words of a text: runs of letters and digits (the same split as `search.js`).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The index terms of a text, in order: folded, stop words and one-letter words
/// dropped, stemmed. `cache` remembers stems: a corpus repeats a few thousand words.
pub fn terms(
    text: &str,
    stemmer: &Stemmer,
    cache: &mut std::collections::HashMap<String, String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        let f = fold(w);
        if f.len() < 2 || STOP_WORDS.contains(&f.as_str()) {
            continue;
        }
        if let Some(s) = cache.get(&f) {
            out.push(s.clone());
            continue;
        }
        let s = stemmer.stem(&f).into_owned();
        cache.insert(f, s.clone());
        out.push(s);
    }
    out
}

pub fn danish() -> Stemmer {
    Stemmer::create(Algorithm::Danish)
}

/// The stem of one folded word (what `search.js` must compute for the same word).
pub fn stem(folded: &str) -> String {
    danish().stem(folded).into_owned()
}

/// Plain text of Markdown for the index and its snippets: markup characters, link
/// targets, list and heading markers and table rules dropped, white space folded.
/// Not a Markdown parser: words are all the index needs, and the pages side already
/// parses every section once.
pub fn plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let t = line.trim();
        if t.is_empty() || t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
            continue;
        }
        let t = t.trim_start_matches(['#', '>']).trim_start();
        let t = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| t.strip_prefix(m))
            .unwrap_or(t);
        if !out.is_empty() {
            out.push(' ');
        }
        push_inline(&mut out, t);
    }
    out
}

/// One line of Markdown without emphasis marks, table pipes and `(url)` link targets.
fn push_inline(out: &mut String, line: &str) {
    let mut chars = line.chars().peekable();
    let mut last_space = false;
    while let Some(c) = chars.next() {
        if c == ']' && chars.peek() == Some(&'(') {
            // skip the link target up to its closing parenthesis
            for d in chars.by_ref() {
                if d == ')' {
                    break;
                }
            }
            continue;
        }
        let c = match c {
            '*' | '_' | '`' | '[' | ']' | '\\' => continue,
            '|' => ' ',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space && !out.is_empty() {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_danish_letters_both_ways() {
        assert_eq!(fold("Hjørring"), fold("hjoerring"));
        assert_eq!(fold("Århus"), "aarhus");
        assert_eq!(fold("Særligt"), "saerligt");
    }

    #[test]
    fn stems_inflections_together() {
        assert_eq!(stem(&fold("indbruddene")), stem("indbrud"));
        assert_eq!(stem(&fold("Trekanten")), stem("trekant"));
    }

    #[test]
    fn plain_drops_markup() {
        assert_eq!(
            plain("## Overskrift\n\n- **Fed** [link](https://x.dk) | a |\n|---|---|"),
            "Overskrift Fed link a"
        );
    }
}
