// A return being built or checked: ask every few seconds how far it has got, say each new
// step in the page's status line (read out by screen readers), and show the page again when it
// has finished (without script, the page's link does this).
(function () {
  var job = document.getElementById("job");
  if (!job) return;
  var url = job.getAttribute("data-status-url");
  var step = document.getElementById("job-step");
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.finished) {
          window.location.reload();
          return;
        }
        if (step && state.step && step.textContent !== state.step) step.textContent = state.step;
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1500);
})();
