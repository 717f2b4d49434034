// Static search: filters the site's search index (data/soeg.json) in the browser.
// The page works without this script: it then lists everything to search with Ctrl+F.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var out = document.getElementById("search-results");
  var all = document.getElementById("search-all");
  if (!form || !input || !out || !window.fetch) return;
  var items = null;

  function norm(s) {
    return (s || "").toLowerCase().replace(/overfor/g, "over for").replace(/[^0-9a-zæøåäöéü]+/g, " ").trim();
  }

  function render(q) {
    var words = norm(q).split(" ").filter(Boolean);
    out.textContent = "";
    if (!words.length) { all.hidden = false; return; }
    all.hidden = true;
    var hits = items.filter(function (it) {
      var hay = norm(it.t + " " + it.x + " " + it.k);
      return words.every(function (w) { return hay.indexOf(w) !== -1; });
    });
    var h = document.createElement("h2");
    h.textContent = hits.length === 1 ? "1 resultat" : hits.length + " resultater";
    out.appendChild(h);
    var ul = document.createElement("ul");
    hits.slice(0, 200).forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.u;
      a.textContent = it.t;
      li.appendChild(a);
      var span = document.createElement("span");
      span.className = "meta";
      span.textContent = " – " + it.k;
      li.appendChild(span);
      ul.appendChild(li);
    });
    out.appendChild(ul);
  }

  fetch(form.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      items = data.items || [];
      var q = new URLSearchParams(window.location.search).get("q") || "";
      input.value = q;
      render(q);
      input.addEventListener("input", function () { render(input.value); });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var url = new URL(window.location.href);
        url.searchParams.set("q", input.value);
        history.replaceState(null, "", url);
        render(input.value);
      });
    })
    .catch(function () { /* the no-script list stays visible */ });
})();
