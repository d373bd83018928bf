// Send the CSRF token with every htmx request, and draw the charts a page describes in its JSON data block.
document.addEventListener("htmx:configRequest", (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
});

function drawCharts() {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  const charts = JSON.parse(source.textContent);
  for (const [id, config] of Object.entries(charts)) {
    const canvas = document.getElementById(id);
    if (!canvas) continue;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
                                     plugins: { legend: { position: "bottom" } } }, config.options || {});
    canvas.chart = new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  }
}
document.addEventListener("DOMContentLoaded", drawCharts);

// A live fragment answered with the login page means the session ended: go to the login page instead of
// drawing it inside the floor.
document.addEventListener("htmx:beforeSwap", (event) => {
  const url = event.detail.xhr.responseURL || "";
  if (new URL(url, window.location.href).pathname === "/login") {
    event.detail.shouldSwap = false;
    window.location.assign(url);
  }
});
