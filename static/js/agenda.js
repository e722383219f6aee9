// Progressive enhancement of moving agendapunten: after a move the page comes back with
// "#punt-<pk>"; put the keyboard focus on the same button of the moved point (or on the point
// when that button is gone at the top or bottom), so pressing Enter again moves it further.
// Without JavaScript the moves work the same, and the browser scrolls to the point.
(function () {
  "use strict";
  var SLEUTEL = "agenda-richting";
  document.querySelectorAll("button[data-richting]").forEach(function (knop) {
    knop.form.addEventListener("submit", function () {
      try { window.sessionStorage.setItem(SLEUTEL, knop.getAttribute("data-richting")); }
      catch (e) { /* storage may be off: focus then goes to the point itself */ }
    });
  });
  var hash = window.location.hash;
  if (!/^#punt-\d+$/.test(hash)) { return; }
  var punt = document.getElementById(hash.slice(1));
  if (!punt) { return; }
  var richting = null;
  try {
    richting = window.sessionStorage.getItem(SLEUTEL);
    window.sessionStorage.removeItem(SLEUTEL);
  } catch (e) { richting = null; }
  var knop = richting ? punt.querySelector('button[data-richting="' + richting + '"]') : null;
  (knop || punt).focus();
})();
