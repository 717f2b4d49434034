// planspor serve: live reload and error overlay. Injected in serve mode only.
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "planspor-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(26,26,26,.92);color:#fff;overflow:auto;padding:24px;font:14px/1.5 monospace;";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "planspor: the last edit did not build. The page below is the last good build.";
    h.style.cssText = "font:bold 18px sans-serif;margin:0 0 16px;color:#fff";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.whiteSpace = "pre-wrap";
    overlay.appendChild(h);
    overlay.appendChild(pre);
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  fetch("/__planspor/status").then(function (r) { return r.json(); }).then(function (s) {
    if (s.error) show(s.error);
  }).catch(function () {});
  var es = new EventSource("/__planspor/events");
  es.addEventListener("reload", function () { hide(); window.location.reload(); });
  es.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
})();
