"""CSV downloads that open well in a Dutch Excel and run nothing that was typed.

Dutch Excel reads ``;`` as the separator and needs a byte-order mark to see UTF-8; a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break is run as a formula
(CSV injection), so such a cell gets a leading ``'`` and shows as the text it is.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

from campaign.plaintext import attachment_header, safe_filename

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value) -> str:
    """One cell as text a spreadsheet shows and never runs; decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        text = str(value).replace(".", ",")
    else:
        text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(rows: Iterable[Iterable], *, filename: str) -> HttpResponse:
    """A CSV download of ``rows`` for Excel: semicolons, UTF-8 with BOM, safe cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(safe_filename(filename, "csv"))
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    for row in rows:
        writer.writerow(csv_cell(value) for value in row)
    return response
