"""Interviews as events with a date and time: writes (services), reads (selectors), the form, the calendar file."""
