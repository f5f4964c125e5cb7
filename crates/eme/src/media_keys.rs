//! `MediaKeys`: <https://w3c.github.io/encrypted-media/#mediakeys-interface>

use std::cell::{Ref, RefCell, RefMut};
use std::rc::{Rc, Weak};

use boa_engine::{
    Context, JsArgs, JsData, JsObject, JsResult, JsValue, object::builtins::JsPromise,
};
use boa_gc::{Finalize, Trace};
use eme_cdm::{Cdm, Configuration, SessionType};
use eme_dom::{
    ExceptionName,
    interface::{self, InterfaceBuilder, illegal_invocation},
    promise::promise_operation,
    webidl,
};

use crate::{
    cdm_error, dom_error, idl_enum, idl_string, media_key_session, require_arguments,
    settle_in_task, type_error,
};

const INTERFACE: &str = "MediaKeys";

/// The CDM instance a `MediaKeys` object and its sessions share.
pub(crate) type CdmInstance = Rc<CdmShared>;

/// A CDM instance and the media elements whose `mediaKeys` is the `MediaKeys` it backs.
pub(crate) struct CdmShared {
    cdm: RefCell<Box<dyn Cdm>>,
    /// The elements to run "Attempt to Resume Playback If Necessary" on when key statuses
    /// change. Weak: a `MediaKeys` never keeps an element alive, and an element that is gone
    /// simply drops out.
    users: RefCell<Vec<Weak<dyn MediaKeysUser>>>,
}

impl CdmShared {
    fn new(cdm: Box<dyn Cdm>) -> CdmInstance {
        Rc::new(CdmShared {
            cdm: RefCell::new(cdm),
            users: RefCell::new(Vec::new()),
        })
    }

    /// The CDM, shared.
    pub(crate) fn borrow(&self) -> Ref<'_, Box<dyn Cdm>> {
        self.cdm.borrow()
    }

    /// The CDM, exclusively.
    pub(crate) fn borrow_mut(&self) -> RefMut<'_, Box<dyn Cdm>> {
        self.cdm.borrow_mut()
    }

    /// The elements still alive that use this CDM instance.
    fn live_users(&self) -> Vec<Rc<dyn MediaKeysUser>> {
        let mut users = self.users.borrow_mut();
        users.retain(|user| user.strong_count() > 0);
        users.iter().filter_map(Weak::upgrade).collect()
    }
}

/// A media element's side of its `MediaKeys`: what EME asks of the element when a session's
/// keys change. Implemented by the media element (which lives in a crate above this one:
/// EME never knows the element itself).
pub trait MediaKeysUser {
    /// EME's "Attempt to Resume Playback If Necessary": a key may have become usable (or
    /// unusable), so a playback waiting for a key should look again. Runs in a task.
    fn attempt_to_resume_playback(&self, ctx: &mut Context);
}

/// What a media element holds of the `MediaKeys` object set by `setMediaKeys()`: the keys of
/// every session of its CDM instance, and the registration that makes key status changes
/// reach the element.
#[derive(Clone)]
pub struct MediaKeysHandle(CdmInstance);

impl std::fmt::Debug for MediaKeysHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaKeysHandle").finish_non_exhaustive()
    }
}

impl MediaKeysHandle {
    /// The handle of `object` if it is a `MediaKeys` object (the setMediaKeys brand check).
    pub fn of(object: &JsObject) -> Option<MediaKeysHandle> {
        object
            .downcast_ref::<MediaKeys>()
            .map(|keys| MediaKeysHandle(keys.cdm.clone()))
    }

    /// The content key for `key_id` from any session of this CDM instance that holds it.
    pub fn key(&self, key_id: &[u8; 16]) -> Option<[u8; 16]> {
        self.0.borrow().key(key_id)
    }

    /// Whether both handles stand for the same `MediaKeys` object.
    pub fn is_same(&self, other: &MediaKeysHandle) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Whether a live media element uses this CDM instance (setMediaKeys step "already in
    /// use by another media element").
    pub fn in_use(&self) -> bool {
        !self.0.live_users().is_empty()
    }

    /// Makes `user` hear key status changes of this CDM instance's sessions.
    pub fn attach(&self, user: Weak<dyn MediaKeysUser>) {
        self.0.users.borrow_mut().push(user);
    }

    /// Stops `user` hearing them (setMediaKeys with another value, or the element's end).
    pub fn detach(&self, user: &Weak<dyn MediaKeysUser>) {
        self.0
            .users
            .borrow_mut()
            .retain(|attached| !Weak::ptr_eq(attached, user));
    }
}

/// Update Key Statuses step 6: queue a task to run "Attempt to Resume Playback If Necessary"
/// on each media element whose `mediaKeys` is the `MediaKeys` object that created the session.
pub(crate) fn queue_attempt_to_resume_playback(cdm: &CdmInstance, ctx: &mut Context) {
    let cdm = cdm.clone();
    eme_dom::task::queue_task(ctx, move |ctx| {
        for user in cdm.live_users() {
            user.attempt_to_resume_playback(ctx);
        }
        Ok(())
    });
}

/// Native data: the CDM instance and the session types the access granted.
#[derive(Finalize, JsData, Trace)]
// SAFETY (of the empty trace): `eme_cdm` values, which cannot name a Boa type, and weak
// references to media elements, which never keep anything alive and so need no tracing.
#[boa_gc(unsafe_empty_trace)]
pub struct MediaKeys {
    cdm: CdmInstance,
    supported_session_types: Vec<SessionType>,
}

/// Creates the `MediaKeys` object `createMediaKeys` resolves with.
pub(crate) fn create(
    cdm: Box<dyn Cdm>,
    configuration: &Configuration,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let supported_session_types = configuration
        .session_types
        .iter()
        .flatten()
        .filter_map(|s| SessionType::parse(s))
        .collect();
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        MediaKeys {
            cdm: CdmShared::new(cdm),
            supported_session_types,
        },
    ))
}

fn this_media_keys(this: &JsValue) -> JsResult<(CdmInstance, Vec<SessionType>)> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let keys = object
        .downcast_ref::<MediaKeys>()
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    Ok((keys.cdm.clone(), keys.supported_session_types.clone()))
}

// https://w3c.github.io/encrypted-media/#dom-mediakeys-createsession
fn create_session(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (cdm, supported) = this_media_keys(this)?;
    // `optional MediaKeySessionType sessionType = "temporary"`.
    let session_type = match args.get_or_undefined(0) {
        value if value.is_undefined() => SessionType::Temporary,
        value => idl_enum(value, ctx)?,
    };
    // 1–2. The access must have granted the session type.
    if !supported.contains(&session_type) {
        return Err(dom_error(
            ctx,
            ExceptionName::NotSupportedError,
            &format!(
                "session type '{}' is not supported by this MediaKeys object",
                session_type.as_str()
            ),
        ));
    }
    // 3–11. A new session in its initial state.
    Ok(media_key_session::create(cdm, session_type, ctx)?.into())
}

// https://w3c.github.io/encrypted-media/#dom-mediakeys-setservercertificate
fn set_server_certificate(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (cdm, _) = this_media_keys(this)?;
        require_arguments(args, 1, "setServerCertificate", INTERFACE)?;
        let certificate = webidl::buffer_source(&args[0], "serverCertificate", ctx)?;
        // 2. Empty certificate → TypeError. Checked before the key system's "not supported →
        //    false" (spec step 1), as Chromium does and WPT expects.
        if certificate.is_empty() {
            return Err(type_error("serverCertificate must not be empty"));
        }
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        let outcome = cdm.borrow_mut().set_server_certificate(&certificate);
        settle_in_task(ctx, resolvers, move |ctx| {
            outcome.map(JsValue::from).map_err(|e| cdm_error(e, ctx))
        });
        Ok(promise.into())
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeys-getstatusforpolicy
fn get_status_for_policy(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (cdm, _) = this_media_keys(this)?;
        let policy = webidl::dictionary(args.get_or_undefined(0), "MediaKeysPolicy")?;
        let min_hdcp_version = webidl::member(&policy, "minHdcpVersion", ctx)?;
        // 1. A policy with no present members → TypeError.
        if min_hdcp_version.is_undefined() {
            return Err(type_error(
                "the policy has no members (expected minHdcpVersion)",
            ));
        }
        let min_hdcp_version = webidl::dom_string(&min_hdcp_version, ctx)?.to_std_string_escaped();
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        let outcome = cdm.borrow().get_status_for_policy(Some(&min_hdcp_version));
        settle_in_task(ctx, resolvers, move |ctx| {
            outcome.map(idl_string).map_err(|e| cdm_error(e, ctx))
        });
        Ok(promise.into())
    })
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .operation("createSession", 0, create_session)
        .operation("getStatusForPolicy", 0, get_status_for_policy)
        .operation("setServerCertificate", 1, set_server_certificate)
        .build()?;
    Ok(())
}
