//! A Markdown body split into sections at its headings, with heading attributes.
//!
//! Sections are cut on the source text (not on rendered HTML) so each keeps its exact
//! Markdown and line number: the model binds them to indsatsområder and diffs their
//! text, the renderer turns each into HTML.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use comrak::nodes::NodeValue;
use comrak::{parse_document, Arena};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics};
use crate::memo::Memo;
use crate::slug::slugify;

/// The attribute keys a heading's `{…}` block may carry.
pub const ATTRIBUTE_KEYS: &[&str] = &["indsats", "indsatser", "omfatter"];

/// The key under which a heading's `{#anchor}` (Pandoc's and Hugo's syntax) is kept: the
/// anchor is its value.
pub const ANCHOR_KEY: &str = "#";

/// A parsed body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// Markdown before the first heading.
    pub intro: String,
    pub sections: Vec<RawSection>,
}

/// One heading and the Markdown up to the next heading of any level.
#[derive(Debug, Clone)]
pub struct RawSection {
    /// 1 to 6.
    pub level: u8,
    /// The heading's inline Markdown without the attribute block.
    pub title_md: String,
    /// The heading as plain text.
    pub title: String,
    pub attrs: Vec<Attr>,
    /// 1-based line in the file.
    pub line: usize,
    /// Byte range of the heading line in the file.
    pub span: Range<usize>,
    /// Markdown between this heading and the next one (of any level).
    pub own_md: String,
}

/// One `key` or `key=value` item of a heading's `{…}` block.
#[derive(Debug, Clone)]
pub struct Attr {
    pub key: String,
    pub value: Option<String>,
    /// Byte range of the item in the file.
    pub span: Range<usize>,
}

/// Comrak options shared by parsing and rendering, so both see the same document.
pub fn comrak_options() -> comrak::Options<'static> {
    let mut o = comrak::Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.tasklist = false;
    // Raw HTML in content is shown as text, never passed through: see README.
    o.render.escape = true;
    o
}

/// A body's lines, by their 1-based numbers as comrak reports them.
struct Lines<'a> {
    body: &'a str,
    /// Byte offset of each line.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(body: &'a str) -> Lines<'a> {
        let mut starts = vec![0usize];
        // memchr: every file of the site passes through here (27 MB nationally).
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        Lines { body, starts }
    }

    fn count(&self) -> usize {
        self.starts.len()
    }

    /// Where line `l` starts, and its text without the newline.
    fn text(&self, l: usize) -> (usize, &'a str) {
        let start = self.starts.get(l - 1).copied().unwrap_or(self.body.len());
        let end = self
            .starts
            .get(l)
            .map_or(self.body.len(), |e| e - 1)
            .max(start);
        (start, &self.body[start..end])
    }

    /// Lines `from..to_excl`, newlines included.
    fn between(&self, from: usize, to_excl: usize) -> String {
        if from >= to_excl {
            return String::new();
        }
        let at = |l: usize| self.starts.get(l - 1).copied().unwrap_or(self.body.len());
        self.body[at(from)..at(to_excl)].to_string()
    }

    /// The byte offset of a (line, column) comrak reported.
    fn offset(&self, line: usize, column: usize) -> usize {
        let l = self
            .starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.body.len());
        l + column.max(1) - 1
    }
}

/// An ATX heading line's text without its `#`s (and an optional closing sequence), and
/// where that text starts in the line.
fn atx_text(raw: &str) -> (usize, String) {
    let trimmed = raw.trim_start();
    let lead = raw.len() - trimmed.len();
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    let mut text = trimmed[hashes..].to_string();
    let t = text.trim_end();
    let closing = t.len() - t.trim_end_matches('#').len();
    if closing > 0 && t[..t.len() - closing].ends_with([' ', '\t']) {
        text = t[..t.len() - closing].to_string();
    }
    (lead + hashes, text)
}

/// What parsing a body tells its split: the top-level headings (level, first and last
/// line, setext) and the images loaded from other hosts ([`super::subresources`]). A
/// function of the text alone, and parsing is most of loading, so the memo keeps it.
#[derive(Serialize, Deserialize)]
struct Outline {
    heads: Vec<(u8, usize, usize, bool)>,
    foreign_images: Vec<(usize, usize, String)>,
}

impl Outline {
    fn parse(body: &str) -> Outline {
        let arena = Arena::new();
        let root = parse_document(&arena, body, &comrak_options());
        let heads = root
            .children()
            .filter_map(|node| {
                let ast = node.data();
                match &ast.value {
                    NodeValue::Heading(h) => Some((
                        h.level,
                        ast.sourcepos.start.line,
                        ast.sourcepos.end.line,
                        h.setext,
                    )),
                    _ => None,
                }
            })
            .collect();
        Outline {
            heads,
            foreign_images: super::subresources::foreign_images(root),
        }
    }
}

/// Splits `src[body_start..]` into intro and sections. `body_line` is the file line of
/// the body's first line. Attribute problems are reported into `diags`.
pub fn parse_body(
    file: &Path,
    src: &Arc<str>,
    body_start: usize,
    body_line: usize,
    diags: &mut Diagnostics,
    memo: &Memo,
) -> Body {
    let body = &src[body_start..];
    let lines = Lines::new(body);
    let outline = memo.value("outline", &[body], || Outline::parse(body));
    super::subresources::report_foreign_images(
        file,
        src,
        &outline.foreign_images,
        |line, column| (body_start + lines.offset(line, column)).min(src.len()),
        diags,
    );
    let heads = outline.heads;
    let intro_end = heads.first().map_or(lines.count() + 1, |h| h.1);
    let intro = lines.between(1, intro_end);
    let mut sections = Vec::with_capacity(heads.len());
    for (i, &(level, first, last, setext)) in heads.iter().enumerate() {
        // The heading text: for ATX the one line, for setext the lines above the underline.
        let text_line = if setext {
            last.saturating_sub(1).max(first)
        } else {
            first
        };
        let (off, raw) = lines.text(text_line);
        let (text_off, text) = if setext {
            (off, raw.to_string())
        } else {
            let (at, text) = atx_text(raw);
            (off + at, text)
        };
        let (title_md, attrs) = split_attributes(file, src, &text, body_start + text_off, diags);
        let title_md = if setext && first < last.saturating_sub(1) {
            // Multi-line setext heading: the lines before the attribute line.
            let mut t = lines.between(first, last - 1).replace('\n', " ");
            t.push_str(&title_md);
            t.trim().to_string()
        } else {
            title_md.trim().to_string()
        };
        let next = heads.get(i + 1).map_or(lines.count() + 1, |h| h.1);
        let (hoff, hline) = lines.text(first);
        sections.push(RawSection {
            level,
            title: plain_text(&title_md),
            title_md,
            attrs,
            line: body_line + first - 1,
            span: body_start + hoff..body_start + hoff + hline.len(),
            own_md: lines.between(last + 1, next),
        });
    }
    Body { intro, sections }
}

/// Splits a trailing `{…}` attribute block off a heading's text.
fn split_attributes(
    file: &Path,
    src: &Arc<str>,
    text: &str,
    file_off: usize,
    diags: &mut Diagnostics,
) -> (String, Vec<Attr>) {
    let t = text.trim_end();
    if !t.ends_with('}') {
        return (text.to_string(), Vec::new());
    }
    let Some(open) = t.rfind('{') else {
        return (text.to_string(), Vec::new());
    };
    let inner = &t[open + 1..t.len() - 1];
    // Only something shaped like `key`, `key=value` items is an attribute block; other
    // braces are heading text. But braces that start like one (`{indsats = x}`) are a
    // mistake to report, not a heading to publish with its braces.
    if !attribute_shaped(inner) {
        if starts_like_attributes(inner) {
            diags.push(
                Diagnostic::error(file, format!("cannot read the heading attributes `{{{inner}}}`"))
                    .at(src, file_off + open..file_off + t.len())
                    .with_help("write `{indsats=<id>}` or `{indsats=<id1>,<id2>}` (ids in lower case, no spaces around `=`), `{indsats=<id> omfatter=<id>}`, `{indsatser}` or `{#anchor}` (letters, digits, `-`, `_`)"),
            );
        }
        return (text.to_string(), Vec::new());
    }
    let mut attrs = Vec::new();
    let mut titles: Vec<usize> = Vec::new();
    let mut pos = open + 1;
    for item in inner.split(' ') {
        let item_off = pos;
        pos += item.len() + 1;
        if item.trim().is_empty() {
            continue;
        }
        let span = file_off + item_off..file_off + item_off + item.len();
        // `indsats=indbrud, tryghed-paa-nettet`: an id list written with a space after
        // a comma continues the previous item.
        if let Some(prev) = attrs.last_mut().filter(|a: &&mut Attr| {
            !item.contains('=') && a.value.as_deref().is_some_and(|v| v.ends_with(','))
        }) {
            let value_start = prev.span.start - file_off + prev.key.len() + 1;
            prev.value = Some(t[value_start..item_off + item.len()].to_string());
            prev.span.end = span.end;
            continue;
        }
        if let Some(id) = item.strip_prefix('#') {
            let (key, value) = (ANCHOR_KEY.to_string(), Some(id.to_string()));
            attrs.push(Attr { key, value, span });
            continue;
        }
        let (key, value) = match item.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (item.to_string(), None),
        };
        // `{indsats=Digital kriminalitet}`: a title where an id belongs, split at its
        // spaces; the words join the value, reported whole after the loop.
        if let Some(prev) = attrs.last_mut().filter(|a: &&mut Attr| {
            (a.key == "indsats" || a.key == "omfatter")
                && a.value.is_some()
                && value.is_none()
                && !ATTRIBUTE_KEYS.contains(&key.as_str())
        }) {
            let v = prev.value.get_or_insert_with(String::new);
            v.push(' ');
            v.push_str(&key);
            prev.span.end = span.end;
            titles.push(attrs.len() - 1);
            continue;
        }
        if !ATTRIBUTE_KEYS.contains(&key.as_str()) {
            let mut d =
                Diagnostic::error(file, format!("unknown heading attribute `{key}`")).at(src, span);
            d = match did_you_mean(&key, ATTRIBUTE_KEYS.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "known attributes: `indsats=<id>[,<id>…]`, `omfatter=<id>[,<id>…]`, `indsatser`",
                ),
            };
            diags.push(d);
            continue;
        }
        attrs.push(Attr { key, value, span });
    }
    titles.dedup();
    for &i in titles.iter().rev() {
        let a = attrs.remove(i);
        let written = a.value.unwrap_or_default();
        diags.push(
            Diagnostic::error(file, format!("`{}={written}` is a title, not an id", a.key))
                .at(src, a.span)
                .with_help(format!(
                    "ids are the registry's file names, lower case without spaces: `{}={}`",
                    a.key,
                    slugify(&written)
                )),
        );
    }
    (t[..open].trim_end().to_string(), attrs)
}

/// Whether braces that are not attributes start with an attribute key anyway
/// (`{indsats = a}`, `{Indsats=a}`): a mistake, not heading text.
fn starts_like_attributes(inner: &str) -> bool {
    let first = inner.trim_start().to_lowercase();
    if first.starts_with('#') {
        return true;
    }
    ATTRIBUTE_KEYS.iter().any(|k| {
        first.strip_prefix(k).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c == '=' || c.is_whitespace())
        })
    })
}

/// Whether the inside of a heading's trailing `{…}` reads as attributes: items that
/// are `key` or `key=value` with a lower-case key, where an item after one ending in a
/// comma continues its id list (`indsats=a, b, c`).
fn attribute_shaped(inner: &str) -> bool {
    let is_key = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
    };
    let mut continues = false;
    // After `indsats=`/`omfatter=`, words without `=` are a title written for an id
    // (`{indsats=Vold i nære relationer}`): read, to be reported as that.
    let mut ids = false;
    let mut any = false;
    for item in inner.split_whitespace() {
        any = true;
        let ok = if continues || ids && !item.contains('=') {
            !item.contains('=')
        } else if let Some(id) = item.strip_prefix('#') {
            is_anchor(id)
        } else {
            is_key(item.split('=').next().unwrap_or_default())
        };
        if !ok {
            return false;
        }
        continues = item.ends_with(',');
        ids = ids && !item.contains('=')
            || item.starts_with("indsats=")
            || item.starts_with("omfatter=");
    }
    any
}

/// A heading's own anchor (`{#indledning}`, as Pandoc and Hugo write it): letters,
/// digits, `-` and `_`, so that it needs no escaping in a URL's fragment.
pub fn is_anchor(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether comrak would give `md`, as a heading's text, back as it is: letters, digits,
/// single spaces and punctuation that is neither markup, nor escaped in HTML, nor part of
/// an autolink. Most titles are, and they skip the parser (a title is
/// parsed at loading and shown on many pages).
pub fn is_plain_text(md: &str) -> bool {
    const PUNCTUATION: [char; 15] = [
        ' ', '.', ',', ';', ':', '(', ')', '-', '–', '—', '/', '%', '+', '?', '!',
    ];
    let plain_char = |c: char| c.is_alphanumeric() || PUNCTUATION.contains(&c);
    let autolink = || {
        let lower = md.to_lowercase();
        ["www.", "://", "mailto:", "xmpp:"]
            .iter()
            .any(|a| lower.contains(a))
    };
    !md.is_empty()
        && md.chars().all(plain_char)
        && !md.starts_with(' ')
        && !md.ends_with(' ')
        && !md.contains("  ")
        && !autolink()
}

/// The plain text of a heading's inline Markdown (emphasis and links removed). Parsed
/// as a heading so that text such as `3. Lokale …` is not read as a list.
pub fn plain_text(md: &str) -> String {
    if is_plain_text(md) {
        return md.to_string();
    }
    let arena = Arena::new();
    let root = parse_document(&arena, &format!("# {md}"), &comrak_options());
    let text = root.collect_text();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (Body, Diagnostics) {
        let src: Arc<str> = Arc::from(s);
        let mut d = Diagnostics::new();
        let b = parse_body(Path::new("t.md"), &src, 0, 1, &mut d, &Memo::off());
        (b, d)
    }

    #[test]
    fn sections_and_attributes() {
        let (b, d) = parse(
            "Intro.\n\n## 3. Indsatser {indsatser}\n\nText.\n\n### Indbrud samt *tryghed* {indsats=indbrud,tryghed}\n\nMore.\n\n#### Sub\nx\n",
        );
        assert!(d.is_empty());
        assert_eq!(b.intro, "Intro.\n\n");
        assert_eq!(b.sections.len(), 3);
        assert_eq!(b.sections[0].title, "3. Indsatser");
        assert_eq!(b.sections[0].attrs[0].key, "indsatser");
        assert_eq!(b.sections[1].title, "Indbrud samt tryghed");
        assert_eq!(b.sections[1].title_md, "Indbrud samt *tryghed*");
        assert_eq!(
            b.sections[1].attrs[0].value.as_deref(),
            Some("indbrud,tryghed")
        );
        assert_eq!(b.sections[1].line, 7);
        assert_eq!(b.sections[1].own_md, "\nMore.\n\n");
        assert_eq!(b.sections[2].level, 4);
    }

    #[test]
    fn an_id_list_may_have_a_space_after_every_comma() {
        let (b, d) =
            parse("## Indbrud samt nettet {indsats=indbrud, nettet, narko omfatter=a, b}\n");
        assert!(d.is_empty(), "{}", d.render(false));
        assert_eq!(b.sections[0].title, "Indbrud samt nettet");
        let attrs: Vec<(&str, Option<&str>)> = b.sections[0]
            .attrs
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_deref()))
            .collect();
        assert_eq!(
            attrs,
            [
                ("indsats", Some("indbrud, nettet, narko")),
                ("omfatter", Some("a, b"))
            ]
        );
    }

    #[test]
    fn attributes_that_cannot_be_read_are_an_error_not_heading_text() {
        for heading in ["## T {indsats = indbrud}", "## T {Indsats=indbrud}"] {
            let (b, d) = parse(&format!("x\n\n{heading}\n"));
            let e = d.iter().next().expect(heading);
            assert!(
                e.message.starts_with("cannot read the heading attributes"),
                "{}",
                e.message
            );
            assert_eq!(e.line, 3);
            assert!(b.sections[0].attrs.is_empty());
        }
    }

    #[test]
    fn braces_that_are_text_stay() {
        let (b, _) = parse("## Set {A, B}\n");
        assert_eq!(b.sections[0].title, "Set {A, B}");
        assert!(b.sections[0].attrs.is_empty());
    }

    #[test]
    fn unknown_attribute_is_located() {
        let (_, d) = parse("x\n\n## T {indsat=a}\n");
        let e = d.iter().next().unwrap();
        assert_eq!(e.line, 3);
        assert_eq!(e.help.as_deref(), Some("did you mean `indsats`?"));
    }

    #[test]
    fn numbered_heading_text_is_not_a_list() {
        assert_eq!(
            plain_text("3. Lokale *prioriterede*"),
            "3. Lokale prioriterede"
        );
        assert_eq!(plain_text("- Dash"), "- Dash");
    }

    #[test]
    fn headings_in_code_are_not_sections() {
        let (b, _) = parse("```\n## not\n```\n## yes\n");
        assert_eq!(b.sections.len(), 1);
        assert_eq!(b.sections[0].title, "yes");
    }
}
