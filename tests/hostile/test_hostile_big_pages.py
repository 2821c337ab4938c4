"""Big pages stay linear: extracting a page with many sibling elements costs time in
proportion to its size (it was quadratic: 20,000 paragraphs took minutes)."""

from __future__ import annotations

import time

from onevoice.extract import MAX_NESTING, extract_page


def crowded_page(count: int) -> str:
    """`count` sibling paragraphs, list items with links, and footer links in one run."""
    paragraphs = "".join(f"<p>Paragraph {i} says something.</p>" for i in range(count))
    items = "".join(f'<li><a href="/item/{i}">Item {i}</a></li>' for i in range(count))
    footer = " | ".join(f'<a href="/page/{i}">Page {i}</a>' for i in range(count))
    return f"<html><body><main>{paragraphs}<ul>{items}</ul></main><footer>{footer}</footer></body></html>"


def cpu_seconds(html: str) -> float:
    """Processor time of one extraction: other processes on a loaded machine do not count."""
    started = time.process_time()
    extract_page(html, "http://127.0.0.1/")
    return time.process_time() - started


def test_extraction_grows_linearly_with_sibling_elements():
    small, large = crowded_page(200), crowded_page(1600)  # 8 times the elements
    cpu_seconds(small)  # warm up imports and caches
    small_time = min(cpu_seconds(small) for _ in range(2))
    large_time = min(cpu_seconds(large) for _ in range(2))
    # Linear growth gives about 8; quadratic gave about 64.
    assert large_time / max(small_time, 1e-3) < 24, (small_time, large_time)


def test_identical_siblings_get_their_own_selectors():
    facts = extract_page("<html><body><p>Same</p><p>Same</p><p>Same</p></body></html>")
    assert [block.selector for block in facts.texts] == [f"body > p:nth-of-type({n})" for n in (1, 2, 3)]


def test_a_long_run_of_links_is_one_block_per_link():
    facts = extract_page(crowded_page(1000))
    footer = [block.text for block in facts.texts if block.role == "footer"]
    assert footer == [f"Page {i}" for i in range(1000)]


def test_a_page_nested_thousands_of_levels_deep_is_read_not_a_recursion_error():
    html = "<html><body><p>Top</p>" + "<div>" * 3000 + "Deep <b>down</b>" + "</div>" * 3000 + "<p>After</p></body></html>"
    facts = extract_page(html)
    assert [block.text for block in facts.texts] == ["Top", "Deep down", "After"]
    assert facts.notes == (f"the page nests elements 3003 levels deep; below level {MAX_NESTING} only their text was read",)


def test_a_page_of_ordinary_depth_is_read_whole():
    html = "<html><body>" + "<div>" * 40 + '<a href="/x">Link</a>' + "</div>" * 40 + "</body></html>"
    facts = extract_page(html, "http://127.0.0.1/")
    assert [link.href for link in facts.links] == ["http://127.0.0.1/x"] and facts.notes == ()
