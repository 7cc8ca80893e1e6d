"""Generators of the bundled sample data (data/sample/): history, events, agents and the
campaign's actuals, deterministic per seed. Not used by planning; ``peakplan sample-data`` and
the tests call :func:`scenarios.samples.generate.generate_sample_data`."""
