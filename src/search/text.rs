//! Words for the search index: plain text from Markdown, folding, stop words, stems.
//!
//! The pipeline is `stem(fold(word))`, the same in `search.js`: folding first makes
//! "Hjørring" and "hjoerring" the same word before the stemmer sees either, so both
//! spellings reach the same stem (stemming first would let the stemmer treat "ø" and
//! "oe" differently).

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// Folded words longer than this (bytes) are not indexed, here or in `search.js`'s
/// queries: a term's postings may get a file named by it, and a "word" of 250 letters in
/// someone's content made a name too long for the file system, failing the build after
/// `check` passed. Danish compounds in the plans stay under 40.
pub const LONGEST_WORD: usize = 64;

/// Snowball's Danish stop words, folded, and the question words it leaves out. Dropped
/// from the index and from queries: they are in nearly every section, so their postings
/// would be the largest shards and rank nothing; and every query word must match, so a
/// question ("hvem er med i lokalrådet", "hvornår mødes lokalrådet") found nothing while
/// its words without "hvem" and "hvornår" find the sections. Shipped in the manifest so
/// the browser drops the same words.
pub const STOP_WORDS: [&str; 101] = [
    "og", "i", "jeg", "det", "at", "en", "den", "til", "er", "som", "paa", "de", "med", "han",
    "af", "for", "ikke", "der", "var", "mig", "sig", "men", "et", "har", "om", "vi", "min",
    "havde", "ham", "hun", "nu", "over", "da", "fra", "du", "ud", "sin", "dem", "os", "op", "man",
    "hans", "hvor", "eller", "hvad", "skal", "selv", "her", "alle", "vil", "blev", "kunne", "ind",
    "naar", "vaere", "dog", "noget", "ville", "jo", "deres", "efter", "ned", "skulle", "denne",
    "end", "dette", "mit", "ogsaa", "under", "have", "dig", "anden", "hende", "mine", "alt",
    "meget", "sit", "sine", "vor", "mod", "disse", "hvis", "din", "nogle", "hos", "blive", "mange",
    "ad", "bliver", "hendes", "vaeret", "thi", "jer", "saadan", "hvem", "hvornaar", "hvordan",
    "hvorfor", "hvilke", "hvilken", "hvilket",
];

/// Lower case ASCII letters and digits: æ/ø/å as their slug transliterations (ae, oe,
/// aa), other accented letters without the accent; anything else is dropped.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    fold_into(word, &mut out);
    out
}

/// [`fold`], appending to `out` (no allocation per word when indexing).
pub fn fold_into(word: &str, out: &mut String) {
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
}

/// Words of a text: runs of letters and digits (the same split as `search.js`).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Words joined by hyphens ("puff-bars", "Trygt-indsatsen", "e-mail"), written as one:
/// indexed besides their parts, so that a search written without the hyphen
/// ("puffbars") finds them. Letters only: "2025-2026" is no word, and "børn- og unge"
/// joins nothing. (A query with the hyphen finds both parts, as `search.js` splits it.)
pub fn hyphenated(text: &str) -> Vec<String> {
    let part = |c: char| c.is_alphanumeric() || c == '-';
    let mut out = Vec::new();
    // Only the tokens around a hyphen are looked at: every text of the site passes here,
    // and most of it has none.
    let mut after = 0; // end of the last token taken
    for (i, _) in text.match_indices('-') {
        if i < after {
            continue;
        }
        let start = text[..i]
            .char_indices()
            .rev()
            .find(|&(_, c)| !part(c))
            .map_or(0, |(j, c)| j + c.len_utf8());
        let end = text[i..]
            .find(|c: char| !part(c))
            .map_or(text.len(), |j| i + j);
        after = end;
        let parts: Vec<&str> = text[start..end].split('-').collect();
        let words = parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(char::is_alphabetic));
        if words {
            out.push(parts.concat());
        }
    }
    out
}

/// Index terms as small numbers: word → term id, stems interned, so that a corpus of
/// millions of words allocates per distinct word, not per occurrence. Words are looked
/// up as written first: most occurrences repeat a word already seen, and so are neither
/// folded nor stemmed again (folding every occurrence was a tenth of a republish).
pub struct Vocabulary {
    stemmer: Stemmer,
    /// Each word as written → its term id (`None`: not indexed), and a name's own term
    /// ([`is_name`]) when it has one.
    written: FxHashMap<String, (Option<u32>, Option<u32>)>,
    /// Each folded word → its term id.
    words: FxHashMap<String, Option<u32>>,
    stems: FxHashMap<String, u32>,
    /// Stem of each term id.
    pub terms: Vec<String>,
    buf: String,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            stemmer: danish(),
            written: Default::default(),
            words: Default::default(),
            stems: Default::default(),
            terms: Vec::new(),
            buf: String::new(),
        }
    }
}

impl Vocabulary {
    /// The stems, by term id; the word tables are freed.
    pub fn into_terms(self) -> Vec<String> {
        self.terms
    }

    /// Calls `f` with the term id of every indexed word of `text`, in order: folded,
    /// stop words and one-letter words dropped, stemmed.
    pub fn each_term(&mut self, text: &str, mut f: impl FnMut(u32)) {
        let joined = hyphenated(text);
        for w in words(text).chain(joined.iter().map(String::as_str)) {
            let (id, name) = match self.written.get(w) {
                Some(&ids) => ids,
                None => {
                    let id = self.fold_and_intern(w);
                    let name = id.filter(|_| is_name(w)).and_then(|id| self.name_id(w, id));
                    self.written.insert(w.to_string(), (id, name));
                    (id, name)
                }
            };
            id.into_iter().chain(name).for_each(&mut f);
        }
    }

    /// A name's own term ([`is_name`]), besides its stem `stem`: its folded form, when
    /// stemming changed it ("aars" for "Aars", whose stem "aar" is that of "år"). Once
    /// per word as written: the answer is kept with its term id.
    fn name_id(&mut self, w: &str, stem: u32) -> Option<u32> {
        let folded = fold(w);
        (folded != self.terms[stem as usize]).then(|| self.stem_id(&folded))
    }

    /// The term id of a stem (also one the index counted in an earlier build, kept in
    /// the memo).
    pub fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.get(stem) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.stems.insert(stem.to_string(), id);
        self.terms.push(stem.to_string());
        id
    }

    /// The term id of a word not seen as written before.
    fn fold_and_intern(&mut self, w: &str) -> Option<u32> {
        self.buf.clear();
        fold_into(w, &mut self.buf);
        match self.words.get(self.buf.as_str()) {
            Some(&id) => id,
            None => self.intern(),
        }
    }

    /// The term id of the folded word in `buf` (None for a word not indexed).
    fn intern(&mut self) -> Option<u32> {
        let word = std::mem::take(&mut self.buf);
        let id = indexed(&word).then(|| {
            let stem = self.stemmer.stem(&word);
            self.stem_id(&stem)
        });
        self.words.insert(word, id);
        id
    }
}

/// Whether a folded word is indexed: two letters or more, not too long, no stop word.
fn indexed(folded: &str) -> bool {
    (2..=LONGEST_WORD).contains(&folded.len()) && !STOP_WORDS.contains(&folded)
}

/// A word written with "aa" at its start is a name (Aars, Aalborg, Aabybro): Danish
/// has written that sound "å" since 1948 but for names. It is indexed as folded too,
/// besides its stem: "Aars" stemmed is "aar", the stem of "år", and a search for the
/// town found 52 sections about years before the one about its police station.
/// (`search.js` looks a query word written so up by that term first, its stem counting
/// half.)
pub fn is_name(written: &str) -> bool {
    written
        .as_bytes()
        .get(..2)
        .is_some_and(|b| b.eq_ignore_ascii_case(b"aa"))
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
/// Runs of ordinary characters are copied whole: every page's text passes through here.
fn push_inline(out: &mut String, line: &str) {
    let mut run = 0; // start of the ordinary characters not yet copied
    let mut last_space = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let dropped = matches!(c, '*' | '_' | '`' | '[' | ']' | '\\');
        if !dropped && c != '|' && !c.is_whitespace() {
            continue;
        }
        if run < i {
            out.push_str(&line[run..i]);
            last_space = false;
        }
        run = i + c.len_utf8();
        if c == ']' && chars.peek().map(|&(_, d)| d) == Some('(') {
            // skip the link target up to its closing parenthesis
            run = line.len();
            for (j, d) in chars.by_ref() {
                if d == ')' {
                    run = j + 1;
                    break;
                }
            }
            continue;
        }
        if !dropped {
            // a table pipe or white space: one space
            if !last_space && !out.is_empty() {
                out.push(' ');
            }
            last_space = true;
        }
    }
    if run < line.len() {
        out.push_str(&line[run..]);
    }
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_words_are_joined_and_nothing_else() {
        assert_eq!(
            hyphenated("puff-bars og e-mail, Bo Trygt-indsatsen; børn- og unge 2025-2026 -x x-"),
            ["puffbars", "email", "Trygtindsatsen"]
        );
        assert_eq!(
            hyphenated("Æble-grød på for-år-et."),
            ["Æblegrød", "foråret"]
        );
        assert!(hyphenated("ingen bindestreg – kun tankestreg").is_empty());
    }

    /// The character-by-character version `push_inline` replaced, as the oracle.
    fn push_inline_by_char(out: &mut String, line: &str) {
        let mut chars = line.chars().peekable();
        let mut last_space = false;
        while let Some(c) = chars.next() {
            if c == ']' && chars.peek() == Some(&'(') {
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

    #[test]
    fn inline_runs_are_copied_as_the_characters_were() {
        let lines = [
            "Indbrud **samt** tryghed på _nettet_ (se [afsnit 2](#a-2) og [x](https://x.dk/a(b)",
            "| Kommune | 2024 |  Ærø\u{a0}\u{a0}|",
            "  * `kode` \\escaped ]( uden slut",
            "[link](",
            "ord]",
            "æ ø å — “citat” … ",
            "",
            "   ",
            "a|b|c",
        ];
        for prefix in ["", "forrige"] {
            for line in lines {
                let (mut a, mut b) = (prefix.to_string(), prefix.to_string());
                push_inline(&mut a, line);
                push_inline_by_char(&mut b, line);
                assert_eq!(a, b, "{line:?}");
            }
        }
    }

    #[test]
    fn a_word_written_with_aa_at_its_start_is_a_name() {
        assert!(is_name("Aars") && is_name("aalborg") && is_name("AAU"));
        assert!(!is_name("års") && !is_name("Haarby") && !is_name("a") && !is_name(""));
        let mut v = Vocabulary::default();
        let (mut aars, mut aar, mut aalborg) = (Vec::new(), Vec::new(), Vec::new());
        v.each_term("Aars", |t| aars.push(t));
        v.each_term("års år", |t| aar.push(t));
        v.each_term("Aalborg", |t| aalborg.push(t));
        // Its stem, as before, and the name.
        let terms: Vec<&str> = aars.iter().map(|&t| v.terms[t as usize].as_str()).collect();
        assert_eq!(terms, ["aar", "aars"]);
        assert_eq!(aar, [aars[0], aars[0]]);
        // A name its stem leaves as it is has one term.
        assert_eq!(aalborg.len(), 1);
    }

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
