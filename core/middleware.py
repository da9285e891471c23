"""Requests no visitor's browser sends are refused at the door, with the site's Russian pages.

A NUL byte or a byte sequence that is not UTF-8 (an encoded surrogate, a Latin-1 form) in the query
string, the path or a form field cannot be stored by PostgreSQL nor searched: deep in a view it ends
as a 500. No browser sends it from our links and forms, so it is refused here, once for every view,
with a 400. A query string longer than any link or form of ours produces (the search box and the
calendar filters are limited to 200 characters) gets the Russian «address too long» page (414)
instead of gunicorn's or nginx's English one; nginx and gunicorn are set to let such a request
through to us up to their own limits (README, «Running in production»).
"""

from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.urls import Resolver404, resolve

# Our longest links (every calendar filter selected) stay far below; browsers and nginx allow ~8 KB.
MAX_QUERY_STRING = 4000
MAX_PATH = 2000
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class HostileInput(BadRequest):
    """A request that no page of the site can produce; its message is shown on the 400 page."""


def undecodable(raw: bytes) -> bool:
    """NUL, or not valid UTF-8 (Python's strict codec also refuses encoded surrogates)."""
    if b"\x00" in raw:
        return True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _url_encoded_bytes(text: str) -> bytes:
    """The bytes a query string or urlencoded body stands for (a WSGI string holds them as Latin-1)."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _bad_form(request) -> bool:
    if request.method != "POST" or not request.content_type.startswith(FORM_TYPES):
        return False
    if request.content_type.startswith("application/x-www-form-urlencoded"):
        return undecodable(_url_encoded_bytes(request.body.decode("latin-1")))
    # multipart: Django has decoded the fields already (undecodable bytes became U+FFFD); NUL survives
    return any("\x00" in key or "\x00" in value for key, values in request.POST.lists() for value in values)


def uri_too_long(request):
    return render(request, "414.html", status=414)


def long_query_allowed(view):
    """For a view that shortens an over-long query itself and says so (the search page): it gets the
    request instead of the 414 page, up to the limits of nginx and gunicorn."""
    view.long_query_allowed = True
    return view


def _takes_long_query(request) -> bool:
    """Resolved only for an over-long query string (rare): answered here, before the page cache
    computes a key for it."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "long_query_allowed", False)


class HostileInputMiddleware:
    """Early in MIDDLEWARE: refuses undecodable input (400) and over-long query strings (414)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(request.path_info) > MAX_PATH or (len(query) > MAX_QUERY_STRING and not _takes_long_query(request)):
            return uri_too_long(request)
        if "\x00" in request.path_info:
            raise HostileInput("В адресе страницы есть недопустимые символы.")
        if query and undecodable(_url_encoded_bytes(query)):
            raise HostileInput("В адресе страницы есть недопустимые символы.")
        if _bad_form(request):
            raise HostileInput(
                "В отправленной форме есть недопустимые символы. Вернитесь назад и наберите текст заново."
            )
        return self.get_response(request)
