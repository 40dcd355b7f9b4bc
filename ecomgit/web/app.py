"""The web application: routes over one mirror (Starlette, Jinja2 templates with autoescaping,
plain HTML forms and no script)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ecomgit import commits
from ecomgit.errors import EcomgitError
from ecomgit.lost import Lost, find_lost
from ecomgit.newproducts import retail_linked
from ecomgit.pullrequests import GitHub
from ecomgit.revisions import pending_products, restored_ids, version_at
from ecomgit.shop import Repo, make_client, open_repo
from ecomgit.web import actions, pages, pushing
from ecomgit.web.index import Index
from ecomgit.web.security import CSRF_FIELD, Guard, checked_form
from ecomgit.web.timeline import Step, timeline

HERE = Path(__file__).parent
PAGE_SIZE = 50
TIMELINE_SIZE = 50
COMMIT = commits.COMMIT_ID
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
T = TypeVar("T")


@dataclass
class State:
    """The mirror and what the pages derive from its HEAD (recomputed when HEAD moves)."""

    repo: Repo
    index: Index
    _derived: dict[str, tuple[str | None, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def root(self) -> Path:
        return self.repo.root

    def head(self) -> str | None:
        return self.index.refresh()

    def derived(self, name: str, make: Callable[[], T]) -> T:
        head = self.head()
        with self._lock:
            known = self._derived.get(name)
            if known is None or known[0] != head:
                known = (head, make())
                self._derived[name] = known
            return known[1]

    def timeline(self, pid: int) -> list[Step]:
        """Product ``pid``'s timeline, newest first; the steps compared before come from the index."""
        head = self.head()
        if head is None:
            return []
        languages = list(self.repo.config.languages)
        steps = timeline(self.root, pid, languages, self.index.steps(pid), head, self.index.folders(pid))
        self.index.keep_steps(pid, steps)
        return steps

    def lost(self) -> list[Lost]:
        retail = retail_linked(self.root, self.repo.config)
        return self.derived(
            "lost",
            lambda: find_lost(
                self.root,
                self.repo.config.default_language,
                include_restored=True,
                retail=retail,
                removed=self.index.deletions(),
            ),
        )

    def pending(self) -> set[int]:
        return self.derived("pending", lambda: set(pending_products(self.root)))

    def restored(self) -> set[int]:
        return self.derived("restored", lambda: set(restored_ids(self.root).values()))


def make_app(
    root: Path,
    *,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
    github: GitHub | None = None,
    allow_push: bool = False,
    shop: pushing.ShopFactory | None = None,
) -> Starlette:
    """The application over the mirror at ``root``; ``token``: every request must carry it; ``github``:
    each proposal's branch is pushed to origin and its pull request opened; ``allow_push``: "Push to
    shop" for the default branch, through a client ``shop`` makes (the shop's API by default)."""
    repo = open_repo(root)
    connect = shop or (lambda: make_client(repo.config.api_url, repo.config.default_language, root=repo.root))
    state = State(repo, Index(repo.root))
    templates = Jinja2Templates(directory=HERE / "templates")  # .html: autoescaped
    templates.env.filters["urlencode_with"] = lambda query, **changed: urlencode({**dict(query), **changed})

    def render(request: Request, name: str, status: int = 200, **values: Any) -> Response:
        lang = request.query_params.get("lang")
        language = lang if lang in repo.config.languages else repo.config.default_language
        context = {
            "csrf": request.state.csrf, "csrf_field": CSRF_FIELD, "lang": language, "config": repo.config,
            "allow_push": allow_push,
        }  # fmt: skip
        return templates.TemplateResponse(request, name, {**context, **values}, status_code=status)

    def proposed(request: Request, made: list[actions.Made]) -> Response:
        for item in made:
            if github is not None:
                actions.open_pull_request(repo, item, github)
        return render(request, "done.html", made=made)

    async def catalog(request: Request) -> Response:
        query = request.query_params
        head = state.head()
        page = _int(query.get("page"), 1)
        only, show = None, query.get("show", "")
        lost_rows = [item for item in state.lost() if item.restored_as is None]
        if show == "pending":
            only = state.pending()
        elif show == "lost":
            only = set()
        rows, total = state.index.search(
            query.get("q", ""), since=query.get("since") or None, only=only, limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )  # fmt: skip
        words = query.get("q", "").casefold().split()
        lost_shown = _matching(lost_rows, words) if page == 1 and show in ("", "lost") else []
        return render(
            request, "catalog.html", rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)),
            head=head, pending=state.pending(), restored=state.restored(), lost=lost_shown, query=query,
        )  # fmt: skip

    async def product(request: Request) -> Response:
        pid = request.path_params["pid"]
        state.head()
        view = pages.product_view(state.root, repo.config, pid, state.index.deletions())
        if view is None:
            raise HTTPException(404, f"No product {pid} in this mirror.")
        limit = _int(request.query_params.get("history"), TIMELINE_SIZE)
        steps = state.timeline(pid)
        total = len(steps)
        steps = steps[:limit]
        lost = next((item for item in state.lost() if item.pid == pid), None)
        return render(
            request, "product.html", view=view, steps=steps, limit=limit, total=total, lost=lost,
            pending=pid in state.pending(), retail=retail_linked(state.root, repo.config),
        )  # fmt: skip

    async def image(request: Request) -> Response:
        pid, rev, name = request.path_params["pid"], request.path_params["rev"], request.path_params["name"]
        suffix = Path(name).suffix.lower()
        if not COMMIT.fullmatch(rev) or suffix not in IMAGE_TYPES:
            raise HTTPException(404, "No such image.")
        version = version_at(state.root, rev, pid)
        if version is None or name not in version.image_blobs:  # a name from the commit's own tree, nothing else
            raise HTTPException(404, "No such image.")
        data = version.image_bytes(name)
        headers = {"Cache-Control": "private, max-age=31536000, immutable"}
        return Response(data, media_type=IMAGE_TYPES[suffix], headers=headers)

    async def lost_page(request: Request) -> Response:
        items = state.lost()
        plans = {item.pid: pages.restore_plan(item) for item in items}
        return render(request, "lost.html", items=items, plans=plans)

    async def propose_restore(request: Request) -> Response:
        await checked_form(request)
        pid = request.path_params["pid"]
        item = next((i for i in state.lost() if i.pid == pid), None)
        if item is None:
            raise HTTPException(404, f"Product {pid} is not among the lost products.")
        return proposed(request, [actions.propose_restore(repo, item)])

    async def edit_form(request: Request) -> Response:
        pid = request.path_params["pid"]
        view = pages.product_view(state.root, repo.config, pid)
        if view is None or not view.live:
            raise HTTPException(404, f"Product {pid} is not in the shop: nothing to edit.")
        return render(request, "edit.html", view=view, head=state.head(), fields=actions.editable(repo))

    async def edit_post(request: Request) -> Response:
        form = await checked_form(request)
        pid = request.path_params["pid"]
        texts = {}
        for key, value in form.multi_items():
            name, _, language = key.partition(":")
            if name in actions.EDITABLE and language and isinstance(value, str):
                texts[(name, language)] = value
        edit = actions.Edit(
            str(form.get("base", "")), texts, str(form.get("name", "")), str(form.get("email", "")),
            str(form.get("message", "")),
        )  # fmt: skip
        if not COMMIT.fullmatch(edit.base):
            raise HTTPException(400, "The form lacks the revision it was opened at: open it again.")
        return proposed(request, [actions.propose_edit(repo, pid, edit)])

    async def undo(request: Request) -> Response:
        await checked_form(request)
        pid, sha = request.path_params["pid"], request.path_params["sha"]
        if not COMMIT.fullmatch(sha):
            raise HTTPException(404, "No such commit.")
        return proposed(request, actions.propose_undo(repo, pid, sha))

    async def branches(request: Request) -> Response:
        return render(request, "branches.html", branches=actions.open_branches(repo))

    async def push_plan(request: Request) -> Response:
        state.head()
        return render(request, "push.html", page=pushing.plan(repo, connect))

    async def push_post(request: Request) -> Response:
        form = await checked_form(request)
        page = pushing.push(repo, connect, str(form.get("plan", "")))
        return render(request, "push.html", page=page)

    async def failed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return render(request, "error.html", status=exc.status_code, message=exc.detail)

    async def refused(request: Request, exc: Exception) -> Response:
        return render(request, "error.html", status=409, message=str(exc))

    routes = [
        Route("/", catalog),
        Route("/product/{pid:int}", product),
        Route("/image/{pid:int}/{rev}/{name}", image),
        Route("/product/{pid:int}/edit", edit_form),
        Route("/product/{pid:int}/edit", edit_post, methods=["POST"]),
        Route("/product/{pid:int}/undo/{sha}", undo, methods=["POST"]),
        Route("/lost", lost_page),
        Route("/lost/{pid:int}/propose", propose_restore, methods=["POST"]),
        Route("/branches", branches),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    if allow_push:
        routes[-1:-1] = [Route("/push", push_plan), Route("/push", push_post, methods=["POST"])]
    middleware = [Middleware(Guard, token=token)]
    if allowed_hosts is not None:
        middleware.insert(0, Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: failed, EcomgitError: refused}
    )


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) < 100_000 else default


def _matching(items: list[Lost], words: list[str]) -> list[Lost]:
    """The lost products (not in the index: the shop deleted them) matching every word searched for."""
    return [
        item for item in items if all(w in f"{item.pid} {item.title} {' '.join(item.codes)}".casefold() for w in words)
    ]
