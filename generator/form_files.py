"""Each form as a Word file, so an HR team can put in its own logo, wording and fields and print its own copies.

The page prints cleanly as it is; the file is for the team that wants to change it. Both come from
the same record in forms.yml, so they ask the same questions in the same order. The text is added
as Word runs, never parsed, so a field's text is shown exactly as written.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from generator import urls
from generator.models import Form, FormField, Playbook
from generator.outputs import Asset, Options

if TYPE_CHECKING:
    from docx.document import Document

BOX = "☐"  # a tick box, in every font Word ships
BLANK = "_" * 60


def form_files(playbook: Playbook, options: Options) -> Iterator[Asset]:
    """The output that writes each form of this build as a .docx file beside its page."""
    for form in playbook.collections.get("forms", ()):
        yield Asset(urls.form_file(form.id), form_document(form, playbook, options.today))


def form_document(form: Form, playbook: Playbook, today: dt.date) -> bytes:
    """The form as a .docx file: its title, what it is for, then each section's fields with room to write."""
    import docx  # only builds with forms pay for loading it

    document = docx.Document()
    # The build's day and the program as author, never the clock: the same playbook makes the same file.
    moment = dt.datetime.combine(today, dt.time())
    properties = document.core_properties
    properties.title, properties.author, properties.created, properties.modified = \
        form.title, playbook.program.name, moment, moment
    properties.last_modified_by, properties.revision = playbook.program.name, 1
    document.add_heading(form.title, level=0)
    document.add_paragraph(form.summary)
    roles = ", ".join(playbook.role(role).title for role in form.filled_by)
    for name, value in (("Filled in by", roles), ("When", form.when), ("Kept", form.kept)):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)
    for section in form.sections:
        document.add_heading(section.title, level=1)
        if section.intro:
            document.add_paragraph(section.intro)
        for field in section.fields:
            _add_field(document, field)
    out = io.BytesIO()
    document.save(out)
    return _stamped(out.getvalue(), moment)


def _stamped(package: bytes, moment: dt.datetime) -> bytes:
    """The same package with every part dated `moment`: Word files are zips, whose parts carry the time
    they were written, and a file that changes with the clock would be rewritten by every build."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            target.writestr(zipfile.ZipInfo(part.filename, moment.timetuple()[:6]), source.read(part),
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _add_field(document: Document, field: FormField) -> None:
    document.add_paragraph().add_run(field.label).bold = True
    if field.help:
        document.add_paragraph().add_run(field.help).italic = True
    for answer in _answers(field):
        document.add_paragraph(answer)


def _answers(field: FormField) -> list[str]:
    """The room to answer, as text: blank lines, tick boxes or the scale's points."""
    if field.type == "choice":
        return [f"{BOX} {option}" for option in field.options]
    if field.type == "checkbox":
        return [f"{BOX} Yes"]
    if field.type == "scale" and field.scale:
        points = "   ".join(f"{BOX} {point}" for point in field.scale.points)
        return [f"{points}    ({field.scale.min} = {field.scale.low}, {field.scale.max} = {field.scale.high})"]
    if field.type == "date":
        return ["____ / ____ / ________"]
    return [BLANK] * field.blank_lines
