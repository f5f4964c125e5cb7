//! The runtime's one clock: `Date.now()`, `new Date()`, `performance.now()`, the timers and the
//! timed sources all read it (Boa's [`Clock`], given to the context), so a script that waits
//! 5 s sees every one of them 5 s later.
//!
//! Instants count from the runtime's creation (its *time origin*: `performance.now()` is the
//! instant in milliseconds), and wall time is the wall time at the origin plus that instant, so
//! `performance.timeOrigin + performance.now()` and `Date.now()` agree.
//!
//! - [`ClockMode::Real`]: instants follow the monotonic system clock.
//! - [`ClockMode::Virtual`]: instants stand still until the event loop moves them. When
//!   nothing is runnable the loop jumps straight to the next timer or timed source, so waiting
//!   costs no wall time (a discrete-event simulation); `Date` starts at the real wall time of
//!   the runtime's creation, so it still looks sensible.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use boa_engine::context::time::{Clock, JsInstant};

/// How the runtime's clock moves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClockMode {
    /// Wall time: the event loop sleeps until timers are due.
    #[default]
    Real,
    /// Virtual time: the clock moves only when the event loop advances it to the next due
    /// timer or timed source, at once in wall time.
    Virtual,
}

/// The clock shared by the context and the event loop.
#[derive(Debug)]
pub struct HostClock {
    mode: ClockMode,
    /// The monotonic instant of the time origin (real mode measures from it).
    started: Instant,
    /// Wall time at the time origin, since the Unix epoch.
    origin_wall: Duration,
    /// Virtual mode: time since the origin, moved only by [`advance_to`](Self::advance_to).
    virtual_elapsed: Cell<Duration>,
}

impl HostClock {
    /// A clock whose time origin is now.
    pub fn new(mode: ClockMode) -> Self {
        Self {
            mode,
            started: Instant::now(),
            // A system clock set before 1970 is treated as the epoch itself.
            origin_wall: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            virtual_elapsed: Cell::new(Duration::ZERO),
        }
    }

    /// Real or virtual.
    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    /// Whether the clock is virtual.
    pub fn is_virtual(&self) -> bool {
        self.mode == ClockMode::Virtual
    }

    /// Time since the time origin (what `performance.now()` reports).
    pub fn elapsed(&self) -> Duration {
        match self.mode {
            ClockMode::Real => self.started.elapsed(),
            ClockMode::Virtual => self.virtual_elapsed.get(),
        }
    }

    /// Wall time at the time origin, in milliseconds since the Unix epoch
    /// (`performance.timeOrigin`).
    pub fn time_origin_millis(&self) -> f64 {
        self.origin_wall.as_secs_f64() * 1000.0
    }

    /// Virtual mode: moves the clock forward to `instant` (never backward). Real mode: nothing
    /// (real time moves by itself).
    pub fn advance_to(&self, instant: JsInstant) {
        if self.is_virtual() {
            let target = duration_of(instant);
            if target > self.virtual_elapsed.get() {
                self.virtual_elapsed.set(target);
            }
        }
    }

    /// Virtual mode: moves the clock forward by `step`. Real mode: nothing.
    pub fn advance(&self, step: Duration) {
        if self.is_virtual() {
            let elapsed = self.virtual_elapsed.get();
            self.virtual_elapsed.set(elapsed.saturating_add(step));
        }
    }
}

impl Clock for HostClock {
    fn now(&self) -> JsInstant {
        let elapsed = self.elapsed();
        JsInstant::new(elapsed.as_secs(), elapsed.subsec_nanos())
    }

    fn system_time_millis(&self) -> i64 {
        let wall = self.origin_wall.saturating_add(self.elapsed());
        i64::try_from(wall.as_millis()).unwrap_or(i64::MAX)
    }
}

/// The time since the origin that `instant` stands for.
pub(crate) fn duration_of(instant: JsInstant) -> Duration {
    Duration::from_nanos(u64::try_from(instant.nanos_since_epoch()).unwrap_or(u64::MAX))
}
