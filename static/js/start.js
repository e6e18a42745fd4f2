// ---- start: enhance what the page holds ----

// An element of a page by id: in a single-file report, of the same section, since
// every section of the same kind carries the same ids.
function inPageById(scope, id) {
  return scope === document ? document.getElementById(id) : scope.querySelector("#" + CSS.escape(id));
}

// Everything the script adds to the page, or to one section of a single-file report
// (a packed one's sections get it as they are unpacked). `primary`: the first filter
// bar keeps its view in the URL fragment.
function enhance(within, primary) {
  var primaryTaken = !primary;
  all(".filters[data-filter-for]", within).forEach(function (bar) {
    var inPage = bar.closest("section.page") || document;
    var table = inPageById(inPage, bar.getAttribute("data-filter-for"));
    if (!table) {
      return;
    }
    var jobsData = inPageById(inPage, "jobs-data");
    var workersData = inPageById(inPage, "workers-data");
    if (table.id === "jobs-table" && jobsData) {
      jobList(bar, table, JSON.parse(jobsData.textContent));
    } else if (table.id === "all-workers" && workersData) {
      workerList(bar, table, JSON.parse(workersData.textContent));
    } else {
      tableFilter(bar, table, !primaryTaken);
    }
    primaryTaken = true;
  });
  all("table[data-sortable]", within).forEach(function (table) {
    if (!table.tHead.querySelector(".sort")) {
      addSortButtons(table, function (name, dir) {
        sortRows(table, name, dir);
      });
    }
  });
  all("[data-log]", within).forEach(logViewer);
  addCopyLinks(within);
}

ready(function () {
  enhance(document, true);
  all(".site-search").forEach(siteSearch);
  explainTargetRow();
  window.addEventListener("hashchange", explainTargetRow);
  if (document.querySelector("article.job, article.worker-section, section.page[data-packed]")) {
    followTarget();
    window.addEventListener("hashchange", followTarget);
  }
  startPacked();
  document.body.setAttribute("data-enhanced", "true");
});
