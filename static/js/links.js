// ---- links: buttons that copy the link to a job, a task, a worker or a log line ----
// The link is this page's address with the thing's fragment, so it opens the same view
// from wherever the report is (file://, an unzipped artifact, a static host).

function linkTo(id) {
  return location.href.replace(/#.*$/, "") + "#" + id;
}

// The clipboard API where the page may use it; else a selected textarea and the
// older copy command, which file: pages in some browsers still need.
function copyText(text, done) {
  function fallback() {
    var area = el("textarea", "copy-buffer");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    done(copied);
  }
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(text).then(function () {
      done(true);
    }, fallback);
  } else {
    fallback();
  }
}

// A button copying the link to the element with id `data-link`, reading `text`
// ("Copy link") and named `label` for screen readers; it says "Copied" for a moment,
// and a polite live region says so too.
function copyLinkButton(id, label, text) {
  var button = el("button", "copy-link", text || "Copy link");
  button.type = "button";
  button.setAttribute("data-link", id);
  button.setAttribute("data-text", text || "Copy link");
  button.setAttribute("aria-label", label || "Copy link");
  button.setAttribute("data-name", label || "Copy link");
  var timer = null;
  button.addEventListener("click", function () {
    var url = linkTo(button.getAttribute("data-link"));
    copyText(url, function (copied) {
      button.textContent = copied ? "Copied" : "Not copied: the link is in the address bar";
      button.setAttribute("aria-label", copied ? "Copied" : button.textContent);
      button.classList.toggle("copied", copied);
      announce(copied ? "Link copied" : "Could not copy the link");
      if (!copied) {
        setFragment(button.getAttribute("data-link"));
      }
      clearTimeout(timer);
      timer = setTimeout(function () {
        button.textContent = button.getAttribute("data-text");
        button.setAttribute("aria-label", button.getAttribute("data-name") || button.textContent);
        button.classList.remove("copied");
      }, 2000);
    });
  });
  return button;
}

function announce(text) {
  var region = document.getElementById("copy-status");
  if (!region) {
    region = el("span", "visually-hidden");
    region.id = "copy-status";
    region.setAttribute("role", "status");
    document.body.appendChild(region);
  }
  region.textContent = text;
}

// Where the buttons go: a job's and a task's header (templates/_job.html marks them
// with data-copy-link) and a worker's heading, within the page or within a packed
// section of a single file as it is unpacked (start.js enhance).
function addCopyLinks(within) {
  all("[data-copy-link]", within).forEach(function (place) {
    var id = place.getAttribute("data-copy-link");
    if (id) {
      place.appendChild(copyLinkButton(id, "Copy link to " + (place.getAttribute("data-copy-what") || "this")));
    }
  });
  // After the heading rather than in it, which would read the button as its name.
  all(".worker-section[id] .page-title", within).forEach(function (heading) {
    var section = heading.closest(".worker-section");
    var what = section.getAttribute("data-title") || "this worker";
    heading.parentNode.insertBefore(copyLinkButton(section.id, "Copy link to " + what), heading.nextSibling);
  });
}

