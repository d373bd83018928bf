// Draw the charts a page describes in its JSON data block (one Chart.js config per canvas id).
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
