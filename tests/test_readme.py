"""The README's tour is real: every `$ graphkit ...` command in it runs, in order, from a
fresh folder, and prints the lines shown (a line with `...` is matched up to the `...`)."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tour() -> list[tuple[str, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    steps: list[tuple[str, list[str]]] = []
    for block in text.split("```")[1::2]:
        lines = block.split("\n")[1:]  # drop the fence's language tag line
        current: list[str] | None = None  # output lines of this block's last command
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ graphkit "):
                command = line[2:]
                while command.endswith("\\"):
                    i += 1
                    command = command[:-1] + " " + lines[i].strip()
                current = []
                steps.append((command, current))
            elif current is not None and line.strip() and not line.startswith("$ "):
                current.append(line)
            i += 1
    return steps


def matches(recorded: list[str], actual: list[str]) -> str | None:
    """None when every recorded line appears in order; else the first that does not."""
    position = 0
    for line in recorded:
        if line.strip() == "...":
            continue
        prefix = line.split("...")[0].rstrip() if "..." in line else None
        while position < len(actual):
            candidate = actual[position]
            position += 1
            if (prefix is not None and candidate.startswith(prefix)) or candidate == line:
                break
        else:
            return line
    return None


def test_every_tour_command_runs_and_prints_what_readme_shows(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    graphkit = Path(sys.executable).with_name("graphkit")
    steps = tour()
    assert len(steps) >= 10
    for command, recorded in steps:
        args = shlex.split(command)
        result = subprocess.run([str(graphkit), *args[1:]], cwd=tmp_path, text=True,
                                capture_output=True, env={**os.environ, "COLUMNS": "200"})
        assert result.returncode == 0, (command, result.stderr)
        missing = matches(recorded, result.stdout.splitlines())
        assert missing is None, f"{command}\nREADME shows: {missing!r}\n got:\n{result.stdout}"


def test_the_two_setup_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(python3 -m venv .*?)\n```", readme)
    assert len(commands) == 2 and "graphkit demo" in commands[0] and "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
