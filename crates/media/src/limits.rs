//! Bounds on what the reader buffers and allocates for untrusted input.

/// Bounds on untrusted sizes and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest top-level box buffered whole (`moov`, `moof`, `mdat`), and the most bytes
    /// held back at any time. Larger boxes of other types are skipped without buffering.
    pub max_box_size: u64,
    /// The most samples in one track fragment or one progressive track: counts whose entries
    /// take no bytes (a `trun` with only defaults, a constant-size `stsz`) are checked here.
    pub max_samples: usize,
}

impl Limits {
    /// 256 MiB boxes; 524 288 samples per track fragment or progressive track (2.4 hours of
    /// 60 fps video), which bounds what a few bytes of defaults can make the reader hold (~32 MiB).
    pub const DEFAULT: Limits = Limits {
        max_box_size: 256 << 20,
        max_samples: 1 << 19,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}
