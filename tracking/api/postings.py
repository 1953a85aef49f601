"""/api/v1/postings/: the user's saved job postings.

A posting is a snapshot of the job as the user saved it; applications and the predictions made for them read its
title, company, salary, location and description. So a PATCH changes only ``url`` (a moved or archived page), which
nothing derived depends on. To correct the content, delete the posting (possible while no application uses it) and
save it again.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cvplus.text_limits import MAX_DESCRIPTION_CHARS, bounded_text_field
from market.industries import industry_choices
from tracking import selectors
from tracking.api.base import UserScopedViewSet
from tracking.models import JobPosting
from tracking.services import PostingInUse, posting_create, posting_delete, posting_url_update


class PostingInUseError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This posting has applications; it is kept as their record.")
    default_code = "posting_in_use"


class PostingRequirementsSerializer(serializers.Serializer):
    must_have = serializers.ListField(child=serializers.CharField())
    nice_to_have = serializers.ListField(child=serializers.CharField())


class PostingOutputSerializer(serializers.ModelSerializer):
    requirements = PostingRequirementsSerializer(
        source="requirements_current",
        read_only=True,
        help_text=_("Must-have and nice-to-have requirements as CVPlus reads the description now."),
    )

    class Meta:
        model = JobPosting
        fields = [
            "id",
            "title",
            "company",
            "url",
            "location",
            "country",
            "region",
            "salary_min",
            "salary_max",
            "salary_currency",
            "salary_period",
            "employment_type",
            "remote",
            "industry",
            "industry_detected",
            "description",
            "requirements",
            "created_at",
        ]
        read_only_fields = fields


class PostingViewSet(UserScopedViewSet):
    model = JobPosting

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        company = serializers.CharField(max_length=200)
        url = serializers.URLField(max_length=1000, required=False, allow_blank=True)
        location = serializers.CharField(max_length=200, required=False, allow_blank=True)
        country = serializers.CharField(max_length=2, required=False, allow_blank=True)
        salary_min = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
        salary_max = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
        salary_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
        salary_period = serializers.ChoiceField(
            choices=JobPosting.SalaryPeriod.choices, required=False, allow_blank=True
        )
        employment_type = serializers.ChoiceField(choices=JobPosting.EmploymentType.choices, required=False)
        remote = serializers.ChoiceField(choices=JobPosting.Remote.choices, required=False)
        industry = serializers.ChoiceField(
            choices=industry_choices(),
            required=False,
            allow_blank=True,
            help_text=_("One of the industries (e.g. healthcare); detected from the posting when left out."),
        )
        description = bounded_text_field(MAX_DESCRIPTION_CHARS, required=False, allow_blank=True)

    class UpdateInputSerializer(serializers.Serializer):
        url = serializers.URLField(max_length=1000, allow_blank=True)

        def validate(self, attrs: dict) -> dict:
            frozen = sorted(set(self.initial_data) - set(self.fields))
            if frozen:
                message = _("This is part of the posting as you saved it and cannot change; only the link can.")
                raise serializers.ValidationError({name: [message] for name in frozen})
            return attrs

    OutputSerializer = PostingOutputSerializer

    def safely_get_queryset(self):
        return selectors.posting_list(user=self.request.user)

    @extend_schema(responses=OutputSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(responses=OutputSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.OutputSerializer(self.get_object()).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def create(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posting = posting_create(owner=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(posting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=UpdateInputSerializer,
        responses=OutputSerializer,
        description=_("Only the link can change: the rest is the snapshot the applications were made against."),
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        posting = self.get_object()
        serializer = self.UpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        posting = posting_url_update(posting=posting, **serializer.validated_data)
        return Response(self.OutputSerializer(posting).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        try:
            posting_delete(posting=self.get_object())
        except PostingInUse:
            raise PostingInUseError from None
        return Response(status=status.HTTP_204_NO_CONTENT)
