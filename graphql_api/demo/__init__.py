"""The demo market: a deterministic Indonesian nano-influencer market, for demos
and benchmarks."""
