// Dasbor banding (/laporan/): draws the three charts from the figures the page carries in
// <script type="application/json" id="data-dasbor"> (json_script; not executable, so the CSP
// allows it), the series' names included (marked for translation in reports/dashboard.py).
// The tables next to each chart hold the same numbers.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("data-dasbor");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    };

    var steps = document.getElementById("grafik-langkah");
    if (steps) {
      new window.Chart(steps, {
        type: "bar",
        data: {
          labels: data.steps.labels,
          datasets: [
            { label: data.series.open, data: data.steps.open, backgroundColor: "#0d6efd" },
            { label: data.series.at_risk, data: data.steps.at_risk, backgroundColor: "#ffc107" },
            { label: data.series.overdue, data: data.steps.overdue, backgroundColor: "#dc3545" },
          ],
        },
        options: common,
      });
    }

    var months = document.getElementById("grafik-bulan");
    if (months) {
      new window.Chart(months, {
        type: "line",
        data: {
          labels: data.months.labels,
          datasets: [
            {
              label: data.series.received,
              data: data.months.counts,
              borderColor: "#0d6efd",
              tension: 0.2,
            },
          ],
        },
        options: common,
      });
    }

    var outcomes = document.getElementById("grafik-hasil");
    if (outcomes) {
      new window.Chart(outcomes, {
        type: "bar",
        data: {
          labels: data.outcomes.labels,
          datasets: [
            {
              label: data.series.appeals,
              data: data.outcomes.counts,
              backgroundColor: ["#6c757d", "#198754", "#20c997", "#dc3545"],
            },
          ],
        },
        options: Object.assign({}, common, { plugins: { legend: { display: false } } }),
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
