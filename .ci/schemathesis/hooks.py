"""Schemathesis hooks for .ci/schemathesis.sh.

A schema states what a well-formed request is; it cannot state what is in the database.
Five answers refuse a well-formed request because of data, with 422 and a field message
naming it: an access request for a dataset the catalog does not hold, an Idempotency-Key
already used for another body, an assignee who is not on staff, a queue cursor this
service never gave out, a release naming a document id the request does not have, an
exemption not on the city's list (configuration), a records date in the past or over a year
away (the clock), an extension too short to clear the office's closed days (the calendar).
Nor can it state rules across fields (a redaction note needs its exemption; a person
responsible is a staff email or else a name and a title) or how many days a month has.
A "schema-valid request rejected" failure is dropped when, and only
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
    # Public: a subset of the documents released, which the schema cannot say.
    ("POST /api/v1/requests/{tracking_number}/release", "public"): r"document \d+ is not among the documents released",
}

# Fees: what is owed, paid and waived is in the database, the schedule's items and its
# maximum are configuration, and a line's fields depend on its item (stated in words).
FEES = "/api/v1/requests/{tracking_number}/fees/"
MONEY = (r"the payment is more than the \$[\d,.]+ still owed|nothing is owed"
         r"|no one payment, waiver or refund may be more than \$[\d,.]+"
         r"|only \$[\d,.]+ of the fee is not yet waived"
         r"|a refund may be no more than the \$[\d,.]+ paid and not yet refunded")
for op in ("payments", "waivers", "refunds"):
    DATA_REFUSALS[("POST " + FEES + op, "amount_cents")] = MONEY
DATA_REFUSALS[("POST " + FEES + "payments", "reference")] = "give the check number or the card payment's reference"
ESTIMATE = "POST " + FEES + "estimate"
DATA_REFUSALS.update({
    (ESTIMATE, "lines[].item"): r".+ is not in the fee schedule: .*|nothing may be charged for time spent searching.*",
    (ESTIMATE, "lines[].quantity"): r"this line comes to more than the most one estimate may be .*",
    (ESTIMATE, "lines"): r"the total is more than the most one estimate may be .*",
    (ESTIMATE, "lines[].unit_cents"): r"the fee schedule sets this item's price: leave the price out|give the direct cost of one, in cents|give a price in cents from 1 to .*",
    (ESTIMATE, "lines[].form"): r"say whether the copy is paper or electronic|programming or data work may be charged only .*|.+ is a (paper|electronic) copy",
    (ESTIMATE, "lines[].description"): "say what the cost is for: the requester reads it",
    (ESTIMATE, "lines[].basis"): r"say why §7922\.575\(b\) applies: compilation or outside_schedule",
    (ESTIMATE, "lines[].reason"): "say what work the request needs and why: the requester reads it",
})

TRANSITIONS = "POST /api/v1/requests/{tracking_number}/transitions"
REOPEN = "POST /api/v1/requests/{tracking_number}/reopen"
# The exemptions staff may cite are the city's list (configuration), and a records date must
# be ahead of now and within a year (the clock); a calendar date's month length is not a
# pattern either. Item indexes are written `[]` here.
DATA_REFUSALS.update({
    (TRANSITIONS, "withheld[].exemption"): "choose an exemption from the list, or Other",
    (TRANSITIONS, "records_due_at"): r"the date and time the records will be available cannot be in the past|the records must be available within a year; give a nearer date|there is no such date and time on the calendar",
    (REOPEN, "records_due_at"): r"the date and time the records will be available cannot be in the past|the records must be available within a year; give a nearer date|there is no such date and time on the calendar",
})

# Rules across fields, which the schema states in words: a redaction note needs its
# exemption; a person responsible is a staff email, or else a name and a title. And one that
# depends on the calendar: an extension must move the due date past the days the office is
# closed.
UPLOAD_OP = "POST /api/v1/requests/{tracking_number}/documents"
LINKS_OP = "POST /api/v1/requests/{tracking_number}/links"
EXEMPTION_NEEDED = "name the exemption the redaction rests on, like 7927.705 or Evid. Code §1040"
# A legal citation's form (a real code's name, one section number) is checked by the parser
# and stated in the schema in words; every such refusal shows the examples.
CITATION_FORM = r".*like Gov\. Code §7927\.705.*"
DATA_REFUSALS.update({
    (UPLOAD_OP, "exemption"): EXEMPTION_NEEDED + "|" + CITATION_FORM,
    (LINKS_OP, "exemption"): EXEMPTION_NEEDED + "|" + CITATION_FORM,
    (TRANSITIONS, "withheld[].citation"): CITATION_FORM,
    (UPLOAD_OP, "redaction_note"): "say what was redacted or withheld",
    (LINKS_OP, "redaction_note"): "say what was redacted or withheld",
    (TRANSITIONS, "responsible[]"): r"(name|title) must not be empty",
    ("POST /api/v1/requests/{tracking_number}/extension", "days"): r"an extension of \d+ days? leaves the due date at .+; extend by at least \d+ days",
})

# The reading room: keeping out and withdrawing need a reason (a rule across fields, stated
# in words), and a public summary is refused when it holds contact details (email- or
# phone-shaped text, or the requester's own, which is in the database).
PUBLICATION = "POST /api/v1/requests/{tracking_number}/publication"
DATA_REFUSALS.update({
    (PUBLICATION, "reason"): "give the reason: it must not be empty",
    (PUBLICATION, "summary"): r"the summary contains .+: take it out before publishing",
})

# A search's days: how many days a month has, and that the last day is not before the first
# (a rule across fields).
SEARCH = "GET /api/v1/search"
DATA_REFUSALS.update({
    (SEARCH, "received_from"): "there is no such day on the calendar",
    (SEARCH, "received_to"): r"there is no such day on the calendar|must be the same day as the first or after it",
})

# A bulk action's fields depend on the action (stated in words), the original of repeats
# must be one of those selected, and each request is selected once.
BULK = "POST /api/v1/bulk-actions"
DATA_REFUSALS.update({
    (BULK, "assignee"): "give the email of the staff member to assign",
    (BULK, "note"): "write the note to add",
    (BULK, "duplicate_of"): r"choose which of the selected requests the others repeat|choose the original from the requests selected",
    (BULK, "requests[].tracking_number"): r"RR-[0-9]{4}-[0-9]+ is selected twice",
})

# Administration (issue 21): what the directory holds and the calendar's years are data; a
# closure's name is needed with "closed" (a rule across fields).
INVITE = "POST /api/v1/admin/staff/new"
STAFF_DETAILS = "POST /api/v1/admin/staff/{id}/details"
NEW_DEPARTMENT = "POST /api/v1/admin/departments/new"
DEPARTMENT_DETAILS = "POST /api/v1/admin/departments/{queue}/details"
HOLIDAY = "POST /api/v1/admin/holidays/changes"
NOT_IN_DIRECTORY = "is not a department in the directory (an admin adds departments under Administration)"
CLAIMED = r'".*" already belongs to .+: a catalog name names one department'
DATA_REFUSALS.update({
    (INVITE, "department"): NOT_IN_DIRECTORY,
    (STAFF_DETAILS, "department"): NOT_IN_DIRECTORY,
    (NEW_DEPARTMENT, "name"): r'there is already a department with this name \(or one that differs only in case or punctuation\)|must hold at least one letter or digit|cannot be just "New"|".*" is a catalog name of .+: a name places datasets in one department',
    (NEW_DEPARTMENT, "publishers"): CLAIMED,
    (NEW_DEPARTMENT, "hosts"): CLAIMED,
    (DEPARTMENT_DETAILS, "publishers"): CLAIMED,
    (DEPARTMENT_DETAILS, "hosts"): CLAIMED,
    (DEPARTMENT_DETAILS, "signers"): r".+ is not an active clerk, steward or admin",
    (HOLIDAY, "date"): r"must be in last year, this year or the next two|must be a date like 2026-12-28",
    (HOLIDAY, "name"): "say what requesters are told the office is closed for, such as Winter closure",
})

# Complaints (issue 22): the departments are the directory's (data); a complaint's day must be
# a calendar day, not in the future and within ten years (the clock); a complaint is sent only
# to a department it is not already with.
COMPLAINTS = "POST /api/v1/complaints"
REROUTE = "POST /api/v1/requests/{tracking_number}/department"
DATA_REFUSALS.update({
    (COMPLAINTS, "department"): "there is no department with this name in the directory",
    (COMPLAINTS, "occurred_on"): r"give the date as YYYY-MM-DD, like 2026-03-04|the date cannot be in the future|give a date within the last 10 years",
    (REROUTE, "department"): r"there is no department with this name in the directory|the complaint is already with this department",
})

PATTERNED = {
    (NEW_DEPARTMENT, "name"),
    (NEW_DEPARTMENT, "publishers"),
    (NEW_DEPARTMENT, "hosts"),
    (DEPARTMENT_DETAILS, "publishers"),
    (DEPARTMENT_DETAILS, "hosts"),
    (DEPARTMENT_DETAILS, "signers"),
    (HOLIDAY, "date"),
    (SEARCH, "received_to"),
    (BULK, "duplicate_of"),
    (BULK, "requests[].tracking_number"),
    ("POST /api/v1/requests/{tracking_number}/release", "documents"),
    ("POST /api/v1/requests/{tracking_number}/release", "public"),
    (UPLOAD_OP, "exemption"),
    (LINKS_OP, "exemption"),
    (TRANSITIONS, "withheld[].citation"),
    (TRANSITIONS, "responsible[]"),
    ("POST /api/v1/requests/{tracking_number}/extension", "days"),
    (TRANSITIONS, "records_due_at"),
    (REOPEN, "records_due_at"),
    (COMPLAINTS, "occurred_on"),
    (REROUTE, "department"),
    ("POST " + FEES + "payments", "amount_cents"),
    ("POST " + FEES + "waivers", "amount_cents"),
    ("POST " + FEES + "refunds", "amount_cents"),
    (ESTIMATE, "lines[].item"),
    (ESTIMATE, "lines[].quantity"),
    (ESTIMATE, "lines"),
    (ESTIMATE, "lines[].unit_cents"),
    (ESTIMATE, "lines[].form"),
    (ESTIMATE, "lines[].basis"),
}


# Staff attach documents; the requester sends files with messages. Both check a file alike.
UPLOADS = (
    "POST /api/v1/requests/{tracking_number}/documents",
    "POST /api/v1/requests/{tracking_number}/files",
)
FILE_REFUSALS = (
    "the file is empty",
    "files of this type cannot be attached; allowed: ",
    "the file is called .",
)
MULTIPART_TEXT_PARTS = ("redaction_note", "exemption", "body")


def _file_messages(operation, field, messages):
    return (
        operation in UPLOADS
        and field == "file"
        and all(
            isinstance(m, str) and any(m.startswith(p) for p in FILE_REFUSALS) for m in messages
        )
    )


def _file_refused_for_contents(operation, response):
    if operation not in UPLOADS or response.status_code != 422:
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
    if failure.code != "ST201" or case.operation.label not in UPLOADS:
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
        if _file_messages(operation, field, messages):
            return True
        pattern = DATA_REFUSALS.get((operation, re.sub(r"\[\d+\]", "[]", field)))
        if pattern is None or len(messages) != 1 or not isinstance(messages[0], str):
            return False
        if (operation, re.sub(r"\[\d+\]", "[]", field)) in PATTERNED:
            return re.fullmatch(pattern, messages[0]) is not None
        return messages[0] == pattern

    return all(expected(field, messages) for field, messages in fields.items())


# schemathesis.toml pins the tracking number of every per-request operation to a real
# request: a negative case that generated an invalid tracking number is sent with the real
# one instead, so its success is the pinned value's, not an invalid value accepted.
def _pinned_tracking_number(case, failure):
    if failure.code != "ST201" or "/{tracking_number}" not in case.operation.label:
        return False
    return "parameter `tracking_number` in path" in (failure.message or "")


# An API key is shown once: the run's first claim takes it and every later claim of the
# same request answers 410 with this message, as the document says. A state no schema states.
CLAIM = "POST /api/v1/requests/{tracking_number}/api-key"
ALREADY_CLAIMED = "this API key was already claimed (it is shown only once), revoked or expired"


def _claimed_once(case, failure, response):
    if failure.code != "ST202" or response is None or response.status_code != 410:
        return False
    if case.operation.label != CLAIM:
        return False
    try:
        return json.loads(response.content).get("message") == ALREADY_CLAIMED
    except (ValueError, AttributeError):
        return False


# A file a requester sends is answered with the whole case, where the new file is the last of
# the last message's files. The link Schemathesis infers from that answer to the download
# reads an `id` at a fixed place in the case (the first message's first file); when nothing is
# there it generates one, and a 404 for that made-up id reads as "created resource not found".
# tests/api/sent_files.rs downloads each file sent, by the id its message gives.
SENT_FILE_DOWNLOAD = "GET /api/v1/requests/{tracking_number}/files/{id}"


def _sent_file_link_guessed(case, failure):
    return failure.code == "ST302" and case.operation.label == SENT_FILE_DOWNLOAD


# A one-time link's token is data: a well-formed token no link was given for is gone (410), as
# the document says; tests/api/admin.rs sets passwords with real links.
SET_PASSWORD = "POST /api/v1/auth/password"
NO_LINK = "this link has been used, has run out or was replaced by a newer one; ask an administrator for a new one"


def _no_such_link(case, failure, response):
    if failure.code != "ST202" or response is None or response.status_code != 410:
        return False
    if case.operation.label != SET_PASSWORD:
        return False
    try:
        return json.loads(response.content).get("message") == NO_LINK
    except (ValueError, AttributeError):
        return False


# What a move must carry depends on where it goes (docs/PRODUCT.md, "Determinations"): the
# document lists every field, and the target state decides which it requires. A 422 that
# names only fields the body left out (absent, null or blank) is that rule across fields.
def _left_out_for_target(case, failure, response):
    if failure.code != "ST202" or response is None or response.status_code != 422:
        return False
    if case.operation.label != TRANSITIONS or not isinstance(case.body, dict):
        return False
    try:
        fields = json.loads(response.content).get("fields")
    except (ValueError, AttributeError):
        return False
    if not isinstance(fields, dict) or not fields:
        return False

    def left_out(field):
        value = case.body.get(re.sub(r"\[\d+\].*$", "", field))
        return value is None or value == [] or (isinstance(value, str) and not value.strip())

    return all(left_out(field) for field in fields)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but the kinds named in the module's docstring and README."""
    if _multipart_text_typed(case, failure) or _pinned_tracking_number(case, failure):
        return False
    if _sent_file_link_guessed(case, failure):
        return False
    if _claimed_once(case, failure, response) or _no_such_link(case, failure, response):
        return False
    if _left_out_for_target(case, failure, response):
        return False
    if failure.code != "ST202" or response is None:
        return True
    label = case.operation.label
    return not (_refused_for_data(label, response) or _file_refused_for_contents(label, response))
