"""The Scrapyd egg: built by scrapyd-client's ``scrapyd-deploy --build-egg`` as a deploy
would build it, stored by Scrapyd's own egg storage, and its spiders listed by Scrapyd's
own egg runner (``scrapyd.runner``, what ``listspiders.json`` and every job run), with
every module imported from the egg, not from this checkout. Then a real Scrapyd server
takes the egg (``addversion.json``) and runs a spider from ``schedule.json`` with the
project's settings, storing a verdict."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from testbed.pageserver import PageServer, article_html, sentences

pytest.importorskip("scrapyd", reason="scrapyd is not installed (pip install sourcecheck[deploy])")
pytest.importorskip(
    "scrapyd_client", reason="scrapyd-client is not installed (pip install sourcecheck[deploy])"
)

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("verify", "spiders", "crawler", "pyproject.toml", "setup.py", "scrapy.cfg")

# Run in a clean interpreter (-I: no PYTHONPATH, no current folder on the path) that
# also forgets the editable install of this checkout, so every import is the egg's.
RUNNER = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
sys.argv = ["scrapy", "list"]
from scrapyd.runner import main
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
import crawler.settings, spiders, verify
for module in (crawler.settings, spiders, verify):
    print("from", module.__file__)
"""


def build_egg(tmp_path: Path) -> Path:
    """``scrapyd-deploy --build-egg`` on a copy of the project (the build writes into it)."""
    project = tmp_path / "project"
    project.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*PROJECT_FILES, "README.md"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            shutil.copy2(source, project / name)
    deploy = Path(sys.executable).parent / "scrapyd-deploy"
    egg = tmp_path / "sourcecheck.egg"
    done = subprocess.run(
        [str(deploy), "--build-egg", str(egg)],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return egg


@pytest.fixture(scope="module")
def egg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_egg(tmp_path_factory.mktemp("egg"))


def test_egg_builds_and_lists_the_spiders(tmp_path: Path, egg: Path) -> None:
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    # All three packages, the migrations, and nothing else of the repository.
    for module in ("verify/check.py", "spiders/bbc.py", "crawler/settings.py"):
        assert module in names
    assert "crawler/storage/migrations/versions/0001_initial.py" in names
    assert not any(n.startswith(("tests/", "bench/", "fixtures/")) for n in names)
    assert "[scrapy]\nsettings = crawler.settings" in entry_points

    # Store it as Scrapyd does, then list its spiders with Scrapyd's egg runner.
    from scrapyd.config import Config
    from scrapyd.eggstorage import FilesystemEggStorage

    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(f"[scrapyd]\neggs_dir = {home / 'eggs'}\n")
    os.chdir(home)  # Scrapyd reads scrapyd.conf from the current folder
    try:
        config = Config()
    finally:
        os.chdir(REPO)
    with egg.open("rb") as fh:
        FilesystemEggStorage(config).put(fh, "sourcecheck", "1.0")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "PYTHON"))}
    listed = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER],
        cwd=home,
        env={**env, "SCRAPY_PROJECT": "sourcecheck"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr[-3000:]
    lines = listed.stdout.split()
    assert [n for n in lines if n in {"bbc", "generic", "guardian", "independent"}] == [
        "bbc",
        "generic",
        "guardian",
        "independent",
    ]
    origins = [line for line in listed.stdout.splitlines() if line.startswith("from ")]
    assert len(origins) == 3
    assert all(str(home / "eggs" / "sourcecheck" / "1_0.egg") in o for o in origins), origins


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_scrapyd_runs_a_spider_from_schedule_json(tmp_path: Path, egg: Path) -> None:
    import requests

    from crawler.storage.db import make_engine, make_sessions, upgrade
    from crawler.storage.models import Verification
    from crawler.storage.store import add_article
    from verify.intake import Quotation

    server = PageServer({"/news/story-3": article_html(3)})
    db = tmp_path / "scrapyd.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    url = f"{server.base}/news/story-3"
    with make_sessions(engine).begin() as session:
        quote = Quotation(sentences(3)[2], "inline", position=0, url=url)
        add_article(session, f"{server.base}/citing", None, None, [quote])

    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "SOURCECHECK_"))}
    env["SOURCECHECK_ALLOW_HOSTS"] = server.host  # the jobs inherit Scrapyd's environment
    daemon = subprocess.Popen(
        [str(Path(sys.executable).parent / "scrapyd")],
        cwd=home,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    api = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{api}/daemonstatus.json", timeout=2).raise_for_status()
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        with egg.open("rb") as fh:
            added = requests.post(
                f"{api}/addversion.json",
                data={"project": "sourcecheck", "version": "1.0"},
                files={"egg": fh},
                timeout=60,
            ).json()
        assert added["status"] == "ok" and added["spiders"] == 4, added
        pipelines = {
            "crawler.extraction.pipeline.ExtractPipeline": 300,
            "crawler.crawling.store_pipeline.StorePipeline": 400,
        }
        job = requests.post(
            f"{api}/schedule.json",
            data=[
                ("project", "sourcecheck"),
                ("spider", "generic"),
                ("url", url),
                ("setting", f"SOURCECHECK_DB=sqlite:///{db}"),
                ("setting", f"ITEM_PIPELINES={json.dumps(pipelines)}"),
            ],
            timeout=10,
        ).json()
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 60
        while True:
            jobs = requests.get(
                f"{api}/listjobs.json", params={"project": "sourcecheck"}, timeout=5
            ).json()
            if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.3)
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
        server.stop()
    assert server.page_hits() == {"/news/story-3": 1}
    with make_sessions(engine)() as session:
        statuses = session.execute(select(Verification.status)).scalars().all()
    engine.dispose()
    assert statuses == ["verified"]
