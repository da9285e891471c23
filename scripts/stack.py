"""`make stack`: the production topology on this machine, as the current user, for tests, benchmarks and
rehearsing a deploy — nginx with the shipped configuration (deploy/nginx/, its own prefix and ports) in
front of two gunicorn instances with production settings, sharing PostgreSQL (database `imc_stack`,
migrated, demo loaded) and Redis (a redis-server of its own when installed), plus the task worker.

    .venv/bin/python -m scripts.stack up [--fresh]   # --fresh: a new database with the demo again
    .venv/bin/python -m scripts.stack down           # `make stack-stop`
    .venv/bin/python -m scripts.stack status         # JSON: what runs where (also in $STACK_DIR/state.json)

Everything can be moved through the environment: STACK_DIR (/tmp/imc-stack), STACK_PORT (8080, the
site), STACK_PURGE_PORT (8081), STACK_APP_PORTS (8001,8002), STACK_WORKERS (2 per instance),
STACK_REDIS_PORT (6479; without redis-server: STACK_REDIS_URL, default redis://127.0.0.1:6379/13),
STACK_PG_URL (postgres://postgres@127.0.0.1:5432), STACK_DB (imc_stack). Only processes this script
started are ever stopped (by the process ids it recorded).
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

DIR = Path(os.environ.get("STACK_DIR", "/tmp/imc-stack"))  # noqa: S108 — a scratch directory by design
PORT = int(os.environ.get("STACK_PORT", "8080"))
PURGE_PORT = int(os.environ.get("STACK_PURGE_PORT", "8081"))
APP_PORTS = [int(port) for port in os.environ.get("STACK_APP_PORTS", "8001,8002").split(",")]
WORKERS = int(os.environ.get("STACK_WORKERS", "2"))
REDIS_PORT = int(os.environ.get("STACK_REDIS_PORT", "6479"))
PG_URL = os.environ.get("STACK_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("STACK_DB", "imc_stack")
STATE = DIR / "state.json"
# Our own redis-server is bounded like production's should be (README): least recently used keys go first.
REDIS_MAXMEMORY = os.environ.get("STACK_REDIS_MAXMEMORY", "256mb")


# --- nginx: the shipped files with paths and ports substituted --------------------------------------


def render_nginx(
    directory: Path,
    *,
    site_port: int,
    purge_port: int,
    upstream_ports: list[int],
    static_root: Path,
    media_root: Path,
    tls_dir: Path | None = None,
    redirect_port: int | None = None,
    exempt_loopback: bool = True,
    workers: str = "auto",
) -> Path:
    """deploy/nginx/imc.conf and imc-media.conf adapted to run under `directory`: paths and ports only
    (with `tls_dir`, HTTPS on `site_port` and the redirect server on `redirect_port`; without it, plain
    HTTP and no redirect server). Returns the nginx.conf to start nginx with (`nginx -p directory -c …`)."""
    directory.mkdir(parents=True, exist_ok=True)
    cache = directory / "cache"

    def adapt(text: str) -> str:
        upstreams = "\n".join(f"    server 127.0.0.1:{port};" for port in upstream_ports)
        lines = []
        for line in text.splitlines():
            stripped = line.split("#")[0].strip()
            if stripped.startswith("server 127.0.0.1:"):
                if upstreams:
                    lines.append(upstreams)
                    upstreams = ""
                continue
            if stripped.startswith("listen [::]"):
                continue
            if tls_dir is None and stripped.startswith("ssl_certificate"):
                continue
            lines.append(line)
        text = "\n".join(lines) + "\n"
        text = (
            text.replace("/srv/imc/deploy/nginx/503.html", str(DEPLOY / "503.html"))
            .replace("/srv/imc/static_collected/", f"{static_root}/")
            .replace("/srv/imc/media/", f"{media_root}/")
            .replace("/etc/ssl/imc", str(tls_dir))
            .replace("/etc/nginx/snippets/imc-media.conf", str(directory / "imc-media.conf"))
            .replace("/var/cache/nginx/imc", str(cache))
            .replace("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{purge_port};")
        )
        if tls_dir is None:  # plain HTTP: the site on site_port, no server redirecting to HTTPS
            text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{site_port};")
            start = text.find("server {\n    listen 80;")
            if start >= 0:
                text = text[:start] + text[text.index("\n}\n", start) + 3 :]
        else:
            text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{site_port} ssl http2;")
            text = text.replace("listen 80;", f"listen 127.0.0.1:{redirect_port};")
        if not exempt_loopback:
            text = text.replace("    127.0.0.1 1;", "    192.0.2.1 1;")  # a documentation address: nobody
        return text

    (directory / "imc.conf").write_text(adapt((DEPLOY / "imc.conf").read_text()))
    (directory / "imc-media.conf").write_text(adapt((DEPLOY / "imc-media.conf").read_text()))
    temp_paths = "\n".join(
        f"    {name}_temp_path {directory}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = directory / "nginx.conf"
    conf.write_text(
        # As root, workers would drop to `nobody`, who cannot read private temporary directories.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes {workers};\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
        "daemon off;\nevents { worker_connections 1024; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        # tcp_nopush (TCP_CORK) off, unlike Debian's nginx.conf: on loopback, whose MTU is 64 KB, a corked
        # response of 60–64 KB waited for nginx to uncork it — the proxy cache served the 60 KB catalogue at
        # 13,000 hits/s against 33,000 without (bench/README.md). Over a real network (MTU 1,500) or TLS
        # (no sendfile), production's setting costs nothing.
        f"    sendfile on;\n    tcp_nopush off;\n    access_log off;\n{temp_paths}\n"
        f"    include {directory}/imc.conf;\n}}\n"
    )
    return conf


def nginx_command(conf: Path) -> list[str]:
    return [NGINX, "-p", str(conf.parent), "-e", str(conf.parent / "error.log"), "-c", str(conf)]


def check_nginx(conf: Path) -> None:
    check = subprocess.run([*nginx_command(conf), "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(check.stderr)


# --- the processes -----------------------------------------------------------------------------------


def stack_env(redis_url: str) -> dict:
    env = dict(os.environ)
    origin = f"http://127.0.0.1:{PORT}"
    env.update(
        DJANGO_SETTINGS_MODULE="imc_site.settings.production",
        SECRET_KEY="stack-secret-key-not-for-production-0123456789abcdef",  # noqa: S106 — a local stack
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"{origin},http://localhost:{PORT}",
        SITE_URL=origin,
        DATABASE_URL=f"{PG_URL}/{DB}",
        REDIS_URL=redis_url,
        TRUSTED_PROXY_COUNT="1",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(DIR / "mail"),
        MEDIA_ROOT=str(DIR / "media"),
        FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{PURGE_PORT}/",
        GUNICORN_WORKERS=str(WORKERS),
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    return env


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _wait(url: str, seconds: float = 60, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — our own local address
                if response.status == 200:
                    return
        except OSError:
            pass
        if process is not None and process.poll() is not None:
            tail = log.read_text()[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{url}: the process exited\n{tail}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def _start(name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
    log = DIR / f"{name}.log"
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict, fresh: bool) -> None:
    """The imc_stack database: created (with the demo) when missing or --fresh, migrated every time."""
    import psycopg2

    connection = psycopg2.connect(f"{PG_URL}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB])
        created = cursor.fetchone() is None
        if created:
            cursor.execute(f'CREATE DATABASE "{DB}"')
    connection.close()
    setup_env = {**env, "FRONTEND_CACHE_PURGE_URL": ""}  # nginx is not running yet: nothing to purge
    print(f"stack: migrating {DB}…", flush=True)
    manage(setup_env, "migrate", "--noinput", "-v0")
    manage(setup_env, "collectstatic", "--noinput", "-v0")
    if created:
        print("stack: loading the demo…", flush=True)
        manage(setup_env, "load_demo", "--quiet")


def read_state() -> dict | None:
    try:
        return json.loads(STATE.read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def up(fresh: bool = False) -> dict:
    state = read_state()
    if state and all(_alive(pid) for pid in state["pids"].values()):
        if not fresh:
            print(f"stack: already running at {state['url']}")
            return state
        down()
    elif state:
        down()  # a half-dead stack: stop what is left first
    if not Path(NGINX).exists():
        sys.exit("nginx is not installed: run `make install-dev` (scripts/install_test_tools.sh)")
    busy = [port for port in (PORT, PURGE_PORT, *APP_PORTS) if not _port_free(port)]
    if busy:
        sys.exit(f"stack: ports {busy} are in use (set STACK_PORT, STACK_PURGE_PORT, STACK_APP_PORTS)")
    DIR.mkdir(parents=True, exist_ok=True)
    (DIR / "media").mkdir(exist_ok=True)
    pids, processes = {}, {}

    redis_server = shutil.which("redis-server")
    if redis_server:
        if not _port_free(REDIS_PORT):
            sys.exit(f"stack: port {REDIS_PORT} is in use (set STACK_REDIS_PORT)")
        (DIR / "redis").mkdir(exist_ok=True)
        processes["redis"] = _start(
            "redis",
            [redis_server, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(DIR / "redis"), "--maxmemory", REDIS_MAXMEMORY, "--maxmemory-policy", "allkeys-lru"],
        )  # fmt: skip
        redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
        deadline = time.monotonic() + 10
        while _port_free(REDIS_PORT):
            if time.monotonic() > deadline or processes["redis"].poll() is not None:
                sys.exit("stack: redis-server did not start (see redis.log)")
            time.sleep(0.05)
    else:
        # A shared Redis: our own database number; its memory limit is the operator's business.
        redis_url = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/13")
    env = stack_env(redis_url)
    try:
        prepare_database(env, fresh)
        for port in APP_PORTS:
            processes[f"gunicorn-{port}"] = _start(
                f"gunicorn-{port}",
                [str(ROOT / ".venv" / "bin" / "gunicorn"), "imc_site.wsgi:application", "-c", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}"],
                env,
            )  # fmt: skip
        processes["worker"] = _start("worker", [PYTHON, "manage.py", "db_worker"], env)
        conf = render_nginx(
            DIR / "nginx",
            site_port=PORT,
            purge_port=PURGE_PORT,
            upstream_ports=APP_PORTS,
            static_root=ROOT / "static_collected",
            media_root=DIR / "media",
        )
        check_nginx(conf)
        processes["nginx"] = _start("nginx", nginx_command(conf))
        for port in APP_PORTS:
            _wait(f"http://127.0.0.1:{port}/healthz", 90, processes[f"gunicorn-{port}"], DIR / f"gunicorn-{port}.log")
        _wait(f"http://127.0.0.1:{PORT}/healthz", 30, processes["nginx"], DIR / "nginx" / "error.log")
    except BaseException:
        for process in processes.values():
            _stop(process.pid)
        raise
    pids = {name: process.pid for name, process in processes.items()}
    state = {
        "url": f"http://127.0.0.1:{PORT}",
        "purge_url": env["FRONTEND_CACHE_PURGE_URL"],
        "app_urls": [f"http://127.0.0.1:{port}" for port in APP_PORTS],
        "redis_url": redis_url,
        "database_url": env["DATABASE_URL"],
        "cache_dir": str(DIR / "nginx" / "cache"),
        "dir": str(DIR),
        "env": {key: env[key] for key in env if key not in os.environ or os.environ[key] != env[key]},
        "pids": pids,
    }
    STATE.write_text(json.dumps(state, indent=2))
    print(f"stack: {state['url']} (nginx) → gunicorn {', '.join(state['app_urls'])}; Redis {redis_url}; logs {DIR}")
    return state


def _stop(pid: int, timeout: float = 15) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)  # its own session: the process and what it started (gunicorn's workers)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished = 0 if _alive(pid) else pid
        if finished == pid or not _alive(pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def down() -> None:
    state = read_state()
    if not state:
        print("stack: not running")
        return
    # The front first, the data last: nginx, the application, the worker, Redis.
    order = ["nginx", *[name for name in state["pids"] if name.startswith("gunicorn")], "worker", "redis"]
    for name in order:
        if name in state["pids"]:
            _stop(state["pids"][name])
    STATE.unlink(missing_ok=True)
    print("stack: stopped")


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "up"
    if command == "up":
        up(fresh="--fresh" in argv)
    elif command == "down":
        down()
    elif command == "status":
        print(json.dumps(read_state() or {"running": False}, indent=2))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
