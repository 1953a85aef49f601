"""/api/v1/org/members/: the members a caller reaches, one member, their applications (if shared), and assigning a
member to a coach and a cohort."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from portal import access, people
from portal.api import roster
from portal.api.base import ORGANISATION_TAG, OrganisationAPIView, coach_and_cohort
from portal.models import Membership
from tracking.api.applications import APPLICATION_FIELDS
from tracking.models import Application, Stage


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberSharesSerializer(serializers.Serializer):
    applications = serializers.BooleanField(help_text=_("Their applications and their history."))
    cv = serializers.BooleanField()
    notes = serializers.BooleanField(help_text=_("Their notes, contacts and tasks."))


class OrganisationMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.CharField()
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    cohort = OrganisationRefSerializer(allow_null=True)
    coach = OrganisationRefSerializer(allow_null=True)
    joined_at = serializers.DateTimeField()
    last_active_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The latest of their last sign-in and last recorded activity.")
    )
    shares = MemberSharesSerializer(help_text=_("What the member lets their coach and the administrators see."))
    stage_counts = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("Applications per stage; null when the member does not share their applications."),
    )


def _member_data(row: roster.MemberRow) -> dict:
    return OrganisationMemberSerializer(asdict(row)).data


class MemberListView(OrganisationAPIView):
    """The members the caller reaches: every member for an administrator, their own for a coach (all, if the
    organisation says so)."""

    reach = {"GET": access.can_coach}

    @extend_schema(tags=[ORGANISATION_TAG], responses=OrganisationMemberSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(roster.members_reachable(request.user))
        return self.get_paginated_response([_member_data(row) for row in roster.member_rows(page)])


class MemberDetailView(OrganisationAPIView):
    reach = {"GET": access.can_coach, "PATCH": access.can_manage_members}

    class InputSerializer(serializers.Serializer):
        coach = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("Id of an active coach; null removes the coach.")
        )
        cohort = serializers.IntegerField(
            required=False, allow_null=True, help_text=_("Id of a cohort; null takes the member out of theirs.")
        )

        def validate(self, attrs: dict) -> dict:
            if not attrs:
                raise serializers.ValidationError(_("Send a coach, a cohort or both."))
            return attrs

    @extend_schema(tags=[ORGANISATION_TAG], responses=OrganisationMemberSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_member_data(roster.member_row(request.user, pk)))

    @extend_schema(tags=[ORGANISATION_TAG], request=InputSerializer, responses=OrganisationMemberSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        member = access.member_get(request.user, pk)  # out of reach: 404 before the input is even read
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        people.memberships_assign(by=request.user, people=[member], **coach_and_cohort(data))
        return Response(_member_data(roster.member_row(request.user, pk)))


class OrganisationPostingSerializer(serializers.Serializer):
    title = serializers.CharField()
    company = serializers.CharField()
    location = serializers.CharField()
    country = serializers.CharField()
    industry = serializers.CharField()


class MemberApplicationListView(OrganisationAPIView):
    """The member's applications, if the caller reaches the member and the member shares their applications (else
    404). No CV and no notes: those are shared separately."""

    reach = {"GET": access.can_coach}

    class OutputSerializer(serializers.ModelSerializer):
        posting = OrganisationPostingSerializer()
        stage = serializers.ChoiceField(choices=Stage.choices)

        class Meta:
            model = Application
            fields = [field for field in APPLICATION_FIELDS if field != "cv"]  # the CV is shared on its own
            read_only_fields = fields

    @extend_schema(tags=[ORGANISATION_TAG], responses=OutputSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        page = self.paginate_queryset(roster.member_applications(request.user, pk))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)
