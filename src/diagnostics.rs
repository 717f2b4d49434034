//! Located, collected diagnostics: every content error names file, line and column.
//!
//! A run collects all problems it finds into [`Diagnostics`] instead of stopping at the
//! first, so a publisher fixes everything in one pass. Rendering uses
//! `codespan-reporting`, which prints the rustc-style snippet with a marker that users of
//! Rust tools know; we chose it over miette for its small dependency tree and because it
//! renders many files' diagnostics from one in-memory map without global state.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    /// The file's text, when it could be read, so the offending line can be shown.
    pub source: Option<Arc<str>>,
    /// Byte range in `source`.
    pub span: Option<Range<usize>>,
    /// 1-based line and column (columns count characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            source: None,
            span: None,
            line: 1,
            column: 1,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Locates the diagnostic at a byte range of the file's text.
    pub fn at(mut self, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, column) = line_col(source, start);
        self.line = line;
        self.column = column;
        self.source = Some(source.clone());
        self.span = Some(start..end);
        self
    }

    /// Locates the diagnostic at a 1-based line (whole line marked).
    pub fn at_line(self, source: &Arc<str>, line: usize) -> Self {
        let span = line_span(source, line);
        self.at(source, span)
    }

    /// About a folder as a whole (the output, a state folder): it has no line, and none
    /// is shown.
    pub fn of_folder(mut self) -> Self {
        self.line = 0;
        self.column = 0;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `error: path:line:column: message (help)`; what tests and logs use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{sev}: {}: {}", self.file.display(), self.message)?;
        } else {
            write!(
                f,
                "{sev}: {}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )?;
        }
        if let Some(h) = &self.help {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// All problems of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Errors before warnings, then by file and position: a stable order for output.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.severity, &a.file, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.file, b.line, b.column, &b.message))
        });
        v
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Renders all diagnostics rustc-style, followed by a count line.
    pub fn render(&self, color: bool) -> String {
        use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
        use codespan_reporting::files::SimpleFiles;
        use codespan_reporting::term::{self, termcolor};

        let mut files = SimpleFiles::new();
        let mut ids: Vec<(PathBuf, usize)> = Vec::new();
        let mut buf = if color {
            termcolor::Buffer::ansi()
        } else {
            termcolor::Buffer::no_color()
        };
        let config = term::Config::default();
        let mut per_file: Vec<(&Path, usize)> = Vec::new();
        for d in self.sorted() {
            let n = match per_file.iter_mut().find(|(p, _)| *p == d.file) {
                Some((_, n)) => n,
                None => {
                    per_file.push((&d.file, 0));
                    &mut per_file.last_mut().expect("just pushed").1
                }
            };
            *n += 1;
            if *n > SHOWN_PER_FILE {
                continue;
            }
            let shown = printable(&d.file.display().to_string()).into_owned();
            let mut cs = match d.severity {
                Severity::Error => CsDiag::error(),
                Severity::Warning => CsDiag::warning(),
            }
            .with_message(printable(&d.message));
            let mut notes = Vec::new();
            match (&d.source, &d.span) {
                (Some(src), Some(span)) if line_of(src, span).len() > LONGEST_QUOTED => {
                    let excerpt = excerpt(src, span);
                    notes.push(format!(
                        "in {shown}:{}:{}: {}",
                        d.line,
                        d.column,
                        printable(&excerpt)
                    ));
                }
                (Some(src), Some(span)) => {
                    let id = match ids.iter().find(|(p, _)| p == &d.file) {
                        Some((_, id)) => *id,
                        None => {
                            let id = files.add(shown.clone(), printable(src).into_owned());
                            ids.push((d.file.clone(), id));
                            id
                        }
                    };
                    cs = cs.with_labels(vec![Label::primary(id, span.clone())]);
                }
                // About a folder as a whole (see `Diagnostic::of_folder`).
                _ if d.line == 0 => notes.push(format!("in {shown}")),
                _ => notes.push(format!("in {shown}:{}:{}", d.line, d.column)),
            }
            if let Some(h) = d.help.as_ref().filter(|h| !h.is_empty()) {
                notes.push(format!("help: {}", printable(h)));
            }
            cs = cs.with_notes(notes);
            if term::emit_to_write_style(&mut buf, &config, &files, &cs).is_err() {
                // Rendering a snippet can only fail on a span we computed wrongly; fall
                // back to the one-line form rather than lose the message.
                buf_push(&mut buf, &format!("{}\n", printable(&d.to_string())));
            }
        }
        for (file, n) in per_file.iter().filter(|(_, n)| *n > SHOWN_PER_FILE) {
            let more = n - SHOWN_PER_FILE;
            let file = printable(&file.display().to_string()).into_owned();
            buf_push(
                &mut buf,
                &format!(
                    "… and {more} more in {file}, not shown: fix those above and run again\n\n"
                ),
            );
        }
        let mut out = String::from_utf8_lossy(buf.as_slice()).into_owned();
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    pub fn summary(&self) -> String {
        let e = self.error_count();
        let w = self.warning_count();
        format!(
            "{e} {}, {w} {}",
            if e == 1 { "error" } else { "errors" },
            if w == 1 { "warning" } else { "warnings" }
        )
    }
}

/// Findings shown per file: a thousand broken links on one line of a plan printed that
/// line a thousand times (hundreds of megabytes of log); the count line counts them all.
const SHOWN_PER_FILE: usize = 50;

/// Lines longer than this (bytes) are not quoted whole: an excerpt around the finding is.
const LONGEST_QUOTED: usize = 240;

/// The line of `src` that `span` starts on, without its newline.
fn line_of<'a>(src: &'a str, span: &Range<usize>) -> &'a str {
    let at = floor_char_boundary(src, span.start.min(src.len()));
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    &src[start..end]
}

/// Some 60 characters of a long line before `span` and 80 from it, elided at both ends.
fn excerpt(src: &str, span: &Range<usize>) -> String {
    let at = floor_char_boundary(src, span.start.min(src.len()));
    let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    let (before, after) = (&src[line_start..at], &src[at..line_end]);
    let skipped = before.chars().count().saturating_sub(60);
    let head: String = before.chars().skip(skipped).collect();
    let tail: String = after.chars().take(80).collect();
    let more = after.chars().nth(80).is_some();
    format!(
        "{}{head}{tail}{}",
        if skipped > 0 { "…" } else { "" },
        if more { "…" } else { "" }
    )
}

/// `s` with control characters (but line breaks and tabs) shown as `?`, byte for byte
/// (spans into a source stay valid): a file or a name in someone else's content could
/// otherwise move the cursor, clear the screen or fake lines in a terminal or CI log.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(control) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if control(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn buf_push(buf: &mut codespan_reporting::term::termcolor::Buffer, s: &str) {
    use std::io::Write;
    let _ = buf.write_all(s.as_bytes());
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    let before = &src[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = src[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Byte range of a 1-based line, without its newline.
pub fn line_span(src: &str, line: usize) -> Range<usize> {
    let mut start = 0;
    for _ in 1..line {
        match src[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return src.len()..src.len(),
        }
    }
    let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    start..end
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Suggests the closest candidate for a misspelt name ("did you mean …?").
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Display path of `path` relative to `root` where possible.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let s = "ab\næøå x\n";
        assert_eq!(line_col(s, 0), (1, 1));
        assert_eq!(line_col(s, 3), (2, 1));
        assert_eq!(line_col(s, s.find('x').unwrap()), (2, 5));
        assert_eq!(line_span(s, 2), 3..s.len() - 1);
    }

    /// A thousand findings on one 100 KB line: the log quotes neither the line whole nor
    /// every finding, and still counts them all.
    #[test]
    fn many_findings_on_a_long_line_make_a_short_log() {
        let line: String = (0..4000).map(|i| format!("[x](/n{i}) ")).collect();
        let src: Arc<str> = Arc::from(format!("+++\n+++\n{line}\n").as_str());
        let mut all = Diagnostics::new();
        for i in 0..1000 {
            let at = src.find(&format!("(/n{i})")).unwrap();
            all.push(Diagnostic::error("plan.md", format!("broken link {i}")).at(&src, at..at + 5));
        }
        all.push(Diagnostic::error("other.md", "one more"));
        let shown = all.render(false);
        assert!(shown.len() < 30_000, "{} bytes", shown.len());
        assert!(shown.contains("broken link 0\n"), "{shown}");
        assert!(
            shown.contains("in plan.md:3:4: [x](/n0) [x](/n1)"),
            "{shown}"
        );
        let at_49 = shown
            .split("broken link 49\n")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap();
        assert!(at_49.contains("in plan.md:3:484: …"), "{at_49}");
        assert!(at_49.contains("…(/n43) [x](/n44)"), "{at_49}");
        assert!(
            at_49.contains("[x](/n49) [x](/n50)") && at_49.ends_with('…'),
            "{at_49}"
        );
        assert!(at_49.chars().count() < 170, "{at_49}");
        assert!(!shown.contains("broken link 50\n"));
        assert!(
            shown.contains("… and 950 more in plan.md, not shown"),
            "{shown}"
        );
        assert!(shown.contains("one more"));
        assert!(shown.ends_with("1001 errors, 0 warnings\n"), "{shown}");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("yaer", ["year", "years", "kind"]),
            Some("year")
        );
        assert_eq!(did_you_mean("zzz", ["year", "kind"]), None);
    }
}
