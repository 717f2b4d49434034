//! The site promises no third-party requests. Raw HTML in content is escaped (see
//! `comrak_options`), so the only way content can make a page load something is a
//! Markdown image: one pointing at another host is an error at the image.

use std::path::Path;
use std::sync::Arc;

use comrak::nodes::{AstNode, NodeValue};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Does loading `url` as a subresource contact a host other than the site's own? Any
/// scheme (`https:`, `ftp:`) or a protocol-relative `//host/x` does; browsers read
/// `\` as `/` and skip leading white space, so `/\host/x` does too. `data:` loads
/// nothing and stays allowed.
pub fn is_foreign(url: &str) -> bool {
    let u = url.trim_start().replace('\\', "/");
    if u.starts_with("//") {
        return true;
    }
    let scheme_len = u.find(':').filter(|&i| i > 0).filter(|&i| {
        u[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && u.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    match scheme_len {
        Some(i) => !u[..i].eq_ignore_ascii_case("data"),
        None => false,
    }
}

/// Every image in the parsed `root` whose source is on another host: (line, column,
/// address), comrak's 1-based body positions.
pub fn foreign_images<'a>(root: &'a AstNode<'a>) -> Vec<(usize, usize, String)> {
    root.descendants()
        .filter_map(|node| {
            let ast = node.data();
            match &ast.value {
                NodeValue::Image(link) if is_foreign(&link.url) => Some((
                    ast.sourcepos.start.line,
                    ast.sourcepos.start.column,
                    link.url.clone(),
                )),
                _ => None,
            }
        })
        .collect()
}

/// Reports each of `images` ([`foreign_images`]) as an error at the image.
/// `offset(line, column)` maps comrak's 1-based body positions to file offsets.
pub fn report_foreign_images(
    file: &Path,
    src: &Arc<str>,
    images: &[(usize, usize, String)],
    offset: impl Fn(usize, usize) -> usize,
    diags: &mut Diagnostics,
) {
    for (line, column, url) in images {
        let start = offset(*line, *column);
        // Mark the address itself when it is written inline, else the whole image.
        let span = src[start..]
            .find(url.as_str())
            .filter(|&i| !src[start..start + i].contains('\n'))
            .map_or(start..start + 2, |i| start + i..start + i + url.len());
        diags.push(
            Diagnostic::error(
                file,
                format!(
                    "image loaded from another host: `{url}`; the site makes no third-party requests"
                ),
            )
            .at(src, span)
            .with_help(
                "copy the file into the theme's static/ folder (themes/<theme>/static/) and link it relatively, e.g. `![…](/static/<file>)`; an ordinary link `[…](https://…)` to another site is fine",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_foreign;

    #[test]
    fn foreign_addresses() {
        for u in [
            "https://tracker.example/p.png",
            "HTTP://x/y",
            "//cdn.example/x.png",
            "/\\cdn.example/x.png",
            " https://x/",
            "ftp://x/y",
        ] {
            assert!(is_foreign(u), "{u}");
        }
        for u in [
            "/static/p.png",
            "p.png",
            "../p.png",
            "data:image/png;base64,AA",
            "a:b/c",
        ] {
            assert_eq!(is_foreign(u), u == "a:b/c", "{u}");
        }
    }
}
