/* 法治报告检索, /compare: the columns scroll in step, section by section. No dependencies, no inline code.
   Scrolling one column puts every other column at the same section (data-step) and the same fraction of it;
   a column without that section goes to its end. */
(function () {
  "use strict";

  function sections(body) { return body.querySelectorAll(".cmp-sec"); }

  // Where a column is: [section index, fraction of that section above the top edge].
  function position(body) {
    var secs = sections(body);
    var top = body.scrollTop;
    for (var i = secs.length - 1; i >= 0; i--) {
      if (secs[i].offsetTop <= top + 1) {
        var height = Math.max(secs[i].offsetHeight, 1);
        return [i, Math.min((top - secs[i].offsetTop) / height, 1)];
      }
    }
    return [0, 0];
  }

  function moveTo(body, step, fraction) {
    var secs = sections(body);
    if (secs.length === 0) return;
    if (step >= secs.length) { body.scrollTop = body.scrollHeight; return; }
    body.scrollTop = secs[step].offsetTop + fraction * secs[step].offsetHeight;
  }

  function setup() {
    var bodies = document.querySelectorAll("#compare .cmp-body");
    var toggle = document.getElementById("sync-scroll");
    if (bodies.length < 2 || !toggle) return;
    var driver = null;
    var release = null;
    Array.prototype.forEach.call(bodies, function (body) {
      body.addEventListener("scroll", function () {
        if (!toggle.checked || (driver && driver !== body)) return;
        driver = body;  // the column the reader scrolls; the others follow and their events are ignored
        clearTimeout(release);
        release = setTimeout(function () { driver = null; }, 200);
        var at = position(body);
        Array.prototype.forEach.call(bodies, function (other) {
          if (other !== body) moveTo(other, at[0], at[1]);
        });
      }, {passive: true});
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
