//! `Navigator` (the EME partial interface): `navigator.requestMediaKeySystemAccess`.
//! <https://w3c.github.io/encrypted-media/#navigator-extension-requestmediakeysystemaccess>

use std::rc::Rc;

use boa_engine::{
    Context, JsData, JsObject, JsResult, JsString, JsValue, js_string, object::builtins::JsPromise,
    property::Attribute,
};
use boa_gc::{Finalize, Trace};
use eme_cdm::{Configuration, KeySystem, MediaCapability, Requirement};
use eme_dom::{
    ExceptionName,
    interface::{InterfaceBuilder, illegal_invocation},
    promise::promise_operation,
    webidl,
};

use crate::{
    dom_error, idl_enum, media_key_system_access, require_arguments, settle_in_task, type_error,
};

const INTERFACE: &str = "Navigator";

/// The key systems this realm offers, in the embedder's order.
#[derive(Clone)]
pub(crate) struct KeySystems(pub Vec<Rc<dyn KeySystem>>);

/// Native data of the `navigator` object; it has no state of its own.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct Navigator;

// https://w3c.github.io/encrypted-media/#dom-navigator-requestmediakeysystemaccess
fn request_media_key_system_access(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        if !this.as_object().is_some_and(|o| o.is::<Navigator>()) {
            return Err(illegal_invocation(INTERFACE));
        }
        require_arguments(args, 2, "requestMediaKeySystemAccess", INTERFACE)?;
        let key_system = webidl::dom_string(&args[0], ctx)?.to_std_string_escaped();
        let configurations = supported_configurations(&args[1], ctx)?;
        // 1. If keySystem is the empty string, reject with a TypeError.
        if key_system.is_empty() {
            return Err(type_error("keySystem must not be the empty string"));
        }
        // 2. If supportedConfigurations is empty, reject with a TypeError.
        if configurations.is_empty() {
            return Err(type_error("supportedConfigurations must not be empty"));
        }
        // 6. Let promise be a new promise; the rest runs "in parallel": done here, with the
        //    outcome delivered by a queued task as the spec's "queue a task" steps say.
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        let known = ctx
            .get_data::<KeySystems>()
            .cloned()
            .map(|k| k.0)
            .unwrap_or_default();
        let outcome = select_configuration(&known, &key_system, &configurations);
        settle_in_task(ctx, resolvers, move |ctx| match outcome {
            Ok((implementation, configuration)) => Ok(media_key_system_access::create(
                key_system,
                configuration,
                implementation,
                ctx,
            )?
            .into()),
            Err(message) => Err(dom_error(ctx, ExceptionName::NotSupportedError, &message)),
        });
        Ok(promise.into())
    })
}

/// The in-parallel steps 6.1–6.4: find the key system, then the first configuration that
/// "Get Supported Configuration" accepts. Err carries the NotSupportedError message.
fn select_configuration(
    known: &[Rc<dyn KeySystem>],
    key_system: &str,
    configurations: &[Configuration],
) -> Result<(Rc<dyn KeySystem>, Configuration), String> {
    // 6.1 Key systems match exactly: no case folding, prefixes or suffixes.
    let implementation = known
        .iter()
        .find(|k| k.name() == key_system)
        .ok_or_else(|| format!("Unsupported keySystem or supportedConfigurations: '{key_system}' is not a supported key system"))?;
    let mut reasons = Vec::new();
    for (index, candidate) in configurations.iter().enumerate() {
        match implementation.get_supported_configuration(candidate) {
            Ok(configuration) => return Ok((implementation.clone(), configuration)),
            Err(reason) => reasons.push(format!("[{index}] {reason}")),
        }
    }
    Err(format!(
        "Unsupported keySystem or supportedConfigurations: no configuration is supported by '{key_system}': {}",
        reasons.join("; ")
    ))
}

/// `sequence<MediaKeySystemConfiguration>`.
fn supported_configurations(value: &JsValue, ctx: &mut Context) -> JsResult<Vec<Configuration>> {
    webidl::sequence(value, "supportedConfigurations", ctx)?
        .iter()
        .map(|item| configuration(item, ctx))
        .collect()
}

/// `MediaKeySystemConfiguration`, members read in WebIDL's lexicographic order.
fn configuration(value: &JsValue, ctx: &mut Context) -> JsResult<Configuration> {
    let dict = webidl::dictionary(value, "MediaKeySystemConfiguration")?;
    let audio_capabilities = capabilities(
        &webidl::member(&dict, "audioCapabilities", ctx)?,
        "audioCapabilities",
        ctx,
    )?;
    let distinctive_identifier =
        requirement(&webidl::member(&dict, "distinctiveIdentifier", ctx)?, ctx)?;
    let init_data_types = string_sequence(
        &webidl::member(&dict, "initDataTypes", ctx)?,
        "initDataTypes",
        ctx,
    )?
    .unwrap_or_default();
    let label = optional_string(&webidl::member(&dict, "label", ctx)?, ctx)?.unwrap_or_default();
    let persistent_state = requirement(&webidl::member(&dict, "persistentState", ctx)?, ctx)?;
    let session_types = string_sequence(
        &webidl::member(&dict, "sessionTypes", ctx)?,
        "sessionTypes",
        ctx,
    )?;
    let video_capabilities = capabilities(
        &webidl::member(&dict, "videoCapabilities", ctx)?,
        "videoCapabilities",
        ctx,
    )?;
    Ok(Configuration {
        label,
        init_data_types,
        audio_capabilities,
        video_capabilities,
        distinctive_identifier,
        persistent_state,
        session_types,
    })
}

/// `sequence<MediaKeySystemMediaCapability>`, default `[]`.
fn capabilities(value: &JsValue, what: &str, ctx: &mut Context) -> JsResult<Vec<MediaCapability>> {
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    let mut result = Vec::new();
    for item in webidl::sequence(value, what, ctx)? {
        let dict = webidl::dictionary(&item, "MediaKeySystemMediaCapability")?;
        let content_type =
            optional_string(&webidl::member(&dict, "contentType", ctx)?, ctx)?.unwrap_or_default();
        // `DOMString? encryptionScheme = null`: null and undefined both mean "absent".
        let scheme = webidl::member(&dict, "encryptionScheme", ctx)?;
        let encryption_scheme = if scheme.is_null_or_undefined() {
            None
        } else {
            Some(webidl::dom_string(&scheme, ctx)?.to_std_string_escaped())
        };
        let robustness =
            optional_string(&webidl::member(&dict, "robustness", ctx)?, ctx)?.unwrap_or_default();
        result.push(MediaCapability {
            content_type,
            encryption_scheme,
            robustness,
        });
    }
    Ok(result)
}

/// `MediaKeysRequirement`, default `"optional"`.
fn requirement(value: &JsValue, ctx: &mut Context) -> JsResult<Requirement> {
    if value.is_undefined() {
        return Ok(Requirement::Optional);
    }
    idl_enum(value, ctx)
}

fn optional_string(value: &JsValue, ctx: &mut Context) -> JsResult<Option<String>> {
    if value.is_undefined() {
        return Ok(None);
    }
    Ok(Some(
        webidl::dom_string(value, ctx)?.to_std_string_escaped(),
    ))
}

/// `sequence<DOMString>`; `None` when the member is absent.
fn string_sequence(
    value: &JsValue,
    what: &str,
    ctx: &mut Context,
) -> JsResult<Option<Vec<String>>> {
    if value.is_undefined() {
        return Ok(None);
    }
    let items = webidl::sequence(value, what, ctx)?;
    let mut strings = Vec::with_capacity(items.len());
    for item in items {
        strings.push(webidl::dom_string(&item, ctx)?.to_std_string_escaped());
    }
    Ok(Some(strings))
}

fn get_user_agent(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    if !this.as_object().is_some_and(|o| o.is::<Navigator>()) {
        return Err(illegal_invocation(INTERFACE));
    }
    Ok(JsString::from(concat!("eme/", env!("CARGO_PKG_VERSION"))).into())
}

pub(crate) fn register(ctx: &mut Context, options: &crate::EmeOptions) -> JsResult<()> {
    ctx.insert_data(KeySystems(options.key_systems.clone()));
    let navigator_interface = InterfaceBuilder::new(ctx, INTERFACE)
        .attribute("userAgent", get_user_agent, None)
        .operation(
            "requestMediaKeySystemAccess",
            2,
            request_media_key_system_access,
        )
        .build()?;
    let navigator = JsObject::from_proto_and_data(navigator_interface.prototype, Navigator);
    ctx.register_global_property(
        js_string!("navigator"),
        navigator,
        Attribute::ENUMERABLE | Attribute::CONFIGURABLE,
    )?;
    Ok(())
}
