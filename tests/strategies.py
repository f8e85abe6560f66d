"""Hypothesis strategies shared by the property-based tests: damaged submission files."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from domain.questionnaire import load_questionnaires
from pipelines.demo import demo_rows, to_csv_bytes

#: A valid file of DEP-13 for 2026, which the strategies damage.
VALID = to_csv_bytes(
    demo_rows(pd.Series({"code": "DEP-13", "kind": "DEP", "population": 2_000_000}), 2026, 0.5,
              load_questionnaires().current, seed=3)
)  # fmt: skip


@st.composite
def malformed_files(draw) -> bytes:
    """Valid files damaged the ways files get damaged, or plain garbage."""
    kind = draw(
        st.sampled_from(["truncated", "garbage", "inserted", "huge_field", "wrong_type", "spliced"])
    )
    if kind == "truncated":
        return VALID[: draw(st.integers(0, len(VALID)))]
    if kind == "garbage":
        return draw(st.binary(max_size=2000))
    if kind == "inserted":
        at = draw(st.integers(0, len(VALID)))
        return VALID[:at] + draw(st.binary(min_size=1, max_size=50)) + VALID[at:]
    if kind == "huge_field":
        size = draw(st.integers(10_000, 300_000))
        quote = draw(st.sampled_from([b"", b'"']))
        return VALID + b"DEP-13;2026;LAB_01;" + quote + b"x" * size + b"\r\n"
    if kind == "wrong_type":
        lines = VALID.split(b"\r\n")
        at = draw(st.integers(1, len(lines) - 2))
        cells = lines[at].split(b";")
        column = draw(st.integers(0, len(cells) - 1))
        cells[column] = draw(st.text(max_size=30)).encode("utf-8", "replace").replace(b"\r", b"")
        lines[at] = b";".join(cells)
        return b"\r\n".join(lines)
    prefix = draw(st.sampled_from([b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf", b""]))
    return prefix + draw(st.binary(max_size=500)) + VALID[: draw(st.integers(0, 300))]
