//! Builds the nested render tree (`Node`, `Inline`) from the same Markdown events as the flat
//! check blocks. Iterative, with nesting capped so that a hostile 10,000-deep body can be
//! serialised, rendered and dropped without exhausting the stack.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::model::{Inline, Node};

/// Containers nested deeper than this are flattened into the deepest one.
pub const MAX_NESTING: usize = 32;

enum Frame {
    Quote(Vec<Node>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Node>>,
    },
    Item(Vec<Node>),
    /// A container past the cap: its content goes to the one above.
    Flattened,
}

#[derive(Clone, Copy, PartialEq)]
enum Leaf {
    Heading(u8),
    Paragraph,
    Cell,
}

enum Wrap {
    Root,
    Strong,
    Emph,
    Strike,
    Link(Option<String>),
    Image,
    /// Emphasis nested deeper than `MAX_NESTING`: its text joins the enclosing run, so no
    /// later stage (view, templates, JSON) recurses without bound.
    Flat,
}

#[derive(Default)]
pub struct TreeBuilder {
    root: Vec<Node>,
    frames: Vec<Frame>,
    leaf: Option<Leaf>,
    inlines: Vec<(Wrap, Vec<Inline>)>,
    code: Option<String>,
    cell: Option<Vec<Inline>>,
}

/// Keeps a link only when following it is safe: web, mail, or a relative path.
pub fn safe_href(href: &str) -> Option<String> {
    let h = href.trim();
    let lower = h.to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let has_scheme = scheme_end.is_some_and(|i| {
        !lower[..i].contains('/') && !lower[..i].contains('?') && !lower[..i].contains('#')
    });
    let allowed = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:");
    if h.is_empty() || h.starts_with("//") || (has_scheme && !allowed) {
        None
    } else {
        Some(h.to_string())
    }
}

impl TreeBuilder {
    fn depth(&self) -> usize {
        self.frames.len()
    }

    fn container(&mut self) -> &mut Vec<Node> {
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Quote(children) | Frame::Item(children) => return children,
                Frame::List { .. } | Frame::Flattened => continue,
            }
        }
        &mut self.root
    }

    fn push_node(&mut self, node: Node) {
        // A node straight inside a list (outside any item) joins the last item.
        if let Some(Frame::List { items, .. }) = self.frames.last_mut() {
            match items.last_mut() {
                Some(item) => item.push(node),
                None => items.push(vec![node]),
            }
            return;
        }
        self.container().push(node);
    }

    fn start_leaf(&mut self, leaf: Leaf) {
        self.finish_leaf();
        self.leaf = Some(leaf);
        self.inlines = vec![(Wrap::Root, Vec::new())];
    }

    fn finish_leaf(&mut self) {
        let Some(leaf) = self.leaf.take() else { return };
        // Close any inline left open (malformed input) into its parent.
        while self.inlines.len() > 1 {
            self.close_inline();
        }
        let inlines = self.inlines.pop().map(|(_, v)| v).unwrap_or_default();
        match leaf {
            Leaf::Heading(level) => self.push_node(Node::Heading { level, inlines }),
            Leaf::Paragraph if !inlines.is_empty() => self.push_node(Node::Paragraph { inlines }),
            Leaf::Paragraph => {}
            Leaf::Cell => self.cell = Some(inlines),
        }
    }

    fn add_inline(&mut self, inline: Inline) {
        if self.leaf.is_none() {
            self.start_leaf(Leaf::Paragraph);
        }
        let Some((_, current)) = self.inlines.last_mut() else {
            return;
        };
        if let (Inline::Text { text }, Some(Inline::Text { text: last })) =
            (&inline, current.last_mut())
        {
            last.push_str(text);
            return;
        }
        current.push(inline);
    }

    fn open_inline(&mut self, wrap: Wrap) {
        if self.leaf.is_none() {
            self.start_leaf(Leaf::Paragraph);
        }
        let wrap = if self.inlines.len() > MAX_NESTING {
            Wrap::Flat
        } else {
            wrap
        };
        self.inlines.push((wrap, Vec::new()));
    }

    fn close_inline(&mut self) {
        if self.inlines.len() < 2 {
            return;
        }
        let Some((wrap, children)) = self.inlines.pop() else {
            return;
        };
        let inline = match wrap {
            Wrap::Strong => Inline::Strong { children },
            Wrap::Emph => Inline::Emph { children },
            Wrap::Strike => Inline::Strike { children },
            Wrap::Link(href) => Inline::Link { href, children },
            // Images are never loaded (paper text must not read files): their alt text stands in.
            Wrap::Image => Inline::Text {
                text: format!("[image: {}]", Inline::plain(&children)),
            },
            Wrap::Root => return,
            Wrap::Flat => {
                if let Some((_, parent)) = self.inlines.last_mut() {
                    parent.extend(children);
                }
                return;
            }
        };
        if let Some((_, parent)) = self.inlines.last_mut() {
            parent.push(inline);
        }
    }

    fn open_frame(&mut self, frame: Frame) {
        self.finish_leaf();
        if self.depth() >= MAX_NESTING {
            self.frames.push(Frame::Flattened);
        } else {
            self.frames.push(frame);
        }
    }

    fn close_frame(&mut self) {
        self.finish_leaf();
        match self.frames.pop() {
            Some(Frame::Quote(children)) => self.push_node(Node::Quote { children }),
            Some(Frame::List {
                ordered,
                start,
                items,
            }) => self.push_node(Node::List {
                ordered,
                start,
                items,
            }),
            Some(Frame::Item(children)) => match self.frames.last_mut() {
                Some(Frame::List { items, .. }) => items.push(children),
                _ => {
                    for child in children {
                        self.push_node(child);
                    }
                }
            },
            Some(Frame::Flattened) | None => {}
        }
    }

    /// Feeds one event. Returns the inlines of a table cell when one ends.
    pub fn event(&mut self, event: &Event) -> Option<Vec<Inline>> {
        if self.code.is_some() {
            self.code_event(event);
            return None;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.start_leaf(Leaf::Heading(*level as u8))
            }
            Event::Start(Tag::Paragraph) => self.start_leaf(Leaf::Paragraph),
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Paragraph) => self.finish_leaf(),
            Event::Start(Tag::BlockQuote(_)) => self.open_frame(Frame::Quote(Vec::new())),
            Event::Start(Tag::List(first)) => self.open_frame(Frame::List {
                ordered: first.is_some(),
                start: first.unwrap_or(1),
                items: Vec::new(),
            }),
            Event::Start(Tag::Item) => self.open_frame(Frame::Item(Vec::new())),
            Event::End(TagEnd::BlockQuote(_))
            | Event::End(TagEnd::List(_))
            | Event::End(TagEnd::Item) => self.close_frame(),
            Event::Start(Tag::CodeBlock(_)) => {
                self.finish_leaf();
                self.code = Some(String::new());
            }
            Event::Rule => {
                self.finish_leaf();
                self.push_node(Node::Rule);
            }
            Event::Start(Tag::Table(_)) => self.finish_leaf(),
            Event::Start(Tag::TableCell) => self.start_leaf(Leaf::Cell),
            Event::End(TagEnd::TableCell) => {
                self.finish_leaf();
                return Some(self.cell.take().unwrap_or_default());
            }
            _ => self.inline_event(event),
        }
        None
    }

    /// Inside a code block: its text is kept as it is, until the block ends.
    fn code_event(&mut self, event: &Event) {
        match event {
            Event::Text(t) => {
                if let Some(code) = self.code.as_mut() {
                    code.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let text = self.code.take().unwrap_or_default();
                self.push_node(Node::Code { text });
            }
            _ => {}
        }
    }

    /// An event within a leaf: emphasis, links and images open and close, text is added.
    fn inline_event(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Strong) => self.open_inline(Wrap::Strong),
            Event::Start(Tag::Emphasis) => self.open_inline(Wrap::Emph),
            Event::Start(Tag::Strikethrough) => self.open_inline(Wrap::Strike),
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.open_inline(Wrap::Link(safe_href(dest_url)))
            }
            Event::Start(Tag::Image { .. }) => self.open_inline(Wrap::Image),
            Event::End(TagEnd::Strong)
            | Event::End(TagEnd::Emphasis)
            | Event::End(TagEnd::Strikethrough)
            | Event::End(TagEnd::Link)
            | Event::End(TagEnd::Image) => self.close_inline(),
            // Raw HTML is paper text like any other: kept as literal text, escaped when shown.
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                self.add_inline(Inline::Text {
                    text: t.to_string(),
                })
            }
            Event::Code(t) => self.add_inline(Inline::Code {
                text: t.to_string(),
            }),
            Event::SoftBreak => self.add_inline(Inline::Text { text: " ".into() }),
            Event::HardBreak => self.add_inline(Inline::Break),
            _ => {}
        }
    }

    /// Records where a table stands in the flow. A paragraph straight before it that the
    /// flat pass took as its caption (`… {#id}`) is the table's caption, not a paragraph.
    pub fn table(&mut self, index: usize, captioned: bool) {
        self.finish_leaf();
        if captioned {
            let container = self.container();
            if matches!(container.last(), Some(Node::Paragraph { .. })) {
                container.pop();
            }
        }
        self.push_node(Node::Table { index });
    }

    pub fn finish(mut self) -> Vec<Node> {
        self.finish_leaf();
        while !self.frames.is_empty() {
            self.close_frame();
        }
        self.root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_links_are_kept() {
        assert_eq!(
            safe_href("https://kent.gov.uk"),
            Some("https://kent.gov.uk".into())
        );
        assert_eq!(
            safe_href("mailto:a@kent.gov.uk"),
            Some("mailto:a@kent.gov.uk".into())
        );
        assert_eq!(
            safe_href("../report.html#s2"),
            Some("../report.html#s2".into())
        );
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//evil.example",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
    }
}
