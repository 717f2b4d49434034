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
  // A rebuild says which pages changed ("paths"; none: all may have). The page being
  // edited comes first, the rest of an edit's pages in a second event.
  es.addEventListener("reload", function (e) {
    var d = null;
    try { d = JSON.parse(e.data); } catch (x) { d = null; }
    hide();
    if (d && d.paths && d.paths.indexOf(window.location.pathname) < 0) return;
    window.location.reload();
  });
  es.addEventListener("build-error", function (e) { show(JSON.parse(e.data)); });
})();
