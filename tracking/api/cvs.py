"""/api/v1/cvs/: the user's CV versions. Versions are immutable: list, retrieve and create only.

The upload services live in tracking/cv/services.py and are imported when called, so the rest of the API works while
that module is missing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from tracking import selectors
from tracking.api.base import UserScopedViewSet
from tracking.models import CVDocument

CV_SUMMARY_FIELDS = [
    "id",
    "version",
    "source",
    "original_name",
    "content_type",
    "size_bytes",
    "status",
    "unreadable_reason",
    "parser_version",
    "created_at",
]


class CVViewSet(UserScopedViewSet):
    model = CVDocument
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(required=False, help_text=_("A PDF, DOCX or plain-text file."))
        text = serializers.CharField(required=False, help_text=_("The CV pasted as text."))

        def validate(self, attrs: dict) -> dict:
            if ("file" in attrs) == ("text" in attrs):
                raise serializers.ValidationError(
                    {"file": [_("Upload a file or paste the text of your CV (one of the two).")]}
                )
            return attrs

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = CVDocument
            fields = CV_SUMMARY_FIELDS
            read_only_fields = fields

    class DetailOutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = CVDocument
            fields = [*CV_SUMMARY_FIELDS, "text", "parsed"]
            read_only_fields = fields

    def safely_get_queryset(self):
        if self.action == "list":
            return selectors.cv_list(user=self.request.user)
        return CVDocument.objects.all()

    @extend_schema(responses=OutputSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(responses=DetailOutputSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.DetailOutputSerializer(self.get_object()).data)

    @extend_schema(
        request={"multipart/form-data": InputSerializer, "application/json": InputSerializer},
        responses={201: DetailOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from tracking.cv import services as cv_services

        if "file" in serializer.validated_data:
            cv = cv_services.cv_upload(owner=request.user, uploaded_file=serializer.validated_data["file"])
        else:
            cv = cv_services.cv_paste(owner=request.user, text=serializer.validated_data["text"])
        return Response(self.DetailOutputSerializer(cv).data, status=status.HTTP_201_CREATED)
