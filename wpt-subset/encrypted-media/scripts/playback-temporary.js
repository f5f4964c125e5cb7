// Temporary-session playback of the `scheme` clips to `ended`: the element stalls at the first
// protected sample until the licence arrives, then plays every frame through to the end.
// `src` is a file URL (no Media Source Extensions).
function runTemporaryPlaybackTests(scheme) {
  ["video", "audio"].forEach(function (track) {
    promise_test(function (test) {
      var element = document.createElement(track);
      var log = recordEvents(element);
      var stalledChecked = false;
      var mediaKeys = createPlaybackMediaKeys().then(function (mediaKeys) {
        return element.setMediaKeys(mediaKeys).then(function () { return mediaKeys; });
      });
      answerEncrypted(test, element, mediaKeys, {
        // The licence comes late: until then, nothing may be presented.
        before: function () {
          return delay(test, 300).then(function () {
            assertStalledForKey(element, log, "before update()");
            stalledChecked = true;
          });
        },
      });
      element.src = contentUrl(scheme, track);
      startPlaying(element);
      return playedToEnd(element).then(function () {
        assert_true(stalledChecked, "the licence was given after a wait");
        assertPlayedToEnd(element, track);
        assert_equals(log.indexOf("error"), -1, "no error event");
        assert_true(log.indexOf("encrypted") !== -1, "encrypted event");
        assert_less_than(log.indexOf("waitingforkey"), log.indexOf("playing"),
                         "waitingforkey before playing");
        if (track === "video") {
          assert_equals(element.videoWidth, 160, "videoWidth");
          assert_equals(element.videoHeight, 90, "videoHeight");
        }
      });
    }, scheme + ": a temporary session's keys play the " + track + " clip to the end");
  });
  wrongAudioKeyTest(scheme);
}
