"""Schemathesis hooks for .ci/schemathesis.sh.

A schema states what a well-formed request is; it cannot state what is in the database.
Four answers refuse a well-formed request because of data, with 422 and a field message
naming it: an access request for a dataset the catalog does not hold, an Idempotency-Key
already used for another body, an assignee who is not on staff, a queue cursor this
service never gave out. A "schema-valid request rejected" failure is dropped when, and only
when, every field the 422 names is one of these and says exactly that. Anything else in the
same answer, and every other failure, stands.
"""

import json

import schemathesis

DATA_REFUSALS = {
    ("POST /api/v1/requests", "dataset_id"): "there is no dataset with this identifier in the catalog",
    ("POST /api/v1/requests", "Idempotency-Key"): "this key was already used for a different request",
    ("POST /api/v1/requests/{tracking_number}/assign", "assignee"): "no active clerk, steward or admin has this email",
    ("GET /api/v1/queue", "assignee"): "no staff member has this email",
    ("GET /api/v1/queue", "cursor"): "is not a cursor this service gave out",
}


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
    return all(
        messages == [DATA_REFUSALS.get((operation, field))]
        for field, messages in fields.items()
    )


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but a 422 that refuses a valid request for a fact of the data."""
    if failure.code != "ST202" or response is None:
        return True
    return not _refused_for_data(case.operation.label, response)
