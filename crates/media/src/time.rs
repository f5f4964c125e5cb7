//! Media time, exact: [`MediaTime`] counts *flicks* (1/705,600,000 s), a unit in which the
//! sample durations of every common frame rate (24, 25, 30, 48, 50, 60 fps and their /1.001
//! NTSC forms over a 90 kHz or 30000 timescale) and audio rate (8 kHz to 192 kHz, 44.1 kHz
//! family included) are whole numbers. Adjacent samples therefore meet exactly, and buffered
//! ranges do not fragment through rounding, as they would in microseconds or in `f64` seconds.
//! [`TimeRanges`] is the normalized set of ranges HTML's `TimeRanges` and MSE's `buffered`
//! describe.

use std::fmt;
use std::ops::{Add, Range, Sub};

/// Flicks per second.
pub const FLICKS_PER_SECOND: i64 = 705_600_000;

/// A point or span on the media timeline, in flicks. About ±414 years fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MediaTime(pub i64);

impl MediaTime {
    /// Time zero.
    pub const ZERO: MediaTime = MediaTime(0);
    /// The largest representable time, standing for +Infinity (an open-ended append window).
    pub const MAX: MediaTime = MediaTime(i64::MAX);
    /// The smallest representable time, standing for -Infinity.
    pub const MIN: MediaTime = MediaTime(i64::MIN);

    /// `value` units of a `timescale`-per-second clock, rounded to the nearest flick when not
    /// exact (saturating far outside the range). A timescale of 0 reads as 1.
    pub fn from_timescale(value: i64, timescale: u32) -> MediaTime {
        let timescale = i128::from(timescale.max(1));
        let flicks = i128::from(value) * i128::from(FLICKS_PER_SECOND);
        let rounded = (flicks + flicks.signum() * timescale / 2) / timescale;
        MediaTime(rounded.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
    }

    /// Seconds as a double, rounded to the nearest flick; NaN reads as zero and infinities
    /// saturate to [`MediaTime::MIN`] / [`MediaTime::MAX`].
    pub fn from_secs_f64(seconds: f64) -> MediaTime {
        if seconds.is_nan() {
            return MediaTime::ZERO;
        }
        // `as` saturates, which is what an infinite or huge time wants.
        MediaTime((seconds * FLICKS_PER_SECOND as f64).round() as i64)
    }

    /// Seconds as a double ([`MediaTime::MAX`] is +Infinity, [`MediaTime::MIN`] −Infinity).
    pub fn as_secs_f64(self) -> f64 {
        match self {
            MediaTime::MAX => f64::INFINITY,
            MediaTime::MIN => f64::NEG_INFINITY,
            MediaTime(flicks) => flicks as f64 / FLICKS_PER_SECOND as f64,
        }
    }

    /// Whole units of a `timescale`-per-second clock, rounded down.
    pub fn to_timescale(self, timescale: u32) -> i64 {
        let value = i128::from(self.0) * i128::from(timescale) / i128::from(FLICKS_PER_SECOND);
        value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }
}

impl Add for MediaTime {
    type Output = MediaTime;
    /// Saturating: +Infinity stays +Infinity.
    fn add(self, other: MediaTime) -> MediaTime {
        MediaTime(self.0.saturating_add(other.0))
    }
}

impl Sub for MediaTime {
    type Output = MediaTime;
    /// Saturating.
    fn sub(self, other: MediaTime) -> MediaTime {
        MediaTime(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for MediaTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}s", self.as_secs_f64())
    }
}

/// A normalized set of time ranges: sorted, each non-empty, none overlapping or touching
/// (touching ranges merge), as HTML's `TimeRanges` object represents them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeRanges {
    ranges: Vec<Range<MediaTime>>,
}

impl TimeRanges {
    /// No ranges.
    pub fn new() -> TimeRanges {
        TimeRanges::default()
    }

    /// One range (empty when `start >= end`).
    pub fn single(start: MediaTime, end: MediaTime) -> TimeRanges {
        let mut ranges = TimeRanges::new();
        ranges.add(start, end);
        ranges
    }

    /// The ranges, in order.
    pub fn ranges(&self) -> &[Range<MediaTime>] {
        &self.ranges
    }

    /// How many ranges there are (`TimeRanges.length`).
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The start of range `index` (`TimeRanges.start(index)`).
    pub fn start(&self, index: usize) -> Option<MediaTime> {
        self.ranges.get(index).map(|r| r.start)
    }

    /// The end of range `index` (`TimeRanges.end(index)`).
    pub fn end(&self, index: usize) -> Option<MediaTime> {
        self.ranges.get(index).map(|r| r.end)
    }

    /// The start of the first range.
    pub fn first_start(&self) -> Option<MediaTime> {
        self.ranges.first().map(|r| r.start)
    }

    /// The end of the last range.
    pub fn last_end(&self) -> Option<MediaTime> {
        self.ranges.last().map(|r| r.end)
    }

    /// Whether `time` lies in a range (start inclusive, end exclusive).
    pub fn contains(&self, time: MediaTime) -> bool {
        self.range_containing(time).is_some()
    }

    /// The range holding `time` (start inclusive, end exclusive).
    pub fn range_containing(&self, time: MediaTime) -> Option<Range<MediaTime>> {
        self.ranges
            .iter()
            .find(|r| r.start <= time && time < r.end)
            .cloned()
    }

    /// Adds `[start, end)`, merging with what it overlaps or touches.
    pub fn add(&mut self, start: MediaTime, end: MediaTime) {
        if start >= end {
            return;
        }
        let (mut start, mut end) = (start, end);
        self.ranges.retain(|r| {
            if r.end < start || r.start > end {
                return true;
            }
            start = start.min(r.start);
            end = end.max(r.end);
            false
        });
        let at = self.ranges.partition_point(|r| r.start < start);
        self.ranges.insert(at, start..end);
    }

    /// Removes `[start, end)`.
    pub fn remove(&mut self, start: MediaTime, end: MediaTime) {
        if start >= end {
            return;
        }
        let mut kept = Vec::with_capacity(self.ranges.len() + 1);
        for r in self.ranges.drain(..) {
            if r.end <= start || r.start >= end {
                kept.push(r);
                continue;
            }
            if r.start < start {
                kept.push(r.start..start);
            }
            if r.end > end {
                kept.push(end..r.end);
            }
        }
        self.ranges = kept;
    }

    /// The union of both.
    pub fn union(&self, other: &TimeRanges) -> TimeRanges {
        let mut out = self.clone();
        for r in &other.ranges {
            out.add(r.start, r.end);
        }
        out
    }

    /// The intersection of both (MSE's `buffered` intersects its track buffers' ranges).
    pub fn intersection(&self, other: &TimeRanges) -> TimeRanges {
        let mut out = TimeRanges::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (&self.ranges[i], &other.ranges[j]);
            let start = a.start.max(b.start);
            let end = a.end.min(b.end);
            if start < end {
                out.ranges.push(start..end);
            }
            if a.end < b.end {
                i += 1;
            } else {
                j += 1;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: f64) -> MediaTime {
        MediaTime::from_secs_f64(seconds)
    }

    #[test]
    fn common_rates_are_exact() {
        for (timescale, duration) in [
            (44_100, 1024),
            (48_000, 1024),
            (90_000, 3003),
            (30_000, 1001),
            (25, 1),
            (24, 1),
            (1000, 40),
        ] {
            let one = MediaTime::from_timescale(duration, timescale);
            let hundred = MediaTime::from_timescale(duration * 100, timescale);
            assert_eq!(MediaTime(one.0 * 100), hundred, "{duration}/{timescale}");
            assert_eq!(one.to_timescale(timescale), duration);
        }
        assert_eq!(MediaTime::from_timescale(1, 3), MediaTime(235_200_000));
        assert_eq!(MediaTime::from_timescale(-1, 7), MediaTime(-100_800_000));
        assert_eq!(t(1.5).as_secs_f64(), 1.5);
        assert_eq!(MediaTime::MAX.as_secs_f64(), f64::INFINITY);
        assert_eq!(MediaTime::from_secs_f64(f64::INFINITY), MediaTime::MAX);
        assert_eq!(MediaTime::MAX + t(1.0), MediaTime::MAX);
    }

    #[test]
    fn ranges_merge_split_and_intersect() {
        let mut r = TimeRanges::new();
        r.add(t(2.0), t(3.0));
        r.add(t(0.0), t(1.0));
        r.add(t(1.0), t(1.5)); // touches: merges
        assert_eq!(r.ranges(), &[t(0.0)..t(1.5), t(2.0)..t(3.0)]);
        r.add(t(1.2), t(2.5));
        assert_eq!(r.ranges(), &[t(0.0)..t(3.0)]);
        r.remove(t(1.0), t(2.0));
        assert_eq!(r.ranges(), &[t(0.0)..t(1.0), t(2.0)..t(3.0)]);
        assert!(r.contains(t(0.0)) && !r.contains(t(1.0)) && r.contains(t(2.5)));
        let other = TimeRanges::single(t(0.5), t(2.5));
        assert_eq!(
            r.intersection(&other).ranges(),
            &[t(0.5)..t(1.0), t(2.0)..t(2.5)]
        );
        assert_eq!(r.union(&other).ranges(), &[t(0.0)..t(3.0)]);
        r.add(t(5.0), t(5.0));
        assert_eq!(r.len(), 2);
    }
}
