//! Text clean-up before structure is read: `<b>`/`<i>` tags, words hyphenated at line
//! ends, and the split into blocks (paragraphs, lists, heading lines).

/// A run of non-blank lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub lines: Vec<String>,
    /// 1-based line in the input, for the report.
    pub line: usize,
}

impl Block {
    /// The block as one line of text (lines joined with a space).
    pub fn joined(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
    pub fn is_list(&self) -> bool {
        self.lines.iter().all(|l| list_marker(l).is_some())
    }
}

/// What clean-up changed, for the report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CleanStats {
    pub tags_converted: usize,
    pub hyphenations_joined: usize,
    pub paragraphs_rejoined: usize,
}

/// `- `, `• `, `* ` or `1. ` at the start of a line: the marker's length.
pub fn list_marker(line: &str) -> Option<usize> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    for m in ["- ", "• ", "* ", "– "] {
        if t.starts_with(m) {
            return Some(lead + m.len());
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) && t[digits..].starts_with(". ") {
        return Some(lead + digits + 2);
    }
    None
}

/// `<b>x</b>` → `**x**`, `<i>x</i>` → `*x*`; other tags PDF converters leave (`<br>`,
/// `<u>`, `<span …>`) are dropped. Returns the count of tags changed.
pub fn convert_tags(line: &str) -> (String, usize) {
    let mut out = String::with_capacity(line.len());
    let mut n = 0;
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let Some(end) = after.find('>').filter(|&e| e <= 40) else {
            out.push('<');
            rest = &after[1..];
            continue;
        };
        if after[1..].starts_with(char::is_whitespace) {
            out.push('<'); // "a < b": a comparison, not a tag
            rest = &after[1..];
            continue;
        }
        let tag = after[1..end].trim().to_ascii_lowercase();
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        let replacement = match name {
            "b" | "strong" => "**",
            "i" | "em" => "*",
            "br" | "u" | "span" | "font" | "sup" | "sub" | "p" => "",
            _ => {
                out.push('<');
                rest = &after[1..];
                continue;
            }
        };
        out.push_str(replacement);
        n += 1;
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (tidy_emphasis(&out), n)
}

/// `<b>Titel </b>` gives `**Titel **`, which Markdown does not read as emphasis: move
/// the spaces outside the markers, and drop empty pairs.
fn tidy_emphasis(s: &str) -> String {
    let parts: Vec<&str> = s.split("**").collect();
    if parts.len().is_multiple_of(2) {
        return s.to_string(); // unbalanced: leave as written
    }
    let mut out = String::with_capacity(s.len());
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(p);
        } else if !p.trim().is_empty() {
            if p.starts_with(' ') {
                out.push(' ');
            }
            out.push_str("**");
            out.push_str(p.trim());
            out.push_str("**");
            if p.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push_str(p);
        }
    }
    out
}

/// Splits text into blocks at blank lines, joining words hyphenated across line ends.
pub fn blocks(text: &str, stats: &mut CleanStats) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.replace('\u{a0}', " ").replace('\u{ad}', "");
        if line.trim().is_empty() {
            out.extend(cur.take());
            continue;
        }
        let (line, n) = convert_tags(line.trim_end_matches(['\t']));
        stats.tags_converted += n;
        let b = cur.get_or_insert_with(|| Block {
            lines: Vec::new(),
            line: i + 1,
        });
        if let Some(prev) = b.lines.last_mut() {
            if let Some(joined) = join_hyphenated(prev, &line) {
                *prev = joined;
                stats.hyphenations_joined += 1;
                continue;
            }
        }
        b.lines.push(line);
    }
    out.extend(cur);
    out
}

/// `forebyg-` + `gelse er …` → `forebyggelse er …`; `Børne-` + `og …` keeps the hyphen
/// (a suspended compound), and so does a line that starts a new list item.
fn join_hyphenated(prev: &str, next: &str) -> Option<String> {
    let p = prev.trim_end();
    let stem = p.strip_suffix('-')?;
    let last = stem.chars().last()?;
    if !last.is_alphabetic() || list_marker(next).is_some() {
        return None;
    }
    let n = next.trim_start();
    let first_word: String = n.chars().take_while(|c| c.is_alphanumeric()).collect();
    let first = first_word.chars().next()?;
    if !first.is_lowercase() || matches!(first_word.as_str(), "og" | "eller" | "samt" | "til") {
        return None;
    }
    Some(format!("{stem}{n}"))
}

/// Joins paragraphs a page break split: one that ends without closing punctuation, or
/// in a word hyphenated at the line end, followed by one that starts in lower case.
pub fn rejoin_paragraphs(blocks: Vec<Block>, stats: &mut CleanStats) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        if let Some(prev) = out.last_mut() {
            if let Some(hyphens) = continue_paragraph(prev, &b) {
                stats.paragraphs_rejoined += 1;
                stats.hyphenations_joined += hyphens;
                continue;
            }
            // A list the page break cut in two is one list.
            if prev.is_list() && b.is_list() && bulleted(prev) && bulleted(&b) {
                prev.lines.extend(b.lines);
                continue;
            }
        }
        out.push(b);
    }
    out
}

/// Appends `b` to `prev` when it goes on with `prev`'s last sentence; `Some(1)` when
/// that joined a hyphenated word, `Some(0)` for a plain join, `None` when it does not.
fn continue_paragraph(prev: &mut Block, b: &Block) -> Option<usize> {
    if is_heading_line(&prev.lines[0]) {
        return None;
    }
    let last = prev.lines.last()?.clone();
    let first = b.lines.first()?.trim_start();
    // A hyphenated word is cut whatever the block is, list item or paragraph.
    let (joined, hyphens) = if let Some(j) = join_hyphenated(&last, first) {
        (j, 1)
    } else {
        let ends_open = last
            .trim_end()
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == ',');
        // Past an opening quote: '"bestil en betjent". Her …' goes on a sentence too.
        let starts_lower = first
            .chars()
            .find(|c| !"\"“„'‘(".contains(*c))
            .is_some_and(char::is_lowercase);
        if !(ends_open && starts_lower) || prev.is_list() {
            return None;
        }
        (format!("{last} {first}"), 0)
    };
    if let Some(l) = prev.lines.last_mut() {
        *l = joined;
    }
    prev.lines.extend(b.lines[1..].iter().cloned());
    Some(hyphens)
}

/// A list of bullets, not numbers: "2. KAPITEL" after a bullet list is no list item.
fn bulleted(b: &Block) -> bool {
    b.lines
        .iter()
        .all(|l| !l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
}

fn is_heading_line(l: &str) -> bool {
    l.trim_start().starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(
            convert_tags("<b>1. INDLEDNING .....</b>\t<b>3</b>").0,
            "**1. INDLEDNING .....**\t**3**"
        );
        assert_eq!(convert_tags("1.1. <i>Særlige</i> x").0, "1.1. *Særlige* x");
        assert_eq!(convert_tags("a < b og c > d").0, "a < b og c > d");
        assert_eq!(convert_tags("<b>Titel </b>").0, "**Titel** ");
    }

    #[test]
    fn hyphenation() {
        let mut s = CleanStats::default();
        let b = blocks(
            "kriminalitets-\nforebyggelse og Børne-\nog Familie\n\n- a-\n- b\n",
            &mut s,
        );
        assert_eq!(
            b[0].lines,
            vec!["kriminalitetsforebyggelse og Børne-", "og Familie"]
        );
        assert_eq!(b[1].lines.len(), 2);
        assert_eq!(s.hyphenations_joined, 1);
    }

    #[test]
    fn page_break_paragraphs() {
        let mut s = CleanStats::default();
        let b = rejoin_paragraphs(
            blocks("På baggrund af\n\nigangsættes noget.\n\nNy.\n", &mut s),
            &mut s,
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].joined(), "På baggrund af igangsættes noget.");
        let b = rejoin_paragraphs(
            blocks(
                "via politiets løsning\n\n\"bestil en betjent\". Her …\n",
                &mut s,
            ),
            &mut s,
        );
        assert_eq!(b.len(), 1);
        let b = rejoin_paragraphs(
            blocks(
                "en opsøgende indsats, hvor især min-\n\ndre børn og unge.\n",
                &mut s,
            ),
            &mut s,
        );
        assert_eq!(
            b[0].joined(),
            "en opsøgende indsats, hvor især mindre børn og unge."
        );
        let b = rejoin_paragraphs(blocks("Børne-\n\nog Familieafdelingen\n", &mut s), &mut s);
        assert_eq!(b.len(), 2, "a suspended compound is no cut word");
    }
}
