// ---- the workers page: every worker in a scrolling list drawn from the page's data ----
// The data (renderer/report/pages/workers.py) names the workers table's columns, as
// the jobs list's does; rows are drawn by vlist.js. The search matches a worker's
// id, its address and the ids of the jobs running on it; chips filter by health.

var NOT_CAPTURED = "This worker's own snapshot is not in the report";  // as columns.py

function healthName(value) {
  return value === true ? "healthy" : value === false ? "unhealthy" : "unknown";
}

function workerList(bar, table, data) {
  var captured = capturedAt();  // times on another day than the capture are dated
  var columns = data.columns;
  var shared = data.shared;
  var workers = data.rows;
  var at = {};
  columns.forEach(function (column, i) {
    at[column.name] = i;
  });
  var HEALTH = columns.findIndex(function (c) { return c.kind === "health"; });

  // What a cell reads as.
  function text(column, value) {
    if (value === null || value === undefined) {
      return "";
    }
    if (column.kind === "worker") {
      return value[0];
    }
    if (column.kind === "health") {
      return value === true ? "Yes" : value === false ? "No" : "not sent";
    }
    return String(shared[column.name] ? shared[column.name][value] : value);
  }
  var search = data.search;  // what the search matches, lower-case, made with the data
  var health = workers.map(function (worker) {
    return HEALTH < 0 ? "unknown" : healthName(worker[HEALTH]);
  });
  // Columns of numbers rank here; columns of text come ranked with the data.
  function sortKey(name) {
    var i = at[name];
    if (columns[i].kind === "health") {
      var rank = { healthy: 2, unknown: 1, unhealthy: 0 };  // as columns.py sorts them
      return function (worker, w) { return rank[health[w]]; };
    }
    return function (worker) {
      var v = worker[i];
      return typeof v === "number" ? v : -Infinity;
    };
  }

  // A captured worker's page, as renderer/report/sitemap.py names it.
  function href(value) {
    if (typeof value[1] === "string") {
      return value[1];
    }
    var anchor = "#w-" + (value[2] || value[0]);
    return data.single ? anchor : "page-" + pad4(value[1]) + ".html" + anchor;
  }

  // Every row in a column's order, made at the first sort by it: a keystroke in a
  // sorted list then filters that order instead of sorting again.
  var orders = {};
  function orderOf(name, dir) {
    var made = orders[name + " " + dir];
    if (!made) {
      made = columnOrder(columns[at[name]], workers, at[name], sortKey(name), dir);
      orders[name + " " + dir] = made;
    }
    return made;
  }

  function cell(column, value) {
    var td = el("td", column.css || null);
    var kind = column.kind;
    if (kind === "worker") {
      td.classList.add("mono");
      var target = href(value);
      // The tag first: a long id is what ends in an ellipsis (its title reads whole).
      if (value[3]) {  // its own snapshot is not in the report
        var tag = el("span", "tag", "not captured");
        tag.title = NOT_CAPTURED;
        td.appendChild(tag);
        td.appendChild(document.createTextNode(" "));
      }
      if (target) {
        var a = el("a", null, value[0]);
        a.setAttribute("href", target);
        td.appendChild(a);
      } else {
        td.appendChild(document.createTextNode(value[0]));
      }
      td.title = value[0];
    } else if (kind === "health") {
      if (value === true || value === false) {
        td.appendChild(el("span", value ? "health ok" : "health bad", value ? "Yes" : "No"));
      } else {
        var muted = el("span", "muted", "not sent");
        muted.title = "not in the snapshot";
        td.appendChild(muted);
      }
    } else {
      var known = kind === "number" || kind === "time" || kind === "duration";
      plainCell(td, known ? kind : "text", value, known ? "" : text(column, value), captured);
    }
    return td;
  }

  var state = readFragment();
  var view = [];
  function workerRow(w) {
    var worker = workers[w];
    var row = el("tr");
    row.setAttribute("data-state", health[w]);
    for (var c = 0; c < columns.length; c++) {
      row.appendChild(cell(columns[c], worker[c]));
    }
    return row;
  }
  var list = virtualRows(table, "All workers", columns.length, function (i) {
    return workerRow(view[i]);
  });
  var panel = table.closest(".panel") || document;
  all(".pagination", panel).forEach(function (nav) {
    nav.classList.add("vlist-hidden");
  });
  var input = bar.querySelector("[data-search-input]");
  var chips = all("[data-filter-state]", bar);
  var range = panel.querySelector("#workers-range");

  function apply() {
    var q = state.q.toLowerCase();
    var wanted = state.state;
    var texts = q ? search : null;
    var sorted = state.sort && at[state.sort] !== undefined;
    var order = sorted ? orderOf(state.sort, state.dir) : null;
    view = [];
    for (var p = 0; p < workers.length; p++) {
      var i = order ? order[p] : p;
      if (wanted.length && wanted.indexOf(health[i]) < 0) {
        continue;
      }
      if (texts && texts[i].indexOf(q) < 0) {
        continue;
      }
      view.push(i);
    }
    if (sorted) {
      markSorted(table, state.sort, state.dir);
    }
    chips.forEach(function (chip) {
      var on = wanted.indexOf(chip.getAttribute("data-filter-state")) >= 0;
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (range) {
      range.textContent = view.length === workers.length
        ? count(workers.length) + " workers"
        : count(view.length) + " of " + count(workers.length) + " workers";
    }
    list.show(view.length);
    writeFragment(state);
    document.body.setAttribute("data-workers-shown", String(view.length));
  }

  listenToList(input, chips, table, state, apply);
  apply();
  markListReady("workers");
}
