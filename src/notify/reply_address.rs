//! Reply addresses (docs/PRODUCT.md, "Replies by email"): every letter to a requester names,
//! as its Reply-To, an address of the request's own, `records+RR-2026-00001.TAG@city-domain`,
//! where TAG is an HMAC-SHA256 of the tracking number under the server's reply key. A reply
//! can then be filed to its request, and nobody can make up the address of another request.
//! Every notice is also sent from a return path of its own, `records+bounce-42.TAG@…` (VERP),
//! so a delivery failure reported to it names the notice that failed.

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

    /// A return path's MAC: a prefix no tracking number has keeps the two kinds of tag apart.
    fn bounce_mac(&self, notice: i64) -> Hmac<Sha256> {
        self.mac(&format!("bounce:{notice}"))
    }

    /// The return path (envelope sender) of the notice with outbox id `notice`.
    pub fn return_path(&self, notice: i64) -> String {
        let digest = self.bounce_mac(notice).finalize().into_bytes();
        let tag = &hex::encode(digest)[..TAG_DIGITS];
        format!("{}+bounce-{notice}.{tag}@{}", self.local, self.domain)
    }

    /// The notice a return path names, when its tag is the one our key gives that notice.
    pub fn notice_of(&self, address: &str) -> Option<i64> {
        let detail = self.detail(address)?.to_ascii_lowercase();
        let (number, tag) = detail.strip_prefix("bounce-")?.rsplit_once('.')?;
        let notice: i64 = number.parse().ok().filter(|n| *n > 0)?;
        let tag = self.tag_bytes(tag)?;
        self.bounce_mac(notice)
            .verify_truncated_left(&tag)
            .ok()
            .map(|()| notice)
    }

    /// What follows the `+` of an address at our mailbox.
    fn detail<'a>(&self, address: &'a str) -> Option<&'a str> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(&self.domain) {
            return None;
        }
        let (mailbox, detail) = local.split_once('+')?;
        // Mail systems may change the case of a local part; tracking numbers and tags are
        // read in their own case.
        mailbox.eq_ignore_ascii_case(&self.local).then_some(detail)
    }

    fn tag_bytes(&self, tag: &str) -> Option<Vec<u8>> {
        let tag = hex::decode(tag.to_ascii_lowercase()).ok()?;
        (tag.len() * 2 == TAG_DIGITS).then_some(tag)
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
        let (number, tag) = self.detail(address)?.rsplit_once('.')?;
        let tracking_number = TrackingNumber::parse(&number.to_ascii_uppercase())?;
        let tag = self.tag_bytes(tag)?;
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
    fn each_notice_has_a_return_path_that_reads_back_to_it_and_to_no_request() {
        let replies = addresses();
        let path = replies.return_path(42);
        assert!(
            path.starts_with("records+bounce-42.") && path.ends_with("@cityofconcord.org"),
            "{path}"
        );
        assert_eq!(replies.notice_of(&path), Some(42));
        assert_eq!(replies.notice_of(&path.to_uppercase()), Some(42));
        assert_eq!(replies.request_of(&path), None);
        let tag = path.split('.').nth(1).unwrap().split('@').next().unwrap();
        for forged in [
            format!("records+bounce-43.{tag}@cityofconcord.org"),
            format!("records+bounce-0.{tag}@cityofconcord.org"),
            format!("records+bounce--42.{tag}@cityofconcord.org"),
            replies.address(&tn("RR-2026-00001")),
            format!("records+bounce-42.{tag}@example.org"),
        ] {
            assert_eq!(replies.notice_of(&forged), None, "{forged}");
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
