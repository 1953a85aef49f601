"""/api/v1/org/invitations/: an administrator's system invites one person by email (portal/invitations.py: the same
checks, seat hold and email as the invitation page). The link goes to the invitee only, never into the answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from portal import access, invitations
from portal.api.base import ORGANISATION_TAG, OrganisationAPIView, coach_and_cohort
from portal.models import Invitation


class InvitationView(OrganisationAPIView):
    reach = {"POST": access.can_manage_members}

    class InputSerializer(serializers.Serializer):
        email = serializers.CharField(max_length=254)
        full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
        role = serializers.ChoiceField(choices=invitations.INVITABLE_ROLES, required=False)
        cohort = serializers.IntegerField(required=False, allow_null=True, help_text=gettext_lazy("Id of a cohort."))
        coach = serializers.IntegerField(
            required=False, allow_null=True, help_text=gettext_lazy("Id of an active coach.")
        )
        language = serializers.CharField(
            max_length=8,
            required=False,
            allow_blank=True,
            help_text=gettext_lazy("Language of the email (en, fr, de, es, ja); the organisation's if left out."),
        )

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Invitation
            fields = ["id", "email", "full_name", "role", "cohort", "coach", "language", "created_at", "expires_at"]
            read_only_fields = fields

    @extend_schema(tags=[ORGANISATION_TAG], request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        found = coach_and_cohort(data)
        cohort, coach = found.get("cohort"), found.get("coach")
        draft = invitations.InvitationDraft(
            email=data["email"],
            full_name=data.get("full_name", ""),
            role=data.get("role", ""),
            cohort=cohort.name if cohort else "",
            coach=coach.email if coach else "",
            language=data.get("language", ""),
        )
        (row,) = invitations.invitations_send(by=request.user, drafts=[draft])
        if not row.ok:
            raise exceptions.ValidationError({"non_field_errors": row.errors})
        return Response(self.OutputSerializer(row.invitation).data, status=status.HTTP_201_CREATED)
