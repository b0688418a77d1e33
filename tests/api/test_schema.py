from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from accounts.api import AgencyViewSet
from cms.api import AnnouncementViewSet
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
WATCHES = "/api/v1/watches/"
EXTERNAL_ASSET_HOSTS = ["https://cdn", "http://cdn", "unpkg", "jsdelivr", "cdnjs", "googleapis"]


def test_schema_is_an_openapi_document_of_the_open_data_api(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Ashyq open data API"
    paths = set(document["paths"])
    assert {
        "/api/v1/agencies/",
        "/api/v1/agencies/{slug}/",
        "/api/v1/announcements/",
        "/api/v1/announcements/{id}/",
    } <= paths
    assert all(path.startswith("/api/v1/") for path in paths)
    parameters = {p["name"] for p in document["paths"]["/api/v1/agencies/"]["get"]["parameters"]}
    assert {"kind", "region", "lang", "page", "page_size"} <= parameters
    detail = document["paths"]["/api/v1/announcements/{id}/"]["get"]["parameters"]
    assert [p["schema"]["type"] for p in detail if p["name"] == "id"] == ["integer"]
    # Open data is read-only. The one exception is the caller's own watches
    # (/api/v1/watches/): personal, not open data, and every operation there, reads
    # included, needs a signed-in caller (no anonymous `{}` security alternative).
    own = {path: item for path, item in document["paths"].items() if path.startswith(WATCHES)}
    assert {"post", "delete"} <= {method for item in own.values() for method in item}
    for path, item in own.items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            security = operation.get("security", document.get("security"))
            assert security, (path, method)
            assert {} not in security, (path, method)
    methods = {
        method
        for path, item in document["paths"].items()
        if not path.startswith(WATCHES)
        for method in item
    }
    assert methods <= {"get", "parameters"}


def test_schema_default_format_parses_too(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi:" in text or '"openapi"' in text


def test_schema_has_no_email_addresses(client):
    text = client.get("/api/schema/", {"format": "json"}).content.decode()

    assert EMAIL_RE.findall(text) == []
    assert '"email"' not in text


def test_api_docs_serve_swagger_from_the_site_itself(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    for host in EXTERNAL_ASSET_HOSTS:
        assert host not in html, host
    assert "/static/drf_spectacular_sidecar/" in html
    assert "/api/schema/" in html


def test_anonymous_throttling_is_configured():
    rest = settings.REST_FRAMEWORK
    assert "rest_framework.throttling.AnonRateThrottle" in rest["DEFAULT_THROTTLE_CLASSES"]
    assert rest["DEFAULT_THROTTLE_RATES"]["anon"]
    for viewset in (AgencyViewSet, AnnouncementViewSet):
        classes = [throttle.__class__ for throttle in viewset().get_throttles()]
        assert AnonRateThrottle in classes
        assert UserRateThrottle in classes


def test_base_settings_default_anon_rate_is_finite():
    from ashyq.settings import base

    rate = base.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    match = re.fullmatch(r"(\d+)/(s|sec|m|min|h|hour|d|day)", rate)
    assert match, rate
    assert 0 < int(match.group(1)) <= 1000


def test_anonymous_clients_over_the_rate_get_429(client, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    AgencyFactory()

    statuses = [client.get("/api/v1/agencies/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/agencies/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
