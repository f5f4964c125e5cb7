//! EME's extension of the media element: `setMediaKeys()`
//! (<https://w3c.github.io/encrypted-media/#dom-htmlmediaelement-setmediakeys>).

use std::rc::Rc;

use boa_engine::object::builtins::JsPromise;
use boa_engine::{Context, JsNativeError, JsResult, JsValue};
use boa_gc::{Gc, WeakGc};
use eme::{MediaKeysHandle, MediaKeysUser};
use eme_dom::task::queue_task;
use eme_dom::{ExceptionName, dom_exception};

use super::state::{self, HandleKeys, KeysUser, MediaElementState};

/// `setMediaKeys(mediaKeys)` once `this` passed the brand check. Every failure is a
/// rejection (a promise-returning operation).
pub(crate) fn set_media_keys(
    state: &Gc<MediaElementState>,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    // WebIDL: `MediaKeys? mediaKeys`, a required argument.
    let Some(argument) = args.first() else {
        return Err(JsNativeError::typ()
            .with_message("Failed to execute 'setMediaKeys' on 'HTMLMediaElement': 1 argument required, but only 0 present")
            .into());
    };
    let new_keys = if argument.is_null_or_undefined() {
        None
    } else {
        let handle = argument
            .as_object()
            .and_then(|object| MediaKeysHandle::of(&object).map(|handle| (object, handle)));
        match handle {
            Some(pair) => Some(pair),
            None => {
                return Err(JsNativeError::typ()
                    .with_message("Failed to execute 'setMediaKeys' on 'HTMLMediaElement': parameter 1 is not of type 'MediaKeys'")
                    .into());
            }
        }
    };
    // 1. The same object as the mediaKeys attribute: a resolved promise.
    let current = state.media_keys.borrow().clone();
    let same = match (&current, &new_keys) {
        (None, None) => true,
        (Some(current), Some((object, _))) => current == object,
        _ => false,
    };
    if same {
        return Ok(JsPromise::resolve(JsValue::undefined(), ctx)?.into());
    }
    // 2. Another setMediaKeys() is in progress.
    if state.local.borrow().attaching_media_keys {
        return Err(dom_exception::error(
            ctx,
            ExceptionName::InvalidStateError,
            "setMediaKeys() is already in progress on this element",
        ));
    }
    // 3. Set the attaching media keys value.
    state.local.borrow_mut().attaching_media_keys = true;
    // 4. A new promise.
    let (promise, resolvers) = JsPromise::new_pending(ctx);
    // 5. "In parallel" — done here, the outcome delivered by a task.
    // 5.1. The CDM instance in use by another element, and this user agent cannot share it
    //      (Chrome's choice: one element per MediaKeys; it rejects with QuotaExceededError).
    if let Some((_, handle)) = &new_keys
        && handle.in_use()
    {
        state.local.borrow_mut().attaching_media_keys = false;
        let reason = dom_exception::create(
            ctx,
            ExceptionName::QuotaExceededError,
            "this MediaKeys object is already in use by another media element",
        )?;
        queue_task(ctx, move |ctx| {
            resolvers
                .reject
                .call(&JsValue::undefined(), &[reason.into()], ctx)?;
            Ok(())
        });
        return Ok(promise.into());
    }
    let state = state.clone();
    queue_task(ctx, move |ctx| {
        // 5.2. Remove the current association: stop decrypting with it, stop hearing its keys.
        {
            let mut local = state.local.borrow_mut();
            if let (Some(handle), Some(user)) = (local.keys.take(), local.keys_user.take()) {
                handle.detach(&Rc::downgrade(&user));
            }
        }
        // 5.3.1. Associate the new CDM instance with the element for decrypting media data.
        let keys = new_keys.as_ref().map(|(_, handle)| {
            let user: Rc<dyn MediaKeysUser> = Rc::new(KeysUser {
                state: WeakGc::new(&state),
            });
            handle.attach(Rc::downgrade(&user));
            let mut local = state.local.borrow_mut();
            local.keys = Some(handle.clone());
            local.keys_user = Some(user);
            Box::new(HandleKeys(handle.clone())) as Box<dyn eme_media::playback::KeySource>
        });
        // 5.4. Set the mediaKeys attribute.
        *state.media_keys.borrow_mut() = new_keys.map(|(object, _)| object);
        // 5.5. Clear the attaching media keys value.
        state.local.borrow_mut().attaching_media_keys = false;
        // 5.6. Resolve.
        resolvers.resolve.call(&JsValue::undefined(), &[], ctx)?;
        // 5.3.3. "Attempt to Resume Playback If Necessary" (the engine runs it when its keys
        //        change; the events it gives are queued as tasks).
        state::run(&state, ctx, move |engine, now| engine.set_keys(now, keys))
    });
    Ok(promise.into())
}
