"""The methodology page without a browser, on the published file of a real pipeline run."""

from __future__ import annotations

import dashboards.app  # noqa: F401  (builds the app, which registers the pages)
from dashboards import ids
from dashboards.pages import methodologie
from tests.helpers import _component, _rows, _texts


def test_the_page_describes_the_current_version(published_copy):
    from dashboards.app import app

    with app.server.test_request_context("/"):
        page = methodologie.layout()
    text = _texts(page)
    assert _rows(_component(page, ids.METHOD_AXES_TABLE)) == 10
    assert len(_component(page, ids.METHOD_QUESTIONS).children) == 10
    assert "Laboratoire d'innovation" in text
    assert "La collectivité dispose-t-elle d'un laboratoire d'innovation publique" in text
    assert _rows(_component(page, ids.METHOD_SENSITIVITY_TABLE)) == 3
    assert _rows(_component(page, ids.METHOD_LEVELS)) == 5
    assert "Aucune rupture de série" in text
    # A single version: no selector to show.
    assert page.children[2].hidden is True
