"""GET /api/v1/applications/{id}/comparison/: how one of your applications compares (see
predictions.comparison.service). Another user's or another tenant's application is a 404 that carries nothing of it;
a plan with neither part is a 403 saying why; a plan with one part gets the other as ``locked`` with the reason."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from billing.gating import PLAN_REQUIRED
from predictions.comparison.service import application_comparison
from predictions.models import PredictionLog
from tracking.api.base import ServiceAPIView
from tracking.selectors import application_get


class ApplicationComparisonView(ServiceAPIView):
    """Where this application's CV match stands among comparable applications in the workspace (a percentile from
    10 of them on, otherwise their count), and where the posted or offered salary stands in the predicted range."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        operation_id="application_comparison_retrieve",
    )
    def get(self, request: Request, application_pk: int) -> Response:
        application = application_get(user=request.user, pk=application_pk)
        if application is None:
            raise exceptions.NotFound()
        comparison = application_comparison(user=request.user, application=application, source=PredictionLog.Source.API)
        if all(part.get("locked") for part in comparison.values()):
            raise exceptions.PermissionDenied(detail=comparison["match"]["message"], code=PLAN_REQUIRED)
        return Response({"application_id": application.pk, **comparison})
