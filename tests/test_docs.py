"""The docs keep up with the code (as sqlite-utils checks its own): every command has a
section in docs/design.md that names each of its options, and every ``SOURCECHECK_*``
name the code reads is documented somewhere in README.md or docs/."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crawler.cli.app import cli

REPO = Path(__file__).resolve().parents[1]
DESIGN = REPO / "docs" / "design.md"
CODE_DIRS = ("crawler", "spiders", "verify", "bench", "tests/support")


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found: list[tuple[str, click.Command]] = []

    def walk(group: click.Group, prefix: str) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            path = f"{prefix} {name}".strip()
            if isinstance(command, click.Group):
                walk(command, path)
            else:
                found.append((path, command))

    walk(cli, "")
    return found


COMMANDS = _commands()


def _sections() -> dict[str, str]:
    """docs/design.md's command sections: heading text -> body."""
    text = DESIGN.read_text(encoding="utf-8")
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def _section_for(path: str) -> str:
    wanted = f"`sourcecheck {path}`"
    for heading, body in _sections().items():
        if wanted in heading:
            return body
    raise AssertionError(f"docs/design.md has no '### {wanted}' section")


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_and_option_is_in_the_design(path: str, command: click.Command) -> None:
    body = _section_for(path)
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        for opt in param.opts + param.secondary_opts:
            assert re.search(rf"{re.escape(opt)}(?![\w-])", body), (
                f"`sourcecheck {path}` option {opt} is not in its docs/design.md section"
            )


@pytest.mark.parametrize("path,command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(path: str, command: click.Command) -> None:
    assert command.help and "Example" in command.help, f"`sourcecheck {path}` --help has no example"


def _names_in_code() -> set[str]:
    names: set[str] = set()
    for folder in CODE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            names.update(re.findall(r"SOURCECHECK_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def test_every_sourcecheck_setting_and_variable_is_documented() -> None:
    docs = (REPO / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md"))
    )
    missing = sorted(n for n in _names_in_code() if not re.search(rf"{n}(?![A-Z0-9_])", docs))
    assert not missing, f"not documented in README.md or docs/: {missing}"


def test_the_docs_test_can_fail() -> None:
    """The checks above look for whole names: a prefix of a documented name is not enough."""
    assert not re.search(r"--rec(?![\w-])", "--recheck-after")
    assert not re.search(r"SOURCECHECK_RECORD(?![A-Z0-9_])", "SOURCECHECK_RECORD_DIR")
