//! Timed sources: Rust state machines that want to run at a time on the context's clock — a
//! media element's playback engine ("render sample N at t", "fire `timeupdate`", "reach the
//! end"), or anything an embedder schedules without a JS timer.
//!
//! A source answers "when do you next want to run?" ([`TimedSource::next_due`]) and, once that
//! time has come, runs as a task ([`TimedSource::run_due`]). The host's event loop treats the
//! earliest due time of every registered source like a timer: it sleeps until then in real
//! time, or jumps its virtual clock straight to it, and runs the source as one task followed by
//! a microtask checkpoint. A source may queue further tasks itself (`crate::task::queue_task`)
//! to keep HTML's task order for the events it fires.
//!
//! Why the trait lives here and not in the host: crates below the host (`eme`, `dom`, and the
//! coming `html` with its media element) cannot depend on it, but all of them depend on this
//! crate. The registry is stored in the context's host-defined data, where the host's event
//! loop finds the same one ([`install`]); [`register`] works on any context, though on a bare
//! `Context` without the host's loop nothing runs the sources.
//!
//! # Lifetime and garbage collection
//!
//! The registry lives outside the GC heap, so every JS value a registered source holds is a
//! **root** for as long as the source stays registered — like the callback of a pending
//! `setTimeout`, and like HTML's rule that a media element which is potentially playing must
//! not be collected. A source leaves the registry when it is [cancelled](TimedSourceHandle::cancel)
//! or when it reports that nothing is scheduled (`next_due()` returns `None`): from then on
//! the registry no longer roots what it holds, and [`register`] re-arms it.
//!
//! The pattern for a platform object (an element) that owns a schedule:
//! - the **source** holds the element strongly (a `JsObject`, or a traced handle to the
//!   element's state): while playback is scheduled the element stays alive even if scripts
//!   dropped it, and nothing else is needed to find it when the task runs;
//! - the **element** holds only the [`TimedSourceHandle`] (it owns no `Gc`, so an
//!   `#[unsafe_ignore_trace]` field is truthful) — never the `Rc<dyn TimedSource>` itself. An
//!   `Rc` held inside GC-managed data is invisible to the collector, so the handles inside
//!   the source would root the element through itself forever (a leak no collection can
//!   break);
//! - pausing returns `None` from `next_due` (or cancels the handle); playing again registers a
//!   new (cheap) source. Once paused and unreferenced, the element is collected.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use boa_engine::context::time::JsInstant;
use boa_engine::{Context, JsResult};

/// Something that runs at times on the context's clock (see the [module docs](self)).
pub trait TimedSource {
    /// When the source next wants to run, on the context's clock (`ctx.clock().now()`
    /// instants); `None` when nothing is scheduled, which also unregisters it.
    ///
    /// Called by the event loop between tasks, possibly several times per turn, without a
    /// context: it must not call JavaScript and should be cheap.
    fn next_due(&self) -> Option<JsInstant>;

    /// Runs the steps due at `now` (the clock's time when the task runs, at or after the due
    /// time), as one task. Afterwards `next_due` must lie after `now` or be `None`, or the
    /// source runs again at once. An error is reported like an uncaught exception of a task.
    ///
    /// # Errors
    /// Whatever the steps throw.
    fn run_due(&self, now: JsInstant, ctx: &mut Context) -> JsResult<()>;
}

/// One registered source. `queued` is set while a task for it waits in the event loop, so one
/// due time gives one task.
struct Entry {
    source: Rc<dyn TimedSource>,
    registered: Cell<bool>,
    queued: Cell<bool>,
}

impl Entry {
    fn is(&self, source: &Rc<dyn TimedSource>) -> bool {
        // Compares the data pointers only: two `Rc<dyn _>` of one value may carry different
        // vtable pointers across codegen units.
        std::ptr::eq(
            Rc::as_ptr(&self.source).cast::<()>(),
            Rc::as_ptr(source).cast::<()>(),
        )
    }
}

/// The sources registered on one context; the event loop reads it every turn.
#[derive(Default)]
pub struct TimedSources {
    entries: RefCell<Vec<Rc<Entry>>>,
}

impl std::fmt::Debug for TimedSources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimedSources")
            .field("registered", &self.entries.borrow().len())
            .finish()
    }
}

/// The context's registry, as host-defined data (not traced: see the module docs).
struct Installed(Rc<TimedSources>);

/// Makes `sources` the registry of `ctx` (the host does this when it creates the context, so
/// its event loop and [`register`] share one registry). Replaces an earlier one.
pub fn install(ctx: &mut Context, sources: Rc<TimedSources>) {
    ctx.insert_data(Installed(sources));
}

/// The registry of `ctx`, created on first use.
pub fn sources(ctx: &mut Context) -> Rc<TimedSources> {
    if let Some(Installed(sources)) = ctx.get_data::<Installed>() {
        return sources.clone();
    }
    let sources = Rc::new(TimedSources::default());
    install(ctx, sources.clone());
    sources
}

/// Registers `source` on the context's event loop. Registering a source that is already
/// registered (the same `Rc`) changes nothing and returns a handle to the same registration,
/// so "wake the engine" can always just register.
pub fn register(ctx: &mut Context, source: Rc<dyn TimedSource>) -> TimedSourceHandle {
    sources(ctx).register(source)
}

impl TimedSources {
    /// Adds `source` (see [`register`]).
    pub fn register(self: &Rc<Self>, source: Rc<dyn TimedSource>) -> TimedSourceHandle {
        let mut entries = self.entries.borrow_mut();
        let entry = match entries.iter().find(|entry| entry.is(&source)) {
            Some(entry) => entry.clone(),
            None => {
                let entry = Rc::new(Entry {
                    source,
                    registered: Cell::new(true),
                    queued: Cell::new(false),
                });
                entries.push(entry.clone());
                entry
            }
        };
        TimedSourceHandle {
            entry: Rc::downgrade(&entry),
            registry: Rc::downgrade(self),
        }
    }

    /// How many sources are registered.
    pub fn len(&self) -> usize {
        self.entries.borrow().len()
    }

    /// Whether no source is registered.
    pub fn is_empty(&self) -> bool {
        self.entries.borrow().is_empty()
    }

    /// The earliest due time of the sources not already waiting as a task. Sources with
    /// nothing scheduled are unregistered on the way (which ends their rooting).
    pub fn earliest_due(&self) -> Option<JsInstant> {
        self.forget_unscheduled()
            .into_iter()
            .filter(|(entry, _)| !entry.queued.get())
            .map(|(_, due)| due)
            .min()
    }

    /// The sources due at `now` that are not yet waiting as a task, earliest first; each is
    /// marked as waiting until its [`DueSource::run`].
    pub fn take_due(&self, now: JsInstant) -> Vec<DueSource> {
        let mut due: Vec<DueSource> = self
            .forget_unscheduled()
            .into_iter()
            .filter(|(entry, at)| !entry.queued.get() && *at <= now)
            .map(|(entry, at)| {
                entry.queued.set(true);
                DueSource { entry, due: at }
            })
            .collect();
        due.sort_by_key(|source| source.due);
        due
    }

    /// Drops every source (the host does this before its context goes away).
    pub fn clear(&self) {
        for entry in self.entries.take() {
            entry.registered.set(false);
        }
    }

    /// Unregisters the sources with nothing scheduled (unless a task for them is waiting);
    /// returns the others with their due times.
    fn forget_unscheduled(&self) -> Vec<(Rc<Entry>, JsInstant)> {
        // Ask the sources without holding the borrow: a source's `next_due` is foreign code.
        let entries = self.entries.borrow().clone();
        let mut scheduled = Vec::with_capacity(entries.len());
        let mut forget = Vec::new();
        for entry in entries {
            match entry.source.next_due() {
                Some(due) => scheduled.push((entry, due)),
                None if entry.queued.get() => {}
                None => forget.push(entry),
            }
        }
        if !forget.is_empty() {
            self.entries
                .borrow_mut()
                .retain(|entry| !forget.iter().any(|gone| Rc::ptr_eq(gone, entry)));
            for entry in forget {
                entry.registered.set(false);
            }
        }
        scheduled
    }

    fn unregister(&self, entry: &Rc<Entry>) {
        self.entries
            .borrow_mut()
            .retain(|listed| !Rc::ptr_eq(listed, entry));
        entry.registered.set(false);
    }
}

/// A source whose due time has come, waiting in the event loop as a task.
pub struct DueSource {
    entry: Rc<Entry>,
    due: JsInstant,
}

impl std::fmt::Debug for DueSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DueSource").field("due", &self.due).finish()
    }
}

impl DueSource {
    /// The time the source asked for: the task's place among timers.
    pub fn due(&self) -> JsInstant {
        self.due
    }

    /// Whether the source was cancelled (or forgotten) since it became due: its task is void.
    pub fn cancelled(&self) -> bool {
        !self.entry.registered.get()
    }

    /// Runs the source's steps at `now`, unless it was cancelled or no longer wants to run
    /// by `now` (it was re-armed later, or paused, while its task waited).
    ///
    /// # Errors
    /// What [`TimedSource::run_due`] returns.
    pub fn run(self, now: JsInstant, ctx: &mut Context) -> JsResult<()> {
        self.entry.queued.set(false);
        if self.cancelled() {
            return Ok(());
        }
        match self.entry.source.next_due() {
            Some(due) if due <= now => self.entry.source.run_due(now, ctx),
            _ => Ok(()),
        }
    }
}

/// A registration of a [`TimedSource`]. It owns nothing of the source (it may live in the
/// platform object the source belongs to; see the [module docs](self)).
#[derive(Clone)]
pub struct TimedSourceHandle {
    entry: Weak<Entry>,
    registry: Weak<TimedSources>,
}

impl std::fmt::Debug for TimedSourceHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TimedSourceHandle")
            .field("registered", &self.is_registered())
            .finish()
    }
}

impl TimedSourceHandle {
    /// Unregisters the source: it does not run again (not even a task already waiting), and
    /// the registry stops rooting it.
    pub fn cancel(&self) {
        if let (Some(entry), Some(registry)) = (self.entry.upgrade(), self.registry.upgrade()) {
            registry.unregister(&entry);
        }
    }

    /// Whether the source is still registered (not cancelled, not forgotten for having
    /// nothing scheduled).
    pub fn is_registered(&self) -> bool {
        self.entry
            .upgrade()
            .is_some_and(|entry| entry.registered.get())
    }
}
