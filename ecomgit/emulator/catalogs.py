"""Which shop the emulator serves: the bundled sample catalog, a mirror directory, or a synthetic shop."""

from __future__ import annotations

import os
from pathlib import Path

from ecomgit.emulator.loader import load_catalog
from ecomgit.emulator.store import Shop
from ecomgit.emulator.synthetic import synthetic_shop
from ecomgit.errors import ConfigError

ENV_SAMPLE = "ECOMGIT_SAMPLE_CATALOG"


def sample_catalog_dir() -> Path:
    """The bundled ``sample-catalog/`` (next to the package in a checkout or editable install)."""
    if os.environ.get(ENV_SAMPLE):
        return Path(os.environ[ENV_SAMPLE])
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "sample-catalog", here.parent / "sample_catalog"):
        if (candidate / "products").is_dir():
            return candidate
    raise ConfigError(
        "cannot find the bundled sample-catalog/; install ecomgit from its source checkout "
        f"(pip install -e .), or point {ENV_SAMPLE} at a mirror directory"
    )


def build_shop(catalog: Path | None = None, synthetic: int | None = None) -> Shop:
    if catalog is not None and synthetic is not None:
        raise ConfigError("give --catalog or --synthetic, not both")
    if synthetic is not None:
        return synthetic_shop(synthetic)
    return load_catalog(catalog or sample_catalog_dir())
