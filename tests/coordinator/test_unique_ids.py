"""Each label of a coordinator page names its own field: no id is used twice on one page.

The appeal page carried two "key_file" inputs (remove duplicates, export) and the delivery log two
"post_id" selects (letter sent by hand, reply): the second label of each pair named the first
form's field, so a screen reader read the export's file input, and the reply's sender, unlabelled.
"""

from __future__ import annotations

import re
from collections import Counter

from tests.builders import make_appeal, make_keyed_group


def _repeated_ids(html: str) -> dict[str, int]:
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    return {key: n for key, n in ids.items() if n > 1 and key != "csrf_token"}


def _label_of(html: str, form_action: str, field_name: str) -> str:
    form = html.split(f'action="{form_action}', 1)[1].split("</form>", 1)[0]
    field_id = re.search(rf'<(?:input|select)[^>]*\bid="([^"]+)"[^>]*name="{field_name}"', form)
    field_id = field_id or re.search(rf'<(?:input|select)[^>]*name="{field_name}"[^>]*\bid="([^"]+)"',
                                     form)
    label = re.search(rf'<label for="{re.escape(field_id.group(1))}">([^<]+)</label>', form)
    assert label is not None, f"no label of {field_name} in the form to {form_action}"
    return label.group(1)


def test_appeal_page_and_delivery_log_use_each_id_once(client, login, db):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    login(group=group)
    page = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    assert _repeated_ids(page) == {}
    assert _label_of(page, f"/coordinator/appeals/{appeal.slug}/signatures.csv",
                     "key_file") == "Your organisation's key file"
    log = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert _repeated_ids(log) == {}
    assert _label_of(log, f"/coordinator/delivery/{appeal.slug}/replies", "post_id") == "From"
