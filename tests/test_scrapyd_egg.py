"""The Scrapyd egg: built by scrapyd-client's ``scrapyd-deploy --build-egg`` as a deploy
would build it, stored by Scrapyd's own egg storage, and its spiders listed by Scrapyd's
own egg runner (``scrapyd.runner``, what ``listspiders.json`` and every job run), with
every module imported from the egg, not from this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

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


def test_egg_builds_and_lists_the_spiders(tmp_path: Path) -> None:
    egg = build_egg(tmp_path)
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    # All three packages, the migrations, and nothing else of the repository.
    for module in ("verify/check.py", "spiders/bbc.py", "crawler/settings.py"):
        assert module in names
    assert "crawler/migrations/versions/0001_initial.py" in names
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
