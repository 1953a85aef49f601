from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from market.selectors import reference_source_list


@require_safe
def data_sources(request: HttpRequest) -> HttpResponse:
    """Public page crediting every reference data source, as O*NET (CC BY 4.0) and ESCO require."""
    return render(request, "market/data_sources.html", {"sources": reference_source_list()})
