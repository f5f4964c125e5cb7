//! The harness report: what every media element of a context played — per track, the frames
//! presented, the time reached and the SHA-256 of the decrypted frames (the playback engine's
//! [`TrackPlayback`]). `eme run --media-report` prints it at the end of a run;
//! [`media_reports`] gives it to embedders and tests as data.
//!
//! The registry lives in the context's host-defined data and holds no JS value: each element
//! shares its engine with its entry weakly, and an element that is collected leaves its last
//! report behind, so the report covers every element the context ever created.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use boa_engine::Context;
use eme_media::playback::{PlaybackEngine, TrackPlayback};

/// What one media element played.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaElementReport {
    /// The element's local name: `"video"` or `"audio"`.
    pub element: &'static str,
    /// Its number among the context's media elements, from 1 in creation order.
    pub index: usize,
    /// The `currentSrc` of its last load ("" when none).
    pub current_src: String,
    /// `currentTime` in seconds.
    pub current_time: f64,
    /// `MediaError.code` of its error, if any.
    pub error_code: Option<u16>,
    /// Per track of the current resource (empty before the metadata is known).
    pub tracks: Vec<TrackPlayback>,
}

/// One element's entry: its engine (weak) and, once the element is gone, its last report.
pub(crate) struct ReportEntry {
    element: &'static str,
    index: usize,
    engine: Weak<RefCell<PlaybackEngine>>,
    current_src: RefCell<String>,
    last: RefCell<Option<MediaElementReport>>,
}

impl ReportEntry {
    fn report(&self) -> Option<MediaElementReport> {
        if let Some(engine) = self.engine.upgrade() {
            let engine = engine.try_borrow().ok()?;
            return Some(MediaElementReport {
                element: self.element,
                index: self.index,
                current_src: self.current_src.borrow().clone(),
                current_time: engine.current_time().as_secs_f64(),
                error_code: engine.error().map(|e| e.code as u16),
                tracks: engine.report(),
            });
        }
        self.last.borrow().clone()
    }

    /// Records `currentSrc` (set by resource selection).
    pub(crate) fn set_current_src(&self, src: &str) {
        src.clone_into(&mut self.current_src.borrow_mut());
    }
}

/// The element's side of its entry: when the element's state is dropped (collected), it
/// keeps the last report. Declared before the engine in the element's state so that it drops
/// while the engine is still there.
pub(crate) struct ReportSlot(pub(crate) Rc<ReportEntry>);

impl Drop for ReportSlot {
    fn drop(&mut self) {
        let last = self.0.report();
        *self.0.last.borrow_mut() = last;
    }
}

#[derive(Default)]
struct Registry(RefCell<Vec<Rc<ReportEntry>>>);

/// Adds an element's entry to the context's registry.
pub(crate) fn register_element(
    ctx: &mut Context,
    element: &'static str,
    engine: &Rc<RefCell<PlaybackEngine>>,
) -> ReportSlot {
    if ctx.get_data::<Registry>().is_none() {
        ctx.insert_data(Registry::default());
    }
    let registry = ctx
        .get_data::<Registry>()
        .map(|r| &r.0)
        .expect("inserted above");
    let mut entries = registry.borrow_mut();
    let entry = Rc::new(ReportEntry {
        element,
        index: entries.len() + 1,
        engine: Rc::downgrade(engine),
        current_src: RefCell::new(String::new()),
        last: RefCell::new(None),
    });
    entries.push(entry.clone());
    ReportSlot(entry)
}

/// What every media element created in `ctx` played, in creation order.
pub fn media_reports(ctx: &Context) -> Vec<MediaElementReport> {
    ctx.get_data::<Registry>()
        .map(|registry| {
            registry
                .0
                .borrow()
                .iter()
                .filter_map(|entry| entry.report())
                .collect()
        })
        .unwrap_or_default()
}

/// The report as text, one line per track (what `eme run --media-report` prints):
/// `video#1 track 1 (video): 50 frames, reached 2.000 s, sha256 …`.
pub fn format_media_reports(reports: &[MediaElementReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let error = report
            .error_code
            .map_or(String::new(), |code| format!(", error {code}"));
        out.push_str(&format!(
            "{}#{} {}: currentTime {:.3} s{}\n",
            report.element,
            report.index,
            if report.current_src.is_empty() {
                "(no source)"
            } else {
                &report.current_src
            },
            report.current_time,
            error
        ));
        for track in &report.tracks {
            let digest: String = track.digest.iter().map(|b| format!("{b:02x}")).collect();
            out.push_str(&format!(
                "  track {} ({}): {} frames presented, reached {:.3} s, sha256 {}\n",
                track.track_id,
                match track.kind {
                    eme_media::playback::TrackKind::Audio => "audio",
                    eme_media::playback::TrackKind::Video => "video",
                },
                track.frames_presented,
                track.time_reached.as_secs_f64(),
                digest
            ));
        }
    }
    out
}
