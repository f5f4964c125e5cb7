//! A media element's state and the glue between its playback engine and the event loop: every
//! [`EngineEvent`] becomes a queued media element task (or the settling of the pending play
//! promises), the engine runs as a timed source on the context's one clock, and the element
//! hears its `MediaKeys`' key changes as an [`eme::MediaKeysUser`].
//!
//! # Garbage collection (the pattern of `eme_dom::timed`)
//!
//! The element's native data holds a `Gc` of [`MediaElementState`]; the state holds the
//! element object (a traced back link, a cycle the collector breaks). While playback is
//! scheduled, the registered [`PlaybackTimer`] holds the state strongly, so a playing element
//! stays alive even if scripts dropped it; the state holds only the timer's
//! [`TimedSourceHandle`]. The [`KeysUser`] the `MediaKeys` reaches (weakly) holds the state
//! weakly (`WeakGc`), so key changes never keep an element alive.

use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;
use std::time::Duration;

use boa_engine::builtins::promise::ResolvingFunctions;
use boa_engine::context::time::JsInstant;
use boa_engine::{Context, JsObject, JsResult, JsValue};
use boa_gc::{Finalize, Gc, GcRefCell, Trace, WeakGc};
use eme::{MediaKeysHandle, MediaKeysUser};
use eme_dom::event::{self, EventInit};
use eme_dom::event_target::fire_event;
use eme_dom::task::queue_task;
use eme_dom::timed::{self, TimedSource, TimedSourceHandle};
use eme_dom::{ExceptionName, dom_exception, report};
use eme_media::playback::{EngineEvent, KeySource, PlayRejection, PlaybackEngine};
use eme_media::{MediaTime, TimeRanges};

use crate::media_report::ReportSlot;

/// Which element: the interfaces differ only in a few members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Video,
    Audio,
}

impl MediaKind {
    pub(crate) fn local_name(self) -> &'static str {
        match self {
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }
}

/// Element state that holds no JS value.
pub(crate) struct Local {
    /// Bumped by the load algorithm (its step 2, "remove each task in pending tasks"): queued
    /// media element tasks of an older generation do nothing.
    pub(crate) generation: u64,
    /// The `MediaKeys` association (EME's setMediaKeys step 5.3).
    pub(crate) keys: Option<MediaKeysHandle>,
    /// What the associated `MediaKeys` holds weakly; owned here so it lives as long as the
    /// element.
    pub(crate) keys_user: Option<Rc<dyn MediaKeysUser>>,
    /// EME's "attaching media keys" flag.
    pub(crate) attaching_media_keys: bool,
    /// The registration of the engine on the event loop, while playback is scheduled.
    pub(crate) timer: Option<TimedSourceHandle>,
    /// Resource selection is waiting for its stable state (networkState NETWORK_NO_SOURCE).
    pub(crate) selecting: bool,
    /// `currentSrc`.
    pub(crate) current_src: String,
    /// `volume`, `muted`, `preservesPitch` (no sound is output; kept as HTML says).
    pub(crate) volume: f64,
    pub(crate) muted: bool,
    pub(crate) preserves_pitch: bool,
    /// Whether the `autoplay` content attribute is present (HTML's autoplay steps read it
    /// when the element can play through).
    pub(crate) autoplay: bool,
    /// HTML's "can autoplay flag".
    pub(crate) can_autoplay: bool,
    /// `played`: the ranges the position moved through while playing.
    pub(crate) played: TimeRanges,
}

/// A media element's state (see the [module documentation](self)).
#[derive(Trace, Finalize)]
pub(crate) struct MediaElementState {
    // Untraced fields below hold no JS value: `MediaKind` is a plain enum; the report slot
    // and `Local` hold Rust data only; the engine holds frames, keys (through
    // `eme::MediaKeysHandle`, whose element links are weak) and a frame source made of Rust
    // buffers (`MediaSourceFrames` shares only `MseShared`, which holds no JS value).
    #[unsafe_ignore_trace]
    pub(crate) kind: MediaKind,
    /// The element object (set right after it is created).
    pub(crate) element: GcRefCell<Option<JsObject>>,
    /// HTML's "list of pending play promises".
    pub(crate) play_promises: GcRefCell<Vec<ResolvingFunctions>>,
    /// EME's `mediaKeys` attribute.
    pub(crate) media_keys: GcRefCell<Option<JsObject>>,
    /// The `MediaError` object of the current error (the same object on every read).
    pub(crate) error_object: GcRefCell<Option<JsObject>>,
    /// The `MediaSource` attached through a `blob:` URL (MSE), until the next load.
    pub(crate) media_source: GcRefCell<Option<JsObject>>,
    /// Declared before `engine`: it snapshots the engine's report when the state is dropped.
    #[unsafe_ignore_trace]
    pub(crate) report: ReportSlot,
    #[unsafe_ignore_trace]
    pub(crate) engine: Rc<RefCell<PlaybackEngine>>,
    #[unsafe_ignore_trace]
    pub(crate) local: RefCell<Local>,
}

impl MediaElementState {
    pub(crate) fn new(
        kind: MediaKind,
        engine: Rc<RefCell<PlaybackEngine>>,
        report: ReportSlot,
    ) -> Self {
        MediaElementState {
            kind,
            element: GcRefCell::new(None),
            play_promises: GcRefCell::new(Vec::new()),
            media_keys: GcRefCell::new(None),
            error_object: GcRefCell::new(None),
            media_source: GcRefCell::new(None),
            report,
            engine,
            local: RefCell::new(Local {
                generation: 0,
                keys: None,
                keys_user: None,
                attaching_media_keys: false,
                timer: None,
                selecting: false,
                current_src: String::new(),
                volume: 1.0,
                muted: false,
                preserves_pitch: true,
                autoplay: false,
                can_autoplay: true,
                played: TimeRanges::new(),
            }),
        }
    }
}

/// The context's clock as the engine's `now`: time since the clock's epoch.
pub(crate) fn clock_now(ctx: &Context) -> Duration {
    let nanos = ctx.clock().now().nanos_since_epoch();
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

fn instant(time: Duration) -> JsInstant {
    JsInstant::new(time.as_secs(), time.subsec_nanos())
}

/// Runs an engine operation at the clock's time and does what it returns: queue the events,
/// settle promises, note `played`, and (re)schedule playback. `Err` is the operation's own
/// refusal, returned untouched.
pub(crate) fn operate<E>(
    state: &Gc<MediaElementState>,
    ctx: &mut Context,
    op: impl FnOnce(&mut PlaybackEngine, Duration) -> Result<Vec<EngineEvent>, E>,
) -> JsResult<Result<(), E>> {
    operate_at(state, clock_now(ctx), ctx, op)
}

fn operate_at<E>(
    state: &Gc<MediaElementState>,
    now: Duration,
    ctx: &mut Context,
    op: impl FnOnce(&mut PlaybackEngine, Duration) -> Result<Vec<EngineEvent>, E>,
) -> JsResult<Result<(), E>> {
    let (before, outcome, after) = {
        let mut engine = state.engine.borrow_mut();
        let before = engine.current_time();
        let outcome = op(&mut engine, now);
        (before, outcome, engine.current_time())
    };
    let events = match outcome {
        Ok(events) => events,
        Err(refusal) => return Ok(Err(refusal)),
    };
    note_played(state, before, after, &events);
    handle_events(state, events, ctx)?;
    wake(state, ctx);
    Ok(Ok(()))
}

/// An infallible engine operation.
pub(crate) fn run(
    state: &Gc<MediaElementState>,
    ctx: &mut Context,
    op: impl FnOnce(&mut PlaybackEngine, Duration) -> Vec<EngineEvent>,
) -> JsResult<()> {
    operate(state, ctx, |engine, now| {
        Ok::<_, Infallible>(op(engine, now))
    })
    .map(|_| ())
}

/// `played`: the stretch the position moved through, unless a seek or a load broke it.
fn note_played(
    state: &MediaElementState,
    before: MediaTime,
    after: MediaTime,
    events: &[EngineEvent],
) {
    let mut local = state.local.borrow_mut();
    if events.contains(&EngineEvent::Emptied) {
        local.played = TimeRanges::new();
    }
    let discontinuous = events
        .iter()
        .any(|e| matches!(e, EngineEvent::Seeking | EngineEvent::Emptied));
    if !discontinuous && after > before {
        local.played.add(before, after);
    }
}

/// Registers the engine on the event loop if it has something scheduled and is not registered.
pub(crate) fn wake(state: &Gc<MediaElementState>, ctx: &mut Context) {
    let scheduled = state
        .engine
        .try_borrow()
        .is_ok_and(|engine| engine.next_due().is_some());
    if !scheduled {
        return;
    }
    let registered = state
        .local
        .borrow()
        .timer
        .as_ref()
        .is_some_and(TimedSourceHandle::is_registered);
    if !registered {
        let handle = timed::register(
            ctx,
            Rc::new(PlaybackTimer {
                state: state.clone(),
            }),
        );
        state.local.borrow_mut().timer = Some(handle);
    }
}

/// The engine as a timed source: holds the state (and so the element) strongly while
/// registered.
struct PlaybackTimer {
    state: Gc<MediaElementState>,
}

impl TimedSource for PlaybackTimer {
    fn next_due(&self) -> Option<JsInstant> {
        let engine = self.state.engine.try_borrow().ok()?;
        engine.next_due().map(instant)
    }

    fn run_due(&self, now: JsInstant, ctx: &mut Context) -> JsResult<()> {
        let now = Duration::from_nanos(u64::try_from(now.nanos_since_epoch()).unwrap_or(u64::MAX));
        operate_at(&self.state, now, ctx, |engine, now| {
            Ok::<_, Infallible>(engine.advance(now))
        })
        .map(|_| ())
    }
}

/// What the engine decrypts with: the keys of every session of the element's `MediaKeys`.
pub(crate) struct HandleKeys(pub(crate) MediaKeysHandle);

impl KeySource for HandleKeys {
    fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        self.0.key(key_id)
    }
}

/// The element as its `MediaKeys` sees it (weakly).
pub(crate) struct KeysUser {
    pub(crate) state: WeakGc<MediaElementState>,
}

impl MediaKeysUser for KeysUser {
    // https://w3c.github.io/encrypted-media/#attempt-to-resume-playback-if-necessary
    fn attempt_to_resume_playback(&self, ctx: &mut Context) {
        let Some(state) = self.state.upgrade() else {
            return;
        };
        if let Err(error) = run(&state, ctx, |engine, now| engine.key_added(now)) {
            report::report_exception(&error, ctx);
        }
    }
}

/// HTML's "queue a media element task": skipped if the load algorithm ran since.
pub(crate) fn queue_media_task(
    state: &Gc<MediaElementState>,
    ctx: &mut Context,
    steps: impl FnOnce(&JsObject, &mut Context) -> JsResult<()> + 'static,
) {
    let generation = state.local.borrow().generation;
    let state = state.clone();
    queue_task(ctx, move |ctx| {
        if state.local.borrow().generation != generation {
            return Ok(());
        }
        let element = state.element.borrow().clone();
        match element {
            Some(element) => steps(&element, ctx),
            None => Ok(()),
        }
    });
}

/// Fires a simple event (not bubbling, not cancelable) named `name` at `element`.
pub(crate) fn fire_simple_event(element: &JsObject, name: &str, ctx: &mut Context) -> JsResult<()> {
    let event = event::create(name, EventInit::default(), ctx)?;
    fire_event(element, &event, ctx)?;
    Ok(())
}

/// Queues a media element task firing `name`.
pub(crate) fn queue_event(state: &Gc<MediaElementState>, name: &'static str, ctx: &mut Context) {
    queue_media_task(state, ctx, move |element, ctx| {
        fire_simple_event(element, name, ctx)
    });
}

/// Does what the engine's events say, in order.
pub(crate) fn handle_events(
    state: &Gc<MediaElementState>,
    events: Vec<EngineEvent>,
    ctx: &mut Context,
) -> JsResult<()> {
    for event in events {
        match event {
            EngineEvent::ResolvePlayPromises => {
                // HTML "take pending play promises", then resolve them in a queued task.
                let promises = state.play_promises.borrow_mut().split_off(0);
                if !promises.is_empty() {
                    queue_task(ctx, move |ctx| {
                        for promise in promises {
                            promise.resolve.call(&JsValue::undefined(), &[], ctx)?;
                        }
                        Ok(())
                    });
                }
            }
            EngineEvent::RejectPlayPromises { error, in_task } => {
                let promises = state.play_promises.borrow_mut().split_off(0);
                if promises.is_empty() {
                    continue;
                }
                if in_task {
                    queue_task(ctx, move |ctx| reject_play_promises(promises, error, ctx));
                } else {
                    reject_play_promises(promises, error, ctx)?;
                }
            }
            EngineEvent::Resize if state.kind == MediaKind::Audio => {}
            EngineEvent::Error(_) => {
                // The element's `error` is the engine's; a new error is a new MediaError.
                *state.error_object.borrow_mut() = None;
                queue_event(state, "error", ctx);
            }
            EngineEvent::CanPlayThrough => {
                queue_event(state, "canplaythrough", ctx);
                autoplay(state, ctx)?;
            }
            other => {
                if let Some(name) = other.name() {
                    queue_event(state, name, ctx);
                }
            }
        }
    }
    Ok(())
}

/// HTML's autoplay: when the element can play through, "if the element's can autoplay flag
/// is true, paused is true, and the element has an autoplay attribute", it starts playing.
fn autoplay(state: &Gc<MediaElementState>, ctx: &mut Context) -> JsResult<()> {
    let wanted = {
        let local = state.local.borrow();
        local.autoplay && local.can_autoplay
    };
    if !wanted || !state.engine.borrow().paused() {
        return Ok(());
    }
    state.local.borrow_mut().can_autoplay = false;
    let now = clock_now(ctx);
    let events = state.engine.borrow_mut().play(now).unwrap_or_default();
    handle_events(state, events, ctx)
}

fn reject_play_promises(
    promises: Vec<ResolvingFunctions>,
    error: PlayRejection,
    ctx: &mut Context,
) -> JsResult<()> {
    for promise in promises {
        let reason = play_rejection(error, ctx)?;
        promise.reject.call(&JsValue::undefined(), &[reason], ctx)?;
    }
    Ok(())
}

/// The `DOMException` a play promise is rejected with.
pub(crate) fn play_rejection(error: PlayRejection, ctx: &mut Context) -> JsResult<JsValue> {
    let (name, message) = match error {
        PlayRejection::Abort => (
            ExceptionName::AbortError,
            "The play() request was interrupted (pause, load or the end of playback)",
        ),
        PlayRejection::NotSupported => (
            ExceptionName::NotSupportedError,
            "The element has no supported source",
        ),
    };
    Ok(dom_exception::create(ctx, name, message)?.into())
}
