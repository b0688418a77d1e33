"""Benchmark scripts (not tests): run them by hand, record the numbers in docs/performance.md."""
