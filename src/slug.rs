//! Danish slugs as politi.dk writes them: æ→ae, ø→oe, å→aa, everything else ASCII.

/// Turns a name into a URL slug: lower case, Danish transliteration, runs of anything
/// that is not a letter or digit become one `-`.
///
/// ```
/// assert_eq!(planspor::slug::slugify("Hjørring"), "hjoerring");
/// assert_eq!(planspor::slug::slugify("Midt- og Vestjylland"), "midt-og-vestjylland");
/// assert_eq!(planspor::slug::slugify("Ærø Kommune"), "aeroe-kommune");
/// ```
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    let mut take = |c: char| {
        let mapped: Option<&str> = match c {
            'æ' | 'ä' => Some("ae"),
            'ø' | 'ö' => Some("oe"),
            'å' => Some("aa"),
            'é' | 'è' | 'ê' => Some("e"),
            'ü' => Some("u"),
            _ => None,
        };
        if let Some(m) = mapped {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push_str(m);
        } else if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    };
    // ASCII is lowered without `to_lowercase`'s iterator: every heading of every plan
    // is slugified on every build.
    for c in s.chars() {
        if c.is_ascii() {
            take(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut take);
        }
    }
    out
}

/// Is `s` already a valid slug (what file and folder names under `content/` must be)?
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters() {
        assert_eq!(slugify("Østjylland"), "oestjylland");
        assert_eq!(slugify("Ringkøbing-Skjern"), "ringkoebing-skjern");
        assert_eq!(slugify("Lyngby-Taarbæk"), "lyngby-taarbaek");
        assert_eq!(slugify("  Samsø  "), "samsoe");
        assert_eq!(
            slugify("3.1. Generelle indsatsområder"),
            "3-1-generelle-indsatsomraader"
        );
    }

    #[test]
    fn slug_validity() {
        assert!(is_slug("hjoerring"));
        assert!(is_slug("midt-og-vestjylland"));
        assert!(!is_slug("Hjørring"));
        assert!(!is_slug("../x"));
        assert!(!is_slug(""));
        assert!(!is_slug("a--b"));
    }
}
