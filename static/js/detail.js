// ---- job detail and worker pages: the title names the job or worker shown; a link to a log line ----

// '#<log id>-L120' is line 120 of that log; '#<job or task anchor>-L120' of the
// first log in it, and '#L120' of the first log on the page. Null for any other
// fragment, or one that names an element of its own.
function lineTarget() {
  var id = fragmentId();
  var match = /^(?:(.*)-)?L([0-9]+)$/.exec(id);
  if (!match || document.getElementById(id)) {
    return null;
  }
  var holder = match[1] ? document.getElementById(match[1]) : document.body;
  if (!holder) {
    return null;
  }
  var log = holder.hasAttribute("data-log") ? holder : holder.querySelector("[data-log]");
  var line = log ? logLine(log, match[2]) : null;
  return line ? { log: log, line: line } : null;
}

// A linked line shows its job alone, as a linked job does (the stylesheet's :target
// rules cannot see a line, which has no id of its own), highlighted and in view.
function followLine() {
  all(".holds-target").forEach(function (old) {
    old.classList.remove("holds-target");
  });
  var found = lineTarget();
  if (!found) {
    all(".ln.target").forEach(function (old) {
      old.classList.remove("target");
    });
    return null;
  }
  var job = found.log.closest("article.job");
  var page = found.log.closest("section.page");
  [job, page].forEach(function (node) {
    if (node) {
      node.classList.add("holds-target");
    }
  });
  selectLine(found.log, found.line, false);
  // Again after the load event, which can still move what is above the line.
  if (document.readyState !== "complete") {
    window.addEventListener("load", function () {
      requestAnimationFrame(function () {
        showLine(found.log, found.line);
      });
    }, { once: true });
  }
  return job;
}

function followTarget() {
  var base = document.body.getAttribute("data-base-title") || document.title;
  document.body.setAttribute("data-base-title", base);
  var lineJob = followLine();
  var id = fragmentId();
  var target = lineJob || (id ? document.getElementById(id) : null);
  var titled = "article.job, article.worker-section";
  if (target && !target.matches(titled)) {
    target = target.closest ? target.closest(titled) : null;
  }
  if (target) {
    document.title = (target.getAttribute("data-title") || "Job") + " · " + base.split(" · ").slice(1).join(" · ");
  } else {
    document.title = base;
  }
}
