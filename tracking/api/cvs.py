"""/api/v1/cvs/: the user's CV versions. Versions are immutable: list, retrieve and create only. A new version is
answered at once with ``status`` "reading"; a worker reads it (tracking/cv/reading.py) and retrieving it shows
"parsed" or "unreadable" (with ``unreadable_reason``) once done. An upload over the upload budget is a 429 with
Retry-After (too many in the last hour or day) or a 400 (too many versions kept), naming the limit. A version's
conventions (/api/v1/cvs/{id}/conventions/, or the latest one's at /api/v1/cvs/conventions/) check it against the CV
conventions of the country the user applies to (market/cv_rules.py). The seeker's corrections to a version
(/api/v1/cvs/{id}/corrections/) are the CV page's: read, replaced or removed, and used by the match and predictions.

The upload services live in tracking/cv/services.py and are imported when called, so the rest of the API works while
that module is missing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cvplus.json_input import BoundedJSONParser
from cvplus.text_limits import MAX_CV_TEXT_CHARS, bounded_text_field
from tracking import selectors
from tracking.api.base import UserScopedViewSet
from tracking.cv.conventions import cv_conventions
from tracking.models import CVDocument

# Keys of skills to remove in one request: more than a CV version is ever read with (the reader finds each skill once).
MAX_REMOVED_KEYS = 500
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


class CVConventionsFormatsSerializer(serializers.Serializer):
    locale = serializers.CharField(help_text=_("The locale the examples follow; empty when not known."))
    date_short = serializers.CharField(help_text=_("31 December 2026 as a short date; empty when not known."))
    date_long = serializers.CharField()
    number = serializers.CharField(help_text=_("1234567.89 as the country writes it; empty when not known."))
    paper_size = serializers.CharField()
    currency_code = serializers.CharField()
    currency_name = serializers.CharField()


class CVConventionsResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    topic = serializers.CharField()
    severity = serializers.ChoiceField(choices=["must", "should", "tip"])
    status = serializers.ChoiceField(
        choices=["finding", "advice", "ok"],
        help_text=_("finding: change this; advice: general advice, not judged from the text; ok: already done."),
    )
    title = serializers.CharField()
    message = serializers.CharField()
    detail = serializers.CharField()
    evidence = serializers.CharField(help_text=_("The CV line behind the outcome, when there is one."))


class CVViewSet(UserScopedViewSet):
    model = CVDocument
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, BoundedJSONParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(required=False, help_text=_("A PDF, DOCX or plain-text file."))
        text = bounded_text_field(MAX_CV_TEXT_CHARS, required=False, help_text=_("The CV pasted as text."))

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

    class ConventionsQuerySerializer(serializers.Serializer):
        country = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=10,
            help_text=_(
                "ISO 3166 code of the country you apply to, e.g. DE. Default: your profile's country, else your "
                "workspace's region."
            ),
        )

    class ConventionsOutputSerializer(serializers.Serializer):
        cv = serializers.IntegerField(allow_null=True, help_text=_("The CV version checked; null when you have none."))
        cv_version = serializers.IntegerField(allow_null=True)
        country = serializers.CharField(source="report.country_code", help_text=_("Empty for a region's defaults."))
        country_name = serializers.CharField(source="report.country_name")
        region = serializers.CharField(source="report.region_code")
        region_name = serializers.CharField(source="report.region_name")
        scope = serializers.ChoiceField(
            source="report.scope",
            choices=["country", "region", "none"],
            help_text=_("country: its own rules; region: the region's defaults; none: no rules for it yet."),
        )
        checked = serializers.BooleanField(
            source="report.checked", help_text=_("False when there was no readable CV: every result is advice.")
        )
        paper_size = serializers.CharField(source="report.paper_size")
        formats = CVConventionsFormatsSerializer(source="report.formats", allow_null=True)
        results = CVConventionsResultSerializer(source="report.results", many=True)

    def _conventions_response(self, request: Request, cv: CVDocument | None) -> Response:
        query = self.ConventionsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = cv_conventions(user=request.user, cv=cv, country=query.validated_data.get("country", "").strip())
        payload = {"cv": cv.pk if cv else None, "cv_version": cv.version if cv else None, "report": report}
        return Response(self.ConventionsOutputSerializer(payload).data)

    @extend_schema(
        parameters=[ConventionsQuerySerializer],
        responses=ConventionsOutputSerializer,
        operation_id="cvs_conventions_retrieve",
    )
    @action(detail=True, methods=["get"])
    def conventions(self, request: Request, pk: str) -> Response:
        """This CV version checked against the CV conventions of a country (photo, date of birth, length...)."""
        return self._conventions_response(request, self.get_object())

    @extend_schema(
        parameters=[ConventionsQuerySerializer],
        responses=ConventionsOutputSerializer,
        operation_id="cvs_latest_conventions_retrieve",
    )
    @action(detail=False, methods=["get"], url_path="conventions")
    def latest_conventions(self, request: Request) -> Response:
        """Your latest CV version checked against the CV conventions of a country; the advice alone without a CV."""
        from tracking.cv.services import cv_latest

        return self._conventions_response(request, cv_latest(owner=request.user))

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
        """One version; ``status`` is "reading" until the worker has read it (poll this)."""
        from tracking.cv.services import cv_reading_check

        return Response(self.DetailOutputSerializer(cv_reading_check(cv=self.get_object())).data)

    @extend_schema(
        request={"multipart/form-data": InputSerializer, "application/json": InputSerializer},
        responses={201: DetailOutputSerializer},
    )
    def create(self, request: Request) -> Response:
        """Stores a new version and answers at once, ``status`` "reading"; retrieve it to see what was read."""
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        from tracking.cv import services as cv_services
        from tracking.cv.upload_budget import UploadBudgetExceeded

        try:
            if "file" in serializer.validated_data:
                cv = cv_services.cv_upload(owner=request.user, uploaded_file=serializer.validated_data["file"])
            else:
                cv = cv_services.cv_paste(owner=request.user, text=serializer.validated_data["text"])
        except UploadBudgetExceeded as refused:
            if refused.retry_after_s is None:
                raise
            raise exceptions.Throttled(wait=refused.retry_after_s, detail=refused.messages[0]) from None
        cv.refresh_from_db()  # read already when tasks run inline
        return Response(self.DetailOutputSerializer(cv).data, status=status.HTTP_201_CREATED)

    class CorrectionsInputSerializer(serializers.Serializer):
        skills_removed = serializers.ListField(
            child=serializers.CharField(max_length=1000),
            required=False,
            max_length=MAX_REMOVED_KEYS,
            help_text=_("Keys of skills read from this version (its parsed skills' key) that are wrong."),
        )
        skills_added = serializers.ListField(
            child=serializers.CharField(max_length=1000, allow_blank=True),
            required=False,
            help_text=_("Skills the version has that were not read, as you write them."),
        )
        title = serializers.CharField(
            max_length=1000,
            required=False,
            allow_blank=True,
            help_text=_("Your job title, in place of the first one read; empty keeps what was read."),
        )
        years_experience = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("Your years of experience; null keeps the years read.")
        )

    class CorrectionsOutputSerializer(serializers.Serializer):
        cv = serializers.IntegerField()
        skills_removed = serializers.ListField(child=serializers.CharField())
        skills_added = serializers.ListField(child=serializers.CharField())
        title = serializers.CharField()
        years_experience = serializers.IntegerField(allow_null=True)
        updated_at = serializers.DateTimeField(allow_null=True)
        parsed = serializers.JSONField(
            help_text=_(
                "What was read from the version with your corrections applied: what the CV page shows and the match "
                "and the predictions use."
            )
        )

    def _corrections_response(self, cv: CVDocument, *, status_code: int = status.HTTP_200_OK) -> Response:
        from tracking.cv_corrections import cv_correction_of, cv_parsed

        correction = cv_correction_of(cv)
        payload = {
            "cv": cv.pk,
            "skills_removed": list(correction.skills_removed or []) if correction else [],
            "skills_added": list(correction.skills_added or []) if correction else [],
            "title": correction.title if correction else "",
            "years_experience": correction.years_experience if correction else None,
            "updated_at": correction.updated_at if correction else None,
            "parsed": cv_parsed(cv),
        }
        return Response(self.CorrectionsOutputSerializer(payload).data, status=status_code)

    @extend_schema(methods=["GET"], responses=CorrectionsOutputSerializer, operation_id="cvs_corrections_retrieve")
    @extend_schema(
        methods=["PUT"],
        request=CorrectionsInputSerializer,
        responses=CorrectionsOutputSerializer,
        operation_id="cvs_corrections_update",
    )
    @extend_schema(methods=["DELETE"], responses={204: None}, operation_id="cvs_corrections_destroy")
    @action(detail=True, methods=["get", "put", "delete"])
    def corrections(self, request: Request, pk: str) -> Response:
        """Your corrections to what was read from this version, as on its CV page: GET them with the corrected
        reading, PUT replaces them all (a field left out corrects nothing), DELETE removes them. A refused PUT is a
        400 naming the field and changes nothing."""
        from tracking.cv_corrections import cv_correction_save

        cv = self.get_object()
        if request.method == "GET":
            return self._corrections_response(cv)
        if request.method == "DELETE":
            cv_correction_save(user=request.user, cv=cv)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = self.CorrectionsInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cv_correction_save(user=request.user, cv=cv, **serializer.validated_data)
        return self._corrections_response(cv)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def progression(self, request: Request, pk: str) -> Response:
        """Where this CV version can lead: next roles, the skills each adds, the wage change (tracking.progression)."""
        from tracking.progression import progression_for_cv

        return Response(progression_for_cv(user=request.user, cv=self.get_object()))
