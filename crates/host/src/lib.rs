//! `eme-host`: the runtime users embed to run browser-style scripts headless — a Boa context
//! with the web APIs a page expects (`window`/`self`, console, timers, `queueMicrotask`,
//! `atob`/`btoa`, `TextEncoder`/`TextDecoder`, `URL`, `structuredClone`), `Event` /
//! `EventTarget` / `DOMException` and the Encrypted Media Extensions, driven by an
//! HTML-ordered event loop on tokio.
//!
//! ```no_run
//! use std::time::Duration;
//! use eme_host::RuntimeBuilder;
//!
//! let mut runtime = RuntimeBuilder::new().timeout(Some(Duration::from_secs(30))).build();
//! runtime.run_file("app.js")?;
//! runtime.run_event_loop()?;
//! for problem in &runtime.report().problems {
//!     eprintln!("{problem}");
//! }
//! # Ok::<(), eme_host::Error>(())
//! ```
//!
//! What the runtime deliberately does not contain: EME logic (crate `eme`), DOM logic
//! (crate `eme-dom`), a module loader that reads files (`import()` always fails).

#![forbid(unsafe_code)]

mod console;
mod event_loop;
mod globals;
mod hooks;
pub mod report;
mod runtime;

pub use event_loop::StopHandle;
pub use report::{Problem, RunReport};
pub use runtime::{Error, Runtime, RuntimeBuilder};
