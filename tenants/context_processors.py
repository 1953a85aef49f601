from django.http import HttpRequest


def tenant(request: HttpRequest) -> dict:
    current = getattr(request, "tenant", None)
    return {"tenant": current, "tenant_kind": getattr(current, "kind", None)}
