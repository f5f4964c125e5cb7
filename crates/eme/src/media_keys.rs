//! `MediaKeys`: <https://w3c.github.io/encrypted-media/#mediakeys-interface>

use std::cell::RefCell;
use std::rc::Rc;

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
pub(crate) type CdmInstance = Rc<RefCell<Box<dyn Cdm>>>;

/// Native data: the CDM instance and the session types the access granted.
#[derive(Finalize, JsData, Trace)]
// SAFETY (of the empty trace): only `eme_cdm` values, and that crate cannot name a Boa type.
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
            cdm: Rc::new(RefCell::new(cdm)),
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
