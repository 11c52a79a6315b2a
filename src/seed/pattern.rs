//! A model's stored text with the parts that belong to the model itself (its tracking number,
//! its token, the ids of its notices) cut out, so each clone fills in its own.

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    TrackingNumber,
    Token,
    /// The id of the model's n-th notice.
    OutboxId(usize),
    /// The requester's email address.
    Email,
    /// Where the description ends: the clone's own words go here.
    DescriptionEnd,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern(Vec<Piece>);

/// What a clone puts where the model's own values were.
pub struct Fill<'a> {
    pub tracking_number: &'a str,
    pub token: &'a str,
    pub outbox_ids: &'a [i64],
    pub email: &'a str,
    /// Plain text (nothing JSON escapes) added to the description.
    pub description_end: &'a str,
}

/// What else of the model a clone makes its own: its requester's address and the end of its
/// description (as JSON writes it).
pub struct Own<'a> {
    pub email: Option<&'a str>,
    pub description: &'a str,
}

impl Pattern {
    /// Finds `tracking_number`, `token` and `"outbox_id":N` (for the model's notice ids) in
    /// `text`.
    pub fn compile(
        text: &str,
        tracking_number: &str,
        token: &str,
        outbox_ids: &[i64],
        own: &Own<'_>,
    ) -> Pattern {
        let mut found: Vec<(usize, usize, Piece)> = Vec::new();
        if let Some(email) = own.email.filter(|e| !e.is_empty()) {
            for (at, _) in text.match_indices(email) {
                found.push((at, at + email.len(), Piece::Email));
            }
        }
        let described = serde_json::to_string(own.description).unwrap_or_default();
        let described = described.trim_matches('"');
        if !described.is_empty() {
            for (at, _) in text.match_indices(described) {
                let end = at + described.len();
                found.push((end, end, Piece::DescriptionEnd));
            }
        }
        for (at, _) in text.match_indices(tracking_number) {
            found.push((at, at + tracking_number.len(), Piece::TrackingNumber));
        }
        if !token.is_empty() {
            for (at, _) in text.match_indices(token) {
                found.push((at, at + token.len(), Piece::Token));
            }
        }
        for (n, id) in outbox_ids.iter().enumerate() {
            let key = "\"outbox_id\":";
            let needle = format!("{key}{id}");
            for (at, _) in text.match_indices(&needle) {
                let end = at + needle.len();
                if !text[end..].starts_with(|c: char| c.is_ascii_digit()) {
                    found.push((at + key.len(), end, Piece::OutboxId(n)));
                }
            }
        }
        found.sort_by_key(|(start, _, _)| *start);
        let mut pieces = Vec::new();
        let mut done = 0;
        for (start, end, piece) in found {
            if start < done {
                continue;
            }
            if start > done {
                pieces.push(Piece::Text(text[done..start].to_string()));
            }
            pieces.push(piece);
            done = end;
        }
        if done < text.len() {
            pieces.push(Piece::Text(text[done..].to_string()));
        }
        Pattern(pieces)
    }

    pub fn fill(&self, with: &Fill<'_>) -> String {
        let mut out = String::with_capacity(self.len_hint());
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::TrackingNumber => out.push_str(with.tracking_number),
                Piece::Token => out.push_str(with.token),
                Piece::OutboxId(n) => {
                    out.push_str(&with.outbox_ids.get(*n).copied().unwrap_or(0).to_string())
                }
                Piece::Email => out.push_str(with.email),
                Piece::DescriptionEnd => out.push_str(with.description_end),
            }
        }
        out
    }

    fn len_hint(&self) -> usize {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(text) => text.len(),
                _ => 48,
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clone_gets_its_own_tracking_number_token_and_notice_ids() {
        let text = r#"{"message_id":"<RR-2026-00003.ack.ab@x>","outbox_id":12,"other_id":12,"text":"RR-2026-00003 rdr_T","n":"outbox_id":123}"#;
        let own = Own {
            email: Some("jane@example.com"),
            description: "Logs \"A\".",
        };
        let text = format!(r#"{text} {{"to":"jane@example.com","description":"Logs \"A\"."}}"#);
        let pattern = Pattern::compile(&text, "RR-2026-00003", "rdr_T", &[12], &own);
        let filled = pattern.fill(&Fill {
            tracking_number: "RR-2024-123456",
            token: "rdr_U",
            outbox_ids: &[9001],
            email: "rr-2024-123456@example.org",
            description_end: " More.",
        });
        assert_eq!(
            filled,
            r#"{"message_id":"<RR-2024-123456.ack.ab@x>","outbox_id":9001,"other_id":12,"text":"RR-2024-123456 rdr_U","n":"outbox_id":123} {"to":"rr-2024-123456@example.org","description":"Logs \"A\". More."}"#
        );
    }

    #[test]
    fn text_without_any_of_them_comes_back_unchanged() {
        let own = Own {
            email: None,
            description: "not here",
        };
        let pattern = Pattern::compile("plain", "RR-2026-00001", "", &[1], &own);
        let with = Fill {
            tracking_number: "RR-2026-00002",
            token: "",
            outbox_ids: &[2],
            email: "",
            description_end: " x",
        };
        assert_eq!(pattern.fill(&with), "plain");
    }
}
