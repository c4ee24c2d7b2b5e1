"""Telegram's HTML formatting, parsed the way TDLib parses it, and UTF-16 lengths.

The fake validates the bot's HTML with this so an escaping bug or an unsupported tag
fails a test with the reason Telegram would give, instead of failing in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HtmlParseError", "parse_html", "utf16_len"]

Entity = dict[str, Any]
"""A Bot API ``MessageEntity`` as JSON."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP is 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class HtmlParseError(ValueError):
    """Telegram's "can't parse entities" reason, worded like TDLib's."""


_HTML_TAGS = {
    "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
_SIMPLE_ENTITY = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED_CHARS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\r\n\v\f\0"
_SPECIAL = re.compile("[<&]")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _decode_char_ref(text: str, pos: int) -> tuple[str, int] | None:
    """Decode ``&...`` at ``pos`` like TDLib (``;`` optional); None if not an entity."""
    end, size = pos + 1, len(text)
    if end < size and text[end] == "#":
        end += 1
        base, digits = 10, "0123456789"
        if end < size and text[end] == "x":
            end += 1
            base, digits = 16, "0123456789abcdefABCDEF"
        value = 0
        while end < size and text[end] in digits:
            value = value * base + int(text[end], 16)
            end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
        if 0xD800 <= value <= 0xDFFF:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(value)
    else:
        while end < size and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_CHARS.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if end < size and text[end] == ";":
        end += 1
    return char, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the parsed text
    text_index: int  # index in the parsed text, for <a> without href


def _parse_attributes(text: str, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Parse a start tag's attributes from ``i``; return (argument, index of ``>``)."""
    size, argument = len(text), ""
    while True:
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if text[i] == ">":
            return argument, i
        name_start = i
        while i < size and text[i] not in _SPACES and text[i] not in "=>":
            i += 1
        name = text[name_start:i]
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {begin}"
            )
        i += 1
        while i < size and text[i] in _SPACES:
            i += 1
        if i >= size:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if text[i] in "'\"":
            quote, value_chars = text[i], []
            i += 1
            while i < size and text[i] != quote:
                decoded = _decode_char_ref(text, i) if text[i] == "&" else None
                if decoded is not None:
                    value_chars.append(decoded[0])
                    i = decoded[1]
                else:
                    value_chars.append(text[i])
                    i += 1
            i += 1
            value = "".join(value_chars)
        else:
            token_start = i
            while i < size and (text[i].isascii() and text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[token_start:i].lower()
            if i < size and text[i] not in _SPACES and text[i] != ">":
                offset = _byte_offset(text, token_start)
                raise HtmlParseError(f"Unexpected end of name token at byte offset {offset}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _close_entity(opened: _OpenTag, end: int, plain: list[str], out: list[Entity]) -> None:
    """Turn a closed tag into a Bot API entity (TDLib drops empty ones)."""
    length = end - opened.offset
    if length <= 0:
        return
    entity: Entity = {"offset": opened.offset, "length": length}
    tag = opened.name
    if tag in _SIMPLE_ENTITY:
        entity["type"] = _SIMPLE_ENTITY[tag]
    elif tag == "a":
        url = opened.argument or "".join(plain[opened.text_index :])
        user = re.fullmatch(r"tg://user\?id=(\d+)", url)
        if user:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(user.group(1)), "is_bot": False, "first_name": ""}
        elif re.match(r"^(https?|tg|ftp)://\S+$|^[\w.-]+\.\w+", url):
            entity["type"] = "text_link"
            entity["url"] = url
        else:
            return  # TDLib drops links with an invalid URL, keeping the text
    elif tag == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = opened.argument
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
    elif tag == "pre":
        last = out[-1] if out else {}
        if (
            last.get("type") == "code"
            and last.get("language")
            and ((last["offset"], last["length"]) == (opened.offset, length))
        ):
            last["type"] = "pre"  # <pre><code class="language-x"> is one pre entity
            return
        entity["type"] = "pre"
    else:  # code
        entity["type"] = "code"
        if opened.argument:
            entity["language"] = opened.argument
    out.append(entity)


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into (plain text, Bot API entities), mirroring TDLib's parser.

    Raises HtmlParseError with TDLib's wording for unsupported, unclosed or mismatched
    tags and a bare ``<``. A bare ``&`` is literal in Telegram; ``strict_ampersand``
    (the default) rejects it so escaping bugs surface in tests.
    """
    plain: list[str] = []
    entities: list[Entity] = []
    stack: list[_OpenTag] = []
    offset = 0
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "&":
            decoded = _decode_char_ref(text, i)
            if decoded is not None:
                plain.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise HtmlParseError(
                    f'Character "&" at byte offset {_byte_offset(text, i)} must be escaped '
                    "as &amp; (the fake is stricter than Telegram here)"
                )
        if char != "<":
            # Text up to the next tag or reference, in one piece: a benchmark's replies
            # pass through here, and a character at a time cost a millisecond each.
            special = _SPECIAL.search(text, i + 1)
            end = special.start() if special else size
            plain.append(text[i:end])
            offset += utf16_len(text[i:end])
            i = end
            continue
        begin = _byte_offset(text, i)
        i += 1
        if i < size and text[i] == "/":
            i += 1
            name_start = i
            while i < size and text[i] not in _SPACES and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < size and text[i] in _SPACES:
                i += 1
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
            if i >= size or text[i] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
            opened = stack.pop()
            if end_name and end_name != opened.name:
                raise HtmlParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{opened.name}>", '
                    f'found "</{end_name}>"'
                )
            _close_entity(opened, offset, plain, entities)
            i += 1
            continue
        name_start = i
        while i < size and text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= size:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        tag = text[name_start:i].lower()
        if tag not in _HTML_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument, i = _parse_attributes(text, i, tag, begin)
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        stack.append(_OpenTag(tag, argument, offset, len(plain)))
        i += 1
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(plain), entities
