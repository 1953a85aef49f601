"""Which variant of an experiment a person sees: decided by hashing the experiment's key with the person's id, so the
answer is the same on every device and in every session, needs no stored row to stay sticky, and is independent
between experiments (a person in one experiment's treatment is no likelier to be in another's)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

SCALE = 2**64


def bucket(experiment_key: str, subject_id: int | str) -> float:
    """A number in [0, 1) that is uniform over subjects and fixed for (experiment, subject): the first eight bytes
    of SHA-256 over "<key>:<id>". The key is part of the hash so that experiments split people independently."""
    digest = hashlib.sha256(f"{experiment_key}:{subject_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / SCALE


def variant_for(experiment_key: str, subject_id: int | str, variants: Sequence[tuple[str, int]]) -> str:
    """The variant whose share of [0, 1) holds the subject's bucket. `variants`: (name, weight in percent), in a fixed
    order, weights summing to 100 (checked: a malformed definition is refused, never silently renormalised)."""
    weights_check(variants)
    point = bucket(experiment_key, subject_id) * 100
    upper = 0
    for name, weight in variants:
        upper += weight
        if point < upper:
            return name
    return variants[-1][0]  # unreachable with weights summing to 100; kept for float edge cases


def weights_check(variants: Sequence[tuple[str, int]]) -> None:
    """Raises ValueError unless there are at least two variants, with distinct names and whole, non-negative
    percentages summing to 100."""
    if len(variants) < 2:
        raise ValueError("an experiment needs at least two variants")
    names = [name for name, _weight in variants]
    if len(set(names)) != len(names):
        raise ValueError("variant names must be distinct")
    if any(not isinstance(weight, int) or weight < 0 for _name, weight in variants):
        raise ValueError("variant weights are whole percentages, 0 or more")
    if sum(weight for _name, weight in variants) != 100:
        raise ValueError("variant weights must sum to 100 %")
