//! What the integration tests of the `eme` binary share.
#![allow(dead_code)]

pub mod wptreport_check;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory of scripts for one test, removed when the test ends.
pub struct Scripts(tempfile::TempDir);

impl Scripts {
    pub fn new(test: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("eme-cli-{test}-"))
            .tempdir()
            .expect("create a temporary directory");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    pub fn write(&self, name: &str, source: &str) -> PathBuf {
        let path = self.path().join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, source).unwrap();
        path
    }
}

pub fn eme(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eme"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run eme")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The test-dependency cache `scripts/fetch-test-deps` fills (the test command runs it first),
/// found the way `eme wpt` finds it.
pub fn wpt_deps() -> PathBuf {
    eme_wpt::default_deps(&[Path::new(env!("CARGO_MANIFEST_DIR"))])
        .filter(|deps| deps.join("resources/testharness.js").is_file())
        .expect("no test-dependency cache with testharness.js: run scripts/fetch-test-deps first")
}
