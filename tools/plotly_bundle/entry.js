// The traces the dashboard draws, and nothing else (the full plotly.js, 4.8 MB, also holds
// 3D, WebGL, maps and finance traces none of its pages uses). Keep in step with TRACES in
// dashboards/plotly_bundle.py; tests/integration/test_page_bytes.py checks every figure.
'use strict';
var Plotly = require('plotly.js/lib/core'); // includes scatter
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/scatterpolar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);
module.exports = Plotly;
