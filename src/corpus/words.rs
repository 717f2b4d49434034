//! Small helpers for Danish text and TOML strings.

pub(super) fn number_word(n: usize) -> String {
    const W: [&str; 16] = [
        "nul", "en", "to", "tre", "fire", "fem", "seks", "syv", "otte", "ni", "ti", "elleve",
        "tolv", "tretten", "fjorten", "femten",
    ];
    W.get(n).map_or_else(|| n.to_string(), |w| w.to_string())
}

pub(super) fn cap_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub(super) fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms and names ("KSP", "Bo Trygt") as they are.
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_string(),
    }
}

/// "a, b og c".
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

/// A TOML basic string.
pub(super) fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            _ => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Replaces the year tokens a stored sentence carries: `{Y}` the plan's year, `{Y1}`
/// the year before.
pub(super) fn years_in(s: &str, y: i64) -> String {
    if !s.contains('{') {
        return s.to_string();
    }
    s.replace("{Y1}", &(y - 1).to_string())
        .replace("{Y}", &y.to_string())
}
