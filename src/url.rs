//! Address spelling shared by the stages that write or read links: percent-encoding
//! (the dev server's redirects, the configured base URL) and `..` resolution (the link
//! check, a plan's relative links shown on another page).

use std::path::Path;

/// Appends `s` with every byte escaped (`%XX`, UTF-8) except ASCII letters, digits
/// and `keep`.
pub fn percent_encode_into(out: &mut String, s: &str, keep: &[u8]) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// A path's normal segments joined by `/`, `..` taking one off (never above the root)
/// and `.`, the root and empty segments dropped.
pub fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
            _ => {}
        }
    }
    parts.join("/")
}
