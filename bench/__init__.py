"""Benchmarks of SiBanding (see bench/README.md). Not part of the product."""
