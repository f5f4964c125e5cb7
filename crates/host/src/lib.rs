//! `eme-host`: the runtime users embed to run browser-style scripts headless — a Boa context
//! with the web APIs a page expects (`window`/`self`, console, timers, `queueMicrotask`,
//! `atob`/`btoa`, `TextEncoder`/`TextDecoder`, `URL`, `structuredClone`, `performance`, and
//! optionally `fetch` of local files and `location`), `Event` /
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
//! One clock ([`HostClock`]) serves `Date`, `performance.now()`, timers and timed sources, in
//! real time or in virtual time ([`ClockMode`], [`RuntimeBuilder::clock_mode`]).
//!
//! What the runtime deliberately does not contain: EME logic (crate `eme`), DOM logic
//! (crate `eme-dom`), a module loader that reads files (`import()` always fails).

#![forbid(unsafe_code)]

pub mod clock;
mod console;
mod event_loop;
pub mod fetch;
mod globals;
mod hooks;
mod performance;
pub mod report;
mod runtime;

/// Timed sources — Rust state machines the event loop runs at times on the runtime's clock
/// (defined in `eme-dom`, so the crates below the host can implement them).
pub use eme_dom::timed;

pub use clock::{ClockMode, HostClock};
pub use event_loop::StopHandle;
pub use fetch::LocalFileFetcher;
pub use report::{Problem, RunReport};
pub use runtime::{Error, Runtime, RuntimeBuilder};
