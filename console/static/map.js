// The console map: country and province outlines served by the app (no tile server), tickets clustered
// with Leaflet.markercluster, registered factories as their own markers.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!box || !window.L) { return; }
  var prefix = box.dataset.prefix;
  var map = L.map(box, { preferCanvas: false, minZoom: 4, maxZoom: 18 }).setView([13.5, 100.9], 6);
  map.attributionControl.addAttribution("© OpenStreetMap contributors (ODbL) · provinces: Natural Earth");

  function text(tag, value, href) {
    var el = document.createElement(href ? "a" : tag);
    if (href) { el.href = href; }
    el.textContent = value;
    return el;
  }

  function popup(parts) {
    var div = document.createElement("div");
    parts.forEach(function (p) { div.appendChild(p); div.appendChild(document.createElement("br")); });
    return div;
  }

  function shapes(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  // Countries first, Thailand's provinces over them (one after the other, so they stack in
  // that order); the markers still work without either.
  shapes(box.dataset.outlines)
    .then(function (countries) {
      L.geoJSON(countries, { interactive: false, style: function (f) {
        var home = f.properties.a3 === "THA";
        return { color: "#7a8a99", weight: home ? 1.5 : 0.8, fillColor: home ? "#f4f1e8" : "#e6e6e6", fillOpacity: 1 };
      } }).addTo(map);
      return shapes(box.dataset.provinces);
    })
    .then(function (provinces) {
      L.geoJSON(provinces, {
        style: { color: "#a3afbb", weight: 0.7, fill: true, fillOpacity: 0, className: "province-outline" },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name, { sticky: true }); }
      }).addTo(map);
      box.dataset.provincesDrawn = String(provinces.features.length);
    })
    .catch(function () { /* the markers still work without the background */ });

  var tickets = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  var factories = L.layerGroup();
  var ticketIcon = L.divIcon({ className: "ticket-pin", iconSize: [14, 14] });
  var factoryIcon = L.divIcon({ className: "factory-pin", iconSize: [16, 16] });

  fetch(prefix + "/map/data.json" + window.location.search, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.tickets.forEach(function (t) {
        var marker = L.marker([t.lat, t.lon], { icon: ticketIcon, title: t.n });
        marker.bindPopup(popup([text("a", t.n, prefix + "/tickets/" + encodeURIComponent(t.n)), text("span", t.c + " · " + t.s)]));
        tickets.addLayer(marker);
        bounds.push([t.lat, t.lon]);
      });
      data.factories.forEach(function (f) {
        var marker = L.marker([f.lat, f.lon], { icon: factoryIcon, title: f.name, zIndexOffset: 1000 });
        marker.bindPopup(popup([text("a", f.name, prefix + "/factories/" + f.id),
          text("span", f.number + " · " + box.dataset.labelComplaints + " " + f.count)]));
        factories.addLayer(marker);
        bounds.push([f.lat, f.lon]);
      });
      tickets.addTo(map);
      factories.addTo(map);
      L.control.layers(null, (function () { var o = {}; o[box.dataset.labelTickets] = tickets; o[box.dataset.labelFactories] = factories; return o; })()).addTo(map);
      if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 }); }
      status.textContent = box.dataset.labelTickets + " " + data.tickets.length + " · " +
        box.dataset.labelFactories + " " + data.factories.length + " · " + box.dataset.labelUnplaced + " " + data.unplaced;
      box.dataset.ready = "1";
    })
    .catch(function () { status.textContent = "โหลดข้อมูลแผนที่ไม่สำเร็จ"; box.dataset.ready = "error"; });
})();
