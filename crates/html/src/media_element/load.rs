//! HTML's media element load algorithm and resource selection for the `src` attribute
//! (<https://html.spec.whatwg.org/multipage/media.html#media-element-load-algorithm>), with
//! the whole resource read through the host's [`MediaResourceLoader`] in one task, and EME's
//! "Initialization Data Encountered" when the resource's init segment has `pssh` boxes.
//!
//! [`MediaResourceLoader`]: crate::media_loader::MediaResourceLoader

use boa_engine::{Context, JsResult, JsString};
use boa_gc::Gc;
use eme_dom::event_target::fire_event;
use eme_media::playback::{EngineEvent, FileSource};

use super::state::{self, MediaElementState, queue_media_task};
use crate::media_loader::media_loader;

/// The media element load algorithm; `src` is the `src` content attribute (no `source`
/// children are supported: without `src` there is no source).
pub(crate) fn load(
    state: &Gc<MediaElementState>,
    src: Option<JsString>,
    ctx: &mut Context,
) -> JsResult<()> {
    // Step 2: remove the pending tasks of the element's media element event task source.
    {
        let mut local = state.local.borrow_mut();
        local.generation += 1;
        local.selecting = false;
    }
    // MSE: a load detaches an attached MediaSource (readyState "closed", sourceclose).
    crate::media_source::detach(state, ctx)?;
    // Steps 3–6 (abort, emptied, the synchronous rejection of pending play promises, the
    // reset of the playback rate and error): the engine's load without a source.
    *state.error_object.borrow_mut() = None;
    state::run(state, ctx, |engine, now| engine.load(now, None))?;
    // Step 7: resource selection. Its step 1 sets networkState to NETWORK_NO_SOURCE until
    // the stable state (a task here).
    let Some(src) = src else {
        // Step 6 of resource selection: no src attribute (and no source children) →
        // NETWORK_EMPTY, nothing more.
        return Ok(());
    };
    state.local.borrow_mut().selecting = true;
    let src = src.to_std_string_escaped();
    queue_media_task(state, ctx, {
        let state = state.clone();
        move |element, ctx| {
            state.local.borrow_mut().selecting = false;
            select_resource(&state, element, &src, ctx)
        }
    });
    Ok(())
}

/// Resource selection after its stable state, mode "attribute", and the resource fetch.
fn select_resource(
    state: &Gc<MediaElementState>,
    element: &boa_engine::JsObject,
    src: &str,
    ctx: &mut Context,
) -> JsResult<()> {
    // "If the src attribute's value is the empty string … failed with attribute."
    if src.is_empty() {
        return failed(state, "the src attribute is empty", ctx);
    }
    // MSE: a blob: URL naming a MediaSource runs "attaching to a media element"; the engine
    // plays from the media source's buffers.
    if src.starts_with("blob:") {
        state.local.borrow_mut().current_src = src.to_owned();
        state.report.0.set_current_src(src);
        return match crate::media_source::attach(state, element, src, ctx) {
            Ok((source, media_source)) => {
                let now = state::clock_now(ctx);
                let events = state.engine.borrow_mut().load(now, Some(source));
                state::handle_events(state, events, ctx)?;
                // Attaching: "queue a task to fire an event named sourceopen".
                crate::media_source::queue_simple_event(&media_source, "sourceopen", ctx);
                state::wake(state, ctx);
                Ok(())
            }
            Err(reason) => failed(state, &reason, ctx),
        };
    }
    let Some(loader) = media_loader(ctx) else {
        return failed(state, "this runtime has no media loader", ctx);
    };
    // Step 2: parse the URL relative to the document (the loader's base).
    let url = match loader.resolve(src) {
        Ok(url) => url,
        Err(reason) => return failed(state, &format!("{src} is not a valid URL: {reason}"), ctx),
    };
    // Step 3: currentSrc.
    state.local.borrow_mut().current_src.clone_from(&url);
    state.report.0.set_current_src(&url);
    // The resource fetch algorithm: the whole resource at once.
    let bytes = match loader.load(&url) {
        Ok(bytes) => bytes,
        Err(reason) => return failed(state, &reason, ctx),
    };
    let file = match eme_media::parse_file(&bytes) {
        Ok(file) => file,
        Err(error) => return failed(state, &format!("{url}: {error}"), ctx),
    };
    let source = match FileSource::new(&file) {
        Ok(source) => source,
        Err(error) => return failed(state, &format!("{url}: {error}"), ctx),
    };
    let init_data = file
        .init
        .as_ref()
        .map(|init| init.init_data())
        .unwrap_or_default();
    let _ = element;
    let now = state::clock_now(ctx);
    let events = state.engine.borrow_mut().load(now, Some(Box::new(source)));
    // EME "Initialization Data Encountered" runs as the init segment is parsed: before the
    // metadata steps (durationchange, resize, loadedmetadata).
    let metadata_at = events
        .iter()
        .position(|e| {
            matches!(
                e,
                EngineEvent::DurationChange | EngineEvent::Resize | EngineEvent::LoadedMetadata
            )
        })
        .unwrap_or(events.len());
    let mut events = events;
    let after = events.split_off(metadata_at);
    state::handle_events(state, events, ctx)?;
    if !init_data.is_empty() {
        queue_encrypted(state, init_data, ctx);
    }
    state::handle_events(state, after, ctx)?;
    state::wake(state, ctx);
    Ok(())
}

/// <https://w3c.github.io/encrypted-media/#initdata-encountered>: queue a task to fire
/// `encrypted` (a MediaEncryptedEvent) with initDataType "cenc" and the concatenated `pssh`
/// boxes. The resource is read through the host's loader from the page's own files, so it is
/// CORS-same-origin and step 4's blanking does not apply.
pub(crate) fn queue_encrypted(
    state: &Gc<MediaElementState>,
    init_data: Vec<u8>,
    ctx: &mut Context,
) {
    queue_media_task(state, ctx, move |element, ctx| {
        let init_data = eme_dom::webidl::array_buffer(&init_data, ctx)?;
        let event = eme::media_encrypted_event::create("encrypted", "cenc", Some(init_data), ctx)?;
        fire_event(element, &event, ctx)?;
        Ok(())
    });
}

/// "Failed with attribute": queue the dedicated media source failure steps
/// (MEDIA_ERR_SRC_NOT_SUPPORTED), after resource selection's `loadstart`.
fn failed(state: &Gc<MediaElementState>, message: &str, ctx: &mut Context) -> JsResult<()> {
    // Resource selection steps 8–9 ran before the fetch: NETWORK_LOADING and loadstart.
    state::queue_event(state, "loadstart", ctx);
    let message = message.to_owned();
    state::run(state, ctx, |engine, now| {
        engine.source_failed(now, &message)
    })
}
