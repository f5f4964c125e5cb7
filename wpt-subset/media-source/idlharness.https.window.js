// META: script=/resources/WebIDLParser.js
// META: script=/resources/idlharness.js
// META: timeout=long
// The Media Source Extensions IDL, and the HTML media interfaces the host implements
// (HTMLMediaElement, HTMLVideoElement, HTMLAudioElement, TimeRanges, MediaError), from
// @webref/idl (see scripts/fetch-test-deps), checked against the host's interface objects
// and live instances. Upstream WPT has these in media-source/idlharness.window.js and
// html/dom/idlharness.https.html (which tests the whole of html.idl).
'use strict';

// A video element with an open MediaSource attached and one SourceBuffer added.
async function openMediaSource() {
  const video = document.createElement('video');
  const mediaSource = new MediaSource();
  const opened = new Promise(resolve => {
    mediaSource.addEventListener('sourceopen', resolve, { once: true });
  });
  video.src = URL.createObjectURL(mediaSource);
  await opened;
  const sourceBuffer = mediaSource.addSourceBuffer('video/mp4; codecs="avc1.64001f"');
  return { video, mediaSource, sourceBuffer };
}

// A media element's error after a load that fails (there is no such file).
async function mediaError() {
  const video = document.createElement('video');
  const failed = new Promise(resolve => {
    video.addEventListener('error', resolve, { once: true });
  });
  video.src = 'content/no-such-file.mp4';
  await failed;
  return video.error;
}

idl_test(
  ['media-source'],
  ['html', 'dom'],
  async idl_array => {
    self.mediaSource = new MediaSource();
    const { sourceBuffer } = await openMediaSource();
    self.sourceBuffer = sourceBuffer;
    idl_array.add_objects({
      MediaSource: ['mediaSource'],
      SourceBuffer: ['sourceBuffer'],
      SourceBufferList: ['mediaSource.sourceBuffers'],
    });
  }
);

// html.idl restricted to the media interfaces (idl_test cannot restrict a spec, so this is
// its steps with add_idls' `only`), dom.idl as its dependency.
promise_test(async () => {
  const [html, dom] = await Promise.all(['html', 'dom'].map(fetch_spec));
  const idl_array = new IdlArray();
  idl_array.add_idls(html.idl, {
    only: ['HTMLMediaElement', 'HTMLVideoElement', 'HTMLAudioElement', 'TimeRanges', 'MediaError'],
  });
  idl_array.add_dependency_idls(html.idl);
  idl_array.add_dependency_idls(dom.idl);
  self.video = document.createElement('video');
  self.audio = document.createElement('audio');
  self.error = await mediaError();
  idl_array.add_objects({
    HTMLVideoElement: ['video'],
    HTMLAudioElement: ['audio', 'new Audio()'],
    TimeRanges: ['video.buffered'],
    MediaError: ['error'],
  });
  idl_array.test();
}, 'html media interfaces: idl setup');
