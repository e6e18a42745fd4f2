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

// Every row's number in the order of its rank (`dir` "desc": highest first), ties
// by row: a counting sort, linear in the rows. Ranks are small whole numbers, equal
// for rows that sort alike (a million strings took Chromium over a second to sort).
function rankOrder(ranks, dir) {
  var n = ranks.length;
  var top = 0;
  for (var r = 0; r < n; r++) {
    if (ranks[r] > top) {
      top = ranks[r];
    }
  }
  var desc = dir === "desc";
  var starts = new Uint32Array(top + 2);
  for (r = 0; r < n; r++) {
    starts[(desc ? top - ranks[r] : ranks[r]) + 1]++;
  }
  for (var k = 0; k <= top; k++) {
    starts[k + 1] += starts[k];
  }
  var order = new Uint32Array(n);
  for (r = 0; r < n; r++) {
    order[starts[desc ? top - ranks[r] : ranks[r]]++] = r;
  }
  return order;
}

// Every row's number in the order of `keys` (whole numbers, -Infinity for none,
// which sorts lowest), ascending or "desc", ties by row: a radix sort, 16 bits a
// pass, linear in the rows (a million in some milliseconds). null for keys it
// cannot take (fractions, or a range past 2^52): numberRanks orders those.
function numberOrder(keys, dir) {
  var n = keys.length;
  var low = Infinity, high = -Infinity;
  for (var i = 0; i < n; i++) {
    var v = keys[i];
    if (v === -Infinity) {
      continue;
    }
    if (v !== Math.floor(v)) {
      return null;
    }
    low = v < low ? v : low;
    high = v > high ? v : high;
  }
  var range = low === Infinity ? 1 : high - low + 2;  // 0 for none, then each value
  if (!(range < 4503599627370496)) {
    return null;
  }
  var desc = dir === "desc";
  var lo = new Uint32Array(n), hi = new Uint32Array(n);
  for (i = 0; i < n; i++) {
    var k = keys[i] === -Infinity ? 0 : keys[i] - low + 1;
    k = desc ? range - 1 - k : k;
    lo[i] = k % 4294967296;
    hi[i] = Math.floor(k / 4294967296);
  }
  var passes = range <= 65536 ? 1 : range <= 4294967296 ? 2 : range <= 281474976710656 ? 3 : 4;
  var order = new Uint32Array(n), next = new Uint32Array(n), counts = new Uint32Array(65537);
  for (i = 0; i < n; i++) {
    order[i] = i;
  }
  for (var pass = 0; pass < passes; pass++) {
    var words = pass < 2 ? lo : hi, shift = pass % 2 ? 16 : 0;
    counts.fill(0);
    for (i = 0; i < n; i++) {
      counts[((words[order[i]] >>> shift) & 65535) + 1]++;
    }
    for (var d = 0; d < 65536; d++) {
      counts[d + 1] += counts[d];
    }
    for (i = 0; i < n; i++) {
      var row = order[i];
      next[counts[(words[row] >>> shift) & 65535]++] = row;
    }
    var swap = order;
    order = next;
    next = swap;
  }
  return order;
}

// Dense ranks of numbers: equal numbers share a rank, a larger number has a larger one.
function numberRanks(values) {
  var keys = Float64Array.from(values);
  var distinct = keys.slice().sort();  // a typed array sorts as numbers, natively
  var m = 0;
  for (var i = 0; i < distinct.length; i++) {
    if (m === 0 || distinct[i] !== distinct[m - 1]) {
      distinct[m++] = distinct[i];
    }
  }
  var ranks = new Uint32Array(keys.length);
  for (i = 0; i < keys.length; i++) {
    var low = 0, high = m - 1, key = keys[i];
    while (low < high) {
      var middle = (low + high) >> 1;
      if (distinct[middle] < key) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    ranks[i] = low;
  }
  return ranks;
}

// A column's ranks as its data gives them (renderer/report/columns.py add_sort_ranks):
// for text, in each row (`column.rank` says where) or by shared value (`column.ranks`);
// null for a column the script ranks itself.
function givenRanks(column, rows, i) {
  var n = rows.length;
  var ranks;
  if (column.rank !== undefined) {
    ranks = new Uint32Array(n);
    for (var r = 0; r < n; r++) {
      ranks[r] = rows[r][column.rank];
    }
    return ranks;
  }
  if (column.ranks) {
    ranks = new Uint32Array(n);
    for (r = 0; r < n; r++) {
      var v = rows[r][i];
      v = Array.isArray(v) ? v[0] : v;
      ranks[r] = column.ranks[v] || 0;
    }
    return ranks;
  }
  return null;
}

// Every row's number in the order of a list's column: by the ranks its data gives
// (text), else by the numbers `key(row, position)` gives.
function columnOrder(column, rows, i, key, dir) {
  var ranks = givenRanks(column, rows, i);
  if (ranks) {
    return rankOrder(ranks, dir);
  }
  var keys = rows.map(key);
  return numberOrder(keys, dir) || rankOrder(numberRanks(keys), dir);
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
