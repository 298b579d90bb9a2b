from pathlib import Path

import pytest

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEEDS = sorted(RAW.glob("*.txt"))


def seed(prefix: str) -> Path:
    """A bundled sample report by its number prefix (000 … 004)."""
    return next(p for p in SEEDS if p.name.startswith(prefix))


@pytest.fixture
def seed_path():
    return seed
