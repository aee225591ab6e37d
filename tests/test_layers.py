"""The layers of ARCHITECTURE.md: the import-linter contract in pyproject.toml
holds, it is written over every app, and the bottom layer (hanoi_event, apart
from its wiring modules) names no domain app."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN_APPS = (
    "delegations",
    "sessions",
    "demo",
    "accreditation",
    "checkin",
    "protocol",
    "reports",
)
# The wiring: these may name every app (ARCHITECTURE.md, "Layers and layout").
WIRING = {"settings.py", "urls.py", "celery.py", "wsgi.py", "asgi.py"}
DOMAIN_IMPORT = re.compile(
    rf"^\s*(from|import)\s+({'|'.join(DOMAIN_APPS)})\b", re.MULTILINE
)


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def test_layers_contract_is_kept():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_layers_contract_reports_an_import_from_a_higher_layer(tmp_path):
    # The same contract on a copy of the apps with one import upwards.
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in _config()["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    (tmp_path / "hanoi_event" / "layer_probe.py").write_text(
        "from delegations import models  # noqa\n"
    )
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    assert "hanoi_event is not allowed to import delegations" in result.stdout
    assert "hanoi_event.layer_probe -> delegations" in result.stdout


def test_layers_contract_covers_every_app_and_ignores_nothing():
    config = _config()
    apps = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
    (contract,) = config["contracts"]
    layered = sorted(
        name.strip()
        for layer in contract["layers"]
        for name in re.split(r"[|:]", layer)
    )
    assert sorted(config["root_packages"]) == apps
    assert layered == apps
    assert contract["type"] == "layers"
    assert "ignore_imports" not in contract


def test_bottom_layer_imports_no_domain_app_outside_the_wiring():
    offenders = []
    for path in sorted((ROOT / "hanoi_event").rglob("*.py")):
        relative = path.relative_to(ROOT / "hanoi_event")
        if relative.parts[0] == "migrations" or str(relative) in WIRING:
            continue
        text = path.read_text(encoding="utf-8")
        for match in DOMAIN_IMPORT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"hanoi_event/{relative}:{line}: {match.group(0).strip()}")
    assert offenders == []
