/* Open Source AI Tracker: list filters, sortable tables and search.
 * Everything here enhances pages that already list all their content without JavaScript.
 * Material's instant navigation swaps pages without reloading, so setup runs on document$.
 */
(function () {
  "use strict";

  function setupFilters(root) {
    root.querySelectorAll("form.osai-filters").forEach(function (form) {
      if (form.dataset.ready) return;
      form.dataset.ready = "1";
      form.hidden = false;
      var list = form.parentElement;
      var entries = Array.prototype.slice.call(list.querySelectorAll(".osai-entry"));
      var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
      var output = form.querySelector(".osai-filter-count");
      function apply() {
        var shown = 0;
        entries.forEach(function (entry) {
          var visible = selects.every(function (select) {
            if (!select.value) return true;
            var values = (entry.getAttribute("data-" + select.dataset.filter) || "").split(" ");
            return values.indexOf(select.value) !== -1;
          });
          entry.hidden = !visible;
          if (visible) shown += 1;
        });
        list.querySelectorAll(".osai-month").forEach(function (section) {
          section.hidden = !section.querySelector(".osai-entry:not([hidden])");
        });
        if (output) output.textContent = shown + " of " + entries.length + " shown";
      }
      selects.forEach(function (select) { select.addEventListener("change", apply); });
      apply();
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
  }

  function setupSorting(root) {
    root.querySelectorAll("table[data-sortable]").forEach(function (table) {
      if (table.dataset.ready) return;
      table.dataset.ready = "1";
      var headers = table.querySelectorAll("thead th");
      headers.forEach(function (header, index) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "osai-sort";
        button.textContent = header.textContent;
        header.textContent = "";
        header.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = header.getAttribute("aria-sort") !== "ascending";
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = cellValue(a, index), y = cellValue(b, index);
            var nx = Number(x), ny = Number(y);
            var order = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny))
              ? nx - ny : x.localeCompare(y);
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  /* Search with Pagefind: the index lives in /pagefind/ and loads only on the search page. */
  var pagefindModule = null;
  function loadPagefind() {
    if (!pagefindModule) {
      var scope = typeof __md_scope !== "undefined" ? __md_scope : new URL("..", location.href);
      var index = new URL("pagefind/", scope);
      pagefindModule = import(new URL("pagefind.js", index).href).then(function (pf) {
        return pf.options({ excerptLength: 24, baseUrl: scope.pathname }).then(function () {
          // A large site's index comes in parts, listed next to the first one: merge them.
          return fetch(new URL("osai-indexes.json", index).href).then(function (answer) {
            return answer.ok ? answer.json() : { merge: [] };
          }).then(function (list) {
            return Promise.all((list.merge || []).map(function (part) {
              return pf.mergeIndex(new URL(part, index).href, { baseUrl: scope.pathname });
            }));
          });
        }).then(function () { return pf; });
      });
    }
    return pagefindModule;
  }

  function safeExcerpt(html) {
    // Pagefind escapes page text and adds only <mark>; drop anything else to be sure.
    return html.replace(/<(?!\/?mark>)[^>]*>/g, "");
  }

  /* Download what is shown: the records a list shows (after its filters) or a search found,
   * as CSV or JSON, built in the browser from the published /data/records.json. */
  var publishedRecords = null;
  var CSV_COLUMNS = ["id", "kind", "title", "date", "page_url", "summary"];

  function siteRoot() {
    return typeof __md_scope !== "undefined" ? __md_scope : new URL("..", location.href);
  }

  function loadRecords() {
    if (!publishedRecords) {
      publishedRecords = fetch(new URL("data/records.json", siteRoot()).href)
        .then(function (answer) { return answer.json(); })
        .then(function (data) {
          var byId = {};
          data.records.forEach(function (record) { byId[record.id] = record; });
          return byId;
        });
    }
    return publishedRecords;
  }

  function csvCell(value) {
    var text = value === undefined || value === null ? "" : Array.isArray(value) ? value.join("|") : String(value);
    if (/^[=+\-@]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function download(name, type, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function recordId(url) {
    var match = /\/records\/([a-z0-9-]+)\/?(?:[?#].*)?$/.exec(url);
    return match ? match[1] : null;
  }

  function shownIds(scope) {
    var search = scope.closest(".osai-search");
    if (search) {
      return Promise.all((search.osaiResults || []).map(function (r) { return r.data(); }))
        .then(function (items) { return items.map(function (item) { return recordId(item.url); }); });
    }
    var ids = [];
    scope.querySelectorAll("[data-id]").forEach(function (element) {
      if (!element.closest("[hidden]")) ids.push(element.getAttribute("data-id"));
    });
    return Promise.resolve(ids);
  }

  function exportShown(button) {
    var scope = button.closest("[data-export-scope], .osai-search, article") || document.body;
    var format = button.getAttribute("data-export");
    var name = "open-source-ai-tracker-" + (location.pathname.split("/").filter(Boolean).join("-") || "home");
    Promise.all([shownIds(scope), loadRecords()]).then(function (found) {
      var byId = found[1];
      var rows = found[0].filter(function (id) { return id && byId[id]; }).map(function (id) { return byId[id]; });
      if (format === "json") {
        download(name + ".json", "application/json", JSON.stringify({ count: rows.length, records: rows }, null, 1) + "\n");
      } else {
        var lines = [CSV_COLUMNS.join(",")].concat(rows.map(function (row) {
          return CSV_COLUMNS.map(function (column) { return csvCell(row[column]); }).join(",");
        }));
        download(name + ".csv", "text/csv", lines.join("\n") + "\n");
      }
    });
  }

  function setupExports(root) {
    root.querySelectorAll(".osai-export").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      if (!box.closest(".osai-search")) box.hidden = false;
      box.querySelectorAll("button[data-export]").forEach(function (button) {
        button.addEventListener("click", function () { exportShown(button); });
      });
    });
  }

  function setupSearch(root) {
    var box = root.querySelector(".osai-search");
    if (!box || box.dataset.ready) return;
    box.dataset.ready = "1";
    var input = box.querySelector("#osai-query");
    var facets = box.querySelector(".osai-search-facets");
    var status = box.querySelector(".osai-search-status");
    var results = box.querySelector(".osai-search-results");
    var selects = [];
    var generation = 0;
    var exporter = box.querySelector(".osai-export");
    // The filters, as [Pagefind filter name, label]: written into the page from the facets'
    // declaration when the site is built.
    var declared = JSON.parse(facets.getAttribute("data-facets") || "[]");

    function run() {
      var query = input.value.trim();
      var filters = {};
      selects.forEach(function (select) { if (select.value) filters[select.name] = select.value; });
      var params = new URLSearchParams();
      if (query) params.set("q", query);
      Object.keys(filters).forEach(function (key) { params.set(key, filters[key]); });
      var search = params.toString();
      history.replaceState(null, "", search ? "?" + search : location.pathname);
      var mine = ++generation;
      if (!query && !Object.keys(filters).length) {
        results.textContent = "";
        status.textContent = "";
        return;
      }
      status.textContent = "Searching…";
      loadPagefind().then(function (pf) {
        return pf.search(query || null, { filters: filters });
      }).then(function (found) {
        if (mine !== generation) return null;
        status.textContent = found.results.length + (found.results.length === 1 ? " result" : " results");
        // Every result, not only the twenty shown, is what "download what is shown" exports.
        box.osaiResults = found.results;
        if (exporter) exporter.hidden = found.results.length === 0;
        return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
      }).then(function (items) {
        if (!items || mine !== generation) return;
        results.textContent = "";
        items.forEach(function (item) {
          var li = document.createElement("li");
          var link = document.createElement("a");
          link.href = item.url;
          link.className = "osai-result-title";
          link.textContent = (item.meta && item.meta.title) || item.url;
          var excerpt = document.createElement("p");
          excerpt.className = "osai-result-excerpt";
          excerpt.innerHTML = safeExcerpt(item.excerpt || "");
          li.appendChild(link);
          li.appendChild(excerpt);
          results.appendChild(li);
        });
      }).catch(function (error) {
        status.textContent = "Search is not available: the index is built with the site.";
        if (window.console) console.warn(error);
      });
    }

    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(run, 120); }
    input.addEventListener("input", later);

    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    loadPagefind().then(function (pf) { return pf.filters(); }).then(function (available) {
      declared.forEach(function (facet) {
        var values = available[facet[0]];
        if (!values) return;
        var label = document.createElement("label");
        label.textContent = facet[1] + " ";
        var select = document.createElement("select");
        select.name = facet[0];
        var all = document.createElement("option");
        all.value = "";
        all.textContent = "All";
        select.appendChild(all);
        Object.keys(values).sort(function (a, b) {
          return facet[0] === "year" ? b.localeCompare(a) : a.localeCompare(b);
        }).forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value + " (" + values[value] + ")";
          select.appendChild(option);
        });
        select.value = params.get(facet[0]) || "";
        select.addEventListener("change", run);
        label.appendChild(select);
        facets.appendChild(label);
        selects.push(select);
      });
      run();
    }).catch(function () {
      status.textContent = "Search is not available: the index is built with the site.";
    });
    input.focus();
  }

  function setup() {
    setupFilters(document);
    setupSorting(document);
    setupExports(document);
    setupSearch(document);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
