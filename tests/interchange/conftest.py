from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def upload_folder(settings: Any, tmp_path: Path) -> Path:
    """Uploads waiting to be imported go to this test's own folder, so each test sees its own."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]
