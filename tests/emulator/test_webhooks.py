"""Webhooks on the emulator: ``/webhooks.json`` as documented, and signed deliveries of product and
variant changes, to loopback only, from an outbox that tests drain explicitly (no sleeps)."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from ecomgit.cli.main import cli
from ecomgit.emulator import EmulatorApp, Shop
from ecomgit.emulator.faults import DeliveryFaults
from ecomgit.emulator.outbox import Outbox
from ecomgit.emulator.webhooks import Delivery

from .helpers import FakeClock, client_for, sample

DOCS_EXAMPLE = sample("webhook.json")["webhook"]  # the documentation's example
HOOK = "http://127.0.0.1:9/hooks"


class Collector:
    """A sender that keeps what it was given, answering 200 (the fake receiver)."""

    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    def __call__(self, delivery: Delivery) -> int:
        self.sent.append(delivery)
        return 200

    @property
    def events(self) -> list[str]:
        return [delivery.event for delivery in self.sent]


@pytest.fixture
def collector() -> Collector:
    return Collector()


@pytest.fixture
def app(tiny_shop: Shop, collector: Collector) -> Iterator[EmulatorApp]:
    app = EmulatorApp(tiny_shop, rate_limit=None, outbox=Outbox(collector, threaded=False))
    yield app
    app.outbox.close()


@pytest.fixture
def client(app: EmulatorApp) -> Iterator[httpx.Client]:
    with client_for(app) as client:
        yield client


def register(client: httpx.Client, lang: str = "nl", **fields: Any) -> httpx.Response:
    body = {"isActive": True, "itemGroup": "products", "itemAction": "*", "format": "json", "address": HOOK}
    body.update(fields)
    return client.post(f"/{lang}/webhooks.json", json={"webhook": body}, auth=("key", "secret"))


def a_product(client: httpx.Client) -> int:
    return int(client.get("/nl/products.json").json()["products"][0]["id"])


def test_create_get_list_update_count_and_delete_have_the_documented_shapes(
    client: httpx.Client, clock: FakeClock
) -> None:
    created = register(client, lang="en", itemAction="updated")
    assert created.status_code == 201, created.text
    hook = created.json()["webhook"]
    assert list(hook) == list(DOCS_EXAMPLE)
    assert list(hook["language"]) == list(DOCS_EXAMPLE["language"])
    assert {key: type(value) for key, value in hook.items()} == {k: type(v) for k, v in DOCS_EXAMPLE.items()}
    assert hook["language"]["code"] == "en"
    assert (hook["itemGroup"], hook["itemAction"], hook["format"], hook["address"]) == (
        "products",
        "updated",
        "json",
        HOOK,
    )
    assert hook["isActive"] is True and "secret" not in hook

    path = f"/en/webhooks/{hook['id']}.json"
    assert client.get(path).json()["webhook"] == hook
    assert [h["id"] for h in client.get("/nl/webhooks.json").json()["webhooks"]] == [hook["id"]]
    assert client.get("/webhooks.json").json()["webhooks"][0]["id"] == hook["id"]  # without a language too
    assert client.get("/nl/webhooks/count.json").json() == {"count": 1}

    clock.advance(60)
    updated = client.put(path, json={"webhook": {"itemAction": "*", "format": "xml", "isActive": False}})
    assert updated.status_code == 200, updated.text
    after = updated.json()["webhook"]
    assert (after["itemAction"], after["format"], after["isActive"]) == ("*", "xml", False)
    assert after["address"] == HOOK and after["language"]["code"] == "en"  # a PUT is partial
    assert after["updatedAt"] > hook["updatedAt"] and after["createdAt"] == hook["createdAt"]

    assert client.delete(path).status_code == 204
    assert client.get(path).status_code == 404
    assert client.get("/webhooks/count.json").json() == {"count": 0}


def test_create_without_a_language_segment(client: httpx.Client) -> None:
    answer = client.post(
        "/webhooks.json",
        json={"webhook": {"itemGroup": "variants", "itemAction": "created", "format": "json", "address": HOOK}},
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["webhook"]["language"]["code"] == "nl"  # the shop's default language


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"itemGroup": None}, "itemGroup"),
        ({"itemAction": None}, "itemAction"),
        ({"format": None}, "format"),
        ({"address": ""}, "address"),
        ({"itemGroup": "pages"}, "itemGroup"),
        ({"itemAction": "paid"}, "itemAction"),  # order-type groups only
        ({"format": "yaml"}, "format"),
        ({"address": "not a url"}, "address"),
        ({"address": "ftp://127.0.0.1/x"}, "address"),
        ({"language": "de"}, "language"),
        ({"isActive": "maybe"}, "isActive"),
    ],
)
def test_invalid_fields_are_refused_in_the_api_error_shape(
    client: httpx.Client, fields: dict[str, Any], named: str
) -> None:
    answer = register(client, **fields)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert set(error) == {"code", "method", "request", "message"}
    assert (error["code"], error["method"], error["request"]) == (400, "POST", "/nl/webhooks.json")
    assert named in error["message"]
    assert client.get("/nl/webhooks/count.json").json() == {"count": 0}


def test_order_type_groups_have_their_own_actions(client: httpx.Client) -> None:
    assert register(client, itemGroup="orders", itemAction="paid").status_code == 201


@pytest.mark.parametrize(
    "address",
    [
        "http://example.org/hooks",
        "https://requestb.in/12345",
        "http://10.0.0.1:8000/",
        "http://192.168.1.5/",
        "http://127.0.0.1.nip.io/",
        "http://[::2]/",
        "http://0.0.0.0:8000/",
        "http://localhost.example.org/",
    ],
)
def test_an_address_off_this_machine_is_refused(client: httpx.Client, address: str) -> None:
    answer = register(client, address=address)
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "only to this machine" in message and "127.0.0.1" in message


@pytest.mark.parametrize("address", ["http://localhost:8000/h", "http://127.1.2.3/h", "http://[::1]:80/h", HOOK])
def test_loopback_addresses_are_accepted(client: httpx.Client, address: str) -> None:
    assert register(client, address=address).status_code == 201


def test_an_update_to_an_address_off_this_machine_is_refused_and_changes_nothing(client: httpx.Client) -> None:
    hook = register(client).json()["webhook"]
    answer = client.put(f"/nl/webhooks/{hook['id']}.json", json={"webhook": {"address": "http://example.org/"}})
    assert answer.status_code == 400
    assert client.get(f"/nl/webhooks/{hook['id']}.json").json()["webhook"]["address"] == HOOK


def test_max_webhooks_from_the_shop_limits_is_enforced(client: httpx.Client) -> None:
    limit = client.get("/nl/shop/limits.json").json()["shopLimits"]["maxWebhooks"]
    for _ in range(limit):
        assert register(client).status_code == 201
    refused = register(client)
    assert refused.status_code == 400
    assert "maxWebhooks" in refused.json()["error"]["message"] and str(limit) in refused.json()["error"]["message"]
    assert client.get("/nl/webhooks/count.json").json() == {"count": limit}
    first = client.get("/nl/webhooks.json").json()["webhooks"][0]["id"]
    assert client.delete(f"/nl/webhooks/{first}.json").status_code == 204
    assert register(client).status_code == 201  # room again


# -- deliveries -------------------------------------------------------------------------------------


def test_product_and_variant_changes_make_the_documented_events(
    client: httpx.Client, app: EmulatorApp, collector: Collector
) -> None:
    register(client, itemGroup="products")
    register(client, itemGroup="variants")
    product = client.post("/nl/products.json", json={"product": {"title": "Nieuw"}}).json()["product"]
    app.outbox.flush()
    assert collector.events == ["products/created", "variants/created"]  # with its default variant

    collector.sent.clear()
    assert client.put(f"/nl/products/{product['id']}.json", json={"product": {"title": "Anders"}}).status_code == 200
    variant = client.post("/nl/variants.json", json={"variant": {"product": product["id"], "title": "L"}}).json()
    vid = variant["variant"]["id"]
    assert client.put(f"/nl/variants/{vid}.json", json={"variant": {"priceExcl": 10}}).status_code == 200
    assert client.delete(f"/nl/variants/{vid}.json").status_code == 204
    app.outbox.flush()
    assert collector.events == [
        "products/updated",
        "variants/created",
        "products/updated",  # a new variant moves its product's updatedAt
        "variants/updated",
        "products/updated",
        "variants/deleted",
        "products/updated",
    ]

    collector.sent.clear()
    assert client.delete(f"/nl/products/{product['id']}.json").status_code == 204
    app.outbox.flush()
    assert collector.events == ["products/deleted", "variants/deleted"]
    assert collector.sent[0].header("X-Product-Id") == str(product["id"])
    assert json.loads(collector.sent[0].body)["product"]["id"] == product["id"]


def test_only_active_webhooks_with_a_matching_action_receive(
    client: httpx.Client, app: EmulatorApp, collector: Collector
) -> None:
    deleted_only = register(client, itemAction="deleted").json()["webhook"]["id"]
    inactive = register(client, isActive=False).json()["webhook"]["id"]
    pid = a_product(client)
    client.put(f"/nl/products/{pid}.json", json={"product": {"title": "Anders"}})
    client.delete(f"/nl/products/{pid}.json")
    app.outbox.flush()
    assert [(d.webhook_id, d.event) for d in collector.sent] == [(deleted_only, "products/deleted")]
    assert inactive not in {d.webhook_id for d in collector.sent}


def test_the_body_is_the_resource_in_the_webhooks_language_with_the_documented_headers(
    client: httpx.Client, app: EmulatorApp, collector: Collector
) -> None:
    register(client, lang="en")
    pid = a_product(client)
    client.put(f"/en/products/{pid}.json", json={"product": {"title": "Shirt in English"}})
    app.outbox.flush()
    (delivery,) = collector.sent
    assert json.loads(delivery.body) == {"product": client.get(f"/en/products/{pid}.json").json()["product"]}
    assert delivery.header("X-Event") == "products/updated"
    assert delivery.header("X-Language") == "en"
    assert delivery.header("X-Shop-Id") == "4242"
    assert delivery.header("X-Format") == "json"
    assert delivery.header("X-Cluster-Id") == "eu1"
    assert delivery.header("X-Request-Id")
    assert (delivery.header("Content-Type") or "").startswith("application/json")
    assert delivery.header("X-Signature") == hashlib.md5(delivery.body + b"secret").hexdigest()


def test_xml_webhooks_get_xml(client: httpx.Client, app: EmulatorApp, collector: Collector) -> None:
    register(client, itemGroup="variants", format="xml")
    variant = client.get("/nl/variants.json").json()["variants"][0]
    client.put(f"/nl/variants/{variant['id']}.json", json={"variant": {"stockLevel": 7}})
    app.outbox.flush()
    (delivery,) = collector.sent
    assert delivery.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<variant><id>')
    assert b"<stockLevel>7</stockLevel>" in delivery.body
    assert (delivery.header("Content-Type") or "").startswith("application/xml")
    assert delivery.header("X-Signature") == hashlib.md5(delivery.body + b"secret").hexdigest()


def test_a_retail_delete_sends_products_deleted(client: httpx.Client, app: EmulatorApp, collector: Collector) -> None:
    register(client, itemAction="deleted")
    pid = a_product(client)
    assert client.post("/_emulator/retail/delete.json", json={"product": pid}).status_code == 200
    app.outbox.flush()
    assert collector.events == ["products/deleted"]
    assert collector.sent[0].header("X-Product-Id") == str(pid)


def test_nothing_is_sent_inside_the_request_that_made_the_change(tiny_shop: Shop) -> None:
    gate, arrived = threading.Event(), []

    def slow_receiver(delivery: Delivery) -> int:
        gate.wait()  # the receiver does not answer until the test lets it
        arrived.append(delivery.event)
        return 200

    outbox = Outbox(slow_receiver)  # a worker thread, as ``emulator serve`` runs it
    app = EmulatorApp(tiny_shop, rate_limit=None, outbox=outbox)
    with client_for(app) as client:
        register(client)
        pid = a_product(client)
        answer = client.put(f"/nl/products/{pid}.json", json={"product": {"title": "Anders"}})
        assert answer.status_code == 200  # answered while the delivery waits
        assert arrived == []
        gate.set()
        outbox.flush()
        assert arrived == ["products/updated"]
        assert outbox.counts()["delivered"] == 1
    outbox.close()


def test_the_outbox_is_bounded(collector: Collector) -> None:
    outbox = Outbox(collector, threaded=False, limit=3)
    deliveries = [Delivery(1, HOOK, f"products/{n}", (), b"") for n in range(5)]
    outbox.put(deliveries)
    outbox.flush()
    assert collector.events == ["products/2", "products/3", "products/4"]  # the oldest went
    assert outbox.counts()["overflowed"] == 2


# -- a real delivery over a real socket -------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], bytes]]

    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, dict(self.headers), body))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, dict[str, str], bytes]]]]:
    """A tiny HTTP server on loopback that records each POST: (its URL, what it received)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/ls?shop=1", server.received  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_a_real_delivery_arrives_signed_over_a_socket(
    tiny_shop: Shop, receiver: tuple[str, list[tuple[str, dict[str, str], bytes]]]
) -> None:
    url, received = receiver
    outbox = Outbox()  # the real sender, from the worker thread
    app = EmulatorApp(tiny_shop, rate_limit=None, api_key="key", api_secret="s3cret", outbox=outbox)
    with client_for(app) as client:
        client.auth = ("key", "s3cret")
        answer = register_with(client, url)
        assert answer.status_code == 201, answer.text
        pid = a_product(client)
        client.put(f"/nl/products/{pid}.json", json={"product": {"title": "Over de lijn"}})
        outbox.flush()
    outbox.close()
    ((path, headers, body),) = received
    assert path == "/hooks/ls?shop=1"
    assert headers["X-Event"] == "products/updated"
    assert headers["X-Signature"] == hashlib.md5(body + b"s3cret").hexdigest()  # md5(raw body + secret)
    assert json.loads(body)["product"]["title"] == "Over de lijn"
    assert outbox.counts() == {"delivered": 1, "queued": 1}


def register_with(client: httpx.Client, address: str) -> httpx.Response:
    body = {"itemGroup": "products", "itemAction": "updated", "format": "json", "address": address}
    return client.post("/nl/webhooks.json", json={"webhook": body})


def test_a_receiver_that_is_down_counts_as_failed(tiny_shop: Shop) -> None:
    outbox = Outbox(threaded=False)
    app = EmulatorApp(tiny_shop, rate_limit=None, outbox=outbox)
    with client_for(app) as client:
        register(client, address="http://127.0.0.1:1/closed")  # port 1: nothing listens
        client.put(f"/nl/products/{a_product(client)}.json", json={"product": {"title": "X"}})
        outbox.flush()
    assert outbox.counts()["failed"] == 1


def test_the_admin_flush_endpoint_and_stats(client: httpx.Client, collector: Collector) -> None:
    register(client)
    client.put(f"/nl/products/{a_product(client)}.json", json={"product": {"title": "X"}})
    assert client.post("/_emulator/webhooks/flush.json").json() == {"delivered": 1, "queued": 1}
    assert collector.events == ["products/updated"]
    assert client.get("/_emulator/stats.json").json()["webhooks"] == {"delivered": 1, "queued": 1}


# -- faults, each deterministic with a seed ---------------------------------------------------------


def run_with_faults(shop: Shop, faults: Callable[[], DeliveryFaults], changes: int = 20) -> tuple[list[str], Outbox]:
    """Make ``changes`` product updates with a fresh copy of ``shop``; the X-Request-Ids as they arrived."""
    collector = Collector()
    outbox = Outbox(collector, faults(), threaded=False)
    app = EmulatorApp(copy.deepcopy(shop), rate_limit=None, outbox=outbox)
    with client_for(app) as client:
        register(client)
        pid = a_product(client)
        for n in range(changes):
            client.put(f"/nl/products/{pid}.json", json={"product": {"data01": str(n)}})
        outbox.flush()
    return [d.header("X-Request-Id") or "" for d in collector.sent], outbox


def sent_order(shop: Shop) -> list[str]:
    return run_with_faults(shop, DeliveryFaults)[0]


def test_drops_are_seeded(tiny_shop: Shop) -> None:
    everything = sent_order(tiny_shop)
    first, outbox = run_with_faults(tiny_shop, lambda: DeliveryFaults(drop_rate=0.4, seed=7))
    again, _ = run_with_faults(tiny_shop, lambda: DeliveryFaults(drop_rate=0.4, seed=7))
    other, _ = run_with_faults(tiny_shop, lambda: DeliveryFaults(drop_rate=0.4, seed=8))
    assert first == again and first != other
    assert 0 < len(first) < len(everything) and set(first) < set(everything)
    assert first == [rid for rid in everything if rid in first]  # order kept
    assert outbox.counts()["dropped"] == len(everything) - len(first)


def test_duplicates_are_seeded(tiny_shop: Shop) -> None:
    everything = sent_order(tiny_shop)
    first, outbox = run_with_faults(tiny_shop, lambda: DeliveryFaults(duplicate_rate=0.3, seed=3))
    again, _ = run_with_faults(tiny_shop, lambda: DeliveryFaults(duplicate_rate=0.3, seed=3))
    assert first == again
    twice = sorted({rid for rid in first if first.count(rid) == 2})
    assert twice and len(first) == len(everything) + len(twice) == len(everything) + outbox.counts()["duplicated"]
    assert list(dict.fromkeys(first)) == everything  # each copy right after the first


def test_delays_reorder_deterministically_and_everything_arrives_after_a_flush(tiny_shop: Shop) -> None:
    everything = sent_order(tiny_shop)
    first, outbox = run_with_faults(tiny_shop, lambda: DeliveryFaults(delay_rate=0.3, delay_by=2, seed=5))
    again, _ = run_with_faults(tiny_shop, lambda: DeliveryFaults(delay_rate=0.3, delay_by=2, seed=5))
    assert first == again
    assert sorted(first) == sorted(everything) and first != everything  # all of them, out of order
    assert outbox.counts()["delayed"] > 0
    moved = [rid for rid in everything if first.index(rid) > everything.index(rid)]
    assert moved  # a held delivery arrives after later ones


def test_a_held_delivery_goes_out_after_the_next_delay_by_deliveries(collector: Collector) -> None:
    class HoldFirst(DeliveryFaults):
        def pick(self) -> str:
            self.calls = getattr(self, "calls", 0) + 1
            return "delay" if self.calls == 1 else "send"

    outbox = Outbox(collector, HoldFirst(delay_rate=0.5, delay_by=2), threaded=False)
    outbox.put(Delivery(1, HOOK, f"products/{n}", (), b"") for n in range(4))
    outbox.flush()
    assert collector.events == ["products/1", "products/2", "products/0", "products/3"]


def test_serve_refuses_fault_rates_over_one() -> None:
    result = CliRunner().invoke(
        cli,
        ["emulator", "serve", "--webhook-drop-rate", "0.6", "--webhook-duplicate-rate", "0.5"],
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert "add up to more than 1" in result.output


def test_fault_rates_are_checked() -> None:
    with pytest.raises(ValueError, match="at most 1"):
        DeliveryFaults(drop_rate=0.7, delay_rate=0.7)
