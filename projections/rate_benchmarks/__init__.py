"""Rate benchmarks: what creators ask and what brands agree to pay, per format and tier.

The projection (:mod:`~projections.rate_benchmarks.projection`) keeps the samples;
:mod:`~projections.rate_benchmarks.queries` turns them into quartiles.
"""
