//! The HTML fragment serialization algorithm, for the `innerHTML` getter:
//! <https://html.spec.whatwg.org/multipage/parsing.html#serialising-html-fragments>, for the
//! node kinds this host has (elements and text; no comments, doctypes or templates).

use boa_engine::JsString;

use crate::element;
use crate::node::{NodeHandle, NodeKind};

/// Elements serialized without children or an end tag.
const VOID_ELEMENTS: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose text children are written as is.
const RAW_TEXT_PARENTS: [&str; 8] = [
    "style",
    "script",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
];

/// Escapes `&`, no-break space, and either `"` (attribute mode) or `<` and `>` (text mode).
fn escape(text: &JsString, attribute_mode: bool, out: &mut Vec<u16>) {
    for unit in text.iter() {
        let replacement: Option<&str> = match unit {
            0x26 => Some("&amp;"),
            0xA0 => Some("&nbsp;"),
            0x22 if attribute_mode => Some("&quot;"),
            0x3C if !attribute_mode => Some("&lt;"),
            0x3E if !attribute_mode => Some("&gt;"),
            _ => None,
        };
        match replacement {
            Some(entity) => out.extend(entity.encode_utf16()),
            None => out.push(unit),
        }
    }
}

/// The serialization of `node`'s children.
pub(crate) fn serialize_children(node: &NodeHandle) -> JsString {
    let mut out = Vec::new();
    // An explicit stack of work, so a deep tree cannot exhaust the native stack.
    enum Work {
        Node(NodeHandle, bool),
        EndTag(String),
    }
    let raw_text = |parent: &NodeHandle| {
        element::is_html(parent) && RAW_TEXT_PARENTS.contains(&element::local_name(parent).as_str())
    };
    let mut stack: Vec<Work> = node
        .children()
        .into_iter()
        .rev()
        .map(|child| Work::Node(child, raw_text(node)))
        .collect();
    while let Some(work) = stack.pop() {
        match work {
            Work::EndTag(name) => out.extend(format!("</{name}>").encode_utf16()),
            Work::Node(child, in_raw_text) => {
                let text = match &child.state.borrow().kind {
                    NodeKind::Text(data) => Some(data.clone()),
                    _ => None,
                };
                if let Some(text) = text {
                    if in_raw_text {
                        out.extend(text.iter());
                    } else {
                        escape(&text, false, &mut out);
                    }
                    continue;
                }
                if !child.is_element() {
                    continue;
                }
                let name = element::tag_name_for_serialization(&child);
                out.extend(format!("<{name}").encode_utf16());
                for (attribute, value) in element::attribute_list(&child) {
                    out.extend(format!(" {attribute}=\"").encode_utf16());
                    escape(&value, true, &mut out);
                    out.push(u16::from(b'"'));
                }
                out.push(u16::from(b'>'));
                if element::is_html(&child) && VOID_ELEMENTS.contains(&name.as_str()) {
                    continue;
                }
                stack.push(Work::EndTag(name));
                let children_raw = raw_text(&child);
                stack.extend(
                    child
                        .children()
                        .into_iter()
                        .rev()
                        .map(|grandchild| Work::Node(grandchild, children_raw)),
                );
            }
        }
    }
    JsString::from(out.as_slice())
}
