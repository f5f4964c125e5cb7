//! What went wrong during a run, as data: uncaught exceptions (HTML's "report an exception")
//! and unhandled promise rejections, formatted the way a browser console shows them.
//!
//! Format (one entry; the first line names the error, the following lines locate it):
//!
//! ```text
//! Uncaught TypeError: boom
//!     at fail (app.js:2:9)
//!     at <main> (app.js:5:1)
//! ```
//!
//! * Error objects (native or thrown from JS): `name: message`, then the frames Boa recorded.
//! * Objects with a `message` but no stack (a `DOMException`, `{name, message}`): `name: message`,
//!   then the frames of the `throw` site when Boa has them.
//! * Other thrown values (`throw 42`, `throw "oops"`): the value, then the `throw` site.
//! * Syntax errors of a script: `SyntaxError: <parser message>` then `    at file:line:col`.
//! * Unhandled rejections: the same, prefixed `Uncaught (in promise)`.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use boa_engine::{Context, JsError, JsString, JsValue, js_string};

/// How many frames of an engine error's backtrace (often a runaway recursion) are kept.
const ENGINE_ERROR_FRAMES: usize = 10;

/// One problem observed during a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An exception nobody caught: thrown by a script, a task, a timer, a microtask or an
    /// event listener. The text starts with `Uncaught `.
    UncaughtError(String),
    /// A promise rejected with no handler by the end of a microtask checkpoint. The text
    /// starts with `Uncaught (in promise) `.
    UnhandledRejection(String),
}

impl Problem {
    /// The formatted, multi-line text, exactly as printed on stderr.
    pub fn text(&self) -> &str {
        match self {
            Self::UncaughtError(text) | Self::UnhandledRejection(text) => text,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// Everything reported so far, in the order it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Uncaught errors and unhandled rejections, chronologically.
    pub problems: Vec<Problem>,
}

impl RunReport {
    /// `true` when nothing was reported: the run "passed".
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The texts of the uncaught errors.
    pub fn uncaught_errors(&self) -> impl Iterator<Item = &str> {
        self.problems.iter().filter_map(|problem| match problem {
            Problem::UncaughtError(text) => Some(text.as_str()),
            Problem::UnhandledRejection(_) => None,
        })
    }

    /// The texts of the unhandled rejections.
    pub fn unhandled_rejections(&self) -> impl Iterator<Item = &str> {
        self.problems.iter().filter_map(|problem| match problem {
            Problem::UnhandledRejection(text) => Some(text.as_str()),
            Problem::UncaughtError(_) => None,
        })
    }
}

/// Where reported problems go: collected for the [`Runtime`](crate::Runtime) and, unless the
/// embedder opted out, printed on stderr as they happen.
#[derive(Debug)]
pub(crate) struct ReportSink {
    print: bool,
    pending: RefCell<Vec<Problem>>,
}

impl ReportSink {
    pub(crate) fn new(print: bool) -> Rc<Self> {
        Rc::new(Self {
            print,
            pending: RefCell::default(),
        })
    }

    pub(crate) fn push(&self, problem: Problem) {
        if self.print {
            eprintln!("{problem}");
        }
        self.pending.borrow_mut().push(problem);
    }

    /// Hands over what was reported since the last call.
    pub(crate) fn take(&self) -> Vec<Problem> {
        std::mem::take(&mut *self.pending.borrow_mut())
    }
}

/// `Uncaught <description of error>`.
pub(crate) fn uncaught(error: &JsError, ctx: &mut Context) -> String {
    format!("Uncaught {}", describe_error(error, ctx))
}

/// `Uncaught (in promise) <description of reason>`.
pub(crate) fn uncaught_in_promise(reason: &JsValue, ctx: &mut Context) -> String {
    let error = JsError::from_opaque(reason.clone());
    format!("Uncaught (in promise) {}", describe_error(&error, ctx))
}

/// A syntax error found while parsing the script `file` whose text is `source`.
///
/// Boa 0.22 turns parser errors into a plain `SyntaxError` whose message ends in
/// `at line L, col C` (or has no position at all for "abrupt end", i.e. the input ended early)
/// and carries no file name, so the location is rebuilt here.
pub(crate) fn uncaught_syntax_error(error: &JsError, file: &str, source: &str) -> String {
    let message = error
        .as_native()
        .map_or_else(|| error.to_string(), |native| native.message().to_owned());
    let (message, position) = split_parser_position(&message);
    // Boa's wording for "the input ended in the middle of a construct".
    let message = if message == "abrupt end" {
        "unexpected end of input"
    } else {
        message
    };
    let (line, column) = position.unwrap_or_else(|| end_of(source));
    format!("Uncaught SyntaxError: {message}\n    at {file}:{line}:{column}")
}

/// Splits `"unexpected token ';' at line 2, col 9"` into the message and `(2, 9)`.
fn split_parser_position(message: &str) -> (&str, Option<(u32, u32)>) {
    let Some(at) = message.rfind(" at line ") else {
        return (message, None);
    };
    let position = message[at + " at line ".len()..]
        .split_once(", col ")
        .and_then(|(line, column)| Some((line.parse().ok()?, column.parse().ok()?)));
    match position {
        Some(position) => (&message[..at], Some(position)),
        None => (message, None),
    }
}

/// The 1-based line and column just past the last character of `source`.
fn end_of(source: &str) -> (u32, u32) {
    let line = source.matches('\n').count() + 1;
    let last_line = source.rsplit('\n').next().unwrap_or("");
    let column = last_line.chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// The error's description and location, without the `Uncaught` prefix.
fn describe_error(error: &JsError, ctx: &mut Context) -> String {
    let full = error.to_string();
    // `JsError`'s Display is the bare error followed by one "\n    at frame" line per frame of
    // the backtrace Boa recorded when it was thrown; keep those lines, rewrite the head.
    let head = if let Some(native) = error.as_native() {
        native.to_string()
    } else if let Some(value) = error.as_opaque() {
        value.display().to_string()
    } else {
        // An engine error (runtime limit): no JS value exists; keep Boa's text, shortened.
        return shorten_frames(&full);
    };
    let frames = full.strip_prefix(head.as_str()).unwrap_or_default();
    let description = match error.clone().into_opaque(ctx) {
        Ok(value) => describe_value(&value, ctx),
        Err(_) => head,
    };
    format!("{description}{frames}")
}

/// `name: message` for error-like objects, the text of a string, else Boa's display.
fn describe_value(value: &JsValue, ctx: &mut Context) -> String {
    if let Some(string) = value.as_string() {
        return string.to_std_string_escaped();
    }
    let Some(object) = value.as_object() else {
        return value.display().to_string();
    };
    // Error instances inherit `message` from Error.prototype; DOMException has a getter;
    // a plain `{name, message}` object has its own.
    if !object
        .has_property(js_string!("message"), ctx)
        .unwrap_or(false)
    {
        return value.display().to_string();
    }
    let name = string_property(value, js_string!("name"), ctx).unwrap_or_else(|| "Error".into());
    let message = string_property(value, js_string!("message"), ctx).unwrap_or_default();
    match (name.is_empty(), message.is_empty()) {
        (_, true) => name,
        (true, false) => message,
        (false, false) => format!("{name}: {message}"),
    }
}

/// `ToString(value[key])`, or `None` when it is undefined or cannot be converted.
fn string_property(value: &JsValue, key: JsString, ctx: &mut Context) -> Option<String> {
    let property = value.as_object()?.get(key, ctx).ok()?;
    if property.is_undefined() {
        return None;
    }
    Some(property.to_string(ctx).ok()?.to_std_string_escaped())
}

fn shorten_frames(text: &str) -> String {
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_owned();
    let frames: Vec<&str> = lines.collect();
    for frame in frames.iter().take(ENGINE_ERROR_FRAMES) {
        out.push('\n');
        out.push_str(frame);
    }
    if frames.len() > ENGINE_ERROR_FRAMES {
        out.push_str(&format!(
            "\n    ... {} more frames",
            frames.len() - ENGINE_ERROR_FRAMES
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_positions_are_split_off() {
        assert_eq!(
            split_parser_position("unexpected token ';', primary expression at line 2, col 9"),
            ("unexpected token ';', primary expression", Some((2, 9)))
        );
        assert_eq!(split_parser_position("abrupt end"), ("abrupt end", None));
    }

    #[test]
    fn end_of_source_is_one_past_the_last_character() {
        assert_eq!(end_of(""), (1, 1));
        assert_eq!(end_of("a\nfoo("), (2, 5));
        assert_eq!(end_of("a\n"), (2, 1));
    }
}
