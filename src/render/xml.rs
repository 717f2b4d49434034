//! XML output through quick-xml's writer, so escaping is quick-xml's. What no escaping
//! can fix is ours: XML 1.0 forbids most C0 control characters and U+FFFE/U+FFFF
//! outright, and one stray control character copied from a PDF would make a whole feed
//! or sitemap unreadable to a parser, so every text and attribute value is stripped of
//! them first.

use std::borrow::Cow;
use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

/// An XML document being written, indented by two spaces.
pub struct XmlDoc {
    w: Writer<Vec<u8>>,
}

impl XmlDoc {
    /// A document with the XML declaration written.
    pub fn new() -> io::Result<XmlDoc> {
        let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(XmlDoc { w })
    }

    pub fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(element(name, attrs)))
    }

    pub fn end(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name attrs…/>`
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Empty(element(name, attrs)))
    }

    /// `<name>text</name>`
    pub fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.start(name, &[])?;
        self.w
            .write_event(Event::Text(BytesText::new(&clean(text))))?;
        self.end(name)
    }

    /// The document's bytes, ending in a newline.
    pub fn finish(self) -> Vec<u8> {
        let mut b = self.w.into_inner();
        b.push(b'\n');
        b
    }
}

fn element<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, clean(v).as_ref()));
    }
    e
}

/// `s` without the characters XML 1.0 forbids: C0 controls but tab, LF and CR, and
/// U+FFFE, U+FFFF. (C1 controls and DEL are allowed, if discouraged, and kept.)
pub fn clean(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    };
    if s.chars().all(allowed) {
        s.into()
    } else {
        s.chars().filter(|&c| allowed(c)).collect::<String>().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips() {
        let mut d = XmlDoc::new().unwrap();
        d.start("a", &[("href", "x?a=1&b=\"2\"\u{1}")]).unwrap();
        d.text("t", "<b> & \u{0}\u{b}ok\u{fffe}").unwrap();
        d.end("a").unwrap();
        let s = String::from_utf8(d.finish()).unwrap();
        assert!(s.contains("href=\"x?a=1&amp;b=&quot;2&quot;\""), "{s}");
        assert!(s.contains("<t>&lt;b&gt; &amp; ok</t>"), "{s}");
    }
}
