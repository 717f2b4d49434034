//! What to say when a plan's years and its file name disagree.
//!
//! The rule (docs/content-format.md): a plan covers the years of its file name, and
//! `years` lists every one of them, first to last (`handleplan-2025-2027.md` has
//! `years = [2025, 2026, 2027]`).

/// `[2025, 2026]` → "2025 and 2026"; `[2025, 2026, 2027]` → "2025, 2026 and 2027".
fn list(years: &[i64]) -> String {
    let s: Vec<String> = years.iter().map(i64::to_string).collect();
    match s.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "no year".into(),
    }
}

fn toml_list(years: &[i64]) -> String {
    let s: Vec<String> = years.iter().map(i64::to_string).collect();
    format!("[{}]", s.join(", "))
}

/// The message and fix for front-matter years (`front`, sorted, deduplicated) that are
/// not the file name's (`file`, a contiguous range). `single`: written as `year = …`.
pub fn mismatch(front: &[i64], file: &[i64], single: bool) -> (String, String) {
    let write = if file.len() == 1 {
        format!("year = {}", file[0])
    } else {
        format!("years = {}", toml_list(file))
    };
    if front.is_empty() {
        return (
            "`years` is empty: a plan covers at least one year".into(),
            format!("write `{write}`, the years of the file name"),
        );
    }
    let missing: Vec<i64> = file
        .iter()
        .copied()
        .filter(|y| !front.contains(y))
        .collect();
    let extra = front.iter().any(|y| !file.contains(y));
    if !single && !extra && !missing.is_empty() {
        return (
            format!(
                "`years` must list every year the plan covers: {} {} missing",
                list(&missing),
                if missing.len() == 1 { "is" } else { "are" }
            ),
            format!("write `{write}`"),
        );
    }
    (
        format!(
            "the front matter says {} but the file name says {}",
            list(front),
            list(file)
        ),
        format!("write `{write}`, or rename the file to the plan's years"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages() {
        let (m, h) = mismatch(&[2025, 2027], &[2025, 2026, 2027], false);
        assert_eq!(
            m,
            "`years` must list every year the plan covers: 2026 is missing"
        );
        assert_eq!(h, "write `years = [2025, 2026, 2027]`");
        let (m, _) = mismatch(&[], &[2025], false);
        assert!(m.contains("empty"), "{m}");
        let (m, h) = mismatch(&[2024], &[2025], true);
        assert_eq!(m, "the front matter says 2024 but the file name says 2025");
        assert!(h.starts_with("write `year = 2025`"), "{h}");
    }
}
