"""Helpers shared by the browser tests and the invoke tasks: a local server for a built site, Chromium."""
