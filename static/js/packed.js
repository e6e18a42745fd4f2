// ---- a packed single-file report: each page unpacked when it is opened ----
// renderer/report/bundle.py keeps every page but the front one as gzip in base64, in
// data blocks at the end of the file (section id -> "packed-" + id). Opening a page
// decompresses it in the browser (DecompressionStream: no network) and puts its
// markup, the renderer's own and escaped as on any page, into its empty section.

function packedBytes(text) {
  if (Uint8Array.fromBase64) {
    return Uint8Array.fromBase64(text);
  }
  var binary = atob(text);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function unpackText(blockId) {
  var block = document.getElementById(blockId);
  var stream = new Blob([packedBytes(block.textContent.trim())])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

var unpacking = {};  // section id -> its unpacking, once

function unpackSection(section) {
  var id = section.id;
  if (!unpacking[id]) {
    section.setAttribute("aria-busy", "true");
    section.appendChild(el("p", "muted", "Opening this page…"));
    unpacking[id] = unpackText("packed-" + id).then(function (html) {
      // The renderer's own markup, read from this file, parsed inert (nothing in a
      // parsed document runs or loads) and moved in; <noscript> rows are for readers
      // without script.
      // (In <body> from the start: a page opening with a data block keeps it.)
      var parsed = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html");
      all("noscript", parsed).forEach(function (node) {
        node.parentNode.removeChild(node);
      });
      var fragment = document.createDocumentFragment();
      while (parsed.body.firstChild) {
        fragment.appendChild(document.adoptNode(parsed.body.firstChild));
      }
      section.replaceChildren(fragment);
      section.removeAttribute("data-packed");
      section.removeAttribute("aria-busy");
      enhance(section, false);
    });
  }
  return unpacking[id];
}

// An element of a page that may be packed, unpacking the page first: then(the
// element, or null).
function whenUnpacked(section, elementId, then) {
  var node = document.getElementById(elementId);
  if (node || !section || !section.hasAttribute("data-packed")) {
    then(node);
    return;
  }
  unpackSection(section).then(function () {
    then(document.getElementById(elementId));
  });
}

var packedTargets = null;  // anchor -> id of the section holding it ("r-": job rows)

function targetSection(id) {
  if (!packedTargets) {
    packedTargets = unpackText("packed-targets").then(JSON.parse);
  }
  return packedTargets.then(function (targets) {
    var holder = targets[id] || targets[id.slice(0, 2)];
    return holder ? document.getElementById(holder) : null;
  });
}

// :target, which shows a section, is settled when the fragment is followed: an
// element put in later is not it until the fragment is followed again. That waits
// for the page's own handlers, and a frame: a list scrolled to a row draws it anew.
function followAgain(id) {
  requestAnimationFrame(function () {
    setTimeout(function () {
      var node = document.getElementById(id);
      if (fragmentId() === id && node && !node.matches(":target")) {
        location.replace(location.href);
        if (!node.closest(".vlist-scroll")) {  // a list's row marks itself (.no-page)
          explainTargetRow();
        }
        followTarget();
      }
    }, 0);
  });
}

// The page the fragment leads to: unpacked if it is not yet, then shown.
function openPacked() {
  var id = fragmentId();
  all("section.page.shows-row").forEach(function (section) {
    section.classList.remove("shows-row");
  });
  if (!id) {
    return;
  }
  var node = document.getElementById(id);
  if (node && node.hasAttribute("data-packed")) {
    unpackSection(node);
    return;
  }
  // A job's row is drawn by the jobs list, which scrolls to it only while the list
  // shows, and draws it anew as the list scrolls (the new row is not :target): the
  // list shows as long as the fragment names a row (this runs before its own handler).
  var rows = null;
  if (id.indexOf("r-") === 0 && (!node || node.closest(".vlist-scroll"))) {
    rows = document.querySelector('section.page[data-page="jobs"]');
    if (rows) {
      rows.classList.add("shows-row");
    }
  }
  if (node && node.matches(":target")) {
    return;
  }
  (node || rows ? Promise.resolve(rows) : targetSection(id)).then(function (section) {
    return section && section.hasAttribute("data-packed") ? unpackSection(section) : null;
  }).then(function () {
    followAgain(id);
  }).catch(function (error) {
    console.error("could not open the page: " + error);
  });
}

// Every single file: a packed one's pages open as they are needed, and in either a
// link to a row of the jobs list shows the list.
function startPacked() {
  if (!singleFile()) {
    return;
  }
  openPacked();
  window.addEventListener("hashchange", openPacked);
}
