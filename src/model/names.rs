//! Kommune folders against kommune names, and references to kommuner by slug.
//!
//! A kommune's folder name is its address (`/kommuner/<slug>/`) and the name other
//! files use for it. A folder that is not the slug of the kommune's name (`aero/` for
//! Ærø) would otherwise be accepted and then taught to every correct reference as the
//! "fix", so it is checked here, at its `name`, once.

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::frontmatter::KommuneFront;
use crate::load::Doc;
use crate::slug::{is_slug, slugify};

/// The slug a kommune's folder should have: its name's.
pub fn expected_slug(name: &str) -> String {
    slugify(name)
}

/// Is `folder` an accepted slug for a kommune called `name` (`full_name`)? The name's
/// slug, the full name's with or without "Kommune"/"Regionskommune" (Bornholms
/// Regionskommune → `bornholm`, `bornholms-regionskommune`), and numbered copies
/// (`aalborg-2` for "Aalborg II", as generated corpora have) are.
pub fn folder_matches(folder: &str, name: &str, full_name: Option<&str>) -> bool {
    let mut candidates = vec![slugify(name)];
    if let Some(full) = full_name.map(slugify) {
        for suffix in ["-regionskommune", "-kommune"] {
            if let Some(stem) = full.strip_suffix(suffix) {
                candidates.push(stem.to_string());
                candidates.push(stem.trim_end_matches('s').to_string());
            }
        }
        candidates.push(full);
    }
    let base = strip_number(folder);
    candidates
        .iter()
        .any(|c| c == folder || (base != folder && strip_roman(c) != c && strip_roman(c) == base))
}

/// `aalborg-2` → `aalborg`.
fn strip_number(s: &str) -> &str {
    match s.rsplit_once('-') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => s,
    }
}

/// `aalborg-ii` → `aalborg`.
fn strip_roman(s: &str) -> &str {
    match s.rsplit_once('-') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b"ivxlcdm".contains(&b)) => stem,
        _ => s,
    }
}

/// The error for a kommune folder that is a slug but not its name's, located at the
/// name. Folders that are not slugs at all were reported by `load` already: one root
/// cause, one error.
pub fn check_kommune_folder(
    kreds: &str,
    folder: &str,
    doc: &Doc<KommuneFront>,
) -> Option<Diagnostic> {
    let f = &doc.front;
    if !is_slug(folder) || folder_matches(folder, &f.name, f.full_name.as_deref()) {
        return None;
    }
    let right = expected_slug(&f.name);
    let span = super::build::find_value_span(&doc.file.text, &doc.front_span, &f.name)
        .unwrap_or_else(|| super::build::front_key_span(&doc.file.text, &doc.front_span, "name"));
    Some(
        Diagnostic::error(
            &doc.file.path,
            format!(
                "the folder `{folder}` is not the slug of this kommune's name `{}`",
                f.name
            ),
        )
        .at(&doc.file.text, span)
        .with_help(format!(
            "rename content/kredse/{kreds}/kommuner/{folder} to `{right}` (æ→ae, ø→oe, å→aa); the folder name is the kommune's address and how other files refer to it"
        )),
    )
}

/// Does a reference `wanted` mean the kommune in `folder` called `name`? Its folder
/// slug does; so does its name's slug when the folder is wrong (that folder is already
/// an error, and the reference is the right one).
pub fn refers_to(wanted: &str, folder: &str, name: &str, full_name: &str) -> bool {
    wanted == folder || (!folder_is_right(folder, name, full_name) && wanted == expected_slug(name))
}

fn folder_is_right(folder: &str, name: &str, full_name: &str) -> bool {
    is_slug(folder) && folder_matches(folder, name, Some(full_name))
}

/// The fix for an unknown kommune reference: the slug of what was written when it is
/// one of `known` (`"ærø"` → `aeroe`), else the closest known slug.
pub fn suggest(wanted: &str, known: &[(&str, String)]) -> Option<String> {
    let slug = slugify(wanted);
    let correct: Vec<&str> = known.iter().map(|(_, c)| c.as_str()).collect();
    if slug != wanted && correct.contains(&slug.as_str()) {
        return Some(format!(
            "write the slug `{slug}` (lower case, æ→ae, ø→oe, å→aa)"
        ));
    }
    did_you_mean(&slug, correct.iter().copied()).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_names() {
        assert!(folder_matches("aeroe", "Ærø", Some("Ærø Kommune")));
        assert!(!folder_matches("aero", "Ærø", Some("Ærø Kommune")));
        assert!(folder_matches(
            "bornholm",
            "Bornholm",
            Some("Bornholms Regionskommune")
        ));
        assert!(folder_matches(
            "koebenhavn",
            "København",
            Some("Københavns Kommune")
        ));
        assert!(folder_matches("hoeje-taastrup", "Høje-Taastrup", None));
        assert!(folder_matches(
            "aalborg-2",
            "Aalborg II",
            Some("Aalborg Kommune II")
        ));
        assert!(!folder_matches("aalborg-2", "Aalborg", None));
    }

    #[test]
    fn references() {
        assert!(refers_to("aeroe", "aero", "Ærø", "Ærø Kommune"));
        assert!(refers_to("aeroe", "Ærø", "Ærø", "Ærø Kommune"));
        assert!(!refers_to("aero", "aeroe", "Ærø", "Ærø Kommune"));
        let known = [("aeroe", "aeroe".to_string())];
        assert_eq!(
            suggest("ærø", &known).as_deref(),
            Some("write the slug `aeroe` (lower case, æ→ae, ø→oe, å→aa)")
        );
        assert_eq!(
            suggest("aeroo", &known).as_deref(),
            Some("did you mean `aeroe`?")
        );
    }
}
