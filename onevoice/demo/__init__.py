"""The bundled demo brand, Quillory: a small site and its welcome email, served by `onevoice demo`.

The site and email are consistent apart from a few deliberate, realistic slips (see
`onevoice.demo.welcome` and the mobile rules of site/static/css/site.css), so the demo
journeys in journeys/ produce real findings.
"""

from __future__ import annotations

from onevoice.demo.server import DemoSite

__all__ = ["DemoSite"]
