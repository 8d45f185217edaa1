"""The one seam for plain text: single-line values, multi-line text and file names.

A title, name or place is one line wherever it goes: an iCalendar property, a mail
subject, a file name or an HTTP header treats a line break as the end of the value, so a
break typed (or pasted, or posted by a script) into one would start a new property or
header. ``SingleLineCharField`` normalises such values whenever they are written, from a
form, the admin or code; the code that writes them out escapes them once more, so an old
row or a value from elsewhere cannot break out either.
"""

import re

from django import forms
from django.db import models
from django.utils.http import content_disposition_header
from django.utils.text import slugify

# Everything that some reader takes for the end of a line (str.splitlines() breaks at
# \n \r \v \f \x1c-\x1e \x85 \u2028 \u2029) and every other control character, which
# has no place in text that people read (NUL is refused by PostgreSQL, too), nor have
# the non-characters U+FFFE and U+FFFF, which XML 1.0 forbids.
_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
_BREAKS_AND_CONTROLS = re.compile(f"[{_CONTROLS}]+")
_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_OTHER_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# Bidirectional overrides can make "gpj.exe" look like "exe.jpg" in a file name.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def single_line(value) -> str:
    """``value`` on one line: each run of line breaks and control characters becomes a space."""
    if value is None:
        return ""
    return _BREAKS_AND_CONTROLS.sub(" ", str(value)).strip()


def plain_lines(value) -> str:
    """Multi-line text with ``\\n`` as its only line break and no other control characters."""
    if value is None:
        return ""
    return _OTHER_CONTROLS.sub("", _LINE_BREAKS.sub("\n", str(value)))


def safe_filename(stem: str, extension: str) -> str:
    """An ASCII file name from stored text: no quotes, slashes, breaks or spoofing marks."""
    name = slugify(_BIDI_CONTROLS.sub("", single_line(stem)))[:80].strip("-_")
    return f"{name or 'download'}.{extension}"


def attachment_header(filename: str) -> str:
    """A Content-Disposition value for a download, quoted and encoded as RFC 6266 says."""
    return content_disposition_header(as_attachment=True, filename=filename)


class SingleLineFormField(forms.CharField):
    """A text input whose value never holds a line break, however the request was made."""

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if value else value


class SingleLineCharField(models.CharField):
    """A CharField for one line of text: normalised whenever it is written to the database.

    Use it for every free-text CharField (titles, names, places): a test fails for a plain
    CharField, so new fields get it by default.
    """

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = single_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # Also covers QuerySet.update(), which skips pre_save().
        if isinstance(value, str):
            value = single_line(value)
        return super().get_db_prep_save(value, connection)

    def to_python(self, value):
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value

    def formfield(self, **kwargs):
        if not self.choices:
            kwargs.setdefault("form_class", SingleLineFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        # The column is an ordinary varchar: to migrations this is a plain CharField, so
        # switching a field to it (or back) needs no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
