// ---- tables: sorting by a named column, filters and search over a plain table ----

// The index of a column in a table, by the name renderer/report/tables.py gives it.
function columnIndex(table, name) {
  var cells = table.tHead ? table.tHead.rows[0].cells : [];
  for (var i = 0; i < cells.length; i++) {
    if (cells[i].getAttribute("data-column") === name) {
      return i;
    }
  }
  return -1;
}

function cellKey(row, index, numeric) {
  var cell = row.cells[index];
  if (!cell) {
    return numeric ? -Infinity : "";
  }
  var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  if (numeric) {
    var value = parseFloat(raw);
    return isNaN(value) ? -Infinity : value;
  }
  return raw.trim().toLowerCase();
}

function sortRows(table, name, dir) {
  var index = columnIndex(table, name);
  if (index < 0) {
    return;
  }
  var numeric = table.tHead.rows[0].cells[index].getAttribute("data-type") === "number";
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var keyed = rows.map(function (row, position) {
    return { row: row, key: cellKey(row, index, numeric), position: position };
  });
  keyed.sort(function (a, b) {
    var order = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    if (dir === "desc") {
      order = -order;
    }
    return order || a.position - b.position;
  });
  // The body leaves the document and is emptied at once before the rows go back in
  // order: moving each of 10,000 rows in place took up to 25 s, this 0.2 s.
  var next = body.nextSibling;
  table.removeChild(body);
  body.textContent = "";
  keyed.forEach(function (item) {
    body.appendChild(item.row);
  });
  table.insertBefore(body, next);
  markSorted(table, name, dir);
}

function markSorted(table, name, dir) {
  all("th", table.tHead).forEach(function (th) {
    if (th.getAttribute("data-column") === name) {
      th.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
    } else {
      th.removeAttribute("aria-sort");
    }
  });
}

function addSortButtons(table, onSort) {
  all("th", table.tHead).forEach(function (th) {
    var name = th.getAttribute("data-column");
    if (!name) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) {
      button.appendChild(th.firstChild);
    }
    th.appendChild(button);
    button.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
      onSort(name, dir);
    });
  });
}

// The search box and the state chips change `state`, then `apply` redraws.
function listenToFilters(input, chips, state, apply) {
  if (input) {
    input.value = state.q;
    input.addEventListener("input", function () {
      state.q = input.value;
      apply();
    });
  }
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      var name = chip.getAttribute("data-filter-state");
      var at = state.state.indexOf(name);
      if (at >= 0) {
        state.state.splice(at, 1);
      } else {
        state.state.push(name);
      }
      apply();
    });
  });
}

// A later page of the job list holds 500 jobs while its chips count every job: a
// chip opens the list of every job in that state, and the status offers the search
// over every job. The workers list's later pages do the same for workers.
function reachEveryJob(bar, href) {
  all("[data-filter-state]", bar).forEach(function (chip) {
    chip.addEventListener("click", function () {
      location.href = href + "#state=" + encodeURIComponent(chip.getAttribute("data-filter-state"));
    });
  });
  var input = bar.querySelector("[data-search-input]");
  var link = document.createElement("a");
  link.className = "every-job";
  link.href = href;
  link.textContent = bar.getAttribute("data-every-text") || "Search every job";
  bar.appendChild(link);
  if (input) {
    input.addEventListener("input", function () {
      link.href = href + (input.value ? "#q=" + encodeURIComponent(input.value) : "");
    });
  }
}

function tableFilter(bar, table, primary) {
  var state = primary ? readFragment() : { state: [], q: "", sort: "", dir: "asc" };
  var input = bar.querySelector("[data-search-input]");
  var everyJob = bar.getAttribute("data-every-job");
  var chips = everyJob ? [] : all("[data-filter-state]", bar);
  var status = bar.querySelector(".filter-status");
  if (everyJob) {
    reachEveryJob(bar, everyJob);
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);

  function apply() {
    var q = state.q.toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var okState = !state.state.length || state.state.indexOf(row.getAttribute("data-state")) >= 0;
      var text = (row.getAttribute("data-search") || row.textContent).toLowerCase();
      var visible = okState && (!q || text.indexOf(q) >= 0);
      row.hidden = !visible;
      shown += visible ? 1 : 0;
    });
    chips.forEach(function (chip) {
      var on = state.state.indexOf(chip.getAttribute("data-filter-state")) >= 0;
      chip.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (status) {
      var where = everyJob ? " on this page" : " shown";
      status.textContent = shown === rows.length ? "" : count(shown) + " of " + count(rows.length) + where;
    }
    if (primary) {
      writeFragment(state);
    }
  }

  listenToFilters(input, chips, state, apply);
  addSortButtons(table, function (name, dir) {
    state.sort = name;
    state.dir = dir;
    sortRows(table, name, dir);
    if (primary) {
      writeFragment(state);
    }
  });
  if (state.sort) {
    sortRows(table, state.sort, state.dir);
  }
  apply();
}

// A link to a job without a detail page leads to its row in the paginated list: say
// so above the row, or the click looks as if it did nothing.
function explainTargetRow() {
  all("tr.target-note").forEach(function (old) {
    old.parentNode.removeChild(old);
  });
  var id = fragmentId();
  var row = id.indexOf("r-") === 0 ? document.getElementById(id) : null;
  var plain = row && row.querySelector(".no-page");
  if (!plain) {
    return;
  }
  var title = plain.title;
  var jobId = title.slice(0, title.lastIndexOf(" · "));
  var note = el("tr", "target-note");
  var cell = el(
    "td",
    null,
    "Job " + jobId + " has no detail page in this report (a large cluster's report gives " +
      "one to the most relevant jobs and to every job with a log): below is its row. " +
      "Its worker's page, if that worker was captured, shows how it ran there."
  );
  cell.colSpan = row.cells.length;
  note.appendChild(cell);
  row.parentNode.insertBefore(note, row);
  // After the browser's own scroll to the row, which comes with the load event.
  function show() {
    note.scrollIntoView({ block: "center" });
  }
  if (document.readyState === "complete") {
    requestAnimationFrame(show);
  } else {
    window.addEventListener("load", function () {
      requestAnimationFrame(show);
    });
  }
}
