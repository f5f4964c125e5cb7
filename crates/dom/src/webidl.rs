//! WebIDL argument conversions: <https://webidl.spec.whatwg.org/#es-type-mapping>
//!
//! Each conversion throws the TypeError WebIDL prescribes with a message naming what was being
//! converted, so a script author sees which argument was wrong.

use boa_engine::{
    Context, JsNativeError, JsObject, JsResult, JsString, JsSymbol, JsValue, js_string,
    object::builtins::{AlignedVec, JsArrayBuffer, JsDataView, JsTypedArray},
};

fn type_error(message: String) -> boa_engine::JsError {
    JsNativeError::typ().with_message(message).into()
}

/// `DOMString`: ToString (a Symbol throws TypeError).
pub fn dom_string(value: &JsValue, ctx: &mut Context) -> JsResult<JsString> {
    value.to_string(ctx)
}

/// An optional `DOMString` argument or dictionary member with a default for `undefined` (an
/// absent argument reads as `undefined` through `JsArgs::get_or_undefined`).
pub fn optional_dom_string(
    value: &JsValue,
    default: JsString,
    ctx: &mut Context,
) -> JsResult<JsString> {
    if value.is_undefined() {
        Ok(default)
    } else {
        dom_string(value, ctx)
    }
}

/// A WebIDL enumeration: ToString, then the string must be exactly the IDL string of one of
/// `values` (`as_str` gives it). Generic over the value type so that one list of strings, the
/// enum's own, serves both directions; `enum_name` is the IDL name for the TypeError message.
pub fn enumeration<T: Copy>(
    value: &JsValue,
    values: &[T],
    as_str: impl Fn(T) -> &'static str,
    enum_name: &str,
    ctx: &mut Context,
) -> JsResult<T> {
    let s = dom_string(value, ctx)?.to_std_string_escaped();
    values
        .iter()
        .copied()
        .find(|v| as_str(*v) == s)
        .ok_or_else(|| {
            type_error(format!(
                "The provided value '{s}' is not a valid enum value of type {enum_name}"
            ))
        })
}

/// A dictionary argument: `undefined`/`null` is the empty dictionary (None), an object is read
/// member by member, anything else is a TypeError.
pub fn dictionary(value: &JsValue, dict_name: &str) -> JsResult<Option<JsObject>> {
    if value.is_null_or_undefined() {
        return Ok(None);
    }
    value
        .as_object()
        .map(Some)
        .ok_or_else(|| type_error(format!("The provided value is not of type '{dict_name}'")))
}

/// A dictionary member's value (`undefined` when absent or the dictionary is empty).
pub fn member(dict: &Option<JsObject>, name: &'static str, ctx: &mut Context) -> JsResult<JsValue> {
    match dict {
        Some(object) => object.get(JsString::from(name), ctx),
        None => Ok(JsValue::undefined()),
    }
}

/// `sequence<T>` via the iterable protocol; elements are returned unconverted.
pub fn sequence(value: &JsValue, what: &str, ctx: &mut Context) -> JsResult<Vec<JsValue>> {
    let not_sequence = || {
        type_error(format!(
            "{what} is not iterable (cannot convert to a sequence)"
        ))
    };
    let object = value.as_object().ok_or_else(not_sequence)?;
    let method = object.get(JsSymbol::iterator(), ctx)?;
    let method = method.as_callable().ok_or_else(not_sequence)?;
    let iterator = method.call(value, &[], ctx)?;
    let iterator = iterator
        .as_object()
        .ok_or_else(|| type_error(format!("{what}: the iterator is not an object")))?;
    let next = iterator.get(js_string!("next"), ctx)?;
    let next = next
        .as_callable()
        .ok_or_else(|| type_error(format!("{what}: the iterator has no next method")))?;
    let mut items = Vec::new();
    loop {
        let result = next.call(&iterator.clone().into(), &[], ctx)?;
        let result = result
            .as_object()
            .ok_or_else(|| type_error(format!("{what}: iterator result is not an object")))?;
        if result.get(js_string!("done"), ctx)?.to_boolean() {
            return Ok(items);
        }
        items.push(result.get(js_string!("value"), ctx)?);
    }
}

/// `BufferSource` (`ArrayBufferView or ArrayBuffer`, no `[AllowShared]`): a copy of the bytes
/// the value views. A detached buffer gives no bytes.
pub fn buffer_source(value: &JsValue, what: &str, ctx: &mut Context) -> JsResult<Vec<u8>> {
    let not_buffer_source = || {
        type_error(format!(
            "{what} is not of type '(ArrayBuffer or ArrayBufferView)'"
        ))
    };
    let object = value.as_object().ok_or_else(not_buffer_source)?;
    if let Ok(buffer) = JsArrayBuffer::from_object(object.clone()) {
        return Ok(buffer.data().map(|d| d.to_vec()).unwrap_or_default());
    }
    let (buffer, offset, length) = if let Ok(array) = JsTypedArray::from_object(object.clone()) {
        (
            array.buffer(ctx)?,
            array.byte_offset(ctx)?,
            array.byte_length(ctx)?,
        )
    } else if let Ok(view) = JsDataView::from_object(object.clone()) {
        let offset = usize::try_from(view.byte_offset(ctx)?).map_err(|_| not_buffer_source())?;
        let length = usize::try_from(view.byte_length(ctx)?).map_err(|_| not_buffer_source())?;
        (view.buffer(ctx)?, offset, length)
    } else {
        return Err(not_buffer_source());
    };
    // A view on a SharedArrayBuffer is rejected here: WebIDL requires [AllowShared] for those.
    let buffer = buffer
        .as_object()
        .and_then(|b| JsArrayBuffer::from_object(b).ok())
        .ok_or_else(not_buffer_source)?;
    let Some(data) = buffer.data() else {
        return Ok(Vec::new());
    };
    Ok(offset
        .checked_add(length)
        .and_then(|end| data.get(offset..end))
        .map(<[u8]>::to_vec)
        .unwrap_or_default())
}

/// A new `ArrayBuffer` holding `bytes`.
pub fn array_buffer(bytes: &[u8], ctx: &mut Context) -> JsResult<JsObject> {
    let block = AlignedVec::from_iter(0, bytes.iter().copied());
    Ok(JsArrayBuffer::from_byte_block(block, ctx)?.into())
}

/// A callback function value (`Function`), or TypeError.
pub fn callback_function(value: &JsValue, what: &str) -> JsResult<JsObject> {
    value
        .as_callable()
        .ok_or_else(|| type_error(format!("{what} is not a function")))
}
