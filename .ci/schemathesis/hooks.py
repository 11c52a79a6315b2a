"""Schemathesis hooks for .ci/schemathesis.sh.

A schema states what a well-formed request is; it cannot state what is in the database.
Five answers refuse a well-formed request because of data, with 422 and a field message
naming it: an access request for a dataset the catalog does not hold, an Idempotency-Key
already used for another body, an assignee who is not on staff, a queue cursor this
service never gave out, a release naming a document id the request does not have. A "schema-valid request rejected" failure is dropped when, and only
when, every field the 422 names is one of these and says exactly that. Anything else in the
same answer, and every other failure, stands.

A schema cannot state what a file is either: an upload whose bytes are not one of the allowed
kinds (or are empty) is refused with 422 on the `file` field, whatever its declared format.
Those refusals are dropped the same way, by their exact messages. And a multipart part is text
on the wire: a "number" generated for a text part arrives as digits, a valid text, so a
"schema-violating request accepted" about the `type` of a text part of a multipart body is
dropped; every other violation in such a body still counts.
"""

import json
import re

import schemathesis

DATA_REFUSALS = {
    ("POST /api/v1/requests", "dataset_id"): "there is no dataset with this identifier in the catalog",
    ("POST /api/v1/requests", "Idempotency-Key"): "this key was already used for a different request",
    ("POST /api/v1/requests/{tracking_number}/assign", "assignee"): "no active clerk, steward or admin has this email",
    ("GET /api/v1/queue", "assignee"): "no staff member has this email",
    ("GET /api/v1/queue", "cursor"): "is not a cursor this service gave out",
    # The message names the id asked for: `\d+` stands for it.
    ("POST /api/v1/requests/{tracking_number}/release", "documents"): r"this request has no document \d+",
}

PATTERNED = {("POST /api/v1/requests/{tracking_number}/release", "documents")}


UPLOAD = "POST /api/v1/requests/{tracking_number}/documents"
FILE_REFUSALS = (
    "the file is empty",
    "files of this type cannot be attached; allowed: ",
    "the file is called .",
)
MULTIPART_TEXT_PARTS = ("redaction_note", "exemption")


def _file_refused_for_contents(operation, response):
    if operation != UPLOAD or response.status_code != 422:
        return False
    try:
        fields = json.loads(response.content).get("fields")
    except (ValueError, AttributeError):
        return False
    if not isinstance(fields, dict) or list(fields) != ["file"]:
        return False
    return all(
        any(message.startswith(prefix) for prefix in FILE_REFUSALS) for message in fields["file"]
    )


def _multipart_text_typed(case, failure):
    if failure.code != "ST201" or case.operation.label != UPLOAD:
        return False
    if not (case.media_type or "").startswith("multipart/form-data"):
        return False
    message = failure.message or ""
    return "violates `type`" in message and any(
        f"/properties/{name} " in message for name in MULTIPART_TEXT_PARTS
    )


def _refused_for_data(operation, response):
    if response.status_code != 422:
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    fields = body.get("fields") if isinstance(body, dict) else None
    if body.get("error") != "validation_failed" or not isinstance(fields, dict) or not fields:
        return False
    def expected(field, messages):
        pattern = DATA_REFUSALS.get((operation, field))
        if pattern is None or len(messages) != 1 or not isinstance(messages[0], str):
            return False
        if (operation, field) in PATTERNED:
            return re.fullmatch(pattern, messages[0]) is not None
        return messages[0] == pattern

    return all(expected(field, messages) for field, messages in fields.items())


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a 422 that refuses a valid request for a fact of the data."""
    if _multipart_text_typed(case, failure):
        return False
    if failure.code != "ST202" or response is None:
        return True
    label = case.operation.label
    return not (_refused_for_data(label, response) or _file_refused_for_contents(label, response))
