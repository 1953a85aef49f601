"""/api/v1/applications/: applications, their stage moves and history, and the contacts, notes and tasks on them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracking import selectors, services
from tracking.api.base import UserScopedViewSet
from tracking.api.postings import PostingOutputSerializer
from tracking.models import Application, ApplicationEvent, Contact, Note, Stage, Task

APPLICATION_FIELDS = [
    "id",
    "posting",
    "cv",
    "channel",
    "stage",
    "interview_round",
    "applied_at",
    "stage_changed_at",
    "offer_amount",
    "offer_currency",
    "likely_ghosted_since",
    "created_at",
]


class PostingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    company = serializers.CharField()


class ApplicationViewSet(UserScopedViewSet):
    model = Application
    stage_filter: str | None = None

    class FilterSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)

    class InputSerializer(serializers.Serializer):
        posting = serializers.IntegerField(help_text=gettext_lazy("Id of one of your job postings."))
        cv = serializers.IntegerField(
            required=False, allow_null=True, help_text=gettext_lazy("Id of one of your CV versions.")
        )
        channel = serializers.ChoiceField(choices=Application.Channel.choices, required=False)
        stage = serializers.ChoiceField(
            choices=Stage.choices, required=False, help_text=gettext_lazy("A new application is saved or applied.")
        )
        at = serializers.DateTimeField(
            required=False, help_text=gettext_lazy("When it was saved or sent; now if left out.")
        )

    class MoveInputSerializer(serializers.Serializer):
        to_stage = serializers.ChoiceField(choices=Stage.choices)
        at = serializers.DateTimeField(required=False, help_text=gettext_lazy("When it happened; now if left out."))
        offer_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
        offer_currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True)

    class OutputSerializer(serializers.ModelSerializer):
        posting = PostingSummarySerializer()
        cv = serializers.IntegerField(
            source="cv_id", allow_null=True, help_text=gettext_lazy("The CV version sent (pinned).")
        )

        class Meta:
            model = Application
            fields = APPLICATION_FIELDS
            read_only_fields = fields

    class DetailOutputSerializer(OutputSerializer):
        posting = PostingOutputSerializer()

    def safely_get_queryset(self):
        return selectors.application_list(user=self.request.user, stage=self.stage_filter)

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer(many=True))
    def list(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        self.stage_filter = filters.validated_data.get("stage")
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(responses=DetailOutputSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.DetailOutputSerializer(self.get_object()).data)

    @extend_schema(request=InputSerializer, responses={201: DetailOutputSerializer})
    def create(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # Referenced objects are looked up among the user's own: another user's id is refused, never linked.
        posting = selectors.posting_get(user=request.user, pk=data.pop("posting"))
        if posting is None:
            raise ValidationError({"posting": _("Choose one of your own job postings.")})
        cv_id = data.pop("cv", None)
        cv = None
        if cv_id is not None:
            cv = selectors.cv_get(user=request.user, pk=cv_id)
            if cv is None:
                raise ValidationError({"cv": _("Choose one of your own CV versions.")})
        application = services.application_create(owner=request.user, posting=posting, cv=cv, **data)
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.DetailOutputSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveInputSerializer, responses=DetailOutputSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        serializer = self.MoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_move(application=application, by=request.user, **serializer.validated_data)
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.DetailOutputSerializer(application).data)


class ApplicationChildViewSet(UserScopedViewSet):
    """Rows hanging off one application, at /applications/{application_pk}/<children>/: list and add.

    Both first look the application up among the user's own, so another user's application is a 404 even when it has
    no children.
    """

    owner_field = "application__owner"
    list_selector: ClassVar[Any]
    OutputSerializer: ClassVar[type[serializers.Serializer]]
    InputSerializer: ClassVar[type[serializers.Serializer]]

    def safely_get_queryset(self):
        application_id = self.kwargs.get("application_pk")
        return type(self).list_selector(user=self.request.user, application_id=application_id)

    def add(self, *, application: Application, **data: Any) -> Model:
        raise NotImplementedError

    def list(self, request: Request, application_pk: int) -> Response:
        self.get_parent_application()
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    def create(self, request: Request, application_pk: int) -> Response:
        application = self.get_parent_application()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = self.add(application=application, **serializer.validated_data)
        return Response(self.OutputSerializer(row).data, status=status.HTTP_201_CREATED)


def _child_schema(viewset: type[ApplicationChildViewSet], *, creates: bool = True) -> None:
    documented = {"list": extend_schema(responses=viewset.OutputSerializer(many=True))}
    if creates:
        documented["create"] = extend_schema(request=viewset.InputSerializer, responses={201: viewset.OutputSerializer})
    extend_schema_view(**documented)(viewset)


class EventViewSet(ApplicationChildViewSet):
    """The application's history, oldest first. Read-only: events are never changed."""

    model = ApplicationEvent
    list_selector = staticmethod(selectors.application_event_list)

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = ApplicationEvent
            fields = [
                "id",
                "from_stage",
                "to_stage",
                "interview_round",
                "occurred_at",
                "recorded_at",
                "offer_amount",
                "offer_currency",
                "note",
            ]
            read_only_fields = fields


class ContactViewSet(ApplicationChildViewSet):
    model = Contact
    list_selector = staticmethod(selectors.contact_list)

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=150)
        role = serializers.CharField(max_length=100, required=False, allow_blank=True)
        email = serializers.EmailField(required=False, allow_blank=True)
        phone = serializers.CharField(max_length=40, required=False, allow_blank=True)

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Contact
            fields = ["id", "name", "role", "email", "phone", "created_at"]
            read_only_fields = fields

    def add(self, *, application: Application, **data: Any) -> Contact:
        return services.contact_add(application=application, **data)


class NoteViewSet(ApplicationChildViewSet):
    model = Note
    list_selector = staticmethod(selectors.note_list)

    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=5000)

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Note
            fields = ["id", "body", "created_at"]
            read_only_fields = fields

    def add(self, *, application: Application, **data: Any) -> Note:
        return services.note_add(application=application, **data)


class TaskViewSet(ApplicationChildViewSet):
    """Tasks are listed and added under their application and completed at /tasks/{id}/complete/."""

    model = Task
    list_selector = staticmethod(selectors.task_list)

    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200)
        due_at = serializers.DateTimeField(required=False, allow_null=True)

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Task
            fields = ["id", "application", "title", "due_at", "done_at", "created_at"]
            read_only_fields = fields

    def add(self, *, application: Application, **data: Any) -> Task:
        return services.task_add(application=application, **data)

    @extend_schema(request=None, responses=OutputSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        task = services.task_complete(task=self.get_object())
        return Response(self.OutputSerializer(task).data)


_child_schema(EventViewSet, creates=False)
_child_schema(ContactViewSet)
_child_schema(NoteViewSet)
_child_schema(TaskViewSet)
