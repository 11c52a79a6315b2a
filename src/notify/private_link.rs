//! The private link in a requester's email (docs/PRODUCT.md, "Private links"). A letter is
//! rendered with a mark where the token goes; the dispatcher mints the token when it claims
//! the email for sending, stores only its hash, and fills it in just before the message leaves.
//! The outbox and the audit log never hold the token.

use super::render::Rendered;

/// Where a requester's letter holds its link's token until it is sent. A control character no
/// text a person typed can hold (`domain::input` refuses them), so nothing else is filled.
pub const TOKEN_MARK: &str = "\u{1A}private-token\u{1A}";

/// What the audit copy says in the token's place.
pub const WITHHELD: &str = "[private token withheld]";

/// The request's private link, its token to be filled when the letter is sent.
pub fn url(public_url: &str, tracking_number: &str) -> String {
    format!("{public_url}/requests/{tracking_number}?token={TOKEN_MARK}")
}

/// Whether a letter carries a private link to be filled.
pub fn carries_link(message: &Rendered) -> bool {
    message.text.contains(TOKEN_MARK)
}

/// The letter with its link's token: as it is sent.
pub fn filled(message: &Rendered, token: &str) -> Rendered {
    replace(message, token)
}

/// The letter with the token withheld: as the audit log keeps it.
pub fn withheld(message: &Rendered) -> Rendered {
    replace(message, WITHHELD)
}

fn replace(message: &Rendered, with: &str) -> Rendered {
    Rendered {
        subject: message.subject.replace(TOKEN_MARK, with),
        text: message.text.replace(TOKEN_MARK, with),
        html: message.html.replace(TOKEN_MARK, with),
    }
}

/// A requester's letter as the log keeps it ([`withheld`]) with its link's place marked again,
/// to be filled when it is sent: the mark is only ever put after `?token=` ([`url`]), so in a
/// letter where nobody typed `?token=` and the withheld words, every such place is a link's.
/// The outbox sends a letter from the log's copy only when this gives the letter back exactly
/// (`outbox::compose`); one that holds those words as typed text keeps a copy of its own.
pub fn marked(kept: &Rendered) -> Rendered {
    let withheld = format!("?token={WITHHELD}");
    let mark = format!("?token={TOKEN_MARK}");
    Rendered {
        subject: kept.subject.replace(&withheld, &mark),
        text: kept.text.replace(&withheld, &mark),
        html: kept.html.replace(&withheld, &mark),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mark_is_filled_for_sending_and_withheld_for_the_log() {
        let link = url("https://records.example.org", "RR-2026-00001");
        let message = Rendered {
            subject: "s".into(),
            text: format!("Your link:\n{link}\n"),
            html: format!("<a href=\"{link}\">{link}</a>"),
        };
        assert!(carries_link(&message));
        let sent = filled(&message, "rdr_abc");
        assert!(sent.text.contains("/requests/RR-2026-00001?token=rdr_abc"));
        assert!(sent.html.contains("?token=rdr_abc\">"));
        assert!(!carries_link(&sent));
        let kept = withheld(&message);
        assert!(kept.text.contains(WITHHELD) && !kept.text.contains('\u{1A}'));
    }

    #[test]
    fn a_kept_letter_marked_again_is_the_letter_as_queued() {
        let link = url("https://records.example.org", "RR-2026-00001");
        let message = Rendered {
            subject: "s".into(),
            text: format!("Your link:\n{link}\nAgain: {link}\n[private token withheld]\n"),
            html: format!("<a href=\"{link}\">{link}</a>"),
        };
        let kept = withheld(&message);
        assert_eq!(marked(&kept), message);
        // The withheld words alone are not a link's place.
        assert!(marked(&kept).text.ends_with("\n[private token withheld]\n"));
        // Typed after `?token=`, they would be taken for one: such a letter is not given back.
        let typed = Rendered {
            text: format!(
                "{}See https://elsewhere.example/?token={WITHHELD}\n",
                message.text
            ),
            ..message
        };
        assert_ne!(marked(&withheld(&typed)), typed);
    }

    #[test]
    fn typed_text_cannot_hold_the_mark() {
        assert!(crate::domain::input::Text::multiline(TOKEN_MARK, 100).is_err());
    }
}
