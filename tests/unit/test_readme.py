"""README.md stays true: every CLI command, make target and path it names exists, and every
command and target that exists is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import Flask

from app.cli import LazyGroup, register_cli


def _section(readme: str, heading: str) -> str:
    return readme.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]


def _commands(group: click.Group, prefix: str) -> set[str]:
    found: set[str] = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= _commands(command, f"{prefix} {name}")
        else:
            found.add(f"{prefix} {name}")
    return found


def test_every_cli_command_is_in_the_readme_and_every_listed_one_exists(root_dir: Path) -> None:
    flask_app = Flask("readme-check")
    register_cli(flask_app)
    ours = {name for name in flask_app.cli.commands if name not in ("run", "shell", "routes")}
    existing: set[str] = set()
    for name in ours:
        command = flask_app.cli.commands[name]
        assert isinstance(command, LazyGroup), name
        existing |= _commands(command.real(), f"flask {name}")
    section = _section((root_dir / "README.md").read_text(), "### Command line")
    listed = {
        " ".join(line.split()[:3])
        for line in section.splitlines()
        if line.startswith("flask ") and line.split()[1] in ours
    }
    assert existing - listed == set(), "commands missing from README's Command line section"
    assert listed - existing == set(), "README lists commands that do not exist"


def test_every_make_target_is_in_the_readme(root_dir: Path) -> None:
    makefile = (root_dir / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):.*## ", makefile, flags=re.MULTILINE))
    table = _section((root_dir / "README.md").read_text(), "## Make targets")
    documented = set(re.findall(r"`make ([a-z][a-z-]*)`", table))
    assert targets - {"help", "install"} <= documented
    assert documented <= targets


def test_paths_in_the_architecture_map_exist(root_dir: Path) -> None:
    section = (root_dir / "README.md").read_text().split("\n## Architecture\n", 1)[1]
    section = section.split("\n### ", 1)[0]
    assert "```mermaid" in section
    paths = re.findall(
        r"^((?:app|openapi|generated|migrations|tests|scripts|\.ci)/[\w./]*)", section, re.M
    )
    assert len(paths) > 20
    missing = [p for p in paths if not (root_dir / p.rstrip(",")).exists()]
    assert missing == []


def test_the_migrate_example_names_no_revision_that_may_be_taken(root_dir: Path) -> None:
    # The next revision is head + 1: any number written here is taken by the next migration.
    section = _section((root_dir / "README.md").read_text(), "### Command line")
    [line] = [x for x in section.splitlines() if x.startswith("flask db migrate")]
    assert not re.search(r"\d{4}", line), line


def test_the_metrics_section_asks_for_no_gunicorn_config_make_serve_ships(
    root_dir: Path,
) -> None:
    readme = (root_dir / "README.md").read_text()
    section = readme.split("\n### Metrics\n", 1)[1].split("\n### ", 1)[0]
    assert "gunicorn.conf.py" not in section and "gunicorn -c" not in section
    assert "app/serving/gunicorn_conf.py" in section
