//! Finding the tests under the paths a user names, and the root their URLs start from.

use std::path::{Path, PathBuf};

use crate::page::{self, Page, ScriptTestKind};

/// Directories that hold support files, never tests (as WPT's manifest treats them).
const SUPPORT_DIRECTORIES: &[&str] = &["resources", "support", "tools", "node_modules"];

/// Why the tests could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The I/O error is the source, for reporters that print the chain (`eme` does).
    #[error("{}", path.display())]
    Io {
        /// The file or directory that could not be resolved, read or listed, as given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A named path lies outside the root, so it has no URL on the test server.
    #[error("{}: not under the root {}", path.display(), root.display())]
    OutsideRoot {
        /// The offending path, as the user gave it.
        path: PathBuf,
        /// The root URLs start from.
        root: PathBuf,
    },
    /// No directory at or above the path holds `resources/`, so the root must be given.
    #[error("no root found for {}: no directory above it holds resources/ (pass --root DIR)", .0.display())]
    NoRoot(PathBuf),
}

/// A file that looks like a test but is not run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file's URL path under the root (`/em/a.worker.js`); for a page its expectations
    /// disable, the test name with its variant.
    pub test: String,
    /// Why it does not run, as printed on its `SKIP` line.
    pub reason: String,
}

/// The pages to run, in a stable order (paths as given; directories walked sorted).
#[derive(Debug, Default)]
pub struct Discovery {
    /// The testharness.js pages to run: one per test, variants expanded.
    pub pages: Vec<Page>,
    /// Test files found that this host cannot run (worker tests, `.any.js` not for window).
    pub skipped: Vec<Skipped>,
}

/// The nearest directory at or above `path` that holds a `resources/` directory.
pub fn find_root(path: &Path) -> Result<PathBuf, DiscoverError> {
    let absolute = absolute(path)?;
    let start = if absolute.is_dir() {
        absolute.as_path()
    } else {
        absolute.parent().unwrap_or(&absolute)
    };
    start
        .ancestors()
        .find(|dir| dir.join("resources").is_dir())
        .map(Path::to_owned)
        .ok_or_else(|| DiscoverError::NoRoot(path.to_owned()))
}

fn absolute(path: &Path) -> Result<PathBuf, DiscoverError> {
    path.canonicalize().map_err(|source| DiscoverError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Every test page under `paths` (files or directories), with URLs relative to `root`.
pub fn discover(paths: &[PathBuf], root: &Path) -> Result<Discovery, DiscoverError> {
    let root = absolute(root)?;
    let mut files = Vec::new();
    for path in paths {
        let absolute = absolute(path)?;
        if !absolute.starts_with(&root) {
            return Err(DiscoverError::OutsideRoot {
                path: path.clone(),
                root,
            });
        }
        if absolute.is_dir() {
            walk(&absolute, &mut files)?;
        } else {
            files.push((absolute, path.clone()));
        }
    }
    let mut discovery = Discovery::default();
    for (absolute, shown) in files {
        add_file(&absolute, &shown, &root, &mut discovery)?;
    }
    Ok(discovery)
}

/// Collects the files under `dir` (sorted, support directories and hidden entries left out),
/// each with the path shown to users.
fn walk(dir: &Path, files: &mut Vec<(PathBuf, PathBuf)>) -> Result<(), DiscoverError> {
    let io = |source| DiscoverError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if entry.is_dir() {
            if !SUPPORT_DIRECTORIES.contains(&name) {
                walk(&entry, files)?;
            }
        } else {
            files.push((entry.clone(), entry));
        }
    }
    Ok(())
}

fn add_file(
    absolute: &Path,
    shown: &Path,
    root: &Path,
    discovery: &mut Discovery,
) -> Result<(), DiscoverError> {
    let Some(url_path) = url_path(absolute, root) else {
        return Err(DiscoverError::OutsideRoot {
            path: shown.to_owned(),
            root: root.to_owned(),
        });
    };
    let name = url_path.rsplit('/').next().unwrap_or_default();
    if name.contains("-manual.") || name.contains("-ref.") || name.contains("-notref.") {
        return Ok(());
    }
    let shown_name = shown.display().to_string();
    let read = || {
        std::fs::read_to_string(absolute).map_err(|source| DiscoverError::Io {
            path: shown.to_owned(),
            source,
        })
    };
    let script_kind = if name.ends_with(".any.js") {
        Some(ScriptTestKind::Any)
    } else if name.ends_with(".window.js") {
        Some(ScriptTestKind::Window)
    } else {
        None
    };
    if let Some(kind) = script_kind {
        let pages = page::pages_from_script_test(&read()?, &url_path, &shown_name, kind);
        if pages.is_empty() {
            discovery.skipped.push(Skipped {
                test: url_path,
                reason: "its META: global= does not include window, the only global of this host"
                    .to_owned(),
            });
        }
        discovery.pages.extend(pages);
    } else if name.ends_with(".worker.js")
        || name.ends_with(".serviceworker.js")
        || name.ends_with(".sharedworker.js")
    {
        discovery.skipped.push(Skipped {
            test: url_path,
            reason: "worker tests need a worker global, which this host does not have".to_owned(),
        });
    } else if name.ends_with(".html") || name.ends_with(".htm") {
        let html = read()?;
        if page::is_testharness_page(&html) {
            discovery
                .pages
                .extend(page::pages_from_html(&html, &url_path, &shown_name));
        }
    }
    Ok(())
}

/// `/a/b.html` for `<root>/a/b.html`.
fn url_path(absolute: &Path, root: &Path) -> Option<String> {
    let relative = absolute.strip_prefix(root).ok()?;
    let mut path = String::new();
    for component in relative.components() {
        path.push('/');
        path.push_str(component.as_os_str().to_str()?);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_skipping_support_and_non_tests() {
        let root_dir = tempfile::tempdir().unwrap();
        let root = root_dir.path();
        for dir in ["resources", "em/resources", "em/support", "em/sub"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        let harness = "<script src=/resources/testharness.js></script>";
        std::fs::write(root.join("em/b.https.html"), harness).unwrap();
        std::fs::write(root.join("em/a.html"), harness).unwrap();
        std::fs::write(
            root.join("em/reftest.html"),
            "<link rel=match href=x-ref.html>",
        )
        .unwrap();
        std::fs::write(root.join("em/x-manual.html"), harness).unwrap();
        std::fs::write(root.join("em/resources/helper.html"), harness).unwrap();
        std::fs::write(root.join("em/support/helper.html"), harness).unwrap();
        std::fs::write(root.join("em/sub/c.any.js"), "test(() => {});").unwrap();
        std::fs::write(root.join("em/sub/d.worker.js"), "").unwrap();
        std::fs::write(root.join("em/sub/e.any.js"), "// META: global=worker\n").unwrap();

        // The nearest directory holding resources/ wins: em/ has its own.
        assert_eq!(
            find_root(&root.join("em/sub")).unwrap(),
            root.join("em").canonicalize().unwrap()
        );
        assert_eq!(find_root(root).unwrap(), root.canonicalize().unwrap());
        let discovery = discover(&[root.join("em")], root).unwrap();
        let names: Vec<String> = discovery.pages.iter().map(Page::test_name).collect();
        assert_eq!(
            names,
            ["/em/a.html", "/em/b.https.html", "/em/sub/c.any.html"]
        );
        let skipped: Vec<&str> = discovery.skipped.iter().map(|s| s.test.as_str()).collect();
        assert_eq!(skipped, ["/em/sub/d.worker.js", "/em/sub/e.any.js"]);
        let outside = tempfile::tempdir().unwrap();
        assert!(matches!(
            discover(&[outside.path().to_owned()], root),
            Err(DiscoverError::OutsideRoot { .. })
        ));
    }
}
