//! Tokens and passwords: random secrets of at least 128 bits, stored only as hashes, compared
//! in constant time; staff passwords hashed with argon2id.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Requester access tokens and staff API tokens look different, so a token says what it is.
pub const REQUESTER_TOKEN_PREFIX: &str = "rdr_";
pub const STAFF_TOKEN_PREFIX: &str = "rds_";

/// 256 random bits from the operating system's generator, URL-safe, with a prefix.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A password made for someone (`staff add` without `--password-stdin`): 20 characters from
/// an alphabet without look-alikes, about 115 bits.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes);
    // 256 is not a multiple of 56: the first 32 letters come up a little more often, which
    // leaves well over 100 bits.
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(buf.as_mut_slice());
    hex::encode(buf)
}

/// Tokens are long and random, so a plain SHA-256 is the right stored form.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Equal-length comparison whose time does not depend on where the inputs differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `token` is the one whose hash is stored.
pub fn token_matches(token: &str, stored_hash: &str) -> bool {
    constant_time_eq(token_hash(token).as_bytes(), stored_hash.as_bytes())
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(String);

/// An argon2id PHC string with a fresh salt.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError(e.to_string()))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the time a real verification would, so an unknown email answers as slowly as a
/// wrong password and logins do not reveal who has an account.
pub fn verify_nobody(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default());
    let _ = verify_password(password, phc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_prefix_and_256_random_bits() {
        let a = new_token(REQUESTER_TOKEN_PREFIX);
        let b = new_token(REQUESTER_TOKEN_PREFIX);
        assert!(a.starts_with("rdr_"));
        assert_eq!(a.len(), 4 + 43);
        assert_ne!(a, b);
    }

    #[test]
    fn a_token_matches_only_its_own_hash() {
        let token = new_token(STAFF_TOKEN_PREFIX);
        let stored = token_hash(&token);
        assert!(token_matches(&token, &stored));
        assert!(!token_matches(&new_token(STAFF_TOKEN_PREFIX), &stored));
        assert!(!token_matches(&token, "short"));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let phc = hash_password("correct horse battery staple").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &phc));
        assert!(!verify_password("Correct horse battery staple", &phc));
        assert!(!verify_password("anything", "not a phc string"));
    }
}
