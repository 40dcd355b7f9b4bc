"""The mirror: product files, shop files and their canonical YAML (docs/mirror-format.md)."""

from ecomgit.mirror.files import (
    canonical_product,
    dump_list,
    dump_product,
    dump_shop,
    dump_shop_list,
    read_list,
    read_product,
    read_yaml,
    write_bytes,
    write_product,
)

__all__ = [
    "canonical_product",
    "dump_list",
    "dump_product",
    "dump_shop",
    "dump_shop_list",
    "read_list",
    "read_product",
    "read_yaml",
    "write_bytes",
    "write_product",
]
