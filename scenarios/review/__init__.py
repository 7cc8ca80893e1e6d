"""Post-event review (复盘): actuals ingestion, variance, attribution, findings and the report.

Depends on :mod:`forecast`, :mod:`scheduler` and the rest of :mod:`scenarios`; the engines never
import it.
"""
