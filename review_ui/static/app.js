/* Keyboard triage for the review UI. No inline script anywhere: the CSP forbids it.
   Queue: j/k move, Enter/o open, x select, c/d/e decide the current row, ? help.
   Post page: j/k next/previous post, c/d/e decide, r department, n note, u back to queue. */
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var page = document.body.dataset.page;
  var ACTIONS = { c: "confirm", d: "dismiss", e: "escalate" };

  function typing(event) {
    var el = event.target;
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function flash(text) {
    var box = document.getElementById("flashes");
    if (!box) { return; }
    var div = document.createElement("div");
    div.className = "flash";
    div.textContent = text;
    box.replaceChildren(div);
  }

  function toggleHelp() {
    var help = document.getElementById("help");
    if (!help) { return; }
    if (help.open) { help.close(); } else { help.showModal(); }
  }

  /* ---- queue ---- */
  var rows = Array.prototype.slice.call(document.querySelectorAll("#queue tr.row"));
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0) { rows[current].classList.remove("current"); }
    current = index;
    rows[current].classList.add("current");
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function addToTab(status, delta) {
    var count = document.querySelector('nav.tabs [data-tab="' + status + '"] [data-count]');
    if (count) { count.textContent = String(Math.max(0, parseInt(count.textContent, 10) + delta)); }
  }

  function moveCount(from, to) {
    /* The tabs' numbers follow a keyboard decision without a reload. */
    if (from === to) { return; }
    addToTab(from, -1);
    addToTab(to, 1);
  }

  function decideRow(action) {
    /* The decision belongs to the row current at the key press; the cursor moves on at once,
       so a fast c-then-d never decides the same row twice. */
    var row = rows[current];
    if (!row || row.classList.contains("pending")) { return; }
    row.classList.add("pending");
    select(current + 1);
    var body = new URLSearchParams({ action: action, expected_status: row.dataset.statusCode });
    fetch("/posts/" + row.dataset.id + "/decide", {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      row.classList.remove("pending");
      if (!result.ok) { row.classList.add("failed"); flash(result.data.error || "操作失败"); return; }
      var cell = row.querySelector("[data-status]");
      cell.textContent = result.data.status_label;
      cell.className = "status s-" + result.data.status;
      row.dataset.statusCode = result.data.status;
      moveCount(result.data.from, result.data.status);
      row.classList.add("decided");
      row.classList.remove("unseen", "failed");
      flash("帖子 " + result.data.id + "：" + result.data.status_label);
    }).catch(function () {
      row.classList.remove("pending");
      row.classList.add("failed");
      flash("网络错误，请重试");
    });
  }

  function queueKey(event) {
    var key = event.key;
    if (key === "j") { select(current + 1); }
    else if (key === "k") { select(current - 1); }
    else if ((key === "Enter" || key === "o") && rows[current]) { window.location.href = rows[current].dataset.href; }
    else if (key === "x" && rows[current]) {
      var box = rows[current].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
    }
    else if (ACTIONS[key]) { decideRow(ACTIONS[key]); }
    else { return false; }
    return true;
  }

  /* ---- post page ---- */
  var leaving = false;  /* one decision or move per page: no double submits from key repeat */

  function postKey(event) {
    var key = event.key;
    var button = document.querySelector('[data-key="' + key + '"]');
    if (ACTIONS[key] || key === "j" || key === "k" || key === "u") {
      if (!button || button.disabled || leaving) { return !!button; }
      leaving = true;
      button.click();
    } else if (key === "r") { document.getElementById("department").focus(); }
    else if (key === "n") { document.getElementById("note").focus(); }
    else { return false; }
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var handled = false;
    if (event.key === "?") { toggleHelp(); handled = true; }
    else if (page === "queue") { handled = queueKey(event); }
    else if (page === "post") { handled = postKey(event); }
    if (handled) { event.preventDefault(); }
  });

  document.querySelectorAll("[data-help]").forEach(function (el) {
    el.addEventListener("click", toggleHelp);
  });

  rows.forEach(function (row, index) {
    row.addEventListener("click", function (event) {
      if (event.target.tagName !== "INPUT" && event.target.tagName !== "A") { select(index); }
    });
  });

  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (row) { row.querySelector("input[type=checkbox]").checked = all.checked; });
    });
  }

  var assign = document.getElementById("bulk-assign");
  if (assign) {
    assign.addEventListener("click", function (event) {
      if (!document.querySelectorAll('input[name="post_id"]:checked').length) {
        event.preventDefault();
        flash("请先勾选要分配的帖子（x 键或点选）");
      }
    });
  }

  var bulk = document.getElementById("bulk-dismiss");
  if (bulk) {
    bulk.addEventListener("click", function (event) {
      var n = document.querySelectorAll('input[name="post_id"]:checked').length;
      if (!n) { event.preventDefault(); flash("请先勾选要排除的帖子（x 键或点选）"); return; }
      if (!window.confirm("确定排除所选 " + n + " 条帖子？")) { event.preventDefault(); }
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  if (page === "queue") { select(0); }
})();
