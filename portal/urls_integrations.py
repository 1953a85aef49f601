"""Portal pages: integrations (issue 13, item 6): API tokens and webhooks, for administrators."""

from django.urls import path

from portal.views import integrations, webhook_inbox

urlpatterns: list = [
    path("api-tokens/", integrations.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", integrations.api_token_revoke, name="api_token_revoke"),
    path("webhooks/", integrations.webhook_list, name="webhooks"),
    path("webhooks/new/", integrations.webhook_create, name="webhook_create"),
    path("webhooks/inbox/", webhook_inbox.webhook_inbox, name="webhook_inbox"),
    path("webhooks/<int:pk>/", integrations.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/edit/", integrations.webhook_edit, name="webhook_edit"),
    path("webhooks/<int:pk>/active/", integrations.webhook_active, name="webhook_active"),
    path("webhooks/<int:pk>/rotate-secret/", integrations.webhook_rotate, name="webhook_rotate"),
    path("webhooks/<int:pk>/test/", integrations.webhook_test, name="webhook_test"),
    path(
        "webhooks/<int:pk>/deliveries/<int:delivery_pk>/replay/",
        integrations.webhook_replay,
        name="webhook_replay",
    ),
]
