//! What the session cookie (encrypted and signed) holds: the CSRF token, a signed-in staff
//! member's token, the private tokens of the last few requests this browser followed, a
//! flash line. It is bounded: a cookie past 4 KB is dropped by browsers (and would sign a
//! staff member out), so only the latest [`MAX_REQUESTS`] private links are kept.

use actix_session::Session;

use crate::secrets;

const CSRF: &str = "csrf";
const STAFF: &str = "staff";
const FLASH: &str = "flash";
const REQUESTS: &str = "requests";

/// How many private links one browser session remembers; opening another forgets the oldest
/// (its link still works, opened again).
pub const MAX_REQUESTS: usize = 8;

/// The private links this session holds, most recent last.
fn requests(session: &Session) -> Vec<(String, String)> {
    session
        .get::<Vec<(String, String)>>(REQUESTS)
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The session's form token, made on first use.
pub fn csrf(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(CSRF) {
        return token;
    }
    let token = secrets::random_hex(32);
    let _ = session.insert(CSRF, &token);
    token
}

/// Whether a submitted form carries this session's token.
pub fn csrf_ok(session: &Session, submitted: &str) -> bool {
    matches!(session.get::<String>(CSRF), Ok(Some(token)) if secrets::constant_time_eq(token.as_bytes(), submitted.as_bytes()))
}

pub fn staff_token(session: &Session) -> Option<String> {
    session.get::<String>(STAFF).ok().flatten()
}

/// Signs a staff member in on a fresh session (a new cookie and a new form token).
pub fn sign_in(session: &Session, token: &str) {
    session.renew();
    let _ = session.insert(STAFF, token);
    let _ = session.insert(CSRF, secrets::random_hex(32));
}

pub fn sign_out(session: &Session) {
    session.purge();
}

/// The requests this browser holds links for, newest last: (tracking number, token).
pub fn held_requests(session: &Session) -> Vec<(String, String)> {
    requests(session)
}

pub fn request_token(session: &Session, tracking_number: &str) -> Option<String> {
    requests(session)
        .into_iter()
        .find(|(tn, _)| tn == tracking_number)
        .map(|(_, token)| token)
}

pub fn remember_request(session: &Session, tracking_number: &str, token: &str) {
    let mut held = requests(session);
    held.retain(|(tn, _)| tn != tracking_number);
    held.push((tracking_number.to_string(), token.to_string()));
    let excess = held.len().saturating_sub(MAX_REQUESTS);
    held.drain(..excess);
    // Sessions from before the bound kept one entry per request; they go.
    let legacy: Vec<String> = session
        .entries()
        .keys()
        .filter(|k| k.starts_with("rq:"))
        .cloned()
        .collect();
    for key in legacy {
        session.remove(&key);
    }
    let _ = session.insert(REQUESTS, held);
}

pub fn set_flash(session: &Session, message: &str) {
    let _ = session.insert(FLASH, message);
}

/// The flash line, once.
pub fn take_flash(session: &Session) -> String {
    session
        .remove_as::<String>(FLASH)
        .and_then(Result::ok)
        .unwrap_or_default()
}
