// ---- keys: ? lists the shortcuts, / goes to the search box, Esc closes or leaves ----

var SHORTCUTS = [
  ["?", "Show this list of keyboard shortcuts"],
  ["/", "Go to the search box"],
  ["Esc", "Close this list, or leave the search box"]
];

function typingIn(node) {
  if (!node || !node.tagName) {
    return false;
  }
  var tag = node.tagName.toLowerCase();
  return tag === "input" || tag === "textarea" || tag === "select" || node.isContentEditable;
}

// The header's search box if the page has one, else the page's own (the first shown).
function searchBox() {
  var site = document.getElementById("site-search");
  if (site) {
    return site;
  }
  var boxes = all("[data-search-input], [data-log-search]").filter(function (input) {
    return input.offsetParent !== null;
  });
  return boxes[0] || null;
}

function shortcutsDialog() {
  var dialog = document.getElementById("shortcuts");
  if (dialog) {
    return dialog;
  }
  dialog = el("dialog", "shortcuts");
  dialog.id = "shortcuts";
  dialog.setAttribute("aria-labelledby", "shortcuts-title");
  var title = el("h2", null, "Keyboard shortcuts");
  title.id = "shortcuts-title";
  dialog.appendChild(title);
  var list = el("dl", "shortcut-list");
  SHORTCUTS.forEach(function (shortcut) {
    var key = el("dt");
    key.appendChild(el("kbd", null, shortcut[0]));
    list.appendChild(key);
    list.appendChild(el("dd", null, shortcut[1]));
  });
  dialog.appendChild(list);
  dialog.appendChild(el("p", "muted small", "Not while typing in a box; Esc leaves it first."));
  var close = el("button", "shortcuts-close", "Close");
  close.type = "button";
  close.addEventListener("click", function () {
    dialog.close();
  });
  dialog.appendChild(close);
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) {
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) {
        dialog.close();
      }
    }
  });
  document.body.appendChild(dialog);
  return dialog;
}

function listenToKeys() {
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var open = document.querySelector("dialog.shortcuts[open]");
    if (event.key === "Escape") {
      if (open) {
        open.close();
        event.preventDefault();
      } else if (typingIn(event.target)) {
        event.target.blur();
      }
      return;
    }
    if (typingIn(event.target) || open) {
      return;
    }
    if (event.key === "?") {
      event.preventDefault();
      shortcutsDialog().showModal();
    } else if (event.key === "/") {
      var box = searchBox();
      if (box) {
        event.preventDefault();
        box.focus();
        box.select();
      }
    }
  });
}

ready(listenToKeys);
