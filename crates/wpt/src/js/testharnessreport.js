// The eme runner's testharnessreport.js: served for /resources/testharnessreport.js in place
// of any file of that name under the root, as wptrunner does. It turns the page's own output
// off, leaves the harness its timeout (scaled by the runner's multiplier) and hands every
// result to the runner as JSON.
(function () {
  "use strict";
  var report = self.__emeWptReport;
  // A page that loads this file twice reports once.
  if (!report) {
    return;
  }
  delete self.__emeWptReport;

  var SUBTEST_STATUS = ["PASS", "FAIL", "TIMEOUT", "NOTRUN", "PRECONDITION_FAILED"];
  var HARNESS_STATUS = ["OK", "ERROR", "TIMEOUT", "PRECONDITION_FAILED"];

  function subtest(test) {
    return {
      name: String(test.name),
      status: SUBTEST_STATUS[test.status] || "FAIL",
      message: test.message === null || test.message === undefined ? null : String(test.message)
    };
  }

  setup({ output: false, timeout_multiplier: report.timeoutMultiplier });

  add_result_callback(function (test) {
    report.result(JSON.stringify(subtest(test)));
  });

  add_completion_callback(function (tests, harness) {
    report.complete(JSON.stringify({
      status: HARNESS_STATUS[harness.status] || "ERROR",
      message: harness.message === null || harness.message === undefined ? null : String(harness.message),
      subtests: tests.map(subtest)
    }));
  });
})();
