"""Benchmarks (``python -m bench``)."""
