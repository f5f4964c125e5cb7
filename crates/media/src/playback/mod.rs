//! The playback engine: the HTML media element's playback logic
//! (<https://html.spec.whatwg.org/multipage/media.html>) with EME's key waits
//! (<https://w3c.github.io/encrypted-media/#htmlmediaelement-extensions>), as a deterministic
//! state machine over a [`FrameSource`] and a clock it is given.
//!
//! It never sleeps and never calls JavaScript. A binding (`HTMLMediaElement`) calls its
//! operations from the element's methods, passing the clock's `now` (a [`Duration`] since any
//! origin, the same clock for every call), and turns every [`EngineEvent`] returned into what
//! HTML says, in order: an event fired in a queued media element task, or the settling of the
//! pending play promises. Between calls the host asks [`PlaybackEngine::next_due`] when the
//! engine next has something to do (a frame to present, a `timeupdate`, the end) and calls
//! [`PlaybackEngine::advance`] then — with a virtual clock it jumps straight there, so a
//! 2-second clip plays in a few hundred steps.
//!
//! Presenting a frame decrypts a copy of its bytes with the element's keys ([`KeySource`]) and
//! checks the codec's framing ([`crate::codec`]). A missing key runs EME's "Wait for Key"
//! (`waitingforkey`, playback stops) until [`PlaybackEngine::key_added`] runs "Attempt to
//! Resume Playback If Necessary"; any other failure is a decode error (`MEDIA_ERR_DECODE`).
//! [`PlaybackEngine::report`] gives, per track, the frames presented and a SHA-256 of their
//! clear bytes, which [`file_digests`] computes for a clear file.
//!
//! [`Duration`]: std::time::Duration

mod clock;
mod decode;
mod engine;
mod source;
mod track;

pub use decode::{TrackPlayback, file_digests, file_digests_from, presentation_digest};
pub use engine::{PlaybackEngine, UnsupportedRate};
pub use source::{FileSource, FrameSource, KeySource, TrackKind, TrackSummary};

use crate::time::{FLICKS_PER_SECOND, MediaTime};

/// How often `timeupdate` fires during playback: HTML allows every 15 to 250 ms; this is
/// Firefox's 250 ms, measured on the clock.
pub const TIMEUPDATE_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// Buffered data this far ahead of the position counts as `HAVE_ENOUGH_DATA` even before the
/// source is complete (HTML leaves the estimate to the user agent).
pub const ENOUGH_DATA_AHEAD: MediaTime = MediaTime(FLICKS_PER_SECOND);

/// HTML's `readyState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReadyState {
    /// `HAVE_NOTHING` (0).
    HaveNothing = 0,
    /// `HAVE_METADATA` (1).
    HaveMetadata = 1,
    /// `HAVE_CURRENT_DATA` (2).
    HaveCurrentData = 2,
    /// `HAVE_FUTURE_DATA` (3).
    HaveFutureData = 3,
    /// `HAVE_ENOUGH_DATA` (4).
    HaveEnoughData = 4,
}

/// HTML's `networkState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetworkState {
    /// `NETWORK_EMPTY` (0).
    Empty = 0,
    /// `NETWORK_IDLE` (1).
    Idle = 1,
    /// `NETWORK_LOADING` (2).
    Loading = 2,
    /// `NETWORK_NO_SOURCE` (3).
    NoSource = 3,
}

/// `MediaError.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaErrorCode {
    /// `MEDIA_ERR_ABORTED` (1).
    Aborted = 1,
    /// `MEDIA_ERR_NETWORK` (2).
    Network = 2,
    /// `MEDIA_ERR_DECODE` (3).
    Decode = 3,
    /// `MEDIA_ERR_SRC_NOT_SUPPORTED` (4).
    SrcNotSupported = 4,
}

/// The element's `error`: a `MediaError`'s code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybackError {
    /// The code.
    pub code: MediaErrorCode,
    /// `MediaError.message`.
    pub message: String,
}

/// Why pending play promises are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlayRejection {
    /// An "AbortError" `DOMException` (pause, load, reaching the end).
    Abort,
    /// A "NotSupportedError" `DOMException` (the source is not supported).
    NotSupported,
}

/// One thing the binding must do, in the order returned.
///
/// Every variant but the promise ones is an event to fire at the element in a media element
/// task queued when the binding processes it ([`EngineEvent::name`]). The promise variants
/// mean: *take* the pending play promises now (as HTML's "take pending play promises"), and
/// settle them in a task queued now — or right away when `in_task` is false. The binding
/// appends the promise of a `play()` call before processing what [`PlaybackEngine::play`]
/// returns (HTML's `play()` steps 3 and 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineEvent {
    /// `loadstart` (resource selection, once the source is set).
    LoadStart,
    /// `abort` (the load algorithm, when a load was in progress).
    Abort,
    /// `emptied` (the load algorithm, when the element had a source).
    Emptied,
    /// `progress` (the whole resource is there).
    Progress,
    /// `suspend` (fetching is over; `networkState` is `NETWORK_IDLE`).
    Suspend,
    /// `durationchange`.
    DurationChange,
    /// `resize` (video dimensions are known; an audio element ignores it).
    Resize,
    /// `loadedmetadata`.
    LoadedMetadata,
    /// `loadeddata`.
    LoadedData,
    /// `canplay`.
    CanPlay,
    /// `canplaythrough`.
    CanPlayThrough,
    /// `play`.
    Play,
    /// `playing` (HTML's "notify about playing"; a [`EngineEvent::ResolvePlayPromises`]
    /// follows it).
    Playing,
    /// `waiting`.
    Waiting,
    /// `timeupdate`.
    TimeUpdate,
    /// `seeking`.
    Seeking,
    /// `seeked`.
    Seeked,
    /// `pause`.
    Pause,
    /// `ended`.
    Ended,
    /// `ratechange`.
    RateChange,
    /// `waitingforkey` (EME).
    WaitingForKey,
    /// `error`: set the element's `error` to this `MediaError` first.
    Error(PlaybackError),
    /// Resolve the pending play promises (with undefined), in a task.
    ResolvePlayPromises,
    /// Reject the pending play promises with this `DOMException`.
    RejectPlayPromises {
        /// Which exception.
        error: PlayRejection,
        /// Whether in a queued task (`false`: synchronously, as the load algorithm does).
        in_task: bool,
    },
}

impl EngineEvent {
    /// The name of the event to fire, or `None` for the promise actions.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            EngineEvent::LoadStart => "loadstart",
            EngineEvent::Abort => "abort",
            EngineEvent::Emptied => "emptied",
            EngineEvent::Progress => "progress",
            EngineEvent::Suspend => "suspend",
            EngineEvent::DurationChange => "durationchange",
            EngineEvent::Resize => "resize",
            EngineEvent::LoadedMetadata => "loadedmetadata",
            EngineEvent::LoadedData => "loadeddata",
            EngineEvent::CanPlay => "canplay",
            EngineEvent::CanPlayThrough => "canplaythrough",
            EngineEvent::Play => "play",
            EngineEvent::Playing => "playing",
            EngineEvent::Waiting => "waiting",
            EngineEvent::TimeUpdate => "timeupdate",
            EngineEvent::Seeking => "seeking",
            EngineEvent::Seeked => "seeked",
            EngineEvent::Pause => "pause",
            EngineEvent::Ended => "ended",
            EngineEvent::RateChange => "ratechange",
            EngineEvent::WaitingForKey => "waitingforkey",
            EngineEvent::Error(_) => "error",
            EngineEvent::ResolvePlayPromises | EngineEvent::RejectPlayPromises { .. } => {
                return None;
            }
        })
    }
}
