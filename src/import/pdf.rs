//! PDF text extraction.

use super::ImportError;

/// The text of a PDF, pages separated by form feeds.
pub fn extract(_bytes: &[u8]) -> Result<String, ImportError> {
    Err(ImportError::new("PDF input is not supported yet")
        .with_help("convert the PDF to text first (e.g. pdftotext) and import the text"))
}
