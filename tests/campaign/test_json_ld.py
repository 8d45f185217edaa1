"""JSON-LD blocks are the one place where a view marks text safe: prove no stored text breaks out."""

import json
import re

import pytest
from django.utils.html import json_script

from campaign.seo import json_ld
from tests.factories import NewsItemFactory

HOSTILE = '</script><script>alert(1)</script><!-- "quoted" & <b>'


def test_json_ld_escapes_like_json_script_and_reads_back_the_same_data():
    data = {"headline": HOSTILE}
    block = str(json_ld(data))
    payload = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")

    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert json.loads(payload) == data
    # Django's own json_script escapes the same characters.
    assert all(escape in str(json_script(data)) for escape in ("\\u003C", "\\u003E", "\\u0026"))


@pytest.mark.django_db
def test_hostile_news_title_stays_inside_the_json_ld_block(client):
    item = NewsItemFactory(title=HOSTILE)

    html = client.get(item.get_absolute_url()).content.decode()

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert [json.loads(block)["headline"] for block in blocks] == [HOSTILE]
    assert "<script>alert(1)" not in html
