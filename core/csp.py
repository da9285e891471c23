"""Content-Security-Policy: one strict policy for the public site, a looser one for the Wagtail admin.

The public pages carry no inline script or style attribute (JSON-LD is data, not script), so their
policy allows scripts, styles, images and fetches from the site's own origin only — which is also the
promise that a visitor's browser never contacts another host. The exceptions are named and why:
the media host when MEDIA_URL is absolute, the video players a reader opens by clicking (VK Видео,
RUTUBE), the ALTCHA widget's proof-of-work worker (started from a blob) and its one stylesheet.
Wagtail's admin still relies on inline scripts and styles, so `/admin/` gets a policy that keeps
every request on the site's own origin but allows inline code.

The strings are built once per process: a page-cache hit pays for a dictionary lookup, not a build.
"""

from functools import cache
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

ADMIN_PREFIX = "/admin/"
VIDEO_PLAYERS = ("https://vk.com", "https://vkvideo.ru", "https://rutube.ru")


def _media_origin() -> list[str]:
    """The separate media host (README recommends one), if MEDIA_URL names it."""
    parts = urlsplit(settings.MEDIA_URL)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


def public_directives() -> dict:
    media = _media_origin()
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, *settings.CSP_STYLE_HASHES],
        "img-src": [SELF, "data:", *media],
        "media-src": [SELF, *media],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF, *VIDEO_PLAYERS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }


def admin_directives() -> dict:
    """The public policy, plus what Wagtail's admin needs: inline code, blob images, data fonts."""
    directives = public_directives()
    directives["script-src"] = [SELF, UNSAFE_INLINE]
    directives["style-src"] = [SELF, UNSAFE_INLINE]
    directives["img-src"] = [*directives["img-src"], "blob:"]
    directives["font-src"] = [SELF, "data:"]
    return directives


@cache
def policy(admin: bool) -> str:
    return build_policy(config=admin_directives() if admin else public_directives())


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the two policies chosen by path and built once."""

    def process_request(self, request):
        pass  # no nonces: nothing inline needs one, and a nonce would make every cached page unique

    def process_response(self, request, response):
        if "Content-Security-Policy" in response or getattr(response, "_csp_exempt", False):
            return response
        if any(hasattr(response, attr) for attr in ("_csp_config", "_csp_update", "_csp_replace")):
            return super().process_response(request, response)  # a view's own @csp_* decorator
        response["Content-Security-Policy"] = policy(request.path_info.startswith(ADMIN_PREFIX))
        return response
