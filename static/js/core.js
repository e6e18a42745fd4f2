// ---- core: helpers every part uses; the view's state in the URL fragment ----
// Pages are complete without script: these parts only enhance them. They read data-
// attributes and the data the pages carry, and never put snapshot text in innerHTML.

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

// A single-file report navigates with fragments; its filters do not touch them.
function singleFile() {
  return document.querySelector("section.page") !== null;
}

// A fragment is typed by people and pasted from chats: a malformed escape is read as
// it stands rather than stopping the page.
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch (error) {
    return text;
  }
}

function fragmentId() {
  return decode(location.hash.replace(/^#/, ""));
}

// #state=failed,running&q=train&sort=duration&dir=desc: columns by name, so a link
// still means the same after a column is added.
function readFragment() {
  var state = { state: [], q: "", sort: "", dir: "asc", group: "" };
  var hash = location.hash.replace(/^#/, "");
  if (singleFile() || hash.indexOf("=") < 0) {
    return state;
  }
  hash.split("&").forEach(function (part) {
    var pair = part.split("=");
    var key = decode(pair[0] || "");
    var value = decode((pair[1] || "").replace(/\+/g, " "));
    if (key === "state" && value) {
      state.state = value.split(",");
    } else if (key === "q") {
      state.q = value;
    } else if (key === "group") {
      state.group = value;
    } else if (key === "sort") {
      state.sort = value;
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
  if (state.group) {
    parts.push("group=" + encodeURIComponent(state.group));
  }
  if (state.sort) {
    parts.push("sort=" + encodeURIComponent(state.sort));
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

// ---- times and numbers, in the same words as renderer/report/times.py ----

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

var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
var DAY_MS = 86400000;

// The capture time, from the banner every page carries; null when unknown.
function capturedAt() {
  var node = document.getElementById("captured-at");
  var ms = node ? Date.parse(node.getAttribute("datetime") || "") : NaN;
  return isNaN(ms) ? null : ms;
}

// '02:13:37'; 'Nov 28 22:44' on another day than the capture; '2025-11-28' in another
// year: as time_in_day_of() in renderer/report/times.py. The full time goes in a title.
function timeInDayOf(ms, captured) {
  var shown = clock(ms);
  if (shown === "-" || captured === null || captured === undefined) {
    return shown;
  }
  if (Math.floor(ms / DAY_MS) === Math.floor(captured / DAY_MS)) {
    return shown;
  }
  var d = new Date(ms);
  if (d.getUTCFullYear() !== new Date(captured).getUTCFullYear()) {
    return d.toISOString().slice(0, 10);
  }
  return MONTHS[d.getUTCMonth()] + " " + d.getUTCDate() + " " + shown.slice(0, 5);
}

// 'Nov 28 22:44' as renderer/report/columns.py writes it in a cell: the date in a span
// of its own, which the stylesheet cuts first when the column is narrow.
function datedTime(shown) {
  var when = el("span", "when");
  var at = shown.indexOf(":") >= 0 ? shown.lastIndexOf(" ") : -1;
  when.appendChild(el("span", "day", at >= 0 ? shown.slice(0, at) : shown));
  if (at >= 0) {
    when.appendChild(document.createTextNode(" "));
    when.appendChild(el("span", null, shown.slice(at + 1)));
  }
  return when;
}

function fullTime(ms) {
  var d = new Date(ms);
  return isNaN(d.getTime()) ? "" : d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

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

// One formatter for every number: toLocaleString makes a new one at each call, which
// took a tenth of a second for the rows of a list drawn once.
var NUMBER_FORMAT = new Intl.NumberFormat("en-US");

function count(n) {
  return NUMBER_FORMAT.format(n);
}

// '1 job', '2,000 jobs': as plural() in renderer/report/wording.py.
function plural(n, word, words) {
  return count(n) + " " + (n === 1 ? word : words || word + "s");
}
