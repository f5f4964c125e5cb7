//! The selectors `querySelector`, `querySelectorAll` and `matches` understand: a comma list of
//! compound selectors made of an optional type selector (`video`, `*`) followed by any number
//! of `#id` and `.class` selectors (<https://drafts.csswg.org/selectors-4/#compound>).
//!
//! Everything else — combinators, attribute and pseudo-class selectors, escapes — is rejected
//! with a `SyntaxError` `DOMException` whose message says the selector is not supported (a
//! browser would accept the valid ones among them). No quirks mode: ids and classes match
//! case-sensitively; type selectors match HTML elements ASCII case-insensitively.

use crate::element;
use crate::node::NodeHandle;

/// One compound selector.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Compound {
    /// The type selector; `None` for `*` or none at all.
    tag: Option<String>,
    ids: Vec<String>,
    classes: Vec<String>,
}

/// A parsed selector list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SelectorList(Vec<Compound>);

/// Why a selector was refused (the text of the `SyntaxError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) String);

/// <https://drafts.csswg.org/css-syntax-3/#ident-code-point>
fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii()
}

/// <https://drafts.csswg.org/css-syntax-3/#ident-start-code-point>
fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

/// Reads an identifier (no escapes) at the start of `text`, returning it and the rest.
fn identifier(text: &str) -> Option<(&str, &str)> {
    let end = text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len());
    let ident = &text[..end];
    let mut chars = ident.chars();
    let valid = match chars.next()? {
        '-' => match chars.next()? {
            '-' => true,
            c => is_ident_start(c),
        },
        c => is_ident_start(c),
    };
    valid.then_some((ident, &text[end..]))
}

fn compound(text: &str, whole: &str) -> Result<Compound, Unsupported> {
    let unsupported = || {
        Unsupported(format!(
            "'{whole}' is not a valid selector, or uses selectors other than type, #id and .class selectors, which this host does not support."
        ))
    };
    let mut selector = Compound::default();
    let mut rest = text;
    if let Some(after) = rest.strip_prefix('*') {
        rest = after;
    } else if let Some((tag, after)) = identifier(rest) {
        selector.tag = Some(tag.to_owned());
        rest = after;
    } else if rest.is_empty() {
        return Err(unsupported());
    }
    while !rest.is_empty() {
        let (marker, after) = rest.split_at(1);
        let (name, after) = identifier(after).ok_or_else(unsupported)?;
        match marker {
            "#" => selector.ids.push(name.to_owned()),
            "." => selector.classes.push(name.to_owned()),
            _ => return Err(unsupported()),
        }
        rest = after;
    }
    Ok(selector)
}

fn trim_ascii_whitespace(text: &str) -> &str {
    text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
}

/// Parses `text` (<https://dom.spec.whatwg.org/#scope-match-a-selectors-string>, step 1).
pub(crate) fn parse(text: &str) -> Result<SelectorList, Unsupported> {
    text.split(',')
        .map(|part| compound(trim_ascii_whitespace(part), text))
        .collect::<Result<Vec<_>, _>>()
        .map(SelectorList)
}

impl SelectorList {
    /// Whether `node` (an element) matches any selector of the list.
    pub(crate) fn matches(&self, node: &NodeHandle) -> bool {
        if !node.is_element() {
            return false;
        }
        let case_insensitive_tag = element::is_html_in_html_document(node);
        let local_name = element::local_name(node);
        let id = element::attribute(node, "id").map(|v| v.to_std_string_escaped());
        let class = element::attribute(node, "class").map(|v| v.to_std_string_escaped());
        let classes: Vec<&str> = class
            .as_deref()
            .map(|c| c.split_ascii_whitespace().collect())
            .unwrap_or_default();
        self.0.iter().any(|selector| {
            let tag_matches = selector.tag.as_ref().is_none_or(|tag| {
                if case_insensitive_tag {
                    tag.eq_ignore_ascii_case(&local_name)
                } else {
                    *tag == local_name
                }
            });
            tag_matches
                && selector
                    .ids
                    .iter()
                    .all(|wanted| id.as_deref() == Some(wanted))
                && selector
                    .classes
                    .iter()
                    .all(|wanted| classes.contains(&wanted.as_str()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compound_of(tag: Option<&str>, ids: &[&str], classes: &[&str]) -> Compound {
        Compound {
            tag: tag.map(str::to_owned),
            ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            classes: classes.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn parses_type_id_class_and_lists() {
        assert_eq!(
            parse("video").unwrap().0,
            vec![compound_of(Some("video"), &[], &[])]
        );
        assert_eq!(
            parse("#log").unwrap().0,
            vec![compound_of(None, &["log"], &[])]
        );
        assert_eq!(
            parse(" div#a.b.c , *.d,span").unwrap().0,
            vec![
                compound_of(Some("div"), &["a"], &["b", "c"]),
                compound_of(None, &[], &["d"]),
                compound_of(Some("span"), &[], &[]),
            ]
        );
        assert_eq!(
            parse("--x").unwrap().0,
            vec![compound_of(Some("--x"), &[], &[])]
        );
    }

    #[test]
    fn refuses_everything_else() {
        for text in [
            "",
            " ",
            "div p",
            "div > p",
            "a,",
            ",a",
            "#",
            ".",
            "#1a",
            "[id]",
            "a:hover",
            "a::before",
            "a\\b",
            "1a",
            "a+b",
            "a~b",
            "#a#",
            "*#a b",
        ] {
            assert!(parse(text).is_err(), "{text:?} should be refused");
        }
    }
}
