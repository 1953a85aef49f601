"""Benchmarks. Nothing here is imported by the application; see bench/tenants.py."""
