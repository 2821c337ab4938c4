"""extract_page on what Chromium laid out: facts that need real layout (boxes, computed fills)."""

from __future__ import annotations

import pytest

from onevoice.capture.page import annotate_script
from onevoice.extract import PageFacts, extract_page

pytestmark = pytest.mark.browser

EMAIL = """<html><body style="margin:0;background:#eeeeee">
<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
 <table width="600" cellpadding="0" cellspacing="0" style="background:#ffffff">
  <tr><td bgcolor="#c8102e" style="padding:20px;color:#ffffff">Acme</td></tr>
  <tr><td style="padding:20px">
   <table width="100%" cellpadding="0" cellspacing="0"><tr>
    <td width="50%" bgcolor="#c8102e" style="color:#ffffff">Half cell</td><td>Beside it</td></tr></table>
   <p>Welcome aboard. Here is what happens next, and what you can do today.</p>
   <table cellpadding="0" cellspacing="0"><tr><td bgcolor="#1f4fd8"><a href="https://acme.test/start"
     style="color:#ffffff;padding:10px;display:inline-block">Get started</a></td></tr></table>
   <p>Or read on first.</p><a class="button" href="https://acme.test/more"
     style="border:2px solid #1f4fd8;color:#1f4fd8;padding:10px;display:inline-block">Learn more</a>
   <p style="height:400px">More news.</p>
  </td></tr>
  <tr><td bgcolor="#333399" style="padding:20px;color:#ffffff">Acme Inc, 1 Road</td></tr>
 </table>
</td></tr></table></body></html>"""


def test_a_rendered_emails_header_and_footer_bands_and_its_outline_button(loop, browser):
    async def facts() -> PageFacts:
        page = await browser.new_page(viewport={"width": 1000, "height": 800})
        try:
            await page.set_content(EMAIL)
            return extract_page((await page.evaluate(annotate_script()))["html"])
        finally:
            await page.close()

    extracted = loop.run(facts())

    bands = {block.text: block.band for block in extracted.texts if block.band}
    assert bands == {"Acme": "top", "Acme Inc, 1 Road": "bottom"}  # not the half-width filled cell
    buttons = {link.text: link.transparent for link in extracted.links if link.button}
    assert buttons == {"Get started": False, "Learn more": True}
