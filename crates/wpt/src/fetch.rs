//! `fetch()` for test pages: URLs of the page's server are answered from the same places as
//! its scripts (idlharness.js fetches `/interfaces/*.idl` this way); anything else is a
//! network error, since a test run has no network. Media elements read their `src` the same
//! way ([`PageMediaLoader`]).

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::{
    Context, Finalize, JsData, JsError, JsObject, JsResult, JsString, Trace, js_error,
};
use boa_runtime::fetch::Fetcher;
use boa_runtime::fetch::request::JsRequest;
use boa_runtime::fetch::response::JsResponse;
use url::Url;

use crate::resources::{LoadError, Resources};

/// Serves a page's `fetch()` calls. Holds only paths and the page URL: nothing to trace.
#[derive(Debug, Trace, Finalize, JsData)]
#[boa_gc(unsafe_empty_trace)]
pub(crate) struct PageFetcher {
    resources: Resources,
    page_url: Url,
}

impl PageFetcher {
    pub(crate) fn new(resources: Resources, page_url: Url) -> Self {
        Self {
            resources,
            page_url,
        }
    }

    fn respond(&self, url: &str) -> JsResult<JsResponse> {
        let url = self
            .resources
            .resolve(&self.page_url, url)
            .map_err(|error| -> JsError { js_error!(TypeError: "fetch failed: {}", error) })?;
        // The file's bytes as they are: media and other binary files must not pass through text.
        let (status, body) = match self.resources.load_bytes(&url) {
            Ok((_, bytes)) => (200, bytes),
            Err(error @ LoadError::NotFound { .. }) => (404, error.to_string().into_bytes()),
            Err(error) => return Err(js_error!(TypeError: "fetch failed: {}", error)),
        };
        let response = http::Response::builder()
            .status(status)
            .body(body)
            .map_err(|error| -> JsError { js_error!(TypeError: "fetch failed: {}", error) })?;
        Ok(JsResponse::basic(JsString::from(url.as_str()), response))
    }
}

impl Fetcher for PageFetcher {
    fn resolve_uri(&self, uri: String, _context: &mut Context) -> JsResult<String> {
        Ok(self.page_url.join(&uri).map_or(uri, |url| url.to_string()))
    }

    async fn fetch(
        self: Rc<Self>,
        request: JsRequest,
        _signal: Option<JsObject>,
        _context: &RefCell<&mut Context>,
    ) -> JsResult<JsResponse> {
        let uri = request.uri().to_string();
        self.respond(&uri)
    }
}

/// Serves a page's media elements: `src` resolves against the page's URL and reads the file
/// under the root (or the dependency cache), as `fetch()` does; other origins are refused.
#[derive(Debug)]
pub(crate) struct PageMediaLoader {
    resources: Resources,
    page_url: Url,
}

impl PageMediaLoader {
    pub(crate) fn new(resources: Resources, page_url: Url) -> Self {
        Self {
            resources,
            page_url,
        }
    }
}

impl eme_html::MediaResourceLoader for PageMediaLoader {
    fn resolve(&self, url: &str) -> Result<String, String> {
        self.resources
            .resolve(&self.page_url, url)
            .map(|url| url.to_string())
            .map_err(|error| error.to_string())
    }

    fn load(&self, url: &str) -> Result<Vec<u8>, String> {
        let url = Url::parse(url).map_err(|error| format!("{url}: {error}"))?;
        let url = self
            .resources
            .resolve(&self.page_url, url.as_str())
            .map_err(|error| error.to_string())?;
        self.resources
            .load_bytes(&url)
            .map(|(_, bytes)| bytes)
            .map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use eme_html::MediaResourceLoader;

    use super::*;

    #[test]
    fn media_sources_resolve_against_the_page_and_read_bytes() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("em/content")).unwrap();
        std::fs::write(root.path().join("em/content/a.mp4"), [0u8, 0xff, 0x80]).unwrap();
        let page = crate::resources::page_url("/em/t.https.html", "");
        let loader = PageMediaLoader::new(
            Resources {
                root: root.path().to_owned(),
                deps: None,
            },
            page,
        );
        let url = loader.resolve("content/a.mp4").unwrap();
        assert_eq!(url, "https://web-platform.test:8443/em/content/a.mp4");
        assert_eq!(loader.load(&url).unwrap(), vec![0u8, 0xff, 0x80]);
        assert!(
            loader
                .load("https://web-platform.test:8443/em/content/b.mp4")
                .is_err()
        );
        assert!(loader.resolve("https://example.org/a.mp4").is_err());
        assert!(loader.load("https://example.org/a.mp4").is_err());
    }
}
