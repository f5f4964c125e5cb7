//! The small, tolerant HTML reader behind [`crate::page`]: a tokenizer for the markup subset
//! test pages use, and the tree builder that turns a page's body markup into the steps the
//! page environment replays through the native DOM, interleaved with the page's scripts.
//!
//! Understood: start and end tags (names are lower-cased; any characters up to whitespace,
//! `/` or `>`), void elements, attributes (double-/single-quoted, unquoted, boolean; the
//! first of a repeated name wins), the character references `&amp; &lt; &gt; &quot; &apos;
//! &nbsp;` and numeric ones (`&#65;`, `&#x41;`), comments, doctypes and processing
//! instructions (skipped), and the raw text of `<script>`, `<style>`, `<title>`, `<textarea>`
//! and `<xmp>`. Tree building knows the head/body split (head-only elements before the first
//! body content stay out of the body; `<body>` attributes go to `document.body`), end tags
//! that close the nearest open element of their name (stray ones are ignored), and the basic
//! implied end tags: a block start tag closes an open `<p>`, `<li>` an open `<li>`, `<dt>` /
//! `<dd>` an open `<dt>` / `<dd>`, `<option>` an open `<option>`.
//!
//! Not handled (the markup is read as written): other implied end tags and the adoption
//! agency algorithm for misnested formatting elements, table / template / select fix-ups
//! (a `<template>`'s children become its ordinary children), foreign content (SVG / MathML
//! self-closing tags), named character references beyond the ones above, and `<noscript>`.
//! Malformed markup never fails: an unreadable `<` is text, an unterminated tag or comment
//! ends at the end of the file.

use serde::{Deserialize, Serialize};

/// One step of building the page's body, replayed by the page environment in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum BodyOp {
    /// Create an element with these attributes, append it to the current element and make it
    /// current (void elements are followed by [`BodyOp::Close`] at once).
    Open {
        /// The lower-cased tag name.
        name: String,
        /// The attributes, in markup order, values decoded.
        attributes: Vec<(String, String)>,
    },
    /// The current element is complete: its parent becomes current again.
    Close,
    /// Append a text node to the current element.
    Text {
        /// The decoded text.
        text: String,
    },
    /// Set these attributes on `document.body` (from a `<body>` start tag).
    Body {
        /// The attributes, in markup order, values decoded.
        attributes: Vec<(String, String)>,
    },
}

/// A start tag: lower-cased name, attributes (entities decoded), and where it ends.
#[derive(Debug, Clone)]
pub(crate) struct StartTag {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) end: usize,
}

impl StartTag {
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What the tokenizer reads.
#[derive(Debug)]
pub(crate) enum Token<'a> {
    /// A start tag (not one of the raw-text elements).
    Start(StartTag),
    /// An end tag's lower-cased name.
    End(String),
    /// Character data, decoded.
    Text(String),
    /// A raw-text element (`script`, `style`, `title`, `textarea`, `xmp`): its start tag, its
    /// text as written, and the byte offset where the text starts.
    Raw {
        tag: StartTag,
        text: &'a str,
        start: usize,
    },
}

const RAW_TEXT: [&str; 5] = ["script", "style", "title", "textarea", "xmp"];

/// Reads `html` into [`Token`]s; never fails.
pub(crate) struct Tokenizer<'a> {
    html: &'a str,
    at: usize,
}

impl<'a> Tokenizer<'a> {
    pub(crate) fn new(html: &'a str) -> Self {
        Tokenizer { html, at: 0 }
    }

    fn skip_past(&mut self, from: usize, terminator: &str) {
        self.at = self.html[from..]
            .find(terminator)
            .map_or(self.html.len(), |end| from + end + terminator.len());
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let html = self.html;
        loop {
            let start = self.at;
            if start >= html.len() {
                return None;
            }
            let rest = &html[start..];
            if !rest.starts_with('<') {
                let end = rest.find('<').map_or(html.len(), |p| start + p);
                self.at = end;
                return Some(Token::Text(decode_entities(&html[start..end])));
            }
            if rest.starts_with("<!--") {
                self.skip_past(start + 4, "-->");
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                self.skip_past(start, ">");
                continue;
            }
            if let Some(after) = rest.strip_prefix("</") {
                if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                    let name_len = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                        .unwrap_or(after.len());
                    let name = after[..name_len].to_ascii_lowercase();
                    self.skip_past(start + 2, ">");
                    return Some(Token::End(name));
                }
                // `</>` and `</ …>` are bogus comments.
                self.skip_past(start, ">");
                continue;
            }
            let Some(tag) = read_start_tag(html, start) else {
                self.at = start + 1;
                return Some(Token::Text("<".to_owned()));
            };
            self.at = tag.end;
            if RAW_TEXT.contains(&tag.name.as_str()) {
                let (text, text_start, after) = raw_text(html, tag.end, &tag.name);
                self.at = after;
                return Some(Token::Raw {
                    tag,
                    text,
                    start: text_start,
                });
            }
            return Some(Token::Start(tag));
        }
    }
}

pub(crate) fn read_start_tag(html: &str, start: usize) -> Option<StartTag> {
    let bytes = html.as_bytes();
    let mut at = start + 1;
    let name_start = at;
    if at >= bytes.len() || !bytes[at].is_ascii_alphabetic() {
        return None;
    }
    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && !matches!(bytes[at], b'/' | b'>')
    {
        at += 1;
    }
    let name = html[name_start..at].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return Some(StartTag {
                name,
                attributes,
                end: bytes.len(),
            });
        }
        if bytes[at] == b'>' {
            return Some(StartTag {
                name,
                attributes,
                end: at + 1,
            });
        }
        let key_start = at;
        at += 1;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let key = html[key_start..at].to_ascii_lowercase();
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = String::new();
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            if at < bytes.len() && matches!(bytes[at], b'"' | b'\'') {
                let quote = bytes[at];
                let value_start = at + 1;
                let value_end = html[value_start..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(bytes.len(), |p| value_start + p);
                value = decode_entities(&html[value_start..value_end]);
                at = (value_end + 1).min(bytes.len());
            } else {
                let value_start = at;
                while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>' {
                    at += 1;
                }
                value = decode_entities(&html[value_start..at]);
            }
        }
        if !attributes.iter().any(|(k, _)| *k == key) {
            attributes.push((key, value));
        }
    }
}

/// The raw text of an element up to its end tag (ASCII case-insensitive), where that text
/// starts, and where parsing resumes after the end tag.
pub(crate) fn raw_text<'a>(html: &'a str, from: usize, name: &str) -> (&'a str, usize, usize) {
    let end_tag = format!("</{name}");
    let lower = html[from..].to_ascii_lowercase();
    let Some(offset) = lower.find(&end_tag) else {
        return (&html[from..], from, html.len());
    };
    let text_end = from + offset;
    let after = html[text_end..]
        .find('>')
        .map_or(html.len(), |p| text_end + p + 1);
    (&html[from..text_end], from, after)
}

/// Decodes the character references test pages use in text and attributes.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &rest[1..semi];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|ch| (ch, semi + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that may appear in the head; before the body starts they are not body content.
const HEAD_ONLY: [&str; 8] = [
    "html", "head", "title", "meta", "link", "base", "style", "script",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: [&str; 26] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "ul",
];

/// Builds the body steps from tokens; `scripts` marks where each script runs.
#[derive(Debug, Default)]
pub(crate) struct BodyBuilder {
    in_body: bool,
    open: Vec<String>,
    chunks: Vec<Vec<BodyOp>>,
    current: Vec<BodyOp>,
}

impl BodyBuilder {
    /// A start tag outside raw text (`raw` gives a raw-text element's text).
    pub(crate) fn start(&mut self, tag: &StartTag, raw: Option<&str>) {
        let name = tag.name.as_str();
        match name {
            "html" | "head" => return,
            "body" => {
                self.in_body = true;
                if !tag.attributes.is_empty() {
                    self.current.push(BodyOp::Body {
                        attributes: tag.attributes.clone(),
                    });
                }
                return;
            }
            _ => {}
        }
        if !self.in_body {
            if HEAD_ONLY.contains(&name) {
                return;
            }
            self.in_body = true;
        }
        // The runner's head holds the page's title and scripts already.
        if matches!(name, "title" | "script") {
            return;
        }
        self.implied_end_tags(name);
        self.current.push(BodyOp::Open {
            name: tag.name.clone(),
            attributes: tag.attributes.clone(),
        });
        if let Some(text) = raw.filter(|text| !text.is_empty()) {
            self.current.push(BodyOp::Text {
                text: if name == "textarea" {
                    decode_entities(text)
                } else {
                    text.to_owned()
                },
            });
        }
        if raw.is_some() || VOID.contains(&name) {
            self.current.push(BodyOp::Close);
        } else {
            self.open.push(tag.name.clone());
        }
    }

    fn implied_end_tags(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close_within("p", &[]);
        }
        match name {
            "li" => self.close_within("li", &["ul", "ol"]),
            "dt" | "dd" => {
                self.close_within("dt", &["dl"]);
                self.close_within("dd", &["dl"]);
            }
            "option" => self.close_within("option", &["select", "datalist"]),
            _ => {}
        }
    }

    /// Closes the nearest open `name` unless one of `scopes` is open nearer.
    fn close_within(&mut self, name: &str, scopes: &[&str]) {
        for index in (0..self.open.len()).rev() {
            if self.open[index] == name {
                self.close_to(index);
                return;
            }
            if scopes.contains(&self.open[index].as_str()) {
                return;
            }
        }
    }

    fn close_to(&mut self, index: usize) {
        for _ in index..self.open.len() {
            self.current.push(BodyOp::Close);
        }
        self.open.truncate(index);
    }

    /// An end tag: closes the nearest open element of that name; stray ones are ignored.
    pub(crate) fn end(&mut self, name: &str) {
        if !self.in_body {
            return;
        }
        if let Some(index) = self.open.iter().rposition(|open| open == name) {
            self.close_to(index);
        }
    }

    /// Character data; whitespace before the body is not body content.
    pub(crate) fn text(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        if !self.in_body {
            if text.chars().all(|c| c.is_ascii_whitespace()) {
                return;
            }
            self.in_body = true;
        }
        self.current.push(BodyOp::Text { text });
    }

    /// A script runs here: what came before is inserted first.
    pub(crate) fn script(&mut self) {
        self.chunks.push(std::mem::take(&mut self.current));
    }

    /// The steps before each script, then the steps after the last one.
    pub(crate) fn finish(mut self) -> Vec<Vec<BodyOp>> {
        self.chunks.push(self.current);
        self.chunks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<String> {
        Tokenizer::new(html)
            .map(|token| match token {
                Token::Start(tag) => format!("<{} {:?}>", tag.name, tag.attributes),
                Token::End(name) => format!("</{name}>"),
                Token::Text(text) => format!("{text:?}"),
                Token::Raw { tag, text, .. } => format!("raw {} {text:?}", tag.name),
            })
            .collect()
    }

    fn body(html: &str) -> Vec<Vec<BodyOp>> {
        let mut builder = BodyBuilder::default();
        for token in Tokenizer::new(html) {
            match token {
                Token::Start(tag) => builder.start(&tag, None),
                Token::End(name) => builder.end(&name),
                Token::Text(text) => builder.text(text),
                Token::Raw { tag, .. } if tag.name == "script" => builder.script(),
                Token::Raw { tag, text, .. } => builder.start(&tag, Some(text)),
            }
        }
        builder.finish()
    }

    fn open(name: &str, attributes: &[(&str, &str)]) -> BodyOp {
        BodyOp::Open {
            name: name.into(),
            attributes: attributes
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        }
    }

    fn text(text: &str) -> BodyOp {
        BodyOp::Text { text: text.into() }
    }

    #[test]
    fn attributes_quoted_unquoted_boolean_and_repeated() {
        assert_eq!(
            tokens(
                r#"<VIDEO id="v" class='a b' src=x.mp4 autoplay muted WIDTH=320 id=w data-x="&quot;1&amp;2&#33;">"#
            ),
            [
                r#"<video [("id", "v"), ("class", "a b"), ("src", "x.mp4"), ("autoplay", ""), ("muted", ""), ("width", "320"), ("data-x", "\"1&2!")]>"#
            ]
        );
        assert_eq!(
            tokens("<my-element a = 1/><br/>"),
            [r#"<my-element [("a", "1/")]>"#, "<br []>"]
        );
    }

    #[test]
    fn text_entities_comments_and_raw_text() {
        assert_eq!(
            tokens(
                "<!DOCTYPE html>a &lt;b&gt; &#65;&#x42;<!-- <p> --><?x?><style>p>a{}</style></P >"
            ),
            [r#""a <b> AB""#, r#"raw style "p>a{}""#, "</p>"]
        );
    }

    #[test]
    fn malformed_markup_never_fails() {
        for html in [
            "<",
            "</",
            "<<>>",
            "a < b",
            "<div",
            "<div id=\"unterminated",
            "<!-- open",
            "</>",
            "</ x>",
            "<script>never closed",
            "<a b='&#xFFFFFFFF;'>",
            "&#;",
            "<\u{e9}>",
            "é<é",
        ] {
            let _ = body(html);
        }
        assert_eq!(tokens("a < b"), [r#""a ""#, r#""<""#, r#"" b""#]);
        assert_eq!(tokens("<div id=\"x"), [r#"<div [("id", "x")]>"#]);
    }

    #[test]
    fn body_nesting_void_elements_and_scripts_interleave() {
        let chunks = body(
            r#"<!DOCTYPE html><html><head><meta charset=utf-8><title>t</title>
<script src=a.js></script></head>
<body class=c><video id="v" src="x.mp4"><source src=y></video>
<div id=log>hi<br>there</div><script>1</script><p>after</body></html>"#,
        );
        assert_eq!(
            chunks,
            vec![
                vec![],
                vec![
                    BodyOp::Body {
                        attributes: vec![("class".into(), "c".into())]
                    },
                    open("video", &[("id", "v"), ("src", "x.mp4")]),
                    open("source", &[("src", "y")]),
                    BodyOp::Close,
                    BodyOp::Close,
                    text("\n"),
                    open("div", &[("id", "log")]),
                    text("hi"),
                    open("br", &[]),
                    BodyOp::Close,
                    text("there"),
                    BodyOp::Close,
                ],
                vec![open("p", &[]), text("after")],
            ]
        );
    }

    #[test]
    fn implied_and_stray_end_tags() {
        let chunks = body("<p>a<div>b</span></div><ul><li>1<li>2</ul><p>c<p>d");
        assert_eq!(
            chunks,
            vec![vec![
                open("p", &[]),
                text("a"),
                BodyOp::Close,
                open("div", &[]),
                text("b"),
                BodyOp::Close,
                open("ul", &[]),
                open("li", &[]),
                text("1"),
                BodyOp::Close,
                open("li", &[]),
                text("2"),
                BodyOp::Close,
                BodyOp::Close,
                open("p", &[]),
                text("c"),
                BodyOp::Close,
                open("p", &[]),
                text("d"),
            ]]
        );
        // Body content starts the body without a <body> tag; head elements before it do not.
        assert_eq!(
            body("<title>x</title><link rel=a>\n<span>s</span>"),
            vec![vec![open("span", &[]), text("s"), BodyOp::Close]]
        );
    }
}
