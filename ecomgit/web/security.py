"""The web view's guards: the access token off loopback, CSRF tokens on forms, and the headers that
keep the shop's HTML inert (a Content-Security-Policy that allows no script at all: the pages are
plain HTML and forms)."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp

from ecomgit.errors import EcomgitError

TOKEN_ENV = "ECOMGIT_WEB_TOKEN"
TOKEN_COOKIE = "ecomgit_token"
CSRF_COOKIE = "ecomgit_csrf"
CSRF_FIELD = "csrf"
MAKE_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def required_token(host: str, token: str | None) -> str | None:
    """The token every request must carry: none on loopback (unless one is set); off loopback one must
    be set, else starting is refused with how to make one."""
    if token is not None and len(token) < 16:
        raise EcomgitError(f"{TOKEN_ENV} is too short (16 characters at least); make one with: {MAKE_TOKEN}")
    if token or is_loopback(host):
        return token or None
    raise EcomgitError(
        f"'ecomgit web --host {host}' listens beyond this machine: set {TOKEN_ENV} to a secret token first, which "
        f"every request must then carry. Make one with: {MAKE_TOKEN}  then: export {TOKEN_ENV}=… and open the "
        "printed URL (it carries the token once; the browser keeps it in a cookie)"
    )


class Guard(BaseHTTPMiddleware):
    """The token (if any) on every request, a CSRF cookie for the forms, the security headers."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if self.token is not None:
            given = request.query_params.get("token")
            if given is not None and secrets.compare_digest(given, self.token) and request.method == "GET":
                response: Response = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return _headed(response)
            if not self._carries_token(request):
                return _headed(PlainTextResponse("A token is needed: open the URL 'ecomgit web' printed.", 401))
        csrf = request.cookies.get(CSRF_COOKIE)
        request.state.csrf = csrf if csrf and len(csrf) >= 20 else secrets.token_urlsafe(24)
        response = await call_next(request)
        if request.state.csrf != csrf:
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict")
        return _headed(response)

    def _carries_token(self, request: Request) -> bool:
        assert self.token is not None
        header = request.headers.get("authorization", "")
        given = request.cookies.get(TOKEN_COOKIE) or (header[7:] if header.lower().startswith("bearer ") else "")
        return secrets.compare_digest(given.encode(), self.token.encode())


def _headed(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def checked_form(request: Request) -> FormData:
    """The posted form, refused (403) unless it carries the CSRF token its page was given."""
    form = await request.form()
    sent, expected = form.get(CSRF_FIELD), request.cookies.get(CSRF_COOKIE)
    if not isinstance(sent, str) or not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, "This form has no valid CSRF token: reload the page and send it again.")
    return form
