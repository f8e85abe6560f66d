/*
 * Fiche territoire, printing (served by Dash from the assets folder: nothing external).
 *
 * Charts are drawn at screen size, and browsers fire no resize when they lay a page out for
 * print: before printing (the fiche's button or the browser's own command), the charts are
 * redrawn at their print size, without the legend entries of hidden lines (the axes of the
 * evolution chart), and back as they were afterwards. `Plotly.react` (not `relayout`) so
 * that dcc.Graph, which hears no relayout event, does not redraw them at once from its
 * props.
 *
 * The sizes come from the page: the element carrying `data-print-sizes` (the fiche's print
 * button) holds `{"width": <px>, "heights": {<graph id>: <px>, ...}}`. Pages without it
 * print as they are.
 */
(function () {
    "use strict";

    var saved = [];

    function printSizes() {
        var holder = document.querySelector("[data-print-sizes]");
        if (!holder) {
            return null;
        }
        try {
            return JSON.parse(holder.getAttribute("data-print-sizes"));
        } catch (error) {
            return null;
        }
    }

    window.addEventListener("beforeprint", function () {
        var sizes = printSizes();
        saved = [];
        if (!sizes || !window.Plotly) {
            return;
        }
        Object.keys(sizes.heights || {}).forEach(function (id) {
            var plot = document.querySelector("#" + CSS.escape(id) + " .js-plotly-plot");
            if (!plot || !plot.layout) {
                return;
            }
            // Back at the height drawn on screen (dcc.Graph keeps it out of layout).
            saved.push([
                plot,
                plot.data,
                Object.assign({}, plot.layout, {height: plot._fullLayout.height}),
            ]);
            var data = plot.data.map(function (trace) {
                return trace.visible === "legendonly"
                    ? Object.assign({}, trace, {showlegend: false})
                    : trace;
            });
            // Legend entries as wide as their text: the few left fit on one line.
            var legend = Object.assign({}, plot.layout.legend, {
                entrywidth: 0,
                entrywidthmode: "pixels",
            });
            window.Plotly.react(
                plot,
                data,
                Object.assign({}, plot.layout, {
                    height: sizes.heights[id],
                    width: sizes.width,
                    legend: legend,
                })
            );
        });
    });

    window.addEventListener("afterprint", function () {
        saved.forEach(function (entry) {
            window.Plotly.react(entry[0], entry[1], entry[2]);
        });
        saved = [];
    });

    // The print button: the browser's print dialog also offers "Save as PDF"; the print
    // style sheet (style.css, `@media print`) lays the fiche out on one A4 page.
    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.observatoire = Object.assign({}, window.dash_clientside.observatoire, {
        printFiche: function (clicks) {
            if (clicks) {
                window.print();
            }
        },
    });
})();
