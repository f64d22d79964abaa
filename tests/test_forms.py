"""Forms (forms.yml): each a page that prints on A4 and Letter with room to write, and a Word file to edit.

The sample's own forms are the cases: every field of every form must be on the page, on paper and
in the Word file, in the order forms.yml gives, and nothing of the site's navigation on paper.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest

from generator import urls
from generator.form_files import BOX, form_document
from generator.models import Form, FormField, Playbook
from generator.urls import page_url

from .browser import ARTIFACTS

# The paper sizes in PostScript points.
PAPER = {"A4": (595, 842), "Letter": (612, 792)}


def _labels(form: Form) -> list[str]:
    return [field.label for section in form.sections for field in section.fields]


def _answers(field: FormField) -> list[str]:
    """The words a field's room to answer shows: its options, or its scale's ends."""
    if field.type == "choice":
        return list(field.options)
    if field.type == "scale" and field.scale:
        return [field.scale.low, field.scale.high]
    return []


def test_the_sample_has_the_forms_the_rules_ask_for(playbook: Playbook):
    assert {form.id for form in playbook.forms} >= {"pair-charter", "story-consent", "application", "evaluation",
                                                    "time-release"}
    # The questionnaire feeds the metrics, question by question.
    evaluation = next(form for form in playbook.forms if form.id == "evaluation")
    fed = {field.metric for section in evaluation.sections for field in section.fields if field.metric}
    assert fed >= {"pair-satisfaction", "learning-both-ways"}
    assert all(field.scale for section in evaluation.sections for field in section.fields if field.type == "scale")


@pytest.mark.parametrize("form_id", ["pair-charter", "evaluation"])
def test_the_word_file_asks_every_question_in_order_with_room_to_answer(playbook: Playbook, form_id: str):
    form = next(form for form in playbook.forms if form.id == form_id)
    document = docx.Document(io.BytesIO(form_document(form, playbook, dt.date(2026, 12, 5))))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == form.title
    assert [text for text in paragraphs if text in _labels(form)] == _labels(form)
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [section.title for section in form.sections]
    for field in (field for section in form.sections for field in section.fields):
        for option in field.options:
            assert f"{BOX} {option}" in paragraphs
    assert document.core_properties.created.date() == dt.date(2026, 12, 5)


def test_the_word_file_is_the_same_for_the_same_playbook(playbook: Playbook):
    form = playbook.forms[0]
    assert form_document(form, playbook, dt.date(2026, 12, 5)) == form_document(form, playbook, dt.date(2026, 12, 5))


class _Fields(HTMLParser):
    """Each `.pb-field` of a page: its label's text and its answers' texts."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict[str, list[str] | str]] = []
        self._in: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if "pb-field" in classes:
            self.fields.append({"label": "", "answers": [], "blanks": []})
        elif "pb-field-label" in classes:
            self._in = "label"
        elif tag == "li" and self.fields:
            self._in = "answer"
            self.fields[-1]["answers"].append("")  # type: ignore[union-attr]
        elif "pb-blank" in classes and self.fields:
            self.fields[-1]["blanks"].append("")  # type: ignore[union-attr]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "label" and self.fields:
            self.fields[-1]["label"] += data  # type: ignore[operator]
        elif self._in == "answer" and self.fields:
            answers = self.fields[-1]["answers"]
            answers[-1] += data  # type: ignore[index]


@pytest.mark.site
def test_every_form_page_has_every_field_with_its_room_to_answer_and_its_word_file(sample_site: Path,
                                                                                    playbook: Playbook):
    for form in playbook.forms:
        parser = _Fields()
        parser.feed((sample_site / page_url(urls.of(form)) / "index.html").read_text())
        fields = [field for section in form.sections for field in section.fields]
        assert [re.sub(r"\s*\(feeds .*\)$", "", str(found["label"])) for found in parser.fields] == \
            [field.label for field in fields], form.id
        for field, found in zip(fields, parser.fields, strict=True):
            answers = " ".join(found["answers"])
            assert all(word in answers for word in _answers(field)), (form.id, field.label)
            if field.type in ("text", "lines", "signature", "date"):
                assert len(found["blanks"]) == field.blank_lines, (form.id, field.label)
        word = sample_site / urls.form_file(form.id)
        assert docx.Document(str(word)).paragraphs[0].text == form.title


@pytest.mark.site
def test_the_forms_list_links_each_form_and_its_word_file(sample_site: Path, playbook: Playbook):
    folder = page_url(urls.listing("forms"))
    page = html.unescape((sample_site / folder / "index.html").read_text())
    for form in playbook.forms:
        assert f'href="{posixpath.relpath(page_url(urls.of(form)), folder)}/"' in page
        assert f'href="{posixpath.relpath(urls.form_file(form.id), folder)}"' in page


@pytest.mark.browser
@pytest.mark.parametrize("paper", sorted(PAPER))
def test_every_form_prints_with_every_field_and_no_navigation(browser, served_sample, playbook: Playbook, paper: str):
    from pypdf import PdfReader

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    for form in playbook.forms:
        page.goto(served_sample + page_url(urls.of(form)))
        page.emulate_media(media="print")
        pdf = page.pdf(format=paper, tagged=True)
        (ARTIFACTS / f"form-{form.id}-{paper}.pdf").write_bytes(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        for label in _labels(form):
            assert " ".join(label.split()) in text, (form.id, paper, label)
        for chrome in ("Skip to content", "Program health", "Material for MkDocs", "download it as a Word file",
                       "Questions about this form?"):
            assert chrome not in text, (form.id, paper, chrome)
        box = reader.pages[0].mediabox
        width, height = PAPER[paper]  # Chromium rounds A4's 595.3 × 841.9 points up to whole pixels
        assert abs(float(box.width) - width) < 2 and abs(float(box.height) - height) < 2, (paper, box)
    page.close()
