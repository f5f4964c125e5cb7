//! The element's state rules: HTML's ready-state changes, "potentially playing", "ended
//! playback", the decode error steps, and EME's "Wait for Key" / "Attempt to Resume Playback
//! If Necessary".

use super::PlaybackEngine;
use crate::playback::decode::DecodeFailure;
use crate::playback::{
    ENOUGH_DATA_AHEAD, EngineEvent, MediaErrorCode, NetworkState, PlaybackError, ReadyState,
};

impl PlaybackEngine {
    // ----- EME -----

    /// EME's "Wait for Key".
    pub(super) fn wait_for_key(&mut self, events: &mut Vec<EngineEvent>) {
        // Step 2.
        if self.blocked_on_key {
            return;
        }
        // Step 3.
        let state = if self.current_data_available() {
            ReadyState::HaveCurrentData
        } else {
            ReadyState::HaveMetadata
        };
        self.set_ready_state(state, events);
        // Steps 4–6: blocked, waitingforkey, playback suspended.
        self.blocked_on_key = true;
        events.push(EngineEvent::WaitingForKey);
        self.anchor = None;
    }

    /// EME's "Attempt to Resume Playback If Necessary" (its readyState step happens in the
    /// refresh that follows).
    pub(super) fn attempt_to_resume(&mut self, events: &mut Vec<EngineEvent>) {
        if !self.blocked_on_key || self.stopped_by_error {
            return;
        }
        match self.decode_needed() {
            Ok(()) => self.blocked_on_key = false,
            Err(DecodeFailure::NoKey(_)) => {}
            Err(DecodeFailure::Corrupt(message)) => {
                self.blocked_on_key = false;
                self.decode_error(message, events);
            }
        }
    }

    // ----- HTML state -----

    /// HTML's "media data is corrupted" steps (a fatal decode error).
    pub(super) fn decode_error(&mut self, message: String, events: &mut Vec<EngineEvent>) {
        let error = PlaybackError {
            code: MediaErrorCode::Decode,
            message,
        };
        self.error = Some(error.clone());
        self.stopped_by_error = true;
        // The fetch is cancelled: no progress/suspend after this.
        self.fetch_complete_reported = true;
        self.network_state = NetworkState::Idle;
        self.anchor = None;
        events.push(EngineEvent::Error(error));
    }

    pub(super) fn at_media_end(&self) -> bool {
        self.metadata_known
            && self.source.as_ref().is_some_and(|s| s.is_complete())
            && self.duration.is_some_and(|end| self.position >= end)
    }

    /// HTML's "ended playback" (forwards).
    pub(super) fn ended_playback(&self) -> bool {
        self.ready_state >= ReadyState::HaveMetadata && !self.looping && self.at_media_end()
    }

    /// HTML's "potentially playing", with EME's blocked-waiting-for-key.
    pub(super) fn potentially_playing(&self) -> bool {
        !self.paused
            && !self.ended_playback()
            && !self.stopped_by_error
            && !self.blocked_on_key
            && self.ready_state >= ReadyState::HaveFutureData
    }

    /// Whether every track has decoded what it renders at the current position.
    pub(super) fn current_data_available(&self) -> bool {
        self.tracks
            .iter()
            .all(|t| t.has_current_data(self.position))
    }

    /// The ready state the data around the position allows.
    pub(super) fn computed_ready_state(&self) -> ReadyState {
        let Some(source) = self.source.as_deref() else {
            return self.ready_state;
        };
        if !self.metadata_known || self.stopped_by_error {
            return self.ready_state;
        }
        let has_current = self.current_data_available();
        if self.blocked_on_key {
            return if has_current {
                ReadyState::HaveCurrentData
            } else {
                ReadyState::HaveMetadata
            };
        }
        let buffered = source.buffered();
        let position = self.position;
        if let Some(range) = buffered.range_containing(position) {
            if !has_current {
                return ReadyState::HaveMetadata;
            }
            let to_the_end = source.is_complete() && self.duration.is_some_and(|d| range.end >= d);
            return if to_the_end || range.end - position >= ENOUGH_DATA_AHEAD {
                ReadyState::HaveEnoughData
            } else {
                ReadyState::HaveFutureData
            };
        }
        // At the end of a range: the current frame is there, the next is not (HTML's own
        // example of HAVE_CURRENT_DATA, and what it is when playback has ended).
        if has_current && buffered.ranges().iter().any(|r| r.end == position) {
            ReadyState::HaveCurrentData
        } else {
            ReadyState::HaveMetadata
        }
    }

    pub(super) fn update_ready_state(&mut self, events: &mut Vec<EngineEvent>) {
        let state = self.computed_ready_state();
        self.set_ready_state(state, events);
    }

    /// Sets `readyState`, queuing what HTML's ready-state change steps queue.
    pub(super) fn set_ready_state(&mut self, state: ReadyState, events: &mut Vec<EngineEvent>) {
        use ReadyState::*;
        let previous = self.ready_state;
        if previous == state {
            return;
        }
        let was_potentially_playing = self.potentially_playing();
        self.ready_state = state;
        if self.network_state == NetworkState::Empty {
            return;
        }
        if previous == HaveNothing && state == HaveMetadata {
            events.push(EngineEvent::LoadedMetadata);
            return;
        }
        if previous == HaveMetadata && state >= HaveCurrentData {
            if !self.loaded_data_fired {
                self.loaded_data_fired = true;
                events.push(EngineEvent::LoadedData);
            }
            if state == HaveCurrentData {
                return;
            }
        } else if previous >= HaveFutureData && state <= HaveCurrentData {
            if was_potentially_playing && !self.ended_playback() && !self.stopped_by_error {
                self.emit_timeupdate(events);
                events.push(EngineEvent::Waiting);
            }
            return;
        }
        if previous <= HaveCurrentData && state >= HaveFutureData {
            events.push(EngineEvent::CanPlay);
            if !self.paused {
                self.notify_about_playing(events);
            }
        }
        if state == HaveEnoughData {
            events.push(EngineEvent::CanPlayThrough);
        }
    }

    /// HTML's "notify about playing": take the pending play promises, then in one task fire
    /// `playing` and resolve them.
    pub(super) fn notify_about_playing(&mut self, events: &mut Vec<EngineEvent>) {
        events.push(EngineEvent::Playing);
        events.push(EngineEvent::ResolvePlayPromises);
    }

    pub(super) fn emit_timeupdate(&mut self, events: &mut Vec<EngineEvent>) {
        self.timeupdate_base = self.clock;
        events.push(EngineEvent::TimeUpdate);
    }
}
