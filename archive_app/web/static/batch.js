// Follows a bulk run: polls the batch's progress and fills the table; stops when nothing is pending.
(function () {
  const box = document.getElementById("batch");
  if (!box) return;
  const labels = {pending: "生成中", issued: "已发文", failed: "生成失败", voided: "已作废"};
  function cell(text) { const td = document.createElement("td"); td.textContent = text; return td; }
  async function poll() {
    const res = await fetch(box.dataset.url, {credentials: "same-origin"});
    if (!res.ok) { document.getElementById("summary").textContent = "无法获取进度（" + res.status + "）"; return; }
    const data = await res.json();
    const bar = document.getElementById("bar");
    bar.max = data.total || 1; bar.value = data.done;
    const issued = data.counts.issued || 0, failed = data.counts.failed || 0;
    document.getElementById("summary").textContent =
      "已完成 " + data.done + " / " + data.total + "：已发文 " + issued + " 件，失败 " + failed + " 件" +
      (data.done < data.total ? "，正在生成……" : "。全部完成。");
    const body = document.getElementById("items");
    body.replaceChildren(...data.items.map(function (d) {
      const tr = document.createElement("tr");
      const a = document.createElement("a"); a.href = d.url; a.textContent = d.doc_no;
      const td = document.createElement("td"); td.appendChild(a); tr.appendChild(td);
      tr.appendChild(cell(d.title));
      tr.appendChild(cell(labels[d.status] + (d.error ? "：" + d.error : "")));
      return tr;
    }));
    if (data.done < data.total) setTimeout(poll, 1000);
  }
  poll();
})();
