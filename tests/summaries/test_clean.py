from __future__ import annotations

import pytest

from summaries.clean import (
    derive_title,
    glued_breaks,
    is_caption,
    is_noise,
    opens_with_reference,
    strip_attribution,
    strip_dateline,
)


@pytest.mark.parametrize(
    ("text", "place", "agency", "rest"),
    [
        ("BAKU, Azerbaijan, February 25. The Congress met.", "BAKU, Azerbaijan", "", "The Congress met."),
        ("RIVERTON, Oregon, Feb. 24 (Valley Wire) - The city voted.", "RIVERTON, Oregon", "Valley Wire", "The city voted."),
        ("BERLIN, 24. Februar. Der Senat tagte.", "BERLIN", "", "Der Senat tagte."),
        ("КАЗАНЬ, 25 февраля. Власти города заявили.", "КАЗАНЬ", "", "Власти города заявили."),
        ("ST. JOHN'S, Newfoundland (AP) — Boats returned.", "ST. JOHN'S, Newfoundland", "AP", "Boats returned."),
        ("WASHINGTON — The Senate voted.", "WASHINGTON", "", "The Senate voted."),
        ("PARIS, Feb. 24, 2026 - A strike began.", "PARIS", "", "A strike began."),
        ("LONDON (Reuters) - Britain said so.", "LONDON", "Reuters", "Britain said so."),
    ],
)
def test_datelines_become_the_place(text: str, place: str, agency: str, rest: str) -> None:
    body, dateline = strip_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.agency, body) == (place, agency, rest)


@pytest.mark.parametrize(
    "text",
    [
        "The city council met on Monday. It voted.",
        "U.S. officials said on Friday. Nothing more.",
        "NASA said on Monday that the launch slipped.",
        "",
    ],
)
def test_text_without_dateline_is_kept(text: str) -> None:
    body, dateline = strip_dateline(text)
    assert dateline is None
    assert body == text.strip()


def test_attribution_is_removed_from_the_lead() -> None:
    text, agency = strip_attribution("A statement was adopted, Trend reports. It was read.")
    assert (text, agency) == ("A statement was adopted. It was read.", "Trend")
    unchanged = "The minister spoke, the paper said. More."
    assert strip_attribution(unchanged) == (unchanged, "")


def test_long_lead_is_cut_at_a_word_boundary() -> None:
    lead = "The regional council of the northern province approved a budget " * 3
    title = derive_title(lead, limit=60)
    assert title.endswith("…") and len(title) <= 61
    assert lead.startswith(title[:-1])
    assert derive_title("Short lead.") == "Short lead"


@pytest.mark.parametrize(
    ("lead", "agency"),
    [
        ("The tax rate rose, the Millbrook Courier reports.", "Millbrook Courier"),
        ("Der Rat hat beschlossen, berichtet die Lindenhagener Rundschau.", "Lindenhagener Rundschau"),
        ("Переправу закрыли, сообщает «Озёрный вестник».", "Озёрный вестник"),
    ],
)
def test_attribution_forms(lead: str, agency: str) -> None:
    text, found = strip_attribution(lead)
    assert found == agency
    assert text == lead[: lead.index(",")] + "."


@pytest.mark.parametrize(
    "sentence",
    [
        "Scroll down for video.",
        "Scroll down for video A mother was holding the boy",
        "By . Daily Mail Reporter .",
        "By John Smith for MailOnline",
        "PUBLISHED: 10:31 EST, 3 May 2014 | UPDATED: 11:02 EST, 3 May 2014",
        "'",
        "\u201c",
        "John Smith.",
        "date 2024-02-25 BAKU, Azerbaijan, February 25.",
        "КАЗАНЬ, 25 февраля.",
        "Click here to read more.",
        "Lesen Sie auch: Der Rat tagt.",
        "Читайте также: Совет собрался.",
    ],
)
def test_noise_sentences(sentence: str) -> None:
    assert is_noise(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The council approved the budget on Monday.",
        "He said so.",
        "By the end of the year the bridge will be finished.",
        "Der Senat tagte am Dienstag.",
        "Власти города заявили об этом.",
    ],
)
def test_news_sentences_are_not_noise(sentence: str) -> None:
    assert not is_noise(sentence)


@pytest.mark.parametrize(
    ("sentence", "caption"),
    [
        ("Prisoner Carlos Boente (pictured) was jailed for five years.", True),
        ("Raheem Sterling (right) was pictured smoking a shisha pipe.", True),
        ("Accused: Dr Ram Manohar, 38, has denied four counts.", True),
        ("He was listed in stable condition at the hospital He is listed after being taken.", True),
        ("The mayor said the bridge will open in May.", False),
        ("He offered to help Nurse A with her training.", False),
    ],
)
def test_captions(sentence: str, caption: bool) -> None:
    assert is_caption(sentence) is caption


@pytest.mark.parametrize(
    ("sentence", "language", "refers"),
    [
        ("He said the barrier would hold.", "en", True),
        ("\u201cThis is a good day,\u201d she said.", "en", True),
        ("But the council disagreed.", "en", True),
        ("Helen said the barrier would hold.", "en", False),
        ("Er sagte, die Mauer halte.", "de", True),
        ("Erika sagte, die Mauer halte.", "de", False),
        ("Он сказал, что дамба выдержит.", "ru", True),
        ("Мэр сказала, что дамба выдержит.", "ru", False),
        ("He said so.", "xx", False),
    ],
)
def test_back_references(sentence: str, language: str, refers: bool) -> None:
    assert opens_with_reference(sentence, language) is refers


def test_glued_caption_breaks() -> None:
    glued = (
        "He suffered minor bumps and was listed in stable condition at the hospital "
        "He is listed in stable condition after being taken to the medical center."
    )
    (cut,) = glued_breaks(glued)
    assert glued[cut:].startswith("He is listed")
    assert glued_breaks("He offered to help Nurse A with her training on Monday.") == []
    assert glued_breaks("The plan was tested in the old town The.") == []  # too short a piece
    assert glued_breaks(glued, "de") == []
