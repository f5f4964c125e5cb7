//! The literal forms of a metadata file: `[heading]` names with their escapes, and values —
//! plain or quoted text, or `[A, B]` lists.

use super::ParseError;
use super::document::Value;

/// The name in a `[name]` heading, undoing `\]`, `\\` and the other escapes [`escape_heading`]
/// writes.
pub(super) fn parse_heading(text: &str, line: usize) -> Result<String, ParseError> {
    let mut name = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((index, c)) = chars.next() {
        match c {
            ']' => {
                let after = text[index + 1..].trim();
                if !after.is_empty() {
                    return Err(ParseError::new(
                        line,
                        format!("unexpected `{after}` after the heading's closing `]`"),
                    ));
                }
                return Ok(name);
            }
            '\\' => {
                let Some((_, escaped)) = chars.next() else {
                    break;
                };
                let unescaped = match escaped {
                    ']' | '[' | '\\' => escaped,
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'x' | 'u' => {
                        let digits: String = chars
                            .by_ref()
                            .take(if escaped == 'x' { 2 } else { 4 })
                            .map(|(_, d)| d)
                            .collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .filter(|_| digits.len() == if escaped == 'x' { 2 } else { 4 })
                            .and_then(char::from_u32)
                            .ok_or_else(|| {
                                ParseError::new(
                                    line,
                                    format!("bad escape `\\{escaped}{digits}` in heading"),
                                )
                            })?
                    }
                    other => {
                        return Err(ParseError::new(
                            line,
                            format!(
                                "unknown escape `\\{other}` in heading (write `\\\\` for a backslash)"
                            ),
                        ));
                    }
                };
                name.push(unescaped);
            }
            _ => name.push(c),
        }
    }
    Err(ParseError::new(
        line,
        "unterminated heading: no closing `]` (write `\\]` for a `]` inside a name)",
    ))
}

/// A section name escaped for a `[heading]` line, so [`Metadata::parse`] reads it back exactly and
/// it stays on one line.
pub fn escape_heading(name: &str) -> String {
    let mut escaped = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ']' => escaped.push_str("\\]"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                escaped.push_str(&format!("\\x{:02x}", c as u32));
            }
            // Other line breaks would split the heading when the file is read by lines.
            '\u{85}' | '\u{2028}' | '\u{2029}' => {
                escaped.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// A value as written after `key:` or `if …:`. Well-formed `[a, b]` is a list; anything else
/// (including a reason that merely starts with `[`) is text, with one pair of quotes removed.
pub(super) fn parse_value(text: &str) -> Value {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
        && let Some(items) = split_list(inner)
    {
        return Value::List(items);
    }
    Value::Text(unquote(text).unwrap_or_else(|| text.to_owned()))
}

/// Like [`parse_value`], but a value that opens a quote and never closes it is an error rather
/// than literal text, because it almost always means a typo.
pub(super) fn parse_value_strict(text: &str, line: usize) -> Result<Value, ParseError> {
    let text = text.trim();
    if text.starts_with(['"', '\'']) && unquote(text).is_none() {
        return Err(ParseError::new(
            line,
            format!("badly quoted value `{text}`"),
        ));
    }
    Ok(parse_value(text))
}

/// The contents of a string wholly enclosed in matching quotes, with `\` escapes undone.
fn unquote(text: &str) -> Option<String> {
    let quote = text.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let mut result = String::new();
    let mut chars = text[1..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => result.push('\n'),
                't' => result.push('\t'),
                other => result.push(other),
            },
            _ if c == quote => return chars.as_str().is_empty().then_some(result),
            _ => result.push(c),
        }
    }
    None
}

/// The items of a list body, split on commas outside quotes; `None` if an item is malformed.
fn split_list(inner: &str) -> Option<Vec<String>> {
    if inner.trim().is_empty() {
        return Some(Vec::new());
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in inner.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == ',' => items.push(std::mem::take(&mut current)),
            None => {
                if matches!(c, '"' | '\'') {
                    quote = Some(c);
                }
                current.push(c);
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| {
            let item = item.trim();
            if item.is_empty() || item.contains(['[', ']']) {
                None
            } else if item.starts_with(['"', '\'']) {
                unquote(item)
            } else {
                Some(item.to_owned())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_escapes_round_trip() {
        let names = [
            "a]b",
            "back\\slash",
            "[bracketed]",
            "new\nline",
            "tab\tand\u{1}ctl",
            "next\u{85}line and\u{2028}separator",
            "",
        ];
        for name in names {
            let heading = format!("[{}]", escape_heading(name));
            let line_breaks = ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'];
            assert!(!heading.contains(line_breaks), "{heading:?}");
            assert_eq!(
                parse_heading(&heading, 1).as_deref(),
                Ok(name),
                "{heading:?}"
            );
        }
        assert_eq!(escape_heading("a]b\\c"), "a\\]b\\\\c");
        assert_eq!(parse_heading("[\\x41\\u00e9]", 1).as_deref(), Ok("A\u{e9}"));
    }

    #[test]
    fn values_are_text_or_well_formed_lists() {
        assert_eq!(parse_value(" FAIL "), Value::Text("FAIL".to_owned()));
        assert_eq!(parse_value("\"a: b\""), Value::Text("a: b".to_owned()));
        assert_eq!(
            parse_value("[PASS, 'x, y', \"z\"]"),
            Value::List(vec!["PASS".to_owned(), "x, y".to_owned(), "z".to_owned()])
        );
        assert_eq!(parse_value("[]"), Value::List(Vec::new()));
        // A reason that merely starts with `[` is text.
        assert_eq!(parse_value("[a, [b]]"), Value::Text("[a, [b]]".to_owned()));
        assert!(parse_value_strict("\"unclosed", 7).is_err_and(|error| error.line == 7));
    }
}
