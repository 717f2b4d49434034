//! A plan's body: its sections, their anchors and their bindings to indsatsområder.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::load::body::{Body, RawSection, ANCHOR_KEY};
use crate::load::SourceFile;
use crate::model::text::normalize_title;
use crate::model::*;
use crate::slug::slugify;

/// What sections bind to: the registry's ids (sorted), its title index, and the ids of
/// registry files that exist but could not be read (their errors are reported there).
pub(super) struct Registry<'a> {
    pub ids: &'a [String],
    pub titles: &'a HashMap<String, usize>,
    pub broken: &'a [String],
}

/// Turns raw sections into model sections: tree structure, anchors, bindings.
pub(super) fn sections(
    file: &SourceFile,
    body: &mut Body,
    reg: &Registry,
    diags: &mut Diagnostics,
) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(body.sections.len());
    let mut used_anchors: BTreeMap<String, usize> = BTreeMap::new();
    let mut stack: Vec<usize> = Vec::new();
    let count = body.sections.len();
    for i in 0..count {
        // The section's text is moved into the model, not copied: the body is not read
        // after this.
        let own_md = std::mem::take(&mut body.sections[i].own_md);
        let raw = &body.sections[i];
        while let Some(&top) = stack.last() {
            if out[top].level >= raw.level {
                out[top].end = i;
                stack.pop();
            } else {
                break;
            }
        }
        let parent = stack.last().copied();
        check_level(file, raw, &out, parent, diags);

        let mut attrs = heading_attributes(file, &raw.attrs, reg, diags);
        let anchor = match attrs.anchor.take() {
            Some((id, span)) => own_anchor(file, id, span, &mut used_anchors, diags),
            None => anchor(&raw.title, &mut used_anchors),
        };
        bind_by_title(file, raw, reg, &mut attrs, diags);
        let HeadingAttributes {
            bindings,
            binding,
            covers,
            is_chapter,
            mentions,
            ..
        } = attrs;

        stack.push(out.len());
        out.push(Section {
            level: raw.level,
            title: raw.title.clone(),
            title_md: raw.title_md.clone(),
            anchor,
            line: raw.line,
            own_md,
            parent,
            end: count,
            bindings,
            binding,
            covers,
            is_indsats_chapter: is_chapter,
            mentions,
        });
    }
    warn_empty_bound(file, &out, reg, diags);
    out
}

/// A heading more than one level below the section it falls in ("#####" after "### 2.3")
/// makes it part of that section. Under a bound section or in an indsatsområder
/// chapter that is an error: it would be a sub-area of an indsatsområde on every page,
/// which the plan did not say. Elsewhere (an introduction, an appendix) nothing is
/// bound by it, and a warning says how to write it. A "#" heading is the title's level.
fn check_level(
    file: &SourceFile,
    raw: &RawSection,
    out: &[Section],
    parent: Option<usize>,
    diags: &mut Diagnostics,
) {
    let hashes = |n: u8| "#".repeat(usize::from(n));
    if raw.level == 1 {
        diags.push(
            Diagnostic::warning(&file.path, "a `#` heading in the body of a plan")
                .at(&file.text, raw.span.clone())
                .with_help("the plan's title is its page's `#` heading; start sections at `##`"),
        );
    }
    let Some(at) = parent.filter(|&p| raw.level > out[p].level + 1) else {
        return;
    };
    let parent = &out[at];
    let ancestors = std::iter::successors(Some(at), |&i| out[i].parent);
    let binds = |i: usize| !out[i].bindings.is_empty() || out[i].is_indsats_chapter;
    let severity = if ancestors.into_iter().any(binds) {
        Diagnostic::error
    } else {
        Diagnostic::warning
    };
    diags.push(
        severity(
            &file.path,
            format!(
                "heading level skipped: `{}` under `{}` {} (line {})",
                hashes(raw.level),
                hashes(parent.level),
                parent.title,
                parent.line
            ),
        )
        .at(&file.text, raw.span.clone())
        .with_help(format!(
            "a sub-section of «{}» is `{}`; a section beside it is `{}` or less (as written it would be part of «{}» on every page)",
            parent.title,
            hashes(parent.level + 1),
            hashes(parent.level),
            parent.title
        )),
    );
}

/// A bound section with no text, not even in its sub-sections: a skeleton from `new
/// plan`, published before it was written. Its indsatsområder would show their whole
/// text as deleted since the last plan.
fn warn_empty_bound(file: &SourceFile, out: &[Section], reg: &Registry, diags: &mut Diagnostics) {
    for (i, s) in out.iter().enumerate() {
        if s.bindings.is_empty() || out[i..s.end].iter().any(|d| !d.own_md.trim().is_empty()) {
            continue;
        }
        let ids: Vec<String> = s
            .bindings
            .iter()
            .map(|&b| format!("`{}`", reg.ids[b]))
            .collect();
        diags.push(
            Diagnostic::warning(
                &file.path,
                format!("`{}` is bound to {} but has no text", s.title, ids.join(", ")),
            )
            .at_line(&file.text, s.line)
            .with_help("write its text before publishing: an empty section shows the indsatsområde's whole text as deleted since the last plan"),
        );
    }
}

/// The section's anchor: its title slugified (`afsnit` if that leaves nothing), with
/// `-2`, `-3`, … after a title used before in the plan; `used` counts each.
fn anchor(title: &str, used: &mut BTreeMap<String, usize>) -> String {
    let mut base = slugify(title);
    if base.is_empty() {
        base = "afsnit".into();
    }
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 && !is_the_pages_own(&base) {
        return base;
    }
    // `-2`, `-3`, …: the first not taken, by a heading's own anchor (`{#x-2}`) either.
    let mut k = (*n).max(2);
    let mut anchor = format!("{base}-{k}");
    while used.contains_key(&anchor) || is_the_pages_own(&anchor) {
        k += 1;
        anchor = format!("{base}-{k}");
    }
    used.insert(anchor.clone(), 1);
    anchor
}

/// Anchors the plan's page gives its own parts (the skip link's target, the facts, the
/// comparison picker, the charts): a section named "Indhold" or "Fakta" took the same
/// id, and the skip link, the contents link and the picker's label reached the wrong
/// element. Sections get `indhold-2` instead.
pub const THE_PAGES_OWN: [&str; 8] = [
    "indhold",
    "indhold-titel",
    "aendringer",
    "sammenlign-planer",
    "sammenlign-med",
    "fakta",
    "planens-fakta",
    "om-kilden",
];

fn is_the_pages_own(anchor: &str) -> bool {
    THE_PAGES_OWN.contains(&anchor)
        || anchor
            .strip_prefix("statistik-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The anchor a heading gives itself (`{#indledning}`): kept as written, and an error
/// when another heading of the plan already has it (a link could reach only one).
/// Later headings' own titles then avoid it, as they avoid each other.
fn own_anchor(
    file: &SourceFile,
    id: String,
    span: Range<usize>,
    used: &mut BTreeMap<String, usize>,
    diags: &mut Diagnostics,
) -> String {
    if is_the_pages_own(&id) {
        diags.push(
            Diagnostic::error(&file.path, format!("the plan's page uses the anchor `#{id}` itself"))
                .at(&file.text, span.clone())
                .with_help("give this heading another `{#anchor}` (a link to it would reach the page's own part)"),
        );
    }
    let n = used.entry(id.clone()).or_insert(0);
    *n += 1;
    if *n > 1 {
        diags.push(
            Diagnostic::error(&file.path, format!("another heading of the plan has the anchor `#{id}`"))
                .at(&file.text, span)
                .with_help("give this heading another `{#anchor}`, or leave it out to have one made from the title"),
        );
    }
    id
}

/// Automatic binding: a heading without `indsats=` whose title is an indsatsområde's
/// title or alias is bound to it; one bound explicitly to others gets a warning.
fn bind_by_title(
    file: &SourceFile,
    raw: &RawSection,
    reg: &Registry,
    attrs: &mut HeadingAttributes,
    diags: &mut Diagnostics,
) {
    let ids = reg.ids;
    let matched = reg.titles.get(&normalize_title(&raw.title)).copied();
    match (attrs.binding, matched) {
        (Binding::None, Some(ix)) => {
            attrs.bindings.push(ix);
            attrs.binding = Binding::Automatic;
        }
        (Binding::OptedOut, Some(ix)) => attrs.mentions.push(ix),
        // An explicit binding whose ids are all unknown is an error already.
        (Binding::Explicit, Some(ix))
            if !attrs.bindings.is_empty() && !attrs.bindings.contains(&ix) =>
        {
            diags.push(
            Diagnostic::warning(
                &file.path,
                format!(
                    "this heading is the registered title or an alias of `{}`, but it is bound to {}",
                    ids[ix],
                    attrs.bindings.iter().map(|&b| format!("`{}`", ids[b])).collect::<Vec<_>>().join(", ")
                ),
            )
            .at(&file.text, raw.span.clone())
            .with_help(format!(
                "add `{}` to the binding if the section is about it too, or remove the title from content/indsatsomraader/{}.md",
                ids[ix], ids[ix]
            )),
            )
        }
        _ => {}
    }
}

/// What a heading's `{…}` block says.
struct HeadingAttributes {
    bindings: Vec<usize>,
    binding: Binding,
    covers: Vec<usize>,
    is_chapter: bool,
    /// Opted out, with a registered title or alias (see `Section::mentions`).
    mentions: Vec<usize>,
    /// `{#id}`: the anchor the heading gives itself, and where.
    anchor: Option<(String, Range<usize>)>,
}

/// Reads a heading's attributes: `indsatser` (the chapter mark), `indsats=<ids>` (the
/// binding, `-` to opt out) and `omfatter=<ids>` (sub-areas the section covers without
/// a heading of their own). Every problem is reported at the attribute.
fn heading_attributes(
    file: &SourceFile,
    attrs: &[crate::load::body::Attr],
    reg: &Registry,
    diags: &mut Diagnostics,
) -> HeadingAttributes {
    let mut out = HeadingAttributes {
        bindings: Vec::new(),
        binding: Binding::None,
        covers: Vec::new(),
        is_chapter: false,
        mentions: Vec::new(),
        anchor: None,
    };
    for (n, a) in attrs.iter().enumerate() {
        let value_start = a.span.start + a.key.len() + 1;
        if a.key == ANCHOR_KEY && attrs[..n].iter().any(|b| b.key == a.key) {
            diags.push(
                Diagnostic::error(&file.path, "the heading gives itself two anchors")
                    .at(&file.text, a.span.clone())
                    .with_help("keep one `{#anchor}`"),
            );
            continue;
        }
        if attrs[..n].iter().any(|b| b.key == a.key) {
            diags.push(
                Diagnostic::error(&file.path, format!("`{}` is given twice", a.key))
                    .at(&file.text, a.span.clone())
                    .with_help(format!(
                        "list every id in one `{}`: `{{{}=<id1>,<id2>}}`",
                        a.key, a.key
                    )),
            );
            continue;
        }
        match (a.key.as_str(), a.value.as_deref()) {
            (ANCHOR_KEY, Some(id)) => out.anchor = Some((id.to_string(), a.span.clone())),
            ("indsatser", None) => out.is_chapter = true,
            ("indsatser", Some(_)) => diags.push(
                Diagnostic::error(&file.path, "`indsatser` takes no value")
                    .at(&file.text, a.span.clone())
                    .with_help("write `{indsatser}` to mark the chapter, or `{indsats=<id>}` to bind a section"),
            ),
            ("indsats", Some("-")) => out.binding = Binding::OptedOut,
            ("indsats", Some(v)) if !v.is_empty() => {
                out.binding = Binding::Explicit;
                out.bindings = id_list(file, v, value_start, reg, diags);
            }
            ("omfatter", Some(v)) if !v.is_empty() => {
                out.covers = id_list(file, v, value_start, reg, diags);
            }
            (key, _) => diags.push(
                Diagnostic::error(&file.path, format!("`{key}` needs a value"))
                    .at(&file.text, a.span.clone())
                    .with_help(format!("write `{{{key}=<id>}}` or `{{{key}=<id1>,<id2>}}`")),
            ),
        }
    }
    if out.binding != Binding::Explicit {
        if let Some(a) = attrs.iter().find(|a| a.key == "omfatter") {
            diags.push(
                Diagnostic::error(&file.path, "`omfatter` without `indsats`")
                    .at(&file.text, a.span.clone())
                    .with_help("a section covers sub-areas of the indsatsområde it is bound to: write `{indsats=<id> omfatter=<id1>,<id2>}`"),
            );
        }
    }
    out.covers.retain(|c| !out.bindings.contains(c));
    out
}

/// The ids of a comma-separated list (`a,b` or `a, b`), each checked against the
/// registry; `start` is the list's byte offset in the file, for locating errors.
fn id_list(
    file: &SourceFile,
    list: &str,
    start: usize,
    reg: &Registry,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = start;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let id = part.trim();
        let span = offset + lead..offset + lead + id.len().max(1);
        offset += part.len() + 1;
        match reg.ids.binary_search_by(|x| x.as_str().cmp(id)) {
            Ok(ix) if out.contains(&ix) => diags.push(
                Diagnostic::warning(&file.path, format!("`{id}` is listed twice"))
                    .at(&file.text, span)
                    .with_help("list each indsatsområde once"),
            ),
            Ok(ix) => out.push(ix),
            // Its registry file is there but has errors: those say what to fix.
            Err(_) if reg.broken.iter().any(|b| b == id) => {}
            Err(_) => diags.push(unknown_id(file, id, span, reg.ids)),
        }
    }
    out
}

fn unknown_id(file: &SourceFile, id: &str, span: Range<usize>, ids: &[String]) -> Diagnostic {
    let is_slug = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let d =
        Diagnostic::error(&file.path, format!("unknown indsatsområde `{id}`")).at(&file.text, span);
    if let Some(s) = did_you_mean(id, ids.iter().map(String::as_str)) {
        let new = if is_slug {
            format!(
                " If `{id}` is a new indsatsområde, register it in content/indsatsomraader/{id}.md"
            )
        } else {
            String::new()
        };
        return d.with_help(format!("did you mean `{s}`?{new}"));
    }
    if is_slug {
        d.with_help(format!("register it in content/indsatsomraader/{id}.md"))
    } else {
        d.with_help(format!(
            "an id is the name of a file in content/indsatsomraader/: lower-case letters a–z, digits and hyphens (`{}`)",
            crate::slug::slugify(id)
        ))
    }
}
