//! Reply addresses (docs/PRODUCT.md, "Replies by email"): every letter to a requester names,
//! as its Reply-To, an address of the request's own, `records+RR-2026-00001.TAG@city-domain`,
//! where TAG is an HMAC-SHA256 of the tracking number under the server's reply key. A reply
//! can then be filed to its request, and nobody can make up the address of another request.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::input::TrackingNumber;

/// Hex digits of the tag: 80 bits, beyond guessing, short enough for an address.
pub const TAG_DIGITS: usize = 20;
/// The shortest reply key taken, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// The reply addresses of one installation: a mailbox and the key its tags are made with.
#[derive(Clone)]
pub struct ReplyAddresses {
    local: String,
    domain: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for ReplyAddresses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyAddresses")
            .field("mailbox", &format!("{}@{}", self.local, self.domain))
            .field("key", &"[hidden]")
            .finish()
    }
}

impl ReplyAddresses {
    /// From a mailbox (`records@example.org`, or `Name <records@example.org>`) and a key of at
    /// least [`MIN_KEY_BYTES`]. A `+tag` the mailbox already has is dropped.
    pub fn new(mailbox: &str, key: Vec<u8>) -> Result<ReplyAddresses, String> {
        let address = match (mailbox.rfind('<'), mailbox.rfind('>')) {
            (Some(open), Some(close)) if open < close => &mailbox[open + 1..close],
            _ => mailbox,
        }
        .trim();
        let (local, domain) = address
            .rsplit_once('@')
            .ok_or_else(|| format!("{address:?} is not an email address"))?;
        let local = local.split('+').next().unwrap_or("");
        if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
            return Err(format!("{address:?} is not an email address"));
        }
        if key.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the reply key must be at least {MIN_KEY_BYTES} bytes ({} hex digits)",
                MIN_KEY_BYTES * 2
            ));
        }
        Ok(ReplyAddresses {
            local: local.to_string(),
            domain: domain.to_ascii_lowercase(),
            key,
        })
    }

    fn mac(&self, tracking_number: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(tracking_number.as_bytes());
        mac
    }

    /// The tag of a request's address.
    pub fn tag(&self, tracking_number: &TrackingNumber) -> String {
        let digest = self.mac(tracking_number.as_str()).finalize().into_bytes();
        hex::encode(digest)[..TAG_DIGITS].to_string()
    }

    /// The request's own reply address.
    pub fn address(&self, tracking_number: &TrackingNumber) -> String {
        format!(
            "{}+{}.{}@{}",
            self.local,
            tracking_number,
            self.tag(tracking_number),
            self.domain
        )
    }

    /// The request an address names, when it is one of ours and its tag is the one our key
    /// gives that request; `None` for anything else (another mailbox, a made-up tag).
    pub fn request_of(&self, address: &str) -> Option<TrackingNumber> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(&self.domain) {
            return None;
        }
        let (mailbox, detail) = local.split_once('+')?;
        // Mail systems may change the case of a local part; tracking numbers and tags are
        // read in their own case.
        if !mailbox.eq_ignore_ascii_case(&self.local) {
            return None;
        }
        let (number, tag) = detail.rsplit_once('.')?;
        let tracking_number = TrackingNumber::parse(&number.to_ascii_uppercase())?;
        let tag = hex::decode(tag.to_ascii_lowercase()).ok()?;
        if tag.len() * 2 != TAG_DIGITS {
            return None;
        }
        // Compared in constant time, as the MAC's own check does.
        self.mac(tracking_number.as_str())
            .verify_truncated_left(&tag)
            .ok()
            .map(|()| tracking_number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses() -> ReplyAddresses {
        ReplyAddresses::new(
            "City Clerk <records+old@CityOfConcord.org>",
            vec![7u8; MIN_KEY_BYTES],
        )
        .unwrap()
    }

    fn tn(s: &str) -> TrackingNumber {
        TrackingNumber::parse(s).unwrap()
    }

    #[test]
    fn each_request_has_its_own_address_that_reads_back_to_it() {
        let replies = addresses();
        let first = replies.address(&tn("RR-2026-00001"));
        assert!(
            first.starts_with("records+RR-2026-00001.") && first.ends_with("@cityofconcord.org"),
            "{first}"
        );
        assert_eq!(replies.tag(&tn("RR-2026-00001")).len(), TAG_DIGITS);
        assert_ne!(first, replies.address(&tn("RR-2026-00002")));
        assert_eq!(replies.request_of(&first), Some(tn("RR-2026-00001")));
        // As a mail system may hand it on: other case, spaces around it.
        assert_eq!(
            replies.request_of(&format!("  {}  ", first.to_uppercase())),
            Some(tn("RR-2026-00001"))
        );
    }

    #[test]
    fn a_tag_made_up_or_taken_from_another_request_or_key_names_nothing() {
        let replies = addresses();
        let tag = replies.tag(&tn("RR-2026-00001"));
        let other =
            ReplyAddresses::new("records@cityofconcord.org", vec![8u8; MIN_KEY_BYTES]).unwrap();
        for forged in [
            format!("records+RR-2026-00002.{tag}@cityofconcord.org"),
            other.address(&tn("RR-2026-00001")),
            format!(
                "records+RR-2026-00001.{}@cityofconcord.org",
                "0".repeat(TAG_DIGITS)
            ),
            format!(
                "records+RR-2026-00001.{}@cityofconcord.org",
                &tag[..TAG_DIGITS - 2]
            ),
            format!("records+RR-2026-00001.{tag}@example.org"),
            format!("clerk+RR-2026-00001.{tag}@cityofconcord.org"),
            "records+RR-2026-00001@cityofconcord.org".to_string(),
            "records@cityofconcord.org".to_string(),
            "not an address".to_string(),
        ] {
            assert_eq!(replies.request_of(&forged), None, "{forged}");
        }
    }

    #[test]
    fn a_short_key_or_a_mailbox_that_is_no_address_is_refused() {
        assert!(ReplyAddresses::new("records@cityofconcord.org", vec![1; 31]).is_err());
        assert!(ReplyAddresses::new("records", vec![1; 32]).is_err());
        assert!(ReplyAddresses::new("@cityofconcord.org", vec![1; 32]).is_err());
        let shown = format!("{:?}", addresses());
        assert!(!shown.contains("7, 7"), "the key is never printed: {shown}");
    }
}
