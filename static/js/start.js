// ---- start: enhance what the page holds ----

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
      addSortButtons(table, function (name, dir) {
        sortRows(table, name, dir);
      });
    }
  });
  all("[data-log]").forEach(logViewer);
  all(".site-search").forEach(siteSearch);
  explainTargetRow();
  window.addEventListener("hashchange", explainTargetRow);
  if (document.querySelector("article.job, article.worker-section")) {
    followTarget();
    window.addEventListener("hashchange", followTarget);
  }
  document.body.setAttribute("data-enhanced", "true");
});
