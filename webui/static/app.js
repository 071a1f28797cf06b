/* 法治报告检索: keyboard shortcuts and the report page's match navigation. No dependencies, no inline code. */
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupMatches);
  else setupMatches();
})();
