"""What of accounts is searchable: the agency directory, in each language an agency's
name is given in. Nothing about people (names, emails, roles) is indexed."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from search import registry
from search.registry import SearchDoc

from .models import Agency


def agency_documents(agency: Agency):
    for language in ("kk", "ru", "en"):
        name = getattr(agency, f"name_{language}", "")
        if not name:
            continue
        with translation.override(language):
            url = agency.get_absolute_url()
        yield SearchDoc(
            title=name,
            body="\n".join(
                part
                for part in (
                    getattr(agency, f"description_{language}", ""),
                    getattr(agency, f"address_{language}", ""),
                )
                if part
            ),
            language=language,
            url=url,
            agency_id=agency.pk,
            status=agency.kind,
        )


registry.register(
    "agency",
    label=_("Agencies"),
    model=Agency,
    queryset=lambda: Agency.objects.filter(is_active=True),
    documents=agency_documents,
    statuses={kind.value: kind.label for kind in Agency.Kind},
)
