//! `MediaKeySystemAccess`: <https://w3c.github.io/encrypted-media/#mediakeysystemaccess-interface>

use std::rc::Rc;

use boa_engine::{
    Context, JsData, JsObject, JsResult, JsString, JsValue, js_string,
    object::{
        ObjectInitializer,
        builtins::{JsArray, JsPromise},
    },
    property::Attribute,
};
use boa_gc::{Finalize, Trace};
use eme_cdm::{Configuration, KeySystem, MediaCapability};
use eme_dom::{
    interface::{self, InterfaceBuilder},
    promise::promise_operation,
};

use crate::{idl_string, media_keys, settle_in_task};

const INTERFACE: &str = "MediaKeySystemAccess";

/// The key system and the configuration "Get Supported Configuration" accepted.
#[derive(Finalize, JsData, Trace)]
// SAFETY (of the empty trace): only `eme_cdm` values, and that crate cannot name a Boa type.
#[boa_gc(unsafe_empty_trace)]
pub struct MediaKeySystemAccess {
    key_system: String,
    configuration: Configuration,
    implementation: Rc<dyn KeySystem>,
}

/// Creates the access object that `requestMediaKeySystemAccess` resolves with.
pub(crate) fn create(
    key_system: String,
    configuration: Configuration,
    implementation: Rc<dyn KeySystem>,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        MediaKeySystemAccess {
            key_system,
            configuration,
            implementation,
        },
    ))
}

fn get_key_system(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaKeySystemAccess, _>(this, INTERFACE, |a| {
        JsString::from(a.key_system.as_str()).into()
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysystemaccess-getconfiguration
// A new dictionary every call, members in WebIDL's lexicographic order.
fn get_configuration(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let configuration = interface::with_this::<MediaKeySystemAccess, _>(this, INTERFACE, |a| {
        a.configuration.clone()
    })?;
    let audio = capabilities_array(&configuration.audio_capabilities, ctx);
    let init_data_types = string_array(&configuration.init_data_types, ctx);
    let session_types = string_array(configuration.session_types.as_deref().unwrap_or(&[]), ctx);
    let video = capabilities_array(&configuration.video_capabilities, ctx);
    let dictionary = ObjectInitializer::new(ctx)
        .property(js_string!("audioCapabilities"), audio, Attribute::all())
        .property(
            js_string!("distinctiveIdentifier"),
            idl_string(configuration.distinctive_identifier),
            Attribute::all(),
        )
        .property(
            js_string!("initDataTypes"),
            init_data_types,
            Attribute::all(),
        )
        .property(
            js_string!("label"),
            JsString::from(configuration.label.as_str()),
            Attribute::all(),
        )
        .property(
            js_string!("persistentState"),
            idl_string(configuration.persistent_state),
            Attribute::all(),
        )
        .property(js_string!("sessionTypes"), session_types, Attribute::all())
        .property(js_string!("videoCapabilities"), video, Attribute::all())
        .build();
    Ok(dictionary.into())
}

fn string_array(items: &[String], ctx: &mut Context) -> JsArray {
    JsArray::from_iter(items.iter().map(|s| JsString::from(s.as_str()).into()), ctx)
}

fn capabilities_array(capabilities: &[MediaCapability], ctx: &mut Context) -> JsArray {
    let items: Vec<JsValue> = capabilities
        .iter()
        .map(|capability| {
            let scheme = capability
                .encryption_scheme
                .as_deref()
                .map_or(JsValue::null(), |s| JsString::from(s).into());
            ObjectInitializer::new(ctx)
                .property(
                    js_string!("contentType"),
                    JsString::from(capability.content_type.as_str()),
                    Attribute::all(),
                )
                .property(js_string!("encryptionScheme"), scheme, Attribute::all())
                .property(
                    js_string!("robustness"),
                    JsString::from(capability.robustness.as_str()),
                    Attribute::all(),
                )
                .build()
                .into()
        })
        .collect();
    JsArray::from_iter(items, ctx)
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysystemaccess-createmediakeys
fn create_media_keys(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (implementation, configuration) =
            interface::with_this::<MediaKeySystemAccess, _>(this, INTERFACE, |a| {
                (a.implementation.clone(), a.configuration.clone())
            })?;
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        // 2.1–2.7 in parallel: instantiate the CDM for this configuration.
        let cdm = implementation.create_cdm(&configuration);
        // 2.8–2.10 queued task: create the MediaKeys object and resolve with it.
        settle_in_task(ctx, resolvers, move |ctx| {
            Ok(media_keys::create(cdm, &configuration, ctx)?.into())
        });
        Ok(promise.into())
    })
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .attribute("keySystem", get_key_system, None)
        .operation("getConfiguration", 0, get_configuration)
        .operation("createMediaKeys", 0, create_media_keys)
        .build()?;
    Ok(())
}
