"""The link checker of «Детские безопасные сайты» (manage.py check_safe_links, run nightly).

Every URL is fetched with a real User-Agent and a timeout, at most `concurrency` at a time and one at a time
per host with a pause between requests to the same host. A failure is a status of 400 or more, no answer in
time, a TLS error, a connection error, or a final address on another domain than the one given (domains
expire and get squatted) unless an editor approved that domain.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

USER_AGENT = "Mozilla/5.0 (compatible; IMC-LinkChecker/1.0; +https://imc-centr.spb.ru/safe-internet/)"


@dataclass(frozen=True)
class CheckResult:
    url: str
    ok: bool
    reason: str = ""
    final_url: str = ""


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


class HostPacer:
    """One request at a time per host, at least `interval` seconds apart."""

    def __init__(self, interval: float):
        self.interval = interval
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    def lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            delay = last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def done(self, host: str) -> None:
        self._last[host] = time.monotonic()


def check_one(session: requests.Session, url: str, *, timeout: float, approved_host: str = "") -> CheckResult:
    try:
        response = session.get(url, timeout=timeout, allow_redirects=True, stream=True)
        response.close()  # the status and the final address are enough; the body is not read
    except requests.exceptions.SSLError:
        return CheckResult(url, False, "ошибка TLS (сертификат или защищённое соединение)")
    except requests.exceptions.Timeout:
        return CheckResult(url, False, f"сайт не ответил за {timeout:g} с")
    except requests.exceptions.TooManyRedirects:
        return CheckResult(url, False, "слишком много перенаправлений")
    except requests.RequestException:
        return CheckResult(url, False, "сайт недоступен (ошибка соединения)")
    final = response.url
    if response.status_code == 404:
        return CheckResult(url, False, "страница не найдена (404)", final)
    if response.status_code >= 400:
        return CheckResult(url, False, f"ошибка сервера ({response.status_code})", final)
    final_host = _host(final)
    allowed = {_host(url), approved_host.lower().removeprefix("www.")} - {""}
    if final_host not in allowed:
        return CheckResult(url, False, f"перенаправляет на другой домен: {final_host}", final)
    return CheckResult(url, True, "", final)


def check_urls(
    targets: list[tuple[str, str]], *, concurrency: int = 4, timeout: float = 10.0, per_host_interval: float = 1.0
) -> dict[str, CheckResult]:
    """`targets` are (url, approved_host) pairs; returns the result per URL."""
    pacer = HostPacer(per_host_interval)
    local = threading.local()

    def session() -> requests.Session:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers["User-Agent"] = USER_AGENT
            local.session.headers["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"
        return local.session

    def run(target):
        url, approved = target
        host = _host(url)
        with pacer.lock(host):
            pacer.wait(host)
            try:
                return check_one(session(), url, timeout=timeout, approved_host=approved)
            finally:
                pacer.done(host)

    unique = list(dict.fromkeys(targets))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = list(pool.map(run, unique))
    return {result.url: result for result in results}
