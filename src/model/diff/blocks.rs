//! A Markdown text as a flat list of blocks (headings, paragraphs, list items, table
//! rows, code), each with its plain text: the units a structure-aware diff pairs up.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{parse_document, Arena};
use serde::{Deserialize, Serialize};

use crate::load::body::comrak_options;

/// What a block is. Blocks pair only with blocks of the same kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Heading,
    Paragraph,
    /// A list item's own text; the items of a list nested in it are blocks of their own.
    Item,
    /// A table row, its cells separated by tabs.
    Row,
    /// A code block or raw HTML block, as its literal text.
    Code,
}

/// One block of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Heading level (1–6), list depth for items (1 = top level), else 0.
    pub level: u8,
    /// Plain text, white space folded to single spaces (tabs between table cells).
    pub text: String,
}

/// The blocks of `md` in document order. Markup is dropped (link texts and code spans
/// kept); raw HTML stays as text, since pages show it as text. Blocks without words are
/// skipped. The tree is walked with an explicit stack: nesting depth is the author's.
pub fn parse_blocks(md: &str) -> Vec<Block> {
    let arena = Arena::new();
    let root = parse_document(&arena, md, &comrak_options());
    let mut out = Vec::new();
    let mut stack: Vec<(&AstNode, u8)> = root.reverse_children().map(|n| (n, 0)).collect();
    while let Some((node, depth)) = stack.pop() {
        let mut push = |kind, level, text: String| {
            if !text.trim().is_empty() {
                out.push(Block { kind, level, text });
            }
        };
        let value = shallow(&node.data().value);
        match value {
            Shallow::Heading(level) => push(BlockKind::Heading, level, inline_text(node)),
            Shallow::Paragraph => push(BlockKind::Paragraph, 0, inline_text(node)),
            Shallow::Literal(text) => push(BlockKind::Code, 0, fold(&text)),
            Shallow::Row => push(BlockKind::Row, 0, row_text(node)),
            Shallow::Item => {
                // The item's own paragraphs are its text; anything else in it (a nested
                // list, a quote) follows as blocks of its own.
                let own = node
                    .children()
                    .filter(|c| matches!(c.data().value, NodeValue::Paragraph))
                    .map(inline_text)
                    .collect::<Vec<_>>()
                    .join(" ");
                push(BlockKind::Item, depth, own);
                stack.extend(
                    node.reverse_children()
                        .filter(|c| !matches!(c.data().value, NodeValue::Paragraph))
                        .map(|c| (c, depth)),
                );
            }
            Shallow::List => stack.extend(node.reverse_children().map(|c| (c, depth + 1))),
            Shallow::Container => stack.extend(node.reverse_children().map(|c| (c, depth))),
            Shallow::Skip => {}
        }
    }
    out
}

/// What `parse_blocks` needs of a node, copied out so the node's `RefCell` borrow ends
/// before its children are visited.
enum Shallow {
    Heading(u8),
    Paragraph,
    Literal(String),
    Row,
    Item,
    List,
    Container,
    Skip,
}

fn shallow(value: &NodeValue) -> Shallow {
    match value {
        NodeValue::Heading(h) => Shallow::Heading(h.level),
        NodeValue::Paragraph => Shallow::Paragraph,
        NodeValue::CodeBlock(c) => Shallow::Literal(c.literal.clone()),
        NodeValue::HtmlBlock(h) => Shallow::Literal(h.literal.clone()),
        NodeValue::TableRow(_) => Shallow::Row,
        NodeValue::Item(_) | NodeValue::TaskItem(_) => Shallow::Item,
        NodeValue::List(_) => Shallow::List,
        NodeValue::ThematicBreak | NodeValue::FrontMatter(_) => Shallow::Skip,
        _ => Shallow::Container,
    }
}

/// A table row's cells' texts, separated by tabs.
fn row_text<'a>(row: &'a AstNode<'a>) -> String {
    let cells: Vec<String> = row.children().map(inline_text).collect();
    if cells.iter().all(|c| c.is_empty()) {
        return String::new();
    }
    cells.join("\t")
}

/// The plain text of a node's inlines, white space folded. An explicit stack, like
/// comrak's own `collect_text`, but raw inline HTML is kept: pages show it as text.
fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::HtmlInline(h) | NodeValue::Raw(h) => text.push_str(h),
            NodeValue::Math(m) => text.push_str(&m.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => stack.extend(n.reverse_children()),
        }
    }
    fold(&text)
}

/// White space folded to single spaces, trimmed.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(md: &str) -> Vec<(BlockKind, u8, String)> {
        parse_blocks(md)
            .into_iter()
            .map(|b| (b.kind, b.level, b.text))
            .collect()
    }

    #[test]
    fn blocks_of_each_kind() {
        let md = "Et *ord*\nmere.\n\n##### Under `kode`\n\n- punkt\n  - indre\n- to\n\n| a | b |\n|---|---|\n| c |  |\n\n> citat\n\n---\n\n```\nx  y\n```\n";
        use BlockKind::*;
        assert_eq!(
            kinds(md),
            [
                (Paragraph, 0, "Et ord mere.".to_string()),
                (Heading, 5, "Under kode".into()),
                (Item, 1, "punkt".into()),
                (Item, 2, "indre".into()),
                (Item, 1, "to".into()),
                (Row, 0, "a\tb".into()),
                (Row, 0, "c\t".into()),
                (Paragraph, 0, "citat".into()),
                (Code, 0, "x y".into()),
            ]
        );
    }

    #[test]
    fn raw_html_is_text_and_deep_nesting_is_fine() {
        assert_eq!(kinds("a <b>fed</b>")[0].2, "a <b>fed</b>");
        let deep = ">".repeat(5000) + " dybt";
        assert_eq!(kinds(&deep)[0].2, "dybt");
    }
}
