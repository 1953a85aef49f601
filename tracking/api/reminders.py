"""/api/v1/reminders/ (list, snooze, turn off) and /api/v1/notifications/ (list, mark read)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracking import selectors
from tracking.api.applications import PostingSummarySerializer
from tracking.api.base import UserScopedViewSet
from tracking.models import Notification, Reminder
from tracking.reminders import reminder_snooze, reminder_turn_off
from tracking.services import notification_mark_read


class ReminderViewSet(UserScopedViewSet):
    model = Reminder

    class SnoozeInputSerializer(serializers.Serializer):
        days = serializers.IntegerField()

    class OutputSerializer(serializers.ModelSerializer):
        posting = PostingSummarySerializer(source="application.posting")
        task_title = serializers.CharField(source="task.title", default="", allow_blank=True)

        class Meta:
            model = Reminder
            fields = ["id", "kind", "status", "due_at", "sent_at", "application", "posting", "task", "task_title"]
            read_only_fields = fields

    def safely_get_queryset(self):
        return selectors.reminder_list(user=self.request.user)

    @extend_schema(responses=OutputSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(request=SnoozeInputSerializer, responses=OutputSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request: Request, pk: str) -> Response:
        reminder = self.get_object()
        serializer = self.SnoozeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reminder = reminder_snooze(reminder=reminder, **serializer.validated_data)
        return Response(self.OutputSerializer(self.get_queryset().get(pk=reminder.pk)).data)

    @extend_schema(request=None, responses=OutputSerializer)
    @action(detail=True, methods=["post"], url_path="turn-off")
    def turn_off(self, request: Request, pk: str) -> Response:
        reminder = reminder_turn_off(reminder=self.get_object())
        return Response(self.OutputSerializer(self.get_queryset().get(pk=reminder.pk)).data)


class NotificationViewSet(UserScopedViewSet):
    model = Notification
    owner_field = "user"

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Notification
            fields = ["id", "title", "body", "url", "created_at", "read_at"]
            read_only_fields = fields

    def safely_get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(responses=OutputSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)

    @extend_schema(request=None, responses=OutputSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = notification_mark_read(notification=self.get_object())
        return Response(self.OutputSerializer(notification).data)
