"""Benchmark harness (issue 9): `make bench`; see bench/README.md."""
