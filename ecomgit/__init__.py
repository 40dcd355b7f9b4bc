"""ecomgit: a Lightspeed eCom (C-Series) catalog kept in git."""

__version__ = "0.1.0"
