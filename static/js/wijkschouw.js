/* The findings form of a wijkschouw on a phone, as progressive enhancement (without this
   script the form posts as any form). A finding is first kept on the phone (IndexedDB, which
   holds the photo too), then sent; while there is no connection it waits, the page says how
   many wait (aria-live), and they go as soon as the browser is online again. Each finding
   carries the UUID the page gave it, so a finding sent twice is stored once by the server.
   Texts come translated from the form's data-tekst-* attributes. No framework. */
(function () {
  "use strict";

  var form = document.getElementById("bevinding-form");
  if (!form || !window.indexedDB || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("wachtrij-status");
  var zojuist = document.getElementById("zojuist");
  var DB_NAAM = "wijkaanpak-wijkschouw";
  var STORE = "bevindingen";
  var bezig = false;

  function tekst(naam) {
    return form.getAttribute("data-tekst-" + naam) || "";
  }

  function nieuweUuid() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) {
      return (x + 0x100).toString(16).slice(1);
    }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" +
      h.slice(16, 20) + "-" + h.slice(20);
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var verzoek = window.indexedDB.open(DB_NAAM, 1);
      verzoek.onupgradeneeded = function () {
        verzoek.result.createObjectStore(STORE, { keyPath: "uuid" });
      };
      verzoek.onsuccess = function () { resolve(verzoek.result); };
      verzoek.onerror = function () { reject(verzoek.error); };
    });
  }

  function metStore(modus, werk) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, modus);
        var resultaat = werk(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(resultaat && resultaat.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function alleWachtend() {
    return metStore("readonly", function (store) { return store.getAll(); }).then(
      function (rijen) {
        // Only this page's findings (one phone may walk several wijkschouwen).
        return (rijen || []).filter(function (r) { return r.url === form.action; });
      }
    );
  }

  function toonStatus(bericht) {
    status.hidden = !bericht;
    status.textContent = bericht || "";
  }

  function werkStatusBij() {
    return alleWachtend().then(function (rijen) {
      if (rijen.length === 0) {
        return rijen;
      }
      toonStatus(rijen.length === 1 ? tekst("wachten-een") :
        tekst("wachten").replace("{n}", String(rijen.length)));
      return rijen;
    });
  }

  function csrf() {
    var veld = form.querySelector("input[name=csrfmiddlewaretoken]");
    return veld ? veld.value : "";
  }

  function meldVerstuurd(tekstBevinding) {
    var li = document.createElement("li");
    li.textContent = tekstBevinding;
    zojuist.appendChild(li);
  }

  function verstuurEen(rij) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    data.append("uuid", rij.uuid);
    data.append("tekst", rij.tekst);
    data.append("breedtegraad", rij.breedtegraad || "");
    data.append("lengtegraad", rij.lengtegraad || "");
    if (rij.foto) {
      data.append("foto", rij.foto, rij.fotoNaam || "foto.jpg");
    }
    return fetch(rij.url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Bevinding-Sync": "1", "X-CSRFToken": csrf() },
    }).then(function (antwoord) {
      if (antwoord.ok) {
        return antwoord.json().then(function (json) {
          meldVerstuurd(json.tekst || rij.tekst);
          return verwijder(rij.uuid);
        });
      }
      if (antwoord.status === 400) {
        // The server refuses it (e.g. a point outside Rotterdam): say why, and give the
        // text back to the form so nothing is lost.
        return antwoord.json().then(function (json) {
          var fouten = [];
          Object.keys(json.fouten || {}).forEach(function (k) {
            fouten = fouten.concat(json.fouten[k]);
          });
          var veld = form.querySelector("[name=tekst]");
          if (veld && !veld.value) {
            veld.value = rij.tekst;
          }
          toonStatus(tekst("fout") + " " + rij.tekst.slice(0, 60) + " – " + fouten.join(" "));
          return verwijder(rij.uuid).then(function () { throw new Error("geweigerd"); });
        });
      }
      throw new Error("status " + antwoord.status);
    });
  }

  function verwijder(uuid) {
    return metStore("readwrite", function (store) { return store.delete(uuid); });
  }

  function verstuur() {
    if (bezig || !navigator.onLine) {
      return werkStatusBij();
    }
    bezig = true;
    return alleWachtend().then(function (rijen) {
      if (rijen.length === 0) {
        return null;
      }
      toonStatus(tekst("versturen"));
      return rijen.reduce(function (keten, rij) {
        return keten.then(function () { return verstuurEen(rij); });
      }, Promise.resolve()).then(function () {
        toonStatus(tekst("verstuurd"));
      });
    }).catch(function () {
      return werkStatusBij();
    }).then(function () {
      bezig = false;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var veld = form.querySelector("[name=tekst]");
    if (!veld.value.trim()) {
      veld.focus();
      form.submit();  // the server says what is missing, next to the field
      return;
    }
    var fotoVeld = form.querySelector("[name=foto]");
    var foto = fotoVeld && fotoVeld.files && fotoVeld.files[0] ? fotoVeld.files[0] : null;
    var uuidVeld = form.querySelector("[name=uuid]");
    var rij = {
      uuid: uuidVeld.value,
      url: form.action,
      tekst: veld.value,
      breedtegraad: form.querySelector("[name=breedtegraad]").value,
      lengtegraad: form.querySelector("[name=lengtegraad]").value,
      foto: foto,
      fotoNaam: foto ? foto.name : "",
    };
    metStore("readwrite", function (store) { return store.put(rij); }).then(function () {
      form.reset();
      uuidVeld.value = nieuweUuid();
      toonStatus(tekst("bewaard"));
      veld.focus();
      return verstuur();
    }).catch(function () {
      // No room on the phone (private mode): send it the ordinary way.
      form.submit();
    });
  });

  var locatieKnop = document.getElementById("locatie-knop");
  if (locatieKnop && navigator.geolocation) {
    locatieKnop.hidden = false;
    locatieKnop.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (positie) {
        form.querySelector("[name=breedtegraad]").value = positie.coords.latitude.toFixed(6);
        form.querySelector("[name=lengtegraad]").value = positie.coords.longitude.toFixed(6);
      }, function () {
        toonStatus(tekst("locatie-fout"));
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  // form.action is the page's own URL when the attribute is empty: make it explicit.
  if (!form.getAttribute("action")) {
    form.setAttribute("action", window.location.pathname);
  }
  window.addEventListener("online", verstuur);
  window.addEventListener("offline", werkStatusBij);
  verstuur();
})();
