/* 法治报告检索: keyboard shortcuts, the report page's match navigation, the excerpt basket. No dependencies, no inline code. */
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  // "/" focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var box = document.getElementById("q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Report page: previous / next match, with the position shown and kept in the URL hash (#m-N).
  function setupMatches() {
    var bar = document.getElementById("matchbar");
    var marks = document.querySelectorAll("mark[id^='m-']");
    if (!bar || marks.length === 0) return;
    var prev = document.getElementById("prev-match");
    var next = document.getElementById("next-match");
    var pos = document.getElementById("match-pos");
    var current = -1;
    var fromHash = /^#m-(\d+)$/.exec(window.location.hash);
    if (fromHash) current = Math.min(parseInt(fromHash[1], 10), marks.length) - 1;

    function show(index, scroll) {
      if (current >= 0) marks[current].classList.remove("current");
      current = (index + marks.length) % marks.length;
      var mark = marks[current];
      mark.classList.add("current");
      if (scroll) mark.scrollIntoView({block: "center"});
      history.replaceState(null, "", "#" + mark.id);
      pos.textContent = "第 " + (current + 1) + " / " + marks.length + " 处";
    }

    if (current >= 0) show(current, true);
    prev.addEventListener("click", function (event) { event.preventDefault(); show(current < 0 ? -1 : current - 1, true); });
    next.addEventListener("click", function (event) { event.preventDefault(); show(current + 1, true); });
    document.addEventListener("keydown", function (event) {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "n") { event.preventDefault(); show(current + 1, true); }
      if (event.key === "p") { event.preventDefault(); show(current < 0 ? -1 : current - 1, true); }
    });
  }

  // The excerpt basket: its state is the URL of the basket page (x=<file>#p-N, repeated); this page remembers
  // it between pages (localStorage) so that the 摘录 buttons can add to it, and shows it in the header link.
  var KEY = "reports-excerpts";

  function loadBasket() {
    try {
      var items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (x) { return typeof x === "string"; }) : [];
    } catch (e) { return []; }
  }

  function saveBasket(items) {
    try { window.localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* private mode: URL only */ }
  }

  function basketUrl(base, items) {
    return items.length ? base + "?" + items.map(function (x) { return "x=" + encodeURIComponent(x); }).join("&") : base;
  }

  function setupBasket() {
    var link = document.getElementById("basket-link");
    if (!link) return;
    var base = link.getAttribute("data-base");
    var page = document.getElementById("excerpts");
    var items = page ? new URLSearchParams(window.location.search).getAll("x") : loadBasket();
    if (page) saveBasket(items);  // the basket page's URL is the basket

    function show() {
      document.getElementById("basket-count").textContent = String(items.length);
      link.href = basketUrl(base, items);
      link.classList.toggle("empty", items.length === 0);
    }

    var buttons = document.querySelectorAll("button.add-excerpt[data-excerpt]");
    Array.prototype.forEach.call(buttons, function (button) {
      var value = button.getAttribute("data-excerpt");
      if (items.indexOf(value) >= 0) { button.classList.add("added"); button.textContent = "已摘录"; }
      button.hidden = false;
      button.addEventListener("click", function () {
        items = loadBasket();
        if (items.indexOf(value) < 0) items.push(value);
        saveBasket(items);
        button.classList.add("added");
        button.textContent = "已摘录";
        show();
      });
    });
    show();
  }

  function setup() {
    setupMatches();
    setupBasket();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
