"""/api/v1/org/outcomes/funnel/: the organisation's (or a cohort's) application funnel, aggregates only."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal import access
from portal.api.base import ORGANISATION_TAG, OrganisationAPIView
from portal.api.funnel import FUNNEL_STAGES, funnel_aggregate
from portal.models import Cohort


class FunnelStepSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=[(stage.value, stage.label) for stage in FUNNEL_STAGES])
    applications = serializers.IntegerField(help_text=_("Applications that reached this stage or a later one."))
    members = serializers.IntegerField(help_text=_("Members with at least one such application."))
    conversion = serializers.FloatField(
        allow_null=True, help_text=_("Share of the previous stage's applications that reached this one.")
    )


class FunnelView(OrganisationAPIView):
    reach = {"GET": access.can_see_outcomes}

    class FilterSerializer(serializers.Serializer):
        cohort = serializers.IntegerField(
            required=False, help_text=_("Id of a cohort; the whole organisation if left out.")
        )

    class OutputSerializer(serializers.Serializer):
        cohort_id = serializers.IntegerField(allow_null=True)
        members = serializers.IntegerField()
        suppressed = serializers.BooleanField(
            help_text=_("True when the group has fewer than five members: then no figures are given.")
        )
        steps = FunnelStepSerializer(many=True)

    @extend_schema(tags=[ORGANISATION_TAG], parameters=[FilterSerializer], responses=OutputSerializer)
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cohort_id = filters.validated_data.get("cohort")
        if cohort_id is not None and not Cohort.objects.filter(pk=cohort_id).exists():
            raise exceptions.NotFound()
        return Response(self.OutputSerializer(asdict(funnel_aggregate(cohort_id=cohort_id))).data)
