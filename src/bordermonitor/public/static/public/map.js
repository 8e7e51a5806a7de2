/* The public maps. [data-public-map] with data-clusters: the incidents matching the page's filters, clustered
   by the server (GET /api/public/v1/clusters) for the area in view at each zoom, so a million incidents cost
   the browser a few hundred markers. With data-point: one incident's place. The base map is the country
   outlines shipped with the site, so no third party is asked anything unless the operator configured a tile
   server; those outlines are coarse (1:110m), so without tiles the maps stop at zoom OUTLINE_MAX_ZOOM, where
   a cluster opens the list of its incidents instead of zooming further. Numbers are written as the server
   writes them: CLDR's format of the page's language in Latin digits. Leaflet is loaded only when a map is
   on the page. No inline script or style (CSP). */
(function () {
  "use strict";
  var loading = null;
  var OUTLINE_MAX_ZOOM = 7;
  var TILE_MAX_ZOOM = 18;

  function load(box) {
    if (window.L) { return Promise.resolve(window.L); }
    if (loading) { return loading; }
    function fetchOne(tag, attrs) {
      return new Promise(function (resolve, reject) {
        var el = document.createElement(tag);
        Object.keys(attrs).forEach(function (name) { el[name] = attrs[name]; });
        el.onload = resolve;
        el.onerror = reject;
        document.head.appendChild(el);
      });
    }
    loading = Promise.all([
      fetchOne("link", { rel: "stylesheet", href: box.getAttribute("data-leaflet-css") }),
      fetchOne("script", { src: box.getAttribute("data-leaflet-js") })
    ]).then(function () { return window.L; }, function (error) { loading = null; throw error; });
    return loading;
  }

  function maxZoom(box) { return box.getAttribute("data-tile-url") ? TILE_MAX_ZOOM : OUTLINE_MAX_ZOOM; }

  function base(box, L, map) {
    var tiles = box.getAttribute("data-tile-url");
    if (tiles) { L.tileLayer(tiles, { maxZoom: TILE_MAX_ZOOM }).addTo(map); }
    window.fetch(box.getAttribute("data-outlines"), { credentials: "omit" })
      .then(function (r) { return r.json(); })
      .then(function (outlines) {
        L.geoJSON(outlines, { interactive: false, style: { color: "#5b6670", weight: 1, fillColor: "#ffffff", fillOpacity: tiles ? 0 : 1 } })
          .addTo(map).bringToBack();
      })
      .catch(function () { /* markers still show without the outlines */ });
  }

  var numbers = null;
  function number(n) {
    if (!numbers) {
      var lang = document.documentElement.lang || "en";
      try { numbers = new Intl.NumberFormat(lang, { numberingSystem: "latn" }); }
      catch (error) { numbers = new Intl.NumberFormat("en"); }
    }
    return numbers.format(n);
  }

  function say(template, n) { return template.replace("__N__", number(n)); }

  function wrap(lng) { return ((lng + 180) % 360 + 360) % 360 - 180; }

  function bbox(map) {
    var b = map.getBounds();
    var west = b.getWest(), east = b.getEast();
    if (east - west >= 360) { west = -180; east = 180; } else { west = wrap(west); east = wrap(east); }
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    return [west, south, east, north].map(function (n) { return n.toFixed(5); }).join(",");
  }

  function clusterMap(box, L) {
    var map = L.map(box, { worldCopyJump: true, minZoom: 2, maxZoom: maxZoom(box) }).setView([44.5, 17], 4);
    base(box, L, map);
    var layer = L.layerGroup().addTo(map);
    var counter = document.querySelector("[data-in-view]");
    var source = box.getAttribute("data-clusters");
    var joiner = source.slice(-1) === "?" ? "" : "&"; /* the page always gives a URL with "?" */
    var list = box.getAttribute("data-list");
    var incident = box.getAttribute("data-incident");
    var seq = 0, timer = null, fitted = false;

    function url(withBox) {
      return source + joiner + "zoom=" + map.getZoom() + (withBox ? "&bbox=" + bbox(map) : "");
    }

    function open(c) {
      if (c.id) { window.location.href = incident.replace("/ID/", "/" + encodeURIComponent(c.id) + "/"); }
      else if (map.getZoom() < map.getMaxZoom()) { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, map.getMaxZoom())); }
      else if (c.bbox) { window.location.href = list + (list.slice(-1) === "?" ? "" : "&") + "bbox=" + c.bbox.join(","); }
    }

    function draw(data) {
      layer.clearLayers();
      var deepest = map.getZoom() >= map.getMaxZoom();
      data.clusters.forEach(function (c) {
        var size = c.size || 16; /* the server separated the markers at this size */
        var icon = L.divIcon({
          className: "cluster" + (c.count === 1 ? " one" : ""),
          html: "<span>" + (c.count === 1 ? "" : number(c.count)) + "</span>",
          iconSize: [size, size]
        });
        var title = c.id ? box.getAttribute("data-open-text")
          : say(box.getAttribute(deepest ? "data-list-text" : "data-zoom-text"), c.count);
        var marker = L.marker([c.lat, c.lon], { icon: icon, title: title, alt: title, keyboard: true });
        marker.on("click", function () { open(c); });
        layer.addLayer(marker);
      });
      if (counter) { counter.textContent = say(box.getAttribute("data-in-view-text"), data.count); counter.hidden = false; }
    }

    function refresh() {
      var mine = ++seq;
      window.fetch(url(true), { credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { if (mine === seq) { draw(data); } })
        .catch(function () { /* keep what is shown */ });
    }

    map.on("moveend", function () {
      if (!fitted) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 150);
    });

    /* first: all matching incidents, to frame the map on them */
    window.fetch(url(false), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var points = data.clusters.map(function (c) { return [c.lat, c.lon]; });
        fitted = true;
        if (points.length) { map.fitBounds(L.latLngBounds(points), { maxZoom: Math.min(8, map.getMaxZoom()), padding: [20, 20] }); }
        refresh();
      })
      .catch(function () { fitted = true; });
    box.classList.add("ready");
  }

  function pointMap(box, L) {
    var parts = box.getAttribute("data-point").split(",").map(Number);
    var map = L.map(box, { scrollWheelZoom: false, maxZoom: maxZoom(box) }).setView(parts, Math.min(7, maxZoom(box)));
    base(box, L, map);
    L.circleMarker(parts, { radius: 9, color: "#a4262c", weight: 3 }).addTo(map);
    box.classList.add("ready");
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-public-map]:not([data-map-ready])"), function (box) {
      box.setAttribute("data-map-ready", "1");
      load(box).then(function (L) {
        if (box.hasAttribute("data-point")) { pointMap(box, L); } else { clusterMap(box, L); }
      }).catch(function () { box.removeAttribute("data-map-ready"); });
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", initAll); }
  else { initAll(); }
})();
