"""The shop's REST API: a paced, retrying, secret-safe client and readers for its value quirks.

ShopClient          requests, paging, errors (``ecomgit.api.client``)
RatePacer           stays under the rate-limit windows (``ecomgit.api.pacer``)
RetryPolicy         which faults are retried, with what backoff (``ecomgit.api.retry``)
ecomgit.api.values  objects(), link_id(), as_int(), file_id_from_src(), parse_api_time(), …
"""

from __future__ import annotations

from ecomgit.api import values
from ecomgit.api.client import ShopClient
from ecomgit.api.pacer import RatePacer
from ecomgit.api.redact import Redactor, redact
from ecomgit.api.retry import RetryPolicy

__all__ = ["RatePacer", "Redactor", "RetryPolicy", "ShopClient", "redact", "values"]
