"""What the demo puts into each demo organisation, by schema name (portal/demo.py writes it)."""

from __future__ import annotations

from portal.demo_histories import DemoOrganisation
from portal.demo_organisations import northbridge, rheinwerk, sakura

DEMO_ORGANISATIONS: dict[str, DemoOrganisation] = {
    "northbridge": northbridge.ORGANISATION,
    "rheinwerk": rheinwerk.ORGANISATION,
    "sakura": sakura.ORGANISATION,
}
