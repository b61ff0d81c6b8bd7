"""The synthetic local authority: a deterministic, entirely invented authority for the demo,
tests and benchmarks (`cairn synth`)."""
