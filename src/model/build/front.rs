//! Reading and locating values in a file's front matter.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceFile;

impl<F> crate::load::Doc<F> {
    /// The body as Markdown, intro and sections joined again (for pages whose body is
    /// shown whole: kreds, kommune, registry entries).
    pub fn body_markdown(&self) -> String {
        self.file.text[self.front_span.end..]
            .split_once('\n')
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }
}

/// Accepts `http(s)://…` and `mailto:` addresses; anything else (`javascript:`, `data:`,
/// relative paths that would break under a base path) is an error at the key.
pub(super) fn check_url(
    file: &SourceFile,
    front: &Range<usize>,
    key: &str,
    url: Option<&str>,
    diags: &mut Diagnostics,
) -> bool {
    let Some(url) = url else { return true };
    let lower = url.trim().to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        let span = find_value_span(&file.text, front, url)
            .unwrap_or_else(|| front_key_span(&file.text, front, key));
        diags.push(
            Diagnostic::error(&file.path, format!("`{key}` is not a web address: `{url}`"))
                .at(&file.text, span)
                .with_help("write a full address starting with https:// (or mailto:)"),
        );
    }
    ok
}

/// Byte range of `key = …` in the front matter, for locating errors in it.
pub fn front_key_span(src: &Arc<str>, front: &Range<usize>, key: &str) -> Range<usize> {
    let mut pos = front.start;
    for line in src[front.clone()].split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let start = pos + (line.len() - t.len());
                return start..start + key.len();
            }
        }
        // `[[local_priorities]]`, `[source]`: a table is located at its header.
        if is_table_header(t, key) {
            let start = pos + (line.len() - t.len());
            return start..start + t.trim_end().len();
        }
        pos += line.len();
    }
    front.start
        ..front
            .start
            .saturating_add(3)
            .min(front.end.max(front.start))
}

fn is_table_header(line: &str, key: &str) -> bool {
    let t = line.trim_end();
    t.strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .is_some_and(|k| k.trim() == key)
}

pub fn find_value_span(src: &Arc<str>, front: &Range<usize>, value: &str) -> Option<Range<usize>> {
    let needle = format!("\"{value}\"");
    src[front.clone()]
        .find(&needle)
        .map(|i| front.start + i + 1..front.start + i + 1 + value.len())
}
