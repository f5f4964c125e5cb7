//! What the integration tests of the `eme` binary share.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory of scripts for one test, removed when the test ends.
pub struct Scripts(pub PathBuf);

impl Scripts {
    pub fn new(test: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("eme-cli-{test}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn write(&self, name: &str, source: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, source).unwrap();
        path
    }
}

impl Drop for Scripts {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
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
