"""Capture: drive Chromium to a touchpoint and record what it showed as a `Capture`."""

from __future__ import annotations

from onevoice.capture.page import shoot_page, shot_capture
from onevoice.capture.web import CaptureSettings, capture_web

__all__ = ["CaptureSettings", "capture_web", "shoot_page", "shot_capture"]
