"""LibreOffice headless, for the tests that open a file the way an analyst's spreadsheet does
(or make one the way a territory does)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
#: Skips a test without LibreOffice (fails it on CI).
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"),
    reason="LibreOffice absent : « apt-get install libreoffice-calc-nogui »",
)


def libreoffice_convert(
    tmp_path, content: bytes, suffix: str, target: str, infilter: str | None = None,
    name: str = "reponses",
) -> bytes:  # fmt: skip
    """The bytes LibreOffice writes when it converts ``content`` (a file ``name + suffix``)
    to ``target`` (``"xlsx"``, ``"csv:Text - txt - csv (StarCalc):59,34,76"``…), read with
    the import filter ``infilter`` when given; its profile lives in ``tmp_path``."""
    source = tmp_path / f"{name}{suffix}"
    source.write_bytes(content)
    out = tmp_path / "out"
    options = [f"--infilter={infilter}"] if infilter else []
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile", *options,
         "--convert-to", target, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return next(out.iterdir()).read_bytes()
