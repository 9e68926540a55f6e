// Draws the progress dashboard's charts (Chart.js, static/vendor/chartjs).
// Each <canvas data-chart="ID"> takes its data from the JSON script element
// ID that the page writes with json_script: labels come translated.
(function () {
  "use strict";

  const COLOURS = ["#198754", "#0d6efd", "#adb5bd", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d"];
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // A dashed line across the chart at options.value on the value axis, with its label.
  const targetLine = {
    id: "targetLine",
    afterDatasetsDraw(chart, _args, options) {
      if (options.value === undefined) return;
      const { ctx, chartArea } = chart;
      const y = chart.scales.y.getPixelForValue(options.value);
      ctx.save();
      ctx.strokeStyle = "#dc3545";
      ctx.fillStyle = "#dc3545";
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(chartArea.left, y);
      ctx.lineTo(chartArea.right, y);
      ctx.stroke();
      ctx.textAlign = "right";
      ctx.fillText(options.label, chartArea.right - 4, y - 6);
      ctx.restore();
    },
  };

  function config(spec) {
    const valueAxis = spec.horizontal ? "x" : "y";
    const categoryAxis = spec.horizontal ? "y" : "x";
    const value = { stacked: spec.stacked, beginAtZero: spec.min === undefined, min: spec.min, max: spec.max, ticks: { precision: 0 } };
    if (spec.percent) value.ticks.callback = (tick) => tick + "%";
    if (spec.min !== undefined) value.ticks.precision = 1;
    return {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((dataset, i) => ({
          ...dataset,
          backgroundColor: COLOURS[i % COLOURS.length],
          borderColor: COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        indexAxis: categoryAxis,
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : undefined,
        scales: { [categoryAxis]: { stacked: spec.stacked }, [valueAxis]: value },
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          targetLine: spec.target || {},
        },
      },
      plugins: [targetLine],
    };
  }

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (source) new window.Chart(canvas, config(JSON.parse(source.textContent)));
  });
})();
