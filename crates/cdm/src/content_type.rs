//! MIME type parsing for `MediaKeySystemMediaCapability.contentType`.
//!
//! The spec leaves "invalid or unrecognized MIME type" to RFC 6838 / RFC 6381; this parser
//! follows the RFC grammar (`type "/" subtype *( OWS ";" OWS name "=" value )`, value a
//! token or a quoted-string) and is deliberately tolerant only of whitespace around `;`
//! and `=` and at the ends, which real pages use. Type, subtype and parameter names are
//! ASCII case-insensitive (RFC 6838 §4.2, RFC 2045); parameter values, and so codec names,
//! keep their case (RFC 6381: "values are case sensitive").

/// A parsed content type. `type_` and `subtype` are lower-cased; each parameter name is
/// lower-cased and its value unquoted but otherwise untouched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    /// The top-level type, e.g. `video` (`type` is a keyword, hence the underscore).
    pub type_: String,
    /// The subtype, e.g. `mp4`.
    pub subtype: String,
    /// `(name, value)` pairs in source order; no name appears twice.
    pub parameters: Vec<(String, String)>,
}

/// Why a string is not a valid content type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContentTypeError {
    /// The text does not start with a type token (e.g. it is empty or starts with `/`).
    #[error("the type is missing or not a token")]
    InvalidType,
    /// The type is not followed directly by `/` (`video`, `video /mp4`).
    #[error("there is no '/' after the type")]
    MissingSlash,
    /// No subtype token follows the `/` (`video/`).
    #[error("the subtype is missing or not a token")]
    InvalidSubtype,
    /// Text after the subtype is not a `; name=value` parameter: a missing `;`, name, `=`
    /// or value.
    #[error("a parameter is not of the form name=value")]
    InvalidParameter,
    /// A quoted-string value has no closing `"`.
    #[error("a quoted parameter value is not terminated")]
    UnterminatedQuote,
    /// This parameter (name lower-cased) is given twice, so its value would be ambiguous.
    #[error("parameter '{0}' appears more than once")]
    DuplicateParameter(String),
}

impl ContentType {
    /// Parses `text`, e.g. `video/mp4; codecs="avc1.64001F, mp4a.40.2"`.
    pub fn parse(text: &str) -> Result<Self, ContentTypeError> {
        let mut scanner = Scanner::new(text);
        scanner.skip_whitespace();
        let type_ = scanner.token().ok_or(ContentTypeError::InvalidType)?;
        if !scanner.eat('/') {
            return Err(ContentTypeError::MissingSlash);
        }
        let subtype = scanner.token().ok_or(ContentTypeError::InvalidSubtype)?;
        let mut parameters: Vec<(String, String)> = Vec::new();
        loop {
            scanner.skip_whitespace();
            if scanner.is_at_end() {
                break;
            }
            if !scanner.eat(';') {
                return Err(ContentTypeError::InvalidParameter);
            }
            scanner.skip_whitespace();
            let name = scanner
                .token()
                .ok_or(ContentTypeError::InvalidParameter)?
                .to_ascii_lowercase();
            scanner.skip_whitespace();
            if !scanner.eat('=') {
                return Err(ContentTypeError::InvalidParameter);
            }
            scanner.skip_whitespace();
            let value = if scanner.peek() == Some('"') {
                scanner.quoted_string()?
            } else {
                scanner
                    .token()
                    .ok_or(ContentTypeError::InvalidParameter)?
                    .to_owned()
            };
            // A repeated parameter (two `codecs`) has no single meaning; reject rather than
            // pick one silently.
            if parameters.iter().any(|(existing, _)| *existing == name) {
                return Err(ContentTypeError::DuplicateParameter(name));
            }
            parameters.push((name, value));
        }
        Ok(ContentType {
            type_: type_.to_ascii_lowercase(),
            subtype: subtype.to_ascii_lowercase(),
            parameters,
        })
    }

    /// `type/subtype`, lower-cased: the container for codec lookups.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.type_, self.subtype)
    }

    /// The value of parameter `name` (lower-case), if present.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|(parameter, _)| parameter == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Splits an RFC 6381 `codecs` value on commas, trimming whitespace around each entry.
/// `None` when the list or any entry is empty (`codecs=""`, `codecs="a,,b"`): that is a
/// malformed value, not "no codecs".
pub fn split_codecs(value: &str) -> Option<Vec<&str>> {
    let codecs: Vec<&str> = value
        .split(',')
        .map(|codec| codec.trim_matches(is_whitespace))
        .collect();
    if codecs.iter().any(|codec| codec.is_empty()) {
        return None;
    }
    Some(codecs)
}

/// Optional whitespace (RFC 7230 OWS is space and tab; line breaks are tolerated too since
/// they cannot be confused with anything else in a content type).
fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// RFC 7230 `tchar`.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A cursor over the content type string.
struct Scanner<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner { text, position: 0 }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.position..).unwrap_or("")
    }

    fn is_at_end(&self) -> bool {
        self.rest().is_empty()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn advance(&mut self, c: char) {
        self.position = self.position.saturating_add(c.len_utf8());
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.advance(expected);
            true
        } else {
            false
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(c) = self.peek().filter(|&c| is_whitespace(c)) {
            self.advance(c);
        }
    }

    /// A non-empty run of token characters.
    fn token(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        let length = rest.find(|c: char| !is_token_char(c)).unwrap_or(rest.len());
        let token = rest.get(..length).filter(|token| !token.is_empty())?;
        self.position = self.position.saturating_add(length);
        Some(token)
    }

    /// An RFC 7230 quoted-string starting at the current `"`, with `\` escapes resolved.
    fn quoted_string(&mut self) -> Result<String, ContentTypeError> {
        let mut value = String::new();
        if !self.eat('"') {
            return Err(ContentTypeError::InvalidParameter);
        }
        loop {
            let c = self.peek().ok_or(ContentTypeError::UnterminatedQuote)?;
            self.advance(c);
            match c {
                '"' => return Ok(value),
                '\\' => {
                    let escaped = self.peek().ok_or(ContentTypeError::UnterminatedQuote)?;
                    self.advance(escaped);
                    value.push(escaped);
                }
                // Control characters other than tab are not allowed in a quoted-string.
                c if c.is_ascii_control() && c != '\t' => {
                    return Err(ContentTypeError::InvalidParameter);
                }
                c => value.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ContentType {
        ContentType::parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"))
    }

    #[test]
    fn container_only() {
        let parsed = parse("video/mp4");
        assert_eq!(parsed.essence(), "video/mp4");
        assert!(parsed.parameters.is_empty());
    }

    #[test]
    fn type_subtype_and_names_are_case_insensitive_values_are_not() {
        let parsed = parse("VIDEO/Mp4; CODECS=\"AVC1.64001F\"");
        assert_eq!(parsed.essence(), "video/mp4");
        assert_eq!(parsed.parameter("codecs"), Some("AVC1.64001F"));
    }

    #[test]
    fn whitespace_around_separators_and_ends() {
        for text in [
            "video/webm;codecs=\"vp8\"",
            "video/webm; codecs=\"vp8\"",
            "video/webm ;codecs=\"vp8\"",
            "video/webm ; codecs = \"vp8\"",
            "  video/webm;\tcodecs=vp8  ",
        ] {
            let parsed = parse(text);
            assert_eq!(parsed.essence(), "video/webm", "{text:?}");
            assert_eq!(parsed.parameter("codecs"), Some("vp8"), "{text:?}");
        }
    }

    #[test]
    fn quoted_values_keep_inner_text_and_resolve_escapes() {
        assert_eq!(
            parse("audio/mp4;codecs=\"mp4a.40.2, opus\"").parameter("codecs"),
            Some("mp4a.40.2, opus")
        );
        assert_eq!(parse("audio/mp4;x=\"a\\\"b\"").parameter("x"), Some("a\"b"));
        assert_eq!(parse("audio/mp4;x=\"\"").parameter("x"), Some(""));
    }

    #[test]
    fn several_parameters() {
        let parsed = parse("video/mp4; codecs=avc1.42E01E; profiles=\"a\"");
        assert_eq!(parsed.parameters.len(), 2);
        assert_eq!(parsed.parameter("profiles"), Some("a"));
    }

    #[test]
    fn invalid_content_types() {
        for (text, error) in [
            ("", ContentTypeError::InvalidType),
            ("   ", ContentTypeError::InvalidType),
            ("/mp4", ContentTypeError::InvalidType),
            ("video", ContentTypeError::MissingSlash),
            ("video mp4", ContentTypeError::MissingSlash),
            ("video /mp4", ContentTypeError::MissingSlash),
            ("video/", ContentTypeError::InvalidSubtype),
            ("video/ mp4", ContentTypeError::InvalidSubtype),
            ("video/mp4/x", ContentTypeError::InvalidParameter),
            ("video/mp4 codecs=vp9", ContentTypeError::InvalidParameter),
            ("video/mp4;", ContentTypeError::InvalidParameter),
            ("video/mp4;codecs", ContentTypeError::InvalidParameter),
            ("video/mp4;codecs=", ContentTypeError::InvalidParameter),
            ("video/mp4;=vp9", ContentTypeError::InvalidParameter),
            (
                "video/mp4;codecs=\"vp9",
                ContentTypeError::UnterminatedQuote,
            ),
            (
                "video/mp4;codecs=\"vp9\\",
                ContentTypeError::UnterminatedQuote,
            ),
            (
                "video/mp4;codecs=\"vp9\"x",
                ContentTypeError::InvalidParameter,
            ),
            (
                "video/mp4;codecs=vp9;CODECS=vp8",
                ContentTypeError::DuplicateParameter("codecs".to_owned()),
            ),
            ("vidéo/mp4", ContentTypeError::MissingSlash),
            (
                "video/mp4;codecs=\"a\u{0}\"",
                ContentTypeError::InvalidParameter,
            ),
        ] {
            assert_eq!(ContentType::parse(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn codecs_lists() {
        assert_eq!(split_codecs("vp8"), Some(vec!["vp8"]));
        assert_eq!(
            split_codecs(" avc1.42E01E , mp4a.40.2 "),
            Some(vec!["avc1.42E01E", "mp4a.40.2"])
        );
        assert_eq!(split_codecs(""), None);
        assert_eq!(split_codecs("  "), None);
        assert_eq!(split_codecs("vp8,"), None);
        assert_eq!(split_codecs("vp8,,vorbis"), None);
    }
}
