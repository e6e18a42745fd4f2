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
