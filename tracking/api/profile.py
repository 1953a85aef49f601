"""GET/PATCH /api/v1/profile/: the signed-in user's candidate profile and reminder settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tracking.api.base import ServiceAPIView
from tracking.models import CandidateProfile
from tracking.services import COUNTRY_RE, CURRENCY_RE, MAX_YEARS_EXPERIENCE, profile_for, profile_update, text_clean


class ProfileView(ServiceAPIView):
    class InputSerializer(serializers.Serializer):
        headline = serializers.CharField(max_length=200, required=False, allow_blank=True)
        target_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
        country = serializers.CharField(max_length=2, required=False, allow_blank=True)
        years_experience = serializers.IntegerField(
            min_value=0, max_value=MAX_YEARS_EXPERIENCE, required=False, allow_null=True
        )
        experience_level = serializers.ChoiceField(
            choices=CandidateProfile._meta.get_field("experience_level").choices, required=False, allow_blank=True
        )
        preferred_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
        reminders_enabled = serializers.BooleanField(required=False)
        follow_up_after_applied_days = serializers.IntegerField(min_value=1, max_value=90, required=False)
        follow_up_after_interview_days = serializers.IntegerField(min_value=1, max_value=30, required=False)
        task_reminder_hours_before = serializers.IntegerField(min_value=1, max_value=336, required=False)
        ghosted_after_days = serializers.IntegerField(min_value=7, max_value=365, required=False)

        def validate_headline(self, value: str) -> str:
            return text_clean(value, max_chars=200)

        def validate_target_title(self, value: str) -> str:
            return text_clean(value, max_chars=200)

        def validate_country(self, value: str) -> str:
            value = value.strip().upper()
            if value and not COUNTRY_RE.match(value):
                raise serializers.ValidationError(_("Enter a two-letter country code, such as US or DE."))
            return value

        def validate_preferred_currency(self, value: str) -> str:
            value = value.strip().upper()
            if value and not CURRENCY_RE.match(value):
                raise serializers.ValidationError(_("Enter a three-letter currency code, such as EUR."))
            return value

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = CandidateProfile
            fields = [
                "headline",
                "target_title",
                "country",
                "years_experience",
                "experience_level",
                "preferred_currency",
                "reminders_enabled",
                "follow_up_after_applied_days",
                "follow_up_after_interview_days",
                "task_reminder_hours_before",
                "ghosted_after_days",
            ]
            read_only_fields = fields

    @extend_schema(responses=OutputSerializer, operation_id="profile_retrieve")
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(profile_for(request.user)).data)

    @extend_schema(request=InputSerializer, responses=OutputSerializer, operation_id="profile_partial_update")
    def patch(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = profile_update(user=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(profile).data)
