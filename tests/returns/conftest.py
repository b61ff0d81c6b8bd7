import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def validators_venv():
    """The validators' environment, built by the make fragment when missing (never skipped)."""
    python = ROOT / ".venv-validators" / "bin" / "python"
    if not (ROOT / ".venv-validators" / ".installed").exists():
        subprocess.run(["make", "-f", "returns.mk", "validators-venv"], cwd=ROOT, check=True)
    return python
