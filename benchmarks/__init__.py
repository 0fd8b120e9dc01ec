"""Benchmarks and synthetic reviews: outside the runtime package (make bench)."""
