"""The Stripe webhook endpoint on the public host. Thin: verification and effects live in billing.webhooks.

Status codes, which Stripe acts on: 400 for a request that is not an authentic event (Stripe does not send those, so
nothing retries it), 503 while no signing secret is configured (Stripe retries for three days, long enough to fix the
setting), 200 for every authentic event once stored, including ignored types and events whose customer maps to no
tenant: they are kept with outcome `failed` and retried by the customer's checkout or by `billing_reconcile`, while a
non-2xx would only make Stripe redeliver an event that cannot succeed until our side changes, and eventually disable
the endpoint.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.stripe_client import webhooks_configured
from billing.webhooks import WebhookRejected, webhook_event_receive, webhook_event_verify


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    if not webhooks_configured():
        return JsonResponse({"error": _("Stripe webhooks are not configured.")}, status=503)
    try:
        event = webhook_event_verify(payload=request.body, signature_header=request.headers.get("Stripe-Signature"))
    except WebhookRejected as rejected:
        return JsonResponse({"error": _("Rejected: %(reason)s") % {"reason": rejected}}, status=400)
    result = webhook_event_receive(event=event)
    return JsonResponse(
        {"id": result.event_id, "outcome": result.outcome, "detail": result.detail, "duplicate": result.duplicate}
    )
