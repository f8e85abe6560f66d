// Builds the dashboard's partial plotly.js bundle, as plotly.js builds its own
// (esbuild-config.js of plotly.js: IIFE global `Plotly`, CSS inlined, Node's `stream` aliased).
//   cd tools/plotly_bundle && npm ci --ignore-scripts && npm run build
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = require('plotly.js/package.json').version;

esbuild
    .build({
        entryPoints: ['./entry.js'],
        outfile: process.argv[2],
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none',
        banner: {
            js: `/* plotly.js v${version} (MIT, Plotly, Inc.), partial bundle of the observatoire: ` +
                'bar, box, scatter, scatterpolar, choropleth, scattergeo */'
        },
        plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
        alias: { stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        logLevel: 'warning'
    })
    .catch(() => process.exit(1));
