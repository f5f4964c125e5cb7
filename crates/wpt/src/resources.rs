//! Where a URL of a test page comes from: the runner's own `testharnessreport.js`, a file
//! under the tests' root, or — for the harness files and spec IDL a root may not carry — the
//! set-up cache of test dependencies (laid out like a root: `resources/testharness.js`,
//! `resources/idlharness.js`, `resources/WebIDLParser.js`, `interfaces/*.idl`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

/// The runner's result glue, always served for `/resources/testharnessreport.js`.
pub const TESTHARNESS_REPORT: &str = include_str!("js/testharnessreport.js");
const TESTHARNESS_REPORT_PATH: &str = "/resources/testharnessreport.js";

/// The host every page is served from, as WPT's server names it.
const HOST: &str = "web-platform.test";

/// The directories pages are served from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// The tests' root (`/` of every URL).
    pub root: PathBuf,
    /// The set-up cache of test dependencies, consulted when the root lacks a file.
    pub deps: Option<PathBuf>,
}

/// A loaded resource: its text and the name errors use for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// A path a reader can open (`wpt-subset/encrypted-media/util/utils.js`), or the URL path
    /// of the runner's own glue.
    pub name: String,
    /// The resource's contents, decoded as UTF-8 (invalid bytes replaced).
    pub text: String,
}

/// Why a URL could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The reference does not parse as a URL, or names a host other than the test server's.
    #[error("{url}: not a URL of this server")]
    OtherOrigin {
        /// The reference as written, or the resolved URL when its host is foreign.
        url: String,
    },
    /// Neither the root nor the dependency cache holds a file at the URL's path.
    #[error("{path}: no such file under {root}{deps}", deps = deps_hint(.deps))]
    NotFound {
        /// The URL path that was looked up.
        path: String,
        /// The tests' root that was searched.
        root: String,
        /// The dependency cache that was searched, if there is one.
        deps: Option<String>,
    },
    /// The file exists but could not be read.
    #[error("{path}: {error}")]
    Unreadable {
        /// The URL path of the file.
        path: String,
        /// The I/O error, as text.
        error: String,
    },
}

fn deps_hint(deps: &Option<String>) -> String {
    match deps {
        Some(deps) => format!(" or {deps}"),
        None => " (and no test-dependency cache was found: run scripts/fetch-test-deps, or pass --deps DIR)".to_owned(),
    }
}

/// The page's URL: `https` on WPT's https port for `.https.` files, else `http`.
pub fn page_url(path: &str, variant: &str) -> Url {
    let secure = path
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains(".https."));
    let origin = if secure {
        format!("https://{HOST}:8443")
    } else {
        format!("http://{HOST}:8000")
    };
    Url::parse(&format!("{origin}{path}{variant}"))
        .unwrap_or_else(|_| Url::parse(&format!("{origin}/")).expect("a constant URL parses"))
}

impl Resources {
    /// Resolves `reference` (as written in the page) against the page's URL.
    pub fn resolve(&self, page: &Url, reference: &str) -> Result<Url, LoadError> {
        let url = page.join(reference).map_err(|_| LoadError::OtherOrigin {
            url: reference.to_owned(),
        })?;
        if url.host_str() != Some(HOST) {
            return Err(LoadError::OtherOrigin {
                url: url.to_string(),
            });
        }
        Ok(url)
    }

    /// The text behind a URL of this server.
    pub fn load(&self, url: &Url) -> Result<Loaded, LoadError> {
        let (name, bytes) = self.load_bytes(url)?;
        Ok(Loaded {
            name,
            // Pages are UTF-8 (WPT requires it); a stray invalid byte must not hide the rest.
            text: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    /// The bytes behind a URL of this server (media files are binary), with the name errors
    /// use for it.
    pub fn load_bytes(&self, url: &Url) -> Result<(String, Vec<u8>), LoadError> {
        let path = url.path();
        if path == TESTHARNESS_REPORT_PATH {
            return Ok((path.to_owned(), TESTHARNESS_REPORT.as_bytes().to_vec()));
        }
        let file = self.locate(path).ok_or_else(|| LoadError::NotFound {
            path: path.to_owned(),
            root: self.root.display().to_string(),
            deps: self.deps.as_ref().map(|deps| deps.display().to_string()),
        })?;
        let bytes = std::fs::read(&file).map_err(|error| LoadError::Unreadable {
            path: path.to_owned(),
            error: error.to_string(),
        })?;
        Ok((file.display().to_string(), bytes))
    }

    /// The file for a URL path: under the root if it is there, else in the dependency cache.
    fn locate(&self, url_path: &str) -> Option<PathBuf> {
        let relative = percent_decode(url_path.trim_start_matches('/'))?;
        [Some(&self.root), self.deps.as_ref()]
            .into_iter()
            .flatten()
            .map(|base| base.join(&relative))
            .find(|candidate| candidate.is_file())
    }
}

/// `%XX` sequences decoded; `None` for a path that would leave the directory it is joined to, or
/// that does not decode to UTF-8.
fn percent_decode(path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let relative = Path::new(decoded.as_ref());
    // The URL parser already removed `.` and `..` segments; a decoded `%2e%2e` must not add one.
    relative
        .components()
        .all(|component| matches!(component, std::path::Component::Normal(_)))
        .then(|| relative.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_pages_get_the_secure_origin() {
        assert_eq!(
            page_url("/em/a.https.html", "").as_str(),
            "https://web-platform.test:8443/em/a.https.html"
        );
        assert_eq!(
            page_url("/em/b.html", "?v").as_str(),
            "http://web-platform.test:8000/em/b.html?v"
        );
    }

    #[test]
    fn root_first_then_deps_and_the_glue_always_ours() {
        let (root_dir, deps_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (root, deps) = (root_dir.path(), deps_dir.path());
        std::fs::create_dir_all(root.join("resources")).unwrap();
        std::fs::create_dir_all(deps.join("resources")).unwrap();
        std::fs::write(root.join("resources/testharnessreport.js"), "theirs").unwrap();
        std::fs::write(deps.join("resources/testharness.js"), "harness").unwrap();
        std::fs::write(root.join("resources/idlharness.js"), "root idl").unwrap();
        std::fs::write(deps.join("resources/idlharness.js"), "deps idl").unwrap();
        let resources = Resources {
            root: root.to_owned(),
            deps: Some(deps.to_owned()),
        };
        let page = page_url("/d/t.html", "");
        let load = |reference: &str| {
            resources
                .load(&resources.resolve(&page, reference).unwrap())
                .map(|l| l.text)
        };
        assert_eq!(
            load("/resources/testharnessreport.js").unwrap(),
            TESTHARNESS_REPORT
        );
        assert_eq!(load("../resources/testharness.js").unwrap(), "harness");
        assert_eq!(load("/resources/idlharness.js").unwrap(), "root idl");
        assert!(matches!(load("/nope.js"), Err(LoadError::NotFound { .. })));
        assert!(matches!(
            load("/../../etc/passwd"),
            Err(LoadError::NotFound { .. })
        ));
        assert!(matches!(load("/%2e%2e/x"), Err(LoadError::NotFound { .. })));
        assert!(matches!(
            load("/resources/%ff.js"),
            Err(LoadError::NotFound { .. })
        ));
        std::fs::write(root.join("resources/with space.js"), "spaced").unwrap();
        assert_eq!(load("/resources/with%20space.js").unwrap(), "spaced");
        assert!(matches!(
            resources.resolve(&page, "https://example.org/x.js"),
            Err(LoadError::OtherOrigin { .. })
        ));
    }
}
