"""Downloader middlewares of the firewatch crawler."""
