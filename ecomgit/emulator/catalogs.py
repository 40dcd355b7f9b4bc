"""Which shop the emulator serves: the bundled sample catalog, a mirror directory, or a synthetic shop."""

from __future__ import annotations

import os
from pathlib import Path

from ecomgit.emulator.loader import load_catalog
from ecomgit.emulator.store import Shop
from ecomgit.emulator.synthetic import synthetic_shop
from ecomgit.errors import ConfigError

ENV_SAMPLE = "ECOMGIT_SAMPLE_CATALOG"


SAMPLE = Path(__file__).resolve().parent.parent / "sample_catalog"  # package data: in every install


def sample_catalog_dir() -> Path:
    """The sample shop the package ships (``ecomgit/sample_catalog/``, also ``sample-catalog/`` in a
    checkout), or the mirror directory ``ECOMGIT_SAMPLE_CATALOG`` names."""
    if os.environ.get(ENV_SAMPLE):
        return Path(os.environ[ENV_SAMPLE])
    if (SAMPLE / "products").is_dir():
        return SAMPLE
    raise ConfigError(
        f"the sample catalog is missing from this installation ({SAMPLE}); reinstall ecomgit, or point "
        f"{ENV_SAMPLE} at a mirror directory"
    )


def build_shop(catalog: Path | None = None, synthetic: int | None = None) -> Shop:
    if catalog is not None and synthetic is not None:
        raise ConfigError("give --catalog or --synthetic, not both")
    if synthetic is not None:
        return synthetic_shop(synthetic)
    return load_catalog(catalog or sample_catalog_dir())
