//! The lossless document model of a metadata file: every source line is kept with the entry it
//! belongs to, so a file can be resolved for a run ([`Metadata::page`]) and written back with
//! only the entries an update touched changed.

use std::str::FromStr;

use super::condition::Condition;
use super::literals::{escape_heading, parse_value};
use super::parser::parse_items;
use super::run_info::RunInfo;
use super::{Expected, FileExpectation, ParseError, SubtestExpectation};

/// A key's value: a plain (possibly quoted) string or a `[A, B]` list.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    List(Vec<String>),
}

impl Value {
    /// The status(es) of an `expected` value; `None` only if it was not validated as `S`.
    pub(super) fn statuses<S: FromStr>(&self) -> Option<Expected<S>> {
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
    pub(super) fn disabled_reason(&self) -> Option<String> {
        match self {
            Self::Text(text) if text == "@False" => None,
            Self::Text(text) => Some(text.clone()),
            Self::List(items) => Some(items.join(", ")),
        }
    }
}

/// One line of a key's value: `if <condition>: value`, or the unconditional default.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Branch {
    pub(super) condition: Option<Condition>,
    pub(super) value: Value,
    pub(super) line: usize,
}

/// A `key: value` entry with the source lines it came from, so it can be written back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KeyEntry {
    pub(super) comments_above: Vec<String>,
    pub(super) name: String,
    pub(super) branches: Vec<Branch>,
    pub(super) source_lines: Vec<String>,
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
    pub(super) fn unconditional(name: &str, value_text: String, indent: usize) -> Self {
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
pub(super) struct Section {
    pub(super) comments_above: Vec<String>,
    pub(super) name: String,
    pub(super) heading_line: String,
    pub(super) indent: usize,
    /// The indentation of the lines under the heading; `None` while there are none.
    pub(super) body_indent: Option<usize>,
    pub(super) items: Vec<Item>,
}

impl Section {
    pub(super) fn new(name: &str, indent: usize) -> Self {
        Self {
            comments_above: Vec::new(),
            name: name.to_owned(),
            heading_line: format!("{:indent$}[{}]", "", escape_heading(name)),
            indent,
            body_indent: None,
            items: Vec::new(),
        }
    }

    pub(super) fn child_indent(&self) -> usize {
        self.body_indent.unwrap_or(self.indent + 2)
    }

    pub(super) fn key_index(&self, name: &str) -> Option<usize> {
        self.items
            .iter()
            .position(|item| matches!(item, Item::Key(key) if key.name == name))
    }

    pub(super) fn subsection_index(&self, name: &str) -> Option<usize> {
        section_index(&self.items, name)
    }

    /// No keys and no subsections: only comments or blank lines, if anything.
    pub(super) fn is_empty(&self) -> bool {
        !self
            .items
            .iter()
            .any(|item| matches!(item, Item::Key(_) | Item::Section(_)))
    }

    pub(super) fn disabled(&self, run_info: &RunInfo) -> Option<String> {
        disabled_in(&self.items, run_info)
    }

    pub(super) fn expected<S>(&self, run_info: &RunInfo) -> Expected<S>
    where
        S: FromStr,
        Expected<S>: Default,
    {
        key_in(&self.items, "expected")
            .and_then(|key| key.resolve(run_info))
            .and_then(Value::statuses)
            .unwrap_or_default()
    }
}

/// Something in a file or section body, in source order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
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

fn sections_in(items: &[Item]) -> impl Iterator<Item = &Section> {
    items.iter().filter_map(|item| match item {
        Item::Section(section) => Some(section),
        _ => None,
    })
}

fn section_index(items: &[Item], name: &str) -> Option<usize> {
    items
        .iter()
        .position(|item| matches!(item, Item::Section(section) if section.name == name))
}

/// The reason a `disabled` key among `items` gives for `run_info`, if any.
fn disabled_in(items: &[Item], run_info: &RunInfo) -> Option<String> {
    key_in(items, "disabled")?
        .resolve(run_info)?
        .disabled_reason()
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

/// One parsed metadata file (which may describe several pages).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    pub(super) items: Vec<Item>,
}

impl Metadata {
    /// Reads a metadata file; an error names the line and what is wrong with it.
    pub fn parse(text: &str) -> Result<Metadata, ParseError> {
        // Editors on some systems prepend a byte-order mark; it is not part of the first line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Ok(Metadata {
            items: parse_items(text)?,
        })
    }

    /// The names of the pages the file has sections for, in file order.
    pub fn page_names(&self) -> impl Iterator<Item = &str> {
        sections_in(&self.items).map(|section| section.name.as_str())
    }

    /// What the file says about `page_name` (e.g. `foo.https.html`) for `run_info`; the defaults
    /// (`OK`, every subtest `PASS`, nothing disabled) where it says nothing.
    pub fn page(&self, page_name: &str, run_info: &RunInfo) -> FileExpectation {
        let file_disabled = self.file_disabled(run_info);
        let Some(section) = sections_in(&self.items).find(|section| section.name == page_name)
        else {
            return FileExpectation {
                disabled: file_disabled,
                ..FileExpectation::default()
            };
        };
        let subtests = sections_in(&section.items)
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

    /// A top-level `disabled` covers every page in the file, as in wptrunner.
    pub(super) fn file_disabled(&self, run_info: &RunInfo) -> Option<String> {
        disabled_in(&self.items, run_info)
    }

    pub(super) fn page_index(&self, name: &str) -> Option<usize> {
        section_index(&self.items, name)
    }

    /// Whether writing the file is worth it: it has an entry, or a comment of its own.
    pub(super) fn has_content(&self) -> bool {
        self.items.iter().any(|item| match item {
            Item::Trivia(line) => !line.trim().is_empty(),
            Item::Key(_) | Item::Section(_) => true,
        })
    }

    /// The file's text, with runs of blank lines (left where entries were removed) squeezed.
    pub(super) fn render(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectations::test_support::{linux, parse};
    use crate::results::{FileStatus, SubtestStatus};

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

    /// Evaluates one conditional `expected` under `run_info`.
    fn conditional(condition: &str, run_info: &RunInfo) -> SubtestStatus {
        let text = format!("[p.html]\n  [s]\n    expected:\n      if {condition}: FAIL\n");
        parse(&text)
            .page("p.html", run_info)
            .subtest("s")
            .status
            .expected
    }

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
}
