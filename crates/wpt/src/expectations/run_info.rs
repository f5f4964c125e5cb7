//! The run info: the configuration of a run (product, os, debug build, …) that conditions in
//! metadata are evaluated against and that wptreport carries as `run_info`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

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
    pub(super) fn is_truthy(&self) -> bool {
        match self {
            Self::Text(text) => !text.is_empty(),
            Self::Bool(flag) => *flag,
            Self::Number(number) => *number != 0.0,
        }
    }
}

/// Whole numbers are written as integers, so `bits` reads `64`, not `64.0`, as wptrunner writes it.
impl Serialize for RunInfoValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
        match self {
            Self::Text(text) => serializer.serialize_str(text),
            Self::Bool(flag) => serializer.serialize_bool(*flag),
            Self::Number(number) if number.fract() == 0.0 && number.abs() < EXACT_INTEGER_LIMIT => {
                serializer.serialize_i64(*number as i64)
            }
            Self::Number(number) => serializer.serialize_f64(*number),
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            info.get("version"),
            Some(&RunInfoValue::from(env!("CARGO_PKG_VERSION")))
        );
    }

    #[test]
    fn serializes_as_an_object_with_whole_numbers_as_integers() {
        let info = RunInfo::new()
            .with("bits", 64)
            .with("ratio", 1.5)
            .with("debug", false)
            .with("os", "linux");
        let json = serde_json::to_value(&info).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"bits": 64, "ratio": 1.5, "debug": false, "os": "linux"}))
        );
        assert_eq!(
            serde_json::to_string(&info.with("bits", 64))
                .ok()
                .as_deref(),
            Some(r#"{"bits":64,"debug":false,"os":"linux","ratio":1.5}"#)
        );
    }
}
