//! Truncated and corrupted input: errors or "need more", never a panic, never a huge
//! allocation, never a long stall.

// Counting allocations needs a global allocator, which only unsafe code can define; it only
// forwards to the system allocator.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use eme_media::{StreamParser, parse_file};

/// Records the largest single allocation, so a corrupt count that reserves gigabytes shows.
struct Tracking;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

// SAFETY: defers to the system allocator unchanged; only records sizes.
unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        // SAFETY: as for `System.realloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Tracking = Tracking;

/// No single allocation may exceed this while reading a few kilobytes of input: the worst case
/// is `Limits::DEFAULT.max_samples` samples described by defaults alone (about 32 MiB).
const MAX_ALLOCATION: usize = 48 << 20;

fn inputs() -> Vec<Vec<u8>> {
    let init = fixtures::init_segment();
    let first = fixtures::media_segment_1();
    vec![fixtures::stream(), [init, first].concat()]
}

/// Parses `bytes` both whole and incrementally; either may fail, neither may panic or stall.
fn exercise(bytes: &[u8]) {
    LARGEST.store(0, Ordering::Relaxed);
    let started = Instant::now();
    let _ = parse_file(bytes);
    let mut parser = StreamParser::default();
    for chunk in bytes.chunks(97) {
        if parser.push(chunk).is_err() {
            break;
        }
    }
    let _ = parser.finish();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "slow input: {} bytes",
        bytes.len()
    );
    let largest = LARGEST.load(Ordering::Relaxed);
    if largest >= MAX_ALLOCATION {
        let err = parse_file(bytes).err();
        panic!("an allocation of {largest} bytes; parse_file says {err:?}");
    }
}

#[test]
fn every_truncation_is_an_error_or_need_more() {
    for bytes in inputs() {
        for end in 0..bytes.len() {
            let cut = &bytes[..end];
            exercise(cut);
            // Incrementally, a cut stream is never an error before `finish`.
            let mut parser = StreamParser::default();
            parser.push(cut).unwrap();
        }
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    let mut rng = Rng(0x5eed);
    for bytes in inputs() {
        for position in 0..bytes.len() {
            for value in [0x00, 0xff, 0x80, rng.next() as u8] {
                let mut corrupt = bytes.clone();
                corrupt[position] = value;
                exercise(&corrupt);
            }
        }
        // Whole 32-bit fields: counts, sizes and offsets set to extremes.
        for position in 0..bytes.len().saturating_sub(4) {
            for value in [u32::MAX, 0x8000_0000, 0x0010_0000, 1] {
                let mut corrupt = bytes.clone();
                corrupt[position..position + 4].copy_from_slice(&value.to_be_bytes());
                exercise(&corrupt);
            }
        }
        // Several random corruptions at once.
        for _ in 0..2000 {
            let mut corrupt = bytes.clone();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(corrupt.len() as u64) as usize;
                corrupt[at] = rng.next() as u8;
            }
            exercise(&corrupt);
        }
    }
}
