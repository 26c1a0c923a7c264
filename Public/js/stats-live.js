// The statistics dashboard's live figures: /portal/stats/feed (Server-Sent
// Events) says when new scans have been counted, and the page's figures are
// fetched again with the same filters and swapped in place. Without script
// the page still works by reload.
(function () {
  "use strict";
  var live = document.getElementById("stats-live");
  if (!live || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var busy = false;

  function refresh() {
    if (busy) return;
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("stats-live");
        if (fresh) live.innerHTML = fresh.innerHTML;
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  var source = new EventSource(live.getAttribute("data-feed"));
  source.addEventListener("refresh", refresh);
})();
