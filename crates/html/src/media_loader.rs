//! Where a media element's bytes come from: the host provides a [`MediaResourceLoader`] (this
//! crate cannot depend on the host), stored in the context's host-defined data.
//!
//! The media element resolves its `src` through the loader (against the base URL the host
//! knows: the document's or the first script's) and reads the whole resource in one call, in
//! the task that stands for HTML's fetch. A refusal or a read error becomes the "dedicated media
//! source failure steps" (`MEDIA_ERR_SRC_NOT_SUPPORTED`) with the loader's message.

use std::rc::Rc;

use boa_engine::Context;

/// Reads media resources for media elements.
pub trait MediaResourceLoader {
    /// `url` as an absolute URL (parsed, or resolved against the loader's base), or why it is
    /// not a valid URL.
    fn resolve(&self, url: &str) -> Result<String, String>;

    /// The bytes of the resource at `url` (absolute, as [`resolve`](Self::resolve) gives it),
    /// or why they cannot be read (refused, missing, not a local file).
    fn load(&self, url: &str) -> Result<Vec<u8>, String>;
}

/// The context's loader (host-defined data; it holds no JS value).
struct InstalledLoader(Rc<dyn MediaResourceLoader>);

/// Makes `loader` the one every media element of `ctx` reads through. Without one, setting
/// `src` fails with `MEDIA_ERR_SRC_NOT_SUPPORTED` ("no media loader").
pub fn install_media_loader(ctx: &mut Context, loader: Rc<dyn MediaResourceLoader>) {
    ctx.insert_data(InstalledLoader(loader));
}

/// The installed loader, if any.
pub(crate) fn media_loader(ctx: &Context) -> Option<Rc<dyn MediaResourceLoader>> {
    ctx.get_data::<InstalledLoader>().map(|l| l.0.clone())
}
