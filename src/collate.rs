//! Danish alphabetical order, for lists a reader scans by title: æ, ø and å come after
//! z (in that order), case and accents on other letters are ignored.
//!
//! ```
//! use planspor::collate::danish_cmp;
//! let mut v = vec!["Ørsted", "Aalborg", "Zealand", "Ærø", "Åbenrå", "ensomhed", "Egedal"];
//! v.sort_by(|a, b| danish_cmp(a, b));
//! assert_eq!(v, ["Aalborg", "Egedal", "ensomhed", "Zealand", "Ærø", "Ørsted", "Åbenrå"]);
//! ```

use std::cmp::Ordering;

/// A sort key: each letter mapped to its place in the Danish alphabet.
pub fn danish_key(s: &str) -> Vec<u32> {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'æ' | 'ä' => 'z' as u32 + 1,
            'ø' | 'ö' => 'z' as u32 + 2,
            'å' => 'z' as u32 + 3,
            'é' | 'è' | 'ê' | 'ë' => 'e' as u32,
            'á' | 'à' | 'â' => 'a' as u32,
            'ü' => 'y' as u32,
            'í' | 'ì' => 'i' as u32,
            'ó' | 'ò' | 'ô' => 'o' as u32,
            c => c as u32,
        })
        .collect()
}

/// Compares two titles in Danish order; ties broken by the exact text, so the order
/// is total and builds stay deterministic.
pub fn danish_cmp(a: &str, b: &str) -> Ordering {
    danish_key(a).cmp(&danish_key(b)).then_with(|| a.cmp(b))
}
