"""The partial plotly.js bundle: same version as the plotly package, served as accepted."""

from __future__ import annotations

import gzip

import brotli
from plotly.offline import get_plotlyjs_version

from dashboards.plotly_bundle import BUNDLE_PATH, bundle_version, chosen_encoding, encodings


def test_the_bundle_is_the_plotly_js_of_the_installed_plotly():
    # A plotly upgrade without rebuilding tools/plotly_bundle fails here.
    assert bundle_version() == get_plotlyjs_version()


def test_each_encoding_decodes_to_the_bundle_and_the_browser_choice_is_honoured():
    raw = BUNDLE_PATH.read_bytes()
    bundles = encodings()
    assert brotli.decompress(bundles["br"].body) == raw
    assert gzip.decompress(bundles["gzip"].body) == raw
    assert bundles["identity"].body == raw
    assert len({bundle.etag for bundle in bundles.values()}) == 3
    assert chosen_encoding("gzip, deflate, br, zstd") == "br"
    assert chosen_encoding("gzip;q=1.0, deflate") == "gzip"
    assert chosen_encoding("") == "identity"
