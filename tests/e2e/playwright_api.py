"""Playwright's sync API, or None when the package is missing (the dev extra is not
installed): conftest.py then skips every browser test before either is used."""

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    expect = sync_playwright = None

__all__ = ["expect", "sync_playwright"]
