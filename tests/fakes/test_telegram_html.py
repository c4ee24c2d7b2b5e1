"""Telegram HTML parsing on its own, without a server: the entities TDLib would produce."""

from __future__ import annotations

import pytest

from tests.fakes import HtmlParseError, parse_html


def test_parse_html_entities_follow_telegram() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://e.com/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre> <code>c</code> '
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler> '
        "<blockquote expandable>q</blockquote> &#65;&#x42;&quot;&lt;&gt;"
    )

    assert text == '😀 bold both link x = 1 c st q AB"<>'
    assert entities == [
        {"offset": 3, "length": 9, "type": "bold"},
        {"offset": 8, "length": 4, "type": "italic"},
        {"offset": 13, "length": 4, "type": "text_link", "url": "https://e.com/?a=1&b=2"},
        {"offset": 18, "length": 5, "type": "pre", "language": "python"},
        {"offset": 24, "length": 1, "type": "code"},
        {"offset": 26, "length": 1, "type": "spoiler"},
        {"offset": 27, "length": 1, "type": "spoiler"},
        {"offset": 29, "length": 1, "type": "expandable_blockquote"},
    ]


def test_parse_html_rejects_what_telegram_rejects() -> None:
    for bad in ("<span>x</span>", "</b>", "<b>x</b", "<br/>", "<b x>y</b>"):
        with pytest.raises(HtmlParseError):
            parse_html(bad)
    assert parse_html("AT&T", strict_ampersand=False) == ("AT&T", [])
    assert parse_html("&amp &nbsp;", strict_ampersand=False) == ("& &nbsp;", [])
