// Draws the dashboard charts from the JSON the server embedded in the page.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  Chart.defaults.font.family = "system-ui, 'Noto Sans Thai', 'Tahoma', sans-serif";
  Chart.defaults.animation = false;  // quicker on a phone
  Chart.defaults.maintainAspectRatio = false;

  new Chart(document.getElementById("chart-weekly"), {
    type: "bar",
    data: data.weekly,
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
    }
  });

  function horizontal(id, series, colour) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.data, backgroundColor: colour, maxBarThickness: 28 }] },
      options: {
        indexAxis: "y",
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } }
      }
    });
  }
  horizontal("chart-agency", data.agency, "#0072B2");
  horizontal("chart-province", data.province, "#D55E00");
  document.body.setAttribute("data-charts", "ready");
})();
