// ---- virtual lists: a table of every row, drawing only those in view ----
// Shared by the jobs list and the workers list. Rows have a fixed height (the
// stylesheet's .vlist-scroll rows), so a spacer above and below the drawn rows
// stands for the others and the scroll bar is that of the whole list.

var ROW_HEIGHT = 34;
var OVERSCAN = 20;

// Puts the table's frame in a scrolling box and hides the pagers (the list holds
// every row). `rowAt(i)` makes the i-th row of what is shown; show(count) draws the
// top of a new view of `count` rows, draw() the rows now in view.
function virtualRows(table, label, columnCount, rowAt) {
  var body = table.tBodies[0];
  var wrap = table.parentNode;
  var scroller = el("div", "vlist-scroll");
  scroller.tabIndex = 0;
  scroller.setAttribute("aria-label", label);
  wrap.parentNode.insertBefore(scroller, wrap);
  scroller.appendChild(wrap);
  var size = 0;

  function spacer(height) {
    var row = el("tr", "vlist-spacer");
    var cell = el("td");
    cell.colSpan = columnCount;
    row.appendChild(cell);
    row.style.height = height + "px";
    return row;
  }

  function draw() {
    var visible = Math.ceil(scroller.clientHeight / ROW_HEIGHT) || 30;
    var first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    var last = Math.min(size, first + visible + 2 * OVERSCAN);
    var fragment = document.createDocumentFragment();
    fragment.appendChild(spacer(first * ROW_HEIGHT));
    for (var i = first; i < last; i++) {
      fragment.appendChild(rowAt(i));
    }
    fragment.appendChild(spacer((size - last) * ROW_HEIGHT));
    body.replaceChildren(fragment);
  }

  var pending = false;
  scroller.addEventListener("scroll", function () {
    if (!pending) {
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        draw();
      });
    }
  });

  return {
    scroller: scroller,
    draw: draw,
    show: function (count) {
      size = count;
      // Emptied first: scrolling lays the page out, and the rows it held may be many
      // (the page's own rows, for a reader without script, the first time).
      body.replaceChildren();
      scroller.scrollTop = 0;
      draw();
    },
    // Scrolls the list to row `i` of the view, with a few rows above it.
    reveal: function (i) {
      scroller.scrollTop = Math.max(0, i * ROW_HEIGHT - 3 * ROW_HEIGHT);
      draw();
    },
  };
}

// A virtual list's search box, chips and sort buttons all change `state`, then
// `apply` draws the view again.
function listenToList(input, chips, table, state, apply) {
  listenToFilters(input, chips, state, apply);
  addSortButtons(table, function (name, dir) {
    state.sort = name;
    state.dir = dir;
    apply();
  });
}

// The list (`name`: jobs, workers) is usable: said on the body, with when from the
// start of navigation (read by `make bench`).
function markListReady(name) {
  document.body.setAttribute("data-" + name + "-ready", "true");
  document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
}

// `view` (row numbers, in the list's order) sorted by `key(row)`, ties kept in the
// order they were; `dir` "desc" reverses it. Keys are taken once, into arrays by
// position: 100,000 rows sort in a tenth of the time of keys kept in an object.
function sortedView(view, key, dir) {
  var n = view.length;
  var keys = new Array(n);
  var numeric = true;
  for (var p = 0; p < n; p++) {
    var k = key(view[p]);
    keys[p] = k;
    numeric = numeric && typeof k === "number";
  }
  if (numeric) {
    keys = Float64Array.from(keys);
  }
  var order = new Uint32Array(n);
  for (p = 0; p < n; p++) {
    order[p] = p;
  }
  var sign = dir === "desc" ? -1 : 1;
  order.sort(function (a, b) {
    var x = keys[a], y = keys[b];
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a - b;
  });
  var sorted = view.slice();
  for (p = 0; p < n; p++) {
    view[p] = sorted[order[p]];
  }
  return view;
}

// An order of rows (`key` ascending, ties by row) turned descending, ties still by row.
function reversedStable(order, key) {
  var out = [];
  var end = order.length;
  while (end > 0) {
    var start = end - 1;
    var k = key(order[start]);
    while (start > 0 && key(order[start - 1]) === k) {
      start--;
    }
    for (var i = start; i < end; i++) {
      out.push(order[i]);
    }
    end = start;
  }
  return out;
}

// A cell of a kind the lists draw alike; false for a kind this does not know. A time
// on another day than the capture (`captured`) is dated.
function plainCell(td, kind, value, shown, captured) {
  if (kind === "number") {
    td.textContent = value === null || value === undefined ? "-" : count(value);
    td.classList.add("num");
  } else if (kind === "time") {
    var when = timeInDayOf(value, captured);
    if (when.length > 8) {
      td.appendChild(datedTime(when));
    } else {
      td.textContent = when;
    }
    td.title = value === null || value === undefined ? "" : fullTime(value);
    td.classList.add("nowrap");
  } else if (kind === "duration") {
    td.textContent = duration(value);
    td.classList.add("nowrap");
  } else if (kind === "text") {
    td.textContent = shown || "-";
    td.title = shown;
  } else {
    return false;
  }
  return true;
}
