"""The OpenAPI schema and the docs pages, served without any third-party host."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/profile/",
    "/api/v1/cvs/",
    "/api/v1/cvs/{id}/",
    "/api/v1/cvs/{id}/conventions/",
    "/api/v1/cvs/{id}/corrections/",
    "/api/v1/cvs/conventions/",
    "/api/v1/cvs/{id}/progression/",
    "/api/v1/progression/",
    "/api/v1/postings/",
    "/api/v1/postings/{id}/",
    "/api/v1/applications/",
    "/api/v1/applications/{id}/",
    "/api/v1/applications/{id}/move/",
    "/api/v1/applications/{application_pk}/events/",
    "/api/v1/applications/{application_pk}/contacts/",
    "/api/v1/applications/{application_pk}/notes/",
    "/api/v1/applications/{application_pk}/tasks/",
    "/api/v1/applications/{application_pk}/comparison/",
    "/api/v1/tasks/{id}/complete/",
    "/api/v1/reminders/",
    "/api/v1/reminders/{id}/snooze/",
    "/api/v1/reminders/{id}/turn-off/",
    "/api/v1/notifications/",
    "/api/v1/notifications/{id}/read/",
    "/api/v1/predictions/salary",
    "/api/v1/predictions/interview",
    "/api/v1/predictions/time-to-hire",
    "/api/v1/predictions/match",
}


def test_it_serves_the_openapi_schema_as_json_and_yaml(client_a) -> None:
    as_json = client_a.get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200
    schema = json.loads(as_json.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == EXPECTED_PATHS
    assert set(schema["paths"]["/api/v1/applications/{id}/move/"]) == {"post"}
    assert "PaginatedApplicationOutputList" in schema["components"]["schemas"]
    as_yaml = client_a.get("/api/v1/schema/")
    assert as_yaml.status_code == 200
    assert as_yaml.content.startswith(b"openapi: 3.")


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_it_serves_the_docs_pages_from_its_own_static_files(client_a, path) -> None:
    response = client_a.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    # Swagger UI's start-up script is the page itself with ?script (no inline script under the CSP).
    own_scripts = [ref for ref in references if ref.startswith(f"{path}?") and "script" in ref]
    sidecar = [ref for ref in references if ref.startswith("/static/drf_spectacular_sidecar/")]
    assert sorted(sidecar + own_scripts) == sorted(references), references
    assert "https://" not in html
    assert "http://" not in html
    for script in own_scripts:
        html += client_a.get(script.replace("&amp;", "&")).content.decode()
    assert "/api/v1/schema/" in html
