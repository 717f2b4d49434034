//! Markdown → HTML with comrak. Raw HTML in content is escaped (shown as text), never
//! passed through, so a `<script>` in a plan can never run on the site.

use comrak::nodes::NodeValue;
use comrak::{format_html, parse_document, Arena};

use crate::load::body::comrak_options;

/// Renders Markdown to HTML. Root-relative links (`/kommuner/hjoerring/`) get the
/// site's base path so they work under a sub-path; heading levels are shifted by
/// `shift` (a registry description's `#` must not compete with the page's `<h1>`).
pub fn to_html(md: &str, base: &str, shift: u8) -> String {
    to_html_from(md, base, shift, None)
}

/// [`to_html`] for a text shown away from its own page (a plan's section on an
/// indsatsområde's history page): relative links (`#2-2-…`, `../2025/`, an image beside
/// the plan) are resolved against `home`, the URL of the page the text belongs to, so
/// that they lead where they lead on that page.
pub fn to_html_from(md: &str, base: &str, shift: u8, home: Option<&str>) -> String {
    if md.trim().is_empty() {
        return String::new();
    }
    let options = comrak_options();
    let arena = Arena::new();
    let root = parse_document(&arena, md, &options);
    for node in root.descendants() {
        let mut data = node.data_mut();
        match &mut data.value {
            NodeValue::Link(link) | NodeValue::Image(link)
                if link.url.starts_with('/') && !link.url.starts_with("//") =>
            {
                link.url = format!("{}{}", base.trim_end_matches('/'), link.url);
            }
            NodeValue::Link(link) | NodeValue::Image(link) => {
                if let Some(url) = home.and_then(|h| resolve_relative(h, &link.url)) {
                    link.url = url;
                }
            }
            NodeValue::Heading(h) => h.level = (h.level + shift).min(6),
            _ => {}
        }
    }
    let mut out = String::new();
    // Formatting into a String cannot fail.
    let _ = format_html(root, &options, &mut out);
    out
}

/// `url` resolved against the page URL `home` (an absolute path ending in `/`), if
/// `url` is relative: not empty, not from the root, and without a scheme (`https:`,
/// `mailto:`). `..` never climbs above the root, as a browser resolves it.
fn resolve_relative(home: &str, url: &str) -> Option<String> {
    let path_end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(path_end);
    if url.is_empty() || url.starts_with('/') || path.contains(':') {
        return None;
    }
    if path.is_empty() {
        return Some(format!("{home}{rest}"));
    }
    let joined = crate::url::normalize(&std::path::Path::new(home).join(path));
    // A folder stays a folder: `../2025/`, `./`, `..`.
    let last = path.rsplit('/').next().unwrap_or_default();
    let slash = if matches!(last, "" | "." | "..") && !joined.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("/{joined}{slash}{rest}"))
}

/// Renders a heading's inline Markdown without a wrapper. Rendered as a heading so that
/// text such as `3. Lokale …` stays text instead of becoming a list.
pub fn inline_html(md: &str, base: &str) -> String {
    if crate::load::body::is_plain_text(md) {
        return md.to_string();
    }
    let html = to_html(&format!("# {md}"), base, 0);
    let t = html.trim();
    let t = t
        .strip_prefix("<h1>")
        .and_then(|t| t.strip_suffix("</h1>"))
        .unwrap_or(t);
    t.to_string()
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_into(&mut out, s, false);
    out
}

/// Appends `s` to `out` with the five HTML-significant characters escaped and, with
/// `breaks`, line breaks as `<br>`. Works on bytes and copies the runs between special
/// characters whole: every page's text passes through here.
pub fn escape_into(out: &mut String, s: &str, breaks: bool) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\n' if breaks => "<br>",
            _ => continue,
        };
        // The special bytes are ASCII, so `i` is always a char boundary.
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

#[cfg(test)]
mod tests {

    /// The parser's output for a title, as `inline_html` made it before its fast path.
    fn parsed(md: &str) -> String {
        let html = to_html(&format!("# {md}"), "/", 0);
        let t = html.trim();
        t.strip_prefix("<h1>")
            .and_then(|t| t.strip_suffix("</h1>"))
            .unwrap_or(t)
            .to_string()
    }

    /// The plain text of a title as `load::body::plain_text` made it before its fast path.
    fn parsed_plain(md: &str) -> String {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(
            &arena,
            &format!("# {md}"),
            &crate::load::body::comrak_options(),
        );
        let text = root.collect_text();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_titles_skip_the_parser_with_the_same_html_and_text() {
        let mut titles: Vec<String> = [
            "Indbrud",
            "2.1 Tryghed i nattelivet",
            "1) Unge – og voksne",
            "Vold/trusler: 50%",
            "Hvad nu?!",
            "Ældre + børn",
            "- tankestreg først",
            "Se www.politi.dk",
            "https://x.dk",
            "a  b",
            " indrykket",
            "slut ",
            "Æ & Ø",
            "<b>",
            "\"x\"",
            "*fed*",
            "mailto:a",
            "Trafik #",
            "",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                titles.extend(
                    text.lines()
                        .filter_map(|l| l.strip_prefix('#'))
                        .map(|l| l.trim_start_matches('#').trim().to_string()),
                );
            }
        }
        let fast = titles
            .iter()
            .filter(|t| crate::load::body::is_plain_text(t))
            .count();
        assert!(fast > 100, "{fast} of {} titles are plain", titles.len());
        for t in &titles {
            assert_eq!(inline_html(t, "/"), parsed(t), "{t:?}");
            assert_eq!(crate::load::body::plain_text(t), parsed_plain(t), "{t:?}");
        }
    }

    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let h = to_html(
            "Hej <script>alert(1)</script>\n\n<script>x</script>\n",
            "/",
            0,
        );
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
    }

    #[test]
    fn links_get_base_path() {
        let h = to_html(
            "[Hjørring](/kommuner/hjoerring/) [x](https://politi.dk/)",
            "/planer/",
            0,
        );
        assert!(h.contains("href=\"/planer/kommuner/hjoerring/\""), "{h}");
        assert!(h.contains("href=\"https://politi.dk/\""), "{h}");
    }

    #[test]
    fn relative_links_in_a_text_shown_elsewhere_lead_where_they_lead_at_home() {
        let home = Some("/planer/kommuner/aeroe/handleplan/2026/");
        let h = to_html_from(
            "[a](#2-2-nettet) [b](../2025/) [c](../2025/#x) [d](kort.png) [e](./) [f](../../../../../..) \
             [g](https://politi.dk/) [h](mailto:a@b.dk) [i](/kredse/fyn/) [j](?q=1)",
            "/planer/",
            0,
            home,
        );
        for want in [
            "href=\"/planer/kommuner/aeroe/handleplan/2026/#2-2-nettet\"",
            "href=\"/planer/kommuner/aeroe/handleplan/2025/\"",
            "href=\"/planer/kommuner/aeroe/handleplan/2025/#x\"",
            "href=\"/planer/kommuner/aeroe/handleplan/2026/kort.png\"",
            "href=\"/planer/kommuner/aeroe/handleplan/2026/\"",
            "href=\"/\"",
            "href=\"https://politi.dk/\"",
            "href=\"mailto:a@b.dk\"",
            "href=\"/planer/kredse/fyn/\"",
            "href=\"/planer/kommuner/aeroe/handleplan/2026/?q=1\"",
        ] {
            assert!(h.contains(want), "{want} not in {h}");
        }
        // At home, nothing changes.
        assert!(to_html("[a](#x)", "/", 0).contains("href=\"#x\""));
    }

    #[test]
    fn inline() {
        assert_eq!(
            inline_html("Indbrud *samt* tryghed", "/"),
            "Indbrud <em>samt</em> tryghed"
        );
    }
}
