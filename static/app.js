/* fluster-snapshot: enhancements for pages that are complete without script.
   Sorting, filtering and search over tables; log tabs and search; the jobs page's
   list of every job. Reads data- attributes; never puts snapshot text in innerHTML.
   The view's filter state lives in the URL fragment, so a link reproduces it. */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("js");

  function ready(fn) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  }

  function all(selector, within) {
    return Array.prototype.slice.call((within || document).querySelectorAll(selector));
  }

  // A single-file report navigates with fragments; its filters do not touch them.
  function singleFile() {
    return document.querySelector("section.page") !== null;
  }

  // ---- fragment state: #state=failed,running&q=train&sort=3&dir=desc ----

  function readFragment() {
    var state = { state: [], q: "", sort: -1, dir: "asc" };
    var hash = location.hash.replace(/^#/, "");
    if (singleFile() || hash.indexOf("=") < 0) {
      return state;
    }
    hash.split("&").forEach(function (part) {
      var pair = part.split("=");
      var key = decodeURIComponent(pair[0] || "");
      var value = decodeURIComponent((pair[1] || "").replace(/\+/g, " "));
      if (key === "state" && value) {
        state.state = value.split(",");
      } else if (key === "q") {
        state.q = value;
      } else if (key === "sort") {
        state.sort = parseInt(value, 10);
      } else if (key === "dir") {
        state.dir = value === "desc" ? "desc" : "asc";
      }
    });
    return state;
  }

  function writeFragment(state) {
    if (singleFile()) {
      return;
    }
    var parts = [];
    if (state.state.length) {
      parts.push("state=" + state.state.map(encodeURIComponent).join(","));
    }
    if (state.q) {
      parts.push("q=" + encodeURIComponent(state.q));
    }
    if (state.sort >= 0) {
      parts.push("sort=" + state.sort);
      parts.push("dir=" + state.dir);
    }
    if (!parts.length && location.hash.indexOf("=") < 0) {
      return;  // the fragment names an anchor, not a view: leave it
    }
    var url = location.pathname + location.search + (parts.length ? "#" + parts.join("&") : "");
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      /* some browsers refuse replaceState on file: URLs; the view still works */
    }
  }

  // ---- sortable tables ----

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

  function sortRows(table, index, dir) {
    var header = table.tHead.rows[0].cells[index];
    if (!header) {
      return;
    }
    var numeric = header.getAttribute("data-type") === "number";
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
    markSorted(table, index, dir);
  }

  function markSorted(table, index, dir) {
    all("th", table.tHead).forEach(function (th, i) {
      if (i === index) {
        th.setAttribute("aria-sort", dir === "desc" ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  function addSortButtons(table, onSort) {
    all("th", table.tHead).forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "desc" : "asc";
        onSort(index, dir);
      });
    });
  }

  // ---- filters over a plain table ----

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
  // over every job.
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
    link.textContent = "Search every job";
    bar.appendChild(link);
    if (input) {
      input.addEventListener("input", function () {
        link.href = href + (input.value ? "#q=" + encodeURIComponent(input.value) : "");
      });
    }
  }

  function tableFilter(bar, table, primary) {
    var state = primary ? readFragment() : { state: [], q: "", sort: -1, dir: "asc" };
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
        status.textContent = shown === rows.length ? "" : shown + " of " + rows.length + where;
      }
      if (primary) {
        writeFragment(state);
      }
    }

    listenToFilters(input, chips, state, apply);
    addSortButtons(table, function (index, dir) {
      state.sort = index;
      state.dir = dir;
      sortRows(table, index, dir);
      if (primary) {
        writeFragment(state);
      }
    });
    if (state.sort >= 0) {
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
    var row = location.hash.indexOf("#r-") === 0
      ? document.getElementById(decodeURIComponent(location.hash.slice(1)))
      : null;
    var plain = row && row.querySelector(".no-page");
    if (!plain) {
      return;
    }
    var title = plain.title;
    var id = title.slice(0, title.lastIndexOf(" · "));
    var note = el("tr", "target-note");
    var cell = el(
      "td",
      null,
      "Job " + id + " has no detail page in this report (a large cluster's report gives " +
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

  // ---- the jobs page: every job in a scrolling list drawn from the page's data ----

  var NO_PAGE = "no detail page in this report";  // as renderer/rows.py says it
  var ROW_HEIGHT = 34;
  var OVERSCAN = 20;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function clock(ms) {
    if (ms === null || ms === undefined) {
      return "-";
    }
    var d = new Date(ms);
    if (isNaN(d.getTime())) {
      return "-";
    }
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }

  function fullTime(ms) {
    var d = new Date(ms);
    return isNaN(d.getTime()) ? "" : d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
  }

  // Same words as renderer/timefmt.py's duration().
  function duration(ms) {
    if (ms === null || ms === undefined) {
      return "-";
    }
    var sign = ms < 0 ? "-" : "";
    ms = Math.abs(ms);
    if (ms < 10000) {
      return ms ? sign + (ms / 1000).toFixed(1) + "s" : "0s";
    }
    var s = Math.floor(ms / 1000);
    var days = Math.floor(s / 86400);
    var hours = Math.floor((s % 86400) / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    var seconds = s % 60;
    if (days) {
      return sign + days + "d " + hours + "h";
    }
    if (hours) {
      return sign + hours + "h " + pad(minutes) + "m";
    }
    if (minutes) {
      return sign + minutes + "m " + pad(seconds) + "s";
    }
    return sign + seconds + "s";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  function jobList(bar, table, data) {
    // Column order of renderer/build.py jobs_data().
    var ID = 0, NAME = 1, STATE = 2, WORKER = 3, SUBMITTED = 4, STARTED = 5, FINISHED = 6;
    var ERROR = 8, DETAIL = 9, SLUG = 10, RESOURCES = 11, FAILURES = 12, PREEMPTIONS = 13;
    var LOG = 14;
    var jobs = data.jobs;
    var captured = data.captured;
    var stateName = data.states.map(function (s) { return s[0]; });
    function pad4(n) {
      return ("000" + n).slice(-4);
    }
    // Links as renderer/site.py makes them: a job's detail section, if it has one (its
    // row in the paginated list would show no more than this list does).
    function href(i) {
      var job = jobs[i];
      if (!job[DETAIL]) {
        return null;
      }
      var slug = job[SLUG] || job[ID];
      return data.single ? "#j-" + slug : "detail-" + pad4(job[DETAIL]) + ".html#j-" + slug;
    }
    var search = jobs.map(function (job) {
      return (job[ID] + " " + job[NAME]).toLowerCase();
    });
    function runtime(job) {
      if (job[STARTED] === null) {
        return null;
      }
      var end = job[FINISHED] !== null ? job[FINISHED] : captured;
      return end === null ? null : end - job[STARTED];
    }
    function retries(job) {
      var parts = [];
      if (job[FAILURES]) {
        parts.push(job[FAILURES] + " failed");
      }
      if (job[PREEMPTIONS]) {
        parts.push(job[PREEMPTIONS] + " preempted");
      }
      return parts.join(", ");
    }
    var sortKeys = [
      function (job) { return job[ID]; },
      function (job) { return job[NAME].toLowerCase(); },
      function (job, i) { return i; },  // state: the page's own order, problems first
      function (job) { return job[WORKER] >= 0 ? data.workers[job[WORKER]][0] : ""; },
      function (job) { return data.resources[job[RESOURCES]]; },
      function (job) { return job[SUBMITTED] === null ? -Infinity : job[SUBMITTED]; },
      function (job) { return job[FINISHED] === null ? -Infinity : job[FINISHED]; },
      function (job) { var d = runtime(job); return d === null ? -Infinity : d; },
      function (job) { return job[LOG]; },
      function (job) { return job[ERROR]; }
    ];

    var state = readFragment();
    var view = [];
    var body = table.tBodies[0];
    var wrap = table.parentNode;
    var scroller = el("div", "vlist-scroll");
    scroller.tabIndex = 0;
    scroller.setAttribute("aria-label", "All jobs");
    wrap.parentNode.insertBefore(scroller, wrap);
    scroller.appendChild(wrap);
    all(".pagination").forEach(function (nav) {
      nav.classList.add("vlist-hidden");
    });
    var input = bar.querySelector("[data-search-input]");
    var chips = all("[data-filter-state]", bar);
    var status = bar.querySelector(".filter-status");
    var range = document.getElementById("jobs-range");

    function spacer(height) {
      var row = el("tr", "vlist-spacer");
      var cell = el("td");
      cell.colSpan = table.tHead.rows[0].cells.length;
      row.appendChild(cell);
      row.style.height = height + "px";
      return row;
    }

    function link(text, href, title) {
      if (!href) {
        return el("span", "mono", text);
      }
      var a = el("a", "mono", text);
      a.setAttribute("href", href);
      if (title) {
        a.title = title;
      }
      return a;
    }

    function jobRow(i) {
      var job = jobs[i];
      var row = el("tr");
      row.id = "r-" + (job[SLUG] || job[ID]);
      row.setAttribute("data-state", stateName[job[STATE]]);
      var id = el("td", "id");
      var shortId = job[ID].length <= 11 ? job[ID] : job[ID].slice(0, 8) + "…";
      var target = href(i);
      if (target) {
        id.appendChild(link(shortId, target, job[ID]));
      } else {
        var plain = el("span", "mono no-page", shortId);
        plain.title = job[ID] + " · " + NO_PAGE;
        id.appendChild(plain);
      }
      row.appendChild(id);
      var name = el("td", "name", job[NAME] || "-");
      name.title = job[NAME];
      if (retries(job)) {
        name.appendChild(el("span", "sub", retries(job)));
      }
      row.appendChild(name);
      var stateCell = el("td");
      var state = data.states[job[STATE]];
      var badge = el("span", "badge " + (state[2] ? "status-" + state[0] : "status-unknown"), state[1]);
      badge.setAttribute("data-state", state[0]);
      stateCell.appendChild(badge);
      row.appendChild(stateCell);
      var workerCell = el("td", "mono");
      if (job[WORKER] >= 0) {
        var worker = data.workers[job[WORKER]];
        workerCell.appendChild(link(worker[0], worker[1]));
      } else {
        workerCell.appendChild(el("span", "muted", "-"));
      }
      row.appendChild(workerCell);
      row.appendChild(el("td", "nowrap", data.resources[job[RESOURCES]]));
      var submitted = el("td", "nowrap", clock(job[SUBMITTED]));
      submitted.title = fullTime(job[SUBMITTED]);
      row.appendChild(submitted);
      var finished = el("td", "nowrap", clock(job[FINISHED]));
      finished.title = fullTime(job[FINISHED]);
      row.appendChild(finished);
      row.appendChild(el("td", "nowrap", duration(runtime(job))));
      row.appendChild(el("td", null, job[LOG] ? job[LOG].toLocaleString("en-US") : ""));
      var error = el("td", "error-cell", job[ERROR]);
      error.title = job[ERROR];
      row.appendChild(error);
      return row;
    }

    function draw() {
      var visible = Math.ceil(scroller.clientHeight / ROW_HEIGHT) || 30;
      var first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
      var last = Math.min(view.length, first + visible + 2 * OVERSCAN);
      var fragment = document.createDocumentFragment();
      fragment.appendChild(spacer(first * ROW_HEIGHT));
      for (var i = first; i < last; i++) {
        fragment.appendChild(jobRow(view[i]));
      }
      fragment.appendChild(spacer((view.length - last) * ROW_HEIGHT));
      body.replaceChildren(fragment);
    }

    function apply() {
      var q = state.q.toLowerCase();
      var wanted = state.state;
      view = [];
      for (var i = 0; i < jobs.length; i++) {
        if (wanted.length && wanted.indexOf(stateName[jobs[i][STATE]]) < 0) {
          continue;
        }
        if (q && search[i].indexOf(q) < 0) {
          continue;
        }
        view.push(i);
      }
      if (state.sort >= 0 && sortKeys[state.sort]) {
        var key = sortKeys[state.sort];
        var keys = {};
        view.forEach(function (i) {
          keys[i] = key(jobs[i], i);
        });
        var sign = state.dir === "desc" ? -1 : 1;
        view.sort(function (a, b) {
          var x = keys[a], y = keys[b];
          return (x < y ? -1 : x > y ? 1 : 0) * sign || a - b;
        });
        markSorted(table, state.sort, state.dir);
      }
      chips.forEach(function (chip) {
        var on = wanted.indexOf(chip.getAttribute("data-filter-state")) >= 0;
        chip.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var text = view.length === jobs.length
        ? jobs.length.toLocaleString("en-US") + " jobs"
        : view.length.toLocaleString("en-US") + " of " + jobs.length.toLocaleString("en-US") + " jobs";
      if (range) {
        range.textContent = text;  // the heading says it; the filter bar need not repeat it
      } else if (status) {
        status.textContent = view.length === jobs.length ? "" : text + " shown";
      }
      scroller.scrollTop = 0;
      draw();
      writeFragment(state);
      document.body.setAttribute("data-jobs-shown", String(view.length));
    }

    listenToFilters(input, chips, state, apply);
    addSortButtons(table, function (index, dir) {
      state.sort = index;
      state.dir = dir;
      apply();
    });
    var pending = false;
    scroller.addEventListener("scroll", function () {
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () {
          pending = false;
          draw();
        });
      }
    });
    // A link to a job's row (#r-<id>) scrolls the list to it, clearing filters if need be.
    function reveal() {
      var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
      if (hash.indexOf("r-") !== 0) {
        return;
      }
      var slug = hash.slice(2);
      var index = -1;
      for (var i = 0; i < jobs.length; i++) {
        if ((jobs[i][SLUG] || jobs[i][ID]) === slug) {
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
        if (input) {
          input.value = "";
        }
        apply();
      }
      scroller.scrollTop = Math.max(0, view.indexOf(index) * ROW_HEIGHT - 3 * ROW_HEIGHT);
      draw();
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
      draw();
    }
    reveal();
    window.addEventListener("hashchange", reveal);
    document.body.setAttribute("data-jobs-ready", "true");
    // When the list became usable, from the start of navigation: read by `make bench`.
    document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  }

  // ---- logs: source tabs and search ----

  function logViewer(log) {
    var lines = all(".ln", log);
    var counter = log.querySelector(".log-count");
    var original = counter ? counter.textContent : "";
    all("[data-log-tab]", log).forEach(function (tab) {
      tab.addEventListener("click", function () {
        log.setAttribute("data-show", tab.getAttribute("data-log-tab"));
        all("[data-log-tab]", log).forEach(function (other) {
          other.setAttribute("aria-pressed", other === tab ? "true" : "false");
        });
      });
    });
    var input = log.querySelector("[data-log-search]");
    if (!input) {
      return;
    }
    input.addEventListener("input", function () {
      var q = input.value.toLowerCase();
      var hits = 0;
      lines.forEach(function (line) {
        var match = !q || line.textContent.toLowerCase().indexOf(q) >= 0;
        line.classList.toggle("miss", !match);
        line.classList.toggle("hit", Boolean(q) && match);
        hits += q && match ? 1 : 0;
      });
      if (counter) {
        counter.textContent = q ? hits + " matching lines" : original;
      }
    });
  }

  // ---- job detail pages: the title names the job shown ----

  function followTarget() {
    var base = document.body.getAttribute("data-base-title") || document.title;
    document.body.setAttribute("data-base-title", base);
    var id = decodeURIComponent(location.hash.replace(/^#/, ""));
    var target = id ? document.getElementById(id) : null;
    if (target && target.classList.contains("job")) {
      document.title = (target.getAttribute("data-title") || "Job") + " · " + base.split(" · ").slice(1).join(" · ");
    } else {
      document.title = base;
    }
  }

  ready(function () {
    var primaryTaken = false;
    all(".filters[data-filter-for]").forEach(function (bar) {
      var table = document.getElementById(bar.getAttribute("data-filter-for"));
      if (!table) {
        return;
      }
      var dataNode = document.getElementById("jobs-data");
      var inPage = bar.closest("section.page") || document;
      if (table.id === "jobs-table" && dataNode && inPage.contains(dataNode)) {
        jobList(bar, table, JSON.parse(dataNode.textContent));
      } else {
        tableFilter(bar, table, !primaryTaken);
      }
      primaryTaken = true;
    });
    all("table[data-sortable]").forEach(function (table) {
      if (!table.tHead.querySelector(".sort")) {
        addSortButtons(table, function (index, dir) {
          sortRows(table, index, dir);
        });
      }
    });
    all("[data-log]").forEach(logViewer);
    explainTargetRow();
    window.addEventListener("hashchange", explainTargetRow);
    if (document.querySelector("article.job")) {
      followTarget();
      window.addEventListener("hashchange", followTarget);
    }
    document.body.setAttribute("data-enhanced", "true");
  });
})();
