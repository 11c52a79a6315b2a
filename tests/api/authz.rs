//! Nobody gets in where they don't belong (issue 6): every API endpoint and every page, called
//! by every kind of caller, answers what one table says. The table must have a row for each
//! route the OpenAPI document lists and each page `pages::ROUTES` registers, so a new route
//! without a row fails this test.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use recordsdesk::web::{api, pages};
use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};

use crate::helpers::*;

/// Who calls, in the order of the table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    /// Holds the private token of the request the row is about.
    Requester,
    /// Holds the private token of a different request.
    OtherRequester,
    Clerk,
    /// The steward of the dataset the request names (and so its assignee).
    Steward,
    /// The steward of another department's dataset.
    OtherSteward,
    Reviewer,
    Admin,
    /// The city's API gateway, with `RECORDSDESK_GATEWAY_TOKEN`.
    Gateway,
}

const CALLERS: [Who; 9] = [
    Who::Anonymous,
    Who::Requester,
    Who::OtherRequester,
    Who::Clerk,
    Who::Steward,
    Who::OtherSteward,
    Who::Reviewer,
    Who::Admin,
    Who::Gateway,
];

const HEADINGS: [&str; 9] = [
    "anon",
    "req",
    "other-req",
    "clerk",
    "steward",
    "other-stwd",
    "reviewer",
    "admin",
    "gateway",
];

/// What a cell expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Status(u16),
    /// 303 to the staff sign-in page.
    SignIn,
    /// 303 anywhere else: a page step done, or a page that sends you on.
    Onward,
}

const OK: Expect = Expect::Status(200);
const ON: Expect = Expect::Onward;
const LOGIN: Expect = Expect::SignIn;
const E204: Expect = Expect::Status(204);
const E401: Expect = Expect::Status(401);
const E403: Expect = Expect::Status(403);
const E404: Expect = Expect::Status(404);
const E409: Expect = Expect::Status(409);
const E410: Expect = Expect::Status(410);
const E415: Expect = Expect::Status(415);
const E422: Expect = Expect::Status(422);

impl Expect {
    fn is_success(self) -> bool {
        matches!(self, OK | ON)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Api,
    Page,
}

/// What a row's path parameters name; each fixture request has its own requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Nothing,
    /// Under review with the steward, extended once (by an admin: the steward is no designee).
    Open,
    /// Denied by the steward, within the appeal window.
    Denied,
    /// Just submitted; the one request a row really withdraws.
    Fresh,
    /// An api_access request granted, its key revoked.
    RevokedKey,
    Dataset,
    /// A notice id that does not exist.
    Notice,
    /// A file attached to the Open request by its steward and released.
    Document,
    /// A file the Open request's requester sent with a message.
    SentFile,
    /// An email that reached no request, waiting for the Clerk's staff.
    Mail,
    /// A staff account id that does not exist: admins hear 404, and nothing changes.
    Account,
    /// The City Clerk's department in the directory.
    Department,
}

/// Substituted with the target's current version.
const VERSION: &str = "VERSION";

#[derive(Debug, Clone, Copy)]
enum Body {
    Empty,
    Json(&'static str),
    /// The caller's own CSRF token is added.
    Form(&'static [(&'static str, &'static str)]),
}

use Body::{Empty, Form, Json};

/// One route and what each caller gets from it.
#[derive(Debug, Clone, Copy)]
struct Row {
    surface: Surface,
    method: &'static str,
    path: &'static str,
    target: Target,
    body: Body,
    /// The audit action a successful call records on the target (checked after the matrix).
    writes: Option<&'static str>,
    /// It ends the caller's session, so it runs after every other row.
    ends_session: bool,
    expect: [Expect; 9],
}

const fn api(
    method: &'static str,
    path: &'static str,
    target: Target,
    body: Body,
    expect: [Expect; 9],
) -> Row {
    Row {
        surface: Surface::Api,
        method,
        path,
        target,
        body,
        writes: None,
        ends_session: false,
        expect,
    }
}

const fn page(
    method: &'static str,
    path: &'static str,
    target: Target,
    body: Body,
    expect: [Expect; 9],
) -> Row {
    Row {
        surface: Surface::Page,
        ..api(method, path, target, body, expect)
    }
}

impl Row {
    const fn writes(self, action: &'static str) -> Row {
        Row {
            writes: Some(action),
            ..self
        }
    }

    const fn ends_session(self) -> Row {
        Row {
            ends_session: true,
            ..self
        }
    }

    fn name(&self) -> String {
        let surface = match self.surface {
            Surface::Api => "api ",
            Surface::Page => "page",
        };
        format!("{surface} {} {}", self.method, self.path)
    }
}

use Target::*;

const STAFF_PAGE: [Expect; 9] = [LOGIN, LOGIN, LOGIN, OK, OK, OK, OK, OK, LOGIN];
/// Administration: admins only.
const ADMIN_API: [Expect; 9] = [E401, E403, E403, E403, E403, E403, E403, OK, E401];
const ADMIN_PAGE: [Expect; 9] = [LOGIN, LOGIN, LOGIN, E403, E403, E403, E403, OK, LOGIN];
const fn admin_api(admin: Expect) -> [Expect; 9] {
    [E401, E403, E403, E403, E403, E403, E403, admin, E401]
}
const fn admin_page(admin: Expect) -> [Expect; 9] {
    [LOGIN, LOGIN, LOGIN, E403, E403, E403, E403, admin, LOGIN]
}
const STAFF_API: [Expect; 9] = [E401, E403, E403, OK, OK, OK, OK, OK, E401];
const REQUESTER_PAGE: [Expect; 9] = [E404, OK, E404, E404, E404, E404, E404, E404, E404];

/// The matrix. Bodies are chosen so that a caller who is let in gets a definite answer that is
/// not about who they are (a 409 or 422) and changes nothing, except where `writes` says.
///
/// What the expectations follow: someone else's request does not exist for you (404, as
/// docs/PRODUCT.md says of someone else's token), and a steward sees only what is routed to their
/// department; staff-only API endpoints turn a requester's token away before looking anything
/// up (403), and no token at all is 401; a page of a request this browser holds no private
/// link for is 404; a staff page without a signed-in session sends you to sign in (`LOGIN`);
/// `ON` is a 303 anywhere else.
#[rustfmt::skip]
const TABLE: &[Row] = &[
    // Columns: anonymous, requester, other requester, clerk, steward, other steward,
    // reviewer, admin, gateway.
    api("POST", "/api/v1/requests", Nothing, Json("{}"), [E422; 9]),
    // A complaint is filed by anyone, named or not; nothing is filed from an empty body.
    api("POST", "/api/v1/complaints", Nothing, Json("{}"), [E422; 9]),
    api("GET", "/api/v1/departments", Nothing, Empty, [OK; 9]),
    // Any staff member may record a request that came by phone or post; nothing is filed
    // from an empty body.
    api("POST", "/api/v1/intake", Nothing, Json("{}"),
        [E401, E403, E403, E422, E422, E422, E422, E422, E401]),
    api("GET", "/api/v1/requests/{tracking_number}", Open, Empty,
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/transitions", Open,
        Json(r#"{"to": "denied", "version": VERSION}"#),
        [E401, E403, E404, E403, E422, E404, E403, E422, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/appeal", Denied,
        Json(r#"{"version": VERSION}"#),
        [E401, E422, E404, E403, E403, E404, E403, E403, E401]),
    // Staff of the queue may withdraw for the requester, with a note of how they asked.
    api("POST", "/api/v1/requests/{tracking_number}/withdraw", Fresh,
        Json(r#"{"version": VERSION}"#),
        [E401, OK, E404, E403, E422, E404, E403, E422, E401]).writes("transition"),
    api("POST", "/api/v1/requests/{tracking_number}/messages", Open,
        Json(r#"{"body": "Is there any news?"}"#),
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]).writes("message"),
    // Only a designee signs an extension: by default the clerks serving the queue (none
    // serve public_works) and admins.
    // Not multipart: the requester hears 415 and nothing is stored; staff attach documents.
    api("POST", "/api/v1/requests/{tracking_number}/files", Open, Empty,
        [E401, E415, E404, E403, E403, E404, E403, E403, E401]),
    api("GET", "/api/v1/requests/{tracking_number}/files/{id}", SentFile, Empty,
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/assistance", Open,
        Json(r#"{"records": "The March logs.", "suggestions": "Name the days you need."}"#),
        [E401, E403, E403, E403, OK, E404, E403, OK, E401]).writes("assisted"),
    api("POST", "/api/v1/requests/{tracking_number}/notes", Open,
        Json(r#"{"body": "Called the requester; they will narrow it."}"#),
        [E401, E403, E403, OK, OK, E404, OK, OK, E401]).writes("note"),
    api("POST", "/api/v1/requests/{tracking_number}/extension", Open,
        Json(r#"{"days": 3, "circumstance": "voluminous_records", "version": VERSION}"#),
        [E401, E403, E403, E403, E403, E404, E403, E409, E401]),
    // The Open request is no grant awaiting production, and was never produced.
    api("POST", "/api/v1/requests/{tracking_number}/production", Open,
        Json(r#"{"how": "paper", "note": "Handed over at the counter.", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/reopen", Open,
        Json(r#"{"reason": "Pages were missing.", "records_due_at": "2099-01-05T16:00", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    // Fees are for a grant awaiting production: the Open request's manager hears 409, as
    // does its requester answering; nothing is priced or recorded.
    api("POST", "/api/v1/requests/{tracking_number}/fees/estimate", Open,
        Json(r#"{"lines": [{"item": "letter_page", "quantity": 10}], "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/fees/answer", Open,
        Json(r#"{"answer": "accept", "version": VERSION}"#),
        [E401, E409, E404, E403, E403, E404, E403, E403, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/fees/payments", Open,
        Json(r#"{"amount_cents": 100, "method": "cash", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/fees/waivers", Open,
        Json(r#"{"amount_cents": 100, "reason": "Goodwill.", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/fees/refunds", Open,
        Json(r#"{"amount_cents": 100, "reason": "Overpaid.", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("GET", "/api/v1/fee-schedule", Nothing, Empty, [OK; 9]),
    api("POST", "/api/v1/requests/{tracking_number}/assign", Open,
        Json(r#"{"assignee": "nobody@city.test", "version": VERSION}"#),
        [E401, E403, E403, E422, E422, E404, E403, E422, E401]),
    // The Clerk's office, staff of the queue and admins may send a complaint elsewhere; the
    // Open case is a request, which is not sent around this way (409).
    api("POST", "/api/v1/requests/{tracking_number}/department", Open,
        Json(r#"{"department": "code_enforcement", "version": VERSION}"#),
        [E401, E403, E403, E409, E409, E404, E403, E409, E401]),
    api("GET", "/api/v1/requests/{tracking_number}/audit", Open, Empty,
        [E401, E403, E403, OK, OK, E404, OK, OK, E401]),
    // A request's letters, and one as a PDF: for its requester and the staff who may see it.
    api("GET", "/api/v1/requests/{tracking_number}/letters", Open, Empty,
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]),
    api("GET", "/api/v1/requests/{tracking_number}/letters/{seq}/{notice}", Open, Empty,
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]),
    // Not multipart: whoever may attach hears 415, and nothing is stored.
    api("POST", "/api/v1/requests/{tracking_number}/documents", Open, Empty,
        [E401, E403, E403, E403, E415, E404, E403, E415, E401]),
    api("GET", "/api/v1/requests/{tracking_number}/documents/{id}", Document, Empty,
        [E401, OK, E404, OK, OK, E404, OK, OK, E401]).writes("document_downloaded"),
    api("POST", "/api/v1/requests/{tracking_number}/links", Open,
        Json(r#"{"title": "Tree export", "url": "https://data.example.gov/trees.csv"}"#),
        [E401, E403, E403, E403, OK, E404, E403, OK, E401]).writes("document_added"),
    api("POST", "/api/v1/requests/{tracking_number}/release", Open,
        Json(r#"{"documents": [999999]}"#),
        [E401, E403, E403, E403, E422, E404, E403, E422, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/api-key", RevokedKey, Empty,
        [E401, E410, E404, E403, E403, E404, E403, E403, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/api-key/revoke", RevokedKey, Empty,
        [E401, E403, E403, E409, E409, E404, E403, E409, E401]),
    // A revoked key cannot be replaced: whoever may ask or give hears 409.
    api("POST", "/api/v1/requests/{tracking_number}/api-key/replacement", RevokedKey, Json("{}"),
        [E401, E409, E404, E403, E403, E404, E403, E403, E401]),
    api("POST", "/api/v1/requests/{tracking_number}/api-key/replacement/approve", RevokedKey, Empty,
        [E401, E403, E403, E409, E409, E404, E403, E409, E401]),
    // Revoking needs a reason: whoever may revoke hears 422, and no link is touched.
    api("POST", "/api/v1/requests/{tracking_number}/private-links/revoke", Open, Json("{}"),
        [E401, E403, E403, E422, E422, E404, E403, E422, E401]),
    api("GET", "/api/v1/queue", Nothing, Empty, STAFF_API),
    // Nothing to search for, no action: staff hear 422, and nothing is looked up or changed.
    // The reading room: the Open request is not granted, so its manager hears 409 and
    // nothing is published; anyone reads what is published.
    api("POST", "/api/v1/requests/{tracking_number}/publication", Open,
        Json(r#"{"action": "publish", "version": VERSION}"#),
        [E401, E403, E403, E403, E409, E404, E403, E409, E401]),
    api("GET", "/api/v1/reading-room", Nothing, Empty, [OK; 9]),
    api("GET", "/api/v1/search", Nothing, Empty,
        [E401, E403, E403, E422, E422, E422, E422, E422, E401]),
    api("POST", "/api/v1/bulk-actions", Nothing, Json("{}"),
        [E401, E403, E403, E422, E422, E422, E422, E422, E401]),
    api("GET", "/api/v1/notices/failed", Nothing, Empty, STAFF_API),
    api("POST", "/api/v1/notices/{id}/retry", Notice, Empty,
        [E401, E403, E403, E404, E403, E403, E403, E404, E401]),
    api("POST", "/api/v1/auth/login", Nothing, Json("{}"), [E422; 9]),
    api("POST", "/api/v1/auth/logout", Nothing, Empty,
        [E401, E403, E403, E204, E204, E204, E204, E204, E401]).ends_session(),
    // A password is set only with a live one-time link; without a password nothing is looked up.
    api("POST", "/api/v1/auth/password", Nothing, Json("{}"), [E422; 9]),
    api("GET", "/api/v1/admin/staff", Nothing, Empty, ADMIN_API),
    api("POST", "/api/v1/admin/staff/new", Nothing, Json("{}"), admin_api(E422)),
    api("GET", "/api/v1/admin/staff/{id}", Account, Empty, admin_api(E404)),
    api("POST", "/api/v1/admin/staff/{id}/details", Account, Json("{}"), admin_api(E422)),
    api("POST", "/api/v1/admin/staff/{id}/disable", Account, Empty, admin_api(E404)),
    api("POST", "/api/v1/admin/staff/{id}/enable", Account, Empty, admin_api(E404)),
    api("POST", "/api/v1/admin/staff/{id}/password-reset", Account, Empty, admin_api(E404)),
    api("GET", "/api/v1/admin/departments", Nothing, Empty, ADMIN_API),
    api("POST", "/api/v1/admin/departments/new", Nothing, Json("{}"), admin_api(E422)),
    api("GET", "/api/v1/admin/departments/{queue}", Department, Empty, ADMIN_API),
    api("POST", "/api/v1/admin/departments/{queue}/details", Department,
        Json(r#"{"hosts": ["not a host"]}"#), admin_api(E422)),
    api("GET", "/api/v1/admin/holidays", Nothing, Empty, ADMIN_API),
    api("POST", "/api/v1/admin/holidays/changes", Nothing, Json("{}"), admin_api(E422)),
    api("POST", "/api/v1/keys/verify", Nothing, Json(r#"{"key": "rdk_not_a_key"}"#),
        [E401, E401, E401, E401, E401, E401, E401, E401, OK]),
    // Only the mail server's token hands mail over; the gateway's is not it.
    api("POST", "/api/v1/mail/inbound", Nothing, Empty, [E401; 9]),
    // Unmatched mail is the Clerk's office's (and admins'); to anyone else it does not exist.
    api("GET", "/api/v1/mail/unmatched", Nothing, Empty,
        [E401, E403, E403, OK, E403, E403, E403, OK, E401]),
    api("GET", "/api/v1/mail/{id}/raw", Mail, Empty,
        [E401, E403, E403, OK, E404, E404, E404, OK, E401]),
    api("POST", "/api/v1/mail/{id}/attach", Mail, Json(r#"{"tracking_number": "RR-2026-99999"}"#),
        [E401, E403, E403, E422, E403, E403, E403, E422, E401]),
    api("POST", "/api/v1/mail/{id}/discard", Mail, Json("{}"),
        [E401, E403, E403, E422, E403, E403, E403, E422, E401]),
    api("GET", "/api/v1/datasets", Nothing, Empty, [OK; 9]),
    api("GET", "/api/v1/datasets/{id}", Dataset, Empty, [OK; 9]),
    api("GET", "/healthz", Nothing, Empty, [OK; 9]),
    api("GET", "/openapi.json", Nothing, Empty, [OK; 9]),

    page("GET", "/", Nothing, Empty, [OK; 9]),
    page("GET", "/static/site.css", Nothing, Empty, [OK; 9]),
    page("GET", "/datasets", Nothing, Empty, [OK; 9]),
    page("GET", "/datasets/{id}", Dataset, Empty, [OK; 9]),
    page("GET", "/data.json", Nothing, Empty, [OK; 9]),
    page("GET", "/requests/new", Nothing, Empty, [OK; 9]),
    page("POST", "/requests/new", Nothing, Form(&[]), [E422; 9]),
    page("GET", "/complaints/new", Nothing, Empty, [OK; 9]),
    page("POST", "/complaints/new", Nothing, Form(&[]), [E422; 9]),
    page("GET", "/requests/find", Nothing, Empty, [OK; 9]),
    page("POST", "/requests/find", Nothing, Form(&[]), [E422; 9]),
    page("GET", "/requests/{tracking_number}/filed", Open, Empty, REQUESTER_PAGE),
    page("GET", "/requests/{tracking_number}", Open, Empty, REQUESTER_PAGE),
    page("GET", "/requests/{tracking_number}/documents/{id}", Document, Empty, REQUESTER_PAGE)
        .writes("document_downloaded"),
    page("POST", "/requests/{tracking_number}/messages", Open,
        Form(&[("body", "Is there any news?")]),
        [E404, ON, E404, E404, E404, E404, E404, E404, E404]).writes("message"),
    page("POST", "/requests/{tracking_number}/files", Open, Form(&[]),
        [E404, E415, E404, E404, E404, E404, E404, E404, E404]),
    page("GET", "/requests/{tracking_number}/files/{id}", SentFile, Empty, REQUESTER_PAGE),
    page("GET", "/staff/requests/{tracking_number}/files/{id}", SentFile, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("POST", "/requests/{tracking_number}/appeal", Denied, Form(&[("version", VERSION)]),
        [E404, E422, E404, E404, E404, E404, E404, E404, E404]),
    page("POST", "/requests/{tracking_number}/withdraw", Denied,
        Form(&[("version", VERSION), ("confirmed", "yes")]),
        [E404, E422, E404, E404, E404, E404, E404, E404, E404]),
    // A fee is answered, and its invoice and receipt read, with the request's private link;
    // the Open request has no estimate to answer, and its requester is told so.
    page("POST", "/requests/{tracking_number}/fees/answer", Open,
        Form(&[("answer", "accept"), ("version", VERSION)]),
        [E404, E422, E404, E404, E404, E404, E404, E404, E404]),
    page("GET", "/requests/{tracking_number}/fees/invoice", Open, Empty, REQUESTER_PAGE),
    page("GET", "/requests/{tracking_number}/fees/receipt", Open, Empty, REQUESTER_PAGE),
    // A request's letters (seq 1 is its filing, whose letter is the acknowledgement), to the
    // holder of its private link; the seal is no page without `[letters] seal_file`.
    page("GET", "/requests/{tracking_number}/letters", Open, Empty, REQUESTER_PAGE),
    page("GET", "/requests/{tracking_number}/letters/{seq}/{notice}.pdf", Open, Empty,
        REQUESTER_PAGE),
    page("GET", "/requests/{tracking_number}/letters/{seq}/{notice}", Open, Empty,
        REQUESTER_PAGE),
    page("GET", "/letters/seal.jpg", Nothing, Empty, [E404; 9]),
    // The language switch: anyone, back to the page they were on (home here).
    page("GET", "/language/{code}", Nothing, Empty, [ON; 9]),
    page("POST", "/requests/{tracking_number}/api-key", RevokedKey, Form(&[]),
        [E404, ON, E404, E404, E404, E404, E404, E404, E404]),
    page("POST", "/requests/{tracking_number}/api-key/lost", RevokedKey, Form(&[]),
        [E404, E422, E404, E404, E404, E404, E404, E404, E404]),
    page("POST", "/staff/requests/{tracking_number}/api-key/revoke", RevokedKey, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E409, E409, E404, E403, E409, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/api-key/replace", RevokedKey, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E409, E409, E404, E403, E409, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/private-links/revoke", Open, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E422, E422, E404, E403, E422, LOGIN]),
    page("GET", "/staff", Nothing, Empty, [ON; 9]),
    page("GET", "/staff/login", Nothing, Empty, [OK, OK, OK, ON, ON, ON, ON, ON, OK]),
    page("POST", "/staff/login", Nothing,
        Form(&[("email", "nobody@city.test"), ("password", "not the password")]), [E401; 9]),
    page("POST", "/staff/logout", Nothing, Form(&[]), [LOGIN; 9]).ends_session(),
    page("GET", "/staff/queue", Nothing, Empty, STAFF_PAGE),
    page("GET", "/staff/intake", Nothing, Empty, STAFF_PAGE),
    page("POST", "/staff/intake", Nothing, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E422, E422, E422, E422, E422, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}/export.json", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    // The step pages, for the step STEP names: open to whoever may take it now.
    page("GET", "/staff/requests/{tracking_number}/steps/{step}", Open, Empty,
        [LOGIN, LOGIN, LOGIN, E403, OK, E404, E403, OK, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/steps/{step}", Open,
        Form(&[("version", VERSION)]),
        [LOGIN, LOGIN, LOGIN, E403, E422, E404, E403, E422, LOGIN]),
    // The fee steps are step pages too; a request's invoice and receipt are for whoever may
    // see it (the Open request's say no fee was estimated).
    page("GET", "/staff/requests/{tracking_number}/fees/invoice", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}/fees/receipt", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    // The request's letters to its requester: for whoever may see the request.
    page("GET", "/staff/requests/{tracking_number}/letters", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}/letters/{seq}/{notice}.pdf", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}/letters/{seq}/{notice}", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/notes", Open,
        Form(&[("note", "Checked with Public Works.")]),
        [LOGIN, LOGIN, LOGIN, ON, ON, E404, ON, ON, LOGIN]).writes("note"),
    page("POST", "/staff/requests/{tracking_number}/messages", Open,
        Form(&[("body", "We are looking into it.")]),
        [LOGIN, LOGIN, LOGIN, ON, ON, E404, ON, ON, LOGIN]).writes("message"),
    page("POST", "/staff/requests/{tracking_number}/assign", Open,
        Form(&[("assignee", "nobody@city.test"), ("version", VERSION)]),
        [LOGIN, LOGIN, LOGIN, E422, E422, E404, E403, E422, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/documents", Open, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E403, E415, E404, E403, E415, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/links", Open,
        Form(&[("title", "Tree export"), ("url", "https://data.example.gov/trees.csv")]),
        [LOGIN, LOGIN, LOGIN, E403, ON, E404, E403, ON, LOGIN]).writes("document_added"),
    page("POST", "/staff/requests/{tracking_number}/release", Open,
        Form(&[("release_999999", "on")]),
        [LOGIN, LOGIN, LOGIN, E403, E422, E404, E403, E422, LOGIN]),
    page("GET", "/staff/requests/{tracking_number}/documents/{id}", Document, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]).writes("document_downloaded"),
    page("GET", "/staff/notices", Nothing, Empty, STAFF_PAGE),
    // Letters by post: the Open request's requester has email, so it has no letter to print.
    page("GET", "/staff/post", Nothing, Empty, STAFF_PAGE),
    page("POST", "/staff/post/{tracking_number}/{seq}/{notice}", Open, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E404, E404, E404, E404, E404, LOGIN]),
    page("POST", "/staff/post/{tracking_number}/{seq}/{notice}/posted", Open, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E404, E404, E404, E404, E404, LOGIN]),
    page("POST", "/staff/notices/{id}/retry", Notice, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E404, E403, E403, E403, E404, LOGIN]),
    page("GET", "/staff/mail", Nothing, Empty,
        [LOGIN, LOGIN, LOGIN, OK, E403, E403, E403, OK, LOGIN]),
    page("GET", "/staff/mail/{id}", Mail, Empty,
        [LOGIN, LOGIN, LOGIN, OK, E404, E404, E404, OK, LOGIN]),
    page("GET", "/staff/mail/{id}/raw", Mail, Empty,
        [LOGIN, LOGIN, LOGIN, OK, E404, E404, E404, OK, LOGIN]),
    page("POST", "/staff/mail/{id}/attach", Mail, Form(&[("tracking_number", "RR-2026-99999")]),
        [LOGIN, LOGIN, LOGIN, E422, E403, E403, E403, E422, LOGIN]),
    page("POST", "/staff/mail/{id}/discard", Mail, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E422, E403, E403, E403, E422, LOGIN]),
    page("GET", "/staff/search", Nothing, Empty, STAFF_PAGE),
    page("POST", "/staff/search/bulk", Nothing, Form(&[]),
        [LOGIN, LOGIN, LOGIN, E422, E422, E422, E422, E422, LOGIN]),
    // No live link: the page says so to anyone (410), whoever is signed in.
    page("GET", "/staff/password", Nothing, Empty, [E410; 9]),
    page("POST", "/staff/password", Nothing, Form(&[("token", "rdp_not_a_link")]), [E410; 9]),
    page("GET", "/staff/admin", Nothing, Empty, ADMIN_PAGE),
    page("GET", "/staff/admin/staff", Nothing, Empty, ADMIN_PAGE),
    page("GET", "/staff/admin/staff/new", Nothing, Empty, ADMIN_PAGE),
    page("POST", "/staff/admin/staff/new", Nothing, Form(&[]), admin_page(E422)),
    page("GET", "/staff/admin/staff/{id}", Account, Empty, admin_page(E404)),
    page("POST", "/staff/admin/staff/{id}", Account, Form(&[]), admin_page(E404)),
    page("POST", "/staff/admin/staff/{id}/{action}", Account, Form(&[]), admin_page(E404)),
    page("GET", "/staff/admin/departments", Nothing, Empty, ADMIN_PAGE),
    page("GET", "/staff/admin/departments/new", Nothing, Empty, ADMIN_PAGE),
    page("POST", "/staff/admin/departments/new", Nothing, Form(&[]), admin_page(E422)),
    page("GET", "/staff/admin/departments/{queue}", Department, Empty, ADMIN_PAGE),
    page("POST", "/staff/admin/departments/{queue}", Department,
        Form(&[("hosts", "not a host")]), admin_page(E422)),
    page("GET", "/staff/admin/holidays", Nothing, Empty, ADMIN_PAGE),
    page("POST", "/staff/admin/holidays", Nothing, Form(&[]), admin_page(E422)),
    page("GET", "/staff/admin/catalog", Nothing, Empty, ADMIN_PAGE),
    page("GET", "/staff/reports", Nothing, Empty, STAFF_PAGE),
    page("GET", "/staff/reports.csv", Nothing, Empty, STAFF_PAGE),
    // The reading room: the Open request is not published, so its page and files are no
    // page for anyone; the staff pages follow who may see and who manages the request.
    page("GET", "/reading-room", Nothing, Empty, [OK; 9]),
    page("GET", "/reading-room/feed.atom", Nothing, Empty, [OK; 9]),
    page("GET", "/reading-room/export.json", Nothing, Empty, [OK; 9]),
    page("GET", "/reading-room/export.csv", Nothing, Empty, [OK; 9]),
    page("GET", "/reading-room/export-documents.csv", Nothing, Empty, [OK; 9]),
    page("GET", "/reading-room/{tracking_number}", Open, Empty, [E404; 9]),
    page("GET", "/reading-room/{tracking_number}/documents/{id}", Document, Empty, [E404; 9]),
    page("GET", "/staff/reading-room", Nothing, Empty, STAFF_PAGE),
    page("GET", "/staff/requests/{tracking_number}/publication", Open, Empty,
        [LOGIN, LOGIN, LOGIN, OK, OK, E404, OK, OK, LOGIN]),
    page("POST", "/staff/requests/{tracking_number}/publication", Open,
        Form(&[("action", "publish"), ("version", VERSION)]),
        [LOGIN, LOGIN, LOGIN, E403, E409, E404, E403, E409, LOGIN]),
    page("GET", "/reports", Nothing, Empty, [OK; 9]),
    page("GET", "/reports.csv", Nothing, Empty, [OK; 9]),
];

const GATEWAY_TOKEN: &str = "gateway-token-for-the-matrix";
const MAIL_TOKEN: &str = "mail-token-for-the-matrix";
const DATASET: &str = "street-trees";
const NO_SUCH_NOTICE: &str = "999999";
const NO_SUCH_ACCOUNT: &str = "999999";
/// The step the step-page rows open: denying the Open request.
const STEP: &str = "deny";
const CSRF_REFUSAL: &str = "This form has expired";

/// `{id:.*}` as actix writes it is `{id}` as OpenAPI does.
fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closed parameter");
        let name = rest[open + 1..close].split(':').next().unwrap_or("");
        out.push_str(&rest[..open]);
        out.push('{');
        out.push_str(name);
        out.push('}');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Routes without a row, and rows without a route, named one per line.
fn coverage(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut documented = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("the spec has paths") {
        for method in item.as_object().expect("a path item").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let registered: BTreeSet<(String, String)> = api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), normalize(p)))
        .collect();
    for (method, path) in registered.difference(&documented) {
        problems.push(format!(
            "{method} {path} is served but missing from /openapi.json"
        ));
    }
    for (method, path) in documented.difference(&registered) {
        problems.push(format!(
            "{method} {path} is in /openapi.json but not served"
        ));
    }

    let pages: BTreeSet<(String, String)> = pages::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), normalize(p)))
        .collect();
    for (surface, routes) in [(Surface::Api, &documented), (Surface::Page, &pages)] {
        let rows: Vec<(String, String)> = TABLE
            .iter()
            .filter(|r| r.surface == surface)
            .map(|r| (r.method.to_string(), normalize(r.path)))
            .collect();
        let row_set: BTreeSet<_> = rows.iter().cloned().collect();
        if row_set.len() != rows.len() {
            problems.push(format!("{surface:?}: a route has two rows"));
        }
        for (method, path) in routes.difference(&row_set) {
            problems.push(format!(
                "{surface:?} route {method} {path} has no row in the matrix"
            ));
        }
        for (method, path) in row_set.difference(routes) {
            problems.push(format!(
                "{surface:?} row {method} {path} names no route there is"
            ));
        }
    }
    problems
}

/// One caller's credentials: a bearer token for the API, a session cookie for the pages.
#[derive(Debug, Clone, Default)]
struct Party {
    bearer: Option<String>,
    cookie: Option<String>,
    csrf: String,
    /// How the audit log names this caller when they act.
    actor: Option<String>,
}

/// What came back.
#[derive(Debug, Clone)]
struct Seen {
    status: u16,
    location: Option<String>,
    /// A reason the answer is wrong whatever its status (a CSRF refusal, no JSON error shape).
    flaw: Option<&'static str>,
}

impl Seen {
    fn meets(&self, expect: Expect) -> bool {
        let to_sign_in = self.location.as_deref() == Some("/staff/login");
        self.flaw.is_none()
            && match expect {
                Expect::Status(code) => self.status == code,
                Expect::SignIn => self.status == 303 && to_sign_in,
                Expect::Onward => self.status == 303 && !to_sign_in,
            }
    }

    fn short(&self) -> String {
        let mut text = match (self.status, self.location.as_deref()) {
            (303, Some("/staff/login")) => "login".to_string(),
            (303, _) => "on".to_string(),
            (status, _) => status.to_string(),
        };
        if self.flaw.is_some() {
            text.push('*');
        }
        text
    }
}

fn short(expect: Expect) -> String {
    match expect {
        Expect::Status(code) => code.to_string(),
        Expect::SignIn => "login".into(),
        Expect::Onward => "on".into(),
    }
}

fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no CSRF token on the page:\n{html}"));
    html[start..]
        .split('"')
        .next()
        .expect("a token")
        .to_string()
}

enum Payload {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

/// Sends as `party` (bearer for the API, cookie for pages) and keeps the cookie it is given.
async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    party: &mut Party,
    surface: Surface,
    method: &str,
    path: &str,
    payload: Payload,
) -> (Seen, String) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
    let mut request = client.request(method, app.url(path));
    match surface {
        Surface::Api => {
            if let Some(token) = &party.bearer {
                request = request.header(AUTHORIZATION, format!("Bearer {token}"));
            }
        }
        Surface::Page => {
            if let Some(cookie) = &party.cookie {
                request = request.header(COOKIE, format!("recordsdesk={cookie}"));
            }
        }
    }
    request = match payload {
        Payload::None => request,
        Payload::Json(body) => request.json(&body),
        Payload::Form(fields) => request.form(&fields),
    };
    let response = request.send().await.expect("the server answers");
    for value in response.headers().get_all(SET_COOKIE) {
        let text = value.to_str().unwrap_or("");
        let pair = text.split(';').next().unwrap_or("");
        if let Some(cookie) = pair.strip_prefix("recordsdesk=") {
            party.cookie = (!cookie.is_empty()).then(|| cookie.to_string());
        }
    }
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.expect("a body");
    let flaw = match surface {
        // Every refusal of the API has the one error shape; a 403 says "forbidden".
        Surface::Api if status >= 400 => {
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if !(body["error"].is_string() && body["message"].is_string()) {
                Some("not the JSON error shape")
            } else if status == 403 && body["error"] != "forbidden" {
                Some("a 403 that is not an authorization refusal")
            } else {
                None
            }
        }
        Surface::Page if text.contains(CSRF_REFUSAL) => Some("refused for CSRF, not for who"),
        _ => None,
    };
    (
        Seen {
            status,
            location,
            flaw,
        },
        text,
    )
}

/// A browser session, started on a form page so it has a CSRF token.
async fn visitor(client: &reqwest::Client, app: &TestApp, bearer: Option<String>) -> Party {
    let mut party = Party {
        bearer,
        ..Default::default()
    };
    let (seen, html) = send(
        client,
        app,
        &mut party,
        Surface::Page,
        "GET",
        "/requests/new",
        Payload::None,
    )
    .await;
    assert_eq!(seen.status, 200);
    party.csrf = csrf_of(&html);
    party
}

/// The requester of `filed`: their token, and a session that followed their private link.
async fn requester(client: &reqwest::Client, app: &TestApp, filed: &Filed) -> Party {
    let tn = &filed.tracking_number;
    let mut party = Party {
        bearer: Some(filed.token.clone()),
        actor: Some("requester".into()),
        ..Default::default()
    };
    let link = format!("/requests/{tn}?token={}", filed.token);
    let (seen, _) = send(
        client,
        app,
        &mut party,
        Surface::Page,
        "GET",
        &link,
        Payload::None,
    )
    .await;
    assert_eq!(
        seen.status, 303,
        "the private link is exchanged for a cookie"
    );
    let page = format!("/requests/{tn}");
    let (seen, html) = send(
        client,
        app,
        &mut party,
        Surface::Page,
        "GET",
        &page,
        Payload::None,
    )
    .await;
    assert_eq!(seen.status, 200, "the tracking page opens with the cookie");
    // A closed request's page has no form; the session's token is on every form page.
    let html = if html.contains(r#"name="csrf""#) {
        html
    } else {
        send(
            client,
            app,
            &mut party,
            Surface::Page,
            "GET",
            "/requests/new",
            Payload::None,
        )
        .await
        .1
    };
    party.csrf = csrf_of(&html);
    party
}

/// A staff member: an API token, and a session signed in through the sign-in page.
async fn staff(
    client: &reqwest::Client,
    app: &TestApp,
    email: &str,
    role: &str,
    department: Option<&str>,
) -> Party {
    let token = app.staff(email, role, department).await;
    let mut party = visitor(client, app, Some(token)).await;
    let form = vec![
        ("csrf".to_string(), party.csrf.clone()),
        ("email".to_string(), email.to_string()),
        ("password".to_string(), PASSWORD.to_string()),
    ];
    let (seen, _) = send(
        client,
        app,
        &mut party,
        Surface::Page,
        "POST",
        "/staff/login",
        Payload::Form(form),
    )
    .await;
    assert_eq!(seen.status, 303, "{email} signs in");
    let (seen, html) = send(
        client,
        app,
        &mut party,
        Surface::Page,
        "GET",
        "/staff/queue",
        Payload::None,
    )
    .await;
    assert_eq!(seen.status, 200, "{email} sees the queue");
    party.csrf = csrf_of(&html);
    party.actor = Some(format!("staff:{email}"));
    party
}

fn dataset_request(name: &str, kind: &str) -> Value {
    json!({
        "kind": kind,
        "requester": { "name": name, "email": "someone@example.org" },
        "description": "The street tree inventory with planting dates.",
        "dataset_id": DATASET,
        "fields_needed": "species, planting date",
        "intended_use": "A neighbourhood shade map."
    })
}

/// What is in `these` and not in `those`, counting repeats.
fn less(these: &[(String, String)], those: &[(String, String)]) -> Vec<(String, String)> {
    let mut left = those.to_vec();
    these
        .iter()
        .filter(|item| match left.iter().position(|l| l == *item) {
            Some(i) => {
                left.swap_remove(i);
                false
            }
            None => true,
        })
        .cloned()
        .collect()
}

/// The version and the people's audit events (not the system's notice copies) of a request.
async fn state_of(app: &TestApp, admin: &str, tn: &str) -> (i64, Vec<(String, String)>) {
    let version = app.case(tn, admin).await["version"]
        .as_i64()
        .expect("a version");
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(admin))
        .await;
    let events = audit.body["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["actor"] != "system")
        .map(|e| {
            (
                e["actor"].as_str().unwrap_or("").to_string(),
                e["action"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    (version, events)
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_authorization_matrix_says() {
    let app = spawn_app_with(|settings| {
        settings.catalog.gateway_token = GATEWAY_TOKEN.to_string().into();
        settings.mail.ingest_token = MAIL_TOKEN.to_string().into();
        // The matrix signs in with a wrong password once per caller; that is not an attack.
        settings.limits.login_free_tries = 1000;
        settings.limits.login_account_free_tries = 1000;
    })
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut failures = coverage(&app.get("/openapi.json", None).await.body);

    // The people.
    let mut clerk = staff(&client, &app, "clerk@city.test", "clerk", None).await;
    let mut steward = staff(
        &client,
        &app,
        "trees@city.test",
        "steward",
        Some("Public Works"),
    )
    .await;
    let mut other_steward =
        staff(&client, &app, "police@city.test", "steward", Some("Police")).await;
    let mut reviewer = staff(&client, &app, "reviewer@city.test", "reviewer", None).await;
    let mut admin = staff(&client, &app, "admin@city.test", "admin", None).await;
    let mut anonymous = visitor(&client, &app, None).await;
    let mut gateway = visitor(&client, &app, Some(GATEWAY_TOKEN.to_string())).await;
    app.add_dataset(
        DATASET,
        "Street Trees",
        Some("trees@city.test"),
        Some("Public Works"),
    );
    app.add_dataset(
        "police-calls",
        "Police Calls",
        Some("police@city.test"),
        Some("Police"),
    );
    let stwd = steward.bearer.clone().unwrap();

    // The requests, each in the state its rows need, moved by the steward they are routed to.
    let mut filed = HashMap::new();
    for (target, kind) in [
        (Open, "dataset_access"),
        (Denied, "dataset_access"),
        (Fresh, "dataset_access"),
        (RevokedKey, "api_access"),
    ] {
        let reply = app
            .post(
                "/api/v1/requests",
                None,
                &dataset_request("Rae Quester", kind),
            )
            .await;
        assert_eq!(reply.status, 201, "{:?}", reply.body);
        assert_eq!(
            reply.body["queue"], "public_works",
            "routed to the steward's department"
        );
        filed.insert(
            target,
            Filed {
                tracking_number: reply.body["tracking_number"].as_str().unwrap().into(),
                token: reply.body["access_token"].as_str().unwrap().into(),
            },
        );
    }
    let tn = |target: Target| filed[&target].tracking_number.clone();
    for target in [Open, Denied, RevokedKey] {
        app.must_transition(&tn(target), &stwd, json!({ "to": "under_review" }))
            .await;
    }
    let extended = app
        .post(
            &format!("/api/v1/requests/{}/extension", tn(Open)),
            admin.bearer.as_deref(),
            &json!({ "days": 5, "circumstance": "consultation" }),
        )
        .await;
    assert_eq!(extended.status, 200, "{:?}", extended.body);
    app.must_transition(&tn(Denied), &stwd, denial()).await;
    // A released file on the open request, for the download rows.
    let attached = app
        .client
        .post(app.url(&format!("/api/v1/requests/{}/documents", tn(Open))))
        .bearer_auth(&stwd)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("trees.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status(), 200);
    let attached: Value = attached.json().await.unwrap();
    let document_id = attached["documents"][0]["id"].to_string();
    let released = app
        .post(
            &format!("/api/v1/requests/{}/release", tn(Open)),
            Some(&stwd),
            // Not a readable PDF: the release checks ask for a confirmation.
            &json!({ "documents": [attached["documents"][0]["id"]], "confirm_findings": true }),
        )
        .await;
    assert_eq!(released.status, 200, "{:?}", released.body);
    // A file from the open request's requester, for the rows that download it.
    let sent = app
        .client
        .post(app.url(&format!("/api/v1/requests/{}/files", tn(Open))))
        .bearer_auth(&filed[&Open].token)
        .multipart(reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7\n%%EOF\n".to_vec()).file_name("plan.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.unwrap();
    let sent_file_id =
        sent["messages"].as_array().unwrap().last().unwrap()["files"][0]["id"].to_string();
    app.must_transition(&tn(RevokedKey), &stwd, grant("Access granted."))
        .await;
    // An email from a stranger to the office's address: it waits for the Clerk's staff.
    let stranger = app
        .client
        .post(app.url("/api/v1/mail/inbound"))
        .bearer_auth(MAIL_TOKEN)
        .body(
            "From: someone@example.org\r\nTo: cityclerk@cityofconcord.org\r\n\
             Subject: Hello\r\nMessage-ID: <matrix@example.org>\r\n\r\nA question.\r\n",
        )
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(stranger["outcome"], "unmatched", "{stranger}");
    let mail_id = stranger["mail_id"].to_string();
    let revoked = app
        .post(
            &format!("/api/v1/requests/{}/api-key/revoke", tn(RevokedKey)),
            Some(&stwd),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{:?}", revoked.body);
    let someone_else = app.submit_records_request().await;
    let mut other_requester = requester(&client, &app, &someone_else).await;
    let mut requesters = HashMap::new();
    for (target, filed) in &filed {
        requesters.insert(*target, requester(&client, &app, filed).await);
    }

    // A sign-in of its own: the logout row ends the admin party's token.
    let admin_token = app.login("admin@city.test").await;
    let watched: Vec<String> = filed
        .values()
        .chain([&someone_else])
        .map(|f| f.tracking_number.clone())
        .collect();
    let mut before = HashMap::new();
    for tn in &watched {
        before.insert(tn.clone(), state_of(&app, &admin_token, tn).await);
    }
    let requests_before = app.counts().requests;

    // Run every row; those that end sessions last, and within a row the calls that succeed
    // at a change after the refusals (so a refusal is not a 409 caused by that change).
    let mut order: Vec<&Row> = TABLE.iter().collect();
    order.sort_by_key(|row| row.ends_session);
    let mut seen: HashMap<(String, Who), Seen> = HashMap::new();
    let mut expected_events: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for row in order {
        let subject = match row.target {
            Open | Denied | Fresh | RevokedKey => row.target,
            Nothing | Dataset | Notice | Document | SentFile | Mail | Account | Department => Open,
        };
        let tracking_number = tn(subject);
        let path = normalize(row.path)
            .replace("{tracking_number}", &tracking_number)
            .replace(
                "{id}",
                match row.target {
                    Notice => NO_SUCH_NOTICE,
                    Document => &document_id,
                    SentFile => &sent_file_id,
                    Mail => &mail_id,
                    Account => NO_SUCH_ACCOUNT,
                    _ => DATASET,
                },
            )
            .replace("{queue}", "city_clerk")
            .replace("{action}", "disable")
            .replace("{step}", STEP)
            .replace("{seq}", "1")
            .replace("{notice}", "acknowledgement")
            .replace("{code}", "es");
        let version = app.case(&tracking_number, &admin_token).await["version"].to_string();
        let mut callers = CALLERS.to_vec();
        callers.sort_by_key(|who| {
            let i = CALLERS.iter().position(|w| w == who).unwrap();
            row.writes.is_some() && row.expect[i].is_success()
        });
        for who in callers {
            let i = CALLERS.iter().position(|w| *w == who).unwrap();
            let party = match who {
                Who::Anonymous => &mut anonymous,
                Who::Requester => requesters.get_mut(&subject).unwrap(),
                Who::OtherRequester => &mut other_requester,
                Who::Clerk => &mut clerk,
                Who::Steward => &mut steward,
                Who::OtherSteward => &mut other_steward,
                Who::Reviewer => &mut reviewer,
                Who::Admin => &mut admin,
                Who::Gateway => &mut gateway,
            };
            let payload = match row.body {
                Empty => Payload::None,
                Json(text) => Payload::Json(
                    serde_json::from_str(&text.replace(VERSION, &version))
                        .expect("JSON in the table"),
                ),
                Form(fields) => Payload::Form(
                    [("csrf".to_string(), party.csrf.clone())]
                        .into_iter()
                        .chain(
                            fields
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.replace(VERSION, &version))),
                        )
                        .collect(),
                ),
            };
            let (got, _) = send(
                &client,
                &app,
                party,
                row.surface,
                row.method,
                &path,
                payload,
            )
            .await;
            if let (Some(action), true) = (row.writes, row.expect[i].is_success()) {
                let actor = party.actor.clone().expect("only people change requests");
                expected_events
                    .entry(tracking_number.clone())
                    .or_default()
                    .push((actor, action.to_string()));
            }
            seen.insert((row.name(), who), got);
        }
    }

    // The matrix, every mismatch marked.
    let mut report = String::new();
    let width = TABLE.iter().map(|r| r.name().len()).max().unwrap_or(0);
    let _ = write!(report, "{:width$}", "");
    for heading in HEADINGS {
        let _ = write!(report, " {heading:>11}");
    }
    report.push('\n');
    let mut cells = 0;
    for row in TABLE {
        let _ = write!(report, "{:width$}", row.name());
        for (i, who) in CALLERS.iter().enumerate() {
            cells += 1;
            let got = &seen[&(row.name(), *who)];
            let want = row.expect[i];
            let cell = if got.meets(want) {
                got.short()
            } else {
                failures.push(format!(
                    "{} as {}: expected {}, got {}{}",
                    row.name(),
                    HEADINGS[i],
                    short(want),
                    got.short(),
                    got.flaw.map(|f| format!(" ({f})")).unwrap_or_default()
                ));
                format!("!{}≠{}", got.short(), short(want))
            };
            let _ = write!(report, " {cell:>11}");
        }
        report.push('\n');
    }

    // Nothing changed but what the allowed calls did.
    for tn in &watched {
        let (version_before, events_before) = &before[tn];
        let (version_after, events_after) = state_of(&app, &admin_token, tn).await;
        let added = events_after
            .get(events_before.len()..)
            .unwrap_or_default()
            .to_vec();
        let wanted = expected_events.get(tn).cloned().unwrap_or_default();
        if !events_after.starts_with(events_before) {
            failures.push(format!("{tn}: earlier audit events changed"));
        }
        let (unexpected, missing) = (less(&added, &wanted), less(&wanted, &added));
        if !unexpected.is_empty() || !missing.is_empty() {
            failures.push(format!(
                "{tn}: events nobody was allowed to cause {unexpected:?}; allowed events missing {missing:?}"
            ));
        }
        let moved = wanted.iter().any(|(_, action)| action != "message");
        if !moved && version_after != *version_before {
            failures.push(format!(
                "{tn}: the version moved from {version_before} to {version_after}"
            ));
        }
    }
    if app.counts().requests != requests_before {
        failures.push("a call filed a request".into());
    }

    assert_eq!(cells, TABLE.len() * CALLERS.len());
    if failures.is_empty() {
        println!("authorization matrix: {cells} cells\n{report}");
    }
    assert!(
        failures.is_empty(),
        "{report}\n{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_regex_parameter_is_named_as_openapi_names_it() {
    assert_eq!(normalize("/datasets/{id:.*}"), "/datasets/{id}");
    assert_eq!(
        normalize("/requests/{tracking_number}/audit"),
        "/requests/{tracking_number}/audit"
    );
}

#[tokio::test]
async fn the_api_takes_no_one_in_on_a_signed_in_session_cookie_alone() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let filed = app.submit_records_request().await;
    let admin = staff(&client, &app, "admin@city.test", "admin", None).await;
    let cookie = format!("recordsdesk={}", admin.cookie.expect("a signed-in session"));
    let before = app.counts();
    // The API reads bearer tokens only, so another site's page cannot act with the cookie.
    let tn = &filed.tracking_number;
    for (method, path) in [
        (reqwest::Method::GET, "/api/v1/queue".to_string()),
        (reqwest::Method::GET, format!("/api/v1/requests/{tn}")),
        (reqwest::Method::GET, format!("/api/v1/requests/{tn}/audit")),
        (
            reqwest::Method::POST,
            format!("/api/v1/requests/{tn}/messages"),
        ),
    ] {
        let response = client
            .request(method.clone(), app.url(&path))
            .header(COOKIE, &cookie)
            .json(&json!({ "body": "Hello from a signed-in browser" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{method} {path}");
    }
    assert_eq!(app.counts(), before);
}
