// Draws the dashboard's charts (data from the json_script element).
(function () {
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) return;
    new Chart(canvas, {
      type: chart.type,
      data: {labels: chart.labels, datasets: chart.datasets.map(function (d) {
        return Object.assign({backgroundColor: "#1d4f91", borderColor: "#1d4f91"}, d);
      })},
      options: {responsive: true, maintainAspectRatio: false, plugins: {legend: {display: false}},
                scales: {y: {beginAtZero: true, ticks: {precision: 0}}}}
    });
  });
})();
