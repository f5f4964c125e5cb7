//! The mapping between the host's clock and the media timeline while the element is
//! potentially playing: position = start position + elapsed clock time × playback rate.

use std::time::Duration;

use crate::time::MediaTime;

/// Flicks per nanosecond is 705,600,000 / 10⁹ = 7056 / 10,000 exactly.
const FLICKS_PER_NANO_NUM: u128 = 7056;
const FLICKS_PER_NANO_DEN: u128 = 10_000;

/// Where the current stretch of playback started, on both clocks, and at what rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Anchor {
    pub(crate) clock: Duration,
    pub(crate) position: MediaTime,
    pub(crate) rate: f64,
}

impl Anchor {
    /// The media position the clock's `now` corresponds to (never before the anchor).
    pub(crate) fn position_at(&self, now: Duration) -> MediaTime {
        let nanos = now.saturating_sub(self.clock).as_nanos();
        let flicks = if self.rate == 1.0 {
            // Exact at the common rate: no float rounding, so frames land on their times.
            nanos.saturating_mul(FLICKS_PER_NANO_NUM) / FLICKS_PER_NANO_DEN
        } else {
            let flicks = nanos as f64
                * (FLICKS_PER_NANO_NUM as f64 / FLICKS_PER_NANO_DEN as f64)
                * self.rate;
            flicks.max(0.0).floor() as u128
        };
        self.position + MediaTime(i64::try_from(flicks).unwrap_or(i64::MAX))
    }

    /// The earliest clock time at which the position reaches `target`; `None` if it never
    /// does (rate 0, or beyond what a `Duration` holds).
    pub(crate) fn clock_at(&self, target: MediaTime) -> Option<Duration> {
        if target <= self.position {
            return Some(self.clock);
        }
        if self.rate <= 0.0 || !self.rate.is_finite() {
            return None;
        }
        let flicks = u128::try_from((target - self.position).0).ok()?;
        let nanos = if self.rate == 1.0 {
            flicks
                .checked_mul(FLICKS_PER_NANO_DEN)?
                .div_ceil(FLICKS_PER_NANO_NUM)
        } else {
            let nanos = flicks as f64 * FLICKS_PER_NANO_DEN as f64
                / (FLICKS_PER_NANO_NUM as f64 * self.rate);
            if !nanos.is_finite() || nanos > u64::MAX as f64 {
                return None;
            }
            nanos.ceil() as u128
        };
        let mut at = self
            .clock
            .checked_add(Duration::from_nanos(u64::try_from(nanos).ok()?))?;
        // Float rounding may leave the position a flick short: step until it is reached.
        for _ in 0..16 {
            if self.position_at(at) >= target {
                return Some(at);
            }
            at = at.checked_add(Duration::from_nanos(1))?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_and_position_agree() {
        for rate in [1.0, 2.0, 0.5, 1.5, 0.25, 3.7] {
            let anchor = Anchor {
                clock: Duration::from_millis(1234),
                position: MediaTime::from_secs_f64(0.08),
                rate,
            };
            for secs in [0.08, 0.12, 0.120_000_001, 1.0, 2.08, 7.3] {
                let target = MediaTime::from_secs_f64(secs);
                let at = anchor.clock_at(target).unwrap();
                assert!(anchor.position_at(at) >= target, "rate {rate}, {secs}");
                if at > anchor.clock {
                    let before = at - Duration::from_nanos(1);
                    assert!(anchor.position_at(before) < target, "rate {rate}, {secs}");
                }
            }
        }
        let stopped = Anchor {
            clock: Duration::ZERO,
            position: MediaTime::ZERO,
            rate: 0.0,
        };
        assert_eq!(stopped.clock_at(MediaTime::from_secs_f64(1.0)), None);
        assert_eq!(stopped.position_at(Duration::from_secs(5)), MediaTime::ZERO);
    }

    #[test]
    fn rate_one_is_exact() {
        let anchor = Anchor {
            clock: Duration::ZERO,
            position: MediaTime::ZERO,
            rate: 1.0,
        };
        assert_eq!(
            anchor.position_at(Duration::from_millis(250)),
            MediaTime::from_secs_f64(0.25)
        );
        assert_eq!(
            anchor.clock_at(MediaTime::from_secs_f64(2.08)),
            Some(Duration::from_millis(2080))
        );
    }
}
