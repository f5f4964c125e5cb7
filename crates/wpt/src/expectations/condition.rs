//! The condition language of `if <condition>: value` lines: names looked up in the run info,
//! string, number and boolean literals, `==`, `!=`, `not`, `and`, `or` and parentheses, with
//! Python-like truthiness, as wptrunner's manifest conditions have.

use std::fmt;

use super::ParseError;
use super::run_info::{RunInfo, RunInfoValue};

/// A condition from an `if <condition>: value` line.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Condition {
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

    pub(super) fn holds(&self, run_info: &RunInfo) -> bool {
        self.evaluate(run_info)
            .is_some_and(|value| value.is_truthy())
    }
}

/// Reads the rest of an `if <condition>: value` line (the text after `if`): the condition, and
/// the value text after the `:` that ends it.
pub(super) fn parse_condition(
    after_if: &str,
    line: usize,
) -> Result<(Condition, &str), ParseError> {
    let (tokens, value_text) = tokenize_condition(after_if, line)?;
    Ok((ConditionParser::parse(tokens, line)?, value_text))
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
        self.chain("or", Self::all, Condition::Any)
    }

    fn all(&mut self) -> Result<Condition, ParseError> {
        self.chain("and", Self::negation, Condition::All)
    }

    /// `operand (word operand)*` as one flat list, `combine`d when there are several operands.
    fn chain(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Result<Condition, ParseError>,
        combine: fn(Vec<Condition>) -> Condition,
    ) -> Result<Condition, ParseError> {
        let mut parts = vec![operand(self)?];
        while self.next_is_word(word) {
            self.position += 1;
            parts.push(operand(self)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            combine(parts)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectations::test_support::linux;

    /// Whether `condition` holds for `run_info`; panics if it does not parse.
    fn holds(condition: &str, run_info: &RunInfo) -> bool {
        match parse_condition(&format!(" {condition}: FAIL"), 1) {
            Ok((parsed, value)) => {
                assert_eq!(value, " FAIL", "{condition}");
                parsed.holds(run_info)
            }
            Err(error) => panic!("{condition:?} should parse: {error}"),
        }
    }

    /// The error for the condition line `if_line` (`if …: value`), as if on line 4.
    fn condition_error(if_line: &str) -> ParseError {
        let after_if = if_line.strip_prefix("if").unwrap_or(if_line);
        match parse_condition(after_if, 4) {
            Ok((parsed, _)) => panic!("{if_line:?} should not parse, got {parsed:?}"),
            Err(error) => error,
        }
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
        for (condition, expected) in cases {
            assert_eq!(holds(condition, &info), expected, "{condition}");
        }
    }

    #[test]
    fn colon_inside_a_string_does_not_end_the_condition() {
        let info = RunInfo::new().with("tag", "a:b");
        assert!(holds("tag == \"a:b\"", &info));
        assert!(holds("tag != 'a' and tag == 'a:b'", &info));
    }

    #[test]
    fn bad_conditions_are_errors_on_their_line() {
        let bad = [
            "if os = \"linux\": FAIL",
            "if os == : FAIL",
            "if (os == \"linux\": FAIL",
            "if os == \"linux\" FAIL",
            "if os == \"linux: FAIL",
            "if os == \"a\" == \"b\": FAIL",
            "if and: FAIL",
            "if : FAIL",
            "if os @ 1: FAIL",
        ];
        for line in bad {
            let error = condition_error(line);
            assert_eq!(error.line, 4, "{line}: {error}");
            assert!(
                error.message.starts_with("bad condition: "),
                "{line}: {error}"
            );
        }
    }

    #[test]
    fn deeply_nested_conditions_are_refused_not_overflowed() {
        let parens = format!(
            "if {}debug{}: ERROR",
            "(".repeat(10_000),
            ")".repeat(10_000)
        );
        let error = condition_error(&parens);
        assert!(error.message.contains("nested too deeply"), "{error}");
        let nots = format!("if {}debug: ERROR", "not ".repeat(10_000));
        assert!(condition_error(&nots).message.contains("nested too deeply"));
        let long_chain = vec!["debug"; 10_000].join(" or ");
        assert!(!holds(&long_chain, &linux()));
    }
}
