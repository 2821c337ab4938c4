def test_browser_renders_a_page(loop, browser):
    async def heading_text():
        page = await browser.new_page()
        await page.set_content("<h1>one voice</h1>")
        text = await page.inner_text("h1")
        await page.close()
        return text

    assert loop.run(heading_text()) == "one voice"
