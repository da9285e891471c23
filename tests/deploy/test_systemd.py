"""deploy/systemd/: the units an operator installs. Every job of README's cron table has a timer running
that very command on that schedule, the command exists, and systemd itself accepts the files
(`systemd-analyze verify`, on copies whose paths point at this checkout)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
# README's words for a schedule → what the timer's OnCalendar must say (minute and hour fields).
SCHEDULES = {
    "every minute": r"\*:\*:\d\d",
    "every 5 minutes": r"\*:00/5:\d\d",
    "every 10 minutes": r"\*:00/10:\d\d",
    "hourly": r"\*:\d\d:\d\d",
    "daily": r"\d\d:\d\d:\d\d",
    "daily, morning": r"0[6-9]:\d\d:\d\d",
    "nightly": r"0[0-5]:\d\d:\d\d",
}


def cron_table() -> dict[str, str]:
    """README's «Scheduled jobs in production» table: command → when."""
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("Scheduled jobs in production") :]
    jobs = {}
    for when, command in re.findall(r"^\| ([^|]+?) \| `manage\.py (\w+)`", table, re.MULTILINE):
        if when != "always running":
            jobs[command] = when
    return jobs


def timers() -> dict[str, str]:
    """command → OnCalendar of the timer that starts imc-manage@<command>.service."""
    found = {}
    for path in UNITS.glob("*.timer"):
        text = path.read_text()
        command = re.search(r"^Unit=imc-manage@(\w+)\.service$", text, re.MULTILINE)[1]
        found[command] = re.search(r"^OnCalendar=(.+)$", text, re.MULTILINE)[1]
    return found


def test_every_cron_job_of_the_readme_has_a_timer_with_its_schedule():
    jobs, scheduled = cron_table(), timers()
    assert len(jobs) >= 10 and set(jobs) == set(scheduled)
    for command, when in jobs.items():
        assert re.search(SCHEDULES[when.split(" —")[0]], scheduled[command]), (command, when, scheduled[command])


def test_every_timed_command_exists():
    commands = get_commands()
    assert [command for command in timers() if command not in commands] == []


def test_the_worker_and_two_gunicorn_instances_match_nginx():
    worker = (UNITS / "imc-worker.service").read_text()
    assert "manage.py db_worker" in worker and "Restart=always" in worker
    gunicorn = (UNITS / "imc-gunicorn@.service").read_text()
    assert "--bind 127.0.0.1:%i" in gunicorn and "gunicorn.conf.py" in gunicorn
    upstream = (ROOT / "deploy" / "nginx" / "imc.conf").read_text()
    assert len(re.findall(r"^\s+server 127\.0\.0\.1:\d+;", upstream, re.MULTILINE)) == 2


def test_systemd_accepts_the_units(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:  # a missing tool fails, it does not skip
        pytest.fail("systemd-analyze is not installed (Debian: systemd)")
    for path in UNITS.glob("*.*"):
        text = path.read_text().replace("/srv/imc", str(ROOT)).replace("/etc/imc/imc.env", str(tmp_path / "env"))
        text = re.sub(r"^(User|Group)=imc$", r"\1=root", text, flags=re.MULTILINE)
        (tmp_path / path.name).write_text(text)
    (tmp_path / "env").write_text("")
    # Templates are verified as instances, the way they run.
    (tmp_path / "imc-gunicorn@8001.service").write_text((tmp_path / "imc-gunicorn@.service").read_text())
    for command in timers():
        (tmp_path / f"imc-manage@{command}.service").write_text((tmp_path / "imc-manage@.service").read_text())
    units = [p.name for p in tmp_path.iterdir() if p.suffix in (".service", ".timer") and not p.stem.endswith("@")]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_every_command_a_unit_runs_exists():
    named = set()
    for path in UNITS.glob("*.service"):
        named |= set(re.findall(r"^Exec\w+=-?\S+ manage\.py (\w+)", path.read_text(), re.MULTILINE))
    assert "new_release" in named  # each gunicorn start checks for a new release (core/release.py)
    assert [command for command in named if command not in get_commands()] == []
