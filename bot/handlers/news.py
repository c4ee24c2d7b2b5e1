"""Finding articles: the newest, a day's, one by id, by words, or by a bare date."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from telegram import Update
from telegram.ext import ContextTypes

from bot import keyboards
from bot.dates import looks_like_date, parse_when
from bot.handlers.replies import say, send, show
from bot.render import article_card, article_list, full_text
from bot.services import services
from summaries.article import Article, Headline, article_date_from_id

LIST_LIMIT = 50  # articles one list can page through
SEARCHES_KEPT = 20  # per chat, so old "next page" buttons keep working for a while


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


async def _show_list(update: Update, context: ContextTypes.DEFAULT_TYPE, heading: str,
                     articles: Sequence[Article | Headline], page: int, kind: keyboards.Kind,
                     key: tuple[object, ...]) -> None:
    size = services(context).telegram.page_size
    page = min(max(page, 0), _pages(len(articles), size) - 1)
    shown = articles[page * size : (page + 1) * size]
    await _show_page(update, context, heading, shown, len(articles), page, kind, key)


async def _show_page(update: Update, context: ContextTypes.DEFAULT_TYPE, heading: str,
                     shown: Sequence[Article | Headline], total: int, page: int,
                     kind: keyboards.Kind, key: tuple[object, ...]) -> None:
    size = services(context).telegram.page_size
    pages = _pages(total, size)
    footer = f"Page {page + 1} of {pages}" if pages > 1 else ""
    segments = article_list(heading, shown, page * size + 1, footer)
    markup = keyboards.list_buttons(kind, key, page, pages, [a.id for a in shown], page * size + 1)
    await show(update, context, segments, markup)


def _count(n: int) -> str:
    return f"{n} article{'s' if n != 1 else ''}"


async def show_latest(update: Update, context: ContextTypes.DEFAULT_TYPE, page: int) -> None:
    articles = await services(context).archive.latest_headlines(LIST_LIMIT)
    if not articles:
        await say(update, context, "The archive is empty for now.")
        return
    await _show_list(update, context, "The newest articles", articles, page, "l", ())


async def show_day(update: Update, context: ContextTypes.DEFAULT_TYPE, day: dt.date,
                   page: int) -> None:
    archive = services(context).archive
    size = services(context).telegram.page_size
    page = max(page, 0)
    # A page, not the day: a list shows five of a day's hundred and more articles.
    total, shown = await archive.headlines_page(day, page * size, size)
    if total and not shown:  # a page past the end (a forged button): the last one
        page = _pages(total, size) - 1
        total, shown = await archive.headlines_page(day, page * size, size)
    if total:
        heading = f"{day:%A, %d %B %Y} — {_count(total)}"
        await _show_page(update, context, heading, shown, total, page, "d", (f"{day:%Y%m%d}",))
        return
    days = await archive.dates()
    if not days:
        await say(update, context, "The archive is empty for now.")
        return
    nearest = sorted(sorted(days, key=lambda d: (abs((d - day).days), d))[:3])
    await say(update, context, f"No articles on {day:%d %B %Y}. The nearest days with news:",
              keyboards.date_buttons(nearest))


async def send_article(update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: str) -> None:
    """An article opened from a list: a new message, so the list stays."""
    await show_article(update, context, article_id, edit=False)


async def show_article(update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: str,
                       sentences: int | None = None, *, edit: bool = True) -> None:
    chat = update.effective_chat
    found = None
    if article_date_from_id(article_id):
        found = await services(context).archive.article_view(article_id, chat.id if chat else None)
    if found is None:
        await say(update, context, f"There is no article with the id {article_id}. "
                                   "Ids look like 20260225-1a2b3c4d5e.")
        return
    article, chat_sentences, others = found
    sentences = chat_sentences if sentences is None else sentences
    markup = keyboards.article_buttons(article.id, sentences)
    reply = show if edit else send
    await reply(update, context, article_card(article, sentences, others), markup,
                preview=bool(article.url))


async def show_full_text(update: Update, context: ContextTypes.DEFAULT_TYPE, article_id: str) -> None:
    article = await services(context).archive.get(article_id)
    if article is None:
        await say(update, context, "That article is no longer in the archive.")
        return
    await send(update, context, full_text(article))


def _search_tag(query: str) -> str:
    return hashlib.blake2b(query.casefold().encode(), digest_size=4).hexdigest()


async def show_search(update: Update, context: ContextTypes.DEFAULT_TYPE, query: str,
                      page: int) -> None:
    query = " ".join(query.split())
    if not query:
        await say(update, context, "Send /search followed by words, for example: /search harbor bridge")
        return
    articles = await services(context).archive.search(query, LIST_LIMIT)
    if not articles:
        await say(update, context, f"Nothing found for “{query}”. Try fewer or other words.")
        return
    tag = _search_tag(query)
    if context.chat_data is not None:
        kept: dict[str, str] = context.chat_data.setdefault("searches", {})
        kept.pop(tag, None)
        kept[tag] = query
        while len(kept) > SEARCHES_KEPT:
            kept.pop(next(iter(kept)))
    more = "+" if len(articles) >= LIST_LIMIT else ""
    heading = f"“{query}” — {_count(len(articles))}{more}"
    await _show_list(update, context, heading, articles, page, "s", (tag,))


def remembered_search(context: ContextTypes.DEFAULT_TYPE, tag: str) -> str | None:
    kept = (context.chat_data or {}).get("searches", {})
    return kept.get(tag) if isinstance(kept, dict) else None


async def latest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/latest: the newest articles, a page at a time."""
    await show_latest(update, context, 0)


async def date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/date WHEN: the articles of a day, in any common written form."""
    await answer_date(update, context, " ".join(context.args or []))


async def answer_date(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    answer = parse_when(text, services(context).clock.today())
    if answer.day is None:
        await say(update, context, answer.problem or "Which day?")
        return
    await show_day(update, context, answer.day, 0)


async def article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/article ID: one article with its summary at the chat's length."""
    if not context.args:
        await say(update, context, "Send /article followed by an id, for example: "
                                   "/article 20260225-1a2b3c4d5e")
        return
    await show_article(update, context, context.args[0].strip())


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/search WORDS: articles that contain every word, newest first."""
    await show_search(update, context, " ".join(context.args or []), 0)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A plain message: a date is answered like /date, anything else is searched for."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if looks_like_date(message.text):
        await answer_date(update, context, message.text)
    else:
        await show_search(update, context, message.text, 0)


