// The alert inbox's live updates: new alerts arrive from /portal/alerts/feed
// (Server-Sent Events), go to the top of the list and raise the menu's count.
// After a lost connection the browser reconnects with Last-Event-ID, so
// nothing in between is missed. Without script the page still works by reload.
(function () {
  "use strict";
  var list = document.querySelector("[data-alert-feed]");
  if (!list || !window.EventSource) return;
  // Informational alerts (every scan, as a record) are not open alerts: only
  // the list of all alerts shows them, and they never raise the count.
  var showsInformational = list.hasAttribute("data-alert-feed-informational");

  function paragraph(className, text) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    return p;
  }

  function raiseCount() {
    var badge = document.querySelector("[data-open-alerts]");
    if (!badge) {
      var link = document.querySelector('nav a[href="/portal/alerts"]');
      if (!link) return;
      badge = document.createElement("span");
      badge.className = "portal-badge";
      badge.setAttribute("data-open-alerts", "0");
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    var count = parseInt(badge.getAttribute("data-open-alerts"), 10);
    if (isNaN(count)) return; // "999+" stays as it is
    badge.setAttribute("data-open-alerts", String(count + 1));
    badge.textContent = String(count + 1);
  }

  var source = new EventSource(list.getAttribute("data-alert-feed"));
  source.addEventListener("alert", function (event) {
    var alert = JSON.parse(event.data);
    if (alert.informational && !showsInformational) return;
    if (list.querySelector('[data-alert="' + alert.id + '"]')) return;
    var item = document.createElement("li");
    item.className = "portal-alert-item portal-alert-item--" + alert.status + " portal-alert-item--new";
    item.setAttribute("data-alert", String(alert.id));
    item.setAttribute("data-alert-type", alert.type);
    var head = document.createElement("p");
    head.className = "portal-alert-item__head";
    var label = document.createElement("strong");
    label.textContent = alert.typeLabel;
    head.appendChild(label);
    head.appendChild(document.createTextNode(" · " + alert.statusLabel));
    item.appendChild(head);
    item.appendChild(paragraph("", alert.explanation));
    item.appendChild(paragraph("portal-meta",
      [alert.time, alert.product, alert.serial, alert.lot, alert.country, alert.language, alert.verdict].filter(Boolean).join(" · ")));
    list.insertBefore(item, list.firstChild);
    var empty = document.querySelector(".portal-empty");
    if (empty) empty.parentNode.removeChild(empty);
    if (!alert.informational) raiseCount();
  });
})();
