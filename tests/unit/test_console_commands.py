"""Every console command is documented in the README and answers --help."""
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_command_is_in_the_readme(command):
    assert f"`{command} " in (ROOT / "README.md").read_text()


@pytest.mark.parametrize("command", sorted(SCRIPTS))
def test_command_answers_help(command):
    module = SCRIPTS[command].split(":")[0]
    result = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
