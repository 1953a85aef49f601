"""Server-rendered pages of the seeker's website under /app/. Views are thin: forms shape input, services in
tracking/services.py (and tracking/reminders.py, tracking/cv/services.py) write, tracking/selectors.py reads."""
