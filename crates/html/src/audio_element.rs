//! `HTMLAudioElement` and its legacy factory function `Audio(src)`:
//! <https://html.spec.whatwg.org/multipage/media.html#htmlaudioelement>

use boa_engine::object::FunctionObjectBuilder;
use boa_engine::property::{Attribute, PropertyDescriptor};
use boa_engine::{
    Context, JsArgs, JsObject, JsResult, JsString, JsValue, NativeFunction, js_string,
};
use eme_dom::interface::{self, InterfaceBuilder};

use crate::element;
use crate::media_element::{self, state::MediaKind};

const INTERFACE: &str = "HTMLAudioElement";

/// The element factory of `audio`.
fn create_audio(
    document: &JsObject,
    local_name: &JsString,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    media_element::create(document, local_name, MediaKind::Audio, INTERFACE, ctx)
}

// https://html.spec.whatwg.org/multipage/media.html#dom-audio
fn audio_factory(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, "Audio")?;
    // 1–2. The current global object's associated Document.
    let document = crate::document::document(ctx)?;
    // 3. Create an audio element of that document.
    let audio = create_audio(&document, &js_string!("audio"), ctx)?;
    // 4. Set its preload attribute to "auto".
    element::set_attribute(&audio, "preload", js_string!("auto"), ctx)?;
    // 5. If src is given, set the src attribute (which runs the load algorithm).
    let src = args.get_or_undefined(0);
    if !src.is_undefined() {
        let src = eme_dom::webidl::dom_string(src, ctx)?;
        element::set_attribute(&audio, "src", src, ctx)?;
    }
    Ok(audio.into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let parent = interface::interface(ctx, "HTMLMediaElement")?;
    let audio = InterfaceBuilder::new(ctx, INTERFACE)
        .inherits(parent)
        .build()?;
    element::register_element_factory(ctx, "audio", create_audio);
    // [LegacyFactoryFunction=Audio(optional DOMString src)]: a constructor whose `prototype`
    // is HTMLAudioElement.prototype ({!writable, !enumerable, !configurable}).
    let factory =
        FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(audio_factory))
            .name(js_string!("Audio"))
            .length(0)
            .constructor(true)
            .build();
    factory.define_property_or_throw(
        js_string!("prototype"),
        PropertyDescriptor::builder()
            .value(audio.prototype)
            .writable(false)
            .enumerable(false)
            .configurable(false),
        ctx,
    )?;
    ctx.register_global_property(
        js_string!("Audio"),
        factory,
        Attribute::WRITABLE | Attribute::CONFIGURABLE,
    )?;
    Ok(())
}
