"""Real data for the schemathesis run: .ci/schemathesis.sh calls this once the server is up.

    python3 seed.py BASE_URL STAFF_TOKEN  ->  shell `export` lines on standard output

A schema cannot say which tracking numbers, documents or keys exist, so without these every
per-request operation would meet a 404 for a made-up tracking number. Each request below is
in the state its operations act on, and each operation that ends a request (withdraw, revoke
the private links, revoke a key) gets a request of its own, so it cannot starve the others:
- MAIN: a records request under review with one document attached (get, audit, message,
  note, assistance, assign, extend, transitions, attach a file or a link, release, production, reopen, download);
- WITHDRAW: a records request its requester withdraws;
- LINKS: a records request whose private links the revoke operation turns off;
- KEY: an API access request granted, so its requester can claim the key and staff revoke it;
- DENIED: a records request denied, so its requester can appeal;
- LOST: an API access request granted and its key claimed, so its requester can say the key
  is lost and ask for a new one;
- REPLACE: the same, the new key already asked for, so staff can give it;
- FEES: a records request granted, its fee estimated ($9,995) and accepted, so staff can
  record payments, waivers and refunds (and its requester's answer meets an answered one).
The requester's own operations on WITHDRAW, KEY, DENIED and LOST are sent with that request's
token.
"""

import datetime
import json
import sys
import urllib.request
import uuid

BASE, STAFF = sys.argv[1], sys.argv[2]


def call(method, path, body=None, token=STAFF, content_type="application/json"):
    data = None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    request = urllib.request.Request(BASE + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def file(body):
    filed = call("POST", "/api/v1/requests", body, token=None)
    return filed["tracking_number"], filed["access_token"]


def move(tn, body):
    version = call("GET", f"/api/v1/requests/{tn}")["version"]
    return call("POST", f"/api/v1/requests/{tn}/transitions", {**body, "version": version})


def records(description):
    return {
        "kind": "public_records",
        "requester": {"name": "Sam Tester", "email": "sam@schemathesis.test"},
        "description": description,
    }


def attach(tn):
    boundary = uuid.uuid4().hex
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"minutes.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\nCouncil minutes, 12 January 2025.\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    attached = call("POST", f"/api/v1/requests/{tn}/documents", body,
                    content_type=f"multipart/form-data; boundary={boundary}")
    return attached["documents"][0]["id"]


main_tn, main_token = file(records("Council minutes, 2025"))
move(main_tn, {"to": "under_review"})
attach(main_tn)

withdraw_tn, withdraw_token = file(records("Planning commission agendas, 2024"))
links_tn, _ = file(records("Street tree inventory"))

def granted_access():
    tn, token = file({
        "kind": "api_access",
        "requester": {"name": "Dev Eloper", "email": "dev@schemathesis.test"},
        "description": "API access to the building permits dataset.",
        "dataset_id": "https://data.cityofconcord.org/datasets/building-permits",
        "fields_needed": "permit number, address",
        "intended_use": "A public map of construction.",
    })
    move(tn, {"to": "under_review"})
    move(tn, {"to": "granted", "decision": "Access granted for the map."})
    return tn, token


key_tn, key_token = granted_access()

lost_tn, lost_token = granted_access()
call("POST", f"/api/v1/requests/{lost_tn}/api-key", {}, token=lost_token)

replace_tn, replace_token = granted_access()
call("POST", f"/api/v1/requests/{replace_tn}/api-key", {}, token=replace_token)
call("POST", f"/api/v1/requests/{replace_tn}/api-key/replacement", {"reason": "Deleted."},
     token=replace_token)

denied_tn, denied_token = file(records("Investigation file 2026-114"))
move(denied_tn, {"to": "under_review"})
move(denied_tn, {
    "to": "denied",
    "reason": "The records are investigative files of an ongoing case.",
    "withheld": [{"item": "Investigation file 2026-114", "exemption": "7923.600",
                  "reason": "The investigation is open."}],
    "responsible": [{"name": "Pat Records", "title": "Deputy City Clerk"}],
    "segregability": "Every page describes the investigation.",
})

fees_tn, fees_token = file(records("Building plans for 1950 Parkside Drive"))
move(fees_tn, {"to": "under_review"})
available = (datetime.date.today() + datetime.timedelta(days=7)).isoformat() + "T16:00"
move(fees_tn, {"to": "granted", "decision": "The plans are released.", "records_due_at": available})
call("POST", f"/api/v1/requests/{fees_tn}/fees/estimate",
     {"lines": [{"item": "usb_drive", "quantity": 1999}]})
call("POST", f"/api/v1/requests/{fees_tn}/fees/answer", {"answer": "accept"}, token=fees_token)

for name, value in [
    ("SCHEMATHESIS_REQUESTER_TOKEN", main_token),
    ("SCHEMATHESIS_TRACKING_NUMBER", main_tn),
    ("SCHEMATHESIS_WITHDRAW_TN", withdraw_tn),
    ("SCHEMATHESIS_WITHDRAW_TOKEN", withdraw_token),
    ("SCHEMATHESIS_KEY_TOKEN", key_token),
    ("SCHEMATHESIS_DENIED_TOKEN", denied_token),
    ("SCHEMATHESIS_LINKS_TN", links_tn),
    ("SCHEMATHESIS_KEY_TN", key_tn),
    ("SCHEMATHESIS_DENIED_TN", denied_tn),
    ("SCHEMATHESIS_LOST_TN", lost_tn),
    ("SCHEMATHESIS_LOST_TOKEN", lost_token),
    ("SCHEMATHESIS_REPLACE_TN", replace_tn),
    ("SCHEMATHESIS_FEES_TN", fees_tn),
    ("SCHEMATHESIS_FEES_TOKEN", fees_token),
]:
    print(f"export {name}={value}")
