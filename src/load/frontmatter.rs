//! TOML front matter between `+++` lines, and the typed shapes each kind of file has.

use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};

/// Where the front matter and the body sit in a file.
#[derive(Debug, Clone)]
pub struct Split {
    /// Byte range of the TOML between the fences.
    pub front: Range<usize>,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// 1-based line of the body's first line.
    pub body_line: usize,
}

/// Finds the `+++` fences. The file must start with one.
pub fn split(file: &Path, src: &Arc<str>) -> Result<Split, Diagnostic> {
    let first_end = src.find('\n').unwrap_or(src.len());
    if src[..first_end].trim_end() != "+++" {
        let msg = if src.trim().is_empty() {
            "file is empty: expected TOML front matter between `+++` lines".to_string()
        } else if src[..first_end].trim_end() == "---" {
            "front matter must be TOML between `+++` lines, not YAML between `---`".to_string()
        } else {
            "missing front matter: the file must start with a `+++` line".to_string()
        };
        return Err(Diagnostic::error(file, msg)
            .at_line(src, 1)
            .with_help("start the file with `+++`, the TOML keys, then another `+++` line"));
    }
    let front_start = (first_end + 1).min(src.len());
    let mut pos = front_start;
    let mut line = 2;
    while pos < src.len() {
        let end = src[pos..].find('\n').map_or(src.len(), |i| pos + i);
        if src[pos..end].trim_end() == "+++" {
            return Ok(Split {
                front: front_start..pos,
                body_start: (end + 1).min(src.len()),
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(
        Diagnostic::error(file, "front matter is not closed: no second `+++` line")
            .at_line(src, 1)
            .with_help("end the TOML front matter with a line containing only `+++`"),
    )
}

/// Parses front matter into `T`, mapping TOML errors to located diagnostics with a
/// did-you-mean for unknown keys.
/// Every problem is reported, not only the first: what each is found at (an unknown
/// key, a value of the wrong type, a table missing a key) is taken out and the rest read
/// again, so a file with three mistakes is fixed in one round.
pub fn parse<T: for<'de> Deserialize<'de>>(
    file: &Path,
    src: &Arc<str>,
    split: &Split,
) -> Result<T, Diagnostics> {
    let text = &src[split.front.clone()];
    let located = |e: &toml::de::Error| toml_diagnostic(file, src, split.front.start, e);
    // The common case first: a file that reads is read once.
    let first = match toml::from_str::<T>(text) {
        Ok(front) => return Ok(front),
        Err(e) => e,
    };
    let Ok(mut table) = toml::de::DeTable::parse(text) else {
        return Err(located(&first).into());
    };
    let mut found = Diagnostics::new();
    // Keys taken out for a wrong value, by the table they were in (`None`: the top).
    let mut removed: Vec<(Option<Span>, String)> = Vec::new();
    // Bounded: each round removes one key or table.
    for _ in 0..64 {
        let e = match T::deserialize(toml::de::Deserializer::from(table.clone())) {
            Ok(front) if found.is_empty() => return Ok(front),
            Ok(_) => return Err(found),
            Err(e) => e,
        };
        // A required key taken out for its wrong value is not missing as well: its
        // table goes too, unreported, and reading goes on.
        let message = e.message().trim();
        let was_removed = removed.iter().any(|(table, k)| {
            // At the top, the error's span is the whole front matter's.
            (table.is_none() || *table == e.span())
                && message.starts_with(&format!("missing field `{k}`"))
        });
        let taken = e
            .span()
            .and_then(|span| remove_at(table.get_mut(), &span, None));
        if !was_removed {
            found.push(located(&e));
        }
        match taken {
            Some((parent, key)) if !key.is_empty() => removed.push((parent, key)),
            Some(_) => {}
            None => break,
        }
    }
    Err(found)
}

type Span = std::ops::Range<usize>;

/// Removes what an error was found at (the key, its value, or a table of an array of
/// tables) from `table` (itself at `here`, `None` at the top) or a table inside it, so
/// that reading again finds the next one. Returns the span of the table it was in and
/// the name of the key removed (empty for a table of an array).
fn remove_at(
    table: &mut toml::de::DeTable,
    span: &Span,
    here: Option<Span>,
) -> Option<(Option<Span>, String)> {
    // Entries' spans are disjoint, so one entry holds the error; within it, a table of an
    // array of tables comes first, since the array's span is its first table's.
    let mut key = None;
    for (k, v) in table.iter_mut() {
        let at = v.span();
        let found = match v.get_mut() {
            toml::de::DeValue::Array(items) => remove_from_array(items, span, &here),
            toml::de::DeValue::Table(t) if at != *span => remove_at(t, span, Some(at.clone())),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        if k.span() == *span || at == *span {
            key = Some(k.get_ref().to_string());
            break;
        }
    }
    let key = key?;
    table.remove(key.as_str()).map(|_| (here, key))
}

/// [`remove_at`] in an array: the item the error is at, or what is inside a table of it.
fn remove_from_array(
    items: &mut toml::de::DeArray,
    span: &Span,
    here: &Option<Span>,
) -> Option<(Option<Span>, String)> {
    if let Some(i) = items.iter().position(|item| item.span() == *span) {
        let all = std::mem::replace(items, toml::de::DeArray::new());
        *items = (all.into_iter().enumerate())
            .filter(|&(j, _)| j != i)
            .map(|(_, v)| v)
            .collect();
        return Some((here.clone(), String::new()));
    }
    items.iter_mut().find_map(|item| {
        let at = item.span();
        match item.get_mut() {
            toml::de::DeValue::Table(t) => remove_at(t, span, Some(at)),
            _ => None,
        }
    })
}

/// A located diagnostic for a TOML error at `offset` into `src`.
pub fn toml_diagnostic(
    file: impl AsRef<Path>,
    src: &Arc<str>,
    offset: usize,
    e: &toml::de::Error,
) -> Diagnostic {
    let message = e.message().trim().to_string();
    let mut d = Diagnostic::error(file.as_ref(), message.clone());
    if let Some(span) = e.span() {
        d = d.at(
            src,
            offset + span.start..offset + span.end.max(span.start + 1),
        );
    } else {
        d = d.at_line(src, 1);
    }
    // serde's wording: "unknown field `yaer`, expected one of `kind`, `year`, …"
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let names: Vec<&str> = rest.split('`').step_by(2).collect();
        if let Some((unknown, expected)) = names.split_first() {
            d.message = format!("unknown key `{unknown}`");
            if let Some(s) = did_you_mean(unknown, expected.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            } else if !expected.is_empty() {
                d = d.with_help(format!(
                    "known keys here: {}",
                    expected
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        d.message = format!("missing required key `{name}`");
    } else if message.starts_with("string values must be quoted") {
        // TOML's words; say what to write, with the value as written.
        let value = (e.span())
            .and_then(|sp| src.get(offset + sp.start..offset + sp.end))
            .map(|v| v.trim().replace('"', "\\\""))
            .unwrap_or_default();
        d.message = "text must be in quotes".to_string();
        d = d.with_help(format!("write it as \"{value}\""));
    } else if message.starts_with("invalid date") {
        let value = (e.span())
            .and_then(|sp| src.get(offset + sp.start..offset + sp.end))
            .unwrap_or_default();
        d = d.with_help(match day_month_year(value) {
            Some(iso) => format!("dates are written year-month-day: {iso}"),
            None => "dates are written year-month-day, e.g. 2024-12-19".to_string(),
        });
    } else if (message.starts_with("invalid basic string")
        || message.starts_with("invalid literal string"))
        && (message.ends_with("expected `\"`") || message.ends_with("expected `'`"))
    {
        // TOML's words for a quote never closed: say it as the writer sees it.
        d.message = "text in quotes without its closing quote".to_string();
        d = d.with_help("end the text with `\"` on the same line; text of several lines goes between `\"\"\"` and `\"\"\"`");
    } else if message.starts_with("invalid basic string")
        || message.starts_with("invalid literal string")
    {
        // A control character in quotes: Word's line break (Shift+Enter) pasted in.
        d.message = "a control character (such as a pasted line break) inside quotes".to_string();
        d = d.with_help(
            "delete it and type a space; text of several lines goes between `\"\"\"` and `\"\"\"`",
        );
    } else if message == "duplicate key" {
        if let Some(help) = duplicate_key(src, offset, e.span()) {
            d.message = help.0;
            d = d.with_help(help.1);
        }
    } else if message.starts_with("invalid type") {
        // serde speaks Rust ("expected i64"); publishers need TOML's words.
        d.message = plain_type_words(&message);
        if message.contains("expected a TOML datetime") {
            // `approved = "9. december 2026"`: a date written as text.
            let written = message.split('"').nth(1).unwrap_or_default();
            let iso = day_month_year(written).or_else(|| danish_date(written));
            d = d.with_help(match iso {
                Some(iso) => format!("write the date without quotes, year-month-day: {iso}"),
                None => {
                    "write the date without quotes, year-month-day, e.g. 2024-12-19".to_string()
                }
            });
        } else if message.contains("string") && message.contains("expected i64") {
            d = d.with_help("write the number without quotes, e.g. `year = 2025`");
        } else if message.contains("expected a sequence") {
            d = d.with_help("write a list in brackets, e.g. `[\"a\", \"b\"]`");
        }
    }
    d
}

/// A key given twice ("duplicate key" at the second): which key, and where the first is.
fn duplicate_key(src: &str, offset: usize, span: Option<Span>) -> Option<(String, String)> {
    let span = span?;
    let key = src.get(offset + span.start..offset + span.end)?.trim();
    let before = src.get(..offset + span.start)?;
    let first = before.lines().enumerate().filter(|(_, l)| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    });
    let line = first.last().map(|(i, _)| i + 1)?;
    Some((
        format!("`{key}` is given twice"),
        format!("keep one of them; the other is on line {line}"),
    ))
}

/// "9. december 2026" or "den 9. december 2026" (as a Danish plan prints a date) as
/// `2026-12-09`.
fn danish_date(v: &str) -> Option<String> {
    let v = v.trim().to_lowercase();
    let v = v.strip_prefix("den ").unwrap_or(&v);
    let mut words = v.split_whitespace();
    let d: u32 = words.next()?.trim_end_matches('.').parse().ok()?;
    let month = words.next()?;
    let m = crate::model::MONTHS.iter().position(|x| *x == month)? + 1;
    let y: u32 = words.next()?.parse().ok()?;
    let iso = format!("{y}-{m:02}-{d:02}");
    // A real day ("31. februar" is none), in the years a plan may have.
    let real = day_exists(y, m as u32, d);
    (words.next().is_none() && real && (1990..=2100).contains(&y)).then_some(iso)
}

/// Whether day `d` exists in month `m` of year `y`.
fn day_exists(y: u32, m: u32, d: u32) -> bool {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
}

/// `19-12-2024` or `19.12.2024` (as Danes write a date) as `2024-12-19`.
fn day_month_year(v: &str) -> Option<String> {
    let parts: Vec<&str> = v.trim().split(['-', '.', '/']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let (d, m, y): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m) && (1900..=2200).contains(&y))
        .then(|| format!("{y}-{m:02}-{d:02}"))
}

/// Rewrites serde's Rust type names in a message into TOML words.
fn plain_type_words(message: &str) -> String {
    let mut m = message.to_string();
    for (rust, toml) in [
        ("expected i64", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected a string", "expected text in quotes"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected a list"),
        (
            "expected a TOML datetime",
            "expected a date like 2025-12-19",
        ),
        ("integer `", "number `"),
    ] {
        m = m.replace(rust, toml);
    }
    m
}

/// `_index.md` at the content root.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontPageFront {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// `kredse/<kreds>/_index.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KredsFront {
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    #[serde(default)]
    pub council: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

/// `kredse/<kreds>/kommuner/<kommune>/_index.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KommuneFront {
    pub name: String,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}

/// `indsatsomraader/<id>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndsatsFront {
    pub title: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Ids of other indsatsområder a reader of this one should know of ("Se også"):
    /// the same work under another name in another district's plans.
    #[serde(default)]
    pub related: Vec<String>,
}

/// A plan: `samarbejdsplan-<year>.md` or `handleplan-<year>.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFront {
    pub kind: String,
    /// A plan being written (`planspor new plan` starts one so): validated by `check`,
    /// left out of the site by `build` and `serve` unless they are given `--drafts`.
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub year: Option<i64>,
    #[serde(default)]
    pub years: Option<Vec<i64>>,
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub approved: Option<toml::value::Datetime>,
    #[serde(default)]
    pub approved_place: Option<String>,
    #[serde(default)]
    pub source: Option<SourceInfo>,
    #[serde(default)]
    pub signatories: Vec<Signatory>,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub meetings: Vec<MeetingFront>,
    #[serde(default)]
    pub local_priorities: Vec<LocalPriority>,
    #[serde(default)]
    pub statistics: Vec<Statistic>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct SourceInfo {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub format: Option<String>,
    #[serde(default)]
    pub printed_titles: Vec<String>,
    /// A note for readers about the source (shown on the plan page).
    pub note: Option<String>,
    /// The editors' notes on how the document was converted: kept with the content for
    /// the next editor, never published.
    #[serde(skip_serializing)]
    pub editor_note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub role: String,
    pub name: Option<String>,
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingFront {
    pub date: toml::value::Datetime,
    pub time: Option<String>,
    pub place: Option<String>,
    /// What the plan says about the meeting besides when and where, as it says it
    /// ("borgmesteren inviteres").
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocalPriority {
    pub kommune: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Statistic {
    pub title: String,
    pub label: Option<String>,
    pub unit: Option<String>,
    pub rows: Vec<StatRow>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StatRow {
    pub label: String,
    pub value: f64,
}

/// Hashed through its `Debug` form: a value is a float, which has no `Hash`, and the
/// form still covers every field (see `model::digest`).
impl std::hash::Hash for StatRow {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        format!("{self:?}").hash(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(s: &str) -> Arc<str> {
        Arc::from(s)
    }

    #[test]
    fn splits_front_matter() {
        let s = src("+++\ntitle = \"x\"\n+++\nbody\n");
        let sp = split(Path::new("a.md"), &s).unwrap();
        assert_eq!(&s[sp.front.clone()], "title = \"x\"\n");
        assert_eq!(&s[sp.body_start..], "body\n");
        assert_eq!(sp.body_line, 4);
    }

    #[test]
    fn missing_fences() {
        let s = src("title = 1\n");
        let e = split(Path::new("a.md"), &s).unwrap_err();
        assert!(e.message.contains("missing front matter"), "{e}");
        let s = src("+++\ntitle = 1\n");
        let e = split(Path::new("a.md"), &s).unwrap_err();
        assert!(e.message.contains("not closed"), "{e}");
    }

    #[test]
    fn unknown_key_suggests() {
        let s = src("+++\nkind = \"handleplan\"\nyaer = 2025\ntitle = \"x\"\n+++\n");
        let sp = split(Path::new("p.md"), &s).unwrap();
        let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
        let e = d.iter().next().unwrap();
        assert_eq!(e.message, "unknown key `yaer`");
        assert_eq!(e.line, 3);
        assert_eq!(e.help.as_deref(), Some("did you mean `year`?"));
    }

    /// The TOML mistakes a publisher makes, in a publisher's words.
    #[test]
    fn quotes_repeats_and_dates_in_plain_words() {
        let first = |text: &str| {
            let s = src(text);
            let sp = split(Path::new("p.md"), &s).unwrap();
            let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
            let e = d.iter().next().unwrap().clone();
            (e.message, e.line, e.help.unwrap_or_default())
        };
        let (m, line, help) =
            first("+++\nkind = \"handleplan\"\nyear = 2027\ntitle = \"Handleplan 2027\n+++\n");
        assert_eq!(
            (m.as_str(), line),
            ("text in quotes without its closing quote", 4)
        );
        assert!(
            help.starts_with("end the text with `\"` on the same line"),
            "{help}"
        );
        let (m, line, help) =
            first("+++\nkind = \"handleplan\"\nyear = 2027\nyear = 2027\ntitle = \"x\"\n+++\n");
        assert_eq!((m.as_str(), line), ("`year` is given twice", 4));
        assert_eq!(help, "keep one of them; the other is on line 3");
        // Word's Shift+Enter pasted into a title is no missing quote.
        let (m, line, _) = first(
            "+++\nkind = \"handleplan\"\nyear = 2027\ntitle = \"Handleplan\u{b}2027\"\n+++\n",
        );
        assert_eq!(
            (m.as_str(), line),
            (
                "a control character (such as a pasted line break) inside quotes",
                4
            )
        );
        assert_eq!(danish_date("31. februar 2027"), None);
        assert_eq!(
            danish_date("29. februar 2028").as_deref(),
            Some("2028-02-29")
        );
        for (written, iso) in [
            ("9. december 2026", "2026-12-09"),
            ("den 1. marts 2027", "2027-03-01"),
            ("19-12-2024", "2024-12-19"),
        ] {
            let (m, line, help) = first(&format!("+++\nkind = \"handleplan\"\nyear = 2027\ntitle = \"x\"\napproved = \"{written}\"\n+++\n"));
            assert!(m.ends_with("expected a date like 2025-12-19"), "{m}");
            assert_eq!(line, 5);
            assert_eq!(
                help,
                format!("write the date without quotes, year-month-day: {iso}")
            );
        }
    }

    #[test]
    fn every_unknown_key_is_reported_in_one_round() {
        let s = src("+++\nkind = \"handleplan\"\naproved = 2025-01-02\nyaer = 2025\ntitle = \"x\"\n\n[source]\ntitel = \"y\"\n\n[[meetings]]\ndate = 2025-03-06\nplase = \"z\"\n+++\n");
        let sp = split(Path::new("p.md"), &s).unwrap();
        let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
        let found: Vec<(String, usize)> = d.iter().map(|e| (e.message.clone(), e.line)).collect();
        let want = [("aproved", 3), ("yaer", 4), ("titel", 8), ("plase", 12)];
        for (key, line) in want {
            assert!(
                found.contains(&(format!("unknown key `{key}`"), line)),
                "{key}: {found:?}"
            );
        }
        assert_eq!(found.len(), want.len(), "{found:?}");
    }

    #[test]
    fn a_missing_or_mistyped_key_does_not_hide_the_others() {
        let s = src("+++\nkind = \"handleplan\"\nsummery = \"x\"\nyear = 2025\ntitle = \"x\"\n\n[source]\nudgiver = \"y\"\n\n[[signatories]]\nrole = \"z\"\n\n[[meetings]]\nplace = \"Byrum\"\n\n[[meetings]]\ndate = \"i morgen\"\n+++\n");
        let sp = split(Path::new("p.md"), &s).unwrap();
        let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
        let found: Vec<(String, usize)> = d.iter().map(|e| (e.message.clone(), e.line)).collect();
        for (needle, line) in [
            ("unknown key `summery`", 3),
            ("unknown key `udgiver`", 8),
            ("missing required key `name`", 10),
            ("missing required key `date`", 13),
        ] {
            assert!(
                found.iter().any(|(m, l)| m.contains(needle) && *l == line),
                "{needle}: {found:?}"
            );
        }
        assert!(
            found
                .iter()
                .any(|(m, _)| m.contains("i morgen") || m.contains("date")),
            "{found:?}"
        );
        // A mistyped required key in a table does not stop the reading: what follows it
        // is reported too.
        let s = src("+++\nkind = \"handleplan\"\nyear = 2025\ntitle = \"x\"\n\n[[meetings]]\ndate = \"6. marts\"\n\n[[meetings]]\nplace = \"Byrum\"\n\n[[signatories]]\nnmae = \"y\"\n+++\n");
        let sp = split(Path::new("p.md"), &s).unwrap();
        let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
        let found: Vec<(String, usize)> = d.iter().map(|e| (e.message.clone(), e.line)).collect();
        assert!(
            found.iter().any(|(_, l)| *l == 7),
            "the mistyped date: {found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(m, l)| m.contains("missing required key `date`") && *l == 9),
            "the second meeting's own missing date: {found:?}"
        );
        assert!(found.iter().any(|(m, _)| m.contains("`nmae`")), "{found:?}");
        assert_eq!(
            found.iter().filter(|(_, l)| *l == 6 || *l == 7).count(),
            1,
            "{found:?}"
        );
        // A required key of the wrong type is reported once, not also as missing.
        let s = src("+++\nkind = \"handleplan\"\nyear = 2025\ntitle = 7\nsummery = \"x\"\n+++\n");
        let sp = split(Path::new("p.md"), &s).unwrap();
        let d = parse::<PlanFront>(Path::new("p.md"), &s, &sp).unwrap_err();
        let found: Vec<&str> = d.iter().map(|e| e.message.as_str()).collect();
        assert!(!found.iter().any(|m| m.contains("missing")), "{found:?}");
        assert!(
            found
                .iter()
                .any(|m| m.contains("title") || m.contains("text")),
            "{found:?}"
        );
    }
}
