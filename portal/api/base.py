"""What every organisation API view shares: the two ways in (token or session), enterprise hosts only, and one
access rule per HTTP method, all answering 404 for anything out of reach."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from rest_framework import exceptions, generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request

from portal import access, people
from portal.api_auth import ApiTokenAuthentication, TokenScopeAllows
from portal.models import Cohort
from tracking.api.base import ServiceErrorsMixin

ORGANISATION_TAG = "organisation"


class OrganisationAPIView(ServiceErrorsMixin, generics.GenericAPIView):
    """Base of every /api/v1/org/ view.

    ``reach`` maps each HTTP method the view answers to the access predicate (portal/access.py) its caller must pass;
    a caller who fails it, or a consumer host, is a 404, so the API never confirms that something it will not show
    exists; any other method is a 405. A missing or bad credential is a 401 (``WWW-Authenticate: Bearer``), a read
    token asking to write a 403 naming the reason.
    """

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, TokenScopeAllows]
    reach: ClassVar[dict[str, Callable[[object], bool]]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if not access.is_enterprise():
            raise exceptions.NotFound()
        super().initial(request, *args, **kwargs)
        method = "GET" if request.method == "HEAD" else request.method
        rule = self.reach.get(method)
        if rule is None:
            raise exceptions.MethodNotAllowed(request.method)
        if not rule(request.user):
            raise exceptions.NotFound()


def coach_and_cohort(data: dict) -> dict:
    """The coach and the cohort that `data` names by id, for the keys it has (null stays None: "none"), or a 400
    naming each id that is not an active coach or a cohort of this organisation."""
    found, errors = {}, {}
    lookups = (
        ("coach", people.coaches_active(), _("Choose one of the organisation's active coaches.")),
        ("cohort", Cohort.objects.all(), _("Choose one of the organisation's cohorts.")),
    )
    for field, candidates, refusal in lookups:
        if field not in data:
            continue
        found[field] = None if data[field] is None else candidates.filter(pk=data[field]).first()
        if data[field] is not None and found[field] is None:
            errors[field] = [refusal]
    if errors:
        raise exceptions.ValidationError(errors)
    return found
