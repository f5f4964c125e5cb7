//! What the runner loads for one test: a [`Page`] — its scripts in document order, its title
//! and its timeout — read from an `.html` wrapper or generated for `.any.js` / `.window.js`
//! files the way WPT's server generates their pages.
//!
//! The HTML reader ([`crate::markup`]) understands what a testharness page needs: `<script>`
//! elements (external and inline, with their line numbers so errors point into the file),
//! `<title>`, `<meta name="timeout">` and `<meta name="variant">`, and the body's elements and
//! text, recorded as building steps between the scripts so that an element before a script in
//! the markup exists when that script runs. A general HTML parser would build a whole DOM and
//! forget the source positions that make error locations useful, so this small reader is the
//! project's.

use serde::{Deserialize, Serialize};

use crate::markup::{BodyBuilder, BodyOp, StartTag, Token, Tokenizer, decode_entities};

/// One script of a page, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageScript {
    /// `<script src>` / `// META: script=`: the URL as written, resolved against the page.
    External {
        /// The `src` attribute or `script=` value, unresolved.
        src: String,
    },
    /// An inline `<script>`; `line` is the 1-based line of its first character in `file`.
    Inline {
        /// The script's source text, as written.
        text: String,
        /// The 1-based line in `file` where `text` starts.
        line: usize,
    },
    /// A `<script>` the runner cannot run (an ES module, an unknown `type`), with the reason.
    Unsupported {
        /// Why it is not run.
        reason: String,
    },
}

/// A test page ready to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The page's URL path under the root (`/encrypted-media/a.https.html`,
    /// `/x/y.any.html`), without the variant.
    pub path: String,
    /// The variant (`?foo`, or `""`): a page with variants is one test per variant.
    pub variant: String,
    /// The file the scripts come from (for inline scripts' names in errors).
    pub file: String,
    /// The document title (`<title>` / `// META: title=`), which testharness.js uses to name
    /// a single-test page's only subtest; `None` without one.
    pub title: Option<String>,
    /// `<meta name="timeout" content="long">` / `// META: timeout=long`.
    pub long_timeout: bool,
    /// The scripts to run, in document order.
    pub scripts: Vec<PageScript>,
    /// The body's markup as building steps: `body[i]` is what the parser inserts before
    /// `scripts[i]` runs, `body[scripts.len()]` what follows the last script (see
    /// [`crate::markup`]). Empty for generated pages.
    #[serde(default)]
    pub body: Vec<Vec<BodyOp>>,
}

impl Page {
    /// The test's name as WPT reports it: path plus variant.
    pub fn test_name(&self) -> String {
        format!("{}{}", self.path, self.variant)
    }
}

/// Whether an HTML file is a testharness.js test (it loads `testharness.js`); reftests,
/// manual tests and support pages are not.
pub fn is_testharness_page(html: &str) -> bool {
    scan_html(html)
        .scripts
        .iter()
        .any(|script| matches!(script, PageScript::External { src } if loads_testharness(src)))
}

fn loads_testharness(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    path == "testharness.js" || path.ends_with("/testharness.js")
}

/// The pages of an HTML test file: one, or one per `<meta name="variant">`.
pub fn pages_from_html(html: &str, path: &str, file: &str) -> Vec<Page> {
    let scan = scan_html(html);
    let page = Page {
        path: path.to_owned(),
        variant: String::new(),
        file: file.to_owned(),
        title: scan.title,
        long_timeout: scan.long_timeout,
        scripts: scan.scripts,
        body: scan.body,
    };
    with_variants(page, scan.variants)
}

/// Which kind of script test a `.js` file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptTestKind {
    /// `x.any.js`: run in every global its `// META: global=` names; here, the window.
    Any,
    /// `x.window.js`: a window test.
    Window,
}

/// The page WPT generates for a script test (before variants), or `None` when it does not run
/// in a window (`// META: global=` without `window`). `path` is the `.js` file's URL path.
fn page_from_script_test(
    source: &str,
    path: &str,
    file: &str,
    kind: ScriptTestKind,
) -> Option<Page> {
    let meta = read_meta(source);
    if kind == ScriptTestKind::Any && !meta.runs_in_window {
        return None;
    }
    let (stem, page_suffix) = match kind {
        ScriptTestKind::Any => (path.strip_suffix(".any.js")?, ".any.html"),
        ScriptTestKind::Window => (path.strip_suffix(".window.js")?, ".window.html"),
    };
    let mut scripts = Vec::new();
    if kind == ScriptTestKind::Any {
        scripts.push(PageScript::Inline {
            text: "self.GLOBAL = { isWindow: function () { return true; }, \
                   isWorker: function () { return false; }, \
                   isShadowRealm: function () { return false; } };"
                .to_owned(),
            line: 1,
        });
    }
    scripts.push(PageScript::External {
        src: "/resources/testharness.js".to_owned(),
    });
    scripts.push(PageScript::External {
        src: "/resources/testharnessreport.js".to_owned(),
    });
    scripts.extend(
        meta.scripts
            .into_iter()
            .map(|src| PageScript::External { src }),
    );
    let file_name = path.rsplit('/').next().unwrap_or(path);
    scripts.push(PageScript::External {
        src: file_name.to_owned(),
    });
    Some(Page {
        path: format!("{stem}{page_suffix}"),
        variant: String::new(),
        file: file.to_owned(),
        title: meta.title,
        long_timeout: meta.long_timeout,
        scripts,
        body: Vec::new(),
    })
}

/// Every page of a script test: one per `// META: variant=`, or one.
pub fn pages_from_script_test(
    source: &str,
    path: &str,
    file: &str,
    kind: ScriptTestKind,
) -> Vec<Page> {
    let Some(page) = page_from_script_test(source, path, file, kind) else {
        return Vec::new();
    };
    with_variants(page, read_meta(source).variants)
}

fn with_variants(page: Page, variants: Vec<String>) -> Vec<Page> {
    if variants.is_empty() {
        return vec![page];
    }
    variants
        .into_iter()
        .map(|variant| Page {
            variant,
            ..page.clone()
        })
        .collect()
}

/// The `// META:` header of a script test.
#[derive(Debug, Default)]
struct Meta {
    scripts: Vec<String>,
    title: Option<String>,
    long_timeout: bool,
    runs_in_window: bool,
    variants: Vec<String>,
}

fn read_meta(source: &str) -> Meta {
    let mut meta = Meta {
        runs_in_window: true,
        ..Meta::default()
    };
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        // The header is the run of `//` comment lines at the top of the file.
        let Some(comment) = line.strip_prefix("//") else {
            break;
        };
        let Some(directive) = comment.trim_start().strip_prefix("META:") else {
            continue;
        };
        let Some((key, value)) = directive.trim().split_once('=') else {
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "script" => meta.scripts.push(value.to_owned()),
            "title" => meta.title = Some(value.to_owned()),
            "timeout" => meta.long_timeout = value == "long",
            "global" => {
                meta.runs_in_window = value
                    .split(',')
                    .map(str::trim)
                    .any(|global| matches!(global, "window" | "default"));
            }
            "variant" => meta.variants.push(value.to_owned()),
            _ => {}
        }
    }
    meta
}

/// What [`scan_html`] found.
#[derive(Debug, Default)]
struct HtmlScan {
    title: Option<String>,
    long_timeout: bool,
    variants: Vec<String>,
    scripts: Vec<PageScript>,
    body: Vec<Vec<BodyOp>>,
}

/// Walks the markup once, collecting scripts, title, the meta elements the harness reads and
/// the body's elements between the scripts.
fn scan_html(html: &str) -> HtmlScan {
    let mut scan = HtmlScan::default();
    let mut body = BodyBuilder::default();
    for token in Tokenizer::new(html) {
        match token {
            Token::Start(tag) => {
                if tag.name == "meta" {
                    match (tag.attribute("name"), tag.attribute("content")) {
                        (Some("timeout"), Some(content)) => scan.long_timeout = content == "long",
                        (Some("variant"), Some(content)) => {
                            scan.variants.push(content.to_owned());
                        }
                        _ => {}
                    }
                }
                body.start(&tag, None);
            }
            Token::End(name) => body.end(&name),
            Token::Text(text) => body.text(text),
            Token::Raw { tag, text, start } => match tag.name.as_str() {
                "script" => {
                    body.start(&tag, None);
                    if let Some(script) = script_of(&tag, text, line_of(html, start)) {
                        body.script();
                        scan.scripts.push(script);
                    }
                }
                "title" => {
                    body.start(&tag, None);
                    if scan.title.is_none() {
                        scan.title = Some(decode_entities(text.trim()));
                    }
                }
                _ => body.start(&tag, Some(text)),
            },
        }
    }
    scan.body = body.finish();
    scan
}

fn script_of(tag: &StartTag, text: &str, line: usize) -> Option<PageScript> {
    let kind = tag.attribute("type").map(|t| t.trim().to_ascii_lowercase());
    match kind.as_deref() {
        None
        | Some(
            ""
            | "text/javascript"
            | "application/javascript"
            | "text/ecmascript"
            | "application/ecmascript"
            | "application/x-javascript",
        ) => {}
        Some("module") => {
            return Some(PageScript::Unsupported {
                reason: "module scripts are not supported".to_owned(),
            });
        }
        // A data block (`type="text/plain"`, JSON…) is not run, as in a browser.
        Some(_) => return None,
    }
    Some(match tag.attribute("src") {
        Some(src) => PageScript::External {
            src: src.trim().to_owned(),
        },
        None => PageScript::Inline {
            text: text.to_owned(),
            line,
        },
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<meta charset="utf-8">
<META NAME=timeout content="long">
<title>Keys &amp; statuses</title>
<!-- <script src="commented-out.js"></script> -->
<script src="/resources/testharness.js"></script>
<script src='/resources/testharnessreport.js'></script>
<script type="text/plain">not run</script>
<script>
  runTest("</scrip", 1 < 2);
</SCRIPT>
<style>p { content: "<script>" }</style>
<script type=module src=m.js></script>
"#;

    #[test]
    fn html_pages_list_scripts_in_document_order_with_inline_lines() {
        let pages = pages_from_html(PAGE, "/d/a.html", "wpt/d/a.html");
        assert_eq!(pages.len(), 1);
        let page = &pages[0];
        assert_eq!(page.title.as_deref(), Some("Keys & statuses"));
        assert!(page.long_timeout);
        assert_eq!(
            page.scripts,
            vec![
                PageScript::External {
                    src: "/resources/testharness.js".into()
                },
                PageScript::External {
                    src: "/resources/testharnessreport.js".into()
                },
                PageScript::Inline {
                    text: "\n  runTest(\"</scrip\", 1 < 2);\n".into(),
                    line: 9
                },
                PageScript::Unsupported {
                    reason: "module scripts are not supported".into()
                },
            ]
        );
        assert!(is_testharness_page(PAGE));
        assert!(!is_testharness_page(
            "<script src=other.js></script><!-- testharness.js -->"
        ));
    }

    #[test]
    fn html_variants_make_one_page_each() {
        let html = r#"<meta name="variant" content="?1-10"><meta name="variant" content="?11-20">
<script src="/resources/testharness.js"></script>"#;
        let pages = pages_from_html(html, "/v.html", "v.html");
        let names: Vec<String> = pages.iter().map(Page::test_name).collect();
        assert_eq!(names, ["/v.html?1-10", "/v.html?11-20"]);
    }

    #[test]
    fn any_js_gets_the_generated_window_page() {
        let source = "// META: title=Syntax\n// META: script=/common/utils.js\n// META: timeout=long\n\ntest(() => {});\n// META: script=ignored.js\n";
        let page = page_from_script_test(source, "/d/x.any.js", "d/x.any.js", ScriptTestKind::Any)
            .unwrap();
        assert_eq!(page.path, "/d/x.any.html");
        assert_eq!(page.title.as_deref(), Some("Syntax"));
        assert!(page.long_timeout);
        let externals: Vec<&str> = page
            .scripts
            .iter()
            .filter_map(|s| match s {
                PageScript::External { src } => Some(src.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            externals,
            [
                "/resources/testharness.js",
                "/resources/testharnessreport.js",
                "/common/utils.js",
                "x.any.js"
            ]
        );
        assert!(
            matches!(&page.scripts[0], PageScript::Inline { text, .. } if text.contains("isWindow"))
        );
    }

    #[test]
    fn script_tests_outside_the_window_are_not_pages() {
        let source = "// META: global=worker,sharedworker\n";
        assert!(
            pages_from_script_test(source, "/x.any.js", "x.any.js", ScriptTestKind::Any).is_empty()
        );
        let window =
            pages_from_script_test("", "/y.window.js", "y.window.js", ScriptTestKind::Window);
        assert_eq!(window[0].path, "/y.window.html");
        assert_eq!(window[0].scripts.len(), 3);
    }

    #[test]
    fn entities_decode_named_and_numeric_references() {
        assert_eq!(
            decode_entities("a &lt;b&gt; &#65;&#x42; &bogus; & c"),
            "a <b> AB &bogus; & c"
        );
    }
}
