//! [`PlaybackEngine`]: the element's state and operations. Each public operation first brings
//! playback up to the clock's `now`, then runs its spec steps, then lets playback continue;
//! the events come back in the order HTML queues them.

use std::time::Duration;

use super::clock::Anchor;
use super::decode::{DecodeFailure, Decryptor, TrackPlayback};
use super::source::{FrameSource, KeySource, TrackKind};
use super::track::TrackState;
use super::{
    EngineEvent, MediaErrorCode, NetworkState, PlayRejection, PlaybackError, ReadyState,
    TIMEUPDATE_INTERVAL,
};
use crate::time::{MediaTime, TimeRanges};

mod state;

/// A playback rate the engine cannot play (negative, NaN or infinite): the binding throws a
/// "NotSupportedError" `DOMException`.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("the playback rate {0} is not supported")]
pub struct UnsupportedRate(pub f64);

/// One media element's playback (see the [module documentation](super)).
pub struct PlaybackEngine {
    source: Option<Box<dyn FrameSource>>,
    keys: Option<Box<dyn KeySource>>,
    decryptor: Decryptor,
    tracks: Vec<TrackState>,
    network_state: NetworkState,
    ready_state: ReadyState,
    paused: bool,
    seeking: bool,
    /// A seek whose "in parallel" steps have not run yet (HTML seeking step 5).
    pending_seek: Option<MediaTime>,
    playback_rate: f64,
    default_playback_rate: f64,
    looping: bool,
    /// The current playback position.
    position: MediaTime,
    /// The default playback start position (set while `HAVE_NOTHING`).
    default_start: MediaTime,
    /// `None` is NaN; [`MediaTime::MAX`] is +Infinity.
    duration: Option<MediaTime>,
    error: Option<PlaybackError>,
    /// Playback stopped by a fatal decode error.
    stopped_by_error: bool,
    /// EME's "playback blocked waiting for key".
    blocked_on_key: bool,
    loaded_data_fired: bool,
    metadata_known: bool,
    /// The "reaches the end" steps ran for the current arrival at the end.
    end_reported: bool,
    fetch_complete_reported: bool,
    /// The clock time the engine's state is at.
    clock: Duration,
    /// While potentially playing: where this stretch of playback started.
    anchor: Option<Anchor>,
    /// The last `timeupdate`, or the start of the current stretch of playback if later.
    timeupdate_base: Duration,
}

impl Default for PlaybackEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for PlaybackEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlaybackEngine")
            .field("network_state", &self.network_state)
            .field("ready_state", &self.ready_state)
            .field("paused", &self.paused)
            .field("seeking", &self.seeking)
            .field("position", &self.position)
            .field("duration", &self.duration)
            .field("blocked_on_key", &self.blocked_on_key)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl PlaybackEngine {
    /// A new element: `NETWORK_EMPTY`, `HAVE_NOTHING`, paused, rate 1.
    pub fn new() -> PlaybackEngine {
        PlaybackEngine {
            source: None,
            keys: None,
            decryptor: Decryptor::default(),
            tracks: Vec::new(),
            network_state: NetworkState::Empty,
            ready_state: ReadyState::HaveNothing,
            paused: true,
            seeking: false,
            pending_seek: None,
            playback_rate: 1.0,
            default_playback_rate: 1.0,
            looping: false,
            position: MediaTime::ZERO,
            default_start: MediaTime::ZERO,
            duration: None,
            error: None,
            stopped_by_error: false,
            blocked_on_key: false,
            loaded_data_fired: false,
            metadata_known: false,
            end_reported: false,
            fetch_complete_reported: false,
            clock: Duration::ZERO,
            anchor: None,
            timeupdate_base: Duration::ZERO,
        }
    }

    // ----- Attributes -----

    /// `readyState`.
    pub fn ready_state(&self) -> ReadyState {
        self.ready_state
    }

    /// `networkState`.
    pub fn network_state(&self) -> NetworkState {
        self.network_state
    }

    /// `paused`.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// `ended`: the element has ended playback (forwards is the only direction).
    pub fn ended(&self) -> bool {
        self.ended_playback()
    }

    /// `seeking`.
    pub fn seeking(&self) -> bool {
        self.seeking
    }

    /// The current playback position (`currentTime`) as of the last call.
    pub fn current_time(&self) -> MediaTime {
        self.position
    }

    /// `duration`: `None` for NaN, [`MediaTime::MAX`] for +Infinity.
    pub fn duration(&self) -> Option<MediaTime> {
        self.duration
    }

    /// `playbackRate`.
    pub fn playback_rate(&self) -> f64 {
        self.playback_rate
    }

    /// `defaultPlaybackRate`.
    pub fn default_playback_rate(&self) -> f64 {
        self.default_playback_rate
    }

    /// The `loop` attribute.
    pub fn looping(&self) -> bool {
        self.looping
    }

    /// `error`.
    pub fn error(&self) -> Option<&PlaybackError> {
        self.error.as_ref()
    }

    /// EME's "playback blocked waiting for key".
    pub fn is_waiting_for_key(&self) -> bool {
        self.blocked_on_key
    }

    /// `buffered`.
    pub fn buffered(&self) -> TimeRanges {
        match &self.source {
            Some(source) if self.metadata_known => source.buffered(),
            _ => TimeRanges::new(),
        }
    }

    /// `seekable`: from 0 to the duration, once known.
    pub fn seekable(&self) -> TimeRanges {
        match self.duration {
            Some(duration) if self.metadata_known => TimeRanges::single(MediaTime::ZERO, duration),
            _ => TimeRanges::new(),
        }
    }

    /// `videoWidth` and `videoHeight`, once the metadata is known (0 × 0 without video).
    pub fn video_size(&self) -> (u32, u32) {
        self.tracks
            .iter()
            .find(|t| t.summary.kind == TrackKind::Video)
            .map_or((0, 0), |t| (t.summary.width, t.summary.height))
    }

    /// Per track: frames presented, time reached and the digest of the presented frames.
    pub fn report(&self) -> Vec<TrackPlayback> {
        self.tracks.iter().map(TrackState::report).collect()
    }

    // ----- Scheduling -----

    /// The earliest clock time at which the engine has something to do (present a frame,
    /// fire `timeupdate`, reach the end or the end of the buffered data); `None` while nothing
    /// will happen without a call (paused, stalled, waiting for a key, errored).
    pub fn next_due(&self) -> Option<Duration> {
        let anchor = self.anchor.filter(|_| self.potentially_playing())?;
        if anchor.rate == 0.0 {
            return None;
        }
        let timeupdate = self.timeupdate_base + TIMEUPDATE_INTERVAL;
        let due = match self.next_stop().and_then(|stop| anchor.clock_at(stop)) {
            Some(stop) => stop.min(timeupdate),
            None => timeupdate,
        };
        Some(due.max(self.clock))
    }

    /// Does everything due up to `now`: presents frames, fires `timeupdate`, reaches the end,
    /// stalls. Call it at [`PlaybackEngine::next_due`], and after the source's data changes.
    pub fn advance(&mut self, now: Duration) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        events
    }

    /// The source replaced frames it had (an MSE `remove()` or overlapping append): frames
    /// read ahead are read again.
    pub fn data_changed(&mut self, now: Duration) -> Vec<EngineEvent> {
        for track in &mut self.tracks {
            track.forget_read_ahead();
        }
        self.advance(now)
    }

    // ----- Operations -----

    /// HTML's media element load algorithm, then resource selection with `source` (`None`:
    /// no source, `networkState` stays `NETWORK_EMPTY`). The binding removes the element's
    /// pending tasks first (load step 2).
    pub fn load(
        &mut self,
        now: Duration,
        source: Option<Box<dyn FrameSource>>,
    ) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.clock = self.clock.max(now);
        // Step 3.
        if matches!(
            self.network_state,
            NetworkState::Loading | NetworkState::Idle
        ) {
            events.push(EngineEvent::Abort);
        }
        // Step 4.
        if self.network_state != NetworkState::Empty {
            events.push(EngineEvent::Emptied);
            self.source = None;
            self.tracks.clear();
            self.ready_state = ReadyState::HaveNothing;
            if !self.paused {
                self.paused = true;
                events.push(EngineEvent::RejectPlayPromises {
                    error: PlayRejection::Abort,
                    in_task: false,
                });
            }
            self.seeking = false;
            self.pending_seek = None;
            if self.position != MediaTime::ZERO {
                self.position = MediaTime::ZERO;
                self.emit_timeupdate(&mut events);
            }
            // No durationchange for this change (step 4's note).
            self.duration = None;
        }
        // Steps 5 and 6.
        self.playback_rate = self.default_playback_rate;
        self.error = None;
        self.stopped_by_error = false;
        self.blocked_on_key = false;
        self.loaded_data_fired = false;
        self.metadata_known = false;
        self.end_reported = false;
        self.fetch_complete_reported = false;
        self.anchor = None;
        // Step 7: resource selection.
        match source {
            Some(source) => {
                self.network_state = NetworkState::Loading;
                events.push(EngineEvent::LoadStart);
                self.source = Some(source);
                self.run(now, &mut events);
            }
            None => self.network_state = NetworkState::Empty,
        }
        events
    }

    /// HTML's "dedicated media source failure steps": the source cannot be played
    /// (`MEDIA_ERR_SRC_NOT_SUPPORTED`).
    pub fn source_failed(&mut self, now: Duration, message: &str) -> Vec<EngineEvent> {
        self.clock = self.clock.max(now);
        let error = PlaybackError {
            code: MediaErrorCode::SrcNotSupported,
            message: message.to_owned(),
        };
        self.error = Some(error.clone());
        self.source = None;
        self.tracks.clear();
        self.network_state = NetworkState::NoSource;
        self.anchor = None;
        vec![
            EngineEvent::Error(error),
            EngineEvent::RejectPlayPromises {
                error: PlayRejection::NotSupported,
                in_task: true,
            },
        ]
    }

    /// MSE's end of stream with an error on an element past `HAVE_NOTHING`: HTML's "media
    /// data is corrupted" (`Decode`) or network error steps (`Network`); any other code runs
    /// the dedicated media source failure steps.
    pub fn media_data_error(
        &mut self,
        now: Duration,
        code: MediaErrorCode,
        message: &str,
    ) -> Vec<EngineEvent> {
        if code == MediaErrorCode::SrcNotSupported || code == MediaErrorCode::Aborted {
            return self.source_failed(now, message);
        }
        self.clock = self.clock.max(now);
        let mut events = Vec::new();
        self.decode_error(message.to_owned(), &mut events);
        if let Some(error) = self.error.as_mut() {
            error.code = code;
        }
        if let Some(EngineEvent::Error(error)) = events.last_mut() {
            error.code = code;
        }
        events
    }

    /// `play()`: HTML's play method steps 2–4 (the binding creates and appends the promise)
    /// and the internal play steps. `Err` means the promise is rejected at once
    /// (`MEDIA_ERR_SRC_NOT_SUPPORTED`) and not appended.
    pub fn play(&mut self, now: Duration) -> Result<Vec<EngineEvent>, PlayRejection> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        if self
            .error
            .as_ref()
            .is_some_and(|e| e.code == MediaErrorCode::SrcNotSupported)
        {
            return Err(PlayRejection::NotSupported);
        }
        // Internal play steps, step 2: playback has ended, so seek to the start (its "in
        // parallel" part runs after these steps).
        if self.ended_playback() {
            self.start_seek(MediaTime::ZERO);
        }
        if self.paused {
            // Step 3.
            self.paused = false;
            events.push(EngineEvent::Play);
            if self.ready_state <= ReadyState::HaveCurrentData {
                events.push(EngineEvent::Waiting);
            } else {
                self.notify_about_playing(&mut events);
            }
        } else if self.ready_state >= ReadyState::HaveFutureData {
            // Step 4.
            events.push(EngineEvent::ResolvePlayPromises);
        }
        self.run(now, &mut events);
        Ok(events)
    }

    /// `pause()`: HTML's internal pause steps.
    pub fn pause(&mut self, now: Duration) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        if !self.paused {
            self.paused = true;
            self.anchor = None;
            // One task: timeupdate, pause, then the rejections.
            self.emit_timeupdate(&mut events);
            events.push(EngineEvent::Pause);
            events.push(EngineEvent::RejectPlayPromises {
                error: PlayRejection::Abort,
                in_task: true,
            });
        }
        self.run(now, &mut events);
        events
    }

    /// Setting `currentTime` (or `fastSeek`, which seeks exactly here): HTML's seeking
    /// algorithm. While `HAVE_NOTHING` it sets the default playback start position instead.
    pub fn seek(&mut self, now: Duration, target: MediaTime) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        if self.ready_state == ReadyState::HaveNothing {
            self.default_start = target;
        } else {
            self.start_seek(target);
        }
        self.run(now, &mut events);
        events
    }

    /// Setting `playbackRate` (`ratechange` when it changes). Rates below 0 (playing
    /// backwards) and non-finite ones are not supported; 0 holds the position.
    pub fn set_playback_rate(
        &mut self,
        now: Duration,
        rate: f64,
    ) -> Result<Vec<EngineEvent>, UnsupportedRate> {
        if !rate.is_finite() || rate < 0.0 {
            return Err(UnsupportedRate(rate));
        }
        let mut events = Vec::new();
        self.run(now, &mut events);
        if rate != self.playback_rate {
            self.playback_rate = rate;
            self.anchor = None;
            events.push(EngineEvent::RateChange);
        }
        self.run(now, &mut events);
        Ok(events)
    }

    /// Setting `defaultPlaybackRate` (`ratechange` when it changes).
    pub fn set_default_playback_rate(
        &mut self,
        rate: f64,
    ) -> Result<Vec<EngineEvent>, UnsupportedRate> {
        if !rate.is_finite() || rate < 0.0 {
            return Err(UnsupportedRate(rate));
        }
        if rate == self.default_playback_rate {
            return Ok(Vec::new());
        }
        self.default_playback_rate = rate;
        Ok(vec![EngineEvent::RateChange])
    }

    /// The `loop` attribute.
    pub fn set_looping(&mut self, looping: bool) {
        self.looping = looping;
    }

    /// EME's `setMediaKeys()` once the keys are associated: decryption uses `keys` (`None`:
    /// no `MediaKeys`, encrypted frames wait for a key), then "Attempt to Resume Playback If
    /// Necessary".
    pub fn set_keys(
        &mut self,
        now: Duration,
        keys: Option<Box<dyn KeySource>>,
    ) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        self.keys = keys;
        self.decryptor.clear();
        self.attempt_to_resume(&mut events);
        self.run(now, &mut events);
        events
    }

    /// A session of the element's `MediaKeys` got new keys (`update()`): EME's "Attempt to
    /// Resume Playback If Necessary".
    pub fn key_added(&mut self, now: Duration) -> Vec<EngineEvent> {
        let mut events = Vec::new();
        self.run(now, &mut events);
        self.attempt_to_resume(&mut events);
        self.run(now, &mut events);
        events
    }

    // ----- Playback -----

    /// Brings the state to `now`: while potentially playing, steps from one due thing (a
    /// frame's presentation time, a `timeupdate`, the end of the data or of the media) to
    /// the next.
    fn run(&mut self, now: Duration, events: &mut Vec<EngineEvent>) {
        let now = now.max(self.clock);
        loop {
            self.refresh(events);
            if !self.potentially_playing() {
                self.anchor = None;
                break;
            }
            let anchor = match self.anchor {
                Some(anchor) => anchor,
                None => {
                    let anchor = Anchor {
                        clock: self.clock,
                        position: self.position,
                        rate: self.playback_rate,
                    };
                    self.anchor = Some(anchor);
                    self.timeupdate_base = self.clock;
                    anchor
                }
            };
            if self.present_due_frames(events) {
                continue;
            }
            if anchor.rate == 0.0 {
                break;
            }
            let stop = self.next_stop();
            let timeupdate = self.timeupdate_base + TIMEUPDATE_INTERVAL;
            let step = match stop.and_then(|stop| anchor.clock_at(stop)) {
                Some(at) => at.min(timeupdate),
                None => timeupdate,
            };
            let until = step.min(now);
            let position = anchor.position_at(until);
            self.position = stop.map_or(position, |stop| position.min(stop));
            self.clock = until;
            if step > now {
                break;
            }
            if timeupdate <= step {
                // HTML "time marches on": the usual monotonic increase of the position.
                self.emit_timeupdate(events);
            }
        }
        self.clock = now;
    }

    /// Settles what the state implies right now: the source's metadata and duration, a
    /// pending seek, the frames for the current position, the end, `readyState`.
    fn refresh(&mut self, events: &mut Vec<EngineEvent>) {
        self.poll_source(events);
        // A looping end or a seek to the end leads to another round; four are plenty.
        for _ in 0..4 {
            if let Some(target) = self.pending_seek.take() {
                self.seek_in_parallel(target, events);
            }
            self.prepare_current(events);
            if !self.seeking && !self.end_reported && self.at_media_end() {
                self.reached_end(events);
            }
            if self.pending_seek.is_some() {
                continue;
            }
            self.update_ready_state(events);
            // Seeking steps 12–17, once the new position's data is decoded.
            if self.seeking
                && !self.blocked_on_key
                && !self.stopped_by_error
                && self.ready_state >= ReadyState::HaveCurrentData
            {
                self.seeking = false;
                self.emit_timeupdate(events);
                events.push(EngineEvent::Seeked);
                continue;
            }
            break;
        }
        // The whole resource is there: "fire progress, set networkState to NETWORK_IDLE,
        // fire suspend".
        if self.network_state == NetworkState::Loading
            && !self.fetch_complete_reported
            && self.metadata_known
            && self.source.as_ref().is_some_and(|s| s.is_complete())
        {
            self.fetch_complete_reported = true;
            events.push(EngineEvent::Progress);
            self.network_state = NetworkState::Idle;
            events.push(EngineEvent::Suspend);
        }
    }

    /// HTML's resource fetch algorithm once the metadata is known, and later duration changes.
    fn poll_source(&mut self, events: &mut Vec<EngineEvent>) {
        let Some(source) = self.source.as_deref() else {
            return;
        };
        let duration = source.duration().unwrap_or(MediaTime::MAX);
        if self.metadata_known {
            if self.duration != Some(duration) {
                self.duration = Some(duration);
                events.push(EngineEvent::DurationChange);
                // "If the duration is changed such that the current playback position ends
                // up being greater than the time of the end of the media resource, then the
                // user agent must also seek to the time of the end of the media resource."
                if self.position > duration {
                    self.start_seek(duration);
                }
            }
            return;
        }
        let tracks = source.tracks();
        if tracks.is_empty() {
            return;
        }
        // Steps 3–6: the earliest possible position, the duration, the video size,
        // HAVE_METADATA (which fires loadedmetadata).
        self.tracks = tracks.into_iter().map(TrackState::new).collect();
        self.position = MediaTime::ZERO;
        // Playing from 0 needs what a seek to 0 needs: the reference frames an edit list put
        // before 0 (decoded, never presented).
        for track in &mut self.tracks {
            track.plan_preroll(source, MediaTime::ZERO);
        }
        self.duration = Some(duration);
        events.push(EngineEvent::DurationChange);
        if self
            .tracks
            .iter()
            .any(|t| t.summary.kind == TrackKind::Video)
        {
            events.push(EngineEvent::Resize);
        }
        self.metadata_known = true;
        self.set_ready_state(ReadyState::HaveMetadata, events);
        // Steps 8–9: the default playback start position.
        if self.default_start > MediaTime::ZERO {
            self.start_seek(self.default_start);
        }
        self.default_start = MediaTime::ZERO;
    }

    /// Seeking steps 1–5 (the rest runs at the next refresh, as "in parallel").
    fn start_seek(&mut self, target: MediaTime) {
        if self.ready_state == ReadyState::HaveNothing {
            return;
        }
        // Step 3: a newer seek replaces one still pending.
        self.seeking = true;
        self.pending_seek = Some(target);
    }

    /// Seeking steps 6–11.
    fn seek_in_parallel(&mut self, target: MediaTime, events: &mut Vec<EngineEvent>) {
        let Some(end) = self.duration else {
            // No seekable range: step 8.
            self.seeking = false;
            return;
        };
        let target = target.min(end).max(MediaTime::ZERO);
        events.push(EngineEvent::Seeking);
        self.position = target;
        self.anchor = None;
        self.end_reported = false;
        if let Some(source) = self.source.as_deref() {
            for track in &mut self.tracks {
                track.flush();
                track.plan_preroll(source, target);
            }
        }
        // The frames the element waits for are now those of the new position.
        self.attempt_to_resume(events);
    }

    /// Decodes what the current position needs: a seek's reference frames, then each track's
    /// next frame if it is due or nothing covers the position yet.
    fn decode_needed(&mut self) -> Result<(), DecodeFailure> {
        let Some(source) = self.source.as_deref() else {
            return Ok(());
        };
        if !self.metadata_known || source.buffered().range_containing(self.position).is_none() {
            return Ok(());
        }
        let keys = self.keys.as_deref();
        for track in &mut self.tracks {
            let check = track.summary.codec_check;
            while let Some(frame) = track.preroll.front() {
                self.decryptor.decode(frame, keys, check)?;
                track.preroll.pop_front();
                track.count_preroll_decoded();
            }
            track.refill(source, self.position);
            let Some(front) = track.front() else {
                continue;
            };
            if track.front_is_decoded()
                || (front.pts > self.position && track.has_current_data(self.position))
            {
                continue;
            }
            let bytes = self.decryptor.decode(front, keys, check)?;
            track.set_front_decoded(bytes);
        }
        Ok(())
    }

    fn prepare_current(&mut self, events: &mut Vec<EngineEvent>) {
        if self.blocked_on_key || self.stopped_by_error {
            return;
        }
        match self.decode_needed() {
            Ok(()) => {}
            Err(DecodeFailure::NoKey(_)) => self.wait_for_key(events),
            Err(DecodeFailure::Corrupt(message)) => self.decode_error(message, events),
        }
    }

    /// Presents every frame whose time has come; true if that stopped playback.
    fn present_due_frames(&mut self, events: &mut Vec<EngineEvent>) -> bool {
        loop {
            let before = self.blocked_on_key || self.stopped_by_error;
            self.prepare_current(events);
            if !before && (self.blocked_on_key || self.stopped_by_error) {
                return true;
            }
            let mut presented = false;
            for track in &mut self.tracks {
                if track
                    .front()
                    .is_some_and(|f| f.pts <= self.position && track.front_is_decoded())
                {
                    track.present_front();
                    presented = true;
                }
            }
            if !presented {
                return false;
            }
        }
    }

    /// The next position at which something happens: a frame's presentation time, the end of
    /// the buffered range or the duration.
    fn next_stop(&self) -> Option<MediaTime> {
        let after = |time: MediaTime| (time > self.position).then_some(time);
        let frames = self
            .tracks
            .iter()
            .filter_map(|t| t.front().and_then(|f| after(f.pts)));
        let data_end = self
            .source
            .as_deref()
            .and_then(|s| s.buffered().range_containing(self.position))
            .and_then(|r| after(r.end));
        let end = self.duration.and_then(after);
        frames.chain(data_end).chain(end).min()
    }

    /// HTML's steps for when the position reaches the end of the media resource.
    fn reached_end(&mut self, events: &mut Vec<EngineEvent>) {
        self.end_reported = true;
        if self.looping {
            self.start_seek(MediaTime::ZERO);
            return;
        }
        self.anchor = None;
        self.emit_timeupdate(events);
        if self.ended_playback() && !self.paused {
            self.paused = true;
            events.push(EngineEvent::Pause);
            events.push(EngineEvent::RejectPlayPromises {
                error: PlayRejection::Abort,
                in_task: true,
            });
        }
        events.push(EngineEvent::Ended);
    }
}
