"""Translation tables of the dashboard, one module per page: ``TEXTS = {key: (zh, en)}``.

Keys are ``<page>.<name>``; dashboard.i18n merges the modules (a key defined twice is an error).
"""
