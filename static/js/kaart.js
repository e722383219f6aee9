/* The optional map of the melding form (templates/places/_kaart.html), as progressive
   enhancement: a click on the map writes the point into the form's inputs "lengtegraad" and
   "breedtegraad", moves the marker and, where the buurt belongs to one wijk, chooses that wijk
   in the form's "wijk" select. The select stays the main (and keyboard) way to choose a wijk.
   Texts come translated from the figure's data-tekst-* attributes. */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";

  function vul(tekst, waarden) {
    return (tekst || "").replace(/\{(\w+)\}/g, function (geheel, naam) {
      return Object.prototype.hasOwnProperty.call(waarden, naam) ? waarden[naam] : geheel;
    });
  }

  function buurtNaam(pad) {
    var titel = pad.querySelector("title");
    return titel ? titel.textContent : pad.getAttribute("data-buurt");
  }

  function optieTekst(select, waarde) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === waarde) {
        return select.options[i].textContent.trim();
      }
    }
    return null;
  }

  function start(figuur) {
    var form = figuur.closest("form");
    var svg = figuur.querySelector("svg.kaart-svg");
    if (!form || !svg || !svg.createSVGPoint) {
      return;
    }
    var lon = form.elements.namedItem("lengtegraad");
    var lat = form.elements.namedItem("breedtegraad");
    var wijk = form.elements.namedItem("wijk");
    var status = figuur.querySelector(".kaart-status");
    var wissen = figuur.querySelector(".kaart-wissen");
    var minLon = parseFloat(svg.getAttribute("data-min-lengtegraad"));
    var maxLat = parseFloat(svg.getAttribute("data-max-breedtegraad"));
    var schaal = parseFloat(svg.getAttribute("data-schaal"));
    var cos = parseFloat(svg.getAttribute("data-cos"));
    if (!lon || !lat || !isFinite(minLon + maxLat + schaal + cos) || schaal <= 0 || cos <= 0) {
      return;
    }
    if (wijk && wijk.tagName !== "SELECT") {
      wijk = null;
    }

    function tekst(naam) {
      return figuur.getAttribute("data-tekst-" + naam) || "";
    }

    function meld(bericht) {
      if (status) {
        status.textContent = bericht;
      }
    }

    function zetPunt(x, y) {
      var punt = svg.querySelector("circle.kaart-punt");
      if (!punt) {
        punt = document.createElementNS(SVG_NS, "circle");
        punt.setAttribute("class", "kaart-punt");
        punt.setAttribute("r", svg.getAttribute("data-punt-straal") || "7");
        // The marker must never catch a click meant for the buurt below it.
        punt.setAttribute("pointer-events", "none");
        svg.appendChild(punt);
      }
      punt.setAttribute("cx", x.toFixed(1));
      punt.setAttribute("cy", y.toFixed(1));
    }

    function wisPunt() {
      var punt = svg.querySelector("circle.kaart-punt");
      if (punt) {
        punt.parentNode.removeChild(punt);
      }
      lon.value = "";
      lat.value = "";
    }

    function markeer() {
      var gekozen = wijk ? wijk.value : "";
      var paden = svg.querySelectorAll("path[data-wijken]");
      for (var i = 0; i < paden.length; i++) {
        var ids = paden[i].getAttribute("data-wijken").split(",");
        var aan = gekozen !== "" && ids.indexOf(gekozen) !== -1;
        paden[i].classList.toggle("kaart-buurt-gemarkeerd", aan);
      }
    }

    svg.addEventListener("click", function (event) {
      var matrix = svg.getScreenCTM();
      if (!matrix) {
        return;
      }
      var punt = svg.createSVGPoint();
      punt.x = event.clientX;
      punt.y = event.clientY;
      var p = punt.matrixTransform(matrix.inverse());
      var pad = event.target.closest ? event.target.closest("path[data-buurt]") : null;
      if (!pad) {
        wisPunt();
        meld(tekst("buiten"));
        return;
      }
      lon.value = (minLon + p.x / (schaal * cos)).toFixed(6);
      lat.value = (maxLat - p.y / schaal).toFixed(6);
      zetPunt(p.x, p.y);

      var buurt = buurtNaam(pad);
      var ids = (pad.getAttribute("data-wijken") || "").split(",").filter(Boolean);
      if (!wijk) {
        meld(vul(tekst("gekozen"), { buurt: buurt }));
      } else if (ids.length === 1 && optieTekst(wijk, ids[0]) !== null) {
        if (wijk.value !== ids[0]) {
          wijk.value = ids[0];
          wijk.dispatchEvent(new Event("change", { bubbles: true }));
        }
        meld(vul(tekst("gekozen-wijk"), { buurt: buurt, wijk: optieTekst(wijk, ids[0]) }));
      } else if (ids.length > 1 && ids.indexOf(wijk.value) === -1) {
        meld(vul(tekst("twee-wijken"), { buurt: buurt }));
      } else if (ids.length > 1) {
        meld(vul(tekst("gekozen-wijk"), { buurt: buurt, wijk: optieTekst(wijk, wijk.value) }));
      } else {
        meld(vul(tekst("gekozen"), { buurt: buurt }));
      }
    });

    if (wissen) {
      wissen.addEventListener("click", function () {
        wisPunt();
        meld(tekst("gewist"));
      });
    }
    if (wijk) {
      wijk.addEventListener("change", markeer);
      markeer(); // the browser may have restored another choice (back button)
    }
    figuur.classList.add("kaart-actief");
  }

  function startAlles() {
    var figuren = document.querySelectorAll("form figure.kaart");
    for (var i = 0; i < figuren.length; i++) {
      start(figuren[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAlles);
  } else {
    startAlles();
  }
})();
