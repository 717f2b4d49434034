//! PDF text extraction, in-process, with the font size of every line.
//!
//! `pdf-extract` (on top of `lopdf`) is used rather than `lopdf`'s own `extract_text`:
//! on PDFs of the five seed plans (tests/import.rs: Helvetica in WinAnsi encoding, a
//! running header, a footer with the page number, hyphenated line ends) the raw text's
//! words matched the seeds' 96.7–97.7 % with `pdf-extract` and 83.3–84.6 % with `lopdf`,
//! which joins text runs without the line breaks their positions imply. `lopdf` still
//! reads the file (encryption check).
//!
//! A PDF has no heading markup: it shows a heading by setting it larger. [`Lines`]
//! receives every character with its size and builds the same lines and spaces as
//! `pdf-extract`'s plain text output; a line set clearly larger than the body text is
//! then written as a Markdown heading (`#`, more of them the smaller its size), the
//! form the rest of the importer reads from converted text. Its final level still comes
//! from the numbering and the contents list (see `headings`).
//!
//! Measured on those PDFs (no markup printed; headings in Helvetica-Bold at 18/14/12/11
//! pt by level over 9 pt body text): each imports with the same figures as its text:
//! words 99.9–100 %, headings at the same level 98.0–100 %, bindings 91.7–100 %. Read
//! from the plain text alone, without sizes, the headings of three seeds fell to
//! 61.5–89.7 % and the bindings of two to 47.1–66.7 %. Weight is not read: `OutputDev`
//! does not say which font a character is in, so a heading set bold at the body's size
//! is only found the way a plain converted line is (numbering, contents list, shape).

use super::ImportError;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// The text of a PDF, pages separated by form feeds, headings marked with `#`.
pub fn extract(bytes: &[u8]) -> Result<String, ImportError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| {
        if e.to_string().to_lowercase().contains("encrypt") {
            encrypted()
        } else {
            ImportError::new(format!("cannot read the PDF: {e}")).with_help(
                "the file may be damaged; try saving it again from the program that made it",
            )
        }
    })?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(encrypted());
    }
    let pages = read_lines(&doc)?;
    let text = mark_headings(&pages);
    let words = text.split_whitespace().count();
    if words < 20 {
        return Err(ImportError::new(format!(
            "the PDF has no text layer ({} pages, {words} words): it looks scanned",
            pages.len(),
        ))
        .with_help(
            "run it through OCR (e.g. ocrmypdf) first, or import a text version of the plan",
        ));
    }
    Ok(text)
}

fn encrypted() -> ImportError {
    ImportError::new("the PDF is encrypted").with_help(
        "save an unprotected copy (print to PDF, or `qpdf --decrypt in.pdf out.pdf`) and import that",
    )
}

/// Every page's lines. `pdf-extract` panics on some malformed files (it unwraps inside);
/// a damaged PDF must give an error, not end the program.
fn read_lines(doc: &lopdf::Document) -> Result<Vec<Vec<Line>>, ImportError> {
    let mut out = Lines::default();
    let total = doc.get_pages().len();
    // Progress for long PDFs, on a terminal only (scripts and tests get none).
    if total >= PROGRESS_FROM && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        out.progress = Some(Box::new(move |page| {
            eprint!("\r{}", progress_line(page, total));
            if page == total {
                eprintln!();
            }
        }));
    }
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::output_doc(doc, &mut out)
    }));
    match run {
        Ok(Ok(())) => Ok(out.pages),
        Ok(Err(e)) => Err(ImportError::new(format!(
            "cannot extract the PDF's text: {e}"
        ))),
        Err(_) => Err(
            ImportError::new("cannot extract the PDF's text: the file is malformed")
                .with_help("try saving it again from the program that made it (print to PDF)"),
        ),
    }
}

/// PDFs with at least this many pages report their progress on a terminal.
const PROGRESS_FROM: usize = 10;

fn progress_line(page: usize, total: usize) -> String {
    format!("reading the PDF: page {page} of {total}")
}

/// One line of text as extracted, and how many of its characters were set at each size.
#[derive(Debug, Default, Clone)]
pub struct Line {
    pub text: String,
    /// (size in half points, characters), in order of first use.
    sizes: Vec<(u32, usize)>,
}

impl Line {
    /// The size most of the line's characters are set in, in half points: a large
    /// initial (drop cap) or a footnote mark does not make a line a heading.
    fn size(&self) -> Option<u32> {
        let mut best: Option<(u32, usize)> = None;
        for &(s, n) in &self.sizes {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((s, n));
            }
        }
        best.map(|b| b.0)
    }
}

/// An [`OutputDev`] building lines exactly as `pdf-extract`'s `PlainTextOutput` does
/// (a new line when the text moves down, a blank one when it moves down more than one
/// and a half times the font size, a space where a gap opens), keeping each line's
/// character sizes.
#[derive(Default)]
struct Lines {
    pages: Vec<Vec<Line>>,
    /// Called with the number of each page as it starts.
    progress: Option<Box<dyn FnMut(usize)>>,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_char: bool,
}

impl Lines {
    fn line(&mut self) -> &mut Line {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let page = self.pages.last_mut().expect("a page");
        if page.is_empty() {
            page.push(Line::default());
        }
        page.last_mut().expect("a line")
    }
    fn new_line(&mut self) {
        self.line();
        if let Some(p) = self.pages.last_mut() {
            p.push(Line::default());
        }
    }
}

/// The size a glyph appears at on the page: the font size scaled by the text and
/// graphics matrices (the side of a square of the same area, as `pdf-extract` does).
fn effective_size(trm: &Transform, font_size: f64) -> f64 {
    let x = font_size * (trm.m11 + trm.m21);
    let y = font_size * (trm.m12 + trm.m22);
    (x * y).abs().sqrt()
}

impl OutputDev for Lines {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page_height = media_box.ury - media_box.lly;
        self.pages.push(vec![Line::default()]);
        let n = self.pages.len();
        if let Some(report) = self.progress.as_mut() {
            report(n);
        }
        // Each page starts afresh, as `pdf-extract` does page by page.
        (self.last_end, self.last_y, self.first_char) = (100_000.0, 0.0, false);
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        let size = effective_size(trm, font_size);
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        if self.first_char {
            let dy = (y - self.last_y).abs();
            if dy > size * 1.5 {
                self.new_line();
            }
            if x < self.last_end && dy > size * 0.5 {
                self.new_line();
            }
            if x > self.last_end + size * 0.1 {
                self.line().text.push(' ');
            }
        }
        let line = self.line();
        line.text.push_str(char);
        let half_points = (size * 2.0).round() as u32;
        let n = char.chars().filter(|c| !c.is_whitespace()).count();
        match line.sizes.iter_mut().find(|s| s.0 == half_points) {
            Some(s) => s.1 += n,
            None => line.sizes.push((half_points, n)),
        }
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// How much larger than the body text a line must be set to be a heading. Headings in
/// plans are set at least a point larger than 9–11 pt body text; smaller steps are
/// rounding or a different font's metrics.
const HEADING_RATIO: f64 = 1.1;

/// The body text's size: the one most characters are set in.
fn body_size(pages: &[Vec<Line>]) -> Option<u32> {
    let mut tally: Vec<(u32, usize)> = Vec::new();
    for &(s, n) in pages.iter().flatten().flat_map(|l| &l.sizes) {
        match tally.iter_mut().find(|t| t.0 == s) {
            Some(t) => t.1 += n,
            None => tally.push((s, n)),
        }
    }
    tally.into_iter().max_by_key(|t| t.1).map(|t| t.0)
}

/// The pages' text with every line set clearly larger than the body text written as a
/// heading: `#` for the largest size, `##` for the next, and so on.
pub fn mark_headings(pages: &[Vec<Line>]) -> String {
    let body = body_size(pages).unwrap_or(0);
    let is_heading = |s: u32| f64::from(s) > f64::from(body) * HEADING_RATIO;
    // A drop cap set apart from its paragraph makes a line of one large letter: no
    // heading has fewer than two letters or digits.
    let worded = |l: &Line| l.text.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
    let mut sizes: Vec<u32> = pages
        .iter()
        .flatten()
        .filter(|l| worded(l))
        .filter_map(Line::size)
        .filter(|&s| is_heading(s))
        .collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    let marker = |l: &Line| {
        let s = l.size().filter(|&s| is_heading(s) && worded(l))?;
        let rank = sizes.iter().position(|&t| t == s).map_or(1, |p| p + 1);
        Some((s, "#".repeat(rank.min(6))))
    };
    let pages: Vec<String> = pages.iter().map(|p| page_text(p, &marker)).collect();
    pages.join("\u{c}")
}

/// A page's lines, each heading line led by its `marker`. A heading the layout wrapped
/// onto further lines of the same size (no blank line between) is one heading: the
/// importer reads one line as one heading.
fn page_text(page: &[Line], marker: &dyn Fn(&Line) -> Option<(u32, String)>) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(page.len());
    let mut open: Option<u32> = None; // the size of the heading the last line belongs to
    for l in page {
        let mark = marker(l);
        match (&mark, open, lines.last_mut()) {
            (Some((s, _)), Some(o), Some(last)) if *s == o => {
                last.push(' ');
                last.push_str(l.text.trim());
            }
            (Some((_, hashes)), _, _) => lines.push(format!("{hashes} {}", l.text.trim())),
            (None, _, _) => lines.push(l.text.clone()),
        }
        open = mark.map(|m| m.0);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {

    #[test]
    fn progress_is_reported_page_by_page() {
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let log = seen.clone();
        let mut lines = Lines {
            progress: Some(Box::new(move |p| log.borrow_mut().push(p))),
            ..Lines::default()
        };
        let mb = MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 595.0,
            ury: 842.0,
        };
        for n in 1..=3 {
            lines.begin_page(n, &mb, None).unwrap();
            lines.end_page().unwrap();
        }
        assert_eq!(*seen.borrow(), vec![1, 2, 3]);
        assert_eq!(progress_line(2, 3), "reading the PDF: page 2 of 3");
    }

    use super::*;

    /// A line of `text` set at `pt`, its first `initial` characters at `big` pt.
    fn line(text: &str, pt: u32, initial: Option<(usize, u32)>) -> Line {
        let n = text.chars().filter(|c| !c.is_whitespace()).count();
        let mut sizes = Vec::new();
        if let Some((k, big)) = initial {
            sizes.push((big * 2, k));
        }
        sizes.push((pt * 2, n - initial.map_or(0, |i| i.0)));
        Line {
            text: text.into(),
            sizes,
        }
    }

    #[test]
    fn larger_lines_become_headings_ranked_by_size() {
        let body = "Politiet og kommunerne arbejder sammen om tryghed i byerne hver dag.";
        let page = vec![
            line("SAMARBEJDSPLAN 2024", 18, None),
            line("", 9, None),
            line("1. ORGANISERING", 14, None),
            line(body, 9, None),
            line("1.1. Lokalrådet", 11, None),
            line(body, 9, None),
        ];
        assert_eq!(
            mark_headings(&[page]),
            format!(
                "# SAMARBEJDSPLAN 2024\n\n## 1. ORGANISERING\n{body}\n### 1.1. Lokalrådet\n{body}"
            )
        );
    }

    #[test]
    fn a_wrapped_heading_is_one_heading_and_a_drop_cap_is_body_text() {
        let body = "Politiet og kommunerne arbejder sammen om tryghed i byerne hver dag.";
        let page = vec![
            line("5.1. Tryghed, herunder forebyggelse og", 12, None),
            line("efterforskning af personfarlig kriminalitet", 12, None),
            line(body, 9, Some((1, 24))),
            line("P", 24, None),
            line(body, 9, None),
        ];
        let text = mark_headings(&[page]);
        assert_eq!(
            text.lines().next(),
            Some("# 5.1. Tryghed, herunder forebyggelse og efterforskning af personfarlig kriminalitet")
        );
        assert_eq!(text.lines().filter(|l| l.starts_with('#')).count(), 1);
    }

    #[test]
    fn size_on_the_page_counts_whether_set_by_font_or_by_matrix() {
        let unscaled = Transform::row_major(1.0, 0.0, 0.0, 1.0, 40.0, 700.0);
        let scaled = Transform::row_major(14.0, 0.0, 0.0, 14.0, 40.0, 700.0);
        assert!((effective_size(&unscaled, 14.0) - 14.0).abs() < 1e-9);
        assert!((effective_size(&scaled, 1.0) - 14.0).abs() < 1e-9);
    }

    #[test]
    fn one_size_throughout_marks_nothing() {
        let page = vec![line("Indledning", 10, None), line("Tekst her.", 10, None)];
        assert_eq!(
            mark_headings(&[page.clone(), page]),
            "Indledning\nTekst her.\u{c}Indledning\nTekst her."
        );
    }
}
