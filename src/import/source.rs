//! Reading the input: a PDF (text extracted in-process) or the text/Markdown PDF
//! converters write.

use std::path::Path;

use super::ImportError;

/// The input's text, normalised (BOM dropped, CRLF → LF, letters composed as the loader
/// composes them; pages separated by form feeds), and whether it came from a PDF.
pub fn read(path: &Path) -> Result<(String, bool), ImportError> {
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::new(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > 4 * crate::load::MAX_FILE_BYTES {
        return Err(ImportError::new(format!(
            "{} is too large to be a plan ({:.1} MB)",
            path.display(),
            bytes.len() as f64 / 1_048_576.0
        )));
    }
    if bytes.starts_with(b"%PDF") {
        return super::pdf::extract(&bytes).map(|t| (crate::load::normalise(t), true));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        ImportError::new(format!(
            "{} is neither a PDF nor UTF-8 text",
            path.display()
        ))
        .with_help(
            "give the plan's PDF, or the text a PDF converter wrote from it (saved as UTF-8)",
        )
    })?;
    if text.contains('\0') {
        return Err(ImportError::new(format!(
            "{} is a binary file, not a plan",
            path.display()
        )));
    }
    Ok((crate::load::normalise(text), false))
}
