"""Wan 2.7 Desktop: a desktop client for Alibaba Cloud's Wan 2.7 image API."""

__version__ = "0.1.0"
