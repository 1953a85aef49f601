"""A throwaway tenant app, enabled only by bench/settings_bench.py, whose migrations the benchmark applies."""
