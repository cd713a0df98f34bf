/* Gongzhi's own behaviour, in a static file so that the Content-Security-Policy allows no inline
   script: pages mark elements with data attributes and this file gives them their behaviour. */
(function () {
  "use strict";

  // <form data-form-controls="SELECTOR">: Bootstrap's classes on the fields Django rendered bare.
  function styleFields(root) {
    root.querySelectorAll("[data-form-controls]").forEach(function (form) {
      form.querySelectorAll(form.dataset.formControls).forEach(function (field) {
        field.classList.add(field.tagName === "SELECT" ? "form-select" : "form-control");
      });
    });
  }

  // <button data-tree-toggle="ID">: opens or closes the list ID of an organization's children. It runs
  // before htmx (capture phase): closing stops the click so that htmx does not load the list again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-tree-toggle]");
    if (!button) return;
    var expanded = button.getAttribute("aria-expanded") === "true";
    var list = document.getElementById(button.dataset.treeToggle);
    button.setAttribute("aria-expanded", String(!expanded));
    if (list) list.hidden = expanded;
    if (expanded) event.stopPropagation();
  }, true);

  // <button data-print>: prints the page (a QR poster).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // <form data-confirm="QUESTION">: asks before a destructive post.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  // <span data-todo-counts="URL">: the to-do counts ({url_name: count}) as badges on the menu's items
  // (data-todo-badge), their groups (data-todo-group) and the phone's menu button (data-todo-total).
  function todoBadges() {
    var source = document.querySelector("[data-todo-counts]");
    if (!source || !window.fetch) return;
    fetch(source.dataset.todoCounts, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (counts) {
        function show(badge, n) { if (badge && n > 0) { badge.textContent = n; badge.classList.remove("d-none"); } }
        var total = 0;
        document.querySelectorAll("[data-todo-badge]").forEach(function (badge) {
          show(badge, counts[badge.dataset.todoBadge] || 0);
        });
        document.querySelectorAll("[data-todo-group]").forEach(function (toggle) {
          var sum = 0;
          toggle.dataset.todoGroup.trim().split(/\s+/).forEach(function (name) { sum += counts[name] || 0; });
          show(toggle.querySelector("[data-todo-sum]"), sum);
        });
        Object.keys(counts).forEach(function (name) { total += counts[name]; });
        show(document.querySelector("[data-todo-total]"), total);
      })
      .catch(function () { /* badges are a convenience: the home page lists everything */ });
  }

  // A table wider than the screen scrolls inside its .table-responsive: keyboard users reach it (a tab
  // stop, named by the table's caption) only when it does scroll (WCAG 2.1.1, axe scrollable-region-focusable).
  function scrollableTables(root) {
    root.querySelectorAll(".table-responsive:not([tabindex])").forEach(function (region) {
      if (region.scrollWidth <= region.clientWidth) return;
      region.tabIndex = 0;
      var caption = region.querySelector("caption");
      if (caption && !region.hasAttribute("aria-label")) {
        region.setAttribute("role", "region");
        region.setAttribute("aria-label", caption.textContent.trim());
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    styleFields(document); todoBadges(); scrollableTables(document);
  });
  window.addEventListener("resize", function () { scrollableTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    styleFields(event.target); scrollableTables(event.target);
  });
})();
