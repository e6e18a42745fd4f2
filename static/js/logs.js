// ---- logs: source tabs, search, numbered lines and their links, the first error ----
// Each line carries its number (data-n, counted from the log's real first line);
// '#<log id>-L120' names line 120 of that log (see followLine in detail.js).

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
  var pre = log.querySelector(".log-lines");
  if (pre) {
    // A click on a line's number (the gutter left of its time) links to the line.
    pre.addEventListener("click", function (event) {
      var line = event.target.closest ? event.target.closest(".ln") : null;
      var time = line && line.querySelector(".ts");
      if (!line || (time && event.clientX >= time.getBoundingClientRect().left)) {
        return;
      }
      selectLine(log, line, true);
    });
  }
  addFirstErrorButton(log);
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
      counter.textContent = q ? plural(hits, "matching line") : original;
    }
  });
}

function logLine(log, number) {
  return log.querySelector('.ln[data-n="' + String(number).replace(/[^0-9]/g, "") + '"]');
}

// A line hidden by a source tab or by the search comes back before it is shown.
function revealLine(log, line) {
  var show = log.getAttribute("data-show") || "all";
  if (show !== "all" && !line.classList.contains(show)) {
    var every = log.querySelector('[data-log-tab="all"]');
    if (every) {
      every.click();
    }
  }
  var input = log.querySelector("[data-log-search]");
  if (input && input.value && line.classList.contains("miss")) {
    input.value = "";
    input.dispatchEvent(new Event("input"));
  }
}

// Highlights a line and scrolls to it; `link` also puts its link in the address.
function selectLine(log, line, link) {
  revealLine(log, line);
  all(".ln.target").forEach(function (other) {
    other.classList.remove("target");
  });
  line.classList.add("target");
  var id = log.id + "-L" + line.getAttribute("data-n");
  if (link) {
    setFragment(id);
  }
  lineLinkButton(log, line, id);
  showLine(log, line);
}

// The line in the middle of its log's box, and the whole log, bar and all, in view
// when the window is tall enough for it.
function showLine(log, line) {
  line.scrollIntoView({ block: "center" });
  var box = log.getBoundingClientRect();
  if (box.height <= window.innerHeight && (box.top < 0 || box.bottom > window.innerHeight)) {
    log.scrollIntoView({ block: "nearest" });
  }
}

function setFragment(id) {
  try {
    history.replaceState(history.state, "", location.pathname + location.search + "#" + id);
  } catch (error) {
    location.hash = id;  // where file: URLs refuse replaceState; followLine answers it
  }
}

// One button per log copies the link to its highlighted line.
function lineLinkButton(log, line, id) {
  var bar = log.querySelector(".log-bar");
  if (!bar) {
    return;
  }
  var button = bar.querySelector(".line-link");
  if (!button) {
    button = copyLinkButton("", "");
    button.classList.add("line-link");
    var text = bar.querySelector(".log-text");
    bar.insertBefore(button, text || null);
  }
  var label = "Copy link to line " + count(Number(line.getAttribute("data-n")));
  button.setAttribute("data-link", id);
  button.setAttribute("data-text", label);
  button.setAttribute("data-name", label);
  button.setAttribute("aria-label", label);
  button.textContent = label;
}

// "Jump to first error": the page names the line (renderer/report/logs.py says which
// lines look like errors); without one there is no button.
function addFirstErrorButton(log) {
  var number = log.getAttribute("data-first-error");
  var line = number ? logLine(log, number) : null;
  var bar = log.querySelector(".log-bar");
  if (!line || !bar) {
    return;
  }
  var button = el("button", "log-jump", "Jump to first error");
  button.type = "button";
  button.title = "Line " + count(Number(number)) + ": the first line from stderr or the build that looks like an error";
  button.addEventListener("click", function () {
    selectLine(log, line, true);
  });
  var search = bar.querySelector(".log-search");
  bar.insertBefore(button, search ? search.nextSibling : null);
}
