/* Dashboards and the big screen: each <div data-chart="ID"> becomes an Apache ECharts chart (the bundled
   copy in static/vendor) from the JSON in <script type="application/json" id="ID">. A bar with a link
   opens that sub-organization's dashboard. No inline script: the Content-Security-Policy allows none. */
(function () {
  "use strict";
  if (!window.echarts) return;
  var PALETTE = ["#b71c1c", "#f9a825", "#1565c0", "#2e7d32", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037"];
  var charts = [];

  function option(data, dark) {
    var text = dark ? "#e9ecef" : "#212529";
    var base = {
      color: PALETTE, backgroundColor: "transparent", textStyle: {color: text, fontSize: dark ? 16 : 12},
      tooltip: {trigger: data.kind === "pie" ? "item" : "axis", confine: true},
      animation: !window.matchMedia("(prefers-reduced-motion: reduce)").matches
    };
    if (data.kind === "pie") {
      base.legend = {bottom: 0, type: "scroll", textStyle: {color: text}};
      base.series = [{type: "pie", radius: ["35%", "65%"], top: 0, bottom: 30, label: {show: false},
        data: data.labels.map(function (label, i) { return {name: label, value: data.series[0].data[i]}; })}];
      return base;
    }
    base.grid = {left: 8, right: 8, top: 16, bottom: 8, containLabel: true};
    base.xAxis = {type: "category", data: data.labels,
      axisLabel: {color: text, interval: data.kind === "bar" ? 0 : "auto", rotate: data.labels.length > (data.kind === "bar" ? 3 : 6) ? 30 : 0,
        width: 90, overflow: "truncate"}};
    base.yAxis = {type: "value", axisLabel: {color: text}, splitLine: {lineStyle: {color: dark ? "#495057" : "#dee2e6"}}};
    base.series = data.series.map(function (s) {
      return {name: s.name, type: data.kind === "bar" ? "bar" : "line", data: s.data, smooth: true,
        cursor: data.links && data.links.some(Boolean) ? "pointer" : "default"};
    });
    return base;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var dark = element.dataset.chartTheme === "dark";
    var chart = window.echarts.init(element, null, {renderer: "svg"});
    chart.setOption(option(data, dark));
    if (data.links && data.links.some(Boolean)) {
      chart.on("click", function (params) {
        var link = data.links[params.dataIndex];
        if (link) window.location.href = link;
      });
    }
    charts.push(chart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
    // <body data-refresh="SECONDS">: the big screen reloads itself (a hall display has no one to press F5).
    var refresh = parseInt(document.body.dataset.refresh || "0", 10);
    if (refresh > 0) window.setTimeout(function () { window.location.reload(); }, refresh * 1000);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
