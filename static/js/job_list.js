// ---- the jobs page: every job in a scrolling list drawn from the page's data ----
// The data (renderer/report/pages/job_list.py) names its columns and their kinds; a
// cell is drawn by its kind, the same kinds as renderer/report/columns.py.

var NO_PAGE = "no detail page in this report";  // as renderer/report/links.py says it

// As renderer/report/wording.py short_id(): 8 characters, or a path's last part.
function shortJobId(id) {
  if (id.length <= 11) {
    return id;
  }
  var parts = id.replace(/\/+$/, "").split("/");
  var last = parts[parts.length - 1];
  if (id.indexOf("/") >= 0 && last) {
    if (/^[0-9]+$/.test(last) && parts.length > 2 && parts[parts.length - 2]) {
      last = parts[parts.length - 2] + "/" + last;  // a task: its job and index
    }
    return last.length <= 24 ? last : last.slice(0, 23) + "…";
  }
  return id.slice(0, 8) + "…";
}

function pad4(n) {
  return ("000" + n).slice(-4);
}

// A part of a large list's data (renderer/report/pages/job_list.py data_parts) is a
// script file that calls this with its rows; the list loading it takes them.
var jobRowsArrived = null;
window.flusterJobRows = function (rows) {
  if (jobRowsArrived) {
    jobRowsArrived(rows);
  }
};

// Load the scripts of `parts` (beside the page) in order: `take(rows)` for each, then
// `done(failed)`. The next part is on its way while one runs (each is read and
// compiled off the page's thread: a million jobs' parts took 5.6 s one after
// another, 4.3 s so); each part runs as a task of its own, and the page answers
// between them. Past a part that does not load, no part's rows are taken.
var PARTS_IN_FLIGHT = 2;
var APPLY_EVERY_MS = 500;  // see jobList: how often a loading list is filtered again

function loadParts(parts, take, done) {
  var asked = 0;
  var ran = 0;
  var over = false;
  function finish(failed) {
    if (!over) {
      over = true;
      jobRowsArrived = null;
      done(failed);
    }
  }
  function ask() {
    if (over || asked >= parts.length) {
      return;
    }
    var script = document.createElement("script");
    script.src = parts[asked];
    script.async = false;  // run in the order asked
    asked += 1;
    script.onload = function () {
      ran += 1;
      if (ran === parts.length) {
        finish(false);
      } else {
        ask();
      }
    };
    script.onerror = function () {
      finish(true);
    };
    document.head.appendChild(script);
  }
  if (!parts.length) {
    finish(false);
    return;
  }
  jobRowsArrived = take;
  for (var n = 0; n < PARTS_IN_FLIGHT; n++) {
    ask();
  }
}

function jobList(bar, table, data) {
  var columns = data.columns;
  var shared = data.shared;
  var jobs = data.rows;
  var at = {};
  columns.forEach(function (column, i) {
    at[column.name] = i;
  });
  var ID = columns.findIndex(function (c) { return c.kind === "job"; });
  var captured = capturedAt();
  var STATE = at.state;
  var GROUP = at.group;
  // Hidden columns are searched or filtered by, never drawn.
  var drawn = [];
  columns.forEach(function (column, i) {
    if (!column.hidden) {
      drawn.push(i);
    }
  });
  var stateName = shared.state ? shared.state.map(function (s) { return s[0]; }) : [];

  function plain(value) {
    return Array.isArray(value) ? value[0] : value;  // [value, note] when a note is shown
  }
  function sharedValue(column, value) {
    return shared[column.name] ? shared[column.name][value] : value;
  }
  // What a cell reads as, for search and for text sorts.
  function text(column, value) {
    if (column.kind === "job") {
      return value ? value[0] : "";  // [id, detail page, slug]: no [value, note] pair
    }
    value = plain(value);
    if (value === null || value === undefined) {
      return "";
    }
    if (column.kind === "state") {
      return shared.state[value][1];
    }
    if (column.kind === "worker") {
      var worker = shared.worker[value];
      return worker ? worker[0] : "";
    }
    if (column.kind === "group") {
      var group = shared.group[value];
      return group ? group[1] : "";
    }
    return String(sharedValue(column, value));
  }
  function slug(job) {
    var id = job[ID];
    return id[2] || id[0];
  }
  // Links as renderer/report/sitemap.py makes them: a job's detail section, if it has
  // one (its row in the paginated list would show no more than this list does).
  function href(job) {
    var id = job[ID];
    if (!id[1]) {
      return null;
    }
    return data.single ? "#j-" + slug(job) : "detail-" + pad4(id[1]) + ".html#j-" + slug(job);
  }
  var searchable = columns.filter(function (c) { return c.search; });
  function searchText(job) {
    return searchable.map(function (c) { return text(c, job[at[c.name]]); }).join(" ").toLowerCase();
  }
  var search = jobs.map(searchText);
  var total = data.total || jobs.length;  // all of them, while parts are still loading
  var failed = false;
  // Columns of numbers (and the state: the list's own order, problems first) rank
  // here; columns of text come ranked with the data.
  function sortKey(column) {
    var i = at[column];
    if (columns[i].kind === "state") {
      return function (job, position) { return position; };
    }
    return function (job) {
      var v = plain(job[i]);
      return typeof v === "number" ? v : -Infinity;
    };
  }
  // Every row in a column's order, made at the first sort by it (again once more rows
  // have loaded): a keystroke in a sorted list filters that order, sorting nothing.
  var orders = {};
  function orderOf(name, dir) {
    var made = orders[name + " " + dir];
    if (!made || made.length !== jobs.length) {
      made = columnOrder(columns[at[name]], jobs, at[name], sortKey(name), dir);
      orders[name + " " + dir] = made;
    }
    return made;
  }

  var state = readFragment();
  var view = [];
  var list = virtualRows(table, "All jobs", drawn.length, function (i) {
    return jobRow(view[i]);
  });
  var scroller = list.scroller;
  all(".pagination").forEach(function (nav) {
    nav.classList.add("vlist-hidden");
  });
  var input = bar.querySelector("[data-search-input]");
  var chips = all("[data-filter-state]", bar);
  var status = bar.querySelector(".filter-status");
  var range = document.getElementById("jobs-range");

  function link(text, target, title) {
    if (!target) {
      return el("span", "mono", text);
    }
    var a = el("a", "mono", text);
    a.setAttribute("href", target);
    if (title) {
      a.title = title;
    }
    return a;
  }

  function cell(column, value, job) {
    var note = Array.isArray(value) && column.kind !== "job" ? value[1] : null;
    value = column.kind === "job" ? value : plain(value);
    var td = el("td", column.css || null);
    var kind = column.kind;
    if (kind === "job") {
      var id = value[0];
      var shortId = shortJobId(id);
      var target = href(job);
      if (target) {
        td.appendChild(link(shortId, target, id));
      } else {
        var span = el("span", "mono no-page", shortId);
        span.title = id + " · " + NO_PAGE;
        td.appendChild(span);
      }
      td.classList.add("id");
    } else if (kind === "state") {
      var s = shared.state[value];
      var badge = el("span", "badge " + s[2], s[1]);
      badge.setAttribute("data-state", s[0]);
      td.appendChild(badge);
    } else if (kind === "worker") {
      var worker = value === null ? null : shared.worker[value];
      td.classList.add("mono");
      td.appendChild(worker ? link(worker[0], worker[1]) : el("span", "muted", "-"));
      td.title = worker ? worker[0] : "";  // a long id ends in an ellipsis: the title reads whole
    } else {
      var known = kind === "number" || kind === "time" || kind === "duration";
      plainCell(td, known ? kind : "text", value, known ? "" : text(column, value), captured);
    }
    if (note) {
      td.appendChild(el("span", "sub", note));
    }
    return td;
  }

  function jobRow(i) {
    var job = jobs[i];
    var row = el("tr");
    row.id = "r-" + slug(job);
    if (STATE !== undefined) {
      row.setAttribute("data-state", stateName[job[STATE]]);
    }
    for (var d = 0; d < drawn.length; d++) {
      var c = drawn[d];
      row.appendChild(cell(columns[c], job[c], job));
    }
    return row;
  }

  // A link to one failure group's jobs (#group=KEY): the group's jobs, and a chip
  // that says which group it is and clears it.
  function groupKey(job) {
    var group = GROUP === undefined ? null : shared.group[job[GROUP]];
    return group ? group[0] : "";
  }
  var groupChip = null;
  function showGroup() {
    var group = null;
    if (state.group && GROUP !== undefined) {
      group = shared.group.find(function (g) { return g && g[0] === state.group; }) || null;
    }
    if (!group) {
      state.group = "";
      if (groupChip) {
        groupChip.remove();
        groupChip = null;
      }
      return;
    }
    if (!groupChip) {
      groupChip = el("button", "chip group-chip");
      groupChip.type = "button";
      groupChip.setAttribute("data-filter-group", "");
      groupChip.addEventListener("click", function () {
        state.group = "";
        apply();
      });
      bar.insertBefore(groupChip, bar.querySelector(".chips"));
    }
    groupChip.textContent = "Failure group: " + group[1] + " ×";
    groupChip.title = "Show every job again: " + group[1];
    groupChip.setAttribute("aria-label", "Failure group " + group[1] + ", press to show every job");
  }

  function apply() {
    var q = state.q.toLowerCase();
    var wanted = state.state;
    showGroup();
    var sorted = state.sort && at[state.sort] !== undefined;
    var order = sorted ? orderOf(state.sort, state.dir) : null;
    view = [];
    for (var p = 0; p < jobs.length; p++) {
      var i = order ? order[p] : p;
      if (wanted.length && wanted.indexOf(stateName[jobs[i][STATE]]) < 0) {
        continue;
      }
      if (state.group && groupKey(jobs[i]) !== state.group) {
        continue;
      }
      if (q && search[i].indexOf(q) < 0) {
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
    var words = view.length === jobs.length
      ? plural(jobs.length, "job")
      : count(view.length) + " of " + plural(jobs.length, "job");
    if (jobs.length < total && failed) {
      words += " (" + count(total - jobs.length) + " more could not be loaded: the pages below list them)";
    } else if (jobs.length < total && view.length === jobs.length) {
      words = count(jobs.length) + " of " + plural(total, "job") + ", loading the rest";
    } else if (jobs.length < total) {
      words += " loaded so far, of " + count(total);
    }
    if (range) {
      range.textContent = words;  // the heading says it; the filter bar need not repeat it
    } else if (status) {
      status.textContent = view.length === jobs.length ? "" : words + " shown";
    }
    list.show(view.length);
    writeFragment(state);
    document.body.setAttribute("data-jobs-shown", String(view.length));
  }

  listenToList(input, chips, table, state, apply);
  // A link to a job's row (#r-<id>) scrolls the list to it, clearing filters if need be.
  function reveal() {
    var hash = fragmentId();
    if (hash.indexOf("r-") !== 0) {
      return;
    }
    var wanted = hash.slice(2);
    var index = -1;
    for (var i = 0; i < jobs.length; i++) {
      if (slug(jobs[i]) === wanted) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      return;
    }
    if (view.indexOf(index) < 0) {
      state.state = [];
      state.q = "";
      state.group = "";
      if (input) {
        input.value = "";
      }
      apply();
    }
    list.reveal(view.indexOf(index));
    scroller.scrollIntoView({ block: "start" });
  }

  // Back from a job comes back to the same place in the list: the scroll offset is
  // kept in the history entry when the page is left.
  window.addEventListener("pagehide", function () {
    try {
      history.replaceState({ jobsScroll: scroller.scrollTop }, "", location.href);
    } catch (error) {
      /* some browsers refuse replaceState on file: URLs; nothing is lost but the place */
    }
  });

  var saved = history.state && history.state.jobsScroll;  // before apply() replaces it
  apply();
  if (saved) {
    scroller.scrollTop = saved;
    list.draw();
  }
  reveal();
  // A link from another part of the report (the header's search) names a view.
  window.addEventListener("hashchange", function () {
    if (location.hash.indexOf("=") < 0) {
      reveal();
      return;
    }
    var next = readFragment();
    ["state", "q", "sort", "dir", "group"].forEach(function (key) {
      state[key] = next[key];
    });
    if (input) {
      input.value = state.q;
    }
    apply();
  });
  markListReady("jobs");
  // The rows of a part are taken as it runs; the list is filtered and sorted again in
  // a task of its own, at most every APPLY_EVERY_MS while parts arrive, and once when
  // the last has: at a million jobs, doing both at once in each part kept the page
  // from answering a keystroke for 300 ms at a time.
  var pending = null;
  var applied = 0;
  function applyInPlace() {
    var top = scroller.scrollTop;
    apply();
    scroller.scrollTop = top;
    list.draw();
    applied = performance.now();
  }
  function applySoon() {
    if (pending === null) {
      pending = setTimeout(function () {
        pending = null;
        applyInPlace();
      }, Math.max(0, applied + APPLY_EVERY_MS - performance.now()));
    }
  }
  loadParts(data.parts || [], function (rows) {
    for (var r = 0; r < rows.length; r++) {
      jobs.push(rows[r]);
      search.push(searchText(rows[r]));
    }
    applySoon();
  }, function (partFailed) {
    failed = partFailed;
    if (pending !== null) {
      clearTimeout(pending);
      pending = null;
    }
    applyInPlace();
    if (failed) {
      all(".pagination").forEach(function (nav) {
        nav.classList.remove("vlist-hidden");  // the pages still list every job
      });
    }
    reveal();
    document.body.setAttribute("data-jobs-complete", failed ? "failed" : "true");
    document.body.setAttribute("data-complete-ms", String(Math.round(performance.now())));
  });
}
