// The query page: YASGUI set up from the page's JSON config (no inline script, for the CSP).
(function () {
  if (typeof Yasgui === "undefined") return;  // the plain form stays
  var config = JSON.parse(document.getElementById("query-page-config").textContent);
  document.documentElement.className += " js";
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: config.defaultQuery }
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(config.endpoint);
  if (config.autorun) {
    tab.setQuery(config.defaultQuery);
  } else {
    if (!tab.getQuery || !tab.getQuery().trim()) tab.setQuery(config.defaultQuery);
    tab.getYasqe().addPrefixes(config.prefixes);
  }
  window.queryPage = { yasgui: yasgui, config: config };
  if (config.autorun) tab.query();
  document.getElementById("example-select").addEventListener("change", function (event) {
    var chosen = config.examples.filter(function (e) { return e.key === event.target.value; })[0];
    if (!chosen) return;
    var current = yasgui.getTab();
    current.setQuery(chosen.query);
    current.setName(chosen.title.length > 40 ? chosen.title.slice(0, 39) + "…" : chosen.title);
    current.query();
  });
})();
