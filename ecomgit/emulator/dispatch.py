"""Turn a routed API request into a resource call, with the API's envelopes and status codes."""

from __future__ import annotations

from typing import Any

from ecomgit.emulator.inputs import envelope, payload
from ecomgit.emulator.query import ListQuery
from ecomgit.emulator.resources import Ctx, Resource
from ecomgit.emulator.resources.base import Owner, not_allowed, supports
from ecomgit.emulator.routing import Route
from ecomgit.emulator.wsgi import HttpError, Request, Response, json_response


def dispatch(ctx: Ctx, resource: Resource[Any], route: Route, request: Request) -> Response:
    owner = _owner(ctx, resource, route)
    method = request.method
    if route.bulk:
        _require(method, "POST", resource, "bulk")
        status, body = resource.bulk(ctx, owner, _data(resource, request))
        return json_response(status, body)
    if route.count:
        _require(method, "GET")
        query = ListQuery.parse(ctx.query)
        return json_response(200, {"count": sum(1 for _ in query.matching(resource.rows(ctx, owner)))})
    if route.item_id is None and not resource.singleton:
        return _collection(ctx, resource, owner, request)
    return _item(ctx, resource, owner, route, request)


def _collection(ctx: Ctx, resource: Resource[Any], owner: Owner, request: Request) -> Response:
    if request.method == "GET":
        query = ListQuery.parse(ctx.query)
        rows = query.page_of(resource.rows(ctx, owner))
        return json_response(200, {resource.plural: [query.project(resource.render(ctx, r)) for r in rows]})
    _require(request.method, "POST", resource, "create")
    record = resource.create(ctx, owner, _data(resource, request))
    return json_response(201, {resource.singular: resource.render(ctx, record)})


def _item(ctx: Ctx, resource: Resource[Any], owner: Owner, route: Route, request: Request) -> Response:
    method = request.method
    if resource.singleton and method == "POST":
        _require(method, "POST", resource, "create")
        record = resource.create(ctx, owner, _data(resource, request))
        return json_response(201, {resource.singular: resource.render(ctx, record)})
    if method not in ("GET", "PUT", "DELETE"):
        raise not_allowed()
    if method != "GET":
        _require(method, method, resource, "update" if method == "PUT" else "delete")
    record = resource.find(ctx, owner, route.item_id)
    if record is None:
        raise HttpError(404, _missing(resource, route))
    if method == "GET":
        query = ListQuery.parse(ctx.query)
        return json_response(200, {resource.singular: query.project(resource.render(ctx, record))})
    if method == "PUT":
        resource.update(ctx, owner, record, _data(resource, request))
        return json_response(200, {resource.singular: resource.render(ctx, record)})
    resource.delete(ctx, owner, record)
    return Response(204)


def _owner(ctx: Ctx, resource: Resource[Any], route: Route) -> Owner:
    if resource.parent is None or route.parent_id is None:
        return None
    tables: dict[str, dict[int, Any]] = {
        "products": ctx.shop.products,
        "variants": ctx.shop.variants,
        "filters": ctx.shop.filters,
    }
    table = tables[resource.parent]
    owner: Owner = table.get(route.parent_id)
    if owner is None:
        raise HttpError(404, f"No {resource.parent[:-1]} with id {route.parent_id}.")
    return owner


def _data(resource: Resource[Any], request: Request) -> dict[str, Any]:
    return envelope(payload(request.body, request.headers.get("content-type", "")), resource.singular)


def _require(method: str, allowed: str, resource: Resource[Any] | None = None, operation: str = "") -> None:
    if method != allowed or (resource is not None and not supports(resource, operation)):
        raise not_allowed()


def _missing(resource: Resource[Any], route: Route) -> str:
    if route.item_id is None:
        return f"No {resource.singular} here."
    return f"No {resource.singular} with id {route.item_id}."
