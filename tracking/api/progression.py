"""/api/v1/progression/: where the signed-in user's latest CV can lead (GET), or given titles and skills (POST).

A CV version's own progression is /api/v1/cvs/{id}/progression/ (tracking.api.cvs), owner-scoped like every CV
lookup. The wage figures need the salary-range feature of the caller's plan (tracking.progression).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tracking.api.base import ServiceAPIView
from tracking.cv.services import cv_latest
from tracking.progression import progression_for_cv, progression_for_titles
from tracking.services import text_clean

MAX_TITLES = 20
MAX_SKILLS = 200
MAX_ITEM_CHARS = 200


class _CleanTextField(serializers.CharField):
    def to_internal_value(self, data: object) -> str:
        value = text_clean(super().to_internal_value(data), max_chars=MAX_ITEM_CHARS)
        if not value:
            raise serializers.ValidationError(_("This field may not be blank."))
        return value


class ProgressionView(ServiceAPIView):
    class InputSerializer(serializers.Serializer):
        titles = serializers.ListField(
            child=_CleanTextField(max_length=MAX_ITEM_CHARS),
            min_length=1,
            max_length=MAX_TITLES,
            help_text=_("Job titles, the current or most recent first."),
        )
        skills = serializers.ListField(
            child=_CleanTextField(max_length=MAX_ITEM_CHARS),
            required=False,
            default=list,
            max_length=MAX_SKILLS,
            help_text=_("Skills you already have; a next role's skills that you list are not shown as added."),
        )

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, operation_id="progression_retrieve")
    def get(self, request: Request) -> Response:
        return Response(progression_for_cv(user=request.user, cv=cv_latest(owner=request.user)))

    @extend_schema(request=InputSerializer, responses={200: OpenApiTypes.OBJECT}, operation_id="progression_create")
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(progression_for_titles(user=request.user, **serializer.validated_data))
