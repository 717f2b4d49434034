//! How much a text changed as its reader counts it: the measure behind "videreført"
//! against "ændret".
//!
//! The diff shows *where* words changed, in order. A reader of the two plans asks
//! whether the text says the same, and to them these are no change: words in another
//! order ("Kredsrådet drøfter … udviklingen" → "Udviklingen … drøftes af Kredsrådet"),
//! another case or accent ("en"/"én"), punctuation, and a year that moved with the plan
//! ("i 2025 forventes" in the 2025 plan, "i 2026 forventes" in the 2026 plan).
//!
//! So within each paragraph (each block the diff paired across the years) the words it
//! deleted are matched against the words it inserted as a bag, after folding those
//! differences away. A paragraph's matches count only when they are most of what it
//! deleted or inserted (at least half of the smaller side): a sentence reworded keeps
//! its words, while a sentence replaced by another shares only small words ("i", "og",
//! "et"), and those are no reason to call a new measure the old one. Whole paragraphs
//! added or removed are changed words. Matching only ever adds to the diff's unchanged
//! words, so a text is never *more* changed to its reader than in the diff:
//! [`Diff::changed_share`] is an upper bound, and cheap.
//!
//! `themes/standard/static/compare.js` counts the same way (`readingShares`), so "compare
//! any two" gives consecutive plans the statuses their prerendered comparison shows.

use std::collections::HashMap;

use super::{BlockChange, Diff, Segment, SegmentKind};

/// Shares of words changed as a reader counts them (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// Share of the old and new words that changed (as [`Diff::changed_share`]).
    pub changed: f64,
    /// Share of the new words that were not in the old text (as [`Diff::added_share`]).
    pub added: f64,
}

/// The reader's shares of `diff`, whose new text is of a plan `year_shift` years after
/// the old one's (first years; 0 when they are of the same year).
pub fn reading(diff: &Diff, year_shift: i64) -> Reading {
    let mut sum = Paragraph::default();
    for (runs, paired) in paragraphs(diff) {
        sum.add(paragraph(runs, paired, year_shift));
    }
    sum.shares(diff)
}

/// The lowest shares [`reading`] could give: as if every word the paired paragraphs
/// deleted were found again among the words they inserted. Only counts words, so a
/// text rewritten past the 10 % rule (the common "ændret") is settled without folding
/// a word.
pub fn lowest(diff: &Diff) -> Reading {
    let mut sum = Paragraph::default();
    for (runs, paired) in paragraphs(diff) {
        let mut p = counts(runs);
        if paired {
            p.matched = p.deleted.min(p.inserted);
        }
        sum.add(p);
    }
    sum.shares(diff)
}

/// Words of a paragraph, or of a whole diff: unchanged, deleted, inserted, and deleted
/// words matched by an inserted one as the reader reads them.
#[derive(Default)]
struct Paragraph {
    equal: usize,
    deleted: usize,
    inserted: usize,
    matched: usize,
}

impl Paragraph {
    fn add(&mut self, p: Paragraph) {
        self.equal += p.equal;
        self.deleted += p.deleted;
        self.inserted += p.inserted;
        self.matched += p.matched;
    }

    /// The shares of the whole diff's counts. The diff may have counted its words as one
    /// text (paragraphs joined or split differently), finding fewer changes than its
    /// paragraphs show: its count stands.
    fn shares(&self, diff: &Diff) -> Reading {
        let changed = self.deleted + self.inserted - 2 * self.matched;
        let total = self.deleted + self.inserted + 2 * self.equal;
        Reading {
            changed: share(changed, total).min(diff.changed_share()),
            added: share(self.inserted - self.matched, self.inserted + self.equal)
                .min(diff.added_share()),
        }
    }
}

/// A paragraph's words by kind, none matched.
fn counts(runs: &[Segment]) -> Paragraph {
    let mut p = Paragraph::default();
    for s in runs {
        let n = s.text.split_whitespace().count();
        match s.kind {
            SegmentKind::Equal => p.equal += n,
            SegmentKind::Delete => p.deleted += n,
            SegmentKind::Insert => p.inserted += n,
        }
    }
    p
}

/// Counts one paragraph's runs; `paired`: a block the diff continued from the old text
/// (its deletions and insertions may be the same words), not one added or removed whole.
fn paragraph(runs: &[Segment], paired: bool, year_shift: i64) -> Paragraph {
    let mut p = counts(runs);
    if !paired {
        return p;
    }
    // Per folded word: (times deleted, times inserted).
    let mut bag: HashMap<String, (usize, usize)> = HashMap::new();
    for s in runs.iter().filter(|s| s.kind != SegmentKind::Equal) {
        for w in s.text.split_whitespace() {
            let c = bag.entry(fold(w)).or_default();
            if s.kind == SegmentKind::Delete {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        }
    }
    let mut matched = 0;
    for counts in bag.values_mut() {
        let m = counts.0.min(counts.1);
        matched += m;
        *counts = (counts.0 - m, counts.1 - m);
    }
    matched += rolled_years(&mut bag, year_shift);
    // Reworded, not replaced: most of the smaller side found again.
    if 2 * matched >= p.deleted.min(p.inserted) {
        p.matched = matched;
    }
    p
}

/// Pairs the years left over in the old text with the same years `shift` later left over
/// in the new one ("for 2025" → "for 2026" between the 2025 and 2026 plans), and takes
/// them out of `bag`; returns how many pairs.
fn rolled_years(bag: &mut HashMap<String, (usize, usize)>, shift: i64) -> usize {
    if shift == 0 {
        return 0;
    }
    let old_years: Vec<(i64, usize)> = (bag.iter())
        .filter(|(_, c)| c.0 > 0)
        .filter_map(|(w, c)| Some((year(w)?, c.0)))
        .collect();
    let mut matched = 0;
    for (y, left) in old_years {
        if let Some(c) = bag.get_mut(&(y + shift).to_string()) {
            let m = left.min(c.1);
            c.1 -= m;
            matched += m;
        }
    }
    matched
}

/// A plausible year in a plan ("2025"): four digits from 1900 to 2199.
fn year(w: &str) -> Option<i64> {
    let y: i64 =
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())).then(|| w.parse().ok())??;
    (1900..2200).contains(&y).then_some(y)
}

fn share(part: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        part as f64 / total as f64
    }
}

/// The diff's paragraphs, each with whether it was paired across the years: a word
/// diff is one; a block diff's blocks each, kept or moved ones paired.
fn paragraphs(diff: &Diff) -> impl Iterator<Item = (&[Segment], bool)> {
    let whole = (!diff.segments.is_empty()).then_some((diff.segments.as_slice(), true));
    whole.into_iter().chain(diff.blocks.iter().map(|b| {
        let paired = matches!(b.change, BlockChange::Kept | BlockChange::Moved);
        (b.segments.as_slice(), paired)
    }))
}

/// A word as a reader compares it: lower case, without the punctuation around it, and
/// with the accents Danish puts on vowels for stress ("én", "idé") dropped; æ, ø and å
/// are letters of their own and stay. A word of punctuation alone ("–") stays as it is.
pub fn fold(word: &str) -> String {
    let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric());
    let core = if trimmed.is_empty() { word } else { trimmed };
    // The whole word at once, as JavaScript's `toLowerCase` (a final Σ becomes ς).
    core.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ý' => 'y',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{block_diff, word_diff};
    use super::*;

    #[test]
    fn words_in_another_order_are_no_change() {
        let old = "Kredsrådet drøfter mindst en gang årligt udviklingen i ungdomskriminalitet.";
        let new = "Udviklingen i ungdomskriminalitet drøfter Kredsrådet mindst én gang årligt.";
        let d = word_diff(old, new);
        assert!(d.changed_share() > 0.2, "the diff marks the move");
        assert_eq!(reading(&d, 0).changed, 0.0);
        assert_eq!(lowest(&d).changed, 0.0);
    }

    #[test]
    fn a_year_that_moved_with_the_plan_is_no_change() {
        let old = "Drøftelsen sker på kredsrådsmødet i maj 2025, som i 2020.";
        let new = "Drøftelsen sker på kredsrådsmødet i maj 2026, som i 2020.";
        let d = word_diff(old, new);
        assert_eq!(reading(&d, 1).changed, 0.0);
        // Between plans of the same year, or a year that did not move with the plan, it is.
        assert!(reading(&d, 0).changed > 0.0);
        assert!(reading(&d, 2).changed > 0.0);
        // A year that stayed is no change either (a fixed date carried over).
        let d = word_diff(
            "Siden 2020 har vi samarbejdet.",
            "Siden 2020 har vi samarbejdet tæt.",
        );
        assert_eq!(reading(&d, 1).changed, 1.0 / 11.0);
    }

    #[test]
    fn new_words_still_count() {
        let old = "Politiet patruljerer i nattelivet";
        let new = "Politiet patruljerer i nattelivet og ved skolerne hver fredag";
        let d = word_diff(old, new);
        let r = reading(&d, 0);
        assert_eq!(r.changed, d.changed_share());
        assert_eq!(r.added, d.added_share());
        // The full stop that moved to the end of the sentence is no new word.
        let d = word_diff(&format!("{old}."), &format!("{new}."));
        assert_eq!(reading(&d, 0).added, 5.0 / 9.0);
        assert!(d.added_share() > 5.0 / 9.0);
        // A negation moved is words in another order: the reader's count cannot see it,
        // which is why the diff (shown beside every status) still marks it.
        let d = word_diff(
            "Vi vil ikke prioritere indbrud.",
            "Vi vil prioritere ikke indbrud.",
        );
        assert_eq!(reading(&d, 0).changed, 0.0);
    }

    /// A measure replaced by another shares small words with it ("i", "og", "et",
    /// "politiet"): no reason to call the new one the old one reworded.
    #[test]
    fn a_sentence_replaced_is_not_reworded() {
        let keep = "Lokalrådet følger indsatsen tæt og gør status på hvert møde i løbet af året.";
        let old = format!("{keep} Skolerne underviser i digital mobning, og politiet deltager i et forløb for eleverne.");
        let new = format!("{keep} Der indføres en visitationszone i bymidten, og politiet patruljerer i et område med mange knive.");
        let d = word_diff(&old, &new);
        let r = reading(&d, 1);
        assert_eq!(r.changed, d.changed_share());
        assert!(r.changed > 0.3);
        // Whole paragraphs added and removed are changed words, whatever they share.
        let d = block_diff(
            &format!("{keep}\n\nI 2025 vil politiet og skolerne mødes."),
            &format!("{keep}\n\nPolitiet og kommunen mødes i 2026 med foreningerne om nattelivet."),
        );
        assert_eq!(reading(&d, 1).changed, d.changed_share());
    }

    #[test]
    fn never_more_than_the_diff() {
        let old = "# Mål\n\nKredsrådet følger udviklingen i 2025.\n\n- Et punkt\n- Et andet punkt\n\nHelt ny tekst om noget andet end før.";
        let new = "# Mål\n\nUdviklingen følges af kredsrådet i 2026.\n\n- Et andet punkt\n- Et punkt\n\nEn tekst om trafik.";
        let d = block_diff(old, new);
        let r = reading(&d, 1);
        assert!(r.changed <= d.changed_share() && r.added <= d.added_share());
        let least = lowest(&d);
        assert!(least.changed <= r.changed && least.added <= r.added);
        assert!(r.changed > 0.0);
    }

    #[test]
    fn folding() {
        assert_eq!(fold("Én,"), "en");
        assert_eq!(fold("(idé)"), "ide");
        assert_eq!(fold("Ærø."), "ærø");
        assert_eq!(fold("bl.a."), "bl.a");
        assert_eq!(fold("–"), "–");
    }
}
