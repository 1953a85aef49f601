"""Alerts: rules with thresholds, windows and hysteresis on named metrics, evaluated every 30 s from beat; each firing
stored with the value that raised it and sent by e-mail to staff and, for a tenant's rule, to that organisation's
administrators. See docs/architecture.md, "Alerts"."""
