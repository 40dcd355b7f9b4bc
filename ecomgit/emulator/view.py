"""What every rendered object depends on: the shop, the request's language and its base URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecomgit.emulator.model import Image, Text, Texts
from ecomgit.emulator.store import Shop

THUMB_SIZE = "50x50x2"


@dataclass(frozen=True, slots=True)
class View:
    shop: Shop
    lang: str
    root: str  # "http://127.0.0.1:8123", no trailing slash

    def text(self, texts: Texts, name: str) -> str | bool:
        """A translatable field in this view's language; ``false`` for none, as the API says."""
        own = texts.get(self.lang)
        if own is not None and name in own:
            return _api_text(own[name])
        return _api_text(texts.get(self.shop.default_language, {}).get(name, ""))

    def pick(self, values: Mapping[str, Text]) -> str | bool:
        """One language's value from ``{code: text}`` (a variant title)."""
        if self.lang in values:
            return _api_text(values[self.lang])
        return _api_text(values.get(self.shop.default_language, ""))

    def api(self, path: str) -> str:
        """``categories/products?product=5`` → ``{root}/{lang}/categories/products.json?product=5``."""
        base, _, query = path.partition("?")
        url = f"{self.root}/{self.lang}/{base}.json"
        return f"{url}?{query}" if query else url

    def link(self, path: str, item_id: int | bool = False) -> dict[str, Any]:
        return {"resource": {"id": item_id, "url": path, "link": self.api(path)}}

    def ref(self, collection: str, item_id: int | None) -> dict[str, Any] | bool:
        """A link to one object (``brands/5``), or ``false`` when there is none."""
        if item_id is None:
            return False
        return self.link(f"{collection}/{item_id}", item_id)

    def src(self, image: Image) -> str:
        if image.host is not None:
            return f"https://{image.host}/shops/{self.shop.info.id}/files/{image.file_id}/{image.name}{_dot(image.ext)}"
        return f"{self._files()}/{image.file_id}/{image.name}{_dot(image.ext)}"

    def thumb(self, image: Image) -> str:
        return f"{self._files()}/{image.file_id}/{THUMB_SIZE}/{image.name}{_dot(image.ext)}"

    def _files(self) -> str:
        return f"{self.root}/cdn/shops/{self.shop.info.id}/files"


def _dot(ext: str) -> str:
    return f".{ext}" if ext else ""


def _api_text(value: Text) -> str | bool:
    return False if value is None else value
