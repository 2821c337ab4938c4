(function () {
  "use strict";
  var KEYS = ["rule", "severity", "check", "touchpoint", "failures"];
  var controls = {};
  KEYS.forEach(function (key) { controls[key] = document.getElementById("filter-" + key); });
  function all(scope, selector) { return Array.prototype.slice.call(scope.querySelectorAll(selector)); }
  var findings = all(document, ".finding");
  // Each box with its finding and the section that finding is folded in, found once: a report of
  // a thousand journeys is filtered without searching the page again.
  var boxes = all(document, ".shot__boxes .box").map(function (box) {
    var finding = document.getElementById(box.dataset.finding);
    return { box: box, finding: finding, section: finding && finding.closest("details") };
  });
  var journeys = all(document, ".journey").map(function (section) {
    return {
      section: section,
      findings: all(section, ".finding"),
      shots: all(section, ".shot"),
      apart: all(section, ".apart").map(function (apart) { return { element: apart, findings: all(apart, ".finding") }; }),
      cells: all(section, ".matrix [data-touchpoint]")
    };
  });

  // Changing an attribute to the value it has still costs the browser a style pass over the page.
  function setHidden(element, hidden) { if (element.hidden !== hidden) { element.hidden = hidden; } }
  function isShown(finding) { return !finding.hidden; }
  var count = document.getElementById("filter-count");
  var states = document.getElementById("filter-states");
  var noMatch = document.getElementById("no-match");

  function readHash() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") < 0) { return null; }
    var params = new URLSearchParams(hash);
    var state = {};
    KEYS.forEach(function (key) { state[key] = params.get(key) || ""; });
    return state;
  }

  function readControls() {
    var state = {};
    KEYS.forEach(function (key) {
      var control = controls[key];
      state[key] = control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
    });
    return state;
  }

  function setControls(state) {
    KEYS.forEach(function (key) {
      var control = controls[key];
      if (control.type === "checkbox") {
        control.checked = state[key] === "1";
      } else {
        var known = Array.prototype.some.call(control.options, function (option) { return option.value === state[key]; });
        control.value = known ? state[key] : "";
      }
    });
  }

  function writeHash(state) {
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    var text = params.toString();
    var base = location.href.split("#")[0];
    if (location.hash.slice(1) !== text) { history.replaceState(null, "", text ? base + "#" + text : base); }
  }

  function matches(finding, state) {
    var data = finding.dataset;
    return (!state.rule || data.rule === state.rule) &&
      (!state.severity || data.severity === state.severity) &&
      (!state.check || data.check === state.check) &&
      (!state.touchpoint || data.touchpoints.split(" ").indexOf(state.touchpoint) >= 0) &&
      (!state.failures || (data.state === "new" && data.severity === "error"));
  }

  // A box is drawn while its finding is shown: a new one when the filters match it, an accepted one
  // only when the filters also select it or its "Accepted findings" section is open.
  function drawBoxes(state) {
    var narrowed = Boolean(state.rule || state.severity || state.check || state.touchpoint);
    boxes.forEach(function (item) {
      var shown = Boolean(item.finding) && !item.finding.hidden &&
        (item.box.dataset.state !== "accepted" || narrowed || Boolean(item.section && item.section.open));
      if (item.box.classList.contains("is-filtered") === shown) { item.box.classList.toggle("is-filtered", !shown); }
    });
  }

  function apply(state) {
    var narrowed = Boolean(state.rule || state.severity || state.check || state.touchpoint);
    var shownFindings = 0;
    var byState = { "new": 0, accepted: 0, fixed: 0 };
    findings.forEach(function (finding) {
      var show = matches(finding, state);
      setHidden(finding, !show);
      if (show) { shownFindings += 1; byState[finding.dataset.state] += 1; }
    });
    drawBoxes(state);
    var shownJourneys = 0;
    journeys.forEach(function (journey) {
      var visible = journey.findings.filter(isShown).length;
      var hasTouchpoint = false;
      journey.shots.forEach(function (shot) {
        var mine = !state.touchpoint || shot.dataset.touchpoint === state.touchpoint;
        setHidden(shot, !mine);
        hasTouchpoint = hasTouchpoint || (Boolean(state.touchpoint) && mine);
      });
      journey.cells.forEach(function (cell) {
        setHidden(cell, Boolean(state.touchpoint) && cell.dataset.touchpoint !== state.touchpoint);
      });
      journey.apart.forEach(function (apart) { setHidden(apart.element, !apart.findings.some(isShown)); });
      var show = !(state.failures && journey.section.dataset.status === "passed") &&
        (!narrowed || visible > 0 || hasTouchpoint);
      setHidden(journey.section, !show);
      if (show) { shownJourneys += 1; }
    });
    noMatch.hidden = shownJourneys > 0 || journeys.length === 0;
    count.textContent = "Showing " + shownFindings + " of " + findings.length + " findings in " +
      shownJourneys + " of " + journeys.length + " journeys";
    states.textContent = Object.keys(byState).filter(function (key) { return byState[key] > 0; })
      .map(function (key) { return byState[key] + " " + key; }).join(" · ");
  }

  function update() {
    var state = readControls();
    writeHash(state);
    apply(state);
  }

  function restore() {
    var state = readHash();
    if (state) { setControls(state); }
    apply(readControls());
  }

  function reset() {
    KEYS.forEach(function (key) { controls[key].value = ""; controls[key].checked = false; });
    update();
  }

  function activate(findingId) {
    Array.prototype.forEach.call(document.querySelectorAll(".is-active"), function (element) { element.classList.remove("is-active"); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-finding="' + findingId + '"].box, #' + findingId), function (element) {
      element.classList.add("is-active");
    });
  }

  function showOnScreenshot(button) {
    var shot = document.getElementById(button.dataset.shot);
    if (!shot) { return; }
    activate(button.dataset.finding);
    var frame = shot.querySelector(".shot__frame");
    var image = shot.querySelector(".shot__canvas img");
    var box = shot.querySelector('.box[data-finding="' + button.dataset.finding + '"]');
    if (frame && image && box) {
      var scale = image.clientWidth / Number(image.getAttribute("width"));
      frame.scrollTop = Math.max(0, Number(box.dataset.y) * scale - frame.clientHeight / 3);
    }
    shot.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // Served by `onevoice review`, the page carries a per-session token and may POST acceptances
  // back to that server; opened from disk it has neither, and shows the approve commands instead.
  var review = document.querySelector('meta[name="onevoice-review"]');

  function markAccepted(scope, message) {
    Array.prototype.forEach.call(scope.querySelectorAll(".accept__button"), function (other) {
      other.disabled = true;
      other.textContent = "Accepted";
    });
    Array.prototype.forEach.call(scope.querySelectorAll(".finding--new"), function (finding) { finding.classList.add("is-accepted"); });
    if (scope.classList.contains("finding")) { scope.classList.add("is-accepted"); }
    return message;
  }

  function accept(button) {
    var kind = button.dataset.acceptFinding ? "finding" : "journey";
    var body = {};
    body[kind] = kind === "finding" ? button.dataset.acceptFinding : button.dataset.acceptJourney;
    var status = button.parentNode.querySelector(".accept__status");
    button.disabled = true;
    status.textContent = "Accepting…";
    fetch("/accept", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Onevoice-Token": review.content },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    }).then(function (data) {
      status.textContent = markAccepted(button.closest(kind === "finding" ? ".finding" : ".journey"), data.message);
    }).catch(function (error) {
      button.disabled = false;
      status.textContent = "Not accepted: " + error.message;
    });
  }

  if (review) {
    Array.prototype.forEach.call(document.querySelectorAll(".accept"), function (line) {
      line.querySelector(".accept__command").hidden = true;
      line.querySelector(".accept__button").hidden = false;
    });
  }

  KEYS.forEach(function (key) { controls[key].addEventListener("change", update); });
  Array.prototype.forEach.call(document.querySelectorAll("details.apart"), function (section) {
    section.addEventListener("toggle", function () { drawBoxes(readControls()); });
  });
  document.getElementById("filter-reset").addEventListener("click", reset);
  document.addEventListener("click", function (event) {
    var target = event.target;
    var evidence = target.closest && target.closest(".evidence[data-shot]");
    if (evidence) { showOnScreenshot(evidence); return; }
    if (target.closest && target.closest("[data-reset]")) { reset(); return; }
    var acceptButton = review && target.closest && target.closest(".accept__button");
    if (acceptButton) { accept(acceptButton); return; }
    var box = target.closest && target.closest(".box");
    if (box) {
      var finding = document.getElementById(box.dataset.finding);
      if (finding) {
        var apart = finding.closest("details");
        if (apart) { apart.open = true; }
        activate(box.dataset.finding);
        finding.scrollIntoView({ block: "center" });
      }
    }
  });
  window.addEventListener("hashchange", restore);
  restore();
})();
