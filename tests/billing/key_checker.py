"""A second web process for tests/billing/test_key_revocation.py: reads API key secrets on stdin, one a line, and
answers each with 'accepted' or 'refused', and 'heard' or 'deaf' (whether it hears key changes through Redis)."""

from __future__ import annotations

import sys

import django


def main() -> None:
    django.setup()
    from billing.api_keys import api_key_authenticate

    try:
        from billing.api_key_revocations import api_key_changes_heard
        from billing.api_keys import _cache_forget
    except ImportError:  # a checkout without revocations through Redis

        def heard() -> str:
            return "n/a"

    else:

        def heard() -> str:
            return "heard" if api_key_changes_heard(_cache_forget) else "deaf"

    for line in sys.stdin:
        key = api_key_authenticate(line.strip())
        print("accepted" if key is not None else "refused", heard(), flush=True)


if __name__ == "__main__":
    main()
