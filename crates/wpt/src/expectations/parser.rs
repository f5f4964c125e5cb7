//! The line parser of metadata files: indentation gives the structure (file, `[page]`,
//! `[subtest]`, `key:` with indented `if` branches); every line, comments and blank ones too,
//! ends up in an [`Item`] so the file can be written back as it was.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use super::ParseError;
use super::condition::parse_condition;
use super::document::{Branch, Item, KeyEntry, Section, Value};
use super::literals::{parse_heading, parse_value_strict};
use crate::results::{FileStatus, SubtestStatus};

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

/// The items of a metadata file (without a byte-order mark), in source order.
pub(super) fn parse_items(text: &str) -> Result<Vec<Item>, ParseError> {
    let mut parser = Parser {
        lines: classify_lines(text)?,
        position: 0,
    };
    let (mut items, _) = parser.parse_block(Level::File, None)?;
    let (loose, trailing_comments) = parser.take_trivia();
    items.extend(loose);
    items.extend(trailing_comments.into_iter().map(Item::Trivia));
    Ok(items)
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
                    let (condition, value_text) = parse_condition(after, number)?;
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

#[cfg(test)]
mod tests {
    use crate::expectations::test_support::{linux, parse, parse_error};
    use crate::results::{FileStatus, SubtestStatus};

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
            (
                "[p.html]\n  [s]\n    expected:\n      if os = \"linux\": FAIL\n",
                4,
                "bad condition",
            ),
            (
                "[p.html]\n  expected:\n    if os == \"linux\":\n",
                3,
                "no value after",
            ),
        ];
        for (text, line, needle) in cases {
            let error = parse_error(text);
            assert_eq!(error.line, line, "{text:?}: {error}");
            assert!(error.message.contains(needle), "{text:?}: {error}");
            assert!(error.to_string().starts_with(&format!("line {line}: ")));
        }
    }
}
