"""A WSGI app that answers with the length of the query string it received (tests/core/test_long_urls.py)."""


def app(environ, start_response):
    body = str(len(environ.get("QUERY_STRING", ""))).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
