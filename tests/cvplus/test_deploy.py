"""Production settings pass Django's deployment checklist as a real deployment would configure them."""

from __future__ import annotations

import subprocess
import sys

from tests.servers import ROOT, production_environment


def test_it_passes_check_deploy_under_production_settings(tmp_path) -> None:
    environment = production_environment(
        database="cvplus_deploy_check",  # never connected to: the checks read settings only
        application_name="cvplus-test-check-deploy",
        static_root=str(tmp_path),
        redis_url="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_production_without_a_real_secret_key(tmp_path) -> None:
    environment = production_environment(
        database="cvplus_deploy_check",
        application_name="cvplus-test-check-deploy",
        static_root=str(tmp_path),
        redis_url="redis://127.0.0.1:6379/0",
    ) | {"SECRET_KEY": "dev-only-insecure-secret-key-change-me-in-production"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr
