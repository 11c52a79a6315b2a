//! What the session cookie (encrypted and signed) holds: the CSRF token, a signed-in staff
//! member's token, the private tokens of the requests this browser may follow, a flash line.

use actix_session::Session;

use crate::secrets;

const CSRF: &str = "csrf";
const STAFF: &str = "staff";
const FLASH: &str = "flash";

fn request_key(tracking_number: &str) -> String {
    format!("rq:{tracking_number}")
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

pub fn request_token(session: &Session, tracking_number: &str) -> Option<String> {
    session
        .get::<String>(&request_key(tracking_number))
        .ok()
        .flatten()
}

pub fn remember_request(session: &Session, tracking_number: &str, token: &str) {
    let _ = session.insert(request_key(tracking_number), token);
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
