// Progressive enhancement of "PDF wordt gemaakt": ask every few seconds where the PDF stands
// and put the download link in its place when it is ready. Without JavaScript the page says
// the same and a reload shows the link.
(function () {
  "use strict";
  var wachtend = document.querySelectorAll("[data-pdf-status]");
  wachtend.forEach(function (element) {
    var url = element.getAttribute("data-pdf-status") + "?formaat=json";
    var pogingen = 0;
    function vraag() {
      pogingen += 1;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.status === "klaar" && data.pdf) {
            var link = document.createElement("a");
            link.href = data.pdf;
            link.setAttribute("download", "");
            link.textContent = data.tekst || data.label;
            element.textContent = "";
            element.appendChild(link);
          } else if (data && data.status === "mislukt") {
            element.textContent = data.label;
          } else if (pogingen < 60) {
            window.setTimeout(vraag, 3000);
          }
        })
        .catch(function () {
          if (pogingen < 60) { window.setTimeout(vraag, 5000); }
        });
    }
    window.setTimeout(vraag, 2000);
  });
})();
