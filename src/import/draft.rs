//! The draft content file: TOML front matter in the curated files' key order, then
//! the body with headings at their levels and their attribute blocks.

use std::fmt::Write as _;

use super::front::Front;
use super::headings::{Heading, Item};
use crate::init::quote;

/// The whole file.
pub fn render(front: &Front, items: &[Item]) -> String {
    let mut s = front_matter(front);
    s.push('\n');
    s.push_str(&body(items));
    s
}

fn front_matter(f: &Front) -> String {
    let mut s = String::from("+++\n");
    let kind = f.kind.map_or("handleplan", |k| k.as_str());
    let _ = writeln!(s, "kind = {}", quote(kind));
    match f.years.as_slice() {
        [y] => {
            let _ = writeln!(s, "year = {y}");
        }
        ys => {
            let list: Vec<String> = ys.iter().map(i64::to_string).collect();
            let _ = writeln!(s, "years = [{}]", list.join(", "));
        }
    }
    // As `new plan`'s: an import is a draft until an editor has read it against the
    // document, and a build in between (for any other fix) must not publish it.
    s.push_str(
        "draft = true # not published while this line is here: remove it once the import is checked against the document\n",
    );
    let _ = writeln!(s, "title = {}", quote(&f.title));
    if let Some(sub) = &f.subtitle {
        let _ = writeln!(s, "subtitle = {}", quote(sub));
    }
    if let Some(d) = &f.approved {
        let _ = writeln!(s, "approved = {d}");
    }
    if let Some(p) = &f.approved_place {
        let _ = writeln!(s, "approved_place = {}", quote(p));
    }
    s.push_str("\n[source]\n");
    let _ = writeln!(s, "title = {}", quote(&f.source_title));
    let _ = writeln!(s, "publisher = {}", quote(&f.publisher));
    if let Some(fmt) = &f.format {
        let _ = writeln!(s, "format = {}", quote(fmt));
    }
    if !f.printed_titles.is_empty() {
        let list: Vec<String> = f.printed_titles.iter().map(|t| quote(t)).collect();
        let _ = writeln!(s, "printed_titles = [{}]", list.join(", "));
    }
    // For the next editor, not for readers: `note` is published, `editor_note` is not.
    let mut editor_note =
        String::from("Importeret med planspor import; gennemgå overskrifter og bindinger.");
    for doubt in &f.doubts {
        editor_note.push(' ');
        editor_note.push_str(doubt);
        editor_note.push('.');
    }
    let _ = writeln!(s, "editor_note = {}", quote(&editor_note));
    for p in &f.signatories {
        let _ = write!(
            s,
            "\n[[signatories]]\nname = {}\nrole = {}\n",
            quote(&p.name),
            quote(&p.role)
        );
    }
    for m in &f.members {
        let _ = write!(s, "\n[[members]]\nrole = {}\n", quote(&m.role));
        if let Some(n) = &m.name {
            let _ = writeln!(s, "name = {}", quote(n));
        }
        if let Some(o) = &m.organisation {
            let _ = writeln!(s, "organisation = {}", quote(o));
        }
    }
    for m in &f.meetings {
        let _ = write!(s, "\n[[meetings]]\ndate = {}\n", m.date);
        if let Some(t) = &m.time {
            let _ = writeln!(s, "time = {}", quote(t));
        }
        if let Some(p) = &m.place {
            let _ = writeln!(s, "place = {}", quote(p));
        }
        if let Some(n) = &m.note {
            let _ = writeln!(s, "note = {}", quote(n));
        }
    }
    for (kommune, list) in &f.local_priorities {
        let items: Vec<String> = list.iter().map(|i| quote(i)).collect();
        let _ = write!(
            s,
            "\n[[local_priorities]]\nkommune = {}\nitems = [{}]\n",
            quote(kommune),
            items.join(", ")
        );
    }
    s.push_str("+++\n");
    s
}

/// A heading line: `### 3.1. Titel {indsats=a,b}`.
pub fn heading_line(h: &Heading) -> String {
    let mut attrs: Vec<String> = Vec::new();
    if h.chapter {
        attrs.push("indsatser".into());
    }
    if !h.ids.is_empty() {
        attrs.push(format!("indsats={}", h.ids.join(",")));
    } else if h.opt_out {
        attrs.push("indsats=-".into());
    }
    let mut line = format!(
        "{} {}",
        "#".repeat(h.level as usize),
        escape_heading(&h.text)
    );
    if !attrs.is_empty() {
        let _ = write!(line, " {{{}}}", attrs.join(" "));
    }
    line
}

/// Heading text that would end in something read as an attribute block is escaped.
fn escape_heading(t: &str) -> String {
    match t.strip_suffix('}') {
        Some(rest) => format!("{rest}\\}}"),
        None => t.to_string(),
    }
}

fn body(items: &[Item]) -> String {
    let mut s = String::new();
    for it in items {
        if !s.is_empty() {
            s.push('\n');
        }
        match it {
            Item::Heading(h) => {
                s.push_str(&heading_line(h));
                s.push('\n');
            }
            Item::Text(b) => {
                for l in &b.lines {
                    s.push_str(&text_line(l));
                    s.push('\n');
                }
            }
        }
    }
    s
}

/// A body line as Markdown: a bullet converters write as `•` becomes `-`; a line that
/// Markdown would read as a heading or a fence keeps its text.
fn text_line(l: &str) -> String {
    let t = l.trim_end_matches([' ', '\t']);
    let hard_break = l.ends_with("  ");
    let t = if let Some(r) = t.trim_start().strip_prefix("• ") {
        format!("- {r}")
    } else if t.starts_with('#') || t.starts_with("```") || t.starts_with("+++") {
        format!("\\{t}")
    } else {
        t.to_string()
    };
    if hard_break {
        format!("{t}  ")
    } else {
        t
    }
}
