// The record picker (issue 16 item 4), one mechanism for every form that links archived records
// (push form, 办件 event form, 审批标准 form): search the agency's own records by 档号 or 题名 and
// add them as hidden inputs (named by the picker's data-name), shown as 档号 + 题名 — no internal
// ids typed. With data-single the new choice replaces the old one.
(function () {
  "use strict";

  function setUp(box) {
    var search = box.querySelector(".picker-search");
    var results = box.querySelector(".picker-results");
    var picked = box.querySelector(".picker-picked");
    if (!search || !results || !picked) { return; }
    var name = box.dataset.name || "record_ids";
    var single = box.hasAttribute("data-single");
    var timer = null;

    function chosen(id) {
      return picked.querySelector('input[name="' + name + '"][value="' + id + '"]') !== null;
    }

    function add(item) {
      if (chosen(item.id)) { return; }
      if (single) { picked.textContent = ""; }
      var li = document.createElement("li");
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = name; hidden.value = String(item.id);
      li.appendChild(hidden);
      li.appendChild(document.createTextNode(item.archival_code + " " + item.title + " "));
      var remove = document.createElement("button");
      remove.type = "button"; remove.className = "remove"; remove.textContent = "移除";
      li.appendChild(remove);
      picked.appendChild(li);
    }

    picked.addEventListener("click", function (event) {
      if (event.target.classList.contains("remove")) { event.target.parentNode.remove(); }
    });

    function show(items) {
      results.textContent = "";
      if (!items.length) {
        var none = document.createElement("li");
        none.className = "muted"; none.textContent = "没有找到本单位保管的匹配档案";
        results.appendChild(none);
        return;
      }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button"; button.className = "choice";
        button.textContent = item.archival_code + " " + item.title + (item.case_no ? "（" + item.case_no + "）" : "");
        button.addEventListener("click", function () { add(item); });
        li.appendChild(button);
        results.appendChild(li);
      });
    }

    function run() {
      var q = search.value.trim();
      if (!q) { results.textContent = ""; return; }
      fetch(search.dataset.url + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) { show(data.items || []); });
    }

    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); run(); }
    });
  }

  document.querySelectorAll("[data-record-picker]").forEach(setUp);
}());
