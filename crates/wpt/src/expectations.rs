//! wptrunner's expectation metadata: the `.ini`-like files that say which status each test page
//! and subtest is expected to end with, optionally depending on the run's configuration.
//!
//! ```text
//! # a comment
//! [foo.https.html]
//!   expected: ERROR
//!   [subtest name with \] escaped]
//!     expected:
//!       if os == "linux": FAIL
//!       [PASS, FAIL]
//!   disabled: reason text
//! ```
//!
//! Parsing keeps every source line, so [`update_metadata`] can rewrite only the entries a run
//! contradicts and leave everything else (conditions, comments, spacing) byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;

use thiserror::Error;

use crate::results::{FileResult, FileStatus, SubtestStatus};

// ---------------------------------------------------------------------------------------------
// Run info
// ---------------------------------------------------------------------------------------------

/// One value a condition can look up: wptrunner's run info holds strings, booleans and numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum RunInfoValue {
    /// A string such as `os = "linux"`.
    Text(String),
    /// A flag such as `debug = false`.
    Bool(bool),
    /// A number such as `bits = 64`.
    Number(f64),
}

impl RunInfoValue {
    /// How a bare value reads in `if debug:` or `not x`: Python-like truthiness, because that is
    /// what conditions written for wptrunner assume.
    fn is_truthy(&self) -> bool {
        match self {
            Self::Text(text) => !text.is_empty(),
            Self::Bool(flag) => *flag,
            Self::Number(number) => *number != 0.0,
        }
    }

    /// The JSON form; whole numbers are written as integers so `bits` reads `64`, not `64.0`.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Text(text) => serde_json::Value::String(text.clone()),
            Self::Bool(flag) => serde_json::Value::Bool(*flag),
            Self::Number(number) => {
                const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
                if number.fract() == 0.0 && number.abs() < EXACT_INTEGER_LIMIT {
                    serde_json::Value::from(*number as i64)
                } else {
                    serde_json::Number::from_f64(*number)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number)
                }
            }
        }
    }
}

impl fmt::Display for RunInfoValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Bool(flag) => write!(f, "{flag}"),
            Self::Number(number) => write!(f, "{number}"),
        }
    }
}

impl From<&str> for RunInfoValue {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<String> for RunInfoValue {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<bool> for RunInfoValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<f64> for RunInfoValue {
    fn from(value: f64) -> Self {
        Self::Number(value)
    }
}

impl From<i32> for RunInfoValue {
    fn from(value: i32) -> Self {
        Self::Number(f64::from(value))
    }
}

impl From<u32> for RunInfoValue {
    fn from(value: u32) -> Self {
        Self::Number(f64::from(value))
    }
}

impl From<i64> for RunInfoValue {
    fn from(value: i64) -> Self {
        Self::Number(value as f64)
    }
}

impl From<u64> for RunInfoValue {
    fn from(value: u64) -> Self {
        Self::Number(value as f64)
    }
}

/// The configuration a run happens in, which conditions in metadata are evaluated against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    // Sorted so reports list run info in a stable order.
    values: BTreeMap<String, RunInfoValue>,
}

impl RunInfo {
    /// A run info with no entries (every name in a condition is then undefined).
    pub fn new() -> Self {
        Self::default()
    }

    /// The configuration of this process: `product = "eme"`, `os` and `processor` as Rust names
    /// them (`linux`, `x86_64`, …), `debug` for a debug build, `bits` of a pointer, and `version`
    /// of the crate.
    pub fn current() -> Self {
        Self::new()
            .with("product", "eme")
            .with("os", std::env::consts::OS)
            .with("processor", std::env::consts::ARCH)
            .with("debug", cfg!(debug_assertions))
            .with("bits", usize::BITS)
            .with("version", env!("CARGO_PKG_VERSION"))
    }

    /// This run info with `key` set to `value` (replacing any earlier value).
    pub fn with(mut self, key: &str, value: impl Into<RunInfoValue>) -> Self {
        self.values.insert(key.to_owned(), value.into());
        self
    }

    /// The value of `key`, if set.
    pub fn get(&self, key: &str) -> Option<&RunInfoValue> {
        self.values.get(key)
    }

    /// Every entry, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RunInfoValue)> {
        self.values.iter().map(|(key, value)| (key.as_str(), value))
    }

    /// The entries as a JSON object, as wptreport's `run_info` carries them.
    pub fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.values
            .iter()
            .map(|(key, value)| (key.clone(), value.to_json()))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Resolved expectations
// ---------------------------------------------------------------------------------------------

/// The statuses an entry allows: the expected one, and others seen often enough to be tolerated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected<S> {
    /// The status the entry names first.
    pub expected: S,
    /// Further statuses that are also acceptable (the rest of an `[A, B, …]` list).
    pub known_intermittent: Vec<S>,
}

impl<S> Expected<S> {
    /// Exactly one acceptable status.
    pub fn exactly(status: S) -> Self {
        Self {
            expected: status,
            known_intermittent: Vec::new(),
        }
    }
}

impl<S: PartialEq> Expected<S> {
    /// Whether `actual` is the expected status or a known intermittent one.
    pub fn accepts(&self, actual: S) -> bool {
        self.expected == actual || self.known_intermittent.contains(&actual)
    }
}

impl Default for Expected<FileStatus> {
    fn default() -> Self {
        Self::exactly(FileStatus::Ok)
    }
}

impl Default for Expected<SubtestStatus> {
    fn default() -> Self {
        Self::exactly(SubtestStatus::Pass)
    }
}

/// What the metadata says about one test page, with conditions evaluated for one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileExpectation {
    /// `Some(reason)` when the page is not to be run.
    pub disabled: Option<String>,
    /// The harness status expected (`OK` by default).
    pub status: Expected<FileStatus>,
    /// Every subtest the metadata has a section for.
    pub subtests: BTreeMap<String, SubtestExpectation>,
}

impl FileExpectation {
    /// The expectation for the subtest `name`: its section's, or `PASS` when it has none.
    pub fn subtest(&self, name: &str) -> SubtestExpectation {
        self.subtests.get(name).cloned().unwrap_or_default()
    }
}

/// What the metadata says about one subtest, with conditions evaluated for one run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubtestExpectation {
    /// `Some(reason)` when the subtest's outcome is to be ignored.
    pub disabled: Option<String>,
    /// The status expected (`PASS` by default).
    pub status: Expected<SubtestStatus>,
}

// ---------------------------------------------------------------------------------------------
// Parse errors
// ---------------------------------------------------------------------------------------------

/// Why a metadata file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// The 1-based line the problem is on.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl ParseError {
    fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

/// A condition from an `if <condition>: value` line.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Literal(RunInfoValue),
    Name(String),
    Not(Box<Condition>),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Equals {
        left: Box<Condition>,
        right: Box<Condition>,
        negated: bool,
    },
}

impl Condition {
    /// The value the condition has; `None` for a name the run info does not define, which is
    /// unequal to everything and false, so metadata written for other products' keys still loads.
    fn evaluate(&self, run_info: &RunInfo) -> Option<RunInfoValue> {
        match self {
            Self::Literal(value) => Some(value.clone()),
            Self::Name(name) => run_info.get(name).cloned(),
            Self::Not(inner) => Some(RunInfoValue::Bool(!inner.holds(run_info))),
            Self::All(parts) => Some(RunInfoValue::Bool(parts.iter().all(|p| p.holds(run_info)))),
            Self::Any(parts) => Some(RunInfoValue::Bool(parts.iter().any(|p| p.holds(run_info)))),
            Self::Equals {
                left,
                right,
                negated,
            } => {
                let equal = match (left.evaluate(run_info), right.evaluate(run_info)) {
                    (Some(a), Some(b)) => a == b,
                    _ => false,
                };
                Some(RunInfoValue::Bool(equal != *negated))
            }
        }
    }

    fn holds(&self, run_info: &RunInfo) -> bool {
        self.evaluate(run_info)
            .is_some_and(|value| value.is_truthy())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Number(f64),
    OpenParen,
    CloseParen,
    Equal,
    NotEqual,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Word(word) => write!(f, "`{word}`"),
            Self::Text(text) => write!(f, "string \"{text}\""),
            Self::Number(number) => write!(f, "number {number}"),
            Self::OpenParen => f.write_str("`(`"),
            Self::CloseParen => f.write_str("`)`"),
            Self::Equal => f.write_str("`==`"),
            Self::NotEqual => f.write_str("`!=`"),
        }
    }
}

/// Splits `if <condition>: value` (given without the `if`) into the condition's tokens and the
/// value text. The `:` that ends the condition is the first one outside a string literal.
fn tokenize_condition(text: &str, line: usize) -> Result<(Vec<Token>, &str), ParseError> {
    let bad = |message: String| ParseError::new(line, format!("bad condition: {message}"));
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            ':' => return Ok((tokens, &text[start + 1..])),
            '(' => {
                chars.next();
                tokens.push(Token::OpenParen);
            }
            ')' => {
                chars.next();
                tokens.push(Token::CloseParen);
            }
            '=' | '!' => {
                chars.next();
                if chars.next_if(|&(_, next)| next == '=').is_none() {
                    return Err(bad(format!("`{c}` must be followed by `=`")));
                }
                tokens.push(if c == '=' {
                    Token::Equal
                } else {
                    Token::NotEqual
                });
            }
            '"' | '\'' => {
                chars.next();
                let mut literal = String::new();
                let mut closed = false;
                while let Some((_, next)) = chars.next() {
                    match next {
                        '\\' => match chars.next() {
                            Some((_, 'n')) => literal.push('\n'),
                            Some((_, 't')) => literal.push('\t'),
                            Some((_, escaped)) => literal.push(escaped),
                            None => break,
                        },
                        _ if next == c => {
                            closed = true;
                            break;
                        }
                        _ => literal.push(next),
                    }
                }
                if !closed {
                    return Err(bad("unterminated string literal".to_owned()));
                }
                tokens.push(Token::Text(literal));
            }
            _ if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut end = start;
                while let Some((index, next)) =
                    chars.next_if(|&(i, next)| next.is_ascii_digit() || next == '.' || i == start)
                {
                    end = index + next.len_utf8();
                }
                let literal = &text[start..end];
                let number = literal
                    .parse::<f64>()
                    .map_err(|_| bad(format!("`{literal}` is not a number")))?;
                tokens.push(Token::Number(number));
            }
            _ if c.is_alphabetic() || c == '_' => {
                let mut end = start;
                while let Some((index, next)) =
                    chars.next_if(|&(_, next)| next.is_alphanumeric() || next == '_')
                {
                    end = index + next.len_utf8();
                }
                tokens.push(Token::Word(text[start..end].to_owned()));
            }
            _ => return Err(bad(format!("unexpected character `{c}`"))),
        }
    }
    Err(bad(
        "missing the `:` between the condition and its value".to_owned()
    ))
}

/// Recursive-descent parser over condition tokens. Nesting is capped so a hostile file cannot
/// exhaust the stack; `and`/`or` chains are flat lists so they need no depth at all.
struct ConditionParser {
    tokens: Vec<Token>,
    position: usize,
    line: usize,
    depth: usize,
}

const MAX_CONDITION_NESTING: usize = 32;

impl ConditionParser {
    fn parse(tokens: Vec<Token>, line: usize) -> Result<Condition, ParseError> {
        let mut parser = Self {
            tokens,
            position: 0,
            line,
            depth: 0,
        };
        if parser.tokens.is_empty() {
            return Err(parser.error("`if` has no condition"));
        }
        let condition = parser.any()?;
        match parser.peek() {
            None => Ok(condition),
            Some(token) => {
                let message = format!("unexpected {token} after a complete condition");
                Err(parser.error(&message))
            }
        }
    }

    fn error(&self, message: &str) -> ParseError {
        ParseError::new(self.line, format!("bad condition: {message}"))
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position)
    }

    fn next_is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn any(&mut self) -> Result<Condition, ParseError> {
        let mut parts = vec![self.all()?];
        while self.next_is_word("or") {
            self.position += 1;
            parts.push(self.all()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::Any(parts)
        })
    }

    fn all(&mut self) -> Result<Condition, ParseError> {
        let mut parts = vec![self.negation()?];
        while self.next_is_word("and") {
            self.position += 1;
            parts.push(self.negation()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::All(parts)
        })
    }

    fn negation(&mut self) -> Result<Condition, ParseError> {
        if self.next_is_word("not") {
            self.position += 1;
            self.enter()?;
            let inner = self.negation()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Condition, ParseError> {
        let left = self.operand()?;
        let negated = match self.peek() {
            Some(Token::Equal) => false,
            Some(Token::NotEqual) => true,
            _ => return Ok(left),
        };
        self.position += 1;
        let right = self.operand()?;
        if matches!(self.peek(), Some(Token::Equal | Token::NotEqual)) {
            return Err(self.error("comparisons cannot be chained; use `and`"));
        }
        Ok(Condition::Equals {
            left: Box::new(left),
            right: Box::new(right),
            negated,
        })
    }

    fn operand(&mut self) -> Result<Condition, ParseError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("the condition ends where a value was expected"));
        };
        self.position += 1;
        match token {
            Token::OpenParen => {
                self.enter()?;
                let inner = self.any()?;
                self.depth -= 1;
                if self.peek() != Some(&Token::CloseParen) {
                    return Err(self.error("`(` is never closed"));
                }
                self.position += 1;
                Ok(inner)
            }
            Token::Text(text) => Ok(Condition::Literal(RunInfoValue::Text(text))),
            Token::Number(number) => Ok(Condition::Literal(RunInfoValue::Number(number))),
            Token::Word(word) => match word.as_str() {
                "true" => Ok(Condition::Literal(RunInfoValue::Bool(true))),
                "false" => Ok(Condition::Literal(RunInfoValue::Bool(false))),
                "and" | "or" | "not" | "if" => {
                    Err(self.error(&format!("`{word}` where a value was expected")))
                }
                _ => Ok(Condition::Name(word)),
            },
            other => Err(self.error(&format!("{other} where a value was expected"))),
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_CONDITION_NESTING {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The parsed document
// ---------------------------------------------------------------------------------------------

/// A key's value: a plain (possibly quoted) string or a `[A, B]` list.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    /// The status(es) of an `expected` value; `None` only if it was not validated as `S`.
    fn statuses<S: FromStr>(&self) -> Option<Expected<S>> {
        match self {
            Self::Text(text) => text.parse().ok().map(Expected::exactly),
            Self::List(items) => {
                let mut parsed = items.iter().map(|item| item.parse().ok());
                let expected = parsed.next()??;
                let known_intermittent = parsed.collect::<Option<Vec<S>>>()?;
                Some(Expected {
                    expected,
                    known_intermittent,
                })
            }
        }
    }

    /// The reason a `disabled` value gives; `@False` (wptmanifest's false atom) re-enables, so a
    /// condition can carve an exception out of a default.
    fn disabled_reason(&self) -> Option<String> {
        match self {
            Self::Text(text) if text == "@False" => None,
            Self::Text(text) => Some(text.clone()),
            Self::List(items) => Some(items.join(", ")),
        }
    }
}

/// One line of a key's value: `if <condition>: value`, or the unconditional default.
#[derive(Debug, Clone, PartialEq)]
struct Branch {
    condition: Option<Condition>,
    value: Value,
    line: usize,
}

/// A `key: value` entry with the source lines it came from, so it can be written back unchanged.
#[derive(Debug, Clone, PartialEq)]
struct KeyEntry {
    comments_above: Vec<String>,
    name: String,
    branches: Vec<Branch>,
    source_lines: Vec<String>,
}

impl KeyEntry {
    /// The value in force for `run_info`: the first branch whose condition holds.
    fn resolve(&self, run_info: &RunInfo) -> Option<&Value> {
        self.branches
            .iter()
            .find(|branch| {
                branch
                    .condition
                    .as_ref()
                    .is_none_or(|condition| condition.holds(run_info))
            })
            .map(|branch| &branch.value)
    }

    /// A new unconditional entry, as `update_metadata` writes them.
    fn unconditional(name: &str, value_text: String, indent: usize) -> Self {
        let value = parse_value(&value_text);
        Self {
            comments_above: Vec::new(),
            name: name.to_owned(),
            source_lines: vec![format!("{:indent$}{name}: {value_text}", "")],
            branches: vec![Branch {
                condition: None,
                value,
                line: 0,
            }],
        }
    }
}

/// A `[name]` heading and what is indented under it.
#[derive(Debug, Clone, PartialEq)]
struct Section {
    comments_above: Vec<String>,
    name: String,
    heading_line: String,
    indent: usize,
    /// The indentation of the lines under the heading; `None` while there are none.
    body_indent: Option<usize>,
    items: Vec<Item>,
}

impl Section {
    fn new(name: &str, indent: usize) -> Self {
        Self {
            comments_above: Vec::new(),
            name: name.to_owned(),
            heading_line: format!("{:indent$}[{}]", "", escape_heading(name)),
            indent,
            body_indent: None,
            items: Vec::new(),
        }
    }

    fn child_indent(&self) -> usize {
        self.body_indent.unwrap_or(self.indent + 2)
    }

    fn key(&self, name: &str) -> Option<&KeyEntry> {
        key_in(&self.items, name)
    }

    fn key_index(&self, name: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|item| matches!(item, Item::Key(key) if key.name == name))
    }

    fn subsection_index(&self, name: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|item| matches!(item, Item::Section(section) if section.name == name))
    }

    fn subsections(&self) -> impl Iterator<Item = &Section> {
        self.items.iter().filter_map(|item| match item {
            Item::Section(section) => Some(section),
            _ => None,
        })
    }

    /// No keys and no subsections: only comments or blank lines, if anything.
    fn is_empty(&self) -> bool {
        !self
            .items
            .iter()
            .any(|item| matches!(item, Item::Key(_) | Item::Section(_)))
    }

    fn disabled(&self, run_info: &RunInfo) -> Option<String> {
        self.key("disabled")?.resolve(run_info)?.disabled_reason()
    }

    fn expected<S>(&self, run_info: &RunInfo) -> Expected<S>
    where
        S: FromStr,
        Expected<S>: Default,
    {
        self.key("expected")
            .and_then(|key| key.resolve(run_info))
            .and_then(Value::statuses)
            .unwrap_or_default()
    }
}

/// Something in a file or section body, in source order.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A blank line or a comment not directly above a key or heading.
    Trivia(String),
    Key(KeyEntry),
    Section(Section),
}

fn key_in<'a>(items: &'a [Item], name: &str) -> Option<&'a KeyEntry> {
    items.iter().find_map(|item| match item {
        Item::Key(key) if key.name == name => Some(key),
        _ => None,
    })
}

fn render_items(items: &[Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Trivia(line) => out.push(line.clone()),
            Item::Key(key) => {
                out.extend(key.comments_above.iter().cloned());
                out.extend(key.source_lines.iter().cloned());
            }
            Item::Section(section) => {
                out.extend(section.comments_above.iter().cloned());
                out.push(section.heading_line.clone());
                render_items(&section.items, out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// How deep a section sits: pages at the top, subtests inside pages, nothing deeper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    File,
    Page,
    Subtest,
}

struct SourceLine<'a> {
    number: usize,
    text: &'a str,
    /// `None` for blank and comment lines, which carry no structure.
    indent: Option<usize>,
}

fn classify_lines(text: &str) -> Result<Vec<SourceLine<'_>>, ParseError> {
    text.lines()
        .enumerate()
        .map(|(index, text)| {
            let number = index + 1;
            let trimmed = text.trim_start_matches([' ', '\t']);
            if trimmed.trim_end().is_empty() || trimmed.starts_with('#') {
                return Ok(SourceLine {
                    number,
                    text,
                    indent: None,
                });
            }
            let leading = &text[..text.len() - trimmed.len()];
            if leading.contains('\t') {
                return Err(ParseError::new(
                    number,
                    "indentation must be spaces, not tabs",
                ));
            }
            Ok(SourceLine {
                number,
                text,
                indent: Some(leading.len()),
            })
        })
        .collect()
}

struct Parser<'a> {
    lines: Vec<SourceLine<'a>>,
    position: usize,
}

impl<'a> Parser<'a> {
    /// The next structural line at or after the cursor, skipping blank lines and comments.
    fn next_content(&self) -> Option<&SourceLine<'a>> {
        self.lines[self.position..]
            .iter()
            .find(|line| line.indent.is_some())
    }

    /// Consumes the blank and comment lines before the next structural line. The comment lines
    /// right above it (no blank line between) are returned separately: they describe that entry
    /// and move or vanish with it.
    fn take_trivia(&mut self) -> (Vec<Item>, Vec<String>) {
        let mut loose = Vec::new();
        let mut above = Vec::new();
        while let Some(line) = self.lines.get(self.position) {
            if line.indent.is_some() {
                break;
            }
            self.position += 1;
            if line.text.trim().is_empty() {
                loose.extend(above.drain(..).map(Item::Trivia));
                loose.push(Item::Trivia(line.text.to_owned()));
            } else {
                above.push(line.text.to_owned());
            }
        }
        (loose, above)
    }

    /// When a block ends, comments still indented like its body stay in it (they were written
    /// about it), rather than drifting to the next section.
    fn take_indented_trailing_comments(&mut self, parent_indent: usize, items: &mut Vec<Item>) {
        while let Some(line) = self.lines.get(self.position) {
            let is_deep_comment = line.indent.is_none()
                && !line.text.trim().is_empty()
                && line.text.len() - line.text.trim_start().len() > parent_indent;
            if !is_deep_comment {
                break;
            }
            items.push(Item::Trivia(line.text.to_owned()));
            self.position += 1;
        }
    }

    /// Parses the lines indented deeper than `parent_indent` (all lines at file level).
    fn parse_block(
        &mut self,
        level: Level,
        parent_indent: Option<usize>,
    ) -> Result<(Vec<Item>, Option<usize>), ParseError> {
        let mut items = Vec::new();
        let mut block_indent: Option<usize> = None;
        // Line where each key / section name first appeared, to reject duplicates.
        let mut keys_seen: HashMap<String, usize> = HashMap::new();
        let mut sections_seen: HashMap<String, usize> = HashMap::new();

        while let Some(next) = self.next_content() {
            let (number, indent) = (next.number, next.indent.unwrap_or(0));
            if parent_indent.is_some_and(|parent| indent <= parent) {
                break;
            }
            match block_indent {
                None if level == Level::File && indent != 0 => {
                    return Err(ParseError::new(
                        number,
                        "the first line of the file must not be indented",
                    ));
                }
                None => block_indent = Some(indent),
                Some(expected) if indent > expected => {
                    return Err(ParseError::new(
                        number,
                        format!(
                            "unexpected indentation: {indent} spaces, but only a `[heading]` or an \
                             empty `key:` line opens a deeper block (siblings here use {expected})"
                        ),
                    ));
                }
                Some(expected) if indent < expected => {
                    return Err(ParseError::new(
                        number,
                        format!(
                            "inconsistent indentation: {indent} spaces, but the lines before it \
                             in this block use {expected}"
                        ),
                    ));
                }
                Some(_) => {}
            }

            let (loose, comments_above) = self.take_trivia();
            items.extend(loose);
            let line_text: &'a str = self.lines[self.position].text;
            let text = &line_text[indent..];
            self.position += 1;

            if text.starts_with('[') {
                let child_level = match level {
                    Level::File => Level::Page,
                    Level::Page => Level::Subtest,
                    Level::Subtest => {
                        return Err(ParseError::new(
                            number,
                            "sections nest only two deep ([page] then [subtest]); \
                             this heading is inside a subtest",
                        ));
                    }
                };
                let name = parse_heading(text, number)?;
                if let Some(first) = sections_seen.insert(name.clone(), number) {
                    return Err(ParseError::new(
                        number,
                        format!("duplicate section [{name}] (first on line {first})"),
                    ));
                }
                let heading_line = line_text.to_owned();
                let (mut children, body_indent) = self.parse_block(child_level, Some(indent))?;
                self.take_indented_trailing_comments(indent, &mut children);
                items.push(Item::Section(Section {
                    comments_above,
                    name,
                    heading_line,
                    indent,
                    body_indent,
                    items: children,
                }));
            } else {
                let mut key = self.parse_key(text, number, indent)?;
                validate_key(&key, level)?;
                if let Some(first) = keys_seen.insert(key.name.clone(), number) {
                    return Err(ParseError::new(
                        number,
                        format!("duplicate key `{}` (first on line {first})", key.name),
                    ));
                }
                key.comments_above = comments_above;
                items.push(Item::Key(key));
            }
        }
        Ok((items, block_indent))
    }

    fn parse_key(
        &mut self,
        text: &str,
        number: usize,
        indent: usize,
    ) -> Result<KeyEntry, ParseError> {
        if text.starts_with("if ") || text.starts_with("if(") {
            return Err(ParseError::new(
                number,
                "a condition line must be indented under a `key:` line",
            ));
        }
        let Some((name, rest)) = text.split_once(':') else {
            return Err(ParseError::new(
                number,
                format!(
                    "expected `key: value` or `[heading]`, found `{}`",
                    text.trim_end()
                ),
            ));
        };
        let name = name.trim_end();
        let is_key_name = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !is_key_name {
            return Err(ParseError::new(
                number,
                format!("`{name}` is not a key name (letters, digits, `_`, `-`, `.`)"),
            ));
        }
        let mut source_lines = vec![self.lines[self.position - 1].text.to_owned()];
        let rest = rest.trim();
        let branches = if rest.is_empty() {
            let branches = self.parse_branches(indent, &mut source_lines)?;
            if branches.is_empty() {
                return Err(ParseError::new(
                    number,
                    format!(
                        "`{name}:` has no value: write it after the colon, or indent `if` lines \
                         under it"
                    ),
                ));
            }
            branches
        } else {
            vec![Branch {
                condition: None,
                value: parse_value_strict(rest, number)?,
                line: number,
            }]
        };
        Ok(KeyEntry {
            comments_above: Vec::new(),
            name: name.to_owned(),
            branches,
            source_lines,
        })
    }

    /// The `if …: value` lines (and optional default) indented under an empty `key:` line.
    fn parse_branches(
        &mut self,
        key_indent: usize,
        source_lines: &mut Vec<String>,
    ) -> Result<Vec<Branch>, ParseError> {
        let mut branches: Vec<Branch> = Vec::new();
        let mut branch_indent: Option<usize> = None;
        while let Some(next) = self.next_content() {
            let (number, indent) = (next.number, next.indent.unwrap_or(0));
            if indent <= key_indent {
                break;
            }
            match branch_indent {
                None => branch_indent = Some(indent),
                Some(expected) if expected != indent => {
                    return Err(ParseError::new(
                        number,
                        format!(
                            "inconsistent indentation: {indent} spaces, but the condition lines \
                             before it use {expected}"
                        ),
                    ));
                }
                Some(_) => {}
            }
            if let Some(default) = branches.iter().find(|b| b.condition.is_none()) {
                return Err(ParseError::new(
                    number,
                    format!(
                        "the unconditional default on line {} must be the last value",
                        default.line
                    ),
                ));
            }
            while self.lines[self.position].indent.is_none() {
                source_lines.push(self.lines[self.position].text.to_owned());
                self.position += 1;
            }
            let line_text = self.lines[self.position].text;
            source_lines.push(line_text.to_owned());
            self.position += 1;
            let text = line_text[indent..].trim_end();
            let branch = match text.strip_prefix("if") {
                Some(after) if after.starts_with([' ', '(']) => {
                    let (tokens, value_text) = tokenize_condition(after, number)?;
                    let condition = ConditionParser::parse(tokens, number)?;
                    let value_text = value_text.trim();
                    if value_text.is_empty() {
                        return Err(ParseError::new(
                            number,
                            "the condition has no value after `:`",
                        ));
                    }
                    Branch {
                        condition: Some(condition),
                        value: parse_value_strict(value_text, number)?,
                        line: number,
                    }
                }
                _ => Branch {
                    condition: None,
                    value: parse_value_strict(text, number)?,
                    line: number,
                },
            };
            branches.push(branch);
        }
        Ok(branches)
    }
}

/// The name in a `[name]` heading, undoing `\]`, `\\` and the other escapes [`escape_heading`]
/// writes.
fn parse_heading(text: &str, line: usize) -> Result<String, ParseError> {
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
fn parse_value(text: &str) -> Value {
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
fn parse_value_strict(text: &str, line: usize) -> Result<Value, ParseError> {
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

/// Checks what a key's value must be where it appears: `expected` values must be statuses of the
/// right kind, and only inside a section.
fn validate_key(key: &KeyEntry, level: Level) -> Result<(), ParseError> {
    if key.name != "expected" {
        return Ok(());
    }
    for branch in &key.branches {
        match level {
            Level::File => {
                return Err(ParseError::new(
                    branch.line,
                    "`expected` belongs inside a [page] or [subtest] section, not at the top of the file",
                ));
            }
            Level::Page => validate_statuses::<FileStatus>(&branch.value, branch.line, "file")?,
            Level::Subtest => {
                validate_statuses::<SubtestStatus>(&branch.value, branch.line, "subtest")?;
            }
        }
    }
    Ok(())
}

fn validate_statuses<S: FromStr + fmt::Display + StatusList>(
    value: &Value,
    line: usize,
    kind: &str,
) -> Result<(), ParseError> {
    let names: Vec<&str> = match value {
        Value::Text(text) => vec![text.as_str()],
        Value::List(items) if items.is_empty() => {
            return Err(ParseError::new(line, "`expected` list is empty"));
        }
        Value::List(items) => items.iter().map(String::as_str).collect(),
    };
    for name in names {
        if name.parse::<S>().is_err() {
            let allowed: Vec<String> = S::all().iter().map(ToString::to_string).collect();
            return Err(ParseError::new(
                line,
                format!(
                    "`{name}` is not a {kind} status (one of {})",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Lets status validation list the allowed names in its error message.
trait StatusList: Sized + 'static {
    fn all() -> &'static [Self];
}

impl StatusList for FileStatus {
    fn all() -> &'static [Self] {
        Self::ALL
    }
}

impl StatusList for SubtestStatus {
    fn all() -> &'static [Self] {
        Self::ALL
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------------------------

/// One parsed metadata file (which may describe several pages).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    items: Vec<Item>,
}

impl Metadata {
    /// Reads a metadata file; an error names the line and what is wrong with it.
    pub fn parse(text: &str) -> Result<Metadata, ParseError> {
        // Editors on some systems prepend a byte-order mark; it is not part of the first line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut parser = Parser {
            lines: classify_lines(text)?,
            position: 0,
        };
        let (mut items, _) = parser.parse_block(Level::File, None)?;
        let (loose, trailing_comments) = parser.take_trivia();
        items.extend(loose);
        items.extend(trailing_comments.into_iter().map(Item::Trivia));
        Ok(Metadata { items })
    }

    /// The names of the pages the file has sections for, in file order.
    pub fn page_names(&self) -> impl Iterator<Item = &str> {
        self.pages().map(|section| section.name.as_str())
    }

    /// What the file says about `page_name` (e.g. `foo.https.html`) for `run_info`; the defaults
    /// (`OK`, every subtest `PASS`, nothing disabled) where it says nothing.
    pub fn page(&self, page_name: &str, run_info: &RunInfo) -> FileExpectation {
        // A top-level `disabled` covers every page in the file, as in wptrunner.
        let file_disabled = key_in(&self.items, "disabled")
            .and_then(|key| key.resolve(run_info))
            .and_then(Value::disabled_reason);
        let Some(section) = self.pages().find(|section| section.name == page_name) else {
            return FileExpectation {
                disabled: file_disabled,
                ..FileExpectation::default()
            };
        };
        let subtests = section
            .subsections()
            .map(|subtest| {
                let expectation = SubtestExpectation {
                    disabled: subtest.disabled(run_info),
                    status: subtest.expected(run_info),
                };
                (subtest.name.clone(), expectation)
            })
            .collect();
        FileExpectation {
            disabled: section.disabled(run_info).or(file_disabled),
            status: section.expected(run_info),
            subtests,
        }
    }

    fn pages(&self) -> impl Iterator<Item = &Section> {
        self.items.iter().filter_map(|item| match item {
            Item::Section(section) => Some(section),
            _ => None,
        })
    }

    fn page_index(&self, name: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|item| matches!(item, Item::Section(section) if section.name == name))
    }

    /// Whether writing the file is worth it: it has an entry, or a comment of its own.
    fn has_content(&self) -> bool {
        self.items.iter().any(|item| match item {
            Item::Trivia(line) => !line.trim().is_empty(),
            Item::Key(_) | Item::Section(_) => true,
        })
    }

    /// The file's text, with runs of blank lines (left where entries were removed) squeezed.
    fn render(&self) -> String {
        let mut lines = Vec::new();
        render_items(&self.items, &mut lines);
        let mut text = String::new();
        let mut previous_blank = true; // also drops blank lines at the start
        for line in &lines {
            let blank = line.trim().is_empty();
            if blank && previous_blank {
                continue;
            }
            text.push_str(line);
            text.push('\n');
            previous_blank = blank;
        }
        while text.ends_with("\n\n") {
            text.pop();
        }
        text
    }
}

/// The page name a test URL's metadata section uses: its last path component, keeping any
/// `?query` or `#fragment` (variants have sections of their own).
/// `/encrypted-media/foo.https.html` → `foo.https.html`.
pub fn page_name(test_url: &str) -> &str {
    let path_end = test_url.find(['?', '#']).unwrap_or(test_url.len());
    let start = test_url[..path_end].rfind('/').map_or(0, |slash| slash + 1);
    &test_url[start..]
}

/// Where the .ini for a test file lives: beside it (`<file>.ini`) when `meta_dir` is `None`, else
/// `meta_dir/<path of file relative to tests_root>.ini`. A file outside `tests_root` keeps its
/// whole path (less any root or drive) under `meta_dir`, so it can never escape `meta_dir`.
pub fn ini_path(test_file: &Path, tests_root: &Path, meta_dir: Option<&Path>) -> PathBuf {
    let with_ini_suffix = |path: &Path| {
        let mut name = path.as_os_str().to_owned();
        name.push(".ini");
        PathBuf::from(name)
    };
    let Some(meta_dir) = meta_dir else {
        return with_ini_suffix(test_file);
    };
    let relative: PathBuf = match test_file.strip_prefix(tests_root) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => test_file
            .components()
            .filter(|component| matches!(component, Component::Normal(_)))
            .collect(),
    };
    with_ini_suffix(&meta_dir.join(relative))
}

// ---------------------------------------------------------------------------------------------
// Comparing results with expectations
// ---------------------------------------------------------------------------------------------

/// How one actual status compares with its expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<S> {
    /// The status the run produced.
    pub actual: S,
    /// What the metadata allowed.
    pub expected: Expected<S>,
    /// `Some(reason)` when the metadata disables the entry: its outcome is ignored.
    pub disabled: Option<String>,
    /// The actual status is not allowed (never true for a disabled entry). Unexpected passes
    /// count: an expected `FAIL` that passes is unexpected.
    pub unexpected: bool,
}

impl<S: PartialEq + Copy> Verdict<S> {
    /// Judges `actual` against `expected`, ignoring it when `disabled` is set.
    pub fn new(actual: S, expected: Expected<S>, disabled: Option<String>) -> Self {
        let unexpected = disabled.is_none() && !expected.accepts(actual);
        Self {
            actual,
            expected,
            disabled,
            unexpected,
        }
    }

    /// Whether the outcome is ignored because the metadata disables it.
    pub fn is_ignored(&self) -> bool {
        self.disabled.is_some()
    }
}

/// The verdict on one subtest of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtestVerdict {
    /// The subtest's name.
    pub name: String,
    /// How its status compares with the metadata.
    pub verdict: Verdict<SubtestStatus>,
}

/// How one file's result compares with its metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The harness status.
    pub file: Verdict<FileStatus>,
    /// One per subtest of the result, in the result's order.
    pub subtests: Vec<SubtestVerdict>,
    /// Subtests the metadata has a (not disabled) section for that the result does not contain,
    /// sorted by name. Reported for the user's information only, never counted as unexpected:
    /// a file that errors or times out legitimately loses subtests, and wptrunner does not flag
    /// them either; `update_metadata` drops stale ones once the file completes `OK`.
    pub missing: Vec<String>,
}

impl Comparison {
    /// How many statuses (the harness's and each subtest's) were unexpected.
    pub fn unexpected_count(&self) -> usize {
        usize::from(self.file.unexpected)
            + self
                .subtests
                .iter()
                .filter(|subtest| subtest.verdict.unexpected)
                .count()
    }

    /// Whether everything went as the metadata says.
    pub fn is_expected(&self) -> bool {
        self.unexpected_count() == 0
    }
}

/// Compares a file's result with what the metadata expects of it. A disabled file makes every
/// verdict in it ignored.
pub fn compare(result: &FileResult, expectation: &FileExpectation) -> Comparison {
    let file = Verdict::new(
        result.status,
        expectation.status.clone(),
        expectation.disabled.clone(),
    );
    let subtests = result
        .subtests
        .iter()
        .map(|subtest| {
            let expected = expectation.subtest(&subtest.name);
            let disabled = expected.disabled.or_else(|| expectation.disabled.clone());
            SubtestVerdict {
                name: subtest.name.clone(),
                verdict: Verdict::new(subtest.status, expected.status, disabled),
            }
        })
        .collect();
    let missing = expectation
        .subtests
        .iter()
        .filter(|(name, subtest)| {
            subtest.disabled.is_none() && !result.subtests.iter().any(|s| &s.name == *name)
        })
        .map(|(name, _)| name.clone())
        .collect();
    Comparison {
        file,
        subtests,
        missing,
    }
}

// ---------------------------------------------------------------------------------------------
// Updating metadata from results
// ---------------------------------------------------------------------------------------------

/// Every status seen for one page across the results, distinct, in first-seen order.
struct PageObservation {
    name: String,
    statuses: Vec<FileStatus>,
    subtests: Vec<(String, Vec<SubtestStatus>)>,
}

fn push_distinct<S: PartialEq>(list: &mut Vec<S>, status: S) {
    if !list.contains(&status) {
        list.push(status);
    }
}

/// Groups results by page, so repeated runs of a page that disagree become a status list that
/// accepts all of them.
fn observe(results: &[&FileResult]) -> Vec<PageObservation> {
    let mut pages: Vec<PageObservation> = Vec::new();
    for result in results {
        let name = page_name(&result.test);
        let page = match pages.iter().position(|page| page.name == name) {
            Some(index) => &mut pages[index],
            None => {
                pages.push(PageObservation {
                    name: name.to_owned(),
                    statuses: Vec::new(),
                    subtests: Vec::new(),
                });
                let last = pages.len() - 1;
                &mut pages[last]
            }
        };
        push_distinct(&mut page.statuses, result.status);
        for subtest in &result.subtests {
            match page.subtests.iter_mut().find(|(n, _)| *n == subtest.name) {
                Some((_, statuses)) => push_distinct(statuses, subtest.status),
                None => page
                    .subtests
                    .push((subtest.name.clone(), vec![subtest.status])),
            }
        }
    }
    pages
}

/// The text of an `expected` value allowing exactly `observed`, or `None` when that is the
/// default and the key can go.
fn expected_value_text<S: PartialEq + Copy + fmt::Display>(
    observed: &[S],
    default: S,
) -> Option<String> {
    match observed {
        [] => None,
        [only] if *only == default => None,
        [only] => Some(only.to_string()),
        several => {
            let names: Vec<String> = several.iter().map(ToString::to_string).collect();
            Some(format!("[{}]", names.join(", ")))
        }
    }
}

/// Makes `section`'s `expected` accept every observed status, touching it only if it does not
/// already. Returns whether anything changed.
fn reconcile_expected<S>(section: &mut Section, observed: &[S], run_info: &RunInfo) -> bool
where
    S: FromStr + PartialEq + Copy + fmt::Display,
    Expected<S>: Default,
{
    let current: Expected<S> = section.expected(run_info);
    if observed.iter().all(|status| current.accepts(*status)) {
        return false;
    }
    let default = Expected::<S>::default().expected;
    let replacement = expected_value_text(observed, default);
    let indent = section.child_indent();
    match (section.key_index("expected"), replacement) {
        (Some(index), None) => {
            section.items.remove(index);
        }
        (Some(index), Some(text)) => {
            if let Item::Key(old) = &section.items[index] {
                // Comments above the entry usually say why it is not the default; keep them.
                let mut entry = KeyEntry::unconditional("expected", text, indent);
                entry.comments_above = old.comments_above.clone();
                section.items[index] = Item::Key(entry);
            }
        }
        (None, Some(text)) => {
            let entry = KeyEntry::unconditional("expected", text, indent);
            section.items.insert(0, Item::Key(entry));
            section.body_indent = Some(indent);
        }
        (None, None) => return false,
    }
    true
}

fn update_subtest(
    page: &mut Section,
    name: &str,
    observed: &[SubtestStatus],
    run_info: &RunInfo,
) -> bool {
    match page.subsection_index(name) {
        Some(index) => {
            let Item::Section(subtest) = &mut page.items[index] else {
                return false;
            };
            if subtest.disabled(run_info).is_some() {
                return false;
            }
            let changed = reconcile_expected(subtest, observed, run_info);
            if changed && subtest.is_empty() {
                page.items.remove(index);
            }
            changed
        }
        None => {
            let mut subtest = Section::new(name, page.child_indent());
            if !reconcile_expected(&mut subtest, observed, run_info) {
                return false;
            }
            page.body_indent = Some(subtest.indent);
            page.items.push(Item::Section(subtest));
            true
        }
    }
}

/// Drops the `expected` of subtests the page no longer has. Only called when the page completed
/// `OK`, so their absence means they are gone, not that the run stopped early.
fn drop_stale_subtests(page: &mut Section, observed: &PageObservation, run_info: &RunInfo) -> bool {
    let mut changed = false;
    page.items.retain_mut(|item| {
        let Item::Section(subtest) = item else {
            return true;
        };
        let seen = observed
            .subtests
            .iter()
            .any(|(name, _)| *name == subtest.name);
        if seen || subtest.disabled(run_info).is_some() {
            return true;
        }
        let Some(index) = subtest.key_index("expected") else {
            return true;
        };
        subtest.items.remove(index);
        changed = true;
        !subtest.is_empty()
    });
    changed
}

fn update_page(metadata: &mut Metadata, observed: &PageObservation, run_info: &RunInfo) -> bool {
    let file_disabled = key_in(&metadata.items, "disabled")
        .and_then(|key| key.resolve(run_info))
        .and_then(Value::disabled_reason)
        .is_some();
    let existing = metadata.page_index(&observed.name);
    let mut page = match existing {
        Some(index) => match &metadata.items[index] {
            Item::Section(section) => section.clone(),
            _ => return false,
        },
        None => Section::new(&observed.name, 0),
    };
    if file_disabled || page.disabled(run_info).is_some() {
        return false;
    }

    let mut changed = reconcile_expected(&mut page, &observed.statuses, run_info);
    for (name, statuses) in &observed.subtests {
        changed |= update_subtest(&mut page, name, statuses, run_info);
    }
    if observed
        .statuses
        .iter()
        .all(|status| *status == FileStatus::Ok)
    {
        changed |= drop_stale_subtests(&mut page, observed, run_info);
    }
    if !changed {
        return false;
    }
    match (existing, page.is_empty()) {
        (Some(index), true) => {
            metadata.items.remove(index);
        }
        (Some(index), false) => metadata.items[index] = Item::Section(page),
        (None, true) => return false,
        (None, false) => {
            let follows_content = metadata
                .items
                .last()
                .is_some_and(|item| !matches!(item, Item::Trivia(line) if line.trim().is_empty()));
            if follows_content {
                metadata.items.push(Item::Trivia(String::new()));
            }
            metadata.items.push(Item::Section(page));
        }
    }
    true
}

/// The new text of one .ini given its current text (`None` when there is none) and the results
/// of the pages it covers; `Ok(None)` means the file should be deleted (no entry is left and no
/// free-standing comment either).
///
/// Entries that already accept the results stay exactly as written; entries that do not become
/// an unconditional `expected: <actual>` (a `[A, B]` list when the results disagree); entries
/// back at the default are removed, with the comments directly above them. Sections for pages
/// not in `results`, and disabled pages and subtests, are left alone. When nothing changes the
/// existing text is returned byte for byte.
pub fn update_metadata(
    existing: Option<&str>,
    results: &[&FileResult],
    run_info: &RunInfo,
) -> Result<Option<String>, ParseError> {
    let mut metadata = match existing {
        Some(text) => Metadata::parse(text)?,
        None => Metadata::default(),
    };
    let mut changed = false;
    for observed in observe(results) {
        changed |= update_page(&mut metadata, &observed, run_info);
    }
    if !metadata.has_content() {
        return Ok(None);
    }
    match existing {
        Some(text) if !changed => Ok(Some(text.to_owned())),
        _ => Ok(Some(metadata.render())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::SubtestResult;

    const SAMPLE: &str = r#"# a comment (keep reasons people write here)
[foo.https.html]
  expected: ERROR
  [subtest name with \] escaped]
    expected: FAIL
  [another subtest]
    expected:
      if os == "linux": FAIL
      if product == "eme" and not debug: [PASS, FAIL]
      TIMEOUT
    bug: some text
  disabled: reason text
"#;

    fn linux() -> RunInfo {
        RunInfo::new()
            .with("os", "linux")
            .with("product", "eme")
            .with("debug", false)
    }

    fn parse(text: &str) -> Metadata {
        match Metadata::parse(text) {
            Ok(metadata) => metadata,
            Err(error) => panic!("{text:?} should parse: {error}"),
        }
    }

    fn parse_error(text: &str) -> ParseError {
        match Metadata::parse(text) {
            Ok(_) => panic!("{text:?} should not parse"),
            Err(error) => error,
        }
    }

    fn subtest(name: &str, status: SubtestStatus) -> SubtestResult {
        SubtestResult {
            name: name.to_owned(),
            status,
            message: None,
        }
    }

    fn result(test: &str, status: FileStatus, subtests: Vec<SubtestResult>) -> FileResult {
        FileResult {
            test: test.to_owned(),
            status,
            message: None,
            subtests,
            duration_ms: 10,
        }
    }

    /// Evaluates one conditional `expected` under `run_info`.
    fn conditional(condition: &str, run_info: &RunInfo) -> SubtestStatus {
        let text = format!("[p.html]\n  [s]\n    expected:\n      if {condition}: FAIL\n");
        parse(&text)
            .page("p.html", run_info)
            .subtest("s")
            .status
            .expected
    }

    // --- parsing ------------------------------------------------------------------------------

    #[test]
    fn parses_every_construct_of_the_sample() {
        let metadata = parse(SAMPLE);
        assert_eq!(
            metadata.page_names().collect::<Vec<_>>(),
            ["foo.https.html"]
        );
        let page = metadata.page("foo.https.html", &linux());
        assert_eq!(page.status, Expected::exactly(FileStatus::Error));
        assert_eq!(page.disabled.as_deref(), Some("reason text"));
        assert_eq!(
            page.subtest("subtest name with ] escaped").status,
            Expected::exactly(SubtestStatus::Fail)
        );
        // The first matching condition wins over the later ones and the default.
        assert_eq!(
            page.subtest("another subtest").status,
            Expected::exactly(SubtestStatus::Fail)
        );
        let mac = linux().with("os", "mac");
        let on_mac = metadata.page("foo.https.html", &mac);
        assert_eq!(
            on_mac.subtest("another subtest").status,
            Expected {
                expected: SubtestStatus::Pass,
                known_intermittent: vec![SubtestStatus::Fail],
            }
        );
        let debug_mac = mac.with("debug", true);
        assert_eq!(
            metadata
                .page("foo.https.html", &debug_mac)
                .subtest("another subtest")
                .status,
            Expected::exactly(SubtestStatus::Timeout)
        );
    }

    #[test]
    fn absent_pages_and_subtests_get_the_defaults() {
        let metadata = parse(SAMPLE);
        let other = metadata.page("other.html", &linux());
        assert_eq!(other, FileExpectation::default());
        assert_eq!(other.status.expected, FileStatus::Ok);
        let page = metadata.page("foo.https.html", &linux());
        assert_eq!(page.subtest("unnamed"), SubtestExpectation::default());
        assert_eq!(page.subtest("unnamed").status.expected, SubtestStatus::Pass);
    }

    #[test]
    fn one_file_holds_several_pages() {
        let metadata =
            parse("[x.any.html]\n  expected: TIMEOUT\n\n[x.any.worker.html]\n  expected: CRASH\n");
        assert_eq!(
            metadata.page("x.any.html", &linux()).status.expected,
            FileStatus::Timeout
        );
        assert_eq!(
            metadata.page("x.any.worker.html", &linux()).status.expected,
            FileStatus::Crash
        );
    }

    #[test]
    fn heading_escapes_round_trip() {
        let names = [
            "a]b",
            "back\\slash",
            "[bracketed]",
            "new\nline",
            "tab\tand\u{1}ctl",
            "",
        ];
        let mut text = String::from("[p.html]\n");
        for name in names {
            text.push_str(&format!(
                "  [{}]\n    expected: FAIL\n",
                escape_heading(name)
            ));
        }
        let page = parse(&text).page("p.html", &RunInfo::new());
        for name in names {
            assert_eq!(
                page.subtest(name).status.expected,
                SubtestStatus::Fail,
                "{name:?}"
            );
        }
        assert_eq!(escape_heading("a]b\\c"), "a\\]b\\\\c");
    }

    #[test]
    fn list_values_give_known_intermittent_statuses() {
        let metadata = parse("[p.html]\n  expected: [TIMEOUT, OK, CRASH]\n");
        let status = metadata.page("p.html", &linux()).status;
        assert_eq!(status.expected, FileStatus::Timeout);
        assert_eq!(
            status.known_intermittent,
            [FileStatus::Ok, FileStatus::Crash]
        );
        assert!(status.accepts(FileStatus::Crash));
        assert!(!status.accepts(FileStatus::Error));
    }

    #[test]
    fn quoted_values_are_unquoted() {
        let metadata =
            parse("[p.html]\n  disabled: \"a: reason\"\n  [s]\n    expected: \"FAIL\"\n");
        let page = metadata.page("p.html", &linux());
        assert_eq!(page.disabled.as_deref(), Some("a: reason"));
        assert_eq!(page.subtest("s").status.expected, SubtestStatus::Fail);
    }

    #[test]
    fn disabled_can_be_conditional_and_applies_to_subtests() {
        let text = "[p.html]\n  disabled:\n    if os == \"win\": flaky on windows\n  [s]\n    disabled: bug 1\n";
        let metadata = parse(text);
        assert_eq!(metadata.page("p.html", &linux()).disabled, None);
        let windows = linux().with("os", "win");
        assert_eq!(
            metadata.page("p.html", &windows).disabled.as_deref(),
            Some("flaky on windows")
        );
        assert_eq!(
            metadata
                .page("p.html", &linux())
                .subtest("s")
                .disabled
                .as_deref(),
            Some("bug 1")
        );
    }

    #[test]
    fn false_atom_re_enables_under_a_condition() {
        let text = "[p.html]\n  disabled:\n    if os == \"linux\": @False\n    broken elsewhere\n";
        let metadata = parse(text);
        assert_eq!(metadata.page("p.html", &linux()).disabled, None);
        assert_eq!(
            metadata
                .page("p.html", &linux().with("os", "mac"))
                .disabled
                .as_deref(),
            Some("broken elsewhere")
        );
    }

    #[test]
    fn top_level_disabled_covers_every_page() {
        let metadata = parse("disabled: whole file\n[p.html]\n  expected: ERROR\n");
        assert_eq!(
            metadata.page("p.html", &linux()).disabled.as_deref(),
            Some("whole file")
        );
        assert_eq!(
            metadata.page("q.html", &linux()).disabled.as_deref(),
            Some("whole file")
        );
    }

    #[test]
    fn other_keys_are_kept_but_do_not_affect_expectations() {
        let metadata =
            parse("[p.html]\n  bug: https://example.test/1\n  prefs: [a:true, b:false]\n");
        assert_eq!(
            metadata.page("p.html", &linux()),
            FileExpectation::default()
        );
    }

    #[test]
    fn no_matching_condition_and_no_default_means_absent() {
        assert_eq!(conditional("os == \"win\"", &linux()), SubtestStatus::Pass);
    }

    #[test]
    fn condition_operators() {
        let info = linux().with("bits", 64).with("version", "1.2");
        let cases = [
            ("os == \"linux\"", true),
            ("os == 'linux'", true),
            ("os != \"linux\"", false),
            ("os != \"mac\"", true),
            ("not debug", true),
            ("debug", false),
            ("not not debug", false),
            ("debug == false", true),
            ("debug == true", false),
            ("true", true),
            ("false", false),
            ("bits == 64", true),
            ("bits == 64.0", true),
            ("bits != 32", true),
            ("bits == \"64\"", false),
            ("os == \"linux\" and bits == 32", false),
            (
                "os == \"linux\" and bits == 64 and product == \"eme\"",
                true,
            ),
            ("os == \"mac\" or bits == 64", true),
            ("os == \"mac\" or bits == 32", false),
            // `and` binds tighter than `or`.
            ("os == \"mac\" and bits == 32 or product == \"eme\"", true),
            (
                "os == \"mac\" and (bits == 32 or product == \"eme\")",
                false,
            ),
            ("not (os == \"mac\" or debug)", true),
            ("((os == \"linux\"))", true),
            // Names the run info lacks are undefined: false, and unequal to everything.
            ("undefined_key", false),
            ("undefined_key == \"x\"", false),
            ("undefined_key != \"x\"", true),
            ("version == \"1.2\"", true),
        ];
        for (condition, holds) in cases {
            let expected = if holds {
                SubtestStatus::Fail
            } else {
                SubtestStatus::Pass
            };
            assert_eq!(conditional(condition, &info), expected, "{condition}");
        }
    }

    #[test]
    fn colon_inside_a_string_does_not_end_the_condition() {
        let info = RunInfo::new().with("tag", "a:b");
        assert_eq!(conditional("tag == \"a:b\"", &info), SubtestStatus::Fail);
    }

    #[test]
    fn comments_and_blank_lines_are_ignored() {
        let text = "\n# top\n[p.html]\n\n  # inside\n  expected: ERROR\n    # deeper\n\n";
        assert_eq!(
            parse(text).page("p.html", &linux()).status.expected,
            FileStatus::Error
        );
    }

    #[test]
    fn deeper_consistent_indentation_is_accepted() {
        let text = "[p.html]\n    expected: ERROR\n    [s]\n        expected:\n            if os == \"linux\": FAIL\n";
        let page = parse(text).page("p.html", &linux());
        assert_eq!(page.status.expected, FileStatus::Error);
        assert_eq!(page.subtest("s").status.expected, SubtestStatus::Fail);
    }

    #[test]
    fn crlf_and_byte_order_mark_are_tolerated() {
        let text = "\u{feff}[p.html]\r\n  expected: ERROR\r\n";
        assert_eq!(
            parse(text).page("p.html", &linux()).status.expected,
            FileStatus::Error
        );
    }

    // --- parse errors -------------------------------------------------------------------------

    #[test]
    fn unknown_file_status_is_an_error_naming_the_line() {
        let error = parse_error("[p.html]\n  expected: PASS\n");
        assert_eq!(error.line, 2);
        assert!(
            error.message.contains("`PASS` is not a file status"),
            "{error}"
        );
    }

    #[test]
    fn unknown_subtest_status_is_an_error_naming_the_line() {
        let error = parse_error("[p.html]\n  [s]\n    expected:\n      if debug: FAIL\n      OK\n");
        assert_eq!(error.line, 5);
        assert!(
            error.message.contains("`OK` is not a subtest status"),
            "{error}"
        );
        let error = parse_error("[p.html]\n  [s]\n    expected: [FAIL, BOGUS]\n");
        assert_eq!(error.line, 3);
    }

    #[test]
    fn bad_indentation_is_an_error() {
        let deeper = parse_error("[p.html]\n  expected: ERROR\n    bug: 1\n");
        assert_eq!(deeper.line, 3);
        assert!(
            deeper.message.contains("unexpected indentation"),
            "{deeper}"
        );
        let shallower = parse_error("[p.html]\n    expected: ERROR\n  bug: 1\n");
        assert_eq!(shallower.line, 3);
        assert!(
            shallower.message.contains("inconsistent indentation"),
            "{shallower}"
        );
        let indented_start = parse_error("  [p.html]\n");
        assert_eq!(indented_start.line, 1);
        let tabs = parse_error("[p.html]\n\texpected: ERROR\n");
        assert_eq!(tabs.line, 2);
        assert!(tabs.message.contains("tabs"), "{tabs}");
        let branches = parse_error("[p.html]\n  expected:\n    if debug: ERROR\n     TIMEOUT\n");
        assert_eq!(branches.line, 4);
    }

    #[test]
    fn unterminated_heading_is_an_error() {
        let error = parse_error("[p.html]\n  [name with \\] but no end\n");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("unterminated heading"), "{error}");
        let trailing = parse_error("[p.html] junk\n");
        assert!(trailing.message.contains("after the heading"), "{trailing}");
        let escape = parse_error("[p\\q.html]\n");
        assert!(escape.message.contains("unknown escape"), "{escape}");
    }

    #[test]
    fn bad_conditions_are_errors() {
        let bad = [
            "if os = \"linux\": FAIL",
            "if os == : FAIL",
            "if (os == \"linux\": FAIL",
            "if os == \"linux\" FAIL",
            "if os == \"linux: FAIL",
            "if os == \"a\" == \"b\": FAIL",
            "if and: FAIL",
            "if : FAIL",
            "if os == \"linux\":",
            "if os @ 1: FAIL",
        ];
        for line in bad {
            let text = format!("[p.html]\n  [s]\n    expected:\n      {line}\n");
            let error = parse_error(&text);
            assert_eq!(error.line, 4, "{line}: {error}");
        }
    }

    #[test]
    fn deeply_nested_conditions_are_refused_not_overflowed() {
        let condition = format!("{}debug{}", "(".repeat(10_000), ")".repeat(10_000));
        let error = parse_error(&format!(
            "[p.html]\n  expected:\n    if {condition}: ERROR\n"
        ));
        assert!(error.message.contains("nested too deeply"), "{error}");
        let nots = format!("{}debug", "not ".repeat(10_000));
        assert!(
            Metadata::parse(&format!("[p.html]\n  expected:\n    if {nots}: ERROR\n")).is_err()
        );
        let long_chain = vec!["debug"; 10_000].join(" or ");
        assert!(
            Metadata::parse(&format!(
                "[p.html]\n  expected:\n    if {long_chain}: ERROR\n"
            ))
            .is_ok()
        );
    }

    #[test]
    fn structural_mistakes_are_errors() {
        let cases = [
            ("[p.html]\n  expected FAIL\n", 2, "key: value"),
            ("[p.html]\n  expected:\n", 2, "has no value"),
            (
                "[p.html]\n  expected:\n    ERROR\n    if debug: CRASH\n",
                4,
                "must be the last",
            ),
            ("[p.html]\n  [s]\n    [deeper]\n", 3, "nest only two deep"),
            ("expected: ERROR\n", 1, "belongs inside"),
            (
                "[p.html]\n  expected: ERROR\n  expected: CRASH\n",
                3,
                "duplicate key",
            ),
            ("[p.html]\n[p.html]\n", 2, "duplicate section"),
            ("[p.html]\n  expected: []\n", 2, "empty"),
            ("[p.html]\n  if debug: ERROR\n", 2, "must be indented under"),
            ("[p.html]\n  bug: \"unclosed\n", 2, "badly quoted"),
        ];
        for (text, line, needle) in cases {
            let error = parse_error(text);
            assert_eq!(error.line, line, "{text:?}: {error}");
            assert!(error.message.contains(needle), "{text:?}: {error}");
            assert!(error.to_string().starts_with(&format!("line {line}: ")));
        }
    }

    // --- paths ----------------------------------------------------------------------------------

    #[test]
    fn ini_path_beside_the_test() {
        let path = ini_path(
            Path::new("/wpt/encrypted-media/x.any.js"),
            Path::new("/wpt"),
            None,
        );
        assert_eq!(path, PathBuf::from("/wpt/encrypted-media/x.any.js.ini"));
    }

    #[test]
    fn ini_path_in_a_metadata_directory() {
        let path = ini_path(
            Path::new("/wpt/encrypted-media/foo.https.html"),
            Path::new("/wpt"),
            Some(Path::new("/meta")),
        );
        assert_eq!(
            path,
            PathBuf::from("/meta/encrypted-media/foo.https.html.ini")
        );
        let outside = ini_path(
            Path::new("/elsewhere/a.html"),
            Path::new("/wpt"),
            Some(Path::new("/meta")),
        );
        assert_eq!(outside, PathBuf::from("/meta/elsewhere/a.html.ini"));
    }

    #[test]
    fn page_names_come_from_the_last_path_component() {
        assert_eq!(
            page_name("/encrypted-media/foo.https.html"),
            "foo.https.html"
        );
        assert_eq!(page_name("/dir/x.any.html?v=1/2"), "x.any.html?v=1/2");
        assert_eq!(page_name("bare.html"), "bare.html");
    }

    // --- run info -------------------------------------------------------------------------------

    #[test]
    fn current_run_info_has_the_documented_keys() {
        let info = RunInfo::current();
        assert_eq!(info.get("product"), Some(&RunInfoValue::from("eme")));
        assert_eq!(
            info.get("os"),
            Some(&RunInfoValue::from(std::env::consts::OS))
        );
        assert_eq!(
            info.get("processor"),
            Some(&RunInfoValue::from(std::env::consts::ARCH))
        );
        assert_eq!(
            info.get("debug"),
            Some(&RunInfoValue::Bool(cfg!(debug_assertions)))
        );
        assert_eq!(info.get("bits"), Some(&RunInfoValue::from(usize::BITS)));
        assert!(info.get("version").is_some());
        assert_eq!(
            info.to_json().get("bits"),
            Some(&serde_json::json!(usize::BITS))
        );
    }

    // --- compare --------------------------------------------------------------------------------

    fn expectation(text: &str, page: &str) -> FileExpectation {
        parse(text).page(page, &linux())
    }

    #[test]
    fn unexpected_failure_is_counted() {
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let comparison = compare(&result, &FileExpectation::default());
        assert!(comparison.subtests[0].verdict.unexpected);
        assert_eq!(comparison.unexpected_count(), 1);
        assert!(!comparison.is_expected());
    }

    #[test]
    fn unexpected_pass_is_counted() {
        let expected = expectation("[p.html]\n  [a]\n    expected: FAIL\n", "p.html");
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let comparison = compare(&result, &expected);
        assert!(comparison.subtests[0].verdict.unexpected);
        assert_eq!(comparison.unexpected_count(), 1);
    }

    #[test]
    fn expected_failure_and_intermittent_are_accepted() {
        let expected = expectation(
            "[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: [PASS, TIMEOUT]\n",
            "p.html",
        );
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Fail),
                subtest("b", SubtestStatus::Timeout),
            ],
        );
        let comparison = compare(&result, &expected);
        assert!(comparison.is_expected(), "{comparison:?}");
        assert_eq!(comparison.subtests.len(), 2);
        assert_eq!(comparison.subtests[1].name, "b");
    }

    #[test]
    fn disabled_subtest_is_ignored() {
        let expected = expectation("[p.html]\n  [a]\n    disabled: flaky\n", "p.html");
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let comparison = compare(&result, &expected);
        let verdict = &comparison.subtests[0].verdict;
        assert!(verdict.is_ignored());
        assert!(!verdict.unexpected);
        assert!(comparison.is_expected());
    }

    #[test]
    fn unexpected_file_status_is_counted() {
        let result = result("/d/p.html", FileStatus::Timeout, vec![]);
        let comparison = compare(&result, &FileExpectation::default());
        assert!(comparison.file.unexpected);
        assert_eq!(comparison.file.expected.expected, FileStatus::Ok);
        assert_eq!(comparison.unexpected_count(), 1);
        let expected = expectation("[p.html]\n  expected: TIMEOUT\n", "p.html");
        assert!(compare(&result, &expected).is_expected());
    }

    #[test]
    fn subtests_named_only_in_metadata_are_missing_but_not_unexpected() {
        let expected = expectation(
            "[p.html]\n  [gone]\n    expected: FAIL\n  [off]\n    disabled: x\n",
            "p.html",
        );
        let result = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let comparison = compare(&result, &expected);
        assert_eq!(comparison.missing, ["gone"]);
        assert!(comparison.is_expected());
    }

    // --- update ---------------------------------------------------------------------------------

    fn update(existing: Option<&str>, results: &[&FileResult]) -> Option<String> {
        match update_metadata(existing, results, &linux()) {
            Ok(text) => text,
            Err(error) => panic!("update failed: {error}"),
        }
    }

    /// The round-trip property: the updated file accepts every result it was given.
    fn assert_accepts_all(text: Option<&str>, results: &[&FileResult]) {
        let metadata = parse(text.unwrap_or(""));
        for result in results {
            let expectation = metadata.page(page_name(&result.test), &linux());
            let comparison = compare(result, &expectation);
            assert!(
                comparison.is_expected(),
                "{text:?} vs {result:?}: {comparison:?}"
            );
        }
    }

    #[test]
    fn accepted_file_stays_byte_identical() {
        let existing = "# why: Foo is not implemented\n[p.html]\n  expected:\n    if os == \"linux\": ERROR\n    OK\n  [a]   \n    expected: [FAIL, PASS]\n    bug: 12\n\n\n";
        let run = result(
            "/d/p.html",
            FileStatus::Error,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
    }

    #[test]
    fn new_failure_is_added() {
        let run = result(
            "/d/p.html",
            FileStatus::Error,
            vec![
                subtest("ok", SubtestStatus::Pass),
                subtest("z ]bad", SubtestStatus::Fail),
                subtest("a late", SubtestStatus::Timeout),
            ],
        );
        let text = update(None, &[&run]);
        assert_eq!(
            text.as_deref(),
            Some(
                "[p.html]\n  expected: ERROR\n  [z \\]bad]\n    expected: FAIL\n  [a late]\n    expected: TIMEOUT\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn new_failure_is_added_to_an_existing_file() {
        let existing = "[p.html]\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Fail),
                subtest("b", SubtestStatus::Notrun),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: NOTRUN\n")
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn fixed_failures_delete_the_file() {
        let existing = "# fails until Foo lands\n[p.html]\n  expected: ERROR\n  # flaky because of Bar\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]), None);
        assert_eq!(update(None, &[&run]), None);
    }

    #[test]
    fn fixed_subtest_loses_its_section_but_keeps_other_keys() {
        let existing = "[p.html]\n  [a]\n    expected: FAIL\n  [b]\n    expected: FAIL\n    bug: 7\n  [c]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Pass),
                subtest("b", SubtestStatus::Pass),
                subtest("c", SubtestStatus::Fail),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [b]\n    bug: 7\n  [c]\n    expected: FAIL\n")
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn conditional_entry_is_kept_while_it_still_accepts() {
        let existing = "[p.html]\n  [a]\n    expected:\n      if os == \"linux\": FAIL\n      if os == \"mac\": TIMEOUT\n";
        let fail = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        assert_eq!(update(Some(existing), &[&fail]).as_deref(), Some(existing));
        // No longer accepted: replaced by the unconditional actual status.
        let timeout = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Timeout)],
        );
        let text = update(Some(existing), &[&timeout]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  [a]\n    expected: TIMEOUT\n")
        );
        assert_accepts_all(text.as_deref(), &[&timeout]);
    }

    #[test]
    fn comments_stay_with_kept_sections_and_other_pages_are_untouched() {
        let existing = "# about the whole file\n\n# why q errors\n[q.html]\n  expected:\n    if debug: CRASH\n    ERROR\n\n# why p fails\n[p.html]\n    # why a fails\n    [a]\n        # slow on CI\n        expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![
                subtest("a", SubtestStatus::Timeout),
                subtest("b", SubtestStatus::Fail),
            ],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some(
                "# about the whole file\n\n# why q errors\n[q.html]\n  expected:\n    if debug: CRASH\n    ERROR\n\n# why p fails\n[p.html]\n    # why a fails\n    [a]\n        # slow on CI\n        expected: TIMEOUT\n    [b]\n      expected: FAIL\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&run]);
    }

    #[test]
    fn free_standing_comment_keeps_the_file() {
        let existing = "# keep me\n\n[p.html]\n  expected: ERROR\n";
        let run = result("/d/p.html", FileStatus::Ok, vec![]);
        assert_eq!(
            update(Some(existing), &[&run]).as_deref(),
            Some("# keep me\n")
        );
    }

    #[test]
    fn disabled_entries_are_kept() {
        let existing = "[p.html]\n  [a]\n    disabled: flaky\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
        let disabled_page = "[p.html]\n  disabled: no\n";
        let failing = result("/d/p.html", FileStatus::Crash, vec![]);
        assert_eq!(
            update(Some(disabled_page), &[&failing]).as_deref(),
            Some(disabled_page)
        );
    }

    #[test]
    fn file_status_goes_first_in_an_existing_section() {
        let existing = "[p.html]\n  bug: 3\n  [a]\n    expected: FAIL\n";
        let run = result(
            "/d/p.html",
            FileStatus::Timeout,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let text = update(Some(existing), &[&run]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  expected: TIMEOUT\n  bug: 3\n  [a]\n    expected: FAIL\n")
        );
    }

    #[test]
    fn disagreeing_runs_become_a_list() {
        let first = result(
            "/d/p.html",
            FileStatus::Ok,
            vec![subtest("a", SubtestStatus::Fail)],
        );
        let second = result(
            "/d/p.html",
            FileStatus::Timeout,
            vec![subtest("a", SubtestStatus::Pass)],
        );
        let text = update(None, &[&first, &second]);
        assert_eq!(
            text.as_deref(),
            Some("[p.html]\n  expected: [OK, TIMEOUT]\n  [a]\n    expected: [FAIL, PASS]\n")
        );
        assert_accepts_all(text.as_deref(), &[&first, &second]);
    }

    #[test]
    fn new_pages_are_appended_and_stale_subtests_dropped() {
        let existing = "[x.any.html]\n  [gone]\n    expected: FAIL\n  [kept]\n    expected: FAIL\n";
        let window = result(
            "/d/x.any.html",
            FileStatus::Ok,
            vec![subtest("kept", SubtestStatus::Fail)],
        );
        let worker = result("/d/x.any.worker.html", FileStatus::Error, vec![]);
        let text = update(Some(existing), &[&window, &worker]);
        assert_eq!(
            text.as_deref(),
            Some(
                "[x.any.html]\n  [kept]\n    expected: FAIL\n\n[x.any.worker.html]\n  expected: ERROR\n"
            )
        );
        assert_accepts_all(text.as_deref(), &[&window, &worker]);
    }

    #[test]
    fn subtests_are_not_dropped_when_the_page_stopped_early() {
        let existing = "[p.html]\n  expected: TIMEOUT\n  [late]\n    expected: NOTRUN\n";
        let run = result("/d/p.html", FileStatus::Timeout, vec![]);
        assert_eq!(update(Some(existing), &[&run]).as_deref(), Some(existing));
    }

    #[test]
    fn update_reports_parse_errors() {
        let run = result("/d/p.html", FileStatus::Ok, vec![]);
        let error = update_metadata(Some("[p.html\n"), &[&run], &linux());
        assert!(
            matches!(error, Err(ParseError { line: 1, .. })),
            "{error:?}"
        );
    }

    #[test]
    fn round_trip_accepts_every_result_in_a_mixed_run() {
        let existing = "[a.html]\n  expected:\n    if os == \"mac\": CRASH\n  [s1]\n    expected:\n      if debug: FAIL\n      [TIMEOUT, NOTRUN]\n\n[b.html]\n  [t]\n    bug: 1\n";
        let names = ["s1", "s2", "we\\ird]\nname"];
        let mut runs = Vec::new();
        for (index, status) in SubtestStatus::ALL.iter().enumerate() {
            let file_status = FileStatus::ALL[index % FileStatus::ALL.len()];
            let subtests = names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    subtest(
                        name,
                        SubtestStatus::ALL[(index + i) % SubtestStatus::ALL.len()],
                    )
                })
                .collect();
            let page = if index % 2 == 0 {
                "/d/a.html"
            } else {
                "/d/b.html"
            };
            runs.push(result(page, file_status, subtests));
            runs.push(result(
                "/d/c.html",
                file_status,
                vec![subtest("only", *status)],
            ));
        }
        let refs: Vec<&FileResult> = runs.iter().collect();
        let text = update(Some(existing), &refs);
        assert_accepts_all(text.as_deref(), &refs);
        // Updating again with the same results changes nothing.
        assert_eq!(update(text.as_deref(), &refs), text);
    }

    /// A tiny deterministic generator, so the property test needs no extra crate.
    struct Xorshift(u64);

    impl Xorshift {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    #[test]
    fn generated_inputs_never_panic_and_updates_round_trip() {
        const FRAGMENTS: &[&str] = &[
            "[p.html]",
            "[q.html]",
            "[s]",
            "[t\\]u]",
            "[a",
            "[x\\",
            "[\\x41]",
            "[]",
            "expected: FAIL",
            "expected: OK",
            "expected: ERROR",
            "expected: [PASS, FAIL]",
            "expected: [TIMEOUT, OK]",
            "expected:",
            "if os == \"linux\": FAIL",
            "if debug: ERROR",
            "if not debug and bits == 64: [FAIL, PASS]",
            "if (not debug: X",
            "if os == 'a:b' or (x != 1): TIMEOUT",
            "TIMEOUT",
            "PASS",
            "OK",
            "bug: 1",
            "disabled: r",
            "disabled:",
            "disabled: @False",
            "# c",
            "",
            "\tx",
            "key",
            "if",
            "\"",
            "\\",
            "::",
            "é[ü]",
            "expected: \"FAIL",
            "prefs: [a, \"b]",
            "\u{feff}x",
        ];
        const INDENTS: &[&str] = &["", "", "  ", "  ", "    ", "      ", "   ", " "];
        let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
        let run_info = linux();
        let mut parsed = 0;
        for _ in 0..4000 {
            let line_count = random.below(10);
            let mut text = String::new();
            for _ in 0..line_count {
                text.push_str(random.pick(INDENTS));
                text.push_str(random.pick(FRAGMENTS));
                text.push_str(if random.below(8) == 0 { "\r\n" } else { "\n" });
            }
            let metadata = match Metadata::parse(&text) {
                Ok(metadata) => metadata,
                Err(error) => {
                    assert!(
                        error.line >= 1 && error.line <= line_count,
                        "{text:?}: {error}"
                    );
                    continue;
                }
            };
            parsed += 1;
            for name in metadata.page_names() {
                let _ = metadata.page(name, &run_info);
            }
            let mut results = Vec::new();
            for _ in 0..random.below(4) {
                let test = random.pick(&["/d/p.html", "/d/q.html", "/d/r]\n.html"]);
                let subtests = (0..random.below(4))
                    .map(|_| {
                        let name = random.pick(&["s", "t]u", "v", "", "w\\"]);
                        let status = SubtestStatus::ALL[random.below(SubtestStatus::ALL.len())];
                        subtest(name, status)
                    })
                    .collect();
                let status = FileStatus::ALL[random.below(FileStatus::ALL.len())];
                results.push(result(test, status, subtests));
            }
            let refs: Vec<&FileResult> = results.iter().collect();
            let updated = match update_metadata(Some(&text), &refs, &run_info) {
                Ok(updated) => updated,
                Err(error) => panic!("{text:?} parsed but failed to update: {error}"),
            };
            if let Some(updated) = &updated
                && let Err(error) = Metadata::parse(updated)
            {
                panic!("update of {text:?} wrote unparseable {updated:?}: {error}");
            }
            let updated_metadata = parse(updated.as_deref().unwrap_or(""));
            for result in &refs {
                let expectation = updated_metadata.page(page_name(&result.test), &run_info);
                if expectation.disabled.is_none() {
                    let comparison = compare(result, &expectation);
                    assert!(
                        comparison.is_expected(),
                        "{text:?} -> {updated:?} does not accept {result:?}"
                    );
                }
            }
        }
        // The generator must exercise the success path, not only errors.
        assert!(parsed > 300, "only {parsed} inputs parsed");
    }
}
