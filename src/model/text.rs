//! Text helpers the model needs: title normalisation for automatic binding, and the
//! Markdown text of a section with its sub-sections.

use super::{Plan, Section};

/// Normalises a heading or registry title for matching: numbering dropped ("3.1.",
/// "04.4", "1."), lower case, "overfor" = "over for", punctuation and runs of white
/// space folded to one space.
///
/// ```
/// use planspor::model::text::normalize_title;
/// assert_eq!(
///     normalize_title("04.4 Bedre samarbejde om indsatsen overfor sårbare borgere"),
///     normalize_title("Bedre samarbejde om indsatsen over for sårbare borgere:"),
/// );
/// ```
pub fn normalize_title(s: &str) -> String {
    // Written straight into one string: every section's heading goes through here on
    // every build, and a string per word was a fifth of the model stage.
    let mut out = String::with_capacity(s.len());
    let mut leading = true;
    for raw in s.split_whitespace() {
        if leading
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b')')
            && raw.bytes().any(|b| b.is_ascii_digit())
        {
            continue;
        }
        leading = false;
        // Where the word being written starts in `out`.
        let mut word: Option<usize> = None;
        let mut take = |c: char, out: &mut String| {
            if c.is_alphanumeric() {
                if word.is_none() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    word = Some(out.len());
                }
                out.push(c);
            } else if let Some(start) = word.take() {
                end_word(out, start);
            }
        };
        for c in raw.chars() {
            if c.is_ascii() {
                take(c.to_ascii_lowercase(), &mut out);
            } else {
                c.to_lowercase().for_each(|l| take(l, &mut out));
            }
        }
        if let Some(start) = word {
            end_word(&mut out, start);
        }
    }
    out
}

/// "overfor" as the two words it stands for, when it is the word `out` ends with from
/// `start`.
fn end_word(out: &mut String, start: usize) {
    if &out[start..] == "overfor" {
        out.truncate(start);
        out.push_str("over for");
    }
}

/// A heading without its leading numbering ("3.1.", "04.4", "2)"), as a reader would
/// quote it.
///
/// ```
/// use planspor::model::text::without_numbering;
/// assert_eq!(without_numbering("04.4 Bedre samarbejde"), "Bedre samarbejde");
/// assert_eq!(without_numbering("3.1. Indbrud"), "Indbrud");
/// assert_eq!(without_numbering("2025 i tal"), "2025 i tal");
/// assert_eq!(without_numbering("1.000 flere betjente"), "1.000 flere betjente");
/// ```
pub fn without_numbering(s: &str) -> &str {
    let mut rest = s.trim();
    loop {
        let (word, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        // "3.1." and "04.4" are numbering; "1.000" is a number (a thousands point).
        let thousands = word
            .split_once('.')
            .is_some_and(|(_, rest)| rest.len() == 3 && rest.chars().all(|c| c.is_ascii_digit()));
        let numbering = word.chars().any(|c| c.is_ascii_digit())
            && word
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ')')
            && (word.ends_with('.') || word.ends_with(')') || word.contains('.'))
            && !thousands;
        if !numbering || after.trim().is_empty() {
            return rest;
        }
        rest = after.trim_start();
    }
}

/// The Markdown of section `i` including its sub-sections (their headings rebuilt at
/// their levels, attributes dropped): the text of an indsatsområde in a plan.
/// Sub-sections bound to other indsatsområder are left out: under an umbrella they are
/// the texts of its parts, not of the umbrella.
pub fn section_markdown(plan: &Plan, i: usize) -> String {
    let mut out = String::new();
    let Some(first) = plan.sections.get(i) else {
        return out;
    };
    out.push_str(first.own_md.trim());
    let mut j = i + 1;
    while j < first.end {
        let s = &plan.sections[j];
        if !s.bindings.is_empty() && s.bindings != first.bindings {
            j = s.end.max(j + 1);
            continue;
        }
        j += 1;
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&"#".repeat(s.level as usize));
        out.push(' ');
        out.push_str(&s.title_md);
        let body = s.own_md.trim();
        if !body.is_empty() {
            out.push_str("\n\n");
            out.push_str(body);
        }
    }
    out
}

/// Plain words of Markdown for diffing: one paragraph per block, markup characters
/// and list markers dropped, white space folded.
pub fn diff_text(md: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, paras: &mut Vec<String>| {
        if !cur.is_empty() {
            paras.push(std::mem::take(cur));
        }
    };
    for line in md.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut cur, &mut paras);
            continue;
        }
        let heading = t.starts_with('#');
        let t = t.trim_start_matches('#').trim_start();
        let t = ["- ", "* ", "+ "]
            .iter()
            .find_map(|m| t.strip_prefix(m))
            .unwrap_or(t);
        if heading {
            flush(&mut cur, &mut paras);
        }
        for w in t.split_whitespace() {
            let w: String = w
                .chars()
                .filter(|c| !matches!(c, '*' | '_' | '`'))
                .collect();
            if w.is_empty() {
                continue;
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(&w);
        }
        if heading {
            flush(&mut cur, &mut paras);
        }
    }
    flush(&mut cur, &mut paras);
    paras.join("\n\n")
}

/// Index of the nearest ancestor (or the section itself) that binds an indsatsområde.
pub fn bound_ancestor(sections: &[Section], mut i: usize) -> Option<usize> {
    loop {
        if !sections[i].bindings.is_empty() {
            return Some(i);
        }
        i = sections[i].parent?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(
            normalize_title("3.1. Generelle  indsatsområder"),
            "generelle indsatsområder"
        );
        assert_eq!(normalize_title("Trygge byrum:"), "trygge byrum");
        assert_eq!(normalize_title("KIK – (Klar I Krise)"), "kik klar i krise");
        assert_eq!(normalize_title("2025 og 2026"), "og 2026");
        assert_eq!(
            normalize_title("Indsatsen OVERFOR Æbleby-unge (overfor)"),
            "indsatsen over for æbleby unge over for"
        );
    }

    #[test]
    fn diff_text_folds_markup() {
        assert_eq!(
            diff_text("Et *ord*\nmere.\n\n- punkt\n- to"),
            "Et ord mere.\n\npunkt to"
        );
    }
}
