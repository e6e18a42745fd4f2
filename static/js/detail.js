// ---- job detail and worker pages: the title names the job or worker shown ----

function followTarget() {
  var base = document.body.getAttribute("data-base-title") || document.title;
  document.body.setAttribute("data-base-title", base);
  var id = fragmentId();
  var target = id ? document.getElementById(id) : null;
  if (target && (target.classList.contains("job") || target.classList.contains("worker-section"))) {
    document.title = (target.getAttribute("data-title") || "Job") + " · " + base.split(" · ").slice(1).join(" · ");
  } else {
    document.title = base;
  }
}
