"""The organisation API under /api/v1/org/ on an enterprise host (issue 13, item 6): members, their applications
(within what each member shares), the cohort funnel, and assigning members to coaches and cohorts. Authenticated by
an organisation API token (portal/api_auth.py) or a signed-in session; every rule comes from portal/access.py."""
