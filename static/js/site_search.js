// ---- the header's search: failure groups, workers and jobs across the report ----
// The index (renderer/report/pages/search.py) is loaded the first time the box is
// used; without script the header links to the paginated job list instead. The key
// `/` that goes to it is in keys.js.

var SEARCH_SHOWN = { groups: 5, workers: 5, jobs: 8 };

function siteSearch(host) {
  var fallback = host.querySelector(".site-search-link");
  var scriptHref = host.getAttribute("data-search-index") || "";
  var single = !scriptHref;  // a single file carries its index as a data block
  var root = scriptHref.replace(/static\/search\.js$/, "");
  var index = null;
  var texts = null;
  var waiting = [];
  var loading = false;

  var input = el("input");
  input.type = "search";
  input.id = "site-search";
  input.placeholder = "Search jobs, workers, failures";
  input.autocomplete = "off";
  input.setAttribute("aria-label", "Search the report: jobs, workers and failure groups (press /)");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-controls", "site-search-results");
  input.setAttribute("aria-expanded", "false");
  var key = el("kbd", "site-search-key", "/");
  key.setAttribute("aria-hidden", "true");
  var panel = el("div", "site-search-results");
  panel.id = "site-search-results";
  panel.hidden = true;
  fallback.hidden = true;
  host.appendChild(input);
  host.appendChild(key);
  host.appendChild(panel);

  function href(target) {
    if (!target) {
      return null;
    }
    return single || target.charAt(0) === "#" ? target : root + target;
  }

  function indexed(found) {
    index = found || { groups: [], workers: [], jobs: [], states: [] };
    texts = {
      groups: index.groups.map(function (g) { return (g[0] + " " + g[1]).toLowerCase(); }),
      workers: index.workers.map(function (w) { return (w[0] + " " + w[1] + " " + w[2]).toLowerCase(); }),
      jobs: null,
    };
    // A job is also found by its failure group's text ("CUDA" finds its jobs).
    texts.jobs = index.jobs.map(function (j) {
      var group = j[4] >= 0 ? " " + texts.groups[j[4]] : "";
      return (j[0] + " " + (j[1] || "") + " " + index.states[j[2]][0]).toLowerCase() + group;
    });
    var then = waiting;
    waiting = [];
    then.forEach(function (fn) { fn(); });
  }

  function load(then) {
    if (index) {
      then();
      return;
    }
    waiting.push(then);
    if (loading) {
      return;
    }
    loading = true;
    if (single) {  // a data block, in a page of its own, packed in a large file
      var holder = document.querySelector('section.page[data-page="search"]');
      whenUnpacked(holder, "search-data", function (block) {
        indexed(block ? JSON.parse(block.textContent) : null);
      });
      return;
    }
    var script = document.createElement("script");
    script.src = scriptHref;
    script.onload = function () { indexed(window.flusterSearchIndex); };
    script.onerror = function () {
      indexed(null);
      panel.replaceChildren(el("p", "muted", "The search index (static/search.js) is missing from this report."));
    };
    document.head.appendChild(script);
  }

  function matches(kind, q) {
    var found = [];
    var list = texts[kind];
    for (var i = 0; i < list.length; i++) {
      if (list[i].indexOf(q) >= 0) {
        found.push(i);
      }
    }
    return found;
  }

  function item(text, sub, target, className) {
    var a = el("a", "site-search-item " + (className || ""));
    a.setAttribute("href", href(target) || "#");
    a.appendChild(el("span", "site-search-text", text));
    if (sub) {
      a.appendChild(el("span", "site-search-sub", sub));
    }
    return a;
  }

  function section(title, found, draw) {
    var part = el("div", "site-search-part");
    part.appendChild(el("h2", "site-search-title", title + " · " + count(found.length)));
    found.slice(0, SEARCH_SHOWN[draw.kind]).forEach(function (i) {
      part.appendChild(draw(i));
    });
    if (found.length > SEARCH_SHOWN[draw.kind]) {
      part.appendChild(el("p", "site-search-more muted", "and " + count(found.length - SEARCH_SHOWN[draw.kind]) + " more"));
    }
    return part;
  }

  function group(i) {
    var g = index.groups[i];
    return item(g[0], plural(g[2], "failure"), g[3], "mono");
  }
  group.kind = "groups";
  function worker(i) {
    var w = index.workers[i];
    return item(w[0], [w[1], w[2]].filter(Boolean).join(" · "), w[3], "mono");
  }
  worker.kind = "workers";
  function job(i) {
    var j = index.jobs[i];
    var a = item(j[1] || j[0], "", j[3]);
    var state = index.states[j[2]];
    var badge = el("span", "badge " + state[1], state[0]);
    a.insertBefore(badge, a.firstChild);
    a.appendChild(el("span", "site-search-sub mono", shortJobId(j[0])));
    return a;
  }
  job.kind = "jobs";

  function show() {
    var q = input.value.trim().toLowerCase();
    if (!q) {
      close();
      return;
    }
    var groups = matches("groups", q);
    var workers = matches("workers", q);
    var jobs = matches("jobs", q);
    var parts = [];
    if (groups.length) {
      parts.push(section("Failure groups", groups, group));
    }
    if (workers.length) {
      parts.push(section("Workers", workers, worker));
    }
    if (jobs.length) {
      parts.push(section("Jobs", jobs, job));
    }
    if (!parts.length) {
      parts.push(el("p", "muted site-search-none", "No job, worker or failure group matches \u201c" + input.value.trim() + "\u201d here."));
    }
    var foot = el("div", "site-search-foot");
    // The job list's own search also reads errors, workers and gangs, and holds every job.
    var listTarget = index.jobs_href + (single ? "" : "#q=" + encodeURIComponent(input.value.trim()));
    var every = item("Search every job's id, name, error, worker and gang in the job list", "", listTarget, "site-search-all");
    foot.appendChild(every);
    if (index.jobs.length < index.jobs_total) {
      foot.appendChild(el("p", "muted small", "Jobs above: the first " + count(index.jobs.length) + " of " + count(index.jobs_total) + ", problems first."));
    }
    parts.push(foot);
    panel.replaceChildren.apply(panel, parts);
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
    document.body.setAttribute("data-site-search", String(groups.length + workers.length + jobs.length));
  }

  function close() {
    panel.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function links() {
    return all("a", panel);
  }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () { load(show); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      close();
      input.blur();
    } else if (event.key === "ArrowDown" && !panel.hidden) {
      event.preventDefault();
      var first = links()[0];
      if (first) {
        first.focus();
      }
    } else if (event.key === "Enter") {
      load(function () {
        show();
        var first = links()[0];
        if (first) {
          first.click();
        }
      });
    }
  });
  panel.addEventListener("keydown", function (event) {
    var list = links();
    var at = list.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      if (next < 0) {
        input.focus();
      } else if (list[next]) {
        list[next].focus();
      }
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  panel.addEventListener("click", function (event) {
    if (event.target.closest("a")) {
      close();  // a link to this page's own fragment leaves the panel open otherwise
    }
  });
  document.addEventListener("click", function (event) {
    if (!host.contains(event.target)) {
      close();
    }
  });
}
